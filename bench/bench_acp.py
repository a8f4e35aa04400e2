"""Issue 7: the ACP test end to end on a generated 1,000,000-row census vs pandas merely reading the same CSV.

Ours = ``read_census`` (parse + every row check) + ``run_acp`` (HCE status, ratios, test, refunds, what-if and
the sensitivity grid). Baseline = ``pandas.read_csv`` of the same file, timed in the same
run, with the dtypes the engine reads it with (issue 18: default options were 6-19% slower, which flattered
the ratio). Target: ours <= 2x the baseline. Peak memory (max RSS of a fresh process) is reported for both.

The census is generated once into ``bench/out/`` (git-ignored) with a fixed seed: about 20% of employees make
after-tax contributions, 5% are HCEs by pay, 0.1% are 5% owners, so the test fails and the refunds run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from _harness import Comparison, Measurement

ROWS = 1_000_000
OUT = Path(__file__).parent / "out"
CENSUS = OUT / f"acp_census_{ROWS}.csv"
PLAN_YEAR = 2026


def census_path() -> Path:
    """Generate the census once (fixed seed), atomically."""
    if CENSUS.exists():
        return CENSUS
    import numpy as np
    import pandas as pd

    OUT.mkdir(exist_ok=True)
    rng = np.random.default_rng(20260101)
    pay = np.round(rng.lognormal(11.2, 0.55, ROWS), 2)
    prior = np.round(pay * rng.uniform(0.9, 1.05, ROWS), 2)
    tested = np.minimum(pay, 360_000)
    hce_like = prior > 160_000
    joins = rng.random(ROWS) < np.where(hce_like, 0.6, 0.15)
    frame = pd.DataFrame({
        "Employee ID": [f"E{i:07d}" for i in range(ROWS)],
        "Compensation": pay,
        "Prior Year Compensation": prior,
        "5% Owner": np.where(rng.random(ROWS) < 0.001, "Y", "N"),
        "Eligible": np.where(rng.random(ROWS) < 0.95, "Y", "N"),
        "Match": np.round(tested * 0.04 * rng.random(ROWS), 2),
        "After-Tax": np.round(np.where(joins, np.minimum(tested * 0.12 * rng.random(ROWS), 30_000), 0.0), 2),
    })
    temp = CENSUS.with_suffix(".tmp")
    frame.to_csv(temp, index=False)
    os.replace(temp, CENSUS)
    return CENSUS


def end_to_end(path: str) -> object:
    from megabackdoor.acp import run_acp
    from megabackdoor.census import read_census

    return run_acp(read_census(path), PLAN_YEAR)


def pandas_read(path: str) -> object:
    """The baseline: ``pandas.read_csv`` with the dtypes and NA options the engine itself reads the census
    with (ids as objects, flags as categories, money as float64; census._read_csv_text), so the ratio is
    the engine's work beyond reading, not the cost of pandas guessing types."""
    import pandas as pd

    from megabackdoor import census

    with open(path, encoding="utf-8-sig") as handle:
        headers = handle.readline().rstrip("\r\n").split(",")
    columns = census.resolve_columns(headers, None)
    dtype = {columns["id"]: object, **{columns[f]: "category" for f in census.FLAG_FIELDS},
             **{columns[f]: "float64" for f in census.MONEY_FIELDS if f in columns}}
    return pd.read_csv(path, dtype=dtype, encoding="utf-8-sig", keep_default_na=False, na_values=[""],
                       skip_blank_lines=False, index_col=False)


def comparisons() -> list[Comparison]:
    path = str(census_path())
    return [Comparison(f"acp census {ROWS:,} rows: read + check + test + refunds + what-if",
                       lambda: end_to_end(path), lambda: pandas_read(path),
                       "pandas.read_csv of the same CSV, the engine's dtypes",
                       max_ratio=2.0, rounds=7)]


# VmHWM (the process image's own high-water mark), not ru_maxrss: a child of a big parent inherits the parent's
# ru_maxrss across fork/exec, so it would report the bench runner's memory instead of its own.
PEAK_SCRIPT = """
import sys
sys.path.insert(0, {bench!r})
import bench_acp
bench_acp.{function}({path!r})
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


def peak_rss_mb(function: str, path: str) -> float:
    """Max resident set size (MB) of a fresh Python process that runs ``function(path)``."""
    script = PEAK_SCRIPT.format(bench=str(Path(__file__).parent), function=function, path=path)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return int(result.stdout.strip().splitlines()[-1]) / 1024  # VmHWM is in kB


def measurements() -> list[Measurement]:
    path = str(census_path())
    ours = peak_rss_mb("end_to_end", path)
    base = peak_rss_mb("pandas_read", path)
    return [
        Measurement(f"acp census {ROWS:,} rows: peak memory (max RSS)", f"{ours:,.0f} MB",
                    f"<= 3x pandas.read_csv's {base:,.0f} MB", ours <= 3 * base),
        Measurement("census file size", f"{os.path.getsize(path) / 1e6:,.0f} MB", "", None),
    ]
