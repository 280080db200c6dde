"""systemd's watchdog: a process tells systemd it is alive from its own event loop, so a screen
or server whose loop is stuck (a hung driver call on the UI thread, a deadlock) stops pinging
and systemd restarts it (`WatchdogSec=` in deploy/systemd). Outside systemd (no NOTIFY_SOCKET)
every call does nothing. The sd_notify protocol is one datagram on a Unix socket; no library.
"""

from __future__ import annotations

import os
import socket


def notify(message: str) -> bool:
    """Send `message` ("READY=1", "WATCHDOG=1", ...) to systemd; False when not under systemd."""
    path = os.environ.get("NOTIFY_SOCKET")
    if not path:
        return False
    if path.startswith("@"):  # an abstract socket
        path = "\0" + path[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
            s.connect(path)
            s.sendall(message.encode())
        return True
    except OSError:
        return False


def ping_interval_s() -> float | None:
    """Half the watchdog period systemd asks for (WATCHDOG_USEC), or None without a watchdog."""
    usec = os.environ.get("WATCHDOG_USEC")
    if not usec or not usec.isdigit() or int(usec) <= 0:
        return None
    # WATCHDOG_PID is not checked: a screen runs as the child of cage (the unit's main
    # process) and is the one whose loop matters; its unit says NotifyAccess=all
    return int(usec) / 2e6
