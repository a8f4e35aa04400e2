"""Test tiers that need an outside tool (LibreOffice, Node/Pyodide).

Locally a missing tool skips the tier with a reason that says how to get it; on CI (``CI`` set, as
``.ci/run`` runs) a missing tool fails the test, because CI must run every tier.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

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


def need_node_packages(folder: Path, package: str) -> None:
    """``folder/node_modules/<package>``, running ``npm ci`` in ``folder`` first when it is missing (so a plain
    ``uv run pytest`` on a machine with Node runs the tier); skip/fail with npm's error when that fails.
    A file lock keeps concurrent xdist workers from running two installs into one folder."""
    if (folder / "node_modules" / package).is_dir():
        return
    npm = need_tool("npm", "install Node.js 18+ with npm")
    import hashlib

    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"megabackdoor-npm-{key}.lock"
    with open(lock_path, "w") as lock:
        try:
            import fcntl
            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # Windows: no lock; one worker runs this tier anyway (--dist loadfile)
            pass
        if (folder / "node_modules" / package).is_dir():
            return
        run = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=folder, capture_output=True,
                             text=True, timeout=900)
    need((folder / "node_modules" / package).is_dir(),
         f"`npm ci` in {folder} failed (exit {run.returncode}): {(run.stderr or run.stdout).strip()[-800:]}")
