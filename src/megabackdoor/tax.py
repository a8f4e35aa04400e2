"""Federal income tax from the rate schedules, and the tax on a Roth conversion.

Data: ``data/federal_brackets.json`` (2025: Rev. Proc. 2024-40; 2026: Rev. Proc. 2025-32 after OBBBA,
P.L. 119-21), read on first use. Years after 2026 are projected: each threshold is indexed from its own 2026
value with the §1(f)(3) chained CPI-U factor ``C-CPI-U(Y-1) / C-CPI-U(2025)`` (future index values grow at
the assumed ``inflation``; see :func:`megabackdoor.limits.chained_cpi_average`), the increase rounded down to
$25 (single, MFS) or $50 (MFJ, QSS, HoH), and marked 'projected'. Indexing each threshold from 2026 keeps
OBBBA's uneven 2026 step (an extra year for the 10% and 12% tops) instead of re-deriving it from 2025.

The tax is computed from the rate schedule (the Tax Computation Worksheet), not the $50-band Tax Table
used below $100,000 of taxable income, so small incomes can differ from the Table by a few dollars.
Educational, not individual tax advice.
"""

from __future__ import annotations

import os
from functools import lru_cache

from . import validate
from ._record import Record
from .cadences import DEFAULT_INFLATION, FILING_STATUSES, LAST_PUBLISHED_YEAR
from .cadences import FIRST_TAX_YEAR as FIRST_TABLE_YEAR
from .errors import InputError
from .rounding import cents

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DATA_PATH = os.path.join(os.path.dirname(__file__), "data", "federal_brackets.json")

_INF = float("inf")
_PROJECTED: dict[tuple[int, str, float], tuple[tuple[float, float, float, float], ...]] = {}
_DATA: dict[str, Any] = {}
# (year, status) -> tuple of (lower, upper, rate, tax on income up to lower): the published tables.
_TABLES: dict[tuple[int, str], tuple[tuple[float, float, float, float], ...]] = {}


def load() -> dict[str, Any]:
    """Read data/federal_brackets.json once and build the published tables."""
    if _DATA:
        return _DATA
    import json

    with open(DATA_PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    if data["last_published_year"] != LAST_PUBLISHED_YEAR:
        raise RuntimeError(f"{DATA_PATH} does not match LAST_PUBLISHED_YEAR")
    for year, entry in data["years"].items():
        for status, rows in entry["brackets"].items():
            _TABLES[(int(year), status)] = _table([upper for _, upper in rows], [rate for rate, _ in rows])
    _DATA.update(data)
    return _DATA


def _table(uppers: list[float | None], rates: list[float]) -> tuple[tuple[float, float, float, float], ...]:
    rows = []
    lower = 0.0
    below = 0.0
    for upper, rate in zip(uppers, rates, strict=True):
        top = float("inf") if upper is None else float(upper)
        rows.append((lower, top, rate, below))
        below += (top - lower) * rate if upper is not None else 0.0
        lower = top
    return tuple(rows)


@lru_cache(maxsize=1024)
def _projected_table(year: int, status: str, inflation: float) -> tuple[tuple[float, float, float, float], ...]:
    from .limits import chained_cpi_average
    from .rounding import excel_floor

    data = load()
    base_year = data["projection"]["base_year"]
    step = data["projection"]["step"][status]
    factor = chained_cpi_average(year - 1, inflation) / chained_cpi_average(int(data["projection"]["base_index_year"]))
    rows = data["years"][str(base_year)]["brackets"][status]
    uppers: list[float | None] = []
    for _, upper in rows:
        if upper is None:
            uppers.append(None)
            continue
        increase = upper * factor - upper
        # §1(f)(7): the increase is rounded down to the step; §1(f) adjusts only for increases.
        uppers.append(upper + (excel_floor(increase, step) if increase > 0 else 0.0))
    return _table(uppers, [rate for rate, _ in rows])


def _check_year(year: Any) -> int:
    if type(year) is int and FIRST_TABLE_YEAR <= year <= validate.LAST_YEAR:
        return year
    year = validate.year("year", year)
    if year < FIRST_TABLE_YEAR:
        raise InputError("year", year, f"{FIRST_TABLE_YEAR} or later (bracket tables: {FIRST_TABLE_YEAR}-"
                         f"{LAST_PUBLISHED_YEAR} published, later years projected)", kind="na")
    return year


def _check_status(status: Any) -> str:
    return validate.choice("filing_status", status, FILING_STATUSES)


def _inflation(inflation: Any) -> float:
    if inflation == DEFAULT_INFLATION:
        return DEFAULT_INFLATION
    return validate.rate("inflation", inflation, low=-0.5, high=0.5)


def brackets(year: int, filing_status: str, inflation: float = DEFAULT_INFLATION
             ) -> tuple[tuple[float, float, float, float], ...]:
    """The rate schedule: (lower, upper, rate, tax on income up to lower) rows; upper = inf for the top.

    >>> [(row[0], row[2]) for row in brackets(2026, "single")][:3]
    [(0.0, 0.1), (12400.0, 0.12), (50400.0, 0.22)]
    >>> brackets(2027, "single", 0.025)[1][:2]     # projected: 12,400 x 1.025 = 12,710 -> 12,700
    (12700.0, 51650.0)
    """
    return _schedule(_check_year(year), _check_status(filing_status), _inflation(inflation))


def _schedule(year: int, status: str, inflation: float) -> tuple[tuple[float, float, float, float], ...]:
    if not _TABLES:
        load()
    table = _TABLES.get((year, status))
    if table is None:
        key = (year, status, inflation)
        table = _PROJECTED.get(key)
        if table is None:
            table = _PROJECTED[key] = _projected_table(year, status, inflation)
    return table


def _tax(income: float, table: tuple[tuple[float, float, float, float], ...]) -> float:
    for lower, upper, rate, below in table:
        if income <= upper:
            return below + (income - lower) * rate if income > lower else below
    raise AssertionError("the top bracket has no upper bound")  # pragma: no cover


def federal_income_tax(taxable_income: float, year: int, filing_status: str,
                       inflation: float = DEFAULT_INFLATION) -> float:
    """Federal regular income tax on ordinary taxable income, from the rate schedule (§1(j)).

    Formula: tax = sum over brackets of rate x (income in the bracket), rounded to cents. Taxable income is
    after deductions. 2025 and 2026 published (Rev. Proc. 2024-40, Rev. Proc. 2025-32); later years
    projected (module docstring). Ignores capital-gain rates, credits, AMT.

    Parameters
    ----------
    taxable_income : dollars, >= 0.
    year : 2025 or later.
    filing_status : 'single', 'mfj', 'mfs', 'hoh' or 'qss' (uses the MFJ schedule).
    inflation : assumed annual growth of chained CPI-U for projected years, decimal.

    Examples
    --------
    >>> federal_income_tax(150000, 2026, "single")   # 1,240 + 4,560 + 12,166 + 10,632
    28598.0
    >>> federal_income_tax(100000, 2025, "mfj")      # 2,385 + 8,772 + 671
    11828.0
    """
    income = validate.money("taxable_income", taxable_income)
    table = _schedule(_check_year(year), _check_status(filing_status), _inflation(inflation))
    return cents(_tax(income, table))


class ConversionTax(Record):
    """Tax on a Roth conversion.

    ``taxable_amount`` (amount - basis, never below 0); ``federal_tax``; ``state_tax``; ``niit_delta`` (extra
    net investment income tax because the conversion raises MAGI; 0 unless asked); ``total_tax``;
    ``brackets``: tuple of dicts {rate, lower, upper, taxed} for each bracket the conversion lands in
    (upper None = no top; lower/upper None in flat mode); ``marginal_rate`` (rate on the last dollar);
    ``effective_rate`` (federal tax / taxable amount); ``status``: 'flat', 'published' or 'projected';
    ``loss_not_deductible`` (True when the amount is below the basis: the shortfall is not deductible);
    ``note``.
    """

    __slots__ = ("taxable_amount", "federal_tax", "state_tax", "niit_delta", "total_tax", "brackets",
                 "marginal_rate", "effective_rate", "status", "loss_not_deductible", "note")



_RATE_OR_STATUS = ("a marginal rate from 0 to below 1 (0.24 for 24%) or a filing status 'single', 'mfj', "
                   "'mfs', 'hoh', 'qss'")


def niit_delta(conversion_taxable: float, magi: float, net_investment_income: float, filing_status: str) -> float:
    """Extra §1411 net investment income tax caused by a conversion that raises MAGI.

    The conversion itself is not investment income (§1411(c)(5)) but adds to MAGI, exposing other
    investment income: ΔNIIT = 3.8% x [min(NII, max(0, MAGI + x - T)) - min(NII, max(0, MAGI - T))], with T =
    $200,000 single/HoH, $250,000 MFJ/QSS, $125,000 MFS (not indexed, §1411(b)).

    >>> niit_delta(50000, 180000, 20000, "single")    # 3.8% x min(20,000, 30,000)
    760.0
    """
    x = validate.money("conversion_taxable", conversion_taxable)
    magi = validate.money("magi", magi)
    nii = validate.money("net_investment_income", net_investment_income)
    status = _check_status(filing_status)
    return cents(_niit(x, magi, nii, status))


def _niit(x: float, magi: float, nii: float, status: str) -> float:
    niit = load()["niit"]
    threshold = niit["magi_threshold"][status]
    before = min(nii, max(0.0, magi - threshold))
    after = min(nii, max(0.0, magi + x - threshold))
    return niit["rate"] * (after - before)


def conversion_tax(amount: float, basis: float, rate_or_status: float | str, taxable_income: float | None = None,
                   year: int | None = None, state_rate: float = 0.0, inflation: float = DEFAULT_INFLATION,
                   magi: float | None = None, net_investment_income: float = 0.0) -> ConversionTax:
    """Tax on converting after-tax (or traditional IRA) money to Roth.

    Formula::

        taxable = max(0, amount - basis)                      (§402A(c)(4), §408A(d)(3)(A))
        flat mode:     federal = taxable x rate
        bracket mode:  federal = T(taxable_income + taxable) - T(taxable_income)    (T: rate schedule, §1(j),
                                                                                each T to the cent)
        state   = taxable x state_rate
        total   = federal + state + ΔNIIT (bracket mode, when magi and net_investment_income are given)

    A conversion worth less than its basis has no taxable part, and the shortfall is not a deductible
    loss (``loss_not_deductible``). Conversion income is ordinary income; this ignores its knock-on effects
    on capital-gain rates, the senior deduction phase-out, credits and AMT.

    Parameters
    ----------
    amount : amount converted, dollars.
    basis : after-tax basis in it, dollars.
    rate_or_status : a marginal rate as a decimal below 1 (flat mode), or a filing status 'single', 'mfj',
        'mfs', 'hoh', 'qss' (bracket mode).
    taxable_income : bracket mode: taxable income before the conversion, after deductions.
    year : bracket mode: 2025 or later (after 2026 projected).
    state_rate : flat state rate on the taxable amount, decimal below 1.
    inflation : chained CPI-U growth for projected years, decimal.
    magi : bracket mode, for NIIT: modified AGI before the conversion.
    net_investment_income : bracket mode, for NIIT: the year's other net investment income.

    Examples
    --------
    Single, 2026, $150,000 of taxable income, converting $1,000 of earnings (all in the 24% bracket):

    >>> t = conversion_tax(26000, 25000, "single", 150000, 2026)
    >>> t.federal_tax, t.brackets[0]["rate"], t.status
    (240.0, 0.24, 'published')
    >>> conversion_tax(26000, 25000, 0.24, state_rate=0.05).total_tax
    290.0
    >>> conversion_tax(24000, 25000, 0.24).loss_not_deductible
    True
    """
    amount = validate.money("amount", amount)
    basis = validate.money("basis", basis)
    taxable = amount - basis if amount > basis else 0.0
    loss = amount < basis
    state = 0.0 if state_rate == 0 else validate.fraction("state_rate", state_rate, upper=1.0, inclusive=False)
    if magi is not None:
        validate.money("magi", magi)  # checked even where it does not change the answer: never silently ignored
    kind = type(rate_or_status)
    if kind is not float and kind is not int and not isinstance(rate_or_status, (str, bool)) \
            and rate_or_status is not None:
        rate_or_status = validate.number("rate_or_status", rate_or_status)  # numpy scalars, Decimal
        kind = float
    if kind is float or kind is int:
        if not 0 <= rate_or_status < 1:
            hint = None
            if 1 <= rate_or_status <= 100:
                hint = validate.percent_hint(rate_or_status)
            raise InputError("rate_or_status", rate_or_status, _RATE_OR_STATUS, kind="num", hint=hint)
        if net_investment_income:
            raise InputError("net_investment_income", net_investment_income,
                             "0 in flat-rate mode (pass a filing status to compute NIIT)", kind="value")
        rate = float(rate_or_status)
        federal = cents(taxable * rate)
        touched = ({"rate": rate, "lower": None, "upper": None, "taxed": taxable},)
        status, marginal, niit = "flat", rate, 0.0
    elif isinstance(rate_or_status, str):
        key = rate_or_status.strip().lower()
        if key not in FILING_STATUSES:
            raise InputError("rate_or_status", rate_or_status, _RATE_OR_STATUS, kind="value")
        if taxable_income is None:
            raise InputError("taxable_income", None, "taxable income before the conversion (after deductions) "
                             "when rate_or_status is a filing status")
        if year is None:
            raise InputError("year", None, f"a tax year, {FIRST_TABLE_YEAR} or later, when rate_or_status is a "
                             "filing status")
        income = validate.money("taxable_income", taxable_income)
        year = _check_year(year)
        table = _schedule(year, key, _inflation(inflation))
        # Each T to the cent first (as federal_income_tax): the difference of two large amounts would carry
        # float noise into a ROUND near a half cent, which spreadsheets and Python can see differently.
        federal = cents(cents(_tax(income + taxable, table)) - cents(_tax(income, table)))
        top = income + taxable
        touched_list = []
        marginal = 0.0
        for lower, upper, rate, _ in table:
            if upper <= income:
                continue
            # the part of (income, top] inside (lower, upper]; with nothing taxable, the next dollar's bracket
            taxed = (top if top < upper else upper) - (income if income > lower else lower) if taxable else 0.0
            touched_list.append({"rate": rate, "lower": lower, "upper": None if upper == _INF else upper,
                                 "taxed": taxed})
            marginal = rate
            if upper >= top:
                break
        touched = tuple(touched_list)
        status = "published" if (year, key) in _TABLES else "projected"
        niit = 0.0
        if net_investment_income:
            nii = validate.money("net_investment_income", net_investment_income)
            if magi is None:
                raise InputError("magi", None, "modified AGI before the conversion when net_investment_income "
                                 "is given (NIIT depends on MAGI, not taxable income)")
            niit = cents(_niit(taxable, validate.money("magi", magi), nii, key))
    else:
        raise InputError("rate_or_status", rate_or_status, _RATE_OR_STATUS, kind="value")
    state_tax = cents(taxable * state) if state else 0.0
    note = "a conversion worth less than its basis is not a deductible loss" if loss else ""
    total = federal if not (state_tax or niit) else cents(federal + state_tax + niit)
    return ConversionTax(taxable, federal, state_tax, niit, total, touched,
                                marginal, federal / taxable if taxable else 0.0, status, loss, note)


def conversion_tax_batch(count: int, amount: Any, basis: Any, rate_or_status: Any, taxable_income: Any = None,
                         year: Any = None, state_rate: Any = 0.0) -> list[float | None]:
    """:func:`conversion_tax`'s ``total_tax`` over ``count`` rows at once (a worksheet column).

    Each argument is a list (one value per row) or one value for every row. Returns one total per row, or
    ``None`` for a row left to :func:`conversion_tax` (anything but plain numbers and filing-status words,
    and every row it would refuse), so those get its exact message. Same rule and float arithmetic, with each
    (year, status) schedule looked up once; tests compare the two row by row.

    >>> conversion_tax_batch(3, [26000, 24000, 26000], 25000, [0.24, 0.24, 24], state_rate=0.05)
    [290.0, 0.0, None]
    >>> conversion_tax_batch(2, 26000, 25000, "single", [150000, 10000], 2026)     # 24% and 10% brackets
    [240.0, 100.0]
    """
    from bisect import bisect_left

    ceiling = validate.MONEY_CEILINGS[validate.BALANCE][0]
    bad: set[int] = set()
    # validate.money's accepted values; the state rate a fraction below 1 (checked per row below).
    amounts = validate.checked_column(amount, count, ceiling, False, bad)
    bases = validate.checked_column(basis, count, ceiling, False, bad)
    states = validate.checked_column(state_rate, count, 1.0, False, bad)
    modes = rate_or_status if type(rate_or_status) is list else [rate_or_status] * count
    incomes = taxable_income if type(taxable_income) is list else [taxable_income] * count
    years = year if type(year) is list else [year] * count
    if type(state_rate) is not list and type(year) is not list and (
            type(rate_or_status) is str or type(rate_or_status) is float or type(rate_or_status) is int):
        # The usual column: one mode, year and state rate for every row.
        fast = _batch_one_mode(count, amounts, bases, rate_or_status, incomes, year, states[0] if count else 0.0,
                               ceiling, bad)
        if fast is not None:
            return fast
    schedules: dict[tuple[Any, Any], Any] = {}
    result: list[float | None] = []
    append = result.append
    for index in range(count):
        a, b, mode, s = amounts[index], bases[index], modes[index], states[index]
        if (bad and index in bad) or s == 1:
            append(None)
            continue
        a, b = float(a), float(b)
        taxable = a - b if a > b else 0.0
        if type(mode) is float or type(mode) is int:
            if not 0 <= mode < 1:
                append(None)
                continue
            # cents(taxable x rate), inlined: ROUND to the cent unless on a half cent.
            scaled = taxable * float(mode) * 100.0
            federal = (round(scaled) / 100.0 + 0.0 if abs(abs(scaled) % 1.0 - 0.5) > 1e-6
                       else cents(taxable * float(mode)))
        elif type(mode) is str:
            key = (mode, years[index])
            table = schedules.get(key, False)
            if table is False:
                table = schedules[key] = _batch_schedule(*key)
            income = incomes[index]
            if table is None or not ((type(income) is float or type(income) is int) and 0 <= income <= ceiling):
                append(None)
                continue
            income = float(income)
            # _tax on each income, its bracket found by bisection on the uppers (the first upper >= income,
            # as _tax's scan finds it), and cents inlined away from half cents: the same arithmetic.
            rows_, uppers = table
            top = income + taxable
            lower, _, rate, below = rows_[bisect_left(uppers, top)]
            tax_top = below + (top - lower) * rate if top > lower else below
            lower, _, rate, below = rows_[bisect_left(uppers, income)]
            tax_income = below + (income - lower) * rate if income > lower else below
            scaled, scaled_income = tax_top * 100.0, tax_income * 100.0
            if abs(abs(scaled) % 1.0 - 0.5) > 1e-6 and abs(abs(scaled_income) % 1.0 - 0.5) > 1e-6:
                difference = (round(scaled) / 100.0 + 0.0) - (round(scaled_income) / 100.0 + 0.0)
            else:
                difference = cents(tax_top) - cents(tax_income)
            scaled = difference * 100.0
            federal = round(scaled) / 100.0 + 0.0 if abs(abs(scaled) % 1.0 - 0.5) > 1e-6 else cents(difference)
        else:
            append(None)
            continue
        if s == 0:
            append(federal)
            continue
        scaled = taxable * s * 100.0
        state_tax = round(scaled) / 100.0 + 0.0 if abs(abs(scaled) % 1.0 - 0.5) > 1e-6 else cents(taxable * s)
        append(federal if not state_tax else cents(federal + state_tax))
    return result


# cents() inlined for the batch loop, for 0 <= v: with scaled = v * 100 and rounded = (scaled + 0.5) // 1.0
# (exactly floor(scaled + 0.5) below 2**52: the sum is exact unless it crosses a power of two, an integer it
# cannot round below), rounded is round(scaled) unless scaled sits on a half. The loop takes rounded / 100 as
# ROUND(v, 2) only far from a half cent and for moderate amounts: |scaled - rounded| < _HALF_CENT_GUARD (at
# least 3e-4 cent from a half cent) and scaled < _CENTS_LIMIT (under $100 million), where a spreadsheet's
# 15-digit view (1e-4 cent there) cannot move a value across the half cent, so cents() (which also decides by
# plain rounding away from a half cent) gives the same. And then sums and differences of such cents values are
# whole cents exactly: cents(r1 / 100 +- r2 / 100) is (r1 +- r2) / 100. So a row is its integer cents added up
# and divided once; any other row takes the scalar's own arithmetic (_batch_exact_row). The margins are
# deliberately wide: a row near the edge costs a few microseconds, never a different cent.
# tests/test_registry_batch.py checks the rule against cents at and around half cents and at large amounts.
_HALF_CENT_GUARD = 0.4997
_CENTS_LIMIT = 1e10


def _batch_exact_row(taxable: float, income: float | None, table: Any, rate: float, state: float) -> float:
    """One row of conversion_tax's total with cents() itself (bracket mode with ``table``, else flat)."""
    if table is not None:
        federal = cents(cents(_tax(income + taxable, table)) - cents(_tax(income, table)))
    else:
        federal = cents(taxable * rate)
    state_tax = cents(taxable * state) if state else 0.0
    return federal if not state_tax else cents(federal + state_tax)


def _batch_one_mode(count: int, amounts: list, bases: list, mode: Any, incomes: list, year: Any, state: Any,
                    ceiling: float, bad: set[int]) -> list[float | None] | None:
    """:func:`conversion_tax_batch` for one rate or filing status, one year and one state rate for every row:
    the schedule and the state rate checked once, the columns converted to floats at C speed and each row's
    arithmetic (``_tax`` at both ends, ``cents`` inlined: see _HALF_CENT_GUARD) in one tight loop. None where
    the generic loop must decide (a mode or state rate it would refuse)."""
    from bisect import bisect_left

    if not ((type(state) is float or type(state) is int) and 0 <= state < 1):
        return None
    guard, limit = _HALF_CENT_GUARD, _CENTS_LIMIT
    if bad:
        amounts = [0.0 if index in bad else value for index, value in enumerate(amounts)]
        bases = [0.0 if index in bad else value for index, value in enumerate(bases)]
    amounts = list(map(float, amounts))
    bases = list(map(float, bases))
    result: list[float | None] = []
    append = result.append
    state = float(state)
    if type(mode) is str:
        schedule = _batch_schedule(mode, year)
        if schedule is None:
            return None
        table, uppers = schedule
        skipped = set(bad)
        incomes = validate.checked_column(incomes, count, ceiling, False, skipped)
        if skipped:
            incomes = [0.0 if index in skipped else value for index, value in enumerate(incomes)]
        for a, b, income in zip(amounts, bases, map(float, incomes), strict=True):
            taxable = a - b if a > b else 0.0
            # _tax at both ends (the bracket by bisection on the uppers: the first upper >= income, as _tax's
            # scan finds it); federal = cents(cents(T(top)) - cents(T(income))), total with the state's cents.
            top = income + taxable
            lower, _, rate, below = table[bisect_left(uppers, top)]
            scaled_top = (below + (top - lower) * rate if top > lower else below) * 100.0
            lower, _, rate, below = table[bisect_left(uppers, income)]
            scaled_income = (below + (income - lower) * rate if income > lower else below) * 100.0
            scaled_state = taxable * state * 100.0
            top_cents = (scaled_top + 0.5) // 1.0
            income_cents = (scaled_income + 0.5) // 1.0
            state_cents = (scaled_state + 0.5) // 1.0
            if (scaled_top < limit and scaled_state < limit and -guard < scaled_top - top_cents < guard
                    and -guard < scaled_income - income_cents < guard and -guard < scaled_state - state_cents < guard):
                append((top_cents - income_cents + state_cents) / 100.0)
            else:
                append(_batch_exact_row(taxable, income, table, 0.0, state))
        bad = skipped
    else:
        if not 0 <= mode < 1:
            return None
        rate = float(mode)
        for a, b in zip(amounts, bases, strict=True):
            taxable = a - b if a > b else 0.0
            scaled_federal = taxable * rate * 100.0
            scaled_state = taxable * state * 100.0
            federal_cents = (scaled_federal + 0.5) // 1.0
            state_cents = (scaled_state + 0.5) // 1.0
            if (scaled_federal < limit and scaled_state < limit and -guard < scaled_federal - federal_cents < guard
                    and -guard < scaled_state - state_cents < guard):
                append((federal_cents + state_cents) / 100.0)
            else:
                append(_batch_exact_row(taxable, None, None, rate, state))
    for index in bad:
        result[index] = None
    return result


def _batch_schedule(status: str, year: Any) -> Any:
    """The rate schedule for a batch row's filing status and year; None where conversion_tax refuses them."""
    key = status.strip().lower()
    if key not in FILING_STATUSES or not (type(year) is int or type(year) is float):
        return None
    try:
        year = _check_year(year)
    except InputError:
        return None
    table = _schedule(year, key, DEFAULT_INFLATION)
    return table, [upper for _, upper, _, _ in table]
