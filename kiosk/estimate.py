"""Estimated wait for a new ticket, and the range it is quoted in. Pure arithmetic, documented
so staff can explain it.

estimate = mean service time x people ahead / open counters serving the service,
plus half a service time when every one of those counters is busy (the customer also waits for
someone at a counter to finish). Unknown (None) when no open counter serves the service.
The mean is of the service's last `queue.estimate_recent_tickets` service times (kiosk/statements.py
reads it), or the configured mean until any ticket of the service has been served. People
ahead include the service's booked appointments due before the estimate (kiosk/engine/waiting.py).

The range answers for itself: it is the estimate widened by how wrong the service's recent
estimates were. Each called ticket's error is taken relative to its scale, (waited - estimate) /
(estimate + mean service time), so a long wait gets a wide range and a short one a narrow one;
the range goes from the RANGE_LOW to the RANGE_HIGH share of the last RECENT_ERRORS errors.
Until MIN_ERRORS are known, DEFAULT_SPREAD either side is used. The report then says how often
waits fell inside the quoted range (kiosk/reports.py `estimate_accuracy`).
"""

from __future__ import annotations

RECENT_ERRORS = 40  # called tickets of the service whose error sets the range
MIN_ERRORS = 8  # fewer known: the default spread
RANGE_LOW, RANGE_HIGH = 0.05, 0.95  # the errors' shares the range spans: about 9 waits in 10 inside
DEFAULT_SPREAD = (-0.5, 0.6)  # relative errors used until enough are known
WIDE_S = 240.0  # a range wider than this (and than half the estimate) is shown as a range


def estimate_wait(ahead: int, open_counters: int, busy_counters: int, mean_service_s: float) -> float | None:
    if open_counters <= 0:
        return None
    wait = mean_service_s * ahead / open_counters
    if busy_counters >= open_counters:
        wait += mean_service_s / 2
    return wait


def relative_error(waited_s: float, quoted_s: float, mean_service_s: float) -> float:
    return (waited_s - quoted_s) / (quoted_s + mean_service_s)


def _share(sorted_values: list[float], q: float) -> float:
    """The q-th share of sorted values, interpolated (q in 0..1)."""
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def wait_range(wait_s: float, mean_service_s: float, errors: list[float]) -> tuple[float, float]:
    """(low, high) seconds around `wait_s`, from recent relative errors of the service."""
    if len(errors) >= MIN_ERRORS:
        ordered = sorted(errors)
        lo_err, hi_err = _share(ordered, RANGE_LOW), _share(ordered, RANGE_HIGH)
        # never narrower than the default's low side nor tighter than a tenth either way
        lo_err, hi_err = min(lo_err, -0.1), max(hi_err, 0.1)
    else:
        lo_err, hi_err = DEFAULT_SPREAD
    scale = wait_s + mean_service_s
    return max(0.0, wait_s + lo_err * scale), max(wait_s, wait_s + hi_err * scale)


def is_wide(low_s: float | None, high_s: float | None, wait_s: float | None) -> bool:
    """Show a range rather than one number: the spread is more than WIDE_S and half the wait."""
    if low_s is None or high_s is None or wait_s is None:
        return False
    return high_s - low_s > max(WIDE_S, wait_s / 2)
