"""Converting after-tax money to Roth: earnings before conversion, rollover splits, pro-rata, five-year clocks.

Rules (each with its statute, regulation or notice):

* A conversion is taxed on the part that would be includible if distributed: the amount converted minus
  the after-tax basis in it (§402A(c)(4) for an in-plan Roth rollover, §408A(d)(3)(A) for a Roth IRA).
  Earnings that build up between an after-tax contribution and its conversion are therefore ordinary
  income; converting sooner leaves less of them.
* A distribution from the after-tax subaccount carries a pro-rata share of basis and earnings (§72(e)(8),
  the subaccount treated as a separate contract under §72(d)(2)); Notice 2014-54 lets one distribution be
  split so the pre-tax part goes first to direct rollovers (a traditional IRA) and the basis to a Roth IRA.
* Traditional-to-Roth IRA conversions are pro rata over *all* traditional, SEP and SIMPLE IRAs at
  31 December (§408(d)(2), Form 8606 lines 6-11 and 16-18).
* Each conversion's taxable part is free of the §72(t) 10% recapture from 1 January of the conversion
  year + 5 (§408A(d)(3)(F); Treas. Reg. §1.408A-6 Q&A-5); Roth IRA distributions come out in the order
  regular contributions, conversions first-in-first-out (taxable part first), then earnings (§408A(d)(4)(B)).

Educational, not individual tax advice.
"""

from __future__ import annotations

import math

from . import validate
from ._record import Record
from .cadences import CADENCES
from .errors import InputError
from .rounding import cents

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from typing import Any

DAYS_PER_YEAR = 365
# Installments a year. 'annual' (and its alias 'daily') spreads an annual amount evenly: 365 daily
# installments, so the continuous case stays a finite sum the simulator and a spreadsheet both reproduce.
PAY_PERIODS: dict[str, int] = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12,
                               "annual": 365, "daily": 365}
_CONVERSIONS_PER_YEAR = {"weekly": 52, "semimonthly": 24, "monthly": 12, "quarterly": 4, "semiannual": 2,
                         "annual": 1}
MAX_SEPARATION_YEARS = 60
_CADENCE_SET = frozenset(CADENCES)


# --------------------------------------------------------------------------------------------------
# Earnings before conversion
# --------------------------------------------------------------------------------------------------

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
        m = _CONVERSIONS_PER_YEAR[cadence]
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
    in_year = (n * (days - lag)) // days
    if m is None:  # at separation, separation_days after 31 December (or when settled, if later)
        end_days = days + separation_days
        on_time = min(n, (n * (end_days - lag)) // days)
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
        psi = (-m * n * lag) % (days * g)
        base = lag_years + psi / (days * n * m)
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


# --------------------------------------------------------------------------------------------------
# Rollover split (Notice 2014-54) and in-plan conversion (§402A(c)(4))
# --------------------------------------------------------------------------------------------------

DESTINATIONS = ("roth_ira", "traditional_ira", "cash")
ROW_HEADER = ("destination", "after_tax", "pre_tax", "taxable")


class RolloverSplit(Record):
    """How one distribution of the after-tax subaccount splits into after-tax (basis) and pre-tax dollars.

    Fields: ``amount`` distributed; ``after_tax`` and ``pre_tax`` in it (pro rata within the subaccount);
    ``destinations``: a tuple of (destination, after_tax, pre_tax, taxable) tuples for 'roth_ira',
    'traditional_ira' and 'cash' (or 'designated_roth_account' for an in-plan conversion); ``taxable``:
    the total included in income now; ``early_withdrawal_exposed``: the taxable cash that also owes the
    §72(t) 10% additional tax if under 59½ with no exception; ``mandatory_withholding``: 20% of that taxable
    cash, withheld by the plan (§3405(c), an eligible rollover distribution not directly rolled over);
    ``method``. ``rows()`` gives the table.
    """

    __slots__ = ("amount", "after_tax", "pre_tax", "destinations", "taxable", "early_withdrawal_exposed",
                 "mandatory_withholding", "method")

    def rows(self, header: bool = True) -> list[list[Any]]:
        """The table Excel spills: destination, after-tax, pre-tax, taxable (and a total row)."""
        table = [list(row) for row in self.destinations]
        table.append(["total", self.after_tax, self.pre_tax, self.taxable])
        return [list(ROW_HEADER), *table] if header else table


def _pro_rata(balance: Any, basis: Any, amount: Any) -> tuple[float, float, float]:
    balance = validate.money("balance", balance)
    basis = validate.money("basis", basis)
    amount = balance if amount is None else validate.money("amount", amount)
    if amount > balance:
        raise InputError("amount", amount, f"at most the subaccount balance of ${balance:,.2f}", kind="num")
    if balance == 0:
        return 0.0, 0.0, 0.0
    # §72(e)(8): each distribution carries basis in the ratio basis / balance; with a loss (basis above the
    # balance) all of it is basis, and the unrecovered basis is not deductible.
    after_tax = min(amount, cents(amount * min(1.0, basis / balance)))
    return amount, after_tax, max(0.0, cents(amount - after_tax))


def rollover_split(balance: float, basis: float, amount: float | None = None, roth_ira: float | None = None,
                   traditional_ira: float | None = None, cash: float | None = None) -> RolloverSplit:
    """Split a distribution of the after-tax subaccount among a Roth IRA, a traditional IRA and cash.

    Rule (IRS Notice 2014-54, distributions from 1 January 2015; §402(c)(2); §72(e)(8) with §72(d)(2)):

    * The distribution carries basis and earnings pro rata within the after-tax subaccount:
      ``after_tax = amount x basis / balance``, ``pre_tax = amount - after_tax``.
    * Disbursements made at the same time are one distribution. The pre-tax part goes first to the direct
      rollovers (Roth IRA + traditional IRA); when those are at least the pre-tax part the participant
      chooses the split, and this function puts pre-tax dollars in the traditional IRA first (no tax), then
      in the Roth IRA (taxed as a conversion). Pre-tax dollars that exceed the rollovers go to cash.
    * Taxable now: pre-tax dollars in the Roth IRA or in cash. Cash pre-tax dollars also owe the §72(t) 10%
      additional tax under age 59½ unless an exception applies (``early_withdrawal_exposed``).

    With no destinations given, the whole distribution is split the usual way: basis to the Roth IRA and
    earnings to the traditional IRA. Otherwise unspecified destinations are $0, except ``cash``, which takes
    whatever the IRAs do not; the destinations must add up to ``amount``.

    Parameters
    ----------
    balance : value of the after-tax subaccount (basis + earnings), dollars.
    basis : after-tax contributions in it not yet recovered, dollars.
    amount : the distribution, dollars (default: the whole balance).
    roth_ira, traditional_ira, cash : dollars sent to each destination.

    Examples
    --------
    $50,000 subaccount with $45,000 basis, all distributed:

    >>> s = rollover_split(50000, 45000)
    >>> s.rows()
    [['destination', 'after_tax', 'pre_tax', 'taxable'], ['roth_ira', 45000.0, 0.0, 0.0], \
['traditional_ira', 0.0, 5000.0, 0.0], ['cash', 0.0, 0.0, 0.0], ['total', 45000.0, 5000.0, 0.0]]
    >>> rollover_split(50000, 45000, roth_ira=50000).taxable     # earnings converted too
    5000.0
    >>> rollover_split(50000, 45000, 10000).pre_tax              # a partial distribution is pro rata
    1000.0
    """
    amount, after_tax, pre_tax = _pro_rata(balance, basis, amount)
    if roth_ira is None and traditional_ira is None and cash is None:
        roth, traditional, cash_out = after_tax, pre_tax, 0.0
    else:
        roth = 0.0 if roth_ira is None else validate.money("roth_ira", roth_ira)
        traditional = 0.0 if traditional_ira is None else validate.money("traditional_ira", traditional_ira)
        if cash is None:
            cash_out = cents(amount - roth - traditional)
            if cash_out < 0:
                named = ("roth_ira", roth_ira) if traditional_ira is None else ("traditional_ira", traditional_ira)
                raise InputError(*named, f"Roth IRA + traditional IRA of at most the distribution "
                                 f"(${amount:,.2f})", kind="num",
                                 hint=f"they add up to ${roth + traditional:,.2f}")
        else:
            cash_out = validate.money("cash", cash)
            if abs(roth + traditional + cash_out - amount) > 0.005:
                raise InputError("cash", cash, f"roth_ira + traditional_ira + cash = the distribution of "
                                 f"${amount:,.2f}", kind="num",
                                 hint=f"they add up to ${roth + traditional + cash_out:,.2f}")
    # Notice 2014-54: pre-tax first to the rollovers; within them, the traditional IRA first.
    pre_traditional = min(pre_tax, traditional)
    pre_roth = min(pre_tax - pre_traditional, roth)
    pre_cash = cents(pre_tax - pre_traditional - pre_roth)
    rows = (
        ("roth_ira", cents(roth - pre_roth), pre_roth, pre_roth),
        ("traditional_ira", cents(traditional - pre_traditional), pre_traditional, 0.0),
        ("cash", cents(cash_out - pre_cash), pre_cash, pre_cash),
    )
    return RolloverSplit(amount, after_tax, pre_tax, rows, cents(pre_roth + pre_cash), pre_cash,
                         cents(0.2 * pre_cash), "Notice 2014-54: pre-tax first to direct rollovers (traditional IRA "
                         "first)")


def in_plan_conversion(balance: float, basis: float, amount: float | None = None) -> RolloverSplit:
    """An in-plan Roth rollover (conversion) of the after-tax subaccount: the taxable part.

    Rule (§402A(c)(4); Notice 2010-84; Notice 2013-74): the amount moved to the designated Roth account is
    taxed "as if distributed": its pro-rata basis (``amount x basis / balance``) is tax-free and the rest
    is ordinary income now. No §72(t) tax on the conversion itself, no mandatory 20% withholding; each
    conversion has its own five-year recapture period (:func:`five_year_date`).

    >>> c = in_plan_conversion(50000, 45000)
    >>> c.taxable, c.rows(header=False)[0]
    (5000.0, ['designated_roth_account', 45000.0, 5000.0, 5000.0])
    >>> in_plan_conversion(50000, 45000, 20000).taxable
    2000.0
    """
    amount, after_tax, pre_tax = _pro_rata(balance, basis, amount)
    rows = (("designated_roth_account", after_tax, pre_tax, pre_tax),)
    return RolloverSplit(amount, after_tax, pre_tax, rows, pre_tax, 0.0, 0.0,
                         "§402A(c)(4): in-plan Roth rollover, pro rata within the after-tax subaccount")


# --------------------------------------------------------------------------------------------------
# Backdoor IRA pro-rata (§408(d)(2), Form 8606)
# --------------------------------------------------------------------------------------------------

class ProRata(Record):
    """Form 8606 Part I lines 5-14 and Part II lines 16-18 for a traditional-to-Roth IRA conversion.

    ``line5`` basis; ``line6`` value of all traditional/SEP/SIMPLE IRAs on 31 December; ``line7``
    distributions (not converted); ``line8`` net amount converted; ``line9`` = 6 + 7 + 8; ``line10``
    nontaxable fraction = min(1, 5 / 9); ``line11`` basis in the conversion = 8 x 10; ``line12`` basis in the
    distributions = 7 x 10; ``line13`` = 11 + 12; ``line14`` basis carried to next year = 5 - 13;
    ``line16`` amount converted; ``line17`` basis converted (= line 11); ``line18`` taxable = 16 - 17;
    ``pre_tax_share`` = 1 - line 10 (how much a pre-tax IRA spoils the backdoor).
    """

    __slots__ = ("line5", "line6", "line7", "line8", "line9", "line10", "line11", "line12", "line13",
                 "line14", "line16", "line17", "line18", "pre_tax_share")


def backdoor_pro_rata_breakdown(amount_converted: float, basis: float, year_end_balance: float,
                                distributions: float = 0.0, ratio_decimals: int | None = None) -> ProRata:
    """:func:`backdoor_pro_rata` with every Form 8606 line (see :class:`ProRata`).

    >>> b = backdoor_pro_rata_breakdown(7000, 7000, 93000)
    >>> b.line9, b.line10, b.line11, b.line18, b.line14
    (100000.0, 0.07, 490.0, 6510.0, 6510.0)
    """
    converted = validate.money("amount_converted", amount_converted)
    basis = validate.money("basis", basis)
    balance = validate.money("year_end_balance", year_end_balance)
    other = validate.money("distributions", distributions)
    total = balance + other + converted
    if ratio_decimals is not None:
        ratio_decimals = validate.whole("ratio_decimals", ratio_decimals, 3, 15, "decimal places (Form 8606 "
                                        "line 10 asks for at least 3)")
    if total == 0:
        ratio = 1.0 if basis > 0 else 0.0
    else:
        ratio = min(1.0, basis / total)
        if ratio_decimals is not None:
            from .rounding import excel_round

            ratio = excel_round(ratio, ratio_decimals)
    # Rounded to cents, but never more basis than the amount it is allocated to.
    line11 = min(converted, cents(converted * ratio))
    line12 = min(other, cents(other * ratio))
    line13 = cents(line11 + line12)
    return ProRata(basis, balance, other, converted, total, ratio, line11, line12, line13,
                   cents(max(0.0, basis - line13)), converted, line11, cents(converted - line11), 1.0 - ratio)


def backdoor_pro_rata(amount_converted: float, basis: float, year_end_balance: float,
                      distributions: float = 0.0, ratio_decimals: int | None = None) -> float:
    """Taxable part of a traditional-to-Roth IRA conversion under the pro-rata rule.

    Rule (§408(d)(2); §408(d)(1) with §72; Form 8606 lines 6-11 and 16-18): all traditional, SEP and SIMPLE
    IRAs are one contract, valued on 31 December of the conversion year, so the basis is spread over
    everything::

        line 9  = year_end_balance + distributions + amount_converted
        line 10 = min(1, basis / line 9)                (rounded to ``ratio_decimals`` if given; >= 3)
        taxable = amount_converted - amount_converted x line 10                           (line 18)

    A pre-tax IRA balance on 31 December spoils the regular backdoor Roth: with $93,000 of rollover money
    in a traditional IRA, 93% of a $7,000 backdoor conversion is taxable. Rolling the pre-tax IRA into a
    401(k) before 31 December removes it from line 6.

    Parameters
    ----------
    amount_converted : Form 8606 line 8 (net amount converted in the year), dollars.
    basis : total nondeductible basis, line 5 (prior basis + this year's nondeductible contributions,
        excluding contributions for this year made next year that you leave out of line 5), dollars.
    year_end_balance : line 6, all traditional/SEP/SIMPLE IRAs on 31 December after the conversion.
    distributions : line 7, other traditional IRA distributions in the year (not rolled over or converted).
    ratio_decimals : round line 10 to this many places (the form asks for at least 3); default unrounded.

    Examples
    --------
    >>> backdoor_pro_rata(7000, 7000, 0)          # clean backdoor: nothing taxable
    0.0
    >>> backdoor_pro_rata(7000, 7000, 93000)      # $93,000 pre-tax IRA: line 10 = 0.07
    6510.0
    >>> backdoor_pro_rata(7010, 7000, 0)          # $10 of interest before converting
    10.0
    """
    return backdoor_pro_rata_breakdown(amount_converted, basis, year_end_balance, distributions,
                                       ratio_decimals).line18


# --------------------------------------------------------------------------------------------------
# Five-year clocks and Roth IRA ordering (§408A(d)(2)(B), (d)(3)(F), (d)(4)(B); §402A(d)(2)(B))
# --------------------------------------------------------------------------------------------------

FIRST_ROTH_YEAR = 1998   # Roth IRAs exist from 1998 (Taxpayer Relief Act of 1997, §408A)


def to_date(name: str, value: Any) -> date:
    """A date from a ``date``, ``datetime``, ISO text (``'2026-03-15'``) or an Excel serial number.

    Serials follow Excel's 1900 date system (:func:`megabackdoor.validate.excel_serial_date`).

    >>> to_date("d", 46096), to_date("d", "2026-03-15"), to_date("d", 59)
    (datetime.date(2026, 3, 15), datetime.date(2026, 3, 15), datetime.date(1900, 2, 28))
    """
    return validate.to_date(name, value)


def _conversion_day(name: str, value: Any) -> date:
    day = to_date(name, value)
    if not FIRST_ROTH_YEAR <= day.year <= validate.LAST_YEAR:
        shown = day if hasattr(value, "isoformat") else value  # a datetime shows as its date
        raise InputError(name, shown, f"a date from {FIRST_ROTH_YEAR} (the first Roth year) to "
                         f"{validate.LAST_YEAR}", kind="num")
    return day


def five_year_date(conversion_date: Any) -> date:
    """The date a conversion's taxable part is free of the 10% recapture: 1 January of its year + 5.

    Rule (§408A(d)(3)(F); Treas. Reg. §1.408A-6 Q&A-5; §402A(c)(4)(D) for in-plan conversions): a
    distribution allocable to a conversion within the five-taxable-year period beginning 1 January of the
    conversion year owes the §72(t) 10% tax on the part that was taxable when converted, unless an
    exception applies (e.g. age 59½). Each conversion has its own period. Basis converted tax-free carries
    no recapture.

    Accepts a ``date``, ``datetime``, ISO text or an Excel serial number (see :func:`to_date`).

    >>> five_year_date("2026-03-15"), five_year_date(46387)   # 46387 = 31 Dec 2026
    (datetime.date(2031, 1, 1), datetime.date(2031, 1, 1))
    """
    from datetime import date

    return date(_conversion_day("conversion_date", conversion_date).year + 5, 1, 1)


def roth_ira_qualified_clock(first_roth_ira_tax_year: int) -> date:
    """Start of qualified Roth IRA distributions (earnings tax-free, with age 59½, death, disability or a
    first home): 1 January of the first tax year of *any* Roth IRA contribution or conversion + 5.

    Rule (§408A(d)(2)(B); Treas. Reg. §1.408A-6 Q&A-2): one clock for all of the owner's Roth IRAs, never
    restarted. A regular contribution made by the April deadline for the prior year counts from that year.

    >>> roth_ira_qualified_clock(2026)
    datetime.date(2031, 1, 1)
    """
    from datetime import date

    year = validate.whole("first_roth_ira_tax_year", first_roth_ira_tax_year, FIRST_ROTH_YEAR,
                          validate.LAST_YEAR, "a tax year")
    return date(year + 5, 1, 1)


class RothClocks(Record):
    """Five-year clocks after a designated Roth account (Roth 401(k)) rolls into a Roth IRA.

    ``designated_roth_clock`` (from the first Roth contribution to the plan), ``roth_ira_clock`` (the one
    that governs the money once in the Roth IRA), ``carries_over`` (False: time in the plan does not count)
    and the ``note``.
    """

    __slots__ = ("designated_roth_clock", "roth_ira_clock", "carries_over", "note")


def rollover_clocks(first_designated_roth_year: int, rollover_year: int,
                    first_roth_ira_year: int | None = None) -> RothClocks:
    """Which five-year clock applies when a designated Roth account is rolled to a Roth IRA.

    Rule (Treas. Reg. §1.402A-1 Q&A-4; §1.408A-10 Q&A-3, -4): the plan clock runs from 1 January of the
    first designated Roth contribution to that plan (later in-plan conversions do not restart it). Rolled
    into a Roth IRA, the money takes the Roth IRA's clock: the owner's earlier Roth IRA clock if there is
    one, otherwise one starting in the rollover year; the years in the plan do not carry over.

    >>> c = rollover_clocks(2018, 2026)
    >>> c.designated_roth_clock, c.roth_ira_clock
    (datetime.date(2023, 1, 1), datetime.date(2031, 1, 1))
    >>> rollover_clocks(2018, 2026, first_roth_ira_year=2012).roth_ira_clock
    datetime.date(2017, 1, 1)
    """
    from datetime import date

    plan_year = validate.whole("first_designated_roth_year", first_designated_roth_year, 2006,
                               validate.LAST_YEAR, "a tax year (designated Roth accounts exist from 2006)")
    moved = validate.whole("rollover_year", rollover_year, plan_year, validate.LAST_YEAR,
                           "a tax year on or after the first designated Roth contribution")
    if first_roth_ira_year is None:
        ira_year = moved
        note = "no earlier Roth IRA: the rollover starts the Roth IRA clock; plan years do not carry over"
    else:
        ira_year = validate.whole("first_roth_ira_year", first_roth_ira_year, FIRST_ROTH_YEAR,
                                  validate.LAST_YEAR, "a tax year")
        if ira_year > moved:
            ira_year = moved
            note = "the rollover is the first Roth IRA contribution: it starts the Roth IRA clock"
        else:
            note = "the existing Roth IRA clock applies; plan years do not carry over"
    return RothClocks(date(plan_year + 5, 1, 1), date(ira_year + 5, 1, 1), False, note)


ORDERING_HEADER = ("source", "year", "amount", "income_tax", "recapture_10pct")


def roth_ira_ordering(distribution: float, regular_contributions: float,
                      conversions: Iterable[tuple[int, float, float]], distribution_year: int,
                      age: float | None = None, qualified: bool = False) -> list[tuple[Any, ...]]:
    """Where a nonqualified Roth IRA distribution comes from, in the statutory order, and what it owes.

    Rule (§408A(d)(4)(B); Treas. Reg. §1.408A-6 Q&A-8; Pub. 590-B): first regular contributions (tax-free),
    then conversions and rollovers first-in-first-out by year, the taxable part of each before its
    nontaxable part (no income tax, but the taxable part owes the 10% recapture within its five-year period
    under age 59½, §408A(d)(3)(F)), then earnings (income tax + 10% unless qualified or an exception).

    ``conversions`` is an iterable of (year, taxable_part, nontaxable_part). Rows: (source, year, amount,
    income_tax_applies, recapture_10pct_applies).

    >>> roth_ira_ordering(30000, 10000, [(2024, 6000, 9000), (2026, 5000, 0)], 2027, age=45)
    [('regular contributions', None, 10000.0, False, False), ('conversion taxable part', 2024, 6000.0, False, \
True), ('conversion nontaxable part', 2024, 9000.0, False, False), ('conversion taxable part', 2026, 5000.0, \
False, True)]
    """
    remaining = validate.money("distribution", distribution)
    contributions = validate.money("regular_contributions", regular_contributions)
    year = validate.year("distribution_year", distribution_year)
    young = True if age is None else validate.number("age", age) < 59.5
    qualified = validate.flag("qualified", qualified)
    rows: list[tuple[Any, ...]] = []

    def take(source: str, when: int | None, available: float, tax: bool, recapture: bool) -> None:
        nonlocal remaining
        part = min(remaining, available)
        if part > 0:
            rows.append((source, when, cents(part), tax, recapture))
            remaining -= part

    take("regular contributions", None, contributions, False, False)
    cleaned = []
    for index, item in enumerate(conversions):
        try:
            when, taxable, nontaxable = item
        except (TypeError, ValueError):
            raise InputError(f"conversions[{index}]", item, "(year, taxable_part, nontaxable_part)") from None
        cleaned.append((validate.year(f"conversions[{index}] year", when),
                        validate.money(f"conversions[{index}] taxable_part", taxable),
                        validate.money(f"conversions[{index}] nontaxable_part", nontaxable)))
    for when, taxable, nontaxable in sorted(cleaned, key=lambda c: c[0]):
        within = year < when + 5
        take("conversion taxable part", when, taxable, False, within and young)
        take("conversion nontaxable part", when, nontaxable, False, False)
    if remaining > 0:
        rows.append(("earnings", None, cents(remaining), not qualified, not qualified and young))
    return rows
