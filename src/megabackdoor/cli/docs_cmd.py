"""``megabackdoor docs``: regenerate udf_docs/ (one Markdown page per worksheet function, plus an index)."""

from __future__ import annotations

import argparse
import os

ORDER = 90
DEFAULT_DIR = "udf_docs"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser("docs", help="regenerate the worksheet-function reference (udf_docs/)",
                            description="Write one Markdown page per Excel worksheet function and an index, "
                                        "generated from the function registry. Pages no longer generated are "
                                        "removed.")
    parser.add_argument("--out", default=DEFAULT_DIR, help=f"output folder (default {DEFAULT_DIR})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 and list the pages that are stale")
    return parser


def stale_pages(folder: str, pages: dict[str, str]) -> list[str]:
    """Pages that differ from ``pages`` (missing, changed or no longer generated)."""
    present = {name for name in os.listdir(folder) if name.endswith(".md")} if os.path.isdir(folder) else set()
    stale = sorted(present - set(pages))
    for name, text in pages.items():
        path = os.path.join(folder, name)
        if name not in present:
            stale.append(name)
            continue
        with open(path, encoding="utf-8") as handle:
            if handle.read() != text:
                stale.append(name)
    return stale


def run(args: argparse.Namespace) -> int:
    from ..excel.docs import render

    pages = render()
    stale = stale_pages(args.out, pages)
    if args.check:
        for name in stale:
            print(f"stale: {os.path.join(args.out, name)}")
        return 1 if stale else 0
    os.makedirs(args.out, exist_ok=True)
    for name in stale:
        path = os.path.join(args.out, name)
        if name in pages:
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(pages[name])
        else:
            os.remove(path)
    print(f"{args.out}: {len(pages)} pages, {len(stale)} written or removed")
    return 0
