"""``megabackdoor acp``: text, JSON, the report workbook, no overwriting without --force, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from megabackdoor.cli import main

CENSUS = """Employee ID,Compensation,Prior Year Compensation,5% Owner,Eligible,Match,After-Tax
A,200000,200000,N,Y,6000,14000
B,100000,200000,N,Y,3000,7000
C,200000,200000,N,Y,4000,0
N1,100000,100000,N,Y,2000,0
N2,100000,100000,N,Y,1000,1000
X,100000,500000,N,N,0,0
"""


@pytest.fixture
def census_path(tmp_path):
    path = tmp_path / "census.csv"
    path.write_text(CENSUS)
    return path


def test_text_output_states_the_result_refunds_and_deadlines(census_path, capsys):
    assert main(["acp", str(census_path), "--year", "2026", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "FAIL" in out and "7.33%" in out and "$15,000.00" in out
    assert "2027-03-15" in out and "2027-12-31" in out and "not individual tax advice" in out


def test_json_output(census_path, capsys):
    assert main(["acp", str(census_path), "--year", "2026", "--json", "--earnings-rate", "0.05"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["test"]["limit"] == 0.04 and data["correction"]["total_excess"] == 15000.0
    assert data["correction"]["earnings"] == 750.0
    assert [p["refund"] for p in data["participants"][:3]] == [12500.0, 2500.0, 0.0]


def test_report_workbook_and_no_clobber(census_path, tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "report.xlsx"
    assert main(["acp", str(census_path), "--year", "2026", "-o", str(out)]) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "Refunds", "Sensitivity", "Participants"]
    for name in ("Summary", "Refunds", "Sensitivity", "Participants"):
        text = " ".join(str(c.value) for row in book[name].iter_rows(max_row=3) for c in row if c.value)
        assert "not individual tax advice" in text
    rules = [rule for rng in book["Sensitivity"].conditional_formatting for rule in rng.rules]
    assert rules and rules[0].type == "colorScale"
    participants = book["Participants"]
    assert participants.max_row == 8 and participants["B3"].value == "A" and participants["N3"].value == 12500
    refunds = book["Refunds"]
    assert [refunds.cell(4, c).value for c in (1, 2, 7)] == [2, "A", 12500]
    before = out.read_bytes()
    assert main(["acp", str(census_path), "--year", "2026", "-o", str(out)]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert main(["acp", str(census_path), "--year", "2025", "-o", str(out), "--force"]) == 0
    assert load_workbook(out)["Summary"]["A1"].value.endswith("plan year 2025")


def test_bad_census_exits_2_with_row_and_column(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(CENSUS.replace("N1,100000", "N1,1OOOOO"))
    assert main(["acp", str(path), "--year", "2026"]) == 2
    err = capsys.readouterr().err
    assert "row 5, column 'Compensation' (compensation): got '1OOOOO'" in err


def test_column_mapping_option(tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text(CENSUS.replace("Compensation,Prior", "Pay 2026,Prior"))
    assert main(["acp", str(path), "--year", "2026", "--json", "--column", "compensation=Pay 2026"]) == 0
    assert json.loads(capsys.readouterr().out)["test"]["hce_count"] == 3
    with pytest.raises(SystemExit) as exited:
        main(["acp", str(path), "--year", "2026", "--column", "compensation"])
    assert exited.value.code == 2 and "expected FIELD=HEADER" in capsys.readouterr().err


def test_prior_year_first_year_option(census_path, capsys):
    assert main(["acp", str(census_path), "--year", "2026", "--testing", "prior", "--prior-nhce-acp", "first-year",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["test"]["nhce_acp"] == 0.03


def test_acp_rules_is_core_light():
    # The worksheet functions ACP_LIMIT / ACP_TEST run on the core: no pandas, numpy or slow stdlib modules.
    # Importing it loads nothing slow; calling it (fractions, on first use) still loads no heavy package.
    code = ("import sys, megabackdoor.acp_rules as r; "
            "print(' '.join(m for m in ('pandas', 'numpy', 'openpyxl', 'typing', 'dataclasses', 'json', 're', "
            "'decimal', 'fractions') if m in sys.modules)); r.acp_test([0.05], [0.04]); "
            "print(' '.join(m for m in ('pandas', 'numpy', 'openpyxl') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["", ""]


def test_large_tables_are_streamed_with_the_same_values(census_path, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    import megabackdoor.workbook.acp_report as acp_report

    styled = tmp_path / "styled.xlsx"
    assert main(["acp", str(census_path), "--year", "2026", "-o", str(styled), "--json"]) == 0
    monkeypatch.setattr(acp_report, "STYLED_ROWS", 2)
    monkeypatch.setattr(acp_report, "STREAM_CHUNK", 4)   # two chunks for six rows
    streamed = tmp_path / "streamed.xlsx"
    assert main(["acp", str(census_path), "--year", "2026", "-o", str(streamed), "--json"]) == 0

    def rows(path):
        return [[c.value for c in row] for row in load_workbook(path)["Participants"].iter_rows()]

    assert rows(streamed) == rows(styled)
    assert rows(streamed)[2][:4] == [2, "A", True, True]
    with pytest.raises(FileExistsError):
        acp_report.save(None, streamed)


@pytest.mark.parametrize("styled_rows", [100_000, 2])
def test_census_text_is_never_written_as_a_formula(tmp_path, monkeypatch, styled_rows):
    import zipfile

    from openpyxl import load_workbook

    import megabackdoor.workbook.acp_report as acp_report

    monkeypatch.setattr(acp_report, "STYLED_ROWS", styled_rows)
    hostile = ['"=HYPERLINK(""http://x.test"",""click"")"', "+1+1", "-2-2", "@SUM(A1)"]
    lines = CENSUS.splitlines()
    rows = [lines[0]] + [f"{hostile[i]},{line.split(',', 1)[1]}" if i < len(hostile) else line
                         for i, line in enumerate(lines[1:])]
    census = tmp_path / "hostile.csv"
    census.write_text("\n".join(rows) + "\n")
    report = tmp_path / "report.xlsx"
    assert main(["acp", str(census), "--year", "2026", "-o", str(report), "--json"]) == 0
    with zipfile.ZipFile(report) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    ids = [row[1].value for row in load_workbook(report)["Participants"].iter_rows(min_row=3)]
    assert ids[:4] == ['=HYPERLINK("http://x.test","click")', "+1+1", "-2-2", "@SUM(A1)"]
