"""Charts: well-formed SVG with a text alternative, drawn from the data in the table beside them; the table
post-processor: header scopes and named scroll regions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from gridmod.site.accessible import accessible_tables
from gridmod.site.charts import (
    MILESTONE_SEGMENTS,
    TimelineMilestone,
    YearAmounts,
    cost_chart,
    milestone_kind,
    nice_step,
    short_usd,
    status_chart,
    timeline_chart,
)
from gridmod.site.tabular import Column, DataTable

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    return root


def test_cost_chart_shows_every_year_and_utility_on_one_scale():
    panels = [
        ("PG&E", [YearAmounts(2024, 14e6, None, 12e6), YearAmounts(2026, None, 9e6, None)]),
        ("SCE", [YearAmounts(2025, 3e6, None, 3.5e6)]),
    ]
    chart = cost_chart("costs-a.svg", "a. Grid Management Systems", panels)
    root = parse(chart.svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"PG&E", "SCE", "2024", "2025", "2026", "Recorded", "Forecast", "GRC-authorized"} <= set(texts)
    assert "$15M" in texts  # axis top: the first round step above the largest value
    assert chart.table.rows == [
        ["PG&E", "2024", "$14,000,000", "—", "$12,000,000"],
        ["PG&E", "2026", "—", "$9,000,000", "—"],
        ["SCE", "2025", "$3,000,000", "—", "$3,500,000"],
    ]
    assert "PG&E: $14M recorded, $9M forecast" in chart.alt and "table" in chart.alt
    assert chart.width == int(root.get("width")) and chart.height == int(root.get("height"))
    narrow = parse(chart.narrow[0])  # stacked panels for a phone, each with its axis
    assert chart.narrow[1] == int(narrow.get("width")) == 360 and chart.narrow[2] > chart.height
    assert [t.text for t in narrow.iter(f"{SVG}text")].count("$15M") == 2
    assert cost_chart("x.svg", "nothing", [("PG&E", [])]) is None


def test_status_chart_counts_and_labels():
    chart = status_chart(
        "m.svg",
        "Milestones achieved and slipped",
        "all categories",
        MILESTONE_SEGMENTS,
        [("PG&E", {"on_time": 3, "late": 2}), ("SCE", {"delayed": 1})],
        "milestones",
    )
    root = parse(chart.svg)
    assert [c.label for c in chart.table.columns] == [
        "Utility",
        "Achieved on time",
        "Achieved late",
        "Delayed",
        "Total",
    ]
    assert chart.table.rows == [["PG&E", "3", "2", "0", "5"], ["SCE", "0", "0", "1", "1"]]
    assert "PG&E: 3 achieved on time, 2 achieved late; SCE: 1 delayed" in chart.alt
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "Cancelled" not in labels  # the legend lists only what occurs


def test_timeline_marks_and_table():
    milestones = [
        TimelineMilestone("ADMS", "In service", "achieved", date(2025, 6, 30), date(2025, 8, 4), None, 35),
        TimelineMilestone("ADMS", "VVO", "delayed", date(2026, 6, 30), None, date(2026, 12, 15), 168),
        TimelineMilestone("DERMS", "Pilot", "cancelled", date(2025, 1, 31), None, None, None),
        TimelineMilestone("DERMS", "Go-live", "on_track", date(2027, 3, 1), None, date(2027, 3, 1), 0),
    ]
    assert [milestone_kind(m) for m in milestones] == ["late", "delayed", "cancelled", "on_track"]
    chart = timeline_chart("t.svg", "PG&E's filing gmr-2026", milestones, date(2026, 10, 1))
    root = parse(chart.svg)
    assert "filed 2026-10-01" in [t.text for t in root.iter(f"{SVG}text")]
    assert chart.table.filterable and chart.table.rows[1] == [
        "ADMS",
        "VVO",
        "Delayed",
        "2026-06-30",
        "2026-12-15",
        "168",
    ]
    assert "4 milestones" in chart.alt and "1 achieved late, 1 on track, 1 delayed, 1 cancelled" in chart.alt


def test_round_numbers():
    assert [nice_step(v) for v in (9, 16e6, 430e6, 0)] == [2.5, 5e6, 200e6, 1.0]
    assert [short_usd(v) for v in (0, 999, 12_500, 16e6, 1.25e9, -5.25)] == [
        "$0",
        "$999",
        "$12.5k",
        "$16M",
        "$1.2B",
        "-$5",
    ]


def test_data_table_html_escapes_and_scopes():
    table = DataTable("Costs <b>", [Column("Utility"), Column("USD", numeric=True)], [["<PG&E>", "$1"]])
    html = str(table.html())
    assert "<caption>Costs &lt;b&gt;</caption>" in html
    assert '<th scope="col">Utility</th><th scope="col" style="text-align: right;">USD</th>' in html
    assert '<th scope="row">&lt;PG&amp;E&gt;</th><td style="text-align: right;">$1</td>' in html


def test_tables_get_scopes_and_a_named_region():
    page = (
        '<h2 id="x">Key figures<a class="headerlink" href="#x">¶</a></h2>'
        '<table><thead><tr><th>A</th><th style="text-align: right;">B</th></tr></thead>'
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
        '<table><caption>Costs &amp; more</caption><thead><tr><th scope="col">C</th></tr></thead>'
        '<tbody><tr><th scope="row">r</th></tr></tbody></table>'
    )
    out = accessible_tables(page)
    assert out.count('<div class="gridmod-table" role="region"') == 2
    assert 'aria-label="Table: Key figures" tabindex="0"><table><thead><tr><th scope="col">A</th>' in out
    assert '<th scope="col" style="text-align: right;">B</th>' in out
    assert 'aria-label="Table: Costs &amp; more"' in out
    assert '<th scope="row">r</th>' in out and 'scope="col" scope' not in out
    assert "<thead scope" not in out and accessible_tables("<p>no table</p>") == "<p>no table</p>"


def test_a_control_or_direction_character_keeps_the_chart_well_formed():
    """XML cannot hold a control character: written as its code point, the chart still parses and shows it."""
    import xml.etree.ElementTree as ElementTree

    milestones = [
        TimelineMilestone("ADMS", "Go-live\x01 \u202eevil", "on_track", date(2027, 3, 1), None, date(2027, 3, 1), 0)
    ]
    chart = timeline_chart("t.svg", "PG&E's filing gmr-2026", milestones, date(2026, 10, 1))
    assert chart is not None
    root = ElementTree.fromstring(chart.svg)
    text = "".join(root.itertext())
    assert "Go-live[U+0001] [U+202E]evil" in text and "\x01" not in chart.svg and "\u202e" not in chart.svg


def test_permalinks_leave_the_tab_order_and_pages_with_tables_give_up_the_right_contents():
    from types import SimpleNamespace

    from gridmod.site.accessible import AccessibleTables

    page = '<h2 id="x">X<a class="headerlink" href="#x" title="Permanent link">¶</a></h2><table></table>'
    out = accessible_tables(page)
    assert '<a class="headerlink" tabindex="-1" href="#x"' in out and out.count('tabindex="-1"') == 1
    assert accessible_tables(out).count('tabindex="-1"') == 1  # once only
    with_table, text_only = SimpleNamespace(meta={}), SimpleNamespace(meta={"hide": ["navigation"]})
    AccessibleTables().on_page_content(page, page=with_table)
    AccessibleTables().on_page_content("<h2>Words</h2><p>no table</p>", page=text_only)
    assert with_table.meta["hide"] == ["toc"] and text_only.meta["hide"] == ["navigation"]
