"""Narrative changes: which sections of which Markdown files changed, with a short word diff of each."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from gridmod.diff.model import SectionChange

_HEADING = re.compile(r"^(#{2,3})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
MAX_EDITS = 3
MAX_WORDS = 12


def sections(path: Path) -> dict[str, list[str]]:
    """Words of each section, by heading (level 2 or 3); "" holds the text before the first heading."""
    out: dict[str, list[str]] = {"": []}
    current, fenced = "", False
    for line in path.read_text(encoding="utf-8-sig", errors="replace").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match:
            current = match.group(2)
            out.setdefault(current, [])
        else:
            out[current] += line.split()
    if not out[""]:
        del out[""]
    return out


def _short(words: list[str]) -> str:
    if len(words) <= MAX_WORDS:
        return " ".join(words)
    half = MAX_WORDS // 2
    return " ".join(words[:half]) + " … " + " ".join(words[-half:])


def word_diff(old: list[str], new: list[str]) -> tuple[int, int, list[tuple[str, str]]]:
    """Words added, words removed, and the first few changed passages as (removed, added)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    added = removed = 0
    edits: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed += i2 - i1
        added += j2 - j1
        if len(edits) < MAX_EDITS:
            edits.append((_short(old[i1:i2]), _short(new[j1:j2])))
    return added, removed, edits


def compare_file(rel_old: str, rel_new: str, old: Path | None, new: Path | None) -> list[SectionChange]:
    before = sections(old) if old else {}
    after = sections(new) if new else {}
    out = []
    for heading, words in after.items():
        if heading not in before:
            out.append(SectionChange(rel_new, heading, "added", words_added=len(words)))
        elif words != before[heading]:
            added, removed, edits = word_diff(before[heading], words)
            out.append(SectionChange(rel_new, heading, "changed", added, removed, edits))
    for heading, words in before.items():
        if heading not in after:
            out.append(SectionChange(rel_new if new else rel_old, heading, "removed", words_removed=len(words)))
    return out
