"""Cell values and CSV text: every value export writes reads back as the same text (property tests)."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

from gridmod.excel.layout import Column
from gridmod.excel.values import decimals_of, from_cell, number_text, to_cell

TEXT = Column("activity_name", "Activity name", "string", "", True)
NUMBER = Column("amount_usd", "Amount (USD)", "number", "", True)
PLAIN = Column("benefit_value", "Benefit value", "number", "", False)
INTEGER = Column("year", "Year", "integer", "", True)
DAY = Column("start_date", "Start date", "date", "", True)
FLAG = Column("has_activities", "Has activities", "boolean", "", True)


def round_trip(text: str, column: Column) -> str:
    value, decimals = to_cell(text, column)
    return from_cell(value, column, column.number_format(decimals), CALENDAR_WINDOWS_1900).text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), max_size=60))
def test_text_survives(text: str) -> None:
    assert round_trip(text.strip(), TEXT) == text.strip()


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_amounts_with_two_decimals_survive(amount) -> None:
    text = f"{amount:.2f}"
    assert round_trip(text, NUMBER) == text
    assert round_trip(text, PLAIN) == text


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_whole_numbers_survive(number: int) -> None:
    assert round_trip(str(number), NUMBER) == str(number)
    assert round_trip(str(number), INTEGER) == str(number)


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2199, 12, 31)))
def test_dates_survive(day: date) -> None:
    assert round_trip(day.isoformat(), DAY) == day.isoformat()


@given(st.text(max_size=20))
def test_any_text_in_a_typed_column_survives_or_stays_text(text: str) -> None:
    """What is not exactly a number or date goes to the workbook as text and comes back unchanged."""
    for column in (NUMBER, INTEGER, DAY, FLAG):
        value, _ = to_cell(text, column)
        if isinstance(value, str):
            assert value == text


def test_what_excel_stores_becomes_csv_text() -> None:
    epoch = CALENDAR_WINDOWS_1900
    assert from_cell(0.1 + 0.2, PLAIN, "General", epoch).text == "0.3"  # no float noise beyond 15 digits
    assert from_cell(12500000.0, NUMBER, "#,##0.00", epoch).text == "12500000.00"
    assert from_cell(1234.567, NUMBER, "#,##0.00", epoch).text == "1234.567"  # never rounded away
    assert from_cell(2025.0, INTEGER, "General", epoch).text == "2025"
    assert from_cell(1e-05, PLAIN, "General", epoch).text == "0.00001"
    assert from_cell(True, FLAG, "@", epoch).text == "true"
    assert from_cell(" False ", FLAG, "@", epoch).text == "false"
    assert (
        from_cell(datetime(2025, 3, 15, 14, 30), DAY, "yyyy-mm-dd", epoch).note
        == "the time 14:30:00 was dropped: only the date is kept"
    )
    assert from_cell(datetime(2025, 1, 2), TEXT, "General", epoch).text == "2025-01-02"
    assert from_cell("3/15/2025", DAY, "@", epoch).text == "3/15/2025"  # not guessed: validation names the cell
    assert number_text(-0.0) == "0"
    assert decimals_of("#,##0.00;[Red]-#,##0.00") == 2 and decimals_of('0.0"x"') == 1 and decimals_of(None) == 0
