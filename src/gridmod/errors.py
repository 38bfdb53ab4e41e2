"""The one error model: every problem gridmod can name is a GridmodError with its exit code.

Problems in the data are findings, returned as data; these exceptions are for when a command cannot do its
work. The CLI prints the message and exits with the error's code; anything else that escapes is a bug in
gridmod, and only that is called an internal error.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType


class GridmodError(Exception):
    """A problem gridmod can name in plain words; `exit_code` is what the command ends with."""

    exit_code = 2


class SetupError(GridmodError):
    """The tool cannot run: the repository, the rule spec or the call is broken (exit code 2)."""


class InputError(GridmodError):
    """The input cannot be used as given (a file to stamp, a workbook to import): exit code 1, as for a
    filing with errors."""

    exit_code = 1


def template_location(exc: BaseException) -> str:
    """Where in a Jinja template an error arose, as " (file, line N)", or "" when no template frame shows.

    Jinja puts the template's file and line into the traceback of errors raised while rendering
    (an undefined variable, a failing filter); syntax errors carry them as attributes.
    """
    name, line = getattr(exc, "filename", None) or getattr(exc, "name", None), getattr(exc, "lineno", None)
    if name is None or line is None:
        tb: TracebackType | None = exc.__traceback__
        while tb is not None:
            file = tb.tb_frame.f_code.co_filename
            if file.endswith(".j2"):
                name, line = file, tb.tb_lineno
            tb = tb.tb_next
    if name is None:
        return ""
    return f" ({Path(name).name}, line {line})" if line else f" ({Path(name).name})"
