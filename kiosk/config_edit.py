"""Change staff PINs in a configuration file in place, keeping every comment and line around
them (the file is the hall's own, written by hand): a PIN is replaced by its salted hash."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable

from kiosk.pins import CLEAR, hash_pin

_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r'^(\s*)(id|pin)\s*=\s*"([^"]*)"\s*(#.*)?$')


def _staff_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line ranges of each [[staff]] table."""
    blocks, start = [], None
    for i, line in enumerate(lines):
        if _TABLE.match(line):
            if start is not None:
                blocks.append((start, i))
                start = None
            if line.strip().startswith("[[staff]]"):
                start = i
    if start is not None:
        blocks.append((start, len(lines)))
    return blocks


_STAFF_ARRAY = re.compile(r"^\s*staff\s*=\s*\[")
_INLINE_ID = re.compile(r'\bid\s*=\s*"([^"]*)"')
_INLINE_PIN = re.compile(r'(\bpin\s*=\s*)"([^"]*)"')


def _inline_staff_lines(lines: list[str]) -> list[int]:
    """The lines of a `staff = [ {...}, ... ]` array, one inline table a line."""
    out, inside = [], False
    for i, line in enumerate(lines):
        if not inside and _STAFF_ARRAY.match(line):
            inside = True
        if inside:
            out.append(i)
            if line.split("#")[0].rstrip().endswith("]"):  # a staff entry holds no list: this closes it
                inside = False
    return out


def _rewrite(text: str, new_pin: Callable[[str, str], str | None]) -> tuple[str, list[str]]:
    """Each staff table's pin replaced by new_pin(id, old pin) where that is not None."""
    lines = text.splitlines(keepends=True)
    changed = []
    for first, end in _staff_blocks(lines):
        keys = {m.group(2): (i, m) for i in range(first, end) if (m := _KEY.match(lines[i].rstrip("\n")))}
        if "id" not in keys or "pin" not in keys:
            continue
        staff_id = keys["id"][1].group(3)
        i, m = keys["pin"]
        pin = new_pin(staff_id, m.group(3))
        if pin is None:
            continue
        newline = "\n" if lines[i].endswith("\n") else ""
        lines[i] = f'{m.group(1)}pin = "{pin}"{newline}'
        changed.append(staff_id)
    for i in _inline_staff_lines(lines):  # staff = [ { id = "lin", ..., pin = "1234" }, ... ]
        m = _INLINE_ID.search(lines[i])
        p = _INLINE_PIN.search(lines[i])
        if m is None or p is None:
            continue
        pin = new_pin(m.group(1), p.group(2))
        if pin is None:
            continue
        lines[i] = lines[i][: p.start()] + f'{p.group(1)}"{pin}"' + lines[i][p.end() :]
        changed.append(m.group(1))
    out = "".join(lines)
    tomllib.loads(out)  # never write a file that no longer parses
    return out, changed


def set_staff_pin(text: str, staff_id: str, pin: str) -> str:
    """`text` with `staff_id`'s PIN replaced by the hash of `pin`; KeyError if no such person."""
    hashed = hash_pin(pin)
    out, changed = _rewrite(text, lambda who, _old: hashed if who == staff_id else None)
    if not changed:
        raise KeyError(staff_id)
    return out


def hash_clear_pins(text: str) -> tuple[str, list[str]]:
    """`text` with every PIN still in clear replaced by its hash, and whose they were."""
    return _rewrite(text, lambda _who, old: hash_pin(old) if CLEAR.match(old) else None)
