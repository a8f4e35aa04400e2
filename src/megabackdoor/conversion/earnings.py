"""Earnings that build up on after-tax 401(k) money before it is converted to Roth (the closed form and a
day-by-day simulation that checks it).

A conversion is taxed on the part that would be includible if distributed: the amount converted minus the
after-tax basis in it (§402A(c)(4) for an in-plan Roth rollover, §408A(d)(3)(A) for a Roth IRA). Earnings
that build up between an after-tax contribution and its conversion are therefore ordinary income;
converting sooner leaves less of them.

Educational, not individual tax advice.
"""

from __future__ import annotations

import math

from .. import validate
from .._record import Record
from ..cadences import CADENCES
from ..errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DAYS_PER_YEAR = 365
# Installments a year. 'annual' (and its alias 'daily') spreads an annual amount evenly: 365 daily
# installments, so the continuous case stays a finite sum the simulator and a spreadsheet both reproduce.
PAY_PERIODS: dict[str, int] = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12,
                               "annual": 365, "daily": 365}
# m, conversions a year, for each cadence with fixed dates (0 = each installment as soon as it settles);
# per_paycheck converts n times, n_per_year conversions_per_year times, at_separation once at the end.
CONVERSIONS_PER_YEAR: dict[str, int] = {"daily": 0, "weekly": 52, "semimonthly": 24, "monthly": 12, "quarterly": 4,
                                        "semiannual": 2, "annual": 1}
MAX_SEPARATION_YEARS = 60
_CADENCE_SET = frozenset(CADENCES)

class ConversionEarnings(Record):
    """Earnings on one year's after-tax contributions before they are converted (annual dollars).

    Steady-state fields (a year of level contributions, where the tail carried into next year is replaced
    by the same tail carried in from last year, so these are the calendar year's conversion figures):
    ``earnings_converted`` (taxable earnings converted: the 1099-R taxable amount), ``amount_converted``,
    ``basis_converted``.

    One year's contributions on their own: ``amount_contributed``; ``earnings_in_year`` (the part of
    ``earnings_converted`` converted by 31 December); ``carryover_earnings`` (the rest, converted next year
    or at separation); ``unconverted_at_year_end`` (value on 31 December of contributions not yet converted,
    basis + earnings) and ``unconverted_basis``.

    Model: ``contributions_per_year`` and ``conversions_per_year`` (0 = each contribution converts as soon
    as it settles, the 'daily' automatic conversion; ``None`` = at separation); ``average_wait_days``.
    """

    __slots__ = ("amount_contributed", "earnings_converted", "amount_converted", "basis_converted",
                 "earnings_in_year", "carryover_earnings", "unconverted_at_year_end", "unconverted_basis",
                 "contributions_per_year", "conversions_per_year", "average_wait_days")




def _clean_earnings_args(annual_after_tax: Any, annual_return: Any, cadence: Any, pay_frequency: Any,
                         settlement_lag_days: Any, conversions_per_year: Any,
                         years_until_separation: Any) -> tuple[float, float, int, int | None, int, int]:
    amount = validate.money("annual_after_tax", annual_after_tax, validate.PAY)
    rate = validate.rate("annual_return", annual_return, low=-0.99, high=1.0)
    # Exact spellings skip the forgiving (slower) match; anything else gets it, and its error message.
    if cadence not in _CADENCE_SET:
        cadence = validate.choice("cadence", cadence, CADENCES)
    pay = pay_frequency if pay_frequency in PAY_PERIODS else validate.choice(
        "pay_frequency", pay_frequency, tuple(PAY_PERIODS))
    if type(settlement_lag_days) is int and 0 <= settlement_lag_days <= DAYS_PER_YEAR:
        lag = settlement_lag_days
    else:
        lag = validate.whole("settlement_lag_days", settlement_lag_days, 0, DAYS_PER_YEAR,
                             "days from a contribution until it can be converted")
    n = PAY_PERIODS[pay]
    if cadence != "n_per_year" and conversions_per_year is not None:
        raise InputError("conversions_per_year", conversions_per_year,
                         "blank unless cadence is 'n_per_year'", hint=f"cadence is {cadence!r}")
    if cadence != "at_separation" and years_until_separation is not None:
        raise InputError("years_until_separation", years_until_separation,
                         "blank unless cadence is 'at_separation'", hint=f"cadence is {cadence!r}")
    separation_days = 0
    if cadence == "daily":
        m: int | None = 0
    elif cadence == "per_paycheck":
        m = n
    elif cadence == "n_per_year":
        if conversions_per_year is None:
            raise InputError("conversions_per_year", None, "a whole number of conversions a year from 1 to 365 "
                             "when cadence is 'n_per_year'", kind="value")
        m = validate.whole("conversions_per_year", conversions_per_year, 1, DAYS_PER_YEAR,
                           "conversions a year")
    elif cadence == "at_separation":
        if years_until_separation is None:
            raise InputError("years_until_separation", None, "years from 31 December of the contribution year "
                             f"to separation, 0 to {MAX_SEPARATION_YEARS}, when cadence is 'at_separation'")
        years = validate.number("years_until_separation", years_until_separation)
        if not 0 <= years <= MAX_SEPARATION_YEARS:
            raise InputError("years_until_separation", years_until_separation,
                             f"years after 31 December of the contribution year, 0 to {MAX_SEPARATION_YEARS}",
                             kind="num")
        m = None
        # The separation date is kept to a whole day so every comparison below is exact integer arithmetic.
        separation_days = round(years * DAYS_PER_YEAR)
    else:
        m = CONVERSIONS_PER_YEAR[cadence]
    return amount, rate, n, m, lag, separation_days


def _geometric(count: int, step: float, log_growth: float) -> float:
    """sum over i = 0..count-1 of ((1+r)^(i*step) - 1), with log_growth = ln(1+r)."""
    if count <= 0 or log_growth == 0.0:
        return 0.0
    if abs(log_growth) < 1e-9:  # tiny rates: the ratio below loses precision; sum the terms directly
        return math.fsum(math.expm1(i * step * log_growth) for i in range(count))
    return math.expm1(count * step * log_growth) / math.expm1(step * log_growth) - count


def _earnings(amount: float, rate: float, n: int, m: int | None, lag: int,
              separation_days: int) -> ConversionEarnings:
    days = DAYS_PER_YEAR
    per = amount / n
    lr = math.log1p(rate)
    lag_years = lag / days
    # Contributions j = 1..n at j/n of the year; those with j <= in_year settle by 31 December.
    in_year = n - unconverted_paydays(n, lag)
    if m is None:  # at separation, separation_days after 31 December (or when settled, if later)
        end_days = days + separation_days
        on_time = separation_paydays(n, separation_days, lag)
        end = end_days / days
        late = n - on_time
        growth_sum = 0.0
        if on_time:
            # waits end - j/n for j = 1..on_time: (1+r)^(end - on_time/n) * sum_i (1+r)^(i/n)
            first = end - on_time / n
            head = math.expm1(first * lr)
            growth_sum = on_time * head + _geometric(on_time, 1 / n, lr) * (1.0 + head)
        total = per * (growth_sum + late * math.expm1(lag_years * lr))
        wait_sum = on_time * end - on_time * (on_time + 1) / (2 * n) + late * lag_years
        if separation_days == 0:
            carry = per * late * math.expm1(lag_years * lr)
        else:
            carry = total
            in_year = 0
    elif m == 0:  # each contribution converts as soon as it settles
        total = amount * math.expm1(lag_years * lr)
        carry = per * (n - in_year) * math.expm1(lag_years * lr)
        wait_sum = n * lag_years
    else:
        # Waits w_j = ceil(m (j/n + L/365)) / m - j/n. Over j = 1..n the waits are, each g = gcd(n, m)
        # times, base + i/(p m) for i = 0..p-1 (p = n/g), with base = L/365 + psi/(365 n m) and
        # psi = (-m n L) mod (365 g): the sum is a geometric series.
        g = math.gcd(n, m)
        p = n // g
        base = base_wait(n, m, lag)
        head = math.expm1(base * lr)
        # sum_i ((1+r)^(base + i/(pm)) - 1) = (1+r)^base * (G + p) - p, G = sum_i ((1+r)^(i/(pm)) - 1)
        series = p * head + _geometric(p, 1 / (p * m), lr) * (1.0 + head)
        total = per * g * series
        wait_sum = n * (base + (p - 1) / (2 * p * m))
        carry = 0.0
        step = days * n
        for j in range(in_year + 1, n + 1):
            k = -((-m * (j * days + n * lag)) // step)  # the conversion that takes contribution j
            carry += math.expm1((k / m - j / n) * lr)
        carry *= per
    left = n - in_year
    unconverted_basis = per * left
    unconverted = unconverted_basis + per * _geometric(left, 1 / n, lr)
    return ConversionEarnings(amount, total, amount + total, amount, total - carry, carry, unconverted,
                          unconverted_basis, n, m, wait_sum / n * days)


# --------------------------------------------------------------------------------------------------
# The closed form's pieces, each in Python and as the formula text the planning workbook writes
# --------------------------------------------------------------------------------------------------
# Names in the formula text are cells or defined names: amount (a year's after-tax contributions), rate (r),
# paydays (n), conversions (m), gcd (g = GCD(n, m)), period (p = n / g), lag (L, days). No leading '='.

SERIES_BELOW = 1e-3   # |r| below which the formula text takes the binomial series for (1+r)^x - 1


def power_minus_one(rate: float, exponent: float) -> float:
    """(1+r)^x - 1 to full precision (``expm1(x log1p(r))``), the quantity :func:`power_minus_one_formula`
    writes for a spreadsheet.

    >>> round(power_minus_one(0.07, 0.5), 12), round(power_minus_one(1e-12, 1 / 18980) * 1e17, 6)
    (0.034408043279, 5.268704)
    """
    return math.expm1(exponent * math.log1p(rate))


def power_minus_one_formula(rate: str, exponent: str) -> str:
    """:func:`power_minus_one` as spreadsheet text. A spreadsheet has no ``expm1``/``log1p`` (and the workbooks
    keep to + - * / ^, IF, AND), and (1+r)^x - 1 cancels for small r: with x = 1/(p m) down to 1/18,980 a
    return of 1e-10 keeps one digit, and below ~1e-15 it is 0 (a division by zero in the quotients of the
    closed form). Below |r| = 1e-3 the text takes the binomial series to r^3,
    x r (1 + (x-1)/2 r (1 + (x-2)/3 r)), whose next term is below 2.5e-10 of the sum there; above it, the
    power loses at most ~2e-9 of (1+r)^(1/18980) - 1. Both keep the earnings within a tenth of a cent.

    >>> power_minus_one_formula("R", "X")
    'IF(AND(R>-1E-3,R<1E-3),X*R*(1+(X-1)/2*R*(1+(X-2)/3*R)),(1+R)^X-1)'
    """
    x, r = (exponent if exponent.replace("_", "").isalnum() else f"({exponent})"), rate
    return f"IF(AND({r}>-1E-3,{r}<1E-3),{x}*{r}*(1+({x}-1)/2*{r}*(1+({x}-2)/3*{r})),(1+{r})^{x}-1)"


def _series(rate: float, exponent: float) -> float:
    """((1+r)^x - 1) / r to r^2 (the binomial series of :func:`power_minus_one_formula` with r divided out)."""
    return exponent * (1 + (exponent - 1) / 2 * rate * (1 + (exponent - 2) / 3 * rate))


def power_ratio(rate: float, top: float, bottom: float) -> float:
    """((1+r)^a - 1) / ((1+r)^b - 1) for r != 0, the quotient the closed form's geometric sums reduce to.
    Below |r| = 1e-3 both series have r divided out before the division, so a return as small as a float
    allows (5e-324, where x r is 0) still gives a / b, the limit, instead of 0 / 0.

    >>> power_ratio(5e-324, 1 / 12, 1 / 52) == 52 / 12, round(power_ratio(0.07, 0.5, 0.25), 9)
    (True, 2.017058525)
    """
    if -1e-3 < rate < 1e-3:
        return _series(rate, top) / _series(rate, bottom)
    return power_minus_one(rate, top) / power_minus_one(rate, bottom)


def power_ratio_formula(rate: str, top: str, bottom: str) -> str:
    """:func:`power_ratio` as spreadsheet text (r divided out of both series below |r| = 1e-3).

    >>> power_ratio_formula("R", "A", "B")
    'IF(AND(R>-1E-3,R<1E-3),A*(1+(A-1)/2*R*(1+(A-2)/3*R))/(B*(1+(B-1)/2*R*(1+(B-2)/3*R))),((1+R)^A-1)/((1+R)^B-1))'
    """
    a, b = (x if x.replace("_", "").isalnum() else f"({x})" for x in (top, bottom))
    r = rate
    return (f"IF(AND({r}>-1E-3,{r}<1E-3),{a}*(1+({a}-1)/2*{r}*(1+({a}-2)/3*{r}))"
            f"/({b}*(1+({b}-1)/2*{r}*(1+({b}-2)/3*{r}))),((1+{r})^{a}-1)/((1+{r})^{b}-1))")


def gcd_formula(paydays: int, conversions: str) -> str:
    """GCD(n, m) for a fixed n and a whole-number cell m with MAX/IF/FLOOR only (``math.gcd`` in Python): the
    largest divisor d of n that divides m (FLOOR(m/d, 1)*d = m is exact for whole numbers this small).

    >>> gcd_formula(4, "M")
    'MAX(1,IF(FLOOR(M/2,1)*2=M,2,0),IF(FLOOR(M/4,1)*4=M,4,0))'
    """
    divisors = [d for d in range(2, paydays + 1) if paydays % d == 0]
    return "MAX(1," + ",".join(f"IF(FLOOR({conversions}/{d},1)*{d}={conversions},{d},0)" for d in divisors) + ")"


def base_wait(paydays: int, conversions: int, lag: int) -> float:
    """The shortest wait (years) of a periodic cadence, L/365 + psi/(365 n m) with psi = (-m n L) mod (365 g);
    L/365 for the automatic conversion (m = 0).

    >>> base_wait(26, 12, 0), base_wait(26, 0, 3) == 3 / 365, round(base_wait(24, 52, 0) * 365, 4)
    (0.0, True, 0.0)
    """
    if conversions == 0:
        return lag / DAYS_PER_YEAR
    g = math.gcd(paydays, conversions)
    psi = (-conversions * paydays * lag) % (DAYS_PER_YEAR * g)
    return lag / DAYS_PER_YEAR + psi / (DAYS_PER_YEAR * paydays * conversions)


def remainder_formula(paydays: str, conversions: str, gcd: str, lag: str) -> str:
    """(m n L) mod 365g, the remainder :func:`base_wait_formula` turns into psi (MOD spelled with FLOOR)."""
    product = f"{conversions}*{paydays}*{lag}"
    return f"{product}-365*{gcd}*FLOOR({product}/(365*{gcd}),1)"


def base_wait_formula(paydays: str, conversions: str, gcd: str, lag: str, remainder: str) -> str:
    """:func:`base_wait` as spreadsheet text, given the cell holding :func:`remainder_formula`."""
    return (f"IF({conversions}=0,{lag}/365,{lag}/365+IF({remainder}=0,0,365*{gcd}-{remainder})"
            f"/(365*{paydays}*{conversions}))")


def periodic_earnings_formula(amount: str, rate: str, paydays: str, conversions: str, gcd: str, period: str,
                              base: str, lag: str) -> str:
    """``earnings_converted`` of :func:`conversion_earnings` for a periodic cadence or 'daily' (m = 0)::

        IF(r=0, 0, IF(m=0, A((1+r)^(L/365) - 1),
                      A/n g ((1+r)^base ((1+r)^(1/m) - 1) / ((1+r)^(1/(pm)) - 1) - p)))

    Not rounded: the workbook wraps it in ROUND(..., 2).
    """
    grow = f"(1+{rate})"
    ratio = power_ratio_formula(rate, f"1/{conversions}", f"1/({period}*{conversions})")
    return (f"IF({rate}=0,0,IF({conversions}=0,{amount}*({grow}^({lag}/365)-1),{amount}/{paydays}*{gcd}*("
            f"{grow}^{base}*{ratio}-{period})))")


def unconverted_paydays(paydays: int, lag: int) -> int:
    """c: the paydays of the year still unconverted (not yet settled) on 31 December, n - INT(n (365 - L)/365).

    >>> unconverted_paydays(26, 0), unconverted_paydays(26, 5), unconverted_paydays(365, 2)
    (0, 1, 2)
    """
    return paydays - (paydays * (DAYS_PER_YEAR - lag)) // DAYS_PER_YEAR


def unconverted_paydays_formula(paydays: str, lag: str) -> str:
    """:func:`unconverted_paydays` as spreadsheet text."""
    return f"{paydays}-FLOOR({paydays}*(365-{lag})/365,1)"


def unconverted_formula(amount: str, rate: str, paydays: str, left: str) -> str:
    """``unconverted_at_year_end`` of :func:`conversion_earnings`: the c = ``left`` last paydays' money on
    31 December, A/n ((1+r)^(c/n) - 1) / ((1+r)^(1/n) - 1) (A c / n when r = 0). Not rounded."""
    ratio = power_ratio_formula(rate, f"{left}/{paydays}", f"1/{paydays}")
    return f"IF({left}=0,0,IF({rate}=0,{amount}/{paydays}*{left},{amount}/{paydays}*{ratio}))"


def separation_paydays(paydays: int, separation_days: int, lag: int) -> int:
    """J: the paydays of the year settled by separation, ``separation_days`` after 31 December.

    >>> separation_paydays(26, 0, 0), separation_paydays(26, 0, 20), separation_paydays(26, 365, 20)
    (26, 24, 26)
    """
    return min(paydays, (paydays * (DAYS_PER_YEAR + separation_days - lag)) // DAYS_PER_YEAR)


def separation_paydays_formula(paydays: str, years: str, lag: str) -> str:
    """:func:`separation_paydays` as spreadsheet text for separation ``years`` (whole years) after 31 December."""
    return f"MIN({paydays},FLOOR({paydays}*(365*(1+{years})-{lag})/365,1))"


def separation_earnings_formula(amount: str, rate: str, paydays: str, years: str, settled: str, lag: str) -> str:
    """``earnings_converted`` of :func:`conversion_earnings` with cadence 'at_separation', K = ``years`` after
    31 December and J = ``settled`` (:func:`separation_paydays_formula`)::

        A/n [(1+r)^(1+K-J/n) ((1+r)^(J/n) - 1)/((1+r)^(1/n) - 1) - J + (n - J)((1+r)^(L/365) - 1)]

    Not rounded.
    """
    grow = f"(1+{rate})"
    ratio = power_ratio_formula(rate, f"{settled}/{paydays}", f"1/{paydays}")
    return (f"IF({rate}=0,0,{amount}/{paydays}*({grow}^(1+{years}-{settled}/{paydays})*{ratio}"
            f"-{settled}+({paydays}-{settled})*({grow}^({lag}/365)-1)))")


def conversion_earnings(annual_after_tax: float, annual_return: float, cadence: str = "per_paycheck",
                        pay_frequency: str = "biweekly", settlement_lag_days: int = 0,
                        conversions_per_year: int | None = None,
                        years_until_separation: float | None = None) -> ConversionEarnings:
    """Taxable earnings on after-tax 401(k) contributions before they are converted to Roth.

    Model (a 365-day year; leap days ignored):

    * ``annual_after_tax`` arrives in ``n`` equal installments at j/n of the year, j = 1..n (the end of
      each pay period, the last on 31 December): n = 52 weekly, 26 biweekly, 24 semimonthly, 12 monthly,
      365 for 'annual' (an annual amount spread evenly, i.e. one installment a day; alias 'daily').
    * Each installment can be converted ``settlement_lag_days`` (L) after it is made and is converted at the
      first conversion on or after that. Conversions are at k/m of the year (k = 1, 2, ...; the last of
      the year on 31 December) with m = 52 weekly, 24 semimonthly, 12 monthly, 4 quarterly,
      2 semiannual, 1 annual, n per_paycheck, ``conversions_per_year`` for 'n_per_year'.
      'daily' is the automatic conversion: each installment converts as soon as it settles (after L days).
      'at_separation' converts everything ``years_until_separation`` (K) after 31 December of the
      contribution year (rounded to a whole day), or when settled if that is later.
    * Money grows at ``annual_return`` r (effective annual): an installment a converted after waiting w
      years carries taxable earnings a((1+r)^w - 1) (§402A(c)(4), §408A(d)(3)(A)).
    * ``earnings_converted`` is the taxable earnings on one year's contributions whenever they convert. With
      level contributions it is also the calendar year's taxable conversions: the tail carried into next
      year replaces the tail carried in from last year (``earnings_in_year`` + ``carryover_earnings``; see
      :func:`earnings_schedule` for uneven years).

    Closed form (periodic cadences), with a = A/n, g = gcd(n, m), p = n/g::

        psi  = (-m n L) mod (365 g)                     (0 when L = 0)
        base = L/365 + psi / (365 n m)
        earnings_converted = a g [ (1+r)^base ((1+r)^(1/m) - 1) / ((1+r)^(1/(pm)) - 1) - p ]   (r != 0)
        daily:          earnings_converted = A ((1+r)^(L/365) - 1)
        at_separation:  D = ROUND(365 K, 0), J = MIN(n, INT(n (365 + D - L) / 365)), T = 1 + D/365,
                        earnings = a [ (1+r)^(T - J/n) ((1+r)^(J/n) - 1)/((1+r)^(1/n) - 1) - J
                                       + (n - J)((1+r)^(L/365) - 1) ]
        c = n - INT(n (365 - L) / 365)                  (installments still unconverted on 31 December)
        unconverted_at_year_end = a ((1+r)^(c/n) - 1) / ((1+r)^(1/n) - 1)

    In a spreadsheet: ``=A/n*g*((1+r)^base*((1+r)^(1/m)-1)/((1+r)^(1/(p*m))-1)-p)`` with ``g=GCD(n,m)``,
    ``psi=MOD(-m*n*L,365*g)``, wrapped in ``IF(r=0,0,...)``; with L = 0 (the usual case) psi = 0 and c = 0,
    leaving only + - * / ^ and a per-(pay, cadence) constant g. ``carryover_earnings`` (the tail that
    converts next year) has no closed form for periodic cadences and is summed over the c installments.

    Limits of the model: it is the expectation at the expected return. With volatile returns the expected
    *taxable* amount is higher, because a conversion made at a loss has a taxable part of zero, not below
    (the shortfall is not deductible), so read the figure as a floor. Earnings are attributed to the
    installments converted; when a lag leaves unsettled installments at a conversion, the §72(e)(8) pro-rata
    rule within the subaccount can move a few dollars between that conversion and the next, not the total.

    Converting more often never raises the earnings when r > 0 *if the new dates include the old ones*
    (monthly -> semimonthly, annual -> anything, anything -> daily). A more frequent but misaligned
    schedule can be worse: monthly pay converted weekly waits up to 6 days, semimonthly waits 0.

    Parameters
    ----------
    annual_after_tax : after-tax contributions for the year, dollars (>= 0); for a per-paycheck amount pass
        amount x paychecks a year (x 26 biweekly).
    annual_return : expected annual return, decimal (0.07 for 7%), -0.99 to 1.
    cadence : one of ``CADENCES``.
    pay_frequency : 'weekly', 'biweekly', 'semimonthly', 'monthly' or 'annual' (spread evenly; 'daily').
    settlement_lag_days : whole days from a contribution until it can be converted, 0 to 365.
    conversions_per_year : 1 to 365, only with cadence 'n_per_year'.
    years_until_separation : 0 to 60 years after 31 December, only with cadence 'at_separation'.

    Returns
    -------
    ConversionEarnings (see its fields). Amounts are not rounded. With a negative return the earnings are
    negative: a loss, which is not deductible (the conversion's taxable part is then 0).

    Examples
    --------
    $26,000 a year biweekly at 7%, converted once a year on 31 December:

    >>> r = conversion_earnings(26000, 0.07, "annual")
    >>> round(r.earnings_converted, 2), round(r.average_wait_days, 1)
    (864.75, 175.5)
    >>> conversion_earnings(26000, 0.07, "per_paycheck").earnings_converted   # converted on payday
    0.0
    >>> round(conversion_earnings(26000, 0.07, "daily", settlement_lag_days=2).earnings_converted, 2)
    9.64
    """
    return _earnings(*_clean_earnings_args(annual_after_tax, annual_return, cadence, pay_frequency,
                                           settlement_lag_days, conversions_per_year, years_until_separation))


def earnings_schedule(annual_after_tax: Any, annual_return: float, years: int | None = None,
                      cadence: str = "per_paycheck", pay_frequency: str = "biweekly", settlement_lag_days: int = 0,
                      conversions_per_year: int | None = None) -> list[tuple[int, float, float, float]]:
    """Year-by-year taxable earnings converted, for a stream of yearly after-tax contributions.

    Calendar year i converts the in-year part of its own contributions and the tail carried over from year
    i-1 (:func:`conversion_earnings`; the per-dollar factors are computed once)::

        earnings_i = A_i x earnings_in_year(1) + A_(i-1) x carryover_earnings(1)

    A last row (year = len, contribution 0) holds the tail of the final year. ``annual_after_tax`` is a list of
    yearly amounts, or one amount repeated ``years`` times. Rows: (year index, contributed, taxable earnings
    converted in the year, unconverted at year end). Cadence 'at_separation' is one conversion: use
    :func:`conversion_earnings` per year.

    >>> rows = earnings_schedule([24000, 24000], 0.08, cadence="quarterly", pay_frequency="semimonthly",
    ...                          settlement_lag_days=5)
    >>> [(i, a, round(e, 2), u) for i, a, e, u in rows]
    [(0, 24000.0, 251.82, 1000.0), (1, 24000.0, 271.24, 1000.0), (2, 0.0, 19.43, 0.0)]
    """
    if isinstance(annual_after_tax, (list, tuple)):
        amounts = [validate.money(f"annual_after_tax[{i}]", a, validate.PAY) for i, a in enumerate(annual_after_tax)]
        if years is not None and validate.whole("years", years, 0, 200, "years") != len(amounts):
            raise InputError("years", years, f"blank or the number of amounts given ({len(amounts)})")
    else:
        count = validate.whole("years", 1 if years is None else years, 0, 200, "years")
        amounts = [validate.money("annual_after_tax", annual_after_tax, validate.PAY)] * count
    if validate.choice("cadence", cadence, CADENCES) == "at_separation":
        raise InputError("cadence", cadence, "a periodic cadence or 'daily' (for 'at_separation' call "
                         "conversion_earnings for each year)")
    _, rate, n, m, lag, separation_days = _clean_earnings_args(1.0, annual_return, cadence, pay_frequency,
                                                               settlement_lag_days, conversions_per_year, None)
    unit = _earnings(1.0, rate, n, m, lag, separation_days)
    in_year, carry, left = unit.earnings_in_year, unit.carryover_earnings, unit.unconverted_at_year_end
    rows = []
    previous = 0.0
    for index, amount in enumerate(amounts):
        rows.append((index, amount, amount * in_year + previous * carry, amount * left))
        previous = amount
    rows.append((len(amounts), 0.0, previous * carry, 0.0))
    return rows


def simulate_conversion_earnings(annual_after_tax: float, annual_return: float, cadence: str = "per_paycheck",
                                 pay_frequency: str = "biweekly", settlement_lag_days: int = 0,
                                 conversions_per_year: int | None = None,
                                 years_until_separation: float | None = None) -> ConversionEarnings:
    """Day-by-day simulation of :func:`conversion_earnings` (same arguments, same result), for checking it.

    Walks the calendar one day at a time with exact rational event times, holding pending installments
    (not yet settled) and a settled pool that each conversion empties, and grows every balance between
    events. Slow (hundreds of steps); use :func:`conversion_earnings`.

    >>> sim = simulate_conversion_earnings(26000, 0.07, "annual")
    >>> round(sim.earnings_converted, 2)
    864.75
    """
    amount, rate, n, m, lag, separation_days = _clean_earnings_args(
        annual_after_tax, annual_return, cadence, pay_frequency, settlement_lag_days, conversions_per_year,
        years_until_separation)
    days = DAYS_PER_YEAR
    step = n * (m or 1)            # time units per day; a year is days * step units
    year = days * step
    per = amount / n
    log_growth = math.log1p(rate)
    events: list[tuple[int, int, int]] = []   # (time, order, installment): 0 pay, 1 settle, 2 convert
    separation = (days + separation_days) * step
    for j in range(1, n + 1):
        paid = j * days * (m or 1)
        settled = paid + lag * step
        events.append((paid, 0, j))
        events.append((settled, 1, j))
        if m == 0 or (m is None and settled > separation):
            events.append((settled, 2, j))
    if m is None:
        events.append((separation, 2, 0))
    elif m > 0:
        events.extend((k * days * n, 2, 0) for k in range(1, 2 * m + 1))
    events.sort()
    pending: dict[int, list[float]] = {}   # installment -> [value, basis], not yet settled
    paid_at: dict[int, int] = {}
    pool = [0.0, 0.0]                       # settled, not yet converted: value, basis
    pool_paid: list[int] = []               # payment times of the installments in the pool
    converted = [0.0, 0.0]                  # every conversion: value, basis
    in_year = [0.0, 0.0]                    # conversions on or before 31 December
    snapshot: tuple[float, float] | None = None
    waits = 0
    now = 0

    def grow_to(moment: int) -> None:
        nonlocal now
        if moment > now:
            factor = math.exp((moment - now) / year * log_growth)
            for lot in pending.values():
                lot[0] *= factor
            pool[0] *= factor
            now = moment

    def unconverted() -> tuple[float, float]:
        return (pool[0] + sum(v for v, _ in pending.values()), pool[1] + sum(b for _, b in pending.values()))

    index = 0
    last_day = events[-1][0] // step + 1
    for day in range(last_day + 1):
        day_end = (day + 1) * step
        while index < len(events) and events[index][0] < day_end:
            moment, kind, j = events[index]
            if snapshot is None and moment > year:
                grow_to(year)
                snapshot = unconverted()
            index += 1
            grow_to(moment)
            if kind == 0:
                pending[j] = [per, per]
                paid_at[j] = moment
            elif kind == 1:
                value, basis = pending.pop(j)
                pool[0] += value
                pool[1] += basis
                pool_paid.append(paid_at.pop(j))
            elif pool_paid:
                converted[0] += pool[0]
                converted[1] += pool[1]
                if moment <= year:
                    in_year[0] += pool[0]
                    in_year[1] += pool[1]
                waits += sum(moment - t for t in pool_paid)
                pool_paid.clear()
                pool[0] = pool[1] = 0.0
        if snapshot is None and day_end > year:
            grow_to(year)
            snapshot = unconverted()
        grow_to(day_end)
    total = converted[0] - converted[1]
    earned_in_year = in_year[0] - in_year[1]
    if snapshot is None:
        snapshot = (0.0, 0.0)
    return ConversionEarnings(amount, total, amount + total, amount, earned_in_year, total - earned_in_year,
                              snapshot[0], snapshot[1], n, m, waits / year / n * days)
