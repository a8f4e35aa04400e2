"""The catch-up rules shared by the engine and the workbooks: the limit for an age and the Roth catch-up.

Each rule's formula text is evaluated by the ``formulas`` engine (the formula of a single cell, compiled
once) against its Python function over many inputs, so a drift between the two fails here in seconds
rather than only in the LibreOffice tier. Hand values from §414(v) and the 2024-2026 IRS notices.
"""

from __future__ import annotations

import pytest
from _onecell import evaluate as _evaluate
from _seeds import scaled
from hypothesis import given, settings
from hypothesis import strategies as st

from megabackdoor import limits
from megabackdoor.catchup import catchup_for_age, catchup_formula, roth_catchup_applies, roth_catchup_formula
from megabackdoor.headroom import backdoor_ira_limit, catchup_limit, roth_catchup_required
from megabackdoor.workbook import plan

# Published amounts (Notice 2023-75 for 2024, Notice 2024-80 for 2025, Notice 2025-67 for 2026).
CATCHUP_50 = {2024: 7500, 2025: 7500, 2026: 8000}
CATCHUP_60_63 = {2025: 11250, 2026: 11250}


@pytest.mark.parametrize(("age", "year", "expected"), [
    (49, 2026, 0), (50, 2026, 8000), (59, 2026, 8000), (60, 2026, 11250), (63, 2026, 11250), (64, 2026, 8000),
    (61, 2024, 7500),    # §414(v)(2)(E) applies to years after 2024: 2024 still gives the 50+ amount
    (60, 2025, 11250), (64, 2025, 7500), (0, 2025, 0)])
def test_catchup_for_age_by_hand(age, year, expected):
    assert catchup_for_age(age, year, CATCHUP_50[year], CATCHUP_60_63.get(year)) == expected
    assert catchup_limit(year, age) == expected


@pytest.mark.parametrize(("year", "wages", "threshold", "expected"), [
    (2026, 150001, 150000, True), (2026, 150000, 150000, False), (2026, 0, 150000, False),
    (2025, 400000, 145000, False),   # Notice 2023-62: transition relief for 2024 and 2025
    (2024, 400000, 145000, False), (2030, 1e9, 170000, True)])
def test_roth_catchup_by_hand(year, wages, threshold, expected):
    assert roth_catchup_applies(year, wages, threshold) is expected


def test_engine_entry_points_follow_the_rule():
    assert roth_catchup_required(2026, 150001).required and not roth_catchup_required(2026, 150000).required
    assert roth_catchup_required(2025, 400000).status == "transition_relief"
    assert roth_catchup_required(2023, 400000).status == "not_in_law"
    assert (backdoor_ira_limit(2026, 49), backdoor_ira_limit(2026, 50)) == (7500, 8600)   # §219(b)(5)(B)


def test_thresholds_are_data_records_with_citations():
    data = limits.load()["thresholds"]
    expected = {"catchup_age": 50, "catchup_60_63_min_age": 60, "catchup_60_63_max_age": 63,
                "catchup_60_63_first_year": 2025, "roth_catchup_statutory_year": 2024,
                "roth_catchup_first_year": 2026, "ira_catchup_age": 50}
    assert {name: record["value"] for name, record in data.items() if name != "_about"} == expected
    for name in expected:
        record = limits.threshold_record(name)
        assert record["unit"] in ("age", "year") and record["label"] and record["status"]
        assert "IRC §" in record["statute"], name
        assert limits.threshold(name) == expected[name]
    assert "SECURE 2.0 §109" in data["catchup_60_63_first_year"]["statute"]
    assert "Notice 2023-62" in data["roth_catchup_first_year"]["statute"]


def test_roth_status_table_agrees_with_the_first_year():
    first = limits.threshold("roth_catchup_first_year")
    assert limits.roth_catchup_status(first - 1) == "transition_relief"
    assert limits.roth_catchup_status(first).startswith("required")
    assert limits.roth_catchup_status(limits.threshold("roth_catchup_statutory_year") - 1) == "not_in_law"


def test_workbooks_take_their_formula_text_from_the_rules():
    cols = plan.column_letters()
    formulas = plan.schedule_formulas(cols, 3, first=False)
    row = f"{cols['limits_row']}3"
    assert formulas["catchup_limit"] == "=" + catchup_formula(
        f"{cols['age']}3", f"{cols['year']}3", f"INDEX(LimCatchup50,{row})", f"INDEX(LimCatchup6063,{row})")
    assert formulas["roth_catchup_required"] == "=" + roth_catchup_formula(
        f"{cols['year']}3", f"{cols['prior_year_fica_wages']}3", f"{cols['roth_catchup_threshold']}3")


@settings(max_examples=scaled(300), deadline=None)
@given(age=st.integers(0, 120), year=st.integers(2014, 2100), amount_50=st.integers(0, 40000),
       amount_60_63=st.integers(0, 60000))
def test_catchup_formula_text_equals_the_python(age, year, amount_50, amount_60_63):
    text = catchup_formula("age", "year", "amount_50", "amount_60_63")
    assert _evaluate(text, age=age, year=year, amount_50=amount_50, amount_60_63=amount_60_63) == \
        catchup_for_age(age, year, amount_50, amount_60_63)


@settings(max_examples=scaled(300), deadline=None)
@given(year=st.integers(2014, 2100), wages=st.one_of(st.integers(0, 1_000_000), st.floats(0, 1e7)),
       threshold=st.integers(100_000, 300_000))
def test_roth_catchup_formula_text_equals_the_python(year, wages, threshold):
    text = roth_catchup_formula("year", "wages", "threshold")
    assert _evaluate(text, year=year, wages=wages, threshold=threshold) == \
        int(roth_catchup_applies(year, wages, threshold))


def test_formula_text_at_the_boundaries():
    text = catchup_formula("age", "year", "amount_50", "amount_60_63")
    for age in (49, 50, 59, 60, 63, 64):
        for year in (2024, 2025):
            assert _evaluate(text, age=age, year=year, amount_50=1, amount_60_63=2) == \
                catchup_for_age(age, year, 1, 2)
    wage_text = roth_catchup_formula("year", "wages", "threshold")
    assert _evaluate(wage_text, year=2026, wages=150000, threshold=150000) == 0
    assert _evaluate(wage_text, year=2026, wages=150000.01, threshold=150000) == 1
    assert _evaluate(wage_text, year=2025, wages=1e6, threshold=150000) == 0


def test_a_recalculated_sheet_agrees_with_the_python(tmp_path):
    # The same formula text written into sheet cells (one formula cell per input row) and recalculated by
    # the formulas engine, on every boundary age and start year.
    from openpyxl import Workbook
    from recalc import formulas_values

    book = Workbook()
    sheet = book.active
    sheet.title = "Rules"
    cases = [(age, year) for age in (0, 49, 50, 59, 60, 61, 63, 64, 120) for year in (2024, 2025, 2026, 2040)]
    wages = [(year, pay) for year in (2024, 2025, 2026, 2040) for pay in (0, 149999.99, 150000, 150000.01)]
    for row, ((age, year), (wage_year, pay)) in enumerate(zip(cases, wages * 3, strict=False), start=1):
        sheet.append([age, year, 7500, 11250, None, wage_year, pay, 150000])
        sheet[f"E{row}"] = "=" + catchup_formula(f"A{row}", f"B{row}", f"C{row}", f"D{row}")
        sheet[f"I{row}"] = "=" + roth_catchup_formula(f"F{row}", f"G{row}", f"H{row}")
    path = tmp_path / "rules.xlsx"
    book.save(path)
    values = next(iter(formulas_values(path).values()))
    for row, ((age, year), (wage_year, pay)) in enumerate(zip(cases, wages * 3, strict=False), start=1):
        assert values[f"E{row}"] == catchup_for_age(age, year, 7500, 11250), (age, year)
        assert values[f"I{row}"] == int(roth_catchup_applies(wage_year, pay, 150000)), (wage_year, pay)
