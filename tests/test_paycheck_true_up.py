"""The solver's shortcuts for a true-up (see solver._floor_run_members, _bounded_runs, _last_live_column and the
seed's _SEED_CLIMB): with a true-up every candidate that defers the room is paid the formula on the room (the
floor), often a few cents below the ceiling, so runs of columns are settled at the floor from the tables of
every election's amounts, runs of bounds are chained, no seed is worked out, and a settled search's rows stop
at the last column whose bound reaches the ceiling. Each is checked against the search without it, or
against every column's own bound (hypothesis, derandomized).
"""

from __future__ import annotations

import datetime as dt

from _knobs import knobs
from _seeds import scaled
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_paycheck_slow_plans import bonus_cut_cases
from test_paycheck_span_bound import _phase1_with, _with_true_up

from megabackdoor.paycheck import _make_case, solver
from megabackdoor.paycheck.bounds import _column_bound
from megabackdoor.paycheck.solver import _bounded_runs, _last_live_column, _prepare, _row_member


@st.composite
def floor_run_plans(draw):
    """A true-up, a separate bonus election and the payroll stop, with a largest election of half of pay or more
    and bonuses of a few months' pay (as plans 184 and 344, at 0.5% and 1% steps): from some bonus election on,
    runs of columns are bounded by the true-up's floor with the best at the floor and the room (in about three
    draws in four of the first match, seldom with the other)."""
    frequency = draw(st.sampled_from(["semimonthly", "biweekly", "weekly", "monthly"]))
    first = dt.date(2026, draw(st.integers(1, 9)), draw(st.sampled_from([1, 9, 15, 28])))
    options = {"match": draw(st.sampled_from([[(1.5, 0.2), (0.25, 1.0)]] * 3 + [[(1.0, 0.02), (0.5, 0.04),
                                                                                (0.25, 0.1)]])),
               "true_up": True, "granularity": draw(st.sampled_from(["0.5%", "0.5%", "1%"])),
               "max_election": draw(st.sampled_from([0.5, 0.75, 0.9])), "separate_bonus_election": True,
               "stops_at_402g": True, "stops_at_415c": draw(st.booleans())}
    months = draw(st.lists(st.integers(first.month, 12), min_size=1, max_size=4))
    options["bonuses"] = [(dt.date(2026, month, 28), draw(st.sampled_from([5000.0, 11054.69, 20000.0, 50000.0])))
                          for month in months]
    pay = draw(st.sampled_from([2100.0, 2808.99, 2900.0, 6100.0]))
    return first, frequency, pay, draw(st.sampled_from([30, 60])), options


@settings(max_examples=scaled(30, fast=6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(floor_run_plans())
def test_the_columns_of_a_run_bounded_by_the_true_up_floor_from_the_tables(case_args):
    """Inside a run of columns bounded by the true-up's floor, with the best at (floor, room), each column only
    adds a member tying it (its room fill at the room, or the first x the stop cuts): worked out from the tables
    of every election's amounts (solver._floor_run_members), the first stage's best, members and rows are the
    same as with the column loop."""
    assert _phase1_with(case_args) == _phase1_with(case_args, _FLOOR_RUN_TABLES=False)


@settings(max_examples=scaled(16, fast=5), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(floor_run_plans())
def test_every_column_of_a_run_taken_from_the_tables_was_bounded_by_the_floor(case_args):
    """The columns the search hands to _floor_run_members were each bounded below the true-up's floor + 1 by a
    column bound it worked out (a run's, or their own): runs are tried one after another, each from the column
    after the last one that held."""
    bounded: set[int] = set()
    handed: list[tuple[int, int]] = []
    column_bound, floor_run_members = solver._column_bound, solver._floor_run_members

    def bound_recorded(case, first, last=None):
        bound = column_bound(case, first, last)
        if bound < case.true_up_floor + 1:
            bounded.update(range(first, (first if last is None else last) + 1))
        return bound

    def members_recorded(case, first, last, *rest):
        handed.append((first, last))
        return floor_run_members(case, first, last, *rest)

    solver._column_bound, solver._floor_run_members = bound_recorded, members_recorded
    try:
        _phase1_with(case_args)
    finally:
        solver._column_bound, solver._floor_run_members = column_bound, floor_run_members
    for first, last in handed:
        assert set(range(first, last + 1)) <= bounded


@settings(max_examples=scaled(30, fast=6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(floor_run_plans(), bonus_cut_cases().map(_with_true_up)), st.data())
def test_bounded_runs_cover_only_columns_below_the_need(case_args, data):
    """_bounded_runs (the runs of columns the search drops or takes at the floor at once): every column from y + 1
    to the last it returns has its own bound below the need, with one run tried (or a chain of them), each
    doubling after one that holds and halving after one that fails. The need is drawn at a column's own bound
    (or a cent above), so that columns on both sides of it lie close together."""
    case = _stopped_true_up_case(case_args)
    if case is None:
        return
    y = data.draw(st.integers(0, case.y_max))
    top = min(case.y_max, y + 160)
    own = [_column_bound(case, column) for column in range(y + 1, top + 1)]
    if not own:
        return
    need = data.draw(st.sampled_from(own)) + data.draw(st.sampled_from([0, 1, 0.5]))
    run, chain = data.draw(st.sampled_from([1, 2, 8, 64])), data.draw(st.booleans())
    end, next_run = _bounded_runs(case, y, top, run, need, chain)
    assert y <= end <= top
    assert all(bound < need for bound in own[:end - y])
    if not chain:
        assert end - y in (0, min(run, top - y))
    if end == y and y < top:
        assert next_run == max(1, run // 2)


@settings(max_examples=scaled(16, fast=5), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(floor_run_plans())
def test_a_true_up_best_near_the_ceiling_needs_no_seed(case_args):
    """With a true-up whose best is within _SEED_CLIMB cents of the ceiling when the seed would be worked out,
    the search goes on without it: the first stage's best, members and rows are the same with a seed always
    (_SEED_CLIMB = -1) and never (any climb), here worked out at the first column searched."""
    assert _phase1_with(case_args, _SEED_AFTER=1, _SEED_CLIMB=-1) == _phase1_with(case_args, _SEED_AFTER=1,
                                                                                 _SEED_CLIMB=10**9)


def _stopped_true_up_case(case_args):
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    if case.separate and case.bonus_events and case.stops_402g and case.stop == case.room >= 0 and case.tiers:
        return case
    return None


@settings(max_examples=scaled(24, fast=6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(floor_run_plans(), bonus_cut_cases().map(_with_true_up)), st.data())
def test_the_last_live_column_from_any_low(case_args, data):
    """_last_live_column (where the rows of a settled search with a true-up stop looking for a member): the
    largest bonus election from ``low`` up whose own column bound reaches the ceiling, checked against every
    column's bound, for lows asked in any order (the search keeps what it found between them)."""
    case = _stopped_true_up_case(case_args)
    if case is None:
        return
    live = [y for y in range(case.y_max + 1) if _column_bound(case, y) >= case.ceiling]
    for low in data.draw(st.lists(st.integers(0, case.y_max + 1), min_size=1, max_size=4)):
        found = _last_live_column(case, low)
        above = [y for y in live if y >= low]
        if above:
            assert found == above[-1]
        else:
            assert found < low


@settings(max_examples=scaled(24, fast=5), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(floor_run_plans())
@example((dt.date(2026, 1, 1), "semimonthly", 2100.0, 60,      # row 127's member is the last live column, 150
          {"match": [(1.5, 0.2), (0.25, 1.0)], "true_up": True, "granularity": "0.5%", "max_election": 0.75,
           "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
           "bonuses": [(dt.date(2026, 1, 28), 5000.0)]}))
def test_a_rows_member_past_the_last_live_column_is_not_searched_for(case_args):
    """A row's member (the smallest bonus election paying (ceiling, room) at regular election x) is the same
    when the row stops at the last live column, at once or after a first search of 1 or 8 columns, as when it
    searches every column (_LIVE_COLUMNS=False), at every regular election."""
    case = _stopped_true_up_case(case_args)
    if case is None:
        return
    for deferral in range(case.x_max + 1):
        with knobs(solver, _LIVE_COLUMNS=False):
            member = _row_member(case, deferral, 0, case.y_max, case.y_max)
        for probe in (0, 1, 8):
            with knobs(solver, _LIVE_COLUMNS=True, _LIVE_PROBE=probe):
                assert _row_member(case, deferral, 0, case.y_max, case.y_max) == member
