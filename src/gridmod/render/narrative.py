"""Fit the filer's Markdown narratives into the report's outline.

A narrative is a file of its own: its headings start at whatever level the filer chose, an activity
narrative carries the six Appendix A elements as level-2 headings, and nothing stops a file from
ending inside a code fence. Inserted into the report as is, it would break the outline (and PDF/UA,
which forbids skipped heading levels) or swallow the rest of the document. This module splits an
activity narrative into its elements, moves headings below the heading the report puts them under,
closes what the file leaves open, and neutralises the few constructs that pandoc or Quarto would
treat as instructions rather than text (raw-format blocks, shortcodes, metadata blocks, fenced divs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gridmod.narrative import code_spans, visible

MAX_LEVEL = 6

_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^(\s|([-+*>]|\d+[.)])(\s|$))")
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
_DIV_FENCE = re.compile(r"^( {0,3})(:{3,})")
_THEMATIC_DASHES = re.compile(r"^ {0,3}-{3,}[ \t]*$")
_INFO_WORD = re.compile(r"[A-Za-z0-9_+#-]+")


@dataclass
class _Heading:
    level: int
    text: str
    atx: bool = True


@dataclass
class ActivityNarrative:
    """An activity narrative split by Appendix A element; each part ready to insert."""

    preamble: str = ""
    sections: dict[str, str] = field(default_factory=dict)


def _tokens(text: str) -> list[str | _Heading]:
    """Lines of the file, with ATX and single-line setext headings outside code fences recognised."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff").split("\n")
    out: list[str | _Heading] = []
    fence: str | None = None
    for line in lines:
        if fence is not None:
            out.append(line)
            if _closes(line, fence):
                fence = None
            continue
        opened = _FENCE_OPEN.match(line)
        if opened and not (opened.group(2)[0] == "`" and "`" in opened.group(3)):
            fence = opened.group(2)
            out.append(line)
            continue
        atx = _atx(line)
        if atx:
            out.append(_Heading(atx[0], _clean_heading(atx[1])))
            continue
        setext = _SETEXT.match(line)
        if setext and out and _is_lone_paragraph_line(out):
            previous = out.pop()
            assert isinstance(previous, str)
            level = 1 if setext.group(1)[0] == "=" else 2
            out.append(_Heading(level, _clean_heading(previous.strip()), atx=False))
            continue
        out.append(line)
    return out


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    indent = len(line) - len(line.lstrip(" "))
    return indent < 4 and stripped.startswith(fence) and set(stripped) == {fence[0]}


def _is_lone_paragraph_line(out: list[str | _Heading]) -> bool:
    """True when the last line is a one-line paragraph, the only text pandoc underlines into a heading."""
    last = out[-1]
    if not isinstance(last, str) or not last.strip() or _NOT_PARAGRAPH.match(last):
        return False
    before = out[-2] if len(out) > 1 else None
    return before is None or isinstance(before, _Heading) or not before.strip()


# The heading scanners below (and gridmod.narrative.code_spans) are string operations, not regular
# expressions: a filer's line can be a megabyte long, and the backtracking patterns they replace took time
# quadratic in its length.


def _atx(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line: up to three spaces, one to six #, then a space or the end."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    level = len(stripped) - len(stripped.lstrip("#"))
    rest = stripped[level:]
    if not 1 <= level <= 6 or (rest and rest[0] not in " \t"):
        return None
    return level, rest.strip(" \t")


def _clean_heading(text: str) -> str:
    """The heading's text without a trailing {attributes} block or closing #s."""
    text = text.strip()
    if text.endswith("}"):
        opening = text.rfind("{")
        if opening >= 0 and "}" not in text[opening + 1 : -1]:
            text = text[:opening].rstrip(" \t")
    body = text.rstrip("#")
    if body != text and (not body or body[-1] in " \t"):
        text = body
    return text.strip()


def _heading_key(text: str) -> str:
    """Headings compare as the validator compares them (GMR-X032, GMR-W034): case and punctuation aside."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _outside_code(line: str, change) -> str:
    parts, pos = [], 0
    for start, end in code_spans(line):
        parts.append(change(line[pos:start]))
        parts.append(line[start:end])
        pos = end
    parts.append(change(line[pos:]))
    return "".join(parts)


def _neutralise(text: str, note_prefix: str) -> str:
    """Text that pandoc and Quarto read as prose only: no raw blocks, shortcodes, divs, metadata."""
    text = text.replace("{{<", "{{\\<").replace("{=", "\\{=")
    return _FOOTNOTE.sub(lambda m: f"[^{note_prefix}-{m.group(1)}]", text)


def _render(tokens: list[str | _Heading], base_level: int, note_prefix: str) -> str:
    """Markdown of one part: headings moved to base_level and below, never skipping a level."""
    levels = [t.level for t in tokens if isinstance(t, _Heading)]
    top = min(levels) if levels else 1
    previous = base_level - 1
    lines: list[str] = []
    fence: str | None = None
    for token in tokens:
        if isinstance(token, _Heading):
            level = min(MAX_LEVEL, base_level + token.level - top, previous + 1)
            previous = level
            text = _outside_code(token.text, lambda s: _neutralise(s, note_prefix))
            _blank(lines)
            lines += ["#" * level + " " + text, ""]
            continue
        line = token
        if fence is None and not line.strip() and (not lines or not lines[-1].strip()):
            continue
        if fence is not None:
            if _closes(line, fence):
                fence = None
            lines.append(line)
            continue
        opened = _FENCE_OPEN.match(line)
        if opened and not (opened.group(2)[0] == "`" and "`" in opened.group(3)):
            fence = opened.group(2)
            lines.append(opened.group(1) + fence + _info_string(opened.group(3)))
            continue
        if _DIV_FENCE.match(line):
            line = _DIV_FENCE.sub(r"\1\\\2", line, count=1)
        elif _THEMATIC_DASHES.match(line) and (not lines or not lines[-1].strip()):
            line = "* * *"
        lines.append(_outside_code(line, lambda s: _neutralise(s, note_prefix)))
    if fence is not None:
        while lines and not lines[-1].strip():
            lines.pop()
        lines.append(fence)
    return _tidy(lines)


def _info_string(info: str) -> str:
    """A code fence's language only: ``{=typst}`` would make it raw output, ``{python}`` executable."""
    info = info.strip()
    if "{" not in info and "=" not in info:
        return info
    if re.match(r"^\{?\s*=", info):
        return ""
    word = _INFO_WORD.search(info)
    return word.group(0) if word else ""


def _blank(lines: list[str]) -> None:
    if lines and lines[-1].strip():
        lines.append("")


def _tidy(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def _drop_title(tokens: list[str | _Heading]) -> list[str | _Heading]:
    """A leading level-1 heading is the file's own title; the report titles the part itself."""
    for index, token in enumerate(tokens):
        if isinstance(token, str) and not token.strip():
            continue
        if isinstance(token, _Heading) and token.level == 1:
            return tokens[index + 1 :]
        break
    return tokens


def prepare_narrative(text: str, base_level: int, note_prefix: str) -> str:
    """A whole narrative (introduction, summary, outlook) to insert under a heading of base_level - 1."""
    return _render(_drop_title(_tokens(visible(text))), base_level, note_prefix)


def split_activity_narrative(text: str, elements: list[dict], base_level: int, note_prefix: str) -> ActivityNarrative:
    """Parts of an activity narrative by element id, each with headings below base_level - 1.

    Level-2 ATX headings (``## ...``) that name an element start its part, as they do for the
    validator; in any order, and a repeated one continues its part. Any other heading stays inside
    the part it appears in, as a subheading. Text before the first element heading is the preamble.
    """
    keys = {_heading_key(e["heading"]): e["id"] for e in elements}
    parts: dict[str | None, list[str | _Heading]] = {None: []}
    current: str | None = None
    for token in _drop_title(_tokens(visible(text))):
        if isinstance(token, _Heading) and token.level == 2 and token.atx and _heading_key(token.text) in keys:
            current = keys[_heading_key(token.text)]
            parts.setdefault(current, [])
            continue
        parts[current].append(token)
    result = ActivityNarrative(preamble=_render(parts.pop(None), base_level, note_prefix))
    for element_id, tokens in parts.items():
        assert element_id is not None
        rendered = _render(tokens, base_level, note_prefix)
        if rendered.strip():
            result.sections[element_id] = rendered
    return result
