"""The search of a separate bonus election's columns when no payroll stop cuts anything
(solver._columns_within_room) gives what the column loop gives, and the solver equals the brute force there
(hypothesis, derandomized)."""

from __future__ import annotations

import datetime as dt

import pytest
from _brute import brute_force_elections
from _seeds import scaled
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from megabackdoor.paycheck import _make_case, solve_elections, solver
from megabackdoor.paycheck.fallback import _415c_can_bind
from megabackdoor.paycheck.solver import _phase1_from

# Tiers of every shape the generated plans draw (bench/paycheck_plans.py): flat, two and three tiers, rising
# and falling rates, 200% rates, rates whose match is not whole cents, up to 100% of pay.
MATCHES = [None, [(1.0, 0.06)], [(0.5, 0.06)], [(1.0, 0.03), (0.5, 0.05)], [(1.0, 0.04)], [(1.0, 0.5)],
           [(1.0, 1.0)], [(2.0, 0.1)], [(2.0, 0.05), (1.0, 0.5)], [(0.5, 0.03), (1.0, 0.06)],
           [(1.5, 0.2), (0.25, 1.0)], [(0.33, 0.07)], [(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)]]


@st.composite
def within_room_cases(draw, grid=("0.1%", "0.5%", "1%"), max_elections=(0.08, 0.5, 0.9, 1.0)):
    """A separate bonus election and no payroll stop at the room (none at all, or one counting deferrals at
    another employer): every column's candidate is its room fill."""
    frequency = draw(st.sampled_from(["weekly", "biweekly", "semimonthly", "monthly"]))
    first = dt.date(2026, draw(st.sampled_from([1, 1, 3, 7])), draw(st.sampled_from([1, 2, 15, 28])))
    # (a pay or bonus of a few dollars: elections next to each other pay the same cents)
    pay = draw(st.sampled_from([7.77, 900.0, 1000.0, 2380.56, 2633.76, 4321.09, 5000.0, 9000.0, 15000.0, 31250.0,
                                52345.67]))
    other = draw(st.sampled_from([0.0, 0.0, 10000.0, 20000.0]))
    options = {"match": draw(st.sampled_from(MATCHES)), "true_up": draw(st.booleans()),
               "granularity": draw(st.sampled_from(grid)), "max_election": draw(st.sampled_from(max_elections)),
               "after_tax_cap": draw(st.sampled_from([None, 0.1, 0.25])), "separate_bonus_election": True,
               "stops_at_402g": other > 0 and draw(st.booleans()), "stops_at_415c": draw(st.booleans()),
               "other_employer_deferrals": other}
    months = draw(st.lists(st.integers(first.month, 12), min_size=1, max_size=4))
    amounts = st.sampled_from([3.33, 1000.0, 5000.0, 12000.0, 20000.0, 30876.43])
    options["bonuses"] = [(dt.date(2026, month, 28), draw(amounts), draw(st.sampled_from([True, True, False])))
                          for month in months]
    return first, frequency, pay, draw(st.sampled_from([35, 50, 61])), options


def _search(drawn, tables, first_bonus=0, last_bonus=None, by_deferrals=None):
    first, frequency, pay, age, options = drawn
    case = _make_case(first, frequency, pay, age, options)
    if _415c_can_bind(case):
        return "fallback"
    kept = solver._BY_DEFERRALS
    solver._BY_DEFERRALS = kept if by_deferrals is None else by_deferrals
    try:
        found = _phase1_from(case, first_bonus, last_bonus, tables=tables)
    finally:
        solver._BY_DEFERRALS = kept
    if found is None:
        return None
    best, members, rows = found
    return best, members, list(rows() if callable(rows) else rows)     # (a function of the after-tax search)


_BONUS = [(dt.date(2026, 1, 28), 30876.43, True)]
_SEPARATE = {"granularity": "0.1%", "separate_bonus_election": True, "stops_at_402g": False}


@settings(max_examples=scaled(70, fast=12), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(within_room_cases(), st.integers(0, 40))
# Found by the deep profile: the bound without the half cents of rounding drops the column that has a cent more
# match and less deferrals (688,518 at 2,449,976 against 688,517 at 2,449,982).
@example((dt.date(2026, 1, 1), "weekly", 1000.0, 35, {
    **_SEPARATE, "match": [(1.0, 0.06)], "true_up": True, "max_election": 0.5, "bonuses": _BONUS * 2}), 0)
# A check of $7.77 at 0.1% steps: elections 899 and 900 pay the same cents (the member is 899).
@example((dt.date(2026, 1, 1), "weekly", 7.77, 35, {**_SEPARATE, "max_election": 0.9, "bonuses": _BONUS}), 0)
# And a bonus of $3.33: neighbouring bonus elections pay the same cents too, so columns paying the best share
# their x (only the first of them is a member).
@example((dt.date(2026, 1, 1), "weekly", 7.77, 35, {
    **_SEPARATE, "max_election": 1.0, "bonuses": [(dt.date(2026, 1, 28), 3.33, True)]}), 0)
# Settled at (0, room) at (1000, 700), and every regular election from 700 to 999 has a member one bonus
# election later per step down (a bonus step of $12 is the twelve regular checks' $1 step): the rows start
# right after the settling column.
@example(("2026-01-15", "monthly", 1000.0, 35, {**_SEPARATE, "other_employer_deferrals": 4100.0,
                                                "bonuses": [("2026-06-30", 12000.0)]}), 0)
def test_the_columns_within_the_room_equal_the_column_loop(drawn, first_bonus):
    expected = _search(drawn, False)
    assert _search(drawn, True) == expected
    # The runs of columns bounded from the start (no columns tried by falling deferrals first), or after two.
    assert _search(drawn, True, by_deferrals=0) == expected
    assert _search(drawn, True, by_deferrals=2) == expected
    # From a later bonus election and over one column, as _phase1 asks before searching from y_full.
    assert _search(drawn, True, first_bonus) == _search(drawn, False, first_bonus)
    assert _search(drawn, True, first_bonus, first_bonus) == _search(drawn, False, first_bonus, first_bonus)


@settings(max_examples=scaled(12, fast=4), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(within_room_cases(grid=("1%",), max_elections=(0.06,)))
def test_solver_equals_brute_force_within_the_room(drawn):
    first, frequency, pay, age, options = drawn
    assert solve_elections(first, frequency, pay, age, **options) == brute_force_elections(
        first, frequency, pay, age, **options)


PLANS = [
    # (plan of bench/paycheck_plans.py, its arguments, (elections, match, deferrals) recorded on main before)
    ("plan 472: a true-up, a bonus out of plan pay", ("2026-01-01", "biweekly", 2380.56, 50), {
        "granularity": "0.1%", "match": [(0.5, 0.06)], "true_up": True, "separate_bonus_election": True,
        "stops_at_402g": False, "after_tax_cap": 0.25, "other_employer_deferrals": 20000.0,
        "bonuses": [("2026-09-04", 20000.0, False), ("2026-10-11", 5000.0), ("2026-08-17", 1000.0),
                    ("2026-03-06", 5000.0)]},
     (0.087, 0.628, 0.25, 0.25, 2258.34, 12499.97)),
    ("plan 950: the full match out of reach", ("2026-12-01", "weekly", 15793.49, 50), {
        "granularity": "0.1%", "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True,
        "stops_at_402g": False, "bonuses": [("2026-12-06", 8000.0), ("2026-12-19", 1000.0)],
        "ytd_compensation": 284126.07, "ytd_deferrals": 2000.0, "ytd_match": 3000.0},
     (0.33, 0.493, 0.133, 0.341, 30928.06, 30496.25)),
    ("plan 529: no match", ("2026-01-01", "weekly", 2633.76, 61), {
        "granularity": "0.1%", "match": None, "separate_bonus_election": True, "stops_at_402g": False,
        "stops_at_415c": True, "bonuses": [("2026-10-02", 1000.0)]},
     (0.254, 0.294, 0.336, 0.598, 0.0, 35749.94)),
]


@pytest.mark.parametrize(("name", "args", "options", "expected"), PLANS, ids=[plan[0] for plan in PLANS])
def test_the_generated_plans_of_the_class_keep_their_answers(name, args, options, expected):
    plan = solve_elections(*args, **options)
    assert (plan.deferral_election, plan.bonus_deferral_election, plan.after_tax_election,
            plan.bonus_after_tax_election, plan.match, plan.deferrals) == expected
