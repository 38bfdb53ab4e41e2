"""The remediation tracker: each action of the Tier 3 remediation plans, and where it stands.

D.24-10-030 required a remediation plan for every known ICA issue; the plans (filed August 2025) set a
completion date per action. As of the filing date an action is done (on time or late), cancelled, overdue
(its expected date has passed), slipped (expected later than planned) or on track.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

OPEN = ("planned", "in_progress")


@dataclass(frozen=True)
class Action:
    issue_id: str
    issue_title: str
    action_id: str
    action: str
    advice_letter: str
    status: str
    planned: date
    forecast: date | None
    actual: date | None
    state: str  # completed, completed_late, cancelled, overdue, slipped, on_track
    slip_days: int | None  # days later than planned (actual or forecast), when later

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


STATE_LABELS = {
    "completed": "Completed",
    "completed_late": "Completed late",
    "cancelled": "Cancelled",
    "overdue": "Overdue",
    "slipped": "Slipped",
    "on_track": "On track",
}


def action_state(row: dict[str, Any], as_of: date) -> tuple[str, int | None]:
    planned, forecast, actual = row["planned_date"], row.get("forecast_date"), row.get("actual_date")
    if row["status"] == "cancelled":
        return "cancelled", None
    if row["status"] == "completed":
        late = (actual - planned).days if actual else 0
        return ("completed_late", late) if late > 0 else ("completed", None)
    due = forecast or planned
    slip = (forecast - planned).days if forecast and forecast > planned else None
    if due < as_of:
        return "overdue", slip
    return ("slipped", slip) if slip else ("on_track", None)


def track(actions: list[dict[str, Any]], issues: list[dict[str, Any]], as_of: date) -> list[Action]:
    """Every action with its state, overdue ones first, then slipped, then by planned date."""
    titles = {i["issue_id"]: i["title"] for i in issues}
    out = []
    for row in actions:
        state, slip = action_state(row, as_of)
        out.append(
            Action(
                row["issue_id"],
                titles.get(row["issue_id"], ""),
                row["action_id"],
                row["action"],
                row["advice_letter"],
                row["status"],
                row["planned_date"],
                row.get("forecast_date"),
                row.get("actual_date"),
                state,
                slip,
            )
        )
    order = {"overdue": 0, "slipped": 1, "on_track": 2, "completed_late": 3, "completed": 4, "cancelled": 5}
    return sorted(out, key=lambda a: (order[a.state], a.planned, a.issue_id, a.action_id))


def tally(actions: list[Action]) -> dict[str, int]:
    counts = dict.fromkeys(STATE_LABELS, 0)
    for a in actions:
        counts[a.state] += 1
    return counts
