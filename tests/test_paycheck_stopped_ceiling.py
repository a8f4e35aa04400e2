"""The tighter ceiling of a payroll that stops at the room (`bounds._stopped_ceiling`, whole tier rates): it never
claims less than the most match any candidate (x, y) gets (every one simulated, on small grids), it settles
capped plan 21 (its best is 4 cents under `bounds._ceiling`, which fills the room wherever the stop cuts), and
where it lowers the ceiling the solver still equals brute force (hypothesis, derandomized).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from pathlib import Path

from _brute import brute_force_elections
from _seeds import fast_set, scaled
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from megabackdoor.errors import InputError
from megabackdoor.paycheck import _make_case, solve_elections, solver
from megabackdoor.paycheck.bounds import _stopped_bounds, _stopped_ceiling
from megabackdoor.paycheck.simulation import _simulate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from paycheck_plans import adversarial_plans, capped_pay_plans  # noqa: E402

# Whole rates (each regular check's match on a stretch between two tier edges is r a + K, rounded by the same
# fraction of a cent at every whole-cent a), edges at fractions of a cent of the pays below, rising rates too.
WHOLE_RATES = [[(2.0, 0.05), (1.0, 0.5)], [(1.0, 0.06)], [(2.0, 0.1)], [(1.0, 0.03), (2.0, 0.06)],
               [(3.0, 0.02), (1.0, 0.08)], [(1.0, 0.5)], [(0.0, 0.02), (1.0, 0.07)]]


@st.composite
def whole_rate_plans(draw, max_election=0.15):
    """A separate bonus election and the payroll stop at 402(g) on a 0.5% grid, whole tier rates, a few months of
    room left and bonuses before, between and after the regular checks: the stop cuts either kind of check."""
    frequency = draw(st.sampled_from(["monthly", "semimonthly"]))
    first = dt.date(2026, draw(st.sampled_from([1, 6, 9])), draw(st.sampled_from([1, 28])))
    options = {"match": draw(st.sampled_from(WHOLE_RATES)), "granularity": "0.5%", "max_election": max_election,
               "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False, "true_up": False,
               "ytd_compensation": 60000.0, "ytd_deferrals": draw(st.sampled_from([9000.0, 15000.0, 20000.0]))}
    months = draw(st.lists(st.integers(first.month + 1, 12), min_size=1, max_size=3))
    options["bonuses"] = [(dt.date(2026, month, draw(st.sampled_from([3, 28]))),
                           draw(st.sampled_from([1000.0, 8000.0, 50000.0, 30876.43]))) for month in months]
    pay = draw(st.sampled_from([1530.67, 2719.53, 4321.09, 9000.0, 49355.7]))
    return first, frequency, pay, draw(st.sampled_from([35, 55])), options


def _most_match(case) -> int:
    """The most match of any regular and bonus deferral elections (no after-tax money), each one simulated."""
    return max(_simulate(case, deferral, bonus_deferral, 0, 0).match
               for deferral in range(case.max_units + 1) for bonus_deferral in range(case.bonus_max_units + 1))


@settings(max_examples=scaled(60, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(whole_rate_plans())
@example((dt.date(2026, 8, 28), "monthly", 1530.67, 55,
          {"match": [(2.0, 0.05), (1.0, 0.5)], "granularity": "0.5%", "max_election": 0.15,
           "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False, "true_up": False,
           "ytd_compensation": 11481.99, "ytd_deferrals": 15000.0, "ytd_match": 500.0,
           "bonuses": [(dt.date(2026, 10, 3), 50000.0), (dt.date(2026, 10, 1), 1000.0),
                       (dt.date(2026, 9, 22), 50000.0)]}))
def test_the_stopped_ceiling_is_never_below_the_most_any_candidate_gets(plan):
    case = _make_case(*plan)
    most = _most_match(case)
    assert most <= case.ceiling
    assert not _stopped_ceiling(case, most - 1)


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(whole_rate_plans(), st.data())
def test_the_stopped_ceiling_asked_again_on_a_case_answers_as_on_a_fresh_one(plan, data):
    """_stopped_ceiling reads its bounds on from where the last call on the case stopped, keeping the most read:
    asked for any sequence of matches (rising, as the search asks, or not), each answer is a fresh case's."""
    shared = _make_case(*plan)
    fresh = _make_case(*plan)
    around = fresh.ceiling
    for most in data.draw(st.lists(st.integers(around - 30, around + 2), min_size=1, max_size=6)):
        assert _stopped_ceiling(shared, most) == _stopped_ceiling(_make_case(*plan), most), most
    # then around the least match it holds the case to (found on fresh cases), down and up again
    if _stopped_ceiling(_make_case(*plan), 10**12):
        low, high = -1, 10**12      # (not held at low, held at high)
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (low, middle) if _stopped_ceiling(_make_case(*plan), middle) else (middle, high)
        for most in [high + 1, high, high - 1, high - 2, high - 1, high]:
            assert _stopped_ceiling(shared, most) == (most >= high), most


def test_the_stopped_ceiling_holds_plan_717_at_its_best():
    # Monthly $1,530.67 with a 200% match up to 5% of pay (76.5335 dollars: each regular check in the 100% tier
    # rounds its match down 0.35 cents) and 100% up to 50%: the best is 22,932.65 dollars at the full room.
    args, options = next((args, options) for name, args, options in adversarial_plans(1000) if name == "plan 717")
    case = _make_case(*args, options)
    assert _stopped_ceiling(case, 2293265)
    assert not _stopped_ceiling(case, 2293264)


def test_the_stopped_ceiling_settles_capped_plan_21_under_the_ceiling():
    # Biweekly $43,913.95 (far past 401(a)(17)), 200% up to 5% and 100% up to 50%, four bonuses in the first three
    # months: the best, 42,500.02 dollars at the full room, is 4 cents under the ceiling (which fills the room's
    # best pieces wherever the stop cuts); the stop's cut and the regular checks' exact match bring it down to it.
    args, options = next((args, options) for name, args, options in capped_pay_plans(200)
                         if name == "capped plan 21")
    case = _make_case(*args, options)
    assert (case.ceiling, case.room) == (4250006, 2450000)
    assert _stopped_ceiling(case, 4250002) and not _stopped_ceiling(case, 4250001)
    found = solver._phase1(case)
    assert found[0] == (4250002, 2450000) and case.ceiling == 4250002
    assert callable(found[2])      # settled: the ties left are handed over row by row


def test_the_stopped_ceiling_needs_whole_rates_and_the_stop():
    # 100% up to 2%, 50% to 4%, 25% to 10% (plan 723's tiers): a half or a quarter of a cent per step of deferral
    # rounds differently at each one, so the bound does not apply (nor without the payroll stop).
    plan = (dt.date(2026, 1, 1), "semimonthly", 19566.01, 70,
            {"match": [(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)], "separate_bonus_election": True,
             "stops_at_402g": True, "bonuses": [(dt.date(2026, 2, 23), 10829.2)]})
    assert not _stopped_ceiling(_make_case(*plan), 10**9)
    plan[4].update(match=[(1.0, 0.06)], stops_at_402g=False)
    assert not _stopped_ceiling(_make_case(*plan), 10**9)


# Monthly $105,445.08 (past 401(a)(17) by March) on a 1% grid to 8%, 200% up to 5% and 100% up to 50%: the search
# settles 4 cents under the ceiling, with rows left.
SETTLES_WITH_ROWS = ("2026-01-02", "monthly", 105445.08, 35,
                     {"granularity": "1%", "match": [(2.0, 0.05), (1.0, 0.5)], "max_election": 0.08,
                      "separate_bonus_election": True, "true_up": False, "stops_at_402g": True,
                      "stops_at_415c": False, "bonuses": [("2026-03-02", 5462.1), ("2026-03-15", 7761.55),
                                                          ("2026-03-21", 1327.46)]})


@settings(max_examples=scaled(8, fast=1), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(whole_rate_plans(max_election=0.06))
@example(SETTLES_WITH_ROWS)
def test_solver_equals_brute_force_where_the_stopped_ceiling_may_settle(plan):
    first, frequency, pay, age, options = plan
    if plan == SETTLES_WITH_ROWS:
        case = _make_case(*plan)
        ceiling = case.ceiling
        assert callable(solver._phase1(case)[2]) and case.ceiling == ceiling - 4
    assert solve_elections(first, frequency, pay, age, **options) == brute_force_elections(
        first, frequency, pay, age, **options)


def _runs_checked(case) -> tuple[int, float]:
    """Every run of cuts _stopped_bounds bounds at once, on every stretch, bounded (by each of its forms) at least as
    each of its cuts on its own; returns (the cuts' own bounds, the most of them)."""
    runs: list[tuple[float, list[int]]] = []
    own = list(_stopped_bounds(case, [-math.inf, None, math.inf, -math.inf], runs))      # (the cuts of no run)
    seen = set()
    for bound, cuts in runs:
        assert all(cut <= bound for cut in cuts), (bound, cuts)
        if id(cuts) not in seen:      # (a stretch's cuts come once per form of the run's bound)
            seen.add(id(cuts))
            own += cuts
    return len(own), max(own)


@settings(max_examples=scaled(60, fast=15), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(whole_rate_plans())
def test_a_run_of_cuts_is_bounded_at_least_as_each_of_its_cuts(plan):
    """bounds._stopped_bounds bounds a run of cuts sharing the pieces before them at once per stretch (the regular
    checks' deferrals u = n a in all, the run's steepest rate): never below any of its cuts' own bound, so the
    ceiling's answer is the cuts' own (held at their most, not a cent below it), on a fresh case and on one asked
    at a rising best as the search asks."""
    case = _make_case(*plan)
    _, most = _runs_checked(case)
    if most < math.inf:
        assert _stopped_ceiling(_make_case(*plan), most) and not _stopped_ceiling(_make_case(*plan), most - 1)
        shared = _make_case(*plan)
        assert [_stopped_ceiling(shared, ask) for ask in (most - 2, most - 1, most)] == [False, False, True]


def test_runs_of_cuts_hold_on_the_bench_plans():
    """The same over every plan of the bench (capped pay and generated) the stopped ceiling bounds: 179 of 1,200 (the
    fast set: every fourth capped plan, 19 of 50)."""
    bounded = 0
    plans = capped_pay_plans(200)[::4] if fast_set() else capped_pay_plans(200) + adversarial_plans(1000)
    for _, args, options in plans:
        try:
            case = _make_case(*args, options)
        except InputError:
            continue      # (a few generated plans are bad input: solve_elections says so)
        _, most = _runs_checked(case)
        if most < math.inf:
            bounded += 1
            assert _stopped_ceiling(_make_case(*args, options), most)
            assert not _stopped_ceiling(_make_case(*args, options), most - 1)
    assert bounded == (19 if fast_set() else 179)


def test_capped_plan_90s_runs_of_cuts_are_bounded_at_once():
    """Capped plan 90 (weekly $8,144.09 on whole dollars, 150% of up to 20% then 25%, four bonuses up to July, past
    §401(a)(17) in October): the search asks the stopped ceiling at 3,675,000, 3,675,001 and 3,675,002 (its best
    climbing a cent a column) and settles at the last. Of its 171 bounds (4 stretches, 56 cuts) those of the runs of
    16, 4, 7 and 14 weekly checks between and after the bonus checks, and of the 9 past the cap, are each run's one
    per stretch: asked at 3,675,002 on a fresh case only the first check's own bound is worked out."""
    args, options = next((args, options) for name, args, options in capped_pay_plans(200)
                         if name == "capped plan 90")
    case = _make_case(*args, options)
    assert _runs_checked(case) == (171, 3675002)
    shared = _make_case(*args, options)
    assert [_stopped_ceiling(shared, ask) for ask in (3675000, 3675001, 3675002)] == [False, False, True]
    state = [-math.inf, None, 3675002, -math.inf]
    assert len(list(_stopped_bounds(_make_case(*args, options), state))) == 1 and state[3] == 3675002
