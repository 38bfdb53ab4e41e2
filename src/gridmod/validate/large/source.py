"""A large table as a polars LazyFrame: CSV read as text, or Parquet as stored, with its header checked.

Paths are read as the files they name, never as globs (a part may be named part[1].csv). CSV cells are read
as text and cast later (gridmod.validate.large.cells), so that a malformed cell is a finding and never an
exception. One column more than the schema holds the first extra cell of a row with more cells than
the header (gridmod.validate.large.widths finds the rows whose extra cells are empty); a row with fewer cells
reads as if its last cells were empty, which the required-value checks then report.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

EXTRA = "_extra_cells"


@dataclass
class Source:
    path: Path
    kind: str  # "csv" or "parquet"
    header: list[str]
    dtypes: dict[str, PolarsDataType]
    # Columns whose value the part's folder names give (hive partitioning, gridmod.datasets), for every row.
    constants: dict[str, str] = field(default_factory=dict)

    def columns(self, fields: list[str]) -> list[str]:
        """The schema's fields this file holds itself, in the schema's order: all but those it leaves to its
        folder names."""
        return [n for n in fields if n not in self.constants or n in self.header]

    def lazy(self, fields: list[str], coded: dict[str, PolarsDataType] | None = None) -> pl.LazyFrame:
        """The table's columns (named as in the schema; only call once the header matched it).

        CSV also has the column EXTRA, which holds a value only on rows with more cells than the header.
        `coded` names CSV columns the reader turns straight into dictionary codes (a Categorical), which
        costs less than reading text and coding it afterwards; every other CSV column is read as text.
        """
        given = [
            pl.lit(value, dtype=pl.String).alias(name)
            for name, value in self.constants.items()
            if name in fields and name not in self.header
        ]
        if self.kind == "parquet":
            frame = pl.scan_parquet(self.path, glob=False).select(self.columns(fields))
            return frame.with_columns(given).select(fields)
        coded = coded or {}
        schema = {name: coded.get(name, pl.String) for name in self.header} | {EXTRA: pl.String}
        frame = pl.scan_csv(
            self.path,
            glob=False,
            has_header=False,
            skip_rows=1,
            schema=schema,
            missing_columns="insert",
            extra_columns="ignore",
            truncate_ragged_lines=True,
            infer_schema=False,
            encoding="utf8",
            # An empty cell is missing whether it is written as nothing or as "" (the Table Schema's
            # missingValues, as frictionless reads the small tables). Both spellings are given: polars matches
            # null values before it removes quotes (as documented) or after (as it does today).
            null_values=["", '""'],
        )
        return frame.with_columns(given) if given else frame


def open_source(path: Path, constants: dict[str, str] | None = None) -> Source:
    """The table's header and column types, read without reading its rows; `constants` from the names of
    the folders of a dataset's part."""
    constants = constants or {}
    dtypes: dict[str, PolarsDataType] = {n: pl.String for n in constants}
    if path.suffix == ".parquet":
        schema = pl.scan_parquet(path, glob=False).collect_schema()
        dtypes |= dict(schema.items())
        return Source(path, "parquet", list(schema.names()), dtypes, constants)
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
    text = first.decode("utf-8-sig", errors="replace")
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    dtypes |= {name: pl.String for name in header}
    return Source(path, "csv", header, dtypes, constants)


Problem = tuple[str, int | None, str, dict[str, Any]]


def header_problem(source: Source, schema: dict[str, Any]) -> Problem | None:
    """(wording of E009's {detail}, 1-based column, offending label, the wording's values) when the header
    differs from the Table Schema."""
    expected = source.columns([f["name"] for f in schema["fields"]])
    got = source.header
    if source.kind == "parquet":
        missing = [n for n in expected if n not in got]
        extra = [n for n in got if n not in expected]
        if missing:
            return "missing_column", None, missing[0], {"name": missing[0]}
        if extra:
            return "extra_column", got.index(extra[0]) + 1, extra[0], {}
        return None
    if not got or not any(got):
        return "no_header", None, "(blank)", {}
    for position, (label, name) in enumerate(zip(got, expected, strict=False), start=1):
        if label != name:
            if label in expected or name not in got:
                return (
                    "wrong_column",
                    position,
                    label,
                    {"number": position, "name": name, "label_quoted": repr(label), "name_quoted": repr(name)},
                )
            return "extra_column", position, label, {}
    if len(got) < len(expected):
        return "missing_column", None, expected[len(got)], {"name": expected[len(got)]}
    if len(got) > len(expected):
        return "extra_column", len(expected) + 1, got[len(expected)], {}
    return None


def unclosed_quote(path: Path) -> int | None:
    """The line on which a quoted cell opens that the file never closes, if one does. Only called once the
    reader has given up, so one pass in Python, line by line, is fine. A doubled quote inside a quoted cell
    (a literal quote in CSV) adds two to a line's count and so never changes whether a cell is open."""
    inside, opened = False, None
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            quotes = line.count(b'"')
            if quotes % 2:
                inside = not inside
                if inside:
                    opened = number
    return opened if inside else None
