from __future__ import annotations

from pathlib import Path

import pytest

from gridmod.imports import ImportResult, import_ica
from tests.conftest import ROOT
from tests.imports.helpers import native, new_ica_filing


@pytest.fixture(scope="session")
def ica_root() -> Path:
    """The repository, once it has profile ica-biannual 1.1 (the import writes into 1.1 filings)."""
    if not (ROOT / "validation" / "ica-biannual" / "1.1" / "profile.yaml").is_file():
        pytest.skip("profile ica-biannual 1.1 is not in validation/ yet")
    return ROOT


@pytest.fixture(scope="session")
def imported(ica_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, ImportResult]]:
    """Each utility's native fixture imported once into a new filing, shared by the tests that only read it."""
    out = {}
    for utility in ("pge", "sce", "sdge"):
        base = tmp_path_factory.mktemp(f"import-{utility}")
        folder = new_ica_filing(ica_root, utility, folder=base / "data" / utility / "ica-2026-h2")
        out[utility] = (folder, import_ica(utility, native(utility), folder, ica_root))
    return out
