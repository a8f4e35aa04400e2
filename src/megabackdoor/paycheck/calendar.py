"""The pay calendar: the pay dates of a year for a payroll frequency (payroll practice, not a statute)."""

from __future__ import annotations

from .. import validate
from ..cadences import PAY_FREQUENCIES

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt
    from typing import Any

FREQUENCIES = PAY_FREQUENCIES


def _to_date(name: str, value: Any) -> dt.date:
    """A pay date in the years with published data (2014-2100): :func:`megabackdoor.validate.to_date`."""
    return validate.to_date(name, value, first_year=validate.FIRST_YEAR, last_year=validate.LAST_YEAR)


def _month_end(year: int, month: int) -> int:
    if month == 12:
        return 31
    import datetime as dt

    return (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).day


def pay_dates(first_pay_date: Any, frequency: str) -> list[dt.date]:
    """The pay dates of the calendar year from ``first_pay_date`` on.

    Rule: weekly / biweekly every 7 / 14 days (a 53rd weekly or 27th biweekly pay date falls in the year
    when the first one is early enough: 1 January, or 2 January in a leap year); monthly on the same day
    (the last day when the first date is a month end); semimonthly on two days 15 days apart (the 15th and
    the last day when the first date is the 15th or a month end). Payroll calendars, not a statute: each pay
    date's pay counts in the year it is paid (Treas. Reg. §1.415(c)-2(e)).

    Examples
    --------
    >>> len(pay_dates("2026-01-02", "biweekly")), len(pay_dates("2027-01-01", "biweekly"))
    (26, 27)
    >>> pay_dates("2027-01-01", "biweekly")[-1].isoformat()
    '2027-12-31'
    >>> [d.isoformat() for d in pay_dates("2026-11-15", "semimonthly")]
    ['2026-11-15', '2026-11-30', '2026-12-15', '2026-12-31']
    >>> len(pay_dates("2026-01-31", "monthly")), pay_dates("2026-01-31", "monthly")[1].isoformat()
    (12, '2026-02-28')
    """
    import datetime as dt

    first = _to_date("first_pay_date", first_pay_date)
    frequency = validate.choice("frequency", frequency, FREQUENCIES)
    year = first.year
    if frequency in ("weekly", "biweekly"):
        step = dt.timedelta(days=7 if frequency == "weekly" else 14)
        dates, day = [], first
        while day.year == year:
            dates.append(day)
            day += step
        return dates
    month_end = first.day == _month_end(year, first.month)
    if frequency == "monthly":
        return [dt.date(year, m, _month_end(year, m) if month_end else min(first.day, _month_end(year, m)))
                for m in range(first.month, 13)]
    # Semimonthly: a pair of days; 31 stands for "the month's last day".
    if month_end or first.day == 15:
        pair = (15, 31)
    elif first.day < 15:
        pair = (first.day, first.day + 15)
    else:
        pair = (first.day - 15, first.day)
    dates = []
    for month in range(first.month, 13):
        last = _month_end(year, month)
        for day_number in pair:
            day = dt.date(year, month, min(day_number, last))
            if day >= first and (not dates or day > dates[-1]):
                dates.append(day)
    return dates
