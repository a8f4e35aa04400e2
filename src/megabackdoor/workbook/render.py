"""Render a :class:`~megabackdoor.workbook.layout.Book` with openpyxl, and save it safely.

* Named styles are registered once per workbook (``styles.register``), cells refer to them by name.
* Text is written as text: a ``str`` that starts with ``=`` is stored as a string cell, never a formula.
* Document timestamps and zip entry dates are fixed, so the same layout always gives the same file.
* :func:`save` never overwrites an existing file unless ``force`` is true, and writes to a temporary file in
  the target folder that is renamed into place (a failed run leaves nothing half-written).
"""

from __future__ import annotations

import datetime
import math
import os
import tempfile
import zipfile
from copy import copy
from typing import Any

from . import styles
from .layout import Book, Chart, ConditionalFormat, Sheet, Validation

# Fixed document timestamps: the same scenario gives the same workbook (and the same bytes).
FIXED_TIME = datetime.datetime(2026, 1, 1, 0, 0, 0)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def to_openpyxl(book: Book):
    """Build the openpyxl Workbook for ``book``."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    workbook = Workbook()
    workbook.remove(workbook.active)
    styles.register(workbook, book.extra_styles)
    properties = workbook.properties
    properties.creator = book.creator
    properties.lastModifiedBy = book.creator
    properties.title = book.title or None
    properties.subject = book.subject or None
    properties.description = book.description or None
    properties.keywords = book.keywords or None
    properties.created = FIXED_TIME
    properties.modified = FIXED_TIME
    for sheet in book.sheets:
        _render_sheet(workbook.create_sheet(sheet.title), sheet)
    for name, ref in book.defined_names().items():
        workbook.defined_names[name] = DefinedName(name, attr_text=ref)
    workbook.calculation.fullCalcOnLoad = True
    return workbook


def _render_sheet(worksheet, sheet: Sheet) -> None:
    from openpyxl.comments import Comment

    validations: dict[Validation, list[str]] = {}
    style_arrays: dict[tuple[str | None, str | None], Any] = {}
    for ref, spec in sheet.cells.items():
        row, column = _coordinates(ref)
        cell = worksheet.cell(row, column)
        value = spec.value
        cell.value = value
        if isinstance(value, str) and type(value) is str:
            cell.data_type = "s"  # text stays text, even "=cmd|..." or "+1": no formula injection
        if spec.style or spec.number_format:
            # Assigning a named style or a number format looks it up in the workbook's indexed lists and rebuilds
            # the cell's style array each time; reuse the array of the first cell with the same pair.
            key = (spec.style, spec.number_format)
            array = style_arrays.get(key)
            if array is None:
                if spec.style:
                    cell.style = spec.style
                if spec.number_format:
                    cell.number_format = spec.number_format
                style_arrays[key] = copy(cell._style)
            else:
                cell._style = copy(array)
        if spec.note:
            comment = Comment(spec.note, "megabackdoor")
            comment.width, comment.height = 300, 110
            cell.comment = comment
        if spec.validation is not None:
            validations.setdefault(spec.validation, []).append(ref)
    for validation, refs in validations.items():
        worksheet.add_data_validation(_data_validation(validation, refs))
    for column, width in sheet.column_widths.items():
        worksheet.column_dimensions[column].width = width
    for row, height in _wrapped_row_heights(sheet).items():
        worksheet.row_dimensions[row].height = height
    for cells in sheet.merged:
        worksheet.merge_cells(cells)
    if sheet.freeze:
        worksheet.freeze_panes = sheet.freeze
    if sheet.tab_color:
        worksheet.sheet_properties.tabColor = sheet.tab_color
    for conditional in sheet.conditional_formats:
        _conditional(worksheet, conditional)
    for chart in sheet.charts:
        worksheet.add_chart(_chart(chart), chart.anchor)


WRAPPED_STYLES = frozenset(name for name, spec in styles.NAMED_STYLES.items() if spec.get("wrap"))
LINE_HEIGHT = 15.0  # points, Excel's default row height for 11 pt Calibri
DEFAULT_COLUMN_WIDTH = 8.43


def _wrapped_row_heights(sheet: Sheet) -> dict[int, float]:
    """Heights for rows holding wrapped text (column headers), from the text length and the column width.

    openpyxl writes no row heights and neither Excel nor LibreOffice re-fits rows on open, so a wrapped
    header would otherwise overlap the row below it.
    """
    from openpyxl.utils import get_column_letter

    heights: dict[int, float] = {}
    for ref, spec in sheet.cells.items():
        if spec.style not in WRAPPED_STYLES or not isinstance(spec.value, str):
            continue
        row, column = _coordinates(ref)
        width = sheet.column_widths.get(get_column_letter(column), DEFAULT_COLUMN_WIDTH)
        characters_per_line = max(width - 1.0, 1.0) / 1.15  # bold text is wider than the width unit
        lines = sum(max(1, math.ceil(len(part) / characters_per_line)) for part in spec.value.split("\n"))
        heights[row] = max(heights.get(row, LINE_HEIGHT), LINE_HEIGHT * lines)
    return heights


_COORDINATES: dict[str, tuple[int, int]] = {}


def _coordinates(ref: str) -> tuple[int, int]:
    # worksheet["B2"] parses the reference as a range on every call; cache the parse instead.
    found = _COORDINATES.get(ref)
    if found is None:
        from openpyxl.utils.cell import coordinate_to_tuple

        found = _COORDINATES[ref] = coordinate_to_tuple(ref)
    return found


def _data_validation(validation: Validation, refs: list[str]):
    from openpyxl.worksheet.datavalidation import DataValidation

    if validation.kind == "list":
        rule = DataValidation(type="list", formula1='"' + ",".join(validation.options) + '"', allow_blank=False)
    else:
        kind = "textLength" if validation.kind == "text_length" else validation.kind
        rule = DataValidation(type=kind, operator="between", formula1=repr(validation.minimum),
                              formula2=repr(validation.maximum), allow_blank=False)
    rule.error = validation.error_message()
    rule.errorTitle = "Not accepted"
    rule.showErrorMessage = True
    if validation.prompt:
        rule.prompt = validation.prompt
        rule.showInputMessage = True
    rule.sqref = " ".join(refs)
    return rule


def _conditional(worksheet, conditional: ConditionalFormat) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    font = Font(color=conditional.font_color, bold=conditional.bold) if (
        conditional.font_color or conditional.bold) else None
    fill = PatternFill("solid", start_color=conditional.fill, end_color=conditional.fill)
    worksheet.conditional_formatting.add(
        conditional.cells, FormulaRule(formula=[conditional.formula.lstrip("=")], fill=fill, font=font))


def _series(item, series_class: Any):
    from openpyxl.chart import Series
    from openpyxl.chart.series import SeriesLabel

    result = Series(item.values, title=item.title)
    if item.title_ref:
        from openpyxl.chart.data_source import StrRef

        result.tx = SeriesLabel(strRef=StrRef(item.title_ref))
    return result


def _categories(chart, ref: str) -> None:
    from openpyxl.chart.data_source import AxDataSource, NumRef

    for series in chart.series:
        series.cat = AxDataSource(numRef=NumRef(f=ref))


_CHART_TREES: dict[Chart, Any] = {}


def _chart(spec: Chart):
    """The openpyxl chart for a spec. Its XML tree is built once per distinct spec and process (charts are
    the slowest part of a workbook to serialize); the chart object written carries that tree."""
    from openpyxl.chart import BarChart

    tree = _CHART_TREES.get(spec)
    if tree is None:
        tree = _build_chart(spec)._write()
        if len(_CHART_TREES) >= 256:
            _CHART_TREES.clear()
        _CHART_TREES[spec] = tree
    shell = BarChart()
    shell.width, shell.height = spec.width_cm, spec.height_cm
    shell._write = lambda: tree
    return shell


def _build_chart(spec: Chart):
    from openpyxl.chart import BarChart, LineChart

    if spec.kind == "stacked_column":
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "stacked"
        chart.overlap = 100
    elif spec.kind == "line":
        chart = LineChart()
    else:
        raise ValueError(f"chart kind: got {spec.kind!r}; expected 'stacked_column' or 'line'")
    chart.title = spec.title
    chart.y_axis.title = spec.y_title or None
    chart.x_axis.title = spec.x_title or None
    chart.width, chart.height = spec.width_cm, spec.height_cm
    # openpyxl >= 3.1 hides axes unless told otherwise (delete=True by default).
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for item in spec.series:
        chart.series.append(_series(item, None))
    _categories(chart, spec.categories)
    if spec.line_series:
        line = LineChart()
        for item in spec.line_series:
            line.series.append(_series(item, None))
        _categories(line, spec.categories)
        chart += line
    return chart


class _FixedTimeZip(zipfile.ZipFile):
    """A ZipFile whose entries all carry one fixed date (byte-identical output for identical input)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # openpyxl writes worksheets from temporary files: take their bytes, not their modification time.
        with open(filename, "rb") as handle:
            data = handle.read()
        return self.writestr(arcname or os.path.basename(filename), data)


def write_openpyxl(workbook, target) -> None:
    """Write an openpyxl workbook to a path or binary file object with fixed timestamps."""
    from openpyxl.writer.excel import ExcelWriter

    with _FixedTimeZip(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        workbook.properties.modified = FIXED_TIME
        ExcelWriter(workbook, archive).write_data()


def save(book: Book, path: str | os.PathLike, force: bool = False) -> str:
    """Render ``book`` and write it to ``path`` atomically; refuses to overwrite unless ``force``.

    Raises FileExistsError (naming the file and the --force flag) when ``path`` exists and ``force`` is false.
    """
    return save_openpyxl(to_openpyxl(book), path, force)


def save_openpyxl(workbook, path: str | os.PathLike, force: bool = False) -> str:
    """Write an openpyxl workbook atomically (temp file in the same folder, then rename)."""
    return atomic_write(path, lambda stream: write_openpyxl(workbook, stream), force)


def atomic_write(path: str | os.PathLike, write, force: bool = False) -> str:
    """Call ``write(stream)`` on a temp file beside ``path``, then rename it into place.

    A crash or error leaves ``path`` as it was; an existing ``path`` is kept unless ``force``, checked before
    and again after writing (it may appear meanwhile). Raises FileExistsError naming the file and --force.
    """
    path = os.fspath(path)
    if os.path.exists(path) and not force:
        raise FileExistsError(f"{path} already exists; pass --force to overwrite it")
    folder = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix=".megabackdoor-", suffix=".xlsx.tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        if os.path.exists(path) and not force:  # appeared while we were writing
            raise FileExistsError(f"{path} already exists; pass --force to overwrite it")
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)  # mkstemp makes 0600; a workbook gets the usual permissions
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return path
