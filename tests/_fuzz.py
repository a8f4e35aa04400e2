"""Helpers shared by the fuzz tiers (tests/test_fuzz.py: CLI and files; tests/test_fuzz_cells.py: worksheet
cells through Office.js)."""

from __future__ import annotations

import math


def all_hold(check, cases) -> None:
    """Run ``check`` on every case; fail once at the end listing the broken ones (the first 15)."""
    broken = []
    for case in cases:
        try:
            check(case)
        except AssertionError as error:
            broken.append(str(error).split("\nassert ")[0])
    assert not broken, f"{len(broken)} of {len(cases)} broke:\n" + "\n---\n".join(broken[:15])


def finite(value) -> bool:
    """No NaN or infinity in a float or a (nested) list of values."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(finite(v) for v in value)
    return True
