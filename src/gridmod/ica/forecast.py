"""Results for forecast years (forecast_results, optional from profile 1.1): hosting capacity per line section,
scenario and future year.

The validation stage's streaming pass has checked every cell (gridmod.validate.large). Here come the rules of a
results row (a missing value needs a reason, a value its limiting criterion, no analysis after the filing
date: gridmod.ica.results.row_rules, at this table's columns), the key (each section, scenario and year once),
the foreign key to the results (feeder and section IDs are coded alike in both tables, so it compares
integers) and ICA-E125, a forecast year that is not after the year the reporting period ends.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from gridmod.ica.context import IcaContext
from gridmod.ica.results import Results, narrow, row_rules, rule_findings, section_keys, section_set
from gridmod.ica.spec import column_of
from gridmod.validate.large import LargeTables
from gridmod.validate.large.stream import Capped, Scan

TABLE = "forecast_results"
KEY = ["feeder_id", "section_id", "scenario", "forecast_year"]
c = pl.col


def check_forecast(ctx: IcaContext, large: LargeTables, results: Results | None, out: Capped) -> list[str]:
    """Row, key, foreign-key and year findings of the forecast results into `out`; notes of what was not checked."""
    scan = large.scans.get(TABLE)
    if scan is None or scan.row_count == 0:
        return []
    frame = narrow(scan)
    rules = row_rules(scan, frame, ctx.filing_date)
    broken = np.zeros(scan.row_count, dtype=bool)
    for flags in rules.values():
        broken |= flags.to_numpy()
    rule_findings(ctx, scan, rules, np.flatnonzero(broken), out, TABLE, KEY)
    year = scan.numeric("forecast_year", -1, np.int32)
    _duplicates(ctx, scan, frame, year, out)
    _years(ctx, scan, year, out)
    if results is None or not results.clean:
        return [
            f"The forecast results were not matched with the results ({ctx.file_name('results')} has errors or "
            "is missing)."
        ]
    group, present = section_keys(scan)
    e016 = ctx.profile.structure_rule("E016")
    column = column_of(ctx.profile, TABLE, "section_id")
    unknown = present & ~np.isin(group, section_set(results))
    for row in np.flatnonzero(unknown).tolist():
        out.add(
            e016.finding(
                scan.path,
                line=scan.line(row),
                column=column,
                field="section_id",
                value=scan.cell(row, "section_id"),
                key=scan.key(row, KEY[:2]),
                target=f"{ctx.file_name('results')} (feeder {scan.cell(row, 'feeder_id')})",
            )
        )
    return []


def _duplicates(ctx: IcaContext, scan: Scan, frame: pl.DataFrame, year: np.ndarray, out: Capped) -> None:
    """E015 at every row whose section, scenario and year an earlier row already has."""
    keys = (
        frame.lazy()
        .select("g", "scenario", pl.Series("year", year), "key_ok")
        .with_row_index("row")
        .filter(c("key_ok") & (c("year") >= 0))
        .filter(pl.struct("g", "scenario", "year").is_duplicated())
        .with_columns(first=c("row").min().over("g", "scenario", "year"))
        .filter(c("row") != c("first"))
        .sort("row")
        .collect()
    )
    e015 = ctx.profile.structure_rule("E015")
    for row, first in keys.select("row", "first").iter_rows():
        out.add(
            e015.finding(
                scan.path,
                line=scan.line(row),
                column=1,
                field="feeder_id",
                value=", ".join(scan.cell(row, k) or "" for k in KEY),
                key_fields=", ".join(KEY),
                resource=scan.path.rsplit("/", 1)[-1],
                variant="first_on_line",
                first=scan.line(first),
            )
        )


def _years(ctx: IcaContext, scan: Scan, year: np.ndarray, out: Capped) -> None:
    """ICA-E125 at every row whose forecast year is not after the year the reporting period ends."""
    rule = ctx.profile.rule("ICA-E125")
    column = column_of(ctx.profile, TABLE, "forecast_year")
    ends = ctx.period_end.year
    field = next(f for f in scan.schema["fields"] if f["name"] == "forecast_year")
    lowest = field.get("constraints", {}).get("minimum", 0)  # below it: E014 already
    for row in np.flatnonzero((year >= lowest) & (year <= ends)).tolist():
        out.add(
            rule.finding(
                scan.path,
                line=scan.line(row),
                column=column,
                field="forecast_year",
                value=int(year[row]),
                key=scan.key(row, KEY[:3]),
                period_year=ends,
                results_file=ctx.file_name("results"),
            )
        )
