"""The scenario file, described from :data:`megabackdoor.scenario.FIELDS` so the words cannot drift from the code.

* :func:`template` is what ``megabackdoor init client.toml`` writes: every key, grouped as the Inputs sheet
  groups them, with its unit, its accepted values and its default; the facts a file must state are left
  commented out with an example value, so the file is refused (naming them) until they are filled in.
* :func:`reference` is ``udf_docs/scenario.md`` (written by ``megabackdoor docs``): the same, as tables, with
  a worked client example whose numbers are computed when the page is generated.

>>> from megabackdoor.scenario import loads
>>> loads(template())  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
megabackdoor.errors.InputError: person.birth_year, pay.salary, deferral.policy, employer.match: got nothing...
"""

from __future__ import annotations

import textwrap

from . import DISCLAIMER, __version__
from .scenario import FIELD_BY_PATH, FIELDS, REQUIRED, Field, _toml_value

SECTIONS = {
    "": "Name",
    "scenario": "The schedule: first year and number of years",
    "person": "The client",
    "pay": "Pay",
    "deferral": "Elective deferrals (pre-tax or Roth)",
    "employer": "Employer money",
    "plan": "Plan features",
    "conversion": "Conversions of after-tax money to Roth",
    "tax": "Tax on converted earnings",
    "assumptions": "Assumptions",
    "retirement": "Retirement (after the last schedule year)",
}


def section_title(section: str) -> str:
    return SECTIONS.get(section) or section.replace("_", " ").capitalize()

# The worked client example: 2026, age 52, $310,000 salary, Roth deferrals with catch-up, a
# 50%-of-6% match, after-tax up to 15% of pay, converted in the plan each month.
EXAMPLE_CLIENT = '''\
name = "Client, age 52"

[scenario]
start_year = 2026
years = 10

[person]
birth_year = 1974            # age 52 in 2026: the age-50 catch-up applies

[pay]
salary = 310000

[deferral]
policy = "max"               # §402(g) + the catch-up for the age
roth_fraction = 1            # all Roth

[employer]
match = [{rate = 0.5, up_to = 0.06}]   # 50% of deferrals up to 6% of pay

[plan]
after_tax_allowed = "yes"
in_plan_conversion = "yes"
in_service_withdrawal = "no"
after_tax_cap = 0.15         # the plan takes after-tax money up to 15% of pay

[conversion]
cadence = "monthly"          # in-plan Roth conversion each month
'''


def accepted(field: Field) -> str:
    """What a key accepts, in words."""
    kind = field.kind
    if kind == "text":
        return "text of at most 200 characters"
    if kind == "year":
        return f"a year from {field.low:g} to {field.high:g}"
    if kind == "whole":
        return f"a whole number from {field.low:g} to {field.high:g}"
    if kind == "money":
        return f"dollars from {field.low:,.0f} to {field.high:,.0f}"
    if kind == "fraction":
        return f"a decimal fraction from {field.low:g} to {field.high:g} (0.10 = 10%)"
    if kind == "rate":
        return f"a decimal rate from {field.low:g} to {field.high:g} (0.03 = 3%)"
    if kind == "choice":
        return "one of " + ", ".join(_toml_value(c) for c in field.choices)
    if kind == "tiers":
        return "a list of at most 3 tiers {rate = ..., up_to = ...} with up_to rising; [] = no match"
    raise AssertionError(kind)


def default_text(field: Field) -> str:
    """The default as the docs state it (a required key has none)."""
    if field.required == "always":
        return "none: required"
    if field.path == "name":
        return "the file name"
    if field.path == "pay.prior_year_fica_wages":
        return "the salary"
    value = _toml_value(field.default)
    if field.required == "when_used":
        return f"none: required when {_condition(field)}"
    return value


def _condition(field: Field) -> str:
    decider, values = field.used_when
    others = [c for c in FIELD_BY_PATH[decider].choices if c not in values]
    if len(values) > 2 and len(others) == 1:
        return f"{decider} is not {_toml_value(others[0])}"
    return f"{decider} = " + " or ".join(_toml_value(v) for v in values)


def _used_only(field: Field) -> str:
    if not field.used_when:
        return ""
    return f"Used only when {_condition(field)}; stating it otherwise is an error."


# What the commented-out REQUIRED lines show: the worked client's values, marked so they are not taken for
# defaults.
EXAMPLES = {"person.birth_year": "1974", "pay.salary": "310000", "deferral.policy": '"max"',
            "employer.match": "[{rate = 0.5, up_to = 0.06}]", "deferral.amount": "24500",
            "deferral.percent": "0.06", "conversion.conversions_per_year": "12", "tax.taxable_income": "250000"}


def _example(field: Field) -> str:
    if field.path in EXAMPLES:
        return f"{EXAMPLES[field.path]}    # REQUIRED" + (f" when {_condition(field)}" if field.used_when else "")
    return _toml_value(field.default)


def template() -> str:
    """The commented scenario file ``megabackdoor init`` writes."""
    lines = [
        f"# megabackdoor scenario (written by `megabackdoor init`, megabackdoor {__version__}).",
        f"# {DISCLAIMER}",
        "#",
        "# Fill in the keys marked REQUIRED (remove the '# ' in front and put the client's value). Every other key",
        "# shows its default, commented out: uncomment a line to state the value. Whatever is not stated takes",
        "# its default, and every command says which defaults it used (`megabackdoor plan client.toml`).",
        "# A key that the chosen options make meaningless (marginal_rate with a filing status) is an error.",
        "# Reference: udf_docs/scenario.md. Rates and fractions are decimals: 0.06 for 6%.",
    ]
    section = None
    for field in FIELDS:
        if field.section != section:
            section = field.section
            lines += ["", f"# --- {section_title(section)} ---"]
            if section:
                lines.append(f"[{section}]")
        flag = "REQUIRED" if field.required == "always" else (
            f"REQUIRED when {_condition(field)}" if field.required == "when_used" else f"default {default_text(field)}")
        words = f"{field.label} ({flag}): {accepted(field)}. {field.note} {_used_only(field)}".strip()
        lines += textwrap.wrap(words, 110, initial_indent="# ", subsequent_indent="#   ", break_on_hyphens=False)
        if field.path == "name":
            lines.append('# name = "Client name"')
        else:
            lines.append(f"# {field.key} = {_example(field)}")
    return "\n".join(lines) + "\n"


def money(value: float) -> str:
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference() -> str:
    """``udf_docs/scenario.md``: every key, and the worked client example computed now."""
    from .scenario import defaults_line, loads
    from .schedule import schedule_rows

    out = [
        "<!-- Generated by `megabackdoor docs` from src/megabackdoor/scenario.py; do not edit by hand. -->",
        "",
        "# Scenario files",
        "",
        "A scenario is a TOML file that `megabackdoor plan`, `schedule` and `workbook` read. "
        "`megabackdoor init client.toml` writes one with every key below, commented, to fill in. " + DISCLAIMER,
        "",
        "* **Facts about the client and the plan have no default**: a file must state "
        + ", ".join(f"`{p}`" for p in REQUIRED)
        + " (`match = []` states that there is no match), and the keys the chosen options need (e.g. "
        "`deferral.amount` with `policy = \"fixed\"`). A file without them is refused with the missing keys named.",
        "* **Assumptions default**, and every command says which defaults it used: one line on stderr "
        "(`plan` prints it with the headline numbers) and a *Defaults used* block on the workbook's Inputs sheet.",
        "* **A key that the options make meaningless is an error**, not ignored: `tax.marginal_rate` with "
        "`filing_status = \"mfj\"`, `deferral.amount` with `policy = \"max\"`: choose one.",
        "* A bad value is reported with its key, the value, what is accepted and its line.",
        "",
    ]
    section = None
    for field in FIELDS:
        if field.section != section:
            section = field.section
            out += [f"## {section_title(section)}" + (f" `[{section}]`" if section else ""), "",
                    "| key | accepted | default | meaning |", "|---|---|---|---|"]
        note = f"{field.label}. {field.note} {_used_only(field)}".strip()
        out.append(f"| `{field.key}` | {_cell(accepted(field))} | {_cell(default_text(field))} | {_cell(note)} |")
        if field is FIELDS[-1] or FIELDS[FIELDS.index(field) + 1].section != section:
            out.append("")
    scenario = loads(EXAMPLE_CLIENT)
    first = schedule_rows(scenario)[0]
    out += [
        "## A worked client",
        "",
        "2026, age 52, $310,000 salary, Roth deferrals with the catch-up, a match of 50% of deferrals up to 6% of "
        "pay, after-tax contributions allowed up to 15% of pay and converted in the plan each month:",
        "",
        "```toml",
        EXAMPLE_CLIENT.rstrip(),
        "```",
        "",
        "(the same file is `workbook_templates/clients/client-52.toml`). Then:",
        "",
        "```sh",
        "uv run megabackdoor plan workbook_templates/clients/client-52.toml",
        "uv run megabackdoor workbook workbook_templates/clients/client-52.toml -o client-52.xlsx",
        "```",
        "",
        f"First year: deferral {money(first['deferral'])} (the $24,500 §402(g) limit plus the "
        f"{money(first['catchup_used'])} catch-up, which sits outside §415(c)), employer match "
        f"{money(first['employer'])} (50% x 6% x $310,000), so the after-tax room is "
        f"{money(first['limit_415c'])} - {money(first['deferral'] - first['catchup_used'])} - "
        f"{money(first['employer'])} = **{money(first['after_tax_room'])}**, under the plan's 15% cap of "
        f"{money(first['plan_cap_amount'])}. `plan` also says (and `retire` adds the [retirement] defaults):",
        "",
        "```",
        defaults_line(scenario, skip=("retirement",)),
        "```",
        "",
        "so the return, inflation, salary growth and the flat 24% tax rate are assumptions to check with the "
        "client; state them in the file to replace the defaults.",
        "",
    ]
    return "\n".join(out)
