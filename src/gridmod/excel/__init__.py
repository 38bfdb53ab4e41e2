"""The filer's Excel workbook: generated from the profile, read back into the filing's CSV tables.

`export_workbook` writes one workbook per filing (instructions, one protected sheet per table, a hidden
stamp of profile and version); `import_workbook` checks the workbook is safe and of the filing's profile,
turns its cells back into the exact CSV text and reports what it repaired and where, as `Sheet!Cell`.
"""

from gridmod.excel.export import export_workbook
from gridmod.excel.importer import ImportResult, WorkbookRefused, import_workbook, locate_findings

__all__ = ["ImportResult", "WorkbookRefused", "export_workbook", "import_workbook", "locate_findings"]
