"""The report fragment: Quarto-only content dropped, narrative markup kept as text, URLs restricted."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gridmod.site.report import TOP_LEVEL, report_html, sanitize, strip_front_matter

from .sitefixtures import HOSTILE, REPO

BLNS = REPO / "tests" / "data" / "blns.json"  # the Big List of Naughty Strings, licence beside it


class Unsafe(HTMLParser):
    """Collects what must never come out of the sanitiser."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "iframe", "object", "embed", "form", "input", "link", "meta", "base"):
            self.problems.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in ("style",) and tag not in ("td", "th", "col"):
                self.problems.append(f"{tag} {name}")
            if name in ("href", "src") and value:
                v = value.strip().lower()
                if re.match(r"^[a-z][a-z0-9+.-]*:", v) and not v.startswith(("http:", "https:", "mailto:")):
                    self.problems.append(f"{tag} {name}={value}")
                if tag == "img" and (":" in v or v.startswith("//")):
                    self.problems.append(f"external image {value}")


def unsafe(fragment: str) -> list[str]:
    parser = Unsafe()
    parser.feed(fragment)
    return parser.problems


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "r.qmd"
    path.write_text(text, encoding="utf-8")
    return path


def test_hostile_narrative_becomes_text(tmp_path):
    report = report_html(write(tmp_path, f"# Activity\n\n{HOSTILE}\n"))
    assert not unsafe(report.html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report.html
    assert "javascript:" not in report.html.replace("javascript:alert(2)", "")  # that one is text
    assert "tracker.example" not in report.html


def test_allowed_links_survive(tmp_path):
    report = report_html(
        write(tmp_path, "# A\n\n[cpuc](https://www.cpuc.ca.gov/) [mail](mailto:ed@cpuc.ca.gov) [rel](../x/)\n")
    )
    assert 'href="https://www.cpuc.ca.gov/"' in report.html
    assert 'href="mailto:ed@cpuc.ca.gov"' in report.html
    assert 'href="../x/"' in report.html


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<img src="x" onerror="alert(1)">',
        '<img src="https://tracker.example/p.gif">',
        '<img src="//tracker.example/p.gif">',
        '<svg onload="alert(1)"><script>alert(1)</script></svg>',
        '<div style="position:fixed;inset:0">cover</div>',
        '<iframe src="https://evil.example"></iframe>',
        '<form action="https://evil.example"><input name="q"></form>',
        '<p class="md-banner">fake banner</p>',
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        '<a href="&#106;avascript:alert(1)">x</a>',
    ],
)
def test_sanitizer_blocks(markup):
    clean = sanitize(markup)
    assert not unsafe(clean), clean
    assert "md-banner" not in clean and "<script" not in clean


def test_ids_must_carry_the_report_prefix():
    assert sanitize('<h3 id="report-a">A</h3>') == '<h3 id="report-a">A</h3>'
    assert sanitize('<h3 id="__search">A</h3>') == "<h3>A</h3>"  # no clobbering of the theme's ids


def test_front_matter_is_dropped():
    assert strip_front_matter('---\ntitle: "x"\n---\n\n# A\n') == "\n# A\n"
    assert strip_front_matter("# A\n\n---\n") == "# A\n\n---\n"


def test_quarto_and_typst_content_is_dropped(tmp_path):
    report = report_html(
        write(
            tmp_path,
            "# A\n\n{{< pagebreak >}}\n\n```{=typst}\n#pagebreak()\n```\n\nKept `#set`{=typst} text.\n\n"
            "::: {.callout-warning}\n## Careful\nBody\n:::\n",
        )
    )
    assert "pagebreak" not in report.html and "{=" not in report.html and "#set" not in report.html
    assert "Kept  text." in report.html or "Kept text." in report.html
    assert '<div class="admonition warning">' in report.html and "Careful" in report.html


def test_headings_start_below_the_page_title(tmp_path):
    report = report_html(write(tmp_path, "# I. Intro\n\n## a. Overview\n\n#### deep\n"))
    assert f'<h{TOP_LEVEL} id="report-i.-intro">' in report.html
    assert report.headings == [(0, "report-i.-intro", "I. Intro"), (1, "report-a.-overview", "a. Overview")]


def test_internal_links_follow_the_prefixed_ids(tmp_path):
    report = report_html(write(tmp_path, "# Intro {#intro}\n\nSee [intro](#intro) and a note[^1].\n\n[^1]: n\n"))
    assert 'href="#report-intro"' in report.html and 'id="report-intro"' in report.html
    assert 'href="#report-fn1"' in report.html


def test_naughty_strings_in_a_narrative(tmp_path):
    """The Big List of Naughty Strings (MIT, Max Woolf) as one narrative: nothing unsafe comes out."""
    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    body = "\n\n".join(s.replace("\r", " ") for s in strings)
    report = report_html(write(tmp_path, f"# Naughty\n\n{body}\n"))
    assert not unsafe(report.html)
    assert "<script" not in report.html.lower()
