"""The planning workbook: a scenario -> Inputs, Limits, Schedule, Summary, Retirement, Tables and Sources & notes
sheets. One module per sheet: :mod:`.inputs_sheet`, :mod:`..limits_sheet` (shared with the paycheck and ACP
workbooks) with :mod:`.tax_tables`, :mod:`.schedule_sheet`, :mod:`.summary_sheet` (Summary and Sources),
:mod:`..retirement_sheet` (Retirement and Tables); this module puts them together.

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

from ... import __version__
from ...scenario import Scenario, default_scenario
from ...schedule import schedule_rows
from ..layout import Book
from ..limits_sheet import (
    CPI_NAMES,
    LIMIT_COLUMNS,
    LIMITS_FIRST_ROW,
    RATIO_COLUMNS,
    limit_names,
    limits_sheet,
    limits_years,
)
from .common import DISCLAIMER_TEXT, INPUTS, LAYOUT_VERSION, LIMITS, SCHEDULE, SOURCES, SUMMARY
from .inputs_sheet import CONVERSIONS_PER_YEAR, NAMES, inputs_sheet
from .schedule_sheet import HELPER_COLUMNS, SCHEDULE_STYLE, column_letters, schedule_formulas, schedule_sheet
from .summary_sheet import SUMMARY_FINAL, SUMMARY_TOTALS, sources_sheet, summary_sheet
from .tax_tables import (
    TAX_BELOW,
    TAX_FACTOR,
    TAX_LOWER,
    TAX_PUBLISHED_ROW,
    TAX_STATUSES,
    TAX_UPPERS,
    tax_names,
    tax_tables,
)

__all__ = [
    "CONVERSIONS_PER_YEAR", "CPI_NAMES", "DISCLAIMER_TEXT", "HELPER_COLUMNS", "INPUTS", "LAYOUT_VERSION", "LIMITS",
    "LIMITS_FIRST_ROW", "LIMIT_COLUMNS", "NAMES", "RATIO_COLUMNS", "SCHEDULE", "SCHEDULE_STYLE", "SOURCES", "SUMMARY",
    "SUMMARY_FINAL", "SUMMARY_TOTALS", "TAX_BELOW", "TAX_FACTOR", "TAX_LOWER", "TAX_PUBLISHED_ROW", "TAX_STATUSES",
    "TAX_UPPERS", "build", "column_letters", "has_retirement", "layout", "limits_years", "schedule_formulas", "write",
]


def build(scenario: Scenario | None = None) -> Book:
    """The planning workbook for ``scenario`` (default: the built-in article case) as a layout.

    The scenario is run through the engine first: a scenario with an error raises InputError here, before
    anything is rendered or written.
    """
    scenario = scenario if scenario is not None else default_scenario()
    schedule_rows(scenario)
    return layout(scenario)


def layout(scenario: Scenario) -> Book:
    """The workbook layout of a scenario the engine has already run (see :func:`build`)."""
    from .. import retirement_sheet

    limits, projected, last_row = limits_sheet(scenario)
    first_year, last_year = limits_years(scenario)
    tax_tables(limits, first_year, last_year)
    rows = schedule_rows(scenario)  # the engine's values size the Schedule and Retirement columns
    sheets = [inputs_sheet(scenario), limits, schedule_sheet(scenario, rows), summary_sheet(scenario)]
    names = {**limit_names(last_row), **tax_names(last_row)}
    sources = sources_sheet(scenario, projected)
    if has_retirement(scenario):
        sheet, start_names = retirement_sheet.retirement_sheet(scenario, column_letters(), SCHEDULE, rows)
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
    from ...retirement import FIRST_TAX_YEAR, first_year

    return first_year(scenario) >= FIRST_TAX_YEAR


def write(scenario: Scenario | None, path: str, force: bool = False) -> str:
    """Build and save the planning workbook (atomic; refuses to overwrite without ``force``)."""
    from ..render import save

    return save(build(scenario), path, force)
