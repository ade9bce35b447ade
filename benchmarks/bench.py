"""Benchmark the build in one run on this machine and write benchmarks/results.md (``make bench``).

Everything runs in a temporary copy of the project's source files,
using this project's virtual environment and node_modules, so the working tree is not touched.
Measured, in order: a clean build (no execution cache, no Sphinx environment); the sum of the
notebooks' own execution times; a no-change rebuild (``secorgs.build.book`` compares one stamp and
stops); a rebuild after editing one CSV; a rebuild
after editing one chapter's prose; `make test` (not with ``--skip-test``); and the bytes each page loads.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"


def project_copy(target: Path) -> Path:
    from secorgs.build.execute import copy_project

    copy_project(target, ROOT)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


FAILED = []


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in ``path``; stop if it is not there (a benchmark of no edit is worthless)."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        sys.exit(f"bench: {old!r} is no longer in {path.name}; update the edit in benchmarks/bench.py")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def timed(copy: Path, *make_args: str, may_fail: bool = False) -> float:
    env = {**os.environ, "PYTHONPATH": str(copy)}
    started = time.perf_counter()
    result = subprocess.run(["make", "-C", str(copy), f"VENV={VENV}", *make_args], env=env,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        message = f"make {' '.join(make_args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        if not may_fail:
            sys.exit(message)
        print(message, file=sys.stderr)
        FAILED.append(" ".join(make_args))
    return seconds


class Loads(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "") and attrs.get("href"):
            self.urls.append(attrs["href"])


def page_weights(html_dir: Path) -> list[tuple[str, int, int]]:
    """(page, bytes of the page itself, bytes of the local files it loads) for every page."""
    rows = []
    for page in sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts):
        parser = Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        assets = 0
        for url in dict.fromkeys(parser.urls):
            if urlparse(url).scheme:
                continue
            path = (page.parent / url.split("?")[0]).resolve()
            if path.is_file():
                assets += path.stat().st_size
        rows.append((page.relative_to(html_dir).as_posix(), page.stat().st_size, assets))
    return rows


def main() -> int:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        copy = project_copy(Path(tmp) / "book")
        results = {}
        results["clean_execute"] = timed(copy, "outputs")
        exec_times = json.loads((copy / "_build" / "execution-times.json").read_text())
        results["clean_render"] = timed(copy, "book")
        results["clean"] = results["clean_execute"] + results["clean_render"]
        results["no_change"] = timed(copy, "book")
        edit(copy / "data" / "exercises.csv", "held at Chebarkul", "held at Chebarkul, Russia")
        results["one_csv"] = timed(copy, "book")
        csv_exec = json.loads((copy / "_build" / "execution-times.json").read_text())
        edit(copy / "chapters" / "asean.ipynb", "ASEAN grew out of", "ASEAN grew from")
        results["one_prose"] = timed(copy, "book")
        results["test"] = None if "--skip-test" in sys.argv else timed(copy, "test", may_fail=True)
        weights = page_weights(copy / "_build" / "html")
    return write_report(results, exec_times, csv_exec, weights, cores)


def write_report(results, exec_times, csv_exec, weights, cores) -> int:
    floor = sum(exec_times.values())
    lines = [
        "# Build benchmark",
        "",
        f"Measured by `make bench` (`benchmarks/bench.py`) on {dt.date.today().isoformat()}, "
        f"{platform.machine()}, {cores} cores, Python {platform.python_version()}.",
        "",
        "| measurement | seconds |",
        "|---|---|",
        f"| clean build (execute every notebook, then Sphinx from scratch) | {results['clean']:.1f} |",
        f"| of which: validate, vendor and execute all notebooks (`make outputs`) | {results['clean_execute']:.1f} |",
        f"| of which: figures and Sphinx from scratch (`make book` after it) | {results['clean_render']:.1f} |",
        f"| sum of the notebooks' own execution times | {floor:.1f} |",
        f"| rebuild, nothing changed | {results['no_change']:.1f} |",
        f"| rebuild after editing one CSV (`exercises.csv`; re-executed: {', '.join(sorted(csv_exec))}) | "
        f"{results['one_csv']:.1f} |",
        f"| rebuild after editing one chapter's prose | {results['one_prose']:.1f} |",
        f"| `make test` (built book present){' — FAILED' if 'test' in FAILED else ''} | "
        f"{'not measured (--skip-test)' if results['test'] is None else format(results['test'], '.1f')} |",
        "",
        "| target | value | met |",
        "|---|---|---|",
        f"| no-change rebuild ≤ 5% of clean build | {100 * results['no_change'] / results['clean']:.1f}% | "
        f"{'yes' if results['no_change'] <= 0.05 * results['clean'] else 'no'} |",
        f"| one-CSV rebuild ≤ its notebooks' execution + Sphinx incremental (prose rebuild) | "
        f"{results['one_csv']:.1f} s vs {sum(csv_exec.values()) + results['one_prose']:.1f} s | "
        f"{'yes' if results['one_csv'] <= sum(csv_exec.values()) + results['one_prose'] else 'no'} |",
        f"| clean build ≤ 1.5 × notebook time / {cores} cores + figures and Sphinx | {results['clean']:.1f} s vs "
        f"{1.5 * floor / cores + results['clean_render']:.1f} s | "
        f"{'yes' if results['clean'] <= 1.5 * floor / cores + results['clean_render'] else 'no'} |",
        f"| `make test` under 5 minutes | not measured | – |" if results["test"] is None else
        f"| `make test` under 5 minutes | {results['test'] / 60:.1f} min | {'yes' if results['test'] < 300 else 'no'} |",
        "",
        "## Notebook execution times (clean build)",
        "",
        "| notebook | seconds |",
        "|---|---|",
        *[f"| {name} | {seconds:.1f} |" for name, seconds in sorted(exec_times.items())],
        "",
        "## Bytes per page",
        "",
        "Page HTML, plus the local scripts, stylesheets and images it loads (shared assets such as the",
        "chart library are the same files on every page, so a browser fetches them once), counted raw from",
        "the page's tags. What a phone actually fetches, gzip-compressed, and Lighthouse's mobile score, LCP",
        "and TBT for every chapter page are in `benchmarks/pages.md` (`make bench-pages`).",
        "",
        "| page | HTML bytes | asset bytes |",
        "|---|---|---|",
        *[f"| {page} | {html:,} | {assets:,} |" for page, html, assets in weights],
        "",
    ]
    out = ROOT / "benchmarks" / "results.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[:20]))
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
