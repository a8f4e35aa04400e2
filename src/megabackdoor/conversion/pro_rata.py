"""The backdoor Roth IRA pro-rata rule: the taxable part of a traditional-to-Roth IRA conversion, line by
line on Form 8606.

Traditional-to-Roth IRA conversions are pro rata over *all* traditional, SEP and SIMPLE IRAs at 31 December
(§408(d)(2), Form 8606 lines 6-11 and 16-18).

Educational, not individual tax advice.
"""

from __future__ import annotations

from .. import validate
from .._record import Record
from ..rounding import cents


class ProRata(Record):
    """Form 8606 Part I lines 5-14 and Part II lines 16-18 for a traditional-to-Roth IRA conversion.

    ``line5`` basis; ``line6`` value of all traditional/SEP/SIMPLE IRAs on 31 December; ``line7``
    distributions (not converted); ``line8`` net amount converted; ``line9`` = 6 + 7 + 8; ``line10``
    nontaxable fraction = min(1, 5 / 9); ``line11`` basis in the conversion = 8 x 10; ``line12`` basis in the
    distributions = 7 x 10; ``line13`` = 11 + 12; ``line14`` basis carried to next year = 5 - 13;
    ``line16`` amount converted; ``line17`` basis converted (= line 11); ``line18`` taxable = 16 - 17;
    ``pre_tax_share`` = 1 - line 10 (how much a pre-tax IRA spoils the backdoor).
    """

    __slots__ = ("line5", "line6", "line7", "line8", "line9", "line10", "line11", "line12", "line13",
                 "line14", "line16", "line17", "line18", "pre_tax_share")


def backdoor_pro_rata_breakdown(amount_converted: float, basis: float, year_end_balance: float,
                                distributions: float = 0.0, ratio_decimals: int | None = None) -> ProRata:
    """:func:`backdoor_pro_rata` with every Form 8606 line (see :class:`ProRata`).

    >>> b = backdoor_pro_rata_breakdown(7000, 7000, 93000)
    >>> b.line9, b.line10, b.line11, b.line18, b.line14
    (100000.0, 0.07, 490.0, 6510.0, 6510.0)
    """
    converted = validate.money("amount_converted", amount_converted)
    basis = validate.money("basis", basis)
    balance = validate.money("year_end_balance", year_end_balance)
    other = validate.money("distributions", distributions)
    total = balance + other + converted
    if ratio_decimals is not None:
        ratio_decimals = validate.whole("ratio_decimals", ratio_decimals, 3, 15, "decimal places (Form 8606 "
                                        "line 10 asks for at least 3)")
    if total == 0:
        ratio = 1.0 if basis > 0 else 0.0
    else:
        ratio = min(1.0, basis / total)
        if ratio_decimals is not None:
            from ..rounding import excel_round

            ratio = excel_round(ratio, ratio_decimals)
    # Rounded to cents, but never more basis than the amount it is allocated to.
    line11 = min(converted, cents(converted * ratio))
    line12 = min(other, cents(other * ratio))
    line13 = cents(line11 + line12)
    return ProRata(basis, balance, other, converted, total, ratio, line11, line12, line13,
                   cents(max(0.0, basis - line13)), converted, line11, cents(converted - line11), 1.0 - ratio)


def backdoor_pro_rata(amount_converted: float, basis: float, year_end_balance: float,
                      distributions: float = 0.0, ratio_decimals: int | None = None) -> float:
    """Taxable part of a traditional-to-Roth IRA conversion under the pro-rata rule.

    Rule (§408(d)(2); §408(d)(1) with §72; Form 8606 lines 6-11 and 16-18): all traditional, SEP and SIMPLE
    IRAs are one contract, valued on 31 December of the conversion year, so the basis is spread over
    everything::

        line 9  = year_end_balance + distributions + amount_converted
        line 10 = min(1, basis / line 9)                (rounded to ``ratio_decimals`` if given; >= 3)
        taxable = amount_converted - amount_converted x line 10                           (line 18)

    A pre-tax IRA balance on 31 December spoils the regular backdoor Roth: with $93,000 of rollover money
    in a traditional IRA, 93% of a $7,000 backdoor conversion is taxable. Rolling the pre-tax IRA into a
    401(k) before 31 December removes it from line 6.

    Parameters
    ----------
    amount_converted : Form 8606 line 8 (net amount converted in the year), dollars.
    basis : total nondeductible basis, line 5 (prior basis + this year's nondeductible contributions,
        excluding contributions for this year made next year that you leave out of line 5), dollars.
    year_end_balance : line 6, all traditional/SEP/SIMPLE IRAs on 31 December after the conversion.
    distributions : line 7, other traditional IRA distributions in the year (not rolled over or converted).
    ratio_decimals : round line 10 to this many places (the form asks for at least 3); default unrounded.

    Examples
    --------
    >>> backdoor_pro_rata(7000, 7000, 0)          # clean backdoor: nothing taxable
    0.0
    >>> backdoor_pro_rata(7000, 7000, 93000)      # $93,000 pre-tax IRA: line 10 = 0.07
    6510.0
    >>> backdoor_pro_rata(7010, 7000, 0)          # $10 of interest before converting
    10.0
    """
    return backdoor_pro_rata_breakdown(amount_converted, basis, year_end_balance, distributions,
                                       ratio_decimals).line18
