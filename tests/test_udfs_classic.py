"""Classic xlwings (Windows) registration, with pywin32 stubbed (tests/classic_host.py, a separate process).

What can be checked on Linux: xlwings' classic decorators accept every function, ``generate_vba_wrapper``
writes its VBA wrapper (plain positional parameters, ``Optional`` for the optional ones, no ``ParamArray``),
argument names fit Excel's 254-character budget, descriptions and argument help fit 255 characters (longer ones
would be cut by ``MacroOptions``), and a call returns readable text instead of raising (a raise would put the
traceback in the cell). The COM call path itself needs Windows and Excel.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from megabackdoor.excel import registry

DRIVER = Path(__file__).parent / "classic_host.py"
SPECS = registry.functions()


@pytest.fixture(scope="module")
def classic():
    run = subprocess.run([sys.executable, str(DRIVER)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_classic_decorators_bound(classic):
    assert classic["host"] == "classic"
    assert sorted(classic["functions"]) == sorted(SPECS)


@pytest.mark.parametrize("name", list(SPECS))
def test_vba_wrapper_signature_and_call(classic, name):
    spec = SPECS[name]
    params = ", ".join(f"Optional {a.name}" if a.optional else a.name for a in spec.args)
    names = ", ".join(a.name for a in spec.args)
    vba = classic["vba"]
    assert f"Function {name}({params})\n" in vba
    assert (f'{name} = XLPy.CallUDF("megabackdoor.udfs", "{name}", Array({names}), ThisWorkbook, '
            "Application.Caller)") in vba
    assert f"    {name} = Err.Description\nEnd Function" in vba


def test_no_paramarray_and_every_function_once(classic):
    vba = classic["vba"]
    assert "ParamArray" not in vba
    assert sorted(re.findall(r"^Function (\w+)\(", vba, flags=re.M)) == sorted(SPECS)


@pytest.mark.parametrize("name", list(SPECS))
def test_function_wizard_texts(classic, name):
    spec, info = SPECS[name], classic["functions"][name]
    assert info["name"] == name and info["category"] == "megabackdoor"
    assert info["doc"] == spec.description and len(info["doc"]) <= 255
    assert [a["name"] for a in info["args"]] == [a.name for a in spec.args]
    assert len(info["args"]) + sum(len(a["name"]) for a in info["args"]) <= 254
    for arg, declared in zip(info["args"], spec.args, strict=True):
        assert arg["doc"] == declared.help and len(arg["doc"]) <= 255
        assert arg["optional"] is declared.optional
        assert arg["default"] is None
        assert arg["options"] == {"ndim": 2, "err_to_str": True}


def test_classic_calls_return_text_not_tracebacks(classic):
    assert classic["calls"]["ok"] == 38500.0
    assert classic["calls"]["percent"] == ("#NUM! plan_cap: got 10; expected a decimal fraction from 0 to 1 (10 looks "
                                           "like a percent: pass 0.10 for 10%)")
    assert classic["calls"]["error_cell"] == "#N/A"
