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
    parser.set_defaults(commands=sub.choices)
    return parser


def _unrecognized(extras: list[str], command: argparse.ArgumentParser | None) -> str:
    """"unrecognized arguments: --deferal 5 (did you mean --deferral?)": the closest options of the command."""
    import difflib

    message = f"unrecognized arguments: {' '.join(extras)}"
    if command is None:
        return message
    options = [option for action in command._actions for option in action.option_strings if option.startswith("--")]
    guesses = []
    for token in extras:
        if token.startswith("-") and not _is_number(token):
            guesses += difflib.get_close_matches(token.split("=", 1)[0], options, n=1, cutoff=0.6)
    if guesses:
        message += f" (did you mean {' / '.join(dict.fromkeys(guesses))}?)"
    return message


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _mistyped_options(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """Before argparse (which would first complain about a missing required option): an option the command
    does not know, with the closest one it does."""
    commands = parser.get_default("commands")
    name = next((token for token in argv if not token.startswith("-")), None)
    command = commands.get(name)
    if command is None:
        return
    options = [option for action in command._actions for option in action.option_strings]
    unknown = [token for token in argv if token.startswith("--") and token != "--"
               and not any(option.startswith(token.split("=", 1)[0]) for option in options)]
    if unknown:
        command.error(_unrecognized(unknown, command))


def _parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    _mistyped_options(parser, sys.argv[1:] if argv is None else argv)
    args, extras = parser.parse_known_args(argv)
    if extras:
        parser.error(_unrecognized(extras, args.commands.get(args.command)))
    return args


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = _parse(parser, argv)
    if args.command is None:
        args = _parse(parser, ["plan", *(argv or [])])
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
