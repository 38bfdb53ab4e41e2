"""Render a validated filing into its standardized report: Markdown source, PDF/UA, DOCX and HTML.

model (data the templates need) → qmd (Jinja → Quarto-compatible Markdown) → pdf (pandoc → Typst)
and office (pandoc → DOCX, HTML); report.render_report runs them and writes the files atomically.
"""

from pathlib import Path
from typing import Any

from gridmod.filing import Filing
from gridmod.findings import PackageResult
from gridmod.outputs import BuiltFiling
from gridmod.render.errors import RenderError
from gridmod.render.report import render_report as render_appendix_a
from gridmod.spec import Profile

__all__ = ["RenderError", "build_report_model", "render_filing", "render_report"]


def render_report(filing: Filing, profile: Profile, result: PackageResult, out_dir: Path) -> dict[str, Path]:
    """The filing's report in every format, by its profile's engine: ICA filings have a report of their own."""
    return render_filing(filing, profile, result, out_dir).outputs


def render_filing(filing: Filing, profile: Profile, result: PackageResult, out_dir: Path) -> BuiltFiling:
    """Render the filing's report and keep the report model it was made from, which the site shows too."""
    model = build_report_model(filing, profile, result) if result.valid else None
    if profile.engine == "ica":
        from gridmod.ica.report import render_ica_report

        outputs = render_ica_report(filing, profile, result, out_dir, model)
    else:
        outputs = render_appendix_a(filing, profile, result, out_dir, model)
    return BuiltFiling(filing, profile, result, outputs, model=model)


def build_report_model(filing: Filing, profile: Profile, result: PackageResult) -> Any:
    """The report model of a validated filing, by its profile's engine (gridmod.ica.model.IcaReportModel
    for ICA filings, gridmod.render.model.ReportModel otherwise)."""
    if profile.engine == "ica":
        from gridmod.ica.model import build_ica_model

        return build_ica_model(filing, profile, result)
    from gridmod.render.model import build_model

    return build_model(filing, profile, result)
