"""The rows of a settled search (`solver._row_members`): for each regular election x, the smallest bonus election y
at which (x, y) pays the settled best (ceiling, room), kept when below every earlier row's. Rows whose planned
match at the largest bonus election left is below the ceiling are skipped at once (`solver._PLANNED_ROWS`): with
tier rates of at least 0 the payroll stop only cuts deferrals, so no candidate of the row gets more. Checked
against the row-by-row walk (hypothesis, derandomized) and on capped plan 153 (pay past §401(a)(17) in
September: the checks after it defer but get no match), where each member's row is the first whose planned
match reaches the ceiling.
"""

from __future__ import annotations

from _knobs import counting, knobs
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_paycheck_envelope import capped_cases
from test_paycheck_parity_spans import PLAN_90
from test_paycheck_properties import slow_class_cases
from test_paycheck_slow_plans import bonus_cut_cases

from megabackdoor.paycheck import _make_case, _planned, _simulate, _truncated, solve_elections, solver
from megabackdoor.paycheck.bounds import _column_bound
from megabackdoor.paycheck.simulation import _planned_raw
from megabackdoor.paycheck.solver import _prepare

# Capped plan 153 (bench/paycheck_plans.capped_pay_plans): $40,354.72 monthly from 2 January, six bonuses before
# September, 100% of up to 50% of pay, whole-dollar elections up to 50% ($20,177), age 61 (room $35,750).
CAPPED_153 = (("2026-01-02", "monthly", 40354.72, 61),
              {"granularity": "dollars", "match": [(1.0, 0.5)], "separate_bonus_election": True, "true_up": False,
               "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.5,
               "bonuses": [("2026-03-04", 1019.32), ("2026-05-09", 8224.12), ("2026-02-23", 3910.68),
                           ("2026-02-06", 5892.62), ("2026-08-27", 5665.93), ("2026-02-18", 6395.66)]})


def _phase1_found(case_args, **constants):
    """Phase 1's best, members and row members (the rows taken inside the knobs: they are a generator)."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    with knobs(solver, **constants):
        found = solver._phase1(case)
        return found if found is None else (found[0], found[1], list(found[2]() if callable(found[2]) else found[2]))


def _settled_at_the_ceiling(case_args):
    """The case and its phase 1 when that settles at the ceiling at the room and hands its rows over lazily."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    found = solver._phase1(case)
    if found is None or found[0] != (case.ceiling, case.room) or not callable(found[2]):
        return None
    return case, found


def _rows_around_a_member(case_args, data):
    """A settled case (see _settled_at_the_ceiling), the rows from 12 below a drawn member's to 3 above, and the
    bonus election where the rows end (the full match's, else the largest); None when phase 1 does not settle."""
    settled = _settled_at_the_ceiling(case_args)
    if settled is None:
        return None
    case, found = settled
    rows = list(found[2]()) + found[1]
    middle = data.draw(st.sampled_from([x for x, _ in rows]))
    bonus_full = solver._bonus_full_match(case)
    bonus_end = case.bonus_max_units if bonus_full is None else bonus_full
    return case, range(max(0, middle - 12), min(case.x_max, middle + 3) + 1), bonus_end


def test_capped_plan_153_members_are_the_first_rows_whose_planned_match_reaches_the_ceiling():
    """Eight regular checks (January-August) and the six bonuses are paid before the $360,000 cap; September's
    check has $360,000 - $322,837.76 - $31,108.33 = $6,053.91 of match pay (100% up to $3,026.955), October-December
    none. The match is at most $35,750 (the room, 100%), reached only when the checks up to September defer the
    room: 9 x + B(y) >= $35,750. At y = 49% the bonus checks defer $15,243.08 (499.47 + 4,029.82 + 1,916.23 +
    2,887.38 + 2,776.31 + 3,133.87): x >= ($35,750 - $15,243.08) / 9 = $2,278.55, so row $2,279; at 50%,
    $15,554.17: row $2,244. The planned match of ($2,278, 49%) is 9 x $2,278 + $15,243.08 = $35,745.08."""
    args, options = CAPPED_153
    case = _make_case(*args, options)
    _prepare(case)
    assert case.ceiling == case.room == 3575000
    assert _planned_raw(case, 2278, 49)[1] == 3574508 and _planned_raw(case, 2279, 49)[1] == 3575408
    assert _planned_raw(case, 2243, 50)[1] == 3574117 and _planned_raw(case, 2244, 50)[1] == 3575017
    found = _phase1_found((*args, options))
    assert found[0] == (3575000, 3575000) and found[1] == [(4091, 0)]
    rows = found[2]
    assert rows[:4] == [(2244, 50), (2279, 49), (2314, 48), (2348, 47)]
    assert rows[-2:] == [(4013, 2), (4052, 1)] and len(rows) == 50
    assert rows == _phase1_found((*args, options), _PLANNED_ROWS=False)[2]
    plan = solve_elections(*args, **options)
    assert (plan.deferral_election, plan.bonus_deferral_election, plan.match) == (3080.0, 0.26, 35750.0)
    with knobs(solver, _PLANNED_ROWS=False):
        assert solve_elections(*args, **options) == plan


@st.composite
def capped_dollar_cases(draw):
    """Capped plan 153's class on whole-dollar elections: $30,000-$41,234 a month (or half of it twice a month),
    past the $360,000 cap before December, 1-3 bonuses before it, often of round dollars (then some member's row
    reaches the ceiling exactly at its planned match: 9 x + B(y) = the room), a generous match, age 61."""
    frequency = draw(st.sampled_from(["monthly", "semimonthly"]))
    pay = draw(st.sampled_from([40354.72, 30000.0, 41234.0]))
    options = {"granularity": "dollars", "match": draw(st.sampled_from([[(1.0, 0.5)], [(1.5, 0.2), (0.25, 1.0)]])),
               "separate_bonus_election": True, "true_up": draw(st.sampled_from([False, False, True])),
               "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.5,
               "bonuses": [(f"2026-{month:02d}-{day:02d}", draw(st.sampled_from([4000.0, 5000.0, 6000.0, 8000.0,
                                                                                 6395.66])))
                           for month, day in draw(st.lists(st.sampled_from([(3, 4), (5, 9), (2, 6), (7, 27)]),
                                                           min_size=1, max_size=3, unique=True))]}
    return "2026-01-02", frequency, pay if frequency == "monthly" else round(pay / 2, 2), 61, options


@settings(max_examples=scaled(40), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_dollar_cases(), capped_cases(), slow_class_cases(), bonus_cut_cases()))
def test_rows_below_the_ceiling_by_their_planned_match_are_skipped_exactly(case_args):
    """The same best, members and row members as walking every row."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _PLANNED_ROWS=False)


@settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(capped_cases(), st.data())
def test_no_candidate_of_a_row_gets_more_than_its_planned_match_at_the_largest_bonus_election(case_args, data):
    """The bound the skip rests on: every (x, y') with y' <= y, within the room or cut by the stop, gets at most the
    planned match of (x, y) before any true-up, or the true-up's floor (the formula on the room). Rows x drawn
    near the first whose planned match at y reaches the ceiling, where the bound is tight."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    y = data.draw(st.integers(0, case.y_max))
    first_reaching = next((x for x in range(case.x_max + 1) if _planned_raw(case, x, y)[1] >= case.ceiling),
                          case.x_max)
    x = data.draw(st.one_of(st.integers(max(0, first_reaching - 2), min(case.x_max, first_reaching + 1)),
                            st.integers(0, case.x_max)))
    bound = _planned_raw(case, x, y)[1]
    if case.true_up and case.tiers:
        bound = max(bound, case.true_up_floor)
    for smaller in range(y + 1):
        deferrals, match = _planned(case, x, smaller)
        got = _truncated(case, x, smaller) if deferrals > case.room else match
        assert got <= bound


@settings(max_examples=scaled(200), deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=60), st.integers(-5, 1200), st.data())
def test_least_reaching_is_the_first_of_a_rising_value_to_reach_the_need(steps, need, data):
    """solver._least_reaching against a walk, on rising values with flat stretches and jumps (its straight-line
    probes land anywhere in the bracket), over any sub-range."""
    values = [sum(steps[: index + 1]) for index in range(len(steps))]
    low = data.draw(st.integers(0, len(values) - 1))
    high = data.draw(st.integers(low, len(values) - 1))
    asked = []

    def value(index):
        assert low <= index <= high
        asked.append(index)
        return values[index]

    walked = next((index for index in range(low, high + 1) if values[index] >= need), high + 1)
    assert solver._least_reaching(value, need, low, high) == walked
    assert len(asked) <= 3 * (high - low + 1).bit_length() + 2


def test_least_reaching_finds_a_straight_crossing_in_a_few_probes():
    """On a straight line (a planned match between tier edges) the first probe lands on the crossing and the
    second confirms the one before it falls short: 4 values in all (the ends, then 556 and 555) for 1,001
    elections, where a bisection asks 10."""
    asked = []

    def value(units):
        asked.append(units)
        return 1800 * units + 7

    assert solver._least_reaching(value, 1_000_000, 0, 1000) == 556      # 1800 x 555 + 7 = 999,007 < 10^6
    assert len(asked) == 4


@settings(max_examples=scaled(30), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_dollar_cases(), capped_cases()), st.data())
def test_a_row_member_is_the_smallest_bonus_election_whose_simulated_year_pays_the_ceiling_at_the_room(
        case_args, data):
    """solver._row_member against the year's paychecks simulated one by one (the rule the brute force uses) at
    every bonus election of the row: the smallest whose match is the ceiling and whose deferrals are the room.
    Rows drawn among the settled search's members and the rows just before them (no member below the last)."""
    settled = _settled_at_the_ceiling(case_args)
    if settled is None:
        return
    case, found = settled
    rows = list(found[2]())
    if not rows:
        return
    bonus_first, bonus_last = found[2].args[3], found[2].args[4]
    member_rows = [x for x, _ in rows]
    x = data.draw(st.sampled_from(member_rows + [x - 1 for x in member_rows if x > 0]))
    bonus_full = solver._bonus_full_match(case)
    bonus_end = case.bonus_max_units if bonus_full is None else bonus_full
    simulated = next((y for y in range(bonus_first, bonus_last + 1)
                      if (lambda year: (year.match, year.deferrals))(_simulate(case, x, y, 0, 0))
                      == (case.ceiling, case.room)), None)
    assert solver._row_member(case, x, bonus_first, bonus_last, bonus_end) == simulated


# Capped plan 9: $73,729.19 monthly, six bonuses by April, 150% of up to 20% then 25%, 0.1% elections up to 75%:
# the ceiling is $36,750.05, and in rows 53 and 55 the first bonus election whose planned match reaches it is cut
# by the stop to a cent below it ($36,750.04), where a later one may still pay it.
CAPPED_9 = (("2026-01-02", "monthly", 73729.19, 35),
            {"granularity": "0.1%", "match": [(1.5, 0.2), (0.25, 1.0)], "separate_bonus_election": True,
             "true_up": False, "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.75,
             "bonuses": [("2026-01-16", 5344.23), ("2026-04-11", 8628.86), ("2026-03-06", 3177.13),
                         ("2026-04-16", 2031.91), ("2026-02-12", 695.69), ("2026-03-08", 5206.72)]})


def test_capped_plan_9_rows_whose_first_reaching_election_is_cut_a_cent_short():
    """Rows 53-56 of capped plan 9 against the year simulated at every bonus election (0-100%): row 53 has no
    member and row 55's is 17.7%, though in both the first bonus election whose planned match reaches the ceiling
    (19.8%, 16.9%) gets $36,750.04 under the stop; row 56's is 15.9%."""
    args, options = CAPPED_9
    case = _make_case(*args, options)
    _prepare(case)
    assert case.ceiling == 3675005 and case.room == 2450000
    found = solver._phase1(case)
    assert found[0] == (3675005, 2450000) and found[1] == [(66, 11)]
    assert list(found[2]()) == [(55, 177), (56, 159), (58, 130), (60, 100), (62, 73), (64, 40)]
    bonus_full = solver._bonus_full_match(case)
    bonus_end = case.bonus_max_units if bonus_full is None else bonus_full
    for x in (53, 55, 56):
        simulated = next((y for y in range(1, 1001)
                          if (lambda year: (year.match, year.deferrals))(_simulate(case, x, y, 0, 0))
                          == (case.ceiling, case.room)), None)
        assert solver._row_member(case, x, 1, 1000, bonus_end) == simulated == {53: None, 55: 177, 56: 159}[x]
    # (the first elections of rows 53 and 55 whose planned match reaches the ceiling, cut a cent short)
    assert _truncated(case, 53, 198) == _truncated(case, 55, 169) == 3675004
    assert _planned(case, 53, 197)[1] < 3675005 <= _planned(case, 53, 198)[1]
    assert _planned(case, 55, 168)[1] < 3675005 <= _planned(case, 55, 169)[1]


@settings(max_examples=scaled(24, fast=6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_dollar_cases(), capped_cases()), st.data())
def test_a_row_stops_at_the_last_live_column_without_a_true_up_too(case_args, data):
    """A row's member is the same when the row stops at the last column whose bound reaches the ceiling (at once,
    or after a first search of 1 or 8 columns) as when it searches every column (_LIVE_COLUMNS=False), on the
    capped class with or without a true-up: rows drawn around the settled search's members."""
    around = _rows_around_a_member(case_args, data)
    if around is None:
        return
    case, deferrals, bonus_end = around
    for deferral in deferrals:
        with knobs(solver, _LIVE_COLUMNS=False):
            member = solver._row_member(case, deferral, 0, case.y_max, bonus_end)
        for probe in (0, 1, 8):
            with knobs(solver, _LIVE_COLUMNS=True, _LIVE_PROBE=probe):
                assert solver._row_member(case, deferral, 0, case.y_max, bonus_end) == member


def test_capped_plan_90_rows_before_its_first_member_stop_at_the_last_live_column():
    """Capped plan 90: $8,144.09 weekly, 150% of up to 20% then 25%, whole-dollar elections. Its ceiling,
    $36,750.02, is 2 cents above 150% of the $24,500 room (rounding): past a bonus election of 20% each bonus
    check earns 25% on its deferral above 20% of its pay, so no column past it pays the ceiling, while the rows
    before the first member (x = $527, y = 13%) reach their planned ceiling at y of 12-19%."""
    args, options = PLAN_90
    case = _make_case(*args, options)
    _prepare(case)
    solver._phase1(case)      # (which lowers the ceiling to the best, see bounds._stopped_ceiling)
    assert (case.ceiling, case.room) == (3675002, 2450000)
    assert solver._last_live_column(case, 3) == 20      # (column 21: $36,720.00 at most, 20: $36,750.22)
    found = _phase1_found((*args, options))
    assert found[1] == [(571, 2)] and found[2][0] == (527, 13)
    assert found == _phase1_found((*args, options), _LIVE_COLUMNS=False)


def test_capped_plan_86_rows_refuted_on_the_bonus_elections_their_planned_match_needs():
    """Capped plan 86: $43,606.74 twice a month, bonuses of $1,029.89 and $6,451.42 in February, 100% of up to
    100% of pay, whole-dollar elections, age 61 (room $35,750; §415(c) leaves $72,000 - $24,500 - $35,750 =
    $11,750 for after-tax money). Each member row gives one more bonus after-tax election; the after-tax search
    skips runs of rows whose members cannot beat its best. Their bonus elections are bounded by where the planned
    match reaches the ceiling (94-99% here), not by where the deferrals reach the room (1%): the answer, $3,324
    and 78% with $421 and 22% after tax, 24 x $421 + $226.58 + $1,419.31 = $11,749.89, is the same."""
    args = ("2026-01-02", "semimonthly", 43606.74, 61)
    options = {"granularity": "dollars", "bonuses": [("2026-02-21", 1029.89), ("2026-02-08", 6451.42)],
               "match": [(1.0, 1.0)], "separate_bonus_election": True, "true_up": False, "stops_at_402g": True,
               "stops_at_415c": False, "max_election": 1.0}
    plan = solve_elections(*args, **options)
    assert (plan.deferral_election, plan.bonus_deferral_election, plan.after_tax_election,
            plan.bonus_after_tax_election) == (3324.0, 0.78, 421.0, 0.22)
    assert (plan.match, plan.after_tax, plan.annual_additions) == (35750.0, 11749.89, 71999.89)
    with knobs(solver, _PLANNED_ROWS=False):
        assert solve_elections(*args, **options) == plan


@settings(max_examples=scaled(24, fast=8), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_dollar_cases(), capped_cases()))
def test_the_after_tax_search_over_rows_skipped_on_their_planned_match_gives_the_same_plan(case_args):
    """The whole solve with the rows' planned-match bounds (the rows skipped, and the bonus elections a run of rows
    is refuted on) and without them."""
    first, frequency, pay, age, options = case_args
    plan = solve_elections(first, frequency, pay, age, **options)
    with knobs(solver, _PLANNED_ROWS=False):
        assert solve_elections(first, frequency, pay, age, **options) == plan


@settings(max_examples=scaled(24, fast=6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), bonus_cut_cases()), st.data())
def test_the_last_live_column_below_a_high_from_any_low(case_args, data):
    """_last_live_column(low, high), asked in any order (the search keeps what it found between calls): every
    column past its answer up to ``high`` has a bound below the ceiling, and the answer is at least ``low`` - 1
    and either ``high`` (a live column above it was found before) or itself live (or below ``low``: none)."""
    first, frequency, pay, age, options = case_args
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    if not (case.separate and case.bonus_events and case.tiers):
        return
    live = {y for y in range(case.y_max + 1) if _column_bound(case, y) >= case.ceiling}
    for _ in range(data.draw(st.integers(1, 4))):
        high = data.draw(st.integers(0, case.y_max))
        low = data.draw(st.integers(0, high + 1))
        found = solver._last_live_column(case, low, high)
        assert low - 1 <= found <= high
        assert not live & set(range(found + 1, high + 1))
        assert found < low or found == high or found in live


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases()), st.data())
def test_no_candidate_gets_more_than_the_room_s_pieces_and_its_checks_rounding(case_args, data):
    """The bound a rounded ceiling's rows skip columns on: the match of every (x, y), within the room or cut by
    the stop, before any true-up, is at most ``match_bound`` (the tiers' pieces of the room) plus the regular
    checks' rounding up at x (_regular_rounding) plus the bonus and cut checks' at y (_column_rounding)."""
    first, frequency, pay, age, options = case_args
    options = {**options, "true_up": False}
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    for _ in range(8):
        x = data.draw(st.integers(0, case.x_max))
        y = data.draw(st.integers(0, case.y_max))
        deferrals, match = _planned(case, x, y)
        got = _truncated(case, x, y) if deferrals > case.room else match
        assert got <= case.match_bound + solver._regular_rounding(case, x) + solver._column_rounding(case, y) + 1e-6


def test_capped_plan_90_columns_whose_rounding_reaches_its_ceiling():
    """Capped plan 90's ceiling is 2 cents above 150% of the room (its pieces), so a member's checks must round up
    by 2 cents: whole-dollar regular deferrals at 150% round by nothing, each bonus check at 150% of an odd number
    of cents by half a cent, and the cut check by half a cent at most. At 13% the bonus checks defer $312.84,
    $181.15, $1,103.45 and $601.03 (150%: $469.26, $271.725, $1,655.175, $901.545): 1.5 cents, 2 with the cut
    check; at 12% $288.78, $167.22, $1,018.57 and $554.80: only $1,527.855 rounds, 1 cent with the cut check. Of
    the columns 12-20 that rows 498-527 search, only 13 can reach it (row 527's member)."""
    args, options = PLAN_90
    case = _make_case(*args, options)
    _prepare(case)
    solver._phase1(case)
    assert case.ceiling == 3675002 and abs(case.match_bound - 3675000) < 1e-3
    assert solver._regular_rounding(case, 510) < 1e-6
    assert abs(solver._column_rounding(case, 13) - 2.0) < 1e-6 and abs(solver._column_rounding(case, 12) - 1.0) < 1e-6
    assert [y for y in range(12, 21) if solver._column_rounding(case, y) > 2 - 1e-5] == [13]
    rows = _phase1_found((*args, options))[2]
    assert rows[0] == (527, 13)
    assert rows == _phase1_found((*args, options), _COLUMN_ROUNDING=False)[2]


@settings(max_examples=scaled(24, fast=6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases()), st.data())
def test_a_row_skips_the_columns_whose_rounding_cannot_reach_the_ceiling_exactly(case_args, data):
    """A row's member with and without the columns skipped on their rounding, for rows around the members."""
    around = _rows_around_a_member(case_args, data)
    if around is None:
        return
    case, deferrals, bonus_end = around
    for deferral in deferrals:
        with knobs(solver, _COLUMN_ROUNDING=False):
            member = solver._row_member(case, deferral, 0, case.y_max, bonus_end)
        assert solver._row_member(case, deferral, 0, case.y_max, bonus_end) == member


def test_capped_plan_165_a_row_with_a_true_up_looks_from_where_its_checks_reach_the_ceiling():
    """Capped plan 165: $25,738.94 weekly, twelve bonuses by March, 200% of up to 5% then 100% up to 50%, a true-up,
    0.1% elections. The true-up's floor is $42,500.00 (the formula on the $24,500 room) and the ceiling $42,500.05
    (rounding), so a member's checks must pay the ceiling themselves. At x = 5.0% the planned match with the
    true-up, on planned deferrals past the room ($70,095.55 at y = 5.1%), is above the ceiling from the row's first
    column on; the checks' own planned match reaches it only at y = 14.6% ($42,468.01 at 14.5%, $42,530.27 at
    14.6%), the row's member: its year simulated pays $42,500.05 with no true-up, 14.5% pays the floor."""
    args = ("2026-01-02", "weekly", 25738.94, 35)
    options = {"granularity": "0.1%", "match": [(2.0, 0.05), (1.0, 0.5)], "separate_bonus_election": True,
               "true_up": True, "stops_at_402g": True, "stops_at_415c": True, "max_election": 0.75,
               "bonuses": [("2026-03-06", 7337.54), ("2026-03-12", 1469.05), ("2026-01-18", 3799.31),
                           ("2026-01-21", 8783.85), ("2026-01-06", 7594.78), ("2026-03-16", 8460.58),
                           ("2026-01-24", 3967.78), ("2026-03-01", 1953.19), ("2026-03-15", 7729.34),
                           ("2026-03-04", 1645.57), ("2026-02-09", 2770.72), ("2026-03-07", 6726.76)]}
    case = _make_case(*args, options)
    _prepare(case)
    found = solver._phase1(case)
    assert found[0] == (4250005, 2450000) and case.true_up_floor == 4250000
    assert _planned(case, 50, 51)[1] == 8809555 and _planned_raw(case, 50, 51)[1] == 3661760
    assert _planned_raw(case, 50, 145)[1] == 4246801 and _planned_raw(case, 50, 146)[1] == 4253027
    assert (_simulate(case, 50, 146, 0, 0).match, _simulate(case, 50, 145, 0, 0).match) == (4250005, 4250000)
    bonus_full = solver._bonus_full_match(case)
    bonus_end = case.bonus_max_units if bonus_full is None else bonus_full
    assert solver._row_member(case, 50, 51, 750, bonus_end) == 146
    with knobs(solver, _PLANNED_ROWS=False):
        assert solver._row_member(case, 50, 51, 750, bonus_end) == 146
    assert _phase1_found((*args, options))[2][:3] == [(50, 146), (51, 141), (52, 136)]


def test_a_row_whose_member_s_planned_match_is_exactly_the_ceiling():
    """$41,234 a month, bonuses of $8,000 (4 March) and $6,000 (9 May), 100% of up to 50%, whole dollars, age 61:
    nine regular checks (January-September) and the bonuses are matched 100% (room $35,750). At y = 49% the bonuses
    defer $3,920 + $2,940 = $6,860, so row $3,210 plans 9 x $3,210 + $6,860 = exactly $35,750 of match: its member
    is the first y whose planned match reaches the ceiling, with none to spare (row $3,209 plans $35,741; at 48%,
    $28,890 + $6,720 = $35,610)."""
    options = {"granularity": "dollars", "match": [(1.0, 0.5)], "separate_bonus_election": True, "true_up": False,
               "stops_at_402g": True, "stops_at_415c": False, "max_election": 0.5,
               "bonuses": [("2026-03-04", 8000.0), ("2026-05-09", 6000.0)]}
    case = _make_case("2026-01-02", "monthly", 41234.0, 61, options)
    _prepare(case)
    solver._phase1(case)
    assert _planned_raw(case, 3210, 49)[1] == case.ceiling == 3575000 and _planned_raw(case, 3209, 49)[1] == 3574100
    bonus_full = solver._bonus_full_match(case)
    bonus_end = case.bonus_max_units if bonus_full is None else bonus_full
    assert solver._row_member(case, 3210, 1, 49, bonus_end) == 49
    assert solver._row_member(case, 3209, 1, 49, bonus_end) is None
    assert (_simulate(case, 3210, 49, 0, 0).match, _simulate(case, 3210, 48, 0, 0).match) == (3575000, 3561000)


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_dollar_cases(), capped_cases(), slow_class_cases(), bonus_cut_cases()))
def test_rows_reach_from_the_largest_bonus_election_that_can_hold_a_member_exactly(case_args):
    """The same best, members and row members with the rows reaching from the largest bonus election whose column
    is not dead and whose rounding can reach a rounded ceiling (solver._member_top) as from the largest left."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _MEMBER_TOP=False)


@settings(max_examples=scaled(30, fast=8), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases()), st.data())
def test_no_column_above_the_member_top_holds_a_candidate_paying_the_ceiling_at_the_room(case_args, data):
    """solver._member_top against every candidate of its rows, within the room or cut by the stop: no (x, y) with
    y above its answer (up to ``high``) defers the room and pays the ceiling, on settled searches whose rows
    have been taken (so the known dead columns are those of their searches) and with rows drawn anywhere."""
    settled = _settled_at_the_ceiling(case_args)
    if settled is None:
        return
    case, found = settled
    list(found[2]())
    bonus_first = found[2].args[3]
    high = data.draw(st.integers(bonus_first, case.y_max))
    x1 = data.draw(st.integers(0, case.x_max))
    x2 = data.draw(st.integers(x1, min(case.x_max, x1 + 6)))
    top = solver._member_top(case, bonus_first, high, x1, x2, {})
    assert bonus_first - 1 <= top <= high
    for y in range(top + 1, min(high, top + 48) + 1):
        for x in range(x1, x2 + 1):
            deferrals, match = _planned(case, x, y)
            got = (_truncated(case, x, y), case.room) if deferrals > case.room else (match, deferrals)
            assert got != (case.ceiling, case.room)


@settings(max_examples=scaled(60, fast=15), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases()), st.data())
def test_the_regular_checks_round_up_by_at_most_their_bound_over_a_run_of_rows(case_args, data):
    """solver._regular_rounding_most(x1, x2) is at least _regular_rounding at every x of the run, and exactly its
    value at x1 when the run is one row. Runs drawn anywhere and at the largest elections (with elections up to
    all of the pay, where a whole-dollar election's deferral is the pay with its cents)."""
    first, frequency, pay, age, options = case_args
    options = {**options, "max_election": data.draw(st.sampled_from([options["max_election"], 1.0]))}
    case = _make_case(first, frequency, pay, age, options)
    _prepare(case)
    x1 = data.draw(st.one_of(st.integers(0, case.x_max), st.integers(max(0, case.x_max - 8), case.x_max)))
    x2 = data.draw(st.integers(x1, min(case.x_max, x1 + data.draw(st.sampled_from([0, 5, 60])))))
    most = solver._regular_rounding_most(case, x1, x2)
    assert all(solver._regular_rounding(case, x) <= most + 1e-6 for x in range(x1, x2 + 1))
    if x1 == x2:
        assert abs(most - solver._regular_rounding(case, x1)) < 1e-6


def test_capped_plan_90_rows_reach_from_the_last_column_whose_rounding_can_reach_its_ceiling():
    """Capped plan 90 (see test_capped_plan_90_columns_whose_rounding_reaches_its_ceiling): once its first row
    (498) has searched columns down to 28 and found them dead, column 26 (2 cents of rounding) is dead by its own
    bound and 14-27 round by less than the 2 cents its ceiling needs, so the rows reach from the first whose planned
    match at 13 reaches the ceiling ($36,750.02 less $50.09 at row 524, plus $13.16 at 525): rows 499-524 are not
    searched. After the member (527, 13%), the rows of 11% (the next column rounding enough) start at 533."""
    args, options = PLAN_90
    case = _make_case(*args, options)
    _prepare(case)
    found = solver._phase1(case)
    assert (case.ceiling, case.room) == (3675002, 2450000)
    assert _planned_raw(case, 524, 13)[1] == 3675002 - 5009 and _planned_raw(case, 525, 13)[1] == 3675002 + 1316
    with counting(solver, "_row_member", _FEW_COLUMNS=0) as calls:      # (every row searched: see the next test)
        rows = list(found[2]())
    searched = [deferral for _, deferral, *_ in calls]
    assert rows[0] == (527, 13) and searched[:5] == [498, 525, 526, 527, 533]
    assert case.live_columns[0] == 28      # (columns 28-50 found dead by row 498's search; the later rows search
    # only up to the largest column that can hold a member, 13, then 11, 10, 7, 6)
    assert solver._member_top(case, 3, 50, 498, 570, {}) == 13
    assert solver._member_top(case, 3, 12, 528, 570, {}) == 11
    assert solver._member_top(case, 3, 4, 560, 570, {}) == 2      # (3% and 4% round by a cent: no member left)
    # (one row left: one column's rounding looked at, 27%, short; 26% is where a member may be)
    assert solver._member_top(case, 3, 50, 527, 527, {}) == 26
    assert rows == _phase1_found((*args, options), _MEMBER_TOP=False)[2]


def test_capped_plan_9_member_top_keeps_the_last_live_column_whose_bound_is_the_ceiling_itself():
    """Capped plan 9 (see test_capped_plan_9_rows_whose_first_reaching_election_is_cut_a_cent_short): its ceiling,
    $36,750.05, needs 5 cents of rounding; its six bonus checks and the cut check can round up by 3.5 cents at most,
    so a column needs 2.5 of its own. After row 53's search columns 206-750 are known dead; of 198-205, none
    rounds by 2.5 cents with a bound reaching the ceiling; 19.7% rounds by 3 cents and its bound is the ceiling
    itself (a bound a cent lower would drop it). Once the live search has found 19.7% live it is kept at once.
    (Over the 32 rows 34-65: two column bounds at most, 19.8%'s and 19.7%'s.)"""
    args, options = CAPPED_9
    case = _make_case(*args, options)
    _prepare(case)
    found = solver._phase1(case)
    assert solver._bonus_full_match(case) is None and case.bonus_max_units == 750
    with knobs(solver, _ROW_BOXES=False):      # (the live search, not the row's boxes)
        assert solver._row_member(case, 53, 12, 750, 750) is None
    assert case.live_columns[0] == 206 and case.live_columns[3] == 750
    assert case.ceiling <= _column_bound(case, 197) < case.ceiling + 1e-3
    assert abs(solver._column_rounding(case, 197) - 3.0) < 1e-6
    assert solver._member_top(case, 12, 750, 34, 65, {}) == 197
    assert list(found[2]()) == [(55, 177), (56, 159), (58, 130), (60, 100), (62, 73), (64, 40)]
    assert solver._last_live_column(case, 12) == 197 and case.live_columns[:3] == (198, 1, True)
    assert solver._member_top(case, 12, 750, 54, 65, {}) == 197      # (known live: no bound needed)



@settings(max_examples=scaled(24, fast=6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases()), st.data())
def test_a_row_searches_up_to_a_known_dead_suffix_close_by_exactly(case_args, data):
    """A row's member is the same when, after its first columns, it searches up to a dead suffix an earlier row's
    search found (within _LIVE_WINDOW columns, or any: a window of 10,000) as when it looks for the last live
    column (_LIVE_KNOWN=False), for rows around the members, taken in rising order as the search does."""
    around = _rows_around_a_member(case_args, data)
    if around is None:
        return
    case, deferrals, bonus_end = around
    window = data.draw(st.sampled_from([solver._LIVE_WINDOW, 10_000]))
    for deferral in deferrals:
        with knobs(solver, _LIVE_KNOWN=True, _LIVE_WINDOW=window):
            member = solver._row_member(case, deferral, 0, case.y_max, bonus_end)
        with knobs(solver, _LIVE_KNOWN=False):
            assert solver._row_member(case, deferral, 0, case.y_max, bonus_end) == member


def test_capped_plan_9_row_55_searches_below_the_dead_suffix_row_53_found():
    """Capped plan 9: row 53's search finds columns 20.6-75% dead; row 55's member, 17.7%, is the first column past
    its first eight (16.9-17.6%), 29 below that suffix: the row searches them without looking for the last live
    column (19.7%, 11 column bounds), and the suffix known stays as row 53 left it."""
    args, options = CAPPED_9
    case = _make_case(*args, options)
    _prepare(case)
    solver._phase1(case)
    with knobs(solver, _ROW_BOXES=False):      # (the live search, not the rows' boxes)
        assert solver._row_member(case, 53, 12, 750, 750) is None
        assert case.live_columns[0] == 206
        before = case.live_columns
        assert solver._row_member(case, 55, 12, 750, 750) == 177
        assert case.live_columns == before


_BOXES_EVERYWHERE = {"_ROW_BOX_MIN": 0, "_ROW_BOX_MARGIN": -10**9, "_ROW_BOX_BUDGET": 64}


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases(), slow_class_cases(), bonus_cut_cases()))
def test_rows_whose_columns_left_drop_over_boxes_at_their_x_exactly(case_args):
    """The same best, members and row members with a row's columns left bounded over boxes at its x (solver.
    _ROW_BOXES; here on every row whatever the columns left and the first one's bound, with a larger budget, and
    as set) as without."""
    without = _phase1_found(case_args, _ROW_BOXES=False)
    assert _phase1_found(case_args, **_BOXES_EVERYWHERE) == without
    assert _phase1_found(case_args) == without


@settings(max_examples=scaled(24, fast=6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases()), st.data())
def test_a_row_s_member_with_its_columns_left_dropped_over_boxes_at_its_x(case_args, data):
    """A row's member is the same with its columns left bounded over boxes at its x (from an earlier row's start
    when close by) as when it looks for the last live column, for rows around the members in rising order, after
    first searches of 0, 1 or 8 columns."""
    around = _rows_around_a_member(case_args, data)
    if around is None:
        return
    case, deferrals, bonus_end = around
    probe = data.draw(st.sampled_from([0, 1, solver._LIVE_PROBE]))      # (a member inside the boxes, or past them)
    for deferral in deferrals:
        case.live_columns = None      # (so that every row takes the boxes)
        with knobs(solver, _LIVE_PROBE=probe, **_BOXES_EVERYWHERE):
            member = solver._row_member(case, deferral, 0, case.y_max, bonus_end)
        with knobs(solver, _ROW_BOXES=False):
            assert solver._row_member(case, deferral, 0, case.y_max, bonus_end) == member



def test_capped_plan_90_rows_with_few_columns_left_are_their_stopped_matches():
    """Capped plan 90 (see test_capped_plan_90_rows_reach_from_the_last_column_whose_rounding_can_reach_its_ceiling):
    past its first row (498), each row the search reaches has only its largest column left, or the last few, that
    its planned match takes to the ceiling, and the stop cuts the row there: the row's member is the first of those
    columns whose stopped match is the ceiling (solver._FEW_COLUMNS), with no row search. Rows 525 and 526 fall
    $55.21 and $2.71 short at 13% (the 35 regular checks before the cut gain $52.50 a dollar), 527 pays the
    ceiling; the columns below the one worked out are short by their planned match."""
    args, options = PLAN_90
    case = _make_case(*args, options)
    _prepare(case)
    found = solver._phase1(case)
    with counting(solver, "_row_member") as searched, counting(solver, "_truncated") as cut:
        rows = list(found[2]())
    assert rows == [(527, 13), (535, 11), (539, 10), (551, 7), (555, 6), (559, 5)]
    assert [deferral for _, deferral, *_ in searched] == [498]
    assert [(deferral, bonus) for _, deferral, bonus, *_ in cut if deferral > 498] == [
        (525, 13), (526, 13), (527, 13), (533, 11), (534, 11), (535, 11), (537, 10), (538, 10), (539, 10),
        (549, 7), (550, 7), (551, 7), (553, 6), (554, 6), (555, 6), (557, 5), (558, 5), (559, 5)]
    assert [_truncated(case, deferral, 13) for deferral in (525, 526, 527)] == [3675002 - 5521, 3675002 - 271, 3675002]
    assert _planned_raw(case, 525, 12)[1] < case.ceiling <= _planned_raw(case, 525, 13)[1]
    assert rows == _phase1_found((*args, options), _FEW_COLUMNS=0)[2]
    plan = solve_elections(*args, **options)
    with knobs(solver, _FEW_COLUMNS=0):
        assert solve_elections(*args, **options) == plan


def test_capped_plan_90_a_row_s_first_column_short_of_the_ceiling_is_not_cut_again():
    """Capped plan 90's row 526 (the row search, solver._FEW_COLUMNS off): 13% is its first column reaching the
    ceiling by planned match and its last; its stopped match, $2.71 short, is worked out once (solver.
    _ROW_FIRST_ONCE), not again by the search after it."""
    args, options = PLAN_90
    case = _make_case(*args, options)
    _prepare(case)
    solver._phase1(case)
    cut = []
    truncated = solver._truncated

    def cut_column(case, deferral, bonus_deferral, *rest):
        cut.append((deferral, bonus_deferral))
        return truncated(case, deferral, bonus_deferral, *rest)

    for once, times in ((True, 1), (False, 2)):
        cut.clear()
        with knobs(solver, _truncated=cut_column, _ROW_FIRST_ONCE=once, _FEW_COLUMNS=0):
            assert solver._row_member(case, 526, 3, 13, 50) is None
        assert cut == [(526, 13)] * times


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases(), slow_class_cases(), bonus_cut_cases()),
       st.sampled_from([1, solver._FEW_COLUMNS, 10_000]))
def test_rows_with_few_columns_left_are_their_stopped_matches_exactly(case_args, few):
    """The same best, members and row members when rows whose columns able to reach the ceiling are among the
    last ``few`` left (1, as set, or all: every row) are searched by those columns' stopped matches, and a row's
    first column short of the ceiling is not searched again (solver._FEW_COLUMNS, _ROW_FIRST_ONCE), as without."""
    without = _phase1_found(case_args, _FEW_COLUMNS=0, _ROW_FIRST_ONCE=False)
    assert _phase1_found(case_args, _FEW_COLUMNS=few) == without


@settings(max_examples=scaled(24, fast=6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases()), st.data())
def test_a_row_s_member_with_its_first_column_worked_out_once(case_args, data):
    """A row's member is the same when its first column reaching the ceiling by planned match, short of it under
    the stop, is not searched again (solver._ROW_FIRST_ONCE) as when it is, for rows around the members."""
    around = _rows_around_a_member(case_args, data)
    if around is None:
        return
    case, deferrals, bonus_end = around
    for deferral in deferrals:
        with knobs(solver, _ROW_FIRST_ONCE=True):
            member = solver._row_member(case, deferral, 0, case.y_max, bonus_end)
        with knobs(solver, _ROW_FIRST_ONCE=False):
            assert solver._row_member(case, deferral, 0, case.y_max, bonus_end) == member


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(capped_cases(), capped_dollar_cases(), slow_class_cases(), bonus_cut_cases()), st.data())
def test_a_row_with_few_columns_left_is_the_first_whose_stopped_match_is_the_ceiling(case_args, data):
    """Where solver._few_columns_member answers (the row's columns that can reach the ceiling are among its last
    1-8 up to a drawn largest bonus election, each cut by the stop), its answer is the row search's, for rows
    around the members, with the largest election near the row's own member or anywhere."""
    around = _rows_around_a_member(case_args, data)
    if around is None:
        return
    case, deferrals, bonus_end = around
    if not (solver._monotone(case) and not solver._flat(case) and case.separate and not case.true_up
            and case.stops_402g and case.stop == case.room and case.room >= 0):
        return      # (the conditions under which _row_members asks it)
    few = data.draw(st.integers(1, 8))
    for deferral in deferrals:
        member = solver._row_member(case, deferral, 0, case.y_max, bonus_end)
        near = case.y_max if member is None else member
        for last in (near, max(0, min(case.y_max, near + data.draw(st.integers(-2, 6)))),
                     data.draw(st.integers(0, case.y_max))):
            with knobs(solver, _FEW_COLUMNS=few):
                found = solver._few_columns_member(case, deferral, 0, last)
            if found is not False:
                assert found == solver._row_member(case, deferral, 0, last, bonus_end)


# Generated plan 748 (bench/paycheck_plans.adversarial_plans): no match, whole dollars, a separate bonus election,
# no payroll stop, twelve December bonuses (three after-tax only), year-to-date deferrals of $15,000.
PLAN_748 = (("2026-11-28", "weekly", 10522.69, 45),
            {"granularity": "dollars", "match": None, "true_up": False, "separate_bonus_election": True,
             "stops_at_402g": False, "stops_at_415c": False, "after_tax_cap": 0.25,
             "bonuses": [("2026-12-01", 4400.07, False), ("2026-12-14", 68148.56), ("2026-12-28", 8000.0),
                         ("2026-12-04", 8000.0), ("2026-12-25", 8000.0), ("2026-12-07", 3401.92),
                         ("2026-12-28", 8000.0, False), ("2026-12-21", 50000.0), ("2026-12-16", 8000.0),
                         ("2026-11-29", 5000.0, False), ("2026-12-10", 8000.0, False), ("2026-11-29", 50000.0)],
             "ytd_compensation": 119817.52, "ytd_deferrals": 15000.0, "ytd_match": 500.0, "ytd_after_tax": 4000.0})


def test_generated_plan_748_flat_rows_jump_to_the_next_that_can_fill_the_room():
    """Plan 748: without a match every candidate deferring the room pays the ceiling ($0), and without a stop a
    row's member is the bonus election whose checks fill the room exactly. The rows (1,900 of them, each worked out
    on its own before, solver._row_member) jump from a row whose filling election falls short to the next whose
    regular checks take what that election's bonus checks leave (solver._FLAT_JUMPS): none is searched, and the
    rows, phase 1 and the plan are the same as without."""
    args, options = PLAN_748
    with counting(solver, "_row_member") as calls:
        found = _phase1_found((*args, options))
        plan = solve_elections(*args, **options)
    assert calls == []
    with counting(solver, "_row_member", _FLAT_JUMPS=False) as calls:
        assert _phase1_found((*args, options)) == found
        assert solve_elections(*args, **options) == plan
    assert len(calls) >= 1_900


@st.composite
def flat_cases(draw):
    """Cases whose candidates deferring the room all pay the ceiling (no match, or a small one with a true-up)
    with a separate bonus election and no stop at the room (none, or a stop at §402(g) with deferrals elsewhere),
    on whole dollars or whole percents, with round bonuses (then some rows fill the room exactly)."""
    frequency = draw(st.sampled_from(["weekly", "semimonthly", "monthly"]))
    pay = draw(st.sampled_from([2500.0, 7100.0, 10522.69]))
    matched = draw(st.booleans())
    options = {"granularity": draw(st.sampled_from(["dollars", "1%"])),
               "match": [(1.0, 0.03), (0.5, 0.05)] if matched else None, "true_up": matched,
               "separate_bonus_election": True, "stops_at_402g": draw(st.booleans()), "stops_at_415c": False,
               "max_election": draw(st.sampled_from([0.5, 0.75])),
               "other_employer_deferrals": draw(st.sampled_from([0.0, 20000.0, 23500.0])),
               "bonuses": [(f"2026-{month:02d}-15", draw(st.sampled_from([1000.0, 5000.0, 8000.0, 6809.31])))
                           for month in draw(st.lists(st.integers(2, 12), min_size=1, max_size=4, unique=True))]}
    return "2026-01-02", frequency, pay, draw(st.sampled_from([35, 61])), options


@settings(max_examples=scaled(40, fast=10), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(flat_cases(), slow_class_cases(), capped_dollar_cases()))
def test_flat_rows_jump_to_the_next_that_can_fill_the_room_exactly(case_args):
    """The same best, members and row members, and the same plan, with the flat rows' jumps (solver._FLAT_JUMPS)
    as without."""
    assert _phase1_found(case_args) == _phase1_found(case_args, _FLAT_JUMPS=False)
    first, frequency, pay, age, options = case_args
    plan = solve_elections(first, frequency, pay, age, **options)
    with knobs(solver, _FLAT_JUMPS=False):
        assert solve_elections(first, frequency, pay, age, **options) == plan


def test_flat_rows_of_one_bonus_jump_to_each_row_that_fills_the_room():
    """$2,500 semimonthly (24 checks), one $5,000 bonus in February, no match, whole dollars up to 50% ($1,250), no
    stop, age 35 (room $24,500): the best is ($1,000, 10%) (24 x $1,000 + $500), and the rows filling the room
    exactly are $925 at 46% (22,200 + 2,300), $950 at 34% (22,800 + 1,700) and $975 at 22% (23,400 + 1,100). From
    row $926 the filling election 45% ($2,250) leaves $22,250 to the regular checks: rows up to $927 ($22,248) take
    less, none fills, and $928 is next; the jumps reach each member's row itself and search only those."""
    case_args = ("2026-01-02", "semimonthly", 2500.0, 35,
                 {"granularity": "dollars", "match": None, "true_up": False, "separate_bonus_election": True,
                  "stops_at_402g": False, "stops_at_415c": False, "max_election": 0.5,
                  "bonuses": [("2026-02-15", 5000.0)]})
    with counting(solver, "_row_member") as calls:
        found = _phase1_found(case_args)
    assert found == ((0, 2450000), [(1000, 10)], [(925, 46), (950, 34), (975, 22)])
    assert [deferral for _, deferral, *_ in calls] == [925, 950, 975]
    assert found == _phase1_found(case_args, _FLAT_JUMPS=False)


def test_a_row_with_few_columns_left_takes_only_columns_the_stop_cuts_at_the_room():
    """$7,100 weekly (52 checks), $8,000 bonuses in April and December, 100% of up to 3%, whole dollars, the stop
    at the room ($24,500): the match is 3% of the §401(a)(17) cap, $10,800, reached at 3% of pay without the room.
    Row $453 defers 52 x $453 = $23,556: at 4% the bonuses add $640 ($24,196, the ceiling but $304 short of the
    room), at 6% $960 ($24,516, cut at the room, still $10,800): its member is 6%. The few columns left (solver.
    _few_columns_member) are taken only where the stop cuts the first of them at the room, so not from 4%."""
    case_args = ("2026-01-02", "weekly", 7100.0, 35,
                 {"granularity": "dollars", "match": [(1.0, 0.03)], "true_up": False,
                  "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
                  "max_election": 0.5, "bonuses": [("2026-04-15", 8000.0), ("2026-12-15", 8000.0)]})
    case = _make_case(*case_args)
    _prepare(case)
    assert (case.ceiling, case.room) == (1080000, 2450000)
    assert _planned_raw(case, 453, 4) == (2419600, 1080000) and _planned_raw(case, 453, 6)[0] == 2451600
    assert _truncated(case, 453, 6) == 1080000
    found = _phase1_found(case_args)
    assert (453, 6) in found[2]
    assert found == _phase1_found(case_args, _FEW_COLUMNS=0)
    with knobs(solver, _FEW_COLUMNS=4):
        assert solver._few_columns_member(case, 453, 4, 6) is False      # (4%, the first of them: not cut)
