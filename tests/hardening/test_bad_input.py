"""Hostile and broken input: every case ends in a located finding and the right exit code — never a
traceback, a write outside the build folders, or a network connection."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from gridmod.cli import main

from ..conftest import FIXTURES, ROOT
from .cases import Case, apply, cases

CASES = cases()


def _snapshot(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            out[path.relative_to(folder).as_posix()] = "link:" + str(path.readlink())
        elif path.is_file():
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def test_suite_size_by_category() -> None:
    counts = Counter(case.category for case in CASES)
    print(dict(counts))
    assert sum(counts.values()) >= 75


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, listener) -> None:
    folder = tmp_path / "filing"
    shutil.copytree(FIXTURES / "valid_minimal", folder)
    apply(case, folder, listener.port)
    before, repo_before = _snapshot(tmp_path), sorted(p.name for p in ROOT.iterdir())
    result = CliRunner().invoke(main, ["validate", str(folder), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    report = json.loads(result.output)
    findings = report["packages"][0]["findings"]
    if not case.code:
        assert result.exit_code == 0, [(f["code"], f["message"]) for f in findings]
    else:
        hits = [f for f in findings if f["code"] == case.code and f["path"].endswith(f"filing/{case.path}")]
        assert hits, f"no {case.code} on {case.path}: {[(f['code'], f['path'], f['message']) for f in findings]}"
        assert all(f["line"] for f in hits), hits
        assert all(f["message"] and f["hint"] and f["url"] for f in findings)
        blocking = [f for f in findings if f["severity"] != "warning" and f["explanation"] is None]
        assert result.exit_code == (1 if blocking else 0)
        assert bool(blocking) is (hits[0]["severity"] != "warning")
    assert _snapshot(tmp_path) == before
    assert sorted(p.name for p in ROOT.iterdir()) == repo_before
    assert listener.accepted == []
