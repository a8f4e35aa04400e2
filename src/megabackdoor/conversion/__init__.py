"""Converting after-tax money to Roth: earnings before conversion, rollover splits, pro-rata, five-year clocks.

One module per rule (each with its statute, regulation or notice); every public name is re-exported here:

* :mod:`.earnings`: a conversion is taxed on the part that would be includible if distributed, the amount
  converted minus the after-tax basis in it (§402A(c)(4) for an in-plan Roth rollover, §408A(d)(3)(A) for a
  Roth IRA). Earnings that build up between an after-tax contribution and its conversion are therefore
  ordinary income; converting sooner leaves less of them. The closed form and its formula text side by side.
* :mod:`.rollover`: a distribution from the after-tax subaccount carries a pro-rata share of basis and
  earnings (§72(e)(8), the subaccount treated as a separate contract under §72(d)(2)); Notice 2014-54 lets one
  distribution be split so the pre-tax part goes first to direct rollovers (a traditional IRA) and the basis
  to a Roth IRA.
* :mod:`.pro_rata`: traditional-to-Roth IRA conversions are pro rata over *all* traditional, SEP and SIMPLE
  IRAs at 31 December (§408(d)(2), Form 8606 lines 6-11 and 16-18).
* :mod:`.clocks`: each conversion's taxable part is free of the §72(t) 10% recapture from 1 January of the
  conversion year + 5 (§408A(d)(3)(F); Treas. Reg. §1.408A-6 Q&A-5); Roth IRA distributions come out in the
  order regular contributions, conversions first-in-first-out (taxable part first), then earnings
  (§408A(d)(4)(B)).

Educational, not individual tax advice.
"""

from __future__ import annotations

from .. import validate
from .._record import Record
from ..cadences import CADENCES
from ..errors import InputError
from ..rounding import cents
from .clocks import (
    FIRST_ROTH_YEAR,
    ORDERING_HEADER,
    RothClocks,
    five_year_date,
    rollover_clocks,
    roth_ira_ordering,
    roth_ira_qualified_clock,
    to_date,
)
from .earnings import (
    CONVERSIONS_PER_YEAR,
    DAYS_PER_YEAR,
    MAX_SEPARATION_YEARS,
    PAY_PERIODS,
    ConversionEarnings,
    conversion_earnings,
    earnings_schedule,
    simulate_conversion_earnings,
)
from .pro_rata import ProRata, backdoor_pro_rata, backdoor_pro_rata_breakdown
from .rollover import DESTINATIONS, ROW_HEADER, RolloverSplit, in_plan_conversion, rollover_split

TYPE_CHECKING = False

__all__ = [
    "CADENCES", "CONVERSIONS_PER_YEAR", "DAYS_PER_YEAR", "DESTINATIONS", "FIRST_ROTH_YEAR", "MAX_SEPARATION_YEARS",
    "ORDERING_HEADER", "PAY_PERIODS", "ROW_HEADER", "ConversionEarnings", "InputError", "ProRata", "Record",
    "RolloverSplit", "RothClocks", "backdoor_pro_rata", "backdoor_pro_rata_breakdown", "cents", "conversion_earnings",
    "earnings_schedule", "five_year_date", "in_plan_conversion", "rollover_clocks", "rollover_split",
    "roth_ira_ordering", "roth_ira_qualified_clock", "simulate_conversion_earnings", "to_date", "validate",
]
