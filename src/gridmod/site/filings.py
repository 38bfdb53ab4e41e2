"""One filing's page data: its facts, key figures, downloads and sanitised report, gathered for the templates."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridmod.confidential import DECLARATION, Eligibility, Item, read_declaration
from gridmod.findings import Finding
from gridmod.outputs import BuiltFiling
from gridmod.record.history import FilingRecord
from gridmod.site.charts import Chart
from gridmod.site.edition import Download, Downloads, ReportHtml, WebEdition
from gridmod.site.errors import PageError
from gridmod.site.figures import KeyFigures, key_figures
from gridmod.spec import Profile
from gridmod.utilities import utility as names_of

if TYPE_CHECKING:
    from gridmod.render.model import ReportModel


@dataclass
class PublishedFiling:
    """What every page about one published filing shows of it, whatever its profile: its facts, the findings
    it was published with, and its downloads. The engines' pages (FilingPage here, the ICA pages' IcaFiling)
    extend it."""

    built: BuiltFiling

    @property
    def meta(self) -> dict[str, Any]:
        return self.built.filing.meta

    @property
    def is_sample(self) -> bool:
        return self.built.filing.head.is_sample

    @property
    def filing_date(self) -> date:
        return self.built.filing.head.filing_date

    @property
    def profile(self) -> Profile:
        return self.built.profile

    @property
    def web(self) -> WebEdition:
        return edition(self.built)

    @property
    def downloads(self) -> list[Download]:
        return self.web.downloads.all

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.built.result.findings if f.severity == "warning" and f.is_open]

    @property
    def explained(self) -> list[Finding]:
        return [f for f in self.built.result.findings if f.severity == "explain" and not f.is_open]

    def label(self, value: object) -> str:
        """A coded value in words, as the filing's profile says it."""
        return self.built.profile.label(value)

    @property
    def withheld(self) -> list[Item]:
        """The items withheld from the public as confidential, as the filing declares them (GO 66-D)."""
        if DECLARATION not in self.built.filing.resources:
            return []
        items, _ = read_declaration(self.built.filing.file(DECLARATION))
        return items

    def withheld_place(self, item: Item) -> str:
        """What the item withholds, in words (a value of a table row, a whole table, a narrative section)."""
        eligible = Eligibility.of(self.built.profile.meta)
        return eligible.place(item) if eligible else item.resource

    def legal_basis(self, code: str) -> str:
        return str((self.built.profile.meta.get("confidential") or {}).get("legal_bases", {}).get(code, code))

    @property
    def record(self) -> FilingRecord | None:
        """Its accepted revisions (gridmod.record), for a filing under data/."""
        return self.built.filing.record

    @property
    def record_page(self) -> str | None:
        record = self.record
        if record is None:
            return None
        head = self.built.filing.head
        return f"record/{head.utility}/{head.filing_id}/index.md"


@dataclass
class FilingPage(PublishedFiling):
    folder: str  # docs-relative folder of the page and its downloads, e.g. filings/gmr-2026/pge
    figures: KeyFigures
    files: Downloads
    report: ReportHtml
    model: ReportModel
    timeline: Chart | None = None

    @property
    def path(self) -> str:
        return f"{self.folder}/index.md"

    @property
    def utility(self) -> str:
        return str(self.meta["utility"])

    @property
    def utility_short(self) -> str:
        return names_of(self.utility).short

    @property
    def utility_name(self) -> str:
        return names_of(self.utility).legal

    @property
    def filing_id(self) -> str:
        return str(self.meta["filing_id"])

    def file(self, name: str) -> str:
        return f"{self.folder}/{name}"

    def download(self, suffix: str) -> Download | None:
        return next((d for d in self.downloads if d.name.endswith(suffix)), None)


def next_legislature_report(filings: list[FilingPage]) -> date | None:
    """February 1 of the first odd year after the newest filing: the CPUC report these filings feed.

    Taken from the data, not from today's date, so a rebuild of the same commit says the same thing.
    """
    dates = [f.filing_date for f in filings]
    if not dates:
        return None
    newest = max(dates)
    year = newest.year
    while year % 2 == 0 or date(year, 2, 1) <= newest:
        year += 1
    return date(year, 2, 1)


def filing_page(built: BuiltFiling, docs: Path) -> FilingPage:
    """The page of one prepared filing (gridmod.site.prepare); its edition's files go beside the page."""
    web = edition(built)
    if web.report is None:
        raise PageError(f"The web edition of {built.filing.rel} holds no report to show.")
    head = built.filing.head
    folder = f"filings/{head.filing_id}/{head.utility}"
    place_files(web, docs / folder)
    return FilingPage(
        built=built,
        folder=folder,
        figures=key_figures(built),
        files=web.downloads,
        report=web.report,
        model=built.model,
    )


def edition(built: BuiltFiling) -> WebEdition:
    """The filing's web edition, which gridmod.site.prepare makes (with the report model) before any page."""
    if built.web is None or built.model is None:
        raise PageError(f"{built.filing.rel} has no web edition: gridmod.site.prepare must run first.")
    return built.web


def place_files(web: WebEdition, target: Path) -> None:
    """Copy the edition's files into `target`, keeping their relative paths."""
    if not web.folder.is_dir():
        raise PageError(f"The web edition's folder {web.folder} is gone: prepare the filing again.")
    for name in web.files():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(web.folder / name, target / name)
