"""Failures are RenderError with a plain message, and never leave half-written reports behind."""

from __future__ import annotations

import shutil

import pytest

from gridmod.findings import Finding
from gridmod.render import RenderError, render_report
from gridmod.render import report as report_module

from .filings import ROOT, copy_minimal, validated


@pytest.fixture
def filing(tmp_path):
    return validated(copy_minimal(tmp_path))


def test_invalid_filing_is_refused(filing, tmp_path):
    f, profile, result = filing
    result.findings.append(Finding("GMR-E011", "error", "x.csv", "Column is empty.", "Fill it.", "u"))
    with pytest.raises(RenderError, match="did not pass validation"):
        render_report(f, profile, result, tmp_path / "reports")
    assert not (tmp_path / "reports").exists()


def test_pandoc_failure_is_render_error_and_leaves_nothing(filing, tmp_path, monkeypatch):
    monkeypatch.setattr("gridmod.converter.pandoc_path", lambda: shutil.which("false") or "/bin/false")
    with pytest.raises(RenderError, match="pandoc could not convert the report to typst"):
        render_report(*filing, tmp_path / "reports")
    assert list((tmp_path / "reports" / "gmr-2026").iterdir()) == []


def test_typst_failure_keeps_the_previous_report(filing, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    before = render_report(*filing, out)
    old = {fmt: path.read_bytes() for fmt, path in before.items()}
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "report", templates)
    typ = templates / "typst" / "template.typ"
    typ.write_text(typ.read_text(encoding="utf-8") + "\n#undefined-function()\n", encoding="utf-8")
    monkeypatch.setattr(report_module, "templates_folder", lambda profile: templates)
    with pytest.raises(RenderError, match="Typst could not make the PDF: unknown variable: undefined-function"):
        render_report(*filing, out)
    assert sorted(p.name for p in (out / "gmr-2026").iterdir()) == ["pge.docx", "pge.html", "pge.pdf", "pge.qmd"]
    assert {fmt: path.read_bytes() for fmt, path in before.items()} == old


def test_missing_templates_are_a_plain_error(filing, tmp_path, monkeypatch):
    monkeypatch.setattr(report_module, "templates_folder", lambda profile: tmp_path / "nowhere")
    with pytest.raises(RenderError, match="report templates are missing"):
        render_report(*filing, tmp_path / "reports")


def test_broken_report_template_is_a_plain_error(filing, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "report", templates)
    (templates / "_status.j2").write_text("{{ activity.no_such_field }}\n", encoding="utf-8")
    monkeypatch.setattr(report_module, "templates_folder", lambda profile: templates)
    # The message names the template file and line, as Energy Division's editor shows them.
    with pytest.raises(RenderError, match=r"report template .* is broken \(_status\.j2, line 1\): .*no_such_field"):
        render_report(*filing, tmp_path / "reports")
    assert list((tmp_path / "reports" / "gmr-2026").iterdir()) == []
