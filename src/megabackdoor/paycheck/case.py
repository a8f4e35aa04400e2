"""The input case (every argument checked and turned into cents and election units) and the result records.

Money that is summed is held in integer cents (:func:`megabackdoor.rounding.whole_cents`), so totals compare
with the limits exactly; an election is a whole number of units (steps of the plan's granularity, or dollars).
"""

from __future__ import annotations

import math

from .. import validate
from .._record import Record
from ..cadences import GRANULARITIES
from ..errors import InputError
from ..headroom import _catchup_amount, roth_catchup_required
from ..limits import LAST_PUBLISHED_YEAR, check_reading, limit_value
from ..match import pay_edges
from ..rounding import excel_round
from ..rounding import whole_cents as _cents
from .calendar import _to_date, pay_dates

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt
    from typing import Any

_GRANULARITY_ALIASES = {"1%": "whole_percent", "0.5%": "half_percent", "0.1%": "tenth_percent",
                        "whole": "whole_percent", "half": "half_percent", "tenth": "tenth_percent",
                        "dollar": "dollars", "$": "dollars"}
_STEP_BY_NUMBER = {0.01: "whole_percent", 0.005: "half_percent", 0.001: "tenth_percent"}

FLAG_MATCH_LOST = "match_lost"
FLAG_EXCESS_DEFERRAL = "excess_deferral_refunded"
FLAG_EXCESS_ADDITIONS = "excess_annual_additions_refunded"
FLAG_402G_UNREACHABLE = "402g_unreachable_under_plan_caps"
FLAG_415C_UNREACHABLE = "415c_unreachable_under_plan_caps"
FLAG_CATCHUP_ROTH = "catchup_must_be_roth"
FLAG_NO_CATCHUP = "no_catchup_plan_has_no_roth"

_REGULAR, _BONUS = 0, 1


# ------------------------------------------------------------------------------------------------ records
class Paycheck(Record):
    """One pay date: amounts and running year-to-date totals at this employer (dollars).

    ``kind`` is 'regular' or 'bonus'. ``catchup`` and ``excess`` are the parts of ``deferral`` treated as
    catch-up and as excess deferral (refunded). ``ytd_deferrals`` includes deferrals made here before the
    schedule; ``ytd_additions`` is the §415(c) count (catch-ups excluded); ``deferral_room_left`` is the
    person's 402(g) + catch-up room left across employers; ``additions_room_left`` is §415(c) room left here.
    """

    __slots__ = ("number", "date", "kind", "pay", "plan_pay", "deferral", "catchup", "excess", "match",
                 "after_tax", "ytd_deferrals", "ytd_match", "ytd_after_tax", "ytd_additions",
                 "deferral_room_left", "additions_room_left")


class PaycheckPlan(Record):
    """Elections for the year, the totals they give at this employer, the flags and the per-paycheck table.

    Elections: ``deferral_election`` (pre-tax + Roth; a fraction of plan pay, or dollars per paycheck when
    ``granularity`` is 'dollars'), ``after_tax_election`` (same unit), ``bonus_deferral_election`` and
    ``bonus_after_tax_election`` (fractions of bonus pay; ``None`` when bonuses use the regular elections).
    Totals for the scheduled paychecks (dollars): ``deferrals``, ``catchup``, ``match`` (true-up included),
    ``true_up``, ``after_tax``; for the year at this employer: ``annual_additions`` (§415(c) count).
    Limits: ``deferral_limit`` (402(g) + catch-up), ``deferral_room`` (that less deferrals elsewhere and
    earlier here), ``limit_415c`` (min(dollars, pay)), ``match_max`` (the most the match formula pays on the
    scheduled pay). Shortfalls: ``deferral_shortfall``, ``additions_shortfall``; ``match_lost``; excesses
    to be refunded: ``excess_deferral``, ``excess_additions``. ``flags``: a tuple of codes (FLAG_*).
    ``paychecks``: the table (:class:`Paycheck` rows). ``status``: 'published' or 'projected' limits.
    """

    __slots__ = ("year", "granularity", "deferral_election", "after_tax_election", "bonus_deferral_election",
                 "bonus_after_tax_election", "deferrals", "catchup", "match", "true_up", "after_tax",
                 "annual_additions", "deferral_limit", "deferral_room", "limit_415c", "match_max",
                 "deferral_shortfall", "additions_shortfall", "match_lost", "excess_deferral",
                 "excess_additions", "flags", "paychecks", "status")


# ------------------------------------------------------------------------------------------------ the case
class _Case:
    """Everything the simulation needs, cleaned, in cents where money is summed."""

    __slots__ = ("year", "events", "n_regular", "pay", "unit", "bonus_unit", "dollars", "separate",
                 "x_max", "y_max", "at_cap", "bonus_at_cap", "max_units", "bonus_max_units", "tiers",
                 "true_up", "stops_402g", "stops_415c", "limit_402g", "catchup", "limit_415", "other",
                 "ytd_def", "ytd_match", "ytd_after_tax", "ytd_regular", "year_match_pay", "room", "stop",
                 "regular_groups", "bonus_events", "granularity", "status", "roth_required", "dollars_415",
                 "match_full", "catchup_blocked", "unit_k", "bonus_k", "ceiling", "stops",
                 "rounding_before", "match_bound", "true_up_floor", "whole", "bands", "breaks",
                 "regular_pieces", "bonus_sums", "bonus_sum_calls", "bonus_parts", "regular_amounts",
                 "regular_parts", "row_rounding", "row_checks", "cap_pieces", "bonus_groups", "live_columns",
                 "column_rounding", "column_bounds", "row_boxes", "simulation", "match_memos", "match_steps")


def _granularity(value: Any) -> str:
    if isinstance(value, str):  # "0.005" from a command line or a text cell: the number the message lists
        try:
            value = float(value.strip())
        except ValueError:
            pass
    if type(value) in (int, float) and not isinstance(value, bool):
        for number, word in _STEP_BY_NUMBER.items():
            if abs(value - number) < 1e-12:
                return word
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        key = _GRANULARITY_ALIASES.get(key, key)
        if key in GRANULARITIES:
            return key
    raise InputError("granularity", value,
                     "'1%' (0.01), '0.5%' (0.005), '0.1%' (0.001) or 'dollars'", kind="value")


def _tiers(match: Any) -> tuple[tuple[float, float, float], ...]:
    accepted = "match tiers as (rate, up_to) pairs with up_to rising, e.g. [(1.0, 0.03), (0.5, 0.05)]"
    if match is None:
        return ()
    try:
        pairs = [tuple(pair) for pair in match]
    except TypeError:
        raise InputError("match", match, accepted, kind="value") from None
    tiers, low = [], 0.0
    for pair in pairs:
        if len(pair) != 2:
            raise InputError("match", match, accepted, kind="value")
        rate = validate.fraction("match rate", pair[0], upper=5.0)
        up_to = validate.fraction("match up_to", pair[1])
        if up_to <= low:
            raise InputError("match", match, accepted, kind="num", hint="each up_to must exceed the one before")
        tiers.append((float(rate), low, float(up_to)))
        low = up_to
    return tuple(tiers)


def _bonuses(bonuses: Any, first: dt.date) -> list[tuple[dt.date, float, bool]]:
    accepted = "bonuses as (date, amount) or (date, amount, in_plan_pay) entries"
    if bonuses is None:
        return []
    try:
        entries = [tuple(entry) for entry in bonuses]
    except TypeError:
        raise InputError("bonuses", bonuses, accepted, kind="value") from None
    result = []
    for entry in entries:
        if len(entry) not in (2, 3):
            raise InputError("bonuses", entry, accepted, kind="value")
        day = _to_date("bonus date", entry[0])
        if day.year != first.year or day < first:
            raise InputError("bonus date", day.isoformat(),
                             f"a date in {first.year} on or after the first pay date {first.isoformat()}",
                             kind="num", hint="pay before the first pay date belongs in ytd_compensation")
        amount = excel_round(validate.money("bonus amount", entry[1], validate.PAY), 2)
        in_plan = True if len(entry) == 2 else validate.flag("bonus in_plan_pay", entry[2])
        result.append((day, amount, in_plan))
    return result


def _units(name: str, value: float, unit: float) -> int:
    return int(value / unit + 1e-9) if unit else int(value + 1e-9)


def _case(first_pay_date: Any, frequency: Any, pay_per_period: Any, age: Any, bonuses: Any, match: Any,
          true_up: Any, granularity: Any, max_election: Any, after_tax_cap: Any, separate_bonus_election: Any,
          stops_at_402g: Any, stops_at_415c: Any, ytd_compensation: Any, ytd_deferrals: Any, ytd_match: Any,
          ytd_after_tax: Any, other_employer_deferrals: Any, prior_year_fica_wages: Any, plan_allows_roth: Any,
          inflation: Any, catchup_reading: Any) -> _Case:
    dates = pay_dates(first_pay_date, frequency)
    first = dates[0]
    year = first.year
    age = validate.age("age", age)
    pay = excel_round(validate.money("pay_per_period", pay_per_period, validate.PAY), 2)
    inflation = validate.rate("inflation", inflation, low=-0.5, high=0.5)
    reading = check_reading(catchup_reading)
    case = _Case()
    case.year = year
    case.granularity = _granularity(granularity)
    step = GRANULARITIES[case.granularity]
    case.dollars = step == 0
    case.unit = step / 1000 if step else 0.0          # fraction of pay per election unit (0 = dollars)
    case.separate = validate.flag("separate_bonus_election", separate_bonus_election)
    case.bonus_unit = (0.01 if case.dollars else case.unit)
    case.unit_k = step                                  # thousandths of pay per election unit
    case.bonus_k = round(case.bonus_unit * 1000)
    max_election = validate.fraction("max_election", max_election)
    after_tax_cap = max_election if after_tax_cap is None else validate.fraction("after_tax_cap", after_tax_cap)
    after_tax_cap = min(after_tax_cap, max_election)
    if case.dollars:
        case.max_units = int(excel_round(max_election * pay, 2) + 1e-9)
        case.at_cap = int(excel_round(after_tax_cap * pay, 2) + 1e-9)
    else:
        case.max_units = _units("max_election", max_election, case.unit)
        case.at_cap = _units("after_tax_cap", after_tax_cap, case.unit)
    case.bonus_max_units = _units("max_election", max_election, case.bonus_unit)
    case.bonus_at_cap = _units("after_tax_cap", after_tax_cap, case.bonus_unit)
    case.x_max, case.y_max = case.max_units, case.bonus_max_units     # the same, as the property tests name them
    case.tiers = _tiers(match)
    case.true_up = validate.flag("true_up", true_up)
    case.stops_402g = validate.flag("stops_at_402g", stops_at_402g)
    case.stops_415c = validate.flag("stops_at_415c", stops_at_415c)
    ytd_comp = excel_round(validate.money("ytd_compensation", ytd_compensation, validate.PAY), 2)
    ytd_def = round(validate.money("ytd_deferrals", ytd_deferrals, validate.PAY) * 100)
    case.ytd_match = round(validate.money("ytd_match", ytd_match, validate.PAY) * 100)
    case.ytd_after_tax = round(validate.money("ytd_after_tax", ytd_after_tax, validate.PAY) * 100)
    other = round(validate.money("other_employer_deferrals", other_employer_deferrals, validate.PAY) * 100)
    allows_roth = validate.flag("plan_allows_roth", plan_allows_roth)
    wages = None if prior_year_fica_wages is None else validate.money("prior_year_fica_wages",
                                                                      prior_year_fica_wages, validate.PAY)
    case.roth_required = roth_catchup_required(year, wages, inflation).required
    catchup = _catchup_amount(year, age, inflation, reading)
    case.catchup_blocked = bool(catchup) and case.roth_required and not allows_roth
    if case.catchup_blocked:
        catchup = 0      # §414(v)(7)(A): catch-ups must be Roth, and the plan has no Roth: none at all
    case.limit_402g = round(limit_value("402g", year, inflation, reading) * 100)
    case.catchup = round(catchup * 100)
    if other + ytd_def > case.limit_402g + case.catchup:
        limit = (case.limit_402g + case.catchup) / 100
        # Name the amount the user gave (the larger of the two), not their sum.
        name, value = (("other_employer_deferrals", other_employer_deferrals) if other > ytd_def else
                       ("ytd_deferrals", ytd_deferrals))
        raise InputError(name, value, f"deferrals so far (here + other employers) of at most ${limit:,.0f} "
                         f"(402(g) + catch-up at age {age} in {year})", kind="num",
                         hint=f"they add up to ${(other + ytd_def) / 100:,.2f}; the excess must be refunded by "
                              "15 April; plan the rest of the year at 0")
    case.other, case.ytd_def = other, ytd_def
    case.room = case.limit_402g + case.catchup - other - ytd_def
    case.stop = case.limit_402g + case.catchup - ytd_def        # what a self-stopping payroll counts
    case.ytd_regular = min(other + ytd_def, case.limit_402g) - min(other, case.limit_402g)
    comp_cap = float(limit_value("401a17", year, inflation, reading))
    # Events in date order; a bonus paid on a regular pay date comes after that paycheck.
    events = [(day, _REGULAR, pay, pay) for day in dates]
    for day, amount, in_plan in _bonuses(bonuses, first):
        events.append((day, _BONUS, amount, amount if in_plan else 0.0))
    if len(events) > len(dates):      # (the pay dates alone are in order)
        events.sort(key=lambda e: (e[0], e[1]))
    counted = ytd_comp
    final = []
    for day, kind, gross, plan_pay in events:
        # Match uses plan pay capped at §401(a)(17) for the year: max(0.0, min(plan_pay, left)), without the calls.
        left = comp_cap - counted
        match_pay = plan_pay if plan_pay <= left else left
        if not match_pay > 0.0:
            match_pay = 0.0
        counted += plan_pay
        final.append((day, kind, gross, plan_pay, match_pay))
    case.events = tuple(final)
    case.n_regular = len(dates)
    case.pay = pay
    total_pay = ytd_comp + sum(e[2] for e in final)
    case.dollars_415 = round(limit_value("415c", year, inflation, reading) * 100)
    case.limit_415 = min(case.dollars_415, round(total_pay * 100))
    ytd_additions = case.ytd_regular + case.ytd_match + case.ytd_after_tax  # catch-ups are outside §415(c)
    if ytd_additions > case.limit_415:
        # Name the year-to-date amount the user gave that overfills §415(c), not the solver's symptom.
        name, value = max((("ytd_match", ytd_match), ("ytd_after_tax", ytd_after_tax),
                           ("ytd_deferrals", ytd_deferrals)), key=lambda item: float(item[1]))
        what = (f"${case.limit_415 / 100:,.0f} (§415(c) in {year})" if case.limit_415 == case.dollars_415 else
                f"${case.limit_415 / 100:,.2f} (§415(c) in {year}: 100% of the year's pay)")
        raise InputError(name, value, f"year-to-date additions (deferrals + match + after-tax) of at most {what}",
                         kind="num", hint=f"they add up to ${ytd_additions / 100:,.2f}")
    case.year_match_pay = min(ytd_comp + sum(e[3] for e in final), comp_cap)
    groups: dict[float, int] = {}
    for event in final:
        if event[1] == _REGULAR:
            groups[event[4]] = groups.get(event[4], 0) + 1
    case.regular_groups = tuple(groups.items())
    case.bonus_events = tuple(e for e in final if e[1] == _BONUS and e[3] > 0)
    bonus_groups: dict[tuple[float, float], int] = {}      # (plan pay, match pay): how many bonus checks
    for event in case.bonus_events:
        bonus_groups[(event[3], event[4])] = bonus_groups.get((event[3], event[4]), 0) + 1
    case.bonus_groups = tuple(bonus_groups.items())
    case.status = "published" if year <= LAST_PUBLISHED_YEAR else "projected"
    case.bands, case.bonus_sums, case.bonus_sum_calls, case.bonus_parts = {}, None, 0, {}
    case.regular_amounts, case.regular_parts, case.row_rounding, case.row_checks = None, {}, None, [0, 0]
    case.simulation = None
    case.match_memos, case.match_steps = {}, {}
    case.match_full = _match_full(case)
    return case


def _match_cents(case: _Case, deferral_cents: int, match_pay: float) -> int:
    """ROUND(:func:`megabackdoor.match.match_total`, 2) in cents, with the tiers in dollars of ``match_pay``
    worked out once per match pay (the solver calls this more than anything else): :func:`_match_dollars`
    rounded as :func:`megabackdoor.rounding.whole_cents` rounds."""
    if match_pay <= 0 or deferral_cents <= 0:
        return 0
    return _cents(_match_dollars(case, deferral_cents, match_pay))


def _match_dollars(case: _Case, deferral_cents: int, match_pay: float) -> float:
    """The match formula in dollars before rounding, summed from the tier that holds the deferral
    (:func:`_match_steps`): the floats :func:`megabackdoor.match.match_on_edges` adds, in its order (its later
    tiers add nothing)."""
    steps = case.match_steps.get(match_pay)
    if steps is None:
        steps = case.match_steps[match_pay] = _match_steps(case, match_pay)
    deferral = deferral_cents / 100
    for high, low, rate, before in steps:
        if deferral <= high:
            part = deferral - low
            return before + rate * part if part > 0 else before
    return 0.0      # (a NaN deferral: match_on_edges adds nothing)


def _match_steps(case: _Case, match_pay: float) -> tuple[tuple[float, float, float, float], ...]:
    """(high, low, rate, before) per tier in dollars of ``match_pay`` for :func:`_match_cents`, then (inf, inf,
    0, the whole match). match_on_edges adds rate x (MIN(deferral, high) - low) tier by tier when positive: at a
    deferral up to a tier's high it has added the tiers before in full (``before``, the same float sums) and adds
    nothing after it, because each tier starts where the one before ends (:func:`_tiers`: the same float
    up_to x pay), at or above this high."""
    edges = case.bands.get(match_pay)
    if edges is None:
        edges = case.bands[match_pay] = pay_edges(match_pay, case.tiers)
    steps, total, reach = [], 0.0, 0.0
    for rate, low, high in edges:
        if low < reach or high < low:
            raise ValueError(f"match tiers must follow each other: {case.tiers}")      # (_tiers makes them so)
        reach = high
        steps.append((high, low, rate, total))
        if high - low > 0:
            total += rate * (high - low)
    steps.append((math.inf, math.inf, 0.0, total))      # past the last tier: deferral - inf adds nothing
    return tuple(steps)


def _match_memo(case: _Case, match_pay: float) -> dict[int, int]:
    """The case's memo of :func:`_match_cents` by deferral (cents) for one match pay: one per case, shared by the
    simulation (each check's match, see simulation._simulation) and the payroll stop's searches (each regular
    check's match at a regular deferral, see stops._stopped_match), which ask for the same deferrals."""
    memo = case.match_memos.get(match_pay)
    if memo is None:
        memo = case.match_memos[match_pay] = {}
    return memo


def _annual_match(case: _Case, deferral_cents: int) -> int:
    """The match formula on the year's totals (what a true-up pays in all), in cents."""
    return _match_cents(case, deferral_cents, case.year_match_pay)


def _match_full(case: _Case) -> int:
    if not case.tiers:
        return 0
    big = 10**13
    counts: dict[float, int] = {}      # checks with plan pay per match pay (their full match is the same)
    for event in case.events:
        if event[3] > 0:
            counts[event[4]] = counts.get(event[4], 0) + 1
    per_paycheck = sum(count * _match_cents(case, big, match_pay) for match_pay, count in counts.items())
    if case.true_up:
        return max(per_paycheck, _annual_match(case, big) - case.ytd_match)
    return per_paycheck


def _amount(case: _Case, plan_pay: float, units: int, bonus: bool) -> int:
    """One paycheck's contribution in cents for an election of ``units``."""
    if units <= 0 or plan_pay <= 0:
        return 0
    if bonus:
        value = plan_pay * (units * case.bonus_k / 1000)
    elif case.dollars:
        return min(units * 100, round(plan_pay * 100))
    else:
        # The rate as the spreadsheet holds it (e.g. 0.067), then ROUND(pay * rate, 2).
        value = plan_pay * (units * case.unit_k / 1000)
    return _cents(value)


def _amounts(case: _Case, plan_pay: float, top: int, bonus: bool) -> list[int]:
    """:func:`_amount` for every election 0..top: the same cents, in integer arithmetic.

    Plan pay is whole cents P (it is rounded to the cent when read), so an election of u steps of k thousandths
    is exactly P x u x k / 1000 cents, and ROUND(.., 2) takes its half up: (P u k + 500) // 1000. The float
    product :func:`_amount` rounds is within a millionth of a cent of it, while the exact value is a whole
    number of thousandths of a cent: it lands on the same side of every half (an exact half is within
    :func:`megabackdoor.rounding.whole_cents`'s tolerance of it, and 15 digits show it exactly: ROUND takes it
    up too). The two neighbours of a half (a thousandth of a cent away) are worked out by :func:`_amount` all the
    same (at most two elections in a thousand, found by their residue), as is every election of a check above
    ten million dollars.
    """
    if top < 0 or plan_pay <= 0:
        return [0] * (top + 1)
    pay_cents = round(plan_pay * 100)
    if case.dollars and not bonus:
        return [0] + [min(units * 100, pay_cents) for units in range(1, top + 1)]
    step = pay_cents * (case.bonus_k if bonus else case.unit_k)      # thousandths of a cent per election unit
    if step * top >= 10**12 or abs(plan_pay * 100 - pay_cents) > 1e-6:
        return [_amount(case, plan_pay, units, bonus) for units in range(top + 1)]
    if step % 1000 == 0:      # whole cents per unit: no rounding at all
        return list(range(0, step // 1000 * top + 1, step // 1000)) if step else [0] * (top + 1)
    table = [value // 1000 for value in range(500, step * top + 501, step)]
    divisor = math.gcd(step, 1000)
    period = 1000 // divisor
    for residue in (499, 501):
        # The elections u with step x u = residue (mod 1000), a thousandth of a cent from a half: none, or every
        # period-th from the first (worked out by the modular inverse).
        if residue % divisor == 0:
            first = residue // divisor * pow(step // divisor, -1, period) % period
            for units in range(first, top + 1, period):
                table[units] = _amount(case, plan_pay, units, bonus)
    return table
