"""The real migration of ica-biannual 1.0 to 1.1 (validation/ica-biannual/1.1/migration.yaml) on a copy of a
shipped 1.0 sample: the words the filer reads, a filing that then validates with no error and builds beside
the 1.0 samples, whose outputs stay as they were; with line sections filed, their geometry reaches the ICA
utility page's downloads."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gridmod.build import build
from gridmod.filing import stamp_resources
from gridmod.migrate.plan import load_migration
from gridmod.validate import validate_filing
from tests.filer.filerfixtures import gridmod

from ..conftest import ROOT, repo_copy
from .make_fixtures import SCHEMA

FILING = "data/pge/ica-2026-h2"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = repo_copy(tmp_path / "repo")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GRIDMOD_ROOT", str(root))
    return root


def test_the_migration_accounts_for_every_field_of_11() -> None:
    migration = load_migration(ROOT, "ica-biannual", "1.1")
    assert (migration.old.version, migration.new.version) == ("1.0", "1.1")
    assert set(migration.new_tables) == {"line_sections", "crosswalk", "forecast_results"}


def test_a_10_sample_migrates_validates_and_builds_beside_the_others(repo: Path) -> None:
    run = gridmod("migrate", FILING, "--to", "1.1")
    assert run.exit_code == 0, run.output
    assert run.output == (
        "Migrated data/pge/ica-2026-h2 from ica-biannual 1.0 to 1.1.\n"
        "  rewrote substations.csv\n"
        "  rewrote feeders.csv\n"
        "  recorded the new sizes and hashes in datapackage.json\n"
        "Still to fill:\n"
        "  substations.csv: longitude and latitude of each substation (WGS 84 degrees, optional) — not in 1.0\n"
        "  substations.csv: existing, queued and total generation of each substation in kW (optional) — not in 1.0\n"
        "  feeders.csv: existing, queued and total distributed generation of each feeder in kW (optional) — not in 1.0\n"
        "  feeders.csv: customers of each feeder by class, and in total (optional) — not in 1.0\n"
        "  feeders.csv: whether each feeder's load profile is available or redacted (optional) — not in 1.0\n"
        "  line_sections.parquet: geometry of each line section (GeoParquet, WGS 84), with its native ID, phases and "
        "voltage — not in 1.0\n"
        "  crosswalk.csv: the utility's native keys (names with spaces, several key parts) and the IDs used for "
        "them, where they differ (optional) — not in 1.0\n"
        "  forecast_results.csv: hosting capacity per line section, scenario and forecast year, where the utility "
        "studies future years (optional) — not in 1.0\n"
        "Check it with `gridmod validate data/pge/ica-2026-h2`.\n"
    )
    # The tables the migration did not need to touch are the sample's own bytes.
    for name in ("results.csv", "hourly.csv", "remediation.csv"):
        assert (repo / FILING / name).read_bytes() == (ROOT / FILING / name).read_bytes()
    result = validate_filing(repo / FILING, repo).result
    assert (result.version, [f for f in result.findings if f.severity == "error"]) == ("1.1", [])
    built = build(repo)
    assert built.published, built.report.to_dict()
    assert {p.version for p in built.report.packages if "/ica-" in p.path} == {"1.0", "1.1"}
    assert (repo / "reports" / "ica-2026-h2" / "pge.pdf").is_file()
    assert (repo / "site" / "data-dictionary" / "ica-biannual-1.1" / "index.html").is_file()
    assert (repo / "site" / "rules" / "ica-w173" / "index.html").is_file()


def test_line_sections_and_feeder_facts_reach_the_site(repo: Path) -> None:
    """The migrated sample, given line sections and feeder facts, publishes them: the feeder table and
    ica-feeders.csv gain DG and customers, the utility page offers the geometry as GeoParquet and GeoJSON."""
    assert gridmod("migrate", FILING, "--to", "1.1").exit_code == 0
    folder = repo / FILING
    feeders = (folder / "feeders.csv").read_text(encoding="utf-8").splitlines()
    feeders[1:] = [line[: -len(",,,,,,,,,,")] + ",2100,450,2550,1200,140,6,30,4,1380,available" for line in feeders[1:]]
    (folder / "feeders.csv").write_text("\n".join(feeders) + "\n", encoding="utf-8")
    _write_sections(folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append(
        {
            "name": "line_sections",
            "path": "line_sections.parquet",
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
        }
    )
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    stamp_resources(folder)
    result = validate_filing(folder, repo, ("structure", "content")).result
    assert [f for f in result.findings if f.severity == "error"] == []
    built = build(repo)
    assert built.published, built.report.to_dict()
    site = repo / "site" / "ica"
    csv_header = (site / "downloads" / "ica-feeders.csv").read_text(encoding="utf-8").splitlines()[0]
    assert csv_header.endswith(
        ",existing_dg_kw,queued_dg_kw,total_dg_kw,customers_residential,customers_commercial,"
        "customers_industrial,customers_agricultural,customers_other,customers_total,"
        "load_profile"
    )
    table = (site / "feeders" / "index.html").read_text(encoding="utf-8")
    assert "Existing DG kW" in table and "1,380" in table
    qmd = (repo / "reports" / "ica-2026-h2" / "pge.qmd").read_text(encoding="utf-8")
    sections = pq.read_table(folder / "line_sections.parquet")
    assert f"| Line sections with a route (line_sections.parquet) | {sections.num_rows:,} |" in qmd
    page = (site / "pge" / "index.html").read_text(encoding="utf-8")
    assert f"({sections.num_rows:,} with a route)" in page
    assert "pge-ica-2026-h2-line-sections.parquet" in page and "pge-ica-2026-h2-line-sections.geojson" in page
    geojson = json.loads((site / "downloads" / "pge-ica-2026-h2-line-sections.geojson").read_text(encoding="utf-8"))
    assert len(geojson["features"]) == sections.num_rows
    first = geojson["features"][0]
    assert first["geometry"]["type"] == "LineString"
    assert first["properties"]["feeder_id"] == sections.column("feeder_id")[0].as_py()


def _write_sections(folder: Path) -> None:
    """A route for every line section of the sample's results (synthetic lines in California)."""
    import csv

    import pyarrow as pa
    import shapely

    with (folder / "results.csv").open(encoding="utf-8") as handle:
        keys = list(dict.fromkeys((r["feeder_id"], r["section_id"]) for r in csv.DictReader(handle)))
    rows = []
    for number, (feeder, section) in enumerate(keys):
        x, y = -121.9 + 0.01 * (int(feeder[-2:]) % 7), 37.3 + 0.001 * (number % 10)
        rows.append(
            {
                "feeder_id": feeder,
                "section_id": section,
                "native_id": section,
                "phase_count": 3,
                "voltage_kv": 12.0,
                "geometry": shapely.to_wkb(shapely.LineString([(x, y), (x + 0.001, y)])),
            }
        )
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), folder / "line_sections.parquet")


def test_the_10_samples_are_untouched_by_11() -> None:
    """The shipped samples stay 1.0."""
    for descriptor in sorted((ROOT / "data").glob("*/ica-*/datapackage.json")):
        assert json.loads(descriptor.read_text(encoding="utf-8"))["gridmod"]["profile_version"] == "1.0"
