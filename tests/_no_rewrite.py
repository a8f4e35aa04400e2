"""Imported first by tests/conftest.py, before anything imports hypothesis (its pytest plugin does not).

pytest assertion-rewrites every module of a distribution that registers a pytest plugin (hypothesis' and
xdist's): from source and, where PYTHONDONTWRITEBYTECODE is set (as on CI and this machine), again in every
process, ~1 s of CPU per test process for hypothesis' ~100 modules, whose own asserts are its internal checks,
not our tests'. This takes hypothesis off pytest's list, so its modules load from their compiled bytecode; test
modules and conftest files are rewritten as before (tests/test_suite_setup.py checks both)."""

from __future__ import annotations

import sys

for _finder in sys.meta_path:
    if isinstance(getattr(_finder, "_must_rewrite", None), set):   # pytest's AssertionRewritingHook
        _finder._must_rewrite.discard("hypothesis")
