"""Where great-expectations Data Docs go, and what they may hold: one static site per filing and an index.

great-expectations writes pages that load scripts and styles from five CDNs and put names (the suite's,
taken from the filing's folder) and values (a filer's cells) into HTML. The reviewer opens these pages from
a pull request's artifacts, so every page is rewritten before anyone can open it: its body through the
allowlist of gridmod.sanitize (no script, no event attribute, no remote address), under a head of our own
with a Content-Security-Policy that forbids scripts and fetches; the static/ folder of great-expectations'
own scripts, styles and fonts is removed. Names that become folders or suite names are reduced to
letters, digits, dots and dashes.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from gridmod.filing import Filing
from gridmod.sanitize import ATTRIBUTES, TAGS, clean_html

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:80rem;padding:0 1rem;line-height:1.4}"
    "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
    "vertical-align:top;text-align:left}code,pre{white-space:pre-wrap}"
)
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def safe_name(name: str) -> str:
    """A name for a folder or suite: letters, digits, dots and dashes only (data/pge/gmr-2026 -> data-pge-gmr-2026)."""
    return _UNSAFE.sub("-", name).strip(".-") or "filing"


def docs_folder(docs: Path, filing: Filing) -> Path:
    """The filing's own Data Docs site, named after its folder (data/pge/gmr-2026 -> data-pge-gmr-2026)."""
    folder = docs / safe_name(filing.rel)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def make_static(folder: Path) -> None:
    """Every page of a Data Docs site rewritten as a static page that runs and fetches nothing."""
    shutil.rmtree(folder / "static", ignore_errors=True)
    for page in sorted(folder.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        title = _TITLE.search(text)
        body = _BODY.search(text)
        clean = clean_html(
            body.group(1) if body else text,
            {},
            lambda value: True,
            TAGS,
            {**ATTRIBUTES, "*": ATTRIBUTES["*"] - {"role"}},
        )
        page.write_text(
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>{html.escape(html.unescape(title.group(1)).strip()) if title else 'Data Docs'}</title>"
            f"<style>{STYLE}</style></head>\n<body>\n{clean}\n</body></html>\n",
            encoding="utf-8",
        )


def write_index(docs: Path) -> None:
    """A plain page linking every filing's Data Docs site in the folder."""
    sites = sorted(p.parent.name for p in docs.glob("*/index.html"))
    items = "\n".join(f'<li><a href="{html.escape(name)}/index.html">{html.escape(name)}</a></li>' for name in sites)
    (docs / "index.html").write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        "<title>Expectations (great-expectations Data Docs)</title></head>\n<body>\n"
        "<h1>Expectations of each filing</h1>\n<p>great-expectations Data Docs of the plausibility and drift "
        "checks (gridmod validate, expectations phase). Each filing's page lists every expectation and its "
        "result.</p>\n<ul>\n" + items + "\n</ul>\n</body></html>\n",
        encoding="utf-8",
    )
