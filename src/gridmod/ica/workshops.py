"""The ICA workshop calendar: which periods need a workshop, computed from the first one.

D.24-10-030 OP 35 set quarterly workshops from the first (held 2025-03-07) until sixty days after the fourth
anniversary of the first; the ruling of 2026-03-23 asks whether to hold them biannually instead. Both
cadences are computed the same way: consecutive periods of 3 or 6 months counted from the first workshop,
the last one cut at the end of the series. A period is met by any workshop held within it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True)
class Period:
    number: int
    start: date
    end: date
    held: date | None  # first workshop held within the period
    scheduled: date | None  # first workshop scheduled within it, if none was held
    state: str  # held, missed, current, upcoming

    @property
    def label(self) -> str:
        return {"held": "Held", "missed": "Missed", "current": "Current period", "upcoming": "Upcoming"}[self.state]


@dataclass(frozen=True)
class Calendar:
    cadence: str
    title: str
    months: int
    first: date
    end: date
    periods: list[Period]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def series_end(settings: dict[str, Any]) -> date:
    """Sixty days after the fourth anniversary of the first workshop (for 2025-03-07: 2029-05-06)."""
    first = date.fromisoformat(settings["first"])
    anniversary = add_months(first, 12 * settings["anniversary_years"])
    return anniversary + timedelta(days=settings["days_after_anniversary"])


def build_calendar(settings: dict[str, Any], cadence: str, workshops: list[dict[str, Any]], as_of: date) -> Calendar:
    """The periods of one cadence with the workshops in them, as of the filing date."""
    spec = next(c for c in settings["cadences"] if c["id"] == cadence)
    first = date.fromisoformat(settings["first"])
    end = series_end(settings)
    held = sorted(w["workshop_date"] for w in workshops if w["status"] == "held")
    planned = sorted(w["workshop_date"] for w in workshops if w["status"] == "scheduled")
    periods = []
    number = 0
    while True:
        start = add_months(first, number * spec["months"])
        if start > end:
            break
        stop = min(add_months(first, (number + 1) * spec["months"]) - timedelta(days=1), end)
        met = next((d for d in held if start <= d <= stop), None)
        coming = next((d for d in planned if start <= d <= stop), None)
        if met:
            state = "held"
        elif stop < as_of:
            state = "missed"
        elif start <= as_of:
            state = "current"
        else:
            state = "upcoming"
        number += 1
        periods.append(Period(number, start, stop, met, coming, state))
    return Calendar(cadence, spec["title"], spec["months"], first, end, periods)


def calendars(settings: dict[str, Any], workshops: list[dict[str, Any]], as_of: date) -> list[Calendar]:
    """Every cadence the profile knows (quarterly and biannual), for comparing them side by side."""
    return [build_calendar(settings, c["id"], workshops, as_of) for c in settings["cadences"]]
