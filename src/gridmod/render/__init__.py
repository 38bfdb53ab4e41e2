"""Render a validated filing into its standardized report: Markdown source, PDF/UA, DOCX and HTML.

model (data the templates need) → qmd (Jinja → Quarto-compatible Markdown) → pdf (pandoc → Typst)
and office (pandoc → DOCX, HTML); report.render_report runs them and writes the files atomically.
"""

from pathlib import Path

from gridmod.filing import Filing
from gridmod.findings import PackageResult
from gridmod.render.errors import RenderError
from gridmod.render.report import render_report as render_appendix_a
from gridmod.spec import Profile

__all__ = ["RenderError", "render_report"]


def render_report(filing: Filing, profile: Profile, result: PackageResult, out_dir: Path) -> dict[str, Path]:
    """The filing's report in every format, by its profile's engine: ICA filings have a report of their own."""
    if profile.meta.get("engine") == "ica":
        from gridmod.ica.report import render_ica_report

        return render_ica_report(filing, profile, result, out_dir)
    return render_appendix_a(filing, profile, result, out_dir)
