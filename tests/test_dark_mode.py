"""Charts and tables stay legible in the theme's dark mode as well as in its light mode."""
import pytest

pytestmark = pytest.mark.browser

PAGES = ["chapters/asean.html", "chapters/expansion.html", "chapters/audit.html"]

# The effective background behind an element: the first opaque background up its ancestors.
BACKGROUND = """el => { for (let n = el; n; n = n.parentElement) {
  const c = getComputedStyle(n).backgroundColor;
  if (c && c !== 'transparent' && !c.endsWith(', 0)')) return c; }
  return getComputedStyle(document.body).backgroundColor; }"""


def rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])


def luminance(colour) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# Vega draws axis and legend labels in black and the book's theme sets subtitles in #555: the
# lightest text a chart shows.
CHART_TEXT = (0x55, 0x55, 0x55)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_chart_labels_and_table_text_have_contrast(browser, site, path, mode):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"localStorage.setItem('mode', '{mode}')")
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url
               or route.request.url.startswith("data:") else route.abort())
    page.goto(site + path, wait_until="networkidle")
    # The theme applies the stored mode when its script runs; set it as the theme button would, so
    # that the check does not depend on when that happened.
    page.evaluate(f"document.documentElement.dataset.mode = document.documentElement.dataset.theme = '{mode}'")
    page.wait_for_timeout(200)
    charts = page.query_selector_all(".vega-chart")
    tables = page.query_selector_all("table.table td")
    assert charts or tables, f"{path} has neither charts nor tables"
    for chart in charts:
        background = rgb(chart.evaluate(BACKGROUND))
        assert contrast(background, CHART_TEXT) >= 4.5, f"{path} ({mode}): chart text on {background}"
    for cell in tables[:20]:
        text = rgb(cell.evaluate("el => getComputedStyle(el).color"))
        background = rgb(cell.evaluate(BACKGROUND))
        assert contrast(text, background) >= 4.5, f"{path} ({mode}): table text {text} on {background}"
    context.close()
