"""Straight spans whose rounding repeats every two or four steps (`stops._parity_best`): with 150% of up to 20% and
25% above on an odd-cent pay at 0.1% steps, each check's unrounded match moves by half a cent (or a quarter) per
cent of deferral, so `bounds._span` is not exact there, but what rounding adds depends only on the regular
deferral's class (a mod 2 or 4) and the match is a line within a class: the span's most is at one of a few
elections. Checked against every election of the span (hypothesis, derandomized), `_column_max` against every
election of the column, phase 1 with and without the shortcut, and capped plan 93 pinned.
"""

from __future__ import annotations

from _knobs import knobs
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_envelope import _phase1_found, capped_cases
from test_paycheck_span_bound import _assert_the_stopped_candidates

from megabackdoor.paycheck import _make_case, _planned, _truncated, solve_elections
from megabackdoor.paycheck import stops as stops_module
from megabackdoor.paycheck.bounds import _span
from megabackdoor.paycheck.solver import _prepare
from megabackdoor.paycheck.stops import (
    _before_first_bonus,
    _build_stops,
    _column_max,
    _ColumnCuts,
    _cut_rounding,
    _moving_bonus_candidates,
    _parity_best,
    _regular_amount,
    _stop_at,
    _stopped_candidates,
)

# Capped plan 93 (bench/paycheck_plans.py capped_pay_plans(200)).
PLAN_93 = (("2026-01-02", "biweekly", 31880.51, 35),
           {"granularity": "0.1%", "bonuses": [("2026-05-22", 4889.63), ("2026-03-05", 3913.14),
                                               ("2026-04-22", 580.68), ("2026-01-19", 7279.69)],
            "match": [(1.5, 0.2), (0.25, 1.0)], "separate_bonus_election": True, "true_up": False,
            "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.5})


@st.composite
def fine_capped_cases(draw):
    """The capped class on 0.1% and 0.5% steps of odd-cent pays, with the half- and quarter-rate tiers."""
    first, frequency, pay, age, options = draw(capped_cases())
    options = dict(options, granularity=draw(st.sampled_from(["0.1%", "0.5%"])), true_up=False,
                   match=draw(st.sampled_from([[(1.5, 0.2), (0.25, 1.0)], [(0.5, 0.06)], [(1.5, 0.06), (0.75, 0.5)]])))
    pay = round(int(pay) + draw(st.sampled_from([0.51, 0.37, 0.05, 0.01])), 2)
    return first, frequency, pay, age, options


def _case(case_args):
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    return case


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(fine_capped_cases(), st.data())
def test_a_parity_span_gives_its_most_at_the_smallest_election_paying_it(case_args, data):
    """Every span of one cut that _parity_best settles: its answer is the most any election of the span gets under
    the stop, at the smallest x that gets it."""
    case = _case(case_args)
    if not (case.stops_402g and case.stop == case.room >= 0):
        return
    stops = case.stops or _build_stops(case)
    y = data.draw(st.integers(0, case.y_max))
    stopped = [x for x in range(case.x_max + 1) if _planned(case, x, y)[0] > case.room]
    if len(stopped) < 2:
        return
    settled = 0
    for _ in range(6):
        x1 = data.draw(st.sampled_from(stopped))
        cut, _, column = _stop_at(case, x1, y)
        same = [x for x in stopped if x >= x1 and _stop_at(case, x, y)[0] == cut]
        x2 = data.draw(st.sampled_from(same))
        found = _parity_best(case, stops, x1, x2, cut, column)
        if found is None:
            continue
        matches = {x: _truncated(case, x, y) for x in range(x1, x2 + 1)}
        most = max(matches.values())
        assert found == (min(x for x, match in matches.items() if match == most), most)
        settled += 1


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(fine_capped_cases(), st.data())
def test_column_max_is_the_most_of_every_election(case_args, data):
    """_column_max (spans split at their middle cut, bounded over their cuts, parity spans settled) is the most
    stopped match of the column, and at least what a search with a budget returns."""
    case = _case(case_args)
    if not (case.stops_402g and case.stop == case.room >= 0):
        return
    y = data.draw(st.integers(0, case.y_max))
    stopped = [x for x in range(case.x_max + 1) if _planned(case, x, y)[0] > case.room]
    if not stopped:
        return
    first, last = stopped[0], stopped[-1]
    most = max(_truncated(case, x, y) for x in range(first, last + 1))
    assert _column_max(case, y, first, last) == most
    assert _column_max(case, y, first, last, 0, budget=data.draw(st.integers(1, 30))) <= most


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(fine_capped_cases(), capped_cases()))
def test_phase_1_is_the_same_with_and_without_parity_spans(case_args):
    assert _phase1_found(case_args) == _phase1_found(case_args, _module=stops_module, _PARITY_SPANS=False)


def test_capped_plan_93_parity_span_and_seed():
    """Plan 93, bonus election 5 (bonus deferrals $36.40, $19.57, $2.90 before the 4th bonus check): the stop cuts
    regular elections 86-95 at check 11, after 8 regular checks, all three bonus checks and with what is left on
    the cut (regular) check, every one of them at 150% (below 20% of its pay). So the match is 150% of the room,
    $36,750.00, plus half a cent per odd deferral: at 8.9% the regular deferral is $2,837.37 (odd: 8 half cents),
    one bonus deferral ($19.57) is odd and the cut check keeps $1,742.17 (odd): $36,750.05. At 8.6-8.8% the
    regular deferrals are even ($2,741.72, $2,773.60, $2,805.48): the bonus and cut checks' two half cents,
    $36,750.01. The column's most past the room fill, $36,750.07 in column 97 (the ceiling), is found with the
    seed's budget of 24 spans."""
    args, options = PLAN_93
    case = _make_case(*args, options)
    _prepare(case)
    stops = case.stops or _build_stops(case)
    cut, regular, column = _stop_at(case, 89, 5)
    assert (cut, regular, stops.regular_before[cut]) == (11, 283737, 8)
    assert [_truncated(case, x, 5) for x in (86, 87, 88, 89)] == [3675001, 3675001, 3675001, 3675005]
    assert _parity_best(case, stops, 86, 95, 11, column) == (89, 3675005)
    assert case.ceiling == 3675007
    assert _column_max(case, 97, 28, 384, 0, budget=24) == 3675007
    with knobs(stops_module, _PARITY_SPANS=False):
        assert _column_max(case, 97, 28, 384, 0, budget=24) < 3675007


# Capped plan 6: monthly $65,228.43, twelve bonuses, 0.5% steps, 150% of up to 20% then 25%.
PLAN_6 = (("2026-01-02", "monthly", 65228.43, 61),
          {"granularity": "0.5%", "bonuses": [
              ("2026-04-02", 5459.27), ("2026-02-02", 8190.65), ("2026-03-04", 8086.97), ("2026-04-11", 3368.32),
              ("2026-02-16", 1247.88), ("2026-03-19", 5092.23), ("2026-02-03", 7911.71), ("2026-02-06", 2568.93),
              ("2026-02-22", 2185.01), ("2026-03-02", 4513.8), ("2026-02-05", 2893.5), ("2026-04-07", 3330.72)],
           "match": [(1.5, 0.2), (0.25, 1.0)], "separate_bonus_election": True, "true_up": False,
           "stops_at_402g": True, "stops_at_415c": False, "max_election": 1.0})


def test_capped_plan_6_parity_spans_rising_and_on_quarter_rates():
    """Spans the drawn cases seldom reach: in bonus election 37 the match rises along each class (the regular
    checks at 150%, the cut one past its edge at 25%), so the most is at a class's last election, not its first;
    in bonus election 81 the regular checks are at 25% (whole cents every 4 cents of deferral: four classes).
    Each answer is checked against the stopped match of every election of the span."""
    args, options = PLAN_6
    case = _make_case(*args, options)
    _prepare(case)
    stops = case.stops or _build_stops(case)
    for y, cut, x1, x2, expected in ((37, 18, 12, 13, (13, 4701952)), (37, 17, 14, 15, (15, 5191162)),
                                     (81, 1, 76, 91, (76, 3894861)), (81, 1, 94, 104, (94, 3161041))):
        column = _stop_at(case, x1, y)[2]
        assert all(_stop_at(case, x, y)[0] == cut for x in range(x1, x2 + 1))
        matches = {x: _truncated(case, x, y) for x in range(x1, x2 + 1)}
        most = max(matches.values())
        assert expected == (min(x for x, match in matches.items() if match == most), most)
        assert _parity_best(case, stops, x1, x2, cut, column) == expected


# Bonus checks on the regular election (no separate bonus election): below x_b every deferral moves with x.

@st.composite
def one_column_cases(draw):
    """The capped class with no separate bonus election (bonus checks take the regular election)."""
    first, frequency, pay, age, options = draw(fine_capped_cases())
    options = dict(options, separate_bonus_election=False, true_up=draw(st.sampled_from([False, False, True])),
                   match=draw(st.sampled_from([[(2.0, 0.05), (1.0, 0.5)], [(1.5, 0.2), (0.25, 1.0)], [(1.0, 0.06)]])))
    return first, frequency, pay, age, options


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(one_column_cases(), st.data())
def test_moving_bonus_spans_give_every_election_reaching_the_need(case_args, data):
    """_moving_bonus_candidates at a fixed need gives exactly the elections whose stopped match reaches it, in
    order, or stops (None) where the stop's bound falls below the need, past which none reaches it."""
    case = _case(case_args)
    if not (case.stops_402g and case.stop == case.room >= 0 and case.tiers):
        return
    stops = case.stops or _build_stops(case)
    x_b = _before_first_bonus(case)
    stopped = [x for x in range(min(x_b, case.x_max + 1)) if _planned(case, x, 0)[0] > case.room]
    if len(stopped) < 2:
        return
    first = stopped[0]
    last = data.draw(st.sampled_from(stopped))
    matches = {x: _truncated(case, x, 0) for x in range(first, last + 1)}
    need = data.draw(st.sampled_from(sorted(set(matches.values())))) + data.draw(st.sampled_from([0, 0, 1]))
    given_ = list(_moving_bonus_candidates(case, stops, first, last, lambda deferral: need))
    reaching = [(x, match) for x, match in matches.items() if match >= need]
    if given_ and given_[-1] is None:
        given_ = given_[:-1]
        assert given_ == reaching[:len(given_)]
        assert all(x <= given_[-1][0] for x, _ in reaching) if given_ else not reaching
    else:
        assert given_ == reaching


@settings(max_examples=scaled(30), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(one_column_cases())
def test_phase_1_is_the_same_with_and_without_moving_bonus_spans(case_args):
    assert _phase1_found(case_args) == _phase1_found(case_args, _module=stops_module, _MOVING_SPANS=False)


def test_capped_plan_118_moving_bonus_spans():
    """Capped plan 118 (semimonthly $24,557.02, six bonuses on the regular election, 200% of up to 5% then 100%):
    the elections 4.0-49.8% below x_b, each worked out before; at the need of its best, $42,499.99, only the
    elections paying it are given, and the plan is the one recorded (6.7%)."""
    args = ("2026-01-02", "semimonthly", 24557.02, 35)
    options = {"granularity": "0.1%", "bonuses": [("2026-07-09", 2935.16), ("2026-06-18", 6237.1),
                                                  ("2026-01-21", 3322.17), ("2026-06-08", 7055.99),
                                                  ("2026-07-03", 1562.63), ("2026-03-07", 4002.26)],
               "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": False, "true_up": False,
               "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.75}
    case = _make_case(*args, options)
    _prepare(case)
    stops = case.stops or _build_stops(case)
    assert _before_first_bonus(case) == 499
    reaching = [(x, _truncated(case, x, 0)) for x in range(40, 499) if _truncated(case, x, 0) >= 4249999]
    assert reaching and {match for _, match in reaching} == {4249999}
    assert list(_moving_bonus_candidates(case, stops, 40, 498, lambda deferral: 4249999)) == reaching
    assert solve_elections(*args, **options).deferral_election == 0.067


def _moving_case(args, options):
    case = _make_case(*args, options)
    _prepare(case)
    return case, case.stops or _build_stops(case)


def test_moving_bonus_spans_whose_match_rises_along_a_cut():
    """Spans where the match rises with x at one cut (the checks before it gain more than the cut check loses):
    the bound must take those checks at x2. Capped plans 35 and 0 with 100% of up to 6% on the regular election,
    plan 3 with 200% of up to 5% then 100%: at a need a cent or so under each one's best, the elections given are
    exactly those whose stopped match reaches it."""
    plan_35 = (("2026-01-02", "monthly", 98368.88, 35),
               {"granularity": "0.1%", "bonuses": [
                   ("2026-01-17", 5502.88), ("2026-03-04", 7948.84), ("2026-02-12", 2214.56), ("2026-03-02", 8849.98),
                   ("2026-01-08", 1138.26), ("2026-01-26", 532.24), ("2026-02-14", 770.6), ("2026-03-17", 7054.5),
                   ("2026-03-10", 5260.12), ("2026-01-14", 7275.6), ("2026-01-07", 5084.52), ("2026-02-28", 7476.37)],
                "match": [(1.0, 0.06)], "separate_bonus_election": False, "true_up": False, "stops_at_402g": True,
                "stops_at_415c": False, "max_election": 0.5})
    plan_3 = (("2026-01-02", "biweekly", 55090.25, 61),
              {"granularity": "0.1%", "bonuses": [("2026-01-26", 674.0), ("2026-01-28", 7174.44)],
               "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": False, "true_up": False,
               "stops_at_402g": True, "stops_at_415c": False, "max_election": 1.0})
    for (args, options), need in ((plan_35, 2159999), (plan_3, 5341318)):
        case, stops = _moving_case(args, options)
        stopped = [x for x in range(min(_before_first_bonus(case), case.x_max + 1))
                   if _planned(case, x, 0)[0] > case.room]
        reaching = [(x, match) for x in stopped if (match := _truncated(case, x, 0)) >= need]
        assert reaching
        given_ = _moving_bonus_candidates(case, stops, stopped[0], stopped[-1], lambda deferral, need=need: need)
        assert list(given_) == reaching


def _stopped_part(case_args, data):
    """A drawn case with the payroll stop at the room, a bonus election y, its stopped elections, a part [x1, x2]
    of them, and the column's cuts (_ColumnCuts) with the cut at x1 and at x2; None when the case has no stop at
    the room or the column no stopped election."""
    case = _case(case_args)
    if not (case.stops_402g and case.stop == case.room >= 0 and case.tiers):
        return None
    stops = case.stops or _build_stops(case)
    y = data.draw(st.integers(0, case.y_max))
    stopped = [x for x in range(case.x_max + 1) if _planned(case, x, y)[0] > case.room]
    if not stopped:
        return None
    x1 = data.draw(st.sampled_from(stopped))
    x2 = data.draw(st.sampled_from([x for x in stopped if x >= x1]))
    cuts = _ColumnCuts(case, y)
    return case, stops, y, stopped, x1, x2, cuts, cuts.at(x1), cuts.at(x2)


# The cuts' bounds tightened by the rounding of the regular deferrals cut there (stops._ColumnCuts.most,
# stops._cut_rounding) and spans whose regular deferrals are a multiple of a percent step apart (bounds._span_step).

@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(fine_capped_cases(), capped_cases()), st.data())
def test_the_cuts_bounds_with_their_rounding_cover_every_election_of_a_column_part(case_args, data):
    """_ColumnCuts.most over a drawn part [x1, x2] of a column's stopped elections (any number of cuts) is at least
    the stopped match of each of them, and each cut's bound tightened by its rounding (_cut_rounding) is at least
    that of every election the stop cuts there."""
    drawn = _stopped_part(case_args, data)
    if drawn is None:
        return
    case, stops, y, stopped, x1, x2, cuts, first_cut, last_cut = drawn
    matches = {x: _truncated(case, x, y) for x in range(x1, x2 + 1)}
    by_cut = {}
    for x in matches:
        by_cut.setdefault(_stop_at(case, x, y)[0], []).append(x)
    ranges = list(cuts.ranges(stops, x1, x2, first_cut, last_cut))
    assert ranges == [(cut, xs[0], xs[-1]) for cut, xs in sorted(by_cut.items())]
    cuts.cut_ranges = (x1, x2, first_cut, last_cut)
    assert [cuts.cut_range(stops, cut) for cut, _, _ in ranges] == [(low, high) for _, low, high in ranges]
    # a part of them split around one of its cuts: rising parts, that cut's alone, together all of the part
    around = data.draw(st.sampled_from(sorted(by_cut)))
    low, high = data.draw(st.sampled_from(stopped[stopped.index(x1):stopped.index(x2) + 1])), x2
    xs = [x for x in range(low, high + 1) if _stop_at(case, x, y)[0] == around]
    if xs:
        parts = cuts.around(stops, low, high, around)
        assert [x for first, last, _ in parts for x in range(first, last + 1)] == list(range(low, high + 1))
        assert [(first, last) for first, last, alone in parts if alone] == [(xs[0], xs[-1])]
    assert cuts.most(stops, first_cut, last_cut, float("inf")) >= max(matches.values())
    # a part of them, by the cuts' bounds over their whole ranges
    part_first, part_last = data.draw(st.sampled_from(sorted(by_cut))), data.draw(st.sampled_from(sorted(by_cut)))
    part = [match for x, match in matches.items() if min(part_first, part_last) <= _stop_at(case, x, y)[0]
            <= max(part_first, part_last)]
    assert cuts.most(stops, max(part_first, part_last), min(part_first, part_last), float("inf")) >= max(part)
    for cut, xs in by_cut.items():
        assert xs == list(range(xs[0], xs[-1] + 1))
        low = data.draw(st.sampled_from(xs))
        high = data.draw(st.sampled_from([x for x in xs if x >= low]))
        bound = _cut_rounding(case, stops, cut, low, high, cuts.bound(stops, cut), cuts.column)
        assert max(matches[x] for x in range(low, high + 1)) <= bound


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(fine_capped_cases(), capped_cases()))
def test_phase_1_is_the_same_with_and_without_the_cuts_bounds_first(case_args):
    """The same best and members with the cuts' tightened bounds on every span over several cuts, on the whole
    column only, and not at all."""
    found = _phase1_found(case_args)
    assert found == _phase1_found(case_args, _module=stops_module, _PARITY_CUTS=0)
    assert found == _phase1_found(case_args, _module=stops_module, _TIGHT_SPANS=False)


@st.composite
def dollar_capped_cases(draw):
    """The capped class on whole-dollar elections (odd-cent pays): long columns of many cuts, each cut taking
    dozens of elections (capped plan 90)."""
    first, frequency, pay, age, options = draw(fine_capped_cases())
    return first, frequency, pay, age, dict(options, granularity="dollars", max_election=0.25)


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(fine_capped_cases(), dollar_capped_cases()), st.data())
def test_stopped_candidates_at_a_need_near_the_most_give_the_first_election_paying_it(case_args, data):
    """With the cuts' tightened bounds on spans over several cuts (and the span split around a cut whose bound
    reaches the need), _stopped_candidates still gives each match right, in rising x, and, when the column's most
    reaches the need, the smallest election paying it."""
    case = _case(case_args)
    if not (case.stops_402g and case.stop == case.room >= 0 and case.tiers):
        return
    y = data.draw(st.integers(0, case.y_max))
    stopped = [x for x in range(case.x_max + 1) if _planned(case, x, y)[0] > case.room]
    if not stopped:
        return
    matches = {x: _truncated(case, x, y) for x in stopped}
    most = max(matches.values())
    need = data.draw(st.integers(most - 2, most + 1))
    _assert_the_stopped_candidates(case, y, stopped, matches, need)


def test_capped_plan_93_columns_below_the_ceiling_by_their_rounding():
    """Plan 93, bonus election 19: the search needs the ceiling, $36,750.07 (150% of the room plus half a cent for
    each of 14 odd deferrals), at regular elections 7.0-38.4%. The stop cuts 7.0-7.6% at check 13, after 10
    regular checks, whose deferrals ($2,231.64 to $2,422.92, 0.1% of pay being 3,188.051 cents: 3,188 cents apart)
    are all even: their match rounds by nothing, and the cut's bound is 5 cents less than with half a cent per
    check. Every cut's bound so tightened is below the ceiling: the column's most is $36,750.06 (at 8.9%, cut at
    check 11), and no span of it is searched. The span 7.0-7.6% itself is exact (bounds._span's ends)."""
    args, options = PLAN_93
    case = _make_case(*args, options)
    _prepare(case)
    stops = case.stops or _build_stops(case)
    y, x1, x2 = 19, 70, 384
    cuts = _ColumnCuts(case, y)
    first_cut, last_cut = cuts.at(x1), cuts.at(x2)
    assert (first_cut, last_cut, stops.regular_before[13]) == (13, 2, 10)
    assert [_regular_amount(case, x) for x in (70, 76)] == [223164, 242292]
    assert [_stop_at(case, x, y)[0] for x in (69, 70, 76, 77)] == [14, 13, 13, 12]
    assert max(_truncated(case, x, y) for x in range(x1, x2 + 1)) == 3675006
    assert cuts.bound(stops, 13) >= 3675007
    assert _cut_rounding(case, stops, 13, 70, 76, cuts.bound(stops, 13), cuts.column) < 3675003
    cuts.cut_ranges = (x1, x2, first_cut, last_cut)
    assert cuts.most(stops, first_cut, last_cut, 3675007) < 3675007
    assert list(_stopped_candidates(case, y, x1, x2, lambda deferral: 3675007)) == []
    low, high, ends, _ = _span(case, 70, 76, 13, cuts.column)
    assert ends == (_truncated(case, 70, y), _truncated(case, 76, y)) and (low, high) == (min(ends), max(ends))


# Capped plan 90 (bench/paycheck_plans.py capped_pay_plans(200)): weekly $8,144.09, whole-dollar elections.
PLAN_90 = (("2026-01-02", "weekly", 8144.09, 35),
           {"granularity": "dollars", "bonuses": [("2026-01-08", 2406.49), ("2026-07-02", 1393.46),
                                                  ("2026-06-04", 8488.11), ("2026-04-15", 4623.32)],
            "match": [(1.5, 0.2), (0.25, 1.0)], "separate_bonus_election": True, "true_up": False,
            "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.5})


def test_capped_plan_90_cuts_bounded_with_the_cut_checks_rounding():
    """Plan 90, bonus election 1, past its first candidate ($575 a check pays $36,750.01): every later election
    ($580-$4,072, cut at checks 45 down to 12) pays at most that, so nothing there reaches the need, $36,750.02.
    Cut at check 45 ($580-$593), the 41 regular checks defer whole dollars (150%: whole cents) and the cut check
    keeps the room less them and the bonus checks, 41 dollars apart: its match rounds the same at each, so the
    cut's bound, $36,750.225 with half a cent per check, is $36,750.01 with what rounding adds to each, below the
    need, and the span search drops the cuts without working out a span of each."""
    args, options = PLAN_90
    case = _make_case(*args, options)
    _prepare(case)
    stops = case.stops or _build_stops(case)
    y, x1, x2 = 1, 580, 4072
    cuts = _ColumnCuts(case, y)
    first_cut, last_cut = cuts.at(x1), cuts.at(x2)
    assert (first_cut, stops.regular_before[45]) == (45, 41)
    cuts.cut_ranges = (x1, x2, first_cut, last_cut)
    assert cuts.cut_range(stops, 45) == (580, 593)
    assert max(_truncated(case, x, y) for x in range(x1, x2 + 1)) == 3675001
    assert cuts.bound(stops, 45) > 3675022
    assert _cut_rounding(case, stops, 45, 580, 593, cuts.bound(stops, 45), cuts.column) < 3675001.01
    assert cuts.most(stops, first_cut, last_cut, 3675002) < 3675002
    spans = []
    with knobs(stops_module, _span=lambda *span: spans.append(span) or _span(*span)):
        assert list(_stopped_candidates(case, y, x1, x2, lambda deferral: 3675002)) == []
    assert spans == []


def test_capped_plan_90_windows_of_rising_cuts_give_their_first_election_paying_the_most():
    """Plan 90's first columns, where the match rises with x along each cut (whole dollars at 150%, the cut check
    keeping what is left): over the elections from the first the stop cuts to the last of each of the next cuts,
    at a need of their most, the search (its spans over several cuts split around the cut whose bound reaches
    the need) gives the smallest election paying that most, and every match it gives is the election's."""
    args, options = PLAN_90
    case = _make_case(*args, options)
    _prepare(case)
    stops = case.stops or _build_stops(case)
    checked = 0
    for y in (0, 1, 2):
        stopped = [x for x in range(case.x_max + 1) if _planned(case, x, y)[0] > case.room][:1200]
        cuts = _ColumnCuts(case, y)
        first_cut = cuts.at(stopped[0])
        cuts.cut_ranges = (stopped[0], stopped[-1], first_cut, cuts.at(stopped[-1]))
        matches = {x: _truncated(case, x, y) for x in stopped}
        for cut in range(first_cut - 1, first_cut - 7, -1):
            last = cuts.cut_range(stops, cut)[1]
            window = [x for x in stopped if x <= last]
            most = max(matches[x] for x in window)
            given = list(_stopped_candidates(case, y, window[0], last, lambda deferral, most=most: most))
            assert all(match is None or match == matches[x] for x, match in given)
            assert min(x for x in window if matches[x] == most) in {x for x, _ in given}
            checked += 1
    assert checked == 18


def test_capped_plan_90_first_column_past_its_peak_drops_the_cuts_at_once():
    """Plan 90's first column: the match rises cut by cut to $36,750.00 at $579 (each cut giving a candidate that
    raises the need, so the cuts' bounds drop nothing there and are no longer tried), then stays at most that. The
    first span dropped by its own bound past the peak lets them be tried again: the ~30 cuts of $36,750.00 after
    it go in a few tries, not a span each."""
    args, options = PLAN_90
    for probe in (False, True):
        case = _make_case(*args, options)
        _prepare(case)
        need = [3004996]
        spans = []
        given = []
        with knobs(stops_module, _span=lambda *span, spans=spans: spans.append(span) or _span(*span),
                   _PROBE_CUTS=probe):
            for x, match in _stopped_candidates(case, 0, 472, 4072, lambda deferral, need=need: need[0]):
                match = _truncated(case, x, 0) if match is None else match
                given.append((x, match))
                need[0] = match + 1
        # (with a probed match, stops._PROBE_CUTS, the cuts 47-55 past the §401(a)(17) cap go at once: 3 candidates)
        assert given[-1] == (579, 3675000) and len(given) == (3 if probe else 11)
        assert len(spans) <= 25      # (a span per cut past the peak: 45)
