"""The import's summary as text for the terminal: rows per native file and per table, then the findings."""

from __future__ import annotations

from gridmod.imports.result import ImportResult
from gridmod.utilities import utility as names_of


def format_summary(result: ImportResult, rel: str) -> str:
    lines = [f"Imported {names_of(result.utility).short}'s native files into {rel}:"]
    lines.append(f"  {'read':>10} {'written':>10} {'refused':>10}  native file")
    for s in result.sources:
        lines.append(f"  {s.read:>10,} {s.written:>10,} {s.refused:>10,}  {s.file} ({s.source})")
    lines.append(f"  {'written':>10} {'refused':>10}  table")
    for path, rows in result.tables.items():
        lines.append(f"  {rows:>10,} {result.withheld.get(path, 0):>10,}  {path}")
    for note in result.notes:
        lines.append(f"  Note: {note}")
    for finding in result.findings:
        lines.append(f"  {finding.where}: {finding.message}")
        lines.append(f"      How to fix: {finding.fix}")
    for where, n in sorted(result.omitted.items()):
        lines.append(f"  ... and {n:,} more of {where} (not listed).")
    if result.ok:
        lines.append(f"Every row was mapped; datapackage.json is stamped. Next: gridmod validate {rel}")
    else:
        refused, found = result.refused, len(result.findings) + sum(result.omitted.values())
        lines.append(
            f"{found:,} value{'' if found == 1 else 's'} could not be mapped and {refused:,} native "
            f"row{' was' if refused == 1 else 's were'} refused: the tables hold every row that mapped, and "
            "datapackage.json is stamped. Fix the values above in the export and import again."
        )
    return "\n".join(lines) + "\n"
