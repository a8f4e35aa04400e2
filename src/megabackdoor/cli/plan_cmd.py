"""``megabackdoor plan``: the headline numbers of the built-in default scenario (the article's worked example)."""

from __future__ import annotations

import argparse

from .. import DISCLAIMER
from ._common import money, print_table

ORDER = 10


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    return sub.add_parser("plan", help="headline numbers of the built-in default scenario (the article's case)",
                          description="The first year of the built-in default scenario (scenario.default_scenario):"
                                      " limits, after-tax room and the conversion path.")


def run(args: argparse.Namespace) -> int:
    from ..headroom import after_tax_room, backdoor_ira_limit, total_401k_limit
    from ..scenario import default_scenario
    from ..schedule import conversion_path, schedule_rows

    scenario = default_scenario()
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
    print(f"The {scenario.years}-year plan as a live-formula workbook: megabackdoor workbook -o plan.xlsx")
    print(DISCLAIMER)
    return 0
