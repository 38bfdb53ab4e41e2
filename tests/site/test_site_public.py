"""What issue 5 asks of the public site, checked on the built fixture site: comparison and charts, calendar,
downloads in three formats with formulas defused, rule examples, accessible tables, the sections hook."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import icalendar
import pyarrow.parquet as pq
from openpyxl import load_workbook

from gridmod.site import build_site
from gridmod.site.catalogue import load_profiles
from gridmod.site.sections import SECTIONS, register_section

from .sitefixtures import REPO, make_built
from .test_site_build import links, parse

TABLES = ("categories", "activities", "milestones", "costs", "use_cases", "explanations")


def test_compare_page_has_every_category_with_charts_beside_their_tables(built_site):
    page = built_site["out"] / "compare/gmr-2026/index.html"
    text = page.read_text(encoding="utf-8")
    profile = load_profiles(REPO)[0]
    for c in profile.categories:
        assert f'id="category-{c["id"]}"' in text, c["id"]
    for name in ("PG&amp;E", "SDG&amp;E"):
        assert name in text
    charts = re.findall(r'<div class="gridmod-chart">(.*?)</div>\s*</div>', text, re.S)
    assert len(charts) >= 6
    for chart in charts:
        img = re.search(r'<img src="([^"]+)" alt="([^"]+)"', chart)
        assert img and (page.parent / img.group(1)).is_file() and len(img.group(2)) > 40
        assert "<figcaption>" in chart and "<caption>" in chart and 'scope="row"' in chart
    assert "Field area network" in text and "Completed" in text  # activities and their status
    assert "Achieved late" in text or "Achieved on time" in text
    assert "GRC-authorized" in text


def test_every_image_on_every_page_exists(built_site):
    out = built_site["out"]
    for page in built_site["pages"]:
        for tag, attrs, _ in parse(page).tags:
            if tag == "img" and attrs.get("src"):  # the sanitiser drops outside addresses, leaving no src
                target = (page.parent / attrs["src"]).resolve()
                assert target.is_file() and out.resolve() in target.parents, (page, attrs["src"])
                assert attrs.get("alt"), (page, attrs["src"])
            if tag == "source" and attrs.get("srcset"):  # the narrow variant of a chart
                assert (page.parent / attrs["srcset"]).is_file(), (page, attrs["srcset"])
                assert attrs.get("media") == "(max-width: 40em)"


def test_every_header_cell_has_a_scope_and_every_table_a_named_region(built_site):
    for page in built_site["pages"]:
        html = page.read_text(encoding="utf-8")
        for th in re.findall(r"<th(?:\s[^>]*)?>", html):
            assert re.search(r'\sscope="(col|row)"', th), (page, th)
        tables = html.count("<table")
        regions = re.findall(r'<div class="gridmod-table" role="region" aria-label="Table: [^"]+" tabindex="0">', html)
        assert tables == len(regions), page


def test_home_has_the_calendar_and_its_feed(built_site):
    out = built_site["out"]
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="filing-calendar"' in home and "calendar.ics" in links(out / "index.html")
    calendar = re.search(r'id="filing-calendar".*?(<table.*?</table>)', home, re.S).group(1)
    gmr = re.search(r"<tr>\s*<td>2026-10-01 \(proposed\)</td>.*?</tr>", calendar, re.S).group(0)
    assert gmr.count("<strong>valid</strong>") == 2  # the fixture publishes pge and sdge
    assert "<td>received, not published</td>" in gmr  # data/sce/gmr-2026 is in the repository, not built here
    ica = re.search(r"<tr>\s*<td>2026-07-31</td>.*?</tr>", calendar, re.S).group(0)
    for utility in ("pge", "sce", "sdge"):  # the site is built without ICA filings, for this repository
        folder = REPO / "data" / utility / "ica-2026-h2"
        expected = "received, not published" if folder.is_dir() else "<strong>missing</strong>"
        assert ica.count(f"<td>{expected}</td>") >= 1, utility
    assert "Grid Modernization Report to the Governor and Legislature" in calendar
    ics = (out / "calendar.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and b"UID:gmr-2026@gridmod.r21-06-017" in ics
    feed = {str(e["uid"]).split("@")[0]: e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
    for uid in ("comments-2026-04-13", "reply_comments-2026-04-20", "workshop-2026-04-29", "series_end-2029-05-06"):
        assert "Source: " in str(feed[uid]["description"]), uid
    dates = re.search(r'id="proceeding-dates".*?(<table.*?</table>)', home, re.S).group(1)
    assert "<td>to be set</td>" in dates and "TSO-DSO coordination workshop with CAISO" in dates
    assert "D.24-10-030 OP 35" in dates and "ordering paragraph 2" in dates
    assert "Statewide, the 2 filings" in home


def test_each_table_downloads_as_csv_xlsx_and_parquet(built_site):
    folder = built_site["out"] / "filings/gmr-2026/pge"
    hrefs = set(links(folder / "index.html"))
    for table in TABLES:
        for suffix in ("csv", "xlsx", "parquet"):
            name = f"pge-gmr-2026-{table}.{suffix}"
            assert (folder / name).is_file() and name in hrefs, name
    rows = list(csv.reader(io.StringIO((folder / "pge-gmr-2026-use_cases.csv").read_text(encoding="utf-8"))))
    assert ["field-area-network", "uc2", "planned", '\'=HYPERLINK("http://x")', "", "", ""] in rows
    assert [
        "adms-phase-2",
        "uc1",
        "current",
        "Fault location, isolation and service restoration",
        "customer minutes of interruption avoided",
        "1200000",
        "minutes",
    ] in rows
    sheet = load_workbook(folder / "pge-gmr-2026-use_cases.xlsx").active
    cell = next(c for c in sheet["D"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix
    assert sheet["F2"].value == 1200000
    costs = pq.read_table(folder / "pge-gmr-2026-costs.parquet").to_pydict()
    assert costs["amount_usd"][0] == 14000000.0 and costs["authorized_usd"][2] is None
    with zipfile.ZipFile(folder / "pge-gmr-2026-data.zip") as z:  # the package itself stays as filed ...
        assert b'"=HYPERLINK(""http://x"")"' in z.read("use_cases.csv")
        # ... beside a defused copy for spreadsheets, and a note that says which is which
        assert b'"\'=HYPERLINK(""http://x"")"' in z.read("for-spreadsheets/use_cases.csv")
        assert "for-spreadsheets/costs.csv" not in z.namelist()
        assert "copies of those tables (use_cases.csv)" in z.read("README.txt").decode()


def test_filing_page_has_a_milestone_timeline_and_links_to_the_comparison(built_site):
    folder = built_site["out"] / "filings/gmr-2026/pge"
    text = (folder / "index.html").read_text(encoding="utf-8")
    assert (folder / "milestone-timeline.svg").is_file()
    assert re.search(r'<img src="milestone-timeline.svg" alt="Timeline of the 3 milestones', text)
    assert "<table data-gridmod-filter" in text and "DERMS integration" in text
    assert "../../../compare/gmr-2026/" in links(folder / "index.html")


def test_every_rule_page_has_an_example_and_says_where_it_applies(built_site):
    profile = next(p for p in load_profiles(REPO) if p.name == "gmr-appendix-a")
    for code in profile.rules:
        text = (built_site["out"] / f"rules/{code.lower()}/index.html").read_text(encoding="utf-8")
        assert "<dt>Wrong</dt>" in text and "<dt>Right</dt>" in text, code
        assert re.search(r"<strong>Applies to:</strong> <a href=\"../../data-dictionary/", text), code
    e020 = (built_site["out"] / "rules/gmr-e020/index.html").read_text(encoding="utf-8")
    assert "<code>costs.csv amount_usd</code> (minimum)" in e020
    assert "<code>amount_usd = -5.25</code>" in e020


def test_long_tables_are_marked_for_the_filter_script(built_site):
    out = built_site["out"]
    rules = (out / "rules/index.html").read_text(encoding="utf-8")
    assert '<div class="gridmod-filterable">' in rules
    for page in built_site["pages"]:
        assert 'src="' in page.read_text(encoding="utf-8") and "gridmod-tables.js" in page.read_text(encoding="utf-8")
    script = (out / "assets/javascripts/gridmod-tables.js").read_text(encoding="utf-8")
    assert "fetch(" not in script and "http" not in script.replace("https://", "")  # no network


def test_a_registered_section_adds_pages_and_navigation(tmp_path):
    def extra(context):
        context.page("extra/index.md", "rules.md.j2", **{"profiles": [], "filings": [], "rule_codes": set()})
        (context.docs / "extra/data.txt").write_text(context.as_of.isoformat(), encoding="utf-8")
        return [{"Extra pages": "extra/index.md"}]

    register_section(extra)
    register_section(extra)
    try:
        assert SECTIONS.count(extra) == 1
        built = [make_built(tmp_path, "pge")]
        build_site(REPO, built, tmp_path / "reports", tmp_path / "out")
    finally:
        SECTIONS.remove(extra)
    out = tmp_path / "out"
    assert (out / "extra/index.html").is_file() and (out / "extra/data.txt").read_text() == "2026-10-01"
    assert "Extra pages" in (out / "index.html").read_text(encoding="utf-8")


def test_every_generated_file_is_the_same_on_a_rebuild(built_site, tmp_path):
    """Same input, same bytes: downloads, charts, calendar (the pages differ only by MkDocs' own output)."""
    built = built_site["built"]
    build_site(REPO, built, built_site["work"] / "reports", tmp_path / "again")
    first, second = built_site["out"], tmp_path / "again"
    for path in sorted(first.rglob("*")):
        if path.suffix in (".csv", ".xlsx", ".parquet", ".zip", ".svg", ".ics"):
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path
