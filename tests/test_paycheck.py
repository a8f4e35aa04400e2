"""Paycheck elections : pay calendars, the hand-built cases, flags, bad input.

Every expected figure is worked by hand in the comments from the 2026 limits (402(g) $24,500, catch-up
$8,000 at 50-59, §415(c) $72,000, §401(a)(17) $360,000; Notice 2025-67) and the rules in
the module docstring: deferral = ROUND(pay x election, 2); a payroll that stops by itself at 402(g) cuts the
paycheck that would pass it; match per paycheck on that paycheck's deferral.
"""

from __future__ import annotations

import datetime as dt

import pytest
from _brute import brute_force_elections

from megabackdoor.errors import InputError
from megabackdoor.paycheck import (
    FLAG_402G_UNREACHABLE,
    FLAG_415C_UNREACHABLE,
    FLAG_CATCHUP_ROTH,
    FLAG_EXCESS_ADDITIONS,
    FLAG_EXCESS_DEFERRAL,
    FLAG_MATCH_LOST,
    FLAG_NO_CATCHUP,
    pay_dates,
    paycheck_schedule,
    solve_elections,
)

BIWEEKLY_2026 = ("2026-01-02", "biweekly")      # Fridays 2 Jan ... 18 Dec: 26 paychecks
MATCH_100_OF_6 = [(1.0, 0.06)]
MATCH_50_OF_6 = [(0.5, 0.06)]


# ------------------------------------------------------------------------------------------ pay calendars
@pytest.mark.parametrize(("first", "frequency", "count", "last"), [
    ("2026-01-02", "biweekly", 26, "2026-12-18"),
    ("2026-01-01", "biweekly", 27, "2026-12-31"),    # 1 Jan + 26 x 14 days = 31 Dec (365-day year)
    ("2028-01-02", "biweekly", 27, "2028-12-31"),    # leap year: 2 Jan + 364 days = 31 Dec
    ("2028-01-03", "biweekly", 26, "2028-12-18"),
    ("2026-01-01", "weekly", 53, "2026-12-31"),
    ("2026-01-02", "weekly", 52, "2026-12-25"),
    ("2026-01-15", "semimonthly", 24, "2026-12-31"),  # 15th and last day
    ("2026-01-01", "semimonthly", 24, "2026-12-16"),  # 1st and 16th
    ("2026-01-10", "semimonthly", 24, "2026-12-25"),  # 10th and 25th
    ("2026-01-31", "monthly", 12, "2026-12-31"),
    ("2026-07-03", "biweekly", 13, "2026-12-18"),     # a July start: 3 Jul + 12 x 14 = 18 Dec
])
def test_pay_dates_count_and_last(first, frequency, count, last):
    dates = pay_dates(first, frequency)
    assert len(dates) == count
    assert dates[-1].isoformat() == last
    assert dates[0].isoformat() == first


def test_semimonthly_month_ends_and_february():
    dates = [d.isoformat() for d in pay_dates("2026-01-31", "semimonthly")[:4]]
    assert dates == ["2026-01-31", "2026-02-15", "2026-02-28", "2026-03-15"]
    dates = [d.isoformat() for d in pay_dates("2026-01-14", "semimonthly")[:4]]
    assert dates == ["2026-01-14", "2026-01-29", "2026-02-14", "2026-02-28"]   # 29 Feb does not exist


def test_pay_date_forms_agree():
    # Excel serial 46024 is 2 January 2026 (1900 date system: serial 1 = 1900-01-01, with the 1900 leap bug).
    assert pay_dates(46024, "monthly") == pay_dates(dt.date(2026, 1, 2), "monthly") == pay_dates(
        dt.datetime(2026, 1, 2, 0, 0), "monthly")


# ---------------------------------------------------------------------------------- the hand cases
def test_26_paychecks_6pct_match_no_true_up_keeps_the_match():
    # $7,000 biweekly, 100% match on up to 6% ($420 a paycheck), whole percents, payroll stops at 402(g).
    # 13%: 26 x $910 = $23,660. 14%: 25 x $980 = $24,500 exactly, so the payroll stops paycheck 26 at $0
    # and its $420 match is lost (no true-up). Keeping the match wins: 13%, $840 short of 402(g).
    plan = solve_elections(*BIWEEKLY_2026, 7000, 35, match=MATCH_100_OF_6)
    assert (plan.deferral_election, plan.deferrals, plan.match, plan.match_lost) == (0.13, 23660.0, 10920.0, 0.0)
    assert plan.deferral_shortfall == 840.0
    # After-tax: 72,000 - 23,660 - 10,920 = 37,420 = 26 x 1,439.23 -> 20% (26 x 1,400 = 36,400).
    assert (plan.after_tax_election, plan.after_tax, plan.annual_additions) == (0.2, 36400.0, 70980.0)
    assert plan.flags == ()
    rows = plan.paychecks
    assert len(rows) == 26 and all(r.deferral == 910.0 and r.match == 420.0 for r in rows)
    assert rows[-1].ytd_deferrals == 23660.0 and rows[-1].ytd_additions == 70980.0
    assert rows[-1].additions_room_left == 1020.0

    lost = paycheck_schedule(*BIWEEKLY_2026, 7000, 35, 0.14, match=MATCH_100_OF_6)
    assert (lost.deferrals, lost.match, lost.match_lost, lost.flags) == (24500.0, 10500.0, 420.0,
                                                                           (FLAG_MATCH_LOST,))
    assert (lost.paychecks[24].ytd_deferrals, lost.paychecks[25].deferral, lost.paychecks[25].match) == (
        24500.0, 0.0, 0.0)


def test_26_paychecks_finer_steps_and_true_up_reach_402g_exactly():
    # 0.5% steps: 13.5% = $945; 25 x 945 = 23,625, the stop leaves $875 for paycheck 26 (above $420), so
    # exactly $24,500 and the full match. After-tax: 72,000 - 24,500 - 10,920 = 36,580 -> 20% ($36,400).
    half = solve_elections(*BIWEEKLY_2026, 7000, 35, match=MATCH_100_OF_6, granularity="0.5%")
    assert (half.deferral_election, half.deferrals, half.match, half.paychecks[-1].deferral) == (
        0.135, 24500.0, 10920.0, 875.0)
    # With an annual true-up, 14% loses paycheck 26's match only until the true-up: the formula on the year,
    # 100% of min(24,500, 6% x 182,000 = 10,920), pays 10,920 - 25 x 420 = $420 after year end.
    trued = solve_elections(*BIWEEKLY_2026, 7000, 35, match=MATCH_100_OF_6, true_up=True)
    assert (trued.deferral_election, trued.deferrals, trued.match, trued.true_up) == (0.14, 24500.0, 10920.0,
                                                                                      420.0)
    assert trued.annual_additions == 24500.0 + 10920.0 + 36400.0


def test_27_paycheck_year():
    # Biweekly from Thursday 1 Jan 2026: 27 paychecks of $5,000, match 50% on up to 6% ($150 a paycheck).
    # The 26-paycheck answer, 19%, over-defers: 25 x 950 = 23,750, paycheck 26 stops at $750, paycheck 27
    # gets nothing and loses its $150 match.
    carried = paycheck_schedule("2026-01-01", "biweekly", 5000, 35, 0.19, match=MATCH_50_OF_6)
    assert len(carried.paychecks) == 27
    assert (carried.deferrals, carried.match_lost, carried.flags) == (24500.0, 150.0, (FLAG_MATCH_LOST,))
    # Solved: 18% = 27 x 900 = 24,300 with 27 x 150 = 4,050 match; after-tax room 72,000 - 24,300 - 4,050
    # = 43,650 = 27 x 1,616.67 -> 32% (27 x 1,600 = 43,200).
    plan = solve_elections("2026-01-01", "biweekly", 5000, 35, match=MATCH_50_OF_6)
    assert (plan.deferral_election, plan.deferrals, plan.match) == (0.18, 24300.0, 4050.0)
    assert (plan.after_tax_election, plan.after_tax, plan.annual_additions) == (0.32, 43200.0, 71550.0)
    # 0.5% steps: 18.5% = $925; 26 x 925 = 24,050 and paycheck 27 stops at $450 (above the $300 needed).
    half = solve_elections("2026-01-01", "biweekly", 5000, 35, match=MATCH_50_OF_6, granularity=0.005)
    assert (half.deferral_election, half.deferrals, half.match, half.paychecks[-1].deferral) == (
        0.185, 24500.0, 4050.0, 450.0)


def test_50000_bonus_in_march():
    # $5,000 biweekly + a $50,000 bonus on Friday 13 March (a pay date; the bonus check follows the regular
    # one), in plan pay, match 50% on up to 6%. Plan pay 26 x 5,000 + 50,000 = 180,000.
    bonus = [("2026-03-13", 50000)]
    plan = solve_elections(*BIWEEKLY_2026, 5000, 35, match=MATCH_50_OF_6, bonuses=bonus)
    # One election for both: x% gives 1,800 x x dollars. 13% = 23,400. 14% = 25,200: the stop cuts the
    # last $700, so paycheck 26 (a $700 deferral) gets nothing and loses $150 of match -> 13%.
    # Match: 26 x 150 + 50% x min(6,500, 6% x 50,000) = 3,900 + 1,500 = 5,400.
    # After-tax room 72,000 - 23,400 - 5,400 = 43,200 = 1,800 x 24%: exactly §415(c).
    assert (plan.deferral_election, plan.deferrals, plan.match) == (0.13, 23400.0, 5400.0)
    assert (plan.after_tax_election, plan.after_tax, plan.annual_additions) == (0.24, 43200.0, 72000.0)
    bonus_row = plan.paychecks[6]
    assert (bonus_row.kind, bonus_row.date.isoformat(), bonus_row.deferral, bonus_row.match,
            bonus_row.after_tax) == ("bonus", "2026-03-13", 6500.0, 1500.0, 12000.0)
    assert plan.paychecks[5].kind == "regular" and len(plan.paychecks) == 27

    # A separate bonus election: 1,300 x + 500 y <= 24,500 with x, y >= 6 for the full match. 13x + 5y = 245
    # needs x a multiple of 5: the smallest is x = 10, y = 23 (13,000 + 11,500 = 24,500 exactly). Smaller x
    # reach $24,500 only through the stop, which cuts the last paychecks below 6% (checked by brute force
    # below). After-tax room 72,000 - 24,500 - 5,400 = 42,100 = 1,300 a + 500 ya: a = 7 (9,100) and
    # ya = 66 (33,000), the smallest regular election that fills it within the 100% - 23% left of the bonus.
    split = solve_elections(*BIWEEKLY_2026, 5000, 35, match=MATCH_50_OF_6, bonuses=bonus,
                            separate_bonus_election=True)
    assert (split.deferral_election, split.bonus_deferral_election, split.deferrals, split.match) == (
        0.10, 0.23, 24500.0, 5400.0)
    assert (split.after_tax_election, split.bonus_after_tax_election, split.annual_additions) == (
        0.07, 0.66, 72000.0)

    # A bonus outside plan pay takes no elections and no match, but it is §415(c) pay.
    outside = solve_elections(*BIWEEKLY_2026, 5000, 35, match=MATCH_50_OF_6,
                              bonuses=[("2026-03-13", 50000, False)])
    assert outside.paychecks[6].deferral == 0.0 and outside.paychecks[6].pay == 50000.0
    assert outside.deferral_election == 0.19    # as without a bonus: 25 x 950 + 750


def test_job_change_in_july_with_10000_deferred_elsewhere():
    # New job from Friday 3 July: 13 biweekly paychecks of $5,000; $10,000 already deferred at the old job,
    # so 402(g) room here is 24,500 - 10,000 = 14,500 = 13 x 1,115.38 -> 22% (13 x 1,100 = 14,300).
    # 23% (13 x 1,150 = 14,950) would pass it, and this payroll's own stop at $24,500 would not catch it.
    # Match 100% on up to 4%: 13 x 200 = 2,600. §415(c) here is 100% of this employer's pay,
    # min(72,000, 13 x 5,000 = 65,000) = 65,000; after-tax room 65,000 - 14,300 - 2,600 = 48,100
    # = 13 x 3,700 = 74% of pay.
    job = dict(match=[(1.0, 0.04)], other_employer_deferrals=10000)
    plan = solve_elections("2026-07-03", "biweekly", 5000, 35, **job)
    assert (plan.deferral_room, plan.limit_415c) == (14500.0, 65000.0)
    assert (plan.deferral_election, plan.deferrals, plan.match) == (0.22, 14300.0, 2600.0)
    assert (plan.after_tax_election, plan.after_tax, plan.annual_additions) == (0.74, 48100.0, 65000.0)
    over = paycheck_schedule("2026-07-03", "biweekly", 5000, 35, 0.23, **job)
    assert (over.deferrals, over.excess_deferral, over.flags) == (14950.0, 450.0, (FLAG_EXCESS_DEFERRAL,))
    # The person passes 24,500 on the last paycheck: 10,000 + 12 x 1,150 = 23,800, then 1,150 more.
    assert (over.paychecks[-1].excess, over.paychecks[-1].deferral_room_left) == (450.0, 0.0)
    # A plan cap of 75% of a paycheck leaves after-tax at 53%: 13 x 2,650 = 34,450, short of §415(c).
    capped = solve_elections("2026-07-03", "biweekly", 5000, 35, max_election=0.75, **job)
    assert (capped.after_tax_election, capped.after_tax) == (0.53, 34450.0)
    assert capped.flags == (FLAG_415C_UNREACHABLE,)


def test_mid_year_replan_with_year_to_date_amounts():
    # Same employer, re-planned from 3 July: 13 paychecks of $5,000 left; so far $65,000 pay, $10,000
    # deferred, $1,950 match, $5,000 after-tax. 402(g) room 14,500: 23% = 12 x 1,150 = 13,800 and the stop
    # leaves $700 for the last paycheck (above the $300 for the full 50%-of-6% match) -> exactly 14,500.
    # §415(c): 72,000 - 24,500 - (1,950 + 1,950) - 5,000 = 38,600 = 13 x 2,969.23 -> 59% (13 x 2,950).
    plan = solve_elections("2026-07-03", "biweekly", 5000, 35, match=MATCH_50_OF_6, ytd_compensation=65000,
                           ytd_deferrals=10000, ytd_match=1950, ytd_after_tax=5000)
    assert (plan.deferral_election, plan.deferrals, plan.match) == (0.23, 14500.0, 1950.0)
    assert (plan.after_tax_election, plan.after_tax) == (0.59, 38350.0)
    assert plan.annual_additions == 24500.0 + 3900.0 + 5000.0 + 38350.0
    assert plan.paychecks[0].ytd_deferrals == 11150.0     # 10,000 before + 1,150


# -------------------------------------------------------------------------------------- more rules
def test_catch_up_is_outside_415c_and_roth_rule():
    # Age 55: 402(g) + catch-up = 32,500. $10,000 biweekly, no match. 13%: 25 x 1,300 = 32,500 exactly.
    # Annual additions count 24,500 of it (the $8,000 catch-up is outside §415(c)), so after-tax room
    # 72,000 - 24,500 = 47,500 = 26 x 1,826.92 -> 18% (26 x 1,800 = 46,800).
    plan = solve_elections(*BIWEEKLY_2026, 10000, 55)
    assert (plan.deferral_election, plan.deferrals, plan.catchup) == (0.13, 32500.0, 8000.0)
    assert (plan.after_tax, plan.annual_additions) == (46800.0, 24500.0 + 46800.0)
    assert plan.paychecks[-2].catchup == 1300.0      # paycheck 25 is all above 402(g)
    # 2025 FICA wages over $150,000: the catch-up must be Roth (§414(v)(7)); no Roth in the plan: no catch-up.
    roth = solve_elections(*BIWEEKLY_2026, 10000, 55, prior_year_fica_wages=260000)
    assert FLAG_CATCHUP_ROTH in roth.flags and roth.deferrals == 32500.0
    none = solve_elections(*BIWEEKLY_2026, 10000, 55, prior_year_fica_wages=260000, plan_allows_roth=False)
    assert (none.deferral_limit, none.catchup, none.flags) == (24500.0, 0.0, (FLAG_NO_CATCHUP,))


def test_match_uses_pay_capped_at_401a17():
    # $20,000 biweekly (520,000 a year): the match counts pay up to 360,000, i.e. 18 paychecks of 6% = $1,200.
    # 6% = $1,200 a paycheck reaches 24,500 on paycheck 21 (20 x 1,200 + 500) and the stop ends deferrals,
    # but paychecks 19-26 earn no match anyway: full match 18 x 1,200 = 21,600. 5% misses $200 of match on
    # each of the 18. After-tax: 72,000 - 24,500 - 21,600 = 25,900 = 26 x 996.15 -> 4% (26 x 800 = 20,800).
    plan = solve_elections(*BIWEEKLY_2026, 20000, 35, match=MATCH_100_OF_6)
    assert (plan.deferral_election, plan.deferrals, plan.match, plan.match_max) == (0.06, 24500.0, 21600.0,
                                                                                    21600.0)
    assert [r.match for r in plan.paychecks[16:20]] == [1200.0, 1200.0, 0.0, 0.0]
    assert (plan.after_tax_election, plan.after_tax) == (0.04, 20800.0)


def test_dollar_elections():
    # $ per paycheck, no match: $942 x 26 = 24,492; $943: 25 x 943 = 23,575 and the stop leaves $925, so
    # exactly 24,500. After-tax 47,500 / 26 = 1,826.92 -> $1,826 (47,476).
    plan = solve_elections(*BIWEEKLY_2026, 5000, 35, granularity="dollars")
    assert (plan.deferral_election, plan.deferrals, plan.paychecks[-1].deferral) == (943.0, 24500.0, 925.0)
    assert (plan.after_tax_election, plan.after_tax) == (1826.0, 47476.0)
    # Without the stop the $943 would be $18 of excess deferral, so $942.
    manual = solve_elections(*BIWEEKLY_2026, 5000, 35, granularity="dollars", stops_at_402g=False)
    assert (manual.deferral_election, manual.deferrals) == (942.0, 24492.0)


def test_overshoot_flags_and_a_payroll_that_stops_at_415c():
    # 20% deferral + 40% after-tax of $5,000 x 26: 26,000 deferred (stop at 24,500) + 52,000 after-tax.
    # Annual additions 24,500 + 52,000 = 76,500: $4,500 over §415(c), refunded.
    over = paycheck_schedule(*BIWEEKLY_2026, 5000, 35, 0.20, 0.40)
    assert (over.deferrals, over.after_tax, over.excess_additions) == (24500.0, 52000.0, 4500.0)
    assert FLAG_EXCESS_ADDITIONS in over.flags
    # A payroll that stops at §415(c) cuts after-tax money once the year's additions reach 72,000: after 24
    # paychecks of 1,000 + 2,000 exactly. It cannot stop the $500 deferral of paycheck 25 (the 402(g) stop's
    # remainder), so the year still ends $500 over: the trap the solver avoids by never relying on this stop.
    stopped = paycheck_schedule(*BIWEEKLY_2026, 5000, 35, 0.20, 0.40, stops_at_415c=True)
    assert (stopped.after_tax, stopped.annual_additions, stopped.excess_additions) == (48000.0, 72500.0, 500.0)
    assert [r.after_tax for r in stopped.paychecks[23:]] == [2000.0, 0.0, 0.0]
    assert stopped.paychecks[23].additions_room_left == 0.0


def test_unreachable_402g_under_plan_cap():
    # At most 10% of $3,000 x 26 = 7,800 can be deferred: 402(g) is out of reach under the plan's cap.
    plan = solve_elections(*BIWEEKLY_2026, 3000, 35, max_election=0.10)
    assert (plan.deferral_election, plan.deferrals, plan.after_tax) == (0.10, 7800.0, 0.0)
    assert plan.flags == (FLAG_402G_UNREACHABLE, FLAG_415C_UNREACHABLE)


def test_no_election_keeps_the_full_match():
    # $40,000 biweekly, 100% of up to 6% = $2,400 a paycheck; the match counts 9 paychecks (360,000), needing
    # 9 x 2,400 = 21,600 <= 24,500: kept. With $22,000 deferred elsewhere only $2,500 is left: the match of
    # one paycheck at most (plus $100). Best: the solver still maximises it and flags the loss.
    plan = solve_elections(*BIWEEKLY_2026, 40000, 35, match=MATCH_100_OF_6, other_employer_deferrals=22000)
    assert plan.deferrals <= 2500.0 and FLAG_MATCH_LOST in plan.flags
    slow = brute_force_elections(*BIWEEKLY_2026, 40000, 35, match=MATCH_100_OF_6,
                                 other_employer_deferrals=22000, max_election=0.08)
    fast = solve_elections(*BIWEEKLY_2026, 40000, 35, match=MATCH_100_OF_6, other_employer_deferrals=22000,
                           max_election=0.08)
    assert fast == slow


def test_brute_force_confirms_the_bonus_split():
    small = dict(match=MATCH_50_OF_6, bonuses=[("2026-03-13", 50000)], separate_bonus_election=True,
                 max_election=0.15)
    assert solve_elections(*BIWEEKLY_2026, 5000, 35, **small) == brute_force_elections(
        *BIWEEKLY_2026, 5000, 35, **small)


# ------------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(("call", "argument", "words"), [
    (lambda: solve_elections("2026-01-02", "fortnightly", 5000, 35), "frequency", "'biweekly'"),
    (lambda: solve_elections("2026-13-02", "biweekly", 5000, 35), "first_pay_date", "ISO text"),
    (lambda: solve_elections("2026-01-02", "biweekly", -5, 35), "pay_per_period", "$0 or more"),
    (lambda: solve_elections("2026-01-02", "biweekly", 5000, 35, granularity="2%"), "granularity", "'0.5%'"),
    (lambda: solve_elections("2026-01-02", "biweekly", 5000, 35, max_election=75), "max_election",
     "fraction"),
    (lambda: solve_elections("2026-01-02", "biweekly", 5000, 35, match=[(1, 0.06), (0.5, 0.03)]), "match",
     "up_to rising"),
    (lambda: solve_elections("2026-03-02", "biweekly", 5000, 35, bonuses=[("2026-02-01", 100)]),
     "bonus date", "on or after the first pay date"),
    (lambda: solve_elections("2026-01-02", "biweekly", 5000, 35, other_employer_deferrals=30000),
     "other_employer_deferrals", "at most $24,500"),
    (lambda: paycheck_schedule("2026-01-02", "biweekly", 5000, 35, 0.135), "deferral_election",
     "multiple of 1.0%"),
    (lambda: paycheck_schedule("2026-01-02", "biweekly", 5000, 35, 19), "deferral_election", "0.19 for 19%"),
    (lambda: paycheck_schedule("2026-01-02", "biweekly", 5000, 35, 0.5, 0.6), "after_tax_election",
     "at most 50%"),
    (lambda: paycheck_schedule("2026-01-02", "biweekly", 5000, 35, 0.1, 0.1, 0.2), "bonus_deferral_election",
     "regular elections"),
    (lambda: paycheck_schedule("2026-01-02", "biweekly", 5000, 35, 900.5, granularity="dollars"),
     "deferral_election", "whole dollars"),
])
def test_bad_input_names_the_argument(call, argument, words):
    with pytest.raises(InputError) as caught:
        call()
    assert caught.value.argument == argument
    assert words in str(caught.value)


def test_separate_bonus_election_finds_the_full_match_past_401a17():
    # Found by hypothesis: $45,000 a month, a $5,000 bonus on 28 January with its own election, 8% at most.
    # The match counts pay up to $360,000 (the first 8 checks), so 6% on both keeps all $21,600 of it even
    # though the stop ends deferrals at $24,500 in September; a 0% bonus election loses the bonus's $300.
    options = dict(match=MATCH_100_OF_6, max_election=0.08, separate_bonus_election=True,
                   bonuses=[("2026-01-28", 5000.0)])
    plan = solve_elections("2026-01-01", "monthly", 45000, 35, **options)
    assert (plan.deferral_election, plan.bonus_deferral_election, plan.match, plan.deferrals) == (
        0.06, 0.06, 21600.0, 24500.0)
    assert plan == brute_force_elections("2026-01-01", "monthly", 45000, 35, **options)


def test_deferrals_and_match_alone_can_pass_415c():
    # $1,000 biweekly (26 paychecks, §415(c) = 100% of pay = $26,000), age 61 (402(g) 24,500 + catch-up
    # 11,250 = 35,750), 100% match on up to 50% of pay: full match 26 x 500 = 13,000. Deferring all the
    # room is impossible; the match is kept while deferrals + match, less the catch-up that §415(c) pushes
    # into catch-up (Treas. Reg. §1.414(v)-1(b)), fit in 26,000: 93% = 26 x 930 = 24,180, and 24,180 +
    # 13,000 = 37,180 is 11,180 over, all of it catch-up (<= 11,250): additions exactly 26,000. 94% = 24,440
    # is 11,440 over, 190 more than the catch-up: an excess. No after-tax room is left.
    options = dict(match=[(1.0, 0.5)])
    plan = solve_elections(*BIWEEKLY_2026, 1000, 61, **options)
    assert (plan.deferral_election, plan.deferrals, plan.match, plan.catchup) == (0.93, 24180.0, 13000.0,
                                                                                   11180.0)
    assert (plan.after_tax, plan.annual_additions, plan.flags) == (0.0, 26000.0, (FLAG_402G_UNREACHABLE,))
    assert plan == brute_force_elections(*BIWEEKLY_2026, 1000, 61, **options)


def test_match_true_up_with_a_separate_bonus_election():
    # $5,000 biweekly + a $50,000 March bonus with its own election, 100% match on up to 50% with a true-up,
    # at most 30% of a check. The match can never be full (50% of $180,000 = $90,000 > 402(g)), so the best
    # is a match equal to the deferrals at the full room: 10% + 23% = 13,000 + 11,500 = 24,500. §415(c):
    # 72,000 - 24,500 - 24,500 = 23,000 = 1,300 x 15% + 500 x 7% (19,500 + 3,500).
    options = dict(match=[(1.0, 0.5)], true_up=True, bonuses=[("2026-03-13", 50000)],
                   separate_bonus_election=True, max_election=0.3)
    plan = solve_elections(*BIWEEKLY_2026, 5000, 35, **options)
    assert (plan.deferral_election, plan.bonus_deferral_election, plan.after_tax_election,
            plan.bonus_after_tax_election) == (0.1, 0.23, 0.15, 0.07)
    assert (plan.deferrals, plan.match, plan.after_tax, plan.annual_additions) == (24500.0, 24500.0, 23000.0,
                                                                                   72000.0)
    assert plan == brute_force_elections(*BIWEEKLY_2026, 5000, 35, **options)
