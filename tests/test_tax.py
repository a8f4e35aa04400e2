"""Federal rate schedules and the tax on a conversion (IRC §1, §1411).

Expected values are hand-computed from the published rate tables (Rev. Proc. 2024-40, Rev. Proc. 2025-32).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from megabackdoor.errors import InputError
from megabackdoor.limits import chained_cpi_average
from megabackdoor.tax import FILING_STATUSES, brackets, conversion_tax, federal_income_tax, niit_delta

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "federal-brackets.json"


def test_issue_case_single_2026_150k_converting_1000_of_earnings():
    # 150,000-151,000 lies inside 24% (105,700-201,775): 1,000 x 0.24.
    result = conversion_tax(26000, 25000, "single", 150000, 2026)
    assert result.taxable_amount == 1000
    assert result.federal_tax == 240.0 and result.total_tax == 240.0
    assert result.brackets == ({"rate": 0.24, "lower": 105700.0, "upper": 201775.0, "taxed": 1000.0},)
    assert result.status == "published" and result.loss_not_deductible is False


def test_mfj_conversion_straddling_22_and_24_percent():
    # 2026 MFJ, 200,000 before + 20,000 converted: 11,400 at 22% (to 211,400) + 8,600 at 24%.
    result = conversion_tax(20000, 0, "mfj", 200000, 2026)
    assert result.federal_tax == 11400 * 0.22 + 8600 * 0.24 == 4572.0
    assert [b["rate"] for b in result.brackets] == [0.22, 0.24]
    assert [b["taxed"] for b in result.brackets] == [11400.0, 8600.0]
    assert result.marginal_rate == 0.24


def test_2025_hoh_conversion_crossing_into_32_percent():
    # 2025 HoH: 24% to 197,300, then 32%. 190,000 + 10,000: 7,300 x .24 + 2,700 x .32 = 1,752 + 864.
    assert conversion_tax(10000, 0, "hoh", 190000, 2025).federal_tax == 2616.0


def test_total_tax_with_state_rate():
    # 5,000 taxable in 2026 single at 60,000: all in 22% -> 1,100; state 5% -> 250.
    result = conversion_tax(55000, 50000, "single", 60000, 2026, state_rate=0.05)
    assert (result.federal_tax, result.state_tax, result.total_tax) == (1100.0, 250.0, 1350.0)


def test_federal_income_tax_hand_computed():
    # 2026 single 150,000: 1,240 + 38,000 x .12 + 55,300 x .22 + 44,300 x .24
    assert federal_income_tax(150000, 2026, "single") == 1240 + 4560 + 12166 + 10632
    # 2025 MFS above the 35% top (375,800): the MFS 37% starts lower than single.
    mfs = 1192.5 + 36550 * .12 + 54875 * .22 + 93950 * .24 + 53225 * .32 + 125275 * .35 + 24200 * .37
    assert federal_income_tax(400000, 2025, "mfs") == pytest.approx(mfs, abs=0.005)
    assert federal_income_tax(0, 2026, "hoh") == 0.0


def test_qss_uses_the_mfj_schedule():
    assert federal_income_tax(300000, 2026, "qss") == federal_income_tax(300000, 2026, "mfj")


def test_data_file_matches_the_reference_tables():
    data = json.loads(REFERENCE.read_text())
    for year in (2025, 2026):
        for status in FILING_STATUSES:
            ours = brackets(year, status)
            theirs = data[str(year)]["brackets"][status]
            assert [r[2] for r in ours] == [b["rate"] for b in theirs]
            assert [r[0] for r in ours] == [b["lower"] for b in theirs]


def test_projected_2027_from_each_2026_threshold():
    # factor = C-CPI-U(2026)/C-CPI-U(2025) = 1.025 at 2.5%; increase rounded down to $25 (single) / $50 (MFJ).
    single = [r[0] for r in brackets(2027, "single", 0.025)][1:]
    assert single == [12700, 51650, 108325, 206800, 262625, 656600]
    mfj = [r[0] for r in brackets(2027, "mfj", 0.025)][1:]
    assert mfj == [25400, 103300, 216650, 413600, 525250, 787900]
    result = conversion_tax(1000, 0, "single", 150000, 2027)
    assert result.status == "projected" and result.federal_tax == 240.0


def test_projection_uses_the_chained_cpi_factor():
    factor = chained_cpi_average(2030, 0.03) / chained_cpi_average(2025)
    top_10 = brackets(2031, "mfs", 0.03)[1][0]
    expected = 12400 + (12400 * factor - 12400) // 25 * 25
    assert top_10 == expected


def test_thresholds_never_fall_with_deflation():
    assert [r[0] for r in brackets(2030, "single", -0.02)] == [r[0] for r in brackets(2026, "single")]


def test_loss_is_not_deductible_and_says_so():
    result = conversion_tax(9000, 10000, "single", 100000, 2026)
    assert result.taxable_amount == 0 and result.federal_tax == 0 and result.loss_not_deductible
    assert "not a deductible loss" in result.note


def test_flat_mode():
    result = conversion_tax(12000, 10000, 0.32)
    assert (result.federal_tax, result.status, result.marginal_rate) == (640.0, "flat", 0.32)


def test_niit_delta_from_the_reference_formula():
    # MAGI 230,000 single, NII 15,000, convert 20,000: before min(15,000, 30,000)=15,000 -> no change.
    assert niit_delta(20000, 230000, 15000, "single") == 0.0
    # MAGI 190,000: before 0, after min(15,000, 10,000) = 10,000 -> 380.
    assert niit_delta(20000, 190000, 15000, "single") == 380.0
    result = conversion_tax(20000, 0, "single", 175000, 2026, magi=190000, net_investment_income=15000)
    assert result.niit_delta == 380.0 and result.total_tax == result.federal_tax + 380.0


@given(income=st.floats(0, 2e6), extra=st.floats(0, 5e5), status=st.sampled_from(FILING_STATUSES),
       year=st.sampled_from([2025, 2026, 2027, 2040]))
def test_conversion_tax_is_the_difference_of_two_tax_calls(income, extra, status, year):
    result = conversion_tax(extra, 0, status, income, year)
    table = brackets(year, status)
    assert result.federal_tax == pytest.approx(
        federal_income_tax(income + extra, year, status) - federal_income_tax(income, year, status), abs=0.011)
    # between the lowest and the highest rate touched
    assert min(b["rate"] for b in result.brackets) * extra - 0.01 <= result.federal_tax
    assert result.federal_tax <= result.marginal_rate * extra + 0.01
    assert sum(b["taxed"] for b in result.brackets) == pytest.approx(extra, abs=1e-6)
    assert table[0][0] == 0


@given(income=st.floats(0, 1e6), step=st.floats(0, 1e5), status=st.sampled_from(FILING_STATUSES))
def test_tax_is_monotone_in_income(income, step, status):
    assert federal_income_tax(income + step, 2026, status) >= federal_income_tax(income, 2026, status)


@pytest.mark.parametrize("args, argument, words", [
    ((-1, 0, 0.24), "amount", "$0 or more"),
    ((1000, -5, 0.24), "basis", "$0 or more"),
    ((1000, 0, 1.0), "rate_or_status", "below 1"),
    ((1000, 0, 24), "rate_or_status", "looks like a percent"),
    ((1000, 0, "married"), "rate_or_status", "'single', 'mfj', 'mfs', 'hoh', 'qss'"),
    ((1000, 0, "single"), "taxable_income", "taxable income before the conversion"),
    ((1000, 0, "single", 100000), "year", "2025 or later"),
    ((1000, 0, "single", 100000, 2024), "year", "2025 or later"),
    ((1000, 0, "single", 100000, 2101), "year", "2014 to 2100"),
    ((1000, 0, "single", -1, 2026), "taxable_income", "$0 or more"),
    ((1000, 0, 0.2, None, None, 1.5), "state_rate", "decimal fraction"),
    ((1000, 0, None), "rate_or_status", "marginal rate"),
])
def test_bad_input_names_the_argument_value_and_what_is_accepted(args, argument, words):
    with pytest.raises(InputError) as caught:
        conversion_tax(*args)
    assert caught.value.argument == argument and words in str(caught.value)


def test_unknown_filing_status_lists_the_accepted_ones():
    with pytest.raises(InputError, match="'single', 'mfj', 'mfs', 'hoh', 'qss'") as caught:
        federal_income_tax(1000, 2026, "joint")
    assert caught.value.argument == "filing_status"


def test_year_before_the_tables_is_no_data():
    with pytest.raises(InputError) as caught:
        federal_income_tax(1000, 2020, "single")
    assert caught.value.kind == "na"


def test_niit_needs_magi():
    with pytest.raises(InputError, match="magi"):
        conversion_tax(1000, 0, "single", 100000, 2026, net_investment_income=5000)


def test_brackets_named_at_a_boundary():
    # Income exactly at the 22%/24% boundary (105,700, 2026 single): the next dollar is taxed at 24%.
    assert conversion_tax(0, 0, "single", 105700, 2026).brackets == (
        {"rate": 0.24, "lower": 105700.0, "upper": 201775.0, "taxed": 0.0},)
    below = conversion_tax(100, 0, "single", 105600, 2026)
    assert [b["rate"] for b in below.brackets] == [0.22] and below.federal_tax == 22.0
    top = conversion_tax(1000000, 0, "single", 0, 2026)
    assert [b["rate"] for b in top.brackets] == [0.1, 0.12, 0.22, 0.24, 0.32, 0.35, 0.37]
    assert top.brackets[-1] == {"rate": 0.37, "lower": 640600.0, "upper": None, "taxed": 359400.0}


def test_money_results_are_floats():
    result = conversion_tax(26000, 25000, "single", 150000, 2026)
    assert all(type(getattr(result, f)) is float for f in ("taxable_amount", "federal_tax", "state_tax",
                                                             "niit_delta", "total_tax"))
    assert type(federal_income_tax(100000, 2026, "mfj")) is float


@given(amount=st.floats(0, 1e7), basis=st.floats(0, 1e7), rate=st.floats(0, 0.99), state=st.floats(0, 0.2))
def test_flat_mode_is_taxable_times_rate(amount, basis, rate, state):
    result = conversion_tax(amount, basis, rate, state_rate=state)
    taxable = max(0.0, amount - basis)
    assert result.taxable_amount == taxable and result.loss_not_deductible == (amount < basis)
    assert result.federal_tax == pytest.approx(taxable * rate, abs=0.005)
    assert result.total_tax == pytest.approx(result.federal_tax + result.state_tax, abs=0.006)


def test_rate_from_other_number_types_and_bools_refused():
    from decimal import Decimal
    from fractions import Fraction

    assert conversion_tax(1100, 100, Decimal("0.24")).federal_tax == 240.0
    assert conversion_tax(1100, 100, Fraction(1, 4)).federal_tax == 250.0
    with pytest.raises(InputError) as caught:
        conversion_tax(1100, 100, True)
    assert caught.value.argument == "rate_or_status"
