"""The parsers and key rules one value at a time: what is read, and which problem is named otherwise."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from gridmod.imports.geometry import _to_degrees, check_crs, lines
from gridmod.imports.keys import Keys
from gridmod.imports.readers import UnreadableSource
from gridmod.imports.values import map_code, parse_date, parse_integer, parse_number

UNITS = {"kW": 1.0, "MW": 1000.0, "kV": 1.0}


def number(values: list[object], unit: str = "kW") -> tuple[list[object], list[object]]:
    parsed = parse_number(pl.Series("x", values), unit, UNITS)
    return parsed.values.to_list(), parsed.problems.to_list()


def test_text_numbers() -> None:
    assert number(["12kV", "1,234.5", " 7 ", "", None, "4.16 kV", "-3", ".5", "1e3"], "kV") == (
        [12.0, 1234.5, 7.0, None, None, 4.16, -3.0, 0.5, 1000.0],
        [None] * 9,
    )
    assert number(["0.5 MW", "250 kW", "2.5"], "kW") == ([500.0, 250.0, 2.5], [None] * 3)
    assert number(["2.5", "1,200"], "MW") == ([2500.0, 1200000.0], [None, None])
    values, problems = number(["n/a", "12 parsecs", "1.2.3", "--4"])
    assert problems == ["not_a_number", "unknown_unit", "not_a_number", "not_a_number"]


def test_numeric_columns_keep_their_values() -> None:
    assert number([1.5, None, 3.0], "MW") == ([1500.0, None, 3000.0], [None, None, None])


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_a_number_written_with_separators_reads_back(value: float) -> None:
    text = f"{value:,.3f}"
    assert number([text])[0][0] == pytest.approx(round(value, 3), rel=1e-12, abs=1e-9)


def test_integers() -> None:
    parsed = parse_integer(pl.Series("x", ["3", "3.0", "3.5", "", "x", "1,200"]))
    assert parsed.values.to_list() == [3, 3, None, None, None, 1200]
    assert parsed.problems.to_list() == [None, None, "not_an_integer", None, "not_an_integer", None]


def test_dates() -> None:
    esri = parse_date(pl.Series("d", [1777881600000, None]), "esri_ms")
    assert esri.values.to_list() == [date(2026, 5, 4), None] and esri.problems.to_list() == [None, None]
    text = parse_date(pl.Series("d", ["1777881600000", "1777881600000.0", "soon"]), "esri_ms")
    assert text.values.to_list() == [date(2026, 5, 4), date(2026, 5, 4), None]
    assert text.problems.to_list() == [None, None, "not_a_date"]
    us = parse_date(pl.Series("d", ["5/14/2026", "14/5/2026", ""]), "%m/%d/%Y")
    assert us.values.to_list() == [date(2026, 5, 14), None, None]
    assert us.problems.to_list() == [None, "not_a_date", None]
    iso = parse_date(pl.Series("d", ["2026-06-01", "2026-06-01T00:00:00"]), "iso")
    assert iso.values.to_list() == [date(2026, 6, 1), date(2026, 6, 1)]
    native = parse_date(pl.Series("d", [date(2026, 6, 2)]), "iso")
    assert native.values.to_list() == [date(2026, 6, 2)]


def test_codes_ignore_case_spaces_and_underscores() -> None:
    codes = {"steady state voltage": "steady_state_voltage", "op flex": "reverse_flow"}
    parsed = map_code(
        pl.Series("c", ["Steady State Voltage", "steady_state  VOLTAGE", "OP FLEX", "Flicker", ""]), codes
    )
    assert parsed.values.to_list() == ["steady_state_voltage", "steady_state_voltage", "reverse_flow", None, None]
    assert parsed.problems.to_list() == [None, None, None, "unknown_code", None]
    parts = {"gen light load": "generation light"}
    assert map_code(pl.Series("c", ["Gen Light Load"]), parts, part=2).values.to_list() == ["light"]


def test_digit_keys_restore_lost_zeros() -> None:
    keys = Keys({"feeder": {"rule": "digits", "digits": 9}, "substation": {"rule": "digits", "digits": 5}})
    feeders = keys.make("feeder", [pl.Series("f", ["12341101", "012341101", "0624A1101", "1234567890", None])])
    assert feeders.values.to_list() == ["012341101", "012341101", None, None, None]
    assert feeders.problems.to_list() == [None, None, "not_digits", "too_many_digits", None]
    subs = keys.make("substation", [pl.Series("s", [6246.0, 13579.0])])
    assert subs.values.to_list() == ["06246", "13579"]
    assert keys.crosswalk_rows() == [
        {"kind": "feeder", "native_key": "12341101", "id": "012341101"},
        {"kind": "substation", "native_key": "6246", "id": "06246"},
    ]


def test_name_keys_never_merge_two_names() -> None:
    keys = Keys({"feeder": {"rule": "name"}})
    first = keys.make("feeder", [pl.Series("f", ["ALHAMBRA 12KV", "A&B", "A B", "A&B"])])
    assert first.values.to_list() == ["ALHAMBRA_12KV", "A_B", "A_B-2", "A_B"]
    again = keys.make("feeder", [pl.Series("f", ["A B"])])
    assert again.values.to_list() == ["A_B-2"]
    spelled = keys.make("feeder", [pl.Series("f", ["alhambra  12kv", " Alhambra 12KV"])])
    assert spelled.values.to_list() == ["ALHAMBRA_12KV", "ALHAMBRA_12KV"]
    assert keys.make("feeder", [pl.Series("f", ["PEÑASQUITOS 1", "Ölberg"])]).values.to_list() == [
        "PENASQUITOS_1",
        "Olberg",
    ]
    long = keys.make("feeder", [pl.Series("f", ["X" * 50])])
    assert long.values.to_list() == ["X" * 40]


def test_part_keys_and_repeated_ids() -> None:
    keys = Keys({"section": {"rule": "parts", "with": "-"}})
    parts = keys.make("section", [pl.Series("n", ["N 1", "N2"]), pl.Series("s", [1, 2])])
    assert parts.values.to_list() == ["N_1-1", "N2-2"]
    unique = Keys({"section": {"rule": "id", "unique_by": "OBJECTID"}}, duplicates={("C1", "7")})
    ids = unique.make(
        "section",
        [pl.Series("s", ["7", "7", "8"])],
        pl.Series("f", ["C1", "C1", "C1"]),
        pl.Series("o", [11.0, 12.0, 13.0]),
    )
    assert ids.values.to_list() == ["7-11", "7-12", "8"]
    bad = Keys({"section": {"rule": "id"}}).make("section", [pl.Series("s", ["LS 1", "LS1"])])
    assert bad.problems.to_list() == ["bad_id", None]


def test_web_mercator_inverse_is_exact() -> None:
    lon, lat = -118.25, 34.05
    x = np.radians(lon) * 6378137.0
    y = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * 6378137.0
    assert _to_degrees(np.array([[x, y]])) == pytest.approx(np.array([[lon, lat]]), abs=1e-12)
    wkb = pl.Series([shapely.to_wkb(shapely.LineString([(x, y), (x + 10, y)]))], dtype=pl.Binary)
    line = shapely.from_wkb(lines(wkb, "EPSG:3857", 1).values[0])
    assert shapely.get_coordinates(line)[0] == pytest.approx([lon, lat], abs=1e-12)


def test_crs_other_than_wgs84_or_web_mercator_stops() -> None:
    check_crs("EPSG:4326", "a")
    check_crs(None, "a")
    check_crs("EPSG:3857", "a")
    with pytest.raises(UnreadableSource):
        check_crs("EPSG:2230", "a")
