"""The utilities side by side for one filing cycle, per Appendix A category: activities and their status,
milestones achieved and slipped, and recorded, forecast and authorized costs by year.

Read from the report model (gridmod.render.model) of each filing, so the comparison shows the same figures
as the reports; the charts are drawn by gridmod.site.charts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gridmod.render.model import Activity, Category, ReportModel
from gridmod.site.charts import (
    MILESTONE_SEGMENTS,
    Chart,
    Segment,
    TimelineMilestone,
    YearAmounts,
    cost_chart,
    milestone_kind,
    status_chart,
    timeline_chart,
)
from gridmod.site.tabular import Column, DataTable

if TYPE_CHECKING:
    from gridmod.site.filings import FilingPage

ACTIVITY_SEGMENTS = [
    Segment("planned", "Planned", "#5e3c99"),
    Segment("in_progress", "In progress", "#2166ac"),
    Segment("deployed", "Deployed", "#1b7837"),
    Segment("completed", "Completed", "#00441b"),
    Segment("on_hold", "On hold", "#a6530a"),
    Segment("cancelled", "Cancelled", "#666666"),
]
STATUS_LABEL = {s.key: s.label for s in ACTIVITY_SEGMENTS}


@dataclass
class UtilityCategory:
    """One utility's part of one category."""

    page: FilingPage
    category: Category

    @property
    def short(self) -> str:
        return self.page.utility_short


@dataclass
class CategoryComparison:
    id: str
    title: str
    parts: list[UtilityCategory]
    activities: DataTable
    charts: list[Chart] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"category-{self.id}"

    @property
    def without_activity(self) -> list[tuple[str, str]]:
        """(utility, reason) for each utility that filed no activity in this category."""
        return [
            (p.short, p.category.no_activity_reason or "No reason given.")
            for p in self.parts
            if not p.category.activities
        ]


@dataclass
class Comparison:
    filing_id: str
    title: str
    pages: list[FilingPage]
    overall: list[Chart]
    categories: list[CategoryComparison]

    @property
    def folder(self) -> str:
        return f"compare/{self.filing_id}"

    @property
    def path(self) -> str:
        return f"{self.folder}/index.md"

    @property
    def charts(self) -> list[Chart]:
        return [*self.overall, *(c for cat in self.categories for c in cat.charts)]


def compare(filing_id: str, pages: list[FilingPage]) -> Comparison:
    """The comparison of the filings with one filing id (one per utility), in the order given."""
    models = [p.model for p in pages]
    categories = []
    for index, spec in enumerate(pages[0].profile.categories):
        parts = [UtilityCategory(p, m.categories[index]) for p, m in zip(pages, models, strict=True)]
        subject = f"{spec['id']}. {spec['title']}"
        charts = [
            status_chart(
                f"activities-{spec['id']}.svg",
                "Activities by status",
                subject,
                ACTIVITY_SEGMENTS,
                [(p.short, _activity_counts(p.category.activities)) for p in parts],
                "activities",
            ),
            status_chart(
                f"milestones-{spec['id']}.svg",
                "Milestones achieved and slipped",
                subject,
                MILESTONE_SEGMENTS,
                [(p.short, _milestone_counts(p.category.activities)) for p in parts],
                "milestones",
            ),
            cost_chart(
                f"costs-{spec['id']}.svg",
                subject,
                [(p.short, year_amounts(p.category.activities)) for p in parts],
            ),
        ]
        categories.append(
            CategoryComparison(
                id=spec["id"],
                title=spec["title"],
                parts=parts,
                activities=_activity_table(subject, parts),
                charts=[c for c in charts if c is not None],
            )
        )
    everything = [
        (p.utility_short, [a for c in m.categories for a in c.activities]) for p, m in zip(pages, models, strict=True)
    ]
    overall = [
        status_chart(
            "activities-all.svg",
            "Activities by status",
            "all categories",
            ACTIVITY_SEGMENTS,
            [(name, _activity_counts(acts)) for name, acts in everything],
            "activities",
        ),
        status_chart(
            "milestones-all.svg",
            "Milestones achieved and slipped",
            "all categories",
            MILESTONE_SEGMENTS,
            [(name, _milestone_counts(acts)) for name, acts in everything],
            "milestones",
        ),
        cost_chart("costs-all.svg", "all categories", [(name, year_amounts(acts)) for name, acts in everything]),
    ]
    return Comparison(
        filing_id=filing_id,
        title=str(pages[0].profile.meta.get("title", filing_id)),
        pages=pages,
        overall=[c for c in overall if c is not None],
        categories=categories,
    )


def year_amounts(activities: list[Activity]) -> list[YearAmounts]:
    """Recorded, forecast and authorized dollars per year, summed over the activities' cost lines."""
    sums: dict[int, dict[str, float]] = defaultdict(dict)
    for activity in activities:
        for line in activity.cost_lines:
            if line.is_total:
                continue
            year = sums[int(line.label)]
            if line.basis in ("recorded", "forecast"):
                year[line.basis] = year.get(line.basis, 0.0) + float(line.total)
            authorized = [v for v in line.authorized.values() if v is not None]
            if authorized:
                year["authorized"] = year.get("authorized", 0.0) + float(sum(authorized))
    return [
        YearAmounts(y, sums[y].get("recorded"), sums[y].get("forecast"), sums[y].get("authorized"))
        for y in sorted(sums)
    ]


def timeline(page: FilingPage) -> Chart | None:
    """The milestone timeline of one filing, activities in report order."""
    model: ReportModel = page.model
    milestones = [
        TimelineMilestone(a.name, m.name, m.status, m.baseline, m.actual, m.forecast, m.slip_days)
        for c in model.categories
        for a in c.activities
        for m in a.milestones
    ]
    subject = f"{page.utility_short}'s filing {page.filing_id}"
    return timeline_chart("milestone-timeline.svg", subject, milestones, model.filing_date)


def _activity_counts(activities: list[Activity]) -> dict[str, int]:
    return dict(Counter(a.status for a in activities))


def _milestone_counts(activities: list[Activity]) -> dict[str, int]:
    return dict(
        Counter(
            milestone_kind(TimelineMilestone(a.name, m.name, m.status, m.baseline, m.actual, m.forecast, m.slip_days))
            for a in activities
            for m in a.milestones
        )
    )


def _activity_table(subject: str, parts: list[UtilityCategory]) -> DataTable:
    rows = []
    for part in parts:
        for a in part.category.activities:
            achieved = sum(1 for m in a.milestones if m.status == "achieved")
            rows.append(
                [
                    part.short,
                    a.name,
                    STATUS_LABEL.get(a.status, a.status),
                    a.start_date.isoformat(),
                    a.completion_date.isoformat() if a.completion_date else "—",
                    f"{achieved} of {len(a.milestones)}",
                ]
            )
    return DataTable(
        caption=f"Activities, {subject}",
        columns=[
            *map(Column, ("Utility", "Activity", "Status", "Started", "Completed")),
            Column("Milestones achieved", numeric=True),
        ],
        rows=rows,
        filterable=len(rows) > 8,
    )
