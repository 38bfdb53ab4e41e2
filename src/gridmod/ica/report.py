"""The ICA biannual report of one validated filing: reports/<filing_id>/<utility>.{qmd,pdf,docx,html}.

The same pipeline and guarantees as the Appendix A report (gridmod.render): Jinja writes Quarto-compatible
Markdown in which every value the filer typed is escaped; pandoc and Typst make a tagged PDF/UA-1 with a
fixed timestamp, so one commit builds byte-identical files; DOCX and HTML come from the same source; files
are staged and moved into place only when all four exist. The templates are templates/report/ica/, which
fall back to templates/report/ for the shared parts (front matter, SAMPLE notice, validation summary, the
HTML page and the Lua filter that keeps the filer's Markdown from acting as code).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from calendar import timegm
from pathlib import Path

import jinja2

from gridmod.filing import Filing
from gridmod.findings import PackageResult
from gridmod.ica.model import IcaReportModel, build_ica_model
from gridmod.ica.spec import label
from gridmod.render import formats
from gridmod.render.errors import RenderError
from gridmod.render.office import render_docx, render_html
from gridmod.render.pandoc import run_pandoc, split_front_matter
from gridmod.render.qmd import make_environment
from gridmod.spec import Profile

FORMATS = ("qmd", "pdf", "docx", "html")
TEMPLATE = "report.qmd.j2"


def folders(profile: Profile) -> tuple[Path, Path]:
    """(templates/report/ica, templates/report) of the repository the profile was loaded from."""
    base = profile.folder.parents[2] / "templates" / "report"
    return base / "ica", base


def _kw(value: float | None) -> str:
    return formats.DASH if value is None else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return formats.DASH if value is None else f"{value:.1f} %"


def render_qmd(model: IcaReportModel, profile: Profile) -> str:
    own, base = folders(profile)
    env = make_environment(own)
    env.loader = jinja2.FileSystemLoader([str(own), str(base)])
    env.filters.update(kw=_kw, pct=_pct)
    env.globals.update(label=label)
    try:
        return env.get_template(TEMPLATE).render(m=model)
    except jinja2.TemplateError as exc:
        where = f" ({exc.name}, line {exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise RenderError(f"The ICA report template in {own} is broken{where}: {exc.message}") from exc


def render_ica_report(filing: Filing, profile: Profile, result: PackageResult, out_dir: Path,
                      model: IcaReportModel | None = None) -> dict[str, Path]:
    """Write the filing's ICA report in all four formats and return their paths by format; `model` is the
    filing's report model when the caller has built it already."""
    if not result.valid:
        raise RenderError(f"{filing.rel} did not pass validation; only valid filings are rendered.")
    own, base = folders(profile)
    if not (own / TEMPLATE).is_file():
        raise RenderError(f"The ICA report templates are missing: {own} has no {TEMPLATE}.")
    model = model or build_ica_model(filing, profile, result)
    timestamp = timegm(model.filing_date.timetuple())
    target = out_dir / model.filing_id
    target.mkdir(parents=True, exist_ok=True)
    final = {fmt: target / f"{model.utility}.{fmt}" for fmt in FORMATS}
    staging = Path(tempfile.mkdtemp(prefix=f".{model.utility}.", suffix=".partial", dir=target))
    try:
        qmd = render_qmd(model, profile)
        staged = {fmt: staging / path.name for fmt, path in final.items()}
        staged["qmd"].write_text(qmd, encoding="utf-8", newline="\n")
        front_matter, body = split_front_matter(qmd)
        with tempfile.TemporaryDirectory(prefix="gridmod-pandoc-") as scratch:
            body_path, metadata_path = Path(scratch) / "body.md", Path(scratch) / "metadata.yaml"
            body_path.write_text(body, encoding="utf-8", newline="\n")
            metadata_path.write_text(front_matter, encoding="utf-8", newline="\n")
            render_pdf(body_path, metadata_path, own / "typst" / "template.typ", base / "filters" / "safe.lua",
                       staged["pdf"], timestamp)
            render_docx(body_path, metadata_path, base, staged["docx"], timestamp)
            render_html(body_path, metadata_path, base, staged["html"], timestamp)
        for fmt in FORMATS:
            os.replace(staged[fmt], final[fmt])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def render_pdf(body: Path, metadata: Path, template: Path, lua_filter: Path, output: Path, timestamp: int) -> None:
    """As gridmod.render.pdf.render_pdf, with the ICA report's own Typst template."""
    try:
        import typst
    except ImportError as exc:
        raise RenderError("Typst is not available: install the typst package (pip install typst).") from exc
    with tempfile.TemporaryDirectory(prefix="gridmod-typst-") as scratch:
        source = Path(scratch) / "report.typ"
        run_pandoc(body, metadata, source, "typst", ["--template", str(template), "--lua-filter", str(lua_filter)],
                   timestamp)
        try:
            typst.compile(str(source), output=str(output), root=scratch, format="pdf", pdf_standards=["ua-1"],
                          timestamp=timestamp, ignore_system_fonts=True)
        except typst.TypstError as exc:
            hints = "; ".join(getattr(exc, "hints", None) or [])
            detail = f"{exc.message} ({hints})" if hints else str(exc.message)
            raise RenderError(f"Typst could not make the ICA report's PDF: {detail}") from exc
