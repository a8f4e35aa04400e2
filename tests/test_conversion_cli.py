"""The conversion CLI commands: conversion-tax, rollover-split, backdoor-pro-rata, compare (text and --json)."""

from __future__ import annotations

import json

import pytest

from megabackdoor.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_conversion_tax_brackets_json(capsys):
    code, out, _ = run(capsys, "conversion-tax", "--amount", "26000", "--basis", "25000", "--status", "single",
                       "--taxable-income", "150000", "--year", "2026", "--json")
    data = json.loads(out)
    assert code == 0 and data["federal_tax"] == 240.0 and data["status"] == "published"
    assert data["brackets"] == [{"rate": 0.24, "lower": 105700.0, "upper": 201775.0, "taxed": 1000.0}]


def test_conversion_tax_from_contributions_and_cadence(capsys):
    # Annual conversion of $26,000 biweekly at 7%: $864.75 of earnings (test_conversion), at 24%.
    code, out, _ = run(capsys, "conversion-tax", "--contributions", "26000", "--return", "0.07", "--cadence",
                       "annual", "--rate", "0.24", "--json")
    data = json.loads(out)
    assert code == 0 and round(data["taxable_amount"], 2) == 864.75
    assert data["federal_tax"] == round(data["taxable_amount"] * 0.24, 2)


def test_conversion_tax_table_and_loss_note(capsys):
    code, out, _ = run(capsys, "conversion-tax", "--amount", "9000", "--basis", "10000", "--rate", "0.24")
    assert code == 0 and "not a deductible loss" in out and "not individual tax advice" in out


@pytest.mark.parametrize("argv, words", [
    (["conversion-tax", "--amount", "100", "--basis", "0", "--rate", "24"], "looks like a percent"),
    (["conversion-tax", "--amount", "100", "--basis", "0"], "--rate"),
    (["conversion-tax", "--amount", "100", "--basis", "0", "--status", "single", "--taxable-income", "1",
      "--year", "2020"], "2025 or later"),
    (["rollover-split", "--balance", "100", "--basis", "10", "--amount", "200"], "amount: got 200"),
    (["backdoor-pro-rata", "--converted", "-1", "--basis", "0", "--year-end-balance", "0"], "--converted: got -1"),
    (["compare", "--amount", "1000", "--years", "500", "--return", "0.07"], "years"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, words):
    code, _, err = run(capsys, *argv)
    assert code == 2 and words in err and err.count("\n") == 1


def test_rollover_split_json_and_table(capsys):
    code, out, _ = run(capsys, "rollover-split", "--balance", "200000", "--basis", "40000", "--amount", "100000",
                       "--traditional-ira", "70000", "--json")
    data = json.loads(out)
    assert code == 0 and data["taxable"] == 10000.0
    assert data["destinations"][2] == {"destination": "cash", "after_tax": 20000.0, "pre_tax": 10000.0,
                                       "taxable": 10000.0}
    code, out, _ = run(capsys, "rollover-split", "--balance", "50000", "--basis", "45000", "--in-plan")
    assert code == 0 and "designated_roth_account" in out and "$5,000" in out


def test_backdoor_pro_rata(capsys):
    code, out, _ = run(capsys, "backdoor-pro-rata", "--converted", "7000", "--basis", "7000",
                       "--year-end-balance", "93000", "--json")
    assert code == 0 and json.loads(out)["line18"] == 6510.0
    code, out, _ = run(capsys, "backdoor-pro-rata", "--converted", "7000", "--basis", "7000",
                       "--year-end-balance", "93000")
    assert "93.0% of each converted dollar is taxable" in out


def test_compare(capsys):
    code, out, _ = run(capsys, "compare", "--amount", "10000", "--years", "30", "--return", "0.07",
                       "--conversion-tax", "240", "--json")
    data = json.loads(out)
    assert code == 0 and round(data["roth_value"], 2) == 76122.55 and data["breakeven_years"] == 3
