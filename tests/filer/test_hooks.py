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


def hook() -> dict:
    (definition,) = yaml.safe_load(MANIFEST.read_text())
    return definition


def test_definitions_are_what_pre_commit_reads() -> None:
    from pre_commit import clientlib

    assert [h["id"] for h in clientlib.load_manifest(str(MANIFEST))] == ["gridmod-validate"]
    config = clientlib.load_config(str(CONFIG))
    ids = [h["id"] for repo in config["repos"] for h in repo["hooks"]]
    assert ids == ["ruff", "check-yaml", "check-added-large-files", "mixed-line-ending", "gridmod-validate"]


def test_manifest_and_local_hook_agree() -> None:
    local = next(r for r in yaml.safe_load(CONFIG.read_text())["repos"] if r["repo"] == "local")["hooks"][0]
    definition = hook()
    for key in ("id", "entry", "files", "pass_filenames", "require_serial"):
        assert local[key] == definition[key], key
    mixed = next(
        h for r in yaml.safe_load(CONFIG.read_text())["repos"] for h in r["hooks"] if h["id"] == "mixed-line-ending"
    )
    assert mixed["args"] == ["--fix=lf"]


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
