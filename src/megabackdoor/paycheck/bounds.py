"""Bounds on the match for the solver's search: the most any elections can give (:func:`_ceiling`), the most
a payroll stopped at a given check can give (:func:`_stop_bound`), the most and least over a span of regular
elections that share a stop (:func:`_span_bounds`) and over a whole bonus-election column (:func:`_column_bound`).
Elections are named as in :mod:`megabackdoor.paycheck.solver`.
"""

from __future__ import annotations

import bisect
import math

from ..match import match_on_edges, pay_edges
from ..rounding import whole_cents as _cents
from .case import _REGULAR, _amount, _annual_match, _Case, _match_cents, _match_dollars, _match_memo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any


def _best_rates_first(pieces: list[tuple[float, float]], budget: float) -> float:
    """The most match ``budget`` of deferrals can buy from ``pieces`` of (rate, pay the rate applies to),
    given highest rate first, in the budget's unit (dollars or cents): a bound on any split of the budget
    among them."""
    bound = 0.0
    for rate, part in pieces:
        if budget <= 0:
            break
        take = part if part < budget else budget      # min(part, budget), without the call (equal on a tie)
        bound += rate * take
        budget -= take
    return bound


def _check_deferrals(case: _Case, kind: int, plan_pay: float, regular_cap: int, regular_grain: int,
                     separate: bool) -> tuple[int, int]:
    """The most one check can defer (cents) and the step its deferrals are multiples of (cents), for the
    ceiling's fills; (0, 0) for a bonus check on whole-dollar elections without a separate bonus election,
    which defers nothing."""
    if kind == _REGULAR:
        return regular_cap, regular_grain
    if separate:
        return _amount(case, plan_pay, case.bonus_max_units, True), _step_cents(plan_pay, case.bonus_k)
    if case.dollars:
        return 0, 0
    return _amount(case, plan_pay, case.max_units, False), _step_cents(plan_pay, case.unit_k)


def _ceiling(case: _Case) -> int:
    """The most match any elections can give (cents): at most the full match, and at most what the year's
    room buys when every cent of it goes to the best-matched pay first (the tiers' pieces of every check,
    highest rate first, each check taking at most the plan's largest election), plus half a cent of rounding
    for each check whose match is not always whole cents on the deferrals it can get (a multiple of its own
    step, except the one check a payroll stop cuts; later ones defer nothing). A true-up pays at least the
    formula on the room.

    When the best candidate found reaches this bound at the full room, nothing can beat it: the search uses
    it the way it uses the full match (see ``_phase1_from``).
    """
    case.rounding_before, case.match_bound, case.true_up_floor = None, 0.0, 0
    case.cap_pieces = None
    if not case.tiers:
        return 0
    separate = case.separate and bool(case.bonus_events)
    regular_cap = _amount(case, case.pay, case.max_units, False)
    pieces: list[tuple[float, float]] = []
    fixed: list[tuple[float, float]] = []     # the pieces of the checks other than the regular ones
    regular_counts: dict[float, int] = {}     # regular checks with plan pay and match pay, per match pay
    half_cents = 0
    rounding: list[float] = []     # per check with plan pay: the most its match's rounding can add (cents)
    grain = _grain(case)
    regular_grain = _regular_grain(case)
    # Half cents of rounding: a check the payroll does not cut defers a multiple of its own step (its
    # `exact` grain), and rounds up only when its match is not whole cents on those; the one check a stop cuts
    # keeps a multiple of the case's grain only, and the checks after it defer nothing. So the most is over
    # where the cut falls (or none): the uncut checks' half cents before it, plus the cut check's.
    uncut = most_half_cents = 0
    checks: dict[tuple[int, float, float], tuple[list[tuple[float, float]], bool, bool]] = {}
    for _, kind, _, plan_pay, match_pay in case.events:
        if plan_pay <= 0:
            continue
        if match_pay <= 0:
            rounding.append(0.0)
            continue
        check = checks.get((kind, plan_pay, match_pay))      # (checks alike, e.g. the regular ones, once)
        if check is None:
            cap, exact = _check_deferrals(case, kind, plan_pay, regular_cap, regular_grain, separate)
            # The check's match is whole cents when rate x every deferral it can get and rate x each tier edge
            # are (every deferral is a multiple of `grain` cents, see _grain; an uncut one, of `exact`).
            parts = []
            for rate, low, high in case.tiers:
                part = min(cap / 100, high * match_pay) - low * match_pay
                if part > 0 and rate > 0:
                    parts.append((rate, part))
            check = checks[kind, plan_pay, match_pay] = (parts, _whole(case, match_pay, grain),
                                                         _whole(case, match_pay, exact))
        parts, whole, whole_exact = check
        pieces += parts
        if kind == _REGULAR:
            regular_counts[match_pay] = regular_counts.get(match_pay, 0) + 1
        else:
            fixed += parts
        # most_half_cents = max(most_half_cents, uncut + (not whole)): the stop cuts this check (without max()).
        if whole:
            if uncut > most_half_cents:
                most_half_cents = uncut
            rounding.append(0.0)
        else:
            half_cents += 1
            if uncut >= most_half_cents:
                most_half_cents = uncut + 1
            rounding.append(0.5)
        if not whole_exact:
            uncut += 1
    bound = _best_rates_first(sorted(pieces, reverse=True), max(0, case.room) / 100)
    # What rounding can add up to each stop position (a stopped payroll's later checks have no match).
    before, rounding_before = 0.0, [0.0]
    for gain in rounding:
        before += gain
        rounding_before.append(before)
    case.rounding_before = rounding_before
    case.match_bound = bound * 100 + 1e-6
    half_cents = min(half_cents, max(most_half_cents, uncut))
    case.cap_pieces = (fixed, tuple(regular_counts.items()), half_cents * 0.5)
    ceiling = int(bound * 100 + half_cents * 0.5 + 1e-6)
    top_rate = max(rate for rate, _, _ in case.tiers)
    if top_rate == int(top_rate):
        # Each check's match is at most top_rate x its deferral, a whole number of cents: no rounding gain.
        ceiling = min(ceiling, int(top_rate) * max(0, case.room))
    case.true_up_floor = 0
    if case.true_up:
        case.true_up_floor = _annual_match(case, case.ytd_def + max(0, case.room)) - case.ytd_match
        ceiling = max(ceiling, case.true_up_floor)
    return min(case.match_full, ceiling)


def _tight_ceiling(case: _Case) -> int:
    """The ceiling (see :func:`_ceiling`) with the envelope fill where that is lower (:func:`_envelope_ceiling`):
    worked out on demand (~0.06 ms a case), when a best at the room below the ceiling may be the most. Capped
    plan 156: 4,250,025 -> 4,249,991, its best (the formula's 5% edge of its $7,826.05 pay is $391.3025, no
    deferral's)."""
    if not case.tiers:
        return case.ceiling
    envelope = _envelope_ceiling(case, _amount(case, case.pay, case.max_units, False), _regular_grain(case),
                                 _grain(case), case.separate and bool(case.bonus_events))
    if envelope >= case.ceiling:
        return case.ceiling
    return min(case.ceiling, max(int(envelope), case.true_up_floor) if case.true_up else int(envelope))


def _envelope_ceiling(case: _Case, regular_cap: int, regular_grain: int, grain: int, separate: bool) -> float:
    """The ceiling's fill (see :func:`_ceiling`) with each check's tiers replaced by the envelope of its rounded
    match on the deferrals it can get (:func:`_rounded_envelope`: a multiple of its own step, up to its largest
    election), and the one check a payroll stop cuts (a multiple of the case's grain) by its envelope there,
    which is at most `gap` above: no rounding left to add. Infinite when some envelope is not known exactly."""
    envelopes: dict[tuple[float, int, int], Any] = {}
    pieces: list[tuple[float, float]] = []
    gap = 0.0
    for _, kind, _, plan_pay, match_pay in case.events:
        if plan_pay <= 0 or match_pay <= 0:
            continue
        cap, exact = _check_deferrals(case, kind, plan_pay, regular_cap, regular_grain, separate)
        if not exact:
            continue       # a bonus check on whole-dollar elections defers nothing
        key = (match_pay, exact, cap)
        known = envelopes.get(key)
        if known is None:
            own = _rounded_envelope(case, match_pay, exact, cap)
            cut = own if exact == grain else _rounded_envelope(case, match_pay, grain, cap)
            if own is None or cut is None:
                return float("inf")
            known = envelopes[key] = (_envelope_pieces(own), _envelope_gap(cut, own))
        pieces += known[0]
        gap = max(gap, known[1])
    pieces.sort(reverse=True)
    return _best_rates_first(pieces, max(0, case.room)) + gap + 1e-3


def _cap_bound(case: _Case, deferral: int) -> float:
    """A bound on the match, before any true-up, of every (x, y) at regular election x or below: the ceiling's
    (see :func:`_ceiling`) with each regular check taking at most its deferral a(x) instead of the plan's largest
    election's (the payroll stop only cuts deferrals). It only grows with x, so the rows (x) below the first
    whose bound reaches the ceiling can be skipped at once (see ``solver._row_members``)."""
    found = _cap_pieces(case, _amount(case, case.pay, deferral, False))
    if found is None:
        return 0.0
    pieces, half = found
    bound = _best_rates_first(pieces, max(0, case.room) / 100)
    return bound * 100 + half + 1e-4


def _cap_pieces(case: _Case, regular_cap: int) -> tuple[list[tuple[float, float]], float] | None:
    """The ceiling's pieces (rate, dollars of deferral), best rate first, with each regular check deferring at
    most ``regular_cap`` cents, and the most their rounding adds (cents); None when there is no match. For
    :func:`_cap_bound` and the table search's bound on a column's match (``solver._columns_within_room``)."""
    if case.cap_pieces is None:
        return None
    fixed, groups, half = case.cap_pieces
    cap = regular_cap / 100
    pieces = list(fixed)
    for match_pay, count in groups:
        for rate, low, high in case.tiers:
            part = min(cap, high * match_pay) - low * match_pay
            if part > 0 and rate > 0:
                pieces.append((rate, part * count))
    pieces.sort(reverse=True)
    return pieces, half


def _grain(case: _Case) -> int:
    """A whole number of cents that divides every deferral any check can get (1 when nothing better is known).

    Regular checks defer a multiple of one step (x x pay x step, exact in cents when pay x step is; dollar
    elections: 100 x units or the whole pay), bonus checks likewise for their election, and a check the
    payroll stop cuts keeps the room (or the stop's count) less such multiples.
    """
    import math

    def step(plan_pay: float, thousandths: int) -> int:
        cents = round(plan_pay * 100)
        return cents * thousandths // 1000 if (cents * thousandths) % 1000 == 0 else 1

    pay_cents = round(case.pay * 100)
    grain = math.gcd(100, pay_cents) if case.dollars else step(case.pay, case.unit_k)
    for event in case.bonus_events:
        if case.separate:
            grain = math.gcd(grain, step(event[3], case.bonus_k))
        elif not case.dollars:
            grain = math.gcd(grain, step(event[3], case.unit_k))
    return max(1, math.gcd(grain, abs(case.room), abs(case.stop)))


def _after_tax_grain(case: _Case) -> int:
    """A whole number of cents that divides the year's scheduled after-tax money at every election (1 when
    nothing better is known): n regular checks of a multiple of the regular grain (see _regular_grain), plus
    each bonus check's multiple of its own step (a separate bonus election's, or the regular one's; with
    whole-dollar elections bonus checks take no after-tax money unless elected separately)."""
    import math

    grain = case.n_regular * _regular_grain(case)
    for event in case.bonus_events:
        if case.separate:
            grain = math.gcd(grain, _step_cents(event[3], case.bonus_k))
        elif not case.dollars:
            grain = math.gcd(grain, _step_cents(event[3], case.unit_k))
    return max(1, grain)


def _step_cents(plan_pay: float, thousandths: int) -> int:
    """The cents of one election step of ``thousandths`` of a check's plan pay, when whole (else 1)."""
    cents = round(plan_pay * 100)
    return cents * thousandths // 1000 if (cents * thousandths) % 1000 == 0 else 1


def _row_bound(case: _Case, deferral: int) -> float:
    """A bound on the match, before any true-up, of every (x, y) at regular election x: the tiers' pieces of the
    year's room (see _ceiling, ``match_bound``) plus the rounding the checks can add, with the regular checks'
    exact at x (each rounds by the same amount, up or down: one deferral a(x) per match pay), a bonus check's
    half a cent when its match can round up on multiples of its step, and the cut check's (the stop's check
    keeps a multiple of the case's grain; later checks defer nothing). The most over where the cut falls."""
    if not case.tiers:
        return 0.0
    layout = case.row_rounding
    if layout is None:
        layout = case.row_rounding = _row_layout(case)
    amount = _amount(case, case.pay, deferral, False)
    gains = {}
    running = most = 0.0
    for regular, match_pay, half, cut_half in layout:
        most = max(most, running + cut_half)        # the stop cuts this check
        if regular:
            gain = gains.get(match_pay)
            if gain is None:
                gain = gains[match_pay] = _match_cents(case, amount, match_pay) - _match_raw(case, amount, match_pay)
            running += gain
        else:
            running += half
    return case.match_bound + max(most, running) + 1e-6


def _row_layout(case: _Case) -> list[tuple[bool, float, float, float]]:
    """For :func:`_row_bound`, per check with plan pay in date order: (regular, match pay, the half cent its
    match can round up on multiples of its own step, the half cent it can round up as the stop's cut check)."""
    grain = _grain(case)
    layout = []
    for _, kind, _, plan_pay, match_pay in case.events:
        if plan_pay <= 0:
            continue
        if kind == _REGULAR:
            exact = _regular_grain(case)
        elif case.separate:
            exact = _step_cents(plan_pay, case.bonus_k)
        else:
            exact = 0 if case.dollars else _step_cents(plan_pay, case.unit_k)
        half = 0.0 if match_pay <= 0 or _whole(case, match_pay, exact) else 0.5
        cut_half = 0.0 if match_pay <= 0 or _whole(case, match_pay, grain) else 0.5
        layout.append((kind == _REGULAR, match_pay, half, cut_half))
    return layout


def _stop_bound(case: _Case, cut: int) -> int:
    """A bound on the match of any candidate whose payroll stops at check ``cut`` (index among the checks
    with plan pay): the ceiling, with only the rounding of the checks up to the stop (later ones get none)."""
    if not case.tiers:
        return 0
    per_check = int(case.match_bound + case.rounding_before[cut + 1])
    return min(case.ceiling, max(per_check, case.true_up_floor))


def _breaks(case: _Case, match_pay: float) -> tuple[float, ...]:
    """Where the match formula on ``match_pay`` changes slope (deferral in cents)."""
    edges = case.breaks.get(match_pay)
    if edges is None:
        edges = case.breaks[match_pay] = tuple(edge * match_pay * 100 for _, low, high in case.tiers
                                               for edge in (low, high))
    return edges


def _regular_grain(case: _Case) -> int:
    """A whole number of cents that divides the regular deferral of every election (1 when nothing better is
    known): a step of pay when that is whole cents; with dollar elections, dollars or the whole pay."""
    pay_cents = round(case.pay * 100)
    if case.dollars:
        return math.gcd(100, pay_cents) or 1
    return pay_cents * case.unit_k // 1000 if (pay_cents * case.unit_k) % 1000 == 0 and pay_cents else 1


def _tier_sizes(case: _Case, match_pay: float, cap: float) -> list[tuple[float, float]]:
    """(rate, cents of deferral at that rate) for each tier of a check of ``match_pay`` that defers at most ``cap``
    cents, the tiers that pay something only: the pieces the bounds fill best rate first."""
    return [(rate, size) for rate, low, high in case.tiers
            if rate > 0 and (size := min(cap, high * match_pay * 100) - low * match_pay * 100) > 0]


def _whole(case: _Case, match_pay: float, grain: int) -> bool:
    """Whether a check's match is whole cents for every deferral that is a multiple of ``grain`` cents: each
    tier's rate times its edges and times the grain are whole (then the sum is, and rounding adds nothing)."""
    if grain <= 0:
        return True       # a deferral of 0 cents only: no match, nothing to round
    key = (match_pay, grain)
    known = case.whole.get(key)
    if known is None:
        known = all(abs(rate * value - round(rate * value)) < 1e-7 for rate, low, high in case.tiers
                    for value in (low * match_pay * 100, high * match_pay * 100, grain))
        case.whole[key] = known
    return known


def _match_raw(case: _Case, deferral_cents: int, match_pay: float) -> float:
    """The match formula in cents before rounding: :func:`megabackdoor.match.match_on_edges` x 100, summed from
    the tier that holds the deferral (:func:`megabackdoor.paycheck.case._match_dollars`, the same floats)."""
    if match_pay <= 0 or deferral_cents <= 0:
        return 0.0
    return _match_dollars(case, deferral_cents, match_pay) * 100


def _span_bounds(case: _Case, bonus_deferral: int, x1: int, x2: int, cut: int, column: Any) -> tuple[float, float]:
    """Bounds (lowest, highest) on the stopped match of every (x, y), x in [x1, x2], all cut at ``cut`` (see
    :func:`_span`)."""
    low, high, _, _ = _span(case, x1, x2, cut, column)
    return low, high


def _integer_slope(case: _Case, match_pay: float, low: int, high: int, step: int = 1) -> bool:
    """Whether a check's match formula, one line from ``low`` to ``high`` cents (no tier edge strictly inside,
    see :func:`_span`), moves by whole cents for each ``step`` cents of deferral there: its rate times the step
    is whole (any rate for 0 cents of match pay or past the top tier; 150% of whole dollars, or of deferrals
    that move by an even number of cents)."""
    if match_pay <= 0 or low >= high:
        return True
    middle = (low + high) / 2
    for rate, low_edge, high_edge in case.tiers:
        if low_edge * match_pay * 100 <= middle < high_edge * match_pay * 100:
            moved = rate * step
            return abs(moved - round(moved)) < 1e-9
    return True      # past the top tier: no slope


def _span(case: _Case, x1: int, x2: int, cut: int, column: Any) -> tuple[float, float, Any, Any]:
    """(lowest, highest, ends, line): bounds on the stopped match of every (x, y), x in [x1, x2], all cut at ``cut``.

    At a fixed cut the match is the bonus prefix's, plus each regular check before the cut at the regular
    deferral a, plus the cut check at what is left of the room, which falls as a rises. Each check's
    rounded match only grows with its deferral, so the checks before the cut at a(x2) and the cut one at
    the room left by a(x1) bound it above (and the other way round below). When no deferral crosses a tier
    edge on the span, the unrounded sum is linear in a, so it is extreme at an end, and each rounded check
    is within half a cent of it: a bound that follows the sum instead of pulling its two parts apart, used
    alone when it applies (the other one rarely tightens it, and costs as much again).

    ``ends``: None, or (the match of x1, the match of x2) when they are the two bounds and the match follows
    one line in the regular deferral a between them (so it only rises, only falls or is flat over the span).
    That holds on a straight span when every check's line moves by whole cents per step of its deferral (see
    :func:`_integer_slope`): the regular checks' deferrals move by multiples of the regular grain (see
    _regular_grain; whole dollars with whole-dollar elections that stay below the pay) and the cut check's by n
    times that, so each one's unrounded match moves by whole cents
    and its rounding (to the cent) is the same all along the line (e.g. 150% of whole-dollar deferrals).

    ``line``: None, or on a straight span that is not exact (and without a true-up), (the unrounded match at
    x1, at x2, the most the rounding moves it): every match is within that of the line between them.
    """
    stops = case.stops
    bonus_before, bonus_match_before = column
    counts = stops.group_before[cut]
    pays = stops.group_pays
    cut_pay = stops.match_pays[cut]
    n = stops.regular_before[cut]
    fixed = case.room - bonus_before[cut]
    a1, a2 = _amount(case, case.pay, x1, False), _amount(case, case.pay, x2, False)
    l1, l2 = max(0, fixed - n * a1), max(0, fixed - n * a2)

    def stopped_match(match: Any, amount: int, left: int) -> Any:
        # the bonus checks before the cut, the cut check's ``left`` and each regular group at ``amount``,
        # with ``match`` either rounded per check (_match_cents) or unrounded (_match_raw)
        total = bonus_match_before[cut] + match(case, left, cut_pay)
        for group, count in enumerate(counts):
            if count:
                total += count * match(case, amount, pays[group])
        return total

    straight = all(not (a1 < edge < a2) for group, count in enumerate(counts) if count
                   for edge in _breaks(case, pays[group])) and all(
        not (l2 < edge < l1) for edge in _breaks(case, cut_pay))
    grain = _regular_grain(case)
    step = _span_step(case, x1, x2, a1, a2)
    if straight and all(_integer_slope(case, pays[group], a1, a2, step) for group, count in enumerate(counts)
                        if count) and (not n or _integer_slope(case, cut_pay, l2, l1, n * step)):
        memos = stops.group_matches      # (each regular check's match per deferral, see stops._stopped_match)

        def exact_match(amount: int, left: int) -> int:
            total = bonus_match_before[cut] + _match_cents(case, left, cut_pay)
            for group, count in enumerate(counts):
                if count:
                    part = memos[group].get(amount)
                    if part is None:
                        part = memos[group][amount] = _match_cents(case, amount, pays[group])
                    total += count * part
            return total

        first, last = exact_match(a1, l1), exact_match(a2, l2)
        if case.true_up:
            first, last = max(first, case.true_up_floor), max(last, case.true_up_floor)
        return min(first, last), max(first, last), (first, last), None
    if straight:
        ends = (stopped_match(_match_raw, a1, l1), stopped_match(_match_raw, a2, l2))
        # Each check's rounding moves it at most half a cent from the line, and not at all when its match is
        # whole cents for every deferral it can get on the span (e.g. 150% of whole-dollar deferrals). A regular
        # check whose line moves by whole cents per step of the span's regular deferrals (see _span_step) is
        # moved by the same amount at every one of them: its rounding at a(x1), exactly (plan 93: 150% of
        # deferrals that are all even on the span, where the half cent per check kept spans the need passed).
        slack = 1e-6 + (0.0 if _whole(case, cut_pay, math.gcd(grain, fixed) if n else fixed) else 0.5)
        shift = 0.0
        for group, count in enumerate(counts):
            if count and not _whole(case, pays[group], grain):
                gain = (_match_cents(case, a1, pays[group]) - _match_raw(case, a1, pays[group])
                        if step > 1 and _integer_slope(case, pays[group], a1, a2, step) else 0.5)
                if abs(gain) < 0.5 - 1e-4:
                    shift += count * gain
                    slack += 1e-4 * count      # (the floats' error on it)
                else:
                    slack += 0.5 * count      # (about half a cent: the floats may round it either way)
        if shift:
            ends = (ends[0] + shift, ends[1] + shift)
        high, low = max(ends) + slack, min(ends) - slack
        if case.true_up:
            return max(low, case.true_up_floor), max(high, case.true_up_floor), None, None
        return low, high, None, (ends[0], ends[1], slack)
    high, low = float(stopped_match(_match_cents, a2, l1)), float(stopped_match(_match_cents, a1, l2))
    if case.true_up:
        high, low = max(high, case.true_up_floor), max(low, case.true_up_floor)
    return low, high, None, None


def _regular_step(case: _Case, a2: int) -> int:
    """A whole number of cents that divides the difference of any two regular deferrals up to ``a2`` (cents):
    whole dollars with whole-dollar elections below the pay (a2 < pay: no election takes the whole check, so every
    deferral is whole dollars, whatever the pay's cents), else the regular grain (see _regular_grain)."""
    return 100 if case.dollars and a2 < round(case.pay * 100) else _regular_grain(case)


def _span_step(case: _Case, x1: int, x2: int, a1: int, a2: int) -> int:
    """A whole number of cents that divides a(x) - a(x1) for every regular election x of a span [x1, x2]
    (a1 = a(x1), a2 = a(x2)): the regular grain (see _regular_grain), whole dollars with whole-dollar elections
    below the pay (a(x2) < pay: no election of the span takes the whole check), or with percent steps d below.

    With plan pay P cents and k thousandths per step, a(x) = (P k x + 500) // 1000 = d x + r(x) (d = P k // 1000,
    see case._amounts), where r(x) = (e x + 500) // 1000 (e = P k mod 1000) never falls as x rises: when a2 - a1
    = d (x2 - x1), r is the same all along the span and every a(x) is a1 plus a multiple of d (plan 93: 0.1% of
    $31,880.51 is 3,188.051 cents, d = 3,188, even: on x = 69..88 every regular deferral is even, and 150% of it
    whole cents)."""
    if case.dollars:
        return _regular_step(case, a2)
    pay_cents = round(case.pay * 100)
    grain = _regular_grain(case)
    if grain > 1 or a2 <= a1:
        return grain
    per_unit = pay_cents * case.unit_k // 1000
    if per_unit <= 1 or pay_cents * case.unit_k * x2 >= 10**12 or abs(case.pay * 100 - pay_cents) > 1e-6:
        return 1      # (past _amounts' exact range: no claim)
    return per_unit if a2 - a1 == per_unit * (x2 - x1) else 1


def _edge_split(case: _Case, x1: int, x2: int, cut: int, column: Any) -> int | None:
    """Where to split a span [x1, x2] of regular elections all cut at ``cut`` so that the first part's
    deferrals stay on one side of a tier edge: the last x whose regular deferral a(x) is at most the first edge
    strictly inside (a(x1), a(x2)) of a regular check before the cut, or whose cut check keeps at least the
    first such edge of its own (it keeps room - bonus checks - n a(x), falling with x). None when no edge is
    inside (see :func:`_span`: then the span is straight)."""
    stops = case.stops
    counts = stops.group_before[cut]
    n = stops.regular_before[cut]
    fixed = case.room - column[0][cut]
    a1, a2 = _amount(case, case.pay, x1, False), _amount(case, case.pay, x2, False)
    if a1 == a2:
        return None
    split = None
    for group, count in enumerate(counts):
        if count:
            for edge in _breaks(case, stops.group_pays[group]):
                if a1 < edge < a2:
                    at = _fit_amount(case, math.floor(edge), 1, x1, x2)
                    if at is not None and (split is None or at < split):
                        split = at
    if n:
        l1, l2 = fixed - n * a1, fixed - n * a2
        for edge in _breaks(case, stops.match_pays[cut]):
            if l2 < edge < l1:
                at = _fit_amount(case, math.floor(fixed - edge), n, x1, x2)
                if at is not None and (split is None or at < split):
                    split = at
    return split


def _fit_amount(case: _Case, budget: int, count: int, x1: int, x2: int) -> int | None:
    """The largest x in [x1, x2) with ``count`` regular deferrals a(x) of at most ``budget`` cents (None if
    none is, or if x2 itself is)."""
    table = case.regular_amounts
    if table is not None and x2 < len(table):
        at = bisect.bisect_right(table, budget // count, x1, x2 + 1) - 1
    else:
        low, high = x1 - 1, x2      # count * a(low) <= budget < count * a(high), a(x1 - 1) taken as 0
        if count * _amount(case, case.pay, x2, False) <= budget:
            return None
        while high - low > 1:
            middle = (low + high) // 2
            if count * _amount(case, case.pay, middle, False) <= budget:
                low = middle
            else:
                high = middle
        at = low
    return at if x1 <= at < x2 else None


def _column_bound(case: _Case, bonus_deferral: int, bonus_last: int | None = None) -> float:
    """A bound on the match of every stopped candidate in a column (one separate bonus election, any regular
    one).

    The bonus checks' deferrals are fixed; the payroll stop may cut at bonus check j (or at a regular check
    before it): then the bonus checks up to j are matched at most on their elections' deferrals (the match
    only grows with a deferral), later ones get nothing, and the regular checks before j (only those) share at
    most the room less the bonus checks before j, together with bonus check j itself (at most its election's
    deferral; cut there or not, what it defers and the regular checks before it defer add up to at most what
    the bonus checks before it leave). The most match they can get on that budget is their tiers' pieces, best
    rate first (``_regular_pieces``), plus half a cent per check whose match can round up (the cut one's deferral
    is what is left of the room, a multiple of the case's grain only).

    With ``bonus_last``: a bound on every candidate (stopped or within the room) of every column from y to
    y_last at once. Each bonus check's deferral only grows with its election, so the matched bonus checks are
    taken at y_last and the room they leave at y (each term only grows with its check's deferral or with the
    room left).
    """
    segments = case.regular_pieces or _regular_pieces(case)
    top = bonus_deferral if bonus_last is None else bonus_last
    if top != bonus_deferral:
        return _run_bound(case, segments, bonus_deferral, top)

    best = -1.0
    matched = paid = 0
    room = case.room
    # Each bonus check's deferral from its pay's table once the tables are built (the same cents, see
    # simulation._build_tables), and its match from the case's memo per match pay (case._match_memo): the loop
    # asks for column after column, ~10 us each with _amount and _match_cents per check (capped plan 93: 211).
    tables, checks = _column_checks(case, segments)
    if tables and not 0 <= bonus_deferral < len(tables[0]):
        tables = None
    for index, (plan_pay, match_pay, memo, slack, together) in enumerate(checks):
        if paid > room:
            break
        high = _amount(case, plan_pay, bonus_deferral, True) if tables is None else tables[index][bonus_deferral]
        high_match = memo.get(high)
        if high_match is None:
            high_match = memo[high] = _match_cents(case, high, match_pay)
        # The cut check (at most its deferral) and the regular checks before it share what is left of the room:
        # one fill of their pieces together, best rate first (the cut check's pieces end at its deferral).
        total = matched + _fill_with_cut(together, room - paid, high) + slack
        if total > best:
            best = total
        matched += high_match
        paid += high
    if paid <= case.room:
        pieces, slack, _ = segments[-1]
        best = max(best, matched + _best_rates_first(pieces, case.room - paid) + slack)
    return max(best, case.true_up_floor) if case.true_up else best


_COLUMN_CHECKS = "column bound checks"      # (the key of _column_checks' list in case.bands)


def _column_checks(case: _Case, segments: Any) -> tuple[Any, list[Any]]:
    """For :func:`_column_bound`, worked out once per case's ``segments`` (see _regular_pieces; again once the bonus
    tables are built): each bonus check's table of deferrals by bonus election (None before the tables are built,
    see simulation._build_tables), and per bonus check (plan pay, match pay, the case's memo of its match, the
    slack and the pieces of its term)."""
    known = case.bands.get(_COLUMN_CHECKS)
    if known is not None and known[0] is segments and (known[1] is not None or case.bonus_sums is None):
        return known[1], known[2]
    checks = [(event[3], event[4], _match_memo(case, event[4]), slack, together)
              for event, (_, slack, together) in zip(case.bonus_events, segments, strict=False)]
    tables = None
    if case.bonus_sums is not None:
        from .simulation import _bonus_table, _bonus_tables

        bonus_tables = _bonus_tables(case)
        tables = [_bonus_table(case, event[3], bonus_tables) for event in case.bonus_events]
    case.bands[_COLUMN_CHECKS] = (segments, tables, checks)
    return tables, checks


def _run_bound(case: _Case, segments: Any, bonus_deferral: int, bonus_last: int) -> float:
    """:func:`_column_bound` over the columns y..y_last at once, each term (a cut at bonus check j, or none) taken
    at y and moved up to y_last by what a larger bonus election can add to it.

    From y to some y' in the run, the bonus checks before j defer more (d' >= d), which leaves less of the room to
    the fill: the fill is concave in its budget, so it loses at least s per cent of it, s its rate where its budget
    at y runs out. So the term at y' is at most the term at y plus, per bonus check before j, the most of
    m(d') - m(d) - s (d' - d) over its deferrals in the run. Where a check's deferrals stay on one line of its
    formula that moves by whole cents per step (no tier edge between its ends, see :func:`_integer_slope`), that
    is exact at an end: (slope - s) (d_last - d) when the slope is above s, else 0. Elsewhere m(d_last) - m(d)
    (at most what the fill can lose: the run bound as it was, each check at y_last and the room at y). With a
    separate bonus election above the tier edges of its checks, a run's bound is then its best column's: plan 21's
    columns 51-500 all pay at most its best, $42,500.02, while the old run bound (each bonus check at y_last and
    the room left at y) counted the bonus checks' growth across the run twice and held for runs of one column."""
    best = -1.0
    matched = paid = 0
    spreads: list[tuple[int, int, Any]] = []      # per bonus check before j: (d_last - d, m(d_last) - m(d), line)
    sums: dict[float, tuple[int, float]] = {}
    alike: dict[tuple[float, float], tuple[int, int, int, int, bool]] = {}
    room = case.room
    # Each bonus check's deferrals from its table and its match from the case's memo, as in _column_bound; and per
    # check and stretch between two edges of its formula (``lines``, the case's own): whether its match moves by
    # whole cents per step there (_integer_slope) and its slope (_tangent), the same for any two deferrals inside
    # it, instead of each worked out at every run (a run bound cost ~40 us against ~5 for one column's).
    tables, checks = _column_checks(case, segments)
    if tables and not 0 <= bonus_deferral <= bonus_last < len(tables[0]):
        tables = None
    lines = case.bands.get(_RUN_LINES)
    if lines is None:
        lines = case.bands[_RUN_LINES] = {}
    for index, (event, (_, slack, together)) in enumerate(zip(case.bonus_events, segments, strict=False)):
        if paid > room:
            break
        key = (event[3], event[4])
        known = alike.get(key)
        if known is None:
            table = None if tables is None else tables[index]
            if table is None:
                low, high = _amount(case, event[3], bonus_deferral, True), _amount(case, event[3], bonus_last, True)
            else:
                low, high = table[bonus_deferral], table[bonus_last]
            memo = checks[index][2]      # (_match_memo of its match pay)
            low_match, high_match = memo.get(low), memo.get(high)
            if low_match is None:
                low_match = memo[low] = _match_cents(case, low, event[4])
            if high_match is None:
                high_match = memo[high] = _match_cents(case, high, event[4])
            edges = lines.get(event[4])
            if edges is None:
                edges = lines[event[4]] = sorted(set(_breaks(case, event[4])))
            stretch = bisect.bisect_right(edges, low)
            straight = high <= low or bisect.bisect_left(edges, high) <= stretch      # (no edge strictly inside)
            slope = rounded = None
            if not straight:
                line = False
            elif high <= low:
                line = True      # (_integer_slope of an empty stretch)
            else:
                shape = lines.get((*key, stretch))
                if shape is None:
                    shape = lines[(*key, stretch)] = (
                        _integer_slope(case, event[4], low, high, _step_cents(event[3], case.bonus_k)),
                        _tangent(case, event[4], low, high)[1])
                line, slope = shape
                if line:
                    slope = None
            if straight and not line and high > low:
                low_raw = _match_raw(case, low, event[4])
                # What rounding adds at d (known) and at most at a d' of the run: half a cent, or on a short run
                # the most it adds at the check's deferral in each column (its match less the line through d:
                # a check on 150% of pay rounds up half a cent at odd deferrals only).
                rounded = low_match - low_raw - 0.5
                if _EXACT_RUN and bonus_last - bonus_deferral < _EXACT_RUN:
                    most = low_match - low_raw      # (y itself: d' = d)
                    for units in range(bonus_deferral + 1, bonus_last + 1):
                        deferral = _amount(case, event[3], units, True) if table is None else table[units]
                        match = memo.get(deferral)
                        if match is None:
                            match = memo[deferral] = _match_cents(case, deferral, event[4])
                        added = match - low_raw - slope * (deferral - low)
                        if added > most:
                            most = added
                    rounded = low_match - low_raw - most
            known = alike[key] = (low, high, low_match, high_match, (line, slope, rounded))
        low, high, low_match, high_match, line = known
        fill, rate = _fill_with_cut(together, room - paid, high, True)
        total = matched + fill + slack + _spread(spreads, rate, sums)
        if total > best:
            best = total
        matched += low_match
        paid += low
        spreads.append((high - low, high_match - low_match, line))
    if paid <= case.room:
        pieces, slack, _ = segments[-1]
        budget = case.room - paid
        fill = rate = 0.0
        for rate_now, part in pieces:      # (as _best_rates_first, with the rate where the budget runs out)
            if budget <= 0:
                break
            take = part if part < budget else budget
            fill += rate_now * take
            budget -= take
            if budget <= 0:
                rate = rate_now
        best = max(best, matched + fill + slack + _spread(spreads, rate, sums))
    return max(best, case.true_up_floor) if case.true_up else best


_RUN_LINES = "run bound lines"      # (the key of _run_bound's edges and stretches in case.bands)
_EXACT_RUN = 16      # runs of at most this many columns: what rounding adds worked out per column (see _run_bound)


def _spread(spreads: list[tuple[int, int, Any]], rate: float, sums: dict[float, tuple[int, float]]) -> float:
    """For :func:`_run_bound`: the most the bonus checks before a cut add across a run, less what their larger
    deferrals take from a fill whose rate is ``rate`` where its budget runs out. ``sums``: per rate, the sum so far
    and how many checks it covers (the cuts ask for a few rates, each over a growing list of checks).

    A check whose deferrals stay on one line of slope r of its formula but whose rounding changes along it (its
    rate times its step is not whole cents: 150% of 0.1% of a $7,279.69 bonus, 727.969 cents) moves by r (d' - d)
    plus what rounding adds at d' (at most half a cent) less what it adds at d (known): at most max(0, (r - rate)
    (d_last - d)) + 0.5 - that, instead of its whole gain m(d_last) - m(d) (capped plan 93: runs of two columns
    were $17.66 above their columns' bounds, now a cent or so). On a run of at most _EXACT_RUN columns the half
    cent is the most rounding adds at the check's deferral in each column of the run (its match less the line
    through d, d itself included; see _run_bound): capped plan 93's checks on 150% of pay round up at odd
    deferrals only, and its runs of 2-16 columns hold where each column is half a cent or more below the need."""
    done, extra = sums.get(rate, (0, 0.0))
    for moved, gained, (line, slope, rounded) in spreads[done:]:
        if line:
            if gained > rate * moved:
                extra += gained - rate * moved
        elif slope is not None:
            extra += min(gained, max(0.0, (slope - rate) * moved) - rounded + 1e-4)
        else:
            extra += gained
    sums[rate] = (len(spreads), extra)
    return extra


def _fill_with_cut(pieces: list[tuple[float, float, float, float]], budget: float, deferral: float,
                   with_rate: bool = False) -> Any:
    """The most match ``budget`` cents of deferral can buy from ``pieces`` (best rate first): (rate, cents, 0, 0)
    for a piece of the checks before the cut, (rate, -1, low edge, high edge) for one of the cut check's tiers,
    which ends at its ``deferral``. For :func:`_column_bound` and ``stops._cut_bound``. With ``with_rate``: (the
    fill, the rate of the piece where the budget runs out, 0 when it does not), for :func:`_run_bound`."""
    fill = 0.0
    # (Conditional expressions rather than min(): the same values, and this loop is the bounds' cost.)
    for rate, size, edge_low, edge_high in pieces:
        if budget <= 0:
            break
        if size < 0:      # a piece of the cut check: from its tier's low edge up to its deferral
            size = (deferral if deferral < edge_high else edge_high) - edge_low
            if size <= 0:
                continue
        if size < budget:
            fill += rate * size
            budget -= size
        else:
            fill += rate * budget
            return (fill, rate) if with_rate else fill
    return (fill, 0.0) if with_rate else fill


def _regular_pieces(case: _Case) -> list[tuple[list[tuple[float, float]], float, list[Any]]]:
    """For :func:`_column_bound`, per bonus check j (in date order) and then for the year's end: the tier pieces
    (rate, cents) of the regular checks before it, best rate first, each check at most the plan's largest
    election; the most their rounding can add (the cut check's too, and bonus check j's when the stop cuts it);
    and the same pieces with bonus check j's, best rate first, as (rate, cents, 0, 0) for a regular piece and
    (rate, -1, low edge, high edge) in cents for one of check j's tiers (empty at the year's end)."""
    cap = _amount(case, case.pay, case.max_units, False)
    grain, case_grain = _regular_grain(case), _grain(case)
    counts: dict[float, int] = {}
    segments = []
    envelopes: dict[float, Any] = {}      # per match pay: its pieces and cut gap, or None (the same in every segment)

    def segment() -> tuple[list[tuple[float, float]], float]:
        pieces: list[tuple[float, float]] = []
        slack, cut = 1e-6, 0.0
        for match_pay, count in counts.items():
            if match_pay <= 0 or not count:
                continue
            if match_pay not in envelopes:
                envelope = _rounded_envelope(case, match_pay, grain, cap)
                cut_envelope = (envelope if case_grain == grain or envelope is None
                                else _rounded_envelope(case, match_pay, case_grain, cap))
                envelopes[match_pay] = (None if cut_envelope is None else
                                        (_envelope_pieces(envelope), _envelope_gap(cut_envelope, envelope)))
            known = envelopes[match_pay]
            if known is not None:
                # Each uncut check's match is at most the envelope of its rounded match on the deferrals it can
                # get (exact pieces, no rounding left to add); the cut check's at most its envelope on the case's
                # grain, which is the regular one's plus at most `gap`.
                pieces += [(rate, size * count) for rate, size in known[0]]
                cut = max(cut, known[1])
                slack += 1e-4      # (the pieces' float rates times their sizes: a hair off their whole cents)
                continue
            pieces += [(rate, size * count) for rate, size in _tier_sizes(case, match_pay, cap)]
            # What rounding can add: at most half a cent per check, less where the formula's fraction of a cent
            # is the same at every deferral of a stretch between tier edges (_most_rounding); the cut check
            # keeps what is left of the room, a multiple of the case's grain only.
            on_grain = 0.0 if _whole(case, match_pay, grain) else _most_rounding(case, match_pay, grain, cap)
            if not _whole(case, match_pay, case_grain):
                cut = max(cut, _most_rounding(case, match_pay, case_grain, cap) - on_grain)
            slack += on_grain * count      # every check of the group, the cut one included
        pieces.sort(reverse=True)
        return pieces, slack + cut

    for _, kind, _, plan_pay, match_pay in case.events:
        if kind == _REGULAR:
            counts[match_pay] = counts.get(match_pay, 0) + 1
        elif plan_pay > 0:
            pieces, slack = segment()
            # With this bonus check's tier pieces (size -1: worked out from its deferral, see _column_bound), and
            # its half cent of rounding when the stop cuts it (its deferral a multiple of the case's grain).
            together = sorted([(rate, size, 0.0, 0.0) for rate, size in pieces]
                              + [(rate, -1.0, low * match_pay * 100, high * match_pay * 100)
                                 for rate, low, high in case.tiers if rate > 0 and match_pay > 0], reverse=True)
            half = 0.0 if match_pay <= 0 or _whole(case, match_pay, case_grain) else 0.5
            segments.append((pieces, slack + half, together))
    segments.append((*segment(), []))
    case.regular_pieces = segments
    return segments


def _most_rounding(case: _Case, match_pay: float, grain: int, cap: int) -> float:
    """The most ROUND can add to a check's unrounded match (cents) at any deferral up to ``cap`` cents that is a
    multiple of ``grain`` cents: at most half a cent, and on a stretch between the formula's breaks (tier edges)
    where its slope times the grain is whole cents, the match's fraction of a cent is the same at every such
    deferral, so what rounding adds there is read at one of them (e.g. tiers 200% to 5% then 100%, 5% of the pay
    2,195.6975 dollars, whole-cent deferrals: exact below 5%, + 0.25 cents above it)."""
    edges = sorted({0.0, *(edge for edge in _breaks(case, match_pay) if 0 < edge < cap), float(cap)})
    most = 0.0
    for low, high in zip(edges, edges[1:], strict=False):
        first = math.ceil(low / grain) * grain      # the stretch's first deferral
        if first > high:
            continue
        middle = (low + high) / 2
        slope = sum(rate for rate, start, end in case.tiers
                    if start * match_pay * 100 <= middle < end * match_pay * 100)
        if abs(slope * grain - round(slope * grain)) > 1e-9:
            return 0.5
        gain = _match_cents(case, first, match_pay) - _match_raw(case, first, match_pay)
        if abs(gain) > 0.5 - 1e-4:
            return 0.5      # a fraction of (about) half a cent: the floats may round it either way
        most = max(most, gain + 1e-4)
    return most


def _rounded_envelope(case: _Case, match_pay: float, grain: int, cap: int) -> list[tuple[int, int]] | None:
    """The corners (deferral, match), in cents, of the least concave function on or above a check's rounded
    match at every deferral up to ``cap`` cents that is a multiple of ``grain`` cents; None when it is not known
    exactly (a stretch between the formula's breaks whose slope times the grain is not whole cents, or whose
    fraction of a cent is about half).

    On a stretch where the slope times the grain is whole, the unrounded match moves by whole cents from one
    such deferral to the next, so its fraction of a cent, and what ROUND adds to it, is the same at each: the
    rounded match is a straight line through the stretch's first and last such deferrals, and the envelope of
    those lines is the envelope of their ends. It is the formula with each tier edge moved to where the
    rounding puts it: 200% of up to 5% of a $7,826.05 check, then 100%, is 2 a up to a = $391.30 and
    a + $391.30 above it (5% of the pay is $391.3025, and a + $391.3025 rounds down by a quarter cent at every
    whole-cent a), not the formula's half cent more per check than any deferral gets."""
    if grain <= 0 or cap <= 0 or match_pay <= 0:
        return [(0, 0)]
    # (Kept in ``case.bands``: the column bounds' pieces (_regular_pieces) and the envelope ceiling
    # (_envelope_ceiling) each ask for the regular checks' envelopes, ~15-40 us each.)
    key = (_ENVELOPES, match_pay, grain, cap)
    known = case.bands.get(key, False)
    if known is not False:
        return known
    known = case.bands[key] = _envelope_of(case, match_pay, grain, cap)
    return known


_ENVELOPES = "rounded envelope"      # (the first item of _rounded_envelope's keys in case.bands)


def _envelope_of(case: _Case, match_pay: float, grain: int, cap: int) -> list[tuple[int, int]] | None:
    """:func:`_rounded_envelope`, worked out."""
    bands = case.bands.get(match_pay)
    if bands is None:
        bands = case.bands[match_pay] = pay_edges(match_pay, case.tiers)
    edges = sorted({0.0, *(edge for edge in _breaks(case, match_pay) if 0 < edge < cap), float(cap)})
    points = [(0, 0)]
    for low, high in zip(edges, edges[1:], strict=False):
        first = math.ceil(low / grain) * grain      # the stretch's first and last deferrals
        last = min(cap, math.floor(high / grain) * grain)
        if first > last:
            continue
        if first < last:
            middle = (low + high) / 2
            slope = sum(rate for rate, start, end in case.tiers
                        if start * match_pay * 100 <= middle < end * match_pay * 100)
            if abs(slope * grain - round(slope * grain)) > 1e-9:
                return None
        for deferral in (first, last) if first < last else (first,):
            raw = match_on_edges(deferral / 100, bands)      # (as _match_cents works it out: the same cents)
            match = _cents(raw)
            if abs(match - raw * 100) > 0.5 - 1e-4:
                return None      # (about half a cent: the floats may round it either way)
            points.append((deferral, match))
    hull: list[tuple[int, int]] = []
    for x, y in sorted(set(points)):
        # (whole cents both ways: the cross products are exact)
        while len(hull) >= 2 and ((hull[-1][0] - hull[-2][0]) * (y - hull[-2][1])
                                  - (hull[-1][1] - hull[-2][1]) * (x - hull[-2][0])) >= 0:
            hull.pop()
        hull.append((x, y))
    return hull


def _envelope_pieces(envelope: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """(rate, cents of deferral) for each rising piece of an envelope (:func:`_rounded_envelope`), best rate
    first (it is concave): pieces a fill takes best rate first, like :func:`_tier_sizes`'s."""
    pieces = []
    for (x0, y0), (x1, y1) in zip(envelope, envelope[1:], strict=False):
        if y1 <= y0:
            break
        pieces.append(((y1 - y0) / (x1 - x0), float(x1 - x0)))
    return pieces


def _envelope_gap(finer: list[tuple[int, int]], coarser: list[tuple[int, int]]) -> float:
    """The most one envelope (on a finer grain: on or above the other, over more deferrals) is above another:
    both are straight between their corners (and flat past their last), so at a corner of one of them."""
    if finer is coarser:
        return 0.0
    gap = 0.0
    for one, other, sign in ((finer, coarser, 1), (coarser, finer, -1)):
        index, last = 0, len(other) - 1
        for x, y in one:
            while index < last and other[index + 1][0] <= x:
                index += 1
            x0, y0 = other[index]
            if index < last:
                x1, y1 = other[index + 1]
                value = y0 + (y1 - y0) * (x - x0) / (x1 - x0)
            else:
                value = y0
            gap = max(gap, sign * (y - value))
    return gap


def _concave(case: _Case) -> bool:
    """Whether each check's unrounded match is concave in its deferral (tier rates never rise and none is
    negative): then every tier's line through a point of the formula lies on or above it everywhere."""
    rates = [rate for rate, _, _ in case.tiers]
    return bool(rates) and all(rate >= 0 for rate in rates) and all(
        earlier >= later for earlier, later in zip(rates, rates[1:], strict=False))


def _tangent(case: _Case, match_pay: float, lowest: float, highest: float) -> tuple[float, float]:
    """(value, slope) of a tangent line of a check's unrounded match (cents) at the middle of [lowest, highest]
    (the line of the tier there): with concave tiers it lies on or above the formula at every deferral."""
    if match_pay <= 0:
        return 0.0, 0.0
    middle = max(0.0, (lowest + highest) / 2)
    value = _match_raw(case, middle, match_pay)   # (a float deferral; the formula takes any amount)
    slope = 0.0
    for rate, low, high in case.tiers:
        if low * match_pay * 100 <= middle < high * match_pay * 100:
            slope = rate
            break
    return value, slope


def _box_bound(case: _Case, x1: int, x2: int, cut: int, first: Any, last: Any, grain: int,
               bonus_positions: Any = None) -> float:
    """A bound on the stopped match of every (x, y) with x in [x1, x2] and y between the bonus elections whose
    stop columns are ``first`` and ``last`` (the smaller y first), all cut at check ``cut`` (concave tiers).

    The match is the bonus checks' before the cut at their deferrals d_b, the regular ones' at a, and the cut
    check's at what is left of the room, room - n a - sum d_b. Each check's unrounded match lies under a
    tangent line (concave tiers), so the sum lies under one linear function of a and the d_b, whose largest
    value on the box is at an end of each one's range; each rounded check is at most half a cent above its
    unrounded match (none when its match is whole cents for every deferral it can get). Where no tier edge
    falls inside a range the tangent is the formula itself, so on such boxes the bound is that of the
    straight-line span bound, over many bonus elections at once. ``bonus_positions``: the bonus checks'
    positions, rising (worked out here when not given).
    """
    stops = case.stops
    regular_grain = _regular_grain(case)
    n = stops.regular_before[cut]
    a1, a2 = _amount(case, case.pay, x1, False), _amount(case, case.pay, x2, False)
    first_before, last_before = first[0], last[0]
    left_high = case.room - n * a1 - first_before[cut]
    left_low = case.room - n * a2 - last_before[cut]
    cut_pay = stops.match_pays[cut]
    value, cut_slope = _tangent(case, cut_pay, max(0, left_low), max(0, left_high))
    total = value - cut_slope * (max(0.0, (max(0, left_low) + max(0, left_high)) / 2) - case.room)
    slack = 1e-4 + (0.0 if _whole(case, cut_pay, grain) else 0.5)
    if bonus_positions is None:
        bonus_positions = [position for position, regular in enumerate(stops.regular) if not regular]
    for position in bonus_positions:
        if position >= cut:
            break
        d1 = first_before[position + 1] - first_before[position]
        d2 = last_before[position + 1] - last_before[position]
        match_pay = stops.match_pays[position]
        value, slope = _tangent(case, match_pay, d1, d2)
        middle = max(0.0, (d1 + d2) / 2)
        total += value - slope * middle + max((slope - cut_slope) * d1, (slope - cut_slope) * d2)
        if match_pay > 0 and d2 > 0 and not _whole(case, match_pay, grain):
            slack += 0.5
    coefficient = -cut_slope * n
    middle = max(0.0, (a1 + a2) / 2)
    for group, count in enumerate(stops.group_before[cut]):
        if count and a1 == a2:
            # One regular deferral (a row of bonus elections): each regular check's match is exactly its
            # rounded cents, as _stopped_match works it out.
            total += count * _match_cents(case, a1, stops.group_pays[group])
        elif count:
            match_pay = stops.group_pays[group]
            value, slope = _tangent(case, match_pay, a1, a2)
            total += count * (value - slope * middle)
            coefficient += count * slope
            if match_pay > 0 and not _whole(case, match_pay, regular_grain):
                slack += 0.5 * count
    total += max(coefficient * a1, coefficient * a2) + slack
    return max(total, case.true_up_floor) if case.true_up else total


def _stopped_ceiling(case: _Case, most: int) -> bool:
    """Whether no candidate of a case whose payroll stops at the room (a separate bonus election, tier rates of
    at least 0 that move whole cents per step of the regular deferral, no true-up) gets more than ``most`` cents
    of match: a bound tighter than
    :func:`_ceiling`, which lets every check's match round up and fills the room's best-rated pieces wherever
    the stop cuts (plan 717: the ceiling is 4 cents above the best, so ~35 columns of ties were searched one by
    one; with this bound the search settles and hands the rest over row by row).

    The candidates are split by where the stop cuts (check c, or nowhere: within the room) and by the stretch
    between two tier edges of the regular checks' formulas that their regular deferral a lies on. The n regular
    checks before c each defer exactly a, and with rates that are whole cents per step of a (whole rates; 150% or
    25% of whole-dollar deferrals: capped plan 133, whose best is its most, 13 cents under the ceiling) each one's
    match there is r a + K exactly, the fraction of K rounded the same way at every such a (what rounding adds is
    read at one of them, as in :func:`_most_rounding`). The bonus checks before c and the cut check defer at most
    room - n a together, each at most its largest election's deferral: their unrounded match is at most the
    best-rates-first fill F(room - n a) of their tier pieces, and each rounds up by at most its own most (a bonus
    check on multiples
    of its step, the cut check on multiples of the case's grain, see :func:`_grain`). The bound n (r a + K) + F(
    room - n a) is concave in a (F is), so on a stretch it is largest where F's rate falls to r (a = (room - S) /
    n, S the pieces of rates above r), or at the stretch's end nearest it: one fill per stretch and cut."""
    state = case.bands.get(_STOPPED_BOUNDS)
    if state is None or most < state[3]:
        # (state[3]: the most of the bounds over runs of cuts passed at a larger ``most`` without their cuts' own,
        # see _stopped_bounds; asked for less, the bounds are read again from the first. The search asks with a
        # best that only rises.)
        state = case.bands[_STOPPED_BOUNDS] = [-math.inf, None, most, -math.inf]
        state[1] = _stopped_bounds(case, state)
    state[2] = most
    # The bounds are the case's alone: each call reads them on from where the last one stopped (the search asks
    # with a best that only rises, up to _SETTLE_TRIES times: capped plan 90 three times, the last one through
    # every bound), keeping the most read so far.
    if state[0] > most:
        return False
    if state[1] is not None:
        for bound in state[1]:
            if bound > state[0]:
                state[0] = bound
            if bound > most:
                return False
        state[1] = None
    return True


_STOPPED_BOUNDS = "stopped ceiling bounds"      # (the key of _stopped_ceiling's state in case.bands)


def _stopped_bounds(case: _Case, state: list[Any], runs: list[tuple[float, list[int]]] | None = None
                    ) -> Iterator[float]:
    """For :func:`_stopped_ceiling`: its bounds (whole cents) by where the stop cuts and the stretch of the regular
    deferral, the latest cut first; one infinite bound when the case is not one it bounds.

    Cuts in a row that share the pieces before them and their rounding (e.g. the regular checks between two bonus
    checks) are bounded at once per stretch, in u = n a, the regular checks' deferrals in all: a cut's bound is
    n (r a + K + e) + F(room - u) + its rounding (r: the mean of its n checks' slopes, 0 for a check of no match
    pay; K: the stretch's line at a = 0; e: what rounding adds), with u between the run's fewest checks times the
    stretch's low end and the most checks times its high end (at most the room). From a >= low > 0 on, n <= u / low,
    so n (r a + K + e) <= R u, R the steepest slope + (K + e) / low of the run's pays, and at most their first cut's
    counts over the run's fewest checks (checks of no match pay count in n); on the first stretch (low = 0, every
    pay on its first tier, K = 0) it is at most R u plus the first cut's n e. R u + F(room - u) is concave: largest
    where F's rate falls to R (u = room - S, S the pieces of rates above R), or at the end of the run's u nearest
    it (a second form, in a, takes u only up to the fewest checks times the high end: see run_bounds). When that is
    at most the ``most`` asked for (``state[2]``) the cuts' own bounds are not worked out, and it is kept in
    ``state[3]``; else they are, cut by cut, the run's bound tried again before each one once the most asked for has
    risen. Capped plan 90: 171 bounds (~0.9 ms for the solver's three asks), where its runs of 16, 4, 7 and 14
    weekly checks between and after its bonus checks (each cut 3,675,001-3,675,002 on the first stretch) and of the
    9 past the §401(a)(17) cap hold at 3,675,002 (~0.37 ms); capped plan 133: 0.51 -> 0.28 ms.
    ``runs`` (tests): each run's bound on each stretch and its cuts' own bounds, every one worked out."""
    # The regular deferrals are multiples of `multiple` (whole dollars with whole-dollar elections below the pay):
    # each tier's rate times it must be whole cents.
    multiple = 100 if case.dollars and 100 * case.max_units < round(case.pay * 100) else _regular_grain(case)
    if (not case.tiers or case.true_up or not (case.separate and case.bonus_events)
            or not (case.stops_402g and case.stop == case.room and case.room >= 0)
            or any(rate < 0 or abs(rate * multiple - round(rate * multiple)) > 1e-9 for rate, _, _ in case.tiers)):
        yield math.inf      # (not such a case: no bound)
        return
    room, grain = case.room, _grain(case)
    regular_cap = _amount(case, case.pay, case.max_units, False)
    checks = []     # (regular, match pay, tier pieces up to its largest deferral, rounding uncut, rounding cut)
    alike: dict[tuple[bool, float, float], Any] = {}      # (checks of the same kind, pay and match pay)
    for _, kind, _, plan_pay, match_pay in case.events:
        if plan_pay <= 0:
            continue
        regular = kind == _REGULAR
        check = alike.get((regular, plan_pay, match_pay))
        if check is None:
            cap = regular_cap if regular else _amount(case, plan_pay, case.bonus_max_units, True)
            step = 0 if regular else _step_cents(plan_pay, case.bonus_k)
            uncut = 0.0 if regular or match_pay <= 0 or _whole(case, match_pay, step) else _most_rounding(
                case, match_pay, step, cap)
            cut = (0.0 if match_pay <= 0 or _whole(case, match_pay, grain)
                   else _most_rounding(case, match_pay, grain, cap))
            check = alike[(regular, plan_pay, match_pay)] = (
                regular, match_pay, _tier_sizes(case, match_pay, cap) if match_pay > 0 else [], uncut, cut)
        checks.append(check)
    # The regular checks' stretches: between the edges of every regular match pay's formula, up to the cap.
    pays = sorted({match_pay for regular, match_pay, _, _, _ in checks if regular and match_pay > 0})
    edges = sorted({0.0, float(regular_cap), *(edge for pay in pays for edge in _breaks(case, pay)
                                               if 0 < edge < regular_cap)})
    stretches = []      # (low, high, slope per check and per pay, rounding per check and per pay)
    for low, high in zip(edges, edges[1:], strict=False):
        first = math.ceil(low / multiple) * multiple
        if first > high:
            continue      # (no regular deferral between two edges less than `multiple` apart)
        middle = (low + high) / 2
        slopes, gains = {}, {}
        for pay in pays:
            slopes[pay] = sum(rate for rate, start, end in case.tiers
                              if start * pay * 100 <= middle < end * pay * 100)
            gain = _match_cents(case, first, pay) - _match_raw(case, first, pay)
            gains[pay] = 0.5 if abs(gain) > 0.5 - 1e-4 else gain + 1e-4
        # The stretch's line at a = 0 per pay (None when the formula is not that line at both ends: no bound at
        # once, see above).
        last = min(math.floor(high), regular_cap) // multiple * multiple
        lines: dict[float, float] | None = {}
        for pay in pays:
            offset = _match_raw(case, first, pay) - slopes[pay] * first
            if abs(_match_raw(case, last, pay) - slopes[pay] * last - offset) > 1e-6:
                lines = None
                break
            lines[pay] = offset
        stretches.append((low, high, slopes, gains, lines))
    # From the latest cut back (the most pieces first: a bound above ``most`` is usually found there). A candidate
    # within the room counts as one cut at the last check, which may defer all it plans (its rounding on the
    # case's grain is at least that on its own step, which the grain divides).
    counts: dict[float, int] = {}
    for regular, match_pay, _, _, _ in checks:
        if regular and match_pay > 0:
            counts[match_pay] = counts.get(match_pay, 0) + 1
    before = [0] * (len(checks) + 1)      # regular checks before each position
    for position, check in enumerate(checks):
        before[position + 1] = before[position] + check[0]
    bonus_pieces = [piece for regular, _, pieces, _, _ in checks if not regular for piece in pieces]
    bonus_rounding = sum(uncut for regular, _, _, uncut, _ in checks if not regular)
    # The pieces shared at a cut change only past a bonus check (bonus_pieces only shrink: their count tells them
    # apart) and with the cut check's own pieces (one list per kind of check): sorted once for each, with what
    # they hold above each rate; and each regular check's formula once per deferral.
    sorted_shared: dict[tuple[int, int], list[tuple[float, float]]] = {}
    above_rate: dict[tuple[int, int, float], float] = {}
    raw: dict[tuple[int, float], float] = {}

    def own(count: int, pay_counts: tuple[tuple[float, int], ...], shared: list[tuple[float, float]],
            key: tuple[int, int], rounding: float, stretch: tuple[Any, ...]) -> Iterator[int]:
        # One cut's bounds on one stretch.
        low, high, slopes, gains, _ = stretch
        # (whole-cent deferrals only: the regular checks' fit the room beside each other)
        low = math.ceil(low / multiple) * multiple
        high = min(math.floor(high), room // count) // multiple * multiple
        if low > high:
            return
        rate = sum(number * slopes[pay] for pay, number in pay_counts) / count
        above = above_rate.get((*key, rate))
        if above is None:
            above = above_rate[(*key, rate)] = sum(size for piece_rate, size in shared if piece_rate > rate)
        peak = (room - above) / count
        for deferral in {min(high, max(low, math.floor(peak / multiple) * multiple)),
                         min(high, max(low, math.ceil(peak / multiple) * multiple))}:
            regular_part = 0.0
            for pay, number in pay_counts:
                value = raw.get((deferral, pay))
                if value is None:
                    value = raw[(deferral, pay)] = _match_raw(case, deferral, pay)
                regular_part += number * (value + gains[pay])
            bound = regular_part + _best_rates_first(shared, room - count * deferral) + rounding
            yield int(bound + 1e-6)

    def run_bounds(run: list[tuple[int, tuple[tuple[float, int], ...]]], shared: list[tuple[float, float]],
                   key: tuple[int, int], rounding: float) -> Iterator[int]:
        # The run's cuts from the latest back: each has at most the first one's regular checks of each match pay
        # before it, and at most the run's most and least regular checks in all.
        first_counts = run[0][1]
        most_checks, least_checks = run[0][0], run[-1][0]
        for stretch in stretches:
            low, high, slopes, gains, lines = stretch
            bound = math.inf
            # (tests: the cuts' own bounds on the stretch, each of the run's bounds checked against them)
            own_bounds = None if runs is None else [b for count, pay_counts in run
                                                    for b in own(count, pay_counts, shared, key, rounding, stretch)]
            if lines is not None:
                low = math.ceil(low / multiple) * multiple
                high = math.floor(high) // multiple * multiple
                least_spent, most_spent = least_checks * low, min(room, most_checks * high)
                if least_spent > most_spent:
                    if own_bounds is not None:
                        runs.append((-math.inf, own_bounds))
                    continue      # (no cut of the run has a regular deferral on the stretch)
                # Each cut's regular part is n (r a + K + e) with r a mean of its checks' pays' slopes (0 for a check
                # of no match pay) and n the checks before it. From a >= low > 0 on, n <= u / low: at most R u with R
                # the steepest r + (K + e) / low. On the first stretch (low = 0) every pay is on its first tier, one
                # slope r (K = 0): at most r u plus the first cut's n e. And r is at most S / m, S the first cut's
                # checks of each pay (the most) times those slopes, m the fewest checks before a cut of the run. Or,
                # in a: at most S a beside F(room - n a) <= F(room - m a): in u = m a, (S / m) u with u at most m
                # times the stretch's high end; the second form is worked out when the first does not hold.
                # (The checks of no match pay, past the §401(a)(17) cap, count in n but add nothing: capped plan
                # 133's 26 weekly cuts past it hold at its first ask, 3,675,000, by the second form, where the
                # steepest slope, 150%, with the most checks' u reached 3,675,001.)
                if low > 0:
                    slopes_now = [(slopes[pay] + max(0.0, lines[pay] + gains[pay]) / low, number)
                                  for pay, number in first_counts if number]
                    extra = 0.0
                else:
                    slopes_now = [(slopes[pay], number) for pay, number in first_counts if number]
                    extra = sum(number * max(0.0, lines[pay] + gains[pay]) for pay, number in first_counts)
                diluted = sum(slope * number for slope, number in slopes_now) / least_checks
                for rate, top in ((min(diluted, max((slope for slope, _ in slopes_now), default=0.0)), most_spent),
                                  (diluted, min(room, least_checks * high))):
                    above = above_rate.get((*key, rate))
                    if above is None:
                        above = above_rate[(*key, rate)] = sum(size for piece_rate, size in shared
                                                               if piece_rate > rate)
                    # (the concave bound's most inside the run's u; a wider slack than a cut's own bound's, for the
                    # floats' error: this one is never the lower)
                    spent = min(top, max(least_spent, room - above))
                    form = int(rate * spent + _best_rates_first(shared, room - spent) + extra + rounding + 1e-4)
                    bound = min(bound, form)
                    if own_bounds is not None:
                        runs.append((form, own_bounds))
                    elif bound <= state[2]:
                        break      # (holds: the other form is not worked out)
            # (at once, else cut by cut, the run's bound tried again before each cut once the most asked for has
            # risen: capped plan 90 asks at 3,675,000 first, where the first cut of its last 16 is above it, then at
            # 3,675,002, where their run's bound holds)
            for count, pay_counts in run:
                if bound <= state[2]:
                    state[3] = max(state[3], bound)
                    break
                yield from own(count, pay_counts, shared, key, rounding, stretch)

    run: list[tuple[int, tuple[tuple[float, int], ...]]] = []
    signature: Any = None
    for position in range(len(checks) - 1, -1, -1):
        regular, match_pay, pieces, uncut, cut = checks[position]
        # Check ``position`` is cut: it leaves the checks before the cut.
        if regular:
            if match_pay > 0:
                counts[match_pay] -= 1
        else:
            for piece in pieces:
                bonus_pieces.remove(piece)
            bonus_rounding -= uncut
        key = (len(bonus_pieces), id(pieces))
        shared = sorted_shared.get(key)
        if shared is None:
            shared = sorted_shared[key] = sorted(bonus_pieces + pieces, reverse=True)
        rounding = bonus_rounding + cut
        count = before[position]
        if not count:
            yield int(_best_rates_first(shared, room) + rounding + 1e-6)
            continue
        if run and signature[1:] != (key, rounding):
            yield from run_bounds(run, *signature)
            run = []
        signature = (shared, key, rounding)
        run.append((count, tuple(counts.items())))
    if run:
        yield from run_bounds(run, *signature)
