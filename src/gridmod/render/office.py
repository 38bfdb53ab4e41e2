"""DOCX and HTML, from the same report body and metadata as the PDF.

The HTML is one self-contained page: its own template with the stylesheet inlined, no scripts, no
external resources, so it can be mailed, archived or served from anywhere as is.
"""

from __future__ import annotations

from pathlib import Path

from gridmod.render.pandoc import run_pandoc

TOC_DEPTH = "3"


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
        ],
        timestamp,
    )
