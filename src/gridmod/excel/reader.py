"""Read a workbook the way import needs it: values Excel saved (openpyxl, read-only) and, from the sheet
XML itself (defusedxml), what openpyxl's read-only mode does not keep: formulas, merged and hidden cells."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from gridmod.excel.errors import WorkbookUnsafe

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class SheetData:
    title: str
    state: str  # visible, hidden or veryHidden
    rows: list[tuple[int, list[tuple[Any, str | None]]]] = field(default_factory=list)  # (row, [(value, format)])
    formulas: dict[str, str] = field(default_factory=dict)  # cell -> formula text
    merged: list[str] = field(default_factory=list)  # ranges such as A3:A5
    hidden_rows: set[int] = field(default_factory=set)


@dataclass
class Book:
    epoch: datetime
    sheets: dict[str, SheetData]


def read_book(path: Path) -> Book:
    """Cells, formulas, merged and hidden parts of every sheet; a workbook that cannot be parsed
    safely (malformed XML, entity expansion, a damaged archive) is refused, never half read."""
    try:
        return _read_book(path)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile, DefusedXmlException, ParseError) as exc:
        raise WorkbookUnsafe(
            f"{path.name} cannot be read safely as a workbook ({type(exc).__name__}: "
            f"{str(exc)[:200]}). Open it in Excel, save it again as .xlsx, and import that file."
        ) from None


def _read_book(path: Path) -> Book:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        sheets: dict[str, SheetData] = {}
        parts: dict[str, str] = {}
        for ws in wb.worksheets:
            data = SheetData(ws.title, ws.sheet_state)
            ws.reset_dimensions()  # trust the cells, not the size the file claims
            for number, cells in enumerate(ws.iter_rows(), start=1):
                values = [(c.value, getattr(c, "number_format", None)) for c in cells]
                if any(v is not None for v, _ in values):
                    data.rows.append((number, values))
            sheets[ws.title] = data
            part = getattr(ws, "_worksheet_path", None)
            if part:
                parts[ws.title] = part
        epoch = wb.epoch
    finally:
        wb.close()
    with zipfile.ZipFile(path) as archive:
        for title, part in parts.items():
            with archive.open(part) as handle:
                _scan(handle, sheets[title])
    return Book(epoch=epoch, sheets=sheets)


def _scan(handle, data: SheetData) -> None:
    for _, element in iterparse(handle, events=("end",)):
        tag = element.tag
        if tag == _NS + "c":
            formula = element.find(_NS + "f")
            if formula is not None and element.get("r"):
                data.formulas[element.get("r")] = formula.text or "(shared with the cells above)"
            element.clear()
        elif tag == _NS + "row":
            if element.get("hidden") in ("1", "true") and element.get("r"):
                data.hidden_rows.add(int(element.get("r")))
            element.clear()
        elif tag == _NS + "mergeCell" and element.get("ref"):
            data.merged.append(element.get("ref"))
