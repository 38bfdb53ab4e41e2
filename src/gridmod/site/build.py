"""Build the public site: generate the pages, then let MkDocs Material turn them into HTML.

MkDocs runs in strict mode with link and anchor validation at warning level (mkdocs.yml), so a page that
links to a missing page, download or heading fails the build instead of going out broken.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from gridmod.clock import build_clock
from gridmod.outputs import BuiltFiling
from gridmod.site.accessible import AccessibleTables
from gridmod.site.errors import PageError, SiteError
from gridmod.site.pages import Docs, write_docs
from gridmod.site.revisions import EarlierRevision

if TYPE_CHECKING:
    from gridmod.statewide import StatewideEdition


def build_site(
    root: Path,
    built: list[BuiltFiling],
    reports_dir: Path,
    out_dir: Path,
    earlier: list[EarlierRevision] | None = None,
    statewide: list[StatewideEdition] | None = None,
) -> None:
    """Write the site for the validated filings in `built` into `out_dir` (which MkDocs empties first).

    Pages and downloads are generated into a temporary docs folder, so nothing under `reports_dir` is
    linked by its location and nothing is left behind. Each filing's downloads and report fragment come
    from its web edition (gridmod.site.prepare), which the build makes beforehand, as it rebuilds the
    earlier revisions of amended filings (`earlier`, gridmod.site.revisions) and the statewide editions
    with their fragments (`statewide`, gridmod.statewide; gridmod.site.prepare.prepare_statewide).
    """
    with build_clock(), tempfile.TemporaryDirectory(prefix="gridmod-site-") as tmp:
        try:
            docs = write_docs(root, built, reports_dir, Path(tmp) / "docs", earlier, statewide)
        except PageError as exc:
            raise SiteError(str(exc)) from exc
        except OSError as exc:
            raise SiteError(f"The site's pages cannot be written: {exc}") from exc
        run_mkdocs(root, docs, out_dir)


def run_mkdocs(root: Path, docs: Docs, out_dir: Path) -> None:
    """MkDocs' own build with gridmod's docs folder, output folder, navigation and banner."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _captured_mkdocs_log() as problems:
        try:
            config = load_config(
                config_file=str(root / "mkdocs.yml"),
                docs_dir=str(docs.folder),
                site_dir=str(out_dir),
                nav=docs.nav,
                strict=True,
            )
            config.extra["gridmod_sample"] = docs.banner
            config.plugins["gridmod-accessible-tables"] = AccessibleTables()  # type: ignore[assignment]
            build(config)
        except (MkDocsException, OSError, jinja2.TemplateError) as exc:
            details = "".join(f"\n- {p}" for p in problems)
            raise SiteError(f"MkDocs could not build the site ({exc}).{details}") from exc


@contextmanager
def _captured_mkdocs_log() -> Iterator[list[str]]:
    """Collect MkDocs' warnings for the error message instead of printing them: a stage never prints."""
    problems: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            problems.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("mkdocs")
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield problems
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
