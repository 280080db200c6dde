"""Estimated wait for a new ticket. Pure arithmetic, documented so staff can explain it.

estimate = mean service time x people ahead / open counters serving the service,
plus half a service time when every one of those counters is busy (the customer also waits for
someone at a counter to finish). Unknown (None) when no open counter serves the service.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean


def mean_service_time(recent_durations_s: Sequence[float], fallback_s: float) -> float:
    durations = [d for d in recent_durations_s if d > 0]
    return fmean(durations) if durations else fallback_s


def estimate_wait(ahead: int, open_counters: int, busy_counters: int, mean_service_s: float) -> float | None:
    if open_counters <= 0:
        return None
    wait = mean_service_s * ahead / open_counters
    if busy_counters >= open_counters:
        wait += mean_service_s / 2
    return wait
