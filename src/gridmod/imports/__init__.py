"""Native ICA exports of the utilities into a filing's tables (`gridmod import ica`)."""

from gridmod.imports.result import ImportFinding, ImportResult, SourceCount
from gridmod.imports.run import import_ica
from gridmod.imports.summary import format_summary

__all__ = ["ImportFinding", "ImportResult", "SourceCount", "format_summary", "import_ica"]
