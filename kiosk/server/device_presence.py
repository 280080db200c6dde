"""Which devices call this server: each authenticated request and event stream notes its token's
device, and every few seconds what was heard is written to the store in one go
(kiosk/engine/sessions.py DevicesSeen), for the hall's health page.

Noting costs a dictionary write per request (the hot routes pay it too), so the parsing of the
version and the clock waits for the flush. A device tells its version in User-Agent
("front-desk-kiosk/1.4.0") and its clock in X-Kiosk-Clock (seconds since the epoch); a browser
or another client is noted without them.
"""

from __future__ import annotations

import asyncio
import logging
import re

from starlette.requests import HTTPConnection

from kiosk.engine import Engine
from kiosk.engine.sessions import DeviceSeen
from kiosk.server.auth import Caller

logger = logging.getLogger("kiosk.server.app")
FLUSH_EVERY_S = 5.0
OUR_AGENT = re.compile(r"front-desk-kiosk/([0-9A-Za-z.+_-]{1,30})")


def _offset(clock: str, at: float) -> float | None:
    try:
        return round(float(clock) - at, 1) if clock else None
    except ValueError:
        return None


def _version(agent: str) -> str:
    m = OUR_AGENT.search(agent)
    return m.group(1) if m else agent.split(" ", 1)[0][:40]


class DevicePresence:
    def __init__(self, engine: Engine):
        self.engine = engine
        # device -> (role, address, heard at (server clock), User-Agent, X-Kiosk-Clock)
        self.heard: dict[str, tuple[str, str, float, str, str]] = {}
        self.streams: dict[str, list[DeviceSeen]] = {}  # devices holding an event stream: heard while it lasts

    def note(self, caller: Caller, request: HTTPConnection) -> None:
        headers = request.headers
        address = request.client.host if request.client else ""
        at = self.engine.clock.now()
        self.heard[caller.name] = (
            caller.role,
            address,
            at,
            headers.get("user-agent", ""),
            headers.get("x-kiosk-clock", ""),
        )

    def stream_opened(self, caller: Caller, request: HTTPConnection) -> DeviceSeen:
        self.note(caller, request)
        role, address, at, agent, clock = self.heard[caller.name]
        seen = DeviceSeen(caller.name, role, address, at, _version(agent), _offset(clock, at))
        self.streams.setdefault(caller.name, []).append(seen)
        return seen

    def stream_closed(self, seen: DeviceSeen) -> None:
        held = self.streams.get(seen.device, [])
        if seen in held:
            held.remove(seen)
        if not held:
            self.streams.pop(seen.device, None)

    def take(self) -> list[DeviceSeen]:
        """What was heard since the last flush, with every open stream heard now."""
        heard, self.heard = self.heard, {}
        now = self.engine.clock.now()
        out = {
            name: DeviceSeen(name, role, address, at, _version(agent), _offset(clock, at))
            for name, (role, address, at, agent, clock) in heard.items()
        }
        for name, held in self.streams.items():
            if held and name not in out:
                s = held[-1]
                out[name] = DeviceSeen(name, s.role, s.address, now, s.version, s.clock_offset_s)
        return list(out.values())

    async def flush_every(self, seconds: float = FLUSH_EVERY_S) -> None:
        while True:
            await asyncio.sleep(seconds)
            await asyncio.to_thread(self.flush)

    def flush(self) -> None:
        seen = self.take()
        if seen:
            try:
                self.engine.record_seen(seen)
            except Exception as e:  # a busy or absent database: heard again soon
                logger.info("could not note the devices heard: %s", e)
