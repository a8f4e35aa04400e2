"""The worksheet-function registry: spec rules, discovery, every example, cell reading and broadcasting."""

from __future__ import annotations

import datetime as dt

import pytest
from _seeds import scaled
from hypothesis import given, settings
from hypothesis import strategies as st

from megabackdoor.errors import InputError
from megabackdoor.excel import registry
from megabackdoor.excel.registry import Arg, Example, Function, SpecError, evaluate

ISSUE_4_CORE = ["MEGA_HEADROOM", "IRS_LIMIT", "CATCHUP_LIMIT", "TOTAL_401K_LIMIT", "BACKDOOR_IRA_LIMIT",
                "ROTH_CATCHUP_REQUIRED", "MEGA_PATH"]
SPECS = list(registry.functions().values())


def spec_ids(specs):
    return [s.name for s in specs]


def test_issue_4_functions_are_registered_with_their_fixed_signatures():
    signatures = {name: registry.get(name).signature() for name in ISSUE_4_CORE}
    assert signatures == {
        "MEGA_HEADROOM": "MEGA_HEADROOM(year, age, deferral, employer, [compensation], [plan_cap], [forfeitures])",
        "IRS_LIMIT": "IRS_LIMIT(name, year, [inflation])",
        "CATCHUP_LIMIT": "CATCHUP_LIMIT(year, age)",
        "TOTAL_401K_LIMIT": "TOTAL_401K_LIMIT(year, age, [compensation])",
        "BACKDOOR_IRA_LIMIT": "BACKDOOR_IRA_LIMIT(year, age)",
        "ROTH_CATCHUP_REQUIRED": "ROTH_CATCHUP_REQUIRED(year, prior_year_fica_wages)",
        "MEGA_PATH": "MEGA_PATH(after_tax_allowed, in_plan_conversion, in_service_withdrawal)",
    }


def test_conversion_functions_have_their_fixed_signatures():
    fixed = {
        "CONVERSION_TAX": "CONVERSION_TAX(amount, basis, rate_or_status, [taxable_income], [year], [state_rate])",
        "ROLLOVER_SPLIT": "ROLLOVER_SPLIT(balance, basis, [amount])",
        "BACKDOOR_PRO_RATA": "BACKDOOR_PRO_RATA(amount_converted, basis, year_end_balance)",
        "FIVE_YEAR_DATE": "FIVE_YEAR_DATE(conversion_date)",
        "CONVERSION_EARNINGS": "CONVERSION_EARNINGS(annual_after_tax, annual_return, [cadence], [pay_frequency], "
                               "[settlement_lag_days], [conversions_per_year], [years_until_separation])",
        "ROTH_VS_TAXABLE": "ROTH_VS_TAXABLE(amount, years, annual_return, [conversion_tax], [dividend_yield], "
                           "[qualified_dividend_rate], [ltcg_rate], [niit], [state_rate])",
    }
    assert {name: registry.get(name).signature() for name in fixed} == fixed
    assert registry.get("ROLLOVER_SPLIT").table


def test_reference_rows_for_the_workbook_sheet():
    rows = {row[0]: row for row in registry.reference_rows()}
    assert set(rows) == set(registry.functions())
    assert rows["CONVERSION_TAX"][3:5] == ('=CONVERSION_TAX(26000, 25000, "single", 150000, 2026)', 240.0)
    assert rows["ROLLOVER_SPLIT"][4] == "spills a 5 x 4 table"
    assert rows["FIVE_YEAR_DATE"][3:5] == ("=FIVE_YEAR_DATE(DATE(2026,3,15))", dt.date(2031, 1, 1))


def test_discovery_finds_every_functions_module():
    modules = registry.topic_modules()
    assert "megabackdoor.excel.functions_core" in modules
    assert all(m.rpartition(".")[2].startswith("functions_") for m in modules)
    topics = {spec.topic for spec in SPECS}
    assert topics == {m.rpartition(".functions_")[2] for m in modules}


@pytest.mark.parametrize("spec", SPECS, ids=spec_ids(SPECS))
def test_spec_texts_fit_excel(spec):
    assert spec.name == spec.name.upper() and not registry.is_cell_address(spec.name)
    assert 0 < len(spec.description) <= 255
    assert all(0 < len(arg.help) <= 255 for arg in spec.args)
    assert len(spec.args) + sum(len(a.name) for a in spec.args) <= 254
    assert spec.citation and spec.returns


@pytest.mark.parametrize("spec", SPECS, ids=spec_ids(SPECS))
def test_every_example_holds(spec):
    for example in spec.examples:
        if example.error:
            with pytest.raises(InputError) as caught:
                spec(*example.args)
            assert caught.value.excel_error == example.error, (example, str(caught.value))
        else:
            assert example.holds(spec(*example.args)), (example, spec(*example.args))


@pytest.mark.parametrize("name", ["MBR415", "MBR5", "A1", "XFD1048576", "R1C1", "RC", "r2c3"])
def test_names_that_parse_as_cell_addresses_are_refused(name):
    assert registry.is_cell_address(name)


@pytest.mark.parametrize("name", ["MEGA_HEADROOM", "XFE1", "A1048577", "ROTH5", "R1C1A"])
def test_names_that_are_not_addresses(name):
    assert not registry.is_cell_address(name)


def _spec(**changes):
    fields = dict(engine=lambda x: x, description="Echo.", args=[Arg("x", "A number.")], returns="x",
                  examples=[Example((1,), 1)], citation="none")
    fields.update(changes)
    return Function(changes.pop("name", "ECHO_X"), **{k: v for k, v in fields.items() if k != "name"})


@pytest.mark.parametrize(("changes", "why"), [
    ({"name": "ABC123"}, "cell address"),
    ({"name": "mega_lower"}, "UPPERCASE"),
    ({"description": "x" * 256}, "description"),
    ({"args": [Arg("x", "h" * 256)]}, "help"),
    ({"args": [Arg("x", "a", default=1), Arg("y", "b")]}, "follows an optional"),
    ({"args": [Arg("caller", "a")], "examples": [Example((1,), 1)]}, "reserved"),
    ({"args": [Arg("date", "a")]}, "VBA keyword"),
    ({"examples": []}, "Example"),
    ({"args": [Arg("a" * 200, "a"), Arg("b" * 60, "b")], "examples": [Example((1, 2), 1)]}, "254"),
])
def test_bad_specs_fail_at_import(changes, why):
    with pytest.raises(SpecError, match=why):
        _spec(**changes)


# Cell reading: blank, text, booleans, dates, error cells


def test_blank_required_argument_names_the_argument():
    with pytest.raises(InputError, match=r"^deferral: got a blank cell; expected a number \(USD per year\)$"):
        evaluate("MEGA_HEADROOM", 2026, 35, None, 9000)
    with pytest.raises(InputError, match="employer: got a blank cell"):
        evaluate("MEGA_HEADROOM", 2026, 35, 24500, "")


def test_blank_optional_argument_means_omitted():
    assert evaluate("MEGA_HEADROOM", 2026, 35, 24500, 9000, "", None, "") == 38500.0
    assert evaluate("IRS_LIMIT", "402g", 2027, None) == 25000.0


def test_boolean_in_a_number_argument_is_value_error():
    with pytest.raises(InputError) as caught:
        evaluate("MEGA_HEADROOM", 2026, True, 24500, 9000)
    assert caught.value.kind == "value" and str(caught.value) == "age: got True; expected a number"


def test_date_in_a_number_argument_gets_a_hint():
    with pytest.raises(InputError) as caught:
        evaluate("CATCHUP_LIMIT", dt.datetime(2026, 1, 1), 55)
    assert caught.value.kind == "value"
    assert str(caught.value) == "year: got '2026-01-01'; expected a number (year) (a date was given: use " \
                                "YEAR(cell) for a year)"


def test_date_serial_in_a_year_argument_is_out_of_range():
    with pytest.raises(InputError, match="year: got 46037; expected a year from 2014 to 2100"):
        evaluate("CATCHUP_LIMIT", 46037, 55)


def test_error_cells_pass_through_as_the_same_error():
    assert evaluate("MEGA_HEADROOM", 2026, 35, "#DIV/0!", 9000) == "#DIV/0!"
    assert evaluate("CATCHUP_LIMIT", "#N/A", 55) == "#N/A"


@pytest.mark.parametrize(("serial", "date"), [(46037, dt.date(2026, 1, 15)), (1, dt.date(1900, 1, 1)),
                                              (59, dt.date(1900, 2, 28)), (61, dt.date(1900, 3, 1)),
                                              (45658.75, dt.date(2025, 1, 1))])
def test_excel_date_serials(serial, date):
    arg = Arg("when", "A date.", kind="date")
    assert registry._read(arg, serial) == date


def test_date_argument_accepts_dates_datetimes_and_iso_text():
    arg = Arg("when", "A date.", kind="date")
    assert registry._read(arg, dt.datetime(2026, 3, 4, 0, 0)) == dt.date(2026, 3, 4)
    assert registry._read(arg, "2026-03-04") == dt.date(2026, 3, 4)
    with pytest.raises(InputError, match="when: got 'March'; expected a date"):
        registry._read(arg, "March")
    with pytest.raises(InputError) as caught:
        registry._read(arg, -5)
    assert caught.value.kind == "num"


# Arrays


def test_a_column_of_years_fills_a_column():
    years = [[2024], [2025], [2026], [2027]]
    assert evaluate("CATCHUP_LIMIT", years, 61) == [[7500], [11250], [11250], [11250]]


def test_row_and_column_broadcast_to_a_table():
    assert evaluate("CATCHUP_LIMIT", [[2026]], [[49, 50, 61]]) == [[0, 8000, 11250]]
    assert evaluate("CATCHUP_LIMIT", [[2024], [2026]], [[49, 61]]) == [[0, 7500], [0, 11250]]


def test_one_bad_row_keeps_the_others_and_shows_the_message():
    result = evaluate("MEGA_HEADROOM", [[2026], [2026], [2026]], 35, [[24500], [-1], [0]], 9000)
    assert result == [[38500.0], ["#NUM! deferral: got -1; expected an amount of $0 or more"], [63000.0]]


def test_blank_rows_at_the_end_of_a_range_stay_blank():
    result = evaluate("MEGA_HEADROOM", [[2026], [None], [""]], 35, [[24500], [None], [""]], 9000)
    assert result == [[38500.0], [""], [""]]


def test_error_cell_inside_a_range_becomes_text_not_an_error_value():
    result = evaluate("CATCHUP_LIMIT", [[2026], ["#REF!"]], 61)
    assert result == [[11250], ["#REF! (year is an error cell)"]]


def test_mismatched_ranges_are_one_clear_error():
    with pytest.raises(InputError, match=r"^year: got 'a 2x1 range'; expected a single cell or a range of 3x1"):
        evaluate("CATCHUP_LIMIT", [[2025], [2026]], [[50], [51], [52]])


def test_table_result_inside_an_array_is_a_message():
    result = evaluate("IRS_LIMIT", "roth_ira_phaseout", [[2026], [2027]])
    assert result[0][0].startswith("#VALUE! IRS_LIMIT returns a table here")


def test_too_many_arguments():
    with pytest.raises(InputError, match="at most 2 for CATCHUP_LIMIT"):
        evaluate("CATCHUP_LIMIT", 2026, 50, 1)


def test_unknown_function_name():
    with pytest.raises(InputError) as caught:
        registry.get("NOPE")
    assert caught.value.kind == "na"


def test_formula_text_for_docs():
    spec = registry.get("MEGA_HEADROOM")
    assert spec.formula((2026, 35, 24500.0, 9000)) == "=MEGA_HEADROOM(2026, 35, 24500, 9000)"
    assert registry.get("MEGA_PATH").formula((True, False, True)) == "=MEGA_PATH(TRUE, FALSE, TRUE)"


# Invariant: an array call is the scalar call at every position (message text where the scalar call raises).


def _scalar_outcome(name, *args):
    try:
        return evaluate(name, *args)
    except InputError as error:
        return registry.cell_message(error)


cells = st.one_of(st.integers(-5, 130), st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from(["", None, "x", True]))


@settings(max_examples=scaled(60), deadline=None)
@given(years=st.lists(st.one_of(st.integers(2010, 2105), st.sampled_from([None, "", "#N/A"])), min_size=1,
                      max_size=6),
       age=cells)
def test_array_call_equals_scalar_calls_catchup(years, age):
    result = evaluate("CATCHUP_LIMIT", [[y] for y in years] + [[2026]], age)
    for row, year in zip(result, [*years, 2026], strict=True):
        if year is None or year == "":
            assert row == [""]
        elif year == "#N/A":
            assert row == ["#N/A (year is an error cell)"]
        else:
            assert row == [_scalar_outcome("CATCHUP_LIMIT", year, age)]


@settings(max_examples=scaled(60), deadline=None)
@given(deferrals=st.lists(st.floats(0, 40000, allow_nan=False), min_size=1, max_size=5),
       employers=st.lists(st.floats(0, 60000, allow_nan=False), min_size=1, max_size=4),
       compensation=st.one_of(st.none(), st.floats(0, 400000, allow_nan=False)))
def test_column_times_row_broadcast_equals_scalar_calls(deferrals, employers, compensation):
    result = evaluate("MEGA_HEADROOM", 2026, 50, [[d] for d in deferrals] + [[0.0]], [employers + [0.0]],
                      compensation)
    assert len(result) == len(deferrals) + 1 and all(len(r) == len(employers) + 1 for r in result)
    for i, deferral in enumerate([*deferrals, 0.0]):
        for j, employer in enumerate([*employers, 0.0]):
            assert result[i][j] == _scalar_outcome("MEGA_HEADROOM", 2026, 50, deferral, employer, compensation)


# Whole-range arguments (kind="range"): passed to the engine as a 2-D list, never broadcast


def _total(values, factor=1.0):
    cells = [c for line in values for c in line if c is not None]
    if not cells:
        raise InputError("values", values, "at least one number", kind="na")
    return sum(cells) * factor


SUM_SPEC = Function("SUM_RANGE_DEMO", engine=_total, description="Sum of a range, scaled.",
                    args=[Arg("values", "A range of numbers.", kind="range"), Arg("factor", "Factor.", default=1.0)],
                    returns="the scaled sum", examples=[Example(([[1], [2]],), 3.0)], citation="arithmetic")


def test_range_argument_arrives_whole_with_blanks_as_none():
    assert SUM_SPEC([[1.0], [""], [2.0]]) == 3.0
    assert SUM_SPEC(5.0) == 5.0
    assert SUM_SPEC([[1.0, 2.0], [3.0, None]], 2) == 12.0


def test_range_argument_is_not_broadcast_but_the_others_are():
    assert SUM_SPEC([[1.0], [2.0], [3.0]], [[1, 10]]) == [[6.0, 60.0]]


def test_range_argument_with_an_error_cell_gives_that_error():
    assert SUM_SPEC([[1.0], ["#DIV/0!"]]) == "#DIV/0!"
    assert SUM_SPEC([[1.0], ["#DIV/0!"]], [[1], [2]]) == [["#DIV/0! (values is an error cell)"]] * 2


def test_blank_required_range_is_an_empty_range_for_the_engine():
    with pytest.raises(InputError) as caught:
        SUM_SPEC(None)
    assert caught.value.kind == "na"


# Blank cells that older Excel desktop builds send as 0 (OfficeDev/office-js #4702); the real-browser tier
# (tests/test_udfs_jspath.py) checks the same through Excel's JavaScript path.


def test_zero_compensation_with_positive_deferrals_is_a_blank_cell():
    assert registry.evaluate("MEGA_HEADROOM", 2026, 35, 24500, 9000, 0) == 38500.0
    assert registry.evaluate("MEGA_HEADROOM", 2026, 35, 0, 0, 0) == 0.0   # no pay, no money: a real 0


def test_rows_of_zeros_that_stand_for_empty_rows_stay_blank():
    assert registry.evaluate("CATCHUP_LIMIT", [[2024], [2025], [0]], 61) == [[7500], [11250], [""]]
    assert registry.evaluate("MEGA_HEADROOM", [[2026], [0]], [[35], [0]], [[24500], [0]], [[9000], [0]]) == [
        [38500.0], [""]]
    # A year with real zeros beside it is computed: age 0 and no money under the 2026 limit of $72,000.
    assert registry.evaluate("MEGA_HEADROOM", [[2026], [2026]], [[35], [0]], [[24500], [0]], [[9000], [0]]) == [
        [38500.0], [72000.0]]


def test_zero_where_zero_cannot_be_real_reads_as_omitted():
    assert (registry.evaluate("CONVERSION_EARNINGS", 38500, 0.07, 0, 0, 0, 0)
            == registry.evaluate("CONVERSION_EARNINGS", 38500, 0.07))
    assert (registry.evaluate("DEFERRAL_ELECTION", 46024, "biweekly", 5000, 35, [[0]], None, 0, None, None,
                              [[0, 0]])
            == registry.evaluate("DEFERRAL_ELECTION", 46024, "biweekly", 5000, 35))
    assert registry.get("MEGA_HEADROOM").args[5].blank_zero is False   # plan_cap 0 is a real cap


def test_schedule_match_has_no_default():
    """An omitted employer match is an error naming the arguments, not a 100%-of-6% default; "no
    match" is match_rate 0, a real value on every Excel build (never read as a blank cell)."""
    base = (2026, 1, 1991, 150000, 0.03, "max")
    for args, argument, missing in ((base, "match_rate", "match_rate and match_up_to omitted"),
                                    ((*base, None, 0.06), "match_rate", "match_rate omitted"),
                                    ((*base, 0.5), "match_up_to", "match_up_to omitted"),
                                    ((*base, 0.5, None), "match_up_to", "match_up_to omitted")):
        with pytest.raises(InputError, match=missing) as caught:
            evaluate("MEGA_SCHEDULE", *args)
        assert caught.value.argument == argument and caught.value.excel_error == "#VALUE!"
        assert "match_rate 0 for no match" in str(caught.value)
    # $150,000 pay: 100% of 6% = $9,000 of match; 50% of 6% = $4,500; none = $0 (room $72,000 - $24,500 - match)
    for match, employer in (((1, 0.06), 9000), ((0.5, 0.06), 4500), ((0,), 0), ((0, 0.06), 0), ((0, 0), 0)):
        data = dict(zip(*evaluate("MEGA_SCHEDULE", *base, *match), strict=True))
        assert data["employer"] == employer and data["after_tax_room"] == 72000 - 24500 - employer, match
    from megabackdoor.excel.functions_schedule import FUNCTIONS

    assert not any(arg.blank_zero for arg in FUNCTIONS[0].args if arg.name.startswith("match_"))
