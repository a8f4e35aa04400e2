"""Paycheck elections as worksheet functions: DEFERRAL_ELECTION, AFTER_TAX_ELECTION, PAYCHECK_SCHEDULE.

See :mod:`megabackdoor.excel.registry` for the spec format. The engine is :mod:`megabackdoor.paycheck` (standard
library only), imported inside the adapters. Match tiers and bonuses are whole ranges (``kind="range"``): a
two-column range of (rate, up to % of pay) and a range of (date, amount[, in plan pay]) rows; blank rows are
skipped, so a fixed-size input block can be partly filled.
"""

from __future__ import annotations

from .. import paycheck_inputs as inputs
from ..cadences import PAY_FREQUENCIES
from .registry import Arg, Example, Function

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TABLE_COLUMNS = ("number", "date", "kind", "pay", "plan_pay", "deferral", "catchup", "excess", "match",
                 "after_tax", "ytd_deferrals", "ytd_match", "ytd_after_tax", "ytd_additions", "deferral_room_left",
                 "additions_room_left")
FREQUENCIES = PAY_FREQUENCIES
STEPS = inputs.STEPS
CITATION = "IRC §402(g)(1), §414(v), §415(c)(1)-(2), §415(f), §401(a)(17); Treas. Reg. §1.414(v)-1"
RULE = ("Per paycheck: deferral = ROUND(pay x election, 2), cut at 402(g) + catch-up if payroll stops there; match "
        "= ROUND(sum of rate x MAX(0, MIN(deferral, up_to x pay) - from x pay), 2) on pay capped at §401(a)(17); "
        "after-tax = ROUND(pay x election, 2). Solved: most match, then deferrals, then after-tax, never over a "
        "limit; the smallest elections on ties.")

# Spellings in the engine's messages that are not an argument's engine keyword -> the Excel argument
# (registry.in_user_terms; the keywords themselves map through each Arg's engine_name).
ALIASES = {spelling: item.excel for item in inputs.INPUTS for spelling in item.spellings}


def _rows(grid: Any) -> list[list[Any]]:
    if grid is None:
        return []
    return [list(row) for row in grid if any(cell is not None for cell in row)]


def _match(grid: Any) -> list[tuple[Any, Any]] | None:
    from ..errors import InputError

    rows = _rows(grid)
    for row in rows:
        if len([c for c in row if c is not None]) != 2 or row[0] is None or row[1] is None:
            raise InputError("match", row, "rows of two cells: the match rate and the share of pay it applies up "
                                           "to, e.g. 0.5 and 0.06")
    return [(row[0], row[1]) for row in rows] or None


def _bonuses(grid: Any) -> list[tuple[Any, ...]] | None:
    from ..errors import InputError

    bonuses = []
    for row in _rows(grid):
        cells = row[:3] if len(row) >= 3 and row[2] is not None else row[:2]
        if len(cells) < 2 or cells[0] is None or cells[1] is None:
            raise InputError("bonuses", row, "rows of a date, an amount and optionally TRUE/FALSE (in plan pay)")
        bonuses.append(tuple(cells))
    return bonuses or None


# How a range argument becomes the engine's value (the other arguments pass as the registry reads them).
_RANGES = {"match": _match, "bonuses": _bonuses}


def _plan(cells: dict[str, Any]) -> Any:
    """The engine's plan for the cells of a call (keyed by engine keyword, as the registry passes them): solved,
    or for the given elections when a deferral election is given."""
    from ..paycheck import paycheck_schedule, solve_elections

    head = [cells[item.engine] for item in inputs.CASE]
    options = {item.engine: cells[item.engine] for item in inputs.OPTIONS}
    for name, read in _RANGES.items():
        options[name] = read(options[name])
    elections = [cells.get(item.engine) for item in inputs.ELECTIONS]
    if elections[0] is None:
        return solve_elections(*head, **options)
    return paycheck_schedule(*head, *elections, **options)


def _solved_election(field: str, for_bonus: Any, cells: dict[str, Any]) -> float:
    """One solved election of the plan; with ``for_bonus`` the bonus one when the plan has a separate one."""
    from ..validate import flag

    plan = _plan(cells)
    if flag("for_bonus", for_bonus):
        bonus = getattr(plan, f"bonus_{field}")
        if bonus is not None:
            return bonus
    return getattr(plan, field)


# The registry calls each adapter with every argument by its engine keyword (defaults filled in).
def deferral_election(for_bonus: Any = False, **cells: Any) -> float:
    """DEFERRAL_ELECTION's cell: the solved pre-tax/Roth election (or the bonus election)."""
    return _solved_election("deferral_election", for_bonus, cells)


def after_tax_election(for_bonus: Any = False, **cells: Any) -> float:
    """AFTER_TAX_ELECTION's cell: the solved after-tax election (or the bonus one)."""
    return _solved_election("after_tax_election", for_bonus, cells)


def paycheck_schedule_table(**cells: Any) -> list[list[Any]]:
    """PAYCHECK_SCHEDULE's spill: a header row, then one row per paycheck (solved elections unless given)."""
    plan = _plan(cells)
    # Dates as ISO text: the same cell on every host (Office.js would send a table's dates as formatted numbers,
    # classic xlwings as datetimes).
    return [list(TABLE_COLUMNS)] + [[row.date.isoformat() if name == "date" else getattr(row, name)
                                     for name in TABLE_COLUMNS] for row in plan.paychecks]


def _arg(item: inputs.Input) -> Arg:
    """The Excel argument of a declared input (paycheck_inputs): its short name, tooltip and cell reading."""
    default = {} if item.required else {"default": item.default}
    return Arg(item.excel, item.help, unit=item.unit, kind=item.kind, choices=item.choices,
               engine_name=item.engine, blank_zero=item.blank_zero, **default)


def _args() -> list[Arg]:
    return [_arg(item) for item in (*inputs.CASE, *inputs.OPTIONS)]


_MATCH_50_6 = [[0.5, 0.06]]
_FOR_BONUS = Arg("for_bonus", "TRUE for the bonus election (with bonus_election). Default FALSE.", kind="flag",
                 default=False)
_HEADER = list(TABLE_COLUMNS)

FUNCTIONS = [
    Function(
        "DEFERRAL_ELECTION",
        engine=deferral_election, aliases=ALIASES,
        description="Pre-tax/Roth election per paycheck that reaches 402(g) + catch-up by the last paycheck as "
                    "closely as the plan's step allows without going over, keeping the full match if any election "
                    "does.",
        args=[*_args(), _FOR_BONUS],
        returns="The election: a decimal share of pay (0.19 for 19%), or dollars per paycheck with step \"dollars\"",
        unit="decimal fraction or USD per paycheck",
        examples=[
            Example(("2026-01-02", "biweekly", 5000, 35, _MATCH_50_6), 0.19,
                    note="25 x $950 + $750 = $24,500; every paycheck keeps its $150 match"),
            Example(("2026-01-02", "biweekly", 7000, 35, [[1.0, 0.06]]), 0.13,
                    note="14% would stop at paycheck 25 and lose paycheck 26's match: 13% keeps it"),
            Example(("2026-07-03", "biweekly", 5000, 35, None, False, "1%", 1, None, None, False, True, False, 0,
                     0, 0, 0, 10000), 0.22, note="new job in July, $10,000 deferred elsewhere: room $14,500"),
            Example(("2026-01-02", "fortnightly", 5000, 35), error="#VALUE!"),
        ],
        citation=CITATION, rule=RULE,
    ),
    Function(
        "AFTER_TAX_ELECTION",
        engine=after_tax_election, aliases=ALIASES,
        description="After-tax election per paycheck that fills §415(c) (min of the dollar limit and pay) by the "
                    "last paycheck after the solved deferrals and match, without going over and within the plan's "
                    "caps.",
        args=[*_args(), _FOR_BONUS],
        returns="The after-tax election: a decimal share of pay, or dollars per paycheck with step \"dollars\"",
        unit="decimal fraction or USD per paycheck",
        examples=[
            Example(("2026-01-02", "biweekly", 5000, 35, _MATCH_50_6), 0.33,
                    note="72,000 - 24,500 - 3,900 = 43,600: 26 x 1,650 fits, 26 x 1,700 does not"),
            Example(("2026-01-02", "biweekly", 5000, 35, _MATCH_50_6, False, "1%", 1, None,
                     [["2026-03-13", 50000]]), 0.24, note="a $50,000 March bonus: 24% fills $72,000 exactly"),
            Example(("2026-01-02", "biweekly", 5000, 35, _MATCH_50_6, False, "2%"), error="#VALUE!"),
        ],
        citation=CITATION, rule=RULE,
    ),
    Function(
        "PAYCHECK_SCHEDULE",
        engine=paycheck_schedule_table, aliases=ALIASES,
        table=True,
        description="The year's paychecks for the solved (or given) elections: date, pay, deferral, catch-up, "
                    "excess, match, after-tax and running totals with 402(g) and §415(c) room left. Spills a "
                    "table.",
        args=[*_args(), *(_arg(item) for item in inputs.ELECTIONS)],
        returns="A table: a header row (" + ", ".join(TABLE_COLUMNS) + ") and one row per paycheck",
        unit="USD (number, date and kind as marked)",
        examples=[
            Example(("2026-12-04", "biweekly", 20000, 35, _MATCH_50_6), [
                _HEADER,
                [1, "2026-12-04", "regular", 20000.0, 20000.0, 12400.0, 0.0, 0.0, 600.0, 7000.0, 12400.0,
                 600.0, 7000.0, 20000.0, 12100.0, 20000.0],
                [2, "2026-12-18", "regular", 20000.0, 20000.0, 12100.0, 0.0, 0.0, 600.0, 7000.0, 24500.0,
                 1200.0, 14000.0, 39700.0, 0.0, 300.0],
            ], note="two December paychecks of $20,000: 62% = $12,400 and the stop leaves $12,100; §415(c) is "
                    "100% of pay, $40,000, so after-tax 35%"),
            Example(("2026-01-02", "biweekly", 5000, 35, None, False, "1%", 1, None, None, False, True, False, 0, 0,
                     0, 0, 0, None, True, 0.135), error="#NUM!", note="13.5% is not a whole percent"),
        ],
        citation=CITATION, rule=RULE,
        array_note="One call spills the whole year; each argument is a single cell except the match and bonus "
                   "ranges.",
    ),
]
