"""Command-line interface: ``megabackdoor <command> ...``.

Each command lives in its own module ``<name>_cmd.py`` in this package with ``ORDER`` (an int, for --help),
``add_parser(subparsers)`` and ``run(args) -> int``; modules are discovered, so adding a command touches no
shared file. Bad input exits with code 2 and one line on stderr naming the argument.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from ..errors import InputError


def command_modules() -> list:
    """The ``*_cmd`` modules of this package, in their ``ORDER``."""
    modules = [importlib.import_module(f"{__name__}.{info.name}")
               for info in pkgutil.iter_modules(__path__) if info.name.endswith("_cmd")]
    return sorted(modules, key=lambda module: (module.ORDER, module.__name__))


class _Parser(argparse.ArgumentParser):
    """Usage errors on one line (exit 2), so scripts and users see just what was wrong."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from .. import DISCLAIMER, __version__

    parser = _Parser(
        prog="megabackdoor",
        description="Plan the mega-backdoor Roth: after-tax 401(k) room under IRC §415(c), conversion "
                    f"tax and planning workbooks. {DISCLAIMER}",
    )
    parser.add_argument("--version", action="version", version=f"megabackdoor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in command_modules():
        command = module.add_parser(sub)
        command.set_defaults(handler=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["plan", *(argv or [])])
    try:
        return int(args.handler(args) or 0)
    except InputError as error:
        print(f"megabackdoor {args.command}: error: {error}", file=sys.stderr)
        return 2
    except FileExistsError as error:
        print(f"megabackdoor {args.command}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
