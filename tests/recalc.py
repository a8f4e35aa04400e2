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
  and is a cent off at half-cent ties: spreadsheet-engines.md §7-8).

API (``tests/`` is on sys.path, so tests ``import recalc``)::

    values = libreoffice_values([a, b])      # {path: {sheet: {cell: value}}}, one soffice run (jobs=2: two)
    values = formulas_values(a)              # {sheet: {cell: value}}
    model = FormulasWorkbook(a)              # compile once, then model.values({("Inputs", "B9"): 250000})
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

Values = dict[str, dict[str, Any]]

ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "Err:502", "Err:504", "Err:508", "Err:522"})

# /org.openoffice.Office.Calc/Formula/Load (share/registry/main.xcd): 0 = always recalculate, 1 = never
# (the default, which trusts cached results in the file), 2 = ask.
_PROFILE_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


class RecalcError(RuntimeError):
    """LibreOffice ran but produced no recalculated workbook (or timed out)."""


def soffice_path() -> str | None:
    """$SOFFICE, else soffice/libreoffice on PATH, else None."""
    return os.environ.get("SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def _run_soffice(inputs: list[Path], workdir: Path, timeout: float) -> list[Path]:
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
               "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, inputs)]
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
    outputs = [outdir / (path.stem + ".xlsx") for path in inputs]
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

    The paths are split into ``jobs`` batches, each converted by one soffice process with its own private
    profile (processes sharing a profile silently lose conversions). Inputs are not modified.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return {}
    jobs = max(1, min(jobs, len(paths)))
    batches = [paths[i::jobs] for i in range(jobs)]
    result: dict[Path, Values] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for part in pool.map(lambda batch: _libreoffice_batch(batch, timeout), batches):
            result.update(part)
    return {path: result[path] for path in paths}


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

    def __init__(self, path: str | os.PathLike) -> None:
        import formulas
        from openpyxl import load_workbook

        _excel_compatible_functions()
        self.path = Path(path)
        book = load_workbook(self.path, read_only=True)
        self.titles = {title.upper(): title for title in book.sheetnames}
        book.close()
        self.model = formulas.ExcelModel().loads(str(self.path)).finish()

    def key(self, sheet: str, cell: str) -> str:
        return f"'[{self.path.name}]{sheet.upper()}'!{cell}"

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
