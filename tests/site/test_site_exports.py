"""Table downloads: formulas defused in CSV and Excel text cells, numbers kept as numbers, same bytes on rebuild."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from datetime import date, datetime

import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gridmod.site.exports import (
    FORMULA_START,
    FiledTable,
    defuse,
    read_filed_table,
    write_csv,
    write_parquet,
    write_xlsx,
)

SCHEMA = {
    "fields": [
        {"name": "note", "type": "string", "description": "Free text."},
        {"name": "amount_usd", "type": "number"},
        {"name": "year", "type": "integer"},
        {"name": "day", "type": "date"},
        {"name": "flag", "type": "boolean"},
    ]
}
FILED = (
    "note,amount_usd,year,day,flag\n"
    '"=HYPERLINK(""http://x"")",-5.25,2025,2025-01-02,true\n'
    "+1 555 0100,0,2026,,false\n"
    "@SUM(A1),12.50,2024,2024-12-31,\n"
    '"\ttabbed",1e3,2023,,true\n'
    '"\rreturn",,2022,,\n'
    "-minus,-0.0,2021,,\n"
    "plain text,7,2020,,\n"
)


def filed_table(tmp_path, text: str = FILED) -> FiledTable:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return read_filed_table("t", path, SCHEMA)


def csv_rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))


def test_csv_escapes_formula_text_and_keeps_numbers_as_filed(tmp_path):
    write_csv(filed_table(tmp_path), tmp_path / "out.csv")
    rows = csv_rows(tmp_path / "out.csv")
    assert rows[0] == ["note", "amount_usd", "year", "day", "flag"]
    assert rows[1] == ['\'=HYPERLINK("http://x")', "-5.25", "2025", "2025-01-02", "true"]
    assert [r[0] for r in rows[2:]] == ["'+1 555 0100", "'@SUM(A1)", "'\ttabbed", "'\rreturn", "'-minus", "plain text"]
    assert [r[1] for r in rows[1:]] == ["-5.25", "0", "12.50", "1e3", "", "-0.0", "7"]
    assert (tmp_path / "out.csv").read_bytes().startswith(b"note,amount_usd")  # no BOM
    assert b"\r\n" in (tmp_path / "out.csv").read_bytes()


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers(tmp_path):
    assert write_xlsx(filed_table(tmp_path), tmp_path / "out.xlsx", "T", date(2026, 10, 1))
    sheet = load_workbook(tmp_path / "out.xlsx").active
    note, amount, year, day, flag = (sheet.cell(row=2, column=c) for c in range(1, 6))
    assert note.value == '=HYPERLINK("http://x")' and note.data_type == "s" and note.quotePrefix
    assert amount.value == -5.25 and amount.data_type == "n"
    assert year.value == 2025 and isinstance(year.value, int)
    assert day.value == datetime(2025, 1, 2) and day.number_format == "yyyy-mm-dd"
    assert flag.value is True
    assert sheet.cell(row=8, column=1).value == "plain text" and not sheet.cell(row=8, column=1).quotePrefix
    assert sheet.cell(row=6, column=2).value is None  # empty stays empty
    with zipfile.ZipFile(tmp_path / "out.xlsx") as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere


def test_xlsx_is_byte_identical_when_rebuilt(tmp_path):
    table = filed_table(tmp_path)
    write_xlsx(table, tmp_path / "one.xlsx", "T", date(2026, 10, 1))
    time.sleep(1.1)  # the clock moves; the workbook must not show it
    write_xlsx(table, tmp_path / "two.xlsx", "T", date(2026, 10, 1))
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 10, 1, 0, 0, 0)}
        assert b"2026-10-01T00:00:00Z</dcterms:modified>" in z.read("docProps/core.xml")


def test_parquet_is_typed_and_unchanged(tmp_path):
    write_parquet(filed_table(tmp_path), tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet")
    assert str(table.schema.field("amount_usd").type) == "double"
    assert str(table.schema.field("year").type) == "int64"
    assert str(table.schema.field("note").type) in ("string", "large_string")
    assert str(table.schema.field("day").type) == "date32[day]"
    metadata = pq.ParquetFile(tmp_path / "out.parquet").metadata.metadata
    assert json.loads(metadata[b"gridmod:descriptions"]) == {"note": "Free text."}
    data = table.to_pydict()
    assert data["note"][0] == '=HYPERLINK("http://x")'  # Parquet is not a spreadsheet: nothing runs
    assert data["amount_usd"][:3] == [-5.25, 0.0, 12.5] and data["amount_usd"][4] is None
    assert data["day"][0] == date(2025, 1, 2) and data["flag"][:2] == [True, False]


def test_xlsx_refuses_more_rows_than_excel_opens(tmp_path, monkeypatch):
    import gridmod.site.exports as exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    assert not write_xlsx(filed_table(tmp_path), tmp_path / "big.xlsx", "T", date(2026, 10, 1))
    assert not (tmp_path / "big.xlsx").exists()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_cell_reads_back_as_itself_or_defused(value):
    table = FiledTable("t", ["note", "amount_usd"], ["string", "number"], [[value, "-5.25"]], ["", ""])
    buffer = io.BytesIO()

    class Target:
        def write_bytes(self, data: bytes) -> None:
            buffer.write(data)

    write_csv(table, Target())  # type: ignore[arg-type]
    rows = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8"), newline="")))
    assert rows[1] == [defuse(value), "-5.25"]
    assert rows[1][0] == ("'" + value if value.startswith(FORMULA_START) else value)
    assert not rows[1][0].startswith(("=", "+", "-", "@", "\t", "\r"))


@settings(max_examples=40, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
    # Dollar amounts to the cent: spreadsheets keep 15 significant digits, so this is the range that matters.
    st.integers(min_value=-(10**14), max_value=10**14).map(lambda cents: cents / 100),
)
def test_any_text_and_number_survive_the_workbook(tmp_path_factory, text, number):
    folder = tmp_path_factory.mktemp("x")
    table = FiledTable("t", ["note", "amount_usd"], ["string", "number"], [[text, repr(number)]], ["", ""])
    write_xlsx(table, folder / "t.xlsx", "T", date(2026, 10, 1))
    cell, amount = (load_workbook(folder / "t.xlsx").active.cell(row=2, column=c) for c in (1, 2))
    shown = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)  # XML cannot hold the rest
    assert (cell.value or "") == shown and (cell.value is None or cell.data_type == "s")
    assert amount.value == number
