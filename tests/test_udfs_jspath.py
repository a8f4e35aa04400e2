"""Real-browser tier: the worksheet functions as Excel really runs them, through xlwings' JavaScript and
Microsoft's custom-functions runtime, in headless Chromium (tests/jspath/: driver.py, excel_host_stub.js).

Each case is the invocation message Excel sends (``[id, name, parameterValues, address, flags]``) handed to
Microsoft's own CustomFunctionProxy, which calls xlwings Server's real ``custom-functions-code.js``; the result
is what Microsoft's code would send back to Excel: ``[id, True, value]`` or ``[id, False, message, code]``
(7 = ``#VALUE!``). Modes: ``server`` (xlwings Server, Python on the server; ``typed`` is the same with
``MEGABACKDOOR_OFFICEJS_ERRORS=typed``), ``wasm`` (xlwings Server's Wasm
mode: Pyodide in the browser, this project's wheel installed by micropip from loopback, pandas absent: the
nearest thing to xlwings Lite that runs here). Profiles stand for Excel builds (driver.PROFILES): ``m365``
(CustomFunctionsRuntime 1.4, ExcelApi 1.12, en-US), ``de`` (German), ``rt13``, ``rt11``, ``api111``.

Needs: Chromium (/usr/bin/chromium), uv and PyPI once (the tier's own environment is cached in
tests/jspath/.cache/), and ``npm ci`` in tests/pyodide for the Wasm mode. ``.ci/run`` provides them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from _tiers import need, need_node_packages

from megabackdoor.excel import registry

sys.path.insert(0, str(Path(__file__).parent / "jspath"))
import tier  # noqa: E402

MODES = ("server", "wasm")
SPECS = registry.functions()
NA = {"type": "CustomFunctionError", "code": "#N/A"}     # an #N/A cell as Excel sends it (flags 4)
ERROR_VALUES = 4
RICH_VALUES = 8


@pytest.fixture(scope="session")
def js(tmp_path_factory):
    need_node_packages(Path(__file__).parent / "pyodide", "pyodide")   # the Wasm mode's Pyodide
    try:
        driver = tier.Tier(tmp_path_factory.mktemp("jspath"), [*MODES, "typed"])
    except tier.SetupError as error:
        need(False, str(error))
    yield driver
    driver.close()


def cell(value):
    return [[value]]


def column(*values):
    return [[v] for v in values]


def serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def _excel_value(value):
    return serial(value) if isinstance(value, dt.date) else value


def call(name: str, *params, flags: int = 0) -> dict:
    """One invocation as Excel sends it: every argument a 2-D matrix, an omitted optional null."""
    params = list(params) + [None] * (len(SPECS[name].args) - len(params))
    return {"name": name, "params": params, "flags": flags}


def run(js, calls, mode="server", profile="m365"):
    """The wire results without the invocation ids: (True, value) or (False, message, code)."""
    return [tuple(result[1:]) for result in js.invoke(calls, mode, profile)]


def one(js, *args, mode="server", profile="m365", flags=0):
    return run(js, [call(*args, flags=flags)], mode, profile)[0]


# ---------------------------------------------------------------------------------------------------------
# The page itself


def test_every_registry_function_is_associated_with_microsofts_runtime(js):
    for mode in MODES:
        answer = js.ask({"op": "meta", "mode": mode})
        assert sorted(answer["ids"]) == sorted(SPECS), mode
        assert answer["associated"] == sorted(SPECS), mode


# ---------------------------------------------------------------------------------------------------------
# Every registry example, on both modes

EXAMPLES = [(spec, example) for spec in SPECS.values() for example in spec.examples]


def _example_call(spec, example):
    args = [None if v is None else v if isinstance(v, list) else cell(_excel_value(v)) for v in example.args]
    return call(spec.name, *args)


@pytest.mark.parametrize("mode", MODES)
def test_every_registry_example(js, mode):
    results = run(js, [_example_call(spec, example) for spec, example in EXAMPLES], mode)
    prefix = "Error: " if mode == "wasm" else ""
    for (spec, example), result in zip(EXAMPLES, results, strict=True):
        where = (mode, spec.name, example, result)
        if example.error:
            assert result[0] is False and result[2] == 7, where
            assert result[1].startswith(prefix + example.error + " "), where
        elif isinstance(example.result, list):
            assert result == (True, example.result), where
        elif isinstance(example.result, dt.date):
            assert result == (True, cell({"type": "FormattedNumber", "basicValue": serial(example.result),
                                          "numberFormat": "M/d/yyyy"})), where
        else:
            assert result[0] is True and example.holds(result[1][0][0]), where


# ---------------------------------------------------------------------------------------------------------
# Arrays, spills, tables


@pytest.mark.parametrize("mode", MODES)
def test_scalar_and_all_arguments(js, mode):
    assert run(js, [call("MEGA_HEADROOM", cell(2026), cell(35), cell(24500), cell(9000)),
                    call("MEGA_HEADROOM", cell(2026), cell(35), cell(24500), cell(9000), cell(200000), cell(0.1),
                         cell(2000))], mode) == [(True, cell(38500)), (True, cell(20000))]


@pytest.mark.parametrize("mode", MODES)
def test_row_of_years_times_column_of_ages_spills_2d(js, mode):
    # CATCHUP_LIMIT: under 50 nothing; 50+ $7,500 (2024-2026); 60-63 $11,250 from 2025 (SECURE 2.0 §109).
    assert one(js, "CATCHUP_LIMIT", [[2024, 2025, 2026]], column(45, 55, 61), mode=mode) == (
        True, [[0, 0, 0], [7500, 7500, 8000], [7500, 11250, 11250]])


@pytest.mark.parametrize("mode", MODES)
def test_table_spills_with_its_header(js, mode):
    ok, table = one(js, "IRS_LIMIT", cell("roth_ira_phaseout"), cell(2026), mode=mode)
    assert ok and len(table) == 4 and table[1] == ["single", 153000, 168000]


@pytest.mark.parametrize("mode", MODES)
def test_boolean_result_is_a_real_boolean(js, mode):
    assert one(js, "ROTH_CATCHUP_REQUIRED", cell(2026), cell(150001), mode=mode) == (True, cell(True))


@pytest.mark.parametrize("mode", MODES)
def test_two_hundred_cells_at_once(js, mode):
    calls = [call("MEGA_HEADROOM", cell(2026), cell(35), cell(24500), cell(9000))] * 200
    assert run(js, calls, mode) == [(True, cell(38500))] * 200


# ---------------------------------------------------------------------------------------------------------
# Bad input: #VALUE! with the engine's message on hover


def test_bad_number_message_on_hover(js):
    assert one(js, "MEGA_HEADROOM", cell(2026), cell(35), cell(24500), cell(9000), None, cell(10)) == (
        False, "#NUM! plan_cap: got 10; expected a decimal fraction from 0 to 1 (10 looks like a percent: pass 0.10 "
               "for 10%)", 7)


def test_text_in_a_number_argument(js):
    ok, message, code = one(js, "MEGA_HEADROOM", cell(2026), cell(35), cell("24,500"), cell(9000))
    assert (ok, code) == (False, 7)
    assert message.startswith("#VALUE! deferral: got '24,500'; expected a number, not text")


def test_bad_cell_inside_a_spill_is_text_in_that_cell(js):
    ok, value = one(js, "CATCHUP_LIMIT", cell(2026), column(61, -1))
    assert ok and value[0] == [11250] and value[1][0].startswith("#NUM! age: got -1;")


@pytest.mark.parametrize(("profile", "expected"), [
    ("m365", (True, cell({"type": "Error", "errorType": "Num"}))),
    # Runtime 1.3 has no error values (xlwings would write the text "#NUM!"): #VALUE! with the message.
    ("rt13", (False, "#NUM! age: got -1; expected an age attained by 31 December from 0 to 120", 7)),
])
def test_typed_errors_mode(js, profile, expected):
    assert one(js, "CATCHUP_LIMIT", cell(2026), cell(-1), mode="typed", profile=profile) == expected


def test_typed_errors_are_not_retried_and_show_once(js):
    # XlwingsError -> HTTP 400, which xlwings' JavaScript does not retry; the answer is one #VALUE!.
    assert one(js, "CATCHUP_LIMIT", cell(2026), cell(-1))[0] is False


# ---------------------------------------------------------------------------------------------------------
# 1. Blank cells: null (current Excel), 0 (older desktop builds, OfficeDev/office-js #4702), "" (="")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("blank", [None, 0, ""])
def test_blank_compensation_cell_acts_as_omitted_on_every_build(js, mode, blank):
    # $72,000 - $24,500 - $9,000 = $38,500: a 0 compensation cannot go with positive deferrals, so it is a blank.
    assert one(js, "MEGA_HEADROOM", cell(2026), cell(35), cell(24500), cell(9000), cell(blank), mode=mode) == (
        True, cell(38500))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("blank", [None, 0])
def test_spilled_column_with_empty_rows_gives_empty_cells(js, mode, blank):
    # CATCHUP_LIMIT({2024;2025;2026;<empty>}, 61): $7,500, then $11,250 for ages 60-63 from 2025.
    assert one(js, "CATCHUP_LIMIT", column(2024, 2025, 2026, blank), cell(61), mode=mode) == (
        True, [[7500], [11250], [11250], [""]])


@pytest.mark.parametrize("blank", [None, 0])
def test_a_table_of_inputs_with_empty_rows_at_its_end(js, blank):
    # =MEGA_HEADROOM(A2:A4, B2:B4, C2:C4, D2:D4) over rows 2026/35/24500/9000, 2026/55/32500/9000, <empty>.
    # 50+: $72,000 - $24,500 (the $8,000 catch-up sits outside §415(c)) - $9,000 = $38,500.
    assert one(js, "MEGA_HEADROOM", column(2026, 2026, blank), column(35, 55, blank), column(24500, 32500, blank),
               column(9000, 9000, blank)) == (True, [[38500], [38500], [""]])


def test_a_zero_that_is_a_real_value_stays_zero(js):
    # plan_cap 0: the plan allows no after-tax money, so the room is $0 (udf_docs: leave it out, not a blank cell).
    assert one(js, "MEGA_HEADROOM", cell(2026), cell(35), cell(24500), cell(9000), cell(200000), cell(0)) == (
        True, cell(0))


def test_other_impossible_zeros_act_as_omitted(js):
    omitted = run(js, [call("CONVERSION_EARNINGS", cell(38500), cell(0.07)),
                       call("DEFERRAL_ELECTION", cell(46024), cell("biweekly"), cell(5000), cell(35))])
    zeros = run(js, [call("CONVERSION_EARNINGS", cell(38500), cell(0.07), cell(0), cell(0), None, cell(0)),
                     call("DEFERRAL_ELECTION", cell(46024), cell("biweekly"), cell(5000), cell(35), cell(0), None,
                          cell(0), None, None, cell(0))])
    assert zeros == omitted and all(result[0] for result in zeros)


# ---------------------------------------------------------------------------------------------------------
# 2. Dates returned, per Excel build: FIVE_YEAR_DATE(15 March 2026) = 1 January 2031 (§408A(d)(3)(F) clock
# starts on 1 January of the conversion year), serial 47849.

CONVERTED = serial(dt.date(2026, 3, 15))
FIVE_YEARS = serial(dt.date(2031, 1, 1))


@pytest.mark.parametrize(("profile", "expected"), [
    ("m365", {"type": "FormattedNumber", "basicValue": FIVE_YEARS, "numberFormat": "M/d/yyyy"}),
    ("de", {"type": "FormattedNumber", "basicValue": FIVE_YEARS, "numberFormat": "dd.MM.yyyy"}),
    ("de-local", {"type": "FormattedNumber", "basicValue": FIVE_YEARS, "numberFormat": "dd.mm.yyyy"}),
    ("api111", FIVE_YEARS),   # ExcelApi 1.11: no culture to read, the serial (udf_docs: format the cell)
    ("rt13", FIVE_YEARS),     # CustomFunctionsRuntime 1.3: no formatted numbers, the serial
    ("rt11", FIVE_YEARS),
])
def test_date_result_on_each_excel_build(js, profile, expected):
    assert one(js, "FIVE_YEAR_DATE", cell(CONVERTED), profile=profile) == (True, cell(expected))


@pytest.mark.parametrize("fmt", ["dd.MM.yyyy", "dd.mm.yyyy"])
def test_german_date_formats_are_excel_format_codes(fmt):
    # FormattedNumber.numberFormat is read as an en-US format code (Excel JS API reference): day, month and
    # year codes with literal separators, day first; it shows 01.01.2031 in a German Excel.
    assert set(fmt.lower()) <= set("dmy.") and fmt.lower().index("d") < fmt.lower().index("m")


@pytest.mark.parametrize("mode", MODES)
def test_a_date_cell_fed_back_as_a_rich_value(js, mode):
    # A date xlwings wrote comes back, when Excel sends rich values (flags 8), as a Double with its format.
    rich = {"value": json.dumps({"type": "Double", "basicValue": CONVERTED, "numberFormat": "M/d/yyyy"})}
    ok, value = one(js, "FIVE_YEAR_DATE", cell(rich), mode=mode, flags=RICH_VALUES)
    assert ok and value[0][0]["basicValue"] == FIVE_YEARS


# ---------------------------------------------------------------------------------------------------------
# 3. Error cells as arguments


@pytest.mark.parametrize("mode", MODES)
def test_error_cell_is_passed_on_as_that_error(js, mode):
    assert one(js, "CATCHUP_LIMIT", cell(NA), cell(61), mode=mode, flags=ERROR_VALUES) == (
        True, cell({"type": "Error", "errorType": "NotAvailable"}))


def test_error_cell_before_runtime_1_4_names_the_argument(js):
    # Runtime 1.3 has no error values to return: #VALUE! with the message, not the bare text "#N/A".
    assert one(js, "CATCHUP_LIMIT", cell(NA), cell(61), profile="rt13", flags=ERROR_VALUES) == (
        False, "#N/A year: got an error cell (#N/A)", 7)
    # Runtime 1.1 shows messages as cell text (xlwings' showError).
    assert one(js, "CATCHUP_LIMIT", cell(NA), cell(61), profile="rt11", flags=ERROR_VALUES) == (
        True, cell("#N/A year: got an error cell (#N/A)"))


@pytest.mark.parametrize(("mode", "profile", "expected"), [
    ("server", "m365", (True, cell({"type": "Error", "errorType": "NotAvailable"}))),
    ("wasm", "m365", (True, cell({"type": "Error", "errorType": "NotAvailable"}))),
    ("server", "rt13", (False, "#N/A year: got an error cell (#N/A)", 7)),
])
def test_error_arriving_as_text(js, mode, profile, expected):
    # Without the error-values flag the cell's #N/A arrives as the text "#N/A": still passed on as #N/A (1.4),
    # or as the message naming the argument where Excel has no error values to return (1.3).
    assert one(js, "CATCHUP_LIMIT", cell("#N/A"), cell(61), mode=mode, profile=profile) == expected


@pytest.mark.parametrize("mode", MODES)
def test_error_cell_inside_a_spill_is_text_naming_the_argument(js, mode):
    assert one(js, "CATCHUP_LIMIT", column(2026, NA), cell(61), mode=mode, flags=ERROR_VALUES) == (
        True, [[11250], ["#N/A (year is an error cell)"]])


# ---------------------------------------------------------------------------------------------------------
# 4. Linked data types (Stocks, Geography) in a number argument

STOCK = {"value": '{"type": "LinkedEntity", "text": "Microsoft Corporation", "id": {"entityId": "a", '
                  '"serviceId": 268435456, "domainId": "securities", "culture": "en-US"}, "properties": {}}'}
LINKED = ("#VALUE! year: got a linked data type (Stocks, Geography ...); expected a number (year), not a linked "
          "data type (pick one of its fields, e.g. =A1.Price)")


@pytest.mark.parametrize("mode", MODES)
def test_linked_data_type_in_a_number_argument(js, mode):
    prefix = "Error: " if mode == "wasm" else ""
    assert one(js, "CATCHUP_LIMIT", cell(STOCK), cell(61), mode=mode, flags=RICH_VALUES) == (
        False, prefix + LINKED, 7)


# ---------------------------------------------------------------------------------------------------------
# 5. Wasm (xlwings Lite's JavaScript): xlwings' makeWasmCall shows each message twice through showError, and
# the second time the message is the first CustomFunctions.Error, so the hover text reads "Error: " and then
# the message. It cannot be changed from Python: udf_docs says so, and this is what the user sees.


def test_wasm_message_is_prefixed_by_xlwings_and_then_starts_with_its_code(js):
    message = ("#NUM! plan_cap: got 10; expected a decimal fraction from 0 to 1 (10 looks like a percent: pass "
               "0.10 for 10%)")
    args = (cell(2026), cell(35), cell(24500), cell(9000), None, cell(10))
    assert one(js, "MEGA_HEADROOM", *args, mode="server") == (False, message, 7)
    assert one(js, "MEGA_HEADROOM", *args, mode="wasm") == (False, "Error: " + message, 7)


# ---------------------------------------------------------------------------------------------------------
# 7. Lite without pandas: every worksheet function runs in Pyodide where pandas cannot be installed

PYTHON_IN_PAGE = """async code => {
    const wasm = await import("/static/js/wasm.js");
    const pyodide = await wasm.pyodideReadyPromise;
    return pyodide.runPython(code);
}"""


def test_every_function_runs_in_wasm_without_pandas(js):
    results = run(js, [_example_call(spec, example) for spec, example in EXAMPLES], "wasm")
    assert all(ok or example.error for (_, example), (ok, *_) in zip(EXAMPLES, results, strict=True))
    code = ("import importlib.util, json, sys; json.dumps([importlib.util.find_spec('pandas') is None, "
            "'pandas' in sys.modules, sorted(m for m in sys.modules if m.startswith('megabackdoor.'))])")
    answer = js.ask({"op": "eval", "mode": "wasm", "expression": PYTHON_IN_PAGE, "argument": code})
    absent, loaded, modules = json.loads(answer["results"])
    assert absent and not loaded
    engines = {spec.engine.partition(":")[0] for spec in SPECS.values() if isinstance(spec.engine, str)}
    assert engines <= set(modules), engines - set(modules)


# ---------------------------------------------------------------------------------------------------------
# 6. Number extremes: the usual message naming the argument and the accepted range, never inf/NaN (which
# Microsoft's proxy would send to Excel as a failed "NaN"/"Infinity") and never the catch-all bug message.

BALANCE_CEILING = "an amount from $0 to $1,000,000,000,000 (the ceiling for balances and other amounts)"


@pytest.mark.parametrize("mode", MODES)
def test_extreme_amounts_get_the_ceiling_message(js, mode):
    prefix = "Error: " if mode == "wasm" else ""
    assert run(js, [call("BACKDOOR_PRO_RATA", cell(1e308), cell(0), cell(1e-308)),
                    call("CONVERSION_TAX", cell(1e308), cell(0), cell(0.5)),
                    call("ROTH_VS_TAXABLE", cell(38500), cell(20), cell(0.07), cell(1e308))], mode) == [
        (False, f"{prefix}#NUM! amount_converted: got 1e+308; expected {BALANCE_CEILING}", 7),
        (False, f"{prefix}#NUM! amount: got 1e+308; expected {BALANCE_CEILING}", 7),
        (False, f"{prefix}#NUM! conversion_tax: got 1e+308; expected {BALANCE_CEILING}", 7)]


@pytest.mark.parametrize("mode", MODES)
def test_schedule_at_a_tiny_return_keeps_what_was_converted(js, mode):
    # 2026, born 1991 (35), $150,000 pay, deferral max $24,500 + 100% match on 6% ($9,000): $38,500 after-tax,
    # converted per paycheck; at a return of 1e-14 the Roth balance is what was converted, to the cent.
    ok, (header, row) = one(js, "MEGA_SCHEDULE", cell(2026), cell(1), cell(1991), cell(150000), None, None, cell(1),
                            cell(0.06), None, cell(1e-14), mode=mode)
    data = dict(zip(header, row, strict=True))
    assert ok and data["after_tax_contribution"] == 38500 and data["roth_balance"] == 38500


EXTREMES = (1e308, -1e308, 1e-308, 1e-14, 1e26)


def _extreme_calls():
    """Every numeric argument of every function at each extreme, the others as in the worked example."""
    calls = []
    for spec in SPECS.values():
        base = list(spec.examples[0].args) + [None] * (len(spec.args) - len(spec.examples[0].args))
        for index, arg in enumerate(spec.args):
            if arg.kind not in ("number", "any"):
                continue
            for extreme in EXTREMES:
                args = list(base)
                args[index] = extreme
                calls.append(call(spec.name, *[None if v is None else v if isinstance(v, list)
                                               else cell(_excel_value(v)) for v in args]))
    return calls


def _numbers(value):
    if isinstance(value, list):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, dict):
        yield value.get("basicValue", 0)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def test_no_extreme_input_gives_inf_nan_or_the_bug_message(js):
    calls = _extreme_calls()
    assert len(calls) > 300
    for sent, result in zip(calls, run(js, calls), strict=True):
        where = (sent["name"], sent["params"], result)
        if result[0]:
            assert all(abs(n) < 1e300 for n in _numbers(result[1])), where
            texts = list(_texts(result[1]))
        else:
            assert result[1] not in ("NaN", "Infinity") and result[2] == 7, where
            texts = [result[1]]
        assert not any("please report it" in t for t in texts), where


def _texts(value):
    if isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, str):
        yield value


# ---------------------------------------------------------------------------------------------------------
# Every function x every argument x what a cell can hold, through Excel's JavaScript path (server mode; the
# Wasm mode gets the error-cell and linked-type rows of each function's first argument).

DATE_CELL = {"value": json.dumps({"type": "Double", "basicValue": CONVERTED, "numberFormat": "M/d/yyyy"})}
CELL_KINDS = {            # name: (the cell as Excel sends it, invocation flags)
    "null": (None, 0), "zero": (0, 0), "text": ("abc", 0), "bool": (True, 0), "na": (NA, ERROR_VALUES),
    "linked": (STOCK, RICH_VALUES), "date": (DATE_CELL, RICH_VALUES),
}


def _matrix_calls(kinds, first_only=False):
    cases = []
    for spec in SPECS.values():
        base = list(spec.examples[0].args) + [None] * (len(spec.args) - len(spec.examples[0].args))
        for index, arg in enumerate(spec.args[:1] if first_only else spec.args):
            for kind in kinds:
                value, flags = CELL_KINDS[kind]
                args = [None if v is None else v if isinstance(v, list) else cell(_excel_value(v)) for v in base]
                args[index] = cell(value)
                cases.append(((spec, arg, kind), call(spec.name, *args, flags=flags)))
    return cases


def _check_matrix(cases, results, prefix=""):
    for ((spec, arg, kind), _), result in zip(cases, results, strict=True):
        where = (spec.name, arg.name, kind, result)
        texts = [result[1]] if not result[0] else list(_texts(result[1]))
        for text in texts:
            assert "please report it" not in text and "got Error" not in text, where
            assert "__xlwings_not_an_object_handle__" not in text, where
        if result[0]:
            assert all(abs(n) < 1e300 for n in _numbers(result[1])), where
        else:
            assert result[2] == 7 and result[1].startswith(prefix + "#"), where
        if kind == "na":
            assert result == (True, cell({"type": "Error", "errorType": "NotAvailable"})), where
        if kind == "linked":
            assert result == (False, f"{prefix}#VALUE! {arg.name}: got a linked data type (Stocks, Geography ...); "
                                     f"expected {registry._accepted(arg)}, not a linked data type (pick one of its "
                                     "fields, e.g. =A1.Price)", 7), where
        if kind == "null" and not arg.optional and arg.kind != "range":
            assert result == (False, f"{prefix}#VALUE! {arg.name}: got a blank cell; expected "
                                     f"{registry._accepted(arg)}", 7), where


def test_every_function_every_argument_every_kind_of_cell(js):
    cases = _matrix_calls(CELL_KINDS)
    assert len(cases) > 900
    _check_matrix(cases, run(js, [sent for _, sent in cases]))


def test_every_function_error_and_linked_cells_in_wasm(js):
    cases = _matrix_calls(("na", "linked"), first_only=True)
    _check_matrix(cases, run(js, [sent for _, sent in cases], "wasm"), prefix="Error: ")
