"""DEFERRAL_ELECTION / AFTER_TAX_ELECTION / PAYCHECK_SCHEDULE through the registry."""

from __future__ import annotations

import pytest

from megabackdoor.errors import InputError
from megabackdoor.excel.registry import get
from megabackdoor.paycheck import solve_elections


def test_ranges_with_blank_rows_and_bonus_flags():
    # A 3-row match block with one blank row, a bonus block with a blank row, dates as Excel serials:
    # 46094 = 13 March 2026. Same answer as the engine's $50,000 March bonus case (13% / 24%).
    match = [[0.5, 0.06], [None, None], [None, None]]
    bonuses = [[46094, 50000, True], [None, None, None]]
    args = ("2026-01-02", "biweekly", 5000, 35, match, False, "1%", 1, None, bonuses)
    assert get("DEFERRAL_ELECTION")(*args) == 0.13
    assert get("AFTER_TAX_ELECTION")(*args) == 0.24
    table = get("PAYCHECK_SCHEDULE")(*args)
    engine = solve_elections("2026-01-02", "biweekly", 5000, 35, match=[(0.5, 0.06)],
                             bonuses=[("2026-03-13", 50000)])
    assert len(table) == 1 + len(engine.paychecks)
    assert table[7][1:4] == ["2026-03-13", "bonus", 50000.0]
    assert [row[5] for row in table[1:]] == [r.deferral for r in engine.paychecks]


def test_bonus_elections_and_given_elections():
    args = ("2026-01-02", "biweekly", 5000, 35, [[0.5, 0.06]], False, "1%", 1, None, [["2026-03-13", 50000]],
            True)
    assert get("DEFERRAL_ELECTION")(*args, True, True, 0, 0, 0, 0, 0, None, True, True) == 0.23
    assert get("AFTER_TAX_ELECTION")(*args, True, True, 0, 0, 0, 0, 0, None, True, True) == 0.66
    # Given elections: 20% every paycheck, and the table shows the stop on paycheck 25 ($500).
    table = get("PAYCHECK_SCHEDULE")("2026-01-02", "biweekly", 5000, 35, None, False, "1%", 1, None, None, False,
                                     True, False, 0, 0, 0, 0, 0, None, True, 0.2)
    assert [row[5] for row in table[-3:]] == [1000.0, 500.0, 0.0]


def test_bad_range_rows_name_the_argument():
    with pytest.raises(InputError) as caught:
        get("DEFERRAL_ELECTION")("2026-01-02", "biweekly", 5000, 35, [[0.5, None]])
    assert caught.value.argument == "match"
    with pytest.raises(InputError) as caught:
        get("DEFERRAL_ELECTION")("2026-01-02", "biweekly", 5000, 35, None, False, "1%", 1, None, [[None, 500]])
    assert caught.value.argument == "bonuses"
