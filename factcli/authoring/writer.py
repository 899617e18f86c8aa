"""Fact files written as people write them: block style, the key order given, comments where
a reviewer should look, and every value reading back as exactly what was written.

A writer of its own rather than ruamel.yaml (0.19: 40 ms to import, and a round-trip
model factcli does not need): fact files hold text, numbers, booleans, lists and
mappings, and the one hard part is a string. A string is written plain only when it
starts with a letter and nothing in it can mean anything else to YAML 1.1 or 1.2 (no
": ", no " #", not "yes" or "null", no control or line-break character); otherwise in
double quotes, JSON's escapes (which YAML shares) plus escapes for the characters YAML
reads as line breaks or refuses (NEL, U+2028, U+2029, C1 controls, the BOM).
Property tests read every output back with ``factcli.yamlsafe`` and get the value again.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple


class Comment(str):
    """A mapping key that is not a field: written as a ``# comment`` line at its place."""


class Commented(NamedTuple):
    """A scalar with a comment after it on its line: ``claimant: pakistan  # who is 'they'?``."""

    value: object
    comment: str


# YAML 1.1 (PyYAML) reads these plain words as booleans or null; 1.2 as text. Quoted, both read text.
_WORDS_YAML_READS = frozenset("y n yes no on off true false null".split())
# Characters YAML does not allow raw in a document, or reads as line breaks inside double quotes.
_ESCAPE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_PLAIN_UNSAFE = re.compile(r": |:$| #|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")


def dump(document: Mapping[str, object]) -> str:
    """``document`` as the text of a YAML file (ending in a newline)."""
    lines: list[str] = []
    _mapping(document, 0, lines)
    return "\n".join(lines) + "\n"


def comment_lines(text: str) -> str:
    """``text`` (any number of lines) as YAML comment lines."""
    return "".join(f"# {_one_line(line)}".rstrip() + "\n" for line in text.split("\n"))


def scalar(value: object, flow: bool = False) -> str:
    """One value as YAML writes it so that it reads back the same (in a flow list with ``flow``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a fact file holds finite numbers only, not {value}")
        text = repr(value)
        return text if "e" not in text or "." in text else text.replace("e", ".0e")
    if isinstance(value, str):
        return value if _plain(value, flow) else _double_quoted(value)
    raise TypeError(f"cannot write {type(value).__name__} in a fact file")


def _plain(text: str, flow: bool) -> bool:
    return (
        bool(text)
        and text[0].isalpha()
        and text == text.strip()
        and text.lower() not in _WORDS_YAML_READS
        and not _PLAIN_UNSAFE.search(text)
        and "\t" not in text
        and not (flow and _FLOW_UNSAFE.search(text))
    )


def _double_quoted(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)


def _one_line(text: str) -> str:
    """A comment's text on one line, with nothing that could act on a terminal or end the comment."""
    return _ESCAPE.sub(" ", text.replace("\r", " ").replace("\n", " ").replace("\x85", " "))


def _mapping(mapping: Mapping[str, object], indent: int, lines: list[str], first: str = "") -> None:
    """Write ``mapping``'s fields at ``indent``; the first line starts with ``first`` ("- ") when given."""
    pad = " " * indent
    for key, value in mapping.items():
        lead, first = (first or pad), ""
        if isinstance(key, Comment):
            lines.append(f"{lead}# {_one_line(key)}".rstrip())
            if lead != pad:  # the comment took the dash's line: the fields go on below it
                first = " " * len(lead)
            continue
        key = scalar(key)  # a field name as it is; any other key quoted when YAML would read it otherwise
        comment = ""
        if isinstance(value, Commented):
            comment = f"  # {_one_line(value.comment)}"
            value = value.value
        if isinstance(value, Mapping) and not value:
            lines.append(f"{lead}{key}: {{}}{comment}")
        elif isinstance(value, Mapping):
            lines.append(f"{lead}{key}:{comment}")
            _mapping(value, indent + 2, lines)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            _sequence(key, value, indent, lead, comment, lines)
        else:
            lines.append(f"{lead}{key}: {scalar(value)}{comment}")


def _sequence(key: str, items: Sequence[object], indent: int, lead: str, comment: str, lines: list[str]) -> None:
    if not items or all(not isinstance(item, (Mapping, Sequence)) or isinstance(item, str) for item in items):
        lines.append(f"{lead}{key}: [{', '.join(scalar(item, flow=True) for item in items)}]{comment}")
        return
    lines.append(f"{lead}{key}:{comment}")
    for item in items:
        if not isinstance(item, Mapping):
            raise TypeError("a list holds scalars or mappings, not both")
        _mapping(item, indent + 4, lines, first=" " * (indent + 2) + "- ")
