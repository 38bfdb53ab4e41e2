"""The end of an import: what only all rows together tell (a fallback for a blank value, conflicting values of
one feeder) and the small tables, written whole (substations, feeders, the crosswalk)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polars as pl

from gridmod.imports.dims import Dims
from gridmod.imports.findings import add, show
from gridmod.imports.keys import Keys
from gridmod.imports.layers import Input
from gridmod.imports.mapping import Column, Mapping
from gridmod.imports.result import ImportResult, SourceCount
from gridmod.imports.writers import write_csv
from gridmod.spec import Profile


def write_small_tables(
    dims: Dims, keys: Keys, mapping: Mapping, profile: Profile, out: Path, result: ImportResult
) -> dict[str, str]:
    """Each small table the import filled, and crosswalk.csv with it; returns table -> file written."""
    written: dict[str, str] = {}
    for table in [t["name"] for t in profile.tables if t["name"] in dims.rows]:
        path = profile.table_path(table)
        frame = dims.frame(table)
        write_csv(out / path, frame, profile.schemas[table])
        written[table], result.tables[path] = path, frame.height
        result.withheld[path] = dims.refused(table)
    if "crosswalk" in profile.schemas and dims.rows:
        crosswalk = keys.crosswalk_rows()
        frame = pl.DataFrame(crosswalk, schema={"kind": pl.String, "native_key": pl.String, "id": pl.String})
        path = profile.table_path("crosswalk")
        write_csv(out / path, frame, profile.schemas["crosswalk"])
        written["crosswalk"], result.tables[path] = path, frame.height
        how = {"digits": "leading zeros restored, a float's .0 dropped", "name": "names made into IDs"}
        for kind, n in sorted(Counter(r["kind"] for r in crosswalk).items()):
            result.notes.append(
                f"{n} {kind} key{'' if n == 1 else 's'} became IDs that differ from the native "
                f"key ({how[mapping.keys[kind]['rule']]}); {path} lists them."
            )
    return written


def _fallback_columns(inputs: list[Input]) -> list[tuple[str, Column, Input]]:
    return [
        (t.table, c, item) for item in inputs for t in item.source.tables for c in t.columns if "fallback" in c.options
    ]


def fill_fallbacks(
    inputs: list[Input], mapping: Mapping, dims: Dims, counts: dict[str, SourceCount], result: ImportResult
) -> None:
    """A required value left blank whose column names a fallback (nominal voltage: the feeder's line
    sections) is filled from it; where there is none, the row is refused at its native row."""
    for table, column, item in _fallback_columns(inputs):
        filled = []
        for key, row in list(dims.rows.get(table, {}).items()):
            origin = dims.origins[table][key]
            if row[column.name] is not None or origin.file != item.layer.label:
                continue
            seen = dims.voltages.get(str(key[0]))
            if seen:
                row[column.name] = seen.most_common(1)[0][0]
                filled.append(str(key[0]))
                continue
            del dims.rows[table][key]
            dims.withheld[table].add(key)
            counts[origin.file].refused += 1
            hint = (
                f" Without it the import takes the most common voltage of the {table[:-1]}'s line sections, "
                "but none was imported."
            )
            add(
                result,
                mapping,
                "empty_required",
                origin.file,
                origin.row,
                column.fields[0],
                None,
                origin.where_kind,
                table=table,
                column=column.name,
                fallback=hint,
            )
        if filled:
            noun = table[:-1] if len(filled) == 1 else table
            result.notes.append(
                f"{len(filled)} {noun} had no {column.fields[0]} in {item.layer.label}: "
                f"{column.name} is the most common voltage_kv of their line sections "
                f"({', '.join(filled[:5])}{' ...' if len(filled) > 5 else ''})."
            )


def add_conflicts(dims: Dims, mapping: Mapping, result: ImportResult) -> None:
    for c in dims.conflicts:
        add(
            result,
            mapping,
            "conflict",
            c.at.file,
            c.at.row,
            c.field,
            c.value,
            c.at.where_kind,
            table=c.table,
            key=c.key,
            kept=show(c.kept),
            column=c.column,
            first=f"{c.first.file}, {c.first.where_kind} {c.first.row}",
        )
