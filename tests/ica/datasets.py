"""The planted-error hourly table of tests/ica, filed as one file or as a dataset folder (hive-partitioned
Parquet, or CSV parts cut across profiles and keys), in a repository whose ICA profile 1.0 allows datasets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import yaml

from gridmod.filing import stamp_resources

from .helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def dataset_repo(root: Path) -> Path:
    """A repository whose ICA profile 1.0 lets hourly be filed as a dataset folder."""
    shutil.copytree(ROOT / "validation", root / "validation")
    profile = root / "validation/ica-biannual/1.0/profile.yaml"
    meta = yaml.safe_load(profile.read_text(encoding="utf-8"))
    next(t for t in meta["tables"] if t["name"] == "hourly")["dataset"] = "hourly/"
    profile.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    return root


def planted_hourly() -> pl.DataFrame:
    """Complete profiles for every line section of the fixture's results, in the order a utility writes them,
    with the planted errors."""
    template = pl.read_csv(FIXTURES / "valid_minimal/hourly.csv", infer_schema=False)
    template = template.filter(pl.col("section_id") == "LS100001").drop("feeder_id", "section_id")
    sections = (
        pl.read_csv(FIXTURES / "valid_minimal/results.csv", infer_schema=False)
        .select("feeder_id", "section_id")
        .unique(maintain_order=True)
    )
    frames = [template.with_columns(feeder_id=pl.lit(f), section_id=pl.lit(s)) for f, s in sections.iter_rows()]
    frames.append(
        template.filter(pl.col("kind") == "generation").with_columns(
            feeder_id=pl.lit(sections["feeder_id"][0]), section_id=pl.lit("LS999999")
        )
    )  # not in the results
    table = pl.concat(frames).select("feeder_id", "section_id", *template.columns)
    table = table.with_row_index("_row")
    table = table.filter(pl.col("_row") != 5000)  # one slot left out
    table = table.with_columns(
        pl.when(pl.col("_row") == 7000).then(pl.lit("abc")).otherwise(pl.col("value_kw")).alias("value_kw")
    )  # no number
    repeated = table.filter(pl.col("_row") == 1300)  # a key of the first feeder's second section, again at the end
    return pl.concat([table, repeated]).drop("_row")


def hourly_filing(repo: Path, hourly: pl.DataFrame, layout: str) -> Path:
    folder = repo / "data/pge/ica-2026-h2"
    shutil.copytree(FIXTURES / "valid_minimal", folder)
    (folder / "hourly.csv").unlink()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "hourly")
    if layout == "file":
        hourly.write_csv(folder / "hourly.csv")
    elif layout == "hive":
        resource.update(path="hourly/", format="parquet", mediatype="application/vnd.apache.parquet")
        resource.pop("encoding", None)
        for (feeder,), frame in hourly.group_by("feeder_id", maintain_order=True):
            (folder / f"hourly/feeder_id={feeder}").mkdir(parents=True)
            frame.drop("feeder_id").write_parquet(folder / f"hourly/feeder_id={feeder}/part-0.parquet")
    else:  # CSV parts cut every 3,001 rows: across profiles and keys
        resource["path"] = "hourly/"
        (folder / "hourly").mkdir()
        for number, start in enumerate(range(0, hourly.height, 3001)):
            hourly.slice(start, 3001).write_csv(folder / f"hourly/part-{number:03d}.csv")
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    stamp_resources(folder)
    return folder
