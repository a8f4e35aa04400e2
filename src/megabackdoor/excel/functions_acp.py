"""Worksheet functions for the ACP and ADP nondiscrimination tests: specs read by the registry.

See :mod:`megabackdoor.excel.registry` for the spec format. The engines live in the core module
:mod:`megabackdoor.acp_rules` (standard library only), so these functions run on every host, Pyodide included,
without pandas.

``ACP_LIMIT(nhce_acp)`` and ``ADP_LIMIT(nhce_adp)`` broadcast like any scalar function; ``ACP_TEST`` and
``ADP_TEST(hce_ratios, nhce_ratios)`` take each column of ratios whole (``kind="range"`` arguments: averaged,
never broadcast). Group averages are rounded to the nearest hundredth of a percentage point and the limit is
computed from the rounded NHCE figure (Treas. Reg. §1.401(m)-2(a)(2)(i), §1.401(k)-2(a)(2)(i)).
"""

from __future__ import annotations

from .registry import Arg, Example, Function

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CITATION = "IRC §401(m)(2)(A); Treas. Reg. §1.401(m)-2(a)(1)(i), (a)(2)(i)"
ADP_CITATION = "IRC §401(k)(3)(A)(ii); Treas. Reg. §1.401(k)-2(a)(1)(i), (a)(2)(i), (a)(3)(i)"


def acp_test_verdict(hce_ratios: Any, nhce_ratios: Any) -> str:
    """ACP_TEST's cell value: "PASS" or "FAIL"."""
    from ..acp_rules import acp_test

    return "PASS" if acp_test(hce_ratios, nhce_ratios).passed else "FAIL"


def adp_test_verdict(hce_ratios: Any, nhce_ratios: Any) -> str:
    """ADP_TEST's cell value: "PASS" or "FAIL"."""
    from ..acp_rules import adp_test

    return "PASS" if adp_test(hce_ratios, nhce_ratios).passed else "FAIL"


def _test_spec(name: str, engine: Any, description: str, hce_ratios: str, examples: list[Example],
               citation: str) -> Function:
    """ACP_TEST / ADP_TEST: the same test on two whole ranges of ratios (``kind="range"``)."""
    return Function(
        name,
        engine=engine,
        description=description,
        args=[
            Arg("hce_ratios", hce_ratios, unit="decimal ratios", kind="range"),
            Arg("nhce_ratios", "Eligible NHCEs' ratios, the same way (this year's for current-year testing).",
                unit="decimal ratios", kind="range"),
        ],
        returns='"PASS" or "FAIL"',
        examples=examples,
        citation=citation,
        rule="PASS when ROUND(mean(ROUND(hce, 4)), 4) <= max(1.25 x m, min(2 x m, m + 0.02)) with "
             "m = ROUND(mean(ROUND(nhce, 4)), 4)",
    )


def _limit_spec(test: str, percentage: str, section: str, returns: str, examples: list[Example],
                citation: str) -> Function:
    """ACP_LIMIT / ADP_LIMIT: the same limit on the NHCEs' average (``percentage``: contribution, deferral)."""
    average = f"nhce_{test.lower()}"
    return Function(
        f"{test}_LIMIT",
        engine=f"megabackdoor.acp_rules:{test.lower()}_limit",
        description=f"The highest average {percentage} percentage the HCEs may have under the {section} {test} "
                    f"test, given the NHCEs' {test}: the greater of 1.25x and the lesser of 2x and +2 points. "
                    "Decimals.",
        args=[
            Arg(average, f"The NHCEs' average {percentage} percentage as a decimal (0.04 for 4%): this year's for "
                         "current-year testing, last year's for prior-year testing (0.03 in a plan's first "
                         "year).", unit="decimal ratio"),
        ],
        returns=returns,
        unit="decimal ratio",
        examples=examples,
        citation=citation,
        rule=f"limit = max(1.25 × m, min(2 × m, m + 0.02)) with m = ROUND({average}, 4)",
    )


def adp_test_spec() -> Function:
    """The ADP_TEST spec: both arguments are whole ranges (``kind="range"``)."""
    return _test_spec(
        "ADP_TEST", adp_test_verdict,
        "The ADP test on two columns of deferral ratios (decimals): PASS when the HCEs' average, each ratio and "
        "both averages rounded to 0.01%, is within max(1.25x, min(2x, +2 points)) of the NHCEs'.",
        "Eligible HCEs' ratios (ADRs): elective deferrals (pre-tax + Roth, catch-ups over §402(g) excluded) / pay "
        "capped at §401(a)(17), as decimals. Blank cells are skipped; count non-deferrers as 0.",
        [
            Example(([[0.0577]], [[0.0477], [0.0278]]), "PASS",
                    note="§1.401(k)-2(a)(7) Example 2: NHCE 3.775% rounds to 3.78%, limit 5.78%"),
            Example(([[0.10], [0.05]], [[0.06], [0.04], [0.04], [0.03], [0.03], [0.03], [0.03]]), "FAIL",
                    note="§1.401(k)-2(a)(7) Example 3: 7.5% vs NHCE 3.71%"),
            Example(([[0.06]], [[None]]), error="#N/A", note="no NHCE ratios"),
        ],
        ADP_CITATION)


def acp_test_spec() -> Function:
    """The ACP_TEST spec: both arguments are whole ranges (``kind="range"``)."""
    return _test_spec(
        "ACP_TEST", acp_test_verdict,
        "The ACP test on two columns of contribution ratios (decimals): PASS when the HCEs' average, each ratio "
        "rounded to 0.01%, is within max(1.25x, min(2x, +2 points)) of the NHCEs'.",
        "Eligible HCEs' ratios: (match + after-tax) / pay capped at §401(a)(17), as decimals (0.05 for 5%). Blank "
        "cells are skipped; count non-contributors as 0.",
        [
            Example(([[0.08], [0.06]], [[0.03], [0.05], [0.04]]), "FAIL",
                    note="HCE 7% vs NHCE 4%: the limit is 6%"),
            Example(([[0.06], [0.06]], [[0.04]]), "PASS", note="exactly at the limit passes"),
            Example(([[0.06]], [[None]]), error="#N/A", note="no NHCE ratios"),
        ],
        CITATION)


FUNCTIONS = [
    _limit_spec(
        "ACP", "contribution", "§401(m)", "The HCE ACP limit (a decimal: 0.06 is 6%)",
        [
            Example((0.04,), 0.06, note="+2 points binds from 2% to 8%"),
            Example((0.01,), 0.02, note="2x binds below 2%"),
            Example((0.10,), 0.125, note="1.25x binds above 8%"),
            Example((0.03,), 0.05, note="the first-year deemed NHCE ACP of 3% (§401(m)(3))"),
            Example((0.065875,), 0.0859, note="6.5875% is rounded to 6.59% first (§1.401(m)-2(a)(2)(i))"),
            Example((4,), error="#NUM!", note="4 looks like a percent: pass 0.04"),
            Example(("4%",), error="#VALUE!", note="text is not a number"),
        ],
        CITATION),
    acp_test_spec(),
    _limit_spec(
        "ADP", "deferral", "§401(k)(3)", "The HCE ADP limit (a decimal: 0.05 is 5%)",
        [
            Example((0.03,), 0.05, note="§1.401(k)-2(b)(2)(viii) Example 1: NHCE 3%, limit 5%"),
            Example((0.0378,), 0.0578, note="§1.401(k)-2(a)(7) Example 2"),
            Example((0.12,), 0.15, note="1.25x binds above 8% (§1.401(k)-2(a)(7) Example 9)"),
            Example((3,), error="#NUM!", note="3 looks like a percent: pass 0.03"),
        ],
        ADP_CITATION),
    adp_test_spec(),
]
