"""Data that reaches the page is inert: markup in a CSV field cannot run as script in readers' browsers."""
import json
import re

import pandas as pd
import pytest

from secorgs.build.pdf import HTML
from secorgs.build.sphinx_assets import ALL_CHARTS_DRAWN, widget_state_body
from secorgs.charts import book_renderer, script_json
from secorgs.gluing import html_table

ATTACK = "</script><img src=x onerror=\"window.__pwned=1\"><!--<script>window.__pwned=2</script>"


def chart_spec(title: str) -> dict:
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "title": title,
            "description": title, "data": {"values": [{"name": title, "n": 1}, {"name": "Laos", "n": 2}]},
            "mark": "bar", "encoding": {"x": {"field": "n", "type": "quantitative"},
                                        "y": {"field": "name", "type": "nominal"}}}


def test_script_json_round_trips_and_cannot_close_a_script():
    value = {"t": ATTACK + " & \u2028"}
    text = script_json(value)
    assert json.loads(text) == value
    assert not re.search(r"[<>&\u2028]", text)


def test_a_chart_with_markup_in_its_data_has_one_script_and_no_tag_from_the_data():
    markup = book_renderer(chart_spec(ATTACK))["text/html"]
    assert markup.count("</script>") == 1 and markup.endswith("</script>")
    assert "<img" not in markup and "<!--" not in markup
    assert markup.count("<script") == 1


def test_a_table_with_markup_in_its_data_shows_it_as_text():
    markup = html_table(pd.DataFrame({"country": [ATTACK], "n": [1]})).data
    assert "<img" not in markup and "<script" not in markup and "&lt;img" in markup


def test_saved_widget_state_cannot_end_its_script():
    from myst_nb.core.render import sanitize_script_content  # what myst-nb writes into the page

    state = {"state": {"m": {"state": {"outputs": [{"text": ATTACK.upper() + " </script >"}]}}}}
    written = sanitize_script_content(json.dumps(state))
    assert re.search(r"</script", written, re.I), "myst-nb's own escape lets an upper-case tag through"
    body = widget_state_body(written)
    assert json.loads(body) == state
    assert "<" not in body and ">" not in body


@pytest.mark.browser
def test_injected_markup_stays_inert_and_the_chart_still_draws(browser, site):
    chart = book_renderer(chart_spec(ATTACK))["text/html"]
    table = html_table(pd.DataFrame({"event": [ATTACK]})).data
    page_path = HTML / "_escaping_test.html"
    page_path.write_text('<html><head><script src="_static/charts-loader.js" data-bundle="_static/vega-bundle.js" defer></script></head>'
                         f"<body><main><article>{chart}{table}</article></main></body></html>", encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    try:
        page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url
                   or route.request.url.startswith("data:") else route.abort())
        page.goto(site + page_path.name, wait_until="networkidle")
        page.wait_for_function(ALL_CHARTS_DRAWN, timeout=30000)
        assert page.evaluate("window.__pwned") is None, "markup from the data ran as script"
        assert page.evaluate("document.querySelectorAll('article img').length") == 0
        assert ATTACK in page.evaluate("document.querySelector('table').innerText")
    finally:
        context.close()
        page_path.unlink()
