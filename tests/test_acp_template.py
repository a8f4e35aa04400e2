"""The ACP census template's native formulas give the engine's answers, in LibreOffice and in `formulas`.

Census rows are pasted into a generated template (as a user would), the workbook is recalculated by both
spreadsheet engines, and every figure is compared with :func:`megabackdoor.acp.run_acp` on the same rows:
HCE status, ratios, the test, the leveled ratio, the total excess, each refund (to the cent; the template
rounds each refund, the engine also hands out the odd cents) and the what-if.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from _tiers import need_tool
from openpyxl import load_workbook

from megabackdoor.acp import run_acp, what_if_hce_acp
from megabackdoor.adp import run_nondiscrimination
from megabackdoor.workbook import acp_template

ROOT = Path(__file__).resolve().parents[1]
STOCK = ROOT / acp_template.TEMPLATE_PATH
HAND = [("A", 200000, 200000, "N", "Y", 6000, 14000, None), ("B", 100000, 200000, "N", "Y", 3000, 7000, None),
        ("C", 200000, 200000, "N", "Y", 4000, 0, None), ("N1", 100000, 100000, "N", "Y", 2000, 0, None),
        ("N2", 100000, 100000, "no", "yes", 1000, 1000, None), ("X", 100000, 500000, "N", "N", 0, 0, None)]


def random_census(seed: int, size: int, hce_saving: tuple[float, ...] = (0, 0, 0.01, 0.05, 0.1)) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for index in range(size):
        hce_like = rng.random() < 0.35
        prior = rng.choice([160000, 200000, 250000.5, 400000]) if hce_like else rng.randrange(20000, 160001, 500)
        pay = round(prior * rng.uniform(0.8, 1.3), 2) if rng.random() < 0.9 else 0.0
        match = round(min(pay, 360000) * rng.choice([0, 0.02, 0.03, 0.04]), 2)
        saving = hce_saving if hce_like else (0, 0, 0.01, 0.05, 0.1)
        after_tax = round(min(pay, 360000) * rng.choice(saving) * rng.random(), 2)
        if pay == 0:
            match = after_tax = 0.0
        owner = rng.choice(["Y"] + ["N"] * 15)
        eligible = rng.choice(["Y"] * 9 + ["N"])
        deferrals = rng.choice([None, 0, 10000, 24500, 31000])
        rows.append((f"E{index:03d}", pay, float(prior), owner, eligible, match, after_tax, deferrals))
    # every census has an eligible HCE and NHCE
    rows[0] = ("H0", 300000, 300000.0, "N", "Y", 9000, 25000, 24500)
    rows[1] = ("N0", 60000, 58000.0, "N", "Y", 1200, 0, None)
    return rows


def frame_of(rows: list[tuple]) -> pd.DataFrame:
    ages = [row[8] if len(row) > 8 else None for row in rows]
    rows = [row[:8] for row in rows]
    frame = pd.DataFrame(rows, columns=["id", "compensation", "prior_compensation", "owner_5pct", "eligible", "match",
                                        "after_tax", "deferrals"])
    if any(age is not None for age in ages):
        frame["age"] = [float(age or 0) for age in ages]
    for name in ("owner_5pct", "eligible"):
        frame[name] = frame[name].str.upper().str[0] == "Y"
    frame["deferrals"] = frame["deferrals"].fillna(0).astype(float)
    frame.insert(0, "row", range(2, len(rows) + 2))
    return frame.astype({"compensation": float, "match": float, "after_tax": float})


def fill(template: Path, target: Path, rows: list[tuple], settings: dict[str, object]) -> Path:
    book = load_workbook(template)
    census = book["Census"]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values[:8], start=1):
            census.cell(r, c, value)
        if len(values) > 8:
            census.cell(r, 22, values[8])   # V: age by 31 December
    names = book.defined_names
    for name, value in settings.items():
        sheet, ref = names[name].attr_text.split("!")
        book[sheet.strip("'")][ref.replace("$", "")].value = value
    book.save(target)
    return target


# Treas. Reg. §1.401(m)-2(a)(7) Example 2 (A, B HCEs; C-F NHCEs): NHCE ACP 6.5875% rounds to 6.59%, HCE ACP
# 12.105% to 12.11%; the plan fails and levels to 8.59% (the limit from the rounded NHCE figure).
EXAMPLE_2 = [("A", 190000, 190000, "N", "Y", 9250, 3500, 15000), ("B", 100000, 200000, "N", "Y", 7500, 10000, 5000),
             ("C", 85000, 85000, "N", "Y", 6000, 0, 12000), ("D", 70000, 70000, "N", "Y", 4750, 0, 9500),
             ("E", 40000, 40000, "N", "Y", 5000, 0, 10000), ("F", 10000, 10000, "N", "Y", 0, 0, 0)]

def adp_census(seed: int, size: int) -> list[tuple]:
    """Random rows with deferrals (some over §402(g)) and ages (some 50+, some 60-63) so the ADP fails."""
    rng = random.Random(seed)
    rows = []
    for row in random_census(seed, size):
        hce_like = row[2] > 160000
        deferrals = rng.choice([0, 12000, 20000, 24500, 24500, 30000] if hce_like else [0, 0, 0, 1000, 2500])
        age = rng.choice([30, 45, 50, 55, 61, 64, None])
        rows.append((*row[:7], deferrals, age))
    return rows


# Treas. Reg. §1.401(m)-2(a)(7) Example 5's census without the shift of E's deferrals: E's 400% match is
# capped at 2 x the representative matching rate (50%) x $2,000 = $2,000.
EXAMPLE_5 = [*EXAMPLE_2[:4], ("E", 40000, 40000, "N", "Y", 8000, 0, 2000), ("F", 10000, 10000, "N", "Y", 0, 0, 0)]

CASES = {  # name: (rows, settings, run_acp keywords); AdpFirst "Y" (the default) runs both tests in order
    "reg-example-2": (EXAMPLE_2, {"PlanYear": 2026, "WhatIfRate": 0.02}, {}),
    "reg-example-5-capped-match": (EXAMPLE_5, {"PlanYear": 2026, "AdpFirst": "N", "WhatIfRate": 0.0}, {}),
    "adp-catch-up": (adp_census(7, 26), {"PlanYear": 2026, "EarningsRate": 0.04, "WhatIfRate": 0.03}, {
        "earnings_rate": 0.04}),
    "adp-recharacterize-prior": (adp_census(8, 24), {"PlanYear": 2026, "AdpCorrection": "recharacterize",
                                                     "Testing": "prior", "PriorNhceAcp": 0.021,
                                                     "AdpTesting": "prior", "PriorNhceAdp": 0.0125,
                                                     "WhatIfRate": 0.05},
                                 {"testing": "prior", "prior_nhce_acp": 0.021}),
    "adp-no-catch-up": (adp_census(13, 20), {"PlanYear": 2025, "CatchUpFirst": "N", "WhatIfRate": 0.02},
                                    {}),
    "adp-safe-harbor": (adp_census(10, 20), {"PlanYear": 2026, "AdpSafeHarbor": "Y", "WhatIfRate": 0.02}, {}),
    "hand": (HAND, {"PlanYear": 2026, "EarningsRate": 0.05, "WhatIfRate": 0.03}, {"earnings_rate": 0.05}),
    "random-1": (random_census(1, 24), {"PlanYear": 2026, "WhatIfRate": 0.06}, {}),
    "random-2-top-paid": (random_census(2, 30), {"PlanYear": 2025, "TopPaidGroup": "Y", "EarningsRate": -0.03,
                                                 "WhatIfRate": 0.1}, {"top_paid_group": True, "earnings_rate": -0.03}),
    "random-3-prior": (random_census(3, 20), {"PlanYear": 2024, "Testing": "prior", "PriorNhceAcp": 0.0312,
                                              "WhatIfRate": 0.02},
                       {"testing": "prior", "prior_nhce_acp": 0.0312}),
    "random-4-projected": (random_census(4, 26, hce_saving=(0.1, 0.15, 0.2)), {"PlanYear": 2029, "WhatIfRate": 0.15},
                           {}),
    "random-5-many-refunds": (random_census(5, 30, hce_saving=(0.05, 0.1, 0.2)),
                              {"PlanYear": 2026, "EarningsRate": 0.071, "WhatIfRate": 0.04}, {
        "earnings_rate": 0.071}),
}


def expected(rows: list[tuple], settings: dict, keywords: dict) -> tuple:
    frame = frame_of(rows)
    year, tpg = settings["PlanYear"], keywords.get("top_paid_group", False)
    if settings.get("AdpFirst", "Y") != "Y":
        report = run_acp(frame, year, **keywords)
        return report, what_if_hce_acp(frame, year, settings["WhatIfRate"], top_paid_group=tpg), None
    adp_testing = settings.get("AdpTesting", "current")
    both = run_nondiscrimination(
        frame, year, acp_testing=keywords.get("testing", "current"), prior_nhce_acp=keywords.get("prior_nhce_acp"),
        adp_testing=adp_testing, prior_nhce_adp=settings.get("PriorNhceAdp") if adp_testing == "prior" else None,
        adp_correction=settings.get("AdpCorrection", "distribute"), catch_up=settings.get("CatchUpFirst", "Y") == "Y",
        adp_safe_harbor=settings.get("AdpSafeHarbor", "N") == "Y", top_paid_group=tpg,
        earnings_rate=keywords.get("earnings_rate", 0.0))
    what_if = what_if_hce_acp(both.adp.corrected, year, settings["WhatIfRate"], top_paid_group=tpg)
    return both.acp, what_if, both.adp


def check_adp(values: dict, adp, engine: str) -> None:
    sheet = values["ADP"]
    test = adp.test
    assert sheet["B15"] == test.hce_count and sheet["B16"] == test.nhce_count, engine
    assert sheet["B20"] == pytest.approx(test.hce_acp, abs=1e-12) and sheet["B21"] == pytest.approx(test.nhce_acp,
                                                                                                     abs=1e-12)
    assert sheet["B22"] == pytest.approx(test.limit, abs=1e-12), engine
    verdict = "safe harbor" if adp.safe_harbor else "PASS" if test.passed else "FAIL"
    assert sheet["B23"] == verdict, engine
    if adp.correction is not None:
        assert sheet["B25"] == pytest.approx(adp.correction.leveled_ratio, abs=1e-12), engine
        assert sheet["B26"] == pytest.approx(adp.correction.total_excess, abs=1e-9), engine
    for index, person in adp.participants.iterrows():
        r = index + 2
        if person["eligible"]:
            assert sheet.get(f"M{r}") == pytest.approx(person["ratio"], abs=1e-12), (engine, r)
        for letter, column in (("Q", "excess_contributions"), ("S", "recharacterized_catch_up"),
                               ("T", "distributed"), ("U", "recharacterized_after_tax"),
                               ("V", "match_forfeited")):
            assert sheet.get(f"{letter}{r}", 0) == pytest.approx(person[column], abs=0.0200001), (engine, r, letter)


def check(values: dict, report, what_if: float, adp, engine: str) -> None:
    if adp is not None:
        check_adp(values, adp, engine)
    test_sheet, census = values["Test"], values["Census"]
    test = report.test
    assert test_sheet["B22"] == test.hce_count and test_sheet["B23"] == test.nhce_count, engine
    assert test_sheet["B27"] == pytest.approx(test.hce_acp, abs=1e-12)
    assert test_sheet["B28"] == pytest.approx(test.nhce_acp, abs=1e-12)
    assert test_sheet["B29"] == pytest.approx(test.limit, abs=1e-12)
    assert test_sheet["B30"] == ("PASS" if test.passed else "FAIL"), engine
    assert test_sheet["B43"] == pytest.approx(what_if, abs=1e-12)
    table = report.participants
    for index, person in table.iterrows():
        r = index + 2
        assert census.get(f"I{r}") == int(person["hce"]), (engine, r)
        if person["eligible"]:
            assert census.get(f"M{r}") == pytest.approx(person["ratio"], abs=1e-12), (engine, r)
            assert census.get(f"O{r}") == pytest.approx(person["leveled_ratio"], abs=1e-9), (engine, r)
        assert census.get(f"R{r}", 0) == pytest.approx(person["refund"], abs=0.0100001), (engine, r)
    if test.passed:
        assert test_sheet.get("B35") == 0
        return
    c = report.correction
    assert test_sheet["B34"] == pytest.approx(c.leveled_ratio, abs=1e-12)
    assert test_sheet["B35"] == pytest.approx(c.total_excess, abs=1e-9)
    assert test_sheet["B36"] == pytest.approx(c.dollar_level, abs=0.0100001)
    assert test_sheet["B37"] == pytest.approx(c.total_excess, abs=0.01 * c.refunds + 1e-9)


@pytest.fixture(scope="module")
def small_templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("acp_template")
    template = Path(acp_template.write(folder / "template.xlsx", rows=32))
    return {name: fill(template, folder / f"{name}.xlsx", rows, settings)
            for name, (rows, settings, _) in CASES.items()}


def test_cases_cover_pass_fail_and_refunds():
    outcomes = {name: expected(rows, settings, keywords)[0].test.passed for name, (rows, settings, keywords)
                in CASES.items()}
    adp = {name: expected(*case)[2] for name, case in CASES.items() if name.startswith("adp-")}
    assert any(a.correction is not None and (a.participants["recharacterized_catch_up"] > 0).any()
               for a in adp.values())
    assert any((a.participants["recharacterized_after_tax"] > 0).any() for a in adp.values())
    assert not outcomes["hand"] and any(outcomes.values()) and not all(outcomes.values())
    refunds = expected(*CASES["random-5-many-refunds"])[0].correction.refunds
    assert refunds >= 3


@pytest.mark.slow
def test_libreoffice_agrees_with_the_engine(small_templates, tmp_path):
    need_tool("soffice", "apt-get install -y --no-install-recommends libreoffice-calc-nogui")
    import recalc

    stock = fill(STOCK, tmp_path / "stock-filled.xlsx", HAND, CASES["hand"][1])
    paths = [*small_templates.values(), stock]
    values = recalc.libreoffice_values(paths)
    for name, path in small_templates.items():
        assert recalc.error_cells(values[path]) == {}, name
        check(values[path], *expected(*CASES[name]), f"LibreOffice {name}")
    assert recalc.error_cells(values[stock]) == {}
    check(values[stock], *expected(*CASES["hand"]), "LibreOffice stock template")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["hand", "random-5-many-refunds", "adp-catch-up", "reg-example-5-capped-match"])
def test_formulas_agrees_with_the_engine(small_templates, name):
    import recalc

    values = recalc.formulas_values(small_templates[name])
    assert recalc.error_cells(values) == {}
    check(values, *expected(*CASES[name]), f"formulas {name}")


def test_stock_template_is_the_generator_output(tmp_path):
    fresh = Path(acp_template.write(tmp_path / "fresh.xlsx"))
    assert fresh.read_bytes() == STOCK.read_bytes(), "regenerate: python -m megabackdoor.workbook.acp_template --force"


def test_every_sheet_says_educational_and_uses_only_portable_functions():
    book = load_workbook(STOCK)
    for sheet in book.worksheets:
        texts = [c.value for row in sheet.iter_rows(max_row=60) for c in row if isinstance(c.value, str)]
        assert any("Educational, not individual tax advice" in t for t in texts), sheet.title
    formulas = " ".join(c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row
                        if isinstance(c.value, str) and c.value.startswith("="))
    for banned in ("XLOOKUP", "LET(", "FILTER(", "SEQUENCE(", "UNIQUE(", "_xlfn", "OFFSET("):
        assert banned not in formulas.upper()
    assert set(book.defined_names) >= {"PlanYear", "HceThreshold", "CompLimit", "AcpLimit", "Result", "TotalExcess"}


def test_template_writer_refuses_to_overwrite(tmp_path):
    path = tmp_path / "t.xlsx"
    acp_template.write(path, rows=3)
    with pytest.raises(FileExistsError, match="--force"):
        acp_template.write(path, rows=3)
    assert acp_template.main([str(path), "--rows", "3"]) == 2
