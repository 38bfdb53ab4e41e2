"""The small tables (substations, feeders) an import gathers from many native rows: one row per key.

The same feeder is named by every one of its line sections, and a substation by its feeders and by the
substation layer: rows with one key are merged, each column taking the first value given. A later row that
gives another value for a column already filled is a conflict, found at that row; the first value is kept.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from gridmod.imports.mapper import schema_types
from gridmod.imports.readers import ROW


@dataclass
class Origin:
    file: str
    row: int
    where_kind: str


@dataclass
class Conflict:
    table: str
    key: str
    column: str
    field: str  # the native field that gave the column
    value: Any
    kept: Any
    first: Origin
    at: Origin


@dataclass
class Dims:
    schemas: dict[str, dict[str, Any]]
    rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    origins: dict[str, dict[tuple[Any, ...], Origin]] = field(default_factory=lambda: defaultdict(dict))
    conflicts: list[Conflict] = field(default_factory=list)
    voltages: dict[str, Counter[float]] = field(default_factory=lambda: defaultdict(Counter))
    withheld: dict[str, set[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(set))

    def withhold(self, table: str, frame: pl.DataFrame) -> None:
        """Keys that refused native rows would have given; `refused` counts those no other row gave."""
        key_names = self.schemas[table]["primaryKey"]
        self.withheld[table].update(frame.select(key_names).unique().iter_rows())

    def refused(self, table: str) -> int:
        return len(self.withheld.get(table, set()) - set(self.rows.get(table, {})))

    def add(self, table: str, frame: pl.DataFrame, file: str, where_kind: str, fields: dict[str, str]) -> None:
        """Merge a batch's rows; `fields` names the native field each column comes from, for conflicts."""
        key_names = self.schemas[table]["primaryKey"]
        names = [f["name"] for f in self.schemas[table]["fields"]]
        rows, origins = self.rows[table], self.origins[table]
        for record in frame.unique(subset=names, maintain_order=True).iter_rows(named=True):
            key = tuple(record[k] for k in key_names)
            at = Origin(file, record[ROW], where_kind)
            if key not in rows:
                rows[key] = {n: record[n] for n in names}
                origins[key] = at
                continue
            kept = rows[key]
            for name in names:
                if record[name] is None:
                    continue
                if kept[name] is None:
                    kept[name] = record[name]
                elif kept[name] != record[name]:
                    self.conflicts.append(
                        Conflict(
                            table,
                            "/".join(map(str, key)),
                            name,
                            fields.get(name, name),
                            record[name],
                            kept[name],
                            origins[key],
                            at,
                        )
                    )

    def count_voltages(self, frame: pl.DataFrame) -> None:
        """Line sections' voltages per feeder, for feeders whose own nominal voltage is blank."""
        counts = frame.filter(pl.col("voltage_kv").is_not_null()).group_by("feeder_id", "voltage_kv").len()
        for feeder, voltage, n in counts.iter_rows():
            self.voltages[feeder][voltage] += n

    def frame(self, table: str) -> pl.DataFrame:
        types = schema_types(self.schemas[table])
        return pl.DataFrame(list(self.rows[table].values()), schema=types, orient="row")
