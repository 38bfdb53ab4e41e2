"""PDF: pandoc turns the report body into Typst with the report template, Typst makes a PDF/UA-1.

The Typst source lives only in a private temporary folder, which is also Typst's project root: even
if some text did reach Typst as code, there would be no file for it to read. Typst sees its own fonts and
the exact files of the fallback fonts (gridmod.fonts), linked into another private folder, and nothing else
a machine has installed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from gridmod.fonts import FALLBACKS, font_files, needed
from gridmod.render.errors import RenderError
from gridmod.render.pandoc import run_pandoc


def _link_fonts(folder: Path) -> None:
    """Link the files of every fallback font this machine has into `folder`, Typst's only font folder."""
    for fallback in FALLBACKS:
        for path in font_files(fallback) or ():
            target = folder / path.name
            try:
                target.symlink_to(path.resolve())
            except OSError:  # Windows without the right to make links
                shutil.copyfile(path, target)


def _check_fonts(root: Path, texts: list[str]) -> None:
    """A setup problem (RenderError, exit 2) naming the font to install when the report has text only a missing
    fallback prints."""
    missing = [(fallback, char) for fallback, char in needed(root, texts).items() if font_files(fallback) is None]
    if missing:
        raise RenderError(
            "The PDF needs fonts this machine does not have: "
            + "; ".join(
                f"'{char}' (U+{ord(char):04X}) and the rest of its script need {fallback.family}: {fallback.hint()}"
                for fallback, char in missing
            )
            + "."
        )


def render_pdf(body: Path, metadata: Path, templates: Path, output: Path, timestamp: int, root: Path) -> None:
    """Write the PDF to `output`. `timestamp` (epoch seconds) is its creation date, fixed for byte-identity;
    `root` is the repository whose character list (gridmod.fonts) says which fonts the text needs."""
    try:
        import typst
    except ImportError as exc:
        raise RenderError("Typst is not available: install the typst package (pip install typst).") from exc
    _check_fonts(root, [body.read_text(encoding="utf-8"), metadata.read_text(encoding="utf-8")])
    with (
        tempfile.TemporaryDirectory(prefix="gridmod-typst-") as scratch,
        tempfile.TemporaryDirectory(prefix="gridmod-fonts-") as fonts,
    ):
        _link_fonts(Path(fonts))
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
                font_paths=[fonts],
            )
        except typst.TypstError as exc:
            hints = "; ".join(getattr(exc, "hints", None) or [])
            detail = f"{exc.message} ({hints})" if hints else str(exc.message)
            raise RenderError(f"Typst could not make the PDF: {detail}") from exc
