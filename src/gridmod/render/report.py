"""render_report: one validated filing → reports/<filing_id>/<utility>.{qmd,pdf,docx,html}, for any profile.

The profile's engine gives the report model and the template folders (gridmod.engines): its own folder below
templates/report/ first, then templates/report/ itself for the shared parts (front matter, SAMPLE notice,
validation summary, the Typst page, the HTML page and the Lua filter that keeps the filer's Markdown from
acting as code). Everything is written into a staging folder next to the final files and moved into place
only when every format asked for exists, so a failure leaves the previous report (or nothing), never half of
a new one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from calendar import timegm
from pathlib import Path
from typing import Any

from gridmod.engines import engine_of
from gridmod.filing import Filing
from gridmod.findings import PackageResult
from gridmod.render.errors import RenderError
from gridmod.render.office import render_docx, render_html
from gridmod.render.pandoc import split_front_matter
from gridmod.render.pdf import render_pdf
from gridmod.render.qmd import TEMPLATE, render_qmd
from gridmod.spec import Profile

FORMATS = ("qmd", "pdf", "docx", "html")


def templates_folder(profile: Profile) -> Path:
    """templates/report/ of the repository the profile was loaded from (validation/<name>/<version>)."""
    return profile.folder.parents[2] / "templates" / "report"


def template_folders(profile: Profile) -> list[Path]:
    """The folders the profile's report templates are looked up in, first match wins (its engine's `report`)."""
    base = templates_folder(profile)
    return [base / sub if sub else base for sub in engine_of(profile).report]


def render_report(
    filing: Filing,
    profile: Profile,
    result: PackageResult,
    out_dir: Path,
    model: Any = None,
    formats: tuple[str, ...] = FORMATS,
) -> dict[str, Path]:
    """Write the filing's report in `formats` (the .qmd source always) and return their paths by format.

    Only for filings that passed validation; raises RenderError when pandoc or Typst fail. `model` is the
    filing's report model when the caller has built it already (gridmod.render.render_filing).
    """
    if not result.valid:
        raise RenderError(f"{filing.rel} did not pass validation; only valid filings are rendered.")
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise RenderError(f"gridmod renders reports as {', '.join(FORMATS)}, not {', '.join(unknown)}.")
    folders = template_folders(profile)
    if not (folders[0] / TEMPLATE).is_file():
        raise RenderError(f"The report templates are missing: {folders[0]} has no {TEMPLATE}.")
    base = templates_folder(profile)
    model = model or engine_of(profile).part("model")(filing, profile, result)
    timestamp = timegm(model.filing_date.timetuple())
    target = out_dir / model.filing_id
    target.mkdir(parents=True, exist_ok=True)
    wanted = [fmt for fmt in FORMATS if fmt == "qmd" or fmt in formats]
    final = {fmt: target / f"{model.utility}.{fmt}" for fmt in wanted}
    qmd = render_qmd(model, folders, profile)
    write_document(qmd, final, base, timestamp, profile.folder.parents[2])
    return final


def write_document(qmd: str, final: dict[str, Path], templates: Path, timestamp: int, root: Path) -> None:
    """Write the report source `qmd` as each format of `final` (format -> path; "qmd" the source itself),
    with the templates of `templates` (templates/report/). Everything is made in a staging folder beside the
    first path and moved into place only when every format exists; RenderError when pandoc or Typst fail."""
    target = final["qmd"].parent
    staging = Path(tempfile.mkdtemp(prefix=f".{final['qmd'].stem}.", suffix=".partial", dir=target))
    try:
        staged = {fmt: staging / path.name for fmt, path in final.items()}
        staged["qmd"].write_text(qmd, encoding="utf-8", newline="\n")
        front_matter, body = split_front_matter(qmd)
        with tempfile.TemporaryDirectory(prefix="gridmod-pandoc-") as scratch:
            body_path, metadata_path = Path(scratch) / "body.md", Path(scratch) / "metadata.yaml"
            body_path.write_text(body, encoding="utf-8", newline="\n")
            metadata_path.write_text(front_matter, encoding="utf-8", newline="\n")
            if "pdf" in staged:
                render_pdf(body_path, metadata_path, templates, staged["pdf"], timestamp, root)
            if "docx" in staged:
                render_docx(body_path, metadata_path, templates, staged["docx"], timestamp)
            if "html" in staged:
                render_html(body_path, metadata_path, templates, staged["html"], timestamp)
        for fmt in final:
            os.replace(staged[fmt], final[fmt])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
