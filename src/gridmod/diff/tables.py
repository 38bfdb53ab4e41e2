"""Row-by-row comparison of the activities, milestones and costs tables of two filings."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from gridmod.diff.model import ActivityChange, ActivityCosts, CostChange, MilestoneChange

Row = dict[str, Any]
ACTIVITY_FIELDS = ("activity_name", "category_id", "completion_date")


def _by(rows: list[Row], *key: str) -> dict[tuple[Any, ...], Row]:
    return {tuple(row[k] for k in key): row for row in rows}


def compare_activities(old: list[Row], new: list[Row]) -> list[ActivityChange]:
    before, after = _by(old, "activity_id"), _by(new, "activity_id")
    out = []
    for (activity_id,), row in after.items():
        if (activity_id,) not in before:
            out.append(ActivityChange(activity_id, row["activity_name"], "added", new_status=row["status"]))
            continue
        was = before[(activity_id,)]
        fields = {f: (was[f], row[f]) for f in ACTIVITY_FIELDS if was[f] != row[f]}
        if fields or was["status"] != row["status"]:
            out.append(
                ActivityChange(activity_id, row["activity_name"], "changed", was["status"], row["status"], fields)
            )
    for (activity_id,), was in before.items():
        if (activity_id,) not in after:
            out.append(ActivityChange(activity_id, was["activity_name"], "removed", old_status=was["status"]))
    return out


def milestone_date(row: Row) -> date | None:
    """When the milestone was reached, else when it is now expected, else its baseline."""
    return row["actual_date"] or row["forecast_date"] or row["baseline_date"]


def _days(old: date | None, new: date | None) -> int | None:
    return (new - old).days if old and new else None


def compare_milestones(old: list[Row], new: list[Row]) -> list[MilestoneChange]:
    before, after = _by(old, "activity_id", "milestone_id"), _by(new, "activity_id", "milestone_id")
    out = []
    for key, row in after.items():
        activity_id, milestone_id = key
        was = before.get(key)
        if was is None:
            out.append(
                MilestoneChange(
                    activity_id,
                    milestone_id,
                    row["milestone_name"],
                    "added",
                    new_status=row["status"],
                    new_date=milestone_date(row),
                    new_baseline=row["baseline_date"],
                )
            )
            continue
        change = MilestoneChange(
            activity_id,
            milestone_id,
            row["milestone_name"],
            "changed",
            was["status"],
            row["status"],
            milestone_date(was),
            milestone_date(row),
            _days(milestone_date(was), milestone_date(row)),
            was["baseline_date"],
            row["baseline_date"],
            _days(was["baseline_date"], row["baseline_date"]),
        )
        if change.slip_days or change.baseline_days or was["status"] != row["status"]:
            out.append(change)
    for (activity_id, milestone_id), was in before.items():
        if (activity_id, milestone_id) not in after:
            out.append(
                MilestoneChange(
                    activity_id,
                    milestone_id,
                    was["milestone_name"],
                    "removed",
                    old_status=was["status"],
                    old_date=milestone_date(was),
                    old_baseline=was["baseline_date"],
                )
            )
    return out


def _costs_by_group(rows: list[Row]) -> dict[tuple[str, int, str], list[Row]]:
    groups: dict[tuple[str, int, str], list[Row]] = defaultdict(list)
    for row in rows:
        groups[(row["activity_id"], row["year"], row["cost_type"])].append(row)
    return groups


def _get(row: Row | None, name: str) -> Any:
    return None if row is None else row[name]


def whole_years(rows: list[Row]) -> list[Row]:
    """Cost rows of whole years: a year-to-date recorded row (recorded_through, profile 1.1 on) is left out,
    as the drift rules leave it out, so that a part of a year is never compared with a whole one."""
    return [r for r in rows if r.get("recorded_through") is None]


def compare_costs(old: list[Row], new: list[Row]) -> list[CostChange]:
    """Amounts of the same activity, year and cost type in both filings that differ.

    A forecast in the earlier filing is paired with the amount recorded for that year in the later one, so
    the change shows how the forecast turned out. Years only one filing covers are left to the totals.
    """
    before, after = _costs_by_group(old), _costs_by_group(new)
    out = []
    for key in sorted(set(before) & set(after)):
        olds, news = before[key], after[key]
        pairs: list[tuple[Row | None, Row | None]]
        if len(olds) == 1 and len(news) == 1:
            pairs = [(olds[0], news[0])]
        else:
            by_basis = {r["basis"]: r for r in olds}
            pairs = [(by_basis.get(r["basis"]), r) for r in news]
            pairs += [(r, None) for r in olds if r["basis"] not in {n["basis"] for n in news}]
        for was, row in pairs:
            change = CostChange(
                *key,
                _get(was, "basis"),
                _get(row, "basis"),
                _get(was, "amount_usd"),
                _get(row, "amount_usd"),
                _get(was, "authorized_usd"),
                _get(row, "authorized_usd"),
            )
            if (change.old_basis, change.old_usd, change.old_authorized_usd) != (
                change.new_basis,
                change.new_usd,
                change.new_authorized_usd,
            ):
                out.append(change)
    return out


def _totals(rows: list[Row]) -> dict[tuple[str, str], float]:
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for row in rows:
        sums[(row["activity_id"], row["basis"])] += row["amount_usd"] or 0
    return sums


def activity_costs(old: list[Row], new: list[Row]) -> list[ActivityCosts]:
    before, after = _totals(old), _totals(new)
    ids = list(dict.fromkeys([r["activity_id"] for r in new] + [r["activity_id"] for r in old]))
    in_old, in_new = {r["activity_id"] for r in old}, {r["activity_id"] for r in new}

    def get(sums: dict[tuple[str, str], float], present: set[str], activity_id: str, basis: str) -> float | None:
        return sums.get((activity_id, basis), 0.0) if activity_id in present else None

    return [
        ActivityCosts(
            a,
            get(before, in_old, a, "recorded"),
            get(after, in_new, a, "recorded"),
            get(before, in_old, a, "forecast"),
            get(after, in_new, a, "forecast"),
        )
        for a in ids
    ]


def cost_totals(old: list[Row], new: list[Row]) -> dict[str, dict[str, float]]:
    return {
        basis: {
            "old": sum(r["amount_usd"] or 0 for r in old if r["basis"] == basis),
            "new": sum(r["amount_usd"] or 0 for r in new if r["basis"] == basis),
        }
        for basis in ("recorded", "forecast")
    }
