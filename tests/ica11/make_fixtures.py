"""Write the fixtures of profile ica-biannual 1.1: a minimal valid filing and one filing per 1.1 defect.

    python -m tests.ica11.make_fixtures

The valid filing is the 1.0 fixture (tests/ica/fixtures/valid_minimal) migrated by `gridmod migrate`, then
given what 1.0 had no place for: substation locations and generation, feeder DG and customers, a reverse-flow
criterion, line_sections.parquet with a route for every section (synthetic lines near two California towns)
and a crosswalk. Each defect is one edit of it; manifest.json records the findings it must give (code, file,
line or Parquet row, column). Everything here is synthetic.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from gridmod.filing import stamp_resources
from gridmod.migrate import migrate_filing

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = HERE / "fixtures"
SOURCE = ROOT / "tests" / "ica" / "fixtures" / "valid_minimal"
# Where each substation's feeders run (WGS 84): Fresno and San Mateo.
TOWNS = {"24011": (-119.7871, 36.7378), "24048": (-122.3255, 37.5630)}
GEO = {
    "version": "1.1.0",
    "primary_column": "geometry",
    "columns": {
        "geometry": {"encoding": "WKB", "geometry_types": ["LineString", "MultiLineString"], "crs": "OGC:CRS84"}
    },
}
SCHEMA = pa.schema(
    [
        ("feeder_id", pa.string()),
        ("section_id", pa.string()),
        ("native_id", pa.string()),
        ("phase_count", pa.int64()),
        ("voltage_kv", pa.float64()),
        ("geometry", pa.binary()),
    ],
    metadata={b"geo": json.dumps(GEO).encode()},
)


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def sections(folder: Path) -> list[dict]:
    """One line section per (feeder, section) of the results, in their order, each a short line near its town."""
    _, results = read_rows(folder / "results.csv")
    _, feeders = read_rows(folder / "feeders.csv")
    substation = {f["feeder_id"]: f["substation_id"] for f in feeders}
    seen: dict[tuple[str, str], None] = {}
    for row in results:
        seen.setdefault((row["feeder_id"], row["section_id"]), None)
    out = []
    for number, (feeder, section) in enumerate(seen):
        x, y = TOWNS[substation[feeder]]
        x, y = x + 0.01 * (int(feeder[-1]) - 1) + 0.002 * (number % 3), y + 0.002 * (number % 3)
        line = shapely.LineString([(x, y), (x + 0.0015, y + 0.001), (x + 0.003, y + 0.0012)])
        out.append(
            {
                "feeder_id": feeder,
                "section_id": section,
                "native_id": section,
                "phase_count": 3 - number % 2,
                "voltage_kv": 12.47,
                "geometry": shapely.to_wkb(line),
            }
        )
    return out


def write_sections(folder: Path, rows: list[dict]) -> None:
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    pq.write_table(table, folder / "line_sections.parquet", compression="zstd")


def add_resources(folder: Path) -> None:
    path = folder / "datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["resources"] += [
        {
            "name": "line_sections",
            "path": "line_sections.parquet",
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "schema": "schemas/line_sections.json",
        },
        {
            "name": "forecast_results",
            "path": "forecast_results.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": "schemas/forecast_results.json",
        },
        {
            "name": "crosswalk",
            "path": "crosswalk.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": "schemas/crosswalk.json",
        },
    ]
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_forecast(folder: Path) -> None:
    """forecast_results.csv: the first four line sections' results again for 2027 (values 10 % lower) and 2030
    (40 % lower), synthetic."""
    header, rows = read_rows(folder / "results.csv")
    out = []
    for year, factor in ((2027, 0.9), (2030, 0.6)):
        for row in rows[:12]:
            scaled = dict(row, forecast_year=str(year))
            for name in ("static_kw", "opflex_kw"):
                if row[name]:
                    scaled[name] = f"{float(row[name]) * factor:.1f}"
            out.append(scaled)
    write_rows(folder / "forecast_results.csv", [*header[:3], "forecast_year", *header[3:]], out)


def write_valid(folder: Path) -> None:
    shutil.copytree(SOURCE, folder)
    migrate_filing(folder, ROOT, "1.1")
    header, substations = read_rows(folder / "substations.csv")
    for row in substations:
        x, y = TOWNS[row["substation_id"]]
        row.update(
            longitude=f"{x}", latitude=f"{y}", existing_gen_kw="12400", queued_gen_kw="3100", total_gen_kw="15500"
        )
    write_rows(folder / "substations.csv", header, substations)
    header, feeders = read_rows(folder / "feeders.csv")
    for number, row in enumerate(feeders):
        counts = [1200 + 10 * number, 140, 6, 30 + number, 4]
        row.update(
            existing_dg_kw=f"{2100 + 100 * number}",
            queued_dg_kw="450",
            total_dg_kw=f"{2550 + 100 * number}",
            customers_residential=str(counts[0]),
            customers_commercial=str(counts[1]),
            customers_industrial=str(counts[2]),
            customers_agricultural=str(counts[3]),
            customers_other=str(counts[4]),
            customers_total=str(sum(counts)),
            load_profile="redacted" if number == 3 else "available",
        )
    write_rows(folder / "feeders.csv", header, feeders)
    results = folder / "results.csv"
    lines = results.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",355.7,steady_state_voltage,", ",355.7,reverse_flow,")
    results.write_text("\n".join(lines), encoding="utf-8")
    write_sections(folder, sections(folder))
    write_forecast(folder)
    (folder / "crosswalk.csv").write_text(
        "kind,native_key,id\nsubstation,WILLOW CREEK,24011\nsubstation,FERN POINT,24048\n"
        "feeder,WILLOW CREEK 1101,240111101\n",
        encoding="utf-8",
    )
    add_resources(folder)
    stamp_resources(folder)


Expected = list[dict]


def at(code: str, path: str, line: int | None, column: int | None) -> dict:
    return {"code": code, "path": path, "line": line, "column": column}


def drop_line_sections(folder: Path) -> None:
    """Leave the optional line sections out, where a defect is about the small tables alone."""
    path = folder / "datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["resources"] = [r for r in data["resources"] if r["name"] != "line_sections"]
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "line_sections.parquet").unlink()


def pge_feeder_id_lost_its_zero(folder: Path) -> Expected:
    """Feeder 240481102 written as 40481102 everywhere (as if it had been 040481102): ICA-E111 in both tables."""
    drop_line_sections(folder)
    for name in ("feeders.csv", "results.csv"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace("240481102", "40481102"), encoding="utf-8")
    _, results = read_rows(folder / "results.csv")
    first = next(i for i, r in enumerate(results) if r["feeder_id"] == "40481102") + 2
    return [at("ICA-E111", "feeders.csv", 5, 1), at("ICA-E111", "results.csv", first, 1)]


def substation_with_one_coordinate(folder: Path) -> Expected:
    drop_line_sections(folder)
    header, rows = read_rows(folder / "substations.csv")
    rows[1]["latitude"] = ""
    write_rows(folder / "substations.csv", header, rows)
    return [at("ICA-E112", "substations.csv", 3, header.index("longitude") + 1)]


def crosswalk_id_twice(folder: Path) -> Expected:
    drop_line_sections(folder)
    path = folder / "crosswalk.csv"
    path.write_text(path.read_text(encoding="utf-8") + "feeder,Willow Creek 1101,240111101\n", encoding="utf-8")
    return [at("ICA-E113", "crosswalk.csv", 5, 3)]


def _edit_section(folder: Path, index: int, **changes: object) -> None:
    rows = sections(folder)
    rows[index].update(changes)
    write_sections(folder, rows)


def geometry_not_a_line(folder: Path) -> Expected:
    _edit_section(folder, 4, geometry=shapely.to_wkb(shapely.Point(-119.78, 36.74)))
    return [at("ICA-E171", "line_sections.parquet", 5, 6)]


def geometry_not_wkb(folder: Path) -> Expected:
    _edit_section(folder, 2, geometry=b"LINESTRING (-119.78 36.74, -119.77 36.75)")
    return [at("ICA-E171", "line_sections.parquet", 3, 6)]


def geometry_missing(folder: Path) -> Expected:
    _edit_section(folder, 1, geometry=None)
    return [at("ICA-E171", "line_sections.parquet", 2, 6)]


def geometry_not_valid(folder: Path) -> Expected:
    _edit_section(folder, 7, geometry=shapely.to_wkb(shapely.LineString([(-122.3, 37.5), (-122.3, 37.5)])))
    return [at("ICA-E171", "line_sections.parquet", 8, 6)]


def geometry_latitude_first(folder: Path) -> Expected:
    _edit_section(folder, 9, geometry=shapely.to_wkb(shapely.LineString([(37.56, -122.32), (37.57, -122.31)])))
    return [at("ICA-E172", "line_sections.parquet", 10, 6)]


def section_far_from_its_feeder(folder: Path) -> Expected:
    # Section 4 of the first substation's second feeder, 2 degrees (about 180 km) east of its feeder.
    rows = sections(folder)
    line = shapely.from_wkb(rows[3]["geometry"])
    rows[3]["geometry"] = shapely.to_wkb(shapely.transform(line, lambda c: c + [2.0, 0.0]))
    write_sections(folder, rows)
    return [at("ICA-W173", "line_sections.parquet", 4, 6)]


def line_section_twice(folder: Path) -> Expected:
    rows = sections(folder)
    rows[5] = dict(rows[4])
    write_sections(folder, rows)
    return [at("ICA-E015", "line_sections.parquet", 6, 1)]


def line_section_without_results(folder: Path) -> Expected:
    _edit_section(folder, 6, section_id="LS999999", native_id="LS999999")
    return [at("ICA-E016", "line_sections.parquet", 7, 2)]


def hourly_profile_in_scope_missing(folder: Path) -> Expected:
    """LS100002 gets a value in every result row, so it needs hourly profiles of both kinds; hourly has none."""
    header, rows = read_rows(folder / "results.csv")
    for row in rows:
        if row["section_id"] == "LS100002" and row["scenario"] == "uniform_load":
            row.update(opflex_kw="1875.0", opflex_criterion="thermal", missing_reason="")
    write_rows(folder / "results.csv", header, rows)
    header, metrics = read_rows(folder / "quality_metrics.csv")
    for row in metrics:  # one missing value fewer: 11 of 36 result rows
        if row["metric"] == "missing_not_applicable_pct":
            row["value"] = "30.56"
    write_rows(folder / "quality_metrics.csv", header, metrics)
    return [at("ICA-E124", "hourly.csv", None, None)]


def _edit_forecast(folder: Path, index: int, **changes: str) -> None:
    header, rows = read_rows(folder / "forecast_results.csv")
    rows[index].update(changes)
    write_rows(folder / "forecast_results.csv", header, rows)


def forecast_key_twice(folder: Path) -> Expected:
    """The second row's section, scenario and year again at the end."""
    header, rows = read_rows(folder / "forecast_results.csv")
    write_rows(folder / "forecast_results.csv", header, [*rows, rows[1]])
    return [at("ICA-E015", "forecast_results.csv", len(rows) + 2, 1)]


def forecast_year_not_ahead(folder: Path) -> Expected:
    """A forecast for 2026, the year the reporting period ends."""
    _edit_forecast(folder, 2, forecast_year="2026")
    return [at("ICA-E125", "forecast_results.csv", 4, 4)]


def forecast_section_without_results(folder: Path) -> Expected:
    _edit_forecast(folder, 4, section_id="LS999999")
    return [at("ICA-E016", "forecast_results.csv", 6, 2)]


def forecast_value_without_reason(folder: Path) -> Expected:
    """A forecast row with an empty static_kw and no missing_reason: the results' row rules, at this table's
    columns."""
    _edit_forecast(folder, 0, static_kw="")
    return [at("ICA-E101", "forecast_results.csv", 2, 5)]


DEFECTS: list[Callable[[Path], Expected]] = [
    pge_feeder_id_lost_its_zero,
    substation_with_one_coordinate,
    crosswalk_id_twice,
    geometry_not_a_line,
    geometry_not_wkb,
    geometry_missing,
    geometry_not_valid,
    geometry_latitude_first,
    section_far_from_its_feeder,
    line_section_twice,
    line_section_without_results,
    hourly_profile_in_scope_missing,
    forecast_key_twice,
    forecast_year_not_ahead,
    forecast_section_without_results,
    forecast_value_without_reason,
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
