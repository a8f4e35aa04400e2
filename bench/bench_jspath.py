"""Issue 15: the per-call cost of a worksheet function through Excel's real JavaScript path.

Headless Chromium runs xlwings Server's task pane and JavaScript with Microsoft's custom-functions runtime
(tests/jspath/, the real-browser test tier; it builds its own environment once in tests/jspath/.cache/). In
the same page, MEGA_HEADROOM is timed against BENCH_TRIVIAL, a function with the same signature and xlwings
options that returns its deferral argument (the same shape and value type), each call being the invocation
message Excel sends, through Microsoft's proxy, xlwings' JavaScript, HTTP and Python, and back: one cell and a
1,000-row spill (target: at most 10% more time per call), on xlwings Server and in its Wasm mode (Pyodide in
the page, the nearest thing to xlwings Lite).

Microsoft's proxy batches results for 50 ms before sending them to Excel; that delay is set to 0 here so the
figures are the path's own cost (real Excel adds the 50 ms to both). Needs Chromium and PyPI once; otherwise
the rows are reported as not measured.
"""

from __future__ import annotations

import atexit
import sys
import tempfile
from pathlib import Path

from _harness import Comparison, Measurement

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "jspath"))
import tier  # noqa: E402

ROWS = 1000
MODES = {"server": "Chromium, xlwings Server", "wasm": "Chromium, Pyodide in the page (Lite-like)"}
TRIVIAL = '''

import xlwings as _xw


@_xw.func(category="bench")
@_xw.arg("year", ndim=2, err_to_str=True, doc="year")
@_xw.arg("age", ndim=2, err_to_str=True, doc="age")
@_xw.arg("deferral", ndim=2, err_to_str=True, doc="deferral")
@_xw.arg("employer", ndim=2, err_to_str=True, doc="employer")
@_xw.arg("compensation", ndim=2, err_to_str=True, doc="compensation")
@_xw.arg("plan_cap", ndim=2, err_to_str=True, doc="plan_cap")
@_xw.arg("forfeitures", ndim=2, err_to_str=True, doc="forfeitures")
def BENCH_TRIVIAL(year, age, deferral, employer, compensation=None, plan_cap=None, forfeitures=None):
    """Returns its deferral argument."""
    return deferral
'''
NO_BATCH_DELAY = "() => { window.__excel.ready(); window.__cfProxy._setResultsDelayMillis = 0; return true; }"
_state: dict = {}


def _tier():
    if "tier" not in _state:
        try:
            _state["tier"] = tier.Tier(Path(tempfile.mkdtemp(prefix="bench-jspath-")), list(MODES), TRIVIAL)
        except tier.SetupError as error:
            _state["tier"] = None
            _state["why"] = str(error)
            return None
        atexit.register(_state["tier"].close)
        for mode in MODES:
            _state["tier"].ask({"op": "eval", "mode": mode, "expression": NO_BATCH_DELAY})
    return _state["tier"]


def _invoke(js, name: str, params: list, mode: str) -> object:
    (result,) = js.invoke([{"name": name, "params": params}], mode)
    assert result[1] is True, result
    return result[2]


def comparisons() -> list[Comparison]:
    js = _tier()
    if js is None:
        return []
    scalar = [[[2026]], [[35]], [[24500.0]], [[9000.0]], None, None, None]
    column = [[[2026 + i % 5] for i in range(ROWS)], [[35]], [[float(15000 + 5 * i)] for i in range(ROWS)],
              [[float(3000 + i)] for i in range(ROWS)], None, None, None]
    rows = []
    for mode, label in MODES.items():
        assert _invoke(js, "MEGA_HEADROOM", scalar, mode) == [[38500]]
        assert len(_invoke(js, "MEGA_HEADROOM", column, mode)) == ROWS
        assert len(_invoke(js, "BENCH_TRIVIAL", column, mode)) == ROWS
        for what, params in (("one cell", scalar), (f"{ROWS:,}-row spill", column)):
            rows.append(Comparison(
                f"JS path ({label}) MEGA_HEADROOM, {what}",
                lambda params=params, mode=mode: _invoke(js, "MEGA_HEADROOM", params, mode),
                lambda params=params, mode=mode: _invoke(js, "BENCH_TRIVIAL", params, mode),
                "trivial function, same page and arguments", max_ratio=1.10, rounds=9))
    return rows


def measurements() -> list[Measurement]:
    if _state.get("tier") is None and "why" in _state:
        return [Measurement("JS path bench", "not measured", _state["why"], None)]
    return []
