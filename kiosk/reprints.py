"""A kiosk prints the reprints staff ask for: every `ticket_reprint` event addressed to it, and
every `follow_up_slip` (the reply time a customer was promised, kiosk/slip_doc.py).

Staff ask from a counter panel, the manager view, the API or `kiosk reprint`; the engine records
the request as an event naming the kiosk that issued the ticket. The kiosk with that name hears
the event (in-process from the engine's bus, or over the server's event stream when it is a
remote screen) and prints it on its own printer. Each event prints at most once, and a request
older than MAX_AGE_S is not printed late (a kiosk that was off for an hour must not print a
batch of stale tickets nobody waits for).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future

from kiosk.config import KioskConfig
from kiosk.devices import PrintOutcome
from kiosk.domain import LANGUAGES, Event, Ticket, TicketState
from kiosk.printing import PrintService
from kiosk.slip_doc import make_slip_doc
from kiosk.ticket_doc import make_ticket_doc

log = logging.getLogger(__name__)
MAX_AGE_S = 120


class Reprints:
    def __init__(
        self, kiosk_name: str, service: PrintService, config: KioskConfig, now: Callable[[], float] = time.time
    ):
        self.kiosk_name = kiosk_name
        self.service = service
        self.config = config
        self._now = now
        self._seen: deque[int] = deque(maxlen=256)

    def on_event(self, ev: Event) -> Future[PrintOutcome] | None:
        """From any thread; never blocks (printing is queued on the printer's worker). The
        print's future, or None when the event is not a reprint for this kiosk."""
        if ev.kind not in ("ticket_reprint", "follow_up_slip") or ev.data.get("printer") != self.kiosk_name:
            return None
        if ev.seq in self._seen:
            return None
        if ev.kind == "ticket_reprint" and ev.data.get("by") == self.kiosk_name:  # its own "Print again"
            return None
        self._seen.append(ev.seq)
        if self._now() - ev.at > MAX_AGE_S:
            log.info("%s not printed: asked %.0f s ago", ev.kind, self._now() - ev.at)
            return None
        if ev.kind == "follow_up_slip":
            return self.service.submit(make_slip_doc(ev.data, self.config))
        d = ev.data["ticket"]
        ticket = Ticket(**{**d, "state": TicketState(d["state"])})
        lang = ticket.language if ticket.language in LANGUAGES else self.config.site.language
        doc = make_ticket_doc(
            ticket,
            self.config,
            lang,
            self.config.site.public_url,
            ev.data.get("ahead"),
            ev.data.get("estimated_wait_s"),
        )
        return self.service.submit(doc, reprint=True)
