"""Content phase, row rules: Appendix A business rules declared as polars expressions and run by pandera.

Each rule says where a row passes; pandera (polars backend) runs all of a table's rules lazily and returns
every failing row, which becomes a finding at that row's line. The catalogue in validation/ holds the
words; this module holds only the logic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

c = pl.col


@dataclass(frozen=True)
class Context:
    filing_date: date
    period_start: date
    period_end: date
    thresholds: dict[str, Any]

    @property
    def filing_year(self) -> int:
        return self.filing_date.year


@dataclass(frozen=True)
class RowRule:
    code: str
    table: str
    field: str  # the column a finding points at
    key: tuple[str, ...]  # columns that name the row in findings and explanations
    passes: Callable[[Context], pl.Expr]  # true where the row satisfies the rule
    params: Callable[[dict[str, Any], Context], dict[str, Any]] = dataclasses.field(default=lambda row, ctx: {})


def _slip(ctx: Context) -> pl.Expr:
    return (pl.coalesce(c("actual_date"), c("forecast_date")) - c("baseline_date")).dt.total_days()


ACTIVITY = ("activity_id",)
MILESTONE = ("activity_id", "milestone_id")
COST = ("activity_id", "year", "cost_type", "basis")
GROUP = ("activity_id", "year", "cost_type")

ROW_RULES: list[RowRule] = [
    RowRule("GMR-E050", "activities", "completion_date", ACTIVITY,
            lambda ctx: (c("status") != "completed") | c("completion_date").is_not_null()),
    RowRule("GMR-E051", "activities", "completion_date", ACTIVITY,
            lambda ctx: c("completion_date") <= ctx.filing_date,
            lambda row, ctx: {"filing_date": ctx.filing_date.isoformat()}),
    RowRule("GMR-E052", "activities", "completion_date", ACTIVITY,
            lambda ctx: c("completion_date") >= c("start_date"),
            lambda row, ctx: {"start": row["start_date"].isoformat()}),
    RowRule("GMR-E053", "activities", "completion_date", ACTIVITY,
            lambda ctx: c("completion_date").is_null() | ~c("status").is_in(["planned", "in_progress"]),
            lambda row, ctx: {"status": row["status"]}),
    RowRule("GMR-W054", "activities", "completion_date", ACTIVITY,
            lambda ctx: (c("status") != "completed") | (c("completion_date") >= ctx.period_start),
            lambda row, ctx: {"start": ctx.period_start.isoformat()}),
    RowRule("GMR-E040", "milestones", "actual_date", MILESTONE,
            lambda ctx: (c("status") != "achieved") | c("actual_date").is_not_null()),
    RowRule("GMR-E041", "milestones", "actual_date", MILESTONE,
            lambda ctx: c("actual_date") <= ctx.filing_date,
            lambda row, ctx: {"filing_date": ctx.filing_date.isoformat()}),
    RowRule("GMR-E042", "milestones", "actual_date", MILESTONE,
            lambda ctx: c("actual_date").is_null() | (c("status") == "achieved"),
            lambda row, ctx: {"status": row["status"]}),
    RowRule("GMR-E043", "milestones", "forecast_date", MILESTONE,
            lambda ctx: (c("status") != "delayed") | c("forecast_date").is_not_null()),
    RowRule("GMR-W044", "milestones", "actual_date", MILESTONE,
            lambda ctx: (c("status") != "achieved") | (c("actual_date") >= ctx.period_start),
            lambda row, ctx: {"start": ctx.period_start.isoformat()}),
    RowRule("GMR-X045", "milestones", "baseline_date", MILESTONE,
            lambda ctx: (c("status") == "cancelled") | (_slip(ctx) <= ctx.thresholds["milestone_slip_days"]),
            lambda row, ctx: {"value_override": ((row["actual_date"] or row["forecast_date"])
                                                 - row["baseline_date"]).days,
                              "baseline": row["baseline_date"].isoformat(),
                              "threshold": ctx.thresholds["milestone_slip_days"]}),
    RowRule("GMR-W046", "milestones", "forecast_date", MILESTONE,
            lambda ctx: ~c("status").is_in(["on_track", "delayed"]) | (c("forecast_date") >= ctx.filing_date),
            lambda row, ctx: {"status": row["status"], "filing_date": ctx.filing_date.isoformat()}),
    RowRule("GMR-E060", "costs", "year", COST,
            lambda ctx: (c("basis") != "recorded") | (c("year") < ctx.filing_year),
            lambda row, ctx: {"filing_year": ctx.filing_year}),
    RowRule("GMR-E061", "costs", "year", COST,
            lambda ctx: (c("basis") != "forecast") | (c("year") >= ctx.filing_year),
            lambda row, ctx: {"filing_year": ctx.filing_year}),
    RowRule("GMR-W064", "costs", "year", COST,
            lambda ctx: c("year").is_between(ctx.period_start.year - ctx.thresholds["cost_year_window"],
                                              ctx.filing_year + ctx.thresholds["cost_year_window"]),
            lambda row, ctx: {"window": ctx.thresholds["cost_year_window"]}),
    RowRule("GMR-E070", "use_cases", "benefit_value", ("activity_id", "use_case_id"),
            lambda ctx: c("benefit_value").is_null()
            | (c("benefit_metric").is_not_null() & c("benefit_unit").is_not_null()),
            lambda row, ctx: {"missing": " and ".join(
                f for f in ("benefit_metric", "benefit_unit") if row[f] is None)}),
    RowRule("GMR-X062", "cost_groups", "amount_usd", GROUP,
            lambda ctx: c("authorized_usd").is_null() | (c("authorized_usd") <= 0) | (c("recorded_usd") <= 0)
            | (c("recorded_usd") <= c("authorized_usd") * (1 + ctx.thresholds["authorized_overrun_pct"] / 100)),
            lambda row, ctx: {
                "value_override": round((row["recorded_usd"] / row["authorized_usd"] - 1) * 100, 1),
                "activity_id": row["activity_id"], "year": row["year"],
                "cost_type": "O&M" if row["cost_type"] == "om" else row["cost_type"],
                "recorded": f"${row['recorded_usd']:,.0f}", "authorized": f"${row['authorized_usd']:,.0f}",
                "threshold": ctx.thresholds["authorized_overrun_pct"]}),
]


def cost_groups(costs: pl.DataFrame) -> pl.DataFrame:
    """One row per activity, year and cost type: recorded total and the authorized amount(s)."""
    return (
        costs.sort("_line")
        .group_by(list(GROUP), maintain_order=True)
        .agg(
            c("_line").first(),
            c("amount_usd").filter(c("basis") == "recorded").sum().alias("recorded_usd"),
            c("authorized_usd").drop_nulls().first().alias("authorized_usd"),
            c("amount_usd").sum(),
        )
    )


def failing_rows(frame: pl.DataFrame, rules: list[RowRule], ctx: Context) -> list[tuple[RowRule, dict[str, Any]]]:
    """Run the rules of one table with pandera; every failing row, with the rule it fails."""
    import pandera.polars as pa

    if frame.is_empty() or not rules:
        return []
    checks = [
        pa.Check(lambda data, rule=rule: data.lazyframe.select(rule.passes(ctx).fill_null(True)), name=rule.code)
        for rule in rules
    ]
    try:
        pa.DataFrameSchema(checks=checks).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    out = []
    for number, index, case in cases.select("check_number", "index", "failure_case").iter_rows():
        if index is None:
            # pandera reports a check that raised as a failure without a row; that is a bug in a rule,
            # and hiding it would silently skip the rule.
            code = rules[number].code if number is not None else "?"
            raise RuntimeError(f"content rule {code} could not run on {len(frame)} rows: {case}")
        out.append((rules[number], frame.row(index, named=True)))
    out.sort(key=lambda item: (item[1]["_line"], item[0].code))
    return out
