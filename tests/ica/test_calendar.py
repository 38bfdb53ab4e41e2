"""The workshop calendar and the remediation tracker, as of a filing date."""

from __future__ import annotations

from datetime import date

import yaml

from gridmod.ica.tracker import action_state
from gridmod.ica.workshops import add_months, build_calendar, series_end

from ..conftest import ROOT

SETTINGS = yaml.safe_load((ROOT / "validation/ica-biannual/1.0/profile.yaml").read_text())["workshops"]


def test_series_ends_sixty_days_after_the_fourth_anniversary() -> None:
    assert series_end(SETTINGS) == date(2029, 5, 6)


def test_quarterly_and_biannual_periods() -> None:
    quarterly = build_calendar(SETTINGS, "quarterly", [], date(2026, 7, 31))
    biannual = build_calendar(SETTINGS, "biannual", [], date(2026, 7, 31))
    assert len(quarterly.periods) == 17 and len(biannual.periods) == 9
    assert (quarterly.periods[0].start, quarterly.periods[0].end) == (date(2025, 3, 7), date(2025, 6, 6))
    assert (biannual.periods[1].start, biannual.periods[1].end) == (date(2025, 9, 7), date(2026, 3, 6))
    assert quarterly.periods[-1].end == biannual.periods[-1].end == date(2029, 5, 6)


def test_period_states_as_of_the_filing_date() -> None:
    held = [
        {"workshop_date": date(2025, 3, 7), "status": "held"},
        {"workshop_date": date(2026, 9, 24), "status": "scheduled"},
    ]
    periods = build_calendar(SETTINGS, "quarterly", held, date(2026, 7, 31)).periods
    assert [p.state for p in periods[:8]] == [
        "held",
        "missed",
        "missed",
        "missed",
        "missed",
        "current",
        "upcoming",
        "upcoming",
    ]
    assert periods[6].scheduled == date(2026, 9, 24)


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
