"""Reports rendered once per session and shared by the render tests (each render takes about a second)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gridmod.render import render_report

from .filings import copy_minimal, edit, make_hostile, set_meta, validated


def _render(folder: Path, out: Path) -> dict:
    filing, profile, result = validated(folder)
    start = time.perf_counter()
    paths = render_report(filing, profile, result, out)
    return {
        "paths": paths,
        "seconds": time.perf_counter() - start,
        "filing": filing,
        "profile": profile,
        "result": result,
    }


@pytest.fixture(scope="session")
def minimal_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """valid_minimal (a SAMPLE filing of PG&E) rendered into reports/."""
    work = tmp_path_factory.mktemp("minimal")
    return _render(copy_minimal(work), work / "reports")


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """valid_minimal with injection attempts in a narrative and a CSV cell, still a valid filing."""
    work = tmp_path_factory.mktemp("hostile")
    folder = copy_minimal(work)
    make_hostile(folder)
    return _render(folder, work / "reports")


@pytest.fixture(scope="session")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """valid_minimal declared a real (not sample) filing, its narrative no longer saying SAMPLE."""
    work = tmp_path_factory.mktemp("real")
    folder = copy_minimal(work)
    set_meta(folder, is_sample=False)
    edit(folder, "narrative/introduction.md", lambda text: text.replace("SAMPLE", "Test"))
    return _render(folder, work / "reports")
