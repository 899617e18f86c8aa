"""The pure logic behind ``compare`` and ``conflicts`` (issue 12): intervals, conflicts, sides, updates.

Every claim about which figures can both be true is checked against a brute
force over all pairs and against sampled points, with boundary cases (equal
ends, open against closed) generated on purpose: those are where "more than 35"
and "35" part.
"""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcli.intervals import (
    APPROXIMATE_MARGIN,
    QUALIFIERS,
    Interval,
    chains,
    common,
    conflicts,
    consistent,
    intersects,
    interval,
    latest,
    side_of,
    sides_in_conflict,
    superseded,
)

# A few shared values make equal ends (the open/closed boundary cases) common, not a fluke.
VALUES = st.one_of(
    st.sampled_from([0, 1, 6, 9, 27, 30, 31, 33, 35, 40, -5, 1.7, 1.87, 5e-324, 1.7e308, -sys.float_info.max]),
    st.integers(-50, 50),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=False, allow_infinity=False),  # to the largest float: "about 1.7e308" must not overflow
)


@st.composite
def figures(draw: st.DrawFn) -> tuple[str, float | None, float | None, float | None]:
    """A figure of any qualifier, as the record format writes it."""
    qualifier = draw(st.sampled_from(QUALIFIERS))
    if qualifier == "unspecified":
        return qualifier, None, None, None
    if qualifier == "range":
        low, high = sorted((draw(VALUES), draw(VALUES)))
        return qualifier, None, low, high
    return qualifier, draw(VALUES), None, None


INTERVALS = figures().map(lambda f: interval(*f))


def points(intervals: list[Interval]) -> list[float]:
    """Every end, and a value just either side of each: where contains() can go wrong."""
    ends = {end for i in intervals for end in (i.low, i.high) if end is not None} | {0.0}
    return sorted({p for e in ends for p in (e, e - 1e-6, e + 1e-6, e - 1, e + 1)})


# 1. What a figure stands for


@pytest.mark.parametrize(
    ("figure", "expected", "described"),
    [
        (("exact", 9), Interval(9, 9), "9"),
        (("approximately", 30), Interval(27, 33, approximate=True), "≈ 27–33"),
        (("approximately", 0), Interval(0, 0), "0"),
        (("approximately", -30), Interval(-33, -27, approximate=True), "≈ -33–-27"),
        (("at_least", 20), Interval(20, None, False, True), "≥ 20"),
        (("more_than", 35), Interval(35, None, True, True), "> 35"),
        (("at_most", 8), Interval(None, 8, True, False), "≤ 8"),
        (("fewer_than", 8), Interval(None, 8, True, True), "< 8"),
        (("range", None, 30, 40), Interval(30, 40), "30–40"),
        (("unspecified", None), Interval(None, None, True, True), "any"),
    ],
)
def test_each_qualifier_stands_for_its_interval(figure: tuple, expected: Interval, described: str) -> None:
    assert interval(*figure) == expected
    assert interval(*figure).describe() == described


def test_approximately_admits_ten_per_cent_either_side() -> None:
    about_30 = interval("approximately", 30)
    assert APPROXIMATE_MARGIN == 0.10
    assert [about_30.contains(x) for x in (26.9, 27, 30, 33, 33.1)] == [False, True, True, True, False]
    # 1.7 + 0.17 is 1.8699999999999999 in binary floating point: "about 1.7" must still admit "1.87".
    assert intersects(interval("approximately", 1.7), interval("exact", 1.87))
    assert intersects(interval("approximately", 4.1), interval("exact", 3.69))
    assert interval("approximately", 1.7).describe() == "≈ 1.53–1.87"


def test_open_and_closed_ends_are_exact() -> None:
    thirty_five = interval("exact", 35)
    assert not intersects(interval("more_than", 35), thirty_five)
    assert intersects(interval("at_least", 35), thirty_five)
    assert not intersects(interval("fewer_than", 35), thirty_five)
    assert intersects(interval("at_most", 35), thirty_five)
    assert not intersects(interval("fewer_than", 35), interval("more_than", 35))
    assert not intersects(interval("at_most", 35), interval("more_than", 35))
    assert intersects(interval("at_most", 35), interval("at_least", 35))
    assert not intersects(interval("range", None, 30, 35), interval("more_than", 35))


def test_describe_keeps_brackets_for_mixed_ends_and_has_an_ascii_spelling() -> None:
    assert Interval(30, 40, True, False).describe() == "(30, 40]"
    assert common([interval("more_than", 30), interval("at_most", 40)]) == Interval(30, 40, True, False)
    assert interval("at_least", 20).describe(ascii=True) == ">= 20"
    assert interval("at_most", 20).describe(ascii=True) == "<= 20"
    assert interval("approximately", 30).describe(ascii=True) == "~ 27-33"
    assert interval("exact", 2.5).describe() == "2.5"


@pytest.mark.parametrize(
    "figure",
    [
        ("range", None, 40, 30),
        ("range", None, None, 30),
        ("exact", None),
        ("exact", float("nan")),
        ("at_least", float("inf")),
        ("exact", True),
        ("about", 3),
    ],
)
def test_a_figure_that_stands_for_nothing_is_refused(figure: tuple) -> None:
    with pytest.raises(ValueError):
        interval(*figure)


def test_importing_intervals_pulls_in_neither_rich_nor_yaml() -> None:
    """``--json`` answers import this module; it must stay cheap (stdlib only)."""
    code = "import sys, factcli.intervals; print(sorted(m for m in ('rich', 'yaml', 'decimal', 'fractions') if m in sys.modules))"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    )


@settings(max_examples=300)
@given(figures())
def test_every_figure_stands_for_a_nonempty_interval_with_finite_ends_and_a_description(figure: tuple) -> None:
    stands_for = interval(*figure)
    assert not stands_for.empty
    assert all(end is None or math.isfinite(end) for end in (stands_for.low, stands_for.high))
    assert stands_for.describe() and stands_for.describe(ascii=True).isascii()
    qualifier, value, low, _ = figure
    assert stands_for.contains(low if qualifier == "range" else value) or qualifier in (
        "more_than",
        "fewer_than",
        "unspecified",
    )


# 2. Which figures cannot all be true


@settings(max_examples=300)
@given(st.lists(INTERVALS, max_size=8))
def test_no_conflict_exactly_when_all_share_a_value(intervals: list[Interval]) -> None:
    pairs = conflicts(intervals, key=lambda i: i)
    assert (pairs == []) == (common(intervals) is not None) == consistent(intervals, key=lambda i: i)


@settings(max_examples=300)
@given(st.lists(INTERVALS, max_size=10))
def test_conflicts_are_exactly_the_disjoint_pairs_in_input_order(intervals: list[Interval]) -> None:
    items = list(enumerate(intervals))  # identity survives equal intervals
    found = conflicts(items, key=lambda item: item[1])
    brute = [(a, b) for a, b in itertools.combinations(items, 2) if not intersects(a[1], b[1])]
    assert found == brute
    for a, b in found:  # and really disjoint: no sampled value is in both
        assert not any(a[1].contains(x) and b[1].contains(x) for x in points([a[1], b[1]]))


@settings(max_examples=300)
@given(INTERVALS, INTERVALS)
def test_contains_agrees_with_intersects(a: Interval, b: Interval) -> None:
    shared = [x for x in points([a, b]) if a.contains(x) and b.contains(x)]
    if shared:
        assert intersects(a, b)
    if not intersects(a, b):
        assert shared == []
    both = common([a, b])
    assert (both is not None) == intersects(a, b) == intersects(b, a)
    if both is not None:
        assert all(both.contains(x) == (a.contains(x) and b.contains(x)) for x in points([a, b]))


@given(st.lists(INTERVALS, min_size=1, max_size=6))
def test_common_admits_exactly_what_all_admit(intervals: list[Interval]) -> None:
    both = common(intervals)
    for x in points(intervals):
        assert (both is not None and both.contains(x)) == all(i.contains(x) for i in intervals)


def test_conflicts_on_the_strike_figures() -> None:
    figures = {
        "india-nine": interval("exact", 9),
        "local-six": interval("exact", 6),
        "oskara-several": interval("unspecified", None),
        "hospital-30-40": interval("range", None, 30, 40),
        "military-more-than-35": interval("more_than", 35),
        "at-least-31": interval("at_least", 31),
    }
    pairs = conflicts(list(figures), key=figures.__getitem__)
    assert pairs == [
        ("india-nine", "local-six"),
        ("india-nine", "hospital-30-40"),
        ("india-nine", "military-more-than-35"),
        ("india-nine", "at-least-31"),
        ("local-six", "hospital-30-40"),
        ("local-six", "military-more-than-35"),
        ("local-six", "at-least-31"),
    ]
    assert consistent(["hospital-30-40", "military-more-than-35", "at-least-31", "oskara-several"], figures.__getitem__)
    assert common(figures[k] for k in ("hospital-30-40", "military-more-than-35")) == Interval(35, 40, True, False)
    assert common([]) == Interval(None, None, True, True)


def test_conflicts_scale_beyond_quadratic() -> None:
    """Many figures of one measure that all agree: answered without comparing every pair."""
    many = [interval("at_least", i) for i in range(20_000)] + [interval("at_most", 30_000)]
    assert conflicts(many, key=lambda i: i) == []
    assert conflicts(many + [interval("more_than", 30_000)], key=lambda i: i) == [
        (interval("at_most", 30_000), interval("more_than", 30_000))
    ]


def test_an_empty_interval_is_refused_not_silently_compared() -> None:
    with pytest.raises(ValueError):
        conflicts([Interval(5, 5, True, False), interval("exact", 5)], key=lambda i: i)


# 3. Sides


AFFILIATIONS = {
    "ispr-spokesperson": ["pakistan-military", "pakistan"],
    "information-minister": ["pakistan-government", "pakistan"],
    "pakistan-military": ["pakistan"],
    "mea-spokesperson": ["india"],
}


def test_side_of_is_the_top_of_the_chain_or_the_actor_itself() -> None:
    assert side_of("ispr-spokesperson", AFFILIATIONS) == "pakistan"
    assert side_of("pakistan-military", AFFILIATIONS) == "pakistan"
    assert side_of("pakistan", AFFILIATIONS) == "pakistan"
    assert side_of("hospital", AFFILIATIONS) == "hospital"


def test_sides_are_counted_not_speakers() -> None:
    speaker = {
        "a": "ispr-spokesperson",
        "b": "information-minister",
        "c": "pakistan-military",
        "d": "mea-spokesperson",
        "e": "hospital",
    }
    pairs = [("a", "d"), ("b", "d"), ("d", "c"), ("a", "b"), ("d", "e")]
    sides = sides_in_conflict(pairs, lambda claim: side_of(speaker[claim], AFFILIATIONS))
    assert sides == [("pakistan", "india"), ("pakistan", "pakistan"), ("india", "hospital")]


# 4. Superseded


def test_a_chain_of_updates_two_then_three_then_five() -> None:
    updates = {"five": "three", "unrelated": None, "two": None, "three": "two"}
    assert superseded(updates) == {"two", "three"}
    assert latest(updates) == {"five", "unrelated"}
    assert chains(updates) == [["two", "three", "five"]]


def test_two_claims_updating_one_earlier_claim_are_both_latest() -> None:
    updates = {"first": None, "later-b": "first", "later-a": "first", "later-a2": "later-a", "other": "x"}
    assert latest(updates) == {"later-b", "later-a2", "other"}
    assert superseded(updates) == {"first", "later-a", "x"}
    assert chains(updates) == [["first", "later-b"], ["first", "later-a", "later-a2"], ["x", "other"]]


@pytest.mark.parametrize(
    "updates", [{"a": "a"}, {"a": "b", "b": "a"}, {"start": None, "x": "y", "y": "z", "z": "x", "w": "x"}]
)
def test_a_loop_is_refused_not_followed_for_ever(updates: dict[str, str | None]) -> None:
    for function in (latest, superseded, chains):
        with pytest.raises(ValueError, match="loop"):
            function(updates)


def test_a_long_chain_is_walked_without_recursion() -> None:
    n = 50_000
    updates: dict[str, str | None] = {"c0": None} | {f"c{i}": f"c{i - 1}" for i in range(1, n)}
    assert latest(updates) == {f"c{n - 1}"}
    (chain,) = chains(updates)
    assert chain == [f"c{i}" for i in range(n)]


@given(st.dictionaries(st.integers(0, 12).map(str), st.one_of(st.none(), st.integers(0, 14).map(str)), max_size=12))
def test_updates_either_answer_consistently_or_name_a_loop(updates: dict[str, str | None]) -> None:
    try:
        found = chains(updates)
    except ValueError as error:
        assert "loop" in str(error)
        return
    later, earlier = latest(updates), superseded(updates)
    assert later | earlier >= set(updates) and later.isdisjoint(earlier)
    for chain in found:
        assert chain[-1] in later and all(updates[b] == a for a, b in itertools.pairwise(chain))
        assert updates.get(chain[0]) is None
    assert {c for chain in found for c in chain} == earlier | {c for c, e in updates.items() if e is not None}
