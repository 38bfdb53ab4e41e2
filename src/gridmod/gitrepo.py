"""git, as the scope check and the record read it: the one place gridmod runs the git command."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from gridmod.errors import SetupError


def run_git(repo: Path, *args: str, error: type[SetupError] = SetupError) -> str:
    """git's output; a git that cannot run or fails is `error`, in words."""
    try:
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise error(f"git cannot run: {exc}") from exc
    if done.returncode != 0:
        raise error(f"git {' '.join(args)} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def landed(repo: Path, path: str) -> tuple[str, datetime]:
    """The commit on the current branch's first-parent line (the merges and pushes to main) that last changed
    `path`, and when it was committed there: the moment a pull request's change to the path was accepted."""
    out = run_git(repo, "log", "-1", "--first-parent", "--format=%H %ct", "HEAD", "--", path).strip()
    if not out:
        raise SetupError(f"{path} is not in any commit of this branch: commit it first.")
    commit, seconds = out.split()
    return commit, datetime.fromtimestamp(int(seconds), tz=UTC)


def uncommitted(repo: Path, path: str) -> list[str]:
    """Files under `path` that differ from the last commit (changed, added or untracked)."""
    out = run_git(repo, "status", "--porcelain", "-z", "--untracked-files=all", "--", path)
    return sorted(entry[3:] for entry in out.split("\0") if len(entry) > 3)


def show_file(repo: Path, commit: str, path: str) -> bytes:
    try:
        done = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=repo, capture_output=True, check=False)
    except OSError as exc:
        raise SetupError(f"git cannot run: {exc}") from exc
    if done.returncode != 0:
        raise SetupError(f"{path} cannot be read from commit {commit}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def files_at(repo: Path, commit: str, folder: str) -> list[str]:
    """Every file under `folder` in `commit`, as repository paths."""
    out = run_git(repo, "ls-tree", "-r", "-z", "--name-only", commit, "--", folder)
    return sorted(p for p in out.split("\0") if p)
