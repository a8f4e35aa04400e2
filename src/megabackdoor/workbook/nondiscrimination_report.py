"""The report workbook of ``megabackdoor nondiscrimination``: the ADP test and its corrections, each step in
order, every HCE's ADP and ACP amounts side by side, then the ACP report's sheets on the corrected amounts.

Values only (a record of a run), written like :mod:`megabackdoor.workbook.acp_report` (write-only openpyxl,
named styles, atomic no-clobber save, census text always written as text). Educational, not individual tax
advice.
"""

from __future__ import annotations

import os
from typing import Any

from .. import DISCLAIMER
from . import acp_report, render

ADP_COLUMNS = (
    ("row", "census row", "mb_int"), ("id", "id", "mb_cell_text"), ("eligible", "eligible", None),
    ("hce", "HCE", None), ("age", "age", "mb_int"), ("tested_compensation", "tested pay (≤ §401(a)(17))", "mb_money"),
    ("deferrals", "deferrals", "mb_money"), ("catch_up", "catch-up over §402(g)", "mb_money"),
    ("excess_deferrals", "excess deferrals (§402(g))", "mb_money"), ("adp_deferrals", "deferrals in the ADP",
                                                                     "mb_money"),
    ("other_plan_deferrals", "other plans' deferrals (in the ADR)", "mb_money"),
    ("qnec_counted", "QNEC in the ADP", "mb_money"), ("qmac_counted", "QMAC in the ADP", "mb_money"),
    ("ratio", "ratio (ADR)", "mb_percent"),
    ("leveled_ratio", "ADR after leveling", "mb_percent"), ("excess_contributions", "excess contributions",
                                                           "mb_money"),
    ("recharacterized_catch_up", "to catch-up", "mb_money"), ("recharacterized_after_tax", "to after-tax",
                                                              "mb_money"),
    ("distributed", "distributed", "mb_money"), ("earnings", "allocable earnings", "mb_money"),
    ("match_forfeited", "match forfeited", "mb_money"),
    ("excess_deferrals_distributed", "excess deferrals distributed (§402(g))", "mb_money"),
)
REFUND_COLUMNS = (
    ("row", "census row", "mb_int"), ("id", "id", "mb_cell_text"), ("adp_excess", "ADP excess", "mb_money"),
    ("recharacterized_catch_up", "to catch-up", "mb_money"), ("recharacterized_after_tax", "to after-tax",
                                                              "mb_money"),
    ("adp_distributed", "ADP distributed", "mb_money"), ("adp_earnings", "ADP earnings", "mb_money"),
    ("adp_match_forfeited", "match forfeited (ADP)", "mb_money"), ("acp_refund", "ACP excess", "mb_money"),
    ("acp_refund_after_tax", "ACP from after-tax", "mb_money"), ("acp_refund_match", "ACP from match", "mb_money"),
    ("acp_match_forfeited", "match forfeited (ACP)", "mb_money"), ("acp_earnings", "ACP earnings", "mb_money"),
    ("acp_distribution", "ACP distribution", "mb_money"),
)


def _table(ws, table, columns) -> None:
    cell = acp_report._cell
    ws.append([cell(ws, title, "mb_header") for _, title, _ in columns])
    values = [table[name].tolist() for name, _, _ in columns]
    for row in zip(*values, strict=True):
        ws.append([cell(ws, acp_report._plain(v), style) for v, (_, _, style) in zip(row, columns, strict=True)])


def _steps(workbook, report) -> None:
    cell = acp_report._cell
    ws = workbook.create_sheet("Steps")
    ws.column_dimensions["A"].width = 110
    adp = report.adp
    ws.append([cell(ws, f"ADP and ACP tests, plan year {report.plan_year}, in order", "mb_title")])
    ws.append([cell(ws, DISCLAIMER, "mb_disclaimer")])
    ws.append([cell(ws, f"census: {report.source or '(data frame)'}; ADP {adp.testing}-year testing, "
                        f"ACP {report.acp.testing}-year testing", "mb_note")])
    ws.append([])
    for step in report.steps:
        ws.append([cell(ws, step, "mb_label")])
    ws.append([])
    ws.append([cell(ws, "Rules: ADRs and group averages to the nearest hundredth of a percentage point (Treas. Reg. "
                        "§1.401(k)-2(a)(2)-(3)); the limit max(1.25x, min(2x, +2 points)) of the rounded NHCE "
                        "ADP (§401(k)(3)(A)(ii)); excess by leveling ADRs, apportioned by leveling dollars "
                        "(§1.401(k)-2(b)(2)); HCEs aged 50+ recharacterized as catch-up first (§414(v)(3)(B), "
                        "§1.414(v)-1); then the ACP test on the corrected amounts (§401(m)(6)(D)).", "mb_note")])
    for note in adp.notes + report.acp.notes:
        ws.append([cell(ws, "note: " + note, "mb_note")])


def _hce_corrections(workbook, report) -> None:
    cell = acp_report._cell
    ws = workbook.create_sheet("HCE corrections")
    ws.append([cell(ws, f"Every HCE with an ADP or ACP correction, plan year {report.plan_year}", "mb_title")])
    ws.append([cell(ws, DISCLAIMER, "mb_disclaimer")])
    if report.refunds.empty:
        ws.append([cell(ws, "None: both tests pass.", "mb_label")])
        return
    _table(ws, report.refunds, REFUND_COLUMNS)


def _adp_participants(workbook, report) -> None:
    cell = acp_report._cell
    ws = workbook.create_sheet("ADP participants")
    ws.freeze_panes = "C3"
    table = report.adp.participants
    ws.append([cell(ws, f"Every census row in the ADP test, plan year {report.plan_year}. " + DISCLAIMER,
                    "mb_disclaimer")])
    if len(table) > acp_report.STYLED_ROWS:
        ws.append([cell(ws, f"{len(table):,} rows: too many to list here; run with --json for every row "
                            "(the HCE corrections sheet lists every HCE with a correction)", "mb_note")])
        return
    _table(ws, table, ADP_COLUMNS)


def build(report: Any):
    """The openpyxl (write-only) workbook for a :class:`~megabackdoor.adp.NondiscriminationReport`."""
    workbook = acp_report.new_workbook(f"ADP and ACP tests {report.plan_year}")
    _steps(workbook, report)
    _hce_corrections(workbook, report)
    _adp_participants(workbook, report)
    acp_report._summary(workbook, report.acp)
    acp_report._refunds(workbook, report.acp)
    acp_report._grid(workbook, report.acp)
    acp_report._participants(workbook, report.acp, None)
    return workbook


def save(report: Any, path: str | os.PathLike, force: bool = False, progress: Any = None) -> str:
    """Write the report atomically (refuses to overwrite without ``force``); big censuses stream their rows."""
    path = os.fspath(path)
    render.refuse_existing([path], force)
    workbook = build(report)
    if len(report.acp.participants) > acp_report.STYLED_ROWS:
        return acp_report._save_streamed(workbook, report.acp, path, force, progress)
    return render.save_openpyxl(workbook, path, force)
