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
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from gridmod.tables import read_records

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMERIC = {"integer", "number", "year"}
# Largest sheet Excel opens: 1,048,576 rows including the header.
XLSX_MAX_ROWS = 1_048_575
# Characters XML 1.0 cannot hold; openpyxl refuses them, so a workbook drops them (GMR-W029 warns of them).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
    """UTF-8 CSV (RFC 4180, CRLF line ends) with text cells defused and every other cell as filed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    for cells in table.records:
        writer.writerow([defuse(c) if table.is_text(i) else c for i, c in enumerate(cells)])
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

    The workbook's own timestamps and every zip entry carry `stamp`, so a rebuild writes the same bytes.
    """
    if len(table.records) > XLSX_MAX_ROWS:
        return False
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.name[:31]
    bold = Font(bold=True)
    for column, name in enumerate(table.header, start=1):
        cell = sheet.cell(row=1, column=column, value=_xml_text(name))
        cell.data_type = "s"
        cell.font = bold
    for row, cells in enumerate(table.records, start=2):
        for column, (text, kind) in enumerate(zip(cells, table.kinds, strict=True), start=1):
            value = typed_value(text, kind) if not table.is_text(column - 1) else (_xml_text(text) or None)
            cell = sheet.cell(row=row, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cell.quotePrefix = is_formula_like(value)
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    for column, name in enumerate(table.header, start=1):
        widest = max([len(name), *(len(r[column - 1]) for r in table.records[:200])])
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = min(60, widest + 2)
    moment = datetime.combine(stamp, datetime.min.time())
    workbook.properties.title = title
    workbook.properties.creator = "gridmod"
    workbook.properties.created = moment
    buffer = io.BytesIO()
    workbook.save(buffer)
    target.write_bytes(_restamp_zip(buffer.getvalue(), moment))
    return True


def write_parquet(table: FiledTable, target: Path) -> None:
    """Typed columns with each field's description as column metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"integer": pa.int64(), "year": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
             "date": pa.date32(), "datetime": pa.timestamp("s")}
    fields, columns = [], []
    for i, (name, kind) in enumerate(zip(table.header, table.kinds, strict=True)):
        kind_type = types.get(kind, pa.string())
        meta = {"description": table.descriptions[i]} if table.descriptions[i] else None
        fields.append(pa.field(name, kind_type, metadata=meta))
        columns.append(pa.array([typed_value(r[i], kind) for r in table.records], type=kind_type))
    pq.write_table(pa.Table.from_arrays(columns, schema=pa.schema(fields)), target, compression="zstd")


def _xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _restamp_zip(data: bytes, moment: datetime) -> bytes:
    """The workbook with its 'modified' property and zip entry times set to `moment` instead of now."""
    out = io.BytesIO()
    iso = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o100644 << 16
            target.writestr(entry, content, compresslevel=9)
    return out.getvalue()
