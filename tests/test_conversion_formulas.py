"""The conversion-earnings closed form (megabackdoor.conversion.earnings): each piece's formula text, as the
planning workbook writes it, evaluated by ``formulas`` against the engine's conversion_earnings, so a drift
between the two fails here in seconds rather than only in the LibreOffice tier.

Hand values (the model of conversion_earnings: n installments at j/n of the year, conversions at k/m, an
installment that waits w years earns a((1+r)^w - 1)): $26,000 biweekly at 7% converted on 31 December
waits (26 - j)/26 years, sum_j 1,000((1.07)^((26-j)/26) - 1) = $864.75.
"""

from __future__ import annotations

import math

import pytest
from _onecell import evaluate
from _seeds import fast_set, rng, scaled
from hypothesis import given, settings
from hypothesis import strategies as st

from megabackdoor.cadences import CADENCES
from megabackdoor.conversion import PAY_PERIODS, conversion_earnings
from megabackdoor.conversion import earnings as rule

PAYS = ("weekly", "biweekly", "semimonthly", "monthly", "annual")
# m for each named periodic cadence (per_paycheck: n; n_per_year: drawn).
M = {"daily": 0, "weekly": 52, "semimonthly": 24, "monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1}
NAMES = ("rate", "paydays", "conversions", "gcd", "period", "basewait", "lag")
PERIODIC = rule.periodic_earnings_formula("amount", *NAMES)
REMAINDER = rule.remainder_formula("paydays", "conversions", "gcd", "lag")
BASE = rule.base_wait_formula("paydays", "conversions", "gcd", "lag", "remainder")
LEFT = rule.unconverted_paydays_formula("paydays", "lag")
UNCONVERTED = rule.unconverted_formula("amount", "rate", "paydays", "left")
SETTLED = rule.separation_paydays_formula("paydays", "years", "lag")
SEPARATION = rule.separation_earnings_formula("amount", "rate", "paydays", "years", "settled", "lag")


def sheet_periodic(amount: float, rate: float, n: int, m: int, lag: int) -> tuple[float, float]:
    """(earnings_converted, unconverted_at_year_end) computed cell by cell from the formula text alone."""
    g = math.gcd(n, m) if m else 1
    remainder = evaluate(REMAINDER, paydays=n, conversions=m, gcd=g, lag=lag)
    base = evaluate(BASE, paydays=n, conversions=m, gcd=g, lag=lag, remainder=remainder)
    earnings = evaluate(PERIODIC, amount=amount, rate=rate, paydays=n, conversions=m, gcd=g, period=n // g,
                        basewait=base, lag=lag)
    left = evaluate(LEFT, paydays=n, lag=lag)
    return earnings, evaluate(UNCONVERTED, amount=amount, rate=rate, paydays=n, left=left)


def engine_periodic(amount, rate, pay, cadence, m, lag):
    if cadence == "n_per_year":
        return conversion_earnings(amount, rate, cadence, pay, lag, conversions_per_year=m)
    return conversion_earnings(amount, rate, cadence, pay, lag)


def close(sheet: float, engine: float) -> bool:
    # To a tenth of a cent: the text's ^ form and the engine's expm1 form differ by float noise (the workbook
    # rounds both to the cent).
    return abs(sheet - engine) < 0.001


# Any return the scenario accepts, with the tiny ones (where (1+r)^x - 1 cancels) drawn on purpose.
RATES = st.one_of(st.floats(-0.99, 1.0), st.floats(-2e-3, 2e-3),
                  st.sampled_from([0.0, 1e-3, -1e-3, 1e-300, 5e-16, 5e-324, -5e-324]))


def test_the_smallest_return_is_not_a_division_by_zero():
    # MEGABACKDOOR_SEED=202 drew r = 5e-324 (a float the scenario accepts): x r underflowed to 0 in both series
    # of the quotient and the sheet showed #DIV/0! where the engine has 0.00. r is now divided out first.
    earnings, unconverted = sheet_periodic(26000, 5e-324, 52, 52, 0)
    engine = engine_periodic(26000, 5e-324, "weekly", "per_paycheck", 52, 0)
    assert earnings == engine.earnings_converted == 0 and unconverted == engine.unconverted_at_year_end == 0
    earnings, _ = sheet_periodic(26000, 5e-324, 52, 12, 3)
    assert abs(earnings) < 1e-300


@settings(max_examples=scaled(200), deadline=None)
@given(rate=RATES.filter(lambda r: r != 0), top=st.sampled_from([1 / 12, 1 / 52, 3 / 26, 1.0]),
       bottom=st.sampled_from([1 / 365, 1 / 52, 1 / 4]))
def test_power_ratio_text_equals_the_python(rate, top, bottom):
    sheet = evaluate(rule.power_ratio_formula("rate", "a", "b"), rate=rate, a=top, b=bottom)
    python = rule.power_ratio(rate, top, bottom)
    assert abs(sheet - python) <= 1e-9 * abs(python), (rate, top, bottom, sheet, python)


def test_hand_value_through_the_formula_text():
    earnings, unconverted = sheet_periodic(26000, 0.07, 26, 1, 0)
    assert round(earnings, 2) == 864.75 and unconverted == 0
    assert round(sum(1000 * (1.07 ** ((26 - j) / 26) - 1) for j in range(1, 27)), 2) == 864.75


@settings(max_examples=scaled(300), deadline=None)
@given(amount=st.integers(0, 8_000_000).map(lambda cents: cents / 100), rate=RATES,
       pay=st.sampled_from(PAYS), cadence=st.sampled_from([c for c in CADENCES if c != "at_separation"]),
       per_year=st.integers(1, 365), lag=st.one_of(st.just(0), st.integers(0, 365)))
def test_periodic_formula_text_equals_the_engine(amount, rate, pay, cadence, per_year, lag):
    n = PAY_PERIODS[pay]
    m = n if cadence == "per_paycheck" else per_year if cadence == "n_per_year" else M[cadence]
    engine = engine_periodic(amount, rate, pay, cadence, m, lag)
    earnings, unconverted = sheet_periodic(amount, rate, n, m, lag)
    assert close(earnings, engine.earnings_converted), (earnings, engine.earnings_converted)
    assert close(unconverted, engine.unconverted_at_year_end), (unconverted, engine.unconverted_at_year_end)


def test_every_pay_and_cadence_pair_on_a_seeded_grid():
    draw = rng("conversion-formulas")
    for pay in PAYS:
        for cadence in [c for c in CADENCES if c != "at_separation"]:
            n = PAY_PERIODS[pay]
            for _ in range(scaled(4, fast=1)):
                m = n if cadence == "per_paycheck" else draw.randint(1, 365) if cadence == "n_per_year" \
                    else M[cadence]
                amount, rate, lag = round(draw.uniform(0, 80000), 2), round(draw.uniform(-0.5, 0.5), 4), \
                    draw.choice((0, 0, 1, 2, 5, 30, 364))
                engine = engine_periodic(amount, rate, pay, cadence, m, lag)
                earnings, unconverted = sheet_periodic(amount, rate, n, m, lag)
                assert close(earnings, engine.earnings_converted), (pay, cadence, m, amount, rate, lag)
                assert close(unconverted, engine.unconverted_at_year_end), (pay, cadence, m, amount, rate, lag)


@settings(max_examples=scaled(300), deadline=None)
@given(amount=st.integers(0, 8_000_000).map(lambda cents: cents / 100), rate=RATES,
       pay=st.sampled_from(PAYS), years=st.integers(0, 60), lag=st.one_of(st.just(0), st.integers(0, 365)))
def test_separation_formula_text_equals_the_engine(amount, rate, pay, years, lag):
    n = PAY_PERIODS[pay]
    settled = evaluate(SETTLED, paydays=n, years=years, lag=lag)
    assert settled == rule.separation_paydays(n, 365 * years, lag)
    sheet = evaluate(SEPARATION, amount=amount, rate=rate, paydays=n, years=years, settled=settled, lag=lag)
    engine = conversion_earnings(amount, rate, "at_separation", pay, lag, years_until_separation=years)
    # Money that waits up to 60 years at up to 100% a year: compare relative to the amount converted.
    assert abs(sheet - engine.earnings_converted) <= 1e-9 * max(1.0, engine.amount_converted)


@pytest.mark.parametrize("n", sorted(set(PAY_PERIODS.values())))
def test_gcd_formula_text_equals_math_gcd(n):
    # Every m the workbook accepts (1-365). The text's terms test divisors of n only, so its value depends on
    # m mod n alone: the fast set checks m = 1..2n, each remainder twice.
    text = rule.gcd_formula(n, "conversions")
    conversions = range(1, min(2 * n, 365) + 1) if fast_set() else range(1, 366)
    assert [evaluate(text, conversions=m) for m in conversions] == [math.gcd(n, m) for m in conversions]


@settings(max_examples=scaled(300), deadline=None)
@given(rate=RATES, exponent=st.sampled_from([1 / 18980, 1 / 365, 1 / 52, 1 / 12, 0.5, 11 / 12, 1.0]))
def test_power_minus_one_text_keeps_its_digits(rate, exponent):
    sheet = evaluate(rule.power_minus_one_formula("rate", "x"), rate=rate, x=exponent)
    exact = rule.power_minus_one(rate, exponent)
    assert sheet == pytest.approx(exact, rel=1e-8, abs=1e-300)


def test_the_python_pieces_by_hand():
    # Semimonthly pay (n = 24) converted weekly (m = 52), no lag: g = 4, p = 6, psi = 0, base = 0.
    assert rule.base_wait(24, 52, 0) == 0.0
    # Biweekly pay converted monthly with a 5-day lag: psi = (-12 x 26 x 5) mod (365 x 2) = 630.
    assert rule.base_wait(26, 12, 5) == 5 / 365 + 630 / (365 * 26 * 12)
    assert rule.unconverted_paydays(26, 14) == 1 and rule.unconverted_paydays(26, 15) == 2
    # Monthly pay, 31-day lag: the 11th payday (day 334.6) settles after 31 December.
    assert rule.separation_paydays(12, 0, 31) == 10 and rule.separation_paydays(12, 365, 31) == 12


def test_the_plan_workbook_takes_its_conversion_text_from_the_rule():
    import importlib

    from megabackdoor.workbook import plan

    schedule_sheet = importlib.import_module("megabackdoor.workbook.plan.schedule_sheet")

    cols = plan.column_letters()
    formulas = plan.schedule_formulas(cols, 3, first=False)
    at = f"{cols['after_tax_contribution']}3"
    assert rule.periodic_earnings_formula(at, *schedule_sheet.CONVERSION_NAMES) in formulas["earnings_converted"]
    assert rule.unconverted_formula(at, "ExpectedReturn", "ConvN", "ConvLeft") in formulas["unconverted_at_year_end"]
    until = f"ScheduleLastYear-{cols['year']}3"
    assert formulas["separation_paydays"] == "=" + rule.separation_paydays_formula("ConvN", until, "SettlementLagDays")
    assert rule.separation_earnings_formula(at, "ExpectedReturn", "ConvN", until, f"{cols['separation_paydays']}3",
                                            "SettlementLagDays") in formulas["separation_earnings"]
    cells = {cell.value for sheet in plan.build().sheets for cell in sheet.cells.values()}
    assert "=" + rule.base_wait_formula("ConvN", "ConvM", "ConvG", "SettlementLagDays", "ConvRem") in cells
    assert "=" + rule.remainder_formula("ConvN", "ConvM", "ConvG", "SettlementLagDays") in cells
    assert "=" + rule.unconverted_paydays_formula("ConvN", "SettlementLagDays") in cells
    assert "=" + rule.gcd_formula(26, "ConversionsPerYear") in cells


def test_the_conversions_a_year_are_one_table():
    from megabackdoor.workbook import plan

    for cadence, m in rule.CONVERSIONS_PER_YEAR.items():
        assert plan.CONVERSIONS_PER_YEAR[cadence] == m
        assert conversion_earnings(1000, 0.05, cadence, "biweekly").conversions_per_year == m
