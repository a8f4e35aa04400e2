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
* refunds: each HCE's contributions above the dollar level, rounded to the cent (the CLI and the engine also
  hand out the odd cents so that refunds add up exactly to the total; a row here may differ by one cent);
* what-if: the ACP at a uniform HCE after-tax rate (capped by §415(c) room) typed into an input cell.

``build(rows=...)`` lays the workbook out as plain data (:mod:`megabackdoor.workbook.layout`) for the shared
renderer; ``write(path)`` saves it atomically. The stock copy is ``workbook_templates/acp-census.xlsx``
(``python -m megabackdoor.workbook.acp_template --force`` regenerates it). Educational, not individual tax advice.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .. import DISCLAIMER
from .layout import Book, ConditionalFormat, Formula, PageSetup, Sheet, Validation

DEFAULT_ROWS = 1000
TEMPLATE_PATH = os.path.join("workbook_templates", "acp-census.xlsx")
LIMIT_YEARS = range(2014, 2036)
CENSUS = "Census"
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


def _flag(cell: str) -> str:
    # Y/N, yes/no, TRUE/FALSE (typed or boolean) or 1/0, the same words the census reader accepts.
    text = f'UPPER(TRIM({cell}&""))'
    return f'OR({cell}=TRUE,{cell}=1,{text}="Y",{text}="YES",{text}="TRUE",{text}="X")'


def limits_table() -> list[tuple[int, Any, Any, Any, Any, str]]:
    """(year, HCE threshold, §401(a)(17), §415(c), §402(g), status) from the engine's limits."""
    from ..limits import irs_limit

    rows = []
    for year in LIMIT_YEARS:
        values = [irs_limit(name, year) for name in ("hce", "401a17", "415c", "402g")]
        rows.append((year, *[v.value for v in values], values[0].status))
    return rows


def build(rows: int = DEFAULT_ROWS, plan_year: int = 2026) -> Book:
    """The template as a :class:`~megabackdoor.workbook.layout.Book` with ``rows`` census rows.

    >>> book = build(rows=3)
    >>> [sheet.title for sheet in book.sheets], book.defined_names()["Result"]
    (['Test', 'Census', 'Limits', 'Notes'], "'Test'!$B$30")
    >>> book.sheets[1].cells["M2"].value
    '=IF(J2="","",IF(K2>0,ROUND(L2/K2,4),0))'
    """
    last = rows + 1
    inputs = Sheet("Test", column_widths={"A": 46, "B": 18, "C": 70}, freeze="A4", tab_color="1F4E78")
    census = Sheet(CENSUS, freeze="B2", column_widths={c[0]: c[4] for c in INPUT_COLUMNS},
                   page=PageSetup(columns="A:U", grow_with="A"))  # prints the pasted rows, not 1,000 empty ones
    limits = Sheet("Limits", column_widths={"A": 8, "B": 14, "C": 14, "D": 14, "E": 14, "F": 12})
    notes = Sheet("Notes", column_widths={"A": 120})
    book = Book([inputs, census, limits, notes], title="ACP test census template",
                subject="IRC §401(m) ACP nondiscrimination test", description=DISCLAIMER,
                keywords="ACP, 401(m), HCE, mega-backdoor Roth")

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
    lookup = "INDEX('Limits'!${c}$2:${c}${n},MATCH({y},'Limits'!$A$2:$A${n},0))"
    n = 1 + len(LIMIT_YEARS)
    t("A14", "HCE pay threshold for the lookback year (plan year - 1)", style="mb_label")
    t("B14", Formula("=" + lookup.format(c="B", n=n, y="PlanYear-1")), style="mb_money_whole", name="HceThreshold")
    t("C14", "IRC §414(q)(1)(B): pay in the lookback year above the threshold published for that year",
      style="mb_note")
    t("A15", "§401(a)(17) compensation limit (plan year)", style="mb_label")
    t("B15", Formula("=" + lookup.format(c="C", n=n, y="PlanYear")), style="mb_money_whole", name="CompLimit")
    t("A16", "§415(c) limit (plan year)", style="mb_label")
    t("B16", Formula("=" + lookup.format(c="D", n=n, y="PlanYear")), style="mb_money_whole", name="Limit415c")
    t("A17", "§402(g) limit (plan year)", style="mb_label")
    t("B17", Formula("=" + lookup.format(c="E", n=n, y="PlanYear")), style="mb_money_whole", name="Limit402g")
    t("A18", "status of the plan-year limits", style="mb_label")
    t("B18", Formula("=" + lookup.format(c="F", n=n, y="PlanYear")), style="mb_label", name="LimitStatus")
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
    c("W1", "Paste census rows in columns A-H from row 2; columns I-U compute. " + DISCLAIMER, style="mb_disclaimer")
    census.column_widths["W"] = 90
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
        c(f"L{r}", Formula(f'=IF({blank},"",F{r}+G{r})'), style="mb_money")
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
        c(f"S{r}", Formula(f"=ROUND(R{r}*EarningsRate,2)"), style="mb_money")
        room = f"MAX(0,Limit415c-MIN(IF(H{r}=\"\",0,H{r}),Limit402g)-F{r})"
        c(f"T{r}", Formula(
            f'=IF(J{r}="","",IF(J{r}="HCE",IF(K{r}>0,ROUND(F{r}/K{r}+MIN(WhatIfRate,{room}/K{r}),4),0),M{r}))'),
          style="mb_percent")
        c(f"U{r}", Formula(f'=IF({blank},"",{rank})'), style="mb_int")
    census.conditional_formats.append(ConditionalFormat(f"R2:R{last}", "R2>0", fill="F8CBAD"))

    # --- Limits and notes -----------------------------------------------------------------------------------
    for letter, header in zip("ABCDEF", ("year", "HCE threshold", "§401(a)(17)", "§415(c)", "§402(g)", "status"),
                              strict=True):
        limits.put(f"{letter}1", header, style="mb_header")
    for index, row in enumerate(limits_table(), start=2):
        limits.put(f"A{index}", row[0], style="mb_int")
        for letter, value in zip("BCDE", row[1:5], strict=True):
            limits.put(f"{letter}{index}", value,
                       style="mb_money_whole" if row[5] == "published" else "mb_projected_money")
        limits.put(f"F{index}", row[5], style="mb_cell_text")
    limits.put(f"A{n + 2}", "Published IRS values to 2026; later years projected with each limit's statutory "
                            "indexing rule at 2.5% assumed inflation (grey). " + DISCLAIMER, style="mb_note")
    for index, text in enumerate(NOTES, start=1):
        notes.put(f"A{index}", text, style="mb_title" if index == 1 else "mb_disclaimer" if index == 2 else "mb_note")
    return book


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
    "Refunds here are rounded per row; `megabackdoor acp` hands out the odd cents so they add up exactly.",
    "Refund after-tax money first, then vested match (unvested match is forfeited). Earnings are taxable in the "
    "year distributed; after-tax contributions come back tax-free.",
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
