"""Run pandoc (gridmod.converter: pinned, sandboxed, bounded) the same way for every output format.

The reader is the narrative reader of gridmod.converter; the report's own metadata is passed as a separate
file instead of front matter.
"""

from __future__ import annotations

from pathlib import Path

from gridmod.converter import READER, REPORT_SECONDS, Failed, Limit, run
from gridmod.render.errors import RenderError


def split_front_matter(qmd: str) -> tuple[str, str]:
    """(YAML front matter without its --- lines, body) of the report source."""
    if not qmd.startswith("---\n"):
        raise RenderError("The report source has no YAML front matter; the report template is broken.")
    end = qmd.find("\n---\n", 4)
    if end < 0:
        raise RenderError("The report source's YAML front matter is not closed; the report template is broken.")
    return qmd[4 : end + 1], qmd[end + 5 :]


def run_pandoc(body: Path, metadata: Path, output: Path, to: str, options: list[str], source_date_epoch: int) -> None:
    """Convert the report body to one format. Raises RenderError with pandoc's message on failure.

    --sandbox keeps readers and writers from touching any file not named here or the network;
    SOURCE_DATE_EPOCH fixes the dates pandoc would otherwise take from the clock (DOCX).
    """
    arguments = [
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
    try:
        run(arguments, REPORT_SECONDS, env={"SOURCE_DATE_EPOCH": str(source_date_epoch)})
    except Limit as exc:
        raise RenderError(f"pandoc did not finish converting the report to {to} within {exc.what}.") from exc
    except Failed as exc:
        raise RenderError(f"pandoc could not convert the report to {to}: {exc}") from exc
