"""Remediation plans held to the utility's previous ICA filing (ICA-X148, ICA-E149)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gridmod.filing import stamp_resources
from gridmod.proceeding import COLUMNS, REGISTER
from gridmod.validate import validate_filing

from ..conftest import ROOT

LOCK = {"ICA-X148", "ICA-E149"}
ACTION = "ica-003,a1,Rerun the ICA on every circuit at least yearly,7654-E,in_progress,2026-06-30,,"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "validation", tmp_path / "validation")
    for filing in ("ica-2026-h1", "ica-2026-h2"):
        shutil.copytree(ROOT / "data" / "pge" / filing, tmp_path / "data" / "pge" / filing)
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n")
    return tmp_path


def _edit(repo: Path, old: str, new: str | None) -> Path:
    """Replace the line `old` of PG&E's 2026-H2 remediation.csv (None: remove it) and stamp the filing."""
    folder = repo / "data/pge/ica-2026-h2"
    path = folder / "remediation.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines
    lines = [new if line == old else line for line in lines if line != old or new is not None]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stamp_resources(folder)
    return folder


def _lock(repo: Path, folder: Path) -> list:
    result = validate_filing(folder, repo).result
    return [f for f in result.findings if f.code in LOCK]


def test_the_samples_keep_their_plans(repo: Path) -> None:
    result = validate_filing(repo / "data/pge/ica-2026-h2", repo).result
    assert not [f for f in result.findings if f.code in LOCK]
    assert not [n for n in result.notes if "Remediation plans not compared" in n]


def test_a_first_filing_says_there_is_nothing_to_compare(repo: Path) -> None:
    result = validate_filing(repo / "data/pge/ica-2026-h1", repo).result
    assert "Remediation plans not compared: there is no earlier ICA filing of this utility to compare with." in (
        result.notes
    )


def test_a_planned_date_moved_later_needs_an_explanation_at_its_line(repo: Path) -> None:
    """The issue's case: moving ica-003/a1 from 2026-06-30 to 2026-12-31 hid its overdue warning (ICA-W145)."""
    folder = _edit(repo, ACTION, ACTION.replace("2026-06-30", "2026-12-31"))
    result = validate_filing(folder, repo).result
    [found] = [f for f in result.findings if f.code in LOCK]
    assert (found.code, found.severity, found.path, found.line, found.column) == (
        "ICA-X148",
        "explain",
        "data/pge/ica-2026-h2/remediation.csv",
        5,
        6,
    )
    assert found.message == (
        "Action ica-003/a1 now has planned_date '2026-12-31', 184 days later than the 2026-06-30 that the previous "
        "filing ica-2026-h1 gave it (remediation plan of advice letter 7654-E)."
    )
    assert not result.valid  # an unexplained finding of severity explain blocks


def test_an_earlier_planned_date_is_no_finding(repo: Path) -> None:
    folder = _edit(repo, ACTION, ACTION.replace("2026-06-30", "2026-05-31"))
    assert _lock(repo, folder) == []


def test_an_explanation_answers_the_re_dating(repo: Path) -> None:
    folder = _edit(repo, ACTION, ACTION.replace("2026-06-30", "2026-12-31"))
    explanations = folder / "explanations.csv"
    text = explanations.read_text(encoding="utf-8")
    explanations.write_text(
        text.rstrip("\n")
        + "\nICA-X148,ica-003/a1,Energy Division agreed the new date at the 2026-06-30 workshop: the rerun waits "
        "for the new network model.\n",
        encoding="utf-8",
    )
    stamp_resources(folder)
    [found] = _lock(repo, folder)
    assert found.explanation and "new network model" in found.explanation


def test_an_effective_amending_letter_carries_the_new_date(repo: Path) -> None:
    letter = "pge,7700-E,3,ica_remediation_plan,2026-04-01,effective,2026-05-15,,D.24-10-030 OP 34,Amended plan"
    (repo / REGISTER).write_text(",".join(COLUMNS) + "\n" + letter + "\n", encoding="utf-8")
    moved = ACTION.replace("2026-06-30", "2026-12-31")
    folder = _edit(repo, ACTION, moved.replace("7654-E", "7700-E"))
    assert _lock(repo, folder) == []


@pytest.mark.parametrize(
    "letter",
    [
        "pge,7700-E,3,ica_remediation_plan,2026-04-01,pending,,,D.24-10-030 OP 34,Amended plan",
        "sce,7700-E,3,ica_remediation_plan,2026-04-01,effective,2026-05-15,,D.24-10-030 OP 34,Another utility",
        "pge,7700-E,2,other,2026-04-01,effective,2026-05-15,,D.24-10-030 OP 34,Not a remediation plan",
    ],
    ids=["pending", "other-utility", "other-purpose"],
)
def test_a_letter_that_did_not_amend_the_plan_carries_nothing(repo: Path, letter: str) -> None:
    (repo / REGISTER).write_text(",".join(COLUMNS) + "\n" + letter + "\n", encoding="utf-8")
    moved = ACTION.replace("2026-06-30", "2026-12-31")
    folder = _edit(repo, ACTION, moved.replace("7654-E", "7700-E"))
    assert [f.code for f in _lock(repo, folder)] == ["ICA-X148"]


def test_an_open_action_cannot_leave_the_plan(repo: Path) -> None:
    folder = _edit(repo, ACTION, None)
    [found] = _lock(repo, folder)
    assert (found.code, found.severity, found.path, found.line) == (
        "ICA-E149",
        "error",
        "data/pge/ica-2026-h2/remediation.csv",
        None,
    )
    assert "ica-003/a1" in found.message and "(status planned, planned for 2026-06-30)" in found.message
    assert "ica-2026-h1" in found.message


def test_a_completed_action_may_leave_the_plan(repo: Path) -> None:
    done = "ica-001,a1,Generate the feeder-substation mapping from the network model,7654-E,completed,2025-10-31,,2025-12-01"
    folder = _edit(repo, done, None)
    assert _lock(repo, folder) == []


def test_a_closed_action_keeps_its_row(repo: Path) -> None:
    folder = _edit(repo, ACTION, ACTION.replace("in_progress", "cancelled"))
    assert _lock(repo, folder) == []
