"""CONTRIBUTING's screenshots come from the project's own code: this regenerates them into a temporary
folder, as `python tests/filer/screenshots.py` does into docs/images/, and checks they show something."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.filer import screenshots


def test_screenshots_are_taken_by_the_preview_and_chromium(tmp_path: Path) -> None:
    if screenshots.chromium() is None:
        pytest.skip("headless Chromium is not installed")
    image = pytest.importorskip("PIL.Image")
    shots = screenshots.main(tmp_path)
    assert [s.name for s in shots] == ["preview-filing.png", "preview-findings.png", "pr-summary.png"]
    for shot in shots:
        with image.open(shot) as picture:
            assert picture.size[0] == 1280
            colours = picture.convert("RGB").getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 50, f"{shot.name} looks blank"
    committed = Path(screenshots.REPO / "docs" / "images")
    assert {p.name for p in committed.glob("*.png")} >= {s.name for s in shots}


def test_the_summary_page_is_the_markdown_summary() -> None:
    page = screenshots.summary_html([screenshots.REPO / "tests" / "fixtures" / "defects" / "negative_cost"])
    assert "<h2>Filing validation</h2>" in page
    assert (
        "amount_usd is &#x27;-5.25&#x27;; costs are never negative." in page
        or "amount_usd is '-5.25'; costs are never negative." in page
    )
