"""The ACP test's arithmetic on plain numbers: the §401(m)(2)(A) limit and the pass/fail verdict.

Core engine (standard library only), so the worksheet functions ``ACP_LIMIT`` and ``ACP_TEST`` and the
pandas census engine (:mod:`megabackdoor.acp`) share one implementation of the rule.

Rule (IRC §401(m)(2)(A); Treas. Reg. §1.401(m)-2(a)(1)(i)): the average contribution percentage (ACP) of
the eligible HCEs may not exceed the **greater of** 125% of the NHCE ACP, or the **lesser of** 200% of the
NHCE ACP and the NHCE ACP plus 2 percentage points. Each employee's actual contribution ratio (ACR) is
computed to the nearest one-hundredth of one percent (Treas. Reg. §1.401(m)-2(a)(2)(i); ratios here are
decimals, so 0.0001), rounded half up like the spreadsheet ROUND; the group ACP is the plain average.

Comparisons are exact: rounded ratios are whole numbers of 0.01% units, so averages and the limit are
compared as fractions, never as floats that could miss by 1e-17. Educational, not individual tax advice.
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


def limit_units(nhce_acp_units: Fraction) -> Fraction:
    """The highest HCE ACP allowed, in 0.01% units (exact)."""
    from fractions import Fraction

    basic = nhce_acp_units * Fraction(5, 4)
    alternative = min(nhce_acp_units * 2, nhce_acp_units + TWO_POINTS)
    return max(basic, alternative)


def binding_rule(nhce_acp_units: Fraction) -> str:
    """Which leg sets the limit: '1.25x', '2x' or '+2 points' (ties go to the simplest)."""
    from fractions import Fraction

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
    §1.401(m)-2(a)(1)(i)). The 2x leg binds below 2%, +2 points from 2% to 8%, 1.25x above 8%.

    >>> acp_limit(0.01), acp_limit(0.04), acp_limit(0.10)
    (0.02, 0.06, 0.125)
    >>> acp_limit(0)
    0.0
    """
    nhce = validate.number("nhce_acp", nhce_acp)
    if nhce < 0 or nhce > 1:
        hint = f"{nhce:g} looks like a percent: pass {nhce / 100:.4f} for {nhce:g}%" if 1 < nhce <= 100 else None
        raise InputError("nhce_acp", nhce_acp, "a decimal ratio from 0 to 1 (0.04 for 4%)", kind="num", hint=hint)
    units = exact_ratio_units(nhce)
    return float(limit_units(units) / UNITS_PER_ONE)


class AcpTestResult(Record):
    """The ACP test on two groups of ratios.

    hce_acp, nhce_acp: group averages of the rounded ratios (decimals); limit: the highest HCE ACP allowed;
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
                hint = f"{ratio:g} looks like a percent: pass {ratio / 100:.4f}" if 1 < ratio <= 100 else None
                raise InputError(f"{name}[{position}]", cell, "a ratio from 0 to 1 (0.05 for 5%)", kind="num",
                                 hint=hint)
            units.append(ratio_units(ratio))
    return units


def verdict_from_units(hce_units_sum: int, hce_count: int, nhce_acp_units: Fraction, nhce_count: int) -> AcpTestResult:
    """The verdict from exact sums (shared with the census engine, which sums with pandas)."""
    from fractions import Fraction

    hce = Fraction(hce_units_sum, hce_count)
    limit = limit_units(nhce_acp_units)
    return AcpTestResult(
        hce_acp=float(hce / UNITS_PER_ONE),
        nhce_acp=float(nhce_acp_units / UNITS_PER_ONE),
        limit=float(limit / UNITS_PER_ONE),
        passed=hce <= limit,
        margin=float((limit - hce) / UNITS_PER_ONE),
        binding=binding_rule(nhce_acp_units),
        hce_count=hce_count,
        nhce_count=nhce_count,
    )


def acp_test(hce_ratios: Iterable[float], nhce_ratios: Iterable[float]) -> AcpTestResult:
    """Run the ACP test on the eligible HCEs' and NHCEs' contribution ratios (decimals).

    Each ratio = (matching + after-tax contributions) / compensation capped at §401(a)(17); eligible
    employees who contributed nothing count as 0. Ratios are rounded to 0.01% (Treas. Reg.
    §1.401(m)-2(a)(2)(i)), averaged per group, and the HCE average is compared with
    :func:`acp_limit` of the NHCE average (IRC §401(m)(2)(A)). Blank cells are skipped.

    >>> r = acp_test([0.08, 0.06], [0.03, 0.05, 0.04])
    >>> r.hce_acp, r.nhce_acp, r.limit, r.passed, r.binding
    (0.07, 0.04, 0.06, False, '+2 points')
    >>> round(r.margin, 6)
    -0.01
    """
    hce = _ratios("hce_ratios", hce_ratios)
    nhce = _ratios("nhce_ratios", nhce_ratios)
    if not hce:
        raise InputError("hce_ratios", hce_ratios, "at least one HCE ratio", kind="na",
                         hint="with no eligible HCEs there is nothing to test")
    if not nhce:
        raise InputError("nhce_ratios", nhce_ratios, "at least one NHCE ratio", kind="na",
                         hint="with no eligible NHCEs the plan is deemed to pass: Treas. Reg. "
                              "§1.401(m)-2(a)(1)(ii)")
    from fractions import Fraction

    return verdict_from_units(sum(hce), len(hce), Fraction(sum(nhce), len(nhce)), len(nhce))
