"""Sphinx extension: works that would be cited alike get a letter after the year (1996a, 1996b).

sphinxcontrib-bibtex's author-year style writes "Leifer, 1996" for both of Michael Leifer's 1996 works
and "ASEAN, 1976" for three documents of that year, so a reader cannot tell which one a citation means.
As biblatex does, every work that shares its author label and year with another gets a letter after
the year, in the order of the works' titles, in the text and in the bibliography alike.
``references.bib`` keeps plain years: the letters follow from the file and move with it.
"""
from __future__ import annotations

import re
from string import ascii_lowercase

YEAR = re.compile(r"\d{4}")


def _plain(text: str) -> str:
    return re.sub(r"[{}\\]", "", text).strip()


def author_label(entry) -> str:
    """The author part of an author-year citation: one or two surnames, or the first and "et al."."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    surnames = [_plain(" ".join(p.prelast_names + p.last_names)) for p in people]
    if len(surnames) <= 2:
        return " and ".join(surnames)
    return f"{surnames[0]} et al."


def year_letters(entries) -> dict[str, str]:
    """Key: lettered year, for every entry whose author label and year another entry shares."""
    groups: dict[tuple[str, str], list[str]] = {}
    for key, entry in entries.items():
        year = YEAR.match(entry.fields.get("year", ""))
        if year:
            groups.setdefault((author_label(entry), year.group(0)), []).append(key)
    letters = {}
    for (_, year), keys in groups.items():
        if len(keys) < 2:
            continue
        by_title = sorted(keys, key=lambda k: (_plain(entries[k].fields.get("title", "")).lower(), k))
        for letter, key in zip(ascii_lowercase, by_title):
            letters[key] = year + letter
    return letters


def letter_years(app) -> None:
    entries = app.env.get_domain("cite").bibdata.data.entries
    for key, year in year_letters(entries).items():
        entries[key].fields["year"] = year


def setup(app):
    # After sphinxcontrib-bibtex has read the bib file (its own builder-inited handler, priority 500).
    app.connect("builder-inited", letter_years, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
