"""RMD and RETIREMENT_MIX: required minimum distributions and the retirement income mix.

Engine: :mod:`megabackdoor.retirement` (the Uniform Lifetime Table, SECURE 2.0 start ages, the withdrawal
order, bracket-filling Roth conversions, federal tax with long-term gains stacked at 0/15/20%).
"""

from __future__ import annotations

from ..cadences import DEFAULT_INFLATION
from .registry import Arg, Example, Function

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The spilled columns (megabackdoor retire --csv has every column).
TABLE_COLUMNS = ("year", "age", "spending", "other_income", "rmd", "income_pretax", "income_taxable",
                 "income_roth", "conversion", "federal_tax", "shortfall", "pretax_end", "roth_end", "taxable_end")


def retirement_mix_table(first_year: Any, birth_year: Any, end_age: Any, pretax: Any, roth: Any, taxable: Any,
                         taxable_basis: Any, spending: Any, filing_status: Any = "single",
                         expected_return: Any = 0.06, inflation: Any = DEFAULT_INFLATION, other_income: Any = 0.0,
                         other_income_age: Any = 67, withdrawal_order: Any = "taxable_first",
                         pretax_bracket: Any = "22%", conversion_bracket: Any = "none",
                         taxable_tax_drag: Any = 0.15) -> list[list[Any]]:
    """RETIREMENT_MIX's spill: a header row, then one row per retirement year."""
    from .. import retirement, validate
    from ..errors import InputError
    from ..rounding import excel_round

    year = validate.year("first_year", first_year)
    if year < retirement.FIRST_TAX_YEAR:
        raise InputError("first_year", first_year, "2025 or later", kind="num")
    born = validate.whole("birth_year", birth_year, 1900, year, "a birth year")
    last = validate.whole("end_age", end_age, year - born, validate.LAST_YEAR - born,
                          "an age from the first year's age")
    balances = {name: validate.money(name, value) for name, value in
                (("pretax", pretax), ("roth", roth), ("taxable", taxable), ("taxable_basis", taxable_basis))}
    if balances["taxable_basis"] > balances["taxable"]:
        raise InputError("taxable_basis", taxable_basis, f"at most taxable ({balances['taxable']:,.2f})", kind="num")
    rate = validate.rate("expected_return", expected_return, low=-0.5, high=0.5)
    drag = validate.fraction("taxable_tax_drag", taxable_tax_drag)
    settings = retirement.Settings(
        year, born, last, year, validate.money("spending", spending), validate.money("other_income", other_income),
        validate.whole("other_income_age", other_income_age, 0, 150, "an age"), 0.85,
        validate.choice("filing_status", filing_status, retirement.FILING_STATUSES), rate, rate * (1 - drag),
        validate.rate("inflation", inflation, low=-0.5, high=0.5),
        validate.choice("withdrawal_order", withdrawal_order, retirement.WITHDRAWAL_ORDERS),
        validate.choice("pretax_bracket", pretax_bracket, retirement.BRACKET_LABELS),
        validate.choice("conversion_bracket", conversion_bracket, retirement.CONVERSION_BRACKETS), 0.24, 0.15)
    start = dict.fromkeys(retirement.BUCKETS, 0.0)
    start.update(balances)
    projection = retirement.simulate(start, settings)
    return [list(TABLE_COLUMNS)] + [[excel_round(value, 2) if type(value) is float else value
                                     for value in (row[key] for key in TABLE_COLUMNS)] for row in projection.rows]


_HEADER = list(TABLE_COLUMNS)

FUNCTIONS = [
    Function(
        "RMD",
        engine="megabackdoor.retirement:rmd",
        description="Required minimum distribution for a year: prior 31 December pre-tax balance / the Uniform "
                    "Lifetime Table divisor for the age; 0 before the start age (73, or 75 if born 1960+).",
        args=[
            Arg("balance", "Pre-tax balance on 31 December of the prior year, dollars.", unit="USD"),
            Arg("age", "Age attained by 31 December of the distribution year.", unit="years"),
            Arg("birth_year", "Birth year: decides the start age (72 born 1949-50, 73 born 1951-59, 75 born "
                "1960 or later).", unit="year"),
        ],
        returns="The year's required minimum distribution, to the cent", unit="USD",
        examples=[
            Example((100000, 75, 1950), 4065.04, note="$100,000 / 24.6"),
            Example((500000, 73, 1952), 18867.92, note="$500,000 / 26.5 (the first RMD year for 1952)"),
            Example((100000, 74, 1960), 0.0, note="born 1960: RMDs start at 75"),
            Example((-1, 75, 1950), error="#NUM!"),
        ],
        citation="Treas. Reg. §1.401(a)(9)-5, §1.401(a)(9)-9(c) (Uniform Lifetime Table, 2022 on); IRC "
                 "§401(a)(9)(C) as amended by SECURE 2.0 §107; none from Roth accounts (SECURE 2.0 §325)",
        rule="RMD = ROUND(balance / divisor(age), 2) when age >= the start age for the birth year, else 0; "
             "divisor 27.4 at 72 down to 2.0 at 120 and over.",
    ),
    Function(
        "RETIREMENT_MIX",
        engine=retirement_mix_table,
        table=True,
        description="Retirement years from starting balances: spending, other income, RMDs, withdrawals by tax "
                    "character, Roth conversions, federal tax, shortfall and year-end balances. Spills a table.",
        args=[
            Arg("first_year", "First retirement year, 2025 or later.", unit="year"),
            Arg("birth_year", "Birth year (age = year - birth year).", unit="year"),
            Arg("end_age", "Age of the last year shown.", unit="years"),
            Arg("pretax", "Pre-tax 401(k)/IRA balance on 1 January of the first year.", unit="USD"),
            Arg("roth", "Roth balance on 1 January of the first year.", unit="USD"),
            Arg("taxable", "Taxable brokerage balance on 1 January of the first year.", unit="USD"),
            Arg("taxable_basis", "Cost basis of the taxable account (at most its balance).", unit="USD"),
            Arg("spending", "Spending in the first year, grown by inflation; last year's tax is paid on top.",
                unit="USD per year"),
            Arg("filing_status", "Federal filing status. Default single.", kind="text",
                choices=("single", "mfj", "mfs", "hoh", "qss"), default="single"),
            Arg("expected_return", "Return a year, decimal. Default 0.06.", unit="decimal rate", default=0.06),
            Arg("inflation", f"Spending growth and bracket indexing after 2026, decimal. Default {DEFAULT_INFLATION}.",
                unit="decimal rate", default=DEFAULT_INFLATION),
            Arg("other_income", "Social Security / other income in the first year's dollars (85% taxed). "
                "Default 0.", unit="USD per year", default=0.0),
            Arg("other_income_age", "Age the other income starts. Default 67.", unit="years", default=67),
            Arg("withdrawal_order", "taxable_first or pretax_first. Default taxable_first.", kind="text",
                choices=("taxable_first", "pretax_first"), default="taxable_first"),
            Arg("pretax_bracket", "taxable_first: pre-tax withdrawals fill up to this bracket before Roth. "
                "Default 22%.", kind="text", choices=("10%", "12%", "22%", "24%", "32%", "35%", "37%"),
                default="22%"),
            Arg("conversion_bracket", "Convert pre-tax to Roth up to this bracket before the RMD age (none: "
                "no conversions). Default none.", kind="text",
                choices=("none", "10%", "12%", "22%", "24%", "32%", "35%"), default="none"),
            Arg("taxable_tax_drag", "Share of the taxable account's return lost to tax each year. Default "
                "0.15.", unit="decimal fraction", default=0.15),
        ],
        returns="A table: a header row (" + ", ".join(TABLE_COLUMNS) + ") and one row per year, money to the cent",
        unit="USD (years and ages as marked)",
        examples=[
            Example((2026, 1961, 65, 1000000, 0, 0, 0, 0, "single", 0.0, 0.025, 0, 67, "taxable_first", "22%",
                     "22%"),
                    [_HEADER, [2026, 65, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 121800.0, 17966.0, 0.0, 878200.0,
                               121800.0, 0.0]],
                    note="a conversion that fills the 22% bracket: $105,700 + the $16,100 deduction"),
            Example((2026, 1951, 75, 400000, 0, 0, 0, 0), [_HEADER, [
                2026, 75, 0.0, 0.0, 16260.16, 16260.16, 0.0, 0.0, 0.0, 16.02, 0.0, 406764.23, 0.0, 17089.43]],
                note="age 75: the RMD is $400,000 / 24.6; unspent, it is reinvested"),
            Example((2024, 1961, 70, 1, 0, 0, 0, 0), error="#NUM!", note="tax tables start in 2025"),
        ],
        citation="Treas. Reg. §1.401(a)(9)-9(c); IRC §401(a)(9)(C), §72(e)(8), §1(h), §1(j), §63(c); Rev. "
                 "Proc. 2024-40, 2025-32",
        rule="Each year: need = spending + last year's tax - other income; RMD first, then the withdrawal order; "
             "conversions fill the bracket before the RMD age; tax = rate schedule on ordinary income less the "
             "standard deduction + gains stacked at 0/15/20%; balances grow at the return (taxable: less drag).",
        array_note="One call spills every year; each argument is a single cell.",
    ),
]
