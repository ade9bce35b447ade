"""Claim checking: verdicts follow from the data and the comparison rules, not from the claims file."""
import pandas as pd
import pytest

from secorgs import claims, data


def claim(quantity, measure, asserted, refers_to):
    return pd.Series({"claim_id": "T", "source": "x", "claim": "test", "quantity": quantity,
                      "measure": measure, "asserted": asserted, "refers_to": pd.Timestamp(refers_to)})


def test_a_true_count_is_supported_and_a_false_one_wrong():
    # ASEAN had six members after Brunei joined in January 1984.
    assert claims.check(claim("count", "count ASEAN member", "6", "1990-01-01")).verdict == "supported"
    wrong = claims.check(claim("count", "count ASEAN member", "7", "1990-01-01"))
    assert (wrong.verdict, wrong.actual) == ("wrong", "6")


def test_join_dates_compare_by_day_month_or_year():
    # India joined the SCO on 9 June 2017.
    assert claims.check(claim("date", "joined SCO IND member", "2017-06-09", "2020-01-01")).verdict == "supported"
    assert claims.check(claim("date", "joined SCO IND member", "2017-06-10", "2020-01-01")).verdict == "wrong"
    assert claims.check(claim("month", "joined SCO IND member", "2017-06", "2020-01-01")).verdict == "supported"
    assert claims.check(claim("year", "joined SCO IND member", "2016", "2020-01-01")).verdict == "wrong"


def test_a_country_that_never_joined_is_not_checkable():
    result = claims.check(claim("year", "joined SCO USA member", "2020", "2020-01-01"))
    assert result.verdict == "not checkable" and "USA" in result.reason


def test_growth_is_relative_to_the_earlier_count():
    # Six SCO members before June 2017, eight after: growth of one third.
    result = claims.check(claim("ratio", "growth SCO member 2017-01-01", "0.3333", "2018-01-01"))
    assert result.verdict == "supported"
    assert claims.check(claim("ratio", "growth SCO member 2017-01-01", "0.25", "2018-01-01")).verdict == "wrong"


def test_round_shares_are_judged_with_a_tolerance():
    actual = data.share_of_world(data.members("SCO", "2020-12-31")["iso3"], 2020, "population")
    near = claims.check(claim("share", "share SCO member population", f"{actual + 0.005:.4f}", "2020-12-31"))
    far = claims.check(claim("share", "share SCO member population", f"{actual + 0.10:.4f}", "2020-12-31"))
    just_out = claims.check(claim("share", "share SCO member population", f"{actual + 0.015:.4f}", "2020-12-31"))
    assert (near.verdict, far.verdict, just_out.verdict) == ("supported", "wrong", "wrong")


def test_unknown_measure_is_an_error():
    with pytest.raises(ValueError):
        claims.compute("tally SCO", pd.Timestamp("2020-01-01"))


def test_every_claim_in_the_file_gets_a_verdict():
    table = claims.verdicts()
    assert len(table) == len(data.table("claims"))
    assert set(table["verdict"]) <= {"supported", "wrong", "not checkable"}


def test_the_blog_post_is_wrong_about_uzbekistan():
    # Uzbekistan was a founding member on 15 June 2001 (Declaration on the Establishment of the SCO).
    table = claims.verdicts().set_index("claim_id")
    assert table.loc["BLOG_UZB_JOINED", "verdict"] == "wrong"
    assert table.loc["BLOG_UZB_JOINED", "actual"] == "2001"


def test_share_ranges_and_several_statuses():
    # SCO members and observers at the end of 2008: the six members plus India, Iran, Mongolia, Pakistan.
    codes = data.members("SCO", "2008-12-31", ("member", "observer"))["iso3"]
    assert len(codes) == 10
    actual = data.share_of_world(codes, 2008, "population")
    inside = claims.check(claim("share", "share SCO member,observer population",
                                f"{actual - 0.01:.3f}..{actual + 0.01:.3f}", "2008-12-31"))
    outside = claims.check(claim("share", "share SCO member population",
                                 f"{actual - 0.01:.3f}..{actual + 0.01:.3f}", "2008-12-31"))
    assert (inside.verdict, outside.verdict) == ("supported", "wrong")


def test_a_claim_about_an_indicator_the_data_lack_is_not_checkable():
    result = claims.check(claim("share", "share SCO member eurasia_land_area", "0.8", "2020-12-31"))
    assert result.verdict == "not checkable" and result.asserted == "80.0%"


def test_region_share_holds_event_and_place_measures():
    # No SCO member lies in South-eastern Asia; all ASEAN members do.
    assert claims.compute("region_share SCO member South-eastern_Asia", pd.Timestamp("2020-01-01")) == 0.0
    assert claims.compute("region_share ASEAN member South-eastern_Asia", pd.Timestamp("2020-01-01")) == 1.0
    # India has been an SCO member since 2017; North Korea has never held any SCO status.
    assert claims.compute("holds SCO IND member", pd.Timestamp("2018-01-01")) == 1
    assert claims.compute("holds SCO PRK member,observer,dialogue_partner,partner", pd.Timestamp("2024-12-31")) == 0
    # The SCO Charter was signed in Saint Petersburg on 7 June 2002.
    assert claims.compute("event SCO SCO_Charter_signed", pd.NaT) == pd.Timestamp("2002-06-07")
    assert "Saint Petersburg" in claims.compute("place SCO 2002", pd.NaT).split(", ")


def test_unmeasurable_claims_are_not_checkable():
    result = claims.check(claim("ratio", "none", "0.12", "2023-12-31"))
    assert result.verdict == "not checkable" and result.actual == ""


def test_treaty_party_counts_and_a_continent_filter():
    # Ukraine was announced as the TAC's 50th party (Phnom Penh, 10 Nov 2022); the five founding
    # signatories of 1976 all lie in Asia; before France (13 Jan 2007) the only party in Europe as the
    # UN M49 draws it was Russia (29 Nov 2004).
    assert claims.check(claim("count", "parties TAC", "50", "2022-11-10")).verdict == "supported"
    assert claims.check(claim("count", "parties TAC", "50", "2022-11-09")).verdict == "wrong"
    assert claims.check(claim("count", "parties TAC Asia", "5", "1976-12-31")).verdict == "supported"
    assert claims.check(claim("count", "parties TAC Europe", "0", "2004-11-28")).verdict == "supported"
    assert claims.check(claim("count", "parties TAC Europe", "1", "2006-12-31")).verdict == "supported"
    assert claims.check(claim("count", "parties TAC Europe", "2", "2007-01-13")).verdict == "supported"


def test_names_compare_without_case_and_within_a_longer_name():
    # The SCO Charter provides for consensus; the Secretariat sits in Beijing (data/organisations.csv).
    assert claims.check(claim("name", "rule SCO Council_of_Heads_of_State", "Consensus", "2020-01-01")).verdict == "supported"
    wrong = claims.check(claim("name", "rule SCO Council_of_Heads_of_State", "majority vote", "2020-01-01"))
    assert (wrong.verdict, wrong.actual) == ("wrong", "consensus")
    assert claims.check(claim("name", "seat SCO", "Beijing", "2020-01-01")).verdict == "supported"
    assert claims.check(claim("name", "seat SCO", "Moscow", "2020-01-01")).verdict == "wrong"


def test_a_measure_that_names_nothing_is_not_checkable():
    result = claims.check(claim("name", "rule SCO Council_of_Nothing", "consensus", "2020-01-01"))
    assert result.verdict == "not checkable" and "Council_of_Nothing" in result.reason
    assert claims.check(claim("name", "seat ARF", "Jakarta", "2020-01-01")).verdict == "supported"


def test_events_are_counted_only_up_to_the_date_described():
    # The Preah Vihear dispute is recorded as a series of ASEAN crises from 2008: none is counted the day
    # before the first, only that day's on the first, and more of them by the day of the last.
    events = data.table("events")
    named = events[(events["org_id"] == "ASEAN") & (events["kind"] == "crisis")
                   & events["title"].str.contains("Preah Vihear", case=False)]
    first, last = named["date"].min(), named["date"].max()
    assert first < last
    count = lambda day: claims.compute("occurred ASEAN crisis Preah_Vihear", day)  # noqa: E731
    assert count(first - pd.Timedelta(days=1)) == 0
    assert count(first) == int((named["date"] == first).sum())
    assert count(last) > count(first)
    assert claims.compute("occurred ASEAN treaty Preah_Vihear", pd.Timestamp("2025-12-31")) == 0


def test_unbound_counts_entrants_that_had_not_joined_the_treaty():
    events = data.table("treaty_parties")
    tac = events[events["treaty"] == "TAC"].groupby("party")["date"].min()
    joined = data.first_joined("ASEAN").set_index("iso3")["start"]
    late = [c for c, start in joined.items() if start > tac.min() and (c not in tac.index or tac[c] > start)]
    assert claims.compute("unbound TAC ASEAN member", pd.Timestamp("2030-01-01")) == len(late)
    # every one of the ARF participants on a date either is a TAC party then or is counted as outside
    on = pd.Timestamp("2005-12-31")
    arf = set(data.members("ARF", on, "participant")["iso3"])
    outside = arf - set(data.parties("TAC", on)["party"])
    assert claims.compute("outside ARF participant TAC", on) == len(outside) > 0


def test_troop_ranges_accept_any_figure_inside_them():
    held = data.table("exercises").set_index("name")
    low, high = int(held.loc["Peace Mission 2005", "troops_low"]), int(held.loc["Peace Mission 2005", "troops_high"])
    assert low < high
    inside = claims.check(claim("count", "troops Peace_Mission_2005", str((low + high) // 2), "2010-01-01"))
    outside = claims.check(claim("count", "troops Peace_Mission_2005", str(high + 1), "2010-01-01"))
    assert (inside.verdict, outside.verdict) == ("supported", "wrong")
    assert inside.actual == f"{low} to {high}"


def test_exercise_years_follow_the_date_described():
    held = data.table("exercises")
    assert claims.compute("exercise_year first", pd.Timestamp("2030-01-01")) == held["year"].min()
    assert claims.compute("exercise_year last", pd.Timestamp("2014-12-31")) == held.loc[held["year"] <= 2014, "year"].max()
    # Uzbekistan's share of exercises is the share of rows listing it among the participants
    upto = held[held["year"] <= 2023]
    share = upto["participants"].map(lambda p: "UZB" in list(p)).mean()
    assert claims.compute("took_part UZB", pd.Timestamp("2023-12-31")) == pytest.approx(share)


def test_every_claim_with_a_measure_gets_an_answer():
    # A typo in a measure would otherwise turn a checkable claim into 'not checkable' without notice.
    table = claims.verdicts().merge(data.table("claims")[["claim_id", "measure"]], on="claim_id")
    # (a claim that presumes another may stay unchecked when its premise holds: it says so)
    unanswered = table[(table["verdict"] == "not checkable") & (table["measure"] != "none")
                       & ~table["reason"].str.startswith("the premise (")]
    assert unanswered.empty, unanswered[["claim_id", "reason"]].to_string()


def test_a_claim_the_data_cannot_answer_says_why():
    # 'not checkable' is a verdict only with a reason a reader can follow up.
    claims_file = data.table("claims")
    unanswerable = claims_file[claims_file["measure"] == "none"]
    silent = unanswerable[unanswerable["note"].fillna("").str.strip() == ""]
    assert silent.empty, f"claims marked 'none' without a note: {', '.join(silent['claim_id'])}"
