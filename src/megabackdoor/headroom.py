"""§415(c) after-tax ("mega-backdoor") room, catch-ups, the Roth catch-up rule and the conversion path.

Rules (each with its statute or regulation):

* Annual additions (§415(c)(2)) = elective deferrals + employer contributions + forfeitures + after-tax
  contributions, tested against min(§415(c)(1)(A) dollars, 100% of §415(c)(3) compensation).
* Catch-ups are excluded (§414(v)(3)(A)) only to the extent they are actually deferred: the deferrals above
  §402(g), then deferrals that would push annual additions past §415(c), up to the catch-up limit
  (Treas. Reg. §1.414(v)-1(a), (b)). An unused catch-up adds no room.
* Catch-up eligibility uses the age attained by 31 December (§414(v)(5)(A)); from 2025 ages 60-63 get the
  higher amount instead of the 50+ amount (§414(v)(2)(E)); at 64 it reverts.
* The plan's after-tax cap is a fraction of compensation capped at §401(a)(17).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import repeat
from operator import itemgetter

from . import validate
from ._record import Record
from .catchup import catchup_for_age, roth_catchup_applies
from .errors import InputError
from .limits import (
    DEFAULT_CATCHUP_READING,
    DEFAULT_INFLATION,
    PUBLISHED,
    check_reading,
    limit_value,
    roth_catchup_status,
    threshold,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

BINDING_415C_DOLLARS = "415c_dollars"
BINDING_PAY = "100pct_of_pay"
BINDING_PLAN_CAP = "plan_cap"
BINDING_NONE = "none"


def _year_age(year: Any, age: Any) -> tuple[int, int]:
    return validate.year("year", year), validate.age("age", age)


def _inflation(inflation: Any) -> float:
    if inflation == DEFAULT_INFLATION:
        return DEFAULT_INFLATION
    return validate.rate("inflation", inflation, low=-0.5, high=0.5)


def _catchup_amount(year: int, age: int, inflation: float, reading: str) -> int:
    name = catchup_for_age(age, year, "catchup_50", "catchup_60_63")   # the rule picks which limit, or 0
    return name and limit_value(name, year, inflation, reading)


@lru_cache(maxsize=1024)
def _room_limits(year: int, age: int, inflation: float, reading: str) -> tuple[float, float, float]:
    """(§415(c) dollars, §402(g), the catch-up limit for the age) as floats, for a checked year and age: the
    room's limits, looked up once per (year, age, inflation, reading) (a sheet asks for the same few again
    and again; the data never change once loaded)."""
    return (float(limit_value("415c", year, inflation, reading)), float(limit_value("402g", year, inflation, reading)),
            float(_catchup_amount(year, age, inflation, reading)))


def catchup_limit(year: int, age: int, inflation: float = DEFAULT_INFLATION,
                  catchup_reading: str = DEFAULT_CATCHUP_READING) -> int:
    """Catch-up contribution limit for a 401(k)/403(b)/governmental 457(b) participant.

    Rule: age attained by 31 December of ``year`` (§414(v)(5)(A)). Under 50: 0. 50 or older: the
    §414(v)(2)(B)(i) amount. From 2025, ages 60-63: the §414(v)(2)(E) amount, which *replaces* the 50+
    amount. At 64 it reverts to the 50+ amount.

    >>> catchup_limit(2026, 49), catchup_limit(2026, 50), catchup_limit(2026, 60), catchup_limit(2026, 64)
    (0, 8000, 11250, 8000)
    >>> catchup_limit(2024, 61)   # the 60-63 amount starts in 2025
    7500
    """
    year, age = _year_age(year, age)
    return _catchup_amount(year, age, _inflation(inflation), check_reading(catchup_reading))


def total_401k_limit(year: int, age: int, compensation: float | None = None,
                     inflation: float = DEFAULT_INFLATION,
                     catchup_reading: str = DEFAULT_CATCHUP_READING) -> float:
    """Most that can go into a 401(k) in a year from every source: min(§415(c), pay) + catch-up.

    Catch-ups sit outside §415(c) (§414(v)(3)(A)) but are still elective deferrals, so they cannot exceed
    the pay left after the §415(c) amount.

    >>> total_401k_limit(2026, 35), total_401k_limit(2026, 55), total_401k_limit(2026, 61)
    (72000.0, 80000.0, 83250.0)
    >>> total_401k_limit(2026, 55, compensation=50000)
    50000.0
    """
    year, age = _year_age(year, age)
    inflation = _inflation(inflation)
    reading = check_reading(catchup_reading)
    dollars = limit_value("415c", year, inflation, reading)
    catchup = _catchup_amount(year, age, inflation, reading)
    if compensation is None:
        return float(dollars + catchup)
    pay = validate.money("compensation", compensation, validate.PAY)
    base = min(dollars, pay)
    return base + min(catchup, pay - base)


class Headroom(Record):
    """The after-tax room and how it was reached (all amounts in annual dollars).

    Fields: ``after_tax_room``; ``limit_415c`` (the §415(c) figure used: min(dollar limit, compensation));
    ``limit_415c_dollars``; ``limit_402g``; ``catchup_limit``; ``catchup_used`` (the part of the deferrals
    treated as catch-up); ``non_catchup_deferral``; ``employer``; ``forfeitures``; ``plan_cap_amount``;
    ``binding`` (415c_dollars / 100pct_of_pay / plan_cap / none); ``status`` (published / projected).
    """

    __slots__ = ("after_tax_room", "limit_415c", "limit_415c_dollars", "limit_402g", "catchup_limit",
                 "catchup_used", "non_catchup_deferral", "employer", "forfeitures", "plan_cap_amount",
                 "binding", "status")


def _room(deferral: float, employer: float, forfeitures: float, limit_415: float, limit_402g: float,
          catchup: float) -> tuple[float, float, float]:
    """The §415(c) room rule, for the scalar call and the batch alike: ``(catchup_used, used, room)``.

    ``catchup_used``: the deferrals above §402(g), then the deferrals that would push annual additions past
    ``limit_415``, up to the catch-up limit (Treas. Reg. §1.414(v)-1(b); they sit outside §415(c),
    §414(v)(3)(A)). ``used``: the annual additions that count, (deferral - catchup_used) + employer +
    forfeitures (§415(c)(2)). ``room``: ``limit_415 - used``, floored at 0. ``used > limit_415`` is an excess
    the caller refuses. Plain floats in, no checks: the callers validate.

    >>> _room(32500.0, 9000.0, 0.0, 72000.0, 24500.0, 8000.0)   # 55 in 2026: the $8,000 above §402(g)
    (8000.0, 33500.0, 38500.0)
    >>> _room(24500.0, 50000.0, 0.0, 72000.0, 24500.0, 8000.0)  # $2,500 past §415(c) becomes catch-up
    (2500.0, 72000.0, 0.0)
    """
    over_402g = deferral - limit_402g if deferral > limit_402g else 0.0
    base_deferral = deferral - over_402g
    over_415 = base_deferral + employer + forfeitures - limit_415
    catchup_used = over_402g
    if over_415 > 0:
        # Deferrals that would break §415(c) are catch-ups too, while catch-up limit remains (min() written
        # out with the same comparisons, so ties pick the same value).
        shift = catchup - over_402g
        if over_415 < shift:
            shift = over_415
        if base_deferral < shift:
            shift = base_deferral
        catchup_used += shift
    used = deferral - catchup_used + employer + forfeitures
    room = limit_415 - used
    return catchup_used, used, (room if room > 0 else 0.0)


def _headroom(year: int, age: int, deferral: float, employer: float, compensation: float | None,
              plan_cap: float | None, forfeitures: float, inflation: float, reading: str,
              room_only: bool = False) -> Any:
    """The Headroom record, or with ``room_only`` its after_tax_room alone (the worksheet function's cell:
    building the twelve-field record is half of the call)."""
    dollars, limit_402g, catchup = _room_limits(year, age, inflation, reading)
    if compensation is not None and deferral > compensation:
        raise InputError("deferral", deferral,
                         f"at most the compensation of ${compensation:,.2f}: deferrals come out of pay",
                         kind="num")
    if deferral > limit_402g + catchup:
        excess = deferral - limit_402g - catchup
        raise InputError(
            "deferral", deferral,
            f"at most ${limit_402g + catchup:,.0f} (§402(g) ${limit_402g:,.0f} + catch-up ${catchup:,.0f} "
            f"at age {age} in {year})",
            kind="num",
            hint=f"excess deferral of ${excess:,.2f} must be refunded by 15 April; it is not after-tax room")
    limit_415 = dollars if compensation is None else min(dollars, compensation)
    catchup_used, used, room = _room(deferral, employer, forfeitures, limit_415, limit_402g, catchup)
    if used > limit_415:
        raise InputError(
            "employer", employer,
            f"employer money + forfeitures + non-catch-up deferrals within the §415(c) limit of "
            f"${limit_415:,.2f}", kind="num",
            hint=f"annual additions exceed it by ${used - limit_415:,.2f}: an excess the plan must correct")
    cap_amount = None
    capped = False
    if plan_cap is not None:
        pay_for_plan = min(compensation, limit_value("401a17", year, inflation, reading))
        cap_amount = plan_cap * pay_for_plan
        if cap_amount < room:
            room = cap_amount
            capped = True
    if room_only:
        return room
    # What binds (worked out for the record only): the plan cap when it lowered the room, else none when no room
    # is left (a cap is never below 0, so it never lowers a room of 0), else the smaller of dollars and pay.
    if capped:
        binding = BINDING_PLAN_CAP
    elif room == 0:
        binding = BINDING_NONE
    elif compensation is None:
        binding = BINDING_415C_DOLLARS
    else:
        binding = BINDING_PAY if compensation < dollars else BINDING_415C_DOLLARS
    status = "published" if ("415c", year) in PUBLISHED else "projected"
    return Headroom(room, limit_415, dollars, limit_402g, catchup, catchup_used, deferral - catchup_used, employer,
                    forfeitures, cap_amount, binding, status)


def _clean(year: Any, age: Any, deferral: Any, employer: Any, compensation: Any, plan_cap: Any,
           forfeitures: Any, inflation: Any, catchup_reading: Any) -> tuple:
    year, age = validate.year("year", year), validate.age("age", age)   # _year_age, one call fewer per cell
    deferral = validate.money("deferral", deferral, validate.PAY)
    employer = validate.money("employer", employer, validate.PAY)
    compensation = None if compensation is None else validate.money("compensation", compensation, validate.PAY)
    if plan_cap is not None:
        plan_cap = validate.fraction("plan_cap", plan_cap)
        if compensation is None:
            raise InputError("compensation", None, "an amount when plan_cap is given",
                             hint="the plan cap is a fraction of compensation")
    forfeitures = 0.0 if forfeitures is None else validate.money("forfeitures", forfeitures, validate.PAY)
    reading = catchup_reading if catchup_reading == DEFAULT_CATCHUP_READING else check_reading(catchup_reading)
    inflation = DEFAULT_INFLATION if inflation == DEFAULT_INFLATION else _inflation(inflation)
    return (year, age, deferral, employer, compensation, plan_cap, forfeitures, inflation, reading)


def after_tax_room(year: int, age: int, deferral: float, employer: float,
                   compensation: float | None = None, plan_cap: float | None = None,
                   forfeitures: float = 0.0, inflation: float = DEFAULT_INFLATION,
                   catchup_reading: str = DEFAULT_CATCHUP_READING) -> float:
    """After-tax (mega-backdoor) contribution room for a year.

    Formula::

        room = min(§415(c) dollars, compensation)
               - (deferral - catch-up used) - employer - forfeitures        floored at 0
        room = min(room, plan_cap x min(compensation, §401(a)(17)))

    Citation: IRC §415(c)(1)-(2), §414(v)(3)(A), Treas. Reg. §1.414(v)-1, §401(a)(17).

    Parameters
    ----------
    year : calendar (limitation) year.
    age : age attained by 31 December of ``year``.
    deferral : elective deferrals for the year (pre-tax + Roth, catch-ups included), dollars.
    employer : employer contributions (match, nonelective, profit sharing), dollars.
    compensation : §415(c)(3) compensation; ``None`` means it does not bind.
    plan_cap : the plan's after-tax cap as a fraction of compensation (0.10 for 10%), or ``None``.
    forfeitures : forfeitures reallocated to the participant, dollars.

    Examples
    --------
    The article's case, 2026, age 35, $24,500 deferral and $9,000 employer money:

    >>> after_tax_room(2026, 35, 24500, 9000)
    38500.0
    >>> after_tax_room(2026, 35, 24500, 0)
    47500.0
    >>> after_tax_room(2026, 55, 32500, 9000)    # an $8,000 catch-up is outside §415(c)
    38500.0
    """
    return _headroom(*_clean(year, age, deferral, employer, compensation, plan_cap, forfeitures,
                             inflation, catchup_reading), room_only=True)


def after_tax_room_batch(count: int, year: Any, age: Any, deferral: Any, employer: Any, compensation: Any = None,
                         plan_cap: Any = None, forfeitures: Any = 0.0) -> list[float | None]:
    """:func:`after_tax_room` over ``count`` rows at once (a worksheet column for every employee).

    Each argument is a list (one value per row) or one value for every row. Returns one result per row, or
    ``None`` for a row this path leaves to :func:`after_tax_room` (anything but plain numbers, and every row
    that call would refuse), so each of those gets the scalar call's exact message. Same rule and the same
    float arithmetic as :func:`_headroom`, with the limits looked up once per (year, age) and the amounts
    checked a column at a time, not once per row. With pay and plan cap omitted (the usual call) the rows are
    :func:`_usual_rows`: the no-catch-up room a column at a time, and :func:`_room` for the rows it declines;
    otherwise :func:`_room` for every row. Tests compare every row with the scalar call.

    >>> after_tax_room_batch(3, 2026, [35, 55, 35], [24500, 32500, 30000], 9000)
    [38500.0, 38500.0, None]
    """
    ceiling = validate.MONEY_CEILINGS[validate.PAY][0]
    bad: set[int] = set()
    # validate.money's accepted values (plain numbers from 0 to the ceiling) and fractions from 0 to 1 for the
    # plan cap; None (omitted) only where the engine takes it.
    deferrals = validate.checked_column(deferral, count, ceiling, False, bad)
    employers = validate.checked_column(employer, count, ceiling, False, bad)
    pays = validate.checked_column(compensation, count, ceiling, True, bad)
    caps = validate.checked_column(plan_cap, count, 1.0, True, bad)
    forfeited = validate.checked_column(0.0 if forfeitures is None else forfeitures, count, ceiling, True, bad)
    years = year if type(year) is list else [year] * count
    ages = age if type(age) is list else [age] * count
    if bad:   # placeholders the rows can read; these rows are None at the end
        deferrals = [0.0 if index in bad else value for index, value in enumerate(deferrals)]
        employers = [0.0 if index in bad else value for index, value in enumerate(employers)]
        forfeited = [0.0 if index in bad else value for index, value in enumerate(forfeited)]
        pays = [None if index in bad else value for index, value in enumerate(pays)]
        caps = [None if index in bad else value for index, value in enumerate(caps)]
    # The limits per (year, age), looked up once each: keyed by the one that varies when the other is one cell.
    if type(age) is not list:
        keys: list[Any] = years
        limits = {y: _batch_limits(y, age) for y in set(years)}
    elif type(year) is not list:
        keys = ages
        limits = {a: _batch_limits(year, a) for a in set(ages)}
    else:
        keys = list(zip(years, ages, strict=True))
        limits = {key: _batch_limits(*key) for key in set(keys)}
    # The forfeitures as floats (_headroom's float(): one for every row when it is one cell, the usual 0).
    if type(forfeitures) is not list:
        forfeit: Any = 0.0 if not count or forfeited[0] is None else float(forfeited[0])
    else:
        forfeit = [0.0 if f is None else float(f) for f in forfeited]
    if compensation is None and plan_cap is None:
        result = _usual_rows(keys, limits, deferrals, employers, forfeit)
    else:
        result = _rows_with_pay(keys, limits, deferrals, employers, pays, caps,
                                forfeit if type(forfeit) is list else [forfeit] * count)
    for index in bad:
        result[index] = None
    return result


def _usual_rows(keys: list[Any], limits: dict[Any, Any], deferrals: list[Any], employers: list[Any],
                forfeitures: Any) -> list[float | None]:
    """after_tax_room_batch's rows with pay and plan cap omitted (``forfeitures``: one float for every row, or a
    float per row): _headroom's steps, the rows that need no catch-up a column at a time.

    Every row first gets the usual room, ``dollars - (deferral + employer + forfeitures)``: where the deferral
    is within §402(g) and that is not negative, no deferral is catch-up and this is :func:`_room`'s value (the
    same floats: amounts are at most 1e9, so an int deferral or employer amount is an exact float and ``d + e``
    equals ``float(d) + float(e)``; adding a forfeitures of 0.0 changes no room; a difference of two floats is
    negative exactly where the first is the smaller). The rows it declines (a deferral past §402(g), additions
    past the dollars, a year or age refused) take :func:`_room` with their own limits, or None where the scalar
    call refuses them. Comprehensions, not map() over operator functions: in Pyodide a C function called per
    item costs more than the interpreter's own float opcodes, and CPython runs them at about the same speed."""
    count = len(keys)
    if not count:
        return []
    if len(limits) == 1:
        (found,) = limits.values()
        if found is None:
            return [None] * count
        row_dollars: Any = repeat(found[0], count)
        lowest_402g = found[1]
    else:
        # Each row's dollars in one C call (itemgetter of every key); a refused year or age has dollars of -1,
        # so its room is negative and the row is declined below.
        row_dollars = itemgetter(*keys)({key: -1.0 if found is None else found[0] for key, found in limits.items()})
        lowest_402g = min([found[1] for found in limits.values() if found is not None], default=-1.0)
    if type(forfeitures) is list:
        rooms = [x - (d + e + f)
                 for x, d, e, f in zip(row_dollars, deferrals, employers, forfeitures, strict=True)]
    elif forfeitures:
        rooms = [x - (d + e + forfeitures) for x, d, e in zip(row_dollars, deferrals, employers, strict=True)]
    else:
        rooms = [x - (d + e) for x, d, e in zip(row_dollars, deferrals, employers, strict=True)]
    if max(deferrals) <= lowest_402g and min(rooms) >= 0:
        return rooms
    if len(limits) == 1:
        declined = [index for index, d, r in zip(range(count), deferrals, rooms, strict=True)
                    if d > lowest_402g or r < 0]
    else:
        row_402g = itemgetter(*keys)({key: -1.0 if found is None else found[1] for key, found in limits.items()})
        declined = [index for index, d, limit_402g, r in zip(range(count), deferrals, row_402g, rooms, strict=True)
                    if d > limit_402g or r < 0]
    listed = type(forfeitures) is list
    result: list[float | None] = rooms
    for index in declined:
        found = limits[keys[index]]
        d = float(deferrals[index])
        if found is None or d > found[4]:
            result[index] = None
            continue
        dollars = found[0]
        _, used, room = _room(d, float(employers[index]), forfeitures[index] if listed else forfeitures, dollars,
                              found[1], found[2])
        result[index] = None if used > dollars else room
    return result


def _rows_with_pay(keys: list[Any], limits: dict[Any, Any], deferrals: list[Any], employers: list[Any],
                   pays: list[Any], caps: list[Any], forfeitures: list[float]) -> list[float | None]:
    """after_tax_room_batch's rows when pay or the plan cap is given: _headroom's steps around :func:`_room`,
    row by row (a refusal becomes None)."""
    result: list[float | None] = []
    append = result.append
    for found, d, e, c, p, f in zip(map(limits.__getitem__, keys), map(float, deferrals), map(float, employers),
                                    pays, caps, forfeitures, strict=True):
        if found is None or (p is not None and c is None):
            append(None)
            continue
        dollars, limit_402g, catchup, pay_cap, most_deferred = found
        if (c is not None and d > c) or d > most_deferred:
            append(None)
            continue
        if c is None:
            limit_415 = dollars
        else:
            c = float(c)
            limit_415 = c if c < dollars else dollars
        _, used, room = _room(d, e, f, limit_415, limit_402g, catchup)
        if used > limit_415:
            append(None)
            continue
        if p is not None:
            cap_amount = p * (pay_cap if pay_cap < c else c)
            if cap_amount < room:
                room = cap_amount
        append(room)
    return result


def _batch_limits(year: Any, age: Any) -> tuple[float, float, float, float, float] | None:
    """(§415(c) dollars, 402(g), catch-up, §401(a)(17), 402(g) + catch-up: the most that may be deferred) for a
    batch row's year and age; None if refused."""
    if not ((type(year) is int or type(year) is float) and (type(age) is int or type(age) is float)):
        return None
    return _plain_batch_limits(year, age)


@lru_cache(maxsize=1024, typed=True)
def _plain_batch_limits(year: float, age: float) -> tuple[float, float, float, float, float] | None:
    """_batch_limits for a year and age that are plain numbers, once per (year, age) and their types: a column
    call looks up the same few again and again (checking each cost a tenth of a 1,000-row call's own time in
    Pyodide), and the data never change once loaded."""
    try:
        year, age = _year_age(year, age)
    except InputError:
        return None
    inflation, reading = DEFAULT_INFLATION, DEFAULT_CATCHUP_READING
    dollars, limit_402g, catchup = _room_limits(year, age, inflation, reading)
    return dollars, limit_402g, catchup, limit_value("401a17", year, inflation, reading), limit_402g + catchup


def headroom_breakdown(year: int, age: int, deferral: float, employer: float,
                       compensation: float | None = None, plan_cap: float | None = None,
                       forfeitures: float = 0.0, inflation: float = DEFAULT_INFLATION,
                       catchup_reading: str = DEFAULT_CATCHUP_READING) -> Headroom:
    """:func:`after_tax_room` with the breakdown: §415(c) figure used, catch-up used, binding constraint.

    >>> h = headroom_breakdown(2026, 35, 24500, 9000, compensation=60000)
    >>> (h.after_tax_room, h.limit_415c, h.binding)
    (26500.0, 60000.0, '100pct_of_pay')
    """
    return _headroom(*_clean(year, age, deferral, employer, compensation, plan_cap, forfeitures,
                             inflation, catchup_reading))


class RothCatchup(Record):
    """Whether catch-ups must be Roth: ``required``, ``threshold``, ``status`` and the ``reason``."""

    __slots__ = ("required", "threshold", "status", "reason")


def roth_catchup_required(year: int, prior_year_fica_wages: float | None,
                          inflation: float = DEFAULT_INFLATION) -> RothCatchup:
    """Whether catch-ups made in ``year`` must be designated Roth (§414(v)(7), SECURE 2.0 §603).

    Rule: required when the prior calendar year's FICA wages (W-2 box 3) from the plan sponsor exceed the
    threshold keyed to ``year`` ($150,000 for 2026). Statutory from 2024, but Notice 2023-62 gave relief
    for 2024 and 2025; enforced (good-faith) from 2026. No FICA wages from the sponsor (``None`` or 0, e.g. a
    new hire or a partner) means not covered.

    >>> roth_catchup_required(2026, 150001).required
    True
    >>> roth_catchup_required(2026, 150000).required
    False
    >>> roth_catchup_required(2025, 400000).status
    'transition_relief'
    """
    year = validate.year("year", year)
    wages = None if prior_year_fica_wages is None else validate.money("prior_year_fica_wages",
                                                                      prior_year_fica_wages, validate.PAY)
    inflation = _inflation(inflation)
    status = roth_catchup_status(year)
    if status == "not_in_law":
        return RothCatchup(False, None, status, "§414(v)(7) applies to years after 2023")
    threshold = limit_value("roth_catchup_wage_threshold", year, inflation)
    if status == "transition_relief":
        return RothCatchup(False, threshold, status,
                           "Notice 2023-62 treats pre-tax catch-ups as compliant in 2024 and 2025")
    if not wages:
        return RothCatchup(False, threshold, status, "no FICA wages from the plan sponsor in the prior year")
    if roth_catchup_applies(year, wages, threshold):
        return RothCatchup(True, threshold, status,
                           f"prior-year FICA wages ${wages:,.0f} exceed ${threshold:,.0f}: catch-ups must be Roth")
    return RothCatchup(False, threshold, status,
                       f"prior-year FICA wages ${wages:,.0f} do not exceed ${threshold:,.0f}")


def backdoor_ira_limit(year: int, age: int, inflation: float = DEFAULT_INFLATION) -> int:
    """The regular (backdoor) IRA contribution limit: §219(b)(5)(A) plus the 50+ catch-up (§219(b)(5)(B)).

    >>> backdoor_ira_limit(2026, 35), backdoor_ira_limit(2026, 50), backdoor_ira_limit(2025, 50)
    (7500, 8600, 8000)
    """
    year, age = _year_age(year, age)
    inflation = _inflation(inflation)
    base = limit_value("ira", year, inflation)
    return base + (limit_value("ira_catchup", year, inflation) if age >= threshold("ira_catchup_age") else 0)


PATH_IN_PLAN = "in_plan_roth_conversion"
PATH_ROLLOVER = "in_service_rollover_to_roth_ira"
PATH_AT_SEPARATION = "convert_at_separation"
PATH_NONE = "not_available"
PATH_DESCRIPTIONS = {
    PATH_ROLLOVER: "In-service rollover of the after-tax subaccount to a Roth IRA (Roth IRA rules, no RMDs)",
    PATH_IN_PLAN: "In-plan Roth conversion of the after-tax subaccount (stays in the 401(k))",
    PATH_AT_SEPARATION: "After-tax contributions now, convert when you leave the employer (earnings accrue)",
    PATH_NONE: "The plan takes no after-tax contributions: the mega-backdoor is not available",
}


def conversion_path(after_tax_allowed: bool, in_plan_conversion: bool, in_service_withdrawal: bool) -> str:
    """The plan features -> how after-tax money becomes Roth, as in the article.

    With both in-plan conversion and in-service withdrawal the Roth IRA rollover is returned (generally
    preferred for its more flexible rules); the in-plan conversion remains available.

    >>> conversion_path(True, True, False)
    'in_plan_roth_conversion'
    >>> conversion_path(True, False, True)
    'in_service_rollover_to_roth_ira'
    >>> conversion_path(True, False, False)
    'convert_at_separation'
    >>> conversion_path(False, True, True)
    'not_available'
    """
    allowed = validate.flag("after_tax_allowed", after_tax_allowed)
    in_plan = validate.flag("in_plan_conversion", in_plan_conversion)
    in_service = validate.flag("in_service_withdrawal", in_service_withdrawal)
    if not allowed:
        return PATH_NONE
    if in_service:
        return PATH_ROLLOVER
    if in_plan:
        return PATH_IN_PLAN
    return PATH_AT_SEPARATION


def backdoor_multiple(year: int, age: int, deferral: float, employer: float,
                      compensation: float | None = None) -> float:
    """After-tax room as a multiple of the regular backdoor IRA limit (the article's "5-6x").

    >>> round(backdoor_multiple(2026, 35, 24500, 9000), 2)
    5.13
    """
    room = after_tax_room(year, age, deferral, employer, compensation)
    return room / backdoor_ira_limit(year, age)

