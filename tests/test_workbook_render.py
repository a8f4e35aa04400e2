"""The generic workbook layer: layout as data -> openpyxl, named styles once, safe deterministic saving."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest
from _seeds import rng, scaled

from megabackdoor.workbook import render, styles
from megabackdoor.workbook.layout import Book, Formula, Sheet, Validation


def _book(text: str = "hello") -> Book:
    sheet = Sheet("Inputs")
    sheet.put("A1", text, style="mb_text")
    sheet.put("B1", 150000, style="mb_input_money", name="Salary", note="first-year pay",
              validation=Validation("decimal", minimum=0, maximum=10_000_000))
    sheet.put("B2", Formula("=Salary*2"), style="mb_money")
    sheet.put("B3", "max", style="mb_input_text", validation=Validation("list", options=("max", "fixed")))
    return Book([sheet], title="test")


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2", "@cmd", "=cmd|' /C calc'!A0"])
def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, text):
    path = render.save(_book(text), tmp_path / "t.xlsx")
    cell = openpyxl.load_workbook(path)["Inputs"]["A1"]
    assert (cell.value, cell.data_type) == (text, "s")


def test_formula_defined_name_validation_and_note_are_written(tmp_path):
    path = render.save(_book(), tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Inputs"]
    assert sheet["B2"].value == "=Salary*2"
    assert book.defined_names["Salary"].attr_text == "'Inputs'!$B$1"
    assert sheet["B1"].comment.text == "first-year pay"
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    assert rules["B3"].formula1 == '"max,fixed"'
    assert (rules["B1"].type, rules["B1"].formula1, rules["B1"].formula2) == ("decimal", "0", "10000000")
    assert sheet["B1"].style == "mb_input_money"


def test_named_styles_are_registered_once_each():
    workbook = render.to_openpyxl(_book())
    names = list(workbook.named_styles)
    assert len(names) == len(set(names))
    assert set(styles.NAMED_STYLES) <= set(names)
    assert styles.register(workbook) == set(names)  # a second call adds nothing
    assert len(list(workbook.named_styles)) == len(names)


def test_same_layout_gives_the_same_bytes():
    first, second = io.BytesIO(), io.BytesIO()
    render.write_openpyxl(render.to_openpyxl(_book()), first)
    render.write_openpyxl(render.to_openpyxl(_book()), second)
    assert first.getvalue() == second.getvalue()
    assert render.to_openpyxl(_book()).properties.created == render.FIXED_TIME


def test_existing_file_is_kept_without_force_and_no_temp_file_is_left(tmp_path):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"mine")
    with pytest.raises(FileExistsError, match="--force"):
        render.save(_book(), target)
    assert target.read_bytes() == b"mine"
    render.save(_book(), target, force=True)
    assert openpyxl.load_workbook(target)["Inputs"]["B1"].value == 150000
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


def test_failed_render_writes_nothing(tmp_path):
    book = _book()
    book.sheets[0].put("C1", object())  # openpyxl cannot store this
    with pytest.raises(ValueError):
        render.save(book, tmp_path / "bad.xlsx")
    assert list(tmp_path.iterdir()) == []


# The fast path (render.write_book, used by save) writes each sheet's <sheetData> itself; openpyxl writing every
# cell (render.to_openpyxl + write_openpyxl) is the reference. The two must give the same bytes.

def _reference_bytes(book: Book) -> bytes:
    stream = io.BytesIO()
    render.write_openpyxl(render.to_openpyxl(book), stream)
    return stream.getvalue()


def _fast_bytes(book: Book) -> bytes:
    stream = io.BytesIO()
    render.write_book(book, stream)
    return stream.getvalue()


def _edge_case_book() -> Book:
    sheet = Sheet("Edge 'cases' & more", column_widths={"A": 12})
    sheet.put("B2", "merged, bordered", style="mb_header")  # a bordered top-left cell: openpyxl borders the edges
    sheet.merged.append("B2:D4")
    sheet.put("A6", "")                                       # empty text
    sheet.put("B6", None, style="mb_money")                   # styled, empty
    sheet.put("C6", None, note="a note on an empty cell")     # unstyled, empty, with a note
    sheet.put("D6", None)                                     # nothing at all: not written, but its row is
    sheet.put("A7", True)
    sheet.put("B7", False, style="mb_int")
    sheet.put("C7", 0.1 + 0.2)                                # "%.16g": 0.3
    sheet.put("D7", -0.0)
    sheet.put("E7", 1e20)
    sheet.put("F7", 2**53 + 1)
    sheet.put("G7", 1234567.891, number_format="0.0")
    sheet.put("A8", "  leading and trailing spaces  ")
    sheet.put("B8", "   ")                                   # only spaces: no xml:space
    sheet.put("C8", "a < b & c > d \"quoted\" 'single'\nsecond line")
    sheet.put("D8", Formula('=IF(A7<B7,"a&b",">")'), style="mb_money")
    sheet.put("E8", Formula("="))                             # a lone "=" stays text, as in openpyxl
    sheet.put("F8", "#N/A")                                   # text, not an error value
    sheet.put("G8", "x" * 40_000)                             # cut to Excel's 32,767 characters
    sheet.put("A10", "wrapped header that needs a taller row", style="mb_header")
    sheet.put("AB30", "far corner", style="mb_note")
    sheet.put("C1", 5, style="mb_input_money", validation=Validation("decimal", minimum=0, maximum=9))
    return Book([sheet, Sheet("Empty")], title="edge cases")


def _same_file(fast: bytes, reference: bytes) -> bool:
    """Byte-identical, or, when openpyxl writes through lxml (installed: it serializes differently from
    et_xmlfile, which the fast path reproduces), the same parsed cells, styles, names and layout."""
    if not openpyxl.xml.LXML:
        return fast == reference
    from test_workbook_templates import fingerprint

    return fingerprint(io.BytesIO(fast)) == fingerprint(io.BytesIO(reference))


def _stock_book(label: str) -> Book:
    from megabackdoor.scenario import load
    from megabackdoor.workbook import acp_template, paychecks, plan

    builders = {"default": plan.build, "paychecks": paychecks.build, "acp": lambda: acp_template.build(rows=50)}
    if label in builders:
        return builders[label]()
    return plan.build(load(str(Path(__file__).resolve().parents[1] / "workbook_templates" / f"{label}.toml")))


STOCK_LABELS = [path.stem for path in sorted((Path(__file__).resolve().parents[1] / "workbook_templates").glob(
    "*.toml"))] + ["default", "paychecks", "acp"]


@pytest.mark.parametrize("label", ["edge cases"] + STOCK_LABELS)
def test_fast_writer_gives_the_bytes_openpyxl_gives(label):
    book = _edge_case_book() if label == "edge cases" else _stock_book(label)
    assert _same_file(_fast_bytes(book), _reference_bytes(book))


def test_fast_writer_matches_openpyxl_on_random_scenarios():
    from test_workbook_recalc import SHAPES, random_scenario

    from megabackdoor.workbook import plan

    generator = rng("render-random-scenarios")
    for index in range(scaled(12, fast=len(SHAPES))):  # the fast set: one scenario of each shape
        book = plan.build(random_scenario(generator, SHAPES[index % len(SHAPES)], index))
        assert _same_file(_fast_bytes(book), _reference_bytes(book)), book.sheets[0].cells["B5"].value


def test_the_fast_path_runs_only_under_the_openpyxl_it_was_verified_on(monkeypatch):
    # Moving FAST_PATH_OPENPYXL (or the lock's openpyxl) means re-running these byte comparisons first.
    assert render.fast_path_verified(), (openpyxl.__version__, render.FAST_PATH_OPENPYXL)
    book = _stock_book("paychecks")
    monkeypatch.setattr(render, "fast_path_verified", lambda version=None: False)
    assert _fast_bytes(book) == _reference_bytes(book)  # openpyxl's own cell writer: the reference itself


def test_edge_case_workbook_reads_back():
    book = openpyxl.load_workbook(io.BytesIO(_fast_bytes(_edge_case_book())))
    sheet = book["Edge 'cases' & more"]
    assert sheet.dimensions == "A1:AB30"
    assert (sheet["A7"].value, sheet["B7"].value, sheet["C7"].value, sheet["F7"].value) == (
        True, False, 0.3, 2**53)                               # "%.16g" keeps 16 digits, as openpyxl does
    assert sheet["A8"].value == "  leading and trailing spaces  "
    assert sheet["C8"].value == "a < b & c > d \"quoted\" 'single'\nsecond line"
    assert sheet["D8"].value == '=IF(A7<B7,"a&b",">")'
    assert (sheet["E8"].value, sheet["E8"].data_type) == ("=", "s")
    assert (sheet["F8"].value, sheet["F8"].data_type) == ("#N/A", "s")
    assert len(sheet["G8"].value) == 32767
    assert sheet["C6"].comment.text == "a note on an empty cell"
    # B2:D4 from the layout; G8's 32,767 characters would run off the printed page, so they wrap across the
    # empty cells to the edge of the print area (printing.py)
    assert [str(r) for r in sheet.merged_cells.ranges] == ["B2:D4", "G8:AB8"]
    assert sheet["G8"].alignment.wrap_text
    assert sheet.row_dimensions[10].height > 15


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_fast_writer_refuses_a_number_no_workbook_can_hold(value):
    book = _book()
    book.sheets[0].put("C1", value)
    with pytest.raises(ValueError, match="C1"):
        _fast_bytes(book)


def test_fast_writer_refuses_control_characters_like_openpyxl():
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = _book("bell \x07")
    with pytest.raises(IllegalCharacterError):
        _reference_bytes(book)
    with pytest.raises(IllegalCharacterError):
        _fast_bytes(book)
