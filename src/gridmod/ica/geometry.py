"""Line-section geometry (line_sections.parquet, profile 1.1 on): readable lines, in California, near their feeder.

A utility's system has over a million line sections, so the geometry column is never read whole: pyarrow reads
the GeoParquet file in batches, shapely 2 checks each batch with its vectorised functions, and only one
centroid per section (two floats and a feeder code) is kept until every batch is read, when each feeder's
median centroid is known. Findings name the 1-based row, as every Parquet finding does.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely

from gridmod.findings import Checked
from gridmod.ica.context import IcaContext
from gridmod.ica.spec import column_of
from gridmod.validate.large.stream import Capped

BATCH_ROWS = 65_536
KEY = ["feeder_id", "section_id"]
LINE_TYPES = (1, 5)  # shapely type ids of LineString and MultiLineString
EARTH_KM = 6371.0088  # mean radius
MIN_SECTIONS = 3  # with fewer, no section can be told from the rest of its feeder


@dataclass
class Centroids:
    """One entry per section with a line inside California, over all batches."""

    rows: list[np.ndarray] = field(default_factory=list)
    feeders: list[np.ndarray] = field(default_factory=list)
    x: list[np.ndarray] = field(default_factory=list)
    y: list[np.ndarray] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)  # feeder_id -> code

    def add(self, rows: np.ndarray, feeders: pa.Array, x: np.ndarray, y: np.ndarray) -> None:
        feeders = feeders.cast(pa.string())
        names = pc.unique(feeders.drop_null()).to_pylist()
        for name in names:
            self.codes.setdefault(name, len(self.codes))
        lookup = np.array([self.codes[n] for n in names] + [-1], dtype=np.int32)
        index = pc.fill_null(pc.index_in(feeders, value_set=pa.array(names, pa.string())), len(names))
        self.rows.append(rows)
        self.feeders.append(lookup[index.to_numpy()])
        self.x.append(x)
        self.y.append(y)

    def frame(self) -> pl.DataFrame:
        def joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
            return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

        return pl.DataFrame(
            {
                "row": joined(self.rows, np.int64),
                "feeder": joined(self.feeders, np.int32),
                "x": joined(self.x, np.float64),
                "y": joined(self.y, np.float64),
            }
        )


def check_geometry(ctx: IcaContext, out: Capped) -> Checked:
    """ICA-E171 (not a valid line), ICA-E172 (outside California) and ICA-W173 (far from its feeder) into `out`;
    notes say what could not be checked."""
    file = ctx.filing.folder / ctx.file_name("line_sections")
    try:
        parquet = pq.ParquetFile(file)
        centroids = _check_batches(ctx, parquet, out)
    except (pa.ArrowException, OSError) as exc:
        return Checked(
            [],
            [
                f"Geometry of {ctx.file_name('line_sections')} not checked: the file cannot be read "
                f"in batches ({str(exc).splitlines()[0]})."
            ],
        )
    far = _far_from_feeder(centroids.frame(), ctx.thresholds["section_feeder_max_km"])
    keys = _keys_at(parquet, far["row"].to_numpy())
    rule, column = ctx.profile.rule("ICA-W173"), column_of(ctx.profile, "line_sections", "geometry")
    for record in far.iter_rows(named=True):
        out.add(
            rule.finding(
                ctx.path("line_sections"),
                line=record["row"] + 1,
                column=column,
                field="geometry",
                value=round(record["km"], 1),
                key=keys[record["row"]],
                limit=ctx.thresholds["section_feeder_max_km"],
            )
        )
    return Checked([], [])


def _check_batches(ctx: IcaContext, parquet: pq.ParquetFile, out: Capped) -> Centroids:
    west, south, east, north = ctx.thresholds["california_bbox"]
    box = np.array([west, south, east, north], dtype=float)
    path, column = ctx.path("line_sections"), column_of(ctx.profile, "line_sections", "geometry")
    e171, e172 = ctx.profile.rule("ICA-E171"), ctx.profile.rule("ICA-E172")
    centroids = Centroids()
    offset = 0
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=[*KEY, "geometry"]):
        column_wkb = batch.column("geometry")
        wkb = column_wkb.to_numpy(zero_copy_only=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            geoms = shapely.from_wkb(wkb, on_invalid="ignore")
        given = pc.fill_null(pc.greater(pc.binary_length(column_wkb), 0), False).to_numpy(zero_copy_only=False)
        read = ~shapely.is_missing(geoms)
        line = read & np.isin(shapely.get_type_id(geoms), LINE_TYPES)
        empty = ~given | (read & shapely.is_empty(geoms))
        valid = line & ~empty & shapely.is_valid(geoms)
        bounds = shapely.bounds(geoms)
        inside = (
            valid & (bounds[:, 0] >= west) & (bounds[:, 1] >= south) & (bounds[:, 2] <= east) & (bounds[:, 3] <= north)
        )
        for rule, rows in ((e171, np.flatnonzero(~valid)), (e172, np.flatnonzero(valid & ~inside))):
            room = _room(out, rule.code, path, len(rows))
            for i in rows[:room].tolist():
                key = "/".join(str(batch.column(k)[i].as_py() or "") for k in KEY)
                value, params = _problem(i, empty, read, line, valid, geoms, wkb, bounds, box)
                out.add(
                    rule.finding(
                        path, line=offset + i + 1, column=column, field="geometry", value=value, key=key, **params
                    )
                )
            out.counts[(rule.code, path)] += len(rows) - room
        kept = np.flatnonzero(inside)
        middle = shapely.centroid(geoms[kept])
        centroids.add(
            offset + kept, batch.column("feeder_id").take(pa.array(kept)), shapely.get_x(middle), shapely.get_y(middle)
        )
        offset += batch.num_rows
    return centroids


def _room(out: Capped, code: str, path: str, failing: int) -> int:
    """How many of `failing` findings of a rule to make before the cap; the caller counts the rest for the
    cap's note (a file in the wrong coordinate system fails every row: a million findings made to be dropped)."""
    if out.limit is None:
        return failing
    return max(0, min(failing, out.limit - out.counts[(code, path)]))


def _problem(
    i: int,
    empty: np.ndarray,
    read: np.ndarray,
    line: np.ndarray,
    valid: np.ndarray,
    geoms: np.ndarray,
    wkb: np.ndarray,
    bounds: np.ndarray,
    box: np.ndarray,
) -> tuple[str | None, dict[str, Any]]:
    """The finding's value and message parameters for row `i` of a batch: why its geometry fails."""
    if empty[i]:
        return None, {"variant": "empty"}
    if not read[i]:
        return f"{len(wkb[i])} bytes", {"variant": "unreadable"}
    if not line[i]:
        return geoms[i].geom_type, {"variant": "not_a_line", "kind": geoms[i].geom_type}
    if not valid[i]:
        return geoms[i].wkt, {"variant": "invalid", "reason": shapely.is_valid_reason(geoms[i])}
    return _bounds(bounds[i]), {"bounds": _bounds(bounds[i]), "limit": _bounds(box)}


def _bounds(box: np.ndarray) -> str:
    return "[" + ", ".join(f"{v:.5f}".rstrip("0").rstrip(".") for v in box.tolist()) + "]"


def _far_from_feeder(centroids: pl.DataFrame, limit_km: float) -> pl.DataFrame:
    """Sections whose centroid is more than `limit_km` from the median centroid of their feeder's sections
    (feeders with at least MIN_SECTIONS located sections), by row: columns row and km."""
    c = pl.col
    medians = (
        centroids.filter(c("feeder") >= 0)
        .group_by("feeder")
        .agg(mx=c("x").median(), my=c("y").median(), n=pl.len())
        .filter(c("n") >= MIN_SECTIONS)
    )
    joined = centroids.join(medians, on="feeder")
    lat1, lat2 = np.radians(joined["y"].to_numpy()), np.radians(joined["my"].to_numpy())
    dlon = np.radians(joined["x"].to_numpy() - joined["mx"].to_numpy())
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    km = 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    return joined.select("row").with_columns(km=pl.Series(km)).filter(c("km") > limit_km).sort("row")


def _keys_at(parquet: pq.ParquetFile, rows: np.ndarray) -> dict[int, str]:
    """feeder_id/section_id of a few rows, read back without the geometry column."""
    wanted = np.sort(rows)
    keys: dict[int, str] = {}
    offset = 0
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=KEY):
        local = wanted[(wanted >= offset) & (wanted < offset + batch.num_rows)] - offset
        if len(local):
            picked = batch.take(pa.array(local))
            for row, feeder, section in zip(local.tolist(), *(picked.column(k).to_pylist() for k in KEY), strict=True):
                keys[offset + row] = f"{feeder or ''}/{section or ''}"
        offset += batch.num_rows
    return keys
