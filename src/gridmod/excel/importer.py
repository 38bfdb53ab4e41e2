"""`gridmod excel import`: a workbook back into the filing's CSV tables, and findings back onto its cells."""

from __future__ import annotations

import csv
import io
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from gridmod.excel.errors import WorkbookRefused
from gridmod.excel.export import filing_profile
from gridmod.excel.guard import check_archive
from gridmod.excel.layout import INSTRUCTIONS, STAMP, WORKBOOK_FORMAT, Column, Sheet, sheets
from gridmod.excel.reader import Book, SheetData, read_book
from gridmod.excel.values import from_cell
from gridmod.files import replacing
from gridmod.filing import stamp_resources
from gridmod.findings import Finding, PackageResult
from gridmod.spec import Profile

# How a finding about a cell reads in Excel's terms, added to the rule's own fix.
EXCEL_HINTS = {
    "date": "In the workbook, retype it as a date such as 2025-03-15, so that the cell holds a date and not text.",
    "number": "In the workbook, type the number alone, without $, commas or words, so that the cell holds a number.",
    "integer": "In the workbook, type the whole number alone, e.g. 2025.",
}


@dataclass
class TableImport:
    sheet: Sheet
    path: str  # the CSV inside the filing
    records: int = 0
    rows: dict[int, int] = field(default_factory=dict)  # CSV line where a record starts -> sheet row
    types: dict[int, str] = field(default_factory=dict)  # CSV column -> field type


@dataclass
class ImportResult:
    folder: Path
    book: Path
    profile: Profile
    tables: dict[str, TableImport] = field(default_factory=dict)  # CSV path -> what was written
    notes: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # narrative skeletons created for new activities


def import_workbook(book: Path, folder: Path, root: Path) -> ImportResult:
    """Write the workbook's tables into the filing's CSVs and re-stamp datapackage.json.

    Refuses (WorkbookRefused, nothing written) a workbook that is unsafe, not made by gridmod, or made for
    another profile version or filing.
    """
    check_archive(book)
    meta, profile = filing_profile(folder, root)
    data = read_book(book)
    _check_stamp(book, data, meta, profile, folder, root)
    result = ImportResult(folder, book, profile)
    layout = sheets(profile)
    known = {s.name for s in layout} | {INSTRUCTIONS, STAMP}
    for title, found in data.sheets.items():
        if title not in known and found.rows:
            result.notes.append(f"Sheet {title} is not part of the filing; it was ignored.")
    texts = {}
    for sheet in layout:
        source = data.sheets.get(sheet.name)
        if source is None:
            raise WorkbookRefused(
                f"{book.name} has no sheet {sheet.name}; it holds table {sheet.path}. Restore the "
                "sheet, or make a new workbook with `gridmod excel export` and copy your rows over."
            )
        table = TableImport(sheet, sheet.path)
        texts[sheet.path] = _convert(source, sheet, data, table, result.notes)
        result.tables[sheet.path] = table
    _write_all(folder, texts)
    if "activities" in profile.schemas and profile.meta.get("activity_narrative"):
        from gridmod.scaffold import add_activity_narratives

        ids = _activity_ids(texts.get(profile.table_path("activities")))
        result.added = add_activity_narratives(folder, profile, ids)
    stamp_resources(folder)
    return result


def locate_findings(result: ImportResult, package: PackageResult, rel: str) -> PackageResult:
    """The package's findings with those about an imported table named by `Sheet!Cell` instead of file:line."""
    prefix = rel.rstrip("/") + "/"
    located = []
    for finding in package.findings:
        table = result.tables.get(finding.path[len(prefix) :]) if finding.path.startswith(prefix) else None
        located.append(_locate(finding, table) if table else finding)
    return replace(package, findings=located)


def _locate(finding: Finding, table: TableImport) -> Finding:
    name = table.sheet.name
    if finding.line is None:
        where = name
    else:
        row = 1 if finding.line == 1 else table.rows.get(finding.line)
        if row is None:
            where = f"{name} (line {finding.line} of {table.path})"
        elif finding.column:
            where = f"{name}!{get_column_letter(finding.column)}{row}"
        else:
            where = f"{name}!{row}:{row}"
    hint = finding.hint
    kind = table.types.get(finding.column or 0)
    if finding.code.endswith("-E010") and kind in EXCEL_HINTS:
        hint = f"{hint} {EXCEL_HINTS[kind]}"
    return replace(finding, path=where, line=None, column=None, hint=hint)


def _check_stamp(book: Path, data: Book, meta: dict, profile: Profile, folder: Path, root: Path) -> None:
    rel = _rel(folder, root)
    again = (
        f"Make a workbook for this filing with `gridmod excel export {rel}`, copy your rows into it, and "
        "import that one."
    )
    stamp_sheet = data.sheets.get(STAMP)
    stamp = {
        str(values[0][0]): str(values[1][0])
        for _, values in (stamp_sheet.rows if stamp_sheet else [])
        if len(values) > 1 and values[0][0] is not None and values[1][0] is not None
    }
    if stamp.get("format") != WORKBOOK_FORMAT:
        raise WorkbookRefused(
            f"{book.name} was not made by `gridmod excel export` (it has no gridmod stamp), so "
            f"gridmod cannot tell which profile its columns follow. {again}"
        )
    made_for = f"{stamp.get('profile')} {stamp.get('profile_version')}"
    if (stamp.get("profile"), stamp.get("profile_version")) != (profile.name, profile.version):
        raise WorkbookRefused(
            f"{book.name} was made for profile {made_for}, but {rel} follows profile "
            f"{profile.name} {profile.version}. {again}"
        )
    if (stamp.get("utility"), stamp.get("filing_id")) != (str(meta.get("utility")), str(meta.get("filing_id"))):
        raise WorkbookRefused(
            f"{book.name} was made for filing {stamp.get('utility')} {stamp.get('filing_id')}, "
            f"but {rel} is filing {meta.get('utility')} {meta.get('filing_id')}. {again}"
        )


def _convert(source: SheetData, sheet: Sheet, data: Book, table: TableImport, notes: list[str]) -> str:
    name = sheet.name
    if source.state != "visible":
        notes.append(f"Sheet {name} is hidden in the workbook; its rows were imported all the same.")
    rows = dict(source.rows)
    header_cells = rows.pop(1, [])
    header = [("" if v is None else str(v).strip()) for v, _ in header_cells]
    while header and header[-1] == "":
        header.pop()
    columns = {c.name: c for c in sheet.columns}
    kinds = [columns.get(h) or Column(h, h, "string", "", False) for h in header]
    table.types = {i: c.type for i, c in enumerate(kinds, start=1)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    line = 2
    for number in sorted(rows):
        values = rows[number]
        cells = []
        for index, column in enumerate(kinds):
            value, fmt = values[index] if index < len(values) else (None, None)
            converted = from_cell(value, column, fmt, data.epoch)
            if converted.note:
                notes.append(f"{name}!{get_column_letter(index + 1)}{number}: {converted.note}.")
            cells.append(converted.text)
        beyond = [i for i in range(len(kinds), len(values)) if values[i][0] not in (None, "")]
        if beyond:
            notes.append(
                f"{name}!{get_column_letter(beyond[0] + 1)}{number}: a value right of the table's last "
                "column was ignored."
            )
        if not any(cells):
            continue
        writer.writerow(cells)
        table.rows[line] = number
        table.records += 1
        line += sum(cell.count("\n") + cell.count("\r") for cell in cells) + 1
    notes.extend(_structure_notes(source, name))
    return out.getvalue()


def _structure_notes(source: SheetData, name: str) -> list[str]:
    notes = []
    for ref in source.merged:
        low_col, low_row, high_col, high_row = range_boundaries(ref)
        notes.append(
            f"{name}!{ref} is a merged cell: Excel keeps its value only in "
            f"{get_column_letter(low_col)}{low_row}, so the other cells were imported empty. Unmerge it "
            "(Home > Merge & Center) and fill every cell."
        )
    hidden = sorted(r for r in source.hidden_rows if r > 1)
    if hidden:
        notes.append(
            f"Rows {', '.join(map(str, hidden[:10]))}{' ...' if len(hidden) > 10 else ''} of sheet {name} "
            "are hidden; they were imported all the same."
        )
    values = {number: cells for number, cells in source.rows}
    for ref, formula in sorted(source.formulas.items(), key=lambda item: _order(item[0])):
        col, row = _order(ref)
        value = values.get(row, [])[col - 1][0] if col - 1 < len(values.get(row, [])) else None
        if value is None:
            notes.append(
                f"{name}!{ref} holds the formula ={formula} but no saved result (the workbook was never "
                "calculated): open it in Excel, save it, and import again, or type the value."
            )
        else:
            notes.append(
                f"{name}!{ref} holds the formula ={formula}; the value it showed when the workbook was "
                f"saved, {value}, was imported."
            )
    return notes


def _order(ref: str) -> tuple[int, int]:
    col, row, _, _ = range_boundaries(ref)
    return col, row


def _write_all(folder: Path, texts: dict[str, str]) -> None:
    """Every table is written to a temporary file first; only when all are written are they moved into place."""
    with ExitStack() as stack:
        for path, text in texts.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            staged = stack.enter_context(replacing(target, prefix=".import-"))
            staged.write_text(text, encoding="utf-8", newline="")


def _activity_ids(text: str | None) -> list[str]:
    if not text:
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [row["activity_id"] for row in reader if row.get("activity_id")]


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
