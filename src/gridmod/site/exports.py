"""A filed table as the downloads a reader opens: CSV, Excel (XLSX) and Parquet.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a
formula, so a text cell such as `=HYPERLINK("http://x")` in a filing would become a live link or worse in
the reader's spreadsheet. Text columns are defused; numbers, dates and booleans keep their type, so a cost
of -5.25 stays the number -5.25. The zip of the data package keeps the files exactly as filed (their hashes
are in datapackage.json); these downloads are the copies made for reading.

- CSV: a defused text cell gets a leading apostrophe, the convention spreadsheets show as plain text.
  Numeric, date and boolean cells are written exactly as filed.
- XLSX: a text cell is stored as a string cell with Excel's own quote prefix, which is what typing a leading
  apostrophe does in Excel: the text is kept exactly and never evaluated.
- Parquet: typed columns; nothing is evaluated, so nothing is changed.
Characters XML cannot hold (control characters, which GMR-W029 warns of) are left out of the workbook.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from gridmod.site.xlsx import write_workbook
from gridmod.tables import read_records

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMERIC = {"integer", "number", "year"}
# Largest sheet Excel opens: 1,048,576 rows including the header.
XLSX_MAX_ROWS = 1_048_575


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def defuse(text: str) -> str:
    """A text cell as a spreadsheet shows it as text: a leading apostrophe when it starts like a formula."""
    return "'" + text if is_formula_like(text) else text


@dataclass
class FiledTable:
    """One table as filed: its header, the Table Schema type of each column and the cells as text."""

    name: str
    header: list[str]
    kinds: list[str]
    records: list[list[str]]
    descriptions: list[str]

    def is_text(self, column: int) -> bool:
        return self.kinds[column] not in NUMERIC | {"boolean", "date", "datetime"}


def read_filed_table(name: str, path: Path, schema: dict[str, Any]) -> FiledTable:
    header, records = read_records(path)
    fields = {f["name"]: f for f in schema.get("fields", [])}
    return FiledTable(
        name=name,
        header=header,
        kinds=[fields.get(h, {}).get("type", "string") for h in header],
        records=[cells + [""] * (len(header) - len(cells)) for _, cells in records],
        descriptions=[fields.get(h, {}).get("description", "") for h in header],
    )


def write_csv(table: FiledTable, target: Path) -> None:
    """The table with text cells defused and every other cell as filed (write_rows)."""
    write_rows(
        target,
        table.header,
        ([defuse(c) if table.is_text(i) else c for i, c in enumerate(cells)] for cells in table.records),
    )


def write_rows(target: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    """UTF-8 CSV (RFC 4180, CRLF line ends) of cells as given: a caller defuses its text cells first. No
    header line when `header` is empty."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    target.write_bytes(buffer.getvalue().encode("utf-8"))


def typed_value(text: str, kind: str) -> Any:
    """A filed cell as the value a spreadsheet or Parquet file holds; empty is None."""
    if text == "":
        return None
    if kind in ("integer", "year"):
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return text.strip().lower() in ("true", "1", "yes")
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "datetime":
        return datetime.fromisoformat(text)
    return text


def write_xlsx(table: FiledTable, target: Path, title: str, stamp: date) -> bool:
    """One sheet named after the table, header frozen; False (nothing written) when Excel could not open it.

    Written row by row (gridmod.site.xlsx), so memory stays flat for large tables; the workbook's dates and
    every zip entry carry `stamp`, so a rebuild writes the same bytes.
    """
    if len(table.records) > XLSX_MAX_ROWS:
        return False
    text = [table.is_text(i) for i in range(len(table.header))]

    def values():
        for cells in table.records:
            yield [(c or None) if text[i] else typed_value(c, table.kinds[i]) for i, c in enumerate(cells)]

    def quoted():
        for cells in table.records:
            yield [text[i] and is_formula_like(c) for i, c in enumerate(cells)]

    widths = [
        min(60, max([len(name), *(len(r[i]) for r in table.records[:200])]) + 2) for i, name in enumerate(table.header)
    ]
    write_workbook(
        target,
        table.name,
        table.header,
        values(),
        quoted=quoted(),
        widths=widths,
        title=title,
        stamp=datetime.combine(stamp, datetime.min.time()),
    )
    return True


def write_parquet(table: FiledTable, target: Path) -> None:
    """Typed columns (polars, which the validators load anyway); the fields' descriptions go into the file's
    key-value metadata as JSON under `gridmod:descriptions`."""
    import polars as pl

    types: dict[str, Any] = {
        "integer": pl.Int64,
        "year": pl.Int64,
        "number": pl.Float64,
        "boolean": pl.Boolean,
        "date": pl.Date,
        "datetime": pl.Datetime("us"),
    }
    schema = {name: types.get(kind, pl.String) for name, kind in zip(table.header, table.kinds, strict=True)}
    columns = {name: [typed_value(r[i], table.kinds[i]) for r in table.records] for i, name in enumerate(table.header)}
    descriptions = {n: d for n, d in zip(table.header, table.descriptions, strict=True) if d}
    frame = pl.DataFrame(columns, schema=schema)
    frame.write_parquet(
        target, compression="zstd", metadata={"gridmod:descriptions": json.dumps(descriptions, ensure_ascii=False)}
    )
