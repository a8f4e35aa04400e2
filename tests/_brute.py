"""The tests' brute force: every allowed election simulated check by check, in two steps.

:func:`megabackdoor.paycheck.brute_force_elections` simulates every (deferral, bonus deferral, after-tax,
bonus after-tax) election. This reference gives the same answer with far fewer simulations, by three facts read
off :func:`megabackdoor.paycheck.simulation._simulate` (the first checked here on every election it simulates,
and the whole answer checked against the naive brute force on a sample by tests/test_brute.py):

1. A check's deferral, match and regular (non-catch-up) deferral are worked out before its after-tax amount
   and never read it, so an election's match, deferrals and §415(c) additions before after-tax money
   (``base_additions``) do not depend on its after-tax elections.
2. After-tax money only adds to the §415(c) additions: an election feasible with some after-tax elections is
   feasible with none (no after-tax money plans nothing, so no payroll stop cuts it).
3. The brute force keeps an election only if its after-tax money is what the after-tax elections plan
   (``_planned_after_tax``, a function of those two elections alone: no payroll stop cut any of it), so the
   money it counts is the planned total, and a planned total above what §415(c) leaves after
   ``base_additions`` is either cut or over the limit: rejected without simulating it.

So step one simulates every deferral election with no after-tax money: the feasible ones, by (match,
deferrals), give the best pair and the deferral elections reaching it. Step two takes, for each of those, the
after-tax elections within its caps and the §415(c) room, most planned money first (then the smallest
elections: the brute force's tie-break), and simulates them in that order until one is feasible and uncut:
that one is the best of its deferral election, and the best of all of them, by the brute force's key
(-match, -deferrals, -after-tax, deferral, bonus deferral, after-tax, bonus after-tax), is the answer.
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
                best_pair, reaching = pair, [(deferral, bonus_deferral, result.base_additions)]
            elif pair == best_pair:
                reaching.append((deferral, bonus_deferral, result.base_additions))
    if best_pair is None:
        raise InputError("employer match", case.match_full / 100,
                         "a plan whose match and deferrals can fit within §415(c)", kind="num")
    # Every after-tax election within the plan's caps, most planned money first, then the smallest elections.
    after_tax_top = min(case.at_cap, case.max_units)
    bonus_after_tax_top = min(case.bonus_at_cap, case.bonus_max_units) if separate else 0
    order = sorted((-_planned_after_tax(case, after_tax, bonus_after_tax, 0), after_tax, bonus_after_tax)
                   for after_tax in range(after_tax_top + 1) for bonus_after_tax in range(bonus_after_tax_top + 1))
    best_key = None
    for deferral, bonus_deferral, base in reaching:
        after_tax_cap = min(case.at_cap, case.max_units - deferral)
        bonus_after_tax_cap = min(case.bonus_at_cap, case.bonus_max_units - bonus_deferral) if separate else 0
        room = case.limit_415 - base - case.ytd_after_tax
        for minus_planned, after_tax, bonus_after_tax in order:
            key = (minus_planned, deferral, bonus_deferral, after_tax, bonus_after_tax)
            if best_key is not None and key > best_key:
                break                  # every later election of this deferral election has a larger key
            if -minus_planned > room or after_tax > after_tax_cap or bonus_after_tax > bonus_after_tax_cap:
                continue
            result = _simulate(case, deferral, bonus_deferral, after_tax, bonus_after_tax)
            # fact 1, on every election simulated here
            assert (result.match, result.deferrals, result.base_additions) == (*best_pair, base), key
            if result.feasible and result.after_tax == -minus_planned:
                best_key = key
                break
    assert best_key is not None, "fact 2: the elections reaching the best pair are feasible with no after-tax money"
    return best_key[1:]


def brute_force_elections(first_pay_date, frequency, pay_per_period, age, **options):
    """:func:`megabackdoor.paycheck.brute_force_elections`, the same plan, by :func:`brute`."""
    case = _make_case(first_pay_date, frequency, pay_per_period, age, options)
    return _plan(case, *brute(case))
