"""The index's fast YAML readers must agree with the safe parser, or step aside, on any input.

``index.read.quick_value`` and ``index.read.fast_value`` exist only for speed; a reading that
differs from ``yamlsafe.parse`` would put wrong facts in front of a reader. These
properties generate YAML the way people and tools write it, and text nobody should
(line and paragraph separators, NEL, BOM, tabs, CR: quick_value once read U+2028 as text).
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcli import index
from factcli.index import read  # noqa: F401 (index.read: the readers)
from factcli.yamlsafe import YamlError, parse

KEYS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,8}", fullmatch=True)
SCALARS = (
    st.text(max_size=30)
    | st.sampled_from(
        [
            "no",
            "yes",
            "on",
            "off",
            "~",
            "null",
            "1_000",
            "0x1f",
            "0o17",
            ".5",
            "1e3",
            "12:30",
            "2020-01-01",
            "'",
            '"',
            "- x",
            "a: b",
            "#",
            " x",
            "x ",
            "@",
            "%",
            "!x",
        ]
    )
    | st.lists(
        st.sampled_from(
            ["x", "10", "#", " #", ": ", "'", '"', "\u2028", "\u2029", "\x85", "\ufeff", "\t", "\r", "\r\n"]
        ),
        max_size=5,
    ).map("".join)
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.none()
)
DOCS = st.recursive(
    st.dictionaries(KEYS, SCALARS, max_size=4),
    lambda children: st.dictionaries(KEYS, children | st.lists(children | SCALARS, max_size=3), max_size=4),
    max_leaves=20,
)


def agree_or_defer(text: str) -> None:
    for reader in (index.read.quick_value, index.read.fast_value):
        try:
            got = reader(text)
        except index.read._Defer:
            continue
        try:
            expected = parse(text).value
        except YamlError as exc:
            raise AssertionError(f"{reader.__name__} read {got!r} where parse reports {exc.message}") from None
        assert repr(got) == repr(expected), (reader.__name__, text)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS, st.sampled_from([2, 4]), st.booleans())
def test_readers_agree_on_block_yaml_as_tools_write_it(doc, indent, unicode):
    agree_or_defer(yaml.safe_dump(doc, indent=indent, allow_unicode=unicode, sort_keys=False, width=10**6))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.sampled_from(["", "- "]), KEYS, SCALARS.map(str)), min_size=1, max_size=8)
)
def test_readers_agree_on_hand_typed_lines(lines):
    agree_or_defer("".join(f"{' ' * n}{dash}{key}: {value}\n" for n, dash, key, value in lines))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:- '\"#\n\r\t|>[]{}&*!0.~\u2028\u2029\x85\ufeff")), max_size=60))
def test_readers_agree_on_noise(text):
    agree_or_defer(text)
