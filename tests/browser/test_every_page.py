"""Every page of the built sample site: axe-core finds no WCAG 2.1 A/AA violation, and a 375 px wide
screen needs no horizontal scrolling."""

from __future__ import annotations

from urllib.parse import urljoin

AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"]}, resultTypes: ["violations"]})
   .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))
   .catch(e => done([{id: "axe-error", impact: "error", help: String(e), targets: []}]));
"""


def test_axe_reports_no_violations_on_any_page(driver, server, pages, axe_source):
    assert len(pages) > 20
    problems = []
    for page in pages:
        driver.get(urljoin(server, page))
        driver.execute_script(axe_source)
        for v in driver.execute_async_script(AXE_RUN):
            problems.append(f"{page}: {v['id']} ({v['impact']}) {v['help']} at {', '.join(v['targets'])}")
    assert not problems, f"{len(problems)} axe-core violations:\n" + "\n".join(problems)


def test_no_horizontal_scrolling_at_375_px(driver, server, pages):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True}
    )
    try:
        wide = []
        for page in pages:
            driver.get(urljoin(server, page))
            width = driver.execute_script(
                "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            )
            inner = driver.execute_script("return window.innerWidth")
            if width > inner:
                wide.append(f"{page}: {width} px wide in a {inner} px window")
        assert not wide, "\n".join(wide)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
