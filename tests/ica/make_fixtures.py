"""Write the ICA test fixtures: a minimal valid filing and one filing per defect, with the finding each must give.

    python -m tests.ica.make_fixtures

Every defect is one small edit of the valid filing, written as text so that the expected line is known;
manifest.json records, per fixture, the code, file, line and column of the finding. The self-reported metrics
are recomputed after each edit (except where the metrics are the defect), so that a fixture shows its own
finding and not a consequence in quality_metrics.csv. Hourly profiles are kept only where a defect needs them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl

from benchmarks.synth import Plan, metrics, write_filing
from gridmod.filing import stamp_resources

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
PLAN = Plan(
    "pge",
    "ica-2026-h2",
    date(2026, 7, 31),
    date(2026, 1, 1),
    date(2026, 6, 30),
    substations=2,
    feeders_per_substation=2,
    sections_per_feeder=3,
    hourly_sections=1,
    seed=21,
    workshops_held=(
        date(2025, 3, 7),
        date(2025, 6, 26),
        date(2025, 9, 25),
        date(2025, 12, 11),
        date(2026, 3, 26),
        date(2026, 6, 25),
    ),
    workshops_scheduled=(date(2026, 9, 24),),
)
ISSUES = """issue_id,title,category,identified_date,status,resolved_date,affected_feeders,description
ica-001,Feeders without a substation mapping,data_quality,2024-11-15,resolved,2025-12-01,41,The mapping is now generated from the network model.
ica-002,Results stored as text in the hourly download,publication,2025-01-20,remediating,,,Numeric columns were exported as text.
"""
ACTIONS = """issue_id,action_id,action,advice_letter,status,planned_date,forecast_date,actual_date
ica-001,a1,Generate the feeder-substation mapping from the network model,7654-E,completed,2025-10-31,,2025-12-01
ica-002,a1,Publish numeric columns as numbers,7654-E,in_progress,2026-09-30,2026-10-15,
"""


class Filing:
    """A fixture being edited: its tables as lines of text."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def lines(self, name: str) -> list[str]:
        return (self.folder / name).read_text(encoding="utf-8").split("\n")

    def write(self, name: str, lines: list[str]) -> None:
        (self.folder / name).write_text("\n".join(lines), encoding="utf-8")

    def rows(self, name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO((self.folder / name).read_text(encoding="utf-8"))))

    def set_cell(self, name: str, line: int, column: str, value: str) -> None:
        lines = self.lines(name)
        header = lines[0].split(",")
        cells = next(csv.reader([lines[line - 1]]))
        cells[header.index(column)] = value
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(cells)
        lines[line - 1] = buffer.getvalue()
        self.write(name, lines)

    def line_of(self, name: str, **match: str) -> int:
        """The first line whose row has these values."""
        for number, row in enumerate(self.rows(name), start=2):
            if all(row[k] == v for k, v in match.items()):
                return number
        raise KeyError(match)

    def drop_hourly(self) -> None:
        descriptor = json.loads((self.folder / "datapackage.json").read_text())
        descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "hourly"]
        (self.folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n")
        (self.folder / "hourly.csv").unlink()

    def restate_metrics(self) -> None:
        frame = pl.read_csv(self.folder / "results.csv", infer_schema=False).with_columns(
            pl.col("analysis_date").str.to_date(strict=False)
        )
        rows = ["metric,value,note"] + [f"{k},{v:g}," for k, v in metrics(PLAN, frame).items()]
        self.write("quality_metrics.csv", rows + [""])


Defect = Callable[[Filing], dict]


def first_feeder(f: Filing) -> str:
    return f.rows("results.csv")[0]["feeder_id"]


def duplicate_section(f: Filing) -> dict:
    lines = f.lines("results.csv")
    lines.insert(5, lines[4])
    f.write("results.csv", lines)
    f.restate_metrics()
    return {"code": "ICA-E015", "path": "results.csv", "line": 6, "column": 1}


def orphan_feeder(f: Filing) -> dict:
    f.set_cell("feeders.csv", 2, "substation_id", "99999")
    return {"code": "ICA-E016", "path": "feeders.csv", "line": 2, "column": 2}


def unknown_feeder_in_results(f: Filing) -> dict:
    line = f.line_of("results.csv", scenario="pv")
    f.set_cell("results.csv", line, "feeder_id", "999991101")
    return {"code": "ICA-E016", "path": "results.csv", "line": line, "column": 1}


def mw_as_kw(f: Filing) -> dict:
    feeder = f.rows("results.csv")[-1]["feeder_id"]
    first = f.line_of("results.csv", feeder_id=feeder)
    for number, row in enumerate(f.rows("results.csv"), start=2):
        if row["feeder_id"] == feeder:
            for column in ("static_kw", "opflex_kw"):
                if row[column]:
                    f.set_cell("results.csv", number, column, f"{float(row[column]) / 1000:.4f}")
    return {"code": "ICA-X107", "path": "results.csv", "line": first, "column": 4}


def stale_results(f: Filing) -> dict:
    feeder = f.rows("results.csv")[-1]["feeder_id"]
    first = f.line_of("results.csv", feeder_id=feeder)
    for number, row in enumerate(f.rows("results.csv"), start=2):
        if row["feeder_id"] == feeder:
            f.set_cell("results.csv", number, "analysis_date", "2025-02-14")
    f.restate_metrics()
    return {"code": "ICA-X106", "path": "results.csv", "line": first, "column": 8}


def metric_disagrees(f: Filing) -> dict:
    line = f.line_of("quality_metrics.csv", metric="feeders")
    f.set_cell("quality_metrics.csv", line, "value", "5")
    return {"code": "ICA-E131", "path": "quality_metrics.csv", "line": line, "column": 2}


def metric_missing(f: Filing) -> dict:
    lines = f.lines("quality_metrics.csv")
    f.write("quality_metrics.csv", [x for x in lines if not x.startswith("orphan_feeders,")])
    return {"code": "ICA-E132", "path": "quality_metrics.csv", "line": None, "column": None}


def text_in_numeric_cell(f: Filing) -> dict:
    line = f.line_of("results.csv", scenario="pv")
    f.set_cell("results.csv", line, "static_kw", "1,250")
    return {"code": "ICA-E010", "path": "results.csv", "line": line, "column": 4}


def negative_capacity(f: Filing) -> dict:
    line = f.line_of("results.csv", scenario="pv")
    f.set_cell("results.csv", line, "opflex_kw", "-40")
    return {"code": "ICA-E020", "path": "results.csv", "line": line, "column": 6}


def missing_reason(f: Filing) -> dict:
    line = f.line_of("results.csv", scenario="pv", missing_reason="")
    f.set_cell("results.csv", line, "static_kw", "")
    f.set_cell("results.csv", line, "static_criterion", "")
    return {"code": "ICA-E101", "path": "results.csv", "line": line, "column": 4}


def reason_on_complete_row(f: Filing) -> dict:
    line = f.line_of("results.csv", scenario="pv", missing_reason="")
    f.set_cell("results.csv", line, "missing_reason", "not_studied")
    f.restate_metrics()
    return {"code": "ICA-E102", "path": "results.csv", "line": line, "column": 9}


def value_without_criterion(f: Filing) -> dict:
    line = f.line_of("results.csv", scenario="pv", missing_reason="")
    f.set_cell("results.csv", line, "static_criterion", "")
    return {"code": "ICA-E103", "path": "results.csv", "line": line, "column": 5}


def analysis_after_filing(f: Filing) -> dict:
    line = f.line_of("results.csv", scenario="pv")
    f.set_cell("results.csv", line, "analysis_date", "2026-08-15")
    f.restate_metrics()
    return {"code": "ICA-E104", "path": "results.csv", "line": line, "column": 8}


def missing_scenario(f: Filing) -> dict:
    lines = f.lines("results.csv")
    del lines[3]  # the third scenario row of the first line section
    f.write("results.csv", lines)
    f.restate_metrics()
    return {"code": "ICA-E105", "path": "results.csv", "line": 2, "column": 3}


def feeder_without_results(f: Filing) -> dict:
    lines = f.lines("feeders.csv")
    substation = f.rows("feeders.csv")[0]["substation_id"]
    lines.insert(len(lines) - 1, f"{substation}1199,{substation},Spare 1199,12.0")
    f.write("feeders.csv", lines)
    return {"code": "ICA-W108", "path": "feeders.csv", "line": len(lines) - 1, "column": 1}


def pge_feeder_prefix(f: Filing) -> dict:
    other = f.rows("substations.csv")[1]["substation_id"]
    f.set_cell("feeders.csv", 2, "substation_id", other)
    return {"code": "ICA-W109", "path": "feeders.csv", "line": 2, "column": 2}


def substation_name_twice(f: Filing) -> dict:
    name = f.rows("substations.csv")[0]["substation_name"]
    f.set_cell("substations.csv", 3, "substation_name", name.upper())
    return {"code": "ICA-W110", "path": "substations.csv", "line": 3, "column": 2}


def missing_hours(f: Filing) -> dict:
    lines = f.lines("hourly.csv")
    del lines[40]
    f.write("hourly.csv", lines)
    return {"code": "ICA-E121", "path": "hourly.csv", "line": 2, "column": 3}


def hourly_without_results(f: Filing) -> dict:
    lines = f.lines("hourly.csv")
    header = lines[0].split(",")
    for number in range(578, 1154):  # the load profile of the line section
        cells = lines[number - 1].split(",")
        cells[header.index("section_id")] = "LS999999"
        lines[number - 1] = ",".join(cells)
    f.write("hourly.csv", lines)
    return {"code": "ICA-E122", "path": "hourly.csv", "line": 578, "column": 2}


def hourly_mw_as_kw(f: Filing) -> dict:
    lines = f.lines("hourly.csv")
    header = lines[0].split(",")
    index = header.index("value_kw")
    for number in range(2, 578):
        cells = lines[number - 1].split(",")
        cells[index] = f"{float(cells[index]) / 1000:.4f}"
        lines[number - 1] = ",".join(cells)
    f.write("hourly.csv", lines)
    return {"code": "ICA-X123", "path": "hourly.csv", "line": 2, "column": 7}


def hourly_blank_row(f: Filing) -> dict:
    lines = f.lines("hourly.csv")
    lines.insert(700, "")
    f.write("hourly.csv", lines)
    return {"code": "ICA-E017", "path": "hourly.csv", "line": 701, "column": None}


def hourly_extra_cell(f: Filing) -> dict:
    lines = f.lines("hourly.csv")
    lines[299] += ",extra"
    f.write("hourly.csv", lines)
    return {"code": "ICA-E017", "path": "hourly.csv", "line": 300, "column": 9}


def hourly_text_value(f: Filing) -> dict:
    lines = f.lines("hourly.csv")
    cells = lines[99].split(",")
    cells[6] = "REDACTED"
    lines[99] = ",".join(cells)
    f.write("hourly.csv", lines)
    return {"code": "ICA-E010", "path": "hourly.csv", "line": 100, "column": 7}


def issue_without_action(f: Filing) -> dict:
    lines = f.lines("issues.csv")
    lines.insert(len(lines) - 1, "ica-009,Hosting capacity maps lag the results,publication,2026-02-02,open,,,")
    f.write("issues.csv", lines)
    return {"code": "ICA-E141", "path": "issues.csv", "line": len(lines) - 1, "column": 1}


def resolved_without_date(f: Filing) -> dict:
    f.set_cell("issues.csv", 2, "resolved_date", "")
    return {"code": "ICA-E142", "path": "issues.csv", "line": 2, "column": 6}


def completed_without_actual(f: Filing) -> dict:
    f.set_cell("remediation.csv", 2, "actual_date", "")
    return {"code": "ICA-E143", "path": "remediation.csv", "line": 2, "column": 8}


def actual_after_filing(f: Filing) -> dict:
    f.set_cell("remediation.csv", 2, "actual_date", "2026-09-01")
    return {"code": "ICA-E144", "path": "remediation.csv", "line": 2, "column": 8}


def action_overdue(f: Filing) -> dict:
    f.set_cell("remediation.csv", 3, "planned_date", "2026-05-31")
    f.set_cell("remediation.csv", 3, "forecast_date", "")
    return {"code": "ICA-W145", "path": "remediation.csv", "line": 3, "column": 6}


def action_slipped(f: Filing) -> dict:
    f.set_cell("remediation.csv", 3, "forecast_date", "2027-03-31")
    return {"code": "ICA-W146", "path": "remediation.csv", "line": 3, "column": 7}


def resolved_with_open_action(f: Filing) -> dict:
    f.set_cell("issues.csv", 3, "status", "resolved")
    f.set_cell("issues.csv", 3, "resolved_date", "2026-07-01")
    return {"code": "ICA-W147", "path": "issues.csv", "line": 3, "column": 5}


def workshop_missed(f: Filing) -> dict:
    lines = f.lines("workshops.csv")
    f.write("workshops.csv", [x for x in lines if not x.startswith("2025-09-25,")])
    return {"code": "ICA-W151", "path": "workshops.csv", "line": None, "column": None}


def cadence_not_in_force(f: Filing) -> dict:
    """The filing states the biannual cadence, but no effective advice letter changed the quarterly one."""
    path = f.folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["gridmod"]["workshop_cadence"] = "biannual"
    path.write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    return {"code": "ICA-W154", "path": "datapackage.json", "line": None, "column": None}


def held_after_filing(f: Filing) -> dict:
    line = f.line_of("workshops.csv", status="scheduled")
    f.set_cell("workshops.csv", line, "status", "held")
    return {"code": "ICA-E152", "path": "workshops.csv", "line": line, "column": 1}


def scheduled_in_past(f: Filing) -> dict:
    line = f.line_of("workshops.csv", workshop_date="2026-06-25")
    f.set_cell("workshops.csv", line, "status", "scheduled")
    return {"code": "ICA-W153", "path": "workshops.csv", "line": line, "column": 1}


def summary_empty(f: Filing) -> dict:
    (f.folder / "narrative/summary.md").write_text("\n", encoding="utf-8")
    return {"code": "ICA-E161", "path": "narrative/summary.md", "line": 1, "column": None}


def explanation_unknown_rule(f: Filing) -> dict:
    f.write("explanations.csv", ["code,key,text", "ICA-X999,240111101,The feeder was rebuilt in 2025.", ""])
    return {"code": "ICA-E180", "path": "explanations.csv", "line": 2, "column": 1}


def explanation_for_error(f: Filing) -> dict:
    f.write("explanations.csv", ["code,key,text", "ICA-E104,240111101,The date is right and was checked twice.", ""])
    return {"code": "ICA-E181", "path": "explanations.csv", "line": 2, "column": 1}


def explanation_matches_nothing(f: Filing) -> dict:
    f.write("explanations.csv", ["code,key,text", "ICA-X106,240111101,The feeder has not changed since 2024.", ""])
    return {"code": "ICA-W182", "path": "explanations.csv", "line": 2, "column": 2}


def bad_scenario(f: Filing) -> dict:
    f.set_cell("results.csv", 2, "scenario", "Uniform Generation")
    return {"code": "ICA-E012", "path": "results.csv", "line": 2, "column": 3}


def bad_feeder_id(f: Filing) -> dict:
    f.set_cell("results.csv", 2, "feeder_id", "2401 1101")
    return {"code": "ICA-E013", "path": "results.csv", "line": 2, "column": 1}


DEFECTS: list[tuple[Defect, bool]] = [  # (edit, keeps the hourly profiles)
    (duplicate_section, False),
    (orphan_feeder, False),
    (unknown_feeder_in_results, False),
    (mw_as_kw, False),
    (stale_results, False),
    (metric_disagrees, False),
    (metric_missing, False),
    (text_in_numeric_cell, False),
    (negative_capacity, False),
    (missing_reason, False),
    (reason_on_complete_row, False),
    (value_without_criterion, False),
    (analysis_after_filing, False),
    (missing_scenario, False),
    (feeder_without_results, False),
    (pge_feeder_prefix, False),
    (substation_name_twice, False),
    (missing_hours, True),
    (hourly_without_results, True),
    (hourly_mw_as_kw, True),
    (hourly_blank_row, True),
    (hourly_extra_cell, True),
    (hourly_text_value, True),
    (issue_without_action, False),
    (resolved_without_date, False),
    (completed_without_actual, False),
    (actual_after_filing, False),
    (action_overdue, False),
    (action_slipped, False),
    (resolved_with_open_action, False),
    (workshop_missed, False),
    (cadence_not_in_force, False),
    (held_after_filing, False),
    (scheduled_in_past, False),
    (summary_empty, False),
    (explanation_unknown_rule, False),
    (explanation_for_error, False),
    (explanation_matches_nothing, False),
    (bad_scenario, False),
    (bad_feeder_id, False),
]


def write_valid(folder: Path) -> None:
    write_filing(folder, PLAN)
    (folder / "issues.csv").write_text(ISSUES, encoding="utf-8")
    (folder / "remediation.csv").write_text(ACTIONS, encoding="utf-8")
    (folder / "narrative/summary.md").write_text(
        "SAMPLE fixture: synthetic data.\n\nThe ICA was rerun on every changed circuit.\n", encoding="utf-8"
    )
    stamp_resources(folder)


def main() -> int:
    if FIXTURES.exists():
        shutil.rmtree(FIXTURES)
    valid = FIXTURES / "valid_minimal"
    write_valid(valid)
    manifest = {}
    for defect, keep_hourly in DEFECTS:
        folder = FIXTURES / "defects" / defect.__name__
        shutil.copytree(valid, folder)
        fixture = Filing(folder)
        if not keep_hourly:
            fixture.drop_hourly()
        manifest[defect.__name__] = defect(fixture)
        stamp_resources(folder)
    (FIXTURES / "defects" / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"{len(manifest)} defect fixtures and valid_minimal in {FIXTURES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
