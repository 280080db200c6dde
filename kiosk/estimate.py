"""Estimated wait for a new ticket. Pure arithmetic, documented so staff can explain it.

estimate = mean service time x people ahead / open counters serving the service,
plus half a service time when every one of those counters is busy (the customer also waits for
someone at a counter to finish). Unknown (None) when no open counter serves the service.
The mean is of the service's last `queue.estimate_recent_tickets` service times (kiosk/statements.py
reads it), or the configured mean until any ticket of the service has been served.
"""

from __future__ import annotations


def estimate_wait(ahead: int, open_counters: int, busy_counters: int, mean_service_s: float) -> float | None:
    if open_counters <= 0:
        return None
    wait = mean_service_s * ahead / open_counters
    if busy_counters >= open_counters:
        wait += mean_service_s / 2
    return wait
