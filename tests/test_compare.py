"""Roth vs taxable brokerage: hand-computed values and invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from megabackdoor.compare import roth_vs_taxable
from megabackdoor.errors import InputError


def test_one_year_hand_computed():
    # $10,000, 1 year, 7% total return with a 2% yield, 15%/15%: dividends 200 -> tax 30 -> value 10,670,
    # basis 10,170, gain 500 -> tax 75 -> 10,595. Roth 10,700. Advantage 105.
    result = roth_vs_taxable(10000, 1, 0.07, dividend_yield=0.02)
    assert result.roth_value == pytest.approx(10700)
    assert result.taxable_pretax_value == pytest.approx(10670)
    assert result.taxable_basis == pytest.approx(10170)
    assert result.taxable_value == pytest.approx(10595)
    assert result.advantage == pytest.approx(105)


def test_niit_and_state_raise_the_drag():
    # 23.8% on gains with NIIT at 20%, plus 5% state: td = tg = 0.288. No dividends, 2 years at 10%:
    # value 12,100, gain 2,100 -> tax 604.80 -> 11,495.20.
    result = roth_vs_taxable(10000, 2, 0.10, dividend_yield=0, qualified_dividend_rate=0.2, ltcg_rate=0.2,
                             niit=True, state_rate=0.05)
    assert result.gains_tax_rate == pytest.approx(0.288)
    assert result.taxable_value == pytest.approx(11495.2)


def test_conversion_tax_goes_into_the_taxable_side_and_breakeven():
    # With no dividends the taxable side is (10,000 + 240) x (1 + 0.85 x (1.07^N - 1)) against 10,000 x 1.07^N:
    # N=1: 10,849.28 vs 10,700; N=2: 11,501.21 vs 11,449; N=3: 12,198.78 vs 12,250.43 -> the Roth leads at 3.
    for years, roth, taxable in ((1, 10700, 10849.28), (2, 11449, 11501.21), (3, 12250.43, 12198.77)):
        row = roth_vs_taxable(10000, years, 0.07, conversion_tax=240, dividend_yield=0)
        assert (round(row.roth_value, 2), round(row.taxable_value, 2)) == (roth, taxable)
    result = roth_vs_taxable(10000, 30, 0.07, conversion_tax=240, dividend_yield=0)
    assert result.taxable_invested == 10240
    assert result.breakeven_years == 3
    at_breakeven = roth_vs_taxable(10000, 30, 0.07, conversion_tax=result.breakeven_conversion_tax,
                                   dividend_yield=0)
    assert at_breakeven.advantage == pytest.approx(0, abs=1e-6)


def test_zero_horizon_roth_behind_by_the_tax():
    assert roth_vs_taxable(10000, 0, 0.07, conversion_tax=500).advantage == pytest.approx(-500)


@given(amount=st.floats(1, 1e6), years=st.integers(1, 60), rate=st.floats(0.0, 0.15),
       dividend_yield=st.floats(0, 0.05), dividend_rate=st.sampled_from([0, 0.15, 0.2]),
       gains_rate=st.sampled_from([0, 0.15, 0.2]))
def test_without_conversion_tax_the_roth_never_loses_when_returns_are_positive(
        amount, years, rate, dividend_yield, dividend_rate, gains_rate):
    result = roth_vs_taxable(amount, years, rate, 0.0, min(dividend_yield, rate), dividend_rate, gains_rate)
    assert result.advantage >= -1e-6 * amount
    assert result.breakeven_years == 0


@given(years=st.integers(1, 60), rate=st.floats(0.01, 0.15), tax=st.floats(0, 5000))
def test_advantage_falls_with_conversion_tax(years, rate, tax):
    low = roth_vs_taxable(10000, years, rate, tax)
    high = roth_vs_taxable(10000, years, rate, tax + 100)
    assert high.advantage < low.advantage


@pytest.mark.parametrize("kwargs, argument", [
    ({"amount": -1}, "amount"), ({"years": 101}, "years"), ({"years": 2.5}, "years"),
    ({"annual_return": 7}, "annual_return"), ({"ltcg_rate": 1}, "ltcg_rate"),
    ({"conversion_tax": -5}, "conversion_tax"), ({"niit": "maybe"}, "niit"),
])
def test_bad_input(kwargs, argument):
    arguments = {"amount": 10000, "years": 10, "annual_return": 0.07, **kwargs}
    with pytest.raises(InputError) as caught:
        roth_vs_taxable(**arguments)
    assert caught.value.argument == argument
