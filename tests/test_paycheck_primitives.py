"""The paycheck solver's cent primitives are the spreadsheet's ROUND on the formula, to the cent.

``case._match_cents`` (the match of one check, from the tier that holds the deferral) and ``case._amount`` (a
check's deferral) write out the common cases of ``rounding.whole_cents``, and ``whole_cents`` decides an amount
within a millionth of a cent of a half from its 15 shown digits without Decimal. Each is checked against the rule
as written: ``round(excel_round(x, 2) * 100)`` (Decimal, the 15-digit view, half away from zero) on
``match.match_total`` and on ``pay x rate``, including the half cents that 150%, 50% and 25% rates make.
"""

from __future__ import annotations

import datetime as dt
import math

from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from megabackdoor.match import match_total
from megabackdoor.paycheck import _make_case, paycheck_schedule
from megabackdoor.paycheck.bounds import _match_raw
from megabackdoor.paycheck.case import _amount, _match_cents
from megabackdoor.paycheck.simulation import _largest, _largest_near
from megabackdoor.rounding import excel_round, whole_cents

SETTINGS = settings(max_examples=scaled(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])

RATES = [1.0, 0.5, 0.25, 1.5, 2.0, 0.33, 0.667, 0.75, 5.0, 0.0]
UP_TOS = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.1, 0.2, 0.5, 1.0]


def _rule(value: float) -> int:
    """ROUND(value, 2) in cents as the spreadsheet computes it (Decimal on the 15-digit view)."""
    return round(excel_round(value, 2) * 100)


@st.composite
def cases_with_tiers(draw):
    ups = sorted(draw(st.sets(st.sampled_from(UP_TOS), min_size=1, max_size=4)))
    match = [(draw(st.sampled_from(RATES)), up) for up in ups]
    granularity = draw(st.sampled_from(["1%", "0.5%", "0.1%", "dollars"]))
    pay = draw(st.sampled_from([2500.0, 31880.51, 7279.69, 1234.57, 150.0, 333.33]))
    options = {"match": match, "granularity": granularity, "separate_bonus_election": granularity != "dollars"}
    return _make_case(dt.date(2026, 1, 2), "biweekly", pay, 35, options)


@SETTINGS
@given(cases_with_tiers(), st.lists(st.integers(1, 10**11), min_size=1, max_size=4), st.data())
def test_a_checks_match_is_the_formula_rounded_to_the_cent(case, pay_cents, data):
    for match_pay in [pay_cents[0] / 100, *(cents / 100 for cents in pay_cents[1:]), case.pay]:
        edges = [round(high * match_pay * 100) for _, _, high in case.tiers]
        deferrals = data.draw(st.lists(st.integers(1, 2 * max(edges) + 2), min_size=5, max_size=30))
        # Each tier's edge and the cents beside it, and deferrals past every tier (the full match).
        deferrals += [edge + step for edge in edges for step in (-1, 0, 1) if edge + step > 0] + [10**13]
        for deferral in deferrals:
            unrounded = match_total(deferral / 100, match_pay, case.tiers)
            assert _match_cents(case, deferral, match_pay) == _rule(unrounded), (deferral, match_pay)
            # bounds._match_raw: the same floats, unrounded (x 100), at whole and at fractional cents.
            assert _match_raw(case, deferral, match_pay) == unrounded * 100
            assert _match_raw(case, deferral - 0.37, match_pay) == match_total((deferral - 0.37) / 100, match_pay,
                                                                                case.tiers) * 100
    assert _match_cents(case, 0, case.pay) == _match_cents(case, 500, 0.0) == 0


@SETTINGS
@given(cases_with_tiers(), st.integers(1, 10**9), st.lists(st.integers(0, 1000), min_size=1, max_size=40))
def test_a_checks_deferral_is_pay_times_the_rate_rounded_to_the_cent(case, pay_cents, elections):
    plan_pay = pay_cents / 100
    for units in elections:
        bonus_rate = units * case.bonus_k / 1000
        assert _amount(case, plan_pay, units, True) == (_rule(plan_pay * bonus_rate) if units else 0)
        if case.dollars:
            expected = min(units * 100, round(plan_pay * 100))
        else:
            expected = _rule(plan_pay * (units * case.unit_k / 1000)) if units else 0
        assert _amount(case, plan_pay, units, False) == expected


def test_half_cents_a_float_product_misses_go_up_as_shown_to_15_digits():
    # 1.5 x 0.07 is 0.10500000000000001 and 0.29 x 1.5 is 0.43499999999999994 as floats: both show a half cent,
    # which ROUND takes away from zero; 1.5 x 0.13 is 0.195 (an exact half in cents x 100), up too.
    assert (1.5 * 0.07, 0.29 * 1.5, 0.13 * 1.5) == (0.10500000000000001, 0.43499999999999994, 0.195)
    assert whole_cents(1.5 * 0.07) == 11 and whole_cents(0.29 * 1.5) == 44 and whole_cents(-0.29 * 1.5) == -44
    assert whole_cents(0.13 * 1.5) == 20 and whole_cents(-0.13 * 1.5) == -20
    # 15 digits that stop short of the half: down.
    assert whole_cents(0.104999999999999) == 10 and whole_cents(0.10499999999999999) == 11
    assert whole_cents(12345.6749999999) == 1234567 and whole_cents(12345.67499999999) == 1234568
    assert whole_cents(1234567.89499999) == 123456789 and whole_cents(1234567.894999999) == 123456790
    assert whole_cents(16669.899999999994 * 0.05) == 83350      # (the rounding module's own example)


@settings(max_examples=scaled(200), deadline=None)
@given(st.integers(0, 10**13), st.integers(-40, 40), st.booleans())
def test_amounts_a_few_floats_from_a_half_cent_round_as_the_spreadsheet(cents, ulps, negative):
    value = (cents + 0.5) / 100
    for _ in range(abs(ulps)):
        value = math.nextafter(value, math.inf if ulps > 0 else -math.inf)
    value = -value if negative else value
    assert whole_cents(value) == _rule(value)


@settings(max_examples=scaled(200), deadline=None)
@given(st.integers(1, 10**10), st.sampled_from([1.5, 0.5, 0.25, 0.75, 0.125, 0.07, 0.333, 0.667, 2.5, 0.015]))
def test_match_sized_products_round_as_the_spreadsheet(cents, rate):
    for value in (rate * (cents / 100), cents / 100 * rate * 1.0000000000000002, -rate * (cents / 100)):
        assert whole_cents(value) == _rule(value)


def test_exact_half_cents_go_up():
    # 1% of $2.50 and of $4.50 is 2.5 and 4.5 cents, exactly as floats; ROUND takes both up (round() would take
    # 2.5 to the even 2). Likewise a 50% match on 5 and 9 cents.
    case = _make_case(dt.date(2026, 1, 2), "biweekly", 2500.0, 35, {"match": [(0.5, 1.0)], "granularity": "1%"})
    assert [_amount(case, pay, 1, False) for pay in (2.5, 4.5, 3.5)] == [3, 5, 4]
    assert [_match_cents(case, deferral, 2500.0) for deferral in (5, 9, 7)] == [3, 5, 4]


def test_large_amounts_near_a_half_cent_round_on_their_15_shown_digits():
    # Past ten million dollars a float is coarse enough that the 15 shown digits, not the nearest cent of the
    # float, decide amounts a few hundredths of a cent from a half (whole_cents' tolerance grows with the value).
    for dollars in (10**5, 10**7, 10**8, 10**9, 10**10, 10**11, 10**12, 10**13):
        for offset in (-0.09, -0.05, -0.04, -0.011, -0.009, -0.001, -1e-4, -1e-5, 0.0, 1e-5, 1e-3, 0.04, 0.09):
            value = dollars + 0.125 + offset / 100
            assert whole_cents(value) == _rule(value), value
            assert whole_cents(-value) == _rule(-value), value


def test_a_match_near_the_pay_ceiling_rounds_on_its_15_shown_digits():
    # A check of up to $1e9 (validate.PAY) with a 50% match: odd deferrals make half cents that the float of
    # deferral / 100 misses by up to 3e-6 cent, inside whole_cents' tolerance there (5e-4 cent).
    case = _make_case(dt.date(2026, 1, 2), "biweekly", 2500.0, 35, {"match": [(0.5, 1.0)], "granularity": "1%"})
    for match_pay in (999999999.99, 123456789.01, 9876543.21):
        top = round(match_pay * 100)
        for deferral in range(top - 401, top, 2):
            expected = _rule(match_total(deferral / 100, match_pay, case.tiers))
            assert _match_cents(case, deferral, match_pay) == expected, (deferral, match_pay)


def test_the_ceiling_tells_a_bonus_from_a_regular_check_of_the_same_pay():
    # bounds._ceiling works each kind of check out once. Whole-dollar elections without a separate bonus
    # election: a $5,000 bonus defers nothing, so its 6% match ($300) is out of reach, though a regular check of
    # the same $5,000 gets its $300 at any election from $300 up: the ceiling is 12 x $300, the full match $300
    # more.
    case = _make_case(dt.date(2026, 1, 30), "monthly", 5000.0, 35,
                      {"match": [(1.0, 0.06)], "granularity": "dollars", "max_election": 1.0,
                       "bonuses": [(dt.date(2026, 6, 15), 5000.0)]})
    assert (case.ceiling, case.match_full) == (12 * 30000, 12 * 30000 + 30000)


def test_the_search_from_a_guess_finds_what_bisection_finds():
    # simulation._largest_near: the largest n in [low, high] with the predicate true (true then false), from any
    # guess, in and out of range, as simulation._largest; and in 2 calls when the guess is the answer or one past.
    for low, high in ((0, 0), (0, 1), (0, 37), (3, 40), (5, 4)):
        for boundary in range(low - 2, high + 3):
            for guess in range(low - 3, high + 4):
                asked = []

                def predicate(n, boundary=boundary, asked=asked):
                    asked.append(n)
                    return n <= boundary
                found = _largest_near(predicate, low, high, guess)
                assert found == _largest(lambda n, boundary=boundary: n <= boundary, low, high)
                assert all(low <= n <= high for n in asked)
                if found is not None and low < found and found in (guess, guess - 1) and guess < high:
                    assert len(asked) == 2, (low, high, boundary, guess, asked)      # (the guess and a step beside it)


def test_the_table_splits_the_check_that_passes_402g_to_the_cent():
    # $100 a month with no payroll stop at 402(g), the other employer's deferrals leaving $299.99 / $300.01 of
    # room: the third check passes the limit by a cent (or leaves a cent), the fourth is excess all but that cent.
    def rows(other):
        plan = paycheck_schedule(dt.date(2026, 1, 30), "monthly", 5000.0, 35, 100, granularity="dollars",
                                 stops_at_402g=False, other_employer_deferrals=other)
        return [(row.excess, row.deferral_room_left) for row in plan.paychecks[1:4]]
    assert rows(24500 - 300 + 0.01) == [(0.0, 99.99), (0.01, 0.0), (100.0, 0.0)]
    assert rows(24500 - 300 - 0.01) == [(0.0, 100.01), (0.0, 0.01), (99.99, 0.0)]
