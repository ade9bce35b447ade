from datetime import date

import numpy as np
import pandas as pd
import pytest

from secorgs.gluing import Text, format_value, join_names, number_words, plain


def test_numpy_scalars_become_plain_python():
    assert type(plain(np.int64(7))) is int
    assert type(plain(np.float64(0.5))) is float
    assert plain(pd.Timestamp("1967-08-08")) == date(1967, 8, 8)


@pytest.mark.parametrize("value, fmt, text", [
    (pd.Timestamp("1967-08-08"), "date", "8 August 1967"),
    (pd.Timestamp("1967-08-08"), "year", "1967"),
    (pd.Timestamp("2001-06-15"), "month", "June 2001"),
    (np.float64(0.4221), "pct", "42.2%"),
    (np.int64(1234567), ",", "1,234,567"),
    (np.int64(5), "words", "five"),
    (23, "words", "23"),
    (np.int64(1), "times", "once"),
    (2, "times", "twice"),
    (3, "times", "three times"),
    (np.float64(0.691462), "hundredths", "0.69"),
    (0.5, "tenths", "0.5"),
    (np.int64(695_000_000), "millions", "695"),
    (2_500_000, "millions", "2.5"),
    (np.float64(4.2e12), "billions", "4,200"),
])
def test_format_value(value, fmt, text):
    assert format_value(value, fmt) == text


def test_date_format_refuses_numbers():
    with pytest.raises(TypeError):
        format_value(1967, "date")


def test_text_shows_without_quotes():
    assert repr(Text("five")) == "five"


def test_join_names():
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B", "C"]) == "A, B and C"
    assert number_words(0) == "zero" and number_words(21) == "21"
