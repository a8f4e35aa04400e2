"""The "Paychecks" workbook: a year's paychecks for given elections, as native formulas.

The same rules as :func:`megabackdoor.paycheck.paycheck_schedule`, written with functions Excel and LibreOffice
7.4 both have (MIN, MAX, IF, AND, OR, INDEX/MATCH, SUMPRODUCT, ROUND, FLOOR and the date functions DATE, YEAR,
MONTH, DAY; no XLOOKUP, LET or dynamic arrays) and defined names:

* the pay calendar (sheet "Calendar"): weekly/biweekly every 7/14 days from the first pay date while in its
  year (so the 53rd or 27th pay date appears when the calendar has it), monthly on the same day or month end,
  semimonthly on two days 15 days apart; up to three bonus checks merged in date order (a bonus on a pay date
  after that paycheck) by a rank computed with SUMPRODUCT and looked up with INDEX/MATCH;
* per paycheck: deferral = ROUND(plan pay x election, 2), cut at 402(g) + catch-up (counting this employer's
  deferrals) when payroll stops by itself; its regular / catch-up / excess parts against the person's 402(g)
  (other employers' deferrals come first); match = ROUND(sum of rate x MAX(0, MIN(deferral, up_to x pay) -
  from x pay), 2) on plan pay capped at §401(a)(17) for the year; after-tax = ROUND(plan pay x election, 2),
  cut at §415(c) when payroll stops there; running totals and the room left;
* the year: true-up, §415(c) additions (catch-ups out; deferrals that with the match alone break §415(c)
  become catch-up), excess deferral and excess additions to be refunded, match lost.

Elections are inputs (the generator fills in the solved ones; ``DEFERRAL_ELECTION`` and
``AFTER_TAX_ELECTION`` give them in a workbook with the add-in). The stock copy is
``workbook_templates/paychecks.xlsx`` (``python -m megabackdoor.workbook.paychecks --force`` regenerates it).
Educational, not individual tax advice.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any

from .. import DISCLAIMER
from .. import paycheck_inputs as inputs
from ..cadences import PAY_FREQUENCIES
from ..catchup import catchup_formula, roth_catchup_formula
from ..match import match_formula
from .layout import Book, ConditionalFormat, Formula, Sheet, Validation
from .limits_sheet import limits_table, lookup

TEMPLATE_PATH = os.path.join("workbook_templates", "paychecks.xlsx")
SHEET = "Paychecks"
CALENDAR = "Calendar"
LIMIT_YEARS = range(2014, 2041)   # the Limits sheet (limits_sheet.py): published to 2026, then projected
REGULAR_ROWS = 53          # a weekly year has at most 53 pay dates
BONUS_ROWS = 3
MATCH_TIERS = 3


def _match_sum(deferral: str | None, pay: str) -> str:
    """megabackdoor.match's formula over the sheet's MATCH_TIERS tiers (``deferral`` None: the full match)."""
    return match_formula(deferral, pay, MATCH_TIERS)
EVENT_ROWS = REGULAR_ROWS + BONUS_ROWS
TABLE_TOP = 52             # first row of the per-paycheck table (the header is one row above)
TABLE_LAST = TABLE_TOP + EVENT_ROWS - 1
FREQUENCIES = PAY_FREQUENCIES

# Table columns: letter, engine field (None: a helper), header, style, width.
TABLE = (
    ("A", "number", "#", "mb_int", 5),
    ("B", "date", "pay date", "mb_int", 11),
    ("C", "kind", "kind", "mb_cell_text", 8),
    ("D", "pay", "pay", "mb_money", 12),
    ("E", "plan_pay", "plan pay", "mb_money", 12),
    ("F", None, "match pay (≤ §401(a)(17))", "mb_money", 12),
    ("G", "deferral", "deferral", "mb_money", 11),
    ("H", "catchup", "of which catch-up", "mb_money", 10),
    ("I", "excess", "of which excess", "mb_money", 10),
    ("J", None, "of which regular", "mb_money", 11),
    ("K", "match", "match", "mb_money", 10),
    ("L", "after_tax", "after-tax", "mb_money", 11),
    ("M", "ytd_deferrals", "YTD deferrals here", "mb_money", 12),
    ("N", "ytd_match", "YTD match", "mb_money", 11),
    ("O", "ytd_after_tax", "YTD after-tax", "mb_money", 12),
    ("P", "ytd_additions", "YTD §415(c) additions", "mb_money", 12),
    ("Q", "deferral_room_left", "402(g) room left (person)", "mb_money", 12),
    ("R", "additions_room_left", "§415(c) room left", "mb_money", 12),
    ("S", None, "full match of the paycheck", "mb_money", 11),
    ("T", None, "event row (Calendar)", "mb_int", 8),
    ("U", None, "running plan pay", "mb_money", 12),
    ("V", None, "running pay", "mb_money", 12),
    ("W", None, "running regular deferrals", "mb_money", 12),
    ("X", None, "running full match", "mb_money", 12),
)
# Year totals: cell, engine field of PaycheckPlan, label, name.
TOTALS = (
    ("deferrals", "Deferrals here (scheduled paychecks)", "TotalDeferrals"),
    ("catchup", "of which catch-up (person, incl. §415(c) rule)", "TotalCatchup"),
    ("match", "Employer match (true-up included)", "TotalMatch"),
    ("true_up", "True-up after year end", "TrueUpAmount"),
    ("after_tax", "After-tax contributions", "TotalAfterTax"),
    ("annual_additions", "§415(c) annual additions here (year)", "AnnualAdditions"),
    ("limit_415c", "§415(c) limit here: min(dollars, pay)", "Limit415"),
    ("deferral_room", "402(g) + catch-up room here", "DeferralRoom"),
    ("match_max", "Most match the formula pays", "MatchFull"),
    ("match_lost", "Match lost", "MatchLost"),
    ("excess_deferral", "Excess deferral (refund by 15 April)", "ExcessDeferral"),
    ("excess_additions", "Excess annual additions (refund)", "ExcessAdditions"),
    ("deferral_shortfall", "Short of 402(g) + catch-up", "DeferralShortfall"),
    ("additions_shortfall", "Short of §415(c)", "AdditionsShortfall"),
)
TOTALS_TOP = 33


def _serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def inputs_for(first_pay_date: Any, frequency: str, pay_per_period: float, age: int, deferral_election: float,
               after_tax_election: float = 0.0, **options: Any) -> dict[str, Any]:
    """The input cells (defined name -> value) for a case, as the engine's arguments name it; ``options`` are
    the engine options the sheet models (:data:`megabackdoor.paycheck_inputs.SHEET_OPTIONS`), defaults as the
    engine's."""
    from ..paycheck import _to_date

    modelled = {item.engine: item.default for item in inputs.SHEET_OPTIONS}
    unknown = set(options) - set(modelled)
    if unknown:
        raise TypeError(f"unexpected keyword argument {sorted(unknown)[0]!r}")
    given = {**modelled, **options, "first_pay_date": _serial(_to_date("first_pay_date", first_pay_date)),
             "frequency": frequency, "pay_per_period": pay_per_period, "age": age,
             "deferral_election": deferral_election, "after_tax_election": after_tax_election}
    values: dict[str, Any] = {}
    for item in inputs.SHEET_INPUTS:
        value = given[item.engine]
        values[item.sheet] = ("Y" if value else "N") if item.kind == "flag" else value
    match, bonuses = given["match"], given["bonuses"]
    tiers = list(match or [])
    if len(tiers) > MATCH_TIERS:
        raise ValueError(f"the workbook takes at most {MATCH_TIERS} match tiers")
    for index in range(1, MATCH_TIERS + 1):
        rate, up_to = tiers[index - 1] if index <= len(tiers) else (None, None)
        values[f"MatchRate{index}"], values[f"MatchUpTo{index}"] = rate, up_to
    entries = list(bonuses or [])
    if len(entries) > BONUS_ROWS:
        raise ValueError(f"the workbook takes at most {BONUS_ROWS} bonuses")
    for index in range(1, BONUS_ROWS + 1):
        if index <= len(entries):
            entry = tuple(entries[index - 1])
            in_plan = True if len(entry) == 2 else bool(entry[2])
            values[f"BonusDate{index}"] = _serial(_to_date("bonus date", entry[0]))
            values[f"BonusAmount{index}"] = entry[1]
            values[f"BonusInPlan{index}"] = "Y" if in_plan else "N"
        else:
            values[f"BonusDate{index}"] = values[f"BonusAmount{index}"] = None
            values[f"BonusInPlan{index}"] = "Y"
    return values


def build(first_pay_date: Any = "2026-01-02", frequency: str = "biweekly", pay_per_period: float = 5000.0,
          age: int = 35, deferral_election: float | None = None, after_tax_election: float | None = None,
          **options: Any) -> Book:
    """The workbook for a case. Elections default to the solved ones (:func:`~megabackdoor.paycheck.solve_elections`).

    ``options`` are the engine's keyword arguments the sheet models: bonuses (up to 3), match (up to 3 tiers),
    true_up, stops_at_402g, stops_at_415c, the ytd_* amounts, other_employer_deferrals,
    prior_year_fica_wages, plan_allows_roth.

    >>> book = build(**DEFAULT_CASE)          # 26 x $5,000, 50% match on 6%: solved 19% / 33%
    >>> cells = book.sheets[0].cells
    >>> cells["B10"].value, cells["B11"].value, book.defined_names()["DeferralElection"]
    (0.19, 0.33, "'Paychecks'!$B$10")
    >>> cells["G52"].value
    '=IF(E52>0,IF(StopAt402g="Y",MIN(ROUND(E52*DeferralElection,2),MAX(0,DeferralTop-YtdDeferrals)),ROUND(E52*DeferralElection,2)),0)'
    """
    from ..paycheck import solve_elections

    if deferral_election is None:
        plan = solve_elections(first_pay_date, frequency, pay_per_period, age, **options)
        deferral_election = plan.deferral_election
        if after_tax_election is None:
            after_tax_election = plan.after_tax_election
    values = inputs_for(first_pay_date, frequency, pay_per_period, age, deferral_election,
                        after_tax_election or 0.0, **options)
    return _layout(values)


def _layout(values: dict[str, Any]) -> Book:
    main = Sheet(SHEET, column_widths={c[0]: c[4] for c in TABLE}, freeze=f"C{TABLE_TOP}", tab_color="1F4E78")
    main.column_widths.update({"A": 34, "B": 14, "C": 12, "D": 12})
    calendar = Sheet(CALENDAR, column_widths={"A": 7, "B": 12, "C": 9, "D": 12, "E": 12, "F": 7, "G": 7,
                                              "I": 30, "J": 12})
    table = limits_table(LIMIT_YEARS[0], LIMIT_YEARS[-1])
    limits = table.sheet
    notes = Sheet("Notes", column_widths={"A": 120})
    book = Book([main, calendar, limits, notes], title="Paycheck elections: 402(g) and §415(c) by the last paycheck",
                subject="Mega-backdoor Roth paycheck elections", description=DISCLAIMER,
                keywords="401(k), 402(g), 415(c), after-tax, mega-backdoor Roth, paycheck", range_names=table.names)
    _inputs(main, values)
    limits.put(f"A{table.last_row + 2}", DISCLAIMER, style="mb_disclaimer")
    _calendar(calendar, book)
    _table(main, book)
    _totals(main)
    _notes(notes)
    return book


def _inputs(sheet: Sheet, values: dict[str, Any]) -> None:
    t = sheet.put
    t("A1", "Paycheck elections: fill 402(g) and §415(c) by the last paycheck", style="mb_title")
    t("A2", DISCLAIMER, style="mb_disclaimer")
    t("A3", "Yellow cells are inputs. The table below recalculates with native formulas; the elections were "
            "solved by megabackdoor for the case it was generated for.", style="mb_note")
    t("A5", "Pay and elections", style="mb_heading")
    yes_no = Validation("list", options=("Y", "N"))
    for item in inputs.SHEET_INPUTS:
        extra: dict[str, Any] = {}
        if item.kind == "date":
            extra["number_format"] = "yyyy-mm-dd"
        elif item.kind == "flag":
            extra["validation"] = yes_no
        elif item.choices:
            extra["validation"] = Validation("list", options=item.choices)
        t(f"A{item.sheet_row}", item.sheet_label, style="mb_label")
        t(f"B{item.sheet_row}", values[item.sheet], style=item.sheet_style, name=item.sheet, **extra)
    t("D5", "Match tiers", style="mb_heading")
    t("D6", "rate", style="mb_header")
    t("E6", "up to (share of pay)", style="mb_header")
    for index in range(1, MATCH_TIERS + 1):
        row = 6 + index
        t(f"C{row}", f"tier {index}", style="mb_label")
        t(f"D{row}", values[f"MatchRate{index}"], style="mb_input_percent", name=f"MatchRate{index}")
        t(f"E{row}", values[f"MatchUpTo{index}"], style="mb_input_percent", name=f"MatchUpTo{index}")
    t("D11", "Bonus checks", style="mb_heading")
    t("D12", "date", style="mb_header")
    t("E12", "amount", style="mb_header")
    t("F12", "in plan pay (Y/N)", style="mb_header")
    for index in range(1, BONUS_ROWS + 1):
        row = 12 + index
        t(f"C{row}", f"bonus {index}", style="mb_label")
        t(f"D{row}", values[f"BonusDate{index}"], style="mb_input_int", name=f"BonusDate{index}",
          number_format="yyyy-mm-dd")
        t(f"E{row}", values[f"BonusAmount{index}"], style="mb_input_money", name=f"BonusAmount{index}")
        t(f"F{row}", values[f"BonusInPlan{index}"], style="mb_input_text", name=f"BonusInPlan{index}",
          validation=yes_no)
    t("D17", "Bonuses before the first pay date or in another year are ignored (put them in the YTD cells).",
      style="mb_note")


def _lookup(name: str, year: str = "PlanYear") -> str:
    return lookup(name, year)


def _calendar(sheet: Sheet, book: Book) -> None:
    t = sheet.put
    # Scalars of the pay calendar (defined names used below).
    scalars = [
        ("PlanYear", "=YEAR(FirstPayDate)", "plan (calendar) year"),
        ("FreqCode", '=IF(PayFrequency="weekly",1,IF(PayFrequency="biweekly",2,'
                     'IF(PayFrequency="semimonthly",3,IF(PayFrequency="monthly",4,0))))',
         "1 weekly, 2 biweekly, 3 semimonthly, 4 monthly"),
        ("FirstDay", "=DAY(FirstPayDate)", "day of the first pay date"),
        ("FirstMonth", "=MONTH(FirstPayDate)", "month of the first pay date"),
        ("FirstIsMonthEnd", "=IF(DAY(FirstPayDate+1)=1,1,0)", "1 when the first pay date is a month end"),
        ("PairA", "=IF(OR(FirstIsMonthEnd=1,FirstDay=15),15,IF(FirstDay<15,FirstDay,FirstDay-15))",
         "semimonthly: first day of the pair"),
        ("PairB", "=IF(OR(FirstIsMonthEnd=1,FirstDay=15),31,IF(FirstDay<15,FirstDay+15,FirstDay))",
         "semimonthly: second day of the pair (31 = month end)"),
        ("SecondOfPair", "=IF(FirstDay=15,0,IF(OR(FirstIsMonthEnd=1,FirstDay>15),1,0))",
         "semimonthly: 1 when the first pay date is the pair's second day"),
        ("RegularCount", f"=SUMPRODUCT('{CALENDAR}'!$F$2:$F${REGULAR_ROWS + 1})", "regular pay dates"),
        ("EventCount", f"=SUMPRODUCT('{CALENDAR}'!$F$2:$F${EVENT_ROWS + 1})", "pay dates + bonus checks"),
    ]
    t("I1", "calendar", style="mb_header")
    t("J1", "value", style="mb_header")
    for offset, (name, formula, label) in enumerate(scalars):
        row = 2 + offset
        t(f"I{row}", label, style="mb_label")
        t(f"J{row}", Formula(formula), style="mb_int", name=name)
    t(f"I{3 + len(scalars)}", DISCLAIMER, style="mb_disclaimer")
    for index, text in enumerate(("k", "date", "kind", "pay", "plan pay", "valid", "rank")):
        t(f"{'ABCDEFG'[index]}1", text, style="mb_header")
    dates = f"'{CALENDAR}'!$B$2:$B${REGULAR_ROWS + 1}"
    regular_valid = f"'{CALENDAR}'!$F$2:$F${REGULAR_ROWS + 1}"
    bonus_dates = f"'{CALENDAR}'!$B${REGULAR_ROWS + 2}:$B${EVENT_ROWS + 1}"
    bonus_valid = f"'{CALENDAR}'!$F${REGULAR_ROWS + 2}:$F${EVENT_ROWS + 1}"
    bonus_index = f"'{CALENDAR}'!$A${REGULAR_ROWS + 2}:$A${EVENT_ROWS + 1}"
    for k in range(1, REGULAR_ROWS + 1):
        row = 1 + k
        month = f"(FirstMonth+{k - 1})"
        j = f"({k - 1}+SecondOfPair)"
        semi_month = f"(FirstMonth+FLOOR({j}/2,1))"
        semi_day = f"IF({j}-2*FLOOR({j}/2,1)=0,PairA,PairB)"
        month_end = "DAY(DATE(PlanYear,{m}+1,1)-1)"
        date = (f"=IF(FreqCode<=2,FirstPayDate+{k - 1}*7*FreqCode,"
                f"IF(FreqCode=3,DATE(PlanYear,{semi_month},MIN({semi_day},{month_end.format(m=semi_month)})),"
                f"DATE(PlanYear,{month},IF(FirstIsMonthEnd=1,{month_end.format(m=month)},"
                f"MIN(FirstDay,{month_end.format(m=month)})))))")
        t(f"A{row}", k, style="mb_int")
        t(f"B{row}", Formula(date), style="mb_int", number_format="yyyy-mm-dd")
        t(f"C{row}", "regular", style="mb_cell_text")
        t(f"D{row}", Formula("=ROUND(PayPerPeriod,2)"), style="mb_money")
        t(f"E{row}", Formula(f"=D{row}"), style="mb_money")
        t(f"F{row}", Formula(f"=IF(AND(FreqCode>0,YEAR(B{row})=PlanYear),1,0)"), style="mb_int")
        # Bonuses on an earlier date come before this paycheck; one on the same date comes after it.
        t(f"G{row}", Formula(f"=IF(F{row}=1,{k}+SUMPRODUCT({bonus_valid}*({bonus_dates}<B{row})),0)"),
          style="mb_int")
    for index in range(1, BONUS_ROWS + 1):
        row = 1 + REGULAR_ROWS + index
        t(f"A{row}", index, style="mb_int")
        t(f"B{row}", Formula(f"=IF(BonusAmount{index}>0,BonusDate{index},0)"), style="mb_int",
          number_format="yyyy-mm-dd")
        t(f"C{row}", "bonus", style="mb_cell_text")
        t(f"D{row}", Formula(f"=ROUND(IF(F{row}=1,BonusAmount{index},0),2)"), style="mb_money")
        t(f"E{row}", Formula(f'=IF(BonusInPlan{index}="N",0,D{row})'), style="mb_money")
        t(f"F{row}", Formula(f"=IF(AND(BonusAmount{index}>0,BonusDate{index}>=FirstPayDate,"
                             f"YEAR(BonusDate{index})=PlanYear),1,0)"), style="mb_int")
        t(f"G{row}", Formula(f"=IF(F{row}=1,SUMPRODUCT({regular_valid}*({dates}<=B{row}))"
                             f"+SUMPRODUCT({bonus_valid}*(({bonus_dates}<B{row})+({bonus_dates}=B{row})"
                             f"*({bonus_index}<A{row})))+1,0)"), style="mb_int")
    book.range_names.update({
        "CalDate": f"'{CALENDAR}'!$B$2:$B${EVENT_ROWS + 1}", "CalKind": f"'{CALENDAR}'!$C$2:$C${EVENT_ROWS + 1}",
        "CalPay": f"'{CALENDAR}'!$D$2:$D${EVENT_ROWS + 1}", "CalPlanPay": f"'{CALENDAR}'!$E$2:$E${EVENT_ROWS + 1}",
        "CalRank": f"'{CALENDAR}'!$G$2:$G${EVENT_ROWS + 1}",
    })


def _table(sheet: Sheet, book: Book) -> None:
    t = sheet.put
    t(f"A{TABLE_TOP - 2}", "Per paycheck (running totals at this employer)", style="mb_heading")
    for letter, _, header, _, _ in TABLE:
        t(f"{letter}{TABLE_TOP - 1}", header, style="mb_header")
    person = "(OtherDeferrals+M{r})"
    for r in range(TABLE_TOP, TABLE_LAST + 1):
        number = r - TABLE_TOP + 1
        first = r == TABLE_TOP

        def prev(column: str, start: str, first: bool = first, r: int = r) -> str:
            return start if first else f"{column}{r - 1}"

        p = person.format(r=r)
        cells = {
            "A": number,
            "T": f"=IF(A{r}<=EventCount,MATCH(A{r},CalRank,0),0)",
            "B": f'=IF(T{r}>0,INDEX(CalDate,T{r}),"")',
            "C": f'=IF(T{r}>0,INDEX(CalKind,T{r}),"")',
            "D": f"=IF(T{r}>0,INDEX(CalPay,T{r}),0)",
            "E": f"=IF(T{r}>0,INDEX(CalPlanPay,T{r}),0)",
            "F": f"=MAX(0,MIN(E{r},CompLimit-{prev('U', 'ROUND(YtdPay,2)')}))",
            "U": f"={prev('U', 'ROUND(YtdPay,2)')}+E{r}",
            "V": f"={prev('V', '0')}+D{r}",
            "G": f'=IF(E{r}>0,IF(StopAt402g="Y",MIN(ROUND(E{r}*DeferralElection,2),'
                 f"MAX(0,DeferralTop-{prev('M', 'YtdDeferrals')})),ROUND(E{r}*DeferralElection,2)),0)",
            "M": f"={prev('M', 'YtdDeferrals')}+G{r}",
            "I": f"=MAX(0,{p}-DeferralTop)-MAX(0,{p}-G{r}-DeferralTop)",
            "J": f"=MIN({p},Limit402g)-MIN({p}-G{r},Limit402g)",
            "H": f"=G{r}-J{r}-I{r}",
            "K": f"=IF(G{r}>0,ROUND({_match_sum(f'G{r}', f'F{r}')},2),0)",
            "N": f"={prev('N', 'YtdMatch')}+K{r}",
            "L": f'=IF(E{r}>0,IF(StopAt415c="Y",MIN(ROUND(E{r}*AfterTaxElection,2),'
                 f"MAX(0,Limit415-({prev('P', 'YtdAdditions')}+J{r}+K{r}))),ROUND(E{r}*AfterTaxElection,2)),0)",
            "O": f"={prev('O', 'YtdAfterTax')}+L{r}",
            "P": f"={prev('P', 'YtdAdditions')}+J{r}+K{r}+L{r}",
            "Q": f"=MAX(0,DeferralTop-{p})",
            "R": f"=Limit415-P{r}",
            "S": f"=IF(E{r}>0,ROUND({_match_sum(None, f'F{r}')},2),0)",
            "W": f"={prev('W', '0')}+J{r}",
            "X": f"={prev('X', '0')}+S{r}",
        }
        for letter, _, _, style, _ in TABLE:
            value = cells[letter]
            number_format = "yyyy-mm-dd" if letter == "B" else None
            t(f"{letter}{r}", Formula(value) if isinstance(value, str) else value, style=style,
              number_format=number_format)
    sheet.conditional_formats.append(ConditionalFormat(f"I{TABLE_TOP}:I{TABLE_LAST}", f"I{TABLE_TOP}>0",
                                                       fill="F8CBAD", bold=True))
    sheet.conditional_formats.append(ConditionalFormat(f"K{TABLE_TOP}:K{TABLE_LAST}",
                                                       f"AND(E{TABLE_TOP}>0,K{TABLE_TOP}<S{TABLE_TOP})",
                                                       fill="F8CBAD"))


def _totals(sheet: Sheet) -> None:
    t = sheet.put
    last = TABLE_LAST
    t("A24", "Limits used", style="mb_heading")
    derived = [
        ("Limit402g", f"={_lookup('Lim402g')}", "§402(g) limit"),
        ("RothCatchupRequired", "=" + roth_catchup_formula("PlanYear", "PriorFicaWages", _lookup("LimRothThreshold")),
         "catch-ups must be Roth (§414(v)(7)): 1 = yes"),
        ("CatchupLimit", '=IF(AND(RothCatchupRequired=1,PlanHasRoth="N"),0,'
                         f"{catchup_formula('Age', 'PlanYear', _lookup('LimCatchup50'), _lookup('LimCatchup6063'))})",
         "catch-up limit (age by 31 December)"),
        ("DeferralTop", "=Limit402g+CatchupLimit", "402(g) + catch-up (per person)"),
        ("Limit415Dollars", f"={_lookup('Lim415c')}", "§415(c) dollar limit"),
        ("CompLimit", f"={_lookup('Lim401a17')}", "§401(a)(17) pay limit (for the match)"),
        ("YtdRegular", "=MIN(OtherDeferrals+YtdDeferrals,Limit402g)-MIN(OtherDeferrals,Limit402g)",
         "earlier deferrals here within 402(g)"),
        ("YtdAdditions", "=YtdRegular+YtdMatch+YtdAfterTax", "§415(c) additions here before the first pay date"),
    ]
    for offset, (name, formula, label) in enumerate(derived):
        row = 25 + offset
        t(f"C{row}", label, style="mb_label")
        t(f"D{row}", Formula(formula), style="mb_money_whole", name=name)
    t("E25", Formula(f"={_lookup('LimStatus')}"), style="mb_cell_text", name="LimitStatus")
    t("F25", "published / projected", style="mb_note")

    t(f"A{TOTALS_TOP - 1}", "The year", style="mb_heading")
    formulas = {
        "deferrals": f"=M{last}-YtdDeferrals",
        "true_up": f'=IF(TrueUp="Y",MAX(0,ROUND({_match_sum("(YtdDeferrals+TotalDeferrals)", "YearMatchPay")},2)'
                   f"-YtdMatch-(N{last}-YtdMatch)),0)",
        "match": f"=N{last}-YtdMatch+TrueUpAmount",
        "after_tax": f"=O{last}-YtdAfterTax",
        "limit_415c": f"=MIN(Limit415Dollars,ROUND(ROUND(YtdPay,2)+V{last},2))",
        "deferral_room": "=DeferralTop-OtherDeferrals-YtdDeferrals",
        "catchup": "=CatchupUsed+CatchupShift",
        "annual_additions": "=BaseAdditions-CatchupShift+YtdAfterTax+TotalAfterTax",
        "match_max": f'=IF(TrueUp="Y",MAX(X{last},ROUND({_match_sum(None, "YearMatchPay")},2)-YtdMatch),X{last})',
        "match_lost": "=MAX(0,MatchFull-TotalMatch)",
        "excess_deferral": f"=MAX(0,OtherDeferrals+M{last}-DeferralTop)",
        "excess_additions": "=MAX(0,AnnualAdditions-Limit415)",
        "deferral_shortfall": "=MAX(0,DeferralRoom-TotalDeferrals)",
        "additions_shortfall": "=MAX(0,Limit415-AnnualAdditions)",
    }
    for offset, (field, label, name) in enumerate(TOTALS):
        row = TOTALS_TOP + offset
        t(f"A{row}", label, style="mb_label")
        t(f"B{row}", Formula(formulas[field]), style="mb_total_money" if field in (
            "deferrals", "match", "after_tax", "annual_additions") else "mb_money", name=name)
    helpers = [
        ("YearMatchPay", f"=MIN(U{last},CompLimit)", "plan pay of the year for the match (≤ §401(a)(17))"),
        ("BaseAdditions", f"=YtdRegular+W{last}+YtdMatch+TotalMatch", "additions before after-tax money"),
        ("CatchupUsed", f"=MIN(MAX(0,OtherDeferrals+M{last}-Limit402g),CatchupLimit)",
         "catch-up: deferrals above 402(g)"),
        ("CatchupShift", f"=IF(BaseAdditions>Limit415,MAX(0,MIN(CatchupLimit-CatchupUsed,BaseAdditions-Limit415,"
                         f"YtdRegular+W{last})),0)", "deferrals that with the match alone pass §415(c)"),
    ]
    for offset, (name, formula, label) in enumerate(helpers):
        row = TOTALS_TOP + offset
        t(f"D{row}", label, style="mb_label")
        t(f"E{row}", Formula(formula), style="mb_money", name=name)
    flags_row = TOTALS_TOP + len(helpers) + 1
    t(f"D{flags_row}", "flags", style="mb_heading")
    t(f"D{flags_row + 1}", Formula('=IF(MatchLost>0,"match lost","")'), style="mb_text")
    t(f"D{flags_row + 2}", Formula('=IF(ExcessDeferral>0,"excess deferral: refund by 15 April","")'),
      style="mb_text")
    t(f"D{flags_row + 3}", Formula('=IF(ExcessAdditions>0,"excess §415(c) additions: refund","")'), style="mb_text")
    t(f"D{flags_row + 4}", Formula('=IF(AND(RothCatchupRequired=1,CatchupLimit>0),'
                                   '"catch-ups must be Roth (§414(v)(7))","")'), style="mb_text")


def _notes(sheet: Sheet) -> None:
    from ..limits import threshold as t

    lines = [
        ("Paycheck elections: rules and sources", "mb_title"),
        (DISCLAIMER, "mb_disclaimer"),
        (f"§402(g)(1): elective deferrals (pre-tax + Roth) per person across every employer this year; the age "
         f"{t('catchup_age')}+ catch-up (§414(v)(2)(B)) raises it, replaced by the age {t('catchup_60_63_min_age')}-"
         f"{t('catchup_60_63_max_age')} amount from {t('catchup_60_63_first_year')} (§414(v)(2)(E)); age is "
         "the age attained by 31 December (§414(v)(5)(A)).", "mb_note"),
        ("§415(c)(1): annual additions (deferrals other than catch-ups + employer money + after-tax) at one "
         "employer (§415(f)) may not pass min(the dollar limit, 100% of that employer's pay). Catch-ups are "
         "deferrals above 402(g), then deferrals that with the employer money alone break §415(c) (Treas. Reg. "
         "§1.414(v)-1(b)); after-tax money is never a catch-up.", "mb_note"),
        ("Match per paycheck on plan pay capped at §401(a)(17) for the year; a paycheck without a deferral gets "
         "no match unless the plan trues up after year end (then the formula on the year's totals).", "mb_note"),
        ("A payroll that stops by itself at 402(g) counts only this employer's deferrals: after a job change it "
         "does not stop at the person's limit. One that stops at §415(c) cuts after-tax money on the money so far "
         "and cannot foresee later deferrals, match or a true-up.", "mb_note"),
        (f"{t('roth_catchup_first_year')}+: catch-ups of someone whose prior-year FICA wages here passed the "
         "threshold must be Roth "
         "(§414(v)(7), SECURE 2.0 §603); without a Roth option such a person has no catch-up.", "mb_note"),
        ("Generated by megabackdoor (paycheck.py engine; this sheet's formulas are checked against it cell by "
         "cell by LibreOffice and the formulas package).", "mb_note"),
    ]
    for row, (text, style) in enumerate(lines, start=1):
        sheet.put(f"A{row}", text, style=style)


# The stock template's case: 26 biweekly paychecks of $5,000 in 2026, 50% match on up to 6% (solved: 19% / 33%).
DEFAULT_CASE: dict[str, Any] = {"first_pay_date": "2026-01-02", "frequency": "biweekly", "pay_per_period": 5000.0,
                                "age": 35, "match": [(0.5, 0.06)]}


def write(path: str | os.PathLike, force: bool = False, **case: Any) -> str:
    """Build the workbook for ``case`` (see :func:`build`; default :data:`DEFAULT_CASE`) and save it atomically.

    Never overwrites an existing file unless ``force`` (FileExistsError names the file).
    """
    from .render import save

    return save(build(**(case or DEFAULT_CASE)), path, force=force)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    force = "--force" in argv
    paths = [a for a in argv if not a.startswith("--")]
    print(write(paths[0] if paths else TEMPLATE_PATH, force=force))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
