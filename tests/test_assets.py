"""The page-weight machinery, tested without a built book: the world map cut, the per-page script
choice, source-map removal, the chart renderer's queued form and exercise numbering by chapter."""
import json
import re
import types

import pytest
from sphinx.builders.html._assets import _JavaScript

from secorgs import charts, data
from secorgs.build import sphinx_assets, vendor
from secorgs.build.figures import SPEC


@pytest.fixture(scope="module")
def world():
    if not vendor.WORLD_MAP.exists():
        pytest.skip("node_modules/world-atlas is missing: run `npm ci` (make does)")
    return json.loads(vendor.WORLD_MAP.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cut(world):
    return vendor.cut_world_map(world)


def names(topology):
    return {g["properties"]["name"] for g in topology["objects"]["countries"]["geometries"]}


def rings(topology, name):
    """The absolute coordinates of every ring of country ``name``."""
    geometry = next(g for g in topology["objects"]["countries"]["geometries"] if g["properties"]["name"] == name)
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    out = []
    for polygon in polygons:
        for ring in polygon:
            points = []
            for index in ring:
                arc = vendor._arc_points(topology["arcs"][index if index >= 0 else ~index], topology["transform"])
                points += arc if index >= 0 else arc[::-1]
            out.append(points)
    return out


def test_the_cut_map_keeps_asia_and_drops_the_americas(world, cut):
    assert {"China", "Indonesia", "Russia", "Kazakhstan", "India", "Myanmar", "Australia", "Belarus"} <= names(cut)
    assert not {"Brazil", "Argentina", "Canada", "Mexico", "Antarctica", "South Africa"} & names(cut)
    assert len(json.dumps(cut)) < 0.6 * len(json.dumps(world))


def test_every_member_the_maps_colour_is_in_the_cut_map(cut):
    ids = {g.get("id") for g in cut["objects"]["countries"]["geometries"]}
    for org in ("ASEAN", "SCO"):
        spells = data.spells(org, "member")
        wanted = {charts.iso_numeric(iso3) for iso3 in spells["iso3"]} - {None}
        assert wanted and wanted <= ids, (org, wanted - ids)


def test_a_kept_country_keeps_its_exact_shape(world, cut):
    for name in ("China", "Indonesia", "Japan"):
        assert rings(cut, name) == rings(world, name)


def test_the_cut_map_names_only_arcs_it_has(cut):
    used = {i for g in cut["objects"]["countries"]["geometries"] for i in vendor._arc_indices(g["arcs"])}
    assert used == set(range(len(cut["arcs"])))


def js(filename=None, **attributes):
    return _JavaScript(f"_static/{filename}" if filename else None, **attributes)


def page_scripts(body, pagename="chapters/x"):
    app = types.SimpleNamespace(config=types.SimpleNamespace(mathjax_path="vendor/mathjax/tex-chtml.js"))
    files = [js("documentation_options.js"), js("doctools.js"), js("charts-loader.js", defer="defer"),
             js("vendor/mathjax/tex-chtml.js", defer="defer"), js("mathjax2-hub-shim.js"),
             js("vendor/require.min.js"),
             js("vendor/@jupyter-widgets/html-manager/dist/embed-amd.js", **{"data-jupyter-widgets-cdn": "x"}),
             js(None, body="var THEBE_JS_URL = 'https://unpkg.com/thebe'")]
    context = {"script_files": files, "content_root": "../", "body": body}
    sphinx_assets.adjust_page_scripts(app, pagename, "page.html", context, None)
    return {str(f.filename).split("?")[0]: f.attributes for f in context["script_files"]}


def test_a_page_of_prose_loads_no_mathjax_widgets_or_chart_library():
    scripts = page_scripts("<p>Only words here.</p>")
    assert set(scripts) == {"_static/documentation_options.js", "_static/doctools.js"}
    assert "defer" not in scripts["_static/documentation_options.js"]
    assert scripts["_static/doctools.js"]["defer"] == "defer"


def test_a_page_with_maths_loads_mathjax_only_through_its_loader():
    scripts = page_scripts('<span class="math notranslate nohighlight">\\(x\\)</span>')
    assert "_static/vendor/mathjax/tex-chtml.js" not in scripts
    assert scripts["_static/mathjax-loader.js"]["data-mathjax"] == "../_static/vendor/mathjax/tex-chtml.js"


def test_a_page_with_a_widget_loads_the_manager_through_its_loader():
    scripts = page_scripts('<script type="application/vnd.jupyter.widget-view+json">{}</script>')
    loader = scripts["_static/widgets-loader.js"]
    assert loader["data-manager"] == "../_static/vendor/@jupyter-widgets/html-manager/dist/embed-amd.js"
    assert loader["data-require"] == "../_static/vendor/require.min.js" and loader["data-cdn"] == "../_static/vendor/"
    assert not any(name.endswith(("require.min.js", "embed-amd.js")) for name in scripts)
    assert "_static/mathjax2-hub-shim.js" in scripts and "_static/charts-loader.js" not in scripts


def test_a_page_with_a_chart_gets_the_chart_loader_pointing_at_the_library():
    scripts = page_scripts('<div id="c" class="vega-chart" role="figure"></div>')
    assert scripts["_static/charts-loader.js"]["data-bundle"] == "../_static/vega-bundle.js"
    assert not any("thebe" in name for name in scripts)


def test_the_search_page_keeps_its_scripts_synchronous():
    scripts = page_scripts("<p>search</p>", pagename="search")
    assert "defer" not in scripts["_static/doctools.js"]


def test_source_maps_and_their_comments_are_dropped_but_code_that_names_them_is_kept(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.js.map").write_text("{}")
    (tmp_path / "_static" / "a.js").write_text('var s="/*# sourceMappingURL="+u+" */";\n//# sourceMappingURL=a.js.map\n')
    (tmp_path / "_static" / "b.css").write_text("p{color:red}\n/*# sourceMappingURL=b.css.map */\n")
    (tmp_path / "_static" / "c.css").write_text("p{color:red}\n/*# sourceMappingURL=c.css.map*/")
    dropped = sphinx_assets.drop_source_maps(tmp_path)
    assert [p.name for p in dropped] == ["a.js.map"] and not list(tmp_path.rglob("*.map"))
    assert (tmp_path / "_static" / "a.js").read_text() == 'var s="/*# sourceMappingURL="+u+" */";\n\n'
    assert "sourceMappingURL" not in (tmp_path / "_static" / "b.css").read_text()
    assert (tmp_path / "_static" / "c.css").read_text() == "p{color:red}\n"


def test_the_theme_pages_lose_font_awesome_and_search_scripts_and_inline_the_options(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "documentation_options.js").write_text("const DOCUMENTATION_OPTIONS = {VERSION: ''};\n")
    head = ('<head><script src="../_static/documentation_options.js?v=9"></script>\n'
            '<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
            '<script src="../_static/searchtools.js"></script><script src="../searchindex.js"></script></head>')
    page = tmp_path / "chapters" / "a.html"
    page.parent.mkdir()
    page.write_text(head)
    (tmp_path / "search.html").write_text(head.replace("../", ""))
    sphinx_assets.rewrite_pages(tmp_path)
    text = page.read_text()
    assert "fontawesome" not in text and "search" not in text
    assert "<script>const DOCUMENTATION_OPTIONS = {VERSION: ''};</script>" in text
    assert "documentation_options.js" not in text
    # The search page runs the search: it keeps its tools and index.
    search = (tmp_path / "search.html").read_text()
    assert '<script src="_static/searchtools.js"></script><script src="searchindex.js"></script>' in search


def _site_with_stylesheets(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "basic.css").write_text("div{background:url(file.png)}\n")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";\n')
    (static / "styles" / "pydata.css").write_text(
        '@charset "UTF-8";\n@font-face{src:url(../vendor/fa.woff2) format("woff2"),url("data:font/x;base64,AA")}\n')
    (static / "ours.css").write_text("p{color:red}\n")
    (static / "print.css").write_text("@media print{nav{display:none}}\n")
    links = ('<link href="{p}_static/styles/theme.css?digest=1" rel="stylesheet" />\n'
             '<link href="{p}_static/styles/pydata.css?digest=1" rel="stylesheet" />\n'
             '<link media="print" rel="stylesheet" type="text/css" href="{p}_static/print.css?v=2" />\n'
             '<link rel="stylesheet" type="text/css" href="{p}_static/ours.css?v=3" />\n'
             '<link rel="preload" as="script" href="{p}_static/a.js" />\n')
    for path, prefix in (("chapters/a.html", "../"), ("intro.html", "")):
        page = tmp_path / path
        page.parent.mkdir(exist_ok=True)
        page.write_text(f"<html><head>{links.format(p=prefix)}</head><body>"
                        f'<link rel="stylesheet" href="{prefix}_static/ours.css"></body></html>')
    return static


def test_a_pages_stylesheets_are_joined_into_one_file_it_links_first(tmp_path):
    static = _site_with_stylesheets(tmp_path)
    sphinx_assets.rewrite_pages(tmp_path)
    page = (tmp_path / "chapters" / "a.html").read_text()
    head = page[:page.index("</head>")]
    sheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*>', head)
    assert len(sheets) == 2 and 'media="print"' in sheets[1]  # the print sheet still comes after the theme
    bundle_href = re.search(r'href="\.\./_static/(css-bundle-[0-9a-f]+\.css)"', sheets[0]).group(1)
    bundle = (static / bundle_href).read_text()
    # In order, imports inlined, one @charset, urls rewritten from styles/ to _static/, data: urls kept.
    assert bundle.index("url(file.png)") < bundle.index("url(vendor/fa.woff2)") < bundle.index("p{color:red}")
    assert bundle.count("@charset") == 1 and bundle.startswith('@charset "UTF-8";')
    assert "@import" not in bundle and 'url("data:font/x;base64,AA")' in bundle
    assert 'rel="preload"' in head  # other links are left alone; so is a stylesheet outside the head
    assert page.count("ours.css") == 1
    # A page one level up links the same bundle by its own relative path.
    intro = (tmp_path / "intro.html").read_text()
    assert f'href="_static/{bundle_href}"' in intro
    assert sorted(p.name for p in static.glob("css-bundle-*.css")) == [bundle_href]


def test_a_changed_stylesheet_makes_a_new_bundle_and_the_old_one_goes(tmp_path):
    static = _site_with_stylesheets(tmp_path)
    pristine = {p: p.read_text() for p in tmp_path.rglob("*.html")}
    sphinx_assets.rewrite_pages(tmp_path)
    first = {p.name for p in static.glob("css-bundle-*.css")}
    (static / "ours.css").write_text("p{color:blue}\n")
    for path, text in pristine.items():  # Sphinx writes the pages anew
        path.write_text(text)
    sphinx_assets.rewrite_pages(tmp_path)
    second = {p.name for p in static.glob("css-bundle-*.css")}
    assert len(second) == 1 and second != first
    assert "p{color:blue}" in (static / second.pop()).read_text()


def test_the_book_renderer_queues_the_chart_and_figure_export_still_finds_it():
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": "point",
            "description": "A test </script> chart", "usermeta": {charts.FIGURE_KEY: "test"}}
    out = charts.book_renderer(spec)["text/html"]
    script = out.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert script.startswith("(window.secorgsCharts=window.secorgsCharts||[]).push(")
    assert "vegaEmbed" not in script and "</script>" not in script
    found = [json.loads(m.group(1)) for m in SPEC.finditer(out)]
    assert found == [spec]


def test_exercises_are_numbered_within_their_chapter():
    env = types.SimpleNamespace(
        config=types.SimpleNamespace(root_doc="intro"),
        toctree_includes={"intro": ["chapters/a", "chapters/b", "glossary"]},
        toc_fignumbers={"chapters/a": {"exercise": {"ex-1": (1,), "ex-2": (2,)}},
                        "chapters/b": {"exercise": {"ex-4": (4,), "ex-3": (3,)}, "figure": {"f": (1,)}}})
    changed = sphinx_assets.number_exercises_by_chapter(None, env)
    assert env.toc_fignumbers["chapters/a"]["exercise"] == {"ex-1": (1, 1), "ex-2": (1, 2)}
    assert env.toc_fignumbers["chapters/b"]["exercise"] == {"ex-3": (2, 1), "ex-4": (2, 2)}
    assert env.toc_fignumbers["chapters/b"]["figure"] == {"f": (1,)}
    assert sorted(changed) == ["chapters/a", "chapters/b"]
    assert sphinx_assets.number_exercises_by_chapter(None, env) == []


def _site_with_icons(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "styles" / "theme.css").write_text(
        '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}.fa-sun:before{content:"\\f185"}'
        '.fa-moon:before{content:"\\f186"}html{--pst-icon-check:"\uf058"}'
        '.toc-entry a:after{content:"\\f35d";font-family:"Font Awesome 6 Free"}', encoding="utf-8")
    (static / "toggle.js").write_text('button.className = "fa-solid fa-moon";')
    (tmp_path / "a.html").write_text('<i class="fa-solid fa-bars"></i>', encoding="utf-8")
    return tmp_path


def test_icons_in_use_are_those_pages_and_scripts_name_and_those_the_theme_draws_itself(tmp_path):
    used = sphinx_assets.icons_in_use(_site_with_icons(tmp_path))
    assert used == {0xF0C9, 0xF186, 0xF058, 0xF35D}  # not the sun: nothing names fa-sun


def test_icon_fonts_are_cut_to_the_icons_in_use(tmp_path):
    from fontTools.ttLib import TTFont

    source = sphinx_assets.theme_icon_fonts()
    sizes = sphinx_assets.subset_icon_fonts(tmp_path, source, {0xF0C9, 0xF002})
    assert {"fa-solid-900.woff2", "fa-regular-400.woff2", "fa-solid-900.ttf"} <= set(sizes)
    cut = TTFont(tmp_path / "_static" / sphinx_assets.ICON_FONTS / "fa-solid-900.woff2")
    assert {0xF0C9, 0xF002} <= set(cut.getBestCmap()) and 0xF185 not in cut.getBestCmap()
    assert 0xF185 in TTFont(source / "fa-solid-900.woff2").getBestCmap()
    before, after = sizes["fa-solid-900.woff2"]
    assert after < before / 10


def test_works_cited_alike_get_letters_after_the_year_in_title_order():
    from pybtex.database import parse_string

    from secorgs.gluing import year_letters  # the rule secorgs.build.citations applies to the book

    bib = parse_string("""
        @misc{b, author = {{ASEAN}}, title = {Treaty of Amity}, year = {1976}}
        @misc{a, author = {{ASEAN}}, title = {Declaration of {ASEAN} Concord}, year = {1976}}
        @misc{c, author = {{ASEAN}}, title = {Agreement on the Secretariat}, year = {1976}}
        @misc{d, author = {{ASEAN}}, title = {Charter}, year = {2007}}
        @book{e, author = {Leifer, Michael}, title = {Extension}, year = {1996}}
        @book{f, author = {Leifer, Michael and Ba, Alice}, title = {Other}, year = {1996}}
        @book{g, author = {Acharya, Amitav and Buzan, Barry and Ba, Alice}, title = {One}, year = {2009}}
        @book{h, author = {Acharya, Amitav and Johnston, Alastair and Ba, Alice}, title = {Two}, year = {2009}}
    """, "bibtex").entries
    letters = year_letters(bib)
    assert letters == {"c": "1976a", "a": "1976b", "b": "1976c", "g": "2009a", "h": "2009b"}
    # Applied twice (Sphinx keeps the parsed file between builds), the letters stay the same.
    for key, year in letters.items():
        bib[key].fields["year"] = year
    assert year_letters(bib) == letters
