"""The Summary sheet (totals, year-end balances, two charts over the Schedule) and the Sources & notes sheet
of the planning workbook."""

from __future__ import annotations

from ... import __version__, limits
from ...scenario import Scenario
from ..layout import Chart, Formula, Series, Sheet
from ..limits_sheet import LIMIT_COLUMNS
from .common import DISCLAIMER_TEXT, LAYOUT_VERSION, SCHEDULE, SOURCES, SUMMARY
from .schedule_sheet import column_letters

SUMMARY_TOTALS = (
    ("Elective deferrals", "deferral"),
    ("  of which Roth", "roth_deferral"),
    ("Employer money", "employer"),
    ("After-tax (mega-backdoor) contributions", "after_tax_contribution"),
    ("Total into the 401(k)", "total_contributions"),
    ("Earnings converted (taxable)", "earnings_converted"),
    ("Conversion tax", "conversion_tax"),
)
SUMMARY_FINAL = (
    ("Roth basis (after-tax dollars converted)", "roth_basis"),
    ("Mega-backdoor Roth balance", "roth_balance"),
    ("Taxable-account alternative", "taxable_balance"),
    ("Roth advantage after conversion tax", "advantage"),
)


def summary_sheet(scenario: Scenario) -> Sheet:
    col = column_letters()
    last = scenario.years + 1
    sheet = Sheet(SUMMARY, column_widths={"A": 44, "B": 18, "C": 4}, tab_color="ED7D31")
    sheet.put("A1", "Summary", style="mb_title")
    sheet.put("A2", DISCLAIMER_TEXT, style="mb_disclaimer")
    sheet.put("A3", "Scenario", style="mb_label")
    sheet.put("B3", Formula("=ScenarioName"), style="mb_text")
    sheet.put("A4", "Years", style="mb_label")
    sheet.put("B4", Formula(f"='{SCHEDULE}'!{col['year']}2&\"-\"&'{SCHEDULE}'!{col['year']}{last}"), style="mb_text")
    sheet.put("A6", "Totals over the schedule", style="mb_heading")
    row = 7
    for label, key in SUMMARY_TOTALS:
        sheet.put(f"A{row}", label, style="mb_label")
        sheet.put(f"B{row}", Formula(f"=SUM('{SCHEDULE}'!{col[key]}2:{col[key]}{last})"), style="mb_total_money")
        row += 1
    row += 1
    sheet.put(f"A{row}", "At the end of the last year", style="mb_heading")
    row += 1
    for label, key in SUMMARY_FINAL:
        sheet.put(f"A{row}", label, style="mb_label")
        sheet.put(f"B{row}", Formula(f"='{SCHEDULE}'!{col[key]}{last}"), style="mb_total_money")
        row += 1
    sheet.put(f"A{row + 1}", "Highlighted on Schedule: deferrals at the legal limit (green), after-tax room cut "
              "by the plan cap or by pay (orange), projected limits (grey).", style="mb_note")

    def ref(key: str) -> str:
        return f"'{SCHEDULE}'!${col[key]}$2:${col[key]}${last}"

    def title(key: str) -> str:
        return f"'{SCHEDULE}'!${col[key]}$1"

    categories = ref("year")
    # The column stacks only what counts toward §415(c), so it never rises above the limit line; catch-ups sit
    # outside §415(c) (§414(v)(3)(A)) and get their own line.
    stacked = tuple(Series(label, ref(key), title(key)) for label, key in (
        ("Deferrals inside §415(c)", "non_catchup_deferral"), ("Employer money", "employer"),
        ("After-tax contribution", "after_tax_contribution")))
    sheet.charts.append(Chart("stacked_column", "D1", "Contributions by bucket vs the §415(c) limit", categories,
                              stacked, line_series=(Series("§415(c) limit", ref("limit_415c_used"),
                                                           title("limit_415c_used")),
                                                    Series("Catch-up (outside §415(c))", ref("catchup_used"))),
                              y_title="Dollars", x_title="Year"))
    sheet.charts.append(Chart("line", "D20", "Roth vs taxable balance", categories,
                              (Series("Roth balance", ref("roth_balance"), title("roth_balance")),
                               Series("Taxable alternative", ref("taxable_balance"), title("taxable_balance"))),
                              y_title="Dollars", x_title="Year"))
    return sheet


def sources_sheet(scenario: Scenario, projected_years: list[int]) -> Sheet:
    sheet = Sheet(SOURCES, column_widths={"A": 34, "B": 120})
    lines: list[tuple[str, str, str]] = [
        ("Sources & notes", "", "mb_title"),
        ("Disclaimer", DISCLAIMER_TEXT, "mb_disclaimer"),
        ("Generator", f"megabackdoor {__version__} (workbook layout {LAYOUT_VERSION})", "mb_text"),
        ("Scenario", scenario.name, "mb_text"),
        ("", "", "mb_text"),
        ("Limits", "", "mb_heading"),
    ]
    for name, _, _, header in LIMIT_COLUMNS:
        record = limits.limit_record(name)
        rule = record["indexing"]
        lines.append((header, f"{record['statute']}. Indexing: {rule['method']} from ${rule.get('base_amount', 0):,}"
                      f" (base CPI {rule.get('base_period', '')}), rounded {rule['rounding']} to "
                      f"${rule['step']:,}.", "mb_text"))
    lines.append(("Published values", "IRS cost-of-living notices, cited per year on the Limits sheet (column J).",
                  "mb_text"))
    shown = ", ".join(str(y) for y in projected_years) if projected_years else "none"
    lines.append(("Projected years", f"{shown}: not IRS figures; computed on the Limits sheet from the Inflation "
                  "input with each limit's statutory rule.", "mb_text"))
    t = limits.threshold
    lines += [
        ("", "", "mb_text"),
        ("Rules", "", "mb_heading"),
        ("§415(c) room", "min(§415(c) dollars, 100% of compensation) - non-catch-up deferrals - employer money, "
         "floored at 0; capped by the plan's after-tax cap x pay capped at §401(a)(17). IRC §415(c)(1)-(2), "
         "§401(a)(17).", "mb_text"),
        ("Catch-ups", f"Age attained by 31 December (§414(v)(5)(A)); {t('catchup_60_63_min_age')}-"
         f"{t('catchup_60_63_max_age')} get the §414(v)(2)(E) amount from {t('catchup_60_63_first_year')}; "
         "excluded from §415(c) only to the extent used (§414(v)(3)(A), Treas. Reg. §1.414(v)-1).", "mb_text"),
        ("Roth catch-ups", f"From {t('roth_catchup_first_year')} catch-ups are Roth when prior-year FICA wages "
         "exceed the threshold "
         "(§414(v)(7), Notice 2023-62, T.D. 10033).", "mb_text"),
        ("Employer match", "Tier rates on deferrals within each band of pay capped at §401(a)(17); rounded to the "
         "cent.", "mb_text"),
        ("Conversion", "Earnings between contribution and conversion are taxable on conversion; the after-tax "
         "basis is not (IRC §402A(c)(4), §408A(d)(3)(A), Notice 2014-54).", "mb_text"),
        ("Earnings before conversion", "After-tax money arrives each payday (n a year) and converts at the first "
         "of m fixed conversion dates after the settlement lag; closed form of megabackdoor.conversion (Inputs: "
         "Conversion model), a 365-day year, steady state: each year converts its own contributions.", "mb_text"),
        ("Conversion at separation", "With cadence at_separation, or when the plan offers neither an in-plan "
         "conversion nor an in-service withdrawal, nothing converts while employed: everything converts on 31 "
         "December of the last year (assumed separation) and its earnings are taxed then. Notice 2014-54 also "
         "lets the earnings go to a traditional IRA untaxed instead.", "mb_text"),
        ("Conversion tax", "Marginal rate x taxable part, or the federal rate schedule of the filing status: "
         "tax(income + taxable part) - tax(income), 2025-2026 published (Rev. Proc. 2024-40, 2025-32), later "
         "years indexed by chained CPI-U and rounded down to $25/$50 (Limits sheet, columns O-AC); plus the "
         "flat state rate.", "mb_text"),
        ("", "", "mb_text"),
        ("Assumptions", "", "mb_heading"),
        ("Pay", "Salary and bonus grow by the salary growth input each year; taxable income too.", "mb_text"),
        ("Balances", "Each payday's after-tax contribution grows from its payday to 31 December, converted or "
         "not (Inputs: ConvGrowth); the balance is Roth money plus after-tax money awaiting conversion. The "
         "taxable alternative invests the same dollars on the same paydays and loses the tax-drag share of "
         "each year's return; advantage = balance - taxable - conversion tax paid to date.", "mb_text"),
        ("Not modelled", "ACP testing refunds, state-specific rules, the five-year rules (the retirement years, "
         "with RMDs, are on the Retirement sheet).", "mb_text"),
        ("Recalculation", "Every number is a live formula; the workbook asks Excel to recalculate on open.",
         "mb_text"),
    ]
    for index, (label, text, style) in enumerate(lines, 1):
        if label:
            sheet.put(f"A{index}", label, style=style if style in ("mb_title", "mb_heading") else "mb_label")
        if text:
            sheet.put(f"B{index}", text, style=style)
    return sheet
