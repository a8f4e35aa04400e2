"""Printed workbooks: every stock workbook and seeded random plans printed to PDF by LibreOffice, read back
page by page with pdftotext; and ``--pdf`` on the CLI (refusals, a missing LibreOffice, nothing left behind).

Page budgets (pages per sheet, counted from the header, which names the sheet on every page):

* planning workbook: Inputs <= 2, Limits <= 2, Schedule <= 3 (up to 20 years; 43 printed columns, three pages
  wide at a readable scale, one page tall) and <= 6 up to 40 years, Summary 1 (both charts whole beside the
  totals), Retirement <= 3 (19 printed columns one landscape page wide, the engine's other columns and the
  workings outside the print area; the default plan's 31 years on one page, the chart on the next), Tables 1,
  Sources & notes <= 2, any sheet added later <= 2; the default 10-year plan prints those seven sheets on 12
  pages;
* paycheck planner: Paychecks <= 4 (26 biweekly paychecks under the inputs, two pages wide), Calendar <= 2,
  Limits 1, Notes 1;
* ACP census template: Test <= 2, one page for each other sheet while empty (Census: its header row, two pages
  wide); with 120 rows pasted the Census sheet grows to 3-6 pages (its print area follows the rows);
* ACP report (6-row census): one page per sheet.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from _seeds import rng
from _tiers import need_tool

from megabackdoor.cli import main
from megabackdoor.workbook import pdf as pdf_module

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "workbook_templates"
ERRORS = re.compile(r"###|Err:\d|#N/A|#VALUE!|#NAME\?|#DIV/0!|#REF!|#NUM!")
PLAN_BUDGET = {"Inputs": 2, "Limits": 2, "Schedule": 3, "Summary": 1, "Retirement": 3, "Tables": 1,
               "Sources & notes": 2}
PAYCHECK_BUDGET = {"Paychecks": 4, "Calendar": 2, "Limits": 1, "Notes": 1}
OTHER_SHEET_BUDGET = 2  # a sheet added to a workbook later (e.g. a Retirement sheet) prints on 2 pages at most
RANDOM_SHAPES = ((2026, 10), (2025, 8), (2028, 12), (2026, 25), (2026, 40))


def _pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext -layout; pages are separated by form feeds)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1]


def _sheet_of(page: str) -> str:
    # The header: "<workbook title>  ...  <sheet name>" on the first line of every page.
    first = next(line for line in page.splitlines() if line.strip())
    return re.split(r"\s{2,}", first.strip())[-1]


def _per_sheet(pages: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for page in pages:
        counts[_sheet_of(page)] = counts.get(_sheet_of(page), 0) + 1
    return counts


def _words(pdf: Path) -> list[list[tuple[float, float, float, str]]]:
    """Each page's words as (xMin, yMin, xMax, word), from pdftotext -bbox (points from the top left)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
    return [[(float(a), float(b), float(c), d) for a, b, c, d in word.findall(page)]
            for page in html.split("<page ")[1:]]


@pytest.fixture(scope="module")
def printed(printed_files):
    """(book -> the text of each page, the random scenarios)."""
    files, scenarios = printed_files
    return {stem: _pages(pdf) for stem, pdf in files.items()}, scenarios


@pytest.fixture(scope="module")
def printed_files(tmp_path_factory):
    """Every stock workbook and 10 seeded random plans, printed in one LibreOffice run by the product's own
    --pdf path (workbook/pdf.py: its private profile, its print-area staging), not the suite's session."""
    need_tool("soffice", "apt-get install libreoffice-calc-nogui")
    need_tool("pdftotext", "apt-get install poppler-utils")
    from test_workbook_recalc import random_scenario

    from megabackdoor.workbook import plan, render

    folder = tmp_path_factory.mktemp("printed")
    pairs = [(path, folder / (path.stem + ".pdf")) for path in sorted(TEMPLATES.glob("*.xlsx"))]
    generator = rng("workbook-pdf")
    scenarios = {}
    for index in range(10):
        scenario = random_scenario(generator, RANDOM_SHAPES[index % len(RANDOM_SHAPES)], index)
        path = folder / f"random-{index}.xlsx"
        render.save(plan.build(scenario), path)
        pairs.append((path, folder / f"random-{index}.pdf"))
        scenarios[f"random-{index}"] = scenario
    # The ACP census template with 120 rows pasted: its print area grows to them.
    from megabackdoor.workbook import acp_template

    book = acp_template.build()
    census = book.sheets[1]
    for r in range(2, 122):
        pay = 50_000 + 1_000 * r
        row = (f"E{r}", pay, pay - 2_000, "N", "Y", round(0.03 * pay, 2), 1_000 * (r % 7), 20_000)
        for letter, value in zip("ABCDEFGH", row, strict=True):
            census.cells[f"{letter}{r}"].value = value
    render.save(book, folder / "acp-census-filled.xlsx")
    pairs.append((folder / "acp-census-filled.xlsx", folder / "acp-census-filled.pdf"))
    pdf_module.to_pdf(pairs)
    return {Path(pdf).stem: Path(pdf) for _, pdf in pairs}, scenarios


def test_no_page_shows_an_error_or_a_cell_too_narrow(printed):
    pages_by_book, _ = printed
    assert len(pages_by_book) == 16
    for name, pages in pages_by_book.items():
        for number, page in enumerate(pages, 1):
            found = ERRORS.findall(page)
            assert not found, f"{name}.pdf page {number}: {found}"


def test_every_page_has_the_header_and_the_footer(printed):
    pages_by_book, _ = printed
    for name, pages in pages_by_book.items():
        for number, page in enumerate(pages, 1):
            assert f"Page {number} of {len(pages)}" in page, (name, number)
            assert "not individual tax advice" in page, (name, number)


def test_plans_fit_their_page_budgets_and_every_schedule_page_shows_the_year(printed):
    pages_by_book, scenarios = printed
    plans = {"default-plan": 10, "catch-up-50-and-60-63": None, "no-match-10pct-cap": None}
    plans.update({name: scenario.years for name, scenario in scenarios.items()})
    for name in plans:
        pages = pages_by_book[name]
        counts = _per_sheet(pages)
        years = plans[name] or 10
        budget = dict(PLAN_BUDGET, Schedule=3 if years <= 20 else 6)
        assert set(budget) <= set(counts), (name, counts)
        for sheet, count in counts.items():
            assert count <= budget.get(sheet, OTHER_SHEET_BUDGET), (name, counts)
        for page in pages:
            if _sheet_of(page) == "Schedule":
                assert re.search(r"^\s*Year\b", page, re.MULTILINE), f"{name}: a Schedule page without Year"
                assert "2026" in page or name.startswith("random"), name
    default = _per_sheet(pages_by_book["default-plan"])
    assert default["Retirement"] == 2, default
    assert sum(default[sheet] for sheet in PLAN_BUDGET) == 12, default


def test_paychecks_and_acp_census_fit_their_budgets(printed):
    pages_by_book, _ = printed
    counts = _per_sheet(pages_by_book["paychecks"])
    assert set(PAYCHECK_BUDGET) <= set(counts)
    assert all(counts[sheet] <= PAYCHECK_BUDGET.get(sheet, OTHER_SHEET_BUDGET) for sheet in counts), counts
    empty = _per_sheet(pages_by_book["acp-census"])
    assert {sheet: empty[sheet] for sheet in ("Census", "Limits", "Notes")} == {
        "Census": 2, "Limits": 1, "Notes": 1}, empty  # Census: its header row, two pages wide
    assert empty["Test"] <= 2, empty
    assert all(count <= OTHER_SHEET_BUDGET for count in empty.values()), empty
    filled = _per_sheet(pages_by_book["acp-census-filled"])
    assert 3 <= filled["Census"] <= 6, filled  # 120 rows and the header on each page
    census_text = "".join(page for page in pages_by_book["acp-census-filled"] if _sheet_of(page) == "Census")
    assert "E121" in census_text and "E2 " in census_text


def test_the_paycheck_disclaimer_prints_whole_on_every_page(printed_files):
    """The Paychecks sheet prints two pages wide with its label columns (A:B) repeated; the top block's text
    (title, disclaimer, note) is in column A, so it must wrap within those columns: text running on past them
    is cut on the second page (only the columns of that page print beside the label columns). pdftotext
    ignores the clipping, so the check is on positions: every word of the disclaimer in the sheet (not the
    footer) lies left of the first column after the label columns, found from the table's header row ("#",
    "pay date", then the first column of that page)."""
    from megabackdoor import DISCLAIMER

    files, _ = printed_files
    expected = DISCLAIMER.split()
    checked = 0
    sheets = [_sheet_of(page) for page in _pages(files["paychecks"])]
    for number, words in enumerate(_words(files["paychecks"]), 1):
        if sheets[number - 1] != "Paychecks":
            continue
        text = [w for _, _, _, w in words]
        starts = [i for i in range(len(text)) if text[i:i + len(expected)] == expected]
        body = sorted(starts, key=lambda i: words[i][1])[:-1]  # the last, lowest copy is the footer
        if not body:
            continue
        header = next(i for i in range(len(text) - 2) if text[i:i + 3] == ["#", "pay", "date"])
        date = words[header + 2]
        edge = min(x0 for x0, y0, _, _ in words if abs(y0 - date[1]) < 1 and x0 > date[2])
        for i in body:
            run = words[i:i + len(expected)]
            assert " ".join(w for _, _, _, w in run) == DISCLAIMER, number
            assert max(x1 for _, _, x1, _ in run) < edge, (f"paychecks.pdf page {number}: the disclaimer runs "
                                                            f"past the label columns (x {edge:.0f}): cut on the "
                                                            "pages that repeat them")
            checked += 1
    assert checked == 2  # the top block prints on page 1 and, beside the second half of the columns, page 3


def test_the_default_plan_prints_its_numbers(printed):
    pages_by_book, _ = printed
    text = "\n".join(pages_by_book["default-plan"])
    # Summary of the article's case (engine values, also checked by the recalculation tests).
    assert "$811,000.00" in text  # total into the 401(k) over 2026-2035
    assert "Default plan: the article's 2026 case" in text


# --pdf on the command line -------------------------------------------------------------------------------


def test_pdf_refuses_a_name_without_pdf(tmp_path, capsys):
    assert main(["workbook", "--pdf", str(tmp_path / "plan.xlsx")]) == 2
    assert "--pdf" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_missing_libreoffice_is_one_line_that_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOFFICE", str(tmp_path / "no-soffice"))
    assert main(["workbook", "-o", str(tmp_path / "plan.xlsx"), "--pdf", str(tmp_path / "plan.pdf")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len([line for line in err if "error" in line]) == 1
    assert "LibreOffice" in err[-1] and "apt-get install libreoffice-calc-nogui" in err[-1]
    assert list(tmp_path.iterdir()) == []  # not even the workbook


def test_existing_pdf_is_kept_without_force(tmp_path, capsys):
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"mine")
    assert main(["workbook", "-o", str(tmp_path / "plan.xlsx"), "--pdf", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert target.read_bytes() == b"mine" and sorted(p.name for p in tmp_path.iterdir()) == ["plan.pdf"]


def test_pdf_is_refused_with_out_dir(tmp_path, capsys):
    assert main(["workbook", str(TEMPLATES / "default-plan.toml"), "--out-dir", str(tmp_path),
                 "--pdf", str(tmp_path / "x.pdf")]) == 2
    assert list(tmp_path.iterdir()) == []


def test_failed_conversion_leaves_nothing_behind(tmp_path, monkeypatch):
    # A "soffice" that exits 0 and writes nothing (as soffice does on a file it cannot load).
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("SOFFICE", str(fake))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(pdf_module.PdfError, match="wrote no PDF"):
        pdf_module.write_with_pdf(lambda path, force: Path(path).write_bytes(b"x"), None, str(out / "a.pdf"))
    assert list(out.iterdir()) == [] and list((tmp_path / "tmp").iterdir()) == []
    # Through the CLI with -o: no workbook either (all or nothing), one line, exit 1.
    assert main(["workbook", "-o", str(out / "plan.xlsx"), "--pdf", str(out / "plan.pdf")]) == 1
    assert list(out.iterdir()) == [] and list((tmp_path / "tmp").iterdir()) == []


def test_workbook_pdf_writes_both_files(tmp_path, capsys):
    need_tool("soffice", "apt-get install libreoffice-calc-nogui")
    assert main(["workbook", "-o", str(tmp_path / "plan.xlsx"), "--pdf", str(tmp_path / "plan.pdf")]) == 0
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.pdf", "plan.xlsx"]
    # Only the PDF (the workbook goes through a temporary folder that is removed).
    assert main(["paycheck", "--pdf", str(tmp_path / "pay.pdf"), "--first-pay-date", "2026-01-02",
                 "--frequency", "biweekly", "--pay", "5000", "--age", "35", "--match", "0.5:0.06"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pay.pdf", "plan.pdf", "plan.xlsx"]
    pages = _pages(tmp_path / "pay.pdf")
    assert _per_sheet(pages)["Paychecks"] >= 1 and not ERRORS.findall("".join(pages))


ACP_CENSUS = """Employee ID,Compensation,Prior Year Compensation,5% Owner,Eligible,Match,After-Tax
A,200000,200000,N,Y,6000,14000
B,100000,200000,N,Y,3000,7000
C,200000,200000,N,Y,4000,0
N1,100000,100000,N,Y,2000,0
N2,100000,100000,N,Y,1000,1000
X,100000,500000,N,N,0,0
"""


def test_acp_report_prints_each_sheet_on_a_page_with_every_money_column_readable(tmp_path, capsys):
    need_tool("soffice", "apt-get install libreoffice-calc-nogui")
    need_tool("pdftotext", "apt-get install poppler-utils")
    census = tmp_path / "census.csv"
    census.write_text(ACP_CENSUS)
    assert main(["acp", str(census), "--year", "2026", "--no-progress", "--pdf", str(tmp_path / "acp.pdf")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acp.pdf", "census.csv"]
    pages = _pages(tmp_path / "acp.pdf")
    counts = _per_sheet(pages)
    assert {sheet: counts[sheet] for sheet in ("Summary", "Refunds", "Sensitivity", "Participants")} == {
        "Summary": 1, "Refunds": 1, "Sensitivity": 1, "Participants": 1}, counts
    assert all(count <= OTHER_SHEET_BUDGET for count in counts.values()), counts
    text = "".join(pages)
    assert not ERRORS.findall(text)
    # Hand-computed (tests/test_acp_cli.py): 7.33% HCE ACP, $15,000.00 excess, refunds by 2027-03-15.
    assert "7.33%" in text and "$15,000.00" in text and "2027-03-15" in text


def _print_everything(source: Path, target: Path) -> None:
    """A copy of a workbook that prints every cell of every sheet at 100%: no print areas, no fit to page
    (the columns left out of the printout must be wide enough too)."""
    import zipfile

    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in archive.infolist():
            data = archive.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb'<definedName name="_xlnm.Print_Area"[^>]*>[^<]*</definedName>', b"", data)
            elif item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b' fitToPage="1"', b"")
            copy.writestr(item, data)


def test_no_cell_of_any_sheet_is_too_narrow_at_100_percent(tmp_path, libreoffice):
    """Every column, printed or not (the Limits tax tables, the Schedule workings), is wide enough for its
    values at 100% zoom: LibreOffice shows ### where a number does not fit. (The census template's columns
    are checked with 120 rows pasted, above.)"""
    need_tool("soffice", "apt-get install libreoffice-calc-nogui")
    need_tool("pdftotext", "apt-get install poppler-utils")
    from megabackdoor.scenario import default_scenario
    from megabackdoor.workbook import plan, render

    longest = tmp_path / "longest.xlsx"
    render.save(plan.build(default_scenario().replace(years=40, salary=450_000, expected_return=0.1)), longest)
    pairs = []
    for source in (TEMPLATES / "default-plan.xlsx", TEMPLATES / "paychecks.xlsx", longest):
        everything = tmp_path / ("all-" + source.name)
        _print_everything(source, everything)
        pairs.append((everything, tmp_path / (everything.stem + ".pdf")))
    for everything, pdf in pairs:  # the suite's LibreOffice session (tests/recalc.py): no start-up per file
        libreoffice.convert(everything, pdf, "calc_pdf_Export")
    for _, pdf in pairs:
        pages = _pages(pdf)
        assert len(pages) > 8, pdf.name  # every column printed, over many pages
        for number, page in enumerate(pages, 1):
            assert "###" not in page, f"{pdf.name} page {number} ({_sheet_of(page)})"
