"""The ICA report: PDF/UA-1 in the order of the ICA profile, SAMPLE-marked, byte-identical, user text as text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from gridmod.filing import stamp_resources
from gridmod.render import render_report
from gridmod.validate import validate_filing

from ..conftest import ROOT
from .helpers import copy_valid

HOSTILE = '#read("/etc/passwd") <script>alert(1)</script> *not bold* $x^2$ @cite {{x}} | pipe'


def _render(folder: Path, out: Path) -> dict[str, Path]:
    item = validate_filing(folder, ROOT)
    assert item.result.valid, [f.message for f in item.result.findings if f.is_open]
    assert item.profile is not None
    return render_report(item.filing, item.profile, item.result, out)


@pytest.fixture(scope="module")
def sce(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _render(ROOT / "data/sce/ica-2026-h2", tmp_path_factory.mktemp("report"))


def _text(pdf: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(pdf).pages))


def test_report_has_every_part_in_order(sce: dict[str, Path]) -> None:
    text = _text(sce["pdf"])
    order = [
        "SAMPLE",
        "Biannual Integration Capacity Analysis Report",
        "Southern California Edison Company",
        "1. Changes since the previous report",
        "2. Data quality",
        "3. Hosting capacity",
        "By limiting criterion",
        "By substation",
        "4. Known ICA issues and remediation",
        "5. ICA workshops",
        "Quarterly (D.24-10-030 OP 35)",
        "Biannual, with the January and July reports (proposed",
        "Validation summary",
    ]
    position = 0
    for part in order:
        found = text.find(part, position)
        assert found >= 0, f"'{part}' missing or out of order"
        position = found
    assert "R.21-06-017" in text and "2029-05-06" in text and "Overdue" in text


def test_report_is_tagged_pdf_ua_with_title_and_language(sce: dict[str, Path]) -> None:
    with pikepdf.open(sce["pdf"]) as pdf:
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang).startswith("en")
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title").startswith("SAMPLE — Biannual Integration Capacity Analysis Report: SCE")


def test_every_format_is_written_and_rebuilds_byte_identical(sce: dict[str, Path], tmp_path: Path) -> None:
    assert sorted(sce) == ["docx", "html", "pdf", "qmd"]
    again = _render(ROOT / "data/sce/ica-2026-h2", tmp_path)
    for kind in ("pdf", "docx", "html", "qmd"):
        assert again[kind].read_bytes() == sce[kind].read_bytes(), kind


def test_filer_text_stays_text(tmp_path: Path) -> None:
    folder = copy_valid(tmp_path / "filing")
    issues = folder / "issues.csv"
    quoted = '"' + HOSTILE.replace('"', '""') + '"'
    issues.write_text(issues.read_text().replace("Feeders without a substation mapping", quoted))
    (folder / "narrative/summary.md").write_text('```{=typst}\n#read("/etc/passwd")\n```\n\nPlain words.\n')
    stamp_resources(folder)
    outputs = _render(folder, tmp_path / "out")
    text = _text(outputs["pdf"])
    assert HOSTILE in text
    assert "root:" not in text and "<script>" not in outputs["html"].read_text()
    shutil.rmtree(tmp_path / "out")


@pytest.mark.parametrize("sample", ["data/pge/ica-2026-h2", "data/sce/ica-2026-h2"])  # CSV and Parquet results
def test_reordering_an_enum_in_the_schema_swaps_no_scenario(sample: str, tmp_path: Path) -> None:
    """Coded columns hold an enum value's position; code looks scenarios up by value, so Energy Division
    may reorder the enum in schemas/results.json without the report changing its figures."""
    import json

    from gridmod.render import build_report_model
    from tests.filer.filerfixtures import make_root

    models = {}
    for order in ("as filed", "reversed"):
        root = make_root(tmp_path / order.replace(" ", "-"))
        if order == "reversed":
            path = root / "validation/ica-biannual/1.0/schemas/results.json"
            schema = json.loads(path.read_text(encoding="utf-8"))
            for field in schema["fields"]:
                if field["name"] in ("scenario", "static_criterion"):
                    field["constraints"]["enum"].reverse()
            path.write_text(json.dumps(schema), encoding="utf-8")
        folder = root / sample
        shutil.copytree(ROOT / sample, folder)
        item = validate_filing(folder, root)
        assert item.result.valid and item.profile is not None
        models[order] = build_report_model(item.filing, item.profile, item.result)
    same, other = models["as filed"], models["reversed"]
    assert other.feeders == same.feeders and other.substations == same.substations
    by_key = {(r["scenario"], r["criterion"]): r for r in same.criteria}
    assert {(r["scenario"], r["criterion"]): r for r in other.criteria} == by_key
    assert any(r["uniform_generation_kw"] != r["pv_kw"] for r in same.feeders)  # the scenarios do differ
