"""The wire to a printer: open, write, ask one status byte, close, each bounded by a deadline.

A write also ends when the printer stops taking bytes for `stall_s` (a jammed or deaf printer
shows in seconds, not after the whole ticket's wire time): bytes go out in chunks, and each
chunk may take its own time on the wire plus `stall_s`.

python-escpos opens USB devices (endpoint discovery, kernel driver) and we keep that; but its
I/O has no deadline and its status read asks for 16 bytes, so a 1-byte DLE EOT reply waits
the whole timeout on a serial line. Here every operation takes a `deadline` (time.monotonic())
and returns as soon as the printer has answered: a status read returns on the first byte.

One class per kind of wire (like python-escpos's printer/*.py): each only opens, writes, reads
and closes. Nothing here knows about tickets.
"""

from __future__ import annotations

import errno
import os
import select
import socket
import stat
import time
from typing import Any, Protocol

CHUNK = 4096
SERIAL_CHUNK = 256  # 0.27 s at 9600 baud: progress is checked this often on a slow line
BUSY_RETRY_S = 0.1  # a port held by another program is tried again this often


class LinkError(OSError):
    """The wire failed: unplugged, refused, nobody reading, or the deadline passed."""


class Missing(LinkError):
    """The device is not there at all (no such port, file or USB device)."""


class Busy(LinkError):
    """Another program holds the port (a second kiosk, a technician's print-test)."""


def remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise LinkError("the printer did not take the data in time")
    return left


def stalled(deadline: float, stall_s: float | None) -> LinkError:
    """A write step ran out of time: a stall when the ticket still had time, else its deadline."""
    if stall_s is not None and deadline - time.monotonic() > 0.05:
        return LinkError(f"the printer took no data for {stall_s:g} s")
    return LinkError("the printer did not take the data in time")


def step_limit(deadline: float, stall_s: float | None, wire_s: float = 0.0) -> float:
    """Seconds one step of a write may take: its time on the wire plus `stall_s`, never past
    the ticket's deadline."""
    left = remaining(deadline)
    return left if stall_s is None else min(left, stall_s + wire_s)


class Link(Protocol):
    describe: str
    can_query: bool

    def open(self, deadline: float) -> None: ...

    def write(self, data: bytes, deadline: float, stall_s: float | None = None) -> None:
        """All of `data` by `deadline`; LinkError as soon as nothing moved for `stall_s`."""

    def read_byte(self, deadline: float) -> bytes:
        """One byte, or b"" if nothing came by the deadline."""

    def discard_input(self) -> None:
        """Drop bytes nobody asked for (a late reply to an earlier question)."""

    def close(self) -> None: ...

    def wire_seconds(self, nbytes: int) -> float:
        """How long `nbytes` take on this wire at best (serial: 10 bits a byte)."""


class SerialLink:
    """pyserial: a port name or any pyserial URL (`loop://` in tests, `rfc2217://`)."""

    can_query = True

    def __init__(self, port: str, baudrate: int):
        self.port, self.baudrate = port, baudrate
        self.describe = f"serial {port} at {baudrate} baud"
        self._ser: Any = None  # a pyserial Serial once open

    def open(self, deadline: float) -> None:
        import serial

        if "://" not in self.port and not os.path.exists(self.port):
            raise Missing(f"{self.port} does not exist (is the printer's cable plugged in?)")
        while True:
            try:
                # exclusive: two processes writing one ticket each into the same port interleave them
                self._ser = serial.serial_for_url(
                    self.port,
                    baudrate=self.baudrate,
                    timeout=0,
                    write_timeout=0,
                    exclusive=True if "://" not in self.port else None,
                    do_not_open=True,
                )
                self._ser.open()
                return
            except (serial.SerialException, OSError, ValueError) as e:
                if getattr(e, "errno", None) not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EBUSY):
                    raise LinkError(f"cannot open {self.describe}: {_one_line(e)}") from None
                # held by another program for a moment (its own ticket): wait our turn
                if deadline - time.monotonic() < BUSY_RETRY_S:
                    raise Busy(f"{self.port} is busy: another program is using the printer") from None
                time.sleep(BUSY_RETRY_S)

    def write(self, data: bytes, deadline: float, stall_s: float | None = None) -> None:
        import serial

        try:
            for i in range(0, len(data), SERIAL_CHUNK):
                chunk = data[i : i + SERIAL_CHUNK]
                # pyserial raises SerialTimeoutException at write_timeout
                self._ser.write_timeout = step_limit(deadline, stall_s, self.wire_seconds(len(chunk)))
                self._ser.write(chunk)
        except serial.SerialTimeoutException:
            raise stalled(deadline, stall_s) from None
        except (serial.SerialException, OSError) as e:
            raise LinkError(f"the serial line failed: {_one_line(e)}") from None

    def read_byte(self, deadline: float) -> bytes:
        import serial

        try:
            self._ser.timeout = max(0.0, deadline - time.monotonic())
            return bytes(self._ser.read(1))  # returns on the first byte
        except (serial.SerialException, OSError, TypeError) as e:
            raise LinkError(f"the serial line failed: {_one_line(e)}") from None

    def discard_input(self) -> None:
        try:
            self._ser.reset_input_buffer()
        except Exception:
            pass

    def close(self) -> None:
        if self._ser is not None:
            try:
                self._ser.write_timeout = 0  # never wait for the line to drain on close
                self._ser.close()
            except Exception:
                pass
            self._ser = None

    def wire_seconds(self, nbytes: int) -> float:
        return nbytes * 10 / self.baudrate


class NetworkLink:
    """A LAN printer on its raw port (9100)."""

    can_query = True

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.describe = f"LAN {host}:{port}"
        self._sock: socket.socket | None = None

    def open(self, deadline: float) -> None:
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=remaining(deadline))
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as e:
            raise LinkError(f"cannot open {self.describe}: {_one_line(e)}") from None

    @property
    def _open_sock(self) -> socket.socket:
        if self._sock is None:
            raise LinkError(f"{self.describe} is not open")
        return self._sock

    def write(self, data: bytes, deadline: float, stall_s: float | None = None) -> None:
        try:
            for i in range(0, len(data), CHUNK):
                self._open_sock.settimeout(step_limit(deadline, stall_s))
                self._open_sock.sendall(data[i : i + CHUNK])  # the timeout bounds the whole sendall
        except TimeoutError:
            raise stalled(deadline, stall_s) from None
        except OSError as e:
            raise LinkError(f"the connection failed: {_one_line(e)}") from None

    def read_byte(self, deadline: float) -> bytes:
        left = deadline - time.monotonic()
        if left <= 0:
            return b""
        try:
            self._open_sock.settimeout(left)
            got = self._open_sock.recv(1)
        except TimeoutError:
            return b""
        except OSError as e:
            raise LinkError(f"the connection failed: {_one_line(e)}") from None
        if got == b"":
            raise LinkError("the printer closed the connection")
        return got

    def discard_input(self) -> None:
        try:
            self._open_sock.setblocking(False)
            while self._open_sock.recv(256):
                pass
        except (BlockingIOError, OSError):
            pass

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None

    def wire_seconds(self, nbytes: int) -> float:
        return 0.0


class UsbLink:
    """A USB printer through python-escpos's Usb (pyusb/libusb), with our own bounded I/O."""

    can_query = True

    def __init__(self, vendor: int, product: int):
        self.vendor, self.product = vendor, product
        self.describe = f"USB {vendor:04x}:{product:04x}"
        self._p: Any = None  # python-escpos's Usb once open

    def open(self, deadline: float) -> None:
        from escpos.printer import Usb

        try:
            p = Usb(self.vendor, self.product, timeout=max(1, int(remaining(deadline) * 1000)), profile="default")
            p.open()
        except Exception as e:  # not found, no permission, libusb missing
            raise Missing(f"cannot open {self.describe}: {_one_line(e)}") from None
        self._p = p

    def write(self, data: bytes, deadline: float, stall_s: float | None = None) -> None:
        try:
            for i in range(0, len(data), CHUNK):
                ms = max(1, int(step_limit(deadline, stall_s) * 1000))
                self._p.device.write(self._p.out_ep, data[i : i + CHUNK], ms)
        except LinkError:
            raise
        except Exception as e:  # usb.core.USBTimeoutError, USBError (unplugged)
            raise LinkError(f"the USB write failed: {_one_line(e)}") from None

    def read_byte(self, deadline: float) -> bytes:
        ms = int((deadline - time.monotonic()) * 1000)
        if ms <= 0:
            return b""
        try:
            got = bytes(self._p.device.read(self._p.in_ep, 64, ms))  # returns with the first packet
        except Exception as e:
            if "timeout" in str(e).lower() or getattr(e, "errno", None) == errno.ETIMEDOUT:
                return b""
            raise LinkError(f"the USB read failed: {_one_line(e)}") from None
        return got[-1:]

    def discard_input(self) -> None:
        try:
            while self._p.device.read(self._p.in_ep, 64, 5):
                pass
        except Exception:
            pass

    def close(self) -> None:
        if self._p is not None:
            try:
                self._p.close()
            except Exception:
                pass
            self._p = None

    def wire_seconds(self, nbytes: int) -> float:
        return 0.0


class FileLink:
    """A device file (/dev/usb/lp0). Opened non-blocking, so a stuck device or a FIFO nobody
    reads makes the write wait at most until the deadline instead of forever. Never created:
    a path that does not exist is a missing printer, not a new ordinary file."""

    can_query = False

    def __init__(self, path: str):
        self.path = path
        self.describe = f"device file {path}"
        self._fd: int | None = None

    def open(self, deadline: float) -> None:
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except FileNotFoundError:
            raise Missing(f"{self.path} does not exist (is the printer plugged in and switched on?)") from None
        except OSError as e:
            if e.errno == errno.ENXIO:  # a FIFO or device with nobody on the other end
                raise LinkError(f"nobody is reading {self.path}") from None
            raise LinkError(f"cannot open {self.describe}: {_one_line(e)}") from None
        if stat.S_ISREG(os.fstat(self._fd).st_mode):
            os.set_blocking(self._fd, True)  # an ordinary file (a capture): plain writes

    def write(self, data: bytes, deadline: float, stall_s: float | None = None) -> None:
        fd = self._fd
        if fd is None:
            raise LinkError(f"{self.describe} is not open")
        view = memoryview(data)
        while view:
            _, ready, _ = select.select([], [fd], [], step_limit(deadline, stall_s))
            if not ready:
                if stall_s is not None:
                    raise stalled(deadline, stall_s)
                continue
            try:
                n = os.write(fd, view[:CHUNK])
            except BlockingIOError:
                continue
            except OSError as e:
                raise LinkError(f"writing {self.path} failed: {_one_line(e)}") from None
            view = view[n:]

    def read_byte(self, deadline: float) -> bytes:
        return b""

    def discard_input(self) -> None:
        pass

    def close(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None

    def wire_seconds(self, nbytes: int) -> float:
        return 0.0


def _one_line(e: BaseException) -> str:
    """Driver messages can carry line breaks; a status line and a table cell cannot."""
    return " ".join(str(e).split()) or type(e).__name__
