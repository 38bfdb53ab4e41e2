"""Filed text is text: narratives and CSV cells never reach Typst, HTML or Quarto as code."""

from __future__ import annotations

import html as html_lib
import re

import pikepdf
from pypdf import PdfReader

from .filings import HOSTILE_CELL, HOSTILE_LITERALS


def _squash(text: str) -> str:
    return "".join(text.split())


def _pdf_text(report) -> str:
    return _squash(" ".join(page.extract_text() for page in PdfReader(report["paths"]["pdf"]).pages))


def test_injection_attempts_render_literally_in_the_pdf(hostile_report):
    text = _pdf_text(hostile_report)
    for literal in HOSTILE_LITERALS:
        assert _squash(literal) in text, literal
    assert _squash('#read("/etc/passwd")') in text  # the {=typst} block, shown as code
    assert "root:x:0" not in text and "/bin/bash" not in text


def test_csv_cell_with_markdown_syntax_renders_literally(hostile_report):
    assert _squash(HOSTILE_CELL) in _pdf_text(hostile_report)
    page = html_lib.unescape(re.sub(r"<[^>]+>", "", hostile_report["paths"]["html"].read_text(encoding="utf-8")))
    assert HOSTILE_CELL in page
    qmd = hostile_report["paths"]["qmd"].read_text(encoding="utf-8")
    row = next(line for line in qmd.splitlines() if "Phase \\| 2" in line)
    assert row.count(" | ") == 5, "the cell's | must not add table columns"


def test_narrative_cannot_override_report_metadata(hostile_report):
    with pikepdf.open(hostile_report["paths"]["pdf"]) as pdf:
        assert str(pdf.docinfo["/Title"]).startswith("SAMPLE — Biennial Grid Modernization Progress Report")
        assert str(pdf.Root.Lang) == "en-US"
    html = hostile_report["paths"]["html"].read_text(encoding="utf-8")
    assert '<html lang="en-US">' in html and "hijacked</title>" not in html


def test_html_has_no_script_and_no_unsafe_link(hostile_report):
    html = hostile_report["paths"]["html"].read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in re.sub(r"<[^>]*>", "", html) or 'href="javascript' not in html
    assert 'href="javascript' not in html
    assert "tracker.example" not in html
    assert 'href="#nowhere"' not in html
    assert '<a href="https://www.cpuc.ca.gov/" rel="noopener noreferrer">ok</a>' in html


def test_qmd_neutralises_raw_blocks_shortcodes_and_divs_for_quarto(hostile_report):
    qmd = hostile_report["paths"]["qmd"].read_text(encoding="utf-8")
    assert "{=typst}" not in qmd.replace("\\{=typst}", "")
    assert "{{<" not in qmd
    assert not re.search(r"^:::", qmd, flags=re.M)
    assert re.search(r"^engine: markdown$", qmd, flags=re.M)
    assert "[^adms-phase-2-1]" in qmd and "[^introduction-1]" in qmd  # footnotes kept apart


def test_headings_in_quotes_lists_and_deep_levels_keep_pdf_ua_valid(hostile_report):
    # Typst refuses PDF/UA-1 output with skipped heading levels; reaching here means it compiled.
    with pikepdf.open(hostile_report["paths"]["pdf"]) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
    qmd = hostile_report["paths"]["qmd"].read_text(encoding="utf-8")
    assert "\n##### Own subheading\n" in qmd  # the filer's ### sits below the element's ####
