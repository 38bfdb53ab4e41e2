"""A small streaming XLSX writer: one sheet of typed cells, written row by row.

The site writes a workbook per table. openpyxl holds every cell of a workbook in memory (a sheet of the
ICA results would need gigabytes) and stamps the file with the time of writing; this writes the Office
Open XML parts directly, row by row into the zip, with every timestamp taken from the caller, so memory
does not grow with the table and a rebuild writes the same bytes. Only what the downloads need: inline
strings (marked as text with Excel's quote prefix where they start like a formula), numbers, booleans,
dates, a bold frozen header row and column widths.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

MAX_TEXT = 32_767  # characters Excel keeps in one cell
_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system, as its serial numbers count
# Characters XML 1.0 cannot hold (the text keeps tab, line feed and carriage return).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Cell styles (cellXfs below): 0 plain, 1 bold header, 2 date, 3 text with quote prefix.
HEADER, DATE, QUOTED = 1, 2, 3

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
    'Target="docProps/app.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    _DECL + f"<styleSheet {_NS}>"
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)[:MAX_TEXT]


def _cell(ref: str, value: Any, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, float):
        if not math.isfinite(value):
            return _cell(ref, str(value), style)
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        serial = (value - datetime.combine(_EPOCH, datetime.min.time())).total_seconds() / 86400
        return f'<c r="{ref}" s="{DATE}"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{DATE}"><v>{(value - _EPOCH).days}</v></c>'
    # An XML parser reads a bare carriage return as a line feed; a character reference keeps it.
    text = escape(xml_text(str(value))).replace("\r", "&#13;")
    return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{text}</t></is></c>'


def write_workbook(
    target: Path,
    sheet: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    quoted: Iterable[Sequence[bool]] | None = None,
    widths: Sequence[float] = (),
    title: str = "",
    stamp: datetime,
) -> None:
    """Write one sheet: `header` in bold and frozen, then `rows` of Python values (str, int, float, bool,
    date, datetime or None). `quoted` marks, per row and column, text to show with Excel's quote prefix.
    Every zip entry and the document's created/modified dates carry `stamp`."""
    moment = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (
        _DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(xml_text(title))}</dc:title><dc:creator>gridmod</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified></cp:coreProperties>'
    )
    app = (
        _DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>gridmod</Application></Properties>"
    )
    workbook = (
        _DECL + f'<workbook {_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(xml_text(sheet)[:31], {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("docProps/app.xml", app),
            ("docProps/core.xml", core),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
        ):
            archive.writestr(_entry(name, stamp), content)
        with archive.open(_entry("xl/worksheets/sheet1.xml", stamp), "w", force_zip64=True) as out:
            out.write(_sheet_start(len(header), widths).encode("utf-8"))
            letters = [column_letter(i) for i in range(1, len(header) + 1)]
            cells = "".join(_cell(f"{letters[i]}1", str(name), HEADER) for i, name in enumerate(header))
            out.write(f'<row r="1">{cells}</row>'.encode())
            marks = iter(quoted) if quoted is not None else None
            for number, row in enumerate(rows, start=2):
                flags = next(marks) if marks is not None else ()
                cells = "".join(
                    _cell(f"{letters[i]}{number}", value, QUOTED if i < len(flags) and flags[i] else 0)
                    for i, value in enumerate(row)
                )
                out.write(f'<row r="{number}">{cells}</row>'.encode())
            out.write(b"</sheetData></worksheet>")


def _sheet_start(columns: int, widths: Sequence[float]) -> str:
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(widths[:columns], start=1)
    )
    return (
        _DECL + f"<worksheet {_NS}>"
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>"
    )


def _entry(name: str, stamp: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info
