"""PDF: pandoc turns the report body into Typst with the report template, Typst makes a PDF/UA-1.

The Typst source lives only in a private temporary folder, which is also Typst's project root: even
if some text did reach Typst as code, there would be no file for it to read.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from gridmod.render.errors import RenderError
from gridmod.render.pandoc import run_pandoc


def render_pdf(body: Path, metadata: Path, templates: Path, output: Path, timestamp: int) -> None:
    """Write the PDF to `output`. `timestamp` (epoch seconds) is its creation date, fixed for byte-identity."""
    try:
        import typst
    except ImportError as exc:
        raise RenderError("Typst is not available: install the typst package (pip install typst).") from exc
    with tempfile.TemporaryDirectory(prefix="gridmod-typst-") as scratch:
        source = Path(scratch) / "report.typ"
        run_pandoc(
            body,
            metadata,
            source,
            "typst",
            [
                "--template",
                str(templates / "typst" / "template.typ"),
                "--lua-filter",
                str(templates / "filters" / "safe.lua"),
            ],
            timestamp,
        )
        try:
            typst.compile(
                str(source),
                output=str(output),
                root=scratch,
                format="pdf",
                pdf_standards=["ua-1"],
                timestamp=timestamp,
                ignore_system_fonts=True,
            )
        except typst.TypstError as exc:
            hints = "; ".join(getattr(exc, "hints", None) or [])
            detail = f"{exc.message} ({hints})" if hints else str(exc.message)
            raise RenderError(f"Typst could not make the PDF: {detail}") from exc
