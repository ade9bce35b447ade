"""Fault injection: each corruption of a data file stops validation with file, row and column named."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from secorgs import DATA_DIR, ROOT, data
from secorgs.schema import DataError, validate_dir

BIB = ROOT / "references.bib"


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_line(path: Path, line_no: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` on line ``line_no`` (1-based, as a spreadsheet numbers rows)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line_no - 1], f"{old!r} not on line {line_no} of {path.name}: {lines[line_no - 1]!r}"
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


def problems_for(data_dir):
    return validate_dir(data_dir, BIB)[1]


def assert_problem(problems, file, row, column, *words):
    matching = [p for p in problems if (p.file, p.row, p.column) == (file, row, column)]
    assert matching, f"no problem at {file} row {row} column {column}; got: {[str(p) for p in problems]}"
    text = " ".join(p.message for p in matching).lower()
    for word in words:
        assert word.lower() in text, f"{word!r} not in {text!r}"


def test_the_shipped_data_are_valid():
    assert problems_for(DATA_DIR) == []


def test_missing_column(data_copy):
    path = data_copy / "memberships.csv"
    text = path.read_text(encoding="utf-8").split("\n")
    header = text[0].split(",")
    drop = header.index("status")
    path.write_text("\n".join(",".join(c for i, c in enumerate(l.split(",")) if i != drop) if l else l
                              for l in text), encoding="utf-8")
    assert_problem(problems_for(data_copy), "memberships.csv", 1, "status", "missing")


def test_bad_date(data_copy):
    path = data_copy / "events.csv"
    row = line_of(path, "ASEAN Charter signed")
    edit_line(path, row, "2007-11-20", "2007-11-31")
    assert_problem(problems_for(data_copy), "events.csv", row, "date", "2007-11-31", "not a real calendar date")


def test_day_first_date(data_copy):
    path = data_copy / "organisations.csv"
    row = line_of(path, "ASEAN Regional Forum")
    edit_line(path, row, "1994-07-25", "25/07/1994")
    assert_problem(problems_for(data_copy), "organisations.csv", row, "founded", "day-first", "1994-07-25")


def test_unknown_iso3(data_copy):
    path = data_copy / "memberships.csv"
    row = line_of(path, "ASEAN,THA,Thailand")
    edit_line(path, row, "THA", "THX")
    assert_problem(problems_for(data_copy), "memberships.csv", row, "iso3", "THX", "ISO 3166")


def test_unknown_org_id(data_copy):
    path = data_copy / "memberships.csv"
    row = line_of(path, "SCO,UZB,Uzbekistan")
    edit_line(path, row, "SCO,UZB", "SOC,UZB")
    assert_problem(problems_for(data_copy), "memberships.csv", row, "org_id", "SOC", "organisations.csv")


def test_duplicate_row(data_copy):
    path = data_copy / "memberships.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    copied = line_of(path, "ASEAN,VNM,Viet Nam")
    lines.append(lines[copied - 1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_problem(problems_for(data_copy), "memberships.csv", len(lines), "start", "repeats the key")


def test_end_before_start(data_copy):
    path = data_copy / "memberships.csv"
    row = line_of(path, "SCO,IND,India,observer")
    edit_line(path, row, "2005-07-05,,2017-06-09", "2005-07-05,,2004-01-01")
    assert_problem(problems_for(data_copy), "memberships.csv", row, "end", "before start")


def test_troop_range_upside_down(data_copy):
    path = data_copy / "exercises.csv"
    row = line_of(path, "Peace Mission 2016,")
    edit_line(path, row, ",1100,2000,", ",2000,1100,")
    assert_problem(problems_for(data_copy), "exercises.csv", row, "troops_high", "1100", "below troops_low")


def test_party_missing_from_countries(data_copy):
    path = data_copy / "treaty_parties.csv"
    row = line_of(path, "TAC,URY,")
    edit_line(path, row, "TAC,URY,", "TAC,ZWE,")
    assert_problem(problems_for(data_copy), "treaty_parties.csv", row, "party", "ZWE", "countries.csv")


def test_status_outside_enum(data_copy):
    path = data_copy / "memberships.csv"
    row = line_of(path, "SCO,BLR,Belarus,member")
    edit_line(path, row, ",member,", ",full_member,")
    assert_problem(problems_for(data_copy), "memberships.csv", row, "status", "full_member", "dialogue_partner")


def test_month_precision_start_that_is_not_the_first_of_its_month(data_copy):
    # A start known only to the month is written as the first of the month: a 15th would invent a day.
    path = data_copy / "memberships.csv"
    row = line_of(path, "ASEAN,AUS,Australia,dialogue_partner")
    edit_line(path, row, "1974-04-01,month,", "1974-04-15,month,")
    assert_problem(problems_for(data_copy), "memberships.csv", row, "start", "1974-04-15", "month", "1974-04-01")


def test_year_precision_start_that_is_not_the_first_of_january(data_copy):
    path = data_copy / "memberships.csv"
    row = line_of(path, "ASEAN,AUS,Australia,dialogue_partner")
    edit_line(path, row, "1974-04-01,month,", "1974-04-01,year,")
    assert_problem(problems_for(data_copy), "memberships.csv", row, "start", "1974-04-01", "year", "1974-01-01")


def test_a_day_precision_start_may_fall_on_any_day(data_copy):
    # The rule binds only the coarser precisions: the same day written with "day" (or empty) is valid.
    path = data_copy / "memberships.csv"
    row = line_of(path, "ASEAN,AUS,Australia,dialogue_partner")
    edit_line(path, row, "1974-04-01,month,", "1974-04-15,day,")
    assert [p for p in problems_for(data_copy) if p.row == row] == []


def test_unknown_precision_word(data_copy):
    path = data_copy / "memberships.csv"
    row = line_of(path, "ASEAN,JPN,Japan,dialogue_partner")
    edit_line(path, row, "1977-03-01,month,", "1977-03-01,monthly,")
    assert_problem(problems_for(data_copy), "memberships.csv", row, "start_precision", "monthly", "day, month, year")


def test_non_utf8_bytes(data_copy):
    path = data_copy / "memberships.csv"
    row = line_of(path, "SCO,TUR,Türkiye,dialogue_partner")
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    assert_problem(problems_for(data_copy), "memberships.csv", row, "country", "not UTF-8", "0xfc")


def test_empty_file(data_copy):
    (data_copy / "agreements.csv").write_text("", encoding="utf-8")
    assert_problem(problems_for(data_copy), "agreements.csv", 1, "(header)", "empty")


def test_byte_order_mark(data_copy):
    path = data_copy / "events.csv"
    first_column = path.read_text(encoding="utf-8").split(",", 1)[0]
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert_problem(problems_for(data_copy), "events.csv", 1, first_column, "byte-order mark")


def test_stray_whitespace_in_code(data_copy):
    path = data_copy / "memberships.csv"
    row = line_of(path, "ASEAN,MYS,Malaysia")
    edit_line(path, row, ",MYS,", ", MYS,")
    assert_problem(problems_for(data_copy), "memberships.csv", row, "iso3", "spaces")


def test_negative_population(data_copy):
    path = data_copy / "indicators.csv"
    row = line_of(path, "KHM,2000,")
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = lines[row - 1].split(",")
    fields[2] = "-" + fields[2]
    lines[row - 1] = ",".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_problem(problems_for(data_copy), "indicators.csv", row, "population", "negative")


def test_unknown_source_key(data_copy):
    path = data_copy / "events.csv"
    row = line_of(path, "SCO Charter signed")
    edit_line(path, row, "sco_charter_2002", "sco_charter_2020")
    assert_problem(problems_for(data_copy), "events.csv", row, "source", "sco_charter_2020", "references.bib")


def test_all_problems_are_reported_in_one_run(data_copy):
    edit_line(data_copy / "organisations.csv", line_of(data_copy / "organisations.csv", "Shanghai Five"),
              "1996-04-26", "26/04/1996")
    (data_copy / "agreements.csv").write_text("", encoding="utf-8")
    files = {p.file for p in problems_for(data_copy)}
    assert {"organisations.csv", "agreements.csv"} <= files


def test_check_command_exits_non_zero_and_names_the_place(data_copy):
    path = data_copy / "memberships.csv"
    row = line_of(path, "ASEAN,BRN,Brunei")
    edit_line(path, row, "1984-01-07", "07/01/1984")
    result = subprocess.run([sys.executable, "-m", "secorgs.build.check", str(data_copy)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert f"data/memberships.csv, row {row}, column start:" in result.stderr


def test_loading_invalid_data_raises(data_copy):
    edit_line(data_copy / "memberships.csv", 2, "1967-08-08", "1967-13-08")
    with pytest.raises(DataError, match="memberships.csv, row 2, column start"):
        data.load(data_copy)
