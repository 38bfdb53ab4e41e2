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

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from gridmod.datasets import dataset_parts, is_dataset, partition_values
from gridmod.errors import SetupError
from gridmod.filing import Filing
from gridmod.findings import Checked, Finding
from gridmod.spec import Profile
from gridmod.tables import other_separator
from gridmod.validate.large.source import Source, header_problem, open_source, unclosed_quote
from gridmod.validate.large.stream import Capped, Scan, cell_findings, run_scan


@dataclass
class LargeTables:
    """What the streaming pass leaves for the engine: each table's scan (or, for a table the engine
    summarises part by part, the summary of each part), and which of them have errors."""

    scans: dict[str, Scan] = field(default_factory=dict)
    # table -> its rows on Spark (gridmod.validate.distributed.SparkTable), for `--engine spark`
    distributed: dict[str, Any] = field(default_factory=dict)
    parts: dict[str, list[Any]] = field(default_factory=dict)  # table -> the engine's summary of each part
    categories: dict[str, pl.Categories] = field(default_factory=dict)  # shared codes (see shared_categories)
    with_errors: set[str] = field(default_factory=set)  # scanned, but a cell or the shape has an error
    unreadable: set[str] = field(default_factory=set)  # not scanned: header, file or emptiness is wrong
    checked: Checked = field(default_factory=Checked)


# An engine's summary of one part of a large table, made while the part's scan is in memory:
# summarize(filing, profile, scan, out) -> summary; findings that need only the part go to `out` at once.
Summarize = Callable[[Filing, Profile, Scan, "Capped"], Any]


@dataclass(frozen=True)
class Part:
    """One file of a large table: the whole table, or one part of its dataset folder."""

    name: str  # path inside the filing, as findings name the file
    path: Path
    constants: dict[str, str]


def shared_categories(profile: Profile, names: list[str]) -> dict[str, pl.Categories]:
    """One Categories per column that a foreign key between two of the large tables names."""
    shared: dict[str, pl.Categories] = {}
    for name in names:
        for key in profile.schemas[name].get("foreignKeys", []):
            if key["reference"]["resource"] in names:
                for column in [*key["fields"], *key["reference"]["fields"]]:
                    shared.setdefault(column, pl.Categories.random())
    return shared


def key_text_columns(profile: Profile, name: str) -> list[str]:
    """The text columns of a table's primary key that are not enums (IDs, whose values are open)."""
    fields = {f["name"]: f for f in profile.schemas[name]["fields"]}
    return [
        k
        for k in profile.schemas[name].get("primaryKey", [])
        if fields[k].get("type", "string") == "string" and "enum" not in fields[k].get("constraints", {})
    ]


def scan_large_tables(
    filing: Filing, profile: Profile, names: list[str], summaries: dict[str, Summarize] | None = None
) -> LargeTables:
    """Scan the large tables `names` (in the profile's order) and report their header and cell findings.

    A table with an entry in `summaries` (its engine's) is scanned part by part, each part summarised and
    then let go, so memory is bounded by the largest part, not by the table; any other table must be one file,
    and its scan is kept for the engine.
    """
    summaries = summaries or {}
    out = Capped(profile.limits.get("max_findings_per_rule"))
    notes: list[str] = []
    ordered = [t["name"] for t in profile.tables if t["name"] in names]
    shared = shared_categories(profile, ordered)
    for name in ordered:
        if name in summaries:  # the parts of a table must code its key alike, so that summaries compare
            for column in key_text_columns(profile, name):
                shared.setdefault(column, pl.Categories.random())
    large = LargeTables(categories=shared)
    for name in ordered:
        before = len(out.findings)
        parts = table_parts(filing, profile, name)
        if len(parts) > 1 and name not in summaries:
            raise SetupError(
                f"Profile {profile.name} {profile.version} lets table {name} be filed as a dataset, "
                f"but its engine {profile.engine!r} has no summary of a part for it."
            )
        summarize = summaries.get(name)
        rows, readable = 0, True
        for part in parts:
            scan = _scan(filing, profile, name, part, out, shared)
            if scan is None:
                readable = False
                continue
            rows += scan.row_count
            cell_findings(scan, profile, scan.failing(), out)
            if summarize is None:
                large.scans[name] = scan
            else:
                large.parts.setdefault(name, []).append(summarize(filing, profile, scan, out))
            del scan
        if readable and rows == 0 and profile.table_spec(name).get("min_rows"):
            out.add(
                profile.structure_rule("E026").finding(
                    filing.rel_path(table_file(filing, profile, name)),
                    line=1,
                    resource=table_file(filing, profile, name),
                    description=profile.schemas[name].get("description", ""),
                )
            )
            readable = False
        if not readable:
            large.unreadable.add(name)
            large.scans.pop(name, None)
            large.parts.pop(name, None)
            continue
        if any(f.severity == "error" for f in out.findings[before:]):
            large.with_errors.add(name)
    large.checked = Checked(list(out.findings), notes + out.notes())
    return large


def table_file(filing: Filing, profile: Profile, name: str) -> str:
    return profile.table_file(name, filing.resources.get(name, {}).get("path"))


def table_parts(filing: Filing, profile: Profile, name: str) -> list[Part]:
    """The files of a large table as filed: its one file, or every part of its dataset folder."""
    filed = table_file(filing, profile, name)
    if not is_dataset(filed):
        return [Part(filed, filing.folder / filed, {})]
    folder = filing.folder / filed
    return [
        Part(filed + p.relative_to(folder).as_posix(), p, partition_values(p, folder)) for p in dataset_parts(folder)
    ]


def open_part(filing: Filing, profile: Profile, table: str, part: Part, out: Capped) -> Source | None:
    """The header and column types of one file of a large table, read without its rows; None (and the
    finding) when the file cannot be opened or its header is not the Table Schema's."""
    schema = profile.schemas[table]
    try:
        source = open_source(part.path, part.constants)
    except (pl.exceptions.PolarsError, OSError) as exc:
        out.add(unreadable(filing, profile, part, exc))
        return None
    columns = source.columns([f["name"] for f in schema["fields"]])  # a dataset part lacks its folder's columns
    separator = other_separator(source.header, len(columns)) if source.kind == "csv" else None
    if separator and "E063" in profile.structure_numbers:
        out.add(
            profile.structure_rule("E063").finding(
                filing.rel_path(part.name), line=1, column=1, resource=part.name, separator=separator
            )
        )
        return None
    problem = header_problem(source, schema)
    if problem:
        variant, column, label, params = problem
        out.add(
            profile.structure_rule("E009").finding(
                filing.rel_path(part.name),
                line=1,
                column=column,
                value=label,
                resource=part.name,
                variant=variant,
                label=label,
                **params,
                expected=",".join(source.columns([f["name"] for f in schema["fields"]])),
            )
        )
        return None
    return source


def _scan(
    filing: Filing, profile: Profile, table: str, part: Part, out: Capped, shared: dict[str, pl.Categories]
) -> Scan | None:
    """Open and scan one file of a large table; None when it cannot be read as the table the profile describes."""
    path = filing.rel_path(part.name)
    schema = profile.schemas[table]
    source = open_part(filing, profile, table, part, out)
    if source is None:
        return None
    try:
        scan = run_scan(table, path, source, schema, shared)
    except (pl.exceptions.PolarsError, OSError) as exc:
        out.add(unreadable(filing, profile, part, exc))
        return None
    except ValueError as exc:  # a field type the streaming pass cannot check: the schema's, not the filing's
        raise SetupError(
            f"The large table {table} of profile {profile.name} {profile.version} cannot be "
            f"checked in a streaming pass: {exc}"
        ) from exc
    if (
        scan.row_count == 0
        and not is_dataset(table_file(filing, profile, table))
        and profile.table_spec(table).get("min_rows")
    ):
        out.add(
            profile.structure_rule("E026").finding(
                path, line=1, resource=part.name, description=schema.get("description", "")
            )
        )
        return None
    return scan


def unreadable(
    filing: Filing, profile: Profile, part: Part, exc: Exception | str, opened: int | None = None
) -> Finding:
    """E017 for a file the reader gave up on: at the unclosed quote (`opened`, or found here), when that is why
    a CSV file failed."""
    name = part.name
    if opened is None and name.endswith(".csv"):
        opened = unclosed_quote(part.path)
    rule = profile.structure_rule("E017")
    if opened is not None:
        return rule.finding(filing.rel_path(name), line=opened, resource=name, variant="unclosed_quote", opened=opened)
    return rule.finding(filing.rel_path(name), resource=name, variant="unreadable", reason=str(exc).splitlines()[0])


__all__ = [
    "Capped",
    "LargeTables",
    "Part",
    "Scan",
    "Source",
    "Summarize",
    "open_part",
    "scan_large_tables",
    "shared_categories",
    "table_file",
    "table_parts",
    "unreadable",
]
