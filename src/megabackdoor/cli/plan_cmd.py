"""``megabackdoor plan``: the main job on the built-in default scenario (the article's worked example)."""

from __future__ import annotations

import argparse

from .. import DISCLAIMER
from ..headroom import backdoor_ira_limit, conversion_path, headroom_breakdown, total_401k_limit
from ._common import money, print_table

# The article's case: 2026, age 35, $24,500 deferral + $9,000 employer money.
DEFAULT_CASE = {"year": 2026, "age": 35, "deferral": 24500, "employer": 9000}


ORDER = 10


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    return sub.add_parser("plan", help="the built-in default scenario (the article's worked example)",
                          description="Run the planner on the built-in default scenario.")


def run(args: argparse.Namespace) -> int:
    case = DEFAULT_CASE
    result = headroom_breakdown(case["year"], case["age"], case["deferral"], case["employer"])
    ira = backdoor_ira_limit(case["year"], case["age"])
    print(f"Default scenario: {case['year']}, age {case['age']}, deferral {money(case['deferral'])}, "
          f"employer {money(case['employer'])}")
    print_table([
        ("§415(c) limit", money(result.limit_415c)),
        ("total with catch-up for this age", money(total_401k_limit(case["year"], case["age"]))),
        ("after-tax (mega-backdoor) room", money(result.after_tax_room)),
        ("regular backdoor IRA limit", money(ira)),
        ("mega-backdoor / backdoor IRA", f"{result.after_tax_room / ira:.1f}x"),
        ("conversion path (all plan features)", conversion_path(True, True, True)),
    ])
    print(DISCLAIMER)
    return 0
