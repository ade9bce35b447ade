from datetime import date

import numpy as np
import pandas as pd
import pytest

from secorgs import gluing
from secorgs.gluing import Text, forms, format_value, join_names, number_words, ordinal, plain


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


@pytest.mark.parametrize("n, text", [(1, "one"), (9, "nine"), (10, "10"), (11, "11"), (12_000, "12,000")])
def test_house_style_words_to_nine_numerals_from_ten(n, text):
    assert number_words(n) == text


@pytest.mark.parametrize("n, text", [(1, "first"), (3, "third"), (9, "ninth"), (10, "10th"), (11, "11th"),
                                     (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"),
                                     (101, "101st"), (111, "111th"), (112, "112th")])
def test_ordinal(n, text):
    assert ordinal(n) == text


def test_capitalised_count_opens_a_sentence():
    assert format_value(np.int64(6), "Words") == "Six"
    assert format_value(57, "Words") == "57"


def test_forms_of_a_date():
    assert forms(pd.Timestamp("2022-09-16")) == {"": "16 September 2022", "_month": "September 2022",
                                                 "_year": "2022"}


@pytest.mark.parametrize("precision, text, month, year", [
    (None, "1 April 1974", "April 1974", "1974"),
    ("day", "1 April 1974", "April 1974", "1974"),
    ("month", "April 1974", "April 1974", "1974"),
    ("year", "1974", "1974", "1974"),
])
def test_a_date_is_never_shown_more_precisely_than_it_is_known(precision, text, month, year):
    day = pd.Timestamp("1974-04-01")
    assert format_value(day, "date", precision) == text
    assert format_value(day, "month", precision) == month
    assert format_value(day, "year", precision) == year
    assert forms(day, precision) == {"": text, "_month": month, "_year": year}


def test_unknown_precision_and_precision_of_a_non_date_are_refused():
    with pytest.raises(ValueError, match="precision"):
        format_value(pd.Timestamp("1974-04-01"), "date", "week")
    with pytest.raises(TypeError):
        forms(3, "month")


def test_glue_passes_the_precision_on(monkeypatch):
    glued = {}
    monkeypatch.setattr(gluing, "_glue_text", lambda name, text: glued.__setitem__(name, text))
    gluing.glue("aus", pd.Timestamp("1974-04-01"), "date", precision="month")
    gluing.glue_forms("jpn", pd.Timestamp("1977-03-01"), precision="month")
    assert glued == {"aus": "April 1974", "jpn": "March 1977", "jpn_month": "March 1977", "jpn_year": "1977"}


def test_forms_of_a_count_and_a_text_and_a_list():
    assert forms(np.int64(3)) == {"": "three", "_cap": "Three", "_ord": "third", "_ord_cap": "Third"}
    assert forms("the Philippines")["_cap"] == "The Philippines"
    assert forms(["Brunei", "Laos", "Vietnam"]) == {"": "Brunei, Laos and Vietnam", "_n": "three"}


def test_forms_refuse_values_without_prose_forms():
    with pytest.raises(TypeError):
        forms(0.5)
    with pytest.raises(TypeError):
        forms(True)


def test_glue_events_glues_every_form_of_every_event(monkeypatch):
    glued = {}
    monkeypatch.setattr(gluing, "_glue_text", lambda name, text: glued.__setitem__(name, text))
    events = pd.DataFrame({"event_id": ["tac_signed"], "date": [pd.Timestamp("1976-02-24")], "place": ["Bali"]})
    gluing.glue_events(events)
    assert glued == {"ev_tac_signed": "24 February 1976", "ev_tac_signed_month": "February 1976",
                     "ev_tac_signed_year": "1976", "ev_tac_signed_place": "Bali"}


# --- html_table: what readers see in a chapter table ----------------------------------------------------

def _cells(table_html: str) -> list[str]:
    import re

    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", table_html)]


def test_html_table_cites_sources_instead_of_showing_keys():
    entries = gluing.bibliography()
    df = pd.DataFrame({"Source": ["bartok_varro", "wb_population;wb_gdp"], "Claim": ["a", "b"]})
    shown = gluing.html_table(df).data
    assert "bartok_varro" not in shown and "wb_population" not in shown
    cells = _cells(shown)
    assert cells[0] == "Bartók and Varró (2023)" == entries["bartok_varro"]["label"]
    assert cells[2] == f"{entries['wb_population']['label']}; {entries['wb_gdp']['label']}"
    # a source with a URL is linked to it, with its title on hover
    assert f'href="{entries["wb_population"]["url"]}"' in shown
    assert 'title="World Development Indicators' in shown


def test_a_key_outside_a_source_column_is_cited_too_and_other_text_is_left_alone():
    df = pd.DataFrame({"where": ["dehaas_2008", "Bangkok", "source"]})
    assert _cells(gluing.html_table(df).data) == ["de Haas (2009)", "Bangkok", "source"]


def test_a_url_source_shows_its_host_as_a_link():
    shown = gluing.html_table(pd.DataFrame({"source": ["https://european-union.europa.eu/"]})).data
    assert _cells(shown) == ["european-union.europa.eu"]
    assert 'href="https://european-union.europa.eu/"' in shown


def test_every_bibliography_label_names_one_work():
    labels = [entry["label"] for entry in gluing.bibliography().values()]
    assert len(labels) == len(set(labels))
    assert not [label for label in labels if "{" in label or "\\" in label]


def test_html_table_booleans_gaps_statuses_and_dates():
    df = pd.DataFrame({"follows": [True, False, np.bool_(True)],
                       "ended": [np.nan, 2007.0, None],
                       "status": ["dialogue_partner", "member", "observer"],
                       "when": ["2022-09", "1994-07-25", pd.NaT]})
    assert _cells(gluing.html_table(df).data) == [
        "Yes", "–", "dialogue partner", "September 2022",
        "No", "2007", "member", "25 July 1994",
        "Yes", "–", "observer", "–"]


def test_html_table_gap_text_given_by_the_caller():
    df = pd.DataFrame({"Term ends": [pd.Timestamp("2007-01-01"), pd.NaT], "Note": ["", ""]})
    cells = _cells(gluing.html_table(df, missing={"Term ends": "in office"}).data)
    assert cells == ["1 January 2007", "–", "in office", "–"]
    assert _cells(gluing.html_table(df, missing="none").data)[2:] == ["none", "none"]


def test_html_table_sits_in_a_box_that_scrolls_by_itself_and_keeps_its_header():
    shown = gluing.html_table(pd.DataFrame({"A": [1], "B": ["x"]}), caption="Two columns").data
    assert shown.startswith('<div class="secorgs-table-wrap"') and "overflow-x:auto" in shown
    assert '<th scope="col">A</th>' in shown and "<caption>Two columns</caption>" in shown
    assert shown == gluing.html_table(pd.DataFrame({"A": [1], "B": ["x"]}), caption="Two columns").data


def test_html_table_escapes_text():
    assert "&lt;b&gt;" in gluing.html_table(pd.DataFrame({"A": ["<b>"]})).data


def test_readable_frame_changes_labels_not_numbers():
    df = pd.DataFrame({"source": ["seed_blog_000"], "status": ["dialogue_partner"], "n": [3],
                       "date": ["2001-06-15"]})
    out = gluing.readable_frame(df)
    assert out.loc[0, "source"] == gluing.bibliography()["seed_blog_000"]["label"]
    assert out.loc[0, "status"] == "dialogue partner" and out.loc[0, "n"] == 3
    assert out.loc[0, "date"] == "2001-06-15"  # a chart's time axis parses it
    assert df.loc[0, "source"] == "seed_blog_000"  # the caller's frame is untouched


def test_source_title_names_authors_title_and_year_never_the_key(tmp_path):
    bib = tmp_path / "r.bib"
    bib.write_text("""
        @book{three, author = {Ba, Alice and Acharya, Amitav and Emmers, Ralf}, title = {Main: Sub}, year = {2009}}
        @misc{anon, author = {Anonymous}, title = {A Blog Post: Its Subtitle}, year = {2024}}
        @misc{ours, author = {Bart\\'ok, A. and Varr\\'o, B.}, title = {Security Organisations of East Asia: A Chapter}, year = {2023}}
    """, encoding="utf-8")
    entries = gluing.bibliography(bib)
    assert gluing.source_title("three", entries=entries) == "Ba and others, Main: Sub (2009)"
    assert gluing.source_title("three", True, entries) == "Ba and others, Main (2009)"
    assert gluing.source_title("anon", True, entries) == "A Blog Post (2024)"
    # A main title that is this book's own keeps its subtitle: it is not a citation of this book.
    assert gluing.source_title("ours", True, entries) == "Bartók and Varró, Security Organisations of East Asia: A Chapter (2023)"


def test_source_labels_letter_the_year_as_the_citations_do(tmp_path):
    bib = tmp_path / "r.bib"
    bib.write_text("""
        @misc{second, author = {{SCO Secretariat}}, title = {SCO, Red Cross Sign Memorandum}, year = {2017}}
        @misc{first, author = {{SCO Secretariat}}, title = {Joint Event with UNODC}, year = {2017}}
        @misc{alone, author = {{SCO Secretariat}}, title = {Other}, year = {2018}}
        @misc{anon, author = {Anonymous}, title = {A Blog Post}, year = {2017}}
    """, encoding="utf-8")
    labels = {key: row["label"] for key, row in gluing.bibliography(bib).items()}
    # the same letters, in title order, as the book's in-text citations (secorgs.build.citations)
    assert labels == {"first": "SCO Secretariat (2017a)", "second": "SCO Secretariat (2017b)",
                      "alone": "SCO Secretariat (2018)", "anon": "\u201cA Blog Post\u201d (2017)"}


@pytest.mark.parametrize("name, reads", [
    ("Philippines", "the Philippines"), ("United States", "the United States"),
    ("United Arab Emirates", "the United Arab Emirates"), ("Republic of Korea", "the Republic of Korea"),
    ("Lao PDR", "the Lao PDR"), ("European Union", "the European Union"), ("Maldives", "the Maldives"),
    ("China", "China"), ("Kyrgyzstan", "Kyrgyzstan"), ("Timor-Leste", "Timor-Leste"), ("the Gambia", "the Gambia"),
])
def test_names_read_with_the_article_a_sentence_needs(name, reads):
    assert gluing.in_sentence(name) == reads
