"""The ADP test (IRC §401(k)(3); Treas. Reg. §1.401(k)-2) and the two tests run together, in order, on one census.

pandas layer, like :mod:`megabackdoor.acp` (the rule arithmetic, the limit and the rounding, is the core's
:mod:`megabackdoor.acp_rules`, shared with ``ADP_TEST``/``ADP_LIMIT``).

Rules:

* **ADR** of each eligible employee = elective deferrals (pre-tax + Roth) taken into account / compensation
  capped at §401(a)(17), to the nearest hundredth of a percentage point (§1.401(k)-2(a)(3)(i)); the group
  averages likewise (§1.401(k)-2(a)(2)(i)); the limit is the ACP test's (§401(k)(3)(A)(ii)). Not taken into
  account: deferrals that are catch-up contributions because they exceed §402(g) (for an employee aged 50+
  by 31 December, up to the catch-up limit: §1.401(k)-2(a)(5)(iii), §1.414(v)-1), and an NHCE's deferrals
  above §402(g) (§1.401(k)-2(a)(5)(ii): prohibited by §401(a)(30)); an HCE's excess deferrals stay in
  (§1.401(k)-2(a)(4)(iii)). QNECs count when the plan puts them in the ADP, an NHCE's only up to pay x
  max(5%, 2 x the representative contribution rate) (§1.401(k)-2(a)(6)(iv)).
* **Correction** (§1.401(k)-2(b)(2)): the total excess by leveling ADRs, apportioned by leveling dollars (as
  for the ACP). For each HCE, in this order: deferrals above §402(g) + catch-up already distributed as excess
  deferrals reduce the excess contributions (§1.401(k)-2(b)(4)(i)(A)); an HCE aged 50+ has the rest
  **recharacterized as catch-up contributions** up to the unused catch-up (§414(v)(3)(B); §1.414(v)-1(b)(1)(iii);
  §1.401(k)-2(b)(4)(v)), which stay in the plan; what is left is distributed with allocable income
  (``correction='distribute'``) or **recharacterized as after-tax employee contributions**
  (``correction='recharacterize'``, §1.401(k)-2(b)(3)), which then count in the ACP test. The match on
  distributed deferrals is forfeited (§1.401(k)-2(b)(4)(ii)) and no longer counts in the ACP
  (§1.401(m)-2(a)(5)(v)).
* **Safe harbor**: an ADP safe-harbor plan (§401(k)(12)/(13), §1.401(k)-3) skips the ADP test; its ACP safe
  harbor covers matching contributions only, so after-tax contributions are still ACP-tested
  (§1.401(m)-3(j)(6)).
* **Order** (§401(m)(6)(D)): §402(g) excess deferrals, then the ADP correction, then the recharacterizations,
  then the ACP test on the amounts as corrected (:func:`run_nondiscrimination`).

Educational, not individual tax advice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import DISCLAIMER, validate
from ._record import Record
from .acp import (
    Correction,
    _plain,
    _ratio,
    _units,
    check_tiers,
    deadlines,
    group_test,
    hce_flags,
    level_dollars,
    leveling,
    prior_testing,
    round_half_up,
    run_acp,
)
from .acp_rules import (
    UNITS_PER_ONE,
    average_units,
    contributed_in_time,
    contribution_deadline,
    exact_ratio_units,
    limit_units,
)
from .cadences import DEFAULT_INFLATION
from .census import Census, frame_from_columns, read_census, without_huge_pages
from .errors import InputError
from .limits import irs_limit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["AdpReport", "NondiscriminationReport", "run_adp", "run_nondiscrimination", "adp_deferrals",
           "CORRECTIONS", "QNEC_TESTS", "level_dollars_capped"]

CORRECTIONS = ("distribute", "recharacterize")
QNEC_TESTS = ("none", "adp", "acp")


class AdpReport(Record):
    """Everything ``run_adp`` found: ``participants`` (DataFrame, one row per census row), ``test``
    (AcpTestResult, ``hce_acp`` being the HCE ADP), ``correction`` (Correction or None; None also when a safe
    harbor skips the test), ``corrected`` (the census frame as corrected, for the ACP test), settings, notes."""

    __slots__ = ("plan_year", "testing", "participants", "test", "correction", "corrected", "safe_harbor",
                 "compensation_limit", "deferral_limit", "settings", "notes", "source")

    def to_dict(self) -> dict:
        data = {name: getattr(self, name) for name in self.__slots__ if name != "corrected"}
        data["participants"] = self.participants.replace({np.nan: None}).to_dict(orient="records")
        for key in ("test", "correction", "compensation_limit", "deferral_limit"):
            if data[key] is not None:
                data[key] = data[key].to_dict()
        data["disclaimer"] = DISCLAIMER
        return _plain(data)


class NondiscriminationReport(Record):
    """Both tests on one census, in order: ``adp`` (AdpReport), ``acp`` (AcpReport on the census as corrected
    by the ADP step), ``steps`` (what happened, in order, as sentences), ``refunds`` (one row per HCE with
    any correction: ADP and ACP amounts side by side)."""

    __slots__ = ("plan_year", "adp", "acp", "steps", "refunds", "source")

    def to_dict(self) -> dict:
        return _plain({"plan_year": self.plan_year, "adp": self.adp.to_dict(), "acp": self.acp.to_dict(),
                       "steps": list(self.steps), "source": self.source,
                       "refunds": self.refunds.replace({np.nan: None}).to_dict(orient="records"),
                       "disclaimer": DISCLAIMER})


def _catch_up_limits(ages: np.ndarray, plan_year: int, inflation: float) -> np.ndarray:
    """Catch-up limit per row from the age attained by 31 December (0 under 50; 60-63 from 2025)."""
    from .headroom import catchup_limit

    table = np.array([catchup_limit(plan_year, age, inflation) for age in range(121)], dtype="float64")
    return table[np.clip(ages.astype("int64"), 0, 120)]


def adp_deferrals(deferrals: np.ndarray, hce: np.ndarray, catch_up_limits: np.ndarray,
                  deferral_limit: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(deferrals taken into account in the ADP, catch-ups over §402(g), excess deferrals) per row.

    Over §402(g), an employee with a catch-up limit has the excess treated as catch-up contributions up to
    that limit, not counted in the ADP (Treas. Reg. §1.401(k)-2(a)(5)(iii)); beyond it are excess deferrals,
    counted for an HCE (§1.401(k)-2(a)(4)(iii)) and not for an NHCE (§1.401(k)-2(a)(5)(ii)).

    >>> counted, catch_up, excess = adp_deferrals(np.array([32500.0, 26000.0, 26000.0]),
    ...     np.array([True, True, False]), np.array([8000.0, 0.0, 0.0]), 24500)
    >>> counted.tolist(), catch_up.tolist(), excess.tolist()
    ([24500.0, 26000.0, 24500.0], [8000.0, 0.0, 0.0], [0.0, 1500.0, 1500.0])
    """
    over = np.maximum(deferrals - deferral_limit, 0.0)
    catch_up = np.minimum(over, catch_up_limits)
    excess = over - catch_up
    counted = deferrals - catch_up - np.where(hce, 0.0, excess)
    return counted, catch_up, excess


def _representative_cap(qnec: np.ndarray, pay: np.ndarray, rows: np.ndarray,
                        qmac: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """QNECs of the NHCE ``rows`` capped at pay x max(5%, 2 x representative contribution rate), each row's
    applicable rate being (QMACs counted in the ADP + QNEC) / pay (§1.401(k)-2(a)(6)(iv)(C))."""
    from .acp import _kth_highest

    applicable = qnec[rows] if qmac is None else qnec[rows] + qmac[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(pay[rows] > 0, applicable / np.where(pay[rows] > 0, pay[rows], 1.0), 0.0)
    representative = _kth_highest(rates)
    capped = qnec.copy()
    # ROUND(..., 2) half up, as the census template writes it
    capped[rows] = np.minimum(qnec[rows], round_half_up(pay[rows] * max(0.05, 2 * representative), 2))
    return capped, representative


def level_dollars_capped(amounts: np.ndarray, caps: np.ndarray, total_cents: int) -> np.ndarray:
    """:func:`megabackdoor.acp.level_dollars` when an HCE's ADR also counts deferrals to another plan of the
    employer: dollar leveling ranks the HCEs by all their deferrals (``amounts``), but no more than what was
    contributed to this plan (``caps``) is apportioned to one; the rest goes on to the others (Treas. Reg.
    §1.401(k)-2(b)(2)(iii)(B); (b)(2)(viii) Example 2). The level D solves sum(min(max(amount - D, 0), cap)) =
    total; each refund is min(cap, amount - D) in whole cents, half up.

    >>> level_dollars_capped(np.array([12000.0, 8960.0]), np.array([3000.0, 8960.0]), 456000).tolist()
    [300000, 156000]
    """
    cents = np.rint(np.asarray(amounts, dtype="float64") * 100)
    limit = np.minimum(np.rint(np.asarray(caps, dtype="float64") * 100), cents)
    total_cents = int(total_cents)
    if total_cents <= 0:
        return np.zeros(len(cents), dtype="int64")
    if total_cents >= limit.sum():
        return limit.astype("int64")

    def taken(level: float) -> float:
        return float(np.minimum(np.maximum(cents - level, 0.0), limit).sum())

    # taken() falls as the level rises: bisection between a level taking everything and one taking nothing
    low, high = float((cents - limit).min()), float(cents.max())
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if taken(middle) > total_cents else (low, middle)
        if high - low < 1e-7:
            break
    refunds = np.floor(np.maximum(cents - high, 0.0) + 0.5 + 1e-7).astype("int64")
    return np.minimum(refunds, limit.astype("int64"))


def _match_on(deferral_cut: np.ndarray, rows: np.ndarray, frame: pd.DataFrame, pay: np.ndarray, matched: str,
              match_tiers: Any) -> np.ndarray:
    """The match attributable to deferrals taken out of ``rows`` (the last dollars deferred go first)."""
    from .match import bands, match_total

    match = frame["match"].to_numpy(dtype="float64")[rows]
    if matched == "after_tax" or not len(rows):
        return np.zeros(len(rows))
    deferrals = frame["deferrals"].to_numpy(dtype="float64")[rows]
    if match_tiers:
        tiers = bands(match_tiers)
        after_tax = frame["after_tax"].to_numpy(dtype="float64")[rows] if matched == "both" else np.zeros(len(rows))
        # deferrals sit below any matched after-tax money: taking deferrals out moves the after-tax down
        out = np.array([match_total(d + a, p, tiers) - match_total(d + a - cut, p, tiers)
                        for d, a, p, cut in zip(deferrals, after_tax, pay[rows], deferral_cut, strict=True)])
    else:
        base = deferrals + (frame["after_tax"].to_numpy(dtype="float64")[rows] if matched == "both" else 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(base > 0, match * deferral_cut / np.where(base > 0, base, 1.0), 0.0)
    return np.minimum(round_half_up(out, 2), match)


@without_huge_pages
def run_adp(census: Census | pd.DataFrame | str, plan_year: int, *, testing: str = "current",
            prior_nhce_adp: float | str | None = None, top_paid_group: bool = False,
            correction: str = "distribute", catch_up: bool = True, qnec_in_adp: bool = False,
            safe_harbor: bool = False, earnings_rate: float = 0.0, eaca: bool = False, matched: str = "deferrals",
            match_tiers: Any = None, qnec_paid: Any = None, prior_nhce_qnec: float = 0.0,
            prior_qnec_paid: Any = None, prior_qnec_used: bool = False, excess_deferrals_timing: str = "before",
            qmac_in_adp: bool = False, inflation: float = DEFAULT_INFLATION) -> AdpReport:
    """Run the ADP test on a census (deferrals column required); on failure correct it.

    ``testing``/``prior_nhce_adp``: as for the ACP (prior-year testing needs last year's NHCE ADP, or
    'first-year' for 3%). ``correction``: 'distribute' (refund with allocable income) or 'recharacterize'
    (as after-tax employee contributions, which then count in the ACP). ``catch_up``: recharacterize HCEs'
    excess as catch-up contributions first (needs the census ``age`` column). ``qnec_in_adp``: count the
    census ``qnec`` column. ``safe_harbor``: an ADP safe-harbor plan (the test is skipped).
    ``matched``/``match_tiers``: the match formula, to forfeit the match on distributed deferrals.
    ``qnec_paid``: when the census QNECs were paid to the trust (ISO date; None: in time); paid after
    31 December of the year after the plan year they do not count (Treas. Reg. §1.401(k)-2(a)(6)(i)).
    ``prior_nhce_qnec`` (prior-year testing): a QNEC rate allocated to last year's NHCEs for last year, added to
    ``prior_nhce_adp`` only when ``prior_qnec_paid`` is by 31 December of the plan year tested
    (§1.401(k)-2(a)(7) Example 5), and never when ``prior_qnec_used`` (it already counted in last year's own
    test, e.g. before a change to prior-year testing: §1.401(k)-2(a)(6)(vi), (a)(7) Example 8).
    ``qmac_in_adp``: count the census ``qmac`` column (the part of each row's match that is a qualified matching
    contribution the plan uses in the ADP) in the ADP, each only as far as the ACP's disproportionate-match cap
    would count the match (§1.401(k)-2(a)(6)(v)); those QMACs then leave the ACP (§1.401(m)-2(a)(5)(iii)) and
    are never distributed as excess contributions (§1.401(k)-2(a)(7) Example 9).
    ``excess_deferrals_timing``: whether the census ``excess_deferrals`` were
    distributed 'before' the ADP correction (they reduce the excess contributions: §1.401(k)-2(b)(4)(i)(A)) or
    are requested 'after' it (the excess contributions distributed or recharacterized reduce them:
    §1.401(k)-2(b)(4)(i)(B), §1.402(g)-1(e)(6); §1.401(m)-2(b)(5) Example 4).

    >>> frame = pd.DataFrame({"row": [2, 3, 4, 5], "id": ["A", "B", "N1", "N2"],
    ...     "compensation": [200000.0, 128000.0, 100000.0, 100000.0],
    ...     "prior_compensation": [200000.0, 200000.0, 100000.0, 100000.0], "owner_5pct": [False] * 4,
    ...     "eligible": [True] * 4, "match": [0.0] * 4, "after_tax": [0.0] * 4,
    ...     "deferrals": [12000.0, 8960.0, 3000.0, 3000.0]})
    >>> report = run_adp(frame, 2026)          # §1.401(k)-2(b)(2)(viii) Example 1: NHCE 3%, HCEs 6% and 7%
    >>> report.test.hce_acp, report.test.limit, report.correction.total_excess
    (0.065, 0.05, 4560.0)
    >>> report.participants["distributed"].tolist()[:2]
    [3800.0, 760.0]
    """
    plan_year = validate.whole("plan_year", plan_year, validate.FIRST_YEAR + 1, validate.LAST_YEAR, "a plan year")
    testing = validate.choice("testing", testing, ("current", "prior"))
    correction_method = validate.choice("correction", correction, CORRECTIONS)
    matched = validate.choice("matched", matched, ("deferrals", "after_tax", "both"))
    match_tiers = check_tiers(match_tiers)
    earnings_rate = validate.rate("earnings_rate", earnings_rate)
    excess_deferrals_timing = validate.choice("excess_deferrals_timing", excess_deferrals_timing,
                                              ("before", "after"))
    prior_nhce_qnec = validate.fraction("prior_nhce_qnec", prior_nhce_qnec)
    for argument, paid in (("qnec_paid", qnec_paid), ("prior_qnec_paid", prior_qnec_paid)):
        contributed_in_time(argument, paid, plan_year)  # a date that is not one is refused even if unused
    if prior_nhce_qnec and testing != "prior":
        raise InputError("prior_nhce_qnec", prior_nhce_qnec, "0 with current-year testing",
                         hint="this year's QNECs go in the census qnec column; a rate for last year's NHCEs is "
                              "for prior-year testing")
    source = None
    has_ages = None
    if isinstance(census, Census):
        source, frame, has_deferrals, has_ages = census.source, census.frame, census.has_deferrals, census.has_ages
    elif isinstance(census, pd.DataFrame):
        frame, has_deferrals = census, "deferrals" in census.columns
    else:
        checked = read_census(census)
        source, frame, has_deferrals, has_ages = (checked.source, checked.frame, checked.has_deferrals,
                                                  checked.has_ages)
    if has_ages is None:
        has_ages = "age" in frame
    if not has_deferrals:
        raise InputError("census", "no deferrals column", "a deferrals column (pre-tax + Roth elective deferrals)",
                         kind="na", hint="the ADP test is on elective deferrals; map yours with "
                                         "--column deferrals=HEADER")
    if "row" not in frame:
        frame = frame.assign(row=np.arange(2, len(frame) + 2))
    notes: list[str] = []
    prior_units, prior_value = prior_testing(testing, prior_nhce_adp, "prior_nhce_adp", "ADP")
    if prior_nhce_qnec and prior_qnec_used:
        notes.append(f"the {prior_nhce_qnec:.2%} QNEC for {plan_year - 1}'s NHCEs already counted in the "
                     f"{plan_year - 1} ADP test: not counted again (Treas. Reg. §1.401(k)-2(a)(6)(vi); "
                     "§1.401(k)-2(a)(7) Example 8)")
    elif prior_nhce_qnec:
        # a QNEC allocated for last year counts in last year's NHCE ADP only if paid within 12 months after it
        if contributed_in_time("prior_qnec_paid", prior_qnec_paid, plan_year - 1):
            prior_units += exact_ratio_units(prior_nhce_qnec)
            prior_value = float(prior_units / UNITS_PER_ONE)
        else:
            notes.append(f"the {prior_nhce_qnec:.2%} QNEC for {plan_year - 1}'s NHCEs was paid {prior_qnec_paid}, "
                         f"after {contribution_deadline(plan_year - 1)}: not counted in the prior-year NHCE ADP "
                         "(Treas. Reg. §1.401(k)-2(a)(6)(i); §1.401(k)-2(a)(7) Example 5)")

    compensation_limit = irs_limit("401a17", plan_year, inflation)
    deferral_limit = irs_limit("402g", plan_year, inflation)
    hce, reason, threshold = hce_flags(frame, plan_year, top_paid_group, inflation)
    eligible = frame["eligible"].to_numpy(dtype=bool)
    in_hce, in_nhce = eligible & hce, eligible & ~hce
    pay = np.minimum(frame["compensation"].to_numpy(dtype="float64"), float(compensation_limit.value))
    deferrals = frame["deferrals"].to_numpy(dtype="float64")
    ages = frame["age"].to_numpy(dtype="float64") if has_ages else np.zeros(len(frame))
    if not has_ages:
        notes.append("no age column: nobody is treated as catch-up eligible (deferrals above §402(g) are excess "
                     "deferrals, and no ADP excess is recharacterized as catch-up)")
    catch_up_limits = _catch_up_limits(ages, plan_year, inflation)
    counted, statutory_catch_up, excess_deferrals = adp_deferrals(deferrals, hce, catch_up_limits,
                                                                  float(deferral_limit.value))
    # an HCE's deferrals to other plans of the employer count in the ADR (§1.401(k)-2(a)(3)(ii)) but are not
    # distributed from this plan (§1.401(k)-2(b)(2)(iii)(B))
    other_plans = np.zeros(len(frame))
    if "other_plan_deferrals" in frame:
        other_plans = np.where(hce, frame["other_plan_deferrals"].to_numpy(dtype="float64"), 0.0)
    if "excess_deferrals" in frame:
        # §402(g) excess deferrals distributed because of another employer's plan (§402(g) is per person): an
        # HCE's stay in the ADR (§1.401(k)-2(a)(4)(iii)), and they reduce the excess contributions
        # (§1.401(k)-2(b)(4)(i)(A); §1.401(m)-2(b)(5) Example 3)
        reported = np.minimum(frame["excess_deferrals"].to_numpy(dtype="float64"), deferrals - statutory_catch_up)
        excess_deferrals = np.maximum(excess_deferrals, reported)
    qmac = frame["qmac"].to_numpy(dtype="float64") if "qmac" in frame else np.zeros(len(frame))
    counted_qmac = np.zeros(len(frame))
    if qmac_in_adp and qmac.any():
        match = frame["match"].to_numpy(dtype="float64")
        over = np.flatnonzero(qmac > match + 0.005)
        if len(over):
            first = over[0]
            raise InputError("census", f"row {int(frame['row'].iloc[first])}: qmac {qmac[first]:,.2f} above the "
                             f"match {match[first]:,.2f}", "QMACs that are part of the row's match", kind="num",
                             hint=f"{len(over)} row(s) like this; the qmac column is the share of the match used "
                                  "in the ADP")
        from .acp import counted_contributions

        # only the match the ACP's disproportionate-match cap would count (§1.401(k)-2(a)(6)(v))
        allowed = counted_contributions(frame, pay, in_nhce, matched=matched, match_tiers=match_tiers)["match"]
        counted_qmac = np.where(eligible, np.minimum(qmac, allowed), 0.0)
        if (counted_qmac < np.where(eligible, qmac, 0.0)).any():
            notes.append("QMACs above the disproportionate-match cap are not counted in the ADP (Treas. Reg. "
                         "§1.401(k)-2(a)(6)(v), §1.401(m)-2(a)(5)(ii))")
    qnec = frame["qnec"].to_numpy(dtype="float64") if "qnec" in frame else np.zeros(len(frame))
    counted_qnec = np.zeros(len(frame))
    if qnec_in_adp and qnec.any() and not contributed_in_time("qnec_paid", qnec_paid, plan_year):
        notes.append(f"QNECs paid {qnec_paid}, after {contribution_deadline(plan_year)}: not counted in the "
                     f"{plan_year} ADP (Treas. Reg. §1.401(k)-2(a)(6)(i))")
    elif qnec_in_adp and qnec.any():
        counted_qnec, representative = _representative_cap(qnec, pay, np.flatnonzero(in_nhce), counted_qmac)
        if (counted_qnec < qnec).any():
            notes.append(f"{int((counted_qnec < qnec).sum())} NHCE QNEC(s) counted only up to pay x max(5%, 2 x "
                         f"the representative contribution rate {representative:.2%}): Treas. Reg. "
                         "§1.401(k)-2(a)(6)(iv)")
    money = counted + counted_qnec + counted_qmac + other_plans
    ratio = round_half_up(_ratio(money, pay), 4)
    units = ratio * UNITS_PER_ONE
    units = np.rint(units, out=units).astype("int64")
    test, nhce_units, hce_count = group_test(
        units, in_hce, in_nhce, testing, prior_units,
        no_hce=(f"{int(eligible.sum())} eligible employees, none an HCE for {plan_year}",
                "with no HCEs there is nothing to test"),
        no_nhce_hint="with no eligible NHCEs the arrangement is deemed to pass (Treas. Reg. §1.401(k)-2(a)(1)(ii))")

    size = len(frame)
    excess = np.zeros(size)
    ratio[~eligible] = np.nan  # shown for eligible employees only (the test above read the units)
    leveled = ratio.copy()
    recharacterized_catch_up = np.zeros(size)
    from_excess_deferrals = np.zeros(size)
    distributed = np.zeros(size)
    to_after_tax = np.zeros(size)
    forfeited_match = np.zeros(size)
    earnings = np.zeros(size)
    correction_record = None
    if safe_harbor:
        notes.append("ADP safe harbor (§401(k)(12)/(13), Treas. Reg. §1.401(k)-3): the ADP test is deemed met; "
                     "the figures are shown for information")
    elif not test.passed:
        hce_index = np.flatnonzero(in_hce)
        level_ratio, above, total_cents, after_leveling = leveling(units, money, pay, hce_index, nhce_units,
                                                                   hce_count)
        cut = hce_index[above]
        # Apportioned on the deferrals taken into account (QNECs are not distributed: §1.401(k)-2(b)(2)(iii)(B)
        # caps each HCE at the contributions actually made).
        if other_plans[hce_index].any():
            excess[hce_index] = level_dollars_capped(counted[hce_index] + other_plans[hce_index],
                                                     counted[hce_index], total_cents) / 100
        else:
            excess[hce_index] = level_dollars(counted[hce_index], total_cents) / 100
        leveled[cut] = level_ratio
        rows = np.flatnonzero(excess > 0)
        # 1. deferrals already distributed as §402(g) excess deferrals reduce the excess (§1.401(k)-2(b)(4)(i)(A))
        if excess_deferrals_timing == "before":
            from_excess_deferrals[rows] = np.minimum(excess[rows], excess_deferrals[rows])
        left = excess[rows] - from_excess_deferrals[rows]
        # 2. catch-up eligible HCEs: recharacterized as catch-up up to the unused catch-up (§414(v)(3)(B))
        if catch_up:
            unused = np.maximum(catch_up_limits[rows] - statutory_catch_up[rows], 0.0)
            recharacterized_catch_up[rows] = np.minimum(left, unused)
            left = np.round(left - recharacterized_catch_up[rows], 2)
        # 3. the rest: distributed, or recharacterized as after-tax employee contributions
        if correction_method == "distribute":
            distributed[rows] = left
            if earnings_rate:
                earnings[rows] = round_half_up(left * earnings_rate, 2)
        else:
            to_after_tax[rows] = left
        dates = deadlines(plan_year, eaca)
        refunded = excess > 0
        correction_record = Correction(
            total_excess=total_cents / 100, leveled_ratio=level_ratio,
            dollar_level=float(np.max(counted[refunded] - excess[refunded])) if refunded.any() else None,
            refunds=int(refunded.sum()), earnings=int(np.rint(earnings * 100).sum()) / 100,
            hce_acp_after_leveling=after_leveling,
            hce_acp_after_refunds=average_units(int(_units(np.where(
                pay[hce_index] > 0, (money[hce_index] - excess[hce_index]) / np.where(pay[hce_index] > 0,
                                                                                      pay[hce_index], 1), 0.0)
            ).sum()), hce_count) / UNITS_PER_ONE,
            excise_deadline=dates[0], correction_deadline=dates[1])
        if correction_method == "recharacterize":
            notes.append(f"excess contributions recharacterized as after-tax employee contributions by "
                         f"{dates[0]} (2½ months: §1.401(k)-2(b)(3)(iii)(A)); they count in the ACP test")

    # Excess deferrals requested after the ADP correction are reduced by the excess contributions distributed
    # or recharacterized (§1.401(k)-2(b)(4)(i)(B); §1.402(g)-1(e)(6); §1.401(m)-2(b)(5) Example 4).
    excess_deferrals_out = excess_deferrals
    if excess_deferrals_timing == "after":
        excess_deferrals_out = np.maximum(np.round(excess_deferrals - distributed - to_after_tax, 2), 0.0)
        reduced = int(((excess_deferrals_out < excess_deferrals) & (excess_deferrals > 0)).sum())
        if reduced:
            notes.append(f"{reduced} HCE(s)' excess deferrals reduced by the excess contributions distributed or "
                         "recharacterized before them (Treas. Reg. §1.402(g)-1(e)(6); §1.401(k)-2(b)(4)(i)(B))")
    # Deferrals leaving the plan (ADP distributions and every §402(g) excess deferral) forfeit the match on
    # them (§1.401(k)-2(b)(4)(ii); §1.401(m)-2(b)(5) Example 3), which then is not in the ACP ((a)(5)(v)).
    leaving = np.flatnonzero((distributed > 0) | (excess_deferrals_out > 0))
    forfeited_match[leaving] = _match_on(distributed[leaving] + excess_deferrals_out[leaving], leaving, frame, pay,
                                         matched, match_tiers)
    participants = frame_from_columns({
        "row": frame["row"].to_numpy(), "id": frame["id"].to_numpy(), "eligible": eligible, "hce": hce,
        "hce_reason": reason, "age": ages if has_ages else np.full(size, np.nan), "tested_compensation": pay,
        "deferrals": deferrals, "catch_up": statutory_catch_up, "excess_deferrals": excess_deferrals,
        "excess_deferrals_distributed": excess_deferrals_out,
        "adp_deferrals": counted, "other_plan_deferrals": other_plans, "qnec_counted": counted_qnec,
        "qmac_counted": counted_qmac,
        "ratio": ratio, "leveled_ratio": leveled,
        "excess_contributions": excess, "from_excess_deferrals": from_excess_deferrals,
        "recharacterized_catch_up": recharacterized_catch_up, "recharacterized_after_tax": to_after_tax,
        "distributed": distributed, "earnings": earnings, "match_forfeited": forfeited_match,
    })
    corrected = frame.copy(deep=False)  # columns are replaced below, never changed in place
    # only the rows a correction touches change (a pass over a million rows for a few thousand changes is waste)
    touched = np.flatnonzero((distributed > 0) | (excess_deferrals_out > 0) | (to_after_tax > 0)
                             | (forfeited_match > 0))
    new_deferrals, new_after_tax = deferrals.copy(), frame["after_tax"].to_numpy(dtype="float64", copy=True)
    new_match = frame["match"].to_numpy(dtype="float64", copy=True)
    new_deferrals[touched] = np.round(deferrals[touched] - distributed[touched] - excess_deferrals_out[touched], 2)
    new_after_tax[touched] = np.round(new_after_tax[touched] + to_after_tax[touched], 2)
    new_match[touched] = np.round(new_match[touched] - forfeited_match[touched], 2)
    if counted_qmac.any():
        # QMACs used in the ADP are not in the ACP (§1.401(m)-2(a)(5)(iii); a contribution counts once)
        used = np.flatnonzero(counted_qmac > 0)
        new_match[used] = np.maximum(np.round(new_match[used] - counted_qmac[used], 2), 0.0)
        notes.append(f"QMACs counted in the ADP (${float(counted_qmac.sum()):,.2f}) are left out of the ACP (Treas. "
                     "Reg. §1.401(m)-2(a)(5)(iii))")
    corrected["deferrals"], corrected["after_tax"], corrected["match"] = new_deferrals, new_after_tax, new_match
    corrected["recharacterized"] = to_after_tax
    if (excess_deferrals[in_hce] > 0).any():
        notes.append(f"{int((excess_deferrals[in_hce] > 0).sum())} HCE(s) deferred more than §402(g) + catch-up: "
                     "excess deferrals, counted in the ADP (Treas. Reg. §1.401(k)-2(a)(4)(iii)) and to be "
                     "distributed by 15 April (§402(g)(2))")
    for limit in (threshold, compensation_limit, deferral_limit):
        if limit.status != "published":
            notes.append(f"{limit.name} for {limit.year} is projected, not published: {limit.reference}")
    settings = {"testing": testing, "prior_nhce_adp": prior_value, "top_paid_group": bool(top_paid_group),
                "correction": correction_method, "catch_up": bool(catch_up), "qnec_in_adp": bool(qnec_in_adp),
                "safe_harbor": bool(safe_harbor), "earnings_rate": earnings_rate, "eaca": bool(eaca),
                "matched": matched, "qnec_paid": None if qnec_paid is None else str(qnec_paid),
                "prior_nhce_qnec": prior_nhce_qnec,
                "prior_qnec_paid": None if prior_qnec_paid is None else str(prior_qnec_paid),
                "prior_qnec_used": bool(prior_qnec_used), "qmac_in_adp": bool(qmac_in_adp),
                "excess_deferrals_timing": excess_deferrals_timing, "inflation": inflation}
    return AdpReport(plan_year, testing, participants, test, correction_record, corrected, bool(safe_harbor),
                     compensation_limit, deferral_limit, settings, notes, source)


def _shift_deferrals(adp: AdpReport, corrected: pd.DataFrame, acp_keywords: dict, plan_year: int) -> tuple[
        pd.DataFrame, int]:
    """Shift NHCE deferrals into the ACP, whole employees in order of ADR (highest first), while the ADP test
    still passes without them and until the ACP test passes (§1.401(m)-2(a)(6)(ii); (a)(7) Example 3).

    Returns the frame with an ``acp_deferrals`` column and the number of employees shifted.
    """
    table = adp.participants
    in_nhce = (table["eligible"] & ~table["hce"]).to_numpy()
    adp_units = np.rint(np.nan_to_num(table["ratio"].to_numpy(dtype="float64")) * UNITS_PER_ONE).astype("int64")
    hce_units = int(adp_units[(table["eligible"] & table["hce"]).to_numpy()].sum())
    hce_count = adp.test.hce_count
    candidates = np.flatnonzero(in_nhce & (adp_units > 0))
    order = candidates[np.argsort(-adp_units[candidates], kind="stable")]
    nhce_count = int(in_nhce.sum())
    nhce_total = int(adp_units[in_nhce].sum())
    # ADP after shifting the first k: the NHCE sum falls by their ADRs; passes is monotone (a prefix)
    remaining = nhce_total - np.cumsum(adp_units[order])
    from fractions import Fraction

    from .acp_rules import passes

    allowed = 0
    for k in range(len(order)):
        if passes(hce_units, hce_count, limit_units(Fraction(int(remaining[k]), nhce_count))):
            allowed = k + 1
        else:
            break
    if allowed == 0:
        return corrected, 0
    shifted = np.zeros(len(corrected))
    # smallest prefix that makes the ACP pass (binary search on the prefix length; each probe one ACP run)
    low, high = 0, allowed
    counted = adp.participants["adp_deferrals"].to_numpy(dtype="float64")

    def acp_passes(k: int) -> bool:
        trial = np.zeros(len(corrected))
        trial[order[:k]] = counted[order[:k]]
        return run_acp(corrected.assign(acp_deferrals=trial), plan_year, **acp_keywords).test.passed

    if not acp_passes(allowed):
        high = allowed
    else:
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (low, middle) if acp_passes(middle) else (middle, high)
    shifted[order[:high]] = counted[order[:high]]
    return corrected.assign(acp_deferrals=shifted), high


@without_huge_pages
def run_nondiscrimination(census: Census | pd.DataFrame | str, plan_year: int, *, adp_testing: str = "current",
                          prior_nhce_adp: float | str | None = None, acp_testing: str = "current",
                          prior_nhce_acp: float | str | None = None, top_paid_group: bool = False,
                          adp_correction: str = "distribute", catch_up: bool = True, qnec_test: str = "none",
                          adp_safe_harbor: bool = False, acp_safe_harbor_match: bool = False,
                          shift_deferrals: bool = False, matched: str = "deferrals", match_tiers: Any = None,
                          match_vested: float = 1.0, earnings_rate: float = 0.0, eaca: bool = False,
                          qnec_paid: Any = None, prior_nhce_qnec: float = 0.0, prior_qnec_paid: Any = None,
                          prior_qnec_used: bool = False, excess_deferrals_timing: str = "before",
                          qmac_in_adp: bool = False,
                          inflation: float = DEFAULT_INFLATION) -> NondiscriminationReport:
    """The ADP test, its corrections and recharacterizations, then the ACP test on the corrected amounts.

    ``qnec_test``: where the census ``qnec`` column counts ('none', 'adp' or 'acp'; a QNEC is used once,
    §1.401(k)-2(a)(6)(vi)). ``shift_deferrals``: the plan lets NHCE deferrals count in the ACP to the extent
    needed (only while the ADP test still passes without them). ``adp_safe_harbor`` skips the ADP test;
    ``acp_safe_harbor_match`` disregards the match in the ACP (after-tax money is still tested). Other
    arguments: :func:`run_adp` and :func:`megabackdoor.acp.run_acp` (``qnec_paid`` also decides whether QNECs
    counted in the ACP are in time: §1.401(m)-2(a)(6)(i)). The ACP report's what-if is the highest
    uniform after-tax rate HCEs can elect with the ADP corrections done; its refunds are each HCE's at their
    elected after-tax contributions.

    >>> frame = pd.DataFrame({"row": [2, 3], "id": ["D", "N"], "compensation": [200000.0, 100000.0],
    ...     "prior_compensation": [200000.0, 100000.0], "owner_5pct": [False] * 2, "eligible": [True] * 2,
    ...     "match": [7500.0, 2000.0], "after_tax": [0.0, 0.0], "deferrals": [15000.0, 4000.0]})
    >>> report = run_nondiscrimination(frame, 2026, adp_correction="recharacterize")   # (b)(5) Example 2
    >>> float(report.adp.participants.loc[0, "recharacterized_after_tax"]), report.acp.correction.total_excess
    (3000.0, 2500.0)
    """
    qnec_test = validate.choice("qnec_test", qnec_test, QNEC_TESTS)
    if qmac_in_adp and adp_testing != acp_testing:
        raise InputError("qmac_in_adp", True, "False when the ADP and ACP use different testing methods",
                         hint="Treas. Reg. §1.401(k)-2(c)(3)(iii): QMACs may then not count in the ADP")
    if adp_correction == "recharacterize" and adp_testing != acp_testing:
        raise InputError("adp_correction", adp_correction, "'distribute' when the ADP and ACP use different "
                         "testing methods", hint="Treas. Reg. §1.401(k)-2(c)(3)(i): no recharacterization then")
    if isinstance(census, (str, bytes)) or hasattr(census, "read"):
        census = read_census(census)
    source = census.source if isinstance(census, Census) else None
    adp = run_adp(census, plan_year, testing=adp_testing, prior_nhce_adp=prior_nhce_adp,
                  top_paid_group=top_paid_group, correction=adp_correction, catch_up=catch_up,
                  qnec_in_adp=qnec_test == "adp", safe_harbor=adp_safe_harbor, earnings_rate=earnings_rate,
                  eaca=eaca, matched=matched, match_tiers=match_tiers, qnec_paid=qnec_paid,
                  prior_nhce_qnec=prior_nhce_qnec, prior_qnec_paid=prior_qnec_paid,
                  prior_qnec_used=prior_qnec_used, qmac_in_adp=qmac_in_adp,
                  excess_deferrals_timing=excess_deferrals_timing, inflation=inflation)
    corrected = adp.corrected
    qnec_in_acp = qnec_test == "acp"
    late_qnec = qnec_in_acp and not contributed_in_time("qnec_paid", qnec_paid, plan_year)
    acp_keywords = {"testing": acp_testing, "prior_nhce_acp": prior_nhce_acp, "top_paid_group": top_paid_group,
                    "earnings_rate": earnings_rate, "eaca": eaca, "inflation": inflation, "matched": matched,
                    "match_tiers": match_tiers, "match_vested": match_vested,
                    "qnec_in_acp": qnec_in_acp and not late_qnec,
                    "safe_harbor_match": acp_safe_harbor_match}
    steps = []
    test = adp.test
    if adp_safe_harbor:
        steps.append(f"ADP: safe harbor, the test is deemed met (HCE ADP {test.hce_acp:.2%}, NHCE ADP "
                     f"{test.nhce_acp:.2%} for information)")
    else:
        steps.append(f"ADP: HCE {test.hce_acp:.2%} vs limit {test.limit:.2%} (NHCE {test.nhce_acp:.2%}, "
                     f"{test.binding}): {'PASS' if test.passed else 'FAIL'}")
    table = adp.participants
    if adp.correction is not None:
        c = adp.correction
        steps.append(f"ADP correction: excess contributions ${c.total_excess:,.2f} (ADRs leveled to "
                     f"{c.leveled_ratio:.2%}), apportioned to {c.refunds} HCE(s) by leveling dollars")
        parts = [("already distributed as §402(g) excess deferrals", "from_excess_deferrals"),
                 ("recharacterized as catch-up contributions (stay in the plan)", "recharacterized_catch_up"),
                 ("recharacterized as after-tax contributions (now in the ACP)", "recharacterized_after_tax"),
                 ("distributed with allocable income", "distributed"),
                 ("match forfeited on distributed deferrals", "match_forfeited")]
        for label, column in parts:
            steps.append(f"{label}: ${float(table[column].sum()):,.2f}")
    else:
        steps.append("ADP correction: none needed")
    shifted_count = 0
    if shift_deferrals and test.passed and not adp_safe_harbor:
        corrected, shifted_count = _shift_deferrals(adp, corrected, acp_keywords, plan_year)
        if shifted_count:
            steps.append(f"{shifted_count} NHCE(s)' deferrals counted in the ACP instead of the ADP (the ADP still "
                         "passes without them: §1.401(m)-2(a)(6)(ii))")
    if late_qnec:
        steps.append(f"QNECs paid {qnec_paid}, after {contribution_deadline(plan_year)}: not counted in the ACP "
                     "(Treas. Reg. §1.401(m)-2(a)(6)(i))")
    acp = run_acp(corrected, plan_year, **acp_keywords)
    atest = acp.test
    steps.append(f"ACP on the corrected amounts: HCE {atest.hce_acp:.2%} vs limit {atest.limit:.2%} (NHCE "
                 f"{atest.nhce_acp:.2%}): {'PASS' if atest.passed else 'FAIL'}")
    if acp.correction is not None:
        steps.append(f"ACP correction: excess aggregate contributions ${acp.correction.total_excess:,.2f} "
                     f"refunded to {acp.correction.refunds} HCE(s)")
    rate = acp.what_if.max_rate
    steps.append("Highest uniform after-tax rate HCEs can elect with the ADP corrections done: "
                 + ("none passes" if rate is None else f"{rate:.2%}"))
    steps = [f"{number}. {step}" for number, step in enumerate(steps, start=1)]
    a, b = adp.participants, acp.participants
    refunds = frame_from_columns({
        "row": a["row"].to_numpy(), "id": a["id"].to_numpy(),
        "adp_excess": a["excess_contributions"].to_numpy(),
        "recharacterized_catch_up": a["recharacterized_catch_up"].to_numpy(),
        "recharacterized_after_tax": a["recharacterized_after_tax"].to_numpy(),
        "adp_distributed": a["distributed"].to_numpy(), "adp_earnings": a["earnings"].to_numpy(),
        "adp_match_forfeited": a["match_forfeited"].to_numpy(), "acp_refund": b["refund"].to_numpy(),
        "acp_refund_after_tax": b["refund_after_tax"].to_numpy(), "acp_refund_match": b["refund_match"].to_numpy(),
        "acp_match_forfeited": b["match_forfeited"].to_numpy(), "acp_earnings": b["earnings"].to_numpy(),
        "acp_distribution": b["distribution"].to_numpy(),
    })
    touched = (refunds["adp_excess"].to_numpy() > 0) | (refunds["acp_refund"].to_numpy() > 0)
    refunds = refunds[touched].reset_index(drop=True)
    return NondiscriminationReport(plan_year, adp, acp, steps, refunds, source)
