"""``megabackdoor rollover-split``: split a distribution of the after-tax subaccount (Notice 2014-54)."""

from __future__ import annotations

import argparse

from ._common import add_json_flag, money, number, print_json, print_table

ORDER = 50


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "rollover-split", help="split an after-tax subaccount among Roth IRA, traditional IRA and cash",
        description="Notice 2014-54: a distribution carries basis and earnings pro rata; the pre-tax part goes "
                    "first to direct rollovers. By default basis goes to a Roth IRA and earnings to a "
                    "traditional IRA. --in-plan shows an in-plan Roth conversion instead.")
    parser.add_argument("--balance", type=number, required=True, help="after-tax subaccount value, dollars")
    parser.add_argument("--basis", type=number, required=True, help="after-tax contributions in it, dollars")
    parser.add_argument("--amount", type=number, default=None, help="amount distributed (default: all)")
    parser.add_argument("--roth-ira", type=number, default=None, help="dollars to a Roth IRA")
    parser.add_argument("--traditional-ira", type=number, default=None, help="dollars to a traditional IRA")
    parser.add_argument("--cash", type=number, default=None, help="dollars paid in cash (default: the rest)")
    parser.add_argument("--in-plan", action="store_true", help="in-plan Roth conversion (§402A(c)(4)) instead")
    add_json_flag(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from .. import DISCLAIMER
    from ..conversion import in_plan_conversion, rollover_split
    from ..errors import InputError

    if args.in_plan:
        if any(v is not None for v in (args.roth_ira, args.traditional_ira, args.cash)):
            raise InputError("--in-plan", True, "no destinations with --in-plan (it all stays in the plan)")
        result = in_plan_conversion(args.balance, args.basis, args.amount)
    else:
        result = rollover_split(args.balance, args.basis, args.amount, args.roth_ira, args.traditional_ira,
                                args.cash)
    if args.json:
        data = result.to_dict()
        data["destinations"] = [dict(zip(("destination", "after_tax", "pre_tax", "taxable"), row, strict=True))
                                for row in result.destinations]
        print_json(data)
        return 0
    print(f"Distribution {money(result.amount)}: {money(result.after_tax)} after-tax basis, "
          f"{money(result.pre_tax)} pre-tax earnings")
    header, *rows = result.rows()
    print_table([(row[0], money(row[1]), money(row[2]), money(row[3])) for row in rows], tuple(header))
    if result.early_withdrawal_exposed:
        print(f"{money(result.early_withdrawal_exposed)} of taxable cash also owes the 10% §72(t) tax if under "
              "59½ with no exception")
    print(result.method)
    print(DISCLAIMER)
    return 0
