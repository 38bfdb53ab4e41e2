"""Page HTML made accessible where Markdown and pandoc leave gaps: header scopes, scrollable tables, anchors.

Python-Markdown and pandoc write `<th>` without `scope`, and a wide table on a phone scrolls sideways inside
the page: keyboard users must be able to reach that scroll area and screen readers must be able to name it.
Every table therefore gets `scope="col"` on its column headers and sits in a region named after its caption
or the heading above it, focusable with the keyboard (gridmod-tables.js removes the tab stop from tables
that fit). Runs as an MkDocs page event on the HTML of each page body, so it covers the filed report, the
generated pages and the ICA pages alike.

A heading's "¶" permalink is for copying a link, not a control: it leaves the tab order (`tabindex="-1"`),
so a keyboard user tabs from one real control to the next. A page with a table gives the width of the
right-hand table of contents to its tables (Material's `hide: [toc]`); main.html shows its contents as a
collapsible block under the title instead. Search ranks the pages people read above the reference pages a
word also occurs in: the rule pages and the data dictionary carry a lower search boost.
"""

from __future__ import annotations

import html
import re
from typing import Any

_PIECES = re.compile(r"<h([1-6])\b[^>]*>(?P<heading>.*?)</h\1>|<table\b(?P<table>.*?)</table>", re.S)
_THEAD = re.compile(r"<thead\b.*?</thead>", re.S)
_TH_WITHOUT_SCOPE = re.compile(r"<th(?![^>]*\bscope=)(?=[\s>])")
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
_TAG = re.compile(r"<[^>]+>")
_PERMALINK = re.compile(r'<a class="headerlink".*?</a>', re.S)
_PERMALINK_START = re.compile(r'<a class="headerlink"(?![^>]*\btabindex=)')


def accessible_tables(page_html: str) -> str:
    """Add column header scopes and wrap each table in a named, focusable region."""
    out: list[str] = []
    last_heading = ""
    position = 0
    for match in _PIECES.finditer(page_html):
        if match.group("heading") is not None:
            last_heading = _text(_PERMALINK.sub("", match.group("heading")))
            continue
        table = _THEAD.sub(lambda m: _TH_WITHOUT_SCOPE.sub('<th scope="col"', m.group(0)), match.group(0))
        caption = _CAPTION.search(table)
        name = _text(caption.group(1)) if caption else last_heading
        label = html.escape(f"Table: {name}" if name else "Table", quote=True)
        out.append(page_html[position : match.start()])
        out.append(f'<div class="gridmod-table" role="region" aria-label="{label}" tabindex="0">{table}</div>')
        position = match.end()
    out.append(page_html[position:])
    return _PERMALINK_START.sub('<a class="headerlink" tabindex="-1"', "".join(out))


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


# Reference pages, below the reports, filings and ICA pages in search results (Material's `search.boost`).
REFERENCE = ("rules/", "data-dictionary/")
REFERENCE_BOOST = 0.5


class AccessibleTables:
    """The MkDocs event hook; build_site adds it to the configured plugins."""

    def on_page_content(self, html: str, **kwargs: Any) -> str:
        page = kwargs.get("page")
        if page is not None and "<table" in html:
            hide = page.meta.setdefault("hide", [])
            if "toc" not in hide:
                hide.append("toc")
        source = str(getattr(getattr(page, "file", None), "src_uri", ""))  # docs-relative, e.g. rules/gmr-e101.md
        if page is not None and source.startswith(REFERENCE):
            page.meta.setdefault("search", {}).setdefault("boost", REFERENCE_BOOST)
        return accessible_tables(html)
