"""The SQL of row rules: one text, bound to a filing's context and written for the engine that runs it.

A row rule's `check` (validation/<profile>/<version>/rules.yaml) is a SQL boolean expression over one row,
written in the subset that polars (pl.sql_expr), DuckDB and Spark SQL all read: comparisons, AND / OR / NOT,
IS [NOT] NULL, [NOT] IN, BETWEEN, COALESCE, CASE, CAST and arithmetic, DATE 'YYYY-MM-DD' literals. Two
things differ between the engines and are written once here:
- `:name` is a value of the filing's context (`:filing_date`, `:period_start`, `:filing_year`, `:filing_year_start`
  (its January 1), `:utility`, any
  threshold of the profile by its name, an item of a pair as `:name[0]`), bound as a literal before the text reaches
  the engine;
- DAYS(a, b) is the number of days from date a to date b, which each engine spells differently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from gridmod.errors import SetupError

DIALECTS = ("polars", "duckdb", "spark")
_DAYS = {
    "polars": "(CAST({b} AS INTEGER) - CAST({a} AS INTEGER))",
    "duckdb": "date_diff('day', {a}, {b})",
    "spark": "datediff({b}, {a})",
}
_NAME = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)(?:\[(\d+)\])?")
_MACRO = re.compile(r"\bDAYS\s*\(", re.IGNORECASE)


def context_values(
    filing_date: date, period_start: date, period_end: date, thresholds: dict[str, Any], utility: str = ""
) -> dict[str, Any]:
    """What `:name` may name: the filing's dates and years, its utility (a rule of one utility's IDs), and
    every threshold of the profile (a pair such as a plausible range by its item, `:row_amount_usd[0]`)."""
    values: dict[str, Any] = {k: v for k, v in thresholds.items() if isinstance(v, int | float | str | list)}
    values |= {
        "filing_date": filing_date,
        "period_start": period_start,
        "period_end": period_end,
        "filing_year": filing_date.year,
        "filing_year_start": date(filing_date.year, 1, 1),
        "period_start_year": period_start.year,
        "utility": utility,
    }
    return values


def literal(value: Any) -> str:
    """A context value as a SQL literal every engine reads the same way. A text holding a quote or a backslash
    is refused: Spark SQL escapes those differently from polars and DuckDB."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if "'" in text or "\\" in text:
        raise ValueError(f"the text {text!r} holds a quote or a backslash, which SQL engines read differently")
    return f"'{text}'"


def _code_spans(text: str) -> Iterator[tuple[int, int]]:
    """The stretches of `text` outside string literals ('...', with '' for a quote)."""
    start, i = 0, 0
    while i < len(text):
        if text[i] == "'":
            yield start, i
            i += 1
            while i < len(text):
                if text[i] == "'" and text[i + 1 : i + 2] == "'":
                    i += 2
                elif text[i] == "'":
                    break
                else:
                    i += 1
            start = i + 1
        i += 1
    yield start, len(text)


def _outside_strings(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    for start, end in _code_spans(text):
        yield from pattern.finditer(text, start, end)


def _arguments(text: str, opening: int) -> tuple[list[str], int]:
    """The comma-separated arguments of the call whose "(" is at `opening`, and the index after its ")"."""
    depth, parts, begin, i, quoted = 0, [], opening + 1, opening, False
    while i < len(text):
        char = text[i]
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                parts.append(text[begin:i].strip())
                return parts, i + 1
        elif not quoted and char == "," and depth == 1:
            parts.append(text[begin:i].strip())
            begin = i + 1
        i += 1
    raise ValueError(f"unbalanced parentheses in {text!r}")


def _expand_days(text: str, dialect: str) -> str:
    while True:
        match = next(_outside_strings(text, _MACRO), None)
        if match is None:
            return text
        args, end = _arguments(text, match.end() - 1)
        if len(args) != 2:
            raise ValueError(f"DAYS takes two dates, not {len(args)}: {text[match.start() : end]!r}")
        a, b = (_expand_days(arg, dialect) for arg in args)
        text = text[: match.start()] + _DAYS[dialect].format(a=a, b=b) + text[end:]


def to_dialect(text: str, values: dict[str, Any], dialect: str = "polars", *, where: str = "") -> str:
    """`text` with its context values bound and DAYS written for `dialect`; SetupError for a name the
    context lacks or a malformed macro (the rule spec is broken, not the filing)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}")
    pieces, last = [], 0
    for match in _outside_strings(text, _NAME):
        name, item = match.group(1), match.group(2)
        if name not in values:
            raise SetupError(
                f"{where or 'A row check'} names :{name}, which is not a value of the filing's "
                f"context ({', '.join(sorted(values))})."
            )
        value = values[name]
        if isinstance(value, list) != (item is not None) or (item is not None and int(item) >= len(value)):
            raise SetupError(f"{where or 'A row check'} names {match.group(0)}, but :{name} is {value!r}.")
        try:
            pieces += [text[last : match.start()], literal(value[int(item)] if item is not None else value)]
        except ValueError as exc:
            raise SetupError(f"{where or 'A row check'} names {match.group(0)}, but {exc}.") from exc
        last = match.end()
    bound = "".join(pieces) + text[last:]
    try:
        return _expand_days(bound, dialect)
    except ValueError as exc:
        raise SetupError(f"{where or 'A row check'} cannot be read: {exc}.") from exc
