"""Cell values to and from the exact CSV text of a filing.

Export writes a typed cell (date, number) only where reading it back gives the same text again, and text
otherwise; import turns what Excel stores back into CSV text and says what it had to repair. Repairs are
limited to how Excel represents a value (serial dates, numbers stored as text, stray spaces, TRUE/FALSE);
a value whose meaning is unclear, such as 3/4/2025 typed as text, is passed on unchanged so that validation
reports it at its cell with the rule's own explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from openpyxl.utils.datetime import from_excel

from gridmod.excel.layout import Column

_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,14})")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.([0-9]+))?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


@dataclass(frozen=True)
class Converted:
    text: str
    note: str | None = None  # what was repaired, in words, when the text differs from what Excel showed


def to_cell(text: str, column: Column) -> tuple[Any, int]:
    """The value to write for one CSV cell, and the decimals its number format must show."""
    if text == "":
        return None, 0
    if column.type == "date" and _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text), 0
        except ValueError:
            return text, 0
    if column.type == "integer" and _INTEGER.fullmatch(text):
        return int(text), 0
    if column.type == "number":
        match = _NUMBER.fullmatch(text)
        if match and len(text.replace("-", "").replace(".", "")) <= 15:
            decimals = len(match.group(3) or "")
            value: int | float = int(text) if not decimals else float(text)
            if number_text(value, decimals) == text:
                return value, decimals
    return text, 0


def number_text(value: int | float, decimals: int = 0) -> str:
    """A number as CSV text: no exponent, no float noise beyond Excel's 15 digits, at least `decimals`."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        text = str(value)
    else:
        rounded = float(f"{value:.15g}")
        if rounded.is_integer() and abs(rounded) < 1e15:
            text = str(int(rounded))
        else:
            text = format(Decimal(repr(rounded)), "f")
    if decimals:
        whole, _, fraction = text.partition(".")
        text = f"{whole}.{fraction.ljust(decimals, '0')}"
    return text


def decimals_of(number_format: str | None) -> int:
    """How many decimals a number format shows: `#,##0.00` -> 2, `General` -> 0."""
    section = _QUOTED.sub("", (number_format or "General").split(";")[0])
    if "." not in section:
        return 0
    after = section.split(".", 1)[1]
    return len(after) - len(after.lstrip("0"))


def from_cell(value: Any, column: Column, number_format: str | None, epoch: datetime) -> Converted:
    """The CSV text of one cell as Excel stores it, with a note when it had to be repaired."""
    if value is None:
        return Converted("")
    if isinstance(value, bool):
        text = "true" if value else "false"
        return Converted(text, None if column.type == "boolean" else f"Excel's {str(value).upper()} read as {text}")
    if isinstance(value, datetime | date):
        return _from_date(value, column)
    if isinstance(value, time | timedelta):
        return Converted(str(value), "a time of day, not a date or number")
    if isinstance(value, int | float):
        return _from_number(value, column, number_format, epoch)
    return _from_text(str(value), column)


def _from_date(value: date, column: Column) -> Converted:
    day = value.date() if isinstance(value, datetime) else value
    note = None
    if isinstance(value, datetime) and value.time() != time(0, 0):
        note = f"the time {value.time().isoformat()} was dropped: only the date is kept"
    if column.type != "date":
        note = f"Excel had turned this into a date; imported as {day.isoformat()}"
    return Converted(day.isoformat(), note)


def _from_number(value: int | float, column: Column, number_format: str | None, epoch: datetime) -> Converted:
    if column.type == "date":
        try:
            day = from_excel(value, epoch)
        except (ValueError, OverflowError, TypeError):
            return Converted(number_text(value), None)
        day = day.date() if isinstance(day, datetime) else day
        if not isinstance(day, date):
            return Converted(number_text(value), None)
        system = "1904" if epoch.year == 1904 else "1900"
        return Converted(
            day.isoformat(),
            f"the number {number_text(value)} was read as the date {day.isoformat()} "
            f"(Excel's {system} date system); give the cell a date format to see it",
        )
    if column.type == "integer":
        return Converted(number_text(value))
    if column.type == "number":
        return Converted(number_text(value, decimals_of(number_format)))
    return Converted(number_text(value))


def _from_text(value: str, column: Column) -> Converted:
    text = value.strip()
    note = None
    if text != value:
        note = "spaces before or after the value were removed"
    if column.type == "boolean" and text.lower() in ("true", "false") and text != text.lower():
        text, note = text.lower(), f"{text} read as {text.lower()}"
    return Converted(text, note)
