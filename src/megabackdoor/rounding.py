"""Rounding the way spreadsheets do, so the engine and the generated workbooks agree to the cent.

Excel and LibreOffice ROUND(x, n) round half away from zero on the value as shown to 15 significant
digits, so ROUND(16669.899999999994*0.05, 2) is 833.50 there, where Python's round() gives 833.49.
Use :func:`excel_round` wherever a workbook formula uses ROUND.
"""

from __future__ import annotations


def excel_round(value: float, digits: int = 2) -> float:
    """ROUND(value, digits) as Excel computes it.

    >>> excel_round(16669.899999999994 * 0.05, 2), round(16669.899999999994 * 0.05, 2)
    (833.5, 833.49)
    >>> excel_round(-2.5, 0), excel_round(1234.5678, -2)
    (-3.0, 1200.0)
    """
    if digits == 2 and (type(value) is float or type(value) is int) and -1e7 < value < 1e7:
        # To the cent: whole_cents' N cents (this rule without Decimal), and N / 100.0 is the float of the decimal
        # N/100 (both correctly rounded). Zero cents keep Decimal's sign (-0.001 gives -0.0).
        whole = whole_cents(value)
        if whole:
            return whole / 100.0
    from decimal import ROUND_HALF_UP, Decimal

    shown = Decimal(f"{value:.15g}")
    return float(shown.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def cents(value: float) -> float:
    """ROUND(value, 2) as a spreadsheet does (:func:`excel_round`), fast: plain float rounding, except near a
    half cent (within 1e-6 cent, and 1e-14 of the value in cents, which covers the float's error in value x 100
    and the spreadsheet's 15-digit view of large amounts), where the exact rule decides. Never returns -0.0.

    >>> cents(16669.899999999994 * 0.05), cents(2.675), cents(-0.001), cents(1234.5649999)
    (833.5, 2.68, 0.0, 1234.56)
    """
    scaled = value * 100.0
    if abs(abs(scaled) % 1.0 - 0.5) > 1e-6 + 1e-14 * abs(scaled):
        return round(scaled) / 100.0 + 0.0
    return excel_round(value, 2) + 0.0


def whole_cents(value: float) -> int:
    """ROUND(value, 2) in integer cents: the rule of :func:`cents` (and so of :func:`excel_round`), for code
    that sums money exactly in integer cents (the paycheck solver compares totals against limits to the
    cent, and adding float dollars would drift). ``whole_cents(v) == round(cents(v) * 100)`` for every v.

    >>> whole_cents(16669.899999999994 * 0.05), whole_cents(2.675), whole_cents(-0.001), whole_cents(-2.675)
    (83350, 268, 0, -268)
    """
    scaled = value * 100.0
    if -1e9 < scaled < 1e9:
        # Most amounts are far from a half cent: then ROUND is the nearest whole cent (round() ties no half
        # here). Below ten million dollars the tolerance below is under 1.1e-5 cent, inside this 1e-4.
        whole = round(scaled)
        if -0.4999 < scaled - whole < 0.4999:
            return whole
    if scaled < 0:
        return -whole_cents(-value)      # ROUND is symmetric: half a cent goes away from zero
    whole = int(scaled)
    rest = scaled - whole
    near = 1e-6 + 1e-14 * scaled
    if rest - 0.5 > near or 0.5 - rest > near:
        return whole + (rest > 0.5)
    if rest == 0.5 and scaled < 1e14:
        # An exact half cent (150% of an odd number of cents): the value shown to 15 digits is that half cent,
        # which ROUND takes up. The same answer as excel_round, without Decimal.
        return whole + 1
    if value < 1e12:
        # Within a millionth of a cent of a half (1.5 x 0.07 = 0.10500000000000001): ROUND half up on the value
        # shown to 15 digits, as excel_round does with Decimal, on the digits themselves (5x faster). Below
        # 1e14 cents, round(float(those cents / 100) * 100) is those cents again (its error is under 0.03).
        shown = f"{value:.15g}"
        if "e" not in shown:
            units, _, fraction = shown.partition(".")
            fraction += "000"
            return int(units) * 100 + int(fraction[:2]) + (fraction[2] >= "5")
    return round(excel_round(value, 2) * 100)


def excel_floor(value: float, step: float) -> float:
    """FLOOR(value, step) for positive step: round down to a multiple of ``step`` (15-digit view first).

    >>> excel_floor(72892.0, 1000), excel_floor(8227.4999999, 500)
    (72000.0, 8000.0)
    """
    from decimal import ROUND_FLOOR, Decimal

    shown = Decimal(f"{value:.15g}")
    multiple = (shown / Decimal(repr(step))).to_integral_value(rounding=ROUND_FLOOR)
    return float(multiple * Decimal(repr(step)))
