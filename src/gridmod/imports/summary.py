"""The import's summary as text for the terminal: rows per native file and per table, then the findings."""

from __future__ import annotations

from gridmod.imports.result import ImportResult
from gridmod.utilities import utility as names_of


def format_summary(result: ImportResult, rel: str) -> str:
    lines = [f"Imported {names_of(result.utility).short}'s native files into {rel}:"]
    width = max((len(s.file) + len(s.source) + 3 for s in result.sources), default=10)
    lines.append(f"  {'native file':<{width}}  {'read':>9}  {'written':>9}  {'refused':>9}")
    for s in result.sources:
        name = f"{s.file} ({s.source})"
        lines.append(f"  {name:<{width}}  {s.read:>9,}  {s.written:>9,}  {s.refused:>9,}")
    lines.append("  table rows written:")
    for path, rows in result.tables.items():
        lines.append(f"    {path}: {rows:,}")
    for note in result.notes:
        lines.append(f"  Note: {note}")
    for finding in result.findings:
        field = f" {finding.field}" if finding.field else ""
        lines.append(f"  {finding.where}:{field}: {finding.message}")
        lines.append(f"      How to fix: {finding.fix}")
    for where, n in sorted(result.omitted.items()):
        lines.append(f"  ... and {n:,} more of {where} (not listed).")
    if result.ok:
        lines.append(f"Every row was mapped; datapackage.json is stamped. Next: gridmod validate {rel}")
    else:
        total = result.refused
        lines.append(f"{total:,} native row{'' if total == 1 else 's'} refused: the tables hold every other row, "
                     "and datapackage.json is stamped. Fix the values above in the export and import again.")
    return "\n".join(lines) + "\n"
