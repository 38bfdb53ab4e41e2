"""Line-section geometry as the profile keeps it: WKB LineString or MultiLineString in WGS 84 degrees.

The utilities publish Web Mercator (EPSG:3857, Esri's 102100) or WGS 84; Web Mercator is inverted exactly
with the spherical formulas, so no projection library is needed. Any other CRS stops the import with its
name: export the layer in WGS 84 instead.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import shapely

from gridmod.imports.readers import UnreadableSource
from gridmod.imports.values import Parsed

WGS84 = {None, "EPSG:4326", "OGC:CRS84", "CRS84"}
WEB_MERCATOR = {"EPSG:3857", "EPSG:102100", "ESRI:102100", "EPSG:900913", "EPSG:3785"}
RADIUS = 6378137.0
TYPES = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
)  # by shapely's type id


def check_crs(crs: str | None, label: str) -> None:
    if crs not in WGS84 and crs not in WEB_MERCATOR:
        raise UnreadableSource(
            f"{label} is in the coordinate reference system {crs}; the import reads WGS 84 "
            "(EPSG:4326) and Web Mercator (EPSG:3857). Export the layer in one of them."
        )


def _to_degrees(coords: np.ndarray) -> np.ndarray:
    lon = np.degrees(coords[:, 0] / RADIUS)
    lat = np.degrees(2.0 * np.arctan(np.exp(coords[:, 1] / RADIUS)) - np.pi / 2.0)
    return np.column_stack([lon, lat])


def _geometries(wkb: pl.Series, crs: str | None) -> np.ndarray:
    geoms = shapely.from_wkb(wkb.to_numpy(), on_invalid="ignore")
    geoms = shapely.force_2d(geoms)
    if crs in WEB_MERCATOR:
        geoms = shapely.transform(geoms, _to_degrees)
    return np.asarray(geoms)


def lines(wkb: pl.Series | None, crs: str | None, rows: int) -> Parsed:
    """WKB lines in WGS 84; a missing geometry is `no_geometry`, another type `bad_geometry` (shown: its type)."""
    if wkb is None:
        return Parsed(pl.Series("geometry", [None] * rows, dtype=pl.Binary), pl.Series([None] * rows, dtype=pl.String))
    geoms = _geometries(wkb, crs)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    is_line = np.isin(shapely.get_type_id(geoms), [1, 5]) & ~empty
    problems = np.where(empty, "no_geometry", np.where(is_line, "", "bad_geometry"))
    kinds = np.array(TYPES, dtype=object)[np.clip(shapely.get_type_id(geoms), 0, len(TYPES) - 1)]
    kept = geoms.copy()
    kept[~is_line] = None
    values = shapely.to_wkb(kept)
    return Parsed(
        pl.Series("geometry", values, dtype=pl.Binary),
        pl.Series(problems, dtype=pl.String).replace("", None),
        pl.Series(kinds, dtype=pl.String),
    )


def points(wkb: pl.Series | None, crs: str | None, axis: str, rows: int) -> Parsed:
    """Longitude (x) or latitude (y) in WGS 84 of point features; empty where there is no point."""
    none = pl.Series([None] * rows, dtype=pl.String)
    if wkb is None:
        return Parsed(pl.Series(axis, [None] * rows, dtype=pl.Float64), none)
    geoms = _geometries(wkb, crs)
    is_point = shapely.get_type_id(geoms) == 0
    coords = np.where(is_point, shapely.get_x(geoms) if axis == "x" else shapely.get_y(geoms), np.nan)
    return Parsed(pl.Series(axis, coords, dtype=pl.Float64).fill_nan(None), none)
