"""Tables fit the screen: on a desktop (1280 px) and on a phone (375 px) no table of any page is wider than
its container and no page is wider than the window; on a phone a wide table shows one block per row and
stays a table for screen readers; tables that fit keep their column headers in view; the HTML report
reflows on a phone with its SAMPLE flag in view."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from .test_every_page import AXE_RUN

PHONE = {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True}
DESKTOP = {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}

# Each table's container (its region) against the table's content, once gridmod-tables.js has laid it out.
MEASURE = """
const regions = Array.from(document.querySelectorAll(".gridmod-table"));
const laidOut = regions.every(r => !r.querySelector("table") ||
  r.classList.contains("gridmod-table--fits") || r.classList.contains("gridmod-table--stacked"));
const tables = Array.from(document.querySelectorAll("table")).map(t => {
  const box = t.closest(".gridmod-table") || t.parentElement;
  return {name: box.getAttribute("aria-label") || (t.caption || {}).textContent || "table",
          scroll: box.scrollWidth, client: box.clientWidth, inRegion: box.classList.contains("gridmod-table")};
});
return {laidOut, tables, width: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
        window: window.innerWidth,
        permalinks: Array.from(document.querySelectorAll("a.headerlink")).filter(a => a.tabIndex !== -1).length};
"""


def measure(driver, url: str) -> dict:
    driver.get(url)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(MEASURE)["laidOut"])
    return driver.execute_script(MEASURE)


@pytest.fixture
def phone(driver):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    yield driver
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("metrics", [DESKTOP, PHONE], ids=["1280px", "375px"])
def test_no_table_is_wider_than_its_container_and_no_page_wider_than_the_window(driver, server, pages, metrics):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        problems, tables = [], 0
        for page in pages:
            got = measure(driver, urljoin(server, page))
            tables += len(got["tables"])
            if got["width"] > metrics["width"] or got["window"] != metrics["width"]:
                problems.append(f"{page}: the page is {got['width']} px wide in a {metrics['width']} px window")
            for t in got["tables"]:
                if not t["inRegion"]:
                    problems.append(f"{page}: {t['name']} is not in a table region")
                if t["scroll"] > t["client"]:
                    problems.append(f"{page}: {t['name']} is {t['scroll']} px wide in {t['client']} px")
            if got["permalinks"]:
                problems.append(f"{page}: {got['permalinks']} '¶' permalinks are in the tab order")
        assert tables > 250
        assert not problems, f"{len(problems)} problems at {metrics['width']} px:\n" + "\n".join(problems)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def ax_role(driver, element) -> str:
    """The role Chromium's accessibility tree gives the element: what a screen reader is told."""
    driver.execute_script("arguments[0].setAttribute('data-ax-probe', '1')", element)
    try:
        document = driver.execute_cdp_cmd("DOM.getDocument", {"depth": 0})
        node = driver.execute_cdp_cmd(
            "DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": "[data-ax-probe]"}
        )
        tree = driver.execute_cdp_cmd(
            "Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False}
        )
        return tree["nodes"][0]["role"]["value"]
    finally:
        driver.execute_script("arguments[0].removeAttribute('data-ax-probe')", element)


def test_a_wide_table_on_a_phone_shows_every_value_under_its_column_and_stays_a_table(phone, server):
    driver = phone
    measure(driver, urljoin(server, "ica/feeders/"))
    region = driver.find_element(By.CSS_SELECTOR, ".gridmod-table")
    assert "gridmod-table--stacked" in region.get_attribute("class")
    table = region.find_element(By.TAG_NAME, "table")
    headers = [
        th.get_attribute("textContent").replace("(sort)", "").strip()
        for th in table.find_elements(By.CSS_SELECTOR, "thead th")
    ]
    assert "PV kW" in headers and "Most frequent criterion" in headers
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) > 20
    for row in rows[:5] + rows[-2:]:
        cells = row.find_elements(By.CSS_SELECTOR, "td, th")
        assert [c.get_attribute("data-label") for c in cells] == headers
        for cell in cells:
            box = driver.execute_script(
                "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]", cell
            )
            assert cell.is_displayed() and 0 <= box[0] and box[1] <= PHONE["width"], (cell.text, box)
    pv = rows[0].find_elements(By.CSS_SELECTOR, "td")[headers.index("PV kW")]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", pv)
    assert pv.text.replace(",", "").isdigit()  # the value is on screen, not only its label
    assert ax_role(driver, table) == "table"
    assert ax_role(driver, table.find_element(By.CSS_SELECTOR, "thead th")) == "columnheader"
    assert ax_role(driver, pv) == "cell"
    # the sort buttons stay in view and work on the stacked table
    button = table.find_element(By.XPATH, ".//th[contains(., 'PV kW')]//button")
    assert button.is_displayed()
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    values = [
        int(
            r.find_elements(By.CSS_SELECTOR, "td")[headers.index("PV kW")].get_attribute("textContent").replace(",", "")
        )
        for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    assert values == sorted(values)


def test_pages_with_stacked_tables_pass_axe_on_a_phone(phone, server, axe_source):
    problems = []
    for page in ("", "filings/gmr-2026/pge/", "compare/gmr-2026/", "ica/feeders/", "ica/remediation/"):
        got = measure(phone, urljoin(server, page))
        assert got["laidOut"]
        assert phone.find_elements(By.CSS_SELECTOR, ".gridmod-table--stacked"), page
        phone.execute_script(axe_source)
        for v in phone.execute_async_script(AXE_RUN):
            problems.append(f"{page}: {v['id']} ({v['impact']}) {v['help']} at {', '.join(v['targets'])}")
    assert not problems, "\n".join(problems)


def test_without_the_script_a_wide_table_scrolls_by_keyboard(phone, server):
    driver = phone
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        driver.get(urljoin(server, "ica/feeders/"))
        region = driver.find_element(By.CSS_SELECTOR, ".gridmod-table")
        assert "gridmod-table--stacked" not in region.get_attribute("class")
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
        assert driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", region)
        driver.execute_script("arguments[0].focus()", region)
        region.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
        WebDriverWait(driver, 5).until(lambda d: d.execute_script("return arguments[0].scrollLeft", region) > 0)
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_tables_on_a_desktop_use_the_full_width_and_keep_their_column_headers_in_view(driver, server):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", DESKTOP)
    try:
        measure(driver, urljoin(server, "filings/gmr-2026/pge/"))
        assert driver.find_element(By.CSS_SELECTOR, ".md-sidebar--secondary").get_attribute("hidden") is not None
        assert driver.find_element(By.CSS_SELECTOR, ".md-content").size["width"] > 900
        contents = driver.find_element(By.CSS_SELECTOR, "details.gridmod-contents")
        targets = [a.get_attribute("href").split("#")[1] for a in contents.find_elements(By.TAG_NAME, "a")]
        assert "downloads" in targets and "key-figures" in targets
        for target in targets:
            assert driver.find_elements(By.ID, target), target
        assert not driver.find_elements(By.CSS_SELECTOR, ".md-sidebar--secondary:not([hidden]) .md-nav__list")

        measure(driver, urljoin(server, "glossary/"))  # words, no table: the contents stay on the right
        assert driver.find_element(By.CSS_SELECTOR, ".md-sidebar--secondary").get_attribute("hidden") is None
        assert not driver.find_elements(By.CSS_SELECTOR, "details.gridmod-contents")

        measure(driver, urljoin(server, "ica/feeders/"))
        region = driver.find_element(By.CSS_SELECTOR, ".gridmod-table")
        assert "gridmod-table--fits" in region.get_attribute("class")
        rows = region.find_elements(By.CSS_SELECTOR, "tbody tr")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", rows[len(rows) // 2])
        header = driver.execute_script("return document.querySelector('.md-header').getBoundingClientRect().bottom")
        th = region.find_element(By.CSS_SELECTOR, "thead th")
        top = driver.execute_script("return arguments[0].getBoundingClientRect().top", th)
        table_top = driver.execute_script("return arguments[0].getBoundingClientRect().top", region)
        assert table_top < 0 and abs(top - header) <= 1, (top, header, table_top)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_html_report_reflows_on_a_phone_with_its_sample_flag_in_view(phone, sample_build):
    driver = phone
    driver.get((sample_build / "reports" / "gmr-2026" / "pge.html").as_uri())
    assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE["width"]
    assert driver.execute_script("return window.innerWidth") == PHONE["width"]
    flag = driver.find_element(By.CSS_SELECTOR, ".sample-flag")
    banner = driver.find_element(By.CSS_SELECTOR, ".sample-banner")
    assert flag.text == "SAMPLE — synthetic data" and "synthetic data" in banner.text
    assert flag.size["height"] < 0.05 * PHONE["height"]
    tables = driver.find_elements(By.TAG_NAME, "table")
    assert len(tables) > 10
    driver.execute_script("arguments[0].scrollIntoView()", tables[len(tables) // 2])
    rect = "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]"
    assert driver.execute_script(rect, flag)[0] == 0  # still at the top of the window
    assert driver.execute_script(rect, banner)[1] < 0  # the full notice scrolled away with the page
    for cell in tables[len(tables) // 2].find_elements(By.CSS_SELECTOR, "tbody td")[:12]:
        top, _, left, right = driver.execute_script(rect, cell)
        assert 0 <= left and right <= PHONE["width"], (cell.text, left, right)
        assert cell.get_attribute("data-label")
    assert ax_role(driver, tables[0]) == "table"
