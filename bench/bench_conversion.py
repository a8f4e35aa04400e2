"""Issue 3: a bracket-based conversion-tax call and a 40-year earnings schedule, each vs bare arithmetic.

Targets (issue 3, item 10): tax call <= 10 µs; 40-year earnings schedule <= 1 ms. The baselines do the same
arithmetic with no validation, records or breakdown, timed side by side in the same run.
"""

from __future__ import annotations

from _harness import Comparison

from megabackdoor.conversion import conversion_earnings, earnings_schedule
from megabackdoor.tax import _TABLES, conversion_tax, load

load()
_SINGLE_2026 = _TABLES[(2026, "single")]


def _bare_tax(income: float = 150000.0, amount: float = 26000.0, basis: float = 25000.0) -> float:
    # T(income + x) - T(income) over a plain list of (lower, upper, rate, tax below), no checks.
    def tax(x: float) -> float:
        for lower, upper, rate, below in _SINGLE_2026:
            if x <= upper:
                return below + (x - lower) * rate
        return 0.0

    taxable = max(0.0, amount - basis)
    return round(tax(income + taxable) - tax(income), 2)


def _bare_schedule(years: int = 40, amount: float = 20000.0, rate: float = 0.07) -> list[float]:
    # Yearly taxable earnings with a fixed average wait of half a month: one power per year.
    factor = (1 + rate) ** (1 / 24) - 1
    return [amount * factor for _ in range(years)]


def comparisons() -> list[Comparison]:
    return [
        Comparison("conversion_tax(26000, 25000, 'single', 150000, 2026)",
                   lambda: conversion_tax(26000, 25000, "single", 150000, 2026), _bare_tax,
                   "bare bracket arithmetic", max_seconds=10e-6),
        Comparison("conversion_tax(26000, 25000, 'mfj', 400000, 2031) projected",
                   lambda: conversion_tax(26000, 25000, "mfj", 400000, 2031), _bare_tax,
                   "bare bracket arithmetic", max_seconds=10e-6),
        Comparison("earnings_schedule(20000, 0.07, 40, 'monthly', lag 3 days)",
                   lambda: earnings_schedule(20000, 0.07, 40, "monthly", "biweekly", 3), _bare_schedule,
                   "bare 40-year loop", max_seconds=1e-3),
        Comparison("40 x conversion_earnings (one call per year)",
                   lambda: [conversion_earnings(20000 + 500 * i, 0.07, "monthly", "biweekly", 3)
                            for i in range(40)],
                   _bare_schedule, "bare 40-year loop", max_seconds=1e-3),
    ]
