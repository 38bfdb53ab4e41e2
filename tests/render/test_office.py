"""DOCX and HTML: self-contained, titled, in English, and saying SAMPLE at the top."""

from __future__ import annotations

import re
import zipfile


def test_html_is_standalone_without_scripts_or_external_resources(minimal_report):
    html = minimal_report["paths"]["html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-US">' in html
    assert "<title>SAMPLE — Biennial Grid Modernization Progress Report: PG&amp;E, gmr-2026</title>" in html
    assert "<style>" in html
    assert "<script" not in html.lower()
    assert not re.search(r"<link\b|\bsrc=|@import|url\(", html), "external resource"
    assert not re.search(r'href="(?!#|https?://|mailto:)', html)


def test_html_says_sample_before_anything_else(minimal_report):
    html = minimal_report["paths"]["html"].read_text(encoding="utf-8")
    body = html[html.index("<body>") :]
    assert body.index("SAMPLE — synthetic data") < body.index("<header")


def test_html_follows_appendix_a(minimal_report):
    html = minimal_report["paths"]["html"].read_text(encoding="utf-8")
    for heading in (
        "I. Introduction",
        "II. Grid Modernization Activities (Past Two Years)",
        "III. Conclusion",
        "e. Other relevant technologies and topics",
        "6. Costs incurred and anticipated",
    ):
        assert re.search(r"<h[1-6][^>]*>" + re.escape(heading) + "</h", html), heading
    assert "$4,200,000" in html


def test_real_filing_html_has_no_sample_banner(real_report):
    html = real_report["paths"]["html"].read_text(encoding="utf-8")
    assert "sample-banner" not in html.split("<style>")[0] + html.split("</style>")[1]
    assert "<title>Biennial Grid Modernization Progress Report: PG&amp;E, gmr-2026</title>" in html


def test_docx_has_title_sample_notice_first_and_appendix_headings(minimal_report):
    with zipfile.ZipFile(minimal_report["paths"]["docx"]) as docx:
        document = docx.read("word/document.xml").decode("utf-8")
        core = docx.read("docProps/core.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", document)
    assert "SAMPLE — Biennial Grid Modernization Progress Report" in core
    assert text.index("SAMPLE — synthetic data.") < text.index("I. Introduction")
    for heading in ("I. Introduction", "a. Grid Management Systems", "4. Challenges encountered", "III. Conclusion"):
        assert heading in text, heading
