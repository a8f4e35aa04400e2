"""``megabackdoor backdoor-pro-rata``: taxable part of a traditional-to-Roth IRA conversion (Form 8606)."""

from __future__ import annotations

import argparse

from ._common import add_json_flag, money, number, print_json, print_table, whole

ORDER = 60
# The engine's spelling of an argument -> this command's option, for messages (cli.in_user_terms).
ENGINE_NAMES = {"amount_converted": "--converted"}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "backdoor-pro-rata", help="pro-rata rule for a backdoor Roth IRA conversion (Form 8606)",
        description="§408(d)(2): all traditional, SEP and SIMPLE IRAs on 31 December share the basis. Taxable = "
                    "converted - converted x basis / (year-end balance + distributions + converted).")
    parser.add_argument("--converted", type=number, required=True, help="amount converted (line 8), dollars")
    parser.add_argument("--basis", type=number, required=True, help="nondeductible basis (line 5), dollars")
    parser.add_argument("--year-end-balance", type=number, required=True,
                        help="all traditional/SEP/SIMPLE IRAs on 31 December (line 6), dollars")
    parser.add_argument("--distributions", type=number, default=0.0, help="other distributions (line 7)")
    parser.add_argument("--ratio-decimals", type=whole, default=None,
                        help="round line 10 to this many places (at least 3); default unrounded")
    add_json_flag(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from .. import DISCLAIMER
    from ..conversion import backdoor_pro_rata_breakdown

    lines = backdoor_pro_rata_breakdown(args.converted, args.basis, args.year_end_balance, args.distributions,
                                        args.ratio_decimals)
    if args.json:
        print_json(lines.to_dict())
        return 0
    print_table([
        ("line 5  basis", money(lines.line5)),
        ("line 6  IRAs on 31 December", money(lines.line6)),
        ("line 7  distributions", money(lines.line7)),
        ("line 8  converted", money(lines.line8)),
        ("line 9  total", money(lines.line9)),
        ("line 10 nontaxable fraction", f"{lines.line10:.6g}"),
        ("line 11 basis in the conversion", money(lines.line11)),
        ("line 14 basis carried forward", money(lines.line14)),
        ("line 18 taxable conversion", money(lines.line18)),
    ])
    if lines.line6 > 0 and lines.line18 > 0:
        print(f"{lines.pre_tax_share:.1%} of each converted dollar is taxable because of the pre-tax IRA balance; "
              "rolling it into a 401(k) before 31 December removes it from line 6.")
    print(DISCLAIMER)
    return 0
