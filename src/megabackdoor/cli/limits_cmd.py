"""``megabackdoor limits --year Y``: every IRS limit for a year, published or projected."""

from __future__ import annotations

import argparse

from ..limits import limits_for_year
from ._common import add_inflation, add_json_flag, money, print_json, whole

ORDER = 20


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser("limits", help="IRS limits for a year (projected years marked)",
                            description="IRS retirement-plan limits for a year, each with its citation (statute and "
                                        "IRS notice). Years after 2026 are projected with each limit's statutory "
                                        "indexing rule and marked projected.")
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
    print(f"IRS limits for {args.year}")
    print_limits(values)
    if any(lv.status == "projected" for lv in values.values()):
        print(f"\nprojected: not IRS figures; statutory indexing at {args.inflation:.2%} assumed inflation")
    return 0


WIDTH = 100  # fits a 100-column terminal


def print_limits(values: dict) -> None:
    """Name, value and status on one line; what the limit is and its citation wrapped beneath, indented."""
    import textwrap

    rows = []
    for name, lv in values.items():
        if isinstance(lv.value, dict):  # e.g. the Roth IRA phase-out: one line per filing group
            shown = [f"{group} {money(r['start'])}-{money(r['end'])}" for group, r in lv.value.items()]
        else:
            shown = [money(lv.value)]
        rows.append((name, shown, lv))
    name_width = max(len(name) for name, _, _ in rows)
    value_width = max(len(text) for _, shown, _ in rows for text in shown)
    print(f"{'limit'.ljust(name_width)}  {'value'.rjust(value_width)}  status")
    print(f"{'-' * name_width}  {'-' * value_width}  ---------")
    for name, shown, lv in rows:
        for index, text in enumerate(shown):
            print(f"{(name if index == 0 else '').ljust(name_width)}  {text.rjust(value_width)}  "
                  f"{lv.status if index == 0 else ''}".rstrip())
        for line in (lv.label, f"Source: {lv.reference}"):
            print(textwrap.fill(line, WIDTH, initial_indent="    ", subsequent_indent="      ",
                                break_on_hyphens=False))
