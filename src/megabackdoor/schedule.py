"""The multi-year mega-backdoor schedule: one row per year from a :class:`~megabackdoor.scenario.Scenario`.

Each row applies the one-year rules of the engine (limits.py for published/projected limits, headroom.py for
the §415(c) room, conversion/ and tax.py for converted earnings and their tax) to that year's pay, age and
limits, and carries balances forward. The planning workbook's Schedule sheet computes the same columns with
native formulas; tests recalculate it with LibreOffice and ``formulas`` and compare every cell with
:func:`schedule` to the cent. Wherever the workbook rounds (ROUND to cents), this module rounds with
:func:`~megabackdoor.rounding.excel_round`.

Rules per year (``i`` = years since the first row):

* compensation = ROUND(salary x (1+g)^i, 2) + ROUND(bonus x (1+g)^i, 2); pay for plan purposes is capped at
  §401(a)(17);
* deferral (policy max / fixed / percent) = min(policy amount, §402(g) + catch-up for the age, compensation);
* employer match = ROUND(sum of tier rate x deferrals within the tier's band of capped pay, 2);
  non-elective = ROUND(rate x capped pay, 2);
* catch-up used, after-tax room, binding constraint: :func:`megabackdoor.headroom.headroom_breakdown`;
* after-tax contribution = the room when the plan takes after-tax money, else 0;
* earnings converted = ROUND(conversion.conversion_earnings(after-tax, return, cadence, pay frequency,
  settlement lag).earnings_converted, 2) (the closed form in its docstring; the workbook writes it with
  ^ and the pay/cadence constants); amount converted = after-tax + earnings; basis = after-tax;
* conversion at separation (cadence 'at_separation', or a plan with neither an in-plan conversion nor an
  in-service withdrawal: nothing can be converted while employed): each year's after-tax money waits until
  separation, taken to be 31 December of the schedule's last year. Its earnings are
  ROUND(conversion_earnings(after-tax, ..., 'at_separation', years_until_separation = last year - year), 2);
  the last row converts all the basis and the sum of those earnings, to the cent, and pays their tax
  (Notice 2014-54 also allows the earnings to go to a traditional IRA untaxed; see rollover_split);
* taxable part of the conversion = ROUND(amount converted - basis, 2) when positive, else 0;
* conversion tax = tax.conversion_tax(taxable part, marginal rate or filing status, taxable income grown with
  salary, year, state rate, inflation): flat, or T(income + taxable) - T(income), each T to the cent, from the
  rate schedule (published 2025-2026, later years indexed by chained CPI-U);
* Roth deferral = min(deferral, max(ROUND(deferral x Roth share, 2), catch-up used if §414(v)(7) requires
  Roth catch-ups)): prior-year FICA wages above the threshold from 2026 (the first row uses the scenario's
  figure, later rows the prior row's compensation);
* balances: the mega-backdoor balance = prior x (1 + r) + after-tax x F(r, n), where F is
  :func:`~megabackdoor.growth.year_end_factor`: each payday's contribution grows from its payday to 31 December
  whether it is still after-tax or already converted (conversions only move earnings from after-tax to Roth), so the
  balance holds the Roth money plus after-tax money awaiting conversion. The taxable alternative invests the
  same after-tax dollars on the same paydays at r x (1 - tax drag); advantage = balance - taxable balance -
  conversion tax paid to date (before a conversion at separation, the tax on the waiting earnings is still
  to come: it is paid in the last row).

>>> table = schedule()                       # the built-in default: the article's 2026 case
>>> row = table.iloc[0]
>>> [float(row[k]) for k in ("year", "age", "deferral", "employer", "after_tax_room")]
[2026.0, 35.0, 24500.0, 9000.0, 38500.0]
"""

from __future__ import annotations

from . import headroom, limits
from .catchup import roth_catchup_applies
from .conversion import PAY_PERIODS, conversion_earnings
from .growth import year_end_factor, year_end_factor_formula  # noqa: F401 - public here before growth.py
from .match import bands, match_total
from .rounding import excel_round
from .scenario import Scenario, default_scenario
from .tax import conversion_tax

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import pandas

# (column, header, format) in schedule order; the workbook's Schedule sheet has one column per entry.
# format: int / text / money / flag.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("year", "Year", "int"),
    ("age", "Age (31 Dec)", "int"),
    ("limits_status", "Limits", "text"),
    ("limit_415c", "§415(c) limit", "money"),
    ("limit_402g", "§402(g) limit", "money"),
    ("catchup_limit", "Catch-up limit for the age", "money"),
    ("limit_401a17", "§401(a)(17) pay cap", "money"),
    ("roth_catchup_threshold", "Roth catch-up wage threshold", "money"),
    ("compensation", "Compensation", "money"),
    ("compensation_capped", "Pay capped at §401(a)(17)", "money"),
    ("deferral", "Elective deferral", "money"),
    ("deferral_over_402g", "Deferral above §402(g)", "money"),
    ("catchup_used", "Catch-up used", "money"),
    ("non_catchup_deferral", "Deferral inside §415(c)", "money"),
    ("employer_match", "Employer match", "money"),
    ("employer_nonelective", "Employer non-elective", "money"),
    ("employer", "Employer money", "money"),
    ("limit_415c_used", "§415(c) limit used (min of dollars, pay)", "money"),
    ("room_before_cap", "Room before plan cap", "money"),
    ("plan_cap_amount", "Plan after-tax cap", "money"),
    ("after_tax_room", "After-tax room", "money"),
    ("binding", "Binding constraint", "text"),
    ("after_tax_contribution", "After-tax contribution", "money"),
    ("prior_year_fica_wages", "Prior-year FICA wages", "money"),
    ("roth_catchup_required", "Catch-ups must be Roth (1 = yes)", "flag"),
    ("roth_deferral", "Roth deferral", "money"),
    ("pretax_deferral", "Pre-tax deferral", "money"),
    ("total_contributions", "Total into the 401(k)", "money"),
    ("taxable_income", "Taxable income before conversion", "money"),
    ("earnings_converted", "Earnings converted (taxable)", "money"),
    ("amount_converted", "Amount converted to Roth", "money"),
    ("unconverted_at_year_end", "After-tax money not yet converted", "money"),
    ("separation_earnings", "Earnings on this year's money, taxed at separation", "money"),
    ("taxable_conversion", "Taxable part of the conversion", "money"),
    ("federal_tax", "Federal tax on the conversion", "money"),
    ("state_tax", "State tax on the conversion", "money"),
    ("conversion_tax", "Conversion tax", "money"),
    ("conversion_tax_to_date", "Conversion tax to date", "money"),
    ("basis_converted", "After-tax basis converted", "money"),
    ("roth_basis", "Cumulative Roth basis", "money"),
    ("roth_balance", "Mega-backdoor balance (Roth + awaiting conversion)", "money"),
    ("taxable_balance", "Taxable-account alternative", "money"),
    ("advantage", "Roth advantage after tax paid", "money"),
)
COLUMN_NAMES = tuple(name for name, _, _ in COLUMNS)

# Columns the engine rounds to the cent (excel_round) where it computes them: exactly the columns whose
# workbook formula is ROUND(..., 2) in every branch (tests/test_rounding_agreement.py derives that set from the
# formulas). Later steps use the rounded value, as the workbook's later cells do.
CENT_COLUMNS = frozenset({
    "employer_match", "employer_nonelective", "taxable_income", "earnings_converted", "unconverted_at_year_end",
    "separation_earnings", "taxable_conversion", "federal_tax", "state_tax", "conversion_tax",
})

# The article's asset-level fields for each contribution bucket: account_subtype and contribution_tax_fraction
# (the share of the contribution already taxed: 0 for pre-tax money, 1 for Roth and after-tax dollars).
BUCKETS: dict[str, tuple[str, float]] = {
    "pretax_deferral": ("traditional_401k", 0.0),
    "roth_deferral": ("roth_401k", 1.0),
    "employer": ("traditional_401k_employer", 0.0),
    "after_tax_contribution": ("after_tax_401k", 1.0),
}
CONVERTED_SUBTYPE = {"in_service_rollover_to_roth_ira": "roth_ira", "in_plan_roth_conversion": "roth_401k",
                     "convert_at_separation": "after_tax_401k", "not_available": "none"}


def _grow(amount: float, growth: float, years: int) -> float:
    return excel_round(amount * (1 + growth) ** years, 2)


def match_amount(deferral: float, pay_capped: float, tiers: tuple[tuple[float, float], ...]) -> float:
    """Employer match: each tier's rate on the deferrals that fall in its band of (capped) pay, to the cent
    (:mod:`megabackdoor.match`, the rule the workbook's formula writes).

    >>> match_amount(24500, 150000, ((1.0, 0.03), (0.5, 0.05)))   # 100% of 3% + 50% of the next 2%
    6000.0
    """
    return excel_round(match_total(deferral, pay_capped, bands(tiers)), 2)


def converts_at_separation(scenario: Scenario) -> bool:
    """True when the after-tax money waits until separation: the cadence says so, or the plan offers neither
    an in-plan Roth conversion nor an in-service withdrawal (headroom.conversion_path 'convert_at_separation')."""
    return scenario.conversion_cadence == "at_separation" or conversion_path(scenario) == "convert_at_separation"


def _conversion(after_tax: float, scenario: Scenario, years_to_separation: int | None = None):
    """conversion.conversion_earnings on one year's after-tax money with the scenario's cadence, or, given
    ``years_to_separation`` (from 31 December of that year to the schedule's end), converted at separation."""
    cadence = scenario.conversion_cadence if years_to_separation is None else "at_separation"
    return conversion_earnings(after_tax, scenario.expected_return, cadence=cadence,
                               pay_frequency=scenario.pay_frequency,
                               settlement_lag_days=scenario.settlement_lag_days,
                               conversions_per_year=scenario.conversions_per_year if cadence == "n_per_year"
                               else None, years_until_separation=years_to_separation)


def _tax(amount: float, basis: float, taxable_income: float, year: int, scenario: Scenario):
    """tax.conversion_tax: flat at the marginal rate, or by the brackets of the filing status."""
    rate_or_status = scenario.marginal_rate if scenario.filing_status == "marginal_rate" else scenario.filing_status
    return conversion_tax(amount, basis, rate_or_status, taxable_income=taxable_income, year=year,
                          state_rate=scenario.state_rate, inflation=scenario.inflation)


def schedule_rows(scenario: Scenario | None = None) -> list[dict[str, Any]]:
    """The schedule as a list of dicts (one per year, keys :data:`COLUMN_NAMES`), without pandas."""
    s = scenario if scenario is not None else default_scenario()
    inflation, reading = s.inflation, s.catchup_reading
    rows: list[dict[str, Any]] = []
    prior_wages = s.prior_year_fica_wages
    roth_basis = roth_balance = taxable_balance = tax_paid = 0.0
    rate = s.expected_return
    taxable_rate = rate * (1 - s.taxable_tax_drag)
    paydays = PAY_PERIODS[s.pay_frequency]
    growth = year_end_factor(rate, paydays)
    taxable_growth = year_end_factor(taxable_rate, paydays)
    at_separation = converts_at_separation(s)
    waiting_basis = waiting_earnings = 0.0  # after-tax money held for a conversion at separation
    for i in range(s.years):
        year = s.start_year + i
        age = year - s.birth_year
        limit_415c = float(limits.limit_value("415c", year, inflation, reading))
        limit_402g = float(limits.limit_value("402g", year, inflation, reading))
        catchup = float(headroom.catchup_limit(year, age, inflation, reading))
        limit_401a17 = float(limits.limit_value("401a17", year, inflation, reading))
        threshold = limits.limit_value("roth_catchup_wage_threshold", year, inflation, reading)
        threshold = float(threshold) if threshold is not None else 0.0
        compensation = _grow(s.salary, s.salary_growth, i) + _grow(s.bonus, s.salary_growth, i)
        pay_capped = min(compensation, limit_401a17)
        ceiling = min(limit_402g + catchup, compensation)
        if s.deferral_policy == "max":
            deferral = ceiling
        elif s.deferral_policy == "fixed":
            deferral = min(s.deferral_amount, ceiling)
        else:
            deferral = min(excel_round(s.deferral_percent * compensation, 2), ceiling)
        match = match_amount(deferral, pay_capped, s.match_tiers)
        nonelective = excel_round(s.nonelective * pay_capped, 2)
        employer = match + nonelective
        try:
            room = headroom.headroom_breakdown(year, age, deferral, employer, compensation, s.after_tax_cap,
                                               0.0, inflation, reading)
        except headroom.InputError as error:
            raise headroom.InputError(f"scenario year {year}: {error.argument}", error.value, error.accepted,
                                      kind=error.kind, hint=error.hint) from None
        room_before_cap = max(0.0, room.limit_415c - (room.non_catchup_deferral + employer))
        after_tax = room.after_tax_room if s.after_tax_allowed == "yes" else 0.0
        required = 1 if roth_catchup_applies(year, prior_wages, threshold) else 0
        roth_deferral = min(deferral, max(excel_round(deferral * s.roth_deferral_fraction, 2),
                                          room.catchup_used if required else 0.0))
        taxable_income = _grow(s.taxable_income, s.salary_growth, i)
        last = i == s.years - 1
        separation_earnings = 0.0
        if at_separation:
            # Everything waits and converts at separation, at the end of the schedule's last year.
            separation_earnings = excel_round(_conversion(after_tax, s, s.years - 1 - i).earnings_converted, 2)
            waiting_basis += after_tax
            waiting_earnings += separation_earnings
            basis = waiting_basis if last else 0.0
            earnings = excel_round(waiting_earnings, 2) if last else 0.0
        else:
            # After-tax dollars and their earnings are converted at the cadence (steady state: the year's
            # conversions); converted amounts are kept to the cent, as the workbook does.
            result = _conversion(after_tax, s)
            earnings = excel_round(result.earnings_converted, 2)
            unconverted = excel_round(result.unconverted_at_year_end, 2)
            basis = after_tax
        converted = basis + earnings
        # The workbook's ROUND(amount - basis, 2): the taxable part to the cent, then taxed.
        taxable = excel_round(converted - basis, 2) if converted > basis else 0.0
        try:
            tax = _tax(taxable, 0.0, taxable_income, year, s)
        except headroom.InputError as error:
            raise headroom.InputError(f"scenario year {year}: {error.argument}", error.value, error.accepted,
                                      kind=error.kind, hint=error.hint) from None
        conversion_tax = tax.total_tax
        roth_basis += basis
        roth_balance = roth_balance * (1 + rate) + after_tax * growth
        taxable_balance = taxable_balance * (1 + taxable_rate) + after_tax * taxable_growth
        if at_separation:
            unconverted = 0.0 if last else excel_round(roth_balance, 2)
        tax_paid += conversion_tax
        rows.append({
            "year": year, "age": age,
            "limits_status": "published" if ("415c", year) in limits.PUBLISHED else "projected",
            "limit_415c": limit_415c, "limit_402g": limit_402g, "catchup_limit": catchup,
            "limit_401a17": limit_401a17, "roth_catchup_threshold": threshold,
            "compensation": compensation, "compensation_capped": pay_capped,
            "deferral": deferral, "deferral_over_402g": max(0.0, deferral - limit_402g),
            "catchup_used": room.catchup_used, "non_catchup_deferral": room.non_catchup_deferral,
            "employer_match": match, "employer_nonelective": nonelective, "employer": employer,
            "limit_415c_used": room.limit_415c, "room_before_cap": room_before_cap,
            "plan_cap_amount": room.plan_cap_amount, "after_tax_room": room.after_tax_room,
            "binding": room.binding, "after_tax_contribution": after_tax,
            "prior_year_fica_wages": prior_wages, "roth_catchup_required": required,
            "roth_deferral": roth_deferral, "pretax_deferral": deferral - roth_deferral,
            "total_contributions": deferral + employer + after_tax,
            "taxable_income": taxable_income, "earnings_converted": earnings, "amount_converted": converted,
            "unconverted_at_year_end": unconverted, "taxable_conversion": taxable,
            "federal_tax": tax.federal_tax, "state_tax": tax.state_tax, "conversion_tax": conversion_tax,
            "conversion_tax_to_date": tax_paid, "basis_converted": basis, "roth_basis": roth_basis,
            "roth_balance": roth_balance, "taxable_balance": taxable_balance,
            "advantage": roth_balance - taxable_balance - tax_paid,
            "separation_earnings": separation_earnings,
        })
        prior_wages = compensation
    return rows


def schedule(scenario: Scenario | None = None) -> pandas.DataFrame:
    """The schedule as a pandas DataFrame, one row per year (columns :data:`COLUMN_NAMES`).

    ``DataFrame.attrs`` carries the scenario name, the conversion path and the bucket fields
    (``account_subtype``, ``contribution_tax_fraction``); :func:`buckets` gives them as a long table.
    """
    import pandas

    s = scenario if scenario is not None else default_scenario()
    table = pandas.DataFrame(schedule_rows(s), columns=list(COLUMN_NAMES))
    path = conversion_path(s)
    table.attrs.update({"scenario": s.name, "conversion_path": path,
                        "buckets": {**{k: {"account_subtype": v[0], "contribution_tax_fraction": v[1]}
                                       for k, v in BUCKETS.items()},
                                    "amount_converted": {"account_subtype": CONVERTED_SUBTYPE[path],
                                                         "contribution_tax_fraction": 1.0}}})
    return table


def conversion_path(scenario: Scenario) -> str:
    """How the scenario's after-tax money becomes Roth (headroom.conversion_path on its plan features)."""
    return headroom.conversion_path(scenario.after_tax_allowed == "yes", scenario.in_plan_conversion == "yes",
                                    scenario.in_service_withdrawal == "yes")


def buckets(table: pandas.DataFrame) -> pandas.DataFrame:
    """A long table: year, bucket, amount, account_subtype, contribution_tax_fraction (one row per bucket).

    >>> long = buckets(schedule())
    >>> list(long[long.year == 2026][["bucket", "amount", "account_subtype", "contribution_tax_fraction"]].values[3])
    ['after_tax_contribution', 38500.0, 'after_tax_401k', 1.0]
    """
    import pandas

    fields = table.attrs["buckets"]
    records = []
    for row in table.itertuples(index=False):
        for bucket, info in fields.items():
            records.append({"year": row.year, "bucket": bucket, "amount": getattr(row, bucket),
                            "account_subtype": info["account_subtype"],
                            "contribution_tax_fraction": info["contribution_tax_fraction"]})
    return pandas.DataFrame.from_records(records)
