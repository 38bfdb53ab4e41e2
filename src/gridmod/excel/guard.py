"""Refuse workbooks gridmod will not open: macros, links to other workbooks or data sources, other formats,
and archives built to exhaust memory. Checked on the zip archive itself, before any XML is parsed."""

from __future__ import annotations

import zipfile
from pathlib import Path

from gridmod.excel.errors import WorkbookRefused, WorkbookUnsafe

MAX_UNPACKED = 200 * 1024 * 1024
MAX_PARTS = 10_000
MAX_RATIO = 200

_SAVE_AS = "In Excel choose File > Save As and the type Excel Workbook (*.xlsx)"


def check_archive(book: Path) -> None:
    suffix = book.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise WorkbookUnsafe(
            f"{book.name} is a macro-enabled workbook ({suffix}); gridmod does not open workbooks "
            f"that can carry macros. {_SAVE_AS}, then import that file."
        )
    if suffix in (".xls", ".xlsb", ".ods", ".csv"):
        raise WorkbookRefused(f"{book.name} is not an Excel .xlsx workbook. {_SAVE_AS}, then import that file.")
    if not book.is_file():
        raise WorkbookRefused(f"{book} does not exist.")
    if not zipfile.is_zipfile(book):
        raise WorkbookUnsafe(f"{book.name} is not an Excel .xlsx workbook (it is not a zip archive). {_SAVE_AS}.")
    with zipfile.ZipFile(book) as archive:
        parts = archive.infolist()
        names = [p.filename for p in parts]
        content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    lowered = [n.lower() for n in names]
    macros = any(n.endswith(("vbaproject.bin", "vbaprojectsignature.bin")) for n in lowered)
    if macros or b"macroEnabled" in content_types:
        raise WorkbookUnsafe(
            f"{book.name} contains macros (a VBA project). gridmod does not open workbooks with "
            f"macros. {_SAVE_AS} (which drops the macros), then import that file."
        )
    if any(n.startswith("xl/externallinks/") for n in lowered):
        raise WorkbookUnsafe(
            f"{book.name} links to other workbooks, so its values may come from files gridmod "
            "cannot see. In Excel choose Data > Edit Links > Break Link, save, and import again."
        )
    if any(n in ("xl/connections.xml",) or n.startswith("xl/querytables/") for n in lowered):
        raise WorkbookUnsafe(
            f"{book.name} has data connections or queries that fetch data from elsewhere. Remove "
            "them (Data > Queries & Connections), save, and import again."
        )
    total = sum(p.file_size for p in parts)
    if (
        len(parts) > MAX_PARTS
        or total > MAX_UNPACKED
        or any(p.file_size > 10 * 1024 * 1024 and p.file_size > MAX_RATIO * max(p.compress_size, 1) for p in parts)
    ):
        raise WorkbookUnsafe(
            f"{book.name} unpacks to {total} bytes in {len(parts)} parts, more than a filing's "
            "workbook can hold. Remove what does not belong to the filing and save again."
        )
