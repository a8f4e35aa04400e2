"""_simulate keeps per-case memos (case.simulation: the events slotted, each bonus plan pay's amounts and each
match pay's match by election) for the brute force, which simulates every candidate on one case: a result must
not depend on which elections the case was asked about before (hypothesis, derandomized)."""

from __future__ import annotations

import datetime as dt

from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from megabackdoor.paycheck import _make_case, _simulate
from megabackdoor.paycheck.simulation import _Result

FIELDS = [name for name in _Result.__slots__ if name != "rows"]


@st.composite
def cases_and_elections(draw):
    granularity = draw(st.sampled_from(["1%", "0.5%", "dollars"]))
    pay = draw(st.sampled_from([240.0, 333.33] if granularity == "dollars" else [4321.09, 9000.0, 45000.0]))
    months = draw(st.lists(st.integers(2, 12), min_size=0, max_size=3))
    # Bonuses: two of the same pay share a slot, one outside plan pay has none (and match pay past 401(a)(17)
    # differs from plan pay: one match memo per match pay).
    bonuses = [(dt.date(2026, month, 28), draw(st.sampled_from([8000.0, 50000.0, 30876.43])),
                draw(st.sampled_from([True, True, False]))) for month in months]
    options = {"match": draw(st.sampled_from([None, [(1.0, 0.06)], [(1.0, 0.03), (0.5, 0.05)], [(2.0, 1.0)]])),
               "true_up": draw(st.booleans()), "granularity": granularity, "max_election": 0.3,
               "separate_bonus_election": draw(st.booleans()) and granularity != "dollars",
               "stops_at_402g": draw(st.booleans()), "stops_at_415c": draw(st.booleans()),
               "other_employer_deferrals": draw(st.sampled_from([0.0, 20000.0])), "bonuses": bonuses}
    args = (dt.date(2026, 1, draw(st.sampled_from([1, 15]))), draw(st.sampled_from(["monthly", "semimonthly"])),
            pay, draw(st.sampled_from([35, 61])), options)
    case = _make_case(*args[:4], options)
    top, bonus_top = case.max_units, case.bonus_max_units
    elections = draw(st.lists(st.tuples(st.integers(0, top), st.integers(-1, bonus_top), st.integers(0, top),
                                        st.integers(-1, bonus_top)), min_size=1, max_size=12))
    return args, elections


@settings(max_examples=scaled(30), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(cases_and_elections())
def test_a_simulation_does_not_depend_on_the_ones_before_it_on_the_case(drawn):
    args, elections = drawn
    shared = _make_case(*args[:4], args[4])
    for round_ in range(2):      # the second round finds every memo filled
        for election in elections if round_ == 0 else reversed(elections):
            fresh = _simulate(_make_case(*args[:4], args[4]), *election, [])
            warm = _simulate(shared, *election, [] if round_ else None)
            assert [getattr(warm, name) for name in FIELDS] == [getattr(fresh, name) for name in FIELDS], election
            if round_:
                assert warm.rows == fresh.rows
