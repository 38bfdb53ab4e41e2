"""escape_markdown: whatever a CSV cell holds, pandoc reads back exactly that text and nothing else.

Checked through pandoc itself (its JSON AST), with the same reader the renderer uses, on the Big List
of Naughty Strings and on generated strings dense in Markdown punctuation.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridmod.converter import READER, pandoc_path
from gridmod.render.markdown import escape_markdown

BLNS = Path(__file__).resolve().parents[2] / "tests" / "data" / "blns.json"
PLAIN = {"Str", "Space", "SoftBreak"}


def _flatten(inlines: list[dict]) -> str:
    out = []
    for node in inlines:
        if node["t"] not in PLAIN:
            raise AssertionError(f"pandoc read markup: {node['t']}")
        out.append(node["c"] if node["t"] == "Str" else " ")
    return "".join(out)


def _expected(value: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", value)
    return re.sub(r"\s+", " ", text).strip()


def round_trip(values: list[str]) -> None:
    """Each value at the start of a paragraph and inside a pipe-table cell must come back as plain text."""
    values = [v for v in values if _expected(v)]
    if not values:
        return
    paragraphs = "\n\n".join(escape_markdown(v) for v in values)
    table = "| a | b |\n|---|---|\n" + "".join(f"| {escape_markdown(v)} | x |\n" for v in values)
    source = paragraphs + "\n\n" + table
    done = subprocess.run(
        [pandoc_path(), "-f", READER, "-t", "json"],
        input=source.encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=60,
    )
    blocks = json.loads(done.stdout)["blocks"]
    assert [b["t"] for b in blocks] == ["Para"] * len(values) + ["Table"], source
    for value, block in zip(values, blocks, strict=False):
        assert _flatten(block["c"]) == _expected(value), value
    rows = blocks[-1]["c"][4][0][3]
    for value, row in zip(values, rows, strict=True):
        cell = row[1][0][4]
        text = _flatten(cell[0]["c"]) if cell else ""
        assert text == _expected(value), value


def test_naughty_strings_stay_literal():
    round_trip([s for s in json.loads(BLNS.read_text(encoding="utf-8")) if isinstance(s, str)])


def test_examples_from_the_filing_guide():
    round_trip(
        [
            "a | b *c*",
            '#read("/etc/passwd")',
            "$x$",
            "1. item",
            "(a) item",
            "- dash",
            "---",
            "> quote",
            "<script>alert(1)</script>",
            "@cite",
            "[link](http://x)",
            "![i](x.png)",
            "x^2^ H~2~O",
            "&amp; &copy;",
            "\\",
            "`code`",
            "{{< include x >}}",
            "[^1]",
            ": def",
            "+ plus",
            "# head",
            "=",
            'O\'Brien said "hi" -- ok...',
            "  indented\n\tcode",
            "line\r\nbreak",
        ]
    )


def test_money_and_text_stay_on_one_line():
    assert escape_markdown("a\nb\r\nc") == "a b c"
    assert escape_markdown(None) == ""
    assert escape_markdown("1.0") == "1.0" and escape_markdown("R.21-06-017") == "R.21-06-017"


PUNCTUATION = st.text(alphabet=st.sampled_from(list("\\`*_{}[]<>()#+-.!|$@~^&:=\"'%/ \n\tab1")), max_size=24)
ANY = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=24)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PUNCTUATION, ANY), min_size=1, max_size=25))
def test_generated_cells_stay_literal(values):
    round_trip(values)
