"""Worksheet functions for converting after-tax money to Roth: specs read by the registry.

Engines: :mod:`megabackdoor.conversion`, :mod:`megabackdoor.tax`, :mod:`megabackdoor.compare` (named as strings,
imported on the first call). See :mod:`megabackdoor.excel.registry` for the spec format.
"""

from __future__ import annotations

import datetime as dt

from ..cadences import CADENCES
from .registry import Arg, Example, Function

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FILING_STATUSES = ("single", "mfj", "mfs", "hoh", "qss")
PAY_FREQUENCIES = ("weekly", "biweekly", "semimonthly", "monthly", "annual", "daily")
SPLIT_HEADER = ["destination", "after_tax", "pre_tax", "taxable"]


def rollover_split_table(balance: Any, basis: Any, amount: Any = None) -> list[list[Any]]:
    """ROLLOVER_SPLIT's spill: the Notice 2014-54 table (header, roth_ira, traditional_ira, cash, total)."""
    from ..conversion import rollover_split

    return rollover_split(balance, basis, amount).rows()


ORDER = 20  # place in the docs index (registry default 50)

FUNCTIONS = [
    Function(
        "CONVERSION_TAX",
        engine="megabackdoor.tax:conversion_tax",
        batch="megabackdoor.tax:conversion_tax_batch",
        output="total_tax",
        description="Tax on converting after-tax money to Roth: the amount above basis taxed at a marginal rate, "
                    "or through the federal brackets for a filing status and taxable income, plus a flat state "
                    "rate.",
        args=[
            Arg("amount", "Amount converted, dollars.", unit="USD"),
            Arg("basis", "After-tax basis in it (contributions already taxed), dollars. Only amount - basis is "
                         "taxable.", unit="USD"),
            Arg("rate_or_status", "A marginal rate as a decimal below 1 (0.24 for 24%), or a filing status for "
                                  "bracket mode: single, mfj, mfs, hoh or qss.",
                kind="any", unit="decimal rate or text", choices=FILING_STATUSES),
            Arg("taxable_income", "Bracket mode: taxable income before the conversion, after deductions, "
                                  "dollars. Required with a filing status.", unit="USD", default=None),
            Arg("year", "Bracket mode: tax year, 2025 or later (years after 2026 use projected brackets). "
                        "Required with a filing status.", unit="year", default=None),
            Arg("state_rate", "Flat state income-tax rate on the taxable amount, decimal (0.05 for 5%). "
                              "Default 0.", unit="decimal rate", default=0.0),
        ],
        returns="Total tax on the conversion: federal + state", unit="USD",
        examples=[
            Example((26000, 25000, "single", 150000, 2026), 240.0,
                    note="$1,000 of earnings, all in the 24% bracket"),
            Example((26000, 25000, 0.24, None, None, 0.05), 290.0, note="flat 24% + 5% state"),
            Example((24000, 25000, 0.24), 0.0, note="worth less than its basis: nothing taxable (no loss either)"),
            Example((26000, 25000, "mfj", 150000, 2027), 220.0, note="projected 2027 brackets, 22%"),
            Example((26000, 25000, 24), error="#NUM!", note="24 looks like a percent"),
            Example((26000, 25000, "married"), error="#VALUE!"),
            Example((26000, 25000, "single"), error="#VALUE!", note="bracket mode needs taxable_income"),
        ],
        citation="IRC §402A(c)(4), §408A(d)(3)(A), §1(j) rate schedules (Rev. Proc. 2024-40, 2025-32)",
        rule="taxable = max(0, amount - basis). Flat mode: federal = taxable × rate. Bracket mode: federal = "
             "T(taxable_income + taxable) - T(taxable_income), T the year's schedule for the filing status. "
             "state = taxable × state_rate. A conversion worth less than its basis is not a deductible loss.",
    ),
    Function(
        "CONVERSION_EARNINGS",
        engine="megabackdoor.conversion:conversion_earnings",
        output="earnings_converted",
        description="Taxable earnings converted in a year on after-tax 401(k) contributions, given how often "
                    "they are converted: the growth between each paycheck's contribution and its conversion.",
        args=[
            Arg("annual_after_tax", "After-tax contributions for the year, dollars, made in equal installments "
                                    "each pay period.", unit="USD per year"),
            Arg("annual_return", "Expected annual return, decimal (0.07 for 7%), -0.99 to 1.",
                unit="decimal rate"),
            Arg("cadence", "How often the plan converts: per_paycheck (default), daily (automatic), weekly, "
                           "semimonthly, monthly, quarterly, semiannual, annual, n_per_year or at_separation.",
                kind="text", unit="text", choices=CADENCES, default="per_paycheck"),
            Arg("pay_frequency", "Pay periods: biweekly (default), weekly, semimonthly, monthly, or annual (an "
                                 "annual amount spread evenly).", kind="text", unit="text",
                choices=PAY_FREQUENCIES, default="biweekly"),
            Arg("settlement_lag_days", "Whole days from a contribution until it can be converted, 0 to 365. "
                                       "Default 0.", unit="days", default=0),
            Arg("conversions_per_year", "Only with cadence n_per_year: conversions a year, 1 to 365.",
                unit="per year", default=None, blank_zero=True),
            Arg("years_until_separation", "Only with cadence at_separation: years from 31 December of the "
                                          "contribution year until you leave and convert, 0 to 60.",
                unit="years", default=None),
        ],
        returns="Earnings converted in the year (taxable as ordinary income)", unit="USD per year",
        examples=[
            Example((26000, 0.07, "annual"), 864.75, places=2,
                    note="converted once a year on 31 December; about 175 days' wait on average"),
            Example((26000, 0.07), 0.0, note="per_paycheck, converted on payday: no earnings"),
            Example((26000, 0.07, "monthly"), 67.78, places=2),
            Example((26000, 0.07, "daily", "biweekly", 2), 9.64, places=2, note="two days to settle"),
            Example((26000, 0.07, "n_per_year", "biweekly", 0, 4), 204.08, places=2),
            Example((26000, 0.07, "at_separation", "biweekly", 0, None, 5), 11679.21, places=2),
            Example((26000, 7), error="#NUM!", note="7 looks like a percent"),
            Example((26000, 0.07, "hourly"), error="#VALUE!"),
        ],
        citation="IRC §402A(c)(4), §408A(d)(3)(A) (earnings converted are taxable); §72(e)(8), §72(d)(2)",
        rule="Installments a = annual_after_tax / n arrive at the end of each pay period; each converts at the "
             "first conversion date on or after it settles; an installment that waits w years carries taxable "
             "earnings a((1+r)^w - 1). Summed in closed form for a 365-day year.",
    ),
    Function(
        "ROTH_VS_TAXABLE",
        engine="megabackdoor.compare:roth_vs_taxable",
        output="advantage",
        description="How many dollars a Roth is ahead of a taxable brokerage account after a horizon, for the "
                    "same after-tax money (dividends taxed yearly, gains at sale). Negative when taxable wins.",
        args=[
            Arg("amount", "After-tax dollars that go into the Roth.", unit="USD"),
            Arg("years", "Horizon in whole years, 0 to 100.", unit="years"),
            Arg("annual_return", "Expected total return a year (price + dividends), decimal.",
                unit="decimal rate"),
            Arg("conversion_tax", "Tax paid now to convert (e.g. from CONVERSION_TAX), dollars; the taxable "
                                  "account gets it invested too. Default 0.", unit="USD", default=0.0),
            Arg("dividend_yield", "Yearly dividends as a fraction of value, decimal. Default 0.015.",
                unit="decimal fraction", default=0.015),
            Arg("qualified_dividend_rate", "Federal rate on qualified dividends: 0, 0.15 or 0.20. Default 0.15.",
                unit="decimal rate", default=0.15),
            Arg("ltcg_rate", "Federal long-term capital-gain rate at sale: 0, 0.15 or 0.20. Default 0.15.",
                unit="decimal rate", default=0.15),
            Arg("niit", "TRUE to add the 3.8% net investment income tax to dividends and gains. Default FALSE.",
                kind="flag", unit="TRUE/FALSE", default=False),
            Arg("state_rate", "State rate on dividends and gains, decimal. Default 0.", unit="decimal rate",
                default=0.0),
        ],
        returns="Roth value minus the taxable account's value after the tax on sale, at the horizon",
        unit="USD",
        examples=[
            Example((10000, 30, 0.07), 12143.08, places=2,
                    note="$76,122.55 tax-free vs $63,979.47 after tax"),
            Example((10000, 30, 0.07, 240), 10607.58, places=2, note="$240 of conversion tax invested as well"),
            Example((10000, 30, 0.07, 0, 0.015, 0.15, 0.15, True, 0.05), 18860.43, places=2,
                    note="NIIT and a 5% state tax"),
            Example((10000, 0, 0.07), 0.0, note="no horizon, no difference"),
            Example((10000, 30, 7), error="#NUM!"),
            Example((10000, 30.5, 0.07), error="#NUM!", note="whole years"),
        ],
        citation="IRC §408A(d)(1) (qualified distributions), §1(h) (dividend and gain rates), §1411 (NIIT)",
        rule="roth = amount (1+r)^N. Taxable: V0 = amount + conversion_tax grows at g = 1 + r - y·td with "
             "after-tax dividends reinvested (td = dividend rate + NIIT + state); at sale the gain over basis is "
             "taxed at tg = ltcg_rate + NIIT + state. advantage = roth - taxable.",
    ),
    Function(
        "ROLLOVER_SPLIT",
        engine=rollover_split_table,
        table=True,
        description="Splits a distribution of the after-tax 401(k) subaccount into basis and earnings (pro rata) "
                    "the Notice 2014-54 way: basis to a Roth IRA, earnings to a traditional IRA. Spills a table.",
        args=[
            Arg("balance", "Value of the after-tax subaccount (basis + earnings), dollars.", unit="USD"),
            Arg("basis", "After-tax contributions in it not yet recovered, dollars.", unit="USD"),
            Arg("amount", "The distribution, dollars. Default: the whole balance.", unit="USD", default=None,
                blank_zero=True),
        ],
        returns="A 5 x 4 table: destination (roth_ira, traditional_ira, cash, total), after_tax, pre_tax, "
                "taxable",
        unit="USD",
        examples=[
            Example((50000, 45000),
                    [SPLIT_HEADER, ["roth_ira", 45000.0, 0.0, 0.0], ["traditional_ira", 0.0, 5000.0, 0.0],
                     ["cash", 0.0, 0.0, 0.0], ["total", 45000.0, 5000.0, 0.0]],
                    note="$45,000 basis to the Roth IRA tax-free, $5,000 earnings to a traditional IRA"),
            Example((50000, 45000, 10000),
                    [SPLIT_HEADER, ["roth_ira", 9000.0, 0.0, 0.0], ["traditional_ira", 0.0, 1000.0, 0.0],
                     ["cash", 0.0, 0.0, 0.0], ["total", 9000.0, 1000.0, 0.0]],
                    note="a partial distribution carries basis pro rata"),
            Example((50000, 45000, 60000), error="#NUM!", note="more than the balance"),
        ],
        citation="IRS Notice 2014-54; IRC §402(c)(2), §72(e)(8), §72(d)(2), §408A(e)",
        rule="after_tax = amount × basis / balance (all basis when basis ≥ balance), pre_tax = amount - "
             "after_tax. Pre-tax dollars go first to the direct rollovers; here the pre-tax part goes to the "
             "traditional IRA and the basis to the Roth IRA, so nothing is taxable.",
    ),
    Function(
        "BACKDOOR_PRO_RATA",
        engine="megabackdoor.conversion:backdoor_pro_rata",
        description="Taxable part of a traditional-to-Roth IRA (backdoor) conversion under the pro-rata rule: all "
                    "traditional, SEP and SIMPLE IRAs on 31 December count (Form 8606 lines 6-18).",
        args=[
            Arg("amount_converted", "Amount converted in the year, dollars (Form 8606 line 8).", unit="USD"),
            Arg("basis", "Total nondeductible IRA basis, dollars (Form 8606 line 5).", unit="USD"),
            Arg("year_end_balance", "All traditional, SEP and SIMPLE IRAs on 31 December after the conversion, "
                                    "dollars (Form 8606 line 6).", unit="USD"),
        ],
        returns="Taxable amount of the conversion (Form 8606 line 18)", unit="USD",
        examples=[
            Example((7000, 7000, 93000), 6510.0, note="a $93,000 pre-tax IRA makes 93% taxable"),
            Example((7000, 7000, 0), 0.0, note="clean backdoor"),
            Example((7010, 7000, 0), 10.0, note="$10 of interest before converting"),
            Example((7000, 7000, -1), error="#NUM!"),
        ],
        citation="IRC §408(d)(1)-(2), §72; Form 8606 lines 5-18",
        rule="line 9 = year_end_balance + amount_converted; line 10 = min(1, basis / line 9); taxable = "
             "amount_converted - amount_converted × line 10.",
    ),
    Function(
        "FIVE_YEAR_DATE",
        engine="megabackdoor.conversion:five_year_date",
        description="The date a conversion's taxable part is free of the 10% early-withdrawal recapture: 1 "
                    "January of the conversion year + 5. Each conversion has its own clock.",
        args=[
            Arg("conversion_date", "Date of the conversion: a date cell, an Excel date serial or text like "
                                   "2026-03-15.", kind="date", unit="date"),
        ],
        returns="1 January of the conversion year + 5, as a date (xlwings Lite and Server format it with the "
                "workbook's short date format; with classic xlwings format the cell as a date)",
        unit="date",
        examples=[
            Example((dt.date(2026, 3, 15),), dt.date(2031, 1, 1)),
            Example((46387,), dt.date(2031, 1, 1), note="serial 46387 = 31 December 2026"),
            Example(("2026-12-31",), dt.date(2031, 1, 1)),
            Example(("March",), error="#VALUE!"),
            Example((dt.date(1990, 1, 1),), error="#NUM!", note="no Roth IRAs before 1998"),
        ],
        citation="IRC §408A(d)(3)(F); Treas. Reg. §1.408A-6 Q&A-5; §402A(c)(4)(D)",
        rule="A distribution allocable to a conversion within the five taxable years starting 1 January of the "
             "conversion year owes the §72(t) 10% tax on the part that was taxable when converted, unless an "
             "exception applies (e.g. age 59½). Converted basis carries no recapture.",
    ),
]
