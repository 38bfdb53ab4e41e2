"""Large tables (`large: true` in profile.yaml), for any profile: one streaming pass each, in bounded memory.

A large table is never read whole by frictionless or the cell checks of the small tables. Instead the
validation stage opens it (CSV, or a Parquet alternative the profile allows), checks its header against the
Table Schema, runs every cell check of the schema in one pass (gridmod.validate.large.stream) and reports
each failing cell at its line and column. A malformed cell never stops the other checks: the table's scan
goes on to the profile's engine, which runs what needs the whole table (keys, completeness, cross-table
rules), and learns from `with_errors` which tables are not clean enough for figures computed from them.

Columns that two large tables share through a foreign key (the ICA hourly profiles' line sections, which
reference the results) are coded with the same categories, so the key is a comparison of integers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from gridmod.errors import SetupError
from gridmod.filing import Filing
from gridmod.findings import Checked, Finding
from gridmod.spec import Profile
from gridmod.validate.large.source import Source, header_problem, open_source, unclosed_quote
from gridmod.validate.large.stream import Capped, Scan, cell_findings, run_scan


@dataclass
class LargeTables:
    """What the streaming pass leaves for the engine: each table's scan, and which of them have errors."""

    scans: dict[str, Scan] = field(default_factory=dict)
    with_errors: set[str] = field(default_factory=set)  # scanned, but a cell or the shape has an error
    unreadable: set[str] = field(default_factory=set)  # not scanned: header, file or emptiness is wrong
    checked: Checked = field(default_factory=Checked)


def shared_categories(profile: Profile, names: list[str]) -> dict[str, pl.Categories]:
    """One Categories per column that a foreign key between two of the large tables names."""
    shared: dict[str, pl.Categories] = {}
    for name in names:
        for key in profile.schemas[name].get("foreignKeys", []):
            if key["reference"]["resource"] in names:
                for column in [*key["fields"], *key["reference"]["fields"]]:
                    shared.setdefault(column, pl.Categories.random())
    return shared


def scan_large_tables(filing: Filing, profile: Profile, names: list[str]) -> LargeTables:
    """Scan the large tables `names` (in the profile's order) and report their header and cell findings."""
    out = Capped(profile.limits.get("max_findings_per_rule"))
    notes: list[str] = []
    ordered = [t["name"] for t in profile.tables if t["name"] in names]
    shared = shared_categories(profile, ordered)
    large = LargeTables()
    for name in ordered:
        before = len(out.findings)
        scan = _scan(filing, profile, name, out, notes, shared)
        if scan is None:
            large.unreadable.add(name)
            continue
        cell_findings(scan, profile, scan.failing(), out)
        large.scans[name] = scan
        if any(f.severity == "error" for f in out.findings[before:]):
            large.with_errors.add(name)
    large.checked = Checked(list(out.findings), notes + out.notes())
    return large


def table_file(filing: Filing, profile: Profile, name: str) -> str:
    return profile.table_file(name, filing.resources.get(name, {}).get("path"))


def _scan(filing: Filing, profile: Profile, table: str, out: Capped, notes: list[str],
          shared: dict[str, pl.Categories]) -> Scan | None:
    """Open and scan one large table; None when it cannot be read as the table the profile describes."""
    name = table_file(filing, profile, table)
    path = filing.rel_path(name)
    schema = profile.schemas[table]
    try:
        source = open_source(filing.folder / name)
    except (pl.exceptions.PolarsError, OSError) as exc:
        out.add(_unreadable(filing, profile, table, exc))
        return None
    problem = header_problem(source, schema)
    if problem:
        variant, column, label, params = problem
        out.add(profile.structure_rule("E009").finding(
            path, line=1, column=column, value=label, resource=name, variant=variant, label=label, **params,
            expected=",".join(f["name"] for f in schema["fields"])))
        return None
    try:
        scan = run_scan(table, path, source, schema, shared)
    except (pl.exceptions.PolarsError, OSError) as exc:
        out.add(_unreadable(filing, profile, table, exc))
        return None
    except ValueError as exc:  # a field type the streaming pass cannot check: the schema's, not the filing's
        raise SetupError(f"The large table {table} of profile {profile.name} {profile.version} cannot be "
                         f"checked in a streaming pass: {exc}") from exc
    if scan.row_count == 0 and profile.table_spec(table).get("min_rows"):
        out.add(profile.structure_rule("E026").finding(
            path, line=1, resource=name, description=schema.get("description", "")))
        return None
    return scan


def _unreadable(filing: Filing, profile: Profile, table: str, exc: Exception) -> Finding:
    """E017 for a file the reader gave up on: at the unclosed quote, when that is why a CSV file failed."""
    name = table_file(filing, profile, table)
    opened = unclosed_quote(filing.folder / name) if name.endswith(".csv") else None
    rule = profile.structure_rule("E017")
    if opened is not None:
        return rule.finding(filing.rel_path(name), line=opened, resource=name, variant="unclosed_quote",
                            opened=opened)
    return rule.finding(filing.rel_path(name), resource=name, variant="unreadable", reason=str(exc).splitlines()[0])


__all__ = ["Capped", "LargeTables", "Scan", "Source", "scan_large_tables", "shared_categories", "table_file"]

