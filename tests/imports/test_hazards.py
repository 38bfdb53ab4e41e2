"""The hazards of the real downloads, planted in the native fixtures, come out as the profile wants them."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import shapely

from gridmod.imports import ImportResult

Imported = dict[str, tuple[Path, ImportResult]]
CALIFORNIA = (-124.48, 32.53, -114.13, 42.01)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_pge_lost_zeros_float_subids_and_voltage_text(imported: Imported) -> None:
    folder, result = imported["pge"]
    feeders = {r["feeder_id"]: r for r in rows(folder / "feeders.csv")}
    assert all(len(f) == 9 for f in feeders)
    assert feeders["062461101"]["substation_id"] == "06246"  # FeederID 62461101, SubID 6246.0
    assert feeders["012341102"]["nominal_voltage_kv"] == "21.0"  # "21kV"
    assert feeders["135791101"]["nominal_voltage_kv"] == "4.16"  # "4.16kV"
    assert feeders["135791103"]["nominal_voltage_kv"] == "4.16"  # blank: from its line sections
    assert feeders["062461101"]["existing_dg_kw"] == "2000.0"  # "2,000"
    assert feeders["062461103"]["load_profile"] == "redacted"
    assert feeders["062461101"]["customers_total"] == "3127"
    assert (
        "1 feeder had no Nominal_Voltage in tests/imports/native/pge/ICA_Feeders.csv: nominal_voltage_kv is "
        "the most common voltage_kv of their line sections (135791103)." in result.notes
    )
    crosswalk = rows(folder / "crosswalk.csv")
    assert {"kind": "feeder", "native_key": "62461101", "id": "062461101"} in crosswalk
    assert {"kind": "substation", "native_key": "6246.0", "id": "06246"} in crosswalk
    results = pl.read_parquet(folder / "results.parquet")
    assert results["feeder_id"].str.len_chars().unique().to_list() == [9]


def test_pge_criteria_reasons_dates_and_hourly(imported: Imported) -> None:
    folder, _ = imported["pge"]
    results = pl.read_parquet(folder / "results.parquet")
    assert set(results["opflex_criterion"].drop_nulls()) == {"reverse_flow", "thermal", "steady_state_voltage"}
    assert set(results["missing_reason"].drop_nulls()) == {
        "unavailable",
        "redacted_critical_infrastructure",
        "not_applicable",
    }
    first = results.filter(
        pl.col("feeder_id") == "062461101",
        pl.col("section_id") == "LS1101000",
        pl.col("scenario") == "uniform_generation",
    )
    assert first["analysis_date"].to_list() == [date(2026, 5, 4)]  # 1777881600000 ms, an Esri date
    hourly = pl.read_parquet(folder / "hourly.parquet")
    per_profile = hourly.group_by("feeder_id", "section_id", "kind").len()["len"].unique().to_list()
    assert per_profile == [576]  # 12 months x 24 hours x 2 load days
    assert hourly["month"].min() == 1 and hourly["month"].max() == 12
    assert hourly["hour"].min() == 0 and hourly["hour"].max() == 23


def test_pge_hourly_text_numbers(imported: Imported) -> None:
    folder, _ = imported["pge"]
    with (Path(__file__).parent / "native" / "pge" / "ProcessedDeltaData_part1.csv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        row, column = next((r, k) for r in reader for k, v in r.items() if "," in v)
    month, hour = int(column[5:7]), int(column[8:10])
    hourly = pl.read_parquet(folder / "hourly.parquet")
    kind, day = {
        "Gen Light Load": ("generation", "light"),
        "Gen High Load": ("generation", "high"),
        "Load Light Load": ("load", "light"),
        "Load High Load": ("load", "high"),
    }[row["loadscenario"]]
    value = hourly.filter(
        (pl.col("section_id") == row["linesecid"])
        & (pl.col("feeder_id") == row["feederid"].zfill(9))
        & (pl.col("kind") == kind)
        & (pl.col("day_type") == day)
        & (pl.col("month") == month)
        & (pl.col("hour") == hour)
    )
    assert value["value_kw"].to_list() == [float(row[column].replace(",", ""))]


def test_sce_megawatts_names_and_two_part_keys(imported: Imported) -> None:
    folder, _ = imported["sce"]
    results = pl.read_parquet(folder / "results.parquet")
    feeders = {r["feeder_id"]: r for r in rows(folder / "feeders.csv")}
    assert set(feeders) == {f"{s}_{n}KV" for s in ("FERN", "MESA", "TULE") for n in (12, 13, 14, 15)}
    assert feeders["FERN_12KV"]["substation_id"] == "Fern_Creek"
    assert feeders["FERN_13KV"]["nominal_voltage_kv"] == "16.0"  # "16kV"
    assert {"kind": "substation", "native_key": "Fern Creek", "id": "Fern_Creek"} in rows(folder / "crosswalk.csv")
    values = results.filter(pl.col("static_kw").is_not_null())["static_kw"]
    assert values.min() > 50  # MW became kW
    load = results.filter((pl.col("scenario") == "uniform_load") & pl.col("static_kw").is_not_null())
    assert load.height == 228  # ica_overall_load, text, read on every segment
    assert set(results.filter(pl.col("scenario") == "pv")["opflex_criterion"].drop_nulls()) == {"reverse_flow"}
    sections = pl.read_parquet(folder / "line_sections.parquet")
    first = sections.row(0, named=True)
    assert (first["section_id"], first["native_id"]) == ("N100-1", "N100/1")
    unavailable = results.filter(pl.col("missing_reason") == "unavailable")
    assert unavailable.height == 36 and unavailable["static_kw"].null_count() == 36
    assert results.filter(pl.col("section_id") == "N100-1")["analysis_date"].unique().to_list() == [date(2026, 5, 1)]


def test_sce_phases_come_from_the_non_3_phase_layer(imported: Imported) -> None:
    folder, _ = imported["sce"]
    sections = pl.read_parquet(folder / "line_sections.parquet")
    phases = dict(sections.filter(pl.col("feeder_id") == "FERN_12KV").select("native_id", "phase_count").rows())
    assert (phases["N101/1"], phases["N101/2"], phases["N104/1"], phases["N100/1"], phases["N109/2"]) == (1, 2, 1, 3, 3)
    assert sections["phase_count"].value_counts().sort("phase_count").rows() == [(1, 24), (2, 24), (3, 192)]


def test_sce_web_mercator_becomes_wgs84(imported: Imported) -> None:
    folder, _ = imported["sce"]
    table = pq.read_table(folder / "line_sections.parquet")
    geoms = shapely.from_wkb(table["geometry"].to_numpy(zero_copy_only=False))
    assert set(shapely.get_type_id(geoms)) == {1, 5}  # the geodatabase keeps lines as MultiLineString
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    assert CALIFORNIA[0] < xmin and xmax < CALIFORNIA[2] and CALIFORNIA[1] < ymin and ymax < CALIFORNIA[3]
    start = shapely.get_coordinates(geoms[0])[0]
    assert abs(start[0] - -118.3) < 1e-9 and abs(start[1] - 34.1) < 1e-9
    assert b'"encoding": "WKB"' in table.schema.metadata[b"geo"]
    subs = {r["substation_id"]: r for r in rows(folder / "substations.csv")}
    assert abs(float(subs["Mesa_Point"]["longitude"]) - -117.9) < 1e-9
    assert abs(float(subs["Mesa_Point"]["latitude"]) - 33.9) < 1e-9
    assert float(subs["Mesa_Point"]["existing_gen_kw"]) > 1000


def test_sdge_shapefile_names_duplicate_segments_and_redaction(imported: Imported) -> None:
    folder, _ = imported["sdge"]
    sections = pl.read_parquet(folder / "line_sections.parquet")
    repeated = sections.filter(pl.col("feeder_id") == "MISSION_001", pl.col("section_id").str.starts_with("1004"))
    assert repeated.select("section_id", "native_id").rows() == [("1004-1035", "1035"), ("1004-1042", "1042")]
    assert sections.select("feeder_id", "section_id").is_unique().all()
    results = pl.read_parquet(folder / "results.parquet")
    gen = results.filter(pl.col("scenario") == "uniform_generation", pl.col("opflex_kw").is_not_null())
    assert gen.height == 171  # ICAWOF_U_1, the shapefile's name for ICAWOF_UNIGENERATION
    redacted = results.filter(pl.col("missing_reason") == "redacted_critical_infrastructure")
    assert redacted.height == 27 and redacted["static_kw"].null_count() == 27
    assert results["analysis_date"].min() == date(2026, 6, 1)
    crosswalk = rows(folder / "crosswalk.csv")
    assert {"kind": "substation", "native_key": "POINT LOMA 2", "id": "POINT_LOMA_2"} in crosswalk
