"""The query API against facts documented outside this repository (cited beside each case)."""
import pandas as pd
import pytest

from secorgs import data


def test_asean_had_ten_members_at_the_start_of_2000():
    # Cambodia, the tenth member, joined on 30 April 1999 (ASEAN Secretariat, "About ASEAN").
    assert data.member_count("ASEAN", "2000-01-01") == 10


def test_asean_membership_the_day_before_and_of_timor_leste_admission():
    # Timor-Leste became the 11th member on 26 October 2025 (ASEAN statement, 47th Summit).
    assert data.member_count("ASEAN", "2025-10-25") == 10
    assert data.member_count("ASEAN", "2025-10-26") == 11
    assert "TLS" in set(data.members("ASEAN", "2023-01-01", status="observer")["iso3"])


def test_sco_had_six_members_in_2017_and_eight_in_2018():
    # India and Pakistan joined at the Astana summit, 9 June 2017.
    assert data.member_count("SCO", "2017-01-01") == 6
    assert data.member_count("SCO", "2018-01-01") == 8


def test_sco_after_the_tianjin_summit():
    # Wang Yi, 1 September 2025: ten members and seventeen partners, "27 like-minded countries".
    on = "2025-09-02"
    assert data.member_count("SCO", on) == 10
    assert data.member_count("SCO", on, status="partner") == 17
    assert data.member_count("SCO", on, status=("observer", "dialogue_partner")) == 0


def test_sco_before_the_tianjin_summit():
    # Before the merger: two observers (Afghanistan, Mongolia) and fourteen dialogue partners.
    on = "2025-08-31"
    assert set(data.members("SCO", on, status="observer")["iso3"]) == {"AFG", "MNG"}
    assert data.member_count("SCO", on, status="dialogue_partner") == 14


def test_arf_participants():
    # 18 at the first meeting (Bangkok, 25 July 1994); Bangladesh the 26th (2006), Sri Lanka the 27th (2007).
    assert data.member_count("ARF", "1994-07-25", status="participant") == 18
    assert data.member_count("ARF", "2006-12-31", status="participant") == 26
    assert data.member_count("ARF", "2007-12-31", status="participant") == 27


def test_shanghai_five_ends_when_the_sco_begins():
    assert data.member_count("SHANGHAI5", "2001-06-14") == 5
    assert data.member_count("SHANGHAI5", "2001-06-15") == 0
    assert data.member_count("SCO", "2001-06-15") == 6


def test_end_date_is_exclusive_and_start_inclusive():
    # Iran was an observer until the day it became a member (4 July 2023).
    assert "IRN" in set(data.members("SCO", "2023-07-03", status="observer")["iso3"])
    assert "IRN" not in set(data.members("SCO", "2023-07-04", status="observer")["iso3"])
    assert "IRN" in set(data.members("SCO", "2023-07-04")["iso3"])


def test_counts_by_year_uses_the_end_of_each_year():
    counts = data.counts_by_year("ASEAN", [1983, 1984, 1999]).set_index("year")["count"]
    assert counts.to_dict() == {1983: 5, 1984: 6, 1999: 10}


def test_first_joined_orders_countries_by_date():
    joined = data.first_joined("SCO")
    assert list(joined["iso3"][-2:]) == ["IRN", "BLR"]
    assert joined["start"].is_monotonic_increasing


def test_unknown_organisation_is_an_error():
    with pytest.raises(KeyError, match="NATO"):
        data.members("NATO", "2020-01-01")


def test_world_share_of_the_world_is_one():
    assert data.share_of_world(["WLD"], 2020, "population") == pytest.approx(1.0)


def test_share_is_the_sum_over_the_world_total():
    ind = data.table("indicators").set_index(["iso3", "year"])
    expected = (ind.loc[("CHN", 2010), "population"] + ind.loc[("IND", 2010), "population"]) \
        / ind.loc[("WLD", 2010), "population"]
    assert data.share_of_world(["CHN", "IND"], 2010, "population") == pytest.approx(expected)
    # China and India together held well over a third of humanity in 2010 (UN WPP: about 37%).
    assert 0.34 < expected < 0.40


def test_missing_values_are_refused_not_skipped():
    with pytest.raises(ValueError, match="no gdp_usd for"):
        data.share_of_world(["CHN"], 1800, "gdp_usd")


def test_latest_complete_year_needs_every_country():
    year = data.latest_complete_year(["CHN", "IND"], "population")
    ind = data.table("indicators")
    assert not ind[(ind["year"] == year) & ind["iso3"].isin(["CHN", "IND", "WLD"])]["population"].isna().any()
    assert year >= 2022


def test_as_of_is_the_latest_date_in_the_data():
    as_of = data.as_of()
    assert as_of == pd.Timestamp("2025-10-26")  # Timor-Leste's admission, the latest dated fact


def test_counts_by_status_for_the_sco_in_2016():
    # End of 2016: six members; observers Afghanistan, Belarus, India, Iran, Mongolia, Pakistan;
    # dialogue partners Armenia, Azerbaijan, Cambodia, Nepal, Sri Lanka, Turkey.
    table = data.counts_by_status("SCO", [2016], ["member", "observer", "dialogue_partner"])
    assert table.set_index("status")["count"].to_dict() == {"member": 6, "observer": 6, "dialogue_partner": 6}


def test_regions_of_the_asean_founders_are_south_eastern_asia():
    founders = data.members("ASEAN", "1967-08-08")
    assert set(data.with_regions(founders)["region"]) == {"South-eastern Asia"}


def test_overlap_counts_shared_members():
    table = data.overlap({"x": {"A", "B", "C"}, "y": {"B", "C", "D"}}).set_index(["a", "b"])
    assert table.loc[("x", "y"), "shared"] == 2 and table.loc[("x", "y"), "codes"] == "B, C"
    assert table.loc[("x", "x"), "shared"] == 3
    named = data.overlap({"p": {"KHM", "CHN"}, "q": {"CHN", "KHM", "IND"}}).set_index(["a", "b"])
    assert named.loc[("p", "q"), "names"] == "Cambodia, China"


def test_every_body_reports_to_a_body_of_its_own_organisation():
    bodies = data.table("bodies")
    for org, group in bodies.groupby("org_id"):
        names = set(group["body"])
        parents = set(group["parent"]) - {""}
        assert parents <= names, (org, parents - names)
        tops = group[group["parent"] == ""]
        assert len(tops) == 1 and (tops["level"] == 1).all()
        levels = group.set_index("body")["level"]
        for _, row in group[group["parent"] != ""].iterrows():
            assert levels[row["parent"]] < row["level"]


def test_shares_by_year_refuses_incomplete_years_and_counts_members():
    table = data.shares_by_year("SCO", [2000, 2001, 2017], "population").set_index("year")
    assert table.loc[2000, "share"] == 0.0 and table.loc[2000, "countries"] == 0
    assert table.loc[2017, "countries"] == 8
    assert table.loc[2017, "share"] > table.loc[2001, "share"] * 1.5  # India and Pakistan joined
    gaps = data.shares_by_year("SCO", [1800], "gdp_usd")
    assert gaps["share"].isna().all() or gaps.loc[0, "countries"] == 0


def test_per_capita_is_gdp_over_population():
    ind = data.table("indicators").set_index(["iso3", "year"])
    expected = ind.loc[("SGP", 2010), "gdp_usd"] / ind.loc[("SGP", 2010), "population"]
    assert data.per_capita(["SGP"], 2010)["SGP"] == pytest.approx(expected)
    # Singapore's GDP per head in 2010 was in the tens of thousands of US dollars (World Bank).
    assert 30_000 < expected < 60_000


def test_latest_share_names_what_it_leaves_out():
    # The World Bank publishes no GDP series for North Korea.
    share, year, excluded = data.latest_share(["CHN", "PRK"], "gdp_usd")
    assert excluded == ["PRK"]
    assert share == pytest.approx(data.share_of_world(["CHN"], year, "gdp_usd"))
    assert data.latest_share(["CHN", "PRK"], "population")[2] == []


def test_asean_chair_rotation_departures():
    # Indonesia and Brunei exchanged the 2011 and 2013 turns, Myanmar and Laos the 2014 and 2016 turns,
    # and the Philippines took Myanmar's 2026 turn (ASEAN Secretariat; news reports of 2025).
    rotation = data.chair_rotation("ASEAN")
    assert rotation.loc[~rotation["follows_rotation"], "year"].tolist() == [2011, 2013, 2014, 2016, 2026]
    assert rotation.set_index("year").loc[2026, "expected"] == "MMR"


def test_tac_party_counts_match_the_counts_announced_at_signing_ceremonies():
    # Counts announced on the day, by the chairs or the news agencies present (references.bib):
    # 35 after Chile, Egypt and Morocco (Vientiane, 6 Sep 2016); 43 after Colombia, Cuba and South
    # Africa (10 Nov 2020); 49 after six accessions in Phnom Penh (3 Aug 2022); Saudi Arabia the
    # 51st (12 Jul 2023); 54 after Serbia, Panama and Kuwait (4 Sep 2023); 57 after Algeria and
    # Uruguay (9 Jul 2025). Clinton, 22 Jul 2009: "Since then, 25 nations have entered the treaty".
    announced = {"2016-09-06": 35, "2020-11-10": 43, "2022-08-03": 49, "2023-07-12": 51,
                 "2023-09-04": 54, "2025-07-09": 57, "2009-07-21": 25}
    for day, count in announced.items():
        assert data.party_count("TAC", day) == count, day


def test_tac_parties_are_ordered_by_date_and_named():
    df = data.parties("TAC", "1990-01-01")
    assert list(df["date"]) == sorted(df["date"])
    assert df["party"].iloc[-1] == "PNG"  # the first state outside Southeast Asia, 1989
    assert df["name"].notna().all() and df["continent"].notna().all()


def test_every_later_asean_member_became_a_tac_party_no_later_than_it_joined():
    # The treaty (1976) postdates ASEAN's founding (1967); members admitted later acceded first.
    joined = data.first_joined("ASEAN").set_index("iso3")["start"]
    acceded = data.parties("TAC").set_index("party")["date"]
    later = joined[joined > pd.Timestamp("1976-02-24")]
    assert len(later) >= 6
    for iso3, day in later.items():
        assert acceded[iso3] <= day, iso3


def test_party_counts_by_year_use_the_end_of_each_year():
    counts = data.party_counts_by_year("TAC", [1975, 1976, 2003]).set_index("year")["count"]
    assert counts[1975] == 0 and counts[1976] == 5
    assert counts[2003] == data.party_count("TAC", "2003-12-31")


def test_unknown_treaty_is_an_error():
    with pytest.raises(KeyError):
        data.parties("NOPE")


def test_party_counts_by_continent_add_up_to_the_total():
    years = [1976, 1989, 2004, 2016]
    total = data.party_counts_by_year("TAC", years).set_index("year")["count"]
    by = data.party_counts_by_year("TAC", years, by="continent")
    assert (by.groupby("year")["count"].sum() == total).all()
    # Papua New Guinea (1989) is the first party in Oceania.
    oceania = by[by["continent"] == "Oceania"].set_index("year")["count"]
    assert oceania[1976] == 0 and oceania[1989] == 1


def test_asean_dialogue_partners_with_starts_known_to_the_month():
    # ASEAN lists eleven dialogue partners (asean.org, "External Relations"); Australia's relations were
    # formalised in April 1974 (DFAT), New Zealand's dialogue launched in July 1975 (Capie 2015), Japan's
    # in March 1977 (ASEAN Secretariat): no day is known, so each counts from the first of its month.
    assert data.member_count("ASEAN", "2025-12-31", status="dialogue_partner") == 11
    assert data.member_count("ASEAN", "1974-03-31", status="dialogue_partner") == 0
    assert set(data.members("ASEAN", "1974-04-01", status="dialogue_partner")["iso3"]) == {"AUS"}
    assert set(data.members("ASEAN", "1977-03-01", status="dialogue_partner")["iso3"]) == {"AUS", "NZL", "CAN", "JPN"}


def test_start_labels_show_no_day_that_is_not_known():
    spells = data.spells("ASEAN", "dialogue_partner").set_index("iso3")
    labels = data.start_labels(spells)
    assert labels["AUS"] == "April 1974" and labels["JPN"] == "March 1977"
    assert labels["CAN"] == "4 February 1977"  # known to the day
    assert data.start_labels(spells, "year")["NZL"] == "1975"
    assert (spells["start_precision"] == "day").sum() == len(spells) - 3  # an empty cell means day


def test_treaty_titles_count_each_instrument_once_on_signature():
    titles = data.treaty_titles("ASEAN")
    events = data.table("events")
    asean_treaties = events[(events["org_id"] == "ASEAN") & (events["kind"] == "treaty")]
    # SEANWFZ has a signature row and two entry-into-force rows (sources differ by a day): counted once
    assert sum("SEANWFZ" in t for t in titles) == 1
    assert sum(asean_treaties["title"].str.contains("SEANWFZ")) == 3
    assert not [t for t in titles if "force" in t or "ratification" in t or t.endswith(" signed")]
    assert data.treaty_titles("ARF") == []
