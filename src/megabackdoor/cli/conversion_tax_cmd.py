"""``megabackdoor conversion-tax``: tax on a Roth conversion (flat rate or federal brackets), optionally with the
taxable earnings worked out from how often you convert."""

from __future__ import annotations

import argparse

from ..cadences import CADENCES, FILING_STATUSES
from ._common import add_inflation, add_json_flag, money, number, print_json, print_table, whole

ORDER = 40
# The engine's spelling of an argument -> this command's option, for messages (cli.in_user_terms).
ENGINE_NAMES = {"annual_after_tax": "--contributions", "settlement_lag_days": "--lag",
                "net_investment_income": "--nii",
                "rate_or_status": lambda args: "--rate" if args.rate is not None else "--status"}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "conversion-tax", help="tax on converting after-tax money to Roth",
        description="Taxable part = amount converted - after-tax basis (never below 0; a loss is not deductible). "
                    "Federal tax at a flat marginal rate (--rate) or from the rate schedule (--status with "
                    "--taxable-income and --year). Give --contributions and --return instead of --amount/--basis "
                    "to estimate the earnings from the conversion cadence first.")
    what = parser.add_argument_group("what is converted")
    what.add_argument("--amount", type=number, help="amount converted, dollars")
    what.add_argument("--basis", type=number, help="after-tax basis in it, dollars")
    what.add_argument("--contributions", type=number,
                      help="instead of --amount/--basis: the year's after-tax contributions, dollars")
    what.add_argument("--return", dest="annual_return", type=number, default=None,
                      help="with --contributions: expected annual return, decimal (0.07 for 7%%)")
    what.add_argument("--cadence", default="per_paycheck", choices=CADENCES,
                      help="with --contributions: how often you convert (default per_paycheck)")
    what.add_argument("--pay-frequency", default="biweekly",
                      choices=["weekly", "biweekly", "semimonthly", "monthly", "annual"],
                      help="with --contributions: how contributions arrive (default biweekly)")
    what.add_argument("--lag", type=whole, default=0, help="with --contributions: settlement lag in days")
    what.add_argument("--conversions-per-year", type=whole, default=None, help="for --cadence n_per_year")
    what.add_argument("--years-until-separation", type=number, default=None, help="for --cadence at_separation")
    how = parser.add_argument_group("how it is taxed")
    how.add_argument("--rate", type=number, default=None, help="flat marginal federal rate, decimal (0.24)")
    how.add_argument("--status", default=None, choices=FILING_STATUSES,
                     help="filing status: compute from the federal rate schedule")
    how.add_argument("--taxable-income", type=number, default=None,
                     help="with --status: taxable income before the conversion (after deductions), dollars")
    how.add_argument("--year", type=whole, default=None, help="with --status: tax year (2025 or later)")
    how.add_argument("--state-rate", type=number, default=0.0, help="state rate, decimal (default 0)")
    how.add_argument("--magi", type=number, default=None, help="with --nii: modified AGI before the conversion")
    how.add_argument("--nii", type=number, default=None,
                     help="with --status and --magi: other net investment income (for the 3.8%% NIIT)")
    add_inflation(parser)
    add_json_flag(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from .. import DISCLAIMER
    from ..conversion import conversion_earnings
    from ..errors import InputError
    from ..tax import conversion_tax

    earnings = None
    if args.contributions is not None:
        if args.amount is not None or args.basis is not None:
            raise InputError("--amount", args.amount, "no --amount/--basis together with --contributions")
        if args.annual_return is None:
            raise InputError("--return", None, "an expected annual return (decimal) with --contributions")
        earnings = conversion_earnings(args.contributions, args.annual_return, args.cadence, args.pay_frequency,
                                       args.lag, args.conversions_per_year, args.years_until_separation)
        amount, basis = earnings.amount_converted, earnings.basis_converted
    else:
        if args.amount is None or args.basis is None:
            raise InputError("--amount", args.amount, "--amount and --basis (or --contributions and --return)")
        amount, basis = args.amount, args.basis
    if (args.rate is None) == (args.status is None):
        raise InputError("--rate", args.rate, "either --rate (flat) or --status (brackets), not both or neither")
    rate_or_status = args.rate if args.rate is not None else args.status
    if args.magi is not None and args.nii is None:
        raise InputError("--magi", args.magi, "--magi together with --nii (the 3.8% NIIT depends on both; "
                         "without other investment income a conversion adds no NIIT)")
    if args.nii is not None and args.status is None:
        raise InputError("--nii", args.nii, "--nii with --status (the NIIT is worked out from a filing "
                         "status, not a flat --rate)")
    result = conversion_tax(amount, basis, rate_or_status, args.taxable_income, args.year, args.state_rate,
                            args.inflation, args.magi, args.nii or 0.0)
    if args.json:
        data = result.to_dict()
        data["brackets"] = list(result.brackets)
        data["amount"], data["basis"] = amount, basis
        if earnings is not None:
            data["earnings"] = earnings.to_dict()
        print_json(data)
        return 0
    if earnings is not None:
        if args.cadence == "at_separation":  # one conversion: everything the year's money earns until then
            period = (f"in total, carried {args.years_until_separation:g} years past 31 December to separation")
        else:
            period = "a year"
        print(f"Contributions {money(args.contributions)} converted {args.cadence.replace('_', ' ')} "
              f"(pay {args.pay_frequency}, lag {args.lag} days): taxable earnings "
              f"{money(round(earnings.earnings_converted, 2))} {period}")
    rows = [("amount converted", money(round(amount, 2))), ("after-tax basis", money(round(basis, 2))),
            ("taxable amount", money(round(result.taxable_amount, 2)))]
    for bracket in result.brackets:
        if result.status == "flat":
            label = f"flat {bracket['rate']:.1%}"
        else:
            top = "up" if bracket["upper"] is None else money(bracket["upper"])
            label = f"{bracket['rate']:.0%} bracket ({money(bracket['lower'])} to {top})"
        rows.append((f"  {label}", money(round(bracket["taxed"], 2))))
    rows += [("federal tax", money(result.federal_tax)), ("state tax", money(result.state_tax))]
    if result.niit_delta:
        rows.append(("extra NIIT (3.8%)", money(result.niit_delta)))
    rows += [("total tax", money(result.total_tax)), ("tables", result.status)]
    print_table(rows)
    if result.loss_not_deductible:
        print(f"note: {result.note}")
    if result.status == "projected":
        print(f"projected: brackets indexed from 2026 at {args.inflation:.2%} assumed chained-CPI inflation")
    print(DISCLAIMER)
    return 0
