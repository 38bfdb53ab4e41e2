"""A repository of its own for each filer test: the rule spec, templates and MkDocs config of this one, and
an empty data/ folder, so that `gridmod new`, import and build never touch the sample filings.

(A module of its own rather than conftest.py, so tests can import it by a name no other folder uses.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gridmod.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p for p in (REPO / "data").glob("*/*") if (p / "datapackage.json").is_file())


def make_root(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in ("validation", "templates"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    (target / "data").mkdir()
    return target


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh repository root; commands run inside it, as a filer runs them in their fork."""
    root = make_root(tmp_path / "repo")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GRIDMOD_ROOT", str(root))
    return root


def gridmod(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
