"""Hostile workbooks: refused with a message and exit code 1 before anything is read or written."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from gridmod.cli import main

from ..conftest import FIXTURES, ROOT

BOMB_XML = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def _rewrite(
    book: Path,
    out: Path,
    add: dict[str, bytes] | None = None,
    replace: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            data = (replace or {}).get(item.filename, source.read(item.filename))
            target.writestr(item.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out


def _sheet(book: Path, title: str) -> str:
    """The archive part of a sheet, e.g. xl/worksheets/sheet3.xml."""
    with zipfile.ZipFile(book) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    import re

    rid = re.search(rf'<sheet[^>]*name="{title}"[^>]*r:id="([^"]+)"', workbook).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rid}"', rels
    )
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


HAZARDS = {
    "macro_enabled_name": lambda book, tmp: shutil.copy(book, tmp / "book.xlsm") and tmp / "book.xlsm",
    "vba_project": lambda book, tmp: _rewrite(book, tmp / "vba.xlsx", add={"xl/vbaProject.bin": b"\x00" * 64}),
    "external_link": lambda book, tmp: _rewrite(
        book, tmp / "link.xlsx", add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}
    ),
    "data_connection": lambda book, tmp: _rewrite(book, tmp / "conn.xlsx", add={"xl/connections.xml": b"<c/>"}),
    "zip_bomb": lambda book, tmp: _rewrite(book, tmp / "bomb.xlsx", add={"xl/media/zeros.bin": b"\x00" * 300_000_000}),
    "xml_entity_bomb": lambda book, tmp: _rewrite(book, tmp / "lol.xlsx", replace={_sheet(book, "costs"): BOMB_XML}),
    "not_a_zip": lambda book, tmp: (tmp / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0 legacy") and tmp / "old.xlsx",
}


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("workbook")
    folder = base / "filing"
    shutil.copytree(FIXTURES / "valid_minimal", folder)
    book = base / "book.xlsx"
    result = CliRunner().invoke(main, ["excel", "export", str(folder), "--output", str(book)])
    assert result.exit_code == 0, result.output
    return folder, book


@pytest.mark.parametrize("hazard", sorted(HAZARDS))
def test_hostile_workbook_is_refused(hazard: str, exported: tuple[Path, Path], tmp_path: Path, listener) -> None:
    folder, book = exported
    hostile = HAZARDS[hazard](book, tmp_path)
    before, repo_before = _files(folder), sorted(p.name for p in ROOT.iterdir())
    result = CliRunner().invoke(main, ["excel", "import", str(hostile), str(folder)])
    assert result.exit_code == 1, (hazard, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert hostile.name in result.output
    assert _files(folder) == before
    assert listener.accepted == []
    assert sorted(p.name for p in ROOT.iterdir()) == repo_before
