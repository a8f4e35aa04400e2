"""The ADP test (Treas. Reg. §1.401(k)-2) and the ADP -> recharacterization -> ACP order, against the
regulations' own examples (eCFR text of §1.401(k)-2 and §1.401(m)-2) and hand cases for the catch-up rule."""

from __future__ import annotations

import pandas as pd
import pytest

from megabackdoor.acp import run_acp
from megabackdoor.acp_rules import adp_limit, adp_test
from megabackdoor.adp import run_adp, run_nondiscrimination
from megabackdoor.errors import InputError


def census(rows, **extra) -> pd.DataFrame:
    """rows: (id, pay, prior pay, deferrals[, match[, after_tax]]); all eligible, nobody a 5% owner."""
    full = [(*r, *(0.0,) * (6 - len(r))) for r in rows]
    frame = pd.DataFrame(full, columns=["id", "compensation", "prior_compensation", "deferrals", "match",
                                        "after_tax"])
    frame.insert(0, "row", range(2, len(rows) + 2))
    frame["owner_5pct"] = False
    frame["eligible"] = True
    for name, values in extra.items():
        frame[name] = values
    return frame.astype({c: float for c in ("compensation", "prior_compensation", "deferrals", "match",
                                            "after_tax")})


def by_id(report) -> pd.DataFrame:
    return report.participants.set_index("id")


# ---- §1.401(k)-2(a)(7) ---------------------------------------------------------------------------------

def test_a7_example_1_nhce_average_rounds_half_up():
    # A (HCE) 4,340/100,000 = 4.34%; B 2,860/60,000 = 4.77%; C 1,250/45,000 = 2.78%; NHCE (4.77 + 2.78)/2 =
    # 3.775% -> 3.78%; 4.34% < 4.73% (1.25x): passes.
    frame = census([("A", 100000, 200000, 4340), ("B", 60000, 60000, 2860), ("C", 45000, 45000, 1250)])
    report = run_adp(frame, 2026)
    assert [round(r * 100, 2) for r in report.participants["ratio"]] == [4.34, 4.77, 2.78]
    assert (report.test.hce_acp, report.test.nhce_acp, report.test.passed) == (0.0434, 0.0378, True)
    assert report.correction is None


def test_a7_example_2_two_point_leg():
    # A defers 5,770: 5.77% > 4.73% but within +2 points (5.78%) and 2x (7.56%): passes.
    frame = census([("A", 100000, 200000, 5770), ("B", 60000, 60000, 2860), ("C", 45000, 45000, 1250)])
    report = run_adp(frame, 2026)
    assert report.test.hce_acp == 0.0577 and report.test.limit == 0.0578 and report.test.passed
    assert adp_limit(0.0378) == 0.0578


def test_a7_example_3_prior_year_nhce_adp():
    # HCEs D 10%, E 5% (7.5%); the 2005 NHCEs' ADRs sum to 26% over 7: 3.71%; 7.5% > 4.64% and > +2: fails.
    result = adp_test([0.10, 0.05], [0.06, 0.04, 0.04, 0.03, 0.03, 0.03, 0.03])
    assert (result.hce_acp, result.nhce_acp, result.passed) == (0.075, 0.0371, False)
    frame = census([("D", 100000, 200000, 10000), ("E", 95000, 200000, 4750)])
    report = run_adp(frame, 2026, testing="prior", prior_nhce_adp=0.26 / 7)
    assert report.test.nhce_acp == 0.0371 and not report.test.passed


EXAMPLE_4 = [("M", 100000, 200000, 3000), ("N", 100000, 200000, 2000), ("O", 60000, 60000, 1800),
             ("P", 40000, 40000, 0), ("Q", 30000, 30000, 0), ("R", 5000, 5000, 0), ("S", 20000, 20000, 0)]


def test_a7_example_4_qnecs_count_in_the_adp():
    # Deferrals alone: HCE 2.5%, NHCE 0.6%: fails. With a 2% QNEC for everyone: 4.5% vs 2.6%: passes.
    assert not run_adp(census(EXAMPLE_4), 2026).test.passed
    qnec = [0.02 * row[1] for row in EXAMPLE_4]
    report = run_adp(census(EXAMPLE_4, qnec=qnec), 2026, qnec_in_adp=True)
    assert (report.test.hce_acp, report.test.nhce_acp, report.test.passed) == (0.045, 0.026, True)


def test_a7_example_7_disproportionate_qnec_is_capped():
    # Example 6's facts (HCE ADP 4.6%, no 6% contribution) with a $500 QNEC for R only ($5,000 pay): the
    # representative contribution rate is 0% (the top half of the NHCEs includes 0% rates), so R's QNEC counts
    # only up to 5% of pay = $250: NHCE ADP (3 + 0 + 0 + 5 + 0)/5 = 1.6%, not 2.6%: fails.
    rows = [("M", 100000, 200000, 5000), ("N", 100000, 200000, 4200), *EXAMPLE_4[2:]]
    report = run_adp(census(rows, qnec=[0, 0, 0, 0, 0, 500, 0]), 2026, qnec_in_adp=True)
    assert report.test.hce_acp == 0.046
    assert by_id(report).loc["R", "qnec_counted"] == 250.0
    assert report.test.nhce_acp == 0.016 and not report.test.passed


def test_a7_example_5_prior_year_qnec_paid_too_late_does_not_count():
    # Example 4's facts under prior-year testing: HCE ADP 2.5% (M 3%, N 2%), last year's NHCE ADP 0.8%. A 2% QNEC
    # for last year's NHCEs paid in the year after the tested year misses the 12-month deadline ((a)(6)(i)):
    # NHCE ADP stays 0.8%, limit 1.6% (2x): fails.
    frame = census(EXAMPLE_4)
    report = run_adp(frame, 2026, testing="prior", prior_nhce_adp=0.008, prior_nhce_qnec=0.02,
                     prior_qnec_paid="2027-02-15")
    assert (report.test.hce_acp, report.test.nhce_acp, report.test.limit) == (0.025, 0.008, 0.016)
    assert not report.test.passed and report.correction is not None
    assert any("2026-12-31" in note and "Example 5" in note for note in report.notes)
    # Hand case: the same QNEC paid by 31 December of the tested year counts: 0.8% + 2% = 2.8%, limit 4.8%.
    timely = run_adp(frame, 2026, testing="prior", prior_nhce_adp=0.008, prior_nhce_qnec=0.02,
                     prior_qnec_paid="2026-12-31")
    assert (timely.test.nhce_acp, timely.test.limit, timely.test.passed) == (0.028, 0.048, True)


def test_a7_example_8_qnecs_counted_last_year_do_not_count_again():
    # Example 4's plan changes to prior-year testing for the next year; its HCE ADP is then 3.5%. The 2% QNECs
    # already counted in last year's test (current-year then), so last year's NHCE ADP is 0.6%: limit 1.2%
    # (greater of 0.75% and 1.2%): fails.
    frame = census([("M", 100000, 200000, 4000), ("N", 100000, 200000, 3000)])
    report = run_adp(frame, 2026, testing="prior", prior_nhce_adp=0.006, prior_nhce_qnec=0.02, prior_qnec_used=True)
    assert (report.test.hce_acp, report.test.nhce_acp, report.test.limit) == (0.035, 0.006, 0.012)
    assert not report.test.passed and any("§1.401(k)-2(a)(6)(vi)" in note for note in report.notes)
    # Hand case: a QNEC not used before (and paid in time) would count: 2.6%, limit 4.6%: passes.
    fresh = run_adp(frame, 2026, testing="prior", prior_nhce_adp=0.006, prior_nhce_qnec=0.02)
    assert (fresh.test.nhce_acp, fresh.test.passed) == (0.026, True)


def test_a7_example_6_qnecs_count_for_the_hces_too():
    # Example 4's facts with HCE ADP 4.6% and no 6% contribution. Elective contributions alone: 4.6% against
    # max(0.75%, min(1.2%, 2.6%)) = 1.2%: fails. The 2% QNEC cannot count for the NHCEs alone ((a)(6)(ii)), so
    # counted for everyone: HCE 6.6% against NHCE 2.6% + 2 = 4.6%: still fails.
    rows = [("M", 100000, 200000, 5000), ("N", 100000, 200000, 4200), *EXAMPLE_4[2:]]
    alone = run_adp(census(rows), 2026)
    assert (alone.test.hce_acp, alone.test.nhce_acp, alone.test.limit, alone.test.passed) == (0.046, 0.006, 0.012,
                                                                                              False)
    report = run_adp(census(rows, qnec=[0.02 * row[1] for row in rows]), 2026, qnec_in_adp=True)
    assert (report.test.hce_acp, report.test.nhce_acp, report.test.limit) == (0.066, 0.026, 0.046)
    assert not report.test.passed
    assert by_id(report).loc[["M", "N"], "qnec_counted"].tolist() == [2000.0, 2000.0]


def test_a7_example_9_qmacs_count_in_the_adp_and_leave_the_acp():
    # HCE: deferrals 15%, match 5% (not QMACs); NHCEs: deferrals 11%, match 4% (all QMACs). Deferrals alone fail
    # (15% > 11% x 1.25 = 13.75% and > 11% + 2). 1% of pay of each NHCE's QMACs counted in the ADP: NHCE ADP
    # 12%, and 15% is not more than 12% x 1.25. The ACP then has HCE 5% against the NHCEs' remaining 3% + 2 = 5%.
    rows = [("H", 100000, 200000, 15000, 5000), ("N1", 50000, 50000, 5500, 2000), ("N2", 40000, 40000, 4400, 1600)]
    alone = run_nondiscrimination(census(rows), 2026)
    assert (alone.adp.test.hce_acp, alone.adp.test.nhce_acp, alone.adp.test.passed) == (0.15, 0.11, False)
    frame = census(rows, qmac=[0.0, 500.0, 400.0])
    report = run_nondiscrimination(frame, 2026, qmac_in_adp=True)
    adp, acp = report.adp.test, report.acp.test
    assert (adp.hce_acp, adp.nhce_acp, adp.limit, adp.passed) == (0.15, 0.12, 0.15, True)
    assert by_id(report.adp)["qmac_counted"].tolist() == [0.0, 500.0, 400.0]
    assert (acp.hce_acp, acp.nhce_acp, acp.limit, acp.passed) == (0.05, 0.03, 0.05, True)
    # QMACs may not count in the ADP when the two tests use different testing methods (§1.401(k)-2(c)(3)(iii))
    with pytest.raises(InputError) as caught:
        run_nondiscrimination(frame, 2026, qmac_in_adp=True, acp_testing="prior", prior_nhce_acp=0.03)
    assert caught.value.argument == "qmac_in_adp"


def test_qmacs_above_the_match_or_the_match_cap():
    # Hand cases: a qmac larger than the row's match is refused, naming the row; an NHCE's QMAC counts only
    # within the disproportionate-match cap (§1.401(k)-2(a)(6)(v)): N defers $500 of $50,000 and gets a $4,000
    # match (all QMAC); M1-M3 get 100%. Matching rates 800%, 100%, 100%, 100%: the representative rate (lowest of
    # the top half) is 100%, so the cap is max(5% x 50,000, 500, 2 x 100% x 500) = $2,500: ADR (500 + 2,500) /
    # 50,000 = 6%.
    rows = [("H", 100000, 200000, 5000, 0), ("N", 50000, 50000, 500, 4000),
            *[(f"M{i}", 50000, 50000, 1000, 1000) for i in (1, 2, 3)]]
    with pytest.raises(InputError, match="row 3: qmac 4,500.00 above the match 4,000.00"):
        run_adp(census(rows, qmac=[0.0, 4500.0, 0.0, 0.0, 0.0]), 2026, qmac_in_adp=True)
    report = run_adp(census(rows, qmac=[0.0, 4000.0, 0.0, 0.0, 0.0]), 2026, qmac_in_adp=True)
    assert by_id(report).loc["N", "qmac_counted"] == 2500.0 and by_id(report).loc["N", "ratio"] == 0.06
    assert any("§1.401(k)-2(a)(6)(v)" in note for note in report.notes)


def test_qnec_paid_after_the_12_months_is_not_counted():
    # Hand case (§1.401(k)-2(a)(6)(i)): Example 4's 2% QNECs for 2026 paid on 2 January 2028 do not count, so
    # the deferrals alone are tested (2.5% vs 0.6%: fails); paid on 31 December 2027 they do (4.5% vs 2.6%).
    qnec = [0.02 * row[1] for row in EXAMPLE_4]
    late = run_adp(census(EXAMPLE_4, qnec=qnec), 2026, qnec_in_adp=True, qnec_paid="2028-01-02")
    assert (late.test.hce_acp, late.test.nhce_acp, late.test.passed) == (0.025, 0.006, False)
    assert by_id(late)["qnec_counted"].sum() == 0 and any("2027-12-31" in note for note in late.notes)
    timely = run_adp(census(EXAMPLE_4, qnec=qnec), 2026, qnec_in_adp=True, qnec_paid="2027-12-31")
    assert (timely.test.hce_acp, timely.test.nhce_acp, timely.test.passed) == (0.045, 0.026, True)
    # In the ACP the same deadline applies (§1.401(m)-2(a)(6)(i)).
    both = run_nondiscrimination(census(EXAMPLE_4, qnec=qnec), 2026, qnec_test="acp", qnec_paid="2028-01-02")
    assert both.acp.participants["qnec_counted"].sum() == 0
    assert any("not counted in the ACP" in step for step in both.steps)


def test_qnec_timing_arguments_are_checked():
    for argument in ("qnec_paid", "prior_qnec_paid"):
        with pytest.raises(InputError) as caught:
            run_adp(census(EXAMPLE_4), 2026, **{argument: "next spring"})
        assert caught.value.argument == argument and "YYYY-MM-DD" in str(caught.value)
    with pytest.raises(InputError) as caught:
        run_adp(census(EXAMPLE_4), 2026, prior_nhce_qnec=0.02)
    assert caught.value.argument == "prior_nhce_qnec" and "current-year" in str(caught.value)


# ---- §1.401(k)-2(b)(2)(viii) -----------------------------------------------------------------------------

def test_b2_example_1_leveling_then_dollar_apportionment():
    # A 12,000/200,000 = 6%, B 8,960/128,000 = 7%; NHCE 3% -> limit 5%. B to 6% ($1,280), both by 1%
    # ($2,000 + $1,280): $4,560. By dollars: A $3,040 to B's $8,960, then $760 each: A $3,800, B $760.
    frame = census([("A", 200000, 200000, 12000), ("B", 128000, 200000, 8960), ("N", 100000, 100000, 3000)])
    report = run_adp(frame, 2026)
    c = report.correction
    assert (report.test.hce_acp, report.test.limit) == (0.065, 0.05)
    assert c.total_excess == 4560.0 and c.leveled_ratio == 0.05
    assert by_id(report).loc[["A", "B"], "distributed"].tolist() == [3800.0, 760.0]


def test_b2_example_2_no_more_than_was_contributed_to_this_plan():
    # Example 1, but A's $12,000 is $3,000 to this plan and $9,000 to another plan of the employer: A's ADR is
    # still 6% and the total $4,560, but no more than $3,000 may be apportioned to A; B gets the other $1,560.
    frame = census([("A", 200000, 200000, 3000), ("B", 128000, 200000, 8960), ("N", 100000, 100000, 3000)],
                   other_plan_deferrals=[9000.0, 0.0, 0.0])
    report = run_adp(frame, 2026)
    assert (report.test.hce_acp, report.correction.total_excess) == (0.065, 4560.0)
    assert by_id(report).loc[["A", "B"], "distributed"].tolist() == [3000.0, 1560.0]
    # an NHCE's other-plan deferrals are not aggregated (the rule is for HCEs, §401(k)(3)(A))
    nhce = census([("A", 200000, 200000, 12000), ("N", 100000, 100000, 3000)], other_plan_deferrals=[0.0, 5000.0])
    assert run_adp(nhce, 2026).test.nhce_acp == 0.03


# ---- §1.401(m)-2(b)(5): the two tests together -----------------------------------------------------------

def test_m_b5_example_2_recharacterized_excess_is_then_acp_tested():
    # D (sole HCE): $200,000 pay, $15,000 deferrals (7.5%), 50% match $7,500 (3.75%); NHCEs 4% ADP, 2% ACP.
    # ADR down to 6%: $3,000 recharacterized as after-tax; ACR (7,500 + 3,000)/200,000 = 5.25% against a 4%
    # limit: $2,500 (1.25%) distributed.
    frame = census([("D", 200000, 200000, 15000, 7500), ("N", 100000, 100000, 4000, 2000)])
    report = run_nondiscrimination(frame, 2026, adp_correction="recharacterize")
    d = by_id(report.adp).loc["D"]
    assert report.adp.test.limit == 0.06 and d["recharacterized_after_tax"] == 3000.0 and d["distributed"] == 0
    assert by_id(report.acp).loc["D", "ratio"] == 0.0525
    assert report.acp.test.limit == 0.04 and report.acp.correction.total_excess == 2500.0
    assert report.refunds["id"].tolist() == ["D"] and report.refunds["acp_refund"].tolist() == [2500.0]
    # Prior-year testing for both with the example's NHCE figures gives the same answer.
    prior = run_nondiscrimination(frame.iloc[:1], 2026, adp_testing="prior", prior_nhce_adp=0.04,
                                  acp_testing="prior", prior_nhce_acp=0.02, adp_correction="recharacterize")
    assert prior.acp.correction.total_excess == 2500.0


def test_recharacterization_needs_the_same_testing_method():
    frame = census([("D", 200000, 200000, 15000, 7500), ("N", 100000, 100000, 4000, 2000)])
    with pytest.raises(InputError) as caught:
        run_nondiscrimination(frame, 2026, adp_testing="prior", prior_nhce_adp=0.04,
                              adp_correction="recharacterize")
    assert "§1.401(k)-2(c)(3)(i)" in str(caught.value)


def test_distributed_deferrals_forfeit_their_match_before_the_acp():
    # D distributes $3,000 of deferrals; the 50% match on them ($1,500) is forfeited: ACR (7,500 - 1,500) /
    # 200,000 = 3% against a 4% limit: the ACP passes.
    frame = census([("D", 200000, 200000, 15000, 7500), ("N", 100000, 100000, 4000, 2000)])
    report = run_nondiscrimination(frame, 2026)
    d = by_id(report.adp).loc["D"]
    assert d["distributed"] == 3000.0 and d["match_forfeited"] == 1500.0
    assert by_id(report.acp).loc["D", "ratio"] == 0.03 and report.acp.test.passed


# ---- catch-up recharacterization (§414(v)(3)(B); Treas. Reg. §1.414(v)-1) ----------------------------------

@pytest.mark.parametrize(("age", "catch_up", "distributed"), [(49, 0.0, 14500.0), (55, 8000.0, 6500.0),
                                                               (61, 11250.0, 3250.0), (64, 8000.0, 6500.0)])
def test_hces_50_plus_have_the_excess_recharacterized_as_catch_up_first(age, catch_up, distributed):
    # 2026: §402(g) $24,500; HCE defers $24,500 on $200,000 (12.25%); NHCE 3% -> limit 5%: excess $14,500.
    frame = census([("H", 200000, 200000, 24500), ("N", 100000, 100000, 3000)], age=[age, 30])
    report = run_adp(frame, 2026)
    h = by_id(report).loc["H"]
    assert report.correction.total_excess == 14500.0
    assert (h["recharacterized_catch_up"], h["distributed"]) == (catch_up, distributed)


def test_catch_up_already_used_over_402g_leaves_nothing_to_recharacterize():
    # $32,500 = $24,500 + the $8,000 catch-up: the catch-up is not in the ADR (24,500/200,000 = 12.25%), and
    # with no unused catch-up the whole ADP excess is distributed.
    frame = census([("H", 200000, 200000, 32500), ("N", 100000, 100000, 3000)], age=[55, 30])
    report = run_adp(frame, 2026)
    h = by_id(report).loc["H"]
    assert (h["catch_up"], h["ratio"], h["recharacterized_catch_up"], h["distributed"]) == (8000.0, 0.1225, 0.0,
                                                                                           14500.0)


def test_no_age_column_means_no_catch_up_and_a_note():
    frame = census([("H", 200000, 200000, 24500), ("N", 100000, 100000, 3000)])
    report = run_adp(frame, 2026)
    assert by_id(report).loc["H", "distributed"] == 14500.0
    assert any("no age column" in note for note in report.notes)


def test_adp_safe_harbor_skips_the_adp_but_not_the_after_tax_acp():
    frame = census([("H", 200000, 200000, 24500, 8000, 20000), ("N", 100000, 100000, 3000, 3000)])
    report = run_nondiscrimination(frame, 2026, adp_safe_harbor=True, acp_safe_harbor_match=True)
    assert report.adp.correction is None and not report.adp.test.passed   # shown for information only
    assert report.acp.test.hce_acp == 0.10 and not report.acp.test.passed  # after-tax alone: 10% vs 0%
    assert "safe harbor" in report.steps[0]


def test_shifted_nhce_deferrals_follow_a7_example_3():
    # §1.401(m)-2(a)(7) Examples 2-3: the plan may count NHCE deferrals in the ACP to the extent needed. E's
    # $10,000 (the highest ADR) moves: ADP still passes (HCE 6.45% vs NHCE (14.12 + 13.57 + 0 + 0)/4 = 6.92%),
    # and the ACP passes with NHCE 12.84%.
    rows = [("A", 190000, 190000, 15000, 9250, 3500), ("B", 100000, 200000, 5000, 7500, 10000),
            ("C", 85000, 85000, 12000, 6000), ("D", 70000, 70000, 9500, 4750), ("E", 40000, 40000, 10000, 5000),
            ("F", 10000, 10000, 0, 0)]
    report = run_nondiscrimination(census(rows), 2026, shift_deferrals=True, matched="both")
    assert report.adp.test.hce_acp == 0.0645 and report.adp.test.passed
    assert report.acp.participants.set_index("id").loc["E", "ratio"] == 0.375
    assert report.acp.test.nhce_acp == 0.1284 and report.acp.test.passed
    without = run_nondiscrimination(census(rows), 2026, matched="both")
    assert without.acp.test.nhce_acp == 0.0659 and not without.acp.test.passed


def test_deferrals_column_is_required():
    frame = census([("H", 200000, 200000, 0)]).drop(columns=["deferrals"])
    with pytest.raises(InputError) as caught:
        run_adp(frame, 2026)
    assert "deferrals" in str(caught.value)


def test_what_if_after_the_adp_corrections():
    # H's $14,500 ADP excess is distributed, so the §415(c) room left for after-tax money grows; the what-if is
    # run on the corrected amounts: NHCE ACP 0% -> limit 0%: no after-tax rate passes for a matched HCE.
    frame = census([("H", 200000, 200000, 24500, 6000), ("N", 100000, 100000, 3000, 0)])
    report = run_nondiscrimination(frame, 2026)
    assert report.acp.what_if.max_rate is None
    frame = census([("H", 200000, 200000, 24500), ("N", 100000, 100000, 3000, 3000)])
    report = run_nondiscrimination(frame, 2026)   # NHCE ACP 3% -> limit 5%: HCEs can elect 5%
    assert report.acp.what_if.max_rate == 0.05


def test_m_b5_example_3_excess_deferrals_from_another_plan_reduce_the_recharacterization():
    # Example 2's D also deferred under an unrelated employer's plan and got $1,200 of excess deferrals back
    # from Plan X, forfeiting the $600 match on them. The $3,000 to recharacterize falls to $1,800; D's ACR is
    # (7,500 + 1,800 - 600)/200,000 = 4.35%, and 0.35% ($700) more must come out to meet the 4% limit.
    frame = census([("D", 200000, 200000, 15000, 7500), ("N", 100000, 100000, 4000, 2000)],
                   excess_deferrals=[1200.0, 0.0])
    report = run_nondiscrimination(frame, 2026, adp_correction="recharacterize")
    d = by_id(report.adp).loc["D"]
    assert report.adp.test.hce_acp == 0.075   # the distributed excess deferrals stay in the HCE's ADR
    assert (d["from_excess_deferrals"], d["recharacterized_after_tax"], d["match_forfeited"]) == (1200.0, 1800.0,
                                                                                                  600.0)
    assert by_id(report.acp).loc["D", "ratio"] == 0.0435
    assert report.acp.correction.total_excess == 700.0


def test_m_b5_example_4_excess_deferrals_requested_after_the_recharacterization():
    # Example 3's facts, but D asks for the $1,200 of excess deferrals only after the $3,000 was recharacterized:
    # the excess deferrals are reduced by the recharacterized excess contributions (§1.402(g)-1(e)(6)), so none
    # is distributed and no match is forfeited. The ACP is then Example 2's: 5.25% against 4%, $2,500 out.
    frame = census([("D", 200000, 200000, 15000, 7500), ("N", 100000, 100000, 4000, 2000)],
                   excess_deferrals=[1200.0, 0.0])
    report = run_nondiscrimination(frame, 2026, adp_correction="recharacterize", excess_deferrals_timing="after")
    d = by_id(report.adp).loc["D"]
    assert (d["from_excess_deferrals"], d["recharacterized_after_tax"]) == (0.0, 3000.0)
    assert (d["excess_deferrals_distributed"], d["match_forfeited"]) == (0.0, 0.0)
    assert by_id(report.acp).loc["D", "ratio"] == 0.0525 and report.acp.correction.total_excess == 2500.0
    assert any("§1.402(g)-1(e)(6)" in note for note in report.adp.notes)


# §1.401(m)-2(b)(5) Example 5: F defers $10,000 in Plan M (100% match) and $6,000 in an unrelated employer's
# plan: $1,000 of excess deferrals. Plan M's excess contributions are $600 and its excess aggregate
# contributions $1,600: here F is the sole HCE on $100,000 of pay, with last year's NHCE ADP 7.4% (limit 9.4%)
# and NHCE ACP 6.4% (limit 8.4%).
EXAMPLE_M5 = [("F", 100000, 200000, 10000, 10000)]


def test_m_b5_example_5_excess_deferrals_from_plan_m():
    frame = census(EXAMPLE_M5, excess_deferrals=[1000.0])
    prior = {"adp_testing": "prior", "prior_nhce_adp": 0.074, "acp_testing": "prior", "prior_nhce_acp": 0.064}
    assert run_acp(frame, 2026, testing="prior", prior_nhce_acp=0.064).correction.total_excess == 1600.0
    report = run_nondiscrimination(frame, 2026, **prior)
    f = by_id(report.adp).loc["F"]
    # the $600 excess contributions are already out as excess deferrals: nothing more is distributed
    assert report.adp.correction.total_excess == 600.0
    assert (f["from_excess_deferrals"], f["distributed"], f["match_forfeited"]) == (600.0, 0.0, 1000.0)
    # the ACP distribution after the $1,000 match forfeiture: $1,600 - $1,000 = $600
    assert report.acp.correction.total_excess == 600.0
    assert report.refunds["acp_refund"].tolist() == [600.0]


def test_m_b5_example_5_excess_deferrals_from_the_other_plan():
    # Had F taken the $1,000 from Plan N instead, Plan M distributes the $600 excess contributions and
    # forfeits their $600 match, leaving $1,600 - $600 = $1,000 of excess aggregate contributions to distribute.
    frame = census(EXAMPLE_M5)
    report = run_nondiscrimination(frame, 2026, adp_testing="prior", prior_nhce_adp=0.074, acp_testing="prior",
                                   prior_nhce_acp=0.064)
    f = by_id(report.adp).loc["F"]
    assert (f["distributed"], f["match_forfeited"]) == (600.0, 600.0)
    assert report.acp.correction.total_excess == 1000.0


def test_prior_year_adp_value_errors_name_the_adp_argument():
    # A bad prior-year NHCE ADP is reported under its own name, not the ACP's (found in review).
    frame = census([("D", 100000, 200000, 10000), ("E", 95000, 200000, 4750)])
    with pytest.raises(InputError) as caught:
        run_adp(frame, 2026, testing="prior", prior_nhce_adp=5)
    assert caught.value.argument == "prior_nhce_adp"
    assert "NHCE ADP" in str(caught.value) and "ACP" not in str(caught.value)
    assert "pass 0.05 for 5%" in str(caught.value)


@pytest.mark.parametrize(("typed", "exact"), [(6.5875, "0.065875"), (4.95, "0.0495")])
def test_ratio_hints_give_the_exact_fraction(typed, exact):
    # The "looks like a percent" hint gives the exact decimal, as validate.percent_hint does everywhere.
    with pytest.raises(InputError, match=f"pass {exact} for {typed:g}%"):
        adp_limit(typed)
    with pytest.raises(InputError, match=f"pass {exact} for {typed:g}%"):
        adp_test([typed], [0.02])
