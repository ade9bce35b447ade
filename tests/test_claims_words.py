"""Claims that rest on another claim, values in words for every measure, and durations that rounding
cannot decide (secorgs.claims: presumes, describe, Years)."""
import json
import re

import pandas as pd
import pytest

from secorgs import claims, data


def claim(quantity, measure, asserted, refers_to, claim_id="T"):
    return pd.Series({"claim_id": claim_id, "source": "x", "claim": "test", "quantity": quantity,
                      "measure": measure, "asserted": asserted, "refers_to": pd.Timestamp(refers_to)})


def with_rows(monkeypatch, name, rows):
    """data.table(name) with extra rows appended, for the length of one test."""
    original = data.table

    def table(wanted):
        df = original(wanted)
        if wanted == name:
            df = pd.concat([df, pd.DataFrame(rows)], ignore_index=True)
        return df

    monkeypatch.setattr(data, "table", table)


# --- a claim that presumes another ------------------------------------------------------------------

def test_a_claim_whose_premise_the_data_refute_is_wrong_with_it():
    premise = claims.check(data.table("claims").set_index("claim_id", drop=False).loc["BLOG_DEV_FUND"])
    assert premise.verdict == "wrong"  # no SCO Development Fund in 2023
    result = claims.check(claim("ratio", "presumes BLOG_DEV_FUND", "0.12", "2023-12-31"))
    assert result.verdict == "wrong" and "BLOG_DEV_FUND" in result.reason
    assert "premise fails" in result.actual_words


def test_the_premise_is_computed_on_the_presuming_claims_date():
    # BV_SCO_MEMBERS asserts nine SCO members: true at the end of 2023, false in 2020 (eight).
    assert claims.compute("count SCO member", pd.Timestamp("2020-01-01")) != 9
    holds = claims.check(claim("ratio", "presumes BV_SCO_MEMBERS", "0.5", "2023-12-31"))
    fails = claims.check(claim("ratio", "presumes BV_SCO_MEMBERS", "0.5", "2020-01-01"))
    assert holds.verdict == "not checkable" and "holds" in holds.reason
    assert fails.verdict == "wrong"


def test_the_fund_claims_follow_the_funds_existence(monkeypatch):
    # In the file both fund figures are wrong because the fund did not exist ...
    table = claims.verdicts().set_index("claim_id")
    fund_claims = ["BLOG_FUND_12PCT", "BLOG_UZB_15PCT"]
    assert set(table.loc[fund_claims, "verdict"]) == {"wrong"}
    # ... and only because of it: were a fund recorded in 2022, the figures would merely be unchecked.
    with_rows(monkeypatch, "events", [{"event_id": "t_fund", "org_id": "SCO", "date": pd.Timestamp("2022-05-01"),
                                       "kind": "institution", "title": "SCO Development Fund set up",
                                       "place": "", "source": "x"}])
    rows = data.table("claims").set_index("claim_id").loc[fund_claims].reset_index()
    assert set(claims.verdicts(rows)["verdict"]) == {"not checkable"}


def test_a_premise_that_cannot_be_decided_leaves_the_claim_unchecked():
    unknown = claims.check(claim("ratio", "presumes NO_SUCH_CLAIM", "0.1", "2023-12-31"))
    assert unknown.verdict == "not checkable" and "NO_SUCH_CLAIM" in unknown.reason
    undecidable = data.table("claims").query("measure == 'none'")["claim_id"].iloc[0]
    result = claims.check(claim("ratio", f"presumes {undecidable}", "0.1", "2023-12-31"))
    assert result.verdict == "not checkable" and undecidable in result.reason


def test_every_presumed_claim_in_the_file_exists_and_is_decidable():
    rows = data.table("claims")
    measures = rows.set_index("claim_id")["measure"]
    presumed = rows.loc[rows["measure"].str.startswith("presumes "), "measure"].str.split(" ").str[1]
    assert not presumed.empty
    for claim_id in presumed:
        assert claim_id in measures.index
        assert measures[claim_id].split(" ")[0] not in ("none", "presumes")


# --- values in words --------------------------------------------------------------------------------

ON = pd.Timestamp("2023-12-31")


def test_counts_carry_their_noun():
    n = data.member_count("SCO", ON, "member")
    assert claims.describe("count SCO member", n, "count", ON) == "nine members"
    assert claims.describe("count SCO dialogue_partner", 1, "count") == "one dialogue partner"
    assert claims.describe("count SCO observer", 0, "count") == "no observers"
    assert claims.describe("parties TAC", 57, "count") == "57 parties"
    assert claims.describe("parties TAC Europe", 1, "count") == "one party in Europe"
    assert claims.describe("bodies SCO Council", 2, "count") == "two bodies"
    assert claims.describe("exercise_parties Peace_Mission_2007", 6, "count") == "six countries"
    assert claims.describe("memoranda SCO UNODC,CICA", 2, "count") == "two of two partners"
    assert claims.describe("troops Peace_Mission_2005", (8800, 10000), "count") == "8,800 to 10,000 troops"


def test_holding_a_status_reads_yes_or_no():
    for iso3, expected in (("IND", "yes"), ("PRK", "no")):
        value = claims.compute(f"holds SCO {iso3} member", ON)
        assert claims.describe(f"holds SCO {iso3} member", value, "count", ON) == expected


def test_meetings_read_as_times_a_year():
    assert claims.describe("meets SCO Council_of_Heads_of_State", 1, "count") == "once a year"
    assert claims.describe("meets ASEAN ASEAN_Summit", 2, "count") == "twice a year"
    assert claims.describe("meets ASEAN ASEAN_Summit", 4, "count") == "four times a year"


def test_events_read_as_none_by_a_date_or_a_count_with_years():
    measure = "occurred ASEAN crisis Preah_Vihear"
    events = data.table("events")
    dates = events[(events["org_id"] == "ASEAN") & (events["kind"] == "crisis")
                   & events["title"].str.contains("Preah Vihear")]["date"].sort_values()
    before, after = dates.iloc[0] - pd.Timedelta(days=1), pd.Timestamp(f"{dates.iloc[-1].year}-12-31")
    assert claims.describe(measure, claims.compute(measure, before), "count", before) == f"no event by {before.day} {before:%B %Y}"
    n = claims.compute(measure, after)
    assert n == len(dates) >= 1
    words = claims.describe(measure, n, "count", after)
    assert words.startswith("one event" if n == 1 else claims.number_words(n))
    assert all(str(year) in words for year in dates.dt.year)
    # what a text asserts is a count of events, without the data's years
    assert claims.describe(measure, 1, "count", after, computed=False) == "one event"
    assert claims.describe(measure, 0, "count", after, computed=False) == "no event"


def test_countries_outside_a_treaty_are_named():
    on = pd.Timestamp("2005-12-31")
    measure = "outside ARF participant TAC"
    n = claims.compute(measure, on)
    outside = set(data.members("ARF", on, "participant")["iso3"]) - set(data.parties("TAC", on)["party"])
    names = data.table("countries").set_index("iso3")["name"]
    words = claims.describe(measure, n, "count", on)
    assert words.startswith(claims.number_words(n) + ": ")
    assert all(names[c] in words for c in outside)
    assert claims.describe(measure, 0, "count", on) == "none"
    assert claims.describe("unbound TAC ASEAN member", 0, "count", on) == "none"


def test_unbound_entrants_are_named():
    # Members admitted after the TAC was signed that were not parties on the day they joined.
    on = pd.Timestamp("2030-01-01")
    n = claims.compute("unbound TAC ASEAN member", on)
    words = claims.describe("unbound TAC ASEAN member", n, "count", on)
    assert (words == "none") if n == 0 else words.startswith(claims.number_words(n) + ": ")
    assert claims.describe("unbound TAC ASEAN member", 2, "count", on, computed=False) == "two"


def test_dates_shares_and_names_in_words():
    assert claims.describe("founded SCO", pd.Timestamp("2001-06-15"), "date") == "15 June 2001"
    assert claims.describe("joined SCO IRN member", pd.Timestamp("2023-07-04"), "month") == "July 2023"
    assert claims.describe("founded SCO", pd.Timestamp("2001-06-15"), "year") == "2001"
    assert claims.describe("founded SCO", 1996, "year", computed=False) == "1996"
    assert claims.describe("share SCO member population", 0.4219, "share") == "42.2%"
    assert claims.describe("share SCO member population", (0.4, 0.5), "share", computed=False) == "40.0% to 50.0%"
    assert claims.describe("seat SCO", "Beijing", "name") == "Beijing"
    assert claims.describe("none", 201, "count", computed=False) == "201"
    assert claims.describe("count SCO member", "", "count") == ""


def test_no_checked_count_in_the_file_is_a_bare_number():
    table = claims.verdicts()
    checked = table[table["verdict"] != "not checkable"]
    assert (checked["actual_words"] != "").all()
    counts = checked[checked["quantity"] == "count"]
    bare = counts[counts["actual_words"].str.fullmatch(r"[\d,]+") | counts["asserted_words"].str.fullmatch(r"[\d,]+")]
    assert bare.empty, bare[["claim_id", "asserted_words", "actual_words"]].to_string()
    # and every measure kind that answers a count is covered by a claim in the file
    kinds = set(data.table("claims")["measure"].str.split(" ").str[0])
    count_kinds = {k for k, (_, quantities) in claims.MEASURES.items() if "count" in quantities} - {"none", "presumes"}
    assert count_kinds <= kinds, count_kinds - kinds


# --- durations --------------------------------------------------------------------------------------

def test_durations_are_exact_and_shown_to_one_decimal():
    nearly_ten = claims.years_between("2000-01-01", "2009-12-01")  # nine years and eleven months
    assert 9.9 < nearly_ten < 10
    assert claims.years_text(nearly_ten) == "9.9 years"
    assert claims.years_text(claims.years_between("2004-01-01", "2007-01-01")) == "3.0 years"
    assert claims.years_text(0.96) == "1.0 year"


def test_nine_years_eleven_months_supports_ten_years_not_nine(monkeypatch):
    with_rows(monkeypatch, "officeholders", [
        {"org_id": "T", "office": "Chair", "name": "A", "iso3": "CHN",
         "start": pd.Timestamp("2000-01-01"), "end": pd.Timestamp("2009-12-01"), "source": "x"}])
    assert claims.check(claim("count", "term T Chair", "10", "2020-01-01")).verdict == "supported"
    wrong = claims.check(claim("count", "term T Chair", "9", "2020-01-01"))
    assert wrong.verdict == "wrong" and wrong.actual_words == "9.9 years"


def test_rounding_for_display_never_decides_a_duration_verdict():
    # For every length of a term up to 20 years, day by day, the verdict on the exact duration equals
    # the verdict on the figure a reader sees (one decimal): the tolerance line never falls inside a
    # displayed tenth.
    for days in range(0, int(20 * claims.DAYS_PER_YEAR)):
        exact = days / claims.DAYS_PER_YEAR
        shown = float(claims.years_text(exact).split(" ")[0])
        for asserted in (round(exact) - 1, round(exact), round(exact) + 1):
            assert claims.duration_agrees(asserted, exact) == claims.duration_agrees(asserted, shown), (days, asserted)


def test_the_duration_tolerance_is_stated_in_the_audit_chapter():
    cells = json.loads((data.ROOT / "chapters" / "audit.ipynb").read_text(encoding="utf-8"))["cells"]
    prose = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "{glue}`duration_tolerance`" in prose and re.search(r"one\s+decimal", prose)


def test_a_claim_with_no_value_asserted_still_gets_a_verdict():
    result = claims.check(claim("count", "none", "", "2023-12-31"))
    assert result.verdict == "not checkable" and result.asserted_words == ""


def test_a_country_without_a_row_is_read_against_the_full_list_of_holders():
    on = pd.Timestamp("2023-12-31")
    arf = data.members("ARF", on, "participant")
    names = data.table("countries").set_index("iso3")["name"]
    vnm = arf[arf["iso3"] == "VNM"].iloc[0]
    # a holder is found under the name in data/memberships.csv or in data/countries.csv, any case
    for name in (vnm["country"], names["VNM"], vnm["country"].upper()):
        assert claims.compute(f"listed ARF participant Nowhere,{name.replace(' ', '_')}", on) == 1
    # Taiwan is under none of its names among the participants, which the claims file relies on
    assert not {"taiwan", "chinese taipei", "republic of china"} & set(arf["country"].str.lower())
    assert claims.compute("listed ARF participant Taiwan,Chinese_Taipei", on) == 0
    assert claims.describe("listed ARF participant Taiwan", 0, "count", on) == "no"
    # before the ARF's first meeting no one held the status: nothing to read against
    early = claims.check(claim("count", "listed ARF participant Taiwan", "0", "1990-01-01"))
    assert early.verdict == "not checkable"


@pytest.mark.parametrize("tolerance, words", [(0.01, "one percentage point"), (0.005, "half a percentage point"),
                                              (0.02, "two percentage points"), (0.015, "1.5 percentage points")])
def test_the_share_tolerance_reads_as_words(tolerance, words):
    assert claims.share_tolerance_words(tolerance) == words
