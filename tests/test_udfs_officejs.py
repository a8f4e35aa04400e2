"""Office.js contract (xlwings Lite and xlwings Server), through xlwings' own dispatcher.

``custom_functions_meta`` and ``await custom_functions_call`` run in a separate process
(tests/officejs_host.py) with ``XLWINGS_ON_SERVER=true`` set before xlwings is imported and
``XLWINGS_LICENSE_KEY=noncommercial`` (xlwings.server is PolyForm-Noncommercial code, used by these tests of an
open-source project only). Payloads are shaped like Excel's: every argument a 2-D matrix, ``null`` for an
omitted optional, ``""`` for a blank cell, error objects for error cells, runtime "1.4" and "1.3".
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _tiers import need

from megabackdoor.errors import InputError
from megabackdoor.excel import registry

HERE = Path(__file__).parent
DRIVER = HERE / "officejs_host.py"
SPECS = registry.functions()
DIV0 = {"type": "Error", "basicType": "Error", "basicValue": "#DIV/0!", "errorType": "Div0"}


def _xlwings_server_available() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import xlwings.server"], capture_output=True, text=True,
                           env={**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"})
    return probe.returncode == 0


class Host:
    """One driver process: send a request, read the answer."""

    def __init__(self, **env: str) -> None:
        environment = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial", **env}
        self.process = subprocess.Popen([sys.executable, str(DRIVER)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=environment)

    def request(self, body: dict) -> dict:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(body) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def call(self, func_name: str, *args, runtime: str = "1.4") -> dict:
        sys.path.insert(0, str(HERE))
        from officejs_host import payload

        return self.request(payload(func_name, list(args), runtime))

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(timeout=30)


def cell(value):
    return [[value]]


def _excel_value(value):
    """How Office.js sends a typed value: dates as serial numbers."""
    if isinstance(value, dt.date):
        return (value - dt.date(1899, 12, 30)).days
    return value


def column(*values):
    return [[v] for v in values]


@pytest.fixture(scope="module")
def host():
    need(_xlwings_server_available(), "xlwings.server does not import (xlwings >= 0.33 with its pro/ part needed)")
    driver = Host()
    yield driver
    driver.close()


@pytest.fixture(scope="module")
def typed_host():
    need(_xlwings_server_available(), "xlwings.server does not import")
    driver = Host(MEGABACKDOOR_OFFICEJS_ERRORS="typed")
    yield driver
    driver.close()


@pytest.fixture(scope="module")
def meta(host):
    return host.request({"meta": True})["result"]


# Metadata: what Excel registers


def test_meta_lists_every_registry_function(meta):
    assert sorted(f["name"] for f in meta["functions"]) == sorted(SPECS)
    assert meta["allowErrorForDataTypeAny"] is True


def test_meta_descriptions_and_argument_help_come_from_the_registry(meta):
    for function in meta["functions"]:
        spec = SPECS[function["name"]]
        assert function["id"] == spec.name
        assert function["description"] == spec.description
        assert function["result"] == {"dimensionality": "matrix", "type": "any"}
        assert [p["name"] for p in function["parameters"]] == [a.name for a in spec.args]
        for parameter, arg in zip(function["parameters"], spec.args, strict=True):
            assert parameter["description"] == arg.help
            assert parameter.get("optional", False) is arg.optional
            assert parameter["dimensionality"] == "matrix"


def test_meta_for_mega_headroom_exactly(meta):
    function = next(f for f in meta["functions"] if f["name"] == "MEGA_HEADROOM")
    assert [(p["name"], p.get("optional", False)) for p in function["parameters"]] == [
        ("year", False), ("age", False), ("deferral", False), ("employer", False), ("compensation", True),
        ("plan_cap", True), ("forfeitures", True)]
    assert function["options"] == {"requiresAddress": True, "requiresParameterAddresses": True}


# Values


def test_scalar_call_with_omitted_optionals(host):
    answer = host.call("MEGA_HEADROOM", cell(2026), cell(35), cell(24500), cell(9000), None, None, None)
    assert answer == {"result": [[38500.0]]}


def test_blank_optional_is_the_same_as_omitted(host):
    answer = host.call("MEGA_HEADROOM", cell(2026), cell(35), cell(24500), cell(9000), cell(""), None, cell(""))
    assert answer == {"result": [[38500.0]]}


def test_all_arguments(host):
    answer = host.call("MEGA_HEADROOM", cell(2026), cell(35), cell(24500), cell(9000), cell(200000), cell(0.1),
                       cell(0))
    assert answer == {"result": [[20000.0]]}


@pytest.mark.parametrize("runtime", ["1.4", "1.3"])
def test_every_registry_example_through_the_dispatcher(host, runtime):
    for spec in SPECS.values():
        for example in spec.examples:
            args = [None if v is None else v if isinstance(v, list) else cell(_excel_value(v))
                    for v in example.args]
            args += [None] * (len(spec.args) - len(example.args))
            answer = host.call(spec.name, *args, runtime=runtime)
            if example.error:
                assert answer["error"] == "XlwingsError", (spec.name, example, answer)
                assert answer["message"].startswith(example.error + " "), answer
            elif isinstance(example.result, list):
                assert answer == {"result": example.result}, (spec.name, example)
            elif isinstance(example.result, dt.date):
                serial = (example.result - dt.date(1899, 12, 30)).days
                expected = serial if runtime == "1.3" else {"type": "FormattedNumber", "basicValue": serial,
                                                             "numberFormat": "M/d/yyyy"}
                assert answer == {"result": [[expected]]}, (spec.name, example, answer)
            else:
                assert len(answer["result"]) == 1 and len(answer["result"][0]) == 1, answer
                assert example.holds(answer["result"][0][0]), (spec.name, example, answer)


def test_boolean_result_is_a_real_boolean(host):
    assert host.call("ROTH_CATCHUP_REQUIRED", cell(2026), cell(150001)) == {"result": [[True]]}


def test_table_spills(host):
    answer = host.call("IRS_LIMIT", cell("roth_ira_phaseout"), cell(2026), None)
    assert answer["result"][0] == ["filing_status", "start", "end"]
    assert answer["result"][2] == ["mfj", 242000.0, 252000.0]


# Errors: the message on hover, the error type on request


def test_out_of_range_number_message(host):
    answer = host.call("MEGA_HEADROOM", cell(2026), cell(35), cell(24500), cell(9000), cell(200000), cell(10), None)
    assert answer == {"error": "XlwingsError",
                      "message": "#NUM! plan_cap: got 10; expected a decimal fraction from 0 to 1 (10 looks like "
                                 "a percent: pass 0.10 for 10%)"}


def test_text_in_a_number_argument(host):
    answer = host.call("MEGA_HEADROOM", cell(2026), cell(35), cell("24,500"), cell(9000), None, None, None)
    assert answer["error"] == "XlwingsError"
    assert answer["message"] == ("#VALUE! deferral: got '24,500'; expected a number, not text (remove currency "
                                 "signs, commas or quotes)")


def test_boolean_in_a_number_argument(host):
    answer = host.call("CATCHUP_LIMIT", cell(2026), cell(True))
    assert answer["message"] == "#VALUE! age: got True; expected a number"


def test_blank_required_argument(host):
    answer = host.call("CATCHUP_LIMIT", cell(2026), cell(""))
    assert answer["message"] == "#VALUE! age: got a blank cell; expected a number (years)"


def test_date_serial_in_a_year_argument(host):
    answer = host.call("CATCHUP_LIMIT", cell(46037), cell(55))
    assert answer["message"] == "#NUM! year: got 46037; expected a year from 2014 to 2100"


def test_no_data_message(host):
    answer = host.call("IRS_LIMIT", cell("catchup_60_63"), cell(2024), None)
    assert answer["message"] == ("#N/A year: got 2024; expected 2025 or later: catchup_60_63 did not exist "
                                 "before then")


def test_error_cell_passed_in_becomes_that_error_value(host):
    assert host.call("CATCHUP_LIMIT", cell(DIV0), cell(55)) == {
        "result": [[{"type": "Error", "errorType": "Div0"}]]}
    # Before CustomFunctionsRuntime 1.4 xlwings can only write "#DIV/0!" as text: a #VALUE! naming the argument.
    assert host.call("CATCHUP_LIMIT", cell(DIV0), cell(55), runtime="1.3") == {
        "error": "XlwingsError", "message": "#DIV/0! year: got an error cell (#DIV/0!)"}


def test_typed_mode_returns_the_real_error_value(typed_host):
    answer = typed_host.call("CATCHUP_LIMIT", cell(2026), cell(-1), runtime="1.4")
    assert answer == {"result": [[{"type": "Error", "errorType": "Num"}]]}
    # Runtime 1.3 has no error values (xlwings would write the text "#NUM!"): the message instead.
    answer = typed_host.call("CATCHUP_LIMIT", cell(2026), cell(-1), runtime="1.3")
    assert answer == {"error": "XlwingsError", "message": registry.cell_message(_error_of("CATCHUP_LIMIT", 2026, -1))}


def _error_of(name, *args):
    with pytest.raises(InputError) as caught:
        registry.evaluate(name, *args)
    return caught.value


def test_typed_mode_maps_each_kind(typed_host):
    assert typed_host.call("CATCHUP_LIMIT", cell("x"), cell(50))["result"] == [[{"type": "Error",
                                                                                 "errorType": "Value"}]]
    assert typed_host.call("IRS_LIMIT", cell("catchup_60_63"), cell(2024), None)["result"] == [[
        {"type": "Error", "errorType": "NotAvailable"}]]


# Arrays


def test_a_column_of_years_returns_a_column(host):
    answer = host.call("CATCHUP_LIMIT", column(2024, 2025, 2026), cell(61))
    assert answer == {"result": [[7500], [11250], [11250]]}


def test_array_call_with_a_bad_row_and_blanks_and_an_error_cell(host):
    answer = host.call("MEGA_HEADROOM", column(2026, 2026, "", 2026), cell(35), column(24500, -1, "", DIV0),
                       cell(9000), None, None, None)
    assert answer == {"result": [[38500.0], ["#NUM! deferral: got -1; expected an amount of $0 or more"], [""],
                                 ["#DIV/0! (deferral is an error cell)"]]}


def test_row_times_column_broadcasts(host):
    answer = host.call("CATCHUP_LIMIT", column(2024, 2026), [[49, 61]])
    assert answer == {"result": [[0, 7500], [0, 11250]]}


def test_mismatched_ranges_message(host):
    answer = host.call("CATCHUP_LIMIT", column(2025, 2026), column(50, 51, 52))
    assert answer["message"].startswith("#VALUE! year: got 'a 2x1 range'; expected a single cell or a range of 3x1")
