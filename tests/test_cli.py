"""The command line: limits, headroom, plan, and how bad input is reported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from megabackdoor.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_headroom_json_article_example(capsys):
    code, out, _ = run(capsys, "headroom", "--year", "2026", "--age", "35", "--deferral", "24500",
                       "--employer", "9000", "--json")
    data = json.loads(out)
    assert code == 0 and data["after_tax_room"] == 38500 and data["binding"] == "415c_dollars"


def test_headroom_table(capsys):
    code, out, _ = run(capsys, "headroom", "--year", "2026", "--age", "35", "--deferral", "24500",
                       "--employer", "0")
    assert code == 0 and "$47,500" in out and "not individual tax advice" in out


def test_limits_json_maps_each_name_to_value_and_status(capsys):
    code, out, _ = run(capsys, "limits", "--year", "2027", "--inflation", "0.025", "--json")
    data = json.loads(out)
    assert code == 0 and data["415c"] == {**data["415c"], "value": 74000, "status": "projected"}
    code, out, _ = run(capsys, "limits", "--year", "2026", "--json")
    data = json.loads(out)
    assert data["402g"]["value"] == 24500 and data["402g"]["status"] == "published"
    assert "Notice 2025-67" in data["402g"]["reference"]


def test_limits_table_marks_projected(capsys):
    code, out, _ = run(capsys, "limits", "--year", "2028")
    assert code == 0 and "projected" in out


@pytest.mark.parametrize(("argv", "needle"), [
    (["headroom", "--year", "2026", "--age", "35", "--deferral", "abc", "--employer", "0"], "--deferral"),
    (["headroom", "--year", "2026", "--age", "35", "--deferral", "30000", "--employer", "0"], "deferral"),
    (["headroom", "--year", "2013", "--age", "35", "--deferral", "1", "--employer", "0"], "year"),
    (["headroom", "--year", "2026", "--age", "35", "--deferral", "1", "--employer", "0",
      "--compensation", "9", "--plan-cap", "10"], "--plan-cap: got 10"),
    (["limits", "--year", "2026", "--inflation", "nan"], "--inflation"),
    (["limits"], "--year"),
])
def test_bad_input_exit_2_one_line_naming_the_argument(argv, needle):
    result = subprocess.run([sys.executable, "-m", "megabackdoor", *argv], capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_default_job_runs_the_article_case(capsys):
    code, out, _ = run(capsys, "plan")
    # The built-in default scenario: 2026, age 35, $24,500 + $9,000 -> $38,500; no employer money -> $47,500.
    assert code == 0 and "age 35" in out and "$38,500" in out and "$47,500" in out
