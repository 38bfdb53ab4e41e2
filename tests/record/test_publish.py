"""The record through the publish job: a filing lands, then its amendment, on a repository with a remote.

The publish workflow's record job runs step by step (gridmod record, then the commit and push of the
ledger's new lines), then its build job: two receipts in the ledger, the site shows revision 2 with its
reason and keeps revision 1's report and data; a pull request that edits revision 1's receipt fails the scope
check, whoever opens it.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gridmod.filing import stamp_resources

from ..pr.repos import GIT_ENV, copy_repo, git, open_pr, set_cell
from ..pr.workflows import run_job, step

FILING = "data/pge/gmr-2026"
COSTS = f"{FILING}/costs.csv"
LANDED = datetime(2026, 10, 1, 20, 15, tzinfo=UTC)  # 13:15 in California, on the typed filing date
AMENDED = datetime(2026, 10, 20, 17, 30, tzinfo=UTC)
BUILT = datetime(2026, 11, 1, tzinfo=UTC)
REASON = "Corrected the 2023 recorded O&M cost of adms-phase-2, which was entered in thousands of dollars."
ED = "ed-gridmod-reviewer"


def _commit_at(repo: Path, when: datetime, message: str, *args: str) -> None:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    done = subprocess.run(["git", *args, "-q", "-m", message], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _not_a_sample(repo: Path) -> None:
    """The record is kept for real filings only, so the test's filing says it is not a sample."""
    descriptor = repo / FILING / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["gridmod"]["is_sample"] = False
    descriptor.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _amend(repo: Path) -> None:
    set_cell(repo / COSTS, 3, 5, "1250000")  # adms-phase-2,2023,om,recorded
    stamp_resources(repo / FILING)
    descriptor = repo / FILING / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["gridmod"].update(revision=2, supersedes="GM-2026-PGE-0001", amendment_reason=REASON)
    descriptor.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _publish(repo: Path, tmp: Path, job: str) -> list:
    event = {"github.token": "test-token", "vars.GRIDMOD_SITE_URL": ""}
    return run_job("publish.yml", job, repo, event, tmp)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("publish")
    repo = copy_repo(tmp / "repo", filings=("pge/gmr-2026",), with_templates=True)
    _not_a_sample(repo)
    (repo / "record").mkdir()
    (repo / "record/ledger.jsonl").write_text("", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    _commit_at(repo, LANDED, "PG&E files gmr-2026", "commit")
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(tmp / "origin.git")], check=True)
    git(repo, "remote", "add", "origin", str(tmp / "origin.git"))
    first = _publish(repo, tmp, "record")
    original = (repo / COSTS).read_bytes()

    git(repo, "checkout", "-q", "-b", "amendment")
    _amend(repo)
    git(repo, "add", "-A")
    _commit_at(repo, AMENDED.replace(hour=9), "PG&E corrects gmr-2026", "commit")
    git(repo, "checkout", "-q", "main")
    _commit_at(repo, AMENDED, "Merge the amendment", "merge", "--no-ff", "amendment")
    second = _publish(repo, tmp, "record")
    clock = os.environ["SOURCE_DATE_EPOCH"]
    os.environ["SOURCE_DATE_EPOCH"] = str(int(BUILT.timestamp()))
    try:
        build = _publish(repo, tmp, "build")
    finally:
        os.environ["SOURCE_DATE_EPOCH"] = clock
    return {"repo": repo, "tmp": tmp, "first": first, "second": second, "build": build, "original": original}


def _ledger(repo: Path) -> list[dict]:
    return [json.loads(line) for line in (repo / "record/ledger.jsonl").read_text(encoding="utf-8").splitlines()]


def test_each_landing_gets_a_receipt_pushed_to_main(published) -> None:
    repo, tmp = published["repo"], published["tmp"]
    for runs in (published["first"], published["second"]):
        issued = step(runs, "Issue receipts")
        assert issued.returncode == 0, issued.stderr
        pushed = step(runs, "Commit the new receipts")
        assert pushed.returncode == 0, pushed.stderr
    assert step(published["first"], "Issue receipts").stdout.splitlines()[0] == (
        "data/pge/gmr-2026 revision 1: GM-2026-PGE-0001, accepted 2026-10-01 20:15 UTC "
        f"(commit {git(repo, 'rev-list', '--max-parents=0', 'HEAD')[:12]})."
    )
    first, second = _ledger(repo)
    assert (first["accession"], first["revision"], first["supersedes"]) == ("GM-2026-PGE-0001", 1, None)
    assert first["accepted_at"] == "2026-10-01T20:15:00Z" and first["filing_date"] == "2026-10-01"
    assert (second["accession"], second["revision"], second["supersedes"]) == (
        "GM-2026-PGE-0002",
        2,
        "GM-2026-PGE-0001",
    )
    # The merge commit's time, not the time the filer committed on the branch.
    assert second["accepted_at"] == "2026-10-20T17:30:00Z" and second["reason"] == REASON
    assert second["commit"] == git(repo, "rev-parse", "HEAD~1")
    assert first["package_sha256"] != second["package_sha256"]
    # Both ledger commits reached the remote's main, and the job hands the build the newest one.
    remote = subprocess.run(["git", "rev-parse", "main"], cwd=tmp / "origin.git", capture_output=True, text=True)
    assert remote.stdout.strip() == git(repo, "rev-parse", "HEAD")
    assert step(published["second"], "Commit the new receipts").outputs == {"commit": git(repo, "rev-parse", "HEAD")}
    assert git(repo, "log", "-1", "--format=%an %s") == "github-actions[bot] Receipts for the filings accepted on main"


def test_a_second_run_adds_nothing(published, tmp_path: Path) -> None:
    repo = published["repo"]
    before = (repo / "record/ledger.jsonl").read_bytes()
    runs = _publish(repo, tmp_path, "record")
    assert step(runs, "Issue receipts").stdout.endswith(
        "record/ledger.jsonl: nothing to add; every filing on this branch is on the record.\n"
    )
    assert (repo / "record/ledger.jsonl").read_bytes() == before


def test_the_site_shows_revision_2_and_keeps_revision_1(published) -> None:
    repo = published["repo"]
    built = step(published["build"], "Build reports and site")
    assert built.returncode == 0, built.stderr
    page = (repo / "site/filings/gmr-2026/pge/index.html").read_text(encoding="utf-8")
    assert "Amended on 2026-10-20 (revision 2):</strong> " + REASON.replace("&", "&amp;") in page
    assert "accession number GM-2026-PGE-0002, accepted 2026-10-20" in page
    record = repo / "site/record/pge/gmr-2026"
    text = (record / "index.html").read_text(encoding="utf-8")
    assert "Amended on 2026-10-20 (revision 2)" in text and "supersedes GM-2026-PGE-0001" in text
    assert "The filing was received on 2026-10-01" in text
    old = record / "revision-1"
    assert sorted(p.name for p in old.iterdir()) == [
        "pge-gmr-2026-revision-1-data.zip",
        "pge-gmr-2026-revision-1.docx",
        "pge-gmr-2026-revision-1.pdf",
    ]
    with zipfile.ZipFile(old / "pge-gmr-2026-revision-1-data.zip") as archive:
        assert archive.read("costs.csv") == published["original"]
    assert (old / "pge-gmr-2026-revision-1.pdf").read_bytes().startswith(b"%PDF-")
    receipt = json.loads((record / "GM-2026-PGE-0001.json").read_text(encoding="utf-8"))
    assert receipt == _ledger(repo)[0]
    changes = (record / "changes-revision-2" / "index.html").read_text(encoding="utf-8")
    assert "changes from gmr-2026 revision 1 to gmr-2026 revision 2" in changes
    ledger = (repo / "site/record/index.html").read_text(encoding="utf-8")
    assert ledger.index("GM-2026-PGE-0002") < ledger.index("GM-2026-PGE-0001")


def test_editing_a_past_receipt_fails_the_scope_check(published) -> None:
    repo = published["repo"]
    base = git(repo, "rev-parse", "HEAD")
    ledger = repo / "record/ledger.jsonl"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].replace("2026-10-01T20:15:00Z", "2026-09-30T20:15:00Z")
    ledger.write_text("".join(lines), encoding="utf-8")
    open_pr(repo, "back-date the first receipt")
    try:
        done = subprocess.run(
            ["gridmod", "scope", "--actor", ED, "--base", base, "--format", "github"],
            cwd=repo,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 1
        assert done.stdout == (
            "::error file=record/ledger.jsonl,title=The ledger is append-only::record/ledger.jsonl "
            "line 1: this pull request changes or removes a receipt already issued. The ledger is "
            "append-only: a correction to a filing is a new revision, which gets its own receipt.\n"
        )
    finally:
        git(repo, "checkout", "-q", "main")
