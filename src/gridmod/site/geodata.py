"""The line sections' geometry as site downloads: GeoParquet as filed, and GeoJSON where it stays small.

A utility's line sections are over a million, so they are never a page each (nor one map page); the site
offers the filing's GeoParquet file itself (WKB in WGS 84, readable by QGIS, GDAL, GeoPandas and DuckDB) and,
up to GEOJSON_MAX_ROWS sections, a GeoJSON FeatureCollection for tools that read only that. The GeoJSON is
written batch by batch from Arrow, so memory stays bounded, and in a fixed order, so one commit builds the
same bytes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from gridmod.outputs import BuiltFiling
from gridmod.site.edition import Download

GEOJSON_MAX_ROWS = 200_000
BATCH_ROWS = 65_536
PROPERTIES = ("feeder_id", "section_id", "native_id", "phase_count", "voltage_kv")


def write_line_sections(built: BuiltFiling, folder: Path, stem: str) -> list[Download]:
    """The downloads of the filing's line sections (profile 1.1 on); none when it files none."""
    if "line_sections" not in built.filing.resources or "line_sections" not in built.profile.schemas:
        return []
    import pyarrow.parquet as pq

    source = built.filing.file("line_sections")
    parquet_name, geojson_name = f"{stem}-line-sections.parquet", f"{stem}-line-sections.geojson"
    shutil.copyfile(source, folder / parquet_name)
    rows = pq.ParquetFile(source).metadata.num_rows
    size = (folder / parquet_name).stat().st_size
    downloads = [
        Download(
            "Line sections with geometry (GeoParquet)",
            parquet_name,
            size,
            f"{rows:,} line sections as filed: WKB lines in WGS 84 (OGC:CRS84), with feeder, section, "
            "native ID, phases and voltage.",
        )
    ]
    if rows <= GEOJSON_MAX_ROWS:
        write_geojson(source, folder / geojson_name)
        downloads.append(
            Download(
                "Line sections with geometry (GeoJSON)",
                geojson_name,
                (folder / geojson_name).stat().st_size,
                f"The same {rows:,} line sections as a GeoJSON FeatureCollection.",
            )
        )
    return downloads


def write_geojson(source: Path, target: Path) -> None:
    """A FeatureCollection of the line sections, one feature per row in the file's order."""
    import pyarrow.parquet as pq
    import shapely

    parquet = pq.ParquetFile(source)
    names = [n for n in PROPERTIES if n in parquet.schema_arrow.names]
    first = True
    with target.open("w", encoding="utf-8", newline="\n") as out:
        out.write('{"type": "FeatureCollection", "features": [')
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=[*names, "geometry"]):
            shapes = shapely.to_geojson(
                shapely.from_wkb(batch.column("geometry").to_numpy(zero_copy_only=False), on_invalid="ignore")
            )
            columns = {name: batch.column(name).to_pylist() for name in names}
            for i, shape in enumerate(shapes.tolist()):
                properties = json.dumps({name: columns[name][i] for name in names}, ensure_ascii=False)
                out.write(
                    ("\n" if first else ",\n") + f'{{"type": "Feature", "properties": {properties}, '
                    f'"geometry": {shape or "null"}}}'
                )
                first = False
        out.write("\n]}\n")
