"""The text measures: reference cases, then properties (hypothesis). No database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localcompact.proofing import measures
from localcompact.rulebook import long_date


def test_it_cuts_sentences_at_full_stops_and_line_breaks():
    text = "First one. Second one? Third!\nA heading\n\n- a list item"
    assert measures.sentences(text) == [
        "First one.",
        "Second one?",
        "Third!",
        "A heading",
        "- a list item",
    ]


def test_it_does_not_cut_at_a_full_stop_inside_a_number_or_before_lower_case():
    assert measures.sentences("It costs £3.50 a week, e.g. for tea. Then more.") == [
        "It costs £3.50 a week, e.g. for tea.",
        "Then more.",
    ]


def test_it_lists_sentences_longer_than_the_limit_with_their_length():
    short = "This is short."
    long = " ".join(["word"] * 26) + "."
    found = measures.long_sentences([short, long])
    assert [(f.sentence, f.words) for f in found] == [(long, 26)]


@pytest.mark.parametrize(
    "sentence, phrase",
    [
        ("The plan was agreed by the board.", "was agreed"),
        ("Grants will be paid in advance.", "be paid"),
        ("Responses are not always acknowledged.", "are not always acknowledged"),
        ("The money has been spent.", "been spent"),
        ("The report was written last year.", "was written"),
    ],
)
def test_it_finds_passive_sentences(sentence, phrase):
    assert measures.passive_sentences([sentence]) == [
        measures.Passive(sentence=sentence, phrase=phrase)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The council agreed the plan.",
        "We will pay grants in advance.",
        "The consultation is open to everyone.",
        "The hall is often busy.",
    ],
)
def test_it_does_not_call_active_sentences_passive(sentence):
    assert measures.passive_sentences([sentence]) == []


def test_plain_text_reads_more_easily_than_dense_text():
    plain = "We will ask you first. You have twelve weeks to reply. We will tell you what we did."
    dense = (
        "Notwithstanding organisational considerations, comprehensive consultation "
        "methodologies necessitate institutional accountability frameworks."
    )
    assert measures.readability(plain).reading_ease > measures.readability(dense).reading_ease
    assert measures.readability(plain).grade < measures.readability(dense).grade
    assert measures.readability("").words == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("on 3 March 2027 we", dt.date(2027, 3, 3)),
        ("on 3rd of March, 2027 we", dt.date(2027, 3, 3)),
        ("on March 3, 2027 we", dt.date(2027, 3, 3)),
        ("on 3 Sept 2027 we", dt.date(2027, 9, 3)),
        ("on 03/04/2027 we", dt.date(2027, 4, 3)),
        ("on 2027-04-03 we", dt.date(2027, 4, 3)),
    ],
)
def test_it_reads_dates_in_the_usual_forms(text, expected):
    assert [d.on for d in measures.dates_in(text)] == [expected]


def test_it_skips_dates_that_do_not_exist():
    assert measures.dates_in("on 31 February 2027 and 31/04/2027") == []


@pytest.mark.parametrize(
    "text, opens, closes",
    [
        (
            "The consultation opens on 3 March 2027 and closes on 26 May 2027.",
            dt.date(2027, 3, 3),
            dt.date(2027, 5, 26),
        ),
        (
            "It runs from 3 March 2027 to 26 May 2027.",
            dt.date(2027, 3, 3),
            dt.date(2027, 5, 26),
        ),
        (
            "Approved on 1 January 2027. We start on 3 March 2027. "
            "Responses must reach us by 26 May 2027.",
            dt.date(2027, 3, 3),
            dt.date(2027, 5, 26),
        ),
        ("The deadline for comments is 26 May 2027.", None, dt.date(2027, 5, 26)),
        ("Nothing dated here.", None, None),
    ],
)
def test_it_finds_when_a_consultation_opens_and_closes(text, opens, closes):
    found = measures.consultation_dates(text)
    assert (found.opens.on if found.opens else None) == opens
    assert (found.closes.on if found.closes else None) == closes


# Properties ------------------------------------------------------------------------------

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10)
sentence = st.lists(word, min_size=1, max_size=40).map(lambda ws: " ".join(ws).capitalize() + ".")


@given(st.lists(sentence, min_size=1, max_size=12))
def test_cutting_into_sentences_loses_and_adds_no_words(items):
    text = " ".join(items)
    cut = measures.sentences(text)
    assert cut == items
    assert sum(len(measures.words(s)) for s in cut) == len(measures.words(text))


@given(st.lists(sentence, max_size=12), st.integers(min_value=1, max_value=40))
def test_long_sentences_are_exactly_those_over_the_limit(items, limit):
    found = measures.long_sentences(items, limit)
    assert [f.sentence for f in found] == [s for s in items if len(s.split()) > limit]
    assert all(f.words > limit for f in found)


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
    st.lists(word, max_size=8),
    st.lists(word, max_size=8),
)
def test_a_date_written_out_is_found_wherever_it_sits(on, before, after):
    text = " ".join([*before, long_date(on), *after])
    assert [d.on for d in measures.dates_in(text)] == [on]


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.integers(min_value=0, max_value=400),
)
def test_an_opening_and_a_closing_sentence_give_both_dates(opens, days):
    closes = opens + dt.timedelta(days=days)
    text = f"The consultation opens on {long_date(opens)}. It closes on {long_date(closes)}."
    found = measures.consultation_dates(text)
    assert (found.opens.on, found.closes.on) == (opens, closes)
