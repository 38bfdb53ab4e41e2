"""The whole pipeline on the shipped sample filings: validate, render, publish — and refuse bad input."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from gridmod.build import build

from .conftest import FIXTURES, ROOT, built_copy, repo_copy

UTILITIES = ("pge", "sce", "sdge")
PROFILE = yaml.safe_load((ROOT / "validation/gmr-appendix-a/1.0/profile.yaml").read_text())


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(sample_build: Path) -> Path:
    """The session's build of the samples (read only)."""
    return sample_build


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.mark.parametrize("utility", UTILITIES)
def test_pdf_follows_appendix_a(built: Path, utility: str) -> None:
    pdf = built / "reports" / "gmr-2026" / f"{utility}.pdf"
    text = re.sub(r"\s+", " ", _text(pdf))
    order = ["I. Introduction", "Overview of Grid Mod Plan", "II. Grid Modernization Activities (Past Two Years)"]
    order += [f"{c['id']}. {c['title']}" for c in PROFILE["categories"]]
    order += ["III. Conclusion", "Summary of key findings and progress", "Forward-looking outlook and next steps"]
    position = 0
    for heading in order:
        found = text.find(heading, position)
        assert found >= 0, f"{utility}: '{heading}' missing or out of order"
        position = found
    for element in PROFILE["elements"]:
        assert f"{element['number']}. {element['heading']}" in text, element["heading"]
    assert "SAMPLE" in text and "R.21-06-017" in text
    assert len(PdfReader(pdf).pages) >= 10


@pytest.mark.parametrize("utility", UTILITIES)
def test_pdf_is_tagged_with_title_and_language(built: Path, utility: str) -> None:
    with pikepdf.open(built / "reports" / "gmr-2026" / f"{utility}.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang).startswith("en")
        with pdf.open_metadata() as xmp:
            assert xmp.get("dc:title")
            assert xmp.get("pdfuaid:part") == "1"


def test_every_output_is_there(built: Path) -> None:
    for utility in UTILITIES:
        for suffix in ("qmd", "pdf", "docx", "html"):
            assert (built / "reports" / "gmr-2026" / f"{utility}.{suffix}").stat().st_size > 0
    site = built / "site"
    assert (site / "index.html").is_file()
    for utility in UTILITIES:
        page = (site / "filings" / "gmr-2026" / utility / "index.html").read_text(encoding="utf-8")
        assert "SAMPLE" in page
        assert "Grid Management Systems" in page
    rules = yaml.safe_load((ROOT / "validation/gmr-appendix-a/1.0/rules.yaml").read_text())["rules"]
    for rule in rules:
        assert (site / "rules" / rule["code"].lower() / "index.html").is_file(), rule["code"]
    assert not list((built / ".build").glob("stage-*")), "a staging folder was left behind"


def test_rebuild_elsewhere_is_byte_identical(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another folder, another clock zone, later: the same commit gives the same bytes, site included."""
    other = repo_copy(tmp_path)
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    assert build(other).published
    for name in ("reports", "site"):
        first, second = _digests(built / name), _digests(other / name)
        assert sorted(first) == sorted(second)
        assert [n for n in first if first[n] != second[n]] == []
    filings = list((ROOT / "data").glob("*/*/datapackage.json"))  # Appendix A and ICA filings alike
    cycles = {p.parent.name for p in filings if p.parent.name.startswith("gmr-")}  # a statewide edition each
    pdfs = [n for n in _digests(built / "reports") if n.endswith(".pdf")]
    assert len(pdfs) == len(filings) + len(cycles)
    assert sorted(n for n in pdfs if n.startswith("statewide/")) == sorted(f"statewide/{c}.pdf" for c in cycles)
    for page in (other / "site").rglob("*.html"):
        assert str(other) not in page.read_text(encoding="utf-8")


def test_invalid_filing_leaves_outputs_untouched(built: Path, tmp_path: Path) -> None:
    root = built_copy(built, tmp_path / "repo")
    before = _digests(root / "reports") | {f"site/{k}": v for k, v in _digests(root / "site").items()}
    broken = root / "data" / "pge" / "gmr-2026"
    shutil.rmtree(broken)
    shutil.copytree(FIXTURES / "defects" / "negative_cost", broken)
    result = build(root)
    assert not result.report.valid and not result.published
    after = _digests(root / "reports") | {f"site/{k}": v for k, v in _digests(root / "site").items()}
    assert after == before
