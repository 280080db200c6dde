"""Printers that misbehave like real ones: the tests' and benches' doubles (like gpiozero's mock pins).

`PtyPrinter`: an ESC/POS printer at the far end of a pseudo-terminal, so the kiosk opens a real
serial port (/dev/pts/N) with pyserial. It reads at its baud rate (10 bits a byte), answers
DLE EOT status queries with one byte each, as real printers do, and keeps every ticket it
received (split at the cut). It can be told to stop reading mid-ticket (a jammed printer whose
buffer is full), to never answer (a printer that is on but deaf), or to vanish mid-ticket (the
cable pulled).

`CuttingProxy`: a TCP proxy in front of a LAN printer (emupos) that forwards status queries
and then, once the ticket's bytes start, cuts the connection or stalls it.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
import tty

DLE, EOT, ESC, GS = 0x10, 0x04, 0x1B, 0x1D
READY = {1: 0x16, 2: 0x12, 4: 0x12}


class EscposStream:
    """Splits an ESC/POS byte stream into real-time queries and print data, skipping the
    payloads of raster images (GS v 0) and 2D codes (GS ( k) where a DLE EOT is only data."""

    def __init__(self):
        self.buf = bytearray()
        self.tickets: list[bytes] = []
        self.current = bytearray()

    def feed(self, data: bytes) -> list[int]:
        """Returns the status queries (n of DLE EOT n) found, in order."""
        self.buf += data
        queries = []
        while self.buf:
            b = self.buf[0]
            need = 1
            if b == DLE:
                if len(self.buf) < 3:
                    break
                if self.buf[1] == EOT:
                    queries.append(self.buf[2])
                    del self.buf[:3]
                    continue
            elif b == GS and self.buf[1:3] == b"v0":
                if len(self.buf) < 8:
                    break
                need = 8 + (self.buf[4] | self.buf[5] << 8) * (self.buf[6] | self.buf[7] << 8)
            elif b == GS and self.buf[1:3] == b"(k":
                if len(self.buf) < 5:
                    break
                need = 5 + (self.buf[3] | self.buf[4] << 8)
            elif b == GS and self.buf[1:2] == b"V":
                need = 3 if len(self.buf) > 2 and self.buf[2] in (0, 1, 48, 49) else 4
            elif b in (ESC, GS):
                need = 2 if len(self.buf) < 2 else (2 if self.buf[1] == ord("@") else 3)
            if len(self.buf) < need:
                break
            chunk = bytes(self.buf[:need])
            del self.buf[:need]
            self.current += chunk
            if chunk[:2] == b"\x1dV":
                self.tickets.append(bytes(self.current))
                self.current = bytearray()
        return queries

    @property
    def data_bytes(self) -> int:
        return sum(map(len, self.tickets)) + len(self.current)


class PtyPrinter:
    def __init__(
        self,
        baudrate: int = 115200,
        answers: bool = True,
        stop_reading_after: int | None = None,
        vanish_after: int | None = None,
        status: dict[int, int] | None = None,
    ):
        self.baudrate = baudrate
        self.answers = answers
        self.stop_reading_after = stop_reading_after
        self.vanish_after = vanish_after
        self.status = dict(status or READY)
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self.stream = EscposStream()
        self.queries = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pty-printer", daemon=True)
        self._thread.start()

    @property
    def tickets(self) -> list[bytes]:
        return self.stream.tickets

    def _run(self) -> None:
        while not self._stop.is_set():
            data_so_far = self.stream.data_bytes
            if self.vanish_after is not None and data_so_far >= self.vanish_after:
                self.unplug()
                return
            if self.stop_reading_after is not None and data_so_far >= self.stop_reading_after:
                time.sleep(0.05)  # jammed: the kernel buffer fills and the writer blocks
                continue
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 64)
            except OSError:
                return
            for n in self.stream.feed(data):
                self.queries += 1
                if self.answers:
                    os.write(self.master, bytes([self.status.get(n, 0x12)]))
            time.sleep(len(data) * 10 / self.baudrate)  # the line's speed

    def unplug(self) -> None:
        """The cable is pulled: the port vanishes."""
        self._stop.set()
        for fd in (self.master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass

    def close(self) -> None:
        self.unplug()
        self._thread.join(timeout=2)


class CuttingProxy:
    """127.0.0.1:port -> a LAN printer. Passes status queries; once more than `after` bytes of a
    ticket went through, either closes both sides ("cut"), stops forwarding ("stall"), or calls
    `on_after` once and goes on ("hook": e.g. switch the printer offline mid-ticket)."""

    def __init__(self, target_port: int, mode: str, after: int = 200, on_after=None):
        self.target_port, self.mode, self.after, self.on_after = target_port, mode, after, on_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.forwarded = 0
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        conns = [client, upstream]
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select(conns, [], [], 0.1)
                for s in ready:
                    data = s.recv(4096)
                    if not data:
                        return
                    if s is client:
                        is_query = len(data) == 3 and data[:2] == bytes([DLE, EOT])
                        if not is_query and self.forwarded + len(data) > self.after and self.mode == "hook":
                            upstream.sendall(data[: max(0, self.after - self.forwarded)])
                            self.forwarded, data = self.after, data[max(0, self.after - self.forwarded) :]
                            self.mode, hook = "pass", self.on_after
                            hook()
                        elif not is_query and self.forwarded + len(data) > self.after and self.mode != "pass":
                            if self.mode == "cut":
                                upstream.sendall(data[: max(0, self.after - self.forwarded)])
                                return
                            while not self._stop.is_set():  # stall: hold everything, answer nothing
                                time.sleep(0.05)
                            return
                        if not is_query:
                            self.forwarded += len(data)
                        upstream.sendall(data)
                    else:
                        client.sendall(data)
        except OSError:
            pass
        finally:
            for s in conns:
                try:
                    s.close()
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self.listener.close()
