"""The tests' brute force: every allowed election simulated check by check, in two steps.

:func:`megabackdoor.paycheck.brute_force_elections` simulates every (deferral, bonus deferral, after-tax,
bonus after-tax) election. This reference gives the same answer with far fewer simulations, by two facts read
off :func:`megabackdoor.paycheck.simulation._simulate` (each checked here on every election it simulates, and
the whole answer checked against the naive brute force on a sample by tests/test_brute.py):

1. A check's deferral, match and regular (non-catch-up) deferral are worked out before its after-tax amount
   and never read it, so an election's match and deferrals do not depend on its after-tax elections.
2. After-tax money only adds to the §415(c) additions: an election feasible with some after-tax elections is
   feasible with none (no after-tax money plans nothing, so no payroll stop cuts it).

So step one simulates every deferral election with no after-tax money: the feasible ones, by (match,
deferrals), give the best pair and the deferral elections reaching it. Step two simulates every after-tax
election of each of those, exactly as the naive brute force does, and keeps the best by the same key
(-match, -deferrals, -after-tax, deferral, bonus deferral, after-tax, bonus after-tax).
"""

from __future__ import annotations

from megabackdoor.errors import InputError
from megabackdoor.paycheck import _make_case, _plan, _planned_after_tax, _simulate


def brute(case) -> tuple[int, int, int, int]:
    """The best (deferral, bonus deferral, after-tax, bonus after-tax) election in units, as solver._brute."""
    separate = case.separate and bool(case.bonus_events)
    best_pair, reaching = None, []
    for bonus_deferral in (range(case.bonus_max_units + 1) if separate else (0,)):
        for deferral in range(case.max_units + 1):
            result = _simulate(case, deferral, bonus_deferral, 0, 0)
            if not result.feasible:
                continue
            pair = (result.match, result.deferrals)
            if best_pair is None or pair > best_pair:
                best_pair, reaching = pair, [(deferral, bonus_deferral)]
            elif pair == best_pair:
                reaching.append((deferral, bonus_deferral))
    if best_pair is None:
        raise InputError("employer match", case.match_full / 100,
                         "a plan whose match and deferrals can fit within §415(c)", kind="num")
    best_key, best = None, None
    planned_after_tax: dict[tuple[int, int], int] = {}
    for deferral, bonus_deferral in reaching:
        after_tax_cap = min(case.at_cap, case.max_units - deferral)
        bonus_after_tax_cap = min(case.bonus_at_cap, case.bonus_max_units - bonus_deferral) if separate else 0
        for after_tax in range(after_tax_cap + 1):
            for bonus_after_tax in range(bonus_after_tax_cap + 1):
                result = _simulate(case, deferral, bonus_deferral, after_tax, bonus_after_tax)
                # fact 1, on every election simulated here
                assert (result.match, result.deferrals) == best_pair, (deferral, bonus_deferral, after_tax)
                if not result.feasible:
                    continue
                planned = planned_after_tax.get((after_tax, bonus_after_tax))
                if planned is None:
                    planned = planned_after_tax[(after_tax, bonus_after_tax)] = _planned_after_tax(
                        case, after_tax, bonus_after_tax, deferral)
                if result.after_tax != planned:
                    continue
                key = (-result.after_tax, deferral, bonus_deferral, after_tax, bonus_after_tax)
                if best_key is None or key < best_key:
                    best_key, best = key, (deferral, bonus_deferral, after_tax, bonus_after_tax)
    assert best is not None, "fact 2: the elections reaching the best pair are feasible with no after-tax money"
    return best


def brute_force_elections(first_pay_date, frequency, pay_per_period, age, **options):
    """:func:`megabackdoor.paycheck.brute_force_elections`, the same plan, by :func:`brute`."""
    case = _make_case(first_pay_date, frequency, pay_per_period, age, options)
    return _plan(case, *brute(case))
