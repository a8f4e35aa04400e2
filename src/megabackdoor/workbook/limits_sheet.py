"""The Limits sheet: IRS limits by year, published values and projections by each limit's statutory rule as
live formulas over the workbook's Inflation input.

Published years hold the IRS figures (cited per year); each later year is computed on the sheet itself: the
July-September CPI-U sum grown at the Inflation input, the §415(d) ratio to each base quarter, the limit's
indexing rule and the never-decrease floor, the same rule as :mod:`megabackdoor.limits`, with the formula text
of :mod:`megabackdoor.indexing`.
"""

from __future__ import annotations

from .. import limits
from ..indexing import (
    catchup_60_63_formula,
    indexed_amount_formula,
    not_below_formula,
    projected_index_formula,
    ratio_415d_formula,
)
from .layout import Formula, PageSetup, Sheet, column_letter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..scenario import Scenario

LIMITS = "Limits"
# Columns: (limit name in limits.json, column letter, defined name of the column, header).
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


def limits_years(scenario: Scenario) -> tuple[int, int]:
    """First and last year of the Limits table: from the schedule's first year (or 2026, the last published
    year, which seeds the projection) to its last year."""
    last = scenario.start_year + scenario.years - 1
    return min(scenario.start_year, limits.LAST_PUBLISHED_YEAR), max(last, limits.LAST_PUBLISHED_YEAR)


RATIO_COLUMNS = {"2001Q3": "AO", "2005Q3": "AP", "2023Q3": "AQ", "2024Q3": "AR"}


def _indexed_formula(base: float, period: str, step: int, r: int) -> str:
    # indexing.indexed_amount: the increase base x ratio - base (ratio in the period's column) rounded down
    # to the step, never negative.
    return indexed_amount_formula(f"{base:g}", f"${RATIO_COLUMNS[period]}{r}", step)


def _ratio_formula(period: str, r: int) -> str:
    # indexing.ratio_415d: CPI / base-period CPI truncated to 5 decimals, then rounded to 4.
    return "=" + ratio_415d_formula(f"$C{r}", CPI_NAMES[period])


def limits_sheet(scenario: Scenario) -> tuple[Sheet, list[int], int]:
    """(the Limits sheet, the projected years, its last row) for the years of ``scenario``."""
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
        sheet.put(f"C{r}", Formula("=" + projected_index_formula(CPI_NAMES[last_q3], "Inflation",
                                                                  f"A{r}-1-{last_q3_year}")),
                  style="mb_int", number_format="0.000")
        for period, ratio_column in RATIO_COLUMNS.items():
            sheet.put(f"{ratio_column}{r}", Formula(_ratio_formula(period, r)), style="mb_int",
                      number_format="0.0000")
        for name, column, _, _ in LIMIT_COLUMNS:
            rule = limits.limit_record(name)["indexing"]
            if name == "catchup_60_63":
                statutory = catchup_60_63_formula(f"{rule['base_amount']:g}", f"{rule['frozen_amount']}",
                                                  f"${RATIO_COLUMNS[rule['base_period']]}{r}", rule["step"],
                                                  "CatchupReading")
            else:
                statutory = _indexed_formula(rule["base_amount"], rule["base_period"], rule["step"], r)
            sheet.put(f"{column}{r}", Formula("=" + not_below_formula(f"{column}{r - 1}", statutory)),
                      style="mb_projected_money")
        sheet.put(f"J{r}", f"projected: statutory indexing at the Inflation input (published for "
                  f"{year} by the IRS in late {year - 1})", style="mb_note")
    last_row = LIMITS_FIRST_ROW + last_year - first_year
    return sheet, projected_rows, last_row


def limit_names(last_row: int) -> dict[str, str]:
    """Defined names of the table's columns (LimYear, LimStatus, Lim415c, ...), rows 5 to ``last_row``."""
    columns = [("LimYear", "A"), ("LimStatus", "B")] + [(name, column) for _, column, name, _ in LIMIT_COLUMNS]
    return {name: f"'{LIMITS}'!${column}${LIMITS_FIRST_ROW}:${column}${last_row}" for name, column in columns}
