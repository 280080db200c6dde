"""Percentiles for the benchmarks' figures."""

from __future__ import annotations


def pct(values: list[float], q: float) -> float:
    """The q-quantile by nearest rank (q=0.99: the p99)."""
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))] if s else float("nan")
