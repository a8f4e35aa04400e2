"""The ACP engine's per-row arithmetic runs block by block (linear in census size to 5M rows). Across block edges it
gives what the rule gives row by row: ROUND half up as the spreadsheet does, ratios 0 where pay is 0, whole
0.01% units."""

from __future__ import annotations

import numpy as np
from _seeds import rng

from megabackdoor import acp
from megabackdoor.rounding import excel_round


def _values(count: int) -> np.ndarray:
    draw = rng("acp blocks")
    values = [draw.choice([draw.uniform(-1, 1), round(draw.uniform(0, 1), 4) + 0.00005,   # ties at 4 digits
                           draw.randrange(10**6) / 10**6, 0.0, 0.30000000000000004]) for _ in range(count)]
    return np.array(values)


def test_round_half_up_across_blocks_is_excel_round_cell_by_cell():
    count = 2 * acp.BLOCK_ROWS + 77  # three blocks, the last short
    values = _values(count)
    got = acp.round_half_up(values, 4)
    assert got.tolist() == [excel_round(float(v), 4) for v in values]
    assert acp.round_half_up(values.reshape(-1, 1), 4)[:, 0].tolist() == got.tolist()   # any shape


def test_ratios_and_units_across_blocks():
    count = acp.BLOCK_ROWS + 5
    draw = rng("acp block ratios")
    pay = np.array([0.0 if draw.random() < 0.1 else round(draw.uniform(1, 400_000), 2) for _ in range(count)])
    money = np.array([round(draw.uniform(0, 40_000), 2) for _ in range(count)])
    ratio = acp._ratio(money, pay)
    assert ratio.tolist() == [m / p if p > 0 else 0.0 for m, p in zip(money.tolist(), pay.tolist(), strict=True)]
    units = acp._units(ratio)
    assert units.dtype == np.int64
    assert units.tolist() == [round(excel_round(r, 4) * 10_000) for r in ratio.tolist()]
    total = acp._total(money, pay, money)
    assert total.tolist() == [(m + p) + m for m, p in zip(money.tolist(), pay.tolist(), strict=True)]


def test_the_grid_reads_only_the_nhce_room_below_its_largest_rate():
    draw = rng("acp grid room")
    count = acp.BLOCK_ROWS + 900
    rows = np.array([draw.random() < 0.8 for _ in range(count)])
    pay = np.array([0.0 if draw.random() < 0.05 else draw.uniform(20_000, 300_000) for _ in range(count)])
    money = np.array([draw.uniform(0, 9_000) for _ in range(count)])
    after_tax = money * np.array([draw.random() for _ in range(count)])
    room = np.array([draw.choice([0.0, draw.uniform(0, 20_000), draw.uniform(20_000, 70_000)]) for _ in range(count)])
    match, full_room = acp._what_if_ratios(rows, money, after_tax, None, room, pay)
    same_match, low_room = acp._what_if_ratios(rows, money, after_tax, None, room, pay, room_below=0.15)
    assert same_match.tolist() == match.tolist()
    assert low_room.tolist() == full_room[full_room < 0.15].tolist()
    hce_match, hce_room = np.array([0.03, 0.05]), np.array([0.10, 0.40])
    full = acp.sensitivity_grid(hce_match, hce_room, match, full_room)
    assert acp.sensitivity_grid(hce_match, hce_room, match, low_room).equals(full)


def test_huge_page_advice_is_off_inside_the_engine_and_restored_after():
    from megabackdoor import census

    switch = census._SET_HUGE_PAGES
    seen = []

    def engine():
        seen.append(switch(False))   # the setting inside: already off
        raise ValueError("refused")

    before = switch(True)
    try:
        wrapped = census.without_huge_pages(engine)
        try:
            wrapped()
        except ValueError:
            pass
        assert seen == [False]
        assert switch(True) is True       # restored, even after an error
    finally:
        switch(before)
