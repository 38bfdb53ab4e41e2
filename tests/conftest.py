from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check what holds, not how fast: a deadline per example fails at random on a busy machine
# (a first example that pays for imports or a cold cache), so there is none.
settings.register_profile("gridmod", deadline=None)
settings.load_profile("gridmod")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = sorted((ROOT / "data").glob("*/gmr-*"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run from the repository root, as filers and CI run them."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GRIDMOD_ROOT", raising=False)
    monkeypatch.delenv("GRIDMOD_SITE_URL", raising=False)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
