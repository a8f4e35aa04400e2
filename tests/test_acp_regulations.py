"""The ACP engine against the regulation's own worked examples (Treas. Reg. §1.401(m)-2, eCFR text): group
averages rounded to the hundredth (§1.401(m)-2(a)(2)(i)), matched after-tax refunds carry their match, and the
disproportionate match / QNEC caps. Every number below is the regulation's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from megabackdoor.acp import run_acp
from megabackdoor.acp_rules import acp_limit, acp_test


def census(rows, **extra) -> pd.DataFrame:
    """rows: (id, pay, prior pay, owner, match, after_tax, deferrals); all eligible."""
    frame = pd.DataFrame(rows, columns=["id", "compensation", "prior_compensation", "owner_5pct", "match",
                                        "after_tax", "deferrals"])
    frame.insert(0, "row", range(2, len(rows) + 2))
    frame["eligible"] = True
    for name, values in extra.items():
        frame[name] = values
    return frame.astype({c: float for c in ("compensation", "prior_compensation", "match", "after_tax",
                                            "deferrals")})


# §1.401(m)-2(a)(7) Example 2: A and B HCEs (B made an HCE by lookback pay), C-F NHCEs, 50% match on
# elective and employee contributions, elective contributions not counted in the ACP.
EXAMPLE_2 = [("A", 190000, 190000, False, 9250, 3500, 15000), ("B", 100000, 200000, False, 7500, 10000, 5000),
             ("C", 85000, 85000, False, 6000, 0, 12000), ("D", 70000, 70000, False, 4750, 0, 9500),
             ("E", 40000, 40000, False, 5000, 0, 10000), ("F", 10000, 10000, False, 0, 0, 0)]


def ratios(report) -> dict[str, float]:
    table = report.participants
    return dict(zip(table["id"], (round(r * 100, 2) for r in table["ratio"]), strict=True))


def test_a7_example_1_two_point_leg():
    # HCE 6%, NHCE 4.5%: 6% > 5.63% (1.25x) but within +2 points and 2x (9%): passes.
    result = acp_test([0.06], [0.045])
    assert result.passed and result.binding == "+2 points" and result.limit == 0.065


def test_a7_example_2_rounds_group_averages_and_fails():
    report = run_acp(census(EXAMPLE_2), 2026, matched="both")
    assert ratios(report) == {"A": 6.71, "B": 17.5, "C": 7.06, "D": 6.79, "E": 12.5, "F": 0.0}
    test = report.test
    # (6.71 + 17.50)/2 = 12.105 -> 12.11%; (7.06 + 6.79 + 12.50 + 0)/4 = 6.5875 -> 6.59%; limit 6.59 + 2 = 8.59%
    assert (test.hce_acp, test.nhce_acp, test.limit, test.passed) == (0.1211, 0.0659, 0.0859, False)
    assert report.settings["representative_matching_rate"] == 0.5   # 50% for every NHCE: nothing capped


def test_fix_1_limit_from_the_rounded_nhce_figure():
    # Rounded to the hundredth (§1.401(m)-2(a)(2)(i)): an NHCE ACP of 6.5875% is 6.59%, the limit 8.59%
    # (not 8.5875%), and 8.59% passes.
    assert acp_limit(0.065875) == 0.0859
    assert acp_test([0.0859], [0.0706, 0.0679, 0.125, 0.0]).passed
    assert not acp_test([0.0860], [0.0706, 0.0679, 0.125, 0.0]).passed
    # HCE average 8.585% rounds to 8.59%: passes; 8.595% rounds to 8.60%: fails.
    assert acp_test([0.0858, 0.0859], [0.0706, 0.0679, 0.125, 0.0]).passed
    assert not acp_test([0.0859, 0.0860], [0.0706, 0.0679, 0.125, 0.0]).passed
    # The 1.25x leg is not rounded: NHCE 10.01% x 1.25 = 12.5125%; an HCE ACP of 12.52% fails, 12.51% passes.
    assert acp_test([0.1251], [0.1001]).limit == 0.125125
    assert not acp_test([0.1252], [0.1001]).passed and acp_test([0.1251], [0.1001]).passed


def test_fix_1_leveling_reaches_a_whole_hundredth_that_passes():
    # Example 2 corrected: the HCEs level to 8.59% (B from 17.50%), so the corrected ACP passes when rounded.
    report = run_acp(census(EXAMPLE_2), 2026, matched="both")
    correction = report.correction
    # A's 6.71% stays; B comes down to 2 x 8.59 - 6.71 = 10.47%: $7,030 of $17,500 on $100,000.
    assert correction.leveled_ratio == 0.1047 and correction.total_excess == 7030.0
    assert correction.hce_acp_after_leveling == 0.0859


def test_a7_example_3_shifted_deferrals_count_in_the_acp():
    # E's $10,000 of elective contributions counted in the ACP: NHCE ACP (7.06 + 6.79 + 37.50 + 0)/4 = 12.84%.
    frame = census(EXAMPLE_2, acp_deferrals=[0, 0, 0, 0, 10000, 0])
    report = run_acp(frame, 2026, matched="both")
    assert report.test.nhce_acp == 0.1284 and report.test.passed


def test_a7_example_4_higher_nhce_match_rate():
    rows = [*EXAMPLE_2[:2], ("C", 85000, 85000, False, 8880, 0, 12000), ("D", 70000, 70000, False, 7030, 0, 9500),
            ("E", 40000, 40000, False, 7400, 0, 10000), ("F", 10000, 10000, False, 0, 0, 0)]
    report = run_acp(census(rows), 2026, matched="both")
    # (10.45 + 10.04 + 18.50 + 0)/4 = 9.7475 -> 9.75%; 12.11% <= 1.25 x 9.75% = 12.1875%
    assert report.test.nhce_acp == 0.0975 and report.test.passed


def test_a7_example_5_disproportionate_match_is_capped():
    # E defers $2,000 (counted in the ACP) and gets a 400% match of $8,000; the representative matching rate
    # is 50% (C, D, E make deferrals; the top half, 2 of them, are at 400% and 50%), so E's match counts only
    # up to max(5% of $40,000, $2,000, 2 x 50% x $2,000) = $2,000: E's ACR 10%, NHCE ACP 5.96%: fails.
    rows = [*EXAMPLE_2[:2], ("C", 85000, 85000, False, 6000, 0, 12000), ("D", 70000, 70000, False, 4750, 0, 9500),
            ("E", 40000, 40000, False, 8000, 0, 2000), ("F", 10000, 10000, False, 0, 0, 0)]
    report = run_acp(census(rows, acp_deferrals=[0, 0, 0, 0, 2000, 0]), 2026, matched="deferrals")
    table = report.participants.set_index("id")
    assert report.settings["representative_matching_rate"] == 0.5
    assert table.loc["E", "match_counted"] == 2000.0 and table.loc["E", "ratio"] == 0.10
    assert report.test.nhce_acp == 0.0596 and not report.test.passed
    assert any("§1.401(m)-2(a)(5)(ii)" in note for note in report.notes)
    # Without the cap the plan would have passed with 9.71%: today's engine reported PASS.
    uncapped = (0.0706 + 0.0679 + 0.25 + 0) / 4
    assert round(uncapped, 4) == 0.0971


def test_a7_example_6_qnec_within_the_representative_contribution_rate():
    # F gets a QNEC of 13% of pay; applicable rates 7.06, 6.79, 12.50, 13%: representative 12.50%, cap 25%.
    frame = census(EXAMPLE_2, qnec=[0, 0, 0, 0, 0, 1300])
    report = run_acp(frame, 2026, matched="both", qnec_in_acp=True)
    assert report.settings["representative_contribution_rate"] == 0.125
    assert report.test.nhce_acp == 0.0984 and report.test.passed   # (7.06 + 6.79 + 12.5 + 13)/4 = 9.8375%


def test_fix_3_qnec_above_the_cap_is_not_counted():
    # Hand case: 4 NHCEs at 2% match; one gets a 30% QNEC. Applicable rates 2, 2, 2, 32%: representative 2%
    # (top half: 32% and 2%), cap max(5%, 4%) = 5% of pay: only $2,500 of the $15,000 QNEC counts.
    rows = [("H", 200000, 200000, False, 16000, 0, 0)] + [
        (f"N{i}", 50000, 50000, False, 1000, 0, 0) for i in range(4)]
    frame = census(rows, qnec=[0, 0, 0, 0, 15000])
    report = run_acp(frame, 2026, qnec_in_acp=True)
    table = report.participants.set_index("id")
    assert table.loc["N3", "qnec_counted"] == 2500.0 and table.loc["N3", "ratio"] == 0.07
    assert report.test.nhce_acp == 0.0325 and not report.test.passed   # HCE 8% > 5.25%


def test_b5_example_1_percentage_then_dollar_leveling():
    # NHCE ACP 6% -> limit 8%. A 7%, B 9%, C 12%: C to 9% ($3,000), B and C to 8.5% ($750 + $500): $4,250.
    # Apportioned by dollars: A $500 then A and B $1,500 each, then all three $250: A $2,250, B $1,750,
    # C $250 (the example's summary sentence swaps B and C; its steps give these).
    rows = [("A", 200000, 200000, True, 0, 14000, 0), ("B", 150000, 150000, True, 0, 13500, 0),
            ("C", 100000, 100000, True, 0, 12000, 0)]
    report = run_acp(census(rows), 2026, testing="prior", prior_nhce_acp=0.06)
    c = report.correction
    assert report.test.hce_acp == 0.0933 and report.test.limit == 0.08
    assert c.total_excess == 4250.0 and c.leveled_ratio == 0.085
    assert report.participants["refund"].tolist() == [2250.0, 1750.0, 250.0]


def test_b5_example_6_unmatched_first_then_matched_with_its_match():
    # G: $100,000 pay, $7,000 employee contributions, match 100% of the first 2% + 50% of the next 4% = $4,000;
    # ACR 11%, NHCE ACP 5% -> limit 7%: $4,000 excess = $1,000 unmatched + $2,000 matched + their $1,000 match.
    rows = [("G", 100000, 200000, False, 4000, 7000, 0), ("N", 50000, 50000, False, 0, 0, 0)]
    report = run_acp(census(rows), 2026, testing="prior", prior_nhce_acp=0.05, matched="after_tax",
                     match_tiers=((1.0, 0.02), (0.5, 0.06)))
    g = report.participants.set_index("id").loc["G"]
    assert (g["refund"], g["refund_after_tax"], g["refund_match"]) == (4000.0, 3000.0, 1000.0)
    # Left: $4,000 employee contributions and $3,000 match = 7%.
    assert (7000 - g["refund_after_tax"] + 4000 - g["refund_match"]) / 100000 == 0.07


def test_fix_2_matched_after_tax_without_tiers_carries_its_own_rate():
    # 50% match on after-tax, one HCE: $10,000 after-tax + $5,000 match on $100,000 (15%), NHCE 3% -> 5%.
    # $10,000 excess: r + 0.5 r = 10,000 -> $6,666.67 after-tax and $3,333.33 match; 60% vested: $1,333.33
    # of that match is forfeited, the rest paid with the after-tax money.
    rows = [("H", 100000, 200000, False, 5000, 10000, 0), ("N", 50000, 50000, False, 0, 0, 0)]
    report = run_acp(census(rows), 2026, testing="prior", prior_nhce_acp=0.03, matched="after_tax",
                     match_vested=0.6)
    h = report.participants.set_index("id").loc["H"]
    assert (h["refund"], h["refund_after_tax"], h["refund_match"]) == (10000.0, 6666.67, 3333.33)
    assert h["match_forfeited"] == 1333.33 and h["distribution"] == 8666.67
    # Unmatched after-tax (the default: the match is on deferrals) goes first, alone.
    plain = run_acp(census(rows), 2026, testing="prior", prior_nhce_acp=0.03).participants.set_index("id").loc["H"]
    assert (plain["refund_after_tax"], plain["refund_match"]) == (10000.0, 0.0)


def test_acp_safe_harbor_still_tests_after_tax():
    rows = [("H", 200000, 200000, False, 8000, 20000, 0), ("N", 50000, 50000, False, 2000, 0, 0)]
    report = run_acp(census(rows), 2026, safe_harbor_match=True)
    assert report.test.hce_acp == 0.10 and report.test.nhce_acp == 0.0 and not report.test.passed
    assert np.isclose(report.correction.total_excess, 20000.0)
