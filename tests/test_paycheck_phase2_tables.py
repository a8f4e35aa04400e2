"""The after-tax search on the tables (`solver._phase2_tables`): where the fills beside the bonus after-tax
elections run over fewer regular ones, it loops over those instead (`solver._phase2_by_regular`); both give
exactly the answer of the loop over every bonus election (`solver._phase2_by_bonus`; hypothesis, derandomized, on
rising tables with runs of equal cents, floors, caps and a reachable total that is sometimes the most).
"""

from __future__ import annotations

import bisect

from _seeds import scaled
from hypothesis import given, settings
from hypothesis import strategies as st

from megabackdoor.paycheck import solve_elections, solver
from megabackdoor.paycheck.solver import _phase2_by_bonus, _phase2_tables


def _rising(draw, length, steps):
    table = [0]
    for _ in range(length):
        table.append(table[-1] + draw(steps))
    return table


@st.composite
def searches(draw):
    # (Steps of 50 cents on both sides make many pairs of the same total: ties the smaller a must win.)
    regular_amounts = _rising(draw, draw(st.integers(1, 60)), st.sampled_from([0, 1, 50, 137, 137, 138, 275]))
    bonus_sums = _rising(draw, draw(st.integers(1, 400)), st.sampled_from([0, 0, 3, 50, 51, 1083, 1083]))
    per_check = draw(st.sampled_from([1, 1, 2, 12, 24, 26]))
    cap = draw(st.integers(0, len(regular_amounts) - 1))
    bonus_cap = draw(st.integers(0, len(bonus_sums) - 1))
    room415 = draw(st.integers(0, per_check * regular_amounts[cap] + bonus_sums[bonus_cap] + 500))
    top = bisect.bisect_right(bonus_sums, room415, 0, bonus_cap + 1) - 1      # (solver._bonus_fit on the table)
    floor = draw(st.integers(0, top))
    pairs = [per_check * regular_amounts[a] + bonus_sums[ya] for a in range(cap + 1) for ya in range(floor, top + 1)]
    most = max(total for total in pairs if total <= room415)
    reachable = draw(st.sampled_from([most, room415, room415 - room415 % 40, most + 1]))
    return room415, top, floor, cap, per_check, bonus_sums, regular_amounts, reachable


@settings(max_examples=scaled(400), deadline=None, derandomize=True)
@given(searches())
def test_the_after_tax_search_by_regular_elections_gives_the_loop_over_bonus_ones(search):
    assert _phase2_tables(*search) == _phase2_by_bonus(*search)


def test_plan_723s_after_tax_search_goes_by_its_21_regular_elections(monkeypatch):
    # 24 semimonthly checks of $19,566.01 at 0.1% steps ($19.57 each, $469.68 a step in all) and one $10,829.20
    # bonus ($10.83 a step): 917 bonus after-tax elections, whose fills run over 21 regular ones.
    searches_made = []

    def recorded(*search):
        searches_made.append(search)
        return _phase2_tables(*search)

    monkeypatch.setattr(solver, "_phase2_tables", recorded)
    plan = solve_elections("2026-01-01", "semimonthly", 19566.01, 70, granularity="0.1%",
                           match=[(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)], separate_bonus_election=True,
                           bonuses=[("2026-02-23", 10829.2)])
    (search,) = searches_made
    room415, top, floor, cap, per_check, bonus_sums, regular_amounts, _ = search
    assert (top, floor, cap, per_check) == (916, 0, 910, 24)
    first = bisect.bisect_right(regular_amounts, (room415 - bonus_sums[top]) // per_check, 0, cap + 1) - 1
    last = bisect.bisect_right(regular_amounts, (room415 - bonus_sums[floor]) // per_check, 0, cap + 1) - 1
    assert last - first == 21
    assert _phase2_tables(*search) == _phase2_by_bonus(*search) == (3217404, 58, 456)
    assert (plan.after_tax_election, plan.bonus_after_tax_election) == (0.058, 0.456)
