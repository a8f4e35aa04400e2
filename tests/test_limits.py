"""Limits data and statutory projection (§415(d), §1(f)(3))."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _seeds import scaled
from hypothesis import given, settings
from hypothesis import strategies as st

from megabackdoor import InputError
from megabackdoor.limits import (
    LAST_PUBLISHED_YEAR,
    LIMIT_NAMES,
    PUBLISHED,
    irs_limit,
    limit_record,
    limits_for_year,
    load,
    statutory_value,
)

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "irs-limits.json"


def test_data_file_has_one_record_per_limit_with_unit_label_and_reference():
    data = load()
    assert tuple(data["limits"]) == LIMIT_NAMES
    for name in LIMIT_NAMES:
        record = limit_record(name)
        assert record["unit"] == "USD" and record["label"] and "IRC §" in record["statute"]
        for year, entry in record["values"].items():
            assert entry["status"] == "published"
            assert "Notice" in entry["source"] or "IRC" in entry["source"], (name, year)


# Published values typed in from the IRS notices (Notice 2013-73 to Notice 2025-67), independent of the
# data file, so a typo in either one fails.
PUBLISHED_TABLE = {
    # year: 402g, catchup_50, catchup_60_63, 415c, 401a17, hce, ira, ira_catchup
    2014: (17500, 5500, None, 52000, 260000, 115000, 5500, 1000),
    2015: (18000, 6000, None, 53000, 265000, 120000, 5500, 1000),
    2016: (18000, 6000, None, 53000, 265000, 120000, 5500, 1000),
    2017: (18000, 6000, None, 54000, 270000, 120000, 5500, 1000),
    2018: (18500, 6000, None, 55000, 275000, 120000, 5500, 1000),
    2019: (19000, 6000, None, 56000, 280000, 125000, 6000, 1000),
    2020: (19500, 6500, None, 57000, 285000, 130000, 6000, 1000),
    2021: (19500, 6500, None, 58000, 290000, 130000, 6000, 1000),
    2022: (20500, 6500, None, 61000, 305000, 135000, 6000, 1000),
    2023: (22500, 7500, None, 66000, 330000, 150000, 6500, 1000),
    2024: (23000, 7500, None, 69000, 345000, 155000, 7000, 1000),
    2025: (23500, 7500, 11250, 70000, 350000, 160000, 7000, 1000),
    2026: (24500, 8000, 11250, 72000, 360000, 160000, 7500, 1100),
}
COLUMNS = ("402g", "catchup_50", "catchup_60_63", "415c", "401a17", "hce", "ira", "ira_catchup")


@pytest.mark.parametrize("year", sorted(PUBLISHED_TABLE))
def test_published_values_match_the_irs_table(year):
    for name, expected in zip(COLUMNS, PUBLISHED_TABLE[year], strict=True):
        if expected is None:
            with pytest.raises(InputError) as caught:
                irs_limit(name, year)
            assert caught.value.kind == "na" and "2025 or later" in str(caught.value)
        else:
            value = irs_limit(name, year)
            assert (value.value, value.status) == (expected, "published")


def test_data_file_agrees_with_the_reference_json():
    if not REFERENCE.exists():
        pytest.skip(f"reference file not beside the repo: {REFERENCE}")
    reference = json.loads(REFERENCE.read_text())
    for year in range(2014, LAST_PUBLISHED_YEAR + 1):
        for name in LIMIT_NAMES:
            assert PUBLISHED.get((name, year)) == reference[str(year)][name], (name, year)


def test_2026_values_the_stale_tools_get_wrong():
    # Projected figures shipped as published ones: a peer ships 24,000 / 71,000 / 355,000 / 7,500 as "2026".
    assert [irs_limit(n, 2026).value for n in ("402g", "415c", "401a17", "catchup_50")] == [
        24500, 72000, 360000, 8000]
    # The seed article's stale figures: 2026 IRA is 7,500 and the catch-up 8,000.
    assert irs_limit("ira", 2026).value == 7500


def test_roth_catchup_threshold_and_phaseouts():
    assert irs_limit("roth_catchup_wage_threshold", 2026).value == 150000
    assert irs_limit("roth_catchup_wage_threshold", 2025).value == 145000
    with pytest.raises(InputError):
        irs_limit("roth_catchup_wage_threshold", 2023)
    assert irs_limit("roth_ira_phaseout", 2026).value == {
        "single": {"start": 153000, "end": 168000}, "mfj": {"start": 242000, "end": 252000},
        "mfs": {"start": 0, "end": 10000}}


FAMILY_415D = ("402g", "catchup_50", "catchup_60_63", "415c", "401a17", "hce", "roth_catchup_wage_threshold")


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("name", FAMILY_415D)
def test_statutory_rule_reproduces_published_415d_family(name, year):
    # From the BLS CPI-U (CUUR0000SA0) July-September sums (944.637 for 2024, 971.824 for 2025).
    assert statutory_value(name, year) == PUBLISHED[(name, year)]


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("name", ["ira", "ira_catchup", "roth_ira_phaseout"])
def test_statutory_rule_reproduces_published_1f3_family(name, year):
    assert statutory_value(name, year) == PUBLISHED[(name, year)]


def test_415c_2026_step_by_step():
    # 971.824 / 533.3 = 1.822284... -> 1.82228 -> 1.8223; 40,000 x 0.8223 = 32,892 -> 32,000 -> 72,000.
    assert statutory_value("415c", 2026) == 40000 + 32000


# §415(d) projected 2027 values (from the 2025 Q3 CPI-U sum 971.824) at Q3 growth of 2.0 / 2.5 / 3.0 / 3.5 %.
PROJECTED_2027 = {
    "415c": (74000, 74000, 75000, 75000),
    "402g": (25000, 25000, 25000, 25500),
    "catchup_50": (8000, 8000, 8000, 8500),
    "401a17": (370000, 370000, 375000, 375000),
    "hce": (165000, 165000, 165000, 170000),
    "roth_catchup_wage_threshold": (155000, 155000, 155000, 155000),
    "catchup_60_63": (11250, 11250, 11250, 11250),
}


@pytest.mark.parametrize("name", sorted(PROJECTED_2027))
def test_projection_2027_matches_reference_scenarios(name):
    for inflation, expected in zip((0.02, 0.025, 0.03, 0.035), PROJECTED_2027[name], strict=True):
        value = irs_limit(name, 2027, inflation=inflation)
        assert (value.value, value.status) == (expected, "projected"), inflation


def test_catchup_60_63_readings_diverge_in_2027():
    assert irs_limit("catchup_60_63", 2027, catchup_reading="A").value == 11250
    assert irs_limit("catchup_60_63", 2027, catchup_reading="B").value == 11750
    assert "reading B" in irs_limit("catchup_60_63", 2027, catchup_reading="B").reference


def test_projected_limit_never_falls_in_deflation():
    assert irs_limit("415c", 2027, inflation=-0.05).value == 72000
    assert irs_limit("402g", 2030, inflation=-0.02).value == 24500


@settings(max_examples=scaled(60), deadline=None)
@given(inflation=st.floats(min_value=-0.1, max_value=0.15), name=st.sampled_from(LIMIT_NAMES))
def test_projected_limits_never_fall_year_to_year(inflation, name):
    previous = irs_limit(name, LAST_PUBLISHED_YEAR).value
    for year in range(LAST_PUBLISHED_YEAR + 1, LAST_PUBLISHED_YEAR + 25):
        value = irs_limit(name, year, inflation=inflation).value
        if isinstance(value, dict):
            assert all(value[g]["start"] >= previous[g]["start"] for g in value)
        else:
            assert value >= previous
        previous = value


def test_limits_for_year_lists_what_exists():
    assert "catchup_60_63" not in limits_for_year(2024)
    assert set(limits_for_year(2027)) == set(LIMIT_NAMES)
    assert all(v.status == "projected" for v in limits_for_year(2027).values())


@pytest.mark.parametrize(("args", "argument", "kind"), [
    (("415c", 2013), "year", "num"),
    (("415c", 2026.5), "year", "num"),
    (("415c", "2026"), "year", "value"),
    (("415x", 2026), "name", "value"),
    (("415c", 2030, 3.0), "inflation", "num"),
    (("415c", 2030, float("nan")), "inflation", "num"),
])
def test_bad_input_names_the_argument(args, argument, kind):
    with pytest.raises(InputError) as caught:
        irs_limit(*args)
    assert caught.value.argument == argument and caught.value.kind == kind
    assert str(caught.value).startswith(f"{argument}: got ")


def test_unknown_name_lists_the_accepted_names():
    with pytest.raises(InputError) as caught:
        irs_limit("401k", 2026)
    assert "'415c'" in str(caught.value) and "'roth_ira_phaseout'" in str(caught.value)
