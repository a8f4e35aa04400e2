"""The multi-year schedule engine: values hand-computed from the statute and the limits data."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from megabackdoor.conversion import conversion_earnings
from megabackdoor.errors import InputError
from megabackdoor.scenario import default_scenario, loads
from megabackdoor.schedule import COLUMN_NAMES, buckets, match_amount, schedule


def test_default_first_year_is_the_article():
    row = schedule().iloc[0]
    assert (row.year, row.age, row.limit_415c, row.deferral, row.employer) == (2026, 35, 72000, 24500, 9000)
    assert (row.after_tax_room, row.binding, row.limits_status) == (38500, "415c_dollars", "published")
    assert row.total_contributions == 72000


def test_second_year_uses_projected_limits_and_raised_pay():
    # 2027: CPI 971.824 x 1.025 = 996.1196; 415(c): 40,000 x (1.8678 - 1) = 34,712 -> 34,000 -> $74,000;
    # 402(g): 15,000 x 0.6866 = 10,299 -> 10,000 -> $25,000; pay 154,500 x 6% match = 9,270.
    row = schedule().iloc[1]
    assert (row.limit_415c, row.limit_402g, row.limits_status) == (74000, 25000, "projected")
    assert (row.compensation, row.employer_match, row.after_tax_room) == (154500, 9270, 74000 - 25000 - 9270)


def test_catchup_age_60_and_roth_catchup_rule():
    s = default_scenario().replace(birth_year=1966, prior_year_fica_wages=200000.0)
    row = schedule(s).iloc[0]  # age 60 in 2026: $11,250 catch-up outside 415(c), must be Roth (wages > $150,000)
    assert (row.age, row.catchup_limit, row.deferral, row.catchup_used) == (60, 11250, 35750, 11250)
    assert (row.roth_catchup_required, row.roth_deferral, row.pretax_deferral) == (1, 11250, 24500)
    assert row.after_tax_room == 72000 - 24500 - 9000
    assert schedule(s.replace(prior_year_fica_wages=150000.0)).iloc[0].roth_deferral == 0  # not above


def test_plan_cap_binds_without_match():
    s = default_scenario().replace(match_tiers=(), salary=200000.0, after_tax_cap=0.10)
    row = schedule(s).iloc[0]
    assert (row.employer, row.room_before_cap, row.plan_cap_amount) == (0, 47500, 20000)
    assert (row.after_tax_room, row.binding) == (20000, "plan_cap")


def test_percent_policy_and_match_tiers():
    s = default_scenario().replace(deferral_policy="percent", deferral_percent=0.04,
                                   match_tiers=((1.0, 0.03), (0.5, 0.05)))
    row = schedule(s).iloc[0]  # 4% of 150,000 = 6,000: 100% of 4,500 + 50% of 1,500
    assert (row.deferral, row.employer_match) == (6000, 5250)
    assert match_amount(24500, 150000, ((1.0, 0.03), (0.5, 0.05))) == 6000


def test_no_after_tax_feature_means_no_contribution():
    row = schedule(default_scenario().replace(after_tax_allowed="no")).iloc[0]
    assert (row.after_tax_room, row.after_tax_contribution, row.roth_balance) == (38500, 0, 0)


def test_pay_binds_below_415c():
    s = default_scenario().replace(salary=60000.0, deferral_policy="fixed", deferral_amount=10000.0, match_tiers=())
    row = schedule(s).iloc[0]
    assert (row.limit_415c_used, row.after_tax_room, row.binding) == (60000, 50000, "100pct_of_pay")


def test_employer_money_over_415c_is_an_error_naming_the_year():
    s = default_scenario().replace(nonelective=0.25, salary=400000.0)
    with pytest.raises(InputError, match="scenario year 2026: employer"):
        schedule(s)


def _paydays_to_year_end(amount: float, rate: float, paydays: int = 26) -> float:
    # Each payday j = 1..n puts in amount/n, which grows for (n - j)/n of a year: summed one by one.
    return sum(amount / paydays * (1 + rate) ** ((paydays - j) / paydays) for j in range(1, paydays + 1))


def test_balances_roll_forward():
    table = schedule()  # biweekly pay, 6% return, 15% tax drag on the taxable alternative
    first, second = table.iloc[0], table.iloc[1]
    assert first.roth_balance == pytest.approx(_paydays_to_year_end(38500, 0.06), abs=1e-6)
    assert first.roth_balance == pytest.approx(39599.38, abs=0.005)
    assert second.roth_balance == pytest.approx(
        first.roth_balance * 1.06 + _paydays_to_year_end(second.after_tax_contribution, 0.06), abs=1e-6)
    assert first.taxable_balance == pytest.approx(_paydays_to_year_end(38500, 0.06 * 0.85), abs=1e-6)
    assert second.roth_basis == first.after_tax_contribution + second.after_tax_contribution


def test_converting_on_31_december_leaves_the_balance_equal_to_what_was_converted():
    # Annual conversion on the last payday: the year's money and all its growth convert at year end, so the
    # balance rule and the conversion engine's earnings must agree to the cent.
    row = schedule(default_scenario().replace(conversion_cadence="annual")).iloc[0]
    assert row.amount_converted == pytest.approx(row.roth_balance, abs=0.005)
    assert row.unconverted_at_year_end == 0


@pytest.mark.parametrize("how", [{"conversion_cadence": "at_separation"},
                                 {"in_plan_conversion": "no", "in_service_withdrawal": "no"}])
def test_conversion_at_separation_waits_for_the_last_year(how):
    s = default_scenario().replace(years=3, salary_growth=0.0, inflation=0.0, **how)  # three equal years
    table = schedule(s)
    first, middle, last = (table.iloc[i] for i in range(3))
    assert first.after_tax_contribution == middle.after_tax_contribution == last.after_tax_contribution
    amount = first.after_tax_contribution
    for row in (first, middle):  # nothing converts, no tax, the balance waits as after-tax money
        assert (row.earnings_converted, row.amount_converted, row.conversion_tax) == (0, 0, 0)
        assert row.unconverted_at_year_end == pytest.approx(row.roth_balance, abs=0.005)
    # Each year's money grows to its year end, then whole years to the end of the last year.
    waits = [_paydays_to_year_end(amount, 0.06) * 1.06 ** (2 - i) - amount for i in range(3)]
    assert [first.separation_earnings, middle.separation_earnings, last.separation_earnings] == pytest.approx(
        waits, abs=0.005)
    assert last.basis_converted == 3 * amount
    assert last.earnings_converted == pytest.approx(sum(waits), abs=0.015)
    assert last.amount_converted == pytest.approx(last.roth_balance, abs=0.015)
    assert last.conversion_tax == pytest.approx(round(last.earnings_converted * 0.24, 2), abs=0.005)
    assert last.unconverted_at_year_end == 0


def test_plan_features_decide_at_separation_whatever_the_cadence():
    base = default_scenario().replace(years=2, in_plan_conversion="no", in_service_withdrawal="no")
    assert schedule(base).equals(schedule(base.replace(conversion_cadence="at_separation")))
    either = default_scenario().replace(years=2, in_plan_conversion="no")  # in-service rollover still works
    assert schedule(either).iloc[0].earnings_converted == 0  # per paycheck: nothing to tax
    assert schedule(either).iloc[0].amount_converted == 38500


def test_buckets_carry_account_subtype_and_tax_fraction():
    long = buckets(schedule())
    first = long[long.year == 2026].set_index("bucket")
    assert first.loc["after_tax_contribution", "account_subtype"] == "after_tax_401k"
    assert first.loc["pretax_deferral", "contribution_tax_fraction"] == 0.0
    assert first.loc["amount_converted", "account_subtype"] == "roth_ira"  # in-service rollover
    assert len(long) == 10 * 5


def test_columns_are_stable():
    assert list(schedule().columns) == list(COLUMN_NAMES)


def test_import_schedule_does_not_load_pandas():
    code = "import megabackdoor.schedule, sys, json; print(json.dumps('pandas' in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) is False


def test_n_per_year_cadence_uses_the_number_of_conversion_dates():
    base = default_scenario().replace(years=2, settlement_lag_days=3)
    monthly = schedule(base.replace(conversion_cadence="monthly"))
    twelve = schedule(base.replace(conversion_cadence="n_per_year", conversions_per_year=12))
    assert twelve.equals(monthly)  # the same twelve dates
    every_payday = schedule(base.replace(conversion_cadence="per_paycheck"))
    assert schedule(base.replace(conversion_cadence="n_per_year", conversions_per_year=26)).equals(every_payday)
    five = schedule(base.replace(conversion_cadence="n_per_year", conversions_per_year=5)).iloc[0]
    expected = conversion_earnings(38500, 0.06, "n_per_year", "biweekly", 3, conversions_per_year=5)
    assert five.earnings_converted == round(expected.earnings_converted, 2) > monthly.iloc[0].earnings_converted


def test_conversions_per_year_is_checked_and_named():
    with pytest.raises(InputError, match=r"conversion\.conversions_per_year: got 366"):
        loads("[conversion]\ncadence = 'n_per_year'\nconversions_per_year = 366")
