"""Roth versus a taxable brokerage account for the same after-tax dollars.

Educational, not individual tax advice.
"""

from __future__ import annotations

from . import validate
from ._record import Record
from .errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NIIT_RATE = 0.038          # §1411(a)(1); thresholds in data/federal_brackets.json (not indexed)
MAX_YEARS = 100


class RothVsTaxable(Record):
    """The comparison at the horizon (dollars unless noted).

    ``roth_value`` (tax-free); ``taxable_value`` (after the tax on sale); ``advantage`` = roth - taxable;
    ``breakeven_years``: first whole year at which the Roth is ahead (``None`` if not within 100 years);
    ``breakeven_conversion_tax``: the conversion tax at which both are equal at the horizon;
    ``taxable_invested`` (amount + conversion tax); ``taxable_pretax_value`` (before the tax on sale);
    ``taxable_basis`` (cost basis incl. reinvested after-tax dividends); ``tax_on_sale``;
    ``dividend_tax_rate`` and ``gains_tax_rate`` used; ``after_tax_growth`` (taxable account growth a year
    after dividend tax).
    """

    __slots__ = ("roth_value", "taxable_value", "advantage", "breakeven_years", "breakeven_conversion_tax",
                 "taxable_invested", "taxable_pretax_value", "taxable_basis", "tax_on_sale",
                 "dividend_tax_rate", "gains_tax_rate", "after_tax_growth")


def _taxable_factor(years: int, annual_return: float, dividend_yield: float, dividend_tax: float,
                    gains_tax: float) -> tuple[float, float, float]:
    """(pre-tax value, basis, after-tax value) at ``years`` of $1 in the taxable account."""
    growth = 1.0 + annual_return - dividend_yield * dividend_tax
    value = growth ** years
    reinvested = dividend_yield * (1.0 - dividend_tax)
    # basis = 1 + sum_{t<years} reinvested x value_t, value_t = growth^t
    basis = 1.0 + reinvested * (years if growth == 1.0 else (value - 1.0) / (growth - 1.0))
    gain = value - basis
    return value, basis, value - gains_tax * gain if gain > 0 else value


def roth_vs_taxable(amount: float, years: int, annual_return: float, conversion_tax: float = 0.0,
                    dividend_yield: float = 0.015, qualified_dividend_rate: float = 0.15, ltcg_rate: float = 0.15,
                    niit: bool = False, state_rate: float = 0.0) -> RothVsTaxable:
    """After-tax value at a horizon of the same after-tax dollars in a Roth versus a taxable account.

    Both sides spend ``amount + conversion_tax`` of after-tax money now: the Roth gets ``amount`` (the tax
    on converting its earnings is paid from the rest), the taxable account gets all of it.

    Formula (total return r = price growth + dividend yield y, held ``years`` = N)::

        roth      = amount x (1 + r)^N                  (qualified distribution: tax-free, §408A(d)(1))
        td        = qualified_dividend_rate + 3.8% NIIT (if niit) + state_rate      (dividends, yearly)
        tg        = ltcg_rate + 3.8% NIIT (if niit) + state_rate                    (gains, at sale)
        g         = 1 + r - y td                        (after-tax dividends reinvested)
        value     = V0 g^N,  basis = V0 (1 + y (1 - td)(g^N - 1)/(g - 1)),  V0 = amount + conversion_tax
        taxable   = value - tg x max(0, value - basis)  (a loss is not deducted)
        advantage = roth - taxable
        breakeven_conversion_tax = amount x ((1 + r)^N / (taxable / V0) - 1)

    Parameters
    ----------
    amount : after-tax dollars that go into the Roth.
    years : horizon in whole years, 0 to 100.
    annual_return : expected total return a year (price + dividends), decimal.
    conversion_tax : tax paid now to convert (from :func:`megabackdoor.tax.conversion_tax`), dollars.
    dividend_yield : yearly dividends as a fraction of value, decimal.
    qualified_dividend_rate, ltcg_rate : federal rates on qualified dividends and long-term gains (0, 0.15
        or 0.20 under §1(h)).
    niit : add the 3.8% net investment income tax (§1411) to both.
    state_rate : state rate on dividends and gains, decimal.

    Examples
    --------
    $10,000 for 30 years at 7% with a 1.5% yield, 15% dividend and gains rates:

    >>> c = roth_vs_taxable(10000, 30, 0.07)
    >>> round(c.roth_value, 2), round(c.taxable_value, 2), round(c.advantage, 2)
    (76122.55, 63979.47, 12143.08)
    >>> roth_vs_taxable(10000, 30, 0.07, conversion_tax=240).breakeven_years
    3
    """
    amount = validate.money("amount", amount)
    years = validate.whole("years", years, 0, MAX_YEARS, "years")
    annual_return = validate.rate("annual_return", annual_return, low=-0.99, high=1.0)
    tax = validate.money("conversion_tax", conversion_tax)
    dividend_yield = validate.fraction("dividend_yield", dividend_yield)
    dividend_rate = validate.fraction("qualified_dividend_rate", qualified_dividend_rate, upper=1.0, inclusive=False)
    gains_rate = validate.fraction("ltcg_rate", ltcg_rate, upper=1.0, inclusive=False)
    niit = validate.flag("niit", niit)
    state = validate.fraction("state_rate", state_rate, upper=1.0, inclusive=False)
    extra = (NIIT_RATE if niit else 0.0) + state
    dividend_tax = dividend_rate + extra
    gains_tax = gains_rate + extra
    if dividend_tax >= 1 or gains_tax >= 1:
        raise InputError("state_rate", state_rate, "rates that add up to less than 100% with the federal rates",
                         kind="num")
    invested = amount + tax
    roth = amount * (1.0 + annual_return) ** years
    value, basis, after = _taxable_factor(years, annual_return, dividend_yield, dividend_tax, gains_tax)
    taxable = invested * after
    breakeven_tax = amount * ((1.0 + annual_return) ** years / after - 1.0) if after > 0 else None
    breakeven_years = None
    for horizon in range(MAX_YEARS + 1):
        if amount * (1.0 + annual_return) ** horizon >= invested * _taxable_factor(
                horizon, annual_return, dividend_yield, dividend_tax, gains_tax)[2] - 1e-9 * max(1.0, invested):
            breakeven_years = horizon
            break
    return RothVsTaxable(roth, taxable, roth - taxable, breakeven_years, breakeven_tax, invested, invested * value,
                         invested * basis, invested * (value - after), dividend_tax, gains_tax,
                         1.0 + annual_return - dividend_yield * dividend_tax)


def compare_rows(result: RothVsTaxable) -> list[list[Any]]:
    """The comparison as a two-column table (label, value) for a spill or the CLI.

    >>> compare_rows(roth_vs_taxable(10000, 0, 0.07, conversion_tax=500))[2]
    ['advantage', -500.0]
    """
    return [["roth_value", result.roth_value], ["taxable_value", result.taxable_value],
            ["advantage", result.advantage], ["breakeven_years", result.breakeven_years],
            ["breakeven_conversion_tax", result.breakeven_conversion_tax]]
