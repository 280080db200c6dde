"""Look and feel: high contrast, large type, touch targets of at least 15 mm."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

FAMILY_FOR_LANGUAGE = {"zh-Hant": "Noto Sans CJK TC", "zh-Hans": "Noto Sans CJK SC", "en": "Noto Sans CJK TC"}
NAVY, GOLD, WHITE, INK, RED, AMBER, GREEN = "#0b2545", "#f2c14e", "#ffffff", "#111111", "#b00020", "#ffb300", "#1b7f3b"


def min_touch_px(widget) -> int:
    """15 mm in pixels on the widget's screen (at least 56 px)."""
    screen = widget.screen() if widget is not None else None
    dpi = screen.physicalDotsPerInch() if screen is not None else 96
    return max(56, round(15 / 25.4 * dpi))


def font(lang: str, size_px: int, bold: bool = False) -> QFont:
    f = QFont(FAMILY_FOR_LANGUAGE.get(lang, "Noto Sans CJK TC"))
    f.setPixelSize(size_px)
    f.setBold(bold)
    return f


def apply_base_style(app: QApplication, lang: str = "zh-Hant") -> None:
    families = set(QFontDatabase.families())
    family = FAMILY_FOR_LANGUAGE.get(lang, "Noto Sans CJK TC")
    if family in families:
        app.setFont(font(lang, 20))
    app.setStyleSheet(f"""
        QWidget {{ color: {INK}; }}
        QPushButton {{ border-radius: 10px; padding: 10px 18px; background: #e8edf5; border: 2px solid #9aa7b8; }}
        QPushButton:disabled {{ color: #666; background: #eeeeee; border-color: #cccccc; }}
        QPushButton:pressed {{ background: #c9d6ea; }}
        QPushButton:focus {{ border: 3px solid {NAVY}; }}
    """)
