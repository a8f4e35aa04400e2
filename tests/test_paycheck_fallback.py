"""The §415(c) fallback search (`megabackdoor.paycheck.fallback`): when deferrals + match alone can pass §415(c),
the solver searches every deferral election on the year's totals. Its bounds rest on §415(c) being a bound on
the match given the deferrals (`_match_room`), on the staircase of elections that fit below the room, and on
ties being exact sums of the regular and bonus checks; these tests check each against the simulation and the
brute force, on draws built to reach the fallback (low pay, catch-up ages, generous matches, separate bonus
elections, the payroll stop at 402(g), year-to-date money)."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from unittest.mock import patch

import pytest
from _brute import brute_force_elections
from _knobs import knobs
from _seeds import scaled
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_paycheck_fast_paths import _simulated_exhaustive
from test_paycheck_properties import GENEROUS

from megabackdoor.errors import InputError
from megabackdoor.paycheck import (
    _base_additions,
    _bonus_sum,
    _make_case,
    _phase1_exhaustive,
    _simulate,
    fallback,
    solve_elections,
)
from megabackdoor.paycheck.bounds import _concave, _edge_split, _span
from megabackdoor.paycheck.case import _amount, _match_cents
from megabackdoor.paycheck.fallback import (
    _415c_can_bind,
    _box_bounds,
    _boxes_best,
    _boxes_refuted,
    _column_best,
    _cut_bounds,
    _cut_rows,
    _deferral_room,
    _first_multiple,
    _fitting_deferrals,
    _flat_cells,
    _largest_near,
    _line_best,
    _line_cents,
    _match_room,
    _match_top,
    _pareto,
    _pays,
    _rounding,
    _split_column,
    _split_search,
    _spread_bounds,
    _spread_high,
    _spread_prefix,
    _strip_cells,
    _tie_rows,
    _tier_lines,
)
from megabackdoor.paycheck.simulation import _build_tables, _largest, _planned, _regular_fit
from megabackdoor.paycheck.stops import _bonus_column, _build_stops, _ColumnCuts, _stop_at, _truncated

# Derandomized by the hypothesis profile (tests/conftest.py); scaled() so the deep and fast profiles reach them.
FALLBACK = settings(max_examples=scaled(30), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# The shapes the fallback's bounds rely on, each drawn by construction (every test runs every shape):
# "low pay": §415(c) is 100% of a low year's pay and binds below the room (the staircase of fits, ties as
# exact sums), with a separate bonus election; "past the room": pay high enough that the largest elections
# pass the room, a payroll that stops there and a match that §415(c) leaves little room for (200% rates, 100%
# of pay, or pay capped at §401(a)(17)): the stopped candidates, with a separate bonus election or with the
# bonus checks on the regular one; "dollars": whole-dollar elections.
SHAPES = ["low pay", "past the room, separate", "past the room, regular election", "dollars"]

# Matches that with the deferrals can pass 100% of pay (GENEROUS's rates up to 200% and up to 100% of pay).
_GENEROUS_415C = [[(1.0, 0.5)], [(1.0, 1.0)], [(2.0, 0.1)], [(2.0, 1.0)], [(1.5, 0.2), (0.25, 1.0)],
                  [(2.0, 0.05), (1.0, 0.5)]]


@st.composite
def fallback_cases(draw, shape):
    """Cases of one of SHAPES where deferrals + match alone can pass §415(c), at catch-up ages (50-63) and with
    generous matches, on grids small enough to simulate every deferral election (1% steps, or whole dollars
    up to 20% of pay); sometimes a true-up, a payroll that stops at §415(c), year-to-date deferrals, match and
    after-tax money, or deferrals at another employer."""
    frequency = draw(st.sampled_from(["monthly", "semimonthly"]))
    first = dt.date(2026, draw(st.sampled_from([1, 1, 3, 7])), draw(st.sampled_from([1, 15])))
    options = {"match": draw(st.sampled_from(GENEROUS)), "true_up": draw(st.booleans()),
               "stops_at_402g": draw(st.sampled_from([True, True, False])), "stops_at_415c": draw(st.booleans())}
    bonus_count, bonuses = (0, 3), [1000.0, 6000.0, 15432.1, 50000.0]
    if shape == "dollars":
        pay = draw(st.sampled_from([150.0, 240.0, 333.33]))
        options.update(granularity="dollars", max_election=draw(st.sampled_from([0.5, 1.0])),
                       separate_bonus_election=False, match=draw(st.sampled_from(_GENEROUS_415C)))
        bonuses = [1000.0, 2345.67]
    elif shape == "low pay":
        pay = draw(st.sampled_from([900.0, 1500.0, 2500.0]))
        options.update(granularity="1%", max_election=draw(st.sampled_from([0.6, 0.75])),
                       separate_bonus_election=True, match=draw(st.sampled_from(_GENEROUS_415C)))
        bonus_count, bonuses = (1, 2), [1000.0, 6000.0, 2345.67]
    else:
        pay = draw(st.sampled_from([4321.09, 6000.0, 31250.0]))
        options.update(granularity="1%", max_election=draw(st.sampled_from([0.4, 0.6])),
                       separate_bonus_election=shape == "past the room, separate", stops_at_402g=True,
                       match=draw(st.sampled_from(_GENEROUS_415C)))
        bonus_count = (1, 3) if options["separate_bonus_election"] else (0, 3)
    months = draw(st.lists(st.integers(first.month, 12), min_size=bonus_count[0], max_size=bonus_count[1]))
    options["bonuses"] = [(dt.date(2026, month, 28), draw(st.sampled_from(bonuses)),
                           draw(st.sampled_from([True, True, True, False]))) for month in months]
    if first.month > 1 and draw(st.booleans()):
        # Money so far as shares of the pay so far, so that it fits §415(c) and 402(g) by construction; pay so
        # far near §401(a)(17) leaves the later checks little or no match pay (a true-up pays on the year's).
        ytd_pay = draw(st.sampled_from([(first.month - 1) * pay, 330000.0]))
        options.update(ytd_compensation=ytd_pay,
                       ytd_deferrals=min(15000.0, round(ytd_pay * draw(st.sampled_from([0.0, 0.2, 0.5])), 2)),
                       ytd_match=min(3000.0, round(ytd_pay * draw(st.sampled_from([0.0, 0.1])), 2)),
                       ytd_after_tax=min(4000.0, round(ytd_pay * draw(st.sampled_from([0.0, 0.0, 0.25])), 2)))
    elif draw(st.integers(0, 4)) == 0:
        options["other_employer_deferrals"] = draw(st.sampled_from([5000.0, 20000.0]))
    age = draw(st.sampled_from([50, 55, 60, 61, 63, 35]))
    return _make_case(first, frequency, pay, age, options)


@pytest.mark.parametrize("shape", SHAPES)
@FALLBACK
@given(data=st.data())
def test_match_room_is_the_inverse_of_base_additions(shape, data):
    case = data.draw(fallback_cases(shape))
    # §415(c) as a bound on the match given the deferrals: exactly the matches _base_additions lets fit.
    limit = case.limit_415 - case.ytd_after_tax
    deferrals = data.draw(st.integers(0, max(case.room, 0)))
    most = _match_room(case, deferrals)
    for match in {0, max(0, most - 1), max(0, most), most + 1, data.draw(st.integers(0, 10**7))}:
        assert (_base_additions(case, deferrals, match) <= limit) == (match <= most)


@pytest.mark.parametrize("shape", SHAPES)
@FALLBACK
@given(data=st.data())
def test_the_fallback_search_equals_simulating_every_election_on_the_fallback_class(shape, data):
    case = data.draw(fallback_cases(shape))
    assume(_415c_can_bind(case))      # the cases the solver hands to the fallback search
    _assert_the_fallback_search_equals_simulating_every_election(case)


def _assert_the_fallback_search_equals_simulating_every_election(case):
    expected = _simulated_exhaustive(case)
    if expected[0] is None:
        with pytest.raises(InputError):
            _phase1_exhaustive(case)
        return
    best, members, rows = _phase1_exhaustive(case)
    # The members (the smallest elections reaching the best), some handed over lazily by rising x.
    assert (best, sorted([*rows, *members])) == (expected[0], sorted(expected[1]))


# Cases that reach each part of the search past the room (found by a seeded search over the shapes above, kept
# here so the reach holds by construction): the first column's stopped candidate at top_at_room; later columns
# jumped whole as weak; a column tying the best past the room; bonus checks on the regular election with the
# best past the room.
REACH_CASES = {
    "stopped candidate at the most §415(c) leaves": (
        ("2026-03-01", "semimonthly", 31250.0, 63),
        {"match": [(2.0, 0.1)], "max_election": 0.6, "bonuses": [("2026-06-28", 50000.0)]}),
    "weak columns jumped": (
        ("2026-01-01", "semimonthly", 31250.0, 35),
        {"match": [(2.0, 0.1)], "max_election": 0.6, "bonuses": [("2026-06-28", 50000.0), ("2026-09-28", 6000.0)]}),
    "columns tying past the room": (
        ("2026-03-01", "semimonthly", 31250.0, 61),
        {"match": [(2.0, 1.0)], "max_election": 1.0, "bonuses": [("2026-12-28", 15432.1), ("2026-11-28", 6000.0)]}),
    "regular election, best past the room": (
        ("2026-07-15", "semimonthly", 31250.0, 55),
        {"match": [(2.0, 0.05), (1.0, 0.5)], "max_election": 0.6, "separate_bonus_election": False,
         "bonuses": [("2026-08-28", 1000.0), ("2026-08-28", 15432.1), ("2026-10-28", 15432.1)]}),
    "regular election, true-up": (
        ("2026-01-15", "monthly", 31250.0, 60),
        {"match": [(1.5, 0.2), (0.25, 1.0)], "true_up": True, "max_election": 1.0, "separate_bonus_election": False,
         "bonuses": [("2026-05-28", 1000.0), ("2026-11-28", 6000.0)]}),
}


@pytest.mark.parametrize("name", REACH_CASES)
def test_the_fallback_search_equals_simulating_every_election_past_the_room(name):
    args, options = REACH_CASES[name]
    case = _make_case(*args, {"granularity": "1%", "separate_bonus_election": True, **options})
    assert _415c_can_bind(case)
    expected = _simulated_exhaustive(case)
    best, members, rows = _phase1_exhaustive(case)
    assert (best, sorted([*rows, *members])) == (expected[0], sorted(expected[1]))


def test_the_named_fallback_case():
    # bench/paycheck_plans.py "fallback: deferrals + match pass 415(c), separate election": 26 biweekly
    # $1,000 paychecks and a $6,000 bonus with its own election, age 61, 100% match on up to 50%, 0.1% steps.
    # §415(c) = 100% of the year's pay = 26,000 + 6,000 = 32,000; the 2026 catch-up at 60-63 (11,250) is
    # outside it. The full match, 26 x 500 + 3,000 = 16,000, needs both elections at 50% or more, and then
    # 16,000 + deferrals - 11,250 <= 32,000: deferrals at most 27,250 (short of the 35,750 room). A step is
    # $1 of regular pay and $6 of the bonus: 26x + 6y = 27,250 with x, y >= 500, y <= 1,000 has solutions
    # x = 2 (mod 3), the smallest x = 818 (y = (27,250 - 26 x 818) / 6 = 997); no after-tax money fits.
    plan = solve_elections("2026-01-02", "biweekly", 1000, 61, bonuses=[("2026-06-12", 6000)],
                           separate_bonus_election=True, match=[(1.0, 0.5)], granularity="0.1%")
    assert (plan.deferral_election, plan.bonus_deferral_election) == (0.818, 0.997)
    assert (plan.after_tax_election, plan.bonus_after_tax_election) == (0.0, 0.0)
    assert (plan.match, plan.deferrals, plan.catchup, plan.after_tax) == (16000.0, 27250.0, 11250.0, 0.0)
    assert (plan.annual_additions, plan.limit_415c, plan.excess_additions) == (32000.0, 32000.0, 0.0)


@pytest.mark.parametrize("shape", SHAPES)
@settings(max_examples=scaled(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_when_415c_cannot_bind_no_election_passes_it(shape, data):
    case = data.draw(fallback_cases(shape))
    # The solver goes straight to the fallback search when §415(c) can bind; when it cannot, no deferral
    # election's simulated deferrals and match (with the after-tax money so far) pass §415(c).
    if _415c_can_bind(case):
        return
    separate = case.separate and bool(case.bonus_events)
    for y in (range(case.y_max + 1) if separate else (0,)):
        for x in range(case.x_max + 1):
            result = _simulate(case, x, y, 0, 0)
            if not result.excess_deferral:
                assert result.base_additions + case.ytd_after_tax <= case.limit_415


@pytest.mark.parametrize("shape", SHAPES)
@settings(max_examples=scaled(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_election_that_fits_415c_gets_more_match_than_the_match_top(shape, data):
    # _match_top ends the search below the room once the best reaches it: it must bound every candidate's
    # match (per-paycheck match and any true-up, below the room or cut by the payroll stop).
    case = data.draw(fallback_cases(shape))
    top = _match_top(case)
    separate = case.separate and bool(case.bonus_events)
    for y in (range(case.y_max + 1) if separate else (0,)):
        for x in range(case.x_max + 1):
            result = _simulate(case, x, y, 0, 0)
            if result.feasible:
                assert result.match <= top


@pytest.mark.parametrize("kind", ["separate", "dollars", "regular election"])
@settings(max_examples=scaled(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_column_best_is_the_best_stopped_match_in_the_column(kind, data):
    # _column_best against a scan of every stopped candidate of a column: the most match from `need` to
    # `top`, the smallest x paying it. Whole-dollar elections on high pay give long columns (hundreds of
    # candidates whose match rises with x); bonus checks on the regular election move with x too.
    if kind == "dollars":
        pay = data.draw(st.sampled_from([1500.0, 2500.0]))
        options = {"granularity": "dollars", "max_election": data.draw(st.sampled_from([0.8, 1.0]))}
        bonuses = data.draw(st.sampled_from([[], [("2026-12-28", 6000.0)]]))
    else:
        pay = data.draw(st.sampled_from([4321.09, 6000.0, 31250.0]))
        options = {"granularity": "1%", "max_election": data.draw(st.sampled_from([0.4, 0.6])),
                   "separate_bonus_election": kind == "separate"}
        bonuses = data.draw(st.sampled_from([[("2026-06-28", 50000.0)], [("2026-03-28", 6000.0)],
                                             [("2026-02-15", 50000.0), ("2026-07-18", 61565.05)]]))
    options.update(match=data.draw(st.sampled_from(_GENEROUS_415C)), true_up=data.draw(st.booleans()),
                   bonuses=bonuses)
    case = _make_case("2026-01-01", data.draw(st.sampled_from(["monthly", "semimonthly"])), pay,
                      data.draw(st.sampled_from([35, 61])), options)
    separate = case.separate and bool(case.bonus_events)
    y = data.draw(st.integers(0, case.y_max)) if separate else 0
    if separate:
        room_fill = _regular_fit(case, case.room - _bonus_sum(case, y), case.x_max)
    else:
        room_fill = max((x for x in range(case.x_max + 1) if _planned(case, x, 0)[0] <= case.room), default=None)
    x_first = 0 if room_fill is None else room_fill + 1
    if x_first > case.x_max:
        return
    matches = [(_truncated(case, x, y), x) for x in range(x_first, case.x_max + 1)]
    top = data.draw(st.sampled_from([match for match, _ in matches] + [max(matches)[0] + 1, 0]))
    need = data.draw(st.integers(0, max(top, 0)))
    reachable = [(match, -x) for match, x in matches if need <= match <= top]
    expected = None if not reachable else (max(reachable)[0], -max(reachable)[1])
    assert _column_best(case, y, x_first, case.x_max, need, top) == expected
    # An earlier column's tie at x' (ties_below): a match of just need counts only below it.
    ties_below = data.draw(st.integers(x_first, case.x_max + 1))
    reachable = [(match, x) for match, x in reachable if match > need or -x < ties_below]
    expected = None if not reachable else (max(reachable)[0], -max(reachable)[1])
    assert _column_best(case, y, x_first, case.x_max, need, top, ties_below) == expected
    if expected is not None:
        # At the boundary: the best's own smallest x is no longer below ties_below, the next one is.
        best, x = expected
        assert _column_best(case, y, x_first, case.x_max, best, top, x) is None
        assert _column_best(case, y, x_first, case.x_max, best, top, x + 1) == (best, x)
        assert _column_best(case, y, x_first, case.x_max, best, best, x) is None
        assert _column_best(case, y, x_first, case.x_max, best, best, x + 1) == (best, x)


@settings(max_examples=scaled(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_boxes_of_columns_bound_every_stopped_candidate_in_them(data):
    # _boxes_best (the most stopped match from need to top in a block of columns) and _boxes_refuted (none
    # there) against a scan of every stopped candidate (x, y) of the block.
    pay = data.draw(st.sampled_from([4321.09, 6000.0, 31250.0, 33989.76]))
    bonuses = data.draw(st.sampled_from([[("2026-06-28", 50000.0)], [("2026-03-28", 6000.0), ("2026-10-12", 76335.43)],
                                         [("2026-04-28", 1000.0), ("2026-11-20", 1000.0)]]))
    case = _make_case("2026-01-01", data.draw(st.sampled_from(["monthly", "semimonthly"])), pay,
                      data.draw(st.sampled_from([35, 61])),
                      {"granularity": "1%", "max_election": data.draw(st.sampled_from([0.4, 0.6])),
                       "separate_bonus_election": True, "bonuses": bonuses, "true_up": data.draw(st.booleans()),
                       "match": data.draw(st.sampled_from(_GENEROUS_415C))})
    y1 = data.draw(st.integers(0, case.y_max))
    y2 = data.draw(st.integers(y1, case.y_max))
    x1 = data.draw(st.integers(0, case.x_max))
    x2 = data.draw(st.integers(x1, case.x_max))
    matches = []
    for y in range(y1, y2 + 1):
        fill = _regular_fit(case, case.room - _bonus_sum(case, y), case.x_max)
        matches += [_truncated(case, x, y) for x in range(x1, x2 + 1) if fill is None or x > fill]
    if not matches:
        return
    top = data.draw(st.sampled_from([*matches, max(matches) + 1, 0]))
    need = data.draw(st.integers(0, max(top, 0)))
    inside = [match for match in matches if need <= match <= top]
    assert _boxes_best(case, x1, x2, y1, y2, need, top, budget=10**6) == max(inside, default=need - 1)
    if _boxes_refuted(case, x1, x2, y1, y2, need, top):
        assert not inside


# After-tax money made earlier in the year counts against §415(c) too: these cases' best deferrals and match
# fit §415(c) but not beside the $4,000 of year-to-date after-tax money, which the search that hands over to
# the fallback did not count (it answered with elections whose additions had to be refunded).
YTD_AFTER_TAX_CASES = [
    (("2026-08-01", "semimonthly", 2000.0, 52),
     {"granularity": "1%", "match": [(1.0, 0.5)], "max_election": 0.5, "after_tax_cap": 0.02,
      "bonuses": [("2026-11-10", 1000.0)]}),
    (("2026-09-01", "monthly", 2000.0, 52),
     {"granularity": "1%", "match": [(1.0, 1.0)], "separate_bonus_election": True, "max_election": 0.5,
      "after_tax_cap": 0.02, "ytd_compensation": 16857.28, "ytd_deferrals": 15000.0,
      "bonuses": [("2026-11-10", 1000.0)]}),
    (("2026-09-01", "semimonthly", 1000.0, 63),
     {"granularity": "1%", "match": [(2.0, 0.1)], "max_election": 0.5, "after_tax_cap": 0.02,
      "stops_at_402g": False, "bonuses": [("2026-11-10", 1000.0)]}),
]


@pytest.mark.parametrize(("args", "options"), YTD_AFTER_TAX_CASES)
def test_after_tax_money_so_far_counts_when_415c_binds(args, options):
    options = {"ytd_compensation": 10000.0, "ytd_deferrals": 9000.0, **options, "ytd_after_tax": 4000.0}
    plan = solve_elections(*args, **options)
    assert plan.excess_additions == 0 and plan.annual_additions <= plan.limit_415c
    assert plan == brute_force_elections(*args, **options)


def test_column_best_never_returns_a_match_below_what_is_needed():
    # Found with MEGABACKDOOR_SEED=101 (explore profile): asked for at least one cent more than the column's
    # most (need = top = most + 1), _column_best returned the most itself, since its running best started at
    # need - 1 and a leaf accepted a tie with it. Whole dollars, $1,500 semimonthly, 100% of up to 50%.
    case = _make_case("2026-01-01", "semimonthly", 1500.0, 35,
                      {"granularity": "dollars", "max_election": 0.8, "match": [(1.0, 0.5)], "true_up": False,
                       "bonuses": []})
    room_fill = max((x for x in range(case.x_max + 1) if _planned(case, x, 0)[0] <= case.room), default=None)
    x_first = 0 if room_fill is None else room_fill + 1
    most = max(_truncated(case, x, 0) for x in range(x_first, case.x_max + 1))
    assert most == 1_800_000      # $18,000: the column's most stopped match, in cents
    assert _column_best(case, 0, x_first, case.x_max, most + 1, most + 1) is None
    assert _column_best(case, 0, x_first, case.x_max, most, most + 1) == (most, 1021)


@st.composite
def capped_pay_cases(draw, matches=tuple(_GENEROUS_415C), elections=(0.3, 0.45), dollars=True, separate=True):
    """Cases whose pay reaches §401(a)(17) mid-year (high pay, sometimes with pay so far), so that the later
    checks have no match pay, with a separate bonus election (bonuses before and after the cap), a payroll
    that stops at 402(g), generous matches and no true-up: the split search's class (see _split_search); with
    ``dollars``, sometimes whole-dollar regular elections; ``separate=False``: bonus checks on the regular
    election (one column), with elections up to 90%."""
    frequency, pay = draw(st.sampled_from([("monthly", 45414.41), ("semimonthly", 33989.76), ("semimonthly", 31250.0)]))
    first = dt.date(2026, draw(st.sampled_from([1, 2])), 1)
    months = draw(st.lists(st.integers(first.month, 12), min_size=1, max_size=3))
    bonuses = [(dt.date(2026, month, draw(st.sampled_from([4, 28]))),
                draw(st.sampled_from([1000.0, 14504.47, 20000.0, 76335.43])),
                draw(st.sampled_from([True, True, False]))) for month in months]
    if draw(st.booleans()):      # the first bonus twice in its month: checks alike (pay and match pay)
        bonuses.append((bonuses[0][0].replace(day=10), bonuses[0][1], True))
    options = {"granularity": "1%", "max_election": draw(st.sampled_from(elections)),
               "separate_bonus_election": True, "stops_at_402g": True, "true_up": False,
               "match": draw(st.sampled_from(matches)), "bonuses": bonuses}
    if first.month > 1 and draw(st.booleans()):
        options.update(ytd_compensation=94142.22, ytd_deferrals=2000.0, ytd_match=3000.0)
    if not separate:
        options.update(separate_bonus_election=False, max_election=draw(st.sampled_from([*elections, 0.9])))
    elif dollars and draw(st.integers(0, 3)) == 0:
        # Whole-dollar regular elections on low pay, the cap reached and most of the room used so far.
        frequency, pay = "semimonthly", 1500.0
        options.update(granularity="dollars", max_election=0.25, ytd_compensation=345000.0, ytd_deferrals=16000.0,
                       bonuses=[(day, min(amount, 5000.0), in_plan) for day, amount, in_plan in bonuses])
    return _make_case(first, frequency, pay, draw(st.sampled_from([35, 61])), options)


def _split_candidates(case, first_column, later_last):
    """Every stopped candidate (x, y) of the split search's columns, with its stopped match."""
    for y in range(first_column, case.y_max + 1):
        fill = _regular_fit(case, case.room - _bonus_sum(case, y), case.x_max)
        for x in range(0 if fill is None else fill + 1, (case.x_max if y == first_column else later_last) + 1):
            yield x, y, _truncated(case, x, y)


def _split_draw(data):
    """A capped-pay case, the split search's first column and later columns' last x, every candidate of those
    columns, their matches sorted, and a top: at a match, just past the most, or a cent below the middle one."""
    case = data.draw(capped_pay_cases())
    first_column = data.draw(st.integers(0, case.y_max))
    later_last = data.draw(st.integers(-1, case.x_max))
    candidates = list(_split_candidates(case, first_column, later_last))
    assume(candidates)
    matches = sorted({match for _, _, match in candidates})
    top = data.draw(st.sampled_from([*matches, matches[-1] + 1, matches[len(matches) // 2] - 1]))
    return case, first_column, later_last, candidates, matches, top


def _assert_the_best_in_range(case, found, candidates, need, top):
    """The split search found the most match from `need` to `top` and the smallest elections paying it."""
    if found is None:      # only when the year's last check with plan pay has match pay (no true-up here)
        assert case.stops.match_pays[-1] > 0
        return
    inside = [match for _, _, match in candidates if need <= match <= top]
    if not inside:
        assert found == (None, [])
        return
    best = max(inside)
    assert found == (best, _pareto([(x, y) for x, y, match in candidates if match == best]))


@settings(max_examples=scaled(30, fast=5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_split_search_is_the_best_stopped_match_and_its_smallest_elections(data):
    # _split_search (the walk over the columns where the matched checks fit the room, and the boxes of the
    # candidates cut at a matched check) against a scan of every candidate: the most match from `need` to
    # `top` and the smallest elections paying it, whatever the columns' x ranges.
    case, first_column, later_last, candidates, matches, top = _split_draw(data)
    need = data.draw(st.sampled_from([0, top, max(0, top - 1), matches[0], matches[len(matches) // 3]]))
    # Sometimes exactly the match of a later column's largest election: the columns skipped before the first
    # that can reach what is needed must not include one that pays it.
    edges = [match for x, y, match in candidates if x == later_last and y > first_column]
    if edges and data.draw(st.booleans()):
        top = need = data.draw(st.sampled_from(edges))
    found = _split_search(case, top, need, first_column, later_last, boxes=10**6)
    _assert_the_best_in_range(case, found, candidates, need, top)


@settings(max_examples=scaled(60, fast=10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_split_search_where_the_strips_give_up_below_a_level(data):
    # As above, with part one's strips giving up once a band holds any cell, or more than 1 or 4: they can then
    # say only that no candidate of part one pays from some level up, and part two is searched from that level
    # first (part one is walked only when part two has nothing there either).
    case, first_column, later_last, candidates, matches, top = _split_draw(data)
    # A top at a match or 63 cents above it (the first band's lowest, where part two is searched from), or past
    # the most (the first bands empty: part two may have nothing from the level up, and part one is walked).
    top += data.draw(st.sampled_from([0, 63, 64]))
    stops = case.stops or _build_stops(case)
    edge = max(position for position, pay in enumerate(stops.match_pays) if pay > 0) + 1
    past = [match for x, y, match in candidates if _stop_at(case, x, y)[0] >= edge]      # (part one's)
    if data.draw(st.booleans()):
        top = max(past or matches) + data.draw(st.sampled_from([64, 600, 5000]))
    need = data.draw(st.sampled_from([0, max(0, top - 1), matches[0], matches[len(matches) // 3]]))
    levels, original = [], fallback._part_one_strips

    def spy(*args):
        found = original(*args)
        levels.extend([found] if isinstance(found, int) else [])
        return found

    with patch.object(fallback, "_PART_ONE_CELLS", data.draw(st.sampled_from([0, 1, 4]))), \
            patch.object(fallback, "_part_one_strips", spy):
        found = _split_search(case, top, need, first_column, later_last, boxes=10**6)
    # What the strips say: no candidate cut past the matched checks pays from the level to the top.
    for level in levels:
        assert need < level <= top and all(not level <= match <= top for match in past)
    _assert_the_best_in_range(case, found, candidates, need, top)


def test_the_split_search_of_capped_plan_145_searches_part_two_first():
    # Capped plan 145 of bench/paycheck_plans.py (see below): part one's strips find no candidate paying from
    # $47,125.61 up to the $47,500.00 §415(c) leaves and cannot work out the next band (as wide as an election's
    # step); part two has one there, $47,489.70 at (10.1%, 13.5%), the best of all: found by one search of part
    # two from that level, without a walk over part one's 500 columns (its best, $46,319.97 at (6.2%, 8.9%), is
    # far below).
    case = _make_case("2026-01-02", "biweekly", 30095.82, 35,
                      {"granularity": "0.1%", "match": [(2.0, 0.1)], "separate_bonus_election": True,
                       "true_up": False, "stops_at_402g": True, "max_election": 0.5,
                       "bonuses": [("2026-03-04", 6651.84), ("2026-05-26", 7005.12), ("2026-02-18", 8903.96),
                                   ("2026-04-28", 1070.83)]})
    levels, original = [], fallback._part_one_strips

    def spy(*args):
        found = original(*args)
        levels.append(found)
        return found

    with patch.object(fallback, "_part_one_strips", spy):
        assert _split_search(case, 4_750_000, 2_432_816, 0, 203, 4400) == (4_748_970, [(101, 135)])
    assert levels == [4_712_561]
    found, _ = _part_one(case, 4_750_000, 2_432_816, 0, 203)
    assert found == (4_631_997, [(62, 89)]) and _truncated(case, 62, 89) == 4_631_997


def test_the_split_search_sums_the_bonus_checks_before_the_edge_from_all_of_them_less_the_later_ones():
    # Capped plan 57 of bench/paycheck_plans.py: $17,046.85 biweekly reaches §401(a)(17) at its 29th check with
    # plan pay (Sep 11, $9,183.32 of it matched), so only the first 29 checks (19 regular, 10 bonuses) add
    # match; the split search's sums of those 10 bonuses' deferrals at every bonus election are all 12 bonuses'
    # (the case's table) less the 2 later ones' (Sep 23 $3,279.79 and Sep 26 $5,210.98). Each bonus defers
    # ROUND(pay x election, 2): at 55.7% the ten defer $1,463.72 + $2,250.27 + $3,848.79 + $1,231.67 + $4,605.70
    # + $4,881.60 + $792.83 + $1,669.17 + $1,456.22 + $2,293.20 = $24,493.17; at 0.1% $43.97; at 75% $32,980.05.
    case = _make_case("2026-01-02", "biweekly", 17046.85, 61,
                      {"granularity": "0.1%", "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True,
                       "true_up": False, "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.75,
                       "bonuses": [("2026-02-28", 2627.86), ("2026-09-26", 5210.98), ("2026-03-09", 4039.99),
                                   ("2026-08-14", 2614.39), ("2026-06-11", 8268.76), ("2026-08-13", 2996.72),
                                   ("2026-07-03", 1423.39), ("2026-03-20", 6909.86), ("2026-09-02", 4117.06),
                                   ("2026-07-01", 8764.09), ("2026-04-07", 2211.26), ("2026-09-23", 3279.79)]})
    seen = []
    original = fallback._early_sums

    def spy(case, stops, edge, early, tables):
        found = original(case, stops, edge, early, tables)
        seen.append((edge, sum(count for _, _, count, _, _ in early), found))
        return found

    with patch.object(fallback, "_early_sums", spy):
        _phase1_exhaustive(case)
    edge, count, sums = seen[0]
    assert (edge, count) == (29, 10)
    assert (sums[0], sums[1], sums[557], sums[750]) == (0, 4_397, 2_449_317, 3_298_005)
    later = [event[3] for event in case.bonus_events if event[0] > dt.date(2026, 9, 2)]
    assert later == [3279.79, 5210.98]
    assert sums == [total - sum(_amount(case, pay, units, True) for pay in later)
                    for units, total in enumerate(case.bonus_sums)]


def _part_one(case, top, need, first_column, later_last):
    """What _split_search's part one hands its part two: (best, ties), and whether the strips found them."""
    seen, strips = {}, []
    original = fallback._part_one_strips

    def spy(*args):
        found = original(*args)
        strips.append(found is not None)
        return found

    def capture(case, stops, edge, regions, top, need, best, ties, boxes):
        seen["found"] = (best, ties)
        return None, []      # (part two pays nothing: where the strips give up, part one is walked)

    with patch.object(fallback, "_cut_search", capture), patch.object(fallback, "_part_one_strips", spy):
        _split_search(case, top, need, first_column, later_last, boxes=10**6)
    return seen.get("found"), strips


@settings(max_examples=scaled(40, fast=8), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_part_one_is_the_best_candidate_cut_past_the_matched_checks(data):
    # Part one of _split_search (the strips of F(x) + G(y), or the walk where they cannot say) against a scan of
    # the candidates the stop cuts after the last check with match pay: the most from `need` to `top` and the
    # smallest elections paying it.
    case = data.draw(capped_pay_cases())
    first_column = data.draw(st.integers(0, case.y_max))
    later_last = data.draw(st.integers(-1, case.x_max))
    candidates = list(_split_candidates(case, first_column, later_last))
    stops = case.stops or _build_stops(case)
    matched = [position for position, pay in enumerate(stops.match_pays) if pay > 0]
    assume(candidates and matched and matched[-1] + 1 < len(stops.plan_pays))
    edge = matched[-1] + 1
    past = [(x, y, match) for x, y, match in candidates if _stop_at(case, x, y)[0] >= edge]
    matches = sorted({match for _, _, match in past or candidates})
    # A top at a candidate's match or just above it, or 64 and 64 + 512 cents above (the first bands' ends).
    top = data.draw(st.sampled_from(matches)) + data.draw(st.sampled_from([0, 0, 1, 64, 576, 577]))
    need = data.draw(st.sampled_from([0, top, max(0, top - 1), matches[0], matches[len(matches) // 3]]))
    found, _ = _part_one(case, top, need, first_column, later_last)
    inside = [match for _, _, match in past if need <= match <= top]
    if not inside:
        assert found == (need - 1, [])
        return
    best = max(inside)
    assert found == (best, _pareto([(x, y) for x, y, match in past if match == best]))


def test_part_one_of_capped_plan_187_by_strips():
    # Capped plan 187 of bench/paycheck_plans.py: $30,344.50 biweekly past §401(a)(17), twelve bonuses before the
    # cap, 200% up to 5% and 100% up to 50%, 0.1% steps. §415(c) leaves $47,500.00 of match beside the room;
    # the candidates whose matched checks all keep their deferral pay at most $47,499.69, at 8.1% of pay and
    # 8.5% of each bonus (the recorded answer's elections), found by the strips, not a walk over 750 columns.
    case = _make_case("2026-01-02", "biweekly", 30344.5, 63, {
        "granularity": "0.1%", "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True,
        "true_up": False, "stops_at_402g": True, "max_election": 0.75,
        "bonuses": [("2026-02-24", 1858.73), ("2026-01-03", 722.09), ("2026-01-08", 4056.97),
                    ("2026-04-02", 4808.0), ("2026-04-04", 7632.8), ("2026-03-07", 4763.49),
                    ("2026-01-24", 5721.15), ("2026-03-19", 7445.77), ("2026-05-02", 3930.75),
                    ("2026-05-13", 8872.11), ("2026-05-22", 2077.17), ("2026-04-12", 8077.97)]})
    _build_tables(case)
    found, strips = _part_one(case, 4_750_000, 3_547_028, 0, 750)
    assert found == (4_749_969, [(81, 85)]) and strips == [True]
    assert _truncated(case, 81, 85) == 4_749_969

def test_the_split_search_of_capped_plan_56_settles_boxes_of_many_cuts_at_once():
    # Capped plan 56 of bench/paycheck_plans.py: $9,185.45 weekly past §401(a)(17), twelve bonuses, 150% up to 20%
    # and 25% up to 100% of pay, whole-dollar regular elections. The stop cuts the 64 checks anywhere from the 10th
    # to the 46th: the first boxes span 36 cuts, which the flat boxes split at the 20% tier edge (x = $1,837 /
    # $1,838) and then settle in one look each, instead of peeling the boxes one cut at a time (~190 boxes).
    # §415(c) leaves $47,500.00 of match beside the room; the best is $47,499.65 at ($1,890, 21%): 21 checks of
    # $1,890 and five bonus checks before the stop, and $589.79 of the 22nd (the recorded answer).
    case = _capped_plan_56()
    spreads = []
    original = fallback._flat_cells

    def spy(case, stops, box, cuts, *args):
        spreads.append(cuts[1] - cuts[0])
        return original(case, stops, box, cuts, *args)

    with patch.object(fallback, "_flat_cells", spy):
        assert _split_search(case, 4_750_000, 3_565_022, 0, 4592, 800) == (4_749_965, [(1890, 21)])
    assert max(spreads) > 32 and len(spreads) < 20
    assert _truncated(case, 1890, 21) == 4_749_965 and _planned(case, 1890, 21)[0] > case.room


@settings(max_examples=scaled(30, fast=5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_cut_bounds_bound_every_candidate_cut_at_or_before_the_cap(data):
    # _cut_bounds against a scan of the stopped candidates of a box whose cut is at most `cap`: each one's
    # match lies between the bounds (with and, for concave tiers, without the chords).
    case = data.draw(capped_pay_cases(separate=data.draw(st.booleans())))
    stops = case.stops or _build_stops(case)
    if not case.separate:      # (y does not count: one column)
        case.y_max = 0
    y1 = data.draw(st.integers(0, case.y_max))
    y2 = data.draw(st.integers(y1, min(case.y_max, y1 + data.draw(st.sampled_from([0, 3, 45])))))
    x1 = data.draw(st.integers(0, case.x_max))
    x2 = data.draw(st.integers(x1, min(case.x_max, x1 + data.draw(st.sampled_from([0, 3, 45])))))
    cap = data.draw(st.integers(0, len(stops.plan_pays) - 1))
    chords = _rounding(case, stops) if _concave(case) and data.draw(st.booleans()) else None
    matches = [_truncated(case, x, y) for y in range(y1, y2 + 1) for x in range(x1, x2 + 1)
               if _planned(case, x, y)[0] > case.room and _stop_at(case, x, y)[0] <= cap]
    # A top among the candidates' matches: the box straddles it, and a box with one cut splits where its
    # corners' line crosses it (in up to three parts).
    top = data.draw(st.sampled_from(matches)) + data.draw(st.integers(-5, 5)) if matches and data.draw(
        st.booleans()) else float("inf")
    low, high, halves = _cut_bounds(case, stops, x1, x2, y1, y2, cap, chords, top)
    for match in matches:
        assert low <= match <= high
    if halves:      # the parts cover the box, each smaller than it
        cells = sorted((x, y) for a, b, c, d in halves for x in range(a, b + 1) for y in range(c, d + 1))
        assert cells == sorted((x, y) for x in range(x1, x2 + 1) for y in range(y1, y2 + 1))
        assert x1 == x2 and y1 == y2 or all(b - a + d - c < x2 - x1 + y2 - y1 for a, b, c, d in halves)


@settings(max_examples=scaled(20, fast=5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_spread_high_bounds_every_candidate_cut_there(data):
    # _spread_high (the room shared by the checks, highest rate first) against a scan of the stopped candidates
    # of a box: each one's match is at most the bound for its own cut, with its box's ranges as _cut_bounds
    # takes them. Fails with the bound a cent lower.
    case = data.draw(capped_pay_cases(separate=data.draw(st.booleans())))
    assume(_concave(case))
    stops = case.stops or _build_stops(case)
    if not case.separate:
        case.y_max = 0
    y1 = data.draw(st.integers(0, case.y_max))
    y2 = data.draw(st.integers(y1, min(case.y_max, y1 + data.draw(st.sampled_from([0, 3, 45])))))
    x1 = data.draw(st.integers(0, case.x_max))
    x2 = data.draw(st.integers(x1, min(case.x_max, x1 + data.draw(st.sampled_from([0, 3, 45])))))
    first_cut, a1, low_column = _stop_at(case, x1, y1)
    a2 = _stop_at(case, x2, y2)[1]
    high_column = _bonus_column(case, stops, x2, y2, counted=False)
    chords = _rounding(case, stops)
    prefix = _spread_prefix(case, stops, low_column, high_column, first_cut, chords)
    bonus_low, bonus_high = low_column[0], high_column[0]
    for y in range(y1, y2 + 1):
        for x in range(x1, x2 + 1):
            if _planned(case, x, y)[0] <= case.room:
                continue
            cut = _stop_at(case, x, y)[0]
            n = stops.regular_before[cut]
            most = a2 if stops.regular[cut] else bonus_high[cut + 1] - bonus_high[cut]
            left_high = min(case.room - n * a1 - bonus_low[cut], most)
            left_low = max(0, case.room - n * a2 - bonus_high[cut])
            assert _truncated(case, x, y) <= _spread_high(case, stops, cut, a1, a2, left_low, left_high,
                                                          bonus_low[cut], prefix[cut], chords)


def _flat_box(case, x1, x2, y1, y2, most, floor, top):
    """_flat_cells on a box, its cuts from its corners (the most at most ``most``)."""
    stops = case.stops or _build_stops(case)
    first_cut, a1, low_column = _stop_at(case, x1, y1)
    last_cut, a2, high_column = _stop_at(case, x2, y2)
    cuts = (last_cut, min(first_cut, most))
    return cuts, _flat_cells(case, stops, (x1, x2, y1, y2), cuts, (a1, a2), (low_column, high_column), floor, top,
                             _rounding(case, stops), {})


@settings(max_examples=scaled(150, fast=15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_flat_cells_hold_every_candidate_of_the_box_paying_from_floor_to_top(data):
    # _flat_cells (on one tier line per check the match is linear in a(x) and the bonus checks' deferrals, within
    # the checks' rounding) against a scan of a box's stopped candidates cut at its cuts: settled, its cells hold
    # every one paying from floor to top; else its parts cover the box, each smaller.
    case = data.draw(capped_pay_cases())
    stops = case.stops or _build_stops(case)
    y1 = data.draw(st.integers(0, case.y_max))
    y2 = data.draw(st.integers(y1, min(case.y_max, y1 + data.draw(st.sampled_from([0, 3, 45])))))
    x1 = data.draw(st.integers(0, case.x_max))
    x2 = data.draw(st.integers(x1, min(case.x_max, x1 + data.draw(st.sampled_from([0, 3, 45])))))
    last_cut = _stop_at(case, x2, y2)[0]
    most = data.draw(st.integers(last_cut, min(last_cut + 3, len(stops.plan_pays) - 1)))
    candidates = [(x, y, _truncated(case, x, y)) for y in range(y1, y2 + 1) for x in range(x1, x2 + 1)
                  if _planned(case, x, y)[0] > case.room and _stop_at(case, x, y)[0] <= most]
    assume(candidates)
    matches = sorted({match for _, _, match in candidates})
    # A narrow band at a candidate's match (as below §415(c)'s level line: the best found up to the top), or a
    # wide one.
    top = data.draw(st.sampled_from(matches)) + data.draw(st.sampled_from([0, 1, 30]))
    floor = top - data.draw(st.sampled_from([0, 1, 31, 2000, 10**6]))
    cuts, found = _flat_box(case, x1, x2, y1, y2, most, floor, top)
    assume(cuts[0] <= cuts[1])
    if found is None:
        return
    settled, cells = found
    if settled:
        # Each candidate paying from floor to top is a cell, with a bound at least its match.
        bounds = {}
        for most, x, y in cells:
            bounds[x, y] = max(most, bounds.get((x, y), most))
        for x, y, match in candidates:
            if floor <= match <= top:
                assert match <= bounds[x, y]
    else:
        covered = sorted((x, y) for a, b, c, d in cells for x in range(a, b + 1) for y in range(c, d + 1))
        assert covered == sorted((x, y) for x in range(x1, x2 + 1) for y in range(y1, y2 + 1))
        assert all(b - a + d - c < x2 - x1 + y2 - y1 for a, b, c, d in cells)


def _capped_plan_56():
    """Capped plan 56 of bench/paycheck_plans.py (whole-dollar regular elections: a(x) moves a dollar a step)."""
    return _make_case("2026-01-02", "weekly", 9185.45, 50, {
        "granularity": "dollars", "match": [(1.5, 0.2), (0.25, 1.0)], "separate_bonus_election": True,
        "true_up": False, "stops_at_402g": True, "max_election": 0.5,
        "bonuses": [("2026-03-10", 517.64), ("2026-09-16", 7677.79), ("2026-01-18", 996.93),
                    ("2026-08-02", 4367.58), ("2026-01-25", 2930.0), ("2026-07-03", 7671.89),
                    ("2026-04-22", 2565.54), ("2026-01-17", 2699.69), ("2026-02-28", 3239.88),
                    ("2026-02-20", 7044.71), ("2026-07-05", 5522.42), ("2026-02-24", 8524.57)]})


@pytest.mark.parametrize("box", [(1838, 2600, 21, 26), (1838, 3000, 40, 44), (1838, 1900, 20, 20)])
def test_flat_cells_of_capped_plan_56_hold_every_candidate_in_the_band(box):
    # Boxes of plan 56 at dollar steps (six or seven of the stop's cuts), where a strip's cells and each cut's
    # range of x are a dollar wide: each candidate paying from the floor to the top (bands of 1 cent to $100
    # under the $47,500.00 §415(c) leaves, and the own match of the first and the last x of each cut in each
    # column) is a cell of the settled box, with a bound at least its match.
    case = _capped_plan_56()
    _build_tables(case)
    x1, x2, y1, y2 = box
    candidates = [(x, y, _truncated(case, x, y)) for y in range(y1, y2 + 1) for x in range(x1, x2 + 1)
                  if _planned(case, x, y)[0] > case.room]
    ends = {}
    for x, y, match in candidates:
        cut = _stop_at(case, x, y)[0]
        first, last = ends.get((cut, y), ((x, match), (x, match)))
        ends[cut, y] = min(first, (x, match)), max(last, (x, match))
    bands = [(4_750_000 - width, 4_750_000) for width in (1, 40, 10_000)]
    bands += [(match, match) for match in sorted({match for pair in ends.values() for _, match in pair})]
    settled = 0
    for floor, top in bands:
        cuts, found = _flat_box(case, x1, x2, y1, y2, 45, floor, top)
        if found is None or not found[0]:
            continue
        settled += 1
        bounds = {}
        for most, x, y in found[1]:
            bounds[x, y] = max(most, bounds.get((x, y), most))
        for x, y, match in candidates:
            if floor <= match <= top and _stop_at(case, x, y)[0] <= cuts[1]:
                assert match <= bounds[x, y], (x, y, match, floor, top)
    assert settled


def test_flat_cells_split_a_box_where_a_bonus_check_crosses_a_tier_edge():
    # Capped plan 145 of bench/paycheck_plans.py: $30,095.82 biweekly, bonuses of $6,651.84, $7,005.12, $8,903.96
    # and $1,070.83, 0.1% steps, 200% of deferrals up to 10% of pay. At 10.0% the $6,651.84 bonus defers $665.18,
    # on the 200% line (its edge is $665.184); at 10.1%, $671.84, past it: the box with bonus elections 100..500
    # (regular election 10.1%) is split there, each part on one line per check.
    case = _make_case("2026-01-02", "biweekly", 30095.82, 35,
                      {"granularity": "0.1%", "match": [(2.0, 0.1)], "separate_bonus_election": True,
                       "true_up": False, "stops_at_402g": True, "max_election": 0.5,
                       "bonuses": [("2026-03-04", 6651.84), ("2026-05-26", 7005.12), ("2026-02-18", 8903.96),
                                   ("2026-04-28", 1070.83)]})
    _build_tables(case)
    cuts, found = _flat_box(case, 101, 101, 100, 500, 9, 4_748_757, 4_750_000)
    assert cuts == (7, 9)
    assert found == (False, [(101, 101, 100, 100), (101, 101, 101, 500)])
    # In the upper part every check is on one line. At (10.1%, 13.5%) the stop cuts the regular check after the
    # two bonus checks: the room $24,500 less 7 regular checks of $3,039.68 and the bonuses' $1,202.03 + $898.00
    # leaves it $1,122.21. Its match: 7 x $6,019.16 (200% of 10% of pay) + $1,780.79 + $1,330.37 (200% of 10% of
    # each bonus) + 2 x $1,122.21 = $47,489.70, within the band from $47,487.57 to $47,500.00 (§415(c)'s room).
    assert _truncated(case, 101, 135) == 4_748_970
    cuts, found = _flat_box(case, 101, 101, 101, 500, 9, 4_748_757, 4_750_000)
    cells = [(x, y) for _, x, y in found[1]]
    assert found[0] and (101, 135) in cells and len(cells) <= 2      # of 400 elections
    assert [cell for cell in cells if 4_748_757 <= _truncated(case, *cell) <= 4_750_000] == [(101, 135)]


@settings(max_examples=scaled(200, fast=50), deadline=None)
@given(step=st.integers(0, 600), modulus=st.integers(1, 500), data=st.data())
def test_first_multiple_is_the_least_step_count_landing_in_the_range(step, modulus, data):
    # _first_multiple (Euclid's recursion) against trying every count up to the modulus (the residues repeat).
    low = data.draw(st.integers(0, modulus - 1))
    high = data.draw(st.integers(low, modulus - 1))
    expected = next((count for count in range(modulus + 1) if low <= step * count % modulus <= high), None)
    assert _first_multiple(step, modulus, low, high) == expected


@settings(max_examples=scaled(200, fast=50), deadline=None)
@given(a=st.integers(-3000, 3000), c=st.integers(-3000, 3000), low=st.integers(-50_000, 50_000),
       width=st.sampled_from([0, 1, 40, 400, 3000]), x1=st.integers(0, 50), x2=st.integers(0, 30),
       y1=st.integers(0, 50), y2=st.integers(0, 60))
def test_strip_cells_are_the_cells_of_the_box_in_the_strip(a, c, low, width, x1, x2, y1, y2):
    # _strip_cells against a scan of the box: the cells with low <= a x + c y <= high, or None only where the
    # strip is as wide as a step of x, the same in every row (a = 0) or past the limit.
    box, high = (x1, x1 + x2, y1, y1 + y2), low + width
    cells = [(x, y) for y in range(box[2], box[3] + 1) for x in range(box[0], box[1] + 1)
             if low <= a * x + c * y <= high]
    found = _strip_cells(a, c, low, high, box, 40)
    if found is None:
        assert a == 0 and cells or width >= abs(a) > 0 or len(cells) > 40
    else:
        assert sorted(found) == sorted(cells)


@settings(max_examples=scaled(300, fast=60), deadline=None)
@given(match=st.sampled_from(GENEROUS), match_pay_cents=st.integers(1, 10_000_000),
       share=st.floats(0.0, 1.3), whole=st.booleans())
def test_line_cents_is_the_rounded_match_formula(match, match_pay_cents, share, whole):
    # _line_cents (the match on the tier line holding the deferral, rounded half up, the formula itself within
    # a thousandth of a cent of a half) against _match_cents, at deferrals up to past the last tier edge, on
    # whole-cent match pay and on a §401(a)(17) share of a check's pay (not whole cents).
    case = _make_case("2026-01-01", "monthly", 10000.0, 35, {"match": match, "bonuses": []})
    match_pay = match_pay_cents / 100 if whole else match_pay_cents / 100 * 0.3579
    deferral = int(share * match_pay * 100)
    assert _line_cents(case, _tier_lines(case, match_pay), deferral, match_pay) == _match_cents(case, deferral,
                                                                                                  match_pay)


def test_line_cents_pinned():
    # 200% up to 5% and 100% up to 50% of $30,344.50: the 5% edge is $1,517.225. $1,000.00 of deferral: $2,000.00;
    # $2,000.00: 2 x $1,517.225 + $482.775 = $3,517.225, half a cent up to $3,517.23 (ROUND takes a half up).
    case = _make_case("2026-01-01", "monthly", 10000.0, 35, {"match": [(2.0, 0.05), (1.0, 0.5)], "bonuses": []})
    lines = _tier_lines(case, 30344.5)
    assert _line_cents(case, lines, 100_000, 30344.5) == 200_000
    assert _line_cents(case, lines, 200_000, 30344.5) == 351_723 == _match_cents(case, 200_000, 30344.5)

@settings(max_examples=scaled(200, fast=50), deadline=None)
@given(steps=st.lists(st.lists(st.integers(0, 40), min_size=30, max_size=30), min_size=0, max_size=3),
       at_bonus=st.booleans(), regular=st.integers(0, 200), counts=st.sampled_from([(0, 1), (2, 2), (2, 3), (5, 5)]),
       room=st.integers(0, 3000), stretch=st.sampled_from([(0.0, math.inf), (0.0, 150.5), (150.5, 400.0)]),
       y1=st.integers(0, 29), y2=st.integers(0, 29))
def test_cut_rows_are_the_columns_cut_there_on_the_stretch(steps, at_bonus, regular, counts, room, stretch, y1,
                                                            y2):
    # _cut_rows against a scan of the columns: n a + B(y) <= room < n' a + B'(y), what is left on the stretch.
    tables = [list(itertools.accumulate(step)) for step in steps]
    before_tables, at_tables = (tables[:-1], tables[-1:]) if at_bonus and tables else (tables, [])
    n, n_next = counts
    columns = (min(y1, y2), max(y1, y2))
    expected = []
    for y in range(columns[0], columns[1] + 1):
        before = n * regular + sum(table[y] for table in before_tables)
        after = before + (n_next - n) * regular + sum(table[y] for table in at_tables)
        if before <= room < after and stretch[0] <= room - before <= stretch[1]:
            expected.append(y)
    found = _cut_rows(regular, counts, (before_tables, at_tables), room, stretch, columns)
    assert list(found) == expected

def test_strip_cells_and_first_multiple_pinned():
    # 7 x + 3 y in {20, 21} over 0..10 x 0..10: 7 x 2 + 3 x 2 = 20, 3 x 7 = 21 and 7 x 3 = 21.
    assert sorted(_strip_cells(7, 3, 20, 21, (0, 10, 0, 10), 100)) == [(0, 7), (2, 2), (3, 0)]
    assert _first_multiple(7, 10, 1, 1) == 3      # 21 = 2 x 10 + 1
    assert _first_multiple(4, 10, 1, 1) is None      # 4 j is even: never 1 more than a multiple of 10

@settings(max_examples=scaled(6, fast=2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=capped_pay_cases(matches=([(2.0, 1.0)], [(2.0, 0.1)], [(2.0, 0.05), (1.0, 0.5)]), elections=(0.3,),
                             dollars=False))
def test_the_fallback_search_equals_simulating_every_election_when_pay_reaches_the_401a17_cap(case):
    # The whole search (the split search past the room included) against simulating every deferral election.
    assume(_415c_can_bind(case))
    _assert_the_fallback_search_equals_simulating_every_election(case)


@pytest.mark.parametrize("shape", SHAPES)
@settings(max_examples=scaled(6, fast=2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_election_below_the_room_defers_more_than_its_match_allows(shape, data):
    # _deferral_room(match) bounds the deferrals of every election below the room that pays `match` within
    # §415(c) (what leaves room for the match, and whose least match is at most it): the search below the
    # room ends once its best reaches (the match top, that bound). And _pays finds only elections that pay.
    case = data.draw(fallback_cases(shape))
    separate = case.separate and bool(case.bonus_events)
    most: dict[int, int] = {}      # per match, the most deferrals of an election below the room paying it
    for y in (range(case.y_max + 1) if separate else (0,)):
        for x in range(case.x_max + 1):
            deferrals, match = _planned(case, x, y)
            if deferrals <= case.room and match <= _match_room(case, deferrals):
                most[match] = max(most.get(match, -1), deferrals)
    matches = sorted(most)
    # The largest matches (where the search uses it) and a sample of the others.
    checked = matches[-12:] + data.draw(st.lists(st.sampled_from(matches), max_size=8)) if matches else []
    cache: dict = {}
    for match in checked:
        assert most[match] <= _deferral_room(case, match, cache)
    if separate and matches:
        paid = {(match, most[match]) for match in matches}
        value = data.draw(st.sampled_from(sorted(paid)))
        for probe in (value, (value[0], value[1] + 1), (value[0] + 1, value[1])):
            assert not _pays(case, probe) or probe in paid or any(
                _planned(case, x, y) == (probe[1], probe[0]) for y in range(case.y_max + 1)
                for x in range(case.x_max + 1))


@pytest.mark.parametrize("dollars", [True, False])
@settings(max_examples=scaled(8, fast=2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_tie_rows_are_the_smallest_elections_paying_the_value(dollars, data):
    # _tie_rows (by rising x, the smallest y per x, kept when below every earlier y) against every election:
    # whole-dollar regular elections with a separate bonus election have far more rows than bonus elections
    # (one look-up per bonus election), 1% steps about as many (one per row). A 50-cent bonus makes bonus
    # elections whose checks add up to the same cents (the smallest one counts).
    pay = data.draw(st.sampled_from([150.0, 240.0, 333.33] if dollars else [900.0, 1500.0]))
    options = {"granularity": "dollars" if dollars else "1%", "max_election": data.draw(st.sampled_from([0.5, 1.0])),
               "separate_bonus_election": True, "match": data.draw(st.sampled_from(_GENEROUS_415C)),
               "bonuses": [("2026-06-28", data.draw(st.sampled_from([1000.0, 2345.67, 0.5]))),
                           ("2026-11-28", data.draw(st.sampled_from([1000.0, 0.5])))]}
    case = _make_case("2026-01-01", data.draw(st.sampled_from(["monthly", "semimonthly"])), pay, 61, options)
    x = data.draw(st.integers(0, case.x_max))
    y = data.draw(st.integers(0, case.y_max))
    assume(_planned(case, x, y)[0] <= case.room)
    deferrals, match = _planned(case, x, y)
    expected, lowest = [], case.y_max + 1
    for row in range(case.x_max + 1):
        paying = [column for column in range(lowest) if _planned(case, row, column) == (deferrals, match)]
        if paying:
            lowest = paying[0]
            expected.append((row, lowest))
    assert list(_tie_rows(case, (match, deferrals))) == expected
    _build_tables(case)      # (and with the tables of every election's amounts, as the search leaves them)
    assert list(_tie_rows(case, (match, deferrals))) == expected


@settings(max_examples=scaled(30, fast=6), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_split_search_of_one_column_is_its_best_stopped_match_and_smallest_election(data):
    # _split_column (bonus checks on the regular election) against a scan of the column's stopped candidates.
    case = data.draw(capped_pay_cases(separate=False))
    candidates = [(x, _truncated(case, x, 0)) for x in range(case.x_max + 1) if _planned(case, x, 0)[0] > case.room]
    assume(candidates)
    matches = sorted({match for _, match in candidates})
    top = data.draw(st.sampled_from([*matches, matches[-1] + 1, matches[len(matches) // 2] - 1]))
    need = data.draw(st.sampled_from([0, top, max(0, top - 1), matches[0], matches[len(matches) // 3]]))
    found = _split_column(case, top, need, boxes=10**6)
    if found is None:      # only when the year's last check with plan pay has match pay (no true-up here)
        assert case.stops.match_pays[-1] > 0
        return
    inside = [(match, -x) for x, match in candidates if need <= match <= top]
    assert found == ((max(inside)[0], [(-max(inside)[1], 0)]) if inside else (None, []))


def _without_tables(case):
    """The case as it was before any table of every election's amounts or any planned sum was worked out."""
    case.bonus_sums, case.regular_amounts, case.bonus_sum_calls = None, None, 0
    for memo in ("bonus tables", "bonus match checks"):
        case.bands.pop(memo, None)
    case.bonus_parts.clear()
    case.regular_parts.clear()
    return case


@pytest.mark.parametrize("shape", ["low pay", "past the room, separate"])
@settings(max_examples=scaled(8, fast=2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_best_below_the_room_is_the_best_election_that_fits(shape, data):
    # _within_room_best against every election whose planned deferrals fit the room and whose planned money
    # fits §415(c), with runs of few fits resolved by one bisection per fit (always, sometimes, never), and a
    # ridge (every run bounded by the unbeaten value, no election paying it: each run's fits one by one, down to
    # fit 0 when its last column has none) found at the first run, after 24, or from the start with a true-up;
    # with the bonus checks' tables bought at the start, or rented (the case's tables and sums forgotten first).
    case = data.draw(fallback_cases(shape))
    fits = [_planned(case, x, y)[::-1] for y in range(case.y_max + 1) for x in range(case.x_max + 1)]
    expected = max(((match, deferrals) for match, deferrals in fits
                    if deferrals <= case.room and match <= _match_room(case, deferrals)), default=None)
    for few in (0, 3, 10**9):
        for probe, from_start, buy in ((24, True, True), (1, False, True), (24, False, False), (1, True, False)):
            with knobs(fallback, _FEW_FITS=few, _PROBE_AFTER=probe, _RIDGE_FROM_START=from_start, _BUY_TABLES=buy):
                assert fallback._within_room_best(_without_tables(case)) == expected
    # _fitting_deferrals caps every fit: no election that fits defers more.
    most = _fitting_deferrals(case)
    assert all(deferrals <= most for match, deferrals in fits
               if deferrals <= case.room and match <= _match_room(case, deferrals))
    # A column's fit among the elections deferring at most a cap (a fitting election's own deferrals, or one
    # cent less): the largest x that fits and defers at most it.
    y = data.draw(st.integers(0, case.y_max if case.separate and case.bonus_events else 0))
    column = [(x, *_planned(case, x, y)) for x in range(case.x_max + 1)]
    fitting = [deferrals for _, deferrals, match in column
               if deferrals <= case.room and match <= _match_room(case, deferrals)]
    for cap in ({fitting[-1], fitting[-1] - 1, fitting[0]} if fitting else {0}):
        expected = max((x for x, deferrals, match in column if deferrals <= min(case.room, cap)
                        and match <= _match_room(case, deferrals)), default=None)
        assert fallback._column_fit(case, y, 0, case.x_max, most=cap) == expected


@pytest.mark.parametrize("shape", ["low pay", "past the room, separate"])
@settings(max_examples=scaled(8, fast=2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_search_below_the_room_stops_below_a_floor_and_goes_on_to_the_same_best(shape, data):
    # _within_room_search, sent falling floors (matches): while its best is below a floor it may stop once every
    # run left is bounded below it (the best so far, below the floor, not settled); at a floor the best reaches
    # (the best's own match, or lower) it is settled on the whole search's best (_phase1_exhaustive sends
    # top_at_room, then the best past the room, then -1 when that finds none).
    case = data.draw(fallback_cases(shape))
    expected = fallback._within_room_best(case)
    match = -1 if expected is None else expected[0]
    floors = sorted({match + 1, match, max(match - 1, -1), data.draw(st.integers(0, 2 * max(match, 0))), -1},
                    reverse=True)
    with knobs(fallback, _PROBE_AFTER=data.draw(st.sampled_from([1, 24]))):
        search = fallback._within_room_search(_without_tables(case))
        next(search)
        for floor in floors:
            found, settled = search.send(floor)
            if settled or match >= floor:
                assert (found, settled) == (expected, True)
                break
            assert found is None or found < expected and found[0] < floor


def test_with_a_true_up_the_fitting_deferrals_stop_where_the_formula_meets_what_415c_leaves():
    # Weekly $9,130.07 from 2 January (52 checks, $474,763.64 and a $8,138.18 bonus: capped at §401(a)(17)'s
    # $360,000), age 55 (room $24,500 + $8,000), 200% on up to 5% and 100% on up to 50% with a true-up: on the
    # year's deferrals d the formula pays 2 x $18,000 + (d - $18,000) = d + $18,000, while §415(c) leaves
    # $72,000 - d + $8,000 (the catch-up comes off it) = $80,000 - d: they meet at d = $31,000 ($49,000 of
    # match). A cent more and the formula alone ($49,000.01) passes what is left ($48,999.99).
    case = _make_case("2026-01-02", "weekly", 9130.07, 55,
                      {"granularity": "0.1%", "bonuses": [("2026-03-06", 8138.18)], "match": [(2.0, 0.05), (1.0, 0.5)],
                       "separate_bonus_election": True, "true_up": True, "stops_at_402g": True, "max_election": 0.75})
    assert (case.room, case.year_match_pay) == (3_250_000, 360000.0)
    assert _fitting_deferrals(case) == 3_100_000
    assert _match_room(case, 3_100_000) == 4_900_000 and _match_room(case, 3_100_001) == 4_899_999
    # The best that fits is below it: $48,997.75 of match on $30,997.75 (the formula's, d + $18,000). Every
    # column's fit defers just below the $31,000: a ridge from the start, each fit's columns one by one.
    assert fallback._within_room_best(case) == (4_899_775, 3_099_775)
    with knobs(fallback, _RIDGE_FROM_START=False):
        assert fallback._within_room_best(case) == (4_899_775, 3_099_775)
    # Without the true-up, the room.
    case = _make_case("2026-01-02", "weekly", 9130.07, 55,
                      {"granularity": "0.1%", "bonuses": [("2026-03-06", 8138.18)], "match": [(2.0, 0.05), (1.0, 0.5)],
                       "separate_bonus_election": True, "stops_at_402g": True, "max_election": 0.75})
    assert _fitting_deferrals(case) == 3_250_000


def test_a_ridge_searches_each_fit_down_to_no_regular_deferral():
    # Weekly $2,500 from 2 January after $300,000 of pay this year: §401(a)(17)'s $360,000 leaves match pay
    # for the first four checks and a $50,000 bonus on 9 January (100% match on up to 100% of pay), none for
    # the rest; age 55: room $32,500. The best below the room is no regular deferral and 65% of the bonus:
    # $32,500 deferred, $32,500 matched (§415(c): $24,500 counted + $32,500 of match, within $72,000); any
    # regular deferral takes room from the matched bonus. The last bonus election (75%) has no fit at all, so a
    # ridge's fits one by one must go down to fit 0 (without it: $31,100 of match).
    case = _make_case("2026-01-02", "weekly", 2500.0, 55,
                      {"granularity": "1%", "bonuses": [("2026-01-09", 50000.0)], "match": [(1.0, 1.0)],
                       "separate_bonus_election": True, "max_election": 0.75, "ytd_compensation": 300000.0})
    assert case.room == 3_250_000
    for probe in (1, 24):
        with knobs(fallback, _PROBE_AFTER=probe):
            assert fallback._within_room_best(case) == (3_250_000, 3_250_000)
    assert _planned(case, 0, 65) == (3_250_000, 3_250_000)


@settings(max_examples=scaled(20, fast=5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_planned_sums_with_bonus_checks_alike_equal_the_simulation(data):
    # The planned sums work out bonus checks of the same pay and match pay once (times their count): equal to
    # the simulation's, check by check, whenever the payroll stop cuts nothing. Checks alike: the same bonus
    # on several dates, some past §401(a)(17) (other match pay), some not in plan pay.
    amount = data.draw(st.sampled_from([1000.0, 15432.1, 50000.0]))
    months = data.draw(st.lists(st.integers(2, 12), min_size=2, max_size=5))
    bonuses = [(dt.date(2026, month, 28), amount, data.draw(st.sampled_from([True, True, False])))
               for month in months]
    case = _make_case("2026-01-01", "semimonthly", data.draw(st.sampled_from([4321.09, 31250.0])), 61,
                      {"granularity": "1%", "max_election": 0.6, "bonuses": bonuses,
                       "separate_bonus_election": data.draw(st.booleans()), "true_up": data.draw(st.booleans()),
                       "match": data.draw(st.sampled_from(_GENEROUS_415C)), "stops_at_402g": False})
    x, y = data.draw(st.integers(0, case.x_max)), data.draw(st.integers(0, case.y_max))
    result = _simulate(case, x, y, 0, 0)
    assert _planned(case, x, y) == (result.deferrals, result.match)


def test_the_search_out_from_a_guess_finds_the_largest_true_like_the_bisection():
    # _largest_near against _largest on every threshold predicate of small ranges, from every guess (and
    # guesses outside the range): the same answer, None when the predicate fails at `low`.
    for low in range(0, 3):
        for high in range(low, low + 19):
            for threshold in range(low - 1, high + 2):
                def predicate(n, threshold=threshold):
                    return n <= threshold
                expected = _largest(predicate, low, high)
                for guess in range(low - 2, high + 3):
                    assert _largest_near(predicate, low, high, guess) == expected


def test_box_bounds_count_the_bonus_checks_of_elections_below_the_stop_before_the_first_bonus():
    # Bonus checks on the regular election: from the election x_b on (the regular checks before the first bonus
    # check pass the room) the stop's column is the one of no bonus deferrals (stops._stop_at), but a box
    # reaching past x_b also holds elections below it whose stop cuts after a bonus check: bounding them with
    # that column dropped x = 26 (26% of $45,414.41 twice leaves $884.50 of the room for the $14,504.47 bonus,
    # matched 200% up to 10%: 2 x $9,082.88 + $1,769.00 = $19,934.76), the only candidate paying that much.
    case = _make_case("2026-02-01", "monthly", 45414.41, 35,
                      {"granularity": "1%", "max_election": 0.3, "separate_bonus_election": False, "true_up": False,
                       "match": [(2.0, 0.1)], "bonuses": [("2026-02-04", 1000.0, False), ("2026-03-04", 14504.47)]})
    assert _truncated(case, 26, 0) == 1_993_476
    assert _column_best(case, 0, 5, case.x_max, 1_993_476, 1_993_476) == (1_993_476, 26)
    assert _split_column(case, 1_993_476, 1_993_476, boxes=10**6) == (1_993_476, [(26, 0)])
    stops = case.stops or _build_stops(case)
    for x1, x2 in [(24, 27), (26, 27), (20, 30)]:
        assert _box_bounds(case, stops, x1, x2, 0, 0)[1] >= _truncated(case, 26, 0)
        assert _cut_bounds(case, stops, x1, x2, 0, 0, len(stops.plan_pays) - 1, None)[1] >= _truncated(case, 26, 0)


@st.composite
def dollar_column_cases(draw):
    """Whole-dollar regular elections on pay far past §401(a)(17) with a separate bonus election and the payroll
    stop at 402(g) (the capped-pay plans of bench/paycheck_plans.py), as (case, y, x1, x2): a span of at most
    300 regular elections of column y past the room, all cut at one check."""
    frequency, pay = draw(st.sampled_from([("semimonthly", 27971.5), ("biweekly", 23453.08), ("weekly", 9185.45),
                                           ("monthly", 79432.0)]))
    bonuses = [(dt.date(2026, month, 6), draw(st.sampled_from([1056.55, 8250.03, 30876.43])))
               for month in draw(st.lists(st.integers(1, 6), min_size=1, max_size=3))]
    case = _make_case("2026-01-02", frequency, pay, draw(st.sampled_from([35, 61])),
                      {"granularity": "dollars", "max_election": draw(st.sampled_from([0.5, 0.75])),
                       "separate_bonus_election": True, "stops_at_402g": True, "bonuses": bonuses,
                       "match": draw(st.sampled_from([[(2.0, 0.05), (1.0, 0.5)], [(2.0, 0.1)],
                                                      [(1.5, 0.2), (0.25, 1.0)], [(1.0, 0.06)]]))})
    y = draw(st.integers(0, min(case.y_max, 80)))
    fill = _regular_fit(case, case.room - _bonus_sum(case, y), case.x_max)
    x1 = draw(st.integers(0 if fill is None else fill + 1, case.x_max))
    cuts = _ColumnCuts(case, y)
    cut = cuts.at(x1)
    x2 = min(case.x_max, x1 + draw(st.integers(0, 300)))
    if cuts.at(x2) != cut:
        x2 = cuts.boundary(case.stops, x1, x2, cut)
    return case, y, x1, x2


@settings(max_examples=scaled(40, fast=10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=dollar_column_cases(), data=st.data())
def test_line_best_is_the_best_stopped_match_of_an_exact_span(drawn, data):
    # _column_best settles a span whose match follows one line in the regular deferral (bounds._span's ends) at
    # once (_line_best): the most stopped match up to top and the smallest x paying it, against a scan of every
    # election of each straight part of the span (split at the tier edges, as _column_best does).
    case, y, x1, x2 = drawn
    cuts = _ColumnCuts(case, y)
    cut = cuts.at(x1)
    while x1 <= x2:
        edge = _edge_split(case, x1, x2, cut, cuts.column)
        end = x2 if edge is None else edge
        _, _, ends, _ = _span(case, x1, end, cut, cuts.column)
        if ends is not None:
            matches = [(_truncated(case, x, y), x) for x in range(x1, end + 1)]
            assert ends == (matches[0][0], matches[-1][0])
            values = sorted({match for match, _ in matches})
            for top in {values[0] - 1, values[-1] + 1, data.draw(st.sampled_from(values)),
                        data.draw(st.sampled_from(values)) - 1}:
                below = [(match, -x) for match, x in matches if match <= top]
                expected = None if not below else (max(below)[0], -max(below)[1])
                assert _line_best(case, x1, end, ends, top) == expected
        x1 = end + 1


def test_line_best_of_a_falling_span_lands_on_the_last_match_within_what_415c_leaves():
    # Semimonthly $27,971.50 (from 2 January: 24 checks), a $8,250.03 bonus on 6 February with its own election
    # at $0, whole-dollar regular elections, 200% on up to 5% and 100% on up to 50% of pay, age 61: the room is
    # $24,500 + $11,250 = $35,750 and §415(c) leaves $72,000 - $24,500 = $47,500 of match at it. From x = $4,294
    # to $4,468 the stop cuts the 9th regular check (8 before it): at $4,294 they defer $34,352 and match
    # 2 x $1,398.575 + ($4,294 - $1,398.575) = $5,692.575 -> $5,692.58 each ($45,540.64), and the cut check's
    # $1,398 left (below 5% of pay) is matched 200%: $2,796.00, $48,336.64 in all. Each $1 more of election
    # adds $8 of match on the 8 checks and takes $8 of deferral (200%: $16) off the cut check: -$8. The last
    # match within $47,500 is at $4,399: 8 x $4,399 = $35,192, $558 left -> $1,116.00, and 8 x $5,797.58 =
    # $46,380.64: $47,496.64 ($4,398 pays $47,504.64).
    case = _make_case("2026-01-02", "semimonthly", 27971.5, 61,
                      {"granularity": "dollars", "bonuses": [("2026-02-06", 8250.03)],
                       "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True, "stops_at_402g": True,
                       "max_election": 0.75})
    assert (case.room, _match_room(case, case.room)) == (3_575_000, 4_750_000)
    cuts = _ColumnCuts(case, 0)
    cut = cuts.at(4294)
    assert cut == cuts.at(4468) == 9 and _edge_split(case, 4294, 4468, cut, cuts.column) is None
    _, _, ends, _ = _span(case, 4294, 4468, cut, cuts.column)
    assert ends == (4_833_664, 4_833_664 - 800 * 174)
    assert _truncated(case, 4398, 0) == 4_750_464
    assert _line_best(case, 4294, 4468, ends, 4_750_000) == (4_749_664, 4399)
    assert _column_best(case, 0, 4294, 4468, 0, 4_750_000) == (4_749_664, 4399)
    # Below the span's last match nothing fits; at its first, the first election.
    assert _line_best(case, 4294, 4468, ends, 4_694_463) is None
    assert _line_best(case, 4294, 4468, ends, 4_833_664) == (4_833_664, 4294)


@st.composite
def spread_boxes(draw):
    """A box of regular elections [x1, x2] x bonus elections [y1, y2] past the room over several of the payroll
    stop's cuts, on whole-dollar capped-pay cases (dollar_column_cases) or the percent ones (capped_pay_cases)."""
    if draw(st.booleans()):
        case, y1, x1, _ = draw(dollar_column_cases())
    else:
        case = draw(capped_pay_cases())
        y1 = draw(st.integers(0, case.y_max))
        x1 = draw(st.integers(0, case.x_max))
    y2 = min(case.y_max, y1 + draw(st.integers(0, 3)))
    x2 = min(case.x_max, x1 + draw(st.sampled_from([5, 40, 300, 3000])))
    return case, x1, x2, y1, y2


@settings(max_examples=scaled(40, fast=10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=spread_boxes(), data=st.data())
def test_spread_bounds_bound_every_candidate_cut_in_their_run_of_cuts(drawn, data):
    # _spread_bounds (the chord bounds on a box whose candidates are cut at several checks) against every stopped
    # candidate of the box (at most 300 elections per column, drawn), for every run of cuts holding it.
    case, x1, x2, y1, y2 = drawn
    assert _concave(case) and not case.true_up
    stops = case.stops or _build_stops(case)
    first_cut, last_cut = _stop_at(case, x1, y1)[0], _stop_at(case, x2, y2)[0]
    low, high = _spread_bounds(case, stops, x1, x2, y1, y2, first_cut, last_cut)
    xs = sorted(set(data.draw(st.lists(st.integers(x1, x2), max_size=300))) | {x1, x2})
    for y in range(y1, y2 + 1):
        fill = _regular_fit(case, case.room - _bonus_sum(case, y), case.x_max)
        for x in xs:
            if fill is None or x > fill:
                assert low <= _truncated(case, x, y) <= high


def test_spread_bounds_of_a_run_of_cuts_all_in_the_first_tier_meet_at_its_match():
    # Weekly $9,185.45 from 2 January, age 55 (room $24,500 + $8,000 = $32,500), 150% on up to 20% of pay
    # ($1,837.09) and 25% on up to 100%, whole-dollar elections, a $8,250.03 bonus on 6 March with its own
    # election. From x = $900 to $1,800 (bonus election $0 to $5) every check the stop keeps defers at most
    # 20% of its pay, in full match pay (the room is used within 37 checks, before §401(a)(17)'s $360,000 at
    # 39.2), so every candidate gets 150% of the room: $48,750.00, whichever of the 19 cuts from the 19th
    # check to the 38th it has. The chord bounds see that at once: every check's chord rate and first rate are
    # 150%, so both bounds are 1.5 x the room, less or plus half a cent per check (38 checks: 19 cents).
    case = _make_case("2026-01-02", "weekly", 9185.45, 55,
                      {"granularity": "dollars", "bonuses": [("2026-03-06", 8250.03)],
                       "match": [(1.5, 0.2), (0.25, 1.0)], "separate_bonus_election": True, "stops_at_402g": True,
                       "max_election": 0.5})
    stops = case.stops or _build_stops(case)
    assert case.room == 3_250_000
    assert {_truncated(case, x, y) for x in range(900, 1801, 7) for y in range(6)} == {4_875_000}
    assert (_stop_at(case, 900, 0)[0], _stop_at(case, 1800, 5)[0]) == (37, 18)
    low, high = _spread_bounds(case, stops, 900, 1800, 0, 5, 37, 18)
    assert 4_875_000 - 20 < low <= 4_875_000 <= high < 4_875_000 + 20
    # §415(c) leaving $47,500 of match: the column search drops the run without looking at its cuts one by one.
    assert _column_best(case, 0, 900, 1800, 0, 4_750_000) is None


def test_flat_cells_split_a_box_at_every_tier_edge_its_bonus_checks_cross_at_once():
    # Capped plan 57 of bench/paycheck_plans.py: $17,046.85 biweekly, twelve bonuses, 0.1% steps, 200% of
    # deferrals up to 5% of pay then 100% up to 50%, a separate bonus election. Each bonus check's tier edges
    # are 5% and 50% of its pay, and its deferral is rounded to the cent: at 5.0% the $2,627.86 bonus defers
    # $131.39, not past its edge $131.393, but the $4,039.99 one defers $202.00, past $201.9995, so its last
    # election on the 200% line is 4.9% (at 50%: $1,313.93 vs $2,020.00 past $2,019.995, 49.9%). The box of
    # regular elections 5.1%..41.9% and every bonus election from 0.1% is split at all four columns in one
    # call (it took four calls, one split each), and each part has every check on one tier line: settled at once.
    case = _make_case("2026-01-02", "biweekly", 17046.85, 61, {
        "granularity": "0.1%", "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True,
        "true_up": False, "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.75,
        "bonuses": [("2026-02-28", 2627.86), ("2026-09-26", 5210.98), ("2026-03-09", 4039.99),
                    ("2026-08-14", 2614.39), ("2026-06-11", 8268.76), ("2026-08-13", 2996.72),
                    ("2026-07-03", 1423.39), ("2026-03-20", 6909.86), ("2026-09-02", 4117.06),
                    ("2026-07-01", 8764.09), ("2026-04-07", 2211.26), ("2026-09-23", 3279.79)]})
    _build_tables(case)
    cuts, found = _flat_box(case, 51, 419, 1, 750, 28, 4_749_916, 4_750_000)
    assert cuts == (5, 28)
    parts = [(51, 419, 1, 49), (51, 419, 50, 50), (51, 419, 51, 499), (51, 419, 500, 500), (51, 419, 501, 750)]
    assert found == (False, parts)
    for x1, x2, y1, y2 in parts:
        assert _flat_box(case, x1, x2, y1, y2, 28, 4_749_916, 4_750_000)[1][0] is True
