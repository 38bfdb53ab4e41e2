"""Native cells to the profile's values, a batch at a time: numbers written as text ("1,234.5", "12kV"),
units, dates (Esri epoch milliseconds, ISO, or a strftime form) and coded texts.

Each parser returns the values and, per row, the problem (a key of messages.yaml) where a cell that is not
empty cannot be read; an empty cell is an empty value, never a problem here.
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

NUMBER = r"^([+-]?(?:[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)$"


class Parsed(NamedTuple):
    values: pl.Series
    problems: pl.Series  # String: the problem of each row, null where the cell was read (or empty)
    shown: pl.Series | None = None  # what a finding shows as the value, where not the native cell


def _text(series: pl.Series) -> pl.Series:
    """Cells as stripped text, null where empty."""
    text = series.cast(pl.String).str.strip_chars()
    return pl.select(pl.when(text == "").then(None).otherwise(text)).to_series()


def _none(series: pl.Series) -> pl.Series:
    return pl.repeat(None, len(series), dtype=pl.String, eager=True).alias(series.name)


def parse_numbers(frame: pl.DataFrame, names: list[str], unit: str, units: dict[str, float]) -> list[Parsed]:
    """parse_number of many columns at once (an hourly file's month-hour columns): the columns that read as
    plain numbers in one pass; only a column holding text such as "1,234.5" goes cell by cell."""
    factor = units[unit]
    text = {n: pl.col(n).cast(pl.String).str.strip_chars() for n in names}
    number = {n: t.cast(pl.Float64, strict=False) for n, t in text.items()}
    quick = frame.select([(number[n] * factor).alias(n) for n in names])
    unread = frame.select(
        [(text[n].is_not_null() & (text[n] != "") & number[n].is_null()).sum().alias(n) for n in names]
    ).row(0)
    none = _none(frame[names[0]]) if names else pl.Series(dtype=pl.String)
    return [
        Parsed(quick[n], none) if not bad else parse_number(frame[n], unit, units)
        for n, bad in zip(names, unread, strict=True)
    ]


def parse_number(series: pl.Series, unit: str, units: dict[str, float]) -> Parsed:
    """Numbers in the profile's unit: `unit` is the native one unless a cell writes its own ("0.5 MW")."""
    factor = units[unit]
    if series.dtype.is_numeric():
        return Parsed((series.cast(pl.Float64) * factor).alias(series.name), _none(series))
    text = _text(series)
    quick = text.cast(pl.Float64, strict=False)
    if quick.null_count() == text.null_count():
        return Parsed((quick * factor).alias(series.name), _none(series))
    parts = text.str.extract_groups(NUMBER)
    number = parts.struct.field("1").str.replace_all(",", "").cast(pl.Float64, strict=False)
    written = parts.struct.field("2")
    known = {name.casefold(): f for name, f in units.items()}
    factors = written.str.to_lowercase().replace_strict(known, default=None, return_dtype=pl.Float64)
    factors = pl.select(pl.when(written == "").then(factor).otherwise(factors)).to_series()
    values = (number * factors).alias(series.name)
    problems = pl.select(
        pl.when(text.is_null())
        .then(None)
        .when(number.is_null())
        .then(pl.lit("not_a_number"))
        .when(factors.is_null())
        .then(pl.lit("unknown_unit"))
        .otherwise(None)
    ).to_series()
    return Parsed(values, problems)


def parse_integer(series: pl.Series) -> Parsed:
    if series.dtype.is_integer():
        return Parsed(series.cast(pl.Int64), _none(series))
    parsed = parse_number(series, "1", {"1": 1.0})
    whole = parsed.values.round(0) == parsed.values
    problems = pl.select(
        pl.when(parsed.problems.is_not_null())
        .then(pl.lit("not_an_integer"))
        .when(whole.not_())
        .then(pl.lit("not_an_integer"))
        .otherwise(None)
    ).to_series()
    values = pl.select(pl.when(problems.is_null()).then(parsed.values).otherwise(None)).to_series()
    return Parsed(values.cast(pl.Int64).alias(series.name), problems)


def parse_date(series: pl.Series, form: str) -> Parsed:
    """`esri_ms`: milliseconds since 1970 (UTC), as Esri's JSON and GeoJSON write dates; `iso`: YYYY-MM-DD;
    otherwise a strftime form such as %m/%d/%Y. Date and datetime columns (shapefile, geodatabase) as they are."""
    if series.dtype == pl.Date:
        return Parsed(series, _none(series))
    if isinstance(series.dtype, pl.Datetime):
        return Parsed(series.dt.date(), _none(series))
    if form == "esri_ms":
        millis = (
            series.cast(pl.Int64, strict=False)
            if series.dtype.is_numeric()
            else _text(series).str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)
        )
        values = pl.select(pl.from_epoch(millis, time_unit="ms").dt.date()).to_series()
        text = _text(series)
    else:
        text = _text(series)
        pattern = "%Y-%m-%d" if form == "iso" else form
        values = text.str.slice(0, 10 if form == "iso" else None).str.strptime(pl.Date, pattern, strict=False)
    problems = pl.select(
        pl.when(text.is_not_null() & values.is_null()).then(pl.lit("not_a_date")).otherwise(None)
    ).to_series()
    return Parsed(values.alias(series.name), problems)


def map_code(series: pl.Series, codes: dict[str, str], part: int | None = None) -> Parsed:
    """A native text as the profile's code (`part` picks a word of a code such as "generation light")."""
    text = _text(series)
    key = text.str.replace_all("_", " ").str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    table = codes if part is None else {k: v.split()[part - 1] for k, v in codes.items()}
    values = key.replace_strict(table, default=None, return_dtype=pl.String)
    problems = pl.select(
        pl.when(text.is_not_null() & values.is_null()).then(pl.lit("unknown_code")).otherwise(None)
    ).to_series()
    return Parsed(values.alias(series.name), problems)


def as_text(series: pl.Series) -> Parsed:
    """Text as published; numbers read by GDAL (an OBJECTID) without a trailing .0."""
    if series.dtype.is_float():
        whole = series.round(0) == series
        series = (
            pl.select(pl.when(whole).then(series.cast(pl.Int64).cast(pl.String)).otherwise(series.cast(pl.String)))
            .to_series()
            .alias(series.name)
        )
    return Parsed(_text(series), _none(series))
