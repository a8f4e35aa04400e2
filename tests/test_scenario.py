"""Scenario files: TOML in, validated, messages name the key, the value, what is accepted and the line."""

from __future__ import annotations

import pytest

from megabackdoor.errors import InputError
from megabackdoor.scenario import FIELDS, default_scenario, load, loads


def test_default_is_the_articles_case():
    s = default_scenario()
    assert (s.start_year, s.start_year - s.birth_year, s.deferral_policy, s.salary) == (2026, 35, "max", 150000.0)
    assert s.match_tiers == ((1.0, 0.06),)  # 6% of $150,000 = the article's $9,000 of employer money


def test_toml_round_trip_keeps_every_field():
    changed = default_scenario().replace(name='=HYPERLINK("x") "quoted"', match_tiers=((1.0, 0.03), (0.5, 0.05)),
                                         deferral_policy="percent", after_tax_cap=0.1)
    assert loads(changed.to_toml()) == changed


def test_partial_file_takes_defaults():
    s = loads('name = "Older"\n[person]\nbirth_year = 1966\n')
    assert (s.name, s.birth_year, s.salary) == ("Older", 1966, 150000.0)


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
