"""Side-by-side timing used by every bench module (see bench/run.py).

A bench module ``bench/bench_<topic>.py`` defines ``comparisons() -> list[Comparison]`` and may define
``measurements() -> list[Measurement]`` for figures that are not ratios (file size, peak memory, wall time
of a batch). Ours and the baseline are timed in alternating batches in the same process and run (a pair per
round, ours first in one round and the baseline first in the next), so machine noise hits both sides alike.
The figures are the median of the rounds for each side, the median of the paired ratios (ours / baseline of
the same round), the fastest round of each, and the spread of the ratios (lowest to highest round): best-of
alone flatters whichever side had one lucky round. With ``samples`` a round is several small samples of each
side, interleaved, and each side's figure for the round is the median of its samples.
A call that takes more than ~50 ms runs once per round, so such comparisons (subprocesses, whole
workbooks, a million-row census) get more rounds (``rounds``) to make their medians stable.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Comparison:
    name: str
    ours: Callable[[], object]
    baseline: Callable[[], object]
    baseline_name: str
    max_ratio: float | None = None          # target: ours / baseline <= max_ratio
    max_extra_seconds: float | None = None  # target: ours - baseline <= this (per call)
    max_seconds: float | None = None        # target: ours per call <= this
    min_speedup: float | None = None        # target: baseline / ours >= this
    rounds: int = 7
    # What a batch is timed with (seconds): wall time by default; a comparison whose work runs in other processes
    # (a browser, a server) passes the CPU clock of those processes. ``calls``: calls made by one run of ours /
    # the baseline (a batch of calls in one request); the figures are per call.
    clock: Callable[[], float] = time.perf_counter
    calls: int = 1
    # Samples per side in a round, interleaved (ours, baseline, baseline, ours, ...); the round's figure for each
    # side is the median of its samples. One sample (the default) is one batch per side per round. Many small
    # interleaved samples keep a burst of load, a garbage collection or a background compile from landing on
    # one side's whole round.
    samples: int = 1


@dataclass
class Paired:
    """Per-call seconds of every round, ours and the baseline's, in round order (pairs)."""
    ours: list[float]
    base: list[float]

    @staticmethod
    def _median(values: list[float]) -> float:
        ordered = sorted(values)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def ours_median(self) -> float:
        return self._median(self.ours)

    @property
    def base_median(self) -> float:
        return self._median(self.base)

    @property
    def ratios(self) -> list[float]:
        return [o / b for o, b in zip(self.ours, self.base, strict=True)]

    @property
    def ratio(self) -> float:
        return self._median(self.ratios)


@dataclass
class Measurement:
    name: str
    value: str
    target: str
    met: bool | None


def _loops_for(func: Callable[[], object], budget: float = 0.05) -> int:
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            func()
        elapsed = time.perf_counter() - start
        if elapsed >= budget or loops >= 1_000_000:
            return loops
        loops = max(loops * 2, int(loops * budget / max(elapsed, 1e-9)))


def _batch(func: Callable[[], object], loops: int, clock: Callable[[], float] = time.perf_counter,
           calls: int = 1) -> float:
    start = clock()
    for _ in range(loops):
        func()
    return (clock() - start) / (loops * calls)


def time_paired(comparison: Comparison, quick: bool = False) -> Paired:
    """Per-call seconds of (ours, baseline) in every round, measured in alternating batches."""
    loops_ours = _loops_for(comparison.ours)
    loops_base = _loops_for(comparison.baseline)
    ours, base = [], []
    for number in range(2 if quick else comparison.rounds):
        # the order alternates: what one side leaves behind (garbage to collect, a warm cache) falls on each alike
        taken: tuple[list[float], list[float]] = ([], [])
        for sample in range(comparison.samples):
            for side in ((0, 1) if (number + sample) % 2 == 0 else (1, 0)):
                if side == 0:
                    taken[0].append(_batch(comparison.ours, loops_ours, comparison.clock, comparison.calls))
                else:
                    taken[1].append(_batch(comparison.baseline, loops_base, comparison.clock, comparison.calls))
        ours.append(Paired._median(taken[0]))
        base.append(Paired._median(taken[1]))
    return Paired(ours, base)


def time_pair(comparison: Comparison, quick: bool = False) -> tuple[float, float]:
    """Median per-call seconds of (ours, baseline), measured in alternating batches."""
    paired = time_paired(comparison, quick)
    return paired.ours_median, paired.base_median


def show_seconds(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def verdict(comparison: Comparison, ours: float, base: float, ratio: float | None = None) -> tuple[str, bool]:
    """Targets on the medians; ``ratio`` (default ours / base) is the median of the paired ratios."""
    ratio = ours / base if ratio is None else ratio
    checks: list[tuple[str, bool]] = []
    if comparison.max_ratio is not None:
        checks.append((f"ratio <= {comparison.max_ratio:g}x", ratio <= comparison.max_ratio))
    if comparison.max_extra_seconds is not None:
        checks.append((f"extra <= {show_seconds(comparison.max_extra_seconds)}",
                       ours - base <= comparison.max_extra_seconds))
    if comparison.max_seconds is not None:
        checks.append((f"<= {show_seconds(comparison.max_seconds)}/call", ours <= comparison.max_seconds))
    if comparison.min_speedup is not None:
        checks.append((f"speedup >= {comparison.min_speedup:g}x", 1 / ratio >= comparison.min_speedup))
    return "; ".join(text for text, _ in checks), all(ok for _, ok in checks)


# VmHWM (the process image's own high-water mark), not ru_maxrss: a child of a big parent inherits the parent's
# ru_maxrss across fork/exec, so it would report the bench runner's memory instead of its own.
PEAK_SCRIPT = """
import sys
sys.path.insert(0, {bench!r})
import {module}
{module}.{function}({path!r})
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


def peak_rss_mb(module: str, function: str, path: str) -> float:
    """Max resident set size (MB) of a fresh Python process that runs ``module.function(path)`` (a bench module)."""
    script = PEAK_SCRIPT.format(bench=str(Path(__file__).parent), module=module, function=function, path=path)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return int(result.stdout.strip().splitlines()[-1]) / 1024  # VmHWM is in kB
