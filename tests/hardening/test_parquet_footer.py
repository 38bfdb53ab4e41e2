"""A Parquet file is judged by its footer before anything reads it: one that packs millions of rows into a
few kilobytes (a decompression bomb) or whose footer does not read is a located error, found in seconds."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polars as pl

from ..conftest import repo_copy

FILING = "data/sce/ica-2026-h2"


def _validate(root: Path) -> str:
    subprocess.run(["gridmod", "stamp", FILING], cwd=root, check=True, capture_output=True)
    done = subprocess.run(["gridmod", "validate", FILING, "--quick"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout
    return done.stdout


def test_a_parquet_bomb_is_refused_from_its_footer(tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    results = root / FILING / "results.parquet"
    sample = pl.read_parquet(results)
    bomb = sample.head(1).select(pl.all().repeat_by(20_000_000).explode())  # one row, twenty million times
    bomb.write_parquet(results, compression="zstd")
    size = results.stat().st_size
    assert size < 2_000_000
    out = _validate(root)
    assert (
        f"{FILING}/results.parquet: error ICA-E059: results.parquet holds 20,000,000 rows in {size:,} bytes, "
        "more than 20 rows a byte: it is refused as a decompression bomb."
    ) in out
    # What the footer refuses is never read (reading this one took minutes and gigabytes).
    assert "Content checks of results.parquet skipped: its structure has errors." in out


def test_a_parquet_file_whose_footer_does_not_read_is_an_error(tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    results = root / FILING / "results.parquet"
    results.write_bytes(results.read_bytes()[:-20] + b"\0" * 20)
    out = _validate(root)
    assert f"{FILING}/results.parquet: error ICA-E059: results.parquet is not a Parquet file whose footer" in out
