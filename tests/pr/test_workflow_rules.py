"""The workflows' own safety rules: pinned actions, read-only tokens, no untrusted value inside `run:`."""

from __future__ import annotations

import re

import pytest

from ..conftest import ROOT
from .workflows import WORKFLOWS, load

NAMES = sorted(p.name for p in WORKFLOWS.glob("*.yml"))
# The README's quick-start test command (the second shell block of its quick start).
README_TESTS = re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)[1]
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
        elif name == "filing-checks.yml" and job_name == "scope":
            # It reads the pull request's commits, to judge everyone who wrote one; nothing to write.
            assert job["permissions"] == {"contents": "read", "pull-requests": "read"}
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
    assert install["run"] == (
        "python -m pip install --require-hashes --no-deps -r trusted/.github/requirements.txt\n"
        "python -m pip install --no-deps --no-build-isolation ./trusted\n"
    )
    check = next(s for s in steps if "gridmod scope" in s.get("run", ""))
    assert check["working-directory"] == "pr"


def test_the_workflows_install_dependencies_pinned_by_hash_that_satisfy_pyproject() -> None:
    """.github/requirements.txt pins every dependency of pyproject.toml (and the build backend) to a version
    its specifier allows, each with hashes; every workflow installs from it and gridmod without dependencies."""
    import tomllib

    from packaging.requirements import Requirement

    text = (ROOT / ".github/requirements.txt").read_text(encoding="utf-8")
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.-]+)==([^ \\\n]+)", block)
        if match:
            assert "--hash=sha256:" in block, match.group(1)
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [Requirement(r) for r in project["project"]["dependencies"] + project["build-system"]["requires"]]
    for requirement in wanted:
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, f"{requirement.name} is not pinned in .github/requirements.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (requirement, pins[name])
    for name in NAMES:
        pinned = False
        for job_name, _, step in _steps(load(name)):
            run = step.get("run", "")
            if name == "tests.yml" and run == README_TESTS:
                # The README's command, after the pinned install: it adds only the test tools.
                assert pinned, "tests.yml installs the pinned dependencies before the README's command"
            elif "pip install" in run:
                assert "--require-hashes --no-deps -r " in run, job_name
                assert "--no-deps --no-build-isolation" in run or name == "tests.yml", job_name
                pinned = True


def test_the_tests_workflow_runs_the_readme_test_command() -> None:
    runs = [step.get("run") for _, _, step in _steps(load("tests.yml"))]
    assert runs[-1] == README_TESTS
