"""How every generated sheet prints, decided from its content: the same rules for every sheet of every workbook.

* **Column widths from content**: each column is as wide as the longest value it shows, formatted with the
  cell's number format (:func:`display_text`): a formula's ``sample`` (the engine's widest result for the
  scenario), else the literal value a ``=Name`` formula points at, else a generous value for its number format
  (:data:`FORMULA_GUESS`). Text that has a filled cell to its right must fit too; a width set in the layout
  is a minimum. Headers (wrapped styles) are as wide as their longest word and get row heights that fit.
* **Text that would run off the printed page** (the last printed column) wraps, and its row grows.
* **Print area** from the first cell to the last cell or chart; **print titles** are the frozen panes (the
  header rows and the Year/label column repeat on every page); **orientation**: portrait when the sheet fits a
  portrait page at 80% or more, else landscape; **fit to one page wide**, unless that would shrink the text
  below ``PageSetup.min_scale`` (then as few pages wide as keep it readable, the title columns on each).
* **Charts** print whole: a row page break goes before a chart that would straddle two pages.
* **Header and footer**: the workbook title (scenario name) and the sheet; the disclaimer and page N of M.

Widths are in Excel's unit (the width of a digit of the default font); LibreOffice substitutes DejaVu Sans for
Calibri where Calibri is missing and scales widths by its own digit, so the estimate below (DejaVu's character
widths relative to its digit) holds for both. US Letter paper.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .layout import Formula, Sheet, column_letter

DEFAULT_WIDTH = 8.43
LINE_HEIGHT = 15.0            # points, the default row height (11 pt text)
PAGE_POINTS = (612.0, 792.0)  # US Letter, portrait (width, height)
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}  # inches
PORTRAIT_MIN_SCALE = 0.8      # portrait when the sheet fits a portrait page at this scale or more
MAX_NOWRAP_WIDTH = 36.0       # a column holding longer text that must fit wraps it instead of growing
WRAP_SPAN = 30.0              # text running on into less room than this grows its column before it wraps
POINTS_PER_CM = 72 / 2.54

# A formula with no sample is sized for the widest value its number format is likely to show.
FORMULA_GUESS = {"money": 9_999_999.99, "percent": 1.0, "number": 9_999.0}

_NAME_FORMULA = re.compile(r"=([A-Za-z_][A-Za-z0-9_.]*)")
_NARROW = frozenset(".,:;'!|il ")
_SEMI = frozenset("ftjrI()[]-/")
_WIDE = frozenset("mwMW%@")


@lru_cache(maxsize=8192)
def char_units(text: str, bold: bool = False, size: float = 11.0) -> float:
    """Width of ``text`` in digit widths (Excel's column unit), from DejaVu Sans's proportions.

    >>> char_units("$99,999.99")
    9.0
    """
    units = 0.0
    for char in text:
        if char in _NARROW:
            units += 0.5
        elif char in _SEMI:
            units += 0.65
        elif char in _WIDE:
            units += 1.5
        elif char.isupper():
            units += 1.15
        else:
            units += 1.0
    return units * (1.12 if bold else 1.0) * size / 11.0


@lru_cache(maxsize=8192)
def display_text(value: Any, number_format: str | None) -> str:
    """``value`` as a spreadsheet shows it with ``number_format`` (the common formats of this project).

    >>> display_text(1234567.891, '"$"#,##0.00;[Red]-"$"#,##0.00')
    '$1,234,567.89'
    >>> display_text(-5, '"$"#,##0;[Red]-"$"#,##0'), display_text(0.0525, "0.00%"), display_text(1.5, "0.###")
    ('-$5', '5.25%', '1.5')
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    if not isinstance(value, (int, float)):
        return str(value)
    if not number_format or number_format == "General" or number_format == "@":
        return f"{value:.10g}"
    core, literal = _format_parts(number_format)
    if re.search(r"[ymdhs]", core, re.IGNORECASE):
        return "0" * len(core)  # a date or time: as long as its pattern
    percent = "%" in core
    number = abs(value) * (100 if percent else 1)
    decimals = core.split(".", 1)[1] if "." in core else ""
    zeros, hashes = decimals.count("0"), decimals.count("#")
    text = f"{number:{',' if ',' in core else ''}.{zeros + hashes}f}"
    if hashes:
        keep = len(text) - hashes
        text = text[:keep] + text[keep:].rstrip("0")
        text = text.rstrip(".")
    return ("-" if value < 0 else "") + literal + text + ("%" if percent else "")


@lru_cache(maxsize=256)
def _format_parts(number_format: str) -> tuple[str, str]:
    """(the positive section's pattern without literals, its literal text) of a number format."""
    first = number_format.split(";")[0]
    return re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", first), "".join(re.findall(r'"([^"]*)"', first))


@dataclass
class PrintPlan:
    """What the renderer applies to one worksheet (see the module text)."""

    widths: dict[str, float]
    heights: dict[int, float]
    wrapped: set[str]
    merges: list[str]
    area: str
    title_rows: str | None
    title_columns: str | None
    orientation: str
    fit_width: int
    row_breaks: list[int] = field(default_factory=list)
    dynamic_area: str | None = None  # a print area that grows with the rows pasted (PageSetup.grow_with)


def _style_info(style_specs: dict[str, dict[str, Any]], style: str | None) -> dict[str, Any]:
    return style_specs.get(style or "", {})


def _guess(number_format: str | None) -> Any:
    if not number_format or number_format == "@":
        return None  # a text formula with no sample: its text may run on into empty cells
    if "%" in number_format:
        return FORMULA_GUESS["percent"]
    if "$" in number_format:
        return FORMULA_GUESS["money"]
    return FORMULA_GUESS["number"] + (0.123456789 if "." in number_format else 0)


_COORDINATES: dict[str, tuple[int, int]] = {}


def _coordinates(ref: str) -> tuple[int, int]:
    found = _COORDINATES.get(ref)
    if found is None:
        found = _COORDINATES[ref] = _parse_coordinates(ref)
    return found


def _parse_coordinates(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    column = 0
    for char in letters:
        column = column * 26 + ord(char) - 64
    return int(ref[len(letters):]), column


def _column_index(letters: str) -> int:
    return _coordinates(letters + "1")[1]


def _lines(text: str, units_per_line: float, bold: bool, size: float) -> int:
    """Lines ``text`` takes when wrapped at word boundaries in a column ``units_per_line`` wide."""
    count = 0
    for paragraph in text.split("\n"):
        line, lines = 0.0, 1
        for word in paragraph.split(" "):
            width = char_units(word + " ", bold, size)
            if line and line + width > units_per_line:
                lines += 1
                line = 0.0
            line += width
            while line > units_per_line:  # a word longer than the line breaks inside
                lines += 1
                line -= units_per_line
        count += lines
    return count


def points(width: float) -> float:
    """Column width (digit units) in points: 7 px a unit plus 5 px padding, at 96 px an inch."""
    return (7 * width + 5) * 0.75


def _fit(widths: dict[str, float], first_printed: int, last_printed: int, title_columns: str | None,
         page: Any) -> tuple[str, int, float]:
    """(orientation, pages wide, scale) of the printed columns: portrait when they fit a portrait page at
    PORTRAIT_MIN_SCALE, one page wide unless that shrinks the text below ``page.min_scale``."""
    printed_width = sum(points(widths.get(column_letter(c), DEFAULT_WIDTH))
                        for c in range(first_printed, last_printed + 1))
    title_width = 0.0
    if title_columns:
        first_title, last_title = (_column_index(x) for x in title_columns.split(":"))
        title_width = sum(points(widths.get(column_letter(c), DEFAULT_WIDTH))
                          for c in range(first_title, last_title + 1))
    portrait = PAGE_POINTS[0] - 72 * (MARGINS["left"] + MARGINS["right"])
    landscape = PAGE_POINTS[1] - 72 * (MARGINS["left"] + MARGINS["right"])
    orientation = page.orientation or ("portrait" if printed_width * PORTRAIT_MIN_SCALE <= portrait else "landscape")
    page_width = portrait if orientation == "portrait" else landscape
    pages = 1
    while (printed_width + (pages - 1) * title_width) * page.min_scale > pages * page_width:
        pages += 1
    return orientation, pages, min(1.0, pages * page_width / (printed_width + (pages - 1) * title_width))


def plan_sheet(sheet: Sheet, style_specs: dict[str, dict[str, Any]], name_values: dict[str, Any]) -> PrintPlan:
    """The print plan of ``sheet``. ``style_specs``: named style -> spec (styles.py); ``name_values``: defined
    name -> the literal value of its cell (sizes ``=Name`` formulas)."""
    merged_cells = set()
    for block in sheet.merged:
        first, last = block.split(":")
        (r1, c1), (r2, c2) = _coordinates(first), _coordinates(last)
        merged_cells |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    wrap_styles = {name for name, spec in style_specs.items() if spec.get("wrap")}
    shown: dict[tuple[int, int], tuple[str, dict[str, Any], str, bool]] = {}  # -> (text, style, ref, is text)
    guessed: dict[tuple[str | None, str | None], tuple[str, dict[str, Any], bool] | None] = {}
    for ref, spec in sheet.cells.items():
        value = spec.value
        if type(value) is Formula and spec.sample is None and not (len(value) < 64 and _NAME_FORMULA.fullmatch(value)):
            # A formula sized by its number format: the same for every cell of the (style, format) pair.
            key = (spec.style, spec.number_format)
            if key not in guessed:
                style = _style_info(style_specs, spec.style)
                number_format = spec.number_format or style.get("number_format")
                guess = _guess(number_format)
                guessed[key] = None if guess is None else (display_text(guess, number_format), style, False)
            found = guessed[key]
            if found is not None:
                shown[_coordinates(ref)] = (found[0], found[1], ref, False)
            continue
        style = _style_info(style_specs, spec.style)
        number_format = spec.number_format or style.get("number_format")
        if isinstance(value, Formula):
            if spec.sample is not None:
                value = spec.sample
            else:
                value = name_values.get(value[1:])
                if value is None:
                    value = _guess(number_format)
        if value is None or value == "":
            continue
        shown[_coordinates(ref)] = (display_text(value, number_format), style, ref, isinstance(value, str))
    # Empty cells with a fill or a border (an input waiting for a value): text must not run on over them.
    boxed = {_coordinates(ref) for ref, spec in sheet.cells.items()
             if spec.value is None and spec.style and {"fill", "border"} & set(_style_info(style_specs, spec.style))}
    last_column = max((c for _, c in shown), default=1)
    last_row = max((r for r, _ in shown), default=1)

    widths = {letter: width for letter, width in sheet.column_widths.items()}
    needed: dict[int, float] = {}
    wrapped: set[str] = set()
    runs_on: list[tuple[int, int, str, dict[str, Any], str]] = []
    measured: set[tuple[int, str, int]] = set()  # (column, text, style): a number measured once per column
    for (row, column), (text, style, ref, is_text) in shown.items():
        if (row, column) in merged_cells:
            continue
        if not is_text:
            key = (column, text, id(style))
            if key in measured:
                continue
            measured.add(key)
        font = style.get("font", {})
        bold, size = bool(font.get("bold")), float(font.get("size", 11))
        if style.get("wrap"):
            words = max((char_units(word, bold, size) for word in text.split()), default=0.0)
            need = max(words, char_units(text, bold, size) / 3) + 1.2
        elif is_text:
            if (row, column + 1) not in shown and (row, column + 1) not in boxed:
                runs_on.append((row, column, text, style, ref))
                continue
            need = char_units(text, bold, size) + 1.2
            if need > MAX_NOWRAP_WIDTH:
                wrapped.add(ref)
                need = MAX_NOWRAP_WIDTH
        else:
            need = char_units(text, bold, size) + 1.2
        needed[column] = max(needed.get(column, 0.0), need)
    for column, need in needed.items():
        letter = column_letter(column)
        widths[letter] = round(max(widths.get(letter, DEFAULT_WIDTH), need), 2)

    # Charts: the columns and rows they cover (for the print area and the page breaks).
    chart_boxes = []
    for chart in sheet.charts:
        top, left = _coordinates(chart.anchor)
        span, column = 0.0, left
        while True:
            span += points(widths.get(column_letter(column), DEFAULT_WIDTH))
            if span >= chart.width_cm * POINTS_PER_CM:
                break
            column += 1
        rows = math.ceil(chart.height_cm * POINTS_PER_CM / LINE_HEIGHT)
        chart_boxes.append((top, top + rows, left, column))
        last_column = max(last_column, column)
        last_row = max(last_row, top + rows)
    first_printed, last_printed = 1, last_column
    if sheet.page.columns:
        first_letters, last_letters = sheet.page.columns.split(":")
        first_printed, last_printed = _column_index(first_letters), _column_index(last_letters)

    # Print titles from the frozen panes.
    title_rows = sheet.page.title_rows
    title_columns = sheet.page.title_columns
    if sheet.freeze:
        frozen_row, frozen_column = _coordinates(sheet.freeze)
        if title_rows is None and frozen_row > 1:
            # The header rows just above the frozen pane (wrapped header cells); a pane frozen below a tall
            # block of inputs repeats only the table's header, not the block.
            header_rows = {_coordinates(ref)[0] for ref, spec in sheet.cells.items()
                           if spec.style in wrap_styles}
            top = frozen_row
            while top - 1 in header_rows:
                top -= 1
            if top < frozen_row:
                title_rows = f"{top}:{frozen_row - 1}"
            elif frozen_row <= 4:
                title_rows = f"1:{frozen_row - 1}"
        if title_columns is None and frozen_column > 1:
            title_columns = f"A:{column_letter(frozen_column - 1)}"

    # Text in a repeated title column (the label column) prints on every page, beside the columns of that page
    # only: when the sheet prints more than one page wide, it stops at the title columns' edge (merged across
    # them and wrapped), or it would be cut on every page after the first.
    title_edge = None
    if title_columns and _fit(widths, first_printed, last_printed, title_columns, sheet.page)[1] > 1:
        title_edge = _column_index(title_columns.split(":")[1]) + 1
    # Text running on into empty cells must stop before the next filled cell, a chart or the printed edge.
    # Where it would not, it wraps across the empty cells it may use (merged), or, when they are too narrow
    # to wrap in, its column grows.
    columns_in_row: dict[int, list[int]] = {}
    for row, column in list(shown) + list(boxed):
        columns_in_row.setdefault(row, []).append(column)
    merges: list[str] = []
    merged_width: dict[str, float] = {}
    for row, column, text, style, ref in runs_on:
        font = style.get("font", {})
        bold, size = bool(font.get("bold")), float(font.get("size", 11))
        stop = last_printed + 1
        stop = min([stop] + [c for c in columns_in_row.get(row, ()) if c > column]
                   + [left for top, bottom, left, _ in chart_boxes if top <= row < bottom and left > column])
        if title_edge is not None and column < title_edge:
            stop = min(stop, title_edge)
        stop = max(stop, column + 1)
        span = sum(widths.get(column_letter(c), DEFAULT_WIDTH) for c in range(column, stop))
        need = char_units(text, bold, size) + 1.2
        if need <= span:
            continue
        if span < WRAP_SPAN:  # too narrow to wrap in: the column grows (to WRAP_SPAN at most)
            letter = column_letter(column)
            grow = min(need, WRAP_SPAN) - span
            widths[letter] = round(widths.get(letter, DEFAULT_WIDTH) + grow, 2)
            span += grow
        if need > span:
            wrapped.add(ref)
            merged_width[ref] = span
            if stop - column > 1 and not any((row, c) in merged_cells for c in range(column, stop)):
                merges.append(f"{ref}:{column_letter(stop - 1)}{row}")

    heights: dict[int, float] = {}
    for ref in sorted(wrapped) + [ref for ref, spec in sheet.cells.items()
                                  if spec.style in wrap_styles]:
        row, column = _coordinates(ref)
        if (row, column) not in shown or (row, column) in merged_cells:
            continue
        text, style, _, _ = shown[(row, column)]
        font = style.get("font", {})
        bold, size = bool(font.get("bold")), float(font.get("size", 11))
        width = merged_width.get(ref) or widths.get(column_letter(column), DEFAULT_WIDTH)
        lines = _lines(text, max(width - 1.0, 1.0), bold, size)
        heights[row] = max(heights.get(row, LINE_HEIGHT), LINE_HEIGHT * size / 11 * lines)

    orientation, pages, scale = _fit(widths, first_printed, last_printed, title_columns, sheet.page)

    # A row break before a chart that would straddle a page boundary.
    page_height = (PAGE_POINTS[1] if orientation == "portrait" else PAGE_POINTS[0]) - 72 * (
        MARGINS["top"] + MARGINS["bottom"])
    usable = page_height / scale
    repeated = 0.0
    if title_rows:
        first_title_row, last_title_row = (int(x) for x in title_rows.split(":"))
        repeated = sum(heights.get(r, LINE_HEIGHT) for r in range(first_title_row, last_title_row + 1))
    row_breaks: list[int] = []
    row_top = {}
    position = 0.0
    for r in range(1, last_row + 2):
        row_top[r] = position
        position += heights.get(r, LINE_HEIGHT)
    page_start = 0.0
    for top, bottom, _, _ in sorted(chart_boxes):
        height = row_top[min(bottom, last_row + 1)] - row_top[top]
        limit = usable - (repeated if row_breaks else 0.0)
        if row_top[min(bottom, last_row + 1)] - page_start > limit and height <= usable - repeated and top > 1:
            # A row above the chart goes to its page too: LibreOffice prints the frame of a chart that starts
            # right at a page's end as a sliver on that page.
            above = top - 1 if top > 2 else top
            row_breaks.append(above - 1)
            page_start = row_top[above]

    area = f"${column_letter(first_printed)}$1:${column_letter(last_printed)}${last_row}"
    dynamic_area = None
    if sheet.page.grow_with:
        # Rows 1 to the last filled row of that column (COUNTA counts the header too), at least one row more.
        quoted = "'" + sheet.title.replace("'", "''") + "'"
        low = int(title_rows.split(":")[1]) + 1 if title_rows else 2
        letter = sheet.page.grow_with
        dynamic_area = (f"OFFSET({quoted}!${column_letter(first_printed)}$1,0,0,MAX({low},COUNTA({quoted}!${letter}:"
                        f"${letter})),{last_printed - first_printed + 1})")
    return PrintPlan(widths=widths, heights=heights, wrapped=wrapped, merges=merges, area=area, title_rows=title_rows,
                     title_columns=title_columns, orientation=orientation, fit_width=pages, row_breaks=row_breaks,
                     dynamic_area=dynamic_area)


def header_footer_text(text: str) -> str:
    """Text for a header or footer section: ``&`` starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")


def apply(worksheet, plan: PrintPlan, header: str, footer: str) -> None:
    """Put ``plan`` (and the header/footer texts) on an openpyxl worksheet (regular or write-only)."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    setup = worksheet.page_setup
    setup.orientation = plan.orientation
    setup.paperSize = 1  # US Letter
    setup.fitToWidth = plan.fit_width
    setup.fitToHeight = 0  # as many pages tall as it takes
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.page_margins = PageMargins(**MARGINS)
    if plan.dynamic_area:
        from openpyxl.workbook.defined_name import DefinedName

        worksheet.defined_names["_xlnm.Print_Area"] = DefinedName("_xlnm.Print_Area", attr_text=plan.dynamic_area)
    else:
        worksheet.print_area = plan.area
    if plan.title_rows:
        worksheet.print_title_rows = plan.title_rows
    if plan.title_columns:
        worksheet.print_title_cols = plan.title_columns
    if plan.row_breaks:
        breaks = RowBreak()
        for row in plan.row_breaks:
            breaks.append(Break(id=row))
        worksheet.row_breaks = breaks
    # &A: the sheet's name; &P of &N: page numbers. Literal text has its & doubled.
    for part, text in ((worksheet.oddHeader.left, header_footer_text(header)), (worksheet.oddHeader.right, "&A"),
                       (worksheet.oddFooter.left, header_footer_text(footer)),
                       (worksheet.oddFooter.right, "Page &P of &N")):
        part.text = text
        part.size = 8


class PrintedWorkbook:
    """A write-only openpyxl workbook whose sheets print like the layout sheets (for reports written row by
    row, e.g. the ACP report): each sheet's rows are held until :meth:`finish` (or until ``hold`` rows, then
    written as they come), and the widths, header heights and page setup are planned from the rows held
    (plus ``samples``: extra rows, never written, such as each column's widest value of a long table; and
    ``total_rows``: how many rows a long sheet will have, for its print area).

    ``create_sheet`` returns a sheet with ``append`` and everything else of the worksheet.
    """

    def __init__(self, workbook, header: str, footer: str, hold: int = 500) -> None:
        self.workbook, self.header, self.footer, self.hold = workbook, header, footer, hold
        self.sheets: list[_HeldSheet] = []
        self.samples: dict[str, list[list[Any]]] = {}
        self.total_rows: dict[str, int] = {}

    def create_sheet(self, title: str):
        sheet = _HeldSheet(self, self.workbook.create_sheet(title))
        self.sheets.append(sheet)
        return sheet

    def __getattr__(self, name: str) -> Any:
        return getattr(self.workbook, name)

    def finish(self) -> None:
        for sheet in self.sheets:
            sheet.release()


class _HeldSheet:
    def __init__(self, owner: PrintedWorkbook, worksheet) -> None:
        self._owner, self._worksheet, self._rows, self._released = owner, worksheet, [], False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._worksheet, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._worksheet, name, value)

    def append(self, row) -> None:
        if self._released:
            self._worksheet.append(row)
            return
        self._rows.append(list(row))
        if len(self._rows) >= self._owner.hold:
            self.release()

    def release(self) -> None:
        """Plan the print layout from the rows held, set it, write the rows."""
        if self._released:
            return
        from . import styles

        worksheet = self._worksheet
        shadow = Sheet(worksheet.title, freeze=worksheet.freeze_panes,
                       column_widths={letter: dimension.width for letter, dimension in
                                      worksheet.column_dimensions.items() if dimension.width})
        cells: dict[str, Any] = {}
        rows = self._rows + self._owner.samples.get(worksheet.title, [])
        for index, row in enumerate(rows, 1):
            for column, cell in enumerate(row, 1):
                if cell is None:
                    continue
                ref = f"{column_letter(column)}{index}"
                if hasattr(cell, "_value"):  # a WriteOnlyCell
                    if cell.value is None:
                        continue
                    style = cell.style if cell.style in styles.NAMED_STYLES else None
                    number_format = cell.number_format if cell.number_format != "General" else None
                    shadow.put(ref, cell.value, style=style, number_format=number_format)
                    cells[ref] = cell
                else:
                    shadow.put(ref, cell)
        plan = plan_sheet(shadow, styles.NAMED_STYLES, {})
        for letter, width in plan.widths.items():
            worksheet.column_dimensions[letter].width = width
        for row, height in plan.heights.items():
            if row <= len(self._rows):
                worksheet.row_dimensions[row].height = height
        for ref in plan.wrapped:  # no merging in a write-only sheet: the text wraps in its own column
            cell = cells.get(ref)
            if cell is not None:
                from openpyxl.styles import Alignment

                cell.alignment = Alignment(horizontal=cell.alignment.horizontal, wrap_text=True, vertical="top")
                row = _coordinates(ref)[0]
                width = plan.widths.get(column_letter(_coordinates(ref)[1]), DEFAULT_WIDTH)
                lines = _lines(str(cell.value), max(width - 1.0, 1.0), False, 11.0)
                if row <= len(self._rows):
                    current = worksheet.row_dimensions[row].height or LINE_HEIGHT
                    worksheet.row_dimensions[row].height = max(current, LINE_HEIGHT * lines)
        plan.merges.clear()
        # Rows written after the first ``hold`` print too (``total_rows``: the rows the sheet will have).
        last = max(len(self._rows), self._owner.total_rows.get(worksheet.title, 0))
        plan.area = re.sub(r"\$\d+$", f"${last}", plan.area)
        apply(worksheet, plan, self._owner.header, self._owner.footer)
        self._released = True
        for row in self._rows:
            worksheet.append(row)
        self._rows = []
