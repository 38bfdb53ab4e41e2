"""The site built once from two sample filings (one with a hostile narrative), shared by the site tests."""

from __future__ import annotations

import time

import pytest

from gridmod.site import build_site

from .sitefixtures import REPO, make_built


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The site of two sample filings (one with hostile narrative), built once for all site tests."""
    work = tmp_path_factory.mktemp("site")
    built = [make_built(work, "pge", hostile=True), make_built(work, "sdge")]
    out = work / "out"
    start = time.perf_counter()
    build_site(REPO, built, work / "reports", out)
    seconds = time.perf_counter() - start
    pages = sorted(out.rglob("*.html"))
    print(f"\nsite build: {seconds:.2f} s for {len(pages)} HTML pages")
    return {"out": out, "built": built, "seconds": seconds, "pages": pages, "work": work}
