"""The project's vocabulary: the one list of each set of choices that the engine, scenarios, Excel functions,
workbooks and CLI all read (conversion cadences, pay frequencies, filing statuses, election granularities),
and the shared defaults (assumed inflation, the last year of published IRS limits).

Constants only (no imports), so an Excel host or the CLI can name the choices without loading the engine.
"""

# How often after-tax money is converted (megabackdoor.conversion.conversion_earnings).
CADENCES: tuple[str, ...] = ("daily", "weekly", "per_paycheck", "semimonthly", "monthly", "quarterly",
                             "semiannual", "annual", "n_per_year", "at_separation")

# The same for a multi-year schedule, per_paycheck (the default) first: the order of the workbook's list.
SCHEDULE_CADENCES: tuple[str, ...] = ("per_paycheck", "daily", "weekly", "semimonthly", "monthly", "quarterly",
                                      "semiannual", "annual", "n_per_year", "at_separation")

# How often an employee is paid (the paycheck planner, scenarios and the planning workbook).
PAY_FREQUENCIES: tuple[str, ...] = ("weekly", "biweekly", "semimonthly", "monthly")

# Federal filing statuses (IRC §1(a)-(d), §2(a)-(b)): single, married filing jointly, married filing
# separately, head of household, qualifying surviving spouse (taxed on the joint schedule).
FILING_STATUSES: tuple[str, ...] = ("single", "mfj", "mfs", "hoh", "qss")

# The IRS limits by name: the keys of data/limits.json (megabackdoor.limits checks they agree on loading).
LIMIT_NAMES: tuple[str, ...] = (
    "402g", "catchup_50", "catchup_60_63", "415c", "401a17", "hce", "ira", "ira_catchup",
    "roth_catchup_wage_threshold", "roth_ira_phaseout",
)

# Paycheck election granularity word -> election step in thousandths (0.1%) of pay; "dollars" means whole
# dollars per paycheck.
GRANULARITIES: dict[str, int] = {"whole_percent": 10, "half_percent": 5, "tenth_percent": 1, "dollars": 0}

# Assumed annual growth of the CPI indexes past the last known value (projected limits and tax brackets).
DEFAULT_INFLATION = 0.025

# The first year of the federal rate schedules in data/federal_brackets.json (Rev. Proc. 2024-40).
FIRST_TAX_YEAR = 2025

# The last year whose IRS retirement-plan limits (Notice 2025-67) and federal rate schedules
# (Rev. Proc. 2025-32) are published; later years are projected.
LAST_PUBLISHED_YEAR = 2026
