"""Argument checks shared by every engine function.

Each check returns the cleaned value or raises :class:`~megabackdoor.errors.InputError` naming the argument.
They are written for speed (a type test first) because they sit on every scalar Excel call.
"""

from __future__ import annotations

import math

from .errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

FIRST_YEAR = 2014
LAST_YEAR = 2100
LAST_AGE = 120
_INF = math.inf
LAST_SERIAL = 2958465  # Excel's last date serial, 31 December 9999
_EXCEL_EPOCH_ORDINAL = 693594  # date(1899, 12, 30).toordinal(): serial 0 for serials after 60

# The largest dollar amount accepted, per kind of amount: the one place every surface (CLI, worksheet functions,
# scenarios, census) takes its ceiling from. Far above any real plan, and low enough that every sum the engines
# make stays exact to the cent in a float (2**53 cents is about $90 trillion) and inside decimal's 28 digits
# (1e26 and 1e308 used to crash the paycheck and conversion engines).
PAY = "pay"            # a year's pay, a paycheck, a bonus, a contribution or deferral
BALANCE = "balance"    # an account balance, an amount converted or distributed, income, a tax
MONEY_CEILINGS: dict[str, tuple[float, str]] = {
    PAY: (1e9, "the ceiling for pay and contributions"),
    BALANCE: (1e12, "the ceiling for balances and other amounts"),
}


def number(name: str, value: Any) -> float:
    """A finite real number (bool and text are refused: Excel passes them by mistake)."""
    kind = type(value)
    if kind is float or kind is int:
        if kind is float and not math.isfinite(value):
            raise InputError(name, value, "a finite number", kind="num")
        return value
    if isinstance(value, bool) or value is None:
        raise InputError(name, value, "a number", kind="value")
    if isinstance(value, str):
        raise InputError(name, value, "a number, not text", kind="value",
                         hint="remove currency signs, commas or quotes")
    try:
        result = float(value)  # numpy scalars, Decimal, Fraction
    except (TypeError, ValueError):
        raise InputError(name, value, "a number", kind="value") from None
    if not math.isfinite(result):
        raise InputError(name, value, "a finite number", kind="num")
    return result


def money(name: str, value: Any, kind: str = BALANCE) -> float:
    """A dollar amount: finite, not negative and at most the ceiling for its ``kind`` (:data:`MONEY_CEILINGS`).

    >>> money("pay", 1e9, PAY)
    1000000000.0
    >>> money("pay", 1e26, PAY)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    megabackdoor.errors.InputError: pay: got 1e+26; expected an amount from $0 to $1,000,000,000 (the ceiling ...)
    """
    ceiling = MONEY_CEILINGS[kind][0]
    # Fast path for the usual plain number (every engine call checks several amounts); NaN and infinity fail
    # the comparison and get number()'s messages below. A float is returned as it is (float() of a float).
    kind_of_value = type(value)
    if kind_of_value is float:
        if 0 <= value <= ceiling:
            return value
    elif kind_of_value is int and 0 <= value <= ceiling:
        return float(value)
    result = number(name, value)
    if result < 0:
        raise InputError(name, value, "an amount of $0 or more", kind="num")
    if result > ceiling:
        raise too_much(name, value, kind)
    return float(result)


def money_accepted(kind: str = BALANCE) -> str:
    """What an amount of this kind may be: 'an amount from $0 to $1,000,000,000,000 (the ceiling for ...)'."""
    ceiling, why = MONEY_CEILINGS[kind]
    return f"an amount from $0 to ${ceiling:,.0f} ({why})"


def too_much(name: str, value: Any, kind: str = BALANCE) -> InputError:
    """The error for an amount above the ceiling of its kind."""
    return InputError(name, value, money_accepted(kind), kind="num")


def optional_money(name: str, value: Any, kind: str = BALANCE) -> float | None:
    return None if value is None else money(name, value, kind)


def percent_hint(value: float) -> str:
    """The hint for a rate given as a percent, with the exact decimal (at least two places).

    >>> [percent_hint(v).split(": ")[1] for v in (2.5, 12.5, 4.95, 10)]
    ['pass 0.025 for 2.5%', 'pass 0.125 for 12.5%', 'pass 0.0495 for 4.95%', 'pass 0.10 for 10%']
    """
    from decimal import Decimal

    exact = format((Decimal(repr(float(value))) / 100).normalize(), "f")
    places = len(exact.partition(".")[2])
    if places < 2:
        exact = f"{float(exact):.2f}"
    return f"{value:g} looks like a percent: pass {exact} for {value:g}%"


def fraction(name: str, value: Any, *, upper: float = 1.0, inclusive: bool = True) -> float:
    """A decimal fraction from 0 to ``upper`` (e.g. 0.10 for 10%)."""
    result = number(name, value)
    too_big = result > upper if inclusive else result >= upper
    if result < 0 or too_big:
        top = f"{upper:g}" if inclusive else f"below {upper:g}"
        accepted = f"a decimal fraction from 0 to {top}"
        hint = None
        if 1 < result <= 100:
            hint = percent_hint(result)
        raise InputError(name, value, accepted, kind="num", hint=hint)
    return result


def rate(name: str, value: Any, *, low: float = -0.99, high: float = 1.0) -> float:
    """An annual rate as a decimal, which may be negative (returns, inflation)."""
    result = number(name, value)
    if not (low <= result <= high):
        hint = None
        if 1 < result <= 100:
            hint = percent_hint(result)
        raise InputError(name, value, f"a decimal rate from {low:g} to {high:g}", kind="num", hint=hint)
    return result


def whole(name: str, value: Any, low: int, high: int, what: str) -> int:
    """A whole number in [low, high]; 35.0 is accepted as 35 (Excel sends doubles)."""
    kind = type(value)
    if (kind is int or kind is float) and low <= value <= high and value == int(value):
        return int(value)   # the usual year or age, checked in one line (NaN fails the range test)
    result = number(name, value)
    if result != int(result):
        raise InputError(name, value, f"a whole number ({what})", kind="num")
    if not (low <= result <= high):
        raise InputError(name, value, f"{what} from {low} to {high}", kind="num")
    return int(result)


def year(name: str, value: Any) -> int:
    """A calendar year from 2014 (the first year of published data) to 2100."""
    if type(value) is int and FIRST_YEAR <= value <= LAST_YEAR:
        return value    # the usual cell (Office.js sends a whole number as an int): whole()'s answer, one call fewer
    return whole(name, value, FIRST_YEAR, LAST_YEAR, "a year")


def age(name: str, value: Any) -> int:
    """Age attained by 31 December of the year, 0 to 120."""
    if type(value) is int and 0 <= value <= LAST_AGE:
        return value    # as in year()
    return whole(name, value, 0, LAST_AGE, "an age attained by 31 December")


def choice(name: str, value: Any, accepted: Iterable[str]) -> str:
    """One of a fixed set of words, case-insensitive; the message lists them."""
    options = list(accepted)
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        for option in options:
            if key == option.lower():
                return option
    raise InputError(name, value, "one of " + ", ".join(repr(o) for o in options), kind="value")


def flag(name: str, value: Any) -> bool:
    """A yes/no answer: True/False, 1/0 or the words yes/no/true/false."""
    if isinstance(value, bool):
        return value
    if type(value) in (int, float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {"yes", "no", "true", "false", "y", "n"}:
        return value.strip().lower() in {"yes", "true", "y"}
    raise InputError(name, value, "TRUE or FALSE (or yes/no, 1/0)", kind="value")


def excel_serial_date(name: str, value: Any):
    """A date from an Excel serial number in the 1900 date system; a time of day (the fraction) is ignored.

    Excel counts 1 January 1900 as serial 1 and keeps the fictitious 29 February 1900 as serial 60 (a Lotus
    1-2-3 bug), so serials from 61 on are days since 30 December 1899 and serials 1-59 days since 31 December
    1899; serial 60 is refused.

    >>> excel_serial_date("d", 46096), excel_serial_date("d", 61), excel_serial_date("d", 59)
    (datetime.date(2026, 3, 15), datetime.date(1900, 3, 1), datetime.date(1900, 2, 28))
    """
    from datetime import date

    serial = number(name, value)
    whole_days = int(serial // 1)
    if whole_days < 1 or whole_days > LAST_SERIAL:
        raise InputError(name, value, f"an Excel date serial from 1 to {LAST_SERIAL}", kind="num")
    if whole_days == 60:
        raise InputError(name, value, "a real date: Excel serial 60 is 29 February 1900, which never existed",
                         kind="num", hint="Excel's 1900 leap-year bug")
    return date.fromordinal(_EXCEL_EPOCH_ORDINAL + whole_days + (1 if whole_days < 60 else 0))


DATE_ACCEPTED = "a date: a date cell, ISO text 'YYYY-MM-DD' or an Excel serial number"


def to_date(name: str, value: Any, *, first_year: int | None = None, last_year: int | None = None,
            accepted: str = DATE_ACCEPTED):
    """A date from a ``date``/``datetime``, strict ISO text or an Excel serial number: the one date reader.

    Text is ``YYYY-MM-DD``, optionally followed by a time (``T`` or a space, then ``HH:MM[:SS...]``); anything
    else is refused rather than cut or guessed (``'2026-01-02xyz'``, ``'2026-01-159'``, ``'2026-W03-4'``,
    ``'20260115'``). A serial follows Excel's 1900 date system (:func:`excel_serial_date`); its time of day is
    ignored. ``first_year``/``last_year`` bound the year, and the message shows the value as given.

    >>> to_date("d", "2026-03-15"), to_date("d", 46096), to_date("d", "2026-03-15T08:30:00")
    (datetime.date(2026, 3, 15), datetime.date(2026, 3, 15), datetime.date(2026, 3, 15))
    >>> to_date("d", "2026-01-02xyz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    megabackdoor.errors.InputError: d: got '2026-01-02xyz'; expected a date: a date cell, ISO text 'YYYY-MM-DD' ...
    """
    from datetime import date, datetime

    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        day = _iso_date(name, value, accepted)
    elif isinstance(value, bool) or value is None or not isinstance(value, (int, float)):
        raise InputError(name, value, accepted, kind="value")
    else:
        if not math.isfinite(value) or not 1 <= value < LAST_SERIAL + 1:
            raise InputError(name, value, f"{accepted} (serials 1 to {LAST_SERIAL})", kind="num")
        day = excel_serial_date(name, value)
    if (first_year is not None and day.year < first_year) or (last_year is not None and day.year > last_year):
        low = first_year if first_year is not None else 1
        high = last_year if last_year is not None else 9999
        shown = day if isinstance(value, date) else value  # a datetime shows as its date
        raise InputError(name, shown, f"a date from {low} to {high}", kind="num")
    return day


def _iso_date(name: str, value: str, accepted: str):
    from datetime import date, datetime

    text = value.strip()
    head = text[:10]
    shaped = (len(head) == 10 and head[4] == "-" and head[7] == "-"
              and (head[:4] + head[5:7] + head[8:]).isdigit() and head.isascii())
    if shaped and (len(text) == 10 or (text[10] in "T " and text[11:13].isdigit())):
        try:
            if len(text) == 10:
                return date(int(head[:4]), int(head[5:7]), int(head[8:]))
            return datetime.fromisoformat(text).date()
        except ValueError:
            pass
    raise InputError(name, value, accepted, kind="value")


def checked_column(value: Any, count: int, ceiling: float, none_ok: bool, bad: set[int]) -> list[Any]:
    """For batch engines (a worksheet column at once): ``value`` as one value per row (a list is taken as it
    is, anything else repeated); the rows whose value is not a plain number from 0 to ``ceiling`` (or None
    where ``none_ok``) are added to ``bad``. A whole column is checked at C speed where it can be.

    >>> bad = set(); checked_column([1.0, -2, "x", 3], 4, 10.0, False, bad), sorted(bad)
    ([1.0, -2, 'x', 3], [1, 2])
    """
    if type(value) is not list:   # one cell for every row: checked once
        plain = (type(value) is float or type(value) is int) and 0 <= value <= ceiling
        if not (plain or (value is None and none_ok)):
            bad.update(range(count))
        return [value] * count
    values = value
    kinds = set(map(type, values))
    if none_ok and kinds == {type(None)}:
        return values
    if kinds <= {float, int}:
        total = sum(values)     # NaN anywhere makes the sum NaN; an infinity fails the max below
        # No value is past the ceiling when none is negative and their sum is within half of it (a float sum of
        # values >= 0 is off by far less than that): one pass fewer for the usual column.
        if total == total and min(values) >= 0 and (total <= ceiling * 0.5 or max(values) <= ceiling):
            return values
    for index, item in enumerate(values):
        if item is None and none_ok:
            continue
        if not ((type(item) is float or type(item) is int) and 0 <= item <= ceiling):
            bad.add(index)
    return values
