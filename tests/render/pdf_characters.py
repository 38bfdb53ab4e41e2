"""Which characters the PDF report can print: asked of Typst itself, one character at a time.

`python -m tests.render.pdf_characters` writes validation/_shared/pdf-characters.txt, the list the
validator's rule E056 reads (through gridmod.fonts). Each character of the Basic Multilingual Plane and the
Supplementary Multilingual Plane is set, as the report sets text, in the body fonts (regular, bold, italic,
bold italic), in a heading and in code, and compiled as PDF/UA-1 with no system fonts, as
gridmod.render.pdf compiles: it is printable when that succeeds. The fonts are added one set at a time, in
the template's fallback order: first Typst's embedded fonts alone, then each fallback of gridmod.fonts for
what is still unprintable, so each section of the list says which font set a character needs.

Run it again after an update of Typst or of a fallback font (it takes a few minutes);
tests/render/test_pdf_characters.py fails until the file matches the installed Typst and fonts.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from gridmod.fonts import EMBEDDED, FALLBACKS, PRINTABLE, Fallback, font_files

ROOT = Path(__file__).resolve().parents[2]
PLANES = range(0x0, 0x20000)  # the BMP and the SMP; nothing above is in the report's fonts
SURROGATES = range(0xD800, 0xE000)
TARGET = ROOT / PRINTABLE
TEMPLATE = ROOT / "templates" / "report" / "typst" / "template.typ"


def template_fonts(name: str) -> str:
    """The template's font list `name` (body-fonts, code-fonts) as Typst code, so the probe sets text alike."""
    found = re.search(rf"^#let {name} = (\(.*\))$", TEMPLATE.read_text(encoding="utf-8"), re.M)
    if found is None:
        raise SystemExit(f"{TEMPLATE} has no `#let {name} = (...)` line.")
    return found.group(1)


def _document(code: int) -> str:
    return (
        f"#set document(title: [Characters])\n#set text(font: {template_fonts('body-fonts')})\n"
        f"#show raw: set text(font: {template_fonts('code-fonts')})\n"
        f"#let c = str.from-unicode({code})\n"
        "#c #strong(c) #emph(c) #strong(emph(c)) #raw(c)\n#heading(c)\n"
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def installed(fallback: Fallback) -> list[Path]:
    files = font_files(fallback)
    if files is None:
        raise SystemExit(f"{fallback.family} is not installed: {fallback.hint()}.")
    return files


class Probe:
    """A Typst compiler kept open over one probe file, so each character costs about a millisecond.

    `fallbacks` are the fallback fonts it may use, linked into a font folder of its own."""

    def __init__(self, folder: Path, fallbacks: Iterable[Fallback] = ()) -> None:
        import typst

        self.typst = typst
        self.path = folder / "probe.typ"
        self.path.write_text(_document(0x41), encoding="utf-8")
        fonts = folder / "fonts"
        fonts.mkdir()
        for fallback in fallbacks:
            for path in installed(fallback):
                (fonts / path.name).symlink_to(path.resolve())
        self.compiler = typst.Compiler(
            str(self.path), root=str(folder), ignore_system_fonts=True, font_paths=[str(fonts)]
        )

    def printable(self, code: int) -> bool:
        self.path.write_text(_document(code), encoding="utf-8")
        try:
            self.compiler.compile(format="pdf", pdf_standards=["ua-1"])
        except self.typst.TypstError:
            return False
        return True


def ranges(codes: Iterable[int]) -> Iterator[tuple[int, int]]:
    start = previous = None
    for code in codes:
        if previous is not None and code == previous + 1:
            previous = code
            continue
        if start is not None:
            yield start, previous
        start = previous = code
    if start is not None:
        yield start, previous


def sections() -> Iterator[tuple[str, list[int]]]:
    """(section name, the code points it adds), Typst's own fonts first, then each fallback in order."""
    remaining = [c for c in PLANES if c not in SURROGATES]
    for count in range(len(FALLBACKS) + 1):
        with tempfile.TemporaryDirectory() as folder:
            probe = Probe(Path(folder), FALLBACKS[:count])
            codes = [c for c in remaining if probe.printable(c)]
        yield (EMBEDDED if count == 0 else FALLBACKS[count - 1].family), codes
        taken = set(codes)
        remaining = [c for c in remaining if c not in taken]


def main() -> None:
    import typst

    fonts = [(fallback, path) for fallback in FALLBACKS for path in installed(fallback)]
    lines = [
        "# The characters the PDF report can print, as ranges of code points (hex, inclusive): every character",
        f"# here compiles as PDF/UA-1 in each style the report uses, with the fonts embedded in Typst {typst.__version__}",
        "# (section [Typst]) or, for what those cannot print, with the fallback font named by its section.",
        "# Written by `python -m tests.render.pdf_characters`; rule E056 refuses text with any other character.",
        f"typst {typst.__version__}",
        *(f"font {fallback.package} {path.name} {digest(path)}" for fallback, path in fonts),
    ]
    total = 0
    for name, codes in sections():
        lines.append(f"[{name}]")
        lines.extend(f"{a:04X}" if a == b else f"{a:04X}-{b:04X}" for a, b in ranges(codes))
        total += len(codes)
        print(f"{name}: {len(codes)} characters", flush=True)
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{total} printable characters written to {TARGET}.")


if __name__ == "__main__":
    main()
