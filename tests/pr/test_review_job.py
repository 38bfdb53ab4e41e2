"""The review job of the pull-request workflow, run step by step on a git repository with a filer's change.

A pull request with errors gets annotations on the right CSV lines and a summary with counts per severity
and the changes against the previous filing; a valid one also gets its report rendered and the site built,
and the publish workflow builds the merged result.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gridmod.filing import stamp_resources

from .repos import copy_repo, init_repo, open_pr, set_cell
from .workflows import load, run_job, step

FILINGS = ("pge/gmr-2024", "pge/gmr-2026")
COSTS = "data/pge/gmr-2026/costs.csv"
SITE = "https://example.org/gridmod/"  # the repository variable GRIDMOD_SITE_URL


def _review(tmp: Path, change) -> tuple[Path, list]:
    repo = copy_repo(tmp / "pr", filings=FILINGS, with_templates=True)  # the checkout pr/ of the workflow
    base = init_repo(repo)
    change(repo)
    stamp_resources(repo / "data/pge/gmr-2026")
    open_pr(repo)
    event = {"github.event.pull_request.base.sha": base, "vars.GRIDMOD_SITE_URL": SITE}
    runs = run_job("filing-checks.yml", "review", tmp, event, tmp)
    return repo, runs


def _break_costs(repo: Path) -> None:
    set_cell(repo / COSTS, 3, 5, "-5")  # adms-phase-2,2023,om,recorded
    set_cell(repo / COSTS, 10, 2, "20x7")  # adms-phase-2,2027,capital,forecast


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    return _review(tmp_path_factory.mktemp("broken"), _break_costs)


def test_errors_are_annotations_on_their_csv_lines(broken) -> None:
    _, runs = broken
    assert step(runs, "List the filings").returncode == 0
    validate = step(runs, "Validate every filing")
    assert validate.returncode == 1
    errors = [line for line in validate.stdout.splitlines() if line.startswith("::error ")]
    assert [line.split("::")[1] for line in errors] == [
        f"error file={COSTS},line=3,col=5,title=GMR-E020 (error)",
        f"error file={COSTS},line=10,col=2,title=GMR-E010 (error)",
    ]
    assert "amount_usd is '-5'; costs are never negative." in errors[0]


def test_summary_counts_per_severity_and_changes(broken) -> None:
    repo, runs = broken
    summary = step(runs, "Validate every filing").summary
    assert "| `data/pge/gmr-2024` | yes | 0 | 0 | 0 |" in summary
    assert f"[GMR-E020]({SITE}rules/gmr-e020/)" in summary
    assert "| `data/pge/gmr-2026` | no | 2 | 0 | 0 |" in summary
    assert "**Total:** 2 errors, 0 warnings, 0 need explanation." in summary
    report = json.loads((repo / "review/validation-report.json").read_text())
    assert report["valid"] is False and report["counts"] == {"error": 2, "warning": 0, "explain": 0}
    assert (repo / "review/changed-filings.txt").read_text() == "data/pge/gmr-2026\n"
    changes = step(runs, "Changes against")
    assert changes.returncode == 0, changes.stderr
    assert changes.summary.startswith("## PG&E: changes from gmr-2024 to gmr-2026\n")
    assert (
        "> data/pge/gmr-2026/costs.csv: 1 row left out of the comparison because they do not read (line 10); "
        "see the validation findings."
    ) in changes.summary
    assert json.loads((repo / "review/changes-data-pge-gmr-2026.json").read_text())["new"]["filing_id"] == "gmr-2026"


def test_after_errors_nothing_is_rendered_but_the_review_files_are_there(broken) -> None:
    repo, runs = broken
    assert step(runs, "Render the changed").returncode is None
    assert step(runs, "Build the site").returncode is None
    upload = load("filing-checks.yml")["jobs"]["review"]["steps"][-2]
    assert upload["with"]["path"] == "pr/review/" and upload["if"] == "${{ !cancelled() }}"
    assert sorted(p.name for p in (repo / "review").iterdir()) == [
        "changed-filings.txt",
        "changes-data-pge-gmr-2026.json",
        "data-docs",
        "validation-report.json",
    ]


def _edit_outlook(repo: Path) -> None:
    outlook = repo / "data/pge/gmr-2026/narrative/outlook.md"
    outlook.write_text(outlook.read_text().replace("about $1.2 billion", "about $1.25 billion"))


def test_a_valid_pull_request_gets_reports_site_and_publishes(tmp_path: Path) -> None:
    repo, runs = _review(tmp_path, _edit_outlook)
    assert [(r.name.split(" ")[0], r.returncode) for r in runs] == [
        ("List", 0),
        ("Validate", 0),
        ("Changes", 0),
        ("Render", 0),
        ("Build", 0),
    ], [r.stderr for r in runs]
    for name in ("pge.pdf", "pge.docx", "pge.html", "pge.qmd"):
        assert (repo / "review/reports/gmr-2026" / name).stat().st_size > 0
    assert not (repo / "review/reports/gmr-2024").exists()
    assert (repo / "review/data-docs/data-pge-gmr-2026/index.html").is_file()
    assert (repo / "site/filings/gmr-2026/pge/index.html").is_file()
    page = (repo / "site/filings/gmr-2026/pge/changes/index.html").read_text(encoding="utf-8")
    assert "PG&amp;E: changes from gmr-2024 to gmr-2026" in page and "+350 days" in page
    assert "<del>build</del> → <ins>shift</ins>" in page
    changes = json.loads((repo / "review/changes-data-pge-gmr-2026.json").read_text())
    outlook = [s for s in changes["narrative"] if s["path"].endswith("outlook.md") and s["section"] == ""]
    assert outlook[0]["edits"][:1] == [["build", "shift"]]
    # Publishing runs the same command on the same tree once merged; the review job just ran it.
    published = [
        s["run"]
        for s in load("publish.yml")["jobs"]["build"]["steps"]
        if "run" in s and not s.get("name", "").startswith("Install")
    ]
    assert published == ["gridmod build"] and step(runs, "Build the site").command == "gridmod build"
