"""`gridmod import ica` as a filer runs it: the summary's words, exit codes, files that cannot be read,
and a filing that is never left half-written."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

from gridmod.cli import main
from gridmod.errors import InputError, SetupError
from gridmod.imports import import_ica
from tests.imports.helpers import NATIVE, native, new_ica_filing


def invoke(*args: str):
    return CliRunner().invoke(main, ["import", "ica", *args])


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_cli_summary_and_exit_0(ica_root: Path, tmp_path: Path) -> None:
    folder = new_ica_filing(ica_root, "sdge", folder=tmp_path / "data" / "sdge" / "ica-2026-h2")
    shp, subs = "tests/imports/native/sdge/ICA_Load_Capacity_Grids.shp", "tests/imports/native/sdge/ICA_Substations.csv"
    result = invoke("--from", "sdge", shp, subs, str(folder))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Imported SDG&E's native files into {folder}:",
        "        read    written    refused  native file",
        f"         180        180          0  {shp} (load_capacity_grids)",
        f"           3          3          0  {subs} (substations)",
        "     written    refused  table",
        "         180          0  line_sections.parquet",
        "         540          0  results.parquet",
        "           3          0  substations.csv",
        "           9          0  feeders.csv",
        "          11          0  crosswalk.csv",
        "  Note: 9 feeder keys became IDs that differ from the native key (names made into IDs); crosswalk.csv "
        "lists them.",
        "  Note: 2 substation keys became IDs that differ from the native key (names made into IDs); crosswalk.csv "
        "lists them.",
        "  Note: No native file gave rows for hourly.csv or forecast_results.csv, which have none, so they are left "
        "out of the filing: the tables are optional, and filed without rows they would be checked as filed.",
        f"Every row was mapped; datapackage.json is stamped. Next: gridmod validate {folder}",
    ]
    assert not (folder / "hourly.csv").exists() and not (folder / "forecast_results.csv").exists()


def test_cli_refused_rows_exit_1(ica_root: Path, tmp_path: Path) -> None:
    shutil.copytree(NATIVE / "sdge", tmp_path / "sdge")
    (tmp_path / "sdge" / "ICA_Substations.csv").write_text(
        "NAME,FACILITYID,IMAP_VOLTAGE,EXIST_GEN,QUE_GEN,TOT_GEN,PROJ_LOAD,PENETRATION\n"
        "MISSION,F1001,69/12,lots,1,2,3,4\n",
        encoding="utf-8",
    )
    folder = new_ica_filing(ica_root, "sdge", folder=tmp_path / "data" / "sdge" / "ica-2026-h2")
    result = invoke("--from", "sdge", str(tmp_path / "sdge" / "ICA_Substations.csv"), str(folder))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"  {tmp_path}/sdge/ICA_Substations.csv, row 2: EXIST_GEN is 'lots', which is not a number." in lines
    assert lines[-1] == (
        "1 value could not be mapped and 1 native row was refused: the tables hold every row that "
        "mapped, and datapackage.json is stamped. Fix the values above in the export and import again."
    )


def test_unreadable_inputs_exit_1_without_traceback(ica_root: Path, tmp_path: Path) -> None:
    folder = new_ica_filing(ica_root, "pge", folder=tmp_path / "data" / "pge" / "ica-2026-h2")
    before = digest(folder)
    missing = invoke("--from", "pge", str(tmp_path / "nothing.geojson"), str(folder))
    assert (missing.exit_code, missing.output) == (1, f"gridmod: {tmp_path}/nothing.geojson does not exist.\n")
    junk = tmp_path / "junk.geojson"
    junk.write_text("{not json", encoding="utf-8")
    broken = invoke("--from", "pge", str(junk), str(folder))
    assert broken.exit_code == 1 and broken.output.startswith(
        f"gridmod: {junk} cannot be read as a shapefile, GeoJSON or File Geodatabase ("
    )
    other = invoke("--from", "pge", "tests/imports/native/sdge/ICA_Substations.csv", str(folder))
    assert other.exit_code == 1
    assert other.output == (
        "gridmod: tests/imports/native/sdge/ICA_Substations.csv is none of the PG&E ICA layers that "
        "validation/ica-biannual/1.1/import/pge.yaml knows: ICA line sections (LineDetail) (fields FeederId, "
        "CSV_LineSection, GenCapacity_kW); ICA Not Available (fields FeederId, CSV_LineSection, Reason); Feeder list "
        "(fields FeederID, SubID, Nominal_Voltage); Hourly profiles (ProcessedDeltaData, gica_MM_HH) (fields "
        "linesecid, feederid, loadscenario). Its fields are NAME, FACILITYID, IMAP_VOLTAGE, EXIST_GEN, QUE_GEN, "
        "TOT_GEN, PROJ_LOAD, PENETRATION.\n"
    )
    assert digest(folder) == before


def test_missing_field_and_unknown_crs(ica_root: Path, tmp_path: Path) -> None:
    folder = new_ica_filing(ica_root, "pge", folder=tmp_path / "data" / "pge" / "ica-2026-h2")
    short = tmp_path / "ICA_Feeders.csv"
    lines = (NATIVE / "pge" / "ICA_Feeders.csv").read_text(encoding="utf-8").splitlines()
    short.write_text("\n".join(",".join(line.split(",")[:5]) for line in lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as lacks:
        import_ica("pge", [short], folder, ica_root)
    assert str(lacks.value) == (
        f"{short} looks like Feeder list, but lacks the fields AgrCust, ComCust, Existing_DG, IndCust, Load_Profile, "
        "OthCust, Queued_DG, ResCust, TotCust, Total_DG that validation/ica-biannual/1.1/import/pge.yaml reads from "
        "it. Export every field of the layer, or ask Energy Division to correct the mapping."
    )
    projected = tmp_path / "state_plane.geojson"
    table = pa.table(
        {
            "FeederId": ["012341101"],
            "CSV_LineSection": ["LS1"],
            "Reason": ["Redacted"],
            "ICA_Analysis_Date": [1777881600000],
            "voltage_kv": [12.0],
            "phase_cnt": [3],
            "geometry": pa.array([shapely.to_wkb(shapely.LineString([(6e6, 2e6), (6e6 + 5, 2e6)]))]),
        }
    )
    pyogrio.write_arrow(
        table, projected, driver="GeoJSON", geometry_name="geometry", geometry_type="LineString", crs="EPSG:2227"
    )
    with pytest.raises(InputError) as crs:
        import_ica("pge", [projected], folder, ica_root)
    assert str(crs.value) == (
        f"{projected} is in the coordinate reference system EPSG:2227; the import reads WGS 84 "
        "(EPSG:4326) and Web Mercator (EPSG:3857). Export the layer in one of them."
    )


def test_another_utilitys_filing_is_a_setup_error(ica_root: Path, tmp_path: Path) -> None:
    folder = new_ica_filing(ica_root, "sce", folder=tmp_path / "data" / "sce" / "ica-2026-h2")
    result = invoke("--from", "pge", "tests/imports/native/pge/ICA_Feeders.csv", str(folder))
    assert result.exit_code == 2
    assert result.output == (
        f"gridmod: {folder} is a filing of 'sce', not pge: import pge's data into one of its "
        "own filings (data/pge/...).\n"
    )


def test_broken_mapping_is_a_setup_error(ica_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from gridmod.imports import mapping

    folder = new_ica_filing(ica_root, "pge", folder=tmp_path / "data" / "pge" / "ica-2026-h2")
    broken = tmp_path / "import"
    shutil.copytree(ica_root / "validation" / "ica-biannual" / "1.1" / "import", broken)
    raw = yaml.safe_load((broken / "pge.yaml").read_text(encoding="utf-8"))
    raw["sources"][2]["tables"]["feeders"]["columns"]["total_dg_kw"]["unit"] = "GW"
    (broken / "pge.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setattr(mapping, "mapping_path", lambda profile, utility: broken / f"{utility}.yaml")
    with pytest.raises(SetupError) as error:
        import_ica("pge", native("pge"), folder, ica_root)
    assert str(error.value) == (
        f"The import mapping {broken}/pge.yaml cannot be used: source feeders: total_dg_kw has unit GW, not in units:"
    )


def test_failure_leaves_the_filing_as_it_was(ica_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gridmod.imports import writers

    folder = new_ica_filing(ica_root, "pge", folder=tmp_path / "data" / "pge" / "ica-2026-h2")
    before = digest(folder)

    def fail(self, frame) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers.ParquetSink, "write", fail)
    with pytest.raises(OSError):
        import_ica("pge", native("pge"), folder, ica_root)
    assert digest(folder) == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["ica-2026-h2"]


def test_import_again_gives_the_same_bytes(ica_root: Path, tmp_path: Path) -> None:
    folder = new_ica_filing(ica_root, "sce", folder=tmp_path / "data" / "sce" / "ica-2026-h2")
    import_ica("sce", native("sce"), folder, ica_root)
    first = digest(folder)
    import_ica("sce", native("sce"), folder, ica_root)
    assert digest(folder) == first
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]].count("results") == 1


def test_a_failed_reimport_leaves_the_imported_filing_as_it_was(
    ica_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staging copy links the filing's files: writing the new tables must never write through the links."""
    from gridmod.imports import run

    folder = new_ica_filing(ica_root, "sdge", folder=tmp_path / "data" / "sdge" / "ica-2026-h2")
    import_ica("sdge", native("sdge"), folder, ica_root)
    before = digest(folder)

    def fail(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(run, "update_descriptor", fail)
    with pytest.raises(OSError):
        import_ica("sdge", native("sdge")[:1], folder, ica_root)
    assert digest(folder) == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["ica-2026-h2"]


def test_a_csv_that_is_not_utf8_cannot_be_read(ica_root: Path, tmp_path: Path) -> None:
    folder = new_ica_filing(ica_root, "sdge", folder=tmp_path / "data" / "sdge" / "ica-2026-h2")
    latin = tmp_path / "ICA_Substations.csv"
    latin.write_bytes((NATIVE / "sdge" / "ICA_Substations.csv").read_bytes().replace(b"MISSION", b"MISI\xd3N"))
    result = invoke("--from", "sdge", str(latin), str(folder))
    assert result.exit_code == 1
    assert result.output.startswith(f"gridmod: {latin} cannot be read as CSV (")


def test_a_profile_1_0_filing_has_no_mapping(ica_root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data" / "pge" / "ica-2026-h2"
    shutil.copytree(ica_root / "data" / "pge" / "ica-2026-h2", folder)
    result = invoke("--from", "pge", "tests/imports/native/pge/ICA_Feeders.csv", str(folder))
    assert result.exit_code == 2
    assert result.output == (
        "gridmod: Profile ica-biannual 1.0 has no import mapping for pge "
        "(validation/ica-biannual/1.0/import/pge.yaml); the import needs one. Import into a "
        "filing of a profile version that has it.\n"
    )


def test_zip_files_are_read_layer_by_layer(ica_root: Path, tmp_path: Path) -> None:
    """A zipped shapefile, and the per-feeder hourly CSVs in one zip file, as the utilities hand them out."""
    import zipfile

    shapefile = tmp_path / "grids.zip"
    with zipfile.ZipFile(shapefile, "w") as archive:
        for part in sorted((NATIVE / "sdge").glob("ICA_Load_Capacity_Grids.*")):
            archive.write(part, part.name)
    folder = new_ica_filing(ica_root, "sdge", folder=tmp_path / "data" / "sdge" / "ica-2026-h2")
    result = import_ica("sdge", [shapefile, NATIVE / "sdge" / "ICA_Substations.csv"], folder, ica_root)
    assert result.ok and result.tables["line_sections.parquet"] == 180
    hourly = tmp_path / "hourly.zip"
    with zipfile.ZipFile(hourly, "w") as archive:
        for part in sorted((NATIVE / "pge").glob("ProcessedDeltaData_*.csv")):
            archive.write(part, part.name)
    folder = new_ica_filing(ica_root, "pge", folder=tmp_path / "data" / "pge" / "ica-2026-h2")
    files = [p for p in native("pge") if not p.name.startswith("ProcessedDeltaData")] + [hourly]
    result = import_ica("pge", files, folder, ica_root)
    assert result.ok
    assert [(s.file.rsplit("/", 1)[-1], s.read) for s in result.sources if s.source == "hourly"] == [
        ("hourly.zip (layer ProcessedDeltaData_part1)", 288),
        ("hourly.zip (layer ProcessedDeltaData_part2)", 288),
    ]
    assert result.tables["hourly.parquet"] == 165888


def test_a_folder_that_is_no_filing_and_a_file_given_twice(ica_root: Path, tmp_path: Path) -> None:
    empty = tmp_path / "data" / "pge" / "ica-2026-h2"
    empty.mkdir(parents=True)
    result = invoke("--from", "pge", "tests/imports/native/pge/ICA_Feeders.csv", str(empty))
    assert (result.exit_code, result.output) == (
        1,
        (
            f"gridmod: {empty}/datapackage.json cannot be read: the file does not exist. Import into a filing made by "
            "`gridmod new UTILITY FILING --profile ica-biannual`.\n"
        ),
    )
    folder = new_ica_filing(ica_root, "sce", folder=tmp_path / "data" / "sce" / "ica-2026-h2")
    segments = "tests/imports/native/sce/ICA_Circuit_Segments.geojson"
    twice = invoke("--from", "sce", segments, f"./{segments}", str(folder))
    assert (twice.exit_code, twice.output) == (
        1,
        f"gridmod: {segments} is given more than once; give each native file once.\n",
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda raw: raw["sources"][0]["tables"]["results"]["columns"].update(
                analysis_date={"date": "X", "text": "Y"}
            ),
            "column analysis_date: give exactly one of text, number, integer, date, code, key, join, value, geometry, "
            "point, lookup (got ['date', 'text'])",
        ),
        (
            lambda raw: raw["keys"]["feeder"].update(rule="guess"),
            "keys: feeder has rule 'guess'; rules are digits, name, parts, id",
        ),
        (
            lambda raw: raw["sources"][0]["tables"].update(maps={"columns": {}}),
            "source line_details fills table maps, which profile ica-biannual 1.1 does not have",
        ),
        (
            lambda raw: raw["sources"][0]["tables"]["results"]["columns"].update(colour={"text": "X"}),
            "source line_details: results has no column colour",
        ),
        (
            lambda raw: raw["sources"][0]["tables"]["results"]["columns"].update(
                feeder_id={"key": "circuit", "field": "X"}
            ),
            "source line_details: feeder_id uses key circuit, which keys: does not define",
        ),
        (
            lambda raw: raw["sources"][0]["tables"]["results"]["rows"][0].update(
                static_criterion={"code": "X", "codes": "c"}
            ),
            "source line_details: static_criterion uses codes 'c', which codes: does not define",
        ),
        (
            lambda raw: raw["sources"][2]["tables"]["feeders"]["columns"]["nominal_voltage_kv"].update(
                fallback="guess"
            ),
            "source feeders: nominal_voltage_kv has fallback guess; the import knows line_sections.voltage_kv",
        ),
        (
            lambda raw: raw["sources"][0]["tables"]["line_sections"]["columns"].update(
                phase_count={"lookup": "phases", "fields": ["FeederId"]}
            ),
            "source line_details: phase_count looks up phases, which is no source with lookup:",
        ),
        (
            lambda raw: raw["sources"][3]["tables"]["hourly"]["wide"].update(fields="gica_{hour}"),
            "source hourly: wide: fields must name {month} and {hour}",
        ),
    ],
)
def test_a_mapping_that_could_never_run_is_refused_before_it_starts(
    ica_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit, message: str
) -> None:
    import yaml

    from gridmod.imports import mapping

    folder = new_ica_filing(ica_root, "pge", folder=tmp_path / "data" / "pge" / "ica-2026-h2")
    broken = tmp_path / "import"
    shutil.copytree(ica_root / "validation" / "ica-biannual" / "1.1" / "import", broken)
    raw = yaml.safe_load((broken / "pge.yaml").read_text(encoding="utf-8"))
    edit(raw)
    (broken / "pge.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setattr(mapping, "mapping_path", lambda profile, utility: broken / f"{utility}.yaml")
    before = digest(folder)
    with pytest.raises(SetupError) as error:
        import_ica("pge", native("pge"), folder, ica_root)
    assert str(error.value) == f"The import mapping {broken}/pge.yaml cannot be used: {message}"
    assert digest(folder) == before


def test_a_filing_of_a_profile_the_repository_lacks(ica_root: Path, tmp_path: Path) -> None:
    folder = new_ica_filing(ica_root, "pge", folder=tmp_path / "data" / "pge" / "ica-2026-h2")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["gridmod"]["profile_version"] = "9.9"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    result = invoke("--from", "pge", "tests/imports/native/pge/ICA_Feeders.csv", str(folder))
    assert (result.exit_code, result.output) == (
        2,
        f"gridmod: {folder} follows profile ica-biannual 9.9, which this repository does not have.\n",
    )


def test_without_the_lookup_layer_its_values_stay_empty(ica_root: Path, tmp_path: Path) -> None:
    folder = new_ica_filing(ica_root, "sce", folder=tmp_path / "data" / "sce" / "ica-2026-h2")
    result = import_ica("sce", [NATIVE / "sce" / "ICA_Circuit_Segments.geojson"], folder, ica_root)
    assert (
        "No non_3_phase layer was imported: the values tests/imports/native/sce/ICA_Circuit_Segments.geojson "
        "takes from it are left empty."
    ) in result.notes
    import polars as pl

    assert pl.read_parquet(folder / "line_sections.parquet")["phase_count"].null_count() == 228
