"""Why a workbook cannot be written or read.

A workbook of the wrong profile or filing is a usage problem (exit code 2); one that is unsafe to open
(macros, links, connections, bombs) is bad input, refused like bad data (exit code 1).
"""

from __future__ import annotations

from gridmod.spec import SetupError


class WorkbookError(SetupError):
    """The workbook cannot be exported, e.g. the filing's tables are not in a shape a workbook can hold."""


class WorkbookRefused(WorkbookError):
    """The workbook will not be imported: unsafe, of another profile or filing, or not made by gridmod."""


class WorkbookUnsafe(WorkbookRefused):
    """The workbook's content is refused: macros, links, connections, a bomb, or parts that cannot be parsed."""

    exit_code = 1

    def __str__(self) -> str:
        return f"refused: {super().__str__()}"
