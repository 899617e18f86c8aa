"""The shape of each kind of fact file, declared once.

The same declarations check a parsed file (reporting every problem with its
field path) and produce the JSON Schema that editors use to validate and
complete while someone types, so the two can never drift apart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from factcli.intervals import QUALIFIERS
from factcli.suggest import did_you_mean
from factcli.terminal import shorten

Report = Callable[[tuple, str, str], None]  # (field path, message, hint)

# Patterns end with (?![\s\S]), "no character follows", never $: Python's $ (and so Python's
# jsonschema) also matches before a final newline, and JSON Schema's ECMA-262 patterns have no \Z.
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?![\s\S])"
# Characters that hide or change what a name looks like: C0 and C1 controls (newline and tab too),
# DEL, the bidi and directional marks, line and paragraph separators, and the BOM.
_HIDDEN = r"\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff"
# Spaces that are not among them (Python's str.strip and ECMA-262's \s agree on this list).
_SPACE = r" \xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
# A name, alias or heading: no hidden character, no space at either end (two such would print alike).
LABEL = rf"^[^{_SPACE}{_HIDDEN}](?:[^{_HIDDEN}]*[^{_SPACE}{_HIDDEN}])?(?![\s\S])"

# YAML 1.1 (PyYAML) reads 010 as 8, 0x10 as 16, 1:20 as 80, 1_000 as 1000 and yes/on as true, where
# YAML 1.2 tools (check-jsonschema, editors) read them otherwise: a number or a boolean counts only
# when written plainly.
PLAIN_NUMBER = re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
PLAIN_BOOLEANS = frozenset(("true", "True", "TRUE", "false", "False", "FALSE"))
# A whole number beyond 64 bits fits no column type (SQLite's INTEGER, the exports) and beyond
# about 309 digits no float either: a figure is refused past what every reader can hold.
MAX_WHOLE = 2**63 - 1
ACTOR_KINDS = (
    "country",
    "government",
    "military",
    "person",
    "organisation",
    "group",
    "media",
    "narrator",
    "unattributed",
)
SCHEMA_BASE = "https://factcli.invalid/schema/"
# An ISO 8601 calendar date, or a date and time (minutes at least, seconds and fraction optional,
# a zone optional): what ``datetime.fromisoformat`` reads, in the extended form people write.
DATE = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?(?![\s\S])"
)


def _kind_of(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def written_plainly(value: object, raw: str) -> bool:
    """Whether ``raw``, the plain scalar YAML read as ``value``, reads the same in YAML 1.1 and 1.2."""
    if isinstance(value, bool):
        return raw in PLAIN_BOOLEANS
    if isinstance(value, (int, float)):
        return PLAIN_NUMBER.fullmatch(raw) is not None
    return True


class Type:
    description = ""

    def check(self, value: object, path: tuple, report: Report, plain: Callable[[tuple], str | None]) -> None:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def _described(self, schema: dict) -> dict:
        return {"description": self.description, **schema} if self.description else schema


@dataclass
class Text(Type):
    description: str = ""
    pattern: str | None = None
    enum: tuple[str, ...] = ()

    def check(self, value, path, report, plain):
        if not isinstance(value, str):
            raw, hint = plain(path), ""
            if raw is not None:
                hint = f"YAML reads the unquoted {shorten(raw)} as {_kind_of(value)}: put it in quotes"
            report(path, f"expected text, got {_kind_of(value)}", hint)
        elif not value.strip():
            report(path, "must not be empty", "")
        elif self.enum and value not in self.enum:
            hint = did_you_mean(value, self.enum) or "one of: " + ", ".join(self.enum)
            report(path, f"{shorten(value)} is not one of the allowed values", hint)
        elif self.pattern and not _compiled(self.pattern).match(value):
            report(path, *_mismatch(self.pattern, value))
        elif self.pattern == DATE and not _real_date(value):
            report(path, f"{shorten(value)} is not a day or time that exists", "check the day, month and hour")

    def json_schema(self):
        schema: dict = {"type": "string", "minLength": 1, "pattern": r"\S"}
        if self.enum:
            schema = {"type": "string", "enum": list(self.enum)}
        elif self.pattern:
            schema = {"type": "string", "pattern": self.pattern}
        return self._described(schema)


def _real_date(value: str) -> bool:
    from datetime import datetime

    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _mismatch(pattern: str, value: str) -> tuple[str, str]:
    """The message and hint for ``value``, which ``pattern`` (``SLUG``, ``LABEL`` or ``DATE``) refuses."""
    if pattern == DATE:
        return (
            f"{shorten(value)} is not an ISO 8601 date",
            "write the day as '2025-05-07', or the time as '2025-05-07T14:30' or '2025-05-07T14:30:00+05:00'",
        )
    if pattern == LABEL:
        hint = "remove it: two names that differ only by it look alike"
        if value != value.strip():
            return f"{shorten(value)} has a space or line break at its start or end", hint
        return f"{shorten(value)} holds a hidden character (a control, line break or direction mark)", hint
    if _compiled(pattern).match(value.strip()):
        hint = "remove the space or line break around it"
    elif _compiled(pattern).match(value.casefold()):
        hint = f"ids are lower-case: did you mean {value.casefold()!r}?"
    else:
        hint = "use lower-case letters, digits and single hyphens, like 'india-strikes'"
    return f"{shorten(value)} is not a valid id", hint


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A pattern compiled once: ids are checked tens of thousands of times in a large rebuild."""
    return re.compile(pattern)


def Slug(description: str = "") -> Text:
    return Text(description=description, pattern=SLUG)


def Date(description: str = "") -> Text:
    """An ISO 8601 date or date-time, written in quotes (YAML reads an unquoted date as a date)."""
    return Text(description=description, pattern=DATE)


def Label(description: str = "") -> Text:
    """A name, alias or heading: text that must not look like another."""
    return Text(description=description, pattern=LABEL)


@dataclass
class Number(Type):
    description: str = ""
    nullable: bool = False

    def check(self, value, path, report, plain):
        if value is None and self.nullable:
            return
        raw = plain(path)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            # 1e3, 0o17 and 1,000 are text to YAML: say how to write the number instead.
            hint = "write the number as digits, like 10 or 1000" if raw and raw[0] in "+-.0123456789" else ""
            report(path, f"expected a number{' or null' if self.nullable else ''}, got {_kind_of(value)}", hint)
        elif isinstance(value, int) and not -MAX_WHOLE - 1 <= value <= MAX_WHOLE:
            report(
                path,
                f"{shorten(raw if raw is not None else str(value))} is too large for a figure (at most {MAX_WHOLE:,} either way)",
                "write it with a decimal point and an exponent, like 1.5e+20",
            )
        elif not math.isfinite(value):
            report(path, f"expected a finite number, got {value}", "write the figure as the article gives it")
        elif raw is not None and not written_plainly(value, raw):
            report(
                path,
                f"{shorten(raw)} is not a plain number: YAML 1.1 reads it as {value!r}",
                "write the number as digits, like 10 or 1000",
            )

    def json_schema(self):
        return self._described({"type": ["number", "null"] if self.nullable else "number"})


@dataclass
class Boolean(Type):
    description: str = ""

    def check(self, value, path, report, plain):
        raw = plain(path)
        if not isinstance(value, bool):
            report(path, f"expected true or false, got {_kind_of(value)}", "")
        elif raw is not None and not written_plainly(value, raw):
            report(
                path,
                f"{shorten(raw)} is not true or false: YAML 1.1 reads it as {str(value).lower()}, YAML 1.2 as text",
                "write true or false",
            )

    def json_schema(self):
        return self._described({"type": "boolean"})


@dataclass
class Array(Type):
    items: Type
    description: str = ""
    unique: bool = False
    min_items: int = 0

    def check(self, value, path, report, plain):
        if not isinstance(value, list):
            report(path, f"expected a list, got {_kind_of(value)}", "")
            return
        if len(value) < self.min_items:
            report(path, f"needs at least {self.min_items} item(s)", "")
        seen = set()
        for i, item in enumerate(value):
            self.items.check(item, (*path, i), report, plain)
            if self.unique and isinstance(item, str):
                if item in seen:
                    report((*path, i), f"{shorten(item)} is listed twice", "")
                seen.add(item)

    def json_schema(self):
        schema = {"type": "array", "items": self.items.json_schema()}
        if self.unique:
            schema["uniqueItems"] = True
        if self.min_items:
            schema["minItems"] = self.min_items
        return self._described(schema)


@dataclass
class Field:
    type: Type
    required: bool = True


@dataclass
class When:
    """Fields a record must have, or must not, when its field ``field`` holds one of ``values``
    (with ``otherwise``, any other value): a range gives low and high, every other figure a value."""

    field: str
    values: tuple[str, ...]
    required: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    otherwise: bool = False
    hint: str = ""

    def applies(self, value: dict) -> bool:
        given = value.get(self.field)
        return isinstance(given, str) and (given in self.values) != self.otherwise

    def describe(self) -> str:
        values = " or ".join(repr(v) for v in self.values)
        return f"{self.field} is {'not ' if self.otherwise else ''}{values}"

    def check(self, value: dict, path: tuple, report: Report) -> None:
        if not self.applies(value):
            return
        for name in self.required:
            if name not in value:
                report((*path, name), f"required when {self.describe()}", self.hint)
        for name in self.refused:
            if name in value:
                report((*path, name), f"not allowed when {self.describe()}", self.hint)

    def json_schema(self) -> dict:
        values = {"enum": list(self.values)}
        then: dict = {}
        if self.required:
            then["required"] = list(self.required)
        if self.refused:
            then["not"] = {"anyOf": [{"required": [name]} for name in self.refused]}
        return {
            "if": {"properties": {self.field: {"not": values} if self.otherwise else values}, "required": [self.field]},
            "then": then,
        }


@dataclass
class Object(Type):
    fields: dict[str, Field]
    description: str = ""
    # Keys allowed but not part of the record (the editor's $schema comment is a comment, so none yet).
    extra_keys: tuple[str, ...] = field(default=())
    rules: tuple[When, ...] = ()

    def check(self, value, path, report, plain):
        if not isinstance(value, dict):
            report(path, f"expected a mapping of fields, got {_kind_of(value)}", "")
            return
        for key in value:
            if key not in self.fields and key not in self.extra_keys:
                report((*path, key), f"unknown field {shorten(key)}", did_you_mean(key, self.fields))
        for name, spec in self.fields.items():
            if name in value:
                spec.type.check(value[name], (*path, name), report, plain)
            elif spec.required:
                report((*path, name), "required field is missing", "")
        for rule in self.rules:
            rule.check(value, path, report)

    def json_schema(self):
        schema = {
            "type": "object",
            "properties": {name: spec.type.json_schema() for name, spec in self.fields.items()},
            "required": [name for name, spec in self.fields.items() if spec.required],
            "additionalProperties": False,
        }
        if self.rules:
            schema["allOf"] = [rule.json_schema() for rule in self.rules]
        return self._described(schema)


FIGURE = Object(
    description=(
        "A figure as the source gives it. Each stands for an interval: exact v; approximately v (10% either way);"
        " at_least, more_than, at_most, fewer_than v; a range from low to high; unspecified ('several', value null)"
        " admits any number."
    ),
    fields={
        "value": Field(Number("The number, or null when the source gives none ('several').", nullable=True), False),
        "unit": Field(Text("What is counted, in the source's words (people killed, planes, sites).")),
        "qualifier": Field(Text("How exact the figure is.", enum=QUALIFIERS)),
        "text": Field(Text("The figure exactly as written in the quote (for example 'at least 20').")),
        "measure": Field(
            Slug("What the figure measures: a measure id from measures/, shared by every figure of the same thing."),
            required=False,
        ),
        "low": Field(Number("A range's lower end ('between 30 and 40': 30)."), required=False),
        "high": Field(Number("A range's upper end ('between 30 and 40': 40)."), required=False),
    },
    rules=(
        When("qualifier", ("range",), required=("low", "high"), refused=("value",), hint="a range gives low and high"),
        When(
            "qualifier",
            ("range",),
            required=("value",),
            refused=("low", "high"),
            otherwise=True,
            hint="only a range gives low and high; any other figure gives value",
        ),
    ),
)


def Reaction(description: str) -> Object:
    """Someone reacting to a claim (disputing, confirming, saying it could not be verified), with the
    words reporting it: in the claim's own source, or in the ``source`` named."""
    return Object(
        description=description,
        fields={
            "by": Field(Slug("The actor reacting (the source's narrator for the outlet's own words).")),
            "quote": Field(Text("The verbatim words of the source that report the reaction.")),
            "source": Field(
                Slug("The source reporting the reaction, when it is not the claim's own (the quote is checked there)."),
                required=False,
            ),
            "section": Field(Label("The section of that source holding the quote."), required=False),
        },
    )


DISPUTE = Reaction("Someone a source reports contesting the claim.")
CONFIRMATION = Reaction("Someone a source reports confirming the claim.")
UNVERIFIED = Reaction("Someone (usually the reporting outlet) saying the claim could not be verified.")

SOURCE_REF = Object(
    description="Where in the source the claim is found.",
    fields={
        "id": Field(Slug("The source document's id.")),
        "section": Field(Label("The section of the source that holds the quote.")),
        "quote": Field(Text("The verbatim words of the source the claim rests on.")),
    },
)

CLAIM = Object(
    description="One claim made in a source, who made it, its figures and who disputes it.",
    fields={
        "id": Field(Slug("A stable, readable id; the file is named after it.")),
        "claimant": Field(Slug("The actor who made the claim (the source's narrator for its own voice).")),
        "statement": Field(Text("What was claimed, in neutral words.")),
        "figures": Field(Array(FIGURE, "Every figure the claim gives."), required=False),
        "disputed": Field(Boolean("Whether the source reports someone contesting the claim.")),
        "disputes": Field(Array(DISPUTE, "Who disputes the claim, with the words that report it."), required=False),
        "source": Field(SOURCE_REF),
        "topics": Field(Array(Slug(), "Topics, as ids.", unique=True), required=False),
        "about": Field(
            Array(Slug(), "The actors the claim concerns, beside the one who made it.", unique=True), required=False
        ),
        "as_of": Field(
            Date("The date the claim speaks for, where the source gives one (else its source's published date)."),
            required=False,
        ),
        "updates": Field(
            Slug("The earlier claim by the same side that this one revises (both are kept)."), required=False
        ),
        "matches": Field(
            Array(Slug(), "The same claim as reported by other sources (said once, on either claim).", unique=True),
            required=False,
        ),
        "confirmations": Field(Array(CONFIRMATION, "Who confirms the claim, with the words that report it."), False),
        "unverified": Field(Array(UNVERIFIED, "Who says the claim could not be verified, with their words."), False),
    },
)

CLAIMS_FILE = Object(
    description="Many claims in one file, such as every claim of one article.",
    fields={
        "source": Field(
            Slug("The source every claim in the file comes from (checked against each claim's source.id)."),
            required=False,
        ),
        "claims": Field(
            Array(CLAIM, "The claims, each as in a one-claim file; ids are unique across the fact base.", min_items=1)
        ),
    },
)


@dataclass
class OneOf(Type):
    """A file holding either one record or a mapping with a list of them, told apart by the key ``many_key``."""

    one: Object
    many: Object
    many_key: str
    description: str = ""

    def check(self, value, path, report, plain):
        chosen = self.many if isinstance(value, dict) and self.many_key in value else self.one
        chosen.check(value, path, report, plain)

    def json_schema(self):
        return self._described({"oneOf": [self.one.json_schema(), self.many.json_schema()]})


CLAIM_FILE = OneOf(
    CLAIM,
    CLAIMS_FILE,
    "claims",
    description="One claim (the file named after its id), or a mapping whose `claims` lists many (any file name).",
)

ACTOR = Object(
    description="Someone who makes, or is the subject of, claims.",
    fields={
        "id": Field(Slug("A stable, readable id.")),
        "name": Field(Label("The actor's name.")),
        "kind": Field(Text("What sort of actor this is.", enum=ACTOR_KINDS)),
        "role": Field(Text("Role or title, where the source gives one."), required=False),
        "aliases": Field(Array(Label(), "Other names the actor goes by.", unique=True), required=False),
        "part_of": Field(Array(Slug(), "Actors this one belongs to or speaks for.", unique=True), required=False),
        "anonymous": Field(
            Boolean("True for those the source does not name ('local sources', 'a security official')."),
            required=False,
        ),
    },
)

ACTORS_FILE = Object(
    description="A registry of actors.",
    fields={"actors": Field(Array(ACTOR, "The actors.", min_items=1))},
)

SOURCE_FILE = Object(
    description="A source document; its full text is kept verbatim in the file named by `text`.",
    fields={
        "id": Field(Slug("A stable, readable id; the file is named after it.")),
        "title": Field(Text("The document's title.")),
        "text": Field(Text("File name, beside this one, of the verbatim text.")),
        "sections": Field(Array(Label(), "Section headings, in order, as they stand in the text.", unique=True)),
        "url": Field(Text("Where the document was published, when known."), required=False),
        "publisher": Field(Text("Who published it, when known."), required=False),
        "published": Field(Date("When it was published, where the source gives it (ISO 8601)."), required=False),
    },
)

MEASURE = Object(
    description="What figures count: figures of one measure are compared with each other.",
    fields={
        "id": Field(Slug("A stable, readable id, which figures name as their measure.")),
        "name": Field(Label("What is counted, for people ('Sites struck by India's strikes').")),
        "unit": Field(Text("The unit figures of this measure are counted in, where one applies."), required=False),
        "description": Field(Text("What exactly is counted, and over what period."), required=False),
    },
)

MEASURES_FILE = Object(
    description="A registry of measures.",
    fields={"measures": Field(Array(MEASURE, "The measures.", min_items=1))},
)

KINDS: dict[str, Type] = {
    "claim": CLAIM_FILE,
    "actors": ACTORS_FILE,
    "source": SOURCE_FILE,
    "measures": MEASURES_FILE,
}


def json_schema(kind: str) -> dict:
    """The JSON Schema (draft 2020-12) for one kind of fact file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}{kind}.schema.json",
        "title": f"factcli {kind} file",
        **KINDS[kind].json_schema(),
    }
