"""Splitting a distribution of the after-tax subaccount (Notice 2014-54) and the in-plan Roth rollover
(§402A(c)(4)).

A distribution from the after-tax subaccount carries a pro-rata share of basis and earnings (§72(e)(8), the
subaccount treated as a separate contract under §72(d)(2)); Notice 2014-54 lets one distribution be split so
the pre-tax part goes first to direct rollovers (a traditional IRA) and the basis to a Roth IRA.

Educational, not individual tax advice.
"""

from __future__ import annotations

from .. import validate
from .._record import Record
from ..errors import InputError
from ..rounding import cents

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DESTINATIONS = ("roth_ira", "traditional_ira", "cash")
ROW_HEADER = ("destination", "after_tax", "pre_tax", "taxable")


class RolloverSplit(Record):
    """How one distribution of the after-tax subaccount splits into after-tax (basis) and pre-tax dollars.

    Fields: ``amount`` distributed; ``after_tax`` and ``pre_tax`` in it (pro rata within the subaccount);
    ``destinations``: a tuple of (destination, after_tax, pre_tax, taxable) tuples for 'roth_ira',
    'traditional_ira' and 'cash' (or 'designated_roth_account' for an in-plan conversion); ``taxable``:
    the total included in income now; ``early_withdrawal_exposed``: the taxable cash that also owes the
    §72(t) 10% additional tax if under 59½ with no exception; ``mandatory_withholding``: 20% of that taxable
    cash, withheld by the plan (§3405(c), an eligible rollover distribution not directly rolled over);
    ``method``. ``rows()`` gives the table.
    """

    __slots__ = ("amount", "after_tax", "pre_tax", "destinations", "taxable", "early_withdrawal_exposed",
                 "mandatory_withholding", "method")

    def rows(self, header: bool = True) -> list[list[Any]]:
        """The table Excel spills: destination, after-tax, pre-tax, taxable (and a total row)."""
        table = [list(row) for row in self.destinations]
        table.append(["total", self.after_tax, self.pre_tax, self.taxable])
        return [list(ROW_HEADER), *table] if header else table


def _pro_rata(balance: Any, basis: Any, amount: Any) -> tuple[float, float, float]:
    balance = validate.money("balance", balance)
    basis = validate.money("basis", basis)
    amount = balance if amount is None else validate.money("amount", amount)
    if amount > balance:
        raise InputError("amount", amount, f"at most the subaccount balance of ${balance:,.2f}", kind="num")
    if balance == 0:
        return 0.0, 0.0, 0.0
    # §72(e)(8): each distribution carries basis in the ratio basis / balance; with a loss (basis above the
    # balance) all of it is basis, and the unrecovered basis is not deductible.
    after_tax = min(amount, cents(amount * min(1.0, basis / balance)))
    return amount, after_tax, max(0.0, cents(amount - after_tax))


def rollover_split(balance: float, basis: float, amount: float | None = None, roth_ira: float | None = None,
                   traditional_ira: float | None = None, cash: float | None = None) -> RolloverSplit:
    """Split a distribution of the after-tax subaccount among a Roth IRA, a traditional IRA and cash.

    Rule (IRS Notice 2014-54, distributions from 1 January 2015; §402(c)(2); §72(e)(8) with §72(d)(2)):

    * The distribution carries basis and earnings pro rata within the after-tax subaccount:
      ``after_tax = amount x basis / balance``, ``pre_tax = amount - after_tax``.
    * Disbursements made at the same time are one distribution. The pre-tax part goes first to the direct
      rollovers (Roth IRA + traditional IRA); when those are at least the pre-tax part the participant
      chooses the split, and this function puts pre-tax dollars in the traditional IRA first (no tax), then
      in the Roth IRA (taxed as a conversion). Pre-tax dollars that exceed the rollovers go to cash.
    * Taxable now: pre-tax dollars in the Roth IRA or in cash. Cash pre-tax dollars also owe the §72(t) 10%
      additional tax under age 59½ unless an exception applies (``early_withdrawal_exposed``).

    With no destinations given, the whole distribution is split the usual way: basis to the Roth IRA and
    earnings to the traditional IRA. Otherwise unspecified destinations are $0, except ``cash``, which takes
    whatever the IRAs do not; the destinations must add up to ``amount``.

    Parameters
    ----------
    balance : value of the after-tax subaccount (basis + earnings), dollars.
    basis : after-tax contributions in it not yet recovered, dollars.
    amount : the distribution, dollars (default: the whole balance).
    roth_ira, traditional_ira, cash : dollars sent to each destination.

    Examples
    --------
    $50,000 subaccount with $45,000 basis, all distributed:

    >>> s = rollover_split(50000, 45000)
    >>> s.rows()
    [['destination', 'after_tax', 'pre_tax', 'taxable'], ['roth_ira', 45000.0, 0.0, 0.0], \
['traditional_ira', 0.0, 5000.0, 0.0], ['cash', 0.0, 0.0, 0.0], ['total', 45000.0, 5000.0, 0.0]]
    >>> rollover_split(50000, 45000, roth_ira=50000).taxable     # earnings converted too
    5000.0
    >>> rollover_split(50000, 45000, 10000).pre_tax              # a partial distribution is pro rata
    1000.0
    """
    amount, after_tax, pre_tax = _pro_rata(balance, basis, amount)
    if roth_ira is None and traditional_ira is None and cash is None:
        roth, traditional, cash_out = after_tax, pre_tax, 0.0
    else:
        roth = 0.0 if roth_ira is None else validate.money("roth_ira", roth_ira)
        traditional = 0.0 if traditional_ira is None else validate.money("traditional_ira", traditional_ira)
        if cash is None:
            cash_out = cents(amount - roth - traditional)
            if cash_out < 0:
                named = ("roth_ira", roth_ira) if traditional_ira is None else ("traditional_ira", traditional_ira)
                raise InputError(*named, f"Roth IRA + traditional IRA of at most the distribution "
                                 f"(${amount:,.2f})", kind="num",
                                 hint=f"they add up to ${roth + traditional:,.2f}")
        else:
            cash_out = validate.money("cash", cash)
            if abs(roth + traditional + cash_out - amount) > 0.005:
                raise InputError("cash", cash, f"roth_ira + traditional_ira + cash = the distribution of "
                                 f"${amount:,.2f}", kind="num",
                                 hint=f"they add up to ${roth + traditional + cash_out:,.2f}")
    # Notice 2014-54: pre-tax first to the rollovers; within them, the traditional IRA first.
    pre_traditional = min(pre_tax, traditional)
    pre_roth = min(pre_tax - pre_traditional, roth)
    pre_cash = cents(pre_tax - pre_traditional - pre_roth)
    rows = (
        ("roth_ira", cents(roth - pre_roth), pre_roth, pre_roth),
        ("traditional_ira", cents(traditional - pre_traditional), pre_traditional, 0.0),
        ("cash", cents(cash_out - pre_cash), pre_cash, pre_cash),
    )
    return RolloverSplit(amount, after_tax, pre_tax, rows, cents(pre_roth + pre_cash), pre_cash,
                         cents(0.2 * pre_cash), "Notice 2014-54: pre-tax first to direct rollovers (traditional IRA "
                         "first)")


def in_plan_conversion(balance: float, basis: float, amount: float | None = None) -> RolloverSplit:
    """An in-plan Roth rollover (conversion) of the after-tax subaccount: the taxable part.

    Rule (§402A(c)(4); Notice 2010-84; Notice 2013-74): the amount moved to the designated Roth account is
    taxed "as if distributed": its pro-rata basis (``amount x basis / balance``) is tax-free and the rest
    is ordinary income now. No §72(t) tax on the conversion itself, no mandatory 20% withholding; each
    conversion has its own five-year recapture period (:func:`five_year_date`).

    >>> c = in_plan_conversion(50000, 45000)
    >>> c.taxable, c.rows(header=False)[0]
    (5000.0, ['designated_roth_account', 45000.0, 5000.0, 5000.0])
    >>> in_plan_conversion(50000, 45000, 20000).taxable
    2000.0
    """
    amount, after_tax, pre_tax = _pro_rata(balance, basis, amount)
    rows = (("designated_roth_account", after_tax, pre_tax, pre_tax),)
    return RolloverSplit(amount, after_tax, pre_tax, rows, pre_tax, 0.0, 0.0,
                         "§402A(c)(4): in-plan Roth rollover, pro rata within the after-tax subaccount")
