"""The column loop's runs of columns (solver._bounded_runs through solver._RunBackoff) and the memo of one column's
bound (solver._one_column_bound): after a run of several columns fails, the next runs are single columns for a
while; a column's bound is worked out once per case. Both change only which bounds are worked out, never what is
dropped: checked against the search without the backoff (hypothesis, derandomized), against each column's own
bound, and on capped plan 97, whose runs of two columns are 35,628 cents above the need where each of its columns
is 0.5-2.5 cents below it.
"""

from __future__ import annotations

from _knobs import knobs
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_envelope import capped_cases
from test_paycheck_parity_spans import PLAN_93
from test_paycheck_properties import slow_class_cases
from test_paycheck_row_members import CAPPED_9, _phase1_found, capped_dollar_cases
from test_paycheck_slow_plans import bonus_cut_cases

from megabackdoor.paycheck import _make_case, bounds, solve_elections, solver
from megabackdoor.paycheck.bounds import _column_bound
from megabackdoor.paycheck.solver import _prepare

# Capped plan 97 (bench/paycheck_plans.capped_pay_plans(200)): $83,186.28 monthly from 2 January, twelve bonuses by
# April, 150% of up to 20% then 25%, 0.5% elections up to 100%.
CAPPED_97 = (("2026-01-02", "monthly", 83186.28, 35),
             {"granularity": "0.5%", "match": [(1.5, 0.2), (0.25, 1.0)], "separate_bonus_election": True,
              "true_up": False, "stops_at_402g": True, "stops_at_415c": False, "max_election": 1.0,
              "bonuses": [("2026-04-28", 5939.95), ("2026-02-10", 6052.92), ("2026-02-13", 7901.8),
                          ("2026-04-08", 1908.29), ("2026-04-21", 8063.2), ("2026-01-08", 6119.69),
                          ("2026-04-03", 4191.17), ("2026-01-09", 8080.04), ("2026-02-04", 6367.83),
                          ("2026-02-16", 8089.82), ("2026-04-28", 8605.36), ("2026-01-26", 4894.13)]})


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases(), slow_class_cases(), bonus_cut_cases()))
def test_runs_that_back_off_after_failing_drop_the_same_columns(case_args):
    """The same best, members and row members with the runs backing off as without."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _RUN_BACKOFF=False)


@settings(max_examples=scaled(30, fast=8), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), bonus_cut_cases()), st.data())
def test_a_backed_off_run_covers_only_columns_below_the_need(case_args, data):
    """_RunBackoff.runs, called column after column as the loop does (with needs drawn near the columns' own
    bounds): every column it returns as dropped has its own bound below the need, and while it waits after a
    failed run of several columns it tries the next column alone."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    if not (case.separate and case.bonus_events):
        return
    backoff = solver._RunBackoff()
    y = data.draw(st.integers(0, case.y_max))
    run = data.draw(st.sampled_from([1, 2, 8]))
    for _ in range(data.draw(st.integers(1, 12))):
        if y >= case.y_max:
            break
        top = min(case.y_max, y + 64)
        need = _column_bound(case, min(top, y + data.draw(st.integers(1, 4)))) + data.draw(st.sampled_from([0, 1]))
        waiting = y < backoff.until
        end, run = backoff.runs(case, y, top, run, need)
        assert y <= end <= top
        assert all(_column_bound(case, column) < need for column in range(y + 1, end + 1))
        if waiting:
            assert end - y in (0, 1) and run == 1
        y = end + 1


@settings(max_examples=scaled(20, fast=6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases()))
def test_a_column_bound_remembered_on_the_case_is_the_column_s_own(case_args):
    """After a whole solve, every column bound remembered on the case is _column_bound of its column."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    solver._solve(case)
    assert all(bound == _column_bound(case, column) for column, bound in case.column_bounds.items())


def test_capped_plan_97_runs_of_two_columns_fail_where_each_column_holds():
    """Capped plan 97's columns 18 and 19 (9% and 9.5%) are each bounded 2 and 1 cents below its ceiling of
    $36,750.05 (its best, reached only by rounding), while their run's bound is above it: the bonus checks' growth
    across the run is taken at the fill's last rate, with up to half a cent of rounding each. The loop backs off
    after such a run, with the same plan as without."""
    args, options = CAPPED_97
    case = _make_case(*args, options)
    solver._phase1(case)
    assert case.ceiling == 3675005
    assert case.ceiling - 2 < _column_bound(case, 18) < case.ceiling - 1.99
    assert case.ceiling - 1 < _column_bound(case, 19) < case.ceiling - 0.99
    # (the run's bound was $356.30 above the ceiling while bounds._spread took a bonus check whose rounding
    # changes along its line at its whole growth; with half a cent for what rounding can add there, half a cent
    # above it; with what it adds at each column's deferral (a short run), half a cent below it, a cent above
    # column 19's own bound: the cut's fill is taken at 19's cut check)
    assert case.ceiling - 1 < _column_bound(case, 18, 19) < case.ceiling - 0.49
    with knobs(bounds, _EXACT_RUN=0):
        assert case.ceiling < _column_bound(case, 18, 19) < case.ceiling + 1
    waits = []
    runs = solver._bounded_runs

    def counted(case, bonus_deferral, top, run, need, chain, most=solver._RUN_MOST, wide_failed=None):
        waits.append(most == 1)
        return runs(case, bonus_deferral, top, run, need, chain, most, wide_failed)

    with knobs(solver, _bounded_runs=counted, _KNOWN_RUNS=False):      # (with it, the runs over columns 1-32 go by
        plan = solve_elections(*args, **options)                        # the bounds the seed worked out: no wait)
    assert any(waits) and not all(waits)
    with knobs(solver, _RUN_BACKOFF=False):
        assert solve_elections(*args, **options) == plan


def test_capped_plans_9_and_97_rows_drop_their_columns_left_over_boxes():
    """Capped plan 97's only row, x = 5% (10), has no member: past its first eight columns (17-20.5%) the rest,
    21-100%, drop over boxes at x = 10, with no live column looked for. Capped plan 9's row 53 drops 20.6-75% so;
    row 55 drops them again from there and searches the 29 columns below, finding its member, 17.7%."""
    args, options = CAPPED_97
    case = _make_case(*args, options)
    found = solver._phase1(case)
    assert list(found[2]()) == [] and found[1] == [(11, 32)]
    assert case.live_columns is None and case.row_boxes == 42
    args, options = CAPPED_9
    case = _make_case(*args, options)
    solver._phase1(case)
    assert solver._row_member(case, 53, 12, 750, 750) is None
    assert case.live_columns is None and case.row_boxes == 206
    assert solver._row_member(case, 55, 12, 750, 750) == 177
    assert case.live_columns is None and case.row_boxes == 206
    # (an earlier row's boxes from 17.8% on: row 55's drop from there, and the one column below them is searched)
    # (after a first search of one column, 16.9%, the boxes over 17-75% cannot drop row 55's member, 17.7%, which
    # pays the ceiling itself: a bound a cent above it would)
    case.row_boxes = None
    with knobs(solver, _LIVE_PROBE=1, _ROW_BOX_MIN=0, _ROW_BOX_MARGIN=-10**9, _ROW_BOX_BUDGET=64):
        assert solver._row_member(case, 55, 12, 750, 750) == 177 and case.row_boxes is None


def test_capped_plan_93_short_runs_take_what_rounding_adds_at_each_column():
    """Capped plan 93 (150% of up to 20%, 0.1% bonus elections): its bonus checks' matches round up half a cent at
    odd deferrals only, and its columns 8-96 are each bounded within a cent and a half of its ceiling, $36,750.07
    (its best). A run of at most bounds._EXACT_RUN columns takes what rounding adds at each column's deferral, not
    half a cent per check: columns 8-15 drop at once, where half a cent per check held no run of two."""
    args, options = PLAN_93
    case = _make_case(*args, options)
    solver._phase1(case)
    assert case.ceiling == 3675007
    assert all(_column_bound(case, column) < case.ceiling - 0.49 for column in range(8, 16))
    assert _column_bound(case, 8, 15) < case.ceiling
    with knobs(bounds, _EXACT_RUN=0):
        assert _column_bound(case, 8, 9) >= case.ceiling
    # (what rounding adds at the run's first column counts too: column 48's own bound reaches the ceiling)
    assert _column_bound(case, 48) >= case.ceiling and _column_bound(case, 48, 49) >= _column_bound(case, 48)
