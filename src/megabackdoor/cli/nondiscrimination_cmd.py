"""``megabackdoor nondiscrimination census.csv``: the ADP test, its corrections, then the ACP test, in order."""

from __future__ import annotations

import argparse
import sys

from ._common import add_inflation, add_json_flag, number, print_table
from .acp_cmd import _prior, add_census_options, add_plan_options, print_json_report, read_census_from

ORDER = 91
# The engine's spelling of an argument -> this command's option, for messages (cli.in_user_terms).
ENGINE_NAMES = {"plan_year": "--year", "correction": "--adp-correction", "qnec_test": "--qnec",
                "match_vesting": "--match-vested",
                "testing": lambda args: "--adp-testing" if args.adp_testing not in ("current", "prior")
                else "--acp-testing"}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from datetime import date

    parser = sub.add_parser(
        "nondiscrimination", help="ADP and ACP tests together, in order (corrections, recharacterizations)",
        description="Run the §401(k)(3) ADP test and the §401(m) ACP test on one employee census, in the order "
                    "the regulations give: the ADP test and its correction (catch-up recharacterization for HCEs "
                    "aged 50+ first, then distribution or recharacterization as after-tax), then the ACP test on "
                    "the corrected amounts, its refunds, and the highest uniform after-tax rate HCEs can elect. "
                    "Census columns: id, compensation, prior_compensation, owner_5pct, eligible, match, "
                    "after_tax, deferrals [, age, qnec]. Educational, not individual tax advice.")
    parser.add_argument("census", help="census file (.csv, .xlsx)")
    parser.add_argument("--year", type=int, default=date.today().year - 1, help="plan year tested")
    parser.add_argument("-o", "--output", help="write the report workbook (.xlsx) here")
    parser.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    parser.add_argument("--adp-testing", choices=["current", "prior"], default="current")
    parser.add_argument("--prior-nhce-adp", type=_prior, default=None,
                        help="last year's NHCE ADP (0.031) or first-year (3%%); with --adp-testing prior")
    parser.add_argument("--acp-testing", choices=["current", "prior"], default="current")
    parser.add_argument("--prior-nhce-acp", type=_prior, default=None,
                        help="last year's NHCE ACP (0.031) or first-year (3%%); with --acp-testing prior")
    parser.add_argument("--top-paid-group", action="store_true", help="the §414(q)(1)(B)(ii) top-20%% election")
    parser.add_argument("--adp-correction", choices=["distribute", "recharacterize"], default="distribute",
                        help="what happens to ADP excess contributions after any catch-up recharacterization: "
                             "distributed (default) or recharacterized as after-tax (then ACP-tested)")
    parser.add_argument("--no-catch-up", action="store_true",
                        help="do not recharacterize HCEs' ADP excess as catch-up contributions")
    parser.add_argument("--qnec", choices=["none", "adp", "acp"], default="none",
                        help="which test the census qnec column counts in (default none)")
    parser.add_argument("--qnec-paid", metavar="YYYY-MM-DD", default=None,
                        help="when the census QNECs were paid; after 31 Dec of the next year they do not count")
    parser.add_argument("--prior-nhce-qnec", type=number, default=0.0,
                        help="prior-year ADP testing: a QNEC rate for last year's NHCEs added to --prior-nhce-adp "
                             "(a decimal)")
    parser.add_argument("--prior-qnec-paid", metavar="YYYY-MM-DD", default=None,
                        help="when that QNEC was paid; after 31 Dec of the plan year tested it does not count")
    parser.add_argument("--prior-qnec-used", action="store_true",
                        help="that QNEC already counted in last year's own ADP test: it does not count again")
    parser.add_argument("--qmac-in-adp", action="store_true",
                        help="count the census qmac column (QMACs, part of the match) in the ADP instead of the ACP")
    parser.add_argument("--excess-deferrals-after", action="store_true",
                        help="the census excess_deferrals are requested after the ADP correction (it reduces "
                             "them: Treas. Reg. §1.402(g)-1(e)(6)), not distributed before it")
    parser.add_argument("--adp-safe-harbor", action="store_true", help="an ADP safe-harbor plan: no ADP test")
    parser.add_argument("--acp-safe-harbor-match", action="store_true",
                        help="an ACP safe-harbor match: disregarded in the ACP (after-tax money is still tested)")
    parser.add_argument("--shift-deferrals", action="store_true",
                        help="the plan counts NHCE deferrals in the ACP to the extent needed (while the ADP passes)")
    add_plan_options(parser)
    parser.add_argument("--earnings-rate", type=number, default=0.0,
                        help="income allocable to corrective distributions, a decimal share (default 0)")
    parser.add_argument("--eaca", action="store_true", help="the plan has an EACA (6-month excise deadline)")
    add_census_options(parser)
    add_inflation(parser)
    add_json_flag(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from .. import DISCLAIMER
    from ..adp import run_nondiscrimination
    from ..files import refuse_existing

    if args.output:
        refuse_existing([args.output], args.force)
    census = read_census_from(args)
    report = run_nondiscrimination(
        census, args.year, adp_testing=args.adp_testing, prior_nhce_adp=args.prior_nhce_adp,
        acp_testing=args.acp_testing, prior_nhce_acp=args.prior_nhce_acp, top_paid_group=args.top_paid_group,
        adp_correction=args.adp_correction, catch_up=not args.no_catch_up, qnec_test=args.qnec,
        adp_safe_harbor=args.adp_safe_harbor, acp_safe_harbor_match=args.acp_safe_harbor_match,
        shift_deferrals=args.shift_deferrals, matched=args.matched, match_tiers=tuple(args.match_tiers) or None,
        match_vested=args.match_vested, earnings_rate=args.earnings_rate, eaca=args.eaca, qnec_paid=args.qnec_paid,
        prior_nhce_qnec=args.prior_nhce_qnec, prior_qnec_paid=args.prior_qnec_paid,
        prior_qnec_used=args.prior_qnec_used, qmac_in_adp=args.qmac_in_adp,
        excess_deferrals_timing="after" if args.excess_deferrals_after else "before", inflation=args.inflation)
    if args.output:
        from ..workbook import nondiscrimination_report

        nondiscrimination_report.save(report, args.output, args.force)
    if args.json:
        return print_json_report(report, census, args.output)
    adp, acp = report.adp.test, report.acp.test
    adp_verdict = "safe harbor" if report.adp.safe_harbor else "PASS" if adp.passed else "FAIL"
    print(f"Nondiscrimination tests, plan year {report.plan_year}, census {census.source}: ADP {adp_verdict}, "
          f"ACP {'PASS' if acp.passed else 'FAIL'} (after the ADP corrections)")
    for step in report.steps:
        print(step)
    if len(report.refunds):
        shown = report.refunds.head(20)
        print_table([(str(r.id), f"{r.adp_excess:,.2f}", f"{r.recharacterized_catch_up:,.2f}",
                      f"{r.recharacterized_after_tax:,.2f}", f"{r.adp_distributed:,.2f}", f"{r.acp_refund:,.2f}")
                     for r in shown.itertuples()],
                    ("HCE", "ADP excess", "to catch-up", "to after-tax", "ADP refund", "ACP refund"))
        if len(report.refunds) > len(shown):
            print(f"... and {len(report.refunds) - len(shown)} more HCEs (see --json or -o)")
    correction = report.adp.correction or report.acp.correction
    if correction is not None:
        print(f"correct by {correction.excise_deadline} (no 10% excise tax) and at the latest "
              f"{correction.correction_deadline} (plan stays qualified)")
    for note in report.adp.notes + report.acp.notes:
        print(f"note: {note}")
    if args.output:
        print(f"report written to {args.output}")
    print(DISCLAIMER)
    sys.stdout.flush()
    return 0
