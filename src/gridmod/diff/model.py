"""What changed between two filings of one utility and profile, as plain data for Markdown, JSON and the site."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass
class Side:
    """One of the two filings compared."""

    path: str
    utility: str
    filing_id: str
    filing_date: str
    profile: str
    version: str


@dataclass
class ActivityChange:
    activity_id: str
    activity_name: str
    change: str  # added | removed | changed
    old_status: str | None = None
    new_status: str | None = None
    # field -> (old, new) for the name, category and completion date
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class MilestoneChange:
    activity_id: str
    milestone_id: str
    milestone_name: str
    change: str  # added | removed | changed
    old_status: str | None = None
    new_status: str | None = None
    old_date: date | None = None  # the actual date, else the forecast, else the baseline
    new_date: date | None = None
    slip_days: int | None = None  # new_date - old_date: positive is later
    old_baseline: date | None = None
    new_baseline: date | None = None
    baseline_days: int | None = None  # the baseline itself moved (re-baselined)

    @property
    def key(self) -> str:
        return f"{self.activity_id}/{self.milestone_id}"


@dataclass
class CostChange:
    activity_id: str
    year: int
    cost_type: str
    old_basis: str | None
    new_basis: str | None
    old_usd: float | None
    new_usd: float | None
    old_authorized_usd: float | None = None
    new_authorized_usd: float | None = None

    @property
    def change_usd(self) -> float | None:
        if self.old_usd is None or self.new_usd is None:
            return None
        return self.new_usd - self.old_usd

    @property
    def change_pct(self) -> float | None:
        if self.change_usd is None or not self.old_usd:
            return None
        return round(self.change_usd / self.old_usd * 100, 1)


@dataclass
class ActivityCosts:
    """Recorded and forecast totals of one activity in each filing (None: not in that filing)."""

    activity_id: str
    old_recorded_usd: float | None
    new_recorded_usd: float | None
    old_forecast_usd: float | None
    new_forecast_usd: float | None


@dataclass
class SectionChange:
    path: str  # of the narrative file in the new filing (the old one where it was removed)
    section: str  # the heading; "" for the text before the first heading
    change: str  # added | removed | changed
    words_added: int = 0
    words_removed: int = 0
    # a few changed passages: (removed words, added words), each shortened
    edits: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class FilingDiff:
    old: Side
    new: Side
    activities: list[ActivityChange] = field(default_factory=list)
    milestones: list[MilestoneChange] = field(default_factory=list)
    costs: list[CostChange] = field(default_factory=list)
    activity_costs: list[ActivityCosts] = field(default_factory=list)
    totals: dict[str, dict[str, float]] = field(default_factory=dict)  # basis -> {"old": usd, "new": usd}
    narrative: list[SectionChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, items: str, change: str) -> int:
        return sum(1 for item in getattr(self, items) if item.change == change)

    @property
    def status_changes(self) -> list[ActivityChange]:
        return [a for a in self.activities if a.change == "changed" and a.old_status != a.new_status]

    @property
    def moved_milestones(self) -> list[MilestoneChange]:
        """Milestones in both filings whose date moved, latest slip first."""
        moved = [m for m in self.milestones if m.change == "changed" and m.slip_days]
        return sorted(moved, key=lambda m: (-(m.slip_days or 0), m.key))

    @property
    def rebaselined(self) -> list[MilestoneChange]:
        return [m for m in self.milestones if m.change == "changed" and m.baseline_days]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["costs"] = [dict(asdict(c), change_usd=c.change_usd, change_pct=c.change_pct) for c in self.costs]
        data["summary"] = {
            "activities": {k: self.count("activities", k) for k in ("added", "removed")}
            | {"status_changed": len(self.status_changes)},
            "milestones": {k: self.count("milestones", k) for k in ("added", "removed")}
            | {"moved": len(self.moved_milestones), "rebaselined": len(self.rebaselined)},
            "costs_changed": len(self.costs),
            "narrative_sections_changed": len(self.narrative),
        }
        return _plain(data)


def _plain(value: Any) -> Any:
    """Dates as ISO text and tuples as lists, so the result is JSON."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
