"""Cost-of-living indexing of the IRS limits for projected years: one rule for the engine and the workbooks.

§415(d) family (§415(c), §402(g), the §414(v) catch-ups, §401(a)(17), the §414(q) HCE threshold and the
§414(v)(7)(A) Roth catch-up wage threshold), §415(d)(1) and (d)(3) with Treas. Reg. §1.415(d)-1::

    ratio   = ROUND(FLOOR(CPI-U Jul-Sep sum of year - 1 / base-quarter sum, 0.00001), 4)
              (truncated to 5 decimals, then rounded to 4: the IRS's published practice)
    limit   = base + FLOOR(MAX(0, base x ratio - base), step)      (§415(d)(4): rounded down to the step)

§1(f)(3) family (the §219(b)(5)(C) IRA limit, §219(b)(5)(B) IRA catch-up, §408A(c)(3) Roth IRA phase-out):
the ratio is the chained CPI-U average to August of year - 1 over the base year's; IRA amounts round the
increase down to the step like the §415(d) family, phase-out starts round to the nearest step.

Both families adjust only for increases: a projected limit is never below the prior year's
(``MAX(prior, limit)``). Future index values are the last known one grown at the assumed annual inflation::

    index(year) = last known index x (1 + inflation)^(year - last known year)

The age 60-63 catch-up (§414(v)(2)(E)(i), indexed under §414(v)(2)(C) from the July-September 2024 base)
is read two ways: A indexes only the $10,000 leg and keeps the greater of it and the frozen $11,250; B indexes
the $11,250 itself.

Each Python function has its formula text next to it (no leading ``=``); tests evaluate the text with
``formulas`` against the Python over many inputs.

>>> ratio = ratio_415d(971.824, 533.3)          # 2025Q3 CPI-U sum over the 2001Q3 base: §415(c) for 2026
>>> ratio, indexed_amount(40000, ratio, 1000)
(1.8223, 72000)
>>> indexed_amount_formula("40000", "$AO6", 1000)
'40000+FLOOR(MAX(0,40000*$AO6-40000),1000)'
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any


def exact_ratio_415d(current_index: float, base_index: float) -> Decimal:
    """The §415(d) ratio as an exact decimal: the quotient truncated to 5 decimals, then rounded to 4."""
    from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

    ratio = Decimal(repr(current_index)) / Decimal(repr(base_index))
    return ratio.quantize(Decimal("0.00001"), ROUND_DOWN).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def ratio_415d(current_index: float, base_index: float) -> float:
    """The §415(d) ratio of two CPI-U sums: truncated to 5 decimals, then rounded to 4.

    >>> ratio_415d(971.824, 533.3), ratio_415d(100.0, 100.0)
    (1.8223, 1.0)
    """
    return float(exact_ratio_415d(current_index, base_index))


def ratio_415d_formula(current_index: str, base_index: str) -> str:
    """:func:`ratio_415d` as spreadsheet text on two cells or names."""
    return f"ROUND(FLOOR({current_index}/{base_index},0.00001),4)"


def indexed_amount(base_amount: float, ratio: Any, step: int) -> Any:
    """The base amount plus its increase ``base x ratio - base`` rounded down to a multiple of ``step``; no
    change when the ratio is at most 1 (§415(d)(4), §1(f)(7)(A): adjustments only for increases).

    An exact ``Decimal`` ratio (:func:`exact_ratio_415d`) gives an exact whole-dollar result (the engine's
    §415(d) path); a float ratio computes in floats, as a spreadsheet does.

    >>> indexed_amount(15000, 1.5667, 500), indexed_amount(7000, 0.99, 500), indexed_amount(5000, 1.0999, 500)
    (23500, 7000, 5000)
    """
    if not isinstance(ratio, float):
        from decimal import Decimal

        increase = Decimal(base_amount) * ratio - Decimal(base_amount)
        if increase <= 0:
            return int(base_amount)
        return int(base_amount) + int(increase // step) * step
    increase = base_amount * ratio - base_amount
    steps = int(increase // step) if increase > 0 else 0
    return base_amount + steps * step


def indexed_amount_formula(base_amount: str, ratio: str, step: Any) -> str:
    """:func:`indexed_amount` as spreadsheet text (``base_amount`` a number or a cell written as text)."""
    return f"{base_amount}+FLOOR(MAX(0,{base_amount}*{ratio}-{base_amount}),{step})"


def catchup_60_63(base_amount: float, frozen_amount: float, ratio: Any, step: int, reading: str = "A") -> Any:
    """The §414(v)(2)(E)(i) amount after its first year: reading 'A' indexes the $10,000 leg and keeps the
    greater of it and the frozen amount; 'B' indexes the frozen amount ($11,250) itself.

    >>> catchup_60_63(10000, 11250, 1.1, 500, "A"), catchup_60_63(10000, 11250, 1.1, 500, "B")
    (11250, 12250)
    """
    if reading == "B":
        return indexed_amount(frozen_amount, ratio, step)
    return max(indexed_amount(base_amount, ratio, step), frozen_amount)


def catchup_60_63_formula(base_amount: str, frozen_amount: str, ratio: str, step: Any, reading: str) -> str:
    """:func:`catchup_60_63` as spreadsheet text; ``reading`` is the cell or name holding "A" or "B"."""
    reading_a = f"MAX({indexed_amount_formula(base_amount, ratio, step)},{frozen_amount})"
    reading_b = indexed_amount_formula(frozen_amount, ratio, step)
    return f'IF({reading}="B",{reading_b},{reading_a})'


def projected_index(last_known: float, inflation: float, years: float) -> float:
    """A future index value: the last known one grown at ``inflation`` for ``years`` years.

    >>> round(projected_index(971.824, 0.025, 2), 3)
    1021.023
    """
    return last_known * (1 + inflation) ** years


def projected_index_formula(last_known: str, inflation: str, years: str) -> str:
    """:func:`projected_index` as spreadsheet text."""
    return f"{last_known}*(1+{inflation})^({years})"


def not_below(prior: Any, value: Any) -> Any:
    """A projected limit never falls below the prior year's (§415(d)(1), §1(f)(3) adjust only for increases);
    a phase-out range ({group: {"start", "end"}}) is floored end by end.

    >>> not_below(23500, 23000), not_below({"single": {"start": 150000, "end": 165000}},
    ...                                      {"single": {"start": 151000, "end": 164000}})
    (23500, {'single': {'start': 151000, 'end': 165000}})
    """
    if isinstance(value, dict):
        return {g: {"start": max(value[g]["start"], prior[g]["start"]),
                    "end": max(value[g]["end"], prior[g]["end"])} for g in value}
    return max(value, prior)


def not_below_formula(prior: str, value: str) -> str:
    """:func:`not_below` as spreadsheet text for one amount."""
    return f"MAX({prior},{value})"


def nearest_step(amount: float, step: int) -> int:
    """``amount`` rounded to the nearest multiple of ``step``, halves up (§408A(c)(3)(D) phase-out starts).

    >>> nearest_step(153499.99, 1000), nearest_step(153500, 1000)
    (153000, 154000)
    """
    from decimal import ROUND_HALF_UP, Decimal

    return int(Decimal(amount / step).quantize(Decimal(1), ROUND_HALF_UP)) * step
