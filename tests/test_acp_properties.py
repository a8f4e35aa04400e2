"""Invariants of the ACP engine on random censuses (hypothesis).

* After correction the test passes: the HCE ACP computed with the leveled ratios (Treas. Reg.
  §1.401(m)-2(b)(2): the excess is the amount that brings the HCE ACP down to the limit) never exceeds the
  limit. (The ACP *recomputed* with the dollar-leveled refunds can differ, which the statute accepts: see
  test_acp.py::test_failing_census_by_hand for a case where it stays above the limit.)
* No refund exceeds a participant's ACP contributions, refunds add up to the total excess to the cent.
* Leveling never cuts a smaller contributor before a larger one: in dollars (refunds) and in percentages
  (leveled ratios).
* The census engine and the scalar ``acp_test`` agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from megabackdoor.acp import level_dollars, run_acp
from megabackdoor.acp_rules import acp_test
from megabackdoor.rounding import excel_round

cents = st.integers(min_value=0, max_value=4_000_000).map(lambda c: c / 100)


@st.composite
def people(draw, hce: bool):
    pay = draw(st.integers(min_value=20_000_00, max_value=600_000_00)) / 100
    prior = draw(st.integers(min_value=160_001, max_value=900_000)) if hce else draw(
        st.integers(min_value=0, max_value=160_000))
    # Keep ACP money within §415(c)-like bounds: at most 30% of pay.
    ceiling = int(pay * 0.3 * 100)
    match = draw(st.integers(min_value=0, max_value=ceiling)) / 100
    after_tax = draw(st.integers(min_value=0, max_value=ceiling)) / 100
    eligible = draw(st.booleans()) if draw(st.integers(0, 9)) == 0 else True
    return (pay, float(prior), False, eligible, match, after_tax)


@st.composite
def censuses(draw):
    hces = draw(st.lists(people(True), min_size=1, max_size=8))
    nhces = draw(st.lists(people(False), min_size=1, max_size=8))
    everyone = [(f"H{i}", *p) for i, p in enumerate(hces)] + [(f"N{i}", *p) for i, p in enumerate(nhces)]
    order = draw(st.permutations(range(len(everyone))))
    rows = [everyone[i] for i in order]
    frame = pd.DataFrame(rows, columns=["id", "compensation", "prior_compensation", "owner_5pct", "eligible",
                                        "match", "after_tax"])
    frame["deferrals"] = 0.0
    frame.insert(0, "row", range(2, len(rows) + 2))
    # Both groups need an eligible member.
    frame.loc[frame["id"] == "H0", "eligible"] = True
    frame.loc[frame["id"] == "N0", "eligible"] = True
    return frame


SETTINGS = settings(max_examples=scaled(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(censuses(), st.sampled_from([0.0, 0.05, -0.02]))
def test_correction_invariants(frame, earnings_rate):
    report = run_acp(frame, 2026, earnings_rate=earnings_rate)
    table = report.participants
    hces = table[table["hce"] & table["eligible"]]
    refunds = table["refund"].to_numpy()
    money = table["acp_contributions"].to_numpy()
    # never more than the participant put in; never negative; only eligible HCEs
    assert (refunds >= 0).all() and (refunds <= money + 1e-9).all()
    assert (refunds[~(table["hce"] & table["eligible"]).to_numpy()] == 0).all()
    split = table["refund_after_tax"] + table["refund_match"] + table["refund_deferrals"]
    assert np.allclose(split, table["refund"], atol=1e-9)
    assert (table["refund_after_tax"] <= table["after_tax"] + 1e-9).all()
    if report.test.passed:
        assert report.correction is None and refunds.sum() == 0
        return
    correction = report.correction
    # after leveling the test passes (exactly at the limit, up to float display)
    assert correction.hce_acp_after_leveling <= report.test.limit + 1e-12
    assert np.mean(hces["leveled_ratio"]) <= report.test.limit + 1e-12
    # refunds are whole cents per person: they add up to the total excess give or take half a cent per HCE
    assert abs(round(refunds.sum() * 100) - round(correction.total_excess * 100)) <= len(hces) / 2
    assert correction.total_excess <= hces["acp_contributions"].sum() + 1e-9
    # dollar leveling: a smaller contributor is never cut before a larger one, and they end level to a cent
    amounts = hces["acp_contributions"].to_numpy()
    cut = hces["refund"].to_numpy()
    for i in range(len(amounts)):
        for j in range(len(amounts)):
            if amounts[i] + 0.01 <= amounts[j] and cut[i] > 0:
                assert cut[j] > 0
                assert amounts[j] - cut[j] >= amounts[i] - cut[i] - 0.01 - 1e-9
    # percentage leveling: a lower ratio is never leveled while a higher one is not
    ratios = hces["ratio"].to_numpy()
    leveled = hces["leveled_ratio"].to_numpy()
    for i in range(len(ratios)):
        for j in range(len(ratios)):
            if ratios[i] < ratios[j] and leveled[i] < ratios[i]:
                assert leveled[j] < ratios[j] and leveled[j] == leveled[i]
    # earnings follow the refunds at the rate, rounded to the cent half up as the spreadsheet ROUND does
    assert table["earnings"].tolist() == [excel_round(r * earnings_rate, 2) for r in refunds]
    assert correction.earnings == round(sum(table["earnings"]), 2)


@SETTINGS
@given(censuses())
def test_engine_agrees_with_the_scalar_test(frame):
    report = run_acp(frame, 2026)
    table = report.participants
    eligible = table[table["eligible"]]
    raw = eligible["acp_contributions"] / eligible["tested_compensation"]
    scalar = acp_test(raw[eligible["hce"]].tolist(), raw[~eligible["hce"]].tolist())
    assert scalar == report.test


@SETTINGS
@given(st.lists(cents, min_size=1, max_size=12), st.data())
def test_level_dollars_properties(amounts, data):
    total = round(sum(amounts) * 100)
    take = data.draw(st.integers(min_value=0, max_value=total))
    refunds = level_dollars(np.array(amounts), take)
    amount_cents = np.rint(np.array(amounts) * 100).astype(int)
    # each refund is its exact share rounded half up to the cent: the sum is within half a cent per amount
    assert abs(int(refunds.sum()) - take) <= len(amounts) / 2
    assert (refunds >= 0).all() and (refunds <= amount_cents).all()
    remaining = amount_cents - refunds
    for i in range(len(amounts)):
        for j in range(len(amounts)):
            if amount_cents[i] < amount_cents[j] and refunds[i] > 0:
                assert refunds[j] > 0 and remaining[j] >= remaining[i] - 1


@SETTINGS
@given(censuses(), st.sampled_from([0.001, 0.0001]))
def test_what_if_rate_passes_and_the_next_step_fails(frame, step):
    report = run_acp(frame, 2026, step=step)
    rate = report.what_if.max_rate
    hce = (report.participants["hce"] & report.participants["eligible"]).to_numpy()
    if rate is None or rate == 1.0:
        return
    assert report.what_if.hce_acp_at_max <= report.test.limit
    # one step more fails: every HCE elects the rate, capped by §415(c) room (72,000 - deferrals - match, 2026)
    table = report.participants
    pay = table["tested_compensation"].to_numpy()
    room = np.maximum(72000 - np.minimum(table["deferrals"], 24500) - table["match"], 0).to_numpy()
    eligible = table["eligible"].to_numpy()
    for candidate, should_pass in ((rate, True), (rate + step, False)):
        ratios = np.where(hce, table["match"] / pay + np.minimum(candidate, room / pay), table["ratio"])
        result = acp_test(ratios[hce].tolist(), ratios[eligible & ~hce].tolist())
        assert result.passed is should_pass
