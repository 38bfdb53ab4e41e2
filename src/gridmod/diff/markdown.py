"""Filer text, amounts and counts as Markdown that shows exactly these characters: no links, images or HTML."""

from __future__ import annotations

import re

# Inline Markdown that filer text could start: emphasis, code, links and images, tables, strike-through, math.
_SPECIAL = re.compile(r"([\\`*_\[\]!|~$])")
_BREAKS = re.compile(r"\s+")


def text(value: object) -> str:
    """Filer text as Markdown that shows exactly these characters on one line: no links, images or HTML."""
    plain = _BREAKS.sub(" ", str(value)).strip()
    return _SPECIAL.sub(r"\\\1", plain).replace("<", "&lt;")


def code(value: object) -> str:
    plain = _BREAKS.sub(" ", str(value)).replace("`", "'").replace("|", "\\|")
    return f"`{plain}`" if plain else ""


def words(value: str | None) -> str:
    return (value or "").replace("_", " ")


def usd(value: float | None) -> str:
    return "—" if value is None else f"${value:,.0f}"


def signed_usd(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{'+' if value > 0 else '−' if value < 0 else '±'}${abs(value):,.0f}"


def days(value: int | None) -> str:
    if not value:
        return "—"
    return f"{value:+d} days".replace("-", "−")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"
