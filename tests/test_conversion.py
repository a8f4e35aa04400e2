"""Earnings before conversion: closed form vs the day-by-day simulation, hand values, monotonicity.

Hand values use the model in ``conversion_earnings``: n equal installments at j/n of the year, conversions
at k/m, earnings a((1+r)^w - 1) for a wait of w years.
"""

from __future__ import annotations

import math

import pytest
from _seeds import scaled
from hypothesis import given, settings
from hypothesis import strategies as st

from megabackdoor.conversion import (
    CADENCES,
    PAY_PERIODS,
    conversion_earnings,
    simulate_conversion_earnings,
)
from megabackdoor.errors import InputError

FIELDS = ("amount_contributed", "earnings_converted", "amount_converted", "basis_converted", "earnings_in_year",
          "carryover_earnings", "unconverted_at_year_end", "unconverted_basis", "average_wait_days")
PAYS = ("weekly", "biweekly", "semimonthly", "monthly", "annual")


def hand_sum(amount: float, rate: float, n: int, waits: list[float]) -> float:
    return sum(amount / n * ((1 + rate) ** w - 1) for w in waits)


def test_annual_conversion_biweekly_hand_computed():
    # Paycheck j waits (26 - j)/26 years until the 31 December conversion.
    result = conversion_earnings(26000, 0.07, "annual", "biweekly")
    expected = hand_sum(26000, 0.07, 26, [(26 - j) / 26 for j in range(1, 27)])
    assert result.earnings_converted == pytest.approx(expected, rel=1e-12)
    assert round(result.earnings_converted, 2) == 864.75
    assert result.unconverted_at_year_end == 0 and result.earnings_in_year == result.earnings_converted


def test_monthly_conversion_biweekly_pay_misaligned_hand_computed():
    # Paycheck j at j/26 converts at ceil(12 j / 26) / 12.
    result = conversion_earnings(52000, 0.06, "monthly", "biweekly")
    waits = [math.ceil(12 * j / 26) / 12 - j / 26 for j in range(1, 27)]
    assert result.earnings_converted == pytest.approx(hand_sum(52000, 0.06, 26, waits), rel=1e-12)


def test_quarterly_with_a_lag_carries_the_last_paycheck_into_next_year():
    # Semimonthly pay, quarterly conversions, 5-day lag: paycheck 24 (31 Dec) settles 5 Jan and converts
    # 31 March next year, a wait of 1/4 year; all the others convert within the year.
    result = conversion_earnings(24000, 0.08, "quarterly", "semimonthly", settlement_lag_days=5)
    waits = [math.ceil(4 * (j / 24 + 5 / 365)) / 4 - j / 24 for j in range(1, 25)]
    assert waits[-1] == 0.25
    assert result.earnings_converted == pytest.approx(hand_sum(24000, 0.08, 24, waits), rel=1e-12)
    assert result.carryover_earnings == pytest.approx(1000 * (1.08 ** 0.25 - 1), rel=1e-12)
    assert result.unconverted_at_year_end == 1000.0 and result.unconverted_basis == 1000.0


def test_daily_automatic_conversion_with_a_two_day_lag():
    # Every installment waits exactly two days.
    result = conversion_earnings(30000, 0.07, "daily", "monthly", settlement_lag_days=2)
    assert result.earnings_converted == pytest.approx(30000 * (1.07 ** (2 / 365) - 1), rel=1e-12)
    assert result.average_wait_days == pytest.approx(2)


def test_at_separation_after_three_years():
    # Paycheck j waits 1 - j/12 + 3 years.
    result = conversion_earnings(12000, 0.05, "at_separation", "monthly", years_until_separation=3)
    waits = [4 - j / 12 for j in range(1, 13)]
    assert result.earnings_converted == pytest.approx(hand_sum(12000, 0.05, 12, waits), rel=1e-12)
    assert result.earnings_in_year == 0 and result.carryover_earnings == result.earnings_converted
    assert result.unconverted_at_year_end == pytest.approx(sum(1000 * 1.05 ** (1 - j / 12) for j in range(1, 13)))


def test_per_paycheck_without_lag_has_no_earnings():
    for pay in PAYS:
        assert conversion_earnings(20000, 0.1, "per_paycheck", pay).earnings_converted == 0.0


def test_zero_return_and_zero_amount():
    assert conversion_earnings(20000, 0.0, "annual").earnings_converted == 0.0
    assert conversion_earnings(0, 0.07, "annual").earnings_converted == 0.0


def kwargs_for(cadence: str, data) -> dict:
    if cadence == "n_per_year":
        return {"conversions_per_year": data.draw(st.integers(1, 365), label="conversions_per_year")}
    if cadence == "at_separation":
        return {"years_until_separation": data.draw(st.sampled_from([0, 0.5, 1, 2.25, 3]), label="years")}
    return {}


@pytest.mark.parametrize("cadence", CADENCES)
@settings(max_examples=scaled(25), deadline=None)
@given(amount=st.floats(0, 100000, allow_subnormal=False), rate=st.floats(-0.5, 0.5), pay=st.sampled_from(PAYS),
       lag=st.integers(0, 365), data=st.data())
def test_closed_form_matches_the_day_by_day_simulation(cadence, amount, rate, pay, lag, data):
    kwargs = kwargs_for(cadence, data)
    closed = conversion_earnings(amount, rate, cadence, pay, lag, **kwargs)
    simulated = simulate_conversion_earnings(amount, rate, cadence, pay, lag, **kwargs)
    for field in FIELDS:
        assert getattr(closed, field) == pytest.approx(getattr(simulated, field), rel=1e-9, abs=1e-7), field


NESTED = [("annual", "semiannual"), ("semiannual", "quarterly"), ("quarterly", "monthly"),
          ("monthly", "semimonthly"), ("annual", "weekly"), ("weekly", "daily"), ("monthly", "daily"),
          ("annual", "per_paycheck"), ("per_paycheck", "daily")]


@pytest.mark.parametrize("rarer, oftener", NESTED)
@given(amount=st.floats(1, 100000), rate=st.floats(0.0001, 0.5), pay=st.sampled_from(PAYS),
       lag=st.integers(0, 365))
def test_converting_more_often_never_raises_taxable_earnings(rarer, oftener, amount, rate, pay, lag):
    # Adding conversion dates (the new schedule includes the old dates) can only shorten each wait.
    slow = conversion_earnings(amount, rate, rarer, pay, lag).earnings_converted
    fast = conversion_earnings(amount, rate, oftener, pay, lag).earnings_converted
    assert fast <= slow + 1e-9 * amount


@given(amount=st.floats(1, 100000), rate=st.floats(0.0001, 0.5), pay=st.sampled_from(PAYS),
       m=st.integers(1, 30), multiple=st.integers(2, 12), lag=st.integers(0, 365))
def test_n_per_year_refinement_never_raises_earnings(amount, rate, pay, m, multiple, lag):
    slow = conversion_earnings(amount, rate, "n_per_year", pay, lag, conversions_per_year=m)
    fast = conversion_earnings(amount, rate, "n_per_year", pay, lag, conversions_per_year=min(365, m * multiple))
    assert fast.earnings_converted <= slow.earnings_converted + 1e-9 * amount


@given(amount=st.floats(1, 100000), rate=st.floats(0.0001, 0.5), pay=st.sampled_from(PAYS),
       years=st.floats(1, 30), more=st.floats(0, 10))
def test_later_separation_means_more_earnings_and_never_beats_annual(amount, rate, pay, years, more):
    early = conversion_earnings(amount, rate, "at_separation", pay, years_until_separation=years)
    late = conversion_earnings(amount, rate, "at_separation", pay, years_until_separation=years + more)
    annual = conversion_earnings(amount, rate, "annual", pay)
    assert annual.earnings_converted <= early.earnings_converted + 1e-9 * amount
    assert early.earnings_converted <= late.earnings_converted + 1e-9 * amount


def test_misaligned_more_frequent_schedule_can_be_worse():
    # Monthly pay: semimonthly conversions hit every payday, weekly ones do not (documented caveat).
    weekly = conversion_earnings(12000, 0.07, "weekly", "monthly").earnings_converted
    semimonthly = conversion_earnings(12000, 0.07, "semimonthly", "monthly").earnings_converted
    assert semimonthly == 0.0 < weekly


@given(amount=st.floats(0, 1e5, allow_subnormal=False), rate=st.floats(-0.5, 0.5),
       cadence=st.sampled_from(CADENCES[:8]), pay=st.sampled_from(PAYS), lag=st.integers(0, 365))
def test_accounting_identities(amount, rate, cadence, pay, lag):
    r = conversion_earnings(amount, rate, cadence, pay, lag)
    assert r.amount_converted == pytest.approx(r.basis_converted + r.earnings_converted)
    assert r.basis_converted == amount
    assert r.earnings_in_year + r.carryover_earnings == pytest.approx(r.earnings_converted, abs=1e-9)
    assert 0 <= r.unconverted_basis <= amount * (1 + 1e-12)
    if rate >= 0:
        assert r.unconverted_at_year_end >= r.unconverted_basis - 1e-9 and r.earnings_converted >= 0


@pytest.mark.parametrize("kwargs, argument, words", [
    ({"annual_after_tax": -1}, "annual_after_tax", "$0 or more"),
    ({"annual_return": 7}, "annual_return", "looks like a percent"),
    ({"cadence": "hourly"}, "cadence", "'daily', 'weekly', 'per_paycheck'"),
    ({"pay_frequency": "fortnightly"}, "pay_frequency", "'weekly', 'biweekly', 'semimonthly', 'monthly'"),
    ({"settlement_lag_days": -2}, "settlement_lag_days", "0 to 365"),
    ({"settlement_lag_days": 1.5}, "settlement_lag_days", "whole number"),
    ({"cadence": "n_per_year"}, "conversions_per_year", "when cadence is 'n_per_year'"),
    ({"cadence": "n_per_year", "conversions_per_year": 0}, "conversions_per_year", "1 to 365"),
    ({"conversions_per_year": 4}, "conversions_per_year", "blank unless cadence is 'n_per_year'"),
    ({"cadence": "at_separation"}, "years_until_separation", "when cadence is 'at_separation'"),
    ({"cadence": "at_separation", "years_until_separation": -1}, "years_until_separation", "0 to 60"),
    ({"annual_after_tax": "5,000"}, "annual_after_tax", "not text"),
])
def test_bad_input(kwargs, argument, words):
    arguments = {"annual_after_tax": 20000, "annual_return": 0.07, **kwargs}
    with pytest.raises(InputError) as caught:
        conversion_earnings(**arguments)
    assert caught.value.argument == argument and words in str(caught.value)


def test_pay_periods_documented():
    assert PAY_PERIODS == {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12, "annual": 365,
                           "daily": 365}


@given(amount=st.floats(0, 1e5, allow_subnormal=False), rate=st.floats(0.001, 0.5), pay=st.sampled_from(PAYS),
       cadence=st.sampled_from(["weekly", "per_paycheck", "semimonthly", "monthly", "quarterly", "semiannual",
                                "annual"]), lag=st.integers(0, 365))
def test_the_spreadsheet_expression_in_the_docstring(amount, rate, pay, cadence, lag):
    # The formula the plan workbook puts in cells, written with + - * / ^ and GCD, MOD, INT only.
    n = PAY_PERIODS[pay]
    m = {"weekly": 52, "per_paycheck": n, "semimonthly": 24, "monthly": 12, "quarterly": 4, "semiannual": 2,
         "annual": 1}[cadence]
    g = math.gcd(n, m)
    p = n / g
    psi = (-m * n * lag) % (365 * g)
    base = lag / 365 + psi / (365 * n * m)
    earnings = amount / n * g * ((1 + rate) ** base * ((1 + rate) ** (1 / m) - 1) / ((1 + rate) ** (1 / (p * m)) - 1)
                                 - p)
    c = n - int(n * (365 - lag) / 365)
    unconverted = amount / n * ((1 + rate) ** (c / n) - 1) / ((1 + rate) ** (1 / n) - 1)
    result = conversion_earnings(amount, rate, cadence, pay, lag)
    # ^ without EXPM1 loses a few digits at small rates: agreement to a hundredth of a cent
    assert result.earnings_converted == pytest.approx(earnings, rel=1e-7, abs=1e-4)
    assert result.unconverted_at_year_end == pytest.approx(unconverted, rel=1e-9, abs=1e-4)
