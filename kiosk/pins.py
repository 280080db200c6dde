"""Staff PINs at rest: salted scrypt hashes (hashlib, no extra dependency).

A PIN has 4 to 8 digits, so no hash makes it strong against someone holding the file: what the
hash does is keep people's PINs (often the same as their bank card's) out of the config file,
backups and screenshots. The protection against guessing is the lock-out after five wrong PINs,
counted in the store (kiosk/engine/staff.py). The cost is chosen so a check stays quick on a
Raspberry Pi where a manager's PIN is tried against every manager's hash (~10 ms each on a PC).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

SCHEME = "scrypt"
N, R, P = 2**12, 8, 1
HASHED = re.compile(r"^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$")
CLEAR = re.compile(r"^[0-9]{4,8}$")


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def hash_pin(pin: str) -> str:
    """`scrypt$N$r$p$salt$hash` for a PIN of 4 to 8 digits."""
    if not CLEAR.match(pin):
        raise ValueError("a PIN has 4 to 8 digits")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def is_hashed(stored: str) -> bool:
    return bool(HASHED.match(stored))


def verify_pin(stored: str, attempt: str) -> bool:
    """Whether `attempt` is the PIN `stored` (a hash, or a clear PIN from an old config);
    the comparison takes the same time whatever matches."""
    attempt_b = (attempt or "").encode()
    if not stored:
        return False
    if not is_hashed(stored):
        return hmac.compare_digest(stored.encode(), attempt_b)
    _, n, r, p, salt, digest = stored.split("$")
    want = base64.b64decode(digest)
    got = hashlib.scrypt(attempt_b, salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(want))
    return hmac.compare_digest(want, got)
