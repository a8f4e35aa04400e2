"""Runs of payroll-stop cuts on the first tier's line bounded at once (stops._ColumnCuts._flat): cut at a regular
check c with no bonus check between it and the run's other cuts, the n regular checks before c defer a = a(x) each
and the cut check keeps left = R - n a (R = room - the bonus deferrals before c, the same along the run), so with
every a(x) on the first tier's line r a and r times their step whole cents the match is at most the bonus checks'
match before c + r R + n e + 1/2 (e: what rounding adds at a(x_first)). Checked against every election of a drawn
part of a column (hypothesis, derandomized), phase 1 with and without it, and capped plan 90 pinned.
"""

from __future__ import annotations

import math

from _knobs import knobs
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_envelope import _phase1_found, capped_cases
from test_paycheck_parity_spans import PLAN_90, _case, _stopped_part, dollar_capped_cases, fine_capped_cases

from megabackdoor.paycheck import _truncated
from megabackdoor.paycheck import stops as stops_module
from megabackdoor.paycheck.stops import (
    _build_stops,
    _ColumnCuts,
    _cut_rounding,
    _edge_split,
    _span,
    _stop_at,
    _stopped_candidates,
    _unmatched_cuts_bound,
)


@st.composite
def odd_dollar_cases(draw):
    """Whole-dollar elections with rising tiers (the first tier's line is below the formula past its edge) or a
    first rate that is not whole cents per dollar (112.5%, 33.5%: what rounding adds moves along a run)."""
    first, frequency, pay, age, options = draw(dollar_capped_cases())
    match = draw(st.sampled_from([[(0.25, 0.2), (1.5, 1.0)], [(0.5, 0.05), (1.0, 0.5)],
                                  [(1.125, 0.2), (0.25, 1.0)], [(0.335, 0.1)]]))
    return first, frequency, pay, age, dict(options, match=match)


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(dollar_capped_cases(), odd_dollar_cases(), fine_capped_cases(), capped_cases()), st.data())
def test_a_flat_run_of_cuts_bounds_every_election_cut_in_it(case_args, data):
    """For a drawn part [x1, x2] of a column's stopped elections, each run _flat bounds (any need: here none) is at
    least the stopped match of every election of the part that the stop cuts at one of the run's checks, and every
    cut of the run keeps that bound as its tightened one."""
    drawn = _stopped_part(case_args, data)
    if drawn is None:
        return
    case, stops, y, _, x1, x2, cuts, first_cut, last_cut = drawn
    cuts.cut_ranges = (x1, x2, first_cut, last_cut)
    by_cut: dict[int, list[int]] = {}
    for x in range(x1, x2 + 1):
        by_cut.setdefault(_stop_at(case, x, y)[0], []).append(_truncated(case, x, y))
    position = first_cut
    while position >= last_cut:
        bound = cuts._flat(stops, position, last_cut, float("inf"))
        if bound is None:
            position -= 1
            continue
        run = [cut for cut in range(last_cut, position + 1) if cuts.tight.get(cut) == bound]
        assert run == list(range(run[0], position + 1))
        assert all(stops.regular[cut] for cut in run)
        for cut in run:
            for match in by_cut.get(cut, []):
                assert match <= bound
        position = run[0] - 1


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(dollar_capped_cases(), odd_dollar_cases(), fine_capped_cases(), capped_cases()))
def test_phase_1_is_the_same_with_and_without_flat_runs_of_cuts(case_args):
    """The same best and members with runs of cuts bounded at once as with each cut bounded on its own."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _module=stops_module, _FLAT_CUTS=False)


def test_capped_plan_90_flat_runs_of_cuts_go_at_once():
    """Plan 90 (weekly $8,144.09, 150% of up to 20% then 25%, whole-dollar elections), bonus election 1, past its
    first candidate ($575 pays $36,750.01): at $580-$1,628 the regular checks are all on the 150% line (20% of pay
    is $1,628.82) and every election pays at most $36,750.01, below the need, $36,750.02. Cut at check 45 (41
    regular checks before it; the bonus checks before it defer $169.10 and are matched $253.66), the bound is
    $253.66 + 150% of ($24,500 - $169.10) + half a cent = 25,366 + 3,649,635 + 0.5 cents, for checks 45 down to 30
    (the first bonus check before them is check 29) at once; cut at 28-25 (bonus checks before: $155.17, matched
    $232.76), 23,276 + 150% of 2,434,483 + 0.5 = 3,675,001.0 cents; cut at 23-17 ($70.29, $105.44), 10,544 +
    3,664,456.5 + 0.5 = 3,675,001.0. The column is searched with 3 cuts' rounding worked out (the bonus checks 29, 24
    and 16), not 30."""
    args, options = PLAN_90
    case = _case((*args, options))
    stops = case.stops or _build_stops(case)
    y, x1, x2 = 1, 580, 4072
    cuts = _ColumnCuts(case, y)
    first_cut, last_cut = cuts.at(x1), cuts.at(x2)
    cuts.cut_ranges = (x1, x2, first_cut, last_cut)
    assert (first_cut, last_cut, stops.regular_before[45]) == (45, 7, 41)
    assert [cut for cut in range(17, 46) if not stops.regular[cut]] == [24, 29]
    assert (cuts.column[0][45], cuts.column[1][45]) == (16910, 25366)
    assert (cuts.column[0][28], cuts.column[1][28]) == (15517, 23276)
    assert (cuts.column[0][23], cuts.column[1][23]) == (7029, 10544)
    assert max(_truncated(case, x, y) for x in range(x1, 1629)) == 3675001
    assert abs(cuts._flat(stops, 45, last_cut, 3675002) - 3675001.5) < 0.001
    assert all(abs(cuts.tight[cut] - 3675001.5) < 0.001 for cut in range(30, 46))
    assert abs(cuts._flat(stops, 28, last_cut, 3675002) - 3675001.0) < 0.001
    assert abs(cuts._flat(stops, 23, last_cut, 3675002) - 3675001.0) < 0.001
    assert cuts.cut_range(stops, 17) == (1527, 1628)
    # At a need of $36,750.01 itself the runs are not dropped (their bound reaches it): each cut on its own.
    assert _ColumnCuts._flat(cuts, stops, 45, last_cut, 3675001) is None
    for flat, most in ((True, 3), (False, 30)):
        rounded: list[int] = []

        def counted(*args, rounded=rounded, **kwargs):
            rounded.append(args[2])
            return _cut_rounding(*args, **kwargs)

        with knobs(stops_module, _FLAT_CUTS=flat, _cut_rounding=counted):
            assert list(_stopped_candidates(case, y, x1, x2, lambda deferral: 3675002)) == []
        assert len(rounded) == most


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(dollar_capped_cases(), odd_dollar_cases()))
def test_phase_1_is_the_same_with_and_without_whole_dollar_spans_split_at_tier_edges(case_args):
    """On whole-dollar elections with rates that are whole cents a dollar (150%, 25%), _stopped_candidates splits a
    span across a tier edge at the edge, not in half (as with whole rates): the same best and members either way."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _module=stops_module, _EDGE_STEPS=False)


CAPPED_133 = (("2026-01-02", "weekly", 13800.46, 35),
              {"granularity": "dollars", "bonuses": [("2026-05-03", 8627.02), ("2026-01-19", 3335.76)],
               "match": [(1.5, 0.2), (0.25, 1.0)], "separate_bonus_election": True, "true_up": False,
               "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.75})


def test_capped_plan_133s_span_across_20_percent_of_pay_is_split_at_the_edge():
    """Capped plan 133 (weekly $13,800.46, whole-dollar elections, 150% of up to 20% then 25%: 150 and 25 cents a
    dollar): in its column 0 past the best ($36,750.00), the elections cut at check 9, $2,723-$3,062, cross 20% of
    pay ($2,760.09). Split there (bounds._edge_split) each part's match is one line, its most at an end, below the
    need ($36,750.01): the span and its two parts bounded (bounds._span), where halving bounded 11 spans."""
    args, options = CAPPED_133
    case = _case((*args, options))
    assert (_stop_at(case, 2723, 0)[0], _stop_at(case, 3062, 0)[0]) == (9, 9)
    assert max(_truncated(case, x, 0) for x in range(2723, 3063)) < 3675001
    for steps, splits, spans in ((True, [2760], 3), (False, [], 11)):
        split: list[int] = []
        bounded: list[int] = []

        def split_counted(*args, split=split, **kwargs):
            found = _edge_split(*args, **kwargs)
            split.append(found)
            return found

        def span_counted(*args, bounded=bounded, **kwargs):
            bounded.append(args[1])
            return _span(*args, **kwargs)

        with knobs(stops_module, _EDGE_STEPS=steps, _edge_split=split_counted, _span=span_counted):
            assert list(_stopped_candidates(case, 0, 2723, 3062, lambda deferral: 3675001)) == []
        assert (split, len(bounded)) == (splits, spans)


# Cut checks past the §401(a)(17) cap (stops._unmatched_cuts_bound) and spans held to a match probed where a span over
# many cuts is split (stops._PROBE_CUTS).

@settings(max_examples=scaled(60, fast=15), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(dollar_capped_cases(), odd_dollar_cases(), fine_capped_cases(), capped_cases()), st.data())
def test_the_bound_of_cuts_past_the_cap_covers_every_election_cut_there(case_args, data):
    """For a drawn part [x1, x2] of a column's stopped elections, _unmatched_cuts_bound over its cuts (finite when every
    one of them is a check of no match pay) is at least the stopped match of each election of the part."""
    drawn = _stopped_part(case_args, data)
    if drawn is None:
        return
    case, stops, y, _, x1, x2, cuts, first_cut, last_cut = drawn
    bound = _unmatched_cuts_bound(case, stops, last_cut, first_cut, cuts.column)
    if bound < math.inf:
        assert all(stops.match_pays[cut] <= 0 for cut in range(last_cut, first_cut + 1))
        assert all(_truncated(case, x, y) <= bound for x in range(x1, x2 + 1))


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(dollar_capped_cases(), odd_dollar_cases(), fine_capped_cases(), capped_cases()))
def test_phase_1_is_the_same_with_and_without_probed_matches(case_args):
    """The same best and members with spans held to a probed match (and cuts past the cap bounded at once) as
    without."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _module=stops_module, _PROBE_CUTS=False)


def test_capped_plan_133s_climb_below_its_best_goes_in_a_few_spans():
    """Capped plan 133, column 0 ($0 bonus election): from $472 a check (past the room fill) its match climbs cut by
    cut to $36,750.00 (cut at check 27, the last regular check with match pay before the cap) and falls after. Its
    first split probes an election cut at check 28 or so; the cuts 29-53, each with 26 regular checks of match pay
    among the 27-51 before it, are bounded at 150% of 26/27 of the room (+ 13 cents) at most and go in a few
    spans, where each of them gave the search a better candidate in turn. The same best and first election paying
    it, with fewer than half the spans bounded."""
    args, options = CAPPED_133
    case = _case((*args, options))
    stops = case.stops or _build_stops(case)
    assert stops.match_pays[28] == 0.0 < stops.match_pays[27] and stops.regular_before[29] == 27
    assert len(stops.match_pays) == 54 and stops.regular_before[53] == 51
    column = _stop_at(case, 472, 0)[2]
    bound = _unmatched_cuts_bound(case, stops, 29, 53, column)
    assert abs(bound - (2450000 * 1.5 * 26 / 27 + 13)) < 1e-3
    # (from check 28 on every check has no match pay; check 27, the last paid, gets match on what is left of the room)
    assert _unmatched_cuts_bound(case, stops, 28, 53, column) < math.inf == _unmatched_cuts_bound(case, stops, 27, 53,
                                                                                                   column)
    assert max(_truncated(case, x, 0) for x in range(472, 10351)) == 3675000
    found = {}
    for probe in (True, False):
        bounded: list[int] = []
        best = [-1, -1]      # (the most given so far, the first election giving it)

        def span_counted(*args, bounded=bounded, **kwargs):
            bounded.append(args[1])
            return _span(*args, **kwargs)

        with knobs(stops_module, _PROBE_CUTS=probe, _span=span_counted):
            for x, match in _stopped_candidates(case, 0, 472, 10350, lambda deferral, best=best: best[0] + 1):
                match = _truncated(case, x, 0) if match is None else match
                if match > best[0]:
                    best[:] = [match, x]
        found[probe] = (*best, len(bounded))
    assert found[True][:2] == found[False][:2]
    assert found[True][0] == 3675000
    assert found[True][2] * 2 < found[False][2], found


def test_the_bound_of_cuts_past_the_cap_takes_the_room_a_later_bonus_check_leaves_the_earliest():
    """Capped plan 133 with a $20,000 bonus on 4 December (past the cap: no match pay) among its cuts past the cap:
    the bonus checks before a cut only grow with it, so the room the regular checks share is at most what those
    before the earliest cut leave, and the bonus match at most that before the latest."""
    args, options = CAPPED_133
    case = _case((*args, dict(options, bonuses=[*options["bonuses"], ("2026-12-04", 20000.0)])))
    stops = case.stops or _build_stops(case)
    assert not stops.regular[51] and stops.match_pays[51] == 0.0
    for y in (10, 40, 75):
        cuts = _ColumnCuts(case, y)
        stopped = [x for x in range(case.x_max + 1) if _stop_at(case, x, y)[0] >= 29]
        x1, x2 = stopped[0], stopped[-1]
        first_cut, last_cut = cuts.at(x1), cuts.at(x2)
        assert (first_cut, last_cut) == (54, 29) and cuts.column[0][29] < cuts.column[0][54]
        bound = _unmatched_cuts_bound(case, stops, last_cut, first_cut, cuts.column)
        assert max(_truncated(case, x, y) for x in range(x1, x2 + 1)) <= bound < math.inf
