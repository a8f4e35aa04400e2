"""The named cell styles of every generated workbook, as plain data, registered once per workbook.

Each entry is ``name -> spec`` with optional keys ``font`` (dict of openpyxl Font arguments), ``fill`` (an RGB
hex colour), ``number_format``, ``align`` (horizontal), ``wrap``, ``border`` ("thin" / "bottom") and
``locked``. A generator may add its own styles through ``Book.extra_styles``; names start with ``mb_`` so they
never clash with a user's own styles. Input cells are the yellow ones: they are the only cells a user edits.
"""

from __future__ import annotations

from typing import Any

MONEY = '"$"#,##0.00;[Red]-"$"#,##0.00'
MONEY_WHOLE = '"$"#,##0;[Red]-"$"#,##0'
PERCENT = "0.00%"
INPUT_FILL = "FFF2CC"
HEADER_FILL = "1F4E78"
PROJECTED_FILL = "EDEDED"

NAMED_STYLES: dict[str, dict[str, Any]] = {
    "mb_title": {"font": {"bold": True, "size": 14, "color": HEADER_FILL}},
    "mb_heading": {"font": {"bold": True, "size": 11, "color": HEADER_FILL}, "border": "bottom"},
    "mb_header": {"font": {"bold": True, "color": "FFFFFF"}, "fill": HEADER_FILL, "wrap": True,
                  "align": "center", "border": "thin"},
    "mb_label": {"font": {}},
    "mb_text": {"font": {}, "wrap": False},
    # Notes and the disclaimer run on into the empty cells to their right rather than wrap: spreadsheets do
    # not re-fit row heights on open, so wrapped sentences would overlap the rows below.
    "mb_note": {"font": {"italic": True, "color": "595959"}, "wrap": False},
    "mb_disclaimer": {"font": {"bold": True, "color": "C00000"}, "wrap": False},
    "mb_input_money": {"fill": INPUT_FILL, "number_format": MONEY, "border": "thin", "locked": False},
    "mb_input_percent": {"fill": INPUT_FILL, "number_format": PERCENT, "border": "thin", "locked": False},
    "mb_input_int": {"fill": INPUT_FILL, "number_format": "0", "border": "thin", "locked": False},
    "mb_input_text": {"fill": INPUT_FILL, "number_format": "@", "border": "thin", "locked": False},
    "mb_money": {"number_format": MONEY, "border": "thin"},
    "mb_money_whole": {"number_format": MONEY_WHOLE, "border": "thin"},
    "mb_percent": {"number_format": PERCENT, "border": "thin"},
    "mb_int": {"number_format": "0", "border": "thin", "align": "center"},
    "mb_cell_text": {"number_format": "@", "border": "thin"},
    "mb_projected_money": {"number_format": MONEY_WHOLE, "fill": PROJECTED_FILL, "border": "thin",
                           "font": {"italic": True}},
    "mb_total_money": {"number_format": MONEY, "font": {"bold": True}, "border": "thin"},
}


_PARTS: dict[str, dict[str, Any]] = {}


def named_style(name: str, spec: dict[str, Any]):
    """An openpyxl NamedStyle from a spec (openpyxl imported here, at render time only).

    The font, fill, border, alignment and protection objects are built once per style name and process and
    shared by every workbook (openpyxl copies them into each workbook's style tables).
    """
    from openpyxl.styles import NamedStyle

    parts = _PARTS.get(name)
    if parts is None or parts["spec"] != spec:
        parts = _PARTS[name] = {"spec": dict(spec), "parts": _parts(spec)}
    return NamedStyle(name=name, **parts["parts"])


def _parts(spec: dict[str, Any]) -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side

    style = NamedStyle(name="_")
    # Name the font explicitly: openpyxl's default Font(name="Calibri") would otherwise break inheritance.
    style.font = Font(**{"name": "Calibri", "size": 11, **spec.get("font", {})})
    if "fill" in spec:
        style.fill = PatternFill("solid", start_color=spec["fill"], end_color=spec["fill"])
    if "number_format" in spec:
        style.number_format = spec["number_format"]
    # Every style is top-aligned: a label stays level with a value that wraps (or a header) beside it.
    style.alignment = Alignment(horizontal=spec.get("align"), wrap_text=spec.get("wrap"), vertical="top")
    border = spec.get("border")
    if border == "thin":
        side = Side(style="thin", color="BFBFBF")
        style.border = Border(left=side, right=side, top=side, bottom=side)
    elif border == "bottom":
        style.border = Border(bottom=Side(style="medium", color=HEADER_FILL))
    style.protection = Protection(locked=spec.get("locked", True))
    return {"font": style.font, "fill": style.fill, "border": style.border, "alignment": style.alignment,
            "number_format": style.number_format, "protection": style.protection}


_TABLES: dict[str, dict[str, Any]] = {}     # the named styles (and extras) -> a registered workbook's tables
_STYLE_TABLES = ("_fonts", "_alignments", "_borders", "_fills", "_number_formats", "_protections")


def register(workbook, extra: dict[str, dict[str, Any]] | None = None) -> set[str]:
    """Add every named style (and ``extra``) to an openpyxl workbook once; returns the registered names.

    Every workbook of a batch registers the same styles, so they are registered once per process (on a
    template workbook) and a new workbook gets copies of the template's style tables and named-style list:
    the same tables, in the same order, as registering one by one (openpyxl indexes fonts, fills, borders ...
    as they are added), at the cost of a few list copies.
    """
    specs = {**NAMED_STYLES, **(extra or {})}
    fresh = (list(workbook.named_styles) == ["Normal"] and len(workbook._cell_styles) == 1
             and not workbook._number_formats and len(workbook._fonts) == 1)
    if not fresh:
        return _register_each(workbook, specs)
    key = repr(sorted(specs.items()))
    tables = _TABLES.get(key)
    if tables is None:
        from openpyxl import Workbook

        template = Workbook()
        _register_each(template, specs)
        tables = _TABLES[key] = {name: list(getattr(template, name)) for name in _STYLE_TABLES}
        tables["_named_styles"] = list(template._named_styles)
    from openpyxl.styles.named_styles import NamedStyleList
    from openpyxl.utils.indexed_list import IndexedList

    for name in _STYLE_TABLES:
        setattr(workbook, name, IndexedList(tables[name]))
    workbook._named_styles = NamedStyleList(tables["_named_styles"])
    workbook._mb_styles = (key, tables)
    return set(workbook.named_styles)


_STYLESHEETS: dict[tuple, Any] = {}


def stylesheet(workbook):
    """openpyxl's ``write_stylesheet`` (the xl/styles.xml tree), built once per process for each distinct set
    of cell styles: the workbooks of a batch share their named styles and use the same few cell styles.

    Only for a workbook whose style tables came from :func:`register`'s template and whose font, fill,
    border and protection tables are still the template's (tables only grow, so the same length is the same
    content), with no table styles and the default colours; the cell styles, number formats, alignments and
    conditional formats' styles, which cells and sheets add to, are the key. Anything else is built as
    openpyxl does.
    """
    from openpyxl.styles.stylesheet import write_stylesheet

    marker = getattr(workbook, "_mb_styles", None)
    if marker is None:
        return write_stylesheet(workbook)
    key, tables = marker
    fixed = ("_fonts", "_borders", "_fills", "_protections")
    if (any(len(getattr(workbook, name)) != len(tables[name]) for name in fixed)
            or len(workbook._named_styles) != len(tables["_named_styles"])
            or len(workbook._table_styles.tableStyle)
            or workbook._colors is not _default_colors()):
        return write_stylesheet(workbook)
    cache_key = (key, tuple(workbook._number_formats), tuple(workbook._alignments),
                 tuple(workbook._differential_styles.styles), tuple(tuple(style) for style in workbook._cell_styles))
    tree = _STYLESHEETS.get(cache_key)
    if tree is None:
        tree = _STYLESHEETS[cache_key] = write_stylesheet(workbook)
    return tree


def _default_colors():
    from openpyxl.styles.colors import COLOR_INDEX

    return COLOR_INDEX


def _register_each(workbook, specs: dict[str, dict[str, Any]]) -> set[str]:
    registered = set(workbook.named_styles)
    for name, spec in specs.items():
        if name not in registered:
            workbook.add_named_style(named_style(name, spec))
            registered.add(name)
    return registered
