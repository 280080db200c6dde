"""Turning distance readings into "entered the zone" / "zone empty" with hysteresis.

Sensors jitter: a person standing at 2.9 m reads 2.9, 3.1, 2.8 ... An arrival is the first
reading inside the zone; the zone is empty again only after no reading inside it for
`leave_after_s`. Pure: times come in as arguments.
"""

from __future__ import annotations

from kiosk.devices import PresenceKind


class ZoneTracker:
    def __init__(self, zone_m: float, leave_after_s: float):
        self.zone_m = zone_m
        self.leave_after_s = leave_after_s
        self.occupied = False
        self._last_inside: float | None = None

    def observe(self, now: float, distance_m: float | None) -> list[tuple[PresenceKind, float | None]]:
        """A reading: a distance in metres, or None for "nobody seen"."""
        events: list[tuple[PresenceKind, float | None]] = []
        if distance_m is not None and distance_m <= self.zone_m:
            self._last_inside = now
            if not self.occupied:
                self.occupied = True
                events.append((PresenceKind.ENTER, distance_m))
        events += self.tick(now)
        return events

    def tick(self, now: float) -> list[tuple[PresenceKind, float | None]]:
        if self.occupied and self._last_inside is not None and now - self._last_inside >= self.leave_after_s:
            self.occupied = False
            return [(PresenceKind.LEAVE, None)]
        return []
