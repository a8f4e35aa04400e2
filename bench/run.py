"""Run every benchmark side by side and print one table of ratios.

    uv run python bench/run.py            # all
    uv run python bench/run.py -k headroom  # only names containing "headroom"
    uv run python bench/run.py --quick    # fewer rounds (smoke)

Targets are reported, never asserted in tests: timing belongs here, not in the test suite.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from _harness import Measurement, show_seconds, time_pair, verdict  # noqa: E402


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
    parser.add_argument("--quick", action="store_true", help="two rounds instead of seven")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, str, str, str, str]] = []
    for module in load_modules(args.pattern):
        for comparison in getattr(module, "comparisons", list)():
            ours, base = time_pair(comparison, args.quick)
            target, met = verdict(comparison, ours, base)
            # A speed-up target reads better as "N x faster" than as a ratio of 0.00x.
            ratio = f"{base / ours:.0f}x faster" if comparison.min_speedup else f"{ours / base:.2f}x"
            rows.append((comparison.name, show_seconds(ours), f"{comparison.baseline_name}: {show_seconds(base)}",
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
