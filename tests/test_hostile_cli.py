"""Hostile and careless input at the command line and on disk: the exact line a user sees.

Output paths that cannot be written, full or closed stdout, messages that name the option typed, options that
were silently ignored, no-clobber that is atomic, stale temp files, ``docs --out`` that removes only its own
pages, and batches that write all their workbooks or none.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from megabackdoor.cli import main
from megabackdoor.workbook import render

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = str(ROOT / "workbook_templates" / "default-plan.toml")
PAYCHECK = ["paycheck", "--first-pay-date", "2026-01-02", "--frequency", "biweekly", "--age", "40"]
PAY_CEILING = "an amount from $0 to $1,000,000,000 (the ceiling for pay and contributions)"
BALANCE_CEILING = "an amount from $0 to $1,000,000,000,000 (the ceiling for balances and other amounts)"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def error_line(capsys, *argv: str) -> str:
    """The one line of a refused command (exit 2): stderr holds exactly this line (a scenario's "defaults
    used" note is shown only when the command succeeds)."""
    code, _, err = run(capsys, *argv)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and ": error: " in lines[0], err
    return lines[0]


# ----------------------------------------------------------------------------- amounts and the names typed
@pytest.mark.parametrize(("argv", "line"), [
    ([*PAYCHECK, "--pay", "1e26"], f"megabackdoor paycheck: error: --pay: got 1e26; expected {PAY_CEILING}"),
    ([*PAYCHECK, "--pay", "1e308"], f"megabackdoor paycheck: error: --pay: got 1e308; expected {PAY_CEILING}"),
    ([*PAYCHECK, "--pay", "5000", "--ytd-compensation", "1e308"],
     f"megabackdoor paycheck: error: --ytd-compensation: got 1e308; expected {PAY_CEILING}"),
    ([*PAYCHECK, "--pay", "5000", "--ytd-deferrals", "1e26"],
     f"megabackdoor paycheck: error: --ytd-deferrals: got 1e26; expected {PAY_CEILING}"),
    ([*PAYCHECK, "--pay", "5000", "--other-employer-deferrals", "1e26"],
     f"megabackdoor paycheck: error: --other-employer-deferrals: got 1e26; expected {PAY_CEILING}"),
    ([*PAYCHECK, "--pay", "5000", "--bonus", "2026-03-13:1e308"],
     f"megabackdoor paycheck: error: --bonus: got '2026-03-13:1e308'; expected {PAY_CEILING}"),
    (["conversion-tax", "--amount", "1e308", "--basis", "0", "--rate", "0.5"],
     f"megabackdoor conversion-tax: error: --amount: got 1e308; expected {BALANCE_CEILING}"),
    (["rollover-split", "--balance", "1e26", "--basis", "0"],
     f"megabackdoor rollover-split: error: --balance: got 1e26; expected {BALANCE_CEILING}"),
    (["backdoor-pro-rata", "--converted", "1e308", "--basis", "0", "--year-end-balance", "1e-308"],
     f"megabackdoor backdoor-pro-rata: error: --converted: got 1e308; expected {BALANCE_CEILING}"),
    (["compare", "--amount", "1e308", "--years", "20", "--return", "0.07"],
     f"megabackdoor compare: error: --amount: got 1e308; expected {BALANCE_CEILING}"),
    (["compare", "--amount", "1e308", "--years", "20", "--return", "0.07", "--json"],
     f"megabackdoor compare: error: --amount: got 1e308; expected {BALANCE_CEILING}"),
    # Messages that named the engine's argument, or the wrong one:
    ([*PAYCHECK, "--pay", "5000", "--ytd-match", "80000"],
     "megabackdoor paycheck: error: --ytd-match: got 80000; expected year-to-date additions (deferrals + match "
     "+ after-tax) of at most $72,000 (§415(c) in 2026) (they add up to $80,000.00)"),
    ([*PAYCHECK, "--pay", "5000", "--other-employer-deferrals", "30000"],
     "megabackdoor paycheck: error: --other-employer-deferrals: got 30000; expected deferrals so far (here + "
     "other employers) of at most $24,500 (402(g) + catch-up at age 40 in 2026) (they add up to $30,000.00; the "
     "excess must be refunded by 15 April; plan the rest of the year at 0)"),
    ([*PAYCHECK, "--pay", "-1"],
     "megabackdoor paycheck: error: --pay: got -1; expected an amount of $0 or more"),
    (["rollover-split", "--balance", "50000", "--basis", "45000", "--traditional-ira", "60000"],
     "megabackdoor rollover-split: error: --traditional-ira: got 60000; expected Roth IRA + traditional IRA of "
     "at most the distribution ($50,000.00) (they add up to $60,000.00)"),
    (["conversion-tax", "--contributions", "-1", "--return", "0.07", "--rate", "0.24"],
     "megabackdoor conversion-tax: error: --contributions: got -1; expected an amount of $0 or more"),
    # Dates: one strict reader.
    ([*PAYCHECK[:1], "--first-pay-date", "2026-01-02xyz", *PAYCHECK[3:], "--pay", "5000"],
     "megabackdoor paycheck: error: --first-pay-date: got '2026-01-02xyz'; expected a date: a date cell, ISO "
     "text 'YYYY-MM-DD' or an Excel serial number"),
    ([*PAYCHECK[:1], "--first-pay-date", "2026-W03-4", *PAYCHECK[3:], "--pay", "5000"],
     "megabackdoor paycheck: error: --first-pay-date: got '2026-W03-4'; expected a date: a date cell, ISO "
     "text 'YYYY-MM-DD' or an Excel serial number"),
    ([*PAYCHECK, "--pay", "5000", "--bonus", "2026-01-15junk:5000"],
     "megabackdoor paycheck: error: --bonus: got '2026-01-15junk:5000'; expected a date: a date cell, ISO text "
     "'YYYY-MM-DD' or an Excel serial number"),
    # Options that were silently ignored:
    (["conversion-tax", "--amount", "10000", "--basis", "5000", "--status", "single", "--taxable-income",
      "100000", "--year", "2026", "--magi", "300000"],
     "megabackdoor conversion-tax: error: --magi: got 300000; expected --magi together with --nii (the 3.8% "
     "NIIT depends on both; without other investment income a conversion adds no NIIT)"),
    (["conversion-tax", "--amount", "10000", "--basis", "5000", "--status", "single", "--taxable-income",
      "100000", "--year", "2026", "--magi", "-5", "--nii", "10"],
     "megabackdoor conversion-tax: error: --magi: got -5; expected an amount of $0 or more"),
    (["conversion-tax", "--amount", "10000", "--basis", "5000", "--rate", "0.24", "--magi", "-5", "--nii", "10"],
     "megabackdoor conversion-tax: error: --nii: got 10; expected --nii with --status (the NIIT is worked out "
     "from a filing status, not a flat --rate)"),
])
def test_refused_with_one_line_naming_the_option_and_the_value_typed(capsys, argv, line):
    assert error_line(capsys, *argv) == line


def test_magi_with_nii_still_counts_the_niit(capsys):
    code, out, _ = run(capsys, "conversion-tax", "--amount", "30000", "--basis", "5000", "--status", "single",
                       "--taxable-income", "100000", "--year", "2026", "--magi", "300000", "--nii", "10000",
                       "--json")
    # MAGI already over the $200,000 single threshold: the $25,000 taxable conversion adds 3.8% of the $10,000
    # NII it newly exposes... all of it is exposed already, so the conversion adds none; check both are read.
    assert code == 0 and '"niit_delta": 0.0' in out


def test_acp_sheet_on_a_csv_and_a_census_folder_are_refused(capsys, tmp_path):
    census = tmp_path / "census.csv"
    census.write_text("id,compensation\n")
    assert error_line(capsys, "acp", str(census), "--sheet", "Data") == (
        "megabackdoor acp: error: --sheet: got 'Data'; expected no sheet with a CSV census (only .xlsx/.xlsm files "
        "have worksheets)")
    folder = tmp_path / "census"
    folder.mkdir()
    assert error_line(capsys, "acp", str(folder)) == (
        f"megabackdoor acp: error: census: got '{folder}'; expected a CSV or XLSX file, not a folder")


# --------------------------------------------------------------------------------------- output paths
def test_output_folder_missing(capsys, tmp_path):
    target = tmp_path / "no" / "plan.xlsx"
    code, _, err = run(capsys, "workbook", SCENARIO, "-o", str(target))
    # Refused before the scenario is read: the one line on stderr.
    assert code == 2 and err == f"megabackdoor workbook: error: {target}: No such file or directory\n"


def test_output_is_a_folder_even_with_force(capsys, tmp_path):
    target = tmp_path / "plan.xlsx"
    target.mkdir()
    for extra in ([], ["--force"]):
        assert error_line(capsys, "workbook", SCENARIO, "-o", str(target), *extra) == (
            f"megabackdoor workbook: error: {target}: is a folder: give a file name")
    assert target.is_dir() and list(target.iterdir()) == []


def test_output_name_too_long(capsys, tmp_path):
    target = tmp_path / ("a" * 300 + ".xlsx")
    assert error_line(capsys, "workbook", SCENARIO, "-o", str(target)) == (
        f"megabackdoor workbook: error: {target}: File name too long")


def test_read_only_folder(capsys, tmp_path, monkeypatch):
    target = tmp_path / "plan.xlsx"

    def refuse(*args, **kwargs):  # what a read-only folder does (chmod does not stop root, who runs CI)
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".megabackdoor-1-x.xlsx.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert error_line(capsys, "workbook", SCENARIO, "-o", str(target)) == (
        f"megabackdoor workbook: error: {target}: Permission denied")


def test_disk_full_names_the_target_and_leaves_nothing(capsys, tmp_path, monkeypatch):
    target = tmp_path / "plan.xlsx"

    def full(book, stream):
        stream.write(b"PK")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(render, "write_book", full)
    assert error_line(capsys, "workbook", SCENARIO, "-o", str(target)) == (
        f"megabackdoor workbook: error: {target}: No space left on device")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("redirect", [">/dev/full", ">&-"])
def test_stdout_full_or_closed_is_one_line(redirect):
    command = f"{sys.executable} -m megabackdoor limits --year 2026 {redirect}"
    result = subprocess.run(["bash", "-c", command], capture_output=False, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    expected = ("megabackdoor limits: error: cannot write to standard output: No space left on device"
                if "full" in redirect else "megabackdoor limits: error: standard output is closed; nothing can be "
                                           "printed (redirect it to a file or /dev/null)")
    assert result.returncode == 2 and result.stderr == expected + "\n"


def test_a_refused_scenario_command_shows_only_its_error_not_the_defaults_note(capsys, tmp_path):
    # Found in review: the "defaults used" note came first, so a refusal printed two stderr lines.
    client = str(ROOT / "workbook_templates" / "clients" / "client-52.toml")
    target = tmp_path / "missing" / "plan.xlsx"
    assert error_line(capsys, "workbook", client, "-o", str(target)) == (
        f"megabackdoor workbook: error: {target}: No such file or directory")
    command = f"{sys.executable} -m megabackdoor schedule {client} --csv >/dev/full"
    result = subprocess.run(["bash", "-c", command], stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert result.returncode == 2 and result.stderr == (
        "megabackdoor schedule: error: cannot write to standard output: No space left on device\n")
    # and on success the note is still shown, once
    code, out, err = run(capsys, "schedule", client, "--csv")
    assert code == 0 and out.startswith("year,") and err.count("\n") == 1 and "defaults used" in err


# ----------------------------------------------------------------------------------- atomic no-clobber
def test_a_dangling_symlink_at_the_target_counts_as_existing(capsys, tmp_path):
    target = tmp_path / "plan.xlsx"
    target.symlink_to(tmp_path / "nowhere.xlsx")
    assert error_line(capsys, "workbook", SCENARIO, "-o", str(target)) == (
        f"megabackdoor workbook: error: {target} already exists; pass --force to overwrite it")
    assert target.is_symlink() and not (tmp_path / "nowhere.xlsx").exists()


def test_a_file_that_appears_while_writing_is_never_replaced(tmp_path):
    target = tmp_path / "plan.xlsx"

    def write(stream):
        stream.write(b"ours")
        target.write_bytes(b"theirs")  # another writer wins the race after our check

    with pytest.raises(FileExistsError, match="already exists; pass --force"):
        render.atomic_write(target, write)
    assert target.read_bytes() == b"theirs" and sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_without_hard_links_it_still_refuses(tmp_path, monkeypatch):
    target = tmp_path / "plan.xlsx"

    def no_links(source, destination):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(render.os, "link", no_links)
    render.atomic_write(target, lambda stream: stream.write(b"one"))
    with pytest.raises(FileExistsError):
        render.atomic_write(target, lambda stream: stream.write(b"two"))
    assert target.read_bytes() == b"one" and [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


def test_stale_temp_files_of_killed_writers_are_removed_on_the_next_write(tmp_path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True)
    dead = int(finished.stdout)  # a process that has ended: its temp file can only be stale
    stale = tmp_path / f".megabackdoor-{dead}-abc123.xlsx.tmp"
    stale.write_bytes(b"half a workbook")
    live = tmp_path / f".megabackdoor-{os.getpid()}-def456.xlsx.tmp"  # a writer still at work: kept
    live.write_bytes(b"being written")
    old = tmp_path / ".megabackdoor-oldname.xlsx.tmp"  # an older version's name, two hours old
    old.write_bytes(b"")
    os.utime(old, (os.path.getmtime(old) - 7200,) * 2)
    theirs = tmp_path / "notes.tmp"
    theirs.write_text("not ours")
    render.atomic_write(tmp_path / "plan.xlsx", lambda stream: stream.write(b"x"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, "notes.tmp", "plan.xlsx"])


def test_a_killed_writer_leaves_its_target_untouched_and_its_temp_is_cleaned(tmp_path):
    target = tmp_path / "plan.xlsx"
    code = ("import os, signal, sys\n"
            "from megabackdoor.workbook import render\n"
            "def write(stream):\n"
            "    stream.write(b'half')\n"
            "    stream.flush()\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n"
            f"render.atomic_write({str(target)!r}, write)\n")
    result = subprocess.run([sys.executable, "-c", code])
    assert result.returncode == -9 and not target.exists()
    assert len(list(tmp_path.glob(".megabackdoor-*.tmp"))) == 1
    render.atomic_write(target, lambda stream: stream.write(b"whole"))
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"] and target.read_bytes() == b"whole"


def test_one_writer_that_the_command_line_uses_without_the_workbook_renderer(tmp_path):
    # megabackdoor.files is the writer; the renderer re-exports it (the same functions, not copies), and
    # `init` and `docs` write through it without importing the renderer (or openpyxl).
    from megabackdoor import files

    for name in ("atomic_write", "write_temp", "publish", "remove_temp", "refuse_existing", "clean_stale_temps",
                 "on_path", "TEMP_PREFIX", "TEMP_SUFFIX"):
        assert getattr(render, name) is getattr(files, name), name
    code = ("import sys\n"
            "from megabackdoor.cli import main\n"
            f"assert main(['init', {str(tmp_path / 'client.toml')!r}]) == 0\n"
            f"assert main(['docs', '--out', {str(tmp_path / 'docs')!r}]) == 0\n"
            "print(sorted(m for m in ('openpyxl', 'megabackdoor.workbook.render') if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "client.toml").read_text(encoding="utf-8").count("REQUIRED") >= 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client.toml", "docs"]
    assert not list((tmp_path / "docs").glob(".megabackdoor-*"))


# ------------------------------------------------------------------------------------------ docs --out
def test_docs_out_removes_only_pages_it_generated(capsys, tmp_path):
    (tmp_path / "README.md").write_text("# my notes\n")
    (tmp_path / "TODO.md").write_text("keep me\n")
    code, _, _ = run(capsys, "docs", "--out", str(tmp_path))
    assert code == 0 and (tmp_path / "README.md").read_text() == "# my notes\n"
    from megabackdoor.excel.docs import HEADER

    retired = tmp_path / "OLD_FUNCTION.md"
    retired.write_text(HEADER + "\n# OLD_FUNCTION\n")  # a page an earlier version generated
    code, _, _ = run(capsys, "docs", "--out", str(tmp_path))
    assert code == 0 and not retired.exists()
    assert (tmp_path / "README.md").exists() and (tmp_path / "TODO.md").read_text() == "keep me\n"
    code, out, _ = run(capsys, "docs", "--out", str(tmp_path), "--check")
    assert code == 0 and out == ""


def test_docs_out_keeps_a_users_file_under_a_pages_name(capsys, tmp_path):
    index = tmp_path / "index.md"
    index.write_text("my own index\n")
    line = error_line(capsys, "docs", "--out", str(tmp_path))
    assert line.startswith(f"megabackdoor docs: error: --out: got '{tmp_path}'; expected ")
    assert f"{index} was not generated by megabackdoor docs: it is kept" in line
    assert index.read_text() == "my own index\n" and [p.name for p in tmp_path.iterdir()] == ["index.md"]


# ------------------------------------------------------------------------------------ batch all-or-nothing
def _four_scenarios(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    text = Path(SCENARIO).read_text()
    for name in ("a", "b", "c", "d"):
        (folder / f"{name}.toml").write_text(text)
    return folder


def test_batch_render_error_writes_nothing(capsys, tmp_path, monkeypatch):
    folder = _four_scenarios(tmp_path)
    out = tmp_path / "out"
    books = []
    real = render.write_book

    def third_fails(book, stream):
        books.append(book)
        if len(books) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(book, stream)

    monkeypatch.setattr(render, "write_book", third_fails)
    line = error_line(capsys, "workbook", str(folder), "--out-dir", str(out), "--jobs", "1")
    assert line == f"megabackdoor workbook: error: {out / 'c.xlsx'}: No space left on device"
    assert not out.exists()


def test_batch_publish_error_takes_back_what_it_placed(capsys, tmp_path, monkeypatch):
    folder = _four_scenarios(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    real = render.publish
    placed = []

    def fourth_fails(temp, path, force=False):
        if len(placed) == 3:
            os.unlink(temp)
            raise OSError(errno.EIO, "Input/output error", path)
        placed.append(path)
        return real(temp, path, force)

    monkeypatch.setattr(render, "publish", fourth_fails)
    line = error_line(capsys, "workbook", str(folder), "--out-dir", str(out), "--jobs", "1")
    assert line == f"megabackdoor workbook: error: {out / 'd.xlsx'}: Input/output error"
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_batch_in_parallel_still_writes_all(capsys, tmp_path):
    folder = _four_scenarios(tmp_path)
    out = tmp_path / "out"
    code, _, _ = run(capsys, "workbook", str(folder), "--out-dir", str(out), "--jobs", "2")
    assert code == 0 and sorted(p.name for p in out.iterdir()) == ["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"]


# ------------------------------------------------------------------- breaks the fuzz tier found (test_fuzz.py)
@pytest.mark.parametrize(("argv", "line"), [
    (["acp", "census.csv", "--year", "-1"],
     "megabackdoor acp: error: --year: got -1; expected a plan year from 2015 to 2100"),
    (["acp", "census.csv", "--column=--"], "megabackdoor acp: error: --column: got '--'; expected a value"),
    (["acp", "census.csv", "--encoding", "utf\x008"],
     "megabackdoor acp: error: --encoding: got 'utf\\x008'; expected text without a NUL character"),
    (["docs", "--out="], "megabackdoor docs: error: --out: got ''; expected a folder name for the pages"),
])
def test_fuzz_finds_stay_fixed(capsys, tmp_path, monkeypatch, argv, line):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "census.csv").write_text("id,compensation,prior_compensation,owner_5pct,eligible,match,after_tax\n"
                                         "A,100000,100000,N,Y,3000,0\n")
    assert error_line(capsys, *argv) == line


def _race(target: str, label: str, start, results) -> None:
    start.wait()
    try:
        render.atomic_write(target, lambda stream: stream.write(label.encode() * 1000))
        results.put(label)
    except FileExistsError:
        results.put("refused")


def test_no_clobber_holds_when_writers_race(tmp_path):
    """Pairs of processes write the same new file at the same moment: one wins, the other is refused, and the
    file is the winner's whole content (the check and the write are one step: a hard link)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for round_ in range(12):
        target = str(tmp_path / f"plan{round_}.xlsx")
        start, results = context.Event(), context.Queue()
        writers = [context.Process(target=_race, args=(target, label, start, results)) for label in "ab"]
        for writer in writers:
            writer.start()
        start.set()
        for writer in writers:
            writer.join(30)
        outcomes = sorted(results.get(timeout=5) for _ in writers)
        assert outcomes in (["a", "refused"], ["b", "refused"]), outcomes
        winner = outcomes[0]
        assert Path(target).read_bytes() == winner.encode() * 1000
    assert not list(tmp_path.glob(".megabackdoor-*"))


def test_json_and_tables_never_show_a_non_finite_number():
    from megabackdoor.cli import _common
    from megabackdoor.errors import InputError

    for bad in (float("inf"), float("nan")):
        with pytest.raises(InputError, match="^inputs: got 'a result that is not a finite number'"):
            _common.print_json({"x": bad})
        with pytest.raises(InputError):
            _common.money(bad)
