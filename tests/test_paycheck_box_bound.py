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
from megabackdoor.paycheck.stops import _stop_at


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
    grain = _grain(case)
    high_cut, _, first_column = _stop_at(case, x1, y1)
    low_cut, _, last_column = _stop_at(case, x2, y2)
    bounds = {cut: _box_bound(case, x1, x2, cut, first_column, last_column, grain)
              for cut in range(low_cut, high_cut + 1)}
    for deferral in range(x1, x2 + 1):
        for bonus_deferral in range(y1, y2 + 1):
            cut = _stop_at(case, deferral, bonus_deferral)[0]
            assert cut in bounds      # the cut falls as either election rises
            assert _truncated(case, deferral, bonus_deferral) <= bounds[cut]
