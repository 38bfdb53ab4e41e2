"""A filing diff as Markdown (job summary, terminal) and JSON (machines).

The helpers that write filer text as inert Markdown are gridmod.diff.markdown's; they are named here too.
"""

from __future__ import annotations

import json
from typing import Any

from gridmod.diff.markdown import code, days, plural, signed_usd, text, usd, words
from gridmod.diff.model import FilingDiff, MilestoneChange, SectionChange
from gridmod.utilities import utility


def headline(diff: FilingDiff) -> list[str]:
    later = [m for m in diff.moved_milestones if (m.slip_days or 0) > 0]
    earlier = len(diff.moved_milestones) - len(later)
    long = sum(1 for m in later if (m.slip_days or 0) > 90)
    rec, fc = diff.totals["recorded"], diff.totals["forecast"]
    files = len({s.path for s in diff.narrative})
    return [
        f"- **Activities:** {diff.count('activities', 'added')} added, {diff.count('activities', 'removed')} removed, "
        f"{plural(len(diff.status_changes), 'status change')}.",
        f"- **Milestones:** {len(diff.moved_milestones)} moved ({len(later)} later, {long} of them by more than "
        f"90 days; {earlier} earlier), {plural(len(diff.rebaselined), 'baseline')} changed, "
        f"{diff.count('milestones', 'added')} added, {diff.count('milestones', 'removed')} no longer reported.",
        f"- **Costs:** recorded {usd(rec['old'])} → {usd(rec['new'])}, forecast {usd(fc['old'])} → {usd(fc['new'])}; "
        f"{plural(len(diff.costs), 'amount')} changed for the same activity, year and cost type.",
        f"- **Narrative:** {plural(len(diff.narrative), 'section')} changed in {plural(files, 'file')}.",
    ]


def _activities(diff: FilingDiff) -> list[str]:
    if not diff.activities:
        return []
    out = ["### Activities", "", "| Activity | Change |", "|---|---|"]
    for a in diff.activities:
        if a.change == "added":
            what = f"added ({words(a.new_status)})"
        elif a.change == "removed":
            what = f"removed (was {words(a.old_status)})"
        else:
            parts = [f"status {words(a.old_status)} → {words(a.new_status)}"] if a.old_status != a.new_status else []
            parts += [
                f"{name.replace('_', ' ')} {text(old or '(empty)')} → {text(new or '(empty)')}"
                for name, (old, new) in a.fields.items()
            ]
            what = "; ".join(parts)
        out.append(f"| {code(a.activity_id)} {text(a.activity_name)} | {what} |")
    return out + [""]


def _when(m: MilestoneChange, old: bool) -> str:
    value = m.old_date if old else m.new_date
    return value.isoformat() if value else "—"


def _milestones(diff: FilingDiff) -> list[str]:
    old, new = diff.old.filing_id, diff.new.filing_id
    out = []
    if diff.moved_milestones:
        out += [
            "### Milestones that moved",
            "",
            "Date: when the milestone was achieved, else its forecast, else its baseline. "
            "Positive days are later than the earlier filing said.",
            "",
            f"| Milestone | Status | Date in {text(old)} | Date in {text(new)} | Moved |",
            "|---|---|---|---|--:|",
        ]
        for m in diff.moved_milestones:
            status = (
                words(m.new_status)
                if m.old_status == m.new_status
                else f"{words(m.old_status)} → {words(m.new_status)}"
            )
            out.append(
                f"| {code(m.key)} {text(m.milestone_name)} | {status} | {_when(m, True)} | {_when(m, False)} "
                f"| {days(m.slip_days)} |"
            )
        out.append("")
    if diff.rebaselined:
        out += ["**Baselines changed** (the baseline is the date a slip is measured from):", ""]
        for m in diff.rebaselined:
            out.append(
                f"- {code(m.key)} {text(m.milestone_name)}: {m.old_baseline} → {m.new_baseline} "
                f"({days(m.baseline_days)})"
            )
        out.append("")
    status_only = [
        m for m in diff.milestones if m.change == "changed" and not m.slip_days and m.old_status != m.new_status
    ]
    if status_only:
        out += [
            "**Status changed, date unchanged:** "
            + "; ".join(f"{code(m.key)} {words(m.old_status)} → {words(m.new_status)}" for m in status_only),
            "",
        ]
    for change, label in (("added", f"New in {new}"), ("removed", f"In {old}, not in {new}")):
        items = [m for m in diff.milestones if m.change == change]
        if items:
            out += [f"**{text(label)}:** " + ", ".join(code(m.key) for m in items), ""]
    return out


def _costs(diff: FilingDiff) -> list[str]:
    old, new = text(diff.old.filing_id), text(diff.new.filing_id)
    out = [
        "### Costs by activity",
        "",
        f"| Activity | Recorded, {old} | Recorded, {new} | Forecast, {old} | Forecast, {new} |",
        "|---|--:|--:|--:|--:|",
    ]
    for a in diff.activity_costs:
        out.append(
            f"| {code(a.activity_id)} | {usd(a.old_recorded_usd)} | {usd(a.new_recorded_usd)} "
            f"| {usd(a.old_forecast_usd)} | {usd(a.new_forecast_usd)} |"
        )
    out.append("")
    if diff.costs:
        out += [
            f"<details><summary>Changed amounts by activity, year and basis ({len(diff.costs)})</summary>",
            "",
            "A forecast in the earlier filing is compared with what the later one recorded for that year.",
            "",
            f"| Activity | Year | Cost type | Basis | {old} | {new} | Change |",
            "|---|--:|---|---|--:|--:|--:|",
        ]
        for c in diff.costs:
            basis = c.new_basis if c.old_basis == c.new_basis else f"{c.old_basis or '—'} → {c.new_basis or '—'}"
            pct = f" ({c.change_pct:+.1f} %)".replace("-", "−") if c.change_pct is not None else ""
            auth = ""
            if c.old_authorized_usd != c.new_authorized_usd:
                auth = f"; authorized {usd(c.old_authorized_usd)} → {usd(c.new_authorized_usd)}"
            cost_type = "O&M" if c.cost_type == "om" else c.cost_type
            out.append(
                f"| {code(c.activity_id)} | {c.year} | {cost_type} | {basis} | {usd(c.old_usd)} "
                f"| {usd(c.new_usd)} | {signed_usd(c.change_usd)}{pct}{auth} |"
            )
        out += ["", "</details>", ""]
    return out


def _edit(s: SectionChange) -> str:
    if s.change != "changed":
        return f"section {s.change} ({plural(s.words_added or s.words_removed, 'word')})"
    shown = "; ".join(
        f"~~{text(r)}~~ → **{text(a)}**" if r and a else f"~~{text(r)}~~" if r else f"**{text(a)}**" for r, a in s.edits
    )
    return f"+{s.words_added} −{s.words_removed} words: {shown}"


def _narrative(diff: FilingDiff) -> list[str]:
    if not diff.narrative:
        return []
    return [
        f"<details><summary>Narrative sections that changed ({len(diff.narrative)})</summary>",
        "",
        "| File | Section | Change |",
        "|---|---|---|",
        *(
            f"| {code(s.path.rsplit('/', 1)[-1])} | {text(s.section or '(opening text)')} | {_edit(s)} |"
            for s in diff.narrative
        ),
        "",
        "</details>",
        "",
    ]


def format_markdown(diff: Any) -> str:
    """Markdown of a comparison of either kind: Appendix A (FilingDiff) or ICA (gridmod.diff.ica.IcaDiff)."""
    if not isinstance(diff, FilingDiff):
        from gridmod.diff.ica_formats import format_ica_markdown

        return format_ica_markdown(diff)
    name = utility(diff.new.utility).short
    out = [
        f"## {text(name)}: changes from {text(diff.old.filing_id)} to {text(diff.new.filing_id)}",
        "",
        f"Compared {code(diff.old.path)} (filed {text(diff.old.filing_date)}) with {code(diff.new.path)} "
        f"(filed {text(diff.new.filing_date)}), profile {text(diff.new.profile)}.",
        "",
        *headline(diff),
        "",
        *(f"> {text(note)}" for note in diff.notes),
        *([""] if diff.notes else []),
        *_activities(diff),
        *_milestones(diff),
        *_costs(diff),
        *_narrative(diff),
    ]
    return "\n".join(out).rstrip("\n") + "\n"


def format_json(diff: Any) -> str:
    return json.dumps(diff.to_dict(), indent=2, ensure_ascii=False) + "\n"


def format_none(path: str, reason: str | None = None) -> str:
    """What the summary says when there is nothing to compare: no earlier filing, or a profile not compared."""
    if reason:
        return f"## {code(path)}: not compared\n\n{text(reason)}\n"
    return (
        f"## {code(path)}: no earlier filing to compare with\n\nThe repository holds no earlier filing of "
        "this utility under the same profile.\n"
    )


FORMATS = {"markdown": format_markdown, "json": format_json}
__all__ = [
    "FORMATS",
    "code",
    "days",
    "format_json",
    "format_markdown",
    "format_none",
    "plural",
    "signed_usd",
    "text",
    "usd",
    "words",
]
