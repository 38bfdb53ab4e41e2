"""What some tests need from the machine (Chromium, Java, the report's fallback fonts), installed from
Debian's packages when it is missing and this is a Debian-like machine run as root.

When it cannot be installed the tests that need it FAIL with the reason: a suite that did not run its
checks must not look green."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest


def run(command: list[str], cwd: Path | None = None) -> str | None:
    """Run an installer; the problem in words if it failed, else None."""
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`{' '.join(command)}` could not run: {exc}"
    if done.returncode:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return f"`{' '.join(command)}` failed (exit {done.returncode}): " + " / ".join(tail)
    return None


@cache
def _updated() -> str | None:
    return run(["apt-get", "update"])


def apt_install(what: str, packages: tuple[str, ...], ready: Callable[[], bool]) -> str | None:
    """Install Debian's `packages` unless `ready()`; the problem in words when `what` is still missing."""
    if ready():
        return None
    listed = " ".join(packages)
    if shutil.which("apt-get") is None:
        return f"{what} is missing and this machine has no apt-get to install Debian's {listed}."
    if os.geteuid() != 0:
        return f"{what} is missing; install it as root: apt-get update && apt-get install -y {listed}"
    problem = _updated() or run(["apt-get", "install", "-y", "--no-install-recommends", *packages])
    if problem or not ready():
        return problem or f"apt-get installed {listed}, but {what} is still missing."
    return None


def require(what: str, packages: tuple[str, ...], ready: Callable[[], bool]) -> None:
    """apt_install, and fail the calling test (or fixture) when it did not work."""
    problem = apt_install(what, packages, ready)
    if problem:
        pytest.fail(problem, pytrace=False)


def report_fonts() -> None:
    """The fallback fonts of the PDF report (gridmod.fonts), which rendering CJK and emoji needs."""
    from gridmod.fonts import FALLBACKS, font_files

    require(
        "The PDF report's fallback fonts",
        tuple(f.package for f in FALLBACKS),
        lambda: all(font_files(f) is not None for f in FALLBACKS),
    )


# Where Chrome or Chromium and ChromeDriver are: named by the environment (GitHub-hosted runners set CHROME_BIN
# and CHROMEWEBDRIVER, the folder of chromedriver), on PATH, or where Debian and macOS put them.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER_PATHS = (
    "/usr/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
DRIVER_PATHS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")


def _first(candidates: list[str | None]) -> Path | None:
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def find_browser() -> tuple[Path | None, Path | None]:
    """(browser, driver) as this machine has them; either is None when it has none."""
    driver_folder = os.environ.get("CHROMEWEBDRIVER")
    browser = _first([os.environ.get("CHROME_BIN"), *(shutil.which(name) for name in BROWSERS), *BROWSER_PATHS])
    driver = _first(
        [
            str(Path(driver_folder) / "chromedriver") if driver_folder else None,
            shutil.which("chromedriver"),
            *DRIVER_PATHS,
        ]
    )
    return browser, driver


def browser() -> tuple[Path, Path]:
    """Chrome or Chromium and its driver, installed from Debian's packages where that is possible; the calling
    test fails, saying what is missing, where it is not."""
    require(
        "Chrome or Chromium and ChromeDriver (on PATH, or named by CHROME_BIN and CHROMEWEBDRIVER)",
        ("chromium", "chromium-driver"),
        lambda: None not in find_browser(),
    )
    found, driver = find_browser()
    assert found is not None and driver is not None
    return found, driver
