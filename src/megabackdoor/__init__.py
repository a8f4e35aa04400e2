"""megabackdoor: plan the mega-backdoor Roth (after-tax 401(k) contributions converted to Roth).

The core engine is pure Python (no xlwings, pandas or openpyxl), so ``import megabackdoor`` is fast and
runs under Pyodide (xlwings Lite). Names below are loaded on first use. Educational, not individual tax
advice.

>>> from megabackdoor import after_tax_room
>>> after_tax_room(2026, 35, 24500, 9000)
38500.0
"""

from __future__ import annotations

from .errors import InputError

__version__ = "0.1.0"
DISCLAIMER = "Educational, not individual tax advice: check your plan documents and a tax professional."

# Public name -> engine module that defines it; imported on first access (PEP 562) to keep start-up fast.
_EXPORTS = {
    "after_tax_room": "headroom",
    "headroom_breakdown": "headroom",
    "catchup_limit": "headroom",
    "total_401k_limit": "headroom",
    "roth_catchup_required": "headroom",
    "backdoor_ira_limit": "headroom",
    "conversion_path": "headroom",
    "irs_limit": "limits",
    "limits_for_year": "limits",
    "LIMIT_NAMES": "limits",
    "conversion_earnings": "conversion",
    "earnings_schedule": "conversion",
    "rollover_split": "conversion",
    "in_plan_conversion": "conversion",
    "backdoor_pro_rata": "conversion",
    "backdoor_pro_rata_breakdown": "conversion",
    "five_year_date": "conversion",
    "roth_ira_qualified_clock": "conversion",
    "rollover_clocks": "conversion",
    "roth_ira_ordering": "conversion",
    "conversion_tax": "tax",
    "federal_income_tax": "tax",
    "niit_delta": "tax",
    "FILING_STATUSES": "tax",
    "roth_vs_taxable": "compare",
    "solve_elections": "paycheck",
    "paycheck_schedule": "paycheck",
    "pay_dates": "paycheck",
    "rmd": "retirement",
    "retirement_projection": "retirement",
}

__all__ = ["DISCLAIMER", "InputError", "__version__", *_EXPORTS]


def __getattr__(name: str):
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'megabackdoor' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
