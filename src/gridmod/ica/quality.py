"""A data-quality metric of an ICA filing as the report and the site show it: measured from the results, and
as the utility reported it. Plain Python, so that a report model holding metrics loads no data library."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """One data-quality metric: measured from the results, and as the utility reported it."""

    id: str
    title: str
    kind: str  # count, pct or days
    computed: float
    reported: float | None = None

    @property
    def shown(self) -> str:
        return show(self.computed, self.kind)

    @property
    def reported_shown(self) -> str | None:
        return None if self.reported is None else show(float(self.reported), self.kind)


def show(value: float, kind: str) -> str:
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "pct":
        return f"{value:.1f} %"
    return f"{value:.1f} days"
