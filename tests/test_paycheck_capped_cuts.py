"""The bound over a span of regular elections cut at a run of checks (stops._cuts_bound) with each regular check's
tier pieces ending at the span's largest regular deferral a(x2) instead of the largest election's
(stops._CAPPED_CUTS), when the checks with match pay cannot take the room at a(x2) each: past §401(a)(17) the
later regular checks have no match pay. Checked against every election's stopped match (hypothesis, derandomized),
against the search without it, and on capped plan 165, whose regular elections below its best are each under the
true-up's floor while the uncapped bound over their cuts was above it.
"""

from __future__ import annotations

from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_envelope import (
    _phase1_found,
    capped_cases,
    fraction_edge_cases,
    second_bonus_cut_cases,
)
from test_paycheck_properties import slow_class_cases

from megabackdoor.paycheck import _make_case, _planned, _truncated
from megabackdoor.paycheck import stops as stops_module
from megabackdoor.paycheck.solver import _prepare
from megabackdoor.paycheck.stops import _bonus_column, _build_stops, _cuts_bound, _regular_amount, _stop_at

# Capped plan 165 (bench/paycheck_plans.capped_pay_plans(200)): $25,738.94 weekly from 2 January (past §401(a)(17)
# in October), twelve bonuses by mid-March, 200% of up to 5% then 100% of up to 50% with a true-up, 0.1% elections
# up to 75%.
CAPPED_165 = (("2026-01-02", "weekly", 25738.94, 35),
              {"granularity": "0.1%", "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True,
               "true_up": True, "stops_at_402g": True, "stops_at_415c": True, "max_election": 0.75,
               "bonuses": [("2026-03-06", 7337.54), ("2026-03-12", 1469.05), ("2026-01-18", 3799.31),
                           ("2026-01-21", 8783.85), ("2026-01-06", 7594.78), ("2026-03-16", 8460.58),
                           ("2026-01-24", 3967.78), ("2026-03-01", 1953.19), ("2026-03-15", 7729.34),
                           ("2026-03-04", 1645.57), ("2026-02-09", 2770.72), ("2026-03-07", 6726.76)]})


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), second_bonus_cut_cases(), fraction_edge_cases()), st.data())
def test_the_bound_over_a_run_of_cuts_with_the_regular_deferral_capped_covers_the_elections_up_to_it(
        case_args, data):
    """stops._cuts_bound(low, high, a(x2)): the stopped match of every x up to x2 that the stop cuts at a check from
    low to high is at most it (each regular check defers at most a(x2))."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    if not (case.stops_402g and case.stop == case.room >= 0):
        return
    y = data.draw(st.integers(0, case.y_max))
    x2 = data.draw(st.integers(0, case.x_max))
    stops = case.stops or _build_stops(case)
    most = {}
    for x in range(x2 + 1):
        if _planned(case, x, y)[0] > case.room:
            cut = _stop_at(case, x, y)[0]
            most[cut] = max(most.get(cut, -1), _truncated(case, x, y))
    if not most:
        return
    low = data.draw(st.sampled_from(sorted(most)))
    high = data.draw(st.sampled_from([cut for cut in sorted(most) if cut >= low]))
    column = _bonus_column(case, stops, 0, y)
    bound = _cuts_bound(case, stops, low, high, column, _regular_amount(case, x2))
    assert max(match for cut, match in most.items() if low <= cut <= high) <= bound
    assert bound <= _cuts_bound(case, stops, low, high, column)


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), second_bonus_cut_cases(), slow_class_cases()))
def test_spans_over_runs_of_cuts_bounded_with_the_regular_deferral_capped_give_the_same_phase_1(case_args):
    """The same best, members and rows with the bound over a run of cuts taking each regular check at most a(x2) as
    with the largest election's deferral."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _module=stops_module, _CAPPED_CUTS=False)


def test_capped_plan_165_regular_elections_under_the_floor_go_by_their_capped_bound():
    """Capped plan 165, bonus election 50: its regular elections 16-69 defer $411.82-$1,776.98 a check and their
    stopped match, $16,107.56-$41,806.11 before the true-up, is under its floor, $42,500.00; over their cuts
    (23-63) the pieces of the 12 checks with match pay up to the largest election filled the room to $42,500.08,
    with each at most a(69) to far less. The best, $42,500.05 at x = 70, is the same either way."""
    args, options = CAPPED_165
    case = _make_case(*args, options)
    _prepare(case)
    stops = case.stops or _build_stops(case)
    column = _bonus_column(case, stops, 0, 50)
    cuts = [_stop_at(case, x, 50)[0] for x in (16, 69)]
    assert cuts == [63, 24]
    assert max(_truncated(case, x, 50) for x in range(16, 70)) == case.true_up_floor == 4250000
    assert _cuts_bound(case, stops, 24, 63, column) >= 4250001
    case.true_up = False      # (the bound before the floor)
    assert _cuts_bound(case, stops, 24, 63, column, _regular_amount(case, 69)) < 4250000
