"""MEGA_SCHEDULE: the multi-year mega-backdoor schedule as one spilled table.

Engine: :func:`megabackdoor.schedule.schedule_rows` on a scenario built from the arguments (every other input
takes the built-in default, the article's case). The employer match is a fact about the plan, not an
assumption: it has no default, and an omitted match_rate (or match_up_to with a positive rate) is an error that
says how to state "no match" (match_rate 0). pandas is not needed: the rows come as plain dicts.
"""

from __future__ import annotations

from ..cadences import DEFAULT_INFLATION, SCHEDULE_CADENCES
from .registry import Arg, Example, Function

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The spilled columns: the schedule's key figures (megabackdoor schedule --csv has every column).
TABLE_COLUMNS = ("year", "age", "limits_status", "limit_415c", "compensation", "deferral", "catchup_used",
                 "employer", "after_tax_room", "binding", "after_tax_contribution", "earnings_converted",
                 "conversion_tax", "roth_balance", "taxable_balance", "advantage")


def mega_schedule_table(deferral: Any = "max", match_rate: Any = None, match_up_to: Any = None,
                        **fields: Any) -> list[list[Any]]:
    """MEGA_SCHEDULE's spill: a header row of column names, then one row per year. ``fields``: the scenario
    attributes the other arguments set (each Arg's engine_name is its scenario attribute)."""
    from ..errors import InputError
    from ..rounding import excel_round
    from ..scenario import FIELD_BY_PATH, _attribute, default_scenario
    from ..schedule import schedule_rows

    _require_match(match_rate, match_up_to)
    policy = {"deferral_policy": "max"}
    if not (isinstance(deferral, str) and deferral.strip().lower() == "max"):
        policy = {"deferral_policy": "fixed", "deferral_amount": deferral}
    try:
        scenario = default_scenario().replace(
            match_tiers=((match_rate, match_up_to),) if match_rate else (), **fields, **policy)
        rows = schedule_rows(scenario)
    except InputError as error:
        if error.argument.startswith("scenario year "):  # a year's additions exceed 100% of its pay
            raise InputError("salary", fields.get("salary"), "pay that covers the year's deferral and employer "
                             f"money under §415(c) ({error.argument}: {error.accepted})", kind=error.kind) from None
        # Name the worksheet argument, not the scenario file key ("conversion.cadence" -> cadence).
        key = error.argument.rpartition(".")[2].split("[")[0]
        field = FIELD_BY_PATH.get(error.argument.split("[")[0])
        argument = _ARGUMENT.get(key) or (_BY_ATTRIBUTE.get(_attribute(field)) if field else None) or key
        raise InputError(argument, error.value, error.accepted, kind=error.kind, hint=error.hint) from None
    # Money to the cent, as the workbook shows it (balances are carried unrounded in the engine).
    return [list(TABLE_COLUMNS)] + [[excel_round(value, 2) if type(value) is float else value
                                     for value in (row[key] for key in TABLE_COLUMNS)] for row in rows]


_STATE_MATCH = "state the plan's employer match: match_rate 0.5 with match_up_to 0.06 for 50% of deferrals up to 6% " \
               "of pay, or match_rate 0 for no match"


def _require_match(match_rate: Any, match_up_to: Any) -> None:
    """No silent default for the employer match: a wrong match is a wrong plan (and a wrong §415(c) room)."""
    from ..errors import InputError

    if match_rate is None:
        missing, accepted = "match_rate and match_up_to" if match_up_to is None else "match_rate", \
            "the employer match rate on deferrals (0 for no match)"
        argument = "match_rate"
    elif match_up_to is None and not (type(match_rate) in (int, float) and match_rate == 0):
        missing, accepted = "match_up_to", "the share of pay up to which deferrals are matched, e.g. 0.06"
        argument = "match_up_to"
    else:
        return
    error = InputError(argument, None, accepted, kind="value", hint=_STATE_MATCH)
    error.args = (f"{argument}: {missing} omitted (the match has no default); {_STATE_MATCH}",)
    raise error


_HEADER = list(TABLE_COLUMNS)
# Scenario keys the adapter itself sets (the deferral policy, the match tier) -> the worksheet argument.
_ARGUMENT = {"amount": "deferral", "match": "match_rate", "up_to": "match_up_to", "rate": "match_rate"}

FUNCTIONS = [
    Function(
        "MEGA_SCHEDULE",
        engine=mega_schedule_table,
        table=True,
        description="Year-by-year mega-backdoor schedule: limits (projected after 2026), pay, deferral, catch-up, "
                    "employer money, after-tax room and contribution, conversion tax, Roth vs taxable balance. "
                    "Spills a table.",
        args=[
            Arg("start_year", "First year of the schedule, e.g. 2026.", unit="year"),
            Arg("years", "Number of years (rows), 1 to 40.", unit="years"),
            Arg("birth_year", "Birth year: age = year - birth year, the age attained by 31 December.",
                unit="year"),
            Arg("salary", "Compensation in the first year, dollars.", unit="USD"),
            Arg("salary_growth", "Yearly raise, decimal (0.03 for 3%). Default 0.03.", unit="decimal rate",
                default=0.03),
            Arg("deferral", "\"max\" (the §402(g) limit + catch-up each year) or a dollar amount a year. Default "
                            "max.", kind="any", unit="USD or \"max\"", default="max"),
            # No default: the match is a fact about the plan. 0 is a real value here (no match), so it is never
            # read as a blank cell (blank_zero=False) and "no match" works on every Excel build.
            Arg("match_rate", "Employer match rate on deferrals, decimal (1 = 100%). Required: 0 for no match "
                "(an omitted or blank match is an error, not a default).", unit="decimal", default=None,
                blank_zero=False),
            Arg("match_up_to", "Deferrals matched up to this share of pay (capped at §401(a)(17)), e.g. 0.06. "
                "Required unless match_rate is 0.", unit="decimal fraction", default=None, blank_zero=False),
            Arg("after_tax_cap", "Plan's after-tax cap as a share of pay (1 = no cap). Default 1.",
                unit="decimal fraction", default=1.0),
            Arg("expected_return", "Expected return a year, decimal. Default 0.06.", unit="decimal rate",
                default=0.06),
            Arg("marginal_rate", "Marginal federal rate on converted earnings, decimal. Default 0.24.",
                unit="decimal rate", default=0.24),
            Arg("inflation", f"CPI growth for projected limits, decimal. Default {DEFAULT_INFLATION}.",
                unit="decimal rate", default=DEFAULT_INFLATION),
            Arg("cadence", "How often after-tax money is converted (at_separation: all of it at the end of the "
                "last year). Default per_paycheck.", kind="text",
                choices=SCHEDULE_CADENCES, default="per_paycheck", engine_name="conversion_cadence"),
            Arg("conversions_per_year", "Conversion dates a year with cadence n_per_year, 1 to 365. Default 12.",
                unit="per year", default=12, blank_zero=True),
        ],
        returns="A table: a header row (" + ", ".join(TABLE_COLUMNS) + ") and one row per year, money to the cent",
        unit="USD (years, ages and labels as marked)",
        examples=[
            Example((2026, 1, 1991, 150000, 0.03, "max", 1, 0.06),
                    [_HEADER, [2026, 35, "published", 72000.0, 150000.0, 24500.0, 0.0, 9000.0, 38500.0,
                               "415c_dollars", 38500.0, 0.0, 0.0, 39599.38, 39435.86, 163.51]],
                    note="the article's case (100% match on 6% of pay): $38,500 of after-tax room in 2026"),
            Example((2026, 1, 1966, 200000, 0.03, "max", 0, 0.06, 0.1),
                    [_HEADER, [2026, 60, "published", 72000.0, 200000.0, 35750.0, 11250.0, 0.0, 20000.0,
                               "plan_cap", 20000.0, 0.0, 0.0, 20571.11, 20486.16, 84.94]],
                    note="age 60: $11,250 catch-up outside §415(c); no match; a 10% plan cap binds"),
            Example((2026, 1, 1966, 200000, 0.03, "max", 0), [_HEADER, [
                2026, 60, "published", 72000.0, 200000.0, 35750.0, 11250.0, 0.0, 47500.0, "415c_dollars", 47500.0,
                0.0, 0.0, 48856.37, 48654.64, 201.74]],
                    note="no match (match_rate 0, match_up_to left out): $72,000 - $24,500 = $47,500 of room"),
            Example((2026, 1, 1991, 150000), error="#VALUE!",
                    note="the match is omitted: an error, not a default (state match_rate, 0 for no match)"),
            Example((2026, 1, 1991, 150000, 0.03, "max", 0.5), error="#VALUE!",
                    note="a match rate without match_up_to"),
            Example((2026, 41, 1991, 150000, 0.03, "max", 1, 0.06), error="#NUM!", note="at most 40 years"),
            Example((2026, 10, 1991, -1, 0.03, "max", 0), error="#NUM!"),
        ],
        citation="IRC §415(c), §402(g), §414(v), §401(a)(17), §402A(c)(4), §408A(d)(3); limits.json notices",
        rule="Each year: limits (published, or projected by the statutory rule), pay = salary (1+g)^i, deferral = "
             "min(policy, §402(g) + catch-up, pay), match on deferrals up to a share of capped pay, after-tax room "
             "= min(§415(c), pay) - non-catch-up deferrals - employer, capped by the plan cap; converted earnings "
             "taxed at the marginal rate (at separation: all in the last year); balances carried forward, each "
             "payday's contribution growing to 31 December.",
        array_note="One call spills the whole schedule; each argument is a single cell.",
    ),
]

# Scenario attribute -> the worksheet argument that sets it, for messages.
_BY_ATTRIBUTE = {arg.engine_name: arg.name for arg in FUNCTIONS[0].args}
