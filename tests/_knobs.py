"""Setting a module's tuning constants for one block (e.g. a solver shortcut off, a search budget of 1), put back
afterwards whatever happens: how the paycheck tests compare a shortcut with the search without it.

    with knobs(solver, _SEED_AFTER=1, _SEED_PROBES=1):
        solved = solve_elections(...)

A context manager rather than pytest's ``monkeypatch``: hypothesis tests cannot take function-scoped fixtures.
"""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def knobs(module, **values):
    saved = {name: getattr(module, name) for name in values}      # (an unknown name fails here, before any change)
    try:
        for name, value in values.items():
            setattr(module, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)
