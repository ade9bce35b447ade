"""The reproducibility page: for every chapter, when it was executed, how long it took, the data
files it read (with their checksums) and the package versions, from what the executor records.

The ``reproducibility`` directive renders it at build time: the tables each chapter read and its
execution date and duration come from the notebook's ``secorgs`` metadata (written by
:mod:`secorgs.build.execute`), the checksums from the files themselves, which the stored outputs are
current with (the executor re-runs a chapter whose files changed), and the versions from the
installed packages pinned in ``requirements.txt``.
"""
from __future__ import annotations

import hashlib
import html
import json
import platform
import re
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import ROOT


def long_date(iso: str) -> str:
    """'2026-11-25' as '25 November 2026', the book's style for dates."""
    from datetime import date

    from ..gluing import format_value

    return format_value(date.fromisoformat(iso), "date")


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def chapter_rows(root: Path = ROOT) -> list[dict]:
    rows = []
    for path in sorted((root / "chapters").glob("*.ipynb")):
        record = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("secorgs", {})
        seconds = record.get("seconds")
        rows.append({
            "chapter": path.stem,
            "executed": long_date(record["executed"]) if record.get("executed") else "not recorded",
            "seconds": f"{seconds:.1f} s" if isinstance(seconds, (int, float)) else "not recorded",
            "data": [(f"{t}.csv", checksum(root / "data" / f"{t}.csv")) for t in record.get("tables", [])
                     if (root / "data" / f"{t}.csv").exists()],
        })
    return rows


def pinned_versions(root: Path = ROOT) -> list[tuple[str, str, str]]:
    """(package, pinned version, installed version) for every line of requirements.txt."""
    rows = []
    for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s#]+)", line.strip())
        if match:
            try:
                installed = metadata.version(match.group(1))
            except metadata.PackageNotFoundError:
                installed = "not installed"
            rows.append((match.group(1), match.group(2), installed))
    return rows


def html_table(head: list[str], rows: list[list[str]]) -> str:
    """A table of already-escaped cells that scrolls inside its own box on a narrow screen."""
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (f'<div class="secorgs-table-wrap" style="overflow-x:auto;max-width:100%" tabindex="0" role="region" '
            f'aria-label="{html.escape(head[0])} table"><table class="table"><thead><tr>{th}</tr></thead>'
            f'<tbody>{body}</tbody></table></div>')


class Reproducibility(SphinxDirective):
    def run(self):
        self.env.note_dependency(str(ROOT / "requirements.txt"))
        chapters = chapter_rows()
        for row in chapters:
            self.env.note_dependency(str(ROOT / "chapters" / f"{row['chapter']}.ipynb"))
        chapter_table = html_table(
            ["Chapter", "Executed", "Time", "Data files read (SHA-256, first 16 hex digits)"],
            [[html.escape(r["chapter"]), html.escape(r["executed"]), html.escape(r["seconds"]),
              "<br>".join(f"<code>{html.escape(name)}</code> {digest}" for name, digest in r["data"])]
             for r in chapters])
        versions = html_table(["Package", "Pinned", "Installed"],
                          [[html.escape(a), html.escape(b), html.escape(c)] for a, b, c in pinned_versions()])
        return [section("Chapters", chapter_table, self.env),
                section("Software", f"<p>Python {html.escape(platform.python_version())}.</p>{versions}", self.env)]


def section(title: str, markup: str, env) -> nodes.section:
    """A real section (heading, anchor, table-of-contents entry) holding raw HTML."""
    node = nodes.section(ids=[nodes.make_id(title)], names=[nodes.fully_normalize_name(title)])
    node += nodes.title(text=title)
    node += nodes.raw("", markup, format="html")
    return node
