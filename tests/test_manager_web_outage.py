"""The manager's browser while PostgreSQL restarts: the page says, in the manager's language,
that the database cannot be reached (not the API's JSON), and comes back by itself once the
database does; a form sent meanwhile says it was not saved."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
import tomli_w
from selenium.common.exceptions import WebDriverException

from kiosk.testing import STAFF, ServerProcess, config_data
from tests.browser import chromium, wait_for

MANAGER_PIN = "314159"
QUIET: dict[str, Any] = {"shell": True, "check": True, "timeout": 120, "stdout": subprocess.DEVNULL}


def body(driver) -> str:
    """The page's text, or "" while the outage page is reloading itself (every 2 s) under us."""
    try:
        return driver.find_element("tag name", "body").text
    except WebDriverException:  # the element went stale, or the new page has no body yet
        return ""


def saying(driver, words: str) -> str:
    """The page's text once it says `words` ("" until then), read in one go."""
    text = body(driver)
    return text if words in text else ""


@pytest.mark.postgres
def test_a_manager_page_says_the_database_is_away_and_comes_back_by_itself(tmp_path, pg_url, pg_restart):
    stop, start = pg_restart
    data, tokens = config_data(counters=2, database=pg_url)
    data["staff"] = STAFF
    path = tmp_path / "kiosk.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    server = ServerProcess(path, tokens)
    driver = chromium(1366, 768)
    try:
        driver.get(f"{server.url}/manage/log?lang=zh-Hant")
        driver.find_element("id", "pin").send_keys(MANAGER_PIN + "\n")
        wait_for(driver, lambda: "等候時間記錄" in body(driver), "signed in, the log in Chinese")
        driver.get(f"{server.url}/manage/appointments")
        add = driver.find_element("css selector", "form[action='/manage/appointments/add']")
        driver.execute_script("arguments[0].value = '23:10'", add.find_element("name", "at"))
        subprocess.run(stop, **QUIET)
        try:
            add.find_element("css selector", "button[type=submit]").click()  # a form sent while it is away
            said = wait_for(driver, lambda: saying(driver, "剛才送出的內容沒有儲存"), "the form said not saved")
            assert "目前無法連線到排隊系統的資料庫。" in said and '"code"' not in said
            driver.get(f"{server.url}/manage/log")
            wait_for(driver, lambda: "本頁每隔幾秒會自動重試。" in body(driver), "the page said it tries again")
        finally:
            subprocess.run(start, **QUIET)
        # the page reloads itself: the log again, signed in still, without anyone touching it
        back = wait_for(driver, lambda: saying(driver, "等候時間記錄"), "the log back by itself", timeout=60)
        assert "目前無法連線" not in back
    finally:
        driver.quit()
        server.stop()
