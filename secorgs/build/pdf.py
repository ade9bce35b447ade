"""Print the built book to one PDF with Chromium (``python -m secorgs.build.pdf``; ``make pdf``).

Each page of ``_build/html``, in table-of-contents order, is opened in headless Chromium from a
loopback server with every other host blocked, its charts are drawn, and it is printed; the pages'
PDFs are joined into ``_build/book.pdf``. (Jupyter Book's single-page builder cannot render notebooks
with hidden cells, so the book is printed page by page.)
"""
from __future__ import annotations

import functools
import http.server
import io
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import yaml

from .. import ROOT

HTML = ROOT / "_build" / "html"
OUTPUT = ROOT / "_build" / "book.pdf"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
DRAWN = ("document.querySelectorAll('.vega-chart svg.marks, .vega-chart canvas.marks').length"
         " >= document.querySelectorAll('.vega-chart').length")


def toc_pages(root: Path = ROOT) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [entry["file"] for entry in part["chapters"]]
    return [f"{name}.html" for name in files]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def chromium_path() -> str:
    """Debian's Chromium, which Playwright drives (it downloads no browser of its own)."""
    return shutil.which("chromium") or "/usr/bin/chromium"


def serve(html: Path = HTML) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``html`` on 127.0.0.1 in a background thread; return the server and its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def print_pages(browser, base: str) -> "PdfWriter":
    from pypdf import PdfWriter

    writer = PdfWriter()
    page = browser.new_page()
    page.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1"
               or route.request.url.startswith("data:") else route.abort())
    for name in toc_pages():
        page.goto(base + name, wait_until="networkidle")
        page.wait_for_function(DRAWN, timeout=15000)
        page.emulate_media(media="print")
        writer.append(io.BytesIO(page.pdf(format="A4", print_background=True,
                                          margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})))
    page.close()
    return writer


def build(output: Path = OUTPUT, html: Path = HTML, browser=None) -> Path:
    """Print the book to ``output``; ``browser`` is a Playwright Chromium to reuse (tests pass theirs)."""
    server, base = serve(html)
    try:
        if browser is None:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                own = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                writer = print_pages(own, base)
                own.close()
        else:
            writer = print_pages(browser, base)
    finally:
        server.shutdown()
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "wb") as f:
        writer.write(f)
    return output


def main() -> int:
    if not (HTML / "index.html").exists():
        print("pdf: build the book first (make book)", file=sys.stderr)
        return 1
    path = build()
    print(f"pdf: wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
