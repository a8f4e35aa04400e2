"""The federal rate schedules on the planning workbook's Limits sheet (columns N-AM): the 2025 and 2026
published schedules per filing status, and for each year of the table the selected status's thresholds,
indexed after 2026 by chained CPI-U (§1(f)(3)) from the Inflation input, and the tax below each bracket."""

from __future__ import annotations

from ... import limits
from ...cadences import FILING_STATUSES, FIRST_TAX_YEAR, LAST_PUBLISHED_YEAR
from ...indexing import indexed_amount_formula, projected_index_formula
from ..layout import Formula, Sheet, column_letter
from ..limits_sheet import LIMITS, LIMITS_FIRST_ROW

TAX_STATUSES = FILING_STATUSES
TAX_LOWER, TAX_UPPERS, TAX_BELOW, TAX_FACTOR = "O", "PQRSTU", ("V", "W", "X", "Y", "Z", "AA", "AB"), "AC"
# The two published rate schedules (first and last published year), each filing status a row.
TAX_PUBLISHED_ROW = {FIRST_TAX_YEAR: 5, LAST_PUBLISHED_YEAR: 5 + len(TAX_STATUSES)}
SELECTED_ROW = {FIRST_TAX_YEAR: 6 + 2 * len(TAX_STATUSES), LAST_PUBLISHED_YEAR: 7 + 2 * len(TAX_STATUSES)}


def tax_tables(sheet: Sheet, first_year: int, last_year: int) -> None:
    """Federal rate schedules for the selected filing status, by year (tax.py: 2025-2026 published, later
    years indexed from 2026 by chained CPI-U, the increase rounded down to $25/$50, never falling)."""
    from ... import tax

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
        grown = projected_index_formula(f"CCPI_{base_index_year}", "Inflation", f"$A{r}-1-{base_index_year}")
        sheet.put(f"{TAX_FACTOR}{r}", Formula(f"=IF($A{r}<={LAST_PUBLISHED_YEAR},1,{grown}/CCPI_{base_index_year})"),
                  style="mb_int", number_format="0.000000")
        sheet.put(f"{TAX_LOWER}{r}", 0, style="mb_money_whole")
        for index, letter in enumerate(TAX_UPPERS):
            # The selected filing status's published thresholds (rows SELECTED_ROW), indexed after 2026.
            selected = {year: f"${column_letter(33 + index)}${row}" for year, row in SELECTED_ROW.items()}
            base = selected[LAST_PUBLISHED_YEAR]
            sheet.put(f"{letter}{r}", Formula(
                f"=IF($A{r}<={FIRST_TAX_YEAR},{selected[FIRST_TAX_YEAR]},IF($A{r}={LAST_PUBLISHED_YEAR},{base},"
                f"{indexed_amount_formula(base, f'${TAX_FACTOR}{r}', 'TaxStep')}))"), style="mb_money_whole")
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


def tax_names(last_row: int) -> dict[str, str]:
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
