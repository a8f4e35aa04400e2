"""The one Limits-sheet builder (workbook/limits_sheet.py) that the planning, paycheck and ACP workbooks share.

Its projected years are formulas over the workbook's Inflation input, not engine values pasted in: recalculated
by ``formulas`` at several inflation values, every cell equals ``limits.limit_value`` (the statutory indexing
of :mod:`megabackdoor.limits`, with its never-decrease floor) for every year and limit, HCE threshold
included; published years are the IRS figures (0 where the limit did not exist yet).
"""

from __future__ import annotations

import pytest
from recalc import FormulasWorkbook

from megabackdoor import limits
from megabackdoor.cadences import DEFAULT_INFLATION
from megabackdoor.workbook import acp_template, paychecks, plan, render
from megabackdoor.workbook.layout import Book
from megabackdoor.workbook.limits_sheet import CATALOG, LIMITS_FIRST_ROW, limit_columns, limits_table

NAMES = tuple(CATALOG)  # every limit the builder knows, the HCE threshold too
INFLATIONS = (DEFAULT_INFLATION, 0.0, 0.071, -0.01)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    table = limits_table(2014, 2045, limit_columns(NAMES))
    path = tmp_path_factory.mktemp("limits") / "limits.xlsx"
    render.save(Book([table.sheet], range_names=table.names), path)
    return table, FormulasWorkbook(path)


@pytest.mark.parametrize("inflation", INFLATIONS)
def test_projected_years_follow_the_inflation_input(compiled, inflation):
    table, book = compiled
    sheet = book.values({("Limits", "C3"): inflation})["Limits"]
    columns = limit_columns(NAMES)
    for offset, year in enumerate(range(2014, 2046)):
        r = LIMITS_FIRST_ROW + offset
        assert sheet[f"A{r}"] == year
        assert sheet[f"B{r}"] == ("published" if year <= limits.LAST_PUBLISHED_YEAR else "projected")
        for name, column, _, _ in columns:
            expected = limits.limit_value(name, year, inflation) or 0
            assert sheet[f"{column}{r}"] == pytest.approx(expected, abs=1e-9), (name, year, inflation)
    assert table.projected == list(range(limits.LAST_PUBLISHED_YEAR + 1, 2046))


@pytest.mark.parametrize(("inflation", "expected"), [(0.025, 25000), (0.071, 26000)])
def test_hand_computed_projection(compiled, inflation, expected):
    # 2027 §402(g): the 2026 July-September CPI-U sum is 971.824 (2025Q3) x (1 + inflation); over the 2005Q3
    # sum 590.6 that is 1.68662 at 2.5% (1.76232 at 7.1%), rounded to 1.6866 (1.7623); x $15,000 = $25,299
    # ($26,434.50); the increase over $15,000 rounded down to $500: $25,000 ($26,000), above 2026's $24,500.
    table, book = compiled
    assert table.sheet.cells["AQ4"].value == "§415(d) ratio to 2005Q3"
    assert table.sheet.cells["E18"].value == "=MAX(E17,15000+FLOOR(MAX(0,15000*$AQ18-15000),500))"
    sheet = book.values({("Limits", "C3"): inflation})["Limits"]
    assert (sheet["A18"], sheet["E17"], sheet["E18"]) == (2027, 24500, expected)


def test_every_workbook_uses_the_one_builder():
    built = {"plan": plan.build(), "paychecks": paychecks.build(**paychecks.DEFAULT_CASE),
             "acp": acp_template.build(rows=3)}
    for label, book in built.items():
        sheet = next(s for s in book.sheets if s.title == "Limits")
        names = book.defined_names()
        assert names["LimYear"].startswith("'Limits'!$A$5:$A$"), label
        projected = [ref for ref, spec in sheet.cells.items()
                     if ref[0] == "C" and isinstance(spec.value, str) and "Inflation" in spec.value]
        assert projected, label           # the CPI-U sum of every projected year is a formula of Inflation
        pasted = [ref for ref, spec in sheet.cells.items() if spec.style == "mb_projected_money"
                  and not str(spec.value).startswith("=MAX(")]
        assert pasted == [], label        # no projected value is a number pasted from the engine
    # the two workbooks without an Inflation input get one on the Limits sheet, at the engine's default
    for label in ("paychecks", "acp"):
        assert built[label].defined_names()["Inflation"] == "'Limits'!$C$3"
        sheet = next(s for s in built[label].sheets if s.title == "Limits")
        assert sheet.cells["C3"].value == DEFAULT_INFLATION
    assert built["plan"].defined_names()["Inflation"].startswith("'Inputs'!")
