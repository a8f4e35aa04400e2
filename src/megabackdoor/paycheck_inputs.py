"""The paycheck planner's inputs, each declared once: its engine keyword, CLI flag, Excel argument and workbook
defined name, with its default and the help each surface shows.

``megabackdoor paycheck`` builds its flags from :data:`INPUTS` (``cli.paycheck_cmd``), the worksheet functions
DEFERRAL_ELECTION, AFTER_TAX_ELECTION and PAYCHECK_SCHEDULE their ``Arg`` lists (``excel.functions_paycheck``,
each ``Arg`` carrying the engine keyword as ``engine_name``), and the Paychecks workbook its input cells
(``workbook.paychecks``). So ``stops_at_402g`` is spelled ``--no-stop-402g``, ``stop_402g`` and ``StopAt402g``
here and nowhere else, and the engine's defaults (:data:`OPTION_DEFAULTS`) are the defaults of every surface.

Constants only (imports nothing but the vocabulary), so the engine, the CLI, the Excel host and the workbook
generator can all read it without importing one another.

>>> stop = BY_ENGINE["stops_at_402g"]
>>> stop.cli, stop.cli_negated, stop.excel, stop.sheet, stop.default
('--no-stop-402g', True, 'stop_402g', 'StopAt402g', True)
"""

from __future__ import annotations

from .cadences import PAY_FREQUENCIES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

REQUIRED: Any = type("Required", (), {"__repr__": lambda self: "REQUIRED"})()
# The election steps the Excel functions document (the engine also takes 0.01, 0.005, 0.001 and its own words).
STEPS = ("1%", "0.5%", "0.1%", "dollars")


class Input:
    """One input of the paycheck planner on every surface.

    engine      the engine's keyword (``megabackdoor.paycheck.solve_elections`` / ``paycheck_schedule``);
    role        "case" (the four positional inputs), "option" (a keyword of both engine calls) or "election"
                (``paycheck_schedule``'s given elections);
    default     the engine's default (``REQUIRED`` for the case inputs);
    kind, unit, choices, blank_zero   how an Excel cell is read (``excel.registry.Arg``);
    excel, help   the Excel argument (short: Excel's VBA wrapper has a 255-character budget) and its tooltip;
    cli, cli_help, cli_type, cli_metavar, cli_negated, cli_repeat   the ``megabackdoor paycheck`` flag: its
                type ("number", "whole", "pair", "bonus"; None for text, "flag" for a switch), and whether the
                switch sets the engine value to False (``--no-stop-402g``) or the flag repeats (``--match``);
    sheet, sheet_row, sheet_label, sheet_style   the Paychecks workbook's defined name (None: not on the
                sheet), input row, label and cell style; row 0 for a block the sheet lays out itself (the
                match tiers MatchRate1.., the bonuses BonusDate1..);
    spellings   other names the engine's messages use for the input ("bonus date" for bonuses).
    """

    __slots__ = ("engine", "role", "default", "kind", "unit", "choices", "blank_zero", "excel", "help", "cli",
                 "cli_help", "cli_type", "cli_metavar", "cli_negated", "cli_repeat", "sheet", "sheet_row",
                 "sheet_label", "sheet_style", "spellings")

    def __init__(self, engine: str, *, role: str = "option", default: Any = REQUIRED, kind: str = "number",
                 unit: str = "", choices: tuple[str, ...] = (), blank_zero: Any = None, excel: str, help: str,
                 cli: str, cli_help: str | None = None, cli_type: str | None = "number",
                 cli_metavar: str | None = None, cli_negated: bool = False, cli_repeat: bool = False,
                 sheet: str | None = None, sheet_row: int = 0, sheet_label: str = "", sheet_style: str = "",
                 spellings: tuple[str, ...] = ()) -> None:
        self.engine = engine
        self.role = role
        self.default = default
        self.kind = kind
        self.unit = unit
        self.choices = choices
        self.blank_zero = blank_zero
        self.excel = excel
        self.help = help
        self.cli = cli
        self.cli_help = cli_help
        self.cli_type = cli_type
        self.cli_metavar = cli_metavar
        self.cli_negated = cli_negated
        self.cli_repeat = cli_repeat
        self.sheet = sheet
        self.sheet_row = sheet_row
        self.sheet_label = sheet_label
        self.sheet_style = sheet_style
        self.spellings = spellings

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def __repr__(self) -> str:
        return f"Input({self.engine!r})"


def _flag(engine: str, default: bool, *, excel: str, help: str, cli: str, cli_help: str, negated: bool = False,
          sheet: str | None = None, sheet_row: int = 0, sheet_label: str = "") -> Input:
    return Input(engine, default=default, kind="flag", excel=excel, help=help, cli=cli, cli_help=cli_help,
                 cli_type="flag", cli_negated=negated, sheet=sheet, sheet_row=sheet_row, sheet_label=sheet_label,
                 sheet_style="mb_input_text")


def _ytd(engine: str, excel: str, what: str, cli_what: str, sheet: str, sheet_row: int, sheet_label: str) -> Input:
    return Input(engine, default=0.0, unit="USD", excel=excel,
                 help=f"{what} this year before first_pay, dollars. Default 0.", cli=f"--{engine.replace('_', '-')}",
                 cli_help=f"{cli_what} at this employer this year before the first pay date, dollars", sheet=sheet,
                 sheet_row=sheet_row, sheet_label=sheet_label, sheet_style="mb_input_money")


# In Excel's argument order (required first); the CLI lists its flags in this order too.
INPUTS: tuple[Input, ...] = (
    Input("first_pay_date", role="case", kind="date", unit="date", excel="first_pay",
          help="First paycheck of the year at this employer (a date); its year is the plan year. A new job or a "
               "mid-year re-plan starts here.",
          cli="--first-pay-date", cli_help="first paycheck of the year here (YYYY-MM-DD)", cli_type=None,
          sheet="FirstPayDate", sheet_row=6, sheet_label="first pay date of the year here (its year is the plan "
                                                         "year)", sheet_style="mb_input_int"),
    Input("frequency", role="case", kind="text", choices=PAY_FREQUENCIES, excel="frequency",
          help="Pay frequency: weekly, biweekly, semimonthly or monthly (27th/53rd pay dates included when the "
               "calendar has them).",
          cli="--frequency", cli_type=None, sheet="PayFrequency", sheet_row=7, sheet_label="pay frequency",
          sheet_style="mb_input_text"),
    Input("pay_per_period", role="case", unit="USD per paycheck", excel="pay",
          help="Gross base pay per paycheck, dollars.", cli="--pay", cli_help="gross base pay per paycheck, dollars",
          sheet="PayPerPeriod", sheet_row=8, sheet_label="base pay per paycheck", sheet_style="mb_input_money"),
    Input("age", role="case", unit="years", excel="age", help="Age attained by 31 December (catch-up at 50+, 60-63).",
          cli="--age", cli_help="age attained by 31 December", cli_type="whole", sheet="Age", sheet_row=9,
          sheet_label="age attained by 31 December", sheet_style="mb_input_int"),
    Input("match", default=None, kind="range", unit="decimals", blank_zero=True, excel="match",
          help="Match tiers: a 2-column range of rate and up-to share of pay, e.g. 1 | 0.03 and 0.5 | 0.05. Blank "
               "= no match.",
          cli="--match", cli_type="pair", cli_repeat=True, cli_metavar="RATE:UP_TO",
          cli_help="a match tier, repeatable: 0.5:0.06 = 50%% of deferrals up to 6%% of pay",
          sheet="MatchRate", spellings=("employer match",)),
    _flag("true_up", False, excel="true_up", help="TRUE if the plan trues up the match after year end. Default "
                                                   "FALSE.",
          cli="--true-up", cli_help="the plan trues up the match after year end", sheet="TrueUp", sheet_row=12,
          sheet_label="plan trues up the match after year end (Y/N)"),
    Input("granularity", default="1%", kind="any", choices=STEPS, blank_zero=True, excel="granularity",
          help="Election step: \"1%\", \"0.5%\", \"0.1%\" or \"dollars\" per paycheck. Default 1%.",
          cli="--granularity", cli_type=None, cli_help="election step: 1%%, 0.5%%, 0.1%% or dollars"),
    Input("max_election", default=1.0, unit="decimal fraction", excel="max_pct",
          help="Most of a paycheck all elections may take together, decimal. Default 1.", cli="--max-election",
          cli_help="most of a paycheck all elections may take, as a fraction (default 1.0)"),
    Input("after_tax_cap", default=None, unit="decimal fraction", excel="after_tax_max",
          help="Most of a paycheck the after-tax election may take, decimal. Default max_pct.",
          cli="--after-tax-cap", cli_help="most of a paycheck the after-tax election may take, as a fraction"),
    Input("bonuses", default=None, kind="range", blank_zero=True, excel="bonuses",
          help="Bonus checks: a range of date | amount [| TRUE/FALSE in plan pay, default TRUE]. Blank rows are "
               "skipped.",
          cli="--bonus", cli_type="bonus", cli_repeat=True, cli_metavar="DATE:AMOUNT[:in|out]",
          cli_help="a bonus check, repeatable; 'out' if plan pay excludes it", sheet="BonusDate",
          spellings=("bonus date", "bonus amount", "bonus in_plan_pay")),
    _flag("separate_bonus_election", False, excel="bonus_election",
          help="TRUE if the plan takes separate elections for bonus checks. Default FALSE.",
          cli="--separate-bonus-election", cli_help="the plan takes separate elections for bonus checks"),
    _flag("stops_at_402g", True, excel="stop_402g",
          help="TRUE if payroll stops deferrals by itself at 402(g) + catch-up. Default TRUE.",
          cli="--no-stop-402g", cli_help="payroll does not stop deferrals by itself at 402(g)", negated=True,
          sheet="StopAt402g", sheet_row=13, sheet_label="payroll stops deferrals at 402(g) + catch-up (Y/N)"),
    _flag("stops_at_415c", False, excel="stop_415c",
          help="TRUE if payroll cuts after-tax money at §415(c) by itself. Default FALSE.",
          cli="--stops-415c", cli_help="payroll cuts after-tax money at 415(c)", sheet="StopAt415c", sheet_row=14,
          sheet_label="payroll cuts after-tax money at §415(c) (Y/N)"),
    _ytd("ytd_compensation", "ytd_pay", "Pay at this employer", "pay", "YtdPay", 16,
         "pay here this year before the first pay date"),
    _ytd("ytd_deferrals", "ytd_deferral", "Deferrals here", "deferrals", "YtdDeferrals", 17,
         "deferrals here before the first pay date"),
    _ytd("ytd_match", "ytd_match", "Match here", "match", "YtdMatch", 18, "match here before the first pay date"),
    _ytd("ytd_after_tax", "ytd_after_tax", "After-tax money here", "after-tax contributions", "YtdAfterTax", 19,
         "after-tax here before the first pay date"),
    Input("other_employer_deferrals", default=0.0, unit="USD", excel="other_deferral",
          help="Deferrals at other employers this year (402(g) is per person), dollars. Default 0.",
          cli="--other-employer-deferrals",
          cli_help="deferrals at other employers this year (402(g) is per person), dollars", sheet="OtherDeferrals",
          sheet_row=15, sheet_label="deferrals at other employers this year", sheet_style="mb_input_money"),
    Input("prior_year_fica_wages", default=None, unit="USD", excel="prior_fica",
          help="Last year's FICA wages from this employer (2026+ Roth catch-up rule). Blank = none.",
          cli="--prior-year-fica-wages", cli_help="last year's FICA wages here (the 2026 Roth catch-up rule)",
          sheet="PriorFicaWages", sheet_row=20, sheet_label="last year's FICA wages here (Roth catch-up rule)",
          sheet_style="mb_input_money"),
    _flag("plan_allows_roth", True, excel="has_roth", help="FALSE if the plan has no Roth deferrals. Default TRUE.",
          cli="--no-roth", cli_help="the plan has no Roth deferrals", negated=True, sheet="PlanHasRoth",
          sheet_row=21, sheet_label="plan has Roth deferrals (Y/N)"),
    # paycheck_schedule's given elections (PAYCHECK_SCHEDULE's last arguments; --deferral shows a year).
    Input("deferral_election", role="election", default=None, unit="decimal fraction or USD", excel="deferral",
          help="A deferral election to show instead of the solved one. Blank = solved.", cli="--deferral",
          cli_help="evaluate this deferral election instead of solving (fraction, or dollars)",
          sheet="DeferralElection", sheet_row=10, sheet_label="pre-tax/Roth election (share of plan pay)",
          sheet_style="mb_input_percent"),
    Input("after_tax_election", role="election", default=0.0, unit="decimal fraction or USD", excel="after_tax",
          help="After-tax election with deferral. Default 0.", cli="--after-tax",
          cli_help="after-tax election with --deferral", sheet="AfterTaxElection", sheet_row=11,
          sheet_label="after-tax election (share of plan pay)", sheet_style="mb_input_percent"),
    Input("bonus_deferral_election", role="election", default=None, unit="decimal fraction", excel="bonus_deferral",
          help="Bonus deferral election with deferral (bonus_election TRUE).", cli="--bonus-deferral",
          cli_help="bonus deferral with --deferral"),
    Input("bonus_after_tax_election", role="election", default=None, unit="decimal fraction",
          excel="bonus_after_tax", help="Bonus after-tax election with deferral (bonus_election TRUE).",
          cli="--bonus-after-tax", cli_help="bonus after-tax with --deferral"),
)

BY_ENGINE: dict[str, Input] = {item.engine: item for item in INPUTS}
CASE: tuple[Input, ...] = tuple(item for item in INPUTS if item.role == "case")
OPTIONS: tuple[Input, ...] = tuple(item for item in INPUTS if item.role == "option")
ELECTIONS: tuple[Input, ...] = tuple(item for item in INPUTS if item.role == "election")
# The engine's plan and year-to-date options with their defaults (``inflation`` and ``catchup_reading`` are
# engine-only settings, not inputs of a paycheck plan).
OPTION_DEFAULTS: dict[str, Any] = {item.engine: item.default for item in OPTIONS}
# The workbook's one-cell inputs, top to bottom, and the engine options it models.
SHEET_INPUTS: tuple[Input, ...] = tuple(sorted((item for item in INPUTS if item.sheet_row), key=lambda i: i.sheet_row))
SHEET_OPTIONS: tuple[Input, ...] = tuple(item for item in OPTIONS if item.sheet)


def message_names(surface: str) -> dict[str, str]:
    """Every spelling the engine's messages use -> the name on ``surface`` ("cli" or "excel"), for messages
    that name what the user typed.

    >>> names = message_names("cli")
    >>> names["stops_at_402g"], names["bonus date"], message_names("excel")["ytd_compensation"]
    ('--no-stop-402g', '--bonus', 'ytd_pay')
    """
    names = {}
    for item in INPUTS:
        name = getattr(item, surface)
        for spelling in (item.engine, *item.spellings):
            names[spelling] = name
    return names
