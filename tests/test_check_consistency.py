"""Fault injection: rows that contradict each other, or the data date, are refused with file, row and column."""
import tomllib
from datetime import date, timedelta

import secorgs
from secorgs import DATA_DATE, ROOT
from test_schema_faults import assert_problem, data_copy, edit_line, line_of, problems_for  # noqa: F401


def append_row(path, row: str) -> int:
    """Append ``row`` to the file; return its spreadsheet row."""
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n") + [row]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def test_data_date_is_one_setting_in_pyproject():
    setting = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["secorgs"]["data_date"]
    assert isinstance(DATA_DATE, date) and DATA_DATE == date.fromisoformat(setting)


def test_a_missing_data_date_is_a_clear_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = 1\n", encoding="utf-8")
    try:
        secorgs._data_date(tmp_path / "pyproject.toml")
    except RuntimeError as err:
        assert "data_date" in str(err)
    else:
        raise AssertionError("no error for a pyproject.toml without data_date")


def test_overlapping_spells_with_the_same_status(data_copy):
    path = data_copy / "memberships.csv"
    first = line_of(path, "ASEAN,THA,Thailand,member")
    row = append_row(path, "ASEAN,THA,Thailand,member,1980-01-01,,,asean_about,")
    assert_problem(problems_for(data_copy), "memberships.csv", row, "start", "overlaps", f"row {first}")


def test_still_an_observer_after_becoming_a_member(data_copy):
    path = data_copy / "memberships.csv"
    observer = line_of(path, "SCO,IND,India,observer")
    edit_line(path, observer, "2005-07-05,,2017-06-09", "2005-07-05,,")
    member = line_of(path, "SCO,IND,India,member")
    assert_problem(problems_for(data_copy), "memberships.csv", member, "start",
                   "still observer", f"row {observer}", "2017-06-09")


def test_an_observer_spell_ending_after_membership_began(data_copy):
    path = data_copy / "memberships.csv"
    observer = line_of(path, "SCO,IRN,Iran,observer")
    edit_line(path, observer, "2005-07-05,,2023-07-04", "2005-07-05,,2024-07-04")
    member = line_of(path, "SCO,IRN,Iran,member")
    assert_problem(problems_for(data_copy), "memberships.csv", member, "start", "still observer")


def test_a_spell_that_begins_before_its_organisation_was_founded(data_copy):
    path = data_copy / "memberships.csv"
    row = line_of(path, "ASEAN,BRN,Brunei")
    edit_line(path, row, "1984-01-07", "1966-01-07")
    assert_problem(problems_for(data_copy), "memberships.csv", row, "start", "before ASEAN was founded", "1967-08-08")


def test_an_event_before_its_organisation_was_founded(data_copy):
    path = data_copy / "events.csv"
    row = line_of(path, "SCO Charter signed")
    edit_line(path, row, "2002-06-07", "2000-06-07")
    assert_problem(problems_for(data_copy), "events.csv", row, "date", "before SCO was founded")


def test_a_date_after_the_data_date(data_copy):
    path = data_copy / "events.csv"
    row = line_of(path, "ASEAN Charter signed")
    later = (DATA_DATE + timedelta(days=1)).isoformat()
    edit_line(path, row, "2007-11-20", later)
    assert_problem(problems_for(data_copy), "events.csv", row, "date", later, "data date")


def test_a_year_after_the_data_date(data_copy):
    path = data_copy / "chairs.csv"
    row = line_of(path, "ASEAN,2011,IDN")
    edit_line(path, row, "ASEAN,2011,", f"ASEAN,{DATA_DATE.year + 1},")
    assert_problem(problems_for(data_copy), "chairs.csv", row, "year", "data date")


def test_the_data_date_is_the_limit_it_says():
    # The same shipped data, checked against a data date a day before its latest date, are refused.
    problems = secorgs.schema.validate_dir(secorgs.DATA_DIR, ROOT / "references.bib",
                                           data_date=date(2025, 10, 25))[1]
    assert any(p.file == "memberships.csv" and "2025-10-26" in p.message for p in problems)


def test_overlapping_terms_of_one_office(data_copy):
    path = data_copy / "officeholders.csv"
    row = line_of(path, "Zhang Deguang")
    edit_line(path, row, "2004-01-01,2007-01-01", "2004-01-01,2008-01-01")
    later = line_of(path, "Bolat Nurgaliyev")
    assert_problem(problems_for(data_copy), "officeholders.csv", later, "start", "overlaps", f"row {row}")


def test_an_accession_before_the_treaty_was_signed(data_copy):
    path = data_copy / "treaty_parties.csv"
    row = line_of(path, "TAC,URY,")
    edit_line(path, row, "2025-07-09", "1975-07-09")
    assert_problem(problems_for(data_copy), "treaty_parties.csv", row, "date", "before TAC was signed")


def test_a_chair_that_is_not_a_member(data_copy):
    path = data_copy / "chairs.csv"
    row = line_of(path, "ASEAN,2011,IDN")
    edit_line(path, row, "ASEAN,2011,IDN", "ASEAN,2011,AUS")
    assert_problem(problems_for(data_copy), "chairs.csv", row, "iso3", "AUS", "not a member")


def test_a_host_that_does_not_take_part(data_copy):
    path = data_copy / "exercises.csv"
    row = line_of(path, "Peace Mission 2010")
    edit_line(path, row, ",KAZ,CHN;KAZ", ",UZB,CHN;KAZ")
    assert_problem(problems_for(data_copy), "exercises.csv", row, "host", "UZB", "participants")


def test_a_body_whose_parent_is_not_a_body_of_its_organisation(data_copy):
    path = data_copy / "bodies.csv"
    row = line_of(path, "SCO,Council of Heads of Government,")
    edit_line(path, row, ",Council of Heads of State,", ",ASEAN Summit,")
    assert_problem(problems_for(data_copy), "bodies.csv", row, "parent", "ASEAN Summit", "not a body of SCO")


def test_a_body_ranked_above_its_parent(data_copy):
    path = data_copy / "bodies.csv"
    row = line_of(path, "SCO,Meetings of Heads of Ministries")
    edit_line(path, row, ",Council of Heads of Government,3,", ",Council of Heads of Government,2,")
    assert_problem(problems_for(data_copy), "bodies.csv", row, "level", "not below its parent")


def test_a_region_placed_in_two_continents(data_copy):
    path = data_copy / "countries.csv"
    row = line_of(path, "THA,Thailand,")
    edit_line(path, row, ",Asia,South-eastern Asia,", ",Oceania,South-eastern Asia,")
    assert_problem(problems_for(data_copy), "countries.csv", row, "continent", "South-eastern Asia", "Asia")
