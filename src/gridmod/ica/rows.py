"""Content rules of the small ICA tables (issues, remediation, workshops), run by pandera on polars.

As in the Appendix A engine (gridmod.validate.rows), each rule says where a row passes; pandera runs all of
a table's rules lazily and returns every failing row, which becomes a finding at that row's line. These
tables are small, so frictionless has already checked their cells and every value here is typed.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from gridmod.findings import Finding
from gridmod.ica.context import IcaContext
from gridmod.validate.rows import Context, RowRule, failing_rows

c = pl.col
ACTION = ("issue_id", "action_id")
OPEN = ["planned", "in_progress"]


def _due(row: dict[str, Any]) -> tuple[str, Any]:
    return ("forecast_date", row["forecast_date"]) if row["forecast_date"] else ("planned_date", row["planned_date"])


ROW_RULES: list[RowRule] = [
    RowRule("ICA-E142", "issues", "resolved_date", ("issue_id",),
            lambda ctx: (c("status") != "resolved") | c("resolved_date").is_not_null()),
    RowRule("ICA-E144", "issues", "resolved_date", ("issue_id",),
            lambda ctx: c("resolved_date") <= ctx.filing_date,
            lambda row, ctx: {"filing_date": ctx.filing_date.isoformat()}),
    RowRule("ICA-E143", "remediation", "actual_date", ACTION,
            lambda ctx: (c("status") != "completed") | c("actual_date").is_not_null()),
    RowRule("ICA-E144", "remediation", "actual_date", ACTION,
            lambda ctx: c("actual_date") <= ctx.filing_date,
            lambda row, ctx: {"filing_date": ctx.filing_date.isoformat()}),
    RowRule("ICA-W145", "remediation", "planned_date", ACTION,
            lambda ctx: ~c("status").is_in(OPEN)
            | (pl.coalesce(c("forecast_date"), c("planned_date")) >= ctx.filing_date),
            lambda row, ctx: {"status": row["status"], "date_field": _due(row)[0],
                              "value_override": _due(row)[1].isoformat(), "filing_date": ctx.filing_date.isoformat()}),
    RowRule("ICA-W146", "remediation", "forecast_date", ACTION,
            lambda ctx: ~c("status").is_in(OPEN) | c("forecast_date").is_null()
            | ((c("forecast_date") - c("planned_date")).dt.total_days() <= ctx.thresholds["remediation_slip_days"]),
            lambda row, ctx: {"days": (row["forecast_date"] - row["planned_date"]).days,
                              "planned": f"planned date {row['planned_date'].isoformat()}",
                              "limit": ctx.thresholds["remediation_slip_days"]}),
    RowRule("ICA-E152", "workshops", "workshop_date", ("workshop_date",),
            lambda ctx: (c("status") != "held") | (c("workshop_date") <= ctx.filing_date),
            lambda row, ctx: {"filing_date": ctx.filing_date.isoformat()}),
    RowRule("ICA-W153", "workshops", "workshop_date", ("workshop_date",),
            lambda ctx: (c("status") != "scheduled") | (c("workshop_date") >= ctx.filing_date),
            lambda row, ctx: {"filing_date": ctx.filing_date.isoformat()}),
]


def _show(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def check_rows(ctx: IcaContext, frames: dict[str, pl.DataFrame]) -> list[Finding]:
    rules_ctx = Context(ctx.filing_date, ctx.period_start, ctx.period_end, ctx.thresholds)
    findings = []
    for table in ("issues", "remediation", "workshops"):
        if table not in frames:
            continue
        columns = [f["name"] for f in ctx.profile.schemas[table]["fields"]]
        rules = [r for r in ROW_RULES if r.table == table]
        for rule, row in failing_rows(frames[table], rules, rules_ctx):
            params = rule.params(row, rules_ctx)
            value = params.pop("value_override", _show(row.get(rule.field)))
            findings.append(ctx.profile.rule(rule.code).finding(
                ctx.path(table), line=row["_line"], column=columns.index(rule.field) + 1, field=rule.field,
                value=value, key="/".join(str(_show(row[k])) for k in rule.key), **params))
    return findings + _plans(ctx, frames)


def _plans(ctx: IcaContext, frames: dict[str, pl.DataFrame]) -> list[Finding]:
    """Every issue has a remediation plan (ICA-E141); a resolved issue has no open action (ICA-W147)."""
    if not {"issues", "remediation"} <= frames.keys():
        return []
    actions = frames["remediation"]
    planned = set(actions["issue_id"].to_list())
    open_counts = dict(actions.filter(c("status").is_in(OPEN)).group_by("issue_id").len().iter_rows())
    findings = []
    for row in frames["issues"].iter_rows(named=True):
        issue = row["issue_id"]
        if issue not in planned:
            findings.append(ctx.profile.rule("ICA-E141").finding(
                ctx.path("issues"), line=row["_line"], column=1, field="issue_id", value=issue, key=issue))
        elif row["status"] == "resolved" and open_counts.get(issue):
            findings.append(ctx.profile.rule("ICA-W147").finding(
                ctx.path("issues"), line=row["_line"], column=5, field="status", value=row["status"], key=issue,
                count=open_counts[issue]))
    return findings
