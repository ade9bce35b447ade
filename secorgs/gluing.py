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
    'pct' (a share 0-1 as 42.2%), 'words' (small counts in words), 'times' (once, twice, three times), 'thousands'/'millions'/'billions'
    (scaled, whole numbers from ten units up), 'whole' (rounded, thousands separated), 'tenths'/'hundredths'/'thousandths' (decimal places).
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
    if fmt.startswith("words") and isinstance(value, int):
        return number_words(value)
    return format(value, fmt)


DECIMALS = {"whole": ",.0f", "tenths": ".1f", "hundredths": ".2f", "thousandths": ".3f"}

WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen twenty").split()


def number_words(n: int) -> str:
    """Small counts as words, the way prose writes them; larger ones as digits."""
    return WORDS[n] if 0 <= n < len(WORDS) else f"{n:,}"


def join_names(names) -> str:
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def glue(name: str, value, fmt: str = "") -> None:
    """Glue ``value`` formatted with ``fmt`` under ``name``, without displaying it.

    Returns nothing, so a glue call that ends a cell adds no stray output to the page.
    """
    text = join_names(value) if isinstance(value, (list, tuple)) else format_value(value, fmt)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # plain Jupyter or Colab without myst-nb: the notebook still runs
        return
    myst_glue(name, Text(text), display=False)


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
