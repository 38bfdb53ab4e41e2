"""A reader's way through the sample site in headless Chromium: home, a filing, its downloads, the
comparison, search and a table filter, plus the print stylesheet and keyboard access to wide tables."""

from __future__ import annotations

import csv
import io
from urllib.parse import urljoin, urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

FETCH = """
const [url, done] = arguments;
fetch(url).then(async r => done({status: r.status, type: r.headers.get("content-type"),
                                  head: Array.from(new Uint8Array(await r.arrayBuffer()).slice(0, 400))}))
          .catch(e => done({error: String(e)}));
"""


def fetch(driver, url: str) -> dict:
    """GET from inside the page, as the browser does when a reader clicks a download link."""
    return driver.execute_async_script(FETCH, url)


def click(driver, element) -> None:
    """Click as a reader does, with the element in the middle of the screen, clear of the sticky header."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def visible_rows(table) -> list:
    return [r for r in table.find_elements(By.CSS_SELECTOR, "tbody tr") if r.is_displayed()]


def test_home_filing_downloads_compare_search_filter(driver, server):
    wait = WebDriverWait(driver, 20)
    driver.get(server)
    assert "Grid modernization filings" in driver.find_element(By.TAG_NAME, "h1").text
    calendar = driver.find_element(By.XPATH, "//h2[@id='filing-calendar']/following::table[1]")
    assert "valid" in calendar.text and "upcoming" in calendar.text
    ics = fetch(driver, urljoin(server, "calendar.ics"))
    assert ics["status"] == 200 and ics["type"].startswith("text/calendar")
    assert bytes(ics["head"]).startswith(b"BEGIN:VCALENDAR\r\n")

    # home -> PG&E's filing, by the link a reader sees in the filings table
    row = driver.find_element(By.XPATH, "//td[normalize-space()='Pacific Gas and Electric Company']/..")
    assert "gmr-2026" in row.text
    click(driver, row.find_element(By.LINK_TEXT, "Read online"))
    wait.until(EC.url_contains("/filings/gmr-2026/pge/"))
    assert "PG&E" in driver.find_element(By.TAG_NAME, "h1").text

    # its PDF and a CSV, from the links on the page
    pdf = driver.find_element(By.LINK_TEXT, "Report (PDF)").get_attribute("href")
    got = fetch(driver, pdf)
    assert got["status"] == 200 and got["type"] == "application/pdf", got.get("type")
    assert bytes(got["head"]).startswith(b"%PDF-")
    link = driver.find_element(By.CSS_SELECTOR, "a[href$='pge-gmr-2026-costs.csv']")
    got = fetch(driver, link.get_attribute("href"))
    assert got["status"] == 200 and got["type"].startswith("text/csv"), got.get("type")
    header = next(csv.reader(io.StringIO(bytes(got["head"]).decode("utf-8", "replace"))))
    # the columns of the table as filed (profile gmr-appendix-a 1.1)
    assert header == ["activity_id", "year", "cost_type", "basis", "amount_usd", "authorized_usd", "recorded_through"]
    xlsx = driver.find_element(By.CSS_SELECTOR, "a[href$='pge-gmr-2026-costs.xlsx']").get_attribute("href")
    got = fetch(driver, xlsx)
    assert got["status"] == 200 and "spreadsheetml" in got["type"]

    # the milestone timeline is an image that loaded
    timeline = driver.find_element(By.CSS_SELECTOR, "img[src='milestone-timeline.svg']")
    assert "milestones" in timeline.get_attribute("alt")
    driver.execute_script("arguments[0].scrollIntoView()", timeline)
    wait.until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", timeline))

    # -> the comparison, from the filing page
    click(driver, driver.find_element(By.LINK_TEXT, "Compare this filing"))
    wait.until(EC.url_contains("/compare/gmr-2026/"))
    charts = driver.find_elements(By.CSS_SELECTOR, ".gridmod-chart img")
    assert len(charts) >= 10
    for chart in charts:
        driver.execute_script("arguments[0].scrollIntoView()", chart)
        wait.until(
            lambda d, c=chart: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", c)
        )
        assert chart.get_attribute("alt")
    for name in ("PG&E", "SCE", "SDG&E"):
        assert name in driver.find_element(By.ID, "category-a").find_element(By.XPATH, "following::table[1]").text

    # search "DERMS" finds the report pages
    driver.execute_script("window.scrollTo(0, 0)")
    search = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    search.click()
    search.send_keys("DERMS")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".md-search-result__item")))
    links = {
        urlsplit(a.get_attribute("href")).path
        for a in driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item a.md-search-result__link")
    }
    for utility in ("pge", "sce", "sdge"):
        assert f"/filings/gmr-2026/{utility}/" in links, links
    search.send_keys(Keys.ESCAPE)

    # filter a table: the milestones of PG&E's filing
    driver.get(urljoin(server, "filings/gmr-2026/pge/"))
    box = driver.find_element(By.CSS_SELECTOR, "input[data-gridmod-filter-input]")
    table = box.find_element(By.XPATH, "following::table[1]")
    total = len(visible_rows(table))
    box.send_keys("DERMS delayed")
    shown = visible_rows(table)
    assert 0 < len(shown) < total
    for row in shown:
        assert "DERMS" in row.text and "Delayed" in row.text
    status = box.find_element(By.XPATH, "following-sibling::*[@role='status']").text
    assert status == f"Showing {len(shown)} of {total} rows"
    box.clear()
    box.send_keys(Keys.SPACE, Keys.BACKSPACE)
    assert len(visible_rows(table)) == total


def test_sorting_a_column(driver, server):
    driver.get(urljoin(server, "filings/gmr-2026/pge/"))
    box = driver.find_element(By.CSS_SELECTOR, "input[data-gridmod-filter-input]")
    table = box.find_element(By.XPATH, "following::table[1]")
    header = table.find_element(By.XPATH, ".//th[contains(., 'Slip (days)')]")
    click(driver, header.find_element(By.TAG_NAME, "button"))
    assert header.get_attribute("aria-sort") == "ascending"
    cells = [r.find_elements(By.TAG_NAME, "td")[-1].text for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    numbers = [int(c.replace(",", "")) for c in cells if c not in ("—", "")]
    assert numbers == sorted(numbers) and len(numbers) > 5
    click(driver, header.find_element(By.TAG_NAME, "button"))
    assert header.get_attribute("aria-sort") == "descending"


def test_wide_tables_are_keyboard_scrollable_and_named(driver, server):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True}
    )
    try:
        driver.get(urljoin(server, "compare/gmr-2026/"))
        driver.execute_script("window.dispatchEvent(new Event('resize'))")
        regions = driver.find_elements(By.CSS_SELECTOR, ".gridmod-table")
        assert regions
        WebDriverWait(driver, 5).until(
            lambda d: all(
                d.execute_script(
                    "const r = arguments[0]; return (r.scrollWidth > r.clientWidth + 1) === r.hasAttribute('tabindex')",
                    r,
                )
                for r in regions
            )
        )
        for region in regions:
            assert region.get_attribute("role") == "region"
            assert region.get_attribute("aria-label").startswith("Table")
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_print_stylesheet_hides_controls_and_keeps_the_sample_notice(driver, server):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        driver.get(urljoin(server, "filings/gmr-2026/pge/"))
        assert not driver.find_element(By.CSS_SELECTOR, ".gridmod-table-tools").is_displayed()
        assert driver.find_element(By.CSS_SELECTOR, ".md-banner").is_displayed()
        assert not driver.find_element(By.CSS_SELECTOR, ".md-sidebar--primary").is_displayed()
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
