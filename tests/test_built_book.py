"""The built book as a reader gets it: offline, with every chart drawn (needs `make book` first)."""
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import HTML
from secorgs.build.sphinx_assets import ALL_CHARTS_DRAWN

pytestmark = pytest.mark.browser

CHART_SIZES = """() => Array.from(document.querySelectorAll('.vega-chart')).map(el => {
    const drawn = el.querySelector('svg.marks, canvas.marks');
    if (!drawn) return [el.id, 0, 0];
    const box = drawn.getBoundingClientRect();
    return [el.id, box.width, box.height];
})"""


class ResourceLinks(HTMLParser):
    """Collect the URLs a page loads (not the ones it merely links to)."""

    LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src",
               "embed": "src", "object": "data"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.LOADING and attrs.get(self.LOADING[tag]):
            self.urls.append(attrs[self.LOADING[tag]])
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").split()) & {
                "stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}:
            self.urls.append(attrs["href"])


def outside_references(html: str) -> list[str]:
    parser = ResourceLinks()
    parser.feed(html)
    urls = parser.urls + re.findall(r"url\(\s*['\"]?(https?://[^'\")]+)", html)
    return [u for u in urls if urlparse(u).scheme in ("http", "https") or u.startswith("//")]


def pages():
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts)


def test_the_book_has_its_pages():
    names = {p.relative_to(HTML).as_posix() for p in pages()}
    assert {"intro.html", "chapters/asean.html", "chapters/data_appendix.html"} <= names


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(HTML).as_posix())
def test_no_page_loads_anything_from_an_outside_host(page):
    assert outside_references(page.read_text(encoding="utf-8")) == []


def test_no_stylesheet_loads_fonts_or_images_from_outside():
    offenders = [css.relative_to(HTML).as_posix() for css in HTML.rglob("*.css")
                 if re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8", errors="replace"))]
    assert offenders == []


def test_the_outside_reference_check_catches_a_cdn_script():
    page = '<html><head><script src="https://cdn.jsdelivr.net/npm/vega@5"></script></head></html>'
    assert outside_references(page) == ["https://cdn.jsdelivr.net/npm/vega@5"]
    assert outside_references('<link rel="stylesheet" href="//fonts.googleapis.com/css">') != []
    assert outside_references('<a href="https://asean.org/">a link is not a load</a>') == []


CHAPTER_PAGES = [p.relative_to(HTML).as_posix() for p in pages() if p.parent.name == "chapters"]
# index.html is only a redirect to intro.html (written by Jupyter Book); it navigates away while being
# checked, so it is tested as a redirect below and its target as a page.
ALL_PAGES = [p.relative_to(HTML).as_posix() for p in pages() if p.name != "index.html" or p.parent != HTML]
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("path, at_least", [("chapters/asean.html", 3), ("chapters/arf.html", 3),
                                            ("chapters/sco_history.html", 2), ("chapters/decisions.html", 4), ("chapters/expansion.html", 4),
                                            ("chapters/security.html", 2), ("chapters/comparison.html", 2),
                                            ("chapters/audit.html", 1)])
def test_chapter_charts_are_all_there(visit, path, at_least):
    page = visit(path)
    # Charts are drawn when they near the viewport (or once the reader scrolls): ask for all of them and
    # wait (on a loaded machine a fixed pause was not always enough), then count those drawn with a size.
    page.page.wait_for_function(ALL_CHARTS_DRAWN, timeout=60000)
    drawn = [c for c in page.page.evaluate(CHART_SIZES) if c[1] > 0 and c[2] > 0]
    assert len(drawn) >= at_least


def test_a_widget_renders_from_saved_state(visit):
    page = visit("chapters/expansion.html")
    # The widget manager loads only when a widget nears the viewport (secorgs/build/static/widgets-loader.js).
    page.page.evaluate("document.querySelector('script[type=\"application/vnd.jupyter.widget-view+json\"]')"
                       ".parentElement.scrollIntoView()")
    control = page.page.locator(".widget-select-multiple").first
    control.wait_for(timeout=15000)
    box = control.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0


@pytest.mark.parametrize("path", ["chapters/asean.html", "chapters/sco_history.html", "chapters/decisions.html"])
def test_every_slider_changes_its_chart(visit, path):
    page = visit(path)
    page.page.wait_for_function(ALL_CHARTS_DRAWN, timeout=15000)
    charts_with_sliders = page.page.locator(".vega-chart", has=page.page.locator("input[type=range]"))
    assert charts_with_sliders.count() >= 1
    for i in range(charts_with_sliders.count()):
        chart = charts_with_sliders.nth(i)
        svg = chart.locator("svg.marks")
        before = svg.inner_html()
        chart.locator("input[type=range]").first.evaluate(
            "el => { el.value = (Number(el.value) === Number(el.min)) ? el.max : el.min;"
            " el.dispatchEvent(new Event('input', {bubbles: true})); }")
        changed = svg.evaluate("(el, before) => new Promise(done => { const t0 = Date.now();"
                               " (function poll() { if (el.innerHTML !== before) return done(true);"
                               " if (Date.now() - t0 > 5000) return done(false); setTimeout(poll, 50); })(); })", before)
        assert changed, f"slider {i} on {path} changed nothing"


def test_what_if_clicks_admit_candidates(visit):
    page = visit("chapters/expansion.html")
    page.page.wait_for_function(ALL_CHARTS_DRAWN, timeout=15000)
    chart = page.page.locator(".vega-chart", has=page.page.locator("text=Click candidates")).first
    before = chart.locator("svg.marks").text_content()
    bar = chart.locator("svg.marks g.mark-rect path").first
    bar.click()
    page.page.wait_for_function("el => el.textContent.includes('(1 added)')",
                                arg=chart.locator("svg.marks").element_handle(), timeout=5000)
    after = chart.locator("svg.marks").text_content()
    assert "(1 added)" in after and after != before
    assert page.console_errors == []


def test_a_broken_chart_is_detected(visit):
    broken = HTML / "_broken_chart_test.html"
    broken.write_text(
        '<html><head><script src="_static/vega-bundle.js"></script></head><body>'
        '<div id="c" class="vega-chart"></div>'
        '<script>vegaEmbed("#c", {"mark": "nonsense"}).catch(e => console.error(String(e)));</script>'
        "</body></html>", encoding="utf-8")
    try:
        page = visit(broken.name)
        page.page.wait_for_timeout(500)
        sizes = page.page.evaluate(CHART_SIZES)
        assert not all(w > 100 and h > 100 for _, w, h in sizes)
        assert page.console_errors
    finally:
        broken.unlink()


class Anchors(HTMLParser):
    """Collect the ids a page defines and the local links it makes."""

    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def test_internal_links_and_cross_references_resolve():
    parsed = {}
    for page in pages():
        parser = Anchors()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page.resolve()] = parser
    broken = []
    for page, parser in parsed.items():
        for href in parser.links:
            url = urlparse(href)
            if url.scheme or href.startswith(("mailto:", "javascript:", "//")):
                continue
            target = (page.parent / url.path).resolve() if url.path else page
            if url.path and not target.exists():
                broken.append(f"{page.relative_to(HTML.resolve())}: {href}")
            elif url.fragment and target in parsed and url.fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(HTML.resolve())}: {href} (no such anchor)")
    assert broken == []


def test_search_works_offline_and_finds_a_glossary_term(visit):
    page = visit("search.html?q=heterogeneity")
    page.page.wait_for_selector("#search-results li", timeout=15000)
    hits = page.page.locator("#search-results li a").all_inner_texts()
    assert any("Glossary" in hit for hit in hits), hits
    assert page.outside == [] and page.console_errors == []


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_as_a_reader_gets_it(visit, path):
    """Offline, drawn, error-free and accessible: one visit per page, several checks."""
    page = visit(path)
    assert page.response.ok
    page.page.wait_for_function(ALL_CHARTS_DRAWN, timeout=15000)
    sizes = page.page.evaluate(CHART_SIZES)
    assert all(w > 100 and h > 100 for _, w, h in sizes), sizes
    assert page.outside == [], "requests to other hosts"
    assert page.failed == [], "failed requests"
    assert page.console_errors == []
    levels = page.page.evaluate(
        "() => Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6'))"
        ".map(h => Number(h.tagName[1]))")
    assert [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1] == [], "heading levels skip"
    assert not levels or levels[0] == 1
    undescribed = page.page.evaluate(
        "() => Array.from(document.querySelectorAll('main img:not([alt]), .vega-chart:not([aria-label])')).length")
    assert undescribed == 0, "a figure without alt text or description"
    page.page.add_script_tag(path=str(AXE))
    result = page.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_chart_theme_is_colour_blind_safe():
    from secorgs import charts

    # Okabe and Ito's palette, designed to stay distinguishable under the common colour-vision deficiencies.
    assert charts.theme()["config"]["range"]["category"][:7] == [
        "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"]


def test_the_book_prints_to_one_pdf_with_every_chapter(tmp_path, browser):
    from pypdf import PdfReader

    from secorgs.build import pdf

    path = pdf.build(tmp_path / "book.pdf", browser=browser)
    reader = PdfReader(path)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    titles = []
    for name in pdf.toc_pages():
        h1 = re.search(r"<h1[^>]*>(.*?)<", (HTML / name).read_text(encoding="utf-8"), re.S)
        titles.append(" ".join(h1.group(1).split()))
    assert len(reader.pages) >= 2 * len(titles)
    missing = [t for t in titles if t.split(":")[0] not in text]
    assert missing == []


def test_index_redirects_to_the_introduction():
    index = (HTML / "index.html").read_text(encoding="utf-8")
    assert re.search(r'http-equiv="Refresh" content="0; url=intro.html"', index, re.I)
    assert (HTML / "intro.html").exists()


# --- a phone: nothing scrolls sideways, every chart fits, readers see words, not codes ------------------

PHONE = {"width": 390, "height": 844}
CHARTS_DRAWN = ALL_CHARTS_DRAWN  # draws every chart, then is true once all are drawn


def phone_layout_problems(page) -> list[str]:
    """What makes a page wider than the screen: the document itself, or a chart not drawn or not inside."""
    page.page.wait_for_function(CHARTS_DRAWN, timeout=15000)
    page.page.wait_for_timeout(300)  # charts sized to their container settle after a first layout
    found = page.page.evaluate("""() => {
        const view = window.innerWidth, out = [];
        const scroll = document.documentElement.scrollWidth;
        if (scroll > view) out.push(`the page is ${scroll} px wide on a ${view} px screen`);
        document.querySelectorAll('.vega-chart').forEach(el => {
            const drawn = el.querySelector('svg.marks, canvas.marks');
            if (!drawn) { out.push(`chart ${el.id} is not drawn`); return; }
            const box = drawn.getBoundingClientRect();
            if (box.width < 100 || box.height < 100) out.push(`chart ${el.id} is ${box.width} x ${box.height} px`);
            if (box.left < -0.5 || box.right > view + 0.5)
                out.push(`chart ${el.id} spans ${Math.round(box.left)}..${Math.round(box.right)} px of ${view}`);
        });
        return out;
    }""")
    return found


READER_TEXT = """() => {
    const root = document.querySelector('main article') || document.querySelector('main') || document.body;
    const skip = 'pre, code, .cell_input, script, style, .headerlink, mjx-container, .MathJax, .vega-bindings';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const words = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.parentElement || n.parentElement.closest(skip)) continue;
        words.push(n.textContent);
    }
    const cells = Array.from(root.querySelectorAll('td, th'))
        .filter(c => !c.closest(skip)).map(c => c.textContent.trim());
    return {text: words.join(' '), cells: cells};
}"""
RAW_CELLS = {"NaN", "nan", "NaT", "<NA>", "None", "True", "False"}
ISO_MONTH = re.compile(r"(?<![\d-])(?:1[89]|20)\d{2}-(?:0[1-9]|1[0-2])(?!\d)")


def raw_labels(page, keys) -> list[str]:
    """Codes a reader should not see: bibliography keys, NaN, None, True/False, ISO dates and months."""
    seen = page.page.evaluate(READER_TEXT)
    text = re.sub(r"https?://\S+", " ", seen["text"])  # a URL shown as a URL may hold anything
    found = [f"cell {c!r}" for c in seen["cells"] if c in RAW_CELLS]
    found += [f"NaN in {m.group(0)!r}" for m in re.finditer(r".{0,20}\b(?:NaN|NaT)\b.{0,20}", text)]
    found += [f"ISO month {m.group(0)!r}" for m in ISO_MONTH.finditer(text)]
    words = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9_:-]*", text))
    found += [f"bibliography key {k!r}" for k in sorted(keys & words)]
    return found


@pytest.fixture(scope="module")
def bib_keys():
    from secorgs.gluing import bibliography

    return set(bibliography())


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_fits_a_phone(visit, path):
    """At 390 x 844 no page scrolls sideways and every chart is drawn inside the screen."""
    page = visit(path, **PHONE)
    assert phone_layout_problems(page) == []


@pytest.mark.parametrize("path", ALL_PAGES)
def test_readers_see_words_not_codes(visit, path, bib_keys):
    """No bibliography key, NaN, None, True/False (as a table cell) or ISO month in what a reader sees."""
    page = visit(path, **PHONE)
    page.page.wait_for_function(CHARTS_DRAWN, timeout=15000)
    assert raw_labels(page, bib_keys) == []


def _crafted(name, body, visit):
    path = HTML / name
    path.write_text('<html><head><meta name="viewport" content="width=device-width, initial-scale=1">'
                    '<script src="_static/vega-bundle.js"></script>'
                    '<link rel="stylesheet" href="_static/secorgs-charts.css"></head>'
                    f'<body><main><article>{body}</article></main></body></html>', encoding="utf-8")
    return path, visit(name, **PHONE)


def test_a_fixed_width_chart_is_caught_on_a_phone(visit):
    chart = ('{"width": 800, "height": 200, "data": {"values": [{"a": 1}, {"a": 5}]}, "mark": "point",'
             ' "encoding": {"x": {"field": "a", "type": "quantitative"}}}')
    path, page = _crafted("_fixed_chart_test.html", '<div id="c" class="vega-chart"></div>'
                          f'<script>vegaEmbed("#c", {chart})</script>', visit)
    try:
        problems = phone_layout_problems(page)
        assert any("spans" in p for p in problems), problems
        assert any("page is" in p for p in problems), problems
    finally:
        path.unlink()


def test_the_same_chart_sized_by_the_package_fits(visit):
    import json

    from secorgs.charts import responsive

    spec = responsive({"width": 800, "height": 200, "data": {"values": [{"a": 1}, {"a": 5}]}, "mark": "point",
                       "encoding": {"x": {"field": "a", "type": "quantitative"}}})
    path, page = _crafted("_fitted_chart_test.html", '<div id="c" class="vega-chart"></div>'
                          f'<script>vegaEmbed("#c", {json.dumps(spec)})</script>', visit)
    try:
        assert phone_layout_problems(page) == []
    finally:
        path.unlink()


def test_raw_codes_in_a_table_are_caught(visit, bib_keys):
    table = ("<table><tr><th>Source</th><th>Ok</th><th>Gap</th></tr>"
             "<tr><td>bartok_varro</td><td>True</td><td>NaN</td></tr></table>"
             "<p>Joined in 2022-09. Code such as <code>seed_blog_000</code> is not prose.</p>")
    path, page = _crafted("_raw_table_test.html", table, visit)
    try:
        found = raw_labels(page, bib_keys)
        assert "bibliography key 'bartok_varro'" in found
        assert "cell 'True'" in found and "cell 'NaN'" in found
        assert any(f.startswith("ISO month") for f in found)
        assert not any("seed_blog_000" in f for f in found)
    finally:
        path.unlink()


def test_the_same_table_from_the_package_reads_as_words(visit, bib_keys):
    import pandas as pd

    from secorgs.gluing import html_table

    df = pd.DataFrame({"Source": ["bartok_varro"], "Ok": [True], "Gap": [float("nan")], "When": ["2022-09"]})
    path, page = _crafted("_package_table_test.html", html_table(df).data, visit)
    try:
        assert raw_labels(page, bib_keys) == []
        assert phone_layout_problems(page) == []
    finally:
        path.unlink()


def test_no_two_works_are_cited_alike():
    """A citation's text names one work: "Leifer, 1996a" and "Leifer, 1996b", never "Leifer, 1996" twice."""
    # Parenthetical: [<a>Leifer, 1996a</a>]; textual: <span>Leifer [<a>1996a</a>]</span>.
    cite = re.compile(r'(?:>([^<>]*?)\s*\[)?<a class="reference internal" href="[^"]*bibliography\.html#(id\d+)"[^>]*>([^<]+)</a>')
    targets: dict[str, set[str]] = {}
    for page in sorted(HTML.rglob("*.html")):
        if "_static" in page.parts:
            continue
        for author, target, label in cite.findall(page.read_text(encoding="utf-8")):
            if re.fullmatch(r"\d{4}[a-z]?", label) and author.strip():
                label = f"{author.strip()}, {label}"
            targets.setdefault(label, set()).add(target)
    assert len(targets) > 100
    assert {label: ids for label, ids in targets.items() if len(ids) > 1} == {}
