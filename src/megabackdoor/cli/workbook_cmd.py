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
                    "error writes nothing. Several scenarios (files, or folders of .toml files) with --out-dir "
                    "write one workbook each, <name>.xlsx, in parallel with a progress bar; nothing is written "
                    "unless every scenario is valid.")
    parser.add_argument("scenario", nargs="*", help="scenario TOML file (default: the built-in default); with "
                                                    "--out-dir, any number of files or folders")
    parser.add_argument("-o", "--output", help="the .xlsx file to write")
    parser.add_argument("--out-dir", help="write <scenario name>.xlsx here for each scenario (created if missing)")
    parser.add_argument("--jobs", type=int, default=0,
                        help="processes for --out-dir (default: one per CPU, at most one per scenario)")
    parser.add_argument("--pdf", metavar="PDF",
                        help="also print the recalculated workbook to this PDF (needs LibreOffice); without -o, "
                             "only the PDF is written")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument("--templates", action="store_true",
                        help="regenerate every stock workbook: <dir>/<name>.xlsx from each <dir>/<name>.toml, "
                             "plus the paycheck planner and the ACP census template")
    parser.add_argument("--templates-dir",
                        help="folder of the stock templates (default: ./workbook_templates when it exists, as in "
                             "a clone of the repository, else the repository's own)")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..scenario import default_scenario, load
    from ..workbook import acp_template, paychecks, plan, render
    from ._common import say_defaults

    if args.templates:
        if args.scenario or args.output:
            raise InputError("--templates", "with a scenario or -o", "--templates alone (it writes every "
                             "<name>.xlsx next to its <name>.toml)")
        folder = os.path.normpath(args.templates_dir or (
            "workbook_templates" if os.path.isdir("workbook_templates") else TEMPLATES_DIR))
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
        render.refuse_existing([path for path, _ in books], args.force)
        for path, book in books:
            render.save(book, path, force=args.force)
            print(f"wrote {os.path.relpath(path)}")
        return 0
    if args.pdf and (args.out_dir or args.templates):
        raise InputError("--pdf", args.pdf, "one scenario (with or without -o), not --out-dir or --templates")
    if args.out_dir:
        return _batch(args)
    if len(args.scenario) > 1:
        raise InputError("scenario", " ".join(args.scenario), "one scenario with -o, or several with --out-dir")
    if not args.output and not args.pdf:
        raise InputError("-o/--output", None, "the .xlsx file to write, e.g. -o plan.xlsx (or --pdf plan.pdf)")
    if args.output and not args.output.lower().endswith(".xlsx"):
        raise InputError("-o/--output", args.output, "a file name ending in .xlsx")
    if args.output:  # a target that cannot be written is refused before any work (and any note)
        render.refuse_existing([args.output], args.force)
    scenario = load(args.scenario[0]) if args.scenario else default_scenario()
    say_defaults(scenario, args.scenario[0] if args.scenario else None)
    if args.pdf:
        from ..workbook import pdf

        book = plan.build(scenario)  # a scenario the engine refuses writes nothing
        try:
            written = pdf.write_with_pdf(lambda path, force: render.save(book, path, force), args.output,
                                         args.pdf, args.force)
        except pdf.PdfError as error:
            return pdf.report(args.command, error)
        path = f"{args.output} and {written}" if args.output else written
    else:
        path = plan.write(scenario, args.output, force=args.force)
    print(f"wrote {path}: {scenario.years} years from {scenario.start_year} ({scenario.name}). "
          "Educational, not individual tax advice.")
    return 0


def _batch(args: argparse.Namespace) -> int:
    import sys

    from ..errors import InputError
    from ..scenario import load
    from ._common import say_defaults
    from .workbook_batch import write_many

    if args.output:
        raise InputError("-o/--output", args.output, "no -o with --out-dir (each workbook is named after its "
                         "scenario file)")
    if not args.scenario:
        raise InputError("scenario", None, "one or more scenario files or folders with --out-dir")
    if args.jobs < 0:
        raise InputError("--jobs", args.jobs, "a number of processes, 1 or more (0: one per CPU)")
    sources: list[str] = []
    for item in args.scenario:
        if os.path.isdir(item):
            found = sorted(os.path.join(item, name) for name in os.listdir(item) if name.endswith(".toml"))
            if not found:
                raise InputError("scenario", item, "a folder holding .toml scenario files")
            sources += found
        else:
            sources.append(item)
    targets: dict[str, str] = {}
    for source in sources:
        name = os.path.splitext(os.path.basename(source))[0] + ".xlsx"
        if name in targets:
            raise InputError("scenario", source, f"scenario files with different names ({targets[name]} also "
                             f"makes {name})")
        targets[name] = source
    scenarios = [load(source) for source in sources]  # every file read and checked before anything is written
    for source, scenario in zip(sources, scenarios, strict=True):
        say_defaults(scenario, source)
    paths = [os.path.join(args.out_dir, name) for name in targets]
    jobs = args.jobs or min(os.cpu_count() or 1, len(paths))
    written = write_many(scenarios, paths, force=args.force, workers=jobs, progress=sys.stderr.isatty(),
                              sources=sources)
    print(f"wrote {len(written)} workbooks to {args.out_dir}. Educational, not individual tax advice.")
    return 0
