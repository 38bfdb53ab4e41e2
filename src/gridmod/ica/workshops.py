"""The ICA workshop calendar: which periods need a workshop, and whether each had one.

D.24-10-030 OP 35 set quarterly workshops, "held at the end of each quarter", from the first (held 2025-03-07)
until sixty days after the fourth anniversary of the first (2029-05-06). Periods are calendar periods: the
quarters of the year, or, for a biannual cadence, the half-years that end with the January and July reports'
reporting periods; the first starts with the first workshop and the last ends with the series. A period is met
by a held workshop within it, or up to the profile's `tolerance_days` after its end (a workshop "at the end of
the quarter" may slip into the next days; Energy Division sets the tolerance), each workshop counting for one
period only.

The cadence changes only by an effective joint Tier 2 advice letter in the register (gridmod.proceeding): the
periods that start on or after its effective day follow the new cadence, and the period under way on that day,
like every earlier one, keeps the cadence it had, so a change never re-judges the past.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from gridmod.proceeding import AdviceLetter, cadence_changes


@dataclass(frozen=True)
class Period:
    number: int
    start: date
    end: date
    held: date | None  # the workshop held that meets the period
    scheduled: date | None  # first workshop scheduled within it, if none was held
    state: str  # held, missed, current, upcoming
    cadence: str = "quarterly"  # the cadence this period follows

    @property
    def label(self) -> str:
        return {"held": "Held", "missed": "Missed", "current": "Current period", "upcoming": "Upcoming"}[self.state]


@dataclass(frozen=True)
class Calendar:
    cadence: str  # the cadence in force on the day the calendar is judged; also the id of its section
    title: str
    first: date
    end: date
    periods: list[Period]
    tolerance_days: int = 0
    changes: tuple[AdviceLetter, ...] = ()  # the cadence letters it follows; none for a cadence shown as an alternative

    @property
    def key(self) -> str:
        """The id of the calendar's section in the report and on the site."""
        return "in-force" if self.changes else self.cadence


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def series_end(settings: dict[str, Any]) -> date:
    """Sixty days after the fourth anniversary of the first workshop (for 2025-03-07: 2029-05-06)."""
    first = date.fromisoformat(settings["first"])
    anniversary = add_months(first, 12 * settings["anniversary_years"])
    return anniversary + timedelta(days=settings["days_after_anniversary"])


def period_end(start: date, months: int) -> date:
    """The last day of the calendar period of `months` months (3: a quarter, 6: a half-year) that holds `start`."""
    first_month = (start.month - 1) // months * months + 1
    return add_months(date(start.year, first_month, 1), months) - timedelta(days=1)


def build_calendar(
    settings: dict[str, Any],
    cadence: str | None,
    workshops: list[dict[str, Any]],
    as_of: date,
    letters: list[AdviceLetter] | None = None,
) -> Calendar:
    """The periods of the workshop series with the workshops in them, as of `as_of`.

    With `letters` (the register), the cadence starts as the profile's default and changes as the effective
    cadence letters say; with `cadence` and no letters, one cadence throughout (to show an alternative)."""
    months = {c["id"]: c["months"] for c in settings["cadences"]}
    titles = {c["id"]: c["title"] for c in settings["cadences"]}
    first = date.fromisoformat(settings["first"])
    end = series_end(settings)
    tolerance = int(settings.get("tolerance_days", 0))
    changes = cadence_changes(letters or []) if cadence is None else []
    current = cadence or settings["default_cadence"]
    held = sorted(w["workshop_date"] for w in workshops if w["status"] == "held")
    planned = sorted(w["workshop_date"] for w in workshops if w["status"] == "scheduled")
    periods: list[Period] = []
    start, used, pending = first, -1, list(changes)
    while start <= end:
        while pending and pending[0].effective is not None and pending[0].effective <= start:
            current = pending.pop(0).cadence or current
        stop = min(period_end(start, months[current]), end)
        # the first workshop not yet counted for an earlier period, held within the period or its tolerance
        met_at = next(
            (i for i, d in enumerate(held) if i > used and start <= d <= stop + timedelta(days=tolerance)), None
        )
        if met_at is not None:
            used = met_at
        met = held[met_at] if met_at is not None else None
        coming = next((d for d in planned if start <= d <= stop), None)
        if met:
            state = "held"
        elif stop + timedelta(days=tolerance) < as_of:
            state = "missed"
        elif start <= as_of:
            state = "current"
        else:
            state = "upcoming"
        periods.append(Period(len(periods) + 1, start, stop, met, coming, state, current))
        start = stop + timedelta(days=1)
    in_force = next(
        (p.cadence for p in periods if p.start <= as_of <= p.end), periods[-1].cadence if periods else current
    )
    if changes:
        title = " then ".join(dict.fromkeys(titles[p.cadence] for p in periods)) + ", by advice letter"
    else:
        title = titles[current]
    return Calendar(in_force, title, first, end, periods, tolerance, tuple(changes))


def calendars(
    settings: dict[str, Any], workshops: list[dict[str, Any]], as_of: date, letters: list[AdviceLetter] | None = None
) -> list[Calendar]:
    """The calendar in force (the profile's default cadence as the register changes it), then each other cadence
    the profile knows as an alternative throughout, for comparing them side by side."""
    in_force = build_calendar(settings, None, workshops, as_of, letters)
    others = [build_calendar(settings, c["id"], workshops, as_of) for c in settings["cadences"]]
    shape = [(p.start, p.end, p.cadence) for p in in_force.periods]
    return [in_force] + [c for c in others if [(p.start, p.end, p.cadence) for p in c.periods] != shape]


def authority(calendar: Calendar, day: date) -> str:
    """What set the cadence in force on `day`: D.24-10-030 OP 35, or the advice letter that changed it."""
    letter = next((x for x in reversed(calendar.changes) if x.effective is not None and x.effective <= day), None)
    if letter is None:
        return "D.24-10-030 OP 35"
    assert letter.effective is not None
    return f"{letter.label}, effective {letter.effective.isoformat()}"
