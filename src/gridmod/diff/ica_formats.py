"""An ICA filing diff (gridmod.diff.ica) as Markdown, for the terminal and the pull request's job summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from gridmod.diff.ica import ACTION_FIELDS, ActionChange, Capacity, IcaDiff, Network
from gridmod.diff.markdown import code, days, plural, text, words
from gridmod.utilities import utility

LABELS = {
    "status": "status",
    "planned_date": "planned",
    "forecast_date": "forecast",
    "actual_date": "completed",
    "advice_letter": "advice letter",
}


def kw(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f} kW"


def signed_kw(value: float) -> str:
    return f"{'+' if value > 0 else '−' if value < 0 else '±'}{abs(value):,.1f} kW"


def pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{'+' if value > 0 else '−' if value < 0 else '±'}{abs(value):.1f} %"


def _value(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, date):
        return value.isoformat()
    return words(str(value)) if isinstance(value, str) and "_" in value else text(value)


def headline(diff: IcaDiff) -> list[str]:
    fc = diff.feeder_capacity
    later = len(diff.redated)
    forecast_later = sum(1 for a in diff.forecast_moves if (a.moved("forecast_date") or 0) > 0)
    lines = [
        f"- **Remediation plan:** {plural(later, 'action')} re-dated later, "
        f"{plural(len(diff.status_changes), 'status change')}, "
        f"{plural(forecast_later, 'forecast')} later; {diff.count('actions', 'added')} added, "
        f"{diff.count('actions', 'removed')} removed.",
        f"- **Known issues:** {diff.count('issues', 'added')} new, {diff.count('issues', 'changed')} changed, "
        f"{diff.count('issues', 'removed')} no longer listed.",
        f"- **Network:** feeders {len(diff.feeders.added)} added, {len(diff.feeders.removed)} removed; "
        f"substations {len(diff.substations.added)} added, {len(diff.substations.removed)} removed.",
    ]
    if fc is not None:
        lines.append(
            f"- **Hosting capacity** (uniform generation, static grid; each feeder's median line section): median "
            f"feeder {kw(fc.old_median_kw)} → {kw(fc.new_median_kw)}; of {plural(len(fc.changes), 'feeder')} in "
            f"both, {fc.up} up and {fc.down} down."
        )
    lines.append(f"- **Self-reported metrics:** {plural(len(diff.metrics), 'value')} changed.")
    return lines


def _change(a: ActionChange) -> str:
    if a.change == "added":
        return f"added ({words(a.new.get('status'))}, planned {_value(a.new.get('planned_date'))})"
    if a.change == "removed":
        return f"removed (was {words(a.old.get('status'))}, planned {_value(a.old.get('planned_date'))})"
    parts = []
    for name in ACTION_FIELDS:
        if a.old.get(name) == a.new.get(name):
            continue
        moved = a.moved(name)
        shift = f" ({days(moved)})" if moved else ""
        parts.append(f"{LABELS[name]} {_value(a.old.get(name))} → {_value(a.new.get(name))}{shift}")
    return "; ".join(parts)


def _actions(diff: IcaDiff) -> list[str]:
    if not diff.actions:
        return []
    out = [
        "### Remediation plan",
        "",
        "The planned date is the plan's own (its Tier 3 advice letter); a later one is a change of the plan.",
        "",
        "| Action | Change |",
        "|---|---|",
    ]
    for a in diff.actions:
        flag = " **(re-dated)**" if a in diff.redated else ""
        out.append(f"| {code(a.key)} {text(a.action)} | {_change(a)}{flag} |")
    return out + [""]


def _issues(diff: IcaDiff) -> list[str]:
    if not diff.issues:
        return []
    out = ["### Known issues", "", "| Issue | Change |", "|---|---|"]
    for i in diff.issues:
        if i.change == "added":
            what = f"new ({words(i.new_status)})"
        elif i.change == "removed":
            what = f"no longer listed (was {words(i.old_status)})"
        else:
            what = f"status {words(i.old_status)} → {words(i.new_status)}"
            if i.new_resolved and i.new_resolved != i.old_resolved:
                what += f", resolved {i.new_resolved.isoformat()}"
        out.append(f"| {code(i.issue_id)} {text(i.title)} | {what} |")
    return out + [""]


def _capacity(title: str, noun: str, capacity: Capacity | None, diff: IcaDiff) -> list[str]:
    if capacity is None:
        return []
    old, new = text(diff.old.filing_id), text(diff.new.filing_id)
    out = [
        f"### Hosting capacity by {noun}",
        "",
        f"Median over the {noun}s of each filing: {kw(capacity.old_median_kw)} in {old}, "
        f"{kw(capacity.new_median_kw)} in {new}. Of {plural(len(capacity.changes), noun)} in both, {capacity.up} "
        f"went up and {capacity.down} down; the median change is "
        f"{signed_kw(capacity.median_change_kw or 0.0)}.",
        "",
    ]
    if not capacity.movers:
        return out
    out += [
        f"{title} (largest change first):",
        "",
        f"| {noun.capitalize()} | {old} | {new} | Change | Change % |",
        "|---|--:|--:|--:|--:|",
    ]
    for c in capacity.movers:
        name = f" {text(c.name)}" if c.name else ""
        out.append(
            f"| {code(c.id)}{name} | {kw(c.old_kw)} | {kw(c.new_kw)} | {signed_kw(c.change_kw)} | {pct(c.change_pct)} |"
        )
    return out + [""]


def _network(noun: str, network: Network, diff: IcaDiff) -> list[str]:
    out = []
    for items, label in ((network.added, f"{noun} new in"), (network.removed, f"{noun} no longer in")):
        if items:
            shown = ", ".join(f"{code(k)} {text(v)}".strip() for k, v in items[:20])
            more = f" and {len(items) - 20} more" if len(items) > 20 else ""
            out += [f"**{label.capitalize()} {text(diff.new.filing_id)}:** {shown}{more}", ""]
    return out


def _metrics(diff: IcaDiff) -> list[str]:
    if not diff.metrics:
        return []
    old, new = text(diff.old.filing_id), text(diff.new.filing_id)
    out = ["### Self-reported data-quality metrics", "", f"| Metric | {old} | {new} |", "|---|--:|--:|"]
    for m in diff.metrics:
        out.append(f"| {words(m.metric)} | {_value(m.old)} | {_value(m.new)} |")
    return out + [""]


def format_ica_markdown(diff: IcaDiff) -> str:
    name = utility(diff.new.utility).short
    out = [
        f"## {text(name)}: ICA changes from {text(diff.old.filing_id)} to {text(diff.new.filing_id)}",
        "",
        f"Compared {code(diff.old.path)} (filed {text(diff.old.filing_date)}) with {code(diff.new.path)} "
        f"(filed {text(diff.new.filing_date)}), profile {text(diff.new.profile)}.",
        "",
        *headline(diff),
        "",
        *(f"> {text(note)}" for note in diff.notes),
        *([""] if diff.notes else []),
        *_actions(diff),
        *_issues(diff),
        *_capacity("Feeders that moved most", "feeder", diff.feeder_capacity, diff),
        *_capacity("Substations that moved most", "substation", diff.substation_capacity, diff),
        *_network("feeders", diff.feeders, diff),
        *_network("substations", diff.substations, diff),
        *_metrics(diff),
    ]
    return "\n".join(out).rstrip("\n") + "\n"
