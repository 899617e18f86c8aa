"""JSON answers written as they are made: each object is encoded by Python's C encoder when it
comes and handed on in batches, so memory stays flat however long the answer.

Three layouts, the same JSON values in each (whitespace is not part of the contract):

- ``COMPACT`` (a pipe or a file): an array with one compact object per line, quick to write
  and still readable with ``grep`` and ``head``;
- ``PRETTY`` (a terminal): indented by two spaces, as ``json.dumps(value, indent=2)`` writes it;
- ``JSONL``: one compact object per line, no array.

A ``Group`` is an object whose last field is a list read as it is written (a measure and its
figures): a group of any size is never held whole. An ``Encoded`` value is one already written
(``encode``; the index keeps them: ``factcli.index.store``): in a compact layout it is copied as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import NamedTuple

from factcli.terminal import escape_json

COMPACT, PRETTY, JSONL = "compact", "pretty", "jsonl"
LAYOUTS = (COMPACT, PRETTY, JSONL)

BATCH = 256  # values taken at a time (and joined at once when all are ``Encoded``)

_compact = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
_pretty = json.JSONEncoder(ensure_ascii=False, check_circular=False, indent=2).encode


class Encoded(str):
    """A JSON value already encoded by ``encode``: compact, and safe for a terminal."""


def encode(value: object) -> Encoded:
    """``value`` as the compact layout writes it."""
    return Encoded(escape_json(_compact(value)))


class Group(NamedTuple):
    """An object of ``head``'s fields and then ``field``, the list of ``items`` (objects), read as written."""

    head: dict
    field: str
    items: Iterable[object]


Write = Callable[[str], object]


# (before the first value, between two, after the last, for no value at all)
_FRAMES = {
    COMPACT: ("[\n", ",\n", "\n]\n", "[]\n"),
    PRETTY: ("[\n  ", ",\n  ", "\n]\n", "[]\n"),
    JSONL: ("", "\n", "\n", ""),
}


def write_array(write: Write, values: Iterable[object | Group], layout: str) -> None:
    """``values`` as a JSON array (or JSON Lines) in ``layout``, through ``write`` in batches of text.

    Text from the fact base is made safe for a terminal (``terminal.escape_json``): the same JSON value.
    A run of ``Encoded`` values in a compact layout is joined as it is, no value looked into; any
    other value is written as it comes (a ``Group``'s items may be read only then).
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    out = _Batches(write)
    dump, depth = (_pretty, 1) if layout == PRETTY else (_compact, 0)
    opening, between, closing, empty = _FRAMES[layout]
    joined = layout != PRETTY
    run: list[str] = []
    first = True

    def write_run() -> None:
        nonlocal first
        out.push_safe((opening if first else between) + between.join(run))
        run.clear()
        first = False

    for value in values:
        if joined and isinstance(value, Encoded):
            run.append(value)
            if len(run) >= BATCH:
                write_run()
            continue
        if run:
            write_run()
        out.push_safe(opening if first else between)
        _write_value(out, value, depth, dump)
        first = False
    if run:
        write_run()
    out.push_safe(empty if first else closing)
    out.flush()


class _Batches:
    """Pieces of text gathered and written about ``FLUSH_AT`` characters at a time."""

    FLUSH_AT = 1 << 18

    def __init__(self, write: Write):
        self._write = write
        self._pieces: list[str] = []
        self._size = 0

    def push(self, text: str) -> None:
        """Text that may hold characters unsafe for a terminal (``terminal.escape_json``)."""
        self.push_safe(escape_json(text))

    def push_safe(self, text: str) -> None:
        if len(text) >= self.FLUSH_AT:  # written as it is, not copied once more into a batch
            self.flush()
            self._write(text)
            return
        self._pieces.append(text)
        self._size += len(text)
        if self._size >= self.FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if self._pieces:
            self._write("".join(self._pieces))
            self._pieces.clear()
            self._size = 0


def _write_value(out: _Batches, value: object, depth: int, dump: Callable[[object], str]) -> None:
    """``value`` encoded onto ``out``, indented (when ``dump`` is ``_pretty``) as if ``depth`` levels deep."""
    pretty = dump is _pretty
    pad = "\n" + "  " * depth
    if not isinstance(value, Group):
        if isinstance(value, Encoded):  # (only indented ones come here: ``write_array`` joins the rest)
            value = json.loads(value)
        text = dump(value)
        out.push(text.replace("\n", pad) if pretty and depth else text)
        return
    # The head with an empty list last, cut before that list: the items are written in its place.
    head = dump({**value.head, value.field: []})
    closing = "[]" + (pad + "}" if pretty else "}")
    out.push((head.replace("\n", pad) if pretty else head)[: -len(closing)] + "[")
    inner = pad + "    "
    first = True
    for item in value.items:
        if pretty:
            plain = json.loads(item) if isinstance(item, Encoded) else item
            out.push(("" if first else ",") + inner + dump(plain).replace("\n", inner))
        else:
            if isinstance(item, Encoded):
                out.push_safe(item if first else "," + item)
            else:
                out.push(("" if first else ",") + dump(item))
        first = False
    out.push(("]" if first else pad + "  ]" if pretty else "]") + (pad + "}" if pretty else "}"))
