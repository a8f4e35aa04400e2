"""The solver: the elections that give the most match, then deferrals, then after-tax money (see the package
docstring), found from the year's totals without simulating every candidate, and the brute force it must
equal.

Elections are whole units of the plan's step (a tenth of a percent of pay, a dollar, ...): ``deferral`` (the
regular deferral election), ``bonus_deferral`` (the separate bonus one; -1 or the regular one when bonuses take
the regular election), ``after_tax`` and ``bonus_after_tax``. The comments' algebra writes them x, y, a and ya:
a "column" is one bonus election y and the regular elections x in it, a "row" one x and the bonus elections y.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools

from ..errors import InputError
from .bounds import (
    _after_tax_grain,
    _best_rates_first,
    _box_bound,
    _breaks,
    _cap_bound,
    _cap_pieces,
    _ceiling,
    _column_bound,
    _concave,
    _grain,
    _integer_slope,
    _match_raw,
    _regular_step,
    _row_bound,
    _row_layout,
    _stopped_ceiling,
    _tight_ceiling,
    _whole,
)
from .case import _REGULAR, _amount, _annual_match, _Case, _match_cents
from .fallback import _415c_can_bind, _phase1_exhaustive
from .simulation import (
    _base_additions,
    _bonus_fit,
    _bonus_sum,
    _build_tables,
    _largest,
    _largest_near,
    _planned,
    _planned_after_tax,
    _planned_raw,
    _regular_fit,
    _simulate,
)
from .stops import (
    _before_first_bonus,
    _build_stops,
    _column_max,
    _regular_match,
    _stop_at,
    _stop_losses,
    _stopped_candidates,
    _truncated,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any


def _prepare(case: _Case) -> None:
    """The solver's bounds on a fresh case (see :func:`_ceiling`); the payroll-stop tables come on first use."""
    case.stops = None
    case.whole, case.breaks, case.regular_pieces = {}, {}, None
    case.ceiling = _ceiling(case)
    case.live_columns, case.column_rounding, case.column_bounds, case.row_boxes = None, None, {}, None


def _deferral_full_match(case: _Case) -> int:
    """Smallest regular election at which every paycheck it drives gets its full per-paycheck match."""
    if not case.tiers:
        return 0
    big = 10**13
    checks = [(case.pay, match_pay) for match_pay, _ in case.regular_groups]
    if not case.separate and not case.dollars:
        checks += [pays for pays, _ in case.bonus_groups]      # (bonus checks alike asked once)
    full = [_match_cents(case, big, mp) for _, mp in checks]

    def short(deferral: int) -> bool:
        return any(_match_cents(case, _amount(case, pay, deferral, False), mp) < f
                   for (pay, mp), f in zip(checks, full, strict=True))

    guess = _full_match_guess(case, checks, 0 if case.dollars else case.unit_k)
    last_short = _largest_near(short, 0, case.max_units, guess)
    return 0 if last_short is None else last_short + 1


def _full_match_guess(case: _Case, checks: list[tuple[float, float]], thousandths: int) -> int:
    """Where the full match of every check (plan pay, match pay) should start by its tier edges (elections of
    ``thousandths`` of pay, 0: whole dollars), less one: the first probe of :func:`_largest_near` (the
    rounding of the deferral and of the match may move the answer a step or two; the search finds it)."""
    top = max((high for rate, _, high in case.tiers if rate > 0), default=0.0)
    most = 0
    for plan_pay, match_pay in checks:
        needed = top * match_pay * 100       # cents of deferral
        per_unit = 100.0 if not thousandths else plan_pay * thousandths / 10
        if per_unit > 0:
            most = max(most, int(needed / per_unit) + 1)
    return most - 1


_OFFERS = 64      # stopped candidates offered in a long column before its best is searched for first
_OFFERS_ONE_COLUMN = 32      # the same, in the one column without a separate bonus election (see _phase1_from)
_LONG_COLUMN = 1000      # regular elections: more than a percent grid at 0.1% steps (see _phase1_from)


def _bonus_full_match(case: _Case) -> int | None:
    """Smallest separate bonus election at which every bonus check gets its full match (None: none does)."""
    big = 10**13
    checks = [pays for pays, _ in case.bonus_groups]      # (plan pay, match pay): bonus checks alike asked once
    full = [_match_cents(case, big, match_pay) for _, match_pay in checks]

    def short(bonus_deferral: int) -> bool:
        return any(_match_cents(case, _amount(case, plan_pay, bonus_deferral, True), match_pay) < f
                   for (plan_pay, match_pay), f in zip(checks, full, strict=True))

    if short(case.bonus_max_units):
        return None
    last_short = _largest_near(short, 0, case.bonus_max_units, _full_match_guess(case, checks, case.bonus_k))
    return 0 if last_short is None else last_short + 1


def _phase1(case: _Case) -> tuple[tuple[int, int], list[tuple[int, int]], Any] | None:
    """Best (match, deferrals) and the (x, y) reaching it, smallest x per y; None if a fallback is needed."""
    # (Only a ceiling of at least the full match lets y_full's probe reach it: every candidate pays at most the
    # ceiling. Plans 717, 723, 272, 900: the probe's column cost ~0.4 ms and could never pass.)
    if case.separate and case.bonus_events and case.tiers and not case.true_up and case.ceiling >= case.match_full:
        # Below y_full some bonus check misses part of its match and, without a true-up, nothing makes it up:
        # those bonus elections cannot reach the full match. When y_full itself reaches the full match at the
        # full room, they add nothing (and cannot break §415(c), see _phase1_from), so start there; the ~60
        # smaller ones (6% at 0.1% steps) each cost a fit and a stop simulation. Otherwise search them all.
        bonus_full = _bonus_full_match(case)
        if bonus_full:
            found = _phase1_from(case, bonus_full, bonus_full)
            if found is not None and found[0] == (case.match_full, case.room):
                return _phase1_from(case, bonus_full)
    return _phase1_from(case, 0)


def _phase1_from(case: _Case, first_bonus: int, last_bonus: int | None = None, tables: bool = True
                 ) -> tuple[tuple[int, int], list[tuple[int, int]], Any] | None:
    """_phase1 over the bonus elections from ``first_y`` up (to ``last_y``): the best, the members found in
    the columns searched, and an iterator of further members with smaller regular elections (see
    _row_members), to be taken after the ones before them. ``tables=False``: the column loop even where
    _columns_within_room gives its answer (the tests compare the two)."""
    separate = case.separate and bool(case.bonus_events)
    top = case.bonus_max_units if last_bonus is None else min(last_bonus, case.bonus_max_units)
    bonus_values = range(first_bonus, top + 1) if separate else (-1,)
    room = case.room
    truncation = case.stops_402g and case.stop == case.room and room >= 0
    within = (tables and separate and not case.dollars and room >= 0 and case.n_regular > 0
              and _base_additions(case, min(room, _planned(case, case.max_units, case.bonus_max_units)[0]),
                                  case.ceiling) <= case.limit_415 - case.ytd_after_tax)
    # (no candidate defers more than the room or its largest elections, nor gets more than the ceiling)
    # (A payroll that stops at the room cuts nothing when the largest elections searched fit it: the same loop.)
    if within and (not truncation or _planned(case, case.max_units, top)[0] <= room):
        return _columns_within_room(case, first_bonus, top)
    deferral_full = _deferral_full_match(case)
    best: tuple[int, int] | None = None
    members: list[tuple[int, int]] = []
    smallest_deferral = None

    def offer(value: tuple[int, int], deferral: int, bonus_deferral: int) -> None:
        nonlocal best, members, smallest_deferral
        if best is None or value > best:
            best, members, smallest_deferral = value, [(deferral, bonus_deferral)], deferral
        elif value == best and (smallest_deferral is None or deferral < smallest_deferral):
            members.append((deferral, bonus_deferral))
            smallest_deferral = deferral

    def tie(deferral: int, bonus_deferral: int) -> None:
        # A member tying the best with a smaller x than every earlier one (offer's second case).
        nonlocal smallest_deferral
        members.append((deferral, bonus_deferral))
        smallest_deferral = deferral

    # `ceiling` bounds every candidate's match (see _ceiling): a best of (ceiling, room) cannot be beaten, only
    # tied by smaller elections ("settled"). The arguments that rest on x_cap need the full match itself.
    ceiling = case.ceiling
    # Runs of bonus elections dropped whole by a bound over a box of (x, y) (see _boxes_below): concave tiers
    # and a payroll that stops at the room, with a separate bonus election.
    boxes = separate and truncation and _concave(case)
    grain = _grain(case) if boxes else 1
    # A stopped match some candidate of the columns left pays (see _seed): no candidate paying less can be the
    # best or a member, so every bound below is held to it too, instead of to a best that climbs column by
    # column. Worked out once _SEED_AFTER columns have been searched (most searches end before).
    seed, searched = -1, 0 if separate and truncation and case.tiers else -1
    # (Whole-dollar columns are long and their seed costs more, while their searches often end soon after the
    # first columns: plan 459 ends at 12, and a seed at 8 cost it ~0.6 ms. There it waits twice as long.)
    seed_after = _SEED_AFTER * (2 if case.dollars else 1)
    # Columns up to floor_until are bounded by the true-up's floor (a run's bound, see below), in runs of
    # floor_run.
    floor_until, floor_run = -1, _RUN_FIRST
    # Runs of columns below the need by their planned match (see _unpromising_run): separate election, the stop,
    # no true-up, rates of at least 0, and no candidate can break §415(c) (so no column's own check can matter).
    # (Columns dropped by their own bound before their room fill is worked out, see below: the same conditions
    # but the rates' sign.)
    bounded_first = (_BOUND_FIRST and separate and truncation and not case.true_up and bool(case.tiers)
                     and _base_additions(case, room, ceiling) <= case.limit_415 - case.ytd_after_tax)
    unpromising = _UNPROMISING_RUNS and bounded_first and all(rate >= 0 for rate, _, _ in case.tiers)
    unpromising_next, unpromising_gap = 0, 1
    dropped_until, capped_until, capped_x, width, next_try, gap = -1, -1, 0, 8, 0, _BOX_GAP
    budget = _BOX_FIRST      # bounds a try may work out: small until tries succeed
    retried = False      # a try that failed on its own first column was just tried again from the next
    next_bonus = -1      # bonus elections below it were jumped over (see the settled case below)
    skipped_until, run = -2, _RUN_FIRST      # runs of columns below the best (see the column bound below)
    backoff = _RunBackoff()
    if within and truncation:
        # The first columns, up to the last whose largest regular election still fits the room, have no
        # candidate the stop cuts: the loop would only offer their room fills. The table search gives the same
        # best and members (unless it settles: then the loop is left to hand over to the rows).
        if case.bonus_sums is None or case.regular_amounts is None:
            _build_tables(case)
        last_fit = bisect.bisect_right(case.bonus_sums, room - case.n_regular * case.regular_amounts[case.max_units],
                                       first_bonus, top + 1) - 1
        if last_fit - first_bonus >= _WITHIN_FIRST:
            found = _columns_within_room(case, first_bonus, last_fit)
            if found[0] is not None and found[0] != (ceiling, room):
                best, members = found[0], list(found[1])
                smallest_deferral = members[-1][0]
                skipped_until = last_fit
    # A best at the room a few cents below the ceiling (its rounding allowance) may be the most any candidate
    # gets: the tighter bound of _stopped_ceiling then lowers the ceiling to it, and the search settles (the
    # ties left are handed over row by row) instead of searching every later column for ties and for more.
    tighten, tried = _SETTLE_TRIES if separate and truncation and not case.true_up else 0, -1
    # The ceiling's envelope fill (bounds._tight_ceiling) is worked out once, at the first best at the room under
    # the ceiling: most searches never get there, and it costs ~0.06 ms.
    envelope = separate and truncation
    # The regular election below which the last column searched was not promising (its planned match short of the
    # need), where the next column's search for it starts (see below): with rates of at least 0 only.
    weak_near, weak_guess = _WEAK_NEAR and _monotone(case), None
    for bonus_deferral in bonus_values:
        if envelope and best is not None and best[1] == room and best[0] < ceiling:
            envelope = False
            case.ceiling = ceiling = _tight_ceiling(case)
        if (tighten and best is not None and best[1] == room and best[0] < ceiling and best[0] != tried
                and ceiling - best[0] <= len(case.events)):
            tighten, tried = tighten - 1, best[0]
            if _stopped_ceiling(case, best[0]):
                case.ceiling = ceiling = best[0]
        if best == (ceiling, room) and smallest_deferral is not None and (smallest_deferral == 0 or (
                best[0] == case.match_full and not case.true_up and smallest_deferral <= deferral_full)):
            # Settled at the full match and the full room: a larger bonus election only matters with a smaller
            # regular one, and below x_cap some paycheck misses part of its match, which without a true-up
            # nothing makes up. Nothing later can trigger the §415(c) fallback either: every later candidate
            # has at most the room and the full match, and the additions grow with both.
            break
        if bonus_deferral < next_bonus or bonus_deferral <= skipped_until:
            continue
        if separate and best == (ceiling, room) and smallest_deferral is not None:
            # Settled: what is left are ties with a smaller regular election in the bonus elections from y on.
            # The after-tax search takes members by rising regular election and usually stops at the first,
            # so hand them over row by row from regular election 0 (see _row_members) instead of searching
            # every remaining bonus election here.
            # Without a true-up the full match needs every regular check at its full-match election.
            deferral_start = deferral_full if best[0] == case.match_full and not case.true_up else 0
            return best, members, functools.partial(_row_members, case, deferral_start, smallest_deferral,
                                                    bonus_deferral, top)
        if bonus_deferral > next_bonus and separate and best == (ceiling, room) and smallest_deferral is not None:
            # Settled: only a smaller regular election can add a member. While the bonus checks total less
            # than `fill` (the room less smallest_x - 1 on every regular check), the election that fills the
            # room is smallest_x - 1 or more and leaves the room short unless it pays more than smallest_x - 1
            # (then it is not smaller), and the stop's candidates start above it: nothing to add. So jump to
            # the first bonus election whose checks total `fill` or more (they only grow with it). Landing
            # there (y == next_y), nothing has changed since the jump, so it is not worked out again.
            fill = room - case.n_regular * _amount(case, case.pay, smallest_deferral - 1, False)
            next_bonus = _bonus_fit(case, fill - 1, bonus_deferral, case.bonus_max_units) + 1
            if next_bonus > bonus_deferral:
                continue
        if (unpromising and seed >= 0 and searched < 0 and best is not None and best != (ceiling, room)
                and max(bonus_values[0] + 1, unpromising_next) <= bonus_deferral < top):
            # After the seed, columns whose every candidate pays less than the need are dropped a run at once
            # (see _unpromising_run): one planned sum for a column that is not (then the next try waits, twice
            # as long after each such column in a row), a galloping search for a run that is.
            run_end = _unpromising_run(case, bonus_deferral, top, max(seed, best[0]) - 1, deferral_full)
            if run_end >= bonus_deferral:
                skipped_until, unpromising_gap = run_end, 1
                continue
            unpromising_next, unpromising_gap = bonus_deferral + unpromising_gap, min(2 * unpromising_gap, 64)
        if (bounded_first and searched < 0 and best is not None and bonus_deferral > bonus_values[0]
                and bonus_deferral > dropped_until):
            # After the seed, a column whose bound (_column_bound: every candidate, within the room or stopped) is
            # below what an offer needs is dropped before its room fill, planned sums and stop are worked out: its
            # room fill cannot beat the best, nor tie it with a smaller x (see the column bound below), and no
            # candidate can break §415(c) (the room and the ceiling do not). Only an offer below the seed is lost,
            # which the seed's candidate supersedes. Capped plan 93: ~50 of its columns 1-96 are each within two
            # cents of its ceiling (= seed) by their bound and below it. (Not inside a run of columns the boxes
            # dropped, see below: there no bound is worked out.)
            offer_need = max(seed, best[0] + (best[1] == room and smallest_deferral == 0))
            if _one_column_bound(case, bonus_deferral) < offer_need:
                run_end, run = backoff.runs(case, bonus_deferral, top, run, offer_need)
                if run_end > bonus_deferral:
                    skipped_until = run_end
                continue
        bonus_units = max(bonus_deferral, 0)
        if separate:
            bonus_part = _bonus_sum(case, bonus_units)
            room_fill = _regular_fit(case, room - bonus_part, case.max_units)
            first_fill = room_fill
        else:
            room_fill = _largest(lambda deferral: _planned(case, deferral, 0)[0] <= room, 0, case.max_units)
        settled = best is not None and best == (ceiling, room) and smallest_deferral is not None
        if settled and best[0] == case.match_full and separate and not case.true_up and (
                room_fill is None or room_fill < deferral_full):
            # Past here every bonus election leaves room for less than x_cap on the regular checks, so
            # without a true-up only the stop's candidate x_cap can keep the full match. Under the stop a
            # larger bonus election only takes more off the later regular checks: once one of them loses
            # match at x_cap, it does at every larger bonus election too, and nothing can be added.
            if not truncation or any(kind == _REGULAR and lost > 0 for kind, lost in _stop_losses(
                    case, deferral_full, bonus_units, _planned_raw(case, deferral_full, bonus_units)[0] - room)):
                break
        if settled and room_fill is not None and room_fill >= smallest_deferral and (
                room_fill == 0
                or _amount(case, case.pay, room_fill - 1, False) < _amount(case, case.pay, room_fill, False)):
            continue      # nothing beats the full match at the full room; a tie needs a smaller election
        if settled and room_fill is not None and separate and (
                case.n_regular * _amount(case, case.pay, room_fill, False) + bonus_part < room):
            room_fill_value = None  # short of the room: cannot tie the best, only the stop's candidates can
        else:
            room_fill_value = room_fill
        if room_fill_value is not None:
            deferrals, match = _planned(case, room_fill, bonus_units)
            if separate:
                # Rounding ties: the smallest election giving the same money, i.e. the same regular deferral (the
                # bonus checks' are y's; the match and any true-up follow the deferrals).
                amount = _amount(case, case.pay, room_fill, False)
                while room_fill > 0 and _amount(case, case.pay, room_fill - 1, False) == amount:
                    room_fill -= 1
            else:
                while room_fill > 0 and _planned(case, room_fill - 1, bonus_units) == (deferrals, match):
                    room_fill -= 1      # rounding ties: the smallest election giving the same money
            if _base_additions(case, deferrals, match) > case.limit_415 - case.ytd_after_tax:
                return None   # employer money + deferrals alone break §415(c): search everything
            offer((match, deferrals), room_fill, bonus_units)
        if not truncation:
            if room_fill is None:
                break    # the bonus deferral alone passes the room; a larger one will too
            continue
        # Past x_u the payroll stop cuts the deferrals at exactly the room; the match then depends on the
        # timing, and once every paycheck is at its full-match rate a larger election only stops earlier.
        # The untruncated match (capped at the full match) bounds it and grows with x: skip what cannot win.
        deferral_first = 0 if room_fill is None else room_fill + 1
        deferral_last = min(case.max_units, max(deferral_first, deferral_full))
        if separate and bonus_deferral > bonus_values[0]:
            deferral_last = min(deferral_last, _before_first_bonus(case) - 1)
        if best == (ceiling, room) and smallest_deferral is not None:
            # Nothing beats it; a tie needs a smaller election.
            deferral_last = min(deferral_last, smallest_deferral - 1)
        if deferral_first > deferral_last:
            continue
        need = max(seed, -1 if best is None else best[0]) - 1

        def promising(deferral: int, bonus_units: int = bonus_units, need: int = need, ceiling: int = ceiling) -> bool:
            return min(ceiling, _planned(case, deferral, bonus_units)[1]) > need

        # Settled, a lone candidate is cheaper to try than to bound: short of the full match its offer does
        # nothing, and it cannot break §415(c) (see the top of the loop).
        if not (settled and deferral_first == deferral_last) and not promising(deferral_last):
            continue
        if searched >= 0:
            searched += 1
            if searched == seed_after:
                searched = -1
                # A true-up's floor at the room is often a few cents below the ceiling: a best there can only be
                # beaten that many times (whole cents), so there is no climb for a seed to cut short.
                if not (case.true_up and best is not None and ceiling - best[0] <= _SEED_CLIMB):
                    seed = _seed(case, bonus_deferral, top, deferral_full)
        if separate and (best is not None or seed >= 0):
            if boxes and not case.true_up and best is not None and bonus_deferral <= dropped_until:
                # Inside a run of bonus elections dropped by _boxes_below (below): skipped there whatever the
                # column's own bound, so it is not worked out. (With a true-up a bound below the floor + 1
                # also offers the floor: left to the code below.)
                continue
            # Inside a run bounded by the floor, the column's own bound is below floor + 1 and at least the
            # floor (a true-up pays it): against the whole-cent needs below it acts as the floor itself.
            column_bound = case.true_up_floor if bonus_deferral <= floor_until else _one_column_bound(case, bonus_units)
            # A candidate is offered when it beats the best or ties it at the room with a smaller x: with the
            # best at the room and x = 0, only one that beats it. And it counts only if it pays the seed.
            offer_need = seed if best is None else max(seed, best[0] + (best[1] == room and smallest_deferral == 0))
            if column_bound < offer_need:
                # No regular election in this column can be offered. Often neither in the next ones (e.g. bonus
                # checks past the room, cut at it): try the bound over a run of them at once (it covers the
                # candidates within the room too, and the need only rises), doubling the run while it drops,
                # halving it when not. After a run that drops, the next one is tried at once: the need only
                # rises, and many columns in a row stay below it (a true-up's floor + 1 or a seed; plan 272's
                # ~900 columns past its best), each of which would otherwise work out its own bound first.
                # (Plan 272: 9 loop steps past column 76 become one. Paired over the generated set it is even:
                # median plan 1.00-1.01x in three repeats; a first run that showed 0.93x did not repeat.)
                run_end, run = backoff.runs(case, bonus_deferral, top, run, offer_need)
                if run_end > bonus_deferral:
                    skipped_until = run_end
                continue
            if best is None:
                pass
            elif case.true_up and column_bound < case.true_up_floor + 1:
                # Every candidate at the room is paid the true-up's floor (the formula on the room) and no more
                # (the bound), the most in the column: the first to reach the room (the room fill when it
                # defers exactly the room, offered above; else the first the stop cuts) is all the column adds.
                # Often so in the next columns too: try the bound over a run of them, as above.
                first_cut = 0 if first_fill is None else first_fill + 1
                if first_cut <= case.max_units and (
                        first_fill is None or _planned(case, first_fill, bonus_units)[0] < room):
                    offer((case.true_up_floor, room), first_cut, bonus_units)
                # The columns of such runs come from the tables (see _floor_run_members) when the best is the
                # floor at the room, not settled: then, after a run that holds, the next one is tried at once
                # (the column past it needs no bound of its own), while the tables take the columns.
                tables = (_FLOOR_RUN_TABLES and best == (case.true_up_floor, room) and best[0] < ceiling
                          and seed <= best[0] and bool(smallest_deferral))
                if _FLOOR_RUNS and floor_until < bonus_deferral < top:
                    run_end, floor_run = _bounded_runs(case, bonus_deferral, top, floor_run, case.true_up_floor + 1,
                                                       tables)
                    if run_end > bonus_deferral:
                        floor_until = run_end
                if tables and bonus_deferral < floor_until:
                    skipped_until, searched = _floor_run_members(case, bonus_deferral + 1, floor_until, tie,
                                                                 smallest_deferral, searched, deferral_full)
                continue
            elif column_bound < best[0] + 1 and best[1] == room and smallest_deferral is not None:
                # At most a tie (whole cents), which a stopped candidate (at the room) wins only with a smaller x.
                deferral_last = min(deferral_last, smallest_deferral - 1)
                below = min(smallest_deferral - 1, case.max_units)
                if _TIE_RUNS and (below < 0 or not promising(below)):
                    # No election below the smallest member's is promising here (the planned match bounds the
                    # stopped one and grows with x and y), so the column adds nothing. Nor do the next ones while
                    # that holds and their bound over a run is below best + 1 (nothing beats the best; a candidate
                    # paying at most it, with deferrals at most the room, adds no more than it toward §415(c)):
                    # plan 21's best is tied at a larger x in each of its ~330 last columns before 500.
                    if bonus_deferral < top:
                        run_end, run = backoff.runs(case, bonus_deferral, top, run, best[0] + 1)
                        if below >= 0 and run_end > bonus_deferral and promising(below, run_end):
                            run_end = _largest(lambda units, below=below: not promising(below, units),
                                               bonus_deferral, run_end)
                        skipped_until = max(skipped_until, run_end)
                    continue
                if deferral_first > deferral_last:
                    continue
        if boxes and best is not None:
            if bonus_deferral <= dropped_until:
                continue      # inside a run of bonus elections whose stopped candidates cannot reach the best
            if bonus_deferral <= capped_until:
                # Inside a run whose stopped candidates from x_cap up cannot be offered (x_cap only falls
                # with the smallest member's x, and the best only rises: they stay out).
                deferral_last = min(deferral_last, capped_x - 1)
                if deferral_first > deferral_last:
                    continue
            elif bonus_deferral >= next_try:
                # Try the next `width` bonus elections at once: their stopped candidates have a regular
                # election from the room fill of the last of them (the fill only falls as y rises; a column
                # starts at its fill less the elections paying the same amount, see the rounding ties) up to
                # this column's deferral_last before its settled cap (no larger for a larger y).
                y2 = min(top, bonus_deferral + width - 1)
                fill2 = _regular_fit(case, room - _bonus_sum(case, y2), case.max_units)
                while fill2 and _amount(case, case.pay, fill2 - 1, False) == _amount(case, case.pay, fill2, False):
                    fill2 -= 1
                x_low = 0 if fill2 is None or not case.n_regular else fill2 + 1
                x_high = min(case.max_units, max(0 if first_fill is None else first_fill + 1, deferral_full))
                if bonus_deferral > bonus_values[0]:
                    x_high = min(x_high, _before_first_bonus(case) - 1)
                if x_low <= x_high:
                    # The planned match only grows with y (rates of at least 0): an election not promising at
                    # y2 is not at any y of the run, where each column's search starts past such elections.
                    weak_y2 = _largest(lambda units, y2=y2: not promising(units, y2), x_low, x_high)
                    if weak_y2 is not None:
                        x_low = weak_y2 + 1
                # A candidate at the room is offered when it beats the best, or ties it with a smaller x (and
                # counts only if it pays the seed).
                tie_below = (smallest_deferral if best[1] == room and smallest_deferral is not None
                             else case.max_units + 1)
                box_need = best[0]
                if seed > best[0]:
                    box_need, tie_below = seed, case.max_units + 1
                kept: list[int] = []      # the column of a candidate a try could not drop (see _boxes_below)
                rows = x_high - x_low + 1
                if _boxes_below(case, x_low, x_high, bonus_deferral, y2, box_need, tie_below, grain,
                                max(budget, _ROW_BUDGET * rows) if rows <= _ROW_CAP else budget, kept):
                    dropped_until, width, gap, budget = y2, min(2 * width, 256), _BOX_GAP, min(2 * budget, _BOX_BUDGET)
                    retried = False
                    continue
                if x_low < tie_below <= x_high and _boxes_below(case, tie_below, x_high, bonus_deferral, y2,
                                                                 box_need, tie_below, grain, budget, kept):
                    # Only ties below the smallest member's x are left: search those alone in the run.
                    capped_until, capped_x, width, gap = y2, tie_below, min(2 * width, 256), _BOX_GAP
                    budget = min(2 * budget, _BOX_BUDGET)
                    deferral_last = min(deferral_last, capped_x - 1)
                    if deferral_first > deferral_last:
                        continue
                elif kept and kept[-1] > bonus_deferral + 1:
                    # The try failed on a candidate of a later column (often a member, which no bound drops):
                    # the columns from the next one up to the one before it are tried at once (plan 244: 64
                    # columns failed on a member at their 43rd; the 41 after this one drop without it).
                    next_try, width = bonus_deferral + 1, kept[-1] - bonus_deferral - 1
                elif kept == [bonus_deferral] and not retried:
                    # The try failed on this column's own candidate (searched anyway): the run is tried again
                    # from the next column (once; a second such failure in a row backs off).
                    next_try, retried = bonus_deferral + 1, True
                elif width > 8:
                    # A run that grew past 8 columns failed: the candidate that stops it may lie near its end,
                    # so half the run is tried from the next column on.
                    next_try, width = bonus_deferral + 1, width // 2
                else:
                    # Back off: the next try after a gap that grows with each failure in a row.
                    next_try, gap, width, budget = bonus_deferral + gap, min(_BOX_GROW * gap, 256), 8, _BOX_FIRST
                    retried = False
        if deferral_first == deferral_last:
            weak = None
        elif weak_guess is not None:
            # (rates of at least 0: the planned match only grows with x, so `promising` changes once and the search
            # from the last column's answer finds the same x as the bisection, in ~3 planned sums instead of ~9;
            # capped plan 93's nine columns whose bound is its ceiling each bisected x = 69..384 to 69)
            weak = _largest_near(lambda units: not promising(units), deferral_first, deferral_last, weak_guess)
        else:
            weak = _largest(lambda units: not promising(units), deferral_first, deferral_last)
        if weak is not None and weak_near:
            weak_guess = weak

        deferral_first = deferral_first if weak is None else weak + 1
        # On a long column (whole-dollar elections) with no best yet, the column's best stopped match first (best
        # first, a few candidates), so that the search by rising x skips everything below it instead of offering
        # each better candidate in turn. With a best, only once the column has offered _OFFERS candidates: a
        # match that rises with x all the way up a column beats the best over and over (a 5-check dollar plan
        # offered 1,800), while most columns end after a few (there the best-first search cost up to 2 ms). On a
        # short column that costs more than it saves.
        floor = [-1]
        long_column = deferral_last - deferral_first > _LONG_COLUMN
        if long_column and best is None:
            floor[0] = _column_max(case, bonus_units, deferral_first, deferral_last)
            long_column = False
        elif not separate:
            # The one column (no separate bonus election) has no later column to share the cost with, and its
            # match often rises all the way to x_cap (whole dollars: up to ~2,000 offers, one span bound each):
            # its best is searched for first after fewer offers, on a column of any length.
            long_column = True
        most_offers = _OFFERS if separate else _OFFERS_ONE_COLUMN

        def need_at(deferral: int, floor: list[int] = floor, seed: int = seed) -> int:
            # A candidate at the room counts when it beats the best, or ties it with a smaller election, and
            # pays the seed.
            if best is None:
                return max(floor[0], seed)
            smaller = smallest_deferral is not None and deferral >= smallest_deferral
            return max(floor[0], seed, best[0] + (best[1] == room and smaller))

        offers = 0
        for deferral, match in _stopped_candidates(case, bonus_units, deferral_first, deferral_last, need_at):
            # A larger x stops the payroll no later, so once the stop's bound is below the best nothing
            # further in this column can reach it.
            if match is None:
                match = _truncated(case, deferral, bonus_units,
                                   None if best is None and seed < 0 else max(seed, -1 if best is None else best[0]))
            if match < 0:
                break
            if _base_additions(case, room, match) > case.limit_415 - case.ytd_after_tax:
                return None   # §415(c) binds the deferrals and match themselves: search everything
            offer((match, room), deferral, bonus_units)
            if best == (ceiling, room):
                break
            offers += 1
            if long_column and offers == most_offers and deferral < deferral_last:
                # (the need only rises, as _stopped_candidates allows: what is left is searched above it)
                floor[0] = _column_max(case, bonus_units, deferral + 1, deferral_last, best[0])
                long_column = False
    return best, members, ()


def _columns_within_room(case: _Case, first_bonus: int, top: int
                         ) -> tuple[tuple[int, int] | None, list[tuple[int, int]], Any]:
    """_phase1_from's column loop when no payroll stop cuts anything (separate bonus election, percent steps):
    the same best, members and rows, from the tables of every election's amounts instead of a fit and two
    planned sums per column.

    Column y's candidate is its room fill x(y) (the largest regular election whose checks fit the room beside
    the bonus checks at y, less the smaller elections paying the same cents) with deferrals d(y) = n a(x(y)) +
    B(y): a bisection per column, no match. The match m(y) is worked out only where it can matter: first by
    falling d, while the most match any elections deferring d in all can get (the tiers' pieces of every check,
    best rate first, plus the rounding, as in bounds._ceiling; a true-up's formula on d) can still reach the
    best found (a smaller d then only wins with more match, and that bound only falls with d); after
    _BY_DEFERRALS columns (that bound is loose when the uniform elections keep the full match out of reach),
    runs of columns best bound first, each bounded by its first x's regular match plus its last y's bonus
    match (x only falls and y only rises over a run). The loop's result
    is the best (m, d) over the columns up to the last whose bonus checks fit the room, and the members are the
    columns paying it whose x is below every earlier such column's; a best at (ceiling, room) settles the loop
    at the first column paying it (see _phase1_from). The caller checked that no candidate can break §415(c)
    (the additions of the room and the ceiling fit): the loop's fallback exit is never taken."""
    room, per_check, cap = case.room, case.n_regular, case.max_units
    if case.bonus_sums is None or case.regular_amounts is None:
        _build_tables(case)
    bonus_sums, amounts = case.bonus_sums, case.regular_amounts
    last = bisect.bisect_right(bonus_sums, room, first_bonus, top + 1) - 1     # past it no x fits the room
    if last < first_bonus:
        return None, [], ()
    fills, totals = [], []
    bisect_right, bisect_left = bisect.bisect_right, bisect.bisect_left
    for bonus_part in itertools.islice(bonus_sums, first_bonus, last + 1):
        fill = bisect_right(amounts, (room - bonus_part) // per_check, 0, cap + 1) - 1
        amount = amounts[fill]
        fills.append(bisect_left(amounts, amount, 0, fill))
        totals.append(per_check * amount + bonus_part)
    found = _cap_pieces(case, amounts[cap])
    pieces, half = ([], 0.0) if found is None else found
    ceiling, true_up = case.ceiling, case.true_up and bool(case.tiers)

    def most_match(deferrals: int) -> int:
        bound = int(_best_rates_first(pieces, deferrals / 100) * 100 + half + 1e-4) if pieces else 0
        if true_up:
            bound = max(bound, _annual_match(case, case.ytd_def + deferrals) - case.ytd_match)
        return min(ceiling, bound)

    best: tuple[int, int] | None = None
    tied: list[int] = []      # the columns paying the best, by rising y
    seen = set()
    settled = (ceiling, room)

    def evaluate(index: int) -> None:
        nonlocal best, tied
        seen.add(index)
        value = (_planned(case, fills[index], first_bonus + index)[1], totals[index])
        if best is None or value > best:
            best, tied = value, [index]
        elif value == best:
            bisect.insort(tied, index)

    # First by falling deferrals, while the most match they can buy (most_match only falls with them) can still
    # beat the best found or, at the best's deferrals, tie it. Most searches end here after a few columns.
    order = sorted(range(len(totals)), key=totals.__getitem__, reverse=True)
    for step, index in enumerate(order):
        deferrals = totals[index]
        if best is not None and deferrals < best[1] and most_match(deferrals) <= best[0]:
            return _within_room_result(case, best, tied, fills, first_bonus, top)
        if step == _BY_DEFERRALS:
            break
        evaluate(index)
    else:
        return _within_room_result(case, best, tied, fills, first_bonus, top)

    def bound(first: int, last: int) -> tuple[int, int]:
        """(most match, most deferrals) of the columns first..last (indices): x falls and y rises over them, so
        their per-check match is at most the regular checks' at the first x plus the bonus checks' at the last
        y, and at most what the most deferrals buy."""
        deferrals = max(itertools.islice(totals, first, last + 1))
        per_check = _planned_raw(case, fills[first], 0)[1] + _planned_raw(case, 0, first_bonus + last)[1]
        match = min(per_check, most_match(deferrals)) if pieces else per_check
        if true_up:
            match = max(match, _annual_match(case, case.ytd_def + deferrals) - case.ytd_match)
        return min(ceiling, match), deferrals

    # Then (the full match out of the deferrals' reach, e.g. with x and y each too small for it) runs of columns
    # best bound first (most match, then most deferrals), split in half; a run is dropped when its bound cannot
    # reach the best found (a tie in match needs at least the best's deferrals), or when settled (only the first
    # column paying it counts) it starts past the first found.
    heap = [(-ceiling, -room, 0, len(totals) - 1)]
    while heap:
        high, most, first, last = heapq.heappop(heap)
        if best is not None and (-high, -most) < best:
            break      # (runs come by falling bound: none left can reach the best)
        if best == settled and first >= tied[0]:
            continue
        if last - first < 2:
            for index in range(first, last + 1):
                if index not in seen:
                    evaluate(index)
            continue
        middle = (first + last) // 2
        for part_first, part_last in ((first, middle), (middle + 1, last)):
            match, deferrals = bound(part_first, part_last)
            if best is None or (match, deferrals) >= best:
                heapq.heappush(heap, (-match, -deferrals, part_first, part_last))
    return _within_room_result(case, best, tied, fills, first_bonus, top)


_BY_DEFERRALS = 16      # columns _columns_within_room tries by falling deferrals before it bounds runs of them


def _within_room_result(case: _Case, best: tuple[int, int] | None, tied: list[int], fills: list[int],
                        first_bonus: int, top: int) -> tuple[tuple[int, int] | None, list[tuple[int, int]], Any]:
    """_columns_within_room's best, members and rows from the columns paying the best (indices from y_first)."""
    if best == (case.ceiling, case.room):
        # Settled at the first column paying it: the loop's next column stops it (see _phase1_from).
        deferral, bonus_deferral = fills[tied[0]], first_bonus + tied[0]
        members = [(deferral, bonus_deferral)]
        if bonus_deferral == top or deferral == 0:
            return best, members, ()
        deferral_full = _deferral_full_match(case)
        full = best[0] == case.match_full and not case.true_up
        if full and deferral <= deferral_full:
            return best, members, ()
        return best, members, functools.partial(_row_members, case, deferral_full if full else 0, deferral,
                                                bonus_deferral + 1, top)
    members = []
    for index in tied:
        if not members or fills[index] < members[-1][0]:
            members.append((fills[index], first_bonus + index))
    return best, members, ()


def _unpromising_run(case: _Case, first_bonus: int, top: int, need: int, deferral_full: int) -> int:
    """The last of the bonus elections y_first.. (up to y_top; y_first - 1 if none) whose every candidate, within
    the room or stopped, pays at most ``need``, for _phase1_from's columns past its first one (separate election,
    the stop at the room, no true-up, rates of at least 0).

    There a column searches its room fill and the stopped candidates up to x_last = min(x_max, max(fill + 1,
    x_cap), x_b - 1), and each pays at most the planned (untruncated) match of its elections, which only grows
    with x and with y (rates of at least 0). The fill only falls as y rises, so with X the x_last of y_first,
    every candidate of the columns y_first..y pays at most planned(X, y): the largest y with min(ceiling,
    planned(X, y)) <= need is found by bisection (when y_first's own fill is at most X)."""
    fill = _regular_fit(case, case.room - _bonus_sum(case, first_bonus), case.max_units)
    high = min(case.max_units, max(0 if fill is None else fill + 1, deferral_full), _before_first_bonus(case) - 1)
    if high < 0 or (fill is not None and fill > high):
        return first_bonus - 1

    def below(bonus_deferral: int) -> bool:
        return min(case.ceiling, _planned(case, high, bonus_deferral)[1]) <= need

    if not below(first_bonus):
        return first_bonus - 1
    # Galloping from y_first (most runs are short), then a bisection of the last step.
    low, step = first_bonus, 1
    while low < top:
        probe = min(top, low + step)
        if not below(probe):
            found = _largest(below, low + 1, probe - 1)
            return low if found is None else found
        low, step = probe, 2 * step
    return low


_UNPROMISING_RUNS = True      # runs of columns below the need by their planned match (needs the seed: see its tests)
_BOUND_FIRST = True      # a column below the need by its own bound dropped before its room fill (tests compare)
_WEAK_NEAR = True      # a column's unpromising elections searched from the last column's (tests compare)


def _seed(case: _Case, first_bonus: int, last_bonus: int, deferral_full: int | None = None) -> int:
    """A stopped match that a candidate of bonus elections [y_first, y_last] pays (-1 if none is found): the most
    of the column whose bound (_column_bound) is the highest of a few spread over them (_column_max over its
    regular elections past the room fill). The column bounds are close to the columns' most (a few cents), so
    this is close to the best the search will find, which then starts with it instead of climbing to it
    column by column (plan 900: ~220 columns each beating the last by ~$10).

    Many probes can share the highest bound while their columns' most differ (plan 244: the first of them
    pays $38 less than the others), so the _SEED_TRIES highest are searched, highest bound first (the smaller
    y on a tie), a later one only while its bound beats the seed so far and only for more than it.

    When several probes share the highest bound, within a cent of the ceiling, and the seed falls short of the
    ceiling, the columns whose most reaches it are scattered among columns a cent below it by rounding (which
    checks defer odd cents), and the grid of probes hits one or not by chance: capped plan 93's ceiling,
    $36,750.07, is the most of columns 97-110 and 156-168 (of the 26 up to 168 whose bound reaches it), and from
    first columns 2, 3 or 5 the probes missed them all and the search paid ~12 ms instead of ~6. Then the _SEED_NEAR
    columns on each side of those probes are bounded, and the first whose bound reaches the ceiling (and beats
    the seed) is searched too: a probe a cent below it is usually next to one."""
    step = max(1, (last_bonus - first_bonus) // _SEED_PROBES)
    probes = sorted(((_one_column_bound(case, units), -units) for units in range(first_bonus, last_bonus + 1, step)),
                    reverse=True)
    seed = -1
    if deferral_full is None:      # (x_cap, see _deferral_full_match: its caller's when given, ~30 us)
        deferral_full = _deferral_full_match(case)

    def column_most(units: int, seed: int) -> int:
        # The seed, or column y's most when that is more (searched within a budget).
        fill = _regular_fit(case, case.room - _bonus_sum(case, units), case.max_units)
        first = 0 if fill is None else fill + 1
        # Only the regular elections the column loop searches in a column past its first (past the fill, up to
        # x_cap, below x_b), a subset of the column's candidates: searching the others too spent the budget before
        # the most was found (plan 900: 735 elections, of which the loop searches 76).
        last = min(case.max_units, max(first, deferral_full), _before_first_bonus(case) - 1)
        if first > last:
            return seed
        # At least seed + 1, or less than that (then a match paid, or -1): the most is still a paid match.
        return max(seed, _column_max(case, units, first, last, seed + 1, budget=_SEED_BUDGET))

    for bound, negative in probes[:_SEED_TRIES]:
        if bound < seed + 1:
            break      # (whole cents: no candidate of this column or a later one pays more than the seed)
        seed = column_most(-negative, seed)
    if _SEED_NEAR and seed < case.ceiling and len(probes) > 1 and probes[1][0] == probes[0][0]:
        # (see above: the neighbours of the probes sharing the highest bound, nearest first)
        for bound, negative in probes[:_SEED_TRIES]:
            if bound <= case.ceiling - 1 or bound < probes[0][0]:
                break
            for near in range(1, _SEED_NEAR + 1):
                for units in (-negative - near, -negative + near):
                    if (first_bonus <= units <= last_bonus
                            and _one_column_bound(case, units) >= max(seed + 1, case.ceiling)):
                        return column_most(units, seed)
    if _SEED_AHEAD and seed == case.ceiling - 1 and not case.dollars:
        # A cent short of the ceiling: the first of the next _SEED_AHEAD columns whose bound reaches it is searched
        # too (their bounds are the loop's next ones, kept). Capped plan 97: its seed, $36,750.04 from column 37,
        # is a cent below the ceiling, paid only by column 32, and the loop searched columns 3-28 for ties at the
        # seed (~10 searches of ~50 us) before it; with the ceiling as the seed they go by their bounds. (Not on
        # whole-dollar elections: there the search ends soon after the seed, plan 459 at its 12th column, and the
        # column whose bound reaches the ceiling, 5, pays a cent less: ~0.3 ms for nothing.)
        for units in range(first_bonus, min(last_bonus, first_bonus + _SEED_AHEAD - 1) + 1):
            if _one_column_bound(case, units) >= case.ceiling:
                return column_most(units, seed)
    return seed


# Columns searched before the seed is worked out; columns whose bound _seed compares; spans its column search
# may split. (After 2 columns, not 8, and 3 probes' columns searched, not 2: over the capped and generated sets,
# min of 2 alternating, sum 1.101 -> 1.042 s, p99 4.73 -> 4.51 ms, over 5 ms 9 -> 6; capped plans 21, 156 and 9,
# whose first columns each climbed a little, 5.2 -> 4.2, 5.8 -> 4.6, 5.0 -> 4.6 ms. Plan 93's seed reaches its
# ceiling only from some first columns: from 2 and 8 it does, from 3 it pays a cent less, and the loop then searches
# ~50 columns, 12 ms.)
_SEED_AFTER, _SEED_PROBES, _SEED_BUDGET = 2, 16, 24
_SEED_TRIES = 3      # probes of the highest bounds whose columns are searched for the seed
_SEED_AHEAD = 32      # columns from the seed's first bounded for one reaching the ceiling, a cent above it
_SEED_NEAR = 2      # columns on each side of the probes sharing the highest bound looked at (see _seed)
_SEED_CLIMB = 16      # cents from a true-up's best to the ceiling within which no seed is worked out

_SETTLE_TRIES = 4      # bests _phase1_from holds against _stopped_ceiling at most (capped plan 90 climbs 3 cents)

_WITHIN_FIRST = 8      # columns without a stopped candidate before they are left to the table search

_FLOOR_RUNS = True      # runs of columns bounded by the true-up's floor at once (the tests compare without)
_FLOOR_RUN_TABLES = True      # the columns of such a run from the tables (the tests compare without)
_TIE_RUNS = True      # columns where the best is tied only at a larger x, skipped in runs (the tests compare without)


def _floor_run_members(case: _Case, first_bonus: int, last_bonus: int, tie: Any, smallest: int, searched: int,
                       deferral_full: int) -> tuple[int, int]:
    """_phase1_from's column loop over bonus elections [y_first, y_last] inside a run bounded by the true-up's
    floor (every candidate of the run, within the room or stopped, pays at most the floor: _column_bound over
    the run), with the best at (floor, room) below the ceiling (not settled), and a seed of at most the floor.
    Each member found goes to ``tie(x, y)``; returns (the last column handled, the loop's ``searched``): the
    loop takes over after it.

    There a column's candidates can only tie the best, and the loop does for each: the room fill x (the
    smallest election paying its cents) is a member when its deferrals n a(x) + B(y) are the room (a true-up
    pays at least the floor there) and x is below every earlier member's; else the first x past the fill, which
    the stop cuts at the room, is (see the floor case in _phase1_from). Its fill and deferrals are bisections of
    the tables of every election's amounts instead of a fit and four planned sums. No candidate can break
    §415(c) when (room, floor) does not: the additions only grow with deferrals and match.

    A column where the loop would work out a match (its last regular election searched defers less than the
    room), whose member would be x = 0 (the loop then needs a match above the best), or that is the one where
    the loop works out the seed, is left to the loop, with every later one."""
    room, floor, per_check, cap = case.room, case.true_up_floor, case.n_regular, case.max_units
    if not per_check or case.dollars or _base_additions(case, room, floor) > case.limit_415 - case.ytd_after_tax:
        return first_bonus - 1, searched
    if case.bonus_sums is None or case.regular_amounts is None:
        _build_tables(case)
    amounts, bonus_sums = case.regular_amounts, case.bonus_sums
    high = min(cap, _before_first_bonus(case) - 1)      # (every column here is past the first searched)
    bisect_right, bisect_left = bisect.bisect_right, bisect.bisect_left
    for bonus_deferral in range(first_bonus, last_bonus + 1):
        bonus_part = bonus_sums[bonus_deferral]
        if bonus_part > room:
            return bonus_deferral - 1, searched
        fill = bisect_right(amounts, (room - bonus_part) // per_check, 0, cap + 1) - 1
        amount = amounts[fill]
        at_room = per_check * amount + bonus_part == room
        lowest = bisect_left(amounts, amount, 0, fill)      # (the rounding ties: the same cents, the same match)
        if at_room and lowest == 0:
            return bonus_deferral - 1, searched
        deferral_first = lowest + 1
        deferral_last = min(high, max(deferral_first, deferral_full))
        if deferral_first <= deferral_last and (per_check * amounts[deferral_last] + bonus_part < room or (
                searched >= 0 and searched + 1 == _SEED_AFTER)):
            return bonus_deferral - 1, searched
        if at_room and lowest < smallest:
            tie(lowest, bonus_deferral)
            smallest = lowest
        if deferral_first > deferral_last:
            continue
        if searched >= 0:
            searched += 1
        if not at_room and fill + 1 <= cap and fill + 1 < smallest:
            tie(fill + 1, bonus_deferral)
            smallest = fill + 1
    return last_bonus, searched


_RUN_FIRST, _RUN_MOST = 8, 512      # columns in a run bounded at once (see _phase1_from): the first try, the most


def _one_column_bound(case: _Case, bonus_deferral: int) -> float:
    """_column_bound of one column, remembered on the case (``column_bounds``): the column loop bounds a column
    on its own and as a run of one after the column before it (capped plan 97: 11 of its 76 bounds were a column's
    second), and the rows' searches (_last_live_column, _member_top) ask again for columns the loop bounded.
    (_column_bound reads only the case's fixed data, not the ceiling the search lowers: a change that makes it read
    anything the search changes must drop this memo.)"""
    known = case.column_bounds.get(bonus_deferral)
    if known is None:
        known = case.column_bounds[bonus_deferral] = _column_bound(case, bonus_deferral)
    return known


def _bounded_runs(case: _Case, bonus_deferral: int, top: int, run: int, need: float, chain: bool,
                  most: int = _RUN_MOST, wide_failed: list[int] | None = None) -> tuple[int, int]:
    """Columns past y bounded a run at a time (_column_bound over the run, below ``need``): the run of ``run``
    columns from y + 1 is tried; one that holds doubles the next run (up to ``most``), one that fails halves it.
    With ``chain`` the next run is tried at once after one that holds (from the column after it), until one
    fails. Returns (the last column of the runs that held, y when none; the next run's length); a run of more
    than one column that failed is appended to ``wide_failed`` (its last column)."""
    run_end = bonus_deferral
    known = case.column_bounds
    while run_end < top:
        last = min(top, run_end + run)
        if _KNOWN_RUNS and last > run_end + 1 and run_end + 1 in known:
            # Columns whose own bounds are known already (_one_column_bound: the seed's, or a search ahead):
            # those below the need go at once, up to the first that is not (the loop visits it), or up to the
            # first not known (then the run's bound as below, from there).
            for units in range(run_end + 1, last + 1):
                bound = known.get(units)
                if bound is None or bound >= need:
                    break
                run_end = units
            else:
                run = min(2 * run, most)
                if chain:
                    continue
                break
            if bound is not None:
                break      # (a column reaching the need: the loop's next)
            continue
        own = last - run_end <= _OWN_RUN
        if own:
            # (a short run: its columns' own bounds, see _OWN_RUN; it holds when each is below the need)
            held = all(_one_column_bound(case, units) < need for units in range(run_end + 1, last + 1))
        else:
            held = (_one_column_bound(case, last) if last == run_end + 1
                    else _column_bound(case, run_end + 1, last)) < need
        if held:
            run_end, run = last, min(2 * run, most)
            if chain:
                continue
        else:
            if wide_failed is not None and last > run_end + 1 and not own:
                # (a run's bound above columns that may each be below the need: see _RunBackoff; not a run of own
                # bounds, one of which reaches it)
                wide_failed.append(last)
            run = max(1, run // 2)
        break
    return run_end, run


class _RunBackoff:
    """When runs of columns fail where single columns hold (_bounded_runs in _phase1_from): a run's bound takes each
    bonus check's growth across the run, which can leave it far above columns that are each a cent below the
    need (capped plan 97: runs of two columns 35,628 cents above, every single column 0.5-2.5 cents below; one
    failed run of two bounds for every two columns). After a run of several columns fails, the runs are the next
    column alone (not chained: its caller may cut a run short, see the tie runs) for ``gap`` columns, twice as
    many after each such failure, half as many after a run of several that holds. (Bounds worked out over the
    capped set 565 -> 526, plan 93 202 -> 169, plan 97 65 -> 61; over the generated set 952 -> 943.)"""

    __slots__ = ("until", "gap")

    def __init__(self) -> None:
        self.until, self.gap = -1, 1

    def runs(self, case: _Case, bonus_deferral: int, top: int, run: int, need: float) -> tuple[int, int]:
        if not _RUN_BACKOFF:
            return _bounded_runs(case, bonus_deferral, top, run, need, True)
        if bonus_deferral < self.until:
            return _bounded_runs(case, bonus_deferral, top, 1, need, False, 1)
        wide: list[int] = []
        run_end, run = _bounded_runs(case, bonus_deferral, top, run, need, True, _RUN_MOST, wide)
        if wide:
            self.until, self.gap = bonus_deferral + self.gap, min(2 * self.gap, _RUN_MOST)
        elif run_end > bonus_deferral + 1:
            self.gap = max(1, self.gap // 2)
        return run_end, run


_RUN_BACKOFF = True      # runs of columns back off after failing (see _RunBackoff; the tests compare without)
_KNOWN_RUNS = True      # runs over columns whose own bounds are known go by those (see _bounded_runs; tests compare)
# Runs of at most this many columns go by their columns' own bounds, each worked out (and kept: the loop asks for it
# again when it visits the column) rather than by the run's bound (0 or 1: never). A run's bound (_run_bound) over
# two columns costs ~30 us where each own bound costs ~6-9 (capped plan 93), and it fails wherever one of them
# reaches the need (plan 93's nine columns whose bound is its ceiling: runs 18-19 and 48-49), where the own bounds
# stop at the first that does and keep it for its visit. The run holds or fails as a whole, as with its bound, but
# failing so it does not set off _RunBackoff (not a loose bound: a column reaches the need). Over both plan sets
# 1,084 -> 1,075 own bounds and 297 -> 291 run bounds; no plan works out more (an own bound counted as 8 us, a
# run bound as 35); capped plan 93 92 -> 77 and 30 -> 29.
_OWN_RUN = 2

# After a failed try the next one waits _BOX_GAP columns, the wait growing _BOX_GROW-fold with each failure in a
# row (paired runs over the generated plans: max 0.25 -> 0.18 s; a shorter wait costs the middling plans more).
# Since the seed and the exact spans most tries fail: 4, 2 and 16 -> 32, 4 and 8 (all 1,005 plans: over 5 ms
# 11 -> 7, max 10.5 -> 9.9 ms; plan 244, whose runs the boxes drop, 7.1 -> 8.2 ms).
_BOX_GAP, _BOX_GROW = 32, 4
_BOX_FIRST = 8
# A try over at most _ROW_CAP regular elections may work out _ROW_BUDGET bounds per election (its boxes are split
# into rows first, see _boxes_below): plan 723's runs of 8-32 columns over 9-10 elections drop with 12-19
# bounds. Wider tries keep the budget above (plan 272's 65-election try failed after 130 bounds, ~5 ms).
_ROW_BUDGET, _ROW_CAP = 2, 12
_BOX_BUDGET = 64      # bounds per try at most (a try that needs more gives up: the column is searched as before)


def _boxes_below(case: _Case, x_low: int, x_high: int, y_low: int, y_high: int, need: int, tie_below: int,
                 grain: int, budget: int, kept: list[int] | None = None) -> bool:
    """Whether no stopped candidate (x, y) with x in [x_low, x_high] and y in [y_low, y_high] can be offered:
    each has less match than ``need``, or no more when x >= ``tie_below`` (a tie with a larger x loses).
    Only the elections a column's stopped search looks at count: from :func:`_first_stopped` (y) on (every
    election below it fits the room beside y's bonus checks, and the column loop never searches it).
    Each box is bounded by :func:`_box_bound` at every cut its candidates can have, and split in half until
    it is dropped: the regular elections first, down to rows of one (there _box_bound takes the regular
    checks' rounded match exactly, so a row often drops over a long run of bonus elections at once: plan 723,
    9 rows x 16 columns in 12 bounds), then a row's bonus elections; False when a box that cannot be dropped
    is one candidate (its y is appended to ``kept``), or after ``budget`` bounds."""
    if x_low > x_high:
        return True
    boxes = [(x_low, x_high, y_low, y_high)]
    stops = case.stops or _build_stops(case)
    positions = [position for position, regular in enumerate(stops.regular) if not regular]
    while boxes:
        x1, x2, y1, y2 = boxes.pop()
        if x1 > x2:
            continue
        cut, _, first = _stop_at(case, x1, y1)
        last_cut, _, last = _stop_at(case, x2, y2)
        budget -= cut - last_cut + 1
        if budget < 0:
            return False
        # The cut falls as x or y rises: every candidate in the box is cut at one of last_cut..cut, and each
        # cut's bound holds for the candidates cut there (wherever they are in the box).
        if max(_box_bound(case, x1, x2, position, first, last, grain, positions)
               for position in range(last_cut, cut + 1)) < need + (x1 >= tie_below):
            continue
        if x1 == x2 and y1 == y2:
            if kept is not None:
                kept.append(y1)
            return False
        if x1 == x2:
            middle = (y1 + y2) // 2
            # Column y's stopped candidates start past its room fill (less the elections paying the same
            # cents), which only falls as y rises: the lower half's start at its last column's.
            boxes += [(x1, x2, middle + 1, y2), (max(x1, _first_stopped(case, middle)), x2, y1, middle)]
        else:
            middle = (x1 + x2) // 2
            boxes += [(middle + 1, x2, y1, y2), (x1, middle, y1, y2)]
    return True


def _first_stopped(case: _Case, bonus_deferral: int) -> int:
    """The first regular election column y's stopped search looks at (see _phase1_from): past its room fill,
    taken down to the first election of the fill's cents (0 when no regular election fits beside y)."""
    fill = _regular_fit(case, case.room - _bonus_sum(case, bonus_deferral), case.max_units)
    if fill is None or not case.n_regular:
        return 0
    amount = _amount(case, case.pay, fill, False)
    while fill and _amount(case, case.pay, fill - 1, False) == amount:
        fill -= 1
    return fill + 1


def _row_members(case: _Case, deferral_start: int, deferral_end: int, bonus_first: int, bonus_last: int,
                 search: _AfterTax | None = None) -> Iterator[tuple[int, int]]:
    """The remaining members of a settled search, by rising regular election: for each x in [x_start, x_end),
    the smallest bonus election in [y_first, y_last] at which (x, y) pays the settled best (ceiling, room),
    kept when it is below every earlier member's (the others are dominated).

    With the after-tax ``search`` they are handed to (see _AfterTax), a run of rows is skipped at once when no
    member in it can beat the after-tax best so far (:meth:`_AfterTax.refutes`): the member search with the
    stop's match is then only done for rows that may matter."""
    lowest = bonus_last + 1
    bonus_full = _bonus_full_match(case) if case.tiers else 0
    bonus_end = case.bonus_max_units if bonus_full is None else bonus_full
    deferral = deferral_start
    if case.tiers and not _flat(case) and deferral < deferral_end:
        # Rows whose regular checks defer too little for the ceiling whatever the bonus election (_cap_bound,
        # rising with x; a true-up pays at most its floor, below the ceiling here) have no member: skip them all.
        short = _largest(lambda units: _cap_bound(case, units) < case.ceiling, deferral, deferral_end - 1)
        if short is not None:
            deferral = short + 1
    # Rows tried at once: doubling while they are skipped, back to one when a run is not. After a single row
    # is not skipped, the next try waits, longer after each such failure in a row: where rows hold no member
    # (or are not skipped) the bound costs an after-tax search per row, often more than the row's own search.
    run, next_try, gap = 1, deferral, 1
    reach_from, reach_lowest = 0, None
    # With rates of at least 0 each check's match only grows with its deferral, and the stop only cuts
    # deferrals: no candidate of row x with a bonus election of y or less gets more match than the planned
    # (uncut, no true-up) match of (x, y), which grows with x and with y. With a true-up a member gets at most
    # that or the floor (the formula on the room), below the ceiling here (not _flat). So a row whose planned
    # match at the largest bonus election left is below the ceiling has no member, nor has any row before it:
    # start at the first row that reaches it (a bisection, again only when that election falls). Past the
    # §401(a)(17) cap the checks defer but get no match, so whole runs of rows reach the room but not the
    # ceiling (capped plan 153: ~810 such rows between its 25 members, ~35 per member).
    matched = _PLANNED_ROWS and _monotone(case) and not _flat(case)
    ceiling = case.ceiling
    # The largest bonus election left that can hold a member (see _member_top), worked out again when that
    # election falls or the rows' searches find more dead columns (each answer holds for every later row: the
    # least is kept); the rows reach from where its planned match reaches the ceiling and search up to it.
    top_key, bonus_top, dead = None, lowest - 1, {}
    # Rows whose columns that can reach the ceiling are among the last few left, each cut there by the stop, are
    # searched by their stopped matches (see below): with rates of at least 0, no true-up, the stop at the room.
    few_columns = (_FEW_COLUMNS > 0 and matched and case.separate and not case.true_up and case.stops_402g
                   and case.stop == case.room and case.room >= 0)
    few_next, few_gap = deferral, 1      # (after a row that is not, the next try waits: twice as long each time)
    # Where every candidate deferring the room pays the ceiling (_flat) and no stop cuts the deferrals, a row's
    # member is the bonus election whose planned deferrals fill the room exactly (see _row_member): the rows up to
    # the next whose regular checks take what the filling election's bonus checks leave have none (see below).
    flat_jumps = _FLAT_JUMPS and _flat(case) and not (case.stops_402g and case.stop == case.room and case.room >= 0)
    while deferral < deferral_end and lowest > bonus_first:
        if matched and _MEMBER_TOP:
            key = (lowest, None if case.live_columns is None else case.live_columns[0])
            if key != top_key:
                top_key = key
                bonus_top = min(bonus_top, lowest - 1,
                                _member_top(case, bonus_first, lowest - 1, deferral, deferral_end - 1, dead))
                if bonus_top < bonus_first:
                    return      # no bonus election left can hold a member
        else:
            bonus_top = lowest - 1
        # A row whose deferrals at the largest bonus election left fall short of the room has no member (and
        # smaller regular elections only defer less): start at the first row that can reach it (worked out
        # again only when that election falls).
        if reach_lowest != bonus_top:
            short = _regular_fit(case, case.room - _bonus_sum(case, bonus_top) - 1, case.max_units)
            reach_from, reach_lowest = 0 if short is None else short + 1, bonus_top
            if matched and reach_from < deferral_end:
                reach_from = _least_reaching(lambda units, top=bonus_top: _planned_raw(case, units, top)[1],
                                             ceiling, max(deferral, reach_from), deferral_end - 1)
        deferral = max(deferral, reach_from)
        if deferral >= deferral_end:
            return
        if search is not None and (search.best is not None or search.seed is not None and (
                case.regular_amounts is not None and case.bonus_sums is not None)):      # (see skip_rows)
            deferral = search.skip_rows(deferral, deferral_end, bonus_first, lowest - 1)
            if deferral >= deferral_end or search.over(deferral):
                return
        if search is not None and search.best is not None and deferral >= next_try:
            # A member of rows x..x_last defers the room: its bonus election is at least the first whose checks
            # fill what the regular checks at x_last leave (it only falls as x rises).
            last = min(deferral_end - 1, deferral + run - 1)
            regular = case.n_regular * _amount(case, case.pay, last, False)
            bonus_low = _bonus_fit(case, case.room - regular - 1, bonus_first, lowest - 1) + 1
            if matched and bonus_low < lowest - 1:
                # ... and its planned match reaches the ceiling (see above): at least the first y doing so in row
                # x_last (planned matches grow with x). Capped plan 86: 99-94% instead of 1%, so the after-tax
                # bound over the rows' bonus caps refutes them (at 1% its search scanned 95 elections and failed).
                bonus_low = _least_reaching(lambda units, row=last: _planned_raw(case, row, units)[1], ceiling,
                                            bonus_low, lowest - 1)
            if search.refutes(deferral, bonus_low):
                if search.over(last):
                    return
                deferral, run, gap = last + 1, min(2 * run, _ROWS_MOST), 1
                continue
            if run > 1:
                run = 1
                continue
            next_try, gap = deferral + gap, min(2 * gap, _ROWS_MOST)
        if flat_jumps:
            # Row x's regular checks defer r = n a(x) and its bonus election y_f that fills the room (the largest
            # whose checks total at most what r leaves) falls short of it: no member. Up to the last x' whose
            # regular checks leave more than B(y_f), r(x') lies between r(x) and room - B(y_f) - 1, so y_f still
            # fills x' (y_f + 1, if any, passes what r(x) leaves) and falls short: none either. Generated plan
            # 748 (no match, whole dollars, no stop): 1,900 rows, each worked out in ~1.3 us.
            regular = case.n_regular * _amount(case, case.pay, deferral, False)
            fill = (_bonus_fit(case, case.room - regular, bonus_first, bonus_top) if regular <= case.room
                    else bonus_first - 1)
            if fill < bonus_first:
                return      # (no bonus election fits what the regular checks leave, here or in any later row)
            if regular + _bonus_sum(case, fill) != case.room:
                below = _regular_fit(case, case.room - _bonus_sum(case, fill) - 1, case.max_units)
                deferral = max(deferral + 1, 0 if below is None else below + 1)
                continue
        few = few_columns and deferral >= few_next
        bonus_deferral = _few_columns_member(case, deferral, bonus_first, bonus_top) if few else False
        if bonus_deferral is not False:
            few_gap = 1
        else:
            if few:
                # (rows whose member is far below the largest bonus election left, one after another: capped
                # plan 21's, ~30 columns apart, where each try cost a planned match at a new bonus election)
                few_next, few_gap = deferral + few_gap, min(2 * few_gap, _ROWS_MOST)
            bonus_deferral = _row_member(case, deferral, bonus_first, bonus_top, bonus_end)
        if bonus_deferral is not None:
            lowest = bonus_deferral
            yield deferral, bonus_deferral
        deferral += 1


def _few_columns_member(case: _Case, deferral: int, bonus_first: int, bonus_last: int) -> int | None | bool:
    """_row_member's answer (the smallest y in [y_first, y_last] at which (x, y) pays (ceiling, room), or None)
    when the row's columns that can reach the ceiling are among its last _FEW_COLUMNS and the stop cuts the row
    at each of them; False when they are not (then the row is searched).

    With rates of at least 0, no true-up and a stop at the room (see _row_members), every candidate of row x with
    a bonus election of y or less gets at most the planned match of (x, y): where that of the column before the
    last few is short of the ceiling, so is every column before them; where the planned deferrals of the first
    of them pass the room, the stop cuts each of them at the room, and each pays its stopped match. So the member
    is the first of them whose stopped match is the ceiling (a column short of it by its planned match is not
    cut). _row_member finds the same after its row bound, its first election reaching the ceiling by planned
    match (a bisection), both rows' rounding and the stop's cuts over spans: capped plan 90's rows 525-527,
    533-535, 545, 549-551, 553-554 and 561, ~40 us each, where a stopped match costs ~5."""
    ceiling = case.ceiling
    low = max(bonus_first, bonus_last - _FEW_COLUMNS + 1)
    if (low > bonus_first and _planned_raw(case, deferral, low - 1)[1] >= ceiling) or (
            _planned_raw(case, deferral, low)[0] <= case.room):
        return False
    return next((units for units in range(low, bonus_last + 1)
                 if _planned_raw(case, deferral, units)[1] >= ceiling
                 and _truncated(case, deferral, units) == ceiling), None)

_ROWS_MOST = 256      # rows skipped at once at most (see _row_members)
# Rows whose bound (bounds._row_bound, ~20 us) is worked out before it must drop one in eight (see _row_member): 16
# before, where over both plan sets it dropped 39 of 281 rows, 18 of them plan 238's 22, none of capped plan 90's 14.
_ROW_BOUND_FIRST = 4
_PLANNED_ROWS = True      # rows below the ceiling by their planned match skipped at once (the tests compare without)
_MEMBER_TOP = True      # rows reach from the largest bonus election that can hold a member (the tests compare without)
_TOP_SCAN = 64      # columns _member_top looks at for their rounding, at most (one per row left)
_TOP_BOUNDS = 4      # column bounds _member_top works out per call, at most (one per 16 rows left)


def _member_top(case: _Case, bonus_first: int, high: int, deferral: int, deferral_last: int,
                dead: dict[int, bool]) -> int:
    """The largest bonus election y in [y_first, ``high``] whose column may hold a member of a settled search (a
    candidate paying the ceiling at the room, within it or cut by the stop) in rows x..x_last; below y_first when
    none can.

    Columns the rows' searches have found dead (_last_live_column: their bound, over every candidate within the
    room or stopped, is below the ceiling) cannot; nor, when the ceiling is above the pieces of the room (reached
    only by rounding), can columns whose checks' rounding (_column_rounding) with the most the regular checks' can
    add in those rows (_regular_rounding_most) falls short of it. At most _TOP_SCAN columns' rounding is looked at,
    and the bound of at most _TOP_BOUNDS columns with enough of it below the known dead suffix (kept in ``dead``).
    Capped plan 90: its ceiling is 2 cents above 150% of the room; after its first row's search columns 28-50 are
    known dead, 26 is dead by its own bound, 14-27 short by their rounding, so its rows reach from where the
    planned match at 13 reaches the ceiling (x = 525) instead of searching rows 499-524 one by one."""
    state = case.live_columns
    if state is None or state[3] < high:
        return high      # (before the rows' first search: most settled searches have a member in their first row)
    high = min(high, state[0] - 1)      # (columns state[0]..state[3] are dead)
    if not (_COLUMN_ROUNDING and case.separate and case.ceiling > case.match_bound) or high < bonus_first:
        return high
    spare = case.ceiling - case.match_bound - _regular_rounding_most(case, deferral, deferral_last) - 1e-5
    known_live = state[0] - 1 if state is not None and state[2] else None
    # (a column's rounding costs a few us, its bound some tens, a row searched some tens to hundreds: at most one
    # column's rounding a row left, and one bound per 16 rows; capped plan 9's last 13 rows, most of them refuted
    # by the after-tax search, paid ~0.3 ms for 26 columns and 4 bounds)
    rows = deferral_last - deferral + 1
    scan, bounds = min(_TOP_SCAN, rows), min(_TOP_BOUNDS, rows // 16)
    for bonus_deferral in range(high, max(bonus_first, high - scan + 1) - 1, -1):
        if _column_rounding(case, bonus_deferral) >= spare:
            if bonus_deferral == known_live or not bounds:
                return bonus_deferral
            # (a column the rows' searches have not bounded yet: its own bound, remembered in ``dead``; once one
            # is live, the columns below it usually are too: capped plan 90's 13, 11, 10, 7, 6 and 5, each a
            # member's, so no more bounds are worked out, ``dead[-1]``)
            if bonus_deferral not in dead:
                if dead.get(-1):
                    return bonus_deferral
                bounds -= 1
                dead[bonus_deferral] = _one_column_bound(case, bonus_deferral) < case.ceiling
                if not dead[bonus_deferral]:
                    dead[-1] = True
            if not dead[bonus_deferral]:
                return bonus_deferral
    return high - scan if high - scan >= bonus_first else bonus_first - 1


def _regular_rounding_most(case: _Case, deferral: int, deferral_last: int) -> float:
    """The most _regular_rounding is at any regular election in [x, x_last], in cents: per match-pay group, none
    when its match is whole cents on every deferral the rows can have (multiples of the regular grain; whole
    dollars below the pay), the rounding at the ends when their deferrals stay on one line of its formula that
    moves by whole cents per such step (then every deferral between rounds alike: see bounds._integer_slope),
    else half a cent a check."""
    low = _amount(case, case.pay, deferral, False)
    high = _amount(case, case.pay, deferral_last, False)
    step = _regular_step(case, high)
    most = 0.0
    for match_pay, count in case.regular_groups:
        if match_pay <= 0 or _whole(case, match_pay, step):
            continue
        if low == high or (not any(low < edge < high for edge in _breaks(case, match_pay))
                           and _integer_slope(case, match_pay, low, high, step)):
            most += count * max(0.0, *(_match_cents(case, amount, match_pay) - _match_raw(case, amount, match_pay)
                                       for amount in (low, high)))
        else:
            most += 0.5 * count
    return most


def _monotone(case: _Case) -> bool:
    """Whether there is a match and each check's only grows with its deferral (tier rates of at least 0)."""
    return bool(case.tiers) and all(rate >= 0 for rate, _, _ in case.tiers)


def _flat(case: _Case) -> bool:
    """Whether every candidate that defers the whole room pays the ceiling: no match at all, or a true-up whose
    floor (the formula on the room, see _ceiling) is the ceiling (every candidate's match lies between them)."""
    return not case.tiers or (case.true_up and case.true_up_floor >= case.ceiling)


def _row_member(case: _Case, deferral: int, bonus_first: int, bonus_last: int, bonus_full: int) -> int | None:
    """The smallest bonus election y in [y_first, y_last] at which (x, y) pays (ceiling, room), or None.

    Up to y_u (the last y whose planned deferrals fit the room) nothing is cut and the money only grows with
    y, so only y_u's value (and the smallest y paying the same) can reach the room. Past it a self-stopping
    payroll cuts at the room; the untruncated match bounds the cut one's and grows with y (skip the prefix
    below the ceiling), and once every bonus check is at its full-match election a larger one only stops the
    payroll earlier (the match cannot grow): the same argument as for x_cap, with the roles swapped.
    """
    target, room = (case.ceiling, case.room), case.room
    regular = case.n_regular * _amount(case, case.pay, deferral, False)
    bonus_room_fill = _bonus_fit(case, room - regular, bonus_first, bonus_last) if regular <= room else bonus_first - 1
    if _flat(case):
        # Every candidate that defers the room pays the ceiling (see _flat): the member is the smallest y whose
        # deferrals reach the room, planned exactly or cut there by the stop. No match to work out.
        if bonus_room_fill >= bonus_first and regular + _bonus_sum(case, bonus_room_fill) == room:
            return _bonus_fit(case, room - regular - 1, bonus_first, bonus_room_fill) + 1
        if not (case.stops_402g and case.stop == room and room >= 0) or bonus_room_fill >= bonus_last:
            return None
        return bonus_room_fill + 1
    if case.ceiling > case.match_bound and case.row_checks[1] * 8 >= case.row_checks[0] - _ROW_BOUND_FIRST:
        # Only a ceiling above the pieces of the room, reached by rounding, can be out of a row's reach; and
        # the bound is worked out while it drops at least one row in eight (after the first _ROW_BOUND_FIRST).
        case.row_checks[0] += 1
        if _row_bound(case, deferral) < case.ceiling:
            case.row_checks[1] += 1
            return None      # no bonus election gives this regular election the ceiling (rounding included)
    if bonus_room_fill >= bonus_first:
        deferrals, match = _planned(case, deferral, bonus_room_fill)
        if (match, deferrals) == target:
            same = _largest(lambda units: _planned(case, deferral, units) != (deferrals, match), bonus_first,
                            bonus_room_fill - 1)
            return bonus_first if same is None else same + 1
    if not (case.stops_402g and case.stop == room and room >= 0) or bonus_room_fill >= bonus_last:
        return None
    bonus_start = bonus_room_fill + 1
    bonus_end = min(bonus_last, max(bonus_start, bonus_full))
    # The columns past the last whose bound reaches the ceiling (_last_live_column: any x) hold no member: the
    # search ends there. That costs a few column bounds, worked out once for all rows, and only when the first
    # _LIVE_PROBE columns searched hold no member (there often is one among them). With a true-up every stopped
    # candidate is paid at least its floor, the ceiling a few cents above it; without one a ceiling reached only
    # by rounding leaves rows whose columns all fall a cent or more short (capped plan 90: 150% of up to 20%, the
    # ceiling 2 cents above 150% of the room; rows 498-526 searched ~30 columns each, every one past 20% short).
    clip = _LIVE_COLUMNS
    # (With a true-up below the ceiling, not _flat, a member's checks must pay the ceiling themselves: the floor
    # falls short. With rates of at least 0 their planned match, before the true-up, bounds theirs under the stop
    # (see _row_members): capped plan 165's true-up on its planned deferrals, past the room, reached the ceiling
    # from the row's first column where its checks did only 95 columns later.)
    planned = _planned_raw if _PLANNED_ROWS and _monotone(case) and not _flat(case) else _planned
    bonus_start = _least_reaching(lambda units: planned(case, deferral, units)[1], case.ceiling, bonus_start,
                                  bonus_end)
    # A ceiling above the pieces of the room is reached only by rounding: the regular checks' at x (at most their
    # rounding up, each check alike per match pay) and the others' at y (see _column_rounding) must add up to it.
    spare = (case.ceiling - case.match_bound - _regular_rounding(case, deferral) - 1e-6
             if _COLUMN_ROUNDING and case.ceiling > case.match_bound and case.separate else None)
    start = bonus_start      # (where the search below starts: past bonus_start once that is worked out)
    if bonus_start <= bonus_end and (spare is None or _column_rounding(case, bonus_start) >= spare):
        match = _truncated(case, deferral, bonus_start, case.ceiling if _ROW_FIRST_ONCE else None)
        if match == case.ceiling:
            # The first y whose planned match reaches the ceiling usually keeps it under the stop (the capped
            # plans' rows: the stop cuts before the §401(a)(17) cap): the first candidate the search below would
            # try. Its spans would first work out the stop's cut at both ends and at each middle down to it (~6
            # bonus columns).
            return bonus_start
        if _ROW_FIRST_ONCE:
            # Short of the ceiling: not a member, nor (-1, its stop's bound below the ceiling) is any larger y,
            # as in the search below, which need not work it out again. Capped plan 90's rows just short of the
            # ceiling (525, 526, 533, 534, 549, 550, 553, 554) have that one column left: its stopped match
            # was worked out twice (~10 us each time), and its stop's cut once more for the spans.
            if match < 0:
                return None
            start = bonus_start + 1
    last = min(bonus_end, bonus_start + _LIVE_PROBE - 1) if clip else bonus_end
    while True:
        # (a few columns, all short of the rounding the ceiling needs: no stop's cut worked out for any of them)
        short = spare is not None and last - start < _ROUNDING_SCAN and all(
            _column_rounding(case, units) < spare for units in range(start, last + 1))
        for bonus_deferral in () if short else _stopped_bonus_candidates(case, deferral, start, last, case.ceiling):
            if spare is not None and _column_rounding(case, bonus_deferral) < spare:
                continue      # (its checks' rounding cannot make up what the room's pieces leave)
            match = _truncated(case, deferral, bonus_deferral, case.ceiling)
            if match < 0:
                return None      # a larger y stops the payroll no later: none reaches the ceiling
            if match == case.ceiling:
                return bonus_deferral
        if not clip or last >= bonus_end:
            return None
        clip, bonus_start = False, last + 1
        start = bonus_start
        state = case.live_columns
        if _LIVE_KNOWN and state is not None and state[3] >= bonus_end and state[0] - bonus_start <= _LIVE_WINDOW:
            # Columns from state[0] to bonus_end are known dead (an earlier row's search) and few are left below
            # them: those are searched rather than bounded one by one (capped plan 9's row 55: its member is the
            # first of the 29 columns below the dead suffix, whose live end took 11 bounds to find).
            last = min(bonus_end, state[0] - 1)
            continue
        if _ROW_BOXES and state is None and _concave(case):
            # None known dead: the row's own stopped candidates are bounded over boxes of bonus elections
            # (_boxes_below at this x alone, where the regular checks' match is exact; a few bounds at most), from
            # where an earlier row's boxes held when that is close by (then the columns below it are searched),
            # else from the first left, when many are left and the first of the boxes is well below the ceiling
            # by its own bound; only when they fail is the last live column looked for. Capped plan 97's row 10:
            # columns 8.5-100% in a few boxes where their live end took 9 column bounds; capped plan 9's rows 53
            # and 55, 75% down to 20.6%, 14. (Where the first column is a cent or two below the ceiling the boxes
            # fail after costly bounds: capped plan 93, ~0.2 ms.)
            known = case.row_boxes
            dead_from = (known if known is not None and bonus_start < known <= bonus_end
                         and known - bonus_start <= _LIVE_WINDOW else bonus_start)
            if (bonus_end - dead_from >= _ROW_BOX_MIN
                    and _one_column_bound(case, dead_from) < case.ceiling - _ROW_BOX_MARGIN
                    and _boxes_below(case, deferral, deferral, dead_from, bonus_end, case.ceiling, case.max_units + 1,
                                     _grain(case), _ROW_BOX_BUDGET)):
                case.row_boxes = dead_from
                last = dead_from - 1
                continue
        last = min(bonus_end, _last_live_column(case, bonus_start, bonus_end))


def _least_reaching(value: Any, need: int, low: int, high: int) -> int:
    """The smallest n in [low, high] with value(n) >= ``need``, for a value that only grows with n (high + 1 when
    none does). A bisection whose probes go where the straight line through the bracket's ends meets the need,
    and then at the neighbour on the other side, while that at least halves the bracket (else a plain halving
    step): a planned match is straight in an election between the checks' tier edges, so two probes find a
    row's first y reaching the ceiling where a bisection of its 1,000 bonus elections took ten (capped plans 47,
    191, 99: ~30 rows of one member each)."""
    value_low = value(low)
    if value_low >= need:
        return low
    value_high = value(high) if high > low else value_low
    if value_high < need:
        return high + 1
    straight = True
    while high - low > 1:      # value(low) < need <= value(high)
        width = high - low
        if straight:
            # (ceiling division: the first n at or past the crossing; kept strictly inside the bracket)
            guess = low - ((value_low - need) * width // (value_high - value_low))
            guess = min(high - 1, max(low + 1, guess))
        else:
            guess = (low + high) // 2
        found = value(guess)
        if found >= need:
            high, value_high = guess, found
        else:
            low, value_low = guess, found
        if straight and high - low > 1:
            # (the line usually meets the need at the first n reaching it: its neighbour settles that)
            guess = guess - 1 if found >= need else guess + 1
            found = value(guess)
            if found >= need:
                high, value_high = guess, found
            else:
                low, value_low = guess, found
        straight = 2 * (high - low) <= width
    return high


def _regular_rounding(case: _Case, deferral: int) -> float:
    """The most the regular checks' rounding adds to the match at regular election x, in cents: each one's match
    at a(x) less the formula, where that is above 0 (a check the stop cuts or leaves out adds less)."""
    amount = _amount(case, case.pay, deferral, False)
    return sum(count * max(0.0, _match_cents(case, amount, match_pay) - _match_raw(case, amount, match_pay))
               for match_pay, count in case.regular_groups)


def _column_rounding(case: _Case, bonus_deferral: int) -> float:
    """The most the rounding of the checks other than the regular ones adds to the match of any (x, y) at a
    separate bonus election y, in cents: each bonus check's exactly (its cents at y less the formula) while it is
    before the stop's cut, the cut check's half cent when it can round up (bounds._row_layout), nothing after it;
    the most over where the cut falls. With the regular checks' (_regular_rounding) and the pieces of the room
    (``match_bound``) it bounds the match, as bounds._row_bound does with each bonus check's half cent: capped
    plan 90's ceiling, 2 cents above 150% of the room, needs the bonus checks' rounding, which columns 12-20
    do not give (their rows searched ~9 columns each, every one a cent short). Kept per column on the case."""
    if case.column_rounding is None:
        # The checks in stretches, each ending at a bonus check: (its pay, its match pay, the most a check of the
        # stretch adds as the cut check); and that most for the checks after the last bonus check.
        layout = case.row_rounding
        if layout is None:
            layout = case.row_rounding = _row_layout(case)
        stops = case.stops or _build_stops(case)
        stretches, most = [], 0.0
        for (regular, match_pay, _, cut_half), plan_pay in zip(layout, stops.plan_pays, strict=True):
            most = max(most, cut_half)
            if not regular:
                stretches.append((plan_pay, match_pay, most))
                most = 0.0
        case.column_rounding = (stretches, most, {})
    stretches, last_most, memo = case.column_rounding
    known = memo.get(bonus_deferral)
    if known is not None:
        return known
    running = most = 0.0
    for plan_pay, match_pay, cut_most in stretches:
        most = max(most, running + cut_most)        # the stop cuts a check of the stretch
        amount = _amount(case, plan_pay, bonus_deferral, True)
        running += _match_cents(case, amount, match_pay) - _match_raw(case, amount, match_pay)
    known = memo[bonus_deferral] = max(most, running + last_most)
    return known


_FLAT_JUMPS = True      # flat rows without a stop jump to the next that can fill the room (the tests compare without)
_FEW_COLUMNS = 4      # columns left whose stopped matches a row works out, at most (0: off; the tests compare without)
_ROW_FIRST_ONCE = True      # a row's first column, short of the ceiling, not searched again (the tests compare without)
_COLUMN_ROUNDING = True      # columns whose rounding cannot reach a rounded ceiling skipped (the tests compare without)
_ROUNDING_SCAN = 32      # columns a row checks for that rounding before its search, at most
_LIVE_COLUMNS = True      # rows search only the columns whose bound reaches the ceiling (the tests compare without)
_LIVE_PROBE = 8      # columns a row searches before the last live column is looked for (see _row_member)
_LIVE_KNOWN = True      # a row searches up to a known dead suffix close by without looking for the last live column
_LIVE_WINDOW = 32      # columns below a known dead suffix a row searches rather than bounds (see _row_member)
_ROW_BOXES = True      # a row's columns left bounded over boxes at its x (the tests compare without)
_ROW_BOX_MIN, _ROW_BOX_BUDGET = 48, 8      # columns left for that, at least; box bounds it may work out, at most
_ROW_BOX_MARGIN = 100      # cents the first column's bound must be below the ceiling for that


def _last_live_column(case: _Case, low: int, high: int | None = None) -> int:
    """The largest separate bonus election y in [``low``, ``high``] (default: up to the largest) whose column
    bound (_column_bound: every candidate of the column, any regular election) reaches the ceiling; below
    ``low`` when there is none. (``high`` when a live column above it was found before: every column past the
    answer is below the ceiling, all its caller needs.)

    Found from ``high`` down, by runs of columns bounded at once (doubling while they are below the ceiling,
    halving when not, down to a single column: then that one is live), and kept on the case (``live_columns``:
    the first column of the suffix known to be below it, the run, whether the column before that suffix is
    live, the column the suffix was searched from): the rows of a search ask with falling ``low`` and, past
    their first columns, the same ``high`` (the bonus election that gets the full match: capped plan 165 asked
    from 750 where its rows end at 500, ~40 column bounds, most above 500)."""
    high = case.bonus_max_units if high is None else min(high, case.bonus_max_units)
    state = case.live_columns
    if state is None or state[3] < high:
        state = (high + 1, _RUN_FIRST, False, high, high + 1, 1)
    start, run, live, top, grow_at, gap = state
    ceiling = case.ceiling
    while not live and start > low:
        first = max(low, start - run)
        if (_one_column_bound(case, first) if first == start - 1 else _column_bound(case, first, start - 1)) < ceiling:
            # (after a run that failed, the run grows again only some columns further down, twice as far after
            # each failure in a row: a run's bound can stay above the ceiling where each column's is a cent below
            # it, capped plan 93: two columns 17 cents above, each one 1-2 cents below, so the run grew back to
            # two columns and failed at every column, ~100 bounds where ~55 do)
            if first <= grow_at:
                run, gap = min(2 * run, _RUN_MOST), max(1, gap // 2)
            start = first
        elif first == start - 1:
            live = True
        else:
            run = max(1, min(run, start - first) // 2)
            grow_at, gap = start - gap, min(2 * gap, _RUN_MOST)
    case.live_columns = (start, run, live, top, grow_at, gap)
    return min(high, start - 1) if live else low - 1


def _stopped_bonus_candidates(case: _Case, deferral: int, bonus_first: int, bonus_last: int,
                              need: int) -> Iterator[int]:
    """The separate bonus elections in [y_first, y_last] (rising) whose stopped match at regular election x
    can reach ``need``. At a fixed cut the bonus checks before it only gain match as y rises and the cut
    check (at what is left of the room) only loses it, so the span's bound is the first at its last y plus
    the second at its first y; spans whose cuts differ are split."""
    stops = case.stops or _build_stops(case)
    if not stops.plan_pays:
        yield from range(bonus_first, bonus_last + 1)
        return
    spans = [(bonus_first, bonus_last)]
    cuts: dict[int, Any] = {}
    while spans:
        y1, y2 = spans.pop()
        if y2 - y1 < 2:
            yield from range(y1, y2 + 1)
            continue
        for bonus_deferral in (y1, y2):
            if bonus_deferral not in cuts:
                cuts[bonus_deferral] = _stop_at(case, deferral, bonus_deferral)
        (cut, regular, first), (last_cut, _, last) = cuts[y1], cuts[y2]
        if cut == last_cut:
            high = last[1][cut] + _regular_match(case, stops, cut, regular)
            left = case.room - stops.regular_before[cut] * regular - first[0][cut]
            if left > 0:
                high += _match_cents(case, left, stops.match_pays[cut])
            if case.true_up and case.tiers:
                high = max(high, case.true_up_floor)
            if high < need:
                continue
        middle = (y1 + y2) // 2
        spans.append((middle + 1, y2))
        spans.append((y1, middle))


def _after_tax_caps(case: _Case, deferral: int, bonus_deferral: int) -> tuple[int, int]:
    """The largest after-tax elections (regular, bonus) the plan's caps leave next to deferral elections x, y."""
    after_tax_cap = min(case.at_cap, case.max_units - deferral)
    bonus_after_tax_cap = (min(case.bonus_at_cap, case.bonus_max_units - bonus_deferral)
                           if case.separate and case.bonus_events else 0)
    return after_tax_cap, bonus_after_tax_cap


def _phase2(case: _Case, deferral: int, bonus_deferral: int, room415: int,
            bonus_after_tax_floor: int = 0, reachable: int | None = None) -> tuple[int, int, int]:
    """(after-tax, a, ya): the most after-tax money that fits ``room415`` without a payroll cut.

    With a separate bonus election, only bonus after-tax elections of ``ya_floor`` or more are tried.
    ``reachable``: the most any after-tax elections can add up to within room415 (see _reachable_after_tax).
    """
    reachable = room415 if reachable is None else reachable
    after_tax_cap, bonus_after_tax_cap = _after_tax_caps(case, deferral, bonus_deferral)
    if not (case.separate and case.bonus_events):
        after_tax = _largest(lambda units: _planned_after_tax(case, units, 0, deferral) <= room415, 0, after_tax_cap)
        if after_tax is None:
            return (-1, 0, 0)
        amount = _planned_after_tax(case, after_tax, 0, deferral)
        while after_tax > 0 and _planned_after_tax(case, after_tax - 1, 0, deferral) == amount:
            after_tax -= 1
        return (amount, after_tax, 0)
    # The bonus after-tax money grows with its election: past ya_top it alone is too much.
    bonus_after_tax_top = _bonus_fit(case, room415, 0, bonus_after_tax_cap)
    if bonus_after_tax_top < 0 or bonus_after_tax_top < bonus_after_tax_floor:
        return (-1, 0, 0)
    best = (-1, 0, 0)
    per_check = case.n_regular
    bonus_sums, regular_amounts = case.bonus_sums, case.regular_amounts
    if (bonus_sums is not None and regular_amounts is not None and bonus_after_tax_top < len(bonus_sums)
            and 0 <= after_tax_cap < len(regular_amounts) and per_check):
        return _phase2_tables(room415, bonus_after_tax_top, bonus_after_tax_floor, after_tax_cap, per_check,
                              bonus_sums, regular_amounts, reachable)
    # From the largest bonus election down, the regular election that fills the rest only grows. So the first
    # bonus election that reaches the most any elections can (room415, less what no sum of the checks' amounts
    # can fill), or whose regular election is held at its cap (from there on the total only shrinks), has the
    # smallest regular election any smaller one could tie it with: stop there, after the smaller bonus
    # elections paying the same cents (a tie that they win).
    for bonus_after_tax in range(bonus_after_tax_top, bonus_after_tax_floor - 1, -1):
        bonus_part = _bonus_sum(case, bonus_after_tax)
        after_tax = _regular_fit(case, room415 - bonus_part, after_tax_cap)
        capped = after_tax == after_tax_cap
        regular = per_check * _amount(case, case.pay, after_tax, False)
        while after_tax > 0 and per_check * _amount(case, case.pay, after_tax - 1, False) == regular:
            after_tax -= 1
        amount = regular + bonus_part
        if amount > best[0] or (amount == best[0] and (after_tax, bonus_after_tax) <= best[1:]):
            best = (amount, after_tax, bonus_after_tax)
        if capped or amount == reachable:
            while bonus_after_tax > 0 and _bonus_sum(case, bonus_after_tax - 1) == bonus_part:
                bonus_after_tax -= 1
            if amount == best[0] and after_tax == best[1]:
                best = (amount, after_tax, bonus_after_tax)
            break
    return best


def _phase2_tables(room415: int, bonus_after_tax_top: int, bonus_after_tax_floor: int, after_tax_cap: int,
                   per_check: int, bonus_sums: list[int], regular_amounts: list[int], reachable: int
                   ) -> tuple[int, int, int]:
    """_phase2's loop over bonus after-tax elections on the tables of every election's amounts (see
    simulation._build_tables): each fit and each smallest election paying the same is a bisection of a rising
    table. The same steps and the same answer as the loop in _phase2.

    That answer is the best of every pair (a, ya), ya in [ya_floor, ya_top] and a in [0, a_cap], that fits
    room415: the most money, then the smallest a, then the smallest ya (each fill beside a ya is the largest a
    that fits, taken down to the first paying its cents, so the best pair is the fill beside its own ya; the loop
    stops only where no smaller ya can beat or tie it). Where the fills run over fewer regular elections than
    there are bonus ones (plan 723: 21 against 917, the loop was 12% of its solve), the same best comes from a
    loop over the regular elections instead (see _phase2_by_regular)."""
    bisect_right = bisect.bisect_right
    low = bisect_right(regular_amounts, (room415 - bonus_sums[bonus_after_tax_top]) // per_check, 0, after_tax_cap + 1)
    high = bisect_right(regular_amounts, (room415 - bonus_sums[bonus_after_tax_floor]) // per_check, 0,
                        after_tax_cap + 1)
    if high - low < bonus_after_tax_top - bonus_after_tax_floor:
        return _phase2_by_regular(room415, bonus_after_tax_top, bonus_after_tax_floor, after_tax_cap, per_check,
                                  bonus_sums, regular_amounts, reachable, low - 1, high - 1)
    return _phase2_by_bonus(room415, bonus_after_tax_top, bonus_after_tax_floor, after_tax_cap, per_check,
                            bonus_sums, regular_amounts, reachable)


def _phase2_by_bonus(room415: int, bonus_after_tax_top: int, bonus_after_tax_floor: int, after_tax_cap: int,
                     per_check: int, bonus_sums: list[int], regular_amounts: list[int], reachable: int
                     ) -> tuple[int, int, int]:
    """_phase2_tables' loop over every bonus after-tax election from ya_top down (the fill beside each)."""
    best = (-1, 0, 0)
    for bonus_after_tax in range(bonus_after_tax_top, bonus_after_tax_floor - 1, -1):
        bonus_part = bonus_sums[bonus_after_tax]
        after_tax = bisect.bisect_right(regular_amounts, (room415 - bonus_part) // per_check, 0, after_tax_cap + 1) - 1
        capped = after_tax == after_tax_cap
        per_amount = regular_amounts[after_tax]
        after_tax = bisect.bisect_left(regular_amounts, per_amount, 0, after_tax)
        amount = per_check * per_amount + bonus_part
        if amount > best[0] or (amount == best[0] and (after_tax, bonus_after_tax) <= best[1:]):
            best = (amount, after_tax, bonus_after_tax)
        if capped or amount == reachable:
            bonus_after_tax = bisect.bisect_left(bonus_sums, bonus_part, 0, bonus_after_tax)
            if amount == best[0] and after_tax == best[1]:
                best = (amount, after_tax, bonus_after_tax)
            break
    return best


def _phase2_by_regular(room415: int, bonus_after_tax_top: int, bonus_after_tax_floor: int, after_tax_cap: int,
                       per_check: int, bonus_sums: list[int], regular_amounts: list[int], reachable: int,
                       first: int, last: int) -> tuple[int, int, int]:
    """_phase2_tables' answer from the regular after-tax elections a between the fills beside ya_top (``first``)
    and beside ya_floor (``last``), by rising a, one per cents paid: beside each one the largest bonus election
    that fits (taken down to the first paying its cents), the best pair by the most money then the smallest a
    (a later a only ties with a larger one); a pair reaching ``reachable`` ends it. As the loop over bonus
    elections would, the best's ya is then taken down past ya_floor to the first paying its cents when that
    loop would have stopped on it: at ``reachable``, or where the fill is the cap (every smaller ya has it)."""
    bisect_right, bisect_left = bisect.bisect_right, bisect.bisect_left
    best = (-1, 0, 0)
    after_tax = bisect_left(regular_amounts, regular_amounts[first], 0, first)
    while after_tax <= last:
        per_amount = regular_amounts[after_tax]
        regular = per_check * per_amount
        bonus_after_tax = bisect_right(bonus_sums, room415 - regular, bonus_after_tax_floor,
                                       bonus_after_tax_top + 1) - 1
        bonus_part = bonus_sums[bonus_after_tax]
        amount = regular + bonus_part
        if amount > best[0]:
            best = (amount, after_tax, bisect_left(bonus_sums, bonus_part, bonus_after_tax_floor, bonus_after_tax))
            if amount == reachable:
                break
        after_tax = bisect_right(regular_amounts, per_amount, after_tax, after_tax_cap + 1)
    amount, after_tax, bonus_after_tax = best
    bonus_part = bonus_sums[bonus_after_tax]
    if amount == reachable or (room415 - bonus_part) // per_check >= regular_amounts[after_tax_cap]:
        best = (amount, after_tax, bisect_left(bonus_sums, bonus_part, 0, bonus_after_tax))
    return best


def _most_after_tax(case: _Case, after_tax: int, bonus_after_tax: int, deferral: int) -> int:
    """_planned_after_tax, from the tables of every election's amounts when they are built (whole-dollar
    elections have a bonus table only)."""
    bonus_sums, regular_amounts = case.bonus_sums, case.regular_amounts
    if case.separate and case.bonus_events and bonus_sums is not None and 0 <= bonus_after_tax < len(bonus_sums):
        if regular_amounts is not None and 0 <= after_tax < len(regular_amounts):
            return case.n_regular * regular_amounts[after_tax] + bonus_sums[bonus_after_tax]
        return case.n_regular * _amount(case, case.pay, after_tax, False) + bonus_sums[bonus_after_tax]
    return _planned_after_tax(case, after_tax, bonus_after_tax, deferral)


def _reachable_after_tax(case: _Case, room415: int) -> int:
    """The most after-tax money any elections can add up to within ``room415``: every check's amount is a
    multiple of its grain (see bounds._after_tax_grain), so the year's is a multiple of their common divisor,
    and room415 less its remainder is the most it can be (e.g. twelve $2.90 steps and $50 bonus steps: every
    total is a multiple of 40 cents). A member reaching it cannot be beaten, only tied with larger elections."""
    grain = _after_tax_grain(case)
    return room415 - room415 % grain if grain > 1 else room415


def _bonus_after_tax_top(case: _Case, room415: int) -> int:
    """The largest bonus after-tax election (within the plan's cap) whose checks alone fit room415 (-1: none):
    no member's after-tax elections have a larger one."""
    return _bonus_fit(case, room415, 0, case.bonus_at_cap)


def _most_from(case: _Case, deferral: int, bonus_after_tax_top: int, reachable: int) -> int:
    """The most after-tax money of any elections with a regular election of x or more: a regular after-tax
    election within x's cap (it only falls as x rises), a bonus one of at most ya_top (the largest whose checks
    alone fit room415; -1: none) and a total of at most ``reachable`` (see _reachable_after_tax)."""
    after_tax_cap = min(case.at_cap, case.max_units - deferral)
    return min(reachable, _most_after_tax(case, after_tax_cap, bonus_after_tax_top, deferral))


class _AfterTax:
    """The after-tax search over the members (the elections (x, y) reaching the best (match, deferrals)), handed
    over by rising x (so falling y): each later member has a regular after-tax cap no larger and a bonus one no
    smaller. Its elections with a bonus after-tax election within an earlier member's cap were open to that
    member too, whose best (or bound) is at least as good and wins a tie (smaller x): only bonus after-tax
    elections above every earlier cap (``covered``) are new. Over all members that is one pass over them.

    ``best`` is the brute force's key (-after-tax, x, y, a, ya) of the best so far. ``seed``: the after-tax
    money of a member with a larger x than the rows handed over before it (see _solve): a row member needs at
    least as much to win (a tie with it goes to the row's smaller x), so rows below it are skipped too."""

    __slots__ = ("case", "room415", "reachable", "separate", "bonus_after_tax_top", "best", "covered", "last",
                 "seed")

    def __init__(self, case: _Case, room415: int) -> None:
        self.case, self.room415 = case, room415
        self.reachable = _reachable_after_tax(case, room415)
        self.separate = case.separate and bool(case.bonus_events)
        self.bonus_after_tax_top = _bonus_after_tax_top(case, room415) if self.separate else 0
        self.best: tuple[int, int, int, int, int] | None = None
        self.covered = -1
        self.last: tuple[tuple[int, int, int], tuple[int, int, int]] | None = None     # (see _search)
        self.seed: int | None = None

    def beaten(self) -> int | None:
        """The most after-tax money a later row's member cannot win with (None: none known yet): the best's (a
        tie goes to the smaller x), and the seed's less a cent."""
        best = None if self.best is None else -self.best[0]
        if self.seed is not None and (best is None or self.seed - 1 > best):
            return self.seed - 1
        return best

    def _search(self, deferral: int, bonus_deferral: int, bonus_after_tax_floor: int) -> tuple[int, int, int]:
        """_phase2 for (x, y) from ya_floor up; a row not refuted (see refutes) is searched again at once for its
        member, usually at the same elections: the last answer is kept."""
        key = (deferral, bonus_deferral, bonus_after_tax_floor)
        if self.last is None or self.last[0] != key:
            self.last = key, _phase2(self.case, deferral, bonus_deferral, self.room415, bonus_after_tax_floor,
                                     self.reachable)
        return self.last[1]

    def offer(self, deferral: int, bonus_deferral: int) -> bool:
        """Search member (x, y); False when no later member can beat the best."""
        case, reachable, best = self.case, self.reachable, self.best
        after_tax_cap, bonus_after_tax_cap = _after_tax_caps(case, deferral, bonus_deferral)
        bonus_after_tax_floor, self.covered = self.covered + 1, max(self.covered, bonus_after_tax_cap)
        most = _most_after_tax(case, after_tax_cap, bonus_after_tax_cap, deferral)
        if best is None or -best[0] < min(reachable, most):
            # (else even its largest elections cannot beat the best, and a tie goes to the smaller x)
            amount, after_tax, bonus_after_tax = self._search(deferral, bonus_deferral, bonus_after_tax_floor)
            key = (-amount, deferral, bonus_deferral, after_tax, bonus_after_tax)
            if best is None or key < best:
                self.best = key
            if amount == reachable:
                return False     # later members have larger elections: at best a tie that loses the tie-break
        return not self.over(deferral)

    def over(self, deferral: int) -> bool:
        """Whether nothing is left for any member past regular election x (x only rises): every bonus after-tax
        election that fits room415 is covered, or none can beat the best (a tie goes to the smaller x)."""
        return self.separate and self.best is not None and (
            self.covered >= self.bonus_after_tax_top
            or -self.best[0] >= _most_from(self.case, deferral, self.bonus_after_tax_top, self.reachable))

    def skip_rows(self, deferral: int, deferral_end: int, bonus_first: int, bonus_last: int) -> int:
        """The first regular election from x (x_end when none) whose row (x, y with y in [y_first, y_last]) may
        hold a member that beats the best, or from which nothing is left for any member (see :meth:`over`).

        A row holds members only at bonus elections from the first whose checks fill what its regular checks
        leave of the room (a member defers the room), so its after-tax elections are within its regular cap
        and that election's bonus cap: a row whose largest after-tax elections cannot beat the best (or whose
        bonus cap adds nothing above ``covered``) is skipped and covers its caps (see the class). The rows
        that share that first bonus election (up to the last whose regular checks leave the one below it short)
        have the same bonus cap and no larger regular cap: they are skipped with it, one step per election."""
        case, beaten = self.case, self.beaten()
        if beaten is None or not self.separate:
            return deferral
        if case.regular_amounts is not None and case.bonus_sums is not None:
            return self._skip_rows_tables(deferral, deferral_end, bonus_first, bonus_last, beaten)
        if self.best is None:
            return deferral      # (on the seed alone only with the tables: a row's own search is often cheaper)
        per_check, room, beaten = case.n_regular, case.room, -self.best[0]
        while deferral < deferral_end:
            if self.over(deferral):
                break
            regular = per_check * _amount(case, case.pay, deferral, False)
            bonus_deferral = _bonus_fit(case, room - regular - 1, bonus_first, bonus_last) + 1
            if bonus_deferral > bonus_last:
                deferral += 1      # (no member in this row: the caller starts where one can fill the room)
                continue
            after_tax_cap, bonus_after_tax_cap = _after_tax_caps(case, deferral, bonus_deferral)
            if bonus_after_tax_cap > self.covered:
                if min(self.reachable, _most_after_tax(case, after_tax_cap, bonus_after_tax_cap, deferral)) > beaten:
                    break
                self.covered = bonus_after_tax_cap
            if bonus_deferral == bonus_first:
                return deferral_end      # every later row's first bonus election is this one too
            shared = _regular_fit(case, room - _bonus_sum(case, bonus_deferral - 1) - 1, case.max_units)
            deferral = max(deferral, -1 if shared is None else shared) + 1
        return deferral

    def _skip_rows_tables(self, deferral: int, deferral_end: int, bonus_first: int, bonus_last: int,
                          beaten: int) -> int:
        """skip_rows in one loop over the tables of every election's amounts (where a row is often skipped on
        its own, e.g. the after-tax caps bind: a sawtooth of most after-tax money over the rows)."""
        case = self.case
        regular_amounts, bonus_sums = case.regular_amounts, case.bonus_sums
        per_check, room, max_units, after_tax_most = case.n_regular, case.room, case.max_units, case.at_cap
        bonus_max, bonus_after_tax_most = case.bonus_max_units, case.bonus_at_cap
        reachable, covered, top = self.reachable, self.covered, self.bonus_after_tax_top
        # (on the best only: past the seed's row there are members the seed is no bound for, see the class)
        over = -self.best[0] if self.best is not None else -1
        bisect_left, bisect_right = bisect.bisect_left, bisect.bisect_right
        while deferral < deferral_end:
            after_tax_cap = min(after_tax_most, max_units - deferral)
            if self.best is not None and (covered >= top or min(
                    reachable, per_check * regular_amounts[after_tax_cap] + bonus_sums[top]) <= over):
                break      # (see over)
            bonus_deferral = bisect_left(bonus_sums, room - per_check * regular_amounts[deferral], bonus_first,
                                         bonus_last + 1)
            if bonus_deferral > bonus_last:
                deferral += 1
                continue
            bonus_after_tax_cap = min(bonus_after_tax_most, bonus_max - bonus_deferral)
            if bonus_after_tax_cap > covered:
                if min(reachable, per_check * regular_amounts[after_tax_cap] + bonus_sums[bonus_after_tax_cap]
                       ) > beaten:
                    break
                covered = bonus_after_tax_cap
                deferral += 1      # (the rows sharing its bonus election come next, with nothing new)
            elif bonus_deferral == bonus_first:
                deferral = deferral_end
                break
            else:
                # The rows sharing it: n a(x) < room - B(y - 1), i.e. a(x) <= (room - B(y - 1) - 1) // n.
                shared = bisect_right(regular_amounts, (room - bonus_sums[bonus_deferral - 1] - 1) // per_check,
                                      0, max_units + 1) - 1
                deferral = max(deferral, shared) + 1
        self.covered = covered
        return deferral

    def refutes(self, deferral: int, bonus_low: int) -> bool:
        """Whether no member with a regular election of x or more and a bonus one of y_low or more can beat the
        best (nor tie it: every one has a larger x), counting only the bonus after-tax elections above
        ``covered`` (see the class): the best after-tax money within x's regular cap and y_low's bonus cap
        (no member's is larger). When it does, every after-tax election within those caps is covered."""
        case, best = self.case, self.best
        if best is None:
            return False
        beaten = -best[0]
        after_tax_cap, bonus_after_tax_cap = _after_tax_caps(case, deferral, bonus_low)
        if bonus_after_tax_cap > self.covered and beaten < min(
                self.reachable, _most_after_tax(case, after_tax_cap, bonus_after_tax_cap, deferral)):
            amount = self._search(deferral, bonus_low, self.covered + 1)[0]
            if amount > beaten:
                return False
        self.covered = max(self.covered, bonus_after_tax_cap)
        return True


def _solve(case: _Case) -> tuple[int, int, int, int]:
    # When §415(c) can bind the deferrals and match themselves, the fallback search (exact on every case) goes
    # first: _phase1 would only find out after searching, and then hand over to it anyway.
    found = None if _415c_can_bind(case) else _phase1(case)
    if found is None:
        found = _phase1_exhaustive(case)
    (match, deferrals), members, rows = found
    room415 = case.limit_415 - _base_additions(case, deferrals, match) - case.ytd_after_tax
    search = _AfterTax(case, room415)
    if callable(rows) and members:
        # The further members of a settled search come from a function of the search (see _row_members), before
        # the members found: the after-tax money of the first of those (smallest x) at its largest bonus
        # after-tax election that fits, with the regular one that fits beside it (the after-tax search's first
        # step), seeds the search, so that rows before the first row member can be skipped on it.
        after_tax_cap, bonus_after_tax_cap = _after_tax_caps(case, *min(members))
        bonus_after_tax = min(bonus_after_tax_cap, search.bonus_after_tax_top)
        if bonus_after_tax >= 0:
            bonus_part = _bonus_sum(case, bonus_after_tax)
            after_tax = _regular_fit(case, room415 - bonus_part, after_tax_cap)
            if after_tax is not None:
                search.seed = case.n_regular * _amount(case, case.pay, after_tax, False) + bonus_part
    for deferral, bonus_deferral in itertools.chain(rows(search) if callable(rows) else rows, sorted(members)):
        if not search.offer(deferral, bonus_deferral):
            break
    _, deferral, bonus_deferral, after_tax, bonus_after_tax = search.best
    return deferral, bonus_deferral, after_tax, bonus_after_tax


def _brute(case: _Case) -> tuple[int, int, int, int]:
    """Every allowed election, simulated; the best by (match, deferrals, after-tax, smallest elections)."""
    separate = case.separate and bool(case.bonus_events)
    best_key, best = None, None
    planned_after_tax: dict[tuple[int, int], int] = {}
    for bonus_deferral in (range(case.bonus_max_units + 1) if separate else (0,)):
        for deferral in range(case.max_units + 1):
            after_tax_cap = min(case.at_cap, case.max_units - deferral)
            bonus_after_tax_cap = min(case.bonus_at_cap, case.bonus_max_units - bonus_deferral) if separate else 0
            for after_tax in range(after_tax_cap + 1):
                for bonus_after_tax in range(bonus_after_tax_cap + 1):
                    result = _simulate(case, deferral, bonus_deferral, after_tax, bonus_after_tax)
                    # Elections must fit without a payroll cut of after-tax money (see solve_elections).
                    if not result.feasible:
                        continue
                    # The after-tax money the elections plan for: a function of the after-tax elections alone,
                    # asked for again at every deferral election, so worked out once per pair.
                    planned = planned_after_tax.get((after_tax, bonus_after_tax))
                    if planned is None:
                        planned = planned_after_tax[(after_tax, bonus_after_tax)] = _planned_after_tax(
                            case, after_tax, bonus_after_tax, deferral)
                    if result.after_tax != planned:
                        continue
                    key = (-result.match, -result.deferrals, -result.after_tax, deferral, bonus_deferral, after_tax,
                           bonus_after_tax)
                    if best_key is None or key < best_key:
                        best_key, best = key, (deferral, bonus_deferral, after_tax, bonus_after_tax)
    if best is None:
        raise InputError("employer match", case.match_full / 100,
                         "a plan whose match and deferrals can fit within §415(c)", kind="num")
    return best
