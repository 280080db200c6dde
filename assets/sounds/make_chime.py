"""Writes chime.wav: a soft two-note chime (E6 then C6) for the waiting-room display.
Generated rather than downloaded so its licence is ours: `python assets/sounds/make_chime.py`."""

import math
import struct
import wave
from pathlib import Path

RATE = 22050


def note(freq: float, seconds: float) -> list[float]:
    n = int(RATE * seconds)
    return [math.sin(2 * math.pi * freq * i / RATE) * math.exp(-3.0 * i / n) for i in range(n)]


samples = note(1318.5, 0.6) + note(1046.5, 0.7)
out = Path(__file__).with_name("chime.wav")
with wave.open(str(out), "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(RATE)
    w.writeframes(b"".join(struct.pack("<h", int(s * 0.6 * 32767)) for s in samples))
print(f"wrote {out}")
