"""A planner's first hour: a client scenario from scratch without guessing, and commands that say
which defaults they used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from megabackdoor.cli import main

TEMPLATES = Path(__file__).resolve().parents[1] / "workbook_templates"

# A planner's client: 2026, age 52, $310,000, Roth deferrals with catch-up, 50% of deferrals up to 6% of pay.
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
    assert "Defaults used (not stated in the scenario): scenario.start_year = 2026, scenario.years = 10, " in out
    assert "assumptions.expected_return = 0.06" in out and "retirement." not in out  # plan reads none of them
    assert "match =" not in out.split("Defaults used")[1]
    assert f"megabackdoor workbook {path} -o client.xlsx" in out
    code, out, _ = run(capsys, "plan")
    assert code == 0 and "No scenario file: the built-in default scenario" in out and "$38,500" in out


def test_every_command_reading_a_scenario_says_its_defaults_on_stderr(capsys, tmp_path):
    path = tmp_path / "client.toml"
    path.write_text(CLIENT, encoding="utf-8")
    code, out, err = run(capsys, "schedule", str(path), "--csv")
    assert code == 0 and out.startswith("year,")
    assert err.count("\n") == 1 and err.startswith(f"megabackdoor: {path}: defaults used (not stated in the ")
    code, _, err = run(capsys, "workbook", str(path), "-o", str(tmp_path / "client.xlsx"))
    assert code == 0 and "defaults used" in err and "inflation = 0.025" in err
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


def test_init_writes_every_key_grouped_and_is_refused_until_the_facts_are_filled_in(capsys, tmp_path):
    from megabackdoor.errors import InputError
    from megabackdoor.scenario import FIELDS, REQUIRED, load
    from megabackdoor.scenario_docs import section_title

    path = tmp_path / "client.toml"
    code, out, _ = run(capsys, "init", str(path))
    assert code == 0 and "fill in the REQUIRED keys (person.birth_year, pay.salary" in out
    text = path.read_text(encoding="utf-8")
    for field in FIELDS:  # every key, with its default or REQUIRED, in the Inputs sheet's order
        assert f"\n# {field.key} = " in text, field.path
    positions = [text.index(f"\n# {f.key} = ", text.index(f"# --- {section_title(f.section)} ---")) for f in FIELDS]
    assert positions == sorted(positions)
    assert "# Salary growth a year (default 0.03): a decimal rate from -0.5 to 0.5" in text
    assert '# Deferral policy (REQUIRED): one of "max", "fixed", "percent".' in text
    assert "# Fixed deferral (REQUIRED when deferral.policy = \"fixed\")" in text
    try:
        load(str(path))
    except InputError as error:
        assert error.argument == f"{path}: " + ", ".join(REQUIRED)
    # Uncomment the four REQUIRED lines: the file now reads, and every other key is a reported default.
    filled = "\n".join(line[2:] if line.startswith("# ") and line.endswith("# REQUIRED") else line
                       for line in text.splitlines())
    path.write_text(filled, encoding="utf-8")
    scenario = load(str(path))
    assert (scenario.birth_year, scenario.salary, scenario.match_tiers) == (1974, 310000.0, ((0.5, 0.06),))
    assert scenario.name == "client" and "assumptions.inflation" in scenario.defaults_used
    code, _, err = run(capsys, "init", str(path))
    assert code == 2 and "--force" in err
    code, _, err = run(capsys, "init", str(tmp_path / "client.txt"))
    assert code == 2 and "path: got" in err and ".toml" in err


def test_the_scenario_reference_page_is_generated_and_its_worked_client_is_the_shipped_file():
    from megabackdoor.scenario import FIELDS, load, loads
    from megabackdoor.scenario_docs import EXAMPLE_CLIENT, reference

    docs = Path(__file__).resolve().parents[1] / "udf_docs"
    page = (docs / "scenario.md").read_text(encoding="utf-8")
    assert page == reference()  # current (`megabackdoor docs` regenerates it)
    assert "[scenario.md](scenario.md)" in (docs / "index.md").read_text(encoding="utf-8")
    for field in FIELDS:
        assert f"| `{field.key}` |" in page
    assert "after-tax room is $72,000 - $24,500 - $9,300 = **$38,200**" in page
    shipped = load(str(TEMPLATES / "clients" / "client-52.toml"))
    assert shipped == loads(EXAMPLE_CLIENT)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "(udf_docs/scenario.md)" in readme


@pytest.mark.parametrize(("argv", "hint"), [
    (["limits", "--year", "2027", "--inflation", "2.5"], "pass 0.025 for 2.5%"),
    (["headroom", "--year", "2026", "--age", "35", "--deferral", "24500", "--employer", "9000",
      "--compensation", "200000", "--plan-cap", "12.5"], "pass 0.125 for 12.5%"),
    (["conversion-tax", "--amount", "26000", "--basis", "25000", "--rate", "0.24", "--state-rate", "4.95"],
     "pass 0.0495 for 4.95%"),
    (["conversion-tax", "--amount", "26000", "--basis", "25000", "--rate", "24"], "pass 0.24 for 24%"),
    (["headroom", "--year", "2026", "--age", "35", "--deferral", "24500", "--employer", "9000",
      "--compensation", "200000", "--plan-cap", "10"], "pass 0.10 for 10%"),
])
def test_the_percent_hint_gives_the_exact_fraction(capsys, argv, hint):
    code, _, err = run(capsys, *argv)
    assert code == 2 and f"looks like a percent: {hint})" in err and err.count("\n") == 1


@pytest.mark.parametrize("granularity", ["1%", "0.5%", "0.1%", "0.01", "0.005", "0.001", "dollars"])
def test_paycheck_accepts_every_granularity_its_message_lists(capsys, granularity):
    code, out, err = run(capsys, "paycheck", "--first-pay-date", "2026-01-02", "--frequency", "biweekly",
                         "--pay", "5000", "--age", "35", "--granularity", granularity, "--json")
    assert code == 0, err
    code, _, err = run(capsys, "paycheck", "--first-pay-date", "2026-01-02", "--frequency", "biweekly",
                       "--pay", "5000", "--age", "35", "--granularity", "0.002")
    assert code == 2 and "'0.5%' (0.005)" in err


def test_same_granularity_written_as_a_number_or_a_percent_solves_the_same(capsys):
    import json

    base = ["paycheck", "--first-pay-date", "2026-01-02", "--frequency", "biweekly", "--pay", "5000", "--age", "35",
            "--json", "--granularity"]
    results = []
    for granularity in ("0.5%", "0.005"):
        run(capsys, *base, granularity)
        code, out, _ = run(capsys, *base, granularity)
        results.append(json.loads(out))
    assert results[0] == results[1]


@pytest.mark.parametrize(("argv", "suggestion"), [
    (["headroom", "--year", "2026", "--age", "35", "--deferal", "24500", "--employer", "0"],
     "unrecognized arguments: --deferal (did you mean --deferral?) (see megabackdoor headroom --help)"),
    (["headroom", "--year", "2026", "--age", "35", "--deferral=24500", "--employr", "0", "--jsn"],
     "(did you mean --employer / --json?)"),
    (["paycheck", "--first-pay-date", "2026-01-02", "--frequency", "biweekly", "--pay", "5000", "--age", "35",
      "--granulrity", "0.005"], "(did you mean --granularity?)"),
    (["plan", "--zzz"], "megabackdoor plan: error: unrecognized arguments: --zzz (see megabackdoor plan --help)"),
])
def test_a_mistyped_option_gets_did_you_mean(capsys, argv, suggestion):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2 and suggestion in err and err.count("\n") == 1


def test_abbreviated_options_still_work(capsys):
    code, out, _ = run(capsys, "headroom", "--year", "2026", "--age", "35", "--def", "24500", "--emp", "9000")
    assert code == 0 and "$38,500" in out


@pytest.mark.parametrize("year", [2014, 2024, 2026, 2027, 2040])
def test_limits_fit_100_columns_and_show_their_citations(capsys, year):
    code, out, _ = run(capsys, "limits", "--year", str(year))
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 100
    from megabackdoor.limits import limits_for_year

    assert out.count("    Source: IRC §") == len(limits_for_year(year)) >= 8  # one citation per limit
    if year == 2026:
        assert "415c                                          $72,000  published" in out
        assert "Notice 2025-67" in out
    assert "citation" in main_help("limits")


def main_help(command: str) -> str:
    from megabackdoor.cli import build_parser

    return build_parser().get_default("commands")[command].format_help()


def test_schedule_exports_money_to_the_cent(capsys, tmp_path):
    import csv
    import io
    import json

    code, out, _ = run(capsys, "schedule", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 10
    cells = [value for row in rows for value in row.values()]
    assert all(len(value.partition(".")[2]) <= 2 for value in cells), [v for v in cells if len(v) > 12][:3]
    assert rows[0]["after_tax_room"] == "38500.0"
    code, out, _ = run(capsys, "schedule", "--json")
    for row in json.loads(out)["rows"]:
        assert all(round(v, 2) == v for v in row.values() if isinstance(v, float))


def test_conversion_at_separation_says_the_earnings_are_the_total_carried_to_separation(capsys):
    code, out, _ = run(capsys, "conversion-tax", "--contributions", "38500", "--return", "0.07", "--cadence",
                       "at_separation", "--years-until-separation", "5", "--rate", "0.24")
    first = out.splitlines()[0]
    assert code == 0 and "in total, carried 5 years past 31 December to separation" in first
    assert "a year" not in first
    code, out, _ = run(capsys, "conversion-tax", "--contributions", "38500", "--return", "0.07", "--cadence",
                       "monthly", "--rate", "0.24")
    assert out.splitlines()[0].endswith(" a year")


def test_init_writes_through_the_projects_one_atomic_no_clobber_writer(capsys, tmp_path):
    # Found in review: init had its own temp-and-rename, which replaced a dangling symlink without --force and
    # left its files 0600; render.atomic_write (os.link no-clobber) is the one writer.
    link = tmp_path / "client.toml"
    link.symlink_to(tmp_path / "nowhere.toml")
    code, _, err = run(capsys, "init", str(link))
    assert code == 2 and err == f"megabackdoor init: error: {link} already exists; pass --force to overwrite it\n"
    assert link.is_symlink() and not (tmp_path / "nowhere.toml").exists()
    fresh = tmp_path / "fresh.toml"
    mask = os.umask(0)
    os.umask(mask)
    assert run(capsys, "init", str(fresh))[0] == 0
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~mask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client.toml", "fresh.toml"]
