"""The built book loads only what each page shows (needs `make book`; runs with the browser tests)."""
import re
from html.parser import HTMLParser

import pytest

from conftest import HTML

pytestmark = pytest.mark.browser

WIDGET_VIEW = 'type="application/vnd.jupyter.widget-view+json"'


def pages():
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts and p.name != "index.html")


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("src"):
            self.tags.append(dict(attrs))


def scripts(page):
    parser = Scripts()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


def named(tags, name):
    return [t for t in tags if t["src"].split("?")[0].endswith(name)]


def test_the_built_book_ships_no_source_maps():
    assert list(HTML.rglob("*.map")) == []
    comments = [p.relative_to(HTML).as_posix() for p in [*HTML.rglob("*.js"), *HTML.rglob("*.css")]
                if "mathjax" not in p.parts
                and re.search(r"^(//|/\*)# sourceMappingURL=\S+\.map", p.read_text(encoding="utf-8", errors="replace"), re.M)]
    assert comments == []


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(HTML).as_posix())
def test_each_page_names_only_the_scripts_it_needs(page):
    text = page.read_text(encoding="utf-8")
    tags = scripts(page)
    has_math = bool(re.search(r'class="math[ "]', text))
    has_widget = WIDGET_VIEW in text
    has_chart = bool(re.search(r'class="vega-chart[ "]', text))
    # Never loaded by a tag: the loaders fetch them when they are needed.
    for heavy in ("tex-chtml.js", "embed-amd.js", "require.min.js", "vega-bundle.js", "fontawesome.js"):
        assert named(tags, heavy) == [], heavy
    assert bool(named(tags, "mathjax-loader.js")) == has_math
    assert bool(named(tags, "widgets-loader.js")) == has_widget
    assert bool(named(tags, "charts-loader.js")) == has_chart
    if page.name != "search.html":
        blocking = [t["src"] for t in tags if "defer" not in t and "async" not in t]
        assert [s for s in blocking if "documentation_options.js" not in s] == []


def test_some_pages_have_maths_widgets_and_charts_and_some_have_none():
    texts = {p.relative_to(HTML).as_posix(): p.read_text(encoding="utf-8") for p in pages()}
    assert WIDGET_VIEW in texts["chapters/expansion.html"] and 'class="math' in texts["chapters/decisions.html"]
    assert not any(WIDGET_VIEW in texts[p] or 'class="math' in texts[p] for p in ("chapters/arf.html", "intro.html"))


def test_exercises_are_numbered_by_chapter_in_toc_order():
    from secorgs.build.pdf import toc_pages

    numbers = {}
    for chapter, name in enumerate(toc_pages()[1:], start=1):
        found = re.findall(r'<span class="caption-number">Exercise (\d+)\.(\d+) </span>', (HTML / name).read_text(encoding="utf-8"))
        if found:
            numbers[name] = found
            assert {int(k) for k, _ in found} == {chapter}, name
            assert [int(n) for _, n in found] == list(range(1, len(found) + 1)), name
    assert len(numbers) >= 5


def test_a_prose_page_fetches_no_maths_widgets_or_chart_library(visit):
    page = visit("intro.html")
    fetched = page.page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched and not [u for u in fetched if re.search(r"mathjax|embed-amd|require\.min|vega-bundle|fontawesome\.js", u)]
    # The theme's icons are still drawn, with the web font its stylesheet names.
    icon = page.page.evaluate("""() => { const i = document.querySelector('.theme-switch-button i, .theme-switch-button span i');
        const s = getComputedStyle(i, '::before'); return [s.content, s.fontFamily]; }""")
    assert icon[0] not in ("", "none", "normal") and "Font Awesome" in icon[1]


def test_the_widget_manager_loads_only_when_a_widget_is_near(visit):
    page = visit("chapters/expansion.html")
    loaded = "performance.getEntriesByType('resource').some(e => e.name.includes('embed-amd.js'))"
    assert page.page.evaluate(loaded) is False
    page.page.evaluate(f"document.querySelector('script[{WIDGET_VIEW}]').parentElement.scrollIntoView()")
    page.page.locator(".widget-select-multiple").first.wait_for(timeout=15000)
    assert page.page.evaluate(loaded) is True
    assert page.console_errors == []


def test_mathjax_loads_when_a_formula_is_near_and_typesets_it(visit):
    page = visit("chapters/decisions.html")
    page.page.evaluate("document.querySelector('.math').scrollIntoView()")
    page.page.wait_for_selector("mjx-container", timeout=15000)
    assert page.page.evaluate("document.querySelectorAll('mjx-container').length") >= 1
    assert page.console_errors == []


def test_charts_far_down_wait_for_the_reader_and_the_library_is_fetched_once(visit):
    """A reader who does not scroll pays only for the charts near the first screen; one who scrolls gets all."""
    page = visit("chapters/sco_history.html")
    page.page.wait_for_timeout(1500)  # idle now: charts far down must still wait for the reader
    far = page.page.evaluate("""() => Array.from(document.querySelectorAll('.vega-chart'))
        .filter(el => el.getBoundingClientRect().top > 2.2 * window.innerHeight)
        .map(el => !!el.querySelector('svg.marks, canvas.marks'))""")
    assert far and not any(far), "charts two screens down were drawn before the reader scrolled"
    page.page.mouse.wheel(0, 200)
    page.page.wait_for_function("document.querySelectorAll('.vega-chart svg.marks, .vega-chart canvas.marks').length"
                                " >= document.querySelectorAll('.vega-chart').length", timeout=30000)
    bundles = page.page.evaluate("performance.getEntriesByType('resource').filter(e => e.name.includes('vega-bundle.js')).length")
    assert bundles == 1
    assert page.console_errors == []


def test_every_icon_a_page_names_is_in_the_cut_icon_font():
    from fontTools.ttLib import TTFont

    css = (HTML / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    point = {name: int(code, 16) for names, code in re.findall(r'((?:\.fa-[\w-]+:before,?)+)\{content:"\\(\w+)"\}', css)
             for name in re.findall(r"\.(fa-[\w-]+):before", names)}
    named = {c for page in pages() for c in re.findall(r'class="[^"]*"', page.read_text(encoding="utf-8"))
             for c in re.findall(r"\bfa-[\w-]+", c)}
    shown = {point[n] for n in named if n in point}
    assert len(shown) >= 10  # search, menu, theme switch, download, arrows ...
    fonts = HTML / "_static" / "vendor" / "fontawesome" / "webfonts"
    have = set(TTFont(fonts / "fa-solid-900.woff2").getBestCmap()) | set(TTFont(fonts / "fa-regular-400.woff2").getBestCmap())
    assert sorted(hex(p) for p in shown - have) == []
    assert (fonts / "fa-solid-900.woff2").stat().st_size < 20_000  # cut: the whole font is 156 kB


def test_the_stylesheet_bundle_holds_the_stylesheets_as_finally_written():
    """The theme rewrites pygments.css when the build finishes; the bundle must be joined after that."""
    bundles = sorted((HTML / "_static").glob("css-bundle-*.css"))
    assert bundles
    pygments = (HTML / "_static" / "pygments.css").read_text(encoding="utf-8")
    assert 'html[data-theme="dark"] .highlight' in pygments
    for bundle in bundles:
        assert pygments.strip() in bundle.read_text(encoding="utf-8")
