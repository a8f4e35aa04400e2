"""A payroll that stops by itself at 402(g): the match when it cuts the deferrals at the room
(:func:`_truncated`), worked out from prefix sums of the checks in date order (:class:`_Stops`), and the
regular elections in a bonus-election column whose stopped match can still matter (:func:`_stopped_candidates`,
:func:`_column_max`). Elections are named as in :mod:`megabackdoor.paycheck.solver`.
"""

from __future__ import annotations

import math

from .bounds import (
    _breaks,
    _edge_split,
    _fill_with_cut,
    _fit_amount,
    _grain,
    _integer_slope,
    _match_raw,
    _regular_grain,
    _regular_step,
    _span,
    _span_step,
    _stop_bound,
    _tier_sizes,
    _whole,
)
from .case import _REGULAR, _amount, _Case, _match_cents, _match_memo
from .simulation import _bonus_tables, _bonus_units, _largest, _line_cents, _regular_fit, _tier_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any


class _Stops:
    """The paychecks with plan pay in date order, for taking a payroll stop off the end (see _truncated):
    per position, the regular checks before it (in all and per match-pay group)."""

    __slots__ = ("plan_pays", "match_pays", "regular", "regular_before", "group_pays", "group_before", "columns",
                 "before_first_bonus", "group_matches", "cut_pieces", "bonus_checks", "cut_parts", "cut_roundings")


def _build_stops(case: _Case) -> _Stops:
    stops = _Stops()
    events = [e for e in case.events if e[3] > 0]
    stops.plan_pays = [e[3] for e in events]
    stops.match_pays = [e[4] for e in events]
    stops.regular = [e[1] == _REGULAR for e in events]
    stops.bonus_checks = [(position, e[3], e[4]) for position, e in enumerate(events) if e[1] != _REGULAR]
    group_pays: list[float] = []
    counts: list[int] = []
    regular_before, group_before = [0], [()]
    for event in events:
        if event[1] == _REGULAR:
            if event[4] not in group_pays:
                group_pays.append(event[4])
                counts.append(0)
            counts[group_pays.index(event[4])] += 1
        regular_before.append(regular_before[-1] + (event[1] == _REGULAR))
        group_before.append(tuple(counts))
    stops.regular_before = regular_before
    stops.group_pays = group_pays
    stops.group_before = [tuple(before) + (0,) * (len(group_pays) - len(before)) for before in group_before]
    stops.columns = {}
    stops.before_first_bonus = None
    # Each match-pay group's memo of a regular check's match by deferral (the case's, see case._match_memo).
    stops.group_matches = [_match_memo(case, pay) for pay in group_pays]
    stops.cut_pieces, stops.cut_roundings = {}, {}
    stops.cut_parts = None
    case.stops = stops
    return stops


def _stop_column(case: _Case, stops: _Stops, units: int, bonus: bool) -> tuple[list[int], list[int]]:
    """Per position, the bonus deferrals and their match before it, for one bonus election."""
    # The sums only change after a bonus check (a few among many regular ones): each stretch of positions
    # between two is filled at once, and bonus checks alike (pay and match pay) are worked out once.
    bonus_before: list[int] = []
    match_before: list[int] = []
    start = total = matched = 0
    alike: dict[tuple[float, float], tuple[int, int]] = {}
    # (a separate bonus election's deferrals from the bonus tables once they are built, see
    # simulation._bonus_table: the same cents as _amount)
    tables = _bonus_tables(case) if bonus and units >= 0 else None
    for position, plan_pay, match_pay in stops.bonus_checks:
        count = position + 1 - start
        bonus_before += [total] * count
        match_before += [matched] * count
        start = position + 1
        known = alike.get((plan_pay, match_pay))
        if known is None:
            # (the match off the check's tier lines: the same cents as _match_cents, for less; without a
            # separate bonus election every regular election has a column of its own)
            table = tables.get(plan_pay) if tables else None
            amount = table[units] if table is not None and units < len(table) else _amount(case, plan_pay, units,
                                                                                            bonus)
            # (or from the case's memo of _match_cents, where the column's bound (bounds._column_bound) has put
            # it: the loop bounds a column before it searches it, and 3 of capped plan 93's 4 bonus checks lie
            # within a thousandth of a cent of a half, where _line_cents works the formula out again)
            cents = (_match_memo(case, match_pay).get(amount) if _MEMO_COLUMNS and amount > 0 and match_pay > 0
                     else None)
            if cents is None:
                cents = _line_cents(case, _tier_lines(case, match_pay), amount, match_pay) if amount > 0 else 0
            known = alike[(plan_pay, match_pay)] = (amount, cents)
        total += known[0]
        matched += known[1]
    count = len(stops.plan_pays) + 1 - start
    bonus_before += [total] * count
    match_before += [matched] * count
    return bonus_before, match_before


def _regular_amount(case: _Case, deferral: int) -> int:
    """One regular check's contribution at regular election x: from the table of every election's amounts once
    it is built (the same cents, see case._amounts), else :func:`_amount`."""
    table = case.regular_amounts
    if table is not None and 0 <= deferral < len(table):
        return table[deferral]
    return _amount(case, case.pay, deferral, False)


def _bonus_column(case: _Case, stops: _Stops, deferral: int, bonus_deferral: int, counted: bool = True
                  ) -> tuple[list[int], list[int]]:
    """The bonus column (:func:`_stop_column`, memoised per bonus election) of (x, y): what counts under the stop
    (``counted``, the default), or what its bonus checks defer. They differ when bonus checks take the regular
    election and the stop cuts before the first of them (x from _before_first_bonus on): what they defer never
    counts, so every such x shares the column of no bonus deferrals."""
    units, bonus = _bonus_units(case, deferral, bonus_deferral)
    if counted and units and not bonus and deferral >= _before_first_bonus(case):
        units = 0
    column = stops.columns.get((units, bonus))
    if column is None:
        column = stops.columns[(units, bonus)] = _stop_column(case, stops, units, bonus)
    return column


def _stop_at(case: _Case, deferral: int, bonus_deferral: int) -> tuple[int, int, tuple[list[int], list[int]]]:
    """(cut, regular deferral, bonus column) for (x, y) under the payroll stop, as in :func:`_truncated`."""
    stops = case.stops or _build_stops(case)
    regular = _regular_amount(case, deferral)
    column = _bonus_column(case, stops, deferral, bonus_deferral)
    bonus_before = column[0]
    regular_before = stops.regular_before
    low, high = 1, len(regular_before) - 1
    while low < high:
        middle = (low + high) // 2
        if regular_before[middle] * regular + bonus_before[middle] > case.room:
            high = middle
        else:
            low = middle + 1
    return low - 1, regular, column


class _ColumnCuts:
    """The payroll stop's cut for the regular elections of one bonus-election column (memoised), and where
    it moves inside a span: the span searches split there, so that each part has one cut and a bound.
    ``column`` is the bonus column of the last election looked up (see :func:`_stop_at`)."""

    __slots__ = ("case", "bonus_deferral", "cuts", "column", "bounds", "cut_ranges", "tight", "grain", "fits",
                 "reached", "flat_misses")

    def __init__(self, case: _Case, bonus_deferral: int) -> None:
        self.case, self.bonus_deferral = case, bonus_deferral
        self.cuts: dict[int, int] = {}
        self.column: Any = None
        self.bounds: dict[int, float] = {}
        self.cut_ranges: tuple[int, int, int, int] | None = None      # (see most)
        self.fits: dict[int, int] = {}
        self.reached = -1
        self.tight: dict[int, float] = {}
        self.grain = 0      # (the case's grain, see bounds._grain, once most needs it)
        self.flat_misses: dict[int, float] = {}      # (see _flat)

    def bound(self, stops: _Stops, cut: int) -> float:
        """:func:`_cut_bound` of this column at ``cut`` (memoised; the column must have been looked up)."""
        bounds = self.bounds
        if cut not in bounds:
            bounds[cut] = _cut_bound(self.case, stops, cut, self.column)
        return bounds[cut]

    def most(self, stops: _Stops, first_cut: int, last_cut: int, need: float) -> float:
        """A bound on the stopped match of the elections of this column cut from ``first_cut`` down to
        ``last_cut``, or some number at least ``need`` when it may reach it: the most of the cuts' bounds
        (:func:`_cut_bound`), each tightened by the rounding of the regular deferrals it takes among the column's
        elections searched (:func:`_cut_rounding`; ``cut_ranges``, set by the search, holds each cut's first and
        last x there: a part of the column is bounded by its cuts' bounds over their whole ranges), the check
        latest in the year first (the most regular checks before it, the most rounding). Each cut's tightened bound
        is worked out once (``tight``). ``reached``: the cut whose bound reaches the need (-1 when none does)."""
        most = -1.0
        self.reached = -1
        tight = self.tight
        # A regular cut's bound (_cut_bound) is at most that of a later regular cut c' with only regular checks of
        # the same match pay between: the same bonus checks before them (their match and the room they leave), and
        # the earlier cut's pieces and half cents are among c''s (its regular checks before it and itself are
        # regular checks before c', c' is one more of its match pay, and the cut check's half cent is c''s too).
        # So once c''s bound is below the need (by a margin for the floats), the cuts before it down to the first
        # other check go with it, not worked out. Capped plan 93's nine columns whose bound is its ceiling: cuts
        # 8-7 and 4-3 of their 12 go with 9 and 5 (tests/test_paycheck_stretch_cuts.py checks the claim).
        below_pay: float | None = None      # (that later cut's match pay, None when there is none)
        regular, match_pays, bounds = stops.regular, stops.match_pays, self.bounds
        for position in range(first_cut, last_cut - 1, -1):      # (more regular checks first: more rounding)
            if below_pay is not None:
                if regular[position] and match_pays[position] == below_pay:
                    continue
                below_pay = None
            bound = tight.get(position)
            if bound is None and _FLAT_CUTS:
                bound = self._flat(stops, position, last_cut, need)
            if bound is None:
                # The cut's bound first: below the need it will do whether or not an election is cut there (the
                # cut's range, a fit or two, costs three times as much; capped plan 93's nine columns whose bound
                # is its ceiling: 2 of their 12 cuts reach it).
                bound = self.bound(stops, position)
                if bound >= need:      # (else the bound alone will do)
                    low, high = self.cut_range(stops, position)
                    if low > high:
                        tight[position] = -1.0      # (no election of the column is cut there)
                        continue
                    if not self.grain:
                        # (the case's grain, kept with what every cut shares once a cut's bound is worked out, as
                        # just above: _grain loops over the bonus checks, ~4 us a column)
                        parts = stops.cut_parts
                        self.grain = _grain(self.case) if parts is None else parts[2]
                    bound = tight[position] = _cut_rounding(self.case, stops, position, low, high, bound,
                                                            self.column, self.grain)
            if _STRETCH_CUTS and regular[position] and bounds.get(position, need) < need - 1e-6:
                below_pay = match_pays[position]
            if bound > most:
                most = bound
                if most >= need:
                    self.reached = position
                    break
        return most

    def _flat(self, stops: _Stops, position: int, last_cut: int, need: float) -> float | None:
        """For :meth:`most`: one bound, below ``need``, on the stopped match of every election of the column cut at
        ``position`` or at an earlier check down to ``last_cut`` with no bonus check between, set as each of those
        cuts' tightened bound; None when the run is not such a one or the bound is not below ``need`` (then each
        cut is bounded on its own). Capped plan 90: at regular elections of $575-$1,629 (20% of pay) ~30 cuts of a
        column each paid within a cent of the best, and each cost a cut bound and its rounding.

        Cut at such a check c, the n regular checks before it defer a = a(x) each and the cut check (regular)
        keeps left = R - n a, 0 <= left < a, where R = room - the bonus deferrals before c, the same at every c of
        the run, as the bonus checks' match before c; the match is that bonus match + n m(a) + m(left). When
        every a(x) of the run's elections is on the first tier's line r a (a(x_last) at most its edge) and r times
        the step between them (bounds._span_step) is whole cents, m(a) - r a is the same e at each (what rounding
        adds at a(x_first)), and m(left) is at most r left + half a cent: the match is at most the bonus match +
        r R + n e + 1/2, for every cut of the run at once. (The regular checks before the cut all of the cut
        check's match pay only. Whole-dollar elections only: on percent steps a run's regular deferrals are rarely
        a whole step apart, e.g. capped plan 93's 28 runs tried, none of which held, cost ~0.3 ms.)"""
        case = self.case
        if not case.dollars or case.true_up or not case.tiers or not stops.regular[position]:
            return None
        pay = stops.match_pays[position]
        rate, tier_low, tier_high = case.tiers[0]
        if pay <= 0 or tier_low > 0 or any(count and group_pay != pay for group_pay, count in zip(
                stops.group_pays, stops.group_before[position], strict=True)):
            return None      # (the regular checks before the cut all of the cut check's match pay)
        bonus_before, bonus_match_before = self.column
        first = position      # the run's earliest cut
        while first > last_cut and stops.regular[first - 1]:
            first -= 1
        # A run not such a one, or whose bound reached the need, is tried again only at a higher need (not cut after
        # cut: capped plan 90's column 0 rises cut by cut to its peak, each cut's run tried at the same need).
        misses = self.flat_misses
        if misses.get(first, -1.0) >= need:
            return None
        misses[first] = math.inf
        low, high = self.cut_range(stops, position)[0], self.cut_range(stops, first)[1]
        if low > high:
            return None
        a1, a2 = _regular_amount(case, low), _regular_amount(case, high)
        if a1 <= 0 or a2 > tier_high * pay * 100:
            return None
        moved = rate * _span_step(case, low, high, a1, a2)
        if a2 > a1 and abs(moved - round(moved)) > 1e-9:
            return None
        misses[first] = need
        gain = _match_cents(case, a1, pay) - _match_raw(case, a1, pay)
        counts = (stops.regular_before[position], stops.regular_before[first])
        bound = (bonus_match_before[position] + rate * (case.room - bonus_before[position])
                 + max(count * gain for count in counts) + 0.5 + 1e-4)
        if bound >= need:
            return None
        for cut in range(first, position + 1):
            self.tight[cut] = bound
        return bound

    def around(self, stops: _Stops, x1: int, x2: int, position: int) -> list[tuple[int, int, bool]]:
        """[x1, x2] in parts, rising: the elections cut before ``position`` (if any), those cut there (True), and
        those cut after it (if any)."""
        low, high = self.cut_range(stops, position)
        low, high = max(low, x1), min(high, x2)
        parts = [(x1, low - 1, False)] if low > x1 else []
        parts.append((low, high, True))
        if high < x2:
            parts.append((high + 1, x2, False))
        return parts

    def cut_range(self, stops: _Stops, position: int) -> tuple[int, int]:
        """(first x, last x) of the column's elections searched (``cut_ranges``: (x_first, x_last, the cut at
        x_first, the cut at x_last)) that the stop cuts at ``position`` (empty: first > last), as in :meth:`ranges`."""
        assert self.cut_ranges is not None
        first, last, first_cut, last_cut = self.cut_ranges
        high = last if position <= last_cut else self.fit(stops, position, last)
        low = first if position >= first_cut else self.fit(stops, position + 1, last) + 1
        return max(first, low), min(last, high)

    def fit(self, stops: _Stops, position: int, last: int) -> int:
        """The last election up to ``last`` that the stop cuts at ``position`` or later (-1 if none; see
        :meth:`ranges`), remembered."""
        fits = self.fits
        known = fits.get(position)
        if known is None:
            case = self.case
            found = _regular_fit(case, case.room - self.column[0][position], last, stops.regular_before[position])
            known = fits[position] = -1 if found is None else found
        return known

    def ranges(self, stops: _Stops, x1: int, x2: int, first_cut: int, last_cut: int) -> Iterator[tuple[int, int, int]]:
        """(cut, first x, last x) for each cut of the elections [x1, x2] (cut at ``first_cut`` at x1, at
        ``last_cut`` at x2), from the latest cut back, cuts no election of them is cut at left out. The stop
        cuts x at c or later when the checks before c fit the room (see :meth:`boundary`): a fit of their
        regular deferrals, a(x) <= (room - bonus checks before c) // regular checks before c."""
        case = self.case
        room, bonus_before, regular_before = case.room, self.column[0], stops.regular_before
        high = x2      # the last x of [x1, x2] cut at `position` or later
        for position in range(last_cut, first_cut + 1):
            low = x1
            if position < first_cut:
                fit = _regular_fit(case, room - bonus_before[position + 1], x2, regular_before[position + 1])
                if fit is not None:
                    low = max(x1, fit + 1)
            if low <= high:
                yield position, low, high
                high = low - 1

    def at(self, deferral: int) -> int:
        cuts = self.cuts
        if deferral not in cuts:
            cuts[deferral], _, self.column = _stop_at(self.case, deferral, self.bonus_deferral)
        return cuts[deferral]

    def boundary(self, stops: _Stops, x1: int, x2: int, cut: int) -> int:
        """The last election of [x1, x2) whose cut is ``cut`` (the cut at x1; it only falls as x rises): the
        checks before the cut fit the room, so a fit of their regular deferrals to the room less their bonus
        deferrals."""
        case = self.case
        boundary = _regular_fit(case, case.room - self.column[0][cut], x2 - 1, stops.regular_before[cut])
        if boundary is None or not x1 <= boundary < x2:      # (cannot happen; the slow way if it does)
            boundary = _largest(lambda deferral: self.at(deferral) == cut, x1, x2 - 1)
        return boundary


def _cut_pieces(case: _Case, stops: _Stops, cut: int) -> tuple[list[tuple[float, float, float, float]], float]:
    """For :func:`_cut_bound` (remembered per position): the tier pieces of the regular checks before check
    ``cut`` (a position among the checks with plan pay) and of the check itself, best rate first, as (rate, cents,
    0, 0) for a piece of the regular checks (each at most the plan's largest election) and (rate, -1, low edge,
    high edge) for one of a bonus check there (its size comes from its deferral); and the most their rounding can
    add."""
    known = stops.cut_pieces.get(cut)
    if known is not None:
        return known
    # What every cut shares, worked out once per case (``cut_parts``): the largest election's regular deferral,
    # the grains, and per match pay its tier pieces up to that deferral and whether its match can round up on
    # multiples of the regular grain; and per cut the regular checks with match pay up to it (see _cuts_bound).
    # (Each cut worked them out again: ~10-25 us a cut, the largest deferral's _amount alone ~9, over the 20-40
    # cuts a capped plan's searches bound: capped plan 165, 37.)
    parts = stops.cut_parts
    if parts is None:
        cap = _amount(case, case.pay, case.max_units, False)
        best_first = sorted(((rate, low, high) for rate, low, high in case.tiers if rate > 0), reverse=True)
        parts = stops.cut_parts = (cap, _regular_grain(case), _grain(case), {}, {}, best_first)
    cap, regular_grain, grain, per_pay = parts[:4]
    regular, match_pay = stops.regular[cut], stops.match_pays[cut]
    counts = dict(zip(stops.group_pays, stops.group_before[cut], strict=True))
    if regular:
        counts[match_pay] = counts.get(match_pay, 0) + 1
    pieces: list[tuple[float, float, float, float]] = []
    slack = 1e-6
    for pay, count in counts.items():
        if pay <= 0 or not count:
            continue
        shared = per_pay.get(pay)
        if shared is None:
            shared = per_pay[pay] = (_tier_sizes(case, pay, cap), not _whole(case, pay, regular_grain))
        pieces += [(rate, size * count, 0.0, 0.0) for rate, size in shared[0]]
        if shared[1]:
            slack += 0.5 * count      # (the cut check's own half cent is counted below, once more at most)
    if not regular and match_pay > 0:
        pieces += [(rate, -1.0, low * match_pay * 100, high * match_pay * 100)
                   for rate, low, high in case.tiers if rate > 0]
    if match_pay > 0 and not _whole(case, match_pay, grain):
        slack += 0.5      # the cut check keeps what is left of the room: a multiple of the case's grain only
    pieces.sort(reverse=True)
    known = stops.cut_pieces[cut] = (pieces, slack)
    return known


def _cut_bound(case: _Case, stops: _Stops, cut: int, column: Any) -> float:
    """A bound on the stopped match of every (x, y) of the bonus election whose stop column is ``column`` that
    the stop cuts at check ``cut``: the bonus checks' match before it (exact), plus the most the regular checks
    before it and the cut check (a bonus one at most its deferral) can get on what the bonus checks before it
    leave of the room, best rate first (their deferrals add up to that), plus their rounding."""
    pieces, slack = _cut_pieces(case, stops, cut)
    bonus_before, bonus_match_before = column
    deferral = bonus_before[cut + 1] - bonus_before[cut]      # (the cut check's, when it is a bonus check)
    bound = bonus_match_before[cut] + _fill_with_cut(pieces, case.room - bonus_before[cut], deferral) + slack
    return max(bound, case.true_up_floor) if case.true_up and case.tiers else bound


def _cut_rounding(case: _Case, stops: _Stops, cut: int, x1: int, x2: int, bound: float, column: Any,
                  grain: int = 0) -> float:
    """:func:`_cut_bound` ``bound`` at ``cut`` of the bonus column ``column`` for the regular elections [x1, x2]
    only (all cut there): the half cent it allows each regular check before the cut (whose match is not whole
    cents on every multiple of the regular grain) replaced by what rounding adds to that check's match at a(x1),
    where that is the same at every a(x) of the span: the regular deferrals a(x1) plus multiples of a step
    (bounds._span_step) on which the check's formula is one line moving by whole cents. Plan 93: 150% of
    deferrals that are all even there (a multiple of 3,188 cents apart), whose match rounds by nothing, where the
    half cent per check made the bound of its nine columns at x = 69..76 the ceiling, a cent above their most.

    Likewise the cut check, which keeps what is left of the room, room - bonus checks before it - n a(x): n steps
    apart, on one line of its formula moving by whole cents per n steps, its rounding is the same all along (the
    half cent or two _cut_pieces allows it replaced by that; plan 90, whole-dollar elections: a cent less).
    ``grain``: the case's (bounds._grain), worked out here when not given."""
    a1, a2 = _regular_amount(case, x1), _regular_amount(case, x2)
    # The regular checks' part depends on the cut and the span only, not on the column: worked out once per case
    # (capped plan 93's nine columns whose bound is its ceiling each tighten cuts 13 and 12 over x = 69-76 and 76-84),
    # with the span's step (bounds._span_step, ~1 us), which the cut check's part below needs too.
    key = (cut, x1, x2)
    known = stops.cut_roundings.get(key) if _MEMO_ROUNDINGS else None
    step = _span_step(case, x1, x2, a1, a2) if known is None else known[0]
    parts = stops.cut_parts      # (the regular grain, kept with what every cut shares: see _cut_pieces)
    regular_grain = _regular_grain(case) if parts is None else parts[1]
    cut_pay, n = stops.match_pays[cut], stops.regular_before[cut]
    fixed = case.room - column[0][cut]
    high, low = fixed - n * a1, fixed - n * a2      # what the cut check keeps, at x1 and at x2
    if cut_pay > 0 and 0 <= low and not any(low < edge < high for edge in _breaks(case, cut_pay)) and (
            _integer_slope(case, cut_pay, low, high, n * step)):
        allowed = ((0.5 if stops.regular[cut] and not _whole(case, cut_pay, regular_grain) else 0.0)
                   + (0.0 if _whole(case, cut_pay, grain or _grain(case)) else 0.5))
        gain = _match_cents(case, high, cut_pay) - _match_raw(case, high, cut_pay) if high > 0 else 0.0
        if allowed and abs(gain) < 0.5 - 1e-4:
            bound -= allowed - gain - 1e-4
    if known is None:
        known = (step, [])
        for group, count in enumerate(stops.group_before[cut]):
            pay = stops.group_pays[group]
            if not count or pay <= 0 or _whole(case, pay, regular_grain):
                continue      # (no half cent was allowed it: see _cut_pieces)
            if a2 > a1 and (any(a1 < edge < a2 for edge in _breaks(case, pay))
                            or not _integer_slope(case, pay, a1, a2, step)):
                continue
            gain = _match_cents(case, a1, pay) - _match_raw(case, a1, pay)
            if abs(gain) < 0.5 - 1e-4:      # (about half a cent: the floats may round it either way)
                known[1].append(count * (0.5 - gain - 1e-4))
        if _MEMO_ROUNDINGS:
            stops.cut_roundings[key] = known
    for less in known[1]:      # (one by one, as before: the same floats)
        bound -= less
    return max(bound, case.true_up_floor) if case.true_up and case.tiers else bound


def _cuts_bound(case: _Case, stops: _Stops, low_cut: int, high_cut: int, column: Any,
                regular_cap: int | None = None) -> float:
    """A bound on the stopped match of every (x, y) of the bonus election whose stop column is ``column`` that the
    stop cuts at a check from ``low_cut`` to ``high_cut``: :func:`_cut_bound` at the latest of them with the room
    the bonus checks before the earliest leave. Cut at c, the bonus checks before c are matched at most as those
    before high_cut are (their prefix only grows), the regular checks before c and the cut check are among those
    :func:`_cut_pieces` fills at high_cut (a bonus check cut before it is in that prefix, at its whole deferral),
    and what they share is at most the room less the bonus checks before low_cut.

    With ``regular_cap`` (a(x2) for elections up to x2): every regular check defers at most that (those before the
    cut a(x), the cut one what is left, less than a(x)), so each one's tier pieces end there instead of at the
    largest election's deferral. Capped plan 165, bonus election 50: its regular elections 16-69 defer $412-$1,777
    a check and are stopped at $16,108-$41,806 of match, under its true-up's floor, $42,500.00, while their cuts'
    pieces up to the largest election (75% of pay) filled the room to $42,500.08: ~60 elections were worked out
    one by one before the best at x = 70."""
    pieces, slack = _cut_pieces(case, stops, high_cut)
    bonus_before, bonus_match_before = column
    deferral = bonus_before[high_cut + 1] - bonus_before[high_cut]      # (the latest cut check's, when a bonus one)
    if regular_cap is not None and regular_cap < stops.cut_parts[0]:
        # Only when the regular checks with match pay, at a(x2) each (and a bonus cut check), cannot take the room
        # the bonus checks leave: elsewhere (the stop cuts there: n a(x) is about that room) the fill at a(x2) is
        # rarely lower, and worked out for every such span it cost capped plan 93 ~4%. (Their count per cut, kept
        # in ``cut_parts``.)
        matched = stops.cut_parts[4]
        count = matched.get(high_cut)
        if count is None:
            count = matched[high_cut] = sum(number for pay, number in zip(
                stops.group_pays, stops.group_before[high_cut], strict=True) if pay > 0) + (
                stops.regular[high_cut] and stops.match_pays[high_cut] > 0)
        budget = case.room - bonus_before[low_cut]
        if count * regular_cap + (0 if stops.regular[high_cut] else deferral) < budget:
            # The pieces tier by tier, best rate first (every check's tiers are the case's, at the same rates): each
            # one's pieces of the regular checks up to a(x2) and of a bonus cut check up to its deferral, filled as
            # the pieces up to the largest election are.
            cut_pay = stops.match_pays[high_cut]
            counts = [(pay, number + (pay == cut_pay and stops.regular[high_cut])) for pay, number in zip(
                stops.group_pays, stops.group_before[high_cut], strict=True) if pay > 0]
            bonus_pay = 0.0 if stops.regular[high_cut] else cut_pay
            pieces = []
            for rate, low, high in stops.cut_parts[5]:
                size = 0.0
                for pay, number in counts:      # (conditional expressions rather than min(): the same values)
                    edge = high * pay * 100
                    part = (regular_cap if regular_cap < edge else edge) - low * pay * 100
                    if part > 0 and number:
                        size += part * number
                if bonus_pay > 0:
                    edge = high * bonus_pay * 100
                    part = (deferral if deferral < edge else edge) - low * bonus_pay * 100
                    if part > 0:
                        size += part
                if size > 0:
                    pieces.append((rate, size, 0.0, 0.0))
    bound = (bonus_match_before[high_cut] + _fill_with_cut(pieces, case.room - bonus_before[low_cut], deferral)
             + slack + 0.5)      # (+ half a cent: the check cut may be one before high_cut, rounding up on the
    # case's grain where _cut_pieces counted high_cut's own half cent only)
    return max(bound, case.true_up_floor) if case.true_up and case.tiers else bound


def _unmatched_cuts_bound(case: _Case, stops: _Stops, low_cut: int, high_cut: int, column: Any) -> float:
    """A bound on the stopped match of every (x, y) of the bonus election whose stop column is ``column`` that the
    stop cuts at a check from ``low_cut`` to ``high_cut``, all in the year's last checks, those of no match pay
    (past the §401(a)(17) cap; infinite otherwise): cut at c, the n regular checks before it defer a each and fit the
    room beside the bonus checks before it, n a <= room - B(c) <= room - B(low_cut), of which only the p with match
    pay are matched, at most r a + half a cent each (r the highest tier rate; the formula is 0 at 0, its slope at
    most r). So the match is at most the bonus checks' before high_cut + r (p / n(low_cut)) (room - B(low_cut)) +
    p / 2; the cut check and those after it get none. Capped plan 133's column 0 below its best: cut at checks 29-53
    (26 regular checks of match pay and 1-25 past the cap before them) the match is at most 150% of 26/27 of the
    room, $35,388.89 + 13 cents, where :func:`_cuts_bound` fills the room at 150%."""
    # (From the first check of a suffix of checks of no match pay on, every cut there has the same p, the regular
    # checks of match pay before it all come before the suffix, and n grows with the cut: the most p / n is at
    # low_cut. Worked out once per case: the suffix's first check and p.)
    known = case.bands.get(_UNMATCHED)
    if known is None:
        first = len(stops.match_pays)
        while first and stops.match_pays[first - 1] <= 0:
            first -= 1
        matched = sum(number for pay, number in zip(stops.group_pays, stops.group_before[first], strict=True)
                      if pay > 0) if first < len(stops.match_pays) else 0
        known = case.bands[_UNMATCHED] = (first, matched, max((rate for rate, _, _ in case.tiers), default=0.0))
    first, matched, rate = known
    if low_cut < first or not matched or not stops.regular_before[low_cut]:
        return math.inf
    bound = (column[1][high_cut] + rate * matched / stops.regular_before[low_cut] * (case.room - column[0][low_cut])
             + 0.5 * matched + 1e-6)
    return max(bound, case.true_up_floor) if case.true_up else bound


def _truncated(case: _Case, deferral: int, bonus_deferral: int, need: int | None = None) -> int:
    """The match when a self-stopping payroll cuts planned deferrals above the room (no after-tax).

    The stop takes the excess off the end of the year: the paychecks before the one where the running total
    passes the room keep their deferral and match, that one keeps what is left of the room, the later ones
    get nothing. The running total is a count of regular checks times their deferral plus a prefix sum of
    bonus deferrals, so the check where it passes the room is found by bisection and the match is worked out
    for one deferral per match-pay group, the bonus prefix and the one cut check (O(log n), not O(n)).

    With ``need``: -1 instead when the stop's bound (:func:`_stop_bound`) is below ``need``.
    """
    stops = case.stops or _build_stops(case)
    if not stops.plan_pays:   # no check carries plan pay (pay of a fraction of a cent): no match to find
        return 0 if need is None or need <= 0 else -1
    regular = _regular_amount(case, deferral)
    column = _bonus_column(case, stops, deferral, bonus_deferral)
    bonus_before = column[0]
    regular_before = stops.regular_before
    room = case.room
    low, high = 1, len(regular_before) - 1
    while low < high:      # the first prefix whose deferrals pass the room (the whole year's do)
        middle = (low + high) // 2
        if regular_before[middle] * regular + bonus_before[middle] > room:
            high = middle
        else:
            low = middle + 1
    cut = low - 1
    if need is not None and _stop_bound(case, cut) < need:
        return -1
    return _stopped_match(case, stops, regular, cut, column)


def _regular_match(case: _Case, stops: _Stops, cut: int, regular: int) -> int:
    """The regular checks' match before check ``cut``, each at deferral ``regular`` (cents). One check's match
    per group is read off the group's memo by deferral: the searches ask for the same regular elections column
    after column, and the bounds for the same deferral at every cut of a box, box after box."""
    total = 0
    memos = stops.group_matches
    for group, count in enumerate(stops.group_before[cut]):
        if count:
            memo = memos[group]
            part = memo.get(regular)
            if part is None:
                part = memo[regular] = _match_cents(case, regular, stops.group_pays[group])
            total += count * part
    return total


def _stopped_match(case: _Case, stops: _Stops, regular: int, cut: int, column: Any) -> int:
    """The match of :func:`_truncated` once its cut is known: the bonus checks' before the cut (the column's
    prefix), each regular check's before it at the regular deferral (one per match-pay group, remembered per
    deferral: the searches ask for the same regular elections column after column) and the cut check's at what
    is left of the room."""
    bonus_before, bonus_match_before = column
    match = bonus_match_before[cut] + _regular_match(case, stops, cut, regular)
    left = case.room - stops.regular_before[cut] * regular - bonus_before[cut]
    if left > 0:
        match += _match_cents(case, left, stops.match_pays[cut])
    if case.true_up and case.tiers:
        match = max(match, case.true_up_floor)
    return match


def _stop_losses(case: _Case, deferral: int, bonus_deferral: int, excess: int) -> Iterator[tuple[int, int]]:
    """(kind, match lost) for each paycheck a self-stopping payroll cuts to take ``excess`` cents off the end
    of the year (per paycheck, before any true-up)."""
    regular = _amount(case, case.pay, deferral, False)
    units, bonus = _bonus_units(case, deferral, bonus_deferral)
    for _, kind, _, plan_pay, match_pay in reversed(case.events):
        if excess <= 0:
            break
        if plan_pay <= 0:
            continue
        d = regular if kind == _REGULAR else _amount(case, plan_pay, units, bonus)
        cut = min(d, excess)
        excess -= cut
        yield kind, _match_cents(case, d, match_pay) - _match_cents(case, d - cut, match_pay)


def _before_first_bonus(case: _Case) -> int:
    """The smallest regular election whose deferrals on the regular checks before the first bonus check pass
    the room (max_units + 1 when none does).

    From there on a self-stopping payroll stops before any bonus check, so the stopped candidate (x, y) pays
    what (x, y') pays for every other bonus election y': the same deferrals (the room) and the same match.
    A smaller y' wins the tie and leaves a larger bonus after-tax cap (every other cap is the same), so a
    column past the first one searched only needs the regular elections below this one.
    """
    stops = case.stops or _build_stops(case)
    if stops.before_first_bonus is None:
        first = next((i for i, regular in enumerate(stops.regular) if not regular), len(stops.regular))
        count = stops.regular_before[first]
        last = _largest(lambda units: count * _amount(case, case.pay, units, False) <= case.room, 0, case.max_units)
        stops.before_first_bonus = 0 if last is None else last + 1
    return stops.before_first_bonus


def _column_max(case: _Case, bonus_deferral: int, deferral_first: int, deferral_last: int,
                at_least: int = 0, budget: int | None = None) -> int:
    """The most stopped match of any regular election in [x_first, x_last] at bonus election y when it is
    ``at_least`` or more (else less than that; -1 if the range is empty): spans sharing a cut are bounded by
    :func:`_span` and the most promising span is split first, so a match that rises with x costs a few
    candidates, not one per election, and spans whose bound is below ``at_least`` are never split.

    With ``budget``: after that many spans, the most found so far instead (a match some election there pays,
    or less than ``at_least`` when none is found yet)."""
    import heapq

    stops = case.stops or _build_stops(case)
    if deferral_first > deferral_last or not stops.plan_pays or not (
            case.separate or case.dollars or not case.bonus_events or deferral_first >= _before_first_bonus(case)):
        return -1     # (when bonus checks take the regular election there is no span bound below x_b: no shortcut)
    best = at_least - 1
    cuts: dict[int, int] = {}
    column = None
    heap = [(-float("inf"), deferral_first, deferral_last)]
    while heap:
        negative_high, x1, x2 = heapq.heappop(heap)
        if -negative_high < best + 1:
            break       # the most promising span left cannot beat the best (whole cents): nor can the others
        if budget is not None:
            budget -= 1
            if budget < 0:
                break
        if x2 - x1 < 2:
            for deferral in range(x1, x2 + 1):
                best = max(best, _truncated(case, deferral, bonus_deferral))
            if best >= case.ceiling:
                return best     # no election pays more than the ceiling (see bounds._ceiling)
            continue
        for deferral in (x1, x2):
            if deferral not in cuts:
                cuts[deferral], _, column = _stop_at(case, deferral, bonus_deferral)
        middle = (x1 + x2) // 2
        if _PARITY_SPANS and case.tiers and cuts[x1] != cuts[x2]:
            # Over several cuts: split where the cut passes the middle one (the last x cut there or later, as in
            # _stopped_candidates), so that the spans of one cut, which have bounds, come soon.
            split = _regular_fit(case, case.room - column[0][(cuts[x1] + cuts[x2] + 1) // 2], x2 - 1,
                                 stops.regular_before[(cuts[x1] + cuts[x2] + 1) // 2])
            if split is not None and x1 <= split < x2:
                middle = split
        for low_x, high_x in ((x1, middle), (middle + 1, x2)):
            high = float("inf")
            for deferral in (low_x, high_x):
                if deferral not in cuts:
                    cuts[deferral], _, column = _stop_at(case, deferral, bonus_deferral)
            if _PARITY_SPANS and case.tiers and cuts[low_x] - cuts[high_x] >= 1:
                high = _cuts_bound(case, stops, cuts[high_x], cuts[low_x], column,
                                   _regular_amount(case, high_x) if _CAPPED_CUTS else None)
            elif cuts[low_x] == cuts[high_x]:
                _, high, ends, line = _span(case, low_x, high_x, cuts[low_x], column)
                # (a short span costs less election by election than settled by _parity_best)
                if (ends is None and line is not None and high >= best + 1 and _PARITY_SPANS
                        and high_x - low_x >= _SHORT_SPAN):
                    found = _parity_best(case, stops, low_x, high_x, cuts[low_x], column)
                    if found is not None:
                        ends, high = (found[1], found[1]), found[1]      # the span's most (see _parity_best)
                if ends is not None:
                    best = max(best, int(high))      # the span's most, at one of its ends
                    if best >= case.ceiling:
                        return best
                    continue
            if high >= best + 1:
                heapq.heappush(heap, (-high, low_x, high_x))
    return best


_UNMATCHED = "unmatched suffix"      # (the key of _unmatched_cuts_bound's suffix of checks in case.bands)
_PROBE_CUTS = True      # spans held to a match probed where a span over many cuts is split (tests compare without)
_EDGE_STEPS = True      # whole-dollar spans split at tier edges when the rates are whole cents a dollar (tests compare)
_SHORT_SPAN = 6      # a span of at most this many elections less one is worked out election by election
_PARITY_SPANS = True      # straight spans whose rounding repeats every 2 or 4 steps settled exactly (tests compare)
_PARITY_SCAN = 8      # elections looked at from each end of a span for the classes of its deferrals


def _parity_best(case: _Case, stops: _Stops, x1: int, x2: int, cut: int, column: Any) -> tuple[int, int] | None:
    """(x, match): the most stopped match of the span [x1, x2] (all cut at ``cut``) at the smallest x paying it,
    when every check's match follows one line on the span that moves by whole cents per q steps of its deferral
    (q = 2 or 4: e.g. 150% or 25% of odd-cent 0.1% steps, where bounds._span's exact spans need q = 1); None when
    that does not hold or the classes below are not all found.

    Then the match is a line in the regular deferral a plus what rounding adds, and what rounding adds to each
    check depends only on a's class, a // step mod q (q steps of a move every check's unrounded match, a regular
    one's by q rate step and the cut one's by q rate n step, by whole cents: its fraction of a cent is the same).
    Within a class the match is a line in a, most at one of the class's ends: its first election, or the first
    paying its last deferral (a(x) only grows with x). So the span's most is the best of at most 2 q elections,
    and every other election pays less or as much with a larger x.

    The classes' ends: with 0.1% steps of P cents, a(x) = d x + r(x), d = P k // 1000 and r(x) = (e x + 500) //
    1000 (e = P k mod 1000) rising by 0 or 1 per step; when q divides d the class is r(x) mod q, and the first
    (last) x of each class is where r first (last) takes a value of that class, found by bisection. Otherwise
    _PARITY_SCAN elections at each end (all of a short span), where every class must be seen."""
    if x1 >= x2:
        return None
    bonus_before = column[0]
    counts = stops.group_before[cut]
    pays = stops.group_pays
    cut_pay = stops.match_pays[cut]
    n = stops.regular_before[cut]
    fixed = case.room - bonus_before[cut]
    a1, a2 = _regular_amount(case, x1), _regular_amount(case, x2)
    l1, l2 = fixed - n * a1, fixed - n * a2
    if a1 >= a2 or l2 < 0:
        return None
    if any(a1 < edge < a2 for group, count in enumerate(counts) if count for edge in _breaks(case, pays[group])):
        return None
    if n and any(l2 < edge < l1 for edge in _breaks(case, cut_pay)):
        return None
    step = _regular_step(case, a2)
    active = [pays[group] for group, count in enumerate(counts) if count]

    def whole_per(q: int) -> bool:
        return (all(_integer_slope(case, pay, a1, a2, q * step) for pay in active)
                and (not n or _integer_slope(case, cut_pay, l2, l1, q * n * step)))

    if whole_per(1):
        return None      # (an exact span: bounds._span's ends)
    q = next((q for q in (2, 4) if whole_per(q)), None)
    if q is None:
        return None
    ends: dict[int, tuple[int, int]] = {}      # class -> (its first election, its last)
    per_unit = round(case.pay * 100) * case.unit_k // 1000
    if step == 1 and not case.dollars and per_unit % q == 0:
        def first_at(value: int) -> int:      # the first x in [x1, x2] with r(x) >= value (r(x2) >= value)
            low, high = x1, x2
            while low < high:
                middle = (low + high) // 2
                if _regular_amount(case, middle) - per_unit * middle >= value:
                    high = middle
                else:
                    low = middle + 1
            return low

        r1, r2 = a1 - per_unit * x1, a2 - per_unit * x2
        for value in range(r1, min(r1 + q, r2 + 1)):
            top = r2 - (r2 - value) % q
            ends[value % q] = (first_at(value), x2 if top == r2 else first_at(top + 1) - 1)
    else:
        width = x2 - x1 + 1
        scan = width if width <= 2 * _PARITY_SCAN else _PARITY_SCAN
        first: dict[int, int] = {}
        for deferral in range(x1, x1 + scan):
            first.setdefault(_regular_amount(case, deferral) // step % q, deferral)
        last: dict[int, int] = {}
        for deferral in range(x2, x2 - scan, -1):
            last.setdefault(_regular_amount(case, deferral) // step % q, deferral)
        if scan < width and (len(first) < q or len(last) < q):
            return None
        ends = {kind: (low_x, last[kind]) for kind, low_x in first.items()}
    best: tuple[int, int] | None = None
    for low_x, last_x in ends.values():
        high_x = _first_paying(case, low_x, last_x)
        candidate = (low_x, _stopped_match(case, stops, _regular_amount(case, low_x), cut, column))
        if high_x != low_x:
            high_match = _stopped_match(case, stops, _regular_amount(case, high_x), cut, column)
            if high_match > candidate[1]:
                candidate = (high_x, high_match)
        if best is None or candidate[1] > best[1] or (candidate[1] == best[1] and candidate[0] < best[0]):
            best = candidate
    return best


_PARITY_CUTS = 64      # a column cut at more checks than this is not bounded cut by cut (0: never)
_TIGHT_SPANS = True      # spans over several cuts bounded so too, not only the whole column (tests compare)
_FLAT_CUTS = True      # runs of cuts on the first tier's line bounded at once (see _ColumnCuts._flat; tests compare)
_MEMO_COLUMNS = True      # a stop column's bonus match from the case's memo where known (tests compare)
_MEMO_ROUNDINGS = True      # _cut_rounding's regular checks' part kept per (cut, x1, x2) (tests compare)
_TIGHT_MISSES = 3      # tries of those bounds in a row that drop nothing, after which a column stops trying
_CUT_BOUNDS = 4      # a span whose elections are cut at more checks than this is not bounded per cut
_CUTS_SPLIT = True      # a span over several cuts bounded at once and split at its middle cut (tests compare)
_STRETCH_CUTS = True      # _ColumnCuts.most skips the cuts a later cut's bound covers (tests compare without)
_CAPPED_CUTS = True      # that bound with each regular check's pieces ending at a(x2) (see _cuts_bound; tests compare)


def _undominated(case: _Case, x1: int, x2: int, line: tuple[float, float, float]) -> tuple[int, int]:
    """The part of a straight span [x1, x2] whose elections may pay as much as its steeper end: every match
    is within ``slack`` of the line from v1 at a(x1) to v2 at a(x2) (see bounds._span), so where the line is
    more than twice the slack below the higher end, the election pays less than that end does (and is neither
    the best nor a member). Kept a cent of deferral wider than the line says."""
    v1, v2, slack = line
    a1, a2 = _amount(case, case.pay, x1, False), _amount(case, case.pay, x2, False)
    if a2 <= a1:
        return x1, x2
    if v2 - v1 > 2 * slack:      # rising: below a_cut the line is more than 2 slack under v2
        a_cut = a2 - 2 * slack * (a2 - a1) / (v2 - v1)
        below = _fit_amount(case, math.ceil(a_cut) - 2, 1, x1, x2)
        return (x1, x2) if below is None else (below + 1, x2)
    if v1 - v2 > 2 * slack:      # falling: above a_cut the line is more than 2 slack under v1
        a_cut = a1 + 2 * slack * (a2 - a1) / (v1 - v2)
        within = _fit_amount(case, math.floor(a_cut) + 1, 1, x1, x2)
        return (x1, x2) if within is None else (x1, within)
    return x1, x2


def _first_paying(case: _Case, x1: int, x2: int) -> int:
    """The smallest regular election in [x1, x2] whose regular deferral is x2's."""
    amount = _amount(case, case.pay, x2, False)
    while x2 > x1 and _amount(case, case.pay, x2 - 1, False) == amount:
        x2 -= 1
    return x2


_MOVING_SPANS = True      # below x_b with bonus checks on the regular election: spans bounded (tests compare)


def _moving_bonus_candidates(case: _Case, stops: _Stops, deferral_first: int, deferral_last: int, need: Any
                             ) -> Iterator[tuple[int, int] | None]:
    """For :func:`_stopped_candidates` when bonus checks take the regular election, below x_b: (x, its stopped
    match) for the elections of [x_first, x_last] (rising) whose match reaches ``need(x)``, then None if the
    stop's bound (bounds._stop_bound, which only falls as x rises and the cut with it) falls below the need.

    Every deferral, the bonus checks' too, only grows with x, so the cut only falls as x rises, and on a span of
    elections cut at one check c every check before c defers, and is matched, at most what it does at x2, while
    the cut check keeps at most what x1 leaves it: the match at x2's deferrals before c plus the cut check's at
    x1's left bounds the span (each check's rounded match only grows with its deferral). Spans below the need are
    dropped, others halved down to _SHORT_SPAN elections, each worked out (capped plan 118 worked out all 459)."""
    spans = [(deferral_first, deferral_last)]
    while spans:
        x1, x2 = spans.pop()
        floor = need(x1)
        cut, regular, column = _stop_at(case, x1, 0)
        if _stop_bound(case, cut) < floor:
            yield None
            return
        if x2 - x1 < _SHORT_SPAN:
            for deferral in range(x1, x2 + 1):
                if deferral > x1:
                    cut, regular, column = _stop_at(case, deferral, 0)
                match = _stopped_match(case, stops, regular, cut, column)
                if match >= need(deferral):
                    yield deferral, match
            continue
        last_cut, last_regular, last_column = _stop_at(case, x2, 0)
        if last_cut == cut:
            left = max(0, case.room - stops.regular_before[cut] * regular - column[0][cut])
            bound = (last_column[1][cut] + _match_cents(case, left, stops.match_pays[cut])
                     + _regular_match(case, stops, cut, last_regular))
            if case.true_up:
                bound = max(bound, case.true_up_floor)
            if bound < floor:
                continue
        middle = (x1 + x2) // 2
        spans.append((middle + 1, x2))
        spans.append((x1, middle))


def _stopped_candidates(case: _Case, bonus_deferral: int, deferral_first: int, deferral_last: int, need: Any,
                        top: int | None = None) -> Iterator[tuple[int, int | None]]:
    """(x, its stopped match or None when not worked out) for the regular elections in [x_first, x_last]
    (rising) whose stopped match can be at least ``need(x)`` (called again as the search goes on; it may only
    rise) and at most ``top``: spans sharing a cut are bounded by :func:`_span` and split until a span is
    dropped whole or is short (_SHORT_SPAN elections or fewer: then each election's match is worked out, cheaper
    than bounding, and only those reaching the need are given). When bonus checks take the regular election,
    their deferrals move with x too: no bound, every election below x_b (from there on the stop cuts before
    the first bonus check, and they count for nothing).

    Two shortcuts, both exact: a span's upper bound also bounds its halves (same cut, the deferrals of each
    half within the span's), so a half is dropped on it before its own bound is worked out when ``need`` has
    risen past it meanwhile; and a span whose bounds meet (every election pays the same match, e.g. the
    true-up floor) yields its first election only: the later ones pay the same with a larger x, which changes
    nothing for either search that calls this (a tie goes to the smaller x, and §415(c) sees the same money)."""
    stops = case.stops or _build_stops(case)
    if not (case.separate or case.dollars or not case.bonus_events):
        # Bonus checks on the regular election: below x_b (see _before_first_bonus) their deferrals move with x,
        # no bound; from x_b on the stop cuts before the first of them, and the spans' bounds hold as without.
        split = min(deferral_last + 1, max(deferral_first, _before_first_bonus(case)))
        if _MOVING_SPANS and top is None and case.tiers and stops.plan_pays and split - deferral_first > _SHORT_SPAN:
            for found in _moving_bonus_candidates(case, stops, deferral_first, split - 1, need):
                if found is None:
                    return      # the stop's bound is below the need from here on (see _moving_bonus_candidates)
                yield found
        else:
            for deferral in range(deferral_first, split):
                yield deferral, None
        deferral_first = split
    if not stops.plan_pays or deferral_first > deferral_last:
        for deferral in range(deferral_first, deferral_last + 1):
            yield deferral, None
        return
    spans: list[tuple[int, int, float, float]] = [(deferral_first, deferral_last, float("inf"), -1.0)]
    cuts = _ColumnCuts(case, bonus_deferral)
    whole_rates = all(rate == int(rate) for rate, _, _ in case.tiers)
    whole_steps = _EDGE_STEPS and case.dollars and all(abs(rate * 100 - round(rate * 100)) < 1e-9
                                                       for rate, _, _ in case.tiers)
    # Spans over several cuts are bounded by their cuts' bounds, each tightened by the rounding of the regular
    # deferrals cut there (see _ColumnCuts.most): below the need, nothing in the span is (plan 93: 9 columns of
    # ~15 spans each go at once; plan 90: after its first candidate, ~30 flat spans one cut each).
    tight_cuts = _PARITY_CUTS and case.tiers and not whole_rates and top is None
    if tight_cuts:
        first_cut, last_cut = cuts.at(deferral_first), cuts.at(deferral_last)
        if first_cut - last_cut <= _PARITY_CUTS:
            cuts.cut_ranges = (deferral_first, deferral_last, first_cut, last_cut)
        else:
            tight_cuts = False
    misses = 0
    # A match some election of the column pays (probed where a span over many cuts is split, see below): no
    # election paying less is the best or a member, so spans are held to it too, not only to the need (which the
    # search raises candidate by candidate as the match climbs cut by cut, capped plan 133's column 0).
    probed = [-1]
    # (Not with a true-up: its floor pays many elections alike, and probes cost capped plan 165 and plan 527 more
    # than they saved.)
    probing = _PROBE_CUTS and top is None and case.separate and not case.true_up and case.tiers and all(
        rate >= 0 for rate, _, _ in case.tiers)
    asked = need      # (the caller's need: held to the probed match too once there is one, see below)

    while spans:
        x1, x2, above, checked = spans.pop()
        if x1 > x2 or above < need(x1):
            continue      # (empty) or the enclosing span's bound already falls short of what is needed now
        cut = cuts.at(x1)
        if x1 == x2 or (x2 - x1 < _SHORT_SPAN and cut == cuts.at(x2)):
            column = cuts.column
            matches = [_stopped_match(case, stops, _regular_amount(case, deferral), cut, column)
                       for deferral in range(x1, x2 + 1)]
            # An election paying less than a later one of the span is never the best nor a member (the later
            # one pays more): only those paying at least every later one are given.
            later = -1
            for index in range(len(matches) - 1, -1, -1):
                if matches[index] < later:
                    matches[index] = -1
                else:
                    later = matches[index]
            for deferral, match in zip(range(x1, x2 + 1), matches, strict=True):
                if match >= 0 and match >= need(deferral) and (top is None or match <= top):
                    yield deferral, match
            continue
        last_cut = cuts.at(x2)
        if not _TIGHT_SPANS:
            tight_cuts = False      # (the whole column only: the first span)
        if whole_rates and case.tiers and 0 < cut - last_cut < _CUT_BOUNDS:
            # Every election of the span is cut at one of last_cut..cut: the most of those cuts' bounds bounds it
            # (before it is split where the cut moves; a span of one cut has its own bound below). With whole
            # rates only: there the columns' most is a few cents from their bound (exact spans), elsewhere
            # these bounds rarely drop a span (plan 723: none of 150).
            above = min(above, max(cuts.bound(stops, position) for position in range(last_cut, cut + 1)))
            if above < need(x1):
                continue
        if _CUTS_SPLIT and case.tiers and cut - last_cut >= 2 and _cuts_bound(
                case, stops, last_cut, cut, cuts.column, _regular_amount(case, x2) if _CAPPED_CUTS else None
        ) < need(x1):
            continue      # (a bound over all of them at once, see below; each regular check at most a(x2))
        if (probing and cut - last_cut >= 2
                and _unmatched_cuts_bound(case, stops, last_cut, cut, cuts.column) < need(x1)):
            continue      # (cut checks past the §401(a)(17) cap: the checks before them of no match pay take room)
        if (tight_cuts and misses < _TIGHT_MISSES and cut != last_cut and need(x1) > checked
                and x2 - x1 + 1 >= _SHORT_SPAN * (cut - last_cut + 1)):
            # (once per need: a span whose bound reached it is split, and its parts are tried again only when the
            # need has risen since, e.g. past a candidate given meanwhile; not after _TIGHT_MISSES tries in a row
            # that dropped nothing, until a span's own bound drops it: a match rising with x across the cuts, each
            # cut giving a candidate that raises the need, as in the first column of capped plans 90 and 133, up
            # to its peak; and not over cuts of a few elections each, cheaper worked out one by one, as in capped
            # plan 108)
            checked = need(x1)
            if cuts.most(stops, cut, last_cut, checked) < checked:
                misses = 0
                continue
            misses += 1
            if misses < _TIGHT_MISSES and _TIGHT_SPANS:
                # Split around the cut whose bound reaches the need: the other cuts' parts are bounded again (at
                # the same need), that cut's part alone is searched.
                for low, high, alone in reversed(cuts.around(stops, x1, x2, cuts.reached)):
                    spans.append((low, high, above, checked if alone else -1.0))
                continue
        if _CUTS_SPLIT and case.tiers and cut - last_cut >= 2:
            # Over many cuts: a bound over all of them at once (_cuts_bound, above) drops the span, or it is split
            # at its middle cut (the last x cut there or later), so that runs of cuts far from the best go at once.
            middle_cut = (last_cut + cut + 1) // 2
            boundary = cuts.boundary(stops, x1, x2, middle_cut)
            if probing:
                # (the first election past the lower part: searched after it, it pays this; the lower part is held
                # to it. Capped plan 133's column 0: the cuts 29-53, each with 26 regular checks of match pay among
                # the 27-51 before it, cannot reach what its early probes find)
                if probed[0] < 0:

                    def need(deferral: int, asked: Any = asked, probed: list[int] = probed) -> int:
                        return max(asked(deferral), probed[0])

                probed[0] = max(probed[0], _truncated(case, boundary + 1, bonus_deferral))
            spans.append((boundary + 1, x2, above, checked))
            spans.append((x1, boundary, above, checked))
            continue
        if cut != last_cut:
            # The stop moves inside the span: split it where it moves, instead of halving down to single
            # elections there.
            boundary = cuts.boundary(stops, x1, x2, cut)
            spans.append((boundary + 1, x2, above, checked))
            spans.append((x1, boundary, above, checked))
            continue
        if whole_rates:
            # With whole rates a straight span is exact (see bounds._span) and a span across a tier edge is
            # rarely dropped by its bound: split it at the edge first, without bounding it.
            middle = _edge_split(case, x1, x2, cut, cuts.column)
            if middle is not None:
                spans.append((middle + 1, x2, above, checked))
                spans.append((x1, middle, above, checked))
                continue
        floor = need(x1)
        ceiling = float("inf") if top is None else top
        low, high, ends, line = _span(case, x1, x2, cut, cuts.column)
        if high < floor or low > ceiling:
            misses = 0      # (past a peak: the cuts' bounds may drop what follows, see above)
            continue
        if low == high:
            yield x1, None      # every election in the span pays exactly this: the first one stands for them all
            continue
        if ends is not None and top is None:
            # The match follows one line from x1 to x2: its most is at one end, and every other election pays
            # less, or as much with a larger x (the same regular deferral as that end): only that end counts.
            yield (x1, ends[0]) if ends[0] >= ends[1] else (_first_paying(case, x1, x2), ends[1])
            continue
        if _PARITY_SPANS and line is not None and top is None:
            # A straight span whose rounding repeats every two or four steps: its most at the smallest x paying it
            # (see _parity_best), instead of halving. Every other election pays less (so at least a cent less than
            # the need at it, which is at most a cent above the need at that x) or as much with a larger x.
            found = _parity_best(case, stops, x1, x2, cut, cuts.column)
            if found is not None:
                if found[1] >= need(found[0]):
                    yield found
                continue
        if line is not None and top is None and x2 - x1 >= _SHORT_SPAN:
            part = _undominated(case, x1, x2, line)
            if part != (x1, x2):
                spans.append((*part, high, checked))
                continue
        # With whole rates, or rates that are whole cents a dollar on whole-dollar elections (150%, 25%), split at a
        # tier edge inside the span: each part is then exact (see _span). (With other rates it costs more than
        # halving saves. Capped plan 133's column 0 past its best: the span cut at check 9 across 20% of pay, 3
        # spans bounded where halving bounded 11; the 10 plans of both sets this reaches, 0.84-0.99x.)
        middle = _edge_split(case, x1, x2, cut, cuts.column) if whole_rates or whole_steps else None
        if middle is None:
            middle = (x1 + x2) // 2
        spans.append((middle + 1, x2, high, checked))
        spans.append((x1, middle, high, checked))
