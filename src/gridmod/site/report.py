"""A filing's rendered report (.qmd) as an HTML fragment that is safe to put on a public page.

The report source carries the utility's narrative Markdown. Pandoc reads it with every raw-content
extension off (no raw HTML, no raw TeX, no `{=format}` blocks, no `$` maths), so markup typed in a narrative
arrives as text; the HTML pandoc writes then passes nh3 with an explicit allowlist, which also removes
`javascript:` and other URLs the site must not carry. Two layers, because either alone has failed before
in other projects: pandoc's reader options are easy to widen by accident, and a sanitiser alone would keep
an attacker's harmless-looking but misleading markup.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from markupsafe import Markup

from gridmod.converter import REPORT_SECONDS, Failed, Limit, run
from gridmod.errors import GridmodError
from gridmod.sanitize import FOOTNOTE_CLASSES, clean_html
from gridmod.site.edition import ReportHtml

# Same typography as the PDF: quotes and dashes exactly as filed (no smart punctuation).
READER = "markdown-raw_attribute-raw_html-raw_tex-tex_math_dollars-smart"
ID_PREFIX = "report-"
# The report's top headings become <h3>: the page has its own <h1> title and an <h2> "Report" above it.
TOP_LEVEL = 3

# Quarto callout kinds -> Material admonition kinds.
CALLOUTS = {"note": "note", "tip": "tip", "important": "danger", "warning": "warning", "caution": "warning"}

_SAFE_ID = re.compile(r"[A-Za-z0-9_.:-]+")
# Material gives these classes meaning (admonitions) or pandoc uses them for footnotes; any other class is
# dropped, so a narrative cannot borrow the theme's buttons or banners.
CLASSES = {
    "div": {"admonition", "admonition-title", "note", "tip", "info", "warning", "danger"},
    **FOOTNOTE_CLASSES,
}


class ReportError(GridmodError):
    """Pandoc could not read the report source."""


def report_html(qmd: Path) -> ReportHtml:
    """Convert one report source into a sanitised fragment, its outline and the images it needs."""
    source = strip_front_matter(qmd.read_text(encoding="utf-8"))
    try:
        ast = json.loads(run(["--from", READER, "--to", "json", "--sandbox"], REPORT_SECONDS, source.encode("utf-8")))
        _tidy(ast)
        raw = run(
            ["--from", "json", "--to", "html5", "--sandbox", f"--id-prefix={ID_PREFIX}", "--wrap=none"],
            REPORT_SECONDS,
            json.dumps(ast).encode("utf-8"),
        ).decode("utf-8")
    except (Limit, Failed, ValueError) as exc:
        raise ReportError(f"pandoc cannot convert {qmd.name}: {exc}") from exc
    safe = sanitize(raw)
    outline = _Outline()
    outline.feed(safe)
    return ReportHtml(html=Markup(safe), headings=outline.headings, images=sorted(set(outline.images)))


def strip_front_matter(text: str) -> str:
    """Drop the YAML header: its keys steer Quarto and the PDF, and the page has its own title."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return text
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "".join(lines[number + 1 :])
    return text


def sanitize(fragment: str) -> str:
    """nh3 with the site's allowlist: what is not named here does not reach a page; ids are the report's
    (prefixed), so a narrative cannot take over an id of the page around it."""
    return clean_html(fragment, CLASSES, lambda value: value.startswith(ID_PREFIX) and bool(_SAFE_ID.fullmatch(value)))


class _Outline(HTMLParser):
    """Headings (for the contents list) and image sources of the sanitised fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str, str]] = []
        self.images: list[str] = []
        self._open: tuple[int, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img" and values.get("src"):
            self.images.append(str(values["src"]))
        if tag in ("h3", "h4") and values.get("id"):
            self._open = (int(tag[1]) - TOP_LEVEL, str(values["id"]))
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == f"h{self._open[0] + TOP_LEVEL}":
            level, anchor = self._open
            self.headings.append((level, anchor, " ".join("".join(self._text).split())))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


# --- pandoc AST clean-up -------------------------------------------------------------------------------


def _tidy(ast: dict[str, Any]) -> None:
    """Remove what only Quarto or Typst understands and set the heading levels for the page."""
    ast["blocks"] = _blocks(ast["blocks"])
    levels = [b["c"][0] for b in _walk(ast["blocks"]) if b.get("t") == "Header"]
    shift = TOP_LEVEL - min(levels) if levels else 0
    for block in _walk(ast["blocks"]):
        if block.get("t") == "Header":
            block["c"][0] = max(1, min(6, block["c"][0] + shift))


def _walk(blocks: list[dict[str, Any]]):
    for block in blocks:
        yield block
        if block.get("t") in ("Div", "BlockQuote"):
            inner = block["c"][1] if block["t"] == "Div" else block["c"]
            yield from _walk(inner)


def _blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for block in blocks:
        kind = block.get("t")
        if kind in ("Para", "Plain"):
            if _is_quarto_only(block["c"]):
                continue
            block["c"] = _inlines(block["c"])
        elif kind == "Div":
            block = _callout(block)
            block["c"][1] = _blocks(block["c"][1])
        elif kind == "BlockQuote":
            block["c"] = _blocks(block["c"])
        out.append(block)
    return out


def _is_quarto_only(inlines: list[dict[str, Any]]) -> bool:
    """A `{{< pagebreak >}}` shortcode, or a ```{=typst} block that a reader without raw_attribute
    sees as one code span: both are instructions to the PDF engine, not text."""
    text = _plain(inlines).strip()
    if text.startswith("{{<") and text.endswith(">}}"):
        return True
    return len(inlines) == 1 and inlines[0].get("t") == "Code" and inlines[0]["c"][1].startswith("{=")


def _inlines(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop inline raw spans (`x`{=typst}): the code span and the attribute text after it."""
    out: list[dict[str, Any]] = []
    skip = False
    for i, node in enumerate(inlines):
        if skip:
            skip = False
            continue
        nxt = inlines[i + 1] if i + 1 < len(inlines) else None
        if node.get("t") == "Code" and nxt and nxt.get("t") == "Str" and re.match(r"\{=[\w-]+\}", nxt["c"]):
            rest = re.sub(r"^\{=[\w-]+\}", "", nxt["c"])
            if rest:
                out.append({"t": "Str", "c": rest})
            skip = True
            continue
        out.append(node)
    return out


def _callout(div: dict[str, Any]) -> dict[str, Any]:
    """Quarto callouts (`::: {.callout-warning}`) become Material admonitions, so they look like callouts."""
    (ident, classes, attrs), body = div["c"]
    kind = next((c.removeprefix("callout-") for c in classes if c.startswith("callout-")), None)
    if kind is None:
        return div
    title: list[dict[str, Any]] = []
    if body and body[0].get("t") == "Header":
        title = body.pop(0)["c"][2]
    elif dict(attrs).get("title"):
        title = [{"t": "Str", "c": dict(attrs)["title"]}]
    if not title:
        title = [{"t": "Str", "c": kind.capitalize()}]
    heading = {"t": "Div", "c": [["", ["admonition-title"], []], [{"t": "Plain", "c": title}]]}
    return {"t": "Div", "c": [[ident, ["admonition", CALLOUTS.get(kind, "note")], []], [heading, *body]]}


def _plain(inlines: list[dict[str, Any]]) -> str:
    parts = []
    for node in inlines:
        kind = node.get("t")
        if kind == "Str":
            parts.append(node["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind == "Code":
            parts.append(node["c"][1])
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps"):
            parts.append(_plain(node["c"]))
        elif kind in ("Span", "Quoted"):
            parts.append(_plain(node["c"][1]))
    return "".join(parts)
