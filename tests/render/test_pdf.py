"""The PDF: Appendix A structure in its text, PDF/UA-1 tagging and metadata, byte-identical rebuilds."""

from __future__ import annotations

import re
from datetime import date

import pikepdf
from pypdf import PdfReader

from gridmod.render import render_report

from .filings import copy_minimal, validated


def _pages(pdf) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(pdf).pages]


def _body(pages: list[str]) -> str:
    """Text after the title page and the contents, where the headings appear in reading order."""
    start = next(i for i, text in enumerate(pages) if text.count("I. Introduction") and "Contents" not in text)
    return " ".join(pages[start:])


def test_writes_all_four_formats_named_by_filing_and_utility(minimal_report):
    paths = minimal_report["paths"]
    assert set(paths) == {"qmd", "pdf", "docx", "html"}
    for fmt, path in paths.items():
        assert path.parent.name == "gmr-2026" and path.name == f"pge.{fmt}"
        assert path.stat().st_size > 0
    assert sorted(p.name for p in paths["pdf"].parent.iterdir()) == ["pge.docx", "pge.html", "pge.pdf", "pge.qmd"]


def test_pdf_text_follows_appendix_a(minimal_report):
    profile = minimal_report["profile"]
    pages = _pages(minimal_report["paths"]["pdf"])
    body = _body(pages)
    order = [
        "I. Introduction",
        "a. Overview of Grid Mod Plan and related background information",
        "II. Grid Modernization Activities (Past Two Years)",
    ]
    order += [f"{c['id']}. {c['title']}" for c in profile.categories]
    order += [
        "Cost summary",
        "III. Conclusion",
        "a. Summary of key findings and progress",
        "b. Forward-looking outlook and next steps",
        "Explanations",
        "Validation summary",
    ]
    position = 0
    for heading in order:
        found = body.find(heading, position)
        assert found >= 0, f"'{heading}' missing or out of order"
        position = found
    for element in profile.elements:
        # Every activity of the fixture (two of them) carries all six numbered elements.
        assert body.count(f"{element['number']}. {element['heading']}") == 2, element["heading"]
    assert "reports no activity in this category" in body  # b, c and e have no activity
    assert "$15,450,000" in body and "$17,550,000" in body  # ADMS total; grand total
    assert 6 <= len(pages) <= 20


def test_title_page_identifies_the_filing(minimal_report):
    first = _pages(minimal_report["paths"]["pdf"])[0]
    for text in (
        "Pacific Gas and Electric Company",
        "gmr-2026",
        "R.21-06-017",
        "October 1, 2026",
        "July 1, 2024 to June 30, 2026",
        "gmr-appendix-a, version 1.0",
        # the profile's governance: Appendix A is the ruling's proposal, not yet adopted
        "Profile status Proposed, not yet adopted: Assigned Commissioner's Ruling of 2026-03-23",
    ):
        assert text in first, text
    digest = re.search(r"sha256:[0-9a-f]{64}", first)
    assert digest, "data package hash missing"
    from gridmod.filing import file_digest

    assert digest.group(0) == file_digest(minimal_report["filing"].folder / "datapackage.json")[1]


def test_pdf_is_tagged_pdf_ua_with_title_language_and_fixed_date(minimal_report):
    with pikepdf.open(minimal_report["paths"]["pdf"]) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.Root.Lang) == "en-US"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        title = str(pdf.docinfo["/Title"])
        assert title == "SAMPLE — Biennial Grid Modernization Progress Report: PG&E, gmr-2026"
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20261001000000")
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title") == title
        assert len(pdf.Root.Outlines.keys()) > 0  # bookmarks from the headings


def test_every_page_of_a_sample_says_sample(minimal_report):
    pages = _pages(minimal_report["paths"]["pdf"])
    missing = [n for n, text in enumerate(pages, start=1) if "SAMPLE — synthetic data" not in text]
    assert not missing, f"pages without the SAMPLE mark: {missing}"


def test_a_real_filing_carries_no_sample_mark(real_report):
    pages = _pages(real_report["paths"]["pdf"])
    assert not any("SAMPLE" in text for text in pages)
    assert pages[0].count("Biennial Grid Modernization Progress Report")
    with pikepdf.open(real_report["paths"]["pdf"]) as pdf:
        assert not str(pdf.docinfo["/Title"]).startswith("SAMPLE")


def test_rendering_again_elsewhere_gives_identical_bytes(minimal_report, tmp_path):
    filing, profile, result = validated(copy_minimal(tmp_path / "again"))
    again = render_report(filing, profile, result, tmp_path / "elsewhere")
    for fmt, first in minimal_report["paths"].items():
        assert again[fmt].read_bytes() == first.read_bytes(), f"{fmt} differs between two renders"


def test_creation_date_is_the_filing_date(minimal_report):
    meta = PdfReader(minimal_report["paths"]["pdf"]).metadata
    assert meta.creation_date.date() == date(2026, 10, 1)


def test_render_time_is_reported(minimal_report, capsys):
    with capsys.disabled():
        print(f"\nrender_report(valid_minimal): {minimal_report['seconds']:.2f} s for qmd, pdf, docx, html")
    assert minimal_report["seconds"] < 30
