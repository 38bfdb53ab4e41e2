"""Golden file: the .qmd of tests/fixtures/valid_minimal, byte for byte.

The report source is what reviewers diff and what Quarto would read; any change to the templates or
the model shows up here as a readable diff. After an intended change, regenerate the golden file:

    GRIDMOD_UPDATE_GOLDEN=1 python -m pytest tests/render/test_golden.py

and review the diff of tests/render/golden/valid_minimal.qmd before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from gridmod.findings import PackageResult
from gridmod.render.model import build_model
from gridmod.render.qmd import render_qmd
from gridmod.render.report import templates_folder
from gridmod.spec import load_profile
from gridmod.validate import validate_filing

from .filings import MINIMAL, ROOT

GOLDEN = Path(__file__).parent / "golden" / "valid_minimal.qmd"


def _result(profile) -> PackageResult:
    """A fixed validation result (not the validator's), so the golden file changes only with the renderer."""
    path = "tests/fixtures/valid_minimal"
    overrun = profile.rule("GMR-X062").finding(
        f"{path}/costs.csv",
        line=3,
        column=5,
        field="amount_usd",
        value=16.7,
        key="adms-phase-2/2025/capital",
        cost_type="capital",
        activity_id="adms-phase-2",
        year=2025,
        recorded="$5,600,000",
        authorized="$4,800,000",
        threshold=10,
    )
    overrun.explanation = (
        "Switching-order management was deployed in one release instead of two, which moved work from 2026 into 2025."
    )
    late = profile.rule("GMR-W046").finding(
        f"{path}/milestones.csv",
        line=4,
        column=6,
        field="forecast_date",
        value="2026-09-30",
        key="adms-phase-2/m3",
        status="on_track",
        filing_date="2026-10-01",
    )
    return PackageResult(
        path=path,
        profile=profile.name,
        version=profile.version,
        findings=[overrun, late],
        notes=["Expectations phase skipped (quick mode)."],
    )


def render_golden() -> str:
    profile = load_profile(ROOT, "gmr-appendix-a", "1.0")
    filing = validate_filing(MINIMAL, ROOT, ("structure",)).filing  # the header as the structure phase reads it
    return render_qmd(build_model(filing, profile, _result(profile)), templates_folder(profile), profile)


def test_qmd_of_valid_minimal_matches_golden_file():
    text = render_golden()
    if os.environ.get("GRIDMOD_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8", newline="\n")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert text == expected, "report source changed; see the module docstring to review and regenerate"
