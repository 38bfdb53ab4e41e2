"""Which characters the PDF report can print: asked of Typst itself, one character at a time.

`python -m tests.render.pdf_characters` writes validation/_shared/pdf-characters.txt, the list the
validator's rule E056 reads. Each character of the Basic Multilingual Plane and the Supplementary
Multilingual Plane is set, as the report sets text, in the body font (regular, bold, italic, bold italic),
in a heading and in code, and compiled as PDF/UA-1 with the fonts embedded in the pinned Typst (no system
fonts, as gridmod.render.pdf compiles): it is printable when that succeeds. Run it again after an update of
Typst; tests/render/test_pdf_characters.py fails until the file matches the installed Typst.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

PLANES = range(0x0, 0x20000)  # the BMP and the SMP; nothing above is in the report's fonts
SURROGATES = range(0xD800, 0xE000)
TARGET = Path(__file__).resolve().parents[2] / "validation" / "_shared" / "pdf-characters.txt"


def _document(code: int) -> str:
    return ('#set document(title: [Characters])\n#set text(font: "Libertinus Serif")\n'
            '#show raw: set text(font: "DejaVu Sans Mono")\n'
            f"#let c = str.from-unicode({code})\n"
            "#c #strong(c) #emph(c) #strong(emph(c)) #raw(c)\n#heading(c)\n")


class Probe:
    """A Typst compiler kept open over one probe file, so each character costs about a millisecond."""

    def __init__(self, folder: Path) -> None:
        import typst

        self.typst = typst
        self.path = folder / "probe.typ"
        self.path.write_text(_document(0x41), encoding="utf-8")
        self.compiler = typst.Compiler(str(self.path), root=str(folder), ignore_system_fonts=True)

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


def main() -> None:
    import typst

    with tempfile.TemporaryDirectory() as folder:
        probe = Probe(Path(folder))
        codes = [c for c in PLANES if c not in SURROGATES and probe.printable(c)]
    lines = [
        "# The characters the PDF report can print, as ranges of code points (hex, inclusive): every character",
        "# here compiles as PDF/UA-1 in each style the report uses, with the fonts embedded in Typst "
        f"{typst.__version__}.",
        "# Written by `python -m tests.render.pdf_characters`; rule E056 refuses text with any other character.",
        f"typst {typst.__version__}",
        *(f"{a:04X}" if a == b else f"{a:04X}-{b:04X}" for a, b in ranges(codes)),
    ]
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(codes)} printable characters in {len(lines) - 4} ranges written to {TARGET}.")


if __name__ == "__main__":
    main()
