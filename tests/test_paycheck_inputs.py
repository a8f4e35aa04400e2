"""Each paycheck input is declared once (megabackdoor.paycheck_inputs) and every surface is built from it: the
engine's defaults, the CLI flags, the Excel arguments and the workbook's input cells."""

from __future__ import annotations

import argparse
import json

import pytest

from megabackdoor import paycheck, paycheck_inputs
from megabackdoor.cli import main, paycheck_cmd
from megabackdoor.excel import registry
from megabackdoor.paycheck_inputs import BY_ENGINE, INPUTS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    return paycheck_cmd.add_parser(parser.add_subparsers())


def test_the_engine_options_are_the_declared_ones_with_their_defaults():
    engine_only = {"inflation", "catchup_reading"}
    assert {k: v for k, v in paycheck._OPTIONS.items() if k not in engine_only} == paycheck_inputs.OPTION_DEFAULTS
    assert [i.engine for i in paycheck_inputs.CASE] == ["first_pay_date", "frequency", "pay_per_period", "age"]


def test_every_input_is_one_cli_flag_writing_the_engine_keyword():
    actions = {option: action for action in _parser()._actions for option in action.option_strings}
    for item in INPUTS:
        action = actions[item.cli]
        assert action.dest == item.engine
        if item.cli_type == "flag":
            assert action.default is item.default and action.const is (not item.cli_negated)
        elif not item.required and not item.cli_repeat:
            assert action.default == item.default


def test_every_excel_argument_carries_its_engine_keyword():
    for name in ("DEFERRAL_ELECTION", "AFTER_TAX_ELECTION", "PAYCHECK_SCHEDULE"):
        spec = registry.get(name)
        declared = [a for a in spec.args if a.name != "for_bonus"]
        assert [a.name for a in declared] == [i.excel for i in INPUTS][:len(declared)]
        for arg in declared:
            item = BY_ENGINE[arg.engine_name]
            assert (arg.name, arg.default if arg.optional else None) == (item.excel, None if item.required
                                                                         else item.default)


def test_the_workbook_names_its_input_cells_as_declared():
    from megabackdoor.workbook import paychecks

    names = paychecks.build(**paychecks.DEFAULT_CASE).defined_names()
    for item in paycheck_inputs.SHEET_INPUTS:
        assert names[item.sheet] == f"'Paychecks'!$B${item.sheet_row}"
    values = paychecks.inputs_for("2026-01-02", "weekly", 1000, 40, 0.1, stops_at_402g=False,
                                  plan_allows_roth=False, other_employer_deferrals=500)
    assert (values["StopAt402g"], values["PlanHasRoth"], values["TrueUp"], values["OtherDeferrals"]) == (
        "N", "N", "N", 500)
    with pytest.raises(TypeError, match="granularity"):
        paychecks.inputs_for("2026-01-02", "weekly", 1000, 40, 0.1, granularity="dollars")


def test_one_case_gives_the_same_elections_through_the_engine_the_cli_and_excel(capsys):
    # Non-default values for the negated and renamed inputs: a payroll that does not stop at 402(g), no Roth,
    # $10,000 deferred elsewhere, $1,000 already deferred here, a 40% cap on all elections together.
    engine = paycheck.solve_elections("2026-01-02", "biweekly", 6000, 52, match=[(1.0, 0.04)],
                                      stops_at_402g=False, plan_allows_roth=False, other_employer_deferrals=10000,
                                      ytd_deferrals=1000, max_election=0.4)
    assert main(["paycheck", "--first-pay-date", "2026-01-02", "--frequency", "biweekly", "--pay", "6000",
                 "--age", "52", "--match", "1:0.04", "--no-stop-402g", "--no-roth", "--other-employer-deferrals",
                 "10000", "--ytd-deferrals", "1000", "--max-election", "0.4", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    cells = ("2026-01-02", "biweekly", 6000, 52, [[1.0, 0.04]], False, "1%", 0.4, None, None, False, False, False,
             0, 1000, 0, 0, 10000, None, False)
    excel = (registry.evaluate("DEFERRAL_ELECTION", *cells), registry.evaluate("AFTER_TAX_ELECTION", *cells))
    assert (cli["deferral_election"], cli["after_tax_election"]) == excel == (
        engine.deferral_election, engine.after_tax_election)
    # 402(g) 24,500 + catch-up 8,000 - 10,000 elsewhere - 1,000 here = 21,500 of room: no stop, so the election
    # may not pass it: 26 x 6,000 x 13% = 20,280 (14% = 21,840 is over).
    assert engine.deferral_election == 0.13


def test_messages_name_the_input_as_each_surface_spells_it(capsys):
    assert paycheck_inputs.message_names("cli")["stops_at_402g"] == "--no-stop-402g"
    with pytest.raises(Exception, match="ytd_pay"):
        registry.evaluate("DEFERRAL_ELECTION", "2026-01-02", "biweekly", 5000, 35, None, False, "1%", 1, None,
                          None, False, True, False, -5)
    assert main(["paycheck", "--first-pay-date", "2026-01-02", "--frequency", "biweekly", "--pay", "5000",
                 "--age", "35", "--ytd-compensation", "-5"]) == 2
    assert "--ytd-compensation: got -5" in capsys.readouterr().err


def test_scenario_fields_name_their_workbook_cell_and_worksheet_argument():
    """The scenario's counterpart: the plan workbook's input names come from scenario.FIELDS (CamelCase of the
    attribute unless a field names it) and MEGA_SCHEDULE's arguments carry their scenario attribute."""
    import importlib

    from megabackdoor.scenario import ATTRIBUTES, SHEET_NAMES

    # (the package also exports a function named inputs_sheet, hence the module by its dotted name)
    assert importlib.import_module("megabackdoor.workbook.plan.inputs_sheet").NAMES is SHEET_NAMES
    assert (SHEET_NAMES["name"], SHEET_NAMES["nonelective"], SHEET_NAMES["prior_year_fica_wages"],
            SHEET_NAMES["conversion_cadence"], SHEET_NAMES["retirement_filing_status"]) == (
        "ScenarioName", "NonElective", "PriorYearFicaWages", "ConversionCadence", "RetFilingStatus")
    spec = registry.get("MEGA_SCHEDULE")
    adapter_only = {"deferral", "match_rate", "match_up_to"}   # set the deferral policy and the match tier
    assert {a.engine_name for a in spec.args} - adapter_only <= set(ATTRIBUTES)
    assert spec.spellings["conversion_cadence"].name == "cadence"
    with pytest.raises(registry.InputError, match="^cadence: got 'x'"):
        registry.evaluate("MEGA_SCHEDULE", 2026, 1, 1991, 150000, 0.03, "max", 0, None, 1, 0.06, 0.24, 0.025, "x")
