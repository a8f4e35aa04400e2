"""The Schedule sheet of the planning workbook: one row per year, every column a formula stating the same
rule as :mod:`megabackdoor.schedule` (:func:`schedule_formulas`), plus the workings columns to the right."""

from __future__ import annotations

from ...catchup import catchup_formula, roth_catchup_formula
from ...conversion.earnings import (
    periodic_earnings_formula,
    separation_earnings_formula,
    separation_paydays_formula,
    unconverted_formula,
)
from ...match import match_formula
from ...scenario import MAX_MATCH_TIERS, Scenario
from ...schedule import COLUMNS, schedule_rows
from ..layout import ConditionalFormat, Formula, PageSetup, Sheet, column_letter
from .common import SCHEDULE

# The defined names the conversion closed form reads (conversion.earnings.periodic_earnings_formula's
# arguments after the amount): r, n, m, g, p, base wait, settlement lag.
CONVERSION_NAMES = ("ExpectedReturn", "ConvN", "ConvM", "ConvG", "ConvP", "ConvBase", "SettlementLagDays")


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
    until_separation = f"ScheduleLastYear-{c('year')}"   # whole years from this row's 31 December

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
        # conversion.conversion_earnings, closed form for periodic cadences (conversion.earnings: the formula
        # text next to the Python), to the cent. At separation: the last row converts the basis and the
        # earnings of this and every earlier row.
        "earnings_converted": (f"=IF(ConvAtSeparation=1,IF({c('year')}=ScheduleLastYear,"
                               f"ROUND(SUMPRODUCT({since_start('separation_earnings')}),2),0),"
                               f"ROUND({periodic_earnings_formula(at, *CONVERSION_NAMES)},2))"),
        "amount_converted": f"={c('basis_converted')}+{c('earnings_converted')}",
        "unconverted_at_year_end": (f"=IF(ConvAtSeparation=1,IF({c('year')}=ScheduleLastYear,0,"
                                    f"ROUND({c('roth_balance')},2)),"
                                    f"ROUND({unconverted_formula(at, 'ExpectedReturn', 'ConvN', 'ConvLeft')},2))"),
        # conversion.conversion_earnings 'at_separation' with K = last year - year (whole years) and J paydays
        # settled by separation (conversion.earnings.separation_earnings_formula).
        "separation_paydays": "=" + separation_paydays_formula("ConvN", until_separation, "SettlementLagDays"),
        "separation_earnings": "=IF(ConvAtSeparation=1,ROUND(" + separation_earnings_formula(
            at, "ExpectedReturn", "ConvN", until_separation, j, "SettlementLagDays") + ",2),0)",
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
        # growth.year_end_factor: each payday's money grows to 31 December, converted or not.
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


_ROWS: dict[int, list[tuple[str, Formula, str, str]]] = {}


def _row_formulas(r: int) -> list[tuple[str, Formula, str, str]]:
    """(cell, formula, style, column key) of every column of row ``r``: the same for every scenario, so
    built once per process (a batch of 40-year plans writes the same 2,000 formulas into every workbook)."""
    found = _ROWS.get(r)
    if found is None:
        col = column_letters()
        formulas = schedule_formulas(col, r, r == 2)
        found = _ROWS[r] = [(f"{col[key]}{r}", Formula(formulas[key]), SCHEDULE_STYLE[kind], key)
                            for key, _, kind in COLUMNS + HELPER_COLUMNS]
    return found


def schedule_sheet(scenario: Scenario, rows: list[dict] | None = None) -> Sheet:
    col = column_letters()
    widths = {letter: 14.0 for letter in col.values()}
    widths.update({col["year"]: 8.0, col["age"]: 8.0, col["limits_status"]: 11.0, col["binding"]: 15.0})
    sheet = Sheet(SCHEDULE, column_widths=widths, freeze="C2", tab_color="70AD47",
                  page=PageSetup(columns=f"A:{col[COLUMNS[-1][0]]}"))  # the workings columns are not printed
    for key, header, _ in COLUMNS + HELPER_COLUMNS:
        sheet.put(f"{col[key]}1", header, style="mb_header")
    last = scenario.years + 1
    if rows is None:
        rows = schedule_rows(scenario)  # the engine's values size the columns (printing.py)
    for r in range(2, last + 1):
        values = rows[r - 2]
        for ref, formula, style, key in _row_formulas(r):
            sheet.put(ref, formula, style=style, sample=values.get(key))
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
