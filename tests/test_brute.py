"""The tests' exhaustive reference (tests/_brute.py: every deferral election simulated, then the after-tax
elections of those reaching the best match and deferrals, most planned money first) gives exactly the answer of
the naive brute force (solver._brute: every election of all four simulated, check by check), on a sample of
each class of case the solver tests draw and on a plan whose match and deferrals fill §415(c), and refuses the
same cases."""

from __future__ import annotations

import datetime as dt

from _brute import brute
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from test_paycheck_properties import bonus_past_room_cases, slow_class_cases, small_cases

from megabackdoor.errors import InputError
from megabackdoor.paycheck import _make_case, solver

SAMPLE = settings(max_examples=scaled(40), deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])


def _answer(search, drawn):
    first, frequency, pay, age, options = drawn
    case = _make_case(first, frequency, pay, age, options)   # a fresh case each: no memo shared between them
    try:
        return search(case)
    except InputError as error:
        return str(error)


def _same_answer(drawn):
    expected = _answer(solver._brute, drawn)
    assert _answer(brute, drawn) == expected


@SAMPLE
@given(small_cases())
def test_the_reference_equals_the_naive_brute_force_on_small_cases(drawn):
    _same_answer(drawn)


@settings(SAMPLE, max_examples=scaled(6))
@given(slow_class_cases())
def test_the_reference_equals_the_naive_brute_force_on_the_slow_classes(drawn):
    _same_answer(drawn)


@settings(SAMPLE, max_examples=scaled(3))
@given(bonus_past_room_cases())
def test_the_reference_equals_the_naive_brute_force_when_a_bonus_check_passes_the_room(drawn):
    _same_answer(drawn)


def test_a_plan_whose_true_up_alone_passes_the_room_is_refused_by_both():
    """$71,000 of additions so far and a true-up owing $9,780 of match at any election: nothing fits."""
    drawn = ("2026-06-01", "monthly", 9000.0, 35, {"max_election": 0.1, "match": [(1.0, 0.06)], "true_up": True,
                                                   "ytd_compensation": 100000.0, "ytd_deferrals": 24000.0,
                                                   "ytd_after_tax": 47000.0})
    expected = _answer(solver._brute, drawn)
    assert expected.startswith("employer match: got 9780; expected a plan whose match and deferrals can fit")
    assert _answer(brute, drawn) == expected


def test_the_reference_equals_the_naive_brute_force_when_match_and_deferrals_fill_the_room():
    """A 200% match with a true-up: $26,890 of deferrals and $53,780 of match are the whole $72,000, so the
    only after-tax election that fits is none, whose planned $0 is exactly the room left (a room one cent
    smaller in the reference finds nothing)."""
    drawn = (dt.date(2026, 1, 1), "monthly", 31250.0, 61,
             {"match": [(2.0, 1.0)], "true_up": True, "granularity": "0.5%", "max_election": 0.08,
              "separate_bonus_election": True, "stops_at_402g": True, "stops_at_415c": False,
              "bonuses": [(dt.date(2026, 1, 28), 8000.0, True)]})
    assert _answer(solver._brute, drawn) == (14, 16, 0, 0)
    _same_answer(drawn)
