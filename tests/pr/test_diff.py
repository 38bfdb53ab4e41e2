"""`gridmod diff` on the sample pair data/pge/gmr-2024 -> gmr-2026: every planted change is listed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from gridmod.cli import main
from gridmod.diff import FilingDiff, compare_filings
from gridmod.diff.formats import code, format_markdown, text

from ..conftest import ROOT
from .repos import copy_repo

OLD, NEW = "data/pge/gmr-2024", "data/pge/gmr-2026"


@pytest.fixture(scope="module")
def diff() -> FilingDiff:
    return compare_filings(ROOT / OLD, ROOT / NEW, ROOT)


def test_activities_added_removed_and_changed(diff: FilingDiff) -> None:
    changes = {a.activity_id: a for a in diff.activities}
    assert changes["flexible-service-connection"].change == "added"
    assert changes["line-sensor-pilot"].change == "removed"
    assert changes["line-sensor-pilot"].old_status == "completed"
    assert {a.activity_id: (a.old_status, a.new_status) for a in diff.status_changes} == {
        "ot-soc": ("in_progress", "completed"),
        "ica-modernization": ("in_progress", "deployed"),
        "grid-edge-analytics": ("in_progress", "deployed"),
    }
    assert changes["ot-soc"].fields == {"completion_date": (None, date(2025, 9, 30))}
    assert changes["ami-2-0"].fields == {
        "activity_name": ("AMI 2.0 Technology Assessment", "AMI 2.0 Technology Assessment and Field Pilot")
    }
    assert len(diff.activities) == 6


def test_milestone_slips_in_days(diff: FilingDiff) -> None:
    moved = {m.key: m for m in diff.moved_milestones}
    derms = moved["derms-platform/m3"]
    assert (derms.old_status, derms.new_status, derms.old_date, derms.new_date, derms.slip_days) == (
        "on_track",
        "delayed",
        date(2025, 12, 15),
        date(2026, 11, 30),
        350,
    )
    assert moved["adms-phase-2/m4"].slip_days == 168
    assert moved["flisr-expansion/m1"].slip_days == -18  # achieved ahead of the earlier forecast
    assert diff.moved_milestones[0].key == "derms-platform/m3"  # latest slip first
    assert [(m.key, m.old_baseline, m.new_baseline, m.baseline_days) for m in diff.rebaselined] == [
        ("ami-2-0/m4", date(2027, 3, 31), date(2027, 9, 30), 183)
    ]
    statuses = {m.key: (m.old_status, m.new_status) for m in diff.milestones if m.change == "changed"}
    assert statuses["private-lte/m5"] == ("on_track", "cancelled")
    assert statuses["grid-edge-analytics/m4"] == ("on_track", "cancelled")
    added = {m.key for m in diff.milestones if m.change == "added"}
    removed = {m.key for m in diff.milestones if m.change == "removed"}
    assert "ica-modernization/m4" in added and "flexible-service-connection/m1" in added
    assert {"line-sensor-pilot/m1", "line-sensor-pilot/m2", "adms-phase-2/p1"} <= removed


def test_cost_changes_by_activity_year_and_basis(diff: FilingDiff) -> None:
    costs = {(c.activity_id, c.year, c.cost_type): c for c in diff.costs}
    restated = costs[("adms-phase-2", 2023, "capital")]
    assert (restated.old_basis, restated.new_basis, restated.old_usd, restated.new_usd) == (
        "recorded",
        "recorded",
        61950000,
        62400737,
    )
    assert restated.change_usd == 450737 and restated.change_pct == 0.7
    turned_out = costs[("derms-platform", 2025, "capital")]
    assert (turned_out.old_basis, turned_out.new_basis, turned_out.change_usd) == ("forecast", "recorded", -6249635)
    assert costs[("ami-2-0", 2026, "capital")].change_usd == 18000000
    assert costs[("private-lte", 2026, "capital")].change_pct == 10.0
    assert ("adms-phase-2", 2026, "capital") not in costs  # same forecast in both
    totals = {a.activity_id: a for a in diff.activity_costs}
    assert totals["flexible-service-connection"].old_recorded_usd is None
    assert totals["line-sensor-pilot"].new_recorded_usd is None
    assert diff.totals["recorded"] == {"old": 425081853, "new": 899588498}


def test_narrative_sections_with_a_short_word_diff(diff: FilingDiff) -> None:
    sections = {(Path(s.path).name, s.section): s for s in diff.narrative}
    challenges = sections[("derms-platform.md", "Challenges encountered and any modifications to the original plan")]
    assert challenges.change == "changed" and challenges.words_added > 0 and challenges.edits
    future = sections[("grid-edge-analytics.md", "Planned future use cases and anticipated benefits")]
    assert future.edits[0] == ("by the end of 2026,", "from early 2027,")
    assert sections[("adms-phase-2.md", "Costs incurred and anticipated")].change == "added"
    assert sections[("line-sensor-pilot.md", "Description and status")].change == "removed"
    # Re-wrapped but identical text is no change.
    assert ("flisr-expansion.md", "Planned future use cases and anticipated benefits") not in sections


def test_markdown_for_the_job_summary(diff: FilingDiff) -> None:
    out = format_markdown(diff)
    assert out.startswith("## PG&E: changes from gmr-2024 to gmr-2026\n")
    assert (
        "- **Activities:** 1 added, 1 removed, 3 status changes.\n"
        "- **Milestones:** 25 moved (22 later, 8 of them by more than 90 days; 3 earlier), 1 baseline changed, "
        "5 added, 12 no longer reported.\n"
    ) in out
    assert (
        "| `derms-platform/m3` DERMS production go-live for utility-owned and contracted DER | on track → "
        "delayed | 2025-12-15 | 2026-11-30 | +350 days |"
    ) in out
    assert (
        "| `ot-soc` Operational Technology Security Operations Center (OT SOC) | status in progress → completed" in out
    )
    assert "| `line-sensor-pilot` Distribution Line Sensor Pilot | removed (was completed) |" in out
    assert "| `adms-phase-2` | 2023 | capital | recorded | $61,950,000 | $62,400,737 | +$450,737 (+0.7 %) |" in out
    assert "| `derms-platform` | 2025 | capital | forecast → recorded | $38,000,000 | $31,750,365 |" in out
    assert "- `ami-2-0/m4` AMI 2.0 mass deployment begins: 2027-03-31 → 2027-09-30 (+183 days)" in out


def test_cli_json_and_previous_filing_found_by_date() -> None:
    result = CliRunner().invoke(main, ["diff", NEW, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["old"]["path"], data["new"]["path"]) == (OLD, NEW)
    assert data["summary"] == {
        "activities": {"added": 1, "removed": 1, "status_changed": 3},
        "milestones": {"added": 5, "removed": 12, "moved": 25, "rebaselined": 1},
        "costs_changed": 40,
        "narrative_sections_changed": len(data["narrative"]),
    }
    slip = next(m for m in data["milestones"] if m["milestone_id"] == "m3" and m["activity_id"] == "derms-platform")
    assert (slip["old_date"], slip["new_date"], slip["slip_days"]) == ("2025-12-15", "2026-11-30", 350)
    assert CliRunner().invoke(main, ["diff", OLD, NEW]).output == format_markdown(
        compare_filings(ROOT / OLD, ROOT / NEW, ROOT)
    )


def test_nothing_to_compare_with() -> None:
    result = CliRunner().invoke(main, ["diff", "data/sce/gmr-2026"])
    assert result.exit_code == 0
    assert result.output.startswith("## `data/sce/gmr-2026`: no earlier filing to compare with\n")
    assert CliRunner().invoke(main, ["diff", OLD]).exit_code == 0


def test_different_utilities_are_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["diff", "data/sce/gmr-2026", NEW])
    assert result.exit_code == 2
    assert "compare two filings of the same utility" in result.output


def test_filer_text_cannot_become_markup(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path, filings=("pge/gmr-2024", "pge/gmr-2026"))
    activities = repo / NEW / "activities.csv"
    evil = '"Pilot ![x](https://evil.example/t.png) [click](javascript:alert(1)) <img src=x> | $a$ ~~b~~"'
    activities.write_text(
        activities.read_text().replace("Flexible Service Connection for Large Loads and EV Fleets", evil.strip('"'))
    )
    out = format_markdown(compare_filings(repo / OLD, repo / NEW, repo))
    row = next(line for line in out.splitlines() if line.startswith("| `flexible-service-connection`"))
    assert "<img" not in row and "](" not in row.replace("\\](", "")
    assert row.count(" | ") == 1


@given(st.text())
def test_text_stays_one_line_and_inert(value: str) -> None:
    shown = text(value)
    assert "\n" not in shown and "<" not in shown
    for special in "*_[]!|~`$":
        assert shown.count(special) == shown.count("\\" + special) or special == "\\"
    assert code(value).count("`") in (0, 2)


def test_a_profile_whose_engine_does_not_compare_is_not_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from gridmod import engines

    monkeypatch.setitem(engines.BUILTIN, "ica", replace(engines.BUILTIN["ica"], compare=""))
    engines.registered.cache_clear()
    try:
        rel = "data/pge/ica-2026-h2"
        result = CliRunner().invoke(main, ["diff", rel])
        assert result.exit_code == 0
        assert result.output.startswith(f"## `{rel}`: not compared\n")
        data = json.loads(CliRunner().invoke(main, ["diff", rel, "--format", "json"]).output)
        assert data["compared"] is False and "does not compare filings of its engine (ica)" in data["reason"]
    finally:
        engines.registered.cache_clear()
