"""``megabackdoor schedule``: the multi-year schedule of a scenario as a table, CSV or JSON."""

from __future__ import annotations

import argparse

ORDER = 50
SHOWN = ("year", "age", "limits_status", "limit_415c", "deferral", "catchup_used", "employer", "after_tax_room",
         "binding", "earnings_converted", "conversion_tax", "roth_balance", "advantage")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "schedule", help="year-by-year contributions, conversions and balances for a scenario",
        description="The multi-year schedule of a scenario TOML file (default: the built-in default, the "
                    "article's 2026 case). --csv and --json export every column; --buckets exports one row per "
                    "year and bucket with account_subtype and contribution_tax_fraction.")
    parser.add_argument("scenario", nargs="?", help="scenario TOML file (default: the built-in default)")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="CSV on stdout")
    form.add_argument("--json", action="store_true", help="JSON on stdout")
    parser.add_argument("--buckets", action="store_true",
                        help="one row per year and bucket (amount, account_subtype, contribution_tax_fraction)")
    return parser


def run(args: argparse.Namespace) -> int:
    import sys

    from .. import DISCLAIMER
    from ..scenario import default_scenario, load
    from ..schedule import COLUMNS, buckets, schedule
    from ._common import money, print_json, print_table, say_defaults

    scenario = load(args.scenario) if args.scenario else default_scenario()
    say_defaults(scenario, args.scenario, skip=("retirement",))  # the schedule stops at the last year
    table = schedule(scenario)
    long = buckets(table) if args.buckets or args.json else None
    # Exports carry money to the cent (the engine keeps full floats: 203717.77999999997 -> 203717.78).
    table = table.round({name: 2 for name, _, kind in COLUMNS if kind == "money" and name in table})
    if long is not None:
        long = long.round({"amount": 2})
    if args.csv:
        (long if args.buckets else table).to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    if args.json:
        import json

        data = {"scenario": scenario.name, "conversion_path": table.attrs["conversion_path"],
                "disclaimer": DISCLAIMER,
                "rows": json.loads(table.to_json(orient="records")),
                "buckets": json.loads(long.to_json(orient="records"))}
        print_json(data)
        return 0
    print(f"{scenario.name}: {scenario.years} years from {scenario.start_year}; conversion path "
          f"{table.attrs['conversion_path']}")
    if args.buckets:
        rows = [(str(r.year), r.bucket, money(r.amount), r.account_subtype, f"{r.contribution_tax_fraction:g}")
                for r in long.itertuples(index=False)]
        print_table(rows, ("year", "bucket", "amount", "account_subtype", "contribution_tax_fraction"))
    else:
        rows = []
        for record in table.itertuples(index=False):
            rows.append(tuple(money(getattr(record, key)) if isinstance(getattr(record, key), float)
                              else str(getattr(record, key)) for key in SHOWN))
        print_table(rows, SHOWN)
    print(DISCLAIMER)
    return 0
