"""uvicorn's HTTP protocol with a deadline for a request's headers, and a cap per address.

uvicorn times out an idle keep-alive connection only after a first response; a client that
connects and sends nothing, or dribbles a header line every few seconds, holds its connection
(and a file descriptor) forever, and a thousand of them lock the counters out. Here every
request's headers must be complete within HEADER_TIMEOUT_S of its first byte (or of the
connection), or the connection is closed.

uvicorn's `limit_concurrency` counts every open connection, idle ones too, so 2,000 idle
connections from one laptop answered every counter's call-next with 503. So: one address (but
this machine's own) may hold at most `per_client` connections (HTTP and WebSocket; a screen needs two or three), and
when the server is half full, a connection gets PRESSURE_TIMEOUT_S, not the full deadline, to
send its first request.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEADER_TIMEOUT_S = 10.0
PRESSURE_TIMEOUT_S = 1.0
# this machine's own screens (`kiosk screen --server http://127.0.0.1:8000`) are never capped; a
# flood from the LAN comes from other addresses (behind a reverse proxy on this machine every
# client would look local: the proxy must cap them itself)
THIS_MACHINE = frozenset({"127.0.0.1", "::1"})


class HeaderDeadlineProtocol(HttpToolsProtocol):
    timeout_s = HEADER_TIMEOUT_S  # `kiosk serve` sets server.header_timeout_s
    per_client = 50  # ... server.max_connections_per_client
    pressure_at = 1000  # ... half of server.max_connections
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        host = self.client[0] if self.client else None
        if host not in THIS_MACHINE and host is not None and self._held_by(host) > self.per_client:
            transport.close()  # over its share: the others' counters keep working
            return
        self._arm(PRESSURE_TIMEOUT_S if len(self.connections) > self.pressure_at else None)

    def _held_by(self, host: str) -> int:
        """Connections this address holds now, WebSockets included (they share the set)."""
        return sum(1 for p in self.connections if (getattr(p, "client", None) or ("",))[0] == host)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:
            self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float | None = None) -> None:
        self._header_timer = self.loop.call_later(min(self.timeout_s, seconds or self.timeout_s), self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()
