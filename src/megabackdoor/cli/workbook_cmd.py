"""``megabackdoor workbook``: build a live-formula planning workbook from a scenario (or the stock templates)."""

from __future__ import annotations

import argparse
import os

ORDER = 60
TEMPLATES_DIR = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, "workbook_templates")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "workbook", help="write a planning workbook (.xlsx) of live formulas",
        description="Build the planning workbook (Inputs, Limits, Schedule, Summary, Sources & notes) from a "
                    "scenario TOML file, or from the built-in default (the article's 2026 case). Every number is "
                    "a native formula; an existing file is kept unless --force is given; a scenario with an "
                    "error writes nothing.")
    parser.add_argument("scenario", nargs="?", help="scenario TOML file (default: the built-in default)")
    parser.add_argument("-o", "--output", help="the .xlsx file to write")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument("--templates", action="store_true",
                        help="regenerate every stock workbook: <dir>/<name>.xlsx from each <dir>/<name>.toml, "
                             "plus the paycheck planner and the ACP census template")
    parser.add_argument("--templates-dir", default=TEMPLATES_DIR,
                        help="folder of the stock templates (default: the repository's workbook_templates/)")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..scenario import default_scenario, load
    from ..workbook import acp_template, paychecks, plan, render

    if args.templates:
        if args.scenario or args.output:
            raise InputError("--templates", "with a scenario or -o", "--templates alone (it writes every "
                             "<name>.xlsx next to its <name>.toml)")
        folder = os.path.normpath(args.templates_dir)
        sources = sorted(name for name in os.listdir(folder) if name.endswith(".toml")) if os.path.isdir(
            folder) else []
        if not sources:
            raise InputError("--templates-dir", folder, "a folder with scenario .toml files")
        # Build every workbook first: one bad scenario writes nothing at all.
        books = [(os.path.join(folder, name[:-5] + ".xlsx"), plan.build(load(os.path.join(folder, name))))
                 for name in sources]
        # The stock workbooks that are not planning scenarios: the paycheck planner and the ACP census.
        books.append((os.path.join(folder, "paychecks.xlsx"), paychecks.build(**paychecks.DEFAULT_CASE)))
        books.append((os.path.join(folder, "acp-census.xlsx"), acp_template.build(acp_template.DEFAULT_ROWS)))
        if not args.force:
            existing = [path for path, _ in books if os.path.exists(path)]
            if existing:
                raise FileExistsError(f"{existing[0]} already exists; pass --force to overwrite it")
        for path, book in books:
            render.save(book, path, force=args.force)
            print(f"wrote {os.path.relpath(path)}")
        return 0
    if not args.output:
        raise InputError("-o/--output", None, "the .xlsx file to write, e.g. -o plan.xlsx")
    if not args.output.lower().endswith(".xlsx"):
        raise InputError("-o/--output", args.output, "a file name ending in .xlsx")
    scenario = load(args.scenario) if args.scenario else default_scenario()
    path = plan.write(scenario, args.output, force=args.force)
    print(f"wrote {path}: {scenario.years} years from {scenario.start_year} ({scenario.name}). "
          "Educational, not individual tax advice.")
    return 0
