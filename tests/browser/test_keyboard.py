"""Keyboard and focus: tabbing through a page shows a ring on every control, never leaves the focused control
under the sticky header (or under a table's sticky column headers), and skips the '¶' permalinks; the 404
page helps a reader on (search, home, the main pages) and passes axe-core."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .test_every_page import AXE_RUN
from .test_journey import fetch
from .test_layout import DESKTOP, PHONE, measure

FOCUSED = """
const e = document.activeElement;
if (!e || e === document.body) return null;
const s = getComputedStyle(e), r = e.getBoundingClientRect();
let covered = document.querySelector(".md-header").getBoundingClientRect().bottom;
const region = e.closest(".gridmod-table--fits");
const stuck = region && !e.closest("thead") ? region.querySelector("thead th") : null;  // the cells are sticky
if (stuck) covered = Math.max(covered, stuck.getBoundingClientRect().bottom);
return {tag: e.tagName.toLowerCase(), cls: String(e.className || ""), text: (e.textContent || e.value || "").trim().slice(0, 40),
        key: e.tagName + "|" + (e.id || "") + "|" + (e.getAttribute("href") || "") + "|" + Math.round(r.top + scrollY) + "|" + Math.round(r.left),
        outline: s.outlineStyle, width: parseFloat(s.outlineWidth), top: r.top, bottom: r.bottom, covered,
        window: innerHeight, inContent: !!e.closest(".md-content"), inTable: !!e.closest("table"),
        permalink: e.classList.contains("headerlink"), filter: e.hasAttribute("data-gridmod-filter-input"),
        sort: e.classList.contains("gridmod-sort")};
"""


def walk(driver, steps: int, backwards: bool = False) -> list[dict]:
    """Press Tab (or Shift+Tab) as a reader does and describe each control that gets the focus."""
    seen: list[dict] = []
    keys = set()
    for _ in range(steps):
        chain = ActionChains(driver)
        if backwards:
            chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            chain.send_keys(Keys.TAB)
        chain.perform()
        focused = driver.execute_script(FOCUSED)
        if focused is None or focused["key"] in keys:
            break
        keys.add(focused["key"])
        seen.append(focused)
    return seen


def problems_of(stops: list[dict]) -> list[str]:
    problems = []
    for f in stops:
        name = f"{f['tag']}.{f['cls'][:40]} '{f['text']}'"
        if f["outline"] == "none" or f["width"] < 2:
            problems.append(f"{name}: no focus ring (outline {f['outline']} {f['width']} px)")
        if f["permalink"]:
            problems.append(f"{name}: a '¶' permalink is in the tab order")
        if f["inContent"] and (f["top"] < f["covered"] - 0.5 or f["bottom"] > f["window"] + 0.5):
            problems.append(f"{name}: at {f['top']:.0f}-{f['bottom']:.0f} px, covered to {f['covered']:.0f} px")
    return problems


@pytest.fixture
def desktop(driver):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", DESKTOP)
    yield driver
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize(
    ("page", "filter_box", "links_in_rows"),
    [
        ("filings/gmr-2026/pge/", True, True),
        ("compare/gmr-2026/", False, False),
        ("ica/feeders/", True, False),
        ("rules/", True, True),  # long tables of links: backing up through them meets their sticky headers
    ],
)
def test_tabbing_shows_a_ring_keeps_focus_clear_of_the_header_and_skips_permalinks(
    desktop, server, page, filter_box, links_in_rows
):
    measure(desktop, urljoin(server, page))
    forward = walk(desktop, 400)
    assert len(forward) > 20
    assert any(f["tag"] == "a" and f["inContent"] for f in forward)
    assert any(f["filter"] for f in forward) == filter_box and any(f["sort"] for f in forward) == filter_box
    # back up through the page, into tables from below, where their sticky column headers are
    backward = walk(desktop, 120, backwards=True)
    assert any(f["inTable"] and not f["sort"] for f in backward) == links_in_rows
    problems = problems_of(forward) + problems_of(backward)
    assert not problems, f"{page}:\n" + "\n".join(problems)


def test_tabbing_on_a_phone_keeps_focus_clear_of_the_header(driver, server):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        measure(driver, urljoin(server, "ica/feeders/"))
        stops = walk(driver, 60)
        assert any(f["sort"] for f in stops) and any(f["filter"] for f in stops)
        assert not problems_of(stops + walk(driver, 30, backwards=True))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_404_page_offers_search_home_and_the_main_pages(desktop, server, axe_source):
    driver = desktop
    missing = urljoin(server, "filings/gmr-2019/pge/costs/")
    driver.get(missing)
    assert fetch(driver, missing)["status"] == 404
    assert driver.find_element(By.TAG_NAME, "h1").text == "Page not found"
    # the theme's files load at this depth: the page is styled, not bare
    assert driver.execute_script("return getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    article = driver.find_element(By.CSS_SELECTOR, "article")
    hrefs = {urlsplit(a.get_attribute("href")).path for a in article.find_elements(By.TAG_NAME, "a")}
    for path in (
        "/",
        "/filings/gmr-2026/pge/",
        "/filings/gmr-2026/sce/",
        "/filings/gmr-2026/sdge/",
        "/compare/gmr-2026/",
        "/ica/feeders/",
        "/rules/",
        "/data-dictionary/",
    ):
        assert path in hrefs, (path, hrefs)
    for path in hrefs:
        assert fetch(driver, urljoin(server, path))["status"] == 200, path
    driver.execute_script(axe_source)
    violations = driver.execute_async_script(AXE_RUN)
    assert not violations, violations

    # searching from the 404 page opens the site's search with the words and its results
    box = article.find_element(By.CSS_SELECTOR, "form[role=search] input[name=q]")
    assert box.get_attribute("id") and article.find_element(By.CSS_SELECTOR, f"label[for={box.get_attribute('id')}]")
    box.send_keys("DERMS", Keys.ENTER)
    wait = WebDriverWait(driver, 20)
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".md-search-result__item")))
    assert urlsplit(driver.current_url).path == "/"
    assert driver.find_element(By.CSS_SELECTOR, "input.md-search__input").get_attribute("value") == "DERMS"
