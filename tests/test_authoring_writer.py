"""What the authoring commands write reads back as exactly what they meant (issue #13)."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from factcli.authoring.writer import Comment, Commented, dump
from factcli.yamlsafe import parse

AWKWARD = [
    "Pakistan's army",
    "said: we won",
    "the #1 priority",
    "#hashtag",
    "'quoted'",
    '"double"',
    "- leading dash",
    "yes",
    "No",
    "on",
    "null",
    "~",
    "20",
    "0x10",
    "1e3",
    "010",
    "2025-05-07",
    "12:30",
    "trailing space ",
    " leading space",
    "ends with colon:",
    "line\nbreak",
    "tab\there",
    "nel\x85here",
    "ls\u2028ps\u2029",
    "bom\ufeff",
    "é ünïcödé — ’curly’ “quotes”",
    "[flow]",
    "{map}",
    "a, b",
    "&anchor",
    "*alias",
    "!tag",
    "|block",
    ">folded",
    "%directive",
    "@at",
    "`tick",
    "",
    "?",
]


def _read(text: str) -> object:
    return parse(text).value


@pytest.mark.parametrize("value", AWKWARD)
def test_awkward_strings_read_back_equal(value):
    document = {"quote": value, "list": [value, "plain"], "nested": {"text": value}}
    text = dump(document)
    assert _read(text) == document
    assert yaml.safe_load(text) == document  # and by any YAML 1.1 reader


def test_numbers_booleans_and_null_keep_their_type():
    document = {"value": 5, "low": 1.5, "big": 2**62, "draft": True, "none": None, "topics": []}
    assert _read(dump(document)) == document


def test_comments_are_written_where_a_reviewer_looks_and_read_as_nothing():
    document = {
        "claims": [
            {Comment("who is 'they'? taken as the previous speaker"): None, "id": "a", "claimant": "b"},
            {"id": "c", "statement": Commented("It was: so.", "restate it\nneutrally"), "figures": [{"value": 1}]},
        ]
    }
    text = dump(document)
    assert "# who is 'they'? taken as the previous speaker" in text
    assert "# restate it neutrally" in text  # a line break in a comment cannot end it
    assert _read(text) == {
        "claims": [{"id": "a", "claimant": "b"}, {"id": "c", "statement": "It was: so.", "figures": [{"value": 1}]}]
    }


def test_the_layout_is_the_hand_written_one():
    text = dump({"id": "x", "topics": ["a", "b"], "figures": [{"value": 5, "unit": "planes", "text": "five"}]})
    assert text == "id: x\ntopics: [a, b]\nfigures:\n  - value: 5\n    unit: planes\n    text: five\n"


# Every character a fact file can hold (a lone surrogate cannot be written to a file at all).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
SCALARS = st.one_of(
    TEXT, st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False)
)


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
        st.one_of(SCALARS, st.lists(SCALARS, max_size=4), st.dictionaries(st.sampled_from(["a", "b"]), SCALARS)),
        min_size=1,
        max_size=5,
    )
)
def test_anything_written_reads_back_equal(document):
    text = dump(document)
    assert _read(text) == document
