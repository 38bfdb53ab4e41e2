"""The workflows' own safety rules: pinned actions, read-only tokens, no untrusted value inside `run:`."""

from __future__ import annotations

import re

import pytest

from .workflows import WORKFLOWS, load

NAMES = sorted(p.name for p in WORKFLOWS.glob("*.yml"))
PIN = re.compile(r"^\s*(?:-\s*)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d[\w.]*\s*$")


def _steps(workflow: dict):
    for job_name, job in workflow["jobs"].items():
        for step in job["steps"]:
            yield job_name, job, step


@pytest.mark.parametrize("name", NAMES)
def test_every_action_is_pinned_by_sha_with_its_version(name: str) -> None:
    lines = [line for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        assert PIN.match(line), line


@pytest.mark.parametrize("name", NAMES)
def test_no_expression_inside_run_and_no_pull_request_target(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert "pull_request_target" not in text
    for _, _, step in _steps(load(name)):
        assert "${{" not in step.get("run", ""), step


@pytest.mark.parametrize("name", NAMES)
def test_read_only_token_and_a_timeout_on_every_job(name: str) -> None:
    workflow = load(name)
    assert workflow["permissions"] == {"contents": "read"}
    for job_name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), job_name
        if job_name == "deploy":
            assert job["permissions"] == {"pages": "write", "id-token": "write"}
        elif name == "publish.yml" and job_name == "record":
            # It pushes the ledger's new receipts; the only command it runs besides git is gridmod record.
            assert job["permissions"] == {"contents": "write"}
            runs = [s["run"] for s in job["steps"] if "run" in s]
            assert [r for r in runs if r.startswith("gridmod")] == ["gridmod record"]
            assert "git add record/ledger.jsonl\n" in runs[-1]
        else:
            assert "permissions" not in job, job_name


def test_checkouts_keep_no_credentials() -> None:
    for name in NAMES:
        for _, _, step in _steps(load(name)):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_the_scope_check_runs_code_from_the_base_commit() -> None:
    steps = load("filing-checks.yml")["jobs"]["scope"]["steps"]
    trusted = next(s for s in steps if s.get("with", {}).get("path") == "trusted")
    assert trusted["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    install = next(s for s in steps if s.get("name", "").startswith("Install"))
    assert install["run"] == "python -m pip install ./trusted"
    check = next(s for s in steps if "gridmod scope" in s.get("run", ""))
    assert check["working-directory"] == "pr"
