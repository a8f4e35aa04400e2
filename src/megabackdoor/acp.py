"""The ACP nondiscrimination test on a census, corrective refunds by leveling, and the mega-backdoor what-if.

pandas layer: vectorized over the census (a 1,000,000-row census, read and checked, in about twice the time
pandas takes merely to read it: bench/bench_acp.py); the rule arithmetic on plain
numbers lives in the core module :mod:`megabackdoor.acp_rules` (``acp_limit``, ``acp_test``), which this
module uses for the verdict so both give the same answer.

Rules (IRC §401(m); Treas. Reg. §1.401(m)-2):

* **HCE** for plan year Y (IRC §414(q)(1)): a 5% owner in Y or Y-1, or pay in the lookback year Y-1 above
  the threshold published *for* Y-1 (e.g. $160,000 for 2025 decides HCEs for 2026; "more than", so exactly
  the threshold is not an HCE). With the top-paid-group election (§414(q)(1)(B)(ii)) the pay test also
  requires being in the top 20% of employees by lookback pay (20% of the census rounded half up; ties at the
  boundary in census order).
* **Ratio** (ACR) of each eligible employee = (matching + after-tax contributions [+ elective deferrals if the
  plan elects to count them]) / (§414(s) compensation capped at §401(a)(17) for Y), to 0.01% (Treas. Reg.
  §1.401(m)-2(a)(2)(i)). Eligible employees who contributed nothing count as 0.
* **Test** (§401(m)(2)(A)): HCE ACP <= max(1.25 x NHCE ACP, min(2 x NHCE ACP, NHCE ACP + 2 points)). The NHCE
  ACP is this year's (current-year testing) or last year's (prior-year testing, the statutory default;
  3% in the plan's first year, §401(m)(3)).
* **Correction** (§401(m)(6); Treas. Reg. §1.401(m)-2(b)(2)): the *total* excess is found by leveling
  percentages: the highest HCE ratios come down to a common level until the HCE ACP equals the limit. That
  total is *allocated* by leveling dollars: the HCEs with the most contribution dollars are refunded first,
  down to a common dollar amount (§401(m)(6)(C)). Each refund carries income allocable to the plan year
  (here: refund x a given rate). Refunds come from after-tax money first, then match (unvested match is
  forfeited, not paid), then deferrals when counted. Deadlines for a calendar plan year: 15 March of Y+1 (2½
  months; 30 June for an EACA) to avoid the 10% excise tax (§4979), 31 December of Y+1 to keep the plan
  qualified (§401(m)(6)(A)).
* **What-if**: the highest uniform after-tax rate all eligible HCEs can elect (their match kept, after-tax
  capped by their §415(c) room) with the test still passing; and a grid over NHCE after-tax participation x
  that rate.

Educational, not individual tax advice.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from . import DISCLAIMER, validate
from ._record import Record
from .acp_rules import (
    UNITS_PER_ONE,
    AcpTestResult,
    acp_limit,
    acp_test,
    average_units,
    exact_ratio_units,
    highest_passing_total,
    limit_units,
    verdict_from_units,
)
from .cadences import DEFAULT_INFLATION
from .census import Census, frame_from_columns, read_census, without_huge_pages
from .errors import InputError
from .limits import irs_limit
from .rounding import excel_round

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

__all__ = [
    "AcpReport", "Correction", "WhatIf", "acp_limit", "acp_test", "run_acp", "hce_flags", "contribution_ratios",
    "level_percentages", "level_dollars", "max_uniform_after_tax_rate", "sensitivity_grid", "round_half_up",
    "deadlines", "what_if_hce_acp",
]

TESTING_METHODS = ("current", "prior")
FIRST_YEAR_NHCE_ACP = 0.03  # §401(m)(3): deemed NHCE ACP for the first plan year under prior-year testing
TOP_PAID_SHARE = 0.20
DEFAULT_PARTICIPATION = tuple(i / 10 for i in range(11))
DEFAULT_RATES = tuple(i / 100 for i in range(16))


class Correction(Record):
    """What a failed test costs: the excess, how it is found and who gets it back by when.

    total_excess: excess aggregate contributions, dollars (leveling percentages); leveled_ratio: the common
    ratio the highest HCEs come down to; dollar_level: the contribution amount the largest HCE contributors
    come down to; refunds: how many HCEs get money back; earnings: allocable income on all refunds;
    hce_acp_after_leveling: the HCE ACP with the leveled ratios (equals the limit); hce_acp_after_refunds:
    the HCE ACP recomputed with the dollar-leveled refunds (for information: the regulation's correction
    is the dollar-leveled distribution of the percentage-leveled total, whatever this figure is);
    excise_deadline / correction_deadline: ISO dates.
    """

    __slots__ = ("total_excess", "leveled_ratio", "dollar_level", "refunds", "earnings", "hce_acp_after_leveling",
                 "hce_acp_after_refunds", "excise_deadline", "correction_deadline")


class WhatIf(Record):
    """The mega-backdoor what-if: max_rate is the highest uniform after-tax rate (a multiple of ``step``) that
    every eligible HCE can elect with the test still passing (None: fails even at 0%; 1.0: every rate
    passes because §415(c) room runs out first); hce_acp_at_max and limit are the test at that rate;
    room_basis says how §415(c) room was estimated."""

    __slots__ = ("max_rate", "step", "hce_acp_at_max", "limit", "room_basis")


class AcpReport(Record):
    """Everything ``run_acp`` found: ``participants`` (DataFrame, one row per census row), ``test``
    (AcpTestResult), ``correction`` (Correction or None), ``what_if`` (WhatIf), ``grid`` (DataFrame of
    margins), the limits used (LimitValue records), settings and notes."""

    __slots__ = ("plan_year", "testing", "participants", "test", "correction", "what_if", "grid", "hce_threshold",
                 "compensation_limit", "annual_additions_limit", "settings", "notes", "source")

    def to_dict(self) -> dict:
        """Plain data for JSON: tables as lists of row dicts."""
        data = {name: getattr(self, name) for name in self.__slots__}
        participants = self.participants.copy()
        data["participants"] = participants.replace({np.nan: None}).to_dict(orient="records")
        data["grid"] = _grid_records(self.grid)
        for key in ("test", "correction", "what_if", "hce_threshold", "compensation_limit", "annual_additions_limit"):
            if data[key] is not None:
                data[key] = data[key].to_dict()
        data["disclaimer"] = DISCLAIMER
        return _plain(data)


def _grid_records(grid: pd.DataFrame) -> list[dict]:
    return [{"nhce_participation": float(p), **{f"{r:.4f}": float(grid.loc[p, r]) for r in grid.columns}}
            for p in grid.index]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


# ---------------------------------------------------------------------------------------------------------
# Rounding like the spreadsheet, vectorized


def round_half_up(values: np.ndarray, digits: int) -> np.ndarray:
    """ROUND(values, digits) elementwise, as Excel/LibreOffice do (half away from zero, 15-digit view).

    Away from a tie, ``floor(|x| * 10^d + 0.5)`` is already right; values within 1e-6 of a tie (in units of
    the last digit) are redone with :func:`megabackdoor.rounding.excel_round`, so results agree with the
    workbook's ROUND to the last digit.

    >>> round_half_up(np.array([0.05235, 0.052349, -2.5, 1 / 3]), 4).tolist()
    [0.0524, 0.0523, -2.5, 0.3333]
    """
    values = np.asarray(values, dtype="float64")
    if values.ndim != 1:
        return round_half_up(values.reshape(-1), digits).reshape(values.shape)[()]
    out = np.empty(len(values))
    for block in _blocks(len(values)):
        _round_into(values[block], digits, out[block])
    return out


# Per-row arithmetic runs block by block: a block's temporaries stay in the core's cache, so a census of 5M
# rows costs per row what one of 1M does (whole-column temporaries of 40 MB go to memory and back each time,
# and that traffic, not the arithmetic, is what grows with the census).
BLOCK_ROWS = 1 << 15


def _blocks(count: int) -> Iterator[slice]:
    return (slice(start, start + BLOCK_ROWS) for start in range(0, count, BLOCK_ROWS))


def _round_into(values: np.ndarray, digits: int, out: np.ndarray) -> None:
    """round_half_up(values, digits) written into ``out`` (a block)."""
    scale = 10.0 ** digits
    # floor(|x| * scale + 0.5), in two buffers reused in place
    np.abs(values, out=out)
    out *= scale
    gap = np.floor(out)
    np.subtract(out, gap, out=gap)
    gap -= 0.5
    np.abs(gap, out=gap)
    near_tie = gap < 1e-6
    out += 0.5
    np.floor(out, out=out)
    np.copysign(out, values, out=out)
    out /= scale
    if near_tie.any():
        index = np.flatnonzero(near_tie)
        out[index] = [excel_round(float(v), digits) for v in values[index]]


def _ratio(money: np.ndarray, pay: np.ndarray) -> np.ndarray:
    """money / pay where pay > 0, else 0 (``np.where(pay > 0, money / np.where(pay > 0, pay, 1), 0)``, the same
    values, in one new array)."""
    out = np.empty(len(pay))
    for block in _blocks(len(pay)):
        paid = pay[block] > 0
        np.divide(money[block], pay[block], out=out[block], where=paid)
        if not paid.all():
            out[block][~paid] = 0.0
    return out


def _rounded_ratio(money: np.ndarray, pay: np.ndarray) -> np.ndarray:
    """round_half_up(_ratio(money, pay), 4) in one array, rounded block by block in place."""
    out = _ratio(money, pay)
    for block in _blocks(len(out)):
        _round_into(out[block].copy(), 4, out[block])
    return out


def _units(ratios: np.ndarray) -> np.ndarray:
    """Ratios rounded to 0.01% as int64 units (0.0525 -> 525)."""
    return _whole_units(round_half_up(ratios, 4))


def _whole_units(rounded: np.ndarray) -> np.ndarray:
    """Ratios already rounded to 0.01% as int64 units (0.0525 -> 525)."""
    out = np.empty(len(rounded), dtype="int64")
    for block in _blocks(len(rounded)):
        scaled = rounded[block] * UNITS_PER_ONE
        out[block] = np.rint(scaled, out=scaled)
    return out


# ---------------------------------------------------------------------------------------------------------
# HCE status and ratios


def hce_flags(frame: pd.DataFrame, plan_year: int, top_paid_group: bool = False,
              inflation: float = DEFAULT_INFLATION) -> tuple[np.ndarray, np.ndarray, Any]:
    """(is_hce, reason, threshold LimitValue) for every census row.

    HCE for plan year Y: 5% owner (now or in Y-1), or lookback pay (Y-1) above the threshold published for
    Y-1 (IRC §414(q)(1)); with ``top_paid_group`` the pay test also needs a place in the top 20% by lookback
    pay (§414(q)(1)(B)(ii), Treas. Reg. §1.414(q)-1T Q&A-9). ``reason`` is 'owner', 'pay' or ''.

    >>> frame = pd.DataFrame({"prior_compensation": [160000.0, 160000.01, 90000.0],
    ...                       "owner_5pct": [False, False, True]})
    >>> flags, reason, threshold = hce_flags(frame, 2026)
    >>> flags.tolist(), list(reason), threshold.value, threshold.year
    ([False, True, True], ['', 'pay', 'owner'], 160000, 2025)
    """
    threshold = irs_limit("hce", plan_year - 1, inflation)
    prior = frame["prior_compensation"].to_numpy(dtype="float64")
    by_pay = prior > threshold.value
    if top_paid_group:
        count = int(math.floor(TOP_PAID_SHARE * len(prior) + 0.5))
        order = np.argsort(-prior, kind="stable")  # highest pay first; ties keep census order
        in_group = np.zeros(len(prior), dtype=bool)
        in_group[order[:count]] = True
        by_pay &= in_group
    owner = frame["owner_5pct"].to_numpy(dtype=bool)
    codes = by_pay.astype("int8")
    codes *= 2
    codes[owner] = 1
    reason = pd.Categorical.from_codes(codes, categories=["", "owner", "pay"])
    return owner | by_pay, reason, threshold


def contribution_ratios(frame: pd.DataFrame, compensation_cap: float,
                        include_deferrals: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(tested compensation, ACP contributions, ratio rounded to 0.01%) for every row.

    Tested compensation = min(§414(s) compensation, §401(a)(17) limit); ratio = contributions / tested
    compensation, 0 when both are 0 (Treas. Reg. §1.401(m)-2(a)(2)-(3)).

    >>> frame = pd.DataFrame({"compensation": [400000.0, 80000.0, 0.0], "match": [14400.0, 2400.0, 0.0],
    ...                       "after_tax": [20000.0, 1000.0, 0.0], "deferrals": [0.0, 0.0, 0.0]})
    >>> pay, money, ratio = contribution_ratios(frame, 360000)
    >>> pay.tolist(), ratio.tolist()
    ([360000.0, 80000.0, 0.0], [0.0956, 0.0425, 0.0])
    """
    pay = np.minimum(frame["compensation"].to_numpy(dtype="float64"), float(compensation_cap))
    money = frame["match"].to_numpy(dtype="float64") + frame["after_tax"].to_numpy(dtype="float64")
    if include_deferrals:
        money = money + frame["deferrals"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(pay > 0, money / np.where(pay > 0, pay, 1.0), 0.0)
    return pay, money, round_half_up(raw, 4)


MATCHED_BASES = ("deferrals", "after_tax", "both")


def check_tiers(match_tiers: Any) -> tuple[tuple[float, float], ...] | None:
    """The match formula as ((rate, up_to), ...): rates from 0 to 10 (1000%), up_to shares of pay rising to 1.

    >>> check_tiers([(1, 0.02), (0.5, 0.06)])
    ((1.0, 0.02), (0.5, 0.06))
    """
    if not match_tiers:
        return None
    tiers, low = [], 0.0
    for index, tier in enumerate(match_tiers, start=1):
        try:
            rate, up_to = tier
        except (TypeError, ValueError):
            raise InputError(f"match_tiers[{index}]", tier, "a (rate, up_to) pair such as (0.5, 0.06)") from None
        rate = validate.number(f"match_tiers[{index}] rate", rate)
        up_to = validate.number(f"match_tiers[{index}] up_to", up_to)
        if not 0 <= rate <= 10:
            raise InputError(f"match_tiers[{index}] rate", rate, "a match rate from 0 to 10 (0.5 for 50%)", kind="num")
        if not low < up_to <= 1:
            raise InputError(f"match_tiers[{index}] up_to", up_to, f"a share of pay above {low:g} and at most 1 "
                             "(0.06 for 6%), rising tier by tier", kind="num")
        tiers.append((float(rate), float(up_to)))
        low = up_to
    return tuple(tiers)


def _kth_highest(values: np.ndarray) -> float:
    """The lowest value in the top half (at least half) of ``values``: the representative rate of
    Treas. Reg. §1.401(m)-2(a)(5)(ii)(B) and (a)(6)(v)(B) (3 values: the 2nd highest)."""
    if len(values) == 0:
        return 0.0
    k = (len(values) + 1) // 2
    return float(np.partition(values, len(values) - k)[len(values) - k])


def counted_contributions(frame: pd.DataFrame, pay: np.ndarray, in_nhce: np.ndarray, *, matched: str = "deferrals",
                          match_tiers: Any = None, qnec_in_acp: bool = False, include_deferrals: bool = False,
                          safe_harbor_match: bool = False, base_known: bool = True) -> dict[str, Any]:
    """The ACP contributions taken into account for every row, with the disproportionate-contribution caps.

    * Matching contributions of an eligible NHCE count only up to the greatest of 5% of pay, the matched
      contributions, and 2 x the plan's representative matching rate x the matched contributions (Treas. Reg.
      §1.401(m)-2(a)(5)(ii)); the representative rate is the lowest matching rate among the top half of the
      eligible NHCEs who make matched contributions (match / matched contributions; at deferrals of 6% of pay
      when ``match_tiers`` has rates that differ by level). ``matched``: what the match is on ('deferrals',
      'after_tax' or 'both', §1.401(m)-2(a)(5)(ii)(D)).
    * QNECs (census ``qnec``, when ``qnec_in_acp``) of an eligible NHCE count only up to pay x the greater of 5%
      and 2 x the representative contribution rate, the lowest (counted match + QNEC) / pay among the top half
      of eligible NHCEs (§1.401(m)-2(a)(6)(v)).
    * ``safe_harbor_match``: an ACP safe-harbor plan tests its after-tax contributions disregarding all
      matching contributions (§1.401(m)-2(a)(5)(iv)).
    * Elective deferrals count when ``include_deferrals`` (all of them) or, row by row, the census column
      ``acp_deferrals`` (deferrals shifted from the ADP test, §1.401(m)-2(a)(6)(ii)).
    * ``base_known`` False (a census without deferrals while the match is on deferrals): the match cap cannot
      be applied and is skipped.

    >>> frame = pd.DataFrame({"match": [6000.0, 4750.0, 8000.0, 0.0], "after_tax": [0.0] * 4,
    ...                       "deferrals": [12000.0, 9500.0, 2000.0, 0.0]})
    >>> pay = np.array([85000.0, 70000.0, 40000.0, 10000.0])
    >>> got = counted_contributions(frame, pay, np.ones(4, dtype=bool))   # §1.401(m)-2(a)(7) Example 5
    >>> got["match"].tolist(), got["representative_matching_rate"]
    ([6000.0, 4750.0, 2000.0, 0.0], 0.5)
    """
    from .match import bands as tier_bands
    from .match import match_total

    matched = validate.choice("matched", matched, MATCHED_BASES)
    match = frame["match"].to_numpy(dtype="float64")
    after_tax = frame["after_tax"].to_numpy(dtype="float64")
    deferrals = frame["deferrals"].to_numpy(dtype="float64")
    base = {"deferrals": deferrals, "after_tax": after_tax, "both": deferrals + after_tax}[matched]
    counted_match = match.copy()
    representative_match = None
    capped_match = 0
    if safe_harbor_match:
        counted_match = np.zeros(len(frame))
    elif base_known:
        matchers = np.flatnonzero(in_nhce & (base > 0))
        bands = tier_bands(match_tiers) if match_tiers else None
        if bands and len({rate for rate, _, _ in bands}) > 1:
            # rates differ by level: the rate at deferrals of 6% of pay (§1.401(m)-2(a)(5)(ii)(C))
            rates = np.array([match_total(0.06 * p, p, bands) / (0.06 * p) if p > 0 else 0.0
                              for p in pay[matchers]])
        else:
            rates = match[matchers] / base[matchers]
        representative_match = _kth_highest(rates)
        rows = matchers  # a match with no matched contributions is not one "with respect to" them: left as is
        raw_cap = np.maximum(np.maximum(0.05 * pay[rows], base[rows]), 2 * representative_match * base[rows])
        # ROUND(cap, 2) as the census template writes it, only where it can matter: a match more than half a
        # cent under the unrounded cap is under the rounded one too (rounding a million caps costs a second)
        near = np.flatnonzero(match[rows] > raw_cap - 0.006)
        cap = round_half_up(raw_cap[near], 2)
        over = match[rows[near]] > cap
        capped_match = int(over.sum())
        counted_match[rows[near[over]]] = cap[over]
    zeros = np.zeros(len(frame))  # one array for every all-zero column (never written to)
    qnec = frame["qnec"].to_numpy(dtype="float64") if "qnec" in frame else zeros
    counted_qnec = qnec.copy() if qnec_in_acp else np.zeros(len(frame))
    representative_contribution = None
    capped_qnec = 0
    if qnec_in_acp and qnec.any():
        rows = np.flatnonzero(in_nhce)
        with np.errstate(divide="ignore", invalid="ignore"):
            applicable = np.where(pay[rows] > 0, (counted_match[rows] + qnec[rows]) / np.where(pay[rows] > 0,
                                                                                                pay[rows], 1), 0.0)
        representative_contribution = _kth_highest(applicable)
        cap = round_half_up(pay[rows] * max(0.05, 2 * representative_contribution), 2)
        over = qnec[rows] > cap
        capped_qnec = int(over.sum())
        counted_qnec[rows[over]] = cap[over]
    if "acp_deferrals" in frame:
        acp_deferrals = frame["acp_deferrals"].to_numpy(dtype="float64")
    else:
        acp_deferrals = deferrals if include_deferrals else zeros
    return {"match": counted_match, "qnec": counted_qnec, "deferrals": acp_deferrals, "after_tax": after_tax,
            # columns of zeros made here add nothing: left out of the sum (a pass over the census each)
            "money": _total(counted_match, after_tax, *[values for values, known_zero in (
                (counted_qnec, not qnec_in_acp), (acp_deferrals, acp_deferrals is zeros)) if not known_zero]),
            "representative_matching_rate": representative_match,
            "representative_contribution_rate": representative_contribution,
            "capped_matches": capped_match, "capped_qnecs": capped_qnec}


def _total(first: np.ndarray, *rest: np.ndarray) -> np.ndarray:
    """first + rest[0] + rest[1] + ..., left to right (the same sums) in one new array, block by block."""
    total = np.empty(len(first))
    for block in _blocks(len(first)):
        part = total[block]
        np.add(first[block], rest[0][block], out=part)
        for values in rest[1:]:
            part += values[block]
    return total


def refund_sources(refund: np.ndarray, rows: np.ndarray, frame: pd.DataFrame, counted: dict[str, Any],
                   pay: np.ndarray, matched: str = "deferrals", match_tiers: Any = None) -> dict[str, np.ndarray]:
    """Split each HCE's excess aggregate contributions (``refund`` on ``rows``) by source.

    After-tax contributions that are not matched go first; then matched after-tax contributions together with
    the match on them (which is part of the excess: Treas. Reg. §1.401(m)-2(b)(3)(v)(B) and (b)(5) Example 6,
    where $1,000 unmatched, then $2,000 matched with its $1,000 match correct a $4,000 excess); then any other
    match; then QNECs and deferrals counted in the ACP. With ``matched`` = 'deferrals' no after-tax dollar is
    matched. Without ``match_tiers`` the match on after-tax dollars is the row's own rate (match / matched
    contributions); with tiers, after-tax money sits on top of the deferrals and the dollars refunded are the
    last ones contributed (the lowest tier's rate applies last).

    >>> frame = pd.DataFrame({"after_tax": [7000.0], "deferrals": [0.0]})
    >>> counted = {"match": np.array([4000.0]), "qnec": np.zeros(1), "deferrals": np.zeros(1)}
    >>> got = refund_sources(np.array([4000.0]), np.array([0]), frame, counted, np.array([100000.0]),
    ...                      "after_tax", ((1.0, 0.02), (0.5, 0.06)))     # (b)(5) Example 6
    >>> got["after_tax"].tolist(), got["match"].tolist()
    ([3000.0], [1000.0])
    """
    from .match import bands as tier_bands
    from .match import match_total

    after_tax = frame["after_tax"].to_numpy(dtype="float64")[rows]
    deferrals = frame["deferrals"].to_numpy(dtype="float64")[rows]
    match = counted["match"][rows]
    qnec = counted["qnec"][rows]
    total = refund[rows]
    from_after_tax = np.zeros(len(rows))
    from_match = np.zeros(len(rows))
    if matched == "deferrals":
        from_after_tax = np.minimum(total, after_tax)
        from_match = np.minimum(total - from_after_tax, match)
    else:
        bands = tier_bands(match_tiers) if match_tiers else None
        for i in range(len(rows)):
            other = deferrals[i] if matched == "both" else 0.0
            if bands:
                top = bands[-1][2] * pay[rows[i]]
                matched_after_tax = min(max(top - other, 0.0), after_tax[i])
                full = match_total(other + matched_after_tax, pay[rows[i]], bands)

                def match_on(r: float, i: int = i, full: float = full, matched_after_tax: float = matched_after_tax,
                             other: float = other) -> float:
                    return min(match[i], full - match_total(other + matched_after_tax - r, pay[rows[i]], bands))
            else:
                matched_after_tax = after_tax[i]
                base = other + after_tax[i]
                rate = match[i] / base if base > 0 else 0.0

                def match_on(r: float, rate: float = rate) -> float:
                    return rate * r
            unmatched = min(total[i], after_tax[i] - matched_after_tax)
            rest = total[i] - unmatched
            if matched_after_tax + match_on(matched_after_tax) <= rest:
                part = matched_after_tax
            else:  # r + match_on(r) = rest: increasing in r, found by bisection to a thousandth of a cent
                low, high = 0.0, matched_after_tax
                for _ in range(60):
                    middle = (low + high) / 2
                    low, high = (middle, high) if middle + match_on(middle) < rest else (low, middle)
                part = excel_round(high, 2)
            # ROUND half up as the census template's W and X columns (a pay with odd cents can leave half a cent)
            from_after_tax[i] = excel_round(unmatched + part, 2)
            from_match[i] = min(match[i], excel_round(total[i] - from_after_tax[i], 2))
    from_qnec = np.minimum(np.round(total - from_after_tax - from_match, 2), qnec)
    from_deferrals = np.round(total - from_after_tax - from_match - from_qnec, 2)
    return {"after_tax": from_after_tax, "match": from_match, "qnec": from_qnec, "deferrals": from_deferrals}


# ---------------------------------------------------------------------------------------------------------
# Leveling


def level_percentages(ratio_units: np.ndarray, target_units_total: Any) -> Any:
    """The common level L (0.01% units, exact Fraction) with sum(min(ratio, L)) == target total.

    Treas. Reg. §1.401(m)-2(b)(2)(ii): the highest ratio comes down to the next highest, and so on, until the
    HCE ACP equals the limit. ``target_units_total`` = limit x number of HCEs (units). Only call when the
    ratios' sum exceeds the target.

    >>> from fractions import Fraction
    >>> level_percentages(np.array([900, 700, 300]), Fraction(1500))   # 9%, 7%, 3% -> ACP 5%
    Fraction(600, 1)
    """
    from fractions import Fraction

    ordered = np.sort(np.asarray(ratio_units, dtype="int64"))[::-1]
    total = int(ordered.sum())
    prefix = np.cumsum(ordered)
    following = np.append(ordered[1:], 0)
    counts = np.arange(1, len(ordered) + 1)
    # With the top k lowered to L: k*L + (total - prefix_k) = target, valid when L >= the (k+1)-th ratio.
    gap = float(target_units_total) - total
    candidates = (gap + prefix) / counts
    valid = candidates >= following - 1e-9
    k = int(np.argmax(valid)) + 1
    # Exact level from integer sums (the float search only picks k; confirm it exactly).
    for k_try in (k, k + 1, k - 1):
        if 1 <= k_try <= len(ordered):
            level = (Fraction(target_units_total) - total + int(prefix[k_try - 1])) / k_try
            nxt = int(ordered[k_try]) if k_try < len(ordered) else 0
            if level >= nxt and level <= int(ordered[k_try - 1]):
                return level
    raise AssertionError("leveling found no level")  # pragma: no cover - the candidates cover every case


def level_dollars(amounts: np.ndarray, total_cents: int) -> np.ndarray:
    """Refunds in cents that take ``total_cents`` from the largest amounts first, leveling them.

    IRC §401(m)(6)(C), §401(k)(8)(C); Treas. Reg. §1.401(m)-2(b)(2)(iii)(A), §1.401(k)-2(b)(2)(iii)(A): the
    HCE with the most dollars is cut to the next largest, and so on, until the total is apportioned: every
    HCE cut ends at one dollar level. Each refund is that HCE's amount above the level **rounded to the whole
    cent, half up**, per person, as a payroll posts it and as the workbooks' ROUND(amount - level, 2) does:
    HCEs leveled together end at the same amount to the cent (the level rounded), and equal amounts get equal
    refunds. So the refunds may add up to the total give or take half a cent per HCE cut; the excess
    recharacterized or distributed is each person's rounded amount, and no recalculation follows
    (§1.401(k)-2(b)(4)(iv), §1.401(m)-2(b)(3)(vi)). No refund exceeds its amount.

    >>> level_dollars(np.array([30000.0, 20000.0, 10000.0]), 1500000).tolist()   # $15,000: 30k, 20k -> 17.5k
    [1250000, 250000, 0]
    >>> level_dollars(np.array([100.0, 100.0, 100.0]), 10000).tolist()   # each $33.333...: $33.33 each
    [3333, 3333, 3333]
    """
    cents = np.rint(np.asarray(amounts, dtype="float64") * 100)
    total_cents = int(total_cents)
    if total_cents <= 0:
        return np.zeros(len(cents), dtype="int64")
    if total_cents >= cents.sum():
        return cents.astype("int64")
    ordered = np.sort(cents)[::-1]
    prefix = np.cumsum(ordered)
    following = np.append(ordered[1:], 0.0)
    counts = np.arange(1, len(ordered) + 1)
    # Top k cut to D: prefix_k - k*D = total -> D = (prefix_k - total)/k, valid when D >= the (k+1)-th amount.
    candidates = (prefix - total_cents) / counts
    k = int(np.argmax(candidates >= following - 1e-9)) + 1
    level = (float(prefix[k - 1]) - total_cents) / k
    exact = np.maximum(cents - level, 0.0)
    # half up to the whole cent; a near-tie (float noise in the level) counts as the tie, as ROUND's 15-digit
    # view does
    refunds = np.floor(exact + 0.5 + 1e-7).astype("int64")
    return np.minimum(refunds, cents.astype("int64"))


def deadlines(plan_year: int, eaca: bool = False) -> tuple[str, str]:
    """(excise-tax deadline, correction deadline) for a calendar plan year, as ISO dates.

    2½ months after the plan year (6 months for an EACA) avoids the 10% excise tax (IRC §4979(a), (f)(1));
    the end of the next plan year keeps the plan qualified (§401(m)(6)(A)).

    >>> deadlines(2026), deadlines(2026, eaca=True)
    (('2027-03-15', '2027-12-31'), ('2027-06-30', '2027-12-31'))
    """
    excise = date(plan_year + 1, 6, 30) if eaca else date(plan_year + 1, 3, 15)
    return excise.isoformat(), date(plan_year + 1, 12, 31).isoformat()


# ---------------------------------------------------------------------------------------------------------
# What-if


def _after_tax_room(frame: pd.DataFrame, plan_year: int, inflation: float) -> tuple[np.ndarray, str]:
    """§415(c) room left for after-tax money: limit - deferrals (up to §402(g)) - match, not below 0."""
    limit = irs_limit("415c", plan_year, inflation).value
    deferral_cap = irs_limit("402g", plan_year, inflation).value
    deferrals, match = frame["deferrals"].to_numpy(dtype="float64"), frame["match"].to_numpy(dtype="float64")
    room = np.empty(len(frame))
    for block in _blocks(len(frame)):
        part = room[block]
        np.minimum(deferrals[block], deferral_cap, out=part)  # deferrals up to §402(g)
        np.subtract(limit, part, out=part)
        part -= match[block]
        np.maximum(part, 0.0, out=part)
    return room, f"§415(c) ${limit:,} - deferrals (up to §402(g) ${deferral_cap:,}) - match"


def _hce_units_at(rate: float, match_ratio: np.ndarray, room_ratio: np.ndarray) -> int:
    return int(_units(match_ratio + np.minimum(rate, room_ratio)).sum())


def _what_if_ratios(rows: np.ndarray, money: np.ndarray, after_tax: np.ndarray, recharacterized: np.ndarray | None,
                    room: np.ndarray, pay: np.ndarray,
                    room_below: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """((money - elected after-tax) / pay, room / pay) for the rows of a boolean mask, taken only for those rows
    (block by block); elected = after-tax money less any recharacterized by the ADP correction. With
    ``room_below``, only the room ratios below it are kept (in row order): the others never bind in the grid."""
    count = int(np.count_nonzero(rows))
    other_ratio = np.empty(count)
    room_ratio = np.empty(count) if room_below is None else []
    done = 0
    for block in _blocks(len(rows)):
        taken = rows[block]
        rows_pay = pay[block][taken]
        end = done + len(rows_pay)
        elected = after_tax[block][taken]
        if recharacterized is not None:
            elected = elected - recharacterized[block][taken]
        other_ratio[done:end] = _ratio(money[block][taken] - elected, rows_pay)
        room_part = _ratio(room[block][taken], rows_pay)
        if room_below is None:
            room_ratio[done:end] = room_part
        else:
            room_ratio.append(room_part[room_part < room_below])
        done = end
    if room_below is not None:
        room_ratio = np.concatenate(room_ratio) if room_ratio else np.zeros(0)
    return other_ratio, room_ratio


def max_uniform_after_tax_rate(match_ratio: np.ndarray, room_ratio: np.ndarray, nhce_acp_units: Any,
                               step: float = 0.0001) -> float | None:
    """Highest multiple of ``step`` that all HCEs can elect as after-tax rate with the test passing.

    Each HCE's ratio at rate r = match ratio + min(r, room / pay), rounded to 0.01%; the HCE ACP rises with r,
    so the answer is found by bisection on the step grid. None if even 0% fails; 1.0 if 100% passes.

    >>> from fractions import Fraction
    >>> max_uniform_after_tax_rate(np.array([0.03, 0.03]), np.array([1.0, 1.0]), Fraction(400))  # NHCE 4%
    0.03
    """
    count = len(match_ratio)
    target = highest_passing_total(count, limit_units(nhce_acp_units))  # passes: rounded HCE ACP <= limit
    steps = int(round(1.0 / step))
    if _hce_units_at(0.0, match_ratio, room_ratio) > target:
        return None
    if _hce_units_at(1.0, match_ratio, room_ratio) <= target:
        return 1.0
    low, high = 0, steps  # passes at low, fails at high
    while high - low > 1:
        middle = (low + high) // 2
        if _hce_units_at(middle * step, match_ratio, room_ratio) <= target:
            low = middle
        else:
            high = middle
    return round(low * step, 10)


def what_if_hce_acp(frame: pd.DataFrame, plan_year: int, rate: float, top_paid_group: bool = False,
                    inflation: float = DEFAULT_INFLATION) -> float:
    """The HCE ACP if every eligible HCE elects after-tax ``rate`` (match kept, capped by §415(c) room).

    Each HCE's ratio = ROUND(match / pay + min(rate, room / pay), 4), pay capped at §401(a)(17), room =
    §415(c) - deferrals (up to §402(g)) - match (what the ACP template's what-if column computes).

    >>> frame = pd.DataFrame({"compensation": [200000.0], "prior_compensation": [200000.0], "owner_5pct": [False],
    ...                       "eligible": [True], "match": [8000.0], "after_tax": [0.0], "deferrals": [24500.0]})
    >>> what_if_hce_acp(frame, 2026, 0.05), what_if_hce_acp(frame, 2026, 0.30)   # room 39,500 = 19.75%
    (0.09, 0.2375)
    """
    rate = validate.fraction("rate", rate)
    if "deferrals" not in frame:
        frame = frame.assign(deferrals=0.0)
    hce, _, _ = hce_flags(frame, plan_year, top_paid_group, inflation)
    in_hce = hce & frame["eligible"].to_numpy(dtype=bool)
    if not in_hce.any():
        raise InputError("census", "no eligible HCE", "at least one eligible HCE", kind="na")
    pay, _, _ = contribution_ratios(frame, irs_limit("401a17", plan_year, inflation).value)
    room, _ = _after_tax_room(frame, plan_year, inflation)
    safe_pay = np.where(pay > 0, pay, 1.0)
    # the match, plus any after-tax money recharacterized by the ADP correction (it stays whatever HCEs elect)
    other = frame["match"].to_numpy(dtype="float64")
    if "recharacterized" in frame:
        other = other + frame["recharacterized"].to_numpy(dtype="float64")
    match_ratio = np.where(pay > 0, other / safe_pay, 0.0)
    room_ratio = np.where(pay > 0, room / safe_pay, 0.0)
    units = _hce_units_at(rate, match_ratio[in_hce], room_ratio[in_hce])
    return average_units(units, int(in_hce.sum())) / UNITS_PER_ONE  # to the hundredth, as the test does


def _mean_capped(caps: np.ndarray, rates: np.ndarray, count: int | None = None) -> np.ndarray:
    """mean(min(r, cap_i)) for each r, via sorting (exact sums, no n x R matrix).

    Only caps below the largest rate can bind, so only those are sorted (most people's room is far above);
    ``count``: how many caps there are when ``caps`` holds only some of them, every one left out at or above
    the largest rate.
    """
    count = len(caps) if count is None else count
    if count == 0:
        return np.zeros(len(rates))
    top = float(np.max(rates)) if len(rates) else 0.0
    small = np.sort(caps[caps < top])
    prefix = np.concatenate(([0.0], np.cumsum(small)))
    below = np.searchsorted(small, rates, side="left")
    return (prefix[below] + rates * (count - below)) / count


def sensitivity_grid(hce_match_ratio: np.ndarray, hce_room_ratio: np.ndarray, nhce_match_ratio: np.ndarray,
                     nhce_room_ratio: np.ndarray, participation: tuple[float, ...] = DEFAULT_PARTICIPATION,
                     rates: tuple[float, ...] = DEFAULT_RATES, prior_nhce_acp: float | None = None) -> pd.DataFrame:
    """Margin of the test (limit - HCE ACP, decimals; >= 0 passes) for each NHCE participation x rate.

    Cell (p, r): every eligible HCE elects after-tax rate r; a share p of eligible NHCEs elects r too (the
    expected ACP: NHCE ACP = mean match ratio + p x mean min(r, room ratio)); matches are kept and after-tax
    is capped by §415(c) room. With prior-year testing the NHCE side is the fixed prior figure, so the rows
    agree. Unrounded ratios (a projection, not a test).

    >>> g = sensitivity_grid(np.array([0.03]), np.array([1.0]), np.array([0.02]), np.array([1.0]),
    ...                      participation=(0.0, 1.0), rates=(0.0, 0.05))
    >>> g.round(6).values.tolist()   # NHCE 2% (7% if all join at 5%); HCE 3% + r
    [[0.01, -0.04], [0.01, 0.01]]
    """
    rate_array = np.asarray(rates, dtype="float64")
    hce_acp = float(np.mean(hce_match_ratio)) + _mean_capped(hce_room_ratio, rate_array)
    # the NHCE room ratios may be only those below the largest rate (run_acp): there is one per match ratio
    nhce_after_tax = _mean_capped(nhce_room_ratio, rate_array, len(nhce_match_ratio))
    nhce_match = float(np.mean(nhce_match_ratio)) if len(nhce_match_ratio) else 0.0
    rows = []
    for share in participation:
        if prior_nhce_acp is not None:
            nhce = np.full(len(rate_array), prior_nhce_acp)
        else:
            nhce = nhce_match + share * nhce_after_tax
        limit = np.maximum(1.25 * nhce, np.minimum(2 * nhce, nhce + 0.02))
        # 10 decimals (a millionth of a basis point) drops float noise such as 0.020000000000000004
        rows.append(np.round(limit - hce_acp, 10))
    grid = pd.DataFrame(rows, index=pd.Index(list(participation), name="nhce_participation"),
                        columns=pd.Index(list(rates), name="after_tax_rate"))
    return grid


# ---------------------------------------------------------------------------------------------------------
# The whole run


def group_test(units: np.ndarray, in_hce: np.ndarray, in_nhce: np.ndarray, testing: str, prior_units: Any, *,
               no_hce: tuple[str, str], no_nhce_hint: str) -> tuple[AcpTestResult, Any, int]:
    """The test on the rounded ratios (0.01% units): (result, NHCE average in exact units, HCE count), the NHCE
    average this year's (current-year testing) or ``prior_units``. ``no_hce`` is the (value, hint) of the
    refusal when no eligible employee is an HCE; ``no_nhce_hint`` that when none is an NHCE (current year)."""
    from fractions import Fraction

    hce_count, nhce_count = int(in_hce.sum()), int(in_nhce.sum())
    if hce_count == 0:
        raise InputError("census", no_hce[0], "at least one eligible HCE", kind="na", hint=no_hce[1])
    if testing == "current":
        if nhce_count == 0:
            raise InputError("census", f"{hce_count} eligible employees, all HCEs", "at least one eligible NHCE",
                             kind="na", hint=no_nhce_hint)
        nhce_units = Fraction(int(np.add.reduce(units, where=in_nhce)), nhce_count)
    else:
        nhce_units = prior_units
    hce_units = int(np.add.reduce(units, where=in_hce))
    return verdict_from_units(hce_units, hce_count, nhce_units, nhce_count), nhce_units, hce_count


def leveling(units: np.ndarray, money: np.ndarray, pay: np.ndarray, hce_index: np.ndarray, nhce_units: Any,
             hce_count: int) -> tuple[float, np.ndarray, int, float]:
    """The leveling of the HCEs' ratios (rows ``hce_index``) to the highest whole 0.01% not above the limit: the
    rounded HCE average then passes (a limit of 8.2375% levels to 8.23%); the half-unit rounding slack is not
    used to shrink the refunds. Returns (the level as a ratio, which HCEs are above it, the
    total excess in cents = ROUND(SUM(money above the level), 2), the HCE average after leveling)."""
    from fractions import Fraction

    target = math.floor(limit_units(nhce_units)) * hce_count
    level = level_percentages(units[hce_index], target)
    level_ratio = float(level / UNITS_PER_ONE)
    # integer ratios: u > L exactly when u > floor(L) (no Fraction compared per row)
    above = units[hce_index] > math.floor(level)
    cut = hce_index[above]
    excess = np.maximum(money[cut] - level_ratio * pay[cut], 0.0)
    total_cents = int(excel_round(math.fsum(excess.tolist()), 2) * 100 + 0.5)
    after_leveling = float(Fraction(int(units[hce_index][~above].sum()) + level * int(above.sum()), hce_count)
                           / UNITS_PER_ONE)
    return level_ratio, above, total_cents, after_leveling


def _prior_units(value: Any, argument: str, test: str) -> tuple[Any, float]:
    if isinstance(value, str) and value.strip().lower().replace("_", "-") in ("first-year", "first"):
        ratio = FIRST_YEAR_NHCE_ACP
    else:
        ratio = validate.number(argument, value)
        if not 0 <= ratio <= 1:
            hint = validate.percent_hint(ratio) if 1 < ratio <= 100 else None
            raise InputError(argument, value, f"last year's NHCE {test} as a decimal (0.031 for 3.1%) "
                             "or 'first-year' (3%)", kind="num", hint=hint)
    return exact_ratio_units(ratio), float(ratio)


def prior_testing(testing: str, value: Any, argument: str, test: str, hint_tail: str = "") -> tuple[Any, Any]:
    """(units, value) of last year's NHCE average under prior-year testing, (None, None) under current-year
    testing; refuses a missing one (prior) or one given (current). ``argument``: its name, ``test``: ACP or ADP."""
    if testing == "prior":
        if value is None:
            raise InputError(argument, None, f"last year's NHCE {test} as a decimal, or 'first-year' (3%)",
                             kind="na", hint=f"prior-year testing compares with the preceding year's NHCE {test}"
                                             f"{hint_tail}")
        return _prior_units(value, argument, test)
    if value is not None:
        raise InputError(argument, value, "no value with current-year testing", kind="value",
                         hint="pass testing='prior' to use it")
    return None, None


@without_huge_pages
def run_acp(census: Census | pd.DataFrame | str, plan_year: int, *, testing: str = "current",
            prior_nhce_acp: float | str | None = None, top_paid_group: bool = False,
            include_deferrals: bool = False, earnings_rate: float = 0.0, eaca: bool = False,
            step: float = 0.0001, participation: tuple[float, ...] = DEFAULT_PARTICIPATION,
            rates: tuple[float, ...] = DEFAULT_RATES, inflation: float = DEFAULT_INFLATION, matched: str = "deferrals",
            match_tiers: Any = None, match_vested: float = 1.0, qnec_in_acp: bool = False,
            safe_harbor_match: bool = False) -> AcpReport:
    """Run the ACP test on a census; on failure compute the corrective refunds; always the what-if.

    ``census``: a :class:`~megabackdoor.census.Census`, its frame, or a path (read with ``read_census``).
    ``plan_year``: calendar plan year Y (HCE lookback year Y-1; 2015 or later). ``testing``: 'current' or
    'prior'; prior-year testing needs ``prior_nhce_acp`` (last year's NHCE ACP as a decimal, or
    'first-year' for 3%). ``top_paid_group``: the §414(q)(1)(B)(ii) election. ``include_deferrals``: count
    elective deferrals in the ACP (a plan election). ``earnings_rate``: income allocable to refunds as a
    decimal share of the refund (may be negative). ``eaca``: 6-month excise deadline. ``step``: precision
    of the what-if rate. ``matched``: what the match is on ('deferrals', 'after_tax' or 'both'): decides
    which refunded after-tax dollars carry their match with them, and the matching rates of the
    disproportionate-match cap; ``match_tiers``: the match formula ((rate, up_to share of pay), ...), to tell
    matched from unmatched after-tax money. ``match_vested``: the vested share of the match (the rest of a
    refunded match is forfeited, not paid: §1.401(m)-2(b)(5) Example 7). ``qnec_in_acp``: count the census
    ``qnec`` column in the ACP (capped for NHCEs at the representative contribution rate).
    ``safe_harbor_match``: an ACP safe-harbor match is disregarded; the after-tax money is still tested. See
    :func:`counted_contributions` and :func:`refund_sources`. Rules and citations: see the module docstring.

    >>> frame = pd.DataFrame({
    ...     "row": [2, 3, 4, 5], "id": ["H1", "H2", "N1", "N2"],
    ...     "compensation": [200000.0, 200000.0, 100000.0, 100000.0],
    ...     "prior_compensation": [200000.0, 200000.0, 100000.0, 100000.0],
    ...     "owner_5pct": [False] * 4, "eligible": [True] * 4,
    ...     "match": [6000.0, 6000.0, 3000.0, 3000.0], "after_tax": [20000.0, 0.0, 0.0, 2000.0],
    ...     "deferrals": [0.0] * 4})
    >>> report = run_acp(frame, 2026)
    >>> t = report.test
    >>> t.hce_acp, t.nhce_acp, t.limit, t.passed          # HCEs 13% and 3%; NHCEs 3% and 5%
    (0.08, 0.04, 0.06, False)
    >>> c = report.correction
    >>> c.total_excess, c.leveled_ratio, c.dollar_level   # H1 leveled from 13% to 9%: $8,000
    (8000.0, 0.09, 18000.0)
    >>> float(report.participants.loc[0, "refund"]), report.what_if.max_rate
    (8000.0, 0.03)
    """
    plan_year = validate.whole("plan_year", plan_year, validate.FIRST_YEAR + 1, validate.LAST_YEAR, "a plan year")
    testing = validate.choice("testing", testing, TESTING_METHODS)
    earnings_rate = validate.rate("earnings_rate", earnings_rate)
    step = validate.number("step", step)
    if not (0 < step <= 0.01) or abs(1 / step - round(1 / step)) > 1e-9:
        raise InputError("step", step, "a step that divides 1, from 0.0001 to 0.01 (0.001 for 0.1%)", kind="num")
    source = None
    if isinstance(census, Census):
        source, frame, has_deferrals = census.source, census.frame, census.has_deferrals
    elif isinstance(census, pd.DataFrame):
        frame, has_deferrals = census, "deferrals" in census.columns
    else:
        checked = read_census(census)
        source, frame, has_deferrals = checked.source, checked.frame, checked.has_deferrals
    if "deferrals" not in frame:
        frame = frame.assign(deferrals=0.0)
    if "row" not in frame:
        frame = frame.assign(row=np.arange(2, len(frame) + 2))
    notes: list[str] = []

    prior_units, prior_value = prior_testing(testing, prior_nhce_acp, "prior_nhce_acp", "ACP",
                                             "; use testing='current' to test against this census")

    compensation_limit = irs_limit("401a17", plan_year, inflation)
    additions_limit = irs_limit("415c", plan_year, inflation)
    match_vested = validate.fraction("match_vested", match_vested)
    match_tiers = check_tiers(match_tiers)
    hce, reason, threshold = hce_flags(frame, plan_year, top_paid_group, inflation)
    eligible = frame["eligible"].to_numpy(dtype=bool)
    in_hce = eligible & hce
    in_nhce = eligible & ~hce
    pay = np.minimum(frame["compensation"].to_numpy(dtype="float64"), float(compensation_limit.value))
    counted = counted_contributions(frame, pay, in_nhce, matched=matched, match_tiers=match_tiers,
                                    qnec_in_acp=qnec_in_acp, include_deferrals=include_deferrals,
                                    safe_harbor_match=safe_harbor_match,
                                    base_known=has_deferrals or matched == "after_tax")
    money = counted["money"]
    if not (has_deferrals or matched == "after_tax" or safe_harbor_match):
        notes.append("no deferrals column: the disproportionate-match cap (Treas. Reg. §1.401(m)-2(a)(5)(ii)) "
                     "needs the matched deferrals and was not applied")
    ratio = _rounded_ratio(money, pay)
    if counted["capped_matches"]:
        notes.append(f"{counted['capped_matches']} NHCE match(es) counted only up to the greatest of 5% of pay, "
                     f"the matched contributions and 2 x the representative matching rate "
                     f"({counted['representative_matching_rate']:.2%}) x them: Treas. Reg. §1.401(m)-2(a)(5)(ii)")
    if counted["capped_qnecs"]:
        notes.append(f"{counted['capped_qnecs']} NHCE QNEC(s) counted only up to pay x max(5%, 2 x the "
                     f"representative contribution rate {counted['representative_contribution_rate']:.2%}): "
                     "Treas. Reg. §1.401(m)-2(a)(6)(v)")
    if safe_harbor_match:
        notes.append("ACP safe-harbor match disregarded; after-tax contributions are still tested "
                     "(Treas. Reg. §1.401(m)-2(a)(5)(iv), §1.401(m)-3(j)(6))")
    for limit in (threshold, compensation_limit, additions_limit):
        if limit.status != "published":
            notes.append(f"{limit.name} for {limit.year} is projected, not published: {limit.reference}")
    units = _whole_units(ratio)
    test, nhce_units, hce_count = group_test(
        units, in_hce, in_nhce, testing, prior_units,
        no_hce=(f"{int(eligible.sum())} eligible employees, none an HCE for {plan_year}",
                f"HCE = 5% owner, or {plan_year - 1} pay above ${threshold.value:,} ({threshold.reference}); "
                "with no HCEs the test has nothing to test"),
        no_nhce_hint="with no eligible NHCEs the plan is deemed to pass (Treas. Reg. §1.401(m)-2(a)(1)(ii)); "
                     "nothing to compute")

    refund = np.zeros(len(frame))
    ratio[~eligible] = np.nan  # shown for eligible employees only (the test above read the units)
    leveled = ratio.copy()
    correction = None
    if not test.passed:
        from fractions import Fraction

        hce_index = np.flatnonzero(in_hce)
        level_ratio, above, total_cents, after_leveling = leveling(units, money, pay, hce_index, nhce_units,
                                                                   hce_count)
        cut = hce_index[above]
        refund_cents = level_dollars(money[hce_index], total_cents)
        refund[hce_index] = refund_cents / 100
        leveled[cut] = level_ratio
        remaining = money[hce_index] - refund[hce_index]
        with np.errstate(divide="ignore", invalid="ignore"):
            after = np.where(pay[hce_index] > 0, remaining / np.where(pay[hce_index] > 0, pay[hce_index], 1), 0.0)
        after_units = _units(after)
        refunded = refund_cents > 0
        dollar_level = float(np.max(remaining[refunded])) if refunded.any() else None
        correction_dates = deadlines(plan_year, eaca)
        correction = Correction(
            total_excess=total_cents / 100,
            leveled_ratio=level_ratio,
            dollar_level=dollar_level,
            refunds=int(refunded.sum()),
            earnings=0.0,
            hce_acp_after_leveling=after_leveling,
            hce_acp_after_refunds=float(Fraction(int(after_units.sum()), hce_count) / UNITS_PER_ONE),
            excise_deadline=correction_dates[0],
            correction_deadline=correction_dates[1],
        )
    # Refund sources (see refund_sources). Only refunded rows are touched: the rest of a large census stays
    # zero without a pass over it.
    after_tax = frame["after_tax"].to_numpy(dtype="float64")
    match = frame["match"].to_numpy(dtype="float64")
    size = len(frame)
    from_after_tax, from_match, from_deferrals = np.zeros(size), np.zeros(size), np.zeros(size)
    from_qnec, forfeited = np.zeros(size), np.zeros(size)
    earnings, distribution = np.zeros(size), np.zeros(size)
    paid = np.flatnonzero(refund > 0)
    if len(paid):
        sources = refund_sources(refund, paid, frame, counted, pay, matched, match_tiers)
        from_after_tax[paid], from_match[paid] = sources["after_tax"], sources["match"]
        from_qnec[paid], from_deferrals[paid] = sources["qnec"], sources["deferrals"]
        # The unvested share of a refunded match is forfeited, not paid (§1.401(m)-2(b)(2)(v), Example 7).
        forfeited[paid] = round_half_up(from_match[paid] * (1 - match_vested), 2)
        paid_out = np.round(refund[paid] - forfeited[paid], 2)
        if earnings_rate:
            earnings[paid] = round_half_up(paid_out * earnings_rate, 2)
        distribution[paid] = np.round(paid_out + earnings[paid], 2)
    if correction is not None:
        # earnings are whole cents: sum them as integers (exact)
        earnings_cents = int(np.rint(earnings[paid] * 100).sum())
        correction = Correction(**{**correction.to_dict(), "earnings": earnings_cents / 100})

    participants = frame_from_columns({
        "row": frame["row"].to_numpy(), "id": frame["id"].to_numpy(), "eligible": eligible,
        "hce": hce, "hce_reason": reason, "compensation": frame["compensation"].to_numpy(dtype="float64"),
        "tested_compensation": pay, "match": match, "match_counted": counted["match"], "after_tax": after_tax,
        "deferrals": frame["deferrals"].to_numpy(dtype="float64"), "qnec_counted": counted["qnec"],
        "acp_contributions": money,
        "ratio": ratio, "leveled_ratio": leveled,
        "refund": refund, "refund_after_tax": from_after_tax, "refund_match": from_match,
        "refund_qnec": from_qnec, "refund_deferrals": from_deferrals, "match_forfeited": forfeited,
        "earnings": earnings, "distribution": distribution,
    })

    # What-if inputs for the eligible groups only (each HCE/NHCE subset is taken once).
    room, room_basis = _after_tax_room(frame, plan_year, inflation)
    if not has_deferrals:
        room_basis += " (no deferrals column: deferrals taken as $0, so room is an upper bound)"
    # counted match, QNECs, deferrals and after-tax money recharacterized by the ADP correction: the what-if
    # replaces only the after-tax contributions the HCEs elected
    recharacterized = frame["recharacterized"].to_numpy(dtype="float64") if "recharacterized" in frame else None

    def what_if_ratios(rows: np.ndarray, room_below: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        return _what_if_ratios(rows, money, after_tax, recharacterized, room, pay, room_below)

    hce_match, hce_room = what_if_ratios(in_hce)
    # the grid reads the NHCEs' room ratios only below its largest rate: the rest are never kept
    top_rate = float(np.max(np.asarray(rates, dtype="float64"))) if len(rates) else 0.0
    nhce_match, nhce_room = what_if_ratios(in_nhce, top_rate)
    max_rate = max_uniform_after_tax_rate(hce_match, hce_room, nhce_units, step)
    if max_rate is None:
        at_max = None
        notes.append("the HCEs' other ACP money (match) fails the test even with no after-tax contributions")
    else:
        at_max = average_units(_hce_units_at(max_rate, hce_match, hce_room), hce_count) / UNITS_PER_ONE
    what_if = WhatIf(max_rate, step, at_max, test.limit, room_basis)
    grid = sensitivity_grid(hce_match, hce_room, nhce_match, nhce_room, tuple(participation), tuple(rates),
                            prior_value)
    if testing == "prior":
        notes.append("prior-year testing: the NHCE side of the grid is last year's fixed ACP")
    settings = {"testing": testing, "prior_nhce_acp": prior_value, "top_paid_group": bool(top_paid_group),
                "include_deferrals": bool(include_deferrals), "earnings_rate": earnings_rate, "eaca": bool(eaca),
                "matched": matched, "match_tiers": [list(t) for t in match_tiers] if match_tiers else None,
                "match_vested": match_vested, "qnec_in_acp": bool(qnec_in_acp),
                "safe_harbor_match": bool(safe_harbor_match),
                "representative_matching_rate": counted["representative_matching_rate"],
                "representative_contribution_rate": counted["representative_contribution_rate"],
                "inflation": inflation}
    return AcpReport(plan_year, testing, participants, test, correction, what_if, grid, threshold,
                     compensation_limit, additions_limit, settings, notes, source)


__all__ += ["AcpTestResult"]
