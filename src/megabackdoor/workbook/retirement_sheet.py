"""The planning workbook's Retirement and Tables sheets: :mod:`megabackdoor.retirement` as native formulas.

Tables holds the cited data (the Uniform Lifetime Table, the RMD start ages, the 2025-2026 standard deductions
and capital-gain thresholds by filing status). Retirement starts from the Schedule's last row (bucket start
balances as SUMPRODUCTs over the Schedule's columns) and has one row per retirement year with every column of
:data:`megabackdoor.retirement.COLUMNS`, then workings (that year's tax tables for the retirement filing
status: bracket tops indexed by chained CPI-U like the Limits sheet, the standard deduction, the capital-gain
thresholds), a summary block and a stacked chart of income by tax character. Functions: MIN, MAX, IF, AND,
INDEX, MATCH, ROUND, FLOOR, SUM, SUMPRODUCT only. Tests recalculate it in LibreOffice and ``formulas`` and
compare every cell with the engine to the cent.
"""

from __future__ import annotations

from .. import retirement
from ..cadences import FILING_STATUSES
from ..retirement import BRACKET_LABELS, COLUMNS, NO_LIMIT
from .layout import Chart, ConditionalFormat, Formula, PageSetup, Series, Sheet, column_letter

RETIREMENT, TABLES = "Retirement", "Tables"
FIRST_ROW = 14          # the first retirement year's row
STATUSES = FILING_STATUSES  # the Tables rows, in the order of the Limits sheet's bracket tables
# Workings to the right of the engine's columns, per year.
WORKINGS: tuple[tuple[str, str], ...] = (
    ("w_factor", "Workings: C-CPI-U factor vs 2025"),
    ("w_zero", "Workings: bottom of the 10% bracket"),
    *((f"w_top{k}", f"Workings: top of the {BRACKET_LABELS[k - 1]} bracket") for k in range(1, 7)),
    *((f"w_below{k}", f"Workings: tax below bracket {k}") for k in range(1, 8)),
    ("w_zero_top", "Workings: top of the 0% gain band"),
    ("w_fifteen_top", "Workings: top of the 15% gain band"),
    ("w_pretax_top", "Workings: top of the pre-tax bracket"),
    ("w_conversion_top", "Workings: top of the conversion bracket"),
    ("w_need_after_rmd", "Workings: need after the RMD"),
    ("w_bracket", "Workings: bracket # of ordinary taxable income"),
    ("w_shortfall_year", "Workings: year if short (9999 = not)"),
)
START_NAMES = {"pretax": "RetStartPretax", "roth": "RetStartRoth", "after_tax": "RetStartAfterTax",
               "after_tax_basis": "RetStartAfterTaxBasis", "taxable": "RetStartTaxable",
               "taxable_basis": "RetStartTaxableBasis"}


# The columns that print (what a client reads: the year, where the money came from, the tax, what is left), one
# landscape page wide; the engine's other columns and the workings follow, outside the print area (as on the
# Schedule), every one still a live formula.
PRINTED = ("year", "age", "tables_status", "spending", "other_income", "tax_prior", "need", "rmd",
           "income_pretax", "income_taxable", "income_after_tax", "income_roth", "shortfall", "conversion",
           "federal_tax", "pretax_end", "roth_end", "after_tax_end", "taxable_end")


def column_letters() -> dict[str, str]:
    """Retirement column key -> letter: the printed columns (:data:`PRINTED`), the engine's other columns, then
    the workings."""
    keys = [*PRINTED, *(key for key, _, _ in COLUMNS if key not in PRINTED), *(key for key, _ in WORKINGS)]
    return {key: column_letter(index + 1) for index, key in enumerate(keys)}


def row_count(scenario) -> int:
    """Rows of the Retirement sheet: the first retirement age to the end age (at least one)."""
    first_age = retirement.first_year(scenario) - scenario.birth_year
    return max(scenario.end_age, first_age) - first_age + 1


def tables_sheet() -> tuple[Sheet, dict[str, str]]:
    """The Tables sheet and its defined names."""
    from .. import tax

    data = retirement.load()
    brackets = tax.load()
    sheet = Sheet(TABLES, column_widths={"A": 12, "B": 14, "C": 4, "D": 14, "E": 14, "F": 14, "G": 14, "H": 14,
                                         "I": 4, "J": 100}, tab_color="A5A5A5")
    sheet.put("A1", "Retirement tables: RMD divisors, start ages, standard deductions, capital-gain bands",
              style="mb_title")
    sheet.put("A3", "Age", style="mb_header")
    sheet.put("B3", "Divisor", style="mb_header")
    table = data["uniform_lifetime_table"]
    ages = sorted(int(age) for age in table["divisors"])
    for offset, age in enumerate(ages):
        sheet.put(f"A{4 + offset}", age, style="mb_int")
        sheet.put(f"B{4 + offset}", table["divisors"][str(age)], style="mb_int", number_format="0.0")
    last = 3 + len(ages)
    sheet.put("J3", "Sources", style="mb_header")
    sheet.put("J4", f"Uniform Lifetime Table (A-B): {table['source']}; {table['status']}. The age is the age "
              f"attained by 31 December; {table['last_age_means']}.", style="mb_note")
    start = data["rmd_start_age"]
    sheet.put("J5", f"RMD start age (D-E): {start['source']}. {start['roth_401k']}.", style="mb_note")
    gains = data["capital_gains"]
    for offset, year in enumerate(("2025", "2026")):
        sheet.put(f"J{6 + offset}", f"{year} (G-H, rows by filing status): {gains['years'][year]['source']}; "
                  f"{gains['years'][year]['status']}. Standard deduction (F): "
                  f"{brackets['years'][year]['standard_deduction_source']}.", style="mb_note")
    sheet.put("J8", f"Later years: {gains['projection']}. Standard deduction: "
              f"{data['standard_deduction']['projection']}.", style="mb_note")
    sheet.put("J9", f"Not modelled: {data['standard_deduction']['not_modelled']}.", style="mb_note")
    # RMD start ages by birth year.
    sheet.put("D3", "Born up to", style="mb_header")
    sheet.put("E3", "RMD start age", style="mb_header")
    for offset, row in enumerate(start["rows"]):
        sheet.put(f"D{4 + offset}", row["born_to"], style="mb_int")
        sheet.put(f"E{4 + offset}", row["age"], style="mb_int")
    # Published standard deduction and capital-gain bands by year and status.
    header = 10
    for index, text in enumerate(("Year", "Filing status", "Standard deduction", "0% band top", "15% band top")):
        sheet.put(f"{'DEFGH'[index]}{header}", text, style="mb_header")
    rows: dict[str, str] = {}
    for block, year in enumerate(("2025", "2026")):
        first = header + 1 + block * len(STATUSES)
        for offset, status in enumerate(STATUSES):
            r = first + offset
            sheet.put(f"D{r}", int(year), style="mb_int")
            sheet.put(f"E{r}", status, style="mb_cell_text")
            sheet.put(f"F{r}", brackets["years"][year]["standard_deduction"][status], style="mb_money_whole")
            sheet.put(f"G{r}", gains["years"][year]["zero_top"][status], style="mb_money_whole")
            sheet.put(f"H{r}", gains["years"][year]["fifteen_top"][status], style="mb_money_whole")
        rows[year] = f"'{TABLES}'!$F${first}:$H${first + len(STATUSES) - 1}"
    names = {
        "RmdAges": f"'{TABLES}'!$A$4:$A${last}", "RmdDivisors": f"'{TABLES}'!$B$4:$B${last}",
        "RmdBornTo": f"'{TABLES}'!$D$4:$D${3 + len(start['rows'])}",
        "RmdStartAges": f"'{TABLES}'!$E$4:$E${3 + len(start['rows'])}",
        "RetTables2025": rows["2025"], "RetTables2026": rows["2026"],
        "RetStatuses": f"'{TABLES}'!$E${header + 1}:$E${header + len(STATUSES)}",
    }
    sheet.put("A" + str(last + 2), "Bracket labels", style="mb_header")
    for index, label in enumerate(BRACKET_LABELS):
        sheet.put(f"{column_letter(2 + index)}{last + 2}", label, style="mb_cell_text")
    names["BracketLabels"] = f"'{TABLES}'!$B${last + 2}:${column_letter(1 + len(BRACKET_LABELS))}${last + 2}"
    sheet.freeze = "A4"
    return sheet, names


def _formulas(col: dict[str, str], r: int, first: bool, schedule_ref) -> dict[str, str]:
    def c(key: str, row: int = r) -> str:
        return f"{col[key]}{row}"

    p = r - 1
    year, age = c("year"), c("age")
    other_taxable = f"{c('other_income')}*OtherIncomeTaxable"
    need_after = c("w_need_after_rmd")
    pf, wt, wp1, wa, wr, wrest = (c("pretax_first"), c("taxable_withdrawal"), c("pretax_in_bracket"),
                                 c("after_tax_withdrawal"), c("roth_withdrawal"), c("pretax_rest"))
    pretax_first = 'WithdrawalOrder="pretax_first"'
    low, gains = c("ordinary_taxable"), c("gains_taxable")
    high = f"({low}+{gains})"
    lowers = [c("w_zero"), *(c(f"w_top{k}") for k in range(1, 7))]
    bracket = c("w_bracket")

    formulas = {
        "year": "=MAX(BirthYear+RetirementAge,StartYear+Years)" if first else f"={c('year', p)}+1",
        "age": f"={year}-BirthYear",
        "tables_status": f'=IF({year}<=2026,"published","projected")',
        "spending": f"=RetSpending*(1+Inflation)^({year}-StartYear)",
        "other_income": f"=IF({age}>=OtherIncomeAge,OtherIncome*(1+Inflation)^({year}-StartYear),0)",
        "tax_prior": "=0" if first else f"={c('federal_tax', p)}",
        "need": f"=MAX(0,{c('spending')}+{c('tax_prior')}-{c('other_income')})",
        "rmd": f"=IF({age}>=RmdStartAge,ROUND({c('pretax_start')}/INDEX(RmdDivisors,MATCH(MIN({age},120),"
               f"RmdAges,0)),2),0)",
        "w_need_after_rmd": f"=MAX(0,{c('need')}-{c('rmd')})",
        "pretax_first": f"=IF({pretax_first},MIN({c('pretax_start')}-{c('rmd')},{need_after}),0)",
        "taxable_withdrawal": f"=MIN({c('taxable_start')},{need_after}-{pf})",
        "pretax_room": f'=IF(PretaxBracket="37%",{NO_LIMIT:.0f},MAX(0,{c("w_pretax_top")}+'
                       f"{c('standard_deduction')}-{other_taxable}-{c('rmd')}))",
        "pretax_in_bracket": f"=IF({pretax_first},0,MIN({c('pretax_start')}-{c('rmd')}-{pf},{need_after}-{pf}"
                             f"-{wt},{c('pretax_room')}))",
        "after_tax_withdrawal": f"=MIN({c('after_tax_start')},{need_after}-{pf}-{wt}-{wp1})",
        "roth_withdrawal": f"=MIN({c('roth_start')},{need_after}-{pf}-{wt}-{wp1}-{wa})",
        "pretax_rest": f"=IF({pretax_first},0,MIN({c('pretax_start')}-{c('rmd')}-{pf}-{wp1},{need_after}-{pf}"
                       f"-{wt}-{wp1}-{wa}-{wr}))",
        "shortfall": f"=ROUND(MAX(0,{need_after}-{pf}-{wt}-{wp1}-{wa}-{wr}-{wrest}),2)",
        "rmd_reinvested": f"=MAX(0,{c('rmd')}-{c('need')})",
        "after_tax_basis_part": f"=IF({c('after_tax_start')}>0,{wa}*{c('after_tax_basis_start')}/"
                                f"{c('after_tax_start')},0)",
        "after_tax_earnings_part": f"={wa}-{c('after_tax_basis_part')}",
        "taxable_basis_part": f"=IF({c('taxable_start')}>0,{wt}*{c('taxable_basis_start')}/{c('taxable_start')},0)",
        "capital_gain": f"={wt}-{c('taxable_basis_part')}",
        "conversion_room": f'=IF(AND(ConversionBracket<>"none",{age}<RmdStartAge),MAX(0,{c("w_conversion_top")}'
                           f"+{c('standard_deduction')}-({other_taxable}+{c('income_pretax')}"
                           f"+{c('after_tax_earnings_part')})),0)",
        "conversion": f"=MIN({c('pretax_start')}-{c('rmd')}-{pf}-{wp1}-{wrest},{c('conversion_room')})",
        "ordinary_income": f"={other_taxable}+{c('income_pretax')}+{c('after_tax_earnings_part')}"
                           f"+{c('conversion')}",
        "standard_deduction": (f"=IF({year}<=2025,INDEX(RetTables2025,RetStatusIndex,1),IF({year}=2026,"
                               f"INDEX(RetTables2026,RetStatusIndex,1),INDEX(RetTables2026,RetStatusIndex,1)+FLOOR("
                               f"MAX(0,INDEX(RetTables2026,RetStatusIndex,1)*{c('w_factor')}-INDEX(RetTables2026,"
                               f"RetStatusIndex,1)),{retirement.load()['standard_deduction']['step']})))"),
        "ordinary_taxable": f"=MAX(0,{c('ordinary_income')}-{c('standard_deduction')})",
        "gains_taxable": f"=MAX(0,{c('capital_gain')}-MAX(0,{c('standard_deduction')}-{c('ordinary_income')}))",
        "w_bracket": f"=MATCH({low},{c('w_zero')}:{c('w_top6')},1)",
        "ordinary_tax": (f"=INDEX({c('w_below1')}:{c('w_below7')},1,{bracket})+({low}-INDEX({c('w_zero')}:"
                         f"{c('w_top6')},1,{bracket}))*INDEX(TaxRates,1,{bracket})"),
        "gains_tax": (f"=0.15*MAX(0,MIN({high},{c('w_fifteen_top')})-MAX({low},{c('w_zero_top')}))"
                      f"+0.2*MAX(0,{high}-MAX({low},{c('w_fifteen_top')}))"),
        "federal_tax": f"=ROUND({c('ordinary_tax')}+{c('gains_tax')},2)",
        "income_pretax": f"={c('rmd')}+{pf}+{wp1}+{wrest}",
        "income_roth": f"={wr}",
        "income_after_tax": f"={wa}",
        "income_taxable": f"={wt}",
        "income_other": f"={c('other_income')}",
        "pretax_end": f"=({c('pretax_start')}-{c('rmd')}-{pf}-{wp1}-{wrest}-{c('conversion')})*(1+ExpectedReturn)",
        "roth_end": f"=({c('roth_start')}-{wr}+{c('conversion')})*(1+ExpectedReturn)",
        "after_tax_end": f"=({c('after_tax_start')}-{wa})*(1+ExpectedReturn)",
        "after_tax_basis_end": f"={c('after_tax_basis_start')}-{c('after_tax_basis_part')}",
        "taxable_end": f"=({c('taxable_start')}-{wt}+{c('rmd_reinvested')})*(1+ExpectedReturn*(1-TaxableTaxDrag))",
        "taxable_basis_end": f"={c('taxable_basis_start')}-{c('taxable_basis_part')}+{c('rmd_reinvested')}",
        "w_zero": "=0",
        "w_factor": f"=IF({year}<=2026,1,CCPI_2025*(1+Inflation)^({year}-1-2025)/CCPI_2025)",
        "w_zero_top": _indexed(year, "RetTables2025", "RetTables2026", 2, c("w_factor"), "RetStep"),
        "w_fifteen_top": _indexed(year, "RetTables2025", "RetTables2026", 3, c("w_factor"), "RetStep"),
        "w_pretax_top": (f'=IF(PretaxBracket="37%",{NO_LIMIT:.0f},INDEX({c("w_top1")}:{c("w_top6")},1,'
                         f"MATCH(PretaxBracket,BracketLabels,0)))"),
        "w_conversion_top": (f'=IF(ConversionBracket="none",0,INDEX({c("w_top1")}:{c("w_top6")},1,'
                             f"MATCH(ConversionBracket,BracketLabels,0)))"),
        "w_shortfall_year": f"=IF({c('shortfall')}>0,{year},9999)",
    }
    for key in ("pretax", "roth", "after_tax", "after_tax_basis", "taxable", "taxable_basis"):
        formulas[f"{key}_start"] = f"={START_NAMES[key]}" if first else f"={c(f'{key}_end', p)}"
    for k in range(1, 7):
        formulas[f"w_top{k}"] = _indexed(year, "Brackets2025", "Brackets2026", k, c("w_factor"), "RetStep")
    formulas["w_below1"] = "=0"
    for k in range(2, 8):
        formulas[f"w_below{k}"] = (f"={c(f'w_below{k - 1}')}+({lowers[k - 1]}-{lowers[k - 2]})"
                                   f"*INDEX(TaxRates,1,{k - 1})")
    return formulas


def _indexed(year: str, table_2025: str, table_2026: str, column: int, factor: str, step: str) -> str:
    """A threshold for the year: published 2025/2026 (the retirement filing status's row), later years the 2026
    value indexed by the chained CPI-U factor, the increase rounded down to the step (tax.py's rule)."""
    base = f"INDEX({table_2026},RetStatusIndex,{column})"
    return (f"=IF({year}<=2025,INDEX({table_2025},RetStatusIndex,{column}),IF({year}=2026,{base},"
            f"{base}+FLOOR(MAX(0,{base}*{factor}-{base}),{step})))")


SUMMARY = (
    ("Lifetime federal tax", "lifetime_tax"),
    ("Wealth after tax at the end age", "wealth_after_tax"),
    ("Money runs out in", "run_out_year"),
    ("Shortfall, all years", "total_shortfall"),
    ("Tax-free share of withdrawals", "tax_free_share"),
)


def summary_cells() -> dict[str, tuple[str, str]]:
    """Summary key -> (label cell, value cell): two to a row from row 10, above the printed table's columns."""
    return {key: (f"{'H' if offset % 2 == 0 else 'M'}{10 + offset // 2}",
                  f"{'K' if offset % 2 == 0 else 'P'}{10 + offset // 2}")
            for offset, (_, key) in enumerate(SUMMARY)}


def retirement_sheet(scenario, schedule_letters: dict[str, str], schedule_sheet: str,
                     schedule_rows: list | None = None) -> tuple[Sheet, dict]:
    """The Retirement sheet for ``scenario`` and its defined names (the start balances); ``schedule_rows``:
    the engine's schedule of the scenario when the caller has it already."""
    col = column_letters()
    rows = row_count(scenario)
    # the engine's values size the columns (printing.py)
    projection = retirement.project(scenario, rows=schedule_rows)
    first, last = FIRST_ROW, FIRST_ROW + rows - 1
    # Widths from content (printing.py); the labels above the table run on over the narrow Year/Age columns, so
    # the columns that repeat on every page stay narrow.
    sheet = Sheet(RETIREMENT, freeze=f"C{FIRST_ROW}", tab_color="7030A0",
                  page=PageSetup(columns=f"A:{col[PRINTED[-1]]}"))
    sheet.put("A1", "Retirement: what the buckets become", style="mb_title")
    sheet.put("A2", "Educational, not individual tax advice. Federal tax only: no state tax, IRMAA, NIIT or §86 "
              "test (a fixed taxable share of other income).", style="mb_disclaimer")
    sheet.put("A3", f"Columns {column_letter(len(PRINTED) + 1)} onward (not printed) hold every step of each year: "
              "each withdrawal in order, basis and gains, the tax brackets.", style="mb_note")
    # Start balances from the Schedule's last row (megabackdoor.retirement.start_balances).
    s_last = scenario.years + 1
    sched = f"'{schedule_sheet}'!"

    def span(key: str) -> str:
        return f"{sched}${schedule_letters[key]}$2:${schedule_letters[key]}${s_last}"

    gap = "(1+ExpectedReturn)^(MAX(BirthYear+RetirementAge,StartYear+Years)-StartYear-Years)"
    weight = f"ConvGrowth*(1+ExpectedReturn)^(StartYear+Years-1-{span('year')})"
    start_formulas = {
        "pretax": f"=(ExistingPretax*(1+ExpectedReturn)^Years+SUMPRODUCT(({span('pretax_deferral')}+"
                  f"{span('employer')})*{weight}))*{gap}",
        "roth": f"=(ExistingRoth*(1+ExpectedReturn)^Years+SUMPRODUCT({span('roth_deferral')}*{weight})+"
                f"{sched}${schedule_letters['roth_balance']}${s_last})*{gap}",
        "after_tax": f"=ExistingAfterTax*(1+ExpectedReturn)^Years*{gap}",
        "after_tax_basis": "=ExistingAfterTaxBasis",
        "taxable": "=ExistingTaxable*(1+ExpectedReturn*(1-TaxableTaxDrag))^Years*(1+ExpectedReturn*(1-"
                   "TaxableTaxDrag))^(MAX(BirthYear+RetirementAge,StartYear+Years)-StartYear-Years)",
        "taxable_basis": "=ExistingTaxableBasis",
    }
    labels = {"pretax": "Pre-tax 401(k)/IRA", "roth": "Roth (incl. the mega-backdoor balance)",
              "after_tax": "After-tax 401(k) not converted", "after_tax_basis": "  its after-tax basis",
              "taxable": "Taxable account", "taxable_basis": "  its cost basis"}
    sheet.put("A4", "Buckets on 1 January of the first retirement year", style="mb_heading")
    names = {}
    for offset, key in enumerate(START_NAMES):
        r = 5 + offset
        sheet.put(f"A{r}", labels[key], style="mb_label")
        sheet.put(f"F{r}", Formula(start_formulas[key]), style="mb_money", name=START_NAMES[key],
                  sample=projection.start[key])
    for offset, (name, label, formula) in enumerate((
            ("RmdStartAge", "RMD start age (birth year)",
             "=IF(BirthYear<=INDEX(RmdBornTo,1),INDEX(RmdStartAges,1),IF(BirthYear<=INDEX(RmdBornTo,2),"
             "INDEX(RmdStartAges,2),INDEX(RmdStartAges,3)))"),
            ("RetStatusIndex", "Retirement filing status row", "=MATCH(RetFilingStatus,RetStatuses,0)"),
            ("RetStep", "Bracket rounding step ($)", "=INDEX(TaxSteps,RetStatusIndex)"))):
        sheet.put(f"H{5 + offset}", label, style="mb_label")
        sheet.put(f"K{5 + offset}", Formula(formula), style="mb_int", name=name)
    sheet.put("H9", "Summary (the with-mega-backdoor case; `megabackdoor retire` compares it with the "
              "after-tax dollars in a taxable account instead)", style="mb_heading")

    def whole(key: str) -> str:
        return f"${col[key]}${first}:${col[key]}${last}"

    withdrawn = "+".join(f"SUM({whole(k)})" for k in ("income_pretax", "income_roth", "income_after_tax",
                                                      "income_taxable"))
    tax_free = "+".join(f"SUM({whole(k)})" for k in ("income_roth", "after_tax_basis_part", "taxable_basis_part"))

    def end(key: str) -> str:
        return f"{col[key]}{last}"

    summary = {
        "lifetime_tax": f"=ROUND(SUM({whole('federal_tax')}),2)",
        "wealth_after_tax": (f"=ROUND({end('pretax_end')}*(1-EndTaxRate)+{end('roth_end')}+{end('after_tax_end')}"
                             f"-MAX(0,{end('after_tax_end')}-{end('after_tax_basis_end')})*EndTaxRate"
                             f"+{end('taxable_end')}-MAX(0,{end('taxable_end')}-{end('taxable_basis_end')})"
                             f"*EndGainsRate-{end('federal_tax')},2)"),
        "run_out_year": f'=IF(MIN({whole("w_shortfall_year")})=9999,"never",MIN({whole("w_shortfall_year")}))',
        "total_shortfall": f"=ROUND(SUM({whole('shortfall')}),2)",
        "tax_free_share": f"=IF(({withdrawn})=0,0,({tax_free})/({withdrawn}))",
    }
    cells = summary_cells()
    for label, key in SUMMARY:
        label_cell, value_cell = cells[key]
        sheet.put(label_cell, label, style="mb_label")
        style = "mb_percent" if key == "tax_free_share" else "mb_int" if key == "run_out_year" else "mb_total_money"
        sample = getattr(projection, key)
        sheet.put(value_cell, Formula(summary[key]), style=style, name=f"Ret_{key}",
                  sample="never" if key == "run_out_year" and sample is None else sample)
    for key, header, _ in COLUMNS:
        sheet.put(f"{col[key]}{FIRST_ROW - 1}", header, style="mb_header")
    for key, header in WORKINGS:
        sheet.put(f"{col[key]}{FIRST_ROW - 1}", header, style="mb_header")
    styles = {"int": "mb_int", "text": "mb_cell_text", "money": "mb_money"}
    kinds = {key: kind for key, _, kind in COLUMNS}
    for r in range(first, last + 1):
        formulas = _formulas(col, r, r == first, None)
        for key, letter in col.items():
            kind = kinds.get(key, "int" if key in ("w_bracket", "w_shortfall_year") else "money")
            style = styles[kind]
            number_format = "0.000000" if key == "w_factor" else None
            engine_row = projection.rows[r - first] if r - first < len(projection.rows) else {}
            sheet.put(f"{letter}{r}", Formula(formulas[key]), style=style, number_format=number_format,
                      sample=engine_row.get(key))
    sheet.conditional_formats += [
        ConditionalFormat(f"{col['shortfall']}{first}:{col['shortfall']}{last}", f"={col['shortfall']}{first}>0",
                          fill="F8CBAD"),  # not bold: column widths are sized for regular digits
        ConditionalFormat(f"{col['rmd']}{first}:{col['rmd']}{last}", f"={col['rmd']}{first}>0", fill="E2EFDA"),
        ConditionalFormat(f"{col['year']}{first}:{col['tables_status']}{last}",
                          f'=${col["tables_status"]}{first}="projected"', fill="EDEDED", font_color="595959"),
    ]
    ref = f"'{RETIREMENT}'!"
    categories = f"{ref}${col['year']}${first}:${col['year']}${last}"
    series = tuple(Series(title, f"{ref}{whole(key)}", f"{ref}${col[key]}${FIRST_ROW - 1}") for title, key in (
        ("Pre-tax (ordinary income)", "income_pretax"), ("Taxable account", "income_taxable"),
        ("After-tax 401(k)", "income_after_tax"), ("Roth (tax-free)", "income_roth"),
        ("Social Security / other", "income_other")))
    sheet.charts.append(Chart("stacked_column", f"A{last + 3}", "Retirement income by tax character", categories,
                              series, line_series=(Series("Federal tax", f"{ref}{whole('federal_tax')}",
                                                  f"{ref}${col['federal_tax']}${FIRST_ROW - 1}"),),
                              y_title="Dollars", x_title="Year", width_cm=32.0, height_cm=14.0))
    # 32 cm: a little narrower than the printed columns at their narrowest (19 columns), so the chart prints whole.
    return sheet, names


def sources_lines() -> list[tuple[str, str, str]]:
    """Lines for the Sources & notes sheet."""
    data = retirement.load()
    return [
        ("", "", "mb_text"),
        ("Retirement", "", "mb_heading"),
        ("Buckets", "Pre-tax = existing x (1+r)^years + each year's pre-tax deferral and employer money grown from "
         "its paydays (Inputs: ConvGrowth) to the schedule's end; Roth = existing + Roth deferrals + the "
         "mega-backdoor balance; then growth until the retirement year. After-tax money not converted and the "
         "taxable account come from the Inputs.", "mb_text"),
        ("Each year", "Need = spending (inflated) + last year's tax - other income. RMD first (prior 31 December "
         "pre-tax balance / the Uniform Lifetime Table divisor, from the start age for the birth year); then the "
         "withdrawal order; Roth conversions up to the chosen bracket before the RMD age. After-tax basis comes "
         "out pro rata (§72(e)(8)); taxable sales realise gain on average basis.", "mb_text"),
        ("Tax", "Ordinary income less the basic standard deduction by the rate schedule; long-term gains stacked "
         "on top at 0/15/20% (§1(h)); paid the next year. " + data["capital_gains"]["projection"] + ".",
         "mb_text"),
        ("RMD data", data["uniform_lifetime_table"]["source"] + "; " + data["rmd_start_age"]["source"] + ".",
         "mb_text"),
        ("Not modelled", "State tax, IRMAA, NIIT, the §86 Social Security test (a fixed taxable share instead), the "
         "additional 65+ and senior deductions, the first RMD's April deferral, the five-year and 59½ rules.",
         "mb_text"),
    ]

