"""``megabackdoor paycheck``: the elections that fill 402(g) and §415(c) by the last paycheck."""

from __future__ import annotations

import argparse

from .. import paycheck_inputs as inputs
from ._common import add_inflation, add_json_flag, money, number, print_json, print_table, whole

ORDER = 80
# The engine's spelling of an argument -> this command's option, for messages (cli.in_user_terms).
ENGINE_NAMES = inputs.message_names("cli")


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


_TYPES = {"number": number, "whole": whole, "pair": _pair, "bonus": _bonus, None: None}


def _add_input(parser: argparse.ArgumentParser, item: inputs.Input) -> None:
    """The flag of a declared input (paycheck_inputs): a switch, a repeatable option or a value."""
    dest = item.engine
    if item.cli_type == "flag":
        parser.add_argument(item.cli, dest=dest, action="store_false" if item.cli_negated else "store_true",
                            default=item.default, help=item.cli_help)
        return
    # The metavar argparse would derive from the flag (the dest is the engine's keyword).
    keywords = {"help": item.cli_help, "metavar": item.cli_metavar or item.cli[2:].upper().replace("-", "_")}
    if item.choices and item.kind == "text":
        keywords.update(choices=item.choices, metavar=None)
    if item.cli_repeat:
        keywords.update(action="append", default=[])
    elif item.required:
        keywords["required"] = True
    else:
        keywords["default"] = item.default
    parser.add_argument(item.cli, dest=dest, type=_TYPES[item.cli_type],
                        **{key: value for key, value in keywords.items() if value is not None or key == "default"})


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "paycheck", help="paycheck elections that max 402(g) and 415(c) without losing the match",
        description="Solve the pre-tax/Roth and after-tax elections (percent of each paycheck, or dollars) that "
                    "reach 402(g) + catch-up and 415(c) by the last paycheck as closely as the plan's steps "
                    "allow, keeping the full match whenever some election keeps it; or, with --deferral, show "
                    "the year for given elections. Prints the per-paycheck table.")
    for item in inputs.INPUTS:
        _add_input(parser, item)
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

    # Repeatable flags give lists: none given is the engine's None.
    options = {}
    for item in inputs.OPTIONS:
        value = getattr(args, item.engine)
        options[item.engine] = (value or None) if item.cli_repeat else value
    options["inflation"] = args.inflation
    head = tuple(getattr(args, item.engine) for item in inputs.CASE)
    elections = [getattr(args, item.engine) for item in inputs.ELECTIONS]
    if elections[0] is None:
        plan = solve_elections(*head, **options)
    else:
        plan = paycheck_schedule(*head, *elections, **options)
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
    print(f"Paycheck elections {plan.year} ({'solved' if elections[0] is None else 'as given'}, "
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
    if len(args.match) > paychecks.MATCH_TIERS or len(args.bonuses) > paychecks.BONUS_ROWS:
        raise InputError("--workbook", args.workbook or args.pdf,
                         f"at most {paychecks.MATCH_TIERS} match tiers and {paychecks.BONUS_ROWS} bonuses")
    case = {item.engine: value for item, value in zip(inputs.CASE, head, strict=True)}
    case.update({item.engine: options[item.engine] for item in inputs.SHEET_OPTIONS},
                deferral_election=plan.deferral_election, after_tax_election=plan.after_tax_election)
    if args.pdf:
        from ..workbook import pdf

        written = pdf.write_with_pdf(lambda path, force: paychecks.write(path, force=force, **case), args.workbook,
                                     args.pdf, args.force)
        print(f"wrote {args.workbook + ' and ' if args.workbook else ''}{written}", file=sys.stderr)
        return
    path = paychecks.write(args.workbook, force=args.force, **case)
    print(f"wrote {path}", file=sys.stderr)
