"""What the site publishes of one filing besides its pages: the web edition.

gridmod.site.prepare makes it after rendering: the report as a sanitised HTML fragment, the downloads, the
ICA feeder rows. With it the site stage needs neither pandoc nor polars. These classes import nothing
heavy, so the site stage can hold them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class Download:
    label: str
    name: str  # file name in the edition's folder, and beside the page it is offered on
    size: int
    description: str = ""


@dataclass(frozen=True)
class TableDownloads:
    """One table of the filing in every format offered; `files` maps csv, xlsx, parquet to the download."""

    name: str
    path: str
    description: str
    rows: int
    files: dict[str, Download] = field(default_factory=dict)


@dataclass
class Downloads:
    documents: list[Download]
    package: Download
    tables: list[TableDownloads] = field(default_factory=list)

    @property
    def all(self) -> list[Download]:
        return [*self.documents, self.package, *(d for t in self.tables for d in t.files.values())]


@dataclass
class ReportHtml:
    html: Markup  # sanitised: safe to put on a page as it is
    # (level relative to the top: 0 or 1, id, heading text) for the page's contents list
    headings: list[tuple[int, str, str]] = field(default_factory=list)
    # images the fragment shows, as paths relative to the report source
    images: list[str] = field(default_factory=list)


@dataclass
class WebEdition:
    # Every file below goes beside the filing's page (Appendix A) or into the ICA downloads folder, under
    # the same relative path: the downloads, and the images the report shows.
    folder: Path
    downloads: Downloads
    report: ReportHtml | None = None  # Appendix A: the report shown on the filing's page
    feeders: list[dict[str, Any]] = field(default_factory=list)  # ICA: one row per feeder

    def files(self) -> list[Path]:
        """The edition's files, relative to its folder, in a stable order."""
        return sorted(p.relative_to(self.folder) for p in self.folder.rglob("*") if p.is_file())
