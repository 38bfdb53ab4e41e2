"""Why a workbook cannot be written or read. Both are setup problems for the CLI (exit code 2)."""

from __future__ import annotations

from gridmod.spec import SetupError


class WorkbookError(SetupError):
    """The workbook cannot be exported, e.g. the filing's tables are not in a shape a workbook can hold."""


class WorkbookRefused(WorkbookError):
    """The workbook will not be imported: unsafe, of another profile or filing, or not made by gridmod."""
