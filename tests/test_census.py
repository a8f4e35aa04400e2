"""Census input for the ACP test: column mapping, row-numbered errors, CSV and XLSX, XML attacks refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from megabackdoor.census import normalise_header, read_census
from megabackdoor.errors import InputError

HEADER = "Employee ID,Compensation (§414(s)),Prior-Year Compensation,5% Owner,Eligible,Matching Contributions," \
         "After-Tax Contributions"
GOOD_ROWS = ["007,100000,95000,N,Y,3000,0", "H1,250000,240000,no,yes,7500,15000", "O1,90000,80000,1,1,2700,0"]


def csv(*rows: str, header: str = HEADER) -> io.StringIO:
    return io.StringIO("\n".join([header, *rows]) + "\n")


def error_of(source, **options) -> InputError:
    with pytest.raises(InputError) as caught:
        read_census(source, **options)
    return caught.value


def test_aliases_map_common_headers_and_keep_text_ids():
    census = read_census(csv(*GOOD_ROWS))
    frame = census.frame
    assert frame["id"].tolist() == ["007", "H1", "O1"]
    assert frame["row"].tolist() == [2, 3, 4]
    assert frame["compensation"].tolist() == [100000.0, 250000.0, 90000.0]
    assert frame["owner_5pct"].tolist() == [False, False, True]
    assert frame["eligible"].tolist() == [True, True, True]
    assert frame["after_tax"].tolist() == [0.0, 15000.0, 0.0]
    assert frame["deferrals"].tolist() == [0.0, 0.0, 0.0] and not census.has_deferrals
    assert census.columns["compensation"] == "Compensation (§414(s))"


def test_user_mapping_wins_and_optional_deferrals_are_read():
    header = "EE,W-2 Pay,Last Year Pay,Owner,Eligible,Match,After Tax,Elective Deferrals"
    census = read_census(csv("A,100000,90000,n,y,3000,500,10000", header=header),
                         {"id": "EE", "compensation": "W-2 Pay", "prior_compensation": "Last Year Pay"})
    assert census.has_deferrals and census.frame["deferrals"].tolist() == [10000.0]
    assert census.frame["prior_compensation"].tolist() == [90000.0]


def test_missing_columns_are_named_with_accepted_names():
    error = error_of(csv("A,1,2", header="id,compensation,match"))
    message = str(error)
    assert "prior_compensation, owner_5pct, eligible, after_tax" in message
    assert "--column FIELD=HEADER" in message


def test_mapping_to_a_header_that_is_not_there():
    error = error_of(csv(*GOOD_ROWS), mapping={"compensation": "Salary"})
    assert error.argument == "mapping['compensation']" and "'Salary'" in str(error)
    assert "Compensation (§414(s))" in str(error)


def test_two_headers_for_one_field_is_an_error():
    error = error_of(csv("A,1,1,1,n,y,0,0", header="id,comp,compensation,prior comp,owner,eligible,match,after tax"))
    assert "both 'comp' and 'compensation'" in str(error)


def test_non_numeric_value_names_row_column_value_and_the_other_rows():
    rows = [*GOOD_ROWS, "B,\"$1,000\",1,n,y,0,0", "C,abc,1,n,y,0,0"]
    error = error_of(csv(*rows))
    assert error.argument == "row 5, column 'Compensation (§414(s))' (compensation)"
    assert error.value == "$1,000"
    assert "also row 6" in str(error) and "remove currency signs" in str(error)


def test_negative_amount_and_blank_amount_have_row_numbers():
    error = error_of(csv(*GOOD_ROWS, "B,1000,1,n,y,-5,0"))
    assert error.argument == "row 5, column 'Matching Contributions' (match)" and error.value == -5
    assert error.kind == "num"
    error = error_of(csv(*GOOD_ROWS, "B,1000,1,n,y,,0"))
    assert error.argument.startswith("row 5,") and "blank" in str(error)


def test_duplicate_ids_name_both_rows():
    error = error_of(csv(*GOOD_ROWS, "H1,1000,1,n,y,0,0"))
    assert error.argument == "row 5, column 'Employee ID' (id)" and error.value == "H1"
    assert "rows 3, 5" in str(error)


def test_bad_flag_and_blank_flag():
    error = error_of(csv(*GOOD_ROWS, "B,1000,1,maybe,y,0,0"))
    assert error.argument == "row 5, column '5% Owner' (owner_5pct)" and error.value == "maybe"
    assert "yes/no" in str(error)
    error = error_of(csv(*GOOD_ROWS, "B,1000,1,n,,0,0"))
    assert error.argument == "row 5, column 'Eligible' (eligible)"


def test_numeric_flags_other_than_0_1_are_refused():
    error = error_of(csv("A,1000,1,0,2,0,0", header="id,compensation,prior compensation,owner,eligible,match,"
                                                    "after tax"))
    assert error.argument == "row 2, column 'eligible' (eligible)" and error.value == 2


def test_contributions_without_pay_are_refused():
    error = error_of(csv(*GOOD_ROWS, "B,0,0,n,y,0,100"))
    assert error.argument == "row 5, column 'Compensation (§414(s))' (compensation)"
    assert "100.00" in str(error)


def test_entirely_blank_rows_are_skipped_and_counted_nothing_else():
    census = read_census(csv(GOOD_ROWS[0], ",,,,,,", "", GOOD_ROWS[1]))
    assert census.blank_rows == [3, 4]
    assert census.frame["row"].tolist() == [2, 5]


def test_empty_census_and_missing_file():
    assert error_of(csv()).kind == "na"
    assert error_of("/nonexistent/census.csv").kind == "na"


def test_unknown_extension(tmp_path):
    path = tmp_path / "census.ods"
    path.write_text("x")
    assert "save .xls or .ods files as .xlsx" in str(error_of(str(path)))


def test_normalise_header_drops_brackets_and_punctuation():
    assert normalise_header("Compensation (§414(s))") == "compensation"
    assert normalise_header("5% Owner") == "5pct_owner"
    assert normalise_header("Prior-Year  Compensation") == "prior_year_compensation"


def _xlsx(path, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Census"
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_xlsx_census_reads_like_csv(tmp_path):
    path = tmp_path / "census.xlsx"
    _xlsx(path, [[None], ["Employee ID", "Compensation", "Prior Compensation", "5% Owner", "Eligible", "Match",
                          "After-Tax"],
                 [1001, 100000, 95000, "N", True, 3000, 0], ["H1", 250000.5, 240000, 0, 1, 7500, 15000]])
    census = read_census(str(path))
    assert census.frame["id"].tolist() == ["1001", "H1"]
    assert census.frame["row"].tolist() == [3, 4]     # header on row 2 of the sheet
    assert census.frame["compensation"].tolist() == [100000.0, 250000.5]
    assert census.frame["eligible"].tolist() == [True, True]


def test_xlsx_errors_give_sheet_row_numbers(tmp_path):
    path = tmp_path / "census.xlsx"
    _xlsx(path, [["id", "compensation", "prior compensation", "owner", "eligible", "match", "after tax"],
                 ["A", 100000, 95000, "N", "Y", 3000, 0], ["B", "lots", 95000, "N", "Y", 3000, 0]])
    error = error_of(str(path))
    assert error.argument == "row 3, column 'compensation' (compensation)" and error.value == "lots"


def test_openpyxl_uses_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize("payload", [
    # billion laughs: entity expansion
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
    # external entity (XXE) reading a local file
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
])
def test_xml_attacks_in_xlsx_are_refused(tmp_path, payload):
    good = tmp_path / "good.xlsx"
    _xlsx(good, [["id", "compensation", "prior compensation", "owner", "eligible", "match", "after tax"],
                 ["A", 100000, 95000, "N", "Y", 3000, 0]])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                body = text[text.index("<worksheet"):]
                data = (payload + body).encode("utf-8")
            target.writestr(item, data)
    error = error_of(str(bad))
    assert "refused by defusedxml" in str(error) and error.argument == "census"


def test_large_csv_reports_progress(tmp_path, monkeypatch):
    import megabackdoor.census as census_module

    monkeypatch.setattr(census_module, "PROGRESS_BYTES", 100)
    monkeypatch.setattr(census_module, "CHUNK_ROWS", 2)
    path = tmp_path / "census.csv"
    path.write_text("\n".join([HEADER, *GOOD_ROWS, "Z,1000,1,n,y,0,0"]) + "\n")
    seen = []
    census = read_census(str(path), progress=lambda done, total: seen.append((done, total)))
    assert census.frame["row"].tolist() == [2, 3, 4, 5]
    assert seen and seen[-1][0] == seen[-1][1] == path.stat().st_size


def test_extra_columns_are_ignored_and_spaces_around_values_are_read():
    header = HEADER + ",Department"
    census = read_census(csv("A, 100000 ,95000, Y ,yes ,3000,0,Sales", "B,50000,45000,N,N,0,0,Ops", header=header))
    assert census.frame["compensation"].tolist() == [100000.0, 50000.0]
    assert census.frame["owner_5pct"].tolist() == [True, False]
    assert census.frame["eligible"].tolist() == [True, False]
    assert "Department" not in census.columns.values()


# --- a census that can't lie: no value silently read as another ----------------------------------------------


def test_xlsx_boolean_in_a_money_column_is_an_error_not_one_dollar(tmp_path):
    path = tmp_path / "census.xlsx"
    _xlsx(path, [["id", "compensation", "prior compensation", "owner", "eligible", "match", "after tax"],
                 ["H1", True, 200000, "N", "Y", 6000, 20000], ["N1", 50000, 45000, "N", "Y", 1000, 0]])
    error = error_of(str(path))
    assert error.argument == "row 2, column 'compensation' (compensation)" and error.value is True
    assert "boolean" in str(error)


def test_amounts_beyond_any_payroll_are_errors_not_overflows():
    error = error_of(csv(*GOOD_ROWS, "B,1e308,1,n,y,1e308,1e308"))
    assert error.argument == "row 5, column 'Compensation (§414(s))' (compensation)" and error.kind == "num"
    assert "100,000,000" in str(error) and "3 bad cells in all" in str(error)
    census = read_census(csv("A,100000000,1,n,y,0,0"))   # exactly $100 million is accepted
    assert census.frame["compensation"].tolist() == [1e8]


def test_ids_that_differ_only_by_surrounding_spaces_are_one_id():
    error = error_of(csv(*GOOD_ROWS, '" H1 ",1000,1,n,y,0,0'))
    assert error.argument == "row 5, column 'Employee ID' (id)" and error.value == "H1"
    assert "rows 3, 5" in str(error)
    census = read_census(csv('"  007",100000,95000,N,Y,3000,0'))
    assert census.frame["id"].tolist() == ["007"]          # stripped, leading zeros kept


def test_ids_are_never_shortened_or_rounded(tmp_path):
    long_id = "E" + "9" * 200
    census = read_census(csv(f"{long_id},100000,95000,N,Y,3000,0"))
    assert census.frame["id"].tolist() == [long_id]
    error = error_of(csv("A\x07B,100000,95000,N,Y,3000,0"))
    assert "control characters" in str(error)
    path = tmp_path / "census.xlsx"
    _xlsx(path, [["id", "compensation", "prior compensation", "owner", "eligible", "match", "after tax"],
                 [12345678901234567890, 100000, 95000, "N", "Y", 3000, 0]])
    error = error_of(str(path))
    assert error.argument == "row 2, column 'id' (id)" and "format the id column as text" in str(error)


def test_latin1_csv_is_refused_in_one_line_or_read_when_named(tmp_path):
    path = tmp_path / "census.csv"
    path.write_bytes(("id,compensation,prior compensation,owner,eligible,match,after tax\n"
                      "Jos\u00e9,100000,95000,N,Y,3000,0\n").encode("cp1252"))
    error = error_of(str(path))
    assert error.argument == "census" and "0xe9" in str(error) and "--encoding cp1252" in str(error)
    assert "\n" not in str(error)
    census = read_census(str(path), encoding="cp1252")
    assert census.frame["id"].tolist() == ["Jos\u00e9"]
    assert error_of(str(path), encoding="klingon").argument == "encoding"


def test_every_bad_row_is_reported_in_one_run_in_row_order():
    rows = ["A,abc,1,n,y,0,0", "B,1000,1,maybe,y,0,0", "C,1000,1,n,y,-1,0", "A,1000,1,n,y,0,0",
            *[f"X{i},oops,1,n,y,0,0" for i in range(20)]]
    error = error_of(csv(*rows))
    assert error.argument == "row 2, column 'Compensation (§414(s))' (compensation)"
    message = str(error)
    assert "24 bad cells in all" in message and "and 13 more" in message
    positions = [message.index(f"row {r},") for r in (3, 4, 5, 6)]
    assert positions == sorted(positions)
    assert [row for row, _, _ in error.problems[:4]] == [2, 3, 4, 5] and len(error.problems) == 24


def test_optional_age_and_qnec_columns():
    header = HEADER + ",Age,QNEC"
    census = read_census(csv("A,100000,95000,N,Y,3000,0,55,500", header=header))
    assert census.has_ages and census.frame["age"].tolist() == [55.0] and census.frame["qnec"].tolist() == [500.0]
    error = error_of(csv("A,100000,95000,N,Y,3000,0,55.5,0", header=header))
    assert error.argument == "row 2, column 'Age' (age)"


def test_rows_with_more_cells_than_the_header_are_refused_not_shifted():
    # Before: pandas made the first column an index and every value slid one column left.
    error = error_of(csv("Smith, J,100000,95000,N,Y,3000,0", *GOOD_ROWS))
    assert error.argument == "census row 2" and error.value == "8 cells" and "quote cells" in str(error)
    error = error_of(csv(*GOOD_ROWS, "B,1,2,3,N,Y,0,0", "C,1,2,3,N,Y,0,0"))
    assert error.argument == "census row 5" and "also row 6 (8)" in str(error)
