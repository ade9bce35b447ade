"""Fault injection: names of countries, organisations, bodies and measures are checked against their tables;
claims' structured text and numbers are parsed at check time."""
import pytest

from secorgs import claims
from test_schema_faults import assert_problem, data_copy, edit_line, line_of, problems_for  # noqa: F401


def edit_field(path, row: int, column: str, new: str) -> None:
    """Set one field of a row whose fields hold no quoted commas."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    fields = lines[row - 1].split(",")
    fields[header.index(column)] = new
    lines[row - 1] = ",".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_officeholder_nationality_not_in_countries(data_copy):
    path = data_copy / "officeholders.csv"
    row = line_of(path, "Bolat Nurgaliyev")
    edit_line(path, row, ",KAZ,", ",ZWE,")
    assert_problem(problems_for(data_copy), "officeholders.csv", row, "iso3", "ZWE", "countries.csv")


def test_exercise_participant_not_in_countries(data_copy):
    path = data_copy / "exercises.csv"
    row = line_of(path, "Peace Mission 2010")
    edit_line(path, row, "CHN;KAZ;KGZ;RUS;TJK", "CHN;KAZ;KGZ;RUS;TJK;ZWE")
    assert_problem(problems_for(data_copy), "exercises.csv", row, "participants", "ZWE", "countries.csv")


def test_indicator_country_not_in_countries(data_copy):
    path = data_copy / "indicators.csv"
    row = line_of(path, "KHM,2000,")
    edit_line(path, row, "KHM,2000,", "ZWE,2000,")
    assert_problem(problems_for(data_copy), "indicators.csv", row, "iso3", "ZWE", "countries.csv")


def test_agreement_partner_is_a_code(data_copy):
    path = data_copy / "agreements.csv"
    row = line_of(path, "SCO,CSTO,")
    edit_line(path, row, "SCO,CSTO,", "SCO,Csto,")
    assert_problem(problems_for(data_copy), "agreements.csv", row, "partner", "Csto", "upper-case")


def test_agreement_before_the_partner_was_founded(data_copy):
    path = data_copy / "agreements.csv"
    row = line_of(path, "SCO,ASEAN,memorandum")
    edit_line(path, row, "SCO,ASEAN,", "SCO,EAS,")  # the East Asia Summit first met in December 2005
    assert_problem(problems_for(data_copy), "agreements.csv", row, "date", "before the partner EAS was founded")


@pytest.mark.parametrize("measure, words", [
    ("cuont SCO member", ["unknown measure 'cuont'"]),
    ("count SCO", ["does not read as", "count ORG STATUS"]),
    ("count  SCO member", ["does not read as"]),
    ("count SOC member", ["ORG 'SOC'", "organisations.csv"]),
    ("count SCO members", ["STATUS 'members'", "memberships.csv"]),
    ("share SCO member populaton", ["INDICATOR 'populaton'", "indicators.csv"]),
    ("region_share SCO member South-East_Asia", ["REGION 'South-East_Asia'", "countries.csv"]),
    ("holds SCO XKX member", ["ISO3 'XKX'", "countries.csv"]),
    ("parties TAC Europa", ["CONTINENT 'Europa'"]),
    ("event ARF First_meting", ["TITLE 'First_meting'", "0 events"]),
    ("growth SCO member 2030-01-01", ["FROM", "not before refers_to"]),
    ("presumes BLOG_NO_SUCH_CLAIM", ["CLAIM 'BLOG_NO_SUCH_CLAIM' is not a claim_id"]),
    ("presumes BV_SCO_MEMBERS", ["CLAIM 'BV_SCO_MEMBERS' is not another claim_id"]),
])
def test_a_malformed_measure(data_copy, measure, words):
    path = data_copy / "claims.csv"
    row = line_of(path, "BV_SCO_MEMBERS,")
    edit_field(path, row, "measure", measure)
    assert_problem(problems_for(data_copy), "claims.csv", row, "measure", *words)


@pytest.mark.parametrize("claim_id, asserted, words", [
    ("BV_SCO_POP", "42%", ["'42%' is not a share", "0.42"]),
    ("BV_SCO_POP", "1.5", ["between 0 and 1"]),
    ("DEHAAS_SCO_POP", "0.50..0.40", ["low..high"]),
    ("BV_SCO_MEMBERS", "nine", ["not a whole number"]),
    ("BV_IRAN_JOINED", "09/2022", ["not a month YYYY-MM"]),
    ("BV_ARF_FIRST", "1994-02-30", ["not a real calendar date"]),
    ("BLOG_GROWTH", "25%", ["not a decimal number"]),
])
def test_a_malformed_asserted_value(data_copy, claim_id, asserted, words):
    path = data_copy / "claims.csv"
    row = line_of(path, claim_id + ",")
    edit_field(path, row, "asserted", asserted)
    assert_problem(problems_for(data_copy), "claims.csv", row, "asserted", *words)


def test_a_quantity_the_measure_cannot_answer(data_copy):
    path = data_copy / "claims.csv"
    row = line_of(path, "ESSAY_FOUNDED,")
    edit_field(path, row, "quantity", "count")
    edit_field(path, row, "asserted", "2001")
    assert_problem(problems_for(data_copy), "claims.csv", row, "quantity", "founded")


def test_the_claim_checker_and_the_data_check_share_one_parser():
    assert claims.parse_measure("share SCO member,observer population") == (
        "share", {"org": "SCO", "statuses": "member,observer", "indicator": "population"})
    assert claims.parse_measure("parties TAC") == ("parties", {"treaty": "TAC"})
    assert claims.parse_asserted("share", "0.40..0.50") == (0.40, 0.50)
    with pytest.raises(ValueError, match="0.42"):
        claims.agrees("share", "42%", 0.42)


@pytest.mark.parametrize("value, words", [
    ("1.2E+12", ["scientific", "1200000000000"]),
    ("1.23e11", ["scientific", "123000000000"]),
    ('"12,045,660"', ["thousands separators", "12045660"]),
    ("nan", ["plain decimal"]),
    ("1_000", ["plain decimal"]),
])
def test_numbers_in_plain_decimal_form(data_copy, value, words):
    path = data_copy / "indicators.csv"
    row = line_of(path, "KHM,2000,")
    edit_field(path, row, "gdp_usd", value)
    assert_problem(problems_for(data_copy), "indicators.csv", row, "gdp_usd", *words)


def test_a_two_digit_year(data_copy):
    path = data_copy / "chairs.csv"
    row = line_of(path, "ASEAN,2011,IDN")
    edit_line(path, row, "ASEAN,2011,", "ASEAN,11,")
    assert_problem(problems_for(data_copy), "chairs.csv", row, "year", "four digits")
