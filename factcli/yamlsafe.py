"""Read one YAML document safely, remembering where every value came from.

PyYAML's loaders lose line numbers, silently keep the last of duplicate keys,
expand aliases without limit and recurse once per level of nesting. Here the
document is only *parsed* into libyaml's events (no Python object is ever built
from a tag), then turned into plain values by hand, without recursion, so that:

- every value's line and column is kept, for precise error messages;
- duplicate keys, aliases (and so "billion laughs" bombs) and non-standard tags
  such as ``!!python/object/apply`` are refused as problems, never executed;
- nesting deeper than ``MAX_DEPTH`` is refused at once (libyaml slows down and
  PyYAML's composer crashes the interpreter on a few thousand levels);
- the raw text of each plain scalar is kept, so a validator can explain YAML 1.1
  surprises (an unquoted ``no`` read as ``false``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from factcli.terminal import shorten

try:  # libyaml's parser is several times faster; the pure-Python one is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_constructor = yaml.constructor.SafeConstructor()
MAX_DEPTH = 64  # fact files nest about four levels; more is a mistake, or an attack on the parser


@dataclass(frozen=True)
class Mark:
    """Where a value stands in its file (1-based), and its raw text if it was a plain scalar."""

    line: int
    column: int
    plain: str | None = None


@dataclass
class Document:
    """A parsed YAML document: its value, and the marks of every value and key in it."""

    value: object
    marks: dict[tuple, Mark] = field(default_factory=dict)
    key_marks: dict[tuple, Mark] = field(default_factory=dict)

    def mark(self, path: tuple) -> Mark:
        """The mark of ``path``, or of its nearest ancestor that has one."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, Mark(1, 1))


class YamlError(Exception):
    """The text is not a fact file PyYAML can safely read; carries a 1-based position."""

    def __init__(self, message: str, line: int = 1, column: int = 1, hint: str = ""):
        super().__init__(message)
        self.message, self.line, self.column, self.hint = message, line, column, hint


class _TooDeep(YamlError):
    """Nesting past ``MAX_DEPTH``."""


def decode(data: bytes) -> str:
    """Decode a fact file as UTF-8 (a BOM is allowed), naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", line, column, "save the file as UTF-8"
        ) from None


def parse(text: str) -> Document:
    """Read ``text`` as one YAML document and convert it to plain values with marks.

    The libyaml event stream is turned into values here, without recursion and
    without PyYAML's composer: a file nested thousands of levels deep is refused
    at its ``MAX_DEPTH``-th level instead of crashing the interpreter, and an
    alias is refused at the first one, whatever it would have expanded to.
    """
    try:
        loader = _Loader(text)
    except UnicodeError:  # only from a caller's str: text decoded from a file is always valid
        raise YamlError("the text holds a character that is not valid Unicode (a lone surrogate)") from None
    try:
        return _compose(loader, text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        too_deep = _too_deep_before(text, mark.index) if mark else None
        if too_deep is not None:
            raise too_deep from None
        message = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        lines = text.splitlines()
        bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
        raise YamlError(
            f"YAML syntax error: {message}", line, column, _syntax_hint(message, bad_line, column)
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, other controls)
        line, column = _position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise YamlError(
            f"character U+{code:04X} is not allowed in a YAML file",
            line,
            column,
            'write it as an escape inside a double-quoted string, like "\\t"',
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}".splitlines()[0]) from None
    finally:
        loader.dispose()


# A value in single quotes whose closing quote is followed by more of the value: an apostrophe ended it.
_APOSTROPHE_IN_SINGLE_QUOTES = re.compile(r":\s+'(?:[^']|'')*'[^\s#,\]}]")


def _syntax_hint(message: str, line: str, column: int) -> str:
    """What to do about the YAML errors authors meet most, judged from the message and the line."""
    if "\t" in line[: column + 1]:
        return "YAML indents with spaces, never tabs"
    if _APOSTROPHE_IN_SINGLE_QUOTES.search(line):
        return "an apostrophe inside single quotes ends them: double it (''), or use double quotes"
    if "mapping values are not allowed" in message:
        return "the value holds ': ': put the value in quotes"
    return ""


def _comment_follows(text: str, index: int) -> bool:
    """Whether a comment starts on the line right after ``index`` (a plain value's end): ``a #b`` is ``a``."""
    end = text.find("\n", index)
    rest = text[index : end if end >= 0 else len(text)]
    return rest.lstrip(" \t").startswith("#") and rest[:1] in (" ", "\t")


def _too_deep_before(text: str, index: int) -> YamlError | None:
    """Our depth problem, when ``text`` nests past ``MAX_DEPTH`` before libyaml's error at ``index``.

    Some libyaml builds (PyYAML 6.0.4's wheels) refuse 1000 levels of flow nesting
    themselves, in their own words, before a single event reaches ``_compose``.
    Reading the text up to that point finds the same problem where factcli's own
    limit puts it, so the report is the same whichever version is installed.
    """
    loader = _Loader(text[:index])
    try:
        _compose(loader, text[:index])
    except _TooDeep as exc:
        return exc
    except (YamlError, yaml.YAMLError):  # the cut text is unfinished: any other complaint is not ours
        pass
    finally:
        loader.dispose()
    return None


def _position(text: str, index: int) -> tuple[int, int]:
    index = max(0, min(index, len(text)))
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


class _Frame:
    """A mapping or list being filled, with the key waiting for its value."""

    __slots__ = ("value", "path", "key")

    def __init__(self, value, path):
        self.value, self.path, self.key = value, path, _NO_KEY


_NO_KEY = object()
_COLLECTION_NAMES = {yaml.SequenceStartEvent: "a list", yaml.MappingStartEvent: "a mapping"}


def _compose(loader, text: str) -> Document:
    get = loader.get_event
    get()  # StreamStart
    event = get()
    if isinstance(event, yaml.StreamEndEvent):
        raise YamlError("the file is empty", hint="a fact file holds one YAML mapping")
    doc = Document(value=None)
    stack: list[_Frame] = []
    while True:
        event = get()
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = stack.pop()
            value, path = frame.value, frame.path
        elif isinstance(event, yaml.AliasEvent):
            # Refusing every alias bounds the work whatever the nesting ("billion laughs").
            raise YamlError(
                "anchors and aliases (&name / *name) are not allowed in fact files",
                *_pos(event),
                hint="write the value out in full",
            )
        elif stack and isinstance(stack[-1].value, dict) and stack[-1].key is _NO_KEY:
            _take_key(loader, event, stack[-1], doc)
            continue
        else:
            path = _child_path(stack)
            doc.marks[path] = _mark(event)
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(loader, event)
                end = event.end_mark
                if path[-1:] == ("quote",) and not event.style and end and _comment_follows(text, end.index):
                    raise YamlError(
                        "the quote stops at ' #': YAML reads the rest of the line as a comment",
                        end.line + 1,
                        end.column + 2,
                        "a quote holding '#' must be in quotes: put the value in quotes",
                    )
            else:  # the start of a mapping or a list
                is_map = isinstance(event, yaml.MappingStartEvent)
                tag = _tag(loader, event, yaml.MappingNode if is_map else yaml.SequenceNode)
                if tag != _TAG + ("map" if is_map else "seq"):
                    raise _bad_tag(tag, event)
                if len(stack) >= MAX_DEPTH:
                    raise _TooDeep(
                        f"nested more than {MAX_DEPTH} levels deep",
                        *_pos(event),
                        hint="fact files are a few levels deep",
                    )
                stack.append(_Frame({} if is_map else [], path))
                continue
        if not stack:
            doc.value = value
            break
        top = stack[-1]
        if isinstance(top.value, dict):
            top.value[top.key] = value
            top.key = _NO_KEY
        else:
            top.value.append(value)
    get()  # DocumentEnd
    event = get()
    if not isinstance(event, yaml.StreamEndEvent):
        raise YamlError(
            "a second YAML document ('---') in the file", *_pos(event), hint="a fact file holds one YAML mapping"
        )
    return doc


def _child_path(stack: list[_Frame]) -> tuple:
    if not stack:
        return ()
    top = stack[-1]
    return (*top.path, top.key if isinstance(top.value, dict) else len(top.value))


def _take_key(loader, event, frame: _Frame, doc: Document) -> None:
    """Record ``event`` as the next key of ``frame``: plain text, and not one already there."""
    if not isinstance(event, yaml.ScalarEvent):
        raise YamlError(
            f"a key must be plain text, not {_COLLECTION_NAMES.get(type(event), 'a value')}",
            *_pos(event),
            hint="a fact file's keys are field names",
        )
    tag = _tag(loader, event, yaml.ScalarNode)
    if tag != _TAG + "str":
        kind = tag.removeprefix(_TAG)
        raise YamlError(
            f"a key must be plain text, not {kind} ({_short(event.value)})",
            *_pos(event),
            hint="put the key in quotes"
            if kind != "merge"
            else "merge keys (<<) are not allowed; write the fields out",
        )
    key = event.value
    if key in frame.value:
        first = doc.key_marks[(*frame.path, key)]
        raise YamlError(
            f"duplicate key {_short(key)} (first at line {first.line})",
            *_pos(event),
            hint="YAML would silently keep only the last one",
        )
    frame.key = key
    doc.key_marks[(*frame.path, key)] = _mark(event)


def _tag(loader, event, kind) -> str:
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(kind, event.value if kind is yaml.ScalarNode else None, event.implicit)
    return tag


_TAG_NAMES = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "null": "null",
    "timestamp": "a date",
}


def _scalar(loader, event) -> object:
    tag = _tag(loader, event, yaml.ScalarNode)
    if tag not in _SCALAR_TAGS:
        raise _bad_tag(tag, event)
    if tag == _TAG + "str":
        return event.value
    if tag == _TAG + "null" and event.value not in ("", "~", "null", "Null", "NULL"):
        # PyYAML's !!null throws any text away: `!!null twenty` would silently lose "twenty".
        raise YamlError(
            f"cannot read {_short(event.value)} as null", *_pos(event), hint="write null, or the value without the tag"
        )
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        # The tag's own constructor, as construct_object would call it, minus its cache of every node.
        return _constructor.yaml_constructors[tag](_constructor, node)
    except (yaml.YAMLError, ValueError, OverflowError, KeyError, AttributeError, TypeError, IndexError) as exc:
        # PyYAML raises all sorts on an explicitly tagged value it cannot read (!!bool maybe, !!timestamp x).
        reason = str(exc).splitlines()[0] if isinstance(exc, ValueError) and str(exc) else ""
        name = _TAG_NAMES.get(tag.removeprefix(_TAG), tag.removeprefix(_TAG))
        raise YamlError(
            f"cannot read {_short(event.value)} as {name}"
            + (f": {_short(reason, 100, quote=False)}" if reason else ""),
            *_pos(event),
            hint="put it in quotes to keep it as text",
        ) from None


def _short(value: str, limit: int = 60, quote: bool = True) -> str:
    """``value`` quoted (and cut short when long) for a one-line message."""
    return shorten(value, limit, quote)


def _mark(event) -> Mark:
    plain = event.value if isinstance(event, yaml.ScalarEvent) and not event.style else None
    return Mark(event.start_mark.line + 1, event.start_mark.column + 1, plain)


def _pos(event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _bad_tag(tag: str, event) -> YamlError:
    return YamlError(
        f"tag {_short(tag, 80)} is not allowed",
        *_pos(event),
        hint="fact files hold plain text, numbers, lists and mappings; tags are never executed",
    )
