"""The ACP test engine: hand-computed cases from IRC §401(m), §414(q) and Treas. Reg. §1.401(m)-2.

Every expected figure below is worked out by hand in the comment next to it.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from megabackdoor.acp import (
    deadlines,
    hce_flags,
    level_dollars,
    level_percentages,
    max_uniform_after_tax_rate,
    round_half_up,
    run_acp,
    sensitivity_grid,
)
from megabackdoor.acp_rules import acp_limit, acp_test
from megabackdoor.errors import InputError


def census(*people: tuple) -> pd.DataFrame:
    """people: (id, pay, prior pay, owner, eligible, match, after_tax[, deferrals])."""
    rows = [p if len(p) == 8 else (*p, 0.0) for p in people]
    frame = pd.DataFrame(rows, columns=["id", "compensation", "prior_compensation", "owner_5pct", "eligible",
                                        "match", "after_tax", "deferrals"])
    frame.insert(0, "row", range(2, len(rows) + 2))
    return frame.astype({"compensation": float, "prior_compensation": float, "match": float, "after_tax": float,
                         "deferrals": float})


# ---- the limit and the scalar test ------------------------------------------------------------------------

@pytest.mark.parametrize(("nhce", "limit"), [
    (0.0, 0.0),        # all legs 0
    (0.01, 0.02),      # 2x = 2% < +2 = 3%; 1.25x = 1.25%
    (0.02, 0.04),      # 2x = +2 = 4%
    (0.03, 0.05),      # +2 = 5% < 2x = 6%; 1.25x = 3.75%
    (0.08, 0.10),      # +2 = 1.25x = 10%
    (0.10, 0.125),     # 1.25x = 12.5% > +2 = 12%
])
def test_acp_limit_hand_values(nhce, limit):
    assert acp_limit(nhce) == limit


def test_acp_limit_refuses_percent_numbers():
    with pytest.raises(InputError, match="looks like a percent"):
        acp_limit(40)
    with pytest.raises(InputError):
        acp_limit(-0.01)


def test_acp_test_rounds_each_ratio_to_a_hundredth_of_a_percent():
    # 0.060049 -> 6.00%, 0.06005 -> 6.01% (half up), NHCE 4% -> limit 6%: HCE ACP (6.00 + 6.01)/2 = 6.005%,
    # itself rounded half up to 6.01% (§1.401(m)-2(a)(2)(i)), fails
    result = acp_test([0.060049, 0.06005], [0.04])
    assert result.hce_acp == 0.0601 and result.limit == 0.06
    assert not result.passed
    assert acp_test([0.060049, 0.060049], [0.04]).passed  # 6.00% each: exactly the limit passes


def test_acp_test_skips_blank_cells_and_reads_2d_ranges():
    result = acp_test([[0.05], [None], [0.07]], [[0.04, ""]])
    assert (result.hce_acp, result.nhce_acp, result.hce_count, result.nhce_count) == (0.06, 0.04, 2, 1)


def test_acp_test_errors_name_the_position():
    with pytest.raises(InputError) as caught:
        acp_test([0.05, "x"], [0.04])
    assert caught.value.argument == "hce_ratios[2]"
    with pytest.raises(InputError, match="looks like a percent"):
        acp_test([5], [0.04])


def test_acp_test_needs_both_groups():
    with pytest.raises(InputError, match="no eligible HCEs"):
        acp_test([], [0.04])
    with pytest.raises(InputError, match=r"deemed to pass.*1\.401\(m\)-2\(a\)\(1\)\(ii\)"):
        acp_test([0.05], [None])


# ---- HCE status -------------------------------------------------------------------------------------------

def test_hce_uses_the_lookback_year_threshold_and_more_than():
    # Plan year 2024: lookback 2023, threshold $150,000 (not 2024's $155,000, the stale-limit trap).
    frame = census(("A", 1, 152000, False, True, 0, 0), ("B", 1, 150000, False, True, 0, 0),
                   ("C", 1, 150000.01, False, True, 0, 0), ("D", 1, 20000, True, True, 0, 0))
    flags, reason, threshold = hce_flags(frame, 2024)
    assert (threshold.value, threshold.year, threshold.status) == (150000, 2023, "published")
    assert flags.tolist() == [True, False, True, True]          # exactly $150,000 is not "more than"
    assert list(reason) == ["pay", "", "pay", "owner"]


def test_top_paid_group_election_limits_pay_hces_to_the_top_fifth():
    # 10 employees -> top-paid group of 2. Three are paid above $160,000 in 2025; the third is outside the top
    # 20% and is an NHCE; the 5% owner stays an HCE whatever the pay. Ties at the boundary: census order.
    people = [("A", 1, 300000, False, True, 0, 0), ("B", 1, 200000, False, True, 0, 0),
              ("C", 1, 200000, False, True, 0, 0), ("O", 1, 50000, True, True, 0, 0)]
    people += [(f"N{i}", 1, 50000, False, True, 0, 0) for i in range(6)]
    flags, _, _ = hce_flags(census(*people), 2026, top_paid_group=True)
    assert flags.tolist() == [True, True, False, True] + [False] * 6
    flags, _, _ = hce_flags(census(*people), 2026)
    assert flags[:4].tolist() == [True, True, True, True]


def test_projected_lookback_threshold_is_flagged():
    frame = census(("H", 400000, 400000, False, True, 10000, 0), ("N", 50000, 50000, False, True, 1500, 0))
    report = run_acp(frame, 2029)
    assert report.hce_threshold.status == "projected" and report.hce_threshold.year == 2028
    assert any(note.startswith("hce for 2028 is projected") for note in report.notes)


# ---- the whole test, hand-computed ------------------------------------------------------------------------

def failing_census() -> pd.DataFrame:
    # HCEs (2025 pay above $160,000): A 20,000/200,000 = 10%; B 10,000/100,000 = 10% (tie); C 4,000/200,000 = 2%.
    # NHCEs: 2,000/100,000 = 2% each. Ineligible X is left out. Limit: max(2.5%, min(4%, 4%)) = 4%.
    return census(("A", 200000, 200000, False, True, 6000, 14000), ("B", 100000, 200000, False, True, 3000, 7000),
                  ("C", 200000, 200000, False, True, 4000, 0), ("N1", 100000, 100000, False, True, 2000, 0),
                  ("N2", 100000, 100000, False, True, 1000, 1000), ("X", 100000, 500000, False, False, 0, 0))


def test_failing_census_by_hand():
    report = run_acp(failing_census(), 2026, earnings_rate=0.05)
    test = report.test
    # HCE ACP = (10 + 10 + 2) / 3 = 7.3333%, to the hundredth 7.33%; NHCE ACP 2%; limit 4% (2x and +2 tie).
    assert test.hce_acp == 0.0733 and test.nhce_acp == 0.02 and test.limit == 0.04
    assert (test.passed, test.hce_count, test.nhce_count) == (False, 3, 2)
    assert test.margin == pytest.approx(0.04 - 0.0733, abs=1e-15)
    c = report.correction
    # Leveling percentages, A and B tied at 10%: 2L + 2% = 3 x 4% -> L = 5%.
    assert c.leveled_ratio == 0.05
    # Excess: A 20,000 - 5% x 200,000 = 10,000; B 10,000 - 5% x 100,000 = 5,000 -> 15,000.
    assert c.total_excess == 15000.0
    # Leveling dollars: A 20,000 down to B's 10,000 takes 10,000; the last 5,000 comes off both: 7,500 each.
    table = report.participants.set_index("id")
    assert table.loc[["A", "B", "C", "N1"], "refund"].tolist() == [12500.0, 2500.0, 0.0, 0.0]
    assert c.dollar_level == 7500.0 and c.refunds == 2
    # After-tax first: A has 14,000 after-tax -> all 12,500 from it; B has 7,000 -> 2,500 from it.
    assert table.loc[["A", "B"], "refund_after_tax"].tolist() == [12500.0, 2500.0]
    assert table.loc[["A", "B"], "refund_match"].tolist() == [0.0, 0.0]
    # Earnings at 5%: 625 and 125.
    assert table.loc[["A", "B"], "earnings"].tolist() == [625.0, 125.0] and c.earnings == 750.0
    assert table.loc[["A", "B"], "distribution"].tolist() == [13125.0, 2625.0]
    # After leveling: (5 + 5 + 2)/3 = 4% = the limit. Recomputed with the dollar refunds:
    # A 7,500/200,000 = 3.75%, B 7,500/100,000 = 7.5%, C 2% -> 13.25/3 = 4.4167% (dollar leveling's quirk).
    assert c.hce_acp_after_leveling == 0.04
    assert c.hce_acp_after_refunds == pytest.approx(0.1325 / 3, abs=1e-15)
    assert (c.excise_deadline, c.correction_deadline) == ("2027-03-15", "2027-12-31")
    # Ineligible X: no ratio, no refund, but an HCE (pay 500,000).
    assert np.isnan(table.loc["X", "ratio"]) and bool(table.loc["X", "hce"]) and table.loc["X", "refund"] == 0


def test_compensation_is_capped_at_401a17_for_the_plan_year():
    # 2026 cap $360,000 (crzyc98 ships a stale 355,000). HCE 36,000 / 360,000 = 10%, not 36,000/500,000 = 7.2%.
    frame = census(("H", 500000, 500000, False, True, 16000, 20000), ("N", 100000, 100000, False, True, 8000, 0))
    report = run_acp(frame, 2026)
    table = report.participants.set_index("id")
    assert report.compensation_limit.value == 360000
    assert table.loc["H", "tested_compensation"] == 360000.0 and table.loc["H", "ratio"] == 0.10
    # NHCE 8% -> limit max(10%, min(16%, 10%)) = 10%: passes exactly at the limit.
    assert report.test.passed and report.test.limit == 0.10 and report.correction is None


def test_prior_year_testing_uses_the_given_nhce_acp():
    frame = failing_census()
    report = run_acp(frame, 2026, testing="prior", prior_nhce_acp=0.06)
    # limit from 6%: max(7.5%, min(12%, 8%)) = 8% >= 7.3333% -> passes.
    assert report.test.passed and report.test.limit == 0.08 and report.test.nhce_acp == 0.06
    first = run_acp(frame, 2026, testing="prior", prior_nhce_acp="first-year")
    assert first.test.nhce_acp == 0.03 and first.test.limit == 0.05 and not first.test.passed


def test_prior_year_testing_argument_errors():
    with pytest.raises(InputError, match="prior_nhce_acp"):
        run_acp(failing_census(), 2026, testing="prior")
    with pytest.raises(InputError, match="testing='prior'"):
        run_acp(failing_census(), 2026, prior_nhce_acp=0.03)
    with pytest.raises(InputError, match="looks like a percent"):
        run_acp(failing_census(), 2026, testing="prior", prior_nhce_acp=3.1)


def test_no_hces_or_no_nhces_is_a_clear_error():
    only_nhces = census(("N1", 50000, 50000, False, True, 1000, 0), ("N2", 60000, 60000, False, True, 0, 0))
    with pytest.raises(InputError, match="none an HCE for 2026") as caught:
        run_acp(only_nhces, 2026)
    assert "$160,000" in str(caught.value) and caught.value.kind == "na"
    only_hces = census(("H1", 200000, 200000, False, True, 1000, 0), ("N", 50000, 50000, False, False, 0, 0))
    with pytest.raises(InputError, match=r"all HCEs.*deemed to pass"):
        run_acp(only_hces, 2026)
    # Prior-year testing needs no NHCEs this year.
    assert run_acp(only_hces, 2026, testing="prior", prior_nhce_acp=0.03).test.passed


def test_include_deferrals_counts_them_and_refunds_them_last():
    frame = census(("H", 100000, 200000, False, True, 0, 1000, 9000), ("N", 100000, 100000, False, True, 2000, 0,
                                                                       1000))
    report = run_acp(frame, 2026, include_deferrals=True)
    # H 10,000/100,000 = 10%, N 3% -> limit 5% -> excess 5,000: 1,000 after-tax, then 4,000 deferrals.
    table = report.participants.set_index("id")
    assert report.test.hce_acp == 0.10 and report.test.limit == 0.05
    assert table.loc["H", "refund"] == 5000.0
    assert (table.loc["H", "refund_after_tax"], table.loc["H", "refund_match"], table.loc["H", "refund_deferrals"]) \
        == (1000.0, 0.0, 4000.0)


def test_eaca_deadline_and_plan_year_validation():
    assert deadlines(2025, eaca=True) == ("2026-06-30", "2026-12-31")
    with pytest.raises(InputError):
        run_acp(failing_census(), 2014)  # no published lookback threshold for 2013


# ---- leveling ---------------------------------------------------------------------------------------------

def test_level_percentages_walks_down_through_ties():
    # 9%, 9%, 9%, 1%; target ACP 5% x 4 = 20%: 3L + 1 = 20 -> L = 6.3333%.
    assert level_percentages(np.array([900, 900, 900, 100]), Fraction(2000)) == Fraction(1900, 3)
    # the highest comes down only to the next: 12%, 6%, 0%; target 15%: L = 9% (> 6%).
    assert level_percentages(np.array([1200, 600, 0]), Fraction(1500)) == 900


def test_level_dollars_ties_share_equally_to_the_cent_per_person():
    # three equal amounts of $100.00, $100.00 to take: $33.333... each, rounded per person: $33.33 each (all
    # three end at $66.67; the odd cent is not handed to anyone); $200.00 from $300.00: $66.67 each.
    assert level_dollars(np.array([100.0, 100.0, 100.0]), 10000).tolist() == [3333, 3333, 3333]
    assert level_dollars(np.array([100.0, 100.0, 100.0]), 20000).tolist() == [6667, 6667, 6667]
    # 50 and 30 and 10 dollars, take 30: 50 -> 30 takes 20, then 5 each: 25, 5, 0.
    assert level_dollars(np.array([50.0, 30.0, 10.0]), 3000).tolist() == [2500, 500, 0]
    assert level_dollars(np.array([50.0, 30.0]), 0).tolist() == [0, 0]
    assert level_dollars(np.array([50.0, 30.0]), 8000).tolist() == [5000, 3000]


def test_round_half_up_matches_spreadsheet_round():
    values = np.array([0.00125, 0.123449999, 16669.899999999994 * 0.05, -0.125, 2.675])
    assert round_half_up(values, 2).tolist() == [0.0, 0.12, 833.5, -0.13, 2.68]
    assert round_half_up(np.array([0.00125]), 4).tolist() == [0.0013]


# ---- what-if ----------------------------------------------------------------------------------------------

def test_max_uniform_rate_hand_case_with_415c_room_binding():
    # 2026. NHCEs 14,000/100,000 = 14% -> limit max(17.5%, min(28%, 16%)) = 17.5%.
    # HCE1: pay 360,000, match 14,400 (4%), deferrals 24,500 -> room 72,000 - 24,500 - 14,400 = 33,100
    #       = 9.19444% of pay: ratio 4% + min(r, 9.19444%) caps at 13.1944%.
    # HCE2: pay 200,000, match 8,000 (4%), deferrals 24,500 -> room 39,500 = 19.75%: ratio 4% + r.
    # Ratios are kept to 0.01%: HCE1 13.19444% -> 13.19%. 13.19% + 4% + r <= 2 x 17.5% = 35% -> r <= 17.81%.
    frame = census(("H1", 360000, 360000, False, True, 14400, 0, 24500),
                   ("H2", 200000, 200000, False, True, 8000, 0, 24500),
                   ("N", 100000, 100000, False, True, 14000, 0, 5000))
    report = run_acp(frame, 2026)
    assert report.what_if.max_rate == 0.1781
    assert report.what_if.hce_acp_at_max == 0.175   # (13.19% + 21.81%) / 2
    assert report.what_if.limit == 0.175


def test_max_uniform_rate_none_when_the_match_alone_fails():
    # HCE match 10%, NHCE 2% -> limit 4%: fails at 0% after-tax.
    frame = census(("H", 100000, 200000, False, True, 10000, 0), ("N", 100000, 100000, False, True, 2000, 0))
    report = run_acp(frame, 2026)
    assert report.what_if.max_rate is None and report.what_if.hce_acp_at_max is None
    assert max_uniform_after_tax_rate(np.array([0.01]), np.array([0.02]), Fraction(400)) == 1.0  # room binds


def test_sensitivity_grid_by_hand():
    # HCE match 3%, NHCE match 2%, no room limits. Rate 4%, half the NHCEs join: NHCE 2% + 0.5 x 4% = 4%
    # -> limit 6%; HCE 3% + 4% = 7% -> margin -1%. Rate 0: NHCE 2% -> limit 4%, HCE 3% -> +1%.
    grid = sensitivity_grid(np.array([0.03, 0.03]), np.array([1.0, 1.0]), np.array([0.02]), np.array([1.0]),
                            participation=(0.0, 0.5), rates=(0.0, 0.04))
    assert grid.loc[0.5, 0.04] == pytest.approx(-0.01) and grid.loc[0.0, 0.0] == pytest.approx(0.01)
    assert grid.loc[0.0, 0.04] == pytest.approx(0.04 - 0.07)


def test_report_grid_has_the_default_shape_and_json_is_plain():
    import json

    report = run_acp(failing_census(), 2026)
    assert report.grid.shape == (11, 16)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["test"]["passed"] is False and data["correction"]["total_excess"] == 15000.0
    assert data["participants"][5]["ratio"] is None and "not individual tax advice" in data["disclaimer"]
