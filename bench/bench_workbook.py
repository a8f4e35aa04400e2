"""Issue 5: planning workbooks. Building the default workbook vs openpyxl writing as many plain cells; 1,000
workbooks from a list of scenarios on 2 processes (progress bar); the default workbook's file size.

Issue 18: the honest figure is the longest plan (40 years) built in a fresh process (imports, first-use
caches and all), against openpyxl writing as many plain cells in a fresh process, paired over 9 rounds; the
10-year plan built warm in one process stays beside it. The batch uses 40-year plans; it runs
MB_BENCH_BATCH_ROUNDS times (default 3) and reports the median wall time with the lowest and highest, the load
average it ran under, and the CPU seconds of all its processes: CPU / 2 is its wall time on 2 idle cores, the
figure that does not depend on what else the machine runs.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import Comparison, Measurement

from megabackdoor.cli.workbook_batch import write_many
from megabackdoor.scenario import CADENCES, default_scenario
from megabackdoor.workbook import plan, render

BATCH = 1000
WORKERS = 2


LONGEST = 40     # years: the most a scenario allows


def build_default(years: int | None = None) -> bytes:
    scenario = None if years is None else default_scenario().replace(years=years)
    stream = io.BytesIO()
    render.write_book(plan.build(scenario), stream)
    return stream.getvalue()


def _cell_counts(years: int | None = None) -> list[int]:
    scenario = None if years is None else default_scenario().replace(years=years)
    return [len(sheet.cells) for sheet in plan.build(scenario).sheets]


FRESH = """
import sys
sys.path.insert(0, {bench!r})
import bench_workbook
{call}
"""


def _fresh(call: str) -> None:
    """Run ``call`` (on bench_workbook) in a new Python process: imports and first-use work included."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = FRESH.format(bench=str(Path(__file__).parent), call=call)
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def plain_cells(counts: list[int]) -> bytes:
    # The baseline: openpyxl alone writing the same number of cells per sheet, plain numbers, no styles.
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for index, count in enumerate(counts):
        sheet = book.create_sheet(f"Sheet{index}")
        for n in range(count):
            sheet.cell(row=n // 40 + 1, column=n % 40 + 1, value=n)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def scenarios(count: int = BATCH) -> list:
    rng = random.Random(5)
    base = default_scenario()
    return [base.replace(name=f"Scenario {i}", birth_year=2026 - rng.randint(25, 64),
                         salary=float(rng.randrange(80_000, 400_000, 1000)),
                         conversion_cadence=rng.choice(CADENCES), after_tax_cap=rng.choice([1.0, 0.1, 0.2]),
                         years=LONGEST)
            for i in range(count)]


def batch_seconds(count: int = BATCH, workers: int = WORKERS) -> float:
    """Wall seconds of one batch (see :func:`batch_run`)."""
    return batch_run(count, workers)[0]


def batch_run(count: int = BATCH, workers: int = WORKERS) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its workers) of the product's batch path
    (megabackdoor workbook ... --out-dir --jobs 2): every scenario checked first, then built and written by
    the worker processes, with the progress bar. The CPU figure does not depend on what else the machine
    runs: CPU / workers is the wall time the batch would take on idle cores."""
    import resource

    jobs = scenarios(count)
    with tempfile.TemporaryDirectory(prefix="mb-bench-") as folder:
        paths = [os.path.join(folder, f"plan{i:04d}.xlsx") for i in range(count)]
        before = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        start = time.perf_counter()
        write_many(jobs, paths, workers=workers, progress=True)
        wall = time.perf_counter() - start
        after = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before, strict=True))
    return wall, cpu


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return f"median {median:.1f} s (min {ordered[0]:.1f}, max {ordered[-1]:.1f}; {len(values)} runs)"


def comparisons() -> list[Comparison]:
    counts = _cell_counts()
    longest = _cell_counts(LONGEST)
    _fresh(f"bench_workbook.build_default({LONGEST})")     # bytecode cache written once, as for a wheel
    return [
        Comparison(f"build the {LONGEST}-year workbook in a fresh process ({sum(longest)} cells)",
                   lambda: _fresh(f"bench_workbook.build_default({LONGEST})"),
                   lambda: _fresh(f"bench_workbook.plain_cells({longest!r})"),
                   "fresh process, openpyxl writing as many plain cells", max_ratio=2.0, rounds=9),
        Comparison(f"build the default (10-year) workbook warm ({sum(counts)} cells)", build_default,
                   lambda: plain_cells(counts), "openpyxl, same number of plain cells", max_ratio=2.0,
                   rounds=15),  # ~50 ms calls: 15 paired single builds
    ]


BATCH_ROUNDS = int(os.environ.get("MB_BENCH_BATCH_ROUNDS", "3"))  # each round is a whole 1,000-workbook batch


def measurements() -> list[Measurement]:
    load_before = os.getloadavg()[0]
    runs = [batch_run() for _ in range(BATCH_ROUNDS)]
    load_after = os.getloadavg()[0]
    walls = [wall for wall, _ in runs]
    cpus = [cpu for _, cpu in runs]
    idle = sorted(cpus)[len(cpus) // 2] / WORKERS
    size = len(build_default())
    return [
        Measurement(f"{BATCH} workbooks of {LONGEST}-year plans from a list of scenarios, {WORKERS} processes, wall",
                    f"{_spread(walls)}; load average {load_before:.1f} before, {load_after:.1f} after",
                    "<= 60 s on 2 cores", sorted(walls)[len(walls) // 2] <= 60),
        Measurement(f"the same batch, CPU seconds of all processes / {WORKERS} (its wall time on idle cores)",
                    f"{idle:.1f} s ({_spread([cpu / WORKERS for cpu in cpus])}; "
                    f"{1000 * sorted(cpus)[len(cpus) // 2] / BATCH:.0f} ms CPU a workbook)",
                    "<= 60 s on 2 cores", idle <= 60),
        Measurement("default workbook file size", f"{size / 1024:.1f} KiB", "report", None),
    ]


if __name__ == "__main__":  # quick look without bench/run.py
    print(measurements())
