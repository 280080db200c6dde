"""The manager's browser while PostgreSQL restarts: the page says, in the manager's language,
that the database cannot be reached (not the API's JSON), and comes back by itself once the
database does; a form sent meanwhile says it was not saved."""

from __future__ import annotations

import os
import subprocess
from typing import Any

import pytest
import tomli_w

from kiosk.testing import STAFF, ServerProcess, config_data
from tests.browser import chromium, wait_for

STOP, START = os.environ.get("KIOSK_TEST_PG_STOP", ""), os.environ.get("KIOSK_TEST_PG_START", "")
MANAGER_PIN = "314159"
QUIET: dict[str, Any] = {"shell": True, "check": True, "timeout": 120, "stdout": subprocess.DEVNULL}


def body(driver) -> str:
    return driver.find_element("tag name", "body").text


@pytest.mark.postgres
def test_a_manager_page_says_the_database_is_away_and_comes_back_by_itself(tmp_path, pg_url):
    if not (STOP and START):
        if os.environ.get("CI"):
            pytest.fail("CI must run this test: KIOSK_TEST_PG_STOP/START are not set (./run-tests sets them)")
        pytest.skip("needs KIOSK_TEST_PG_STOP and _START: ./run-tests sets them for its throwaway PostgreSQL")
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
        subprocess.run(STOP, **QUIET)
        try:
            add.find_element("css selector", "button[type=submit]").click()  # a form sent while it is away
            wait_for(driver, lambda: "剛才送出的內容沒有儲存" in body(driver), "the form said not saved")
            assert "目前無法連線到排隊系統的資料庫。" in body(driver) and '"code"' not in body(driver)
            driver.get(f"{server.url}/manage/log")
            wait_for(driver, lambda: "本頁每隔幾秒會自動重試。" in body(driver), "the page said it tries again")
        finally:
            subprocess.run(START, **QUIET)
        # the page reloads itself: the log again, signed in still, without anyone touching it
        wait_for(driver, lambda: "等候時間記錄" in body(driver), "the log back by itself", timeout=60)
        assert "目前無法連線" not in body(driver)
    finally:
        driver.quit()
        server.stop()
