"""JSON answers written as they are made: each object is encoded by Python's C encoder when it
comes and handed on in batches, so memory stays flat however long the answer.

Three layouts, the same JSON values in each (whitespace is not part of the contract):

- ``COMPACT`` (a pipe or a file): an array with one compact object per line, quick to write
  and still readable with ``grep`` and ``head``;
- ``PRETTY`` (a terminal): indented by two spaces, as ``json.dumps(value, indent=2)`` writes it;
- ``JSONL``: one compact object per line, no array.

A ``Group`` is an object whose last field is a list read as it is written (a measure and its
figures): a group of any size is never held whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import NamedTuple

from factcli.terminal import escape_json

COMPACT, PRETTY, JSONL = "compact", "pretty", "jsonl"
LAYOUTS = (COMPACT, PRETTY, JSONL)

BATCH = 256  # objects encoded before a write: few system calls, little memory

_compact = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
_pretty = json.JSONEncoder(ensure_ascii=False, check_circular=False, indent=2).encode


class Group(NamedTuple):
    """An object of ``head``'s fields and then ``field``, the list of ``items`` (objects), read as written."""

    head: dict
    field: str
    items: Iterable[object]


Write = Callable[[str], object]


def write_array(write: Write, values: Iterable[object | Group], layout: str) -> None:
    """``values`` as a JSON array (or JSON Lines) in ``layout``, through ``write`` in batches of text.

    Text from the fact base is made safe for a terminal (``terminal.escape_json``): the same JSON value.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    out = _Batches(write)
    encode, depth = (_pretty, 1) if layout == PRETTY else (_compact, 0)
    first = True
    for value in values:
        if layout != JSONL:
            out.push("[\n" if first else ",\n")
            if depth:
                out.push("  ")
        _encode_into(out, value, depth, encode)
        if layout == JSONL:
            out.push("\n")
        first = False
    if layout != JSONL:
        out.push("[]\n" if first else "\n]\n")
    out.flush()


class _Batches:
    """Pieces of text gathered and written ``BATCH`` at a time."""

    def __init__(self, write: Write):
        self._write = write
        self._pieces: list[str] = []

    def push(self, text: str) -> None:
        self._pieces.append(text)
        if len(self._pieces) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self._pieces:
            self._write(escape_json("".join(self._pieces)))
            self._pieces.clear()


def _encode_into(out: _Batches, value: object, depth: int, encode: Callable[[object], str]) -> None:
    """``value`` encoded onto ``out``, indented (when ``encode`` is ``_pretty``) as if ``depth`` levels deep."""
    pretty = encode is _pretty
    pad = "\n" + "  " * depth
    if not isinstance(value, Group):
        text = encode(value)
        out.push(text.replace("\n", pad) if pretty and depth else text)
        return
    # The head with an empty list last, cut before that list: the items are written in its place.
    head = encode({**value.head, value.field: []})
    closing = "[]" + (pad + "}" if pretty else "}")
    out.push((head.replace("\n", pad) if pretty else head)[: -len(closing)] + "[")
    inner = pad + "    "
    first = True
    for item in value.items:
        if pretty:
            out.push(("" if first else ",") + inner + encode(item).replace("\n", inner))
        else:
            out.push(("" if first else ",") + encode(item))
        first = False
    out.push(("]" if first else pad + "  ]" if pretty else "]") + (pad + "}" if pretty else "}"))
