"""Expectations phase: filing-level plausibility checked by great-expectations.

Each group of expectations runs as a suite on one batch (a table or a slice of it), so the results can also
become great-expectations Data Docs for the reviewer (`gridmod validate --data-docs DIR`). Drift against
the utility's previous filing lives in gridmod.validate.drift, the adapter that runs suites on polars frames
in gridmod.validate.gx. Great-expectations is slow to import (seconds), so it loads only when this phase runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from gridmod.filing import Filing
from gridmod.findings import Finding
from gridmod.spec import Profile
from gridmod.validate.gx import Suites, money


def _costs(filing: Filing, profile: Profile, costs: pl.DataFrame, suites: Suites, gxe: Any) -> list[Finding]:
    limits = profile.thresholds
    path = filing.rel_path(profile.table_path("costs"))
    findings = []
    recorded = costs.filter(pl.col("basis") == "recorded")
    low, high = limits["total_recorded_usd"]
    share = limits["authorized_share_min"]
    checks = [gxe.ExpectColumnSumToBeBetween(column="amount_usd", min_value=low, max_value=high,
                                             meta={"rule": "GMR-W090"})]
    if not recorded.is_empty():
        checks.append(gxe.ExpectColumnProportionOfNonNullValuesToBeBetween(
            column="authorized_usd", min_value=share, meta={"rule": "GMR-W093"}))
    total, *authorized = suites.run("recorded-costs", recorded, checks)
    if not total.success:
        findings.append(profile.rule("GMR-W090").finding(
            path, field="amount_usd", value=money(float(total.result.get("observed_value") or 0)),
            low=money(low), high=money(high)))
    if authorized and not authorized[0].success:
        findings.append(profile.rule("GMR-W093").finding(
            path, field="authorized_usd", value=round(float(authorized[0].result["observed_value"]) * 100),
            threshold=f"{share * 100:.0f}"))
    nonzero = costs.filter(pl.col("amount_usd") > 0)
    low, high = limits["row_amount_usd"]
    (amounts,) = suites.run("cost-amounts", nonzero, [gxe.ExpectColumnValuesToBeBetween(
        column="amount_usd", min_value=low, max_value=high, meta={"rule": "GMR-W091"})], "COMPLETE")
    column = [f["name"] for f in profile.schemas["costs"]["fields"]].index("amount_usd") + 1
    for index in amounts.result.get("unexpected_index_list") or []:
        row = nonzero.row(int(index), named=True)
        findings.append(profile.rule("GMR-W091").finding(
            path, line=row["_line"], column=column, field="amount_usd", value=row["amount_usd"],
            key=f"{row['activity_id']}/{row['year']}/{row['cost_type']}/{row['basis']}",
            low=money(low), high=money(high)))
    return findings


def _milestones(filing: Filing, profile: Profile, milestones: pl.DataFrame, suites: Suites, gxe: Any) -> list[Finding]:
    share = profile.thresholds["delayed_milestone_share_max"]
    (delayed,) = suites.run("milestones", milestones, [gxe.ExpectColumnValuesToNotBeInSet(
        column="status", value_set=["delayed"], mostly=1 - share, meta={"rule": "GMR-W092"})])
    if delayed.success:
        return []
    return [profile.rule("GMR-W092").finding(
        filing.rel_path(profile.table_path("milestones")), field="status",
        value=round(delayed.result["unexpected_percent"]), threshold=f"{share * 100:.0f}")]


def check_expectations(filing: Filing, profile: Profile, frames: dict[str, pl.DataFrame],
                       notes: list[str] | None = None, data_docs: Path | None = None) -> list[Finding]:
    """The plausibility and drift expectations; Data Docs of them in `data_docs` when it is given."""
    import great_expectations.expectations as gxe

    from gridmod.validate.datadocs import docs_folder
    from gridmod.validate.drift import check_drift

    suites = Suites(filing.rel.replace("/", "-"), docs_folder(data_docs, filing) if data_docs else None, data_docs)
    findings: list[Finding] = []
    if "costs" in frames:
        findings += _costs(filing, profile, frames["costs"], suites, gxe)
    if "milestones" in frames and not frames["milestones"].is_empty():
        findings += _milestones(filing, profile, frames["milestones"], suites, gxe)
    findings += check_drift(filing, profile, frames, suites, gxe, notes if notes is not None else [])
    suites.write_docs()
    return findings
