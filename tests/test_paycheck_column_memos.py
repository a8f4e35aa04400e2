"""Work the column search does once instead of column by column: a stop column's bonus match read from the case's
memo of _match_cents where the column's bound put it (stops._MEMO_COLUMNS), _cut_rounding's regular checks' part
kept per (cut, x1, x2) (stops._MEMO_ROUNDINGS), and a column's unpromising regular elections searched from the
last column's answer (solver._WEAK_NEAR). Each is checked against the values worked out afresh (hypothesis,
derandomized), against phase 1 without it, and on capped plan 93, whose nine columns whose bound is its ceiling
each tighten the same two cuts over the same regular elections.
"""

from __future__ import annotations

from _knobs import knobs
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_envelope import _phase1_found, capped_cases, fraction_edge_cases
from test_paycheck_parity_spans import PLAN_93, fine_capped_cases
from test_paycheck_properties import slow_class_cases

from megabackdoor.paycheck import _make_case, solver
from megabackdoor.paycheck import stops as stops_module
from megabackdoor.paycheck.bounds import _column_bound, _grain
from megabackdoor.paycheck.solver import _prepare
from megabackdoor.paycheck.stops import _build_stops, _cut_bound, _cut_rounding, _stop_at, _stop_column


def _stopped_case(case_args):
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    if not (case.separate and case.bonus_events and case.tiers and case.stops_402g and case.stop == case.room >= 0):
        return None
    return case


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), fine_capped_cases(), fraction_edge_cases()), st.data())
def test_a_stop_column_from_the_match_memo_is_the_column_worked_out_afresh(case_args, data):
    """The bonus deferrals and match before each check of a bonus election's stop column, with the bonus checks'
    match read from the memo the column's bound filled, are those of the column worked out without it."""
    case = _stopped_case(case_args)
    if case is None:
        return
    stops = _build_stops(case)
    y = data.draw(st.integers(0, case.y_max))
    with knobs(stops_module, _MEMO_COLUMNS=False):
        fresh = _stop_column(case, stops, y, True)
    _column_bound(case, y)      # (fills the case's memo of each bonus check's match at y)
    assert _stop_column(case, stops, y, True) == fresh


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), fine_capped_cases(), fraction_edge_cases()), st.data())
def test_cut_rounding_kept_per_cut_and_span_is_the_rounding_worked_out_afresh(case_args, data):
    """_cut_rounding at a cut over [x1, x2] of several bonus elections' columns, asked in turn with the regular
    checks' part kept per (cut, x1, x2) (spans sharing their cut and x1 among them), gives the bound worked out
    afresh each time."""
    case = _stopped_case(case_args)
    if case is None:
        return
    stops = case.stops or _build_stops(case)
    grain = _grain(case)
    asks = []
    for _ in range(6):
        y = data.draw(st.integers(0, case.y_max))
        x2 = data.draw(st.integers(0, case.x_max))
        x1 = data.draw(st.integers(0, x2))
        cut, _, column = _stop_at(case, x2, y)
        for high in (x2, max(x1, x2 - 1)):
            asks.append((cut, x1, high, _cut_bound(case, stops, cut, column), column))
    with knobs(stops_module, _MEMO_ROUNDINGS=False):
        fresh = [_cut_rounding(case, stops, *ask[:4], ask[4], grain) for ask in asks]
    assert [_cut_rounding(case, stops, *ask[:4], ask[4], grain) for ask in asks] == fresh
    assert [_cut_rounding(case, stops, *ask[:4], ask[4], grain) for ask in reversed(asks)] == fresh[::-1]


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), fine_capped_cases(), slow_class_cases()))
def test_phase_1_is_the_same_with_the_columns_work_done_once(case_args):
    """The same best, members and rows with each of the three as without it."""
    found = _phase1_found(case_args)
    assert found == _phase1_found(case_args, _module=stops_module, _MEMO_COLUMNS=False)
    assert found == _phase1_found(case_args, _module=stops_module, _MEMO_ROUNDINGS=False)
    assert found == _phase1_found(case_args, _WEAK_NEAR=False)


def _plan_93(**constants):
    """Plan 93's phase 1 (best, members, rows), the planned sums it asked for, the calls of _cut_rounding and the
    regular checks' parts of those it kept."""
    args, options = PLAN_93
    case = _make_case(*args, options)
    _prepare(case)
    planned, rounding = solver._planned, stops_module._cut_rounding
    sums, roundings = [], []

    def counted_sums(*args):
        sums.append(args[1])
        return planned(*args)

    def counted_roundings(*args):
        roundings.append(args[2])
        return rounding(*args)

    with knobs(solver, _planned=counted_sums, **constants), knobs(stops_module, _cut_rounding=counted_roundings):
        found = solver._phase1(case)
        result = found[0], found[1], list(found[2]() if callable(found[2]) else found[2])
    return result, len(sums), len(roundings), len(case.stops.cut_roundings)


def test_capped_plan_93_tightens_its_two_cuts_once_per_span_and_bisects_less():
    """Capped plan 93's nine columns whose bound is its ceiling, $36,750.07 (the seed), each search x = 69-384 and
    are refuted by cuts 13 and 12 tightened over x = 69-75 and 76-83 (70-76 and 77-84 in two of them): the regular
    checks' part of those roundings is kept per span (8 kept for 22 asked), and each column's search for its
    unpromising elections starts from the last column's answer (84 planned sums in all where 144 were asked); the
    same phase 1 either way, its best $36,750.07 at the room."""
    found, sums, roundings, kept = _plan_93()
    with knobs(stops_module, _MEMO_ROUNDINGS=False):
        found_without, _, roundings_without, kept_without = _plan_93()
    found_far, sums_far, _, _ = _plan_93(_WEAK_NEAR=False)
    assert found == found_without == found_far
    assert found[0] == (3675007, 2450000)
    assert roundings == roundings_without >= 18 and kept_without == 0 and kept <= roundings // 2
    assert sums_far - sums >= 40
