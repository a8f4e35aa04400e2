"""Issue 2: a scalar headroom call vs bare arithmetic; ``import megabackdoor`` vs ``python -c pass``."""

from __future__ import annotations

import os
import subprocess
import sys

from _harness import Comparison

from megabackdoor import after_tax_room
from megabackdoor.limits import PUBLISHED


def _bare_arithmetic(year: int = 2026, age: int = 35, deferral: float = 24500.0, employer: float = 9000.0) -> float:
    # The same sum with the limit read from a dict and no validation, catch-up or breakdown.
    limit = PUBLISHED[("415c", year)]
    return max(0.0, limit - deferral - employer)


def _python(code: str) -> None:
    # With bytecode caching, as for an installed wheel: this machine's PYTHONDONTWRITEBYTECODE would charge our
    # modules a fresh compile on every start (tens of ms) and "python -c pass" none.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def comparisons() -> list[Comparison]:
    _python("import megabackdoor; megabackdoor.after_tax_room(2026, 35, 24500, 9000)")  # writes the bytecode once
    return [
        Comparison("after_tax_room(2026, 35, 24500, 9000)", lambda: after_tax_room(2026, 35, 24500, 9000),
                   _bare_arithmetic, "bare arithmetic", max_ratio=20),
        Comparison('python -c "import megabackdoor"', lambda: _python("import megabackdoor"),
                   lambda: _python("pass"), "python -c pass", max_extra_seconds=0.030, rounds=15),
        # The engine and its data load on first use; this row pays for all of it.
        Comparison("import megabackdoor + first after_tax_room call",
                   lambda: _python("import megabackdoor; megabackdoor.after_tax_room(2026, 35, 24500, 9000)"),
                   lambda: _python("pass"), "python -c pass", max_extra_seconds=0.030, rounds=15),
    ]
