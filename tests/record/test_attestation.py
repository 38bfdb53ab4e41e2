"""The officer's verification: required to accept a filing, in the profile's words, shown on the report and
bound into the receipt."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from gridmod.record.digest import package_sha256

from ..conftest import attest
from ..pr.repos import GIT_ENV, copy_repo, git

FILING = "data/pge/gmr-2026"
DESCRIPTOR = f"{FILING}/datapackage.json"


def _gridmod(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["gridmod", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV})


def _edit(repo: Path, change) -> None:
    path = repo / DESCRIPTOR
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["gridmod"])
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _e047(repo: Path) -> list[str]:
    done = _gridmod(repo, "validate", FILING, "--quick", "--format", "json")
    report = json.loads(done.stdout)
    return [
        f"line {f['line']}: {f['message']}"
        for p in report["packages"]
        for f in p["findings"]
        if f["code"] == "GMR-E047"
    ]


def _line(repo: Path, key: str) -> int:
    lines = (repo / DESCRIPTOR).read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if '"attestation"' in line)
    return next(n for n, line in enumerate(lines[start:], start + 1) if f'"{key}"' in line)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A real (not sample) filing under data/, not yet accepted, verified by its officer."""
    repo = copy_repo(tmp_path / "repo", filings=("pge/gmr-2026",), with_templates=True)
    _edit(repo, lambda g: g.update(is_sample=False))
    attest(repo / FILING)
    return repo


def test_a_verified_filing_has_no_finding(repo: Path) -> None:
    assert _e047(repo) == []


def test_without_a_verification_a_filing_is_not_accepted(repo: Path) -> None:
    _edit(repo, lambda g: g.pop("attestation"))
    gridmod_line = next(
        n for n, line in enumerate((repo / DESCRIPTOR).read_text().splitlines(), 1) if '"gridmod"' in line
    )
    assert _e047(repo) == [
        f"line {gridmod_line}: gridmod.attestation is missing: a filing is accepted only with an "
        "officer's verification."
    ]
    done = _gridmod(repo, "validate", FILING, "--quick")
    assert (
        'How to fix: Add to the gridmod object of datapackage.json: "attestation": {"name": the officer\'s name, '
        '"title": their title, "date": the day they verified the filing (YYYY-MM-DD), "statement": the statement '
        "below, word for word}. The statement: I am an officer of Pacific Gas and Electric Company and am "
        "authorized to make this verification on its behalf."
    ) in done.stdout


def test_a_missing_part_is_found_at_the_attestation_not_at_another_name(repo: Path) -> None:
    _edit(repo, lambda g: g["attestation"].pop("name"))
    assert _e047(repo) == [f"line {_attestation_line(repo)}: gridmod.attestation.name is missing or empty."]


def _attestation_line(repo: Path) -> int:
    lines = (repo / DESCRIPTOR).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if '"attestation"' in line)


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (lambda a: a.update(name=" "), "name", "gridmod.attestation.name is missing or empty."),
        (
            lambda a: a.update(date="30 Sep 2026"),
            "date",
            "gridmod.attestation.date is '30 Sep 2026', not a date written YYYY-MM-DD.",
        ),
        (
            lambda a: a.update(
                statement=a["statement"].replace("true and correct", "correct to the best of my knowledge")
            ),
            "statement",
            "gridmod.attestation.statement is not the statement this profile prescribes.",
        ),
    ],
)
def test_each_part_of_the_verification_is_checked_at_its_line(repo: Path, change, key: str, message: str) -> None:
    _edit(repo, lambda g: change(g["attestation"]))
    assert _e047(repo) == [f"line {_line(repo, key)}: {message}"]


def test_a_sample_says_sample_in_its_verification(repo: Path) -> None:
    _edit(repo, lambda g: g.update(is_sample=True))
    assert _e047(repo) == [
        f"line {_line(repo, 'name')}: gridmod.attestation.name is 'Jane Doe'; a sample filing's "
        "verification says SAMPLE, since no officer verified synthetic data."
    ]


def test_the_receipt_and_the_report_carry_the_verification(repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "PG&E files gmr-2026")
    assert _gridmod(repo, "record").returncode == 0
    (receipt,) = [json.loads(line) for line in (repo / "record/ledger.jsonl").read_text().splitlines()]
    assert receipt["attested_by"] == {
        "name": "Jane Doe",
        "title": "Vice President, Grid Modernization",
        "date": "2026-10-01",
    }
    done = _gridmod(repo, "render", FILING, "--output", "out")
    assert done.returncode == 0, done.stderr
    qmd = (repo / "out/gmr-2026/pge.qmd").read_text(encoding="utf-8")
    assert 'attested: "Jane Doe, Vice President, Grid Modernization, on 2026-10-01"' in qmd
    assert 'accession: "GM-2026-PGE-0001"' in qmd


def test_a_filing_accepted_before_its_profile_asked_keeps_its_receipt(repo: Path) -> None:
    """A receipt issued for a package without a verification (under an earlier rule) stays valid as it is."""
    _edit(repo, lambda g: g.pop("attestation"))
    assert len(_e047(repo)) == 1
    line = {
        "accession": "GM-2026-PGE-0001",
        "filing": FILING,
        "utility": "pge",
        "filing_id": "gmr-2026",
        "revision": 1,
        "supersedes": None,
        "reason": None,
        "accepted_at": "2026-10-01T20:00:00Z",
        "filing_date": "2026-10-01",
        "commit": "0" * 40,
        "package_sha256": package_sha256(repo / FILING),
        "profile": "gmr-appendix-a",
        "profile_version": "1.0",
        "gridmod_version": "0.1.0",
        "findings_digest": "sha256:" + "0" * 64,
        "counts": {},
        "attested_by": None,
        "sample": False,
    }
    (repo / "record").mkdir()
    (repo / "record/ledger.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert _e047(repo) == []
