"""Render a report model into the Quarto-compatible Markdown source (templates/report/**/*.j2)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from gridmod.errors import template_location
from gridmod.render import formats
from gridmod.render.errors import RenderError
from gridmod.render.header import ReportHeader
from gridmod.render.markdown import escape_markdown
from gridmod.spec import Profile

TEMPLATE = "report.qmd.j2"


def _yaml_string(value: Any) -> str:
    """A YAML scalar that cannot break out of its line: JSON strings are valid YAML."""
    return json.dumps(str(value), ensure_ascii=False)


def _slip(days: int | None) -> str:
    if days is None:
        return formats.DASH
    return f"+{days}" if days > 0 else ("0" if days == 0 else f"\N{MINUS SIGN}{-days}")


def _kw(value: float | None) -> str:
    return formats.DASH if value is None else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return formats.DASH if value is None else f"{value:.1f} %"


def make_environment(templates: Path | Sequence[Path], profile: Profile | None = None) -> jinja2.Environment:
    """Jinja settings for Markdown output: nothing is HTML-escaped, user text is escaped by `md`.

    Templates are looked up in `templates`, the first folder that has one wins. StrictUndefined turns a
    misspelt variable into an error instead of a silently empty section. `label` says a coded value in
    words, as the profile's `labels:` do.
    """
    folders = [templates] if isinstance(templates, Path) else list(templates)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
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
        kw=_kw,
        pct=_pct,
    )
    env.globals.update(DASH=formats.DASH)
    if profile is not None:
        env.globals["label"] = profile.label
    return env


def render_qmd(model: ReportHeader, templates: Path | Sequence[Path], profile: Profile | None = None) -> str:
    """The report's Markdown source, with YAML front matter, as one string."""
    folders = [templates] if isinstance(templates, Path) else list(templates)
    try:
        return make_environment(folders, profile).get_template(TEMPLATE).render(m=model)
    except jinja2.TemplateError as exc:
        raise RenderError(
            f"The report template in {folders[0]} is broken{template_location(exc)}: {exc.message}"
        ) from exc
