"""Languages on screen. Customer texts come from the phrase catalogue (kiosk/phrases.py);
staff texts (panel buttons, manager view) go through Qt's translation system: English source
strings, assets/translations/kiosk_<lang>.ts, compiled to .qm."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.assets import assets_dir

ASSETS = assets_dir()
CONTEXT = "kiosk"
LANGUAGE_LABELS = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English"}
_installed: QTranslator | None = None


def t(text: str) -> str:
    """A staff-facing text in the installed language."""
    return QCoreApplication.translate(CONTEXT, text)


def install_language(lang: str) -> bool:
    """Switch staff texts to `lang`; English needs no file. False if the .qm is missing."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:  # no Qt application yet: nothing to translate
        return False
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if lang == "en":
        return True
    tr = QTranslator()
    if not tr.load(str(ASSETS / "translations" / f"kiosk_{lang}.qm")):
        return False
    app.installTranslator(tr)
    _installed = tr
    return True
