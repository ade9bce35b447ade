"""Sphinx extension: the book's edition, its licence and how to cite it, from ``CITATION.cff``.

``CITATION.cff`` is the one place for the edition (its ``version``) and its date; this extension
puts them, with the date the data run to (:func:`secorgs.data.as_of`) and the licences, in the footer
of every page, offers them to pages as MyST substitutions (``{{ edition }}``, ``{{ edition_date }}``,
``{{ data_date }}``) and renders the ``book-citation`` directive: a plain reference and a BibTeX entry.
"""
from __future__ import annotations

import html
from datetime import date

import yaml
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import ROOT, book_citation as citation  # noqa: F401 (changes.py and tests read it here)

LICENCES = ('Text and figures: <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>; '
            'code: MIT (see <code>LICENSE</code> and <code>LICENSE-CODE</code>).')


def long_date(day: date) -> str:
    from ..gluing import format_value

    return format_value(day, "date")


def plain_reference(info: dict) -> str:
    return (f"{' and '.join(info['authors'])} ({info['released'].year}). {info['title']}. "
            f"Edition {info['edition']}, {long_date(info['released'])}.")


def bibtex(info: dict) -> str:
    return (f"@book{{secorgs_edition_{info['edition']},\n"
            f"  title   = {{{info['title']}}},\n"
            f"  author  = {{{' and '.join('{' + a + '}' for a in info['authors'])}}},\n"
            f"  edition = {{{info['edition']}}},\n"
            f"  year    = {{{info['released'].year}}},\n"
            f"  month   = {{{info['released']:%B}}},\n"
            f"  note    = {{Licensed CC BY 4.0; code MIT}}\n}}")


class BookCitation(SphinxDirective):
    """``book-citation``: how to cite this edition, as a plain reference and as BibTeX."""

    def run(self):
        info = citation()
        self.env.note_dependency(str(ROOT / "CITATION.cff"))
        return [nodes.paragraph(text=plain_reference(info)),
                nodes.literal_block(text=bibtex(info), language="bibtex")]


def _html_table(rows: list[dict], columns: dict[str, str]) -> str:
    from .report import html_table

    return html_table(list(columns.values()),
                      [[html.escape(str(row[key])) for key in columns] for row in rows])


class WhatChanged(SphinxDirective):
    """``what-changed``: the data rows and the stated numbers that changed since the previous edition."""

    def run(self):
        from . import changes

        for path in [ROOT / "CITATION.cff", *sorted((ROOT / "data").glob("*.csv")),
                     *sorted((ROOT / "chapters").glob("*.ipynb"))]:
            self.env.note_dependency(str(path))
        tag = changes.previous_edition()
        if tag is None:
            return [nodes.paragraph(text=f"This is the first edition (edition {citation()['edition']}): "
                                         "there is no earlier edition to compare it with.")]
        data_rows, glue_rows = changes.data_changes(ROOT, tag), changes.glue_changes(ROOT, tag)
        from .report import section

        summary = (f"Compared with the previous edition (git tag {tag}): {len(data_rows)} rows of data and "
                   f"{len(glue_rows)} numbers stated in the text changed.")
        return [nodes.paragraph(text=summary),
                section("Data rows", _html_table(data_rows, {"file": "File", "row": "Row (key)", "change": "Change",
                                                              "details": "What changed"}), self.env),
                section("Numbers in the text", _html_table(glue_rows, {"chapter": "Chapter", "old": "Was", "new": "Now",
                                                                       "sentence": "Sentence"}), self.env)]


def add_downloads(app, config):
    """Write the course pack (without solutions in the student edition) where the build publishes it."""
    from . import coursepack

    extra = ROOT / "_build" / ("downloads-student" if config.hide_solutions else "downloads")
    coursepack.write(extra / "downloads" / coursepack.NAME, solutions=not config.hide_solutions)
    config.html_extra_path = [*config.html_extra_path, str(extra)]


def record_bibliography_digest(app, config):
    """A change to the bibliography re-reads every page: sphinxcontrib-bibtex numbers the anchors of the
    bibliography page, and pages that cite it keep stale anchors if only the changed pages are read."""
    import hashlib

    digest = hashlib.sha256()
    for path in [ROOT / "references.bib", ROOT / "bibliography.md"]:
        digest.update(path.read_bytes() if path.exists() else b"")
    config.secorgs_bibliography_digest = digest.hexdigest()


def configure(app, config):
    from .. import data

    info = citation()
    data_date = long_date(data.as_of().date())
    config.myst_substitutions = {**(config.myst_substitutions or {}), "edition": info["edition"],
                                 "edition_date": long_date(info["released"]), "data_date": data_date}
    footer = (f"Edition {html.escape(info['edition'])}, {long_date(info['released'])}. "
              f"Data to {data_date}. {LICENCES}")
    options = dict(config.html_theme_options or {})
    extra = options.get("extra_footer", "")
    options["extra_footer"] = f"<p>{footer}</p>" + (f"<p>{extra}</p>" if extra else "")
    config.html_theme_options = options


def download_menu(app, pagename, templatename, context, doctree):
    """Offer this page's PDF, the whole book's PDF and the course pack in the page's download menu,
    instead of the theme's "print this page" button."""
    from .coursepack import NAME
    from .pdf import BOOK, PDF_DIR

    pathto = context.get("pathto")
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = [b for b in group["buttons"] if b.get("label") != "download-pdf-button"]
        buttons += [
            {"type": "link", "url": pathto(f"{PDF_DIR}/{pagename}.pdf", 1), "text": "PDF of this page",
             "icon": "fas fa-file-pdf", "tooltip": "This page as a PDF", "label": "download-page-pdf-button"},
            {"type": "link", "url": pathto(f"{PDF_DIR}/{BOOK}", 1), "text": "PDF of the book",
             "icon": "fas fa-book", "tooltip": "The whole book as one PDF", "label": "download-book-pdf-button"},
            {"type": "link", "url": pathto(f"downloads/{NAME}", 1), "text": "Course pack (.zip)",
             "icon": "fas fa-file-archive", "tooltip": "Chapters, data and code to run them",
             "label": "download-coursepack-button"},
        ]
        group["buttons"] = buttons


def setup(app):
    app.add_css_file("print.css", media="print")
    app.add_css_file("dark-mode.css")
    app.add_css_file("secorgs-charts.css")
    app.connect("html-page-context", download_menu, priority=502)
    app.add_directive("book-citation", BookCitation)
    app.add_directive("what-changed", WhatChanged)
    from .report import Reproducibility

    app.add_directive("reproducibility", Reproducibility)
    app.add_config_value("secorgs_bibliography_digest", "", "env")
    app.connect("config-inited", record_bibliography_digest)
    app.connect("config-inited", configure, priority=600)
    app.connect("config-inited", add_downloads, priority=610)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
