"""The web manager view's words in the manager's language: the same English source texts and
translations as the Qt staff screens (assets/translations/kiosk_<lang>.ts, written by
assets/translations/build.py), read here without Qt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache

from kiosk.assets import assets_dir


@cache
def _table(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    root = ET.parse(assets_dir() / "translations" / f"kiosk_{lang}.ts").getroot()
    out = {}
    for message in root.iter("message"):
        source, translation = message.findtext("source"), message.findtext("translation")
        if source and translation:
            out[source] = translation
    return out


def translator(lang: str) -> Callable[[str], str]:
    """t(text) in `lang`; a text without a translation stays in English (tests/test_translations.py
    checks that none is missing)."""
    table = _table(lang)
    return lambda text: table.get(text, text)
