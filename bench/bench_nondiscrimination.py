"""Issue 14: the ADP and ACP tests together (ADP, corrections, recharacterizations, then the ACP on the corrected
amounts) on a generated 1,000,000-row census vs pandas merely reading the same CSV.

Ours = ``read_census`` (parse + every row check) + ``run_nondiscrimination`` (both tests, the ADP correction
with catch-up recharacterization, the ACP test, refunds and the what-if). Baseline = ``pandas.read_csv`` of
the same file with default options, timed in the same run. Target: ours <= 2.5x the baseline. Peak memory
(max RSS of a fresh process) is reported for both.

The census (fixed seed, generated once into ``bench/out/``, git-ignored) has deferrals and ages: about 5% of
employees are HCEs by pay, HCEs defer more than NHCEs so the ADP test fails and the corrections run; a third of
HCEs are 50 or older.
"""

from __future__ import annotations

import os
from pathlib import Path

from _harness import Comparison, Measurement, peak_rss_mb

ROWS = 1_000_000
OUT = Path(__file__).parent / "out"
CENSUS = OUT / f"nondiscrimination_census_{ROWS}.csv"
PLAN_YEAR = 2026


def census_path() -> Path:
    """Generate the census once (fixed seed), atomically."""
    if CENSUS.exists():
        return CENSUS
    import numpy as np
    import pandas as pd

    OUT.mkdir(exist_ok=True)
    rng = np.random.default_rng(20261414)
    pay = np.round(rng.lognormal(11.2, 0.55, ROWS), 2)
    prior = np.round(pay * rng.uniform(0.9, 1.05, ROWS), 2)
    tested = np.minimum(pay, 360_000)
    hce_like = prior > 160_000
    age = rng.integers(21, 70, ROWS)
    deferral_rate = np.where(hce_like, rng.uniform(0.04, 0.15, ROWS), rng.uniform(0.0, 0.08, ROWS))
    defers = rng.random(ROWS) < np.where(hce_like, 0.9, 0.6)
    deferrals = np.round(np.where(defers, np.minimum(tested * deferral_rate, np.where(age >= 50, 32_500, 24_500)),
                                  0.0), 2)
    joins = rng.random(ROWS) < np.where(hce_like, 0.6, 0.15)
    frame = pd.DataFrame({
        "Employee ID": [f"E{i:07d}" for i in range(ROWS)],
        "Compensation": pay,
        "Prior Year Compensation": prior,
        "5% Owner": np.where(rng.random(ROWS) < 0.001, "Y", "N"),
        "Eligible": np.where(rng.random(ROWS) < 0.95, "Y", "N"),
        "Match": np.round(np.minimum(deferrals, tested * 0.06) * 0.5, 2),
        "After-Tax": np.round(np.where(joins, np.minimum(tested * 0.12 * rng.random(ROWS), 30_000), 0.0), 2),
        "Deferrals": deferrals,
        "Age": age,
    })
    temp = CENSUS.with_suffix(".tmp")
    frame.to_csv(temp, index=False)
    os.replace(temp, CENSUS)
    return CENSUS


def end_to_end(path: str) -> object:
    from megabackdoor.adp import run_nondiscrimination
    from megabackdoor.census import read_census

    return run_nondiscrimination(read_census(path), PLAN_YEAR)


def pandas_read(path: str) -> object:
    import pandas as pd

    return pd.read_csv(path)


def comparisons() -> list[Comparison]:
    path = str(census_path())
    return [Comparison(f"ADP + ACP census {ROWS:,} rows: read + check + both tests + corrections + what-if",
                       lambda: end_to_end(path), lambda: pandas_read(path), "pandas.read_csv of the same CSV",
                       max_ratio=2.5, rounds=3)]


def measurements() -> list[Measurement]:
    path = str(census_path())
    ours = peak_rss_mb("bench_nondiscrimination", "end_to_end", path)
    base = peak_rss_mb("bench_nondiscrimination", "pandas_read", path)
    return [
        Measurement(f"ADP + ACP census {ROWS:,} rows: peak memory (max RSS)", f"{ours:,.0f} MB",
                    f"<= 3x pandas.read_csv's {base:,.0f} MB", ours <= 3 * base),
        Measurement("census file size", f"{os.path.getsize(path) / 1e6:,.0f} MB", "", None),
    ]
