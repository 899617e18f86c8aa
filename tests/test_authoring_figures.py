"""The figures the drafter reads in a sentence, as the record format writes them (issue #13)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcli.authoring.draft.figures import find_figures, number_value
from factcli.intervals import QUALIFIERS

CASES = [
    # text, [(figure text, qualifier, value, low, high, unit)]
    ("a terrorist attack that killed 26 people", [("26", "exact", 26, None, None, "people")]),
    ("the death of at least 20 people", [("at least 20", "at_least", 20, None, None, "people")]),
    ("twenty-six soldiers were hurt", [("twenty-six", "exact", 26, None, None, "soldiers")]),
    ("1.2 million people fled", [("1.2 million", "exact", 1_200_000, None, None, "people")]),
    ("between eight and 26 people", [("between eight and 26", "range", None, 8, 26, "people")]),
    ("30-40 rockets were fired", [("30-40", "range", None, 30, 40, "rockets")]),
    ("more than 35 people died", [("more than 35", "more_than", 35, None, None, "people")]),
    ("up to 12 missiles", [("up to 12", "at_most", 12, None, None, "missiles")]),
    ("fewer than ten civilians", [("fewer than ten", "fewer_than", 10, None, None, "civilians")]),
    ("around 300 homes", [("around 300", "approximately", 300, None, None, "homes")]),
    ("about thirty people", [("about thirty", "approximately", 30, None, None, "people")]),
    ("nearly 1,200 houses", [("nearly 1,200", "approximately", 1200, None, None, "houses")]),
    ("some 40 villages", [("some 40", "approximately", 40, None, None, "villages")]),
    ("two dozen people", [("two dozen", "exact", 24, None, None, "people")]),
    ("$2.5 billion in aid", [("$2.5 billion", "exact", 2_500_000_000, None, None, "$")]),
    ("dozens of homes burned", [("dozens", "unspecified", None, None, None, "homes")]),
    (
        "shooting down several Indian aircraft and drones",
        [
            ("several", "unspecified", None, None, None, "Indian aircraft"),
            ("several", "unspecified", None, None, None, "drones"),
        ],
    ),
    (
        "downing five Indian planes and two drones",
        [("five", "exact", 5, None, None, "Indian planes"), ("two", "exact", 2, None, None, "drones")],
    ),
    ("two of the three suspects were held", [("two", "exact", 2, None, None, "suspects")]),
    ("none of its aircraft were lost", [("none", "exact", 0, None, None, "aircraft")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_figures_are_read_as_the_format_writes_them(text, expected):
    found = [(f.text, f.qualifier, f.value, f.low, f.high, f.unit) for f in find_figures(text)]
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        "a third aircraft",  # the third one (see below), never a fraction
        "MORAVEL, March 11 - in 2031",
        "on 11 March at 14:30",
        "a nine-day lull",
        "F-16 jets",
        "the vote went 5-3",
        "one of the jets came down",
        "nine days after the attack",
        "no one was hurt",
    ],
)
def test_what_is_not_a_figure_is_not_read_as_one(text):
    assert [f for f in find_figures(text) if f.value not in (3,)] == []


def test_a_third_aircraft_is_the_third_one_and_says_so():
    (figure,) = find_figures("Dollen later announced a third aircraft")
    assert (figure.text, figure.value, figure.qualifier) == ("a third", 3, "exact")
    assert "third one" in figure.note


def test_two_of_the_three_is_two_and_notes_the_whole():
    (figure,) = find_figures("two of the three suspects")
    assert figure.value == 2 and "of three" in figure.note


@pytest.mark.parametrize(
    ("words", "value"),
    [("1,200", 1200), ("twenty-six", 26), ("two hundred thousand", 200_000), ("1.5", 1.5), ("40%", 40), ("x", None)],
)
def test_number_words(words, value):
    assert number_value(words) == value


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*"abc 0123456789,.-%$:'\n", "at least ", "between ", " and ", "five", "twenty-", "several ", " million"]
        ),
        max_size=30,
    ).map("".join)
)
def test_every_figure_is_the_texts_own_words(text):
    """Whatever the text, each figure's ``text`` is exactly the slice it was read from."""
    for figure in find_figures(text):
        assert text[figure.start : figure.end] == figure.text
        assert figure.qualifier in QUALIFIERS
        if figure.qualifier == "range":
            assert figure.low < figure.high and figure.value is None
        elif figure.qualifier == "unspecified":
            assert figure.value is None
        else:
            assert isinstance(figure.value, (int, float))
