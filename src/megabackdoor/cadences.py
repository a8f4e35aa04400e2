"""Conversion cadences: the one list the engine, scenarios, Excel functions and CLI all read.

Constants only (no imports), so an Excel host or the CLI can name the choices without loading the engine.
"""

# How often after-tax money is converted (megabackdoor.conversion.conversion_earnings).
CADENCES: tuple[str, ...] = ("daily", "weekly", "per_paycheck", "semimonthly", "monthly", "quarterly",
                             "semiannual", "annual", "n_per_year", "at_separation")

# The same for a multi-year schedule, per_paycheck (the default) first: the order of the workbook's list.
SCHEDULE_CADENCES: tuple[str, ...] = ("per_paycheck", "daily", "weekly", "semimonthly", "monthly", "quarterly",
                                      "semiannual", "annual", "n_per_year", "at_separation")
