"""Narrative Markdown: its level-2 sections, and which lines carry the filer's own text (not scaffold guidance)."""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

_BACKTICKS = re.compile(r"`+")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# Guidance that `gridmod new` writes as Markdown link definitions; renderers drop them, and so does
# every check of whether a section has been written.
_GUIDANCE = re.compile(r"^\s{0,3}\[guidance-[^\]]*\]:\s+#")


def is_written(line: str) -> bool:
    """A line that carries the filer's own text: not blank and not scaffold guidance."""
    return bool(line.strip()) and not _GUIDANCE.match(line)


def _level_two(line: str) -> str | None:
    """The text of a level-2 heading line ("## " then the text, closing #s dropped), else None. String
    operations, linear in the line's length (a backtracking pattern took cubic time on a long heading)."""
    if not line.startswith("##") or len(line) < 3 or not line[2].isspace():
        return None
    return line[2:].strip().rstrip("#").rstrip()


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
    return sections_of(path.read_text(encoding="utf-8-sig"))


def sections_of(text: str) -> tuple[list[str], list[Section]]:
    preamble: list[str] = []
    sections: list[Section] = []
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _level_two(line)
        if heading is not None:
            sections.append(Section(heading, number))
        elif sections:
            sections[-1].text.append(line)
        else:
            preamble.append(line)
    return preamble, sections


def normalise(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", heading.lower()).strip()


def sections_named(sections: list[Section], heading: str) -> list[Section]:
    """The level-2 sections whose heading is `heading` (compared as `normalise` does)."""
    return [s for s in sections if normalise(s.heading) == normalise(heading)]


def with_bodies(text: str, bodies: dict[str, list[str]]) -> str:
    """The text with the lines under each named heading (up to the next level-2 heading) replaced by the given
    lines; every other line stays as it was. A heading must appear once (the caller checks)."""
    lines = text.split("\n")
    _, sections = sections_of(text)
    wanted = {normalise(h): body for h, body in bodies.items()}
    for section in reversed(sections):
        body = wanted.get(normalise(section.heading))
        if body is not None:
            lines[section.line : section.line + len(section.text)] = body
    return "\n".join(lines)


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each code span of a line, as CommonMark reads them: a run of backticks opens one that
    the next run of the same length closes; a run that nothing closes is text. Linear in the line's length."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    closers: dict[int, deque[int]] = defaultdict(deque)
    for index, (start, end) in enumerate(runs):
        closers[end - start].append(index)
    spans, index = [], 0
    while index < len(runs):
        start, end = runs[index]
        waiting = closers[end - start]
        while waiting and waiting[0] <= index:
            waiting.popleft()
        if waiting:
            closing = waiting.popleft()
            spans.append((start, runs[closing][1]))
            index = closing + 1
        else:
            index += 1
    return spans


# Control characters (but tab), the characters that change the direction of text and the two noncharacters
# XML cannot hold: kept in a narrative or a cell (a warning, W029), but shown as their code point, so that
# "DERMS \u202eevil" cannot read "DERMS live" and a chart's SVG stays well-formed.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def visible(text: str) -> str:
    """The text with each invisible or direction-changing character written as [U+XXXX]."""
    return _INVISIBLE.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", text)
