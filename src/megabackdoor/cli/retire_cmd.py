"""``megabackdoor retire``: what the buckets become in retirement, with and without the mega-backdoor."""

from __future__ import annotations

import argparse

ORDER = 55
SHOWN = (("year", "year"), ("age", "age"), ("spending", "spending"), ("other_income", "other income"),
         ("rmd", "RMD"), ("pretax", "pre-tax"), ("taxable_withdrawal", "taxable"),
         ("after_tax_withdrawal", "after-tax"), ("roth_withdrawal", "Roth"), ("conversion", "conversion"),
         ("federal_tax", "federal tax"), ("shortfall", "shortfall"), ("pretax_end", "pre-tax end"),
         ("roth_end", "Roth end"), ("taxable_end", "taxable end"))
LABELS = {"with_mega_backdoor": "with the mega-backdoor",
          "without_mega_backdoor": "without (after-tax dollars in a taxable account)",
          "with_mega_backdoor_no_conversions": "with the mega-backdoor, no Roth conversions"}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "retire", help="retirement years: income by tax character, RMDs, Roth conversions, with vs without",
        description="Projects a scenario's buckets (pre-tax, Roth, after-tax 401(k), taxable) from the end of "
                    "its schedule to the end age: spending, RMDs (Uniform Lifetime Table), the withdrawal order, "
                    "optional bracket-filling Roth conversions and federal tax; then compares the client with "
                    "and without the mega-backdoor. A scenario file must state its [retirement] facts. --csv "
                    "and --json export every column of every case.")
    parser.add_argument("scenario", nargs="?", help="scenario TOML file (default: the built-in default)")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="CSV on stdout (one row per case and year)")
    form.add_argument("--json", action="store_true", help="JSON on stdout")
    return parser


def _summary(projection) -> dict:
    return {"first_year": projection.first_year, "first_age": projection.first_age,
            "rmd_start_age": projection.rmd_start_age, "lifetime_federal_tax": projection.lifetime_tax,
            "wealth_after_tax": projection.wealth_after_tax, "run_out_year": projection.run_out_year,
            "total_shortfall": projection.total_shortfall,
            "tax_free_share": round(projection.tax_free_share, 6),
            "start_balances": {k: round(v, 2) for k, v in projection.start.items()}}


def run(args: argparse.Namespace) -> int:
    import sys

    from .. import DISCLAIMER
    from ..retirement import COLUMN_NAMES, check_facts, compare
    from ..scenario import default_scenario, load
    from ._common import money, print_json, print_table, say_defaults

    scenario = load(args.scenario) if args.scenario else default_scenario()
    check_facts(scenario)
    say_defaults(scenario, args.scenario)
    cases = compare(scenario)
    if args.csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(("case", *COLUMN_NAMES))
        for case, projection in cases.items():
            for row in projection.rows:
                writer.writerow((case, *(round(row[k], 2) if isinstance(row[k], float) else row[k]
                                         for k in COLUMN_NAMES)))
        return 0
    if args.json:
        print_json({"scenario": scenario.name, "disclaimer": DISCLAIMER,
                    "cases": {case: {**_summary(p), "rows": [{k: round(v, 2) if isinstance(v, float) else v
                                                              for k, v in row.items()} for row in p.rows]}
                              for case, p in cases.items()}})
        return 0
    main = cases["with_mega_backdoor"]
    print(f"{scenario.name}: retirement {main.first_year}-{main.rows[-1]['year']} (ages {main.first_age}-"
          f"{main.rows[-1]['age']}), RMDs from age {main.rmd_start_age}, {scenario.retirement_filing_status}, "
          f"{scenario.withdrawal_order}, conversions to the top of {scenario.conversion_bracket}")
    if main.first_age > scenario.retirement_age:
        print(f"Note: the schedule runs to age {main.first_age - 1} ({main.first_year - 1}), past retirement age "
              f"{scenario.retirement_age}: retirement starts the year after it (shorten scenario.years to retire "
              "earlier).")
    rows = []
    for row in main.rows:
        values = dict(row, pretax=row["income_pretax"] - row["rmd"])
        rows.append(tuple(str(values[k]) if k in ("year", "age") else money(round(values[k]))
                          for k, _ in SHOWN))
    print_table(rows, tuple(label for _, label in SHOWN))
    print()
    summary = [("", "lifetime federal tax", "wealth after tax", "money runs out", "tax-free share")]
    for case, p in cases.items():
        summary.append((LABELS[case], money(round(p.lifetime_tax)), money(round(p.wealth_after_tax)),
                        str(p.run_out_year) if p.run_out_year else "never", f"{p.tax_free_share:.0%}"))
    print_table(summary[1:], summary[0])
    print("Federal tax only: no state tax, IRMAA or §86 test (a fixed taxable share of other income).")
    print(DISCLAIMER)
    return 0
