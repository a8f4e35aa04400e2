"""The envelope of a check's rounded match (`bounds._rounded_envelope`): the least concave function on or above
ROUND(match, 2) at every deferral a check can get (a multiple of its grain), used instead of the formula's tiers
plus half a cent per check by the column bound (`bounds._column_bound`) and the ceiling (`bounds._ceiling`).
Checked against the rounded match at every such deferral, and the bounds built on it against the exact match of
every legal election (hypothesis, derandomized), with capped plan 156 pinned: there the formula's tiers were 19
cents above the best any election pays, in every column, and the envelopes are exact.
"""

from __future__ import annotations

import bisect
import datetime as dt

from _knobs import knobs
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_properties import slow_class_cases
from test_paycheck_slow_plans import bonus_cut_cases

from megabackdoor.paycheck import _make_case, _planned, _simulate, _truncated, solve_elections, solver
from megabackdoor.paycheck import stops as stops_module
from megabackdoor.paycheck.bounds import (
    _column_bound,
    _envelope_gap,
    _envelope_pieces,
    _regular_grain,
    _rounded_envelope,
    _stopped_ceiling,
    _tight_ceiling,
)
from megabackdoor.paycheck.case import _amount, _match_cents
from megabackdoor.paycheck.solver import _prepare
from megabackdoor.paycheck.stops import _bonus_column, _build_stops, _cuts_bound, _stop_at

TIERS = [[(2.0, 0.05), (1.0, 0.5)], [(1.5, 0.2), (0.25, 1.0)], [(1.0, 0.06)], [(0.5, 0.03), (1.0, 0.06)],
         [(1.0, 0.5)], [(2.0, 1.0)], [(0.5, 0.06)], [(1.0, 0.03), (0.5, 0.05)]]


def _value(envelope, deferral):
    """The envelope at a deferral (straight between its corners, flat past the last)."""
    if deferral >= envelope[-1][0]:
        return envelope[-1][1]
    index = bisect.bisect_right(envelope, (deferral, float("inf"))) - 1
    (x0, y0), (x1, y1) = envelope[index], envelope[index + 1]
    return y0 + (y1 - y0) * (deferral - x0) / (x1 - x0)


@settings(max_examples=scaled(120), deadline=None, derandomize=True)
@given(st.sampled_from(TIERS), st.integers(2_000, 200_000), st.sampled_from([1, 2, 5, 25, 100, 783]),
       st.integers(0, 8_000), st.sampled_from([1, 5]))
def test_the_envelope_is_on_or_above_the_rounded_match_at_every_deferral_of_its_grain(
        tiers, pay_cents, grain, cap, divisor):
    """Every corner is a deferral of the grain and its rounded match; every multiple of the grain up to the cap
    is on or below the envelope; its pieces rise best rate first; and on a finer grain (the cut check's) the
    envelope is at most the gap above it, at every deferral of that grain."""
    case = _make_case("2026-01-02", "weekly", 5000.0, 35, {"match": tiers})
    pay = pay_cents / 100
    envelope = _rounded_envelope(case, pay, grain, cap)
    if envelope is None:
        return      # (not known exactly: the bounds count half a cent per check instead)
    assert envelope[0] == (0, 0)
    for deferral, match in envelope:
        assert deferral % grain == 0 and deferral <= max(cap, 0)
        assert match == _match_cents(case, deferral, pay)
    for deferral in range(0, cap + 1, grain):
        assert _match_cents(case, deferral, pay) <= _value(envelope, deferral) + 1e-6
    rates = [rate for rate, _ in _envelope_pieces(envelope)]
    assert rates == sorted(rates, reverse=True) and all(rate > 0 for rate in rates)
    finer_grain = max(1, grain // divisor) if grain % divisor == 0 else grain
    finer = _rounded_envelope(case, pay, finer_grain, cap)
    if finer is not None:
        gap = _envelope_gap(finer, envelope) if finer_grain != grain else 0.0
        for deferral in range(0, cap + 1, finer_grain):
            assert _match_cents(case, deferral, pay) <= _value(envelope, deferral) + gap + 1e-6


def test_the_envelope_moves_a_tier_edge_to_where_rounding_puts_it():
    """200% of up to 5% of a $7,826.05 check, then 100% up to 50%, on whole-cent deferrals up to 50% of pay:
    5% of pay is $391.3025, so the match is 2a up to a = $391.30 (whole cents) and a + $391.3025 above it, a
    quarter cent that rounds down at every whole-cent a: a + $391.30. The largest election, 50%, defers
    $3,913.03 ($3,913.025 rounded up), where the formula is capped at $3,913.025 + $391.3025 = $4,304.3275,
    rounded $4,304.33: on the same line. So two pieces, 200% on $391.30 and 100% on $3,521.73, where the tiers
    give 200% on $391.3025: a quarter cent more per check, and a quarter cent of rounding at the largest
    election that no other deferral gets."""
    case = _make_case("2026-01-02", "weekly", 7826.05, 35,
                      {"match": [(2.0, 0.05), (1.0, 0.5)], "granularity": "0.1%", "max_election": 0.5})
    cap = _amount(case, 7826.05, 500, False)
    assert cap == 391303
    envelope = _rounded_envelope(case, 7826.05, 1, cap)
    assert envelope == [(0, 0), (39130, 78260), (391303, 430433)]
    assert _envelope_pieces(envelope) == [(2.0, 39130.0), (1.0, 352173.0)]


CAPPED_156 = (("2026-01-02", "weekly", 7826.05, 35),
              {"granularity": "0.1%", "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True,
               "true_up": False, "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.5,
               "bonuses": [("2026-09-08", 3616.62), ("2026-07-06", 5055.87), ("2026-03-19", 8638.89),
                           ("2026-06-10", 5275.62), ("2026-08-16", 6998.17), ("2026-04-15", 6096.72),
                           ("2026-08-05", 5220.02), ("2026-03-12", 5597.2), ("2026-03-26", 4882.03),
                           ("2026-04-18", 5456.18), ("2026-03-28", 4051.51), ("2026-07-01", 1182.11)]})


def test_capped_plan_156_column_bound_and_ceiling_are_the_best_match():
    """Capped plan 156 (bench/paycheck_plans.py): $7,826.05 weekly, 12 bonuses, pay past the §401(a)(17) cap from
    the 50th check (it has $539.16 of match pay, the later ones none). The best match, $42,499.91, is the room
    ($24,500) plus 200% pieces: 38 regular checks' 5% at the envelope's $391.30 (not $391.3025), the cut check's
    $26.96 (5% of $539.16 = $26.958 rounds up, so a + $26.96 above the edge) and each bonus check's own. The
    tiers' fill was 19 cents above it in every column past 50 (a quarter cent on each of 38 checks, and a
    quarter cent of rounding each at the largest election): the search could not drop one of ~100 columns it
    had to search for ties at a smaller x."""
    args, options = CAPPED_156
    case = _make_case(*args, options)
    assert case.ceiling == 4250025 and _tight_ceiling(case) == 4249991
    stopped = [x for x in range(case.x_max + 1) if _planned(case, x, 52)[0] > case.room]
    assert max(_truncated(case, x, 52) for x in stopped) == 4249991
    assert 4249991 <= _column_bound(case, 52) < 4249992
    plan = solve_elections(*args, **options)      # (the answer recorded before the envelopes)
    assert (plan.match, plan.deferral_election, plan.bonus_deferral_election) == (42499.91, 0.05, 0.151)


@st.composite
def fraction_edge_cases(draw):
    """Weekly and biweekly pays whose tier edges fall on fractions of a cent (the envelope moves them), a
    separate bonus election on bonuses of other pays, the payroll stop, and pay past the §401(a)(17) cap or not.
    Whole rates on whole-cent deferrals: every regular check's envelope is known exactly (by construction,
    asserted)."""
    options = {"match": draw(st.sampled_from([[(2.0, 0.05), (1.0, 0.5)], [(1.0, 0.06)], [(2.0, 0.03), (1.0, 0.05)]])),
               "granularity": "0.5%", "max_election": draw(st.sampled_from([0.08, 0.1])),
               "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
               "true_up": draw(st.sampled_from([False, False, True])),
               "bonuses": [(dt.date(2026, draw(st.integers(2, 8)), draw(st.sampled_from([2, 14, 25]))),
                            draw(st.sampled_from([665.5, 4449.59, 5525.09, 1182.11])))
                           for _ in range(draw(st.integers(1, 3)))]}
    pay = draw(st.sampled_from([7826.05, 8144.09, 25738.94, 43913.95, 3121.37]))
    frequency = draw(st.sampled_from(["weekly", "biweekly", "semimonthly"]))
    return dt.date(2026, 1, draw(st.sampled_from([2, 15]))), frequency, pay, 35, options


@settings(max_examples=scaled(24), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(fraction_edge_cases(), st.data())
def test_the_bounds_on_envelopes_cover_every_legal_election(case_args, data):
    """The ceiling and a column's bound (one bonus election, and a run of them) built on the envelopes hold for
    the exact match of every legal election of every column: none is below the best any election pays."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    cap = _amount(case, case.pay, case.max_units, False)
    assert _rounded_envelope(case, case.pay, _regular_grain(case), cap) is not None
    y1 = data.draw(st.integers(0, case.y_max))
    y2 = data.draw(st.integers(y1, case.y_max))
    run = _column_bound(case, y1, y2)
    tight = _tight_ceiling(case)
    for y in range(case.y_max + 1):
        column = _column_bound(case, y)
        for x in range(case.x_max + 1):
            result = _simulate(case, x, y, 0, 0)
            if not result.excess_deferral:
                match = result.match
                assert match <= tight
                assert match <= column
                assert y < y1 or y > y2 or match <= run


def test_the_cut_check_gets_its_envelope_on_the_case_grain():
    """$3,121 monthly from April, whole-dollar elections, 200% of up to 5% then 100%, $20,000 deferred so far
    ($4,500 of room) and a $30,876.43 bonus in April on a separate election. The regular checks defer whole
    dollars: their envelope has corners at $156 (match $312) and $157 ($313.05; 5% of pay is $156.05). The check
    the stop cuts keeps what is left of the room, any cent after the bonus's cents: at $156.05 its match is
    $312.10, 4.75 cents above the whole-dollar envelope there ($312 + 5 x 1.05 cents). The best match, $7,448.27
    (regular election $157 at bonus election 10, the stop cutting the tenth check to $157), is the ceiling, and
    within both bounds only with that gap counted."""
    case = _make_case(dt.date(2026, 4, 1), "monthly", 3121.0, 35,
                      {"match": [(2.0, 0.05), (1.0, 0.5)], "granularity": "dollars", "max_election": 0.1,
                       "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
                       "ytd_compensation": 60000.0, "ytd_deferrals": 20000.0,
                       "bonuses": [(dt.date(2026, 4, 28), 30876.43)]})
    whole_dollars, cents = _rounded_envelope(case, 3121.0, 100, 31200), _rounded_envelope(case, 3121.0, 1, 31200)
    assert whole_dollars == [(0, 0), (15600, 31200), (15700, 31305), (31200, 46805)]
    assert cents == [(0, 0), (15605, 31210), (31200, 46805)]
    assert abs(_envelope_gap(cents, whole_dollars) - 4.75) < 1e-9
    best = max(result.match for x in range(case.x_max + 1) for y in range(case.y_max + 1)
               if not (result := _simulate(case, x, y, 0, 0)).excess_deferral)
    assert best == _truncated(case, 157, 10) == _tight_ceiling(case) == 744827
    assert 744827 <= _column_bound(case, 10) < 744829


CAPPED_21 = (("2026-01-02", "biweekly", 43913.95, 35),
             {"granularity": "0.1%", "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True,
              "true_up": False, "stops_at_402g": True, "stops_at_415c": False, "max_election": 1.0,
              "bonuses": [("2026-03-27", 665.5), ("2026-01-25", 4449.59), ("2026-01-02", 921.19),
                          ("2026-01-14", 5525.09)]})


def test_capped_plan_21_run_bound_is_its_best_column():
    """Capped plan 21: $43,913.95 biweekly, four bonuses before the pay cap, 200% of 5% then 100%. From bonus
    election 51 on every bonus check defers more than its 5% edge, so a larger bonus election only moves deferrals
    from 100% regular pay to 100% bonus pay: every column pays at most the best, $42,500.02. A run's bound now
    takes each term at its first column and what a larger bonus election adds to it (100% on each bonus check's
    extra deferral) less what the fill loses on the room that takes (100% where its budget runs out): $0, so the
    bound over columns 100-400 is the best, where each bonus check at 400 with the room left at 100 gave $10,402
    more."""
    args, options = CAPPED_21
    case = _make_case(*args, options)
    _prepare(case)
    assert max(_column_bound(case, y) for y in range(100, 401)) < 4250003
    assert 4250002 <= _column_bound(case, 100, 400) < 4250003
    plan = solve_elections(*args, **options)
    assert plan.match == 42500.02
    with knobs(solver, _TIE_RUNS=False):
        assert solve_elections(*args, **options) == plan


@st.composite
def capped_cases(draw):
    """The capped-pay class (bench/paycheck_plans.py capped_pay_plans) on a coarser grid: pay past the §401(a)(17)
    cap before December, 2-6 bonuses before it, a separate bonus election, the payroll stop, a generous match:
    the best at the room is tied in run after run of columns at a larger regular election."""
    frequency = draw(st.sampled_from(["weekly", "biweekly", "semimonthly", "monthly"]))
    periods = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}[frequency]
    pay = round(draw(st.integers(400_000, 1_500_000)) / periods + draw(st.sampled_from([0.0, 0.37, 0.05])), 2)
    months = max(1, min(11, int(12 * 360_000 / (pay * periods))))
    bonuses = [(f"2026-{draw(st.integers(1, months)):02d}-{draw(st.integers(2, 28)):02d}",
                draw(st.sampled_from([665.5, 1182.11, 4449.59, 5525.09, 8638.89])))
               for _ in range(draw(st.sampled_from([2, 4, 6])))]
    options = {"granularity": draw(st.sampled_from(["1%", "0.5%"])), "bonuses": bonuses,
               "match": draw(st.sampled_from([[(2.0, 0.05), (1.0, 0.5)], [(1.5, 0.2), (0.25, 1.0)], [(1.0, 0.5)],
                                              [(2.0, 0.1)]])),
               "separate_bonus_election": True, "true_up": draw(st.sampled_from([False, False, True])),
               "stops_at_402g": True, "stops_at_415c": False, "max_election": draw(st.sampled_from([0.5, 1.0]))}
    return "2026-01-02", frequency, pay, 35, options


def _phase1_found(case_args, _module=solver, **constants):
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    with knobs(_module, **constants):       # the rows are handed over lazily: take them under the same knobs
        found = solver._phase1(case)
        if found is None:
            return None
        rows = found[2]
        return found[0], found[1], list(rows() if callable(rows) else rows)


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), fraction_edge_cases(), slow_class_cases(), bonus_cut_cases()))
def test_runs_of_columns_that_can_only_tie_at_a_larger_x_are_skipped_exactly(case_args):
    """Phase 1 skips a run of columns when its bound is below best + 1 and no regular election below the smallest
    member's is promising at the run's last column (the planned match grows with x and y): the same best and
    members as searching every column."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _TIE_RUNS=False)



@st.composite
def second_bonus_cut_cases(draw):
    """Little room left ($1,500-$2,500) and two bonuses, the second one large: the stop cuts the first or the
    second bonus check, so a run's bound takes its terms at a cut bonus check with the bonus check before it
    growing across the run."""
    options = {"match": draw(st.sampled_from([[(2.0, 0.05), (1.0, 0.5)], [(1.0, 0.06)], [(1.5, 0.2), (0.25, 1.0)]])),
               "true_up": False, "granularity": "0.5%", "max_election": 0.08, "separate_bonus_election": True,
               "stops_at_402g": True, "stops_at_415c": False, "ytd_compensation": 60000.0,
               "ytd_deferrals": draw(st.sampled_from([22000.0, 23000.0])),
               "bonuses": [(dt.date(2026, 4, draw(st.sampled_from([2, 14]))), draw(st.sampled_from([8000.0, 4449.59]))),
                           (dt.date(2026, draw(st.integers(4, 6)), 28), draw(st.sampled_from([50000.0, 30876.43])))]}
    pay = draw(st.sampled_from([900.0, 1530.67, 4321.09]))
    return dt.date(2026, 4, 1), draw(st.sampled_from(["monthly", "semimonthly"])), pay, 35, options


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), second_bonus_cut_cases()), st.data())
def test_the_run_bound_covers_the_best_of_every_column_in_the_run(case_args, data):
    """A run of columns (bonus elections y1..y2, at most 24) is skipped on its bound: it must be at least the
    match of every election in every column of it, stopped or within the room (in the capped-pay class its
    bound is often exactly the best column's, so a bound a cent low is caught)."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    # (runs from the first columns too, where bonus checks cross their tier edges within the run)
    y1 = data.draw(st.one_of(st.integers(0, min(case.y_max, 24)), st.integers(0, case.y_max)))
    y2 = data.draw(st.integers(y1, min(case.y_max, y1 + 24)))
    best = -1
    for y in range(y1, y2 + 1):
        for x in range(case.x_max + 1):
            deferrals, match = _planned(case, x, y)
            best = max(best, _truncated(case, x, y) if deferrals > case.room else match)
    assert best <= _column_bound(case, y1, y2)


@st.composite
def any_rate_stopped_plans(draw):
    """The payroll stop at 402(g) with a separate bonus election, tiers whose rates are not whole (150% then 25%,
    50%), on whole-dollar elections (below the pay: whole-dollar deferrals, on which 150% and 25% move whole
    cents) or on a 0.5% grid of pays with odd cents (where they do not), a few months of room left."""
    dollars = draw(st.booleans())
    # (a small pay whose largest whole-dollar election takes all of it: its cents then end the deferral)
    small = dollars and draw(st.booleans())
    options = {"match": draw(st.sampled_from([[(1.5, 0.2), (0.25, 1.0)], [(0.5, 0.06)], [(1.5, 0.05), (1.0, 0.1)],
                                              [(2.0, 0.05), (1.0, 0.5)]])),
               "granularity": "dollars" if dollars else "0.5%",
               "max_election": 1.0 if small else 0.06 if dollars else 0.15,
               "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False, "true_up": False,
               "ytd_compensation": 60000.0, "ytd_deferrals": draw(st.sampled_from([15000.0, 20000.0, 22000.0,
                                                                                  23500.0]))}
    months = draw(st.lists(st.integers(7, 12), min_size=1, max_size=2))
    options["bonuses"] = [(dt.date(2026, month, draw(st.sampled_from([3, 28]))),
                           draw(st.sampled_from([1000.0, 8000.0, 3335.76]))) for month in months]
    pay = draw(st.sampled_from([150.37, 121.5] if small else [1530.67, 2719.53, 4321.09, 3121.0]))
    return dt.date(2026, 6, 1), draw(st.sampled_from(["monthly", "semimonthly"])), pay, 35, options


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(any_rate_stopped_plans())
def test_the_stopped_ceiling_with_any_rates_is_never_below_the_most_any_candidate_gets(plan):
    """bounds._stopped_ceiling takes a stretch's regular match as exact (r a + K) only where r times the regular
    deferrals' multiple (a whole dollar with whole-dollar elections below the pay) is whole cents, else half a
    cent above the formula per check: it must never claim less than the most any (x, y) gets."""
    first, frequency, pay, age, options = plan
    case = _make_case(first, frequency, pay, age, options)
    most = -1
    for y in range(case.y_max + 1):
        for x in range(case.x_max + 1):
            deferrals, match = _planned(case, x, y)
            most = max(most, _truncated(case, x, y) if deferrals > case.room else match)
    assert not _stopped_ceiling(case, most - 1)


def test_the_stopped_ceiling_settles_capped_plan_133_on_whole_dollars():
    """Capped plan 133: $13,800.46 weekly on whole-dollar elections (up to $10,350, below the pay: whole-dollar
    deferrals), 150% of up to 20% then 25%: 150% and 25% of a whole dollar are whole cents, so each regular
    check's match on a stretch is r a + K exactly. Its best, $36,750.01, is 13 cents under the ceiling and is the
    most any candidate gets; the search settles there."""
    args = ("2026-01-02", "weekly", 13800.46, 35)
    options = {"granularity": "dollars", "bonuses": [("2026-05-03", 8627.02), ("2026-01-19", 3335.76)],
               "match": [(1.5, 0.2), (0.25, 1.0)], "separate_bonus_election": True, "true_up": False,
               "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.75}
    case = _make_case(*args, options)
    assert case.ceiling == 3675014
    assert _stopped_ceiling(case, 3675001) and not _stopped_ceiling(case, 3675000)
    plan = solve_elections(*args, **options)      # (the answer recorded before)
    assert (plan.match, plan.deferral_election, plan.bonus_deferral_election) == (36750.01, 861.0, 0.2)


def _stopped_by_cut(case, y):
    """{cut: the most stopped match of an x the stop cuts there} in bonus election y's column."""
    stops = case.stops or _build_stops(case)
    most = {}
    for x in range(case.x_max + 1):
        if _planned(case, x, y)[0] > case.room:
            cut = _stop_at(case, x, y)[0]
            most[cut] = max(most.get(cut, -1), _truncated(case, x, y))
    return stops, most


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), second_bonus_cut_cases(), fraction_edge_cases()), st.data())
def test_the_bound_over_a_run_of_cuts_covers_every_election_cut_there(case_args, data):
    """stops._cuts_bound(low, high): the stopped match of every x of a column that the stop cuts at a check from
    low to high is at most it (its bonus prefix at high, its room at low)."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    if not (case.stops_402g and case.stop == case.room >= 0):
        return
    y = data.draw(st.integers(0, case.y_max))
    stops, most = _stopped_by_cut(case, y)
    if not most:
        return
    low = data.draw(st.sampled_from(sorted(most)))
    high = data.draw(st.sampled_from([cut for cut in sorted(most) if cut >= low]))
    column = _bonus_column(case, stops, 0, y)
    assert max(match for cut, match in most.items() if low <= cut <= high) <= _cuts_bound(case, stops, low, high,
                                                                                        column)


def test_capped_plan_156_runs_of_cuts_far_from_the_best_go_at_once():
    """Capped plan 156, bonus election 3: the best, $39,582.58, is cut at check 50 (the one with $539.16 of match
    pay); regular elections cut at checks 6-27 pay at most $33,212.77, and the bound over those cuts at once,
    $33,317.12 (their pieces at 27, the room at 6), drops them without a span each."""
    args, options = CAPPED_156
    case = _make_case(*args, options)
    stops, most = _stopped_by_cut(case, 3)
    column = _bonus_column(case, stops, 0, 3)
    assert max(most.values()) == most[50] == 3958258
    assert max(match for cut, match in most.items() if 6 <= cut <= 27) == 3321277
    assert 3321277 <= _cuts_bound(case, stops, 6, 27, column) < 3331712 < 3958258
    assert 3958258 <= _cuts_bound(case, stops, 6, 63, column)


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), second_bonus_cut_cases(), slow_class_cases()))
def test_spans_over_runs_of_cuts_split_at_their_middle_cut_give_the_same_phase_1(case_args):
    """_stopped_candidates bounds a span over several cuts at once and splits it at its middle cut: the same best
    and members as peeling one cut at a time."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _module=stops_module, _CUTS_SPLIT=False)
