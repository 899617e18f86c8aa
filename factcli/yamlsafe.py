"""Read one YAML document safely, remembering where every value came from.

PyYAML's loaders lose line numbers, silently keep the last of duplicate keys and
expand aliases without limit. Here the document is only *composed* into nodes
(no Python object is ever built from a tag), then turned into plain values by
hand, so that:

- every value's line and column is kept, for precise error messages;
- duplicate keys, aliases (and so "billion laughs" bombs) and non-standard tags
  such as ``!!python/object/apply`` are refused as problems, never executed;
- the raw text of each plain scalar is kept, so a validator can explain YAML 1.1
  surprises (an unquoted ``no`` read as ``false``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

try:  # libyaml's composer is several times faster; the pure-Python one is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_constructor = yaml.constructor.SafeConstructor()


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
    """Compose ``text`` as one YAML document and convert it to plain values with marks."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise YamlError(f"YAML syntax error: {message}", mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as exc:  # e.g. a second document, or a reader error
        raise YamlError(f"YAML error: {exc}".splitlines()[0]) from None
    if node is None:
        raise YamlError("the file is empty", hint="a fact file holds one YAML mapping")
    doc = Document(value=None)
    doc.value = _convert(node, (), doc, set())
    return doc


def _mark(node: yaml.Node) -> Mark:
    plain = node.value if isinstance(node, yaml.ScalarNode) and not node.style else None
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1, plain)


def _convert(node: yaml.Node, path: tuple, doc: Document, seen: set[int]) -> object:
    if id(node) in seen:
        # An alias re-uses a node: refusing it bounds the work whatever the nesting ("billion laughs").
        raise YamlError(
            "anchors and aliases (&name / *name) are not allowed in fact files",
            *_pos(node),
            hint="write the value out in full",
        )
    seen.add(id(node))
    doc.marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _TAG + "map":
            raise _bad_tag(node)
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TAG + "str":
                raise YamlError(
                    f"a key must be plain text, not {key_node.tag.removeprefix(_TAG)}",
                    *_pos(key_node),
                    hint="put the key in quotes",
                )
            key = key_node.value
            if key in result:
                first = doc.key_marks[(*path, key)]
                raise YamlError(
                    f"duplicate key {key!r} (first at line {first.line})",
                    *_pos(key_node),
                    hint="YAML would silently keep only the last one",
                )
            doc.key_marks[(*path, key)] = _mark(key_node)
            result[key] = _convert(value_node, (*path, key), doc, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _TAG + "seq":
            raise _bad_tag(node)
        return [_convert(item, (*path, i), doc, seen) for i, item in enumerate(node.value)]
    if node.tag not in _SCALAR_TAGS:
        raise _bad_tag(node)
    try:
        return _constructor.construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        raise YamlError(f"cannot read value {node.value!r}: {exc}", *_pos(node)) from None


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _bad_tag(node: yaml.Node) -> YamlError:
    return YamlError(
        f"tag {node.tag!r} is not allowed",
        *_pos(node),
        hint="fact files hold plain text, numbers, lists and mappings; tags are never executed",
    )
