"""Content phase, narrative: the Markdown of Appendix A sections and of each activity's six elements."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# Guidance that `gridmod new` writes as Markdown link definitions; renderers drop them, and so does
# every check of whether a section has been written.
_GUIDANCE = re.compile(r"^\s{0,3}\[guidance-[^\]]*\]:\s+#")


def is_written(line: str) -> bool:
    """A line that carries the filer's own text: not blank and not scaffold guidance."""
    return bool(line.strip()) and not _GUIDANCE.match(line)
_H2 = re.compile(r"^##\s+(.*?)\s*#*\s*$")


@dataclass
class Section:
    heading: str
    line: int
    text: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return any(is_written(line) for line in self.text)


def split_sections(path: Path) -> tuple[list[str], list[Section]]:
    """Text before the first level-2 heading, and each level-2 section with the line of its heading."""
    preamble: list[str] = []
    sections: list[Section] = []
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").split("\n"), start=1):
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _H2.match(line)
        if match:
            sections.append(Section(match.group(1), number))
        elif sections:
            sections[-1].text.append(line)
        else:
            preamble.append(line)
    return preamble, sections


def normalise(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", heading.lower()).strip()
