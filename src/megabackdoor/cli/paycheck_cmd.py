"""``megabackdoor paycheck``: the elections that fill 402(g) and §415(c) by the last paycheck."""

from __future__ import annotations

import argparse

from ..cadences import PAY_FREQUENCIES
from ._common import add_inflation, add_json_flag, money, number, print_json, print_table, whole

ORDER = 80
# The engine's spelling of an argument -> this command's option, for messages (cli.in_user_terms).
ENGINE_NAMES = {"first_pay_date": "--first-pay-date", "pay_per_period": "--pay", "bonuses": "--bonus",
                "bonus date": "--bonus", "bonus amount": "--bonus", "bonus in_plan_pay": "--bonus",
                "employer match": "--match",
                "stops_at_402g": "--no-stop-402g", "stops_at_415c": "--stops-415c", "plan_allows_roth": "--no-roth",
                "deferral_election": "--deferral", "after_tax_election": "--after-tax",
                "bonus_deferral_election": "--bonus-deferral", "bonus_after_tax_election": "--bonus-after-tax"}


def _pair(text: str) -> tuple[float, float]:
    parts = text.split(":")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"got {text!r}; expected RATE:UP_TO, e.g. 0.5:0.06")
    return number(parts[0]), number(parts[1])


def _bonus(text: str) -> tuple[str, float, bool]:
    parts = text.split(":")
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2].lower() not in ("in", "out")):
        raise argparse.ArgumentTypeError(f"got {text!r}; expected DATE:AMOUNT[:in|out], e.g. 2026-03-13:50000")
    return parts[0], number(parts[1]), len(parts) == 2 or parts[2].lower() == "in"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "paycheck", help="paycheck elections that max 402(g) and 415(c) without losing the match",
        description="Solve the pre-tax/Roth and after-tax elections (percent of each paycheck, or dollars) that "
                    "reach 402(g) + catch-up and 415(c) by the last paycheck as closely as the plan's steps "
                    "allow, keeping the full match whenever some election keeps it; or, with --deferral, show "
                    "the year for given elections. Prints the per-paycheck table.")
    parser.add_argument("--first-pay-date", required=True, help="first paycheck of the year here (YYYY-MM-DD)")
    parser.add_argument("--frequency", required=True, choices=PAY_FREQUENCIES)
    parser.add_argument("--pay", type=number, required=True, help="gross base pay per paycheck, dollars")
    parser.add_argument("--age", type=whole, required=True, help="age attained by 31 December")
    parser.add_argument("--match", type=_pair, action="append", default=[], metavar="RATE:UP_TO",
                        help="a match tier, repeatable: 0.5:0.06 = 50%% of deferrals up to 6%% of pay")
    parser.add_argument("--true-up", action="store_true", help="the plan trues up the match after year end")
    parser.add_argument("--bonus", type=_bonus, action="append", default=[], metavar="DATE:AMOUNT[:in|out]",
                        help="a bonus check, repeatable; 'out' if plan pay excludes it")
    parser.add_argument("--granularity", default="1%", help="election step: 1%%, 0.5%%, 0.1%% or dollars")
    parser.add_argument("--max-election", type=number, default=1.0,
                        help="most of a paycheck all elections may take, as a fraction (default 1.0)")
    parser.add_argument("--after-tax-cap", type=number, default=None,
                        help="most of a paycheck the after-tax election may take, as a fraction")
    parser.add_argument("--separate-bonus-election", action="store_true",
                        help="the plan takes separate elections for bonus checks")
    parser.add_argument("--no-stop-402g", action="store_true",
                        help="payroll does not stop deferrals by itself at 402(g)")
    parser.add_argument("--stops-415c", action="store_true", help="payroll cuts after-tax money at 415(c)")
    for name, text in (("ytd-compensation", "pay"), ("ytd-deferrals", "deferrals"), ("ytd-match", "match"),
                       ("ytd-after-tax", "after-tax contributions")):
        parser.add_argument(f"--{name}", type=number, default=0.0,
                            help=f"{text} at this employer this year before the first pay date, dollars")
    parser.add_argument("--other-employer-deferrals", type=number, default=0.0,
                        help="deferrals at other employers this year (402(g) is per person), dollars")
    parser.add_argument("--prior-year-fica-wages", type=number, default=None,
                        help="last year's FICA wages here (the 2026 Roth catch-up rule)")
    parser.add_argument("--no-roth", action="store_true", help="the plan has no Roth deferrals")
    parser.add_argument("--deferral", type=number, default=None,
                        help="evaluate this deferral election instead of solving (fraction, or dollars)")
    parser.add_argument("--after-tax", type=number, default=0.0, help="after-tax election with --deferral")
    parser.add_argument("--bonus-deferral", type=number, default=None, help="bonus deferral with --deferral")
    parser.add_argument("--bonus-after-tax", type=number, default=None, help="bonus after-tax with --deferral")
    parser.add_argument("--workbook", default=None, metavar="PATH",
                        help="also write the Paychecks workbook (native formulas) for these elections")
    parser.add_argument("--pdf", default=None, metavar="PDF",
                        help="also print the recalculated Paychecks workbook to this PDF (needs LibreOffice)")
    parser.add_argument("--force", action="store_true", help="overwrite the --workbook/--pdf file if it exists")
    add_inflation(parser)
    add_json_flag(parser)
    return parser


def _percent_or_dollars(value: float | None, granularity: str) -> str:
    if value is None:
        return "same as regular"
    return money(value) + " per paycheck" if granularity == "dollars" else f"{value * 100:.1f}%".replace(".0%", "%")


def run(args: argparse.Namespace) -> int:
    from .. import DISCLAIMER
    from ..paycheck import paycheck_schedule, solve_elections

    options = {
        "bonuses": args.bonus or None, "match": args.match or None, "true_up": args.true_up,
        "granularity": args.granularity, "max_election": args.max_election, "after_tax_cap": args.after_tax_cap,
        "separate_bonus_election": args.separate_bonus_election, "stops_at_402g": not args.no_stop_402g,
        "stops_at_415c": args.stops_415c, "ytd_compensation": args.ytd_compensation,
        "ytd_deferrals": args.ytd_deferrals, "ytd_match": args.ytd_match, "ytd_after_tax": args.ytd_after_tax,
        "other_employer_deferrals": args.other_employer_deferrals,
        "prior_year_fica_wages": args.prior_year_fica_wages, "plan_allows_roth": not args.no_roth,
        "inflation": args.inflation,
    }
    head = (args.first_pay_date, args.frequency, args.pay, args.age)
    if args.deferral is None:
        plan = solve_elections(*head, **options)
    else:
        plan = paycheck_schedule(*head, args.deferral, args.after_tax, args.bonus_deferral, args.bonus_after_tax,
                                 **options)
    if args.workbook or args.pdf:
        from ..workbook.pdf import PdfError, report

        try:
            _write_workbook(args, head, options, plan)
        except PdfError as error:
            return report(args.command, error)
    if args.json:
        data = plan.to_dict()
        data["paychecks"] = [row.to_dict() for row in plan.paychecks]
        data["disclaimer"] = DISCLAIMER
        print_json(data)
        return 0
    unit = plan.granularity
    print(f"Paycheck elections {plan.year} ({'solved' if args.deferral is None else 'as given'}, "
          f"{len(plan.paychecks)} checks, limits {plan.status})")
    summary = [
        ("pre-tax/Roth election", _percent_or_dollars(plan.deferral_election, unit)),
        ("after-tax election", _percent_or_dollars(plan.after_tax_election, unit)),
    ]
    if plan.bonus_deferral_election is not None:
        summary += [("bonus pre-tax/Roth election", _percent_or_dollars(plan.bonus_deferral_election, "%")),
                    ("bonus after-tax election", _percent_or_dollars(plan.bonus_after_tax_election, "%"))]
    summary += [
        ("deferrals here (room)", f"{money(plan.deferrals)} ({money(plan.deferral_room)})"),
        ("employer match (most possible)", f"{money(plan.match)} ({money(plan.match_max)})"),
        ("after-tax", money(plan.after_tax)),
        ("annual additions (415(c) limit)", f"{money(plan.annual_additions)} ({money(plan.limit_415c)})"),
        ("flags", ", ".join(plan.flags) or "none"),
    ]
    print_table(summary)
    print()
    print_table([(str(r.number), r.date.isoformat(), r.kind, money(r.pay), money(r.deferral), money(r.match),
                  money(r.after_tax), money(r.ytd_deferrals), money(r.ytd_additions)) for r in plan.paychecks],
                ("#", "date", "kind", "pay", "deferral", "match", "after-tax", "ytd deferrals", "ytd 415(c)"))
    print(DISCLAIMER)
    return 0


def _write_workbook(args: argparse.Namespace, head: tuple, options: dict, plan) -> None:
    import sys

    from ..errors import InputError
    from ..workbook import paychecks

    if plan.granularity == "dollars" or plan.bonus_deferral_election is not None:
        raise InputError("--workbook", args.workbook or args.pdf, "percent elections without a separate bonus election "
                                                      "(the Paychecks sheet models those)")
    if len(args.match) > paychecks.MATCH_TIERS or len(args.bonus) > paychecks.BONUS_ROWS:
        raise InputError("--workbook", args.workbook or args.pdf,
                         f"at most {paychecks.MATCH_TIERS} match tiers and {paychecks.BONUS_ROWS} bonuses")
    sheet_options = {key: options[key] for key in (
        "bonuses", "match", "true_up", "stops_at_402g", "stops_at_415c", "ytd_compensation", "ytd_deferrals",
        "ytd_match", "ytd_after_tax", "other_employer_deferrals", "prior_year_fica_wages", "plan_allows_roth")}
    case = dict(first_pay_date=head[0], frequency=head[1], pay_per_period=head[2], age=head[3],
                deferral_election=plan.deferral_election, after_tax_election=plan.after_tax_election,
                **sheet_options)
    if args.pdf:
        from ..workbook import pdf

        written = pdf.write_with_pdf(lambda path, force: paychecks.write(path, force=force, **case), args.workbook,
                                     args.pdf, args.force)
        print(f"wrote {args.workbook + ' and ' if args.workbook else ''}{written}", file=sys.stderr)
        return
    path = paychecks.write(args.workbook, force=args.force, **case)
    print(f"wrote {path}", file=sys.stderr)
