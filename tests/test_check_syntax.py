"""Fault injection: broken CSV syntax, encodings and stray files are reported with file and row, all of
them in one run, and the checker never crashes."""
import subprocess
import sys

import pytest

from secorgs import ROOT
from secorgs.schema import TABLES
from test_schema_faults import assert_problem, data_copy, edit_line, line_of, problems_for  # noqa: F401


def test_an_unquoted_comma_in_the_first_data_row(data_copy):
    path = data_copy / "agreements.csv"
    edit_line(path, 2, "SCO granted observer status in", "SCO granted observer status, in")
    assert_problem(problems_for(data_copy), "agreements.csv", 2, "title", "7 fields", "6", "unquoted comma")


def test_a_row_with_a_field_too_few(data_copy):
    path = data_copy / "organisations.csv"
    row = line_of(path, "ASEAN Plus Three")
    edit_line(path, row, "Kuala Lumpur,,,", "Kuala Lumpur,,")
    assert_problem(problems_for(data_copy), "organisations.csv", row, "source", "6 fields", "source missing")


def test_every_quoting_error_of_a_file_is_reported(data_copy):
    path = data_copy / "events.csv"
    first = line_of(path, "ZOPFAN")
    second = line_of(path, "First ASEAN Plus Three summit")
    edit_line(path, first, ",Kuala Lumpur,", ',"Kuala" Lumpur,')
    edit_line(path, second, ",Kuala Lumpur,", ',"Kuala" Lumpur,')
    problems = problems_for(data_copy)
    assert_problem(problems, "events.csv", first, "(row)", "cannot be read as CSV")
    assert_problem(problems, "events.csv", second, "(row)", "cannot be read as CSV")


def test_an_unclosed_quote_does_not_hide_later_errors(data_copy):
    path = data_copy / "events.csv"
    row = line_of(path, "ZOPFAN")
    later = line_of(path, "ASEAN Charter signed")
    edit_line(path, row, ",Kuala Lumpur,", ',"Kuala Lumpur,')
    edit_line(path, later, "2007-11-20", "2007-11-31")
    problems = problems_for(data_copy)
    assert_problem(problems, "events.csv", row, "(row)", "never closed")
    assert_problem(problems, "events.csv", later, "date", "not a real calendar date")


def test_every_line_with_bytes_that_are_not_utf8(data_copy):
    path = data_copy / "memberships.csv"
    rows = [line_of(path, "SCO,TUR,Türkiye,dialogue_partner"), line_of(path, "SCO,TUR,Türkiye,partner")]
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    problems = problems_for(data_copy)
    for row in rows:
        assert_problem(problems, "memberships.csv", row, "country", "not UTF-8")


@pytest.mark.parametrize("name", ["memberships (1).csv", "extra.csv", "notes.txt"])
def test_an_undeclared_file(data_copy, name):
    (data_copy / name).write_bytes((data_copy / "memberships.csv").read_bytes())
    assert_problem(problems_for(data_copy), name, 1, "(file)", "not a declared data file")


def test_the_readme_is_allowed(data_copy):
    assert (data_copy / "README.md").exists()
    assert problems_for(data_copy) == []


def test_a_table_with_a_header_and_no_rows(data_copy):
    path = data_copy / "chairs.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    assert_problem(problems_for(data_copy), "chairs.csv", 2, "(row)", "no rows")


def test_a_column_named_twice(data_copy):
    path = data_copy / "chairs.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [line + ",x" if line else line for line in lines]
    lines[0] = lines[0].replace(",x", ",note")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_problem(problems_for(data_copy), "chairs.csv", 1, "note", "twice")


@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_a_truncated_or_garbled_file_never_crashes_the_checker(data_copy, table):
    path = data_copy / f"{table}.csv"
    raw = path.read_bytes()
    for cut in (len(raw) // 3, len(raw) // 2 + 7):
        path.write_bytes(raw[:cut] + b'"\x00\xff,,"\n' + raw[cut:][::-1][:200])
        row = raw[:cut].count(b"\n") + 1
        found = [p for p in problems_for(data_copy) if p.file == path.name]
        assert any(p.row == row and "UTF-8" in p.message for p in found)
        # reading goes on past the bad bytes: the broken quoting and field counts are listed too
        assert any("UTF-8" not in p.message for p in found), [str(p) for p in found]
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert any(p.file == path.name for p in problems_for(data_copy))


def test_the_command_lists_every_problem_without_a_traceback(data_copy):
    (data_copy / "organisations.csv").write_bytes(b"org_id\n")
    edit_line(data_copy / "agreements.csv", 2, "SCO granted", "SCO, granted")
    (data_copy / "extra.csv").write_text("a,b\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "secorgs.build.check", str(data_copy)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for expected in ("data/organisations.csv, row 1, column name:", "data/organisations.csv, row 2, column (row):",
                     "data/agreements.csv, row 2, column title:", "data/extra.csv, row 1, column (file):"):
        assert expected in result.stderr
