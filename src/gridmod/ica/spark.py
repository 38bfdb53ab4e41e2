"""The hourly profiles' rules on Spark (`gridmod validate --engine spark`).

The same rules as gridmod.ica.hourly, for a table too large for one machine: repeated keys (within a part, and
across parts with the first row's part named), profiles without all 576 slots (ICA-E121), line sections the
results lack (ICA-E122) and profiles whose largest value looks like MW (ICA-X123), each found by a Spark
aggregation over the rows gridmod.validate.distributed has read and typed. A key is the key as the default
engine compares it: feeder and section as written, kind, load day, month and hour as typed values. Only the
findings the profile's limit lets through are brought to the driver; the rest are counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from gridmod.ica.context import IcaContext
from gridmod.ica.hourly import KEY, Hourly, describe_slots
from gridmod.ica.scope import Scope, report_missing
from gridmod.validate.distributed import SparkTable, session, spark_errors
from gridmod.validate.large.stream import Capped

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

PROFILE = ["feeder", "section", "kind"]


def check_hourly_spark(
    ctx: IcaContext, table: SparkTable, sections: pl.DataFrame | None, out: Capped, scope: Scope | None = None
) -> Hourly:
    """Key, completeness, foreign-key and unit findings of the hourly table on Spark; `sections` (feeder,
    section) from the results, if usable."""
    from pyspark import StorageLevel

    with spark_errors(f"the hourly profiles ({ctx.file_name('hourly')})"):
        # The keyed rows feed the repeated keys, the profiles and the missing slots: kept (spilled to disk
        # where they do not fit), so the files are read and parsed once for all three, not three times.
        keyed = _keyed(ctx, table).persist(StorageLevel.MEMORY_AND_DISK)
        try:
            return _rules(ctx, table, keyed, sections, out, scope)
        finally:
            keyed.unpersist()


def _rules(
    ctx: IcaContext,
    table: SparkTable,
    keyed: DataFrame,
    sections: pl.DataFrame | None,
    out: Capped,
    scope: Scope | None,
) -> Hourly:
    from pyspark.sql import functions as F  # noqa: N812

    slots = ctx.profile.meta.get("hourly_slots", 576)
    before = len(out.findings)
    _duplicates(ctx, table, keyed, out)
    profiles = keyed.groupBy(*PROFILE).agg(
        F.min(F.struct("_part", "_line")).alias("first"),
        F.count("*").alias("rows"),
        F.countDistinct("slot").alias("slots"),
        F.max(F.when(F.col("value") > 0, F.col("value"))).alias("largest"),
    )
    profiles = profiles.select(
        *PROFILE, "rows", "slots", "largest", F.col("first._part").alias("_part"), F.col("first._line").alias("_line")
    ).persist()
    try:
        incomplete = _listed(
            profiles.filter(F.col("slots") < slots), out.limit, ctx.profile.rule("ICA-E121").code, table, out
        )
        if incomplete:
            _missing(ctx, table, keyed, incomplete, slots, out)
        notes = []
        if sections is None:
            notes.append(
                f"The hourly profiles were not matched with the results ({ctx.file_name('results')} has "
                "errors or is missing)."
            )
        else:
            known = session().createDataFrame(sections.to_arrow())
            orphans = profiles.join(
                F.broadcast(known) if sections.height < 2_000_000 else known, ["feeder", "section"], "left_anti"
            )
            e122 = ctx.profile.rule("ICA-E122")
            for row in _listed(orphans, out.limit, e122.code, table, out):
                part = table.parts[row["_part"]]
                out.add(
                    e122.finding(
                        part.path,
                        line=row["_line"],
                        column=part.columns["section_id"],
                        field="section_id",
                        value=row["section"],
                        key=f"{row['feeder']}/{row['section']}",
                        rows=row["rows"],
                    )
                )
        if scope is not None:
            _scope(ctx, scope, profiles, out)
        limit = ctx.thresholds["mw_suspect_below_kw"]
        x123 = ctx.profile.rule("ICA-X123")
        for row in _listed(profiles.filter(F.col("largest") < limit), out.limit, x123.code, table, out):
            part = table.parts[row["_part"]]
            out.add(
                x123.finding(
                    part.path,
                    line=row["_line"],
                    column=part.columns["value_kw"],
                    field="value_kw",
                    value=round(float(row["largest"]), 4),
                    key=_key(row),
                    limit=limit,
                )
            )
    finally:
        profiles.unpersist()
    clean = not any(f.severity == "error" for f in out.findings[before:])
    return Hourly(clean, notes)


def _scope(ctx: IcaContext, scope: Scope, profiles: DataFrame, out: Capped) -> None:
    """ICA-E124 for the required profiles the hourly table lacks."""
    required = pl.DataFrame(
        {
            "feeder": [f for f in scope.feeders for _ in scope.kinds],
            "section": [s for s in scope.sections for _ in scope.kinds],
            "kind": [k for _ in scope.sections for _, k in scope.kinds],
        }
    ).with_row_index("at")
    wanted = session().createDataFrame(required.with_columns(pl.col("at").cast(pl.Int64)).to_arrow())
    absent = wanted.join(profiles.select(*PROFILE), PROFILE, "left_anti").select("at")
    missing = np.zeros(required.height, dtype=bool)
    missing[[r["at"] for r in absent.collect()]] = True
    report_missing(ctx, scope, missing, out)


def _key(row: dict) -> str:
    return f"{row['feeder']}/{row['section']}/{row['kind']}"


def _position(values: list[str], column: Column) -> Column:
    """0-based position of a typed enum value in the schema's list."""
    from pyspark.sql import functions as F  # noqa: N812

    return F.array_position(F.array(*[F.lit(v) for v in values]), column) - 1


def _keyed(ctx: IcaContext, table: SparkTable) -> DataFrame:
    """The rows whose key cells all parse: profile, slot 0..575, value, and each key cell as written."""

    enums = {f["name"]: f.get("constraints", {}).get("enum", []) for f in ctx.profile.schemas["hourly"]["fields"]}
    month, hour = table.typed("month"), table.typed("hour")
    day = _position(enums["day_type"], table.typed("day_type"))
    valid = (
        table.text("feeder_id").isNotNull()
        & table.text("section_id").isNotNull()
        & table.typed("kind").isNotNull()
        & day.between(0, 1)
        & month.between(1, 12)
        & hour.between(0, 23)
    )
    return table.rows.filter(valid).select(
        "_part",
        "_line",
        table.text("feeder_id").alias("feeder"),
        table.text("section_id").alias("section"),
        table.typed("kind").alias("kind"),
        (day * 288 + (month - 1) * 24 + hour).alias("slot"),
        table.typed("value_kw").alias("value"),
        *[table.text(k).alias(f"text:{k}") for k in KEY],
    )


def _listed(frame: DataFrame, limit: int | None, code: str, table: SparkTable, out: Capped) -> list[dict]:
    """The rows of `frame` (one per finding, placed by `_part` and `_line`) that the limit per rule and file lets
    through, by line; the others are counted in `out`."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    if limit is None:
        return sorted((r.asDict() for r in frame.collect()), key=lambda r: (r["_part"], r["_line"]))
    ranked = frame.withColumn("_rank", F.row_number().over(Window.partitionBy("_part").orderBy("_line")))
    kept = sorted(
        (r.asDict() for r in ranked.filter(F.col("_rank") <= limit).collect()), key=lambda r: (r["_part"], r["_line"])
    )
    shown = {r["_part"] for r in kept if r["_rank"] == limit}
    if shown:
        for row in frame.filter(F.col("_part").isin(sorted(shown))).groupBy("_part").count().collect():
            out.uncounted(code, table.parts[row["_part"]].path, row["count"] - limit)
    return kept


def _duplicates(ctx: IcaContext, table: SparkTable, keyed: DataFrame, out: Capped) -> None:
    """E015 for every row whose key an earlier row has: the earlier row of its own part, or else the first
    row of the key in an earlier part."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    key = [*PROFILE, "slot"]
    repeated = keyed.groupBy(*key).count().filter(F.col("count") > 1).drop("count")
    rows = keyed.join(repeated, key, "left_semi")
    whole = Window.partitionBy(*key).orderBy("_part", "_line")
    own = Window.partitionBy(*key, "_part").orderBy("_line")
    ranked = rows.select(
        "*",
        F.first("_part").over(whole).alias("first_part"),
        F.first("_line").over(whole).alias("first_line"),
        F.row_number().over(own).alias("nth"),
        F.first("_line").over(own).alias("first_own"),
    )
    later = ranked.filter((F.col("nth") > 1) | (F.col("_part") != F.col("first_part")))
    e015 = ctx.profile.structure_rule("E015")
    for row in _listed(later, out.limit, e015.code, table, out):
        part = table.parts[row["_part"]]
        first = row["first_own"] if row["nth"] > 1 else f"{row['first_line']} of {table.parts[row['first_part']].path}"
        out.add(
            e015.finding(
                part.path,
                line=row["_line"],
                column=part.columns["feeder_id"],
                field="feeder_id",
                value=", ".join(row[f"text:{k}"] or "" for k in KEY),
                key_fields=", ".join(KEY),
                resource=part.path.rsplit("/", 1)[-1],
                variant="first_on_line",
                first=first,
            )
        )


def _missing(
    ctx: IcaContext, table: SparkTable, keyed: DataFrame, incomplete: list[dict], slots: int, out: Capped
) -> None:
    """ICA-E121 for the incomplete profiles listed, each with the slots it lacks."""
    from pyspark.sql import functions as F  # noqa: N812

    wanted = session().createDataFrame(
        [(r["feeder"], r["section"], r["kind"]) for r in incomplete], "feeder string, section string, kind string"
    )
    present = {
        (r["feeder"], r["section"], r["kind"]): set(r["slots"])
        for r in keyed.join(F.broadcast(wanted), PROFILE, "left_semi")
        .groupBy(*PROFILE)
        .agg(F.collect_set("slot").alias("slots"))
        .collect()
    }
    e121 = ctx.profile.rule("ICA-E121")
    for row in incomplete:
        part = table.parts[row["_part"]]
        have = present[(row["feeder"], row["section"], row["kind"])]
        missing = [s for s in range(slots) if s not in have]
        out.add(
            e121.finding(
                part.path,
                line=row["_line"],
                column=part.columns["kind"],
                field="kind",
                value=row["slots"],
                key=_key(row),
                slots=slots,
                kind=row["kind"],
                missing=describe_slots(missing),
            )
        )
