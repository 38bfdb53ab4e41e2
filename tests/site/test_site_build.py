"""The built site: every page there, downloads present and linked, SAMPLE everywhere, no third parties."""

from __future__ import annotations

import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from gridmod.site.catalogue import load_profiles, profile_slug, rule_catalogue

from .sitefixtures import REPO

BANNER = "SAMPLE — synthetic data, not a utility&#39;s filing"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <article> (the page's own content)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, dict[str, str | None], bool]] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        self.tags.append((tag, dict(attrs), self.depth > 0))

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1


def parse(page: Path) -> Tags:
    tags = Tags()
    tags.feed(page.read_text(encoding="utf-8"))
    return tags


def links(page: Path) -> list[str]:
    return [a["href"] for tag, a, _ in parse(page).tags if tag == "a" and a.get("href")]


def test_build_time_and_page_count(built_site):
    print(f"\nsite build: {built_site['seconds']:.2f} s, {len(built_site['pages'])} HTML pages")
    assert built_site["seconds"] < 60
    # One page per rule, per profile version (its dictionary and its changes) and per filing, and the
    # site's own pages: never a page per table row.
    profiles = load_profiles(REPO)
    per_spec = len(rule_catalogue(profiles)) + 2 * len(profiles)
    assert len(built_site["pages"]) < per_spec + 5 * len(built_site["built"]) + 40


def test_every_page_exists(built_site):
    out = built_site["out"]
    profiles = load_profiles(REPO)
    expected = ["index.html", "404.html", "rules/index.html", "data-dictionary/index.html"]
    expected += [f"filings/gmr-2026/{u}/index.html" for u in ("pge", "sdge")]
    expected += [f"data-dictionary/{profile_slug(p)}/index.html" for p in profiles]
    expected += [f"rules/{e.slug}/index.html" for e in rule_catalogue(profiles)]
    missing = [p for p in expected if not (out / p).is_file()]
    assert not missing


def test_rule_pages_match_the_urls_findings_link_to(built_site, monkeypatch):
    from gridmod.spec import rule_url

    monkeypatch.setenv("GRIDMOD_SITE_URL", "https://example.org/gridmod/")
    for entry in rule_catalogue(load_profiles(REPO)):
        path = urlsplit(rule_url(entry.code)).path.removeprefix("/gridmod/")
        page = built_site["out"] / path / "index.html"
        assert page.is_file(), entry.code
        text = page.read_text(encoding="utf-8")
        assert entry.code in text and "How to fix it" in text


def test_an_empty_site_address_means_the_local_build(monkeypatch):
    """The publish workflow sets GRIDMOD_SITE_URL from a repository variable, which is empty until set."""
    from gridmod.spec import rule_url

    monkeypatch.setenv("GRIDMOD_SITE_URL", "")
    assert rule_url("GMR-E020") == "site/rules/gmr-e020/"
    monkeypatch.setenv("GRIDMOD_SITE_URL", "https://example.org/gridmod")
    assert rule_url("GMR-E020") == "https://example.org/gridmod/rules/gmr-e020/"


def test_rule_catalogue_lists_every_rule_with_its_fields(built_site):
    index = (built_site["out"] / "rules/index.html").read_text(encoding="utf-8")
    for profile in load_profiles(REPO):
        for code, rule in profile.rules.items():
            assert f'href="{code.lower()}/"' in index, code
            assert rule.phase in index and rule.severity in index
    e012 = (built_site["out"] / "rules/gmr-e012/index.html").read_text(encoding="utf-8")
    assert "<code>status = In Progress</code>" in e012 and "<code>status = in_progress</code>" in e012
    assert "<code>{value}</code> is not an allowed value of <code>{field}</code>." in e012


def test_data_dictionary_has_every_field_with_unit(built_site):
    profile = load_profiles(REPO)[0]
    page = built_site["out"] / f"data-dictionary/{profile_slug(profile)}/index.html"
    text = page.read_text(encoding="utf-8")
    for schema in profile.schemas.values():
        for field in schema["fields"]:
            assert f"<code>{field['name']}</code>" in text, field["name"]
    for field in profile.meta["filing_fields"]:
        assert f"<code>{field['name']}</code>" in text
    row = re.search(r"<td><code>amount_usd</code><br>.*?</tr>", text, re.S).group(0)  # its row of the fields table
    assert "US dollars" in row and "number" in row and "yes" in row


def test_downloads_are_present_and_linked(built_site):
    out = built_site["out"]
    for utility in ("pge", "sdge"):
        folder = out / "filings/gmr-2026" / utility
        hrefs = set(links(folder / "index.html"))
        stem = f"{utility}-gmr-2026"
        names = [f"{stem}.pdf", f"{stem}.docx", f"{stem}-data.zip"]
        names += [
            f"{stem}-{t}.csv" for t in ("categories", "activities", "milestones", "costs", "use_cases", "explanations")
        ]
        for name in names:
            assert (folder / name).is_file(), name
            assert name in hrefs, name
        assert (folder / f"{stem}.pdf").read_bytes() == f"fake pdf of {utility}".encode()
        home = set(links(out / "index.html"))
        assert f"filings/gmr-2026/{utility}/{stem}.pdf" in home
        assert f"filings/gmr-2026/{utility}/" in home


def test_standalone_html_report_is_not_published(built_site):
    # It is the renderer's output, never passed through the sanitiser.
    assert not list(built_site["out"].rglob("*gmr-2026.html"))


def test_report_images_are_copied_beside_the_page(built_site):
    page = built_site["out"] / "filings/gmr-2026/pge"
    assert (page / "figures/costs.svg").is_file()
    assert '<img src="figures/costs.svg" alt="Recorded costs by year">' in (page / "index.html").read_text()


def test_zip_is_the_complete_package(built_site):
    built = built_site["built"][0]
    archive = built_site["out"] / "filings/gmr-2026/pge/pge-gmr-2026-data.zip"
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert "datapackage.json" in names
        assert names == sorted(names)
        descriptor = json.loads(z.read("datapackage.json"))
        assert descriptor["gridmod"]["utility"] == "pge"
        for resource in descriptor["resources"]:
            assert z.read(resource["path"]) == (built.filing.folder / resource["path"]).read_bytes()
        # Besides the package: the descriptor as filed, the note that says what is what, and the defused
        # copies for spreadsheets.
        assert {"datapackage.filed.json", "README.txt"} <= set(names)
        extra = [n for n in names if n.startswith("for-spreadsheets/")]
        assert len(names) == 3 + len(descriptor["resources"]) + len(extra)
        assert {i.date_time for i in z.infolist()} == {(2026, 10, 1, 0, 0, 0)}


def test_sample_banner_on_every_page(built_site):
    for page in built_site["pages"]:
        text = page.read_text(encoding="utf-8")
        assert BANNER in text, page
        assert 'class="md-banner__button' not in text  # cannot be dismissed
    filing = (built_site["out"] / "filings/gmr-2026/pge/index.html").read_text(encoding="utf-8")
    assert '<p class="admonition-title">SAMPLE — synthetic data' in filing


def test_no_third_party_calls(built_site):
    """No Google Fonts, no CDN: every script, style sheet and image comes from the site itself."""
    for page in built_site["pages"]:
        for tag, attrs, _ in parse(page).tags:
            if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
                continue  # names the page's own address; browsers do not fetch it
            for name in ("src", "href"):
                url = attrs.get(name) or ""
                if tag in ("script", "link", "img", "iframe", "source", "video", "audio") and url:
                    assert not urlsplit(url).netloc and not urlsplit(url).scheme, (page, tag, url)
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_hostile_narrative_and_findings_stay_text(built_site):
    """No script, event handler or javascript: URL from the data; the theme's own scripts are outside
    <article> and load from the site."""
    for page in built_site["pages"]:
        for tag, attrs, in_article in parse(page).tags:
            assert not [a for a in attrs if a.lower().startswith("on")], (page, tag, attrs)
            for name in ("href", "src", "action", "formaction", "srcset"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (page, tag, attrs)
            if in_article:
                theirs = page.name == "404.html" and tag == "form"  # the 404 page's search box, the theme's own
                assert theirs or tag not in ("script", "style", "iframe", "object", "embed", "form"), (page, tag)
            if tag == "script" and attrs.get("src"):
                assert "/assets/javascripts/" in urljoin("https://site.example/x/", attrs["src"])
    pge = (built_site["out"] / "filings/gmr-2026/pge/index.html").read_text(encoding="utf-8")
    assert "Field crews said &lt;script&gt;alert(1)&lt;/script&gt; twice." in pge
    assert "<b>34</b>" not in pge and "tracker.example" not in pge and "<iframe" not in pge
    assert "Storm season &lt;script&gt;alert(1)&lt;/script&gt; added crews." in pge


def test_search_index_keeps_markup_escaped(built_site):
    # Material's search shows result text as HTML: narrative markup must arrive there as entities.
    index = json.loads((built_site["out"] / "search/search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert "<script" not in doc["text"] and "<iframe" not in doc["text"], doc
        assert not re.search(r"<[^>]*\son\w+\s*=", doc["text"]), doc
    texts = " ".join(doc["text"] for doc in index["docs"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in texts


def test_report_outline_links_to_report_headings(built_site):
    page = built_site["out"] / "filings/gmr-2026/pge/index.html"
    text = page.read_text(encoding="utf-8")
    anchors = [h[1:] for h in links(page) if h.startswith("#report-")]
    assert anchors, "the report's contents list is missing"
    for anchor in anchors:
        assert f'id="{anchor}"' in text
    assert '<div class="admonition note">' in text  # a Quarto callout became an admonition
    assert "{{&lt;" not in text and "#pagebreak()" not in text  # Quarto/Typst-only content dropped


def test_search_ranks_reference_pages_below_the_filings(built_site):
    index = json.loads((built_site["out"] / "search/search_index.json").read_text(encoding="utf-8"))
    boosts = {d["location"].split("#")[0]: d.get("boost") for d in index["docs"]}
    rules = [loc for loc in boosts if loc.startswith("rules/")]
    dictionary = [loc for loc in boosts if loc.startswith("data-dictionary/")]
    assert rules and dictionary and all(boosts[loc] == 0.5 for loc in rules + dictionary)
    filings = [loc for loc in boosts if loc.startswith("filings/")]
    assert filings and all(boosts[loc] is None for loc in filings)
