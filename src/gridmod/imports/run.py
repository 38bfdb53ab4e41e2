"""`gridmod import ica`: a utility's native ICA export into the profile tables of an existing filing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gridmod.errors import InputError, SetupError
from gridmod.filing import load_filing
from gridmod.imports.dims import Dims
from gridmod.imports.findings import add_problem
from gridmod.imports.finish import add_conflicts, fill_fallbacks, write_small_tables
from gridmod.imports.keys import Keys
from gridmod.imports.layers import Input, identify
from gridmod.imports.mapper import BatchMapper
from gridmod.imports.mapping import Mapping, load_mapping
from gridmod.imports.readers import BATCH_ROWS, read_batches
from gridmod.imports.repeats import find_repeated_keys
from gridmod.imports.result import ImportResult, SourceCount
from gridmod.imports.writers import ParquetSink, Staging, update_descriptor
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
        find_repeated_keys(item, mapping, keys)
    staging = Staging(folder)
    try:
        written = _run(inputs, mapping, profile, keys, staging.path, result)
        optional = {str(t["name"]) for t in profile.tables if t.get("required") is False} - set(written)
        dropped = [f for _, f in update_descriptor(staging.path, written, optional)]
        if len(dropped) == 1:
            result.notes.append(
                f"No native file gave rows for {dropped[0]}, which has none, so it is left out of the filing: the "
                "table is optional, and filed without rows it would be checked as filed."
            )
        elif dropped:
            result.notes.append(
                f"No native file gave rows for {', '.join(dropped[:-1])} or {dropped[-1]}, which have none, so they "
                "are left out of the filing: the tables are optional, and filed without rows they would be checked "
                "as filed."
            )
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    return result


def _profile(folder: Path, root: Path, utility: str) -> Profile:
    filing = load_filing(folder, root)
    if filing.descriptor is None:
        problem = filing.descriptor_error[0] if filing.descriptor_error else "it cannot be read"
        raise InputError(
            f"{filing.rel}/datapackage.json cannot be read: {problem}. Import into a filing made by "
            "`gridmod new UTILITY FILING --profile ica-biannual`."
        )
    meta = filing.meta
    if meta.get("utility") != utility:
        raise SetupError(
            f"{filing.rel} is a filing of {meta.get('utility')!r}, not {utility}: import "
            f"{utility}'s data into one of its own filings (data/{utility}/...)."
        )
    try:
        return load_profile(root, str(meta.get("profile")), str(meta.get("profile_version")))
    except KeyError:
        raise SetupError(
            f"{filing.rel} follows profile {meta.get('profile')} {meta.get('profile_version')}, "
            "which this repository does not have."
        ) from None


def _label(path: Path, root: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else path.as_posix()


def _run(
    inputs: list[Input], mapping: Mapping, profile: Profile, keys: Keys, out: Path, result: ImportResult
) -> dict[str, str]:
    sinks: dict[str, ParquetSink] = {}
    dims = Dims(profile.schemas)
    counts: dict[str, SourceCount] = {}
    lookups: dict[str, dict[str, Any]] = {}
    for item in [i for i in inputs if i.source.lookup is not None]:  # read first: the others use them
        count = SourceCount(item.layer.label, item.source.name)
        counts[item.layer.label] = count
        result.sources.append(count)
        mapper = BatchMapper(mapping, item.source, item.layer, keys, profile.schemas)
        given = lookups.setdefault(item.source.name, {})
        for batch in read_batches(item.layer, item.columns, False):
            values, mapped = mapper.lookup(batch)
            given.update(values)
            count.read += batch.height
            count.refused += int(mapped.refused.sum()) if mapped.refused is not None else 0
            for problem in mapped.problems:
                add_problem(result, mapping, problem, item.layer.label, item.layer.where_kind)
    for item in [i for i in inputs if i.source.lookup is None]:
        count = SourceCount(item.layer.label, item.source.name)
        counts[item.layer.label] = count
        result.sources.append(count)
        mapper = BatchMapper(mapping, item.source, item.layer, keys, profile.schemas, lookups)
        for name in sorted(
            {c.options["lookup"] for t in item.source.tables for c in t.columns if c.kind == "lookup"} - set(lookups)
        ):
            result.notes.append(
                f"No {name} layer was imported: the values {item.layer.label} takes from it are left empty."
            )
        for table in sorted({t.table for t in item.source.tables} - {t.table for t in mapper.tables()}):
            result.notes.append(
                f"{item.layer.label} has no geometry, so it fills no rows of {table}; export it "
                "as a shapefile, GeoJSON or File Geodatabase to keep its lines."
            )
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
    fill_fallbacks(inputs, mapping, dims, counts, result)
    add_conflicts(dims, mapping, result)
    written: dict[str, str] = {}
    for table, sink in sinks.items():
        sink.close()
        written[table] = sink.path.name
        result.tables[sink.path.name] = sink.rows
        result.withheld.setdefault(sink.path.name, 0)
    written |= write_small_tables(dims, keys, mapping, profile, out, result)
    return written


def _native_fields(item: Input, table: str) -> dict[str, str]:
    return {c.name: "/".join(c.fields) for t in item.source.tables if t.table == table for c in t.columns if c.fields}


def _large_path(profile: Profile, table: str) -> str:
    spec = profile.table_spec(table)
    return next(p for p in [spec["path"], *spec.get("alternatives", [])] if str(p).endswith(".parquet"))
