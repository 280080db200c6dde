"""A real browser for the pages' tests: Debian's Chromium, headless, driven through its own
chromedriver by Selenium (nothing is downloaded: both paths are given). The flags keep it off
the network it must not reach (this machine's is closed) and make it start clean each time."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

import pytest

from kiosk.testing import wait_until

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",
)


def chromium(width: int = 360, height: int = 740) -> Any:
    """A fresh headless Chromium of this window size (CSS pixels), or the test is skipped with
    the reason printed where no Chromium is installed (./install.sh --test installs it; under CI
    a missing browser is a failure, not a skip)."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        why = "Debian's chromium and chromium-driver are not installed (./install.sh --test installs them)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='kiosk-chromium-')}")
    options.add_argument(f"--window-size={width},{height}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # --window-size is the outer window in some builds: make the page's own viewport the size asked
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    return driver


def wait_for(driver: Any, check: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
    """kiosk.testing.wait_until, failing with what the page says."""
    try:
        return wait_until(check, timeout, what)
    except AssertionError as e:
        pytest.fail(f"{e}; the page says:\n{driver.find_element('tag name', 'body').text}")
