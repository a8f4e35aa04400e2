"""``megabackdoor headroom``: after-tax (mega-backdoor) room under §415(c) for one year."""

from __future__ import annotations

import argparse

from .. import DISCLAIMER
from ..headroom import backdoor_ira_limit, headroom_breakdown
from ._common import add_inflation, add_json_flag, money, number, print_json, print_table, whole

ORDER = 30


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser("headroom", help="after-tax 401(k) room for a year",
                            description="After-tax room = min(415(c), pay) - non-catch-up deferrals - "
                                        "employer money - forfeitures, capped by the plan's after-tax cap.")
    parser.add_argument("--year", type=whole, required=True, help="calendar year, 2014 or later")
    parser.add_argument("--age", type=whole, required=True, help="age attained by 31 December")
    parser.add_argument("--deferral", type=number, required=True,
                        help="elective deferrals for the year (pre-tax + Roth, catch-ups included), dollars")
    parser.add_argument("--employer", type=number, required=True,
                        help="employer contributions (match, nonelective), dollars")
    parser.add_argument("--compensation", type=number, default=None, help="§415(c)(3) compensation, dollars")
    parser.add_argument("--plan-cap", type=number, default=None,
                        help="plan's after-tax cap as a fraction of pay (0.10 for 10%%)")
    parser.add_argument("--forfeitures", type=number, default=0.0, help="forfeitures allocated, dollars")
    add_inflation(parser)
    add_json_flag(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    result = headroom_breakdown(args.year, args.age, args.deferral, args.employer, args.compensation,
                                args.plan_cap, args.forfeitures, args.inflation)
    if args.json:
        data = result.to_dict()
        data["year"], data["age"] = args.year, args.age
        data["backdoor_ira_limit"] = backdoor_ira_limit(args.year, args.age, args.inflation)
        print_json(data)
        return 0
    print(f"After-tax (mega-backdoor) room, {args.year}, age {args.age}: {money(result.after_tax_room)}")
    print_table([
        ("§415(c) figure used", money(result.limit_415c)),
        ("non-catch-up deferrals", money(result.non_catchup_deferral)),
        ("catch-up used (outside §415(c))", money(result.catchup_used)),
        ("employer money", money(result.employer)),
        ("forfeitures", money(result.forfeitures)),
        ("plan after-tax cap", money(result.plan_cap_amount) if result.plan_cap_amount is not None else "none"),
        ("binding constraint", result.binding),
        ("limits", result.status),
    ])
    print(DISCLAIMER)
    return 0
