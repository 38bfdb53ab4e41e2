"""Each utility's native fixture imports into a new 1.1 filing and then validates with no error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gridmod.imports import ImportResult
from tests.imports.helpers import complete, validate

COUNTS = {
    "pge": (
        [
            ("ICA_Feeders.csv", "feeders", 12),
            ("ICA_LineDetail.geojson", "line_details", 216),
            ("ICA_Not_Available.geojson", "not_available", 24),
            ("ProcessedDeltaData_part1.csv", "hourly", 288),
            ("ProcessedDeltaData_part2.csv", "hourly", 288),
        ],
        {
            "substations.csv": 4,
            "feeders.csv": 12,
            "results.parquet": 720,
            "hourly.parquet": 165888,
            "line_sections.parquet": 240,
            "crosswalk.csv": 8,
        },
    ),
    "sce": (
        [
            ("SCE_ICA.gdb (layer Non_3_Phase)", "non_3_phase", 48),
            ("ICA_Circuit_Segments.geojson", "circuit_segments", 228),
            ("SCE_ICA.gdb (layer Unavailable_Circuit_Segments)", "unavailable_segments", 12),
            ("SCE_ICA.gdb (layer Substations)", "substations", 3),
        ],
        {
            "substations.csv": 3,
            "feeders.csv": 12,
            "results.parquet": 720,
            "line_sections.parquet": 240,
            "crosswalk.csv": 15,
        },
    ),
    "sdge": (
        [("ICA_Load_Capacity_Grids.shp", "load_capacity_grids", 180), ("ICA_Substations.csv", "substations", 3)],
        {
            "substations.csv": 3,
            "feeders.csv": 9,
            "results.parquet": 540,
            "line_sections.parquet": 180,
            "crosswalk.csv": 11,
        },
    ),
}


@pytest.mark.parametrize("utility", ["pge", "sce", "sdge"])
def test_summary_counts(imported: dict[str, tuple[Path, ImportResult]], utility: str) -> None:
    _, result = imported[utility]
    sources, tables = COUNTS[utility]
    assert result.ok, result.findings
    assert [(s.file.rsplit("/", 1)[-1], s.source, s.read, s.written, s.refused) for s in result.sources] == [
        (f, s, n, n, 0) for f, s, n in sources
    ]
    assert result.tables == tables


@pytest.mark.parametrize("utility", ["pge", "sce", "sdge"])
def test_imported_filing_validates(
    imported: dict[str, tuple[Path, ImportResult]], ica_root: Path, tmp_path: Path, utility: str
) -> None:
    """The imported tables have no error; with what an import does not fill (metrics, summary, workshops)
    added, the whole filing is valid."""
    import shutil

    folder, _ = imported[utility]
    copy = tmp_path / "data" / utility / folder.name
    shutil.copytree(folder, copy)
    imported_files = set(COUNTS[utility][1])
    result = validate(copy, ica_root)
    on_imported = [
        f for f in result.findings if f.path.rsplit("/", 1)[-1] in imported_files and f.severity in ("error", "explain")
    ]
    assert on_imported == []
    complete(copy)
    result = validate(copy, ica_root)
    assert [f for f in result.findings if f.severity in ("error", "explain")] == []
    assert result.valid


@pytest.mark.parametrize("utility", ["pge", "sce", "sdge"])
def test_descriptor_names_every_imported_file(imported: dict[str, tuple[Path, ImportResult]], utility: str) -> None:
    folder, result = imported[utility]
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"]: r for r in descriptor["resources"]}
    for path in result.tables:
        assert path in paths
        assert paths[path]["bytes"] == (folder / path).stat().st_size
        assert paths[path]["format"] == path.rsplit(".", 1)[-1]
    assert not (folder / "results.csv").exists()  # the scaffold's empty results.csv gave way to results.parquet
    assert not list(folder.parent.glob(".*"))  # no staging copy left behind
