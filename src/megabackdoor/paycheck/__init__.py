"""Paycheck elections: the percentages that fill §402(g) and §415(c) by the last paycheck, keeping the match.

A plan takes elections per paycheck (a percent of the paycheck's plan compensation, or dollars), so "max out"
is a question about a schedule of paychecks, not an annual sum. This module builds that schedule and finds
the best elections.

Rules encoded (each with its statute or regulation):

* §402(g)(1) is per person across every employer: deferrals already made at other employers this year
  reduce the room here; the catch-up (§414(v), age attained by 31 December) raises it. §415(c) is per
  employer (§415(f)): only this employer's deferrals, match and after-tax count, against
  min(§415(c)(1)(A) dollars, 100% of this employer's pay for the year).
* Catch-ups are deferrals above §402(g), then deferrals that with the employer money alone would break
  §415(c) (Treas. Reg. §1.414(v)-1(b)); after-tax money is never a catch-up. Same rule as
  :func:`megabackdoor.headroom.after_tax_room`.
* Per paycheck: deferral = ROUND(plan pay x election, 2) (dollar elections: the dollars, at most the pay);
  match = ROUND(sum over tiers of rate x MAX(0, MIN(deferral, up_to x pay) - from x pay), 2) on plan pay
  capped at §401(a)(17) for the year; after-tax = ROUND(plan pay x after-tax election, 2). An annual true-up
  pays the year's formula on the year's totals less the per-paycheck match.
* A payroll that stops by itself at §402(g) cuts the deferral that would pass 402(g) + catch-up on *its own*
  count (it does not see other employers). One that stops at §415(c) cuts the after-tax money that would pass
  the limit on the contributions made so far (it does not foresee later deferrals, match or a true-up).
  Anything left above a limit is an excess that must be refunded.

The solver maximises, in this order: the employer match (the full match whenever some election keeps it),
the deferrals (up to 402(g) + catch-up), the after-tax money (up to §415(c)); ties go to the smallest
elections (regular deferral, bonus deferral, after-tax, bonus after-tax). :func:`brute_force_elections`
evaluates every allowed election and must agree with :func:`solve_elections` (tests check it).

Educational, not individual tax advice.
"""

from __future__ import annotations

# The helpers named `x as x` are the package's parts that the tests and the workbook's date reader import
# from here, as they did from the one module this package was.
from .. import validate
from ..errors import InputError
from ..limits import DEFAULT_CATCHUP_READING, DEFAULT_INFLATION
from ..paycheck_inputs import OPTION_DEFAULTS
from .calendar import FREQUENCIES, pay_dates
from .calendar import _to_date as _to_date
from .case import (
    FLAG_402G_UNREACHABLE,
    FLAG_415C_UNREACHABLE,
    FLAG_CATCHUP_ROTH,
    FLAG_EXCESS_ADDITIONS,
    FLAG_EXCESS_DEFERRAL,
    FLAG_MATCH_LOST,
    FLAG_NO_CATCHUP,
    Paycheck,
    PaycheckPlan,
    _Case,
    _case,
)
from .case import _amount as _amount
from .simulation import _base_additions as _base_additions
from .simulation import _bonus_fit as _bonus_fit
from .simulation import _bonus_sum as _bonus_sum
from .simulation import _planned, _planned_after_tax, _simulate
from .simulation import _regular_fit as _regular_fit
from .solver import _after_tax_caps, _brute, _prepare, _solve
from .solver import _phase1_exhaustive as _phase1_exhaustive
from .stops import _truncated as _truncated

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FLAG_402G_UNREACHABLE", "FLAG_415C_UNREACHABLE", "FLAG_CATCHUP_ROTH", "FLAG_EXCESS_ADDITIONS",
           "FLAG_EXCESS_DEFERRAL", "FLAG_MATCH_LOST", "FLAG_NO_CATCHUP", "FREQUENCIES", "Paycheck", "PaycheckPlan",
           "brute_force_elections", "pay_dates", "paycheck_schedule", "solve_elections"]


def _election_value(case: _Case, units: int, bonus: bool) -> float:
    if case.dollars and not bonus:
        return float(units)
    return units * round((case.bonus_unit if bonus else case.unit) * 1000) / 1000


def _election_units(case: _Case, name: str, value: Any, bonus: bool) -> int:
    if case.dollars and not bonus:
        amount = validate.money(name, value)
        units = round(amount)
        if abs(units - amount) > 1e-9:
            raise InputError(name, value, "whole dollars per paycheck (the plan takes dollar elections)",
                             kind="num")
        top = case.max_units
        if units > top:
            raise InputError(name, value, f"at most ${top:,} per paycheck (the plan's maximum election)",
                             kind="num")
        return units
    fraction = validate.fraction(name, value)
    unit = case.bonus_unit if bonus else case.unit
    units = round(fraction / unit)
    if abs(units * unit - fraction) > 1e-9:
        raise InputError(name, value, f"a multiple of {unit:.1%} of pay (the plan's election step)", kind="num",
                         hint=f"the nearest allowed elections are {_show_pct(units * unit)} and "
                              f"{_show_pct((units + 1) * unit if units * unit < fraction else (units - 1) * unit)}")
    top = case.bonus_max_units if bonus else case.max_units
    if units > top:
        raise InputError(name, value, f"at most {_show_pct(top * unit)} of pay (the plan's maximum election)",
                         kind="num")
    return units


def _show_pct(value: float) -> str:
    return f"{value * 100:.1f}%".replace(".0%", "%")


def _plan(case: _Case, deferral: int, bonus_deferral: int, after_tax: int, bonus_after_tax: int) -> PaycheckPlan:
    rows: list[Paycheck] = []
    result = _simulate(case, deferral, bonus_deferral, after_tax, bonus_after_tax, rows)
    flags = []
    match_lost = max(0, case.match_full - result.match)
    if match_lost:
        flags.append(FLAG_MATCH_LOST)
    if result.excess_deferral:
        flags.append(FLAG_EXCESS_DEFERRAL)
    if result.excess_additions:
        flags.append(FLAG_EXCESS_ADDITIONS)
    separate = case.separate and bool(case.bonus_events)
    if _planned(case, case.max_units, case.bonus_max_units if separate else 0)[0] < case.room:
        flags.append(FLAG_402G_UNREACHABLE)
    after_tax_cap, bonus_after_tax_cap = _after_tax_caps(case, deferral, bonus_deferral)
    most = (result.base_additions + case.ytd_after_tax
            + _planned_after_tax(case, after_tax_cap, bonus_after_tax_cap, deferral))
    if most < case.limit_415:
        flags.append(FLAG_415C_UNREACHABLE)
    if case.roth_required and result.catchup > 0:
        flags.append(FLAG_CATCHUP_ROTH)
    if case.catchup_blocked:
        flags.append(FLAG_NO_CATCHUP)
    top = case.limit_402g + case.catchup
    return PaycheckPlan(
        year=case.year, granularity=case.granularity,
        deferral_election=_election_value(case, deferral, False),
        after_tax_election=_election_value(case, after_tax, False),
        bonus_deferral_election=_election_value(case, bonus_deferral, True) if case.separate else None,
        bonus_after_tax_election=_election_value(case, bonus_after_tax, True) if case.separate else None,
        deferrals=result.deferrals / 100, catchup=result.catchup / 100, match=result.match / 100,
        true_up=result.true_up / 100, after_tax=result.after_tax / 100,
        annual_additions=result.additions / 100, deferral_limit=top / 100, deferral_room=case.room / 100,
        limit_415c=case.limit_415 / 100, match_max=case.match_full / 100,
        deferral_shortfall=max(0, case.room - result.deferrals) / 100,
        additions_shortfall=max(0, case.limit_415 - result.additions) / 100,
        match_lost=match_lost / 100, excess_deferral=result.excess_deferral / 100,
        excess_additions=result.excess_additions / 100, flags=tuple(flags), paychecks=tuple(rows),
        status=case.status)


def _make_case(first_pay_date: Any, frequency: Any, pay_per_period: Any, age: Any, options: dict) -> _Case:
    unknown = set(options) - set(_OPTIONS)
    if unknown:
        name = sorted(unknown)[0]
        raise TypeError(f"unexpected keyword argument {name!r}")
    case = _case(first_pay_date, frequency, pay_per_period, age, **{**_OPTIONS, **options})
    _prepare(case)
    return case


# The plan and year-to-date options shared by every entry point, with their defaults: declared once with their
# CLI, Excel and workbook spellings (paycheck_inputs), plus the engine-only settings for projected limits.
_OPTIONS: dict[str, Any] = {**OPTION_DEFAULTS, "inflation": DEFAULT_INFLATION,
                            "catchup_reading": DEFAULT_CATCHUP_READING}

_PARAMETERS_DOC = """
    Parameters
    ----------
    first_pay_date : the first paycheck of the year at this employer (a date, ISO text or Excel serial);
        its calendar year is the plan year. A mid-year start or a new job starts here.
    frequency : 'weekly', 'biweekly', 'semimonthly' or 'monthly'.
    pay_per_period : gross base pay per paycheck, dollars (rounded to the cent).
    age : age attained by 31 December (catch-up eligibility, §414(v)(5)(A)).
    bonuses : (date, amount) or (date, amount, in_plan_pay) entries; in_plan_pay (default True) says
        whether the plan's compensation includes the bonus (elections and match apply to it).
    match : tiers (rate, up_to): e.g. [(1.0, 0.03), (0.5, 0.05)] = 100% of the first 3% of pay, 50% of the
        next 2%. Paid per paycheck on plan pay capped at §401(a)(17).
    true_up : the plan tops the match up after year end to the formula on the annual totals.
    granularity : election step: '1%', '0.5%', '0.1%' (or 0.01, 0.005, 0.001) or 'dollars' per paycheck.
    max_election : most of a paycheck that deferral + after-tax elections may take together (fraction).
    after_tax_cap : most of a paycheck the after-tax election may take (fraction; default max_election).
    separate_bonus_election : the plan takes separate deferral / after-tax elections for bonus checks.
    stops_at_402g : payroll stops deferrals by itself at 402(g) + catch-up (counting its own deferrals).
    stops_at_415c : payroll cuts after-tax money by itself at §415(c) (on contributions made so far).
    ytd_compensation, ytd_deferrals, ytd_match, ytd_after_tax : amounts at this employer this year before
        ``first_pay_date`` (a mid-year re-plan), dollars.
    other_employer_deferrals : deferrals at other employers this year (402(g) is per person), dollars.
    prior_year_fica_wages : last year's FICA wages from this employer (§414(v)(7) Roth catch-up rule).
    plan_allows_roth : False when the plan has no Roth deferrals (then a covered person has no catch-up).
    inflation, catchup_reading : for projected limits after 2026 (see :func:`megabackdoor.limits.irs_limit`).
"""


def paycheck_schedule(first_pay_date: Any, frequency: str, pay_per_period: float, age: int,
                      deferral_election: float, after_tax_election: float = 0.0,
                      bonus_deferral_election: float | None = None,
                      bonus_after_tax_election: float | None = None, **options: Any) -> PaycheckPlan:
    """The year's paychecks for given elections: amounts, running totals, what is lost or refunded.

    Per paycheck: deferral = ROUND(plan pay x election, 2), cut at 402(g) + catch-up if payroll stops by
    itself; match = ROUND(sum of rate x MAX(0, MIN(deferral, up_to x pay) - from x pay), 2); after-tax =
    ROUND(plan pay x election, 2), cut at §415(c) if payroll stops by itself. See the module docstring.

    Citation: IRC §402(g)(1), §414(v), §415(c)(1)-(2), §415(f), §401(a)(17); Treas. Reg. §1.414(v)-1.
    {parameters}
    deferral_election, after_tax_election : fractions of plan pay (0.19 for 19%), or dollars per paycheck
        when ``granularity`` is 'dollars'; each a multiple of the plan's step.
    bonus_deferral_election, bonus_after_tax_election : fractions of bonus pay when the plan has a separate
        bonus election (default: the regular percentages; 0 with dollar elections).

    Returns
    -------
    PaycheckPlan with the table in ``paychecks``.

    Examples
    --------
    Biweekly 2026 from 2 January (26 paychecks) at $7,000, 100% match on up to 6%, no true-up. At 14% the
    deferrals reach $24,500 after 25 paychecks; the payroll stops, and paycheck 26 has no deferral and so
    no match ($420 lost):

    >>> plan = paycheck_schedule("2026-01-02", "biweekly", 7000, 35, 0.14, match=[(1.0, 0.06)])
    >>> plan.deferrals, plan.match, plan.match_lost, plan.flags
    (24500.0, 10500.0, 420.0, ('match_lost',))
    >>> plan.paychecks[-1].deferral, plan.paychecks[-1].ytd_deferrals
    (0.0, 24500.0)
    """
    case = _make_case(first_pay_date, frequency, pay_per_period, age, options)
    deferral = _election_units(case, "deferral_election", deferral_election, False)
    after_tax = _election_units(case, "after_tax_election", after_tax_election, False)
    if after_tax > case.at_cap:
        raise InputError("after_tax_election", after_tax_election,
                         f"at most the plan's after-tax cap of {_cap_text(case, case.at_cap, False)}", kind="num")
    if deferral + after_tax > case.max_units:
        raise InputError("after_tax_election", after_tax_election,
                         f"at most {_cap_text(case, case.max_units - deferral, False)}: deferral + after-tax elections "
                         f"may take {_cap_text(case, case.max_units, False)} of a paycheck", kind="num")
    bonus_deferral, bonus_after_tax = _bonus_elections(case, deferral, after_tax, bonus_deferral_election,
                                                       bonus_after_tax_election)
    return _plan(case, deferral, bonus_deferral, after_tax, bonus_after_tax)


def _cap_text(case: _Case, units: int, bonus: bool) -> str:
    if case.dollars and not bonus:
        return f"${units:,} per paycheck"
    return _show_pct(units * (case.bonus_unit if bonus else case.unit))


def _bonus_elections(case: _Case, deferral: int, after_tax: int, deferral_value: Any,
                     after_tax_value: Any) -> tuple[int, int]:
    if not case.separate:
        for name, value in (("bonus_deferral_election", deferral_value),
                            ("bonus_after_tax_election", after_tax_value)):
            if value is not None:
                raise InputError(name, value, "no value: this plan applies the regular elections to bonuses",
                                 hint="pass separate_bonus_election=True if the plan takes a bonus election")
        return 0, 0
    same = not case.dollars    # the regular percentages carry over (same unit) unless elections are dollars
    bonus_deferral = ((deferral if same else 0) if deferral_value is None else
                      _election_units(case, "bonus_deferral_election", deferral_value, True))
    bonus_after_tax = ((after_tax if same else 0) if after_tax_value is None else
                       _election_units(case, "bonus_after_tax_election", after_tax_value, True))
    if bonus_after_tax > case.bonus_at_cap:
        raise InputError("bonus_after_tax_election", after_tax_value,
                         f"at most the plan's after-tax cap of {_cap_text(case, case.bonus_at_cap, True)}",
                         kind="num")
    if bonus_deferral + bonus_after_tax > case.bonus_max_units:
        raise InputError("bonus_after_tax_election", after_tax_value,
                         f"at most {_cap_text(case, case.bonus_max_units - bonus_deferral, True)}: "
                         "deferral + after-tax "
                         f"bonus elections may take {_cap_text(case, case.bonus_max_units, True)}", kind="num")
    return bonus_deferral, bonus_after_tax


def solve_elections(first_pay_date: Any, frequency: str, pay_per_period: float, age: int,
                    **options: Any) -> PaycheckPlan:
    """The elections that fill 402(g) + catch-up and §415(c) by the last paycheck, keeping the full match.

    Objective, in order: (1) the most employer match (the full match whenever some election keeps it);
    (2) the most deferrals, up to 402(g) + catch-up less deferrals elsewhere (a payroll that stops by itself
    at 402(g) lets the last deferral land exactly on the limit); (3) the most after-tax money within
    min(§415(c), pay) - non-catch-up deferrals - match (true-up included) - earlier after-tax money; then the
    smallest elections. Elections never exceed a limit, and after-tax money is planned to fit without a
    payroll cut at §415(c) (such a cut does not foresee later deferrals, match or a true-up, so it is kept
    as a safety net, not relied on). The search is exact: :func:`brute_force_elections` agrees.

    Citation: IRC §402(g)(1), §414(v), §415(c)(1)-(2), §415(f), §401(a)(17); Treas. Reg. §1.414(v)-1.
    {parameters}
    Returns
    -------
    PaycheckPlan: the elections, totals, flags (e.g. 'match_lost' when no election keeps the full match,
    '402g_unreachable_under_plan_caps') and the per-paycheck table.

    Examples
    --------
    Biweekly 2026 from 2 January (26 paychecks) at $5,000, 50% match on up to 6%, whole percents. 18% gives
    26 x $900 = $23,400; 19% gives 25 x $950 = $23,750 and the payroll stops paycheck 26 at $750 (15% of
    pay, still above 6%), so deferrals are exactly $24,500 and every paycheck gets its $150 match ($3,900).
    §415(c) room left: 72,000 - 24,500 - 3,900 = $43,600 = 26 x $1,676.92, so after-tax 33% (26 x $1,650
    = $42,900; 34% would give $44,200, over):

    >>> plan = solve_elections("2026-01-02", "biweekly", 5000, 35, match=[(0.5, 0.06)])
    >>> plan.deferral_election, plan.after_tax_election
    (0.19, 0.33)
    >>> plan.deferrals, plan.match, plan.after_tax, plan.annual_additions, plan.flags
    (24500.0, 3900.0, 42900.0, 71300.0, ())
    """
    case = _make_case(first_pay_date, frequency, pay_per_period, age, options)
    return _plan(case, *_solve(case))


def brute_force_elections(first_pay_date: Any, frequency: str, pay_per_period: float, age: int,
                          **options: Any) -> PaycheckPlan:
    """:func:`solve_elections` by simulating every allowed election (for tests and the benchmark only).

    Same objective and tie-break; the cost grows with the product of the election grids, so keep cases
    small (whole percents, a low ``max_election``).

    Monthly $9,000, 100% match on up to 4%, at most 40% of a paycheck in all. 23% is 11 x $2,070 = $22,770
    and a last deferral of $1,730 (still above 4%), so $24,500 with the full $4,320 match; after-tax can
    only take the 17% left (12 x $1,530 = $18,360), short of §415(c):

    >>> fast = solve_elections("2026-01-31", "monthly", 9000, 40, match=[(1.0, 0.04)], max_election=0.4)
    >>> slow = brute_force_elections("2026-01-31", "monthly", 9000, 40, match=[(1.0, 0.04)], max_election=0.4)
    >>> fast == slow, fast.deferral_election, fast.after_tax_election, fast.after_tax, fast.flags
    (True, 0.23, 0.17, 18360.0, ('415c_unreachable_under_plan_caps',))
    """
    case = _make_case(first_pay_date, frequency, pay_per_period, age, options)
    return _plan(case, *_brute(case))


paycheck_schedule.__doc__ = paycheck_schedule.__doc__.replace("{parameters}", _PARAMETERS_DOC)
solve_elections.__doc__ = solve_elections.__doc__.replace("{parameters}", _PARAMETERS_DOC)
