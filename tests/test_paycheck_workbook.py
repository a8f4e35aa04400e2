"""The Paychecks workbook's native formulas equal the paycheck engine, cell by cell, in LibreOffice and in
`formulas`: every table cell of every paycheck and the year's totals, for the hand-built cases and
seeded random ones (each case is the same formulas with other inputs)."""

from __future__ import annotations

import datetime as dt
import random
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from _seeds import seed
from _tiers import need_tool
from openpyxl import load_workbook

from megabackdoor.paycheck import paycheck_schedule, solve_elections
from megabackdoor.workbook import paychecks

ROOT = Path(__file__).resolve().parents[1]
STOCK = ROOT / paychecks.TEMPLATE_PATH
M50 = [(0.5, 0.06)]

# name: (first pay date, frequency, pay, age, options, elections or None for the solved ones)
HAND = {
    "26-checks-6pct-no-true-up": ("2026-01-02", "biweekly", 7000, 35, {"match": [(1.0, 0.06)]}, (0.14, 0.2)),
    "27-checks": ("2026-01-01", "biweekly", 5000, 35, {"match": M50}, None),
    "27-checks-carried-19pct": ("2026-01-01", "biweekly", 5000, 35, {"match": M50}, (0.19, 0.3)),
    "march-bonus": ("2026-01-02", "biweekly", 5000, 35, {"match": M50, "bonuses": [("2026-03-13", 50000)]}, None),
    "job-change-july": ("2026-07-03", "biweekly", 5000, 35,
                        {"match": [(1.0, 0.04)], "other_employer_deferrals": 10000}, (0.23, 0.7)),
    "mid-year-ytd": ("2026-07-03", "biweekly", 5000, 35,
                     {"match": M50, "ytd_compensation": 65000, "ytd_deferrals": 10000, "ytd_match": 1950,
                      "ytd_after_tax": 5000}, None),
    "catch-up-55-tiers-true-up": ("2026-01-15", "semimonthly", 11000, 55,
                                  {"match": [(1.0, 0.03), (0.5, 0.05)], "true_up": True}, (0.16, 0.18)),
    "401a17-weekly-53": ("2026-01-01", "weekly", 9000, 61, {"match": [(1.0, 0.06)]}, None),
    "roth-required-no-roth": ("2026-01-31", "monthly", 30000, 52,
                              {"prior_year_fica_wages": 300000, "plan_allows_roth": False,
                               "bonuses": [("2026-12-31", 20000, False)]}, (0.1, 0.15)),
    "stops-at-415c-overshoot": ("2026-01-02", "biweekly", 5000, 35, {"stops_at_415c": True}, (0.2, 0.4)),
    "no-stop-excess": ("2026-02-10", "semimonthly", 6000, 45, {"stops_at_402g": False, "match": M50,
                                                              "bonuses": [("2026-06-30", 10000),
                                                                          ("2026-06-30", 5000)]}, (0.12, 0.2)),
    "low-pay-100pct-of-pay": ("2026-09-04", "biweekly", 2000, 35, {"match": [(1.0, 0.5)], "true_up": True},
                              (0.6, 0.4)),
}


def random_cases(seed: int, count: int) -> dict[str, tuple]:
    rng = random.Random(seed)
    cases = {}
    for index in range(count):
        frequency = rng.choice(["weekly", "biweekly", "semimonthly", "monthly"])
        first = dt.date(2026, rng.randint(1, 12), rng.randint(1, 28))
        if rng.random() < 0.3:
            first = dt.date(2026, first.month, 1) - dt.timedelta(days=1) if first.month > 1 else first
        options = {"match": rng.choice([None, [(1.0, 0.06)], M50, [(1.0, 0.03), (0.5, 0.05)]]),
                   "true_up": rng.random() < 0.3, "stops_at_402g": rng.random() < 0.7,
                   "stops_at_415c": rng.random() < 0.3,
                   "other_employer_deferrals": rng.choice([0, 0, 5000, 20000])}
        if rng.random() < 0.5:
            day = first + dt.timedelta(days=rng.randint(0, (dt.date(2026, 12, 31) - first).days))
            options["bonuses"] = [(day.isoformat(), rng.choice([3000.5, 25000, 80000]), rng.random() < 0.8)]
        pay = rng.choice([1234.56, 4000, 7692.31, 15000, 25000])
        age = rng.choice([30, 50, 60, 64])
        elections = None if rng.random() < 0.5 else (rng.randrange(0, 40) / 100, rng.randrange(0, 40) / 100)
        cases[f"random-{seed}-{index}"] = (first.isoformat(), frequency, pay, age, options, elections)
    return cases


CASES = {**HAND, **random_cases(seed(6, "paycheck-workbook"), 10)}


def engine_plan(case: tuple):
    first, frequency, pay, age, options, elections = case
    if elections is None:
        solved = solve_elections(first, frequency, pay, age, **options)
        elections = (solved.deferral_election, solved.after_tax_election)
    return elections, paycheck_schedule(first, frequency, pay, age, *elections, **options)


def write_case(case: tuple, path: Path) -> Path:
    first, frequency, pay, age, options, elections = case
    deferral, after_tax = elections if elections else (None, None)
    paychecks.write(path, force=True, first_pay_date=first, frequency=frequency, pay_per_period=pay, age=age,
                    deferral_election=deferral, after_tax_election=after_tax, **options)
    return path


def _serial(value) -> float:
    if isinstance(value, dt.datetime):
        return (value.date() - dt.date(1899, 12, 30)).days
    return float(value)


def compare(values: dict, plan, engine_name: str) -> list[str]:
    """Every mismatch between a recalculated workbook and the engine's plan (empty when they agree)."""
    sheet = values[paychecks.SHEET]
    problems = []
    columns = {field: letter for letter, field, *_ in paychecks.TABLE if field}
    for index, row in enumerate(plan.paychecks):
        r = paychecks.TABLE_TOP + index
        for field, letter in columns.items():
            expected = getattr(row, field)
            got = sheet.get(f"{letter}{r}")
            if field == "date":
                ok = got is not None and _serial(got) == (expected - dt.date(1899, 12, 30)).days
            elif field == "kind":
                ok = got == expected
            else:
                ok = got is not None and abs(float(got) - float(expected)) < 0.005
            if not ok:
                problems.append(f"{engine_name} {letter}{r} {field}: workbook {got!r} engine {expected!r}")
    after = paychecks.TABLE_TOP + len(plan.paychecks)
    if after <= paychecks.TABLE_LAST and sheet.get(f"C{after}") not in (None, ""):
        problems.append(f"{engine_name} row {after} should be empty: {sheet.get(f'C{after}')!r}")
    for offset, (field, _, _) in enumerate(paychecks.TOTALS):
        got = sheet.get(f"B{paychecks.TOTALS_TOP + offset}")
        expected = getattr(plan, field)
        if got is None or abs(float(got) - float(expected)) >= 0.005:
            problems.append(f"{engine_name} total {field}: workbook {got!r} engine {expected!r}")
    return problems


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    folder = tmp_path_factory.mktemp("paychecks")
    result = {}
    for name, case in CASES.items():
        _, plan = engine_plan(case)
        result[name] = (write_case(case, folder / f"{name}.xlsx"), plan)
    return result


def _written_formulas(path: Path) -> dict[str, dict[str, tuple[str, dict]]]:
    """{worksheet part: {cell: (formula text, the <f> element's attributes)}} as written in the file (~15 ms a
    workbook where openpyxl's full load, recalc.formula_cells, takes ~65 ms)."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    parts = {}
    with zipfile.ZipFile(path) as archive:
        names = [name for name in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name)]
        for part in sorted(names, key=lambda name: int(name[19:-4])):
            cells = {}
            with archive.open(part) as stream:
                for _, element in ElementTree.iterparse(stream):
                    if element.tag == f"{main}c":
                        formula = element.find(f"{main}f")
                        if formula is not None:
                            cells[element.get("r")] = (formula.text, dict(formula.attrib))
                        element.clear()
            parts[part] = cells
    return parts


def test_every_case_has_the_same_formulas(generated):
    import recalc

    texts = {name: _written_formulas(path) for name, (path, _) in generated.items()}
    reference = texts[next(iter(CASES))]
    assert all(text == reference for text in texts.values())
    # The file reader sees what openpyxl sees: every formula plain (no shared or array formulas), the same text.
    assert all(not attributes for part in reference.values() for _, attributes in part.values())
    first = recalc.formula_cells(generated[next(iter(CASES))][0])
    assert [{cell: "=" + text for cell, (text, _) in part.items()} for part in reference.values()] == list(
        first.values())
    allowed = {"MIN", "MAX", "IF", "AND", "OR", "INDEX", "MATCH", "SUMPRODUCT", "ROUND", "FLOOR", "DATE", "YEAR",
               "MONTH", "DAY"}
    used = {name for sheet in first.values() for text in sheet.values() for name in re.findall(r"([A-Z]+)\(", text)}
    assert used <= allowed, used - allowed


@pytest.mark.slow
def test_libreoffice_equals_the_engine(generated):
    need_tool("soffice", "apt-get install libreoffice-calc-nogui")
    import recalc

    values = recalc.libreoffice_cells([path for path, _ in generated.values()], jobs=2)
    problems = []
    for name, (path, plan) in generated.items():
        assert recalc.error_cells(values[path]) == {}, name
        problems += [f"{name}: {p}" for p in compare(values[path], plan, "LibreOffice")]
    assert problems == []


@pytest.mark.slow
def test_formulas_equals_the_engine(generated):
    import recalc

    # `formulas` (a second engine: ~8 s to compile, ~2 s a case) on two hand cases and the first random one;
    # LibreOffice (one soffice for the run) checks every case above. With the stock seed these three reach
    # every (formula, outcome) pair that the first four hand cases and the first random one reached, and 16
    # more (a formula: its text with relative row references as offsets; an outcome: empty, zero, positive,
    # negative or the text shown).
    names = ["27-checks-carried-19pct", "low-pay-100pct-of-pay", list(CASES)[len(HAND)]]
    model = recalc.FormulasWorkbook(generated[names[0]][0])
    problems = []
    for name in names:
        path, plan = generated[name]
        cells = _input_cells(path)
        values = model.values(cells)
        assert recalc.error_cells(values) == {}, name
        problems += [f"{name}: {p}" for p in compare(values, plan, "formulas")]
    assert problems == []


def _input_cells(path: Path) -> dict[tuple[str, str], object]:
    book = load_workbook(path)
    names = book.defined_names
    cells = {}
    for letter_name in paychecks.inputs_for("2026-01-02", "biweekly", 1, 30, 0):
        sheet, ref = names[letter_name].attr_text.split("!")
        sheet = sheet.strip("'")
        value = book[sheet][ref.replace("$", "")].value
        # formulas takes numbers: a date cell as its serial, a blank (numeric context only) as 0.
        cells[(sheet, ref.replace("$", ""))] = 0 if value is None else (
            _serial(value) if isinstance(value, dt.datetime) else value)
    return cells


def test_stock_template_is_current_and_says_it_is_not_advice(tmp_path):
    fresh = paychecks.write(tmp_path / "paychecks.xlsx")
    ours, stock = load_workbook(fresh), load_workbook(STOCK)
    for sheet in ours.worksheets:
        assert {c.coordinate: c.value for row in sheet.iter_rows() for c in row} == {
            c.coordinate: c.value for row in stock[sheet.title].iter_rows() for c in row}, sheet.title
        texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert any("not individual tax advice" in text for text in texts), sheet.title


def test_never_overwrites_unless_asked(tmp_path):
    target = tmp_path / "p.xlsx"
    target.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        paychecks.write(target)
    assert target.read_bytes() == b"mine"
    paychecks.write(target, force=True)
    assert load_workbook(target)["Paychecks"]["B10"].value == 0.19
