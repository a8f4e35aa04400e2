"""The planning workbook: a scenario -> Inputs, Limits, Schedule, Summary, Retirement, Tables and Sources & notes
sheets (Retirement and Tables: :mod:`.retirement_sheet`).

Every number on Limits (projected years), Schedule and Summary is a live native formula over the Inputs
sheet's defined names, using only functions that LibreOffice 7.4 and every Excel since 2010 compute (MIN, MAX,
IF, AND, OR, INDEX/MATCH, SUMPRODUCT, SUM, ROUND, FLOOR): no XLOOKUP, LET or dynamic arrays. The formulas
state the same rules as :mod:`megabackdoor.schedule` and :mod:`megabackdoor.limits`; tests recalculate the
workbook with LibreOffice and ``formulas`` and compare every cell with the engine to the cent.

>>> book = build()
>>> [sheet.title for sheet in book.sheets]
['Inputs', 'Limits', 'Schedule', 'Summary', 'Retirement', 'Tables', 'Sources & notes']
>>> book.sheets[2].cells["A2"].value
'=StartYear'
"""

from __future__ import annotations

import os

from .. import DISCLAIMER, __version__, limits
from ..cadences import FILING_STATUSES, FIRST_TAX_YEAR, LAST_PUBLISHED_YEAR
from ..catchup import catchup_formula, roth_catchup_formula
from ..conversion import PAY_PERIODS
from ..errors import InputError
from ..match import match_formula
from ..scenario import CADENCES, FIELDS, MAX_MATCH_TIERS, PAY_FREQUENCIES, Field, Scenario, default_scenario
from ..schedule import COLUMNS, schedule_rows, year_end_factor_formula
from .layout import Book, Chart, ConditionalFormat, Formula, PageSetup, Series, Sheet, Validation, column_letter

INPUTS, LIMITS, SCHEDULE, SUMMARY, SOURCES = "Inputs", "Limits", "Schedule", "Summary", "Sources & notes"
DISCLAIMER_TEXT = "Educational, not individual tax advice. " + DISCLAIMER.split(": ", 1)[-1].capitalize()

# Scenario attribute -> defined name of its input cell (match tiers get MatchRate1, MatchUpTo1, ...).
NAMES = {
    "name": "ScenarioName", "start_year": "StartYear", "years": "Years", "birth_year": "BirthYear",
    "salary": "Salary", "salary_growth": "SalaryGrowth", "bonus": "Bonus",
    "prior_year_fica_wages": "PriorYearFicaWages", "deferral_policy": "DeferralPolicy",
    "deferral_amount": "DeferralAmount", "deferral_percent": "DeferralPercent",
    "roth_deferral_fraction": "RothDeferralFraction", "nonelective": "NonElective",
    "after_tax_allowed": "AfterTaxAllowed", "in_plan_conversion": "InPlanConversion",
    "in_service_withdrawal": "InServiceWithdrawal", "after_tax_cap": "AfterTaxCap",
    "conversion_cadence": "ConversionCadence", "conversions_per_year": "ConversionsPerYear",
    "pay_frequency": "PayFrequency",
    "settlement_lag_days": "SettlementLagDays", "filing_status": "FilingStatus", "marginal_rate": "MarginalRate",
    "taxable_income": "TaxableIncome", "state_rate": "StateRate", "expected_return": "ExpectedReturn",
    "inflation": "Inflation", "catchup_reading": "CatchupReading", "taxable_tax_drag": "TaxableTaxDrag",
    "retirement_age": "RetirementAge", "end_age": "EndAge", "spending": "RetSpending",
    "other_income": "OtherIncome", "other_income_age": "OtherIncomeAge",
    "other_income_taxable": "OtherIncomeTaxable", "retirement_filing_status": "RetFilingStatus",
    "existing_pretax": "ExistingPretax", "existing_roth": "ExistingRoth", "existing_after_tax": "ExistingAfterTax",
    "existing_after_tax_basis": "ExistingAfterTaxBasis", "existing_taxable": "ExistingTaxable",
    "existing_taxable_basis": "ExistingTaxableBasis", "withdrawal_order": "WithdrawalOrder",
    "pretax_bracket": "PretaxBracket", "conversion_bracket": "ConversionBracket", "end_tax_rate": "EndTaxRate",
    "end_gains_rate": "EndGainsRate",
}

# Limits sheet columns: (limit name in limits.json, column letter, defined name of the column, header).
LIMIT_COLUMNS = (
    ("415c", "D", "Lim415c", "§415(c) annual additions"),
    ("402g", "E", "Lim402g", "§402(g) elective deferrals"),
    ("catchup_50", "F", "LimCatchup50", "Catch-up, age 50+"),
    ("catchup_60_63", "G", "LimCatchup6063", "Catch-up, ages 60-63"),
    ("401a17", "H", "Lim401a17", "§401(a)(17) compensation"),
    ("roth_catchup_wage_threshold", "I", "LimRothThreshold", "Roth catch-up wage threshold"),
)
LIMITS_FIRST_ROW = 5
CPI_NAMES = {"1996Q3": "CPI_Q3_1996", "2001Q3": "CPI_Q3_2001", "2005Q3": "CPI_Q3_2005",
             "2023Q3": "CPI_Q3_2023", "2024Q3": "CPI_Q3_2024", "2025Q3": "CPI_Q3_2025"}


def _attribute(field: Field) -> str:
    from ..scenario import _attribute as attribute

    return attribute(field)


def _input_style(field: Field) -> str:
    return {"money": "mb_input_money", "fraction": "mb_input_percent", "rate": "mb_input_percent",
            "year": "mb_input_int", "whole": "mb_input_int"}.get(field.kind, "mb_input_text")


def _validation(field: Field, scenario: Scenario, years: tuple[int, int]) -> Validation:
    # The field's note is the input message shown when the cell is selected (Excel allows 255 characters;
    # the full note is in column C).
    prompt = field.note if len(field.note) <= 255 else field.note[:252] + "..."
    if field.kind == "choice":
        return Validation("list", options=field.choices, prompt=prompt)
    if field.key == "start_year":
        # The Limits table covers years[0]..years[1]; the schedule must stay inside it.
        return Validation("whole", minimum=years[0], maximum=years[1] - scenario.years + 1,
                          prompt=f"{years[0]} to {years[1] - scenario.years + 1}: the years of the Limits table "
                                 "(regenerate the workbook for others)")
    if field.key in ("retirement_age", "end_age"):
        # The Retirement sheet has one row per year from the retirement age to the end age.
        value = getattr(scenario, field.key)
        return Validation("whole", minimum=value, maximum=value,
                          prompt="The number of retirement rows is fixed: regenerate the workbook to change it")
    if field.key == "years":
        return Validation("whole", minimum=scenario.years, maximum=scenario.years,
                          prompt="The number of rows is fixed: regenerate the workbook to change it")
    if field.kind in ("year", "whole"):
        return Validation("whole", minimum=field.low, maximum=field.high, prompt=prompt)
    if field.kind in ("money", "fraction", "rate"):
        return Validation("decimal", minimum=field.low, maximum=field.high, prompt=prompt)
    return Validation("text_length", minimum=0, maximum=200, prompt=prompt)


def limits_years(scenario: Scenario) -> tuple[int, int]:
    """First and last year of the Limits table: from the schedule's first year (or 2026, the last published
    year, which seeds the projection) to its last year."""
    last = scenario.start_year + scenario.years - 1
    return min(scenario.start_year, limits.LAST_PUBLISHED_YEAR), max(last, limits.LAST_PUBLISHED_YEAR)


def _inputs_sheet(scenario: Scenario) -> Sheet:
    sheet = Sheet(INPUTS, column_widths={"A": 42, "B": 20, "C": 90}, tab_color="FFC000")
    sheet.put("A1", "Mega-backdoor Roth plan: inputs", style="mb_title")
    sheet.put("A2", DISCLAIMER_TEXT, style="mb_disclaimer")
    sheet.put("A3", "Yellow cells are the inputs: change them and every other sheet follows.", style="mb_note")
    sheet.put("A4", "Input", style="mb_header")
    sheet.put("B4", "Value", style="mb_header")
    sheet.put("C4", "What it means", style="mb_header")
    row = 5
    years = limits_years(scenario)
    for field in FIELDS:
        value = getattr(scenario, _attribute(field))
        if field.kind == "tiers":
            tiers = list(value) + [(0.0, value[-1][1] if value else 0.0)] * (MAX_MATCH_TIERS - len(value))
            for index, (rate, up_to) in enumerate(tiers, 1):
                sheet.put(f"A{row}", f"Match tier {index}: rate", style="mb_label")
                sheet.put(f"B{row}", rate, style="mb_input_percent", name=f"MatchRate{index}",
                          validation=Validation("decimal", minimum=0, maximum=2))
                sheet.put(f"C{row}", "Employer match rate on deferrals in this tier (0 = unused tier).",
                          style="mb_note")
                sheet.put(f"A{row + 1}", f"Match tier {index}: up to % of pay", style="mb_label")
                sheet.put(f"B{row + 1}", up_to, style="mb_input_percent", name=f"MatchUpTo{index}",
                          validation=Validation("decimal", minimum=0, maximum=1))
                sheet.put(f"C{row + 1}", "Cumulative upper bound of the tier as a share of pay capped at "
                          "§401(a)(17); not below the previous tier's.", style="mb_note")
                row += 2
            continue
        sheet.put(f"A{row}", field.label, style="mb_label")
        sheet.put(f"B{row}", value, style=_input_style(field), name=NAMES[_attribute(field)],
                  validation=_validation(field, scenario, years))
        default = field.path in scenario.defaults_used
        sheet.put(f"C{row}", ("Default (not stated in the scenario file). " if default else "") + field.note,
                  style="mb_note")
        row += 1
    _conversion_block(sheet, row + 1)
    _defaults_block(sheet, scenario)
    sheet.freeze = "A5"
    return sheet


def _defaults_block(sheet: Sheet, scenario: Scenario) -> None:
    """"Defaults used" below everything else on the Inputs sheet: the defaults the numbers use because the
    scenario file did not state them (the same list the command line prints)."""
    from ..scenario import BUILT_IN, FIELD_BY_PATH, defaults_line

    row = max(int("".join(c for c in ref if c.isdigit())) for ref in sheet.cells) + 2
    sheet.put(f"A{row}", "Defaults used", style="mb_heading")
    if BUILT_IN in scenario.defaults_used or not scenario.defaults_used:
        sheet.put(f"C{row}", defaults_line(scenario).replace("`", ""), style="mb_note")
        return
    sheet.put(f"C{row}", "Not stated in the scenario file, so these defaults were used; state them in the file "
              "(or edit the yellow cells) if they do not fit the client.", style="mb_note")
    for offset, path in enumerate(scenario.defaults_used, 1):
        field = FIELD_BY_PATH[path]
        value = getattr(scenario, _attribute(field))
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        sheet.put(f"A{row + offset}", path, style="mb_label")
        sheet.put(f"C{row + offset}", f"{shown}: {field.label}", style="mb_note")


# m for each cadence (at_separation: not used, its earnings have their own closed form).
CONVERSIONS_PER_YEAR = {"daily": 0, "weekly": 52, "semimonthly": 24, "monthly": 12, "quarterly": 4,
                        "semiannual": 2, "annual": 1, "at_separation": 1}


def _gcd_formula(n: int, m: str) -> str:
    """GCD(n, m) for a fixed n and a whole-number cell m, with MAX/IF/FLOOR only: the largest divisor d of n
    that divides m (FLOOR(m/d, 1)*d = m is exact for whole numbers this small).

    >>> _gcd_formula(4, "M")
    '=MAX(1,IF(FLOOR(M/2,1)*2=M,2,0),IF(FLOOR(M/4,1)*4=M,4,0))'
    """
    divisors = [d for d in range(2, n + 1) if n % d == 0]
    return "=MAX(1," + ",".join(f"IF(FLOOR({m}/{d},1)*{d}={m},{d},0)" for d in divisors) + ")"


def _conversion_block(sheet: Sheet, row: int) -> None:
    """Tables and derived cells of the conversion closed form (megabackdoor.conversion.conversion_earnings)."""
    import math

    sheet.put(f"A{row}", "Conversion model (derived: do not edit)", style="mb_heading")
    sheet.put(f"C{row}", "Contributions arrive each payday (n a year); conversions happen m times a year on "
              "fixed dates, after the settlement lag L; money waiting earns the expected return, and those "
              "earnings are taxable on conversion (IRC §402A(c)(4), §408A(d)(3)(A)).", style="mb_note")
    row += 1
    sheet.put(f"A{row}", "Pay frequency", style="mb_header")
    sheet.put(f"B{row}", "Paydays a year (n)", style="mb_header")
    pay_first = row + 1
    for offset, frequency in enumerate(PAY_FREQUENCIES):
        sheet.put(f"A{pay_first + offset}", frequency, style="mb_cell_text")
        sheet.put(f"B{pay_first + offset}", PAY_PERIODS[frequency], style="mb_int")
    pay_last = pay_first + len(PAY_FREQUENCIES) - 1
    row = pay_last + 2
    sheet.put(f"A{row}", "Conversion cadence", style="mb_header")
    sheet.put(f"B{row}", "Conversions a year (m)", style="mb_header")
    sheet.put(f"C{row}", "Greatest common divisor of n and m, by pay frequency: "
              + ", ".join(PAY_FREQUENCIES), style="mb_header")
    cadence_first = row + 1
    for offset, cadence in enumerate(CADENCES):
        r = cadence_first + offset
        sheet.put(f"A{r}", cadence, style="mb_cell_text")
        if cadence in ("per_paycheck", "n_per_year"):
            sheet.put(f"B{r}", Formula("=ConvN" if cadence == "per_paycheck" else "=ConversionsPerYear"),
                      style="mb_int")
        else:
            sheet.put(f"B{r}", CONVERSIONS_PER_YEAR[cadence], style="mb_int")
        for index, frequency in enumerate(PAY_FREQUENCIES):
            n = PAY_PERIODS[frequency]
            cell = f"{column_letter(4 + index)}{r}"
            if cadence == "n_per_year":
                sheet.put(cell, Formula(_gcd_formula(n, "ConversionsPerYear")), style="mb_int")
            else:
                m = n if cadence == "per_paycheck" else CONVERSIONS_PER_YEAR[cadence]
                sheet.put(cell, math.gcd(n, m), style="mb_int")
    cadence_last = cadence_first + len(CADENCES) - 1
    gcd_range = f"$D${cadence_first}:${column_letter(3 + len(PAY_FREQUENCIES))}${cadence_last}"
    row = cadence_last + 2
    derived = [
        ("ConvN", "Paydays a year (n)", f"=INDEX($B${pay_first}:$B${pay_last},MATCH(PayFrequency,"
                                        f"$A${pay_first}:$A${pay_last},0))"),
        ("ConvM", "Conversions a year (m; 0 = as soon as settled)",
         f"=INDEX($B${cadence_first}:$B${cadence_last},MATCH(ConversionCadence,$A${cadence_first}:$A${cadence_last},0))"),
        ("ConvG", "g = GCD(n, m)", f"=INDEX({gcd_range},MATCH(ConversionCadence,$A${cadence_first}:"
                                   f"$A${cadence_last},0),MATCH(PayFrequency,$A${pay_first}:$A${pay_last},0))"),
        ("ConvP", "p = n / g", "=ConvN/ConvG"),
        ("ConvRem", "(m n L) mod 365g", "=ConvM*ConvN*SettlementLagDays-365*ConvG*FLOOR(ConvM*ConvN*"
                                        "SettlementLagDays/(365*ConvG),1)"),
        ("ConvBase", "base wait (years): L/365 + psi/(365 n m)",
         "=IF(ConvM=0,SettlementLagDays/365,SettlementLagDays/365+IF(ConvRem=0,0,365*ConvG-ConvRem)"
         "/(365*ConvN*ConvM))"),
        ("ConvLeft", "c: paydays not yet converted on 31 December",
         "=ConvN-FLOOR(ConvN*(365-SettlementLagDays)/365,1)"),
        ("ConvAtSeparation", "Converts at separation only (1 = yes)",
         '=IF(OR(ConversionCadence="at_separation",AND(AfterTaxAllowed="yes",InPlanConversion="no",'
         'InServiceWithdrawal="no")),1,0)'),
        ("ScheduleLastYear", "Separation: 31 December of", "=StartYear+Years-1"),
        # schedule.year_end_factor's formula (a series near r = 0, where the closed form loses every digit).
        ("ConvGrowth", "F: year-end value of $1 a year on paydays",
         "=" + year_end_factor_formula("ExpectedReturn", "ConvN")),
        ("ConvGrowthTaxable", "F at the taxable return r(1 - drag)",
         "=" + year_end_factor_formula("(ExpectedReturn*(1-TaxableTaxDrag))", "ConvN")),
        ("TaxStatusIndex", "Bracket table row (filing status)",
         '=MATCH(IF(FilingStatus="marginal_rate","single",FilingStatus),TaxStatuses,0)'),
        ("TaxStep", "Bracket rounding step ($)", "=INDEX(TaxSteps,TaxStatusIndex)"),
    ]
    notes = {
        "ConvAtSeparation": "1 when the cadence is at_separation, or the plan offers neither an in-plan "
                            "conversion nor an in-service withdrawal: everything converts at the end of the last year.",
        "ScheduleLastYear": "The assumed separation: the last schedule year.",
        "ConvGrowth": "r / (n ((1+r)^(1/n) - 1)): each payday's after-tax money grows to 31 December, converted "
                      "or not.",
        "ConvGrowthTaxable": "The same factor for the taxable-account alternative.",
    }
    for offset, (name, label, formula) in enumerate(derived):
        r = row + offset
        sheet.put(f"A{r}", label, style="mb_label")
        sheet.put(f"B{r}", Formula(formula), style="mb_int", number_format="0.########", name=name)
        if name in notes:
            sheet.put(f"C{r}", notes[name], style="mb_note")


RATIO_COLUMNS = {"2001Q3": "AO", "2005Q3": "AP", "2023Q3": "AQ", "2024Q3": "AR"}


def _indexed_formula(base: float, period: str, step: int, r: int) -> str:
    # §415(d): the increase base x ratio - base (ratio in the period's column) rounded down to the step,
    # never negative.
    base_text = f"{base:g}"
    ratio = f"${RATIO_COLUMNS[period]}{r}"
    return f"{base_text}+FLOOR(MAX(0,{base_text}*{ratio}-{base_text}),{step})"


def _ratio_formula(period: str, r: int) -> str:
    # §415(d) ratio: CPI / base-period CPI truncated to 5 decimals, then rounded to 4 (IRS practice).
    return f"=ROUND(FLOOR($C{r}/{CPI_NAMES[period]},0.00001),4)"


def _limits_sheet(scenario: Scenario) -> tuple[Sheet, list[int], int]:
    data = limits.load()
    q3 = data["indexes"]["cpi_u_q3_sum"]
    last_q3 = q3["last_known"]
    last_q3_year = int(last_q3[:4])
    first_year, last_year = limits_years(scenario)
    sheet = Sheet(LIMITS, column_widths={"A": 8, "B": 11, "C": 14, "D": 14, "E": 14, "F": 13, "G": 13, "H": 15,
                                         "I": 15, "J": 60, "L": 30, "M": 12}, freeze="B5", tab_color="5B9BD5",
                  page=PageSetup(columns="A:J"))  # prints limits and sources; index data and tax tables are workings
    sheet.put("A1", "IRS limits by year: published values, and projections by each limit's statutory rule",
              style="mb_title")
    sheet.put("A2", f"Published through {limits.LAST_PUBLISHED_YEAR} (IRS notices, column J). Later years "
              "(grey, italic) are projected by formula from the Inflation input: §415(d) ratio of the "
              "July-September CPI-U sum to the base quarter, truncated to 5 decimals then rounded to 4; the "
              "increase rounded down to the limit's step; never below the prior year.", style="mb_note")
    headers = ["Year", "Status", "CPI-U Jul-Sep sum (prior year)"] + [h for _, _, _, h in LIMIT_COLUMNS] + [
        "Source"]
    for index, header in enumerate(headers):
        sheet.put(f"{column_letter(index + 1)}4", header, style="mb_header")
    for period, ratio_column in RATIO_COLUMNS.items():
        sheet.put(f"{ratio_column}4", f"§415(d) ratio to {period}", style="mb_header")
    # Index data block with a defined name per CPI quarter.
    sheet.put("L4", "Index data (NSA CPI-U, Jul-Sep sum)", style="mb_header")
    sheet.put("M4", "Value", style="mb_header")
    for offset, (period, name) in enumerate(CPI_NAMES.items()):
        sheet.put(f"L{5 + offset}", f"{period} (BLS CUUR0000SA0)", style="mb_cell_text")
        sheet.put(f"M{5 + offset}", q3[period], style="mb_int", number_format="0.000", name=name)
    projected_rows = []
    for offset, year in enumerate(range(first_year, last_year + 1)):
        r = LIMITS_FIRST_ROW + offset
        sheet.put(f"A{r}", year, style="mb_int")
        published = year <= limits.LAST_PUBLISHED_YEAR
        sheet.put(f"B{r}", "published" if published else "projected", style="mb_cell_text")
        prior_q3 = f"{year - 1}Q3"
        if published:
            if prior_q3 in q3:
                sheet.put(f"C{r}", q3[prior_q3], style="mb_int", number_format="0.000")
            for name, column, _, _ in LIMIT_COLUMNS:
                value = limits.PUBLISHED.get((name, year))
                sheet.put(f"{column}{r}", value if value is not None else 0, style="mb_money_whole")
            source = limits.limit_record("415c")["values"][str(year)]["source"]
            sheet.put(f"J{r}", f"{source}; 0 = the limit did not exist that year", style="mb_note")
            continue
        projected_rows.append(year)
        sheet.put(f"C{r}", Formula(f"={CPI_NAMES[last_q3]}*(1+Inflation)^(A{r}-1-{last_q3_year})"),
                  style="mb_int", number_format="0.000")
        for period, ratio_column in RATIO_COLUMNS.items():
            sheet.put(f"{ratio_column}{r}", Formula(_ratio_formula(period, r)), style="mb_int",
                      number_format="0.0000")
        for name, column, _, _ in LIMIT_COLUMNS:
            rule = limits.limit_record(name)["indexing"]
            if name == "catchup_60_63":
                reading_a = f"MAX({_indexed_formula(rule['base_amount'], rule['base_period'], rule['step'], r)}," \
                            f"{rule['frozen_amount']})"
                reading_b = _indexed_formula(rule["frozen_amount"], rule["base_period"], rule["step"], r)
                statutory = f'IF(CatchupReading="B",{reading_b},{reading_a})'
            else:
                statutory = _indexed_formula(rule["base_amount"], rule["base_period"], rule["step"], r)
            sheet.put(f"{column}{r}", Formula(f"=MAX({column}{r - 1},{statutory})"), style="mb_projected_money")
        sheet.put(f"J{r}", f"projected: statutory indexing at the Inflation input (published for "
                  f"{year} by the IRS in late {year - 1})", style="mb_note")
    last_row = LIMITS_FIRST_ROW + last_year - first_year
    _tax_tables(sheet, first_year, last_year)
    return sheet, projected_rows, last_row


TAX_STATUSES = FILING_STATUSES
TAX_LOWER, TAX_UPPERS, TAX_BELOW, TAX_FACTOR = "O", "PQRSTU", ("V", "W", "X", "Y", "Z", "AA", "AB"), "AC"
# The two published rate schedules (first and last published year), each filing status a row.
TAX_PUBLISHED_ROW = {FIRST_TAX_YEAR: 5, LAST_PUBLISHED_YEAR: 5 + len(TAX_STATUSES)}
SELECTED_ROW = {FIRST_TAX_YEAR: 6 + 2 * len(TAX_STATUSES), LAST_PUBLISHED_YEAR: 7 + 2 * len(TAX_STATUSES)}


def _tax_tables(sheet: Sheet, first_year: int, last_year: int) -> None:
    """Federal rate schedules for the selected filing status, by year (tax.py: 2025-2026 published, later
    years indexed from 2026 by chained CPI-U, the increase rounded down to $25/$50, never falling)."""
    from .. import tax

    data = tax.load()
    rates = [rate for rate, _ in data["years"][str(LAST_PUBLISHED_YEAR)]["brackets"]["single"]]
    sheet.put("N3", "Federal bracket rates", style="mb_label")
    for index, rate in enumerate(rates):
        sheet.put(f"{column_letter(15 + index)}3", rate, style="mb_percent")
    sheet.put(f"{TAX_LOWER}4", "Bracket 1 starts", style="mb_header")
    for index, letter in enumerate(TAX_UPPERS):
        sheet.put(f"{letter}4", f"Top of {rates[index]:.0%} bracket", style="mb_header")
    for index, letter in enumerate(TAX_BELOW):
        sheet.put(f"{letter}4", f"Tax below bracket {index + 1}", style="mb_header")
    sheet.put(f"{TAX_FACTOR}4", "C-CPI-U factor vs 2025", style="mb_header")
    chained = limits.load()["indexes"]["chained_cpi_u_avg"]
    base_index_year = data["projection"]["base_index_year"]
    for offset in range(last_year - first_year + 1):
        r = LIMITS_FIRST_ROW + offset
        sheet.put(f"{TAX_FACTOR}{r}", Formula(f"=IF($A{r}<={LAST_PUBLISHED_YEAR},1,CCPI_{base_index_year}*(1+Inflation)"
                                              f"^($A{r}-1-{base_index_year})/CCPI_{base_index_year})"),
                  style="mb_int", number_format="0.000000")
        sheet.put(f"{TAX_LOWER}{r}", 0, style="mb_money_whole")
        for index, letter in enumerate(TAX_UPPERS):
            # The selected filing status's published thresholds (rows SELECTED_ROW), indexed after 2026.
            selected = {year: f"${column_letter(33 + index)}${row}" for year, row in SELECTED_ROW.items()}
            base = selected[LAST_PUBLISHED_YEAR]
            sheet.put(f"{letter}{r}", Formula(
                f"=IF($A{r}<={FIRST_TAX_YEAR},{selected[FIRST_TAX_YEAR]},IF($A{r}={LAST_PUBLISHED_YEAR},{base},"
                f"{base}+FLOOR(MAX(0,{base}*${TAX_FACTOR}{r}-{base}),TaxStep)))"), style="mb_money_whole")
        sheet.put(f"{TAX_BELOW[0]}{r}", 0, style="mb_money")
        lowers = [TAX_LOWER, *TAX_UPPERS]
        for index in range(1, len(TAX_BELOW)):
            sheet.put(f"{TAX_BELOW[index]}{r}", Formula(
                f"={TAX_BELOW[index - 1]}{r}+({lowers[index]}{r}-{lowers[index - 1]}{r})*INDEX(TaxRates,1,{index})"),
                style="mb_money")
    sheet.put("AE4", "Published schedule", style="mb_header")
    sheet.put("AF4", "Filing status", style="mb_header")
    for index in range(len(TAX_UPPERS)):
        sheet.put(f"{column_letter(33 + index)}4", f"Top of {rates[index]:.0%}", style="mb_header")
    sheet.put("AM4", "Rounding step", style="mb_header")
    for year, first in TAX_PUBLISHED_ROW.items():
        for offset, status in enumerate(TAX_STATUSES):
            r = first + offset
            sheet.put(f"AE{r}", f"{year}: {data['years'][str(year)]['source'][:60]}", style="mb_note")
            sheet.put(f"AF{r}", status, style="mb_cell_text")
            for index, (_, upper) in enumerate(data["years"][str(year)]["brackets"][status][:len(TAX_UPPERS)]):
                sheet.put(f"{column_letter(33 + index)}{r}", upper, style="mb_money_whole")
            sheet.put(f"AM{r}", data["projection"]["step"][status], style="mb_money_whole")
    for year, r in SELECTED_ROW.items():
        sheet.put(f"AE{r}", f"{year}, selected filing status", style="mb_note")
        sheet.put(f"AF{r}", Formula('=IF(FilingStatus="marginal_rate","single",FilingStatus)'), style="mb_cell_text")
        for index in range(len(TAX_UPPERS)):
            sheet.put(f"{column_letter(33 + index)}{r}",
                      Formula(f"=INDEX(Brackets{year},TaxStatusIndex,{index + 1})"), style="mb_money_whole")
    sheet.put("L12", f"C-CPI-U 12-month average, {base_index_year} (§1(f)(3))", style="mb_cell_text")
    sheet.put("M12", chained[base_index_year], style="mb_int", number_format="0.000000",
              name=f"CCPI_{base_index_year}")


def _tax_names(last_row: int) -> dict[str, str]:
    limits_ref = f"'{LIMITS}'!"
    end = last_row
    first, last = TAX_PUBLISHED_ROW[FIRST_TAX_YEAR], TAX_PUBLISHED_ROW[LAST_PUBLISHED_YEAR]
    count = len(TAX_STATUSES)
    return {
        "TaxRates": f"{limits_ref}$O$3:$U$3",
        "TaxLowers": f"{limits_ref}${TAX_LOWER}${LIMITS_FIRST_ROW}:${TAX_UPPERS[-1]}${end}",
        "TaxBelow": f"{limits_ref}${TAX_BELOW[0]}${LIMITS_FIRST_ROW}:${TAX_BELOW[-1]}${end}",
        f"Brackets{FIRST_TAX_YEAR}": f"{limits_ref}$AG${first}:$AL${first + count - 1}",
        f"Brackets{LAST_PUBLISHED_YEAR}": f"{limits_ref}$AG${last}:$AL${last + count - 1}",
        "TaxStatuses": f"{limits_ref}$AF${first}:$AF${first + count - 1}",
        "TaxSteps": f"{limits_ref}$AM${first}:$AM${first + count - 1}",
    }


def _limit_names(last_row: int) -> dict[str, str]:
    columns = [("LimYear", "A"), ("LimStatus", "B")] + [(name, column) for _, column, name, _ in LIMIT_COLUMNS]
    return {name: f"'{LIMITS}'!${column}${LIMITS_FIRST_ROW}:${column}${last_row}" for name, column in columns}


def schedule_formulas(col: dict[str, str], r: int, first: bool) -> dict[str, str]:
    """The Schedule sheet's formula for every column in row ``r`` (``col``: column key -> letter)."""
    def c(key: str, row: int = r) -> str:
        return f"{col[key]}{row}"

    p = r - 1
    match = c("limits_row")
    years_in = f"({c('year')}-StartYear)"
    ceiling = f"{c('limit_402g')}+{c('catchup_limit')}"
    over = c("deferral_over_402g")
    over_415 = f"{c('deferral')}-{over}+{c('employer')}-{c('limit_415c_used')}"
    pay = c("compensation_capped")
    d = c("deferral")
    taxable_rate = "ExpectedReturn*(1-TaxableTaxDrag)"
    at, ti, x = c("after_tax_contribution"), c("taxable_income"), c("taxable_conversion")
    j = c("separation_paydays")

    def since_start(key: str) -> str:  # this column from the first schedule row down to this row
        return f"${col[key]}$2:{c(key)}"

    formulas = {
        "year": "=StartYear" if first else f"={c('year', p)}+1",
        "age": f"={c('year')}-BirthYear",
        "limits_status": f"=INDEX(LimStatus,{match})",
        "limit_415c": f"=INDEX(Lim415c,{match})",
        "limit_402g": f"=INDEX(Lim402g,{match})",
        "catchup_limit": "=" + catchup_formula(c("age"), c("year"), f"INDEX(LimCatchup50,{match})",
                                               f"INDEX(LimCatchup6063,{match})"),
        "limit_401a17": f"=INDEX(Lim401a17,{match})",
        "roth_catchup_threshold": f"=INDEX(LimRothThreshold,{match})",
        "compensation": (f"=ROUND(Salary*(1+SalaryGrowth)^{years_in},2)"
                         f"+ROUND(Bonus*(1+SalaryGrowth)^{years_in},2)"),
        "compensation_capped": f"=MIN({c('compensation')},{c('limit_401a17')})",
        "deferral": (f'=IF(DeferralPolicy="max",MIN({ceiling},{c("compensation")}),'
                     f'IF(DeferralPolicy="fixed",MIN(DeferralAmount,{ceiling},{c("compensation")}),'
                     f'MIN(ROUND(DeferralPercent*{c("compensation")},2),{ceiling},{c("compensation")})))'),
        "deferral_over_402g": f"=MAX(0,{d}-{c('limit_402g')})",
        # Catch-up used: deferrals above §402(g), then deferrals that would break §415(c), up to the limit.
        "catchup_used": (f"={over}+IF({over_415}>0,MIN({c('catchup_limit')}-{over},{over_415},"
                         f"{d}-{over}),0)"),
        "non_catchup_deferral": f"={d}-{c('catchup_used')}",
        "employer_match": f"=ROUND({match_formula(d, pay, MAX_MATCH_TIERS)},2)",
        "employer_nonelective": f"=ROUND(NonElective*{pay},2)",
        "employer": f"={c('employer_match')}+{c('employer_nonelective')}",
        "limit_415c_used": f"=MIN({c('limit_415c')},{c('compensation')})",
        "room_before_cap": (f"=MAX(0,{c('limit_415c_used')}-({c('non_catchup_deferral')}"
                            f"+{c('employer')}))"),
        "plan_cap_amount": f"=AfterTaxCap*{pay}",
        "after_tax_room": f"=MIN({c('room_before_cap')},{c('plan_cap_amount')})",
        "binding": (f'=IF({c("plan_cap_amount")}<{c("room_before_cap")},"plan_cap",'
                    f'IF({c("room_before_cap")}<=0,"none",'
                    f'IF({c("compensation")}<{c("limit_415c")},"100pct_of_pay","415c_dollars")))'),
        "after_tax_contribution": f'=IF(AfterTaxAllowed="yes",{c("after_tax_room")},0)',
        "prior_year_fica_wages": "=PriorYearFicaWages" if first else f"={c('compensation', p)}",
        "roth_catchup_required": "=" + roth_catchup_formula(c("year"), c("prior_year_fica_wages"),
                                                            c("roth_catchup_threshold")),
        "roth_deferral": (f"=MIN({d},MAX(ROUND({d}*RothDeferralFraction,2),"
                          f"IF({c('roth_catchup_required')}=1,{c('catchup_used')},0)))"),
        "pretax_deferral": f"={d}-{c('roth_deferral')}",
        "total_contributions": f"={d}+{c('employer')}+{c('after_tax_contribution')}",
        "taxable_income": f"=ROUND(TaxableIncome*(1+SalaryGrowth)^{years_in},2)",
        # conversion.conversion_earnings, closed form for periodic cadences (its docstring), to the cent.
        # At separation: the last row converts the basis and the earnings of this and every earlier row.
        "earnings_converted": (f"=IF(ConvAtSeparation=1,IF({c('year')}=ScheduleLastYear,"
                               f"ROUND(SUMPRODUCT({since_start('separation_earnings')}),2),0),"
                               f"ROUND(IF(ExpectedReturn=0,0,IF(ConvM=0,{at}*((1+ExpectedReturn)"
                               f"^(SettlementLagDays/365)-1),{at}/ConvN*ConvG*((1+ExpectedReturn)^ConvBase"
                               f"*((1+ExpectedReturn)^(1/ConvM)-1)/((1+ExpectedReturn)^(1/(ConvP*ConvM))-1)"
                               f"-ConvP))),2))"),
        "amount_converted": f"={c('basis_converted')}+{c('earnings_converted')}",
        "unconverted_at_year_end": (f"=IF(ConvAtSeparation=1,IF({c('year')}=ScheduleLastYear,0,"
                                    f"ROUND({c('roth_balance')},2)),"
                                    f"ROUND(IF(ConvLeft=0,0,IF(ExpectedReturn=0,{at}/ConvN*ConvLeft,{at}/ConvN"
                                    f"*((1+ExpectedReturn)^(ConvLeft/ConvN)-1)/((1+ExpectedReturn)^(1/ConvN)-1)))"
                                    f",2))"),
        # conversion.conversion_earnings 'at_separation' with K = last year - year (whole years), J paydays
        # settled by separation: a[(1+r)^(1+K-J/n)((1+r)^(J/n)-1)/((1+r)^(1/n)-1) - J + (n-J)((1+r)^(L/365)-1)].
        "separation_paydays": (f"=MIN(ConvN,FLOOR(ConvN*(365*(1+ScheduleLastYear-{c('year')})"
                               f"-SettlementLagDays)/365,1))"),
        "separation_earnings": (f"=IF(ConvAtSeparation=1,ROUND(IF(ExpectedReturn=0,0,{at}/ConvN*("
                                f"(1+ExpectedReturn)^(1+ScheduleLastYear-{c('year')}-{j}/ConvN)"
                                f"*((1+ExpectedReturn)^({j}/ConvN)-1)/((1+ExpectedReturn)^(1/ConvN)-1)-{j}"
                                f"+(ConvN-{j})*((1+ExpectedReturn)^(SettlementLagDays/365)-1))),2),0)"),
        # tax.conversion_tax: taxable = amount - basis, to the cent (a difference of large amounts carries
        # float noise, 751.0999999999985 for 751.10, that ROUND would see differently in different engines);
        # flat rate, or T(income + taxable) - T(income) with each T to the cent.
        "taxable_conversion": (f"=ROUND(IF({c('amount_converted')}>{c('basis_converted')},"
                               f"{c('amount_converted')}-{c('basis_converted')},0),2)"),
        "federal_tax": (f'=IF(FilingStatus="marginal_rate",ROUND({x}*MarginalRate,2),'
                        f"ROUND({c('tax_after')}-{c('tax_before')},2))"),
        "state_tax": f"=IF(StateRate=0,0,ROUND({x}*StateRate,2))",
        "conversion_tax": f"=ROUND({c('federal_tax')}+{c('state_tax')},2)",
        "limits_row": f"=MATCH({c('year')},LimYear,0)",
        "tax_bracket_before": f"=MAX(1,SUMPRODUCT((TaxLowers<{ti})*(LimYear={c('year')})))",
        "tax_before": (f"=ROUND(INDEX(TaxBelow,{match},{c('tax_bracket_before')})+({ti}-INDEX(TaxLowers,{match},"
                       f"{c('tax_bracket_before')}))*INDEX(TaxRates,1,{c('tax_bracket_before')}),2)"),
        "tax_bracket_after": f"=MAX(1,SUMPRODUCT((TaxLowers<({ti}+{x}))*(LimYear={c('year')})))",
        "tax_after": (f"=ROUND(INDEX(TaxBelow,{match},{c('tax_bracket_after')})+(({ti}+{x})-INDEX(TaxLowers,"
                      f"{match},{c('tax_bracket_after')}))*INDEX(TaxRates,1,{c('tax_bracket_after')}),2)"),
        "conversion_tax_to_date": (f"={c('conversion_tax')}" if first else
                                   f"={c('conversion_tax_to_date', p)}+{c('conversion_tax')}"),
        "basis_converted": (f"=IF(ConvAtSeparation=1,IF({c('year')}=ScheduleLastYear,"
                            f"SUMPRODUCT({since_start('after_tax_contribution')}),0),{at})"),
        "roth_basis": f"={c('basis_converted')}" if first else f"={c('roth_basis', p)}+{c('basis_converted')}",
        # schedule.year_end_factor: each payday's money grows to 31 December, converted or not.
        "roth_balance": (f"={at}*ConvGrowth" if first else
                         f"={c('roth_balance', p)}*(1+ExpectedReturn)+{at}*ConvGrowth"),
        "taxable_balance": (f"={at}*ConvGrowthTaxable" if first else
                            f"={c('taxable_balance', p)}*(1+{taxable_rate})+{at}*ConvGrowthTaxable"),
        "advantage": f"={c('roth_balance')}-{c('taxable_balance')}-{c('conversion_tax_to_date')}",
    }
    return formulas


SCHEDULE_STYLE = {"int": "mb_int", "text": "mb_cell_text", "money": "mb_money", "flag": "mb_int"}
# Workings to the right of the schedule (bracket-mode tax on income before and after the conversion).
HELPER_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("limits_row", "Workings: row of the year in the Limits table", "int"),
    ("tax_bracket_before", "Workings: bracket # before conversion", "int"),
    ("tax_before", "Workings: tax on income before conversion", "money"),
    ("tax_bracket_after", "Workings: bracket # after conversion", "int"),
    ("tax_after", "Workings: tax on income after conversion", "money"),
    ("separation_paydays", "Workings: paydays of the year settled by separation (J)", "int"),
)


def column_letters() -> dict[str, str]:
    """Schedule column key -> column letter (the engine's columns, then the workings)."""
    return {key: column_letter(index + 1) for index, (key, _, _) in enumerate(COLUMNS + HELPER_COLUMNS)}


def _schedule_sheet(scenario: Scenario) -> Sheet:
    col = column_letters()
    widths = {letter: 14.0 for letter in col.values()}
    widths.update({col["year"]: 8.0, col["age"]: 8.0, col["limits_status"]: 11.0, col["binding"]: 15.0})
    sheet = Sheet(SCHEDULE, column_widths=widths, freeze="C2", tab_color="70AD47",
                  page=PageSetup(columns=f"A:{col[COLUMNS[-1][0]]}"))  # the workings columns are not printed
    for key, header, _ in COLUMNS + HELPER_COLUMNS:
        sheet.put(f"{col[key]}1", header, style="mb_header")
    last = scenario.years + 1
    rows = schedule_rows(scenario)  # the engine's values size the columns (printing.py)
    for r in range(2, last + 1):
        formulas = schedule_formulas(col, r, r == 2)
        for key, _, kind in COLUMNS + HELPER_COLUMNS:
            sheet.put(f"{col[key]}{r}", Formula(formulas[key]), style=SCHEDULE_STYLE[kind],
                      sample=rows[r - 2].get(key))
    span = f"2:{last}"

    def cells(key: str) -> str:
        return f"{col[key]}{span.split(':')[0]}:{col[key]}{span.split(':')[1]}"

    # Where a limit binds: deferral at §402(g) + catch-up; room cut by the plan cap; pay below §415(c);
    # projected limits; catch-ups that must be Roth.
    sheet.conditional_formats += [
        ConditionalFormat(cells("deferral"), f"={col['deferral']}2={col['limit_402g']}2+{col['catchup_limit']}2",
                          fill="E2EFDA", bold=True),
        ConditionalFormat(cells("after_tax_room"), f'={col["binding"]}2="plan_cap"', fill="FCE4D6", bold=True),
        ConditionalFormat(cells("binding"), f'={col["binding"]}2<>"415c_dollars"', fill="FCE4D6"),
        ConditionalFormat(cells("limit_415c_used"), f"={col['compensation']}2<{col['limit_415c']}2",
                          fill="FCE4D6", bold=True),
        ConditionalFormat(f"{col['limits_status']}2:{col['limit_401a17']}{last}",
                          f'=${col["limits_status"]}2="projected"', fill="EDEDED", font_color="595959"),
        ConditionalFormat(cells("roth_catchup_required"), f"={col['roth_catchup_required']}2=1", fill="FFF2CC",
                          bold=True),
    ]
    return sheet


SUMMARY_TOTALS = (
    ("Elective deferrals", "deferral"),
    ("  of which Roth", "roth_deferral"),
    ("Employer money", "employer"),
    ("After-tax (mega-backdoor) contributions", "after_tax_contribution"),
    ("Total into the 401(k)", "total_contributions"),
    ("Earnings converted (taxable)", "earnings_converted"),
    ("Conversion tax", "conversion_tax"),
)
SUMMARY_FINAL = (
    ("Roth basis (after-tax dollars converted)", "roth_basis"),
    ("Mega-backdoor Roth balance", "roth_balance"),
    ("Taxable-account alternative", "taxable_balance"),
    ("Roth advantage after conversion tax", "advantage"),
)


def _summary_sheet(scenario: Scenario) -> Sheet:
    col = column_letters()
    last = scenario.years + 1
    sheet = Sheet(SUMMARY, column_widths={"A": 44, "B": 18, "C": 4}, tab_color="ED7D31")
    sheet.put("A1", "Summary", style="mb_title")
    sheet.put("A2", DISCLAIMER_TEXT, style="mb_disclaimer")
    sheet.put("A3", "Scenario", style="mb_label")
    sheet.put("B3", Formula("=ScenarioName"), style="mb_text")
    sheet.put("A4", "Years", style="mb_label")
    sheet.put("B4", Formula(f"='{SCHEDULE}'!{col['year']}2&\"-\"&'{SCHEDULE}'!{col['year']}{last}"), style="mb_text")
    sheet.put("A6", "Totals over the schedule", style="mb_heading")
    row = 7
    for label, key in SUMMARY_TOTALS:
        sheet.put(f"A{row}", label, style="mb_label")
        sheet.put(f"B{row}", Formula(f"=SUM('{SCHEDULE}'!{col[key]}2:{col[key]}{last})"), style="mb_total_money")
        row += 1
    row += 1
    sheet.put(f"A{row}", "At the end of the last year", style="mb_heading")
    row += 1
    for label, key in SUMMARY_FINAL:
        sheet.put(f"A{row}", label, style="mb_label")
        sheet.put(f"B{row}", Formula(f"='{SCHEDULE}'!{col[key]}{last}"), style="mb_total_money")
        row += 1
    sheet.put(f"A{row + 1}", "Highlighted on Schedule: deferrals at the legal limit (green), after-tax room cut "
              "by the plan cap or by pay (orange), projected limits (grey).", style="mb_note")

    def ref(key: str) -> str:
        return f"'{SCHEDULE}'!${col[key]}$2:${col[key]}${last}"

    def title(key: str) -> str:
        return f"'{SCHEDULE}'!${col[key]}$1"

    categories = ref("year")
    # The column stacks only what counts toward §415(c), so it never rises above the limit line; catch-ups sit
    # outside §415(c) (§414(v)(3)(A)) and get their own line.
    stacked = tuple(Series(label, ref(key), title(key)) for label, key in (
        ("Deferrals inside §415(c)", "non_catchup_deferral"), ("Employer money", "employer"),
        ("After-tax contribution", "after_tax_contribution")))
    sheet.charts.append(Chart("stacked_column", "D1", "Contributions by bucket vs the §415(c) limit", categories,
                              stacked, line_series=(Series("§415(c) limit", ref("limit_415c_used"),
                                                           title("limit_415c_used")),
                                                    Series("Catch-up (outside §415(c))", ref("catchup_used"))),
                              y_title="Dollars", x_title="Year"))
    sheet.charts.append(Chart("line", "D20", "Roth vs taxable balance", categories,
                              (Series("Roth balance", ref("roth_balance"), title("roth_balance")),
                               Series("Taxable alternative", ref("taxable_balance"), title("taxable_balance"))),
                              y_title="Dollars", x_title="Year"))
    return sheet


def _sources_sheet(scenario: Scenario, projected_years: list[int]) -> Sheet:
    sheet = Sheet(SOURCES, column_widths={"A": 34, "B": 120})
    lines: list[tuple[str, str, str]] = [
        ("Sources & notes", "", "mb_title"),
        ("Disclaimer", DISCLAIMER_TEXT, "mb_disclaimer"),
        ("Generator", f"megabackdoor {__version__} (workbook layout {LAYOUT_VERSION})", "mb_text"),
        ("Scenario", scenario.name, "mb_text"),
        ("", "", "mb_text"),
        ("Limits", "", "mb_heading"),
    ]
    for name, _, _, header in LIMIT_COLUMNS:
        record = limits.limit_record(name)
        rule = record["indexing"]
        lines.append((header, f"{record['statute']}. Indexing: {rule['method']} from ${rule.get('base_amount', 0):,}"
                      f" (base CPI {rule.get('base_period', '')}), rounded {rule['rounding']} to "
                      f"${rule['step']:,}.", "mb_text"))
    lines.append(("Published values", "IRS cost-of-living notices, cited per year on the Limits sheet (column J).",
                  "mb_text"))
    shown = ", ".join(str(y) for y in projected_years) if projected_years else "none"
    lines.append(("Projected years", f"{shown}: not IRS figures; computed on the Limits sheet from the Inflation "
                  "input with each limit's statutory rule.", "mb_text"))
    t = limits.threshold
    lines += [
        ("", "", "mb_text"),
        ("Rules", "", "mb_heading"),
        ("§415(c) room", "min(§415(c) dollars, 100% of compensation) - non-catch-up deferrals - employer money, "
         "floored at 0; capped by the plan's after-tax cap x pay capped at §401(a)(17). IRC §415(c)(1)-(2), "
         "§401(a)(17).", "mb_text"),
        ("Catch-ups", f"Age attained by 31 December (§414(v)(5)(A)); {t('catchup_60_63_min_age')}-"
         f"{t('catchup_60_63_max_age')} get the §414(v)(2)(E) amount from {t('catchup_60_63_first_year')}; "
         "excluded from §415(c) only to the extent used (§414(v)(3)(A), Treas. Reg. §1.414(v)-1).", "mb_text"),
        ("Roth catch-ups", f"From {t('roth_catchup_first_year')} catch-ups are Roth when prior-year FICA wages "
         "exceed the threshold "
         "(§414(v)(7), Notice 2023-62, T.D. 10033).", "mb_text"),
        ("Employer match", "Tier rates on deferrals within each band of pay capped at §401(a)(17); rounded to the "
         "cent.", "mb_text"),
        ("Conversion", "Earnings between contribution and conversion are taxable on conversion; the after-tax "
         "basis is not (IRC §402A(c)(4), §408A(d)(3)(A), Notice 2014-54).", "mb_text"),
        ("Earnings before conversion", "After-tax money arrives each payday (n a year) and converts at the first "
         "of m fixed conversion dates after the settlement lag; closed form of megabackdoor.conversion (Inputs: "
         "Conversion model), a 365-day year, steady state: each year converts its own contributions.", "mb_text"),
        ("Conversion at separation", "With cadence at_separation, or when the plan offers neither an in-plan "
         "conversion nor an in-service withdrawal, nothing converts while employed: everything converts on 31 "
         "December of the last year (assumed separation) and its earnings are taxed then. Notice 2014-54 also "
         "lets the earnings go to a traditional IRA untaxed instead.", "mb_text"),
        ("Conversion tax", "Marginal rate x taxable part, or the federal rate schedule of the filing status: "
         "tax(income + taxable part) - tax(income), 2025-2026 published (Rev. Proc. 2024-40, 2025-32), later "
         "years indexed by chained CPI-U and rounded down to $25/$50 (Limits sheet, columns O-AC); plus the "
         "flat state rate.", "mb_text"),
        ("", "", "mb_text"),
        ("Assumptions", "", "mb_heading"),
        ("Pay", "Salary and bonus grow by the salary growth input each year; taxable income too.", "mb_text"),
        ("Balances", "Each payday's after-tax contribution grows from its payday to 31 December, converted or "
         "not (Inputs: ConvGrowth); the balance is Roth money plus after-tax money awaiting conversion. The "
         "taxable alternative invests the same dollars on the same paydays and loses the tax-drag share of "
         "each year's return; advantage = balance - taxable - conversion tax paid to date.", "mb_text"),
        ("Not modelled", "ACP testing refunds, state-specific rules, the five-year rules (the retirement years, "
         "with RMDs, are on the Retirement sheet).", "mb_text"),
        ("Recalculation", "Every number is a live formula; the workbook asks Excel to recalculate on open.",
         "mb_text"),
    ]
    for index, (label, text, style) in enumerate(lines, 1):
        if label:
            sheet.put(f"A{index}", label, style=style if style in ("mb_title", "mb_heading") else "mb_label")
        if text:
            sheet.put(f"B{index}", text, style=style)
    return sheet


LAYOUT_VERSION = "1"


def build(scenario: Scenario | None = None) -> Book:
    """The planning workbook for ``scenario`` (default: the built-in article case) as a layout.

    The scenario is run through the engine first: a scenario with an error raises InputError here, before
    anything is rendered or written.
    """
    scenario = scenario if scenario is not None else default_scenario()
    schedule_rows(scenario)
    return _layout(scenario)


def _layout(scenario: Scenario) -> Book:
    """The workbook layout of a scenario the engine has already run (see :func:`build`)."""
    from . import retirement_sheet

    limits_sheet, projected, last_row = _limits_sheet(scenario)
    sheets = [_inputs_sheet(scenario), limits_sheet, _schedule_sheet(scenario), _summary_sheet(scenario)]
    names = {**_limit_names(last_row), **_tax_names(last_row)}
    sources = _sources_sheet(scenario, projected)
    if has_retirement(scenario):
        sheet, start_names = retirement_sheet.retirement_sheet(scenario, column_letters(), SCHEDULE)
        tables, table_names = retirement_sheet.tables_sheet()
        sheets += [sheet, tables]
        names.update(table_names)
        first = max(int(ref.lstrip("AB")) for ref in sources.cells) + 1
        for offset, (label, text, style) in enumerate(retirement_sheet.sources_lines()):
            if label:
                sources.put(f"A{first + offset}", label, style=style if style == "mb_heading" else "mb_label")
            if text:
                sources.put(f"B{first + offset}", text, style=style)
    book = Book([*sheets, sources],
                title=f"Mega-backdoor Roth plan: {scenario.name}",
                subject="Mega-backdoor Roth multi-year schedule", creator=f"megabackdoor {__version__}",
                description=DISCLAIMER_TEXT, keywords="401(k); mega backdoor Roth; 415(c)",
                range_names=names)
    return book


def has_retirement(scenario: Scenario) -> bool:
    """Whether the workbook gets the Retirement and Tables sheets: the retirement years have tax tables
    (2025 on)."""
    from ..retirement import FIRST_TAX_YEAR, first_year

    return first_year(scenario) >= FIRST_TAX_YEAR


def write(scenario: Scenario | None, path: str, force: bool = False) -> str:
    """Build and save the planning workbook (atomic; refuses to overwrite without ``force``)."""
    from .render import save

    return save(build(scenario), path, force)


def _write_temps(items: list[tuple[Scenario, str]]) -> list[str]:
    """write_many's worker: each workbook into a temp file beside its target (the scenarios went through the
    engine before the batch started). On an error this chunk's temp files are removed."""
    from .render import remove_temp, write_book, write_temp

    temps: list[str] = []
    try:
        for scenario, path in items:
            book = _layout(scenario)
            temps.append(write_temp(path, lambda stream, book=book: write_book(book, stream)))
    except BaseException:
        for temp in temps:
            remove_temp(temp)
        raise
    return temps


def write_many(scenarios: list[Scenario], paths: list[str], force: bool = False, workers: int = 1,
               progress: bool = False, sources: list[str] | None = None) -> list[str]:
    """Build and save one planning workbook per scenario, ``workers`` processes at a time.

    Nothing is written (no folder made) unless every scenario runs through the engine and, without ``force``,
    no target exists: a bad scenario (InputError naming its source, by default its output path) or an existing
    file (FileExistsError) stops the batch before the first file. Each file is written atomically.
    ``progress`` shows a progress bar on stderr.
    """
    from tqdm import tqdm

    from .render import publish, refuse_existing, remove_temp

    if len(scenarios) != len(paths):
        raise ValueError("one path per scenario")
    if len(set(map(os.path.abspath, paths))) != len(paths):
        raise InputError("output", paths, "a different file for each scenario")
    for scenario, source in zip(scenarios, sources or paths, strict=True):
        try:
            schedule_rows(scenario)
        except InputError as error:
            raise InputError(f"{source}: {error.argument}", error.value, error.accepted, kind=error.kind,
                             hint=error.hint) from None
    refuse_existing(paths, force, need_folder=False)  # the folders are made below
    made = []
    for folder in sorted({os.path.dirname(os.path.abspath(path)) for path in paths}):
        if not os.path.isdir(folder):
            os.makedirs(folder)
            made.append(folder)
    bar = tqdm(total=len(paths), desc="workbooks", unit="wb", disable=not progress)
    items = list(zip(scenarios, paths, strict=True))
    temps: list[str] = []
    published: list[str] = []
    # All or nothing: every workbook is rendered into a temp file first; only when all are done are they moved
    # into place. Any error removes the temp files, the files this batch already placed and the folders it made.
    try:
        with bar:
            if workers <= 1 or len(paths) == 1:
                for item in items:
                    temps += _write_temps([item])
                    bar.update()
            else:
                temps = _write_parallel(items, workers, bar)
        for temp, path in zip(temps, paths, strict=True):
            publish(temp, path, force)
            published.append(path)
    except BaseException:
        for temp in temps[len(published):]:
            remove_temp(temp)
        if not force:  # with --force a replaced file cannot be brought back; without it these are all ours
            for path in published:
                remove_temp(path)
        for folder in reversed(made):
            try:
                os.rmdir(folder)
            except OSError:
                pass
        raise
    return published


def _write_parallel(items: list, workers: int, bar: object) -> list[str]:
    """_write_temps over chunks in worker processes; the temp names in order, or the first error after every
    started chunk finished (and its temp files were removed)."""
    from concurrent.futures import ProcessPoolExecutor

    from .render import remove_temp

    # Chunks keep the per-task overhead small against a ~40 ms build.
    size = max(1, min(16, len(items) // (4 * workers)))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    temps: list[str] = []
    failure: BaseException | None = None
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_write_temps, chunk) for chunk in chunks]
        for future, chunk in zip(futures, chunks, strict=True):
            if failure is not None:
                future.cancel()
            try:
                temps += future.result()
                bar.update(len(chunk))  # type: ignore[attr-defined]
            except BaseException as error:  # noqa: BLE001 - kept, re-raised after the others are collected
                if failure is None:
                    failure = error
                    for later in futures:
                        later.cancel()
    if failure is not None:
        for temp in temps:
            remove_temp(temp)
        raise failure
    return temps
