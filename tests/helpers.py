"""Configurations for tests that run on the real clock and must not depend on the hour."""

from __future__ import annotations

from kiosk.config import KioskConfig
from kiosk.testing import make_config


def always_open_config(counters: int = 3) -> KioskConfig:
    """The example site, open every day around the clock, with `counters` counters that each
    serve every service."""
    return make_config(counters=counters)
