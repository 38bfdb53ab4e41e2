"""Writing the imported tables: a staging copy of the filing, moved into place only when complete.

Large tables go to Parquet as their batches arrive (line_sections as GeoParquet: WKB geometry in WGS 84,
OGC:CRS84), small ones to CSV at the end. datapackage.json is updated to the files written and stamped
(bytes and sha256) in the staging copy; then the staging copy replaces the filing in two renames, so a
failure at any point leaves the filing as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from gridmod.filing import DESCRIPTOR, stamp_resources

ARROW: dict[str, pa.DataType] = {
    "string": pa.string(),
    "number": pa.float64(),
    "integer": pa.int64(),
    "date": pa.date32(),
    "geometry": pa.binary(),
    "boolean": pa.bool_(),
}
MEDIA = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


def arrow_schema(schema: dict[str, Any]) -> pa.Schema:
    fields = [pa.field(f["name"], ARROW.get(f.get("type", "string"), pa.string())) for f in schema["fields"]]
    geometry = [f["name"] for f in schema["fields"] if f.get("type") == "geometry"]
    if not geometry:
        return pa.schema(fields)
    geo = {
        "version": "1.1.0",
        "primary_column": geometry[0],
        "columns": {
            name: {"encoding": "WKB", "geometry_types": ["LineString", "MultiLineString"]} for name in geometry
        },
    }
    return pa.schema(fields, metadata={b"geo": json.dumps(geo).encode()})


class ParquetSink:
    """One large table, written batch by batch."""

    def __init__(self, path: Path, schema: dict[str, Any]) -> None:
        self.path, self.schema = path, arrow_schema(schema)
        path.unlink(missing_ok=True)  # a link to the filing's own file, never written through
        self.names = [f["name"] for f in schema["fields"]]
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None

    def write(self, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        table = frame.select(self.names).to_arrow().cast(self.schema)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        self._writer.write_table(table)
        self.rows += frame.height

    def close(self) -> None:
        if self._writer is None:
            pq.write_table(self.schema.empty_table(), self.path, compression="zstd")
        else:
            self._writer.close()


def write_csv(path: Path, frame: pl.DataFrame, schema: dict[str, Any]) -> None:
    names = [f["name"] for f in schema["fields"]]
    path.unlink(missing_ok=True)
    frame.select(names).write_csv(path, line_terminator="\n", float_precision=None)


class Staging:
    """A copy of the filing folder beside it, to write into; `commit` puts it in the filing's place.

    The copy's files are hard links where the file system allows (a filing's hourly table may be tens of GB):
    every writer removes a file before it writes one, so the filing's own files are never written through."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = Path(tempfile.mkdtemp(prefix=f".{folder.name}.import-", dir=folder.parent))
        shutil.copytree(folder, self.path, dirs_exist_ok=True, symlinks=True, copy_function=_link_or_copy)
        os.chmod(self.path, folder.stat().st_mode & 0o7777)

    def commit(self) -> None:
        old = self.folder.with_name(f".{self.folder.name}.replaced-{os.getpid()}")
        os.replace(self.folder, old)
        try:
            os.replace(self.path, self.folder)
        except OSError:
            os.replace(old, self.folder)
            raise
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def update_descriptor(
    folder: Path, written: dict[str, str], unfilled: frozenset[str] | set[str] = frozenset()
) -> list[tuple[str, str]]:
    """Point each written table's resource at its file (replacing the file it named before), add those the
    descriptor lacks, and stamp bytes and hashes. A table of `unfilled` (optional, and not written) whose file
    is a CSV with a header and no row, as `gridmod new` leaves it, is taken out of the filing; the (table, file)
    pairs taken out are returned."""
    path = folder / DESCRIPTOR
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    resources = data.setdefault("resources", [])
    dropped: list[tuple[str, str]] = []
    for unused in [r for r in resources if isinstance(r, dict) and r.get("name") in unfilled]:
        rel = unused.get("path")
        if isinstance(rel, str) and "/" not in rel and _header_only(folder / rel):
            (folder / rel).unlink()
            resources.remove(unused)
            dropped.append((str(unused["name"]), rel))
    for name, rel in written.items():
        kind = rel.rsplit(".", 1)[-1]
        entry = next((r for r in resources if isinstance(r, dict) and r.get("name") == name), None)
        if entry is None:
            entry = {"name": name}
            resources.append(entry)
        old = entry.get("path")
        if isinstance(old, str) and old != rel and (folder / old).is_file() and "/" not in old:
            (folder / old).unlink()
        entry.update({"path": rel, "format": kind, "mediatype": MEDIA[kind]})
        if kind == "csv":
            entry["encoding"] = "utf-8"
        else:
            entry.pop("encoding", None)
    path.unlink()
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    stamp_resources(folder)
    return dropped


def _header_only(path: Path) -> bool:
    """A CSV file of one line (its header) and nothing after it but blank lines."""
    if path.suffix != ".csv" or not path.is_file() or path.is_symlink() or path.stat().st_size > 1 << 16:
        return False
    lines = path.read_bytes().splitlines()
    return len(lines) >= 1 and all(not line.strip() for line in lines[1:])
