"""The one column (no separate bonus election) with a payroll that stops at the room: after a few stopped
candidates offered by rising regular election, the column's best is searched for first (solver
_OFFERS_ONE_COLUMN), and the solver still equals the brute force (hypothesis, derandomized). With bonus checks on
the regular election, from x_b on (the stop cuts before the first bonus check) the stopped match is worked out
on the column of no bonus deferrals, and the span bounds apply there (stops._truncated, _stopped_candidates)."""

from __future__ import annotations

import datetime as dt

from _brute import brute_force_elections
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from megabackdoor.paycheck import (
    _make_case,
    _planned,
    _simulate,
    _truncated,
    solve_elections,
    solver,
)
from megabackdoor.paycheck.stops import _stop_at, _stopped_match

MATCHES = [[(1.0, 0.06)], [(0.5, 0.06)], [(1.0, 0.03), (0.5, 0.05)], [(2.0, 0.1)], [(1.5, 0.2), (0.25, 1.0)],
           [(0.33, 0.07)], [(0.5, 0.03), (1.0, 0.06)], [(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)], [(1.0, 1.0)]]


@st.composite
def one_column_cases(draw, bonuses=False):
    """Small grids whose deferrals pass the room: whole dollars on a small pay after most of the year's
    deferrals (up to ~66 elections, most of them cut by the stop), or 1% steps of a large pay, bonuses on the
    regular election or none (``bonuses``: at least one, on the regular election). The stopped match often
    rises with x: pay past §401(a)(17) gets no match (so more of the room on the early checks buys more), or a
    tier of a higher rate above a lower one."""
    first = dt.date(2026, draw(st.sampled_from([1, 3, 6])), draw(st.sampled_from([1, 15])))
    options = {"match": draw(st.sampled_from(MATCHES)), "true_up": draw(st.booleans()), "stops_at_402g": True,
               "stops_at_415c": draw(st.booleans()), "separate_bonus_election": draw(st.booleans())}
    if not bonuses and draw(st.booleans()):
        pay = draw(st.sampled_from([150.0, 240.0, 333.33]))
        options.update(granularity="dollars", max_election=draw(st.sampled_from([0.1, 0.2])),
                       ytd_deferrals=draw(st.sampled_from([23900.0, 24200.0])),
                       ytd_compensation=draw(st.sampled_from([60000.0, 357000.0])))
    else:
        pay = draw(st.sampled_from([31250.0, 45000.0, 52345.67]))
        options.update(granularity="1%", max_election=0.08)
        months = draw(st.lists(st.integers(first.month, 12), min_size=bonuses, max_size=2))
        options["bonuses"] = [(dt.date(2026, month, 28), draw(st.sampled_from([8000.0, 30876.43])),
                               draw(st.booleans())) for month in months]
        options["separate_bonus_election"] = options["separate_bonus_election"] and not months and not bonuses
    return first, draw(st.sampled_from(["monthly", "semimonthly"])), pay, 35, options


@settings(max_examples=scaled(40, fast=8), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(one_column_cases(), st.sampled_from([1, 3]))
def test_the_one_column_best_first_equals_brute_force(drawn, offers):
    # On small grids the column offers few candidates: search its best after the first one or three.
    first, frequency, pay, age, options = drawn
    kept = solver._OFFERS_ONE_COLUMN
    solver._OFFERS_ONE_COLUMN = offers
    try:
        solved = solve_elections(first, frequency, pay, age, **options)
    finally:
        solver._OFFERS_ONE_COLUMN = kept
    assert solved == brute_force_elections(first, frequency, pay, age, **options)


@settings(max_examples=scaled(30), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(one_column_cases(bonuses=True))
def test_the_stopped_match_equals_the_simulation_at_every_election(drawn):
    # Bonus checks on the regular election: from x_b on (the stop cuts before the first of them) the stopped
    # match is worked out on the column of no bonus deferrals; below it on the column of x's own.
    first, frequency, pay, age, options = drawn
    case = _make_case(first, frequency, pay, age, options)
    if not (case.stops_402g and case.stop == case.room and case.room >= 0):
        return
    for deferral in range(case.x_max + 1):
        if _planned(case, deferral, 0)[0] > case.room:
            match = _simulate(case, deferral, 0, 0, 0).match
            assert _truncated(case, deferral, 0) == match, deferral
            cut, regular, column = _stop_at(case, deferral, 0)     # (the span searches' cut and column)
            assert _stopped_match(case, case.stops, regular, cut, column) == match, deferral
