"""Parts of the site that other modules add: a section writes its pages and returns its navigation.

The core pages (home, filings, comparison, rules, dictionary) are written by gridmod.site.pages; a section
such as the ICA pages registers a function here (in gridmod/site/__init__.py, so that importing the site
package is enough) and is called with the same writer, templates and filings, after the core pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from gridmod.outputs import BuiltFiling
from gridmod.spec import Profile


@dataclass
class SiteContext:
    root: Path
    built: list[BuiltFiling]  # every published filing, whatever its profile
    reports_dir: Path
    docs: Path  # the generated docs folder; a section writes its pages and files below it
    profiles: list[Profile]
    as_of: date  # the build's date, see gridmod.site.calendar
    env: jinja2.Environment  # the site templates (templates/site/), escaping as in gridmod.site.text
    # page(path, template, **context): render a template into docs/path, with href() relative to that page
    page: Callable[..., None]


# A section returns the navigation entries it adds (MkDocs nav items), in the order they should appear.
Section = Callable[[SiteContext], list[Any]]

SECTIONS: list[Section] = []


def register_section(section: Section) -> Section:
    """Add a section to every site build; usable as a decorator. Registering twice has no effect."""
    if section not in SECTIONS:
        SECTIONS.append(section)
    return section
