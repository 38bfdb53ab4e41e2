"""Render the statewide edition with the utility reports' own pipeline (gridmod.render.report): the Jinja
source from templates/report/statewide/ (shared parts from templates/report/), then pandoc and Typst."""

from __future__ import annotations

from calendar import timegm
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from gridmod.errors import template_location
from gridmod.outputs import BuiltFiling
from gridmod.render.errors import RenderError
from gridmod.render.qmd import TEMPLATE, make_environment
from gridmod.render.report import FORMATS, write_document
from gridmod.statewide.model import StatewideModel, build_model, cycles

FOLDER = "statewide"  # below reports/, and below templates/report/


def render_statewide(model: StatewideModel, root: Path, out_dir: Path) -> dict[str, Path]:
    """Write reports/statewide/<cycle>.{qmd,pdf,docx,html} into `out_dir` (the reports folder); their paths
    by format. The PDF's dates are the edition's day, so one set of filings always gives the same bytes."""
    base = root / "templates" / "report"
    folders = [base / FOLDER, base]
    if not (folders[0] / TEMPLATE).is_file():
        raise RenderError(f"The statewide templates are missing: {folders[0]} has no {TEMPLATE}.")
    try:
        qmd = make_environment(folders).get_template(TEMPLATE).render(m=model)
    except jinja2.TemplateError as exc:
        raise RenderError(
            f"The statewide template in {folders[0]} is broken{template_location(exc)}: {exc.message}"
        ) from exc
    target = out_dir / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    final = {fmt: target / f"{model.cycle}.{fmt}" for fmt in FORMATS}
    write_document(qmd, final, base, timegm(model.as_of.timetuple()), root)
    return final


@dataclass
class StatewideEdition:
    """One cycle's edition: its model, its files in the reports folder, and (made by gridmod.site.prepare)
    the sanitised HTML fragment its site page shows."""

    model: StatewideModel
    outputs: dict[str, Path]
    report: Any = None  # gridmod.site.edition.ReportHtml


def render_editions(root: Path, built: list[BuiltFiling], reports_dir: Path) -> list[StatewideEdition]:
    """The statewide edition of every cycle of the statewide profile among the valid filings `built`."""
    editions = []
    for cycle in cycles(root, built):
        model = build_model(root, cycle, built)
        editions.append(StatewideEdition(model, render_statewide(model, root, reports_dir)))
    return editions
