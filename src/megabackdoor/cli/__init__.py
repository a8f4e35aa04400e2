"""Command-line interface: ``megabackdoor <command> ...``.

Each command lives in its own module ``<name>_cmd.py`` in this package with ``ORDER`` (an int, for --help),
``add_parser(subparsers)`` and ``run(args) -> int``; modules are discovered, so adding a command touches no
shared file. Bad input exits with code 2 and one line on stderr naming the argument.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from ..errors import InputError, _show


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
        command.set_defaults(handler=module.run, command_parser=command,
                             engine_names=getattr(module, "ENGINE_NAMES", {}))
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
    prog = f"megabackdoor {args.command}"
    problem = _unusable_value(args, sys.argv[1:] if argv is None else argv)
    if problem:
        return _fail(prog, problem)
    if sys.stdout is None:  # started with stdout closed (``>&-``): nothing could be shown
        return _fail(prog, "standard output is closed; nothing can be printed (redirect it to a file or "
                           "/dev/null)")
    from ._common import NOTES

    stdout = sys.stdout
    sys.stdout = _Stdout(stdout)  # type: ignore[assignment]
    NOTES.clear()
    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()  # a full disk or pipe shows here, as one line, not at interpreter exit
        if code == 0:
            for note in NOTES:
                print(note, file=sys.stderr)
        return code
    except InputError as error:
        return _fail(prog, in_user_terms(error, args, sys.argv[1:] if argv is None else argv))
    except FileExistsError as error:
        return _fail(prog, str(error) if error.filename is None else _os_reason(error))
    except BrokenPipeError:  # e.g. piped into head
        _silence_stdout()
        return 0
    except OSError as error:  # an output or input path that cannot be used: one line naming it and why
        if error.filename == _STDOUT:
            _silence_stdout()
            return _fail(prog, f"cannot write to standard output: {error.strerror or error}")
        return _fail(prog, _os_reason(error))
    finally:
        sys.stdout = stdout
        NOTES.clear()


_STDOUT = "<stdout>"


class _Stdout:
    """sys.stdout for a command: an OSError writing it names standard output (a full disk, a closed pipe)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OSError(error.errno, error.strerror or str(error), _STDOUT) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OSError(error.errno, error.strerror or str(error), _STDOUT) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def in_user_terms(error: InputError, args: argparse.Namespace, argv: list[str]) -> str:
    """The message naming the option the user typed (``--pay``, not the engine's ``pay_per_period``) and the
    value as typed (``1e26``), when the engine's argument is an option of this command."""
    name = error.argument
    if name.startswith("-") or not hasattr(args, "command_parser"):
        return str(error)
    aliases = args.engine_names
    action = None
    # "match_tiers[1] up_to" is an item of match_tiers: try the name, then what comes before "[" or a space.
    rest = ""
    for spelling in dict.fromkeys((name, name.split("[", 1)[0], name.split(" ", 1)[0])):
        key = aliases.get(spelling, spelling)
        if callable(key):
            key = key(args)
        action = next((candidate for candidate in args.command_parser._actions
                       if key == candidate.dest or key in candidate.option_strings), None)
        if action is not None:
            rest = name[len(spelling):]  # "[1] up_to" of "match_tiers[1] up_to": an item, kept
            break
    if action is None:
        return str(error)
    option = max(action.option_strings, key=len) if action.option_strings else action.dest
    value = error.value
    given = _typed(action, argv) if action.option_strings and not rest else []
    # A repeated option (--bonus): the text only when it was given once, else which one is unknown.
    typed = given[-1] if given and (len(given) == 1 or not isinstance(action, argparse._AppendAction)) else None
    shown = _show(value) if typed is None else typed if _is_number(typed) else repr(typed)
    message = f"{option}{rest}: got {shown}; expected {error.accepted}"
    return message + (f" ({error.hint})" if error.hint else "")


def _typed(action: argparse.Action, argv: list[str]) -> list[str]:
    """The texts given for ``action`` on the command line, in order."""
    found = []
    for index, token in enumerate(argv):
        for option in action.option_strings:
            if token == option and action.nargs != 0 and index + 1 < len(argv):
                found.append(argv[index + 1])
            elif token.startswith(option + "="):
                found.append(token[len(option) + 1:])
    return found


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").replace("_", ""))
    except ValueError:
        return False
    return True


def _unusable_value(args: argparse.Namespace, argv: list[str]) -> str | None:
    """A value no file name or option can hold (a NUL character), or argparse's quirk of reading
    ``--opt=--`` as an empty list: one line instead of a traceback further on."""
    for index, token in enumerate(argv):
        if "\x00" in token:
            option, value = "argument", token
            if token.startswith("-") and "=" in token:
                option, value = token.split("=", 1)
            elif index and argv[index - 1].startswith("-"):
                option = argv[index - 1]
            return f"{option}: got {value!r}; expected text without a NUL character"
    parser = getattr(args, "command_parser", None)
    for action in parser._actions if parser else ():
        value = getattr(args, action.dest, None)
        if isinstance(action, argparse._AppendAction):  # its default [] is no value given
            empty = isinstance(value, list) and [] in value
        else:
            empty = value == []
        if action.nargs is None and action.option_strings and empty:
            return f"{max(action.option_strings, key=len)}: got '--'; expected a value"
    return None


def _fail(prog: str, message: str) -> int:
    if sys.stderr is not None:
        print(f"{prog}: error: {message}", file=sys.stderr)
    return 2


def _os_reason(error: OSError) -> str:
    """'out/plan.xlsx: Permission denied': the path and the reason, no errno or traceback."""
    reason = error.strerror or str(error)
    if error.filename is None:
        return reason
    where = os.fspath(error.filename)
    return f"{where}: {reason}" + (f" (-> {os.fspath(error.filename2)})" if error.filename2 else "")


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
