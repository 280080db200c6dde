"""Estimated wait for a new ticket, and the range it is quoted in. Pure arithmetic, documented
so staff can explain it.

estimate = (mean service time x people ahead + the share of other services' waiting work
that falls on those counters) / open counters serving the service, plus half a service time
when every one of those counters is busy (the customer also waits for someone at a counter to
finish). Unknown (None) when no open counter serves the service.

The mean is the time a counter gives each of the service's last `queue.estimate_recent_tickets`
customers, from the call (the walk to the counter included) to the finish (kiosk/statements.py),
or the configured mean until any ticket of the service has been served. A counter that also
serves other services spends part of its time on them: each other service's waiting tickets
(times its configured mean) are shared among the open counters that serve it, and the part that
falls on this service's counters is added to the work ahead. People ahead include the service's
booked appointments due before the estimate (kiosk/engine/waiting.py).

The quote answers for itself: it is the model's figure corrected and widened by how wrong the
model was for the service's recent tickets. Each called ticket's error is taken relative to its
scale, (waited - model) / (model + mean service time), so a long wait gets a wide range and a
short one a narrow one. The estimate told is the model moved by the median of the last
RECENT_ERRORS errors (the model does not see customers who will overtake, a counter shared
with other services, breaks), and the range goes from the RANGE_LOW to the RANGE_HIGH share of
them. The errors are measured against the model's own figure, stored with each ticket, never
against a corrected one, so the correction never feeds on itself. Until MIN_ERRORS are known,
the model's figure is told with DEFAULT_SPREAD either side. The report then says how often
waits fell inside the quoted range (kiosk/reports.py `estimate_accuracy`).
"""

from __future__ import annotations

RECENT_ERRORS = 40  # called tickets of the service whose error sets the range
MIN_ERRORS = 8  # fewer known: the default spread
RANGE_LOW, RANGE_HIGH = 0.05, 0.95  # the errors' shares the range spans: about 9 waits in 10 inside
DEFAULT_SPREAD = (-0.5, 0.6)  # relative errors used until enough are known
WIDEN = 1.4  # chosen on the demo days of seeds 1-7: 82-89 % inside (bench/estimates.py)
WIDE_S = 240.0  # a range wider than this (and than half the estimate) is shown as a range


def estimate_wait(
    ahead: int, open_counters: int, busy_counters: int, mean_service_s: float, shared_work_s: float = 0.0
) -> float | None:
    if open_counters <= 0:
        return None
    wait = (mean_service_s * ahead + shared_work_s) / open_counters
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


def quote(model_s: float, mean_service_s: float, errors: list[float]) -> tuple[float, float, float]:
    """(estimate, low, high) seconds from the model's figure and the service's recent relative
    errors of the model."""
    scale = model_s + mean_service_s
    if len(errors) >= MIN_ERRORS:
        ordered = sorted(errors)
        mid = _share(ordered, 0.5)
        lo_err, hi_err = _share(ordered, RANGE_LOW), _share(ordered, RANGE_HIGH)
        # the recent past understates what is coming (a peak building, a break): widened
        lo_err, hi_err = mid + WIDEN * (lo_err - mid), mid + WIDEN * (hi_err - mid)
        # never tighter than a tenth of the scale either side of the estimate
        lo_err, hi_err = min(lo_err, mid - 0.1), max(hi_err, mid + 0.1)
    else:
        mid, (lo_err, hi_err) = 0.0, DEFAULT_SPREAD
    wait = max(0.0, model_s + mid * scale)
    return wait, max(0.0, model_s + lo_err * scale), max(wait, model_s + hi_err * scale)


def is_wide(low_s: float | None, high_s: float | None, wait_s: float | None) -> bool:
    """Show a range rather than one number: the spread is more than WIDE_S and half the wait."""
    if low_s is None or high_s is None or wait_s is None:
        return False
    return high_s - low_s > max(WIDE_S, wait_s / 2)
