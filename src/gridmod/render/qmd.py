"""Render the report model into the Quarto-compatible Markdown source (templates/report/*.j2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2

from gridmod.render import formats
from gridmod.render.errors import RenderError
from gridmod.render.markdown import escape_markdown
from gridmod.render.model import ReportModel

TEMPLATE = "report.qmd.j2"


def _yaml_string(value: Any) -> str:
    """A YAML scalar that cannot break out of its line: JSON strings are valid YAML."""
    return json.dumps(str(value), ensure_ascii=False)


def _slip(days: int | None) -> str:
    if days is None:
        return formats.DASH
    return f"+{days}" if days > 0 else ("0" if days == 0 else f"\N{MINUS SIGN}{-days}")


def make_environment(templates: Path) -> jinja2.Environment:
    """Jinja settings for Markdown output: nothing is HTML-escaped, user text is escaped by `md`.

    StrictUndefined turns a misspelt variable into an error instead of a silently empty section.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown writes heading attributes as {#id}; Jinja comments are {## ... ##} instead.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters.update(
        md=escape_markdown,
        yaml=_yaml_string,
        money=formats.format_money,
        number=formats.format_number,
        isodate=formats.format_date,
        longdate=formats.format_long_date,
        slip=_slip,
    )
    env.globals.update(
        status_label=lambda v: formats.label(v, formats.STATUS_LABELS),
        basis_label=lambda v: formats.label(v, formats.BASIS_LABELS),
        DASH=formats.DASH,
    )
    return env


def render_qmd(model: ReportModel, templates: Path) -> str:
    """The report's Markdown source, with YAML front matter, as one string."""
    try:
        return make_environment(templates).get_template(TEMPLATE).render(m=model)
    except jinja2.TemplateError as exc:
        where = f" ({exc.name}, line {exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise RenderError(f"The report template in {templates} is broken{where}: {exc.message}") from exc
