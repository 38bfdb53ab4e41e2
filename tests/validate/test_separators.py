"""A table saved with another separator than a comma (Excel writes ';' where the region's list separator is
';', and tabs from "Text (Tab delimited)") is one located finding at line 1 that names the separator and
how to save the file again (E063), and nothing downstream runs on the misread table: validate, render and
build end with exit 1, never an internal error. Commas with any quoting and either line ending stay valid.
A number written with thousands separators gets a hint that says so."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridmod.cli import main
from gridmod.filing import stamp_resources

from ..conftest import ROOT, repo_copy

SAMPLES = sorted(p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "data").glob("*/*/datapackage.json"))
NAMES = {";": "semicolons (;)", "\t": "tabs"}


def _tables(filing: str) -> list[str]:
    descriptor = json.loads((ROOT / filing / "datapackage.json").read_text(encoding="utf-8"))
    return [r["path"] for r in descriptor["resources"] if str(r.get("path", "")).endswith(".csv")]


TABLES = [(filing, table) for filing in SAMPLES for table in _tables(filing)]


def _rewrite(path: Path, delimiter: str, quoting: int = csv.QUOTE_MINIMAL, ending: str = "\n") -> None:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=ending).writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))


def _run(root: Path, *args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "internal error" not in result.output and "Traceback" not in result.output, result.output
    return result


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return repo_copy(tmp_path_factory.mktemp("separators") / "repo")


@pytest.fixture
def in_repo(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo)
    return repo


def test_every_sample_has_tables_of_both_profiles() -> None:
    assert len(SAMPLES) >= 8 and len(TABLES) >= 50
    assert {f.split("/")[-1].split("-")[0] for f in SAMPLES} == {"gmr", "ica"}


@pytest.mark.slow
@pytest.mark.parametrize("delimiter", [";", "\t"], ids=["semicolon", "tab"])
def test_every_table_of_every_sample_with_another_separator_is_one_finding_in_validate_render_and_build(
    delimiter: str, in_repo: Path
) -> None:
    by_filing = {filing: [t for f, t in TABLES if f == filing] for filing in SAMPLES}
    rounds = max(len(tables) for tables in by_filing.values())
    for number in range(rounds):
        broken = {filing: tables[number] for filing, tables in by_filing.items() if number < len(tables)}
        saved = {filing: (in_repo / filing / table).read_bytes() for filing, table in broken.items()}
        try:
            for filing, table in broken.items():
                _rewrite(in_repo / filing / table, delimiter)
                stamp_resources(in_repo / filing)
            result = _run(in_repo, "validate", *broken, "--quick", "--format", "json")
            assert result.exit_code == 1, result.output
            report = {p["path"]: p for p in json.loads(result.output)["packages"]}
            for filing, table in broken.items():
                findings = [f for f in report[filing]["findings"] if f["path"] == f"{filing}/{table}"]
                assert [(f["code"].split("-")[1], f["line"], f["column"]) for f in findings] == [("E063", 1, 1)]
                assert findings[0]["message"] == (
                    f"{table} is separated by {NAMES[delimiter]}, not by commas, so it "
                    "reads as a single column; nothing else in it was checked."
                )
                assert "CSV UTF-8 (Comma delimited)" in findings[0]["hint"]
                errors = [f for f in report[filing]["findings"] if f["severity"] == "error"]
                assert errors == findings, [(f["code"], f["path"], f["message"]) for f in errors]
                if table == "confidential.csv":  # its withheld cells are not called missing, and a note says why
                    assert any(
                        "not called missing: confidential.csv cannot be read" in n for n in report[filing]["notes"]
                    )
                rendered = _run(in_repo, "render", filing, "--output", str(in_repo / "reports"))
                assert rendered.exit_code == 1 and f"{filing}/{table}:1:1: error" in rendered.output
            built = _run(in_repo, "build", *broken)
            assert built.exit_code == 1 and built.output.count("-E063: ") >= len(broken), built.output
            assert sorted(p.name for p in (in_repo / "site").iterdir()) == ["README.md"]
            assert not any((in_repo / "reports").rglob("*.pdf"))
        finally:
            for filing, table in broken.items():
                (in_repo / filing / table).write_bytes(saved[filing])
                stamp_resources(in_repo / filing)


@pytest.mark.parametrize("delimiter", [";", "\t"], ids=["semicolon", "tab"])
def test_render_and_build_stop_with_the_finding(delimiter: str, in_repo: Path, tmp_path: Path) -> None:
    filing, table = "data/pge/gmr-2026", "activities.csv"
    saved = (in_repo / filing / table).read_bytes()
    try:
        _rewrite(in_repo / filing / table, delimiter)
        stamp_resources(in_repo / filing)
        rendered = _run(in_repo, "render", filing, "--output", str(tmp_path / "out"))
        assert rendered.exit_code == 1 and "E063" in rendered.output
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))
        built = _run(in_repo, "build", filing, "data/pge/gmr-2024")
        assert built.exit_code == 1 and f"{filing}/{table}:1:1: error GMR-E063" in built.output
        assert sorted(p.name for p in (in_repo / "site").iterdir()) == ["README.md"]
    finally:
        (in_repo / filing / table).write_bytes(saved)
        stamp_resources(in_repo / filing)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    case=st.sampled_from([(f, t) for f, t in TABLES if t != "confidential.csv"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    ending=st.sampled_from(["\n", "\r\n"]),
)
def test_any_separator_quoting_and_line_ending(
    in_repo: Path, case: tuple[str, str], delimiter: str, quoting: int, ending: str
) -> None:
    """Every table but confidential.csv, whose exact bytes the sealed part records (its other forms: above)."""
    filing, table = case
    path = in_repo / filing / table
    saved = path.read_bytes()
    try:
        _rewrite(path, delimiter, quoting, ending)
        stamp_resources(in_repo / filing)
        result = _run(in_repo, "validate", filing, "--quick", "--format", "json")
        findings = json.loads(result.output)["packages"][0]["findings"]
        errors = [(f["code"], f["path"], f["line"]) for f in findings if f["severity"] == "error"]
        if delimiter == ",":
            assert result.exit_code == 0, errors
            rendered = _run(in_repo, "render", filing, "--output", str(in_repo / "reports"))
            assert rendered.exit_code == 0, rendered.output
        else:
            assert result.exit_code == 1 and errors == [(errors[0][0], f"{filing}/{table}", 1)], errors
            assert errors[0][0].endswith("-E063")
    finally:
        path.write_bytes(saved)
        stamp_resources(in_repo / filing)


def test_a_number_with_thousands_separators_gets_a_hint(in_repo: Path) -> None:
    filing = "data/pge/gmr-2026"
    path = in_repo / filing / "costs.csv"
    saved = path.read_bytes()
    try:
        lines = saved.decode("utf-8").split("\n")
        cells = lines[1].split(",")
        amount = cells[4]
        cells[4] = f"{int(amount):,}"
        lines[1] = ",".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8")
        stamp_resources(in_repo / filing)
        result = _run(in_repo, "validate", filing, "--quick", "--format", "json")
        findings = [f for f in json.loads(result.output)["packages"][0]["findings"] if f["path"].endswith("costs.csv")]
        assert [(f["code"], f["line"], f["column"]) for f in findings] == [("GMR-E017", 2, 5)]
        assert findings[0]["message"] == (
            f"This row has more cells than the header's {len(lines[0].split(','))} columns; '{int(amount):,}' here "
            "looks like a number "
            "written with thousands separators, which split it into cells."
        )
        assert "4200000, not 4,200,000" in findings[0]["hint"]
    finally:
        path.write_bytes(saved)
        stamp_resources(in_repo / filing)


def test_the_thousands_hint_is_given_only_where_it_explains_the_row() -> None:
    from gridmod.validate.tabular import _thousands

    fields = [{"name": "a", "type": "string"}, {"name": "n", "type": "integer"}, {"name": "m", "type": "integer"}]
    assert _thousands(["x", "4", "200", "000", "7"], fields) == (1, "4,200,000")
    assert _thousands(["x", "7", "1", "250"], fields) == (2, "1,250")
    # A stray comma in the text shifts the row: 12 and 345 are the two number columns, not one number.
    assert _thousands(["x", "y", "12", "345"], fields) is None
