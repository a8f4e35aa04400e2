"""Hostile and careless input: each break found by trying to break the tools, as a test.

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
    header, row = registry.evaluate("MEGA_SCHEDULE", 2026, 1, 1991, 150000, None, None, 1, 0.06, None, 1e-14)
    data = dict(zip(header, row, strict=True))
    assert data["after_tax_contribution"] == 38500 and data["roth_balance"] == 38500
    header, row = registry.evaluate("MEGA_SCHEDULE", 2026, 1, 1991, 150000, None, None, 1, 0.06, None, -0.01)
    assert dict(zip(header, row, strict=True))["roth_balance"] < 38500  # a loss shows as a loss



def test_census_refuses_amounts_of_1e26():
    import io

    from megabackdoor.census import read_census

    text = ("Employee ID,Compensation,Prior-Year Compensation,5% Owner,Eligible,Matching Contributions,"
            "After-Tax Contributions\nA,100000,95000,N,Y,3000,0\nB,1e26,95000,N,Y,3000,0\n")
    with pytest.raises(InputError) as caught:
        read_census(io.StringIO(text))
    assert str(caught.value).startswith("row 3, column 'Compensation' (compensation): got 1e+26; expected ")


# ------------------------------------------------------------------------------------------ scenario files
STOCK = (registry.__file__.rsplit("/src/", 1)[0] + "/workbook_templates/default-plan.toml")


def _stock_text() -> str:
    with open(STOCK, encoding="utf-8") as handle:
        return handle.read()


def _load_error(tmp_path, data: bytes) -> str:
    from megabackdoor.scenario import load

    path = tmp_path / "client.toml"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        load(str(path))
    return str(caught.value).replace(str(path), "client.toml")


def test_a_utf8_bom_is_read(tmp_path):
    from megabackdoor.scenario import load

    path = tmp_path / "client.toml"
    path.write_bytes(b"\xef\xbb\xbf" + _stock_text().encode())  # what Windows Notepad writes
    assert load(str(path)).name == "Default plan: the article's 2026 case"


@pytest.mark.parametrize(("data", "hint"), [
    (_stock_text().replace("Default plan", "Caf\u00e9 plan").encode("latin-1"),
     "byte 0xe9 on line 2 is not UTF-8 (a Latin-1 or Windows-1252 file?): save it as UTF-8"),
    (_stock_text().encode("utf-16"), "this file is UTF-16 (Notepad's 'Unicode'): save it as UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this file holds binary data, not text"),
])
def test_scenario_files_that_are_not_utf8_are_named(tmp_path, data, hint):
    assert _load_error(tmp_path, data) == (f"scenario: got 'client.toml'; expected a UTF-8 text file (TOML) "
                                           f"({hint})")


@pytest.mark.parametrize("name", ["Plan\x1b[31m red", "two\nlines", "tab\there", "nul\x00", "c1\x85"])
def test_control_characters_in_the_name_are_refused(tmp_path, name):
    text = _stock_text().replace('name = "Default plan: the article\'s 2026 case"',
                                 'name = "' + "".join(c if 32 <= ord(c) < 127 else f"\\u{ord(c):04x}" for c in name)
                                 + '"')
    message = _load_error(tmp_path, text.encode())
    assert message.startswith(f"client.toml: name: got {name!r}; expected text of at most 200 characters without "
                              "control characters (tabs, line breaks, escape codes)")


def test_toml_nested_hundreds_deep_is_one_error(tmp_path):
    message = _load_error(tmp_path, ("x = " + "[" * 600 + "]" * 600 + "\n").encode())
    assert message == ("client.toml: scenario file: got 'TOML nested hundreds of levels deep'; expected a "
                       "scenario's TOML (arrays and tables nested a few levels at most)")


def test_a_value_in_an_inline_table_names_its_line(tmp_path):
    pay = ("[pay]\nsalary = 150000.0  # Salary (first year)\nsalary_growth = 0.03  # Salary growth a year\n"
           "bonus = 0.0  # Bonus (first year)\nprior_year_fica_wages = 150000.0  # FICA wages, year before the first\n")
    text = _stock_text().replace(pay, "").replace(
        'name = "Default', 'pay = {salary = -5, salary_growth = 0.03, bonus = 0.0, prior_year_fica_wages = 1.0}\n'
        'name = "Default')
    assert _load_error(tmp_path, text.encode()) == (
        "client.toml: pay.salary: got -5; expected an amount of $0 or more (line 2)")


def test_line_of_dotted_keys_inline_tables_and_arrays():
    from megabackdoor.scenario import _line_of

    text = ('a = """\n[pay]\nsalary = 1\n"""\n'      # 1-4: a multi-line string that looks like TOML
            "m = [\n  [1, 2],\n  [3],\n]\n"            # 5-8: a nested array with lines starting "["
            "pay.salary = -5\n"                         # 9: a dotted key
            "employer = {nonelective = 2, match = []}\n"  # 10: an inline table
            "[deferral]\n"                              # 11
            "'policy' = \"max\"\n")                     # 12: a quoted key
    assert _line_of(text, "pay.salary") == 9
    assert _line_of(text, "employer.nonelective") == 10
    assert _line_of(text, "employer.match[0].rate") == 10
    assert _line_of(text, "deferral.policy") == 12
    assert _line_of(text, "pay.bonus") is None


# ------------------------------------------------------------------- breaks the fuzz tier found (test_fuzz.py)
def test_census_with_nan_or_inf_written_out_names_the_row():
    import io

    from megabackdoor.census import read_census

    for word in ("nan", "inf"):
        text = ("Employee ID,Compensation,Prior-Year Compensation,5% Owner,Eligible,Matching Contributions,"
                f"After-Tax Contributions\nA,{word},95000,N,Y,3000,0\n")
        with pytest.raises(InputError, match=r"^row 2, column 'Compensation' \(compensation\)"):
            read_census(io.StringIO(text))


def test_a_year_whose_additions_exceed_its_pay_names_salary():
    assert cell("MEGA_SCHEDULE", 2026, 1, 1991, 0.5, None, None, 1, 0.06).startswith(
        "#NUM! salary: got 0.5; expected pay that covers the year's deferral and employer money under §415(c)")


def test_year_to_date_additions_above_the_years_pay_name_the_argument():
    # $20,000 paychecks on 4 and 18 December: §415(c) is 100% of the year's $40,000 pay, below the match so far.
    assert cell("PAYCHECK_SCHEDULE", "2026-12-04", "biweekly", 20000, 35, None, None, None, None, None, None, None,
                None, None, None, None, 46096, None, None, None, None, 0.1) == (
        "#NUM! ytd_match: got 46096; expected year-to-date additions (deferrals + match + after-tax) of at most "
        "$40,000.00 (§415(c) in 2026: 100% of the year's pay) (they add up to $46,096.00)")


def _sheet_factor(rate: float, paydays: int) -> float:
    """The workbook's ConvGrowth formula (schedule.year_end_factor_formula) evaluated by ``formulas``."""
    import formulas

    from megabackdoor.schedule import year_end_factor_formula

    function = formulas.Parser().ast("=" + year_end_factor_formula("r", "n"))[1].compile()
    values = {"r": rate, "n": paydays}
    value = function(*(values[name.lower()] for name in function.inputs))
    return float(value.item() if hasattr(value, "item") else value)


@pytest.mark.parametrize("paydays", [12, 26, 52])
@pytest.mark.parametrize("rate", [-0.99, -0.5, -1e-4, -1.1e-6, -1e-6, -1e-12, -1e-15, 0.0, 1e-300, 1e-15, 1e-14,
                                  1e-12, 9.9e-7, 1e-6, 1.1e-6, 1e-5, 0.06, 0.5, 1.0])
def test_the_workbook_year_end_factor_agrees_with_the_python(rate, paydays):
    # To the cent on a year's contributions up to the §415(c) dollar limit, for any return (the unstable closed
    # form it replaced showed $33,343.96 for $38,500 at r = 1e-14 and divided by zero at 1e-15).
    assert abs(_sheet_factor(rate, paydays) - year_end_factor(rate, paydays)) * 80000 < 0.005


def test_the_plan_workbook_takes_its_growth_formula_from_the_rule():
    from openpyxl import load_workbook

    from megabackdoor.schedule import year_end_factor_formula

    book = load_workbook(STOCK.replace(".toml", ".xlsx"))
    for name, rate in (("ConvGrowth", "ExpectedReturn"), ("ConvGrowthTaxable", "(ExpectedReturn*(1-TaxableTaxDrag))")):
        sheet, cell = next(iter(book.defined_names[name].destinations))
        assert book[sheet][cell.replace("$", "")].value == "=" + year_end_factor_formula(rate, "ConvN")
