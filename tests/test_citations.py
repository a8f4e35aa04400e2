"""Docs that stand alone: nothing under src/ or tests/ cites a file or an issue outside the repository.

Docstrings, comments and the data files' notes cite the statute, regulation, notice or revenue procedure
(and the BLS series for index data), never a path outside the repository (``../shared/reference/...``) or a
section of the working notes, an issue number, another project's parameter file (PolicyEngine, Tax-Calculator)
or "see README" (the package is installed without the README). Tests say what they test the same way; a test
may still read a data file beside the repository (that is test data, not a citation).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "megabackdoor"
TESTS = ROOT / "tests"
OUTSIDE = re.compile("|".join((
    r"\.\./",                                   # a path that climbs out of the package
    r"shared/reference",                        # the working notes the project was written from
    r"\bissues?\s*#?\d+",                       # this project's issue numbers
    r"\bthe\s+issue'?s\b",                       # ... or "the issue's case"
    r"\.md\s*§|\breference\s*§",                  # a section of the working notes ("rules.md §6")
    r"policy\s*engine|tax-?calculator|\btaxcalc\b|policy_current_law",
    r"numpy[-_ ]financial",
    r"\.ya?ml\b",                               # another project's parameter file
    r"see\s+(the\s+)?readme|readme\s*:",        # the README is not installed with the package
)), re.IGNORECASE)
# "#17": an issue number unless it names the third-party project whose tracker documents a host's behaviour
# (no statute covers what Excel or xlwings sends for a blank cell): "xlwings #776", "OfficeDev/office-js #4702".
NUMBER = re.compile(r"(?<![\w&\"#])#[1-9]\d{0,5}\b")
UPSTREAM = ("xlwings", "office-js")
TEXT_SUFFIXES = (".py", ".json", ".toml", ".txt", ".md", ".bas", ".js")


def outside_references(text: str) -> list[str]:
    found = [match.group(0) for match in OUTSIDE.finditer(text)]
    for match in NUMBER.finditer(text):
        before = text[max(0, match.start() - 40):match.start()].lower()
        if not any(project in before for project in UPSTREAM):
            found.append(match.group(0))
    return found


@pytest.mark.parametrize("text", [
    "see ../shared/reference/limits.md", "as in issue 18", "(issue #12)", "fixed in #17",
    "PolicyEngine gov/bls/cpi/c_cpi_u.yaml", "Tax-Calculator NIIT_thd", "(see README: Sources)",
    "the style of numpy-financial", "irs-limits-and-rules.md §1", "Reference §3: projected 2027",
    "The issue's client"])
def test_the_check_finds_outside_references(text):
    assert outside_references(text)


@pytest.mark.parametrize("text", [
    "IRC §415(c)(1)(A); Notice 2025-67 (IR-2025-111)", "Rev. Proc. 2025-32", "Treas. Reg. §1.414(v)-1(b)",
    "BLS series SUUR0000SA0", "udf_docs/index.md", "the colour #5B9BD5", "an error (#VALUE!)",
    "data/limits.json \"thresholds\"", "xlwings #776, #1108", "(OfficeDev/office-js #4702)",
    "MONEY = '\"$\"#,##0.00;[Red]-\"$\"#,##0.00'"])
def test_the_check_leaves_citations_and_files_in_the_repository_alone(text):
    assert not outside_references(text)


def _outside_references_under(folder: Path, skip: tuple[str, ...] = ()) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        # Installed third-party code is not ours: node_modules, and hidden folders such as tests/jspath/.cache
        # (the virtualenv the JavaScript-path tier builds).
        if (path.suffix not in TEXT_SUFFIXES or path.name in skip
                or not {"__pycache__", "node_modules"}.isdisjoint(parts) or any(p.startswith(".") for p in parts)):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found += [f"{path.relative_to(ROOT)}:{number}: {hit!r} in {line.strip()[:100]}"
                      for hit in outside_references(line)]
    return found


def test_nothing_under_src_cites_a_file_or_issue_outside_the_repository():
    found = _outside_references_under(SRC)
    assert not found, "cite the statute, regulation or notice instead:\n" + "\n".join(found)


def test_no_test_cites_a_file_or_issue_outside_the_repository():
    # This file names what the check finds, so it is the one file left out.
    found = _outside_references_under(TESTS, skip=(Path(__file__).name,))
    assert not found, "say what the test checks (the statute, regulation, notice, behaviour):\n" + "\n".join(found)
