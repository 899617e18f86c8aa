"""A real headless Chromium for the HTML report: Debian's ``chromium`` and ``chromium-driver``, driven by Selenium.

Nothing is downloaded at run time: Selenium is pointed at the installed driver through a ``Service``,
and ``SE_OFFLINE`` keeps Selenium Manager from looking for another. A missing browser is a failure with
a message saying how to install it, unless ``FACTCLI_SKIP_BROWSER=1`` asks for a skip (CI installs it).
The screenshot script (benchmarks/html_screenshot.py) opens the report with the same browser.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SKIP_ENV = "FACTCLI_SKIP_BROWSER"
INSTALL = "apt-get install -y chromium chromium-driver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


def missing() -> str | None:
    """What is missing to run the browser, or None when Chromium and its driver are installed."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.access(path, os.X_OK) or shutil.which(Path(path).name)):
            return f"{path} is not installed (Debian: {INSTALL}); set {SKIP_ENV}=1 to skip the browser tests"
    return None


@contextlib.contextmanager
def started(**size: int) -> Iterator[WebDriver]:
    """``chromium(**size)`` for a test: when it is not installed, a failure naming how to install it
    (a skip only with ``SKIP_ENV=1``)."""
    import pytest

    problem = missing()
    if problem:
        if os.environ.get(SKIP_ENV) == "1":
            pytest.skip(problem)
        pytest.fail(problem)
    with chromium(**size) as driver:
        yield driver


def _executable(path: str) -> str:
    return path if os.access(path, os.X_OK) else shutil.which(Path(path).name) or path


@contextlib.contextmanager
def chromium(width: int = 1280, height: int = 900, phone: bool = False) -> Iterator[WebDriver]:
    """A headless Chromium with a fresh profile, its console log readable, closed and removed afterwards.

    ``phone`` emulates a touch screen of ``width`` x ``height`` CSS pixels (a desktop window is at least
    500 pixels wide).
    """
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager never fetches a driver or a browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="factcli-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = _executable(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if phone:
        metrics = {"width": width, "height": height, "pixelRatio": 2, "touch": True}
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
    driver = webdriver.Chrome(service=Service(executable_path=_executable(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_report(driver: WebDriver, path: Path, fragment: str = "") -> None:
    """Open the report at ``path`` (with ``#fragment``) and wait until its script has applied the address."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")  # a fresh load, even when only the fragment differs from the page now open
    driver.get(path.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.getElementById('f-count').textContent !== ''")
    )
