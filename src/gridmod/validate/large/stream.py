"""One streaming pass over a large table: every cell check at once, any file size, little memory.

Most columns of a large table repeat a few values over millions of rows (in an ICA table: scenarios, months,
criteria, the IDs of a few thousand feeders). polars reads the file lazily in morsels (the streaming engine)
and turns each such column into dictionary codes (a Categorical with categories of its own; for CSV the reader
codes the cells as it reads them); the Table Schema's checks then run once per distinct value, and a failing
value flags every row that holds it. Number columns, whose values rarely repeat, and columns that a Parquet
file already stores typed are cast and checked per row inside the same pass. The rule for a column is the same
polars expression either way (gridmod.validate.large.cells), declared once from the Table Schema.

Rows that fail are located afterwards (gridmod.validate.large.lines) and their cells read back as written, so
each finding quotes the offending value at its line and column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import polars as pl

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

from gridmod.findings import Finding
from gridmod.spec import Profile
from gridmod.validate.large.cells import CellCheck, field_checks, typed
from gridmod.validate.large.lines import LineMap
from gridmod.validate.large.source import EXTRA, Source
from gridmod.validate.large.widths import wide_rows

EXTRA_FLAG = "_extra_cells"
FORMATS = {
    "date": "a date YYYY-MM-DD, e.g. 2026-03-15",
    "integer": "a whole number without separators, e.g. 12",
    "number": "a plain number in kW, without units or thousands separators, e.g. 1250.5 "
    "(leave it empty and give missing_reason where there is no value)",
    "boolean": "true or false",
}


# The largest code of each physical type is never a category (polars allows one fewer), so it marks an empty cell.
def empty_code(physical: Any) -> int:
    return 2**8 - 1 if physical == pl.UInt8 else 2**16 - 1 if physical == pl.UInt16 else 2**32 - 1


def physical_for(spec: dict[str, Any]) -> PolarsDataType:
    """Code width of a coded column: one byte where the valid values are few (a bad file can overflow it,
    and the pass is then repeated with four bytes)."""
    constraints = spec.get("constraints", {})
    kind = spec.get("type", "string")
    if "enum" in constraints or (
        kind == "integer" and constraints.get("maximum", 1e9) - constraints.get("minimum", -1e9) < 200
    ):
        return pl.UInt8
    return pl.UInt16 if kind in ("date", "boolean") else pl.UInt32


def stored_type(spec: dict[str, Any], dtype: PolarsDataType) -> PolarsDataType:
    """How a column checked per row keeps its values: numbers as 64-bit floats (a 32-bit float would publish
    1882.8 as 1882.800048828125 wherever a value or a median of values leaves the validator), integers in
    the narrowest type that holds the schema's range (a value outside it has already failed a check and is
    quoted from its text), anything else as typed."""
    kind = spec.get("type", "string")
    if kind == "number":
        return pl.Float64
    if kind != "integer":
        return dtype
    constraints = spec.get("constraints", {})
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if low is None or high is None:
        return pl.Int64
    for candidate, bits in ((pl.Int8, 8), (pl.Int16, 16), (pl.Int32, 32)):
        if -(2 ** (bits - 1)) <= low and high < 2 ** (bits - 1):
            return candidate
    return pl.Int64


@dataclass
class Domain:
    """The distinct values of one coded column, typed and checked once each.

    Lookup tables are indexed by code; the empty cell has the index `empty` (the largest code for one- and
    two-byte codes, one past the last value for four-byte ones).
    """

    values: pl.Series  # the distinct values, in code order
    typed: pl.Series  # lookup table: typed value
    flags: dict[str, np.ndarray]  # check flag -> lookup table: the check fails
    bad: np.ndarray  # lookup table: any check fails
    empty: int
    wide: bool  # four-byte codes: index with np.minimum(code, empty)


@dataclass
class Scan:
    """The result of the pass: one row per data row (its position is the row index)."""

    table: str
    path: str  # repo-relative, as findings name it
    source: Source
    schema: dict[str, Any]
    frame: pl.DataFrame  # codes of coded columns; values and check flags of columns checked per row
    domains: dict[str, Domain]
    checks: list[CellCheck]
    keep: list[pl.Series] = field(default_factory=list)  # keeps each column's categories alive
    lines: LineMap | None = None

    @property
    def fields(self) -> list[str]:
        """The fields the pass checks: all but geometry, which the profile's engine checks (it is binary)."""
        return [f["name"] for f in self.schema["fields"] if f.get("type") != "geometry"]

    @property
    def row_count(self) -> int:
        return self.frame.height

    def codes(self, name: str) -> np.ndarray:
        """Per row, the dictionary code of a coded column (the largest code of its width when empty)."""
        return self.frame[name].to_numpy()

    def present(self, name: str) -> np.ndarray:
        return self.codes(name) != empty_code(self.frame[name].dtype)

    def index(self, name: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Per row (or for the given rows), the index into the column's lookup tables."""
        domain = self.domains[name]
        codes = self.codes(name) if rows is None else self.codes(name)[rows]
        return np.minimum(codes, domain.empty) if domain.wide else codes

    def numeric(self, name: str, fill: int = -1, dtype: Any = np.int16) -> np.ndarray:
        """Per row, the typed value as a number (enum position, integer, days since 1970-01-01 for a date),
        `fill` where empty or invalid."""
        return self.mapped(name, lambda values: values, fill, dtype)

    def mapped(self, name: str, function: Callable[[np.ndarray], np.ndarray], fill: int, dtype: Any) -> np.ndarray:
        """Per row, `function` of the typed values as numbers (see `numeric`; `fill` where empty or invalid).

        For a coded column the function runs on one entry per distinct value and rows only look the result
        up, so a derived value costs one small array per row instead of several.
        """
        table = self.domains[name].typed if name in self.domains else self.frame[name]
        if table.dtype in (pl.Date, pl.Boolean) or isinstance(table.dtype, pl.Enum):
            table = table.to_physical()
        values = np.asarray(function(table.cast(pl.Int64).fill_null(fill).to_numpy())).astype(dtype)
        return values[self.index(name)] if name in self.domains else values

    def typed(self, name: str) -> pl.Series:
        """The column's typed values, null where empty or invalid."""
        if name in self.domains:
            return self.domains[name].typed.gather(self.index(name))
        return self.frame[name]

    def failing(self) -> np.ndarray:
        """Row indices with at least one failing cell, a blank row or extra cells.

        One polars expression over the whole frame (fused and parallel): a coded column looks its rows up in
        the table of failing values only when some value fails, else it fails only where empty and required.
        """
        conditions = []
        for name, domain in self.domains.items():
            if domain.bad[: len(domain.values)].any():
                index = pl.col(name).clip(upper_bound=domain.empty) if domain.wide else pl.col(name)
                conditions.append(pl.lit(pl.Series(domain.bad)).gather(index))
            elif domain.bad[domain.empty]:
                conditions.append(self._empty(name))
        conditions += [pl.col(c.flag) for c in self.checks if c.field not in self.domains]
        if EXTRA_FLAG in self.frame.columns:
            conditions.append(pl.col(EXTRA_FLAG))
        conditions.append(self._blank())
        mask = self.frame.select(pl.any_horizontal(conditions)).to_series()
        return np.flatnonzero(mask.to_numpy())

    def _empty(self, name: str) -> pl.Expr:
        return pl.col(name) == empty_code(self.frame[name].dtype) if name in self.domains else pl.col(name + ":null")

    def _blank(self) -> pl.Expr:
        """True on a row whose every cell is empty."""
        return pl.all_horizontal(self._empty(name) for name in self.fields)

    def blank_rows(self, picked: pl.DataFrame) -> np.ndarray:
        """Which rows of `picked` (rows of the frame) have every cell empty."""
        return picked.select(self._blank()).to_series().to_numpy()

    def column(self, name: str) -> int | None:
        """The 1-based column of a field in this file; None for a field its folder names give."""
        held = self.source.columns(self.fields)
        return held.index(name) + 1 if name in held else None

    def line(self, row: int) -> int:
        assert self.lines is not None
        return self.lines.line(row)

    def cell(self, row: int, name: str) -> str | None:
        """The cell as written (after CSV unquoting): a coded column's value, the text of a failing cell
        checked per row, or a valid value of such a cell written out; None when empty."""
        if name in self.domains:
            position = int(self.frame[name][row])
            domain = self.domains[name]
            index = min(position, domain.empty) if domain.wide else position
            return domain.values[index] if index < len(domain.values) else None
        raw = self.frame[name + ":raw"][row]
        if raw is not None:
            return raw
        value = self.frame[name][row]
        if value is None:
            return None
        if isinstance(value, float):
            return f"{value:.15g}"
        if isinstance(value, bool):
            return "true" if value else "false"
        return value.isoformat() if isinstance(value, date) else str(value)

    def key(self, row: int, names: list[str]) -> str:
        return "/".join(self.cell(row, n) or "" for n in names)


def run_scan(
    table: str,
    path: str,
    source: Source,
    schema: dict[str, Any],
    shared: dict[str, pl.Categories] | None = None,
    locate: bool = True,
) -> Scan:
    """The pass itself: one lazy query, collected by the streaming engine.

    `shared` gives Categories for columns whose codes must compare across tables (feeder and section IDs);
    `locate` False skips mapping rows to lines, for reading a table already known to be valid.
    """
    try:
        scan = _run(table, path, source, schema, shared or {}, narrow=True)
    except pl.exceptions.ComputeError as exc:
        if "more categories than the maximum" not in str(exc):
            raise
        scan = _run(table, path, source, schema, shared or {}, narrow=False)
    if source.kind == "csv":
        wide = wide_rows(source, len(source.header), scan.row_count)
        if len(wide):
            flagged = np.zeros(scan.row_count, dtype=bool)
            flagged[wide[wide < scan.row_count]] = True
            scan.frame = scan.frame.with_columns(pl.col(EXTRA_FLAG) | pl.Series(flagged))
    if locate:
        text_fields = [f["name"] for f in schema["fields"] if f.get("type", "string") == "string"]
        scan.lines = LineMap(source, scan.row_count, text_fields, _has_line_breaks(scan))
    return scan


def _has_line_breaks(scan: Scan) -> bool:
    """Whether any cell holds a line break: the distinct values of coded columns, and of the failing cells of
    the others (a cell of a number, date or boolean column that holds a line break fails its type check)."""
    if any(label.count("\n") for label in scan.source.header):
        return True
    if any(d.values.str.contains("\n", literal=True).any() for d in scan.domains.values()):
        return True
    return any(
        cast(pl.Categorical, scan.frame[c].dtype).categories.to_series().str.contains("\n", literal=True).any()
        for c in scan.frame.columns
        if c.endswith(":raw")
    )


def _run(
    table: str, path: str, source: Source, schema: dict[str, Any], shared: dict[str, pl.Categories], narrow: bool
) -> Scan:
    columns: list[pl.Expr] = []
    checks: list[CellCheck] = []
    coded: dict[str, tuple[dict[str, Any], pl.Categories, list[CellCheck]]] = {}
    values: dict[str, pl.Expr] = {}
    read_coded: dict[str, PolarsDataType] = {}
    keep = []
    in_file = source.columns([f["name"] for f in schema["fields"]])
    for spec in schema["fields"]:
        name = spec["name"]
        number = in_file.index(name) + 1 if name in in_file else None  # None: given by the part's folder name
        dtype = source.dtypes.get(name, pl.String)
        kind = spec.get("type", "string")
        if kind == "geometry":
            continue  # WKB, checked by the profile's engine (e.g. gridmod.ica.geometry)
        text = pl.col(name) if dtype == pl.String else pl.col(name).cast(pl.String)
        folder = source.constants.get(name) if name in source.header else None
        if kind == "number" or (kind != "string" and dtype != pl.String):
            # Values that rarely repeat (numbers), or arrive typed (Parquet): checked per row. Cast once
            # (first stage), check the cast value (second stage).
            values[name + ":value"] = typed(spec, dtype)
            own = field_checks(spec, number, dtype, pl.col(name + ":value"), folder)
            columns.append(pl.col(name + ":value").cast(stored_type(spec, dtype), strict=False).alias(name))
            columns.append(pl.col(name).is_null().alias(name + ":null"))
            columns += [c.fails.alias(c.flag) for c in own]
            # The text of a failing cell, for quoting it: codes of its own, null on every other row.
            raw = pl.Categories.random(physical=pl.UInt16 if narrow else pl.UInt32)
            keep.append(pl.Series([], dtype=pl.Categorical(raw)))
            # A line break never parses as a number, date or boolean, so every cell that holds one is here too.
            columns.append(
                pl.when(pl.any_horizontal([c.fails for c in own]))
                .then(text)
                .cast(pl.Categorical(raw))
                .alias(name + ":raw")
            )
        else:
            categories = shared.get(name) or pl.Categories.random(physical=physical_for(spec) if narrow else pl.UInt32)
            keep.append(pl.Series([], dtype=pl.Categorical(categories)))
            if source.kind == "csv" and name in source.header:
                read_coded[name] = pl.Categorical(categories)  # the CSV reader codes it as it reads
                code = pl.col(name)
            else:
                code = text.cast(pl.Categorical(categories))
            empty = empty_code(categories.physical())
            columns.append(code.to_physical().fill_null(empty).alias(name))
            own = field_checks(spec, number, pl.String, folder=folder)
            coded[name] = (spec, categories, own)
        checks += own
    if source.kind == "csv":
        columns.append(pl.col(EXTRA).is_not_null().alias(EXTRA_FLAG))
    lazy = source.lazy([f["name"] for f in schema["fields"] if f.get("type") != "geometry"], read_coded)
    # The streaming engine returns many chunks; one contiguous buffer per column makes every later
    # to_numpy() a view instead of a copy. Column by column, so that only one column is ever held twice.
    frame = _rechunked(lazy.with_columns(**values).select(columns).collect(engine="streaming"))
    domains = {
        name: _domain(spec, categories, own, frame[name].dtype) for name, (spec, categories, own) in coded.items()
    }
    return Scan(table, path, source, schema, frame, domains, checks, keep)


def _rechunked(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each column in one buffer, each column's chunks let go as soon as it is copied."""
    if all(s.n_chunks() == 1 for s in frame.iter_columns()):
        return frame
    columns = frame.get_columns()
    del frame
    out = []
    while columns:
        out.append(columns.pop(0).rechunk())
    return pl.DataFrame(out)


def _domain(spec: dict[str, Any], categories: pl.Categories, checks: list[CellCheck], codes: PolarsDataType) -> Domain:
    """Type and check every distinct value of a coded column, and the empty cell."""
    values = categories.to_series().cast(pl.String)
    wide = codes == pl.UInt32
    empty = len(values) if wide else empty_code(codes)
    padded = pl.concat([values, pl.Series([None] * (empty + 1 - len(values)), dtype=pl.String)])
    frame = pl.DataFrame({spec["name"]: padded})
    done = frame.select(typed(spec, pl.String).alias("_typed"), *[c.fails.alias(c.flag) for c in checks])
    flags = {c.flag: done[c.flag].to_numpy() for c in checks}
    for flag in flags.values():
        flag[len(values) : empty] = False  # codes no row has
    bad = np.zeros(empty + 1, dtype=bool)
    for flag in flags.values():
        bad |= flag
    return Domain(values, done["_typed"], flags, bad, empty, wide)


class Capped:
    """Findings with at most `limit` per rule and file; the rest are counted for a note."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.counts: Counter[tuple[str, str]] = Counter()
        self.findings: list[Finding] = []

    def add(self, finding: Finding) -> None:
        key = (finding.code, finding.path)
        self.counts[key] += 1
        if self.limit is None or self.counts[key] <= self.limit:
            self.findings.append(finding)

    def uncounted(self, code: str, path: str, count: int) -> None:
        """Findings beyond the limit that were counted where they were found but never made (Spark)."""
        self.counts[(code, path)] += count

    def notes(self) -> list[str]:
        return [
            f"{n - self.limit:,} more {code} findings in {path} are not listed (limit {self.limit:,} per rule "
            "and file); fix the ones listed and validate again."
            for (code, path), n in sorted(self.counts.items())
            if self.limit is not None and n > self.limit
        ]


def cell_findings(scan: Scan, profile: Profile, rows: np.ndarray, out: Capped) -> None:
    """A finding for every failing cell of the given rows: a blank row or extra cells, then each field's checks."""
    if len(rows) == 0:
        return
    picked = scan.frame[rows]
    blank = scan.blank_rows(picked)
    name = scan.path.rsplit("/", 1)[-1]
    index = {f: scan.index(f, rows) for f in scan.domains}
    per_row = {c.flag: picked[c.flag].to_numpy() for c in scan.checks if c.field not in scan.domains}
    extra = picked[EXTRA_FLAG].to_numpy() if EXTRA_FLAG in picked.columns else None
    for position, row in enumerate(rows.tolist()):
        line = scan.line(row)
        if blank[position]:
            out.add(profile.structure_rule("E017").finding(scan.path, line=line, resource=name, variant="blank_row"))
            continue
        if extra is not None and extra[position]:
            out.add(
                profile.structure_rule("E017").finding(
                    scan.path,
                    line=line,
                    column=len(scan.fields) + 1,
                    resource=name,
                    variant="extra_cells",
                    columns=len(scan.fields),
                )
            )
        for check in scan.checks:
            if check.field in scan.domains:
                failed = scan.domains[check.field].flags[check.flag][index[check.field][position]]
            else:
                failed = per_row[check.flag][position]
            if failed:
                out.add(cell_finding(profile, check, scan.path, line, scan.cell(row, check.field)))


def cell_finding(profile: Profile, check: CellCheck, path: str, line: int, value: str | None) -> Finding:
    """The finding of one failing cell, quoting `value` as written (None: empty)."""
    spec = check.spec
    kind = spec.get("type", "string")
    rule = profile.rule(check.rule) if "-" in check.rule else profile.structure_rule(check.rule)
    constraints = spec.get("constraints", {})
    return rule.finding(
        path,
        line=line,
        column=check.column,
        field=check.field,
        value=value,
        type=kind,
        format=FORMATS.get(kind, kind),
        description=spec.get("description", ""),
        allowed=", ".join(map(str, constraints.get("enum", []))),
        variant=rule.constraint_variant(check.constraint),
        constraint=check.constraint,
        limit=constraints.get(check.constraint),
        folder=check.folder,
        partition=f"{check.field}={check.folder}",
    )
