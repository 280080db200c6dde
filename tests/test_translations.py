"""Every staff text on screen has a translation in both Chinese scripts, the compiled .qm files
match the table, and every customer phrase exists in all three languages."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from kiosk.phrases import PHRASES, missing_translations
from tests.conftest import ROOT

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _table():
    spec = importlib.util.spec_from_file_location("build", ROOT / "assets" / "translations" / "build.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.TEXTS


def staff_strings() -> set[str]:
    found = set()
    for path in (ROOT / "ui").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'\bt\("([^"]+)"\)', text)) | set(re.findall(r"\bt\('([^']+)'\)", text))
    # texts passed through t() indirectly
    from ui.counter_panel import CLOCK_TEXT, PRINTER_STATES, SENSOR_STATES
    from ui.follow_up_board import COLUMNS, METHODS
    from ui.manager_view import LOG_COLUMNS
    from ui.refusals import TEMPLATES

    found |= (
        set(TEMPLATES.values())
        | {h for _, h in LOG_COLUMNS}
        | set(PRINTER_STATES.values())
        | set(SENSOR_STATES.values())
        | {CLOCK_TEXT}
        | set(COLUMNS)
        | {words for _, words in METHODS}
    )
    found |= {"waiting", "called", "serving", "finished", "no_show"}
    return found


def web_manager_strings() -> set[str]:
    """The web manager view's texts: t("...") in its templates and modules, and the words its
    tables pass through t()."""
    found = set()
    manage = ROOT / "kiosk" / "server" / "manage"
    for path in [*manage.rglob("*.html"), *manage.rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'\bt\(\s*"([^"]+)"\s*\)', text)) | set(re.findall(r"\bt\(\s*'([^']+)'\s*\)", text))
        found |= set(re.findall(r'\("/manage/[a-z-]+", "([^"]+)"\)', text))  # the navigation's labels
    from kiosk.server.manage.views import DEVICE_STATES, LOG_COLUMNS, REPLY_METHODS

    found |= set(DEVICE_STATES.values()) | {w for _, w in REPLY_METHODS} | {h for _, h in LOG_COLUMNS}
    found |= {"printer", "sensor", "kiosk", "counter", "display", "manager", "device", "Open", "Paused", "Closed"}
    return found


def test_every_text_of_the_web_manager_view_is_translated():
    from kiosk.server.manage.texts import translator

    table = _table()
    texts = web_manager_strings()
    assert "Hall health" in texts and "Waiting-time log" in texts  # the scan finds the pages' words
    assert sorted(s for s in texts if s not in table) == []
    # and the server, without Qt, reads them from the .ts files
    hant = translator("zh-Hant")
    assert all(hant(s) == table[s][0] for s in texts)


def test_every_staff_text_is_translated():
    table = _table()
    missing = sorted(s for s in staff_strings() if s not in table)
    assert missing == []
    assert all(hant and hans for hant, hans in table.values())


def test_compiled_translations_match_the_table_and_load(qapp):
    table = _table()
    for lang, idx in (("zh-Hant", 0), ("zh-Hans", 1)):
        ts = ET.parse(ROOT / "assets" / "translations" / f"kiosk_{lang}.ts")
        pairs = {m.findtext("source"): m.findtext("translation") for m in ts.iter("message")}
        assert pairs == {k: v[idx] for k, v in table.items()}, "rebuild: python assets/translations/build.py"
    from ui.i18n import install_language, t

    assert install_language("zh-Hant") and t("Call next") == "叫下一位" and t("Finish") == "辦理完成"
    assert install_language("zh-Hans") and t("Waited") == "已等候" and t("Finish") == "办理完成"
    assert install_language("en") and t("Call next") == "Call next"


def test_customer_phrases_exist_in_all_three_languages():
    assert missing_translations() == []
    assert PHRASES["call"]["zh-Hant"].format(number="A012", counter="3號櫃台") == "請 A012 號到 3號櫃台"


def test_snapshot_renders_a_screen_to_png(tmp_path):
    out = tmp_path / "display.png"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "snapshot",
            "display",
            "--out",
            str(out),
            "--size",
            "1280x720",
            "--lang",
            "zh-Hans",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
    )
    assert res.returncode == 0, res.stderr
    from PIL import Image

    img = Image.open(out)
    assert img.size == (1280, 720)
    colors = img.convert("RGB").getcolors(1 << 20)
    assert colors is not None and len(colors) > 20  # drawn, not a blank frame
