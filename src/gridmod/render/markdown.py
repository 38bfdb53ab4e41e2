"""Markdown escaping for values the filer typed into CSV cells.

The report source is Markdown, so a cell such as ``a | b *c*`` or ``#read("x")`` would otherwise
become table syntax, emphasis or, further down the pipeline, Typst code. Every user-supplied cell
goes through `escape_markdown` before it reaches the .qmd; the property test in
tests/render/test_markdown.py checks that pandoc reads the result back as exactly the original text.
"""

from __future__ import annotations

import re

# Characters pandoc's Markdown (and Quarto's) give a meaning inline or at the start of a line:
# emphasis, code, links, spans and attributes, math, citations, sub/superscript, entities, raw
# HTML and autolinks, headings, table cells. Backslash-escaping any ASCII punctuation is allowed.
_SPECIAL = frozenset("\\`*_[]{}<>#|$@~^&!")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACE = re.compile(r"\s+")
# Line starts that would open a list, definition, rule or title block if the value began a line.
_LIST_START = re.compile(r"^(\(?(?:\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]{1,9}))([.)])(?=\s|$)")
# A leading colon always: a paragraph starting with ":" next to a table becomes that table's caption.
_BLOCK_START = re.compile(r"^(:|[-+=%](?=[\s\-+:=%]|$))")


def escape_markdown(value: object) -> str:
    """One line of literal text: whitespace (incl. newlines) collapsed, Markdown syntax escaped."""
    if value is None:
        return ""
    text = _SPACE.sub(" ", _CONTROL.sub("", str(value))).strip()
    out = "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)
    out = _BLOCK_START.sub(r"\\\1", out, count=1)
    return _LIST_START.sub(r"\1\\\2", out, count=1)
