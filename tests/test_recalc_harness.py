"""The recalculation harness (tests/recalc.py) itself: forced recalculation, batching, errors, formulas."""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
import recalc
from _tiers import need, need_tool


def _book(path: Path, a1: float = 5) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "In puts"
    sheet["A1"] = a1
    sheet["A2"] = "=A1*2"
    sheet["A3"] = "=ROUND(16669.899999999994*0.05,2)"   # 833.50 in Excel and LibreOffice
    sheet["A4"] = "=1/0"
    sheet["A5"] = "=FLOOR(1.8223,0.00001)"
    book.save(path)
    return path


def _stale_copy(source: Path, target: Path, new_a1: str) -> None:
    # A recalculated file whose input A1 is changed in the XML while A2's cached result is left as it was.
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'(<c r="A1"[^>]*><v>)[^<]*(</v>)', rb"\g<1>" + new_a1.encode() + rb"\g<2>",
                                      data)
                assert count == 1
            zout.writestr(item, data)


def test_libreoffice_forces_recalculation_of_stale_cached_values(tmp_path):
    need_tool("soffice", "apt-get install -y --no-install-recommends libreoffice-calc-nogui")
    original = _book(tmp_path / "plain.xlsx")
    with tempfile.TemporaryDirectory() as temp:
        outputs = recalc._run_soffice([original], Path(temp), 300)  # a file with cached results (A2 = 10)
        stale = tmp_path / "stale.xlsx"
        _stale_copy(outputs[0], stale, "50")
    assert recalc.read_values(stale)["In puts"]["A2"] == 10  # the cache really is stale
    values = recalc.libreoffice_values([stale, original])
    assert values[stale]["In puts"]["A2"] == 100  # recalculated on load, not the cached 10
    assert values[original]["In puts"]["A3"] == 833.5
    assert recalc.error_cells(values[original]) == {"In puts!A4": "#DIV/0!"}


def test_libreoffice_batches_keep_results_apart_and_inputs_untouched(tmp_path):
    need_tool("soffice", "apt-get install -y --no-install-recommends libreoffice-calc-nogui")
    paths = [_book(tmp_path / f"book {i}.xlsx", a1=i) for i in range(4)]
    before = [p.read_bytes() for p in paths]
    values = recalc.libreoffice_values(paths, jobs=2)
    assert [values[p]["In puts"]["A2"] for p in paths] == [0, 2, 4, 6]
    assert [p.read_bytes() for p in paths] == before


def test_missing_input_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError):
        recalc.libreoffice_values([tmp_path / "missing.xlsx"])


def test_soffice_output_is_checked(tmp_path):
    need_tool("soffice", "apt-get install -y --no-install-recommends libreoffice-calc-nogui")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(recalc.RecalcError, match="no output"):
        recalc.libreoffice_values([broken])


def test_formulas_engine_rounds_like_spreadsheets_and_recomputes_inputs(tmp_path):
    path = _book(tmp_path / "plain.xlsx")
    model = recalc.FormulasWorkbook(path)
    values = model.values()
    assert (values["In puts"]["A2"], values["In puts"]["A3"]) == (10, 833.5)
    assert values["In puts"]["A5"] == pytest.approx(1.8223, abs=1e-12)
    assert recalc.error_cells(values) == {"In puts!A4": "#DIV/0!"}
    assert model.values({("In puts", "A1"): 7})["In puts"]["A2"] == 14
    assert recalc.formula_cells(path)["In puts"]["A2"] == "=A1*2"


def test_formulas_recomputes_another_case_of_a_layout_as_if_compiled(tmp_path):
    """values_of: a workbook with the same formulas and other constants (changed, added inside a range the
    formulas read, blanked) has exactly the values a fresh compile gives it."""
    def book(path: Path, column: list, label: str) -> Path:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Census"
        for row, value in enumerate(column, start=1):
            sheet.cell(row, 1, value)
        sheet["C1"], sheet["C2"] = label, "=SUM(A1:A6)"
        sheet["C3"], sheet["C4"] = "=COUNTA(A1:A6)", '=IF(A3="","blank",A3*2)'
        sheet["C5"] = '=C1&"!"'
        workbook.save(path)
        return path

    model = recalc.FormulasWorkbook(book(tmp_path / "template.xlsx", [1, 2, 3], "first"))
    for column in ([1, 2, None, 7, 8.5], [None, None, None, None, None, 4], ["x", 2, 3]):
        other = book(tmp_path / "case.xlsx", column, "second")
        assert model.values_of(other) == recalc.formulas_values(other), column
    assert model.values_of(other)["Census"]["C5"] == "second!"
    different = openpyxl.load_workbook(other)
    different["Census"]["C2"] = "=SUM(A1:A5)"
    different.save(tmp_path / "different.xlsx")
    with pytest.raises(ValueError, match="other formulas"):
        model.values_of(tmp_path / "different.xlsx")


def test_shared_cells_compile_a_formula_once_and_give_the_values_of_a_compile_alone(tmp_path):
    """SharedCells: layouts compiled one after another reuse each other's compiled formula cells (same cell, text,
    sheet and defined names) and compute exactly what compiling each alone computes: a longer layout, one whose
    defined name names another cell, the same text in two cells and in the same cell of two sheets, and the first
    layout compiled again."""
    from openpyxl.workbook.defined_name import DefinedName

    def book(path: Path, rows: int, rate_cell: str, rate: float) -> Path:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Plan"
        sheet["B1"], sheet["B2"] = rate, rate * 2
        workbook.defined_names["Rate"] = DefinedName("Rate", attr_text=f"Plan!${rate_cell[0]}${rate_cell[1:]}")
        for row in range(1, rows + 1):
            sheet.cell(row, 1, 1000 * row + rate)
            sheet.cell(row, 3, f"=ROUND(A{row}*Rate,2)")
        sheet["D1"], sheet["D2"] = f"=SUM(C1:C{rows})", "=B1*2"
        sheet["E1"] = "=B1*2"                                  # the same text as D2, in another cell
        other = workbook.create_sheet("Other")
        other["B1"], other["D2"] = 3, "=B1*2"                  # the same text and cell as D2, another sheet
        workbook.save(path)
        return path

    cases = [book(tmp_path / "a.xlsx", 5, "B1", 0.05), book(tmp_path / "b.xlsx", 6, "B1", 0.07),
             book(tmp_path / "c.xlsx", 6, "B2", 0.07), book(tmp_path / "d.xlsx", 5, "B1", 0.03)]
    shared = recalc.SharedCells()
    try:
        for path in cases:
            model = recalc.FormulasWorkbook(path, shared)
            alone = recalc.FormulasWorkbook(path).values()
            assert model.values() == alone, path.name
            assert model.values({("Plan", "B1"): 0.5}) == recalc.FormulasWorkbook(path).values(
                {("Plan", "B1"): 0.5}), path.name
    finally:
        shared.close()
    # a: its 9 formulas compiled; b: 8 of a's, its 6th row and its SUM compiled; c: its name names another
    # cell, so all 10 compiled; d: a's 9.
    assert (shared.compiled, shared.reused) == (9 + 2 + 10, 8 + 0 + 9)
    assert recalc.FormulasWorkbook(cases[2]).values()["Plan"]["C1"] == round(1000.07 * 0.14, 2)


def test_the_session_and_soffice_batches_compute_the_same_values(tmp_path, libreoffice):
    # libreoffice: this process's one soffice over UNO (or the batch fallback without python3-uno)
    paths = [_book(tmp_path / f"book {i}.xlsx", a1=i) for i in (3, 4)]
    with tempfile.TemporaryDirectory() as temp:
        batch = {path: recalc.read_values(out) for path, out in
                 zip(paths, recalc._run_soffice(paths, Path(temp), 300), strict=True)}
    assert libreoffice.values(paths) == batch
    direct = libreoffice.cells(paths)
    for path in paths:
        assert direct[path]["In puts"] == pytest.approx(batch[path]["In puts"])  # errors as text, numbers equal
        assert direct[path]["In puts"]["A4"] == "#DIV/0!"


def test_the_session_prints_to_pdf(tmp_path, libreoffice):
    pdf = libreoffice.convert(_book(tmp_path / "book.xlsx"), tmp_path / "book.pdf", "calc_pdf_Export")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_session_restarts_a_soffice_that_died(tmp_path):
    import os
    import signal

    session = recalc.shared_session()
    need(session is not None, "Python-UNO not importable: apt-get install python3-uno")
    path = _book(tmp_path / "book.xlsx", a1=21)
    assert session.values([path])[path]["In puts"]["A2"] == 42
    os.killpg(session._process.pid, signal.SIGKILL)
    session._process.wait()
    assert session.values([path])[path]["In puts"]["A2"] == 42
