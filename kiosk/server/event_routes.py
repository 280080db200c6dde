"""The event stream: every event, in order, to every screen over a WebSocket, resuming after the
last one a screen saw. Each event is encoded once and the same text goes to every client: with
100 displays, encoding per client was most of the server's work."""

# no `from __future__ import annotations`: FastAPI reads these routes' annotations at definition

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, WebSocket

from kiosk.domain import Event
from kiosk.engine import Engine
from kiosk.event_hub import EventHub
from kiosk.server.api import READ_ROLES, tokens_of
from kiosk.server.auth import bearer
from kiosk.server.protocol import THIS_MACHINE
from kiosk.server.wire import iso, out

logger = logging.getLogger("kiosk.server.app")

BACKLOG_PAGE = 500  # events per read when a client catches up


class EventFanOut:
    """The app's event stream: what the hub hears, encoded once, to every connected screen;
    and how many streams each address holds."""

    def __init__(self, engine: Engine, hub: EventHub):
        self.engine = engine
        self.clients: set[asyncio.Queue[tuple[int, str]]] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.streams: dict[str, int] = {}  # open event streams per client address
        self.over_cap: set[str] = set()  # addresses told about (their refusals are not logged one by one)
        self.stop_hearing: Callable[[], None] = hub.subscribe(self._fan_out)

    def encode(self, ev: Event) -> tuple[int, str]:
        tz = self.engine.tz
        return ev.seq, json.dumps(
            {"seq": ev.seq, "at": iso(ev.at, tz), "kind": ev.kind, "data": out(ev.data, tz)}, ensure_ascii=False
        )

    def _fan_out(self, ev: Event) -> None:
        loop = self.loop
        if loop is None or not self.clients:
            return
        item = self.encode(ev)

        def deliver() -> None:  # one wake-up of the event loop per event, not per client
            for q in self.clients:
                q.put_nowait(item)

        loop.call_soon_threadsafe(deliver)

    def pruned_since(self, after: int) -> bool:
        oldest = self.engine.first_event_seq()
        return oldest is not None and after < oldest - 1


router = APIRouter()


@router.websocket("/api/v1/events")
async def events(ws: WebSocket, after: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None) -> None:
    """Events in order. `after`: the last sequence number this client saw; it gets what it
    missed, in pages, then live events. Without it: live events from now (read the state
    first). A sequence this server has not reached (a restored database) gets
    {"kind": "reset", "seq": N}: reload the state and go on after N."""
    fan: EventFanOut = ws.app.state.events
    caller = tokens_of(ws).caller(bearer(ws))
    if caller is None or caller.role not in READ_ROLES:
        await ws.close(code=4401 if caller is None else 4403)
        return
    host = ws.client.host if ws.client else ""
    streams = fan.streams
    if host not in THIS_MACHINE and streams.get(host, 0) >= fan.engine.config.server.max_streams_per_client:
        if host not in fan.over_cap:
            fan.over_cap.add(host)  # one line per flood, not one per refused stream
            logger.warning("%s holds %d event streams; more are refused", host, streams[host])
        await ws.close(code=1013)  # "try again later": one machine holds its share already
        return
    fan.over_cap.discard(host)
    streams[host] = streams.get(host, 0) + 1
    presence = ws.app.state.presence
    seen = presence.stream_opened(caller, ws)  # a display that only listens is still heard from
    try:
        await _stream(fan, ws, after)
    finally:
        presence.stream_closed(seen)
        streams[host] -= 1
        if not streams[host]:
            del streams[host]


async def _stream(fan: EventFanOut, ws: WebSocket, after: int | None) -> None:
    await ws.accept()
    fan.loop = asyncio.get_running_loop()
    engine = fan.engine
    queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    fan.clients.add(queue)

    async def send() -> None:
        current = await asyncio.to_thread(engine.last_event_seq)
        if after is None:
            sent = current
        elif after > current or await asyncio.to_thread(fan.pruned_since, after):
            # a restored database, or what it missed was pruned: reload, then go on
            await ws.send_text(json.dumps({"seq": current, "kind": "reset", "data": {}}))
            sent = current
        else:
            sent = after
            while True:  # the backlog in pages: no page held longer than sent
                page = await asyncio.to_thread(engine.events_after, sent, BACKLOG_PAGE)
                for ev in page:
                    await ws.send_text(fan.encode(ev)[1])
                    sent = ev.seq
                if len(page) < BACKLOG_PAGE:
                    break
        while True:
            seq, text = await queue.get()
            if seq > sent:  # the backlog may already have carried it
                await ws.send_text(text)
                sent = seq

    async def until_closed() -> None:  # a client that left must not hold a task forever
        while (await ws.receive())["type"] != "websocket.disconnect":
            pass

    tasks = {asyncio.create_task(send()), asyncio.create_task(until_closed())}
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for t in tasks:
            t.cancel()
        fan.clients.discard(queue)
