"""Typed tables of a filing, with the line each row starts on as an editor shows it."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

LINE = "_line"
# Separators a table may have been saved with instead of commas, as a filer would name them. Excel writes
# ';' for "CSV" where the region's list separator is ';' (wherever the decimal mark is a comma).
SEPARATORS = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}


def header_of(path: Path) -> list[str]:
    """The first record of a CSV file (its header), read without reading the rest."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20).decode("utf-8-sig", errors="replace")
    return next(csv.reader(io.StringIO(first, newline="")), [])


def other_separator(header: list[str], columns: int) -> str | None:
    """The name of the separator a header was written with when it is not a comma: the header read as CSV
    is one cell although the table has several columns, and that cell splits at one of SEPARATORS."""
    if columns < 2 or len(header) != 1:
        return None
    counts = {sep: header[0].count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return SEPARATORS[best] if counts[best] else None


def read_records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (start line, cells) of every non-blank record; quoted cells may span lines."""
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    records: list[tuple[int, list[str]]] = []
    previous_end = 0
    for cells in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if not header and not records:
            header = cells
            continue
        if cells:
            records.append((start, cells))
    return header, records


def record_lines(path: Path) -> dict[int, int]:
    """Frictionless row number (header = 1, every record counted) -> editor line where it starts."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: dict[int, int] = {}
    previous_end = 0
    try:
        for number, _ in enumerate(reader, start=1):
            lines[number] = previous_end + 1
            previous_end = reader.line_num
    except csv.Error:
        pass
    return lines


def _cast(value: str, kind: str) -> Any:
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return value == "true"
    if kind == "date":
        return date.fromisoformat(value)
    return value


def read_table(path: Path, schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows as dicts typed by the Table Schema, each with its start line under `_line`.

    Only called on tables whose structure passed, so every cell casts.
    """
    header, records = read_records(path)
    kinds = {f["name"]: f.get("type", "string") for f in schema["fields"]}
    rows = []
    for line, cells in records:
        row: dict[str, Any] = {
            name: _cast(cell, kinds.get(name, "string")) for name, cell in zip(header, cells, strict=False)
        }
        row[LINE] = line
        rows.append(row)
    return rows


def to_polars(rows: list[dict[str, Any]], schema: dict[str, Any]):  # -> polars.DataFrame
    import polars as pl

    types = {"integer": pl.Int64, "number": pl.Float64, "boolean": pl.Boolean, "date": pl.Date}
    pl_schema = {f["name"]: types.get(f.get("type", "string"), pl.String) for f in schema["fields"]}
    pl_schema[LINE] = pl.Int64
    return pl.DataFrame(rows, schema=pl_schema, orient="row") if rows else pl.DataFrame(schema=pl_schema)
