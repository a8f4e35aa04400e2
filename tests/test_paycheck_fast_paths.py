"""The solver's shortcuts equal the per-paycheck simulation (hypothesis).

The solver never simulates a candidate paycheck by paycheck: it adds up per-period sums (`_planned`), takes
the excess off the end of the year for a self-stopping payroll (`_truncated`), and fits elections to a budget
(`_regular_fit`, `_bonus_fit`). These tests check each one against `_simulate` (or a plain scan), which is
the rule the table and the brute force use.
"""

from __future__ import annotations

import pytest
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_properties import GENEROUS, slow_class_cases, small_cases

from megabackdoor.errors import InputError
from megabackdoor.paycheck import (
    _amount,
    _base_additions,
    _bonus_fit,
    _bonus_sum,
    _make_case,
    _phase1_exhaustive,
    _planned,
    _planned_after_tax,
    _regular_fit,
    _simulate,
    _truncated,
)

FAST = settings(max_examples=scaled(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases_and_elections(draw):
    """A small case, sometimes widened to the full 0.1% grid, and one election of each kind in it."""
    first, frequency, pay, age, options = draw(small_cases())
    if options["granularity"] != "dollars" and draw(st.booleans()):
        options = {**options, "granularity": "0.1%", "max_election": 1.0}
    case = _make_case(first, frequency, pay, age, options)
    x = draw(st.integers(0, case.x_max))
    y = draw(st.integers(0, case.y_max))
    a = draw(st.integers(0, case.max_units - x))
    ya = draw(st.integers(0, case.bonus_max_units - y))
    return case, x, y, a, ya


@FAST
@given(cases_and_elections())
def test_per_period_sums_equal_the_simulation_when_nothing_is_cut(drawn):
    case, x, y, a, ya = drawn
    deferrals, match = _planned(case, x, y)
    result = _simulate(case, x, y, 0, 0)
    if deferrals <= case.stop or not case.stops_402g:
        assert (result.deferrals, result.match) == (deferrals, match)
    assert _base_additions(case, result.deferrals, result.match) == result.base_additions
    planned_after_tax = _planned_after_tax(case, a, ya, x)
    after_tax = _simulate(case, x, y, a, ya).after_tax
    if case.stops_415c:
        assert after_tax <= planned_after_tax     # a payroll cut at 415(c) only takes money off
    else:
        assert after_tax == planned_after_tax


@FAST
@given(cases_and_elections())
def test_the_stop_taken_off_the_end_equals_the_simulation(drawn):
    case, x, y, _, _ = drawn
    if not (case.stops_402g and case.stop == case.room and case.room >= 0):
        return
    if _planned(case, x, y)[0] <= case.room:
        return
    result = _simulate(case, x, y, 0, 0)
    assert result.deferrals == case.room
    assert _truncated(case, x, y) == result.match


@FAST
@given(cases_and_elections(), st.integers(-10**6, 10**8))
def test_fits_are_the_largest_election_within_the_budget(drawn, budget):
    case, x, y, _, _ = drawn
    regular = [units for units in range(case.x_max + 1)
               if case.n_regular * _amount(case, case.pay, units, False) <= budget]
    assert _regular_fit(case, budget, case.x_max) == (max(regular) if regular else None)
    if case.bonus_events:
        low = min(y, case.y_max)
        bonus = [units for units in range(low, case.y_max + 1) if _bonus_sum(case, units) <= budget]
        assert _bonus_fit(case, budget, low, case.y_max) == (max(bonus) if bonus else low - 1)


def _simulated_exhaustive(case):
    """Every deferral election simulated paycheck by paycheck with no after-tax money: the search
    `_phase1_exhaustive` does on the year's totals (best (match, deferrals); per bonus election the smallest
    regular election reaching it, when smaller than every earlier one)."""
    separate = case.separate and bool(case.bonus_events)
    best, members = None, []
    for value, x, y in _feasible_deferral_elections(case, range(case.y_max + 1) if separate else (0,)):
        if best is None or value > best:
            best, members = value, [(x, y)]
        elif value == best and all(not (mx <= x and my <= y) for mx, my in members):
            members.append((x, y))
    return best, members


def _feasible_deferral_elections(case, bonus_elections):
    """((match, deferrals), x, y) of every deferral election (x, y) with no after-tax money that the simulation
    finds feasible, bonus election by bonus election: the ground truth the searches' tests compare with."""
    for y in bonus_elections:
        for x in range(case.x_max + 1):
            result = _simulate(case, x, y, 0, 0)
            if result.feasible:
                yield (result.match, result.deferrals), x, y


@st.composite
def cases_where_415c_can_bind(draw):
    """Small cases widened to 100% elections and generous matches, so deferrals and match alone often pass
    §415(c) (the fallback search's case): low pay, catch-up ages, matches of 50-100% of pay."""
    first, frequency, pay, age, options = draw(small_cases())
    options = {**options, "match": draw(st.sampled_from([[(1.0, 0.5)], [(1.0, 1.0)], [(2.0, 0.1)], [(1.0, 0.06)]]))}
    if options["granularity"] == "dollars":
        pay = draw(st.sampled_from([150.0, 240.0]))
    else:
        pay = draw(st.sampled_from([900.0, 1500.0, 2000.0, 4321.09]))
        if not options["separate_bonus_election"]:
            options["max_election"] = 1.0
    age = draw(st.sampled_from([35, 52, 61]))
    return _make_case(first, frequency, pay, age, options)


@FAST
@given(cases_where_415c_can_bind())
def test_the_fallback_search_equals_simulating_every_election(case):
    expected = _simulated_exhaustive(case)
    if expected[0] is None:
        with pytest.raises(InputError):
            _phase1_exhaustive(case)
    else:
        best, members, rows = _phase1_exhaustive(case)
        # The members (the smallest elections reaching the best), some handed over lazily by rising x.
        assert (best, sorted([*rows, *members])) == (expected[0], sorted(expected[1]))


@st.composite
def generous_cases_and_elections(draw):
    """The slow classes' cases (generous matches, non-whole-cent rates, bonuses), sometimes on the full 0.1%
    grid, and one deferral election of each kind."""
    if draw(st.booleans()):
        first, frequency, pay, age, options = draw(slow_class_cases())
    else:
        first, frequency, pay, age, options = draw(small_cases())
        options = {**options, "match": draw(st.sampled_from(GENEROUS))}
    if options["granularity"] != "dollars" and draw(st.booleans()):
        options = {**options, "granularity": "0.1%", "max_election": 1.0}
    case = _make_case(first, frequency, pay, age, options)
    return case, draw(st.integers(0, case.x_max)), draw(st.integers(0, case.y_max))


@FAST
@given(generous_cases_and_elections())
def test_the_ceiling_bounds_every_legal_candidates_match(drawn):
    """The solver stops searching once a candidate pays (ceiling, room): no election may pay more."""
    case, x, y = drawn
    result = _simulate(case, x, y, 0, 0)
    if not result.excess_deferral:
        assert result.match <= case.ceiling <= case.match_full


@FAST
@given(generous_cases_and_elections())
def test_the_stop_bound_bounds_the_match_after_the_stop(drawn):
    """Past the room a larger election stops the payroll no later; the solver ends a column once the bound
    at the stop falls below the best. The bound must hold for the exact match after the stop."""
    case, x, y = drawn
    if not (case.stops_402g and case.stop == case.room and case.room >= 0) or _planned(case, x, y)[0] <= case.room:
        return
    match = _truncated(case, x, y)
    assert match == _simulate(case, x, y, 0, 0).match
    # With need=match, _truncated answers -1 when the bound at the stop is below the exact match.
    assert _truncated(case, x, y, need=match) == match


def test_pay_below_a_cent_per_check_gives_no_election_not_a_crash():
    # Found by the real-browser tier's extremes sweep: with pay of 1e-308 a check carries no plan pay, so the
    # self-stopping payroll's bisection had no stop to index. Nothing can be deferred or matched: 0 elections.
    from megabackdoor.excel import registry

    for pay in (1e-308, 1e-6):
        assert registry.evaluate("DEFERRAL_ELECTION", "2026-01-02", "biweekly", pay, 35, [[0.5, 0.06]]) == 0.0
        assert registry.evaluate("AFTER_TAX_ELECTION", "2026-01-02", "biweekly", pay, 35, [[0.5, 0.06]]) == 0.0
