"""Planning scenarios: the inputs of a multi-year schedule, read from TOML files and validated.

A scenario file has sections. It must state the facts about the client and the plan that no default can
know (the fields with ``required="always"``: birth year, salary, deferral policy, employer match; ``match = []``
states "no match"), plus the keys the chosen options use and that have no sensible default (``required=
"when_used"``, e.g. ``deferral.amount`` with ``policy = "fixed"``). Assumptions (return, inflation, lag, ...)
fall back to their defaults, and :attr:`Scenario.defaults_used` lists the ones that did. A key that the chosen
options make meaningless (``tax.marginal_rate`` with ``filing_status = "mfj"``) is an error, not ignored::

    name = "My plan"
    [scenario]
    start_year = 2026
    years = 10
    [person]
    birth_year = 1991
    [pay]
    salary = 150000
    [deferral]
    policy = "max"
    [employer]
    match = [{rate = 1.0, up_to = 0.06}]   # 100% of deferrals up to 6% of pay

The built-in default scenario (:func:`default_scenario`, the article's case: 2026, age 35, $24,500 deferral +
$9,000 employer money -> $38,500 after-tax room) is the only place the defaults of required fields are used.

Bad values raise :class:`~megabackdoor.errors.InputError` naming the key as ``section.key``, the value, what
is accepted and the line of the file. ``FIELDS`` is the one list of inputs: the schedule engine, the
workbook's Inputs sheet (labels, notes, validation) and the docs all read it.

>>> s = default_scenario()
>>> (s.start_year, s.years, s.birth_year, s.salary, s.deferral_policy)
(2026, 10, 1991, 150000.0, 'max')
>>> loads("[pay]\\nsalary = -5").salary
Traceback (most recent call last):
...
megabackdoor.errors.InputError: pay.salary: got -5; expected an amount of $0 or more (line 2)
>>> loads("")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
megabackdoor.errors.InputError: person.birth_year, pay.salary, deferral.policy, employer.match: got nothing...
"""

from __future__ import annotations

from . import validate
from ._record import Record
from .cadences import DEFAULT_INFLATION, PAY_FREQUENCIES, SCHEDULE_CADENCES
from .cadences import FILING_STATUSES as TAX_FILING_STATUSES
from .errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFERRAL_POLICIES = ("max", "fixed", "percent")
CADENCES = SCHEDULE_CADENCES  # the schedule's conversion cadences (see megabackdoor.cadences)
FILING_STATUSES = ("marginal_rate", *TAX_FILING_STATUSES)
YES_NO = ("yes", "no")
MAX_MATCH_TIERS = 3
MAX_YEARS = 40


class Field:
    """One scenario input: where it lives in TOML, its default, how it is checked and how it is shown."""

    __slots__ = ("section", "key", "default", "kind", "label", "note", "choices", "low", "high", "unit",
                 "required", "used_when", "sheet")

    def __init__(self, section: str, key: str, default: Any, kind: str, label: str, note: str, *,
                 choices: tuple[str, ...] = (), low: float | None = None, high: float | None = None,
                 unit: str = "", required: str = "", used_when: tuple[str, tuple[str, ...]] | None = None,
                 sheet: str = "") -> None:
        # sheet: the plan workbook's defined name of the field's input cell when it is not the attribute in
        # CamelCase (see SHEET_NAMES). MEGA_SCHEDULE's arguments name their field by Arg(engine_name=attribute).
        self.sheet = sheet
        self.section, self.key, self.default, self.kind = section, key, default, kind
        self.label, self.note, self.choices, self.low, self.high, self.unit = label, note, choices, low, high, unit
        # required: "always" (a fact about the client or plan: a file must state it), "when_used" (must be
        # stated when used_when holds), "" (an assumption: the default applies and is reported).
        # used_when: (path of the deciding key, its values that make this key count); otherwise stating this
        # key is an error (a value the options make meaningless), and its default is not reported.
        assert required in ("", "always", "when_used") and (required != "when_used" or used_when)
        self.required, self.used_when = required, used_when

    @property
    def path(self) -> str:
        return f"{self.section}.{self.key}" if self.section else self.key


# kind: "text", "year", "whole", "money", "fraction", "rate", "choice", "tiers".
FIELDS: tuple[Field, ...] = (
    Field("", "name", "Default plan: the article's 2026 case", "text", "Scenario name",
          "A label for this plan; shown on every sheet.", sheet="ScenarioName"),
    Field("scenario", "start_year", 2026, "year", "First year", "Calendar year of the first schedule row.",
          low=2014, high=2100),
    Field("scenario", "years", 10, "whole", "Number of years", "Rows in the schedule (1 to 40); "
          "regenerate the workbook to change it.", low=1, high=MAX_YEARS),
    Field("person", "birth_year", 1991, "year", "Birth year", "Age = year - birth year: the age attained by "
          "31 December, which decides catch-ups (IRC §414(v)(5)(A)).", low=1900, high=2100, required="always"),
    Field("pay", "salary", 150000.0, "money", "Salary (first year)", "Base pay in the first year, dollars.",
          low=0, high=10_000_000, unit="USD", required="always"),
    Field("pay", "salary_growth", 0.03, "rate", "Salary growth a year", "Yearly raise, as a decimal "
          "(0.03 = 3%); bonus grows at the same rate.", low=-0.5, high=0.5, unit="rate"),
    Field("pay", "bonus", 0.0, "money", "Bonus (first year)", "Bonus counted as §415(c)(3) compensation.",
          low=0, high=10_000_000, unit="USD"),
    Field("pay", "prior_year_fica_wages", 150000.0, "money", "FICA wages, year before the first",
          "W-2 box 3 wages from this employer in the year before the first row; later years use the prior "
          "row's pay. Above the threshold, catch-ups must be Roth (§414(v)(7)). A scenario file without it "
          "takes the first year's salary.", low=0, high=10_000_000, unit="USD"),
    Field("deferral", "policy", "max", "choice", "Deferral policy", "max: §402(g) + catch-up for the age; "
          "fixed: the dollar amount below; percent: the percent of pay below. Always capped at the legal "
          "limit and at pay.", choices=DEFERRAL_POLICIES, required="always"),
    Field("deferral", "amount", 24500.0, "money", "Fixed deferral", "Dollars a year (policy fixed).",
          low=0, high=1_000_000, unit="USD", required="when_used", used_when=("deferral.policy", ("fixed",))),
    Field("deferral", "percent", 0.10, "fraction", "Deferral percent", "Share of pay (policy percent).",
          low=0, high=1, unit="fraction", required="when_used", used_when=("deferral.policy", ("percent",))),
    Field("deferral", "roth_fraction", 0.0, "fraction", "Roth share of deferrals", "0 = all pre-tax, 1 = all "
          "Roth. Catch-ups become Roth anyway when §414(v)(7) requires it.", low=0, high=1, unit="fraction"),
    Field("employer", "match", ((1.0, 0.06),), "tiers", "Employer match tiers",
          "Each tier: rate on deferrals up to a percent of pay (cumulative), e.g. 100% up to 3% then 50% up "
          "to 5%. Pay is capped at §401(a)(17). match = [] states that there is no match.", unit="tiers",
          required="always"),
    Field("employer", "nonelective", 0.0, "fraction", "Non-elective contribution",
          "Employer contribution as a share of pay capped at §401(a)(17).", low=0, high=0.25, unit="fraction",
          sheet="NonElective"),
    Field("plan", "after_tax_allowed", "yes", "choice", "Plan takes after-tax contributions",
          "Without it there is no mega-backdoor.", choices=YES_NO),
    Field("plan", "in_plan_conversion", "yes", "choice", "In-plan Roth conversion", "Plan feature.",
          choices=YES_NO),
    Field("plan", "in_service_withdrawal", "yes", "choice", "In-service withdrawal of after-tax money",
          "Plan feature (rollover to a Roth IRA).", choices=YES_NO),
    Field("plan", "after_tax_cap", 1.0, "fraction", "Plan's after-tax cap",
          "Share of pay capped at §401(a)(17); 1 (100%) means no cap beyond §415(c).", low=0, high=1,
          unit="fraction", used_when=("plan.after_tax_allowed", ("yes",))),
    Field("conversion", "cadence", "per_paycheck", "choice", "Conversion cadence",
          "How often after-tax money is converted to Roth: per_paycheck converts each contribution on payday; "
          "daily converts each as soon as it settles; the others on fixed dates (weekly ... annual); "
          "n_per_year on the number of dates below; at_separation converts everything at the end of the last "
          "year (also what happens when the plan offers neither an in-plan conversion nor an in-service "
          "withdrawal).",
          choices=CADENCES),
    Field("conversion", "conversions_per_year", 12, "whole", "Conversions a year (cadence n_per_year)",
          "Used only with cadence n_per_year: conversion dates evenly spaced, the last on 31 December.",
          low=1, high=365, required="when_used", used_when=("conversion.cadence", ("n_per_year",))),
    Field("conversion", "pay_frequency", "biweekly", "choice", "Pay frequency",
          "Paychecks a year: after-tax contributions come in with each one.", choices=PAY_FREQUENCIES),
    Field("conversion", "settlement_lag_days", 0, "whole", "Days from contribution to conversion",
          "Settlement lag before each conversion.", low=0, high=90),
    Field("tax", "filing_status", "marginal_rate", "choice", "Filing status",
          "marginal_rate: tax converted earnings at the marginal rate below; otherwise use the federal "
          "brackets of that filing status on the taxable income below.", choices=FILING_STATUSES),
    Field("tax", "marginal_rate", 0.24, "fraction", "Marginal federal rate", "Used when filing status is "
          "marginal_rate.", low=0, high=0.6, unit="fraction", used_when=("tax.filing_status", ("marginal_rate",))),
    Field("tax", "taxable_income", 200000.0, "money", "Taxable income before conversions",
          "Federal taxable income in the first year (grows with salary); used with a filing status's brackets.",
          low=0, high=100_000_000, unit="USD", required="when_used",
          used_when=("tax.filing_status", FILING_STATUSES[1:])),
    Field("tax", "state_rate", 0.0, "fraction", "State tax rate", "Flat state rate on converted earnings.",
          low=0, high=0.2, unit="fraction"),
    Field("assumptions", "expected_return", 0.06, "rate", "Expected return a year",
          "Investment return, as a decimal.", low=-0.5, high=0.5, unit="rate"),
    Field("assumptions", "inflation", DEFAULT_INFLATION, "rate", "Inflation (CPI growth)", "Grows the CPI index for "
          "projected limits (each limit's statutory rounding rule).", low=-0.5, high=0.5, unit="rate"),
    Field("assumptions", "catchup_reading", "A", "choice", "Age 60-63 catch-up indexing",
          "A: index only the $10,000 leg (conservative); B: index $11,250.", choices=("A", "B")),
    Field("assumptions", "taxable_tax_drag", 0.15, "fraction", "Taxable account tax drag",
          "Share of the yearly return lost to tax in the taxable-account alternative.", low=0, high=1,
          unit="fraction"),
    # The retirement phase (megabackdoor.retirement): what the buckets become after the schedule.
    Field("retirement", "retirement_age", 65, "whole", "Retirement age",
          "Age (31 December) of the first retirement year; balances only grow between the schedule's last "
          "year and it. If the schedule runs past it, retirement starts the year after the schedule ends.",
          low=30, high=100),
    Field("retirement", "end_age", 95, "whole", "Plan to age", "Age of the last retirement year shown.",
          low=30, high=120),
    Field("retirement", "spending", 90000.0, "money", "Spending a year (today's dollars)",
          "What the household spends each retirement year, in first-year dollars, grown by inflation. The "
          "year's federal tax is paid the next year on top of it.", low=0, high=10_000_000, unit="USD",
          sheet="RetSpending"),
    Field("retirement", "other_income", 30000.0, "money", "Social Security / other income (today's dollars)",
          "Yearly income outside the accounts (Social Security, a pension), first-year dollars grown by "
          "inflation, from the age below. It is spent before any withdrawal.", low=0, high=10_000_000,
          unit="USD"),
    Field("retirement", "other_income_age", 67, "whole", "Other income starts at age", "Age of the first "
          "year with the income above.", low=30, high=120),
    Field("retirement", "other_income_taxable", 0.85, "fraction", "Taxable share of other income",
          "Share taxed as ordinary income: 0.85 is the most of a Social Security benefit that can be taxed "
          "(IRC §86); the §86 provisional-income test itself is not modelled.", low=0, high=1, unit="fraction"),
    Field("retirement", "filing_status", "single", "choice", "Filing status in retirement",
          "Federal rate schedule, standard deduction and capital-gain thresholds used in retirement.",
          choices=TAX_FILING_STATUSES, sheet="RetFilingStatus"),
    Field("retirement", "existing_pretax", 0.0, "money", "Pre-tax 401(k)/IRA today",
          "Pre-tax balance at the start of the first year, besides this plan's contributions.", low=0,
          high=100_000_000, unit="USD"),
    Field("retirement", "existing_roth", 0.0, "money", "Roth 401(k)/IRA today",
          "Roth balance at the start of the first year, besides this plan's contributions.", low=0,
          high=100_000_000, unit="USD"),
    Field("retirement", "existing_after_tax", 0.0, "money", "Unconverted after-tax 401(k) today",
          "After-tax money not converted to Roth (basis plus its earnings).", low=0, high=100_000_000,
          unit="USD"),
    Field("retirement", "existing_after_tax_basis", 0.0, "money", "  of which after-tax basis",
          "The after-tax dollars contributed; withdrawals recover it pro rata (IRC §72(e)(8)).", low=0,
          high=100_000_000, unit="USD"),
    Field("retirement", "existing_taxable", 0.0, "money", "Taxable brokerage today",
          "Taxable investment account at the start of the first year.", low=0, high=100_000_000, unit="USD"),
    Field("retirement", "existing_taxable_basis", 0.0, "money", "  of which cost basis",
          "Cost basis of the taxable account; sales realise gains pro rata (average basis).", low=0,
          high=100_000_000, unit="USD"),
    Field("retirement", "withdrawal_order", "taxable_first", "choice", "Withdrawal order",
          "taxable_first: taxable account, then pre-tax up to the top of the bracket below, then after-tax "
          "401(k) money, then Roth, then the rest of pre-tax; pretax_first: pre-tax, taxable, after-tax, Roth. "
          "RMDs always come out first.", choices=("taxable_first", "pretax_first")),
    Field("retirement", "pretax_bracket", "22%", "choice", "Pre-tax withdrawals fill up to",
          "taxable_first: pre-tax withdrawals stop at the top of this federal bracket before Roth money is "
          "used (37%: no limit).", choices=("10%", "12%", "22%", "24%", "32%", "35%", "37%")),
    Field("retirement", "conversion_bracket", "none", "choice", "Roth conversions fill up to",
          "From retirement until the RMD age, convert pre-tax money to Roth each year up to the top of this "
          "bracket (none: no conversions); the tax is paid the next year.",
          choices=("none", "10%", "12%", "22%", "24%", "32%", "35%")),
    Field("retirement", "end_tax_rate", 0.24, "fraction", "Tax rate on pre-tax money left at the end",
          "Wealth after tax counts pre-tax balances (and after-tax earnings) at 1 minus this rate.", low=0,
          high=0.6, unit="fraction"),
    Field("retirement", "end_gains_rate", 0.15, "fraction", "Tax rate on gains left at the end",
          "Wealth after tax counts the taxable account's unrealised gain at this rate.", low=0, high=0.6,
          unit="fraction"),
)
# Retirement keys that are facts about the client (a file for `megabackdoor retire` must state them); the
# other retirement keys are assumptions that may default (reported as defaults used).
RETIREMENT_FACTS = ("retirement_age", "end_age", "spending", "other_income", "other_income_age",
                    "filing_status", "existing_pretax", "existing_roth", "existing_after_tax",
                    "existing_after_tax_basis", "existing_taxable", "existing_taxable_basis")
FIELD_BY_PATH = {f.path: f for f in FIELDS}
REQUIRED = tuple(f.path for f in FIELDS if f.required == "always")  # what every scenario file must state
BUILT_IN = "the built-in default scenario (the article's 2026 case, as in workbook_templates/default-plan.toml)"


def _attribute(field: Field) -> str:
    # Record attribute: the key, prefixed where two sections share a key name.
    return {"deferral.policy": "deferral_policy", "deferral.amount": "deferral_amount",
            "deferral.percent": "deferral_percent", "deferral.roth_fraction": "roth_deferral_fraction",
            "employer.match": "match_tiers", "conversion.cadence": "conversion_cadence",
            "retirement.filing_status": "retirement_filing_status"}.get(field.path, field.key)


ATTRIBUTES = tuple(_attribute(f) for f in FIELDS)
# The plan workbook's defined name of each field's input cell: the attribute in CamelCase unless the field
# names it (the match tiers have MatchRate1, MatchUpTo1, ...).
SHEET_NAMES: dict[str, str] = {attribute: field.sheet or "".join(p.capitalize() for p in attribute.split("_"))
                               for field, attribute in zip(FIELDS, ATTRIBUTES, strict=True)
                               if field.kind != "tiers"}


class Scenario(Record):
    """A validated scenario (one attribute per :data:`FIELDS` entry); ``to_toml()`` writes it back.

    ``defaults_used`` (not part of equality) is the paths of the fields whose defaults the numbers use because
    the scenario did not state them; ``BUILT_IN`` in it marks the built-in default scenario."""

    __slots__ = (*ATTRIBUTES, "defaults_used")

    @property
    def age_first_year(self) -> int:
        return self.start_year - self.birth_year

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some attributes changed, validated again (changed fields no longer count as defaults)."""
        values = self.to_dict()
        values.update(changes)
        built_in = BUILT_IN in self.defaults_used
        stated = set() if built_in else {f.path for f in FIELDS if f.path not in self.defaults_used}
        stated |= {f.path for f in FIELDS if _attribute(f) in changes}
        return from_values(values, stated=stated, built_in=built_in and not changes)

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in ATTRIBUTES}

    def __hash__(self) -> int:
        return hash((type(self).__name__, *(repr(getattr(self, n)) for n in ATTRIBUTES)))

    def to_toml(self) -> str:
        return to_toml(self)

    def __reduce__(self):
        # Records are read-only slotted objects: pickle (e.g. for worker processes) by value.
        return (_rebuild, (self.to_dict(), self.defaults_used))


def _rebuild(values: dict[str, Any], defaults_used: tuple[str, ...]) -> Scenario:
    return Scenario(**values, defaults_used=defaults_used)


def used(field: Field, values: dict[str, Any]) -> bool:
    """Whether ``field`` counts given the other values (attribute -> value): ``used_when`` holds."""
    if field.used_when is None:
        return True
    decider, accepted = field.used_when
    return values[_attribute(FIELD_BY_PATH[decider])] in accepted


def defaults_line(scenario: Scenario, skip: tuple[str, ...] = ()) -> str:
    """One line saying which defaults a scenario's numbers use (for stderr and the workbook's notes);
    ``skip``: sections the command does not use (``plan`` and ``schedule`` skip ``retirement``).

    >>> defaults_line(loads('[person]\\nbirth_year = 1974\\n[pay]\\nsalary = 310000\\n[deferral]\\npolicy = "max"\\n'
    ...                     '[employer]\\nmatch = []\\n'), skip=("retirement",)).split(", ")[:3]
    ['defaults used (not stated in the scenario): scenario.start_year = 2026', 'scenario.years = 10', \
'pay.salary_growth = 0.03']
    """
    if BUILT_IN in scenario.defaults_used:
        return f"no scenario file: {BUILT_IN}; `megabackdoor init client.toml` writes one to fill in"
    shown = [f"{path} = {_toml_value(getattr(scenario, _attribute(FIELD_BY_PATH[path])))}"
             for path in scenario.defaults_used if FIELD_BY_PATH[path].section not in skip]
    if not shown:
        return "defaults used: none (every input is stated)"
    return "defaults used (not stated in the scenario): " + ", ".join(shown)


def _line_of(text: str | None, path: str) -> int | None:
    """The line number where ``path`` (``section.key``, or ``section.key[0].rate``) is set in a TOML text
    (tomllib reports no positions for values): under a ``[section]`` header, as a dotted key
    (``pay.salary = 1``) or inside an inline table (``pay = {salary = 1}``); the text of multi-line strings and
    arrays is skipped, so nothing in it is taken for a header or a key. An array element is found at the line
    of its key."""
    if not text:
        return None
    base = path.split("[", 1)[0]
    table = ""
    closing = None  # the quotes that end the multi-line string we are in
    depth = 0       # open brackets of a multi-line array
    for number, line in enumerate(text.splitlines(), 1):
        if closing is not None:
            if closing in line:
                closing = None
            continue
        stripped = line.strip()
        if depth:
            depth += _brackets(stripped)
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            header = stripped.lstrip("[").split("]", 1)[0]
            table = ".".join(_key_parts(header))
            continue
        key, equals, rest = stripped.partition("=")
        if not equals:
            continue
        full = ".".join(filter(None, (table, *_key_parts(key))))
        rest = rest.strip()
        if full == base or (rest.startswith("{") and _inline_has(full, rest, base)):
            return number
        for quotes in ('"""', "'''"):
            if rest.startswith(quotes) and rest.count(quotes) == 1:
                closing = quotes
        if rest.startswith("["):
            depth = max(0, _brackets(rest))
    return None


def _key_parts(key: str) -> list[str]:
    return [part.strip().strip("\"'") for part in key.split(".") if part.strip()]


def _brackets(text: str) -> int:
    """Net open square brackets of a line, outside strings and comments (roughly: enough to skip arrays)."""
    count, quote = 0, None
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        else:
            count += (char == "[") - (char == "]")
    return count


def _inline_has(prefix: str, rest: str, path: str) -> bool:
    """Whether the inline table ``rest`` (``{salary = 1, ...}``) under ``prefix`` sets ``path``."""
    if not path.startswith(prefix + "."):
        return False
    inside = rest[1:].split("}", 1)[0]
    for item in inside.split(","):
        key, equals, _ = item.partition("=")
        if equals and ".".join((prefix, *_key_parts(key))) == path:
            return True
    return False


def _check(field: Field, value: Any) -> Any:
    name = field.path
    kind = field.kind
    if kind == "text":
        if not isinstance(value, str) or len(value) > 200:
            raise InputError(name, value, "text of at most 200 characters")
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):  # a sheet or terminal would break on them
            raise InputError(name, value, "text of at most 200 characters without control characters (tabs, "
                             "line breaks, escape codes)")
        return value
    if kind in ("year", "whole"):
        return validate.whole(name, value, int(field.low), int(field.high),
                              "a year" if kind == "year" else "a whole number")
    if kind == "money":
        result = validate.money(name, value)
        if result > field.high:
            raise InputError(name, value, f"an amount of at most ${field.high:,.0f}", kind="num")
        return float(result)
    if kind == "fraction":
        return float(validate.fraction(name, value, upper=field.high))
    if kind == "rate":
        return float(validate.rate(name, value, low=field.low, high=field.high))
    if kind == "choice":
        if field.choices == YES_NO and isinstance(value, bool):
            return "yes" if value else "no"
        if field.choices == ("A", "B") and isinstance(value, str):
            value = value.strip().upper()
            if value in field.choices:
                return value
        return validate.choice(name, value, field.choices)
    if kind == "tiers":
        return _check_tiers(name, value)
    raise AssertionError(kind)


def _check_tiers(name: str, value: Any) -> tuple[tuple[float, float], ...]:
    accepted = (f"a list of at most {MAX_MATCH_TIERS} tiers like [{{rate = 1.0, up_to = 0.03}}, "
                "{rate = 0.5, up_to = 0.05}] with up_to rising")
    if not isinstance(value, (list, tuple)) or len(value) > MAX_MATCH_TIERS:
        raise InputError(name, value, accepted)
    tiers = []
    previous = 0.0
    for index, tier in enumerate(value):
        where = f"{name}[{index}]"
        if isinstance(tier, dict):
            unknown = set(tier) - {"rate", "up_to"}
            if unknown or set(tier) != {"rate", "up_to"}:
                raise InputError(where, tier, "a table with exactly the keys rate and up_to")
            rate, up_to = tier["rate"], tier["up_to"]
        elif isinstance(tier, (list, tuple)) and len(tier) == 2:
            rate, up_to = tier
        else:
            raise InputError(where, tier, accepted)
        rate = validate.fraction(f"{where}.rate", rate, upper=2.0)
        up_to = validate.fraction(f"{where}.up_to", up_to)
        if up_to < previous:
            raise InputError(f"{where}.up_to", up_to, f"at least the previous tier's up_to ({previous:g})",
                             kind="num")
        previous = up_to
        tiers.append((float(rate), float(up_to)))
    return tuple(tiers)


def from_values(values: dict[str, Any], text: str | None = None, *, stated: set[str] | None = None,
                built_in: bool = False) -> Scenario:
    """A scenario from attribute values (missing ones take the defaults), validated.

    This is the Python API: it fills every missing value from the built-in default scenario (the defaults
    are recorded in ``defaults_used``; ``stated``, the paths counted as given, defaults to the keys of
    ``values``). Scenario files go through :func:`loads`, which requires the client's and the plan's facts."""
    checked = {}
    for field in FIELDS:
        attribute = _attribute(field)
        value = values.get(attribute, field.default)
        try:
            checked[attribute] = _check(field, value)
        except InputError as error:
            raise _with_line(error, text, field.path) from None
    if stated is None:
        stated = {f.path for f in FIELDS if _attribute(f) in values}
    defaults = (BUILT_IN,) if built_in else tuple(
        f.path for f in FIELDS if f.path not in stated and f.section and used(f, checked))
    scenario = Scenario(**checked, defaults_used=defaults)
    _check_whole(scenario, text)
    return scenario


class _Nothing:
    def __repr__(self) -> str:
        return "nothing (not in the file)"


def _check_stated(values: dict[str, Any], stated: set[str], text: str | None) -> None:
    """A file states every required fact, and no key that its own options make meaningless."""
    full = {_attribute(f): values.get(_attribute(f), f.default) for f in FIELDS}
    missing = [f for f in FIELDS if f.path not in stated and (
        f.required == "always" or (f.required == "when_used" and used(f, full)))]
    if missing:
        def why(f: Field) -> str:
            if f.used_when and f.required == "when_used":
                decider, _ = f.used_when
                return (f"{f.label.lower()} (needed by {decider} = "
                        f"{_toml_value(full[_attribute(FIELD_BY_PATH[decider])])})")
            return f.label.lower() + (" (match = [] for no match)" if f.kind == "tiers" else "")

        raise InputError(", ".join(f.path for f in missing), _Nothing(),
                         "a value for each: " + "; ".join(why(f) for f in missing), kind="na",
                         hint="the file `megabackdoor init client.toml` writes marks them REQUIRED; every key is "
                              "in udf_docs/scenario.md")
    for field in FIELDS:
        if field.path in stated and not used(field, full):
            decider, accepted = field.used_when
            shown = " or ".join(_toml_value(a) for a in accepted)
            raise _with_line(InputError(
                field.path, values[_attribute(field)],
                f"no {field.key} with {decider} = {_toml_value(full[_attribute(FIELD_BY_PATH[decider])])}: it is "
                f"used only with {decider} = {shown}; choose one"), text, field.path)


def _with_line(error: InputError, text: str | None, path: str) -> InputError:
    line = _line_of(text, path)
    if line is None:
        return error
    hint = f"line {line}" if not error.hint else f"{error.hint}; line {line}"
    return InputError(error.argument, error.value, error.accepted, kind=error.kind, hint=hint)


def _check_whole(scenario: Scenario, text: str | None) -> None:
    age = scenario.start_year - scenario.birth_year
    if not 14 <= age <= 100:
        raise _with_line(InputError("person.birth_year", scenario.birth_year,
                                    f"a birth year giving an age from 14 to 100 in {scenario.start_year}",
                                    kind="num"), text, "person.birth_year")
    if scenario.end_age < scenario.retirement_age:
        raise _with_line(InputError("retirement.end_age", scenario.end_age, f"an age of at least the retirement "
                                    f"age ({scenario.retirement_age})", kind="num"), text, "retirement.end_age")
    if scenario.birth_year + scenario.end_age > validate.LAST_YEAR:
        raise _with_line(InputError("retirement.end_age", scenario.end_age, f"an age reached by "
                                    f"{validate.LAST_YEAR} (at most {validate.LAST_YEAR - scenario.birth_year})",
                                    kind="num"), text, "retirement.end_age")
    for balance, basis in (("existing_after_tax", "existing_after_tax_basis"),
                           ("existing_taxable", "existing_taxable_basis")):
        if getattr(scenario, basis) > getattr(scenario, balance):
            raise _with_line(InputError(f"retirement.{basis}", getattr(scenario, basis), f"at most "
                                        f"retirement.{balance} (${getattr(scenario, balance):,.2f})",
                                        kind="num"), text, f"retirement.{basis}")
    last = scenario.start_year + scenario.years - 1
    if last > validate.LAST_YEAR:
        raise _with_line(InputError("scenario.years", scenario.years,
                                    f"at most {validate.LAST_YEAR - scenario.start_year + 1} years so the "
                                    f"schedule ends by {validate.LAST_YEAR}", kind="num"), text, "scenario.years")


def loads(text: str, default_name: str = "Unnamed scenario") -> Scenario:
    """Parse and validate a scenario from TOML text: the required facts must be stated (see the module)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError("scenario file", "TOML", f"valid TOML ({error})") from None
    except RecursionError:  # arrays or inline tables nested hundreds deep: tomllib recurses per level
        raise InputError("scenario file", "TOML nested hundreds of levels deep", "a scenario's TOML (arrays and "
                         "tables nested a few levels at most)") from None
    values: dict[str, Any] = {}
    sections = sorted({f.section for f in FIELDS if f.section})
    for name, content in data.items():
        if name in FIELD_BY_PATH and not FIELD_BY_PATH[name].section:
            values[_attribute(FIELD_BY_PATH[name])] = content
            continue
        if name not in sections or not isinstance(content, dict):
            shown = "a table" if isinstance(content, dict) else content
            raise _with_line(InputError(name, shown, "name = \"...\" or a section: "
                                        + ", ".join(f"[{s}]" for s in sections)), text, name)
        for key, value in content.items():
            field = FIELD_BY_PATH.get(f"{name}.{key}")
            if field is None:
                keys = ", ".join(f.key for f in FIELDS if f.section == name)
                raise _with_line(InputError(f"{name}.{key}", value, f"one of the keys of [{name}]: {keys}"),
                                 text, f"{name}.{key}")
            values[_attribute(field)] = value
    stated = {f.path for f in FIELDS if _attribute(f) in values}
    values.setdefault("name", default_name)
    if "salary" in values:  # last year's FICA wages: this year's salary unless stated (never the example's)
        values.setdefault("prior_year_fica_wages", values["salary"])
    scenario = from_values(values, text, stated=stated)  # each value's own check first
    _check_stated(values, stated, text)
    return scenario


def load(path: str) -> Scenario:
    """Read and validate a scenario file (the message names the file when it cannot be read); a file without
    ``name`` is named after the file."""
    import os

    try:
        with open(path, "rb") as handle:
            text = decode(handle.read(), str(path))
    except OSError as error:
        raise InputError("scenario", str(path), f"a readable TOML file ({error.strerror})") from None
    stem = os.path.splitext(os.path.basename(path))[0]
    try:
        return loads(text, default_name=stem)
    except InputError as error:
        raise InputError(f"{path}: {error.argument}", error.value, error.accepted, kind=error.kind,
                         hint=error.hint) from None


def decode(data: bytes, path: str = "scenario") -> str:
    """A scenario file's text: UTF-8, with or without the byte-order mark Windows Notepad writes (TOML is
    UTF-8); UTF-16, other encodings and binary files are refused, naming the file and what to do.

    >>> decode(b"\\xef\\xbb\\xbfname = 'x'")
    "name = 'x'"
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    accepted = "a UTF-8 text file (TOML)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("scenario", path, accepted, hint="this file is UTF-16 (Notepad's 'Unicode'): save it "
                                                          "as UTF-8")
    if b"\x00" in data:
        raise InputError("scenario", path, accepted, hint="this file holds binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise InputError("scenario", path, accepted, hint=f"byte 0x{data[error.start]:02x} on line {line} is not "
                         "UTF-8 (a Latin-1 or Windows-1252 file?): save it as UTF-8") from None


def default_scenario() -> Scenario:
    """The built-in default: the article's 2026 case (age 35, $24,500 deferral, $9,000 employer match)."""
    return from_values({}, built_in=True)


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, tuple):
        return "[" + ", ".join(f"{{rate = {r!r}, up_to = {u!r}}}" for r, u in value) + "]"
    return repr(value)


def to_toml(scenario: Scenario) -> str:
    """The scenario as a TOML text that :func:`loads` reads back to the same scenario (keys the scenario's
    options make meaningless, e.g. ``deferral.amount`` with ``policy = "max"``, are left out)."""
    values = scenario.to_dict()
    lines = ["# megabackdoor scenario. Educational, not individual tax advice.",
             f"name = {_toml_value(scenario.name)}"]
    section = None
    for field in FIELDS:
        if not field.section:
            continue
        if field.section != section:
            section = field.section
            lines += ["", f"[{section}]"]
        if used(field, values):  # a key its options make meaningless would not read back
            lines.append(f"{field.key} = {_toml_value(values[_attribute(field)])}  # {field.label}")
    return "\n".join(lines) + "\n"
