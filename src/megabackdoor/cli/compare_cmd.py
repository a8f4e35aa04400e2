"""``megabackdoor compare``: Roth versus a taxable brokerage account for the same after-tax dollars."""

from __future__ import annotations

import argparse

from ._common import add_json_flag, money, number, print_json, print_table, whole

ORDER = 70


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "compare", help="Roth vs taxable brokerage: advantage and break-even",
        description="After-tax value at the horizon of the same after-tax dollars in a Roth (tax-free) and in a "
                    "taxable account (dividends taxed yearly, gains at sale), net of the conversion tax.")
    parser.add_argument("--amount", type=number, required=True, help="after-tax dollars going into the Roth")
    parser.add_argument("--years", type=whole, required=True, help="horizon in years (0-100)")
    parser.add_argument("--return", dest="annual_return", type=number, required=True,
                        help="expected total annual return, decimal (0.07)")
    parser.add_argument("--conversion-tax", type=number, default=0.0, help="tax paid to convert, dollars")
    parser.add_argument("--dividend-yield", type=number, default=0.015, help="decimal (default 0.015)")
    parser.add_argument("--qualified-dividend-rate", type=number, default=0.15, help="decimal (default 0.15)")
    parser.add_argument("--ltcg-rate", type=number, default=0.15, help="long-term gains rate, decimal (0.15)")
    parser.add_argument("--niit", action="store_true", help="add the 3.8%% net investment income tax")
    parser.add_argument("--state-rate", type=number, default=0.0, help="state rate on dividends and gains")
    add_json_flag(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from .. import DISCLAIMER
    from ..compare import roth_vs_taxable

    result = roth_vs_taxable(args.amount, args.years, args.annual_return, args.conversion_tax,
                             args.dividend_yield, args.qualified_dividend_rate, args.ltcg_rate, args.niit,
                             args.state_rate)
    if args.json:
        print_json(result.to_dict())
        return 0
    breakeven = "not within 100 years" if result.breakeven_years is None else f"{result.breakeven_years} years"
    print(f"{money(args.amount)} after tax, {args.years} years at {args.annual_return:.2%}")
    print_table([
        ("Roth (tax-free)", money(round(result.roth_value, 2))),
        ("taxable account after tax on sale", money(round(result.taxable_value, 2))),
        ("Roth advantage", money(round(result.advantage, 2))),
        ("break-even horizon", breakeven),
        ("conversion tax that erases the advantage",
         "n/a" if result.breakeven_conversion_tax is None else money(round(result.breakeven_conversion_tax, 2))),
    ])
    print(DISCLAIMER)
    return 0
