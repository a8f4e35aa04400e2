"""``rounding.excel_round(x, 2)`` takes the nearest cent directly when x is far from a half cent; everywhere it is
still the spreadsheet's ROUND: half away from zero on the value shown to 15 digits, written here with Decimal as
the rule itself (float, sign of a zero result and all)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from _seeds import scaled
from hypothesis import given, settings
from hypothesis import strategies as st

from megabackdoor.rounding import cents, excel_round


def _round_as_shown(value: float) -> float:
    return float(Decimal(f"{value:.15g}").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _same(left: float, right: float) -> bool:
    return left == right and math.copysign(1.0, left) == math.copysign(1.0, right)


def test_by_hand():
    assert excel_round(16669.899999999994 * 0.05) == 833.5       # 833.4999999999997 shows 833.500000000000
    assert excel_round(2.675) == 2.68 and excel_round(-2.675) == -2.68      # (the float is 2.67499999999999982...)
    assert excel_round(1234.5678) == 1234.57 and excel_round(72892) == 72892.0
    assert _same(excel_round(-0.001), -0.0) and _same(excel_round(-0.0), -0.0) and _same(excel_round(0.004), 0.0)
    assert _same(cents(-0.001), 0.0)


@settings(max_examples=scaled(300), deadline=None)
@given(st.floats(-1e13, 1e13, allow_nan=False))
def test_any_amount_rounds_as_shown(value):
    assert _same(excel_round(value, 2), _round_as_shown(value))


@settings(max_examples=scaled(300), deadline=None)
@given(st.integers(-10**12, 10**12), st.integers(-2000, 2000), st.sampled_from([1, 10**-6, 10**-3]))
def test_amounts_near_a_half_cent_round_as_shown(cent_count, steps, size):
    # (cents + 0.5) / 100 moved by up to 2,000 tiny steps either way: the fast path must leave the halves alone.
    value = (cent_count + 0.5) / 100 + steps * size * 1e-9
    assert _same(excel_round(value, 2), _round_as_shown(value))
    value = (cent_count + 0.5) / 100
    for _ in range(abs(steps) % 50):
        value = math.nextafter(value, math.inf if steps > 0 else -math.inf)
    assert _same(excel_round(value, 2), _round_as_shown(value))
