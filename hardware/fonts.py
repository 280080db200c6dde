"""The CJK font tickets are drawn with. Found through fontconfig (Debian: fonts-noto-cjk) or a
configured path. No font is a clear start-up error, never boxes on paper.

Noto Sans CJK ships Traditional (TC) and Simplified (SC) faces in one .ttc; the face is picked
by name so a zh-Hant ticket gets Taiwan glyph shapes and a zh-Hans ticket mainland ones.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from kiosk.devices import DeviceSetupError

FACE_FOR_LANGUAGE = {"zh-Hant": "TC", "zh-Hans": "SC", "en": "TC"}
CHECK_TEXT = "您好號碼请留意"  # Traditional and Simplified
INSTALL_HINT = "install a CJK font (Debian/Raspberry Pi OS: sudo apt-get install fonts-noto-cjk) or set printer.font"


class FontMissing(DeviceSetupError):
    pass


def find_cjk_font(configured: str | None = None, *, bold: bool = True) -> Path:
    if configured:
        p = Path(configured)
        if not p.is_file():
            raise FontMissing(f"printer.font: {p} does not exist; {INSTALL_HINT}")
        try:
            font = load_font(str(p), 24, "zh-Hant")
        except OSError:
            raise FontMissing(f"printer.font: {p} is not a font Pillow can read; {INSTALL_HINT}") from None
        if not has_glyphs(font, CHECK_TEXT):  # a Latin font would print boxes
            raise FontMissing(f"printer.font: {p} has no Chinese characters; {INSTALL_HINT}")
        return p
    if shutil.which("fc-match") is None:
        raise FontMissing(f"fontconfig (fc-match) is not installed; {INSTALL_HINT}")
    style = "Bold" if bold else "Regular"
    out = subprocess.run(
        ["fc-match", "-f", "%{file}", f"Noto Sans CJK TC:style={style}"], capture_output=True, text=True, timeout=10
    ).stdout.strip()
    if not out or "CJK" not in Path(out).name:
        # fc-match always answers with *some* font; only a CJK one will do
        out = (
            subprocess.run(["fc-list", ":lang=zh-tw", "file"], capture_output=True, text=True, timeout=10)
            .stdout.split(":")[0]
            .strip()
        )
    if not out:
        raise FontMissing(f"no Chinese font found by fontconfig; {INSTALL_HINT}")
    return Path(out)


@functools.lru_cache(maxsize=64)
def load_font(path: str, size: int, language: str) -> ImageFont.FreeTypeFont:
    """The face of `path` for `language` (by name inside a .ttc), at `size` pixels."""
    want = FACE_FOR_LANGUAGE.get(language, "TC")
    first = None
    for index in range(16):
        try:
            font = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        first = first or font
        family = font.getname()[0]
        if family and family.endswith(f" {want}"):
            return font
    if first is None:
        raise FontMissing(f"{path} cannot be read as a font; {INSTALL_HINT}")
    return first


def _glyph(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    img = Image.new("L", (int(font.size * 2), int(font.size * 2)))
    ImageDraw.Draw(img).text((0, 0), ch, font=font, fill=255)
    return img.tobytes()


def has_glyphs(font: ImageFont.FreeTypeFont, text: str) -> bool:
    """True when every character of `text` has its own glyph (not the font's missing-glyph box)."""
    missing = _glyph(font, "\U0010fffd")
    return all(ch.isspace() or _glyph(font, ch) != missing for ch in text)
