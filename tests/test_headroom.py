"""§415(c) after-tax room, catch-ups, Roth catch-up rule, backdoor IRA, conversion path."""

from __future__ import annotations

import math

import pytest
from _seeds import scaled
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from megabackdoor import InputError
from megabackdoor.headroom import (
    _room,
    after_tax_room,
    after_tax_room_batch,
    backdoor_ira_limit,
    catchup_limit,
    conversion_path,
    headroom_breakdown,
    roth_catchup_required,
    total_401k_limit,
)


def test_article_worked_example():
    # 2026, age 35: 72,000 - 24,500 - 9,000 = 38,500; with no employer money 47,500.
    assert after_tax_room(2026, 35, 24500, 9000) == 38500
    assert after_tax_room(2026, 35, 24500, 0) == 47500
    # "5-6x the regular backdoor limit" (2026 IRA limit 7,500): 38,500 / 7,500 = 5.13.
    assert 5 < after_tax_room(2026, 35, 24500, 9000) / backdoor_ira_limit(2026, 35) < 6


def test_article_totals_with_catchups_2026():
    # Notice 2025-67 (2026), Notice 2024-80 (2025): $72,000 under 50, $80,000 at 50-59 or 64+, $83,250 at 60-63
    # (the article's 79,500 is stale).
    assert [total_401k_limit(2026, a) for a in (35, 55, 61, 64)] == [72000, 80000, 83250, 80000]
    assert [total_401k_limit(2025, a) for a in (35, 55, 61)] == [70000, 77500, 81250]


CATCHUP_BY_AGE = {
    # ages 49, 50, 59, 60, 63, 64
    2024: (0, 7500, 7500, 7500, 7500, 7500),
    2025: (0, 7500, 7500, 11250, 11250, 7500),
    2026: (0, 8000, 8000, 11250, 11250, 8000),
}


@pytest.mark.parametrize("year", sorted(CATCHUP_BY_AGE))
def test_catchup_age_boundaries(year):
    ages = (49, 50, 59, 60, 63, 64)
    assert tuple(catchup_limit(year, a) for a in ages) == CATCHUP_BY_AGE[year]


@pytest.mark.parametrize("year", sorted(CATCHUP_BY_AGE))
def test_catchup_room_at_age_boundaries(year):
    # Deferring 402(g) + the full catch-up leaves the same after-tax room as deferring 402(g) alone.
    limit_402g = {2024: 23000, 2025: 23500, 2026: 24500}[year]
    limit_415c = {2024: 69000, 2025: 70000, 2026: 72000}[year]
    for age, catchup in zip((49, 50, 59, 60, 63, 64), CATCHUP_BY_AGE[year], strict=True):
        assert after_tax_room(year, age, limit_402g + catchup, 5000) == limit_415c - limit_402g - 5000
        if catchup:
            with pytest.raises(InputError):
                after_tax_room(year, age, limit_402g + catchup + 1, 5000)


def test_trap_unused_catchup_adds_no_room():
    # A catch-up counts outside §415(c) only as far as it is used (§414(v)(3)(A); Treas. Reg. §1.414(v)-1(a), (b)):
    # age 55, 2026, $20,000 deferral. Right: 72,000 - 20,000 = 52,000,
    # not 72,000 + 8,000 - 20,000 = 60,000.
    assert after_tax_room(2026, 55, 20000, 0) == 52000
    breakdown = headroom_breakdown(2026, 55, 20000, 0)
    assert breakdown.catchup_used == 0 and breakdown.catchup_limit == 8000


def test_trap_catchup_is_not_subtracted_from_room():
    # Trap 2 (agentcalc): 2026, age 55, 24,500 + 8,000 catch-up, 9,000 employer -> 38,500, not 30,500.
    assert after_tax_room(2026, 55, 32500, 9000) == 38500
    assert headroom_breakdown(2026, 55, 32500, 9000).catchup_used == 8000


def test_trap_60_63_replaces_rather_than_adds():
    # Trap 5: at 61 the catch-up is 11,250 (not 8,000 + 11,250); deferring 24,500 + 11,250 keeps 38,500 of room.
    assert catchup_limit(2026, 61) == 11250
    assert after_tax_room(2026, 61, 35750, 9000) == 38500
    with pytest.raises(InputError):
        after_tax_room(2026, 61, 35751, 9000)


def test_trap_room_fills_415c_exactly_so_after_tax_never_overshoots():
    # Trap 4: plans do not stop after-tax at 415(c); the room must land exactly on the limit.
    b = headroom_breakdown(2026, 35, 20000, 7777.77, forfeitures=222.23)
    assert b.non_catchup_deferral + b.employer + b.forfeitures + b.after_tax_room == 72000


def test_compensation_below_415c_dollar_limit():
    b = headroom_breakdown(2026, 35, 20000, 5000, compensation=50000)
    assert (b.after_tax_room, b.limit_415c, b.binding) == (25000, 50000, "100pct_of_pay")


def test_low_pay_catchup_recharacterised_under_415c():
    # Treas. Reg. §1.414(v)-1(b): deferrals that would exceed 415(c) (here 100% of $30,000 pay) are catch-ups,
    # up to the catch-up limit. 24,500 + 9,000 = 33,500 > 30,000 -> 3,500 is catch-up, room 0.
    b = headroom_breakdown(2026, 55, 24500, 9000, compensation=30000)
    assert (b.catchup_used, b.non_catchup_deferral, b.after_tax_room, b.binding) == (3500, 21000, 0, "none")
    # Under 50 there is no catch-up: the same numbers are an excess annual addition -> a clear error.
    with pytest.raises(InputError) as caught:
        after_tax_room(2026, 35, 24500, 9000, compensation=30000)
    assert caught.value.argument == "employer" and "3,500.00" in str(caught.value)


def test_plan_cap_binding_with_401a17_cap():
    # 10% of $200,000 = 20,000 < 38,500.
    b = headroom_breakdown(2026, 35, 24500, 9000, compensation=200000, plan_cap=0.10)
    assert (b.after_tax_room, b.binding, b.plan_cap_amount) == (20000, "plan_cap", 20000)
    # Pay of $500,000 counts only up to the 2026 §401(a)(17) limit of $360,000: 10% -> 36,000, not 50,000.
    assert after_tax_room(2026, 35, 24500, 9000, compensation=500000, plan_cap=0.10) == 36000
    # A cap that does not bind changes nothing.
    assert after_tax_room(2026, 35, 24500, 9000, compensation=500000, plan_cap=0.20) == 38500


def test_forfeitures_count_as_annual_additions():
    assert after_tax_room(2026, 35, 24500, 9000, forfeitures=1500) == 37000


def test_excess_deferral_is_an_error_naming_the_excess():
    with pytest.raises(InputError) as caught:
        after_tax_room(2026, 35, 25000, 0)
    error = caught.value
    assert error.argument == "deferral" and error.kind == "num"
    assert "excess deferral of $500.00" in str(error) and "$24,500" in str(error)


def test_deferral_above_compensation_is_an_error():
    with pytest.raises(InputError) as caught:
        after_tax_room(2026, 35, 20000, 0, compensation=15000)
    assert caught.value.argument == "deferral"


@pytest.mark.parametrize(("kwargs", "argument", "needle"), [
    ({"year": 2013}, "year", "from 2014"),
    ({"age": -1}, "age", "from 0 to 120"),
    ({"age": 121}, "age", "from 0 to 120"),
    ({"age": 35.5}, "age", "whole number"),
    ({"deferral": -1}, "deferral", "$0 or more"),
    ({"employer": float("nan")}, "employer", "finite"),
    ({"employer": math.inf}, "employer", "finite"),
    ({"deferral": "24,500"}, "deferral", "not text"),
    ({"deferral": True}, "deferral", "a number"),
    ({"compensation": 100000, "plan_cap": 10}, "plan_cap", "10 looks like a percent: pass 0.10 for 10%"),
    ({"compensation": 100000, "plan_cap": -0.1}, "plan_cap", "fraction"),
    ({"plan_cap": 0.1}, "compensation", "plan_cap"),
    ({"forfeitures": -5}, "forfeitures", "$0 or more"),
    # floats, which _clean tests itself before calling validate (the usual cells), at and past each bound
    ({"year": 2101}, "year", "to 2100"),
    ({"deferral": -0.5}, "deferral", "$0 or more"),
    ({"employer": -0.01}, "employer", "$0 or more"),
    ({"compensation": -1.0}, "compensation", "$0 or more"),
    ({"forfeitures": -0.5}, "forfeitures", "$0 or more"),
    ({"deferral": 1e9 + 0.01}, "deferral", "the ceiling for pay"),
    ({"employer": 1.5e9}, "employer", "the ceiling for pay"),
    ({"compensation": 2e9}, "compensation", "the ceiling for pay"),
    ({"forfeitures": 1e9 + 1}, "forfeitures", "the ceiling for pay"),
    ({"compensation": float("nan")}, "compensation", "finite"),
    ({"forfeitures": math.inf}, "forfeitures", "finite"),
])
def test_bad_input_messages(kwargs, argument, needle):
    args = {"year": 2026, "age": 35, "deferral": 24500, "employer": 9000}
    args.update(kwargs)
    with pytest.raises(InputError) as caught:
        after_tax_room(**args)
    assert caught.value.argument == argument
    assert needle in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_projected_year_room_and_status():
    b = headroom_breakdown(2027, 35, 25000, 9000, inflation=0.025)
    assert (b.after_tax_room, b.status) == (74000 - 25000 - 9000, "projected")


money = st.floats(min_value=0, max_value=200000, allow_nan=False)


@settings(max_examples=scaled(300), deadline=None)
@given(year=st.integers(2014, 2035), age=st.integers(18, 90), deferral=money, employer=money,
       compensation=st.one_of(st.none(), st.floats(min_value=0, max_value=1_000_000)),
       plan_cap=st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
       forfeitures=st.floats(min_value=0, max_value=5000))
def test_invariants(year, age, deferral, employer, compensation, plan_cap, forfeitures):
    if plan_cap is not None and compensation is None:
        compensation = 100000.0
    try:
        b = headroom_breakdown(year, age, deferral, employer, compensation, plan_cap, forfeitures)
    except InputError:
        assume(False)
    limit = b.limit_415c
    assert b.after_tax_room >= 0
    assert b.non_catchup_deferral + b.employer + b.forfeitures + b.after_tax_room <= limit + 1e-6
    assert 0 <= b.catchup_used <= b.catchup_limit
    # More employer money never raises the room.
    try:
        more = after_tax_room(year, age, deferral, employer + 1000, compensation, plan_cap, forfeitures)
    except InputError:
        return  # the extra employer money itself breaks §415(c): nothing to compare
    assert more <= b.after_tax_room


def test_roth_catchup_rule_by_year():
    assert roth_catchup_required(2023, 500000).status == "not_in_law"
    for year in (2024, 2025):
        result = roth_catchup_required(year, 500000)
        assert (result.required, result.status) == (False, "transition_relief")
    assert roth_catchup_required(2026, 150000.01).required is True
    assert roth_catchup_required(2026, 150000).required is False  # "exceed" is strict
    assert roth_catchup_required(2026, None).required is False  # no FICA wages from the sponsor
    assert roth_catchup_required(2027, 152000).threshold == 155000  # projected at 2.5%
    with pytest.raises(InputError):
        roth_catchup_required(2026, -1)


def test_backdoor_ira_limit():
    assert [backdoor_ira_limit(2014, a) for a in (35, 50)] == [5500, 6500]
    assert [backdoor_ira_limit(2026, a) for a in (49, 50)] == [7500, 8600]


@pytest.mark.parametrize(("features", "path"), [
    ((True, True, True), "in_service_rollover_to_roth_ira"),
    ((True, True, False), "in_plan_roth_conversion"),
    ((True, False, True), "in_service_rollover_to_roth_ira"),
    ((True, False, False), "convert_at_separation"),
    ((False, True, True), "not_available"),
    (("yes", 1, "no"), "in_plan_roth_conversion"),
])
def test_conversion_path(features, path):
    assert conversion_path(*features) == path


def test_conversion_path_rejects_non_flags():
    with pytest.raises(InputError) as caught:
        conversion_path(True, "maybe", False)
    assert caught.value.argument == "in_plan_conversion"


# Amounts around the edges the §415(c) rule turns on: §402(g) and §402(g) + catch-up for each age group,
# the §415(c) dollars, a year's pay that binds, and the cents either side of each.
EDGES = [0.0, 0.01, 5000.0, 9000.0, 23000.0, 24500.0, 30500.0, 31500.0, 32500.0, 35750.0, 38500.0, 47500.0,
         50000.0, 60000.0, 69000.0, 72000.0, 80000.0, 83250.0]
AMOUNTS = st.one_of(st.sampled_from(EDGES), st.sampled_from(EDGES).map(lambda x: x + 0.01),
                    st.sampled_from(EDGES[1:]).map(lambda x: x - 0.01), st.floats(0, 90000, allow_nan=False),
                    st.integers(0, 90000))
PAYS = st.one_of(AMOUNTS, st.sampled_from([345000.0, 350000.0, 360000.0, 360000.01, 500000.0, 1e6]))  # §401(a)(17)


@settings(max_examples=scaled(300), deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from([2024, 2025, 2026, 2030]), st.sampled_from([35, 50, 55, 60, 63, 64]),
                               AMOUNTS, AMOUNTS, st.one_of(st.none(), AMOUNTS), st.one_of(st.none(), PAYS),
                               st.one_of(st.none(), st.sampled_from([0.0, 0.05, 0.1, 0.25, 1.0]))),
                     min_size=1, max_size=8))
def test_the_batch_gives_the_scalar_room_row_by_row(rows):
    # Both call the one rule (headroom._room); the batch leaves to the scalar call every row it would refuse.
    years, ages, deferrals, employers, forfeitures, pays, caps = (list(column) for column in zip(*rows, strict=True))
    batch = after_tax_room_batch(len(rows), years, ages, deferrals, employers, pays, caps, forfeitures)
    for row, got in zip(rows, batch, strict=True):
        year, age, deferral, employer, forfeited, pay, cap = row
        try:
            want = after_tax_room(year, age, deferral, employer, pay, cap, 0.0 if forfeited is None else forfeited)
        except InputError:
            want = None
        assert got == want and type(got) is type(want), (row, got, want)
    # Pay and plan cap omitted (the usual rows, here with a column of forfeitures and of (year, age) pairs).
    batch = after_tax_room_batch(len(rows), years, ages, deferrals, employers, None, None, forfeitures)
    for row, got in zip(rows, batch, strict=True):
        year, age, deferral, employer, forfeited, _, _ = row
        try:
            want = after_tax_room(year, age, deferral, employer, None, None, 0.0 if forfeited is None else forfeited)
        except InputError:
            want = None
        assert got == want and type(got) is type(want), (row, got, want)


@settings(max_examples=scaled(200), deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from([2024, 2025, 2026, 2030]), AMOUNTS, AMOUNTS), min_size=1, max_size=8),
       age=st.sampled_from([35, 50, 55, 60, 63, 64]), forfeited=st.one_of(st.none(), AMOUNTS),
       pay=st.one_of(st.none(), PAYS), cap=st.one_of(st.none(), st.sampled_from([0.0, 0.1, 1.0, 1.5])))
def test_the_batch_with_one_cell_arguments_gives_the_scalar_room(rows, age, forfeited, pay, cap):
    # One cell for age, pay, plan cap and forfeitures (the usual array call: pay and cap omitted takes the
    # batch's own loop); a bad one-cell value leaves every row to the scalar call.
    years, deferrals, employers = (list(column) for column in zip(*rows, strict=True))
    batch = after_tax_room_batch(len(rows), years, age, deferrals, employers, pay, cap, forfeited)
    for (year, deferral, employer), got in zip(rows, batch, strict=True):
        try:
            want = after_tax_room(year, age, deferral, employer, pay, cap, 0.0 if forfeited is None else forfeited)
        except InputError:
            want = None
        assert got == want and type(got) is type(want), (year, deferral, employer, got, want)


LIMITS = [(72000.0, 24500.0, 0.0), (72000.0, 24500.0, 8000.0), (72000.0, 24500.0, 11250.0), (70000.0, 23500.0, 7500.0),
          (69000.0, 23000.0, 0.0)]
AGES_FOR = {(72000.0, 0.0): (2026, 35), (72000.0, 8000.0): (2026, 55), (72000.0, 11250.0): (2026, 61),
            (70000.0, 7500.0): (2025, 55), (69000.0, 0.0): (2024, 35)}


@settings(max_examples=scaled(400), deadline=None)
@given(limits=st.sampled_from(LIMITS), deferral=AMOUNTS, employer=AMOUNTS,
       to_the_limit=st.one_of(st.none(), st.sampled_from([-0.01, 0.0, 0.01, 1.0])), forfeitures=AMOUNTS)
def test_the_usual_room_is_the_rules_value(limits, deferral, employer, to_the_limit, forfeitures):
    """after_tax_room_batch's column-at-a-time room (headroom._usual_rows) is the rule for a row with no catch-up:
    where it applies it is _room's value exactly, and the batch gives the scalar call's room there and either
    side of it (forfeitures drawn to bring the annual additions to the §415(c) limit, a cent or a dollar past
    it)."""
    dollars, limit_402g, catchup = limits
    d, e = float(deferral), float(employer)
    f = float(forfeitures) if to_the_limit is None else max(0.0, dollars - d - e + to_the_limit)
    used = d + e + f
    if d <= limit_402g and used <= dollars:
        room = dollars - used
        assert _room(d, e, f, dollars, limit_402g, catchup) == (0.0, used, room if room > 0 else 0.0)
    year, age = AGES_FOR[dollars, catchup]
    [got] = after_tax_room_batch(1, [year], age, [d], [e], None, None, f)
    try:
        want = after_tax_room(year, age, d, e, None, None, f)
    except InputError:
        want = None
    assert got == want and type(got) is type(want), (got, want)
