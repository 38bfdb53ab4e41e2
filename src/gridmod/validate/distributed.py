"""Large tables on Apache Spark: `gridmod validate --engine spark`, for when the statewide history of the
hourly profiles outgrows one machine.

The tables a profile's engine can check on Spark (gridmod.engines.Engine.distributed) are not read by the
streaming pass; Spark reads them and runs the same rules, taken from the same place: the checks of each field
are those of gridmod.validate.large.cells (same constraints, same order, same rule codes), each written here as
a Spark SQL expression with the same meaning (a lenient cast that accepts exactly the texts polars accepts, a
check per constraint), and a row is also checked for being blank or wider than its header. What needs many rows
(keys, completeness, foreign keys) is the engine's, on the rows this module leaves (e.g. gridmod.ica.spark).
Findings name the same file, line, column and value as the default engine's, so a filer cannot tell which
engine ran.

Lines. A CSV part is read as text, one row per physical line, and each line is parsed as CSV: a line's number is
exact on a cluster too, because the lines of each block Spark reads carry consecutive ids and the driver counts
the blocks of a file in order. A file in which some line holds an odd number of quote characters (a quoted cell
with a line break, or a quote never closed) is read as CSV records instead, each matched to the line it starts
on (a line that starts outside quotes starts a row, as for polars). Parquet has no lines: its findings give the
1-based row number, from Spark's row index.

Spark runs in local mode unless GRIDMOD_SPARK_MASTER names a cluster (e.g. spark://host:7077). It needs Java 17
or newer (Debian: openjdk-17-jre-headless). The driver reads each file's header, as the default engine does, so
the files must be at the same path for the driver and the executors (a shared or mounted file system).
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

import polars as pl

from gridmod.errors import SetupError
from gridmod.filing import Filing
from gridmod.findings import Checked
from gridmod.spec import Profile
from gridmod.validate.large import Part, open_part, table_file, table_parts, unreadable
from gridmod.validate.large.cells import DATE_FORM, FOLDER, CellCheck, field_checks
from gridmod.validate.large.source import Source
from gridmod.validate.large.stream import Capped, cell_finding

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

MASTER = "GRIDMOD_SPARK_MASTER"
# The texts polars' lenient casts accept (gridmod.validate.large.cells.typed), and no others: Java would also
# read " 12", "1d" or "0x1p3".
INTEGER = r"^[+-]?[0-9]+$"
NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
SEPARATOR, QUOTE = ",", '"'


@cache
def session() -> SparkSession:
    """The Spark session of this process: local mode on all cores, or the cluster GRIDMOD_SPARK_MASTER names."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SetupError(
            "--engine spark needs PySpark: pip install 'gridmod[spark]' (it also needs Java 17 or newer)."
        ) from exc
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise SetupError(
            "--engine spark needs Java 17 or newer, which this machine lacks (on Debian: apt-get "
            "install openjdk-17-jre-headless)."
        )
    # PySpark warns on import that it was tested with older pandas; gridmod hands it Arrow tables, not pandas.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    master = os.environ.get(MASTER, "local[*]")
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "true",
    }
    if master.startswith("local"):
        settings |= {
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.driver.host": "127.0.0.1",
            "spark.sql.shuffle.partitions": str(4 * (os.cpu_count() or 2)),
        }
    builder = SparkSession.builder.master(master).appName("gridmod validate")
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - the JVM did not start: Java too old or broken, named
        raise SetupError(f"Spark could not start on {master}: {str(exc).strip().splitlines()[0]}") from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@dataclass(frozen=True)
class SparkPart:
    """One file of a large table, as findings name it."""

    part: Part
    path: str  # repo-relative
    source: Source
    columns: dict[str, int | None]  # field -> 1-based column in the file (None: given by its folder name)
    header_lines: int  # lines the CSV header takes up


@dataclass
class SparkTable:
    """A large table on Spark: one row per data row of every part, with

    - `_part` (index into `parts`) and `_line` (the line a finding gives: CSV line, Parquet row number);
    - `_blank` and `_extra` (CSV: every cell empty; more cells than the header);
    - each field as filed (text for CSV, the stored type for Parquet), under its own name;
    - each field's typed value (null where empty or not valid), see `typed`.
    """

    name: str
    schema: dict[str, Any]
    parts: list[SparkPart]
    rows: DataFrame
    checks: list[CellCheck]  # in the order findings are made; their `fails` are polars', unused here

    @property
    def fields(self) -> list[str]:
        return [f["name"] for f in self.schema["fields"] if f.get("type") != "geometry"]

    def typed(self, name: str) -> Column:
        from pyspark.sql import functions as F  # noqa: N812

        return F.col(_typed_name(name))

    def text(self, name: str) -> Column:
        """The cell as written (a Parquet value written out as text); null where empty."""
        from pyspark.sql import functions as F  # noqa: N812

        return F.col(_quoted(name)).cast("string")


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _typed_name(name: str) -> str:
    return _quoted(f"{name}:typed")


@dataclass
class SparkTables:
    """What Spark leaves for the engine, as gridmod.validate.large.LargeTables has it for the streaming pass."""

    tables: dict[str, SparkTable]
    with_errors: set[str]
    unreadable: set[str]
    checked: Checked


def check_large_tables(filing: Filing, profile: Profile, names: list[str]) -> SparkTables:
    """Read the large tables `names` with Spark and report their header, shape and cell findings; a SetupError,
    in words, when Spark itself fails."""
    with spark_errors(", ".join(names)):
        return _check_large_tables(filing, profile, names)


@contextmanager
def spark_errors(what: str) -> Iterator[None]:
    """Spark's own failures (a file it cannot read, an executor lost) as a SetupError that says what to do,
    not as a Java stack trace."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        yield
    except (PySparkException, Py4JError) as exc:
        first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise SetupError(
            f"Spark could not check {what}: {first[:300]}. Validate without --engine spark to "
            "check the files on this machine."
        ) from exc


def _check_large_tables(filing: Filing, profile: Profile, names: list[str]) -> SparkTables:
    spark = session()
    out = Capped(profile.limits.get("max_findings_per_rule"))
    result = SparkTables({}, set(), set(), Checked())
    for name in names:
        before = len(out.findings)
        parts: list[SparkPart] = []
        readable = True
        for part in table_parts(filing, profile, name):
            source = open_part(filing, profile, name, part, out)
            if source is None:
                readable = False
                continue
            fields = [f["name"] for f in profile.schemas[name]["fields"]]
            held = source.columns(fields)
            parts.append(
                SparkPart(
                    part,
                    filing.rel_path(part.name),
                    source,
                    {f: held.index(f) + 1 if f in held else None for f in fields},
                    1 + sum(label.count("\n") for label in source.header),
                )
            )
        table = _read(spark, filing, profile, name, parts, out) if readable and parts else None
        if table is None:
            result.unreadable.add(name)
            continue
        rows = _cell_findings(table, profile, out)
        if rows == 0 and profile.table_spec(name).get("min_rows"):
            filed = table_file(filing, profile, name)
            description = profile.schemas[name].get("description", "")
            out.add(
                profile.structure_rule("E026").finding(
                    filing.rel_path(filed), line=1, resource=filed, description=description
                )
            )
            result.unreadable.add(name)
            continue
        result.tables[name] = table
        if any(f.severity == "error" for f in out.findings[before:]):
            result.with_errors.add(name)
    result.checked = Checked(list(out.findings), out.notes())
    return result


def _read(
    spark: SparkSession, filing: Filing, profile: Profile, name: str, parts: list[SparkPart], out: Capped
) -> SparkTable | None:
    """The rows of every part, typed; None (and the findings) when a part cannot be read."""
    from pyspark.sql import functions as F  # noqa: N812

    schema = profile.schemas[name]
    kinds = {p.source.kind for p in parts}
    frames: list[DataFrame] = []
    if kinds == {"parquet"}:
        frames = [_parquet(spark, parts, group) for group in _by_header(parts)]
    else:
        read = _CsvParts(spark, parts)
        for index, opened in read.unclosed.items():
            out.add(unreadable(filing, profile, parts[index].part, "", opened=opened))
        if read.unclosed:
            return None
        frames = [read.rows(group) for group in _by_header(parts)]
    rows = frames[0]
    for frame in frames[1:]:
        rows = rows.unionByName(frame, allowMissingColumns=True)
    fields = [f for f in schema["fields"] if f.get("type") != "geometry"]
    constants = _constants(parts, [f["name"] for f in fields])
    rows = rows.select(
        "_part",
        "_line",
        "_blank",
        "_extra",
        *[
            (constants[f["name"]] if f["name"] in constants else F.col(_quoted(f["name"]))).alias(f["name"])
            for f in fields
        ],
    )
    folders = _folders(parts, [f["name"] for f in fields])
    types = dict(rows.dtypes)
    rows = rows.select(
        "*",
        *[_typed(f, F.col(_quoted(f["name"])), types[f["name"]]).alias(f"{f['name']}:typed") for f in fields],
        *[
            expr
            for f in fields
            if f["name"] in folders
            for expr in (
                folders[f["name"]].alias(_folder_name(f["name"])),
                _typed(f, folders[f["name"]], "string").alias(_folder_name(f["name"], typed=True)),
            )
        ],
    )
    # A field some part holds although its folder name gives it gets the folder check (E064); the value it is
    # compared with is that part's (CellCheck.folder is set per part when a finding is made).
    checks = [
        check for f in fields for check in field_checks(f, None, pl.String, folder="" if f["name"] in folders else None)
    ]
    return SparkTable(name, schema, parts, rows, checks)


def _folders(parts: list[SparkPart], fields: list[str]) -> dict[str, Column]:
    """For each field some part holds itself although its folder names give it a value: that value per row
    (null in the other parts), for E064."""
    from pyspark.sql import functions as F  # noqa: N812

    out: dict[str, Column] = {}
    for name in fields:
        given = {
            i: p.part.constants[name]
            for i, p in enumerate(parts)
            if name in p.part.constants and name in p.source.header
        }
        if given:
            pairs = [F.lit(x) for i, value in given.items() for x in (i, value)]
            out[name] = F.element_at(F.create_map(*pairs), F.col("_part"))
    return out


def _folder_name(name: str, typed: bool = False) -> str:
    return f"{name}:folder{':typed' if typed else ''}"


def _by_header(parts: list[SparkPart]) -> list[list[int]]:
    """Indices of the parts, grouped by their header (parts may leave out columns their folder names give)."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, part in enumerate(parts):
        groups.setdefault(tuple(part.source.header), []).append(index)
    return list(groups.values())


def _constants(parts: list[SparkPart], fields: list[str]) -> dict[str, Column]:
    """For each field some part takes from its folder names: its value per row (null where the file has it)."""
    from pyspark.sql import functions as F  # noqa: N812

    out: dict[str, Column] = {}
    for name in fields:
        given = {
            i: p.part.constants[name]
            for i, p in enumerate(parts)
            if name in p.part.constants and name not in p.source.header
        }
        if not given:
            continue
        pairs = [F.lit(x) for i, value in given.items() for x in (i, value)]
        from_folder = F.element_at(F.create_map(*pairs), F.col("_part"))
        held = len(given) < len(parts)
        out[name] = F.coalesce(F.col(_quoted(name)), from_folder) if held else from_folder
    return out


def _file_index(parts: list[SparkPart], indices: list[int]) -> dict[str, int]:
    return {parts[i].part.path.resolve().as_posix(): i for i in indices}


def _spark_path(path: Path) -> str:
    """A path as Spark reads it literally: Hadoop reads *, ?, [, ], { and } in a path as a glob, and a part
    may be named part[1].csv."""
    return re.sub(r"([\\*?\[\]{}])", r"\\\1", path.as_posix())


def _local(uri: str) -> str:
    """A path as Spark's file metadata gives it (file:/a/b%20c) back as a path (/a/b c)."""
    return Path(unquote(urlparse(uri).path)).resolve().as_posix()


def _parquet(spark: SparkSession, parts: list[SparkPart], group: list[int]) -> DataFrame:
    from pyspark.sql import functions as F  # noqa: N812

    files = _file_index(parts, group)
    frame = spark.read.parquet(*[_spark_path(parts[i].part.path) for i in group])
    held = list(parts[group[0]].source.header)
    uris = [r[0] for r in frame.select("_metadata.file_path").distinct().collect()]
    index = F.create_map(*[F.lit(x) for uri in uris for x in (uri, files[_local(uri)])])
    return frame.select(
        *[F.col(_quoted(n)) for n in held],
        F.element_at(index, F.col("_metadata.file_path")).alias("_part"),
        (F.col("_metadata.row_index") + 1).alias("_line"),
        F.lit(False).alias("_blank"),
        F.lit(False).alias("_extra"),
    )


class _CsvParts:
    """The CSV parts of a table read as numbered lines: one scan, then a row per line that starts a row."""

    def __init__(self, spark: SparkSession, parts: list[SparkPart]) -> None:
        from pyspark.sql import Window
        from pyspark.sql import functions as F  # noqa: N812

        self.spark, self.parts = spark, parts
        files = _file_index(parts, list(range(len(parts))))
        raw = spark.read.text([_spark_path(p.part.path) for p in parts]).select(
            "value",
            F.col("_metadata.file_path").alias("_file"),
            F.col("_metadata.file_block_start").alias("_block"),
            F.monotonically_increasing_id().alias("_id"),
        )
        odd = ((F.length("value") - F.length(F.regexp_replace("value", QUOTE, ""))) % 2).cast("int")
        blocks = (
            raw.groupBy("_file", "_block")
            .agg(F.min("_id").alias("first"), F.count("*").alias("n"), F.max(odd).alias("odd"))
            .collect()
        )
        # The lines of a file's blocks, counted in block order: line = id + shift.
        shifts, counted, self.odd = [], Counter[int](), set()
        for block in sorted(blocks, key=lambda b: (b["_file"], b["_block"])):
            index = files[_local(block["_file"])]
            shifts.append((block["_file"], block["_block"], counted[index] + 1 - block["first"], index))
            counted[index] += block["n"]
            if block["odd"]:
                self.odd.add(index)
        table = spark.createDataFrame(shifts, "_file string, _block long, shift long, _part int")
        lines = raw.join(F.broadcast(table), ["_file", "_block"]).select(
            "value", "_part", (F.col("_id") + F.col("shift")).alias("_line")
        )
        self.lines = lines
        self.unclosed: dict[int, int] = {}
        self.starts: DataFrame | None = None
        if self.odd:
            # Which lines start a row: those that begin outside a quoted cell (an even number of quotes before).
            ordered = Window.partitionBy("_part").orderBy("_line")
            flipped = (
                lines.filter(F.col("_part").isin(sorted(self.odd)))
                .withColumn("odd", odd)
                .withColumn(
                    "before",
                    F.coalesce(F.sum("odd").over(ordered.rowsBetween(Window.unboundedPreceding, -1)), F.lit(0)) % 2,
                )
            )
            header = F.element_at(
                F.create_map(*[F.lit(x) for i in self.odd for x in (i, parts[i].header_lines)]), F.col("_part")
            )
            ends = (
                flipped.groupBy("_part")
                .agg(
                    (F.sum("odd") % 2).alias("open"),
                    F.max(F.when((F.col("before") == 0) & (F.col("odd") == 1), F.col("_line"))).alias("opened"),
                )
                .collect()
            )
            self.unclosed = {r["_part"]: r["opened"] for r in ends if r["open"]}
            self.starts = flipped.filter((F.col("before") == 0) & (F.col("_line") > header))

    def rows(self, group: list[int]) -> DataFrame:
        """The rows of the parts `group` (one header): text cells, blank and extra flags."""
        from pyspark.sql import functions as F  # noqa: N812

        header = self.parts[group[0]].source.header
        ddl = ", ".join(f"{_quoted(n)} STRING" for n in header)
        plain = [i for i in group if i not in self.odd]
        frames = []
        if plain:
            lines = self.lines.filter(F.col("_part").isin(plain) & (F.col("_line") > 1))
            parsed = F.from_csv("value", ddl, {"mode": "PERMISSIVE", "escape": QUOTE})
            frames.append(
                lines.select(
                    "_part",
                    "_line",
                    (F.col("value") == "").alias("_blank"),
                    (_separators(F.col("value")) > len(header) - 1).alias("_extra"),
                    parsed.alias("cells"),
                ).select("_part", "_line", "_blank", "_extra", "cells.*")
            )
        quoted = [i for i in group if i in self.odd]
        if quoted:
            frames.append(self._records(quoted, header, ddl))
        rows = frames[0].unionByName(frames[1]) if len(frames) > 1 else frames[0]
        # An empty cell is missing whether it is written as nothing or as "" (Spark reads "" as a text).
        return rows.withColumns({n: F.when(F.col(_quoted(n)) == "", None).otherwise(F.col(_quoted(n))) for n in header})

    def _records(self, group: list[int], header: list[str], ddl: str) -> DataFrame:
        """Parts with a quoted line break: CSV records in file order, matched by position to the lines that
        start a row and are not blank (Spark's CSV reader skips blank lines; polars reads them as rows)."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F  # noqa: N812

        assert self.starts is not None
        files = _file_index(self.parts, group)
        records = (
            self.spark.read.options(
                header=True, multiLine=True, escape=QUOTE, mode="PERMISSIVE", columnNameOfCorruptRecord="_corrupt"
            )
            .schema(f"{ddl}, _corrupt STRING")
            .csv([_spark_path(self.parts[i].part.path) for i in group])
            .select("*", F.col("_metadata.file_path").alias("_file"), F.monotonically_increasing_id().alias("_id"))
        )
        firsts = records.groupBy("_file").agg(F.min("_id").alias("first")).collect()
        shift = self.spark.createDataFrame(
            [(r["_file"], files[_local(r["_file"])], 1 - r["first"]) for r in firsts],
            "_file string, _part int, shift long",
        )
        numbered = records.join(F.broadcast(shift), "_file").select(
            "*", (F.col("_id") + F.col("shift")).alias("_record")
        )
        starts = self.starts.filter(F.col("_part").isin(group))
        filled = starts.filter(F.col("value") != "").withColumn(
            "_record", F.row_number().over(Window.partitionBy("_part").orderBy("_line"))
        )
        cells = [F.col(_quoted(n)) for n in header]
        joined = filled.join(numbered.drop("_file", "_id", "shift"), ["_part", "_record"], "left").select(
            "_part",
            "_line",
            F.lit(False).alias("_blank"),
            F.coalesce(_separators(F.col("_corrupt")) > len(header) - 1, F.lit(False)).alias("_extra"),
            *cells,
        )
        blank = starts.filter(F.col("value") == "").select(
            "_part",
            "_line",
            F.lit(True).alias("_blank"),
            F.lit(False).alias("_extra"),
            *[F.lit(None).cast("string").alias(n) for n in header],
        )
        return joined.unionByName(blank)


def _separators(text: Column) -> Column:
    """Separators outside quoted cells (a doubled quote inside a quoted cell closes and reopens it)."""
    from pyspark.sql import functions as F  # noqa: N812

    bare = F.regexp_replace(text, '"[^"]*"', "")
    return F.length(bare) - F.length(F.regexp_replace(bare, SEPARATOR, ""))


def _typed(spec: dict[str, Any], col: Column, stored: str) -> Column:
    """The field's value in its schema type, null where empty or not valid: gridmod.validate.large.cells.typed
    in Spark SQL. `stored` is the column's Spark type (string for CSV)."""
    from pyspark.sql import functions as F  # noqa: N812

    kind = spec.get("type", "string")
    text = col.cast("string")
    if kind == "string":
        enum = spec.get("constraints", {}).get("enum")
        return F.when(text.isin(enum), text) if enum else text
    if kind == "integer":
        if stored in ("tinyint", "smallint", "int", "bigint"):
            return col.cast("bigint")
        return F.when(text.rlike(INTEGER), text.try_cast("bigint"))
    if kind == "number":
        numeric = stored in ("tinyint", "smallint", "int", "bigint", "float", "double") or stored.startswith("decimal")
        value = col.cast("double") if numeric else F.when(text.rlike(NUMBER), text.try_cast("double"))
        return F.when(~F.isnan(value) & (F.abs(value) != float("inf")), value)
    if kind == "date":
        if stored == "date":
            return col
        return F.when(text.rlike(DATE_FORM), F.try_to_date(text, "yyyy-MM-dd"))
    if kind == "boolean":
        if stored == "boolean":
            return col
        return F.when(text == "true", F.lit(True)).when(text == "false", F.lit(False))
    raise ValueError(f"Table Schema type {kind!r} is not supported for large tables")


def _fails(check: CellCheck, table: SparkTable) -> Column:
    """Where a cell breaks the check: the constraint of gridmod.validate.large.cells.field_checks in Spark SQL."""
    from pyspark.sql import functions as F  # noqa: N812

    raw, value, text = F.col(_quoted(check.field)), table.typed(check.field), table.text(check.field)
    constraints = check.spec.get("constraints", {})
    limit = constraints.get(check.constraint)
    fails = {
        "required": lambda: raw.isNull(),
        "type": lambda: raw.isNotNull() & value.isNull(),
        "enum": lambda: raw.isNotNull() & value.isNull(),
        # \\z, not $: Java's $ also matches before a final line break, polars' (Rust's) does not.
        "pattern": lambda: ~text.rlike(f"^(?:{constraints.get('pattern')})\\z"),
        "minimum": lambda: value < F.lit(limit),
        "maximum": lambda: value > F.lit(limit),
        "minLength": lambda: F.length(text) < F.lit(limit),
        "maxLength": lambda: F.length(text) > F.lit(limit),
        # As gridmod.validate.large.cells.folder_value: compared in the field's type, or as text where the folder's
        # value does not parse as that type.
        FOLDER: lambda: (
            raw.isNotNull()
            & F.col(_quoted(_folder_name(check.field))).isNotNull()
            & ~(
                text == F.col(_quoted(_folder_name(check.field)))
                if check.spec.get("type", "string") == "string"
                else F.coalesce(
                    value == F.col(_quoted(_folder_name(check.field, True))),
                    text == F.col(_quoted(_folder_name(check.field))),
                )
            )
        ),
    }[check.constraint]()
    return F.coalesce(fails, F.lit(False)) & ~F.col("_blank")


def _cell_findings(table: SparkTable, profile: Profile, out: Capped) -> int:
    """The blank, wide and failing cells of every part, as the default engine reports them (the first
    findings of each rule and file up to the profile's limit, the rest counted); the number of rows."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    flags = {"_blank": F.col("_blank"), "_extra": F.col("_extra") & ~F.col("_blank")}
    flags |= {f"_check{i}": _fails(check, table) for i, check in enumerate(table.checks)}
    texts = sorted({c.field for c in table.checks})
    failing = table.rows.select(
        "_part", "_line", *[e.alias(n) for n, e in flags.items()], *[table.text(n).alias(n) for n in texts]
    )
    totals = (
        failing.groupBy("_part")
        .agg(F.count("*").alias("_rows"), *[F.sum(F.col(n).cast("long")).alias(n) for n in flags])
        .collect()
    )
    rows = sum(r["_rows"] for r in totals)
    if all(not r[n] for r in totals for n in flags):
        return rows
    limit = out.limit
    failing = failing.filter(F.greatest(*[F.col(n) for n in flags]))
    if limit is not None:  # only the first `limit` rows of each check and part are ever listed
        before = Window.partitionBy("_part").orderBy("_line").rowsBetween(Window.unboundedPreceding, 0)
        ranked = failing.select("*", *[F.sum(F.col(n).cast("int")).over(before).alias(f"{n}:rank") for n in flags])
        failing = ranked.filter(F.greatest(*[F.col(n) & (F.col(f"{n}:rank") <= limit) for n in flags]))
    made: Counter[tuple[str, str]] = Counter()
    e017 = profile.structure_rule("E017")
    for row in sorted(failing.collect(), key=lambda r: (r["_part"], r["_line"])):
        part = table.parts[row["_part"]]
        name = part.path.rsplit("/", 1)[-1]
        found = []
        if row["_blank"]:
            found.append(e017.finding(part.path, line=row["_line"], resource=name, variant="blank_row"))
        else:
            if row["_extra"]:
                found.append(
                    e017.finding(
                        part.path,
                        line=row["_line"],
                        column=len(table.fields) + 1,
                        resource=name,
                        variant="extra_cells",
                        columns=len(table.fields),
                    )
                )
            for i, check in enumerate(table.checks):
                if row[f"_check{i}"]:
                    placed = replace(check, column=part.columns[check.field])
                    if check.constraint == FOLDER:
                        placed = replace(placed, folder=part.part.constants[check.field])
                    found.append(cell_finding(profile, placed, part.path, row["_line"], row[check.field]))
        for finding in found:
            out.add(finding)
            made[(finding.code, finding.path)] += 1
    codes = {"_blank": e017.code, "_extra": e017.code}
    codes |= {f"_check{i}": _code(profile, c) for i, c in enumerate(table.checks)}
    for total in totals:
        path = table.parts[total["_part"]].path
        counted = Counter[str]()
        for flag, code in codes.items():
            counted[code] += total[flag] or 0
        for code, n in counted.items():
            if n > made[(code, path)]:
                out.uncounted(code, path, n - made[(code, path)])
    return rows


def _code(profile: Profile, check: CellCheck) -> str:
    return profile.rule(check.rule).code if "-" in check.rule else profile.structure_rule(check.rule).code
