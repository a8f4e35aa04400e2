"""Set up and talk to the real-browser tier (tests/test_udfs_jspath.py, bench/bench_jspath.py).

:func:`environment` builds, once and cached under tests/jspath/.cache/ (git-ignored), a separate environment
with ``uv venv`` + ``uv pip install``: this project (editable), xlwings (the locked version), xlwings-server and
playwright. None of them is a project dependency: xlwings Server is PolyForm Noncommercial, used here only for
this open-source project's tests. For the Wasm mode it also downloads the pure wheels micropip installs
(xlwings, openpyxl, et-xmlfile, defusedxml; micropip itself for Pyodide) and builds this project's wheel.

:class:`Tier` starts ``driver.py`` in that environment (xlwings Server(s) + headless Chromium, loopback only)
and sends it requests. The environment needs PyPI once; later runs reuse the cache.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = HERE / ".cache"
PYODIDE = HERE.parent / "pyodide" / "node_modules" / "pyodide"
XLWINGS_SERVER = "xlwings-server==1.20.0"   # pinned: its JavaScript changes between releases
PLAYWRIGHT = "playwright==1.65.2"
WASM_WHEELS = ("openpyxl==3.1.5", "et-xmlfile==2.0.0", "defusedxml==0.7.1")
MICROPIP = "micropip==0.11.1"                # the version in npm pyodide's lock file
CHROMIUM = "/usr/bin/chromium"


class SetupError(RuntimeError):
    """Something the tier needs is missing (the message says what)."""


def _run(command: list[str], what: str, **options) -> None:
    done = subprocess.run(command, capture_output=True, text=True, **options)
    if done.returncode:
        raise SetupError(f"{what} failed: {' '.join(command)}\n{done.stderr[-2000:]}")


def environment() -> Path:
    """The tier's Python (built on first use, then reused while the pins are unchanged)."""
    CACHE.mkdir(exist_ok=True)
    with open(CACHE / "build.lock", "w") as lock:
        try:
            import fcntl
            fcntl.flock(lock, fcntl.LOCK_EX)   # one build at a time (xdist workers, parallel runs)
        except ImportError:
            pass
        return _environment()


def _environment() -> Path:
    uv = shutil.which("uv")
    if uv is None:
        raise SetupError("uv not found; pip install uv")
    venv = CACHE / "venv"
    python = venv / "bin" / "python"
    pins = [f"xlwings=={version('xlwings')}", XLWINGS_SERVER, PLAYWRIGHT, "pip"]
    stamp = venv / "megabackdoor-pins.txt"
    if not (python.exists() and stamp.exists() and stamp.read_text() == "\n".join(pins)):
        shutil.rmtree(venv, ignore_errors=True)
        _run([uv, "venv", "-q", "--python", sys.executable, str(venv)], "uv venv")
        _run([uv, "pip", "install", "-q", "--python", str(python), "-e", str(ROOT), *pins], "uv pip install")
        _compile_imports(python, venv)
        stamp.write_text("\n".join(pins))
    return python


# What the driver and each xlwings Server import at start-up (tests/jspath/driver.py), imported once with bytecode
# writing on: Python writes each module's bytecode into the cached environment as it compiles it.
_IMPORTS = """
import sys
sys.dont_write_bytecode = False
import uvicorn.main, uvicorn.config, uvicorn.lifespan.on, uvicorn.loops.auto, uvicorn.protocols.http.auto
import uvicorn.protocols.websockets.auto
import xlwings, xlwings_server.main
from playwright.sync_api import sync_playwright
"""


def _compile_imports(python: Path, venv: Path) -> None:
    """Bytecode for the ~950 modules the driver and xlwings Server import, so that the four processes of a run do
    not each compile them from source (PYTHONDONTWRITEBYTECODE is set on CI). Not ``uv pip install
    --compile-bytecode``: that compiles all ~3,800 files of the environment (pandas' and numpy's own tests, pip),
    ~11 s of CPU on every clean clone. The warm-up's project is empty: this project's modules stay uncompiled,
    as the suite's own processes leave them."""
    project = venv / "warm-up"
    _project_package(project)
    (project / "custom_functions" / "__init__.py").write_text("")
    env = {**os.environ, "XLWINGS_PROJECT_DIR": str(project), "XLWINGS_LICENSE_KEY": "noncommercial",
           "XLWINGS_ENABLE_SOCKETIO": "false", "DOTENV_PATH": "/dev/null", "XLWINGS_ENVIRONMENT": "prod",
           "XLWINGS_ENABLE_WASM": "false"}
    env.pop("XLWINGS_ON_SERVER", None)
    try:
        _run([str(python), "-c", _IMPORTS], "compiling the tier environment's imports", env=env, cwd=project)
    finally:
        shutil.rmtree(project, ignore_errors=True)


def _wheel(into: Path, requirement: str) -> Path | None:
    name, _, wanted = requirement.partition("==")
    prefix = f"{name.replace('-', '_').lower()}-{wanted}-"
    return next((w for w in into.glob("*.whl") if w.name.lower().startswith(prefix)), None)


def _download(python: Path, requirements: list[str], into: Path, python_version: str) -> list[Path]:
    """Pure wheels of ``requirements`` (pinned), from ``into`` or one ``pip download`` for the missing ones."""
    missing = [r for r in requirements if _wheel(into, r) is None]
    if missing:
        _run([str(python), "-m", "pip", "download", "-q", *missing, "--no-deps", "--only-binary=:all:",
              "--platform", "any", "--python-version", python_version, "--implementation", "py", "-d", str(into)],
             "pip download " + " ".join(missing))
    found = [_wheel(into, r) for r in requirements]
    if None in found:
        raise SetupError(f"no pure wheel of {requirements[found.index(None)]}")
    return found  # type: ignore[return-value]


def wasm_project(python: Path, workdir: Path, extra_functions: str = "") -> None:
    """``workdir/proj-wasm``: xlwings Server's Wasm project with the wheels micropip installs from loopback."""
    if not (PYODIDE / "pyodide.js").exists():
        raise SetupError("npm pyodide missing: run `npm ci` in tests/pyodide")
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    project = workdir / "proj-wasm"
    served = project / "static" / "wheels"
    served.mkdir(parents=True, exist_ok=True)
    requirements = []
    for wheel in _download(python, [f"xlwings=={version('xlwings')}", *WASM_WHEELS], wheels, "3.12"):
        shutil.copy(wheel, served / wheel.name)
        requirements.append(f"/static/wheels/{wheel.name}")
    shutil.copy(_download(python, [MICROPIP], wheels, "3.14")[0], workdir / "micropip.whl")
    uv = shutil.which("uv") or "uv"
    _run([uv, "build", "-q", "--wheel", "--out-dir", str(served), str(ROOT)], "uv build --wheel")
    ours = sorted(served.glob("megabackdoor-*.whl"))[-1]
    requirements.append(f"/static/wheels/{ours.name}")
    _project_package(project, extra_functions)
    wasm = project / "wasm"
    wasm.mkdir(exist_ok=True)
    package = Path(subprocess.run([str(python), "-c", "import xlwings_server, os; print(os.path.dirname("
                                   "xlwings_server.__file__))"], capture_output=True, text=True).stdout.strip())
    for name in ("wasm_runtime.py", "config.py"):
        shutil.copy(package / "wasm" / name, wasm / name)
    (wasm / ".env").write_text("XLWINGS_LICENSE_KEY=noncommercial\n")
    (wasm / "requirements.txt").write_text("\n".join(requirements) + "\n")


def _project_package(project: Path, extra: str = "") -> None:
    for package, text in (("custom_functions", "from megabackdoor.udfs import *  # noqa: F401,F403\n" + extra),
                          ("custom_scripts", "")):
        (project / package).mkdir(parents=True, exist_ok=True)
        (project / package / "__init__.py").write_text(text)


class Tier:
    """The driver process: ``Tier(workdir, ["server", "wasm"])``; :meth:`ask` sends one request."""

    def __init__(self, workdir: Path, modes: list[str], extra_functions: str = "") -> None:
        """``extra_functions``: Python source appended to the server's ``custom_functions`` (the bench's
        trivial function)."""
        if not Path(CHROMIUM).exists():
            raise SetupError(f"{CHROMIUM} not found; apt-get install chromium")
        python = environment()
        _project_package(workdir / "proj", extra_functions)
        if "wasm" in modes:
            wasm_project(python, workdir, extra_functions)
        self.process = subprocess.Popen(
            [str(python), str(HERE / "driver.py"), str(workdir), ",".join(modes)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=open(workdir / "driver.log", "w"), text=True)  # noqa: SIM115
        self.workdir = workdir
        line = self.process.stdout.readline()
        if not line:
            raise SetupError("the driver did not start: " + (workdir / "driver.log").read_text()[-3000:])
        self.modes = json.loads(line)["ready"]

    def ask(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the driver died: " + (self.workdir / "driver.log").read_text()[-3000:])
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def invoke(self, calls: list[dict], mode: str = "server", profile: str = "m365") -> list[list]:
        answer = self.ask({"op": "invoke", "mode": mode, "profile": profile, "calls": calls})
        assert answer["pageerrors"] == [], answer["pageerrors"]
        return answer["results"]

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
