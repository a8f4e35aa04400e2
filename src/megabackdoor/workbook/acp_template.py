"""The ACP census template: paste census rows, and native formulas run the §401(m) ACP test.

The same rules as the engine (:mod:`megabackdoor.acp`), written with functions LibreOffice 7.4 and Excel both
have (MIN, MAX, IF, AND, OR, ROUND, INDEX/MATCH, SUMIF(S), COUNTIF(S), SUMPRODUCT; no XLOOKUP, LET or dynamic
arrays) and defined names:

* HCE: 5% owner, or lookback pay above the threshold published for the plan year - 1 (optionally only in the
  top-paid 20%: rank = employees paid more + earlier rows paid the same, as the engine's census order);
* ratio = ROUND((match + after-tax) / MIN(pay, §401(a)(17)), 4), 0 with no pay;
* group averages are rounded to whole 0.01% units (the nearest hundredth of a percentage point, Treas. Reg.
  §1.401(m)-2(a)(2)(i)) and the limit is computed from the rounded NHCE figure; the verdict compares whole
  units (integers), as the engine's exact fractions do; leveling targets the highest whole unit not above the
  limit;
* leveling percentages: the level L is the largest of the per-row candidates
  (limit x HCEs - sum of HCE ratios below the row) / (HCEs at or above the row), which is the exact level
  (every candidate is at most L, and the candidate of the lowest leveled HCE equals it); leveling dollars the
  same way on contribution dollars;
* refunds: each HCE's contributions above the dollar level, rounded to the whole cent per person, half up, as
  the engine does (``acp.level_dollars``): HCEs cut together end at the same amount, and the refunds add up to
  the total excess give or take half a cent per HCE;
* refund sources: unmatched after-tax money first, then matched after-tax money with its match (the row's rate,
  ``MatchedOn`` after_tax/both: r + rate x r = refund, r rounded to the cent), then the rest of the match; the
  unvested share (``MatchVested``) of a refunded match is forfeited and earnings are on what is paid;
* QNECs (``QnecInAcp``): an NHCE's counts up to ROUND(pay x MAX(5%, 2 x the representative contribution rate), 2),
  that rate the LARGE(..., ROUNDUP(n/2)) of the eligible NHCEs' (counted match + QNEC) / pay; or in the ADP
  (``QnecInAdp``, one test only) with the same cap on the NHCEs' QNEC / pay (Treas. Reg. §1.401(k)-2(a)(6)(iv));
* match tiers (``MatchRate1..3``/``MatchUpTo1..3``, :func:`megabackdoor.match.match_formula`): the match on
  distributed deferrals and on refunded matched after-tax dollars is the match on the last dollars, tier by
  tier; when the rates differ the representative matching rate is each NHCE's at deferrals of 6% of pay;
* what-if: the ACP at a uniform HCE after-tax rate (capped by §415(c) room) typed into an input cell.

``build(rows=...)`` lays the workbook out as plain data (:mod:`megabackdoor.workbook.layout`) for the shared
renderer; ``write(path)`` saves it atomically. The stock copy is ``workbook_templates/acp-census.xlsx``
(``python -m megabackdoor.workbook.acp_template --force`` regenerates it). Educational, not individual tax advice.
"""

from __future__ import annotations

import os
import sys

from .. import DISCLAIMER
from ..catchup import catchup_formula
from .layout import Book, ConditionalFormat, Formula, PageSetup, Sheet, Validation
from .limits_sheet import limit_columns, limits_table

DEFAULT_ROWS = 1000
MATCH_TIERS = 3  # tier slots on the Test sheet (MatchRate1.., MatchUpTo1..)
TEMPLATE_PATH = os.path.join("workbook_templates", "acp-census.xlsx")
LIMIT_YEARS = range(2014, 2036)
LIMIT_NAMES = ("hce", "401a17", "415c", "402g", "catchup_50", "catchup_60_63")
CENSUS = "Census"
ADP = "ADP"
INPUT_COLUMNS = (  # column, field, header, style, width
    ("A", "id", "Employee ID", "mb_input_text", 14),
    ("B", "compensation", "Compensation (§414(s))", "mb_input_money", 16),
    ("C", "prior_compensation", "Prior-year compensation", "mb_input_money", 16),
    ("D", "owner_5pct", "5% owner (Y/N)", "mb_input_text", 10),
    ("E", "eligible", "Eligible (Y/N)", "mb_input_text", 10),
    ("F", "match", "Matching contributions", "mb_input_money", 14),
    ("G", "after_tax", "After-tax contributions", "mb_input_money", 14),
    ("H", "deferrals", "Elective deferrals (optional)", "mb_input_money", 14),
)
CALC_COLUMNS = (  # column, header, style, width
    ("I", "HCE (1/0)", "mb_int", 8), ("J", "group", "mb_cell_text", 8),
    ("K", "tested pay (≤ §401(a)(17))", "mb_money", 16), ("L", "ACP contributions", "mb_money", 14),
    ("M", "ratio (ACR)", "mb_percent", 10), ("N", "leveling candidate", "mb_percent", 11),
    ("O", "ratio after leveling", "mb_percent", 11), ("P", "excess (leveling %)", "mb_money", 13),
    ("Q", "dollar-leveling candidate", "mb_money", 14), ("R", "refund", "mb_money", 13),
    ("S", "allocable earnings", "mb_money", 12), ("T", "what-if ratio", "mb_percent", 10),
    ("U", "pay rank (top-paid)", "mb_int", 9),
)


def _representative_rate(column: str) -> Formula:
    """The representative rate of Treas. Reg. §1.401(m)-2(a)(5)(ii)(B) and (a)(6)(v)(B), §1.401(k)-2(a)(6)(iv):
    the lowest rate in the top half of ``column`` (the census rows' rates, blanks for those not counted), as
    acp._kth_highest takes it; 0 when no row has one."""
    return Formula(f"=IF(COUNT({column})=0,0,LARGE({column},ROUNDUP(COUNT({column})/2,0)))")


def _flag(cell: str) -> str:
    # Y/N, yes/no, TRUE/FALSE (typed or boolean) or 1/0, the same words the census reader accepts.
    text = f'UPPER(TRIM({cell}&""))'
    return f'OR({cell}=TRUE,{cell}=1,{text}="Y",{text}="YES",{text}="TRUE",{text}="X")'


def build(rows: int = DEFAULT_ROWS, plan_year: int = 2026) -> Book:
    """The template as a :class:`~megabackdoor.workbook.layout.Book` with ``rows`` census rows.

    >>> book = build(rows=3)
    >>> [sheet.title for sheet in book.sheets], book.defined_names()["Result"]
    (['Test', 'Census', 'ADP', 'Limits', 'Notes'], "'Test'!$B$30")
    >>> book.sheets[1].cells["M2"].value
    '=IF(J2="","",IF(K2>0,ROUND(L2/K2,4),0))'
    """
    last = rows + 1
    inputs = Sheet("Test", column_widths={"A": 46, "B": 18, "C": 70}, freeze="A4", tab_color="1F4E78")
    census = Sheet(CENSUS, freeze="B2", column_widths={c[0]: c[4] for c in INPUT_COLUMNS},
                   page=PageSetup(columns="A:U", grow_with="A"))  # prints the pasted rows, not 1,000 empty ones
    table = limits_table(LIMIT_YEARS[0], LIMIT_YEARS[-1], limit_columns(LIMIT_NAMES))
    limits = table.sheet
    notes = Sheet("Notes", column_widths={"A": 120})
    # prints its results (A:B); the row-by-row table beside them is the working behind them
    adp = Sheet(ADP, column_widths={"A": 50, "B": 16, "C": 4}, freeze="D2", tab_color="375623",
                page=PageSetup(columns="A:B"))
    book = Book([inputs, census, adp, limits, notes], title="ACP test census template",
                subject="IRC §401(m) ACP nondiscrimination test", description=DISCLAIMER,
                keywords="ACP, 401(m), HCE, mega-backdoor Roth", range_names=table.names)

    def col(letter: str) -> str:
        return f"'{CENSUS}'!${letter}$2:${letter}${last}"

    # --- Test sheet: inputs -------------------------------------------------------------------------------
    t = inputs.put
    t("A1", "ACP test (IRC §401(m)) on a pasted census", style="mb_title")
    t("A2", DISCLAIMER, style="mb_disclaimer")
    t("A3", f"Paste census rows on the '{CENSUS}' sheet (up to {rows}); yellow cells are inputs.", style="mb_note")
    t("A5", "Inputs", style="mb_heading")
    t("A6", "plan year (calendar)", style="mb_label")
    t("B6", plan_year, style="mb_input_int", name="PlanYear",
      validation=Validation("whole", minimum=2015, maximum=2035, prompt="Calendar plan year, 2015-2035"))
    t("A7", "testing method", style="mb_label")
    t("B7", "current", style="mb_input_text", name="Testing",
      validation=Validation("list", options=("current", "prior")))
    t("C7", "prior-year testing compares with last year's NHCE ACP (B8)", style="mb_note")
    t("A8", "prior-year NHCE ACP (prior testing only; 3% in a first plan year)", style="mb_label")
    t("B8", 0.03, style="mb_input_percent", name="PriorNhceAcp",
      validation=Validation("decimal", minimum=0, maximum=1))
    t("A9", "top-paid-group election (§414(q)(1)(B)(ii))", style="mb_label")
    t("B9", "N", style="mb_input_text", name="TopPaidGroup", validation=Validation("list", options=("Y", "N")))
    t("A10", "allocable earnings rate on refunds", style="mb_label")
    t("B10", 0.0, style="mb_input_percent", name="EarningsRate",
      validation=Validation("decimal", minimum=-0.99, maximum=1))
    t("A11", "what-if: uniform after-tax rate every HCE elects", style="mb_label")
    t("B11", 0.05, style="mb_input_percent", name="WhatIfRate", validation=Validation("decimal", minimum=0,
                                                                                      maximum=1))
    t("A13", "Limits used", style="mb_heading")
    lookup = "INDEX({c},MATCH({y},LimYear,0))"  # the shared Limits sheet's columns (limits_sheet.py)
    n = 1 + len(LIMIT_YEARS)
    t("A14", "HCE pay threshold for the lookback year (plan year - 1)", style="mb_label")
    t("B14", Formula("=" + lookup.format(c="LimHce", y="PlanYear-1")), style="mb_money_whole", name="HceThreshold")
    t("C14", "IRC §414(q)(1)(B): pay in the lookback year above the threshold published for that year",
      style="mb_note")
    t("A15", "§401(a)(17) compensation limit (plan year)", style="mb_label")
    t("B15", Formula("=" + lookup.format(c="Lim401a17", y="PlanYear")), style="mb_money_whole", name="CompLimit")
    t("A16", "§415(c) limit (plan year)", style="mb_label")
    t("B16", Formula("=" + lookup.format(c="Lim415c", y="PlanYear")), style="mb_money_whole", name="Limit415c")
    t("A17", "§402(g) limit (plan year)", style="mb_label")
    t("B17", Formula("=" + lookup.format(c="Lim402g", y="PlanYear")), style="mb_money_whole", name="Limit402g")
    t("A18", "status of the plan-year limits", style="mb_label")
    t("B18", Formula("=" + lookup.format(c="LimStatus", y="PlanYear")), style="mb_label", name="LimitStatus")
    t("A19", "employees in the top-paid group (20%, rounded)", style="mb_label")
    t("B19", Formula(f"=ROUND(0.2*COUNTA({col('A')}),0)"), style="mb_int", name="TpgCount")

    # --- Test sheet: results ------------------------------------------------------------------------------
    t("A21", "The test", style="mb_heading")
    t("A22", "eligible HCEs", style="mb_label")
    t("B22", Formula(f'=COUNTIF({col("J")},"HCE")'), style="mb_int", name="HceCount")
    t("A23", "eligible NHCEs", style="mb_label")
    t("B23", Formula(f'=COUNTIF({col("J")},"NHCE")'), style="mb_int", name="NhceCount")
    t("A24", "HCE ratios, sum in 0.01% units", style="mb_label")
    t("B24", Formula(f'=ROUND(SUMIF({col("J")},"HCE",{col("M")})*10000,0)'), style="mb_int", name="HceUnits")
    t("A25", "NHCE ACP, sum in 0.01% units over the count used", style="mb_label")
    t("B25", Formula(f'=IF(Testing="prior",PriorNhceAcp*10000,ROUND(SUMIF({col("J")},"NHCE",{col("M")})*10000,0))'),
      style="mb_int", name="NhceUnits")
    t("B26", Formula('=IF(Testing="prior",1,NhceCount)'), style="mb_int", name="NhceDivisor")
    t("A26", "NHCE count used (1 under prior-year testing)", style="mb_label")
    t("A27", "HCE ACP", style="mb_label")
    t("B27", Formula('=IF(HceCount=0,"",ROUND(HceUnits/HceCount,0)/10000)'), style="mb_percent", name="HceAcp")
    t("A28", "NHCE ACP", style="mb_label")
    t("B28", Formula('=IF(NhceDivisor=0,"",ROUND(NhceUnits/NhceDivisor,0)/10000)'), style="mb_percent",
      name="NhceAcp")
    t("C27", "group averages to the nearest hundredth of a percentage point (Treas. Reg. §1.401(m)-2(a)(2)(i))",
      style="mb_note")
    t("A29", "limit: max(1.25x, min(2x, +2 points))", style="mb_label")
    t("B29", Formula('=IF(NhceAcp="","",MAX(1.25*NhceAcp,MIN(2*NhceAcp,NhceAcp+0.02)))'), style="mb_percent",
      name="AcpLimit")
    t("C29", "IRC §401(m)(2)(A); Treas. Reg. §1.401(m)-2(a)(1)(i); ratios to 0.01% (§1.401(m)-2(a)(2)(i))",
      style="mb_note")
    # Exact comparison in whole 0.01% units of the rounded averages: H <= max(1.25 N, min(2 N, N + 200)).
    nhce_avg = "ROUND(NhceUnits/NhceDivisor,0)"

    def passing(hce_units: str) -> str:
        hce_avg = f"ROUND({hce_units}/HceCount,0)"
        return f"OR(4*{hce_avg}<=5*{nhce_avg},AND({hce_avg}<=2*{nhce_avg},{hce_avg}<={nhce_avg}+200))"

    passes = passing("HceUnits")
    t("A30", "result", style="mb_label")
    t("B30", Formula(f'=IF(OR(HceCount=0,NhceDivisor=0),"no test",IF({passes},"PASS","FAIL"))'), style="mb_label",
      name="Result")
    t("C30", "no test: the census needs eligible HCEs and (current-year testing) eligible NHCEs", style="mb_note")
    t("A31", "margin (limit - HCE ACP)", style="mb_label")
    t("B31", Formula('=IF(OR(AcpLimit="",HceAcp=""),"",AcpLimit-HceAcp)'), style="mb_percent", name="Margin")
    t("A32", "leveling target: the highest whole 0.01% not above the limit", style="mb_label")
    t("B32", Formula(f"=IF(NhceDivisor=0,\"\",FLOOR(MAX(1.25*{nhce_avg},MIN(2*{nhce_avg},{nhce_avg}+200)),1)/10000)"),
      style="mb_percent", name="LevelTarget")

    t("A33", "Correction (on FAIL)", style="mb_heading")
    t("A34", "HCE ratios leveled down to", style="mb_label")
    t("B34", Formula(f'=IF(Result="FAIL",MAX({col("N")}),"")'), style="mb_percent", name="LevelRatio")
    t("C34", "leveling percentages: Treas. Reg. §1.401(m)-2(b)(2)", style="mb_note")
    t("A35", "total excess aggregate contributions", style="mb_label")
    t("B35", Formula(f'=IF(Result="FAIL",ROUND(SUM({col("P")}),2),0)'), style="mb_money", name="TotalExcess")
    t("A36", "contributions leveled down to (dollars)", style="mb_label")
    t("B36", Formula(f'=IF(Result="FAIL",MAX({col("Q")}),"")'), style="mb_money", name="DollarLevel")
    t("C36", "leveling dollars: IRC §401(m)(6)(C)", style="mb_note")
    t("A37", "refunds (sum of the rows)", style="mb_label")
    t("B37", Formula(f'=SUM({col("R")})'), style="mb_money", name="RefundTotal")
    t("A38", "allocable earnings", style="mb_label")
    t("B38", Formula(f'=SUM({col("S")})'), style="mb_money", name="EarningsTotal")
    t("A39", "distribute by (avoids the 10% excise tax, §4979)", style="mb_label")
    t("B39", Formula('=IF(Result="FAIL",DATE(PlanYear+1,3,15),"")'), style="mb_label", number_format="yyyy-mm-dd",
      name="ExciseDeadline")
    t("C39", "2½ months after a calendar plan year (6 months, 30 June, for an EACA)", style="mb_note")
    t("A40", "distribute by (keeps the plan qualified, §401(m)(6)(A))", style="mb_label")
    t("B40", Formula('=IF(Result="FAIL",DATE(PlanYear+1,12,31),"")'), style="mb_label", number_format="yyyy-mm-dd",
      name="CorrectionDeadline")

    t("A42", "What-if", style="mb_heading")
    t("A43", "HCE ACP if every HCE elects the rate in B11 (match kept, §415(c) room caps)", style="mb_label")
    what_units = f'ROUND(SUMIF({col("J")},"HCE",{col("T")})*10000,0)'
    t("B43", Formula(f'=IF(HceCount=0,"",ROUND({what_units}/HceCount,0)/10000)'),
      style="mb_percent", name="WhatIfHceAcp")
    what_passes = passing(what_units)
    t("A44", "result at that rate", style="mb_label")
    t("B44", Formula(f'=IF(OR(HceCount=0,NhceDivisor=0),"no test",IF({what_passes},"PASS","FAIL"))'),
      style="mb_label", name="WhatIfResult")
    t("A46", "Refunds by source (matched after-tax money)", style="mb_heading")
    t("A47", "the match is on (deferrals / after_tax / both)", style="mb_label")
    t("B47", "deferrals", style="mb_input_text", name="MatchedOn",
      validation=Validation("list", options=("deferrals", "after_tax", "both")))
    t("C47", "after_tax or both: after-tax contributions are matched, and a refunded matched dollar takes its "
             "match with it (Treas. Reg. §1.401(m)-2(b)(3)(v)(B), (b)(5) Examples 2 and 6)", style="mb_note")
    t("A48", "vested share of the match (the rest of a refunded match is forfeited)", style="mb_label")
    t("B48", 1.0, style="mb_input_percent", name="MatchVested", validation=Validation("decimal", minimum=0,
                                                                                       maximum=1))
    t("C48", "unvested match on refunded contributions is forfeited, not paid (§1.401(m)-2(b)(5) Example 7)",
      style="mb_note")
    for row, (label, letter, name) in enumerate((
            ("refunded: after-tax contributions", "W", "RefundAfterTax"),
            ("refunded: match (with the matched after-tax money, then any other match)", "X", "RefundMatch"),
            ("match forfeited (unvested share of the refunded match)", "Y", "MatchForfeited")), start=49):
        t(f"A{row}", label, style="mb_label")
        t(f"B{row}", Formula(f"=SUM({col(letter)})"), style="mb_money", name=name)
    t("A52", "paid out (refunds less forfeited match, plus earnings)", style="mb_label")
    t("B52", Formula("=RefundTotal-MatchForfeited+EarningsTotal"), style="mb_money", name="PaidOut")
    t("A54", "QNECs (Census column AA) count in the ACP (Y/N)", style="mb_label")
    t("B54", "N", style="mb_input_text", name="QnecInAcp", validation=Validation("list", options=("Y", "N")))
    t("C54", "an NHCE's QNEC counts only up to pay x max(5%, 2 x the representative contribution rate) "
             "(Treas. Reg. §1.401(m)-2(a)(6)(v))", style="mb_note")
    t("A55", "representative contribution rate (NHCEs' (match + QNEC) / pay)", style="mb_label")
    t("B55", _representative_rate(col("AB")),
      style="mb_percent", name="RepContributionRate")
    t("A56", "QNECs counted in the ACP", style="mb_label")
    t("B56", Formula(f'=SUM({col("AC")})'), style="mb_money", name="QnecCounted")
    t("A58", f"Match formula (optional, as the CLI's --match-tier RATE:UP_TO; up to {MATCH_TIERS} tiers)",
      style="mb_heading")
    for index in range(1, MATCH_TIERS + 1):
        row = 57 + 2 * index
        t(f"A{row}", f"tier {index}: match rate (blank: no tier)", style="mb_label")
        t(f"B{row}", None, style="mb_input_percent", name=f"MatchRate{index}",
          validation=Validation("decimal", minimum=0, maximum=10))
        t(f"A{row + 1}", f"tier {index}: on deferrals up to (share of pay)", style="mb_label")
        t(f"B{row + 1}", None, style="mb_input_percent", name=f"MatchUpTo{index}",
          validation=Validation("decimal", minimum=0, maximum=1))
    t("C59", "each tier matches the contributions between the previous tier's limit and its own (e.g. 100% up to "
             "3%, then 50% up to 5%); the match itself is the census column F", style="mb_note")
    rates = [f"B{57 + 2 * index}" for index in range(1, MATCH_TIERS + 1)]
    after_tiers = 59 + 2 * MATCH_TIERS
    t(f"A{after_tiers}", "tiers used", style="mb_label")
    t(f"B{after_tiers}", Formula(f"=COUNT({','.join(rates)})"), style="mb_int", name="MatchTierCount")
    t(f"A{after_tiers + 1}", "rates differ by level (1/0)", style="mb_label")
    differ = ",".join(f"AND(ISNUMBER({cell}),{cell}<>{rates[0]})" for cell in rates[1:])
    t(f"B{after_tiers + 1}", Formula(f"=IF(OR({differ}),1,0)"), style="mb_int", name="MatchTiered")
    t(f"C{after_tiers + 1}", "then the representative matching rate is each NHCE's at deferrals of 6% of pay "
                             "(Treas. Reg. §1.401(m)-2(a)(5)(ii)(C))", style="mb_note")
    inputs.conditional_formats.append(ConditionalFormat("B30", 'B30="FAIL"', fill="F8CBAD", bold=True))
    inputs.conditional_formats.append(ConditionalFormat("B30", 'B30="PASS"', fill="C6EFCE", bold=True))
    inputs.conditional_formats.append(ConditionalFormat("B44", 'B44="FAIL"', fill="F8CBAD", bold=True))
    inputs.conditional_formats.append(ConditionalFormat("B44", 'B44="PASS"', fill="C6EFCE", bold=True))

    # --- Census sheet ---------------------------------------------------------------------------------------
    c = census.put
    for letter, _, header, _, _ in INPUT_COLUMNS:
        c(f"{letter}1", header, style="mb_header")
    for letter, header, _, width in CALC_COLUMNS:
        c(f"{letter}1", header, style="mb_header")
        census.column_widths[letter] = width
    c("V1", "Age by 31 Dec (optional: catch-up)", style="mb_header")
    census.column_widths["V"] = 11
    for letter, header, width in (("W", "refund: after-tax", 13), ("X", "refund: match", 13),
                                  ("Y", "match forfeited (unvested)", 13)):
        c(f"{letter}1", header, style="mb_header")
        census.column_widths[letter] = width
    for letter, header, width in (("AA", "QNEC (optional)", 12), ("AB", "NHCE contribution rate (match + QNEC)", 11),
                                  ("AC", "QNEC counted in the ACP", 12), ("AE", "tiers: matched after-tax", 12),
                                  ("AF", "tiers: top matched dollar", 12), ("AG", "tiers: refund of matched money", 12),
                                  ("AH", "tiers: matched in the top tier", 11), ("AI", "tiers: in the middle tier", 11),
                                  ("AJ", "tiers: in the first tier", 11)):
        c(f"{letter}1", header, style="mb_header")
        census.column_widths[letter] = width
    c("AD1", "Paste census rows in columns A-H (ages in V, QNECs in AA) from row 2; columns I-U, W-Y and AB-AC "
      "compute. " + DISCLAIMER, style="mb_disclaimer")
    census.column_widths["AD"] = 90
    rng = {letter: col(letter) for letter in "ACJLM"}
    for r in range(2, last + 1):
        for letter, _, _, style, _ in INPUT_COLUMNS:
            c(f"{letter}{r}", None, style=style)
        blank = f'$A{r}=""'
        rank = f'COUNTIF({rng["C"]},">"&C{r})+COUNTIF($C$1:C{r - 1},C{r})'
        by_pay = f'AND(C{r}>HceThreshold,OR(TopPaidGroup<>"Y",U{r}<TpgCount))'
        c(f"I{r}", Formula(f'=IF({blank},"",IF(OR({_flag(f"D{r}")},{by_pay}),1,0))'), style="mb_int")
        c(f"J{r}", Formula(f'=IF({blank},"",IF({_flag(f"E{r}")},IF(I{r}=1,"HCE","NHCE"),""))'), style="mb_cell_text")
        c(f"K{r}", Formula(f'=IF({blank},"",MIN(B{r},CompLimit))'), style="mb_money")
        # ACP money: the match counted (after any ADP forfeiture and the disproportionate-match cap), after-tax,
        # and deferrals the ADP correction recharacterized as after-tax (columns of the ADP sheet)
        c(f"L{r}", Formula(f"=IF({blank},\"\",'{ADP}'!AA{r}+G{r}+'{ADP}'!U{r}+AC{r})"), style="mb_money")
        # QNECs (QnecInAcp): an NHCE's counts up to pay x max(5%, 2 x the representative contribution rate)
        c(f"AA{r}", None, style="mb_input_money")
        c(f"AB{r}", Formula(f'=IF(AND(J{r}="NHCE",QnecInAcp="Y"),IF(K{r}>0,(\'{ADP}\'!AA{r}+IF(AA{r}="",0,AA{r}))'
                            f'/K{r},0),"")'), style="mb_percent")
        c(f"AC{r}", Formula(f'=IF(OR(QnecInAcp<>"Y",AA{r}=""),0,IF(J{r}="NHCE",MIN(AA{r},'
                            f'ROUND(K{r}*MAX(0.05,2*RepContributionRate),2)),AA{r}))'), style="mb_money")
        c(f"M{r}", Formula(f'=IF(J{r}="","",IF(K{r}>0,ROUND(L{r}/K{r},4),0))'), style="mb_percent")
        c(f"N{r}", Formula(
            f'=IF(OR(J{r}<>"HCE",LevelTarget=""),"",(LevelTarget*HceCount-SUMIFS({rng["M"]},{rng["J"]},"HCE",{rng["M"]},"<"&M{r}))'
            f'/COUNTIFS({rng["J"]},"HCE",{rng["M"]},">="&M{r}))'), style="mb_percent")
        c(f"O{r}", Formula(f'=IF(J{r}="","",IF(AND(J{r}="HCE",Result="FAIL"),MIN(M{r},LevelRatio),M{r}))'),
          style="mb_percent")
        c(f"P{r}", Formula(f'=IF(AND(J{r}="HCE",Result="FAIL"),IF(M{r}>LevelRatio,MAX(0,L{r}-LevelRatio*K{r}),0),0)'),
          style="mb_money")
        c(f"Q{r}", Formula(
            f'=IF(OR(J{r}<>"HCE",Result<>"FAIL"),"",(SUMIFS({rng["L"]},{rng["J"]},"HCE",{rng["L"]},">="&L{r})'
            f'-TotalExcess)/COUNTIFS({rng["J"]},"HCE",{rng["L"]},">="&L{r}))'), style="mb_money")
        c(f"R{r}", Formula(f'=IF(AND(J{r}="HCE",Result="FAIL"),ROUND(MAX(0,L{r}-DollarLevel),2),0)'),
          style="mb_money")
        # Refund sources (acp.refund_sources without match tiers): unmatched after-tax money first; matched
        # after-tax money (MatchedOn after_tax/both) leaves with its match at the row's rate, match / matched
        # contributions, so r + rate x r = refund; then the rest of the match. Unvested match is forfeited.
        after_tax = f"(G{r}+'{ADP}'!U{r})"
        base = f"({after_tax}+IF(MatchedOn=\"both\",'{ADP}'!Y{r},0))"
        rate = f"IF({base}>0,'{ADP}'!AA{r}/{base},0)"
        # With match tiers (acp.refund_sources): after-tax money sits on top of the deferrals ('both') and only
        # what lies under the top tier's limit is matched; the unmatched rest goes first. Refunding r matched
        # dollars takes the match on the last r dollars, tier by tier from the top, so r + match(r) rises by
        # (1 + tier rate) per dollar: r is found segment by segment (AH-AJ: each tier's share of the matched
        # dollars), and never below refund - counted match (the match taken is at most the counted match).
        other = f"IF(MatchedOn=\"both\",'{ADP}'!Y{r},0)"
        top = f"MAX({','.join(f'MatchUpTo{i}' for i in range(1, MATCH_TIERS + 1))})*K{r}"
        c(f"AE{r}", Formula(f'=IF(OR(R{r}<=0,MatchTierCount=0,MatchedOn="deferrals"),0,'
                            f'MIN(MAX({top}-{other},0),{after_tax}))'), style="mb_money")
        c(f"AF{r}", Formula(f"=IF(AE{r}<=0,0,{other}+AE{r})"), style="mb_money")
        c(f"AG{r}", Formula(f"=R{r}-MIN(R{r},{after_tax}-AE{r})"), style="mb_money")
        segments = []
        for offset, index in enumerate(range(MATCH_TIERS, 0, -1)):
            low = "0" if index == 1 else f"MatchUpTo{index - 1}*K{r}"
            letter = ("AH", "AI", "AJ")[offset]
            c(f"{letter}{r}", Formula(f"=IF(AE{r}<=0,0,MAX(0,MIN(MatchUpTo{index}*K{r},AF{r})-{low}))"),
              style="mb_money")
            segments.append((letter, index))
        parts, before = [], ""
        for letter, index in segments:
            width = f"{letter}{r}*(1+MatchRate{index})"
            parts.append(f"MIN(MAX(AG{r}{before},0),{width})/(1+MatchRate{index})")
            before += f"-{width}"
        tiered = (f"ROUND(MIN(R{r},{after_tax}-AE{r})+MIN(AE{r},ROUND(MAX(AG{r}-'{ADP}'!AA{r},"
                  f"{'+'.join(parts)}),2)),2)")
        c(f"W{r}", Formula(
            f'=IF(R{r}<=0,0,IF(MatchedOn="deferrals",MIN(R{r},{after_tax}),IF(MatchTierCount>0,{tiered},'
            f'IF({after_tax}+{rate}*{after_tax}<=R{r},{after_tax},ROUND(R{r}/(1+{rate}),2)))))'), style="mb_money")
        c(f"X{r}", Formula(f"=IF(R{r}<=0,0,MIN('{ADP}'!AA{r},ROUND(R{r}-W{r},2)))"), style="mb_money")
        c(f"Y{r}", Formula(f"=ROUND(X{r}*(1-MatchVested),2)"), style="mb_money")
        c(f"S{r}", Formula(f"=ROUND((R{r}-Y{r})*EarningsRate,2)"), style="mb_money")
        room = f"MAX(0,Limit415c-MIN('{ADP}'!Y{r},Limit402g)-'{ADP}'!X{r})"
        other = f"('{ADP}'!AA{r}+'{ADP}'!U{r}+AC{r})"
        c(f"T{r}", Formula(
            f'=IF(J{r}="","",IF(J{r}="HCE",IF(K{r}>0,ROUND({other}/K{r}+MIN(WhatIfRate,{room}/K{r}),4),0),M{r}))'),
          style="mb_percent")
        c(f"V{r}", None, style="mb_input_int")
        c(f"U{r}", Formula(f'=IF({blank},"",{rank})'), style="mb_int")
    census.conditional_formats.append(ConditionalFormat(f"R2:R{last}", "R2>0", fill="F8CBAD"))

    _adp_sheet(adp, rows, n)

    # --- Limits and notes -----------------------------------------------------------------------------------
    limits.put(f"A{table.last_row + 2}", DISCLAIMER, style="mb_disclaimer")
    for index, text in enumerate(NOTES, start=1):
        notes.put(f"A{index}", text, style="mb_title" if index == 1 else "mb_disclaimer" if index == 2 else "mb_note")
    return book


def _adp_sheet(sheet: Sheet, rows: int, limit_rows: int) -> None:
    """The ADP test (§401(k)(3), Treas. Reg. §1.401(k)-2) and the corrected amounts the ACP test uses.

    Row r of the table (columns D-AA) is row r of the Census sheet. The same rules as
    :func:`megabackdoor.adp.run_adp` with the match on deferrals: ADR = ROUND(deferrals in the ADP / tested pay,
    4), catch-ups over §402(g) (50+) and an NHCE's excess deferrals left out; group averages rounded to
    0.01%; the excess by leveling ADRs, apportioned by leveling dollars; an HCE's share first reduced by §402(g)
    excess deferrals, then (50+) recharacterized as catch-up up to the unused catch-up, the rest distributed or
    recharacterized as after-tax; the match on distributed deferrals forfeited. Then the ACP inputs: the
    corrected match and deferrals, and the match counted under the disproportionate-match cap
    (§1.401(m)-2(a)(5)(ii): at most the greatest of 5% of pay, the deferrals and 2 x the representative matching
    rate x the deferrals).
    """
    from ..match import match_formula

    last = rows + 1
    a = sheet.put

    def col(letter: str) -> str:
        return f"'{ADP}'!${letter}$2:${letter}${last}"

    lookup = "INDEX({c},MATCH(PlanYear,LimYear,0))"  # the shared Limits sheet's columns (limits_sheet.py)
    a("A1", "ADP test (IRC §401(k)(3)) and the corrected amounts the ACP test uses", style="mb_title")
    a("A2", DISCLAIMER, style="mb_disclaimer")
    a("A3", "Inputs are yellow; the table from column D follows the Census sheet row by row.", style="mb_note")
    a("A5", "run the ADP test first, the ACP on its corrections (Y/N)", style="mb_label")
    a("B5", "Y", style="mb_input_text", name="AdpFirst", validation=Validation("list", options=("Y", "N")))
    a("A6", "ADP testing method", style="mb_label")
    a("B6", "current", style="mb_input_text", name="AdpTesting",
      validation=Validation("list", options=("current", "prior")))
    a("A7", "prior-year NHCE ADP (prior testing only; 3% in a first plan year)", style="mb_label")
    a("B7", 0.03, style="mb_input_percent", name="PriorNhceAdp", validation=Validation("decimal", minimum=0,
                                                                                        maximum=1))
    a("A8", "ADP safe harbor, §401(k)(12)/(13) (Y/N): no ADP test", style="mb_label")
    a("B8", "N", style="mb_input_text", name="AdpSafeHarbor", validation=Validation("list", options=("Y", "N")))
    a("A9", "excess contributions are (after catch-up)", style="mb_label")
    a("B9", "distribute", style="mb_input_text", name="AdpCorrection",
      validation=Validation("list", options=("distribute", "recharacterize")))
    a("A10", "HCEs 50+: excess recharacterized as catch-up first (Y/N)", style="mb_label")
    a("B10", "Y", style="mb_input_text", name="CatchUpFirst", validation=Validation("list", options=("Y", "N")))
    a("A11", "catch-up limit 50+ (plan year)", style="mb_label")
    a("B11", Formula("=" + lookup.format(c="LimCatchup50")), style="mb_money_whole", name="CatchUp50")
    a("A12", "catch-up limit ages 60-63 (plan year)", style="mb_label")
    # catchup.py's rule at age 61: the 60-63 amount from its first year, the 50+ amount before
    at_61 = catchup_formula("61", "PlanYear", lookup.format(c="LimCatchup50"), lookup.format(c="LimCatchup6063"))
    a("B12", Formula("=" + at_61), style="mb_money_whole", name="CatchUp6063")

    a("A14", "The ADP test", style="mb_heading")
    a("A15", "eligible HCEs", style="mb_label")
    group = col("E")
    a("B15", Formula(f'=COUNTIF({group},"HCE")'), style="mb_int", name="AdpHceCount")
    a("A16", "eligible NHCEs", style="mb_label")
    a("B16", Formula(f'=COUNTIF({group},"NHCE")'), style="mb_int", name="AdpNhceCount")
    a("A17", "HCE ADRs, sum in 0.01% units", style="mb_label")
    a("B17", Formula(f'=ROUND(SUMIF({group},"HCE",{col("M")})*10000,0)'), style="mb_int", name="AdpHceUnits")
    a("A18", "NHCE ADRs, sum in 0.01% units (prior testing: last year's ADP)", style="mb_label")
    a("B18", Formula(f'=IF(AdpTesting="prior",PriorNhceAdp*10000,ROUND(SUMIF({group},"NHCE",{col("M")})*10000,0))'),
      style="mb_int", name="AdpNhceUnits")
    a("A19", "NHCE count used (1 under prior-year testing)", style="mb_label")
    a("B19", Formula('=IF(AdpTesting="prior",1,AdpNhceCount)'), style="mb_int", name="AdpNhceDivisor")
    nhce = "ROUND(AdpNhceUnits/AdpNhceDivisor,0)"
    hce = "ROUND(AdpHceUnits/AdpHceCount,0)"
    a("A20", "HCE ADP (to the hundredth of a percentage point)", style="mb_label")
    a("B20", Formula(f'=IF(AdpHceCount=0,"",{hce}/10000)'), style="mb_percent", name="AdpHce")
    a("A21", "NHCE ADP (to the hundredth of a percentage point)", style="mb_label")
    a("B21", Formula(f'=IF(AdpNhceDivisor=0,"",{nhce}/10000)'), style="mb_percent", name="AdpNhce")
    a("A22", "limit: max(1.25x, min(2x, +2 points))", style="mb_label")
    a("B22", Formula('=IF(AdpNhce="","",MAX(1.25*AdpNhce,MIN(2*AdpNhce,AdpNhce+0.02)))'), style="mb_percent",
      name="AdpLimit")
    passes = f"OR(4*{hce}<=5*{nhce},AND({hce}<=2*{nhce},{hce}<={nhce}+200))"
    a("A23", "result", style="mb_label")
    a("B23", Formula(f'=IF(AdpFirst<>"Y","off",IF(AND(QnecInAdp="Y",QnecInAcp="Y"),"QNECs in one test only",'
                     f'IF(AdpSafeHarbor="Y","safe harbor",IF(OR(AdpHceCount=0,AdpNhceDivisor=0),"no test",'
                     f'IF({passes},"PASS","FAIL")))))'), style="mb_label",
      name="AdpResult")
    a("A24", "leveling target: the highest whole 0.01% not above the limit", style="mb_label")
    a("B24", Formula(f'=IF(AdpNhceDivisor=0,"",FLOOR(MAX(1.25*{nhce},MIN(2*{nhce},{nhce}+200)),1)/10000)'),
      style="mb_percent", name="AdpLevelTarget")
    a("A25", "HCE ADRs leveled down to", style="mb_label")
    a("B25", Formula(f'=IF(AdpResult="FAIL",MAX({col("N")}),"")'), style="mb_percent", name="AdpLevel")
    a("A26", "total excess contributions", style="mb_label")
    a("B26", Formula(f'=IF(AdpResult="FAIL",ROUND(SUM({col("O")}),2),0)'), style="mb_money", name="AdpTotalExcess")
    a("A27", "deferrals leveled down to (dollars)", style="mb_label")
    a("B27", Formula(f'=IF(AdpResult="FAIL",MAX({col("P")}),"")'), style="mb_money", name="AdpDollarLevel")
    for row, (label, letter, name) in enumerate((
            ("recharacterized as catch-up (stays in the plan)", "S", "AdpToCatchUp"),
            ("distributed", "T", "AdpDistributed"), ("recharacterized as after-tax (ACP-tested)", "U", "AdpToAfterTax"),
            ("match forfeited on distributed deferrals", "V", "AdpMatchForfeited"),
            ("allocable earnings on distributions", "W", "AdpEarnings")), start=28):
        a(f"A{row}", label, style="mb_label")
        a(f"B{row}", Formula(f"=SUM({col(letter)})"), style="mb_money", name=name)
    a("A33", "representative NHCE matching rate (§1.401(m)-2(a)(5)(ii)(B))", style="mb_label")
    a("B33", _representative_rate(col("Z")),
      style="mb_percent", name="RepMatchRate")
    a("A34", "QNECs (Census column AA) count in the ADP (Y/N)", style="mb_label")
    a("B34", "N", style="mb_input_text", name="QnecInAdp", validation=Validation("list", options=("Y", "N")))
    a("C34", "a QNEC counts in one test only (Treas. Reg. §1.401(k)-2(a)(6)(vi)): Y here and on the Test sheet "
             "(B54) is refused", style="mb_note")
    a("A35", "representative contribution rate (NHCEs' QNEC / pay, §1.401(k)-2(a)(6)(iv))", style="mb_label")
    a("B35", _representative_rate(col("AE")),
      style="mb_percent", name="AdpRepQnecRate")
    a("A36", "QNECs counted in the ADP (an NHCE's up to pay x max(5%, 2 x that rate))", style="mb_label")
    a("B36", Formula(f'=SUM({col("AF")})'), style="mb_money", name="AdpQnecCounted")
    sheet.conditional_formats.append(ConditionalFormat("B23", 'B23="FAIL"', fill="F8CBAD", bold=True))
    sheet.conditional_formats.append(ConditionalFormat("B23", 'B23="PASS"', fill="C6EFCE", bold=True))

    headers = (("D", "id", "mb_cell_text", 12), ("E", "group", "mb_cell_text", 8),
               ("F", "tested pay", "mb_money", 13), ("G", "deferrals", "mb_money", 12), ("H", "age", "mb_int", 6),
               ("I", "catch-up limit", "mb_money", 10), ("J", "catch-up over §402(g)", "mb_money", 11),
               ("K", "excess deferrals", "mb_money", 11), ("L", "deferrals in the ADP", "mb_money", 12),
               ("M", "ADR", "mb_percent", 9), ("N", "leveling candidate", "mb_percent", 10),
               ("O", "excess (leveling %)", "mb_money", 12), ("P", "dollar-leveling candidate", "mb_money", 13),
               ("Q", "ADP excess", "mb_money", 12), ("R", "from excess deferrals", "mb_money", 11),
               ("S", "to catch-up", "mb_money", 11), ("T", "distributed", "mb_money", 11),
               ("U", "to after-tax", "mb_money", 11), ("V", "match forfeited", "mb_money", 11),
               ("W", "earnings", "mb_money", 10), ("X", "match after ADP", "mb_money", 12),
               ("Y", "deferrals after ADP", "mb_money", 12), ("Z", "NHCE matching rate", "mb_percent", 10),
               ("AA", "match counted in the ACP", "mb_money", 13), ("AB", "HCE (1/0)", "mb_int", 8),
               ("AC", "matched contributions (ACP)", "mb_money", 12),
               ("AD", "matched contributions (ADP)", "mb_money", 12),
               ("AE", "NHCE QNEC rate (ADP)", "mb_percent", 10), ("AF", "QNEC counted in the ADP", "mb_money", 12),
               ("AG", "ADP contributions (deferrals + QNEC)", "mb_money", 13))
    for letter, title, _, width in headers:
        a(f"{letter}1", title, style="mb_header")
        sheet.column_widths[letter] = width
    styles_by_letter = {letter: style for letter, _, style, _ in headers}
    rng = {letter: col(letter) for letter in "ELM"}
    for r in range(2, last + 1):
        blank = f"'{CENSUS}'!$A{r}=\"\""
        # HCE status (AB) and eligibility from the census inputs, as on the Census sheet: this sheet reads no
        # Census formula, so the Census formulas that read it never wait on each other (LibreOffice's grouped
        # recalculation of two sheets reading each other's formula columns miscounts from ~100 rows)
        eligible, owner = _flag(f"'{CENSUS}'!E{r}"), _flag(f"'{CENSUS}'!D{r}")
        prior = f"'{CENSUS}'!C{r}"
        rank = f"COUNTIF('{CENSUS}'!$C$2:$C${last},\">\"&{prior})+COUNTIF('{CENSUS}'!$C$1:C{r - 1},{prior})"
        top_paid = f'OR(TopPaidGroup<>"Y",{rank}<TpgCount)'
        qnec = f"IF('{CENSUS}'!AA{r}=\"\",0,'{CENSUS}'!AA{r})"
        cells = {
            "D": f'=IF({blank},"",\'{CENSUS}\'!A{r})',
            "E": f'=IF({blank},"",IF({eligible},IF(AB{r}=1,"HCE","NHCE"),""))',
            "F": f"=IF({blank},\"\",MIN('{CENSUS}'!B{r},CompLimit))",
            "G": f"=IF(OR({blank},'{CENSUS}'!H{r}=\"\"),0,'{CENSUS}'!H{r})",
            "H": f"=IF(OR({blank},'{CENSUS}'!V{r}=\"\"),0,'{CENSUS}'!V{r})",
            "I": "=" + catchup_formula(f"H{r}", "PlanYear", "CatchUp50", "CatchUp6063"),
            "J": f"=MIN(MAX(G{r}-Limit402g,0),I{r})",
            "K": f"=MAX(G{r}-Limit402g,0)-J{r}",
            "L": f"=G{r}-J{r}-IF(AB{r}=1,0,K{r})",
            "M": f'=IF(E{r}="","",IF(F{r}>0,ROUND(AG{r}/F{r},4),0))',
            "N": (f'=IF(OR(E{r}<>"HCE",AdpLevelTarget=""),"",(AdpLevelTarget*AdpHceCount-SUMIFS({rng["M"]},'
                  f'{rng["E"]},"HCE",{rng["M"]},"<"&M{r}))/COUNTIFS({rng["E"]},"HCE",{rng["M"]},">="&M{r}))'),
            "O": f'=IF(AND(E{r}="HCE",AdpResult="FAIL"),IF(M{r}>AdpLevel,MAX(0,AG{r}-AdpLevel*F{r}),0),0)',
            "P": (f'=IF(OR(E{r}<>"HCE",AdpResult<>"FAIL"),"",(SUMIFS({rng["L"]},{rng["E"]},"HCE",{rng["L"]},'
                  f'">="&L{r})-AdpTotalExcess)/COUNTIFS({rng["E"]},"HCE",{rng["L"]},">="&L{r}))'),
            "Q": f'=IF(AND(E{r}="HCE",AdpResult="FAIL"),ROUND(MAX(0,L{r}-AdpDollarLevel),2),0)',
            "R": f"=MIN(Q{r},K{r})",
            "S": f'=IF(CatchUpFirst="Y",MIN(Q{r}-R{r},MAX(I{r}-J{r},0)),0)',
            "T": f'=IF(AdpCorrection="distribute",ROUND(Q{r}-R{r}-S{r},2),0)',
            "U": f'=IF(AdpCorrection="recharacterize",ROUND(Q{r}-R{r}-S{r},2),0)',
            # the match on distributed deferrals: with tiers, the match on the last dollars (the deferrals sit
            # under any matched after-tax money); without, the row's rate
            "V": (f"=IF(OR(AdpFirst<>\"Y\",MatchedOn=\"after_tax\",AD{r}<=0,T{r}+K{r}<=0),0,"
                  f"MIN('{CENSUS}'!F{r},IF(MatchTierCount>0,ROUND(({match_formula(f'AD{r}', f'F{r}', MATCH_TIERS)})"
                  f"-({match_formula(f'(AD{r}-T{r}-K{r})', f'F{r}', MATCH_TIERS)}),2),"
                  f"ROUND('{CENSUS}'!F{r}*(T{r}+K{r})/AD{r},2))))"),
            "W": f"=ROUND(T{r}*EarningsRate,2)",
            "X": f"=IF({blank},0,'{CENSUS}'!F{r}-V{r})",
            "Y": f'=G{r}-T{r}-IF(AdpFirst="Y",K{r},0)',
            "Z": (f'=IF(AND(E{r}="NHCE",AC{r}>0),IF(MatchTiered=1,IF(F{r}>0,'
                  f'({match_formula(f"0.06*F{r}", f"F{r}", MATCH_TIERS)})/(0.06*F{r}),0),X{r}/AC{r}),"")'),
            "AA": (f'=IF(AND(E{r}="NHCE",AC{r}>0),MIN(X{r},ROUND(MAX(0.05*F{r},AC{r},2*RepMatchRate*AC{r}),2)),'
                   f'X{r})'),
            "AB": f'=IF({blank},"",IF(OR({owner},AND({prior}>HceThreshold,{top_paid})),1,0))',
            # the matched contributions after the ADP correction (the ACP's base for the match cap)
            "AC": (f"=IF(MatchedOn=\"after_tax\",'{CENSUS}'!G{r}+U{r},IF(MatchedOn=\"both\","
                   f"Y{r}+'{CENSUS}'!G{r}+U{r},Y{r}))"),
            # the census deferrals and after-tax money a distribution's match is taken from (before the ADP)
            "AD": f"=IF(MatchedOn=\"both\",G{r}+'{CENSUS}'!G{r},G{r})",
            # QNECs in the ADP (QnecInAdp): an NHCE's up to pay x max(5%, 2 x the representative contribution
            # rate, the LARGE(..., ROUNDUP(n/2)) of the eligible NHCEs' QNEC / pay); excess contributions are
            # apportioned on the deferrals alone (P, Q: QNECs are not distributed)
            "AE": f'=IF(AND(E{r}="NHCE",QnecInAdp="Y"),IF(F{r}>0,{qnec}/F{r},0),"")',
            "AF": (f'=IF(OR(QnecInAdp<>"Y",E{r}=""),0,IF(E{r}="NHCE",MIN({qnec},ROUND(F{r}*MAX(0.05,'
                   f'2*AdpRepQnecRate),2)),{qnec}))'),
            "AG": f"=L{r}+AF{r}",
        }
        for letter, text in cells.items():
            a(f"{letter}{r}", Formula(text), style=styles_by_letter[letter])


NOTES = (
    "ACP census template: how it works",
    DISCLAIMER,
    "Paste one row per employee on the Census sheet, columns A-H (values only). Flags: Y/N, yes/no, TRUE/FALSE "
    "or 1/0. Blank rows are ignored. Deferrals are optional (used only for §415(c) room in the what-if).",
    "HCE (IRC §414(q)(1)): a 5% owner in the plan year or the year before, or pay in the lookback year (plan year "
    "- 1) above the threshold published for that year; 'more than', so exactly the threshold is not an HCE.",
    "Top-paid-group election: pay HCEs must also be in the top 20% of all rows by lookback pay (ties: earlier "
    "rows first).",
    "Ratio (ACR) = (match + after-tax) / compensation capped at §401(a)(17), rounded to 0.01%; eligible "
    "employees who contributed nothing count as 0 (Treas. Reg. §1.401(m)-2(a)).",
    "Limit (IRC §401(m)(2)(A)): the HCE ACP may not exceed the greater of 1.25x the NHCE ACP and the lesser of "
    "2x and +2 points. Prior-year testing uses last year's NHCE ACP (3% for a plan's first year, §401(m)(3)).",
    "Correction (§401(m)(6), Treas. Reg. §1.401(m)-2(b)): the total excess levels the highest ratios down to a "
    "common ratio until the test passes; that total is refunded from the largest contribution dollars down. "
    "Each refund is rounded to the whole cent per person (as `megabackdoor acp` does), so the refunds may "
    "differ from the total by a few cents.",
    "Refund sources (Census W-Y, Test B47-B52): unmatched after-tax money first; when the match is on after-tax "
    "money (B47), a refunded matched dollar takes its match with it at the row's rate (Treas. Reg. "
    "§1.401(m)-2(b)(3)(v)(B)); then the rest of the match. The unvested share (B48) of a refunded match is "
    "forfeited, not paid. Earnings are on what is paid, taxable in the year distributed; after-tax contributions "
    "come back tax-free.",
    "QNECs (optional, Census column AA) count in the ACP when Test B54 is Y; an NHCE's QNEC counts only up to pay "
    "x the greater of 5% and 2 x the representative contribution rate, the lowest (match + QNEC) / pay among the "
    "top half of the eligible NHCEs (Treas. Reg. §1.401(m)-2(a)(6)(v)). Or they count in the ADP (ADP B34, not "
    "both), with the same cap on QNEC / pay (§1.401(k)-2(a)(6)(iv)); the timing rule (paid within 12 months "
    "after the plan year, §1.401(k)-2(a)(6)(i)) is the user's to check here (`megabackdoor nondiscrimination "
    "--qnec-paid` checks it).",
    "Match tiers (Test B59-B64, optional, as `--match-tier`): when given, the match forfeited on distributed "
    "deferrals and the match refunded with matched after-tax money are the match on the last dollars, tier by "
    "tier; when the tier rates differ, the representative matching rate is taken at deferrals of 6% of pay "
    "(Treas. Reg. §1.401(m)-2(a)(5)(ii)(C)). The match itself is always the census column F.",
    "Deadlines for a calendar plan year: 15 March of the next year to avoid the 10% excise tax (30 June for an "
    "EACA), 31 December of the next year to keep the plan qualified.",
    "More rows: copy the last formula row of the Census sheet down, and extend the ranges of the names if needed.",
    "Generated by megabackdoor (src/megabackdoor/workbook/acp_template.py); verified against the Python engine "
    "by LibreOffice and the formulas package.",
)


def write(path: str | os.PathLike = TEMPLATE_PATH, rows: int = DEFAULT_ROWS, force: bool = False) -> str:
    """Render the template and save it atomically (refuses to overwrite without ``force``)."""
    from .render import save

    return save(build(rows), path, force)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Write the ACP census template workbook.")
    parser.add_argument("path", nargs="?", default=TEMPLATE_PATH)
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    args = parser.parse_args(argv)
    try:
        print(write(args.path, args.rows, args.force))
    except FileExistsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
