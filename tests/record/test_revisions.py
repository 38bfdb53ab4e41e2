"""Revisions against the record, as the filer sees them: the exact findings of `gridmod validate`, what
`gridmod record` issues or refuses, and who may add to the ledger."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from gridmod.filing import stamp_resources

from ..pr.repos import GIT_ENV, copy_repo, git, set_cell

FILING = "data/pge/gmr-2026"
DESCRIPTOR = f"{FILING}/datapackage.json"
REASON = "Corrected the 2023 recorded O&M cost of adms-phase-2, entered in thousands of dollars."


def _gridmod(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["gridmod", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV})


def _header(repo: Path, **fields) -> None:
    path = repo / DESCRIPTOR
    data = json.loads(path.read_text(encoding="utf-8"))
    data["gridmod"].update(fields)
    data["gridmod"] = {k: v for k, v in data["gridmod"].items() if v is not None}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _line(repo: Path, key: str) -> int:
    lines = (repo / DESCRIPTOR).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if f'"{key}"' in line)


@pytest.fixture
def accepted(tmp_path: Path) -> Path:
    """A repository whose one real filing has been accepted as GM-2026-PGE-0001."""
    repo = copy_repo(tmp_path / "repo", filings=("pge/gmr-2026",))
    _header(repo, is_sample=False)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "PG&E files gmr-2026")
    done = _gridmod(repo, "record")
    assert done.returncode == 0, done.stderr
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "receipt")
    return repo


def _correct_costs(repo: Path) -> None:
    set_cell(repo / f"{FILING}/costs.csv", 3, 5, "1250000")
    stamp_resources(repo / FILING)


def _findings(repo: Path) -> list[str]:
    done = _gridmod(repo, "validate", FILING, "--quick", "--format", "json")
    report = json.loads(done.stdout)
    return [
        f"{f['code']} line {f['line']}: {f['message']}"
        for p in report["packages"]
        for f in p["findings"]
        if f["code"][-4:] in {"E037", "E038", "E039"}
    ]


def test_a_change_to_an_accepted_filing_must_be_an_amendment(accepted: Path) -> None:
    _correct_costs(accepted)
    assert _findings(accepted) == [
        f"GMR-E038 line {_line(accepted, 'gridmod')}: This filing was accepted as GM-2026-PGE-0001 (revision 1) and "
        "has changed since; a change to an accepted filing is a new revision."
    ]
    done = _gridmod(accepted, "validate", FILING)
    assert (
        'How to fix: Set gridmod.revision to 2, gridmod.supersedes to "GM-2026-PGE-0001" and '
        "gridmod.amendment_reason to what was corrected and why. Revision 1 stays published as filed."
    ) in done.stdout


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        (
            {"revision": 3, "supersedes": "GM-2026-PGE-0001", "amendment_reason": REASON},
            "revision",
            "gridmod.revision says revision 3; the latest accepted revision is 1 (GM-2026-PGE-0001), so this one is "
            "revision 2.",
        ),
        (
            {"revision": 2, "supersedes": "GM-2026-PGE-0002", "amendment_reason": REASON},
            "supersedes",
            "gridmod.supersedes is 'GM-2026-PGE-0002'; the revision this one replaces is GM-2026-PGE-0001.",
        ),
    ],
)
def test_a_revision_must_follow_the_record(accepted: Path, fields: dict, key: str, message: str) -> None:
    _correct_costs(accepted)
    _header(accepted, **fields)
    assert _findings(accepted) == [f"GMR-E039 line {_line(accepted, key)}: {message}"]


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        ({"revision": 0}, "revision", "Filing field gridmod.revision is 0, not a whole number from 1 up."),
        (
            {"revision": 2, "amendment_reason": REASON},
            "gridmod",
            "Filing field gridmod.supersedes is missing: a revision after the first names the accession number it "
            "supersedes.",
        ),
        (
            {"revision": 2, "supersedes": "PGE-1", "amendment_reason": REASON},
            "supersedes",
            "Filing field gridmod.supersedes is 'PGE-1', not an accession number such as GM-2026-PGE-0001.",
        ),
        (
            {"revision": 2, "supersedes": "GM-2026-PGE-0001", "amendment_reason": "typo"},
            "amendment_reason",
            "Filing field gridmod.amendment_reason is 'typo', too short to tell the public what was corrected (at least "
            "15 characters).",
        ),
        (
            {"supersedes": "GM-2026-PGE-0001"},
            "supersedes",
            "Filing field gridmod.supersedes is 'GM-2026-PGE-0001', but the filing is revision 1, which supersedes "
            "nothing.",
        ),
    ],
)
def test_revision_fields_that_do_not_read(accepted: Path, fields: dict, key: str, message: str) -> None:
    _header(accepted, **fields)
    assert _findings(accepted) == [f"GMR-E037 line {_line(accepted, key)}: {message}"]


def test_a_first_filing_cannot_claim_to_supersede(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo", filings=("pge/gmr-2026",))
    _header(repo, is_sample=False, revision=2, supersedes="GM-2026-PGE-0001", amendment_reason=REASON)
    assert _findings(repo) == [
        f"GMR-E039 line {_line(repo, 'revision')}: gridmod.revision says revision 2, but no revision of this filing "
        "has been accepted yet, so there is nothing to supersede."
    ]


def test_a_valid_amendment_gets_the_next_receipt(accepted: Path) -> None:
    _correct_costs(accepted)
    _header(accepted, revision=2, supersedes="GM-2026-PGE-0001", amendment_reason=REASON, filing_date="2026-09-01")
    assert _findings(accepted) == []
    done = _gridmod(accepted, "record")
    assert done.returncode == 2
    assert done.stderr == (
        "gridmod: data/pge/gmr-2026 has changes that are not committed (data/pge/gmr-2026/"
        "costs.csv, data/pge/gmr-2026/datapackage.json): a receipt is issued only for what "
        "landed on main.\n"
    )
    git(accepted, "commit", "-qam", "amendment")
    done = _gridmod(accepted, "record")
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in (accepted / "record/ledger.jsonl").read_text().splitlines())
    assert second["supersedes"] == first["accession"] == "GM-2026-PGE-0001"
    assert (second["accession"], second["reason"]) == ("GM-2026-PGE-0002", REASON)
    day = second["accepted_at"][:10]
    assert "Warning for the reviewer: the typed filing date 2026-09-01 is" in done.stdout and day in done.stdout


def test_a_filing_with_errors_gets_no_receipt(accepted: Path) -> None:
    set_cell(accepted / f"{FILING}/costs.csv", 3, 5, "-5")
    stamp_resources(accepted / FILING)
    git(accepted, "commit", "-qam", "broken")
    before = (accepted / "record/ledger.jsonl").read_bytes()
    done = _gridmod(accepted, "record")
    assert done.returncode == 1
    assert done.stderr.endswith("Not accepted, because they have errors: data/pge/gmr-2026.\n")
    assert (accepted / "record/ledger.jsonl").read_bytes() == before


@pytest.mark.parametrize(
    ("actor", "passes"), [("github-actions[bot]", True), ("ed-gridmod-reviewer", False), ("pge-gridmod-filer", False)]
)
def test_only_the_publish_job_adds_receipts_in_a_pull_request(accepted: Path, actor: str, passes: bool) -> None:
    base = git(accepted, "rev-parse", "HEAD")
    git(accepted, "checkout", "-q", "-b", "receipts")
    ledger = accepted / "record/ledger.jsonl"
    first = ledger.read_text(encoding="utf-8").splitlines()[0]
    ledger.write_text(f"{first}\n{first.replace('0001', '0002')}\n", encoding="utf-8")
    git(accepted, "commit", "-qam", "a receipt by hand")
    done = _gridmod(accepted, "scope", "--actor", actor, "--base", base)
    assert (done.returncode == 0) is passes, done.stderr
    if not passes:
        assert (
            "record/ledger.jsonl: receipts are issued by the publish job when a filing lands on main; a pull "
            "request cannot add them. Take the ledger out of the pull request."
        ) in done.stderr


def test_an_accepted_filing_cannot_be_removed(accepted: Path) -> None:
    base = git(accepted, "rev-parse", "HEAD")
    git(accepted, "checkout", "-q", "-b", "withdraw")
    git(accepted, "rm", "-q", "-r", FILING)
    git(accepted, "commit", "-qm", "remove the filing")
    done = _gridmod(accepted, "scope", "--actor", "pge-gridmod-filer", "--base", base)
    assert done.returncode == 1
    assert (
        "Scope check failed: data/pge/gmr-2026: this filing is on the record, so it cannot be removed or moved; "
        "a correction is a new revision of it (gridmod.revision, supersedes, amendment_reason)."
    ) in done.stderr


def test_a_commit_clock_set_back_does_not_backdate_a_receipt(accepted: Path) -> None:
    _correct_costs(accepted)
    _header(accepted, revision=2, supersedes="GM-2026-PGE-0001", amendment_reason=REASON)
    stamp = "2020-01-01T00:00:00Z"
    subprocess.run(
        ["git", "commit", "-qam", "amendment"],
        cwd=accepted,
        check=True,
        env={**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
    )
    assert _gridmod(accepted, "record").returncode == 0
    first, second = (json.loads(line) for line in (accepted / "record/ledger.jsonl").read_text().splitlines())
    assert second["accepted_at"] >= first["accepted_at"] > "2020-01-01T00:00:00Z"
