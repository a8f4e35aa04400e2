"""Classic xlwings registration driver for tests/test_udfs_classic.py (run as a separate process).

Classic xlwings needs pywin32 and Excel, so on Linux its registration step is all that can run: pywin32 is
stubbed, xlwings' classic decorators (``xlwings.udfs.xlfunc/xlarg/xlret``) are bound to ``xw.func/arg/ret``
as xlwings does on Windows, ``megabackdoor.udfs`` is imported, and ``generate_vba_wrapper`` writes the VBA
module that *Import Functions* would put in the workbook. Prints JSON: the VBA text, each function's
``__xlfunc__`` (name, args, docs, category) and a few direct calls (classic returns message text).
Nothing happens at import (pytest's doctest collection imports every module under tests/).
"""

from __future__ import annotations

import sys


def stub_pywin32() -> None:
    import types

    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *args, **kwargs: None
    win32com.client = client
    sys.modules.update({"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com,
                        "win32com.client": client})


class FakeWorkbook:
    Name = "Plan.xlsm"


def main() -> int:
    import io
    import json

    assert "xlwings" not in sys.modules
    stub_pywin32()
    import xlwings as xw
    import xlwings.udfs as classic

    xw.func, xw.arg, xw.ret = classic.xlfunc, classic.xlarg, classic.xlret
    import megabackdoor.udfs as udfs

    vba = io.StringIO()
    classic.generate_vba_wrapper("megabackdoor.udfs", udfs, vba, FakeWorkbook())
    functions = {}
    for name in udfs.__all__:
        info = getattr(udfs, name).__xlfunc__
        functions[name] = {
            "name": info["name"], "doc": info["ret"]["doc"], "category": info["category"],
            "args": [{"name": a["name"], "doc": a["doc"], "optional": "optional" in a,
                      "default": a.get("optional"), "options": {k: v for k, v in a["options"].items()
                                                                if k != "convert"}}
                     for a in info["args"]],
        }
    calls = {
        "ok": udfs.MEGA_HEADROOM([[2026]], [[35]], [[24500]], [[9000]], None, None, None),
        "percent": udfs.MEGA_HEADROOM([[2026]], [[35]], [[24500]], [[9000]], [[200000]], [[10]], None),
        "error_cell": udfs.CATCHUP_LIMIT([["#N/A"]], [[55]]),
    }
    json.dump({"host": udfs.HOST, "vba": vba.getvalue(), "functions": functions, "calls": calls}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
