"""_ColumnCuts.most skips the cuts a later cut's bound covers (stops._STRETCH_CUTS): cut at a regular check, the bound
(_cut_bound) of an earlier regular check of the same match pay with no bonus check between is at most the later
one's (the same bonus checks before them and the same room left; the earlier cut's regular checks and its own
pieces and half cents are among the later cut's), so once the later one is below the need the earlier ones are
not worked out. Checked on the bounds themselves (hypothesis, derandomized), on phase 1 without the skip, and on
capped plan 93, whose nine columns whose bound is its ceiling each go cut by cut over cuts 13-2.
"""

from __future__ import annotations

from _knobs import knobs
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_column_memos import _stopped_case
from test_paycheck_envelope import _phase1_found, capped_cases, fraction_edge_cases
from test_paycheck_parity_spans import PLAN_93, fine_capped_cases
from test_paycheck_properties import slow_class_cases

from megabackdoor.paycheck import _make_case, solver
from megabackdoor.paycheck import stops as stops_module
from megabackdoor.paycheck.bounds import _grain
from megabackdoor.paycheck.solver import _prepare
from megabackdoor.paycheck.stops import _build_stops, _ColumnCuts, _cut_bound, _cut_rounding, _stop_at


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), fine_capped_cases(), fraction_edge_cases()), st.data())
def test_a_regular_cut_bound_is_at_most_that_of_a_later_regular_cut_of_its_stretch(case_args, data):
    """For a bonus election's stop column, every regular cut's bound is at most the bound of each later regular cut
    reached from it through regular checks of its match pay only (no bonus check between)."""
    case = _stopped_case(case_args)
    if case is None:
        return
    stops = case.stops or _build_stops(case)
    y = data.draw(st.integers(0, case.y_max))
    _, _, column = _stop_at(case, 0, y)
    pays, regular = stops.match_pays, stops.regular
    for cut in range(len(pays)):
        if not regular[cut]:
            continue
        bound = _cut_bound(case, stops, cut, column)
        later = cut + 1
        while later < len(pays) and regular[later] and pays[later] == pays[cut]:
            assert bound <= _cut_bound(case, stops, later, column) + 1e-9
            later += 1


@settings(max_examples=scaled(60, fast=15), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), fine_capped_cases(), fraction_edge_cases()), st.data())
def test_the_most_of_a_span_s_cuts_reaches_the_need_as_without_the_skip(case_args, data):
    """_ColumnCuts.most over a span's cuts, at a need drawn around one of their bounds (a cent below to two above
    its whole cents), is below the need exactly when it is without the skip, and names the same cut reaching it."""
    case = _stopped_case(case_args)
    if case is None:
        return
    stops = case.stops or _build_stops(case)
    y = data.draw(st.integers(0, case.y_max))
    x2 = data.draw(st.integers(0, case.x_max))
    x1 = data.draw(st.integers(0, x2))

    def most(need):
        cuts = _ColumnCuts(case, y)
        first_cut, last_cut = cuts.at(x1), cuts.at(x2)
        cuts.cut_ranges = (x1, x2, first_cut, last_cut)
        return cuts.most(stops, first_cut, last_cut, need) < need, cuts.reached

    # (the needs that tell: around each cut's bound and its bound tightened over the elections cut there)
    cuts = _ColumnCuts(case, y)
    first_cut, last_cut = cuts.at(x1), cuts.at(x2)
    cuts.cut_ranges = (x1, x2, first_cut, last_cut)
    values = []
    for position in range(last_cut, first_cut + 1):
        values.append(cuts.bound(stops, position))
        low, high = cuts.cut_range(stops, position)
        if low <= high:
            values.append(_cut_rounding(case, stops, position, low, high, values[-1], cuts.column, _grain(case)))
    need = int(data.draw(st.sampled_from(values))) + data.draw(st.integers(-1, 2))
    found = most(need)
    with knobs(stops_module, _STRETCH_CUTS=False):
        assert found == most(need)


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), fine_capped_cases(), slow_class_cases()))
def test_phase_1_is_the_same_without_the_stretch_skip(case_args):
    """The same best, members and rows with the skip as without it."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _module=stops_module, _STRETCH_CUTS=False)


def _plan_93():
    """Capped plan 93's phase 1 (best, members, rows) and the cut bounds it worked out."""
    args, options = PLAN_93
    case = _make_case(*args, options)
    _prepare(case)
    bound = stops_module._cut_bound
    asked = []

    def counted(*args):
        asked.append(args[2])
        return bound(*args)

    with knobs(stops_module, _cut_bound=counted):
        found = solver._phase1(case)
        result = found[0], found[1], list(found[2]() if callable(found[2]) else found[2])
    return result, len(asked)


def test_capped_plan_93_skips_the_cuts_of_its_stretches_below_the_need():
    """Capped plan 93's nine columns whose bound is its ceiling, $36,750.07 (the seed), are each refuted over cuts
    13-2 by one _ColumnCuts.most: cuts 13 and 12 tightened, the others by their bounds ($36,750.065 at most). Cuts
    8-7 and 4-3 (checks 9-8 and 5-4, regular, between bonus checks 7 and 11, and 3 and 7) are covered by cuts 9 and
    5: 4 of the 12 cuts a column are not worked out (36 in all; the seed's and the rows' searches skip some too).
    The same phase 1 either way, its best $36,750.07 at the room."""
    found, asked = _plan_93()
    with knobs(stops_module, _STRETCH_CUTS=False):
        found_without, asked_without = _plan_93()
    assert found == found_without
    assert found[0] == (3675007, 2450000)
    assert asked_without - asked >= 36
