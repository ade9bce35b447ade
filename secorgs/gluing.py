"""Glue computed values into the prose, always as plain, pre-formatted text.

myst-nb renders a glued numpy scalar as an empty string, so every value is converted to a plain
Python ``int``/``float``/``str`` and formatted here before it is glued.
"""
from __future__ import annotations

import html
import numbers
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from string import ascii_lowercase
from urllib.parse import urlparse

import pandas as pd

from .schema import PRECISIONS  # how precisely a date is known: day, month or year


class Text(str):
    """A string whose repr is itself, so ``{glue}`` shows it without quotes."""

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython's plain-text formatter
        printer.text(str(self))


def plain(value):
    """Convert numpy/pandas scalars to the matching built-in Python type."""
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date() if isinstance(value, pd.Timestamp) else value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value




def _coarsened(fmt: str, precision: str | None) -> str:
    """The date format that shows no more than is known: 'date' becomes 'month' for a date known to
    the month, and 'date' or 'month' become 'year' for one known to the year."""
    if precision in (None, "", "day"):
        return fmt
    if precision not in PRECISIONS:
        raise ValueError(f"unknown date precision {precision!r}; expected one of {', '.join(PRECISIONS)}")
    if precision == "month":
        return "month" if fmt == "date" else fmt
    return "year" if fmt in ("date", "month") else fmt


def format_value(value, fmt: str = "", precision: str | None = None) -> str:
    """Format ``value`` for prose.

    ``precision`` ('day', 'month' or 'year'; None means day) says how precisely a date is known: a
    date known only to the month is never shown with a day ('date' gives "April 1974", not
    "1 April 1974"), one known only to the year as its year.

    ``fmt`` is a Python format spec, or one of: 'date' (8 August 1967), 'month' (June 2001), 'year',
    'pct' (a share 0-1 as 42.2%), 'words' (a count in the house style: one to nine in words, numerals
    from 10), 'Words' (the same, capitalised, to open a sentence), 'ordinal' (third, 12th), 'times' (once,
    twice, three times), 'thousands'/'millions'/'billions' (scaled, whole numbers from ten units up),
    'whole' (rounded, thousands separated), 'tenths'/'hundredths'/'thousandths' (decimal places).
    """
    value = plain(value)
    if fmt in ("date", "year", "month"):
        fmt = _coarsened(fmt, precision)
        if not isinstance(value, date):
            raise TypeError(f"format {fmt!r} needs a date, got {type(value).__name__}")
        if fmt == "year":
            return str(value.year)
        if fmt == "month":
            return f"{value:%B} {value.year}"
        return f"{value.day} {value:%B} {value.year}"
    if fmt in ("thousands", "millions", "billions"):
        scale = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}[fmt]
        return f"{value / scale:,.0f}" if value >= 10 * scale else f"{value / scale:,.1f}"
    if fmt in DECIMALS:
        return format(value, DECIMALS[fmt])
    if fmt == "pct":
        if not isinstance(value, numbers.Real):
            raise TypeError(f"format 'pct' needs a number, got {type(value).__name__}")
        return f"{100 * value:.1f}%"
    if fmt == "times" and isinstance(value, int):
        return {1: "once", 2: "twice"}.get(value, f"{number_words(value)} times")
    if fmt == "ordinal" and isinstance(value, int):
        return ordinal(value)
    if fmt in ("words", "Words") and isinstance(value, int):
        return capitalise(number_words(value)) if fmt == "Words" else number_words(value)
    return format(value, fmt)


DECIMALS = {"whole": ",.0f", "tenths": ".1f", "hundredths": ".2f", "thousandths": ".3f"}

#: The house style for counts in prose: words from zero to nine, numerals from 10.
WORDS = "zero one two three four five six seven eight nine".split()
ORDINALS = "zeroth first second third fourth fifth sixth seventh eighth ninth".split()


def number_words(n: int) -> str:
    """A count in the house style: words from zero to nine, numerals (thousands separated) from 10."""
    return WORDS[n] if 0 <= n < len(WORDS) else f"{n:,}"


def ordinal(n: int) -> str:
    """An ordinal in the house style: 'first' to 'ninth' in words, then 10th, 11th, 21st, 102nd."""
    if 0 <= n < len(ORDINALS):
        return ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def capitalise(text: str) -> str:
    """The first letter upper-cased and the rest left alone ('eighth' -> 'Eighth', 'iPhone' stays)."""
    return text[:1].upper() + text[1:]


#: Names that read with "the" inside a sentence: plurals and names built on a common noun.
_THE_PLURALS = {"Philippines", "Maldives", "Netherlands", "Bahamas", "Comoros", "Seychelles"}
_THE_NOUNS = re.compile(r"\b(?:United|Republic|Kingdom|Federation|Union|Islands|Emirates|PDR)\b")


def in_sentence(name: str) -> str:
    """A country's (or union's) name as it reads inside a sentence: "the Philippines", "the United
    States", "the Republic of Korea", "the Lao PDR", "the European Union"; "China" stays "China"."""
    name = str(name)
    if name.startswith("the ") or not (name in _THE_PLURALS or _THE_NOUNS.search(name)):
        return name
    return "the " + name


def join_names(names) -> str:
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def glue(name: str, value, fmt: str = "", precision: str | None = None) -> None:
    """Glue ``value`` formatted with ``fmt`` under ``name``, without displaying it; a date known only
    to the month or year says so in ``precision`` (see :func:`format_value`).

    Returns nothing, so a glue call that ends a cell adds no stray output to the page.
    """
    _glue_text(name, join_names(value) if isinstance(value, (list, tuple))
               else format_value(value, fmt, precision))


def _glue_text(name: str, text: str) -> None:
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # plain Jupyter or Colab without myst-nb: the notebook still runs
        return
    myst_glue(name, Text(text), display=False)


def forms(value, precision: str | None = None) -> dict[str, str]:
    """Every form a sentence may need of one fact, keyed by the suffix added to its glue name.

    A date gives '' (8 August 1967), '_month' (August 1967) and '_year' (1967); a count gives ''
    (house style: five, 12), '_cap' (Five), '_ord' (fifth, 12th) and '_ord_cap' (Fifth); a text gives ''
    and '_cap'; a list of names gives '' (A, B and C) and '_n' (their number, house style).
    A date known only to the month (``precision='month'``) gives 'April 1974' for '' too, one known only
    to the year its year for every form: no form shows more than is known.
    """
    value = plain(value)
    if isinstance(value, date):
        return {"": format_value(value, "date", precision), "_month": format_value(value, "month", precision),
                "_year": format_value(value, "year", precision)}
    if precision not in (None, "", "day"):
        raise TypeError(f"a precision applies to dates only, not to a {type(value).__name__}")
    if isinstance(value, bool) or not isinstance(value, (int, str, list, tuple)):
        raise TypeError(f"no prose forms for a {type(value).__name__}: glue it with a format instead")
    if isinstance(value, int):
        return {"": number_words(value), "_cap": capitalise(number_words(value)),
                "_ord": ordinal(value), "_ord_cap": capitalise(ordinal(value))}
    if isinstance(value, str):
        return {"": value, "_cap": capitalise(value)}
    return {"": join_names(value), "_n": number_words(len(value))}


def glue_forms(name: str, value, precision: str | None = None) -> None:
    """Glue every form of ``value`` (see :func:`forms`, and ``precision`` there) under ``name`` plus its suffix."""
    for suffix, text in forms(value, precision).items():
        _glue_text(name + suffix, text)


def glue_facts(facts: dict) -> None:
    """Glue every form of every fact in ``facts`` (name -> value): one call at the top of a chapter."""
    for name, value in facts.items():
        glue_forms(name, value)


def glue_events(events: pd.DataFrame | None = None, prefix: str = "ev_") -> None:
    """Glue the date forms of every event in ``data/events.csv`` (or of ``events``) under
    ``ev_<event_id>`` (8 August 1967), ``ev_<event_id>_month`` and ``ev_<event_id>_year``, and the place
    under ``ev_<event_id>_place``, so that prose can carry any event's date inline."""
    if events is None:
        from . import data
        events = data.table("events")
    for row in events.itertuples():
        glue_forms(f"{prefix}{row.event_id}", row.date)
        if isinstance(row.place, str) and row.place:
            _glue_text(f"{prefix}{row.event_id}_place", row.place)


def glue_chart(name: str, chart) -> None:
    """Glue an Altair chart for a ``{glue:figure}`` directive (which gives it a caption and a label)."""
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        from IPython.display import display
        display(chart)
        return
    myst_glue(name, chart, display=False)


# --- tables and labels as readers see them ----------------------------------------------------------

#: Membership status codes (data/memberships.csv) as words.
STATUS_WORDS = {"member": "member", "observer": "observer", "dialogue_partner": "dialogue partner",
                "partner": "partner", "participant": "participant"}


def status_word(code: str) -> str:
    """A membership status as readers see it: ``dialogue_partner`` -> "dialogue partner"."""
    return STATUS_WORDS.get(code, code.replace("_", " "))


EN_DASH = "\u2013"
SOURCE_COLUMNS = {"source", "sources"}
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_MISSING_TEXT = {"", "nan", "NaN", "NaT", "None", "<NA>"}


def _latex_text(text: str) -> str:
    from pybtex.richtext import Text as LatexText

    return LatexText.from_latex(text).render_as("text").replace("\\$", "$").replace("\\&", "&")


def _short_title(title: str, words: int = 5) -> str:
    """The opening words of a title's main part (before a colon or a bracket)."""
    head = re.split(r"[(]", title.split(":", 1)[0])[0].strip() or title
    parts = head.split()
    return " ".join(parts[:words]) + ("\u2026" if len(parts) > words else "")


YEAR = re.compile(r"\d{4}")


def _plain_bib(text: str) -> str:
    return re.sub(r"[{}\\]", "", text).strip()


def author_label(entry) -> str:
    """The author part of an author-year citation: one or two surnames, or the first and "et al."."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    surnames = [_plain_bib(" ".join(p.prelast_names + p.last_names)) for p in people]
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
        by_title = sorted(keys, key=lambda k: (_plain_bib(entries[k].fields.get("title", "")).lower(), k))
        for letter, key in zip(ascii_lowercase, by_title):
            letters[key] = year + letter
    return letters


@lru_cache(maxsize=4)
def _bibliography(path: str, stamp: float) -> dict[str, dict]:
    """key -> {label, title, url} for every entry of the .bib file at ``path``.

    A label is "Author (Year)" (two authors joined by "and", three or more as "et al."); when two
    entries would share one (the same organisation in one year) the year gets the letter the book's
    citations give it ("SCO Secretariat (2017b)", :mod:`secorgs.build.citations`), and an anonymous work
    is named by its short title, so that a label names one work only (a chart groups by it).
    """
    from pybtex.database import parse_file


    entries = parse_file(path).entries
    rows = {}
    for key, entry in entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        surnames = [_latex_text(" ".join(p.prelast_names + p.last_names)) for p in people]
        title = _latex_text(entry.fields.get("title", key))
        year = entry.fields.get("year", "n.d.")
        anonymous = not surnames or surnames == ["Anonymous"]
        if anonymous:
            author = ""
        elif len(surnames) <= 2:
            author = " and ".join(surnames)
        else:
            author = f"{surnames[0]} et al."
        rows[key] = {"author": author, "year": year, "title": title, "url": entry.fields.get("url", "")}
    letters = year_letters(entries)
    for key, row in rows.items():
        if not row["author"]:
            row["label"] = f"\u201c{_short_title(row['title'])}\u201d ({row['year']})"
        else:
            row["label"] = f"{row['author']} ({letters.get(key, row['year'])})"
    seen = {}
    for key, row in rows.items():  # still equal (same author, year and opening words): letter them
        seen.setdefault(row["label"], []).append(key)
    for label, keys in seen.items():
        if len(keys) > 1:
            for letter, key in zip("abcdefghijklmnopqrstuvwxyz", keys):
                rows[key]["label"] = f"{label} [{letter}]"
    return rows


def bibliography(path=None) -> dict[str, dict]:
    """Every entry of ``references.bib`` (or ``path``): key -> {label, title, url, author, year}."""
    from . import ROOT

    path = Path(path or ROOT / "references.bib")
    return _bibliography(str(path), path.stat().st_mtime)


def source_title(key: str, main_title_only: bool = False, entries: dict | None = None) -> str:
    """"Authors, Title (year)" for a key of references.bib, so that a reader never sees a key.

    Three or more authors read "First and others"; an anonymous work shows its title alone.
    ``main_title_only`` drops a subtitle (after the first colon), unless the main title is this book's
    own: such a source would then look like a citation of the book itself.
    """
    from . import book_citation

    row = (entries or bibliography())[key]
    authors = row["author"].replace(" et al.", " and others")  # the label's "A", "A and B" or "A et al."
    title = row["title"]
    if main_title_only and ":" in title:
        main = title.split(":", 1)[0].strip()
        if main != book_citation()["title"].split(":", 1)[0].strip():
            title = main
    return f"{authors}, {title} ({row['year']})" if authors else f"{title} ({row['year']})"


def _source_keys(text: str, entries: dict) -> list[str] | None:
    """The keys of ``text`` when it is one key or a ``;``-list of keys of the bibliography, else None."""
    keys = [k.strip() for k in text.split(";")]
    return keys if keys and all(k in entries for k in keys) else None


def citation(text: str, entries: dict | None = None) -> str:
    """Short citations for a key or ``;``-list of keys ('Acharya (2014); ASEAN (1967)'); a URL becomes its
    host name; any other text is returned unchanged."""
    entries = bibliography() if entries is None else entries
    keys = _source_keys(text, entries)
    if keys:
        return "; ".join(entries[k]["label"] for k in keys)
    if re.match(r"^https?://", text.strip()):
        return "; ".join(urlparse(u.strip()).hostname or u.strip() for u in text.split(";"))
    return text


def _citation_html(text: str, entries: dict) -> str | None:
    keys = _source_keys(text, entries)
    parts = []
    if keys:
        for key in keys:
            entry = entries[key]
            label, title = html.escape(entry["label"]), html.escape(entry["title"], quote=True)
            parts.append(f'<a class="reference external" href="{html.escape(entry["url"], quote=True)}" '
                         f'title="{title}">{label}</a>' if entry["url"]
                         else f'<span class="citation" title="{title}">{label}</span>')
        return "; ".join(parts)
    urls = [u.strip() for u in text.split(";")]
    if urls and all(re.match(r"^https?://\S+$", u) for u in urls):
        return "; ".join(f'<a class="reference external" href="{html.escape(u, quote=True)}">'
                         f"{html.escape(urlparse(u).hostname or u)}</a>" for u in urls)
    return None


def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and value.strip() in _MISSING_TEXT


def readable(value, entries: dict | None = None, source: bool = False, dates: bool = True):
    """A cell or chart value as a reader should see it: booleans as Yes/No, status codes as words,
    bibliography keys as short citations, ISO dates and months as '8 August 1967' and 'June 2001'.
    Numbers and other text are returned unchanged; missing values as None. ``dates=False`` leaves ISO
    date strings alone (a chart's time axis parses them)."""
    value = plain(value)
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_value(value.date(), "date")
    if isinstance(value, date):
        return format_value(value, "date")
    if not isinstance(value, str):
        return value
    if value in STATUS_WORDS:
        return STATUS_WORDS[value]
    entries = bibliography() if entries is None else entries
    if source or _source_keys(value, entries):
        return citation(value, entries)
    if not dates:
        return value
    day, month = _ISO_DAY.match(value), _ISO_MONTH.match(value)
    if day:
        return format_value(date(*map(int, day.groups())), "date")
    if month and 1 <= int(month.group(2)) <= 12:
        return format_value(date(int(month.group(1)), int(month.group(2)), 1), "month")
    return value


def readable_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text, boolean and date cell made :func:`readable` (for charts):
    numbers are left as they are, so scales and aggregates still work."""
    entries = bibliography()
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_datetime64_any_dtype(series):
            continue  # a time axis needs the dates themselves
        source = str(column).lower() in SOURCE_COLUMNS
        converted = series.map(lambda v: readable(v, entries, source, dates=False) if isinstance(v, (str, bool)) else v)
        out[column] = converted.astype(object) if converted.dtype != series.dtype else converted
    return out


def _cell_html(value, entries: dict, source: bool, missing: str) -> str:
    if is_missing(plain(value)):
        return html.escape(missing)
    if isinstance(value, str):
        linked = _citation_html(value, entries) if (source or _source_keys(value, entries)) else None
        if linked is not None:
            return linked
    shown = readable(value, entries, source)
    if isinstance(shown, float):
        shown = f"{shown:g}" if abs(shown) < 1e6 else f"{shown:,.0f}"
    return html.escape(str(shown))


def html_table(df: pd.DataFrame, missing: str | dict = EN_DASH, caption: str | None = None):
    """A table for the page, as readers should see it, identical on every run (unlike a Styler, whose
    repr carries a memory address that would break the stored-output comparison).

    Bibliography keys (in a ``source``/``sources`` column, or any cell that is a key or a ``;``-list of
    keys) become short citations linked to the source where it has a URL; booleans Yes/No; status codes
    words; ISO dates '8 August 1967'; missing values an en dash, or ``missing`` (one text, or a dict
    column -> text such as ``{"Term ends": "in office"}``). The table sits in a box that scrolls
    sideways by itself on a narrow screen, so the page never does.
    """
    from IPython.display import HTML

    entries = bibliography()
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in df.columns)
    rows = []
    for values in df.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(df.columns, values):
            gap = missing.get(column, EN_DASH) if isinstance(missing, dict) else missing
            source = str(column).lower() in SOURCE_COLUMNS
            cells.append(f"<td>{_cell_html(value, entries, source, gap)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(f'<div class="secorgs-table-wrap" style="overflow-x:auto;max-width:100%" tabindex="0" '
                f'role="region" aria-label="{html.escape(caption or "Table", quote=True)}">'
                f'<table class="table secorgs-table">{caption_html}<thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div>')
