"""Drift: expectations that compare a filing with the same utility's previous filing of the same profile.

A reviewer's first questions about a new filing are how it moved since the last one: did the recorded
costs jump, did more milestones slip, were past years' recorded costs restated. The previous filing is
found under data/<utility>/ by filing date (gridmod.diff.previous); a filing without one is not compared.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from gridmod.filing import Filing
from gridmod.findings import Checked, Finding
from gridmod.spec import Profile, load_profile
from gridmod.tables import read_table, to_polars
from gridmod.validate.gx import Suites, money

GROUP = ["activity_id", "year", "cost_type"]


def _previous_frames(previous: Filing) -> dict[str, pl.DataFrame]:
    meta = previous.meta
    profile = load_profile(previous.root, str(meta["profile"]), str(meta["profile_version"]))
    frames = {}
    for name in ("costs", "milestones"):
        schema = profile.schemas[name]
        frames[name] = to_polars(read_table(previous.folder / profile.table_path(name), schema), schema)
    return frames


def check_drift(filing: Filing, profile: Profile, frames: dict[str, pl.DataFrame], suites: Suites, gxe: Any) -> Checked:
    """Drift against the utility's previous filing of the profile; the notes say what was compared."""
    from gridmod.previous import find_previous

    previous = find_previous(filing)
    tables = [name for name in ("costs", "milestones") if name in frames]
    if previous is None or not tables:
        return Checked()
    try:
        old = _previous_frames(previous)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Checked(notes=[f"Drift checks skipped: the previous filing {previous.rel} cannot be read ({exc})."])
    notes = [
        f"Drift checks compared {' and '.join(profile.table_path(n) for n in tables)} with the previous "
        f"filing, {previous.rel} (filed {previous.meta.get('filing_date')})."
    ]
    label = str(previous.meta.get("filing_id", previous.rel))
    findings: list[Finding] = []
    if "costs" in frames:
        findings += _recorded_total(filing, profile, frames["costs"], old["costs"], label, suites, gxe)
        findings += _restated(filing, profile, frames["costs"], old["costs"], label, suites, gxe)
    if "milestones" in frames and not frames["milestones"].is_empty() and not old["milestones"].is_empty():
        findings += _delayed_share(filing, profile, frames["milestones"], old["milestones"], label, suites, gxe)
    return Checked(findings, notes)


def _recorded(costs: pl.DataFrame) -> pl.DataFrame:
    """Recorded costs of whole years: a year-to-date row of the filing year (recorded_through, from 1.1) is
    partial, so the next filing's amount for that year is no restatement and totals compare like with like."""
    recorded = costs.filter(pl.col("basis") == "recorded")
    return recorded.filter(pl.col("recorded_through").is_null()) if "recorded_through" in costs.columns else recorded


def _ratio(ratio: float) -> str:
    """A ratio as a reader compares it: one decimal from 1 up (2.4), two significant digits below (0.033)."""
    return f"{ratio:.1f}" if ratio >= 1 else f"{ratio:.2g}"


def _recorded_total(
    filing: Filing, profile: Profile, costs: pl.DataFrame, old: pl.DataFrame, label: str, suites: Suites, gxe: Any
) -> list[Finding]:
    before = float(_recorded(old)["amount_usd"].sum() or 0)
    if before <= 0:
        return []
    low, high = profile.thresholds["recorded_total_ratio"]
    (total,) = suites.run(
        "drift-recorded-total",
        _recorded(costs),
        [
            gxe.ExpectColumnSumToBeBetween(
                column="amount_usd", min_value=before * low, max_value=before * high, meta={"rule": "GMR-W094"}
            )
        ],
    )
    if total.success:
        return []
    now = float(total.result.get("observed_value") or 0)
    return [
        profile.rule("GMR-W094").finding(
            filing.rel_path(profile.table_path("costs")),
            field="amount_usd",
            value=round(now),
            amount=money(now),
            ratio=_ratio(now / before),
            previous=label,
            previous_amount=money(before),
            low=low,
            high=high,
        )
    ]


def _restated(
    filing: Filing, profile: Profile, costs: pl.DataFrame, old: pl.DataFrame, label: str, suites: Suites, gxe: Any
) -> list[Finding]:
    """Recorded amounts of a year both filings recorded: past years' actuals should not change."""
    earlier = _recorded(old).select(*GROUP, pl.col("amount_usd").alias("previous_usd"))
    both = (
        _recorded(costs)
        .join(earlier, on=GROUP, how="inner")
        .filter(pl.col("previous_usd") > 0)
        .with_columns(((pl.col("amount_usd") / pl.col("previous_usd") - 1) * 100).alias("change_pct"))
        .sort("_line")
    )
    if both.is_empty():
        return []
    limit = profile.thresholds["restated_recorded_pct"]
    (restated,) = suites.run(
        "drift-restated-costs",
        both,
        [
            gxe.ExpectColumnValuesToBeBetween(
                column="change_pct", min_value=-limit, max_value=limit, meta={"rule": "GMR-W096"}
            )
        ],
        "COMPLETE",
    )
    path = filing.rel_path(profile.table_path("costs"))
    column = [f["name"] for f in profile.schemas["costs"]["fields"]].index("amount_usd") + 1
    findings = []
    for index in restated.result.get("unexpected_index_list") or []:
        row = both.row(int(index), named=True)
        findings.append(
            profile.rule("GMR-W096").finding(
                path,
                line=row["_line"],
                column=column,
                field="amount_usd",
                value=row["amount_usd"],
                key=f"{row['activity_id']}/{row['year']}/{row['cost_type']}/recorded",
                amount=money(row["amount_usd"]),
                previous_amount=money(row["previous_usd"]),
                previous=label,
                change=f"{row['change_pct']:+.1f}",
                activity_id=row["activity_id"],
                year=row["year"],
                cost_type="O&M" if row["cost_type"] == "om" else row["cost_type"],
                threshold=limit,
            )
        )
    return findings


def _delayed_share(
    filing: Filing, profile: Profile, milestones: pl.DataFrame, old: pl.DataFrame, label: str, suites: Suites, gxe: Any
) -> list[Finding]:
    before = (old["status"] == "delayed").sum() / old.height
    rise = profile.thresholds["delayed_share_increase_max"]
    limit = before + rise
    if limit >= 1:
        return []
    (delayed,) = suites.run(
        "drift-delayed-milestones",
        milestones,
        [
            gxe.ExpectColumnValuesToNotBeInSet(
                column="status", value_set=["delayed"], mostly=1 - limit, meta={"rule": "GMR-W095"}
            )
        ],
    )
    if delayed.success:
        return []
    return [
        profile.rule("GMR-W095").finding(
            filing.rel_path(profile.table_path("milestones")),
            field="status",
            value=round(delayed.result["unexpected_percent"]),
            previous=label,
            previous_share=f"{before * 100:.0f}",
            threshold=f"{rise * 100:.0f}",
        )
    ]
