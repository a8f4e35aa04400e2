"""Paycheck plans for the solver's worst case: the five known slow cases by name, and a seeded generator of
adversarial plans (random over frequency, bonuses, a separate bonus election, the payroll stop, a true-up,
match tiers up to 200% / 100% of pay, a mid-year start, a job change and the election step).

Each plan is ``(name, args, options)`` for ``solve_elections(*args, **options)``.
"""

from __future__ import annotations

import datetime as dt
import random

_MONTHLY_BONUSES = [(f"2026-{month:02d}-15", 8000) for month in range(1, 13)]

# The slow classes measured before issue 18 (times on the shared 2-core machine, before the fix).
NAMED_SLOW_CASES = [
    # Issue 18: 53 weekly $2,500 paychecks, twelve $8,000 bonuses, a separate bonus election, 100% match on up
    # to 100% of pay, 0.1% steps, the payroll stop at 402(g): 55 s.
    ("issue 18: 53 weekly + 12 bonuses, separate election, 100% of 100% match",
     ("2026-01-01", "weekly", 2500, 35),
     {"bonuses": _MONTHLY_BONUSES, "separate_bonus_election": True, "match": [(1.0, 1.0)],
      "granularity": "0.1%"}),
    # README: biweekly $5,000, a $50,000 bonus with a separate election, 100% match on up to 50%: 10.8-18 s.
    ("README: biweekly + $50k bonus, separate election, 100% of 50% match",
     ("2026-01-02", "biweekly", 5000, 35),
     {"bonuses": [("2026-03-13", 50000)], "separate_bonus_election": True, "match": [(1.0, 0.5)],
      "granularity": "0.1%"}),
    # A true-up with a separate bonus election (4-25 ms): two-tier match, a bonus out of plan pay, catch-up age.
    ("true-up + separate bonus election",
     ("2026-01-02", "biweekly", 5000, 52),
     {"bonuses": [("2026-03-13", 50000), ("2026-12-18", 20000, False)], "separate_bonus_election": True,
      "match": [(1.0, 0.03), (0.5, 0.06)], "true_up": True, "granularity": "0.1%"}),
    # Whole-dollar elections with a 200% match (up to ~0.6 s): weekly pay, a bonus on the regular election.
    ("whole dollars, 200% match",
     ("2026-01-01", "weekly", 3000, 35),
     {"bonuses": [("2026-06-11", 30000)], "match": [(2.0, 0.1), (1.0, 0.5)], "granularity": "dollars"}),
    # The §415(c) fallback: deferrals + match alone pass 100% of a low pay at age 61 (45-55 ms before).
    ("fallback: deferrals + match pass 415(c), separate election",
     ("2026-01-02", "biweekly", 1000, 61),
     {"bonuses": [("2026-06-12", 6000)], "separate_bonus_election": True, "match": [(1.0, 0.5)],
      "granularity": "0.1%"}),
]

_MATCHES = [
    None, [(1.0, 0.06)], [(0.5, 0.06)], [(1.0, 0.03), (0.5, 0.05)], [(1.0, 0.04)], [(1.0, 0.5)], [(1.0, 1.0)],
    [(2.0, 0.1)], [(2.0, 1.0)], [(2.0, 0.05), (1.0, 0.5)], [(0.5, 0.03), (1.0, 0.06)], [(1.5, 0.2), (0.25, 1.0)],
    [(0.33, 0.07)], [(1.0, 0.02), (0.5, 0.04), (0.25, 0.1)],
]


def _first_date(rng: random.Random, frequency: str) -> dt.date:
    if rng.random() < 0.4:     # a full year, sometimes with a 53rd weekly / 27th biweekly paycheck
        return dt.date(2026, 1, rng.choice([1, 2, 9, 15, 16, 30, 31]))
    month = rng.randint(2, 12)     # a mid-year start (new hire or job change)
    return dt.date(2026, month, rng.choice([1, 15, 28]) if frequency != "monthly" else rng.choice([1, 28]))


def adversarial_plans(count: int = 1000, seed: int = 18) -> list[tuple[str, tuple, dict]]:
    """``count`` random plans (fixed seed), biased towards the classes that used to be slow: 0.1% steps and
    whole dollars, separate bonus elections, generous matches, the payroll stop, several bonuses."""
    rng = random.Random(seed)
    plans = []
    for number in range(count):
        frequency = rng.choice(["weekly", "biweekly", "semimonthly", "monthly"])
        first = _first_date(rng, frequency)
        granularity = rng.choice(["0.1%", "0.1%", "dollars", "0.5%", "1%"])
        pay = round(rng.choice([rng.uniform(300, 3000), rng.uniform(2000, 12000), rng.uniform(10000, 60000)]), 2)
        if rng.random() < 0.5:
            pay = float(round(pay, -2))
        options: dict = {"granularity": granularity, "match": rng.choice(_MATCHES), "true_up": rng.random() < 0.35,
                         "separate_bonus_election": rng.random() < 0.5, "stops_at_402g": rng.random() < 0.75,
                         "stops_at_415c": rng.random() < 0.3}
        if rng.random() < 0.3:
            options["max_election"] = rng.choice([0.5, 0.75, 0.9])
        if rng.random() < 0.2:
            options["after_tax_cap"] = rng.choice([0.1, 0.25, 0.5])
        bonuses = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 4, 12])):
            day = first + dt.timedelta(days=rng.randint(0, (dt.date(2026, 12, 31) - first).days))
            amount = float(rng.choice([1000, 5000, 8000, 20000, 50000, round(rng.uniform(500, 80000), 2)]))
            bonuses.append((day.isoformat(), amount) if rng.random() < 0.8 else (day.isoformat(), amount, False))
        if bonuses:
            options["bonuses"] = bonuses
        if first.month > 1 and rng.random() < 0.5:
            months = first.month - 1
            options["ytd_compensation"] = round(months * pay * rng.uniform(1, 2.2), 2)
            options["ytd_deferrals"] = float(rng.choice([0, 2000, 9000, 15000]))
            options["ytd_match"] = float(rng.choice([0, 500, 3000]))
            options["ytd_after_tax"] = float(rng.choice([0, 0, 4000]))
        if rng.random() < 0.2:     # a job change: deferrals at another employer count against 402(g)
            options["other_employer_deferrals"] = float(rng.choice([5000, 12000, 20000, 23500]))
            options.pop("ytd_deferrals", None)
        age = rng.choice([30, 45, 50, 55, 60, 61, 63, 70])
        plans.append((f"plan {number}", (first.isoformat(), frequency, pay, age), options))
    return plans


def capped_pay_plans(count: int = 200, seed: int = 415) -> list[tuple[str, tuple, dict]]:
    """``count`` random plans (fixed seed) of a class the generator above seldom reaches, found slow after it:
    pay far past the §401(a)(17) compensation cap (so the checks after the cap have no match pay), 2-12 distinct
    bonuses paid before the cap is reached, a separate bonus election, a generous match and fine steps, where
    deferrals + match alone can pass §415(c) (the exact fallback search)."""
    rng = random.Random(seed)
    plans = []
    for number in range(count):
        frequency = rng.choice(["weekly", "biweekly", "semimonthly", "monthly"])
        periods = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}[frequency]
        pay = round(rng.uniform(400_000, 1_500_000) / periods, 2)     # the cap ($360,000 in 2026) well before December
        months = max(1, min(11, int(12 * 360_000 / (pay * periods))))      # about when the cap is reached
        bonuses = [(f"2026-{rng.randint(1, months):02d}-{rng.randint(1, 28):02d}", round(rng.uniform(500, 9000), 2))
                   for _ in range(rng.choice([2, 4, 6, 12]))]
        options: dict = {"granularity": rng.choice(["0.1%", "0.1%", "0.5%", "dollars"]), "bonuses": bonuses,
                         "match": rng.choice([[(2.0, 1.0)], [(2.0, 0.1)], [(1.0, 1.0)], [(2.0, 0.05), (1.0, 0.5)],
                                              [(1.5, 0.2), (0.25, 1.0)], [(1.0, 0.5)]]),
                         "separate_bonus_election": rng.random() < 0.85, "true_up": rng.random() < 0.2,
                         "stops_at_402g": rng.random() < 0.75, "stops_at_415c": rng.random() < 0.3,
                         "max_election": rng.choice([0.5, 0.75, 1.0])}
        age = rng.choice([35, 50, 55, 61, 63])
        plans.append((f"capped plan {number}", ("2026-01-02", frequency, pay, age), options))
    return plans
