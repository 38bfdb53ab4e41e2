"""Temporary repositories for the pull-request tests: a copy of the parts of this repository a PR needs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..conftest import ROOT

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Filer",
    "GIT_AUTHOR_EMAIL": "filer@example.com",
    "GIT_COMMITTER_NAME": "Test Filer",
    "GIT_COMMITTER_EMAIL": "filer@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def copy_repo(
    target: Path,
    filings: tuple[str, ...] = ("pge/gmr-2024", "pge/gmr-2026", "sce/gmr-2026"),
    with_templates: bool = False,
) -> Path:
    """validation/, .github/, mkdocs.yml and the named sample filings (templates/ only when asked)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("validation", ".github") + (("templates",) if with_templates else ()):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for filing in filings:
        shutil.copytree(ROOT / "data" / filing, target / "data" / filing)
    for name in ("reports", "site"):
        (target / name).mkdir(exist_ok=True)
        shutil.copy2(ROOT / name / "README.md", target / name / "README.md")
    return target


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert done.returncode == 0, f"git {args}: {done.stderr}"
    return done.stdout.strip()


def init_repo(repo: Path) -> str:
    """Commit everything as the base branch main; returns the base commit."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    return git(repo, "rev-parse", "HEAD")


def open_pr(repo: Path, message: str = "filing change") -> str:
    """Commit the working tree's changes on a new branch, as a filer's pull request; returns its head."""
    git(repo, "checkout", "-q", "-b", "filer-branch")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def set_cell(csv_path: Path, line: int, column: int, value: str) -> None:
    """Replace one cell of a simple CSV line (no quoted commas before the column)."""
    lines = csv_path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[line - 1].rstrip("\n").split(",")
    cells[column - 1] = value
    lines[line - 1] = ",".join(cells) + "\n"
    csv_path.write_text("".join(lines), encoding="utf-8")
