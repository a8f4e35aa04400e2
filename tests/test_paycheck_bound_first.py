"""The column loop drops a column by its own bound before its room fill is worked out (solver._BOUND_FIRST): after
the seed, with a separate bonus election, the payroll stop at the room, no true-up and no candidate able to break
§415(c), a column whose bound (every candidate, within the room or stopped) is below what an offer needs adds
nothing. Checked against the loop without it (hypothesis, derandomized) and on capped plans 93 and 97, whose
columns are each within a few cents of the need by their bound.
"""

from __future__ import annotations

import pytest
from _knobs import counting, knobs
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_envelope import capped_cases
from test_paycheck_parity_spans import PLAN_93
from test_paycheck_properties import slow_class_cases
from test_paycheck_row_members import _phase1_found, capped_dollar_cases
from test_paycheck_run_backoff import CAPPED_97
from test_paycheck_slow_plans import bonus_cut_cases

from megabackdoor.paycheck import _make_case, solver
from megabackdoor.paycheck.solver import _prepare


@pytest.mark.parametrize("knob", ["_BOUND_FIRST", "_KNOWN_RUNS", "_OWN_RUN"])
@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases(), slow_class_cases(), bonus_cut_cases()))
def test_the_column_loop_with_and_without_a_column_shortcut_leaves_the_same_answer(knob, case_args):
    """The same best, members and row members with each shortcut of the column loop as without it: columns
    dropped by their own bound before their room fill (solver._BOUND_FIRST), and runs over columns whose own
    bounds are known going by those instead of the run's bound (solver._KNOWN_RUNS), and runs of two columns going
    by their own bounds, worked out (solver._OWN_RUN; False: 0, never)."""
    assert _phase1_found(case_args) == _phase1_found(case_args, **{knob: False})


def _phase1_counting(plan, name, **values):
    """Phase 1's best, members and rows with ``values`` set in the solver, and the positional arguments of each
    call of ``solver.<name>`` during it."""
    args, options = plan
    case = _make_case(*args, options)
    _prepare(case)
    with counting(solver, name, **values) as calls:
        found = solver._phase1(case)
        return found[0], found[1], list(found[2]() if callable(found[2]) else found[2]), calls


def _room_fills(plan, bound_first):
    """Phase 1's best, members and rows, and how many columns worked out their room fill (solver._bonus_sum)."""
    *found, calls = _phase1_counting(plan, "_bonus_sum", _BOUND_FIRST=bound_first)
    return *found, len(calls)


def test_capped_plans_93_and_97_drop_their_columns_below_the_seed_before_their_room_fill():
    """Capped plan 93: its seed is its ceiling, $36,750.07, and its columns 1-96 are 0.5-2 cents below it by their
    bound but for nine. Dropped at once, those columns work out no room fill (15 fewer bonus sums, 40 -> 25; 49 -> 25
    before runs of two columns went by their own bounds, solver._OWN_RUN, which drop some of them without it), and
    the best (at the room), members and rows are the loop's without it; so for plan 97 (whose columns below its
    seed now mostly go in runs over the bounds its seed worked out, see below: 9 bonus sums with, 8 without)."""
    for plan, best, fewer in ((PLAN_93, 3675007, 15), (CAPPED_97, 3675005, None)):
        *with_bounds, fills = _room_fills(plan, True)
        *without, fills_without = _room_fills(plan, False)
        assert with_bounds == without
        assert with_bounds[0][0] == best
        if fewer is not None:
            assert fills <= fills_without - fewer


def _case_at_the_seed(plan):
    """Capped plan ``plan``'s case as phase 1 leaves it, and the bonus elections its seed is worked out over."""
    args, options = plan
    case = _make_case(*args, options)
    _prepare(case)
    solver._phase1(case)
    return case


def test_capped_plan_93_seeds_at_its_ceiling_from_any_first_column():
    """Plan 93's ceiling, $36,750.07, is the most of columns 97-110 and 156-168 only, among many columns a cent or
    half a cent below it by their bound. The grid of probes from first columns 2, 3 and 5 holds none of them and
    the probes sharing the highest bound are a cent below the ceiling: their neighbours (solver._SEED_NEAR) hold
    one, and the seed is the ceiling from every first column 1-9 (without them a cent short from 2, 3 and 5)."""
    case = _case_at_the_seed(PLAN_93)
    assert case.ceiling == 3675007
    seeds = [solver._seed(case, first, 500) for first in range(1, 10)]
    assert seeds == [3675007] * 9
    with knobs(solver, _SEED_NEAR=0):
        short = [first for first in range(1, 10) if solver._seed(case, first, 500) < 3675007]
    assert short == [2, 3, 5]


@settings(max_examples=scaled(30, fast=8), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), bonus_cut_cases()), st.integers(1, 9), st.sampled_from([2, 4, 16]))
def test_a_seed_from_the_neighbours_of_the_probes_is_a_match_paid(case_args, first, probes):
    """The seed with the probes' neighbours (from any first column, with few or many probes) is at most the best
    phase 1 finds over those columns: a match some candidate pays."""
    first_date, frequency, pay, age, options = case_args
    case = _make_case(first_date, frequency, pay, age, options)
    _prepare(case)
    found = solver._phase1(case)
    if found is None or not (case.separate and case.bonus_events and case.stops_402g and case.tiers):
        return
    first = min(first, case.y_max)
    with knobs(solver, _SEED_PROBES=probes):
        seed = solver._seed(case, first, case.y_max)
    assert seed <= found[0][0]


def test_capped_plan_97_seeds_at_its_ceiling_from_the_column_ahead_that_reaches_it():
    """Plan 97's probes' highest bound is column 37's, $36,750.045, whose most is $36,750.04, a cent below the
    ceiling that only column 32 pays: the first of the 32 columns from the seed's first whose bound reaches the
    ceiling (solver._SEED_AHEAD) is column 32, and the seed is the ceiling (without it, a cent short)."""
    case = _case_at_the_seed(CAPPED_97)
    assert case.ceiling == 3675005
    assert solver._seed(case, 1, case.y_max) == 3675005
    with knobs(solver, _SEED_AHEAD=0):
        assert solver._seed(case, 1, case.y_max) == 3675004
    assert [y for y in range(1, 33) if solver._one_column_bound(case, y) >= case.ceiling] == [32]


def _run_bounds(plan, known_runs):
    """Phase 1's best, members and rows, and how many bounds over runs of columns it worked out."""
    # (runs of two columns by their own bounds off: without the known runs, 2 of plan 97's 8 run bounds are those)
    *found, calls = _phase1_counting(plan, "_column_bound", _KNOWN_RUNS=known_runs, _OWN_RUN=0)
    return *found, sum(len(call) > 2 and call[2] is not None for call in calls)


def test_capped_plan_97_runs_over_the_columns_its_seed_bounded_go_by_their_bounds():
    """Plan 97's seed bounds columns 1-32 looking ahead for one reaching the ceiling (see the seed tests above):
    the column loop's runs over them go by those bounds instead of a bound over each run (8 -> 0 run bounds in
    phase 1), and the best, members and rows are the same."""
    *with_known, runs = _run_bounds(CAPPED_97, True)
    *without, runs_without = _run_bounds(CAPPED_97, False)
    assert with_known == without
    assert with_known[0][0] == 3675005
    assert (runs, runs_without) == (0, 8)


def _bounds(plan, own_run):
    """Phase 1's best, members and rows, and how many bounds of one column and over runs of columns it worked out."""
    *found, calls = _phase1_counting(plan, "_column_bound", _OWN_RUN=own_run)
    runs = sum(len(call) > 2 and call[2] is not None for call in calls)
    return *found, (len(calls) - runs, runs)


def test_capped_plan_93_runs_of_two_columns_go_by_their_own_bounds():
    """Capped plan 93's runs of two columns, among them 18-19 and 48-49, whose second column's bound is its ceiling
    ($36,750.07, the seed): the two columns' own bounds (kept for the loop's visits) instead of the run's bound
    (~30 us, ~4 own bounds), and a run failing so does not set off the backoff after a run's bound fails (see
    solver._RunBackoff: that bound may be loose, own bounds are not), so later runs stay long. Fewer run bounds
    and fewer own bounds in all (phase 1: 38 -> 37 and 95 -> 80), and the same best, members and rows."""
    *with_own, (own, runs) = _bounds(PLAN_93, 2)
    *without, (own_without, runs_without) = _bounds(PLAN_93, 0)
    assert with_own == without
    assert with_own[0] == (3675007, 2450000)
    assert runs < runs_without and own < own_without
