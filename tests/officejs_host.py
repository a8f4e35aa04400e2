"""Office.js host driver for tests/test_udfs_officejs.py and bench/bench_udfs.py (run as a separate process).

xlwings binds its Office.js decorators only when ``XLWINGS_ON_SERVER=true`` is set before its first import,
so this runs in its own process: ``python tests/officejs_host.py`` reads one JSON request per line on stdin
and answers one JSON line on stdout:

* ``{"meta": true}`` -> ``{"result": custom_functions_meta(megabackdoor.udfs)}``
* an Excel payload (``func_name``, ``args`` as 2-D matrices, ``runtime``...) -> ``{"result": ...}`` from
  ``await xlwings.server.custom_functions_call(payload, megabackdoor.udfs)``, or
  ``{"error": "XlwingsError", "message": ...}`` when the call raises (the host shows #VALUE! + message).

The xlwings.server code is xlwings' PolyForm-Noncommercial part: used here only by this open-source project's
tests (``XLWINGS_LICENSE_KEY=noncommercial``); the product never needs it at run time.
Nothing happens at import (pytest's doctest collection imports every module under tests/).
"""

from __future__ import annotations

import os
import sys


def payload(func_name: str, args: list, runtime: str = "1.4") -> dict:
    """The request body Excel's JavaScript sends (xlwings_server custom-functions-code.js, ``base()``)."""
    return {"client": "Office.js", "func_name": func_name, "args": args,
            "caller_address": "[Plan.xlsx]Sheet1!B2", "session_id": "test-session",
            "culture_info_name": "en-US", "date_format": "M/d/yyyy", "version": "0.37.8", "runtime": runtime}


def main() -> int:
    os.environ["XLWINGS_ON_SERVER"] = "true"          # before xlwings is first imported
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    assert "xlwings" not in sys.modules
    import asyncio
    import json

    import xlwings.server as server

    import megabackdoor.udfs as udfs

    assert udfs.HOST == "officejs", udfs.HOST
    loop = asyncio.new_event_loop()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request.get("meta"):
                answer = {"result": server.custom_functions_meta(udfs)}
            else:
                result = loop.run_until_complete(server.custom_functions_call(request, udfs))
                answer = {"result": result}
        except Exception as error:  # reported to the test, which asserts on type and message
            answer = {"error": type(error).__name__, "message": str(error)}
        sys.stdout.write(json.dumps(answer, default=str) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
