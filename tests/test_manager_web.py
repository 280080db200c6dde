"""The manager's office in a browser: the web manager view (/manage) in a real headless Chromium
against a real `kiosk serve`, driven as a manager would: sign in with a PIN from the keyboard,
filter the log, download the CSV and the PDF, reply to a follow-up, change a counter's services,
close the day (refused while someone waits), and watch a printer run out of paper on the health
page without a reload. Every page fits an office screen and a phone in each language; the
pictures are written where KIOSK_SCREENSHOTS points (docs/screens/ holds those looked at).
Times from an event to the page are printed, never asserted."""

from __future__ import annotations

import os
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
import tomli_w

from kiosk.testing import STAFF, ServerProcess, config_data, wait_until
from tests.browser import chromium, wait_for

MANAGER_PIN, CLERK = "314159", ("lin", "271828")
SIZES = [(1366, 768), (390, 844)]
PAGES = ["log", "follow-ups", "counters", "appointments", "health"]
WORDS = {  # a word each page shows, per language: the page is in that language
    "zh-Hant": {"log": "等候時間記錄", "health": "大廳設備狀態"},
    "zh-Hans": {"log": "等候时间记录", "health": "大厅设备状态"},
    "en": {"log": "Waiting-time log", "health": "Hall health"},
}


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hall")
    data, tokens = config_data(counters=2, database=f"sqlite:///{folder / 'q.sqlite3'}")
    data["staff"] = STAFF
    path = folder / "kiosk.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    server = ServerProcess(path, tokens)
    hall = Hall(server)
    hall.post("/api/v1/counters/1/sign-in", "counter", staff=CLERK[0], pin=CLERK[1])
    yield hall
    server.stop()


@pytest.fixture(scope="module")
def browser(hall):
    driver = chromium(1366, 768)
    driver.get(f"{hall.server.url}/manage/log?lang=en")
    pin = driver.find_element("id", "pin")
    assert driver.switch_to.active_element == pin  # the PIN field has the focus: type and press Enter
    pin.send_keys(MANAGER_PIN + "\n")
    wait_for(driver, lambda: "/manage/log" in driver.current_url and "Tickets" in body(driver), "signed in")
    yield driver
    driver.quit()


class Hall:
    def __init__(self, server: ServerProcess):
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=10)

    def post(self, path: str, role: str, **body: object) -> dict:
        r = self.http.post(path, json=body or None, headers=self.server.headers(role))
        assert r.status_code in (200, 201, 202), r.text
        return r.json()

    def ticket(self, service: str = "general") -> dict:
        return self.post("/api/v1/tickets", "kiosk", service=service)["ticket"]

    def serve_next(self, **finish: object) -> dict:
        called = self.post("/api/v1/counters/1/call-next", "counter")
        self.post("/api/v1/counters/1/finish", "counter", **finish)
        return called


def iso_local(t: float) -> str:
    """A time as the API takes it: ISO 8601 with this machine's offset."""
    when = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(t))
    return when[:-2] + ":" + when[-2:]


def body(driver) -> str:
    return driver.find_element("tag name", "body").text


def text_of(driver, css: str) -> str:
    """The text of a live region read in one step: a region swapped between finding it and
    reading it would otherwise be a stale element."""
    return driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css)


def go(driver, hall: Hall, path: str) -> None:
    driver.get(f"{hall.server.url}{path}")


def in_page_fetch(driver, url: str) -> dict:
    """Fetch `url` from inside the page, as the manager's browser (its session cookie) does."""
    return driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(async r => {
          const bytes = new Uint8Array(await r.arrayBuffer());
          done({status: r.status, type: r.headers.get('content-type'),
                head: String.fromCharCode(...bytes.slice(0, 5)),
                text: new TextDecoder().decode(bytes.slice(0, 4000)), size: bytes.length});
        });""",
        url,
    )


def test_the_log_shows_the_days_figures_filters_and_exports_csv_and_pdf(hall, browser):
    general = hall.ticket("general")
    payment = hall.ticket("payment")
    go(browser, hall, "/manage/log?lang=en")
    table = text_of(browser, "table.log")
    assert general["number"] in table and payment["number"] in table
    # filter by service, as a manager does: pick it, press Show
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("name", "service")).select_by_value("payment")
    browser.find_element("css selector", ".filters button[type=submit]").click()
    wait_for(browser, lambda: "service=payment" in browser.current_url, "the filter applied")
    table = text_of(browser, "table.log")
    assert payment["number"] in table and general["number"] not in table
    figures = dict(
        (f.find_element("tag name", "dt").text, f.find_element("tag name", "dd").text)
        for f in browser.find_elements("css selector", ".figures div")
    )
    assert figures["Tickets"] == "1"

    csv_link = browser.find_element("link text", "Export CSV…").get_attribute("href")
    csv = in_page_fetch(browser, csv_link)
    assert csv["status"] == 200 and "text/csv" in csv["type"]
    assert payment["number"] in csv["text"] and general["number"] not in csv["text"]
    pdf_link = browser.find_element("link text", "Daily PDF report…").get_attribute("href")
    pdf = in_page_fetch(browser, pdf_link)
    assert pdf["status"] == 200 and pdf["head"] == "%PDF-" and pdf["size"] > 10_000, pdf["text"][:300]


def test_a_new_ticket_appears_in_the_log_without_a_reload(hall, browser):
    go(browser, hall, "/manage/log?lang=en")
    browser.execute_script("window.notReloaded = true")
    issued = time.monotonic()
    t = hall.ticket("general")
    wait_for(browser, lambda: t["number"] in text_of(browser, "table.log"), "the new ticket")
    print(f"\nticket to manager page: {(time.monotonic() - issued) * 1000:.0f} ms")
    assert browser.execute_script("return window.notReloaded === true")


def test_a_follow_up_is_replied_from_the_board(hall, browser):
    while sum(hall.http.get("/api/v1/state", headers=hall.server.headers("manager")).json()["waiting"].values()):
        hall.serve_next()  # the ones before
    hall.ticket("general")
    served = hall.serve_next(outcome="follow_up", category="payment", note="checks the bill and calls back")
    number = served["ticket"]["number"]
    go(browser, hall, "/manage/follow-ups?lang=en")
    card = next(c for c in browser.find_elements("css selector", "li.card") if number in c.text)
    assert "checks the bill and calls back" in card.text
    card.find_element("name", "note").send_keys("refund agreed by phone")
    card.find_element("css selector", "button[type=submit]").click()
    wait_for(browser, lambda: f"Replied: {number}" in body(browser), "the reply confirmed")
    card = next(c for c in browser.find_elements("css selector", "li.card") if number in c.text)
    assert "refund agreed by phone" in card.text and "王小明 by phone" in card.text
    board = hall.http.get("/api/v1/follow-ups", headers=hall.server.headers("manager")).json()
    mine = next(f for f in board if f["number"] == number)
    assert mine["state"] == "replied" and mine["replied_by"] == "王小明"


def test_a_follow_up_is_replied_with_the_keyboard_alone(hall, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    hall.ticket("general")
    number = hall.serve_next(outcome="follow_up", category="payment", note="asks for a receipt")["ticket"]["number"]
    go(browser, hall, "/manage/follow-ups?lang=en")
    keys = ActionChains(browser)
    keys.send_keys(Keys.TAB).perform()
    assert browser.switch_to.active_element.text == "Skip to the content"  # the first stop skips the header
    for _ in range(60):  # on through the page, as a keyboard user does, to this follow-up's note
        keys.send_keys(Keys.TAB).perform()
        active = browser.switch_to.active_element
        if active.get_attribute("name") == "note":
            break
    assert active.get_attribute("name") == "note", "the note cannot be reached with Tab"
    keys.send_keys("receipt sent by e-mail", Keys.TAB, Keys.ENTER).perform()
    wait_for(browser, lambda: "Replied: " in body(browser), "the reply by keyboard")
    board = hall.http.get("/api/v1/follow-ups", headers=hall.server.headers("manager")).json()
    replied = [f for f in board if f["state"] == "replied" and f["reply_note"] == "receipt sent by e-mail"]
    assert [f["number"] for f in replied] == [number]  # the only open one: the first note on the board


def test_a_counters_services_are_changed_from_the_browser(hall, browser):
    go(browser, hall, "/manage/counters?lang=en")
    card = next(c for c in browser.find_elements("css selector", "li.card") if "Counter 2" in c.text)
    for box in card.find_elements("css selector", "input[type=checkbox]"):
        if box.is_selected() != (box.get_attribute("value") == "payment"):
            box.click()
    card.find_element("css selector", "button[type=submit]").click()
    wait_for(browser, lambda: "from its next call" in body(browser), "the change confirmed")
    state = hall.http.get("/api/v1/state", headers=hall.server.headers("manager")).json()
    assert next(c for c in state["counters"] if c["id"] == 2)["services"] == ["payment"]


def test_a_printer_out_of_paper_shows_on_the_health_page_live(hall, browser):
    go(browser, hall, "/manage/health?lang=en")
    assert "Printers" in body(browser)
    browser.execute_script("window.notReloaded = true")
    said = time.monotonic()
    hall.post("/api/v1/device-alerts", "kiosk", device="ticket printer", kind="printer", state="paper_out",
              message="the paper roll is empty", ticket="A999")  # fmt: skip
    wait_for(browser, lambda: "Out of paper" in text_of(browser, "#health-live"), "paper out shown")
    print(f"\npaper out to health page: {(time.monotonic() - said) * 1000:.0f} ms")
    printer = text_of(browser, ".devices li.bad")
    assert "ticket printer" in printer and "the paper roll is empty" in printer
    assert browser.execute_script("return window.notReloaded === true")
    # and every page's news strip says a device needs someone
    go(browser, hall, "/manage/log?lang=en")
    wait_for(browser, lambda: "Devices that need someone: 1" in body(browser), "the news strip")
    hall.post("/api/v1/device-alerts", "kiosk", device="ticket printer", kind="printer", state="ready",
              message="the printer works again")  # fmt: skip
    go(browser, hall, "/manage/health?lang=en")
    assert "Everything works" in body(browser)


def test_the_screens_and_kiosks_that_call_the_server_are_listed_with_version_and_clock(hall, browser):
    hall.http.get("/api/v1/state", headers={**hall.server.headers("display"), "User-Agent": "front-desk-kiosk/9.9.9",
                                             "X-Kiosk-Clock": f"{time.time() - 42:.3f}"})  # fmt: skip
    go(browser, hall, "/manage/health?lang=en")
    wait_for(
        browser,
        lambda: "9.9.9" in text_of(browser, "#health-live") or browser.refresh(),
        "the display listed",
    )
    listed = next(li.text for li in browser.find_elements("css selector", ".devices li") if "9.9.9" in li.text)
    assert "Clock is off" in listed and "-42" in listed


def test_a_booking_is_added_moved_and_cancelled_and_a_check_in_shows_live(hall, browser):
    go(browser, hall, "/manage/appointments?lang=en")
    today = browser.find_element("css selector", "form.filters input[name=day]").get_attribute("value")
    tomorrow = (date.fromisoformat(today) + timedelta(days=1)).isoformat()
    go(browser, hall, f"/manage/appointments?lang=en&day={tomorrow}")  # 23:30 is still ahead, whatever the hour
    add = browser.find_element("css selector", "form[action='/manage/appointments/add']")
    from selenium.webdriver.support.ui import Select

    Select(add.find_element("name", "service")).select_by_value("payment")
    browser.execute_script("arguments[0].value = '23:30'", add.find_element("name", "at"))  # (a time picker's value)
    add.find_element("name", "name").send_keys("Chan Tai Man")
    add.find_element("name", "phone").send_keys("0912 345 678")
    add.find_element("css selector", "button[type=submit]").click()
    wait_for(browser, lambda: "Booking added" in body(browser), "the booking added")
    cards = text_of(browser, "#appointments-live")
    assert "23:30 · Payments" in cards and "Chan Tai Man" in cards and "Booked" in cards
    move = browser.find_element("css selector", "form[action$='/move']")
    browser.execute_script("arguments[0].value = '23:45'", move.find_element("name", "at"))
    move.find_element("css selector", "button[type=submit]").click()
    wait_for(browser, lambda: "Booking moved" in body(browser), "the booking moved")
    assert "23:45 · Payments" in text_of(browser, "#appointments-live")
    browser.find_element("xpath", "//button[.='Cancel booking']").click()
    wait_for(browser, lambda: "Booking cancelled" in body(browser), "the booking cancelled")
    assert "Cancelled" in text_of(browser, "#appointments-live")
    # booked by the API two minutes ago (in its window), checked in at a kiosk: the page sees it
    when = iso_local(time.time() - 120)
    [booked] = hall.post(
        "/api/v1/appointments/add", "manager", bookings=[{"service": "general", "at": when, "ref": "WEB123"}]
    )["added"]
    go(browser, hall, f"/manage/appointments?lang=en&day={booked['business_day']}")
    assert "WEB123" in text_of(browser, "#appointments-live")
    shown = time.monotonic()
    ticket = hall.post("/api/v1/check-in", "kiosk", ref="WEB123")["ticket"]
    wait_for(
        browser,
        lambda: f"Checked in · {ticket['number']}" in text_of(browser, "#appointments-live"),
        "the check-in shown without a reload",
    )
    print(f"check-in to the appointments page: {1000 * (time.monotonic() - shown):.0f} ms")


def test_a_booking_nobody_came_for_says_so_once_its_window_has_passed(hall, browser):
    when = iso_local(time.time() - 3 * 3600)  # far past any check-in window
    [missed] = hall.post(
        "/api/v1/appointments/add", "manager", bookings=[{"service": "payment", "at": when, "ref": "GONE77"}]
    )["added"]
    go(browser, hall, f"/manage/appointments?lang=zh-Hant&day={missed['business_day']}")
    card = browser.find_element("xpath", "//li[contains(., 'GONE77')]")
    assert "未到場" in card.text and "已預約" not in card.text
    assert "未到場: 1" in text_of(browser, ".summary")  # counted apart from those still to come
    assert card.find_elements("css selector", "form[action$='/move']")  # still movable when they phone


def test_a_refused_booking_says_why_in_the_managers_language(hall, browser):
    go(browser, hall, "/manage/appointments?lang=zh-Hant")
    add = browser.find_element("css selector", "form[action='/manage/appointments/add']")
    browser.execute_script("arguments[0].value = '23:20'", add.find_element("name", "at"))
    add.find_element("name", "phone").send_keys("call me")
    add.find_element("css selector", "button[type=submit]").click()
    wait_for(browser, lambda: browser.find_elements("css selector", ".flash"), "the refusal")
    # one booking: its problem alone, in Chinese, with what was typed
    assert browser.find_element("css selector", ".flash").text == "call me 不是有效的電話號碼。"
    assert "23:20" not in text_of(browser, "#appointments-live")  # nothing was booked


def test_closing_the_day_asks_first_and_is_refused_while_someone_waits(hall, browser):
    waiting = hall.ticket("general")
    go(browser, hall, "/manage/counters?lang=en")
    browser.find_element("xpath", "//button[.='Close the day…']").click()
    wait_for(browser, lambda: "Close the day now?" in body(browser), "the question")
    browser.find_element("css selector", "button.danger").click()
    wait_for(browser, lambda: "still open" in body(browser), "the refusal")
    assert waiting["number"] in browser.find_element("css selector", ".flash").text
    while True:  # serve everyone, then it closes
        state = hall.http.get("/api/v1/state", headers=hall.server.headers("manager")).json()
        if not sum(state["waiting"].values()):
            break
        hall.serve_next()
    browser.find_element("xpath", "//button[.='Close the day…']").click()
    wait_for(browser, lambda: browser.find_elements("css selector", "button.danger"), "the question again")
    browser.find_element("css selector", "button.danger").click()
    wait_for(browser, lambda: "The day is closed" in body(browser), "the day closed")


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "en"])
def test_every_page_fits_an_office_screen_and_a_phone_in_each_language(hall, browser, lang):
    out = Path(os.environ["KIOSK_SCREENSHOTS"]) if os.environ.get("KIOSK_SCREENSHOTS") else None
    for width, height in SIZES:
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        for name in PAGES:
            go(browser, hall, f"/manage/{name}?lang={lang}")
            wait_until(lambda: browser.execute_script("return document.readyState") == "complete", 10, "loaded")
            assert browser.execute_script("return document.documentElement.lang") == lang
            if name in WORDS[lang]:
                assert WORDS[lang][name] in body(browser)
            sideways = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert sideways <= 0, f"{name} at {width}x{height} in {lang} scrolls sideways by {sideways} px"
            small = browser.execute_script(
                """return [...document.querySelectorAll('button, a.button, select, input:not([type=hidden])')]
                   .filter(e => e.offsetParent && e.getBoundingClientRect().height < 24).map(e => e.outerHTML)"""
            )
            assert small == [], f"controls too small to touch on {name}: {small[:3]}"
            if out:
                out.mkdir(parents=True, exist_ok=True)
                browser.save_screenshot(str(out / f"manage-{name}-{lang}-{width}x{height}.png"))
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False}
    )
