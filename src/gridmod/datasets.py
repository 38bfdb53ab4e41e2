"""A large table filed as a partitioned dataset: a folder of part files instead of one file.

A whole-system hourly ICA table is about 1.5 billion rows, far above the limit of one file, so a profile may
let a large table be filed as a folder (`dataset: hourly/` in profile.yaml), whose parts are all CSV or all
Parquet. Folder names of the form `column=value` (hive partitioning, as polars, pyarrow and Spark write
them: `hourly/feeder_id=012341101/part-0.parquet`) give that column's value to every row below them, so a
part may leave the column out.

In datapackage.json the resource's path is the folder, written with a trailing slash; its `bytes` is the
size of all parts, and its `hash` is the SHA-256 of the dataset's manifest: one line per part, sorted by
path, "<sha256 of the part>  <path relative to the folder>\n" (the format of `sha256sum`), so the hash
commits to each part's content and to its name, which may carry data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

SUFFIXES = (".csv", ".parquet")


def is_dataset(path: str | None) -> bool:
    """Whether a resource path names a dataset folder (it ends with a slash)."""
    return isinstance(path, str) and path.endswith("/")


def dataset_parts(folder: Path) -> list[Path]:
    """Every file below the folder, sorted by relative path (hidden files and links included: the
    validation stage reports them)."""
    return sorted(
        (p for p in folder.rglob("*") if p.is_file() or p.is_symlink()), key=lambda p: p.relative_to(folder).as_posix()
    )


def partition_values(part: Path, folder: Path) -> dict[str, str]:
    """The `column=value` folder names between the dataset folder and the part, as a column → value map."""
    values = {}
    for name in PurePosixPath(part.relative_to(folder).as_posix()).parts[:-1]:
        column, sign, value = name.partition("=")
        if sign and column:
            values[unquote(column)] = unquote(value)
    return values


def manifest_digest(entries: Iterable[tuple[str, str]]) -> str:
    """`sha256:<hex>` of the manifest of (relative path, `sha256:<hex>` of the part) entries."""
    digest = hashlib.sha256()
    for relative, part_digest in sorted(entries):
        digest.update(f"{part_digest.removeprefix('sha256:')}  {relative}\n".encode())
    return f"sha256:{digest.hexdigest()}"
