"""render_report: one validated filing → reports/<filing_id>/<utility>.{qmd,pdf,docx,html}.

Everything is written into a staging folder next to the final files and moved into place only when
all four formats exist, so a failure leaves the previous report (or nothing), never half of a new one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from calendar import timegm
from pathlib import Path

from gridmod.filing import Filing
from gridmod.findings import PackageResult
from gridmod.render.errors import RenderError
from gridmod.render.model import ReportModel, build_model
from gridmod.render.office import render_docx, render_html
from gridmod.render.pandoc import split_front_matter
from gridmod.render.pdf import render_pdf
from gridmod.render.qmd import render_qmd
from gridmod.spec import Profile

FORMATS = ("qmd", "pdf", "docx", "html")


def templates_folder(profile: Profile) -> Path:
    """templates/report/ of the repository the profile was loaded from (validation/<name>/<version>)."""
    return profile.folder.parents[2] / "templates" / "report"


def render_report(filing: Filing, profile: Profile, result: PackageResult, out_dir: Path,
                  model: ReportModel | None = None) -> dict[str, Path]:
    """Write the filing's report in all four formats and return their paths by format.

    Only for filings that passed validation; raises RenderError when pandoc or Typst fail. `model` is the
    filing's report model when the caller has built it already (gridmod.render.render_filing).
    """
    if not result.valid:
        raise RenderError(f"{filing.rel} did not pass validation; only valid filings are rendered.")
    templates = templates_folder(profile)
    if not (templates / "report.qmd.j2").is_file():
        raise RenderError(f"The report templates are missing: {templates} has no report.qmd.j2.")
    model = model or build_model(filing, profile, result)
    timestamp = timegm(model.filing_date.timetuple())
    target = out_dir / model.filing_id
    target.mkdir(parents=True, exist_ok=True)
    final = {fmt: target / f"{model.utility}.{fmt}" for fmt in FORMATS}
    staging = Path(tempfile.mkdtemp(prefix=f".{model.utility}.", suffix=".partial", dir=target))
    try:
        qmd = render_qmd(model, templates)
        staged = {fmt: staging / path.name for fmt, path in final.items()}
        staged["qmd"].write_text(qmd, encoding="utf-8", newline="\n")
        front_matter, body = split_front_matter(qmd)
        with tempfile.TemporaryDirectory(prefix="gridmod-pandoc-") as scratch:
            body_path, metadata_path = Path(scratch) / "body.md", Path(scratch) / "metadata.yaml"
            body_path.write_text(body, encoding="utf-8", newline="\n")
            metadata_path.write_text(front_matter, encoding="utf-8", newline="\n")
            render_pdf(body_path, metadata_path, templates, staged["pdf"], timestamp)
            render_docx(body_path, metadata_path, templates, staged["docx"], timestamp)
            render_html(body_path, metadata_path, templates, staged["html"], timestamp)
        for fmt in FORMATS:
            os.replace(staged[fmt], final[fmt])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final
