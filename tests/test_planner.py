"""A planner's first hour (issue 17): a client scenario from scratch without guessing, and commands that say
which defaults they used."""

from __future__ import annotations

from pathlib import Path

from megabackdoor.cli import main

TEMPLATES = Path(__file__).resolve().parents[1] / "workbook_templates"

# The client: 2026, age 52, $310,000, Roth deferrals with catch-up, 50% of deferrals up to 6% of pay.
CLIENT = """name = "Client 52"
[person]
birth_year = 1974
[pay]
salary = 310000
[deferral]
policy = "max"
roth_fraction = 1
[employer]
match = [{rate = 0.5, up_to = 0.06}]
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_takes_a_scenario_file_and_says_which_defaults_it_used(capsys, tmp_path):
    path = tmp_path / "client.toml"
    path.write_text(CLIENT, encoding="utf-8")
    code, out, _ = run(capsys, "plan", str(path))
    # $72,000 - $24,500 (the $8,000 age-50 catch-up sits outside §415(c)) - 50% x 6% x $310,000 = $38,200.
    assert code == 0 and "Client 52: 2026, age 52, pay $310,000, deferral $32,500, employer $9,300" in out
    assert "$38,200" in out
    assert "Defaults used (not stated in the scenario): scenario.start_year = 2026" in out
    assert "assumptions.expected_return = 0.06" in out and "employer.match" not in out.split("Defaults used")[1]
    code, out, _ = run(capsys, "plan")
    assert code == 0 and "No scenario file: the built-in default scenario" in out and "$38,500" in out


def test_every_command_reading_a_scenario_says_its_defaults_on_stderr(capsys, tmp_path):
    path = tmp_path / "client.toml"
    path.write_text(CLIENT, encoding="utf-8")
    code, out, err = run(capsys, "schedule", str(path), "--csv")
    assert code == 0 and out.startswith("year,")
    assert err.count("\n") == 1 and err.startswith(f"megabackdoor: {path}: defaults used (not stated in the ")
    code, _, err = run(capsys, "workbook", str(path), "-o", str(tmp_path / "client.xlsx"))
    assert code == 0 and "defaults used" in err and "assumptions.inflation = 0.025" in err
    code, _, err = run(capsys, "schedule", str(TEMPLATES / "default-plan.toml"), "--json")
    assert code == 0 and err == f"megabackdoor: {TEMPLATES / 'default-plan.toml'}: defaults used: none (every " \
                                "input is stated)\n"
    code, _, err = run(capsys, "schedule")
    assert code == 0 and "no scenario file: the built-in default scenario" in err


def test_an_empty_file_is_refused_naming_the_missing_keys(capsys, tmp_path):
    path = tmp_path / "client.toml"
    path.write_text("", encoding="utf-8")
    for command in (["plan"], ["schedule"], ["workbook", "-o", str(tmp_path / "x.xlsx")]):
        code, out, err = run(capsys, *command, str(path))
        assert code == 2 and out == "" and err.count("\n") == 1
        assert "client.toml: person.birth_year, pay.salary, deferral.policy, employer.match: got nothing" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_the_workbook_lists_the_defaults_used_on_the_inputs_sheet(capsys, tmp_path):
    import openpyxl

    path = tmp_path / "client.toml"
    path.write_text(CLIENT, encoding="utf-8")
    code, _, _ = run(capsys, "workbook", str(path), "-o", str(tmp_path / "client.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "client.xlsx")["Inputs"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    heading = cells["Defaults used"].row
    listed = {sheet[f"A{r}"].value: sheet[f"C{r}"].value for r in range(heading + 1, sheet.max_row + 1)}
    assert listed["assumptions.expected_return"] == "0.06: Expected return a year"
    assert listed["pay.prior_year_fica_wages"] == "310000: FICA wages, year before the first"
    assert "pay.salary" not in listed and "employer.match" not in listed
    growth = next(c for c in cells.values() if c.column == 1 and c.value == "Salary growth a year")
    assert sheet[f"C{growth.row}"].value.startswith("Default (not stated in the scenario file). ")
    stock = openpyxl.load_workbook(TEMPLATES / "default-plan.xlsx")["Inputs"]
    notes = [stock[f"C{r}"].value for r in range(1, stock.max_row + 1)]
    assert "defaults used: none (every input is stated)" in notes
