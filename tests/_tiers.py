"""Test tiers that need an outside tool (LibreOffice, Node/Pyodide).

Locally a missing tool skips the tier with a reason that says how to get it; on CI (``CI`` set, as
``.ci/run`` runs) a missing tool fails the test, because CI must run every tier.
"""

from __future__ import annotations

import os
import shutil

import pytest


def on_ci() -> bool:
    return bool(os.environ.get("CI"))


def need(condition: bool, why: str) -> None:
    """Skip (locally) or fail (on CI) when ``condition`` is false."""
    if condition:
        return
    if on_ci():
        pytest.fail(f"CI must run every tier, but: {why}")
    pytest.skip(why)


def need_tool(command: str, install_hint: str) -> str:
    """The path of ``command``, or skip/fail with ``install_hint``."""
    path = shutil.which(command)
    need(path is not None, f"{command} not found; {install_hint} (.ci/run installs it)")
    return path  # type: ignore[return-value]
