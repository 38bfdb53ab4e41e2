"""Native values the import cannot map: each is a finding at its file, row and field with the exact words the
filer reads, its row is refused, the counts say so, and the command exits 1."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from gridmod.imports import ImportFinding, ImportResult, import_ica
from tests.imports.helpers import native, new_ica_filing

PGE_MAPPING = "validation/ica-biannual/1.1/import/pge.yaml"
SCE_MAPPING = "validation/ica-biannual/1.1/import/sce.yaml"


def edit_feature(path: Path, index: int, **properties: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][index]["properties"].update(properties)
    path.write_text(json.dumps(data), encoding="utf-8")


def edit_geometry(path: Path, index: int, geometry: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][index]["geometry"] = geometry
    path.write_text(json.dumps(data), encoding="utf-8")


def edit_cell(path: Path, line: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    table[line - 1][table[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)


def run(root: Path, tmp_path: Path, utility: str, edit) -> tuple[ImportResult, Path]:
    files = native(utility, tmp_path / "native")
    edit(tmp_path / "native" / utility)
    folder = new_ica_filing(root, utility, folder=tmp_path / "data" / utility / "ica-2026-h2")
    return import_ica(utility, files, folder, root), tmp_path / "native" / utility


def only(result: ImportResult) -> ImportFinding:
    assert len(result.findings) == 1, result.findings
    return result.findings[0]


def counts(result: ImportResult) -> dict[str, tuple[int, int, int]]:
    return {s.file.rsplit("/", 1)[-1]: (s.read, s.written, s.refused) for s in result.sources}


def test_unknown_criterion(ica_root: Path, tmp_path: Path) -> None:
    result, folder = run(
        ica_root, tmp_path, "pge", lambda d: edit_feature(d / "ICA_LineDetail.geojson", 4, Gen_Criteria="Flicker")
    )
    finding = only(result)
    assert finding.where == f"{folder}/ICA_LineDetail.geojson, feature 5"
    assert (finding.field, finding.value, finding.problem) == ("Gen_Criteria", "Flicker", "unknown_code")
    assert finding.message == (
        "Gen_Criteria is 'Flicker', which is no criterion the mapping knows (it knows Thermal, Thermal Overload, "
        "Gen Thermal, Load Thermal, Steady State Voltage, SS Voltage, Voltage, Voltage Fluctuation, Voltage "
        "Variation, Protection, Reduction of Reach, Sympathetic Tripping, Safety/Reliability, Safety Reliability, "
        "Islanding, Op Flex, OpFlex, Operational Flexibility, Reverse Flow, No Reverse Flow)."
    )
    assert finding.fix == (
        "Correct the value, or, if it is a real criterion of the utility's export, ask Energy "
        f"Division to add it under codes: criterion in {PGE_MAPPING}."
    )
    assert counts(result)["ICA_LineDetail.geojson"] == (216, 215, 1)
    assert result.tables["results.parquet"] == 717 and result.tables["line_sections.parquet"] == 239
    assert result.withheld["results.parquet"] == 3 and result.withheld["line_sections.parquet"] == 1
    assert result.withheld["feeders.csv"] == 0  # its feeder came from the feeder list all the same
    assert not result.ok


def test_non_numeric_capacity(ica_root: Path, tmp_path: Path) -> None:
    result, folder = run(
        ica_root, tmp_path, "sce", lambda d: edit_feature(d / "ICA_Circuit_Segments.geojson", 6, ica_overall_load="n/a")
    )
    finding = only(result)
    assert finding.where == f"{folder}/ICA_Circuit_Segments.geojson, feature 7"
    assert finding.message == "ica_overall_load is 'n/a', which is not a number."
    assert finding.fix == (
        "Write ica_overall_load as a number, e.g. 1234.5 (a unit such as kW or MW after it is "
        "allowed: kW, MW, kV). If the utility publishes it this way on purpose, ask Energy "
        f"Division to correct the import mapping {SCE_MAPPING}."
    )
    assert counts(result)["ICA_Circuit_Segments.geojson"] == (228, 227, 1)


def test_feeder_id_with_letters(ica_root: Path, tmp_path: Path) -> None:
    result, folder = run(
        ica_root, tmp_path, "pge", lambda d: edit_cell(d / "ICA_Feeders.csv", 3, "FeederID", "0624A1102")
    )
    finding = only(result)
    assert finding.where == f"{folder}/ICA_Feeders.csv, row 3"
    assert finding.message == (
        "FeederID is '0624A1102'; a feeder ID of this utility is digits only (9 digits, leading zeros may be lost)."
    )
    assert (
        finding.fix == "Correct the feeder ID in the export: it has letters or other characters a feeder ID never has."
    )
    assert counts(result)["ICA_Feeders.csv"] == (12, 11, 1)
    assert result.tables["feeders.csv"] == 11 and result.withheld["feeders.csv"] == 1


@pytest.mark.parametrize(
    ("utility", "edit", "where", "message"),
    [
        (
            "pge",
            lambda d: edit_cell(d / "ICA_Feeders.csv", 2, "FeederID", "0624611011"),
            "ICA_Feeders.csv, row 2",
            "FeederID is '0624611011', which has more than the 9 digits of a feeder ID.",
        ),
        (
            "pge",
            lambda d: edit_cell(d / "ICA_Feeders.csv", 4, "Nominal_Voltage", "12kVA"),
            "ICA_Feeders.csv, row 4",
            "Nominal_Voltage is '12kVA': the unit kVA is none the mapping knows (kW, MW, kV).",
        ),
        (
            "pge",
            lambda d: edit_cell(d / "ICA_Feeders.csv", 5, "TotCust", "1200.5"),
            "ICA_Feeders.csv, row 5",
            "TotCust is '1200.5', which is not a whole number.",
        ),
        (
            "pge",
            lambda d: edit_feature(d / "ICA_LineDetail.geojson", 0, FeederId=None),
            "ICA_LineDetail.geojson, feature 1",
            "FeederId is empty, but every feeder needs its key.",
        ),
        (
            "pge",
            lambda d: edit_feature(d / "ICA_Not_Available.geojson", 2, Reason="Pending"),
            "ICA_Not_Available.geojson, feature 3",
            "Reason is 'Pending', which is no missing_reason the mapping knows (it "
            "knows ICA Not Available, Not Available, Redacted, Redacted - Critical Infrastructure, Not Studied, Study Failed).",
        ),
        (
            "pge",
            lambda d: edit_geometry(d / "ICA_LineDetail.geojson", 8, {"type": "Point", "coordinates": [-122, 37]}),
            "ICA_LineDetail.geojson, feature 9",
            "The geometry is a 'Point'; a line section is a LineString or MultiLineString.",
        ),
        (
            "pge",
            lambda d: edit_geometry(d / "ICA_LineDetail.geojson", 9, None),
            "ICA_LineDetail.geojson, feature 10",
            "The feature has no geometry, but line_sections.geometry needs its line.",
        ),
        (
            "sce",
            lambda d: edit_feature(d / "ICA_Circuit_Segments.geojson", 3, changed_date="13/40/2026"),
            "ICA_Circuit_Segments.geojson, feature 4",
            "changed_date is '13/40/2026', which is not a date in the form %m/%d/%Y.",
        ),
        (
            "sce",
            lambda d: edit_feature(d / "ICA_Circuit_Segments.geojson", 2, circuit_voltage="33 kV"),
            "ICA_Circuit_Segments.geojson, feature 3",
            "circuit_voltage gives nominal_voltage_kv 33.0, but feeders FERN_12KV "
            "already has 12.0 from {native}/ICA_Circuit_Segments.geojson, feature 1; the import keeps that.",
        ),
        (
            "pge",
            lambda d: edit_feature(d / "ICA_LineDetail.geojson", 11, ICA_Analysis_Date=None),
            "ICA_LineDetail.geojson, feature 12",
            "ICA_Analysis_Date is empty, but results.analysis_date needs a value.",
        ),
        (
            "pge",
            lambda d: edit_feature(d / "ICA_LineDetail.geojson", 12, CSV_LineSection="LS 1101 012"),
            "ICA_LineDetail.geojson, feature 13",
            "CSV_LineSection is 'LS 1101 012', which is no ID a filing can use "
            "(letters, digits, _ . - only, at most 40 characters, starting with a letter or digit).",
        ),
        (
            "pge",
            lambda d: edit_cell(d / "ProcessedDeltaData_part1.csv", 2, "loadscenario", "Gen Medium Load"),
            "ProcessedDeltaData_part1.csv, row 2",
            "loadscenario is 'Gen Medium Load', which is no hourly_scenario the "
            "mapping knows (it knows Gen Light Load, Generation Light, Gen High Load, Generation High, Load Light Load, "
            "Load Light, Load High Load, Load High).",
        ),
        (
            "pge",
            lambda d: edit_cell(d / "ProcessedDeltaData_part2.csv", 7, "gica_03_17", "12 0"),
            "ProcessedDeltaData_part2.csv, row 7",
            "gica_03_17 is '12 0', which is not a number.",
        ),
    ],
)
def test_located_finding(ica_root: Path, tmp_path: Path, utility: str, edit, where: str, message: str) -> None:
    result, folder = run(ica_root, tmp_path, utility, edit)
    finding = only(result)
    assert finding.where == f"{folder}/{where}"
    assert finding.message == message.replace("{native}", str(folder))
    assert not result.ok


def test_a_lookup_value_that_cannot_be_read(ica_root: Path, tmp_path: Path) -> None:
    """A row of a Non-3 Phase layer whose phases do not read is refused and named at its feature; it gives no
    value to any segment."""
    import pyarrow as pa
    import pyogrio
    import shapely

    def edit(d: Path) -> None:
        gdb = d / "SCE_ICA.gdb"
        table = pa.table(
            {
                "circuit_name": ["FERN 12KV"],
                "node_id": ["N101"],
                "section_id": [1.0],
                "phase_count": ["one"],
                "geometry": pa.array([shapely.to_wkb(shapely.LineString([(0, 0), (1, 1)]))]),
            }
        )
        pyogrio.write_arrow(
            table,
            gdb,
            layer="Non_3_Phase_fix",
            driver="OpenFileGDB",
            geometry_name="geometry",
            geometry_type="LineString",
            crs="EPSG:3857",
            append=True,
        )

    result, folder = run(ica_root, tmp_path, "sce", edit)
    finding = only(result)
    assert finding.where == f"{folder}/SCE_ICA.gdb (layer Non_3_Phase_fix), feature 1"
    assert finding.message == "phase_count is 'one', which is not a whole number."
    assert counts(result)["SCE_ICA.gdb (layer Non_3_Phase_fix)"] == (1, 0, 1)


def test_blank_voltage_without_sections_is_refused(ica_root: Path, tmp_path: Path) -> None:
    def edit(d: Path) -> None:
        with (d / "ICA_Feeders.csv").open("a", encoding="utf-8") as handle:
            handle.write("246801199,DELTA 1199,DELTA,24680.0,,10,1,0,0,0,11,0,0,,Available\n")

    result, folder = run(ica_root, tmp_path, "pge", edit)
    finding = only(result)
    assert finding.where == f"{folder}/ICA_Feeders.csv, row 14"
    assert finding.message == "Nominal_Voltage is empty, but feeders.nominal_voltage_kv needs a value."
    assert finding.fix == (
        "Fill in Nominal_Voltage in the export. Without it the import takes the most common "
        "voltage of the feeder's line sections, but none was imported."
    )
    assert counts(result)["ICA_Feeders.csv"] == (13, 12, 1)
    assert result.withheld["feeders.csv"] == 1


def test_many_findings_are_capped(ica_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gridmod.imports.findings as findings

    monkeypatch.setattr(findings, "CAP", 2)

    def edit(d: Path) -> None:
        for index in range(5):
            edit_feature(d / "ICA_Circuit_Segments.geojson", index, ica_overall_load="n/a")

    result, folder = run(ica_root, tmp_path, "sce", edit)
    assert len(result.findings) == 2
    assert dict(result.omitted) == {f"{folder}/ICA_Circuit_Segments.geojson: not_a_number": 3}
    assert counts(result)["ICA_Circuit_Segments.geojson"] == (228, 223, 5)
