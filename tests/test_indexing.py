"""§415(d) / §1(f)(3) indexing (megabackdoor.indexing): hand values, and each formula text against its Python
evaluated by ``formulas`` on a one-cell sheet, so a drift between the engine and the Limits sheets fails here.

Hand values: the IRS's published limits recomputed from the BLS CPI-U July-September sums in data/limits.json
(§415(c) for 2026: 40,000 x ROUND(FLOOR(971.824 / 533.3, 0.00001), 4) = 40,000 x 1.8223 = 72,892 -> 72,000;
§402(g) for 2025: 15,000 x 944.637 / 590.6 -> ratio 1.5995, 23,992.5 -> 23,500).
"""

from __future__ import annotations

import pytest
from _onecell import evaluate
from _seeds import rng, scaled
from hypothesis import given, settings
from hypothesis import strategies as st

from megabackdoor import indexing, limits

Q3 = limits.load()["indexes"]["cpi_u_q3_sum"]
STEPS = (50, 500, 1000, 5000)


@pytest.mark.parametrize(("name", "year", "base_period", "published"), [
    ("415c", 2026, "2001Q3", 72000), ("402g", 2025, "2005Q3", 23500), ("402g", 2026, "2005Q3", 24500),
    ("catchup_50", 2026, "2005Q3", 8000), ("401a17", 2026, "2001Q3", 360000), ("hce", 2025, "1996Q3", 160000)])
def test_published_limits_recomputed_by_hand(name, year, base_period, published):
    rule = limits.limit_record(name)["indexing"]
    ratio = indexing.ratio_415d(Q3[f"{year - 1}Q3"], Q3[base_period])
    assert indexing.indexed_amount(rule["base_amount"], ratio, rule["step"]) == published
    exact = indexing.exact_ratio_415d(Q3[f"{year - 1}Q3"], Q3[base_period])
    assert indexing.indexed_amount(rule["base_amount"], exact, rule["step"]) == published
    assert limits.statutory_value(name, year) == published


def test_ratio_truncates_to_5_decimals_then_rounds_to_4():
    assert indexing.ratio_415d(971.824, 533.3) == 1.8223        # 1.822283... -> 1.82228 -> 1.8223
    assert indexing.ratio_415d(1.000049999, 1.0) == 1.0         # truncated to 1.00004, then 1.0000
    assert indexing.ratio_415d(1.00005, 1.0) == 1.0001          # 1.00005 -> 1.0001 (half up)


def test_the_60_63_catch_up_readings():
    # Reading A: the indexed $10,000 leg or the frozen $11,250, whichever is greater; B indexes $11,250.
    assert indexing.catchup_60_63(10000, 11250, 1.12, 500, "A") == 11250     # 11,200 -> 11,000 < 11,250
    assert indexing.catchup_60_63(10000, 11250, 1.2, 500, "A") == 12000
    assert indexing.catchup_60_63(10000, 11250, 1.12, 500, "B") == 12250     # 12,600: +1,350 -> +1,000


def test_limits_never_fall():
    assert indexing.not_below(24500, 24000) == 24500 and indexing.not_below(24500, 25000) == 25000


def cpi_sum():
    return st.integers(100_000, 3_000_000).map(lambda thousandths: thousandths / 1000)


@settings(max_examples=scaled(300), deadline=None)
@given(base_period=st.sampled_from(["1996Q3", "2001Q3", "2005Q3", "2023Q3", "2024Q3"]),
       inflation=st.integers(-500, 1500).map(lambda k: k / 10000), years=st.integers(1, 60))
def test_ratio_formula_text_equals_the_python_on_projected_sums(base_period, inflation, years):
    # What the Limits sheet computes: the last known sum grown at the Inflation input, over a base quarter.
    current = indexing.projected_index(Q3[Q3["last_known"]], inflation, years)
    text = indexing.ratio_415d_formula("current", "base")
    assert evaluate(text, current=current, base=Q3[base_period]) == indexing.ratio_415d(current, Q3[base_period])


@settings(max_examples=scaled(300), deadline=None)
@given(current=cpi_sum(), base=cpi_sum())
def test_ratio_formula_text_equals_the_python_on_published_style_sums(current, base):
    # Sums to the thousandth, as BLS publishes them. Where the exact quotient lies on a 5-decimal boundary
    # (102.755 / 100 = 1.02755) its binary value can sit a hair below, and formulas' FLOOR, which has no
    # tolerance (LibreOffice and Excel floor within ~15 significant digits), truncates one step lower; the
    # engine's exact decimal is the §415(d) ratio. Published years are values on the sheet, not formulas.
    from decimal import Decimal

    text = indexing.ratio_415d_formula("current", "base")
    on_boundary = (Decimal(repr(current)) / Decimal(repr(base)) * 100000) % 1 == 0
    if not on_boundary:
        assert evaluate(text, current=current, base=base) == indexing.ratio_415d(current, base)


@settings(max_examples=scaled(300), deadline=None)
@given(base=st.integers(0, 500).map(lambda k: k * 250), ratio=st.integers(5000, 40000).map(lambda k: k / 10000),
       step=st.sampled_from(STEPS))
def test_indexed_amount_formula_text_equals_the_python(base, ratio, step):
    text = indexing.indexed_amount_formula("base", "ratio", "step")
    sheet = evaluate(text, base=base, ratio=ratio, step=step)
    assert sheet == indexing.indexed_amount(base, ratio, step)
    # The engine's exact decimal path gives the same dollars for every 4-decimal ratio (what ratio_415d gives).
    assert sheet == indexing.indexed_amount(base, indexing.exact_ratio_415d(ratio, 1.0), step)


@settings(max_examples=scaled(200), deadline=None)
@given(ratio=st.integers(9000, 30000).map(lambda k: k / 10000), reading=st.sampled_from("AB"))
def test_catchup_60_63_formula_text_equals_the_python(ratio, reading):
    text = indexing.catchup_60_63_formula("10000", "11250", "ratio", 500, "reading")
    function_inputs = {"ratio": ratio, "reading": reading}
    assert evaluate(text, **function_inputs) == indexing.catchup_60_63(10000, 11250, ratio, 500, reading)


def test_projection_and_floor_formula_text_on_a_seeded_grid():
    draw = rng("indexing-grid")
    grow = indexing.projected_index_formula("last", "inflation", "years")
    floor = indexing.not_below_formula("prior", "value")
    for _ in range(200):
        last, inflation, years = draw.uniform(100, 3000), round(draw.uniform(-0.05, 0.15), 4), draw.randint(0, 60)
        assert evaluate(grow, last=last, inflation=inflation, years=years) == pytest.approx(
            indexing.projected_index(last, inflation, years), rel=1e-13)
        prior, value = draw.randint(0, 400) * 500, draw.randint(0, 400) * 500
        assert evaluate(floor, prior=prior, value=value) == indexing.not_below(prior, value)


def test_the_limits_sheets_take_their_formula_text_from_the_rule():
    from megabackdoor.scenario import default_scenario
    from megabackdoor.workbook import limits_sheet, plan

    book = plan.build()
    sheet = next(sheet for sheet in book.sheets if sheet.title == limits_sheet.LIMITS)
    r = limits_sheet.LIMITS_FIRST_ROW + 1 + limits.LAST_PUBLISHED_YEAR - limits_sheet.limits_years(
        default_scenario())[0]                                          # the first projected year
    assert sheet.cells[f"B{r}"].value == "projected"
    rule = limits.limit_record("415c")["indexing"]
    column = limits_sheet.RATIO_COLUMNS[rule["base_period"]]
    assert sheet.cells[f"{column}{r}"].value == "=" + indexing.ratio_415d_formula(f"$C{r}", "CPI_Q3_2001")
    assert sheet.cells[f"D{r}"].value == "=" + indexing.not_below_formula(
        f"D{r - 1}", indexing.indexed_amount_formula("40000", f"${column}{r}", 1000))
    catchup = limits.limit_record("catchup_60_63")["indexing"]
    assert sheet.cells[f"G{r}"].value == "=" + indexing.not_below_formula(f"G{r - 1}", indexing.catchup_60_63_formula(
        f"{catchup['base_amount']:g}", f"{catchup['frozen_amount']}",
        f"${limits_sheet.RATIO_COLUMNS[catchup['base_period']]}{r}", catchup["step"], "CatchupReading"))
    assert sheet.cells[f"C{r}"].value == "=" + indexing.projected_index_formula(
        "CPI_Q3_2025", "Inflation", f"A{r}-1-2025")
    # The federal brackets (§1(f)(3), §1(f)(7)) on the same sheet round their increase the same way.
    assert indexing.indexed_amount_formula("$AG$17", f"$AC{r}", "TaxStep") in sheet.cells[f"P{r}"].value
