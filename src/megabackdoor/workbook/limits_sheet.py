"""The Limits sheet of every workbook that looks limits up (planning, paychecks, ACP census): IRS limits by
year, published values and projections by each limit's statutory rule as live formulas over an Inflation cell.

Published years hold the IRS figures (cited per year); each later year is computed on the sheet itself: the
July-September CPI-U sum grown at the Inflation input, the §415(d) ratio to each base quarter, the limit's
indexing rule and the never-decrease floor, the same rule as :mod:`megabackdoor.limits`, with the formula text
of :mod:`megabackdoor.indexing`. A workbook with its
own Inflation input (the planning workbook's Inputs sheet) passes ``own_inputs=False``; the others get the
Inflation input on this sheet (default: the engine's default inflation, so the workbook and the engine agree
until someone changes it).

Each column has a defined name over the year rows (``LimYear``, ``LimStatus``, ``Lim415c``, ...): look a limit
up with ``INDEX(Lim402g,MATCH(year,LimYear,0))`` (:func:`lookup`).

>>> table = limits_table(2025, 2028, limit_columns(("402g", "hce")))
>>> table.sheet.cells["C3"].value, table.names["Lim402g"], table.projected
(0.025, "'Limits'!$D$5:$D$8", [2027, 2028])
>>> table.sheet.cells["D7"].value
'=MAX(D6,15000+FLOOR(MAX(0,15000*$AP7-15000),500))'
"""

from __future__ import annotations

from .. import limits
from ..cadences import DEFAULT_INFLATION
from ..indexing import (
    catchup_60_63_formula,
    indexed_amount_formula,
    not_below_formula,
    projected_index_formula,
    ratio_415d_formula,
)
from .layout import Formula, PageSetup, Sheet, Validation, column_letter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..scenario import Scenario

LIMITS = "Limits"
LIMITS_FIRST_ROW = 5
# limit name in limits.json -> (defined name of its column, header, column width)
CATALOG = {
    "415c": ("Lim415c", "§415(c) annual additions", 14),
    "402g": ("Lim402g", "§402(g) elective deferrals", 14),
    "catchup_50": ("LimCatchup50", "Catch-up, age 50+", 13),
    "catchup_60_63": ("LimCatchup6063", "Catch-up, ages 60-63", 13),
    "401a17": ("Lim401a17", "§401(a)(17) compensation", 15),
    "roth_catchup_wage_threshold": ("LimRothThreshold", "Roth catch-up wage threshold", 15),
    "hce": ("LimHce", "§414(q) HCE pay threshold", 14),
}
FIRST_LIMIT_COLUMN = 4  # D: A year, B status, C the CPI-U sum


def limit_columns(names: tuple[str, ...]) -> tuple[tuple[str, str, str, str], ...]:
    """(limit name, column letter, defined name, header) for ``names``, in columns D, E, ...

    >>> limit_columns(("hce", "402g"))
    (('hce', 'D', 'LimHce', '§414(q) HCE pay threshold'), ('402g', 'E', 'Lim402g', '§402(g) elective deferrals'))
    """
    return tuple((name, column_letter(FIRST_LIMIT_COLUMN + index), CATALOG[name][0], CATALOG[name][1])
                 for index, name in enumerate(names))


# The planning workbook's columns (tests/test_workbook_recalc.py reads them by these letters).
LIMIT_COLUMNS = limit_columns(("415c", "402g", "catchup_50", "catchup_60_63", "401a17",
                               "roth_catchup_wage_threshold"))
CPI_NAMES = {"1996Q3": "CPI_Q3_1996", "2001Q3": "CPI_Q3_2001", "2005Q3": "CPI_Q3_2005",
             "2023Q3": "CPI_Q3_2023", "2024Q3": "CPI_Q3_2024", "2025Q3": "CPI_Q3_2025"}
FIRST_RATIO_COLUMN = 41  # AO: the §415(d) ratios, one column per base quarter, right of everything printed


def limits_years(scenario: Scenario) -> tuple[int, int]:
    """First and last year of the Limits table: from the schedule's first year (or 2026, the last published
    year, which seeds the projection) to its last year."""
    last = scenario.start_year + scenario.years - 1
    return min(scenario.start_year, limits.LAST_PUBLISHED_YEAR), max(last, limits.LAST_PUBLISHED_YEAR)


def ratio_columns(columns: tuple[tuple[str, str, str, str], ...] = LIMIT_COLUMNS) -> dict[str, str]:
    """Base quarter -> column of its §415(d) ratio, for the base quarters ``columns`` use (AO, AP, ...)."""
    periods = sorted({limits.limit_record(name)["indexing"]["base_period"] for name, *_ in columns})
    return {period: column_letter(FIRST_RATIO_COLUMN + index) for index, period in enumerate(periods)}


RATIO_COLUMNS = ratio_columns()


def _indexed_formula(base: float, period: str, step: int, r: int, ratios: dict[str, str] = RATIO_COLUMNS) -> str:
    # indexing.indexed_amount: the increase base x ratio - base (ratio in the period's column) rounded down
    # to the step, never negative.
    return indexed_amount_formula(f"{base:g}", f"${ratios[period]}{r}", step)


def _ratio_formula(period: str, r: int) -> str:
    # indexing.ratio_415d: CPI / base-period CPI truncated to 5 decimals, then rounded to 4.
    return "=" + ratio_415d_formula(f"$C{r}", CPI_NAMES[period])


def _statutory(name: str, r: int, ratios: dict[str, str], reading: str) -> str:
    """The limit's statutory indexing rule in row ``r`` (before the never-decrease floor); ``reading``: the
    cell or name holding the catch-up 60-63 reading, or a quoted literal."""
    rule = limits.limit_record(name)["indexing"]
    if name != "catchup_60_63":
        return _indexed_formula(rule["base_amount"], rule["base_period"], rule["step"], r, ratios)
    return catchup_60_63_formula(f"{rule['base_amount']:g}", f"{rule['frozen_amount']}",
                                 f"${ratios[rule['base_period']]}{r}", rule["step"], reading)


class LimitsTable:
    """The built sheet, the projected years, the last row and the defined names of the columns."""

    __slots__ = ("last_row", "names", "projected", "sheet")

    def __init__(self, sheet: Sheet, projected: list[int], last_row: int, names: dict[str, str]) -> None:
        self.sheet, self.projected, self.last_row, self.names = sheet, projected, last_row, names


def limits_table(first_year: int, last_year: int, columns: tuple[tuple[str, str, str, str], ...] = LIMIT_COLUMNS,
                 own_inputs: bool = True) -> LimitsTable:
    """The Limits sheet for ``first_year``..``last_year`` with one column per entry of ``columns``
    (:func:`limit_columns`). ``own_inputs``: put the Inflation input on this sheet (named ``Inflation``, the
    engine's default) and project the catch-up 60-63 amount by the engine's default reading; without it the
    workbook has ``Inflation`` and ``CatchupReading`` inputs elsewhere."""
    data = limits.load()
    q3 = data["indexes"]["cpi_u_q3_sum"]
    last_q3 = q3["last_known"]
    last_q3_year = int(last_q3[:4])
    ratios = ratio_columns(columns)
    # without a CatchupReading input, the engine's default reading as a literal
    reading = f'"{limits.DEFAULT_CATCHUP_READING}"' if own_inputs else "CatchupReading"
    source_column = column_letter(FIRST_LIMIT_COLUMN + len(columns))
    index_label = column_letter(FIRST_LIMIT_COLUMN + len(columns) + 2)
    index_value = column_letter(FIRST_LIMIT_COLUMN + len(columns) + 3)
    widths = {"A": 8, "B": 11, "C": 14}
    widths.update({column: CATALOG[name][2] for name, column, _, _ in columns})
    widths.update({source_column: 60, index_label: 30, index_value: 12})
    sheet = Sheet(LIMITS, column_widths=widths, freeze="B5", tab_color="5B9BD5",
                  page=PageSetup(columns=f"A:{source_column}"))  # prints limits and sources, not the workings
    sheet.put("A1", "IRS limits by year: published values, and projections by each limit's statutory rule",
              style="mb_title")
    sheet.put("A2", f"Published through {limits.LAST_PUBLISHED_YEAR} (IRS notices, column {source_column}). Later "
              "years (grey, italic) are projected by formula from the Inflation input: §415(d) ratio of the "
              "July-September CPI-U sum to the base quarter, truncated to 5 decimals then rounded to 4; the "
              "increase rounded down to the limit's step; never below the prior year.", style="mb_note")
    if own_inputs:
        sheet.put("A3", "Inflation", style="mb_label")
        sheet.put("C3", DEFAULT_INFLATION, style="mb_input_percent", name="Inflation",
                  validation=Validation("decimal", minimum=-0.05, maximum=0.2,
                                        prompt="Yearly CPI-U growth for the projected years (the engine's "
                                               f"default: {DEFAULT_INFLATION:.1%})"))
        sheet.put("D3", "Yearly CPI-U growth used for the projected years (yellow: change it and the projected "
                  "limits follow).", style="mb_note")
    headers = ["Year", "Status", "CPI-U Jul-Sep sum (prior year)"] + [h for _, _, _, h in columns] + ["Source"]
    for index, header in enumerate(headers):
        sheet.put(f"{column_letter(index + 1)}4", header, style="mb_header")
    for period, ratio_column in ratios.items():
        sheet.put(f"{ratio_column}4", f"§415(d) ratio to {period}", style="mb_header")
    # Index data block with a defined name per CPI quarter.
    sheet.put(f"{index_label}4", "Index data (NSA CPI-U, Jul-Sep sum)", style="mb_header")
    sheet.put(f"{index_value}4", "Value", style="mb_header")
    for offset, (period, name) in enumerate(CPI_NAMES.items()):
        sheet.put(f"{index_label}{5 + offset}", f"{period} (BLS CUUR0000SA0)", style="mb_cell_text")
        sheet.put(f"{index_value}{5 + offset}", q3[period], style="mb_int", number_format="0.000", name=name)
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
            for name, column, _, _ in columns:
                value = limits.PUBLISHED.get((name, year))
                sheet.put(f"{column}{r}", value if value is not None else 0, style="mb_money_whole")
            source = limits.limit_record("415c")["values"][str(year)]["source"]
            sheet.put(f"{source_column}{r}", f"{source}; 0 = the limit did not exist that year", style="mb_note")
            continue
        projected_rows.append(year)
        sheet.put(f"C{r}", Formula("=" + projected_index_formula(CPI_NAMES[last_q3], "Inflation",
                                                                  f"A{r}-1-{last_q3_year}")),
                  style="mb_int", number_format="0.000")
        for period, ratio_column in ratios.items():
            sheet.put(f"{ratio_column}{r}", Formula(_ratio_formula(period, r)), style="mb_int",
                      number_format="0.0000")
        for name, column, _, _ in columns:
            statutory = _statutory(name, r, ratios, reading)
            sheet.put(f"{column}{r}", Formula("=" + not_below_formula(f"{column}{r - 1}", statutory)),
                      style="mb_projected_money")
        sheet.put(f"{source_column}{r}", f"projected: statutory indexing at the Inflation input (published for "
                  f"{year} by the IRS in late {year - 1})", style="mb_note")
    last_row = LIMITS_FIRST_ROW + last_year - first_year
    names = {name: f"'{LIMITS}'!${column}${LIMITS_FIRST_ROW}:${column}${last_row}"
             for name, column in [("LimYear", "A"), ("LimStatus", "B")] + [(n, c) for _, c, n, _ in columns]}
    return LimitsTable(sheet, projected_rows, last_row, names)


def lookup(name: str, year: str) -> str:
    """Formula text (no leading '=') of the limit column ``name`` for ``year`` (a cell, name or expression).

    >>> lookup("Lim402g", "PlanYear")
    'INDEX(Lim402g,MATCH(PlanYear,LimYear,0))'
    """
    return f"INDEX({name},MATCH({year},LimYear,0))"


def limits_sheet(scenario: Scenario) -> tuple[Sheet, list[int], int]:
    """(the planning workbook's Limits sheet, the projected years, its last row) for ``scenario``."""
    table = limits_table(*limits_years(scenario), own_inputs=False)
    return table.sheet, table.projected, table.last_row


def limit_names(last_row: int) -> dict[str, str]:
    """Defined names of the planning table's columns (LimYear, LimStatus, Lim415c, ...), rows 5 to ``last_row``."""
    columns = [("LimYear", "A"), ("LimStatus", "B")] + [(name, column) for _, column, name, _ in LIMIT_COLUMNS]
    return {name: f"'{LIMITS}'!${column}${LIMITS_FIRST_ROW}:${column}${last_row}" for name, column in columns}
