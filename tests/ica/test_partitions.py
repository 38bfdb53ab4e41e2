"""The hourly table filed as a dataset folder gives the findings of the same rows filed as one file.

The same planted errors (a row repeated at the end of the table, a slot left out, a cell that is no number,
a line section the results do not have) are filed three ways: one hourly.csv; hive-partitioned Parquet
(hourly/feeder_id=<id>/part-0.parquet, the feeder only in the folder name); and CSV parts cut at arbitrary
rows, so that profiles and even keys span parts. Each part's findings name the part and its own line.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from gridmod.findings import Finding
from gridmod.validate import validate_filing

from .datasets import dataset_repo, hourly_filing, planted_hourly


def _hourly_findings(folder: Path, repo: Path) -> list[Finding]:
    result = validate_filing(folder, repo).result
    return [f for f in result.findings if "/hourly" in f.path]


def _what(findings: list[Finding]) -> list[tuple[str, str | None, object]]:
    return sorted((f.code, f.key, f.value) for f in findings)


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Finding]]:
    hourly = planted_hourly()
    found = {}
    for layout in ("file", "hive", "parts"):
        repo = dataset_repo(tmp_path_factory.mktemp(layout))
        found[layout] = _hourly_findings(hourly_filing(repo, hourly, layout), repo)
    return found


def test_one_file_finds_every_planted_error(findings: dict[str, list[Finding]]) -> None:
    found = {(f.code, f.line, f.column) for f in findings["file"]}
    assert found == {("ICA-E121", 4610, 3), ("ICA-E010", 7001, 7), ("ICA-E122", 13825, 2), ("ICA-E015", 14401, 1)}


@pytest.mark.parametrize("layout", ["hive", "parts"])
def test_a_dataset_gives_the_same_findings(findings: dict[str, list[Finding]], layout: str) -> None:
    assert _what(findings[layout]) == _what(findings["file"])
    assert sorted(f.message for f in findings[layout] if f.code != "ICA-E015") == sorted(
        f.message for f in findings["file"] if f.code != "ICA-E015"
    )


def _where(findings: list[Finding]) -> set[tuple[str, str, int | None]]:
    return {(f.code, f.path.split("/hourly/")[1], f.line) for f in findings}


def test_hive_parts_name_their_file_and_row(findings: dict[str, list[Finding]]) -> None:
    """Each feeder's part holds its rows in order; Parquet findings name the part's 1-based row."""
    assert _where(findings["hive"]) == {
        ("ICA-E122", "feeder_id=240111101/part-0.parquet", 3457),
        ("ICA-E015", "feeder_id=240111101/part-0.parquet", 4033),
        ("ICA-E121", "feeder_id=240111102/part-0.parquet", 1153),
        ("ICA-E010", "feeder_id=240481101/part-0.parquet", 89),
    }
    duplicate = next(f for f in findings["hive"] if f.code == "ICA-E015")
    assert duplicate.message.endswith("of an earlier row (first on line 1301).")
    # The feeder is in the folder name, not in the file: the file's columns start with section_id.
    assert {(f.code, f.column) for f in findings["hive"]} == {
        ("ICA-E122", 1),
        ("ICA-E015", None),
        ("ICA-E121", 2),
        ("ICA-E010", 6),
    }


def test_csv_parts_name_their_file_and_line(findings: dict[str, list[Finding]]) -> None:
    """Profiles span the parts, and the repeated key is in another part than the first."""
    assert _where(findings["parts"]) == {
        ("ICA-E121", "part-001.csv", 4610 - 3001),
        ("ICA-E010", "part-002.csv", 7001 - 2 * 3001),
        ("ICA-E122", "part-004.csv", 13825 - 4 * 3001),
        ("ICA-E015", "part-004.csv", 14401 - 4 * 3001),
    }
    duplicate = next(f for f in findings["parts"] if f.code == "ICA-E015")
    assert duplicate.message.endswith(
        "of an earlier row (first on line 1302 of data/pge/ica-2026-h2/hourly/part-000.csv)."
    )


def test_parts_named_like_globs_are_read_as_themselves(tmp_path: Path, findings: dict[str, list[Finding]]) -> None:
    """polars reads [, ], {, } and * in a path as a glob: part[000]{x}.csv matched no file and its rows were
    silently not checked. Each part is read as the file it is."""
    from gridmod.filing import stamp_resources

    repo = dataset_repo(tmp_path)
    folder = hourly_filing(repo, planted_hourly(), "parts")
    for part in sorted((folder / "hourly").glob("part-*.csv")):
        part.rename(part.with_name(part.name.replace("part-", "part[").replace(".csv", "]{x}.csv")))
    stamp_resources(folder)
    renamed = _hourly_findings(folder, repo)
    assert _what(renamed) == _what(findings["parts"])
    assert {f.path.rsplit("/", 1)[-1] for f in renamed} == {"part[001]{x}.csv", "part[002]{x}.csv", "part[004]{x}.csv"}


def _hive_keeping_the_column(repo: Path, kind: str) -> Path:
    """The planted table in hive folders whose parts also keep feeder_id; row 3 of the first feeder's part
    names the second feeder."""
    import json
    import shutil

    from gridmod.filing import stamp_resources

    folder = hourly_filing(repo, planted_hourly(), "hive")
    feeders = sorted(p for p in (folder / "hourly").iterdir())
    shutil.rmtree(folder / "hourly")
    hourly = planted_hourly()
    for (feeder,), frame in hourly.group_by("feeder_id", maintain_order=True):
        part = folder / f"hourly/feeder_id={feeder}/part-0.{kind}"
        part.parent.mkdir(parents=True)
        if feeder == feeders[0].name.split("=", 1)[1]:
            other = feeders[1].name.split("=", 1)[1]
            frame = frame.with_row_index().with_columns(
                feeder_id=pl.when(pl.col("index") == 2).then(pl.lit(other)).otherwise(pl.col("feeder_id"))
            )
            frame = frame.drop("index")
        frame.write_parquet(part) if kind == "parquet" else frame.write_csv(part)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "hourly")
    if kind == "csv":
        resource.update(format="csv", mediatype="text/csv", encoding="utf-8")
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    stamp_resources(folder)
    return folder


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_a_row_whose_value_differs_from_its_folder_name_is_found(
    tmp_path: Path, findings: dict[str, list[Finding]], kind: str
) -> None:
    """A part below hourly/feeder_id=X/ that keeps its feeder_id column must hold X in it (E064, at the row and
    column)."""
    repo = dataset_repo(tmp_path)
    folder = _hive_keeping_the_column(repo, kind)
    found = _hourly_findings(folder, repo)
    e064 = [f for f in found if f.code == "ICA-E064"]
    feeder = sorted(p.name for p in (folder / "hourly").iterdir())[0]
    assert [(f.path.split("/hourly/", 1)[1], f.line, f.column, f.field) for f in e064] == [
        (f"{feeder}/part-0.{kind}", 3 if kind == "parquet" else 4, 1, "feeder_id")  # Parquet: row 3, no header
    ]
    other = sorted(p.name for p in (folder / "hourly").iterdir())[1].split("=", 1)[1]
    assert e064[0].message == (
        f"This row's feeder_id is '{other}', but the row is in the folder {feeder}, which gives every row in it "
        f"the feeder_id '{feeder.split('=', 1)[1]}'."
    )
