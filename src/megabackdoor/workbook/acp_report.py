"""The ACP report workbook: the test, the refunds, the per-participant table and a colour-scaled what-if grid.

Written with openpyxl in write-only mode (a million-row census fits in memory and writes in a stream), with
the project's named styles (:mod:`megabackdoor.workbook.styles`) and the atomic, no-clobber save of
:mod:`megabackdoor.workbook.render`. Values only: the report records a run; the live-formula version is the
ACP census template (:mod:`megabackdoor.workbook.acp_template`). Educational, not individual tax advice.
"""

from __future__ import annotations

import math
import os
from typing import Any

from .. import DISCLAIMER
from . import printing, render, styles

STYLED_ROWS = 100_000  # above this, participant rows are written without per-cell styles (speed)

PARTICIPANT_COLUMNS = (
    ("row", "census row", "mb_int"), ("id", "id", "mb_cell_text"), ("eligible", "eligible", None),
    ("hce", "HCE", None), ("hce_reason", "HCE because", None), ("compensation", "compensation", "mb_money"),
    ("tested_compensation", "tested pay (≤ §401(a)(17))", "mb_money"), ("match", "match", "mb_money"),
    ("after_tax", "after-tax", "mb_money"), ("deferrals", "deferrals", "mb_money"),
    ("acp_contributions", "ACP contributions", "mb_money"), ("ratio", "ratio (ACR)", "mb_percent"),
    ("leveled_ratio", "ratio after leveling", "mb_percent"), ("refund", "refund", "mb_money"),
    ("refund_after_tax", "from after-tax", "mb_money"), ("refund_match", "from match", "mb_money"),
    ("earnings", "allocable earnings", "mb_money"), ("distribution", "distribution", "mb_money"),
    # The match the ACP counts (disproportionate-match cap, Treas. Reg. §1.401(m)-2(a)(5)(ii)) and the unvested
    # match forfeited
    ("match_counted", "match counted (§1.401(m)-2(a)(5)(ii))", "mb_money"),
    ("match_forfeited", "match forfeited (unvested)", "mb_money"),
)


def _cell(worksheet, value: Any, style: str | None = None, number_format: str | None = None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # census text such as "=HYPERLINK(...)" stays text: never a formula
    if style:
        cell.style = style
    if number_format:
        cell.number_format = number_format
    return cell


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def new_workbook(title: str):
    """An empty write-only report workbook: the styles, and fixed properties (the same bytes on every run)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    styles.register(workbook)
    properties = workbook.properties
    properties.creator = properties.lastModifiedBy = "megabackdoor"
    properties.title = title
    properties.description = DISCLAIMER
    properties.created = properties.modified = render.FIXED_TIME
    return workbook


def build(report: Any):
    """The openpyxl (write-only) workbook for an :class:`~megabackdoor.acp.AcpReport`."""
    workbook = new_workbook(f"ACP test {report.plan_year}")
    # Sheets that print like the generated workbooks (printing.py): widths from the values, page setup.
    printed = printing.PrintedWorkbook(workbook, workbook.properties.title, DISCLAIMER)
    table = report.participants
    printed.samples["Participants"] = [[_widest(table[name]) if name in table else None
                                        for name, _, _ in PARTICIPANT_COLUMNS]]
    printed.total_rows["Participants"] = 2 + len(table)
    _summary(printed, report)
    _refunds(printed, report)
    _grid(printed, report)
    _participants(printed, report, None)
    printed.finish()
    return workbook


def _widest(column) -> Any:
    """The value of a column that prints widest (the largest magnitude; the longest text)."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    values = column.dropna()
    if values.empty:
        return None
    if is_numeric_dtype(values) and not is_bool_dtype(values):
        return _plain(values.iloc[int(values.abs().to_numpy().argmax())])
    text = values.astype(str)
    return text.iloc[int(text.str.len().to_numpy().argmax())]


def _summary(workbook, report) -> None:
    ws = workbook.create_sheet("Summary")
    ws.column_dimensions["A"].width = 46
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 70
    test = report.test

    def line(label, value=None, style=None, note=None):
        ws.append([_cell(ws, label, "mb_label"), _cell(ws, value, style) if value is not None else None,
                   _cell(ws, note, "mb_note") if note else None])

    ws.append([_cell(ws, f"ACP test (IRC §401(m)), plan year {report.plan_year}", "mb_title")])
    ws.append([_cell(ws, DISCLAIMER, "mb_disclaimer")])
    ws.append([_cell(ws, f"census: {report.source or '(data frame)'}; {report.testing}-year testing", "mb_note")])
    ws.append([])
    ws.append([_cell(ws, "The test", "mb_heading")])
    line("eligible HCEs", test.hce_count, "mb_int")
    line("eligible NHCEs", test.nhce_count, "mb_int")
    line("HCE ACP", test.hce_acp, "mb_percent")
    line("NHCE ACP" + (" (prior year)" if report.testing == "prior" else ""), test.nhce_acp, "mb_percent")
    line("limit: max(1.25x, min(2x, +2 points))", test.limit, "mb_percent", f"binding leg: {test.binding}")
    line("margin (limit - HCE ACP)", test.margin, "mb_percent")
    line("result", "PASS" if test.passed else "FAIL", "mb_label",
         "IRC §401(m)(2)(A); Treas. Reg. §1.401(m)-2(a); ratios to 0.01%")
    ws.append([])
    ws.append([_cell(ws, "Limits used", "mb_heading")])
    for label, limit in (("HCE pay threshold (lookback year)", report.hce_threshold),
                         ("§401(a)(17) compensation limit", report.compensation_limit),
                         ("§415(c) annual additions limit", report.annual_additions_limit)):
        line(f"{label}, {limit.year} ({limit.status})", float(limit.value), "mb_money_whole", limit.reference)
    ws.append([])
    ws.append([_cell(ws, "Correction", "mb_heading")])
    correction = report.correction
    if correction is None:
        line("no corrective distribution: the test passes")
    else:
        line("total excess aggregate contributions", correction.total_excess, "mb_money",
             "leveling percentages: Treas. Reg. §1.401(m)-2(b)(2)")
        line("HCE ratios leveled down to", correction.leveled_ratio, "mb_percent")
        line("allocated by leveling dollars down to", correction.dollar_level, "mb_money", "IRC §401(m)(6)(C)")
        line("HCEs refunded", correction.refunds, "mb_int")
        line("allocable earnings (all refunds)", correction.earnings, "mb_money",
             f"at {report.settings['earnings_rate']:.2%} of each refund; taxable when distributed (§4979(f)(2))")
        line("HCE ACP after leveling", correction.hce_acp_after_leveling, "mb_percent")
        line("HCE ACP recomputed with the refunds", correction.hce_acp_after_refunds, "mb_percent",
             "for information: dollar leveling can leave a different recomputed figure")
        line("distribute by (avoids the 10% excise tax)", correction.excise_deadline, "mb_label", "IRC §4979(a), (f)")
        line("distribute by (keeps the plan qualified)", correction.correction_deadline, "mb_label",
             "IRC §401(m)(6)(A)")
    ws.append([])
    ws.append([_cell(ws, "Mega-backdoor what-if", "mb_heading")])
    what_if = report.what_if
    if what_if.max_rate is None:
        line("highest uniform HCE after-tax rate that passes", "none", "mb_label", "fails even at 0%")
    else:
        line("highest uniform HCE after-tax rate that passes", what_if.max_rate, "mb_percent",
             f"in steps of {what_if.step:.2%}; after-tax capped by {what_if.room_basis}")
        line("HCE ACP at that rate", what_if.hce_acp_at_max, "mb_percent")
    for note in report.notes:
        ws.append([_cell(ws, "note", "mb_label"), None, _cell(ws, note, "mb_note")])


def _refunds(workbook, report) -> None:
    ws = workbook.create_sheet("Refunds")
    table = report.participants
    refunded = table[table["refund"] > 0]
    columns = [c for c in PARTICIPANT_COLUMNS if c[0] in ("row", "id", "tested_compensation", "acp_contributions",
                                                          "ratio", "leveled_ratio", "refund", "refund_after_tax",
                                                          "refund_match", "match_forfeited", "earnings",
                                                          "distribution")]
    ws.append([_cell(ws, f"Corrective distributions, plan year {report.plan_year}", "mb_title")])
    ws.append([_cell(ws, DISCLAIMER, "mb_disclaimer")])
    if refunded.empty:
        ws.append([_cell(ws, "None: the test passes.", "mb_label")])
        return
    ws.append([_cell(ws, title, "mb_header") for _, title, _ in columns])
    for values in refunded[[c[0] for c in columns]].itertuples(index=False):
        ws.append([_cell(ws, _plain(v), style) for v, (_, _, style) in zip(values, columns, strict=True)])
    totals = [name for name, _, _ in columns if name in ("refund", "refund_after_tax", "refund_match",
                                                         "match_forfeited", "earnings", "distribution")]
    ws.append([_cell(ws, "total", "mb_label")] + [None] * (len(columns) - len(totals) - 1) + [
        _cell(ws, float(round(refunded[name].sum(), 2)), "mb_total_money") for name in totals])
    ws.append([_cell(ws, "Unvested match attributable to a refund is forfeited, not paid (Treas. Reg. "
                         "§1.401(m)-2(b)(3)); after-tax contributions come back tax-free, earnings are taxable.",
                     "mb_note")])


def _grid(workbook, report) -> None:
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet("Sensitivity")
    grid = report.grid
    ws.append([_cell(ws, "Test margin (limit - HCE ACP) by NHCE after-tax participation and uniform after-tax rate",
                     "mb_title")])
    ws.append([_cell(ws, "Every eligible HCE elects the rate in the column; the row's share of eligible NHCEs "
                         "elects it too; matches kept; after-tax capped by §415(c) room. Positive passes. "
                     + DISCLAIMER, "mb_note")])
    ws.append([_cell(ws, "NHCE participation \\ after-tax rate", "mb_header")]
              + [_cell(ws, float(rate), "mb_header", styles.PERCENT) for rate in grid.columns])
    for share, values in zip(grid.index, grid.to_numpy(), strict=True):
        ws.append([_cell(ws, float(share), "mb_percent")] + [_cell(ws, float(v), "mb_percent") for v in values])
    first, last = 4, 3 + len(grid.index)
    cells = f"B{first}:{get_column_letter(1 + len(grid.columns))}{last}"
    ws.conditional_formatting.add(cells, ColorScaleRule(
        start_type="min", start_color="F8696B", mid_type="num", mid_value=0, mid_color="FFFFFF",
        end_type="max", end_color="63BE7B"))
    ws.column_dimensions["A"].width = 34


def _participants(workbook, report, progress) -> None:
    ws = workbook.create_sheet("Participants")
    table = report.participants
    ws.freeze_panes = "C3"
    ws.append([_cell(ws, f"Every census row, plan year {report.plan_year}. " + DISCLAIMER, "mb_disclaimer")])
    ws.append([_cell(ws, title, "mb_header") for _, title, _ in PARTICIPANT_COLUMNS])
    if len(table) > STYLED_ROWS:
        return  # the rows are streamed into the file by _stream_rows (openpyxl writes ~3,000 rows/s)
    names = [c[0] for c in PARTICIPANT_COLUMNS]
    columns = [table[name].tolist() for name in names]
    for values in zip(*columns, strict=True):
        ws.append([_cell(ws, _plain(v), style) for v, (_, _, style) in zip(values, PARTICIPANT_COLUMNS, strict=True)])


STREAM_CHUNK = 50_000


def _xml_cells(values: list, kind: str) -> list[str]:
    """The <c> elements of one column (no cell references: readers count the cells of a row in order)."""
    from xml.sax.saxutils import escape

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if kind == "b":
        return ['<c t="b"><v>1</v></c>' if v else '<c t="b"><v>0</v></c>' for v in values]
    if kind == "n":
        return ["<c/>" if v != v else f"<c><v>{v!r}</v></c>" for v in values]
    return ["<c/>" if v == "" else f'<c t="inlineStr"><is><t>{escape(ILLEGAL_CHARACTERS_RE.sub("", v))}</t></is></c>'
            for v in values]


def _stream_rows(handle, table, progress) -> None:
    """Write the participant rows (from row 3) as sheet XML, in chunks (bounded memory)."""
    kinds = {"id": "s", "hce_reason": "s", "eligible": "b", "hce": "b"}
    total = len(table)
    for start in range(0, total, STREAM_CHUNK):
        part = table.iloc[start:start + STREAM_CHUNK]
        columns = [_xml_cells(part[name].tolist() if kinds.get(name, "n") != "s" else part[name].astype(str).tolist(),
                              kinds.get(name, "n")) for name, _, _ in PARTICIPANT_COLUMNS]
        first = start + 3
        text = "".join(f'<row r="{first + i}">' + "".join(cells) + "</row>"
                       for i, cells in enumerate(zip(*columns, strict=True)))
        handle.write(text.encode("utf-8"))
        if progress is not None:
            progress(min(start + STREAM_CHUNK, total), total)


def _sheet_member(archive, title: str) -> str:
    """The zip member holding the worksheet called ``title``."""
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rid = next(s.get(relation) for s in book.iter(f"{main}sheet") if s.get("name") == title)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _save_streamed(workbook, report, path: str, force: bool, progress) -> str:
    """openpyxl writes the styled sheets; the participant rows are streamed into their sheet; atomic rename."""
    import io
    import zipfile

    buffer = io.BytesIO()
    render.write_openpyxl(workbook, buffer)

    def write(stream) -> None:
        with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED,
                                                                allowZip64=True) as target:
            member = _sheet_member(source, "Participants")
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename != member:
                    target.writestr(item, data)
                    continue
                head, tail = data.decode("utf-8").split("</sheetData>", 1)
                info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = item.external_attr
                with target.open(info, "w", force_zip64=True) as member_stream:
                    member_stream.write(head.encode("utf-8"))
                    _stream_rows(member_stream, report.participants, progress)
                    member_stream.write(("</sheetData>" + tail).encode("utf-8"))

    return render.atomic_write(path, write, force)


def save(report: Any, path: str | os.PathLike, force: bool = False, progress: Any = None) -> str:
    """Write the report workbook atomically; refuses to overwrite ``path`` unless ``force``.

    Up to ``STYLED_ROWS`` participants the table is written cell by cell with styles; above that its rows are
    streamed into the sheet as plain values (a million rows in seconds rather than minutes).
    """
    path = os.fspath(path)
    render.refuse_existing([path], force)
    workbook = build(report)
    if len(report.participants) > STYLED_ROWS:
        return _save_streamed(workbook, report, path, force, progress)
    return render.save_openpyxl(workbook, path, force)
