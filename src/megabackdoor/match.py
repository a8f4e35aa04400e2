"""Employer matching contributions: one rule for the engine and for the workbooks' formulas.

A match schedule is a list of tiers (rate, up_to): ``rate`` of the deferrals that fall between the previous
tier's ``up_to`` and this one's, as shares of the pay the plan matches on (e.g. 100% of the first 3% of pay
plus 50% of the next 2%: ``((1.0, 0.03), (0.5, 0.05))``)::

    match = ROUND(sum over tiers of rate x MAX(0, MIN(deferral, up_to x pay) - from x pay), 2)

:func:`match_total` computes the sum in the order :func:`match_formula` writes it, so the engine and a
recalculated workbook agree to the cent; the caller rounds (``rounding.excel_round``, or whole cents on the
paycheck solver's hot path). Treas. Reg. §1.401(m)-1(a)(2) (matching contributions).

>>> tiers = bands(((1.0, 0.03), (0.5, 0.05)))
>>> match_total(24500, 150000, tiers)      # 4,500 + 50% of 3,000
6000.0
>>> match_formula("D2", "C2", 2)
'MatchRate1*MAX(0,MIN(D2,MatchUpTo1*C2)-0*C2)+MatchRate2*MAX(0,MIN(D2,MatchUpTo2*C2)-MatchUpTo1*C2)'
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


def bands(tiers: Iterable[tuple[float, float]]) -> tuple[tuple[float, float, float], ...]:
    """(rate, from, up_to) per tier from (rate, up_to) pairs: each tier starts where the one before ends.

    The pairs are taken as given (the scenario and paycheck inputs check them).
    """
    result, low = [], 0.0
    for rate, up_to in tiers:
        result.append((float(rate), low, float(up_to)))
        low = float(up_to)
    return tuple(result)


def match_total(deferral: float, pay: float, tier_bands: tuple[tuple[float, float, float], ...]) -> float:
    """The match before rounding: sum of rate x MAX(0, MIN(deferral, up_to x pay) - from x pay), tier by tier.

    >>> match_total(2000, 100000, bands(((1.0, 0.03), (0.5, 0.05))))   # all 2,000 in the first tier
    2000.0
    """
    return match_on_edges(deferral, pay_edges(pay, tier_bands))


def pay_edges(pay: float, tier_bands: tuple[tuple[float, float, float], ...]) -> tuple[tuple[float, float, float], ...]:
    """(rate, from x pay, up_to x pay) per tier: the tiers in dollars of one pay, for many deferrals on it."""
    return tuple((rate, low * pay, high * pay) for rate, low, high in tier_bands)


def match_on_edges(deferral: float, edges: tuple[tuple[float, float, float], ...]) -> float:
    """:func:`match_total` on tiers already in dollars (:func:`pay_edges`): the same floats in the same order.

    >>> match_on_edges(2000, pay_edges(100000, bands(((1.0, 0.03), (0.5, 0.05)))))
    2000.0
    """
    total = 0.0
    for rate, low, high in edges:
        part = (high if high < deferral else deferral) - low      # min(deferral, high) - low, without the call
        if part > 0:
            total += rate * part
    return total


def match_formula(deferral: str | None, pay: str, tier_count: int) -> str:
    """The same sum as spreadsheet text on the defined names MatchRate1.., MatchUpTo1.. (tiers 1..tier_count);
    ``deferral`` None gives the full match (deferrals without limit). Not rounded: wrap it in ROUND(..., 2).
    """
    parts = []
    for index in range(1, tier_count + 1):
        low = "0" if index == 1 else f"MatchUpTo{index - 1}"
        high = f"MatchUpTo{index}*{pay}"
        top = high if deferral is None else f"MIN({deferral},{high})"
        parts.append(f"MatchRate{index}*MAX(0,{top}-{low}*{pay})")
    return "+".join(parts)
