"""Page weight and Lighthouse mobile performance of every chapter page (``python benchmarks/pages.py``).

Needs the built book (``make book``), ``node_modules`` with the pinned ``lighthouse`` (a devDependency in
package.json; ``npm ci`` installs it) and Debian's Chromium (``tests/install_chromium.sh``).

1. ``_build/html`` is served gzip-compressed on 127.0.0.1, as a static host would serve it.
2. For each chapter page the first-visit bytes are what Chromium (Playwright, a phone-sized window)
   fetches from opening the page until the network is idle, plus what drawing every chart fetches:
   the HTML, its scripts, stylesheets, fonts and images, the chart library and the world map (the
   chart loader draws a chart when it nears the screen and the rest once the reader scrolls, so this
   counts a reader who goes on to every chart; Lighthouse's run, below, does not scroll). Each file is counted raw and
   gzip-compressed (level 6, as the server sends text; fonts and images as they are). The widget
   manager, fetched only when a reader scrolls near a widget, is counted apart.
3. Lighthouse's performance audit (its default: a mid-range phone on a throttled 4G connection, with
   simulated throttling) runs on every chapter page in headless Chromium with no network but the
   loopback server; its score, LCP, FCP, TBT, CLS and transferred bytes are recorded.

Writes ``benchmarks/pages.md``; exits 1 when a page misses the budget (<= 800 kB gzip first visit,
score >= 0.90, LCP <= 2.5 s). A benchmark, not a test: the machine's load moves the Lighthouse numbers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from secorgs.build.sphinx_assets import ALL_CHARTS_DRAWN

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
OUT = ROOT / "benchmarks" / "pages.md"
CPU_SLOWDOWN = None  # set from --cpu-slowdown
BUDGET_GZIP = 800_000
BUDGET_SCORE = 0.90
BUDGET_LCP_MS = 2500
WORLD_MAP = "_static/countries-50m.json"
WIDGET_FILES = ("_static/vendor/require.min.js", "_static/vendor/@jupyter-widgets/html-manager/dist/embed-amd.js")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
                "--no-first-run --disable-sync --disable-quic --disable-extensions --disable-default-apps")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for clients that accept it (as a static host serves text)."""

    COMPRESS = {".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".xml"}

    def log_message(self, *args):
        pass

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):  # the browser dropped a request it no longer needs
            self.close_connection = True

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        headers = {"Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                   "Cache-Control": "max-age=3600"}
        if path.suffix in self.COMPRESS and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            headers["Content-Encoding"] = "gzip"
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(html: Path = HTML):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@functools.lru_cache(maxsize=None)
def sizes(path: Path) -> tuple[int, int]:
    """(raw, gzip) bytes of a file as the server sends it (text gzip level 6; fonts and images as they are)."""
    data = path.read_bytes()
    return len(data), (len(gzip.compress(data, 6)) if path.suffix in GzipHandler.COMPRESS else len(data))


def served_file(url: str, base: str, html: Path = HTML) -> Path | None:
    if not url.startswith(base):
        return None
    path = (html / unquote(urlparse(url).path).lstrip("/")).resolve()
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def first_visit(browser, base: str, page: Path, html: Path = HTML) -> dict:
    """What a first visit to ``page`` fetches in Chromium on a phone-sized screen: everything until the
    network is idle, with every chart drawn (as for a reader who scrolls through them all). Also what
    scrolling to a widget would add (the widget manager)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75, is_mobile=True,
                                  has_touch=True)
    tab = context.new_page()
    fetched, outside = [], []

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    tab.route("**/*", route)
    tab.on("response", lambda response: fetched.append(response.url))
    tab.goto(urljoin(base, page.relative_to(html).as_posix()), wait_until="networkidle")
    try:
        tab.wait_for_function(ALL_CHARTS_DRAWN, timeout=60000)
        drawn = True
    except PlaywrightTimeout:  # a chart that never drew: reported in the table
        drawn = False
    count = -1
    while count != len(fetched):  # a drawn chart may still fetch its data (the world map)
        count = len(fetched)
        tab.wait_for_timeout(1500)
    context.close()
    files = list(dict.fromkeys(f for f in (served_file(u, base, html) for u in fetched) if f))
    text = page.read_text(encoding="utf-8")
    later = [html / name for name in WIDGET_FILES if "widgets-loader.js" in text and (html / name).exists()]
    later = [f for f in later if f not in files]
    return {
        "files": files,
        "outside": outside,
        "all_drawn": drawn,
        "raw": sum(sizes(f)[0] for f in files),
        "gzip": sum(sizes(f)[1] for f in files),
        "html_gzip": sizes(page)[1],
        "later_gzip": sum(sizes(f)[1] for f in later),
    }


def lighthouse(url: str, workdir: Path, cpu_slowdown: float | None = None) -> dict:
    """Lighthouse's mobile performance audit of ``url``; the numbers this benchmark reports."""
    out = workdir / "report.json"
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    cmd = [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json", f"--output-path={out}",
           f"--chrome-flags={CHROME_FLAGS} --user-data-dir={workdir / 'profile'}", "--quiet",
           "--max-wait-for-load=60000"]
    if cpu_slowdown:
        cmd.append(f"--throttling.cpuSlowdownMultiplier={cpu_slowdown}")
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        "score": report["categories"]["performance"]["score"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "transfer": audits["total-byte-weight"]["numericValue"],
        "lh_outside": [r["url"] for r in requests if urlparse(r["url"]).hostname not in ("127.0.0.1", None)
                       and not r["url"].startswith("data:")],
        "warnings": report.get("runWarnings", []),
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "lcp_element": lcp_element(audits),
    }


def lcp_element(audits: dict) -> str:
    """The element Lighthouse found to be the largest contentful paint, as its label."""
    items = audits.get("largest-contentful-paint-element", {}).get("details", {}).get("items") or []
    while items and "items" in items[0]:  # Lighthouse 12 nests a table in a list
        items = items[0]["items"]
    node = (items[0].get("node") if items else None) or {}
    return f"{node.get('snippet', '?')} {node.get('nodeLabel', '')}".strip()


def chapter_pages(html: Path = HTML) -> list[Path]:
    return sorted((html / "chapters").glob("*.html"))


def kb(n: float) -> str:
    return f"{n / 1000:,.0f}"


def main(argv=None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--no-lighthouse", action="store_true", help="count bytes only")
    args.add_argument("--pages", nargs="*", help="page paths under _build/html (default: every chapter)")
    args.add_argument("--cpu-slowdown", type=float, help="Lighthouse's CPU slowdown multiplier (default: its own, 4)")
    args.add_argument("--out", type=Path, default=OUT, help="the report to write (default: benchmarks/pages.md)")
    opts = args.parse_args(argv)
    global CPU_SLOWDOWN
    CPU_SLOWDOWN = opts.cpu_slowdown
    if not (HTML / "index.html").exists():
        print("pages: build the book first (make book)", file=sys.stderr)
        return 2
    pages = [HTML / p for p in opts.pages] if opts.pages else chapter_pages()
    run_lighthouse = not opts.no_lighthouse
    if run_lighthouse and not LIGHTHOUSE.exists():
        print("pages: node_modules/.bin/lighthouse is missing: run `npm ci`", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    server, base = serve()
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=CHROME_FLAGS.replace("--headless=new ", "").split())
            for page in pages:
                rows.append({"page": page.relative_to(HTML).as_posix(), **first_visit(browser, base, page)})
            browser.close()
        for row in rows:
            if run_lighthouse:
                with tempfile.TemporaryDirectory() as tmp:
                    row.update(lighthouse(urljoin(base, row["page"]), Path(tmp), opts.cpu_slowdown))
            print(f"{row['page']}: {kb(row['gzip'])} kB gzip" + (
                f", score {row['score']:.2f}, LCP {row['lcp'] / 1000:.1f} s, TBT {row['tbt']:.0f} ms, CLS {row['cls']:.3f}"
                if run_lighthouse else ""), flush=True)
    finally:
        server.shutdown()
    failing = write_report(rows, run_lighthouse, opts.out)
    return 1 if failing else 0


def meets(row: dict, run_lighthouse: bool) -> bool:
    ok = row["gzip"] <= BUDGET_GZIP and not row["outside"]
    if run_lighthouse:
        ok = ok and row["score"] >= BUDGET_SCORE and row["lcp"] <= BUDGET_LCP_MS and not row["lh_outside"]
    return ok


def write_report(rows: list[dict], run_lighthouse: bool, out: Path = OUT) -> list[str]:
    index = {r.get("benchmark_index") for r in rows if r.get("benchmark_index")}
    lines = [
        "# Chapter pages: weight and Lighthouse mobile performance",
        "",
        f"Measured by `benchmarks/pages.py` on {dt.date.today().isoformat()} on this project's 2-core machine "
        f"({'Lighthouse BenchmarkIndex ' + ', '.join(str(round(i)) for i in sorted(index)) if index else 'bytes only'}), "
        "from `_build/html` served gzip-compressed on 127.0.0.1.",
        "",
        f"Budget per chapter page: first visit <= {BUDGET_GZIP // 1000} kB gzip, Lighthouse performance score >= "
        f"{BUDGET_SCORE:.2f}, largest contentful paint (LCP) <= {BUDGET_LCP_MS / 1000:.1f} s.",
        "",
        "First visit: every file Chromium fetched (phone-sized window) until the network was idle, with every",
        "chart drawn: the page, its scripts, stylesheets, fonts, the chart library and the world map. (The loader",
        "draws a chart as it nears the screen and the others once the reader scrolls: this counts a reader who",
        "goes on to every chart. Lighthouse does not scroll: its *sent* is the opening screen's cost.)",
        "*Widget* is what a reader also fetches on scrolling near a widget (the widget manager). Lighthouse: its",
        "mobile audit (simulated slow 4G; CPU slowdown " + (f"{CPU_SLOWDOWN}x" if CPU_SLOWDOWN else "4x, its default") + ");",
        "*sent* is the bytes it saw transferred. Lighthouse expects a host CPU with a BenchmarkIndex of at least",
        "1000 before its 4x slowdown (which stands for a low-end phone; Chrome DevTools' CPU calibration puts a",
        "Moto G Power-class phone at 264 and a Pixel 5-class phone at 1000). Below that its CPU-bound numbers",
        "(TBT, and LCP where scripts delay the paint) come out worse than such a phone would see; `--cpu-slowdown 1`",
        "measures this host as it is.",
        "",
    ]
    if run_lighthouse:
        lines += ["| page | HTML kB gzip | first visit kB raw | first visit kB gzip | widget kB gzip | score | LCP s | FCP s "
                  "| TBT ms | CLS | sent kB | budget met |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {r['page']} | {kb(r['html_gzip'])} | {kb(r['raw'])} | {kb(r['gzip'])} | "
                  f"{kb(r['later_gzip']) if r['later_gzip'] else '-'} | {r['score']:.2f} | {r['lcp'] / 1000:.1f} | "
                  f"{r['fcp'] / 1000:.1f} | {r['tbt']:.0f} | {r['cls']:.3f} | {kb(r['transfer'])} | "
                  f"{'yes' if meets(r, True) else 'no'} |" for r in rows]
    else:
        lines += ["| page | HTML kB gzip | first visit kB raw | first visit kB gzip | widget kB gzip | budget met (bytes) |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {r['page']} | {kb(r['html_gzip'])} | {kb(r['raw'])} | {kb(r['gzip'])} | "
                  f"{kb(r['later_gzip']) if r['later_gzip'] else '-'} | {'yes' if meets(r, False) else 'no'} |" for r in rows]
    failing = [r["page"] for r in rows if not meets(r, run_lighthouse)]
    lines += ["", f"Pages that miss the budget: {', '.join(failing) if failing else 'none'}.", ""]
    warnings = sorted({w for r in rows for w in r.get("warnings", [])})
    if warnings:
        lines += ["Lighthouse's warnings:", "", *[f"- {w}" for w in warnings], ""]
    if run_lighthouse:
        lines += ["Largest contentful paint element per page:", ""]
        lines += [f"- {r['page']}: `{r['lcp_element'][:100]}`" for r in rows]
        lines.append("")
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out}")
    return failing


if __name__ == "__main__":
    sys.exit(main())
