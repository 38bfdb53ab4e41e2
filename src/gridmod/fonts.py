"""The fonts of the PDF report and the characters they can print.

Typst compiles the report with its own embedded fonts (Libertinus Serif, DejaVu Sans Mono) and, for the
scripts and symbols those lack, with fallback fonts named here: Noto Sans CJK for Chinese, Japanese and
Korean, Noto Color Emoji for emoji. A fallback is one exact set of files (a Debian package's, or the same
files in a folder named by GRIDMOD_FONT_PATH), never whatever fonts a machine happens to have, so the
same filing gives the same PDF on every machine with the same font files. The character list records their
SHA-256 (Debian 12's packages; tests/render/test_pdf_characters.py checks them); other releases of the same
fonts, such as Ubuntu's on GitHub's runners, cover at least the same characters but give other bytes.

`validation/_shared/pdf-characters.txt` lists what each font set can print, asked of Typst itself one
character at a time (`python -m tests.render.pdf_characters`). Rule E056 refuses any other character; the
renderer uses the sections to name the fallback a report needs when it is not installed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gridmod.errors import SetupError

PRINTABLE = "validation/_shared/pdf-characters.txt"
# Section of the list for the characters Typst's own fonts print.
EMBEDDED = "Typst"
_LINE_BREAKS = frozenset("\n\r")


@dataclass(frozen=True)
class Fallback:
    """A fallback font: its family as the Typst template names it, its files, and where a machine has them."""

    family: str
    files: tuple[str, ...]
    package: str  # the Debian package that installs the files
    folders: tuple[str, ...]  # where that package puts them

    def hint(self) -> str:
        return (
            f"install Debian's {self.package} (apt-get install {self.package}), or put "
            f"{' and '.join(self.files)} in a folder named by GRIDMOD_FONT_PATH"
        )


FALLBACKS = (
    Fallback(
        "Noto Sans CJK SC",
        ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"),
        "fonts-noto-cjk",
        ("/usr/share/fonts/opentype/noto",),
    ),
    Fallback(
        "Noto Color Emoji", ("NotoColorEmoji.ttf",), "fonts-noto-color-emoji", ("/usr/share/fonts/truetype/noto",)
    ),
)


def _search_folders(fallback: Fallback) -> list[Path]:
    named = [Path(p) for p in os.environ.get("GRIDMOD_FONT_PATH", "").split(os.pathsep) if p]
    return [*named, *(Path(p) for p in fallback.folders)]


def font_files(fallback: Fallback) -> list[Path] | None:
    """The fallback's files from the first folder that has all of them (GRIDMOD_FONT_PATH first), or None."""
    for folder in _search_folders(fallback):
        paths = [folder / name for name in fallback.files]
        if all(path.is_file() for path in paths):
            return paths
    return None


@cache
def character_sets(root: Path) -> dict[str, frozenset[str]]:
    """The characters each font set prints, by section of the list: EMBEDDED, then each fallback's family.

    Line breaks count as printable everywhere (they are not set as characters)."""
    path = root / PRINTABLE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SetupError(
            f"{PRINTABLE} cannot be read ({exc}); it lists the characters the PDF report can print."
        ) from exc
    sets: dict[str, set[str]] = {EMBEDDED: set(_LINE_BREAKS)}
    section = EMBEDDED
    for number, line in enumerate(lines, 1):
        if line.startswith(("#", "typst ", "font ")) or not line.strip():
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            sets.setdefault(section, set())
            continue
        first, _, last = line.partition("-")
        try:
            codes = range(int(first, 16), int(last or first, 16) + 1)
        except ValueError as exc:
            raise SetupError(f"{PRINTABLE}:{number}: '{line}' is not a code point or a range of them.") from exc
        sets[section].update(map(chr, codes))
    return {name: frozenset(chars) for name, chars in sets.items()}


@cache
def printable(root: Path) -> frozenset[str]:
    """Every character the PDF report can print with its fonts and all the fallbacks."""
    return frozenset().union(*character_sets(root).values())


def needed(root: Path, texts: Iterable[str]) -> dict[Fallback, str]:
    """The fallbacks the texts need, each with the first character that needs it."""
    sets = character_sets(root)
    embedded = sets[EMBEDDED]
    found: dict[Fallback, str] = {}
    for text in texts:
        if text.isascii():
            continue
        for char in dict.fromkeys(text):
            if char in embedded:
                continue
            for fallback in FALLBACKS:
                if fallback not in found and char in sets.get(fallback.family, ()):
                    found[fallback] = char
                    break
    return found
