"""Notice 2014-54 splits, in-plan conversion, Form 8606 pro-rata, five-year clocks and ordering."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from megabackdoor.conversion import (
    backdoor_pro_rata,
    backdoor_pro_rata_breakdown,
    five_year_date,
    in_plan_conversion,
    rollover_clocks,
    rollover_split,
    roth_ira_ordering,
    roth_ira_qualified_clock,
    to_date,
)
from megabackdoor.errors import InputError

# ---- Notice 2014-54 ------------------------------------------------------------------------------------


def test_full_distribution_basis_to_roth_earnings_to_traditional():
    split = rollover_split(60000, 48000)
    assert split.rows() == [
        ["destination", "after_tax", "pre_tax", "taxable"],
        ["roth_ira", 48000.0, 0.0, 0.0],
        ["traditional_ira", 0.0, 12000.0, 0.0],
        ["cash", 0.0, 0.0, 0.0],
        ["total", 48000.0, 12000.0, 0.0],
    ]
    assert split.taxable == 0.0


def test_partial_distribution_pretax_first_to_the_rollover():
    # 200,000 with 40,000 basis; 100,000 distributed -> pro rata 20,000 after-tax, 80,000 pre-tax.
    # 70,000 rolled to a traditional IRA takes 70,000 of pre-tax first; the 30,000 cash holds the other
    # 10,000 pre-tax (taxable, and exposed to the 10% tax under 59 1/2) and all 20,000 of basis.
    split = rollover_split(200000, 40000, 100000, traditional_ira=70000)
    assert (split.after_tax, split.pre_tax) == (20000.0, 80000.0)
    assert split.destinations == (("roth_ira", 0.0, 0.0, 0.0), ("traditional_ira", 0.0, 70000.0, 0.0),
                                  ("cash", 20000.0, 10000.0, 10000.0))
    assert split.taxable == 10000.0 and split.early_withdrawal_exposed == 10000.0


def test_rollovers_at_least_pretax_let_the_participant_keep_pretax_out_of_the_roth():
    # 50,000 with 45,000 basis: 10,000 to the traditional IRA takes all 5,000 pre-tax + 5,000 basis.
    split = rollover_split(50000, 45000, roth_ira=40000, traditional_ira=10000)
    assert split.destinations[0] == ("roth_ira", 40000.0, 0.0, 0.0)
    assert split.destinations[1] == ("traditional_ira", 5000.0, 5000.0, 0.0)
    assert split.taxable == 0.0


def test_everything_to_the_roth_ira_converts_the_earnings():
    split = rollover_split(50000, 45000, roth_ira=50000)
    assert split.destinations[0] == ("roth_ira", 45000.0, 5000.0, 5000.0) and split.taxable == 5000.0


def test_cash_takes_what_the_iras_do_not():
    split = rollover_split(50000, 45000, roth_ira=45000)
    # pre-tax goes first to the only rollover (the Roth IRA): 5,000 pre-tax + 40,000 basis; cash 5,000 basis.
    assert split.destinations[0] == ("roth_ira", 40000.0, 5000.0, 5000.0)
    assert split.destinations[2] == ("cash", 5000.0, 0.0, 0.0)


def test_loss_means_all_basis():
    split = rollover_split(9000, 10000)
    assert (split.after_tax, split.pre_tax, split.taxable) == (9000.0, 0.0, 0.0)


def test_in_plan_conversion_is_pro_rata_within_the_subaccount():
    # §402A(c)(4): 30,000 of a 40,000 subaccount with 32,000 basis: 30,000 x 8,000/40,000 = 6,000 taxable.
    result = in_plan_conversion(40000, 32000, 30000)
    assert (result.after_tax, result.pre_tax, result.taxable) == (24000.0, 6000.0, 6000.0)
    assert result.rows(header=False)[0] == ["designated_roth_account", 24000.0, 6000.0, 6000.0]


@given(balance=st.floats(0.01, 1e7), basis_share=st.floats(0, 1), part=st.floats(0, 1),
       to_roth=st.floats(0, 1), to_trad=st.floats(0, 1))
def test_split_conserves_money_and_taxes_only_pretax(balance, basis_share, part, to_roth, to_trad):
    balance = round(balance, 2)
    basis = round(balance * basis_share, 2)
    amount = round(balance * part, 2)
    roth = round(amount * to_roth, 2)
    trad = round((amount - roth) * to_trad, 2)
    split = rollover_split(balance, basis, amount, roth_ira=roth, traditional_ira=trad)
    assert split.after_tax + split.pre_tax == pytest.approx(amount, abs=0.011)
    rows = split.destinations
    assert sum(r[1] + r[2] for r in rows) == pytest.approx(amount, abs=0.03)
    assert 0 <= split.taxable <= split.pre_tax + 0.005
    # the traditional IRA is filled with pre-tax first
    assert rows[1][2] == pytest.approx(min(trad, split.pre_tax), abs=0.011)


@pytest.mark.parametrize("args, kwargs, argument", [
    ((50000, 45000, 60000), {}, "amount"),
    ((-1, 0), {}, "balance"),
    ((50000, -1), {}, "basis"),
    ((50000, 45000), {"roth_ira": 40000, "traditional_ira": 20000}, "traditional_ira"),
    ((50000, 45000), {"traditional_ira": 60000}, "traditional_ira"),  # the one given, not "roth_ira: got None"
    ((50000, 45000), {"roth_ira": 40000, "cash": 5000}, "cash"),
])
def test_split_bad_input(args, kwargs, argument):
    with pytest.raises(InputError) as caught:
        rollover_split(*args, **kwargs)
    assert caught.value.argument == argument


# ---- Form 8606 pro-rata --------------------------------------------------------------------------------


def test_clean_backdoor_is_tax_free():
    assert backdoor_pro_rata(7500, 7500, 0) == 0.0


def test_pre_tax_ira_spoils_the_backdoor():
    # line 9 = 93,000 + 7,000 = 100,000; line 10 = 0.07; line 11 = 490; line 18 = 6,510; line 14 = 6,510.
    lines = backdoor_pro_rata_breakdown(7000, 7000, 93000)
    assert (lines.line9, lines.line10, lines.line11, lines.line18, lines.line14) == (
        100000.0, 0.07, 490.0, 6510.0, 6510.0)
    assert lines.pre_tax_share == pytest.approx(0.93)


def test_line10_rounding_to_three_places():
    # 7,000 / 57,000 = 0.122807... -> 0.123 on the form: 7,000 x 0.123 = 861 nontaxable, 6,139 taxable.
    assert backdoor_pro_rata(7000, 7000, 50000, ratio_decimals=3) == 6139.0
    assert backdoor_pro_rata(7000, 7000, 50000) == 6140.35


def test_distributions_share_the_basis():
    # line 9 = 10,000 + 2,000 + 8,000 = 20,000; basis 5,000 -> 0.25; line 11 = 2,000; line 12 = 500.
    lines = backdoor_pro_rata_breakdown(8000, 5000, 10000, distributions=2000)
    assert (lines.line11, lines.line12, lines.line13, lines.line18, lines.line14) == (
        2000.0, 500.0, 2500.0, 6000.0, 2500.0)


def test_ratio_never_above_one():
    assert backdoor_pro_rata(6000, 7000, 0) == 0.0
    assert backdoor_pro_rata_breakdown(6000, 7000, 0).line10 == 1.0


@given(converted=st.floats(0, 1e6), basis=st.floats(0, 1e6), balance=st.floats(0, 1e7))
def test_taxable_between_zero_and_the_amount_and_falls_with_basis(converted, basis, balance):
    taxable = backdoor_pro_rata(converted, basis, balance)
    assert -0.005 <= taxable <= converted + 0.005
    assert backdoor_pro_rata(converted, basis + 1000, balance) <= taxable + 0.005


def test_pro_rata_bad_input():
    with pytest.raises(InputError) as caught:
        backdoor_pro_rata(7000, 7000, -1)
    assert caught.value.argument == "year_end_balance"
    with pytest.raises(InputError, match="at least 3"):
        backdoor_pro_rata(7000, 7000, 1, ratio_decimals=2)


# ---- five-year clocks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (date(2026, 1, 1), date(2031, 1, 1)),
    (date(2026, 12, 31), date(2031, 1, 1)),
    (datetime(2025, 6, 30, 15, 45), date(2030, 1, 1)),
    ("2024-02-29", date(2029, 1, 1)),
    (46096, date(2031, 1, 1)),        # Excel serial for 15 March 2026
    (46387.75, date(2031, 1, 1)),     # 31 December 2026, 6 pm
    (36161, date(2004, 1, 1)),        # 1 January 1999
])
def test_five_year_date(value, expected):
    assert five_year_date(value) == expected


def test_excel_serials_around_the_1900_leap_year_bug():
    assert to_date("d", 1) == date(1900, 1, 1)
    assert to_date("d", 59) == date(1900, 2, 28)
    assert to_date("d", 61) == date(1900, 3, 1)
    with pytest.raises(InputError, match="29 February 1900"):
        to_date("d", 60)


@pytest.mark.parametrize("value, kind", [("15/03/2026", "value"), ("1997-12-31", "num"), (True, "value"),
                                         (0, "num"), (-5, "num")])
def test_five_year_date_bad_input(value, kind):
    with pytest.raises(InputError) as caught:
        five_year_date(value)
    assert caught.value.argument == "conversion_date" and caught.value.kind == kind


def test_roth_ira_clock_and_rollover_clocks():
    assert roth_ira_qualified_clock(2020) == date(2025, 1, 1)
    first = rollover_clocks(2015, 2026)
    assert (first.designated_roth_clock, first.roth_ira_clock, first.carries_over) == (
        date(2020, 1, 1), date(2031, 1, 1), False)
    assert rollover_clocks(2015, 2026, first_roth_ira_year=2019).roth_ira_clock == date(2024, 1, 1)
    with pytest.raises(InputError):
        rollover_clocks(2020, 2019)


def test_roth_ira_ordering_contributions_then_conversions_fifo_taxable_first_then_earnings():
    rows = roth_ira_ordering(40000, 5000, [(2026, 4000, 6000), (2023, 10000, 0)], 2027, age=40)
    assert rows == [
        ("regular contributions", None, 5000.0, False, False),
        ("conversion taxable part", 2023, 10000.0, False, True),     # 2027 < 2028: inside its period
        ("conversion taxable part", 2026, 4000.0, False, True),
        ("conversion nontaxable part", 2026, 6000.0, False, False),
        ("earnings", None, 15000.0, True, True),
    ]
    later = roth_ira_ordering(12000, 0, [(2020, 12000, 0)], 2025, age=40)
    assert later == [("conversion taxable part", 2020, 12000.0, False, False)]   # period over on 1 Jan 2025
    assert roth_ira_ordering(1000, 0, [(2024, 1000, 0)], 2025, age=60)[0][4] is False  # 59 1/2 exception


def test_mandatory_withholding_on_taxable_cash():
    # §3405(c): 20% of the 10,000 taxable cash.
    assert rollover_split(200000, 40000, 100000, traditional_ira=70000).mandatory_withholding == 2000.0
    assert rollover_split(50000, 45000).mandatory_withholding == 0.0


@given(balance=st.floats(0, 1e7), basis=st.floats(0, 1e7), part=st.floats(0, 1))
def test_no_negative_amounts_from_rounding(balance, basis, part):
    split = rollover_split(balance, basis, balance * part)
    assert split.after_tax >= 0 and split.pre_tax >= 0 and split.taxable >= 0
    assert all(value >= 0 for row in split.destinations for value in row[1:])
    converted = in_plan_conversion(balance, basis, balance * part)
    assert 0 <= converted.taxable <= balance * part + 0.005


@given(day=st.dates(date(1998, 1, 1), date(2100, 12, 31)), fraction=st.floats(0, 0.999))
def test_every_input_form_gives_the_same_clock(day, fraction):
    serial = (day - date(1899, 12, 30)).days + fraction
    expected = date(day.year + 5, 1, 1)
    assert five_year_date(day) == five_year_date(serial) == five_year_date(day.isoformat()) == expected
