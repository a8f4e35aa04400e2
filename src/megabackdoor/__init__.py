"""megabackdoor: plan the mega-backdoor Roth (after-tax 401(k) contributions converted to Roth).

The core engine is pure Python (no xlwings, pandas or openpyxl), so ``import megabackdoor`` is fast and
runs under Pyodide (xlwings Lite). Educational, not individual tax advice.

>>> from megabackdoor import after_tax_room
>>> after_tax_room(2026, 35, 24500, 9000)
38500.0
"""

from .errors import InputError
from .headroom import (
    after_tax_room,
    backdoor_ira_limit,
    catchup_limit,
    conversion_path,
    headroom_breakdown,
    roth_catchup_required,
    total_401k_limit,
)
from .limits import LIMIT_NAMES, irs_limit, limits_for_year

__version__ = "0.1.0"
DISCLAIMER = "Educational, not individual tax advice: check your plan documents and a tax professional."

__all__ = [
    "DISCLAIMER",
    "LIMIT_NAMES",
    "InputError",
    "__version__",
    "after_tax_room",
    "backdoor_ira_limit",
    "catchup_limit",
    "conversion_path",
    "headroom_breakdown",
    "irs_limit",
    "limits_for_year",
    "roth_catchup_required",
    "total_401k_limit",
]
