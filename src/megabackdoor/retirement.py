"""Retirement: what the buckets become. Balances by tax character, the income mix year by year, RMDs and
bracket-filling Roth conversions.

Data: ``data/retirement.json`` (the Uniform Lifetime Table, Treas. Reg. §1.401(a)(9)-9(c) as in effect from
2022; the RMD start ages of §401(a)(9)(C) as amended by SECURE 2.0 §107; the 0/15/20% long-term capital gain
thresholds of Rev. Proc. 2024-40 and 2025-32) and ``data/federal_brackets.json`` (rate schedules and the
basic standard deduction). Years after 2026 are projected by the §1(f)(3) chained CPI-U rule that
:mod:`megabackdoor.tax` uses for the brackets (standard deduction: increase rounded down to $50, §63(c)(4);
capital-gain thresholds: to the bracket step of the filing status) and marked ``projected``.

The buckets, at the start of the first retirement year (see :func:`start_balances`):

* pre-tax (traditional 401(k)/IRA): existing balance, plus each schedule year's pre-tax deferral and employer
  money (grown from its paydays like the schedule's after-tax money);
* Roth (Roth 401(k), Roth IRA): existing balance, Roth deferrals, and the schedule's mega-backdoor balance;
* after-tax 401(k) money never converted, with its basis (existing only);
* taxable brokerage with its cost basis. *Without* the mega-backdoor the after-tax dollars go here instead:
  the schedule's taxable-account alternative, plus the conversion tax that was not paid, all as basis.

Each retirement year (balances at 1 January; withdrawals and conversions on 1 January; the rest grows at the
expected return, the taxable account at the return less the tax drag):

1. spending (first-year dollars grown by inflation) + last year's federal tax - other income = the need;
2. the RMD (age at or past the start age for the birth year): prior 31 December pre-tax balance / the Uniform
   Lifetime Table divisor for the age, to the cent. No RMDs from Roth money (§402A(d)(5) after 2023 by SECURE
   2.0 §325, §408A(c)(5)). An RMD beyond the need is reinvested in the taxable account;
3. the rest of the need, in the withdrawal order: ``taxable_first`` = taxable account, pre-tax up to the top
   of ``pretax_bracket`` (gross income = bracket top + standard deduction), after-tax 401(k) money, Roth, the
   rest of pre-tax; ``pretax_first`` = pre-tax, taxable, after-tax, Roth. What is still missing is the
   shortfall (the money ran out);
4. before the RMD age, optionally convert pre-tax money to Roth up to the top of ``conversion_bracket``;
5. tax: after-tax withdrawals recover basis pro rata (§72(e)(8)); taxable-account sales realise gain on the
   average basis. Ordinary income = taxable share of other income + pre-tax withdrawals + after-tax earnings
   + conversions; less the standard deduction; the rate schedule on that; long-term gains stacked on top at
   0/15/20% (§1(h)); the sum to the cent, paid the next year.

Wealth after tax at the end = pre-tax x (1 - end_tax_rate) + Roth + after-tax - its earnings x end_tax_rate
+ taxable - its gain x end_gains_rate - the last year's unpaid tax.

Not modelled (stated simplifications): Social Security taxation is a fixed taxable share (85% by default,
the §86 maximum), not the provisional-income test; no state tax, IRMAA, NIIT, the additional 65+ or senior
deduction, the first RMD's April deferral, or the five-year/59½ rules.

>>> rmd(100000, 75, 1950)          # $100,000 / 24.6
4065.04
>>> rmd(100000, 74, 1960)          # born 1960: RMDs start at 75
0.0
"""

from __future__ import annotations

import os

from . import validate
from ._record import Record
from .cadences import DEFAULT_INFLATION, FILING_STATUSES, FIRST_TAX_YEAR, LAST_PUBLISHED_YEAR
from .errors import InputError
from .rounding import excel_round

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import pandas

    from .scenario import Scenario

DATA_PATH = os.path.join(os.path.dirname(__file__), "data", "retirement.json")
WITHDRAWAL_ORDERS = ("taxable_first", "pretax_first")
BRACKET_LABELS = ("10%", "12%", "22%", "24%", "32%", "35%", "37%")
CONVERSION_BRACKETS = ("none", "10%", "12%", "22%", "24%", "32%", "35%")
# Stands for "no limit" (the 37% bracket has no top); the workbook writes the same number.
NO_LIMIT = 1e12

_DATA: dict[str, Any] = {}
_DIVISORS: dict[int, float] = {}
_START_AGES: list[tuple[int, int, int]] = []


def load() -> dict[str, Any]:
    """Read data/retirement.json once."""
    if _DATA:
        return _DATA
    import json

    with open(DATA_PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    _DIVISORS.update({int(age): float(value) for age, value in data["uniform_lifetime_table"]["divisors"].items()})
    _START_AGES.extend((row["born_from"], row["born_to"], row["age"]) for row in data["rmd_start_age"]["rows"])
    _DATA.update(data)
    return _DATA


def rmd_start_age(birth_year: int) -> int:
    """The age of the first required minimum distribution (§401(a)(9)(C), SECURE 2.0 §107).

    >>> rmd_start_age(1955), rmd_start_age(1959), rmd_start_age(1960)
    (73, 73, 75)
    """
    born = validate.whole("birth_year", birth_year, 1900, 2100, "a birth year")
    if not _START_AGES:
        load()
    for first, last, age in _START_AGES:
        if first <= born <= last:
            return age
    raise AssertionError("the start-age rows cover 1900-2100")  # pragma: no cover


def distribution_period(age: int) -> float:
    """The Uniform Lifetime Table divisor for the age attained in the year (Treas. Reg. §1.401(a)(9)-9(c));
    120 and over: 2.0.

    >>> distribution_period(73), distribution_period(100), distribution_period(125)
    (26.5, 6.4, 2.0)
    """
    age = validate.whole("age", age, 72, 150, "an age in the Uniform Lifetime Table (72 and over)")
    if not _DIVISORS:
        load()
    return _DIVISORS[min(age, 120)]


def rmd(balance: float, age: int, birth_year: int) -> float:
    """Required minimum distribution for a year: the prior 31 December balance / the Uniform Lifetime Table
    divisor for the age attained that year, to the cent; 0 before the start age for the birth year.

    Treas. Reg. §1.401(a)(9)-5(b)-(c), §1.401(a)(9)-9(c); IRC §401(a)(9)(C) as amended by SECURE 2.0 §107.
    Roth 401(k) and Roth IRA money has none (SECURE 2.0 §325, §408A(c)(5)).

    Parameters
    ----------
    balance : the pre-tax account balance on 31 December of the prior year, dollars.
    age : age attained by 31 December of the distribution year.
    birth_year : decides the start age (73, or 75 when born in 1960 or later).

    Examples
    --------
    >>> rmd(500000, 73, 1952)     # 500,000 / 26.5
    18867.92
    >>> rmd(250000, 80, 1945)     # 250,000 / 20.2
    12376.24
    """
    amount = validate.money("balance", balance)
    age = validate.whole("age", age, 0, 150, "an age")
    start = rmd_start_age(birth_year)
    if age < start:
        return 0.0
    return excel_round(amount / distribution_period(age), 2)


def _factor(year: int, inflation: float) -> float:
    from .limits import chained_cpi_average
    from .tax import load as load_tax

    base = int(load_tax()["projection"]["base_index_year"])
    return chained_cpi_average(year - 1, inflation) / chained_cpi_average(base)


def _indexed(amount: float, factor: float, step: float) -> float:
    from .rounding import excel_floor

    increase = amount * factor - amount
    return amount + (excel_floor(increase, step) if increase > 0 else 0.0)


def _check_year(year: Any) -> int:
    year = validate.year("year", year)
    if year < FIRST_TAX_YEAR:
        raise InputError("year", year, f"{FIRST_TAX_YEAR} or later (tax tables: {FIRST_TAX_YEAR}-"
                         f"{LAST_PUBLISHED_YEAR} published, later years projected)", kind="na")
    return year


def standard_deduction(year: int, filing_status: str, inflation: float = DEFAULT_INFLATION) -> float:
    """Basic standard deduction (§63(c)): published 2025-2026, later years indexed from 2026 by §1(f)(3),
    the increase rounded down to $50 (§63(c)(4)).

    >>> standard_deduction(2026, "single"), standard_deduction(2027, "mfj", 0.025)
    (16100.0, 33000.0)
    """
    from .tax import load as load_tax

    year, status = _check_year(year), validate.choice("filing_status", filing_status, FILING_STATUSES)
    years = load_tax()["years"]
    if str(year) in years:
        return float(years[str(year)]["standard_deduction"][status])
    return _indexed(float(years[str(LAST_PUBLISHED_YEAR)]["standard_deduction"][status]), _factor(year, inflation),
                    load()["standard_deduction"]["step"])


def capital_gain_thresholds(year: int, filing_status: str, inflation: float = DEFAULT_INFLATION) -> tuple[float, float]:
    """(top of the 0% band, top of the 15% band) of taxable income for long-term gains (§1(h), §1(j)(5)):
    Rev. Proc. 2024-40 (2025), Rev. Proc. 2025-32 (2026); later years projected like the brackets.

    >>> capital_gain_thresholds(2026, "single")
    (49450.0, 545500.0)
    >>> capital_gain_thresholds(2025, "mfj")
    (96700.0, 600050.0)
    """
    from .tax import load as load_tax

    year, status = _check_year(year), validate.choice("filing_status", filing_status, FILING_STATUSES)
    gains = load()["capital_gains"]["years"]
    if str(year) in gains:
        entry = gains[str(year)]
        return float(entry["zero_top"][status]), float(entry["fifteen_top"][status])
    factor = _factor(year, inflation)
    step = load_tax()["projection"]["step"][status]
    entry = gains[str(LAST_PUBLISHED_YEAR)]
    return (_indexed(float(entry["zero_top"][status]), factor, step),
            _indexed(float(entry["fifteen_top"][status]), factor, step))


def bracket_top(year: int, filing_status: str, bracket: str, inflation: float = DEFAULT_INFLATION) -> float:
    """Top of a federal bracket ('10%' ... '35%') in taxable income for the year; '37%' (no top): NO_LIMIT.

    >>> bracket_top(2026, "single", "22%"), bracket_top(2026, "mfj", "12%")
    (105700.0, 100800.0)
    """
    from .tax import brackets

    label = validate.choice("bracket", bracket, BRACKET_LABELS)
    upper = brackets(_check_year(year), filing_status, inflation)[BRACKET_LABELS.index(label)][1]
    return NO_LIMIT if upper == float("inf") else upper


class YearTax(Record):
    """Federal tax of a retirement year: ``ordinary_taxable``, ``gains_taxable``, ``ordinary_tax``,
    ``gains_tax``, ``federal_tax`` (their sum to the cent), ``status`` ('published' or 'projected')."""

    __slots__ = ("ordinary_taxable", "gains_taxable", "ordinary_tax", "gains_tax", "federal_tax", "status")


def year_tax(ordinary_income: float, long_term_gains: float, year: int, filing_status: str,
             inflation: float = DEFAULT_INFLATION) -> YearTax:
    """Federal tax on a year's ordinary income and long-term gains.

    Formula: deduction = the basic standard deduction; L = max(0, ordinary - deduction) taxed by the rate
    schedule (§1(j)); the unused deduction reduces the gains: G = max(0, gains - max(0, deduction -
    ordinary)); the gains fill taxable income from L to H = L + G: 15% on the part between the 0% top z0 and
    the 15% top z15, 20% above z15 (§1(h)(1)); total rounded to the cent.

    >>> t = year_tax(60000, 20000, 2026, "single")    # 5,020 + 15% x (63,900 - 49,450)
    >>> t.ordinary_taxable, t.gains_tax, t.federal_tax
    (43900.0, 2167.5, 7187.5)
    """
    from .tax import _schedule, _tax

    ordinary = validate.money("ordinary_income", ordinary_income)
    gains = validate.money("long_term_gains", long_term_gains)
    year, status = _check_year(year), validate.choice("filing_status", filing_status, FILING_STATUSES)
    inflation = validate.rate("inflation", inflation, low=-0.5, high=0.5)
    deduction = standard_deduction(year, status, inflation)
    zero_top, fifteen_top = capital_gain_thresholds(year, status, inflation)
    return _year_tax(ordinary, gains, deduction, zero_top, fifteen_top, _schedule(year, status, inflation),
                     "published" if year <= LAST_PUBLISHED_YEAR else "projected", _tax)


def _year_tax(ordinary: float, gains: float, deduction: float, zero_top: float, fifteen_top: float,
              table: Any, status: str, tax_of: Any) -> YearTax:
    low = max(0.0, ordinary - deduction)
    taxed_gains = max(0.0, gains - max(0.0, deduction - ordinary))
    high = low + taxed_gains
    ordinary_tax = tax_of(low, table)
    gains_tax = (0.15 * max(0.0, min(high, fifteen_top) - max(low, zero_top))
                 + 0.2 * max(0.0, high - max(low, fifteen_top)))
    return YearTax(low, taxed_gains, ordinary_tax, gains_tax, excel_round(ordinary_tax + gains_tax, 2), status)


# (key, header, format) of a retirement year, in the Retirement sheet's column order.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("year", "Year", "int"),
    ("age", "Age (31 Dec)", "int"),
    ("tables_status", "Tax tables", "text"),
    ("pretax_start", "Pre-tax on 1 January", "money"),
    ("roth_start", "Roth on 1 January", "money"),
    ("after_tax_start", "After-tax 401(k) on 1 January", "money"),
    ("after_tax_basis_start", "After-tax basis on 1 January", "money"),
    ("taxable_start", "Taxable account on 1 January", "money"),
    ("taxable_basis_start", "Taxable cost basis on 1 January", "money"),
    ("spending", "Spending", "money"),
    ("other_income", "Social Security / other income", "money"),
    ("tax_prior", "Last year's federal tax, paid now", "money"),
    ("need", "Needed from the accounts", "money"),
    ("rmd", "Required minimum distribution", "money"),
    ("pretax_first", "Pre-tax withdrawal (pretax_first)", "money"),
    ("taxable_withdrawal", "Taxable account withdrawal", "money"),
    ("pretax_room", "Room to the top of the pre-tax bracket", "money"),
    ("pretax_in_bracket", "Pre-tax withdrawal up to the bracket", "money"),
    ("after_tax_withdrawal", "After-tax 401(k) withdrawal", "money"),
    ("roth_withdrawal", "Roth withdrawal", "money"),
    ("pretax_rest", "Pre-tax withdrawal beyond the bracket", "money"),
    ("shortfall", "Shortfall (money ran out)", "money"),
    ("rmd_reinvested", "RMD beyond the need, reinvested", "money"),
    ("after_tax_basis_part", "After-tax basis recovered (tax-free)", "money"),
    ("after_tax_earnings_part", "After-tax earnings (ordinary income)", "money"),
    ("taxable_basis_part", "Taxable account basis returned", "money"),
    ("capital_gain", "Long-term gain realised", "money"),
    ("conversion_room", "Room to the top of the conversion bracket", "money"),
    ("conversion", "Roth conversion", "money"),
    ("ordinary_income", "Ordinary income", "money"),
    ("standard_deduction", "Standard deduction", "money"),
    ("ordinary_taxable", "Ordinary taxable income", "money"),
    ("gains_taxable", "Taxable long-term gain", "money"),
    ("ordinary_tax", "Tax on ordinary income", "money"),
    ("gains_tax", "Tax on long-term gains", "money"),
    ("federal_tax", "Federal tax for the year", "money"),
    ("income_pretax", "Income: pre-tax (ordinary)", "money"),
    ("income_roth", "Income: Roth (tax-free)", "money"),
    ("income_after_tax", "Income: after-tax 401(k)", "money"),
    ("income_taxable", "Income: taxable account", "money"),
    ("income_other", "Income: Social Security / other", "money"),
    ("pretax_end", "Pre-tax on 31 December", "money"),
    ("roth_end", "Roth on 31 December", "money"),
    ("after_tax_end", "After-tax 401(k) on 31 December", "money"),
    ("after_tax_basis_end", "After-tax basis on 31 December", "money"),
    ("taxable_end", "Taxable account on 31 December", "money"),
    ("taxable_basis_end", "Taxable cost basis on 31 December", "money"),
)
COLUMN_NAMES = tuple(key for key, _, _ in COLUMNS)
BUCKETS = ("pretax", "roth", "after_tax", "after_tax_basis", "taxable", "taxable_basis")


class Settings(Record):
    """The retirement-phase inputs of :func:`simulate` (all validated by the caller)."""

    __slots__ = ("first_year", "birth_year", "end_age", "base_year", "spending", "other_income",
                 "other_income_age", "other_income_taxable", "filing_status", "expected_return", "taxable_return",
                 "inflation", "withdrawal_order", "pretax_bracket", "conversion_bracket", "end_tax_rate",
                 "end_gains_rate")


class Projection(Record):
    """A retirement projection: ``rows`` (one dict per year, keys :data:`COLUMN_NAMES`), ``start`` (the
    buckets on 1 January of the first year), ``lifetime_tax``, ``wealth_after_tax`` (at the end age),
    ``run_out_year`` (first year with a shortfall, or None), ``total_shortfall``, ``tax_free_share`` (Roth and
    returned basis over all withdrawals), ``first_year``, ``first_age``, ``rmd_start_age``."""

    __slots__ = ("rows", "start", "lifetime_tax", "wealth_after_tax", "run_out_year", "total_shortfall",
                 "tax_free_share", "first_year", "first_age", "rmd_start_age")


def _tables(year: int, settings: Settings) -> tuple[Any, float, float, float, float, float, str]:
    from .tax import _schedule

    status, inflation = settings.filing_status, settings.inflation
    table = _schedule(year, status, inflation)
    deduction = standard_deduction(year, status, inflation)
    zero_top, fifteen_top = capital_gain_thresholds(year, status, inflation)

    def top(label: str) -> float:
        upper = table[BRACKET_LABELS.index(label)][1]
        return NO_LIMIT if upper == float("inf") else upper

    pretax_top = top(settings.pretax_bracket)
    conversion_top = top(settings.conversion_bracket) if settings.conversion_bracket != "none" else 0.0
    return table, deduction, zero_top, fifteen_top, pretax_top, conversion_top, (
        "published" if year <= LAST_PUBLISHED_YEAR else "projected")


def simulate(start: dict[str, float], settings: Settings) -> Projection:
    """Project the buckets ``start`` (keys :data:`BUCKETS`, on 1 January of ``settings.first_year``) year by
    year to the end age (the rules in the module docstring)."""
    from .tax import _tax

    s = settings
    r, rt = s.expected_return, s.taxable_return
    start_age = rmd_start_age(s.birth_year)
    pretax, roth = start["pretax"], start["roth"]
    after_tax, after_tax_basis = start["after_tax"], start["after_tax_basis"]
    taxable, taxable_basis = start["taxable"], start["taxable_basis"]
    tax_prior = 0.0
    rows: list[dict[str, Any]] = []
    first_age = s.first_year - s.birth_year
    for age in range(first_age, max(s.end_age, first_age) + 1):
        year = s.birth_year + age
        table, deduction, zero_top, fifteen_top, pretax_top, conversion_top, status = _tables(year, s)
        grown = (1 + s.inflation) ** (year - s.base_year)
        spending = s.spending * grown
        other = s.other_income * grown if age >= s.other_income_age else 0.0
        other_taxable = other * s.other_income_taxable
        need = max(0.0, spending + tax_prior - other)
        required = excel_round(pretax / _DIVISORS[min(age, 120)], 2) if age >= start_age else 0.0
        need_left = max(0.0, need - required)
        available = pretax - required
        first = s.withdrawal_order == "pretax_first"
        pretax_first = min(available, need_left) if first else 0.0
        need_left -= pretax_first
        available -= pretax_first
        from_taxable = min(taxable, need_left)
        need_left -= from_taxable
        # No limit (37%) stays exactly NO_LIMIT: a spreadsheet keeps 15 digits, so 1e12 + cents would round.
        room = NO_LIMIT if pretax_top == NO_LIMIT else max(0.0, pretax_top + deduction - other_taxable - required)
        in_bracket = 0.0 if first else min(available, need_left, room)
        need_left -= in_bracket
        available -= in_bracket
        from_after_tax = min(after_tax, need_left)
        need_left -= from_after_tax
        from_roth = min(roth, need_left)
        need_left -= from_roth
        rest = 0.0 if first else min(available, need_left)
        need_left -= rest
        available -= rest
        shortfall = excel_round(max(0.0, need_left), 2)
        reinvested = max(0.0, required - need)
        basis_part = from_after_tax * after_tax_basis / after_tax if after_tax > 0 else 0.0
        earnings_part = from_after_tax - basis_part
        taxable_basis_part = from_taxable * taxable_basis / taxable if taxable > 0 else 0.0
        gain = from_taxable - taxable_basis_part
        pretax_out = required + pretax_first + in_bracket + rest
        before_conversion = other_taxable + pretax_out + earnings_part
        conversion_room = (max(0.0, conversion_top + deduction - before_conversion)
                           if s.conversion_bracket != "none" and age < start_age else 0.0)
        conversion = min(available, conversion_room)
        ordinary = before_conversion + conversion
        tax = _year_tax(ordinary, gain, deduction, zero_top, fifteen_top, table, status, _tax)
        row = {
            "year": year, "age": age, "tables_status": status,
            "pretax_start": pretax, "roth_start": roth, "after_tax_start": after_tax,
            "after_tax_basis_start": after_tax_basis, "taxable_start": taxable,
            "taxable_basis_start": taxable_basis, "spending": spending, "other_income": other,
            "tax_prior": tax_prior, "need": need, "rmd": required, "pretax_first": pretax_first,
            "taxable_withdrawal": from_taxable, "pretax_room": room, "pretax_in_bracket": in_bracket,
            "after_tax_withdrawal": from_after_tax, "roth_withdrawal": from_roth, "pretax_rest": rest,
            "shortfall": shortfall, "rmd_reinvested": reinvested, "after_tax_basis_part": basis_part,
            "after_tax_earnings_part": earnings_part, "taxable_basis_part": taxable_basis_part,
            "capital_gain": gain, "conversion_room": conversion_room, "conversion": conversion,
            "ordinary_income": ordinary, "standard_deduction": deduction,
            "ordinary_taxable": tax.ordinary_taxable, "gains_taxable": tax.gains_taxable,
            "ordinary_tax": tax.ordinary_tax, "gains_tax": tax.gains_tax, "federal_tax": tax.federal_tax,
            "income_pretax": pretax_out, "income_roth": from_roth, "income_after_tax": from_after_tax,
            "income_taxable": from_taxable, "income_other": other,
        }
        pretax = (available - conversion) * (1 + r)
        roth = (roth - from_roth + conversion) * (1 + r)
        after_tax = (after_tax - from_after_tax) * (1 + r)
        after_tax_basis = after_tax_basis - basis_part
        taxable = (taxable - from_taxable + reinvested) * (1 + rt)
        taxable_basis = taxable_basis - taxable_basis_part + reinvested
        tax_prior = tax.federal_tax
        row.update({"pretax_end": pretax, "roth_end": roth, "after_tax_end": after_tax,
                    "after_tax_basis_end": after_tax_basis, "taxable_end": taxable,
                    "taxable_basis_end": taxable_basis})
        rows.append(row)
    return _summarise(rows, dict(start), s, start_age)


def wealth_after_tax(row: dict[str, Any], end_tax_rate: float, end_gains_rate: float) -> float:
    """Wealth after tax from a year's 31 December balances (module docstring), less that year's tax (paid the
    next year): below zero when the money lasted into that year and its tax is more than what is left."""
    return (row["pretax_end"] * (1 - end_tax_rate) + row["roth_end"] + row["after_tax_end"]
            - max(0.0, row["after_tax_end"] - row["after_tax_basis_end"]) * end_tax_rate + row["taxable_end"]
            - max(0.0, row["taxable_end"] - row["taxable_basis_end"]) * end_gains_rate - row["federal_tax"])


def _summarise(rows: list[dict[str, Any]], start: dict[str, float], s: Settings, start_age: int) -> Projection:
    lifetime = sum(row["federal_tax"] for row in rows)
    run_out = next((row["year"] for row in rows if row["shortfall"] > 0), None)
    withdrawn = sum(row["income_pretax"] + row["income_roth"] + row["income_after_tax"] + row["income_taxable"]
                    for row in rows)
    tax_free = sum(row["income_roth"] + row["after_tax_basis_part"] + row["taxable_basis_part"] for row in rows)
    return Projection(rows, start, excel_round(lifetime, 2),
                      excel_round(wealth_after_tax(rows[-1], s.end_tax_rate, s.end_gains_rate), 2), run_out,
                      excel_round(sum(row["shortfall"] for row in rows), 2),
                      tax_free / withdrawn if withdrawn else 0.0, s.first_year, s.first_year - s.birth_year,
                      start_age)


def first_year(scenario: Scenario) -> int:
    """The first retirement year: the retirement age's year, or the year after the schedule when the
    schedule runs past it."""
    return max(scenario.birth_year + scenario.retirement_age, scenario.start_year + scenario.years)


def start_balances(scenario: Scenario, rows: list[dict[str, Any]] | None = None,
                   mega_backdoor: bool = True) -> dict[str, float]:
    """The buckets on 1 January of the first retirement year (keys :data:`BUCKETS`).

    pre-tax = (existing x (1+r)^N + sum over schedule years of (pre-tax deferral + employer) x F x
    (1+r)^(last year - year)) x (1+r)^gap, F the payday factor (growth.year_end_factor), gap = years between
    the schedule and retirement; Roth the same with Roth deferrals, plus the mega-backdoor balance x
    (1+r)^gap; the taxable account grows at r x (1 - tax drag). Without the mega-backdoor the schedule's
    taxable alternative and the conversion tax not paid go to the taxable account, as basis.
    """
    from .conversion import PAY_PERIODS
    from .growth import year_end_factor
    from .schedule import schedule_rows

    s = scenario
    rows = rows if rows is not None else schedule_rows(s)
    r = s.expected_return
    rt = r * (1 - s.taxable_tax_drag)
    factor = year_end_factor(r, PAY_PERIODS[s.pay_frequency])
    last = s.start_year + s.years - 1
    gap = first_year(s) - last - 1
    pretax = s.existing_pretax * (1 + r) ** s.years
    roth = s.existing_roth * (1 + r) ** s.years
    for row in rows:
        weight = factor * (1 + r) ** (last - row["year"])
        pretax += (row["pretax_deferral"] + row["employer"]) * weight
        roth += row["roth_deferral"] * weight
    final = rows[-1]
    taxable = s.existing_taxable * (1 + rt) ** s.years
    taxable_basis = s.existing_taxable_basis
    if mega_backdoor:
        roth += final["roth_balance"]
    else:
        taxable += final["taxable_balance"] + final["conversion_tax_to_date"]
        taxable_basis += sum(row["after_tax_contribution"] for row in rows) + final["conversion_tax_to_date"]
    grow, grow_taxable = (1 + r) ** gap, (1 + rt) ** gap
    return {"pretax": pretax * grow, "roth": roth * grow,
            "after_tax": s.existing_after_tax * (1 + r) ** s.years * grow,
            "after_tax_basis": s.existing_after_tax_basis, "taxable": taxable * grow_taxable,
            "taxable_basis": taxable_basis}


def settings(scenario: Scenario, conversions: bool = True) -> Settings:
    """The retirement settings of a scenario (``conversions=False``: no Roth conversions)."""
    s = scenario
    return Settings(first_year(s), s.birth_year, s.end_age, s.start_year, s.spending, s.other_income,
                    s.other_income_age, s.other_income_taxable, s.retirement_filing_status, s.expected_return,
                    s.expected_return * (1 - s.taxable_tax_drag), s.inflation, s.withdrawal_order,
                    s.pretax_bracket, s.conversion_bracket if conversions else "none", s.end_tax_rate,
                    s.end_gains_rate)


def project(scenario: Scenario | None = None, mega_backdoor: bool = True, conversions: bool = True,
            rows: list[dict[str, Any]] | None = None) -> Projection:
    """The retirement projection of a scenario (default: the built-in one), with or without the
    mega-backdoor and the Roth conversions.

    >>> p = project()
    >>> p.first_year, p.first_age, p.rmd_start_age, p.rows[0]["spending"] > 90000
    (2056, 65, 75, True)
    """
    from .scenario import default_scenario

    s = scenario if scenario is not None else default_scenario()
    try:
        start = start_balances(s, rows, mega_backdoor)
        return simulate(start, settings(s, conversions))
    except InputError as error:
        raise InputError(f"retirement: {error.argument}", error.value, error.accepted, kind=error.kind,
                         hint=error.hint) from None


def check_facts(scenario: Scenario) -> None:
    """Refuse a scenario file that leaves a retirement fact unstated (scenario.RETIREMENT_FACTS: ages,
    spending, other income, filing status, existing balances): no silent defaults for facts about the client.
    The built-in default scenario passes (its values are the example's)."""
    from .scenario import BUILT_IN, RETIREMENT_FACTS

    used = scenario.defaults_used
    if BUILT_IN in used:
        return
    missing = [f"retirement.{key}" for key in RETIREMENT_FACTS if f"retirement.{key}" in used]
    if missing:
        raise InputError(", ".join(missing), "nothing", "these retirement facts stated in the scenario's "
                         "[retirement] section (0 is fine for a balance the client does not have)")


CASES = ("with_mega_backdoor", "without_mega_backdoor", "with_mega_backdoor_no_conversions")


def compare(scenario: Scenario | None = None) -> dict[str, Projection]:
    """The planner's comparison: the scenario with the mega-backdoor, without it (the after-tax dollars in
    the taxable account instead) and, when the scenario converts, with the mega-backdoor but no conversions.

    >>> cases = compare()
    >>> cases["with_mega_backdoor"].tax_free_share > cases["without_mega_backdoor"].tax_free_share
    True
    """
    from .scenario import default_scenario
    from .schedule import schedule_rows

    s = scenario if scenario is not None else default_scenario()
    rows = schedule_rows(s)
    result = {"with_mega_backdoor": project(s, True, True, rows),
              "without_mega_backdoor": project(s, False, True, rows)}
    if s.conversion_bracket != "none":
        result["with_mega_backdoor_no_conversions"] = project(s, True, False, rows)
    return result


def table(projection: Projection) -> pandas.DataFrame:
    """The projection's rows as a pandas DataFrame (columns :data:`COLUMN_NAMES`)."""
    import pandas

    return pandas.DataFrame(projection.rows, columns=list(COLUMN_NAMES))


retirement_projection = project
