"""Write the native ICA fixtures of PG&E, SCE and SDG&E: files shaped like each utility's public downloads,
with SYNTHETIC values, and with the hazards real downloads have.

    python -m tests.imports.make_fixtures

PG&E (native/pge/): line sections as GeoJSON (WGS 84, Esri epoch-millisecond dates), the "ICA Not Available"
layer as GeoJSON, the feeder list as CSV (feeder IDs that lost their leading zero, SubID as a float,
Nominal_Voltage as "12kV" or blank, customer counts), hourly profiles as two wide CSVs (gica_MM_HH).
SCE (native/sce/): circuit segments as GeoJSON in Web Mercator (values in MW, ica_overall_load as text, circuit
and substation names with spaces as keys, a two-part section key, Op Flex criteria, dates as text), and a File
Geodatabase with the Unavailable Circuit Segments and Substations layers (Web Mercator).
SDG&E (native/sdge/): line segments as a shapefile (field names cut to 10 characters, LINE_SEGMENT_NUMBER
repeated within a circuit, values in MW, redacted segments), substations as CSV.
Every file is written by pyogrio (GDAL) or the csv module, so the tests read real files of each format. The
same run writes the same bytes, except two catalogue tables of the geodatabase, which record when GDAL wrote them.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyogrio
import shapely

HERE = Path(__file__).resolve().parent
NATIVE = HERE / "native"
README = """# {title} (SYNTHETIC)

Files shaped like {utility}'s public ICA downloads, written by `python -m tests.imports.make_fixtures`.
Every value is synthetic: no feeder, section, capacity, customer count or location here is real.

{body}
"""
CRITERIA = ["Thermal", "Steady State Voltage", "Voltage Variation", "Protection"]


def _kw(rng: random.Random, low: int = 300, high: int = 9000) -> float:
    """A hosting capacity in kW as PG&E publishes it: rounded to 10 kW, capped at 10,000 kW."""
    return float(min(10000, round(rng.uniform(low, high), -1)))


def _epoch_ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 8, tzinfo=UTC).timestamp() * 1000)


def _line(rng: random.Random, lon: float, lat: float, step: float = 0.002) -> shapely.LineString:
    points = [(lon, lat)]
    for _ in range(2):
        lon, lat = lon + rng.uniform(-step, step), lat + rng.uniform(-step, step)
        points.append((lon, lat))
    return shapely.LineString(points)


def _mercator(geom: shapely.Geometry) -> shapely.Geometry:
    radius = 6378137.0

    def forward(coords: np.ndarray) -> np.ndarray:
        x = np.radians(coords[:, 0]) * radius
        y = np.log(np.tan(np.pi / 4 + np.radians(coords[:, 1]) / 2)) * radius
        return np.column_stack([x, y])

    return shapely.transform(geom, forward)


def _write_layer(
    path: Path, columns: dict[str, list], geoms: list, kind: str, crs: str, driver: str, layer: str | None = None
) -> None:
    table = pa.table(
        {**columns, "geometry": pa.array(list(shapely.to_wkb(np.array(geoms, dtype=object))), pa.binary())}
    )
    pyogrio.write_arrow(
        table,
        path,
        layer=layer,
        driver=driver,
        geometry_name="geometry",
        geometry_type=kind,
        crs=crs,
        append=layer is not None and path.exists(),
    )


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def make_pge(folder: Path) -> None:
    rng = random.Random(12)
    subs = [("06246", "ALPINE"), ("01234", "BAY MEADOWS"), ("13579", "CEDAR HILL"), ("24680", "DELTA")]
    voltages = {"06246": "12kV", "01234": "21kV", "13579": "4.16kV", "24680": "12kV"}
    sections, unavailable, feeders_rows, hourly = [], [], [], []
    for s, (sub_id, sub_name) in enumerate(subs):
        for f in range(3):
            feeder = f"{sub_id}{1101 + f}"
            native = feeder.lstrip("0") if sub_id.startswith("0") and f != 1 else feeder  # the lost zero
            kv = float(voltages[sub_id].rstrip("kV"))
            for n in range(20):
                section = f"LS{feeder[-4:]}{n:03d}"
                geom = _line(rng, -122.4 + s * 0.3 + f * 0.05, 37.6 + s * 0.2 + n * 0.001)
                analysed = _epoch_ms(date(2026, 5, 4 + (n % 20)))
                phases = 1 if n % 9 == 8 else 3
                if n % 10 == 9:
                    reason = "ICA Not Available" if n % 20 == 9 else "Redacted"
                    unavailable.append((native, feeder, section, reason, analysed, kv, phases, geom))
                    continue
                gen, pv = _kw(rng), _kw(rng)
                sections.append(
                    {
                        "FeederId": native,
                        "FeederName": f"{sub_name} {1101 + f}",
                        "CSV_LineSection": section,
                        "GenCapacity_kW": gen,
                        "GenCapacityOF_kW": _kw(rng, 300, int(gen)),
                        "LoadCapacity_kW": _kw(rng),
                        "GenericPVCapacity_kW": pv,
                        "GenericPVCapacityOF_kW": _kw(rng, 300, int(pv)),
                        "Gen_Criteria": rng.choice(CRITERIA),
                        "GenOF_Criteria": rng.choice(["Op Flex", "Thermal"]),
                        "Load_Criteria": rng.choice(CRITERIA),
                        "PV_Criteria": rng.choice(CRITERIA),
                        "PVOF_Criteria": rng.choice(["Op Flex", "Steady State Voltage"]),
                        "voltage_kv": kv,
                        "phase_cnt": phases,
                        "ICA_Analysis_Date": analysed,
                        "geometry": geom,
                    }
                )
                if f != 2:  # hourly profiles of every feeder whose load profile is published
                    hourly.append((native, section))
            blank = sub_id == "13579" and f == 2  # Nominal_Voltage blank: taken from the line sections
            sub_field = f"{int(sub_id)}.0"  # SubID exported as a float
            customers = [
                rng.randint(200, 3000),
                rng.randint(10, 300),
                rng.randint(0, 20),
                rng.randint(0, 60),
                rng.randint(0, 10),
            ]
            feeders_rows.append(
                [
                    native,
                    f"{sub_name} {1101 + f}",
                    sub_name,
                    sub_field,
                    "" if blank else voltages[sub_id],
                    *customers,
                    sum(customers),
                    f"{rng.randint(1, 40) * 100:,}",
                    rng.randint(0, 20) * 50,
                    "",
                    "Redacted" if f == 2 else "Available",
                ]
            )
    columns = [k for k in sections[0] if k != "geometry"]
    _write_layer(
        folder / "ICA_LineDetail.geojson",
        {k: [r[k] for r in sections] for k in columns},
        [r["geometry"] for r in sections],
        "LineString",
        "EPSG:4326",
        "GeoJSON",
    )
    _write_layer(
        folder / "ICA_Not_Available.geojson",
        {
            "FeederId": [u[0] for u in unavailable],
            "CSV_LineSection": [u[2] for u in unavailable],
            "Reason": [u[3] for u in unavailable],
            "ICA_Analysis_Date": [u[4] for u in unavailable],
            "voltage_kv": [u[5] for u in unavailable],
            "phase_cnt": [u[6] for u in unavailable],
        },
        [u[7] for u in unavailable],
        "LineString",
        "EPSG:4326",
        "GeoJSON",
    )
    # Total_DG left blank: the import keeps it empty (an optional column).
    _write_csv(
        folder / "ICA_Feeders.csv",
        [
            "FeederID",
            "Feeder_Name",
            "Substation",
            "SubID",
            "Nominal_Voltage",
            "ResCust",
            "ComCust",
            "IndCust",
            "AgrCust",
            "OthCust",
            "TotCust",
            "Existing_DG",
            "Queued_DG",
            "Total_DG",
            "Load_Profile",
        ],
        feeders_rows,
    )
    months = [f"gica_{m:02d}_{h:02d}" for m in range(1, 13) for h in range(24)]
    scenarios = ["Gen Light Load", "Gen High Load", "Load Light Load", "Load High Load"]
    for part, chunk in enumerate((hourly[: len(hourly) // 2], hourly[len(hourly) // 2 :]), start=1):
        rows = []
        for native, section in chunk:
            for scenario in scenarios:
                values = [f"{_kw(rng, 100, 5000):.1f}" for _ in months]
                if rng.random() < 0.1:
                    values[rng.randrange(len(values))] = f"{_kw(rng, 1000, 9000):,.1f}"  # "1,234.0" as text
                rows.append([section, native, scenario, *values])
        _write_csv(
            folder / f"ProcessedDeltaData_part{part}.csv", ["linesecid", "feederid", "loadscenario", *months], rows
        )
    _readme(
        folder,
        "PG&E native ICA downloads",
        "PG&E",
        """- `ICA_LineDetail.geojson`: line sections (LineDetail), kW, `ICA_Analysis_Date` in Esri epoch milliseconds;
  the feeders of substation 06246 other than the second have lost their leading zero (`62461101`).
- `ICA_Not_Available.geojson`: sections without ICA results (`Reason`: ICA Not Available, Redacted).
- `ICA_Feeders.csv`: feeder list; `SubID` as a float (`6246.0`), `Nominal_Voltage` as `12kV` and blank for
  feeder 135791103, `Existing_DG` with a thousands separator, customer counts, `Load_Profile`.
- `ProcessedDeltaData_part1.csv`, `..._part2.csv`: hourly profiles, one row per section and load scenario,
  columns `gica_01_00` to `gica_12_23`, for every section with results on a feeder whose `Load_Profile` is
  Available (none for the Redacted feeders); some cells are text numbers such as `1,230.0`.
Fields beyond the public descriptions (`GenCapacityOF_kW`, `*_Criteria`, `Reason`, the `loadscenario` texts)
are assumptions, as `validation/ica-biannual/1.1/import/pge.yaml` says.""",
    )


def make_sce(folder: Path) -> None:
    rng = random.Random(34)
    subs = [("Fern Creek", -118.3, 34.1), ("Mesa Point", -117.9, 33.9), ("Tule Canyon", -118.6, 34.3)]
    criteria = ["Thermal", "Steady State Voltage", "Voltage Variation", "Protection"]
    segments, unavailable = [], []
    for sub_name, lon, lat in subs:
        for c in range(4):
            circuit = f"{sub_name.split()[0].upper()} {c + 12}KV"
            voltage = "12 kV" if c % 2 == 0 else "16kV"
            for n in range(20):
                node = f"N{100 + n // 2}"
                geom = _mercator(_line(rng, lon + c * 0.04, lat + n * 0.001))
                changed = f"{5 + n % 2}/{1 + n}/2026"
                row = {
                    "circuit_name": circuit,
                    "substation_name": sub_name,
                    "node_id": node,
                    "section_id": n % 2 + 1,
                    "circuit_voltage": voltage,
                    "changed_date": changed,
                }
                if n == 19:
                    unavailable.append((row, geom))
                    continue
                gen = round(rng.uniform(0.3, 8.0), 3)
                pv = round(rng.uniform(0.3, 8.0), 3)
                load = rng.uniform(0.3, 9.0)
                segments.append(
                    {
                        **row,
                        "uniform_generation": gen,
                        "uniform_generation_op_flex": round(gen * rng.uniform(0.5, 1), 3),
                        "ica_overall_load": f" {load:.3f}" if n % 5 else f"{load:,.2f}",
                        "ica_overall_pv": pv,
                        "ica_overall_pv_op_flex": f"{pv * rng.uniform(0.5, 1):.3f}",
                        "most_limiting_criteria_ug_sg": rng.choice(criteria),
                        "most_limiting_criteria_ug_of": rng.choice(["Op Flex", "Thermal"]),
                        "most_limiting_criteria_lsg": rng.choice(criteria),
                        "most_limiting_criteria_pv_sg": rng.choice(criteria),
                        "most_limiting_criteria_pv_of": "Op Flex",
                        "geometry": geom,
                    }
                )
    columns = [k for k in segments[0] if k != "geometry"]
    _write_layer(
        folder / "ICA_Circuit_Segments.geojson",
        {k: [r[k] for r in segments] for k in columns},
        [r["geometry"] for r in segments],
        "LineString",
        "EPSG:3857",
        "GeoJSON",
    )
    gdb = folder / "SCE_ICA.gdb"
    shutil.rmtree(gdb, ignore_errors=True)
    _write_layer(
        gdb,
        {k: [r[k] for r, _ in unavailable] for k in unavailable[0][0]},
        [g for _, g in unavailable],
        "LineString",
        "EPSG:3857",
        "OpenFileGDB",
        layer="Unavailable_Circuit_Segments",
    )
    non3 = [r for r in segments if r["node_id"] in ("N101", "N104")]  # segments with one or two phases
    _write_layer(
        gdb,
        {
            "circuit_name": [r["circuit_name"] for r in non3],
            "node_id": [r["node_id"] for r in non3],
            "section_id": [r["section_id"] for r in non3],
            "phase_count": [1 if r["section_id"] == 1 else 2 for r in non3],
        },
        [r["geometry"] for r in non3],
        "LineString",
        "EPSG:3857",
        "OpenFileGDB",
        layer="Non_3_Phase",
    )
    _write_layer(
        gdb,
        {
            "substation_name": [s[0] for s in subs],
            "existing_gen_mw": [round(rng.uniform(1, 20), 2) for _ in subs],
            "queued_gen_mw": [round(rng.uniform(0, 10), 2) for _ in subs],
            "total_gen_mw": [round(rng.uniform(10, 30), 2) for _ in subs],
        },
        [_mercator(shapely.Point(lon, lat)) for _, lon, lat in subs],
        "Point",
        "EPSG:3857",
        "OpenFileGDB",
        layer="Substations",
    )
    _readme(
        folder,
        "SCE native ICA downloads",
        "SCE",
        """- `ICA_Circuit_Segments.geojson`: "ICA - Circuit Segments" in Web Mercator (EPSG:3857), values in MW,
  `ica_overall_load` and `ica_overall_pv_op_flex` as text (one with a thousands separator, some with spaces),
  circuits and substations keyed by name (`FERN 12KV`, `Fern Creek`), sections keyed by `node_id` and
  `section_id` together, `Op Flex` criteria, `changed_date` as text (M/D/YYYY).
- `SCE_ICA.gdb`: a File Geodatabase with the layers `Unavailable_Circuit_Segments`, `Non_3_Phase` (the segments
  of nodes N101 and N104 of each circuit, with one or two phases; `phase_count` is an assumed field name) and
  `Substations` (points, existing, queued and total generation in MW), all in Web Mercator.""",
    )


def make_sdge(folder: Path) -> None:
    rng = random.Random(56)
    subs = [
        ("MISSION", "F1001", -117.15, 32.77),
        ("OLD TOWN", "F1002", -117.2, 32.75),
        ("POINT LOMA 2", "F1003", -117.24, 32.7),
    ]
    criteria = ["Thermal", "Steady State Voltage", "Voltage Fluctuation", "Protection"]
    rows, geoms = [], []
    object_id = 1000
    for sub_name, _, lon, lat in subs:
        for c in range(3):
            circuit = f"{sub_name} {c + 1:03d}"
            for n in range(20):
                object_id += 7
                segment = f"{(c + 1) * 1000 + n - (1 if n in (5, 12) else 0)}"  # two repeated segment numbers
                redacted = n == 17
                values = {
                    k: (None if redacted else round(rng.uniform(0.3, 6.0), 3))
                    for k in (
                        "ICAWOF_UNILOAD",
                        "ICAWOF_UNIGENERATION",
                        "ICAWOF_PVGENERATION",
                        "ICAWNOF_UNILOAD",
                        "ICAWNOF_UNIGENERATION",
                        "ICAWNOF_PVGENERATION",
                    )
                }
                crit = {k: (None if redacted else rng.choice(criteria)) for k in ("CRIT_UL", "CRIT_UG", "CRIT_PV")}
                crit_of = {
                    k: (None if redacted else rng.choice(["Op Flex", "Thermal"]))
                    for k in ("CRIT_OF_UL", "CRIT_OF_UG", "CRIT_OF_PV")
                }
                rows.append(
                    {
                        "OBJECTID": object_id,
                        "CIRCUIT_NAME": circuit,
                        "SUBID": sub_name,
                        "LINE_SEGMENT_NUMBER": segment,
                        "VOLTAGE": 12.0,
                        "OHUG": "OH" if n % 3 else "UG",
                        **values,
                        **crit,
                        **crit_of,
                        "STATUS": "Redacted" if redacted else None,
                        "ICA_DATE": date(2026, 6, 1 + n),
                    }
                )
                geoms.append(_line(rng, lon + c * 0.02, lat + n * 0.0008, 0.001))
    columns = {k: [r[k] for r in rows] for k in rows[0]}
    for stale in (folder / "ICA_Load_Capacity_Grids").parent.glob("ICA_Load_Capacity_Grids.*"):
        stale.unlink()
    _write_layer(folder / "ICA_Load_Capacity_Grids.shp", columns, geoms, "LineString", "EPSG:4326", "ESRI Shapefile")
    _write_csv(
        folder / "ICA_Substations.csv",
        ["NAME", "FACILITYID", "IMAP_VOLTAGE", "EXIST_GEN", "QUE_GEN", "TOT_GEN", "PROJ_LOAD", "PENETRATION"],
        [
            [
                name,
                fid,
                "69/12",
                round(rng.uniform(1, 15), 2),
                round(rng.uniform(0, 5), 2),
                round(rng.uniform(5, 20), 2),
                round(rng.uniform(10, 40), 1),
                f"{rng.uniform(5, 60):.1f}",
            ]
            for name, fid, _, _ in subs
        ],
    )
    _readme(
        folder,
        "SDG&E native ICA downloads",
        "SDG&E",
        """- `ICA_Load_Capacity_Grids.shp` (with .dbf, .shx, .prj, .cpg): line segments, values in MW; the shapefile cuts
  field names to 10 characters (`ICAWOF_UNILOAD` is `ICAWOF_UNI`, `ICAWOF_UNIGENERATION` is `ICAWOF_U_1`);
  `LINE_SEGMENT_NUMBER` repeats within a circuit (only `OBJECTID` is unique); `SUBID` is a substation name;
  segment 17 of each circuit is redacted (`STATUS`, no values).
- `ICA_Substations.csv`: substations by name, existing, queued and total generation in MW.
Fields beyond the public descriptions (`CRIT_*`, `STATUS`, `ICA_DATE`) are assumptions, as
`validation/ica-biannual/1.1/import/sdge.yaml` says.""",
    )


def _readme(folder: Path, title: str, utility: str, body: str) -> None:
    (folder / "README.md").write_text(README.format(title=title, utility=utility, body=body), encoding="utf-8")


def main() -> None:
    for name, make in (("pge", make_pge), ("sce", make_sce), ("sdge", make_sdge)):
        folder = NATIVE / name
        folder.mkdir(parents=True, exist_ok=True)
        make(folder)
    (NATIVE / "README.md").write_text(
        "# Native ICA fixtures (SYNTHETIC)\n\nFiles shaped like the utilities' public ICA downloads, for the tests "
        "of `gridmod import ica`.\nEvery value is synthetic. Regenerate with `python -m tests.imports.make_fixtures`."
        "\n",
        encoding="utf-8",
    )
    json.dumps({})


if __name__ == "__main__":
    main()
