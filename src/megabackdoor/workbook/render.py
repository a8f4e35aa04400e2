"""Render a :class:`~megabackdoor.workbook.layout.Book` with openpyxl, and save it safely.

* Named styles are registered once per workbook (``styles.register``), cells refer to them by name.
* Text is written as text: a ``str`` that starts with ``=`` is stored as a string cell, never a formula.
* Document timestamps and zip entry dates are fixed, so the same layout always gives the same file.
* :func:`save` never overwrites an existing file unless ``force`` is true, and writes to a temporary file in
  the target folder that is renamed into place (a failed run leaves nothing half-written): the project's one
  writer, :func:`megabackdoor.files.atomic_write` (re-exported here with the rest of that module's writers).

Two ways to the same file. :func:`to_openpyxl` gives a complete openpyxl Workbook (every cell an openpyxl
cell); it is the reference. :func:`write_book` (used by :func:`save`) is the fast path: openpyxl builds and
writes everything except the cell records (styles, names, validations, comments, charts, the package), and
the ``<sheetData>`` of each sheet is written here as text, the way openpyxl's own cell writer writes it.
Creating and serializing ~1,200 openpyxl cell objects was most of a workbook's build time. Tests check that
both ways give byte-identical files for every stock workbook and for random scenarios (with lxml installed,
openpyxl serializes the rest of the file through lxml: then the parsed cells and styles are compared, and
LibreOffice must read the same values). The fast path is used only under the openpyxl releases it was
verified on (:data:`FAST_PATH_OPENPYXL`).
"""

from __future__ import annotations

import datetime
import os
import zipfile
from copy import copy
from operator import itemgetter
from typing import Any

from .. import DISCLAIMER
from ..files import (  # noqa: F401 - the writers lived here first: call sites that import them from here keep working
    STALE_SECONDS,
    TEMP_PREFIX,
    TEMP_SUFFIX,
    atomic_write,
    clean_stale_temps,
    on_path,
    publish,
    refuse_existing,
    remove_temp,
    write_temp,
)
from . import printing, styles
from .layout import Book, Chart, ConditionalFormat, Formula, Sheet, Validation

# Fixed document timestamps: the same scenario gives the same workbook (and the same bytes).
FIXED_TIME = datetime.datetime(2026, 1, 1, 0, 0, 0)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def to_openpyxl(book: Book):
    """Build the complete openpyxl Workbook for ``book`` (the reference rendering, every cell included)."""
    return _build(book, direct=False)[0]


def _build(book: Book, direct: bool) -> tuple[Any, list[str]]:
    """(openpyxl Workbook, each sheet's ``<sheetData>`` text when ``direct``, else an empty list).

    With ``direct``, the Workbook holds only the cells openpyxl itself needs (the first cell of each style in a
    sheet, cells with a note, merged ranges' corners, the two corners of the used range); the cell records
    are in the returned texts, spliced into the worksheets by :func:`write_book`.
    """
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
    sheet_data = []
    style_specs = {**styles.NAMED_STYLES, **book.extra_styles}
    name_values = _name_values(book)
    header, footer = book.title, book.description or DISCLAIMER
    for sheet in book.sheets:
        plan = printing.plan_sheet(sheet, style_specs, name_values)
        text = _render_sheet(workbook.create_sheet(sheet.title), sheet, direct, plan, header, footer)
        if direct:
            sheet_data.append(text)
    for name, ref in book.defined_names().items():
        workbook.defined_names[name] = DefinedName(name, attr_text=ref)
    workbook.calculation.fullCalcOnLoad = True
    return workbook, sheet_data


def _name_values(book: Book) -> dict[str, Any]:
    """Defined name -> the literal value of its cell (a ``=Name`` formula shows it: sizes its column)."""
    values = {}
    for sheet in book.sheets:
        for spec in sheet.cells.values():
            if spec.name and not isinstance(spec.value, Formula):
                values[spec.name] = spec.value
    return values


def _render_sheet(worksheet, sheet: Sheet, direct: bool, plan: printing.PrintPlan | None = None,
                  header: str = "", footer: str = "") -> str | None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment

    if plan is None:
        plan = printing.plan_sheet(sheet, styles.NAMED_STYLES, {})
    wrapped = plan.wrapped
    validations: dict[Validation, list[str]] = {}
    style_arrays: dict[tuple[str | None, str | None, bool], Any] = {}
    records: list[tuple[int, int, str, Any, Any]] = []  # direct: (row, column, ref, spec, style array)
    for ref, spec in sheet.cells.items():
        row, column = _coordinates(ref)
        cell = None
        if not direct:
            cell = worksheet.cell(row, column)
            value = spec.value
            cell.value = value
            if isinstance(value, str) and type(value) is str:
                cell.data_type = "s"  # text stays text, even "=cmd|..." or "+1": no formula injection
        array = None
        wrap = ref in wrapped  # text that would run off the printed page wraps (printing.py)
        if spec.style or spec.number_format or wrap:
            # Assigning a named style or a number format looks it up in the workbook's indexed lists and rebuilds
            # the cell's style array each time; reuse the array of the first cell with the same pair.
            key = (spec.style, spec.number_format, wrap)
            array = style_arrays.get(key)
            if array is None:
                if cell is None:
                    cell = worksheet.cell(row, column)
                if spec.style:
                    cell.style = spec.style
                if spec.number_format:
                    cell.number_format = spec.number_format
                if wrap:
                    alignment = copy(cell.alignment)
                    alignment.wrap_text, alignment.vertical = True, "top"
                    cell.alignment = Alignment(**dict(alignment))
                array = style_arrays[key] = copy(cell._style)
            elif not direct:
                cell._style = copy(array)
        if spec.note:
            if cell is None:
                cell = worksheet.cell(row, column)
                if array is not None:
                    cell._style = copy(array)
            comment = Comment(spec.note, "megabackdoor")
            comment.width, comment.height = 300, 110
            cell.comment = comment
        if spec.validation is not None:
            validations.setdefault(spec.validation, []).append(ref)
        if direct:
            records.append((row, column, ref, spec, array))
    for validation, refs in validations.items():
        worksheet.add_data_validation(_shared_validation(validation, refs))
    widths = tuple(sorted(plan.widths.items(), key=lambda item: (len(item[0]), item[0])))
    if direct:  # the <cols> element, built once per process for each set of widths (write_book's writer)
        worksheet._megabackdoor_cols = _cols_element(widths)
    else:
        for column, width in widths:
            worksheet.column_dimensions[column].width = width
    for row, height in sorted(plan.heights.items()):
        worksheet.row_dimensions[row].height = height
    for cells in sheet.merged + plan.merges:
        if direct:  # openpyxl copies the top-left cell's border onto the range's edges: it needs that cell
            top_left = cells.split(":")[0]
            array = next((record[4] for record in records if record[2] == top_left), None)
            if array is not None:
                worksheet.cell(*_coordinates(top_left))._style = copy(array)
            if _merge_plain(worksheet, cells):
                continue
        worksheet.merge_cells(cells)
    if sheet.freeze:
        worksheet.freeze_panes = sheet.freeze
    if sheet.tab_color:
        worksheet.sheet_properties.tabColor = sheet.tab_color
    for conditional in sheet.conditional_formats:
        _conditional(worksheet, conditional)
    for chart in sheet.charts:
        worksheet.add_chart(_chart(chart), chart.anchor)
    printing.apply(worksheet, plan, header, footer)
    return _sheet_data(worksheet, records) if direct else None


_SIDES = ("top", "left", "right", "bottom")


def _merge_plain(worksheet, cells: str) -> bool:
    """Merge ``cells`` as openpyxl's ``merge_cells`` does when that gives no cell a border or a protection
    (the top-left cell has neither: a note running on): the range is recorded and its other cells become
    MergedCells, and openpyxl's ``format`` step, which would add an empty border to each edge cell and the
    default protection to each cell (leaving every style as it was, at ~0.3 ms a cell), is skipped. False
    (nothing done) when the top-left cell is missing or has a border side or a protection."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.merge import MergedCellRange

    row, column = _coordinates(cells.split(":")[0])
    start = worksheet._cells.get((row, column))
    if start is None or start._style.protectionId != 0:
        return False
    merged = MergedCellRange(worksheet, cells)
    border = start.border
    if any(getattr(border, side) is not None and getattr(border, side).style is not None for side in _SIDES):
        return False
    worksheet.merged_cells.add(merged)
    coordinates = merged.cells
    next(coordinates)  # the top-left cell stays
    for row, column in coordinates:
        worksheet._cells[row, column] = MergedCell(worksheet, row, column)
    return True


_COLS: dict[tuple[tuple[str, float], ...], Any] = {}


def _cols_element(widths: tuple[tuple[str, float], ...]):
    """The ``<cols>`` element openpyxl writes for a sheet with these column widths (and nothing else set on
    its columns), built by openpyxl itself on a scratch sheet once per distinct widths and process: making
    and serializing ~50 column objects was ~7% of a workbook."""
    element = _COLS.get(widths)
    if element is None:
        from openpyxl import Workbook

        scratch = Workbook().active
        for column, width in widths:
            scratch.column_dimensions[column].width = width
        if len(_COLS) >= 512:
            _COLS.clear()
        element = _COLS[widths] = scratch.column_dimensions.to_tree()
    return element


def _sheet_data(worksheet, records: list[tuple[int, int, str, Any, Any]]) -> str:
    """The sheet's ``<sheetData>`` element as openpyxl's cell writer (openpyxl.cell._writer) would write it.

    ``records``: (row, column, reference, CellSpec, style array or None) per cell of the layout. Same rows
    (every row holding a cell, and rows with a height), same cells (skipped when empty, unstyled and without a
    note), same attributes in the same order, same escaping, numbers as ``"%.16g"``, text as inline strings.
    Style ids are handed out row by row, sheet after sheet: the order openpyxl's writer uses.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    held = {(row, column) for row, column, _, _, _ in records}
    for merged in worksheet.merged_cells.ranges:  # edges that took a border from the top-left cell
        for row, column in merged.cells:
            found = worksheet._cells.get((row, column)) if (row, column) not in held else None
            if found is not None and found.has_style:
                records.append((row, column, f"{get_column_letter(column)}{row}", None, found._style))
                held.add((row, column))
    if held:  # the used range, for the <dimension> element openpyxl computes from the cells it holds
        worksheet.cell(min(row for row, _ in held), min(column for _, column in held))
        worksheet.cell(max(row for row, _ in held), max(column for _, column in held))
    style_index = worksheet.parent._cell_styles  # what Cell.style_id adds to; ids in first-use order
    style_attributes: dict[int, str] = {id(None): ""}  # cells of one (style, format) pair share one array
    row_dimensions = worksheet.row_dimensions
    by_row: dict[int, list[str]] = {row: [] for row in row_dimensions}
    for row, _column, ref, spec, array in sorted(records, key=_ROW_COLUMN):
        style = style_attributes.get(id(array))
        if style is None:
            style = style_attributes[id(array)] = f' s="{style_index.add(array)}"' if any(array) else ""
        value = spec.value if spec is not None else None
        kind = type(value)
        if value is None:
            if style or (spec is not None and spec.note):
                cell = f'<c r="{ref}"{style} t="n" />'  # an empty cell keeps openpyxl's default data type
            else:
                cell = None
        elif kind is float or kind is int:
            if value != value or value in (_INFINITY, -_INFINITY):
                raise ValueError(f"cell {ref}: {value!r} is not a number a workbook can hold")
            cell = f'<c r="{ref}"{style} t="n"><v>{value:.16g}</v></c>'
        elif kind is bool:
            cell = f'<c r="{ref}"{style} t="b"><v>{1 if value else 0}</v></c>'
        elif isinstance(value, str):
            text = value[:32767]  # openpyxl's Cell.check_string: Excel's cell text limit, no control characters
            if ILLEGAL_CHARACTERS_RE.search(text):
                from openpyxl.utils.exceptions import IllegalCharacterError

                raise IllegalCharacterError(f"{text} cannot be used in worksheets.")
            if kind is Formula and len(text) > 1:
                cell = f'<c r="{ref}"{style}><f>{_escape_text(text[1:])}</f><v /></c>'
            elif text == "":
                cell = f'<c r="{ref}"{style} t="inlineStr" />'
            else:
                stripped = text.strip()
                space = ' xml:space="preserve"' if stripped and stripped != text else ""
                cell = f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape_text(text)}</t></is></c>'
        else:
            raise ValueError(f"Cannot convert {value!r} to Excel (cell {ref})")
        parts = by_row.get(row)
        if parts is None:
            parts = by_row[row] = []
        if cell is not None:
            parts.append(cell)
    out = ["<sheetData>"]  # openpyxl opens and closes it even when empty
    for row in sorted(by_row):
        attributes = {"r": f"{row}"}
        attributes.update(row_dimensions.get(row, {}))
        opening = "<row" + "".join(f' {key}="{_escape_text(value).replace(chr(34), "&quot;")}"'
                                   for key, value in attributes.items())
        parts = by_row[row]
        out.append(f"{opening}>{''.join(parts)}</row>" if parts else opening + " />")
    out.append("</sheetData>")
    return "".join(out)


_INFINITY = float("inf")
_ROW_COLUMN = itemgetter(0, 1)


def _escape_text(text: str) -> str:
    # xml.etree.ElementTree._escape_cdata, which openpyxl's writer uses for text
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_COORDINATES: dict[str, tuple[int, int]] = {}


def _coordinates(ref: str) -> tuple[int, int]:
    # worksheet["B2"] parses the reference as a range on every call; cache the parse instead.
    found = _COORDINATES.get(ref)
    if found is None:
        from openpyxl.utils.cell import coordinate_to_tuple

        found = _COORDINATES[ref] = coordinate_to_tuple(ref)
    return found


_VALIDATIONS: dict[tuple[Validation, tuple[str, ...]], Any] = {}


def _shared_validation(validation: Validation, refs: list[str]):
    """The openpyxl DataValidation for ``validation`` on ``refs``, built once per process: the workbooks of a
    batch put the same rules on the same cells (openpyxl only reads the object when it writes the sheet)."""
    key = (validation, tuple(refs))
    rule = _VALIDATIONS.get(key)
    if rule is None:
        if len(_VALIDATIONS) >= 4096:
            _VALIDATIONS.clear()
        rule = _VALIDATIONS[key] = _data_validation(validation, refs)
    return rule


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
    if spec.y_number_format:
        from openpyxl.chart.data_source import NumFmt

        chart.y_axis.numFmt = NumFmt(formatCode=spec.y_number_format, sourceLinked=False)
    # Category labels (years) at 45 degrees: they fit under narrow columns without overlapping.
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import RichTextProperties

    chart.x_axis.txPr = RichText(bodyPr=RichTextProperties(rot=-2700000, vert="horz"))
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet_data: dict[str, bytes] = {}  # part name -> the <sheetData> to put in it (write_openpyxl)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        if name in self.sheet_data:
            data = _splice_sheet_data(data if isinstance(data, bytes) else data.encode(),
                                      self.sheet_data.pop(name), name)
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


def write_openpyxl(workbook, target, sheet_data: list[str] | None = None) -> None:
    """Write an openpyxl workbook to a path or binary file object with fixed timestamps.

    ``sheet_data`` (from :func:`_build` with ``direct``) replaces each worksheet's ``<sheetData>``, in order.
    """
    from openpyxl.writer import excel

    with _FixedTimeZip(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive, _shared_stylesheet(excel):
        if sheet_data is not None:
            # openpyxl names worksheet parts by position: xl/worksheets/sheet<n>.xml
            archive.sheet_data = {f"xl/worksheets/sheet{index}.xml": text.encode()
                                  for index, text in enumerate(sheet_data, 1)}
        workbook.properties.modified = FIXED_TIME
        _InMemoryWriter(workbook, archive).write_data()
        if archive.sheet_data:
            raise RuntimeError(f"worksheets not written as expected: {sorted(archive.sheet_data)}")


def _in_memory_writer():
    """openpyxl's ExcelWriter, but each worksheet is serialized into memory instead of a temporary file that
    is then read back and removed (the same bytes; creating and removing 7 temp files was ~50 ms of a
    workbook on a busy disk)."""
    from io import BytesIO

    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    class SheetWriter(WorksheetWriter):
        def write_cols(self):
            cols = getattr(self.ws, "_megabackdoor_cols", _NOT_SET)
            if cols is _NOT_SET:
                return super().write_cols()
            self.xf.send(cols)  # None (no widths) is skipped, as openpyxl's own empty <cols> is
            return None

    class InMemoryWriter(ExcelWriter):
        def write_worksheet(self, ws):
            if self.workbook.write_only:  # never ours; openpyxl's own path
                return super().write_worksheet(ws)
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = SheetWriter(ws, out=BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.read())
            self.manifest.append(ws)
            return None

    return InMemoryWriter


_NOT_SET = object()


class _LazyWriter:
    """The writer class, built on first use (openpyxl is imported only when a workbook is written)."""

    cls = None

    def __call__(self, workbook, archive):
        if _LazyWriter.cls is None:
            _LazyWriter.cls = _in_memory_writer()
        return _LazyWriter.cls(workbook, archive)


_InMemoryWriter = _LazyWriter()


class _shared_stylesheet:      # noqa: N801 - used as a context manager
    """While openpyxl writes a workbook, its stylesheet comes from :func:`styles.stylesheet` (built once per
    process for a batch's shared styles); openpyxl's own function is put back afterwards. Workbooks are
    written one at a time per process (a batch runs in worker processes), so the swap is never shared."""

    def __init__(self, module) -> None:
        self.module = module
        self.original = module.write_stylesheet

    def __enter__(self) -> None:
        self.module.write_stylesheet = styles.stylesheet

    def __exit__(self, *_) -> None:
        self.module.write_stylesheet = self.original


def _splice_sheet_data(part: bytes, sheet_data: bytes, name: str) -> bytes:
    start = part.find(b"<sheetData")
    if start < 0:
        raise RuntimeError(f"{name}: openpyxl wrote no <sheetData>")
    # et_xmlfile writes an empty element as <sheetData />, lxml (when installed) as <sheetData/>
    empty = next((tag for tag in (b"<sheetData />", b"<sheetData/>") if part.startswith(tag, start)), None)
    if empty is not None:
        end = start + len(empty)
    else:
        end = part.find(b"</sheetData>", start)
        if end < 0:
            raise RuntimeError(f"{name}: <sheetData> is not closed")
        end += len(b"</sheetData>")
    return part[:start] + sheet_data + part[end:]


# The openpyxl releases whose cell writer the fast path reproduces: [first, next-untested). Under any other
# version write_book falls back to openpyxl's own cell writer (to_openpyxl); tests/test_workbook_render.py
# fails when the installed version leaves this range, so an upgrade is verified before the bound moves.
FAST_PATH_OPENPYXL = ((3, 1, 0), (3, 2, 0))


def fast_path_verified(version: str | None = None) -> bool:
    """True when openpyxl ``version`` (default: the installed one) is in :data:`FAST_PATH_OPENPYXL`.

    >>> fast_path_verified("3.1.5"), fast_path_verified("3.2.0"), fast_path_verified("3.0.10")
    (True, False, False)
    """
    if version is None:
        import openpyxl

        version = openpyxl.__version__
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit()) if piece[:1].isdigit() else ""
        parts.append(int(digits) if digits else 0)
    first, after = FAST_PATH_OPENPYXL
    return first <= tuple(parts + [0] * (3 - len(parts))) < after


def write_book(book: Book, target) -> None:
    """Render ``book`` and write it to a path or binary file object (the fast path; see the module text),
    or through openpyxl's own cell writer under an openpyxl release the fast path was not verified on."""
    if not fast_path_verified():
        write_openpyxl(to_openpyxl(book), target)
        return
    workbook, sheet_data = _build(book, direct=True)
    write_openpyxl(workbook, target, sheet_data)


def save(book: Book, path: str | os.PathLike, force: bool = False) -> str:
    """Render ``book`` and write it to ``path`` atomically; refuses to overwrite unless ``force``.

    Raises FileExistsError (naming the file and the --force flag) when ``path`` exists and ``force`` is false.
    """
    return atomic_write(path, lambda stream: write_book(book, stream), force)


def save_openpyxl(workbook, path: str | os.PathLike, force: bool = False) -> str:
    """Write an openpyxl workbook atomically (temp file in the same folder, then rename)."""
    return atomic_write(path, lambda stream: write_openpyxl(workbook, stream), force)
