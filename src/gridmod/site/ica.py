"""The ICA pages of the public site: a summary per utility, one table of all feeders, the remediation
tracker and the workshop calendar.

A section of the ICA engine's (gridmod.engines), so the core pages need not know about ICA. Each utility's
newest ICA filing is summarised from the same report model as its PDF (gridmod.render.ica). Feeders and line
sections are many thousands at full scale, so they are never a page each: feeders are one filterable table
(sorted and filtered in the browser by gridmod-tables.js, complete without it) plus a CSV of the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridmod.ica.tracker import Action, tally, track
from gridmod.ica.workshops import Calendar, calendars
from gridmod.proceeding import load_register
from gridmod.site.exports import defuse, write_rows
from gridmod.site.filings import PublishedFiling, edition, place_files
from gridmod.site.sections import Offered, SiteContext
from gridmod.site.tabular import Column, DataTable
from gridmod.utilities import UTILITIES

if TYPE_CHECKING:
    from gridmod.render.ica import IcaReportModel

FOLDER = "ica"
DOWNLOADS = "ica/downloads"
FEEDERS_CSV = "ica-feeders.csv"
DASH = "\N{EM DASH}"


def change_formats() -> dict[str, Any]:
    """What the page of ICA changes (ica/changes.md.j2) formats kilowatts and percentages with."""
    from gridmod.diff.ica_formats import kw, pct, signed_kw

    return {"kw": kw, "signed_kw": signed_kw, "pct": pct}


@dataclass
class IcaFiling(PublishedFiling):
    changes: str | None = None  # the page of what changed since the utility's previous ICA filing on the site

    @property
    def model(self) -> IcaReportModel:
        return self.built.model


@dataclass
class IcaUtility:
    """A utility's published ICA filings, and the states of its newest filing's remediation actions and
    workshop periods on the build's date (gridmod.clock), not on the date it filed."""

    code: str
    short: str
    legal: str
    filings: list[IcaFiling]  # newest first
    actions: list[Action]
    action_counts: dict[str, int]
    calendars: list[Calendar]

    @property
    def latest(self) -> IcaFiling:
        return self.filings[0]

    @property
    def page(self) -> str:
        return f"{FOLDER}/{self.code}.md"

    @property
    def is_sample(self) -> bool:
        return any(f.is_sample for f in self.filings)


def ica_pages(context: SiteContext) -> list[Any]:
    """Write the ICA pages; their navigation, or nothing when no ICA filing is published.

    A section of the ICA engine (gridmod.engines): `context.built` holds the published filings of that engine.
    """
    built = context.built
    if not built:
        return []
    downloads = context.docs / DOWNLOADS
    downloads.mkdir(parents=True, exist_ok=True)
    utilities = []
    letters = load_register(context.root)
    for code, names in UTILITIES.items():
        mine = sorted(
            (b for b in built if b.filing.head.utility == code), key=lambda b: b.filing.head.filing_date, reverse=True
        )
        if mine:
            for b in mine:
                place_files(edition(b), downloads)
            model = mine[0].model
            actions = track(model.remediation, model.issues, context.as_of)
            utilities.append(
                IcaUtility(
                    code,
                    names.short,
                    names.legal,
                    [IcaFiling(b) for b in mine],
                    actions,
                    tally(actions),
                    calendars(mine[0].profile.meta["workshops"], model.workshops, context.as_of, letters),
                )
            )
    feeders = _feeder_rows(utilities)
    _write_csv(feeders, downloads / FEEDERS_CSV)
    context.offered.append(
        Offered(
            f"{DOWNLOADS}/{FEEDERS_CSV}",
            "ICA feeders of every utility's newest filing",
            "One row per feeder: utility, filing, feeder and substation, hosting capacity under uniform "
            "generation, uniform load and PV, the limiting criterion and the newest analysis date.",
            f"{FOLDER}/feeders.md",
        )
    )
    labels = {u.short: u.latest.label for u in utilities}
    common = {
        "utilities": utilities,
        "sample": any(u.is_sample for u in utilities),
        "downloads": DOWNLOADS,
        "dash": DASH,
        "as_of": context.as_of,
    }
    changes = _changes_pages(context, utilities, common)
    context.page(f"{FOLDER}/index.md", "ica/index.md.j2", **common)
    for u in utilities:
        context.page(u.page, "ica/utility.md.j2", u=u, tables=_utility_tables(u), **common)
    context.page(
        f"{FOLDER}/feeders.md",
        "ica/feeders.md.j2",
        table=_feeder_table(feeders, labels),
        count=len(feeders),
        csv=f"{DOWNLOADS}/{FEEDERS_CSV}",
        **common,
    )
    context.page(f"{FOLDER}/remediation.md", "ica/remediation.md.j2", table=_tracker_table(utilities), **common)
    context.page(f"{FOLDER}/workshops.md", "ica/workshops.md.j2", tables=_calendar_tables(utilities), **common)
    return [
        {
            "Integration capacity (ICA)": [
                f"{FOLDER}/index.md",
                *({u.short: u.page} for u in utilities),
                {"Feeders": f"{FOLDER}/feeders.md"},
                {"Remediation tracker": f"{FOLDER}/remediation.md"},
                {"Workshop calendar": f"{FOLDER}/workshops.md"},
                *([{"Changes between filings": changes}] if changes else []),
            ]
        }
    ]


def _changes_pages(context: SiteContext, utilities: list[IcaUtility], common: dict[str, Any]) -> list[Any]:
    """A page per ICA filing whose utility's previous ICA filing is on the site too: what changed (gridmod.diff);
    returns their navigation entries. A previous filing that did not pass validation is not compared."""
    from gridmod.diff import compare_filings, find_previous

    published = {b.filing.folder.resolve(): b for b in context.built}
    entries = []
    for u in utilities:
        for f in u.filings:
            previous = find_previous(f.built.filing)
            if previous is None or previous.folder.resolve() not in published:
                continue
            diff = compare_filings(previous.folder, f.built.filing.folder, context.root)
            f.changes = f"{FOLDER}/changes/{u.code}-{f.built.filing.head.filing_id}.md"
            context.page(
                f.changes,
                "ica/changes.md.j2",
                d=diff,
                name=u.short,
                legal_name=u.legal,
                back=u.page,
                old_label=diff.old.filing_id,
                new_label=diff.new.filing_id,
                **change_formats(),
                **common,
            )
            entries.append({f"{u.short} {diff.new.filing_id} since {diff.old.filing_id}": f.changes})
    return entries


def _kw(value: float | None) -> str:
    return DASH if value is None else f"{value:,.0f}"


def _utility_tables(u: IcaUtility) -> dict[str, DataTable]:
    m, label = u.latest.model, u.latest.label
    quality = DataTable(
        "Data-quality metrics: computed from the results and self-reported",
        [Column("Metric"), Column("Computed from the data", True), Column("Reported", True)],
        [[x.title, x.shown, x.reported_shown or DASH] for x in m.metrics],
    )
    criteria = DataTable(
        "Limiting criterion by scenario (static grid, result rows with a value)",
        [Column("Scenario"), Column("Criterion"), Column("Result rows", True), Column("Share", True)],
        [
            [label(r["scenario"]), label(r["criterion"]), f"{r['rows']:,}", f"{r['share_pct']:.1f} %"]
            for r in m.criteria
        ],
        row_headers=False,
    )
    substations = DataTable(
        "Uniform-generation hosting capacity by substation (static grid, kW)",
        [
            Column("Substation"),
            Column("Feeders", True),
            Column("Line sections", True),
            Column("P10 kW", True),
            Column("Median kW", True),
            Column("P90 kW", True),
            Column("Most frequent criterion"),
        ],
        [
            [
                f"{s['substation_name'] or DASH} ({s['substation_id']})",
                f"{s['feeders']:,}",
                f"{s['sections']:,}",
                _kw(s["p10_kw"]),
                _kw(s["median_kw"]),
                _kw(s["p90_kw"]),
                label(s["criterion"]),
            ]
            for s in m.substations
        ],
        filterable=len(m.substations) > 20,
    )
    return {"quality": quality, "criteria": criteria, "substations": substations}


def _feeder_rows(utilities: list[IcaUtility]) -> list[dict[str, Any]]:
    """One row per feeder of each utility's newest ICA filing (from its web edition)."""
    return [row for u in utilities for row in u.latest.web.feeders]


def _feeder_table(rows: list[dict[str, Any]], labels: Mapping[str, Callable[[object], str]]) -> DataTable:
    """The feeder rows of every utility, coded values in words as each utility's filing's profile says them."""
    columns = [
        Column("Utility"),
        Column("Feeder"),
        Column("Substation"),
        Column("kV", True),
        Column("Line sections", True),
        Column("Uniform generation kW", True),
        Column("Uniform load kW", True),
        Column("PV kW", True),
        Column("Most frequent criterion"),
        Column("Newest analysis"),
    ]
    # Profile 1.1 on: the feeder's distributed generation and customers, where any filing shown has them.
    facts = any("total_dg_kw" in r for r in rows)
    if facts:
        columns += [
            Column("Existing DG kW", True),
            Column("Queued DG kW", True),
            Column("Customers", True),
            Column("Load profile"),
        ]
    return DataTable(
        "Feeders: median static-grid hosting capacity of their line sections (kW), by scenario",
        columns,
        [
            [
                r["utility"],
                f"{r['feeder_id']} {r['feeder_name'] or ''}".strip(),
                f"{r['substation_name'] or DASH} ({r['substation_id'] or DASH})",
                DASH if r["nominal_voltage_kv"] is None else f"{r['nominal_voltage_kv']:g}",
                f"{r['line_sections']:,}",
                _kw(r["uniform_generation_kw"]),
                _kw(r["uniform_load_kw"]),
                _kw(r["pv_kw"]),
                labels[r["utility"]](r["limiting_criterion"]),
                r["newest_analysis"] or DASH,
                *(_facts(r, labels[r["utility"]]) if facts else []),
            ]
            for r in rows
        ],
        row_headers=False,
        filterable=True,
    )


def _facts(row: dict[str, Any], label: Callable[[object], str]) -> list[str]:
    customers = row.get("customers_total")
    return [
        _kw(row.get("existing_dg_kw")),
        _kw(row.get("queued_dg_kw")),
        DASH if customers is None else f"{customers:,}",
        label(row.get("load_profile")),
    ]


def _tracker_table(utilities: list[IcaUtility]) -> DataTable:
    rows = []
    for u in utilities:
        for a in u.actions:
            state = a.label + (f" (+{a.slip_days} days)" if a.slip_days else "")
            rows.append(
                [
                    u.short,
                    f"{a.issue_id}: {a.issue_title}",
                    f"{a.action_id}: {a.action}",
                    a.advice_letter,
                    a.planned.isoformat(),
                    a.forecast.isoformat() if a.forecast else DASH,
                    a.actual.isoformat() if a.actual else DASH,
                    state,
                ]
            )
    columns = [
        Column("Utility"),
        Column("Issue"),
        Column("Action"),
        Column("Advice letter"),
        Column("Planned"),
        Column("Forecast"),
        Column("Actual"),
        Column("State"),
    ]
    return DataTable(
        "Remediation actions of each utility's newest ICA filing (overdue first)",
        columns,
        rows,
        row_headers=False,
        filterable=len(rows) > 10,
    )


def _calendar_tables(utilities: list[IcaUtility]) -> list[tuple[Any, DataTable]]:
    """Per cadence: the periods, and for each utility whether a workshop was held in each."""
    out = []
    for index, calendar in enumerate(utilities[0].calendars):
        columns = [Column("Period", True), Column("From"), Column("To"), Column("Cadence")]
        columns += [Column(u.short) for u in utilities]
        rows = []
        for number, period in enumerate(calendar.periods):
            cells = [str(period.number), period.start.isoformat(), period.end.isoformat(), period.cadence]
            for u in utilities:
                p = u.calendars[index].periods[number]
                when = p.held or p.scheduled
                cells.append(
                    p.label
                    + (f" {when.isoformat()}" if when else "")
                    + (" (scheduled)" if p.scheduled and not p.held else "")
                )
            rows.append(cells)
        what = "in force" if index == 0 else "as an alternative throughout"
        title = f"{calendar.title} ({what}): workshop periods and workshops held"
        out.append((calendar, DataTable(title, columns, rows)))
    return out


def _write_csv(rows: list[dict[str, Any]], target: Path) -> None:
    """The feeder rows as CSV, as the tables' CSV downloads are written: a header of the row keys, text cells
    defused, numbers as numbers, empty cells for missing values."""
    header = list(dict.fromkeys(key for row in rows for key in row))  # filings of 1.0 lack 1.1's feeder facts
    write_rows(target, header, ([_cell(row.get(key)) for key in header] for row in rows))


def _cell(value: Any) -> Any:
    return defuse(value) if isinstance(value, str) else "" if value is None else value
