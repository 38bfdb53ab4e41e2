"""One batch of a native layer mapped into rows of the profile's tables, and the cells that would not map.

A native row with any value that cannot be mapped is refused as a whole: none of the rows it would give
(its results, its line section, its feeder) is written, and each such value is a problem at its row and
field. A required column left empty (the profile's Table Schema says which) is a problem too, unless the
mapping names a fallback that the end of the import fills in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from gridmod.imports import geometry
from gridmod.imports.keys import Keys
from gridmod.imports.mapping import Column, Mapping, SourceMap, TableMap
from gridmod.imports.readers import GEOMETRY, ROW, Layer
from gridmod.imports.values import Parsed, as_text, map_code, parse_date, parse_integer, parse_number, parse_numbers

TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "number": pl.Float64(),
    "integer": pl.Int64(),
    "date": pl.Date(),
    "geometry": pl.Binary(),
    "boolean": pl.Boolean(),
}


@dataclass(frozen=True)
class Problem:
    """Cells of one column that would not map: their rows, native fields, shown values and the problem."""

    problem: str
    field: str
    rows: pl.Series
    values: pl.Series
    params: dict[str, Any]


@dataclass
class Mapped:
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    refused: pl.Series | None = None  # Boolean per native row
    withheld: dict[str, pl.DataFrame] = field(default_factory=dict)  # the rows refused rows would have given


def schema_types(schema: dict[str, Any]) -> dict[str, pl.DataType]:
    return {f["name"]: TYPES.get(f.get("type", "string"), pl.String()) for f in schema["fields"]}


def required(schema: dict[str, Any]) -> set[str]:
    return {f["name"] for f in schema["fields"] if (f.get("constraints") or {}).get("required")}


class BatchMapper:
    """Maps the batches of one layer; `schemas` are the profile's Table Schemas."""

    def __init__(
        self,
        mapping: Mapping,
        source: SourceMap,
        layer: Layer,
        keys: Keys,
        schemas: dict[str, dict[str, Any]],
        lookups: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.mapping, self.source, self.layer, self.keys, self.schemas = mapping, source, layer, keys, schemas
        self.lookups = lookups or {}  # lookup source -> native key -> value (the layers read so far)

    def _start(self, batch: pl.DataFrame) -> None:
        self._cache: dict[tuple[Any, ...], Parsed] = {}
        self._reported: set[tuple[str, str]] = set()
        self._batch = batch

    def lookup(self, batch: pl.DataFrame) -> tuple[dict[str, Any], Mapped]:
        """A batch of a lookup layer: native key (its key fields joined by /) -> value, and the problems of
        its values (those rows give no value)."""
        assert self.source.lookup is not None
        self._start(batch)
        out = Mapped()
        fields, column = self.source.lookup
        values = self._checked(column, self.source.name, set(), out.problems)
        key = pl.select(pl.concat_str([as_text(batch[f]).values for f in fields], separator="/")).to_series()
        refused = pl.Series([False] * batch.height)
        for problem in out.problems:
            refused = refused | batch[ROW].is_in(problem.rows.implode())
        out.refused = refused
        pairs = pl.DataFrame({"key": key, "value": values}).filter(~refused & pl.col("key").is_not_null())
        return dict(pairs.iter_rows()), out

    def map(self, batch: pl.DataFrame) -> Mapped:
        self._start(batch)
        out = Mapped()
        refused = pl.Series([False] * batch.height)
        for table in self.tables():
            frame, problems = self._table(table)
            out.tables[table.table] = frame
            out.problems.extend(problems)
        for problem in out.problems:
            refused = refused | batch[ROW].is_in(problem.rows.implode())
        out.refused = refused
        keep = batch.filter(~refused)[ROW].implode()
        out.withheld = {name: frame.filter(~pl.col(ROW).is_in(keep)) for name, frame in out.tables.items()}
        out.tables = {name: frame.filter(pl.col(ROW).is_in(keep)) for name, frame in out.tables.items()}
        return out

    def tables(self) -> list[TableMap]:
        """The tables this layer fills: not one whose required geometry a layer without geometry (a CSV
        export) cannot give."""
        return [
            t
            for t in self.source.tables
            if self.layer.has_geometry
            or not any(c.kind == "geometry" and c.name in required(self.schemas[t.table]) for c in t.columns)
        ]

    def _table(self, table: TableMap) -> tuple[pl.DataFrame, list[Problem]]:
        schema = self.schemas[table.table]
        types = schema_types(schema)
        needed = required(schema)
        problems: list[Problem] = []
        common = {c.name: self._checked(c, table.table, needed, problems) for c in table.columns}
        if table.wide is not None:
            frame = self._wide(table, common, problems)
        else:
            frames = []
            for row in table.rows or ((),):
                values = dict(common)
                values.update({c.name: self._checked(c, table.table, needed, problems) for c in row})
                frames.append(self._frame(values, types))
            frame = pl.concat(frames, how="vertical")
        return frame, problems

    def _frame(self, values: dict[str, pl.Series], types: dict[str, pl.DataType]) -> pl.DataFrame:
        n = self._batch.height
        columns = {
            name: (values[name].cast(kind).alias(name) if name in values else pl.Series(name, [None] * n, dtype=kind))
            for name, kind in types.items()
        }
        return pl.DataFrame({**columns, ROW: self._batch[ROW]})

    def _wide(self, table: TableMap, common: dict[str, pl.Series], problems: list[Problem]) -> pl.DataFrame:
        """Month-hour columns to rows: one per native row, month and hour, holding the value in `value`."""
        spec = table.wide or {}
        schema = self.schemas[table.table]
        types = schema_types(schema)
        ranges = {
            f["name"]: (f["constraints"]["minimum"], f["constraints"]["maximum"])
            for f in schema["fields"]
            if f["name"] in ("month", "hour")
        }
        value_name, unit = str(spec["value"]), str(spec.get("unit", "kW"))
        slots = wide_fields(spec["fields"], ranges)
        values = {}
        names = [name for _, _, name in slots]
        for name, parsed in zip(names, parse_numbers(self._batch, names, unit, self.mapping.units), strict=True):
            self._problems(parsed, name, problems)
            values[name] = parsed.values
        ids = {name: series.alias(name) for name, series in common.items()}
        wide = pl.DataFrame({**ids, ROW: self._batch[ROW], **values})
        long = wide.unpivot(index=[*ids, ROW], on=list(values), variable_name="__slot", value_name=value_name)
        month = {name: m for m, _, name in slots}
        hour = {name: h for _, h, name in slots}
        long = long.with_columns(
            pl.col("__slot").replace_strict(month, return_dtype=pl.Int64).alias("month"),
            pl.col("__slot").replace_strict(hour, return_dtype=pl.Int64).alias("hour"),
        )
        return long.select(
            [
                (pl.col(name).cast(kind) if name in long.columns else pl.lit(None, dtype=kind)).alias(name)
                for name, kind in types.items()
            ]
            + [pl.col(ROW)]
        )

    def _checked(self, column: Column, table: str, needed: set[str], problems: list[Problem]) -> pl.Series:
        parsed = self._parse(column)
        problem = parsed.problems
        if column.name in needed and "fallback" not in column.options:
            empty = "empty_key" if column.kind == "key" else "empty_required"
            problem = pl.select(
                pl.when(problem.is_null() & parsed.values.is_null()).then(pl.lit(empty)).otherwise(problem)
            ).to_series()
        shown_field = "/".join(column.fields) or ("geometry" if column.kind in ("geometry", "point") else column.name)
        self._problems(
            Parsed(parsed.values, problem, parsed.shown),
            shown_field,
            problems,
            table=table,
            column=column.name,
            codes=column.options.get("codes"),
            kind=column.options.get("key"),
            format=column.options.get("format"),
        )
        return parsed.values

    def _problems(self, parsed: Parsed, field_name: str, problems: list[Problem], **params: Any) -> None:
        failing = parsed.problems.is_not_null()
        if not failing.any():
            return
        rows = self._batch[ROW].filter(failing)
        if parsed.shown is not None:
            shown = parsed.shown.filter(failing)
        else:
            cells = [as_text(self._batch[f]).values for f in field_name.split("/") if f in self._batch.columns]
            joined = pl.select(pl.concat_str(cells, separator="/")).to_series() if cells else None
            shown = joined.filter(failing) if joined is not None else pl.Series([None] * len(rows), dtype=pl.String)
        kinds = parsed.problems.filter(failing)
        for kind in kinds.unique(maintain_order=True).to_list():
            if (field_name, kind) in self._reported:
                continue
            self._reported.add((field_name, kind))
            pick = kinds == kind
            problems.append(Problem(kind, field_name, rows.filter(pick), shown.filter(pick), params))

    def _parse(self, column: Column) -> Parsed:
        key = (
            column.kind,
            column.fields,
            tuple(sorted((k, str(v)) for k, v in column.options.items() if k != "fallback")),
        )
        if key not in self._cache:
            self._cache[key] = self._compute(column)
        return self._cache[key]

    def _compute(self, column: Column) -> Parsed:
        batch, opts = self._batch, column.options
        cells = [batch[f] for f in column.fields]
        n = batch.height
        if column.kind == "value":
            return Parsed(pl.Series(column.name, [opts["value"]] * n), pl.Series([None] * n, dtype=pl.String))
        if column.kind == "geometry":
            return geometry.lines(batch[GEOMETRY] if GEOMETRY in batch.columns else None, self.layer.crs, n)
        if column.kind == "point":
            return geometry.points(
                batch[GEOMETRY] if GEOMETRY in batch.columns else None, self.layer.crs, str(opts["point"]), n
            )
        if column.kind == "text":
            return as_text(cells[0])
        if column.kind == "join":
            texts = [as_text(c).values for c in cells]
            joined = pl.select(pl.concat_str(texts, separator=str(opts.get("with", "/")))).to_series()
            return Parsed(joined, pl.Series([None] * n, dtype=pl.String))
        if column.kind == "number":
            return parse_number(cells[0], str(opts.get("unit", "kW")), self.mapping.units)
        if column.kind == "integer":
            return parse_integer(cells[0])
        if column.kind == "date":
            return parse_date(cells[0], str(opts.get("format", "iso")))
        if column.kind == "code":
            return map_code(cells[0], self.mapping.codes[str(opts["codes"])], opts.get("part"))
        if column.kind == "lookup":
            return self._looked_up(column)
        return self._key(column)

    def _looked_up(self, column: Column) -> Parsed:
        """The value a lookup layer gives this row's key; `otherwise` where the layer was read but has no
        row for it (SCE's Non-3 Phase layer lists only segments with fewer phases than three), empty where the
        layer was not imported."""
        n = self._batch.height
        none = pl.Series([None] * n, dtype=pl.String)
        name = str(column.options["lookup"])
        if name not in self.lookups:
            return Parsed(none, none)
        key = pl.select(
            pl.concat_str([as_text(self._batch[f]).values for f in column.fields], separator="/")
        ).to_series()
        table = self.lookups[name]
        return Parsed(key.replace_strict(table, default=column.options.get("otherwise")), none)

    def _key(self, column: Column) -> Parsed:
        kind = str(column.options["key"])
        rule = self.mapping.keys[kind]
        unique = rule.get("unique_by")
        feeder = next(
            (c for t in self.source.tables for c in t.columns if c.kind == "key" and c.options["key"] == "feeder"), None
        )
        if unique and feeder is not None and unique in self._batch.columns:
            return self.keys.make(
                kind, [self._batch[f] for f in column.fields], self._batch[feeder.fields[0]], self._batch[unique]
            )
        return self.keys.make(kind, [self._batch[f] for f in column.fields])


def wide_fields(pattern: str, ranges: dict[str, tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(month, hour, native field) of every month-hour column, e.g. gica_01_00 ... gica_12_23."""
    months, hours = ranges.get("month", (1, 12)), ranges.get("hour", (0, 23))
    return [
        (m, h, pattern.format(month=m, hour=h))
        for m in range(months[0], months[1] + 1)
        for h in range(hours[0], hours[1] + 1)
    ]
