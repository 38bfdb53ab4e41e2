"""The pre-commit hooks: definitions pre-commit accepts, and the hook command doing what filers need."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import attest
from tests.filer.filerfixtures import REPO

MANIFEST = REPO / ".pre-commit-hooks.yaml"
CONFIG = REPO / ".pre-commit-config.yaml"
DEVELOPERS = REPO / ".pre-commit-developer.yaml"
SCRIPT = REPO / ".github" / "hooks" / "gridmod-validate"


def hook() -> dict:
    (definition,) = yaml.safe_load(MANIFEST.read_text())
    return definition


def test_definitions_are_what_pre_commit_reads() -> None:
    from pre_commit import clientlib

    assert [h["id"] for h in clientlib.load_manifest(str(MANIFEST))] == ["gridmod-validate"]
    filers = clientlib.load_config(str(CONFIG))
    assert [r["repo"] for r in filers["repos"]] == ["local"]  # nothing to download: it works offline
    assert [h["id"] for r in filers["repos"] for h in r["hooks"]] == ["gridmod-validate", "no-merge-conflict-markers"]
    developers = clientlib.load_config(str(DEVELOPERS))
    ids = [h["id"] for repo in developers["repos"] for h in repo["hooks"]]
    assert ids == [
        "ruff",
        "ruff-format",
        "check-yaml",
        "check-added-large-files",
        "mixed-line-ending",
        "gridmod-validate",
    ]


def test_manifest_and_local_hooks_agree() -> None:
    definition = hook()
    for config in (CONFIG, DEVELOPERS):
        local = next(r for r in yaml.safe_load(config.read_text())["repos"] if r["repo"] == "local")["hooks"][0]
        for key in ("id", "files", "pass_filenames", "require_serial"):
            assert local[key] == definition[key], (config.name, key)
        assert local["entry"] == SCRIPT.relative_to(REPO).as_posix() and local["language"] == "script"
    # The script runs the manifest's command, with the clone's gridmod.
    assert f'"$candidate" {definition["entry"].removeprefix("gridmod ")} "$@"' in SCRIPT.read_text()
    mixed = next(
        h for r in yaml.safe_load(DEVELOPERS.read_text())["repos"] for h in r["hooks"] if h["id"] == "mixed-line-ending"
    )
    assert mixed["args"] == ["--fix=lf"]


def test_the_filers_hooks_run_offline_in_a_new_clone(repo: Path, tmp_path: Path) -> None:
    """pre-commit itself, in a git repository with an empty pre-commit cache and no network access needed."""
    shutil.copytree(REPO / "tests" / "fixtures" / "defects" / "negative_cost", repo / "data" / "pge" / "gmr-2026")
    (repo / ".github" / "hooks").mkdir(parents=True)
    shutil.copy2(SCRIPT, repo / ".github" / "hooks" / SCRIPT.name)
    shutil.copy2(CONFIG, repo / CONFIG.name)
    git = ["git", "-c", "user.name=Filer", "-c", "user.email=filer@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GRIDMOD_ROOT": str(repo),
        "https_proxy": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "gridmod validate (filings you changed)" in done.stdout and "Failed" in done.stdout
    assert "data/pge/gmr-2026/costs.csv:2:5: error GMR-E020" in done.stdout
    assert "no merge conflict markers left in filings" in done.stdout
    costs = repo / "data/pge/gmr-2026/costs.csv"
    costs.write_text(costs.read_text(encoding="utf-8") + "<<<<<<< HEAD\n", encoding="utf-8")
    conflict = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "no-merge-conflict-markers", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert conflict.returncode == 1 and "data/pge/gmr-2026/costs.csv" in conflict.stdout


def test_the_hook_runs_on_changed_files_of_filings_only() -> None:
    files = re.compile(hook()["files"])
    assert files.search("data/pge/gmr-2026/costs.csv")
    assert files.search("data/pge/gmr-2026/narrative/activities/ami-2-0.md")
    assert not files.search("README.md") and not files.search("data/README.md")


def run_hook(root: Path, *files: str) -> subprocess.CompletedProcess:
    """As pre-commit runs it: the entry, then the changed files, from the repository root."""
    entry = shlex.split(hook()["entry"])
    gridmod = shutil.which("gridmod")
    command = [gridmod, *entry[1:]] if gridmod else [sys.executable, "-m", "gridmod", *entry[1:]]
    env = {**os.environ, "GRIDMOD_ROOT": str(root)}
    return subprocess.run([*command, *files], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_the_hook_checks_each_changed_filing_once(repo: Path) -> None:
    shutil.copytree(REPO / "tests" / "fixtures" / "valid_minimal", repo / "data" / "pge" / "gmr-2026")
    shutil.copytree(REPO / "tests" / "fixtures" / "defects" / "negative_cost", repo / "data" / "sce" / "gmr-2026")
    for utility in ("sce",):
        descriptor = repo / "data" / utility / "gmr-2026" / "datapackage.json"
        descriptor.write_text(descriptor.read_text().replace('"utility": "pge"', f'"utility": "{utility}"'))
        attest(descriptor.parent)
    good = run_hook(repo, "data/pge/gmr-2026/costs.csv", "data/pge/gmr-2026/activities.csv")
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.endswith("1 filing checked: 0 errors, 0 warnings, 0 need explanation.\n")
    bad = run_hook(repo, "data/pge/gmr-2026/costs.csv", "data/sce/gmr-2026/costs.csv")
    assert bad.returncode == 1
    assert (
        "data/sce/gmr-2026/costs.csv:2:5: error GMR-E020: amount_usd is '-5.25'; costs are never negative."
        in bad.stdout
    )
    assert bad.stdout.endswith("2 filings checked: 1 error, 0 warnings, 0 need explanation.\n")
