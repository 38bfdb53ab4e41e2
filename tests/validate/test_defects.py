"""Every rule of the catalogue is triggered by a fixture, at the file, line and column a filer's editor shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from gridmod.validate import validate_filing

from ..conftest import FIXTURES, ROOT

MANIFEST = json.loads((FIXTURES / "defects" / "manifest.json").read_text(encoding="utf-8"))
RULES = yaml.safe_load((ROOT / "validation/gmr-appendix-a/1.0/rules.yaml").read_text())["rules"]
# Rules whose trigger needs a repository layout or a limit rather than a small filing: tested below.
ELSEWHERE = {
    "GMR-E021",
    "GMR-E025",
    "GMR-E027",
    "GMR-W094",
    "GMR-W095",
    "GMR-W096",
}  # W094-W096: drift, tests/pr/test_drift.py


def test_valid_minimal_is_valid(root: Path) -> None:
    result = validate_filing(FIXTURES / "valid_minimal", root).result
    assert [f for f in result.findings if f.is_open] == []
    assert result.valid


def test_every_rule_has_a_defect_fixture() -> None:
    covered = {entry["code"] for entry in MANIFEST.values()} | ELSEWHERE
    assert {r["code"] for r in RULES if not r.get("retired")} - covered == set()


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_defect_is_found_where_it_is(name: str, root: Path) -> None:
    expected = MANIFEST[name]
    result = validate_filing(FIXTURES / "defects" / name, root).result
    path = f"tests/fixtures/defects/{name}/{expected['path']}"
    hits = [f for f in result.findings if f.code == expected["code"]]
    assert hits, f"{name}: no {expected['code']} among {[(f.code, f.path, f.line) for f in result.findings]}"
    assert any(f.path == path and f.line == expected["line"] and f.column == expected["column"] for f in hits), (
        f"{name}: {expected} not among {[(f.path, f.line, f.column) for f in hits]}"
    )
    severity = hits[0].severity
    assert result.valid is (severity == "warning")


def _repo_copy(tmp_path: Path, utility: str, filing_id: str) -> Path:
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n")
    shutil.copytree(ROOT / "validation", tmp_path / "validation")
    target = tmp_path / "data" / utility / filing_id
    shutil.copytree(FIXTURES / "valid_minimal", target)
    return target


def test_folder_and_metadata_disagree(tmp_path: Path) -> None:
    folder = _repo_copy(tmp_path, "sce", "gmr-2026")
    result = validate_filing(folder, tmp_path).result
    hits = [f for f in result.findings if f.code == "GMR-E021"]
    assert [(f.path, f.field) for f in hits] == [("data/sce/gmr-2026/datapackage.json", "utility")]
    assert "utility 'sce'" in hits[0].message
    assert not result.valid


def test_file_over_the_limit(tmp_path: Path) -> None:
    folder = _repo_copy(tmp_path, "pge", "gmr-2026")
    rules = tmp_path / "validation/gmr-appendix-a/1.0/profile.yaml"
    rules.write_text(rules.read_text().replace("max_narrative_bytes: 1000000", "max_narrative_bytes: 10"))
    result = validate_filing(folder, tmp_path).result
    hits = {f.path for f in result.findings if f.code == "GMR-E025"}
    assert "data/pge/gmr-2026/narrative/summary.md" in hits
    assert not result.valid


def test_table_over_the_row_limit(tmp_path: Path) -> None:
    folder = _repo_copy(tmp_path, "pge", "gmr-2026")
    profile = tmp_path / "validation/gmr-appendix-a/1.0/profile.yaml"
    profile.write_text(profile.read_text().replace("max_rows: 100000", "max_rows: 2"))
    result = validate_filing(folder, tmp_path).result
    hits = [(f.path, f.line) for f in result.findings if f.code == "GMR-E027"]
    assert ("data/pge/gmr-2026/milestones.csv", 4) in hits
    assert not result.valid


def test_semicolon_rows_under_a_comma_header_are_found_at_every_row(tmp_path: Path, root: Path) -> None:
    """The dialect is said, not guessed: the header reads right, and each semicolon row is a located finding."""
    from gridmod.filing import stamp_resources

    folder = tmp_path / "filing"
    shutil.copytree(FIXTURES / "valid_minimal", folder)
    costs = folder / "costs.csv"
    header, *rows = costs.read_text(encoding="utf-8").splitlines()
    costs.write_text("\n".join([header, *(r.replace(",", ";") for r in rows)]) + "\n", encoding="utf-8")
    stamp_resources(folder)
    findings = validate_filing(folder, root).result.findings
    assert not [f for f in findings if f.code == "GMR-E009"]
    located = {(f.line, f.column) for f in findings if f.code == "GMR-E017" and f.path.endswith("costs.csv")}
    assert located == {(line, 2) for line in range(2, len(rows) + 2)}
