"""The planned sums' bonus part read off the bonus tables (simulation._bonus_match: each bonus check's deferral
from its table, its match from its match pay's tier lines) is the same cents as the check-by-check sums of a
case without the tables, and as the simulation's when no payroll stop cuts anything (hypothesis, derandomized:
odd cents of pay, 150% and 25% tiers whose edges fall on half cents, bonuses past §401(a)(17) with part or none
of their pay matched)."""

from __future__ import annotations

import datetime as dt

from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from megabackdoor.paycheck import _make_case, _simulate
from megabackdoor.paycheck.simulation import _build_tables, _planned_raw


@st.composite
def cases_and_elections(draw):
    granularity = draw(st.sampled_from(["0.1%", "1%", "0.5%"]))
    pay = draw(st.sampled_from([4321.09, 9130.07, 26493.89, 45000.0]))
    months = draw(st.lists(st.integers(2, 12), min_size=1, max_size=6))
    bonuses = [(dt.date(2026, month, 27), draw(st.sampled_from([8000.0, 30876.43, 1522.38, 6601.65])))
               for month in months]
    options = {"match": draw(st.sampled_from([[(2.0, 0.05), (1.0, 0.5)], [(1.5, 0.2), (0.25, 1.0)],
                                              [(1.0, 0.03), (0.5, 0.05)], [(0.5, 0.06)]])),
               "true_up": draw(st.booleans()), "granularity": granularity, "max_election": 0.75,
               "separate_bonus_election": True, "stops_at_402g": False, "stops_at_415c": False,
               "ytd_compensation": draw(st.sampled_from([0.0, 150000.0, 320000.0])), "bonuses": bonuses}
    args = (dt.date(2026, 1, 2), draw(st.sampled_from(["weekly", "biweekly", "semimonthly"])), pay, 40, options)
    case = _make_case(*args[:4], options)
    elections = draw(st.lists(st.tuples(st.integers(0, case.max_units), st.integers(0, case.bonus_max_units)),
                              min_size=1, max_size=40))
    return args, elections


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(cases_and_elections())
def test_the_bonus_part_from_the_tables_is_the_check_by_check_sums(drawn):
    args, elections = drawn
    with_tables = _make_case(*args[:4], args[4])
    _build_tables(with_tables)
    without = _make_case(*args[:4], args[4])      # (_planned_raw alone never builds the tables)
    deferral = elections[0][0]
    for bonus_deferral in range(with_tables.bonus_max_units + 1):      # every bonus election
        assert (_planned_raw(with_tables, deferral, bonus_deferral)
                == _planned_raw(without, deferral, bonus_deferral)), bonus_deferral
    assert without.bonus_sums is None
    for deferral, bonus_deferral in elections:
        simulated = _simulate(_make_case(*args[:4], args[4]), deferral, bonus_deferral, 0, 0)
        assert (_planned_raw(with_tables, deferral, bonus_deferral)
                == (simulated.deferrals, simulated.match - simulated.true_up)), (deferral, bonus_deferral)


def test_bonus_checks_at_a_separate_election_by_hand():
    # 100,000 a year biweekly, 200% of the first 5% of pay + 100% up to 50%, bonus election 7.3% (73 steps of
    # 0.1%). Bonus of 8,000: 584.00 deferred, 2 x 400.00 + 184.00 = 984.00 matched. Bonus of 6,601.65:
    # 481.92045 -> 481.92 deferred; 5% of its pay is 330.0825: 660.165 + 151.8375 = 812.0025 -> 812.00 matched.
    # No regular deferral: the regular checks add nothing.
    options = {"match": [(2.0, 0.05), (1.0, 0.5)], "granularity": "0.1%", "max_election": 0.75,
               "separate_bonus_election": True, "stops_at_402g": False,
               "bonuses": [(dt.date(2026, 3, 13), 8000.0), (dt.date(2026, 9, 18), 6601.65)]}
    case = _make_case(dt.date(2026, 1, 2), "biweekly", 3846.15, 40, options)
    _build_tables(case)
    assert _planned_raw(case, 0, 73) == (58400 + 48192, 98400 + 81200)
