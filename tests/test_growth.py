"""The year-end growth factor (megabackdoor.growth): its formula text against its Python, by ``formulas``.

Hand values: F(r, n) = (1/n) sum_{i=0}^{n-1} (1+r)^(i/n); F(0.06, 26) = 1.028555..., F(r, 1) = 1 (one payday on
31 December), F(0, n) = 1.
"""

from __future__ import annotations

import pytest
from _onecell import evaluate
from _seeds import rng, scaled
from hypothesis import given, settings
from hypothesis import strategies as st

from megabackdoor import growth, schedule
from megabackdoor.cadences import PAY_FREQUENCIES
from megabackdoor.conversion import PAY_PERIODS

PAYDAYS = sorted({PAY_PERIODS[frequency] for frequency in PAY_FREQUENCIES} | {1, 365})
TEXT = growth.year_end_factor_formula("r", "n")


def hand_factor(rate: float, paydays: int) -> float:
    return sum((1 + rate) ** (i / paydays) for i in range(paydays)) / paydays


@pytest.mark.parametrize(("rate", "paydays", "expected"), [
    (0.06, 26, 1.028555), (0.0, 26, 1.0), (0.07, 1, 1.0), (0.07, 12, 1.031691), (-0.5, 52, 0.726166)])
def test_factor_by_hand(rate, paydays, expected):
    assert round(growth.year_end_factor(rate, paydays), 6) == expected
    assert growth.year_end_factor(rate, paydays) == pytest.approx(hand_factor(rate, paydays), rel=1e-12)


def test_schedule_keeps_its_public_names():
    assert schedule.year_end_factor is growth.year_end_factor
    assert schedule.year_end_factor_formula is growth.year_end_factor_formula


@settings(max_examples=scaled(300), deadline=None)
@given(rate=st.one_of(st.floats(-0.99, 1.0), st.floats(-1e-5, 1e-5), st.sampled_from([0.0, 1e-6, -1e-6, 1e-300])),
       paydays=st.sampled_from(PAYDAYS))
def test_formula_text_equals_the_python(rate, paydays):
    # To the cent on twice the §415(c) dollar limit for any return, the series near 0 included.
    assert abs(evaluate(TEXT, r=rate, n=paydays) - growth.year_end_factor(rate, paydays)) * 150000 < 0.005


def test_formula_text_on_a_seeded_grid():
    draw = rng("growth-grid")
    for _ in range(200):
        rate, paydays = round(draw.uniform(-0.3, 0.3), draw.randint(2, 8)), draw.choice(PAYDAYS)
        assert abs(evaluate(TEXT, r=rate, n=paydays) - growth.year_end_factor(rate, paydays)) * 150000 < 0.005, \
            (rate, paydays)


def test_the_plan_workbook_takes_its_growth_text_from_the_rule():
    from megabackdoor.workbook import plan

    cells = {cell.value for sheet in plan.build().sheets for cell in sheet.cells.values()
             if isinstance(cell.value, str) and cell.value.startswith("=")}
    assert "=" + growth.year_end_factor_formula("ExpectedReturn", "ConvN") in cells
    assert "=" + growth.year_end_factor_formula("(ExpectedReturn*(1-TaxableTaxDrag))", "ConvN") in cells
