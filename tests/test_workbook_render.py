"""The generic workbook layer: layout as data -> openpyxl, named styles once, safe deterministic saving."""

from __future__ import annotations

import io

import openpyxl
import pytest

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
