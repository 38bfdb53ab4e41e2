"""The statewide edition of one Grid Modernization filing cycle, computed from the utilities' filings.

Every figure is a sum or a count over filed rows, and carries a footnote naming the filings, files and lines
it comes from. Nothing is added across utilities or years without saying so: a total over fewer utilities
than filed, or over years not every utility reported, says in its coverage which ones it holds. Benefit
values are added only within one metric of the profile's catalogue (profile 1.1 on); milestones are counted
by the one definition of delivery (gridmod.render.model.milestone_state) that every page and chart uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from statistics import median
from typing import Any

import yaml

from gridmod.errors import InputError, SetupError
from gridmod.outputs import BuiltFiling
from gridmod.render.model import milestone_state
from gridmod.tables import LINE, read_table
from gridmod.utilities import UTILITIES
from gridmod.utilities import utility as names_of

SPEC = "validation/_shared/statewide.yaml"
NARRATIVES = "data/cpuc/statewide"
STATES = (("on_time", "Achieved on time"), ("late", "Achieved late"), ("delayed", "Delayed"), ("on_track", "On track"))
BASES = (("recorded", "Recorded"), ("forecast", "Forecast"), ("authorized", "Authorized"))


class StatewideError(InputError):
    """The edition cannot be made as asked: no valid filing of the cycle."""


@dataclass(frozen=True)
class Cell:
    value: float | int | str | None
    note: int | None = None  # footnote number: where the figure comes from


@dataclass
class Table:
    """One statewide table: `kinds` says how each column reads (text, usd, count, number, kw)."""

    id: str
    title: str
    columns: list[str]
    kinds: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the table leaves out, in words, shown under it


@dataclass
class Notes:
    """The edition's footnotes, numbered in order of first use; the same source is one note."""

    texts: list[str] = field(default_factory=list)

    def cite(self, text: str) -> int:
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1


@dataclass(frozen=True)
class Slot:
    id: str
    title: str
    text: str  # Energy Division's Markdown, or empty when its file is missing
    path: str  # where Energy Division writes it


@dataclass(frozen=True)
class Filed:
    """One utility's filing of the cycle, as the edition names it."""

    utility: str
    name: str
    short: str
    rel: str
    profile_version: str
    period: str
    filing_date: date
    accession: str | None
    package_sha256: str


@dataclass
class StatewideModel:
    cycle: str
    year: int
    title: str
    running_title: str
    keywords: list[str]
    as_of: date
    is_sample: bool
    filed: list[Filed]
    missing: list[str]  # utilities without a valid filing of the cycle
    slots: list[Slot]
    tables: list[Table]
    notes: Notes

    @property
    def slot(self) -> dict[str, Slot]:
        return {s.id: s for s in self.slots}

    @property
    def table(self) -> dict[str, Table]:
        return {t.id: t for t in self.tables}


def load_spec(root: Path) -> dict[str, Any]:
    path = root / SPEC
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(spec, dict) and spec["slots"] and spec["profile"]
        for slot in spec["slots"]:
            assert {"id", "title"} <= set(slot)
    except (OSError, yaml.YAMLError, AssertionError, KeyError, TypeError) as exc:
        raise SetupError(f"The statewide edition's spec {SPEC} cannot be read: {exc or 'a key is missing'}.") from exc
    return spec


def cycles(root: Path, built: list[BuiltFiling]) -> list[str]:
    """The filing cycles of the statewide profile among `built`, newest first."""
    profile = load_spec(root)["profile"]
    found = {b.filing.head.filing_id for b in built if b.profile.name == profile}
    return sorted(found, key=lambda c: (_year(c), c), reverse=True)


def build_model(root: Path, cycle: str, built: list[BuiltFiling]) -> StatewideModel:
    """The edition of `cycle` from the valid filings in `built` (every profile; the cycle's own, earlier
    cycles for the trends, the newest ICA filings for the hosting-capacity context). It is as of the newest
    filing date among them, so the same filings always make the same edition, whatever day it is built."""
    spec = load_spec(root)
    order = list(UTILITIES)
    mine = sorted(
        (b for b in built if b.profile.name == spec["profile"] and b.filing.head.filing_id == cycle),
        key=lambda b: order.index(b.filing.head.utility) if b.filing.head.utility in order else len(order),
    )
    if not mine:
        cycles_filed = ", ".join(cycles(root, built)) or "none"
        raise StatewideError(
            f"No valid filing of cycle {cycle} to make its statewide edition from; the cycles filed are {cycles_filed}."
        )
    notes = Notes()
    tables = _Tables(root, mine, notes)
    year = _year(cycle)
    drawn = [b for b in built if b.profile.name == spec["profile"] and _year(b.filing.head.filing_id) <= year]
    as_of = max(b.filing.head.filing_date for b in [*drawn, *_newest_ica(built).values()])
    model = StatewideModel(
        cycle=cycle,
        year=year,
        title=str(spec["title"]).format(year=year),
        running_title=str(spec.get("running_title") or "Statewide"),
        keywords=[str(k) for k in spec.get("keywords") or []],
        as_of=as_of,
        is_sample=any(b.filing.is_sample for b in mine),
        filed=[_filed(b) for b in mine],
        missing=[names_of(u).short for u in order if u not in {b.filing.head.utility for b in mine}],
        slots=[_slot(root, cycle, s) for s in spec["slots"]],
        tables=[],
        notes=notes,
    )
    model.tables = [
        tables.by_category(),
        *(tables.by_year(basis, label) for basis, label in BASES),
        tables.by_technology(),
        tables.metrics(),
        tables.milestones(),
        _trends(root, built, spec["profile"], cycle, notes),
        _hosting_capacity(root, built, notes),
    ]
    return model


def _year(cycle: str) -> int:
    digits = "".join(ch if ch.isdigit() else " " for ch in cycle).split()
    return int(digits[0]) if digits else 0


def _filed(built: BuiltFiling) -> Filed:
    from gridmod.record.digest import package_sha256

    head = built.filing.head
    names = names_of(head.utility)
    record = built.filing.record
    receipt = record.current if record is not None else None
    return Filed(
        utility=head.utility,
        name=names.legal,
        short=names.short,
        rel=built.filing.rel,
        profile_version=built.profile.version,
        period=f"{head.period_start.isoformat()} to {head.period_end.isoformat()}",
        filing_date=head.filing_date,
        accession=receipt.accession if receipt is not None else None,
        package_sha256=package_sha256(built.filing.folder),
    )


def _slot(root: Path, cycle: str, spec: dict[str, Any]) -> Slot:
    path = f"{NARRATIVES}/{cycle}/{spec['id']}.md"
    file = root / path
    text = file.read_text(encoding="utf-8-sig") if file.is_file() and not file.is_symlink() else ""
    return Slot(str(spec["id"]), str(spec["title"]), text.strip(), path)


def line_ranges(lines: Iterable[int]) -> str:
    """2, 3, 4, 7 -> "2–4, 7"."""
    runs: list[list[int]] = []
    for n in sorted(set(lines)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}\N{EN DASH}{r[-1]}" for r in runs)


class _Tables:
    """The cycle's tables over the utilities' filings, each figure cited."""

    def __init__(self, root: Path, mine: list[BuiltFiling], notes: Notes) -> None:
        self.root = root
        self.mine = mine
        self.notes = notes
        self.rows = {b.filing.head.utility: {t: _rows(b, t) for t in _tables(b)} for b in mine}
        self.short = {b.filing.head.utility: names_of(b.filing.head.utility).short for b in mine}
        self.rel = {b.filing.head.utility: b.filing.rel for b in mine}

    def _cite(self, utility: str, table: str, rows: list[dict[str, Any]], what: str) -> int | None:
        if not rows:
            return None
        lines = line_ranges(r[LINE] for r in rows)
        return self.notes.cite(f"{self.rel[utility]}/{table}.csv, lines {lines}: {what}.")

    def _costs(self, utility: str) -> list[dict[str, Any]]:
        return self.rows[utility].get("costs", [])

    def by_category(self) -> Table:
        categories = self.mine[0].profile.meta["categories"]
        utilities = list(self.rows)
        table = Table(
            "costs-by-category",
            "Recorded costs by category of Appendix A, all years each utility reported",
            ["Category", *(self.short[u] for u in utilities), "Statewide", "Coverage"],
            ["text", *("usd" for _ in utilities), "usd", "text"],
        )
        activity_category = {
            u: {a["activity_id"]: a["category_id"] for a in self.rows[u].get("activities", [])} for u in utilities
        }
        for category in categories:
            cells, total, covered, withheld = [], 0.0, [], 0
            for u in utilities:
                rows = [
                    r
                    for r in self._costs(u)
                    if r["basis"] == "recorded" and activity_category[u].get(r["activity_id"]) == category["id"]
                ]
                withheld += sum(1 for r in rows if r["amount_usd"] is None)
                rows = [r for r in rows if r["amount_usd"] is not None]
                if not rows:
                    cells.append(Cell(None))
                    continue
                amount = sum(r["amount_usd"] for r in rows)
                years = line_ranges(r["year"] for r in rows) + _year_to_date(rows)
                note = self._cite(u, "costs", rows, f"amount_usd of the recorded rows of category {category['id']}")
                cells.append(Cell(amount, note))
                total += amount
                covered.append(f"{self.short[u]} {years}")
            coverage = "; ".join(covered) if covered else "no recorded costs"
            if withheld:
                coverage += f"; {withheld} amount(s) withheld as confidential are left out"
            table.rows.append(
                [
                    Cell(f"{category['id']}. {category['title']}"),
                    *cells,
                    Cell(total if covered else None),
                    Cell(coverage),
                ]
            )
        table.notes.append(
            "Each utility reports the calendar years of its own filing; the coverage column names the years "
            "each amount holds, so a statewide total adds different years only where it says so."
        )
        return table

    def by_year(self, basis: str, label: str) -> Table:
        utilities = list(self.rows)
        table = Table(
            f"{basis}-by-year",
            f"{label} costs by year",
            ["Year", *(self.short[u] for u in utilities), "Statewide", "Coverage"],
            ["text", *("usd" for _ in utilities), "usd", "text"],
        )
        per: dict[int, dict[str, Cell]] = {}  # year -> utility -> its figure
        hidden: dict[int, list[str]] = {}  # year -> the utility of each amount withheld as confidential
        for u in utilities:
            groups: dict[int, list[dict[str, Any]]] = {}
            if basis == "authorized":
                # One authorized amount per activity, year and cost type, repeated on its recorded and
                # forecast rows: counted once.
                seen: dict[tuple[str, int, str], dict[str, Any]] = {}
                for r in self._costs(u):
                    if r.get("authorized_usd") is not None:
                        seen.setdefault((r["activity_id"], r["year"], r["cost_type"]), r)
                for r in seen.values():
                    groups.setdefault(r["year"], []).append(r)
                column, what = "authorized_usd", "authorized_usd, once per activity, year and cost type"
            else:
                for r in self._costs(u):
                    if r["basis"] == basis and r["amount_usd"] is not None:
                        groups.setdefault(r["year"], []).append(r)
                    elif r["basis"] == basis:  # withheld as confidential: empty in the public file
                        hidden.setdefault(r["year"], []).append(self.short[u])
                column, what = "amount_usd", f"amount_usd of the {basis} rows"
            for year, rows in groups.items():
                note = self._cite(u, "costs", rows, f"{what} for {year}")
                per.setdefault(year, {})[u] = Cell(sum(r[column] for r in rows), note)
        for year in sorted(per):
            have = per[year]
            cells = _cells(have, utilities)
            missing = [self.short[u] for u in utilities if u not in have]
            coverage = "all filings of the cycle" if not missing else f"without {', '.join(missing)}"
            for u in utilities:
                if basis == "recorded" and u in have:
                    partial = _year_to_date([r for r in self._costs(u) if r["year"] == year and r["basis"] == basis])
                    coverage += f"; {self.short[u]}{partial}" if partial else ""
            for name in sorted(set(hidden.get(year, []))):
                count = hidden[year].count(name)
                coverage += f"; {count} {name} amount{'' if count == 1 else 's'} withheld as confidential, left out"
            table.rows.append([Cell(str(year)), *cells, Cell(_total(have)), Cell(coverage)])
        if not per:
            table.notes.append(f"No filing of the cycle reports {label.lower()} amounts.")
        return table

    def by_technology(self) -> Table:
        utilities = list(self.rows)
        coded = [u for u in utilities if any("technology" in a for a in self.rows[u].get("activities", []))]
        uncoded = [self.short[u] for u in utilities if u not in coded]
        table = Table(
            "costs-by-technology",
            "Recorded costs by technology",
            ["Technology", *(self.short[u] for u in coded), "Statewide", "Coverage"],
            ["text", *("usd" for _ in coded), "usd", "text"],
        )
        technologies = {
            t["id"]: t["title"] for b in self.mine for t in b.profile.meta.get("technologies") or [] if "id" in t
        }
        per: dict[str, dict[str, Cell]] = {}  # technology -> utility -> its figure
        years: dict[str, dict[str, str]] = {}  # technology -> utility -> the years its amount holds
        for u in coded:
            tech = {a["activity_id"]: a.get("technology") for a in self.rows[u]["activities"]}
            groups: dict[str, list[dict[str, Any]]] = {}
            for r in self._costs(u):
                code = tech.get(r["activity_id"])
                if code and r["basis"] == "recorded" and r["amount_usd"] is not None:
                    groups.setdefault(code, []).append(r)
            for code, rows in groups.items():
                note = self._cite(u, "costs", rows, f"amount_usd of the recorded rows of activities coded {code}")
                per.setdefault(code, {})[u] = Cell(sum(r["amount_usd"] for r in rows), note)
                years.setdefault(code, {})[u] = line_ranges(r["year"] for r in rows) + _year_to_date(rows)
        for code in sorted(per, key=lambda c: technologies.get(c, c)):
            have = per[code]
            cells = _cells(have, coded)
            coverage = "; ".join(f"{self.short[u]} {years[code][u]}" for u in coded if u in have)
            table.rows.append([Cell(technologies.get(code, code)), *cells, Cell(_total(have)), Cell(coverage)])
        if uncoded:
            table.notes.append(
                f"{', '.join(uncoded)} filed under a profile version without technology codes (1.0); their "
                "costs are in the category table only, and no total here includes them."
            )
        return table

    def metrics(self) -> Table:
        utilities = list(self.rows)
        coded = [u for u in utilities if any("metric_id" in r for r in self.rows[u].get("use_cases", []))]
        uncoded = [self.short[u] for u in utilities if u not in coded]
        catalogue = {
            m["metric_id"]: m
            for b in self.mine
            for m in b.profile.meta.get("benefit_metrics") or []
            if "metric_id" in m
        }
        table = Table(
            "benefits-by-metric",
            "Benefits realized, added within each metric where values add up",
            ["Metric", "Unit", *(self.short[u] for u in coded), "Statewide", "Coverage"],
            ["text", "text", *("number" for _ in coded), "number", "text"],
        )
        per: dict[str, dict[str, Cell]] = {}  # metric -> utility -> its figure
        several: dict[tuple[str, str], int] = {}  # (metric, utility) -> values of a metric that does not add up
        for u in coded:
            groups: dict[str, list[dict[str, Any]]] = {}
            for r in self.rows[u]["use_cases"]:
                if r.get("metric_id") and r.get("benefit_value") is not None and r.get("timing") == "current":
                    groups.setdefault(r["metric_id"], []).append(r)
            for metric, rows in groups.items():
                note = self._cite(u, "use_cases", rows, f"benefit_value of the current use cases with metric {metric}")
                if catalogue.get(metric, {}).get("additive"):
                    value = sum(r["benefit_value"] for r in rows)
                elif len(rows) == 1:
                    value = rows[0]["benefit_value"]
                else:  # several shares or medians of one utility do not add up either
                    value, several[(metric, u)] = None, len(rows)
                per.setdefault(metric, {})[u] = Cell(value, note)
        for metric in sorted(per):
            have = per[metric]
            info = catalogue.get(metric, {})
            cells = _cells(have, coded)
            names = ", ".join(self.short[u] for u in coded if u in have)
            additive = bool(info.get("additive"))
            coverage = names if additive else f"{names}; not added: a share, median or duration does not add up"
            for u in coded:
                if (metric, u) in several:
                    coverage += f"; {self.short[u]} reports {several[(metric, u)]} values, in its report"
            table.rows.append(
                [
                    Cell(str(info.get("title") or metric)),
                    Cell(str(info.get("unit") or "")),
                    *cells,
                    Cell(_total(have) if additive else None),
                    Cell(coverage),
                ]
            )
        if uncoded:
            counts = {
                self.short[u]: sum(1 for r in self.rows[u].get("use_cases", []) if r.get("benefit_value") is not None)
                for u in utilities
                if u not in coded
            }
            listed = ", ".join(f"{name} {n}" for name, n in counts.items())
            table.notes.append(
                "Benefits filed under a profile version without the metric catalogue (1.0) name their metric in "
                f"free text and are not added across utilities (benefit values so filed: {listed}); each "
                "utility's report lists them."
            )
        return table

    def milestones(self) -> Table:
        utilities = list(self.rows)
        table = Table(
            "milestones",
            "Milestone delivery",
            ["Utility", "Milestones", *(label for _, label in STATES), "Cancelled"],
            ["text", "count", *("count" for _ in STATES), "count"],
        )
        totals = [0] * (len(STATES) + 2)
        for u in utilities:
            rows = self.rows[u].get("milestones", [])
            states = [
                milestone_state(r["status"], r["baseline_date"], r.get("actual_date"), r.get("forecast_date"))
                for r in rows
            ]
            counts = [len(rows), *(states.count(s) for s, _ in STATES), states.count("cancelled")]
            note = self._cite(u, "milestones", rows, "every milestone, by status, baseline, forecast and actual date")
            table.rows.append([Cell(self.short[u]), Cell(counts[0], note), *(Cell(c) for c in counts[1:])])
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
        table.rows.append([Cell("Statewide"), *(Cell(c) for c in totals)])
        table.notes.append(
            "Achieved late: achieved after the baseline date. Delayed: not achieved, with a forecast after the "
            "baseline date or marked delayed by the utility, whatever its label. On track: neither."
        )
        return table


def _cells(have: dict[str, Cell], utilities: list[str]) -> list[Cell]:
    """One figure per utility column, a dash where the utility has none."""
    return [have.get(u, Cell(None)) for u in utilities]


def _total(have: dict[str, Cell]) -> float:
    """The statewide figure: the utilities' figures added (the caller's coverage says which they are)."""
    return sum(float(c.value) for c in have.values() if isinstance(c.value, int | float))


def _year_to_date(rows: list[dict[str, Any]]) -> str:
    """ " (2026 year to date, to 2026-06-30)" for recorded rows of a year not yet over (recorded_through,
    profile 1.1 on), else ""."""
    through: dict[int, date] = {}
    for r in rows:
        if r.get("recorded_through") is not None:
            through[r["year"]] = max(through.get(r["year"], r["recorded_through"]), r["recorded_through"])
    return "".join(f" ({year} year to date, to {day.isoformat()})" for year, day in sorted(through.items()))


def _tables(built: BuiltFiling) -> list[str]:
    return [t["name"] for t in built.profile.tables if t["name"] in built.filing.resources]


def _rows(built: BuiltFiling, table: str) -> list[dict[str, Any]]:
    return read_table(built.filing.file(table), built.profile.schemas[table])


def _trends(root: Path, built: list[BuiltFiling], profile: str, cycle: str, notes: Notes) -> Table:
    """Each utility's filings of every cycle up to this one: recorded costs, activities, milestone delivery."""
    table = Table(
        "trends",
        "Across cycles",
        ["Cycle", "Utility", "Activities", "Recorded costs", "Milestones", "Delayed"],
        ["text", "text", "count", "usd", "count", "count"],
    )
    order = list(UTILITIES)
    mine = [b for b in built if b.profile.name == profile and _year(b.filing.head.filing_id) <= _year(cycle)]
    mine.sort(key=lambda b: (_year(b.filing.head.filing_id), order.index(b.filing.head.utility)))
    seen_cycles: dict[str, list[str]] = {}
    for b in mine:
        head = b.filing.head
        activities = _rows(b, "activities")
        costs = [r for r in _rows(b, "costs") if r["basis"] == "recorded" and r["amount_usd"] is not None]
        milestones = _rows(b, "milestones")
        delayed = sum(
            1
            for r in milestones
            if milestone_state(r["status"], r["baseline_date"], r.get("actual_date"), r.get("forecast_date"))
            == "delayed"
        )
        note = (
            notes.cite(f"{b.filing.rel}/costs.csv, lines {line_ranges(r[LINE] for r in costs)}: recorded amount_usd.")
            if costs
            else None
        )
        table.rows.append(
            [
                Cell(head.filing_id),
                Cell(names_of(head.utility).short),
                Cell(len(activities)),
                Cell(sum(r["amount_usd"] for r in costs), note),
                Cell(len(milestones)),
                Cell(delayed),
            ]
        )
        seen_cycles.setdefault(head.filing_id, []).append(names_of(head.utility).short)
    for filing_id, names in seen_cycles.items():
        if len(names) < len(order):
            table.notes.append(f"{filing_id}: filings of {', '.join(names)} only; a trend holds no other utility.")
    table.notes.append("Recorded costs are each filing's own: the years of its reporting period and before.")
    return table


def _newest_ica(built: list[BuiltFiling]) -> dict[str, BuiltFiling]:
    """Each utility's newest ICA filing with its report model."""
    newest: dict[str, BuiltFiling] = {}
    for b in built:
        if b.profile.engine != "ica" or b.model is None:
            continue
        u = b.filing.head.utility
        if u not in newest or b.filing.head.filing_date > newest[u].filing.head.filing_date:
            newest[u] = b
    return newest


def _hosting_capacity(root: Path, built: list[BuiltFiling], notes: Notes) -> Table:
    """Hosting capacity by utility and county, from each utility's newest ICA filing: substations, feeders,
    line sections, and the median over the county's substations of their median uniform-generation static
    hosting capacity (capacities of line sections are not additive, so none is summed)."""
    table = Table(
        "hosting-capacity",
        "Hosting capacity by utility and county (newest ICA filing of each utility)",
        ["Utility", "County", "Substations", "Feeders", "Line sections", "Median hosting capacity (kW)"],
        ["text", "text", "count", "count", "count", "kw"],
    )
    order = list(UTILITIES)
    newest = _newest_ica(built)
    for u in sorted(newest, key=lambda x: order.index(x) if x in order else len(order)):
        b = newest[u]
        county = {s["substation_id"]: s.get("county") or "county not filed" for s in _rows(b, "substations")}
        groups: dict[str, list[dict[str, Any]]] = {}
        for s in b.model.substations:
            groups.setdefault(county.get(s["substation_id"], "county not filed"), []).append(s)
        note = notes.cite(
            f"{b.filing.rel}: results (uniform_generation, static_kw) by line section, feeders.csv and "
            "substations.csv (county)."
        )
        for name in sorted(groups):
            rows = groups[name]
            medians = [r["median_kw"] for r in rows if r.get("median_kw") is not None]
            table.rows.append(
                [
                    Cell(f"{names_of(u).short} ({b.filing.head.filing_id})"),
                    Cell(name),
                    Cell(len(rows), note),
                    Cell(sum(int(r["feeders"]) for r in rows)),
                    Cell(sum(int(r["sections"]) for r in rows)),
                    Cell(median(medians) if medians else None),
                ]
            )
    missing = [names_of(u).short for u in order if u not in newest]
    if missing:
        table.notes.append(f"No ICA filing of {', '.join(missing)} is published.")
    table.notes.append(
        "Median hosting capacity: the median over the county's substations of each substation's median "
        "line-section hosting capacity under uniform generation, static grid. Capacities are not added."
    )
    return table
