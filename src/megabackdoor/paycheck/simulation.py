"""The year's paychecks for given elections, one by one (:func:`_simulate`, the rule the table and the brute
force use), the same totals from per-period sums when no payroll stop cuts anything (:func:`_planned`), and
the largest elections whose planned sums fit a budget (:func:`_regular_fit`, :func:`_bonus_fit`)."""

from __future__ import annotations

import bisect
import math

from ..match import pay_edges
from .bounds import _match_raw
from .case import _REGULAR, Paycheck, _amount, _amounts, _annual_match, _Case, _match_cents, _match_memo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _Result:
    __slots__ = ("match", "deferrals", "after_tax", "feasible", "catchup", "true_up", "additions",
                 "excess_deferral", "excess_additions", "base_additions", "rows")


def _simulation(case: _Case) -> tuple:
    """What :func:`_simulate` works out once per case (``case.simulation``): the events numbered, each with the
    slot of its amounts (0 regular, 1.. one per bonus plan pay, -1 no plan pay) and the memo of its match pay's
    match by deferral; all events, the ones with plan pay, and each bonus plan pay with its memo of amounts by
    election (:func:`_amount` and :func:`_match_cents` are functions of the case and their arguments alone)."""
    pays: list[float] = []
    events = []
    for number, (day, kind, gross, plan_pay, match_pay) in enumerate(case.events, 1):
        if plan_pay <= 0:
            slot = -1
        elif kind == _REGULAR:
            slot = 0
        else:
            if plan_pay not in pays:
                pays.append(plan_pay)
            slot = 1 + pays.index(plan_pay)
        memo = _match_memo(case, match_pay)      # (shared with the payroll stop's searches)
        events.append((number, day, kind, gross, plan_pay, match_pay, slot, memo))
    checks = tuple([event for event in events if event[6] >= 0])
    case.simulation = (tuple(events), checks, {}, tuple((pay, {}) for pay in pays))
    return case.simulation


def _simulate(case: _Case, deferral: int, bonus_deferral: int, after_tax: int, bonus_after_tax: int,
              rows: list | None = None) -> _Result:
    """Run the year's paychecks for elections in units (bonus_deferral / bonus_after_tax < 0: bonuses use the
    regular elections)."""
    limit_402g, top = case.limit_402g, case.limit_402g + case.catchup
    limit_415 = case.limit_415
    here = case.ytd_def
    person = case.other + case.ytd_def
    additions = case.ytd_regular + case.ytd_match + case.ytd_after_tax
    sum_m = sum_at = 0
    stops_402g, stops_415c = case.stops_402g, case.stops_415c
    all_events, checks, regular_memo, bonus_memos = case.simulation or _simulation(case)
    # One regular check's amounts, then each bonus plan pay's (slots 1..): a separate bonus election in bonus
    # units; else the regular elections on the bonus pay, or nothing (whole-dollar elections).
    regular_d = regular_memo.get(deferral)
    if regular_d is None:
        regular_d = regular_memo[deferral] = _amount(case, case.pay, deferral, False)
    regular_at = regular_memo.get(after_tax)
    if regular_at is None:
        regular_at = regular_memo[after_tax] = _amount(case, case.pay, after_tax, False)
    amounts_d, amounts_at = [regular_d], [regular_at]
    if bonus_memos:
        units_d, bonus = _bonus_units(case, deferral, bonus_deferral)
        units_at, _ = _bonus_units(case, after_tax, bonus_after_tax)
        for plan_pay, memo in bonus_memos:
            amount = memo.get(units_d)
            if amount is None:
                amount = memo[units_d] = _amount(case, plan_pay, units_d, bonus)
            amounts_d.append(amount)
            amount = memo.get(units_at)
            if amount is None:
                amount = memo[units_at] = _amount(case, plan_pay, units_at, bonus)
            amounts_at.append(amount)
    for number, day, kind, gross, plan_pay, match_pay, slot, match_memo in (checks if rows is None else all_events):
        d = m = at = reg = 0
        if slot >= 0:
            d, at = amounts_d[slot], amounts_at[slot]
            if stops_402g and here + d > top:
                d = top - here if top > here else 0
            here += d
            before = person
            person += d
            # min(person, limit_402g) - min(before, limit_402g), without the calls
            reg = ((person if person < limit_402g else limit_402g)
                   - (before if before < limit_402g else limit_402g))
            if d:
                m = match_memo.get(d, -1)
                if m < 0:
                    m = match_memo[d] = _match_cents(case, d, match_pay)
            additions += reg + m
            if stops_415c and additions + at > limit_415:
                at = limit_415 - additions if limit_415 > additions else 0
            additions += at
            sum_m += m
            sum_at += at
        if rows is not None:
            over = person - top      # (max(0, over) - max(0, over - d), and max(0, -over) below, without the calls)
            excess = (over if over > 0 else 0) - (over - d if over - d > 0 else 0)
            rows.append(Paycheck(number, day, "regular" if kind == _REGULAR else "bonus", gross, plan_pay,
                                 d / 100, (d - reg - excess) / 100, excess / 100, m / 100, at / 100,
                                 here / 100, (case.ytd_match + sum_m) / 100,
                                 (case.ytd_after_tax + sum_at) / 100, additions / 100,
                                 (-over if over < 0 else 0) / 100, (limit_415 - additions) / 100))
    # The year's deferrals and regular (non-catch-up) deferrals are what the running totals rose by.
    sum_d = here - case.ytd_def
    start = case.other + case.ytd_def
    sum_reg = ((person if person < limit_402g else limit_402g) - (start if start < limit_402g else limit_402g))
    result = _Result()
    true_up = 0
    if case.true_up and case.tiers:
        true_up = max(0, _annual_match(case, case.ytd_def + sum_d) - case.ytd_match - sum_m)
    base = case.ytd_regular + sum_reg + case.ytd_match + sum_m + true_up
    catchup_used = min(max(0, person - limit_402g), case.catchup)
    over = base - limit_415
    if over > 0:
        # Deferrals that with the employer money alone break §415(c) are catch-ups too (§1.414(v)-1(b)).
        shift = min(case.catchup - catchup_used, over, case.ytd_regular + sum_reg)
        if shift > 0:
            base -= shift
            catchup_used += shift
    total = base + case.ytd_after_tax + sum_at
    result.match = sum_m + true_up
    result.true_up = true_up
    result.deferrals = sum_d
    result.after_tax = sum_at
    result.catchup = catchup_used
    result.base_additions = base
    result.additions = total
    result.excess_deferral = max(0, person - top)
    result.excess_additions = max(0, total - limit_415)
    result.feasible = not result.excess_deferral and not result.excess_additions
    result.rows = rows
    return result


def _base_additions(case: _Case, deferrals: int, match: int) -> int:
    """§415(c) additions at this employer before after-tax money, for scheduled deferrals and match (cents)."""
    start = case.other + case.ytd_def
    end = start + deferrals
    regular = min(end, case.limit_402g) - min(start, case.limit_402g)
    base = case.ytd_regular + regular + case.ytd_match + match
    over = base - case.limit_415
    if over > 0:
        used = min(max(0, end - case.limit_402g), case.catchup)
        shift = min(case.catchup - used, over, case.ytd_regular + regular)
        if shift > 0:
            base -= shift
    return base


def _bonus_units(case: _Case, deferral: int, bonus_deferral: int) -> tuple[int, bool]:
    """The election that applies to bonus checks, and whether it is in bonus units."""
    if case.separate:
        return bonus_deferral, True
    return (0, False) if case.dollars else (deferral, False)


def _planned_raw(case: _Case, deferral: int, bonus_deferral: int) -> tuple[int, int]:
    """(deferrals, per-paycheck match) in cents when no payroll stop cuts anything."""
    # Likewise the regular checks' part depends on the regular election only: the search asks for the same
    # elections in column after column (its fits and bisections), so it is worked out once per election.
    regular = case.regular_parts.get(deferral)
    if regular is None:
        per_check = _amount(case, case.pay, deferral, False)
        match = 0
        if case.tiers:
            for match_pay, count in case.regular_groups:
                match += count * _match_cents(case, per_check, match_pay)
        regular = case.regular_parts[deferral] = (case.n_regular * per_check, match)
    deferrals, match = regular
    units, bonus = _bonus_units(case, deferral, bonus_deferral)
    # The bonus checks' part depends on their election only: a search asks for it once per bonus election
    # (and once per pay and match pay: checks alike are worked out once).
    part = case.bonus_parts.get((units, bonus))
    if part is None and bonus and case.bonus_sums is not None and 0 <= units < len(case.bonus_sums):
        # Once the bonus tables are built (see _bonus_sum), from them: the deferrals are their sum, and each
        # check's match is read off its tier lines at its table's deferral (no float products per check).
        part = case.bonus_parts[(units, True)] = (case.bonus_sums[units], _bonus_match(case, units))
    if part is None:
        bonus_deferrals = bonus_match = 0
        for (plan_pay, match_pay), count in case.bonus_groups:
            amount = _amount(case, plan_pay, units, bonus)
            bonus_deferrals += count * amount
            if case.tiers:
                bonus_match += count * _match_cents(case, amount, match_pay)
        part = case.bonus_parts[(units, bonus)] = (bonus_deferrals, bonus_match)
    return deferrals + part[0], match + part[1]


def _tier_lines(case: _Case, match_pay: float) -> list[tuple[float, float, float, float]]:
    """A check's unrounded match (cents) as lines: (from, to, value at from, slope) per stretch between its
    tier edges (deferrals in cents; the last stretch runs on without end)."""
    if match_pay <= 0:
        return [(0.0, math.inf, 0.0, 0.0)]
    known = case.bands.get((match_pay, "lines"))      # (worked out once per match pay, beside its edges)
    if known is not None:
        return known
    edges = case.bands.get(match_pay)
    if edges is None:
        edges = case.bands[match_pay] = pay_edges(match_pay, case.tiers)
    points = sorted({0.0, *(100 * value for _, start, end in edges for value in (start, end) if value > 0)})
    lines = []
    for start, end in zip(points, [*points[1:], math.inf], strict=True):
        value = _match_raw(case, start, match_pay)
        high = end if end < math.inf else start + 100.0
        lines.append((start, end, value, (_match_raw(case, high, match_pay) - value) / (high - start)))
    case.bands[match_pay, "lines"] = lines
    return lines


def _line_cents(case: _Case, lines: list[tuple[float, float, float, float]], deferral: int, match_pay: float) -> int:
    """:func:`megabackdoor.paycheck.case._match_cents` of a check from its tier lines (:func:`_tier_lines`): the
    unrounded match on the line holding the deferral, rounded half up; within a thousandth of a cent of a half
    (where the floats of either way could differ) the formula itself."""
    if deferral <= 0 or match_pay <= 0:
        return 0
    for start, end, value, slope in lines:
        if deferral <= end:
            value += slope * (deferral - start)
            whole = math.floor(value)
            if abs(value - whole - 0.5) < 1e-3:
                break
            return whole + (value - whole > 0.5)
    return _match_cents(case, deferral, match_pay)


def _bonus_match(case: _Case, units: int) -> int:
    """The bonus checks' per-paycheck match (cents) at a separate bonus election of ``units``, from the bonus
    tables (:func:`_bonus_table`) and each match pay's tier lines (:func:`_line_cents`): the same cents as
    :func:`_match_cents` on :func:`_amount`, check by check. Needs the tables (``case.bonus_sums``)."""
    checks = case.bands.get("bonus match checks")
    if checks is None:
        tables = _bonus_tables(case)
        checks = case.bands["bonus match checks"] = [
            (count, _bonus_table(case, plan_pay, tables), _tier_lines(case, match_pay), match_pay)
            for (plan_pay, match_pay), count in case.bonus_groups if match_pay > 0 and case.tiers]
    total = 0
    for count, table, lines, match_pay in checks:
        total += count * _line_cents(case, lines, table[units], match_pay)
    return total


def _planned(case: _Case, deferral: int, bonus_deferral: int) -> tuple[int, int]:
    """(deferrals, match with any true-up) in cents when no payroll stop cuts anything."""
    deferrals, match = _planned_raw(case, deferral, bonus_deferral)
    if case.true_up and case.tiers:
        match = max(match, _annual_match(case, case.ytd_def + deferrals) - case.ytd_match)
    return deferrals, match


def _planned_after_tax(case: _Case, after_tax: int, bonus_after_tax: int, deferral: int) -> int:
    total = case.n_regular * _amount(case, case.pay, after_tax, False)
    units, bonus = _bonus_units(case, after_tax, bonus_after_tax)
    for event in case.bonus_events:
        total += _amount(case, event[3], units, bonus)
    return total



def _bonus_sum(case: _Case, units: int) -> int:
    """The bonus checks' contributions in cents at a separate bonus election of ``units``. A search that asks
    for many elections gets a table of all of them (``case.bonus_sums``)."""
    table = case.bonus_sums
    if table is not None and 0 <= units < len(table):
        return table[units]
    case.bonus_sum_calls += 1
    # Rent, then buy: the table (integer arithmetic, see _amounts) costs about as much as one call per 16
    # elections, so it is built once the calls so far cost that (a search that asks for more pays at most
    # twice what it would have anyway). The regular checks' table comes with it: the same searches fit them.
    if case.bonus_sum_calls == (case.bonus_max_units + 1) // 16 + 1:
        _build_tables(case)
        if 0 <= units < len(case.bonus_sums):
            return case.bonus_sums[units]
    return sum(_amount(case, event[3], units, True) for event in case.bonus_events)


def _bonus_tables(case: _Case) -> dict[float, list[int]]:
    """The tables of :func:`_bonus_table` worked out so far for this case (kept beside the tier edges and lines
    in ``case.bands``: _build_tables, and the fallback's part one and flat boxes, ask for the same bonuses' tables)."""
    return case.bands.setdefault("bonus tables", {})


def _bonus_table(case: _Case, plan_pay: float, tables: dict[float, list[int]]) -> list[int]:
    """What a bonus check of ``plan_pay`` defers at every separate bonus election (remembered in ``tables``)."""
    table = tables.get(plan_pay)
    if table is None:
        table = tables[plan_pay] = _amounts(case, plan_pay, case.bonus_max_units, True)
    return table


def _build_tables(case: _Case) -> None:
    """``case.bonus_sums``: the bonus checks' contributions at every separate bonus election (checks of the
    same pay worked out once); ``case.regular_amounts``: one regular check's at every regular election (percent
    elections; whole dollars need no table)."""
    top = case.bonus_max_units
    counts: dict[float, int] = {}
    for event in case.bonus_events:
        counts[event[3]] = counts.get(event[3], 0) + 1
    # Each pay's table times its count of checks, then summed element-wise in C (a weighted sum per election in
    # a generator cost ~1 ms for 1,001 elections of 6-8 pays).
    known = _bonus_tables(case)
    tables = [_bonus_table(case, plan_pay, known) for plan_pay in counts]
    tables = [table if weight == 1 else [weight * amount for amount in table]
              for table, weight in zip(tables, counts.values(), strict=True)]
    case.bonus_sums = list(map(sum, zip(*tables, strict=True))) if tables else [0] * (top + 1)
    if not case.dollars and case.regular_amounts is None:
        case.regular_amounts = _amounts(case, case.pay, case.max_units, False)


def _largest(predicate: Any, low: int, high: int) -> int | None:
    """The largest n in [low, high] with predicate(n) true, for a predicate true then false (None if none)."""
    if high < low or not predicate(low):
        return None
    while low < high:
        middle = (low + high + 1) // 2
        if predicate(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _largest_near(predicate: Any, low: int, high: int, guess: int) -> int | None:
    """:func:`_largest` (the largest n in [low, high] with predicate(n) true, for a predicate true then false;
    None if none) searched out from ``guess`` in doubling steps, then halving: the same n (the predicate changes
    once), in 2 evaluations when the guess is the answer or one past it, where bisection takes ~11 (0.1% steps)."""
    if high < low:
        return None
    guess = min(max(guess, low), high)
    if predicate(guess):
        true, step = guess, 1
        while true + step <= high and predicate(true + step):
            true, step = true + step, 2 * step
        false = min(high + 1, true + step)
    else:
        false, step = guess, 1
        while guess - step >= low and not predicate(guess - step):
            false, step = guess - step, 2 * step
        if guess - step < low:
            return _largest(predicate, low, false - 1)
        true = guess - step
    while false - true > 1:      # predicate(true) holds, predicate(false) does not (or false = high + 1)
        middle = (true + false) // 2
        if predicate(middle):
            true = middle
        else:
            false = middle
    return true


def _regular_fit(case: _Case, budget: int, cap: int, count: int | None = None) -> int | None:
    """Largest regular election in [0, cap] whose paychecks (all the same pay; ``count`` of them, default all)
    total at most ``budget``."""
    if budget < 0:
        return None
    n, pay = case.n_regular if count is None else count, case.pay
    table = case.regular_amounts
    if table is not None and 0 <= cap < len(table):
        # n checks of a(x) fit the budget when a(x) <= budget // n (whole cents): bisect the rising table
        return bisect.bisect_right(table, budget // n, 0, cap + 1) - 1 if n else max(0, cap)

    def fits(units: int) -> bool:
        return n * _amount(case, pay, units, False) <= budget

    if case.dollars:
        guess = budget // (100 * n) if n else cap
    else:
        per_unit = pay * case.unit
        guess = int(budget / (100 * n * per_unit)) if n and per_unit > 0 else cap
    guess = max(0, min(cap, guess))
    while guess < cap and fits(guess + 1):
        guess += 1
    while guess > 0 and not fits(guess):
        guess -= 1
    return guess


def _bonus_fit(case: _Case, budget: int, low: int, high: int) -> int:
    """Largest separate bonus election in [low, high] whose bonus checks total at most ``budget`` (low - 1 if
    none). Each check rounds to the cent, so the straight-line guess is off by a step or two at most."""
    if case.bonus_sums is not None and 0 <= low and high < len(case.bonus_sums):
        # The table of every election's bonus checks (see _bonus_sum) only rises: bisect it.
        return bisect.bisect_right(case.bonus_sums, budget, low, high + 1) - 1
    per_unit = sum(event[3] for event in case.bonus_events) * case.bonus_unit * 100
    guess = int(budget / per_unit) if per_unit > 0 else high
    guess = max(low - 1, min(high, guess))
    while guess < high and _bonus_sum(case, guess + 1) <= budget:
        guess += 1
    while guess >= low and _bonus_sum(case, guess) > budget:
        guess -= 1
    return guess
