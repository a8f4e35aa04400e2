"""Catch-up contributions: the limit for an age and the Roth catch-up requirement, one rule for the engine and
for the workbooks' formulas.

The catch-up limit for the age attained by 31 December of the year (§414(v)(1), (v)(5)(A); Treas. Reg.
§1.414(v)-1(g)(3)): nothing under 50; from 2025, ages 60-63 get the §414(v)(2)(E) amount *instead of* the
50+ amount (§414(v)(2)(B)(i) as amended by SECURE 2.0 §109); at 64 it reverts::

    catch-up = IF(age<50, 0, IF(AND(age>=60, age<=63, year>=2025), amount 60-63, amount 50+))

The Roth catch-up requirement (§414(v)(7)(A), SECURE 2.0 §603): from 2026 (Notice 2023-62 relieved 2024 and
2025) catch-ups must be designated Roth when the prior calendar year's FICA wages from the plan sponsor
exceed the threshold keyed to the year::

    required = IF(AND(year>=2026, prior-year FICA wages>threshold), 1, 0)

The ages and years are read from ``data/limits.json`` ("thresholds", with their citations), so the Python
functions and the formula text below always use the same numbers.

>>> catchup_for_age(61, 2026, 8000, 11250), catchup_for_age(61, 2024, 7500, None)
(11250, 7500)
>>> catchup_formula("Age", "PlanYear", "LimC50", "LimC6063")
'IF(Age<50,0,IF(AND(Age>=60,Age<=63,PlanYear>=2025),LimC6063,LimC50))'
>>> roth_catchup_applies(2026, 150001, 150000), roth_catchup_formula("Y", "W", "T")
(True, 'IF(AND(Y>=2026,W>T),1,0)')
"""

from __future__ import annotations

from .limits import THRESHOLDS, load

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _thresholds() -> dict[str, int]:
    if not THRESHOLDS:
        load()
    return THRESHOLDS


def catchup_for_age(age: int, year: int, amount_50: Any, amount_60_63: Any) -> Any:
    """The catch-up limit for the age attained by 31 December of ``year``: 0 under 50, ``amount_60_63`` for
    ages 60-63 from 2025, else ``amount_50`` (the amounts are the year's limits; the one not used may be None).

    >>> [catchup_for_age(age, 2026, 8000, 11250) for age in (49, 50, 59, 60, 63, 64)]
    [0, 8000, 8000, 11250, 11250, 8000]
    """
    t = _thresholds()
    if age < t["catchup_age"]:
        return 0
    if t["catchup_60_63_min_age"] <= age <= t["catchup_60_63_max_age"] and year >= t["catchup_60_63_first_year"]:
        return amount_60_63
    return amount_50


def catchup_formula(age: str, year: str, amount_50: str, amount_60_63: str) -> str:
    """The same rule as spreadsheet text on the given cells or names (no leading '=')."""
    t = _thresholds()
    return (f"IF({age}<{t['catchup_age']},0,IF(AND({age}>={t['catchup_60_63_min_age']},"
            f"{age}<={t['catchup_60_63_max_age']},{year}>={t['catchup_60_63_first_year']}),"
            f"{amount_60_63},{amount_50}))")


def roth_catchup_applies(year: int, prior_year_fica_wages: float, threshold: float) -> bool:
    """Whether catch-ups made in ``year`` must be designated Roth: from 2026, prior-year FICA wages from the
    plan sponsor above ``threshold`` (no wages, 0, means not covered).

    >>> roth_catchup_applies(2025, 400000, 145000), roth_catchup_applies(2026, 150000, 150000)
    (False, False)
    """
    return year >= _thresholds()["roth_catchup_first_year"] and prior_year_fica_wages > threshold


def roth_catchup_formula(year: str, prior_year_fica_wages: str, threshold: str) -> str:
    """The same rule as spreadsheet text giving 1 (required) or 0 (no leading '=')."""
    return f"IF(AND({year}>={_thresholds()['roth_catchup_first_year']},{prior_year_fica_wages}>{threshold}),1,0)"
