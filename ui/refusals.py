"""The queue's refusals in the screen's language, through Qt's translations
(kiosk/refusal_texts.py holds the templates)."""

from __future__ import annotations

from kiosk.config import KioskConfig
from kiosk.refusal_texts import TEMPLATES
from kiosk.refusal_texts import refusal_text as _refusal_text
from ui.i18n import t

__all__ = ["TEMPLATES", "refusal_text"]


def refusal_text(error: Exception, lang: str, config: KioskConfig) -> str:
    """What a clerk reads when the queue refuses a press, in the panel's language."""
    return _refusal_text(error, lang, config, t)
