"""The ACP census template's native formulas give the engine's answers, in LibreOffice and in `formulas`.

Census rows are pasted into a generated template (as a user would), the workbook is recalculated by both
spreadsheet engines, and every figure is compared with :func:`megabackdoor.acp.run_acp` on the same rows:
HCE status, ratios, the test, the leveled ratio, the total excess, each refund and recharacterization to the
cent (both round each person's amount above the dollar level to the whole cent, half up) and the what-if.

The random censuses take their seeds from tests/_seeds.py (each case's stock seed on a plain run, a derived one
under ``MEGABACKDOOR_SEED``); the outcomes the coverage check needs (a passing census, a failing one with at least
three refunds, ADP excesses recharacterized as catch-up and as after-tax) are forced by construction of the draw
(:func:`force_acp`, :func:`adp_census`), so every seed covers them.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pandas as pd
import pytest
from _seeds import replay_hint, seed
from _tiers import need_tool
from openpyxl import load_workbook

from megabackdoor.acp import hce_flags, run_acp, what_if_hce_acp
from megabackdoor.adp import run_nondiscrimination
from megabackdoor.workbook import acp_template

ROOT = Path(__file__).resolve().parents[1]
STOCK = ROOT / acp_template.TEMPLATE_PATH
CENT = 0.005  # the same cent: float noise only
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
    # every census has an eligible HCE and NHCE, and three top-paid eligible HCEs (rows 2-4, HCEs in every
    # year and in any top-paid group) whose contributions force_acp and adp_census may set
    rows[0] = ("H0", 300000, 300000.0, "N", "Y", 9000, 25000, 24500)
    rows[1] = ("N0", 60000, 58000.0, "N", "Y", 1200, 0, None)
    for slot in (2, 3, 4):
        rows[slot] = (f"T{slot}", 400000.0, 400000.0, "N", "Y", 9000.0, rows[slot][6], None)
    return rows


def _cents_down(value: float) -> float:
    return math.floor(round(value * 100, 6)) / 100


def _cents_up(value: float) -> float:
    return math.ceil(round(value * 100, 6)) / 100


def _hce(rows: list[tuple], plan_year: int, top_paid_group: bool = False) -> list[bool]:
    """HCE status depends only on lookback pay and ownership, which forcing never changes."""
    return hce_flags(frame_of(rows), plan_year, top_paid_group)[0].tolist()


def force_acp(rows: list[tuple], plan_year: int, outcome: str, **keywords) -> list[tuple]:
    """``rows`` with the eligible HCEs' match and after-tax rewritten so the ACP test ``outcome`` holds.

    "pass": each eligible HCE's ratio is at most half the NHCE ACP (truncated to 0.01%), so the HCE ACP is at
    most the limit. "fail": every eligible HCE has pay and an after-tax ratio of at least 1.25 x the NHCE ACP +
    3% (above the limit, max(1.25 n, min(2 n, n + 2%)), whatever ADP correction later forfeits of the match),
    and the three top-paid HCEs (rows 2-4) contribute the same, largest dollar amount, so dollar leveling
    refunds at least those three. Bounds use 345,000 <= the §401(a)(17) pay cap <= 360,000 (2024-2026).
    """
    nhce_acp = run_acp(frame_of(rows), plan_year, **keywords).test.nhce_acp
    hce = _hce(rows, plan_year, keywords.get("top_paid_group", False))
    rows = list(rows)
    if outcome == "pass":
        target = math.floor(nhce_acp / 2 * 10000) / 10000
        for r, row in enumerate(rows):
            if hce[r] and row[4] == "Y":
                total = _cents_down(target * min(row[1], 345000))
                match = _cents_down(total / 2)
                rows[r] = (*row[:5], match, round(total - match, 2), *row[7:])
        return rows
    assert outcome == "fail", outcome
    floor = 1.25 * nhce_acp + 0.03
    for r, row in enumerate(rows):
        if hce[r] and row[4] == "Y":
            pay = row[1] or row[2]
            rows[r] = (row[0], pay, *row[2:6], max(row[6], _cents_up(floor * min(pay, 360000))), *row[7:])
    top = max(row[5] + row[6] for row in rows)
    for slot in (2, 3, 4):
        row = rows[slot]
        rows[slot] = (*row[:6], round(top + 1000 - row[5], 2), *row[7:])
    return rows


def frame_of(rows: list[tuple]) -> pd.DataFrame:
    ages = [row[8] if len(row) > 8 else None for row in rows]
    qnecs = [row[9] if len(row) > 9 else None for row in rows]
    rows = [row[:8] for row in rows]
    frame = pd.DataFrame(rows, columns=["id", "compensation", "prior_compensation", "owner_5pct", "eligible", "match",
                                        "after_tax", "deferrals"])
    if any(age is not None for age in ages):
        frame["age"] = [float(age or 0) for age in ages]
    if any(qnec is not None for qnec in qnecs):
        frame["qnec"] = [float(qnec or 0) for qnec in qnecs]
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
        if len(values) > 9:
            census.cell(r, 27, values[9])   # AA: QNEC
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

def adp_census(seed: int, size: int, plan_year: int, top_age: int = 55) -> list[tuple]:
    """Random rows with deferrals (some over §402(g)) and ages (some 50+, some 60-63) whose ADP fails.

    By construction: every NHCE defers at most 1% of pay and every eligible HCE has pay and defers at least 3%
    (the limit is at most 2.5% for an NHCE ADP of 1% or the 1.25% prior-year figure used below), so every HCE
    is leveled to the limit. The top-paid HCEs (rows 2-4) defer 23,500 (within §402(g) from 2025): the total
    excess (each HCE's deferrals less at most 2.5% of 360,000) exceeds what dollar leveling takes above 23,500,
    so each of them has an excess, recharacterized as catch-up at ``top_age`` 50+ (unused catch-up room) and
    otherwise distributed or recharacterized as after-tax in full.
    """
    rng = random.Random(seed)
    rows = []
    drawn = random_census(seed, size)
    hce = _hce(drawn, plan_year)
    for r, row in enumerate(drawn):
        age = rng.choice([30, 45, 50, 55, 61, 64, None])
        if hce[r]:
            deferrals = rng.choice([0, 12000, 20000, 24500, 24500, 30000])
            pay = row[1] or row[2]
            deferrals = max(deferrals, _cents_up(0.03 * min(pay, 360000)))
            row = (row[0], pay, *row[2:])
        else:
            deferrals = min(rng.choice([0, 0, 0, 1000, 2500]), _cents_down(0.01 * row[1]))
        if r in (2, 3, 4):
            deferrals, age = 23500, top_age
        rows.append((*row[:7], deferrals, age))
    return rows


# Treas. Reg. §1.401(m)-2(a)(7) Example 5's census without the shift of E's deferrals: E's 400% match is
# capped at 2 x the representative matching rate (50%) x $2,000 = $2,000.
EXAMPLE_5 = [*EXAMPLE_2[:4], ("E", 40000, 40000, "N", "Y", 8000, 0, 2000), ("F", 10000, 10000, "N", "Y", 0, 0, 0)]

CASES = {  # name: (rows, settings, run_acp keywords); AdpFirst "Y" (the default) runs both tests in order
    "reg-example-2": (EXAMPLE_2, {"PlanYear": 2026, "WhatIfRate": 0.02}, {}),
    "reg-example-5-capped-match": (EXAMPLE_5, {"PlanYear": 2026, "AdpFirst": "N", "WhatIfRate": 0.0}, {}),
    "adp-catch-up": (adp_census(seed(7, "acp-adp-catch-up"), 26, 2026),
                     {"PlanYear": 2026, "EarningsRate": 0.04, "WhatIfRate": 0.03}, {"earnings_rate": 0.04}),
    "adp-recharacterize-prior": (adp_census(seed(8, "acp-adp-recharacterize"), 24, 2026, top_age=40),
                                 {"PlanYear": 2026, "AdpCorrection": "recharacterize", "Testing": "prior",
                                  "PriorNhceAcp": 0.021, "AdpTesting": "prior", "PriorNhceAdp": 0.0125,
                                  "WhatIfRate": 0.05},
                                 {"testing": "prior", "prior_nhce_acp": 0.021}),
    "adp-no-catch-up": (adp_census(seed(13, "acp-adp-no-catch-up"), 20, 2025),
                        {"PlanYear": 2025, "CatchUpFirst": "N", "WhatIfRate": 0.02}, {}),
    "adp-safe-harbor": (adp_census(seed(10, "acp-adp-safe-harbor"), 20, 2026),
                        {"PlanYear": 2026, "AdpSafeHarbor": "Y", "WhatIfRate": 0.02}, {}),
    "hand": (HAND, {"PlanYear": 2026, "EarningsRate": 0.05, "WhatIfRate": 0.03}, {"earnings_rate": 0.05}),
    "random-1": (random_census(seed(1, "acp-random-1"), 24), {"PlanYear": 2026, "WhatIfRate": 0.06}, {}),
    "random-2-top-paid-passes": (force_acp(random_census(seed(2, "acp-random-2"), 30), 2025, "pass",
                                           top_paid_group=True),
                                 {"PlanYear": 2025, "TopPaidGroup": "Y", "EarningsRate": -0.03, "WhatIfRate": 0.1},
                                 {"top_paid_group": True, "earnings_rate": -0.03}),
    "random-3-prior": (random_census(seed(3, "acp-random-3"), 20), {"PlanYear": 2024, "Testing": "prior",
                                                                    "PriorNhceAcp": 0.0312, "WhatIfRate": 0.02},
                       {"testing": "prior", "prior_nhce_acp": 0.0312}),
    "random-4-projected": (random_census(seed(4, "acp-random-4"), 26, hce_saving=(0.1, 0.15, 0.2)),
                           {"PlanYear": 2029, "WhatIfRate": 0.15}, {}),
    "random-5-many-refunds": (force_acp(random_census(seed(5, "acp-random-5"), 30, hce_saving=(0.05, 0.1, 0.2)),
                                        2026, "fail"),
                              {"PlanYear": 2026, "EarningsRate": 0.071, "WhatIfRate": 0.04},
                              {"earnings_rate": 0.071}),
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
        earnings_rate=keywords.get("earnings_rate", 0.0), matched=keywords.get("matched", "deferrals"),
        match_vested=keywords.get("match_vested", 1.0), match_tiers=keywords.get("match_tiers"),
        qnec_test="acp" if keywords.get("qnec_in_acp") else "adp" if settings.get("QnecInAdp") == "Y" else "none")
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
                               ("V", "match_forfeited"), ("AF", "qnec_counted")):
            assert sheet.get(f"{letter}{r}", 0) == pytest.approx(person[column], abs=CENT), (engine, r, letter)


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
        assert census.get(f"R{r}", 0) == pytest.approx(person["refund"], abs=CENT), (engine, r)
        for letter, column in (("W", "refund_after_tax"), ("X", "refund_match"), ("Y", "match_forfeited"),
                               ("S", "earnings")):
            assert census.get(f"{letter}{r}", 0) == pytest.approx(person[column], abs=CENT), (
                engine, r, letter)
    if test.passed:
        assert test_sheet.get("B35") == 0
        return
    c = report.correction
    assert test_sheet["B34"] == pytest.approx(c.leveled_ratio, abs=1e-12)
    assert test_sheet["B35"] == pytest.approx(c.total_excess, abs=1e-9)
    # the sheet shows the exact dollar level; the engine the amount the HCEs cut end at (it rounded)
    assert test_sheet["B36"] == pytest.approx(c.dollar_level, abs=CENT)
    assert test_sheet["B37"] == pytest.approx(float(table["refund"].sum()), abs=CENT)


# Matched after-tax contributions (§1.401(m)-2(b)(3)(v)(B), (b)(5) Examples 2 and 6), no ADP step: the
# NHCEs' ratios 3%, 0, 7.5% average 3.5%, so the limit is 5.5%; the HCEs' 15% and 4.5% average 9.75% and fail.
# H1 levels to 6.5% (11% x 2 HCEs - 4.5%): $30,000 - 6.5% x $200,000 = $17,000; dollar leveling takes H1 and
# H2 ($13,500) down to $13,250: refunds $16,750 and $250. After-tax dollars are matched 50%, so r + 0.5 r =
# $16,750: $11,166.67 after-tax and $5,583.33 match, of which 40% unvested ($2,233.33) is forfeited and
# $14,516.67 paid (5% earnings: $725.83); H2: $166.67 after-tax, $83.33 match, $33.33 forfeited.
MATCHED_HAND = [("H1", 200000, 200000, "N", "Y", 10000, 20000, 0), ("H2", 300000, 300000, "N", "Y", 4500, 9000, 0),
                ("N1", 100000, 100000, "N", "Y", 1000, 2000, 0), ("N2", 80000, 80000, "N", "Y", 0, 0, 0),
                ("N3", 60000, 60000, "N", "Y", 1500, 3000, 0)]


def matched_census(label: str, fixed: int, size: int, on: str) -> list[tuple]:
    """Random rows whose match is 50% of the matched contributions (after-tax, or deferrals and after-tax) up
    to 6% of pay, forced to fail (:func:`force_acp`). The match is set again after forcing: that raises only the
    HCEs' money, and an NHCE's match (at most half its matched money and 3% of pay) is never capped, so the NHCE
    ACP and the failure stand; every refunded HCE has matched after-tax money, so some match is refunded."""
    def with_match(rows: list[tuple]) -> list[tuple]:
        out = []
        for row in rows:
            base = row[6] + ((row[7] or 0) if on == "both" else 0)
            out.append((*row[:5], round(0.5 * min(base, 0.06 * min(row[1], 360000)), 2), *row[6:]))
        return out

    drawn = with_match(random_census(seed(fixed, label), size, hce_saving=(0.05, 0.1, 0.2)))
    return with_match(force_acp(drawn, 2026, "fail"))


CASES.update({
    "matched-after-tax-hand": (MATCHED_HAND, {"PlanYear": 2026, "AdpFirst": "N", "MatchedOn": "after_tax",
                                              "MatchVested": 0.6, "EarningsRate": 0.05, "WhatIfRate": 0.0},
                               {"matched": "after_tax", "match_vested": 0.6, "earnings_rate": 0.05}),
    "matched-after-tax-random": (matched_census("acp-matched-after-tax", 21, 26, "after_tax"),
                                 {"PlanYear": 2026, "MatchedOn": "after_tax", "MatchVested": 0.4,
                                  "EarningsRate": 0.03, "WhatIfRate": 0.05},
                                 {"matched": "after_tax", "match_vested": 0.4, "earnings_rate": 0.03}),
    "matched-both-random": (matched_census("acp-matched-both", 22, 28, "both"),
                            {"PlanYear": 2026, "MatchedOn": "both", "MatchVested": 0.75, "WhatIfRate": 0.05},
                            {"matched": "both", "match_vested": 0.75}),
})


def qnec_census(label: str, fixed: int, size: int) -> list[tuple]:
    """Random rows (no ages) with rows 5-11 eligible NHCEs paid $50,000 with a 2% match, three of them (5-7)
    given a 20% QNEC. By construction at least 8 eligible NHCEs, so the lowest of the top half has no QNEC and a
    rate of at most 4%: those QNECs are capped at pay x max(5%, 2 x that rate) <= 8%."""
    rows = [(*row[:8], None, None) for row in random_census(seed(fixed, label), size)]
    for slot in range(5, 12):
        rows[slot] = (f"Q{slot}", 50000.0, 50000.0, "N", "Y", 1000.0, 0.0, 3000, None,
                      10000.0 if slot < 8 else None)
    return rows


CASES["qnec-capped"] = (qnec_census("acp-qnec", 31, 26), {"PlanYear": 2026, "QnecInAcp": "Y", "WhatIfRate": 0.04},
                        {"qnec_in_acp": True})


# Match tiers (100% up to 3% of pay, 50% up to 5%) on deferrals and after-tax money, QNECs in the ADP. ADP: N3's
# 20% QNEC is capped at 5% of pay (the representative contribution rate is 0%): NHCE ADRs 1, 2.5, 5, 1% -> 2.38%,
# limit 4.38%; HCEs 10% and 4% fail and H1 levels to 4.76%: $10,480 distributed, forfeiting the match on the
# dollars from $20,000 down to $9,520 ($8,000 - $7,760 = $240). ACP on the corrected amounts: H1 3.88%, H2 8%
# against NHCE 1.66% (limit 3.32%): both level to 3.32% ($8,140), by dollars H2 $6,190 and H1 $1,950. H2's
# after-tax money above 5% of pay less its deferrals ($4,500) is unmatched and goes first; the other $1,690
# takes matched after-tax dollars with their 50% match: $1,126.67 + $563.33.
TIERS = ((1.0, 0.03), (0.5, 0.05))
TIERED_HAND = [("H1", 200000, 200000, "N", "Y", 8000, 0, 20000), ("H2", 150000, 200000, "N", "Y", 6000, 6000, 6000),
               ("N1", 100000, 100000, "N", "Y", 1000, 0, 1000), ("N2", 80000, 80000, "N", "Y", 2700, 1000, 2000),
               ("N3", 50000, 50000, "N", "Y", 0, 0, 0, None, 10000), ("N4", 40000, 40000, "N", "Y", 400, 0, 400)]
CASES["tiers-qnec-adp-hand"] = (
    TIERED_HAND, {"PlanYear": 2026, "MatchedOn": "both", "QnecInAdp": "Y", "MatchRate1": 1.0, "MatchUpTo1": 0.03,
                  "MatchRate2": 0.5, "MatchUpTo2": 0.05, "WhatIfRate": 0.02},
    {"matched": "both", "match_tiers": TIERS})


def tiered_census(label: str, fixed: int, size: int, on: str) -> list[tuple]:
    """Random rows whose match follows TIERS on the matched contributions (after-tax, or deferrals and after-tax),
    forced to fail (:func:`force_acp`; the match is set again after forcing, as in :func:`matched_census`)."""
    from megabackdoor.match import bands, match_total

    tiers = bands(TIERS)

    def with_match(rows: list[tuple]) -> list[tuple]:
        out = []
        for row in rows:
            base = row[6] + ((row[7] or 0) if on == "both" else 0)
            out.append((*row[:5], round(match_total(base, min(row[1], 360000), tiers), 2), *row[6:]))
        return out

    drawn = with_match(random_census(seed(fixed, label), size, hce_saving=(0.01, 0.03, 0.1)))
    return with_match(force_acp(drawn, 2026, "fail"))


CASES["tiers-both-random"] = (
    tiered_census("acp-tiers-both", 41, 28, "both"),
    {"PlanYear": 2026, "MatchedOn": "both", "MatchRate1": 1.0, "MatchUpTo1": 0.03, "MatchRate2": 0.5,
     "MatchUpTo2": 0.05, "MatchVested": 0.8, "WhatIfRate": 0.03},
    {"matched": "both", "match_tiers": TIERS, "match_vested": 0.8})


def test_tiered_hand_case_is_the_hand_computation():
    report, _, adp = expected(*CASES["tiers-qnec-adp-hand"])
    a = adp.participants.set_index("id")
    assert a.loc["N3", "qnec_counted"] == 2500.0
    assert (adp.test.nhce_acp, adp.test.limit, adp.correction.leveled_ratio) == (0.0238, 0.0438, 0.0476)
    assert (a.loc["H1", "distributed"], a.loc["H1", "match_forfeited"]) == (10480.0, 240.0)
    b = report.participants.set_index("id")
    assert (report.test.hce_acp, report.test.nhce_acp, report.correction.total_excess) == (0.0594, 0.0166, 8140.0)
    assert b.loc[["H1", "H2"], "refund"].tolist() == [1950.0, 6190.0]
    assert (b.loc["H2", "refund_after_tax"], b.loc["H2", "refund_match"]) == (5626.67, 563.33)
    assert report.settings["representative_matching_rate"] == pytest.approx(0.04 / 0.06)


@pytest.mark.parametrize("name", ["qnec-capped", "qnec-capped-small"])
def test_nhce_qnecs_are_capped_at_the_representative_contribution_rate(name):
    report = expected(*CASES[name])[0]
    table = report.participants
    assert (table["qnec_counted"][5:8] < 10000).all(), replay_hint()
    assert (table["qnec_counted"][5:8] <= 4000).all(), replay_hint()   # 8% of $50,000


def test_matched_after_tax_refunds_carry_their_match():
    report = expected(*CASES["matched-after-tax-hand"])[0]
    h1 = report.participants.iloc[0]
    assert report.test.limit == pytest.approx(0.055) and report.correction.total_excess == 17000
    h2 = report.participants.iloc[1]
    assert (h1["refund"], h1["refund_after_tax"], h1["refund_match"]) == (16750, 11166.67, 5583.33)
    assert (h1["match_forfeited"], h1["earnings"]) == (2233.33, 725.83)
    assert (h2["refund"], h2["refund_after_tax"], h2["refund_match"], h2["match_forfeited"]) == (
        250, 166.67, 83.33, 33.33)
    for name in ("matched-after-tax-random", "matched-both-random", "matched-both-small"):
        table = expected(*CASES[name])[0].participants
        assert (table["refund_match"] > 0).any(), (name, replay_hint())  # by construction


@pytest.fixture(scope="module")
def small_templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("acp_template")
    template = Path(acp_template.write(folder / "template.xlsx", rows=32))
    return {name: fill(template, folder / f"{name}.xlsx", rows, settings)
            for name, (rows, settings, _) in CASES.items()}


def test_cases_cover_pass_fail_and_refunds():
    """Holds for every MEGABACKDOOR_SEED: the outcomes are forced by construction of the draws."""
    hint = replay_hint()
    outcomes = {name: expected(rows, settings, keywords)[0].test.passed for name, (rows, settings, keywords)
                in CASES.items()}
    assert outcomes["random-2-top-paid-passes"] and not outcomes["hand"], (outcomes, hint)
    assert not outcomes["random-5-many-refunds"], hint
    assert expected(*CASES["random-5-many-refunds"])[0].correction.refunds >= 3, hint
    for name in ("adp-catch-up", "adp-catch-up-small"):
        catch_up = expected(*CASES[name])[2]
        assert catch_up.correction is not None and (catch_up.participants["recharacterized_catch_up"] > 0).any(), (
            name, hint)
    recharacterized = expected(*CASES["adp-recharacterize-prior"])[2]
    assert (recharacterized.participants["recharacterized_after_tax"] > 0).any(), hint


@pytest.mark.slow
def test_libreoffice_agrees_with_the_engine(small_templates, tmp_path):
    need_tool("soffice", "apt-get install -y --no-install-recommends libreoffice-calc-nogui")
    import recalc

    stock = fill(STOCK, tmp_path / "stock-filled.xlsx", HAND, CASES["hand"][1])
    paths = [*small_templates.values(), stock]
    # Read from the recalculated documents (no xlsx export and openpyxl read: ~40% less LibreOffice time);
    # every cell checked is a number or text, which both reads give alike (tests/test_recalc_harness.py).
    values = recalc.libreoffice_cells(paths)
    for name, path in small_templates.items():
        assert recalc.error_cells(values[path]) == {}, name
        check(values[path], *expected(*CASES[name]), f"LibreOffice {name}")
    assert recalc.error_cells(values[stock]) == {}
    check(values[stock], *expected(*CASES["hand"]), "LibreOffice stock template")


# `formulas` (the second engine) takes one case per formula path, on a FORMULAS_ROWS-row template (the same
# formulas with shorter ranges: compiling and computing cost grows with the rows, ~5 s to compile and ~1 s a case
# at 12 rows against ~14 s and ~3 s at 32, CPU): the hand census (Y/N given as words, the ADP run first, ACP
# refunds with earnings), the regulation's match cap (Example 5, ACP alone), match tiers with QNECs in the ADP
# (ADP distribution forfeiting tiered match), and the drawn 12-row cases made as their larger siblings are
# (by construction, whatever the seed): ADP excess recharacterized as catch-up, matched refunds with a partly
# vested match, and NHCE QNECs capped in the ACP. LibreOffice takes every case, these too
# (test_libreoffice_agrees_with_the_engine).
FORMULAS_ROWS = 12
CASES.update({
    "adp-catch-up-small": (adp_census(seed(9, "acp-adp-catch-up-small"), FORMULAS_ROWS, 2026),
                           {"PlanYear": 2026, "EarningsRate": 0.04, "WhatIfRate": 0.03}, {"earnings_rate": 0.04}),
    "matched-both-small": (matched_census("acp-matched-both-small", 23, FORMULAS_ROWS, "both"),
                           {"PlanYear": 2026, "MatchedOn": "both", "MatchVested": 0.75, "WhatIfRate": 0.05},
                           {"matched": "both", "match_vested": 0.75}),
    "qnec-capped-small": (qnec_census("acp-qnec-small", 32, FORMULAS_ROWS),
                          {"PlanYear": 2026, "QnecInAcp": "Y", "WhatIfRate": 0.04}, {"qnec_in_acp": True}),
})
FORMULAS_CASES = ["hand", "reg-example-5-capped-match", "tiers-qnec-adp-hand", "adp-catch-up-small",
                  "matched-both-small", "qnec-capped-small"]


@pytest.fixture(scope="module")
def formulas_templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("acp_template_formulas")
    template = Path(acp_template.write(folder / "template.xlsx", rows=FORMULAS_ROWS))
    return {name: fill(template, folder / f"{name}.xlsx", CASES[name][0], CASES[name][1])
            for name in FORMULAS_CASES}


@pytest.fixture(scope="module")
def formulas_model(formulas_templates):
    """`formulas` compiles the blank template once; each case is then its census and settings fed in
    (recalc.FormulasWorkbook.values_of: the same values as compiling the case's own file)."""
    import recalc

    return recalc.FormulasWorkbook(next(iter(formulas_templates.values())).parent / "template.xlsx")


def test_formulas_cases_fit_their_template():
    assert all(len(CASES[name][0]) <= FORMULAS_ROWS for name in FORMULAS_CASES)


@pytest.mark.slow
@pytest.mark.parametrize("name", FORMULAS_CASES)
def test_formulas_agrees_with_the_engine(formulas_model, formulas_templates, name):
    import recalc

    values = formulas_model.values_of(formulas_templates[name])
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
