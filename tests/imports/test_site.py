"""An imported filing builds, and its line sections reach the site's downloads in WGS 84."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gridmod.build import build
from gridmod.imports import import_ica
from tests.conftest import repo_copy
from tests.imports.helpers import complete, native, new_ica_filing


@pytest.mark.usefixtures("ica_root")
def test_imported_geometry_reaches_the_site_download(tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    folder = new_ica_filing(root, "sdge", "ica-2027-h1")
    assert import_ica("sdge", native("sdge"), folder, root).ok
    complete(folder)
    result = build(root)
    assert result.published, [f.message for p in result.report.packages for f in p.findings if f.is_open]
    parquet = list((root / "site").rglob("sdge-ica-2027-h1-line-sections.parquet"))
    assert len(parquet) == 1 and parquet[0].read_bytes() == (folder / "line_sections.parquet").read_bytes()
    geojson = next((root / "site").rglob("sdge-ica-2027-h1-line-sections.geojson"))
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    assert len(features) == 180
    first = features[0]
    assert first["properties"]["feeder_id"] == "MISSION_001" and first["properties"]["native_id"] == "1007"
    assert first["geometry"]["type"] == "LineString"
    lon, lat = first["geometry"]["coordinates"][0]
    assert (lon, lat) == pytest.approx((-117.15, 32.77))
