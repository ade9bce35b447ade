from urllib.parse import urlparse

import pytest

from secorgs.build.pdf import CHROMIUM_ARGS, HTML, chromium_path, serve


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: needs the built book and Chromium (make browser)")


@pytest.fixture(scope="session")
def site():
    """Serve _build/html on 127.0.0.1; yield its base URL."""
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html is missing: run `make book` first")
    server, base = serve(HTML)
    yield base
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class PageVisit:
    """A page opened with every request off 127.0.0.1 blocked and recorded."""

    def __init__(self, browser, url, width=1280, height=900):
        self.outside, self.failed, self.console_errors = [], [], []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.response = self.page.goto(url, wait_until="networkidle")

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site):
    opened = []

    def open_page(path, width=1280, height=900):
        """Open ``path`` in a fresh browser context of ``width`` x ``height`` px (a phone: 390 x 844)."""
        v = PageVisit(browser, site + path, width, height)
        opened.append(v)
        return v

    yield open_page
    for v in opened:
        v.close()
