"""This program's version, and how our own clients name themselves to the server: the hall's
health page shows each screen's and kiosk's version and how far its clock is off."""

from __future__ import annotations

import time
from importlib import metadata

CLOCK_HEADER = "X-Kiosk-Clock"  # the client's clock (seconds since the epoch) when it sent the request


def our_version() -> str:
    try:
        return metadata.version("front-desk-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"


def user_agent() -> str:
    return f"front-desk-kiosk/{our_version()}"


def clock_header() -> dict[str, str]:
    return {CLOCK_HEADER: f"{time.time():.3f}"}
