"""`megabackdoor schedule` and `megabackdoor workbook`: outputs, no overwrite without --force, nothing written
for a scenario with an error, and the one command that regenerates the stock templates."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl

from megabackdoor.cli import main

TEMPLATES = Path(__file__).resolve().parents[1] / "workbook_templates"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_schedule_table_shows_the_article_case(capsys):
    code, out, _ = run(capsys, "schedule")
    assert code == 0 and "$38,500" in out and "not individual tax advice" in out


def test_schedule_csv_has_every_column(capsys):
    code, out, _ = run(capsys, "schedule", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 10
    assert (rows[0]["year"], float(rows[0]["after_tax_room"])) == ("2026", 38500.0)


def test_schedule_json_and_buckets(capsys):
    code, out, _ = run(capsys, "schedule", str(TEMPLATES / "no-match-10pct-cap.toml"), "--json")
    data = json.loads(out)
    assert code == 0 and data["rows"][0]["after_tax_room"] == 20000 and data["rows"][0]["binding"] == "plan_cap"
    after_tax = [b for b in data["buckets"] if b["bucket"] == "after_tax_contribution"][0]
    assert (after_tax["account_subtype"], after_tax["contribution_tax_fraction"]) == ("after_tax_401k", 1.0)
    code, out, _ = run(capsys, "schedule", "--csv", "--buckets")
    assert out.splitlines()[0] == "year,bucket,amount,account_subtype,contribution_tax_fraction"


def test_workbook_is_written_once_and_kept_without_force(capsys, tmp_path):
    target = tmp_path / "plan.xlsx"
    code, out, _ = run(capsys, "workbook", "-o", str(target))
    assert code == 0 and "not individual tax advice" in out
    assert openpyxl.load_workbook(target).sheetnames == ["Inputs", "Limits", "Schedule", "Summary",
                                                         "Sources & notes"]
    target.write_bytes(b"my own edits")
    code, _, err = run(capsys, "workbook", "-o", str(target))
    assert code == 2 and "--force" in err and target.read_bytes() == b"my own edits"
    code, _, _ = run(capsys, "workbook", "-o", str(target), "--force")
    assert code == 0 and target.read_bytes()[:2] == b"PK"


def test_scenario_with_an_error_writes_nothing(capsys, tmp_path):
    scenario = tmp_path / "bad.toml"
    scenario.write_text("[pay]\nsalary = 150000\n[employer]\nnonelective = 0.25\n[scenario]\nyears = 3\n"
                        "[person]\nbirth_year = 1980\n[deferral]\npolicy = \"most\"\n", encoding="utf-8")
    code, _, err = run(capsys, "workbook", str(scenario), "-o", str(tmp_path / "plan.xlsx"))
    assert code == 2 and "deferral.policy: got 'most'" in err and "line 10" in err
    scenario.write_text("[pay]\nsalary = 400000\n[employer]\nnonelective = 0.25\n", encoding="utf-8")
    code, _, err = run(capsys, "workbook", str(scenario), "-o", str(tmp_path / "plan.xlsx"))
    assert code == 2 and "scenario year 2026: employer" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_templates_are_regenerated_by_one_command(capsys, tmp_path):
    for path in TEMPLATES.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    code, out, _ = run(capsys, "workbook", "--templates", "--templates-dir", str(tmp_path))
    # Every committed stock workbook comes back byte for byte: the plans from their .toml files, plus the
    # paycheck planner and the ACP census template.
    stock = sorted(path.name for path in TEMPLATES.glob("*.xlsx"))
    assert code == 0 and out.count("wrote") == len(stock) == len(list(TEMPLATES.glob("*.toml"))) + 2
    for name in stock:
        assert (tmp_path / name).read_bytes() == (TEMPLATES / name).read_bytes(), name
    code, _, err = run(capsys, "workbook", "--templates", "--templates-dir", str(tmp_path))
    assert code == 2 and "--force" in err
