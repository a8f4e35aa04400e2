"""Array calls through a function's batch engine give exactly the per-cell results, cell by cell:
the same numbers, the same messages, the same blanks, whatever the cells hold."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from _seeds import scaled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from megabackdoor.excel import registry

CELLS = settings(max_examples=scaled(60), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

ODD = [None, "", "x", "24,500", "#N/A", "#DIV/0!", True, False, math.nan, math.inf, -1.0, 1e9, 1e9 + 1, 0, 0.0,
       dt.datetime(2026, 1, 15), registry.LINKED_DATA_TYPE]
MONEY = st.one_of(st.floats(0, 80000, allow_nan=False), st.integers(0, 80000), st.sampled_from(ODD),
                  st.sampled_from([24500.0, 32500, 35750.0, 23500.0, 9000, 72000.0, 200000.0]))
YEARS = st.one_of(st.sampled_from([2014, 2024, 2025, 2026, 2027, 2040, 2100, 2026.0]),
                  st.sampled_from([2013, 2101, 2026.5, 0, None, "2026", "#N/A", True]))
AGES = st.one_of(st.sampled_from([35, 49, 50, 55, 59, 60, 61, 63, 64, 70, 35.0]),
                 st.sampled_from([-1, 121, 35.5, None, "", "#VALUE!", 0]))
RATES = st.one_of(st.floats(0, 1, allow_nan=False), st.sampled_from([None, 0, 0.1, 1, 1.5, 10, -0.1, "10%", ""]))
STATUS = st.one_of(st.floats(0, 0.99, allow_nan=False), st.sampled_from(["single", "mfj", "MFJ ", "hoh", "x",
                                                                         1.5, 24, None, True]))


def _per_cell(name, args):
    """The array call with the batch engine switched off: the per-cell path, the reference."""
    spec = registry.get(name)
    saved, spec.batch = spec.batch, None
    try:
        return registry.call(spec, args)
    finally:
        spec.batch = saved


def _same(batched, reference):
    assert len(batched) == len(reference)
    for got_line, want_line in zip(batched, reference, strict=True):
        for got, want in zip(got_line, want_line, strict=True):
            assert type(got) is type(want) and (got == want or (got != got and want != want)), (got, want)


def column(strategy, size):
    return st.lists(strategy, min_size=size, max_size=size).map(lambda values: [[v] for v in values])


def optional_tail(draw, strategies, size):
    """The trailing optional arguments, in order: each omitted (and all after it), one cell or a range."""
    tail = []
    for strategy in strategies:
        choice = draw(st.integers(0, 2))
        if choice == 0:
            break
        tail.append(draw(strategy) if choice == 1 else draw(column(strategy, size)))
    return tail


@st.composite
def headroom_arguments(draw):
    size = draw(st.integers(2, 12))
    args = [draw(column(YEARS, size) | YEARS), draw(column(AGES, size) | AGES),
            draw(column(MONEY, size)), draw(column(MONEY, size) | MONEY)]
    return args + optional_tail(draw, (MONEY, RATES, MONEY), size)  # compensation, plan_cap, forfeitures


@CELLS
@given(headroom_arguments())
def test_mega_headroom_arrays_equal_the_per_cell_path(args):
    _same(registry.call(registry.get("MEGA_HEADROOM"), args), _per_cell("MEGA_HEADROOM", args))


def test_mega_headroom_array_values_are_the_scalar_values():
    years, ages = [[2026], [2026], [2027], [2025]], [[35], [55], [61], [60]]
    deferrals, employers = [[24500], [32500], [35750.0], [20000]], [[9000], [9000], [0], [5000.5]]
    got = registry.call(registry.get("MEGA_HEADROOM"), [years, ages, deferrals, employers, 200000, 0.1])
    want = [[registry.call(registry.get("MEGA_HEADROOM"), [y[0], a[0], d[0], e[0], 200000, 0.1])]
            for y, a, d, e in zip(years, ages, deferrals, employers, strict=True)]
    assert got == want == [[20000.0], [20000.0], [20000.0], [20000.0]]


@pytest.mark.parametrize("rows", [1, 3])
def test_a_row_of_ranges_broadcasts_like_the_per_cell_path(rows):
    args = [[[2026, 2027, 2013]] * rows, 35, [[24500.0]] * rows, [[9000, "x", 1]] * rows]
    _same(registry.call(registry.get("MEGA_HEADROOM"), args), _per_cell("MEGA_HEADROOM", args))


@st.composite
def conversion_tax_arguments(draw):
    size = draw(st.integers(2, 12))
    money = st.one_of(MONEY, st.floats(0, 2e6, allow_nan=False))
    args = [draw(column(money, size)), draw(column(money, size) | money), draw(column(STATUS, size) | STATUS)]
    return args + optional_tail(draw, (money, YEARS, RATES), size)  # taxable_income, year, state_rate


@CELLS
@given(conversion_tax_arguments())
def test_conversion_tax_arrays_equal_the_per_cell_path(args):
    _same(registry.call(registry.get("CONVERSION_TAX"), args), _per_cell("CONVERSION_TAX", args))


def test_conversion_tax_array_values_are_the_scalar_values():
    amounts = [[26000], [24000], [26000.01], [1e6]]
    for mode in (0.24, "single", "mfj"):
        got = registry.call(registry.get("CONVERSION_TAX"), [amounts, 25000, mode, 150000, 2026, 0.05])
        want = [[registry.call(registry.get("CONVERSION_TAX"), [a[0], 25000, mode, 150000, 2026, 0.05])]
                for a in amounts]
        assert got == want


HALF_CENTS = st.one_of(
    st.integers(0, 10**12).map(lambda c: c / 200),                 # a half cent (or a whole one) exactly
    st.integers(0, 10**9).map(lambda c: c / 200 + 5e-9),             # a hair either side of it
    st.integers(0, 10**9).map(lambda c: c / 200 - 5e-9),
    st.floats(0, 1e12, allow_nan=False))


@CELLS
@given(st.lists(HALF_CENTS, min_size=2, max_size=12), st.lists(HALF_CENTS, min_size=2, max_size=12),
       st.sampled_from([0.5, 0.1, 0.24, 0.37, 0.0, "single", "mfj", "hoh"]), st.sampled_from([0, 0.05, 0.5, 0.123]))
def test_conversion_tax_columns_near_half_cents_equal_the_per_cell_path(amounts, incomes, mode, state):
    """The batch loop's inlined cents (whole cents added up, ties to cents itself) on amounts at, and a hair
    either side of, half cents: the per-cell results exactly."""
    size = min(len(amounts), len(incomes))
    args = [[[a] for a in amounts[:size]], 0, mode, [[i] for i in incomes[:size]], 2026, state]
    _same(registry.call(registry.get("CONVERSION_TAX"), args), _per_cell("CONVERSION_TAX", args))


@given(st.one_of(HALF_CENTS, st.floats(0, 2e11, allow_nan=False)), st.one_of(HALF_CENTS, st.floats(0, 2e11)))
@CELLS
def test_the_inlined_cents_rule_is_cents(value, other):
    """tax._HALF_CENT_GUARD's rule: where the batch loop takes floor(v x 100 + 0.5) / 100 (far from a half cent,
    under tax._CENTS_LIMIT) it is cents(v), and sums and differences of two such cents values need no second
    rounding (they are whole cents, as cents() itself finds)."""
    from megabackdoor.rounding import cents
    from megabackdoor.tax import _CENTS_LIMIT as limit
    from megabackdoor.tax import _HALF_CENT_GUARD as guard

    taken = []
    for v in (value, other, math.nextafter(value, 0), math.nextafter(value, math.inf)):
        scaled = v * 100.0
        rounded = (scaled + 0.5) // 1.0
        if scaled < limit and -guard < scaled - rounded < guard:
            assert rounded / 100.0 == cents(v)
            taken.append(rounded)
    if len(taken) >= 2:
        a, b = taken[0], taken[1]
        assert cents(a / 100.0 + b / 100.0) == (a + b) / 100.0
        assert cents(max(a, b) / 100.0 - min(a, b) / 100.0) == (max(a, b) - min(a, b)) / 100.0


def _general(spec, args):
    """The call with the single-cell reader switched off (shapes, then _evaluate_cells or the array path): the
    fast path's reference."""
    saved, spec._cell_plan = spec._cell_plan, False
    try:
        return registry.call(spec, args)
    finally:
        spec._cell_plan = saved


def _outcome(function, spec, args):
    try:
        return "value", function(spec, args)
    except TypeError as error:     # a cell no engine takes (e.g. an empty range): the same failure either way
        return "type error", str(error)
    except registry.InputError as error:
        return "error", str(error), error.kind


CELL = st.one_of(MONEY, YEARS, AGES, RATES, STATUS, st.sampled_from(["2026-01-15", 46037, dt.date(2026, 1, 15), "y",
                                                                    "weekly", "1%", -0.0, 10**20, [], [[]]]))
# As hosts send one cell: the value, [[value]] (xlwings ndim=2), [value], a tuple, or nested deeper.
AS_SENT = st.sampled_from([lambda v: v, lambda v: [[v]], lambda v: [v], lambda v: ((v,),), lambda v: [[[v]]]])
SINGLE_CELL_FUNCTIONS = [name for name, spec in registry.functions().items()
                         if not spec.table and all(a.kind != "range" for a in spec.args)]


@settings(CELLS, max_examples=scaled(400))
@given(st.sampled_from(SINGLE_CELL_FUNCTIONS), st.data())
def test_single_cell_calls_equal_the_general_path(name, data):
    """registry._single_cells (the usual call, every argument one cell, as xlwings sends [[value]] or None)
    gives the general path's value or its exact error, whatever the cells hold."""
    spec = registry.get(name)
    count = data.draw(st.integers(len(spec.required), len(spec.args)))
    args = [data.draw(AS_SENT)(data.draw(CELL)) for _ in range(count)]
    got, want = _outcome(registry.call, spec, args), _outcome(_general, spec, args)
    assert got == want or (got[0] == want[0] == "value" and got[1] != got[1] and want[1] != want[1])


# The column path (registry.column_call): array calls as xlwings sends them, mostly plain numbers, with now and
# then one cell or one shape that must send the call to the general path.
PLAIN_MONEY = st.one_of(st.integers(0, 80000), st.floats(0, 80000, allow_nan=False),
                        st.sampled_from([0, 0.0, -0.0, 24500, 32500.0, 1e9, 10**9, 999_999_999.99]))
PLAIN_YEARS = st.sampled_from([2014, 2024, 2025, 2026, 2027, 2040, 2100, 2026.0])
PLAIN_AGES = st.sampled_from([35, 49, 50, 55, 60, 63, 64, 35.0])
PLAIN_RATES = st.sampled_from([0, 0.0, 0.1, 0.06, 1])
# Within every year's §402(g) (2014: $17,500) and §415(c) room, so that the batch engine answers the whole call;
# a quarter of the draws also take PLAIN_MONEY (catch-ups, refusals).
USUAL_DEFERRALS = st.one_of(st.integers(0, 17500), st.floats(0, 17500, allow_nan=False))
USUAL_EMPLOYER = st.one_of(st.integers(0, 30000), st.floats(0, 30000, allow_nan=False))


def usual_money(draw):
    wide = draw(st.integers(0, 3)) == 0
    return ((USUAL_DEFERRALS | PLAIN_MONEY, USUAL_EMPLOYER | PLAIN_MONEY) if wide
            else (USUAL_DEFERRALS, USUAL_EMPLOYER))


def _without_column_path(spec, args):
    saved, spec._column_plan = spec._column_plan, False
    try:
        return registry.call(spec, args)
    finally:
        spec._column_plan = saved


@st.composite
def plain_headroom_columns(draw):
    size = draw(st.integers(2, 30))

    def cell_or_column(strategy):
        return draw(st.one_of(column(strategy, size), strategy.map(lambda v: [[v]]), strategy))

    deferral, employer = usual_money(draw)
    args = [cell_or_column(PLAIN_YEARS), cell_or_column(PLAIN_AGES), draw(column(deferral, size)),
            cell_or_column(employer)]
    for strategy in (PLAIN_MONEY, PLAIN_RATES, PLAIN_MONEY):       # compensation, plan_cap, forfeitures
        choice = draw(st.integers(0, 3))
        if choice == 0:
            break
        args.append(None if choice == 1 else cell_or_column(strategy))
    twist = draw(st.integers(0, 5))
    ranges = [i for i, a in enumerate(args) if type(a) is list and len(a) > 1]
    where = draw(st.sampled_from(ranges))
    if twist == 1:     # one odd cell somewhere in a column
        args[where][draw(st.integers(0, size - 1))] = [draw(st.sampled_from(ODD + [-0.5, 2026.5]))]
    elif twist == 2:   # a column of another length, a 2-D range, a flat list, a tuple row, a bytes row
        args[where] = draw(st.sampled_from([args[where] + [[1.0]], [row * 2 for row in args[where]],
                                            [row[0] for row in args[where]],
                                            args[where][:-1] + [tuple(args[where][-1])],
                                            args[where][:-1] + [bytes([5])]]))
    elif twist == 3:   # one odd cell in place of an argument (given or omitted)
        args += [None] * (7 - len(args))
        args[draw(st.integers(0, 6))] = draw(st.sampled_from([lambda v: v, lambda v: [[v]]]))(
            draw(st.sampled_from(ODD + [-0.5, 2026.5, 0])))
    return args


@settings(CELLS, max_examples=scaled(300))
@given(plain_headroom_columns())
def test_the_column_path_equals_the_general_path(args):
    """registry.column_call gives the general path's array (or its exact error) for whatever it takes, and sends
    everything else there: the same numbers, messages and blanks."""
    spec = registry.get("MEGA_HEADROOM")
    got, want = _outcome(registry.call, spec, args), _outcome(_without_column_path, spec, args)
    if got[0] == want[0] == "value":
        _same(got[1], want[1])
        _same(got[1], _per_cell("MEGA_HEADROOM", args))
    else:
        assert got == want


def test_the_usual_column_takes_the_column_path(monkeypatch):
    """The bench's call (a year column, one age, deferral and employer columns, as xlwings sends them) is
    answered by column_call itself, and after_tax_room_batch by its column-at-a-time rows (_usual_rows), with
    no row handed to the scalar rule."""
    from megabackdoor import headroom

    rows = 1000
    years = [2026 + i % 5 for i in range(rows)]
    deferrals, employers = [15000 + 5 * i for i in range(rows)], [float(3000 + i) for i in range(rows)]
    args = [[[y] for y in years], [[35]], [[d] for d in deferrals], [[e] for e in employers], None, None, None]
    spec = registry.get("MEGA_HEADROOM")
    want = _per_cell("MEGA_HEADROOM", args)
    handed = []
    rule = headroom._room
    monkeypatch.setattr(headroom, "_room", lambda *row: handed.append(row) or rule(*row))
    got = registry.column_call(spec, args)
    assert got == want
    assert got[0] == [72000.0 - 15000 - 3000.0] and got[5] == [72000.0 - 15025 - 3005.0]
    limits = {y: headroom._batch_limits(y, 35) for y in set(years)}
    assert headroom._usual_rows(years, limits, deferrals, employers, 0.0) == [row[0] for row in got]
    assert handed == []
    assert registry.column_call(spec, [[[2026]], [[35]], [[24500]], [[9000]]]) is registry._NOT_SINGLE


def test_only_the_declined_rows_take_the_scalar_rule(monkeypatch):
    """A column with a catch-up row and an excess row: the other rows are the column-at-a-time room, and only
    those two go to headroom._room, once each (the rule used to run the whole column a second time)."""
    from megabackdoor import headroom

    handed = []
    rule = headroom._room
    monkeypatch.setattr(headroom, "_room", lambda *row: handed.append(row) or rule(*row))
    deferrals = [20000, 32500, 24500, 10000, 24500.01]
    employers = [9000, 9000, 47500, 62000.01, 0]
    got = headroom.after_tax_room_batch(5, 2026, [35, 55, 35, 35, 35], deferrals, employers)
    # 55: $8,000 above §402(g) is catch-up (room 72,000 - 24,500 - 9,000); 35: at §402(g) and §415(c) exactly;
    # a cent past §415(c) and a cent past §402(g) with no catch-up: refused (None).
    assert got == [43000.0, 38500.0, 0.0, None, None]
    assert [row[:2] for row in handed] == [(32500.0, 9000.0), (10000.0, 62000.01)]
    for year_age, deferral, employer, room in zip([35, 55, 35, 35, 35], deferrals, employers, got, strict=True):
        try:
            want = headroom.after_tax_room(2026, year_age, deferral, employer)
        except registry.InputError:
            want = None
        assert room == want


def test_a_cell_the_batch_engine_cannot_look_at_goes_to_the_general_path():
    """MEGA_HEADROOM's batch engine checks its cells' types itself (batch_checks_cells): column_call does not, and
    a cell it could not even hash (a list, from a 3-D argument) sends the call to the general path."""
    spec = registry.get("MEGA_HEADROOM")
    assert spec.batch_checks_cells
    years = [[2026], [[2026]], [2027]]
    args = [years, [[35]], [[20000], [20000], [20000]], [[9000]]]
    assert registry.column_call(spec, args) is registry._NOT_SINGLE
    # Odd cells the engine refuses (None) send the call there too, with the general path's messages: each odd
    # cell alone in the year, deferral or employer column.
    for odd in ("2026", "", True, False, None, 2026.5, math.nan, math.inf, -1, 10**9 + 1, 1e9 + 0.5, b"\x05"):
        for where in (0, 2, 3):
            args = [[[2026], [2027]], [[35]], [[20000], [20000]], [[9000], [9000]]]
            args[where] = [args[where][0], [odd]]
            if type(odd) is not int and type(odd) is not float:
                assert registry.column_call(spec, args) is registry._NOT_SINGLE, (odd, where)
            assert _outcome(registry.call, spec, args) == _outcome(_without_column_path, spec, args), (odd, where)


def test_a_batch_column_past_the_ceiling_is_refused_row_by_row():
    """validate.checked_column skips the max pass when the column's sum is within half the ceiling; a value past
    the ceiling is still found, whatever the sum."""
    from megabackdoor import validate

    for column, want in (([5.0, 1e9 + 1], {1}), ([0, 10**9 + 1, 0], {1}), ([1e9, 1e9], set()),
                         ([0.5, 1.0, 1.5], {2}), ([1e9 + 0.5], {0}), ([3e8, 2e8], set())):
        bad: set[int] = set()
        assert validate.checked_column(column, len(column), 1e9 if column[0] != 0.5 else 1.0, False, bad) == column
        assert bad == want, column
    from megabackdoor.headroom import after_tax_room_batch
    assert after_tax_room_batch(2, 2026, 35, [1000, 1e9 + 1], [0, 0]) == [71000.0, None]
    assert after_tax_room_batch(2, 2026, 35, [1000, 1000], [0, 1e9 + 0.5]) == [71000.0, None]


USUAL_FORFEITURES = st.sampled_from([0.0, -0.0, 0, None, 100, 0.01, 1234.56])


@settings(CELLS, max_examples=scaled(300))
@given(st.data())
def test_after_tax_room_batch_rows_are_the_scalar_rooms(data):
    """Pay and plan cap omitted, plain numbers (the ground of headroom._usual_rows, and of the rows it hands to
    _room when a row has a catch-up or a bound is missed): each row is after_tax_room's value, a float, or None
    where it refuses the row."""
    from megabackdoor.headroom import after_tax_room, after_tax_room_batch

    size = data.draw(st.integers(1, 30))
    years = data.draw(st.lists(PLAIN_YEARS, min_size=size, max_size=size) | PLAIN_YEARS)
    ages = data.draw(st.lists(PLAIN_AGES, min_size=size, max_size=size) | PLAIN_AGES)
    deferral, employer = usual_money(data.draw)
    deferrals = data.draw(st.lists(deferral, min_size=size, max_size=size))
    employers = data.draw(st.lists(employer, min_size=size, max_size=size) | employer)
    forfeitures = data.draw(USUAL_FORFEITURES)
    got = after_tax_room_batch(size, years, ages, deferrals, employers, None, None, forfeitures)

    def at(value, index):
        return value[index] if type(value) is list else value

    for index in range(size):
        try:
            want = after_tax_room(at(years, index), at(ages, index), deferrals[index], at(employers, index),
                                  None, None, 0.0 if forfeitures is None else forfeitures)
        except registry.InputError:
            want = None
        assert got[index] == want and type(got[index]) is type(want), (index, got[index], want)


@pytest.mark.parametrize("years, age, deferrals, employers", [
    ([2014, 2026], 55, [20000, 20000], [0, 0]),          # 2014: $2,500 above its §402(g) of $17,500 is catch-up
    ([2014, 2026], 55, [10000, 10000], [45000, 45000]),  # 2014: $3,000 past §415(c) ($52,000) becomes catch-up
    ([2014, 2026], 35, [10000, 10000], [45000, 45000]),  # the same at 35 (no catch-up): 2014 refused
    ([2026, 2026], 35, [24500, 24500.5], [47500, 0]),    # at §402(g) and §415(c) exactly; a cent past §402(g)
    ([2026, 2026], 35, [24500, 20000], [47500.01, 0]),   # a cent past §415(c): refused
    ([2026, 2013, 2101], 35, [0, 0, 0], [0, 0.0, 0]),    # years refused beside a good one, nothing contributed
    ([2026, 2026, 2026], [35, 150, 35.5], [0, 0, 0], [0, 0, 0]),   # ages refused (out of range, not whole)
])
def test_after_tax_room_batch_rows_past_the_usual_bounds(years, age, deferrals, employers):
    """Rows beside a row past the lowest §402(g) or §415(c) of the call's years: each is still the scalar room."""
    from megabackdoor.headroom import after_tax_room, after_tax_room_batch

    got = after_tax_room_batch(len(years), years, age, deferrals, employers)
    want = []
    ages = age if type(age) is list else [age] * len(years)
    for year, row_age, deferral, employer in zip(years, ages, deferrals, employers, strict=True):
        try:
            want.append(after_tax_room(year, row_age, deferral, employer))
        except registry.InputError:
            want.append(None)
    assert got == want
    assert got[1] == 72000.0 - deferrals[1] - employers[1] or got[1] is None
    if deferrals == [0, 0, 0]:
        assert got == [72000.0, None, None]
