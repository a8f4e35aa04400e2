"""One vocabulary: each set of choices and each shared default is defined once, in megabackdoor.cadences."""

from __future__ import annotations

import json
import os

from megabackdoor import cadences, limits, paycheck, retirement, scenario, tax
from megabackdoor.paycheck import case as paycheck_case


def test_every_module_reads_the_one_list():
    assert tax.FILING_STATUSES is cadences.FILING_STATUSES is retirement.FILING_STATUSES
    assert scenario.FILING_STATUSES == ("marginal_rate", *cadences.FILING_STATUSES)
    assert paycheck.FREQUENCIES is cadences.PAY_FREQUENCIES is scenario.PAY_FREQUENCIES
    # the paycheck package reads the granularities where it parses the input case
    assert paycheck_case.GRANULARITIES is cadences.GRANULARITIES
    assert limits.DEFAULT_INFLATION == tax.DEFAULT_INFLATION == cadences.DEFAULT_INFLATION == 0.025
    assert limits.LAST_PUBLISHED_YEAR == tax.LAST_PUBLISHED_YEAR == cadences.LAST_PUBLISHED_YEAR
    assert tax.FIRST_TABLE_YEAR == retirement.FIRST_TAX_YEAR == cadences.FIRST_TAX_YEAR


def test_the_data_files_agree_with_the_vocabulary():
    data = os.path.join(os.path.dirname(cadences.__file__), "data")
    with open(os.path.join(data, "limits.json"), encoding="utf-8") as handle:
        assert json.load(handle)["last_published_year"] == cadences.LAST_PUBLISHED_YEAR
    with open(os.path.join(data, "federal_brackets.json"), encoding="utf-8") as handle:
        brackets = json.load(handle)
    assert max(int(year) for year in brackets["years"]) == cadences.LAST_PUBLISHED_YEAR
    assert min(int(year) for year in brackets["years"]) == cadences.FIRST_TAX_YEAR
    assert set(brackets["years"][str(cadences.LAST_PUBLISHED_YEAR)]["brackets"]) == set(cadences.FILING_STATUSES)
