"""Cost totals for Appendix A element 6 and the report's cost summary.

Amounts are summed as Decimal from the CSV's text form, so totals of dollar-and-cent rows pick up
no binary floating-point error before they are rounded for display.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

COST_TYPES = ("capital", "om")
BASES = ("recorded", "forecast")
ZERO = Decimal(0)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def _sum(values) -> Decimal:
    return sum(values, ZERO)


def _sum_known(values) -> Decimal | None:
    """Sum of the amounts that exist; None (shown as a dash) when no row has one, unlike a filed 0."""
    known = [v for v in values if v is not None]
    return _sum(known) if known else None


def _add(amounts: dict[str, Decimal | None], key: str, amount: Decimal) -> None:
    amounts[key] = (amounts[key] or ZERO) + amount


@dataclass
class CostLine:
    """One row of a cost table: a year and basis (or a total), by cost type, with authorized amounts."""

    label: str
    basis: str | None
    amounts: dict[str, Decimal | None] = field(default_factory=lambda: dict.fromkeys(COST_TYPES))
    authorized: dict[str, Decimal | None] = field(default_factory=lambda: dict.fromkeys(COST_TYPES))
    is_total: bool = False
    # cost types with an amount withheld as confidential (gridmod.confidential): shown as withheld, and left
    # out of every total, which then says so
    withheld: set[str] = field(default_factory=set)
    # a year-to-date recorded line (profile 1.1 on: the filing year's recorded rows say recorded_through):
    # the day its amounts run to
    through: date | None = None

    @property
    def total(self) -> Decimal:
        return _sum(v for v in self.amounts.values() if v is not None)


@dataclass
class CategoryLine:
    """One row of the summary by category: a year and basis (or a total), by category letter."""

    label: str
    basis: str | None
    amounts: dict[str, Decimal | None]
    is_total: bool = False

    @property
    def total(self) -> Decimal:
        return _sum(v for v in self.amounts.values() if v is not None)


def _order(key: tuple[int, str]) -> tuple[int, int]:
    return key[0], BASES.index(key[1])


def whole_years(lines: list[CostLine]) -> list[CostLine]:
    """The lines an overall total adds: a year-to-date recorded line is left out where the same year has a
    forecast, which covers the whole year (adding both would count the months recorded twice)."""
    forecast = {ln.label for ln in lines if ln.basis == "forecast"}
    return [ln for ln in lines if not (ln.through is not None and ln.label in forecast)]


def _totals(lines: list[CostLine]) -> list[CostLine]:
    """Total per basis present, then the overall total (whole years only, see whole_years); authorized
    amounts add where given."""
    groups: list[tuple[str, str | None, list[CostLine]]] = [
        (f"Total {b}", b, [ln for ln in lines if ln.basis == b]) for b in BASES
    ]
    groups = [g for g in groups if g[2]] + [("Total", None, whole_years(lines))]
    out = []
    for label, basis, chosen in groups:
        line = CostLine(label=label, basis=basis, is_total=True)
        for cost_type in COST_TYPES:
            line.amounts[cost_type] = _sum_known(ln.amounts[cost_type] for ln in chosen)
            line.authorized[cost_type] = _sum_known(ln.authorized[cost_type] for ln in chosen)
        line.withheld = set().union(*(ln.withheld for ln in chosen))
        out.append(line)
    return out


def _lines_by_year(rows: list[dict[str, Any]]) -> list[CostLine]:
    by_key: dict[tuple[int, str], CostLine] = {}
    for row in rows:
        key = (row["year"], row["basis"])
        line = by_key.setdefault(key, CostLine(label=str(row["year"]), basis=row["basis"]))
        through = row.get("recorded_through")
        if through is not None:
            line.through = max(line.through or through, through)
        if row["amount_usd"] is None:  # withheld as confidential; the public edition has no value
            line.withheld.add(row["cost_type"])
            continue
        _add(line.amounts, row["cost_type"], _dec(row["amount_usd"]))
    return [by_key[k] for k in sorted(by_key, key=_order)]


def activity_cost_lines(rows: list[dict[str, Any]]) -> list[CostLine]:
    """Element 6 of one activity: a line per year and basis, then totals by basis and overall.

    The authorized amount belongs to the activity, year and cost type, not to the basis, so it appears
    on the year's first line only and totals count it once per year (the amount of the year's first
    row; no rule yet checks that the recorded and forecast rows of a year give the same amount).
    """
    lines = _lines_by_year(rows)
    _place_authorized(lines, rows)
    return lines + _totals(lines) if lines else []


def _place_authorized(lines: list[CostLine], rows: list[dict[str, Any]]) -> None:
    """Authorized amounts per year and cost type, counted once per activity, on the year's first line (of
    whole years)."""
    once = {
        (r["activity_id"], r["year"], r["cost_type"]): _dec(r["authorized_usd"])
        for r in rows
        if r.get("authorized_usd") is not None
    }
    by_year: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for (_activity, year, cost_type), amount in once.items():
        by_year[(year, cost_type)] += amount
    seen: set[str] = set()
    # A year-to-date line that the whole year's forecast stands beside is not the year's first line.
    for line in whole_years(lines):
        if line.label not in seen:
            seen.add(line.label)
            line.authorized = {t: by_year.get((int(line.label), t)) for t in COST_TYPES}


@dataclass
class CostSummary:
    """Totals across all activities: by year and category, and by year, basis and cost type."""

    by_category: list[CategoryLine]
    by_type: list[CostLine]
    recorded_total: Decimal
    forecast_total: Decimal
    withheld: int = 0  # amounts withheld as confidential, which no total includes
    # recorded year to date in a year whose forecast covers it whole: in recorded_total, not in grand_total
    year_to_date: Decimal = ZERO
    partial: list[CostLine] = field(default_factory=list)  # the year-to-date lines

    @property
    def grand_total(self) -> Decimal:
        return self.recorded_total + self.forecast_total - self.year_to_date


def summarize_costs(rows: list[dict[str, Any]], category_of: dict[str, str], category_ids: list[str]) -> CostSummary:
    """Totals of every cost row; `category_of` maps an activity_id to its Appendix A category letter."""
    cells: dict[tuple[int, str], dict[str, Decimal | None]] = defaultdict(lambda: dict.fromkeys(category_ids))
    for row in rows:
        if row["amount_usd"] is not None:  # a withheld (confidential) amount counts in no public total
            _add(cells[(row["year"], row["basis"])], category_of[row["activity_id"]], _dec(row["amount_usd"]))
    keys = sorted(cells, key=_order)
    lines = _lines_by_year(rows)
    partial = [ln for ln in lines if ln not in whole_years(lines)]
    overlap = {(int(ln.label), "recorded") for ln in partial}
    by_category = [CategoryLine(str(year), basis, cells[(year, basis)]) for year, basis in keys]
    groups = [(f"Total {b}", b, [k for k in keys if k[1] == b]) for b in BASES]
    for label, basis, chosen in [g for g in groups if g[2]] + [("Total", None, [k for k in keys if k not in overlap])]:
        amounts = {c: _sum_known(cells[k][c] for k in chosen) for c in category_ids}
        by_category.append(CategoryLine(label, basis, amounts, is_total=True))
    _place_authorized(lines, rows)
    return CostSummary(
        by_category=by_category,
        by_type=lines + _totals(lines) if lines else [],
        recorded_total=_sum(ln.total for ln in lines if ln.basis == "recorded"),
        forecast_total=_sum(ln.total for ln in lines if ln.basis == "forecast"),
        withheld=sum(1 for r in rows if r["amount_usd"] is None),
        year_to_date=_sum(ln.total for ln in partial),
        partial=partial,
    )
