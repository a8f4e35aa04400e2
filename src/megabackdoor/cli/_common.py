"""Helpers shared by the CLI commands: argument types and output."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from ..cadences import DEFAULT_INFLATION


def number(text: str) -> float:
    """argparse type: a finite number; the message says what was given and what is accepted."""
    try:
        value = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"got {text!r}; expected a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"got {text!r}; expected a finite number")
    return int(value) if value.is_integer() and "." not in text else value


def whole(text: str) -> int:
    value = number(text)
    if value != int(value):
        raise argparse.ArgumentTypeError(f"got {text!r}; expected a whole number")
    return int(value)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def add_inflation(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inflation", type=number, default=DEFAULT_INFLATION,
                        help="assumed annual CPI growth for projected limits, as a decimal "
                             f"(default {DEFAULT_INFLATION})")


def print_json(data: Any) -> None:
    """Standard JSON: a non-finite number (which JSON cannot hold) is an error, never ``Infinity``/``NaN``."""
    try:
        text = json.dumps(data, indent=2, default=str, allow_nan=False)
    except ValueError:
        raise _not_finite() from None
    sys.stdout.write(text + "\n")


def money(value: float | None) -> str:
    if value is None:
        return ""
    if not math.isfinite(value):
        raise _not_finite()
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


def _not_finite() -> Exception:
    from ..errors import InputError

    return InputError("inputs", "a result that is not a finite number", "inputs whose results a float can hold "
                      "(smaller amounts or rates)", kind="num")


def print_table(rows: list[tuple[str, ...]], header: tuple[str, ...] | None = None) -> None:
    all_rows = ([header] if header else []) + [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in all_rows) for i in range(len(all_rows[0]))]
    for index, row in enumerate(all_rows):
        print("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) if cell.startswith("$")
                        else cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if header and index == 0:
            print("  ".join("-" * w for w in widths))


NOTES: list[str] = []
"""Lines for stderr that the CLI shows only once the command has succeeded (cli.main): a refused command
prints its one error line and nothing else."""


def say_defaults(scenario: Any, source: str | None = None, skip: tuple[str, ...] = ()) -> None:
    """One stderr line saying which defaults a scenario's numbers use (stdout stays clean for CSV/JSON),
    shown when the command succeeds; ``skip``: scenario sections the command does not read."""
    from ..scenario import defaults_line

    where = f"{source}: " if source else ""
    NOTES.append(f"megabackdoor: {where}{defaults_line(scenario, skip)}")
