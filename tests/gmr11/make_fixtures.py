"""Write the fixtures of profile gmr-appendix-a 1.1: a minimal valid filing and one filing per 1.1 defect.

    python -m tests.gmr11.make_fixtures

The valid filing is the 1.0 fixture (tests/fixtures/valid_minimal) migrated by `gridmod migrate`, then given
what 1.0 had no place for: a technology code per activity, a metric_id per use case with a value (its unit
the metric's), a year-to-date recorded cost of the filing year, and authorizations with the activities they
cover. Each defect is one edit of it; manifest.json records the findings it must give (code, file, line,
column), found in the written files independently of the validator. Everything here is synthetic.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from gridmod.filing import stamp_resources
from gridmod.migrate import migrate_filing

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = HERE / "fixtures"
SOURCE = ROOT / "tests" / "fixtures" / "valid_minimal"

TECHNOLOGY = {"adms-phase-2": "adms", "ami-analytics": "grid_edge_analytics"}
YEAR_TO_DATE = {
    "activity_id": "adms-phase-2",
    "year": "2026",
    "cost_type": "capital",
    "basis": "recorded",
    "amount_usd": "2900000",
    "authorized_usd": "5200000",
    "recorded_through": "2026-06-30",
}
AUTHORIZATIONS = (
    "authorization_id,source,program,kind,cost_type,period_start_year,period_end_year,amount_usd,"
    "dollar_basis_year,note\n"
    "grc-2023-request,2023 GRC,Grid modernization plan (SAMPLE),requested,capital,2023,2026,24000000,2022,"
    "SAMPLE: synthetic request in 2022 dollars.\n"
    "grc-2023-capital,2023 GRC,Grid modernization plan (SAMPLE),authorized,capital,2023,2026,20000000,,"
    "SAMPLE: synthetic authorization in nominal dollars.\n"
    "grc-2023-deferred,2023 GRC,Grid modernization plan (SAMPLE),deferred,total,2027,2027,3000000,,"
    "SAMPLE: synthetic amount left to the next GRC.\n"
)
COVERED = (
    "authorization_id,activity_id\n"
    "grc-2023-request,adms-phase-2\n"
    "grc-2023-request,ami-analytics\n"
    "grc-2023-capital,adms-phase-2\n"
    "grc-2023-capital,ami-analytics\n"
    "grc-2023-deferred,adms-phase-2\n"
)


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def add_resources(folder: Path) -> None:
    path = folder / "datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["description"] = data["description"].replace("1.0 filing", "1.1 filing")
    data["resources"] += [
        {"name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
        for name in ("authorizations", "authorized_activities")
    ]
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def fill(folder: Path) -> None:
    """What the filer fills after `gridmod migrate`: the codes 1.0 had no place for (the migration test does
    only this, and the filing is then valid)."""
    header, rows = read_rows(folder / "activities.csv")
    for row in rows:
        row["technology"] = TECHNOLOGY[row["activity_id"]]
    write_rows(folder / "activities.csv", header, rows)
    header, rows = read_rows(folder / "use_cases.csv")
    for row in rows:
        if row["benefit_value"]:  # "Average time to prepare a switching order", 30 percent reduction
            row.update(metric_id="switching_order_time_reduction", benefit_unit="percent")
    write_rows(folder / "use_cases.csv", header, rows)


def write_valid(folder: Path) -> None:
    shutil.copytree(SOURCE, folder)
    migrate_filing(folder, ROOT, "1.1")
    fill(folder)
    header, rows = read_rows(folder / "costs.csv")
    at = next(i for i, r in enumerate(rows) if (r["activity_id"], r["year"]) == ("adms-phase-2", "2026"))
    rows.insert(at, dict(YEAR_TO_DATE))
    write_rows(folder / "costs.csv", header, rows)
    (folder / "authorizations.csv").write_text(AUTHORIZATIONS, encoding="utf-8")
    (folder / "authorized_activities.csv").write_text(COVERED, encoding="utf-8")
    add_resources(folder)
    stamp_resources(folder)


Expected = list[dict]


def at(code: str, path: str, line: int | None, column: int | None) -> dict:
    return {"code": code, "path": path, "line": line, "column": column}


def edit(folder: Path, table: str, where: Callable[[dict[str, str]], bool], **values: str) -> tuple[int, list[str]]:
    """Change the first row of `table` where `where` holds; its line and the table's header."""
    header, rows = read_rows(folder / f"{table}.csv")
    index = next(i for i, r in enumerate(rows) if where(r))
    rows[index].update(values)
    write_rows(folder / f"{table}.csv", header, rows)
    return index + 2, header


def cell(folder: Path, table: str, where: Callable[[dict[str, str]], bool], column: str, value: str, code: str):
    line, header = edit(folder, table, where, **{column: value})
    return [at(code, f"{table}.csv", line, header.index(column) + 1)]


ADMS = lambda r: r["activity_id"] == "adms-phase-2"  # noqa: E731
AMI = lambda r: r["activity_id"] == "ami-analytics"  # noqa: E731
VALUED = lambda r: r["benefit_value"] != ""  # noqa: E731
PARTIAL = lambda r: r["recorded_through"] != ""  # noqa: E731
PAST_RECORDED = lambda r: r["basis"] == "recorded" and r["year"] == "2025"  # noqa: E731
AUTHORIZED = lambda r: r["kind"] == "authorized"  # noqa: E731


def technology_not_in_list(folder: Path) -> Expected:
    return cell(folder, "activities", ADMS, "technology", "ADMS", "GMR-E101")


def technology_missing(folder: Path) -> Expected:
    return cell(folder, "activities", ADMS, "technology", "", "GMR-E011")


def technology_of_another_category(folder: Path) -> Expected:
    """AMI analytics (category d) filed as a DERMS, a category a technology: a warning."""
    return cell(folder, "activities", AMI, "technology", "derms", "GMR-W102")


def benefit_value_without_metric(folder: Path) -> Expected:
    return cell(folder, "use_cases", VALUED, "metric_id", "", "GMR-E103")


def metric_not_in_catalogue(folder: Path) -> Expected:
    return cell(folder, "use_cases", VALUED, "metric_id", "switching_time", "GMR-E104")


def unit_not_the_metrics(folder: Path) -> Expected:
    return cell(folder, "use_cases", VALUED, "benefit_unit", "percent reduction", "GMR-E105")


def recorded_after_filing_year(folder: Path) -> Expected:
    return cell(folder, "costs", lambda r: AMI(r) and r["basis"] == "recorded", "year", "2027", "GMR-E106")


def filing_year_recorded_without_date(folder: Path) -> Expected:
    return cell(folder, "costs", PARTIAL, "recorded_through", "", "GMR-E107")


def recorded_through_on_a_past_year(folder: Path) -> Expected:
    return cell(folder, "costs", PAST_RECORDED, "recorded_through", "2025-12-31", "GMR-E108")


def recorded_through_after_filing_date(folder: Path) -> Expected:
    return cell(folder, "costs", PARTIAL, "recorded_through", "2026-12-31", "GMR-E109")


def recorded_through_before_the_year(folder: Path) -> Expected:
    return cell(folder, "costs", PARTIAL, "recorded_through", "2025-12-31", "GMR-E109")


def authorization_ends_before_start(folder: Path) -> Expected:
    return cell(folder, "authorizations", AUTHORIZED, "period_end_year", "2021", "GMR-E110")


def allocations_exceed_authorization(folder: Path) -> Expected:
    """The activities' authorized_usd for 2023 to 2026 capital add up to 15,900,000; 12,000,000 authorized."""
    return cell(folder, "authorizations", AUTHORIZED, "amount_usd", "12000000", "GMR-W111")


def covered_activity_unknown(folder: Path) -> Expected:
    return cell(folder, "authorized_activities", ADMS, "activity_id", "no-such-activity", "GMR-E016")


def authorization_kind_unknown(folder: Path) -> Expected:
    return cell(folder, "authorizations", AUTHORIZED, "kind", "approved", "GMR-E012")


DEFECTS: list[Callable[[Path], Expected]] = [
    technology_not_in_list,
    technology_missing,
    technology_of_another_category,
    benefit_value_without_metric,
    metric_not_in_catalogue,
    unit_not_the_metrics,
    recorded_after_filing_year,
    filing_year_recorded_without_date,
    recorded_through_on_a_past_year,
    recorded_through_after_filing_date,
    recorded_through_before_the_year,
    authorization_ends_before_start,
    allocations_exceed_authorization,
    covered_activity_unknown,
    authorization_kind_unknown,
]


def main() -> int:
    if FIXTURES.exists():
        shutil.rmtree(FIXTURES)
    FIXTURES.mkdir()
    valid = FIXTURES / "valid_minimal"
    write_valid(valid)
    manifest = {}
    for defect in DEFECTS:
        folder = FIXTURES / "defects" / defect.__name__
        shutil.copytree(valid, folder)
        manifest[defect.__name__] = defect(folder)
        stamp_resources(folder)
    (FIXTURES / "defects" / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"{len(manifest)} defect fixtures and valid_minimal in {FIXTURES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
