"""IRS limits by year: published values with their citations, and statutory projections beyond them.

The data live in ``data/limits.json`` (one record per limit, values by year, unit, label, legal reference and
``published``/``projected`` status), read with the standard library.

Projection follows each limit's own indexing rule, always from the statutory base, never by compounding the
previous rounded value (that drifts by up to one rounding step):

* §415(d) family (415(c), 402(g), catch-ups, 401(a)(17), HCE, Roth catch-up wage threshold):
  ratio = NSA CPI-U July-September sum of year Y-1 / base-quarter sum, truncated to 5 decimals then rounded
  to 4; the increase ``base x ratio - base`` is rounded down to the step; never below the prior year.
* §1(f)(3) family (IRA limit, IRA catch-up, Roth IRA phase-out): ratio = chained CPI-U 12-month average to
  August of Y-1 / base; IRA amounts round down, phase-out starts round to the nearest $1,000.

Future index values are the last known one grown by the assumed annual ``inflation`` (default 2.5%). The
computations (ratio, rounding, floor, projected index) are :mod:`megabackdoor.indexing`, next to the formula
text the workbooks' Limits sheets write.
"""

from __future__ import annotations

import os
from functools import lru_cache

from . import validate
from ._record import Record
from .cadences import DEFAULT_INFLATION, LAST_PUBLISHED_YEAR, LIMIT_NAMES
from .errors import InputError
from .indexing import catchup_60_63, exact_ratio_415d, indexed_amount, nearest_step, not_below, projected_index

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CATCHUP_READINGS = ("A", "B")
# §414(v)(2)(C) indexes the "adjusted dollar amount" of §414(v)(2)(E)(i) (the greater of $10,000 or 150% of
# the 2024 catch-up, $11,250) from the July-September 2024 base, and the text leaves open which amount: reading
# A indexes only the $10,000 leg (conservative); reading B indexes the $11,250 result itself.
DEFAULT_CATCHUP_READING = "A"
DATA_PATH = os.path.join(os.path.dirname(__file__), "data", "limits.json")


# Filled from the data file on first use, not at import: json alone costs ~11 ms of start-up.
# PUBLISHED maps (name, year) -> published value: the hot path of every engine call.
PUBLISHED: dict[tuple[str, int], Any] = {}
_DATA: dict[str, Any] = {}
_RECORDS: dict[str, dict[str, Any]] = {}
_Q3: dict[str, float] = {}
_CHAINED: dict[str, float] = {}
_FIRST_YEAR: dict[str, int] = {}
# The ages and first years of the catch-up rules (data/limits.json "thresholds"), name -> value.
THRESHOLDS: dict[str, int] = {}


def load() -> dict[str, Any]:
    """Read data/limits.json once (later calls return the cached data)."""
    if _DATA:
        return _DATA
    import json

    with open(DATA_PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    if tuple(data["limits"]) != LIMIT_NAMES or data["last_published_year"] != LAST_PUBLISHED_YEAR:
        raise RuntimeError(f"{DATA_PATH} does not match LIMIT_NAMES / LAST_PUBLISHED_YEAR")
    _RECORDS.update(data["limits"])
    _Q3.update(data["indexes"]["cpi_u_q3_sum"])
    _CHAINED.update(data["indexes"]["chained_cpi_u_avg"])
    for name, record in _RECORDS.items():
        years = [int(y) for y in record["values"]]
        _FIRST_YEAR[name] = min(years)
        for year in years:
            PUBLISHED[(name, year)] = record["values"][str(year)]["value"]
    THRESHOLDS.update({name: record["value"] for name, record in data["thresholds"].items() if name != "_about"})
    _DATA.update(data)
    return _DATA


class LimitValue(Record):
    """One limit for one year: the value, whether it is published or projected, and its citation."""

    __slots__ = ("name", "year", "value", "status", "label", "unit", "reference")


def q3_cpi_sum(year: int, inflation: float = DEFAULT_INFLATION) -> float:
    """NSA CPI-U sum for July-September of ``year``: published where known, else grown by ``inflation``."""
    load()
    _LAST_Q3_YEAR = int(_Q3["last_known"][:4])
    key = f"{year}Q3"
    if key in _Q3:
        return _Q3[key]
    if year < _LAST_Q3_YEAR:
        raise InputError("year", year, f"a year with a known CPI quarter ({', '.join(sorted(_Q3))})", kind="na")
    return projected_index(_Q3[_Q3["last_known"]], inflation, year - _LAST_Q3_YEAR)


def chained_cpi_average(year: int, inflation: float = DEFAULT_INFLATION) -> float:
    """§1(f)(3) chained CPI-U average (September of year-1 to August of year), grown by ``inflation``."""
    load()
    _LAST_CHAINED_YEAR = int(_CHAINED["last_known"])
    if str(year) in _CHAINED:
        return _CHAINED[str(year)]
    if year < _LAST_CHAINED_YEAR:
        raise InputError("year", year, "a year with a known chained CPI-U average", kind="na")
    return projected_index(_CHAINED[_CHAINED["last_known"]], inflation, year - _LAST_CHAINED_YEAR)


def indexed_415d(base_amount: float, base_period: str, step: int, year: int,
                 inflation: float = DEFAULT_INFLATION) -> int:
    """The §415(d) computation for limit year ``year`` (uses the July-September sum of ``year - 1``).

    >>> indexed_415d(40000, "2001Q3", 1000, 2026)   # §415(c) for 2026
    72000
    >>> indexed_415d(15000, "2005Q3", 500, 2025)    # §402(g) for 2025
    23500
    """
    return indexed_amount(base_amount, exact_ratio_415d(q3_cpi_sum(year - 1, inflation), _Q3[base_period]), step)


def statutory_value(name: str, year: int, inflation: float = DEFAULT_INFLATION,
                    reading: str = DEFAULT_CATCHUP_READING) -> Any:
    """The limit computed by its statutory indexing rule alone (no published value, no prior-year floor).

    For years whose CPI data are known this reproduces the IRS figure, which is how the tests check the
    rule; for later years it is the projection before the never-decrease floor.

    >>> statutory_value("415c", 2026), statutory_value("hce", 2025)
    (72000, 160000)
    """
    load()
    rule = _RECORDS[name]["indexing"]
    method = rule["method"]
    if method == "415d":
        return indexed_415d(rule["base_amount"], rule["base_period"], rule["step"], year, inflation)
    if method == "catchup_60_63":
        ratio = exact_ratio_415d(q3_cpi_sum(year - 1, inflation), _Q3[rule["base_period"]])
        return catchup_60_63(rule["base_amount"], rule["frozen_amount"], ratio, rule["step"], reading)
    factor = chained_cpi_average(year - 1, inflation) / _CHAINED[rule["base_index"]]
    if method == "1f3":
        return indexed_amount(rule["base_amount"], factor, rule["step"])
    if method == "1f3_phaseout":
        result = {}
        for group, start_base in rule["base_start"].items():
            if group in rule["indexed_groups"]:
                start = nearest_step(start_base * factor, rule["step"])
            else:
                start = start_base
            result[group] = {"start": start, "end": start + rule["width"][group]}
        return result
    raise AssertionError(f"unknown indexing method {method}")  # data error, caught by tests


@lru_cache(maxsize=4096)
def _projected(name: str, year: int, inflation: float, reading: str) -> Any:
    prior = PUBLISHED[(name, year - 1)] if year - 1 == LAST_PUBLISHED_YEAR else _projected(
        name, year - 1, inflation, reading)
    return not_below(prior, statutory_value(name, year, inflation, reading))


def limit_value(name: str, year: int, inflation: float = DEFAULT_INFLATION,
                reading: str = DEFAULT_CATCHUP_READING) -> Any:
    """Fast lookup without validation: the value only (engine-internal hot path)."""
    if not PUBLISHED:
        load()
    value = PUBLISHED.get((name, year))
    if value is not None:
        return value
    if year > LAST_PUBLISHED_YEAR:
        return _projected(name, year, inflation, reading)
    return None


def _check_name(name: Any) -> str:
    return validate.choice("name", name, LIMIT_NAMES)


def check_reading(reading: Any) -> str:
    if isinstance(reading, str) and reading.strip().upper() in CATCHUP_READINGS:
        return reading.strip().upper()
    raise InputError("catchup_reading", reading,
                     "'A' (index only the $10,000 leg) or 'B' (index the $11,250 amount)", kind="value")


def irs_limit(name: str, year: int, inflation: float = DEFAULT_INFLATION,
              catchup_reading: str = DEFAULT_CATCHUP_READING) -> LimitValue:
    """A limit for a year, with its status and legal reference.

    Published IRS values for 2014-2026; later years are projected with the limit's statutory indexing rule
    and the assumed annual ``inflation`` (a decimal, e.g. 0.025).

    Parameters
    ----------
    name : one of ``LIMIT_NAMES`` ('402g', 'catchup_50', 'catchup_60_63', '415c', '401a17', 'hce', 'ira',
        'ira_catchup', 'roth_catchup_wage_threshold', 'roth_ira_phaseout').
    year : calendar year, 2014 or later.
    inflation : assumed annual growth of the CPI index past the last known quarter (projections only).
    catchup_reading : 'A' or 'B', how the age 60-63 catch-up is indexed after 2026 (§414(v)(2)(C), (E)(i)).

    Examples
    --------
    >>> irs_limit("415c", 2026).value
    72000
    >>> irs_limit("415c", 2026).reference
    'IRC §415(c)(1)(A); indexed under §415(d)(1)(C), (d)(3)(D), (d)(4)(B); Notice 2025-67 (IR-2025-111)'
    >>> lv = irs_limit("402g", 2027, inflation=0.025)
    >>> (lv.value, lv.status)
    (25000, 'projected')
    """
    name = _check_name(name)
    year = validate.year("year", year)
    inflation = validate.rate("inflation", inflation, low=-0.5, high=0.5)
    reading = check_reading(catchup_reading)
    load()
    record = _RECORDS[name]
    if year < _FIRST_YEAR[name]:
        raise InputError("year", year, f"{_FIRST_YEAR[name]} or later: {name} did not exist before then",
                         kind="na")
    if year <= LAST_PUBLISHED_YEAR:
        entry = record["values"][str(year)]
        return LimitValue(name, year, entry["value"], "published", record["label"], record["unit"],
                          f"{record['statute']}; {entry['source']}")
    value = _projected(name, year, inflation, reading)
    rule = record["indexing"]
    how = (f"projected at {inflation:.2%} a year with the statutory rule "
           f"(rounded {rule['rounding']} to ${rule['step']:,})")
    if name == "catchup_60_63":
        how += f", reading {reading}"
    return LimitValue(name, year, value, "projected", record["label"], record["unit"],
                      f"{record['statute']}; {how}")


def limits_for_year(year: int, inflation: float = DEFAULT_INFLATION,
                    catchup_reading: str = DEFAULT_CATCHUP_READING) -> dict[str, LimitValue]:
    """Every limit that exists in ``year``, keyed by name.

    >>> sorted(limits_for_year(2020))[:3]
    ['401a17', '402g', '415c']
    """
    year = validate.year("year", year)
    load()
    return {name: irs_limit(name, year, inflation, catchup_reading)
            for name in LIMIT_NAMES if year >= _FIRST_YEAR[name]}


def limit_record(name: str) -> dict[str, Any]:
    """The raw data record for a limit (label, unit, statute, indexing rule, published values)."""
    load()
    return _RECORDS[_check_name(name)]


def threshold(name: str) -> int:
    """An age or first year of the catch-up rules (``data/limits.json`` "thresholds"), e.g. 'catchup_age'.

    >>> threshold("catchup_age"), threshold("catchup_60_63_first_year"), threshold("roth_catchup_first_year")
    (50, 2025, 2026)
    """
    if not THRESHOLDS:
        load()
    return THRESHOLDS[name]


def threshold_record(name: str) -> dict[str, Any]:
    """The data record of a threshold: value, unit, label, statute and status."""
    return load()["thresholds"][name]


def roth_catchup_status(year: int) -> str:
    """'not_in_law' before 2024, 'transition_relief' 2024-2025, 'required_good_faith' 2026, then final regs."""
    table = load()["roth_catchup_status"]
    if year < threshold("roth_catchup_statutory_year"):
        return "not_in_law"
    return table.get(str(year), "required_final_regs")
