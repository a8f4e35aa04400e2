"""``megabackdoor nondiscrimination``: both tests in order on one census, text, JSON and the report workbook."""

from __future__ import annotations

import json
import zipfile

import pytest

from megabackdoor.cli import main

# H: $200,000, defers $24,500 (12.25%), age 55; B: $150,000, $12,000 (8%); NHCEs 4% and 3.33% -> 3.665% ->
# 3.67%, limit 5.67%. Leveled to 5.67%: $13,160 + $3,495 = $16,655; by dollars H $14,577.50 (of which $8,000
# becomes catch-up, $6,577.50 is distributed), B $2,077.50.
CENSUS = """Employee ID,Compensation,Prior Year Compensation,5% Owner,Eligible,Match,After-Tax,Deferrals,Age
"=HYPERLINK(""http://x.test"",""y"")",200000,200000,N,Y,7500,10000,24500,55
B,150000,200000,N,Y,3000,5000,12000,40
N1,100000,100000,N,Y,2000,0,4000,30
N2,60000,60000,N,Y,1000,1000,2000,45
"""


@pytest.fixture
def census_path(tmp_path):
    path = tmp_path / "census.csv"
    path.write_text(CENSUS)
    return path


def test_text_output_walks_the_steps_in_order(census_path, capsys):
    assert main(["nondiscrimination", str(census_path), "--year", "2026", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "ADP FAIL, ACP FAIL" in out
    assert "1. ADP: HCE 10.13% vs limit 5.67% (NHCE 3.67%, +2 points): FAIL" in out
    assert "excess contributions $16,655.00" in out and "catch-up contributions (stay in the plan): $8,000.00" in out
    assert "distributed with allocable income: $6,577.50" not in out   # B's $2,077.50 is distributed too
    assert "distributed with allocable income: $8,655.00" in out
    assert out.index("ADP correction") < out.index("ACP on the corrected amounts")
    assert "2027-03-15" in out and "not individual tax advice" in out


def test_json_has_both_reports_and_the_refunds(census_path, capsys):
    assert main(["nondiscrimination", str(census_path), "--year", "2026", "--json", "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["adp"]["test"]["hce_acp"] == 0.1013 and data["adp"]["correction"]["total_excess"] == 16655.0
    hce = data["refunds"][0]
    assert (hce["recharacterized_catch_up"], hce["adp_distributed"]) == (8000.0, 6577.5)
    assert data["acp"]["test"]["nhce_acp"] == 0.0267 and data["steps"][0].startswith("1. ADP")


def test_report_workbook_writes_census_text_as_text(census_path, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "report.xlsx"
    assert main(["nondiscrimination", str(census_path), "--year", "2026", "-o", str(out), "--no-progress"]) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Steps", "HCE corrections", "ADP participants", "Summary", "Refunds", "Sensitivity",
                               "Participants"]
    assert book["HCE corrections"]["B4"].value == '=HYPERLINK("http://x.test","y")'
    assert book["HCE corrections"]["D4"].value == 8000
    with zipfile.ZipFile(out) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert main(["nondiscrimination", str(census_path), "--year", "2026", "-o", str(out)]) == 2


def test_recharacterize_and_prior_year_options(census_path, capsys):
    assert main(["nondiscrimination", str(census_path), "--year", "2026", "--adp-correction", "recharacterize",
                 "--json", "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["refunds"][0]["recharacterized_after_tax"] == 6577.5
    assert main(["nondiscrimination", str(census_path), "--year", "2026", "--adp-testing", "prior",
                 "--adp-correction", "recharacterize", "--prior-nhce-adp", "0.03"]) == 2
    assert "§1.401(k)-2(c)(3)(i)" in capsys.readouterr().err


def test_missing_deferrals_and_ragged_rows_exit_2(tmp_path, capsys):
    path = tmp_path / "census.csv"
    path.write_text("id,compensation,prior compensation,owner,eligible,match,after tax\nA,1,1,n,y,0,0\n")
    assert main(["nondiscrimination", str(path), "--year", "2026"]) == 2
    assert "deferrals" in capsys.readouterr().err
    path.write_text("id,compensation,prior compensation,owner,eligible,match,after tax\nSmith, J,1,1,n,y,0,0\n")
    assert main(["nondiscrimination", str(path), "--year", "2026"]) == 2
    assert "census row 2: got '8 cells'; expected 7 cells" in capsys.readouterr().err


def test_acp_command_keeps_working_with_the_new_plan_options(census_path, capsys):
    assert main(["acp", str(census_path), "--year", "2026", "--matched", "after_tax", "--match-tier", "1:0.02",
                 "--match-tier", "0.5:0.06", "--match-vested", "0.6", "--json", "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["settings"]["match_tiers"] == [[1.0, 0.02], [0.5, 0.06]]
    assert main(["acp", str(census_path), "--year", "2026", "--match-tier", "1:0.5", "--match-tier", "1:0.4"]) == 2
    assert "rising tier by tier" in capsys.readouterr().err


def test_big_reports_stream_their_rows_and_keep_text_as_text(census_path, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    import megabackdoor.workbook.acp_report as acp_report

    monkeypatch.setattr(acp_report, "STYLED_ROWS", 2)
    monkeypatch.setattr(acp_report, "STREAM_CHUNK", 3)
    out = tmp_path / "big.xlsx"
    assert main(["nondiscrimination", str(census_path), "--year", "2026", "-o", str(out), "--no-progress"]) == 0
    book = load_workbook(out)
    rows = [[c.value for c in row] for row in book["Participants"].iter_rows(min_row=3)]
    assert [row[1] for row in rows] == ['=HYPERLINK("http://x.test","y")', "B", "N1", "N2"]
    assert "too many to list here" in book["ADP participants"]["A2"].value
    with zipfile.ZipFile(out) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_excess_deferrals_after_and_late_qnec_options(tmp_path, capsys):
    # §1.401(m)-2(b)(5) Example 4: the $1,200 of excess deferrals asked for after the $3,000 recharacterization
    # are not distributed; the ACP is 5.25% against 4%: $2,500. A QNEC paid after 31 Dec 2027 is not counted.
    path = tmp_path / "census.csv"
    path.write_text("id,compensation,prior_compensation,owner_5pct,eligible,match,after_tax,deferrals,"
                    "excess_deferrals,qnec\nD,200000,200000,N,Y,7500,0,15000,1200,0\n"
                    "N,100000,100000,N,Y,2000,0,4000,0,500\n")
    assert main(["nondiscrimination", str(path), "--year", "2026", "--adp-correction", "recharacterize",
                 "--excess-deferrals-after", "--qnec", "adp", "--qnec-paid", "2028-01-02", "--json",
                 "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    d = data["adp"]["participants"][0]
    assert (d["recharacterized_after_tax"], d["excess_deferrals_distributed"], d["qnec_counted"]) == (3000.0, 0.0, 0)
    assert data["acp"]["correction"]["total_excess"] == 2500.0
    assert data["adp"]["settings"]["excess_deferrals_timing"] == "after"


def test_qmac_column_counts_in_the_adp_with_the_flag(tmp_path, capsys):
    # §1.401(k)-2(a)(7) Example 9's figures: HCE 15% deferrals, 5% match; NHCEs 11% and 4% (1% of pay used as
    # QMACs in the ADP): ADP 15% vs 12% x 1.25, ACP 5% vs 3% + 2: both pass.
    path = tmp_path / "census.csv"
    path.write_text("Employee ID,Compensation,Prior Year Compensation,5% Owner,Eligible,Match,After-Tax,Deferrals,"
                    "QMACs\nH,100000,200000,N,Y,5000,0,15000,0\nN1,50000,50000,N,Y,2000,0,5500,500\n")
    assert main(["nondiscrimination", str(path), "--year", "2026", "--qmac-in-adp", "--json", "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["adp"]["test"]["nhce_acp"], data["adp"]["test"]["passed"]) == (0.12, True)
    assert (data["acp"]["test"]["nhce_acp"], data["acp"]["test"]["passed"]) == (0.03, True)
    # the report workbook's ADP table shows the QMACs counted
    from openpyxl import load_workbook

    out = tmp_path / "report.xlsx"
    assert main(["nondiscrimination", str(path), "--year", "2026", "--qmac-in-adp", "-o", str(out),
                 "--no-progress"]) == 0
    sheet = load_workbook(out)["ADP participants"]
    table = list(sheet.iter_rows(min_row=2, max_row=4, values_only=True))   # row 1 is the caption
    n1 = dict(zip(table[0], table[2], strict=True))
    assert n1["id"] == "N1" and n1["QMAC in the ADP"] == 500
