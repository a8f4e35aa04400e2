"""The one source of randomness for the test suite.

Every random draw in a test takes its generator from here, so a plain ``uv run pytest`` (and CI) draws the
same values on every run, and one environment variable explores or replays::

    from _seeds import SEED, rng

    generator = rng("workbook-recalc")          # random.Random, seeded from SEED and the label
    generator = rng("census", 3)                # labels keep independent draws independent
    random_cases(seed(6, "paycheck-workbook"))  # a test's stock seed 6, replaced when exploring

* ``MEGABACKDOOR_SEED`` unset: ``SEED = DEFAULT_SEED`` (fixed).
* ``MEGABACKDOOR_SEED=<n>``: ``SEED = n`` (replay a run; every failure report prints the variable to set).
* ``MEGABACKDOOR_SEED=random``: a fresh seed, the same in every xdist worker (tests/conftest.py resolves it
  once, before workers start, and prints it in the header and in every failure).

Hypothesis (profiles registered in tests/conftest.py): ``ci`` (the default, also without CI) is
derandomized and keeps no example database, so it draws the same examples every run; ``fast`` is ``ci`` with
a quarter of the examples (at least 10), chosen for the edit-test loop ``pytest -m "not slow"`` (CI and a
plain ``pytest`` keep ``ci``); ``explore`` (chosen automatically when ``MEGABACKDOOR_SEED`` is set) is
random; ``HYPOTHESIS_PROFILE=deep`` runs ten times more examples, random. Write
``@settings(max_examples=scaled(100))`` rather than a bare number so the deep and fast profiles reach your
test too.

Seeds that once failed stay in the suite as regression cases next to the test that draws them (see
``tests/test_workbook_recalc.py``). A coverage claim about random draws ("the draws include every cadence")
must hold by construction of the draw (force the rare cases into fixed slots), never by luck.
"""

from __future__ import annotations

import os
import random

ENV = "MEGABACKDOOR_SEED"
DEFAULT_SEED = 11
DEEP_FACTOR = 10
FAST_DIVISOR = 4
FAST_FLOOR = 10


def _resolve() -> int:
    raw = os.environ.get(ENV, "").strip().lower()
    if raw in ("", "fixed"):
        return DEFAULT_SEED
    if raw == "random":
        seed = random.SystemRandom().randrange(1_000_000)
        os.environ[ENV] = str(seed)  # xdist workers and subprocesses inherit the same seed
        return seed
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{ENV}={raw!r} is not accepted: use a whole number, 'random', or leave it unset "
                         f"for the fixed seed {DEFAULT_SEED}") from None


SEED = _resolve()
EXPLORING = os.environ.get(ENV, "").strip().lower() not in ("", "fixed")
# The hypothesis profile of this run; tests/conftest.py turns "ci" into "fast" for the fast set (-m "not slow").
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("explore" if EXPLORING else "ci")


def rng(*labels: object) -> random.Random:
    """A generator seeded from SEED and ``labels`` (a str seed is hashed with SHA-512: stable everywhere)."""
    return random.Random(":".join(map(str, (SEED, *labels))))


def seed(fixed: int, label: str) -> int:
    """A test's own stock seed ``fixed`` on a plain run (its draws stay as they were), and one derived from
    SEED and ``label`` when MEGABACKDOOR_SEED is set: ``random.Random(seed(6, "paycheck-workbook"))``."""
    return rng(label, fixed).randrange(2**32) if EXPLORING else fixed


def replay_hint() -> str:
    return f"{ENV}={SEED}"


def scaled(examples: int, fast: int | None = None) -> int:
    """``examples`` under the default profiles, DEEP_FACTOR times more under ``HYPOTHESIS_PROFILE=deep``, and
    in the fast set ``fast`` of them (default 1/FAST_DIVISOR, at least FAST_FLOOR, never more than
    ``examples``). Also the count of a test's own seeded draws: ``for _ in range(scaled(12, fast=3))``."""
    if PROFILE == "deep":
        return examples * DEEP_FACTOR
    if PROFILE == "fast":
        return min(examples, max(FAST_FLOOR, examples // FAST_DIVISOR) if fast is None else fast)
    return examples


def fast_set() -> bool:
    """True in the fast set (``pytest -m "not slow"``, hypothesis profile ``fast``): a test may check fewer
    of its cases there; CI and a plain run check them all."""
    return PROFILE == "fast"
