"""Reading fact files for the index: bytes as the loader reads them, and YAML values by the fastest reader that can vouch for them."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from factcli.files import MAX_FACT_FILE, MAX_SOURCE_TEXT, Unreadable, read_file
from factcli.index.errors import NotVouched

if TYPE_CHECKING:  # pragma: no cover
    from factcli.yamlsafe import Document


def content_hash(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_bytes(real: str, rel: str, trusted: bool = False, limit: int | None = None) -> bytes:
    """The file ``rel`` under the fact base's real path ``real``, read as the loader reads it (never
    from outside it); ``NotVouched`` where the loader would object."""
    try:
        return read_file(os.path.join(real, rel), MAX_FACT_FILE if limit is None else limit, real, trusted)
    except Unreadable:
        raise NotVouched from None


def text_hash(real: str, rel: str) -> str | None:
    """The hash a source text is stored under (its words, line endings aside); None if unreadable."""
    try:
        data = file_bytes(real, rel, limit=MAX_SOURCE_TEXT)
        return content_hash(data.decode("utf-8-sig").replace("\r\n", "\n").encode("utf-8"))
    except (NotVouched, UnicodeError):
        return None


# --- parsing: libyaml events straight to plain values -------------------------------------------


class _Defer(Exception):
    """This file uses something the fast reader leaves to ``yamlsafe.parse`` (aliases, tags, errors...)."""


_STR = "tag:yaml.org,2002:str"
_ALLOWED = {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null")}


class LibYaml:
    """PyYAML's pieces the fast reader uses, imported on first use (never on the warm path)."""

    def __init__(self):
        import yaml

        from factcli.schema import written_plainly
        from factcli.yamlsafe import _constructor

        try:
            from yaml._yaml import CParser as parser
        except ImportError:  # pragma: no cover - PyYAML built without libyaml
            parser = yaml.SafeLoader
        self.parser = parser
        self.YAMLError = yaml.YAMLError
        self.ScalarNode = yaml.ScalarNode
        self.StreamStart, self.StreamEnd = yaml.StreamStartEvent, yaml.StreamEndEvent
        self.DocumentStart, self.DocumentEnd = yaml.DocumentStartEvent, yaml.DocumentEndEvent
        self.Scalar = yaml.ScalarEvent
        self.MappingStart, self.MappingEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
        self.SequenceStart, self.SequenceEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
        # Resolver.resolve, flattened: the implicit resolvers to try for a plain scalar, by first character.
        resolvers = yaml.SafeLoader.yaml_implicit_resolvers
        self.wildcard = list(resolvers.get(None, []))
        self.first = {ch: list(rs) + self.wildcard for ch, rs in resolvers.items() if ch is not None}
        self.constructor = _constructor
        self.written_plainly = written_plainly

    def plain(self, raw: str):
        """A plain (unquoted) scalar as PyYAML's resolvers and constructors read it.

        ``_Defer`` for a tag fact files do not hold (a date...), a value its constructor
        refuses, or a number or boolean in a YAML 1.1 form (``010``, ``yes``): the
        schema refuses those with the scalar's text, which only ``yamlsafe.parse`` keeps.
        """
        for tag, regexp in self.first.get(raw[:1], self.wildcard):  # noqa: B007 (the tag that matched is read below)
            if regexp.match(raw):
                break
        else:
            return raw
        if tag not in _ALLOWED:
            raise _Defer
        try:
            # The tag's own constructor, as construct_object would call it, minus its cache of every node.
            value = self.constructor.yaml_constructors[tag](self.constructor, self.ScalarNode(tag, raw))
        except (self.YAMLError, ValueError, OverflowError):
            raise _Defer from None
        if not self.written_plainly(value, raw):
            raise _Defer
        return value


_LIBYAML: list = []


def libyaml() -> LibYaml:
    if not _LIBYAML:
        _LIBYAML.append(LibYaml())
    return _LIBYAML[0]


def _comment_follows(text: str, event) -> bool:
    from factcli.yamlsafe import _comment_follows as follows

    return follows(text, event.end_mark.index)


def fast_value(text: str):
    """The plain value of one YAML document, exactly as ``yamlsafe.parse`` would give it.

    Reads libyaml's events directly (several times faster than composing nodes);
    anything unusual (anchors, aliases, explicit tags, duplicate or non-text keys,
    more or fewer than one document, a syntax error) raises ``_Defer``, so the
    caller asks ``yamlsafe.parse`` itself, which reports it properly.
    """
    y = libyaml()
    Scalar, MappingStart, MappingEnd = y.Scalar, y.MappingStart, y.MappingEnd
    SequenceStart, SequenceEnd = y.SequenceStart, y.SequenceEnd
    plain = y.plain

    def scalar(event):
        if event.anchor is not None or event.tag is not None:
            raise _Defer
        if not event.implicit[0]:
            return event.value  # quoted: always text
        return plain(event.value)

    def node(event, depth=0):
        kind = type(event)
        if kind is Scalar:
            return scalar(event)
        if depth > 32:
            raise _Defer  # deep nesting: yamlsafe.parse refuses it with a proper message
        if event.anchor is not None or getattr(event, "tag", None) is not None:
            raise _Defer
        if kind is MappingStart:
            out = {}
            while True:
                key = get()
                kind = type(key)
                if kind is MappingEnd:
                    return out
                if kind is not Scalar:
                    raise _Defer
                name = scalar(key)
                if type(name) is not str or name in out:
                    raise _Defer
                value = get()
                if name == "quote" and type(value) is Scalar and value.implicit[0] and _comment_follows(text, value):
                    raise _Defer  # a quote cut short by a '#': yamlsafe.parse says so
                out[name] = node(value, depth + 1)
        if kind is SequenceStart:
            items = []
            while True:
                item = get()
                if type(item) is SequenceEnd:
                    return items
                items.append(node(item, depth + 1))
        raise _Defer  # an alias, or anything else

    parser = y.parser(text)
    get = parser.get_event
    try:
        if type(get()) is not y.StreamStart or type(get()) is not y.DocumentStart:
            raise _Defer
        value = node(get())
        if type(get()) is not y.DocumentEnd or type(get()) is not y.StreamEnd:
            raise _Defer
        return value
    except y.YAMLError:
        raise _Defer from None


# The block YAML that people and make_corpus.py write, read line by line (no libyaml events):
# only what is unambiguous is read here; anything else raises _Defer, for fast_value and parse.
_QUICK_BAD = None
_QUICK_LINE = None
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_SCALARS: dict = {}  # raw scalar -> its value (immutable), shared by every file a process reads


def _quick_patterns():
    global _QUICK_BAD, _QUICK_LINE
    import re

    # Anything but newline and the printable characters YAML allows that libyaml reads as Python's re does:
    # tabs, CR and the other line breaks libyaml knows (NEL, LINE and PARAGRAPH SEPARATOR), a BOM... are
    # left to libyaml. (U+2028 once got through: libyaml ends a line there, a "# comment" after it included.)
    _QUICK_BAD = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
    # One line: its indent, a sequence dash, then "key:" with its value, or anything else.
    _QUICK_LINE = re.compile(r"^( *)(- +|-$)?(?:([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$|(.*)$)", re.MULTILINE)


def quick_value(text: str):
    """The plain value of a block-style YAML document, line by line; ``_Defer`` for anything else.

    Reads block mappings and sequences of plain or simply quoted one-line scalars,
    resolved by PyYAML's own resolvers and constructors; flow collections, block
    scalars, multi-line scalars, escapes, anchors, tags, comments after values,
    indentless sequences, duplicate keys, document markers and unusual characters
    are all left to ``fast_value`` (the tests compare the two on every shape).
    """
    if _QUICK_BAD is None or _QUICK_LINE is None:
        _quick_patterns()
    assert _QUICK_BAD is not None and _QUICK_LINE is not None
    if _QUICK_BAD.search(text):
        raise _Defer
    y = libyaml()
    plain = y.plain
    if " \n" in text or text.endswith(" "):
        raise _Defer  # trailing spaces: left to libyaml
    # Tokens: (indent, kind, a, b): kind 0 "key: value" (a key, b raw value or None),
    # 1 a sequence item's dash, 2 a scalar that follows a dash on its line.
    tokens: list[tuple[int, int, Any, Any]] = []  # (indent, kind, a, b): see above
    add = tokens.append
    for indent, dash, key, raw, other in _QUICK_LINE.findall(text):
        if dash:
            add((len(indent), 1, None, None))
            if key:
                add((len(indent) + len(dash), 0, key, raw or None))
            elif other:
                add((len(indent) + len(dash), 2, other, None))
        elif key:
            add((len(indent), 0, key, raw or None))
        elif other and other[0] != "#":
            raise _Defer  # a line that is neither "key: value" nor "- item" (a continued scalar...)

    memo = _SCALARS
    if len(memo) > 200_000:
        memo.clear()

    def scalar(raw: str):
        value = memo.get(raw, memo)
        if value is not memo:
            return value
        value = memo[raw] = resolve(raw)
        return value

    def resolve(raw: str):
        c = raw[0]
        if c == '"':
            if len(raw) < 2 or raw[-1] != '"' or '"' in raw[1:-1] or "\\" in raw:
                raise _Defer
            return raw[1:-1]
        if c == "'":
            inner = raw[1:-1]
            if len(raw) < 2 or raw[-1] != "'" or "'" in inner.replace("''", ""):
                raise _Defer
            return inner.replace("''", "'")
        if c in _INDICATORS or ": " in raw or " #" in raw or raw[-1] == ":":
            raise _Defer
        return plain(raw)

    n = len(tokens)

    def block(i: int, depth: int):
        """The node starting at token i (a mapping, a sequence or an item's scalar); (value, next i)."""
        if depth > 32:
            raise _Defer
        indent, kind, a, _ = tokens[i]
        if kind == 2:
            return scalar(a), i + 1
        if kind == 1:
            items = []
            while i < n and tokens[i][0] == indent and tokens[i][1] == 1:
                i += 1
                if i < n and tokens[i][0] > indent:
                    value, i = block(i, depth + 1)
                else:
                    value = None
                items.append(value)
            if i < n and tokens[i][0] >= indent:
                raise _Defer
            return items, i
        out = {}
        while i < n and tokens[i][0] == indent and tokens[i][1] == 0:
            _, _, key, raw = tokens[i]
            if key in out or type(scalar(key)) is not str:
                raise _Defer
            i += 1
            if raw is None:
                if i < n and tokens[i][0] > indent:
                    value, i = block(i, depth + 1)
                elif i < n and tokens[i][0] == indent and tokens[i][1] == 1:
                    raise _Defer  # an indentless sequence
                else:
                    value = None
            else:
                value = scalar(raw)
            out[key] = value
        if i < n and tokens[i][0] >= indent:
            raise _Defer
        return out, i

    if not tokens or tokens[0][0] != 0 or tokens[0][1] == 2:
        raise _Defer
    value, i = block(0, 0)
    if i != n:
        raise _Defer
    return value


def read_value(data: bytes) -> Document:
    """The ``yamlsafe.Document`` in ``data``; raises ``NotVouched`` when it has a problem.

    ``quick_value`` (plain block YAML, line by line) and ``fast_value`` (libyaml's
    events) read most files, without marks, which the checks need only for a number
    or boolean in a YAML 1.1 form: they leave those, and anything else unusual, to
    ``yamlsafe.parse``, marks and all. The property tests in tests/test_values.py hold
    the three to the same reading of every document.
    """
    from factcli.yamlsafe import Document, YamlError, decode, parse

    try:
        text = decode(data)
    except YamlError:
        raise NotVouched from None
    for fast in (quick_value, fast_value):
        try:
            return Document(fast(text))
        except _Defer:
            pass
    try:
        return parse(text)
    except YamlError:
        raise NotVouched from None
