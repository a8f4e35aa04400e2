"""``megabackdoor acp census.csv``: the ACP test on a census, the refunds on failure, and the what-if."""

from __future__ import annotations

import argparse
import sys

from ._common import add_inflation, add_json_flag, number, print_json, print_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ORDER = 90
# The engine's spelling of an argument -> this command's option, for messages (cli.in_user_terms).
ENGINE_NAMES = {"plan_year": "--year", "match_vesting": "--match-vested"}


def _mapping(text: str) -> tuple[str, str]:
    field, sep, header = text.partition("=")
    if not sep or not field.strip() or not header:
        raise argparse.ArgumentTypeError(f"got {text!r}; expected FIELD=HEADER, e.g. compensation='W-2 Pay'")
    return field.strip(), header


def _prior(text: str) -> float | str:
    if text.strip().lower() in ("first-year", "first_year", "first"):
        return "first-year"
    return number(text)


def _tier(text: str) -> tuple[float, float]:
    parts = text.split(":")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"got {text!r}; expected RATE:UP_TO, e.g. 0.5:0.06")
    return number(parts[0]), number(parts[1])


def add_plan_options(parser: argparse.ArgumentParser) -> None:
    """The match and QNEC settings shared with ``acp``."""
    parser.add_argument("--matched", choices=["deferrals", "after_tax", "both"], default="deferrals",
                        help="what the match is on (default deferrals): decides which refunded after-tax dollars "
                             "take their match with them, and the disproportionate-match cap")
    parser.add_argument("--match-tier", dest="match_tiers", type=_tier, action="append", default=[],
                        metavar="RATE:UP_TO", help="the match formula, repeatable: 1.0:0.02 then 0.5:0.06 = 100%% "
                                                   "of the first 2%% of pay and 50%% of the next 4%%")
    parser.add_argument("--match-vested", type=number, default=1.0,
                        help="vested share of the match (default 1): the rest of a refunded match is forfeited")


def add_census_options(parser: argparse.ArgumentParser) -> None:
    """How the census is read, shared with ``nondiscrimination`` (see :func:`read_census_from`)."""
    parser.add_argument("--column", action="append", type=_mapping, default=[], metavar="FIELD=HEADER",
                        help="map a census field to your header (repeatable)")
    parser.add_argument("--sheet", help="worksheet to read from an .xlsx census (default: the first)")
    parser.add_argument("--encoding", help="text encoding of a CSV census (default utf-8; e.g. cp1252, latin-1)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def read_census_from(args: argparse.Namespace) -> Any:
    """The census named on the command line, read with the options of :func:`add_census_options`."""
    from ..census import read_census

    return read_census(args.census, dict(args.column) or None, sheet=args.sheet, progress=not args.no_progress,
                       encoding=args.encoding)


def print_json_report(report: Any, census: Any, output: str | None) -> int:
    """``--json``: the report's dict, the skipped blank rows and the workbook written (or null)."""
    data = report.to_dict()
    if census.blank_rows:
        data["blank_rows_skipped"] = census.blank_rows
    data["report"] = output
    print_json(data)
    return 0


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from datetime import date

    parser = sub.add_parser(
        "acp", help="ACP nondiscrimination test on a census (refunds, what-if)",
        description="Run the §401(m) ACP test on an employee census (CSV or XLSX): HCEs from lookback pay and "
                    "5% ownership, ratios with pay capped at §401(a)(17), the 1.25x / 2x / +2-point limit, "
                    "corrective refunds by leveling on failure, and the highest uniform after-tax rate HCEs can "
                    "elect. Census columns: id, compensation, prior_compensation, owner_5pct, eligible, match, "
                    "after_tax [, deferrals]. Educational, not individual tax advice.")
    parser.add_argument("census", help="census file (.csv, .xlsx)")
    parser.add_argument("--year", type=int, default=date.today().year - 1,
                        help="plan year tested (calendar plan year; default: last year)")
    parser.add_argument("-o", "--output", help="write the report workbook (.xlsx) here")
    parser.add_argument("--pdf", metavar="PDF",
                        help="also print the report workbook to this PDF (needs LibreOffice); without -o, only "
                             "the PDF is written")
    parser.add_argument("--force", action="store_true", help="overwrite the output file(s) if they exist")
    parser.add_argument("--testing", choices=["current", "prior"], default="current",
                        help="current-year or prior-year testing (default current)")
    parser.add_argument("--prior-nhce-acp", type=_prior, default=None,
                        help="last year's NHCE ACP as a decimal (0.031), or first-year (3%%); with --testing prior")
    parser.add_argument("--top-paid-group", action="store_true", help="the §414(q)(1)(B)(ii) top-20%% election")
    parser.add_argument("--include-deferrals", action="store_true",
                        help="count elective deferrals in the ACP (plan election)")
    parser.add_argument("--earnings-rate", type=number, default=0.0,
                        help="income allocable to refunds as a decimal share of the refund (default 0)")
    parser.add_argument("--eaca", action="store_true", help="the plan has an EACA (6-month excise deadline)")
    add_plan_options(parser)
    parser.add_argument("--qnec-in-acp", action="store_true", help="count the census qnec column in the ACP")
    parser.add_argument("--safe-harbor-match", action="store_true",
                        help="an ACP safe-harbor match: disregarded (after-tax money is still tested)")
    add_census_options(parser)
    add_inflation(parser)
    add_json_flag(parser)
    return parser


def run(args: argparse.Namespace) -> int:

    from .. import DISCLAIMER
    from ..acp import run_acp
    from ..files import refuse_existing

    if args.pdf:
        from ..workbook.pdf import check_target

        check_target(args.pdf)
    if args.output or args.pdf:  # before reading the census: a long read should not end in a refusal
        refuse_existing([path for path in (args.output, args.pdf) if path], args.force)
    census = read_census_from(args)
    report = run_acp(census, args.year, testing=args.testing, prior_nhce_acp=args.prior_nhce_acp,
                     top_paid_group=args.top_paid_group, include_deferrals=args.include_deferrals,
                     earnings_rate=args.earnings_rate, eaca=args.eaca, inflation=args.inflation,
                     matched=args.matched, match_tiers=tuple(args.match_tiers) or None,
                     match_vested=args.match_vested, qnec_in_acp=args.qnec_in_acp,
                     safe_harbor_match=args.safe_harbor_match)
    if args.output or args.pdf:
        from ..workbook import acp_report

        progress = None
        if not args.no_progress and len(report.participants) > 200_000:
            from tqdm import tqdm

            bar = tqdm(total=len(report.participants), unit="rows", desc="writing report", leave=False)

            def progress(done: int, total: int) -> None:
                bar.update(done - bar.n)
        if args.pdf:
            from ..workbook import pdf

            try:
                pdf.write_with_pdf(lambda path, force: acp_report.save(report, path, force, progress), args.output,
                                   args.pdf, args.force)
            except pdf.PdfError as error:
                return pdf.report(args.command, error)
        else:
            acp_report.save(report, args.output, args.force, progress)
        if progress is not None:
            bar.close()
    if args.json:
        return print_json_report(report, census, args.output)
    test = report.test
    print(f"ACP test, plan year {report.plan_year} ({report.testing}-year testing), census {census.source}: "
          f"{'PASS' if test.passed else 'FAIL'}")
    rows = [
        ("eligible HCEs / NHCEs", f"{test.hce_count} / {test.nhce_count}"),
        ("HCE ACP", f"{test.hce_acp:.2%}"),
        ("NHCE ACP", f"{test.nhce_acp:.2%}"),
        ("limit", f"{test.limit:.4%} ({test.binding})"),
        ("HCE pay threshold", f"${report.hce_threshold.value:,} ({report.hce_threshold.year}, "
                              f"{report.hce_threshold.status})"),
        ("§401(a)(17) limit", f"${report.compensation_limit.value:,} ({report.compensation_limit.status})"),
    ]
    correction = report.correction
    if correction is not None:
        rows += [
            ("excess aggregate contributions", f"${correction.total_excess:,.2f}"),
            ("HCEs refunded", str(correction.refunds)),
            ("ratios leveled to", f"{correction.leveled_ratio:.4%}"),
            ("dollars leveled to", f"${correction.dollar_level:,.2f}"),
            ("allocable earnings", f"${correction.earnings:,.2f}"),
            ("refund by (no 10% excise tax)", correction.excise_deadline),
            ("refund by (plan stays qualified)", correction.correction_deadline),
        ]
    rate = report.what_if.max_rate
    rows.append(("highest uniform HCE after-tax rate", "none passes" if rate is None else f"{rate:.2%}"))
    print_table(rows)
    if census.blank_rows:
        print(f"skipped {len(census.blank_rows)} empty row(s): {', '.join(map(str, census.blank_rows[:10]))}")
    for note in report.notes:
        print(f"note: {note}")
    if args.output:
        print(f"report written to {args.output}")
    if args.pdf:
        print(f"report printed to {args.pdf}")
    print(DISCLAIMER)
    sys.stdout.flush()
    return 0
