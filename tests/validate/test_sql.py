"""Row rules are SQL in rules.yaml: the text binds the filing's context, spells DAYS for each engine, and the
same text finds the same failing rows, with the same message parameters, on polars and on DuckDB."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from gridmod.errors import SetupError
from gridmod.spec import available_profiles, load_profile
from gridmod.validate.content import context_of, load_frames
from gridmod.validate.derived import derive
from gridmod.validate.rows import Context, failing_rows
from gridmod.validate.sql import to_dialect

from ..conftest import ROOT

VALUES = {"filing_date": date(2026, 10, 1), "limit": 90, "who": "Energy Division", "range": [1000, 2000]}


def test_context_values_are_bound_as_literals_outside_strings_only() -> None:
    text = (
        "a <= :filing_date AND b = ':filing_date' AND c <= :limit AND d = :who AND e::date IS NULL "
        "AND f BETWEEN :range[0] AND :range[1]"
    )
    assert to_dialect(text, VALUES) == (
        "a <= DATE '2026-10-01' AND b = ':filing_date' AND c <= 90 AND d = 'Energy Division' AND e::date IS NULL "
        "AND f BETWEEN 1000 AND 2000"
    )


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("polars", "(CAST(COALESCE(b, c) AS INTEGER) - CAST(a AS INTEGER)) > 90"),
        ("duckdb", "date_diff('day', a, COALESCE(b, c)) > 90"),
        ("spark", "datediff(COALESCE(b, c), a) > 90"),
    ],
)
def test_days_is_spelt_for_each_engine(dialect: str, expected: str) -> None:
    assert to_dialect("DAYS(a, COALESCE(b, c)) > :limit", VALUES, dialect) == expected


def test_a_broken_check_is_a_setup_error_naming_the_rule() -> None:
    with pytest.raises(SetupError, match=r"Rule GMR-E051 names :filing_day, which is not a value"):
        to_dialect("completion_date <= :filing_day", VALUES, where="Rule GMR-E051")
    with pytest.raises(SetupError, match="DAYS takes two dates, not 1"):
        to_dialect("DAYS(a) > 1", VALUES)
    with pytest.raises(SetupError, match=r"names :range, but :range is \[1000, 2000\]"):
        to_dialect("f < :range", VALUES)
    # Spark SQL escapes quotes and backslashes unlike polars and DuckDB: such a text is refused, not bound.
    with pytest.raises(SetupError, match="holds a quote or a backslash"):
        to_dialect("d = :who", {"who": "O'Brien"})


def _filings() -> list[Path]:
    patterns = (
        "data/*/*",
        "tests/fixtures/defects/*",
        "tests/ica/fixtures/defects/*",
        "tests/ica11/fixtures/defects/*",
        "tests/gmr11/fixtures/defects/*",
    )
    return [p for pattern in patterns for p in sorted(ROOT.glob(pattern)) if (p / "datapackage.json").is_file()]


def _frames(folder: Path):
    """The small tables of a filing that pass the structure phase, as the content phase reads them."""
    from gridmod.validate import validate_filing

    item = validate_filing(folder, ROOT, ("structure",))
    if item.profile is None or any(
        f.severity == "error" and f.path.endswith("datapackage.json") for f in item.result.findings
    ):
        return None
    broken = {f.path for f in item.result.findings if f.severity == "error"}
    readable = {
        t["name"]
        for t in item.profile.tables
        if not t.get("large")
        and t["name"] in item.filing.resources
        and item.filing.rel_path(item.profile.table_path(t["name"])) not in broken
    }
    frames = load_frames(item.filing, item.profile, readable)
    frames |= derive(item.profile.meta.get("derived_tables") or {}, frames)
    return item.filing, item.profile, frames


def _duckdb(frame: pl.DataFrame, query: str) -> list[object]:
    """The first column of `query` over `frame` (the table `rows`), in DuckDB."""
    with duckdb.connect() as con:
        con.register("rows", frame.to_arrow())
        return [r[0] for r in con.sql(query).fetchall()]


def test_every_row_check_finds_the_same_rows_on_polars_and_duckdb() -> None:
    failures_seen: dict[str, int] = {}
    checks_seen = set()
    for folder in _filings():
        loaded = _frames(folder)
        if loaded is None:
            continue
        filing, profile, frames = loaded
        ctx: Context = context_of(filing, profile)
        for rule in profile.rules.values():
            for check in rule.checks:
                checks_seen.add((rule.code, check.table))
                if check.table not in frames or frames[check.table].is_empty():
                    continue
                frame = frames[check.table]
                polars_lines = sorted(frame[i]["_line"].item() for _, _, i in failing_rows(frame, [(rule, check)], ctx))
                sql = to_dialect(check.check, ctx.values, "duckdb")
                failing_in_duckdb = _duckdb(
                    frame, f"SELECT _line FROM rows WHERE NOT COALESCE(({sql}), TRUE) ORDER BY _line"
                )
                assert failing_in_duckdb == polars_lines, (folder.name, rule.code, sql)
                failures_seen[rule.code] = failures_seen.get(rule.code, 0) + len(polars_lines)
                for name, spec in check.params.items():
                    text = spec["sql"] if isinstance(spec, dict) else spec
                    if not polars_lines:
                        continue
                    failing = frame.filter(pl.col("_line").is_in(polars_lines)).sort("_line")
                    ours = failing.with_columns(pl.sql_expr(to_dialect(text, ctx.values)).alias("v"))["v"].to_list()
                    theirs = _duckdb(
                        failing, f"SELECT {to_dialect(text, ctx.values, 'duckdb')} FROM rows ORDER BY _line"
                    )
                    assert [_plain(v) for v in ours] == [_plain(v) for v in theirs], (rule.code, name)
    every = {
        (code, c.table)
        for name, version in available_profiles(ROOT)
        for code, rule in load_profile(ROOT, name, version).rules.items()
        for c in rule.checks
    }
    assert checks_seen == every
    # The fixtures make every row rule fail somewhere, so no comparison above is of two empty answers.
    assert {code for code, _ in every} == {code for code, n in failures_seen.items() if n}


def _plain(value: object) -> object:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def test_a_message_of_context_values_alone_is_filled_for_every_failing_row() -> None:
    from gridmod.validate.rows import Where, check_row_rules

    profile = load_profile(ROOT, "gmr-appendix-a", "1.0")
    frame = pl.DataFrame(
        {
            "activity_id": ["a1", "a2"],
            "status": ["completed", "completed"],
            "start_date": [date(2025, 1, 1)] * 2,
            "completion_date": [date(2026, 11, 1), date(2026, 12, 1)],
            "_line": [2, 3],
        }
    )
    ctx = Context(date(2026, 10, 1), date(2024, 7, 1), date(2026, 6, 30), profile.thresholds)
    where = Where("data/pge/gmr-2026/activities.csv", ["activity_id", "status", "start_date", "completion_date"])
    found = [(f.code, f.line, f.message) for f in check_row_rules(profile, {"activities": frame}, ctx, lambda t: where)]
    assert found == [
        ("GMR-E051", 2, "completion_date '2026-11-01' is after the filing date 2026-10-01."),
        ("GMR-E051", 3, "completion_date '2026-12-01' is after the filing date 2026-10-01."),
    ]
