"""Charts readers can read on any screen: words not codes, sized to the page (no browser needed)."""
import json
import re

import pandas as pd
import pytest

from secorgs import charts, data, gluing


@pytest.fixture(autouse=True)
def _setup():
    charts.setup()


def _values(spec):
    """Every inline data row in a spec (top-level datasets and inline values)."""
    rows = [row for rows in spec.get("datasets", {}).values() for row in rows]
    return rows


def _apply(vega, patch):
    """A JSON patch (RFC 6902: test, replace, remove, add) applied to a copy of ``vega``."""
    doc = json.loads(json.dumps(vega))
    for op in patch:
        *parents, last = op["path"].strip("/").split("/")
        node = doc
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key = int(last) if isinstance(node, list) else last
        if op["op"] == "test":
            assert node[key] == op["value"], op
        elif op["op"] == "replace":
            node[key] = op["value"]
        elif op["op"] == "remove":
            del node[key]
        elif op["op"] == "add":
            node.insert(key, op["value"]) if isinstance(node, list) else node.__setitem__(key, op["value"])
    return doc


def test_source_keys_and_status_codes_become_words_in_any_chart():
    import altair as alt

    df = pd.DataFrame({"source": ["bartok_varro", "seed_blog_000"], "status": ["dialogue_partner", "member"],
                       "n": [3, 4]})
    spec = alt.Chart(df).mark_bar().encode(y="source:N", x="n:Q", color="status:N").to_dict()
    rows = _values(spec)
    labels = gluing.bibliography()
    assert {r["source"] for r in rows} == {labels["bartok_varro"]["label"], labels["seed_blog_000"]["label"]}
    assert {r["status"] for r in rows} == {"dialogue partner", "member"}
    assert "bartok_varro" not in json.dumps(spec)


def test_status_legend_reads_dialogue_partner():
    counts = pd.DataFrame({"year": [2001, 2001, 2002], "status": ["member", "dialogue_partner", "member"],
                           "count": [6, 2, 6]})
    spec = charts.status_area(counts, "t", "d").to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["member", "dialogue partner"]
    assert "dialogue_partner" not in json.dumps(spec)


def test_a_single_view_takes_the_width_of_its_container():
    chart = charts.step_counts(pd.DataFrame({"year": [2000, 2001], "count": [5, 6],
                                             "org": ["ASEAN", "ASEAN"]}), "Members", "d")
    spec = charts.responsive(chart.to_dict())
    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["encoding"]["color"]["legend"]["columns"] == {"expr": "max(1, floor(width / 150))"}


def test_long_titles_break_into_lines_that_fit_a_phone():
    spec = charts.responsive({"mark": "point", "width": 600, "title": "Members (participants for the ARF), year by year"})
    assert isinstance(spec["title"], list) and len(spec["title"]) == 2
    assert max(len(line) for line in spec["title"]) <= charts.TITLE_CHARS


def _shares():
    rows = [{"year": y, "org": o, "indicator": i, "share": 0.1 + 0.01 * k}
            for k, (y, o, i) in enumerate((y, o, i) for y in (2000, 2001) for o in ("ASEAN", "SCO")
                                          for i in charts.INDICATOR_TITLES)]
    return pd.DataFrame(rows)


def test_a_faceted_chart_follows_the_page_width_by_a_measured_patch():
    import vl_convert as vlc

    chart = charts.share_lines(_shares(), "Share of the world held by members", "d")
    spec = charts.responsive(chart.to_dict())
    patch = spec["usermeta"]["embedOptions"]["patch"]
    replaced = [op for op in patch if op["op"] == "replace"]
    assert [op["value"]["name"] for op in replaced] == ["child_width"]
    room = int(re.search(r"- (\d+)\)$", replaced[0]["value"]["init"]).group(1))
    assert 40 < room < 200  # the y axis with its title and labels, not the panel itself
    # the patch applies to the Vega spec the browser compiles (a failed "test" op would raise)
    vega = _apply(vlc.vegalite_to_vega(charts._fixed_size(spec)), patch)
    assert vega["signals"][0]["on"][0]["events"] == "window:resize"
    # stacked panels: one column, so the figure is as wide as one panel
    assert chart.to_dict()["columns"] == 1


def test_the_what_if_figure_follows_the_page_width():
    candidates = pd.DataFrame({"iso3": ["EGY", "TUR"], "country": ["Egypt", "Türkiye"],
                               "pop_share": [0.014, 0.011], "gdp_share": [0.004, 0.01]})
    spec = charts.responsive(charts.what_if(candidates, {"n": 10, "pop_share": 0.42, "gdp_share": 0.24, "pi": 0.6},
                                            "What if", "d").to_dict())
    ops = spec["usermeta"]["embedOptions"]["patch"]
    added = [op for op in ops if op["op"] == "add"]
    assert added and added[-1]["value"]["name"] == "width" and ops[-1] == added[-1]
    text = json.dumps(spec)
    assert "P(some proposal passes)" in text and '"x": {"value": 0}' in text


def test_export_keeps_a_fixed_width():
    spec = charts.responsive({"mark": "point", "width": 600, "data": {"values": [{"a": 1}]},
                              "encoding": {"x": {"field": "a", "type": "quantitative"}}})
    fixed = charts._fixed_size(spec)
    assert fixed["width"] == charts.WIDTH and "autosize" not in fixed


def test_export_writes_a_container_sized_chart(tmp_path):
    spec = charts.responsive({"mark": "point", "width": 600, "height": 100, "data": {"values": [{"a": 1}]},
                              "encoding": {"x": {"field": "a", "type": "quantitative"}}})
    svg, png = charts.write_figure(spec, "t", tmp_path)
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg.read_text()).group(1))
    assert charts.WIDTH <= width < charts.WIDTH + 100


@pytest.mark.parametrize("scale, center, inside", [(650, (118, 8), [(100.5, 13.7), (106.8, 10.8), (121, 14.6)]),
                                                   (230, (75, 42), [(116.4, 39.9), (37.6, 55.8), (77.2, 28.6)])])
def test_maps_are_fitted_to_the_region_the_authors_framed(scale, center, inside):
    box = charts.region_box(scale, center)
    (west, south), (east, north) = box["geometry"]["coordinates"]
    assert west < center[0] < east and south < center[1] < north
    for lon, lat in inside:  # Bangkok, Ho Chi Minh City, Manila; Beijing, Moscow, New Delhi
        assert west < lon < east and south < lat < north


def test_member_map_fits_its_region_and_clips_the_world():
    spells = data.spells("SCO", "member")
    spec = charts.member_map(spells, "t", "d", 2001, 2025, 2025, scale=230, center=(75, 42)).to_dict()
    assert spec["projection"]["fit"] == charts.region_box(230, (75, 42))
    assert "scale" not in spec["projection"] and all(layer["mark"]["clip"] for layer in spec["layer"])


def test_heatmap_has_no_grid_lines_through_its_numbers():
    table = data.overlap({"A": {"X", "Y"}, "B": {"Y"}})
    spec = charts.overlap_heatmap(table, "t", "d").to_dict()
    axes = [layer.get("encoding", spec.get("encoding", {})) for layer in spec["layer"]] + [spec.get("encoding", {})]
    grids = [enc[ch]["axis"]["grid"] for enc in axes for ch in ("x", "y") if ch in enc and "axis" in enc[ch]]
    assert grids and not any(grids)


def test_model_explorer_puts_neighbouring_labels_on_opposite_sides():
    from secorgs import consensus

    grid = consensus.grid(range(1, 13), [0.5, 1.0])
    marks = pd.DataFrame({"n": [10, 11], "label": ["SCO", "ASEAN"]})
    spec = charts.model_explorer(grid, "t", "d", marks=marks).to_dict()
    texts = [layer["mark"] for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert sorted(mark["align"] for mark in texts) == ["left", "right"]
    assert {mark["dx"] for mark in texts} == {-10, 10}


def test_model_explorer_carries_probabilities_to_four_decimals_and_still_finds_every_sigma():
    from secorgs import consensus

    grid = consensus.grid(range(1, 13), [0.1, 0.2, 0.3])
    spec = charts.model_explorer(grid, "t", "d").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == len(grid)
    assert all(len(repr(r["p"]).split(".")[-1]) <= 4 for r in rows)
    assert max(abs(row["p"] - exact) for row, exact in zip(rows, grid["p"])) <= 5e-5
    assert any(len(repr(p).split(".")[-1]) > 4 for p in grid["p"])  # the model itself gives more digits
    shown = sorted({r["sigma"] for r in rows})
    assert shown == [0.1, 0.2, 0.3]


def test_org_chart_rows_never_overlap_and_names_fit_a_phone():
    bodies = data.table("bodies")
    nodes = charts.outline_layout(bodies[bodies["org_id"] == "ASEAN"])
    assert max(len(line) for label in nodes["label"] for line in label.split("\n")) <= 30
    lines = nodes["label"].str.count("\n") + 1
    tops, bottoms = nodes["py"] - lines * 7.5, nodes["py"] + lines * 7.5
    assert (tops.iloc[1:].values >= bottoms.iloc[:-1].values).all()
    assert nodes["depth"].iloc[0] == 0 and set(nodes["body"]) == set(bodies.loc[bodies["org_id"] == "ASEAN", "body"])


def test_organisation_codes_read_as_names_in_the_legend_and_tooltip():
    import vl_convert as vlc

    counts = pd.DataFrame({"year": [1996, 1997, 2001], "count": [5, 5, 6], "org": ["SHANGHAI5", "SHANGHAI5", "SCO"]})
    spec = charts.step_counts(counts, "Members", "d").to_dict()
    svg = vlc.vegalite_to_svg(spec)
    assert "Shanghai Five" in svg and "SHANGHAI5" not in svg
    tooltip_fields = [t["field"] for t in spec["encoding"]["tooltip"]]
    assert "org" not in tooltip_fields and "organisation" in tooltip_fields


def test_a_timeline_never_shows_a_day_the_sources_do_not_give():
    joined = pd.DataFrame({"country": ["Australia", "Brunei"],
                           "start": pd.to_datetime(["1974-04-01", "1984-01-07"]),
                           "start_precision": ["month", "day"]})
    rows = next(iter(charts.timeline(joined, "t", "d").to_dict()["datasets"].values()))
    assert [r["joined"] for r in rows] == ["April 1974", "7 January 1984"]


def _legend_entries(svg: str) -> list[tuple[str, str]]:
    """(label, symbol colour) of each entry of the (one) legend of a rendered chart."""
    legend = svg[svg.index('class="mark-group role-legend"'):]
    colours = re.findall(r'role-legend-symbol.*?fill="(#[0-9a-fA-F]{6})"', legend, re.S)
    labels = re.findall(r'role-legend-label.*?<text[^>]*>([^<]*)</text>', legend, re.S)
    return list(zip(labels, colours))


@pytest.mark.parametrize("year, expected", [
    (2025, [("member", charts.MAP_STATUS_COLOURS["member"])]),
    (2010, [(status, colour) for status, colour in charts.MAP_STATUS_COLOURS.items()]),
])
def test_member_map_legend_lists_only_what_the_chosen_year_shows_each_in_its_colour(year, expected):
    import vl_convert as vlc

    spells = data.spells("SCO", "member")  # in 2025 every country drawn is a member; in 2010 India is not yet
    spec = charts.member_map(spells, "t", "d", 2001, 2025, year, scale=230, center=(75, 42)).to_dict()
    svg = vlc.vegalite_to_svg(charts._inline_map(charts._fixed_size(spec)))
    assert [(label, colour.upper()) for label, colour in _legend_entries(svg)] == \
        [(label, colour.upper()) for label, colour in expected]


def test_stacked_steps_keep_the_last_year_label_inside_the_plot():
    import vl_convert as vlc

    counts = pd.DataFrame({"year": list(range(1976, 2026)) * 2, "status": ["member"] * 50 + ["observer"] * 50,
                           "count": [5] * 50 + [1] * 50})
    spec = charts.stacked_steps(counts, "status", "Status", charts.STATUS_COLOURS, "t", "d").to_dict()
    svg = vlc.vegalite_to_svg(charts._fixed_size(spec))
    labels = [(anchor, float(x), text) for anchor, x, text in re.findall(
        r'<text text-anchor="(\w+)" transform="translate\(([\d.]+),\d+\)"[^>]*opacity="1">(\d{4})</text>', svg)]
    last_anchor, last_x, _ = max(labels, key=lambda label: label[1])
    # the last visible year label ends at its tick (flush), so it cannot run past the plot's right edge
    assert last_anchor == "end" and last_x <= charts.WIDTH
    assert min(labels, key=lambda label: label[1])[0] == "start"
