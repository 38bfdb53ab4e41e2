"""Pandoc runs with a time and a heap limit everywhere (gridmod.converter). Text that its Markdown reader
cannot read within them is a located finding (E062) at the line where the slow part starts, found in
seconds; a renderer that hits a limit says which, in words, and writes nothing."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from gridmod import converter
from gridmod.render import render_report
from gridmod.render.errors import RenderError
from gridmod.site.report import ReportError, report_html

from ..conftest import repo_copy
from ..render.filings import copy_minimal, validated

FILING = "data/pge/gmr-2026"
NARRATIVE = f"{FILING}/narrative/summary.md"


def _validate(root: Path) -> tuple[str, float]:
    subprocess.run(["gridmod", "stamp", FILING], cwd=root, check=True, capture_output=True)
    started = time.monotonic()
    done = subprocess.run(["gridmod", "validate", FILING, "--quick"], cwd=root, capture_output=True, text=True)
    seconds = time.monotonic() - started
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout, seconds


@pytest.mark.parametrize("run", ["[" * 20_000, "[a](" * 8_000, "&" * 20_000])
def test_a_run_pandoc_cannot_read_in_time_is_found_at_its_paragraph(run: str, tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    path = root / NARRATIVE
    lines = path.read_text(encoding="utf-8").split("\n")
    middle = len(lines) // 2
    while lines[middle].strip():
        middle += 1
    lines[middle:middle] = ["", "The plan is on schedule.", run, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    out, seconds = _validate(root)
    assert (
        f"{NARRATIVE}:{middle + 2}:1: error GMR-E062: The narrative from this line cannot be read by pandoc "
        "within 3 seconds of processor time."
    ) in out, out
    assert out.count("error GMR-E062") == 1
    print(f"{run[:4]}…: located in {seconds:.1f} s")


def test_the_reader_stops_at_its_heap_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(converter, "HEAP", "20m")
    monkeypatch.setattr(converter, "RUNTIME", ["+RTS", "-H16m", "-M20m", "-RTS"])
    prose = ("A sentence of ordinary prose about the grid. " * 40 + "\n\n") * 2000
    assert converter.reads([prose]) == "20 MB of memory"
    assert converter.reads(["Ordinary prose."]) is None


def test_ordinary_narratives_read_in_one_run_far_inside_the_limit(tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / FILING / "narrative").glob("*.md"))]
    started = time.monotonic()
    assert converter.reads(texts) is None
    assert time.monotonic() - started < converter.READ_SECONDS / 2


def test_a_report_that_hits_the_time_limit_is_a_plain_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    filing, profile, result = validated(copy_minimal(tmp_path))
    monkeypatch.setattr("gridmod.render.pandoc.REPORT_SECONDS", 0.001)
    with pytest.raises(RenderError) as raised:
        render_report(filing, profile, result, tmp_path / "out", formats=("docx",))
    assert str(raised.value) == "pandoc did not finish converting the report to docx within 0.004 seconds."
    assert list((tmp_path / "out" / "gmr-2026").iterdir()) == []


def test_the_site_report_has_the_same_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    qmd = tmp_path / "pge.qmd"
    qmd.write_text("---\ntitle: x\n---\n\nText.\n", encoding="utf-8")
    monkeypatch.setattr("gridmod.site.report.REPORT_SECONDS", 0.001)
    with pytest.raises(
        ReportError,
        match=r"^pandoc cannot convert pge.qmd: pandoc did not finish within 0.004 "
        r"seconds$",
    ):
        report_html(qmd)
