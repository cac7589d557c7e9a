"""Headless Debian Chromium driven by Selenium: the packaged browser and driver by path (so
Selenium Manager never looks for, let alone downloads, anything), a fixed window, a fixed
language, and optionally no JavaScript at all."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@contextmanager
def chromium(
    *, javascript: bool = True, language: str = "en-GB", width: int = 1100, height: int = 1400
) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        f"--lang={language}",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--no-first-run",
        "--disable-background-networking",  # nothing but the loopback servers
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(argument)
    prefs: dict[str, Any] = {"intl.accept_languages": language}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    # A driver path given: Selenium uses it and never runs Selenium Manager.
    service = Service(CHROMEDRIVER, env={**os.environ, "SE_OFFLINE": "true"})
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(driver: Any, name: str) -> Path:
    """The whole page (not only the window) as docs/screenshots/checkout-<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"checkout-{name}.png"
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, max(600, min(int(height) + 140, 4000)))
    driver.save_screenshot(str(path))
    return path
