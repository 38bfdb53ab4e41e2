"""How numbers and dates read in the report (coded values read as their profile's `labels:` say).

The outputs are Markdown fragments: a dollar sign is written ``\\$`` so Quarto, which reads ``$`` as
math, shows it literally too.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

DASH = "\N{EM DASH}"


def _whole(value: float | int | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def format_money(value: float | int | Decimal | None) -> str:
    """Whole US dollars with thousands separators, e.g. ``\\$12,345,678``; a dash when blank."""
    if value is None:
        return DASH
    amount = _whole(value)
    sign = "\N{MINUS SIGN}" if amount < 0 else ""
    return f"{sign}\\${abs(amount):,}"


def format_number(value: float | int | None) -> str:
    """A benefit value: thousands separators, no trailing zeros (1,234.5, 12, 0.25)."""
    if value is None:
        return DASH
    text = f"{Decimal(str(value)):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_date(value: date | None) -> str:
    """ISO dates (2026-10-01): unambiguous, and what the filer typed in the CSV."""
    return value.isoformat() if value else DASH


def format_long_date(value: date | None) -> str:
    """Dates in prose and on the title page, e.g. October 1, 2026."""
    return f"{value:%B} {value.day}, {value.year}" if value else DASH
