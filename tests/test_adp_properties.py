"""Invariants of the ADP -> recharacterization -> ACP run on random censuses (hypothesis).

* After correction both tests pass: the HCE ADP and ACP computed with the leveled ratios never exceed their
  limits (Treas. Reg. §1.401(k)-2(b)(2)(ii), §1.401(m)-2(b)(2)(ii)).
* No refund exceeds what was contributed: the ADP excess of a row is at most its deferrals in the ADP, and what
  is recharacterized or distributed adds up to it; an ACP refund is at most the row's ACP contributions, and
  each source at most what that source holds.
* Recharacterization as catch-up never exceeds the unused catch-up (§414(v); Treas. Reg. §1.414(v)-1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from megabackdoor.acp import level_dollars
from megabackdoor.adp import level_dollars_capped, run_nondiscrimination
from megabackdoor.headroom import catchup_limit


@st.composite
def people(draw, hce: bool):
    pay = draw(st.integers(min_value=20_000_00, max_value=500_000_00)) / 100
    prior = draw(st.integers(min_value=160_001, max_value=900_000)) if hce else draw(
        st.integers(min_value=0, max_value=160_000))
    deferrals = draw(st.integers(min_value=0, max_value=min(int(pay * 100), 36_000_00))) / 100
    match = draw(st.integers(min_value=0, max_value=int(pay * 0.06 * 100))) / 100
    after_tax = draw(st.integers(min_value=0, max_value=int(pay * 0.2 * 100))) / 100
    age = draw(st.integers(min_value=21, max_value=70))
    return (pay, float(prior), deferrals, match, after_tax, age)


@st.composite
def censuses(draw):
    hces = draw(st.lists(people(True), min_size=1, max_size=6))
    nhces = draw(st.lists(people(False), min_size=1, max_size=6))
    rows = [(f"H{i}", *p) for i, p in enumerate(hces)] + [(f"N{i}", *p) for i, p in enumerate(nhces)]
    frame = pd.DataFrame(rows, columns=["id", "compensation", "prior_compensation", "deferrals", "match",
                                        "after_tax", "age"])
    frame.insert(0, "row", range(2, len(rows) + 2))
    frame["owner_5pct"] = False
    frame["eligible"] = True
    frame["age"] = frame["age"].astype(float)
    return frame


SETTINGS = settings(max_examples=scaled(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPTIONS = st.fixed_dictionaries({"adp_correction": st.sampled_from(["distribute", "recharacterize"]),
                                 "matched": st.sampled_from(["deferrals", "after_tax", "both"]),
                                 "catch_up": st.booleans()})


@SETTINGS
@given(censuses(), OPTIONS)
def test_both_tests_pass_after_correction_and_refunds_stay_within_contributions(frame, options):
    report = run_nondiscrimination(frame, 2026, **options)
    adp, acp = report.adp, report.acp
    if adp.correction is not None:
        assert adp.correction.hce_acp_after_leveling <= adp.test.limit + 1e-12
    if acp.correction is not None:
        assert acp.correction.hce_acp_after_leveling <= acp.test.limit + 1e-12
    a = adp.participants
    assert (a["excess_contributions"] <= a["adp_deferrals"] + 0.005).all()
    parts = (a["from_excess_deferrals"] + a["recharacterized_catch_up"] + a["recharacterized_after_tax"]
             + a["distributed"])
    assert np.allclose(parts, a["excess_contributions"], atol=0.011)
    if adp.correction is not None:
        # whole cents per person (acp.level_dollars): the sum is the total give or take half a cent per HCE
        hces = int((a["hce"] & a["eligible"]).sum())
        assert abs(round(float(a["excess_contributions"].sum()) * 100) - round(adp.correction.total_excess * 100)
                   ) <= hces / 2
    assert (a["distributed"] <= a["deferrals"] + 1e-9).all() and (a["match_forfeited"] <= frame["match"] + 1e-9).all()
    b = acp.participants
    assert (b["refund"] <= b["acp_contributions"] + 0.005).all()
    corrected_after_tax = frame["after_tax"] + a["recharacterized_after_tax"]
    assert (b["refund_after_tax"] <= corrected_after_tax + 1e-9).all()
    assert (b["refund_match"] <= b["match_counted"] + 1e-9).all()
    assert (b["match_forfeited"] <= b["refund_match"] + 1e-9).all()


@SETTINGS
@given(censuses())
def test_catch_up_recharacterization_never_exceeds_the_unused_catch_up(frame):
    report = run_nondiscrimination(frame, 2026)
    a = report.adp.participants
    limits = np.array([catchup_limit(2026, int(age)) for age in frame["age"]])
    assert (a["recharacterized_catch_up"] <= limits - a["catch_up"] + 1e-9).all()
    assert (a.loc[frame["age"] < 50, "recharacterized_catch_up"] == 0).all()
    assert (a.loc[~a["hce"], "excess_contributions"] == 0).all()


@settings(max_examples=scaled(60), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3_000_000), st.integers(0, 3_000_000)), min_size=1, max_size=10),
       st.floats(0, 1))
def test_capped_leveling_never_takes_more_than_this_plan_holds(pairs, share):
    # amounts (cents) ranked for leveling, caps (cents) contributed to this plan: refunds stay within the caps,
    # add up to the total within half a cent an HCE, and without binding caps equal plain leveling.
    amounts = np.array([a + c for a, c in pairs], dtype=float) / 100
    caps = np.array([c for _, c in pairs], dtype=float) / 100
    total = int(share * sum(c for _, c in pairs))
    refunds = level_dollars_capped(amounts, caps, total)
    assert (refunds >= 0).all() and (refunds <= np.rint(caps * 100)).all()
    assert abs(int(refunds.sum()) - total) <= len(pairs) / 2 + 1
    uncapped = level_dollars_capped(amounts, amounts, total)
    assert np.abs(uncapped - level_dollars(amounts, total)).max() <= 1
