"""The web manager view's live feed: which parts of the hall changed, as server-sent events.

A manager page needs to know *that* something changed, not what: it then asks for its own
region again, as the manager's session (so nothing personal ever travels on this feed). Topics
heard within `COALESCE_S` go out as one message; a page's regions throttle their own reloads.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from kiosk.domain import Event
from kiosk.event_hub import EventHub

COALESCE_S = 0.5
KEEP_ALIVE_S = 20.0  # a comment on a quiet feed: proxies keep it open, a closed tab is noticed
SESSION_CHECK_S = 60.0  # a feed ends soon after its session does (signed out elsewhere, idle)
MAX_FEEDS = 50  # manager pages open at once; more get 503 and still work on reload


def topic_of(kind: str) -> str | None:
    if kind.startswith("ticket_") or kind == "appointments_changed":
        return "tickets"  # (a check-in is a ticket; the appointments page follows both)
    if kind.startswith("follow_up_"):
        return "follow-ups"
    if kind.startswith(("counter_", "staff_")) or kind == "day_closed":
        return "counters"
    if kind == "device_alert":
        return "devices"
    if kind.startswith("greet_"):
        return "greetings"
    return None


def catch_up(events: list[Event]) -> str | None:
    """The message for what happened after the page was drawn and before its feed opened (or
    while it was reconnecting): nothing, or the topics at once."""
    topics = {t for t in (topic_of(ev.kind) for ev in events) if t}
    return message(events[-1].seq, topics) if topics else None


def message(seq: int, topics: set[str]) -> str:
    # the id comes back as Last-Event-ID when the browser reconnects: it catches up from there
    return f"id: {seq}\ndata: {' '.join(sorted(topics))}\n\n"


class ManagerFeed:
    def __init__(self, hub: EventHub):
        self.queues: set[asyncio.Queue[tuple[int, str]]] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop_hearing: Callable[[], None] = hub.subscribe(self._heard)

    def join(self) -> asyncio.Queue[tuple[int, str]] | None:
        if len(self.queues) >= MAX_FEEDS:
            return None
        self.loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
        self.queues.add(queue)
        return queue

    def leave(self, queue: asyncio.Queue[tuple[int, str]]) -> None:
        self.queues.discard(queue)

    def _heard(self, ev: Event) -> None:  # the hub's thread
        topic, loop = topic_of(ev.kind), self.loop
        if topic is None or loop is None or not self.queues:
            return

        item = (ev.seq, topic)

        def deliver() -> None:
            for q in self.queues:
                q.put_nowait(item)

        loop.call_soon_threadsafe(deliver)

    async def messages(
        self, queue: asyncio.Queue[tuple[int, str]], still_signed_in: Callable[[], bool]
    ) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        checked = loop.time()
        while True:
            try:
                first = await asyncio.wait_for(queue.get(), KEEP_ALIVE_S)
            except TimeoutError:
                first = None
            if loop.time() - checked > SESSION_CHECK_S:
                checked = loop.time()
                if not await asyncio.to_thread(still_signed_in):
                    yield "event: signed-out\ndata: \n\n"
                    return
            if first is None:
                yield ": still here\n\n"
                continue
            await asyncio.sleep(COALESCE_S)
            seq, topic = first
            topics = {topic}
            while not queue.empty():
                seq, topic = queue.get_nowait()
                topics.add(topic)
            yield message(seq, topics)
