"""Run the pandoc of the pypandoc-binary wheel, the same way for every output format.

The reader is pandoc Markdown minus everything that would let the filer's text reach an output
format as code or configuration: raw blocks and inline raw (``{=typst}``), raw HTML and TeX, math
(``$x$`` would be Typst math), citations (``@x`` needs a bibliography), YAML blocks inside the body
(they would override the report's metadata), fenced divs, implicit figures, and smart typography
(so that quotes and dashes come out exactly as filed). The report's own metadata is passed as a
separate file instead of front matter.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from gridmod.render.errors import RenderError

READER = (
    "markdown"
    "-raw_attribute-raw_html-raw_tex-tex_math_dollars-tex_math_single_backslash"
    "-citations-yaml_metadata_block-pandoc_title_block-fenced_divs-implicit_figures-smart"
)
TIMEOUT_SECONDS = 120


def pandoc_path() -> str:
    """The pandoc binary inside the pypandoc-binary wheel: pinned, so output bytes do not drift."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:
        raise RenderError(
            "pandoc is not available: install the pypandoc-binary package (pip install pypandoc-binary)."
        ) from exc


def split_front_matter(qmd: str) -> tuple[str, str]:
    """(YAML front matter without its --- lines, body) of the report source."""
    if not qmd.startswith("---\n"):
        raise RenderError("The report source has no YAML front matter; the report template is broken.")
    end = qmd.find("\n---\n", 4)
    if end < 0:
        raise RenderError("The report source's YAML front matter is not closed; the report template is broken.")
    return qmd[4 : end + 1], qmd[end + 5 :]


def run_pandoc(
    body: Path, metadata: Path, output: Path, to: str, options: list[str], source_date_epoch: int
) -> None:
    """Convert the report body to one format. Raises RenderError with pandoc's message on failure.

    --sandbox keeps readers and writers from touching any file not named here or the network;
    SOURCE_DATE_EPOCH fixes the dates pandoc would otherwise take from the clock (DOCX).
    """
    command = [
        pandoc_path(),
        str(body),
        "--from",
        READER,
        "--to",
        to,
        "--metadata-file",
        str(metadata),
        "--sandbox",
        "--wrap=none",
        "--output",
        str(output),
        *options,
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch), "LANG": "C.UTF-8"}
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RenderError(
            f"pandoc did not finish converting the report to {to} within {TIMEOUT_SECONDS} seconds."
        ) from exc
    except OSError as exc:
        raise RenderError(f"pandoc could not be started: {exc}.") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip() or f"exit code {done.returncode}"
        raise RenderError(f"pandoc could not convert the report to {to}: {message}")
