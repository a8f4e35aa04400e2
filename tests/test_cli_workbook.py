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
    assert openpyxl.load_workbook(target).sheetnames == ["Inputs", "Limits", "Schedule", "Summary", "Retirement",
                                                         "Tables", "Sources & notes"]
    target.write_bytes(b"my own edits")
    code, _, err = run(capsys, "workbook", "-o", str(target))
    assert code == 2 and "--force" in err and target.read_bytes() == b"my own edits"
    code, _, _ = run(capsys, "workbook", "-o", str(target), "--force")
    assert code == 0 and target.read_bytes()[:2] == b"PK"


# Valid on its own (every required fact stated), but $90,000 of employer money passes §415(c) in 2026.
TOO_MUCH_EMPLOYER_MONEY = ("[pay]\nsalary = 400000\n[person]\nbirth_year = 1980\n[deferral]\npolicy = \"max\"\n"
                           "[employer]\nmatch = []\nnonelective = 0.25\n")


def test_scenario_with_an_error_writes_nothing(capsys, tmp_path):
    scenario = tmp_path / "bad.toml"
    scenario.write_text("[pay]\nsalary = 150000\n[employer]\nnonelective = 0.25\n[scenario]\nyears = 3\n"
                        "[person]\nbirth_year = 1980\n[deferral]\npolicy = \"most\"\n", encoding="utf-8")
    code, _, err = run(capsys, "workbook", str(scenario), "-o", str(tmp_path / "plan.xlsx"))
    assert code == 2 and "deferral.policy: got 'most'" in err and "line 10" in err
    scenario.write_text(TOO_MUCH_EMPLOYER_MONEY, encoding="utf-8")
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


def _scenario_files(folder: Path) -> list[Path]:
    folder.mkdir()
    files = [Path(shutil.copy(path, folder / path.name)) for path in sorted(TEMPLATES.glob("*.toml"))]
    extra = folder / "client =cmd.toml"
    extra.write_text('name = "=HYPERLINK(1)"\n[pay]\nsalary = 250000\n[conversion]\ncadence = "n_per_year"\n'
                     "conversions_per_year = 5\n[person]\nbirth_year = 1980\n[deferral]\npolicy = \"max\"\n"
                     "[employer]\nmatch = []\n", encoding="utf-8")
    return files + [extra]


def test_batch_writes_one_workbook_per_scenario_in_parallel(capsys, tmp_path):
    from megabackdoor.scenario import load
    from megabackdoor.workbook import plan, render

    files = _scenario_files(tmp_path / "scenarios")
    out = tmp_path / "out" / "plans"
    code, stdout, _ = run(capsys, "workbook", str(files[0].parent), "--out-dir", str(out), "--jobs", "2")
    assert code == 0 and f"wrote {len(files)} workbooks" in stdout and "not individual tax advice" in stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(f.stem + ".xlsx" for f in files)
    for source in files:  # each is exactly the single-scenario workbook
        expected = io.BytesIO()
        render.write_book(plan.build(load(str(source))), expected)
        assert (out / (source.stem + ".xlsx")).read_bytes() == expected.getvalue(), source.name
    code, _, err = run(capsys, "workbook", *map(str, files), "--out-dir", str(out))
    assert code == 2 and "--force" in err
    code, _, _ = run(capsys, "workbook", *map(str, files[:2]), "--out-dir", str(out), "--force", "--jobs", "1")
    assert code == 0


def test_batch_with_one_bad_scenario_writes_nothing(capsys, tmp_path):
    files = _scenario_files(tmp_path / "scenarios")
    bad = files[0].parent / "zz-bad.toml"
    bad.write_text(TOO_MUCH_EMPLOYER_MONEY, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(capsys, "workbook", str(files[0].parent), "--out-dir", str(out))
    assert code == 2 and "zz-bad.toml: scenario year 2026: employer" in err
    assert not out.exists()
    unreadable = files[0].parent / "broken.toml"
    unreadable.write_text("[pay\n", encoding="utf-8")
    code, _, err = run(capsys, "workbook", str(unreadable), str(files[1]), "--out-dir", str(out))
    assert code == 2 and "broken.toml" in err and not out.exists()


def test_batch_arguments_are_checked(capsys, tmp_path):
    files = _scenario_files(tmp_path / "scenarios")
    code, _, err = run(capsys, "workbook", str(files[0]), str(files[1]), "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "several with --out-dir" in err
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(files[0], other / files[0].name)
    code, _, err = run(capsys, "workbook", str(files[0]), str(other), "--out-dir", str(tmp_path / "o"))
    assert code == 2 and "different names" in err
    code, _, err = run(capsys, "workbook", "--out-dir", str(tmp_path / "o"))
    assert code == 2 and "one or more scenario files" in err
    code, _, err = run(capsys, "workbook", str(files[0]), "--out-dir", str(tmp_path / "o"), "--jobs", "-1")
    assert code == 2 and "--jobs" in err
