"""Worksheet functions for limits and after-tax room: specs read by the registry.

See :mod:`megabackdoor.excel.registry` for the spec format. Engines are named as strings and imported on
the first call; the small adapters below pick the cell value out of an engine record.
"""

from __future__ import annotations

from ..cadences import DEFAULT_INFLATION, LIMIT_NAMES
from .registry import Arg, Example, Function

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

YEAR = Arg("year", "Calendar (limitation) year, 2014 to 2100. Years after 2026 use the statutory indexing "
                   "rule at the assumed inflation.", unit="year")
AGE = Arg("age", "Age attained by 31 December of the year (the age the catch-up rules test), 0 to 120.",
          unit="years")
INFLATION = Arg("inflation", "Assumed annual CPI growth for projected years, as a decimal (0.025 for 2.5%). "
                             f"Ignored for published years. Default {DEFAULT_INFLATION}.",
                unit="decimal rate", default=DEFAULT_INFLATION)
PHASEOUT_HEADER = ["filing_status", "start", "end"]


def irs_limit_value(name: Any, year: Any, inflation: Any = DEFAULT_INFLATION) -> Any:
    """IRS_LIMIT's cell value: the amount, or the Roth IRA phase-out table (header + one row per group)."""
    from ..limits import irs_limit

    value = irs_limit(name, year, inflation).value
    if isinstance(value, dict):
        return [PHASEOUT_HEADER] + [[group, float(r["start"]), float(r["end"])] for group, r in value.items()]
    return float(value)


def roth_catchup_flag(year: Any, prior_year_fica_wages: Any) -> bool:
    """ROTH_CATCHUP_REQUIRED's cell value: whether catch-ups must be designated Roth."""
    from ..headroom import roth_catchup_required

    return roth_catchup_required(year, prior_year_fica_wages).required


ORDER = 10  # place in the docs index (registry default 50)

FUNCTIONS = [
    Function(
        "MEGA_HEADROOM",
        engine="megabackdoor.headroom:after_tax_room",
        batch="megabackdoor.headroom:after_tax_room_batch",
        batch_checks_cells=True,    # validate.checked_column and _batch_limits refuse every odd cell (None)
        description="After-tax (mega-backdoor) 401(k) room for a year: min(§415(c) limit, pay) minus non-catch-up "
                    "deferrals, employer money and forfeitures, capped by the plan's after-tax limit. Annual "
                    "dollars.",
        args=[
            YEAR, AGE,
            Arg("deferral", "Elective deferrals for the year (pre-tax + Roth, catch-ups included), dollars. "
                            "Catch-ups are taken out of the §415(c) test as the regulations say.",
                unit="USD per year"),
            Arg("employer", "Employer contributions for the year (match, nonelective, profit sharing), dollars.",
                unit="USD per year"),
            Arg("compensation", "§415(c)(3) compensation for the year, dollars. Omit it when pay does not bind "
                                "(then only the dollar limit applies). Required with plan_cap.",
                unit="USD per year", default=None, blank_zero=("deferral", "employer")),
            Arg("plan_cap", "The plan's after-tax cap as a decimal fraction of pay (0.10 for 10%), applied to pay "
                            "up to §401(a)(17). Omit it when the plan has none.",
                unit="decimal fraction", default=None),
            Arg("forfeitures", "Forfeitures reallocated to you this year, dollars. Default 0.",
                unit="USD per year", default=0.0),
        ],
        returns="After-tax contribution room for the year (0 when nothing is left)",
        unit="USD per year",
        examples=[
            Example((2026, 35, 24500, 9000), 38500.0, note="the article's case: $72,000 - $24,500 - $9,000"),
            Example((2026, 35, 24500, 0), 47500.0, note="no employer money"),
            Example((2026, 55, 32500, 9000), 38500.0, note="the $8,000 catch-up sits outside §415(c)"),
            Example((2026, 35, 24500, 9000, 60000), 26500.0, note="pay binds: 100% of $60,000"),
            Example((2026, 35, 24500, 9000, 200000, 0.1), 20000.0, note="plan cap 10% of pay"),
            Example((2026, 35, 24500, 9000, 200000, 10), error="#NUM!", note="10 looks like a percent"),
            Example((2026, 35, "24,500", 9000), error="#VALUE!", note="text is not a number"),
            Example((2026, 35, 40000, 9000), error="#NUM!", note="deferral above §402(g) + catch-up"),
        ],
        citation="IRC §415(c)(1)-(2), §414(v)(3)(A), Treas. Reg. §1.414(v)-1(a)-(b), §401(a)(17), §402(g)",
        rule="room = min(§415(c)(1)(A) dollars, compensation) - (deferral - catch-up used) - employer - "
             "forfeitures, floored at 0; then room = min(room, plan_cap × min(compensation, §401(a)(17))). "
             "Catch-up used = deferrals above §402(g), then deferrals that would break §415(c), up to the "
             "catch-up limit for the age (an unused catch-up adds no room).",
    ),
    Function(
        "IRS_LIMIT",
        engine=irs_limit_value,
        description="An IRS retirement-plan limit for a year: published 2014-2026, later years projected with the "
                    "limit's statutory indexing rule. roth_ira_phaseout spills a table (filing_status, start, "
                    "end).",
        args=[
            Arg("name", "Which limit: 415c, 402g, catchup_50, catchup_60_63, 401a17, hce, ira, ira_catchup, "
                        "roth_catchup_wage_threshold or roth_ira_phaseout.",
                kind="text", unit="limit name",
                choices=LIMIT_NAMES),
            YEAR, INFLATION,
        ],
        returns="The limit in dollars; for roth_ira_phaseout a 4 x 3 table (header, then single, mfj, mfs with "
                "the MAGI where the phase-out starts and ends)",
        unit="USD",
        examples=[
            Example(("415c", 2026), 72000.0),
            Example(("402g", 2025), 23500.0),
            Example(("402g", 2027), 25000.0, note="projected at 2.5% inflation"),
            Example(("roth_ira_phaseout", 2026),
                    [PHASEOUT_HEADER, ["single", 153000.0, 168000.0], ["mfj", 242000.0, 252000.0],
                     ["mfs", 0.0, 10000.0]]),
            Example(("catchup_60_63", 2024), error="#N/A", note="the 60-63 catch-up starts in 2025"),
            Example(("401k", 2026), error="#VALUE!", note="not a limit name"),
        ],
        citation="IRC §415(c)(1)(A), §402(g)(1), §414(v)(2), §401(a)(17), §414(q), §219(b)(5), §414(v)(7), "
                 "§408A(c)(3); indexing §415(d), §1(f)(3); the IRS cost-of-living notice of each year",
        rule="Published values are the IRS notice figures. Projection: §415(d) family = base × (CPI-U "
             "July-September of the prior year / base quarter), ratio truncated to 5 decimals then rounded to 4, "
             "increase rounded down to the step, never decreasing; IRA amounts and Roth IRA phase-outs use "
             "chained CPI-U (§1(f)(3)).",
        array_note="With a range of years IRS_LIMIT returns one amount per year; roth_ira_phaseout is a table "
                   "and can only be asked for one year at a time.",
    ),
    Function(
        "CATCHUP_LIMIT",
        engine="megabackdoor.headroom:catchup_limit",
        description="401(k)/403(b)/457(b) catch-up limit for the age attained by 31 December: 0 under 50, the "
                    "50+ amount, or from 2025 the higher amount for ages 60-63 (instead of the 50+ amount).",
        args=[YEAR, AGE],
        returns="The catch-up contribution limit", unit="USD per year",
        examples=[
            Example((2026, 50), 8000),
            Example((2026, 49), 0),
            Example((2026, 61), 11250),
            Example((2026, 64), 8000, note="at 64 it reverts to the 50+ amount"),
            Example((2024, 61), 7500, note="the 60-63 amount starts in 2025"),
            Example((2026, -1), error="#NUM!"),
        ],
        citation="IRC §414(v)(2)(B)(i), §414(v)(2)(E) (SECURE 2.0 §109), §414(v)(5)(A)",
        rule="Age attained by 31 December: under 50 → 0; 50 or older → §414(v)(2)(B)(i) amount; from 2025, ages "
             "60-63 → §414(v)(2)(E) amount, which replaces the 50+ amount; 64 and older → the 50+ amount.",
    ),
    Function(
        "TOTAL_401K_LIMIT",
        engine="megabackdoor.headroom:total_401k_limit",
        description="Most that can go into a 401(k) in a year from every source: min(§415(c) limit, pay) plus the "
                    "catch-up for the age (catch-ups sit outside §415(c) but cannot exceed the pay left).",
        args=[
            YEAR, AGE,
            Arg("compensation", "§415(c)(3) compensation for the year, dollars. Omit it when pay does not bind.",
                unit="USD per year", default=None),
        ],
        returns="The total annual-additions limit including catch-ups", unit="USD per year",
        examples=[
            Example((2026, 35), 72000.0),
            Example((2026, 55), 80000.0),
            Example((2026, 61), 83250.0),
            Example((2026, 55, 50000), 50000.0, note="pay binds"),
            Example((2026, 35, -5), error="#NUM!"),
        ],
        citation="IRC §415(c)(1), §414(v)(3)(A)",
        rule="min(§415(c)(1)(A) dollars, compensation) + min(catch-up limit, compensation - that amount).",
    ),
    Function(
        "BACKDOOR_IRA_LIMIT",
        engine="megabackdoor.headroom:backdoor_ira_limit",
        description="Regular (backdoor) IRA contribution limit for the year: the §219(b)(5)(A) amount plus the "
                    "catch-up at 50 or older.",
        args=[YEAR, AGE],
        returns="The IRA contribution limit", unit="USD per year",
        examples=[
            Example((2026, 35), 7500),
            Example((2026, 50), 8600),
            Example((2025, 50), 8000),
            Example((2013, 35), error="#NUM!", note="data start in 2014"),
        ],
        citation="IRC §219(b)(5)(A)-(C), §408A(c)(2)",
        rule="IRA limit + IRA catch-up when the age attained by 31 December is 50 or more.",
    ),
    Function(
        "ROTH_CATCHUP_REQUIRED",
        engine=roth_catchup_flag,
        description="TRUE when catch-ups made in the year must be designated Roth: prior-year FICA wages (W-2 box "
                    "3) from the plan sponsor above the threshold ($150,000 for 2026). FALSE before 2026 "
                    "(Notice 2023-62 relief).",
        args=[
            YEAR,
            Arg("prior_year_fica_wages", "FICA wages (W-2 box 3) from the plan sponsor in the year before, "
                                         "dollars. 0 when there were none (a new hire, a partner).",
                unit="USD"),
        ],
        returns="TRUE when catch-ups must be Roth, else FALSE", unit="TRUE/FALSE",
        examples=[
            Example((2026, 150001), True),
            Example((2026, 150000), False, note="the threshold itself is not above it"),
            Example((2025, 400000), False, note="transition relief for 2024 and 2025"),
            Example((2026, 0), False, note="no FICA wages from the sponsor"),
            Example((2026, "high"), error="#VALUE!"),
        ],
        citation="IRC §414(v)(7) (SECURE 2.0 §603); Notice 2023-62; T.D. 10033, Treas. Reg. §1.414(v)-2",
        rule="Required when the year is 2026 or later and prior-year FICA wages from the sponsor exceed the "
             "threshold keyed to the year; 2024-2025: administrative transition relief; before 2024: not in law.",
    ),
    Function(
        "MEGA_PATH",
        engine="megabackdoor.headroom:conversion_path",
        description="How after-tax 401(k) money becomes Roth, from the plan's features: "
                    "in_service_rollover_to_roth_ira, in_plan_roth_conversion, convert_at_separation or "
                    "not_available.",
        args=[
            Arg("after_tax_allowed", "Does the plan take after-tax (non-Roth) contributions? TRUE/FALSE (or "
                                     "yes/no, 1/0).", kind="flag", unit="TRUE/FALSE"),
            Arg("in_plan_conversion", "Does the plan allow in-plan Roth conversions of the after-tax "
                                      "subaccount? TRUE/FALSE.", kind="flag", unit="TRUE/FALSE"),
            Arg("in_service_withdrawal", "Does the plan allow in-service withdrawals (rollovers) of after-tax "
                                         "money while employed? TRUE/FALSE.", kind="flag", unit="TRUE/FALSE"),
        ],
        returns="One of in_service_rollover_to_roth_ira, in_plan_roth_conversion, convert_at_separation, "
                "not_available",
        unit="text",
        examples=[
            Example((True, True, False), "in_plan_roth_conversion"),
            Example((True, False, True), "in_service_rollover_to_roth_ira"),
            Example((True, True, True), "in_service_rollover_to_roth_ira",
                    note="both: the Roth IRA rollover is generally preferred"),
            Example((True, False, False), "convert_at_separation"),
            Example((False, True, True), "not_available"),
            Example(("maybe", True, True), error="#VALUE!"),
        ],
        citation="IRC §402(c), §408A(e), §402A(c)(4); Notice 2014-54",
        rule="No after-tax contributions → not_available; in-service withdrawal → rollover to a Roth IRA; "
             "else in-plan conversion → in_plan_roth_conversion; else convert when you leave the employer.",
    ),
]
