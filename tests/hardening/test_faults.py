"""A build that fails or is killed leaves the previous reports/ and site/ exactly as they were."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gridmod import build as build_module
from gridmod.build import build, recover

from ..conftest import FIXTURES, built_copy, repo_copy


def _outputs(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for name in ("reports", "site")
        for p in sorted((root / name).rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def published(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = built_copy(sample_build, tmp_path_factory.mktemp("published") / "repo")
    return root, _outputs(root)


@pytest.mark.parametrize("after", [1.5, 4.0, 7.0])
def test_killed_build_changes_nothing(published: tuple[Path, dict[str, str]], after: float) -> None:
    root, before = published
    (root / "data/pge/gmr-2026/narrative/summary.md").write_text("A changed summary.\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "gridmod", "stamp", "data/pge/gmr-2026"], cwd=root, check=True, capture_output=True
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gridmod", "build"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(after)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert _outputs(root) == before
    else:
        pytest.fail(f"the build finished within {after} s; the kill came too late to test anything")


def test_next_build_after_a_kill_cleans_up_and_publishes(published: tuple[Path, dict[str, str]]) -> None:
    root, before = published
    assert build(root).published
    assert _outputs(root) != before
    assert not list((root / ".build").glob("stage-*"))


def test_crash_between_the_two_renames_is_rolled_back(
    sample_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = built_copy(sample_build, tmp_path / "repo")
    before = _outputs(root)
    (root / "data/pge/gmr-2026/narrative/outlook.md").write_text("Another outlook.\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "gridmod", "stamp", "data/pge/gmr-2026"], cwd=root, check=True, capture_output=True
    )
    real_replace, calls = os.replace, []

    def dies_moving_the_first_new_output_in(src, dst):  # journal, two moves aside, then this one
        calls.append(src)
        if len(calls) == 4:
            raise KeyboardInterrupt("killed")
        return real_replace(src, dst)

    monkeypatch.setattr(build_module.os, "replace", dies_moving_the_first_new_output_in)
    with pytest.raises(KeyboardInterrupt):
        build(root)
    monkeypatch.setattr(build_module.os, "replace", real_replace)
    recover(root)
    assert _outputs(root) == before


def test_invalid_filing_is_published_only_when_asked(tmp_path: Path) -> None:
    root = repo_copy(tmp_path)
    shutil.rmtree(root / "data/sce/gmr-2026")
    shutil.copytree(FIXTURES / "defects" / "negative_cost", root / "data/sce/gmr-2026")
    (root / "data/sce/gmr-2026/datapackage.json").write_text(
        (root / "data/sce/gmr-2026/datapackage.json").read_text().replace('"utility": "pge"', '"utility": "sce"')
    )
    refused = build(root)
    assert not refused.published and not (root / "reports" / "gmr-2026").exists()
    result = build(root, skip_invalid=True)
    assert result.published and result.skipped == ["data/sce/gmr-2026"]
    assert (root / "reports/gmr-2026/pge.pdf").is_file()
    assert not (root / "reports/gmr-2026/sce.pdf").exists()
    assert not (root / "site/filings/gmr-2026/sce").exists()
