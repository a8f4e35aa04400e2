"""The suite's own set-up (tests/conftest.py): what it changes about how pytest imports modules."""

from __future__ import annotations

import sys


def test_hypothesis_is_imported_from_its_bytecode_not_rewritten_by_pytest():
    import hypothesis.core

    assert "@py_builtins" not in vars(hypothesis.core)    # what pytest's assertion rewriting adds to a module
    assert type(hypothesis.core.__loader__).__name__ != "AssertionRewritingHook"


def test_test_modules_are_still_assertion_rewritten():
    assert "@py_builtins" in vars(sys.modules[__name__])
