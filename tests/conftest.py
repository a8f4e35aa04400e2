"""Suite-wide settings: the run's seed (tests/_seeds.py) and the hypothesis profiles.

* The seed is resolved here, once, before xdist starts workers, so ``MEGABACKDOOR_SEED=random`` gives every
  worker the same draw; the header and every failure report say how to replay it.
* Hypothesis profiles: ``ci`` (default: derandomized, no example database, no deadline: the same examples
  on every run and machine), ``explore`` (random; chosen when ``MEGABACKDOOR_SEED`` is set) and ``deep``
  (``HYPOTHESIS_PROFILE=deep``: random, ten times the examples where tests use ``_seeds.scaled``).
"""

from __future__ import annotations

import os

import _seeds
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, database=None, deadline=None, print_blob=True)
settings.register_profile("deep", derandomize=False, database=None, deadline=None, print_blob=True,
                          max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("explore" if _seeds.EXPLORING else "ci"))


def pytest_report_header(config) -> str:
    return (f"megabackdoor seed: {_seeds.SEED} ({'chosen' if _seeds.EXPLORING else 'fixed'}; replay with "
            f"{_seeds.replay_hint()}), hypothesis profile: {settings._current_profile}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        report.sections.append(("megabackdoor seed", f"replay this run with {_seeds.replay_hint()}"))
