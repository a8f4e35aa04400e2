"""The search when §415(c) binds the deferrals and match themselves (:func:`_phase1_exhaustive`): the best
(match, deferrals) over every deferral election (x, y) with no after-tax money, and the elections reaching
it, worked out from the structure of the year's totals rather than candidate by candidate.
Elections are named as in :mod:`megabackdoor.paycheck.solver`.

The structure it rests on:

* §415(c) is a bound on the match given the deferrals: ``_base_additions(d, m) <= limit`` exactly when
  ``m <= _match_room(d)``, which only falls as d rises (:func:`_match_room`).
* Below the room (planned deferrals at most the room, nothing cut) the planned deferrals and match only grow
  with x and with y, so the elections that fit §415(c) are a staircase: in each column y the ones up to
  ``fit(y)``, which only falls as y rises, and a column's best is at its fit. A run of columns [y1, y2] has
  its fits between fit(y2) and fit(y1): its best match is at most the match at (fit(y1), y2), and at most
  what §415(c) leaves next to the deferrals at (fit(y2), y1); its deferrals at most those at (fit(y1), y2)
  and at most the most deferrals §415(c) leaves next to the match, and whose least match is at most it
  (:func:`_deferral_room`). Runs are split best bound first and dropped when the bound cannot beat the best
  found; a run of few fits is settled with one bisection per fit (its best is at its last column); a best
  reaching the match top with those deferrals ends it (:func:`_within_room_best`, :func:`_pays`). With a
  true-up no election deferring past where the formula on the year's deferrals meets what §415(c) leaves
  fits: every fit is capped there (:func:`_fitting_deferrals`). Where every run is bounded by that top and
  nothing pays it (a ridge: with such a true-up from the start, else once a probe finds none) splitting
  drops nothing, so a ridge's run is searched through: fit by fit, or column by column when it has more
  fits than columns.
* Past the room only a payroll stopping at exactly the room keeps the deferrals legal, at the room; their
  match fits §415(c) only up to ``_match_room(room)``. A column has candidates past the room only when its
  largest regular election passes the room, which holds from one bonus election on (the planned deferrals
  grow with y): the columns before it are never looked at for this.
* Past the last check with match pay (pay past §401(a)(17) for the year) no check adds match: where the stop
  cuts after it, the stopped match is F(x) + G(y) whatever the cut, and one walk finds every column's best;
  the others (cut at a matched check or before it) go to a box search (:func:`_split_search`,
  :func:`_split_column`, :func:`_cut_bounds`). Otherwise, or past its box budget, column by column
  (:func:`_column_best`, :func:`_boxes_refuted`): a run of the stop's cuts is bounded at once (every
  candidate defers exactly the room: the checks after the run's last cut share what the earlier ones leave,
  each matched between its chord rate and its first rate, :func:`_spread_bounds`), and a span at one cut
  whose match follows one line in the regular deferral is settled by a fit (:func:`_line_best`).
* Ties: with the best's deferrals below the room only elections below the room can tie it, and (x, y) does
  exactly when the bonus checks at y pay what is left of the deferrals after the regular checks at x (and
  the match agrees): one look-up in the bonus checks' sums per x, row by row from the smallest x that can
  reach it (or per y, when there are fewer bonus elections), handed to the after-tax search lazily (it
  usually stops at the first) (:func:`_tie_rows`).
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import math
import operator

from ..errors import InputError
from ..match import pay_edges
from .bounds import (
    _best_rates_first,
    _concave,
    _edge_split,
    _grain,
    _match_raw,
    _regular_grain,
    _span,
    _step_cents,
    _tier_sizes,
    _whole,
)
from .case import _REGULAR, _amount, _annual_match, _Case, _match_cents
from .simulation import (
    _bonus_fit,
    _bonus_sum,
    _bonus_table,
    _bonus_tables,
    _bonus_units,
    _build_tables,
    _largest,
    _largest_near,
    _line_cents,
    _planned,
    _regular_fit,
    _tier_lines,
)
from .stops import (
    _before_first_bonus,
    _bonus_column,
    _build_stops,
    _ColumnCuts,
    _regular_match,
    _stop_at,
    _stopped_match,
    _truncated,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Generator, Iterator
    from typing import Any

    from .stops import _Stops


def _match_room(case: _Case, deferrals: int) -> int:
    """The most match (cents) that scheduled ``deferrals`` leave within §415(c) with no after-tax money:
    ``_base_additions(deferrals, m) <= limit_415 - ytd_after_tax`` exactly when m is at most this (it may be
    negative: then no match fits). Non-increasing in the deferrals.

    :func:`_base_additions` is b0 + m (b0: the counted deferrals and the match so far) while that is at most
    the limit; past it, deferrals that with the employer money alone break §415(c) become catch-ups, up to
    s = min(catch-up left, deferrals counted), which brings the additions down to no less than the limit
    (§1.414(v)-1(b)): max(limit, b0 + m - s). With after-tax money already made this year the limit less it
    is below the limit, so only the first branch can fit.
    """
    start = case.other + case.ytd_def
    end = start + deferrals
    regular = min(end, case.limit_402g) - min(start, case.limit_402g)
    counted = case.ytd_regular + regular
    before = counted + case.ytd_match
    limit = case.limit_415 - case.ytd_after_tax
    if case.ytd_after_tax > 0:
        return limit - before
    used = min(max(0, end - case.limit_402g), case.catchup)
    return limit - before + max(0, min(case.catchup - used, counted))


def _415c_can_bind(case: _Case) -> bool:
    """Whether some deferral election's deferrals and match alone (no after-tax money) can pass §415(c), the
    year's after-tax money so far included: every candidate defers at most the room and at most its largest
    elections' planned deferrals, and gets at most ``case.ceiling`` of match (see ``_ceiling``), and the
    additions only grow with both. When none can, the fallback search is never needed."""
    separate = case.separate and bool(case.bonus_events)
    most = _planned(case, case.max_units, case.bonus_max_units if separate else 0)[0]
    return case.ceiling > _match_room(case, min(max(case.room, 0), most))


def _match_top(case: _Case) -> int:
    """A bound on the match of every candidate that fits §415(c) (cents): the most of min(G(d), _match_room(d))
    over the deferrals d up to the room, where G(d) is the most match d cents of deferrals can buy, every
    cent going to the best-matched pay first (the tiers' pieces of every check up to its largest deferral,
    highest rate first: a fractional knapsack, which no paycheck schedule beats), plus half a cent for each
    check whose match is not whole cents on the deferrals it can get (see ``_grain``), or what a true-up pays
    on d; and at most ``case.ceiling``. G only rises with d and _match_room only falls, so the most is where
    they cross (a bisection). A best that reaches this match with the most deferrals §415(c) leaves beside
    it cannot be beaten."""
    if not case.tiers:
        return 0
    pieces: list[tuple[float, float]] = []
    half_cents = 0
    for match_pay, cap, whole, count in _check_caps(case):
        if match_pay <= 0:
            continue
        pieces += [(rate, count * size) for rate, size in _tier_sizes(case, match_pay, cap)]
        half_cents += count * (not whole)
    pieces.sort(reverse=True)
    # G(d) by bisection on the pieces' running sizes: the pieces up to d, best rate first (_best_rates_first's
    # sum, worked out once for every d the bisection below asks about).
    ends, values = [0.0], [0.0]
    for rate, size in pieces:
        ends.append(ends[-1] + size)
        values.append(values[-1] + rate * size)

    def bought(deferrals: int) -> float:
        at = bisect.bisect_left(ends, deferrals, 1)
        if at == len(ends):
            total = values[-1]
        else:
            total = values[at - 1] + pieces[at - 1][0] * (deferrals - ends[at - 1])
        total += 0.5 * half_cents + 1e-6      # (and a hair for the floats' sums)
        if case.true_up:
            total = max(total, _annual_match(case, case.ytd_def + deferrals) - case.ytd_match)
        return total

    room = max(case.room, 0)
    crossing = _largest(lambda deferrals: bought(deferrals) <= _match_room(case, deferrals), 0, room)
    top = -1.0
    if crossing is not None:
        top = bought(crossing)
    if crossing is None or crossing < room:
        top = max(top, _match_room(case, 0 if crossing is None else crossing + 1))
    return min(case.ceiling, int(top))


def _check_caps(case: _Case) -> list[tuple[float, int, bool, int]]:
    """Per kind of check with plan pay (the same kind, plan pay and match pay): its match pay, the most it can
    defer (cents, at the plan's largest election), whether its match is whole cents on every deferral it can
    get (``bounds._whole``: else rounding can add or take half a cent) and how many checks there are of it. For
    the bounds :func:`_match_top` and :func:`_least_pieces` (worked out once per case, in ``case.bands``)."""
    known = case.bands.get("check caps")
    if known is not None:
        return known
    separate = case.separate and bool(case.bonus_events)
    grain = _grain(case)
    counts: dict[tuple[bool, float, float], int] = {}
    for _, kind, _, plan_pay, match_pay in case.events:
        if plan_pay > 0:
            key = (kind == _REGULAR, plan_pay, match_pay)
            counts[key] = counts.get(key, 0) + 1
    caps = []
    for (regular, plan_pay, match_pay), count in counts.items():
        if regular:
            cap = _amount(case, case.pay, case.max_units, False)
        elif separate:
            cap = _amount(case, plan_pay, case.bonus_max_units, True)
        else:
            cap = 0 if case.dollars else _amount(case, plan_pay, case.max_units, False)
        caps.append((match_pay, cap, match_pay <= 0 or _whole(case, match_pay, grain), count))
    case.bands["check caps"] = caps
    return caps


def _least_pieces(case: _Case) -> tuple[list[tuple[float, float]], float]:
    """For :func:`_least_match`: every check's pieces (rate, cents of deferral the rate applies to), lowest
    rate first, each check up to its largest election (a check's deferral past its tiers, or on a check with
    no match pay, has rate 0), and the most rounding can take off (half a cent per check whose match is not
    whole cents on the deferrals it can get, see ``_match_top``)."""
    pieces: list[tuple[float, float]] = []
    half_cents = 0
    for match_pay, cap, whole, count in _check_caps(case):
        matched = 0.0
        if match_pay > 0 and case.tiers:
            for rate, low, high in case.tiers:
                part = min(cap, high * match_pay * 100) - low * match_pay * 100
                if part > 0:
                    pieces.append((rate, count * part))
                    matched += part
            half_cents += count * (not whole)
        if cap > matched:
            pieces.append((0.0, count * (cap - matched)))
    pieces.sort()
    return pieces, 0.5 * half_cents + 1e-6


def _least_match(least: tuple[list[tuple[float, float]], float], deferrals: int) -> float:
    """A bound below the match of every election whose planned deferrals are ``deferrals`` cents: every cent
    on the worst-matched pay first (a relaxation of any paycheck schedule), less the rounding."""
    pieces, slack = least
    return _best_rates_first(pieces, deferrals) - slack


def _least_inverse(least: tuple[list[tuple[float, float]], float], match: int) -> int:
    """About the most deferrals whose least match (:func:`_least_match`) is at most ``match``."""
    pieces, slack = least
    budget, deferrals = match + slack, 0.0
    for rate, part in pieces:
        if rate * part <= budget:
            budget -= rate * part
            deferrals += part
        else:
            deferrals += budget / rate
            break
    return int(deferrals)


def _deferral_room(case: _Case, match: int, cache: dict[Any, Any]) -> int:
    """The most deferrals (at most the room) of an election paying ``match`` within §415(c) (-1: none): they
    leave room for the match (:func:`_match_room`), and their least match (:func:`_least_match`) is at most it
    (e.g. a 200% match on whole cents: at most half the match)."""
    most = cache.get(match)
    if most is None:
        least = cache.get("least")
        if least is None:
            least = cache["least"] = _least_pieces(case)
        room = _largest(lambda deferrals: _match_room(case, deferrals) >= match, 0, max(case.room, 0))
        found = -1 if room is None else room
        if found >= 0 and _least_match(least, found) > match:
            # The least match only rises with the deferrals: from the straight-line inverse, a step or two.
            found = min(room, _least_inverse(least, match))
            while found >= 0 and _least_match(least, found) > match:
                found -= 1
            while found < room and _least_match(least, found + 1) <= match:
                found += 1
        most = cache[match] = found
    return most


def _fits(case: _Case, deferral: int, bonus_deferral: int) -> bool:
    deferrals, match = _planned(case, deferral, bonus_deferral)
    return match <= _match_room(case, deferrals)


def _within(case: _Case, deferral: int, bonus_deferral: int) -> bool:
    """Whether (x, y)'s planned deferrals fit the room and its planned money §415(c)."""
    deferrals, match = _planned(case, deferral, bonus_deferral)
    return deferrals <= case.room and match <= _match_room(case, deferrals)


_FEW_FITS = 3


def _fitting_deferrals(case: _Case) -> int:
    """The most planned deferrals of an election that fits the room and §415(c) (-1: none): the room, and with a
    true-up, which pays at least the formula on the year's deferrals T(d) (rising with d) while §415(c) leaves
    _match_room(d) (falling), at most the largest d with T(d) within it. From the deferrals alone (the bonus
    and regular checks' tables), a cap on every column's fit and on the columns of each fit."""
    room = max(case.room, 0)
    if not (case.true_up and case.tiers):
        return room
    found = _largest(lambda deferrals: _annual_match(case, case.ytd_def + deferrals) - case.ytd_match
                     <= _match_room(case, deferrals), 0, room)
    return -1 if found is None else found


def _column_fit(case: _Case, bonus_deferral: int, low: int, high: int, guess: int | None = None,
                most: int | None = None) -> int | None:
    """fit(y): the largest regular election x in [``low``, ``high``] whose planned deferrals fit the room and
    whose planned money fits §415(c) (None if none); ``low`` must fit when it is not 0. With ``guess``, searched
    out from there (:func:`_largest_near`); with ``most`` (:func:`_fitting_deferrals`), only among the elections
    deferring at most that."""
    room = case.room if most is None else min(case.room, most)
    if case.separate and case.bonus_events:
        room_fill = _regular_fit(case, room - _bonus_sum(case, bonus_deferral), case.max_units)
    else:
        room_fill = _one_column_fill(case, room)
    if room_fill is None:
        return None
    high = min(high, room_fill)
    if high < low:
        return None
    if guess is not None and low < guess <= high:
        return _largest_near(lambda deferral: _fits(case, deferral, bonus_deferral), low, high, guess)
    if _fits(case, high, bonus_deferral):
        return high
    return _largest(lambda deferral: _fits(case, deferral, bonus_deferral), low, high - 1)


def _one_column_fill(case: _Case, room: int) -> int | None:
    """With one column (the bonus checks on the regular election, or none): the largest regular election whose
    planned deferrals are at most ``room`` (None if none), once per case and room (``case.bands``). Every check
    defers the election's share of its plan pay (whole dollars: the regular checks alone, up to their pay), so
    the room over the share per step is about it: searched out from there (a few planned sums instead of a
    bisection's dozen, each at a new x working out every bonus check)."""
    known = case.bands.get(("one column fill", room), -2)
    if known != -2:
        return known
    per_step = 100 * case.n_regular if case.dollars else 100 * case.unit * (
        case.n_regular * case.pay + sum(event[3] for event in case.bonus_events))
    fill = case.bands["one column fill", room] = _largest_near(
        lambda deferral: _planned(case, deferral, 0)[0] <= room, 0, case.max_units,
        int(room / per_step) if per_step > 0 else case.max_units)
    return fill


def _within_room_best(case: _Case) -> tuple[int, int] | None:
    """The best (match, deferrals) of the elections whose planned deferrals fit the room and §415(c), or None
    (:func:`_within_room_search` to the end)."""
    search = _within_room_search(case)
    next(search)
    return search.send(-1)[0]


def _within_room_search(case: _Case) -> Generator[tuple[tuple[int, int] | None, bool], int, None]:
    """The search of :func:`_within_room_best` as a generator, to be stopped part way: sent a floor (a match),
    it yields (the best so far, False) once every run left is bounded below the floor (then the best of all is
    below it too, and send a lower floor to go on), or (the best, True) at the end. :func:`_phase1_exhaustive`
    first asks only for a best that can beat any candidate past the room, then only for one that reaches the
    best past the room; the search itself (the runs it pops and splits) is the same whatever the floors.

    One column (no separate bonus election): the value at its fit. Otherwise the columns' best values by
    branch and bound over runs of columns (see the module docstring), best bound first; a run whose bound
    only ties the best is dropped too (the ties are found afterwards, see :func:`_tie_rows`); a ridge's runs
    are searched through (fit by fit or column by column, whichever are fewer).
    """
    floor = yield None, False
    if not (case.separate and case.bonus_events):
        fit = _column_fit(case, 0, 0, case.max_units)
        if fit is None:
            yield None, True
            return
        deferrals, match = _planned(case, fit, 0)
        yield (match, deferrals), True
        return
    last = case.bonus_max_units
    if case.bonus_sums is None and _BUY_TABLES:
        # The search below and the searches after it (part one of the split search, the ties) look up the
        # bonus checks' sums by the dozen: bought now rather than rented (see _bonus_sum), the planned sums'
        # bonus part is read off them too (simulation._bonus_match).
        _build_tables(case)
    most = _fitting_deferrals(case)
    first_fit = _column_fit(case, 0, 0, case.max_units, most=most)
    if first_fit is None:
        yield None, True      # nothing fits with no bonus deferral: nothing fits with more
        return
    last_fit = _column_fit(case, last, 0, first_fit, most=most)
    # The first run's bound (below) without the match top is at least the bound: where even that is below the
    # floor, the search would wait at its first run anyway, and waits here, before the match top is worked out.
    while min(_planned(case, first_fit, last)[1], _match_room(case, _planned(case, last_fit or 0, 0)[0])) < floor:
        floor = yield None, False
    best: tuple[int, int] | None = None
    most_deferrals: dict[Any, Any] = {}
    top = _match_top(case)
    # Nothing can beat this (see _match_top); a best that reaches it ends the search.
    unbeaten = (top, _deferral_room(case, top, most_deferrals))

    def bound(y1: int, y2: int, fit1: int, fit2: int | None) -> tuple[int, int]:
        deferrals_high, match_high = _planned(case, fit1, y2)
        match_high = min(match_high, top, _match_room(case, _planned(case, fit2 or 0, y1)[0]))
        if match_high == top:
            return match_high, min(deferrals_high, unbeaten[1])
        if best is None or match_high != best[0]:
            return match_high, deferrals_high     # (the deferrals only matter in a tie of matches)
        return match_high, min(deferrals_high, _deferral_room(case, match_high, most_deferrals))

    # Best bound first; among equal bounds the narrowest run first, so that the search reaches single columns
    # (and a best) instead of splitting every run of a ridge of columns whose bounds tie.
    value = bound(0, last, first_fit, last_fit)
    heap = [((-value[0], -value[1], last), 0, last, first_fit, last_fit)]
    # With a true-up that caps the fits below the room (see _fitting_deferrals), every column's fit defers
    # about the same, just below the cap, and every run is bounded by the unbeaten value: a ridge from the start.
    splits, ridge = 0, _RIDGE_FROM_START and most < case.room
    while heap:
        (negative_match, negative_deferrals, _), y1, y2, fit1, fit2 = heapq.heappop(heap)
        if best is not None and (best >= unbeaten or (-negative_match, -negative_deferrals) <= best):
            break      # the most promising run left cannot beat the best: nor can the others
        while -negative_match < floor:
            floor = yield best, False      # (nor can the others reach the floor: wait for a lower one)
        splits += 1
        tied = (-negative_match, -negative_deferrals) == unbeaten
        if splits == _PROBE_AFTER and tied:
            if _pays(case, unbeaten):
                best = unbeaten      # a ridge of runs bounded by it, and an election pays it: nothing beats it
                break
            # No election pays it: every run the ridge bounds by it is searched through, so splitting it (a
            # column's fit, ~4 planned sums, and two bounds) costs more than its fits one by one (~2 each).
            ridge = True
        lowest = 0 if fit2 is None else fit2
        if y2 - y1 > 1 and ((fit2 is not None and fit1 - lowest < _FEW_FITS)
                            or (ridge and tied and fit1 - lowest <= y2 - y1)):
            # Few fits in the run: each one's columns end where the next smaller fit starts, and its best is
            # at its last column (the planned sums only grow with y): one bisection per fit (down to fit 0 when
            # the run's last column has none).
            start, width = y1, None
            for fit in range(fit1, lowest - 1, -1):
                end = y2
                if fit != fit2:
                    # No column past the most deferrals that fit has this fit: searched down from there, or (when
                    # the last fit ended before its cap) out from as many columns on as the last fit had.
                    cap = _bonus_fit(case, most - case.n_regular * _amount(case, case.pay, fit, False), start, y2)
                    fitting = functools.partial(_within, case, fit)
                    if cap < start:
                        end = None
                    elif width is not None:
                        end = _largest_near(fitting, start, cap, start + width)
                    elif fitting(cap):
                        end = cap
                    else:      # (out from the fits' share of the columns left)
                        end = _largest_near(fitting, start, cap - 1, start + (y2 - start) // (fit - lowest + 1))
                    width = None if end is None or end == cap else end - start
                if end is None:
                    continue      # (no column of the run has this fit)
                deferrals, match = _planned(case, fit, end)
                if best is None or (match, deferrals) > best:
                    best = (match, deferrals)
                start = end + 1
                if start > y2 or best >= unbeaten:
                    break      # (past the run, or nothing can beat the best: the next pop ends the search)
            continue
        if ridge and tied and y2 - y1 > 1:
            # A ridge's run with more fits than columns: each column's fit, searched down from the one before
            # (fits fall as y rises), about one planned sum per column and none for bounds.
            fit, drop = fit1, 0
            for bonus_deferral in range(y1, y2 + 1):
                if bonus_deferral == y2:
                    fit = fit2
                elif bonus_deferral > y1:
                    # (out from as far below the last fit as that one was below the one before)
                    last_fit, fit = fit, _column_fit(case, bonus_deferral, lowest, fit, max(lowest, fit - drop), most)
                    drop = 0 if fit is None else last_fit - fit
                if fit is None:
                    break      # (nor any later column)
                deferrals, match = _planned(case, fit, bonus_deferral)
                if best is None or (match, deferrals) > best:
                    best = (match, deferrals)
                    if best >= unbeaten:
                        break      # (nothing can beat it: the next pop ends the search)
            continue
        if y2 - y1 <= 1:
            for fit, bonus_deferral in ((fit1, y1), (fit2, y2)):
                if fit is not None:
                    deferrals, match = _planned(case, fit, bonus_deferral)
                    if best is None or (match, deferrals) > best:
                        best = (match, deferrals)
            continue
        middle = (y1 + y2) // 2
        # (the fits between two columns' are about on the line between them: searched out from there)
        middle_fit = _column_fit(case, middle, fit2 or 0, fit1,
                                 None if fit2 is None else fit1 + (fit2 - fit1) * (middle - y1) // (y2 - y1), most)
        for run in ((y1, middle, fit1, middle_fit), (middle, y2, middle_fit, fit2)):
            if run[2] is None:
                continue      # nothing fits from the run's first column on
            value = bound(*run)
            if best is None or value > best:
                heapq.heappush(heap, ((-value[0], -value[1], run[1] - run[0]), *run))
    yield best, True


_PAYS_TRIES = 4
_PROBE_AFTER = 24
_RIDGE_FROM_START = True
_BUY_TABLES = True


def _pays(case: _Case, value: tuple[int, int]) -> bool:
    """Whether some election (x, y) below the room pays ``value`` (match, deferrals) exactly (False also when
    the first few elections with those deferrals pay another match). Its deferrals n a(x) + B(y) are the
    regular checks' and the bonus checks' sums: one look-up per bonus election of the regular election whose
    checks defer what it leaves (or per regular election of the bonus election, when there are fewer)."""
    match, deferrals = value
    if case.bonus_sums is None or (not case.dollars and case.regular_amounts is None):
        _build_tables(case)
    bonus_sums, amounts, per_check = case.bonus_sums, case.regular_amounts, case.n_regular
    found: list[tuple[int, int]] = []
    if case.bonus_max_units <= case.max_units or amounts is None:
        for bonus_deferral, bonus_part in enumerate(bonus_sums):
            left = deferrals - bonus_part
            if left < 0:
                break
            deferral = None if left % per_check else _units_deferring(case, left // per_check)
            if deferral is not None:
                found.append((deferral, bonus_deferral))
                if len(found) >= _PAYS_TRIES:
                    break
    else:
        for deferral, amount in enumerate(amounts):
            left = deferrals - per_check * amount
            if left < 0:
                break
            bonus_deferral = bisect.bisect_left(bonus_sums, left)
            if bonus_deferral < len(bonus_sums) and bonus_sums[bonus_deferral] == left:
                found.append((deferral, bonus_deferral))
                if len(found) >= _PAYS_TRIES:
                    break
    return any(_planned(case, deferral, bonus_deferral) == (deferrals, match) for deferral, bonus_deferral in found)


def _units_deferring(case: _Case, amount: int) -> int | None:
    """The smallest regular election whose check defers exactly ``amount`` cents (None if none), from the table
    of every election's (see simulation._build_tables) or, with whole-dollar elections, min(x dollars, pay)."""
    amounts = case.regular_amounts
    if amounts is not None:
        units = bisect.bisect_left(amounts, amount)
        return units if units < len(amounts) and amounts[units] == amount else None
    pay_cents = round(case.pay * 100)
    if 0 <= amount < pay_cents:
        units = amount // 100 if amount % 100 == 0 else None
    else:
        units = -(-pay_cents // 100) if amount == pay_cents else None
    return units if units is not None and units <= case.max_units else None


def _tie_rows(case: _Case, best: tuple[int, int]) -> Iterator[tuple[int, int]]:
    """The elections (x, y) below the room that pay ``best`` (match, deferrals), the smallest y per x, by
    rising x, each kept only when its y is below every earlier one (the others are dominated: a larger x and
    y leave no larger after-tax caps). Lazily, since the after-tax search usually stops at the first.

    At most the room, (x, y)'s planned deferrals are n a(x) + B(y), the regular checks' and the bonus
    checks' sums: y ties only if B(y) is exactly what x leaves of the deferrals, and the smallest such y is
    one look-up in B (which only grows with y). With one column, the smallest x paying the best."""
    match, deferrals = best
    if not (case.separate and case.bonus_events):
        fit = _column_fit(case, 0, 0, case.max_units)
        short = _largest(lambda units: _planned(case, units, 0) != (deferrals, match), 0, fit)
        yield (0 if short is None else short + 1), 0
        return
    last = case.bonus_max_units
    per_check = case.n_regular
    # Rows whose regular checks leave the bonus checks between B(0) = 0 and B(last) of the deferrals.
    short = _regular_fit(case, deferrals - _bonus_sum(case, last) - 1, case.max_units)
    deferral = 0 if short is None else short + 1
    deferral_last = _regular_fit(case, deferrals, case.max_units)
    if deferral_last is None:
        return
    lowest = last + 1
    if last < deferral_last - deferral:
        # Fewer bonus elections than rows: per bonus election, the smallest regular election whose checks defer
        # what it leaves (the smallest y per x: the first bonus election that leads to it), then by rising x.
        if case.bonus_sums is None or (not case.dollars and case.regular_amounts is None):
            _build_tables(case)
        first_bonus: dict[int, int] = {}
        for bonus_deferral, bonus_part in enumerate(case.bonus_sums):
            left = deferrals - bonus_part
            if left < 0:
                break
            units = None if left % per_check else _units_deferring(case, left // per_check)
            if units is not None and units not in first_bonus:
                first_bonus[units] = bonus_deferral
        for units in sorted(first_bonus):
            bonus_deferral = first_bonus[units]
            if bonus_deferral < lowest and _planned(case, units, bonus_deferral) == (deferrals, match):
                lowest = bonus_deferral
                yield units, bonus_deferral
                if lowest == 0:
                    return
        return
    if case.bonus_sums is not None and case.regular_amounts is not None:
        # With the tables: the smallest bonus election of each sum of the bonus checks, one look-up per row.
        first_bonus = {}
        for bonus_deferral, bonus_part in enumerate(case.bonus_sums):
            first_bonus.setdefault(bonus_part, bonus_deferral)
        amounts = case.regular_amounts
        for row in range(deferral, deferral_last + 1):
            bonus_deferral = first_bonus.get(deferrals - per_check * amounts[row], lowest)
            if bonus_deferral < lowest and _planned(case, row, bonus_deferral) == (deferrals, match):
                lowest = bonus_deferral
                yield row, bonus_deferral
                if lowest == 0:
                    return
        return
    while deferral <= deferral_last:
        regular = per_check * _amount(case, case.pay, deferral, False)
        left = deferrals - regular
        bonus_deferral = _bonus_fit(case, left - 1, 0, lowest - 1) + 1
        if bonus_deferral < lowest and _bonus_sum(case, bonus_deferral) == left and (
                _planned(case, deferral, bonus_deferral) == (deferrals, match)):
            lowest = bonus_deferral
            yield deferral, bonus_deferral
            if lowest == 0:
                return
        deferral += 1


def _column_best(case: _Case, bonus_deferral: int, deferral_first: int, deferral_last: int, need: int,
                 top: int, ties_below: int | None = None) -> tuple[int, int] | None:
    """(match, x): the most stopped match from ``need`` to ``top`` over the regular elections [x_first, x_last]
    of one column, and the smallest x paying it (None if none), best bound first. With ``ties_below``, a match
    of just ``need`` counts only at x below it (an earlier column has one at that x: a tie there is dominated).

    Spans sharing a cut are bounded above and below by :func:`bounds._span` (split where the cut moves, see
    :func:`_stopped_candidates`): a span is dropped when its bound is below what is needed (or only ties the
    best with larger elections), or when even its lowest match passes ``top`` (§415(c) refuses all of it).
    The most promising span is split first, the narrowest among equals, so the search walks to the answer
    instead of offering every better candidate on the way (a match that rises with x for thousands of
    whole-dollar elections). Where bonus checks take the regular election (their deferrals move with x, so
    the span bounds do not apply) spans are bounded as boxes instead (:func:`_box_bounds`).
    """
    stops = case.stops or _build_stops(case)
    best_match, best_deferral = need - 1, deferral_last + 1
    if ties_below is not None and ties_below <= deferral_last:
        # As if (need, ties_below) were found: only a better match, or need at a smaller x, replaces it; with
        # nothing better than need within top, nothing from ties_below on.
        best_match, best_deferral = need, ties_below
        if need >= top:
            deferral_last = ties_below - 1
    known = (best_match, best_deferral)
    if not stops.plan_pays:
        return None
    spans = case.separate or case.dollars or not case.bonus_events      # (see _stopped_candidates)
    chords = spans and _concave(case) and not case.true_up
    memo: dict[Any, float] = {}
    cuts = _ColumnCuts(case, bonus_deferral)
    heap = [(-float(top), deferral_last - deferral_first, deferral_first, deferral_last)]
    while heap:
        negative_high, _, x1, x2 = heapq.heappop(heap)
        if -negative_high < best_match:
            break      # the most promising span left cannot reach the best: nor can the others
        if -negative_high < best_match + 1 and x1 >= best_deferral:
            continue      # at most a tie, with larger elections
        if x2 - x1 < 2:
            for deferral in range(x1, x2 + 1):
                match = _truncated(case, deferral, bonus_deferral)
                # need <= match: the running best starts at need - 1, which is not itself an answer.
                if need <= match <= top and (match > best_match or (match == best_match and deferral < best_deferral)):
                    best_match, best_deferral = match, deferral
            continue
        if not spans:
            # Bonus checks on the regular election: their deferrals move with x too, and the box bound with
            # the bonus election taken as x itself holds (see _box_bounds: it only needs each check's
            # deferral to grow with the election and the cut to fall).
            low, high, halves = _box_bounds(case, stops, x1, x2, bonus_deferral, bonus_deferral)
            high = min(high, top)
            if low > top or high < best_match or (high < best_match + 1 and x1 >= best_deferral):
                continue
            for part in halves:
                heapq.heappush(heap, (-high, part[1] - part[0], part[0], part[1]))
            continue
        cut = cuts.at(x1)
        last_cut = cuts.at(x2)
        if cut != last_cut:
            boundary = None
            if chords:
                # Bound the span's cuts at once (_spread_bounds), and split it at its middle cut: a run of cuts
                # whose matches all pass top (or all fall short) is dropped whole.
                low, high = _spread_bounds(case, stops, x1, x2, bonus_deferral, bonus_deferral, cut, last_cut,
                                           memo)
                high = min(high, -negative_high)
                if low > top or high < best_match or (high < best_match + 1 and x1 >= best_deferral):
                    continue
                negative_high = -high
                middle_cut = (cut + last_cut + 1) // 2
                boundary = _regular_fit(case, case.room - cuts.column[0][middle_cut], x2 - 1,
                                        stops.regular_before[middle_cut])
            if boundary is None or not x1 <= boundary < x2:
                boundary = cuts.boundary(stops, x1, x2, cut)
            for part in ((x1, boundary), (boundary + 1, x2)):
                heapq.heappush(heap, (negative_high, part[1] - part[0], *part))
            continue
        low, high, ends, line = _span(case, x1, x2, cut, cuts.column)
        high = min(high, top)
        if low > top or high < best_match or (high < best_match + 1 and x1 >= best_deferral):
            continue
        if ends is not None and not case.true_up:
            # The match follows one line in the regular deferral: its most up to top, at once.
            found = _line_best(case, x1, x2, ends, top)
            if found is not None and need <= found[0] and (found[0] > best_match or (
                    found[0] == best_match and found[1] < best_deferral)):
                best_match, best_deferral = found
            continue
        middle = None
        if ends is None and line is None and not case.true_up:
            # Across a tier edge the bound pulls the checks apart: split at the edge, each part is straight.
            middle = _edge_split(case, x1, x2, cut, cuts.column)
        if middle is None:
            middle = (x1 + x2) // 2
        for part in ((x1, middle), (middle + 1, x2)):
            heapq.heappush(heap, (-high, part[1] - part[0], *part))
    if (best_match, best_deferral) == known:
        return None
    return best_match, best_deferral


def _line_best(case: _Case, x1: int, x2: int, ends: tuple[int, int], top: int) -> tuple[int, int] | None:
    """(match, x): the most stopped match up to ``top`` on a span [x1, x2] whose match follows one line in the
    regular deferral a(x) from ``ends[0]`` at x1 to ``ends[1]`` at x2 (``bounds._span``'s ends: each check's
    match moves by whole cents per step of its deferral, so the match at x is exactly ends[0] + (ends[1] -
    ends[0]) (a(x) - a(x1)) / (a(x2) - a(x1))), and the smallest x paying it (None if none). a(x) only rises
    with x, so a rising line's best is at the largest x at most ``top`` (paid first by the smallest x with the
    same deferral) and a falling line's at the smallest such x: a fit of the regular deferral each, instead
    of a span search."""
    first, last = ends

    def amount(deferral: int) -> int:
        return _amount(case, case.pay, deferral, False)

    a1, a2 = amount(x1), amount(x2)
    if first == last or a1 == a2:
        return (first, x1) if first <= top else None

    def match_at(deferral: int) -> int:
        return first + (last - first) * (amount(deferral) - a1) // (a2 - a1)

    if first < last:
        if first > top:
            return None
        # match_at(x) <= top exactly when a(x) - a(x1) <= (top - first) (a2 - a1) / (last - first)
        deferral = x2 if last <= top else _regular_fit(case, a1 + (top - first) * (a2 - a1) // (last - first), x2, 1)
        short = _regular_fit(case, amount(deferral) - 1, deferral, 1)      # (the last x below its deferral)
        return match_at(deferral), x1 if short is None or short < x1 else short + 1
    if last > top:
        return None
    if first <= top:
        return first, x1
    # the first x with a(x) - a(x1) >= (first - top) (a2 - a1) / (first - last), after the last one below it
    least = a1 - (first - top) * (a2 - a1) // (last - first)
    deferral = _regular_fit(case, least - 1, x2, 1) + 1
    return match_at(deferral), deferral


def _spread_bounds(case: _Case, stops: Any, x1: int, x2: int, y1: int, y2: int, first_cut: int, last_cut: int,
                   memo: dict[Any, float] | None = None) -> tuple[float, float]:
    """Bounds (lowest, highest) on the stopped match of every candidate (x, y) in [x1, x2] x [y1, y2] cut at a
    check from ``last_cut`` to ``first_cut``, with concave tiers and bonus checks whose deferrals depend on y
    alone (a separate bonus election, or none on the regular one). ``memo``: the formula per (deferral, match
    pay), kept across the calls of one search.

    A candidate defers exactly the room: every check before last_cut in full (the regular ones a(x) each, the
    bonus ones b(y)), and the rest D = room - n a - B(y) spread over the checks from last_cut to its cut, each
    at most its full deferral. A concave match through 0 lies on or above its chord to any point and on or
    below its first tier's line, so each spread check's match is at least its chord rate at its full deferral
    (least at the largest: a(x2), b(y2)) and at most the first rate R times what it gets: with rho the least
    chord rate of those checks, the match is at least rho room + sum over the full checks of (m(d) - rho d),
    and at most R room + sum of (m(d) - R d). Each such term is concave in its deferral, so its least over the
    box is at an end of the deferral's range, and so is its most (with R, the highest rate, it only falls).
    Every check's rounded match is within half a cent of its formula; in one column (y1 = y2) the bonus
    checks before last_cut are taken at their rounded match, exactly."""
    if memo is None:
        memo = {}

    def raw(deferral: int, match_pay: float) -> float:
        value = memo.get((deferral, match_pay))
        if value is None:
            value = memo[(deferral, match_pay)] = _match_raw(case, deferral, match_pay)
        return value

    low_column = _bonus_column(case, stops, x1, y1)
    high_column = _bonus_column(case, stops, x2, y2)
    a1, a2 = _amount(case, case.pay, x1, False), _amount(case, case.pay, x2, False)
    # The spread checks (regular ones by match-pay group, each group once) at their full deferrals.
    spread = [(stops.group_pays[group], a2) for group, (before, through) in
              enumerate(zip(stops.group_before[last_cut], stops.group_before[first_cut + 1], strict=True))
              if through > before]
    before = []      # (match pay, least and most deferral) of the bonus checks before last_cut
    for position, _, match_pay in stops.bonus_checks:
        if position > first_cut:
            break
        high = high_column[0][position + 1] - high_column[0][position]
        if position >= last_cut:
            spread.append((match_pay, high))
        elif y1 != y2:
            before.append((match_pay, low_column[0][position + 1] - low_column[0][position], high))
    chord, first_rate = math.inf, 0.0
    for match_pay, full in spread:
        if full > 0:
            chord = min(chord, raw(full, match_pay) / full)
            if match_pay > 0:
                first_rate = case.tiers[0][0]      # (concave: the first rate is the highest)
    if chord == math.inf:
        chord = 0.0

    def least(match_pay: float, low: int, high: int) -> float:
        # the least of m(d) - chord d over [low, high]: at an end (concave)
        return min(raw(low, match_pay) - chord * low, raw(high, match_pay) - chord * high)

    def most(match_pay: float, low: int, high: int) -> float:
        # the most of m(d) - first_rate d over [low, high]: at an end (it only falls with the first rate, the
        # highest, and only rises with 0)
        return max(raw(low, match_pay) - first_rate * low, raw(high, match_pay) - first_rate * high)

    lowest = chord * case.room
    highest = first_rate * case.room
    for group, count in enumerate(stops.group_before[last_cut]):
        if count:
            lowest += count * least(stops.group_pays[group], a1, a2)
            highest += count * most(stops.group_pays[group], a1, a2)
    for match_pay, low, high in before:
        lowest += least(match_pay, low, high)
        highest += most(match_pay, low, high)
    if y1 == y2:
        bonus_deferrals, bonus_match = low_column[0][last_cut], low_column[1][last_cut]
        lowest += bonus_match - chord * bonus_deferrals
        highest += bonus_match - first_rate * bonus_deferrals
    slack = 0.5 * (first_cut + 1) + 1e-6
    return lowest - slack, highest + slack


_BOX_WIDTH, _BOX_GAP, _BOX_BUDGET = 8, 4, 48


def _box_bounds(case: _Case, stops: Any, x1: int, x2: int, y1: int, y2: int, corners: Any = None
                ) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """(lowest, highest, halves): bounds on the stopped match of every candidate (x, y) in [x1, x2] x [y1, y2]
    and the two boxes to split it into.

    The cut (the check where the stopped payroll passes the room) only falls as x or y rises, and every
    check's rounded match only grows with its deferral. Where the corners (x1, y1) and (x2, y2) share a cut,
    every candidate has it: the bonus checks before it and the regular ones grow with y and x, the cut check's
    share (what is left of the room) falls with both, so the match lies between the growing parts at (x1, y1)
    with the cut check at (x2, y2) and the other way round. Otherwise, with cuts from c2 to c1, every
    candidate defers fully on the checks before c2 (at least their deferrals at (x1, y1)) and gets no match
    past the check after c1 (at most (x2, y2)'s). A box is split where the cut moves along x at y1 (the
    regular checks before it fit what the room leaves beside y1's bonus checks), or else in half along the
    side where the match moves more. (Elections below the room in a box are no candidates; bounding them too
    only widens the bounds.) ``corners``: :func:`_stop_at` at (x1, y1) and (x2, y2) when the caller has them."""
    if corners is None:
        corners = _stop_at(case, x1, y1), _stop_at(case, x2, y2)
    (cut, regular_low, low_column), (last_cut, regular_high, _) = corners
    # What the high corner's bonus checks defer, even where the stop makes them count for nothing: it bounds the
    # bonus checks of every election in the box, some stopped after them.
    high_column = _bonus_column(case, stops, x2, y2, counted=False)
    split_x = x2 - x1 >= y2 - y1
    if cut == last_cut:
        regular_lowest = _regular_match(case, stops, cut, regular_low)
        regular_highest = _regular_match(case, stops, cut, regular_high)
        split_x = y1 == y2 or (x1 < x2 and regular_highest - regular_lowest
                               >= high_column[1][cut] - low_column[1][cut])
        low = low_column[1][cut] + regular_lowest
        high = high_column[1][cut] + regular_highest
        fixed = case.room - stops.regular_before[cut] * regular_low - low_column[0][cut]
        least = case.room - stops.regular_before[cut] * regular_high - high_column[0][cut]
        if fixed > 0:
            high += _match_cents(case, fixed, stops.match_pays[cut])
        if least > 0:
            low += _match_cents(case, least, stops.match_pays[cut])
    else:
        low = low_column[1][last_cut] + _regular_match(case, stops, last_cut, regular_low)
        high = high_column[1][cut + 1] + _regular_match(case, stops, cut + 1, regular_high)
    if case.true_up and case.tiers:
        low, high = max(low, case.true_up_floor), max(high, case.true_up_floor)
    if cut != last_cut and x1 < x2:
        boundary = _regular_fit(case, case.room - low_column[0][cut], x2, stops.regular_before[cut])
        if boundary is not None and x1 <= boundary < x2:
            return low, high, [(x1, boundary, y1, y2), (boundary + 1, x2, y1, y2)]
    if split_x:
        middle = (x1 + x2) // 2
        return low, high, [(x1, middle, y1, y2), (middle + 1, x2, y1, y2)]
    middle = (y1 + y2) // 2
    return low, high, [(x1, x2, y1, middle), (x1, x2, middle + 1, y2)]


def _boxes_refuted(case: _Case, deferral_first: int, deferral_last: int, bonus_first: int, bonus_last: int,
                   need: int, top: int, budget: int = _BOX_BUDGET) -> bool:
    """Whether no stopped candidate (x, y), x in [x_first, x_last], y in [y_first, y_last], has a match from
    ``need`` to ``top`` (False also after ``budget`` boxes): boxes bounded by :func:`_box_bounds` outside
    [need, top] are dropped, the others split."""
    stops = case.stops or _build_stops(case)
    boxes = [(deferral_first, deferral_last, bonus_first, bonus_last)]
    while boxes:
        x1, x2, y1, y2 = boxes.pop()
        if x1 > x2 or y1 > y2:
            continue
        budget -= 1
        if budget < 0:
            return False
        low, high, halves = _box_bounds(case, stops, x1, x2, y1, y2)
        if high < need or low > top:
            continue
        if x1 == x2 and y1 == y2:
            return False
        boxes += halves
    return True


def _boxes_best(case: _Case, deferral_first: int, deferral_last: int, bonus_first: int, bonus_last: int,
                need: int, top: int, budget: int = 2 * _BOX_BUDGET) -> int:
    """The most stopped match from ``need`` to ``top`` of a candidate (x, y), x in [x_first, x_last], y in
    [y_first, y_last] (need - 1 if none), best bound first (:func:`_box_bounds`); after ``budget`` boxes, the
    most found so far (a candidate's match, so a safe floor for what a column must reach)."""
    stops = case.stops or _build_stops(case)
    best = need - 1
    heap = [(-top, deferral_last - deferral_first + bonus_last - bonus_first,
             deferral_first, deferral_last, bonus_first, bonus_last)]
    while heap and budget > 0:
        negative_high, _, x1, x2, y1, y2 = heapq.heappop(heap)
        if -negative_high <= best:
            break
        budget -= 1
        if x1 == x2 and y1 == y2:
            fill = _regular_fit(case, case.room - _bonus_sum(case, y1), case.max_units)
            if fill is None or x1 > fill:      # a candidate (past the room)
                match = _truncated(case, x1, y1)
                if best < match <= top:
                    best = match
            continue
        low, high, halves = _box_bounds(case, stops, x1, x2, y1, y2)
        high = min(high, top)
        if high <= best or low > top:
            continue
        for part in halves:
            if part[0] <= part[1] and part[2] <= part[3]:
                heapq.heappush(heap, (-high, part[1] - part[0] + part[3] - part[2], *part))
    return best


_SPLIT_BUDGET, _SPLIT_PER_COLUMN = 400, 8


def _matched_edge(case: _Case) -> tuple[_Stops, int] | None:
    """(the payroll stop's checks, the position after the last check with match pay) for the split searches
    (:func:`_split_search`, :func:`_split_column`); None when they do not apply: a true-up, no match, no check
    with plan pay, or no check after the last matched one."""
    stops = case.stops or _build_stops(case)
    if case.true_up or not case.tiers or not stops.plan_pays:
        return None
    matched = [position for position, pay in enumerate(stops.match_pays) if pay > 0]
    if not matched or matched[-1] + 1 >= len(stops.plan_pays):
        return None
    return stops, matched[-1] + 1      # the checks before it hold every matched one


def _split_search(case: _Case, top: int, need: int, first_column: int, later_last: int,
                  boxes: int = _SPLIT_BUDGET) -> tuple[int | None, list[tuple[int, int]]] | None:
    """(match, members): the most stopped match from ``need`` to ``top`` of every candidate (x, y) past the room
    with a separate bonus election (None if none) and the smallest elections paying it (see :func:`_pareto`);
    the candidates are those of :func:`_phase1_exhaustive`'s columns (x up to the largest election in the
    first column y0, up to ``later_last`` in the later ones). None when it does not apply (a true-up, or no
    check after the last matched one) or when its box search has looked at ``boxes`` boxes (then the column
    search takes over).

    Past the last check with match pay (pay capped at §401(a)(17) for the year, pay not in plan pay) no check
    adds match. Where the stopped payroll cuts after those checks (their deferrals fit the room), every
    matched check keeps its whole deferral, so the stopped match is F(x) + G(y): the regular checks' match
    before them at x plus the bonus checks' at y, each rising with its election, whatever the cut. In each
    column the best there is at the largest x whose F(x) fits what §415(c) leaves beside G(y); that x only
    falls as y rises (and so does the largest x whose matched checks fit the room), so one walk down the x
    finds every column's (first, though, the same best by strips of F + G without a look at every column, where
    they can say: :func:`_part_one_strips`). The other candidates are cut at a matched check or before it: a
    best-first search over boxes of them (:func:`_cut_bounds`, the cut at most the last matched check), from the
    best of the first part on, keeping ties (a box that can only tie and whose least elections a tie dominates
    is dropped)."""
    found = _matched_edge(case)
    if found is None:
        return None
    stops, edge = found
    count = stops.regular_before[edge]
    room, last = case.room, case.bonus_max_units
    if case.bonus_sums is None or (not case.dollars and case.regular_amounts is None):
        _build_tables(case)
    bonus_sums, amounts = case.bonus_sums, case.regular_amounts
    pay_cents = round(case.pay * 100)

    def fit(per_check: int, cap: int) -> int:
        """The largest regular election up to ``cap`` whose check defers at most ``per_check`` (-1: none)."""
        if amounts is not None:
            return bisect.bisect_right(amounts, per_check, 0, cap + 1) - 1
        return cap if pay_cents <= per_check else min(cap, per_check // 100)    # whole dollars
    # The bonus checks among the matched ones, alike ones (pay and match pay) once with their count: their
    # deferrals at every bonus election, and their sum.
    alike: dict[tuple[float, float], int] = {}
    for position in range(edge):
        if not stops.regular[position]:
            key = (stops.plan_pays[position], stops.match_pays[position])
            alike[key] = alike.get(key, 0) + 1
    tables = _bonus_tables(case)
    early = [(_bonus_table(case, plan_pay, tables), match_pay, count, _tier_lines(case, match_pay), plan_pay)
             for (plan_pay, match_pay), count in alike.items()]
    early_sums = _early_sums(case, stops, edge, early, tables)
    regular_match: dict[int, int] = {}

    def early_match(deferral: int) -> int:
        value = regular_match.get(deferral)
        if value is None:
            amount = amounts[deferral] if amounts is not None else _amount(case, case.pay, deferral, False)
            value = regular_match[deferral] = _regular_match(case, stops, edge, amount)
        return value

    # Part one: the candidates whose matched checks fit the room, column by column: x from the first past the
    # room (the regular checks' table fits what the bonus checks leave) to the last whose matched checks fit it.
    best = need - 1
    column_best: list[tuple[int, int, int, int]] = []      # (match, y, x, smallest x of the column)
    pointer = case.max_units
    n = case.n_regular

    bonus_match: dict[int, int] = {}      # (part one's cells and bisections ask for the same columns again)

    def early_bonus(bonus_deferral: int) -> int:
        total = bonus_match.get(bonus_deferral)
        if total is None:
            total = 0
            for table, match_pay, count, lines, _ in early:
                total += count * _line_cents(case, lines, table[bonus_deferral], match_pay)
            bonus_match[bonus_deferral] = total
        return total

    found = _part_one_strips(case, stops, edge, early, (first_column, later_last), top, need, early_match,
                             early_bonus)
    regions = [(0, case.max_units, first_column, first_column)]
    if first_column < last:
        regions.append((0, later_last, first_column + 1, last))
    if isinstance(found, int):
        # No candidate of part one pays from that level to the top: where one of part two does, the best of
        # them is the best of all, and part one's below it need not be worked out (a walk over every column).
        level = found
        searched = _cut_search(case, stops, edge, regions, top, level, level - 1, [], boxes)
        if searched is None or searched[0] is not None:
            return searched
        top, found = level - 1, None      # (none of either part pays from the level up)
    bonus_deferral = first_column - 1 if found is None else last
    if found is not None:
        best, ties = found
    while bonus_deferral < last:
        bonus_deferral += 1
        cap = case.max_units if bonus_deferral == first_column else later_last
        if bonus_deferral == first_column + 1:
            if later_last < 0:
                break      # no regular election in the later columns
            # A later column pays at most F(x_last) + G(y) here, which only grows with y: the columns before
            # the first where that reaches what is needed are skipped at once.
            floor = max(best, need) - early_match(later_last)
            skip = _largest(lambda units, floor=floor: early_bonus(units) < floor, bonus_deferral, last)
            if skip is not None:
                bonus_deferral = skip
                continue
        left = room - (early_sums[bonus_deferral] if early_sums else 0)
        if left < 0:
            break      # the matched checks pass the room at every x, here and in the later columns
        high = fit(left // count, cap) if count else cap
        pointer = min(pointer, high)
        left = room - bonus_sums[bonus_deferral]
        low = 0 if left < 0 else fit(left // n, case.max_units) + 1
        if pointer < low:
            continue
        early_bonus_match = early_bonus(bonus_deferral)
        most = top - early_bonus_match
        while pointer >= low and early_match(pointer) > most:
            pointer -= 1
        if pointer < low:
            continue
        match = early_match(pointer) + early_bonus_match
        if match >= max(best, need):
            best = match
            column_best.append((match, bonus_deferral, pointer, low))
    if found is None:
        ties = []
    for match, bonus_deferral, deferral, low in column_best:
        if match == best:
            # The smallest x of the column paying it: F only rises with x.
            floor = early_match(deferral)
            short = _largest(lambda units, floor=floor: early_match(units) < floor, low, deferral)
            ties.append((low if short is None else short + 1, bonus_deferral))
    ties = _pareto(ties)
    # Part two: the candidates cut at a matched check or before it.
    return _cut_search(case, stops, edge, regions, top, need, best, ties, boxes)


_PART_ONE_CELLS = 256


def _early_sums(case: _Case, stops: Any, edge: int, early: list[Any], tables: dict[float, list[int]]
                ) -> list[int] | None:
    """For :func:`_split_search`: the deferrals of the bonus checks before ``edge`` (``early``: their tables,
    match pay and count, alike ones once) at every bonus election (None: none). Every bonus check's sum (the
    case's table, see _build_tables) less those after the edge, when those are fewer: a subtraction per table
    instead of a sum per election of them all (whole cents: the same sums)."""
    if not early:
        return None
    later = [stops.plan_pays[position] for position in range(edge, len(stops.plan_pays))
             if not stops.regular[position]]
    if case.bonus_sums is not None and len(later) < sum(count for _, _, count, _, _ in early):
        sums = case.bonus_sums
        for plan_pay in later:
            sums = list(map(operator.sub, sums, _bonus_table(case, plan_pay, tables)))
        return sums
    weighted = [table if count == 1 else [count * amount for amount in table] for table, _, count, _, _ in early]
    return list(map(sum, zip(*weighted, strict=True)))


def _part_one_strips(case: _Case, stops: Any, edge: int, early: list[Any], columns: tuple[int, int], top: int,
                     need: int, early_match: Any, early_bonus: Any) -> tuple[int, list[tuple[int, int]]] | int | None:
    """For :func:`_split_search`, part one by strips: (best, smallest elections paying it) of the candidates whose
    matched checks fit the room (best need - 1 and none when none pays from ``need`` to ``top``); None when the
    strips cannot say (then the walk over the columns does), or a level L above ``need`` when they can say only
    that none pays from L to ``top`` (the bands above the one they could not work out were empty).

    There the match is F(x) + G(y), the matched regular checks' at a(x) and the matched bonus checks' at y
    (``early``: their tables, match pay, count, tier lines and pay; ``early_match``, ``early_bonus``: F and G).
    Split where a check crosses a tier edge, each part has F + G within the checks' rounding of a line in a(x)
    and the b_i(y): the elections paying from a level to the top lie in a strip (:func:`_strip_weights`). Bands
    from the top down, each wider: the first holding a candidate holds the best and every election paying it.
    Where F is flat in x (every regular check past its last tier edge) the band is a run of columns, each
    paid first by its smallest election (then the smallest x of the part a candidate)."""
    first_column, later_last = columns
    last = case.bonus_max_units
    if case.bonus_sums is None or (not case.dollars and case.regular_amounts is None):
        _build_tables(case)
    scale = _strip_scale(case, case.max_units)
    if scale is None or not case.tiers:
        return None
    amounts, bonus_sums, room, n = case.regular_amounts, case.bonus_sums, case.room, case.n_regular
    pay_cents = round(case.pay * 100)

    def amount(deferral: int) -> int:
        return amounts[deferral] if amounts is not None else min(100 * deferral, pay_cents)

    count = stops.regular_before[edge]
    groups = [(pay, number) for pay, number in zip(stops.group_pays, stops.group_before[edge], strict=True)
              if number and pay > 0]
    # Where the regular checks cross a tier edge (the last x at or below it) and each bonus check does.
    x_cuts = set()
    for pay, _ in groups:
        for start, _, _, _ in _tier_lines(case, pay)[1:]:
            if amounts is not None:
                x_cuts.add(bisect.bisect_right(amounts, math.floor(start)) - 1)
            else:
                x_cuts.add(math.floor(start / 100))
    y_cuts = set()
    for table, _, _, lines, _ in early:
        for start, _, _, _ in lines[1:]:
            y_cuts.add(bisect.bisect_right(table, math.floor(start)) - 1)
    slack = 0.01 + 0.5 * (count + sum(number for _, _, number, _, _ in early))
    parts = [(first_column, first_column, case.max_units)]
    if first_column < last and later_last >= 0:
        parts.append((first_column + 1, last, later_last))
    rects = []
    for y_first, y_last, cap in parts:
        xs = sorted({-1, cap, *(x for x in x_cuts if 0 <= x < cap)})
        ys = sorted({y_first - 1, y_last, *(y for y in y_cuts if y_first <= y < y_last)})
        for x1, x2 in zip(xs, xs[1:], strict=False):
            for y1, y2 in zip(ys, ys[1:], strict=False):
                rects.append((x1 + 1, x2, y1 + 1, y2))
    lines = []
    # (the regular checks' part of a rectangle's line depends on its x only, the bonus checks' on its y only:
    # each worked out once per stretch of x and of y, not once per rectangle)
    x_parts: dict[tuple[int, int], tuple[float, float]] = {}
    y_parts: dict[tuple[int, int], tuple[list[Any], list[float]]] = {}
    for x1, x2, y1, y2 in rects:
        x_part = x_parts.get((x1, x2))
        if x_part is None:
            a1, a2 = amount(x1), amount(x2)
            alpha = constant = 0.0
            for pay, number in groups:
                piece = _piece(case, pay, a1, a2)
                if piece is None:
                    return None
                alpha += number * piece[1]
                constant += number * (piece[0] - piece[1] * a1)
            x_part = x_parts[x1, x2] = (alpha, constant)
        y_part = y_parts.get((y1, y2))
        if y_part is None:
            weights, terms = [], []
            for table, match_pay, number, _, plan_pay in early:
                piece = _piece(case, match_pay, table[y1], table[y2])
                if piece is None:
                    return None
                weights.append((plan_pay, number * piece[1], table))
                terms.append(number * (piece[0] - piece[1] * table[y1]))
            y_part = y_parts[y1, y2] = (weights, terms)
        alpha, constant = x_part
        for term in y_part[1]:
            constant += term      # (in the same order as ever: the same floats)
        lines.append(((x1, x2, y1, y2), alpha, constant, y_part[0]))
    # What each rectangle needs in every band, worked out once (none of it depends on the band): its kind, a
    # one-column part's cells (they depend on the top only) and a strip's weights summed (see _strip_weights:
    # None, no strip).
    kinds: list[Any] = []
    for box, alpha, _, weights in lines:
        x1, x2, y1, y2 = box
        if -1e-12 < alpha < 1e-12:
            kinds.append(None)
            continue
        if y1 == y2:
            # One column: F only rises with x, so its best is at the largest x whose F fits beside G, paid
            # first by the smallest x with that F.
            # (its candidates: past the room, and the matched checks within it)
            left = room - bonus_sums[y1]
            least = _regular_fit(case, left, case.max_units, n) if left >= 0 else -1
            first = max(x1, 0 if least is None else least + 1)
            left = room - sum(number * table[y1] for table, _, number, _, _ in early)
            fill = _regular_fit(case, left, x2, count) if count else x2
            most = top - early_bonus(y1)
            fit = None if fill is None or fill < first else _largest(
                lambda x, most=most: early_match(x) <= most, first, fill)
            column_cells = []
            if fit is not None:
                short = _largest(lambda x, fit=fit: early_match(x) < early_match(fit), first, fit)
                column_cells = [(fit, y1), (first if short is None else short + 1, y1)]
            kinds.append((0, column_cells))
            continue
        strip = [(plan_pay, weight) for plan_pay, weight, _ in weights]
        kinds.append((1 if all(-1e-12 < weight < 1e-12 for _, weight in strip) else 2, _strip_weights(scale, strip)))
    high, width = top, 64
    while True:
        given_up = None if high == top else high + 1      # (the bands above held no candidate)
        low = max(need, high - width + 1)
        cells: list[tuple[int, int]] = []
        for (box, alpha, constant, weights), kind in zip(lines, kinds, strict=True):
            if kind is None:
                # F the same across the part: the columns whose G reaches the band (G only rises with y), each
                # paid first by its smallest candidate.
                def model(y: int, weights: Any = weights, constant: float = constant) -> float:
                    return constant + sum(weight * table[y] for _, weight, table in weights)
                x1, x2, y1, y2 = box
                below = _largest(lambda y, model=model, low=low: model(y) + slack < low, y1, y2)
                above = _largest(lambda y, model=model, high=high: model(y) - slack <= high, y1, y2)
                first_y = y1 if below is None else below + 1
                if above is None or first_y > above:
                    continue
                if above - first_y > _PART_ONE_CELLS:
                    return given_up
                for y in range(first_y, above + 1):
                    left = room - bonus_sums[y]
                    least = 0 if left < 0 else _regular_fit(case, left, case.max_units, n)
                    least = 0 if least is None else least + 1
                    cells.append((max(x1, least), y))
                continue
            if kind[0] == 0:
                cells += kind[1]
                continue
            summed = kind[1]
            if summed is None:
                return given_up
            x1, x2, y1, y2 = box
            if kind[0] == 1:
                # G the same across the part: the strip's x in one column, each paid first by its smallest
                # column past the room (the bonus checks' sums only grow with y).
                found = _strip_line(scale, alpha, *summed, constant, slack, low, high, (x1, x2, y1, y1),
                                    _PART_ONE_CELLS)
                if found is None:
                    return given_up
                for _, x, _ in found:
                    short = _largest(lambda y, x=x: n * amount(x) + bonus_sums[y] <= room, y1, y2)
                    if short is None or short < y2:
                        cells.append((x, y1 if short is None else short + 1))
                continue
            found = _strip_line(scale, alpha, *summed, constant, slack, low, high, box, _PART_ONE_CELLS)
            if found is None:
                return given_up
            cells += [(x, y) for _, x, y in found]
            if len(cells) > _PART_ONE_CELLS:
                return given_up
        best, ties = need - 1, []
        early_sums = None
        for x, y in cells:
            regular = amount(x)
            if x > (case.max_units if y == first_column else later_last) or n * regular + bonus_sums[y] <= room:
                continue      # (not a candidate of these columns, or below the room)
            if early_sums is None:
                early_sums = {}
            matched = early_sums.get(y)
            if matched is None:
                matched = early_sums[y] = sum(number * table[y] for table, _, number, _, _ in early)
            if count * regular + matched > room:
                continue      # cut at a matched check or before it: part two's
            match = early_match(x) + early_bonus(y)
            if low <= match <= high and match >= best:
                if match > best:
                    best, ties = match, []
                ties.append((x, y))
        if ties:
            return best, _pareto(ties)
        if low <= need:
            return need - 1, []
        high, width = low - 1, 8 * width


def _split_column(case: _Case, top: int, need: int, boxes: int = _SPLIT_BUDGET
                  ) -> tuple[int | None, list[tuple[int, int]]] | None:
    """:func:`_split_search` when the bonus checks take the regular election (one column, y = 0): where the cut
    falls after the last matched check, the stopped match is the matched checks' at x, F(x), which only rises
    with x: the best there is at the largest x whose matched checks fit the room and whose F fits ``top`` (two
    bisections), paid first by the smallest x with the same F; the candidates cut at a matched check or before
    it go to the box search (:func:`_cut_search`)."""
    found = _matched_edge(case)
    if found is None:
        return None
    stops, edge = found
    room = case.room
    early = [(stops.plan_pays[position], stops.match_pays[position]) for position in range(edge)
             if not stops.regular[position]]

    known: dict[int, tuple[int, int]] = {}      # (the bisections below ask for the same elections again)

    def matched_checks(deferral: int) -> tuple[int, int]:
        """(deferrals, match) of the checks before ``edge`` at regular election x (bonus checks on it too)."""
        value = known.get(deferral)
        if value is not None:
            return value
        units, bonus = _bonus_units(case, deferral, 0)
        regular = _amount(case, case.pay, deferral, False)
        deferrals, match = stops.regular_before[edge] * regular, _regular_match(case, stops, edge, regular)
        for plan_pay, match_pay in early:
            amount = _amount(case, plan_pay, units, bonus)
            deferrals += amount
            match += _match_cents(case, amount, match_pay)
        value = known[deferral] = deferrals, match
        return value

    best, ties = need - 1, []
    fill = _one_column_fill(case, room)
    low = 0 if fill is None else fill + 1
    # As for the room's fill (_one_column_fill): about the room over the matched checks' share per step.
    per_step = 100 * stops.regular_before[edge] if case.dollars else 100 * case.unit * (
        stops.regular_before[edge] * case.pay + sum(plan_pay for plan_pay, _ in early))
    high = _largest_near(lambda deferral: matched_checks(deferral)[0] <= room, low, case.max_units,
                         int(room / per_step) if per_step > 0 else case.max_units) if low <= case.max_units else None
    if high is not None:
        fit = high if matched_checks(high)[1] <= top else _largest(
            lambda deferral: matched_checks(deferral)[1] <= top, low, high - 1)
        if fit is not None and matched_checks(fit)[1] >= need:
            best = matched_checks(fit)[1]
            short = _largest(lambda deferral: matched_checks(deferral)[1] < best, low, fit)
            ties = [(low if short is None else short + 1, 0)]
    # The others: x past the last whose matched checks fit the room (and past the room).
    start = low if high is None else high + 1
    return _cut_search(case, stops, edge, [(start, case.max_units, 0, 0)], top, need, best, ties, boxes)


def _cut_search(case: _Case, stops: Any, edge: int, regions: list[tuple[int, int, int, int]], top: int, need: int,
                best: int, ties: list[tuple[int, int]], boxes: int) -> tuple[int | None, list[tuple[int, int]]] | None:
    """For :func:`_split_search`: the most stopped match from ``need`` to ``top`` of the candidates in the boxes
    ``regions`` cut at check ``edge - 1`` or before it, or ``best`` if more, and the smallest elections paying
    it (``ties``, those paying ``best``, included); best bound first (:func:`_cut_bounds`), keeping ties (a box
    that can at most tie and whose least elections a tie dominates is dropped). None after ``boxes`` boxes.
    With a separate bonus election, a box of up to _FLAT_CUTS cuts whose bounds cannot drop it is settled at
    once where every check before its cuts stays on one tier line (split at a tier edge first): its cells that
    can pay from the best to the top come from :func:`_flat_cells`, each worked out."""
    spent = 0
    chords = _rounding(case, stops) if _concave(case) else None
    flat = None      # (the checks' rounding, as the chords have it)
    if case.separate and case.bonus_events:
        flat = chords if chords is not None else _rounding(case, stops)
    tables = _bonus_tables(case)
    heap = [(-top, order, *region) for order, region in enumerate(regions)]
    while heap:
        negative_high, _, x1, x2, y1, y2 = heapq.heappop(heap)
        floor = max(best, need)
        if -negative_high < floor:
            break
        if x1 > x2 or y1 > y2 or (-negative_high == best and any(x <= x1 and y <= y1 for x, y in ties)):
            continue      # (a box that can at most tie, whose least elections a tie dominates)
        spent += 1
        if spent > boxes:
            return None
        ceiling = -negative_high      # (a bound on the match of every election in the box)
        if x1 == x2 and y1 == y2:
            cells: Any = ((ceiling, x1, y1),)
        else:
            # (the stop at the box's corners: for its bounds and its flat cells alike)
            corners = _stop_at(case, x1, y1), _stop_at(case, x2, y2)
            found = None
            if flat is not None:
                (first_cut, a1, low_column), (last_cut, a2, high_column) = corners
                first_cut = min(first_cut, edge - 1)
                if last_cut <= first_cut < last_cut + _FLAT_CUTS:
                    found = _flat_cells(case, stops, (x1, x2, y1, y2), (last_cut, first_cut), (a1, a2),
                                        (low_column, high_column), floor, top, flat, tables)
            if found is not None and found[0]:
                # Settled: each cell has its own bound, from the box's lines, so the box's bounds would only
                # drop what the cells' do (the most promising first: the best they raise drops the others
                # sooner; the smallest x first among equals).
                cells = found[1]
                cells.sort(key=lambda cell: (-cell[0], cell[1]))
            else:
                low, high, halves = _cut_bounds(case, stops, x1, x2, y1, y2, edge - 1, chords, top, floor, corners)
                high = min(high, top)
                if high < floor or low > top:
                    continue
                for part in halves if found is None else found[1]:
                    heapq.heappush(heap, (-high, part[1] - part[0] + part[3] - part[2], *part))
                continue
        for most, x, y in cells:
            if min(most, ceiling) < max(best, need):
                break      # (nor can the later ones)
            if min(most, ceiling) <= best and any(x_tie <= x and y_tie <= y for x_tie, y_tie in ties):
                continue      # (at most a tie, which a tie dominates)
            if _planned(case, x, y)[0] <= case.room:
                continue      # below the room
            cut, regular, column = _stop_at(case, x, y)
            if cut >= edge:
                continue      # cut past the matched checks (part one's)
            match = _stopped_match(case, stops, regular, cut, column)
            if max(best, need) <= match <= top:
                if match > best:
                    best, ties = match, []
                ties = _pareto([*ties, (x, y)])
    if best < need:
        return None, []
    return best, ties


def _piece(case: _Case, match_pay: float, lowest: int, highest: int) -> tuple[float, float] | None:
    """(unrounded match at ``lowest``, slope) of a check's match over deferrals [lowest, highest] (cents) when no
    tier edge lies strictly inside (then it is that line there), else None. Remembered per case (in
    ``case.bands``): part one asks for each part of its grid's rows and columns again in every rectangle, and
    the flat boxes for the same checks' deferrals box after box."""
    if match_pay <= 0:
        return 0.0, 0.0
    pieces = case.bands.get("pieces")
    if pieces is None:
        pieces = case.bands["pieces"] = {}
    key = (match_pay, lowest, highest)
    if key in pieces:
        return pieces[key]
    edges = case.bands.get(match_pay)
    if edges is None:
        edges = case.bands[match_pay] = pay_edges(match_pay, case.tiers)
    for _, start, end in edges:
        if lowest < start * 100 < highest or lowest < end * 100 < highest:
            pieces[key] = None
            return None
    piece = pieces[key] = _line(case, match_pay, lowest, highest)
    return piece


def _crossed(case: _Case, match_pay: float, lowest: int, highest: int) -> list[float]:
    """The tier edges of a check (cents) strictly inside [lowest, highest]."""
    if match_pay <= 0:
        return []
    edges = case.bands.get(match_pay)
    if edges is None:
        edges = case.bands[match_pay] = pay_edges(match_pay, case.tiers)
    return [value for _, start, end in edges for value in (start * 100, end * 100) if lowest < value < highest]


def _line(case: _Case, match_pay: float, lowest: int, highest: int) -> tuple[float, float]:
    """(unrounded match at ``lowest``, slope) of the chord of a check's match over [lowest, highest] (cents)."""
    value = _match_raw(case, lowest, match_pay)
    if highest <= lowest:
        return value, 0.0
    return value, (_match_raw(case, highest, match_pay) - value) / (highest - lowest)


_FLAT_CELLS, _FLAT_CUTS = 64, 64


def _first_multiple(step: int, modulus: int, low: int, high: int) -> int | None:
    """The smallest j >= 0 with low <= (step j) mod modulus <= high, for 0 <= low <= high < modulus (None: none).

    Euclid's way: if no multiple of the step lies in [low, high], a j = modulus y + r with r there needs
    (modulus y) mod step in [(-high) mod step, (-low) mod step], the same question on (modulus mod step, step);
    the least such y gives the least j, ceil((low + modulus y) / step)."""
    if low == 0:
        return 0
    step %= modulus
    if step == 0:
        return None
    multiple = -(-low // step)
    if step * multiple <= high:
        return multiple
    wraps = _first_multiple(modulus % step, step, -high % step, -low % step)
    if wraps is None:
        return None
    return -(-(low + modulus * wraps) // step)


def _strip_cells(a: int, c: int, low: int, high: int, box: tuple[int, int, int, int], limit: int
                 ) -> list[tuple[int, int]] | None:
    """The cells (x, y) of ``box`` with low <= a x + c y <= high (integers), column by column, jumping from one
    column holding one to the next (:func:`_first_multiple`); None when more than ``limit``, or when the strip
    is as wide as a nonzero step of x (then nearly every column holds one)."""
    x1, x2, y1, y2 = box
    if a < 0 or (a == 0 and c < 0):
        a, c, low, high = -a, -c, -high, -low
    if a == 0:
        # The same in every row: every x of the columns with low <= c y <= high (all of them when c = 0).
        ys = range(y1, y2 + 1) if c == 0 else range(max(y1, -(-low // c)), min(y2, high // c) + 1)
        if c == 0 and not low <= 0 <= high or not ys:
            return []
        if len(ys) * (x2 - x1 + 1) > limit:
            return None
        return [(x, y) for y in ys for x in range(x1, x2 + 1)]
    width = high - low
    if width >= a:
        return None
    # Only the columns where the strip crosses [x1, x2]: a x1 - high <= -c y... i.e. low - a x2 <= c y <= high - a x1.
    if c > 0:
        y1, y2 = max(y1, -(-(low - a * x2) // c)), min(y2, (high - a * x1) // c)
    elif c < 0:
        y1, y2 = max(y1, -(-(high - a * x1) // c)), min(y2, (low - a * x2) // c)
    else:      # the same x in every column
        xs = range(max(x1, -(-low // a)), min(x2, high // a) + 1)
        if len(xs) * (y2 - y1 + 1) > limit:
            return None
        return [(x, y) for y in range(y1, y2 + 1) for x in xs]
    cells: list[tuple[int, int]] = []
    y = y1
    while y <= y2:
        rest = (c * y - low) % a      # a x - (low - c y) for the least x with a x + c y >= low
        if rest > width:
            jump = _first_multiple(c % a, a, a - rest, a - rest + width)
            if jump is None:
                break
            y += jump
            if y > y2:
                break
        x = -(-(low - c * y) // a)
        while x <= x2 and a * x + c * y <= high:
            if x >= x1:
                cells.append((x, y))
            x += 1
        if len(cells) > limit:
            return None
        y += 1
    return cells


_SCALES = (1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 200, 1000)


def _strip_scale(case: _Case, deferral_last: int) -> tuple[int, int, int] | None:
    """(D, what 1,000 a(x) grows by per regular election, the bonus election's step in thousandths of pay) for
    :func:`_strip_weights`: D the least of
    _SCALES making every tier rate whole (None: none does, the pay is not whole cents, or whole-dollar elections
    reach the pay by ``deferral_last``, where a(x) stops growing). All but that last test is the case's own:
    worked out once per case (every flat box asks)."""
    known = case.bands.get("strip scale")
    if known is None:
        known = case.bands["strip scale"] = _case_strip_scale(case)
    scale, pay_cents = known
    if scale is None:
        return None
    if case.dollars:
        return (scale, 100_000, case.bonus_k) if 100 * deferral_last <= pay_cents else None
    if abs(case.pay * 100 - pay_cents) > 1e-6:
        return None
    return scale, pay_cents * case.unit_k, case.bonus_k


def _case_strip_scale(case: _Case) -> tuple[int | None, int]:
    """For :func:`_strip_scale`: (D, or None when no scale makes every tier rate whole; the pay in cents)."""
    pay_cents = round(case.pay * 100)
    for scale in _SCALES:
        if all(abs(rate * scale - round(rate * scale)) < 1e-9 for rate, _, _ in case.tiers):
            return scale, pay_cents
    return None, pay_cents


def _strip_weights(scale: tuple[int, int, int], weights: list[tuple[float, float]]) -> tuple[int, float] | None:
    """For a strip (:func:`_strip_line`: the cells (x, y) of a box whose match, within a slack of constant +
    alpha a(x) + sum w_i b_i(y), can be from a floor to a top): (the sum of w_i D x q_i, the sum of |w_i|) of the
    bonus checks' ``weights`` (each one's plan pay and w_i; q_i its pay in cents), or None when a w_i D is not
    whole or a pay not whole cents (then no strip).

    a(x) is pay x k x x / 1000 rounded to the cent and each b_i(y) its bonus's pay x k' x y / 1000 rounded: each
    within half a cent (and a thousandth) of that line. So a candidate's 1,000 D (alpha p x + sum w_i q_i y), with
    alpha D and the w_i D whole, lies within 1,000 D (half a cent and a thousandth x (|alpha| + sum |w_i|)) of
    1,000 D (match - constant): integers a x + c y in a band (and a cent more for the floats)."""
    unit = scale[0]
    per_y, spread = 0, 0.0
    for plan_pay, weight in weights:
        whole_weight = round(weight * unit)
        pay_cents = round(plan_pay * 100)
        if abs(weight * unit - whole_weight) > 1e-6 or abs(plan_pay * 100 - pay_cents) > 1e-6:
            return None
        per_y += whole_weight * pay_cents
        spread += abs(weight)
    return per_y, spread


def _strip_line(scale: tuple[int, int, int], alpha: float, per_y: int, spread: float, constant: float,
                slack: float, floor: int, top: int, box: tuple[int, int, int, int], limit: int
                ) -> list[tuple[float, int, int]] | None:
    """The cells (x, y) of ``box`` whose match on one cut and tier stretch, within ``slack`` of constant +
    alpha a(x) + sum w_i b_i(y), can be from ``floor`` to ``top``, each with a bound on its match, as (bound, x, y);
    None when :func:`_strip_cells` cannot say (or alpha D is not whole). The bonus checks' part summed (see
    :func:`_strip_weights`): ``per_y`` the sum of w_i D x q_i (q_i their pay in cents), ``spread`` at least the
    sum of |w_i|."""
    unit, per_x, bonus_k = scale
    whole_alpha = round(alpha * unit)
    if abs(alpha * unit - whole_alpha) > 1e-6:
        return None
    margin = 0.501 * (abs(alpha) + spread) + 1.0
    per_x, per_y, to_cents = whole_alpha * per_x, per_y * bonus_k, 1000 * unit
    cells = _strip_cells(per_x, per_y, math.floor(to_cents * (floor - slack - constant - margin)),
                         math.ceil(to_cents * (top + slack - constant + margin)), box, limit)
    if cells is None:
        return None
    most = constant + margin + slack
    return [(most + (per_x * x + per_y * y) / to_cents, x, y) for x, y in cells]


def _cut_rows(regular: int, counts: tuple[int, int], tables: tuple[list[Any], list[Any]], room: int,
              stretch: tuple[float, float], columns: tuple[int, int]) -> range:
    """For :func:`_flat_cells`: the bonus elections y in ``columns`` where regular checks deferring ``regular``
    are cut at a check with ``counts`` regular checks before it and through it, what the bonus checks before
    it (``tables``: theirs, and the cut check's own when a bonus one) and the regular ones leave of the room
    on ``stretch``: n a + B(y) <= room - start, n a + B(y) >= room - end, n' a + B'(y) > room. B and B' only
    grow with y: a range, by two bisections and one."""
    n, n_next = counts
    before_tables, at_tables = tables
    start, end = stretch
    y1, y2 = columns

    def before(y: int) -> int:
        return n * regular + sum(table[y] for table in before_tables)

    def after(y: int) -> int:
        return before(y) + (n_next - n) * regular + sum(table[y] for table in at_tables)

    last = _largest(lambda y: before(y) <= room - start, y1, y2)
    if last is None:
        return range(0)
    short = _largest(lambda y: before(y) < room - end, y1, last)
    first = y1 if short is None else short + 1
    short = _largest(lambda y: after(y) <= room, first, last)
    first = first if short is None else short + 1
    return range(first, last + 1)


def _flat_checks(case: _Case, stops: Any, tables: dict[float, list[int]]
                 ) -> tuple[list[int], list[list[int] | None], list[Any]]:
    """For :func:`_flat_cells`, per check in date order (the case's own, worked out once: every flat box asks):
    its match-pay group among the regular checks' (-1: a bonus check), its bonus table (:func:`_bonus_table`;
    None: a regular check) and its tier lines (:func:`_tier_lines`)."""
    known = case.bands.get("flat checks")
    if known is None:
        groups = [stops.group_pays.index(match_pay) if regular else -1
                  for regular, match_pay in zip(stops.regular, stops.match_pays, strict=True)]
        bonus_tables = [None if regular else _bonus_table(case, plan_pay, tables)
                        for regular, plan_pay in zip(stops.regular, stops.plan_pays, strict=True)]
        lines = [_tier_lines(case, match_pay) for match_pay in stops.match_pays]
        known = case.bands["flat checks"] = (groups, bonus_tables, lines)
    return known


def _flat_cells(case: _Case, stops: Any, box: tuple[int, int, int, int], cuts: tuple[int, int],
                regular: tuple[int, int], columns: tuple[Any, Any], floor: int, top: int, rounding: Any,
                tables: dict[float, list[int]]) -> tuple[bool, list[Any]] | None:
    """For :func:`_cut_search` with a separate bonus election: the cells (x, y) of a box whose candidates the
    stop cuts at checks ``cuts`` (the least and the most) that can pay from ``floor`` to ``top``, when every
    regular and bonus check before the most cut keeps its deferral on one tier line in the box (``regular``:
    the regular checks' deferrals at x1 and x2, ``columns``: the bonus columns at y1 and y2), as (True, cells);
    (False, the parts) when one crosses a tier edge there, split where it does (a regular check: at its first
    edge; bonus checks: at every edge each of them crosses, in one call); None past _FLAT_CELLS cells and one
    per column (or when an edge cannot split the box).

    There the unrounded match of a candidate cut at check c is linear in the deferrals of the checks before
    it, a(x) on each regular check and b_i(y) on each bonus check, plus the cut check's on what is left of the
    room, room - n a(x) - B(y) (B: the bonus checks' sum), a line in a(x) on each of the cut check's tier
    stretches; each rounded check is at most half a cent from it (none when whole cents on every deferral it
    can get, see :func:`_rounding`). Those paying from floor to top lie within that slack of each line's band:
    where the rates and pays are whole in a common unit, a strip of integers a x + c y whose cells are found
    without a look at every column (:func:`_strip_weights`); else, in each column y, the candidates cut at c have
    a(x) from where check c+1 passes the room to where check c does, and the band is a range of a(x) (one
    bisection each way in the rising table of a(x)). Where the stop moves the match in big steps (past a
    §401(a)(17) cap: n checks' deferral per regular election), a column holds one such election or none: the box
    is settled at once instead of being split down to the elections along §415(c)'s level line."""
    x1, x2, y1, y2 = box
    a1, a2 = regular
    least_cut, most_cut = cuts
    low_column, high_column = columns
    cut_rounding, bonus_rounding, group_rounding = rounding[:3]
    room = case.room
    regular_before = stops.regular_before
    if case.regular_amounts is None and not case.dollars:
        _build_tables(case)
    amounts = case.regular_amounts
    # Per position up to the most cut: the line of each check before it (all on one tier line in the box).
    constant, slack = 0.0, 0.01      # (a hundredth of a cent for the floats)
    regular_slope = 0.0
    group_lines: list[Any] = [None] * len(stops.group_pays)
    bonus_low, bonus_high = low_column[0], high_column[0]
    lines_before: list[tuple[float, float, float]] = []      # per cut in range: (constant, regular slope, slack)
    bonus_lines: list[tuple[list[int], float, int, float]] = []      # (table, slope, the first cut after it, pay)
    # (per check, the case's own: its match-pay group (-1: a bonus check), bonus table and tier lines)
    groups_at, tables_at, tier_lines_at = _flat_checks(case, stops, tables)
    middles: set[int] = set()      # (where the bonus checks cross tier edges: the box is split there)
    known_pieces = case.bands.get("pieces") or {}
    match_pays, plan_pays = stops.match_pays, stops.plan_pays
    for position in range(most_cut + 1):
        if position >= least_cut:
            lines_before.append((constant, regular_slope, slack + cut_rounding[position]))
        match_pay = match_pays[position]
        group = groups_at[position]
        if position == most_cut:
            if group < 0:      # (its deferral only counts in the sums, for where the cut is)
                bonus_lines.append((tables_at[position], 0.0, position + 1, plan_pays[position]))
            break
        if group >= 0:
            if group_lines[group] is None:
                group_lines[group] = _piece(case, match_pay, a1, a2)
                if group_lines[group] is None:
                    # Split where the regular checks cross a tier edge: at each of this group's edges in the box
                    # at once (a part per stretch, not one split per box; another group's edges, in the parts).
                    splits = set()
                    for edge_cents in _crossed(case, match_pay, a1, a2):
                        if amounts is not None:
                            middle = bisect.bisect_right(amounts, math.floor(edge_cents), x1, x2 + 1) - 1
                        else:
                            middle = min(x2, math.floor(edge_cents / 100))
                        if x1 <= middle < x2:
                            splits.add(middle)
                    if not splits:
                        return None
                    parts, low = [], x1
                    for middle in sorted(splits):
                        parts.append((low, middle, y1, y2))
                        low = middle + 1
                    return False, [*parts, (low, x2, y1, y2)]
            value, slope = group_lines[group]
            constant += value - slope * a1
            regular_slope += slope
            slack += group_rounding[group]
            continue
        d1 = bonus_low[position + 1] - bonus_low[position]
        d2 = bonus_high[position + 1] - bonus_high[position]
        piece = known_pieces.get((match_pay, d1, d2), _piece)      # (_piece's memo, without the call)
        if piece is _piece:
            piece = _piece(case, match_pay, d1, d2)
        if piece is None:
            # Split where this bonus check crosses a tier edge: at each of its edges and every later bonus
            # check's in the box at once (a box per stretch, not one split per box).
            table = tables_at[position]
            for _, start, end in case.bands[match_pay]:
                for edge_cents in (start * 100, end * 100):
                    if d1 < edge_cents < d2:
                        middle = bisect.bisect_right(table, math.floor(edge_cents), y1, y2 + 1) - 1
                        if not y1 <= middle < y2:
                            return None
                        middles.add(middle)
            continue
        if middles:
            continue
        constant += piece[0] - piece[1] * d1
        slack += bonus_rounding[position]
        bonus_lines.append((tables_at[position], piece[1], position + 1, plan_pays[position]))
    if middles:
        parts, low = [], y1
        for middle in sorted(middles):
            parts.append((x1, x2, low, middle))
            low = middle + 1
        return False, [*parts, (x1, x2, low, y2)]
    ceil, floor_of, bisect_left, bisect_right = math.ceil, math.floor, bisect.bisect_left, bisect.bisect_right

    def first_at_least(value: float) -> int:
        """The first x of the box whose regular deferral is at least ``value`` (x2 + 1: none)."""
        if amounts is not None:
            return bisect_left(amounts, ceil(value - 1e-9), x1, x2 + 1)
        return x2 + 1 if value > pay_cents else max(x1, ceil(value / 100 - 1e-9))      # whole dollars

    def last_at_most(value: float) -> int:
        """The last x of the box whose regular deferral is at most ``value`` (x1 - 1: none)."""
        if amounts is not None:
            return bisect_right(amounts, floor_of(value + 1e-9), x1, x2 + 1) - 1
        return x2 if value >= pay_cents else min(x2, floor_of(value / 100 + 1e-9))

    cells: list[tuple[float, int, int]] = []      # (a bound on the match, x, y)
    limit = _FLAT_CELLS + (y2 - y1 + 1)
    pay_cents = round(case.pay * 100)
    wide = y1 < y2      # (more than one column: strips; one: the sweep)
    # Over the bonus checks in date order (rising: the cut after each), of the first k: the least and the most
    # slope, the sums of slope, of slope x deferral and of the deferrals at y1 and at y2 (running sums left to
    # right: the same floats as adding one at a time).
    afters = [after for _, _, after, _ in bonus_lines]
    bonus_tables_in_order = [table for table, _, _, _ in bonus_lines]
    slopes = [slope for _, slope, _, _ in bonus_lines]
    slope_sums = list(itertools.accumulate(slopes, initial=0.0))
    low_row = [table[y1] for table in bonus_tables_in_order]
    line_low = list(itertools.accumulate(map(operator.mul, slopes, low_row), initial=0.0))
    sum_low = list(itertools.accumulate(low_row, initial=0))
    if wide:
        high_row = [table[y2] for table in bonus_tables_in_order]
        line_high = list(itertools.accumulate(map(operator.mul, slopes, high_row), initial=0.0))
        sum_high = list(itertools.accumulate(high_row, initial=0))
        least_slopes = list(itertools.accumulate(slopes, min, initial=math.inf))
        most_slopes = list(itertools.accumulate(slopes, max, initial=-math.inf))
        # Where the rates, the pay and the bonuses' pay are whole in a common unit, each cut and tier stretch's
        # band is a strip of integers a x + c y (see _strip_scale): its cells are found without a look at every
        # column (one column: the sweep below works out every cut's range of x at once, two bisections per
        # stretch reaching the band, for less than a strip per cut and stretch). For the strips, the sums of
        # (slope D) x pay and of pay of the first k bonus checks, while every slope is whole in D and every pay
        # whole cents (see _strip_line).
        scale = _strip_scale(case, x2)
        whole_sums, pay_sums = [0], [0]
        if scale is not None:
            # (each bonus check's (slope D x pay, pay) in whole cents, None when not whole: remembered per case,
            # the same checks' slopes come back box after box)
            wholes = case.bands.get("whole slopes")
            if wholes is None:
                wholes = case.bands["whole slopes"] = {}
            for _, slope, _, plan_pay in bonus_lines:
                whole = wholes.get((slope, plan_pay), _piece)
                if whole is _piece:
                    whole_slope, bonus_cents = round(slope * scale[0]), round(plan_pay * 100)
                    whole = wholes[slope, plan_pay] = None if (
                        abs(slope * scale[0] - whole_slope) > 1e-6 or abs(plan_pay * 100 - bonus_cents) > 1e-6
                    ) else (whole_slope * bonus_cents, bonus_cents)
                if whole is None:
                    break
                whole_sums.append(whole_sums[-1] + whole[0])
                pay_sums.append(pay_sums[-1] + whole[1])
    else:
        line_high, sum_high = line_low, sum_low
    # Per cut: the lines of the cut check's tier stretches that what is left of the room reaches in the box,
    # each as (from, to, alpha, beta): the match there is about alpha a(x) + beta + (the bonus checks' line
    # before the cut) + rate x (what they leave of the room), lowered by its stretch's start; less those that
    # cannot reach the band (worked out once per cut: its n, the bonus checks before it).
    cuts_lines = []
    work = []      # (with strips: each kept stretch, by its cut's place in cuts_lines)
    regular_at = stops.regular
    for cut, (constant, slope_a, slack) in enumerate(lines_before, least_cut):
        n = regular_before[cut]
        # (cut, the check keeps less than its own deferral, at most a2 or its bonus deferral at y2: all of it and
        # the stop cuts after it)
        deferral_high = (a2 if regular_at[cut] else bonus_high[cut + 1] - bonus_high[cut]) - 1
        left_high = min(room - n * a1 - bonus_low[cut], deferral_high)
        left_low = max(0, room - n * a2 - bonus_high[cut])
        if left_low > left_high:
            continue
        if not n:
            pieces = [(start, end, slope_a, constant + value - rate * start, rate)
                      for start, end, value, rate in tier_lines_at[cut] if start <= left_high and left_low <= end]
        else:
            # A candidate cut here on this stretch defers n a = room - left - B(y) on its regular checks, so its
            # match's line is beta + s room + (rate - s) left + sum (slope_i - s) b_i(y), s the regular checks'
            # slope over n: the left part at an end of its range here, the bonus part within its rounding of a
            # line in y (each b_i within half a cent of one, see _strip_weights), so at most twice that from its
            # value at y1 or y2; the match within ``slack`` of the line. Only the stretches that can reach the
            # band are kept.
            before = bisect_right(afters, cut)
            bonus_low_line, bonus_low_sum = line_low[before], sum_low[before]
            bonus_high_line, bonus_high_sum = line_high[before], sum_high[before]
            slopes_before = slope_sums[before]
            pieces = []
            for start, end, value, rate in tier_lines_at[cut]:
                if start > left_high or left_low > end:
                    continue
                alpha, beta = slope_a - rate * n, constant + value - rate * start
                per_regular = (alpha + rate * n) / n
                # (the two ends of each part, the least first: compared here, not by min and max)
                left_least = (rate - per_regular) * (start if start > left_low else left_low)
                left_most = (rate - per_regular) * (end if end < left_high else left_high)
                if left_least > left_most:
                    left_least, left_most = left_most, left_least
                bonus_least = bonus_low_line - per_regular * bonus_low_sum
                bonus_most = bonus_high_line - per_regular * bonus_high_sum
                if bonus_least > bonus_most:
                    bonus_least, bonus_most = bonus_most, bonus_least
                wobble = 1.002 * (slopes_before + before * abs(per_regular)) + 0.02 + slack + 1e-6
                reach = beta + per_regular * room
                if (reach + left_most + bonus_most + wobble >= floor
                        and reach + left_least + bonus_least - wobble <= top):
                    pieces.append((start, end, alpha, beta, rate))
        if not pieces:
            continue
        if wide:
            work.extend((abs(piece[2]) >= 1e-12, len(cuts_lines), piece) for piece in pieces)
        cuts_lines.append((cut, n, regular_before[cut + 1], slack, pieces))
    swept: list[Any] = [] if wide else cuts_lines
    # (the rows of one match first: one reaching the band gives the box back to the bounds before any strip)
    work.sort(key=lambda item: item[:2])
    left_over_by_cut: dict[int, list[Any]] = {}
    for _, index, (start, end, alpha, beta, rate) in work:
        cut, n, n_next, slack, _ = cuts_lines[index]
        left_over = left_over_by_cut.setdefault(index, [])
        found = None
        before = bisect.bisect_right(afters, cut)      # (the bonus checks before the cut: the first ones)
        whole_rate = None if scale is None else round(rate * scale[0])
        strips = scale is not None and before < len(whole_sums) and abs(rate * scale[0] - whole_rate) < 1e-6
        # (a stretch with n regular checks before the cut that cannot reach the band was dropped from the work)
        # Only the x whose regular checks can be cut here with what is left of the room on this stretch:
        # room - end - B(y2) <= n a <= room - start - B(y1) and n' a > room - B'(y2) (B, B': the bonus checks'
        # sums before the cut and through it, which only grow with y); the strip is looked for there.
        strip_x1, strip_x2 = x1, x2
        if n:
            least = (room - bonus_high[cut + 1]) / n_next if n_next else -math.inf
            if end < math.inf:
                least = max(least, (room - end - bonus_high[cut]) / n)
            if least > -math.inf:
                strip_x1 = first_at_least(least)
            strip_x2 = last_at_most((room - start - bonus_low[cut]) / n)
            if strip_x1 > strip_x2:
                continue      # (none of the box is cut here on this stretch)
        tables_before = bonus_tables_in_order[:before]
        table_at = bonus_tables_in_order[before:before + 1] if afters[before:before + 1] == [cut + 1] else []
        if strips:
            # (the bonus checks' weights w_i = slope_i - rate: |w_i| <= slope_i + rate)
            per_y = whole_sums[before] - whole_rate * pay_sums[before]
            spread = slope_sums[before] + before * rate
            # (every w_i within 1e-12 of 0: the least and the most slope of the first ones are)
            if not before or -1e-12 < least_slopes[before] - rate and most_slopes[before] - rate < 1e-12:
                # The same match down each column: the strip's x in one column, and for each the bonus
                # elections the stop cuts here on this stretch (two bisections: the sums only grow with y).
                found = _strip_line(scale, alpha, per_y, spread, beta + rate * room, slack, floor, top,
                                    (strip_x1, strip_x2, y1, y1), limit - len(cells))
                if found is not None:
                    found = [(most, x, y) for most, x, _ in found
                             for y in _cut_rows(amounts[x] if amounts is not None else min(100 * x, pay_cents),
                                                (n, n_next), (tables_before, table_at), room, (start, end),
                                                (y1, y2))]
                    if len(found) > limit - len(cells):
                        return None
            else:
                found = _strip_line(scale, alpha, per_y, spread, beta + rate * room, slack, floor, top,
                                    (strip_x1, strip_x2, y1, y2), limit - len(cells))
        if found is None:
            left_over.append((start, end, alpha, beta, rate))
            continue
        # The strip's cells on this cut and tier stretch: n a + B(cut) <= room < n' a + B(cut + 1), and
        # what is left of the room, room - n a - B(cut), on the stretch.
        for cell in found:
            _, x, y = cell
            regular = amounts[x] if amounts is not None else min(100 * x, pay_cents)
            before = n * regular
            for table in tables_before:
                before += table[y]
            after = before + (n_next - n) * regular
            for table in table_at:
                after += table[y]
            if before <= room < after and start <= room - before <= end:
                cells.append(cell)
        if len(cells) > limit:
            return None
    for index, left_over in sorted(left_over_by_cut.items()):
        if left_over:
            swept.append((*cuts_lines[index][:4], left_over))
    if not swept:
        return True, cells
    cuts_lines = swept
    ends = [line[2] for line in bonus_lines]
    for y in range(y1, y2 + 1):
        # The bonus checks' sum and line before each position up to the one after the most cut.
        sums, values = [0] * (most_cut + 2), [0.0] * (most_cut + 2)
        total, line, start = 0, 0.0, 0
        for (table, slope, _, _), after in zip(bonus_lines, ends, strict=True):
            if after > least_cut:
                for position in range(max(start, least_cut), after):
                    sums[position], values[position] = total, line
            amount = table[y]
            total += amount
            line += slope * amount
            start = after
        for position in range(max(start, least_cut), most_cut + 2):
            sums[position], values[position] = total, line
        for cut, n, n_next, slack, pieces in cuts_lines:
            rest = room - sums[cut]        # what the checks before the cut leave of the room, less n a(x)
            if rest < 0:
                continue
            # Cut here: n a + B(cut) <= room < n' a + B(cut + 1).
            if n_next == 0:
                if room >= sums[cut + 1]:
                    continue
                low_a = 0
            else:
                low_a = (room - sums[cut + 1]) // n_next + 1
            high_a = math.inf if n == 0 else rest // n
            if low_a > a2 or high_a < a1:
                continue
            line = values[cut]
            for start, end, alpha, beta, rate in pieces:
                # What is left of the room, rest - n a, within [start, end]
                if n == 0:
                    if not start <= rest <= end:
                        continue
                    least, most = low_a, high_a
                else:
                    least, most = max(low_a, (rest - end) / n), min(high_a, (rest - start) / n)
                if least > most:
                    continue
                beta_here = beta + line + rate * rest
                low, high = floor - slack - beta_here, top + slack - beta_here
                if -1e-12 < alpha < 1e-12:
                    if not low <= 0 <= high:
                        continue
                elif alpha > 0:
                    least, most = max(least, low / alpha), min(most, high / alpha)
                else:
                    least, most = max(least, high / alpha), min(most, low / alpha)
                if least > most:
                    continue
                first, last = first_at_least(least), last_at_most(most)
                if first <= last:
                    most = beta_here + slack
                    cells += [(most + alpha * (amounts[x] if amounts is not None else min(100 * x, pay_cents)), x, y)
                              for x in range(first, last + 1)]
                    if len(cells) > limit:
                        return None
    return True, cells


_CUT_SPREAD, _SPREAD_TRIAL = 4, 128


def _chord(case: _Case, match_pay: float, low: float, high: float) -> tuple[float, float]:
    """(value at ``low``, slope) of the chord of a check's unrounded match (cents) over [low, high]: with
    concave tiers it lies on or below the formula there."""
    value = _match_raw(case, low, match_pay)
    if high <= low:
        return value, 0.0
    return value, (_match_raw(case, high, match_pay) - value) / (high - low)


def _rounding(case: _Case, stops: Any) -> tuple[list[float], list[float], list[float], dict[Any, Any], list[int]]:
    """For :func:`_cut_bounds`: per check, the most rounding can take off its match as the cut check (a multiple
    of the case's grain) and as an uncut bonus check (of its step); per regular group, as an uncut check; and
    the prefixes of :func:`_spread_prefix` worked out so far, by the pair of bonus columns (kept in
    ``stops.columns``, so their ids stay theirs), and the bonus checks' chords, by (check, range), and how
    often it was worked out and lowered the bound."""
    grain, regular_grain = _grain(case), _regular_grain(case)
    bonus_k = case.bonus_k if case.separate else case.unit_k
    cut = [0.0 if _whole(case, pay, grain) else 0.5 for pay in stops.match_pays]
    bonus = [0.0 if _whole(case, pay, _step_cents(plan_pay, bonus_k)) else 0.5
             for plan_pay, pay in zip(stops.plan_pays, stops.match_pays, strict=True)]
    groups = [0.0 if _whole(case, pay, regular_grain) else 0.5 for pay in stops.group_pays]
    return cut, bonus, groups, {}, [0, 0]


def _cut_bounds(case: _Case, stops: Any, x1: int, x2: int, y1: int, y2: int, cap: int, chords: Any,
                top: float = float("inf"), floor: float = float("-inf"), corners: Any = None
                ) -> tuple[float, float, list[tuple[int, int, int, int]]]:
    """(lowest, highest, halves): bounds on the stopped match of the candidates (x, y) in [x1, x2] x [y1, y2]
    cut at check ``cap`` or before it, and the two boxes to split it into ((1, -1, []) when none can be).

    The cut only falls as x or y rises: a candidate's is between the cuts at (x2, y2) and (x1, y1) (at most
    ``cap``). For each cut c in between, the candidates cut there defer fully on the checks before c (the
    regular ones a in [a(x1), a(x2)], each bonus check between its deferrals at y1 and y2) and the cut check
    keeps what is left of the room, ``left`` = room - n_c a - B_y(c), between its values at the corners (and at
    most the cut check's deferral at (x2, y2)). Each check's rounded match only grows with its deferral, so
    every part at its high end bounds it above and at its low end below. With concave tiers a tighter lower
    bound: each check's unrounded match lies on or above its chord over its range, so the match is at least a
    linear function of the deferrals (the cut check's at room less the others'), least at an end of each
    one's range; each rounded check is at most half a cent below its unrounded match (none when whole cents on
    every deferral it can get). Where all rates are equal that is the room times the rate, exactly: the
    candidates past a §401(a)(17) cap whose deferrals all fall on matched pay. ``chords``: the rounding of
    each check (:func:`_rounding`) with concave tiers, else None; they are left out where the lowest bound is at
    most ``top`` anyway. With them, also the tighter highest bound of :func:`_spread_high` (the checks share the
    room), worked out only for the cuts whose per-part bound reaches ``floor`` (below it the box is dropped
    anyway), and past the first ``_SPREAD_TRIAL`` times only while it lowers the bound at least one time in
    eight (with one tier and deferrals mostly past it the room is seldom short: it costs without helping).
    ``corners``: :func:`_stop_at` at (x1, y1) and (x2, y2) when the caller has them (worked out here if not)."""
    if corners is None:
        corners = _stop_at(case, x1, y1), _stop_at(case, x2, y2)
    (first_cut, a1, low_column), (last_cut, a2, _) = corners
    high_column = _bonus_column(case, stops, x2, y2, counted=False)
    first_cut = min(first_cut, cap)
    if last_cut > first_cut:
        return 1, -1, []      # every candidate in the box is cut past ``cap``
    if first_cut - last_cut >= _CUT_SPREAD:
        low, high, halves = _box_bounds(case, stops, x1, x2, y1, y2, corners)
        return low, high, halves
    room = case.room
    bonus_low, bonus_match_low = low_column
    bonus_high, bonus_match_high = high_column
    regular_before = stops.regular_before
    lowest, highest = float("inf"), -1.0
    spread = None
    for cut in range(last_cut, first_cut + 1):
        n = regular_before[cut]
        cut_pay = stops.match_pays[cut]
        deferral_high = a2 if stops.regular[cut] else bonus_high[cut + 1] - bonus_high[cut]
        left_high = min(room - n * a1 - bonus_low[cut], deferral_high)
        left_low = max(0, room - n * a2 - bonus_high[cut])
        if left_high < left_low:
            continue      # no candidate of the box is cut here
        counts = stops.group_before[cut]
        high = (bonus_match_high[cut] + _regular_match(case, stops, cut, a2)
                + (_match_cents(case, left_high, cut_pay) if left_high > 0 else 0))
        low = (bonus_match_low[cut] + _regular_match(case, stops, cut, a1)
               + (_match_cents(case, left_low, cut_pay) if left_low > 0 else 0))
        if chords is not None and low <= top < lowest:
            cut_rounding, bonus_rounding, group_rounding, memo = chords[:4]
            value, cut_slope = _chord(case, cut_pay, left_low, left_high)
            line = value + cut_slope * (room - left_low)
            slack = 1e-6 + cut_rounding[cut]
            regular_slope = 0.0
            for group, count in enumerate(counts):
                if count:
                    value, slope = _chord(case, stops.group_pays[group], a1, a2)
                    line += count * (value - slope * a1)
                    regular_slope += count * (slope - cut_slope)
                    slack += group_rounding[group] * count
            line += min(regular_slope * a1, regular_slope * a2)
            for position in range(cut):
                if stops.regular[position]:
                    continue
                d1 = bonus_low[position + 1] - bonus_low[position]
                d2 = bonus_high[position + 1] - bonus_high[position]
                chord = memo.get((position, d1, d2))
                if chord is None:
                    chord = memo[position, d1, d2] = _chord(case, stops.match_pays[position], d1, d2)
                value, slope = chord
                line += value - slope * d1 + min((slope - cut_slope) * d1, (slope - cut_slope) * d2)
                slack += bonus_rounding[position]
            low = max(low, line - slack)
        tally = chords[4] if chords is not None else None
        if tally is not None and high >= floor and (tally[0] < _SPREAD_TRIAL or tally[1] * 8 >= tally[0]):
            if spread is None:
                # (boxes split along x share their columns, and so their prefix)
                key = (id(low_column), id(high_column))
                spread = chords[3].get(key)
                if spread is None or len(spread) <= first_cut:
                    spread = chords[3][key] = _spread_prefix(case, stops, low_column, high_column, first_cut,
                                                             chords)
            spread_high = _spread_high(case, stops, cut, a1, a2, left_low, left_high, bonus_low[cut], spread[cut],
                                       chords)
            tally[0] += 1
            if spread_high < high:
                tally[1] += 1
                high = spread_high
        lowest, highest = min(lowest, low), max(highest, high)
    if highest < 0:
        return 1, -1, []
    if first_cut != last_cut and x1 < x2:
        boundary = _regular_fit(case, room - bonus_low[first_cut], x2, regular_before[first_cut])
        if boundary is not None and x1 <= boundary < x2:
            return lowest, highest, [(x1, boundary, y1, y2), (boundary + 1, x2, y1, y2)]
    # Split the side along which the deferrals before the cut spread more (the regular checks' over x, the
    # bonus checks' over y): the match moves with them, so the halves' bounds close in faster than by halving
    # the side with more elections (an election's step in cents differs between the two sides). Any split is
    # exact: it only orders the search.
    split_x = y1 == y2 or (x1 < x2 and regular_before[first_cut] * (a2 - a1)
                           >= bonus_high[first_cut] - bonus_low[first_cut])
    if first_cut == last_cut and lowest <= top < highest:
        # A box with one cut whose bounds straddle what §415(c) leaves (in the capped-pay class nearly every
        # box left: the best is cents below the top, and the search follows the top's level line). Its match
        # is nearly linear in each election there, so it splits where the line of the corners' exact matches
        # crosses the top on each of the two edges along the split side: the outer parts lie (nearly) on one
        # side of it and are dropped by their bounds, the middle slab holds the crossing.
        cut, pay = first_cut, stops.match_pays[first_cut]
        n = regular_before[cut]

        def corner(a: int, column: Any) -> int:
            left = room - n * a - column[0][cut]
            return column[1][cut] + _regular_match(case, stops, cut, a) + (
                _match_cents(case, left, pay) if left > 0 else 0)
        if split_x:
            ends = [(corner(a1, low_column), corner(a2, low_column))]
            if y1 < y2:
                ends.append((corner(a1, high_column), corner(a2, high_column)))
            first, last = x1, x2
        else:
            ends = [(corner(a1, low_column), corner(a1, high_column))]
            if x1 < x2:
                ends.append((corner(a2, low_column), corner(a2, high_column)))
            first, last = y1, y2
        crossings = [(top - m1) / (m2 - m1) for m1, m2 in ends if m1 != m2]
        crossings = [t for t in crossings if 0 <= t <= 1]
        if len(crossings) == len(ends):
            low_split = min(last - 1, first + int(min(crossings) * (last - first)))
            high_split = min(last, first + int(max(crossings) * (last - first)) + 1)
            parts = [(first, low_split), (low_split + 1, high_split), (high_split + 1, last)]
            parts = [(u, v) for u, v in parts if u <= v]
            if split_x:
                return lowest, highest, [(u, v, y1, y2) for u, v in parts]
            return lowest, highest, [(x1, x2, u, v) for u, v in parts]
    if split_x:
        middle = (x1 + x2) // 2
        return lowest, highest, [(x1, middle, y1, y2), (middle + 1, x2, y1, y2)]
    middle = (y1 + y2) // 2
    return lowest, highest, [(x1, x2, y1, middle), (x1, x2, middle + 1, y2)]


def _tier_lengths(case: _Case, match_pay: float, lowest: float, highest: float, count: int, lengths: list[float]
                  ) -> None:
    """Adds to ``lengths`` (per tier) ``count`` times the part of [lowest, highest] (cents) in each tier of a
    check with match pay ``match_pay``."""
    edges = case.bands.get(match_pay)
    if edges is None:
        edges = case.bands[match_pay] = pay_edges(match_pay, case.tiers)
    for tier, (rate, start, end) in enumerate(edges):
        part = min(highest, end * 100) - max(lowest, start * 100)
        if part > 0 and rate > 0:
            lengths[tier] += count * part


def _spread_prefix(case: _Case, stops: Any, low_column: Any, high_column: Any, last: int, chords: Any
                   ) -> list[tuple[float, list[float], float]]:
    """For :func:`_spread_high`, per check c up to ``last``: (the unrounded match at their least deferrals, the
    rest of their ranges per tier, their rounding) of the bonus checks before c, between the columns' deferrals."""
    bonus_rounding = chords[1]
    bonus_low, bonus_high = low_column[0], high_column[0]
    total, lengths, slack = 0.0, [0.0] * len(case.tiers), 0.0
    # It only changes after a bonus check: the checks from one to the next share one entry (_spread_high
    # copies the lengths before it adds to them), and the regular checks between are not looked at.
    entry = (total, lengths[:], slack)
    prefix: list[tuple[float, list[float], float]] = []
    start = 0
    for position, _, match_pay in stops.bonus_checks:
        if position >= last:
            break
        prefix += [entry] * (position + 1 - start)
        lowest = bonus_low[position + 1] - bonus_low[position]
        highest = bonus_high[position + 1] - bonus_high[position]
        if match_pay > 0:
            total += _match_raw(case, lowest, match_pay)
            if highest > lowest:
                _tier_lengths(case, match_pay, lowest, highest, 1, lengths)
        slack += bonus_rounding[position]
        entry = (total, lengths[:], slack)
        start = position + 1
    prefix += [entry] * (last + 1 - start)
    return prefix


def _spread_high(case: _Case, stops: Any, cut: int, a1: int, a2: int, left_low: int, left_high: int,
                 bonus_low: int, before: tuple[float, list[float], float], chords: Any) -> int:
    """For :func:`_cut_bounds` with concave tiers: the most stopped match of a candidate cut at check ``cut``
    whose regular checks defer from ``a1`` to ``a2``, bonus checks before it between the columns' deferrals
    (``before``: :func:`_spread_prefix` at the cut; ``bonus_low``: their least sum) and the cut check from
    ``left_low`` to ``left_high``, using that a stopped candidate's deferrals are exactly the room. Every
    check's unrounded match is concave (tier rates never rise), so from each one's least deferral the rest of
    the room buys at most its pieces highest rate first, each check (every regular check on its own: a
    relaxation of their one shared deferral) within its range; each rounded check is at most half a cent above
    its unrounded match (none when whole cents on every deferral it can get). The per-part bound of
    :func:`_cut_bounds` gives every part its most at once, though the parts share the room."""
    cut_rounding, _, group_rounding = chords[:3]
    total, lengths, slack = before
    lengths = lengths[:]
    slack += 1e-6 + cut_rounding[cut]
    match_pay = stops.match_pays[cut]
    if match_pay > 0:
        total += _match_raw(case, left_low, match_pay)
        if left_high > left_low:
            _tier_lengths(case, match_pay, left_low, left_high, 1, lengths)
    for group, count in enumerate(stops.group_before[cut]):
        if count:
            match_pay = stops.group_pays[group]
            if match_pay > 0:
                total += count * _match_raw(case, a1, match_pay)
                if a2 > a1:
                    _tier_lengths(case, match_pay, a1, a2, count, lengths)
            slack += group_rounding[group] * count
    budget = case.room - stops.regular_before[cut] * a1 - bonus_low - left_low
    # (concave tiers: their rates never rise, so tier order is highest rate first)
    total += _best_rates_first([(rate, length) for (rate, _, _), length in zip(case.tiers, lengths, strict=True)],
                               budget)
    return math.floor(total + slack)


def _pareto(candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidates no other one is at most in both elections (by rising x)."""
    front: list[tuple[int, int]] = []
    for deferral, bonus_deferral in sorted(candidates):
        if not front or bonus_deferral < front[-1][1]:
            front.append((deferral, bonus_deferral))
    return front


def _phase1_exhaustive(case: _Case) -> tuple[tuple[int, int], list[tuple[int, int]], Any]:
    """_phase1 when §415(c) binds the deferrals and match themselves: the best (match, deferrals) of every
    (x, y), the members reaching it (the smallest elections, see :func:`_pareto`) and an iterator of further
    members by rising x, taken before them (see _solve).

    The best below the room comes from :func:`_within_room_best`. Past the room (a payroll stopping at
    exactly the room), column by column from the first whose largest regular election passes the room: the
    match after the stop is at most the untruncated one, which grows with x, so the prefix below what is
    needed (the best so far) is skipped, and :func:`_column_best` finds the column's most stopped match up
    to what §415(c) leaves (``top_at_room``). With a separate bonus election the later columns' best is
    searched over boxes of them all first (:func:`_boxes_best`), and runs of columns that cannot reach it
    are dropped whole (:func:`_boxes_refuted`); but first, when the later checks have no match pay (e.g. pay
    past §401(a)(17)), every column at once by :func:`_split_search`.
    """
    separate = case.separate and bool(case.bonus_events)
    room = case.room
    truncation = case.stops_402g and case.stop == room and room >= 0
    # The most match any candidate at the full room can have and still fit §415(c).
    top_at_room = None
    if truncation:
        top_at_room = min(_match_room(case, room), case.match_full)
        # A true-up pays every stopped candidate at least the formula on the room (_truncated): when that alone
        # passes what §415(c) leaves, no candidate past the room fits.
        if top_at_room < 0 or (case.true_up and case.tiers and case.true_up_floor > top_at_room):
            top_at_room = None
    # The best below the room, at first only where it can beat every candidate past it (from top_at_room up):
    # else (``exact`` False) it is below top_at_room, and the rest of its search waits for the best past the
    # room, which it then only needs to reach (the capped plans' best below the room is ~1M cents under the
    # best past it, whose search takes as long whatever it needs: most of the search below the room is skipped).
    within_search = _within_room_search(case)
    next(within_search)
    within, exact = within_search.send(-1 if top_at_room is None else top_at_room)
    best = within
    stopped: list[tuple[int, int]] = []      # per column past the room, its best if it ties the best
    if top_at_room is not None and (best is None or top_at_room >= best[0]):
        if separate:
            # The columns whose largest regular election passes the room: from the first bonus election whose
            # checks, with the regular checks at the largest election, pass it.
            regular_most = case.n_regular * _amount(case, case.pay, case.max_units, False)
            first_column = _bonus_fit(case, room - regular_most, 0, case.bonus_max_units) + 1
            # Past the first column only the regular elections below _before_first_bonus count (the others
            # repeat the first column's candidates, see there), and those pass the room only from the bonus
            # election whose checks, next to the regular checks at the largest of them, pass it.
            below = min(case.max_units, _before_first_bonus(case) - 1)
            regular_below = case.n_regular * _amount(case, case.pay, below, False) if below >= 0 else 0
            next_column = max(first_column + 1, _bonus_fit(case, room - regular_below, 0, case.bonus_max_units) + 1)
            columns: Any = itertools.chain((first_column,), range(next_column, case.bonus_max_units + 1))
            if first_column > case.bonus_max_units:
                columns = ()
        else:
            first_column = 0
            columns = (0,) if _planned(case, case.max_units, 0)[0] > room else ()
        later_first, later_floor = (next_column, None) if separate else (0, None)
        split = None
        if separate and first_column <= case.bonus_max_units:
            # Its box budget grows with the columns it stands in for: the column search it hands back to costs
            # about a span search per column (~30 span bounds each), several boxes' worth.
            split = _split_search(case, top_at_room, max(0, -1 if best is None else best[0]), first_column,
                                  min(case.max_units, _before_first_bonus(case) - 1),
                                  _SPLIT_BUDGET + _SPLIT_PER_COLUMN * (case.bonus_max_units - first_column))
        elif not separate and columns:
            split = _split_column(case, top_at_room, max(0, -1 if best is None else best[0]))
        if not exact and (split is None or split[0] is None):
            # (the column search below needs the best below the room, and so does a split search finding none)
            within, exact = within_search.send(-1)
            best = within
        if split is not None:
            columns = ()      # (the split search covered every column)
            if split[0] is not None:
                column = (split[0], room)
                if not exact:
                    # The best below the room where it reaches the best past it (else it is below, and lost).
                    within, exact = within_search.send(split[0])
                    best = within
                if best is None or column > best:
                    best, stopped = column, split[1]
                elif column == best:
                    stopped = split[1]
        next_column = -1     # the columns before it were found weak or refuted (see below)
        next_try, width, gap = -1, _BOX_WIDTH, _BOX_GAP
        for bonus_deferral in columns:
            if bonus_deferral < next_column:
                continue
            need = -1 if best is None else best[0]
            if separate and bonus_deferral != first_column:
                if later_floor is None:
                    # The most any later column reaches, from a search over boxes of them all (best bound
                    # first): each column then needs only that, and most are dropped whole (see below).
                    fill = _regular_fit(case, room - _bonus_sum(case, case.bonus_max_units), case.max_units)
                    later_floor = _boxes_best(case, 0 if fill is None else fill + 1,
                                              min(case.max_units, _before_first_bonus(case) - 1), later_first,
                                              case.bonus_max_units, max(need, 0), top_at_room)
                need = max(need, later_floor)
            if top_at_room < need:
                break      # the best only rises
            if separate:
                room_fill = _regular_fit(case, room - _bonus_sum(case, bonus_deferral), case.max_units)
            else:
                room_fill = _one_column_fill(case, room)
            deferral_first = 0 if room_fill is None else room_fill + 1
            # Past _before_first_bonus the candidates repeat the first column's (see there).
            deferral_last = case.max_units if bonus_deferral == first_column else min(
                case.max_units, _before_first_bonus(case) - 1)
            if deferral_first > deferral_last:
                continue

            def weak(deferral: int, bonus_deferral: int = bonus_deferral, need: int = need) -> bool:
                return min(case.match_full, _planned(case, deferral, bonus_deferral)[1]) < need

            if need >= 0 and weak(deferral_last):
                if bonus_deferral != first_column:
                    # The later columns search the same regular elections, and their planned match only grows
                    # with y while what is needed only rises: every column up to the first whose planned
                    # match at the largest of them reaches what is needed is weak too.
                    next_column = 1 + _largest(lambda units, last=deferral_last, need=need: weak(last, units, need),
                                               bonus_deferral, case.bonus_max_units)
                continue
            if separate and bonus_deferral != first_column and need >= 0 and bonus_deferral >= next_try:
                # Try to drop this column and the next ones at once (see _boxes_refuted): width doubles while
                # tries succeed; after a failure the next try waits, longer with each failure in a row.
                last_column = min(case.bonus_max_units, bonus_deferral + width - 1)
                fill = _regular_fit(case, room - _bonus_sum(case, last_column), case.max_units)
                low_x = 0 if fill is None else fill + 1
                if _boxes_refuted(case, low_x, deferral_last, bonus_deferral, last_column, need, top_at_room):
                    next_column, width, gap = last_column + 1, min(2 * width, 512), _BOX_GAP
                    continue
                next_try, width, gap = bonus_deferral + gap, _BOX_WIDTH, min(2 * gap, 256)
            skipped = _largest(weak, deferral_first, deferral_last) if need >= 0 else None
            deferral_first = deferral_first if skipped is None else skipped + 1
            # The column's most stopped match from what is needed (a tie is a member) to what §415(c) leaves.
            # A tie at (x, y) with an earlier column's at (x', y'), x' <= x, is dominated (see _pareto).
            ties_below = min(deferral for deferral, _ in stopped) if stopped else None
            found = _column_best(case, bonus_deferral, deferral_first, deferral_last, max(need, 0), top_at_room,
                                 ties_below)
            if found is None:
                continue
            column, column_deferral = (found[0], room), found[1]
            if best is None or column > best:
                best, stopped = column, [(column_deferral, bonus_deferral)]
            elif column == best:
                stopped.append((column_deferral, bonus_deferral))
    if best is None:
        raise InputError("employer match", case.match_full / 100,
                         "a plan whose match and deferrals can fit within §415(c)", kind="num")
    if best != within:
        return best, _pareto(stopped), ()      # below the room nothing pays the best
    if not stopped:
        return best, [], _tie_rows(case, best)     # past the room nothing pays the best
    # Both pay it (the best's deferrals are the room): the smallest of all.
    return best, _pareto(stopped + list(_tie_rows(case, best))), ()
