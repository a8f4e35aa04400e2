"""The real-browser tier's driver: xlwings Server + headless Chromium, run in the tier's own environment.

Runs in the environment tests/test_udfs_jspath.py builds (xlwings-server, playwright and this project, never
project dependencies: xlwings Server is PolyForm Noncommercial, used only for this open-source project's
tests). ``python driver.py WORKDIR MODES`` starts, on 127.0.0.1 and once per run, each of the comma-separated MODES:

* ``server``: xlwings Server (``XLWINGS_PROJECT_DIR=WORKDIR/proj``; ``custom_functions`` is
  ``from megabackdoor.udfs import *``), Python on the server;
* ``wasm``: xlwings Server in Wasm mode (``WORKDIR/proj-wasm``): the same page runs Pyodide in the browser and
  micropip installs the wheels in ``WORKDIR/proj-wasm/static/wheels`` (this project's, xlwings', openpyxl's),
  the nearest thing to xlwings Lite that runs here. Pyodide's files come from tests/pyodide/node_modules;
* ``typed``: like ``server`` with ``MEGABACKDOOR_OFFICEJS_ERRORS=typed``.

Then it reads one JSON request per line on stdin and answers one JSON line on stdout:

* ``{"op": "invoke", "mode": "server", "profile": "m365", "calls": [{"name", "params", "flags"}]}`` ->
  ``{"results": [[id, ok, value, errorCode?], ...], "pageerrors": [...]}``: each call is the invocation
  message Excel sends (``params`` = the parameter values, each a 2-D matrix or null; ``flags`` 4 = error
  values present, 8 = rich values), and each result is what Microsoft's CustomFunctionProxy sends back to Excel;
* ``{"op": "meta", "mode": "server"}`` -> ``{"meta": <custom-functions-meta.json>, "ids": [associated ids]}``;
* ``{"op": "eval", "mode", "profile", "expression", "argument"}`` -> ``{"results": ...}``: a page function
  called with the argument (the bench, the Wasm checks).

Page: the real ``/taskpane.html`` with all of xlwings Server's JavaScript. ``office.js`` is replaced by a
loader of Microsoft's ``custom-functions-runtime.js`` (shipped in the xlwings-server wheel, patched in memory
only to expose its CustomFunctionProxy as ``window.__cfProxy``) and ``excel_host_stub.js``, the stubbed Excel
host. Every request that is not to 127.0.0.1 is aborted.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
PYODIDE_DIR = HERE.parent / "pyodide" / "node_modules" / "pyodide"
PYODIDE_PREFIX = "/__pyodide/v0.27.5/full/"   # the version xlwings Server's base.html asks for; npm's is served
RUNTIME_HOOK = ("t.customFunctionProxy=new F,", "t.customFunctionProxy=new F,window.__cfProxy=t.customFunctionProxy,")
BENIGN_PAGE_ERRORS = ("richApiMessageManager",)   # Microsoft's CustomFunctions.initialize() without a host bridge

FULL = {"CustomFunctionsRuntime": "1.4", "ExcelApi": "1.12", "CustomFunctions": "1.7"}
PROFILES = {
    "m365": {"sets": FULL, "culture": "en-US", "datePattern": "M/d/yyyy"},
    "de": {"sets": FULL, "culture": "de-DE", "datePattern": "dd.MM.yyyy"},
    # Some German builds hand over the pattern in German letters (xlwings maps it: TT.MM.JJJJ -> dd.mm.yyyy).
    "de-local": {"sets": FULL, "culture": "de-DE", "datePattern": "TT.MM.JJJJ"},
    "api111": {"sets": {**FULL, "ExcelApi": "1.11"}, "culture": "en-US", "datePattern": "M/d/yyyy"},
    "rt13": {"sets": {**FULL, "CustomFunctionsRuntime": "1.3"}, "culture": "en-US", "datePattern": "M/d/yyyy"},
    "rt11": {"sets": {"CustomFunctionsRuntime": "1.1", "ExcelApi": "1.8"}, "culture": "en-US",
             "datePattern": "M/d/yyyy"},
}


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, mode: str, project: Path, extra_env: dict[str, str], port: int) -> None:
        self.mode = mode
        self.port = port
        self.origin = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "XLWINGS_PROJECT_DIR": str(project), "XLWINGS_LICENSE_KEY": "noncommercial",
               "XLWINGS_ENABLE_SOCKETIO": "false", "DOTENV_PATH": "/dev/null", "XLWINGS_ENVIRONMENT": "prod",
               "XLWINGS_ENABLE_WASM": "false", **extra_env}
        env.pop("XLWINGS_ON_SERVER", None)
        self.log = open(project.parent / f"{mode}-server.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "xlwings_server.main:main_app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            env=env, cwd=project, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.mode} server exited: " + Path(self.log.name).read_text()[-3000:])
            try:
                with urllib.request.urlopen(self.origin + "/xlwings/custom-functions-meta.json", timeout=5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.mode} server did not answer in {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Driver:
    def __init__(self, workdir: Path, modes: list[str]) -> None:
        self.workdir = workdir
        self.servers: dict[str, Server] = {}
        self.pages: dict[tuple[str, str], object] = {}
        self.loading: dict[tuple[str, str], object] = {}
        self.errors: dict[tuple[str, str], list[str]] = {}
        for mode in modes:
            project = workdir / ("proj-wasm" if mode == "wasm" else "proj")
            port = free_port()
            extra = {}
            if mode == "typed":
                extra["MEGABACKDOOR_OFFICEJS_ERRORS"] = "typed"
            if mode == "wasm":
                # base.html loads <pyodide_base_url>/v0.27.5/full/pyodide.js: served by the route below
                extra.update(XLWINGS_ENABLE_WASM="true", XLWINGS_PYODIDE_BASE_URL=f"http://127.0.0.1:{port}/__pyodide/")
            self.servers[mode] = Server(mode, project, extra, port)
        self.lock = self._pyodide_lock()
        self.stub = (HERE / "excel_host_stub.js").read_text()
        from playwright.sync_api import sync_playwright  # here: pytest's doctest collection imports this file

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(
            executable_path=os.environ.get("JSPATH_CHROMIUM", "/usr/bin/chromium"), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for server in self.servers.values():
            server.wait()
        # Pages load in parallel from here: each mode's default Excel build, and every build on the server.
        for mode in self.servers:
            self.open(mode, "m365")
        if "server" in self.servers:
            for profile in PROFILES:
                self.open("server", profile)

    def _pyodide_lock(self) -> bytes:
        lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text())
        micropip = self.workdir / "micropip.whl"
        if micropip.exists():
            import hashlib
            lock["packages"]["micropip"]["sha256"] = hashlib.sha256(micropip.read_bytes()).hexdigest()
        return json.dumps(lock).encode()

    # -- routing: loopback only; office.js -> Microsoft's runtime + the host stub; Pyodide from npm

    def _route(self, route, request) -> None:
        url = urlparse(request.url)
        if url.hostname != "127.0.0.1":
            route.abort()
            return
        path = url.path
        if path.endswith("/dist/office.js"):
            base = path.rpartition("/")[0]
            loader = (f'document.write(\'<script src="{base}/custom-functions-runtime.js"></script>'
                      '<script src="/__jspath/excel_host_stub.js"></script>\');')
            route.fulfill(body=loader, content_type="application/javascript")
        elif path.endswith("/dist/custom-functions-runtime.js"):
            body = route.fetch().text()
            assert RUNTIME_HOOK[0] in body, "Microsoft's runtime changed: the proxy hook no longer applies"
            route.fulfill(body=body.replace(RUNTIME_HOOK[0], RUNTIME_HOOK[1], 1),
                          content_type="application/javascript")
        elif path == "/__jspath/excel_host_stub.js":
            route.fulfill(body=self.stub, content_type="application/javascript")
        elif path.startswith(PYODIDE_PREFIX):
            name = path[len(PYODIDE_PREFIX):]
            if name == "pyodide-lock.json":
                route.fulfill(body=self.lock, content_type="application/json")
                return
            file = self.workdir / "micropip.whl" if name.startswith("micropip-") else PYODIDE_DIR / name
            if "/" in name or not file.is_file():
                route.fulfill(status=404, body="not served here")
                return
            types = {".wasm": "application/wasm", ".js": "application/javascript", ".mjs": "application/javascript",
                     ".json": "application/json"}
            route.fulfill(body=file.read_bytes(), content_type=types.get(file.suffix, "application/octet-stream"))
        else:
            route.continue_()

    def open(self, mode: str, profile: str):
        """Start loading a page for (mode, profile) without waiting for it (pages load in parallel)."""
        key = (mode, profile)
        if key in self.pages or key in self.loading:
            return
        context = self.browser.new_context()
        context.add_init_script(f"window.__excelProfile = {json.dumps(PROFILES[profile])};")
        context.route("**/*", self._route)
        page = context.new_page()
        errors = self.errors.setdefault(key, [])
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(self.servers[mode].origin + "/taskpane.html", wait_until="commit")
        self.loading[key] = page

    def page(self, mode: str, profile: str):
        key = (mode, profile)
        if key in self.pages:
            return self.pages[key]
        self.open(mode, profile)
        page = self.loading.pop(key)
        expected = sorted(self._meta(mode)["ids"])
        page.wait_for_function("window.__excel && window.__excel.ready() && window.__excel.ids().length >= "
                               f"{len(expected)}", timeout=120_000)
        if mode == "wasm":
            page.wait_for_function("typeof globalThis.wasmCustomFunctionsCall === 'function'", timeout=240_000)
        ids = sorted(page.evaluate("window.__excel.ids()"))
        assert ids == expected, (ids, expected)
        self.pages[key] = page
        return page

    def _meta(self, mode: str) -> dict:
        with urllib.request.urlopen(self.servers[mode].origin + "/xlwings/custom-functions-meta.json") as answer:
            meta = json.load(answer)
        return {"meta": meta, "ids": [function["id"] for function in meta["functions"]]}

    def handle(self, request: dict) -> dict:
        op = request["op"]
        mode = request.get("mode", "server")
        if op == "meta":
            answer = self._meta(mode)
            answer["associated"] = sorted(self.page(mode, request.get("profile", "m365")).evaluate(
                "window.__excel.ids()"))
            return answer
        profile = request.get("profile", "m365")
        page = self.page(mode, profile)
        if op == "invoke":
            results = page.evaluate("calls => window.__excel.invoke(calls)", request["calls"])
        elif op == "eval":
            results = page.evaluate(request["expression"], request.get("argument"))
        else:
            raise ValueError(f"unknown op {op!r}")
        errors = [e for e in self.errors[(mode, profile)] if not any(b in e for b in BENIGN_PAGE_ERRORS)]
        self.errors[(mode, profile)].clear()
        return {"results": results, "pageerrors": errors}

    def close(self) -> None:
        try:
            self.browser.close()
            self.playwright.stop()
        finally:
            for server in self.servers.values():
                server.stop()


def main() -> int:
    driver = Driver(Path(sys.argv[1]), sys.argv[2].split(",") if len(sys.argv) > 2 else ["server"])
    sys.stdout.write(json.dumps({"ready": sorted(driver.servers)}) + "\n")
    sys.stdout.flush()
    try:
        for line in sys.stdin:
            try:
                answer = driver.handle(json.loads(line))
            except Exception as error:  # reported to the test, which shows it
                answer = {"error": f"{type(error).__name__}: {error}"}
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
    finally:
        driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
