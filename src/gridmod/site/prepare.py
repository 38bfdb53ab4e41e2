"""Prepare each filing's web edition (gridmod.site.edition) where its data is already loaded.

The build calls `prepare_editions` right after rendering, in the process that validated and rendered the
filings. What the site needs pandoc or polars for is made here: the report as a sanitised HTML fragment
(pandoc, nh3), every table as CSV, XLSX and Parquet, the data package zip; the ICA feeder table comes from
the report model the render stage built. The site stage then writes pages (reading the small CSV tables it
shows, in plain Python) and runs MkDocs: run by itself, it loads no data library and starts no process,
which keeps a site-only build near 50 MB; importing polars alone costs a fresh process about 50 MB.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from gridmod.engines import engine_of
from gridmod.outputs import BuiltFiling
from gridmod.render import build_report_model
from gridmod.site.downloads import DownloadError, write_documents, write_package, write_tables
from gridmod.site.edition import Downloads, WebEdition
from gridmod.site.errors import PageError, SiteError
from gridmod.site.geodata import write_line_sections
from gridmod.site.report import ReportError, report_html
from gridmod.statewide import StatewideEdition
from gridmod.utilities import utility

# Utility codes and filing ids become folder and file names of the site.
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def prepare_editions(built: list[BuiltFiling], reports_dir: Path, folder: Path) -> None:
    """Prepare the web edition of every filing in `built` that has none yet, each in a folder below `folder`.

    Raises SiteError, naming the filing, when one cannot be prepared.
    """
    for number, item in enumerate(built):
        if item.web is not None:
            continue
        try:
            item.web = prepare_filing(item, reports_dir, folder / f"{number:03d}")
        except (PageError, ReportError, DownloadError) as exc:
            raise SiteError(str(exc)) from exc
        except OSError as exc:
            raise SiteError(f"The site's files of {item.filing.rel} cannot be written: {exc}") from exc


def prepare_statewide(editions: list[StatewideEdition]) -> None:
    """The sanitised HTML fragment each statewide edition's site page shows, from its report source."""
    for edition in editions:
        try:
            edition.report = report_html(edition.outputs["qmd"])
        except ReportError as exc:
            raise SiteError(str(exc)) from exc


def prepare_filing(built: BuiltFiling, reports_dir: Path, folder: Path) -> WebEdition:
    """The web edition of one rendered filing, its files written into `folder` (created, must be new)."""
    meta = built.filing.meta
    for key in ("utility", "filing_id"):
        if not _NAME.fullmatch(str(meta.get(key, ""))):
            raise PageError(f"{built.filing.rel} has no usable gridmod.{key} for a page address: {meta.get(key)!r}.")
    folder.mkdir(parents=True)
    if built.model is None:
        built.model = build_report_model(built.filing, built.profile, built.result)
    return engine_of(built.profile).part("edition")(built, reports_dir, folder)


def appendix_a_edition(built: BuiltFiling, reports_dir: Path, folder: Path) -> WebEdition:
    """The report as a sanitised fragment with its images, the documents, the package and every table."""
    qmd = built.outputs.get("qmd")
    if qmd is None or not Path(qmd).is_file():
        raise PageError(f"The report source (.qmd) of {built.filing.rel} is missing: {qmd}.")
    report = report_html(Path(qmd))
    _copy_images(Path(qmd), report.images, reports_dir, folder, built.filing.rel)
    downloads = Downloads(write_documents(built, folder), write_package(built, folder), write_tables(built, folder))
    return WebEdition(folder, downloads, report=report)


def ica_edition(built: BuiltFiling, reports_dir: Path, folder: Path) -> WebEdition:
    """The documents, the package and the feeder rows of the ICA pages' feeder table."""
    documents = write_documents(built, folder) + write_line_sections(built, folder, built.filing.head.stem)
    downloads = Downloads(documents, write_package(built, folder))
    return WebEdition(folder, downloads, feeders=feeder_rows(built))


def feeder_rows(built: BuiltFiling) -> list[dict[str, Any]]:
    """One row per feeder of an ICA filing, from its report model, with the utility and filing named."""
    short = utility(str(built.filing.meta["utility"])).short
    filing_id = str(built.filing.meta["filing_id"])
    return [{"utility": short, "filing_id": filing_id, **row} for row in built.model.feeders]


def _copy_images(qmd: Path, images: list[str], reports_dir: Path, target: Path, rel: str) -> None:
    """Images the report shows, copied to the same relative place in the edition (paths were vetted)."""
    base = reports_dir.resolve()
    for image in images:
        source = (qmd.parent / image).resolve()
        if base not in source.parents or not source.is_file():
            raise PageError(f"The report of {rel} shows the image {image}, which is not in the reports folder.")
        (target / image).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target / image)
