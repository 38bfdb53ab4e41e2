"""Profile ica-biannual 1.1: its valid fixture has no finding, and every 1.1 rule has a defect fixture that
triggers it at the file, line (Parquet: row) and column an editor or a Parquet viewer shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import shapely
import yaml

from gridmod.filing import stamp_resources
from gridmod.validate import validate_filing

from ..conftest import ROOT

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MANIFEST = json.loads((FIXTURES / "defects" / "manifest.json").read_text(encoding="utf-8"))
NEW_IN_11 = {"ICA-E111", "ICA-E112", "ICA-E113", "ICA-E124", "ICA-E125", "ICA-E171", "ICA-E172", "ICA-W173"}


def test_the_valid_fixture_has_no_findings() -> None:
    result = validate_filing(FIXTURES / "valid_minimal", ROOT).result
    assert (result.version, [f for f in result.findings if f.is_open]) == ("1.1", [])


def test_every_rule_new_in_11_has_a_fixture() -> None:
    rules = yaml.safe_load((ROOT / "validation/ica-biannual/1.1/rules.yaml").read_text(encoding="utf-8"))["rules"]
    old = yaml.safe_load((ROOT / "validation/ica-biannual/1.0/rules.yaml").read_text(encoding="utf-8"))["rules"]
    assert {r["code"] for r in rules} - {r["code"] for r in old} == NEW_IN_11
    assert NEW_IN_11 <= {e["code"] for expected in MANIFEST.values() for e in expected}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_defect_is_found_where_it_is(name: str) -> None:
    result = validate_filing(FIXTURES / "defects" / name, ROOT, ("structure", "content")).result
    found = {(f.code, f.path, f.line, f.column) for f in result.findings}
    for expected in MANIFEST[name]:
        place = (
            expected["code"],
            f"tests/ica11/fixtures/defects/{name}/{expected['path']}",
            expected["line"],
            expected["column"],
        )
        assert place in found, f"{name}: {place} not among {sorted(found)}"


def test_the_messages_of_the_geometry_rules() -> None:
    def messages(name: str, code: str) -> list[str]:
        result = validate_filing(FIXTURES / "defects" / name, ROOT, ("structure", "content")).result
        return [f.message for f in result.findings if f.code == code]

    assert messages("geometry_not_a_line", "ICA-E171") == [
        "The geometry of line section 240111102/LS100005 is a Point, not a LineString or MultiLineString."
    ]
    assert messages("geometry_not_wkb", "ICA-E171") == [
        "The geometry of line section 240111101/LS100003 is not readable WKB."
    ]
    assert messages("geometry_missing", "ICA-E171") == ["The geometry of line section 240111101/LS100002 is empty."]
    assert messages("geometry_not_valid", "ICA-E171") == [
        "The geometry of line section 240481101/LS100008 is not a valid line (Too few points in geometry "
        "component[-122.3 37.5])."
    ]
    assert messages("geometry_latitude_first", "ICA-E172") == [
        "Line section 240481102/LS100010 lies outside California (its bounds are [37.56, -122.32, 37.57, -122.31]; "
        "California is within [-124.48, 32.53, -114.13, 42.01])."
    ]
    assert messages("section_far_from_its_feeder", "ICA-W173") == [
        "Line section 240111102/LS100004 is 177.9 km from the middle of its feeder's other sections (limit 50 km)."
    ]
    assert (
        messages("pge_feeder_id_lost_its_zero", "ICA-E111")
        == ["PG&E feeder ID '40481102' has 8 characters; PG&E feeder IDs are 9 digits."] * 2
    )


def test_the_same_eight_digit_feeder_is_a_warning_only_in_10(tmp_path: Path) -> None:
    """1.0 keeps its rules: a lost leading zero there gives ICA-W109 and no error of 1.1's."""
    folder = shutil.copytree(ROOT / "tests/ica/fixtures/valid_minimal", tmp_path / "pge" / "ica-2026-h2")
    for name in ("feeders.csv", "results.csv"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace("240481102", "40481102"), encoding="utf-8")
    stamp_resources(folder)
    codes = {f.code for f in validate_filing(folder, ROOT, ("structure", "content")).result.findings}
    assert "ICA-W109" in codes and "ICA-E111" not in codes


def test_geometry_findings_beyond_the_cap_are_counted_not_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every section of a file written latitude first fails; past the profile's cap they are only counted."""
    from gridmod.spec import load_profile

    from .make_fixtures import sections, write_sections

    folder = shutil.copytree(FIXTURES / "valid_minimal", tmp_path / "pge" / "ica-2026-h2")
    rows = sections(folder)
    for row in rows:
        row["geometry"] = shapely.to_wkb(shapely.transform(shapely.from_wkb(row["geometry"]), lambda c: c[:, ::-1]))
    write_sections(folder, rows)
    stamp_resources(folder)
    monkeypatch.setitem(load_profile(ROOT, "ica-biannual", "1.1").meta["limits"], "max_findings_per_rule", 2)
    result = validate_filing(folder, ROOT, ("structure", "content")).result
    assert [f.line for f in result.findings if f.code == "ICA-E172"] == [1, 2], (result.findings, result.notes)
    assert (
        f"{len(rows) - 2:,} more ICA-E172 findings in {result.path}/line_sections.parquet are not listed (limit 2 "
        "per rule and file); fix the ones listed and validate again."
    ) in result.notes


def test_a_feeder_whose_load_profile_is_redacted_needs_no_hourly_profiles(tmp_path: Path) -> None:
    """The hourly scope leaves out the sections of a feeder that feeders.csv marks load_profile redacted; when
    feeders.csv has errors, what it would decide is not guessed: the scope is not checked, and a note says so."""
    folder = tmp_path / "filing"
    shutil.copytree(FIXTURES / "defects" / "hourly_profile_in_scope_missing", folder)

    def scope_outcome() -> tuple[list[str], list[str]]:
        stamp_resources(folder)
        result = validate_filing(folder, ROOT, ("structure", "content")).result
        return [f.message for f in result.findings if f.code == "ICA-E124"], [
            n for n in result.notes if "need hourly profiles" in n
        ]

    assert scope_outcome() == (
        [
            "Line section 240111101/LS100002 has a value in every result row (results.csv line 5) and feeders.csv "
            "does not mark its feeder's load profile redacted, so the hourly profiles need its generation profile; "
            "they have none.",
            "Line section 240111101/LS100002 has a value in every result row (results.csv line 5) and feeders.csv "
            "does not mark its feeder's load profile redacted, so the hourly profiles need its load profile; they "
            "have none.",
        ],
        [],
    )
    feeders = folder / "feeders.csv"
    text = feeders.read_text(encoding="utf-8")
    feeders.write_text(text.replace("1380,available", "1380,redacted"), encoding="utf-8")
    assert scope_outcome() == ([], [])
    feeders.write_text(text.replace("1380,available", "1380,hidden"), encoding="utf-8")
    assert scope_outcome() == (
        [],
        [
            "Which line sections need hourly profiles was not checked: feeders.csv has errors or is missing, and it "
            "says which feeders' load profiles are redacted."
        ],
    )


def test_the_report_counts_the_forecast_year_results(tmp_path: Path) -> None:
    """The figures table gives the forecast rows and their years when the filing has them, and no such row when
    it has none."""
    from gridmod.render import render_report

    def figures(folder: Path) -> list[str]:
        item = validate_filing(folder, ROOT)
        assert item.result.valid and item.profile is not None, [f.message for f in item.result.findings if f.is_open]
        out = render_report(item.filing, item.profile, item.result, tmp_path / folder.name, formats=("qmd",))
        text = out["qmd"].read_text(encoding="utf-8")
        assert "|\n\n: What the filing covers" in text  # the table ends before its caption, either way
        return [line for line in text.splitlines() if line.startswith("| ")]

    filed = figures(FIXTURES / "valid_minimal")
    assert "| Forecast-year result rows (2027, 2030) | 24 |" in filed
    folder = tmp_path / "without"
    shutil.copytree(FIXTURES / "valid_minimal", folder)
    (folder / "forecast_results.csv").unlink()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "forecast_results"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    without = figures(folder)
    assert [line for line in filed if "Forecast-year" not in line] == without
