"""Recalculate generated workbooks with two independent engines and read back every cell value.

openpyxl writes formulas without cached results, so a generated workbook has no values until a spreadsheet
engine computes it. The tests prove a workbook equal to the Python engine by recalculating it with:

* **LibreOffice** headless (``libreoffice_values``): one soffice run converts many workbooks (start-up, ~1 s,
  is paid once per run), each run with a private profile that forces recalculation on load
  (``OOXMLRecalcMode=0``; LibreOffice 7.4 ignores ``fullCalcOnLoad`` and by default trusts cached values),
  ``$HOME`` pointed into the run's temp dir, soffice in its own process group that is killed on timeout, and
  every expected output checked to exist (soffice exits 0 when it could not load a file).
* **formulas** (``formulas_values``), the pure-Python engine, with ROUND and FLOOR computed as Excel and
  LibreOffice do (on the value cut to 15 significant digits; ``formulas`` 1.3.4 rounds the raw binary value
  and is a cent off at half-cent ties, 833.4949999999997 -> 833.49 where LibreOffice gives 833.5).

**One LibreOffice per test process.** With Python-UNO (Debian: ``apt-get install python3-uno``; a venv on
the same Python minor version imports it from /usr/lib/python3/dist-packages) every LibreOffice call of a
pytest process goes to one soffice started on first use (:func:`shared_session`, stopped at exit): ~0.1-0.4 s
a workbook instead of ~1 s of start-up per soffice run. Without UNO (or with ``MEGABACKDOOR_RECALC=batch``)
the same functions run one soffice per batch. Recalculate many workbooks in one call and compare many
cells per workbook rather than one workbook per assertion.

For new tests, the session-scoped pytest fixture ``libreoffice`` (tests/conftest.py) skips locally / fails on
CI without soffice and gives the session (or :class:`BatchLibreOffice`, the same interface without UNO)::

    def test_retirement_sheet(libreoffice, tmp_path):
        values = libreoffice.values([path])[path]                          # {sheet: {cell: value}}
        libreoffice.convert(path, tmp_path / "plan.pdf", "calc_pdf_Export")  # print to PDF
        libreoffice.convert(path, tmp_path / "out.xlsx")                   # recalculated copy

API (``tests/`` is on sys.path, so tests ``import recalc``)::

    values = libreoffice_values([a, b])      # {path: {sheet: {cell: value}}}: the session, or soffice batches
    values = libreoffice_cells([a, b])       # the same read from the document (~5x faster; dates as numbers)
    values = formulas_values(a)              # {sheet: {cell: value}}
    model = FormulasWorkbook(a)              # compile once, then model.values({("Inputs", "B9"): 250000})
    values = model.values_of(b)              # b: the same formulas, other constants (another case): no compile
    model = FormulasWorkbook(c, shared)      # shared = SharedCells(): an earlier layout's alike formulas reused
    error_cells(values)                      # {"Sheet!A1": "#NAME?", ...}: must be {} for a good workbook
    formula_cells(path)                      # {sheet: {cell: formula text}} of the workbook as written

Values come back as openpyxl reads them: int/float, str, bool; error values as their strings ("#N/A").
Empty cells (and formulas that return "") are left out. Needs LibreOffice for ``libreoffice_values``
(tests call ``_tiers.need_tool("soffice", ...)`` first) and the ``formulas`` dev dependency.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

# The private profile's registrymodifications.xcu: /org.openoffice.Office.Calc/Formula/Load (share/registry/
# main.xcd) set to 0 = always recalculate (1, the default, trusts cached results in the file; 2 = ask), as the
# --pdf printing does.
from megabackdoor.workbook.pdf import PROFILE_REGISTRY as _PROFILE_REGISTRY

Values = dict[str, dict[str, Any]]

ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "Err:502", "Err:504", "Err:508", "Err:522"})


class RecalcError(RuntimeError):
    """LibreOffice ran but produced no recalculated workbook (or timed out)."""


def soffice_path() -> str | None:
    """$SOFFICE, else soffice/libreoffice on PATH, else None."""
    return os.environ.get("SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def _run_soffice(inputs: list[Path], workdir: Path, timeout: float,
                 convert_to: str = "xlsx:Calc MS Excel 2007 XML") -> list[Path]:
    soffice = soffice_path()
    if soffice is None:
        raise RecalcError("soffice not found: apt-get install libreoffice-calc-nogui, or set $SOFFICE")
    profile = workdir / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_REGISTRY, encoding="utf-8")
    (profile / "home").mkdir()
    outdir = workdir / "out"
    outdir.mkdir()
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
               "--nologo", "--nodefault", "--norestore", "--nolockcheck",
               "--convert-to", convert_to, "--outdir", str(outdir), *map(str, inputs)]
    env = dict(os.environ, HOME=str(profile / "home"))  # soffice writes ~/.config and ~/.cache anyway
    # Own process group: /usr/bin/soffice is a script that starts oosplash, which starts soffice.bin.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                               start_new_session=True, text=True)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RecalcError(f"soffice timed out after {timeout:g} s on {len(inputs)} workbooks") from None
    outputs = [outdir / f"{path.stem}.{convert_to.split(':')[0]}" for path in inputs]
    missing = [str(path) for path, out in zip(inputs, outputs, strict=True) if not out.is_file()]
    if missing:
        raise RecalcError(f"LibreOffice wrote no output for {missing} (exit {process.returncode}): "
                          f"{stderr.strip()}")
    return outputs


def read_values(path: str | os.PathLike) -> Values:
    """Every non-empty cell's stored value ({sheet: {cell: value}}), as openpyxl reads it."""
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True, read_only=True)
    try:
        return {sheet.title: {cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row
                              if cell.value is not None and hasattr(cell, "coordinate")}
                for sheet in book.worksheets}
    finally:
        book.close()


def _libreoffice_batch(paths: list[Path], timeout: float) -> dict[Path, Values]:
    with tempfile.TemporaryDirectory(prefix="mb-recalc-") as temp:
        workdir = Path(temp)
        staged_dir = workdir / "in"
        staged_dir.mkdir()
        # Staged copies named 0000.xlsx...: outputs can neither clash nor overwrite an input.
        staged = []
        for index, path in enumerate(paths):
            if not path.is_file():
                raise FileNotFoundError(path)
            copy = staged_dir / f"{index:04d}.xlsx"
            shutil.copyfile(path, copy)
            staged.append(copy)
        outputs = _run_soffice(staged, workdir, timeout)
        return {path: read_values(out) for path, out in zip(paths, outputs, strict=True)}


def libreoffice_values(paths: list[str | os.PathLike], *, jobs: int = 1,
                       timeout: float = 600) -> dict[Path, Values]:
    """Recalculate workbooks with LibreOffice: ``{path: {sheet: {cell: value}}}`` keyed by ``Path(path)``.

    On this process's :func:`shared_session` when Python-UNO is available (one soffice for the whole test
    session); otherwise the paths are split into ``jobs`` batches, each converted by one soffice process with
    its own private profile (processes sharing a profile silently lose conversions). Inputs are not modified.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return {}
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(path)
    session = shared_session()
    if session is not None:
        return session.values(paths)
    jobs = max(1, min(jobs, len(paths)))
    batches = [paths[i::jobs] for i in range(jobs)]
    result: dict[Path, Values] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for part in pool.map(lambda batch: _libreoffice_batch(batch, timeout), batches):
            result.update(part)
    return {path: result[path] for path in paths}


def _import_uno():
    """Python-UNO, from the interpreter or Debian's python3-uno (built for /usr/bin/python3; a venv of the same
    minor version can import it from dist-packages); None when neither works.

    uno.py replaces ``builtins.__import__`` with a hook for ``from com.sun.star... import``, which breaks some
    packages' relative imports (tqdm under ``formulas``): the hook is removed again (this module uses
    ``uno.getClass``), and dist-packages is on sys.path only while uno is imported, so no other Debian package
    shadows a missing venv package (lxml would change what openpyxl writes)."""
    import builtins
    import sys

    if "uno" in sys.modules:
        return sys.modules["uno"]
    original_import = builtins.__import__
    added = [folder for folder in ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program")
             if Path(folder, "uno.py").is_file() and folder not in sys.path]
    sys.path.extend(added)
    try:
        import uno
    except ImportError:
        return None
    finally:
        builtins.__import__ = original_import
        for folder in added:
            sys.path.remove(folder)
    return uno


class LibreOfficeSession:
    """One running soffice driven over Python-UNO (``--accept`` on a private pipe): start-up (~1 s) is paid
    once, then each workbook costs a load, ``calculateAll()`` (a hard recalculation whatever the file caches)
    and a store. Documents are loaded ``Hidden`` (LibreOffice 7.4 headless aborts otherwise). A call that
    takes longer than ``timeout`` kills soffice; a call that finds soffice dead is retried once on a new one.
    Thread-safe (one call at a time); under xdist each worker process has its own session and profile.
    """

    def __init__(self, timeout: float = 120) -> None:
        import threading

        self.timeout = timeout
        self._lock = threading.RLock()
        self._process: subprocess.Popen | None = None
        self._desktop: Any = None
        self._temp: Path | None = None

    def start(self) -> LibreOfficeSession:
        import time
        import uuid

        uno = _import_uno()
        if uno is None:
            raise RecalcError("Python-UNO is not importable: apt-get install python3-uno")
        no_connection = uno.getClass("com.sun.star.connection.NoConnectException")
        soffice = soffice_path()
        if soffice is None:
            raise RecalcError("soffice not found: apt-get install libreoffice-calc-nogui, or set $SOFFICE")
        if self._temp is None:
            self._temp = Path(tempfile.mkdtemp(prefix="mb-lo-session-"))
        profile = Path(tempfile.mkdtemp(prefix="profile-", dir=self._temp))  # a fresh one after a crash
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_REGISTRY, encoding="utf-8")
        (profile / "home").mkdir()
        pipe = f"megabackdoor_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                   "--nologo", "--nodefault", "--norestore", "--nolockcheck",
                   f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         env=dict(os.environ, HOME=str(profile / "home")), start_new_session=True)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except no_connection:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self._stop()
                    raise RecalcError("could not start or connect to soffice: " + " ".join(command)) from None
                time.sleep(0.05)
        self._desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        return self

    def _kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _stop(self) -> None:
        if self._desktop is not None:
            try:
                self._desktop.terminate()
            except Exception:
                pass  # the bridge goes away while terminate() returns
            self._desktop = None
        if self._process is not None:
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._kill()
                self._process.wait()
            self._process = None

    def close(self) -> None:
        """Stop soffice and remove the session's profile and temp files."""
        with self._lock:
            self._stop()
            if self._temp is not None:
                shutil.rmtree(self._temp, ignore_errors=True)
                self._temp = None

    def __enter__(self) -> LibreOfficeSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _alive(self) -> bool:
        return self._desktop is not None and self._process is not None and self._process.poll() is None

    @staticmethod
    def _property(name: str, value: Any) -> Any:
        prop = _import_uno().getClass("com.sun.star.beans.PropertyValue")()
        prop.Name, prop.Value = name, value
        return prop

    def _with_document(self, path: str | os.PathLike, action: Any, recalculate: bool = True) -> Any:
        """Load ``path`` hidden and read-only, recalculate, return ``action(document)``; close it."""
        import threading

        uno = _import_uno()
        source = Path(path).resolve()
        if not source.is_file():
            raise FileNotFoundError(path)
        with self._lock:
            for attempt in (1, 2):
                if not self._alive():
                    self._stop()
                    self.start()
                watchdog = threading.Timer(self.timeout, self._kill)  # a hung call: kill soffice
                watchdog.start()
                try:
                    document = self._desktop.loadComponentFromURL(
                        uno.systemPathToFileUrl(str(source)), "_blank", 0,
                        (self._property("Hidden", True), self._property("ReadOnly", True)))
                    if document is None or not hasattr(document, "calculateAll"):
                        if document is not None:
                            document.close(True)
                        raise RecalcError(f"LibreOffice wrote no output for {path}: it could not load it as a "
                                          "spreadsheet")
                    try:
                        if recalculate:
                            document.calculateAll()
                        return action(document)
                    finally:
                        try:
                            document.close(True)
                        except Exception:
                            pass
                except RecalcError:
                    raise
                except Exception as error:
                    if self._alive():  # soffice is fine: the document is the problem
                        raise RecalcError(f"LibreOffice wrote no output for {path}: {error}") from error
                    self._stop()       # soffice crashed or the watchdog killed it: once more on a new one
                    if attempt == 2:
                        raise RecalcError(f"soffice died twice on {path}: {error}") from error
                finally:
                    watchdog.cancel()
        raise AssertionError("unreachable")

    def convert(self, path: str | os.PathLike, output: str | os.PathLike,
                filter_name: str = "Calc MS Excel 2007 XML", recalculate: bool = True) -> Path:
        """Load ``path`` (hidden, read-only), recalculate, store it at ``output`` with ``filter_name``
        (``"calc_pdf_Export"`` prints to PDF). The input is not modified."""
        uno = _import_uno()
        target = Path(output).resolve()
        self._with_document(path, lambda document: document.storeToURL(
            uno.systemPathToFileUrl(str(target)), (self._property("FilterName", filter_name),)), recalculate)
        return target

    def cells(self, paths: list[str | os.PathLike]) -> dict[Path, Values]:
        """Like :meth:`values`, read straight from the recalculated document (no xlsx round trip, ~5x
        faster): numbers come back as float (int when whole), text as str, errors as their text ("#N/A");
        dates stay serial numbers and booleans 1/0, so use :meth:`values` where those types matter."""
        return {Path(path): self._with_document(path, _document_cells) for path in paths}

    def values(self, paths: list[str | os.PathLike]) -> dict[Path, Values]:
        """``{Path(path): {sheet: {cell: value}}}``, as :func:`libreoffice_values` returns."""
        import uuid

        result: dict[Path, Values] = {}
        for path in map(Path, paths):
            if self._temp is None:
                self.start()
            output = self._temp / f"{uuid.uuid4().hex}.xlsx"
            try:
                self.convert(path, output)
                result[path] = read_values(output)
            finally:
                output.unlink(missing_ok=True)
        return result


def _document_cells(document: Any) -> Values:
    error_type = 4  # com.sun.star.sheet.FormulaResult.ERROR
    formula_cells = 16  # com.sun.star.sheet.CellFlags.FORMULA
    result: Values = {}
    for sheet in document.Sheets:
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.RangeAddress
        used = sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
        cells: dict[str, Any] = {}
        letters = [_column_letters(column) for column in range(end.EndColumn + 1)]
        for row_index, row in enumerate(used.getDataArray()):
            for column_index, value in enumerate(row):
                if value == "":
                    continue
                if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                    value = int(value)
                cells[f"{letters[column_index]}{row_index + 1}"] = value
        errors = used.queryFormulaCells(error_type) if used.queryContentCells(formula_cells).getCount() else None
        if errors is not None:
            for address in errors.getRangeAddresses():
                for row_index in range(address.StartRow, address.EndRow + 1):
                    for column_index in range(address.StartColumn, address.EndColumn + 1):
                        text = sheet.getCellByPosition(column_index, row_index).getString()
                        cells[f"{letters[column_index]}{row_index + 1}"] = text
        result[sheet.Name] = cells
    return result


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class BatchLibreOffice:
    """The session's interface without Python-UNO: one soffice run per call (~1 s of start-up each)."""

    def __init__(self, timeout: float = 600) -> None:
        self.timeout = timeout

    def values(self, paths: list[str | os.PathLike]) -> dict[Path, Values]:
        return libreoffice_values(paths, timeout=self.timeout)

    cells = values

    def convert(self, path: str | os.PathLike, output: str | os.PathLike,
                filter_name: str = "Calc MS Excel 2007 XML", recalculate: bool = True) -> Path:
        source, target = Path(path), Path(output)
        if not source.is_file():
            raise FileNotFoundError(path)
        with tempfile.TemporaryDirectory(prefix="mb-convert-") as temp:
            (Path(temp) / "in").mkdir()
            staged = Path(temp) / "in" / f"0000{source.suffix}"
            shutil.copyfile(source, staged)
            (result,) = _run_soffice([staged], Path(temp), self.timeout,
                                     convert_to=f"{target.suffix.lstrip('.')}:{filter_name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(result), target)
        return target


_SHARED: LibreOfficeSession | None = None


def shared_session() -> LibreOfficeSession | None:
    """This process's LibreOffice session, started on first use and stopped at exit (or by
    :func:`close_shared_session`); None when Python-UNO is not importable or ``MEGABACKDOOR_RECALC=batch``
    (then :func:`libreoffice_values` runs one soffice per batch instead)."""
    global _SHARED
    if _SHARED is None:
        if os.environ.get("MEGABACKDOOR_RECALC") == "batch" or soffice_path() is None or _import_uno() is None:
            return None
        import atexit

        _SHARED = LibreOfficeSession().start()
        atexit.register(close_shared_session)
    return _SHARED


def close_shared_session() -> None:
    global _SHARED
    if _SHARED is not None:
        _SHARED.close()
        _SHARED = None


def libreoffice_cells(paths: list[str | os.PathLike], *, jobs: int = 1) -> dict[Path, Values]:
    """:func:`libreoffice_values`, read straight from LibreOffice's recalculated documents when the shared
    session runs (:meth:`LibreOfficeSession.cells`: dates as serial numbers, booleans as 1/0)."""
    session = shared_session()
    if session is None:
        return libreoffice_values(paths, jobs=jobs)
    return session.cells(paths)


def _excel_round(value: float, digits: float) -> float:
    # ROUND as Excel/LibreOffice: half away from zero on the value shown to 15 significant digits.
    from decimal import ROUND_HALF_UP, Decimal

    shown = Decimal(f"{float(value):.15g}")
    return float(shown.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP))


def _excel_floor(value: float, step: float) -> float:
    # FLOOR(x, step) for x, step >= 0 as Excel/LibreOffice: the quotient is seen to 15 significant digits,
    # so FLOOR(1.8223, 0.00001) is 1.8223 (formulas 1.3.4 floors the raw 182229.99999999997).
    import math

    if step == 0:
        return 0.0
    quotient = float(f"{float(value) / float(step):.15g}")
    return math.floor(quotient) * float(step)


def _excel_compatible_functions() -> None:
    import formulas
    from formulas.functions import wrap_ufunc

    functions = formulas.get_functions()
    if getattr(functions.get("ROUND"), "_megabackdoor", False):
        return
    for name, func in (("ROUND", _excel_round), ("FLOOR", _excel_floor)):
        wrapped = wrap_ufunc(func)
        wrapped._megabackdoor = True
        functions[name] = wrapped


class FormulasWorkbook:
    """A workbook compiled once by ``formulas``; :meth:`values` recalculates it, optionally with new inputs.

    Compiling costs ~15 ms per formula cell; recalculating with other input values is several times faster,
    so tests that check many scenarios of one layout compile it once (after checking that each scenario's
    generated workbook has exactly the same formulas, so only the input values differ).
    """

    def __init__(self, path: str | os.PathLike, shared: SharedCells | None = None) -> None:
        """``shared``: compile through these :class:`SharedCells` (layouts compiled one after another that have
        most formulas in common compile each such formula once)."""
        import formulas
        from openpyxl import load_workbook

        _excel_compatible_functions()
        self.path = Path(path)
        book = load_workbook(self.path, read_only=True)
        self.titles = {title.upper(): title for title in book.sheetnames}
        book.close()
        source = self.path if shared is None else shared.stage(self.path)
        self.book = source.name   # formulas names every cell by its file: '[book.xlsx]SHEET'!A1
        model = formulas.ExcelModel() if shared is None else shared.model()
        self.model = model.loads(str(source)).finish()

    def key(self, sheet: str, cell: str) -> str:
        return f"'[{self.book}]{sheet.upper()}'!{cell}"

    def values_of(self, path: str | os.PathLike) -> Values:
        """The values of another workbook with exactly this one's formulas (another case of one layout: other
        inputs, other census rows), without compiling it: every constant cell of ``path`` goes in as an input
        and every constant of the compiled workbook that ``path`` leaves blank is blanked. The same values as
        ``formulas_values(path)`` (tests/test_recalc_harness.py checks it), at the cost of a recalculation.
        Raises ValueError when the formulas differ."""
        import schedula

        if formula_cells(path) != self._formulas():
            raise ValueError(f"{path} has other formulas than {self.path}: compile it (FormulasWorkbook)")
        given = _constant_cells(path)
        prefix = f"'[{self.book}]"
        for key in self.model.dsp.default_values:
            if not isinstance(key, str) or not key.startswith(prefix) or ":" in key:
                continue
            sheet_upper, cell = key[len(prefix):].split("'!", 1)
            if sheet_upper in self.titles and (self.titles[sheet_upper], cell) not in given:
                given[(self.titles[sheet_upper], cell)] = [[schedula.EMPTY]]   # a blank cell, as formulas reads one
        return self.values(given)

    def _formulas(self) -> dict[str, dict[str, str]]:
        if not hasattr(self, "_formula_text"):
            self._formula_text = formula_cells(self.path)
        return self._formula_text

    def values(self, inputs: dict[tuple[str, str], Any] | None = None) -> Values:
        """``{sheet: {cell: value}}``; ``inputs`` maps (sheet, cell) to a new value for that cell."""
        given = {self.key(sheet, cell): value for (sheet, cell), value in (inputs or {}).items()}
        solution = self.model.calculate(inputs=given) if given else self.model.calculate()
        result: Values = {title: {} for title in self.titles.values()}
        for key, ranges in solution.items():
            if "!" not in key or ":" in key:
                continue
            sheet_part, cell = key.rsplit("!", 1)
            sheet_upper = sheet_part.strip("'").split("]", 1)[-1]
            if sheet_upper not in self.titles:
                continue  # a defined name ('[book.xlsx]'!NAME)
            value = _plain(ranges.value[0, 0] if hasattr(ranges, "value") else ranges)
            if value is not None:
                result[self.titles[sheet_upper]][cell] = value
        return result


class SharedCells:
    """Formula cells compiled by ``formulas`` once for several layouts of one workbook, compiled one after another
    in this process (e.g. two stock plans whose Retirement sheets have 30 and 31 rows: 2,079 of their 2,084
    Retirement formulas and every formula of the other sheets are the same text in the same cell).

    ``formulas`` compiles each formula cell on its own (parse, then a small function of its inputs: ~15 ms, most
    of a compile), from the cell's address, its text, its sheet and file names and the workbook's defined names
    (to the cells they name). Cells alike in all of these compile to the same function, so a workbook compiled
    through this object takes an earlier workbook's compiled cell for such a cell instead of compiling it again.
    Each workbook is compiled under one file name (a copy, ``book.xlsx``) so that cell names match; constants
    are not shared (they cost nothing to compile). The values are the same as compiling each workbook alone
    (tests/test_recalc_harness.py checks it)."""

    BOOK = "book.xlsx"

    def __init__(self) -> None:
        self.cells: dict[tuple, Any] = {}
        self.compiled = self.reused = 0
        self._frozen: dict[tuple[int, int], tuple[Any, Any, tuple]] = {}
        self._folder = Path(tempfile.mkdtemp(prefix="mb-formulas-"))

    def stage(self, path: Path) -> Path:
        staged = self._folder / self.BOOK
        shutil.copyfile(path, staged)
        return staged

    def _key(self, context: dict, references: dict) -> tuple:
        # The same context and references objects come with every cell of a sheet: frozen once per sheet (kept,
        # so their ids stay theirs).
        ids = (id(context), id(references))
        if ids not in self._frozen:
            self._frozen[ids] = (context, references, (
                tuple(sorted((name, repr(value)) for name, value in context.items())),
                tuple(sorted((name, repr(value)) for name, value in references.items()))))
        return self._frozen[ids][2]

    def model(self) -> Any:
        import formulas

        shared = self

        class Model(formulas.ExcelModel):
            def _compile_cell(self, crd, val, context, check_formula, references):
                compile_cell = formulas.ExcelModel._compile_cell
                if not (check_formula and isinstance(val, str) and val.startswith("=")):
                    return compile_cell(crd, val, context, check_formula, references)
                key = (shared._key(context, references), crd, val)
                cell = shared.cells.get(key)
                if cell is None:
                    cell = shared.cells[key] = compile_cell(crd, val, context, check_formula, references)
                    shared.compiled += 1
                else:
                    shared.reused += 1
                return cell

        return Model()

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


def _constant_cells(path: str | os.PathLike) -> dict[tuple[str, str], Any]:
    """{(sheet, cell): value} of every non-empty cell that is not a formula; dates as serial numbers (as
    ``formulas`` reads them)."""
    import datetime as dt

    from openpyxl import load_workbook

    book = load_workbook(path)
    result = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if value is None or cell.data_type == "f":
                    continue
                if isinstance(value, dt.datetime):
                    value = (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
                elif isinstance(value, dt.date):
                    value = (value - dt.date(1899, 12, 30)).days
                result[(sheet.title, cell.coordinate)] = value
    return result


def formulas_values(path: str | os.PathLike) -> Values:
    """Recalculate a workbook with the pure-Python ``formulas`` engine: ``{sheet: {cell: value}}``.

    Cells are those ``formulas`` computes or reads (formula cells and the cells they refer to); sheet names
    are the workbook's own (``formulas`` upper-cases them). Error values become their strings.
    """
    return FormulasWorkbook(path).values()


def _plain(value: Any) -> Any:
    from formulas.tokens.operand import XlError

    if isinstance(value, XlError):
        return str(value)
    if value is None or value == "" or type(value).__name__ == "Token":  # sh.EMPTY
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return value


def error_cells(values: Values) -> dict[str, str]:
    """``{"Sheet!A1": "#NAME?"}`` for every cell holding a spreadsheet error value."""
    return {f"{sheet}!{cell}": value for sheet, cells in values.items() for cell, value in cells.items()
            if isinstance(value, str) and value in ERROR_VALUES}


def formula_cells(path: str | os.PathLike) -> dict[str, dict[str, str]]:
    """``{sheet: {cell: "=FORMULA"}}`` for every formula cell of the workbook as written."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    return {sheet.title: {cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row
                          if cell.data_type == "f"}
            for sheet in book.worksheets}
