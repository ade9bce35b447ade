"""Glue computed values into the prose, always as plain, pre-formatted text.

myst-nb renders a glued numpy scalar as an empty string, so every value is converted to a plain
Python ``int``/``float``/``str`` and formatted here before it is glued.
"""
from __future__ import annotations

import numbers
from datetime import date, datetime

import pandas as pd


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


def format_value(value, fmt: str = "") -> str:
    """Format ``value`` for prose.

    ``fmt`` is a Python format spec, or one of: 'date' (8 August 1967), 'month' (June 2001), 'year',
    'pct' (a share 0-1 as 42.2%), 'words' (a count in the house style: one to nine in words, numerals
    from 10), 'Words' (the same, capitalised, to open a sentence), 'ordinal' (third, 12th), 'times' (once,
    twice, three times), 'thousands'/'millions'/'billions' (scaled, whole numbers from ten units up),
    'whole' (rounded, thousands separated), 'tenths'/'hundredths'/'thousandths' (decimal places).
    """
    value = plain(value)
    if fmt in ("date", "year", "month"):
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


def join_names(names) -> str:
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def glue(name: str, value, fmt: str = "") -> None:
    """Glue ``value`` formatted with ``fmt`` under ``name``, without displaying it.

    Returns nothing, so a glue call that ends a cell adds no stray output to the page.
    """
    _glue_text(name, join_names(value) if isinstance(value, (list, tuple)) else format_value(value, fmt))


def _glue_text(name: str, text: str) -> None:
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # plain Jupyter or Colab without myst-nb: the notebook still runs
        return
    myst_glue(name, Text(text), display=False)


def forms(value) -> dict[str, str]:
    """Every form a sentence may need of one fact, keyed by the suffix added to its glue name.

    A date gives '' (8 August 1967), '_month' (August 1967) and '_year' (1967); a count gives ''
    (house style: five, 12), '_cap' (Five), '_ord' (fifth, 12th) and '_ord_cap' (Fifth); a text gives ''
    and '_cap'; a list of names gives '' (A, B and C) and '_n' (their number, house style).
    """
    value = plain(value)
    if isinstance(value, date):
        return {"": format_value(value, "date"), "_month": format_value(value, "month"),
                "_year": format_value(value, "year")}
    if isinstance(value, bool) or not isinstance(value, (int, str, list, tuple)):
        raise TypeError(f"no prose forms for a {type(value).__name__}: glue it with a format instead")
    if isinstance(value, int):
        return {"": number_words(value), "_cap": capitalise(number_words(value)),
                "_ord": ordinal(value), "_ord_cap": capitalise(ordinal(value))}
    if isinstance(value, str):
        return {"": value, "_cap": capitalise(value)}
    return {"": join_names(value), "_n": number_words(len(value))}


def glue_forms(name: str, value) -> None:
    """Glue every form of ``value`` (see :func:`forms`) under ``name`` plus its suffix."""
    for suffix, text in forms(value).items():
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


def html_table(df: pd.DataFrame):
    """A table for the page: plain HTML without the index, identical on every run (unlike a Styler,
    whose repr carries a memory address that would break the stored-output comparison)."""
    from IPython.display import HTML

    return HTML(df.to_html(index=False, border=0, classes="table"))
