"""The customer's phone, in a real browser (Debian's headless Chromium) against a real `kiosk
serve`: the page behind the ticket's QR code speaks the ticket's language, follows the ticket
live (called, served, missed, moved) without a reload, rings when asked to, and stays readable
on a 320 px phone. Times from the call to the page are printed, never asserted."""

from __future__ import annotations

import os
import ssl
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import tomli_w

from kiosk.testing import ServerProcess, config_data, wait_until
from tests.browser import chromium, wait_for
from tests.fake_modem import FakeModem

COUNTERS = [
    {
        "id": 1,
        "name": {"zh-Hant": "1號櫃台", "zh-Hans": "1号柜台", "en": "Counter 1"},
        "where": {"zh-Hant": "入口左側", "zh-Hans": "入口左侧", "en": "Left of the entrance"},
        "services": ["general", "payment", "manager"],
    },
    {
        "id": 2,
        "name": {"zh-Hant": "2號櫃台", "zh-Hans": "2号柜台", "en": "Counter 2"},
        "services": ["payment"],
    },
]
AHEAD = {"zh-Hant": "前面還有", "zh-Hans": "前面还有", "en": "ahead of you"}


def hall_config(folder: Path, **sections: dict) -> tuple[Path, dict[str, str]]:
    """The example hall with two counters named in each language, counter 1 saying where it is;
    `sections` update whole sections (phone=, server=, sms=)."""
    data, tokens = config_data(counters=2, database=f"sqlite:///{folder / 'q.sqlite3'}")
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    data["counters"] = COUNTERS
    path = folder / "kiosk.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path, tokens


@pytest.fixture
def hall(tmp_path):
    server = ServerProcess(*hall_config(tmp_path))
    yield Hall(server)
    server.stop()


@pytest.fixture(scope="module")
def browser():
    driver = chromium(360, 740)
    yield driver
    driver.quit()


class Hall:
    def __init__(self, server: ServerProcess, verify: bool | ssl.SSLContext = True):
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=10, verify=verify)

    def ticket(self, service: str = "general", language: str | None = None) -> dict:
        body = {"service": service, **({"language": language} if language else {})}
        r = self.http.post("/api/v1/tickets", json=body, headers=self.server.headers("kiosk"))
        assert r.status_code == 201, r.text
        return r.json()["ticket"]

    def counter(self, action: str, counter: int = 1, **body: object) -> httpx.Response:
        headers = self.server.headers("counter")
        if counter != 1:
            headers = {"Authorization": f"Bearer counter-{counter}-{self.server.tokens['counter']}"}
        r = self.http.post(f"/api/v1/counters/{counter}/{action}", json=body or None, headers=headers)
        assert r.status_code in (200, 204), r.text
        return r

    def page(self, t: dict) -> str:
        return f"{self.server.url}/t/{t['status_token']}"


def headline(driver) -> str:
    return driver.find_element("id", "headline").text


def lines(driver) -> str:
    return driver.find_element("id", "lines").text


def live(driver) -> bool:
    """The page holds its event stream open (and is not polling)."""
    return driver.execute_script("return document.getElementById('live').textContent.indexOf('·') > 0")


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "en"])
def test_a_ticket_taken_in_a_language_opens_its_page_in_that_language(hall, browser, lang):
    hall.ticket("general")
    mine = hall.ticket("general", language=lang)
    browser.get(hall.page(mine))
    assert browser.execute_script("return document.documentElement.lang") == lang
    assert mine["number"] in browser.find_element("id", "number").text
    assert AHEAD[lang] in headline(browser)
    served_at = {"zh-Hant": "1號櫃台", "zh-Hans": "1号柜台", "en": "Counter 1"}[lang]
    assert served_at in lines(browser)  # the counters that serve it, by their names in this language
    assert "2" not in lines(browser).replace(mine["number"], "").split(served_at)[-1]  # counter 2 has no general


def test_the_page_follows_the_ticket_live_called_served_finished_without_a_reload(hall, browser):
    first = hall.ticket("general", language="en")
    mine = hall.ticket("general", language="en")
    browser.get(hall.page(mine))
    wait_for(browser, lambda: live(browser), "the live stream open")
    browser.execute_script("window.notReloaded = true")
    assert "1 ahead of you" in headline(browser)

    hall.counter("call-next")  # the one before
    hall.counter("start")
    wait_for(browser, lambda: headline(browser) == "You are next", "the place moving up")
    hall.counter("finish")

    called_at = time.monotonic()
    hall.counter("call-next")
    wait_for(browser, lambda: "Please go to Counter 1" in headline(browser), "the call")
    print(f"\ncall to phone page: {(time.monotonic() - called_at) * 1000:.0f} ms")
    overlay = browser.find_element("id", "overlay")
    assert overlay.is_displayed() and "Counter 1" in overlay.text and "Left of the entrance" in overlay.text
    browser.find_element("id", "overlay-ok").click()
    assert not overlay.is_displayed()

    hall.counter("start")
    wait_for(browser, lambda: "being served at Counter 1" in headline(browser), "being served")
    hall.counter("finish", outcome="follow_up", note="asks about the lift", due_hours=24)
    wait_for(browser, lambda: "Thank you" in headline(browser), "the thanks")
    assert "We will reply to you by" in lines(browser)  # the promised reply time
    assert not browser.find_element("id", "alert-me").is_displayed()  # nothing left to be alerted for
    assert browser.execute_script("return window.notReloaded === true")
    assert first["number"] != mine["number"]


def test_a_missed_customer_is_told_to_come_back_today_and_sees_being_put_back_in_line(hall, browser):
    mine = hall.ticket("general", language="zh-Hant")
    browser.get(hall.page(mine))
    wait_for(browser, lambda: live(browser), "the live stream open")
    browser.execute_script("window.notReloaded = true")
    hall.counter("call-next")
    wait_for(browser, lambda: "請到 1號櫃台" in headline(browser), "the call")
    hall.counter("no-show")
    wait_for(browser, lambda: "叫號時您不在" in headline(browser), "the missed call")
    assert "今天內請到任何櫃台" in lines(browser) and "謝謝" not in headline(browser)
    r = hall.http.post(f"/api/v1/tickets/by-number/{mine['number']}/return", headers=hall.server.headers("counter"))
    assert r.status_code == 200, r.text
    wait_for(browser, lambda: "下一位就是您" in headline(browser), "back in line")
    assert browser.execute_script("return window.notReloaded === true")


def test_a_ticket_moved_to_another_service_says_so_and_keeps_its_place(hall, browser):
    mine = hall.ticket("general", language="zh-Hans")
    hall.ticket("payment")
    browser.get(hall.page(mine))
    wait_for(browser, lambda: live(browser), "the live stream open")
    browser.execute_script("window.notReloaded = true")
    hall.counter("call-next")
    hall.counter("start")
    hall.counter("transfer", service="payment")
    wait_for(browser, lambda: "已转到" in lines(browser), "the move")
    assert "付款" in lines(browser) or "缴费" in lines(browser) or "payment" not in lines(browser)
    assert "下一位就是您" in headline(browser)  # issued before the payment ticket: still first
    assert "2号柜台" in lines(browser)  # counter 2 serves payments
    assert browser.execute_script("return window.notReloaded === true")


def test_the_language_switch_changes_the_page_and_the_choice_stays_after_a_reload(hall, browser):
    mine = hall.ticket("general", language="zh-Hant")
    browser.get(hall.page(mine))
    assert headline(browser) == "下一位就是您"
    browser.find_element("css selector", "nav button[data-lang='en']").click()
    wait_for(browser, lambda: headline(browser) == "You are next", "English")
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert browser.find_element("css selector", "nav button[data-lang='en']").get_attribute("aria-pressed") == "true"
    browser.refresh()
    wait_for(browser, lambda: "next" in headline(browser), "English after a reload")
    hall.counter("call-next")
    wait_for(browser, lambda: "Please go to Counter 1" in headline(browser), "the call in English")


def test_alert_me_rings_and_vibrates_at_a_few_ahead_and_at_the_call_and_is_counted(hall, browser):
    ahead = [hall.ticket("general") for _ in range(4)]
    mine = hall.ticket("general", language="en")
    browser.get(hall.page(mine))
    wait_for(browser, lambda: live(browser), "the live stream open")
    # what the page asks of the phone, recorded: the browser's own vibrate and audio calls
    browser.execute_script(
        """window.buzzes = []; navigator.vibrate = (p) => { window.buzzes.push(p); return true; };
        window.tones = 0; const make = AudioContext.prototype.createOscillator;
        AudioContext.prototype.createOscillator = function () { window.tones++; return make.call(this); };"""
    )
    assert "Alert me" in browser.find_element("id", "alert-me").text
    assert "at 3 ahead" in browser.find_element("id", "alert-how").text
    browser.find_element("id", "alert-me").click()
    wait_for(browser, lambda: browser.find_element("id", "alerts-on").is_displayed(), "the alert on")
    assert not browser.find_element("id", "alert-me").is_displayed()
    wait_until(lambda: hall.http.get(f"/t/{mine['status_token']}.json").json()["alerts_on"], what="the opt-in stored")
    buzzes_at_tap = len(browser.execute_script("return window.buzzes"))

    hall.counter("call-next")  # 4 ahead -> 3 ahead: nearly your turn
    wait_for(browser, lambda: browser.find_element("id", "overlay").is_displayed(), "the nearly-your-turn alert")
    assert "Nearly your turn" in browser.find_element("id", "overlay").text
    assert len(browser.execute_script("return window.buzzes")) == buzzes_at_tap + 1
    browser.find_element("id", "overlay-ok").click()
    hall.counter("call-next")  # 2 ahead: no second alert for the same thing
    wait_for(browser, lambda: "2 ahead" in headline(browser), "two ahead")
    assert not browser.find_element("id", "overlay").is_displayed()

    for _ in ahead[2:]:
        hall.counter("call-next")
    hall.counter("call-next")
    wait_for(browser, lambda: "Please go to Counter 1" in headline(browser), "the call")
    assert browser.find_element("id", "overlay").is_displayed()
    assert browser.execute_script("return window.buzzes.length") == buzzes_at_tap + 2
    assert browser.execute_script("return window.tones") >= 6  # a chime of three double tones at the call


def test_without_alert_me_the_call_shows_full_screen_but_the_phone_stays_silent(hall, browser):
    mine = hall.ticket("general", language="en")
    browser.get(hall.page(mine))
    wait_for(browser, lambda: live(browser), "the live stream open")
    browser.execute_script("window.buzzes = []; navigator.vibrate = (p) => { window.buzzes.push(p); return true; };")
    hall.counter("call-next")
    wait_for(browser, lambda: browser.find_element("id", "overlay").is_displayed(), "the call full-screen")
    assert browser.execute_script("return window.buzzes.length") == 0  # a phone never buzzes unasked


def test_when_the_server_refuses_more_streams_the_page_polls_and_still_follows_the_ticket(tmp_path, browser):
    server = ServerProcess(*hall_config(tmp_path, phone={"max_watchers": 10}))
    try:
        hall = Hall(server)
        mine = hall.ticket("general", language="en")  # first in line
        others = [hall.ticket("payment") for _ in range(10)]
        streams = [httpx.stream("GET", f"{server.url}/t/{t['status_token']}/live", timeout=30) for t in others]
        opened = [s.__enter__() for s in streams]
        assert all(r.status_code == 200 for r in opened)
        assert hall.http.get(f"/t/{mine['status_token']}/live").status_code == 503
        browser.get(hall.page(mine))
        hall.counter("call-next")
        wait_for(browser, lambda: "Please go to Counter 1" in headline(browser), "the call, by polling", timeout=30)
        for s in streams:
            s.__exit__(None, None, None)
    finally:
        server.stop()


def test_the_page_sends_its_security_headers_and_loads_nothing_from_elsewhere(hall):
    mine = hall.ticket("general")
    page = hall.http.get(f"/t/{mine['status_token']}")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "http://" not in page.text.replace(hall.server.url, "") and "https://" not in page.text
    assert "<script>" not in page.text  # no inline script: the policy would refuse it
    for name in ("status.js", "status.css"):
        assert hall.http.get(f"/t/static/{name}").status_code == 200
    assert hall.http.get("/t/static/other.js").status_code == 404
    assert hall.http.get(f"/t/{mine['status_token']}/live", params={"lang": "fr"}).status_code == 422
    assert hall.http.post("/t/not-a-ticket/alerts").status_code == 404


# ------------------------------------------------------------ readable on every phone
CONTRAST = """
function lum(c) { const v = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((x) => {
  x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
function ground(el) { for (; el; el = el.parentElement) { const b = getComputedStyle(el).backgroundColor;
  if (!b.startsWith('rgba(0, 0, 0, 0)') && b !== 'transparent') return b; } return 'rgb(255, 255, 255)'; }
const out = [];
for (const el of document.querySelectorAll('body *')) {
  if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
  const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const s = getComputedStyle(el), a = lum(s.color), b = lum(ground(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), px = parseFloat(s.fontSize);
  if (ratio < 4.5) out.push(el.id + ' contrast ' + ratio.toFixed(2));
  if (px < 16) out.push(el.id + ' text ' + px + ' px');
}
const wide = document.documentElement.scrollWidth;
if (wide > window.innerWidth) out.push('scrolls sideways: ' + wide);
for (const b of document.querySelectorAll('button')) { const r = b.getBoundingClientRect();
  if (b.offsetParent && (r.width < 44 || r.height < 44)) out.push(b.textContent + ' ' + r.width + 'x' + r.height);
}
return out;
"""


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "en"])
def test_every_state_is_readable_on_a_320_px_phone_with_contrast_and_finger_sized_buttons(hall, lang):
    driver = chromium(320, 640)
    shots = os.environ.get("KIOSK_PHONE_SHOTS")  # a folder: each state's picture, to look at
    try:
        hall.ticket("general")
        mine = hall.ticket("general", language=lang)
        states: list[tuple[str, Callable[[], object]]] = [
            ("near", lambda: None),
            ("next", lambda: hall.counter("call-next")),
            ("called", lambda: hall.counter("call-next")),
            ("serving", lambda: (driver.find_element("id", "overlay-ok").click(), hall.counter("start"))),
            ("finished", lambda: hall.counter("finish")),
        ]
        driver.get(hall.page(mine))
        wait_for(driver, lambda: live(driver), "the live stream open")
        for name, act in states:
            before = headline(driver)
            act()
            if name != "near":
                wait_for(driver, lambda: headline(driver) != before, f"the page after {name}")  # noqa: B023
            problems = driver.execute_script(CONTRAST)
            assert problems == [], f"{lang} {name}: {problems}"
            if shots:
                driver.save_screenshot(os.path.join(shots, f"phone-320-{lang}-{name}.png"))
    finally:
        driver.quit()


def test_served_over_https_the_page_is_a_secure_context_where_phones_allow_notifications(tmp_path):
    cert, key = tmp_path / "hall.crt", tmp_path / "hall.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    cfg, tokens = hall_config(tmp_path, server={"tls_cert": str(cert), "tls_key": str(key)})
    server = ServerProcess(cfg, tokens, https=True)
    driver = chromium()
    try:
        hall = Hall(server, verify=ssl.create_default_context(cafile=str(cert)))
        mine = hall.ticket("general", language="en")
        with pytest.raises(httpx.HTTPError):  # plain HTTP is not served beside it
            httpx.get(hall.page(mine).replace("https://", "http://"), timeout=5)
        driver.execute_cdp_cmd("Security.setIgnoreCertificateErrors", {"ignore": True})  # our own test certificate
        driver.get(hall.page(mine))
        assert driver.execute_script("return window.isSecureContext") is True
        assert "ahead" in headline(driver) or "next" in headline(driver)
        hall.counter("call-next")
        wait_for(driver, lambda: "Please go to Counter 1" in headline(driver), "the call over HTTPS")
    finally:
        driver.quit()
        server.stop()


def test_a_customer_types_a_phone_number_for_texts_and_sees_only_its_last_digits(tmp_path, browser):
    fake = FakeModem(tmp_path / "ttyModem")
    server = ServerProcess(*hall_config(tmp_path, sms={"modem": str(fake.link)}))
    try:
        hall = Hall(server)
        for _ in range(4):
            hall.ticket("general")
        mine = hall.ticket("general", language="en")
        browser.get(hall.page(mine))
        wait_for(browser, lambda: browser.find_element("id", "texting").is_displayed(), "the text form")
        assert browser.find_element("css selector", "label[for='text-number']").text == "Mobile number"
        field = browser.find_element("id", "text-number")
        field.send_keys("call me")
        browser.find_element("id", "text-me").click()
        wait_for(browser, lambda: "6 to 15 digits" in browser.find_element("id", "text-problem").text, "the refusal")
        field.clear()
        field.send_keys("0912 345 678")
        browser.find_element("id", "text-me").click()
        wait_for(browser, lambda: browser.find_element("id", "text-to").is_displayed(), "the number taken")
        assert browser.find_element("id", "text-to").text == "We will text •••••••678"
        assert "0912" not in browser.find_element("tag name", "body").text
        assert not browser.find_element("id", "texting").is_displayed()
        problems = browser.execute_script(CONTRAST)
        assert problems == [], problems
        hall.counter("call-next")  # 3 ahead: the first text
        text = f"{mine['number']}: 3 ahead of you, please come back to the hall"
        wait_until(lambda: fake.texts() == [("0912345678", text)], 15, "the text at 3 ahead")
    finally:
        server.stop()
        fake.unplug()


def test_in_a_background_tab_the_call_flashes_the_tab_title(hall, browser):
    mine = hall.ticket("general", language="en")
    browser.get(hall.page(mine))
    wait_for(browser, lambda: live(browser), "the live stream open")
    browser.find_element("id", "alert-me").click()
    page = browser.current_window_handle
    browser.switch_to.new_window("tab")  # the customer reads something else meanwhile
    try:
        hall.counter("call-next")

        def tab_titles() -> list[str]:  # every tab's title, read without bringing ours to the front
            return [t["title"] for t in browser.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]]

        flash = f"🔔 {mine['number']} · Please go to Counter 1"
        wait_for(browser, lambda: flash in tab_titles(), "the title flashing in the background tab")
    finally:
        for handle in browser.window_handles:
            if handle != page:
                browser.switch_to.window(handle)
                browser.close()
        browser.switch_to.window(page)
