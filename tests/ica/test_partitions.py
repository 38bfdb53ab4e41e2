"""The hourly table filed as a dataset folder gives the findings of the same rows filed as one file.

The same planted errors (a row repeated at the end of the table, a slot left out, a cell that is no number,
a line section the results do not have) are filed three ways: one hourly.csv; hive-partitioned Parquet
(hourly/feeder_id=<id>/part-0.parquet, the feeder only in the folder name); and CSV parts cut at arbitrary
rows, so that profiles and even keys span parts. Each part's findings name the part and its own line.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
import yaml

from gridmod.filing import stamp_resources
from gridmod.findings import Finding
from gridmod.validate import validate_filing

from .helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
SLOTS = 576


def _repo(root: Path) -> Path:
    """A repository whose ICA profile 1.0 lets hourly be filed as a dataset folder."""
    shutil.copytree(ROOT / "validation", root / "validation")
    profile = root / "validation/ica-biannual/1.0/profile.yaml"
    meta = yaml.safe_load(profile.read_text(encoding="utf-8"))
    next(t for t in meta["tables"] if t["name"] == "hourly")["dataset"] = "hourly/"
    profile.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    return root


def _hourly() -> pl.DataFrame:
    """Complete profiles for every line section of the fixture's results, in the order a utility writes them,
    with the planted errors."""
    template = pl.read_csv(FIXTURES / "valid_minimal/hourly.csv", infer_schema=False)
    template = template.filter(pl.col("section_id") == "LS100001").drop("feeder_id", "section_id")
    sections = pl.read_csv(FIXTURES / "valid_minimal/results.csv", infer_schema=False).select(
        "feeder_id", "section_id").unique(maintain_order=True)
    frames = [template.with_columns(feeder_id=pl.lit(f), section_id=pl.lit(s)) for f, s in sections.iter_rows()]
    frames.append(template.filter(pl.col("kind") == "generation").with_columns(
        feeder_id=pl.lit(sections["feeder_id"][0]), section_id=pl.lit("LS999999")))  # not in the results
    table = pl.concat(frames).select("feeder_id", "section_id", *template.columns)
    table = table.with_row_index("_row")
    table = table.filter(pl.col("_row") != 5000)  # one slot left out
    table = table.with_columns(pl.when(pl.col("_row") == 7000).then(pl.lit("abc")).otherwise(pl.col("value_kw"))
                               .alias("value_kw"))  # no number
    repeated = table.filter(pl.col("_row") == 1300)  # a key of the first feeder's second section, again at the end
    return pl.concat([table, repeated]).drop("_row")


def _filing(repo: Path, hourly: pl.DataFrame, layout: str) -> Path:
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


def _hourly_findings(folder: Path, repo: Path) -> list[Finding]:
    result = validate_filing(folder, repo).result
    return [f for f in result.findings if "/hourly" in f.path]


def _what(findings: list[Finding]) -> list[tuple[str, str | None, object]]:
    return sorted((f.code, f.key, f.value) for f in findings)


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Finding]]:
    hourly = _hourly()
    found = {}
    for layout in ("file", "hive", "parts"):
        repo = _repo(tmp_path_factory.mktemp(layout))
        found[layout] = _hourly_findings(_filing(repo, hourly, layout), repo)
    return found


def test_one_file_finds_every_planted_error(findings: dict[str, list[Finding]]) -> None:
    found = {(f.code, f.line, f.column) for f in findings["file"]}
    assert found == {("ICA-E121", 4610, 3), ("ICA-E010", 7001, 7), ("ICA-E122", 13825, 2), ("ICA-E015", 14401, 1)}


@pytest.mark.parametrize("layout", ["hive", "parts"])
def test_a_dataset_gives_the_same_findings(findings: dict[str, list[Finding]], layout: str) -> None:
    assert _what(findings[layout]) == _what(findings["file"])
    assert sorted(f.message for f in findings[layout] if f.code != "ICA-E015") == \
        sorted(f.message for f in findings["file"] if f.code != "ICA-E015")


def _where(findings: list[Finding]) -> set[tuple[str, str, int | None]]:
    return {(f.code, f.path.split("/hourly/")[1], f.line) for f in findings}


def test_hive_parts_name_their_file_and_row(findings: dict[str, list[Finding]]) -> None:
    """Each feeder's part holds its rows in order; Parquet findings name the part's 1-based row."""
    assert _where(findings["hive"]) == {
        ("ICA-E122", "feeder_id=240111101/part-0.parquet", 3457),
        ("ICA-E015", "feeder_id=240111101/part-0.parquet", 4033),
        ("ICA-E121", "feeder_id=240111102/part-0.parquet", 1153),
        ("ICA-E010", "feeder_id=240481101/part-0.parquet", 89)}
    duplicate = next(f for f in findings["hive"] if f.code == "ICA-E015")
    assert duplicate.message.endswith("of an earlier row (first on line 1301).")
    # The feeder is in the folder name, not in the file: the file's columns start with section_id.
    assert {(f.code, f.column) for f in findings["hive"]} == {
        ("ICA-E122", 1), ("ICA-E015", None), ("ICA-E121", 2), ("ICA-E010", 6)}


def test_csv_parts_name_their_file_and_line(findings: dict[str, list[Finding]]) -> None:
    """Profiles span the parts, and the repeated key is in another part than the first."""
    assert _where(findings["parts"]) == {
        ("ICA-E121", "part-001.csv", 4610 - 3001), ("ICA-E010", "part-002.csv", 7001 - 2 * 3001),
        ("ICA-E122", "part-004.csv", 13825 - 4 * 3001), ("ICA-E015", "part-004.csv", 14401 - 4 * 3001)}
    duplicate = next(f for f in findings["parts"] if f.code == "ICA-E015")
    assert duplicate.message.endswith(
        "of an earlier row (first on line 1302 of data/pge/ica-2026-h2/hourly/part-000.csv).")
