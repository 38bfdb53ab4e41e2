"""`gridmod excel export`: one workbook for one filing, generated from its profile and holding its rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from gridmod import __version__
from gridmod.excel.errors import WorkbookError
from gridmod.excel.layout import INSTRUCTIONS, STAMP, WORKBOOK_FORMAT, Column, Sheet, left_out, sheets
from gridmod.excel.values import to_cell
from gridmod.files import replacing
from gridmod.filing import load_filing
from gridmod.spec import Profile, load_profile
from gridmod.utilities import utility as names_of

LAST_ROW = 1048576
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
UNLOCKED = Protection(locked=False)
BOLD = Font(bold=True)


@dataclass
class ExportResult:
    path: Path
    profile: Profile
    rows: dict[str, int] = field(default_factory=dict)  # sheet -> data rows written


def filing_profile(folder: Path, root: Path) -> tuple[dict, Profile]:
    """The filing's `gridmod` metadata and its profile, or a WorkbookError saying what is wrong."""
    filing = load_filing(folder, root)
    meta = filing.meta
    if filing.descriptor_error or not meta:
        raise WorkbookError(
            f"{filing.rel}/datapackage.json cannot be read; run `gridmod validate {filing.rel}` "
            "to see why, or create the filing with `gridmod new`."
        )
    try:
        return meta, load_profile(root, str(meta.get("profile")), str(meta.get("profile_version")))
    except KeyError:
        raise WorkbookError(
            f"{filing.rel} names profile {meta.get('profile')} {meta.get('profile_version')}, "
            "which this repository does not have."
        ) from None


def export_workbook(folder: Path, root: Path, out: Path) -> ExportResult:
    meta, profile = filing_profile(folder, root)
    wb = Workbook()
    wb.properties.creator = f"gridmod {__version__}"
    wb.properties.title = f"{meta.get('utility')} {meta.get('filing_id')} ({profile.name} {profile.version})"
    result = ExportResult(out, profile)
    layout = sheets(profile)
    _instructions(wb.active, meta, profile, layout, folder, root)
    for sheet in layout:
        ws = wb.create_sheet(sheet.name)
        rows = _read_csv(folder / sheet.path, sheet, folder, root)
        _fill(ws, sheet, rows)
        result.rows[sheet.name] = len(rows)
    _stamp(wb.create_sheet(STAMP), meta, profile, layout)
    out.parent.mkdir(parents=True, exist_ok=True)
    with replacing(out) as staged:
        wb.save(staged)
    return result


def _read_csv(path: Path, sheet: Sheet, folder: Path, root: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    where = _rel(path, root)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkbookError(f"{where} is not UTF-8 text; `gridmod validate` shows where.") from None
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = [c.name for c in sheet.columns]
    if not records:
        return []
    if records[0] != header:
        raise WorkbookError(
            f"The header of {where} is {','.join(records[0])!r} but profile's is {','.join(header)!r}. "
            "Fix the header first (`gridmod validate` names the difference); a workbook "
            "cannot hold columns the profile does not know."
        )
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if not cells:
            continue
        if len(cells) != len(header):
            raise WorkbookError(
                f"Record {number} of {where} has {len(cells)} cells, the header {len(header)}. "
                "Fix it first (`gridmod validate` shows the line)."
            )
        for cell in cells:
            if ILLEGAL_CHARACTERS_RE.search(cell):
                raise WorkbookError(
                    f"Record {number} of {where} holds a control character that Excel cannot "
                    "store. Remove it first (`gridmod validate` shows the line)."
                )
        rows.append(cells)
    return rows


def _fill(ws: Worksheet, sheet: Sheet, rows: list[list[str]]) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        head = ws.cell(row=1, column=index, value=column.name)
        head.font, head.fill = BOLD, HEADER_FILL
        head.alignment = Alignment(vertical="top")
        dimension = ws.column_dimensions[letter]
        dimension.number_format = column.number_format()
        dimension.protection = UNLOCKED
        widest = max([len(column.name), len(column.title)] + [len(r[index - 1]) for r in rows[:200]])
        dimension.width = min(max(widest + 2, 10), 60)
        _validations(ws, column, letter)
    for number, cells in enumerate(rows, start=2):
        for index, (text, column) in enumerate(zip(cells, sheet.columns, strict=True), start=1):
            value, decimals = to_cell(text, column)
            cell = ws.cell(row=number, column=index)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cell.number_format = column.number_format(decimals)
            cell.protection = UNLOCKED
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(len(rows) + 1, 2)}"
    protection = ws.protection
    protection.sheet = True
    for action in ("formatCells", "formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter"):
        setattr(protection, action, False)


def _validations(ws: Worksheet, column: Column, letter: str) -> None:
    title, prompt = column.prompt()
    header = DataValidation(showInputMessage=True, promptTitle=title, prompt=prompt)
    header.add(f"{letter}1")
    ws.add_data_validation(header)
    options: dict = {}
    allowed = ",".join(column.enum)
    c = column.constraints
    if column.enum and len(allowed) <= 250 and '"' not in allowed:
        options = dict(
            type="list",
            formula1=f'"{allowed}"',
            errorStyle="stop",
            error=f"Choose one of: {', '.join(column.enum)}"[:255],
        )
    elif column.type == "date":
        options = dict(
            type="date",
            operator="between",
            formula1="DATE(1900,1,1)",
            formula2="DATE(2199,12,31)",
            errorStyle="warning",
            error="Type a date, e.g. 2025-03-15.",
        )
    elif column.type in ("integer", "number"):
        low, high = c.get("minimum", -1e15), c.get("maximum", 1e15)
        options = dict(
            type="whole" if column.type == "integer" else "decimal",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            errorStyle="warning",
            error=f"Type a number{' from ' + str(low) if 'minimum' in c else ''}"
            f"{' to ' + str(high) if 'maximum' in c else ''}, without $ or commas.",
        )
    elif "maxLength" in c:
        options = dict(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(c["maxLength"]),
            errorStyle="warning",
            error=f"At most {c['maxLength']} characters.",
        )
    data = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=bool(options),
        promptTitle=title,
        prompt=prompt,
        errorTitle=title if options else None,
        **options,
    )
    data.add(f"{letter}2:{letter}{LAST_ROW}")
    ws.add_data_validation(data)


def _instructions(ws: Worksheet, meta: dict, profile: Profile, layout: list[Sheet], folder: Path, root: Path) -> None:
    ws.title = INSTRUCTIONS
    rel = _rel(folder, root)
    who = names_of(str(meta.get("utility"))).short
    lines: list[tuple[str, ...]] = [
        (f"{who} {meta.get('filing_id')}: {profile.meta.get('title', profile.name)}",),
        (f"Profile {profile.name} {profile.version} · filing {rel} · made by gridmod {__version__}",),
        (),
        ("How to fill in this workbook",),
        (
            "1. Each tab below is one table of the filing; enter one record per row. Row 1 holds the column "
            "names: it is locked. Do not rename, move or delete columns; add rows anywhere below.",
        ),
        ("2. Select a cell to see what its column needs. Columns with a fixed list of values have a drop-down.",),
        (
            "3. Type dates as dates, e.g. 2025-03-15. Amounts are in US dollars, not thousands: "
            "12.5 million is 12500000.",
        ),
        (
            "4. The narrative (sections I.a, III.a, III.b and each activity's elements) is not in this workbook: "
            f"write it in the Markdown files under {rel}/narrative/.",
        ),
        ("5. Save as Excel Workbook (.xlsx): no macros (.xlsm), no links to other workbooks, no merged cells.",),
        (
            f"6. Import: gridmod excel import THIS_FILE.xlsx {rel}  — writes the CSV files, checks them and "
            "names each problem by sheet and cell, e.g. costs!E14.",
        ),
        (
            f"7. This workbook is for profile {profile.name} {profile.version} and filing {rel} only. For another "
            "filing or profile version, make a new one: gridmod excel export PATH",
        ),
        *(
            (
                (
                    "8. Not in this workbook, because they can be larger than a sheet: "
                    f"{', '.join(left_out(profile))}. Put those files into {rel}/ directly (CSV or Parquet) "
                    f"and run gridmod stamp {rel}."
                ),
            )
            if left_out(profile)
            else ()
        ),
        (),
        ("Sheet", "What it holds"),
        *((s.name, s.description) for s in layout),
        (),
        ("Sheet", "Column", "Title", "Type", "Required", "Allowed values", "What to enter"),
    ]
    for s in layout:
        for c in s.columns:
            lines.append(
                (s.name, c.name, c.title, c.type, "yes" if c.required else "", ", ".join(c.enum), c.description)
            )
    for row in lines:
        ws.append(list(row))
    ws["A1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows():
        if row and row[0].value in ("How to fill in this workbook", "Sheet"):
            for cell in row:
                cell.font = BOLD
    for letter, width in zip("ABCDEFG", (18, 22, 28, 10, 10, 30, 90), strict=True):
        ws.column_dimensions[letter].width = width
    ws.protection.sheet = True


def _stamp(ws: Worksheet, meta: dict, profile: Profile, layout: list[Sheet]) -> None:
    for key, value in (
        ("format", WORKBOOK_FORMAT),
        ("profile", profile.name),
        ("profile_version", profile.version),
        ("utility", meta.get("utility")),
        ("filing_id", meta.get("filing_id")),
        ("sheets", ",".join(s.name for s in layout)),
        ("gridmod", __version__),
    ):
        ws.append([key, str(value)])
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
