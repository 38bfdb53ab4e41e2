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


def test_html_tables_name_every_value_for_a_phone(minimal_report):
    """Each body cell carries its column's name (report.css shows it on a phone), and the table keeps its
    roles for screen readers when the phone layout displays it as blocks."""
    html = minimal_report["paths"]["html"].read_text(encoding="utf-8")
    tables = re.findall(r"<table\b.*?</table>", html, re.S)
    assert tables
    for table in tables:
        assert table.startswith('<table role="table"')
        names = re.findall(
            r'<th\b[^>]*role="columnheader"[^>]*>(.*?)</th>', re.search(r"<thead.*?</thead>", table, re.S)[0], re.S
        )
        for row in re.findall(r"<tbody.*?</tbody>", table, re.S)[0].split("</tr>")[:-1]:
            labels = re.findall(r'<t[dh]\b[^>]*data-label="([^"]*)"', row)
            assert labels == [re.sub(r"<[^>]+>", "", n).strip() for n in names][: len(labels)] and labels, row
    body = html[html.index("<body>") :]
    assert body.index('<p class="sample-flag">SAMPLE — synthetic data</p>') < body.index('class="sample-banner"')
    css = html[html.index("<style>") : html.index("</style>")]
    assert "@media screen and (max-width: 40em)" in css and "content: attr(data-label)" in css
