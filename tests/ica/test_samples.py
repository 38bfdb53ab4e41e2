"""The SAMPLE ICA filings under data/ validate without errors, in both table formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gridmod.validate import validate_filing

from ..conftest import ROOT
from .helpers import FIXTURES

SAMPLES = sorted((ROOT / "data").glob("*/ica-*"))


def test_every_utility_has_a_sample_and_pge_an_earlier_half_year() -> None:
    assert {p.parent.name for p in SAMPLES} == {"pge", "sce", "sdge"}
    assert {p.name for p in SAMPLES if p.parent.name == "pge"} == {"ica-2026-h1", "ica-2026-h2"}


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_is_valid_and_marked(folder: Path, root: Path) -> None:
    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert descriptor["gridmod"]["is_sample"] is True and "SAMPLE" in descriptor["title"]
    result = validate_filing(folder, root).result
    assert result.counts()["error"] == 0 and result.counts()["explain"] == 0, [f.message for f in result.findings]
    assert result.valid


def test_large_tables_in_either_format() -> None:
    formats = {p.parent.name: json.loads((p / "datapackage.json").read_text()) for p in SAMPLES if "h2" in p.name}
    paths = {u: {r["name"]: r["path"] for r in d["resources"]} for u, d in formats.items()}
    assert paths["sce"]["results"] == "results.parquet" and paths["pge"]["results"] == "results.csv"
    assert paths["pge"]["hourly"] == "hourly.csv"


def test_findings_beyond_the_limit_are_counted_in_a_note(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "validation", tmp_path / "validation")
    profile = tmp_path / "validation/ica-biannual/1.0/profile.yaml"
    profile.write_text(profile.read_text().replace("max_findings_per_rule: 10000", "max_findings_per_rule: 10"))
    folder = tmp_path / "filing"
    shutil.copytree(FIXTURES / "valid_minimal", folder)
    hourly = folder / "hourly.csv"
    lines = hourly.read_text().split("\n")
    lines[1:41] = [",".join([*line.split(",")[:6], "n/a", line.split(",")[7]]) for line in lines[1:41]]
    hourly.write_text("\n".join(lines))
    from gridmod.filing import stamp_resources

    stamp_resources(folder)
    result = validate_filing(folder, tmp_path).result
    assert len([f for f in result.findings if f.code == "ICA-E010"]) == 10
    assert any(n.startswith("30 more ICA-E010 findings in filing/hourly.csv") for n in result.notes), result.notes
