"""Pandoc, the one converter of filer Markdown, run the same way everywhere: pinned, sandboxed, and bounded.

Pandoc's Markdown reader takes time far out of proportion on some short inputs (a line of 20,000 `[` does
not finish in 30 seconds; 20,000 `&` take 27), and filers' text is input. So every run has a limit on
processor time (so that a busy machine does not change the verdict), on elapsed time, and on its heap
(pandoc's own runtime option `-M`); hitting one is a `Limit`, which the validator turns into a finding on
the narrative (rule E062) and the renderers into a plain message.

The reader for narratives is pandoc Markdown minus everything that would let the filer's text reach an
output format as code or configuration: raw blocks and inline raw (``{=typst}``), raw HTML and TeX, math
(``$x$`` would be Typst math), citations (``@x`` needs a bibliography), YAML blocks inside the body (they
would override the report's metadata), fenced divs, implicit figures, and smart typography (so that quotes
and dashes come out exactly as filed).
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
from collections.abc import Sequence

from gridmod.errors import GridmodError, SetupError

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

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
# Elapsed time a run may take, as a multiple of its processor-time limit: room for a busy machine.
WALL_FACTOR = 4
# pandoc's runtime exits with 251 when the heap limit is reached ("Heap exhausted"); the kernel ends a process
# past its processor-time limit with SIGXCPU (the soft limit) or SIGKILL (the hard one).
_HEAP_EXHAUSTED = 251
_OUT_OF_TIME = {-signal.SIGXCPU, -signal.SIGKILL}


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

    `seconds` is a limit on processor time where the system can set one (Linux: whole seconds, so it does not
    depend on how busy the machine is), with a limit on elapsed time WALL_FACTOR times as long behind it.
    Raises Limit when pandoc runs out of time or heap, Failed when it reports an error."""
    command = [pandoc_path(), *arguments, *RUNTIME]
    wall = seconds * WALL_FACTOR
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "LANG": "C.UTF-8", **(env or {})},
        )
    except OSError as exc:
        raise SetupError(f"pandoc could not be started: {exc}.") from exc
    _limit_processor_time(process.pid, seconds)
    try:
        out, err = process.communicate(stdin, timeout=wall)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.communicate()
        raise Limit(f"{wall:g} seconds") from exc
    if process.returncode in _OUT_OF_TIME:
        raise Limit(f"{math.ceil(seconds)} seconds of processor time")
    if process.returncode == _HEAP_EXHAUSTED:
        raise Limit(f"{HEAP[:-1]} MB of memory")
    if process.returncode:
        raise Failed(err.decode("utf-8", errors="replace").strip() or f"exit code {process.returncode}")
    return out


def _limit_processor_time(pid: int, seconds: float) -> None:
    """RLIMIT_CPU on the started process (Linux's prlimit); elsewhere only the elapsed-time limit applies. The
    process can have used no more than a few milliseconds before the limit is set."""
    prlimit = getattr(resource, "prlimit", None) if resource is not None else None
    if prlimit is None:
        return
    soft = max(1, math.ceil(seconds))
    try:
        prlimit(pid, resource.RLIMIT_CPU, (soft, soft + 1))
    except (OSError, ValueError):  # the process has already ended
        pass


def reads(texts: Sequence[str], seconds: float = READ_SECONDS) -> str | None:
    """None when pandoc reads the Markdown texts (as one document) within its limits, else what it hit."""
    try:
        run(["--from", READER, "--to", "json", "--sandbox"], seconds, "\n\n".join(texts).encode("utf-8"))
    except Limit as exc:
        return exc.what
    except Failed:
        return None  # the Markdown reader accepts any text; what it rejects is not a limit
    return None
