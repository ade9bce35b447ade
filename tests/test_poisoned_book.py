"""A whole book built from data with markup in every free-text field: nothing runs, everything draws.

The escaping tests in test_escaping.py feed markup to one renderer at a time. This one goes the way a
careless or hostile edit would: it writes `</SCRIPT><img onerror>` into country names, event titles,
notes and the other text columns of a copy of the project, builds that copy with `make book`'s own
driver, and opens every chapter in Chromium. The markup must reach the pages as text (else the test
proves nothing) and no injected handler or script may run, in charts, tables, glued text or the saved
state of widgets.
"""
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import PageVisit
from secorgs import ROOT
from secorgs.build import execute
from secorgs.build.pdf import serve
from secorgs.build.sphinx_assets import ALL_CHARTS_DRAWN

pytestmark = pytest.mark.browser

# Upper case: the HTML parser ends a script at </SCRIPT> too, which a case-sensitive escape misses.
ATTACK = '</SCRIPT><img src=x onerror="window.__pwned=1"><!--<script>window.__pwned=2</script>'

#: Free-text columns that reach readers: in prose (glued), tables, chart data, tooltips and widgets.
#: (Exercise names are left alone: claims and chapters name exercises by them, as identifiers.)
POISONED = {"countries.csv": ["name"], "memberships.csv": ["country", "note"], "events.csv": ["title"],
            "officeholders.csv": ["name"], "exercises.csv": ["note"], "agreements.csv": ["title"],
            "bodies.csv": ["composition"], "organisations.csv": ["security_role"]}

CHARTS_DRAWN = ALL_CHARTS_DRAWN  # draws every chart, then is true once all are drawn
INJECTED = """() => ({pwned: window.__pwned === undefined ? null : window.__pwned,
    images: Array.from(document.images).filter(i => i.getAttribute('src') === 'x').length,
    shown: document.body.innerText.includes('onerror="window.__pwned=1"')})"""


def poison(data: Path) -> int:
    """Append the attack to every non-empty cell of the POISONED columns; return how many cells."""
    cells = 0
    for name, columns in POISONED.items():
        path = data / name
        rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
        for row in rows:
            for column in columns:
                if row[column]:
                    row[column] = f"{row[column]} {ATTACK}"
                    cells += 1
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    return cells


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory):
    copy = execute.copy_project(tmp_path_factory.mktemp("poisoned") / "book")
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    assert poison(copy / "data") > 500
    env = {**os.environ, "PYTHONPATH": str(copy), "SECORGS_RENDERER": "book"}
    result = subprocess.run([sys.executable, "-m", "secorgs.build.book"], cwd=copy, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    server, base = serve(copy / "_build" / "html")
    yield base
    server.shutdown()


def open_all_of(browser, url) -> tuple[PageVisit, list[str]]:
    """Open ``url``, let every chart draw and every widget load, as a reader scrolling through would.

    Returns the visit and what did not draw.
    """
    visit = PageVisit(browser, url)
    page, missing = visit.page, []
    try:
        page.wait_for_function(CHARTS_DRAWN, timeout=60000)
    except PlaywrightTimeout:
        missing.append("a chart was not drawn")
    widgets = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if widgets:
        page.evaluate("document.querySelector('script[type=\"application/vnd.jupyter.widget-view+json\"]')"
                      ".parentElement.scrollIntoView()")
        try:
            page.wait_for_function(f"document.querySelectorAll('.jupyter-widgets').length >= {widgets}",
                                   timeout=30000)
        except PlaywrightTimeout:
            missing.append("a widget was not drawn from its saved state")
    return visit, missing


@pytest.mark.parametrize("name", [p.stem for p in execute.chapters()])
def test_markup_in_the_data_is_shown_as_text_and_never_runs(browser, poisoned_site, name):
    visit, missing = open_all_of(browser, f"{poisoned_site}chapters/{name}.html")
    try:
        found = visit.page.evaluate(INJECTED)
        assert found["pwned"] is None, "markup from the data ran as script"
        assert found["images"] == 0, "markup from the data became an element"
        assert not missing, missing
        assert not visit.console_errors, visit.console_errors
        assert not visit.outside
    finally:
        visit.close()


def test_the_attack_reached_the_pages(browser, poisoned_site):
    """Without this the test above could pass because the data never reached a page."""
    shown = []
    for name in ("setting", "sco_history", "arf"):
        visit, _ = open_all_of(browser, f"{poisoned_site}chapters/{name}.html")
        try:
            shown.append(visit.page.evaluate(INJECTED)["shown"])
        finally:
            visit.close()
    assert all(shown), shown


def test_widget_state_with_markup_stays_data(browser, poisoned_site):
    """The expansion chapter's chooser lists countries from the data; they come back from its saved state as text."""
    visit, missing = open_all_of(browser, f"{poisoned_site}chapters/expansion.html")
    try:
        assert not missing, missing
        listed = visit.page.locator(".widget-select-multiple select").first.inner_text(timeout=15000)
        listed = listed.replace("\xa0", " ")  # the widget shows spaces in option labels as no-break spaces
        assert ATTACK in listed
        assert visit.page.evaluate(INJECTED)["pwned"] is None
    finally:
        visit.close()
