"""Issue 5: planning workbooks. Building the default workbook vs openpyxl writing as many plain cells; 1,000
workbooks from a list of scenarios on 2 processes (progress bar); the default workbook's file size."""

from __future__ import annotations

import io
import os
import random
import tempfile
import time

from _harness import Comparison, Measurement

from megabackdoor.scenario import CADENCES, default_scenario
from megabackdoor.workbook import plan, render

BATCH = 1000
WORKERS = 2


def build_default() -> bytes:
    stream = io.BytesIO()
    render.write_book(plan.build(), stream)
    return stream.getvalue()


def _cell_counts() -> list[int]:
    return [len(sheet.cells) for sheet in plan.build().sheets]


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
                         years=rng.choice([5, 10, 20]))
            for i in range(count)]


def batch_seconds(count: int = BATCH, workers: int = WORKERS) -> float:
    # The product's batch path (megabackdoor workbook ... --out-dir --jobs 2): every scenario checked first,
    # then built and written by the worker processes, with the progress bar.
    jobs = scenarios(count)
    with tempfile.TemporaryDirectory(prefix="mb-bench-") as folder:
        paths = [os.path.join(folder, f"plan{i:04d}.xlsx") for i in range(count)]
        start = time.perf_counter()
        plan.write_many(jobs, paths, workers=workers, progress=True)
        return time.perf_counter() - start


def comparisons() -> list[Comparison]:
    counts = _cell_counts()
    return [Comparison(f"build the default workbook ({sum(counts)} cells)", build_default,
                       lambda: plain_cells(counts), "openpyxl, same number of plain cells", max_ratio=2.0,
                       rounds=15)]  # ~50 ms calls: best of 15 single builds, not 5


def measurements() -> list[Measurement]:
    seconds = batch_seconds()
    size = len(build_default())
    return [
        Measurement(f"{BATCH} workbooks from a list of scenarios, {WORKERS} processes", f"{seconds:.1f} s",
                    "<= 60 s on 2 cores", seconds <= 60),
        Measurement("default workbook file size", f"{size / 1024:.1f} KiB", "report", None),
    ]


if __name__ == "__main__":  # quick look without bench/run.py
    print(measurements())
