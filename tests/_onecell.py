"""Evaluate a rule's formula text on a one-cell sheet with the ``formulas`` engine (compiled once per text).

The fast check that a rule module's formula text and its Python agree: ``evaluate(text, r=0.07, n=26)``
compiles ``=text`` (its inputs are the names in ``cells``, case-insensitive) and returns a float.
"""

from __future__ import annotations

import functools


@functools.cache
def compiled(text: str):
    import formulas

    return formulas.Parser().ast("=" + text)[1].compile()


def evaluate(text: str, **cells: float) -> float:
    function = compiled(text)
    value = function(*(cells[name.lower()] for name in function.inputs))
    value = value.item() if hasattr(value, "item") else value
    if not isinstance(value, (int, float)):
        raise AssertionError(f"{text} gave {value!r} for {cells}")
    return float(value)
