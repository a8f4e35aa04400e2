"""The generated plans (bench/paycheck_plans.py) that were slow, by class, and the shortcuts that fixed
them checked against the brute force on small grids (hypothesis, derandomized).

Each regression case asserts the answer the solver gave before its shortcut (recorded on main), never a time.
"""

from __future__ import annotations

import datetime as dt

import pytest
from _brute import brute_force_elections
from _knobs import knobs
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_fast_paths import cases_and_elections, generous_cases_and_elections
from test_paycheck_properties import bonus_past_room_cases, slow_class_cases, small_cases

from megabackdoor.paycheck import (
    _amount,
    _make_case,
    _planned,
    _planned_after_tax,
    _regular_fit,
    _simulate,
    _truncated,
    solve_elections,
    solver,
)
from megabackdoor.paycheck.bounds import _after_tax_grain, _cap_bound, _column_bound, _row_bound
from megabackdoor.paycheck.case import _amounts
from megabackdoor.paycheck.simulation import _build_tables
from megabackdoor.paycheck.solver import _flat, _prepare
from megabackdoor.paycheck.stops import _column_max

BRUTE = settings(max_examples=scaled(20), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def flat_cases(draw):
    """A separate bonus election, the payroll stop and many rows of members, with a match that is the same for
    every candidate deferring the room: none at all, or a true-up whose formula on the room is the ceiling
    (100% of up to 50% or 100% of pay, 200% of pay, 100% of 6% of a large pay)."""
    first = dt.date(2026, draw(st.sampled_from([1, 1, 4])), draw(st.sampled_from([1, 15, 28])))
    match = draw(st.sampled_from([None, [(1.0, 1.0)], [(1.0, 0.5)], [(2.0, 1.0)], [(1.0, 0.06)]]))
    options = {"match": match, "true_up": match is not None or draw(st.booleans()), "granularity": "0.5%",
               "max_election": 0.08, "separate_bonus_election": True, "stops_at_402g": True,
               "stops_at_415c": draw(st.booleans()), "after_tax_cap": draw(st.sampled_from([None, 0.05, 0.08]))}
    months = draw(st.lists(st.integers(first.month, 12), min_size=1, max_size=3))
    options["bonuses"] = [(dt.date(2026, month, 28), draw(st.sampled_from([8000.0, 50000.0, 30876.43])),
                           draw(st.sampled_from([True, True, False]))) for month in months]
    pay = draw(st.sampled_from([31250.0, 45000.0, 52345.67]))
    return first, draw(st.sampled_from(["monthly", "semimonthly"])), pay, draw(st.sampled_from([35, 61])), options


@BRUTE
@given(flat_cases())
def test_solver_equals_brute_force_when_the_match_is_flat_at_the_room(drawn):
    first, frequency, pay, age, options = drawn
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    assert _flat(case)      # by construction: the class the shortcut in _row_member serves
    assert solve_elections(*drawn[:4], **options) == brute_force_elections(*drawn[:4], **options)


@BRUTE
@given(st.one_of(slow_class_cases(), small_cases()))
def test_solver_equals_brute_force_with_the_column_max_on_every_column(drawn):
    """The best-first column search (_column_max) runs only on columns of more than 1,000 elections (with a best
    so far, once 64 candidates were offered), too long to brute-force: force it onto every column and compare."""
    first, frequency, pay, age, options = drawn
    with knobs(solver, _LONG_COLUMN=0, _OFFERS=1):      # first, or after the first candidate offered
        solved = solve_elections(first, frequency, pay, age, **options)
    assert solved == brute_force_elections(first, frequency, pay, age, **options)


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(generous_cases_and_elections(), st.data())
def test_column_max_is_the_largest_stopped_match(drawn, data):
    case, x, y = drawn
    _prepare(case)
    if not (case.stops_402g and case.stop == case.room and case.room >= 0):
        return
    if not (case.separate or case.dollars or not case.bonus_events):
        return      # (bonus checks on the regular election: no column bound, the search does not use it)
    y = y if case.separate and case.bonus_events else -1
    stopped = [units for units in range(x, case.x_max + 1) if _planned(case, units, max(y, 0))[0] > case.room]
    if not stopped:
        return
    last = data.draw(st.integers(stopped[0], case.x_max))
    expected = max(_truncated(case, units, max(y, 0)) for units in range(stopped[0], last + 1))
    assert _column_max(case, max(y, 0), stopped[0], last) == expected
    # Given a match to reach (the best so far), the column's most when it does, something less when not.
    at_least = data.draw(st.integers(max(0, expected - 3), expected + 3))
    found = _column_max(case, max(y, 0), stopped[0], last, at_least)
    assert found == expected if expected >= at_least else found < at_least


@settings(max_examples=scaled(200), deadline=None, derandomize=True)
@given(st.one_of(st.integers(0, 10**7), st.integers(0, 10**11), st.integers(0, 10**4).map(lambda n: n * 500)),
       st.sampled_from(["0.1%", "0.5%", "1%", "dollars"]), st.booleans())
def test_amount_tables_equal_the_per_check_rounding(pay_cents, granularity, bonus):
    """_amounts (integer arithmetic) gives _amount's cents at every election, on pays of any cents, on pays
    whose step is an exact half cent (multiples of $5), and on checks too large for the integer path."""
    case = _make_case("2026-01-02", "biweekly", 5000, 35, {"granularity": granularity})
    pay = pay_cents / 100
    top = 1000 if granularity != "dollars" or bonus else 2500
    assert _amounts(case, pay, top, bonus) == [_amount(case, pay, units, bonus) for units in range(top + 1)]


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(generous_cases_and_elections())
def test_the_tables_equal_the_sums_they_replace(drawn):
    case, _, _ = drawn
    _build_tables(case)
    assert case.bonus_sums == [sum(_amount(case, event[3], units, True) for event in case.bonus_events)
                               for units in range(case.bonus_max_units + 1)]
    if not case.dollars:
        assert case.regular_amounts == [_amount(case, case.pay, units, False) for units in range(case.x_max + 1)]
    for budget in (-1, 0, 12345, case.room, 10**9):
        for cap in (0, case.x_max // 2, case.x_max):
            fits = [x for x in range(cap + 1) if case.n_regular * _amount(case, case.pay, x, False) <= budget]
            assert _regular_fit(case, budget, cap) == (max(fits) if fits else None)


@settings(max_examples=scaled(150), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(generous_cases_and_elections(), cases_and_elections().map(lambda drawn: drawn[:3])), st.data())
def test_every_after_tax_total_is_a_multiple_of_the_after_tax_grain(drawn, data):
    """The after-tax search stops at room415 less its remainder modulo this grain: no total can be above it."""
    case, x, y = drawn
    a = data.draw(st.integers(0, case.max_units))
    ya = data.draw(st.integers(0, case.bonus_max_units))
    grain = _after_tax_grain(case)
    assert _planned_after_tax(case, a, ya, x) % grain == 0
    assert _simulate(case, x, y, a, ya).after_tax % grain == 0 or case.stops_415c


@settings(max_examples=scaled(80), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(slow_class_cases(), st.data())
def test_the_column_bound_covers_every_stopped_match_in_its_column(case_args, data):
    """A column (one separate bonus election) is dropped, or cut to the elections below the smallest member's,
    on this bound: it must hold for the exact stopped match of every regular election the stop cuts there."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    if not (case.separate and case.bonus_events and case.stops_402g and case.stop == case.room >= 0):
        return
    y = data.draw(st.integers(0, case.y_max))
    bound = _column_bound(case, y)
    for x in range(case.x_max + 1):
        if _planned(case, x, y)[0] > case.room:
            assert _truncated(case, x, y) <= bound


@st.composite
def bonus_cut_cases(draw):
    """Small regular pay, deferrals so far leaving little room and an early large bonus: the stop
    cuts the bonus check, and the regular checks before it cannot take what is left (the bound's cut check)."""
    options = {"match": draw(st.sampled_from([[(2.0, 0.05), (1.0, 0.5)], [(1.0, 0.06)], [(1.5, 0.2), (0.25, 1.0)]])),
               "true_up": draw(st.booleans()), "granularity": "0.5%", "max_election": 0.08,
               "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
               "ytd_compensation": 60000.0, "ytd_deferrals": draw(st.sampled_from([22000.0, 23000.0])),
               "bonuses": [(dt.date(2026, draw(st.integers(4, 6)), 28), draw(st.sampled_from([50000.0, 30876.43])))]}
    pay = draw(st.sampled_from([900.0, 1530.67, 4321.09]))
    return dt.date(2026, 4, 1), draw(st.sampled_from(["monthly", "semimonthly"])), pay, 35, options


@BRUTE
@given(bonus_cut_cases())
def test_solver_equals_brute_force_when_the_stop_cuts_an_early_bonus(drawn):
    """These cases reach the column shortcuts: runs of columns bounded at once, and (with a true-up) columns whose
    bound is the true-up's floor, where only the first candidate at the room is offered."""
    first, frequency, pay, age, options = drawn
    assert solve_elections(first, frequency, pay, age, **options) == brute_force_elections(
        first, frequency, pay, age, **options)


# Cases (found by a seeded search) whose answer column is one where only the first candidate at the room is
# offered (a true-up whose floor is the column's bound): offering any other x there changes the answer.
TRUE_UP_FLOOR_COLUMNS = [
    (dt.date(2026, 4, 1), "monthly", 900.0, 35,
     {"match": [(1.5, 0.2), (0.25, 1.0)], "true_up": True, "granularity": "0.5%", "max_election": 0.08,
      "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False, "ytd_compensation": 60000.0,
      "ytd_deferrals": 22000.0, "bonuses": [(dt.date(2026, 6, 28), 30876.43)]}),
    (dt.date(2026, 1, 28), "monthly", 45000.0, 35,
     {"match": [(1.5, 0.2), (0.25, 1.0)], "true_up": True, "stops_at_402g": True, "stops_at_415c": False,
      "granularity": "0.5%", "max_election": 0.08, "separate_bonus_election": True,
      "bonuses": [(dt.date(2026, 1, 28), 8000.0, True)]}),
]


@pytest.mark.parametrize("drawn", TRUE_UP_FLOOR_COLUMNS, ids=["cut early bonus", "january bonus"])
def test_solver_equals_brute_force_where_a_column_is_paid_the_true_up_floor(drawn):
    first, frequency, pay, age, options = drawn
    assert solve_elections(first, frequency, pay, age, **options) == brute_force_elections(
        first, frequency, pay, age, **options)


@settings(max_examples=scaled(80), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(slow_class_cases(), bonus_past_room_cases(), bonus_cut_cases()), st.data())
def test_the_column_bound_over_a_run_covers_every_election_in_it(case_args, data):
    """A run of columns (bonus elections y1..y2) is skipped on this bound, before their candidates within the
    room are offered: it must hold for the match (a true-up included) of every legal election in every column
    of the run, stopped or not (and so must each column's own bound, on every column), and be the single
    column's bound when the run is one column."""
    _check_column_bounds(case_args, data)


def _check_column_bounds(case_args, data):
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    if not (case.separate and case.bonus_events and case.stops_402g and case.stop == case.room >= 0):
        return
    y1 = data.draw(st.integers(0, case.y_max))
    y2 = data.draw(st.integers(y1, case.y_max))
    bound = _column_bound(case, y1, y2)
    assert _column_bound(case, y1, y1) == _column_bound(case, y1)
    for y in range(case.y_max + 1):
        column = _column_bound(case, y)
        for x in range(case.x_max + 1):
            result = _simulate(case, x, y, 0, 0)
            if not result.excess_deferral:
                assert result.match <= column
                assert y < y1 or y > y2 or result.match <= bound


@st.composite
def edge_fraction_cases(draw):
    """Capped plan 21's class: a large pay whose 5% edge (200% of up to 5%, then 100%) falls on a fraction of
    a cent, elections on a grid whose deferrals are whole cents but not whole steps, the payroll stop and the
    pay limit. Above the edge every check's match has the same fraction of a cent (0.75 with 43,913.95: it
    rounds up by 0.25, not half a cent; 0.35 with 52,345.67: it rounds down), which the column bound counts."""
    options = {"match": [(2.0, 0.05), (1.0, 0.5)], "granularity": "0.5%", "max_election": 0.08,
               "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
               "true_up": draw(st.sampled_from([False, False, True])),
               "bonuses": [(dt.date(2026, draw(st.integers(1, 6)), draw(st.sampled_from([2, 14, 25]))),
                            draw(st.sampled_from([665.5, 4449.59, 5525.09, 30876.43])))
                           for _ in range(draw(st.integers(1, 3)))]}
    pay = draw(st.sampled_from([43913.95, 31250.15, 52345.67, 45000.05]))
    first = dt.date(2026, 1, draw(st.sampled_from([2, 15])))
    return first, draw(st.sampled_from(["monthly", "semimonthly", "biweekly"])), pay, 35, options


@settings(max_examples=scaled(20), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(edge_fraction_cases(), st.data())
def test_the_column_bound_counts_the_rounding_each_check_can_get(case_args, data):
    """The column bound counts, per check, only what rounding can add at the deferrals it can get (a stretch of
    the formula above a tier edge on a fraction of a cent rounds every whole-cent deferral alike): it must still
    hold for every legal election of every column, and over a run of columns."""
    _check_column_bounds(case_args, data)


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(slow_class_cases(), small_cases()))
def test_the_ceiling_bounds_the_match_of_every_election(case_args):
    """The ceiling counts half a cent for a check only when its match can round up at the deferrals it can get:
    a multiple of its own step, or for the one check a payroll stop cuts, of the case's grain. Once the best
    reaches it at the room the search is settled, so every legal election on the grid must stay within it."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    separate = case.separate and bool(case.bonus_events)
    for y in range(case.y_max + 1) if separate else (0,):
        for x in range(case.x_max + 1):
            result = _simulate(case, x, y, 0, 0)
            if not result.excess_deferral:
                assert result.match <= case.ceiling


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(slow_class_cases(), small_cases()))
def test_the_row_bound_covers_every_election_of_its_row(case_args):
    """A settled search skips a row (one regular election) whose bound is below the ceiling: the bound must hold
    for the per-check match (before any true-up) of every legal election in the row."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    separate = case.separate and bool(case.bonus_events)
    for x in range(case.x_max + 1):
        bound = _row_bound(case, x)
        for y in range(case.y_max + 1) if separate else (0,):
            result = _simulate(case, x, y, 0, 0)
            if not result.excess_deferral:
                assert result.match - result.true_up <= bound


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(slow_class_cases(), small_cases()))
def test_the_cap_bound_covers_every_election_up_to_its_row_and_rises(case_args):
    """A settled search skips every row (regular election) below the first whose cap bound reaches the ceiling:
    the bound must hold for the per-check match (before any true-up) of every legal election in its row, rise
    with x (so it holds for every smaller row too), and at the largest election be the ceiling's own bound."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    separate = case.separate and bool(case.bonus_events)
    previous = -1.0
    for x in range(case.x_max + 1):
        bound = _cap_bound(case, x)
        assert bound >= previous - 1e-6      # (float sums of the same pieces in another order)
        previous = bound
        for y in range(case.y_max + 1) if separate else (0,):
            result = _simulate(case, x, y, 0, 0)
            if not result.excess_deferral:
                assert result.match - result.true_up <= bound
    if case.tiers:
        assert abs(_cap_bound(case, case.max_units) - (case.match_bound + case.cap_pieces[2] + 1e-4 - 1e-6)) < 1e-6


def test_the_cap_bound_drops_the_rows_short_of_the_ceiling():
    """Plan 43 (whole dollars, 150% of up to 20% of pay): the ceiling is 150% of the whole room, and below $2,250
    a check the six regular checks and the two bonuses at their 20% cannot defer the room at 150%, so no bonus
    election gives those rows the ceiling; from $2,250 up they can (its member is $2,250 with a 20% bonus)."""
    name, args, options, _ = next(case for case in FIXED if case[0] == "plan 43")
    case = _make_case(*args, options)
    assert case.ceiling == 3675000
    assert _cap_bound(case, 2249) < case.ceiling <= _cap_bound(case, 2250)


# Generated plans fixed by a shortcut: (name, args, options, (deferral, bonus deferral, after-tax, bonus after-tax
# elections, match, deferrals, after-tax)) as main solved them before it.
FIXED = [
    # Flat match (a true-up whose formula on the room is the ceiling): 385 rows of members, each worked out
    # with the stop's match (22 ms).
    ("plan 722", ("2026-07-01", "weekly", 2585.95, 60),
     {"granularity": "0.1%", "match": [(1.0, 0.06)], "true_up": True, "separate_bonus_election": True,
      "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.75,
      "bonuses": [("2026-10-08", 78295.6), ("2026-09-07", 5000.0), ("2026-08-08", 5000.0), ("2026-11-28", 5000.0)],
      "ytd_compensation": 27328.91, "ytd_deferrals": 0.0, "ytd_match": 0.0, "ytd_after_tax": 0.0},
     (0.0, 0.384, 0.367, 0.112, 11426.71, 35750.0, 36073.19)),
    # Flat match (no match at all), twelve bonuses (14 ms).
    ("plan 449", ("2026-08-01", "weekly", 900.0, 63),
     {"granularity": "0.1%", "match": None, "true_up": False, "separate_bonus_election": True,
      "stops_at_402g": True, "stops_at_415c": True,
      "bonuses": [("2026-10-25", 20000.0), ("2026-12-04", 8000.0), ("2026-11-28", 33441.0),
                  ("2026-10-28", 1000.0, False), ("2026-10-11", 1000.0, False), ("2026-10-21", 5000.0),
                  ("2026-11-26", 1000.0, False), ("2026-12-11", 1000.0, False), ("2026-10-09", 8000.0, False),
                  ("2026-10-24", 17596.71), ("2026-10-27", 5000.0), ("2026-12-25", 78129.37, False)]},
     (0.0, 0.402, 0.236, 0.481, 0.0, 35750.0, 47499.94)),
    # A long whole-dollar column whose stopped match rises with x all the way up: each better candidate was
    # offered in turn (1,800 of them, 33 ms) until the column's best came first with a best already found.
    ("plan 559", ("2026-11-01", "biweekly", 18024.55, 60),
     {"granularity": "dollars", "match": [(1.0, 0.5)], "true_up": False, "separate_bonus_election": False,
      "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.9, "ytd_compensation": 308080.31,
      "ytd_deferrals": 0.0, "ytd_match": 500.0, "ytd_after_tax": 0.0},
     (9013.0, None, 4208.0, None, 25959.86, 35750.0, 21040.0)),
    # The same with a separate bonus election and twelve bonuses (55 ms).
    ("plan 89", ("2026-02-15", "weekly", 37800.0, 30),
     {"granularity": "dollars", "match": [(1.0, 0.03), (0.5, 0.05)], "true_up": False,
      "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
      "bonuses": [("2026-04-11", 20000.0), ("2026-12-14", 50000.0), ("2026-09-12", 8000.0), ("2026-04-19", 50000.0),
                  ("2026-08-06", 8000.0), ("2026-03-29", 20000.0), ("2026-11-15", 1000.0, False),
                  ("2026-02-17", 5000.0), ("2026-03-03", 5000.0), ("2026-05-18", 8000.0, False),
                  ("2026-12-16", 20000.0), ("2026-04-28", 8000.0)],
      "ytd_compensation": 82663.18, "ytd_deferrals": 9000.0, "ytd_match": 3000.0, "ytd_after_tax": 0.0},
     (1890.0, 0.05, 431.0, 0.07, 11093.47, 15500.0, 33406.0)),
    # A flat match on a long dollar column: the column's best search went on after reaching the ceiling (0.1 s
    # once the column search ran with a best found; 0.5 ms before and after).
    ("plan 765", ("2026-01-30", "semimonthly", 17935.71, 70),
     {"granularity": "dollars", "match": [(1.0, 0.5)], "true_up": True, "separate_bonus_election": True,
      "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.75},
     (1414.0, 0.0, 652.0, 0.0, 32500.0, 32500.0, 14996.0)),
    # Many members and an after-tax room no total can fill (twelve $2.90 steps and $50 bonus steps: multiples
    # of 40 cents): every member was searched for a total of room415 (15 ms).
    ("plan 44", ("2026-01-31", "monthly", 2900.0, 70),
     {"granularity": "0.1%", "match": [(0.33, 0.07)], "true_up": False, "separate_bonus_election": True,
      "stops_at_402g": True, "stops_at_415c": False, "bonuses": [("2026-12-13", 50000.0)]},
     (0.072, 0.6, 0.846, 0.322, 1958.88, 32500.0, 45540.8)),
    # Every regular check's match is 1.5 x its deferral, half a cent up when that is odd: candidates differ by
    # rounding only, and every column was searched for them (190-270 ms). The column bound counts the rounding
    # of the regular checks before the cut only, and a column that can at most tie keeps the smaller x only.
    ("plan 245", ("2026-01-31", "biweekly", 2808.99, 45),
     {"granularity": "0.1%", "match": [(1.5, 0.2), (0.25, 1.0)], "true_up": True, "separate_bonus_election": True,
      "stops_at_402g": True, "stops_at_415c": False,
      "bonuses": [("2026-07-02", 5000.0, False), ("2026-02-13", 1000.0), ("2026-06-07", 5000.0),
                  ("2026-08-10", 5000.0), ("2026-05-11", 20000.0), ("2026-10-12", 5000.0), ("2026-05-29", 8000.0),
                  ("2026-10-05", 8552.99), ("2026-03-23", 5000.0), ("2026-10-07", 5000.0),
                  ("2026-02-04", 50000.0), ("2026-03-29", 50000.0, False)]},
     (0.03, 0.2, 0.091, 0.041, 36750.12, 24500.0, 10749.55)),
    # A settled whole-dollar search: 2,251 rows (regular elections) were searched one by one, and none below
    # $2,250 can hold a member (45 ms); the cap bound skips them all at once.
    ("plan 43", ("2026-07-28", "monthly", 29800.0, 45),
     {"granularity": "dollars", "match": [(1.5, 0.2), (0.25, 1.0)], "true_up": False,
      "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
      "bonuses": [("2026-09-05", 50000.0), ("2026-10-28", 5000.0)]},
     (2250.0, 0.2, 50.0, 0.19, 36750.0, 24500.0, 10750.0)),
    # Twelve bonuses at 0.1% steps whose checks pass the room at larger bonus elections: every one of ~900 columns
    # was bounded on its own after the best was found (40 ms); runs of them are now bounded at once.
    ("plan 272", ("2026-07-28", "biweekly", 2719.53, 45),
     {"granularity": "0.1%", "match": [(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)], "true_up": False,
      "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
      "bonuses": [("2026-12-26", 50000.0), ("2026-12-21", 50000.0), ("2026-11-17", 5000.0), ("2026-10-02", 5000.0),
                  ("2026-11-01", 59594.61), ("2026-09-19", 8000.0), ("2026-12-04", 20000.0), ("2026-10-25", 20000.0),
                  ("2026-12-18", 8000.0, False), ("2026-10-23", 50000.0), ("2026-08-13", 50000.0),
                  ("2026-12-22", 5000.0, False)]},
     (0.099, 0.067, 0.08, 0.1, 13129.6, 24500.0, 34370.18)),
    # The best (a true-up's floor) reached at the room with no regular deferral: every column's bound equals it,
    # so nothing can be offered, yet each of 1,001 columns was worked out (41 ms).
    ("plan 139", ("2026-09-01", "biweekly", 40800.0, 60),
     {"granularity": "0.1%", "match": [(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)], "true_up": True,
      "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
      "bonuses": [("2026-10-21", 78148.41), ("2026-09-15", 5000.0), ("2026-10-24", 50000.0), ("2026-10-17", 50000.0),
                  ("2026-12-17", 50000.0), ("2026-10-22", 20000.0), ("2026-11-18", 8000.0), ("2026-12-09", 50000.0),
                  ("2026-12-28", 5000.0), ("2026-10-20", 1000.0, False), ("2026-10-16", 54865.63),
                  ("2026-12-16", 8000.0, False)]},
     (0.0, 0.097, 0.046, 0.039, 16137.5, 35750.0, 31360.75)),
    ("plan 238", ("2026-01-09", "monthly", 1323.32, 70),
     {"granularity": "0.1%", "match": [(1.5, 0.2), (0.25, 1.0)], "true_up": False, "separate_bonus_election": True,
      "stops_at_402g": True, "stops_at_415c": True, "after_tax_cap": 0.5,
      "bonuses": [("2026-04-15", 43180.97), ("2026-08-27", 20000.0)]},
     (0.222, 0.459, 0.463, 0.194, 27890.26, 32500.0, 19609.51)),
]


@pytest.mark.parametrize(("name", "args", "options", "expected"), FIXED, ids=[case[0] for case in FIXED])
def test_fixed_generated_plans_keep_their_answers(name, args, options, expected):
    plan = solve_elections(*args, **options)
    assert (plan.deferral_election, plan.bonus_deferral_election, plan.after_tax_election,
            plan.bonus_after_tax_election, plan.match, plan.deferrals, plan.after_tax) == expected
