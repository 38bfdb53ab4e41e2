"""Drift against the utility's previous ICA filing (great-expectations on per-feeder summaries)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from gridmod.filing import stamp_resources
from gridmod.validate import validate_filing

from ..conftest import ROOT

DRIFT = {"ICA-W190", "ICA-W191", "ICA-W192", "ICA-W193", "ICA-W194"}


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "validation", tmp_path / "validation")
    for filing in ("ica-2026-h1", "ica-2026-h2"):
        shutil.copytree(ROOT / "data" / "pge" / filing, tmp_path / "data" / "pge" / filing)
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n")
    return tmp_path


def test_sample_has_no_drift(repo: Path) -> None:
    result = validate_filing(repo / "data/pge/ica-2026-h2", repo).result
    assert not [f for f in result.findings if f.code in DRIFT]
    assert not [n for n in result.notes if "Drift" in n]


def test_every_kind_of_drift_is_found(repo: Path) -> None:
    folder = repo / "data/pge/ica-2026-h2"
    frame = pl.read_csv(folder / "results.csv", infer_schema=False)
    number = pl.col("static_kw").cast(pl.Float64)
    gap = (pl.int_range(pl.len()) % 5 == 0) & pl.col("missing_reason").is_null()
    frame = (
        frame.filter(~pl.col("feeder_id").str.ends_with("1104"))  # a quarter of the feeders gone
        .with_columns(
            (number * 0.25).round(1).cast(pl.String).alias("static_kw"),
            pl.when(pl.col("static_criterion").is_not_null()).then(pl.lit("protection")).alias("static_criterion"),
        )
        .with_columns(gap.alias("gap"))
        .with_columns(
            *[
                pl.when(pl.col("gap")).then(None).otherwise(pl.col(c)).alias(c)
                for c in ("static_kw", "static_criterion", "opflex_kw", "opflex_criterion")
            ],
            pl.when(pl.col("gap"))
            .then(pl.lit("study_failed"))
            .otherwise(pl.col("missing_reason"))
            .alias("missing_reason"),
        )
        .drop("gap")
    )
    frame.write_csv(folder / "results.csv", null_value="")
    stamp_resources(folder)
    result = validate_filing(folder, repo).result
    found = {f.code: f for f in result.findings if f.code in DRIFT}
    assert set(found) == DRIFT
    assert all(f.severity == "warning" and f.path.endswith("results.csv") for f in found.values())
    assert "ica-2026-h1" in found["ICA-W190"].message and "(-25 %" in found["ICA-W190"].message
    assert found["ICA-W193"].value == "5"
