"""The Inputs sheet of the planning workbook: one yellow input cell per scenario field (each a defined name),
the conversion model's derived cells, and the defaults the scenario file left unstated."""

from __future__ import annotations

from ...conversion import PAY_PERIODS, earnings
from ...conversion.earnings import (
    base_wait_formula,
    gcd_formula,
    remainder_formula,
    unconverted_paydays_formula,
)
from ...growth import year_end_factor_formula
from ...scenario import CADENCES, FIELDS, MAX_MATCH_TIERS, PAY_FREQUENCIES, SHEET_NAMES, Field, Scenario
from ..layout import Formula, Sheet, Validation, column_letter
from ..limits_sheet import limits_years
from .common import DISCLAIMER_TEXT, INPUTS

# Scenario attribute -> defined name of its input cell, declared with its field (scenario.SHEET_NAMES; match
# tiers get MatchRate1, MatchUpTo1, ...).
NAMES = SHEET_NAMES


def _attribute(field: Field) -> str:
    from ...scenario import _attribute as attribute

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



def inputs_sheet(scenario: Scenario) -> Sheet:
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
    from ...scenario import BUILT_IN, FIELD_BY_PATH, defaults_line

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


# m for each cadence (conversion.earnings; at_separation: not used, its earnings have their own closed form).
CONVERSIONS_PER_YEAR = {**earnings.CONVERSIONS_PER_YEAR, "at_separation": 1}


def _gcd_formula(n: int, m: str) -> str:
    """GCD(n, m) for a fixed n and a whole-number cell m (conversion.earnings.gcd_formula).

    >>> _gcd_formula(4, "M")
    '=MAX(1,IF(FLOOR(M/2,1)*2=M,2,0),IF(FLOOR(M/4,1)*4=M,4,0))'
    """
    return "=" + gcd_formula(n, m)


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
        # The closed form's pieces: conversion.earnings (base_wait, unconverted_paydays and their formula text).
        ("ConvRem", "(m n L) mod 365g", "=" + remainder_formula("ConvN", "ConvM", "ConvG", "SettlementLagDays")),
        ("ConvBase", "base wait (years): L/365 + psi/(365 n m)",
         "=" + base_wait_formula("ConvN", "ConvM", "ConvG", "SettlementLagDays", "ConvRem")),
        ("ConvLeft", "c: paydays not yet converted on 31 December",
         "=" + unconverted_paydays_formula("ConvN", "SettlementLagDays")),
        ("ConvAtSeparation", "Converts at separation only (1 = yes)",
         '=IF(OR(ConversionCadence="at_separation",AND(AfterTaxAllowed="yes",InPlanConversion="no",'
         'InServiceWithdrawal="no")),1,0)'),
        ("ScheduleLastYear", "Separation: 31 December of", "=StartYear+Years-1"),
        # growth.year_end_factor's formula (a series near r = 0, where the closed form loses every digit).
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
