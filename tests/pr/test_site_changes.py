"""The site's page of changes between a utility's filings (gridmod.site.diff, a site section of the engines that
compare filings)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gridmod.engines import engine_of
from gridmod.findings import PackageResult
from gridmod.outputs import BuiltFiling
from gridmod.site.diff import changes_pages
from gridmod.site.sections import SiteContext
from gridmod.validate import validate_filing

from ..conftest import ROOT


def _built(folder: str) -> BuiltFiling:
    item = validate_filing(ROOT / folder, ROOT, ("structure",))
    assert item.profile is not None
    return BuiltFiling(item.filing, item.profile, PackageResult(item.filing.rel, "gmr-appendix-a", "1.0"))


def _context(built: list[BuiltFiling], pages: list) -> SiteContext:
    def page(path: str, template: str, **context) -> None:
        pages.append((path, template, context))

    return SiteContext(ROOT, built, Path("/nonexistent"), Path("/nonexistent"), [], date(2026, 10, 1), None, page)


def test_a_page_for_each_filing_with_a_previous_one_on_the_site() -> None:
    assert changes_pages in engine_of(_built("data/pge/gmr-2026").profile).site_sections()
    pages: list = []
    built = [_built("data/pge/gmr-2024"), _built("data/pge/gmr-2026"), _built("data/sce/gmr-2026")]
    nav = changes_pages(_context(built, pages))
    assert nav == [{"Changes between filings": [{"PG&E gmr-2026 since gmr-2024": "filings/gmr-2026/pge/changes.md"}]}]
    ((path, template, context),) = pages
    assert (path, template) == ("filings/gmr-2026/pge/changes.md", "diff.md.j2")
    assert (context["old_page"], context["new_page"]) == (
        "filings/gmr-2024/pge/index.md",
        "filings/gmr-2026/pge/index.md",
    )
    assert context["d"].moved_milestones[0].slip_days == 350 and context["is_sample"] is True


def test_no_page_when_the_previous_filing_is_not_published() -> None:
    pages: list = []
    assert changes_pages(_context([_built("data/pge/gmr-2026")], pages)) == [] and pages == []
