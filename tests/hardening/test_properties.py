"""Property tests: what a filer writes in a CSV cell is what the tools read back, and no input to the
site's sanitiser comes out as executable markup."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridmod.site.report import sanitize
from gridmod.tables import read_table

SCHEMA = {
    "fields": [
        {"name": "key", "type": "string"},
        {"name": "text", "type": "string"},
        {"name": "amount", "type": "number"},
    ]
}
# What a spreadsheet can hold in a text cell: any character but NUL; CR alone is normalised by CSV readers.
CELL = st.text(st.characters(blacklist_characters="\x00\r", blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(CELL.filter(lambda s: s != ""), min_size=1, max_size=8),
    amounts=st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=8, max_size=8),
)
def test_csv_cells_round_trip(tmp_path: Path, cells: list[str], amounts: list[float]) -> None:
    path = tmp_path / "table.csv"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["key", "text", "amount"])
    for number, (cell, amount) in enumerate(zip(cells, amounts, strict=False)):
        writer.writerow([f"k{number}", cell, repr(amount)])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    rows = read_table(path, SCHEMA)
    assert [r["text"] for r in rows] == cells
    assert [r["amount"] for r in rows] == amounts[: len(cells)]
    starts = [r["_line"] for r in rows]
    assert starts[0] == 2 and starts == sorted(starts)


class _Executable(HTMLParser):
    """Collects anything in sanitised HTML that a browser could run."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "object", "embed", "style", "form", "base", "meta", "link", "svg", "math"}:
            self.problems.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"{tag}[{name}]")
            if value and name in {"href", "src", "action", "xlink:href", "poster", "background"}:
                compact = re.sub(r"[\x00-\x20]", "", value).lower()
                if (
                    not compact.startswith(("http:", "https:", "mailto:", "#", "/", "./", "../"))
                    and ":" in compact.split("/")[0]
                ):
                    self.problems.append(f"{tag}[{name}={value}]")


TAGS = st.sampled_from(
    [
        "script",
        "img",
        "a",
        "iframe",
        "svg",
        "p",
        "div",
        "table",
        "math",
        "style",
        "object",
        "details",
        "form",
        "input",
        "base",
        "span",
    ]
)
ATTRS = st.sampled_from(
    [
        "onerror",
        "onload",
        "onclick",
        "href",
        "src",
        "style",
        "class",
        "id",
        "srcdoc",
        "formaction",
        "xlink:href",
        "data-x",
    ]
)
VALUES = st.sampled_from(
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "https://example.org/",
        "#top",
        "alert(1)",
        "&#106;avascript:alert(1)",
        " javascript:alert(1)",
    ]
)


@st.composite
def hostile_html(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        tag = draw(TAGS)
        attrs = " ".join(f'{draw(ATTRS)}="{draw(VALUES)}"' for _ in range(draw(st.integers(0, 3))))
        parts.append(f"<{tag} {attrs}>{draw(st.text(max_size=20))}</{tag}>")
    return draw(st.text(max_size=10)).join(parts)


@settings(max_examples=400)
@given(hostile_html())
def test_sanitiser_output_is_never_executable(fragment: str) -> None:
    parser = _Executable()
    parser.feed(sanitize(fragment))
    parser.close()
    assert parser.problems == []
