"""Run every benchmark side by side and print one table of ratios.

    uv run python bench/run.py            # all
    uv run python bench/run.py -k headroom  # only names containing "headroom"
    uv run python bench/run.py --quick    # fewer rounds (smoke)

Each comparison row: ours and the baseline as the median per call over paired rounds (min in brackets),
the median of the paired ratios and, in brackets, their spread (lowest-highest round). The load average is
printed before and after: on a shared machine read the spread with it.

Targets are reported, never asserted in tests: timing belongs here, not in the test suite.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from _harness import Measurement, show_seconds, time_paired, verdict  # noqa: E402


def load_modules(pattern: str | None) -> list:
    modules = []
    for path in sorted(HERE.glob("bench_*.py")):
        if pattern and pattern not in path.stem:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", dest="pattern", help="only bench modules whose name contains this")
    parser.add_argument("--quick", action="store_true", help="two rounds instead of each comparison's count")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, str, str, str, str]] = []
    if hasattr(os, "getloadavg"):
        print("load average (1, 5, 15 min) at start: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    for module in load_modules(args.pattern):
        for comparison in getattr(module, "comparisons", list)():
            paired = time_paired(comparison, args.quick)
            ours, base = paired.ours_median, paired.base_median
            target, met = verdict(comparison, ours, base, paired.ratio)
            low, high = min(paired.ratios), max(paired.ratios)
            rounds = len(paired.ours)
            # A speed-up target reads better as "N x faster" than as a ratio of 0.00x.
            if comparison.min_speedup:
                ratio = f"{1 / paired.ratio:.0f}x faster ({1 / high:.0f}-{1 / low:.0f}x)"
            else:
                ratio = f"{paired.ratio:.2f}x ({low:.2f}-{high:.2f}x)"
            rows.append((f"{comparison.name} [{rounds} paired rounds]",
                         f"{show_seconds(ours)} (min {show_seconds(min(paired.ours))})",
                         f"{comparison.baseline_name}: {show_seconds(base)} (min {show_seconds(min(paired.base))})",
                         ratio, target, "yes" if met else "NO"))
            print(f"  measured {comparison.name}", file=sys.stderr)
        for item in getattr(module, "measurements", list)():
            assert isinstance(item, Measurement)
            met = "n/a" if item.met is None else ("yes" if item.met else "NO")
            rows.append((item.name, item.value, "", "", item.target, met))
    header = ("benchmark", "ours", "baseline (same run)", "ratio", "target", "met")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    if hasattr(os, "getloadavg"):
        print("load average (1, 5, 15 min) at end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
