"""`gridmod import ica`: a utility's native ICA export into the profile tables of an existing filing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polars as pl

from gridmod.errors import InputError, SetupError
from gridmod.filing import load_filing
from gridmod.imports.dims import Dims
from gridmod.imports.findings import add, add_problem, show
from gridmod.imports.keys import Keys
from gridmod.imports.layers import Input, identify
from gridmod.imports.mapper import BatchMapper
from gridmod.imports.mapping import Column, Mapping, load_mapping
from gridmod.imports.readers import BATCH_ROWS, read_batches
from gridmod.imports.result import ImportResult, SourceCount
from gridmod.imports.values import as_text
from gridmod.imports.writers import ParquetSink, Staging, update_descriptor, write_csv
from gridmod.spec import Profile, load_profile

WIDE_CELLS = 1_000_000  # month-hour cells per batch of a wide hourly file


def import_ica(utility: str, sources: list[Path], folder: Path, root: Path) -> ImportResult:
    """Read `sources` (native files of `utility`) into the filing at `folder`, replacing the tables they fill.

    Values that cannot be mapped are findings on the native files, and their rows are refused; the tables
    are written with the rows that mapped, all at once at the end, and datapackage.json is stamped."""
    profile = _profile(folder, root, utility)
    mapping = load_mapping(profile, utility, root)
    twice = sorted({_label(p, root) for p in sources if sum(q.resolve() == p.resolve() for q in sources) > 1})
    if twice:
        raise InputError(f"{', '.join(twice)} is given more than once; give each native file once.")
    inputs = identify([(p, _label(p, root)) for p in sources], mapping, profile)
    result = ImportResult(folder, utility)
    keys = Keys(mapping.keys)
    for item in inputs:
        _find_duplicates(item, mapping, keys)
    staging = Staging(folder)
    try:
        written = _run(inputs, mapping, profile, keys, staging.path, result)
        update_descriptor(staging.path, written)
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    return result


def _profile(folder: Path, root: Path, utility: str) -> Profile:
    filing = load_filing(folder, root)
    if filing.descriptor is None:
        problem = filing.descriptor_error[0] if filing.descriptor_error else "it cannot be read"
        raise InputError(f"{filing.rel}/datapackage.json cannot be read: {problem}. Import into a filing made by "
                         "`gridmod new UTILITY FILING --profile ica-biannual`.")
    meta = filing.meta
    if meta.get("utility") != utility:
        raise SetupError(f"{filing.rel} is a filing of {meta.get('utility')!r}, not {utility}: import "
                         f"{utility}'s data into one of its own filings (data/{utility}/...).")
    try:
        return load_profile(root, str(meta.get("profile")), str(meta.get("profile_version")))
    except KeyError:
        raise SetupError(f"{filing.rel} follows profile {meta.get('profile')} {meta.get('profile_version')}, "
                         "which this repository does not have.") from None


def _label(path: Path, root: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else path.as_posix()


def _find_duplicates(item: Input, mapping: Mapping, keys: Keys) -> None:
    """First pass over a layer whose section keys repeat (rule id with unique_by): which keys repeat."""
    unique = mapping.keys.get("section", {}).get("unique_by")
    columns = [c for t in item.source.tables for c in t.columns if c.kind == "key"]
    feeder = next((c for c in columns if c.options["key"] == "feeder"), None)
    section = next((c for c in columns if c.options["key"] == "section"), None)
    if not unique or feeder is None or section is None:
        return
    wanted = {k: v for k, v in item.columns.items() if v in (feeder.fields[0], section.fields[0])}
    counts: Counter[tuple[str, str]] = Counter()
    for batch in read_batches(item.layer, wanted, geometry=False):
        pairs = pl.DataFrame({"f": as_text(batch[feeder.fields[0]]).values,
                              "s": as_text(batch[section.fields[0]]).values}).group_by("f", "s").len()
        for f, s, n in pairs.iter_rows():
            counts[(f, s)] += n
    keys.duplicates.update(pair for pair, n in counts.items() if n > 1)


def _run(inputs: list[Input], mapping: Mapping, profile: Profile, keys: Keys, out: Path,
         result: ImportResult) -> dict[str, str]:
    sinks: dict[str, ParquetSink] = {}
    dims = Dims(profile.schemas)
    counts: dict[str, SourceCount] = {}
    for item in inputs:
        count = SourceCount(item.layer.label, item.source.name)
        counts[item.layer.label] = count
        result.sources.append(count)
        mapper = BatchMapper(mapping, item.source, item.layer, keys, profile.schemas)
        for table in sorted({t.table for t in item.source.tables} - {t.table for t in mapper.tables()}):
            result.notes.append(f"{item.layer.label} has no geometry, so it fills no rows of {table}; export it "
                                "as a shapefile, GeoJSON or File Geodatabase to keep its lines.")
        rows = max(500, WIDE_CELLS // item.wide) if item.wide else BATCH_ROWS
        for batch in read_batches(item.layer, item.columns, item.geometry, rows):
            mapped = mapper.map(batch)
            count.read += batch.height
            count.refused += int(mapped.refused.sum()) if mapped.refused is not None else 0
            for problem in mapped.problems:
                add_problem(result, mapping, problem, item.layer.label, item.layer.where_kind)
            for table, frame in mapped.withheld.items():
                if profile.is_large(table):
                    path = _large_path(profile, table)
                    result.withheld[path] = result.withheld.get(path, 0) + frame.height
                else:
                    dims.withhold(table, frame)
            for table, frame in mapped.tables.items():
                if profile.is_large(table):
                    if table not in sinks:
                        sinks[table] = ParquetSink(out / _large_path(profile, table), profile.schemas[table])
                    sinks[table].write(frame)
                    if "voltage_kv" in frame.columns and table == "line_sections":
                        dims.count_voltages(frame)
                else:
                    dims.add(table, frame, item.layer.label, item.layer.where_kind, _native_fields(item, table))
    _fill_fallbacks(inputs, mapping, dims, counts, result)
    _conflicts(dims, mapping, result)
    written: dict[str, str] = {}
    for table, sink in sinks.items():
        sink.close()
        written[table] = sink.path.name
        result.tables[sink.path.name] = sink.rows
        result.withheld.setdefault(sink.path.name, 0)
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
            result.notes.append(f"{n} {kind} key{'' if n == 1 else 's'} became IDs that differ from the native "
                                f"key ({how[mapping.keys[kind]['rule']]}); {path} lists them.")
    return written


def _native_fields(item: Input, table: str) -> dict[str, str]:
    return {c.name: "/".join(c.fields) for t in item.source.tables if t.table == table for c in t.columns if c.fields}


def _large_path(profile: Profile, table: str) -> str:
    spec = profile.table_spec(table)
    return next(p for p in [spec["path"], *spec.get("alternatives", [])] if str(p).endswith(".parquet"))


def _fallback_columns(inputs: list[Input]) -> list[tuple[str, Column, Input]]:
    return [(t.table, c, item) for item in inputs for t in item.source.tables for c in t.columns
            if "fallback" in c.options]


def _fill_fallbacks(inputs: list[Input], mapping: Mapping, dims: Dims, counts: dict[str, SourceCount],
                    result: ImportResult) -> None:
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
            hint = (f" Without it the import takes the most common voltage of the {table[:-1]}'s line sections, "
                    "but none was imported.")
            add(result, mapping, "empty_required", origin.file, origin.row, column.fields[0], None, origin.where_kind,
                table=table, column=column.name, fallback=hint)
        if filled:
            noun = table[:-1] if len(filled) == 1 else table
            result.notes.append(f"{len(filled)} {noun} had no {column.fields[0]} in {item.layer.label}: "
                                f"{column.name} is the most common voltage_kv of their line sections "
                                f"({', '.join(filled[:5])}{' ...' if len(filled) > 5 else ''}).")


def _conflicts(dims: Dims, mapping: Mapping, result: ImportResult) -> None:
    for c in dims.conflicts:
        add(result, mapping, "conflict", c.at.file, c.at.row, c.field, c.value, c.at.where_kind, table=c.table,
            key=c.key, kept=show(c.kept), column=c.column, first=f"{c.first.file}, {c.first.where_kind} {c.first.row}")

