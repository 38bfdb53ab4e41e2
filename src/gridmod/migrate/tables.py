"""Rewriting one table of a filing for a migration: columns renamed, added and put in the new version's order.

Tables are streamed (CSV row by row, Parquet in Arrow batches), so a table of any size is rewritten in
bounded memory. A header that is not the old version's is the filer's problem, said at line 1 of the file.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridmod.errors import InputError
from gridmod.migrate.plan import Migration, TableChange

if TYPE_CHECKING:
    import pyarrow as pa

BATCH_ROWS = 65_536
# Table Schema type -> Arrow type name (pyarrow loads only when a Parquet table is migrated, so that the
# site, which reads the migrations to describe them, loads no data library)
ARROW = {
    "string": "string",
    "number": "float64",
    "integer": "int64",
    "boolean": "bool_",
    "date": "date32",
    "geometry": "binary",
}


class MigrationInputError(InputError):
    """The filing cannot be migrated as it is; the message says where and why (exit code 1)."""


def _sources(m: Migration, change: TableChange, header: list[str], shown: str) -> list[str | None]:
    """For each field of the new version, the old column it comes from (None: an added field)."""
    expected = m.old_field_names(change.table)
    if header != expected:
        missing = [f for f in expected if f not in header]
        extra = [f for f in header if f not in expected]
        detail = (
            f"column {missing[0]} is missing"
            if missing
            else f"column {extra[0]} is not part of the table"
            if extra
            else "the columns are not in the order of the profile"
        )
        raise MigrationInputError(
            f"{shown}:1: {detail}, so the header is not that of {m.old.name} "
            f"{m.old.version}; correct it (`gridmod validate` says how) and migrate again."
        )
    back = {new: old for old, new in change.renamed.items()}
    added = {a.name for a in change.added}
    return [None if name in added else back.get(name, name) for name in m.new_field_names(change.table)]


def _defaults(m: Migration, change: TableChange) -> dict[str, str]:
    return {a.name: a.default or "" for a in change.added}


def rewrite_csv(source: Path, target: Path, m: Migration, change: TableChange, shown: str) -> None:
    try:
        with (
            source.open(encoding="utf-8-sig", newline="") as handle,
            target.open("w", encoding="utf-8", newline="") as out,
        ):
            reader = csv.reader(handle)
            header = next(reader, [])
            columns = _sources(m, change, header, shown)
            defaults = _defaults(m, change)
            names = m.new_field_names(change.table)
            # Per new column: the old column's position, or the added field's default.
            picks: list[int | str] = [
                defaults[name] if old is None else header.index(old) for name, old in zip(names, columns, strict=True)
            ]
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(names)
            for row in reader:
                writer.writerow(
                    [pick if isinstance(pick, str) else row[pick] if pick < len(row) else "" for pick in picks]
                )
    except UnicodeDecodeError:
        raise MigrationInputError(
            f"{shown}:{_first_non_utf8_line(source)}: the file is not UTF-8 text; save it as "
            'UTF-8 ("CSV UTF-8" in Excel) and migrate again.'
        ) from None
    except csv.Error as exc:
        raise MigrationInputError(f"{shown}:{reader.line_num}: the row cannot be read as CSV ({exc}).") from None


def _first_non_utf8_line(path: Path) -> int:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def rewrite_parquet(source: Path, target: Path, m: Migration, change: TableChange, shown: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(source)
        columns = _sources(m, change, list(parquet.schema_arrow.names), shown)
        fields = {f["name"]: f for f in m.new.schemas[change.table]["fields"]}
        defaults = _defaults(m, change)
        names = m.new_field_names(change.table)
        old_schema = parquet.schema_arrow
        schema = pa.schema(
            [
                old_schema.field(old).with_name(name) if old is not None else pa.field(name, _arrow(fields[name]))
                for name, old in zip(names, columns, strict=True)
            ],
            metadata=old_schema.metadata,
        )
        with pq.ParquetWriter(target, schema, compression="zstd") as writer:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
                arrays = [
                    batch.column(old)
                    if old is not None
                    else _filled(defaults[name], schema.field(name).type, batch.num_rows)
                    for name, old in zip(names, columns, strict=True)
                ]
                writer.write_batch(pa.record_batch(arrays, schema=schema))
    except (pa.ArrowException, OSError) as exc:
        raise MigrationInputError(
            f"{shown}: the file cannot be read as Parquet ({str(exc).splitlines()[0]})."
        ) from None


def _arrow(spec: dict[str, Any]) -> pa.DataType:
    import pyarrow as pa

    return getattr(pa, ARROW.get(spec.get("type", "string"), "string"))()


def _filled(default: str, kind: pa.DataType, rows: int) -> pa.Array:
    import pyarrow as pa

    if default == "":
        return pa.nulls(rows, kind)
    return pa.array([default] * rows, pa.string()).cast(kind)
