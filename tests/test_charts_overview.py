"""The book's two overview figures: every role of every country in ASEAN, the ARF and the SCO on one map,
and the three organisations' milestones on one timeline (data functions and chart builders)."""
import json

import pandas as pd
import pytest

from secorgs import charts, data, gluing

ORGS = data.BOOK_ORGS


@pytest.fixture(autouse=True)
def _setup():
    charts.setup()


def _held(on):
    """Every (iso3, org, status) holding on ``on``, read straight from the CSV rows (not via data.roles)."""
    spells = data.table("memberships")
    when = pd.Timestamp(on)
    return {(r.iso3, r.org_id, r.status) for r in spells.itertuples()
            if r.org_id in ORGS and r.start <= when and (pd.isna(r.end) or when < r.end)}


@pytest.mark.parametrize("on", [None, "1996-01-01", "2010-06-30", "2024-01-01"])
def test_every_country_with_a_role_appears_once_with_all_its_roles(on):
    table = data.country_roles(on)
    held = _held(data.as_of() if on is None else on)
    assert table["iso3"].is_unique
    assert set(table["iso3"]) == {iso3 for iso3, _, _ in held}
    for row in table.itertuples():
        mine = {(org, status) for iso3, org, status in held if iso3 == row.iso3}
        listed = set(row.roles.split("; "))
        assert listed == {f"{org} {gluing.STATUS_WORDS.get(s, s)}" for org, s in mine}
        assert row.n_orgs == len({org for org, _ in mine})
        for org in ORGS:
            assert set(filter(None, getattr(row, org).split(";"))) == {s for o, s in mine if o == org}
    assert list(table["n_orgs"]) == sorted(table["n_orgs"], reverse=True)


def test_roles_hold_from_start_to_the_day_before_end():
    spells = data.table("memberships")
    ended = spells[spells["org_id"].isin(ORGS) & spells["end"].notna()].iloc[0]
    last_day = ended["end"] - pd.Timedelta(days=1)
    on_last = data.roles(last_day)
    on_end = data.roles(ended["end"])
    key = (ended["iso3"], ended["org_id"], ended["status"])
    assert key in set(zip(on_last["iso3"], on_last["org_id"], on_last["status"]))
    assert key not in set(zip(on_end["iso3"], on_end["org_id"], on_end["status"]))


def test_a_country_in_two_organisations_lists_both_in_the_book_order():
    table = data.country_roles()
    several = table[table["n_orgs"] > 1]
    assert len(several)
    for roles in several["roles"]:
        orgs_named = [role.split(" ")[0] for role in roles.split("; ")]
        assert orgs_named == sorted(orgs_named, key=ORGS.index)


def test_unknown_organisation_is_refused():
    with pytest.raises(KeyError):
        data.roles(orgs=("ASEAN", "NATO"))


def _synthetic_roles():
    """Roles of a few countries, with a status code the book does not know yet."""
    rows = [("CHN", "China", "ARF", "participant"), ("CHN", "China", "SCO", "member"),
            ("CHN", "China", "ASEAN", "dialogue_partner"), ("IDN", "Indonesia", "ASEAN", "member"),
            ("IDN", "Indonesia", "ARF", "participant"), ("USA", "United States", "ARF", "participant"),
            ("USA", "United States", "ASEAN", "dialogue_partner"), ("EUU", "European Union", "ARF", "participant"),
            ("NOR", "Norway", "ASEAN", "sectoral_dialogue_partner"), ("TUR", "Türkiye", "SCO", "partner")]
    df = pd.DataFrame(rows, columns=["iso3", "country", "org_id", "status"])
    continents = {"CHN": "Asia", "IDN": "Asia", "USA": "Americas", "EUU": None, "NOR": "Europe", "TUR": "Asia"}
    return df.assign(continent=df["iso3"].map(continents))


def _panels(spec):
    """Per panel: the lookup rows of its coloured countries and the text of its note (or None)."""
    datasets = spec.get("datasets", {})
    out = []
    for panel in spec["vconcat"]:
        rows, note = None, None
        for layer in panel["layer"]:
            for step in layer.get("transform", []):
                if "lookup" in step:
                    rows = datasets[step["from"]["data"]["name"]]
            if layer["mark"]["type"] == "text":
                note = datasets[layer["data"]["name"]][0]["note"]
        out.append((rows, note))
    return out


def test_roles_map_shows_every_role_in_words_and_lists_what_it_cannot_draw():
    roles = _synthetic_roles()
    titles = {"ASEAN": "ASEAN", "ARF": "ASEAN Regional Forum", "SCO": "SCO"}
    spec = charts.roles_map(roles, "t", "d", titles).to_dict()
    text = json.dumps(spec)
    assert "dialogue_partner" not in text and "sectoral_dialogue_partner" not in text
    domain = spec["vconcat"][0]["layer"][1]["encoding"]["color"]["scale"]["domain"]
    assert "dialogue partner" in domain and "sectoral dialogue partner" in domain
    assert all("_" not in word for word in domain)
    colours = spec["vconcat"][0]["layer"][1]["encoding"]["color"]["scale"]["range"]
    assert len(set(colours)) == len(colours) == len(domain)  # a status the book does not know yet gets its own
    panels = _panels(spec)
    assert [" ".join(p["title"]["text"]) for p in spec["vconcat"]] == list(titles.values())
    for org, (rows, note) in zip(titles, panels):
        expected = roles[roles["org_id"] == org]
        drawn = expected[expected["iso3"].isin(["CHN", "IDN", "NOR", "TUR"])]
        assert sorted(r["country"] for r in rows) == sorted(drawn["country"])  # each drawn country once
        for row in rows:
            every = roles[roles["country"] == row["country"]]
            assert row["roles"].count(";") == len(every) - 1  # all its roles, in every organisation
            assert all(org_id in row["roles"] for org_id in every["org_id"])
        away = expected[~expected["iso3"].isin(drawn["iso3"])]
        if len(away):
            assert all(name in note.replace("\n", " ") for name in away["country"])
        else:
            assert note is None
    china = next(r for r in panels[2][0] if r["country"] == "China")
    assert china["roles"] == "ASEAN dialogue partner; ARF participant; SCO member"


def test_roles_map_follows_the_page_width_and_keeps_its_region_in_view():
    import vl_convert as vlc

    roles = data.with_regions(data.roles())
    chart = charts.roles_map(roles, "t", "d", {org: org for org in ORGS})
    spec = chart.to_dict()
    fit = spec["vconcat"][0]["projection"]["fit"]
    (west, south), (east, north) = fit["geometry"]["coordinates"]
    assert (west, south, east, north) == charts.ROLES_MAP_BOX
    assert all(layer["mark"]["clip"] for panel in spec["vconcat"] for layer in panel["layer"]
               if layer["mark"]["type"] == "geoshape")
    patch = charts.responsive(spec)["usermeta"]["embedOptions"]["patch"]
    widths = [op["value"] for op in patch if op["op"] in ("add", "replace") and "containerSize" in json.dumps(op)]
    assert widths, "a map fixed at its authored width would overflow a phone"
    vega = vlc.vegalite_to_vega(charts._fixed_size(spec))
    assert isinstance(vega.get("width"), (int, float)) or any(s.get("name", "").endswith("width")
                                                               for s in vega.get("signals", []))


def test_every_role_holder_the_map_draws_is_in_the_served_map():
    from secorgs.build import vendor

    if not vendor.WORLD_MAP.exists():
        pytest.skip("node_modules/world-atlas is missing: run `npm ci` (make does)")
    world = json.loads(vendor.WORLD_MAP.read_text(encoding="utf-8"))
    cut = vendor.cut_world_map(world)
    served = {g.get("id") for g in cut["objects"]["countries"]["geometries"]}
    countries = data.table("countries")
    for row in countries.itertuples():
        numeric = charts.iso_numeric(row.iso3)
        # the United States keeps only the Aleutians west of 180°: not drawn within the frame
        expected = numeric is not None and numeric in served and row.continent != "Americas"
        assert charts.on_served_map(row.iso3, row.continent) == expected, row.iso3


def test_milestones_show_each_admission_once_and_leave_out_alternatives():
    table = data.milestones(forerunners={"SHANGHAI5": "SCO"})
    assert list(dict.fromkeys(table["org_id"])) == list(ORGS)
    events = data.table("events").set_index("event_id")
    alternatives = events[events.index.str.endswith("_alt")]
    assert not set(alternatives["title"]) & set(table["title"])
    assert not table["title"].str.contains("enters into force").any()
    for org in ORGS:
        status = data.CORE_STATUS.get(org, "member")
        first = data.first_joined(org, status)
        joined_later = first[first["start"] > first["start"].min()]
        rows = table[(table["org_id"] == org) & (table["kind"] == "Enlargement")]
        assert sorted(rows["date"]) == sorted(joined_later["start"].unique())
        for name in joined_later["country"]:
            assert rows["title"].str.contains(name, regex=False).sum() == 1
    shanghai = events[events["org_id"] == "SHANGHAI5"]
    assert len(shanghai) and (table["title"].str.startswith("Shanghai Five: ").sum() == len(
        shanghai[shanghai["kind"].isin(data.MILESTONE_KINDS)]))
    assert set(table["kind"]) <= {k.capitalize() for k in (*data.MILESTONE_KINDS, "enlargement")}


def test_milestone_timeline_has_one_row_per_organisation_and_says_what_each_point_is():
    table = data.milestones()
    spec = charts.event_timeline(table, "t", "d").to_dict()
    assert spec["encoding"]["y"]["sort"] == list(ORGS)
    titles = {t.get("title") for t in spec["encoding"]["tooltip"]}
    assert "What" in titles
    rows = [r for rows in spec["datasets"].values() for r in rows]
    assert len(rows) == len(table) and all(r["title"] for r in rows)


def test_panel_titles_break_into_lines_that_fit_a_phone():
    long = {"ASEAN": ("Association of Southeast Asian Nations and a great many more words besides",
                      "11 members, 12 dialogue partners, 1 observer and some sectoral dialogue partners"),
            "SCO": "Shanghai Cooperation Organisation"}
    spec = charts.roles_map(_synthetic_roles(), "t", "d", long).to_dict()
    first, second = (panel["title"] for panel in spec["vconcat"])
    assert " ".join(first["text"]) == long["ASEAN"][0] and " ".join(first["subtitle"]) == long["ASEAN"][1]
    assert " ".join(second["text"]) == long["SCO"] and "subtitle" not in second
    lines = first["text"] + first["subtitle"] + second["text"]
    assert len(lines) > 3 and all(len(line) <= charts.PANEL_TITLE_CHARS for line in lines)
    # 13 px bold type is about 7.5 px a character: a line must fit the 320 px a phone leaves
    assert charts.PANEL_TITLE_CHARS * 7.5 <= 320
