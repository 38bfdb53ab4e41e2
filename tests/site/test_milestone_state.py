"""One definition of where a milestone stands, for the home page's figures, the comparison and the timelines."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from gridmod.render.model import milestone_state
from gridmod.site.charts import TimelineMilestone, milestone_kind
from gridmod.site.figures import key_figures

BASE = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("status", "actual", "forecast", "state"),
    [
        ("achieved", date(2026, 6, 30), None, "on_time"),
        ("achieved", date(2026, 5, 1), None, "on_time"),
        ("achieved", date(2026, 7, 1), None, "late"),
        ("on_track", None, date(2026, 6, 30), "on_track"),
        ("on_track", None, None, "on_track"),
        ("on_track", None, date(2026, 9, 28), "delayed"),  # labelled on track, forecast 90 days late
        ("delayed", None, date(2026, 12, 15), "delayed"),
        ("delayed", None, date(2026, 6, 1), "delayed"),  # the utility's own word counts too
        ("cancelled", None, date(2027, 1, 1), "cancelled"),
    ],
)
def test_a_milestone_stands_where_its_dates_put_it(status, actual, forecast, state):
    assert milestone_state(status, BASE, actual, forecast) == state
    assert milestone_kind(TimelineMilestone("a", "m", status, BASE, actual, forecast, None)) == state


def test_the_key_figures_count_a_late_forecast_as_delayed(monkeypatch):
    """Four milestones: achieved, on track, labelled on track with a forecast 57 days late, delayed: two are
    delayed in the home page's figures, as on the comparison page."""
    rows = [
        {"status": "achieved", "baseline_date": BASE, "actual_date": BASE, "forecast_date": None},
        {"status": "on_track", "baseline_date": BASE, "actual_date": None, "forecast_date": BASE},
        {"status": "on_track", "baseline_date": BASE, "actual_date": None, "forecast_date": date(2026, 8, 26)},
        {"status": "delayed", "baseline_date": BASE, "actual_date": None, "forecast_date": date(2026, 12, 1)},
    ]
    tables = {"activities": [{}], "costs": [], "milestones": rows}
    monkeypatch.setattr("gridmod.site.figures._rows", lambda built, table: tables[table])
    figures = key_figures(SimpleNamespace())  # type: ignore[arg-type]
    assert (figures.milestones, figures.milestones_achieved, figures.milestones_delayed) == (4, 1, 2)
