"""Fuzz tier, worksheet functions: every function x each argument x hostile cells, through xlwings'
Office.js dispatcher (``custom_functions_call`` in tests/officejs_host.py, as Excel's JavaScript calls it),
plus hypothesis-drawn combinations (derandomized under the ``ci`` profile).

Properties: the worked example gives a value; with hostile cells a call returns a finite value (or a spill of
finite values and messages) or an error whose message names one of the function's arguments (or an item or
part of one: ``hce_ratios[1]``, ``match rate``), never the "please report it" catch-all. The command line and
files are fuzzed in tests/test_fuzz.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _fuzz import all_hold, finite
from _seeds import scaled
from _tiers import need
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from megabackdoor.excel import registry

pytestmark = pytest.mark.slow  # thousands of calls through a host process
HERE = Path(__file__).resolve().parent
COUNTS: dict[str, int] = {}


SPECS = registry.functions()
# Cells as Office.js sends them: numbers at the edges, text, booleans, blanks, error objects, 2-D ranges.
DIV0 = {"type": "Error", "basicType": "Error", "basicValue": "#DIV/0!", "errorType": "Div0"}
CELLS = [1e308, -1e308, 1e-308, 5e-324, 1e26, 1e15, -1, 0, 0.5, 1e-14, -1e-14, 2026, 46096, 60, 2958466, True,
         False, "", "x", "2026-01-02xyz", "2026-W03-4", "1e308", "#N/A", None, DIV0, [[1e308, 0], [-1, "x"]]]


def _matrix(value) -> list:
    return value if isinstance(value, list) else [[value]]


def _as_excel(value):
    """A Python example argument as Office.js sends it: a date as its serial, tuples as lists."""
    import datetime as dt

    if isinstance(value, dt.date):
        return value.toordinal() - dt.date(1899, 12, 30).toordinal()
    if isinstance(value, (list, tuple)):
        return [_as_excel(v) for v in value]
    return value


def _base_args(spec) -> list:
    return list(spec.examples[0].args) + [None] * (len(spec.args) - len(spec.examples[0].args))


class OfficeJs:
    """One Office.js host process (tests/officejs_host.py): Excel's payloads in, custom_functions_call out."""

    def __init__(self) -> None:
        environment = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
        self.process = subprocess.Popen([sys.executable, str(HERE / "officejs_host.py")], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=environment)

    def call(self, name: str, args: list) -> dict:
        sys.path.insert(0, str(HERE))
        from officejs_host import payload

        request = payload(name, [None if a is None else _matrix(_as_excel(a)) for a in args])
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        COUNTS["worksheet"] = COUNTS.get("worksheet", 0) + 1
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def officejs():
    probe = subprocess.run([sys.executable, "-c", "import xlwings.server"], capture_output=True,
                           env={**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"})
    need(probe.returncode == 0, "xlwings.server (xlwings' Office.js dispatcher) does not import; uv sync")
    host = OfficeJs()
    yield host
    host.close()


def check_cell(host: OfficeJs, spec, args: list) -> None:
    answer = host.call(spec.name, args)
    shown = f"={spec.name}({args!r}) -> {answer!r}"
    if "error" in answer:
        assert answer["error"] == "XlwingsError", shown
        message = answer["message"]
        assert "please report it" not in message, shown
        code, _, text = message.partition(" ")
        assert code in ("#VALUE!", "#NUM!", "#N/A"), shown
        named = text.split(":", 1)[0]
        # The argument, or an item or part of it: "hce_ratios[1]", "match rate".
        assert {named, named.split("[")[0], named.split(" ")[0]} & {a.name for a in spec.args} or \
            named == "arguments", shown
        return
    assert finite(answer["result"]), shown
    for cell in _flat(answer["result"]):
        assert not (isinstance(cell, str) and "please report it" in cell), shown


def _flat(value) -> list:
    if isinstance(value, list):
        return [cell for item in value for cell in _flat(item)]
    return [value]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_argument_of_every_function_with_hostile_cells(officejs, name):
    spec = SPECS[name]
    base = _base_args(spec)
    assert "result" in officejs.call(spec.name, base), f"the worked example of {name} must give a value"
    cases = [base]
    for index in range(len(spec.args)):
        for cell in CELLS:
            args = list(base)
            args[index] = cell
            cases.append(args)
    all_hold(lambda args: check_cell(officejs, spec, args), cases)


@settings(max_examples=scaled(300), suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                            HealthCheck.too_slow])
@given(st.data())
def test_drawn_hostile_cells(officejs, data):
    spec = SPECS[data.draw(st.sampled_from(sorted(SPECS)))]
    args = _base_args(spec)
    for index in data.draw(st.lists(st.integers(0, len(spec.args) - 1), min_size=1, max_size=3)):
        args[index] = data.draw(st.one_of(st.sampled_from(CELLS), st.floats(allow_nan=False,
                                                                             allow_infinity=False)))
    check_cell(officejs, spec, args)


def test_counts():
    """Run last (``pytest -s -n0``): how many calls this file made."""
    print("\nfuzz calls tried:", COUNTS)
