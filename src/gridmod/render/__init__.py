"""Render a validated filing into its standardized report: Markdown source, PDF/UA, DOCX and HTML.

model (data the templates need) → qmd (Jinja → Quarto-compatible Markdown) → pdf (pandoc → Typst)
and office (pandoc → DOCX, HTML); report.render_report runs them and writes the files atomically.
"""

from gridmod.render.errors import RenderError
from gridmod.render.report import render_report

__all__ = ["RenderError", "render_report"]
