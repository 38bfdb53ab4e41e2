"""Putting text into generated Markdown without letting it become Markdown or HTML.

Python-Markdown passes raw HTML through and turns `[x](javascript:...)` into a link, so a value from a filing
(an activity name, a finding's message) must not reach a page as written. Every `{{ }}` in the site
templates goes through `escape` (the Jinja `finalize` hook); only `Markup` values, which this module and the
sanitiser produce, pass unchanged.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import Markup

# Python-Markdown's ESCAPED_CHARS (plus `|`, which the tables extension adds): a backslash before one of
# them yields the character itself. `<`, `>`, `&` and quotes are written as HTML entities instead.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_SPACE = re.compile(r"\s+")
# Control characters: invisible in text, and Python-Markdown uses \x02/\x03 as its own placeholders.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ANCHOR = re.compile(r"[A-Za-z0-9_.:-]+")
_PLACEHOLDER = re.compile(r"(`[^`]*`|\{[A-Za-z_][A-Za-z0-9_]*\})")


def escape(value: Any) -> Markup:
    """Plain text that renders as exactly these characters, on one line (safe inside a table cell)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = _SPACE.sub(" ", _CONTROL.sub("", str(value)))
    return Markup(html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=True))


def code(value: Any) -> Markup:
    """Text in a monospace font: an inline `<code>` whose content is escaped like any other text."""
    if value is None or value == "":
        return Markup("")
    return Markup(f"<code>{escape(value)}</code>")


def spec_text(value: Any) -> Markup:
    """Prose from the rule spec: `code spans` stay code, `{placeholders}` are shown as code, the rest is text.

    The spec is Energy Division's, but its braces would otherwise read as attribute lists (attr_list) and
    silently vanish from the page.
    """
    if value is None:
        return Markup("")
    parts = []
    for piece in _PLACEHOLDER.split(str(value)):
        if not piece:
            continue
        if piece.startswith("`") and piece.endswith("`") and len(piece) >= 2:
            parts.append(code(piece[1:-1]))
        elif _PLACEHOLDER.fullmatch(piece):
            parts.append(code(piece))
        else:
            parts.append(escape(piece))
    return Markup("".join(parts))


def anchor(value: str) -> Markup:
    """A fragment identifier for a link; the sanitiser only keeps ids of this form."""
    if not _ANCHOR.fullmatch(value):
        raise ValueError(f"{value!r} is not a usable anchor")
    return Markup(value)


def usd(value: float | int | None) -> Markup:
    """Whole US dollars with thousands separators: a reader compares filings by magnitude, not cents."""
    if value is None:
        return Markup("—")
    return escape(f"${value:,.0f}")


def count(value: int | None) -> Markup:
    return escape("—" if value is None else f"{value:,}")


def size(n: int) -> Markup:
    """A file size as a download link shows it."""
    for unit, factor in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= factor:
            return escape(f"{n / factor:.1f} {unit}")
    return escape(f"{n} bytes")


def html_text(value: Any) -> Markup:
    """Text for a raw HTML block of a page (an attribute or element content): HTML-escaped only, because
    Markdown leaves raw HTML blocks alone and a Markdown backslash would show."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(html.escape(_SPACE.sub(" ", _CONTROL.sub("", str(value))), quote=True))
