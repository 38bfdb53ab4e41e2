"""Every ICA rule has a defect fixture that triggers it, at the file, line and column an editor shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gridmod.cli import main
from gridmod.validate import validate_filing

from ..conftest import ROOT

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MANIFEST = json.loads((FIXTURES / "defects" / "manifest.json").read_text(encoding="utf-8"))
RULES = yaml.safe_load((ROOT / "validation/ica-biannual/1.0/rules.yaml").read_text())["rules"]
# Drift against the previous filing and the remediation plans held to it need a repository with two filings:
# tests/ica/test_drift.py and tests/ica/test_plans.py.
ELSEWHERE = {"ICA-W190", "ICA-W191", "ICA-W192", "ICA-W193", "ICA-W194", "ICA-X148", "ICA-E149"}
# The defects issue 3 names; each must fail the filing (exit 1) with its finding.
NAMED = (
    "duplicate_section",
    "orphan_feeder",
    "mw_as_kw",
    "stale_results",
    "metric_disagrees",
    "text_in_numeric_cell",
    "missing_hours",
)


def test_valid_minimal_has_no_findings(root: Path) -> None:
    result = validate_filing(FIXTURES / "valid_minimal", root).result
    assert [f for f in result.findings if f.is_open] == []
    assert result.valid


def test_every_ica_rule_has_a_fixture() -> None:
    own = {r["code"] for r in RULES if not r.get("retired") and int(r["code"][5:]) > 100}
    assert own - {e["code"] for e in MANIFEST.values()} - ELSEWHERE == set()


def test_structure_rules_exist_under_the_ica_prefix() -> None:
    """descriptor.py and tabular.py ask every profile for the same structure numbers."""
    gmr = yaml.safe_load((ROOT / "validation/gmr-appendix-a/1.0/rules.yaml").read_text())["rules"]
    shared = {r["code"][4:] for r in gmr if r["phase"] == "structure"}
    assert shared <= {r["code"][4:] for r in RULES}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_defect_is_found_where_it_is(name: str, root: Path) -> None:
    expected = MANIFEST[name]
    result = validate_filing(FIXTURES / "defects" / name, root).result
    path = f"tests/ica/fixtures/defects/{name}/{expected['path']}"
    hits = [f for f in result.findings if f.code == expected["code"]]
    assert hits, f"{name}: no {expected['code']} among {[(f.code, f.path, f.line) for f in result.findings]}"
    assert any(f.path == path and f.line == expected["line"] and f.column == expected["column"] for f in hits), (
        f"{name}: {expected} not among {[(f.path, f.line, f.column) for f in hits]}"
    )
    assert result.valid is (hits[0].severity == "warning")


@pytest.mark.parametrize("name", NAMED)
def test_named_defect_fails_the_filing_on_the_command_line(name: str) -> None:
    expected = MANIFEST[name]
    folder = f"tests/ica/fixtures/defects/{name}"
    outcome = CliRunner().invoke(main, ["validate", folder])
    assert outcome.exit_code == 1, outcome.output
    where = f"{folder}/{expected['path']}:{expected['line']}:{expected['column']}"
    label = "needs explanation" if expected["code"][4] == "X" else "error"
    assert f"{where}: {label} {expected['code']}:" in outcome.output
