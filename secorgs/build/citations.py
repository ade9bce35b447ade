"""Sphinx extension: works that would be cited alike get a letter after the year (1996a, 1996b).

sphinxcontrib-bibtex's author-year style writes "Leifer, 1996" for both of Michael Leifer's 1996 works
and "ASEAN, 1976" for three documents of that year, so a reader cannot tell which one a citation means.
As biblatex does, every work that shares its author label and year with another gets a letter after
the year, in the order of the works' titles, in the text and in the bibliography alike.
``references.bib`` keeps plain years: the letters follow from the file and move with it.
"""
from __future__ import annotations

from ..gluing import year_letters


def letter_years(app) -> None:
    entries = app.env.get_domain("cite").bibdata.data.entries
    for key, year in year_letters(entries).items():
        entries[key].fields["year"] = year


def setup(app):
    # After sphinxcontrib-bibtex has read the bib file (its own builder-inited handler, priority 500).
    app.connect("builder-inited", letter_years, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
