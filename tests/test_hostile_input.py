"""Hostile and careless input (issue 13): each break found by the adversarial run, as a test.

Money ceilings per kind of amount, the one strict date reader, the numerically stable year-end factor, and
messages that name what the user typed. The CLI and file-system cases are in tests/test_hostile_cli.py; the
fuzz tier in tests/test_fuzz.py.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, getcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from megabackdoor import validate
from megabackdoor.errors import InputError
from megabackdoor.excel import registry
from megabackdoor.paycheck import pay_dates
from megabackdoor.schedule import year_end_factor

PAY_CEILING = "an amount from $0 to $1,000,000,000 (the ceiling for pay and contributions)"
BALANCE_CEILING = "an amount from $0 to $1,000,000,000,000 (the ceiling for balances and other amounts)"


def cell(name: str, *args) -> object:
    """What the cell shows: the value, or the error text."""
    try:
        return registry.evaluate(name, *args)
    except InputError as error:
        return registry.cell_message(error)


# ------------------------------------------------------------------------------------------ money ceilings
def test_money_ceilings_are_decided_in_validate():
    assert validate.money("x", 1e9, validate.PAY) == 1e9
    assert validate.money("x", 1e12) == 1e12
    with pytest.raises(InputError, match=r"^x: got 1e\+26; expected an amount from \$0 to \$1,000,000,000 "):
        validate.money("x", 1e26, validate.PAY)
    with pytest.raises(InputError) as caught:
        validate.money("x", 1e308)
    assert str(caught.value) == f"x: got 1e+308; expected {BALANCE_CEILING}" and caught.value.kind == "num"
    assert validate.money("x", 1e-308) == 1e-308  # tiny is fine: it is a real (if silly) amount


@pytest.mark.parametrize(("call", "shown"), [
    (("CONVERSION_TAX", 1e308, 0, 0.5), f"#NUM! amount: got 1e+308; expected {BALANCE_CEILING}"),
    (("BACKDOOR_PRO_RATA", 1e308, 0, 1e-308), f"#NUM! amount_converted: got 1e+308; expected {BALANCE_CEILING}"),
    (("ROLLOVER_SPLIT", 1e308, 0), f"#NUM! balance: got 1e+308; expected {BALANCE_CEILING}"),
    (("ROTH_VS_TAXABLE", 38500, 20, 0.07, 1e308),
     f"#NUM! conversion_tax: got 1e+308; expected {BALANCE_CEILING}"),
    (("DEFERRAL_ELECTION", "2026-01-02", "biweekly", 1e26, 35),
     f"#NUM! pay: got 1e+26; expected {PAY_CEILING}"),
    (("AFTER_TAX_ELECTION", "2026-01-02", "biweekly", 5000, 35, None, None, None, None, None, None, None, None,
      None, 1e308), f"#NUM! ytd_pay: got 1e+308; expected {PAY_CEILING}"),
    (("DEFERRAL_ELECTION", "2026-01-02", "biweekly", 5000, 35, None, None, None, None, None, None, None, None,
      None, None, None, None, None, 1e26), f"#NUM! other_deferral: got 1e+26; expected {PAY_CEILING}"),
])
def test_worksheet_functions_refuse_amounts_above_the_ceiling(call, shown):
    assert cell(*call) == shown


def test_roth_vs_taxable_at_the_ceilings_is_finite():
    value = registry.evaluate("ROTH_VS_TAXABLE", 1e12, 40, 1.0, 1e12)
    assert math.isfinite(value)


# ------------------------------------------------------------------------------------------------ dates
@pytest.mark.parametrize("text", ["2026-01-02xyz", "2026-01-159", "2026-01-15junk", "2026-W03-4", "20260115",
                                  "2026-1-5", "2026-01-15T", "2026-01-15 junk", "2026-02-30", "２０２６-01-15",
                                  "", "   "])
def test_one_strict_date_reader_refuses_what_it_does_not_understand(text):
    with pytest.raises(InputError) as caught:
        validate.to_date("d", text)
    assert caught.value.argument == "d" and caught.value.value == text
    with pytest.raises(InputError, match="^first_pay_date: got "):
        pay_dates(text, "biweekly")
    if text.strip():  # a blank cell is "omitted", handled before the date reader
        assert cell("FIVE_YEAR_DATE", text) == (
            f"#VALUE! conversion_date: got {text!r}; expected a date (a date cell, a serial number or text like "
            "'2026-01-15')")


@pytest.mark.parametrize(("value", "day"), [
    ("2026-03-15", dt.date(2026, 3, 15)), (" 2026-03-15 ", dt.date(2026, 3, 15)),
    ("2026-03-15T08:30:00", dt.date(2026, 3, 15)), ("2026-03-15 08:30", dt.date(2026, 3, 15)),
    (46096, dt.date(2026, 3, 15)), (46096.75, dt.date(2026, 3, 15)), (59, dt.date(1900, 2, 28)),
    (dt.datetime(2026, 3, 15, 23, 59), dt.date(2026, 3, 15)), (dt.date(2026, 3, 15), dt.date(2026, 3, 15)),
])
def test_one_strict_date_reader_reads_dates(value, day):
    assert validate.to_date("d", value) == day


@pytest.mark.parametrize("value", [True, False, None, 0, -1, 60, 2958466, math.nan, math.inf, [2026]])
def test_date_reader_refuses_non_dates(value):
    with pytest.raises(InputError, match="^d: got .*; expected a (real )?date"):
        validate.to_date("d", value)


def test_five_year_date_of_a_flag_says_date():
    assert cell("FIVE_YEAR_DATE", True) == ("#VALUE! conversion_date: got True; expected a date (a date cell, a "
                                            "serial number or text like '2026-01-15')")


def test_a_pay_date_out_of_range_shows_the_cell_as_given():
    # Serial 6 is 6 January 1900: the message names the argument typed and the 6 in the cell, not "1900".
    assert cell("DEFERRAL_ELECTION", 6, "biweekly", 5000, 35) == (
        "#NUM! first_pay: got 6; expected a date from 2014 to 2100")
    assert cell("DEFERRAL_ELECTION", [[6], ["2026-01-02"]], "biweekly", 5000, 35)[0] == [
        "#NUM! first_pay: got 6; expected a date from 2014 to 2100"]


# ---------------------------------------------------------------------------------------- year-end factor
def _reference_factor(rate: float, paydays: int) -> float:
    """(1/n) sum_{i<n} (1+r)^(i/n) with 60 decimal digits."""
    getcontext().prec = 60
    log = (Decimal(1) + Decimal(rate)).ln()
    total = sum(((log * i) / paydays).exp() for i in range(paydays))
    return float(total / paydays)


RATES = [-0.99, -0.5, -0.01, -1e-8, -1e-15, -1e-300, -5e-324, 5e-324, 1e-310, 1e-300, 1e-16, 1e-15, 1e-14,
         1e-12, 1e-9, 1e-8, 1e-7, 1e-4, 0.06, 0.5, 1.0]


@pytest.mark.parametrize("paydays", [1, 12, 26, 52, 365])
@pytest.mark.parametrize("rate", RATES)
def test_year_end_factor_is_accurate_from_minus_99_percent_to_100_percent(rate, paydays):
    assert year_end_factor(rate, paydays) == pytest.approx(_reference_factor(rate, paydays), rel=4e-15)


@given(st.floats(-0.99, 1.0), st.sampled_from([12, 24, 26, 52]))
def test_year_end_factor_grows_with_the_return(rate, paydays):
    factor = year_end_factor(rate, paydays)
    assert math.isfinite(factor)
    assert (factor >= 1) if rate >= 0 else (factor <= 1)  # equal only where r/2 is below a float's resolution
    assert factor == 1 or abs(rate) > 1e-17
    assert factor <= 1 + max(rate, 0)  # no payday's money grows more than a full year


def test_one_year_plan_at_a_tiny_return_keeps_what_was_converted():
    header, row = registry.evaluate("MEGA_SCHEDULE", 2026, 1, 1991, 150000, None, None, None, None, None, 1e-14)
    data = dict(zip(header, row, strict=True))
    assert data["after_tax_contribution"] == 38500 and data["roth_balance"] == 38500
    header, row = registry.evaluate("MEGA_SCHEDULE", 2026, 1, 1991, 150000, None, None, None, None, None, -0.01)
    assert dict(zip(header, row, strict=True))["roth_balance"] < 38500  # a loss shows as a loss



def test_census_refuses_amounts_of_1e26():
    import io

    from megabackdoor.census import read_census

    text = ("Employee ID,Compensation,Prior-Year Compensation,5% Owner,Eligible,Matching Contributions,"
            "After-Tax Contributions\nA,100000,95000,N,Y,3000,0\nB,1e26,95000,N,Y,3000,0\n")
    with pytest.raises(InputError) as caught:
        read_census(io.StringIO(text))
    assert str(caught.value).startswith("row 3, column 'Compensation' (compensation): got 1e+26; expected ")
