"""A GSM modem on a pseudo-terminal, as the sender meets a real one: it answers AT commands in
text mode (GSM or UCS2 character set), prompts "> " for a message and takes it up to Ctrl-Z,
then reports +CMGS. It can be unplugged (the device disappears: writes fail, the path is gone)
and plugged back in (a new terminal behind the same path, as udev's /dev/serial/by-id link
does), or stop answering (no network)."""

from __future__ import annotations

import os
import threading
import tty
from pathlib import Path


class FakeModem:
    def __init__(self, link: Path):
        self.link = link  # the path the sender opens: a symlink to the current terminal
        self.messages: list[tuple[str, str]] = []  # (number, text), decoded
        self.answering = True
        self._lock = threading.Lock()
        self._master = -1
        self._slave = -1
        self.plug()

    # ---- the device
    def plug(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        if self.link.is_symlink() or self.link.exists():
            self.link.unlink()
        self.link.symlink_to(os.ttyname(self._slave))
        threading.Thread(target=self._serve, args=(self._master,), daemon=True).start()

    def unplug(self) -> None:
        master, slave = self._master, self._slave
        self._master = self._slave = -1
        self.link.unlink(missing_ok=True)
        for fd in (slave, master):
            try:
                os.close(fd)
            except OSError:
                pass

    # ---- what a modem says
    def _serve(self, master: int) -> None:
        charset, buf, body_mode, number = "GSM", b"", False, ""
        while True:
            try:
                chunk = os.read(master, 1024)
            except OSError:
                if master != self._master:
                    return  # unplugged
                continue
            if not chunk:
                return
            buf += chunk
            while True:
                if body_mode:
                    if b"\x1a" not in buf:
                        break
                    body, buf = buf.split(b"\x1a", 1)
                    text = bytes.fromhex(body.decode()).decode("utf-16-be") if charset == "UCS2" else body.decode()
                    with self._lock:
                        self.messages.append((number, text))
                    self._say(master, f"\r\n+CMGS: {len(self.messages)}\r\n\r\nOK\r\n")
                    body_mode = False
                    continue
                if b"\r" not in buf:
                    break
                line, buf = buf.split(b"\r", 1)
                command = line.decode("ascii", "replace").strip()
                if not command or not self.answering:
                    continue
                if command.startswith('AT+CSCS="'):
                    charset = command[9:-1]
                if command.startswith('AT+CMGS="'):
                    raw = command[9:-1]
                    number = bytes.fromhex(raw).decode("utf-16-be") if charset == "UCS2" else raw
                    body_mode = True
                    self._say(master, "\r\n> ")
                elif command.startswith("AT"):
                    self._say(master, "\r\nOK\r\n")
                else:
                    self._say(master, "\r\nERROR\r\n")

    @staticmethod
    def _say(master: int, text: str) -> None:
        try:
            os.write(master, text.encode("ascii"))
        except OSError:
            pass

    def texts(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self.messages)
