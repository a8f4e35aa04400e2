"""The host module megabackdoor.udfs in plain Python (xlwings' decorators are no-ops here, as on macOS/Linux).

Host-specific behaviour is tested in test_udfs_officejs.py (Lite/Server), test_udfs_pyodide.py (Lite's
runtime) and test_udfs_classic.py (Windows registration).
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types

import pytest

import megabackdoor.udfs as udfs
from megabackdoor.excel import registry
from megabackdoor.excel.registry import Arg, Example, Function

SPECS = registry.functions()


def test_module_exports_exactly_the_registry():
    assert udfs.__all__ == list(SPECS)
    assert udfs.HOST == "python"


@pytest.mark.parametrize("name", list(SPECS))
def test_real_signature_positional_with_none_defaults(name):
    function = getattr(udfs, name)
    parameters = list(inspect.signature(function).parameters.values())
    assert [p.name for p in parameters] == [a.name for a in SPECS[name].args]
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters)
    assert [p.default for p in parameters if p.default is not inspect.Parameter.empty] == [
        None for a in SPECS[name].args if a.optional]
    assert function.__doc__ == SPECS[name].description
    assert function.__module__ == "megabackdoor.udfs"


def test_calls_as_the_hosts_pass_them():
    assert udfs.MEGA_HEADROOM([[2026]], [[35]], [[24500]], [[9000]]) == 38500.0
    assert udfs.MEGA_HEADROOM([[2026]], [[35]], [[24500]], [[9000]], [[60000]], None, None) == 26500.0
    assert udfs.CATCHUP_LIMIT([[2025], [2026]], [[61]]) == [[11250], [11250]]


def test_bad_input_is_message_text_outside_office_js():
    assert udfs.CATCHUP_LIMIT([[2026]], [[-1]]) == "#NUM! age: got -1; expected an age attained by 31 December " \
                                                  "from 0 to 120"


def test_an_engine_bug_is_text_not_a_traceback(monkeypatch):
    spec = SPECS["CATCHUP_LIMIT"]

    def broken(**_):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(spec, "_callable", broken)
    assert udfs.CATCHUP_LIMIT(2026, 50) == ("#VALUE! CATCHUP_LIMIT failed (ZeroDivisionError: division by zero); "
                                            "please report it with the arguments used")


def test_wrapper_source_for_one_argument_is_a_tuple():
    spec = Function("ONE_ARG_DEMO", engine=lambda x: x, description="Demo.", args=[Arg("x", "A value.")],
                    returns="x", examples=[Example((1,), 1)], citation="none")
    assert udfs.wrapper_source(spec) == "def ONE_ARG_DEMO(x):\n    return _dispatch(_SPECS['ONE_ARG_DEMO'], (x,))\n"


def test_a_spec_added_in_a_functions_module_appears_in_the_host_module(monkeypatch):
    extra = types.ModuleType("megabackdoor_test_functions_extra")
    extra.FUNCTIONS = [Function("DOUBLE_IT", engine=lambda x, y=2: x * y, description="Twice x.",
                                args=[Arg("x", "A number."), Arg("y", "Factor.", default=2)], returns="x*y",
                                examples=[Example((3,), 6)], citation="arithmetic")]
    monkeypatch.setitem(sys.modules, extra.__name__, extra)
    real = registry.topic_modules()
    monkeypatch.setattr(registry, "topic_modules", lambda: [*real, extra.__name__])
    monkeypatch.setattr(registry, "_FUNCTIONS", {})
    try:
        module = importlib.reload(udfs)
        assert "DOUBLE_IT" in module.__all__
        assert list(inspect.signature(module.DOUBLE_IT).parameters) == ["x", "y"]
        assert module.DOUBLE_IT([[3]], None) == 6
        assert module.DOUBLE_IT([[1], [2]], [[10]]) == [[10], [20]]
    finally:
        monkeypatch.undo()
        importlib.reload(udfs)
    assert "DOUBLE_IT" not in udfs.__all__


class _JsException(Exception):
    """Stands in for Pyodide's JsException around Excel's CustomFunctions.Error (an error cell on Wasm)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"Error: {code}")
        self.js_error = types.SimpleNamespace(code=code)


@pytest.mark.parametrize("args, expected", [
    # no error cell anywhere: the same arguments, not rebuilt
    (([[2026], [2027]], [[35]], [[24500.0, 0], ["", None]], [[True]], None), None),
    (([[1.5]], "text", 3, None), None),
    # an error cell in a range, alone, as a scalar, or under a deeper list: its code, the rest unchanged
    (([[2026], [_JsException("#N/A")]], [[35]]), ([[2026], ["#N/A"]], [[35]])),
    (([[_JsException("#DIV/0!")]],), ([["#DIV/0!"]],)),
    ((_JsException("#NUM!"), [[1.0]]), ("#NUM!", [[1.0]])),
    (([[[1.0, _JsException("#REF!")]]],), ([[[1.0, "#REF!"]]],)),
    (([1.0, _JsException("#N/A")], ["ab"]), ([1.0, "#N/A"], ["ab"])),   # a flat list (not a 2-D range)
    (([[{"type": "Error"}]],), ([[{"type": "Error"}]],)),   # another cell type: the careful pass, left as it is
])
def test_wasm_error_cells_become_their_codes(args, expected):
    got = udfs._plain_error_cells(args)
    if expected is None:
        assert got is args
    else:
        assert got == expected


@pytest.mark.parametrize("column", [
    [[24500], [20000.0], [0]],                              # plain numbers: the column path
    [[24500], [_JsException("#N/A")], [0]],                 # an error cell: the error-cell pass, then per cell
    [[24500], [""], [True]],                                # a blank and a bool: the general path
])
def test_wasm_column_calls_give_the_general_paths_cells(monkeypatch, column):
    """On Wasm an array call of plain numbers goes straight to the column path (no error-cell pass); any other
    array takes the error-cell pass and the general path: each position as the general path gives it."""
    spec = SPECS["MEGA_HEADROOM"]
    args = ([[2026], [2026], [2025]], [[35]], column, [[9000]], None, None, None)
    plain = tuple(udfs._plain_error_cells(args))
    saved, spec._column_plan = spec._column_plan, False
    try:
        want = registry.call(spec, plain)
    finally:
        spec._column_plan = saved
    monkeypatch.setattr(udfs, "WASM", True)
    assert udfs.MEGA_HEADROOM(*args) == want
    if column[1] == [20000.0]:   # $72,000 - deferral - $9,000 in 2026, $70,000 - $0 - $9,000 in 2025
        assert want == [[38500.0], [43000.0], [61000.0]]
    elif column[1] == [""]:
        assert want[0] == [38500.0] and want[1][0].startswith("#VALUE! deferral") and want[2][0].startswith("#VALUE!")
    else:
        assert want[1] == ["#N/A (deferral is an error cell)"]


@pytest.mark.parametrize("args, expected", [
    (([[2026]], [[35]], [[24500]], [[9000]], None, None, None), 38500.0),        # the usual cell: no error-cell pass
    (([[2026]], [[35]], [[24500]], [[9000]], [[200000]], [[10]], None), "#NUM! plan_cap: got 10"),
    (([[2026]], [[35]], [[_JsException("#N/A")]], [[9000]], None, None, None), "#N/A"),   # an error cell
])
def test_wasm_one_cell_calls_give_the_general_paths_cell(monkeypatch, args, expected):
    want = udfs.MEGA_HEADROOM(*udfs._plain_error_cells(args))
    monkeypatch.setattr(udfs, "WASM", True)
    got = udfs.MEGA_HEADROOM(*args)
    assert got == want and (got == expected or got.startswith(expected))
