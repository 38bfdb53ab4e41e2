"""A pull request cannot judge itself: the repository ruleset requires the filing checks as main has them.

GitHub runs a ruleset-required workflow from the ruleset's source (main, at the pinned commit), not from the
pull request. These tests take the workflow the way GitHub would, from .github/rulesets/main.json and the
base branch, and run its scope job on a pull request that edits its own copy of the workflow.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..conftest import ROOT
from .repos import copy_repo, git, init_repo, open_pr
from .test_scope import event_of
from .workflows import fake_gh, run_job

RULESET = ROOT / ".github" / "rulesets" / "main.json"
PGE = "pge-gridmod-filer"


def _required(ruleset: dict) -> list[dict]:
    return [w for rule in ruleset["rules"] if rule["type"] == "workflows" for w in rule["parameters"]["workflows"]]


def _as_github_runs_it(repo: Path, ruleset: dict) -> dict:
    """The required workflow as GitHub takes it: the file at the ruleset's path on the ruleset's ref."""
    (required,) = _required(ruleset)
    branch = required["ref"].removeprefix("refs/heads/")
    return yaml.safe_load(git(repo, "show", f"{branch}:{required['path']}"))


def _verdict(repo: Path, workflow: dict, base: str):
    env = fake_gh(repo.parent / "bin", [PGE])
    runs = run_job(workflow, "scope", repo.parent, event_of(PGE, base), repo.parent, env)
    return runs[-1]


def test_a_pull_request_that_edits_its_own_workflow_still_fails_the_verdict(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "pr", filings=("pge/gmr-2026", "sce/gmr-2026"))
    base = init_repo(repo)
    ruleset = json.loads(git(repo, "show", "main:.github/rulesets/main.json"))
    own = repo / ".github/workflows/filing-checks.yml"
    text = own.read_text(encoding="utf-8")
    assert "--actors-from ../actors.txt " in text
    own.write_text(text.replace("--actors-from ../actors.txt ", ""), encoding="utf-8")  # no actor: nothing judged
    with (repo / "data/sce/gmr-2026/narrative/summary.md").open("a", encoding="utf-8") as handle:
        handle.write("\nA PG&E filer's sentence in SCE's filing.\n")
    open_pr(repo)
    # The pull request's own copy would let it through ...
    mine = yaml.safe_load(git(repo, "show", "HEAD:.github/workflows/filing-checks.yml"))
    assert _verdict(repo, mine, base).returncode == 0
    # ... but the verdict comes from main's copy, which judges everyone behind the pull request.
    verdict = _verdict(repo, _as_github_runs_it(repo, ruleset), base)
    assert verdict.returncode == 1
    assert "data/sce/gmr-2026/narrative/summary.md" in verdict.stderr
    assert ".github/workflows/filing-checks.yml" in verdict.stderr


def test_the_ruleset_and_the_workflows_agree() -> None:
    """The ruleset Energy Division applies requires the workflow that gives the verdict, from main, on every
    pull request into main, with review by the code owners; the workflow it names is that workflow."""
    ruleset = json.loads(RULESET.read_text(encoding="utf-8"))
    assert ruleset["target"] == "branch" and ruleset["enforcement"] == "active"
    assert ruleset["conditions"]["ref_name"]["include"] == ["~DEFAULT_BRANCH"]
    (required,) = _required(ruleset)
    assert required["ref"] == "refs/heads/main" and len(required["sha"]) == 40
    workflow = yaml.safe_load((ROOT / required["path"]).read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert list(triggers) == ["pull_request"] and triggers["pull_request"]["branches"] == ["main"]
    assert {"scope", "review"} <= set(workflow["jobs"])
    assert workflow["jobs"]["review"]["needs"] == "scope"
    assert workflow["jobs"]["preview"]["if"] == "${{ needs.scope.outputs.code == 'true' }}"
    review = {rule["type"]: rule for rule in ruleset["rules"]}["pull_request"]["parameters"]
    assert review["require_code_owner_review"] and review["required_approving_review_count"] >= 1
    assert (ROOT / ".github/CODEOWNERS").is_file()
    # The only bypass is the GitHub Actions app, for the publish job's receipts (CONTRIBUTING, threat model).
    assert ruleset["bypass_actors"] == [{"actor_id": 15368, "actor_type": "Integration", "bypass_mode": "always"}]


def test_jobs_that_read_the_pull_request_never_run_its_code() -> None:
    """scope and review install gridmod from the base commit (trusted/) and only read pr/; only the preview
    job, after the verdict, installs the pull request's own code."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/filing-checks.yml").read_text(encoding="utf-8"))
    for name in ("scope", "review"):
        steps = workflow["jobs"][name]["steps"]
        installs = [s["run"] for s in steps if s.get("name", "").startswith("Install")]
        python = [run for run in installs if "pip install" in run]
        assert python and all("./trusted" in run and "./pr" not in run and "-e ." not in run for run in python)
        # Anything else installed comes from the runner's package manager, never from the pull request.
        assert all(run.startswith("sudo apt-get update") and "pr/" not in run for run in installs if run not in python)
        for checkout in (s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@")):
            assert checkout["with"]["persist-credentials"] is False
        commands = [s for s in steps if "run" in s and not s.get("name", "").startswith("Install")]
        assert all(s.get("working-directory") == "pr" or "gridmod" not in s["run"] for s in commands)
    preview = workflow["jobs"]["preview"]
    assert preview["needs"] == ["scope", "review"] and "permissions" not in preview
