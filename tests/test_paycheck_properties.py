"""Paycheck solver invariants (hypothesis): no limit exceeded, the match kept whenever some election keeps
it, the table adds up, and on small cases the solver equals a brute-force search over every election."""

from __future__ import annotations

import datetime as dt

from _brute import brute_force_elections
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from megabackdoor.paycheck import (
    _make_case,
    _simulate,
    solve_elections,
)
from megabackdoor.rounding import excel_round, whole_cents

MATCHES = [None, [(1.0, 0.06)], [(0.5, 0.06)], [(1.0, 0.03), (0.5, 0.05)], [(1.0, 0.04)]]


@st.composite
def small_cases(draw):
    """Cases small enough to brute-force: 12-24 paychecks and election grids of at most ~30 steps."""
    frequency = draw(st.sampled_from(["monthly", "semimonthly"]))
    first = dt.date(2026, draw(st.integers(1, 12)), draw(st.sampled_from([1, 10, 15, 28])))
    granularity = draw(st.sampled_from(["1%", "1%", "0.5%", "dollars"]))
    if granularity == "dollars":
        pay = draw(st.sampled_from([150.0, 240.0, 333.33]))
    else:
        pay = draw(st.sampled_from([900.0, 4321.09, 9000.0, 15000.0, 31250.0, 45000.0]))
    separate = draw(st.booleans()) and granularity != "dollars"
    options = {
        "match": draw(st.sampled_from(MATCHES)),
        "true_up": draw(st.booleans()),
        "granularity": granularity,
        "max_election": draw(st.sampled_from([0.08, 0.12]) if separate or granularity == "0.5%"
                             else st.sampled_from([0.1, 0.2, 0.3])),
        "after_tax_cap": draw(st.sampled_from([None, 0.05])),
        "separate_bonus_election": separate,
        "stops_at_402g": draw(st.booleans()),
        "stops_at_415c": draw(st.booleans()),
        "other_employer_deferrals": draw(st.sampled_from([0.0, 0.0, 10000.0, 23000.0])),
    }
    if draw(st.booleans()):
        month = draw(st.integers(first.month, 12))
        day = dt.date(2026, month, 28) if month > first.month or first.day < 28 else first
        options["bonuses"] = [(day, draw(st.sampled_from([5000.0, 50000.0])), draw(st.booleans()))]
    if draw(st.booleans()) and first.month > 1:
        months = first.month - 1
        options.update(ytd_compensation=months * 8000.0, ytd_deferrals=draw(st.sampled_from([0.0, 6000.0])),
                       ytd_match=draw(st.sampled_from([0.0, 240.0 * months])), ytd_after_tax=1000.0)
        options["other_employer_deferrals"] = 0.0
    age = draw(st.sampled_from([35, 52, 61]))
    return first, frequency, pay, age, options


SLOW = settings(max_examples=scaled(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The classes that used to take the solver seconds, on grids small enough to brute-force: a separate bonus
# election with the payroll stop at 402(g) and a match whose full amount is out of reach (up to 100% of pay,
# 200% rates, rates whose match is not whole cents), a true-up, several bonuses, whole-dollar elections with
# a 200% match, and deferrals + match alone passing §415(c) (the fallback).
GENEROUS = [[(1.0, 1.0)], [(1.0, 0.5)], [(2.0, 0.1)], [(2.0, 1.0)], [(1.5, 0.2), (0.25, 1.0)], [(0.33, 0.07)],
            [(0.5, 0.06)], [(2.0, 0.05), (1.0, 0.5)], [(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)]]


@st.composite
def slow_class_cases(draw):
    frequency = draw(st.sampled_from(["monthly", "semimonthly"]))
    first = dt.date(2026, draw(st.sampled_from([1, 1, 1, 4])), draw(st.sampled_from([1, 1, 15, 28])))
    options = {"match": draw(st.sampled_from(GENEROUS)), "true_up": draw(st.booleans()),
               "stops_at_402g": draw(st.sampled_from([True, True, True, False])),
               "stops_at_415c": draw(st.booleans())}
    if draw(st.integers(0, 3)) == 0:
        pay = draw(st.sampled_from([150.0, 240.0, 333.33]))
        options.update(granularity="dollars", max_election=draw(st.sampled_from([0.1, 0.2])),
                       separate_bonus_election=False)
    else:
        # Large pay on a small grid (0.5% steps up to 8%), so that the deferrals can pass the room.
        pay = draw(st.sampled_from([31250.0, 45000.0, 52345.67]))
        options.update(granularity="0.5%", max_election=0.08, separate_bonus_election=True)
    months = draw(st.lists(st.integers(first.month, 12), min_size=1, max_size=3))
    options["bonuses"] = [(dt.date(2026, month, 28), draw(st.sampled_from([8000.0, 50000.0, 30876.43])),
                           draw(st.sampled_from([True, True, True, False]))) for month in months]
    age = draw(st.sampled_from([35, 61]))
    return first, frequency, pay, age, options


@settings(max_examples=scaled(30), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(slow_class_cases())
def test_solver_equals_brute_force_on_the_slow_classes(case):
    first, frequency, pay, age, options = case
    assert solve_elections(first, frequency, pay, age, **options) == brute_force_elections(
        first, frequency, pay, age, **options)


@st.composite
def bonus_past_room_cases(draw):
    """Deferrals earlier in the year leave less room than a bonus check defers at its full-match election: the
    first bonus election searched has nothing below the room, so its stopped search starts with no best."""
    pay = draw(st.sampled_from([31250.0, 45000.0, 52345.67]))
    months = draw(st.lists(st.integers(5, 12), min_size=1, max_size=2))
    matches = [[(0.33, 0.07)], [(0.5, 0.06)], [(2.0, 0.05)], [(1.0, 0.02), (0.5, 0.06)]]
    options = {"match": draw(st.sampled_from(matches)),
               "granularity": "0.5%", "max_election": 0.08, "separate_bonus_election": True,
               "stops_at_415c": draw(st.booleans()), "ytd_compensation": pay,
               "ytd_deferrals": draw(st.sampled_from([22500.0, 23000.0])),
               "bonuses": [(dt.date(2026, month, 28), draw(st.sampled_from([50000.0, 30876.43]))) for month in months]}
    return dt.date(2026, 4, 1), draw(st.sampled_from(["monthly", "semimonthly"])), pay, 35, options


@settings(max_examples=scaled(15), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bonus_past_room_cases())
def test_solver_equals_brute_force_when_a_bonus_check_passes_the_room(case):
    first, frequency, pay, age, options = case
    assert solve_elections(first, frequency, pay, age, **options) == brute_force_elections(
        first, frequency, pay, age, **options)


@SLOW
@given(small_cases())
def test_solver_equals_brute_force(case):
    first, frequency, pay, age, options = case
    assert solve_elections(first, frequency, pay, age, **options) == brute_force_elections(
        first, frequency, pay, age, **options)


@SLOW
@given(small_cases())
def test_no_limit_exceeded_and_the_match_kept_when_possible(case):
    first, frequency, pay, age, options = case
    plan = solve_elections(first, frequency, pay, age, **options)
    assert plan.excess_deferral == 0 and plan.excess_additions == 0
    assert plan.deferrals <= plan.deferral_room
    assert plan.annual_additions <= plan.limit_415c
    assert "excess_deferral_refunded" not in plan.flags and "excess_annual_additions_refunded" not in plan.flags
    # Independent of the solver: try every deferral election (after-tax 0) for one that keeps the full match.
    state = _make_case(first, frequency, pay, age, options)
    separate = state.separate and bool(state.bonus_events)
    keeps = any(
        result.feasible and result.match >= state.match_full
        for y in (range(state.y_max + 1) if separate else (0,))
        for x in range(state.x_max + 1)
        for result in (_simulate(state, x, y, 0, 0),)
    )
    if keeps:
        assert plan.match_lost == 0 and "match_lost" not in plan.flags
    else:
        assert plan.match_lost > 0


@settings(max_examples=scaled(40), deadline=None)
@given(small_cases())
def test_table_running_totals_add_up(case):
    first, frequency, pay, age, options = case
    plan = solve_elections(first, frequency, pay, age, **options)
    rows = plan.paychecks
    ytd_before = options.get("ytd_deferrals", 0.0)
    assert round(sum(r.deferral for r in rows) * 100) == round(plan.deferrals * 100)
    assert round(sum(r.after_tax for r in rows) * 100) == round(plan.after_tax * 100)
    assert round((sum(r.match for r in rows) + plan.true_up) * 100) == round(plan.match * 100)
    running = ytd_before
    for row in rows:
        running += row.deferral
        assert round(row.ytd_deferrals * 100) == round(running * 100)
        assert row.deferral == row.catchup + row.excess + (row.deferral - row.catchup - row.excess)
        assert row.deferral_room_left >= 0
    assert [r.date for r in rows] == sorted(r.date for r in rows)


@given(st.integers(0, 10**9), st.integers(0, 999))
def test_fast_cent_rounding_is_the_spreadsheet_round(pay_cents, thousandths):
    value = pay_cents / 100 * (thousandths / 1000)
    assert whole_cents(value) == round(excel_round(value, 2) * 100)


@given(st.integers(0, 10**8), st.sampled_from([0.5, 0.25, 1.0, 1.5]), st.sampled_from([0.03, 0.06, 0.05]))
def test_fast_cent_rounding_on_match_formulas(pay_cents, rate, cap):
    value = rate * min(pay_cents / 100, cap * pay_cents / 100)
    assert whole_cents(value) == round(excel_round(value, 2) * 100)
