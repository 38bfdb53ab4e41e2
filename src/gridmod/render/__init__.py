"""Render a validated filing into its standardized report: Markdown source, PDF/UA, DOCX and HTML.

model (the engine's: data the templates need) → qmd (Jinja → Quarto-compatible Markdown) → pdf (pandoc →
Typst) and office (pandoc → DOCX, HTML); report.render_report runs them and writes the files atomically.
"""

from pathlib import Path
from typing import Any

from gridmod.engines import engine_of
from gridmod.filing import Filing
from gridmod.findings import PackageResult
from gridmod.outputs import BuiltFiling
from gridmod.render.errors import RenderError
from gridmod.render.report import FORMATS, render_report
from gridmod.spec import Profile

__all__ = ["FORMATS", "RenderError", "build_report_model", "render_filing", "render_report"]


def render_filing(
    filing: Filing, profile: Profile, result: PackageResult, out_dir: Path, formats: tuple[str, ...] = FORMATS
) -> BuiltFiling:
    """Render the filing's report in `formats` and keep the report model it was made from, which the site
    shows too."""
    model = build_report_model(filing, profile, result) if result.valid else None
    outputs = render_report(filing, profile, result, out_dir, model, formats)
    return BuiltFiling(filing, profile, result, outputs, model=model)


def build_report_model(filing: Filing, profile: Profile, result: PackageResult) -> Any:
    """The report model of a validated filing, by its profile's engine (gridmod.engines)."""
    return engine_of(profile).part("model")(filing, profile, result)
