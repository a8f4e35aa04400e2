"""The year-end growth factor: one rule for the engine and for the workbooks' formulas.

A year's contributions arrive in ``n`` equal parts on paydays at j/n of the year (j = 1..n) and grow at the
expected annual return r until 31 December. The year-end value of 1 dollar a year is::

    F(r, n) = (1/n) sum_{i=0}^{n-1} (1+r)^(i/n) = r / (n ((1+r)^(1/n) - 1)),   F(0, n) = 1

The money grows at r whether it waits as after-tax money or has been converted, so F is the year-end value
of a year's after-tax contributions under any conversion cadence; a conversion only moves the earnings from
after-tax to Roth, and those earnings are taxed when converted (§402A(c)(4) for an in-plan Roth rollover,
§408A(d)(3)(A) for a Roth IRA; see :mod:`megabackdoor.conversion.earnings`).

:func:`year_end_factor` keeps full precision for tiny and denormal r (``log1p``/``expm1``);
:func:`year_end_factor_formula` writes the same factor with the functions every spreadsheet has, taking a
series below |r| = 1e-6, so the engine and a recalculated workbook agree to the cent for any return.

>>> round(year_end_factor(0.06, 26), 6)
1.028555
>>> year_end_factor_formula("ExpectedReturn", "ConvN")
'IF(AND(ExpectedReturn>-1E-6,ExpectedReturn<1E-6),1+ExpectedReturn*(ConvN-1)/(2*ConvN),\
ExpectedReturn/(ConvN*((1+ExpectedReturn)^(1/ConvN)-1)))'
"""

from __future__ import annotations

import math


def year_end_factor(annual_return: float, paydays: int) -> float:
    """Year-end value of 1 dollar a year paid in ``paydays`` equal parts at j/n of the year (j = 1..n), growing
    at ``annual_return``: (1/n) sum_{i=0}^{n-1} (1+r)^(i/n) = r / (n ((1+r)^(1/n) - 1)), 1 when r = 0.

    Computed as g(x) / g(x/n) with x = ln(1+r) and g(y) = (e^y - 1)/y (``log1p``/``expm1``, as
    :mod:`megabackdoor.conversion` does), which keeps full precision for tiny and denormal r, where the textbook
    form loses every digit ((1+r)^(1/n) - 1 cancels) or divides by zero.

    >>> round(year_end_factor(0.06, 26), 6), year_end_factor(0.0, 26), round(year_end_factor(1e-15, 26), 12)
    (1.028555, 1.0, 1.0)
    """
    if annual_return == 0:
        return 1.0
    x = math.log1p(annual_return)
    return _expm1_ratio(x) / _expm1_ratio(x / paydays)


def year_end_factor_formula(rate: str, paydays: str) -> str:
    """:func:`year_end_factor` as spreadsheet formula text (no leading ``=``), for cells ``rate`` and ``paydays``.

    Spreadsheets have no ``expm1``/``log1p``: below |r| = 1e-6, where r / (n ((1+r)^(1/n) - 1)) starts to lose
    digits, the formula takes the series 1 + r (n - 1) / (2n) (the factor to first order; the next term is
    below 1e-13 there), so the sheet agrees with the Python to the cent for any return, including 0.

    >>> year_end_factor_formula("R", "N")
    'IF(AND(R>-1E-6,R<1E-6),1+R*(N-1)/(2*N),R/(N*((1+R)^(1/N)-1)))'
    """
    r, n = rate, paydays  # AND, not ABS: the workbooks keep to the functions every spreadsheet has
    return f"IF(AND({r}>-1E-6,{r}<1E-6),1+{r}*({n}-1)/(2*{n}),{r}/({n}*((1+{r})^(1/{n})-1)))"


def _expm1_ratio(y: float) -> float:
    """(e^y - 1) / y, 1 at y = 0; by its series where y is so small that the quotient would lose digits."""
    if abs(y) < 1e-8:
        return 1.0 + y / 2
    return math.expm1(y) / y
