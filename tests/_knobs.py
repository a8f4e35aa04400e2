"""Setting a module's tuning constants for one block (e.g. a solver shortcut off, a search budget of 1), put back
afterwards whatever happens: how the paycheck tests compare a shortcut with the search without it.

    with knobs(solver, _SEED_AFTER=1, _SEED_PROBES=1):
        solved = solve_elections(...)

    with counting(solver, "_row_member", _FEW_COLUMNS=0) as calls:
        rows = ...      # calls: the arguments of each call of solver._row_member in the block

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


@contextlib.contextmanager
def counting(module, name, **values):
    """:func:`knobs` with ``module.<name>`` wrapped so that each call's positional arguments are recorded: yields
    the list of them (the function still does its work)."""
    calls = []
    original = getattr(module, name)

    def counted(*args, **keywords):
        calls.append(args)
        return original(*args, **keywords)
    with knobs(module, **{name: counted}, **values):
        yield calls
