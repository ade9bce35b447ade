"""Print the book with Chromium: one PDF per page and one for the whole book (``python -m secorgs.build.pdf``).

Each page of the built book, in table-of-contents order, is opened in headless Chromium from a
loopback server with every other host blocked, its charts are drawn, and it is printed with the
book's print stylesheet (``static/print.css``: no toggles or hidden code, figures kept with their
captions, a new page for each section), page numbers in the footer and a bookmark for every heading.
The pages' PDFs are published beside the pages (``pdf/chapters/asean.pdf`` ...) and linked from each
page's download menu; ``pdf/book.pdf`` joins them with a bookmark per chapter. A page whose HTML has
not changed since it was last printed is not printed again. (Jupyter Book's single-page builder cannot
render notebooks with hidden cells, so the book is printed page by page.)
"""
from __future__ import annotations

import functools
import hashlib
import http.server
import json
import re
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import yaml

from .. import ROOT
from .sphinx_assets import ALL_CHARTS_DRAWN

HTML = ROOT / "_build" / "html"
PDF_DIR = "pdf"
BOOK = "book.pdf"
OUTPUT = HTML / PDF_DIR / BOOK
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


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


FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555;">'
          '<span class="title"></span> · <span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def page_pdf(name: str) -> str:
    """Where the PDF of page ``name`` (e.g. ``chapters/asean.html``) is published, relative to the book."""
    return f"{PDF_DIR}/{name[:-len('.html')]}.pdf"


def page_title(html: Path, name: str) -> str:
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", (html / name).read_text(encoding="utf-8"), re.S)
    text = re.sub(r"<[^>]+>", "", h1.group(1)) if h1 else name
    return " ".join(text.replace("#", "").split())


def print_pages(browser, base: str, html: Path, target: Path, root: Path = ROOT) -> list[tuple[str, Path]]:
    """Print every page of the book that changed since its last printing; return (title, pdf) in order."""
    hashes_path = target / "hashes.json"
    hashes = json.loads(hashes_path.read_text(encoding="utf-8")) if hashes_path.exists() else {}
    printed, page = [], None
    for name in toc_pages(root):
        out = target / page_pdf(name)[len(PDF_DIR) + 1:]
        digest = hashlib.sha256((html / name).read_bytes()).hexdigest()
        if hashes.get(name) != digest or not out.exists():
            if page is None:
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_()
                           if urlparse(route.request.url).hostname == "127.0.0.1"
                           or route.request.url.startswith("data:") else route.abort())
            page.goto(base + name, wait_until="networkidle")
            page.wait_for_function(ALL_CHARTS_DRAWN, timeout=30000)
            page.emulate_media(media="print")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(page.pdf(format="A4", print_background=True, outline=True, tagged=True,
                                     display_header_footer=True, header_template="<span></span>",
                                     footer_template=FOOTER,
                                     margin={"top": "15mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}))
            hashes[name] = digest
        printed.append((page_title(html, name), out))
    if page is not None:
        page.close()
    hashes_path.write_text(json.dumps(hashes, indent=1, sort_keys=True), encoding="utf-8")
    return printed


def join(printed: list[tuple[str, Path]], output: Path) -> Path:
    """One PDF of the whole book: a bookmark per page, its own headings' bookmarks nested under it."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for title, path in printed:
        writer.append(str(path), outline_item=title)
    writer.page_mode = "/UseOutlines"
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "wb") as f:
        writer.write(f)
    return output


def build(output: Path = OUTPUT, html: Path = HTML, browser=None, root: Path = ROOT) -> Path:
    """Print every page to ``html/pdf/`` and the book to ``output``; ``browser`` is a Playwright
    Chromium to reuse (tests pass theirs)."""
    target = html / PDF_DIR
    server, base = serve(html)
    try:
        if browser is None:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                own = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                printed = print_pages(own, base, html, target, root)
                own.close()
        else:
            printed = print_pages(browser, base, html, target, root)
    finally:
        server.shutdown()
    return join(printed, output)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    html = Path(argv[0]) if argv else HTML
    root = Path(argv[1]) if len(argv) > 1 else ROOT  # the project whose table of contents orders the pages
    if not (html / "index.html").exists():
        print(f"pdf: {html} holds no built book (make book)", file=sys.stderr)
        return 1
    path = build(html / PDF_DIR / BOOK, html, root=root)
    print(f"pdf: wrote {path} and a PDF of every page beside it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
