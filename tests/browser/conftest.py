"""The sample site in headless Chromium: built once, served on 127.0.0.1, driven with Selenium.

The browser tests need Chrome or Chromium and ChromeDriver (found where tests/system.py looks: CHROME_BIN
and CHROMEWEBDRIVER, PATH, Debian's and macOS's places) and npm's axe-core (package.json). On a fresh
Debian-like machine run as root they are installed (Debian's `chromium` and `chromium-driver`, `npm ci` in
the repository root); where that is not possible the tests FAIL with the reason. They are never skipped: a browser suite that did not run must
not look green.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ..system import apt_install, run
from ..system import browser as find_chrome

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


def _install_axe() -> list[str]:
    if AXE.is_file():
        return []
    problem = apt_install("npm (to install axe-core with `npm ci`)", ("npm",), lambda: shutil.which("npm") is not None)
    if problem:
        return [problem]
    problem = run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT)
    if problem or not AXE.is_file():
        return [problem or f"`npm ci` ran, but {AXE} is still missing."]
    return []


@pytest.fixture(scope="session")
def browser_tools() -> None:
    """Chromium, its driver and axe-core, installed if missing; the session fails if they cannot be."""
    find_chrome()
    problems = _install_axe()
    if problems:
        pytest.fail("The browser tests cannot run:\n- " + "\n- ".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def sample_site(sample_build: Path) -> Path:
    """The site of the session's `gridmod build` of the shipped sample filings (tests/conftest.py)."""
    return sample_build / "site"


class _Quiet(SimpleHTTPRequestHandler):
    """Serves the site as GitHub Pages does: an address it does not have gets the site's 404.html, status 404."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def server(sample_site: Path) -> Iterator[str]:
    """The site on http://127.0.0.1:<free port>/, served by Python's http.server from a thread."""
    handler = functools.partial(_Quiet, directory=str(sample_site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def driver(browser_tools: None):
    """Headless Chromium with a fresh profile; the driver path is given, so Selenium Manager never runs."""
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="gridmod-chromium-")
    options = webdriver.ChromeOptions()
    chromium, chromedriver = find_chrome()
    options.binary_location = str(chromium)
    # Return once the DOM is ready (style sheets and scripts have run); tests wait for images they need.
    options.page_load_strategy = "eager"
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=Service(executable_path=str(chromedriver)))
    browser.set_window_size(1280, 1000)
    browser.set_script_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def axe_source(browser_tools: None) -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pages(sample_site: Path) -> list[str]:
    """Every HTML page of the built site, as a path relative to its root."""
    return sorted(p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html"))
