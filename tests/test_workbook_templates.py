"""The stock workbooks in workbook_templates/ are exactly what the generator makes from their scenarios.

A committed template that drifts from the generator (a rule, a formula, a style or a scenario changed without
regenerating) fails here; regenerate all of them with ``megabackdoor workbook --templates --force``.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

from megabackdoor.scenario import load
from megabackdoor.workbook import plan

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "workbook_templates"
SCENARIOS = sorted(TEMPLATES.glob("*.toml"))


def fingerprint(path: Path) -> dict:
    """What a user sees and what computes: cells (value or formula, style, number format), names,
    validations, conditional formats, merged cells, frozen panes, charts, document properties."""
    book = openpyxl.load_workbook(path)
    result: dict = {"sheets": book.sheetnames,
                    "names": {name: d.attr_text for name, d in book.defined_names.items()},
                    "properties": (book.properties.title, book.properties.creator, book.properties.created,
                                   book.properties.modified, book.properties.description)}
    for sheet in book.worksheets:
        result[sheet.title] = {
            "cells": {c.coordinate: (c.value, c.data_type, c.style, c.number_format,
                                     c.comment.text if c.comment else None)
                      for row in sheet.iter_rows() for c in row if c.value is not None or c.comment},
            "validations": sorted((str(v.sqref), v.type, v.formula1, v.formula2)
                                  for v in sheet.data_validations.dataValidation),
            "conditional": sorted((str(rng.sqref), rule.formula) for rng in sheet.conditional_formatting
                                  for rule in rng.rules),
            "merged": sorted(str(m) for m in sheet.merged_cells.ranges),
            "freeze": sheet.freeze_panes,
            "charts": len(sheet._charts),
            "widths": {k: v.width for k, v in sheet.column_dimensions.items()},
        }
    return result


def test_the_three_stock_plans_are_there():
    assert {p.stem for p in SCENARIOS} >= {"default-plan", "catch-up-50-and-60-63", "no-match-10pct-cap"}
    assert all(p.with_suffix(".xlsx").is_file() for p in SCENARIOS)


@pytest.mark.parametrize("scenario_path", SCENARIOS, ids=lambda p: p.stem)
def test_committed_template_matches_the_generator(tmp_path, scenario_path):
    fresh = plan.write(load(str(scenario_path)), str(tmp_path / "fresh.xlsx"))
    committed = fingerprint(scenario_path.with_suffix(".xlsx"))
    generated = fingerprint(Path(fresh))
    for key in generated:
        assert committed.get(key) == generated[key], (
            f"{scenario_path.with_suffix('.xlsx').name} drifted from the generator ({key}); "
            "run: megabackdoor workbook --templates --force")


def test_same_scenario_gives_the_same_file(tmp_path):
    scenario = load(str(SCENARIOS[0]))
    first = Path(plan.write(scenario, str(tmp_path / "a.xlsx"))).read_bytes()
    second = Path(plan.write(scenario, str(tmp_path / "b.xlsx"))).read_bytes()
    assert first == second


def test_default_template_is_the_article_case_and_says_educational():
    book = openpyxl.load_workbook(TEMPLATES / "default-plan.xlsx")
    names = book.defined_names
    inputs = book["Inputs"]
    assert inputs[names["StartYear"].attr_text.split("!")[1].replace("$", "")].value == 2026
    for title in ("Inputs", "Summary", "Sources & notes"):
        texts = [c.value for row in book[title].iter_rows() for c in row if isinstance(c.value, str)]
        assert any("Educational, not individual tax advice" in t for t in texts), title
    sources = " ".join(str(c.value) for row in book["Sources & notes"].iter_rows() for c in row if c.value)
    assert "megabackdoor" in sources and "Projected years" in sources
    assert book.properties.created == book.properties.modified  # fixed timestamps


def test_committed_default_template_is_byte_identical_to_a_fresh_build(tmp_path):
    # Fixed document and zip timestamps: a build today equals the committed file (same openpyxl, uv.lock).
    fresh = Path(plan.write(load(str(TEMPLATES / "default-plan.toml")), str(tmp_path / "fresh.xlsx")))
    if openpyxl.xml.LXML:  # openpyxl writes through lxml when it is installed: other bytes, same workbook
        assert fingerprint(fresh) == fingerprint(TEMPLATES / "default-plan.xlsx")
        return
    assert fresh.read_bytes() == (TEMPLATES / "default-plan.xlsx").read_bytes(), (
        "regenerate: megabackdoor workbook --templates --force")
