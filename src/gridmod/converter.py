"""Pandoc, the one converter of filer Markdown, run the same way everywhere: pinned, sandboxed, and bounded.

Pandoc's Markdown reader takes time far out of proportion on some short inputs (a line of 20,000 `[` does
not finish in 30 seconds; 20,000 `&` take 27), and filers' text is input. So every run has a time limit and
a heap limit (pandoc's own runtime option `-M`), and hitting one is a `Limit`, which the validator turns
into a finding on the narrative (rule E062) and the renderers into a plain message.

The reader for narratives is pandoc Markdown minus everything that would let the filer's text reach an
output format as code or configuration: raw blocks and inline raw (``{=typst}``), raw HTML and TeX, math
(``$x$`` would be Typst math), citations (``@x`` needs a bibliography), YAML blocks inside the body (they
would override the report's metadata), fenced divs, implicit figures, and smart typography (so that quotes
and dashes come out exactly as filed).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from gridmod.errors import GridmodError, SetupError

READER = (
    "markdown"
    "-raw_attribute-raw_html-raw_tex-tex_math_dollars-tex_math_single_backslash"
    "-citations-yaml_metadata_block-pandoc_title_block-fenced_divs-implicit_figures-smart"
)
# The heap pandoc may grow to, and its start: the pinned pandoc asks for 64 MB up front (-H64m) and peaks
# near 175 MB on a report; a 16 MB start halves its time and cuts the peak by a third, with the same output.
HEAP = "1024m"
RUNTIME = ["+RTS", "-H16m", f"-M{HEAP}", "-RTS"]
# A whole report (body and template) converts in about a second; validation reads a filing's narratives in
# about 0.05 s. The limits leave a wide margin on any machine and still end a pathological input quickly.
REPORT_SECONDS = 120
READ_SECONDS = 3.0
# pandoc's runtime exits with 251 when the heap limit is reached ("Heap exhausted").
_HEAP_EXHAUSTED = 251


class Limit(GridmodError):
    """Pandoc did not finish within its time or heap limit; `what` says which, in words."""

    def __init__(self, what: str) -> None:
        super().__init__(f"pandoc did not finish within {what}")
        self.what = what


class Failed(GridmodError):
    """Pandoc ended with an error; the message is pandoc's."""


def pandoc_path() -> str:
    """The pandoc binary inside the pypandoc-binary wheel: pinned, so output bytes do not drift."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:
        raise SetupError(
            "pandoc is not available: install the pypandoc-binary package (pip install pypandoc-binary)."
        ) from exc


def run(
    arguments: Sequence[str], seconds: float, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> bytes:
    """Run pandoc with `arguments` (and its runtime limits); its standard output.

    Raises Limit when it runs out of time or heap, Failed when it reports an error."""
    command = [pandoc_path(), *arguments, *RUNTIME]
    try:
        done = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            timeout=seconds,
            check=False,
            env={**os.environ, "LANG": "C.UTF-8", **(env or {})},
        )
    except subprocess.TimeoutExpired as exc:
        raise Limit(f"{seconds:g} seconds") from exc
    except OSError as exc:
        raise SetupError(f"pandoc could not be started: {exc}.") from exc
    if done.returncode == _HEAP_EXHAUSTED:
        raise Limit(f"{HEAP[:-1]} MB of memory")
    if done.returncode:
        raise Failed(done.stderr.decode("utf-8", errors="replace").strip() or f"exit code {done.returncode}")
    return done.stdout


def reads(texts: Sequence[str], seconds: float = READ_SECONDS) -> str | None:
    """None when pandoc reads the Markdown texts (as one document) within its limits, else what it hit."""
    try:
        run(["--from", READER, "--to", "json", "--sandbox"], seconds, "\n\n".join(texts).encode("utf-8"))
    except Limit as exc:
        return exc.what
    except Failed:
        return None  # the Markdown reader accepts any text; what it rejects is not a limit
    return None
