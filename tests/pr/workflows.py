"""Run the `run:` steps of this repository's workflows on a local git repository, as GitHub Actions would.

Only what the tests need of Actions: `${{ }}` in `env:` from a given event, `working-directory`, the
default `if: success()` and `if: ${{ !cancelled() }}`, bash with `-eo pipefail`, a step summary file and
the step's outputs ($GITHUB_OUTPUT).
Steps that install gridmod are skipped: the tests run the installed package.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


@dataclass
class StepRun:
    name: str
    command: str
    returncode: int | None  # None: skipped, as Actions skips a step after a failure
    stdout: str = ""
    stderr: str = ""
    summary: str = ""
    seconds: float = 0.0
    outputs: dict[str, str] | None = None  # what the step wrote to $GITHUB_OUTPUT


def _env(values: dict[str, str], event: dict[str, str]) -> dict[str, str]:
    out = {}
    for key, value in values.items():

        def substitute(match: re.Match[str]) -> str:
            if match.group(1) not in event:
                raise KeyError(f"the test gives no value for ${{{{ {match.group(1)} }}}}")
            return event[match.group(1)]

        out[key] = _EXPR.sub(substitute, str(value))
    return out


def run_job(
    workflow: str | dict[str, Any],
    job: str,
    workdir: Path,
    event: dict[str, str],
    tmp: Path,
    extra_env: dict[str, str] | None = None,
) -> list[StepRun]:
    """The job's `run:` steps in order; `workflow` is a file of this repository's workflows or a workflow
    already read (as GitHub would take it from another commit); `extra_env` is for test doubles (PATH)."""
    spec = (load(workflow) if isinstance(workflow, str) else workflow)["jobs"][job]
    job_env = _env(spec.get("env", {}), event)
    failed = False
    runs = []
    for number, step in enumerate(spec["steps"]):
        if "run" not in step or step.get("name", "").startswith("Install"):
            continue
        name = step.get("name", step["run"])
        condition = str(step.get("if", "success()"))
        if failed and "cancelled()" not in condition and "always()" not in condition:
            runs.append(StepRun(name, step["run"], None))
            continue
        summary = tmp / f"summary-{job}-{number}.md"
        summary.write_text("", encoding="utf-8")
        output = tmp / f"output-{job}-{number}.txt"
        output.write_text("", encoding="utf-8")
        env = {
            **os.environ,
            **(extra_env or {}),
            **job_env,
            **_env(step.get("env", {}), event),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_ACTIONS": "true",
        }
        started = time.monotonic()
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workdir / step.get("working-directory", "."),
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
        runs.append(
            StepRun(
                name,
                step["run"],
                done.returncode,
                done.stdout,
                done.stderr,
                summary.read_text(encoding="utf-8"),
                time.monotonic() - started,
                outputs,
            )
        )
        failed = failed or done.returncode != 0
    return runs


def step(runs: list[StepRun], starts: str) -> StepRun:
    return next(r for r in runs if r.name.startswith(starts))


def fake_gh(folder: Path, commit_authors: list[str]) -> dict[str, str]:
    """A `gh` on PATH that answers the one API call the scope job makes (the pull request's commits) with
    these commit authors' logins, "" for a commit GitHub cannot link to an account; the environment to use."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "gh"
    lines = "".join(f"{login}\n" for login in commit_authors)
    script.write_text(
        "#!/usr/bin/env bash\n"
        'case "$*" in *pulls/*/commits*) printf \'%s\' "$GH_ANSWER" ;; '
        '*) echo "unexpected gh call: $*" >&2; exit 3 ;; esac\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "GH_ANSWER": lines}
