"""Turns the picture for a screen mounted in portrait or upside down.

The compositor does it (wlr-randr in the cage session), not Qt: the picture and the touch input
then turn together, and the screens simply lay out for the portrait size they are given (every
screen is checked at portrait sizes in tests/test_screen_sizes.py)."""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable

log = logging.getLogger(__name__)

TRANSFORM = {90: "90", 180: "180", 270: "270"}


def rotate_outputs(
    rotation: int, run: Callable[..., subprocess.CompletedProcess] = subprocess.run, env: dict[str, str] | None = None
) -> list[str]:
    """Rotates every output of the Wayland session by `rotation` degrees clockwise; returns the
    outputs turned. Never raises: a screen that cannot be turned still serves customers."""
    env = dict(os.environ) if env is None else env
    if rotation == 0:
        return []
    if not env.get("WAYLAND_DISPLAY"):
        log.warning("screen.rotation = %d needs the Wayland session (cage); the picture is not turned", rotation)
        return []
    try:
        listing = run(["wlr-randr"], capture_output=True, text=True, timeout=5, check=True).stdout
        outputs = [line.split()[0] for line in listing.splitlines() if line and not line[0].isspace()]
        for name in outputs:
            run(["wlr-randr", "--output", name, "--transform", TRANSFORM[rotation]], timeout=5, check=True)
    except (OSError, subprocess.SubprocessError) as e:
        log.warning("screen.rotation = %d: the picture could not be turned (%s); is wlr-randr installed?", rotation, e)
        return []
    log.info("screen turned %d degrees: %s", rotation, ", ".join(outputs))
    return outputs
