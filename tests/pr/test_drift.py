"""Drift expectations: the filing against the same utility's previous filing (GMR-W094, W095, W096)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridmod.validate import validate_filing

from ..conftest import FIXTURES, ROOT
from .repos import copy_repo, set_cell

PROFILE = "validation/gmr-appendix-a/1.1/profile.yaml"  # the version data/pge/gmr-2026 follows


def _tighten(repo: Path, **values: str) -> None:
    """Stricter drift thresholds in the copy, so the planted changes of the samples trip them."""
    path = repo / PROFILE
    text = path.read_text(encoding="utf-8")
    defaults = {
        "recorded_total_ratio": "[0.4, 2.5]",
        "delayed_share_increase_max": "0.25",
        "restated_recorded_pct": "5",
    }
    for name, value in values.items():
        old = f"{name}: {defaults[name]}"
        assert old in text
        text = text.replace(old, f"{name}: {value}")
    path.write_text(text, encoding="utf-8")


def _drift(repo: Path, filing: str = "data/pge/gmr-2026"):
    result = validate_filing(repo / filing, repo).result
    return result, [f for f in result.findings if f.code in ("GMR-W094", "GMR-W095", "GMR-W096")]


def test_samples_have_no_drift_but_say_what_they_were_compared_with(root: Path) -> None:
    result = validate_filing(root / "data/pge/gmr-2026", root).result
    assert [f.code for f in result.findings if f.code.startswith("GMR-W09")] == []
    assert (
        "Drift checks compared costs.csv and milestones.csv with the previous filing, data/pge/gmr-2024 "
        "(filed 2024-10-01)." in result.notes
    )
    earliest = validate_filing(root / "data/pge/gmr-2024", root).result
    assert not any("Drift" in note for note in earliest.notes)


def test_total_recorded_cost_far_from_previous_filing(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    _tighten(repo, recorded_total_ratio="[0.4, 2.0]")
    result, hits = _drift(repo)
    assert [(f.code, f.path, f.line) for f in hits] == [("GMR-W094", "data/pge/gmr-2026/costs.csv", None)]
    assert hits[0].message == (
        "Total recorded cost is $899,588,498, 2.1 times the $425,081,853 recorded in the previous filing gmr-2024 "
        "(expected 0.4 to 2.0 times)."
    )
    assert result.valid


def test_share_of_delayed_milestones_rose(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    _tighten(repo, delayed_share_increase_max="0.05")
    _, hits = _drift(repo)
    assert [f.code for f in hits] == ["GMR-W095"]
    assert hits[0].message == (
        "12 % of milestones are delayed, up from 2 % in the previous filing gmr-2024 "
        "(a rise of more than 5 percentage points)."
    )


def test_restated_recorded_costs_point_at_their_lines(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    _tighten(repo, restated_recorded_pct="0.5")
    _, hits = _drift(repo)
    found = [(f.code, f.path, f.line, f.column, f.key) for f in hits]
    assert found == [
        ("GMR-W096", "data/pge/gmr-2026/costs.csv", 2, 5, "adms-phase-2/2023/capital/recorded"),
        ("GMR-W096", "data/pge/gmr-2026/costs.csv", 40, 5, "private-lte/2023/om/recorded"),
    ]
    assert hits[0].message == (
        "Recorded capital cost of adms-phase-2 for 2023 is $62,400,737, +0.7 % different from the $61,950,000 "
        "the previous filing gmr-2024 recorded (more than 0.5 %)."
    )


def test_a_restated_amount_is_found_with_the_shipped_thresholds(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    costs = repo / "data/pge/gmr-2026/costs.csv"
    assert costs.read_text().splitlines()[26].startswith("flisr-expansion,2023,capital,recorded,")
    set_cell(costs, 27, 5, "49300258")
    from gridmod.filing import stamp_resources

    stamp_resources(repo / "data/pge/gmr-2026")
    _, hits = _drift(repo)
    assert [(f.code, f.line, f.value) for f in hits] == [("GMR-W096", 27, "49300258.0")]
    assert "+11.3 % different from the $44,300,258" in hits[0].message


def test_previous_filing_that_cannot_be_read_is_a_note(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    (repo / "data/pge/gmr-2024/costs.csv").write_text("activity_id,year\nx,not-a-year\n", encoding="utf-8")
    result, hits = _drift(repo)
    assert hits == []
    assert any(
        n.startswith("Drift checks skipped: the previous filing data/pge/gmr-2024 cannot be read") for n in result.notes
    )


@pytest.mark.parametrize("folder", ["valid_minimal"])
def test_a_filing_outside_data_is_compared_with_nothing(folder: str) -> None:
    result = validate_filing(FIXTURES / folder, ROOT).result
    assert not any("Drift" in n for n in result.notes)
