"""Hosting capacity summarised for readers: per feeder, per substation and per limiting criterion.

Computed from the narrow typed columns of the results (gridmod.ica.results.narrow), so the report, the site
and the drift expectations all summarise the same numbers the validator saw. The narrow `scenario` column
holds each value's position in the profile's enum; positions are looked up by value here, so reordering the
enum in schemas/results.json cannot swap scenarios.
"""

from __future__ import annotations

import polars as pl

c = pl.col
GENERATION, LOAD, PV = "uniform_generation", "uniform_load", "pv"


def _median(scenario: int) -> pl.Expr:
    return _watts(c("static").filter(c("scenario") == scenario).median())


def _watts(value: pl.Expr) -> pl.Expr:
    """A median (the mean of the middle two of an even count) to the watt, so it publishes as 1882.8 and not
    as the float sum's 1882.8000000000002."""
    return value.round(3)


def feeder_summary(narrow: pl.DataFrame, scenarios: list[str]) -> pl.DataFrame:
    """One row per feeder of the results, sorted by feeder ID (`scenarios`: the profile's, in enum order)."""
    gen, load, pv = (scenarios.index(s) for s in (GENERATION, LOAD, PV))
    gen_criteria = c("criterion").filter((c("scenario") == gen) & c("criterion").is_not_null()).cast(pl.String)
    return (
        narrow.lazy()
        .filter(c("feeder").is_not_null())
        .group_by("feeder")
        .agg(
            sections=c("g").n_unique(),
            rows=pl.len(),
            gen_kw=_median(gen),
            load_kw=_median(load),
            pv_kw=_median(pv),
            criterion=gen_criteria.mode().sort().first(),
            newest=c("analysed").max(),
            missing_rows=c("reason").is_not_null().sum(),
        )
        .sort("feeder")
        .collect()
    )


def criterion_counts(narrow: pl.DataFrame, scenarios: list[str], criteria: list[str]) -> pl.DataFrame:
    """Result rows per scenario and static-grid limiting criterion (rows without a value are left out)."""
    frame = (
        narrow.lazy()
        .filter(c("criterion").is_not_null() & c("scenario").is_not_null())
        .group_by("scenario", c("criterion").cast(pl.String))
        .len()
        .collect()
    )
    rows = []
    for s, scenario in enumerate(scenarios):
        total = int(frame.filter(c("scenario") == s)["len"].sum())
        for criterion in criteria:
            n = frame.filter((c("scenario") == s) & (c("criterion") == criterion))["len"].sum()
            rows.append(
                {
                    "scenario": scenario,
                    "criterion": criterion,
                    "rows": int(n),
                    "share_pct": 100.0 * int(n) / total if total else 0.0,
                }
            )
    return pl.DataFrame(
        rows, schema={"scenario": pl.String, "criterion": pl.String, "rows": pl.Int64, "share_pct": pl.Float64}
    )


def substation_summary(
    narrow: pl.DataFrame, feeders: pl.DataFrame, substations: pl.DataFrame, scenarios: list[str]
) -> pl.DataFrame:
    """Per substation: feeders, line sections and the spread of uniform-generation static hosting capacity."""
    mapping = feeders.select(c("feeder_id").alias("feeder"), "substation_id")
    position = scenarios.index(GENERATION)
    gen = c("static").filter(c("scenario") == position)
    criteria = c("criterion").filter((c("scenario") == position) & c("criterion").is_not_null()).cast(pl.String)
    per = (
        narrow.lazy()
        .join(mapping.lazy(), on="feeder", how="inner")
        .group_by("substation_id")
        .agg(
            feeders=c("feeder").n_unique(),
            sections=c("g").n_unique(),
            p10_kw=gen.quantile(0.1, "nearest"),
            median_kw=_watts(gen.median()),
            p90_kw=gen.quantile(0.9, "nearest"),
            criterion=criteria.mode().sort().first(),
        )
        .collect()
    )
    names = substations.select("substation_id", "substation_name")
    return per.join(names, on="substation_id", how="left").sort("substation_id")
