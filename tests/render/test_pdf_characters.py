"""The list of characters the PDF can print (validation/_shared/pdf-characters.txt, rule E056) is Typst's
own answer for the pinned Typst and the fallback fonts: a sample of code points is asked again, section by
section, and text in Chinese, Japanese, Korean and emoji renders in a real report while text no font
prints is a located error. A machine without a fallback font gets a setup message naming the package."""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pytest
import typst
from pypdf import PdfReader

from gridmod.fonts import EMBEDDED, FALLBACKS, PRINTABLE, character_sets, font_files, needed, printable
from gridmod.render import render_report
from gridmod.render.errors import RenderError

from ..conftest import ROOT, repo_copy
from ..system import report_fonts
from .filings import copy_minimal, edit, validated
from .pdf_characters import PLANES, SURROGATES, Probe, digest

CJK, EMOJI = FALLBACKS


@pytest.fixture(scope="module", autouse=True)
def _fonts() -> None:
    report_fonts()


def test_the_list_is_for_the_installed_typst_and_fonts() -> None:
    header = [
        line.split()
        for line in (ROOT / PRINTABLE).read_text(encoding="utf-8").splitlines()
        if line.startswith(("typst ", "font "))
    ]
    assert header[0] == ["typst", typst.__version__], "run python -m tests.render.pdf_characters after a Typst update"
    fonts = [
        [word, fallback.package, path.name, digest(path)]
        for fallback in FALLBACKS
        for path in font_files(fallback) or ()
        for word in ["font"]
    ]
    assert header[1:] == fonts, "run python -m tests.render.pdf_characters after a font update"
    assert list(character_sets(ROOT)) == [EMBEDDED, *(f.family for f in FALLBACKS)]


def test_typst_agrees_with_each_section_on_a_sample(tmp_path: Path) -> None:
    sets = character_sets(ROOT)
    chosen = random.Random(56).sample([c for c in PLANES if c not in SURROGATES], 1000)
    chosen += [0x41, 0xE9, 0x20AC, 0x2014, 0x6771, 0xAC00, 0x3042, 0x1F680, 0x1F600, 0xFFFE, 0xE000, 0x0]
    disagree = []
    for count in range(len(FALLBACKS) + 1):
        folder = tmp_path / str(count)
        folder.mkdir()
        probe = Probe(folder, FALLBACKS[:count])
        allowed = set().union(*(sets[name] for name in [EMBEDDED, *(f.family for f in FALLBACKS[:count])]))
        disagree += [f"U+{c:04X} with {count} fallbacks" for c in chosen if probe.printable(c) != (chr(c) in allowed)]
    assert disagree == []
    assert "é" in sets[EMBEDDED] and "東" in sets[CJK.family] and "한" in sets[CJK.family]
    assert "🚀" in sets[EMOJI.family] and "\ufffe" not in printable(ROOT) and "\U0010fffd" not in printable(ROOT)


def test_needed_names_the_fallback_of_each_script() -> None:
    assert needed(ROOT, ["Plain text", "Ünïcödé – “quotes”"]) == {}
    assert needed(ROOT, ["社区太阳能 program", "charging 🚗 and 电动车"]) == {CJK: "社", EMOJI: "🚗"}


def test_cjk_and_emoji_render_and_text_no_font_prints_is_a_located_error(tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    summary = root / "data/pge/gmr-2026/narrative/summary.md"
    text = summary.read_text(encoding="utf-8")
    allowed = "Ünïcödé: Ω ж € – ½ ≥ → ✓ ① 社区太阳能 (community solar), 東京, 한국어, にほんご, 🚀 👍🏽"
    assert all(c in printable(ROOT) for c in allowed)
    summary.write_text(text + f"\n{allowed}\n", encoding="utf-8")
    subprocess.run(["gridmod", "stamp", "data/pge/gmr-2026"], cwd=root, check=True, capture_output=True)
    out = tmp_path / "out"
    done = subprocess.run(
        ["gridmod", "render", "data/pge/gmr-2026", "--output", str(out)], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    printed = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(out / "gmr-2026/pge.pdf").pages))
    assert "社区太阳能 (community solar), 東京, 한국어, にほんご" in printed
    lines = (text + "\nPlanned with \ufffe partners \U0010fffd.\n").split("\n")
    summary.write_text("\n".join(lines), encoding="utf-8")
    subprocess.run(["gridmod", "stamp", "data/pge/gmr-2026"], cwd=root, check=True, capture_output=True)
    checked = subprocess.run(
        ["gridmod", "validate", "data/pge/gmr-2026", "--quick"], cwd=root, capture_output=True, text=True
    )
    assert checked.returncode == 1
    number = len(lines) - 1
    assert (
        f"data/pge/gmr-2026/narrative/summary.md:{number}:14: error GMR-E056: text has U+FFFE, U+10FFFD, "
        "which the fonts of the PDF report cannot print."
    ) in checked.stdout


def test_a_machine_without_a_fallback_font_is_told_which_package_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_minimal(tmp_path)
    edit(folder, "narrative/summary.md", lambda text: text + "\nThe 社区 program.\n")
    filing, profile, result = validated(folder)
    monkeypatch.setattr("gridmod.render.pdf.font_files", lambda fallback: None)
    with pytest.raises(RenderError) as raised:
        render_report(filing, profile, result, tmp_path / "out", formats=("pdf",))
    assert str(raised.value) == (
        "The PDF needs fonts this machine does not have: '社' (U+793E) and the rest of its script need Noto Sans "
        "CJK SC: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk), or put NotoSansCJK-Regular.ttc "
        "and NotoSansCJK-Bold.ttc in a folder named by GRIDMOD_FONT_PATH."
    )
    assert not (tmp_path / "out" / "gmr-2026" / "pge.pdf").exists()


def test_gridmod_font_path_is_searched_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in font_files(EMOJI) or ():
        (tmp_path / path.name).symlink_to(path)
    monkeypatch.setenv("GRIDMOD_FONT_PATH", str(tmp_path))
    assert font_files(EMOJI) == [tmp_path / "NotoColorEmoji.ttf"]
    assert font_files(CJK) == [Path(CJK.folders[0]) / name for name in CJK.files]
