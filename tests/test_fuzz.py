"""Fuzz tier, command line and files: hostile values, so the next break is caught here first.

* every CLI command x each of its options (discovered from the parser) x hostile values, one option at a time
  from a valid command line, plus hypothesis-drawn combinations of several;
* drawn mutations of a scenario TOML file and of a census CSV.

The worksheet functions have their half in tests/test_fuzz_cells.py (a separate file, so xdist's loadfile
runs the two halves on two workers).

Properties: a valid base command line exits 0; with a hostile value the exit code is 0 or 2 (1 only for
``docs --check``); on 2 exactly one stderr line, the error, that starts with an option of that command (or a
path, or the argument named in the command's own words); no non-finite number in any output; no file changed
on error; a scenario or census either loads and runs or gives one InputError.

Bounded time, fixed draws: the sweeps are deterministic and hypothesis runs under the ``ci`` profile
(derandomized, tests/conftest.py); ``HYPOTHESIS_PROFILE=deep`` draws ten times more. COUNTS records how many
inputs each part tried (``pytest -s -n0 tests/test_fuzz.py``: the last test prints them).
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from _fuzz import all_hold, finite
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from megabackdoor.cli import build_parser, main
from megabackdoor.errors import InputError

pytestmark = pytest.mark.slow  # thousands of runs: seconds, not the edit-test loop
ROOT = Path(__file__).resolve().parent.parent
STOCK = ROOT / "workbook_templates" / "default-plan.toml"
COUNTS: dict[str, int] = {}

CENSUS = """Employee ID,Compensation,Prior Year Compensation,5% Owner,Eligible,Match,After-Tax,Deferrals,Age
H,200000,200000,N,Y,7500,10000,24500,55
B,150000,200000,N,Y,3000,5000,12000,40
N1,100000,100000,N,Y,2000,0,4000,30
N2,60000,60000,N,Y,1000,1000,2000,45
"""

# Values a careless or hostile user types. Numbers that parse (so they reach the engines), text that does not,
# dates that almost are, and paths that cannot be written.
NUMBERS = ["nan", "inf", "-inf", "1e308", "-1e308", "1e-308", "5e-324", "1e26", "1e15", "-1", "0", "0.5", "100",
           "2026", "-0", "1e-14"]
TEXTS = ["", " ", "x", "1,000", "1_000", "0x10", "\uff11\uff12", "10%", "$5", "TRUE", "None", "2026-01-02xyz",
         "2026-W03-4", "2026-13-45", "\u202e", "a" * 300, "-", "--", "1e", ":", "0:0", "2026-03-13:1e308",
         "0.5:0.06:x", "FIELD=", "=x", "\x1b[31m", "nul\x00"]
PATHS = [".", "/", "missing/dir/out.xlsx", "a" * 300 + ".xlsx", "/dev/full", "folder", "dangling.xlsx",
         "scenario.toml", "census.csv"]
HOSTILE = NUMBERS + TEXTS + PATHS

BASES = {
    "init": ["init", "client.toml"],
    "plan": ["plan", "scenario.toml"],
    "limits": ["limits", "--year", "2026"],
    "headroom": ["headroom", "--year", "2026", "--age", "35", "--deferral", "24500", "--employer", "9000"],
    "conversion-tax": ["conversion-tax", "--amount", "10000", "--basis", "5000", "--rate", "0.24"],
    "rollover-split": ["rollover-split", "--balance", "50000", "--basis", "45000"],
    "schedule": ["schedule", "scenario.toml"],
    "retire": ["retire", "scenario.toml"],
    "backdoor-pro-rata": ["backdoor-pro-rata", "--converted", "7000", "--basis", "7000", "--year-end-balance",
                          "0"],
    "workbook": ["workbook", "scenario.toml", "-o", "out.xlsx"],
    "compare": ["compare", "--amount", "38500", "--years", "20", "--return", "0.07"],
    # Elections given: the year is simulated, not solved (the worksheet sweep's DEFERRAL_ELECTION and
    # AFTER_TAX_ELECTION drive the solver; its speed is bench/'s business).
    "paycheck": ["paycheck", "--first-pay-date", "2026-01-02", "--frequency", "biweekly", "--pay", "5000",
                 "--age", "40", "--match", "0.5:0.06", "--deferral", "0.1", "--after-tax", "0.05"],
    "acp": ["acp", "census.csv", "--year", "2025", "--no-progress"],
    "docs": ["docs", "--out", "docs"],
    "nondiscrimination": ["nondiscrimination", "census.csv", "--year", "2025", "--no-progress"],
}
SKIPPED_FLAGS = {"--templates"}  # rewrites the repository's workbook_templates/: covered by its own tests
NON_FINITE = re.compile(r"(?<![A-Za-z])(-?inf|nan|Infinity|NaN)(?![A-Za-z])")
# How a refusal may start besides an option of the command: argparse's own forms, the command's positional
# arguments, a path (an OS error), standard output, a census cell.
GENERIC_STARTS = ("argument ", "the following arguments are required", "unrecognized arguments",
                  "cannot write to standard output", "standard output is closed", "row ", "census", "scenario",
                  "path", "inputs")


@functools.cache
def _commands() -> dict:
    """Each command's subparser, from one parser built once per process: building one costs ~25 ms, and the
    checks ask for a command's options on every run (a parser built per call was 60% of this file's time)."""
    return build_parser().get_default("commands")


@functools.cache
def _options(command: str) -> tuple:
    return tuple(action for action in _commands()[command]._actions
                 if action.option_strings and action.dest not in ("help",)
                 and not SKIPPED_FLAGS & set(action.option_strings))


class Sandbox:
    """A folder to run commands in: a scenario, a census, a folder, a dangling symlink; reset after each run."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="megabackdoor-fuzz-"))
        shutil.copy(STOCK, self.root / "scenario.toml")
        (self.root / "census.csv").write_text(CENSUS)
        (self.root / "folder").mkdir()
        (self.root / "dangling.xlsx").symlink_to(self.root / "nowhere")
        self.pristine = self.snapshot()

    def snapshot(self) -> dict:
        state = {}
        for path in self.root.rglob("*"):
            info = path.lstat()
            state[str(path.relative_to(self.root))] = (info.st_size, info.st_mtime_ns)
        return state

    def reset(self) -> None:
        for name in set(self.snapshot()) - set(self.pristine):
            path = self.root / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists() or path.is_symlink():
                path.unlink()

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def sandbox():
    import megabackdoor.cli as cli

    box = Sandbox()
    here = os.getcwd()
    os.chdir(box.root)
    # One parser for the thousands of runs (building it is most of a refused run's cost; parsing leaves it as
    # it was).
    parser = cli.build_parser()
    real, cli.build_parser = cli.build_parser, lambda: parser
    try:
        yield box
    finally:
        cli.build_parser = real
        os.chdir(here)
        box.close()


def run_cli(box: Sandbox, argv: list[str]) -> int:
    """Run one command line in the sandbox, check every property and return the exit code."""
    try:
        return _run_cli(box, argv)
    finally:
        box.reset()


def _run_cli(box: Sandbox, argv: list[str]) -> int:
    before = box.snapshot()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
    COUNTS["cli"] = COUNTS.get("cli", 0) + 1
    stdout, stderr = out.getvalue(), err.getvalue()
    shown = f"{argv!r}\nstdout: {stdout[-500:]}\nstderr: {stderr[-500:]}"
    allowed = (0, 1, 2) if argv[0] == "docs" and "--check" in argv else (0, 2)
    assert code in allowed, shown
    assert "Traceback" not in stderr, shown
    echoed = stdout
    for token in argv:  # a value the user typed may be echoed ("report written to nan"): not a result
        echoed = echoed.replace(token.split("=", 1)[-1], "")
    assert not NON_FINITE.search(echoed), shown
    if code == 2:
        lines = stderr.strip().splitlines()
        errors = [line for line in lines if ": error: " in line]
        assert len(lines) == 1 and errors == lines, shown
        assert box.snapshot() == before, "files changed on error: " + shown
        _names_what_was_typed(argv, errors[0].split(": error: ", 1)[1], shown)
    return code


def _names_what_was_typed(argv: list[str], message: str, shown: str) -> None:
    """The message starts with an option of the command, or one of the generic starts, or a path."""
    command = _commands().get(argv[0])
    options = {o for a in command._actions for o in a.option_strings} if command else set()
    head = message.split(":", 1)[0].split(" ", 1)[0].split("[", 1)[0]
    if head in options or all(part in options for part in head.split("/")):
        return
    if message.startswith(GENERIC_STARTS) or head.startswith(("/", ".")) or os.path.lexists(head):
        return
    given = [token.split("=", 1)[-1] for token in argv[1:]]
    if any(message.startswith(value) for value in given if len(value) > 2):
        return  # a path or scenario file the user gave, e.g. "scenario.toml: pay.salary: got ..."
    raise AssertionError(f"the message names neither an option of {argv[0]} nor a path: {shown}")


def _with(base: list[str], action, value: str | None) -> list[str]:
    """``base`` with ``action`` set to ``value`` (a flag when None); replaces an option already there."""
    argv = list(base)
    for option in action.option_strings:
        if option in argv and action.nargs != 0:
            index = argv.index(option)
            del argv[index:index + 2]
    if value is None:
        return [*argv, action.option_strings[-1]]
    # --opt=value keeps a value that starts with "-" a value, as a user would have to type it.
    return [*argv, f"{action.option_strings[-1]}={value}"]


@pytest.mark.parametrize("command", sorted(BASES))
def test_every_option_of_every_command_with_hostile_values(sandbox, command):
    assert set(BASES) == set(_commands()), "a new command needs a valid base command line here"
    base = BASES[command]
    lines = [base]
    for index, action in enumerate(_options(command)):
        if action.nargs == 0:
            lines.append(_with(base, action, None))
        else:
            lines += [_with(base, action, value) for value in _values_for(action, index)]
    assert run_cli(sandbox, base) == 0, f"the valid base command line {base} must run"
    all_hold(lambda argv: run_cli(sandbox, argv), lines)


def _values_for(action, index: int) -> list[str]:
    """A number option gets every hostile number (they reach the engines) and a turn of the text and path
    values (refused by the same number reader on every option); any other option gets every text and path and
    a turn of the numbers. Over all options every value is tried."""
    from megabackdoor.cli import _common

    numeric = action.type in (_common.number, _common.whole, int, float)
    many, few = (NUMBERS, TEXTS + PATHS) if numeric else (TEXTS + PATHS, NUMBERS)
    turn = [few[(index * 4 + k) % len(few)] for k in range(4)]
    return many + turn


@settings(max_examples=scaled(120), suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                            HealthCheck.too_slow])
@given(st.data())
def test_drawn_combinations_of_hostile_options(sandbox, data):
    command = data.draw(st.sampled_from(sorted(name for name in BASES if _options(name))))
    argv = list(BASES[command])
    for _ in range(data.draw(st.integers(1, 3))):
        action = data.draw(st.sampled_from(_options(command)))
        value = None if action.nargs == 0 else data.draw(st.sampled_from(HOSTILE))
        argv = _with(argv, action, value)
    run_cli(sandbox, argv)


# ------------------------------------------------------------------------------------------- file mutations
TOML_VALUES = ["-1", "1e308", "-1e308", "nan", "inf", "1e-308", "0", "1e26", '""', '"x"', "true", "[]", "{}",
               "[[1, 2]]", '"\\u0000"', '"""a\nb"""', "1979-05-27", "0x7f", "2026-01-02T00:00:00", "'max'",
               '"MAX"', "[{rate = 1e308, up_to = 0.06}]", "[{rate = 0.5}]"]


@settings(max_examples=scaled(200), suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_drawn_scenario_mutations(data):
    from megabackdoor.scenario import loads
    from megabackdoor.schedule import schedule_rows

    lines = STOCK.read_text().splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        how = data.draw(st.sampled_from(["value", "delete", "duplicate", "bytes", "nest", "truncate"]))
        line = lines[index]
        if how == "value" and "=" in line:
            key = line.split("=", 1)[0]
            lines[index] = f"{key}= {data.draw(st.sampled_from(TOML_VALUES))}"
        elif how == "delete":
            del lines[index]
        elif how == "duplicate":
            lines.insert(index, line)
        elif how == "bytes":
            lines[index] = line[:data.draw(st.integers(0, len(line)))] + data.draw(st.text(max_size=4))
        elif how == "nest":
            depth = data.draw(st.sampled_from([2, 50, 600]))
            lines.insert(index, "x = " + "[" * depth + "]" * depth)
        elif how == "truncate":
            lines = lines[:index]
        if not lines:
            lines = [""]
    text = "\n".join(lines) + "\n"
    COUNTS["toml"] = COUNTS.get("toml", 0) + 1
    try:
        scenario = loads(text)
    except InputError:
        return
    rows = schedule_rows(scenario)
    for row in rows:
        assert finite([v for v in row.values() if isinstance(v, float)]), (text, row)


CENSUS_CELLS = ["", " ", "-1", "1e308", "1e26", "nan", "inf", "TRUE", "x", "$5", "1,000", "Y", "N", "2", "0.5",
                "=1+1", "\x00", "\u202e", '"', "100000000"]


@settings(max_examples=scaled(100), suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_drawn_census_mutations(data):
    from megabackdoor.acp import run_acp
    from megabackdoor.census import read_census

    rows = [line.split(",") for line in CENSUS.strip().splitlines()]
    for _ in range(data.draw(st.integers(1, 4))):
        row = data.draw(st.integers(0, len(rows) - 1))
        column = data.draw(st.integers(0, len(rows[row]) - 1))
        rows[row][column] = data.draw(st.sampled_from(CENSUS_CELLS))
    if data.draw(st.booleans()):
        del rows[data.draw(st.integers(1, len(rows) - 1))][-1]  # a short row
    text = "\n".join(",".join(row) for row in rows) + "\n"
    COUNTS["census"] = COUNTS.get("census", 0) + 1
    try:
        census = read_census(io.StringIO(text))
        report = run_acp(census, 2025)
    except InputError:
        return
    assert finite([v for v in report.to_dict().values() if isinstance(v, float)]), text


def test_counts():
    """Run last (pytest -s -k 'fuzz'): how many inputs each part tried in this process."""
    print("\nfuzz inputs tried:", COUNTS, "total", sum(COUNTS.values()))
