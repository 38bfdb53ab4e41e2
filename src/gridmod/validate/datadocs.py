"""Where great-expectations Data Docs go: one site per filing under the folder asked for, and an index."""

from __future__ import annotations

import html
from pathlib import Path

from gridmod.filing import Filing


def docs_folder(docs: Path, filing: Filing) -> Path:
    """The filing's own Data Docs site, named after its folder (data/pge/gmr-2026 -> data-pge-gmr-2026)."""
    folder = docs / filing.rel.replace("/", "-").lstrip(".-")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_index(docs: Path) -> None:
    """A plain page linking every filing's Data Docs site in the folder."""
    sites = sorted(p.parent.name for p in docs.glob("*/index.html"))
    items = "\n".join(f'<li><a href="{html.escape(name)}/index.html">{html.escape(name)}</a></li>' for name in sites)
    (docs / "index.html").write_text(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Expectations (great-expectations Data Docs)</title></head>\n<body>\n"
        "<h1>Expectations of each filing</h1>\n<p>great-expectations Data Docs of the plausibility and drift "
        "checks (gridmod validate, expectations phase). Each filing's page lists every expectation and its "
        "result.</p>\n<ul>\n" + items + "\n</ul>\n</body></html>\n", encoding="utf-8")
