"""Scenario files: TOML in, validated, messages name the key, the value, what is accepted and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from megabackdoor.errors import InputError
from megabackdoor.scenario import FIELDS, default_scenario, defaults_line, load, loads

TEMPLATES = Path(__file__).resolve().parents[1] / "workbook_templates"


def test_default_is_the_articles_case():
    s = default_scenario()
    assert (s.start_year, s.start_year - s.birth_year, s.deferral_policy, s.salary) == (2026, 35, "max", 150000.0)
    assert s.match_tiers == ((1.0, 0.06),)  # 6% of $150,000 = the article's $9,000 of employer money


def test_toml_round_trip_keeps_every_field():
    changed = default_scenario().replace(name='=HYPERLINK("x") "quoted"', match_tiers=((1.0, 0.03), (0.5, 0.05)),
                                         deferral_policy="percent", after_tax_cap=0.1)
    assert loads(changed.to_toml()) == changed
    assert loads(changed.to_toml()).defaults_used == ()
    # Keys the options make meaningless are left out, so the file reads back.
    text = changed.replace(filing_status="mfj", taxable_income=250000.0).to_toml()
    assert "marginal_rate =" not in text and "amount =" not in text and "taxable_income = 250000.0" in text


# A planner's client, with only the facts a file must state: 2026, age 52, $310,000 salary.
CLIENT = ('[person]\nbirth_year = 1974\n[pay]\nsalary = 310000\n[deferral]\npolicy = "max"\n'
          "[employer]\nmatch = [{rate = 0.5, up_to = 0.06}]\n")


def test_a_file_states_the_client_facts_and_the_rest_is_reported():
    s = loads(CLIENT)
    assert (s.birth_year, s.salary, s.deferral_policy, s.match_tiers) == (1974, 310000.0, "max", ((0.5, 0.06),))
    assert s.name == "Unnamed scenario"  # never the built-in example's name
    assert s.prior_year_fica_wages == 310000.0  # last year's FICA wages: the salary, not the example's $150,000
    assert "pay.prior_year_fica_wages" in s.defaults_used and "assumptions.expected_return" in s.defaults_used
    # Defaults the options don't use are not reported (the fixed amount, a bracket taxable income).
    assert not {"deferral.amount", "deferral.percent", "tax.taxable_income"} & set(s.defaults_used)
    assert "person.birth_year" not in s.defaults_used and "employer.match" not in s.defaults_used
    line = defaults_line(s)
    assert line.startswith("defaults used (not stated in the scenario): scenario.start_year = 2026, "
                           "scenario.years = 10, pay.salary_growth = 0.03, pay.bonus = 0.0, "
                           "pay.prior_year_fica_wages = 310000.0, ")
    assert "assumptions.expected_return = 0.06, assumptions.inflation = 0.025" in line
    assert loads(CLIENT.replace("match = [{rate = 0.5, up_to = 0.06}]", "match = []")).match_tiers == ()  # no match


@pytest.mark.parametrize(("text", "missing"), [
    ("", "person.birth_year, pay.salary, deferral.policy, employer.match"),
    ("# only a comment\n", "person.birth_year, pay.salary, deferral.policy, employer.match"),
    ('name = "Older"\n[person]\nbirth_year = 1966\n', "pay.salary, deferral.policy, employer.match"),
    (CLIENT.replace("[employer]\nmatch = [{rate = 0.5, up_to = 0.06}]\n", ""), "employer.match"),
    (CLIENT.replace('"max"', '"fixed"'), "deferral.amount"),
    (CLIENT.replace('"max"', '"percent"'), "deferral.percent"),
    (CLIENT + '[conversion]\ncadence = "n_per_year"\n', "conversion.conversions_per_year"),
    (CLIENT + '[tax]\nfiling_status = "mfj"\n', "tax.taxable_income"),
])
def test_missing_facts_are_an_error_naming_the_keys(text, missing):
    with pytest.raises(InputError) as caught:
        loads(text)
    assert caught.value.argument == missing
    assert "got nothing (not in the file)" in str(caught.value) and "megabackdoor init" in str(caught.value)
    assert caught.value.kind == "na"


def test_empty_file_names_the_file_and_every_missing_key(tmp_path):
    path = tmp_path / "client.toml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"client\.toml: person\.birth_year, pay\.salary, deferral\.policy, "
                                         r"employer\.match: got nothing"):
        load(str(path))


@pytest.mark.parametrize(("extra", "argument", "fragment"), [
    ('[tax]\nfiling_status = "mfj"\nmarginal_rate = 0.24\ntaxable_income = 300000\n', "tax.marginal_rate",
     'no marginal_rate with tax.filing_status = "mfj": it is used only with tax.filing_status = "marginal_rate"'),
    ("[tax]\ntaxable_income = 300000\n", "tax.taxable_income", 'tax.filing_status = "marginal_rate"'),
    ("[conversion]\nconversions_per_year = 12\n", "conversion.conversions_per_year", '"n_per_year"'),
    ('[plan]\nafter_tax_allowed = "no"\nafter_tax_cap = 0.1\n', "plan.after_tax_cap", 'after_tax_allowed = "no"'),
])
def test_meaningless_combinations_are_errors(extra, argument, fragment):
    with pytest.raises(InputError) as caught:
        loads(CLIENT + extra)
    assert caught.value.argument == argument and fragment in str(caught.value) and "choose one" in str(caught.value)
    assert "line " in str(caught.value)
    with pytest.raises(InputError, match=r"deferral\.amount: got 20000; expected no amount with deferral\.policy"):
        loads(CLIENT.replace('"max"', '"max"\namount = 20000'))


def test_stock_scenarios_state_every_fact():
    for path in TEMPLATES.glob("*.toml"):
        assert load(str(path)).defaults_used == (), path.name
    assert load(str(TEMPLATES / "default-plan.toml")) == default_scenario()
    assert defaults_line(default_scenario()).startswith("no scenario file: the built-in default scenario")
    assert default_scenario().replace(salary=1.0).defaults_used[0] == "scenario.start_year"


@pytest.mark.parametrize(("text", "argument", "fragment"), [
    ("[pay]\nsalary = -5\n", "pay.salary", "line 2"),
    ("[pay]\n\nsalary = \"$150,000\"\n", "pay.salary", "line 3"),
    ("[deferral]\npolicy = \"most\"\n", "deferral.policy", "'max', 'fixed', 'percent'"),
    ("[tax]\nmarginal_rate = 24\n", "tax.marginal_rate", "pass 0.24 for 24%"),
    ("[pay]\nsalry = 1\n", "pay.salry", "salary, salary_growth"),
    ("[payy]\nsalary = 1\n", "payy", "[pay]"),
    ("[employer]\nmatch = [{rate = 1.0, up_to = 0.05}, {rate = 0.5, up_to = 0.03}]\n",
     "employer.match[1].up_to", "previous tier"),
    ("[scenario]\nyears = 41\n", "scenario.years", "1 to 40"),
    ("[person]\nbirth_year = 2020\n", "person.birth_year", "age from 14 to 100"),
    ("[pay\n", "scenario file", "valid TOML"),
])
def test_bad_values_name_the_key(text, argument, fragment):
    with pytest.raises(InputError) as caught:
        loads(text)
    assert caught.value.argument == argument
    assert fragment in str(caught.value)


def test_load_names_the_file(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("[pay]\nsalary = -1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"plan\.toml: pay\.salary: got -1.*line 2"):
        load(str(path))
    with pytest.raises(InputError, match="missing.toml"):
        load(str(tmp_path / "missing.toml"))


def test_every_field_has_a_label_and_a_note():
    assert all(f.label and f.note for f in FIELDS)


def test_scenario_pickles_by_value():
    import pickle

    s = default_scenario().replace(name="=x", match_tiers=((0.5, 0.04),))
    assert pickle.loads(pickle.dumps(s)) == s
