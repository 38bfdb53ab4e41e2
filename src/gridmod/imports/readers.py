"""Native ICA exports, opened as layers and read in batches of polars rows.

CSV files are read as text (every number is parsed by the mapping, so "1,234.5" and "12kV" survive to be
read), in batches, so an hourly export of tens of GB never sits in memory. Shapefiles, GeoJSON and File
Geodatabases are read through GDAL (pyogrio) as Arrow batches with the geometry as WKB; a geodatabase (or
any multi-layer source) gives one layer per table it holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from gridmod.errors import InputError

GEOMETRY = "__geometry"
ROW = "__row"
BATCH_ROWS = 20_000


class UnreadableSource(InputError):
    """A native file the import cannot open or does not recognise (exit code 1)."""


@dataclass(frozen=True)
class Layer:
    path: Path
    label: str  # the file as findings name it, with the layer of a multi-layer source
    layer: str | None
    fields: tuple[str, ...]
    crs: str | None
    has_geometry: bool

    @property
    def is_csv(self) -> bool:
        return self.path.suffix.lower() in (".csv", ".txt")

    @property
    def where_kind(self) -> str:
        return "row" if self.is_csv else "feature"


def open_layers(path: Path, label: str) -> list[Layer]:
    if not path.exists():
        raise UnreadableSource(f"{label} does not exist.")
    if path.suffix.lower() in (".csv", ".txt"):
        try:
            names = pl.scan_csv(path, glob=False, infer_schema=False).collect_schema().names()
        except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
            raise UnreadableSource(f"{label} cannot be read as CSV ({_first_line(exc)}).") from None
        return [Layer(path, label, None, tuple(n.lstrip("\ufeff") for n in names), None, False)]
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        out = []
        for name in layers:
            info = pyogrio.read_info(path, layer=name)
            shown = f"{label} (layer {name})" if len(layers) > 1 else label
            out.append(
                Layer(
                    path,
                    shown,
                    name,
                    tuple(str(f) for f in info["fields"]),
                    info["crs"],
                    info["geometry_type"] is not None,
                )
            )
    except (DataSourceError, DataLayerError, OSError) as exc:
        raise UnreadableSource(
            f"{label} cannot be read as a shapefile, GeoJSON or File Geodatabase ({_first_line(exc)})."
        ) from None
    return out


def read_batches(
    layer: Layer, columns: dict[str, str], geometry: bool, batch_rows: int = BATCH_ROWS
) -> Iterator[pl.DataFrame]:
    """Batches with the native `columns` (file name -> canonical name), ROW and, where asked, GEOMETRY as WKB.
    ROW is where a person finds the row: a CSV record's line as a spreadsheet shows it (the header is row 1),
    a layer's feature number from 1."""
    offset = 1 if layer.is_csv else 0
    for frame in (
        _csv_batches(layer, columns, batch_rows) if layer.is_csv else _ogr_batches(layer, columns, geometry, batch_rows)
    ):
        frame = frame.with_columns(pl.int_range(offset + 1, offset + 1 + frame.height, dtype=pl.Int64).alias(ROW))
        offset += frame.height
        yield frame


def _csv_batches(layer: Layer, columns: dict[str, str], batch_rows: int) -> Iterator[pl.DataFrame]:
    scan = pl.scan_csv(layer.path, glob=False, infer_schema=False)
    named = {n: n.lstrip("\ufeff") for n in scan.collect_schema().names()}
    scan = scan.rename({k: v for k, v in named.items() if k != v})
    selected = scan.select([pl.col(name).alias(canonical) for name, canonical in columns.items()])
    try:
        yield from selected.collect_batches(chunk_size=batch_rows)
    except pl.exceptions.PolarsError as exc:
        raise UnreadableSource(f"{layer.label} cannot be read as CSV ({_first_line(exc)}).") from None


def _ogr_batches(layer: Layer, columns: dict[str, str], geometry: bool, batch_rows: int) -> Iterator[pl.DataFrame]:
    import pyarrow as pa
    import pyogrio

    with pyogrio.open_arrow(
        layer.path,
        layer=layer.layer,
        columns=list(columns),
        read_geometry=geometry,
        batch_size=batch_rows,
        use_pyarrow=True,
    ) as (meta, reader):
        geometry_name = meta.get("geometry_name") or "wkb_geometry"
        for batch in reader:
            table = pa.Table.from_batches([batch])
            frame = pl.from_arrow(table)
            assert isinstance(frame, pl.DataFrame)
            renames = {n: c for n, c in columns.items() if n in frame.columns}
            if geometry and geometry_name in frame.columns:
                renames[geometry_name] = GEOMETRY
            yield frame.rename(renames)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
