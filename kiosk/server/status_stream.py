"""Phones watching their tickets, live: each holds a server-sent-event stream scoped to its own
ticket (the QR code's token is the only key it needs). When the hall changes, one snapshot is
read for every phone watching and each phone gets its page's content only if what it shows
changed: 500 phones cost a few reads per change, not 500. Events that arrive while a snapshot is
being read are folded into the next one."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.domain import Event
from kiosk.engine import Engine
from kiosk.event_hub import EventHub
from kiosk.events import EventKind
from kiosk.ticket_status import language_of, snapshot, view

logger = logging.getLogger("kiosk.server.phones")

# What never changes a phone's page: the greet alerts, device alerts, reprints, sign-ins, the
# manager's follow-up board (a reply time is set at finish, which is a ticket event).
QUIET = {
    EventKind.GREET_ALERT,
    EventKind.GREET_REPEAT,
    EventKind.GREET_ESCALATED,
    EventKind.GREET_CONFIRMED,
    EventKind.DEVICE_ALERT,
    EventKind.TICKET_REPRINT,
    EventKind.STAFF_SIGNED_IN,
    EventKind.STAFF_SIGNED_OUT,
    EventKind.FOLLOW_UP_OPENED,
    EventKind.FOLLOW_UP_REPLIED,
    EventKind.FOLLOW_UP_REOPENED,
    EventKind.FOLLOW_UP_OVERDUE,
    EventKind.FOLLOW_UP_SLIP,
}
REFRESH_EVERY_S = 60.0  # the estimate and "updated hh:mm" move with the clock, not only with events


@dataclass(eq=False)
class Watcher:
    token: str
    lang: str | None  # asked for on the page; None: the ticket's own
    queue: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    last: str = ""  # the content last sent: nothing is sent twice


class StatusWatchers:
    def __init__(self, engine: Engine, hub: EventHub):
        self.engine = engine
        self.watchers: set[Watcher] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self.stop_hearing: Callable[[], None] = hub.subscribe(self._heard)

    def content(self, token: str, lang: str | None) -> str | None:
        """One ticket's page content as JSON text (None: no such ticket); blocking."""
        return self._render([(token, lang)])[0]

    def _render(self, wanted: list[tuple[str, str | None]]) -> list[str | None]:
        snap = snapshot(self.engine, sorted({token for token, _ in wanted}))
        site = self.engine.config.site.language
        done: dict[tuple[str, str], str | None] = {}
        out: list[str | None] = []
        for token, asked in wanted:
            found = snap.tickets.get(token)
            if found is None:
                out.append(None)
                continue
            key = (token, language_of(found[0], asked, site))
            if key not in done:
                page = view(self.engine, token, key[1], snap)
                done[key] = None if page is None else json.dumps(page, ensure_ascii=False)
            out.append(done[key])
        return out

    def watch(self, w: Watcher) -> None:
        self.loop = asyncio.get_running_loop()
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.create_task(self._refresher())
        self.watchers.add(w)

    def leave(self, w: Watcher) -> None:
        self.watchers.discard(w)

    def _heard(self, ev: Event) -> None:  # the hub's thread
        loop, wake = self.loop, self._wake
        if loop is None or wake is None or not self.watchers or ev.kind in QUIET:
            return
        loop.call_soon_threadsafe(wake.set)

    async def _refresher(self) -> None:
        assert self._wake is not None
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), REFRESH_EVERY_S)
            except TimeoutError:
                pass
            self._wake.clear()
            if self.watchers:
                try:
                    await self.refresh()
                except Exception as e:  # a database away for a moment: the next change tries again
                    logger.warning("phones not updated: %s", " ".join(str(e).split())[:200])

    async def refresh(self) -> None:
        watchers = list(self.watchers)
        texts = await asyncio.to_thread(self._render, [(w.token, w.lang) for w in watchers])
        for w, text in zip(watchers, texts, strict=True):
            if text is not None and text != w.last:
                w.last = text
                w.queue.put_nowait(text)

    def stop(self) -> None:
        self.stop_hearing()
        if self._task is not None:
            self._task.cancel()
