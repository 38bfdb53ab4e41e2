"""DOCX and HTML, from the same report body and metadata as the PDF.

The HTML is one self-contained page: its own template with the stylesheet inlined, no scripts, no
external resources, so it can be mailed, archived or served from anywhere as is. Its body passes the same
kind of allowlist as the site's copy (gridmod.sanitize) after pandoc wrote it, and its
Content-Security-Policy forbids scripts and any fetch, so markup a filer smuggled past the Lua filter still
does nothing when the file is opened.
"""

from __future__ import annotations

from pathlib import Path

from gridmod.render.errors import RenderError
from gridmod.render.pandoc import run_pandoc
from gridmod.sanitize import ATTRIBUTES, FOOTNOTE_CLASSES, TAGS, clean_html

TOC_DEPTH = "3"
# The classes and tags of the HTML report template (templates/report/html) and of the report body.
REPORT_CLASSES = {
    "p": {"sample-banner", "sample-flag", "kicker", "subtitle"},
    "header": {"title-block"},
    "h1": {"title"},
    "dl": {"facts"},
    "nav": {"toc"},
    "blockquote": {"attestation"},
    "span": {"sample-notice"},
    "td": {"wide"},
    "th": {"wide"},
    **FOOTNOTE_CLASSES,
}
REPORT_TAGS = TAGS | {"header", "nav", "main"}
# data-label: a cell's column name (filters/html-tables.lua), shown on phones by report.css.
REPORT_ATTRIBUTES = {
    **ATTRIBUTES,
    "nav": {"aria-labelledby"},
    "td": ATTRIBUTES["td"] | {"data-label"},
    "th": ATTRIBUTES["th"] | {"data-label"},
}


def render_docx(body: Path, metadata: Path, templates: Path, output: Path, timestamp: int) -> None:
    run_pandoc(
        body,
        metadata,
        output,
        "docx",
        ["--toc", f"--toc-depth={TOC_DEPTH}", "--lua-filter", str(templates / "filters" / "safe.lua")],
        timestamp,
    )


def render_html(body: Path, metadata: Path, templates: Path, output: Path, timestamp: int) -> None:
    run_pandoc(
        body,
        metadata,
        output,
        "html5",
        [
            "--standalone",
            "--template",
            str(templates / "html" / "template.html"),
            "--toc",
            f"--toc-depth={TOC_DEPTH}",
            "--lua-filter",
            str(templates / "filters" / "safe.lua"),
            "--lua-filter",
            str(templates / "filters" / "html-tables.lua"),
        ],
        timestamp,
    )
    _sanitize_body(output)


def _sanitize_body(page: Path) -> None:
    """Everything between <body> and </body> through the allowlist; the head is the template's own."""
    html = page.read_text(encoding="utf-8")
    start, end = html.find("<body>"), html.rfind("</body>")
    if start < 0 or end < start:
        raise RenderError(f"pandoc wrote {page.name} without <body>…</body>; the HTML report template is broken.")
    start += len("<body>")
    body = clean_html(html[start:end], REPORT_CLASSES, lambda value: True, REPORT_TAGS, REPORT_ATTRIBUTES)
    page.write_text(html[:start] + body + html[end:], encoding="utf-8")
