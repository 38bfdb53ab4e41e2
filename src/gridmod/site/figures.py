"""Key figures of a filing, read from its tables: what a reader compares across utilities first."""

from __future__ import annotations

from dataclasses import dataclass

from gridmod.outputs import BuiltFiling
from gridmod.render.model import milestone_state
from gridmod.tables import read_table


@dataclass(frozen=True)
class KeyFigures:
    activities: int
    recorded_usd: float
    forecast_usd: float
    authorized_usd: float
    milestones: int
    milestones_achieved: int
    milestones_delayed: int
    withheld: int = 0  # cost amounts withheld as confidential, which the totals leave out


def key_figures(built: BuiltFiling) -> KeyFigures:
    """Totals over the whole filing. Only called on filings that passed validation, so every cell casts."""
    activities = _rows(built, "activities")
    costs = _rows(built, "costs")
    milestones = _rows(built, "milestones")
    return KeyFigures(
        activities=len(activities),
        recorded_usd=sum(c["amount_usd"] for c in costs if c["basis"] == "recorded" and c["amount_usd"] is not None),
        forecast_usd=sum(c["amount_usd"] for c in costs if c["basis"] == "forecast" and c["amount_usd"] is not None),
        # One authorized amount per activity, year and cost type, repeated on its recorded and forecast rows.
        authorized_usd=sum(
            {
                (c["activity_id"], c["year"], c["cost_type"]): c["authorized_usd"]
                for c in costs
                if c.get("authorized_usd") is not None
            }.values()
        ),
        withheld=sum(1 for c in costs if c["amount_usd"] is None),
        milestones=len(milestones),
        milestones_achieved=sum(1 for m in milestones if m["status"] == "achieved"),
        milestones_delayed=sum(
            1
            for m in milestones
            if milestone_state(m["status"], m["baseline_date"], m.get("actual_date"), m.get("forecast_date"))
            == "delayed"
        ),
    )


def _rows(built: BuiltFiling, table: str) -> list[dict]:
    return read_table(built.filing.file(table), built.profile.schemas[table])


def total(figures: list[KeyFigures]) -> KeyFigures:
    """The statewide figures: each field summed over the utilities' filings."""
    return KeyFigures(*(sum(getattr(f, name) for f in figures) for name in KeyFigures.__dataclass_fields__))
