"""Content rules of the small ICA tables (issues, remediation, workshops).

Their row rules are SQL in rules.yaml, run by the one runner of every profile (gridmod.validate.rows); these
tables are small, so frictionless has already checked their cells and every value there is typed. What a row
expression cannot say (every issue has a plan; a resolved issue has no open action) is _plans below.
"""

from __future__ import annotations

import polars as pl

from gridmod.findings import Finding
from gridmod.ica.context import IcaContext
from gridmod.validate.rows import Context, Where, check_row_rules

c = pl.col
OPEN = ["planned", "in_progress"]


def check_rows(ctx: IcaContext, frames: dict[str, pl.DataFrame]) -> list[Finding]:
    """The SQL row checks of rules.yaml on the small tables, then the remediation plans of the issues."""
    rules_ctx = Context(ctx.filing_date, ctx.period_start, ctx.period_end, ctx.thresholds, ctx.filing.head.utility)

    def where(table: str) -> Where:
        return Where(ctx.path(table), [f["name"] for f in ctx.profile.schemas[table]["fields"]])

    return check_row_rules(ctx.profile, frames, rules_ctx, where) + _plans(ctx, frames)


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
            findings.append(
                ctx.profile.rule("ICA-E141").finding(
                    ctx.path("issues"), line=row["_line"], column=1, field="issue_id", value=issue, key=issue
                )
            )
        elif row["status"] == "resolved" and open_counts.get(issue):
            findings.append(
                ctx.profile.rule("ICA-W147").finding(
                    ctx.path("issues"),
                    line=row["_line"],
                    column=5,
                    field="status",
                    value=row["status"],
                    key=issue,
                    count=open_counts[issue],
                )
            )
    return findings
