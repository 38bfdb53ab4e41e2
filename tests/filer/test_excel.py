"""The workbook: generated from the profile, lossless for the samples, strict about what it reads back."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from gridmod.excel import WorkbookRefused, export_workbook, import_workbook
from gridmod.excel.layout import STAMP
from tests.filer.filerfixtures import REPO, SAMPLES, gridmod

MINIMAL = REPO / "tests" / "fixtures" / "valid_minimal"


def package(repo: Path, source: Path = MINIMAL, name: str = "data/pge/gmr-2026") -> Path:
    target = repo / name
    shutil.copytree(source, target)
    return target


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("sample", SAMPLES, ids=[f"{p.parent.name}-{p.name}" for p in SAMPLES])
def test_export_then_import_gives_the_same_bytes(repo: Path, sample: Path) -> None:
    folder = package(repo, sample, f"data/{sample.parent.name}/{sample.name}")
    before = files(folder)
    export_workbook(folder, repo, repo / "book.xlsx")
    result = import_workbook(repo / "book.xlsx", folder, repo)
    assert result.notes == [] and result.added == []
    assert files(folder) == before  # every CSV and datapackage.json, byte for byte


def test_workbook_layout_follows_the_profile(repo: Path) -> None:
    folder = package(repo)
    export_workbook(folder, repo, repo / "book.xlsx")
    wb = openpyxl.load_workbook(repo / "book.xlsx")
    assert wb.sheetnames == [
        "Instructions",
        "categories",
        "activities",
        "milestones",
        "costs",
        "use_cases",
        "explanations",
        STAMP,
    ]
    assert wb[STAMP].sheet_state == "veryHidden"
    stamp = {row[0]: row[1] for row in wb[STAMP].iter_rows(values_only=True)}
    assert (stamp["profile"], stamp["profile_version"], stamp["utility"], stamp["filing_id"]) == (
        "gmr-appendix-a",
        "1.0",
        "pge",
        "gmr-2026",
    )
    ws = wb["milestones"]
    assert [c.value for c in ws[1]] == [
        "activity_id",
        "milestone_id",
        "milestone_name",
        "status",
        "baseline_date",
        "forecast_date",
        "actual_date",
    ]
    assert ws.freeze_panes == "A2" and ws.protection.sheet
    assert not ws.protection.insertRows and not ws.protection.sort  # filers may add and sort rows
    assert ws["A1"].protection.locked and not ws["A2"].protection.locked
    assert not ws.column_dimensions["A"].protection.locked  # rows typed below the data are editable too
    assert ws["E2"].value == datetime(2025, 6, 30) and ws["E2"].number_format == "yyyy-mm-dd"
    assert ws["A2"].number_format == "@"  # text columns stay text: no 1-2 turned into a date
    status = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list" and "D2" in dv.sqref)
    assert status.formula1 == '"achieved,on_track,delayed,cancelled"'
    assert status.promptTitle == "Status" and "achieved, on_track, delayed or cancelled" in status.prompt
    assert all(
        len(dv.prompt or "") <= 255 and len(dv.promptTitle or "") <= 32
        for sheet in wb.worksheets
        for dv in sheet.data_validations.dataValidation
    )
    dates = next(dv for dv in ws.data_validations.dataValidation if dv.type == "date")
    assert "E2:E1048576" in str(dates.sqref)
    costs = wb["costs"]
    assert costs["E2"].value == 4200000 and costs["E2"].number_format == "#,##0"
    assert costs["B2"].number_format == "0"  # a year without a thousands separator
    flags = next(dv for dv in wb["categories"].data_validations.dataValidation if "B2" in dv.sqref)
    assert flags.formula1 == '"true,false"'
    instructions = [row[0] for row in wb["Instructions"].iter_rows(values_only=True) if row and row[0]]
    assert any("gridmod excel import THIS_FILE.xlsx data/pge/gmr-2026" in str(line) for line in instructions)


def test_a_workbook_of_another_profile_version_is_refused(repo: Path) -> None:
    assert gridmod("new", "pge", "gmr-2028", "--profile-version", "1.1").exit_code == 0
    assert gridmod("excel", "export", "data/pge/gmr-2028", "-o", "new.xlsx").exit_code == 0
    package(repo)  # a gmr-appendix-a 1.0 filing
    result = gridmod("excel", "import", "new.xlsx", "data/pge/gmr-2026")
    assert result.exit_code == 2
    assert result.output == (
        "gridmod: new.xlsx was made for profile gmr-appendix-a 1.1, but data/pge/gmr-2026 follows profile "
        "gmr-appendix-a 1.0. Make a workbook for this filing with `gridmod excel export data/pge/gmr-2026`, "
        "copy your rows into it, and import that one.\n"
    )


def test_a_workbook_of_another_filing_or_without_stamp_is_refused(repo: Path) -> None:
    folder = package(repo)
    other = package(repo, name="data/sce/gmr-2026")
    descriptor = other / "datapackage.json"
    descriptor.write_text(descriptor.read_text().replace('"utility": "pge"', '"utility": "sce"'))
    export_workbook(other, repo, repo / "sce.xlsx")
    with pytest.raises(WorkbookRefused, match="made for filing sce gmr-2026, but data/pge/gmr-2026 is filing pge"):
        import_workbook(repo / "sce.xlsx", folder, repo)
    plain = openpyxl.Workbook()
    plain.save(repo / "plain.xlsx")
    with pytest.raises(WorkbookRefused, match="was not made by `gridmod excel export`"):
        import_workbook(repo / "plain.xlsx", folder, repo)


def _with_part(book: Path, target: Path, name: str, data: bytes, content_type: str | None = None) -> Path:
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(target, "w") as out:
        for item in src.infolist():
            payload = src.read(item.filename)
            if content_type and item.filename == "[Content_Types].xml":
                payload = payload.replace(b"</Types>", content_type.encode() + b"</Types>")
            out.writestr(item, payload)
        out.writestr(name, data)
    return target


def test_macros_links_and_other_formats_are_refused_before_reading(repo: Path) -> None:
    folder = package(repo)
    export_workbook(folder, repo, repo / "book.xlsx")
    shutil.copy(repo / "book.xlsx", repo / "book.xlsm")
    with pytest.raises(WorkbookRefused, match=r"macro-enabled workbook \(\.xlsm\)"):
        import_workbook(repo / "book.xlsm", folder, repo)
    vba = _with_part(repo / "book.xlsx", repo / "vba.xlsx", "xl/vbaProject.bin", b"\x00macro")
    with pytest.raises(WorkbookRefused, match="contains macros"):
        import_workbook(vba, folder, repo)
    linked = _with_part(repo / "book.xlsx", repo / "linked.xlsx", "xl/externalLinks/externalLink1.xml", b"<x/>")
    with pytest.raises(WorkbookRefused, match="links to other workbooks"):
        import_workbook(linked, folder, repo)
    (repo / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0 an Excel 97 file")
    with pytest.raises(WorkbookRefused, match="not a zip archive"):
        import_workbook(repo / "old.xlsx", folder, repo)
    before = files(folder)
    assert files(folder) == before  # nothing was written by any refused import


def test_dates_in_the_1904_system_and_as_serial_numbers(repo: Path) -> None:
    folder = package(repo)
    export_workbook(folder, repo, repo / "book.xlsx")
    wb = openpyxl.load_workbook(repo / "book.xlsx")
    wb.epoch = CALENDAR_MAC_1904  # a workbook from Excel for Mac before 2011
    ws = wb["milestones"]
    ws["E2"].number_format = "General"
    ws["E2"].value = 43645  # 2023-06-30 counted from 1904-01-01: a date Excel shows as a plain number
    wb.save(repo / "mac.xlsx")
    result = import_workbook(repo / "mac.xlsx", folder, repo)
    rows = (folder / "milestones.csv").read_text().splitlines()
    assert rows[1].split(",")[4] == date(2023, 6, 30).isoformat()
    assert rows[2] == "adms-phase-2,m2,Volt/VAR optimization on the first 50 feeders,delayed,2026-06-30,2026-11-30,"
    assert (
        "milestones!E2: the number 43645 was read as the date 2023-06-30 (Excel's 1904 date system); give the "
        "cell a date format to see it." in result.notes
    )
    wb = openpyxl.load_workbook(repo / "book.xlsx")
    assert wb.epoch == CALENDAR_WINDOWS_1900
    wb["milestones"]["E2"].number_format = "General"
    wb["milestones"]["E2"].value = 45838  # 2025-06-30 in the 1900 system
    wb.save(repo / "win.xlsx")
    import_workbook(repo / "win.xlsx", folder, repo)
    assert (folder / "milestones.csv").read_text().splitlines()[1].split(",")[4] == "2025-06-30"


def _add_formula(book: Path, target: Path, sheet_index: int, cell: str, formula: str) -> Path:
    """Give a cell a formula beside its saved value, as Excel writes it (openpyxl cannot save both)."""
    part = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(target, "w") as out:
        for item in src.infolist():
            payload = src.read(item.filename)
            if item.filename == part:
                payload = re.sub(
                    rf'(<c r="{cell}"[^>]*>)(<v>)'.encode(), rb"\1<f>" + formula.encode() + rb"</f>\2", payload, count=1
                )
            out.writestr(item, payload)
    return target


def test_formulas_merged_cells_hidden_sheets_and_rows_are_reported(repo: Path) -> None:
    folder = package(repo)
    export_workbook(folder, repo, repo / "book.xlsx")
    wb = openpyxl.load_workbook(repo / "book.xlsx")
    costs = wb["costs"]
    costs["E3"] = "=5000000+600000"  # typed by the filer, never calculated: no saved value
    costs.sheet_state = "hidden"
    wb["milestones"].merge_cells("A2:A3")
    wb["milestones"].row_dimensions[4].hidden = True
    wb.save(repo / "edited.xlsx")
    book = _add_formula(repo / "edited.xlsx", repo / "formula.xlsx", 5, "E2", "4000000+200000")
    result = import_workbook(book, folder, repo)
    assert (
        "costs!E2 holds the formula =4000000+200000; the value it showed when the workbook was saved, "
        "4200000, was imported." in result.notes
    )
    assert any(n.startswith("costs!E3 holds the formula =5000000+600000 but no saved result") for n in result.notes)
    assert "Sheet costs is hidden in the workbook; its rows were imported all the same." in result.notes
    assert any(
        n.startswith("milestones!A2:A3 is a merged cell: Excel keeps its value only in A2") for n in result.notes
    )
    assert "Rows 4 of sheet milestones are hidden; they were imported all the same." in result.notes
    assert (folder / "costs.csv").read_text().splitlines()[1] == "adms-phase-2,2024,capital,recorded,4200000,4000000"
    checked = gridmod("excel", "import", "formula.xlsx", "data/pge/gmr-2026")
    assert (
        "  costs!E3: error GMR-E011: Column amount_usd is empty, but every row needs a value here."
        in checked.output.splitlines()
    )
    assert (
        "  milestones!A3: error GMR-E011: Column activity_id is empty, but every row needs a value here."
        in checked.output.splitlines()
    )


def test_findings_on_records_spanning_lines_point_at_the_right_row(repo: Path) -> None:
    folder = package(repo)
    export_workbook(folder, repo, repo / "book.xlsx")
    wb = openpyxl.load_workbook(repo / "book.xlsx")
    ws = wb["explanations"]
    ws["C2"] = "First line of a long explanation,\nand its second line after a line break in the cell."
    ws.append(["GMR-X999", "nothing/2025", "An explanation for a rule that does not exist."])
    wb.save(repo / "book.xlsx")
    result = gridmod("excel", "import", "book.xlsx", "data/pge/gmr-2026")
    assert (
        "  explanations!A3: error GMR-E013: 'GMR-X999' in column code does not have the required form."
        not in result.output
    )  # the pattern allows it; the rule catalogue does not:
    assert (
        "  explanations!A3: error GMR-E080: 'GMR-X999' is not a rule code of profile gmr-appendix-a 1.0."
        in result.output.splitlines()
    )
    assert (folder / "explanations.csv").read_text().count("\n") == 4  # header, 2 lines of row 2, row 3


def test_workbook_xml_is_parsed_with_defusedxml() -> None:
    """openpyxl uses defusedxml when it is installed: entity expansion in a hostile workbook is refused."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_export_from_inside_the_filing_writes_outside_data_and_prints_a_command_that_runs_there(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = package(repo)
    monkeypatch.chdir(folder)
    exported = gridmod("excel", "export", ".")
    assert exported.exit_code == 0, exported.output
    assert (repo / "pge-gmr-2026.xlsx").is_file() and not list(folder.glob("*.xlsx"))
    lines = exported.output.splitlines()
    assert lines[0].startswith("Wrote ../../../pge-gmr-2026.xlsx for data/pge/gmr-2026 (profile gmr-appendix-a 1.0)")
    assert lines[1] == "Fill it in, save it as .xlsx, then: gridmod excel import ../../../pge-gmr-2026.xlsx ."
    command = lines[1].split("then: gridmod ")[1].split()
    imported = gridmod(*command)
    assert imported.exit_code == 0, imported.output
    assert (repo / "pge-gmr-2026.xlsx").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_workbook_left_in_the_filing_folder_is_a_warning_and_git_ignores_it(repo: Path) -> None:
    folder = package(repo)
    assert gridmod("excel", "export", "data/pge/gmr-2026", "-o", "data/pge/gmr-2026/pge.xlsx").exit_code == 0
    checked = gridmod("validate", "data/pge/gmr-2026", "--quick")
    assert (
        "data/pge/gmr-2026/pge.xlsx: warning GMR-W031: 'pge.xlsx' is in the filing folder, but no resource "
        "of datapackage.json lists it: it is not part of the filing and is not checked."
    ) in checked.output
    ignored = [line.strip() for line in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()]
    assert "/data/**/*.xlsx" in ignored and "/data/**/~$*" in ignored
    assert (folder / "pge.xlsx").is_file()
