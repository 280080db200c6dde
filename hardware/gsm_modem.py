"""A USB GSM modem (a SIM800/SIM7600-class stick, or a phone in modem mode) sending text
messages with standard AT commands (3GPP TS 27.005, text mode) over pyserial: plain GSM text
for Latin messages, UCS2 for Chinese. No gateway, no internet: the hall's own SIM. Any failure
(unplugged, no answer, the network refusing) is a ModemError; the port is reopened on the next
message, so a modem plugged back in works again without a restart."""

from __future__ import annotations

import logging
import time

import serial

from kiosk.text_sender import ModemError

log = logging.getLogger(__name__)
CTRL_Z = b"\x1a"


def _ucs2(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _gsm_text(text: str) -> bool:
    return all(32 <= ord(ch) < 127 and ch not in "[]{}\\^~|`" for ch in text)  # GSM 03.38 basic set


class GsmModem:
    def __init__(self, port: str, baudrate: int = 115200, answer_s: float = 5.0, send_s: float = 60.0):
        self.port_url, self.baudrate = port, baudrate
        self.answer_s, self.send_s = answer_s, send_s  # a command's answer; the network's, for a message
        self._ser: serial.SerialBase | None = None

    def send(self, phone: str, text: str) -> None:
        try:
            self._send(phone, text)
        except ModemError:
            self.close()
            raise
        except (serial.SerialException, OSError) as e:
            self.close()
            raise ModemError(f"the modem on {self.port_url} cannot be reached ({e})") from None

    def _send(self, phone: str, text: str) -> None:
        if self._ser is None:
            self._ser = serial.serial_for_url(self.port_url, baudrate=self.baudrate, timeout=0.1)
            self._command("AT")
            self._command("AT+CMGF=1")  # text mode
        if _gsm_text(text):
            self._command('AT+CSCS="GSM"')
            self._command("AT+CSMP=17,167,0,0")
            number, body = phone, text.encode("ascii")
        else:
            self._command('AT+CSCS="UCS2"')
            self._command("AT+CSMP=17,167,0,8")  # data coding 8: UCS2
            number, body = _ucs2(phone), _ucs2(text).encode("ascii")
        self._write(f'AT+CMGS="{number}"\r'.encode("ascii"))
        self._until((b">",), self.answer_s, "the message prompt")
        self._write(body + CTRL_Z)
        self._until((b"+CMGS:",), self.send_s, "the network's acceptance")

    def _command(self, command: str) -> None:
        self._write(command.encode("ascii") + b"\r")
        self._until((b"OK",), self.answer_s, command)

    def _write(self, data: bytes) -> None:
        assert self._ser is not None
        self._ser.write(data)
        self._ser.flush()

    def _until(self, wanted: tuple[bytes, ...], timeout_s: float, what: str) -> bytes:
        """Read until an answer holds one of `wanted`; an ERROR or the deadline is a ModemError."""
        assert self._ser is not None
        seen = b""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            chunk = self._ser.read(256)
            if not chunk:
                continue
            seen += chunk
            if b"ERROR" in seen:
                raise ModemError(f"the modem refused {what}: {seen.decode('ascii', 'replace').strip()[-60:]}")
            if any(w in seen for w in wanted):
                return seen
        raise ModemError(f"the modem did not answer {what} within {timeout_s:g} s")

    def close(self) -> None:
        if self._ser is not None:
            try:
                self._ser.close()
            except (serial.SerialException, OSError):
                pass
            self._ser = None
