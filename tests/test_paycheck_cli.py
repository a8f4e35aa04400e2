"""``megabackdoor paycheck``: solved and given elections, JSON, bad input on one line."""

from __future__ import annotations

import json

import pytest

from megabackdoor.cli import main

YEAR = ["paycheck", "--first-pay-date", "2026-01-02", "--frequency", "biweekly", "--pay", "5000", "--age", "35",
        "--match", "0.5:0.06"]


def test_solve_json_matches_the_hand_case(capsys):
    # 19%: 25 x 950 + 750 = 24,500 with every $150 match; after-tax 33% = 26 x 1,650 (see paycheck.py).
    assert main([*YEAR, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["deferral_election"], data["after_tax_election"], data["deferrals"], data["match"]) == (
        0.19, 0.33, 24500.0, 3900.0)
    assert len(data["paychecks"]) == 26 and data["paychecks"][-1]["deferral"] == 750.0
    assert "not individual tax advice" in data["disclaimer"]


def test_given_elections_table_shows_the_lost_match(capsys):
    # 20%: 24 x 1,000 + 500 on paycheck 25, nothing on 26: its $150 match is lost.
    assert main([*YEAR, "--deferral", "0.20", "--after-tax", "0.3"]) == 0
    out = capsys.readouterr().out
    assert "as given" in out and "match_lost" in out and "not individual tax advice" in out
    assert "2026-12-18" in out


def test_bonus_and_job_change_options(capsys):
    argv = ["paycheck", "--first-pay-date", "2026-07-03", "--frequency", "biweekly", "--pay", "5000", "--age",
            "35", "--match", "1:0.04", "--other-employer-deferrals", "10000", "--bonus", "2026-09-11:10000:out",
            "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    # 402(g) room 14,500 -> 22% (13 x 1,100); the bonus outside plan pay takes nothing but raises 415(c) pay
    # to 75,000, so the limit is the $72,000 dollar amount.
    assert (data["deferral_election"], data["deferrals"], data["limit_415c"]) == (0.22, 14300.0, 72000.0)


def test_bad_input_is_one_line(capsys):
    assert main([*YEAR[:-1], "0.5:6", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "match up_to: got 6" in err and "0.06" in err
    with pytest.raises(SystemExit) as usage:
        main([*YEAR, "--bonus", "March"])
    assert usage.value.code == 2 and "DATE:AMOUNT" in capsys.readouterr().err


def test_workbook_is_written_once_unless_forced(capsys, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "p.xlsx"
    assert main([*YEAR, "--workbook", str(target)]) == 0
    sheet = load_workbook(target)["Paychecks"]
    assert (sheet["B10"].value, sheet["B11"].value) == (0.19, 0.33)
    capsys.readouterr()
    assert main([*YEAR, "--workbook", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main([*YEAR, "--workbook", str(target), "--force", "--granularity", "dollars"]) == 2
    assert "percent elections" in capsys.readouterr().err
