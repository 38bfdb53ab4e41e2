"""The list of characters the PDF can print (validation/_shared/pdf-characters.txt, rule E056) is Typst's
own answer for the pinned Typst: a sample of code points is asked again, and every character the list
allows renders in a real report."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import typst

from gridmod.validate.cells import PRINTABLE, printable

from ..conftest import ROOT, repo_copy
from .pdf_characters import PLANES, SURROGATES, Probe


def test_the_list_is_for_the_installed_typst() -> None:
    header = [line for line in (ROOT / PRINTABLE).read_text(encoding="utf-8").splitlines() if line.startswith("typst ")]
    assert header == [f"typst {typst.__version__}"], "run python -m tests.render.pdf_characters after a Typst update"


def test_typst_agrees_with_the_list_on_a_sample(tmp_path: Path) -> None:
    known = printable(ROOT)
    chosen = random.Random(56).sample([c for c in PLANES if c not in SURROGATES], 1500)
    chosen += [0x41, 0xE9, 0x20AC, 0x2014, 0x6771, 0x1F680, 0xFFFE, 0x0]
    probe = Probe(tmp_path)
    disagree = [f"U+{c:04X}" for c in chosen if probe.printable(c) != (chr(c) in known)]
    assert disagree == []
    assert "é" in known and "€" in known and "東" not in known and "🚀" not in known


def test_text_the_list_allows_renders_and_text_it_refuses_is_a_located_error(tmp_path: Path) -> None:
    root = repo_copy(tmp_path / "repo")
    summary = root / "data/pge/gmr-2026/narrative/summary.md"
    text = summary.read_text(encoding="utf-8")
    allowed = "Ünïcödé: Ω ж € – “quotes” ½ ≥ → ✓ ①"
    assert all(c in printable(ROOT) for c in allowed)
    summary.write_text(text + f"\n{allowed}\n", encoding="utf-8")
    subprocess.run(["gridmod", "stamp", "data/pge/gmr-2026"], cwd=root, check=True, capture_output=True)
    done = subprocess.run(["gridmod", "render", "data/pge/gmr-2026", "--output", str(tmp_path / "out")], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = (text + "\nPlanned with 東京 partners 🚀.\n").split("\n")
    summary.write_text("\n".join(lines), encoding="utf-8")
    subprocess.run(["gridmod", "stamp", "data/pge/gmr-2026"], cwd=root, check=True, capture_output=True)
    checked = subprocess.run(["gridmod", "validate", "data/pge/gmr-2026", "--quick"], cwd=root, capture_output=True,
                             text=True)
    assert checked.returncode == 1
    number = len(lines) - 1
    assert (f"data/pge/gmr-2026/narrative/summary.md:{number}:14: error GMR-E056: text has '東' (U+6771), '京' "
            "(U+4EAC), '🚀' (U+1F680), which the fonts of the PDF report cannot print.") in checked.stdout
