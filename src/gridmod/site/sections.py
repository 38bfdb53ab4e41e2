"""Parts of the site beyond the core pages: a section writes its pages and returns its navigation.

The core pages (home, filings, comparison, rules, dictionary) are written by gridmod.site.pages. An engine
names its own sections (gridmod.engines: the ICA pages, the pages of changes between Appendix A filings);
each is called with the same writer and templates and with the published filings of that engine only,
after the core pages. A section for filings of every engine registers itself here with register_section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from gridmod.engines import registered
from gridmod.outputs import BuiltFiling
from gridmod.spec import Profile


@dataclass(frozen=True)
class Offered:
    """A download a section offers that belongs to no single filing (the ICA feeders across utilities): the
    open-data catalogue (gridmod.site.opendata) lists it."""

    path: str  # below the docs folder
    title: str
    description: str
    page: str  # the page that offers it, below the docs folder


@dataclass
class SiteContext:
    root: Path
    built: list[BuiltFiling]  # every published filing, whatever its profile
    reports_dir: Path
    docs: Path  # the generated docs folder; a section writes its pages and files below it
    profiles: list[Profile]
    as_of: date  # the build's date (gridmod.clock): every status on the site is as of this day
    env: jinja2.Environment  # the site templates (templates/site/), escaping as in gridmod.site.text
    # page(path, template, **context): render a template into docs/path, with href() relative to that page
    page: Callable[..., None]
    # downloads of no single filing, shared by every section's context (appended to, never replaced)
    offered: list[Offered] = field(default_factory=list)


# A section returns the navigation entries it adds (MkDocs nav items), in the order they should appear.
Section = Callable[[SiteContext], list[Any]]

SECTIONS: list[Section] = []


def register_section(section: Section) -> Section:
    """Add a section to every site build; usable as a decorator. Registering twice has no effect."""
    if section not in SECTIONS:
        SECTIONS.append(section)
    return section


def sections(context: SiteContext) -> list[tuple[Section, SiteContext]]:
    """Every section of this build, each with the context it is called with: the engines' own sections
    (engines in registry order, each with its own filings), then the sections registered for all filings."""
    calls: list[tuple[Section, SiteContext]] = []
    for engine in registered().values():
        mine = [b for b in context.built if b.profile.engine == engine.name]
        if mine:
            calls += [(section, replace(context, built=mine)) for section in engine.site_sections()]
    return calls + [(section, context) for section in SECTIONS]
