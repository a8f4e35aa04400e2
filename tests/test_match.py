"""The employer-match rule shared by the schedule, the paycheck solver and both workbooks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from megabackdoor.match import bands, match_formula, match_total
from megabackdoor.schedule import match_amount

SAFE_HARBOR = ((1.0, 0.03), (0.5, 0.05))  # 100% of the first 3% of pay, 50% of the next 2%


@pytest.mark.parametrize(("deferral", "expected"), [
    (0, 0), (3000, 3000), (4500, 4500), (6000, 5250), (7500, 6000), (24500, 6000)])
def test_safe_harbor_match_by_hand(deferral, expected):
    # pay 150,000: 3% = 4,500 matched in full, the next 2% (3,000) at 50%
    assert match_total(deferral, 150000, bands(SAFE_HARBOR)) == expected


def test_equal_bounds_make_an_empty_tier_and_rounding_is_to_the_cent():
    assert match_total(10000, 100000, bands(((1.0, 0.04), (0.5, 0.04), (0.25, 0.06)))) == 4000 + 0.25 * 2000
    assert match_amount(1000.01, 33333.33, ((0.333, 0.05),)) == 333.0  # 0.333 x 1,000.01 = 333.003...


def test_formula_text_names_every_tier():
    text = match_formula(None, "Pay", 3)
    assert text.count("MatchRate") == 3 and "MIN(" not in text  # no deferral cap: the full match
    assert match_formula("D", "Pay", 1) == "MatchRate1*MAX(0,MIN(D,MatchUpTo1*Pay)-0*Pay)"


tier_lists = st.lists(st.tuples(st.floats(0, 2), st.floats(0.001, 0.5)), min_size=0, max_size=3).map(
    lambda pairs: tuple((rate, up_to) for rate, up_to in zip([p[0] for p in pairs],
                                                             sorted(p[1] for p in pairs), strict=True)))


@given(tier_lists, st.floats(0, 100_000), st.floats(0, 100_000), st.floats(1, 1_000_000))
def test_match_rises_with_deferrals_and_never_passes_the_full_match(tiers, first, second, pay):
    low, high = sorted((first, second))
    tier_bands = bands(tiers)
    assert match_total(low, pay, tier_bands) <= match_total(high, pay, tier_bands) + 1e-9
    full = sum(rate * (up_to - start) * pay for rate, start, up_to in tier_bands)
    assert match_total(high, pay, tier_bands) <= full + 1e-6
