"""``megabackdoor init``: write a complete, commented scenario file to fill in (generated from scenario.FIELDS)."""

from __future__ import annotations

import argparse

ORDER = 5


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "init", help="write a commented scenario file to fill in (start here for a client)",
        description="Write a scenario TOML file with every key, its unit, its accepted values and its default, "
                    "grouped as the workbook's Inputs sheet groups them. The facts about the client and the "
                    "plan (birth year, salary, deferral policy, employer match) are marked REQUIRED: the file "
                    "is refused, naming them, until they are filled in. Then: megabackdoor plan FILE, "
                    "megabackdoor workbook FILE -o plan.xlsx. Reference: udf_docs/scenario.md.")
    parser.add_argument("path", help="the .toml file to write (- for stdout)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def run(args: argparse.Namespace) -> int:
    import sys

    from ..errors import InputError
    from ..files import atomic_write
    from ..scenario import REQUIRED
    from ..scenario_docs import template

    text = template()
    if args.path == "-":
        sys.stdout.write(text)
        return 0
    if not args.path.lower().endswith(".toml"):
        raise InputError("path", args.path, "a file name ending in .toml, e.g. client.toml")
    # The project's one writer: atomic, no-clobber by os.link (a symlink at the target counts as existing),
    # nothing left behind on error, OS errors naming the path.
    atomic_write(args.path, lambda stream: stream.write(text.encode("utf-8")), force=args.force)
    print(f"wrote {args.path}: fill in the REQUIRED keys ({', '.join(REQUIRED)}), then "
          f"`megabackdoor plan {args.path}`")
    return 0
