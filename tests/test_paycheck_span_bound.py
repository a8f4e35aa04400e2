"""The payroll stop's span bounds (`bounds._span`, used by `stops._stopped_candidates` and `stops._column_max`):
over regular elections x1..x2 of one separate bonus election that the stop cuts at one check, every stopped
match lies between the bounds, and when the span is exact (every check on one line of a whole slope) the bounds
are the match at its ends and the better end is the smallest election paying the span's most, the only one
the search offers. Checked against `_truncated` at every election of the span (hypothesis, derandomized).
"""

from __future__ import annotations

import datetime as dt

import pytest
from _brute import brute_force_elections
from _knobs import knobs
from _seeds import fast_set, scaled
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_paycheck_fast_paths import generous_cases_and_elections
from test_paycheck_properties import slow_class_cases
from test_paycheck_slow_plans import bonus_cut_cases

from megabackdoor.paycheck import (
    _amount,
    _make_case,
    _planned,
    _truncated,
    solve_elections,
    solver,
)
from megabackdoor.paycheck.bounds import _column_bound, _edge_split, _span
from megabackdoor.paycheck.simulation import _bonus_fit
from megabackdoor.paycheck.solver import _prepare
from megabackdoor.paycheck.stops import (
    _column_max,
    _cut_bound,
    _first_paying,
    _stop_at,
    _stopped_candidates,
    _undominated,
)


@st.composite
def stopped_cases(draw):
    """A separate bonus election and the payroll stop at 402(g), with room for a few months of deferrals left and
    bonuses before, between and after the regular checks that can take it: the stop cuts a regular check or a
    bonus one, with the regular checks and the cut check in the same tier or not (whole and other rates)."""
    frequency = draw(st.sampled_from(["monthly", "semimonthly"]))
    first = dt.date(2026, draw(st.sampled_from([1, 4, 8])), draw(st.sampled_from([1, 28])))
    options = {"match": draw(st.sampled_from([[(2.0, 0.05), (1.0, 0.5)], [(1.0, 0.5)], [(2.0, 0.1)], [(1.0, 0.06)],
                                              [(0.5, 0.03), (1.0, 0.06)], [(1.5, 0.2), (0.25, 1.0)]])),
               "true_up": draw(st.booleans()), "granularity": draw(st.sampled_from(["0.5%", "0.1%"])),
               "max_election": draw(st.sampled_from([0.2, 0.5])), "separate_bonus_election": True,
               "stops_at_402g": True, "ytd_compensation": 60000.0,
               "ytd_deferrals": draw(st.sampled_from([9000.0, 15000.0, 20000.0]))}
    months = draw(st.lists(st.integers(first.month + 1, 12), min_size=1, max_size=3))
    options["bonuses"] = [(dt.date(2026, month, draw(st.sampled_from([3, 28]))),
                           draw(st.sampled_from([1000.0, 8000.0, 50000.0, 30876.43]))) for month in months]
    pay = draw(st.sampled_from([1530.67, 4321.09, 9000.0]))
    return _make_case(first, frequency, pay, draw(st.sampled_from([35, 55])), options)


@st.composite
def generous_plans(draw):
    """stopped_cases' plans on the full 0.1% grid of up to 50%: hundreds of columns for the seed to skip."""
    frequency = draw(st.sampled_from(["monthly", "semimonthly"]))
    first = dt.date(2026, draw(st.sampled_from([1, 4, 8])), draw(st.sampled_from([1, 28])))
    options = {"match": draw(st.sampled_from([[(2.0, 0.05), (1.0, 0.5)], [(1.0, 0.5)], [(1.0, 0.06)],
                                              [(0.5, 0.03), (1.0, 0.06)], [(1.5, 0.2), (0.25, 1.0)],
                                              [(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)]])),
               "true_up": draw(st.booleans()), "granularity": "0.1%", "max_election": 0.25,
               "separate_bonus_election": True, "stops_at_402g": True, "ytd_compensation": 60000.0,
               "ytd_deferrals": draw(st.sampled_from([9000.0, 15000.0, 20000.0]))}
    months = draw(st.lists(st.integers(first.month + 1, 12), min_size=1, max_size=4))
    options["bonuses"] = [(dt.date(2026, month, draw(st.sampled_from([3, 28]))),
                           draw(st.sampled_from([1000.0, 8000.0, 50000.0, 30876.43]))) for month in months]
    pay = draw(st.sampled_from([1530.67, 2900.0, 4321.09, 9000.0]))
    return first, frequency, pay, draw(st.sampled_from([35, 55])), options


def _stopped_span(case, data, y):
    """The regular elections past the room at bonus election y from a drawn one on (up to 40) that the stop
    cuts at the same check: (x1, x2, cut, column), or None when the column has no stopped election."""
    stopped = [x for x in range(case.x_max + 1) if _planned(case, x, y)[0] > case.room]
    if not stopped:
        return None
    x1 = stopped[min(len(stopped) - 1, data.draw(st.integers(0, 60)))]     # near the room, where the tiers change
    cut, _, column = _stop_at(case, x1, y)
    x2 = x1
    while x2 < min(case.x_max, x1 + 40) and _stop_at(case, x2 + 1, y)[0] == cut:
        x2 += 1
    return x1, x2, cut, column


def _check_undominated(case, x1, x2, line, part):
    """The elections of a straight span outside its undominated part (stops._undominated) pay less than an end
    of the span; the smallest paying the span's most is inside. True when the part is narrower."""
    first, last, slack = line
    a1, a2 = _amount(case, case.pay, x1, False), _amount(case, case.pay, x2, False)
    for x, match in zip(range(x1, x2 + 1), part, strict=True):
        on_line = first if a1 == a2 else first + (last - first) * (_amount(case, case.pay, x, False) - a1) / (a2 - a1)
        assert abs(match - on_line) <= slack      # what _undominated rests on
    low_x, high_x = _undominated(case, x1, x2, line)
    assert x1 <= low_x <= high_x <= x2
    most = max(part)
    for x in range(x1, x2 + 1):
        if not low_x <= x <= high_x:
            assert part[x - x1] < most
    assert low_x <= x1 + part.index(most) <= high_x
    return (low_x, high_x) != (x1, x2)


@settings(max_examples=scaled(50), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(stopped_cases(), generous_cases_and_elections().map(lambda drawn: drawn[0])), st.data())
def test_span_bounds_hold_and_exact_spans_are_their_ends(case, data):
    _prepare(case)
    if not (case.separate and case.bonus_events and case.stops_402g and case.stop == case.room >= 0):
        return
    # bonus elections whose checks leave some of the room to the regular ones (and a few past that)
    y_fill = _bonus_fit(case, case.room, 0, case.y_max)
    y = data.draw(st.integers(0, min(case.y_max, y_fill + 5)))
    span = _stopped_span(case, data, y)
    if span is None:
        return
    first, last, cut, column = span
    matches = [_truncated(case, x, y) for x in range(first, last + 1)]
    assert max(matches) <= _cut_bound(case, case.stops, cut, column)
    # every part of the run: one election, the whole run, and the parts its halves and thirds end at
    ends = sorted({first, last, (first + last) // 2, first + (last - first) // 3, last - (last - first) // 3})
    for x1 in ends:
        for x2 in ends:
            if x1 > x2:
                continue
            part = matches[x1 - first:x2 - first + 1]
            low, high, exact, line = _span(case, x1, x2, cut, column)
            assert low <= min(part) and max(part) <= high
            if line is not None:
                _check_undominated(case, x1, x2, line, part)
            if exact is not None:
                assert exact == (part[0], part[-1])
                assert (low, high) == (min(part), max(part))
                # the election the search offers for the span: the smallest paying the span's most
                chosen = x1 if exact[0] >= exact[1] else _first_paying(case, x1, x2)
                assert chosen == x1 + part.index(high)
            split = _edge_split(case, x1, x2, cut, column)
            assert split is None or x1 <= split < x2


# A generated plan (bench/paycheck_plans.py, plan 717) whose search is decided by rounding: monthly pay from late
# August, three bonuses in plan pay, 200% of up to 5% and 100% of up to 50%, 0.1% steps. Its spans near the room
# rise (a bonus check cut on a lower rate than the regular ones), fall (a regular check cut in the 200% tier
# while the others are in the 100% one) or are flat; with other tiers, most spans are not exact (rates of 150%,
# 50%, 33%: the rounding changes along the line).
PLAN_717 = ("2026-08-28", "monthly", 1530.67, 55,
            {"granularity": "0.1%", "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True,
             "bonuses": [("2026-10-03", 50000.0), ("2026-09-18", 8000.0, False), ("2026-10-01", 1000.0),
                         ("2026-09-22", 50000.0)],
             "ytd_compensation": 11481.99, "ytd_deferrals": 15000.0, "ytd_match": 500.0})
# Weekly pay of $7.77: a 0.1% step is 0.777 cents, so neighbouring elections often defer the same cents (the
# offered end of a rising span is the first of them); a bonus in June takes the rest of the room.
TINY_PAY = ("2026-01-02", "weekly", 7.77, 35,
            {"granularity": "0.1%", "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True,
             "bonuses": [("2026-06-30", 50000.0)], "ytd_deferrals": 20000.0})


def _with_match(case_args, match):
    first, frequency, pay, age, options = case_args
    return first, frequency, pay, age, {**options, "match": match}


@pytest.mark.parametrize(("case_args", "reached"), [
    (PLAN_717, {-1, 0, 1}), (TINY_PAY, {0, 1, "tie"}),
    (_with_match(PLAN_717, [(1.5, 0.2), (0.25, 1.0)]), {"line"}),
    (_with_match(PLAN_717, [(0.5, 0.03), (1.0, 0.06)]), {"line"}),
    (_with_match(PLAN_717, [(0.33, 0.07)]), set()), (_with_match(TINY_PAY, [(1.5, 0.2), (0.25, 1.0)]), set()),
], ids=["plan 717", "tiny pay", "plan 717 150%/25%", "plan 717 50%/100%", "plan 717 33%", "tiny pay 150%/25%"])
def test_span_bounds_on_every_run_near_the_room(case_args, reached):
    """Every run of one cut in the first 60 stopped elections of the bonus elections around the one whose checks
    fill the room, and its parts (as in the hypothesis test). ``reached``: the exact spans that must be among
    them (1 rising, 0 flat, -1 falling; "tie": a rising one whose last elections defer the same cents)."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    y_fill = _bonus_fit(case, case.room, 0, case.y_max)
    kinds = set()
    for y in range(max(0, y_fill - 30), min(case.y_max, y_fill + 6) + 1, 12 if fast_set() else 2):
        stopped = [x for x in range(case.x_max + 1) if _planned(case, x, y)[0] > case.room][:60]
        matches = {x: _truncated(case, x, y) for x in stopped}
        runs: dict[int, list[int]] = {}
        for x in stopped:
            runs.setdefault(_stop_at(case, x, y)[0], []).append(x)
        for cut, run in runs.items():      # the bound of every election the stop cuts there
            bound = _cut_bound(case, case.stops, cut, _stop_at(case, run[0], y)[2])
            assert max(matches[x] for x in run) <= bound
            if max(matches[x] for x in run) > bound - 1:
                kinds.add("cut bound within a cent")
        for cut, run in runs.items():
            column = _stop_at(case, run[0], y)[2]
            for x1 in run[::2]:
                for x2 in run[run.index(x1)::3]:
                    part = [matches[x] for x in range(x1, x2 + 1)]
                    low, high, exact, line = _span(case, x1, x2, cut, column)
                    assert low <= min(part) and max(part) <= high
                    if line is not None and _check_undominated(case, x1, x2, line, part):
                        kinds.add("line")
                    if exact is not None:
                        kinds.add((exact[0] > exact[1]) - (exact[0] < exact[1]))
                        assert exact == (part[0], part[-1]) and (low, high) == (min(part), max(part))
                        chosen = x1 if exact[0] >= exact[1] else _first_paying(case, x1, x2)
                        assert chosen == x1 + part.index(high)
                        if chosen < x2 and exact[0] < exact[1]:
                            kinds.add("tie")
    assert reached <= kinds


def _stopped_column(case, data):
    """A drawn bonus election y of a case with a separate election and the payroll stop at the room, and its
    first 80 regular elections the stop cuts (None when the case has no such column)."""
    _prepare(case)
    if not (case.separate and case.bonus_events and case.stops_402g and case.stop == case.room >= 0):
        return None
    y = data.draw(st.integers(0, case.y_max))
    stopped = [x for x in range(case.x_max + 1) if _planned(case, x, y)[0] > case.room][:80]
    return (y, stopped) if stopped else None


@settings(max_examples=scaled(25), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(stopped_cases(), generous_cases_and_elections().map(lambda drawn: drawn[0])), st.data())
def test_a_column_search_cut_short_returns_a_match_of_the_column(case, data):
    """The search seeds itself with _column_max cut short (see solver._seed): what it returns must be paid by an
    election of the column, or the seed would drop the true best."""
    drawn = _stopped_column(case, data)
    if drawn is None:
        return
    y, stopped = drawn
    budget = data.draw(st.integers(0, 8))
    found = _column_max(case, y, stopped[0], stopped[-1], budget=budget)
    matches = {_truncated(case, x, y) for x in stopped}
    assert found == -1 or found in matches
    assert found <= max(matches)


@settings(max_examples=scaled(25), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(slow_class_cases(), bonus_cut_cases(), generous_plans()))
def test_the_seed_changes_nothing_the_first_stage_finds(case_args):
    """The search works out its seed (a match some candidate pays, see solver._seed) after 16 columns: forced at
    the first column searched (from one column's bound, so not always the best column), the best, its members
    and the rows of further members are the same as with no seed at all (the search the brute force checks)."""
    assert (_phase1_with(case_args, _SEED_AFTER=1, _SEED_PROBES=1)
            == _phase1_with(case_args, _SEED_AFTER=10**9, _SEED_PROBES=1))


@settings(max_examples=scaled(2), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(slow_class_cases(), bonus_cut_cases()))
def test_solver_equals_brute_force_with_the_seed_from_the_first_column(drawn):
    """As above, against the brute force."""
    first, frequency, pay, age, options = drawn
    with knobs(solver, _SEED_AFTER=1, _SEED_PROBES=1):
        solved = solve_elections(first, frequency, pay, age, **options)
    assert solved == brute_force_elections(first, frequency, pay, age, **options)


@settings(max_examples=scaled(30), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(stopped_cases(), generous_cases_and_elections().map(lambda drawn: drawn[0])), st.data())
def test_stopped_candidates_give_the_first_election_paying_the_most(case, data):
    """What the column search needs of _stopped_candidates: every match it gives is the election's stopped
    match, and when the column's most reaches the need, the smallest election paying it is among those given
    (short spans are worked out election by election, exact spans give one end)."""
    drawn = _stopped_column(case, data)
    if drawn is None:
        return
    y, stopped = drawn
    matches = {x: _truncated(case, x, y) for x in stopped}
    most = max(matches.values())
    need = data.draw(st.integers(most - 3, most + 1))
    _assert_the_stopped_candidates(case, y, stopped, matches, need)


def _assert_the_stopped_candidates(case, y, stopped, matches, need):
    """_stopped_candidates over column y's stopped elections hands over each x once, in order, with its stopped
    match or None, and, where the column's most match reaches `need`, the smallest x paying it."""
    given = list(_stopped_candidates(case, y, stopped[0], stopped[-1], lambda x: need))
    assert [x for x, _ in given] == sorted({x for x, _ in given})
    for x, match in given:
        assert match is None or match == matches[x]
    if max(matches.values()) >= need:
        assert min(x for x in stopped if matches[x] == max(matches.values())) in {x for x, _ in given}


def _phase1_with(case_args, **constants):
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    with knobs(solver, **constants):
        found = solver._phase1(case)
    rows = found[2] if found is not None else ()
    return found if found is None else (found[0], found[1], list(rows() if callable(rows) else rows))


def _with_true_up(case_args):
    first, frequency, pay, age, options = case_args
    return first, frequency, pay, age, {**options, "true_up": True}


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(bonus_cut_cases(), generous_plans(), slow_class_cases()).map(_with_true_up))
def test_runs_of_columns_bounded_by_the_true_up_floor_change_nothing(case_args):
    """With a true-up, columns whose bound is its floor offer only their first candidate at the room, and a run of
    them is bounded at once (then no column of the run is bounded alone): the first stage's best, members and
    rows are the same as with every column bounded alone."""
    assert _phase1_with(case_args) == _phase1_with(case_args, _FLOOR_RUNS=False)


# Generated plans (bench/paycheck_plans.py) with a true-up whose columns are bounded by its floor by the hundred.
PLAN_139 = ("2026-09-01", "biweekly", 40800.0, 60,
            {"granularity": "0.1%", "match": [(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)], "true_up": True,
             "separate_bonus_election": True,
             "bonuses": [("2026-10-21", 78148.41), ("2026-09-15", 5000.0), ("2026-10-24", 50000.0),
                         ("2026-10-17", 50000.0), ("2026-12-17", 50000.0), ("2026-10-22", 20000.0),
                         ("2026-11-18", 8000.0), ("2026-12-09", 50000.0), ("2026-12-28", 5000.0),
                         ("2026-10-20", 1000.0, False), ("2026-10-16", 54865.63), ("2026-12-16", 8000.0, False)]})
PLAN_245 = ("2026-01-31", "biweekly", 2808.99, 45,
            {"granularity": "0.1%", "match": [(1.5, 0.2), (0.25, 1.0)], "true_up": True,
             "separate_bonus_election": True,
             "bonuses": [("2026-07-02", 5000.0, False), ("2026-02-13", 1000.0), ("2026-06-07", 5000.0),
                         ("2026-08-10", 5000.0), ("2026-05-11", 20000.0), ("2026-10-12", 5000.0),
                         ("2026-05-29", 8000.0), ("2026-10-05", 8552.99), ("2026-03-23", 5000.0),
                         ("2026-10-07", 5000.0), ("2026-02-04", 50000.0), ("2026-03-29", 50000.0, False)]})


PLAN_344 = ("2026-08-15", "semimonthly", 2900.0, 30,
            {"granularity": "0.1%", "match": [(1.5, 0.2), (0.25, 1.0)], "true_up": True,
             "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": True, "max_election": 0.9,
             "bonuses": [("2026-09-22", 20000.0), ("2026-12-25", 11054.69), ("2026-12-05", 1000.0),
                         ("2026-10-06", 5000.0)]})


@pytest.mark.parametrize("case_args", [PLAN_139, PLAN_245, PLAN_344], ids=["plan 139", "plan 245", "plan 344"])
def test_runs_of_columns_bounded_by_the_true_up_floor_on_plans_with_hundreds(case_args):
    found = _phase1_with(case_args)
    assert found == _phase1_with(case_args, _FLOOR_RUNS=False)
    assert found == _phase1_with(case_args, _FLOOR_RUN_TABLES=False)


@settings(max_examples=scaled(25), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(bonus_cut_cases(), generous_plans(), slow_class_cases()).map(_with_true_up), st.data())
def test_a_run_bound_is_at_least_each_columns_own(case_args, data):
    """Inside a run of columns whose bound is below the true-up's floor + 1, the search takes each column's own
    bound as the floor: that needs the run's bound to be at least each column's own (and a true-up's columns
    to be bounded by at least the floor)."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    if not (case.separate and case.bonus_events and case.stops_402g and case.stop == case.room >= 0):
        return
    y1 = data.draw(st.integers(0, case.y_max))
    y2 = data.draw(st.integers(y1, min(case.y_max, y1 + 64)))
    run = _column_bound(case, y1, y2)
    for y in range(y1, y2 + 1):
        assert case.true_up_floor <= _column_bound(case, y) <= run


@st.composite
def uncut_cases(draw):
    """A separate bonus election and the payroll stop at 402(g), with pay small enough next to the room that the
    largest elections fit it (or, with more deferred so far, do not)."""
    frequency = draw(st.sampled_from(["monthly", "semimonthly"]))
    first = dt.date(2026, draw(st.sampled_from([6, 8, 10])), draw(st.sampled_from([1, 28])))
    options = {"match": draw(st.sampled_from([[(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)], [(1.0, 0.06)],
                                              [(2.0, 0.05), (1.0, 0.5)], [(1.5, 0.2), (0.25, 1.0)]])),
               "true_up": draw(st.booleans()), "granularity": draw(st.sampled_from(["0.5%", "1%"])),
               "max_election": draw(st.sampled_from([0.5, 1.0])), "separate_bonus_election": True,
               "stops_at_402g": True, "ytd_compensation": 60000.0,
               "ytd_deferrals": draw(st.sampled_from([0.0, 0.0, 9000.0, 18000.0]))}
    months = draw(st.lists(st.integers(first.month + 1, 12), min_size=1, max_size=2))
    options["bonuses"] = [(dt.date(2026, month, 3), draw(st.sampled_from([1000.0, 5000.0]))) for month in months]
    return first, frequency, draw(st.sampled_from([300.0, 1530.67, 2600.0])), 35, options


def _search(case_args, tables):
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    found = solver._phase1_from(case, 0, tables=tables)
    rows = found[2] if found is not None else ()
    return found if found is None else (found[0], found[1], list(rows() if callable(rows) else rows))


# Monthly $2,600 from 28 August (five checks) and a $5,000 bonus: at 100% elections they defer $18,000, the room
# exactly (nothing is cut), or a cent more than a room of $17,999.99 (the stop cuts the last check by a cent).
EXACTLY_THE_ROOM = ("2026-08-28", "monthly", 2600.0, 35,
                    {"granularity": "1%", "match": [(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)],
                     "separate_bonus_election": True, "bonuses": [("2026-09-17", 5000.0)],
                     "ytd_compensation": 60000.0, "ytd_deferrals": 6500.0})
A_CENT_PAST_THE_ROOM = (*EXACTLY_THE_ROOM[:4], {**EXACTLY_THE_ROOM[4], "ytd_deferrals": 6500.01})


@settings(max_examples=scaled(15), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(uncut_cases())
@example(EXACTLY_THE_ROOM)
@example(A_CENT_PAST_THE_ROOM)
def test_a_stop_that_cuts_nothing_searches_the_columns_as_without_one(case_args):
    """When the largest elections fit the room, the stop cuts no candidate and the column search is the one
    without it (solver._columns_within_room): the same best, members and rows as the column loop."""
    assert _search(case_args, True) == _search(case_args, False)


@settings(max_examples=scaled(20), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(uncut_cases(), generous_plans(), bonus_cut_cases(), slow_class_cases()))
def test_the_first_columns_without_a_stopped_candidate_searched_by_the_tables(case_args):
    """Under the stop, the columns up to the last whose largest regular election fits the room are left to the
    table search (solver._columns_within_room) when there are enough of them: the same first stage as the
    column loop over every column."""
    assert _phase1_with(case_args, _WITHIN_FIRST=0) == _phase1_with(case_args, _WITHIN_FIRST=10**9)


@st.composite
def capped_step_cases(draw):
    """Pay past the §401(a)(17) cap (the checks after it have no match pay), a separate bonus election and the
    payroll stop at 402(g), with regular deferrals that move by whole dollars (up to the whole pay, of even or
    odd cents) or by a whole 0.1% step of pay (an even or an odd number of cents): the spans whose rates are
    not whole but move the match by whole cents per step (150% of an even number of cents) and those where
    they do not (150% of odd cents, 25%, 33%)."""
    pay = draw(st.sampled_from([13800.46, 13800.47, 13800.0, 13810.0, 9000.5]))
    options = {"match": draw(st.sampled_from([[(1.5, 0.2), (0.25, 1.0)], [(1.5, 0.2), (0.25, 1.0)], [(1.5, 0.06)],
                                              [(0.5, 0.06)], [(0.33, 0.07)]])),
               "granularity": draw(st.sampled_from(["dollars", "0.1%"])),
               "max_election": draw(st.sampled_from([0.3, 0.75, 1.0])), "separate_bonus_election": True,
               "stops_at_402g": True,
               "bonuses": [(dt.date(2026, draw(st.integers(1, 5)), 19), draw(st.sampled_from([3335.76, 8627.02])))
                           for _ in range(draw(st.integers(1, 3)))]}
    return _make_case("2026-01-02", draw(st.sampled_from(["weekly", "biweekly"])), pay, 35, options)


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(capped_step_cases(), st.data())
def test_exact_spans_whose_rates_move_the_match_by_whole_cents(case, data):
    """A span is exact (bounds._span gives its ends) when each check's match moves by whole cents per step of
    its deferral (bounds._integer_slope: the rate times the regular grain, and the cut check's times n of it),
    not only at whole rates: checked against _truncated at every election of runs of one cut, from the room
    fill (where the stop cuts past the cap) up to where it cuts the first checks."""
    _prepare(case)
    y = data.draw(st.integers(0, min(case.y_max, _bonus_fit(case, case.room, 0, case.y_max) + 5)))
    fill = solver._largest(lambda x: _planned(case, x, y)[0] <= case.room, 0, case.x_max)
    first = (0 if fill is None else fill + 1) + data.draw(st.integers(0, case.x_max // 3))
    if data.draw(st.booleans()):
        first = max(first, case.x_max - data.draw(st.integers(0, 40)))     # up to the whole pay
    if first > case.x_max:
        return
    cut, _, column = _stop_at(case, first, y)
    last = first
    while last < min(case.x_max, first + 60) and _stop_at(case, last + 1, y)[0] == cut:
        last += 1
    matches = [_truncated(case, x, y) for x in range(first, last + 1)]
    ends = sorted({first, last, (first + last) // 2, first + (last - first) // 3, last - (last - first) // 3})
    for x1 in ends:
        for x2 in ends:
            if x1 >= x2:
                continue
            part = matches[x1 - first:x2 - first + 1]
            low, high, exact, _ = _span(case, x1, x2, cut, column)
            assert low <= min(part) and max(part) <= high
            if exact is not None:
                assert exact == (part[0], part[-1]) and (low, high) == (min(part), max(part))
                chosen = x1 if exact[0] >= exact[1] else _first_paying(case, x1, x2)
                assert chosen == x1 + part.index(high)


# Generated plan capped 133 (bench/paycheck_plans.capped_pay_plans): weekly $13,800.46 (past the cap from the
# 27th check), whole-dollar elections, 150% of up to 20% and 25% of up to 100%. 150% of whole dollars is whole
# cents, and the cut check's rest moves by n dollars: its spans of one cut are exact, so the column search
# drops them on their ends instead of halving them down to short spans against a bound 13 cents loose.
CAPPED_133 = ("2026-01-02", "weekly", 13800.46, 35,
              {"granularity": "dollars", "bonuses": [("2026-05-03", 8627.02), ("2026-01-19", 3335.76)],
               "match": [(1.5, 0.2), (0.25, 1.0)], "separate_bonus_election": True, "max_election": 0.75})


def test_spans_of_a_capped_whole_dollar_plan_are_exact_at_150_percent():
    case = _make_case(*CAPPED_133)
    _prepare(case)
    exact_spans = 0
    for y in (0, 2, 20):
        fill = solver._largest(lambda x, y=y: _planned(case, x, y)[0] <= case.room, 0, case.x_max)
        runs: dict[int, list[int]] = {}
        for x in range(fill + 1, fill + 400, 3):
            runs.setdefault(_stop_at(case, x, y)[0], []).append(x)
        for cut, run in runs.items():
            column = _stop_at(case, run[0], y)[2]
            matches = [_truncated(case, x, y) for x in range(run[0], run[-1] + 1)]
            low, high, exact, _ = _span(case, run[0], run[-1], cut, column)
            assert low <= min(matches) and max(matches) <= high
            if exact is not None:
                exact_spans += 1
                assert exact == (matches[0], matches[-1]) and (low, high) == (min(matches), max(matches))
    assert exact_spans >= 10


def _check_runs(case, y, xs):
    """Every run of one cut among the stopped elections ``xs`` at bonus election y, whole: _span's bounds hold and
    an exact span is its ends, its better end the smallest election paying its most. The count of exact runs."""
    runs: dict[int, list[int]] = {}
    for x in xs:
        if _planned(case, x, y)[0] > case.room:
            runs.setdefault(_stop_at(case, x, y)[0], []).append(x)
    exact_runs = 0
    for cut, run in runs.items():
        x1, x2 = run[0], run[-1]
        column = _stop_at(case, x1, y)[2]
        part = [_truncated(case, x, y) for x in range(x1, x2 + 1)]
        low, high, exact, _ = _span(case, x1, x2, cut, column)
        assert low <= min(part) and max(part) <= high
        if exact is not None:
            exact_runs += 1
            assert exact == (part[0], part[-1]) and (low, high) == (min(part), max(part))
            chosen = x1 if exact[0] >= exact[1] else _first_paying(case, x1, x2)
            assert chosen == x1 + part.index(high)
    return exact_runs


# Weekly pay of odd cents with whole-dollar elections up to the whole pay (150% of it all): the elections below
# the pay defer whole dollars (exact spans), the last one the pay itself. And weekly $13,810 on the 0.1% grid:
# each step is 1,381 cents, on which 150% is not whole cents.
@pytest.mark.parametrize(("case_args", "top"), [
    (("2026-01-02", "weekly", 8144.09, 35, {"granularity": "dollars", "match": [(1.5, 1.0)], "max_election": 1.0,
                                            "separate_bonus_election": True, "bonuses": [("2026-04-15", 4623.32)]}),
     True),
    (("2026-01-02", "weekly", 13810.0, 35, {"granularity": "0.1%", "match": [(1.5, 0.2), (0.25, 1.0)],
                                            "separate_bonus_election": True, "max_election": 0.75,
                                            "bonuses": [("2026-01-19", 3335.76), ("2026-05-03", 8627.02)]}),
     False),
], ids=["odd-cent pay, whole dollars up to the pay", "0.1% steps of 1,381 cents"])
def test_exact_spans_on_every_run_of_a_grain(case_args, top):
    case = _make_case(*case_args)
    _prepare(case)
    exact_runs = 0
    for y in (0, 3, 7):
        fill = solver._largest(lambda x, y=y: _planned(case, x, y)[0] <= case.room, 0, case.x_max)
        low = 0 if fill is None else fill + 1
        xs = range(max(low, case.x_max - 60), case.x_max + 1) if top else range(low, min(case.x_max, low + 300) + 1)
        exact_runs += _check_runs(case, y, xs)
    assert exact_runs >= 3
