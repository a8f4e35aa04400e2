"""The ACP and ADP tests' arithmetic on plain numbers: the limit and the pass/fail verdict.

Core engine (standard library only), so the worksheet functions ``ACP_LIMIT``/``ACP_TEST`` and
``ADP_LIMIT``/``ADP_TEST`` and the pandas census engines (:mod:`megabackdoor.acp`, :mod:`megabackdoor.adp`)
share one implementation of the rule.

Rule (IRC §401(m)(2)(A), §401(k)(3)(A)(ii); Treas. Reg. §1.401(m)-2(a)(1)(i), §1.401(k)-2(a)(1)(i)): the
average contribution (deferral) percentage of the eligible HCEs may not exceed the **greater of** 125% of
the NHCE figure, or the **lesser of** 200% of it and it plus 2 percentage points. Each employee's ratio (ACR,
ADR) is computed to the nearest hundredth of a percentage point (§1.401(m)-2(a)(3)(i), §1.401(k)-2(a)(3)(i);
ratios here are decimals, so 0.0001), and so is each **group average** (§1.401(m)-2(a)(2)(i),
§1.401(k)-2(a)(2)(i)): both rounded half up like the spreadsheet ROUND (the regulation's own examples round
12.105% to 12.11%). The limit is computed from the rounded NHCE figure and compared with the rounded HCE
figure exactly (an NHCE ACP of 6.5875% is 6.59%, so the +2-point limit is 8.59%, and an HCE ACP of 8.59%
passes; §1.401(m)-2(a)(7) Example 2). The limit itself is not rounded: 1.25 x 6.59% = 8.2375%, and an HCE
ACP of 8.24% fails (the regulation's "not more than ... multiplied by 1.25").

Comparisons are exact: rounded ratios and averages are whole numbers of 0.01% units, and the limit is a
fraction of them, never a float that could miss by 1e-17. Educational, not individual tax advice.
"""

from __future__ import annotations

from . import validate
from ._record import Record
from .errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from fractions import Fraction
    from typing import Any

# Ratios are kept in whole units of 0.01% (one basis point of pay): 0.0525 -> 525.
UNITS_PER_ONE = 10_000
TWO_POINTS = 200  # 2 percentage points, in 0.01% units
CITATION = "IRC §401(m)(2)(A); Treas. Reg. §1.401(m)-2(a)"


def ratio_units(value: float) -> int:
    """A ratio rounded half up to the nearest 0.01% (as ROUND(value, 4) does), as whole 0.01% units.

    >>> ratio_units(0.052349), ratio_units(0.05235), ratio_units(1 / 3)
    (523, 524, 3333)
    """
    from .rounding import excel_round

    return int(round(excel_round(value, 4) * UNITS_PER_ONE))


def average_units(total_units: int, count: int) -> int:
    """A group average of whole 0.01% units rounded half up to a whole unit (nearest hundredth of a
    percentage point: Treas. Reg. §1.401(m)-2(a)(2)(i), §1.401(k)-2(a)(2)(i)).

    >>> average_units(2635, 4), average_units(2421, 2), average_units(2600, 7)   # 6.5875%, 12.105%, 3.714%
    (659, 1211, 371)
    """
    return (2 * int(total_units) + int(count)) // (2 * int(count))


def whole_units(value: Any) -> int:
    """A figure in 0.01% units (int or Fraction) rounded half up to a whole unit."""
    from fractions import Fraction

    value = Fraction(value)
    return average_units(value.numerator, value.denominator)


def passes(total_units: int, count: int, limit: Fraction) -> bool:
    """Whether a group with these summed ratios passes: its rounded average is not above ``limit``."""
    return average_units(total_units, count) <= limit


def highest_passing_total(count: int, limit: Fraction) -> int:
    """The largest sum of ratio units whose rounded average is at most ``limit`` (for what-if searches)."""
    import math

    # round_half_up(S / n) <= floor(limit)  <=>  2S < (2 floor(limit) + 1) n
    top = math.floor(limit)
    return ((2 * top + 1) * count - 1) // 2


def limit_units(nhce_acp_units: Any) -> Fraction:
    """The highest HCE ACP allowed, in 0.01% units (exact), from the NHCE ACP rounded to a whole unit."""
    from fractions import Fraction

    nhce_acp_units = Fraction(whole_units(nhce_acp_units))
    basic = nhce_acp_units * Fraction(5, 4)
    alternative = min(nhce_acp_units * 2, nhce_acp_units + TWO_POINTS)
    return max(basic, alternative)


def binding_rule(nhce_acp_units: Fraction) -> str:
    """Which leg sets the limit: '1.25x', '2x' or '+2 points' (ties go to the simplest)."""
    from fractions import Fraction

    nhce_acp_units = Fraction(whole_units(nhce_acp_units))
    basic = nhce_acp_units * Fraction(5, 4)
    twice = nhce_acp_units * 2
    plus_two = nhce_acp_units + TWO_POINTS
    if basic >= min(twice, plus_two):
        return "1.25x"
    return "2x" if twice <= plus_two else "+2 points"


def exact_ratio_units(value: float) -> Fraction:
    """A ratio given as a decimal (e.g. a prior-year NHCE ACP) in exact 0.01% units, read as typed (repr)."""
    from fractions import Fraction

    return Fraction(repr(float(value))) * UNITS_PER_ONE


def acp_limit(nhce_acp: float) -> float:
    """The highest ACP the eligible HCEs may have, given the NHCE ACP (decimals: 0.04 for 4%).

    limit = max(1.25 x NHCE, min(2 x NHCE, NHCE + 0.02)) (IRC §401(m)(2)(A); Treas. Reg.
    §1.401(m)-2(a)(1)(i)), with the NHCE ACP first rounded to the nearest hundredth of a percentage point
    (§1.401(m)-2(a)(2)(i)). The 2x leg binds below 2%, +2 points from 2% to 8%, 1.25x above 8%.

    >>> acp_limit(0.01), acp_limit(0.04), acp_limit(0.10)
    (0.02, 0.06, 0.125)
    >>> acp_limit(0.065875), acp_limit(0)   # 6.5875% is 6.59%: the limit is 8.59%
    (0.0859, 0.0)
    """
    return _limit("nhce_acp", nhce_acp)


def adp_limit(nhce_adp: float) -> float:
    """The highest ADP the eligible HCEs may have, given the NHCE ADP (decimals: 0.04 for 4%).

    The same formula as the ACP test: max(1.25 x NHCE, min(2 x NHCE, NHCE + 0.02)) (IRC §401(k)(3)(A)(ii);
    Treas. Reg. §1.401(k)-2(a)(1)(i)), from the NHCE ADP rounded to the nearest hundredth of a percentage
    point (§1.401(k)-2(a)(2)(i)).

    >>> adp_limit(0.0378), adp_limit(0.03), adp_limit(0.12)   # §1.401(k)-2(a)(7) Ex. 2; (b)(2)(viii) Ex. 1
    (0.0578, 0.05, 0.15)
    """
    return _limit("nhce_adp", nhce_adp)


def _limit(name: str, nhce_value: Any) -> float:
    nhce = validate.number(name, nhce_value)
    if nhce < 0 or nhce > 1:
        hint = validate.percent_hint(nhce) if 1 < nhce <= 100 else None
        raise InputError(name, nhce_value, "a decimal ratio from 0 to 1 (0.04 for 4%)", kind="num", hint=hint)
    units = exact_ratio_units(nhce)
    return float(limit_units(units) / UNITS_PER_ONE)


class AcpTestResult(Record):
    """The ACP (or ADP) test on two groups of ratios.

    hce_acp, nhce_acp: group averages of the rounded ratios, each rounded to the nearest hundredth of a
    percentage point (decimals); limit: the highest HCE ACP allowed (from the rounded NHCE figure);
    passed: hce_acp <= limit (exact); margin: limit - hce_acp (negative on failure); binding: which leg of
    the limit applies ('1.25x', '2x', '+2 points'); hce_count, nhce_count: sizes of the groups.
    """

    __slots__ = ("hce_acp", "nhce_acp", "limit", "passed", "margin", "binding", "hce_count", "nhce_count")


def _ratios(name: str, values: Any) -> list[int]:
    """Flatten a list or a 2-D range into 0.01% units; blank cells (None) are skipped like AVERAGE does."""
    if isinstance(values, (int, float)) and not isinstance(values, bool):
        values = [values]
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise InputError(name, values, "a list or range of ratios (decimals, 0.05 for 5%)")
    units: list[int] = []
    position = 0
    for item in values:
        cells = item if isinstance(item, (list, tuple)) else (item,)
        for cell in cells:
            position += 1
            if cell is None or cell == "":
                continue
            try:
                ratio = validate.number(name, cell)
            except InputError as error:
                raise InputError(f"{name}[{position}]", cell, error.accepted, kind=error.kind,
                                 hint=error.hint) from None
            if ratio < 0 or ratio > 1:
                # §415(c)(1)(B) keeps annual additions within 100% of pay, so a ratio above 1 is a typo.
                hint = validate.percent_hint(ratio) if 1 < ratio <= 100 else None
                raise InputError(f"{name}[{position}]", cell, "a ratio from 0 to 1 (0.05 for 5%)", kind="num",
                                 hint=hint)
            units.append(ratio_units(ratio))
    return units


def verdict_from_units(hce_units_sum: int, hce_count: int, nhce_acp_units: Any, nhce_count: int) -> AcpTestResult:
    """The verdict from exact sums (shared with the census engine, which sums with pandas).

    ``nhce_acp_units``: the NHCE average in 0.01% units (a Fraction sum/count, or a prior-year figure); it is
    rounded to a whole unit here, as is the HCE average.
    """
    hce = average_units(hce_units_sum, hce_count)
    nhce = whole_units(nhce_acp_units)
    limit = limit_units(nhce)
    return AcpTestResult(
        hce_acp=hce / UNITS_PER_ONE,
        nhce_acp=nhce / UNITS_PER_ONE,
        limit=float(limit / UNITS_PER_ONE),
        passed=hce <= limit,
        margin=float((limit - hce) / UNITS_PER_ONE),
        binding=binding_rule(nhce),
        hce_count=hce_count,
        nhce_count=nhce_count,
    )


def acp_test(hce_ratios: Iterable[float], nhce_ratios: Iterable[float]) -> AcpTestResult:
    """Run the ACP test on the eligible HCEs' and NHCEs' contribution ratios (decimals).

    Each ratio = (matching + after-tax contributions) / compensation capped at §401(a)(17); eligible
    employees who contributed nothing count as 0. Ratios are rounded to 0.01% (Treas. Reg.
    §1.401(m)-2(a)(3)(i)), averaged per group and the averages rounded to 0.01% (§1.401(m)-2(a)(2)(i)), and
    the HCE average is compared with :func:`acp_limit` of the NHCE average (IRC §401(m)(2)(A)). Blank cells
    are skipped.

    >>> r = acp_test([0.08, 0.06], [0.03, 0.05, 0.04])
    >>> r.hce_acp, r.nhce_acp, r.limit, r.passed, r.binding
    (0.07, 0.04, 0.06, False, '+2 points')
    >>> round(r.margin, 6)
    -0.01
    >>> acp_test([0.0671, 0.175], [0.0706, 0.0679, 0.125, 0]).hce_acp   # §1.401(m)-2(a)(7) Example 2
    0.1211
    """
    return _test("hce_ratios", hce_ratios, "nhce_ratios", nhce_ratios, "§1.401(m)-2(a)(1)(ii)")


def adp_test(hce_ratios: Iterable[float], nhce_ratios: Iterable[float]) -> AcpTestResult:
    """Run the ADP test on the eligible HCEs' and NHCEs' deferral ratios (decimals).

    Each ratio (ADR) = elective deferrals (pre-tax + Roth, catch-ups excluded) / compensation capped at
    §401(a)(17), to 0.01% (Treas. Reg. §1.401(k)-2(a)(3)(i)); group averages to 0.01% (§1.401(k)-2(a)(2)(i));
    the same limit as the ACP test (IRC §401(k)(3)(A)(ii)). The result's fields are named as for the ACP
    (``hce_acp`` is the HCE ADP).

    >>> r = adp_test([0.0577], [0.0477, 0.0278])    # §1.401(k)-2(a)(7) Example 2: 5.77% vs 3.78%
    >>> r.nhce_acp, r.limit, r.passed, r.binding
    (0.0378, 0.0578, True, '+2 points')
    """
    return _test("hce_ratios", hce_ratios, "nhce_ratios", nhce_ratios, "§1.401(k)-2(a)(1)(ii)")


def _test(hce_name: str, hce_ratios: Any, nhce_name: str, nhce_ratios: Any, deemed: str) -> AcpTestResult:
    hce = _ratios(hce_name, hce_ratios)
    nhce = _ratios(nhce_name, nhce_ratios)
    if not hce:
        raise InputError("hce_ratios", hce_ratios, "at least one HCE ratio", kind="na",
                         hint="with no eligible HCEs there is nothing to test")
    if not nhce:
        raise InputError("nhce_ratios", nhce_ratios, "at least one NHCE ratio", kind="na",
                         hint=f"with no eligible NHCEs the plan is deemed to pass: Treas. Reg. {deemed}")
    from fractions import Fraction

    return verdict_from_units(sum(hce), len(hce), Fraction(sum(nhce), len(nhce)), len(nhce))


def contribution_deadline(applicable_year: int) -> str:
    """The last day a QNEC (or QMAC) may be contributed and still count in the ADP/ACP of ``applicable_year``
    (a calendar plan year): the end of the 12-month period after that year, as an ISO date.

    Treas. Reg. §1.401(k)-2(a)(6)(i) and §1.401(m)-2(a)(6)(i): allocated as of a date within the year and
    contributed no later than 12 months after its end. Under prior-year testing the applicable year of the
    NHCEs is the year before the plan year tested, so a QNEC for them is due by the end of the tested year
    (§1.401(k)-2(a)(7) Example 5).

    >>> contribution_deadline(2025)
    '2026-12-31'
    """
    return f"{int(applicable_year) + 1:04d}-12-31"


def contributed_in_time(argument: str, paid: Any, applicable_year: int) -> bool:
    """Whether a contribution paid on ``paid`` (an ISO date 'YYYY-MM-DD' or a ``datetime.date``; None: not
    known, taken as in time) counts for ``applicable_year`` (:func:`contribution_deadline`).

    >>> contributed_in_time("qnec_paid", "2026-12-31", 2025), contributed_in_time("qnec_paid", "2027-01-02", 2025)
    (True, False)
    """
    import datetime

    if paid is None:
        return True
    if isinstance(paid, datetime.datetime):
        paid = paid.date()
    if not isinstance(paid, datetime.date):
        try:
            paid = datetime.date.fromisoformat(str(paid).strip())
        except ValueError:
            raise InputError(argument, paid, "a date as YYYY-MM-DD (when the contribution was paid to the trust)",
                             kind="value") from None
    return paid.isoformat() <= contribution_deadline(applicable_year)
