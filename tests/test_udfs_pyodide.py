"""Pyodide tier: our built wheel and xlwings' pure wheel load in Pyodide under Node (npm ``pyodide``, as in
xlwings Lite) and worksheet calls dispatch through ``xlwings.server.custom_functions_call``.

Needs: node and npm (the first run does ``npm ci`` in tests/pyodide; ``.ci/run`` does it too), uv (to build
our wheel) and xlwings' pure ``py3-none-any`` wheel of the installed version (taken from tests/pyodide/wheels/
or downloaded there with ``uv tool run pip download``).
Lite itself and its CDN packages are not covered; see udf_docs/index.md.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from _tiers import need, need_node_packages, need_tool

from megabackdoor.excel import registry

HERE = Path(__file__).parent
PYODIDE_DIR = HERE / "pyodide"
WHEELS = PYODIDE_DIR / "wheels"
ROOT = HERE.parent


def _payload(func_name, args, runtime="1.4"):
    return {"client": "Office.js", "func_name": func_name, "args": args, "caller_address": "[Plan.xlsx]Sheet1!B2",
            "session_id": "pyodide", "culture_info_name": "en-US", "date_format": "M/d/yyyy",
            "version": version("xlwings"), "runtime": runtime}


CALLS = {
    "scalar": _payload("MEGA_HEADROOM", [[[2026]], [[35]], [[24500]], [[9000]], None, None, None]),
    "array": _payload("CATCHUP_LIMIT", [[[2024], [2025], [2026], [""]], [[61]]]),
    "bad_scalar": _payload("MEGA_HEADROOM", [[[2026]], [[35]], [[24500]], [[9000]], [[200000]], [[10]], None]),
    "error_cell": _payload("CATCHUP_LIMIT", [[[{"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}]],
                                             [[55]]]),
    "table": _payload("IRS_LIMIT", [[["roth_ira_phaseout"]], [[2026]], None]),
    "flags": _payload("MEGA_PATH", [[[True]], [[False]], [[True]]]),
    # A column of plain numbers (registry.column_call, no error-cell pass) and one with a blank and text in it.
    "column": _payload("MEGA_HEADROOM", [[[2026], [2026], [2025]], [[35]], [[24500], [20000.5], [0]], [[9000]],
                                         None, None, None]),
    "column_odd": _payload("MEGA_HEADROOM", [[[2026], [2026], [2025]], [[35]], [[24500], [""], ["x"]], [[9000]],
                                             None, None, None]),
}


def _excel_value(value):
    if isinstance(value, dt.date):
        return (value - dt.date(1899, 12, 30)).days
    return value


# Every registry example, as Excel would send it: proof that each engine imports and runs under Pyodide.
EXAMPLES = [(spec, example) for spec in registry.functions().values() for example in spec.examples]
for _index, (_spec, _example) in enumerate(EXAMPLES):
    _args = [None if v is None else v if isinstance(v, list) else [[_excel_value(v)]] for v in _example.args]
    CALLS[f"example {_index}"] = _payload(_spec.name, _args + [None] * (len(_spec.args) - len(_args)))


def _xlwings_wheel() -> Path:
    wanted = f"xlwings-{version('xlwings')}-py3-none-any.whl"
    if not (WHEELS / wanted).exists():
        WHEELS.mkdir(parents=True, exist_ok=True)
        download = ["download", f"xlwings=={version('xlwings')}", "--no-deps", "--only-binary=:all:",
                    "--platform", "any", "--python-version", "3.12", "-d", str(WHEELS), "-q"]
        # The project venv has no pip: run pip as a uv tool, else a python3 that has pip.
        uv = shutil.which("uv")
        attempts = ([[uv, "tool", "run", "pip", *download]] if uv else []) + [
            [python, "-m", "pip", *download] for python in {sys.executable, shutil.which("python3") or ""} if python]
        for command in attempts:
            subprocess.run(command, capture_output=True, text=True)
            if (WHEELS / wanted).exists():
                break
    need((WHEELS / wanted).exists(), f"{wanted} not in {WHEELS} and pip download failed (PyPI unreachable?)")
    return WHEELS / wanted


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory):
    node = need_tool("node", "install Node.js 18+")
    need_node_packages(PYODIDE_DIR, "pyodide")  # runs `npm ci` there the first time
    uv = need_tool("uv", "pip install uv")
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([uv, "build", "--wheel", "--out-dir", str(out), str(ROOT)], capture_output=True,
                           text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    ours = next(out.glob("megabackdoor-*-py3-none-any.whl"))
    payloads = out / "payloads.json"
    payloads.write_text(json.dumps(list(CALLS.values())))
    run = subprocess.run([node, str(PYODIDE_DIR / "run.mjs"), str(ours), str(_xlwings_wheel()), str(payloads)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    document = json.loads(run.stdout.strip().splitlines()[-1])
    return document["info"], dict(zip(CALLS, document["answers"], strict=True))


def test_wheel_imports_under_pyodide_with_office_js_decorators(pyodide_run):
    info, _ = pyodide_run
    assert info["host"] == "officejs"
    assert "MEGA_HEADROOM" in info["functions"] and "IRS_LIMIT" in info["functions"]


def test_scalar_call(pyodide_run):
    assert pyodide_run[1]["scalar"] == {"result": [[38500]]}


def test_array_call_fills_a_column_and_leaves_blank_rows_blank(pyodide_run):
    assert pyodide_run[1]["array"] == {"result": [[7500], [11250], [11250], [""]]}


def test_array_calls_give_the_native_cells(pyodide_run):
    """A spill of plain numbers (the column path) and one with odd cells (the general path): each cell as the
    registry gives it natively."""
    spec = registry.get("MEGA_HEADROOM")
    assert pyodide_run[1]["column"] == {"result": [[38500.0], [42999.5], [61000.0]]}
    for name in ("column", "column_odd"):
        assert pyodide_run[1][name] == {"result": registry.call(spec, CALLS[name]["args"])}, name
    assert pyodide_run[1]["column_odd"]["result"][1][0].startswith("#VALUE! deferral: got a blank cell")


def test_bad_input_message(pyodide_run):
    assert pyodide_run[1]["bad_scalar"] == {
        "error": "XlwingsError",
        "message": "#NUM! plan_cap: got 10; expected a decimal fraction from 0 to 1 (10 looks like a percent: "
                   "pass 0.10 for 10%)"}


def test_error_cell_propagates(pyodide_run):
    assert pyodide_run[1]["error_cell"] == {"result": [[{"type": "Error", "errorType": "NotAvailable"}]]}


def test_table_and_flags(pyodide_run):
    assert pyodide_run[1]["table"]["result"][1] == ["single", 153000, 168000]
    assert pyodide_run[1]["flags"] == {"result": [["in_service_rollover_to_roth_ira"]]}


def test_every_registry_example_runs_under_pyodide(pyodide_run):
    for index, (spec, example) in enumerate(EXAMPLES):
        answer = pyodide_run[1][f"example {index}"]
        if example.error:
            assert answer["error"] == "XlwingsError", (spec.name, example, answer)
            assert answer["message"].startswith(example.error + " "), (spec.name, answer)
        elif isinstance(example.result, list):
            assert answer == {"result": example.result}, (spec.name, example, answer)
        elif isinstance(example.result, dt.date):
            serial = (example.result - dt.date(1899, 12, 30)).days
            assert answer == {"result": [[{"type": "FormattedNumber", "basicValue": serial,
                                           "numberFormat": "M/d/yyyy"}]]}, (spec.name, answer)
        else:
            assert example.holds(answer["result"][0][0]), (spec.name, example, answer)
