"""Retirement engine: RMDs, withdrawal order, basis recovery, bracket-filling conversions, the comparison.

Hand cases come from the Uniform Lifetime Table (Treas. Reg. §1.401(a)(9)-9(c)), the 2026 rate schedule and
standard deduction (Rev. Proc. 2025-32) and the 2026 capital-gain thresholds; properties by hypothesis.
"""

from __future__ import annotations

import pytest
from _seeds import scaled
from hypothesis import given, settings
from hypothesis import strategies as st

from megabackdoor import retirement, tax
from megabackdoor.errors import InputError
from megabackdoor.retirement import Settings, rmd, simulate
from megabackdoor.scenario import default_scenario, loads
from megabackdoor.schedule import schedule_rows


def _settings(**changes) -> Settings:
    values = dict(first_year=2026, birth_year=1961, end_age=65, base_year=2026, spending=0.0, other_income=0.0,
                  other_income_age=120, other_income_taxable=0.85, filing_status="single", expected_return=0.0,
                  taxable_return=0.0, inflation=0.025, withdrawal_order="taxable_first", pretax_bracket="22%",
                  conversion_bracket="none", end_tax_rate=0.24, end_gains_rate=0.15)
    values.update(changes)
    return Settings(**values)


def _start(**balances) -> dict[str, float]:
    start = dict.fromkeys(retirement.BUCKETS, 0.0)
    start.update(balances)
    return start


# --- RMDs --------------------------------------------------------------------------------------------------

def test_rmd_divides_the_prior_year_end_balance_by_the_table_divisor():
    # Uniform Lifetime Table (2022 on): 73 -> 26.5, 75 -> 24.6, 80 -> 20.2, 100 -> 6.4, 120 and over -> 2.0.
    assert rmd(100000, 75, 1950) == 4065.04          # 100,000 / 24.6
    assert rmd(500000, 73, 1952) == 18867.92         # 500,000 / 26.5
    assert rmd(250000, 80, 1945) == 12376.24         # 250,000 / 20.2
    assert rmd(64000, 100, 1930) == 10000.0          # 64,000 / 6.4
    assert rmd(10000, 123, 1903) == 5000.0           # 10,000 / 2.0


def test_rmd_start_age_by_birth_year():
    # SECURE 2.0 §107: 73 for those born 1951-1959, 75 for 1960 or later; 72 for 1949-1950 (SECURE Act).
    assert [retirement.rmd_start_age(y) for y in (1950, 1951, 1959, 1960, 1990)] == [72, 73, 73, 75, 75]
    assert rmd(100000, 74, 1960) == 0.0 and rmd(100000, 75, 1960) == 4065.04
    assert rmd(100000, 72, 1951) == 0.0 and rmd(100000, 73, 1951) == 3773.58


def test_rmd_bad_input_names_the_argument():
    with pytest.raises(InputError, match="balance"):
        rmd(-1, 75, 1950)
    with pytest.raises(InputError, match="birth_year"):
        rmd(1000, 75, 1800)


def test_the_table_is_the_2022_table():
    data = retirement.load()["uniform_lifetime_table"]
    assert len(data["divisors"]) == 49 and data["divisors"]["72"] == 27.4 and data["divisors"]["120"] == 2.0
    divisors = [data["divisors"][str(age)] for age in range(72, 121)]
    assert divisors == sorted(divisors, reverse=True)
    assert "1.401(a)(9)-9(c)" in data["source"]


def test_simulated_rmd_comes_first_and_any_excess_is_reinvested():
    # Born 1951, 2026 is age 75: RMD = 400,000 / 24.6 = 16,260.16; nothing else is needed.
    p = simulate(_start(pretax=400000.0, roth=50000.0), _settings(birth_year=1951, end_age=75))
    row = p.rows[0]
    assert row["rmd"] == 16260.16 and row["rmd_reinvested"] == 16260.16
    assert row["taxable_end"] == 16260.16 and row["taxable_basis_end"] == 16260.16
    assert row["roth_withdrawal"] == 0.0
    # Ordinary income 16,260.16 - 16,100 deduction = 160.16 at 10%.
    assert row["federal_tax"] == 16.02


# --- capital gains, basis, brackets -------------------------------------------------------------------------

def test_capital_gain_thresholds_published_and_projected():
    assert retirement.capital_gain_thresholds(2025, "single") == (48350.0, 533400.0)
    assert retirement.capital_gain_thresholds(2025, "hoh") == (64750.0, 566700.0)
    assert retirement.capital_gain_thresholds(2025, "mfs") == (48350.0, 300000.0)
    assert retirement.capital_gain_thresholds(2026, "mfj") == (98900.0, 613700.0)
    assert retirement.capital_gain_thresholds(2026, "mfs") == (49450.0, 306850.0)
    # 2027 at 2.5%: 49,450 x 1.025 = 50,686.25 -> increase 1,236.25 rounded down to $25 -> 50,675.
    assert retirement.capital_gain_thresholds(2027, "single", 0.025)[0] == 50675.0
    # Zero inflation: nothing moves.
    assert retirement.capital_gain_thresholds(2030, "single", 0.0) == (49450.0, 545500.0)


def test_standard_deduction_projection_rounds_down_to_50():
    assert retirement.standard_deduction(2025, "single") == 15750.0
    assert retirement.standard_deduction(2026, "hoh") == 24150.0
    # 16,100 x 1.025 = 16,502.5: increase 402.5 -> 400.
    assert retirement.standard_deduction(2027, "single", 0.025) == 16500.0


def test_gains_stack_on_ordinary_income():
    # 2026 single: ordinary 60,000 - 16,100 = 43,900 taxable: 1,240 + 12% x 31,500 = 5,020. Gains 20,000 fill
    # 43,900 -> 63,900: 5,550 at 0%, 14,450 at 15% = 2,167.50.
    t = retirement.year_tax(60000, 20000, 2026, "single")
    assert (t.ordinary_taxable, t.ordinary_tax, t.gains_tax, t.federal_tax) == (43900.0, 5020.0, 2167.5, 7187.5)
    # The unused deduction shelters gains first: 10,000 ordinary, 30,000 gain -> 23,900 gain all at 0%.
    t = retirement.year_tax(10000, 30000, 2026, "single")
    assert (t.gains_taxable, t.federal_tax) == (23900.0, 0.0)
    # Above the 15% top: 600,000 ordinary taxable + 100,000 gain, all at 20%.
    t = retirement.year_tax(616100, 100000, 2026, "single")
    assert t.gains_tax == pytest.approx(20000.0)


def test_after_tax_basis_is_recovered_pro_rata():
    # $100,000 of after-tax 401(k) money with $80,000 basis; $10,000 needed: 8,000 basis, 2,000 earnings
    # (§72(e)(8)). 2,000 of ordinary income is under the deduction: no tax.
    p = simulate(_start(after_tax=100000.0, after_tax_basis=80000.0), _settings(spending=10000.0, end_age=65))
    row = p.rows[0]
    assert row["after_tax_withdrawal"] == 10000.0
    assert row["after_tax_basis_part"] == pytest.approx(8000.0)
    assert row["after_tax_earnings_part"] == pytest.approx(2000.0)
    assert row["after_tax_basis_end"] == pytest.approx(72000.0) and row["after_tax_end"] == 90000.0
    assert row["federal_tax"] == 0.0


def test_taxable_sales_realise_gain_on_average_basis():
    # $200,000 account, $50,000 basis; $40,000 sold: $10,000 basis, $30,000 gain, all at 0% (under 49,450 +
    # the unused 16,100 deduction).
    p = simulate(_start(taxable=200000.0, taxable_basis=50000.0), _settings(spending=40000.0))
    row = p.rows[0]
    assert (row["taxable_withdrawal"], row["taxable_basis_part"], row["capital_gain"]) == (40000.0, 10000.0, 30000.0)
    assert row["federal_tax"] == 0.0


def test_conversion_fills_the_bracket_exactly():
    # 2026 single, born 1961 (RMDs from 75), nothing to spend: convert up to the top of 22% = 105,700 of
    # taxable income + the 16,100 deduction = 121,800 of gross ordinary income.
    p = simulate(_start(pretax=1000000.0), _settings(conversion_bracket="22%"))
    row = p.rows[0]
    assert row["conversion"] == 121800.0
    assert row["ordinary_taxable"] == 105700.0
    assert row["federal_tax"] == tax.federal_income_tax(105700, 2026, "single") == 17966.0
    assert row["pretax_end"] == 1000000.0 - 121800.0 and row["roth_end"] == 121800.0


def test_conversion_fills_what_withdrawals_leave_and_stops_at_the_rmd_age():
    # $30,000 of pre-tax withdrawals in the bracket; the conversion adds 121,800 - 30,000 = 91,800. At 75
    # (born 1951 in 2026) there is no conversion.
    p = simulate(_start(pretax=1000000.0), _settings(spending=30000.0, conversion_bracket="22%"))
    assert p.rows[0]["pretax_in_bracket"] == 30000.0 and p.rows[0]["conversion"] == 91800.0
    p = simulate(_start(pretax=1000000.0), _settings(birth_year=1951, end_age=75, conversion_bracket="22%"))
    assert p.rows[0]["conversion"] == 0.0


def test_taxable_first_order_and_the_pretax_bracket():
    # Need 150,000: taxable 20,000, then pre-tax up to 12% top (50,400 + 16,100 = 66,500), then after-tax
    # 10,000, then Roth 53,500.
    start = _start(taxable=20000.0, taxable_basis=20000.0, pretax=500000.0, after_tax=10000.0,
                   after_tax_basis=10000.0, roth=500000.0)
    row = simulate(start, _settings(spending=150000.0, pretax_bracket="12%")).rows[0]
    assert row["taxable_withdrawal"] == 20000.0
    assert row["pretax_in_bracket"] == 66500.0
    assert row["after_tax_withdrawal"] == 10000.0
    assert row["roth_withdrawal"] == 53500.0
    assert row["pretax_rest"] == 0.0 and row["shortfall"] == 0.0
    # pretax_first: all from pre-tax.
    row = simulate(start, _settings(spending=150000.0, withdrawal_order="pretax_first")).rows[0]
    assert row["pretax_first"] == 150000.0 and row["taxable_withdrawal"] == 0.0 and row["roth_withdrawal"] == 0.0


def test_tax_is_paid_the_next_year_and_shortfall_marks_the_year_money_runs_out():
    p = simulate(_start(pretax=100000.0), _settings(spending=60000.0, end_age=67))
    first, second, third = p.rows
    assert second["tax_prior"] == first["federal_tax"]
    assert second["need"] == pytest.approx(60000.0 * 1.025 + first["federal_tax"])
    assert first["shortfall"] == 0.0 and second["shortfall"] > 0 and p.run_out_year == 2027
    assert third["pretax_start"] == 0.0


# --- scenarios and the comparison ----------------------------------------------------------------------------

def test_start_balances_from_the_schedule():
    s = default_scenario()
    rows = schedule_rows(s)
    with_mega = retirement.start_balances(s, rows, True)
    without = retirement.start_balances(s, rows, False)
    gap = (1.06) ** (2056 - 2036)
    assert with_mega["roth"] == pytest.approx(rows[-1]["roth_balance"] * gap)
    assert without["roth"] == 0.0
    assert without["taxable_basis"] == pytest.approx(sum(r["after_tax_contribution"] for r in rows)
                                                     + rows[-1]["conversion_tax_to_date"])
    assert with_mega["pretax"] == without["pretax"] > 0


def test_comparison_cases():
    s = default_scenario().replace(conversion_bracket="24%")
    cases = retirement.compare(s)
    assert set(cases) == set(retirement.CASES)
    assert cases["with_mega_backdoor"].tax_free_share > cases["without_mega_backdoor"].tax_free_share
    assert cases["with_mega_backdoor"].lifetime_tax < cases["without_mega_backdoor"].lifetime_tax
    assert sum(r["conversion"] for r in cases["with_mega_backdoor"].rows) > 0
    assert sum(r["conversion"] for r in cases["with_mega_backdoor_no_conversions"].rows) == 0


def test_retirement_keys_are_checked():
    with pytest.raises(InputError, match=r"retirement.end_age.*at least the retirement age"):
        loads("[retirement]\nretirement_age = 70\nend_age = 60\n")
    with pytest.raises(InputError, match=r"retirement.existing_taxable_basis.*line 3"):
        loads("[retirement]\nexisting_taxable = 100\nexisting_taxable_basis = 200\n")
    with pytest.raises(InputError, match="retirement.withdrawal_order"):
        loads("[retirement]\nwithdrawal_order = 'roth_first'\n")


def test_schedule_running_past_the_retirement_age_starts_retirement_after_it():
    s = default_scenario().replace(retirement_age=40)
    p = retirement.project(s)
    assert p.first_year == 2036 and p.first_age == 45


# --- properties ---------------------------------------------------------------------------------------------

money = st.floats(min_value=0, max_value=3_000_000, allow_nan=False)
BALANCE_KEYS = ("pretax_end", "roth_end", "after_tax_end", "after_tax_basis_end", "taxable_end",
                "taxable_basis_end")


@st.composite
def cases(draw):
    taxable = draw(money)
    after_tax = draw(money)
    start = _start(pretax=draw(money), roth=draw(money), taxable=taxable,
                   taxable_basis=taxable * draw(st.floats(0, 1)), after_tax=after_tax,
                   after_tax_basis=after_tax * draw(st.floats(0, 1)))
    birth = draw(st.integers(1940, 1975))
    first = draw(st.integers(max(2025, birth + 55), 2040))
    s = _settings(first_year=first, birth_year=birth, end_age=first - birth + draw(st.integers(0, 12)),
                  spending=draw(st.floats(0, 300000)), other_income=draw(st.floats(0, 60000)),
                  other_income_age=draw(st.integers(60, 75)), filing_status=draw(st.sampled_from(
                      retirement.FILING_STATUSES)), expected_return=draw(st.floats(-0.05, 0.1)),
                  withdrawal_order=draw(st.sampled_from(retirement.WITHDRAWAL_ORDERS)),
                  pretax_bracket=draw(st.sampled_from(retirement.BRACKET_LABELS)),
                  conversion_bracket=draw(st.sampled_from(retirement.CONVERSION_BRACKETS)))
    return start, s


def _replace(s: Settings, **changes) -> Settings:
    values = s.to_dict()
    values.update(changes)
    return Settings(**values)


@settings(max_examples=scaled(150), deadline=None)
@given(cases())
def test_balances_never_negative_and_the_order_is_respected(case):
    start, s = case
    s = _replace(s, taxable_return=s.expected_return * 0.85)
    p = simulate(start, s)
    for row in p.rows:
        for key in BALANCE_KEYS:
            assert row[key] >= -1e-6, (key, row)
        # Roth money is used only once the earlier sources are exhausted.
        if row["roth_withdrawal"] > 0:
            assert row["taxable_withdrawal"] == pytest.approx(row["taxable_start"], abs=1e-6)
            assert row["after_tax_withdrawal"] == pytest.approx(row["after_tax_start"], abs=1e-6)
            if s.withdrawal_order == "taxable_first":
                pretax_left = row["pretax_start"] - row["rmd"] - row["pretax_in_bracket"]
                assert pretax_left <= 1e-6 or row["pretax_in_bracket"] >= row["pretax_room"] - 1e-6
            else:
                assert row["pretax_start"] - row["rmd"] - row["pretax_first"] <= 1e-6
        if row["pretax_rest"] > 0:
            assert row["roth_withdrawal"] == pytest.approx(row["roth_start"], abs=1e-6)
        assert row["shortfall"] >= 0 and row["federal_tax"] >= 0


@settings(max_examples=scaled(100), deadline=None)
@given(cases(), st.floats(0.001, 0.05))
def test_more_return_never_lowers_end_wealth(case, extra):
    """End wealth net of the money that ran out: a higher return can make the money last into the last year,
    whose tax (paid the next April) is then owed with nothing left to pay it (see the pinned case below), so
    wealth alone can fall by that tax while the shortfall falls by much more (or to nothing)."""
    start, s = case
    low = simulate(start, _replace(s, taxable_return=s.expected_return * 0.85))
    higher = s.expected_return + extra
    high = simulate(start, _replace(s, expected_return=higher, taxable_return=higher * 0.85))
    assert (high.wealth_after_tax - high.total_shortfall
            >= low.wealth_after_tax - low.total_shortfall - 0.01)


def test_money_that_lasts_into_the_last_year_leaves_its_tax_owed():
    """Found by the exploring profile (MEGABACKDOOR_SEED=505): $411,665 of after-tax money with no basis, single,
    spending $63,042 a year from age 85 to 91. At 0% the money runs out in 2030 and the last year has no income;
    at 3.125% it lasts into 2031, whose whole withdrawal ($23,367.87 of earnings, ordinary income) is taxed 10% of
    what passes the projected basic standard deduction of $18,200: $516.79, owed on 31 December with every balance
    at 0, so wealth after tax is -$516.79, while the shortfall is $34,351.18 less."""
    start = {"pretax": 0.0, "roth": 0.0, "after_tax": 411665.0, "after_tax_basis": 0.0, "taxable": 0.0,
             "taxable_basis": 0.0}
    s = Settings(first_year=2025, birth_year=1940, end_age=91, base_year=2026, spending=63042.0, other_income=0.0,
                 other_income_age=60, other_income_taxable=0.85, filing_status="single", expected_return=0.0,
                 taxable_return=0.0, inflation=0.025, withdrawal_order="taxable_first", pretax_bracket="10%",
                 conversion_bracket="none", end_tax_rate=0.24, end_gains_rate=0.15)
    low = simulate(start, s)
    high = simulate(start, _replace(s, expected_return=0.03125, taxable_return=0.03125 * 0.85))
    last = high.rows[-1]
    assert (low.run_out_year, high.run_out_year) == (2030, 2031)
    assert low.rows[-1]["federal_tax"] == 0 and low.wealth_after_tax == 0
    assert last["after_tax_withdrawal"] == pytest.approx(23367.87, abs=0.005) and last["after_tax_end"] == 0
    assert last["standard_deduction"] == 18200
    assert last["federal_tax"] == pytest.approx(0.10 * (23367.87 - 18200), abs=0.005) == 516.79
    assert high.wealth_after_tax == -516.79
    assert low.total_shortfall - high.total_shortfall == pytest.approx(89399.28 - 55048.10, abs=0.005)


# --- the retire command --------------------------------------------------------------------------------------

CLIENT = """name = "Retiree"
[scenario]
years = 5
[person]
birth_year = 1966
[pay]
salary = 250000
[deferral]
policy = "max"
[employer]
match = []
[retirement]
retirement_age = 65
end_age = 90
spending = 120000
other_income = 40000
other_income_age = 67
filing_status = "mfj"
existing_pretax = 900000
existing_roth = 100000
existing_after_tax = 0
existing_after_tax_basis = 0
existing_taxable = 300000
existing_taxable_basis = 200000
conversion_bracket = "24%"
"""


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    from megabackdoor.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_retire_command_table_json_and_csv(capsys, tmp_path):
    import csv
    import io
    import json

    path = tmp_path / "client.toml"
    path.write_text(CLIENT, encoding="utf-8")
    code, out, err = _run(capsys, "retire", str(path))
    assert code == 0 and "retirement 2031-2056 (ages 65-90), RMDs from age 75, mfj" in out
    assert "with the mega-backdoor, no Roth conversions" in out and "lifetime federal tax" in out
    assert "Note:" not in out
    assert "defaults used" in err and "retirement.withdrawal_order" in err
    code, out, _ = _run(capsys, "retire", str(path), "--json")
    data = json.loads(out)
    expected = retirement.compare(load_scenario(path))
    for case, projection in expected.items():
        assert data["cases"][case]["lifetime_federal_tax"] == projection.lifetime_tax
        assert data["cases"][case]["rows"][0]["year"] == 2031
    code, out, _ = _run(capsys, "retire", str(path), "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["case"] for row in rows} == set(retirement.CASES) and len(rows) == 3 * 26
    assert float(rows[0]["pretax_start"]) == round(expected["with_mega_backdoor"].rows[0]["pretax_start"], 2)


def test_retire_refuses_unstated_retirement_facts(capsys, tmp_path):
    path = tmp_path / "client.toml"
    path.write_text(CLIENT.split("[retirement]")[0], encoding="utf-8")
    code, _, err = _run(capsys, "retire", str(path))
    assert code == 2 and "retirement.retirement_age, retirement.end_age, retirement.spending" in err
    path.write_text(CLIENT.replace("years = 5", "years = 8"), encoding="utf-8")
    code, out, _ = _run(capsys, "retire", str(path))
    assert code == 0 and "Note: the schedule runs to age 67 (2033), past retirement age 65" in out
    assert "existing_taxable_basis" in err and "[retirement] section" in err


def load_scenario(path):
    from megabackdoor.scenario import load

    return load(str(path))
