"""The workshop calendar and the remediation tracker, as of a filing date."""

from __future__ import annotations

from datetime import date

import yaml

from gridmod.ica.tracker import action_state
from gridmod.ica.workshops import add_months, authority, build_calendar, series_end
from gridmod.proceeding import AdviceLetter

from ..conftest import ROOT

SETTINGS = yaml.safe_load((ROOT / "validation/ica-biannual/1.0/profile.yaml").read_text())["workshops"]


def test_series_ends_sixty_days_after_the_fourth_anniversary() -> None:
    assert series_end(SETTINGS) == date(2029, 5, 6)


def _held(*days: str, scheduled: tuple[str, ...] = ()) -> list[dict]:
    return [{"workshop_date": date.fromisoformat(d), "status": "held"} for d in days] + [
        {"workshop_date": date.fromisoformat(d), "status": "scheduled"} for d in scheduled
    ]


def _letter(effective: str | None, cadence: str = "biannual", disposition: str = "effective") -> AdviceLetter:
    return AdviceLetter(
        "joint", "1234-E", 2, "workshop_cadence", date(2025, 10, 1), disposition,
        date.fromisoformat(effective) if effective else None, cadence, "ACR 2026-03-23 §5", "Biannual workshops", 2,
    )  # fmt: skip


def test_periods_are_the_quarters_of_the_year() -> None:
    """Quarterly periods are calendar quarters: the first starts with the first workshop, the last ends with the
    series; the biannual alternative is the half-years of the January and July reports."""
    quarterly = build_calendar(SETTINGS, "quarterly", [], date(2026, 7, 31))
    biannual = build_calendar(SETTINGS, "biannual", [], date(2026, 7, 31))
    assert [(p.start, p.end) for p in quarterly.periods[:3]] == [
        (date(2025, 3, 7), date(2025, 3, 31)),
        (date(2025, 4, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 9, 30)),
    ]
    assert (quarterly.periods[-1].start, quarterly.periods[-1].end) == (date(2029, 4, 1), date(2029, 5, 6))
    assert len(quarterly.periods) == 18 and len(biannual.periods) == 9
    assert [(p.start, p.end) for p in biannual.periods[:3]] == [
        (date(2025, 3, 7), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 6, 30)),
    ]


def test_a_workshop_in_every_calendar_quarter_misses_none() -> None:
    """A workshop 'at the end of each quarter', one in every calendar quarter: no period is missed (counted from
    the first workshop in three-month steps, the second period was 'missed')."""
    held = _held("2025-03-07", "2025-06-05", "2025-09-30", "2025-12-31", "2026-03-31", "2026-06-30")
    periods = build_calendar(SETTINGS, None, held, date(2026, 7, 31), []).periods
    assert [p.state for p in periods[:7]] == ["held"] * 6 + ["current"]
    assert [p.held for p in periods[:6]] == [w["workshop_date"] for w in held]


def test_a_workshop_just_after_the_quarter_counts_once() -> None:
    """A workshop within the tolerance after a quarter meets that quarter, and no other."""
    assert SETTINGS["tolerance_days"] == 14
    periods = build_calendar(SETTINGS, None, _held("2025-03-07", "2025-07-10"), date(2025, 12, 31), []).periods
    assert [(p.state, p.held) for p in periods[:4]] == [
        ("held", date(2025, 3, 7)),
        ("held", date(2025, 7, 10)),
        ("missed", None),
        ("current", None),
    ]


def test_period_states_as_of_the_filing_date() -> None:
    held = _held("2025-03-07", scheduled=("2026-09-24",))
    periods = build_calendar(SETTINGS, "quarterly", held, date(2026, 7, 31)).periods
    assert [p.state for p in periods[:8]] == ["held"] + ["missed"] * 5 + ["current", "upcoming"]
    assert periods[6].scheduled == date(2026, 9, 24)


def test_a_tier_2_letter_switches_only_the_later_periods() -> None:
    """A joint Tier 2 letter effective 2026-01-01 makes the periods from then on the half-years of the January
    and July reports; 2025 keeps its quarters and their verdicts."""
    held = _held("2025-03-07", "2025-06-26", "2025-09-25", "2026-05-14")
    periods = build_calendar(SETTINGS, None, held, date(2026, 12, 31), [_letter("2026-01-01")]).periods
    assert [(p.start, p.end, p.cadence, p.state) for p in periods[:7]] == [
        (date(2025, 3, 7), date(2025, 3, 31), "quarterly", "held"),
        (date(2025, 4, 1), date(2025, 6, 30), "quarterly", "held"),
        (date(2025, 7, 1), date(2025, 9, 30), "quarterly", "held"),
        (date(2025, 10, 1), date(2025, 12, 31), "quarterly", "missed"),
        (date(2026, 1, 1), date(2026, 6, 30), "biannual", "held"),
        (date(2026, 7, 1), date(2026, 12, 31), "biannual", "current"),
        (date(2027, 1, 1), date(2027, 6, 30), "biannual", "upcoming"),
    ]
    assert (periods[-1].start, periods[-1].end) == (date(2029, 1, 1), date(2029, 5, 6))


def test_a_letter_effective_within_a_quarter_leaves_that_quarter_quarterly() -> None:
    calendar = build_calendar(SETTINGS, None, [], date(2026, 7, 31), [_letter("2026-02-15")])
    assert [(p.start, p.end, p.cadence) for p in calendar.periods[4:7]] == [
        (date(2026, 1, 1), date(2026, 3, 31), "quarterly"),
        (date(2026, 4, 1), date(2026, 6, 30), "biannual"),  # the rest of the half-year under way
        (date(2026, 7, 1), date(2026, 12, 31), "biannual"),
    ]
    assert calendar.cadence == "biannual" and authority(calendar, date(2026, 7, 31)).startswith("AL 1234-E (joint")
    assert authority(calendar, date(2025, 7, 31)) == "D.24-10-030 OP 35"


def test_a_pending_letter_changes_nothing() -> None:
    pending = build_calendar(SETTINGS, None, [], date(2026, 7, 31), [_letter(None, disposition="pending")])
    assert {p.cadence for p in pending.periods} == {"quarterly"}


def test_months_are_added_without_overflowing_the_month() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def _action(status: str, planned: date, forecast: date | None = None, actual: date | None = None) -> dict:
    return {"status": status, "planned_date": planned, "forecast_date": forecast, "actual_date": actual}


def test_action_states() -> None:
    filed = date(2026, 7, 31)
    assert action_state(_action("in_progress", date(2026, 6, 30)), filed) == ("overdue", None)
    assert action_state(_action("in_progress", date(2026, 6, 30), date(2026, 7, 15)), filed) == ("overdue", 15)
    assert action_state(_action("planned", date(2026, 8, 31), date(2026, 12, 31)), filed) == ("slipped", 122)
    assert action_state(_action("planned", date(2026, 8, 31)), filed) == ("on_track", None)
    assert action_state(_action("completed", date(2025, 1, 31), actual=date(2025, 3, 1)), filed) == (
        "completed_late",
        29,
    )
    assert action_state(_action("cancelled", date(2025, 1, 31)), filed) == ("cancelled", None)
