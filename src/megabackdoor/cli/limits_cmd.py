"""``megabackdoor limits --year Y``: every IRS limit for a year, published or projected."""

from __future__ import annotations

import argparse

from ..limits import limits_for_year
from ._common import add_inflation, add_json_flag, money, print_json, print_table, whole

ORDER = 20


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser("limits", help="IRS limits for a year (projected years marked)",
                            description="IRS retirement-plan limits for a year with citations. Years after "
                                        "2026 are projected with each limit's statutory indexing rule.")
    parser.add_argument("--year", type=whole, required=True, help="calendar year, 2014 or later")
    add_inflation(parser)
    parser.add_argument("--catchup-reading", default="A", choices=["A", "B"],
                        help="how the age 60-63 catch-up is indexed after 2026 (default A)")
    add_json_flag(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    values = limits_for_year(args.year, args.inflation, args.catchup_reading)
    if args.json:
        print_json({name: lv.to_dict() for name, lv in values.items()})
        return 0
    rows = []
    for name, lv in values.items():
        if isinstance(lv.value, dict):
            shown = "; ".join(f"{g} {money(r['start'])}-{money(r['end'])}" for g, r in lv.value.items())
        else:
            shown = money(lv.value)
        rows.append((name, shown, lv.status, lv.label))
    print(f"IRS limits for {args.year}")
    print_table(rows, ("limit", "value", "status", "what it is"))
    if any(lv.status == "projected" for lv in values.values()):
        print(f"\nprojected: not IRS figures; statutory indexing at {args.inflation:.2%} assumed inflation")
    return 0
