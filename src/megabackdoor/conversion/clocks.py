"""Five-year clocks after a Roth conversion or rollover, and the order Roth IRA distributions come out in.

Each conversion's taxable part is free of the §72(t) 10% recapture from 1 January of the conversion year + 5
(§408A(d)(3)(F); Treas. Reg. §1.408A-6 Q&A-5); Roth IRA distributions come out in the order regular
contributions, conversions first-in-first-out (taxable part first), then earnings (§408A(d)(4)(B)).

Educational, not individual tax advice.
"""

from __future__ import annotations

from .. import validate
from .._record import Record
from ..errors import InputError
from ..rounding import cents

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from typing import Any

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
