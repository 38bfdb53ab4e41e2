"""What is published carries no markup a filer smuggled in: every page of a site built from a hostile
filing is scanned, and the PDF shows Typst code as text."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from gridmod.build import build

from ..conftest import ROOT

HOSTILE = """<script>alert("narrative")</script>

<img src=x onerror="alert('img')"> and <a href="javascript:alert('link')">a link</a>
[markdown link](javascript:alert('md')) and <iframe src="https://example.org"></iframe>

#read("/etc/passwd") and #let x = 1 and $x$ typed by the filer.

```{=typst}
#read("/etc/hostname")
```

<svg onload="alert('svg')"><circle r="5"/></svg> <div style="background:url(javascript:alert(1))">x</div>

`x`{tabindex=1 autofocus="" onfocus="alert('focus')"} and [over]{onmouseover="alert('over')" style="position:fixed;top:0;left:0;width:100%;height:100%"}
[an attributed link](https://example.org){onclick="alert('click')"} and [a slash link](/\\evil.example/)

```{.python onload="alert('block')"}
code
```
"""


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values.get("src") or "")
            self._in_script = True
        self.handlers += [f"{tag}[{name}]" for name, _ in attrs if name.startswith("on")]
        self.js_urls += [
            f"{tag}[{name}]={value}"
            for name, value in attrs
            if value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:"))
        ]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.scripts[-1] += "inline:" + re.sub(r"\s+", " ", data.strip())


def _scan(page: Path) -> _Page:
    parser = _Page()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for name in ("data", "validation", "templates"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    summary = root / "data/pge/gmr-2026/narrative/summary.md"
    summary.write_text(summary.read_text(encoding="utf-8") + "\n" + HOSTILE, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "gridmod", "stamp", "data/pge/gmr-2026"], cwd=root, check=True, capture_output=True
    )
    result = build(root)
    assert result.published, [f.message for p in result.report.packages for f in p.findings if f.is_open]
    return root


def _normalise(script: str) -> str:
    """Theme scripts differ between pages only by the path from the page to the site's root: relative on
    content pages, root-absolute on the 404 page (served at any depth)."""
    script = re.sub(r"^(\.\./)+|^\./|^/", "", script)
    script = re.sub(r'"((\.\./)*\.\.?/?|/)"', '"REL"', script)
    return re.sub(r'"((\.\./)+|\./|/)(?=assets/)', '"', script)


def _shipped(site: Path, page: Path, src: str) -> bool:
    """A script file the site itself ships under assets/ (theme and self-hosted), never filer content."""
    target = (site / src.lstrip("/") if src.startswith("/") else page.parent / src).resolve()
    return src != "" and (site / "assets") in target.parents and target.is_file()


def test_every_page_has_only_the_themes_scripts(hostile_site: Path) -> None:
    pages = sorted((hostile_site / "site").rglob("*.html"))
    assert len(pages) > 10
    site = hostile_site / "site"
    theme = {_normalise(s) for s in _scan(site / "404.html").scripts if s.startswith("inline:")}
    problems = {}
    for page in pages:
        scan = _scan(page)
        extra = {_normalise(s) for s in scan.scripts if not _shipped(site, page, s)} - theme
        if extra or scan.handlers or scan.js_urls:
            problems[page.relative_to(hostile_site).as_posix()] = (sorted(extra), scan.handlers, scan.js_urls)
    assert problems == {}


def test_the_standalone_reports_have_no_script_and_forbid_one(hostile_site: Path) -> None:
    """reports/<filing>/<utility>.html is mailed and opened anywhere: no handler, script or script URL, no
    style a filer wrote, and a Content-Security-Policy that would stop one."""
    pages = sorted((hostile_site / "reports").rglob("*.html"))
    assert len(pages) >= 8
    problems = {}
    for page in pages:
        scan = _scan(page)
        if scan.scripts or scan.handlers or scan.js_urls:
            problems[page.name] = (scan.scripts, scan.handlers, scan.js_urls)
    assert problems == {}
    html = (hostile_site / "reports/gmr-2026/pge.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in html
    assert "position:fixed" not in html and "tabindex" not in html and "autofocus" not in html
    assert "evil.example" not in re.findall(r'href="([^"]*)"', html).__str__()
    assert "over" in html and "an attributed link" in html  # the text stays, only the markup goes


def test_hostile_narrative_reaches_the_page_as_text(hostile_site: Path) -> None:
    page = (hostile_site / "site/filings/gmr-2026/pge/index.html").read_text(encoding="utf-8")
    assert "#read(&quot;/etc/passwd&quot;)" in page or '#read("/etc/passwd")' in page
    assert "<iframe" not in page and "<svg onload" not in page


def test_typst_code_in_the_narrative_prints_literally(hostile_site: Path) -> None:
    text = "\n".join(p.extract_text() for p in PdfReader(hostile_site / "reports/gmr-2026/pge.pdf").pages)
    assert '#read("/etc/passwd")' in re.sub(r"\s+", " ", text).replace("“", '"').replace("”", '"')
    assert "root:x:0:0" not in text
