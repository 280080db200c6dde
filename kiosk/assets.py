"""Where the assets are (fonts, translations, sounds): ./assets in a source checkout (an
editable install), else where the wheel put them."""

from __future__ import annotations

import sys
from pathlib import Path


def assets_dir() -> Path:
    here = Path(__file__).resolve().parents[1] / "assets"
    if (here / "translations").is_dir():
        return here
    return Path(sys.prefix) / "share" / "front-desk-kiosk" / "assets"
