"""Profile gmr-appendix-a 1.1: its valid fixture has no finding, every rule 1.1 has and 1.0 lacks has a
defect fixture that triggers it at the file, line and column an editor shows, and 1.0 keeps its rules."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml

from gridmod.filing import stamp_resources
from gridmod.spec import load_profile
from gridmod.validate import validate_filing

from ..conftest import FIXTURES as FIXTURES_10
from ..conftest import ROOT

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MANIFEST = json.loads((FIXTURES / "defects" / "manifest.json").read_text(encoding="utf-8"))
NEW_IN_11 = {
    "GMR-E101",
    "GMR-W102",
    "GMR-E103",
    "GMR-E104",
    "GMR-E105",
    "GMR-E106",
    "GMR-E107",
    "GMR-E108",
    "GMR-E109",
    "GMR-E110",
    "GMR-W111",
}


def _rules(version: str) -> list[dict]:
    path = ROOT / f"validation/gmr-appendix-a/{version}/rules.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]


def test_the_valid_fixture_has_no_findings() -> None:
    result = validate_filing(FIXTURES / "valid_minimal", ROOT).result
    assert (result.version, [f for f in result.findings if f.is_open]) == ("1.1", [])
    assert result.valid


def test_every_rule_new_in_11_has_a_fixture_and_no_code_of_10_is_reused() -> None:
    new, old = _rules("1.1"), _rules("1.0")
    old_codes = {r["code"] for r in old}
    assert {r["code"] for r in new if not r.get("retired")} - old_codes == NEW_IN_11
    assert old_codes <= {r["code"] for r in new}  # codes stay, retired or not
    assert NEW_IN_11 <= {e["code"] for expected in MANIFEST.values() for e in expected}


def test_e060_is_retired_in_11_only() -> None:
    assert load_profile(ROOT, "gmr-appendix-a", "1.1").rule("GMR-E060").retired
    assert not load_profile(ROOT, "gmr-appendix-a", "1.0").rule("GMR-E060").retired


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_defect_is_found_where_it_is(name: str) -> None:
    result = validate_filing(FIXTURES / "defects" / name, ROOT, ("structure", "content")).result
    found = {(f.code, f.path, f.line, f.column) for f in result.findings if f.is_open}
    for expected in MANIFEST[name]:
        place = (
            expected["code"],
            f"tests/gmr11/fixtures/defects/{name}/{expected['path']}",
            expected["line"],
            expected["column"],
        )
        assert place in found, f"{name}: {place} not among {sorted(found)}"
    # Each fixture has its one defect: nothing else is open, and only a warning leaves the filing valid.
    assert {f[0] for f in found} == {e["code"] for e in MANIFEST[name]}, sorted(found)
    assert result.valid is all(e["code"][4] == "W" for e in MANIFEST[name])


def _finding(name: str, code: str):
    result = validate_filing(FIXTURES / "defects" / name, ROOT, ("structure", "content")).result
    (hit,) = [f for f in result.findings if f.code == code]
    return hit


def test_an_unknown_technology_names_the_codes_allowed_with_their_titles() -> None:
    hit = _finding("technology_not_in_list", "GMR-E101")
    assert hit.message == "technology 'ADMS' of activity adms-phase-2 is not a code of the profile's technology list."
    assert hit.hint.startswith(
        "Write one of these codes in technology: adms (Advanced distribution management system (ADMS)); "
        "derms (DER management system (DERMS)); flisr ("
    )
    assert "; other (Other technology). Use other" in hit.hint


def test_the_messages_of_the_metric_and_authorization_rules() -> None:
    assert _finding("unit_not_the_metrics", "GMR-E105").message == (
        "benefit_unit 'percent reduction' of use case adms-phase-2/uc1 is not the unit of metric "
        "switching_order_time_reduction (Reduction of the time to prepare a switching order), which is percent."
    )
    assert "customer_minutes_avoided (Customer minutes of interruption avoided)" in (
        _finding("metric_not_in_catalogue", "GMR-E104").hint
    )
    assert _finding("allocations_exceed_authorization", "GMR-W111").message == (
        "costs.csv allocates $15,900,000 of authorization grc-2023-capital (capital, 2023 to 2026) to the "
        "activities it covers, more than the $12,000,000 authorized."
    )
    assert _finding("technology_of_another_category", "GMR-W102").message == (
        "Activity ami-analytics is in category d but its technology 'derms' (DER management system (DERMS)) "
        "belongs to category a."
    )


def test_every_metric_of_the_samples_has_a_catalogue_id() -> None:
    """The catalogue covers what the three sample filings measure: each of their (metric, unit) pairs maps to
    a metric_id whose unit is the sample's, or whose unit names the same count (feeders are circuits)."""
    profile = load_profile(ROOT, "gmr-appendix-a", "1.1")
    units = {m["unit"] for m in profile.meta["benefit_metrics"]}
    same = {"feeders": "circuits", "percent reduction": "percent"}
    for sample in sorted(ROOT.glob("data/*/gmr-2026/use_cases.csv")):
        frame = pl.read_csv(sample, infer_schema=False)
        for unit in frame["benefit_unit"].drop_nulls():
            assert same.get(unit, unit) in units, (sample, unit)


def test_a_10_filing_keeps_10s_rules(tmp_path: Path) -> None:
    """A 1.0 filing with a recorded cost of the filing year still gets GMR-E060, and none of 1.1's rules."""
    folder = shutil.copytree(FIXTURES_10 / "valid_minimal", tmp_path / "filing")
    costs = folder / "costs.csv"
    costs.write_text(
        costs.read_text(encoding="utf-8") + "ami-analytics,2026,capital,recorded,400000,\n", encoding="utf-8"
    )
    stamp_resources(folder)
    result = validate_filing(folder, ROOT, ("structure", "content")).result
    assert result.version == "1.0"
    assert {(f.code, f.line) for f in result.findings if f.is_open} == {("GMR-E060", 8)}


def test_drift_compares_whole_years_only() -> None:
    """A year-to-date row (recorded_through) is no year's actual: the drift rules leave it out, so the next
    filing's full-year amount is not taken for a restatement (GMR-W096) and totals compare like with like."""
    from gridmod.validate.drift import _recorded

    costs = pl.DataFrame(
        {
            "basis": ["recorded", "recorded", "forecast"],
            "amount_usd": [10.0, 4.0, 9.0],
            "recorded_through": [None, date(2026, 6, 30), None],
        }
    )
    assert _recorded(costs)["amount_usd"].to_list() == [10.0]
    assert _recorded(costs.drop("recorded_through"))["amount_usd"].to_list() == [10.0, 4.0]
