"""Property test: a narrative made of any Markdown a filer could type either gets located findings or
renders. Narratives are drawn from a grammar of Markdown constructs (headings of every level, emphasis, code
spans of any backtick count, links of every scheme, images, footnotes, attribute blocks, maths, shortcodes,
fenced divs and code, tables, quotes nested past what Typst can set) mixed with the Big List of Naughty
Strings; each goes through validation and, when valid, through the real PDF and HTML renderers. A valid
narrative that a renderer cannot make is the failure this test exists to find."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridmod.filing import stamp_resources
from gridmod.render import render_filing
from gridmod.validate import validate_filing

from ..conftest import ROOT, repo_copy
from ..system import report_fonts

BLNS: list[str] = [
    s.replace("\r", " ").replace("\n", " ")
    for s in json.loads((ROOT / "tests/data/blns.json").read_text(encoding="utf-8"))
]
FILING = "data/pge/gmr-2026"

WORD = st.sampled_from(
    [
        "grid",
        "DERMS",
        "ADMS",
        "feeder",
        "42",
        "$1.2",
        "50%",
        "R.21-06-017",
        "Volt/VAR",
        "社区太阳能",
        "電網",
        "한국어",
        "にほんご",
        "🚀",
        "👍🏽",
        "👩‍🔧",
        "🇺🇸",
        "☀️",
    ]
)
URL = st.sampled_from(
    [
        "https://www.cpuc.ca.gov/",
        "http://example.org/",
        "javascript:alert(1)",
        "#gm-summary",
        "../site/",
        "/\\evil.example/",
        "mailto:ed@example.org",
        "data:text/html,x",
        "file.md",
    ]
)
INLINE = st.one_of(
    WORD,
    st.sampled_from(BLNS),
    WORD.map(lambda w: f"*{w}*"),
    WORD.map(lambda w: f"**{w}**"),
    st.tuples(st.integers(1, 4), WORD).map(lambda t: "`" * t[0] + t[1] + "`" * t[0]),
    st.integers(1, 5).map(lambda n: "`" * n),
    st.tuples(WORD, URL).map(lambda t: f"[{t[0]}]({t[1]})"),
    st.tuples(WORD, URL).map(lambda t: f'[{t[0]}]({t[1]}){{onclick="alert(1)" .x}}'),
    WORD.map(lambda w: f'[{w}]{{style="position:fixed" #id}}'),
    st.sampled_from(
        [
            "[^1]",
            "$x^2$",
            "{{< pagebreak >}}",
            "\\",
            "<b>bold</b>",
            "&amp;",
            "{=typst}",
            '#read("x")',
            "~~x~~",
            "H~2~O",
            "x^2^",
            "@cite",
            "<!-- c -->",
            "{",
            "}",
            "|",
            ":::",
        ]
    ),
)
LINE = st.lists(INLINE, min_size=1, max_size=6).map(" ".join)
BLOCK = st.one_of(
    LINE,
    st.tuples(st.integers(1, 6), LINE).map(lambda t: "#" * t[0] + " " + t[1]),
    st.tuples(LINE, st.sampled_from(["===", "---"])).map(lambda t: f"{t[0]}\n{t[1]}"),
    st.lists(st.tuples(st.integers(0, 4), LINE), min_size=1, max_size=5).map(
        lambda items: "\n".join("  " * depth + "- " + text for depth, text in items)
    ),
    st.tuples(st.integers(1, 12), LINE).map(lambda t: "> " * t[0] + t[1]),
    st.tuples(st.sampled_from(["", "python", "{=typst}", "{.x onload=y}", "```"]), LINE).map(
        lambda t: f"```{t[0]}\n{t[1]}\n```"
    ),
    st.tuples(LINE, LINE).map(lambda t: f"| a | b |\n|---|---|\n| {t[0]} | {t[1]} |"),
    LINE.map(lambda text: f"::: {{.callout-note}}\n{text}\n:::"),
    st.just("---"),
    LINE.map(lambda text: f"[^1]: {text}"),
)
RENDERED: list[bool] = []  # whether each example was valid (and so rendered)
NARRATIVE = st.lists(BLOCK, min_size=1, max_size=8).map(lambda blocks: "\n\n".join(blocks) + "\n")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    report_fonts()  # the grammar draws Chinese, Japanese, Korean and emoji, which need the fallback fonts
    return repo_copy(tmp_path_factory.mktemp("narratives") / "repo")


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(narrative=NARRATIVE)
def test_any_narrative_gets_located_findings_or_renders(repo: Path, tmp_path: Path, narrative: str) -> None:
    folder = repo / FILING
    summary = folder / "narrative/summary.md"
    original = summary.read_text(encoding="utf-8")
    summary.write_text(original + "\n" + narrative, encoding="utf-8")
    try:
        stamp_resources(folder)
        checked = validate_filing(folder, repo, ("structure", "content"))
        result = checked.result
        assert all(f.line for f in result.findings if f.severity == "error" and f.path.endswith("summary.md"))
        RENDERED.append(result.valid)
        if result.valid:
            assert checked.profile is not None
            out = tmp_path / "out"
            shutil.rmtree(out, ignore_errors=True)
            built = render_filing(checked.filing, checked.profile, result, out, formats=("pdf", "html"))
            assert built.outputs["pdf"].stat().st_size > 0 and built.outputs["html"].stat().st_size > 0
    finally:
        summary.write_text(original, encoding="utf-8")


def test_the_grammar_reaches_the_renderers() -> None:
    """Runs after the property test (file order): most narratives drawn are valid and were rendered, so the
    property is about the renderers and not only about the validator refusing everything."""
    assert len(RENDERED) >= 12 and sum(RENDERED) >= len(RENDERED) // 3, RENDERED
