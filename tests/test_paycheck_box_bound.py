"""The solver's bound over a box of (regular, separate bonus) elections (`_box_bound`, used by `_boxes_below` to
drop runs of bonus elections whole) is at least the stopped match (`_truncated`) of every election in the box
that the payroll cuts at the bound's check (hypothesis, on the slow classes: concave tiers, separate bonus
election, payroll stop at 402(g), true-up or not)."""

from __future__ import annotations

from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_properties import slow_class_cases

from megabackdoor.paycheck import _make_case, _truncated
from megabackdoor.paycheck.bounds import _box_bound, _concave, _grain
from megabackdoor.paycheck.case import _amount
from megabackdoor.paycheck.solver import _boxes_below, _first_stopped
from megabackdoor.paycheck.stops import _stop_at


def _bounds_by_cut(case, x1, x2, y1, y2):
    """_box_bound of the box [x1, x2] x [y1, y2] for every cut its elections can have (the cut falls as either
    election rises: from the cut at (x2, y2) to the cut at (x1, y1))."""
    grain = _grain(case)
    high_cut, _, first_column = _stop_at(case, x1, y1)
    low_cut, _, last_column = _stop_at(case, x2, y2)
    return {cut: _box_bound(case, x1, x2, cut, first_column, last_column, grain)
            for cut in range(low_cut, high_cut + 1)}


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(slow_class_cases(), st.data())
def test_box_bound_covers_every_stopped_match_in_the_box(case_args, data):
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    if not (case.separate and case.bonus_events and case.tiers and _concave(case)):
        return
    x1 = data.draw(st.integers(0, case.max_units))
    x2 = data.draw(st.integers(x1, min(case.max_units, x1 + 6)))
    y1 = data.draw(st.integers(0, case.bonus_max_units))
    y2 = data.draw(st.integers(y1, min(case.bonus_max_units, y1 + 6)))
    bounds = _bounds_by_cut(case, x1, x2, y1, y2)
    for deferral in range(x1, x2 + 1):
        for bonus_deferral in range(y1, y2 + 1):
            cut = _stop_at(case, deferral, bonus_deferral)[0]
            assert cut in bounds      # the cut falls as either election rises
            assert _truncated(case, deferral, bonus_deferral) <= bounds[cut]


@settings(max_examples=scaled(30), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(slow_class_cases(), st.data())
def test_boxes_below_drops_only_columns_whose_stopped_candidates_fall_short(case_args, data):
    """A run that `_boxes_below` drops holds no stopped candidate that could be offered: in each column y of
    the run, every regular election from the first the column's stopped search looks at (`_first_stopped`, which
    the boxes' lower halves start at) up to x_high pays less than the need, or no more when x >= tie_below. The
    need is drawn around the most any of them pays, so a box trimmed one election too far drops a run it must
    keep."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    if not (case.separate and case.bonus_events and case.tiers and _concave(case) and case.room >= 0):
        return
    y1 = data.draw(st.integers(0, case.bonus_max_units))
    y2 = data.draw(st.integers(y1, min(case.bonus_max_units, y1 + 40)))
    starts = {y: _first_stopped(case, y) for y in range(y1, y2 + 1)}
    # x_high at some column's first election: that election is then often the most its column can offer.
    x_high = min(case.max_units, starts[data.draw(st.integers(y1, y2))] + data.draw(st.integers(-1, 1)))
    tie_below = data.draw(st.sampled_from([case.max_units + 1, x_high]))
    pays = [(_truncated(case, deferral, bonus_deferral), deferral)
            for bonus_deferral in range(y1, y2 + 1) for deferral in range(starts[bonus_deferral], x_high + 1)]
    if not pays:
        return
    need = max(match - (deferral >= tie_below) for match, deferral in pays) + data.draw(st.integers(-1, 1))
    dropped = _boxes_below(case, starts[y2], x_high, y1, y2, need, tie_below, _grain(case), 10**6)
    if dropped:
        assert all(match < need + (deferral >= tie_below) for match, deferral in pays)


@settings(max_examples=scaled(30), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(slow_class_cases(), st.data())
def test_first_stopped_is_past_the_room_fill_and_falls_with_y(case_args, data):
    """`_first_stopped(y)` is 1 + the first regular election paying the cents of column y's room fill (the
    largest x whose regular checks fit the room beside y's bonus checks), 0 when none fits (by a scan of every
    election), and never rises with y: every election below it fits the room at y and at every smaller y, so
    the boxes' lower halves that start there leave out no stopped candidate."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    if not (case.separate and case.bonus_events and case.room >= 0):
        return
    y = data.draw(st.integers(0, case.bonus_max_units))
    amounts = [_amount(case, case.pay, units, False) for units in range(case.max_units + 1)]
    bonus = sum(_amount(case, event[3], y, True) for event in case.bonus_events)
    fits = [units for units, amount in enumerate(amounts) if case.n_regular * amount + bonus <= case.room]
    expected = 0 if not fits or not case.n_regular else amounts.index(amounts[fits[-1]]) + 1
    assert _first_stopped(case, y) == expected
    if y > 0:
        assert _first_stopped(case, y - 1) >= expected


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(slow_class_cases(), st.data())
def test_row_bound_covers_every_stopped_match_in_a_long_run_of_bonus_elections(case_args, data):
    """With one regular election (a row, as `_boxes_below` splits its boxes first), `_box_bound` takes the
    regular checks' match as their exact rounded cents: still at least the stopped match of every bonus
    election of a long run cut at the bound's check. (A cent off that exact part fails this, tried.)"""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    if not (case.separate and case.bonus_events and case.tiers and _concave(case)):
        return
    x = data.draw(st.integers(0, case.max_units))
    y1 = data.draw(st.integers(0, case.bonus_max_units))
    y2 = data.draw(st.integers(y1, min(case.bonus_max_units, y1 + 40)))
    bounds = _bounds_by_cut(case, x, x, y1, y2)
    for bonus_deferral in range(y1, y2 + 1):
        cut = _stop_at(case, x, bonus_deferral)[0]
        assert _truncated(case, x, bonus_deferral) <= bounds[cut]
