"""The statewide pages: statewide/<cycle>/ with the edition's charts, its downloads (the draft chapter as
PDF and Word, every table as CSV) and the chapter itself (the sanitised fragment gridmod.site.prepare made)."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gridmod.site.charts import Chart, Segment, YearAmounts, cost_chart, status_chart
from gridmod.site.edition import Download
from gridmod.site.errors import PageError
from gridmod.site.sections import Offered, SiteContext

if TYPE_CHECKING:
    from gridmod.statewide import StatewideEdition
    from gridmod.statewide.model import Cell

FOLDER = "statewide"
DOCUMENTS = (("pdf", "Draft chapter (PDF)"), ("docx", "Draft chapter (Word)"))
STATE_SEGMENTS = [
    Segment("on_time", "Achieved on time", "#1b6e3a"),
    Segment("late", "Achieved late", "#7fb38f"),
    Segment("delayed", "Delayed", "#b3261e"),
    Segment("on_track", "On track", "#5a6b7d"),
]


@dataclass
class StatewidePage:
    edition: StatewideEdition
    folder: str
    documents: list[Download] = field(default_factory=list)
    tables: list[tuple[str, Download]] = field(default_factory=list)  # (table title, its CSV)
    charts: list[Chart] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.folder}/index.md"

    @property
    def label(self) -> str:
        return f"Grid Modernization Report {self.edition.model.year}"


def statewide_pages(context: SiteContext, editions: list[StatewideEdition]) -> list[Any]:
    """Write a page per edition; the navigation entry, or nothing without an edition."""
    pages = [_page(context, edition) for edition in editions]
    if not pages:
        return []
    return [{"Statewide": [{p.label: p.path} for p in pages]}]


def _page(context: SiteContext, edition: StatewideEdition) -> StatewidePage:
    model = edition.model
    page = StatewidePage(edition, f"{FOLDER}/{model.cycle}")
    target = context.docs / page.folder
    target.mkdir(parents=True, exist_ok=True)
    if edition.report is None:
        raise PageError(f"The statewide edition of {model.cycle} has no page fragment (gridmod.site.prepare).")
    for key, label in DOCUMENTS:
        source = edition.outputs.get(key)
        if source is None or not source.is_file():
            raise PageError(f"The {label} of the statewide edition {model.cycle} is missing: {source}.")
        name = f"statewide-{model.cycle}.{key}"
        shutil.copyfile(source, target / name)
        page.documents.append(Download(label, name, (target / name).stat().st_size))
    for table in model.tables:
        if not table.rows:
            continue
        name = f"statewide-{model.cycle}-{table.id}.csv"
        with (target / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([*table.columns, "Sources"])
            for row in table.rows:
                sources = "; ".join(model.notes.texts[c.note - 1] for c in row if c.note)
                writer.writerow([_csv(c.value) for c in row] + [sources])
        download = Download(f"{table.title} (CSV)", name, (target / name).stat().st_size)
        page.tables.append((table.title, download))
        context.offered.append(
            Offered(f"{page.folder}/{name}", f"{table.title}, statewide, {model.cycle}", table.title, page.path)
        )
    for key, label in DOCUMENTS:
        context.offered.append(
            Offered(f"{page.folder}/statewide-{model.cycle}.{key}", f"{label}, {model.cycle}", label, page.path)
        )
    page.charts = _charts(edition)
    for chart in page.charts:
        (target / chart.file).write_text(chart.svg, encoding="utf-8")
        if chart.narrow:
            (target / chart.narrow_file).write_text(chart.narrow[0], encoding="utf-8")
    context.page(page.path, "statewide.md.j2", p=page, m=model, report=edition.report)
    return page


def _csv(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _count(cell: Cell) -> int:
    return int(cell.value) if isinstance(cell.value, int | float) else 0


def _charts(edition: StatewideEdition) -> list[Chart]:
    model = edition.model
    tables = model.table
    shorts = [f.short for f in model.filed]
    amounts: dict[str, dict[int, dict[str, float | None]]] = {s: {} for s in shorts}
    for basis in ("recorded", "forecast", "authorized"):
        table = tables[f"{basis}-by-year"]
        for row in table.rows:
            year = int(str(row[0].value))
            for column, cell in zip(table.columns[1:], row[1:], strict=False):
                if column in amounts and isinstance(cell.value, int | float):
                    amounts[column].setdefault(year, {})[basis] = float(cell.value)
    panels = [
        (
            short,
            [
                YearAmounts(year, v.get("recorded"), v.get("forecast"), v.get("authorized"))
                for year, v in sorted(amounts[short].items())
            ],
        )
        for short in shorts
    ]
    milestones = tables["milestones"]
    bars = [
        (str(row[0].value), {s.key: _count(row[2 + i]) for i, s in enumerate(STATE_SEGMENTS)})
        for row in milestones.rows
        if row[0].value != "Statewide"
    ]
    charts = [
        cost_chart("costs-by-year.svg", f"all activities, {model.cycle}", panels),
        status_chart("milestones.svg", "Milestone delivery", f"{model.cycle}", STATE_SEGMENTS, bars, "milestones"),
    ]
    return [c for c in charts if c is not None]
