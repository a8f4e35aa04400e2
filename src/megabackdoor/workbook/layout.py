"""A workbook as plain data: what each cell holds and how it looks, nothing about openpyxl.

Build a :class:`Book` of :class:`Sheet` objects, then hand it to :func:`megabackdoor.workbook.render.save`
(or ``render.to_openpyxl``). Any generator in the project (planning workbook, paycheck sheet, ACP template)
can lay out its own sheets this way and share the renderer and the named styles.

Cell values:

* ``Formula("=MIN(A1,B1)")`` is written as a formula;
* every ``str`` is written as text, even when it starts with ``=``, ``+``, ``-`` or ``@`` (text from a
  scenario can never become a formula);
* int/float/bool/None as they are.

>>> sheet = Sheet("Inputs")
>>> sheet.put("A1", "Salary", style="mb_label")
>>> sheet.put("B1", 150000, style="mb_input_money", name="Salary", note="Base pay for the first year")
>>> sheet.put("B2", Formula("=Salary*2"), style="mb_money")
>>> book = Book([sheet])
>>> sorted(book.defined_names())
['Salary']
>>> book.defined_names()["Salary"]
"'Inputs'!$B$1"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


class Formula(str):
    """A cell formula (the text starts with ``=``)."""

    __slots__ = ()

    def __new__(cls, text: str) -> Formula:
        if not text.startswith("="):
            raise ValueError(f"a formula starts with '=': {text!r}")
        return super().__new__(cls, text)


@dataclass(frozen=True)
class Validation:
    """Data validation of a cell: ``kind`` "list" (``options``), "decimal", "whole" or "text_length"
    (``minimum``..``maximum``); ``prompt`` is the input message shown when the cell is selected."""

    kind: str
    options: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    prompt: str | None = None

    def error_message(self) -> str:
        if self.kind == "list":
            return "Choose one of: " + ", ".join(self.options)
        if self.kind == "text_length":
            return f"Enter text of {self.minimum:g} to {self.maximum:g} characters"
        what = "a whole number" if self.kind == "whole" else "a number"
        return f"Enter {what} from {self.minimum:g} to {self.maximum:g}"


@dataclass
class CellSpec:
    value: Any = None
    style: str | None = None
    number_format: str | None = None   # overrides the named style's format for this cell only
    name: str | None = None            # a workbook-level defined name pointing at this cell
    note: str | None = None            # a cell comment
    validation: Validation | None = None
    sample: Any = None                 # a formula's widest expected result (sizes the column; see printing.py)


@dataclass(frozen=True)
class ConditionalFormat:
    """Highlight ``cells`` (e.g. "G2:G11") where ``formula`` (relative to the top-left cell) is TRUE."""

    cells: str
    formula: str
    fill: str = "FFF4CC"       # RGB
    font_color: str | None = None
    bold: bool = False


@dataclass(frozen=True)
class Series:
    title: str
    values: str               # e.g. "'Schedule'!$G$2:$G$11"
    title_ref: str | None = None


@dataclass(frozen=True)
class Chart:
    """A chart: ``kind`` "stacked_column" (optionally with ``line_series`` on the same axes) or "line"."""

    kind: str
    anchor: str
    title: str
    categories: str
    series: tuple[Series, ...]
    line_series: tuple[Series, ...] = ()
    y_title: str = ""
    x_title: str = ""
    width_cm: float = 18.0
    height_cm: float = 9.0
    y_number_format: str = '"$"#,##0'  # axis labels in whole dollars


@dataclass(frozen=True)
class PageSetup:
    """How a sheet prints. Every field left at None is decided by the renderer (:mod:`.printing`) from the
    sheet's content: orientation from the printed width, title rows/columns from the frozen panes, the print
    area from the cells and charts, fit to one page wide unless that would shrink text below ``min_scale``."""

    orientation: str | None = None     # "portrait" / "landscape"
    title_rows: str | None = None      # e.g. "1:4": repeated at the top of every page
    title_columns: str | None = None   # e.g. "A:B": repeated at the left of every page
    columns: str | None = None         # printed columns, e.g. "A:J" (default: every column holding data)
    min_scale: float = 0.6             # narrowest print scale before the sheet goes more than one page wide
    grow_with: str | None = None       # a column letter: the print area ends at its last filled row (a
                                       # table the user pastes into: Excel grows the area, --pdf does too)


@dataclass
class Sheet:
    title: str
    cells: dict[str, CellSpec] = field(default_factory=dict)
    column_widths: dict[str, float] = field(default_factory=dict)
    freeze: str | None = None
    conditional_formats: list[ConditionalFormat] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tab_color: str | None = None
    merged: list[str] = field(default_factory=list)
    page: PageSetup = field(default_factory=PageSetup)

    def put(self, ref: str, value: Any = None, **options: Any) -> None:
        """Set cell ``ref`` ("B2") to ``value``; options: style, number_format, name, note, validation, sample."""
        if not _REF.match(ref):
            raise ValueError(f"not a single-cell reference: {ref!r}")
        self.cells[ref] = CellSpec(value, **options)

    def absolute(self, ref: str) -> str:
        """``'Title'!$B$2`` for a cell of this sheet."""
        column, row = _REF.match(ref).groups()
        return f"{quote_sheet(self.title)}!${column}${row}"


@dataclass
class Book:
    sheets: list[Sheet]
    title: str = ""
    subject: str = ""
    creator: str = "megabackdoor"
    description: str = ""
    keywords: str = ""
    extra_styles: dict[str, dict[str, Any]] = field(default_factory=dict)
    range_names: dict[str, str] = field(default_factory=dict)   # defined names of ranges: name -> reference

    def defined_names(self) -> dict[str, str]:
        """Every defined name -> its absolute reference: cells' names in sheet order, then ``range_names``."""
        names: dict[str, str] = {}
        for sheet in self.sheets:
            for ref, spec in sheet.cells.items():
                if spec.name:
                    if spec.name in names:
                        raise ValueError(f"defined name {spec.name!r} is used twice")
                    names[spec.name] = sheet.absolute(ref)
        for name, ref in self.range_names.items():
            if name in names:
                raise ValueError(f"defined name {name!r} is used twice")
            names[name] = ref
        return names


def quote_sheet(title: str) -> str:
    """A sheet title as it appears in a reference: always quoted ('Sources & notes')."""
    return "'" + title.replace("'", "''") + "'"


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA.

    >>> column_letter(1), column_letter(26), column_letter(27)
    ('A', 'Z', 'AA')
    """
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
