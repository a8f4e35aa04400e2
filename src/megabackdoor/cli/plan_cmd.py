"""``megabackdoor plan``: the headline numbers of a scenario file's first year (default: the built-in default
scenario, the article's worked example), and which defaults they use."""

from __future__ import annotations

import argparse

from .. import DISCLAIMER
from ._common import money, print_table

ORDER = 10


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "plan", help="headline numbers of a scenario's first year (default: the built-in default scenario)",
        description="The first year of a scenario TOML file (default: the built-in default scenario, the "
                    "article's 2026 case): limits, after-tax room, the conversion path, and the defaults the "
                    "numbers use. `megabackdoor init client.toml` writes a scenario to fill in.")
    parser.add_argument("scenario", nargs="?", help="scenario TOML file (default: the built-in default)")
    return parser


def run(args: argparse.Namespace) -> int:
    import os

    from ..headroom import after_tax_room, backdoor_ira_limit, total_401k_limit
    from ..scenario import default_scenario, defaults_line, load
    from ..schedule import conversion_path, schedule_rows

    scenario = load(args.scenario) if args.scenario else default_scenario()
    first = schedule_rows(scenario)[0]
    year, age = first["year"], first["age"]
    ira = backdoor_ira_limit(year, age, scenario.inflation)
    without_employer = after_tax_room(year, age, first["deferral"], 0.0, first["compensation"],
                                      inflation=scenario.inflation)
    print(f"{scenario.name}: {year}, age {age}, pay {money(first['compensation'])}, deferral "
          f"{money(first['deferral'])}, employer {money(first['employer'])}")
    print_table([
        ("§415(c) limit", money(first["limit_415c"])),
        ("total with catch-up for this age", money(total_401k_limit(year, age, inflation=scenario.inflation))),
        ("after-tax (mega-backdoor) room", money(first["after_tax_room"])),
        ("  with no employer money", money(without_employer)),
        ("regular backdoor IRA limit", money(ira)),
        ("mega-backdoor / backdoor IRA", f"{first['after_tax_room'] / ira:.1f}x"),
        ("conversion path (plan features)", conversion_path(scenario)),
    ])
    line = defaults_line(scenario, skip=("retirement",))  # the first year's numbers use no retirement key
    print(line[0].upper() + line[1:])
    source = f"{args.scenario} " if args.scenario else ""
    target = os.path.splitext(os.path.basename(args.scenario))[0] + ".xlsx" if args.scenario else "plan.xlsx"
    print(f"The {scenario.years}-year plan as a live-formula workbook: megabackdoor workbook {source}-o {target}")
    print(DISCLAIMER)
    return 0
