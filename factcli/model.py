"""The fact base as typed objects: claims, the actors who make them, and their sources.

The records are immutable ``NamedTuple``s: typed like dataclasses, but about seven
times cheaper to define, which counts for a command that must answer in a blink.
Their fields are annotated with types, not strings (no ``from __future__ import
annotations`` here): typing compiles a ``ForwardRef`` for every string field when a
record type is made, and evaluates each when ``_shape`` first reads the types.
"""

from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:  # pragma: no cover
    from factcli.intervals import Interval
    from factcli.jsonstream import Encoded
    from factcli.query import Selection
    from factcli.story import Comparison, Conflict, MeasuredFigure, MeasureUse, Timeline

T = TypeVar("T")


class Figure(NamedTuple):
    value: int | float | None
    unit: str
    qualifier: str
    text: str
    measure: str | None = None
    low: int | float | None = None  # a range's ends ("between 30 and 40"); None for every other figure
    high: int | float | None = None

    def interval(self) -> "Interval":
        """The values this figure admits (``factcli.intervals``): "at least 20" admits 20 and above."""
        from factcli.intervals import interval

        return interval(self.qualifier, self.value, self.low, self.high)


class Reaction(NamedTuple):
    """Someone disputing, confirming, or saying they could not verify a claim, in a source's words:
    the claim's own source, or ``source`` when another reports it."""

    by: str
    quote: str
    source: str | None = None
    section: str | None = None


Dispute = Reaction  # the name version 1 of the API gave it


class SourceRef(NamedTuple):
    id: str
    section: str
    quote: str


class Claim(NamedTuple):
    id: str
    claimant: str
    statement: str
    figures: tuple[Figure, ...]
    disputed: bool
    disputes: tuple[Dispute, ...]
    source: SourceRef
    topics: tuple[str, ...]
    about: tuple[str, ...] = ()
    as_of: str | None = None
    updates: str | None = None
    matches: tuple[str, ...] = ()
    confirmations: tuple[Reaction, ...] = ()
    unverified: tuple[Reaction, ...] = ()
    draft: bool = False  # proposed by `factcli draft`, not yet reviewed: counted by no command
    path: str = ""

    @property
    def disputed_by(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.by for d in self.disputes))

    @property
    def confirmed_by(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.by for r in self.confirmations))

    @property
    def unverified_by(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.by for r in self.unverified))

    def reactions(self) -> Iterator[tuple[str, int, Reaction]]:
        """Every reaction as (its field: disputes, confirmations or unverified; its place there; itself)."""
        for name, reactions in zip(REACTIONS, (self.disputes, self.confirmations, self.unverified), strict=True):
            for i, reaction in enumerate(reactions):
                yield name, i, reaction


class Actor(NamedTuple):
    id: str
    name: str
    kind: str
    role: str | None = None
    aliases: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    anonymous: bool = False
    path: str = ""


class Source(NamedTuple):
    id: str
    title: str
    sections: tuple[str, ...]
    text: str
    url: str | None = None
    publisher: str | None = None
    published: str | None = None
    path: str = ""

    def section_spans(self) -> dict[str, tuple[int, int]]:
        """Character spans of each section, from its heading to the next heading (or the end)."""
        starts = [(self._heading_at(name), name) for name in self.sections]
        found = sorted((pos, name) for pos, name in starts if pos >= 0)
        spans = {}
        for i, (pos, name) in enumerate(found):
            end = found[i + 1][0] if i + 1 < len(found) else len(self.text)
            spans[name] = (pos, end)
        return spans

    def _heading_at(self, name: str) -> int:
        for heading in (f"{name}:\n", f"{name}\n"):
            if self.text.startswith(heading):
                return 0
            pos = self.text.find("\n" + heading)
            if pos >= 0:
                return pos + 1
        return -1

    def paragraph_of(self, quote: str) -> str:
        """The paragraph (line) of the text that holds ``quote``, for showing it in context."""
        pos = self.text.find(quote)
        if pos < 0:
            return ""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos + len(quote))
        return self.text[start : end if end >= 0 else len(self.text)]


REACTIONS = ("disputes", "confirmations", "unverified")  # a claim's reaction fields, in their order


class Measure(NamedTuple):
    """What figures count ("Sites struck by India's strikes"): the figures of one measure are compared."""

    id: str
    name: str
    unit: str | None = None
    description: str | None = None
    path: str = ""


class Links(NamedTuple):
    """How claims point at each other, both ways, worked out once for a whole fact base."""

    updated_by: Mapping[str, str]  # earlier claim -> the claim that revises it
    matches: Mapping[str, tuple[str, ...]]  # claim -> the same claim in other sources, either side stating it


def links_of(pairs: Iterable[tuple[str, str, str]]) -> Links:
    """``Links`` from (claim, "updates" or "matches", other claim) triples."""
    updated_by: dict[str, str] = {}
    matches: dict[str, dict[str, None]] = {}
    for claim_id, how, other in pairs:
        if how == "updates":
            updated_by[other] = claim_id
        else:
            matches.setdefault(claim_id, {})[other] = None
            matches.setdefault(other, {})[claim_id] = None
    return Links(updated_by, {k: tuple(sorted(v)) for k, v in matches.items()})


class FactBaseView(ABC):
    """What every fact base answers, wherever its records come from.

    ``FactBase`` holds a loaded fact base in memory; the index's ``IndexedFactBase``
    reads what is asked for from SQLite. ``actors`` and ``sources`` are read-only
    mappings of ids to records; ``select_claims`` runs the filters of
    ``factcli.query.select``, already checked against this fact base.
    """

    root: str

    @property
    @abstractmethod
    def actors(self) -> Mapping[str, Actor]: ...

    @property
    @abstractmethod
    def sources(self) -> Mapping[str, Source]: ...

    @property
    @abstractmethod
    def measures(self) -> Mapping[str, Measure]:
        """The measures registry (``measures/``), in file order; empty when the fact base keeps none."""

    @property
    @abstractmethod
    def claims(self) -> Sequence[Claim]:
        """Every claim, by id."""

    @abstractmethod
    def links(self) -> Links:
        """Which claim updates which, and which match, both ways (a few rows: worked out once)."""

    def date_of(self, claim: Claim) -> str | None:
        """The date a claim speaks for: its ``as_of``, else its source's ``published`` date (None: neither)."""
        if claim.as_of is not None:
            return claim.as_of
        source = self.sources.get(claim.source.id)
        return source.published if source is not None else None

    @abstractmethod
    def claim(self, claim_id: str) -> Claim | None: ...

    @abstractmethod
    def drafts(self) -> list[Claim]:
        """The claims ``factcli draft`` proposed that no one has reviewed yet (``draft: true``), by id.

        They are in none of the other answers (``claims``, ``claim``, ``select_claims``, ``topics``):
        a proposal is not a claim until a person has checked it against the source.
        """

    @abstractmethod
    def topics(self) -> list[str]:
        """Every topic some claim has, sorted."""

    @abstractmethod
    def select_claims(self, selection: "Selection") -> list[Claim]:
        """The claims passing ``selection``, sorted and limited (``factcli.query.select`` checks it first)."""

    def figure_measures(self) -> list[str]:
        """Every measure some figure gives, sorted."""
        return sorted({f.measure for c in self.claims for f in c.figures if f.measure})

    def measured_figures(self) -> "list[MeasuredFigure]":
        """Every figure that names a measure, with its claim, claimant, source and date, by measure."""
        from factcli.story import measured_figures

        return measured_figures(self, self.claims)

    def measure_uses(self) -> "list[MeasureUse]":
        """Every measure with its name and how many figures, claims and sides give it (``factcli measures``)."""
        from factcli.story import measure_uses

        figures = self.measured_figures()
        given: dict[str, int] = {}
        claims: dict[str, set[str]] = {}
        for m in figures:
            given[m.measure] = given.get(m.measure, 0) + 1
            claims.setdefault(m.measure, set()).add(m.claim)
        counts = {measure: (n, len(claims[measure])) for measure, n in given.items()}
        return measure_uses(self, counts, {(m.measure, m.claimant) for m in figures})

    def compare(self, measure: str) -> "Comparison":
        """Every figure for ``measure``, by date, with each side's latest and a verdict (``factcli compare``)."""
        from factcli.story import compare

        return compare(self, measure)

    def conflicts(self) -> "list[Conflict]":
        """Every measure whose standing figures cannot all be true, with its smallest groups that
        cannot (``factcli conflicts``); a superseded figure (``story.superseded``) is left out."""
        from factcli.story import conflicts_among, superseded

        dropped = superseded(self)
        return conflicts_among([m for m in self.measured_figures() if m.claim not in dropped])

    def iter_conflicts(self) -> "Iterator[Conflict]":
        """The conflicts of ``conflicts``, one measure at a time, so a long answer is written as it is found."""
        return iter(self.conflicts())

    def timeline(self, **filters: Any) -> "Timeline":
        """Claims by date with their update chains (``factcli timeline``), filtered as ``query``."""
        from factcli.query import Filters
        from factcli.story import timeline

        return timeline(self, Filters(**filters))

    def iter_claims(self, selection: "Selection") -> Iterator[Claim]:
        """The claims of ``select_claims``, one at a time, so a long answer is written as it is read."""
        return iter(self.select_claims(selection))

    def claims_json(self, selection: "Selection") -> "Iterator[Encoded]":
        """The claims of ``iter_claims`` as ``list --json`` writes them, each object's compact JSON
        (``jsonstream.Encoded``): the index keeps them, so a long answer is not encoded again."""
        from factcli.contract import claim_object
        from factcli.jsonstream import encode

        return (encode(claim_object(self, claim)) for claim in self.iter_claims(selection))

    def figures_json(self, selection: "Selection") -> "Iterator[tuple[str | None, Encoded]]":
        """(measure, the figure as ``figures --json`` writes it in its group, as compact JSON) in the
        order of ``iter_figures``."""
        from factcli.contract import figure_object
        from factcli.jsonstream import encode

        return ((m, encode(figure_object(self, c, f))) for m, c, f in self.iter_figures(selection))

    def count_claims(self, facet: str, selection: "Selection | None" = None) -> dict[Any, int]:
        """How many claims (all, or those ``selection`` passes) hold each value of ``facet``, a name in
        ``query.FACETS``: claims per claimant, per source, per disputer."""
        from factcli.query import FACETS

        values_of = FACETS[facet]
        counts: dict[Any, int] = {}
        for claim in self.claims if selection is None else self.select_claims(selection):
            for value in dict.fromkeys(values_of(claim)):
                counts[value] = counts.get(value, 0) + 1
        return counts

    def iter_figures(self, selection: "Selection") -> Iterator[tuple[str | None, Claim, Figure]]:
        """(measure, claim, figure) for every figure of the selected claims, in the order of
        ``stats.figure_groups``: by measure, then the claims' order; figures with no measure last."""
        from factcli.stats import figure_groups

        for measure, items in figure_groups(self.select_claims(selection), selection.measure):
            for claim, figure in items:
                yield measure, claim, figure

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.root}: {len(self.claims)} claims, {len(self.actors)} actors, {len(self.sources)} sources>"

    def affiliations(self, actor_id: str) -> tuple[str, ...]:
        """Every actor ``actor_id`` is part of, transitively, nearest first."""
        actors = self.actors
        return tuple(_walk(actor_id, lambda a: actors[a].part_of if a in actors else ()))

    def members(self, actor_id: str) -> tuple[str, ...]:
        """Every actor that is part of ``actor_id``, transitively, nearest first."""
        children = self._children()
        return tuple(_walk(actor_id, lambda a: children.get(a, ())))

    def children(self, actor_id: str) -> tuple[str, ...]:
        return tuple(self._children().get(actor_id, ()))

    def _children(self) -> dict[str, list[str]]:
        """Each actor's direct parts, worked out once."""
        children: dict[str, list[str]] | None = self.__dict__.get("_children_by_parent")
        if children is None:
            children = {}
            for actor in self.actors.values():
                for parent in actor.part_of:
                    children.setdefault(parent, []).append(actor.id)
            self.__dict__["_children_by_parent"] = children
        return children

    def find_actors(self, name: str) -> list[Actor]:
        """The actors ``name`` names, ignoring case: the one whose id it is, else every one whose
        name or alias it is.

        An id wins outright, and a name two actors answer to names both: otherwise whichever
        actors file sorts first would decide, and anyone adding one could redirect ``--actor``.
        """
        wanted = _folded(name).strip()
        actor = self.actors.get(wanted)
        if actor is not None:
            return [actor]
        return [
            a for a in self.actors.values() if wanted == _folded(a.name) or wanted in (_folded(x) for x in a.aliases)
        ]

    def find_actor(self, name: str) -> Actor | None:
        """The one actor ``name`` names (see ``find_actors``); None when it names none, or several."""
        found = self.find_actors(name)
        return found[0] if len(found) == 1 else None

    def query(self, **filters: Any) -> list[Claim]:
        """Claims matching the filters of ``factcli list`` (see ``factcli.query.Filters``)."""
        from factcli.query import Filters, select

        return select(self, Filters(**filters))


def _walk(start: str, step: Callable[[str], Iterable[str]]) -> list[str]:
    """Breadth-first from ``start`` (not included), each id once."""
    seen, order, queue = {start}, [], deque([start])
    while queue:
        for nxt in step(queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
                queue.append(nxt)
    return order


class FactBase(FactBaseView):
    """A validated fact base held in memory, as the loader builds it."""

    def __init__(
        self,
        root: str,
        actors: dict[str, Actor],
        sources: dict[str, Source],
        claims: list[Claim],
        measures: dict[str, Measure] | None = None,
    ):
        self.root = root
        self._actors = actors
        self._sources = sources
        claims = sorted(claims, key=lambda c: c.id)
        self._claims = [c for c in claims if not c.draft]
        self._drafts = [c for c in claims if c.draft]
        self._measures = measures if measures is not None else {}
        self._links: Links | None = None

    @property
    def measures(self) -> dict[str, Measure]:
        return self._measures

    def links(self) -> Links:
        if self._links is None:
            self._links = links_of(
                [(c.id, "updates", c.updates) for c in self._claims if c.updates is not None]
                + [(c.id, "matches", other) for c in self._claims for other in c.matches]
            )
        return self._links

    @property
    def actors(self) -> dict[str, Actor]:
        return self._actors

    @property
    def sources(self) -> dict[str, Source]:
        return self._sources

    @property
    def claims(self) -> list[Claim]:
        return self._claims

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self._claims if c.id == claim_id), None)

    def drafts(self) -> list[Claim]:
        return self._drafts

    def topics(self) -> list[str]:
        return sorted({t for c in self._claims for t in c.topics})

    def select_claims(self, selection: "Selection") -> list[Claim]:
        from factcli.query import filter_claims

        return filter_claims(self._claims, selection, self.date_of)


# --- records from checked mappings, and as plain tuples (what ``marshal`` stores) -------------------

_PLAIN, _RECORD, _RECORDS, _VALUES = range(4)  # how a field is built: as is, a record, records, a list
_SHAPES: dict[type, list[tuple[str, int, Any, Any]]] = {}
_ABSENT = object()


def _shape(cls: type) -> list[tuple[str, int, Any, Any]]:
    """(name, how it is built, its record type, its default) for each field of the record type ``cls``."""
    shape = _SHAPES.get(cls)
    if shape is None:
        import typing

        shape = []
        defaults = cls._field_defaults  # type: ignore[attr-defined]
        for name, hint in typing.get_type_hints(cls).items():
            args = typing.get_args(hint)
            if _is_record(hint):
                how, sub = _RECORD, hint
            elif typing.get_origin(hint) is tuple:
                how, sub = (_RECORDS, args[0]) if args and _is_record(args[0]) else (_VALUES, None)
            else:
                how, sub = _PLAIN, None
            # Left out of a file: the field's default; a list, empty; anything else required (checked first).
            default = defaults.get(name, () if how in (_RECORDS, _VALUES) else None)
            shape.append((name, how, sub, default))
        _SHAPES[cls] = shape
    return shape


# How each field of a record is built, for code written out from a record's fields (``contract``'s objects).
PLAIN, RECORD, RECORDS, VALUES = _PLAIN, _RECORD, _RECORDS, _VALUES


def field_kinds(cls: type) -> list[tuple[str, int, Any]]:
    """(name, how it is built: PLAIN, RECORD, RECORDS or VALUES, its record type or None) for each field of ``cls``."""
    return [(name, how, sub) for name, how, sub, _default in _shape(cls)]


def _is_record(hint: object) -> bool:
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


def from_mapping(cls: type[T], raw: Mapping[str, Any], **given: Any) -> T:
    """A checked mapping (a fact file's record) as the record type ``cls``, nested records and all.

    Lists become tuples; a field the mapping leaves out takes its default (a list: empty);
    ``given`` fields come from elsewhere (the file's path, a source's text).
    """
    key = (cls, tuple(given))
    build = _BUILDERS.get(key) or _builder(cls, key[1])
    return build(raw, given)


_BUILDERS: dict[tuple[type, tuple[str, ...]], Callable[[Mapping[str, Any], dict], Any]] = {}


def _builder(cls: type, given: tuple[str, ...]) -> Callable[[Mapping[str, Any], dict], Any]:
    """``from_mapping`` for ``cls`` with the fields ``given``, as one function written out field by
    field (as ``namedtuple`` writes its own): 10,000 claims are built without asking each field how."""
    scope: dict[str, Any] = {"ABSENT": _ABSENT, "new": tuple.__new__, "cls": cls}
    lines = ["def build(raw, given):", "    get = raw.get"]
    for i, (name, how, sub, default) in enumerate(_shape(cls)):
        scope[f"d{i}"] = default
        if name in given:
            lines.append(f"    v{i} = tuple(given[{name!r}])" if how == _VALUES else f"    v{i} = given[{name!r}]")
            continue
        if how == _PLAIN:
            lines.append(f"    v{i} = get({name!r}, d{i})")
            continue
        if how in (_RECORD, _RECORDS):
            scope[f"b{i}"] = _BUILDERS.get((sub, ())) or _builder(sub, ())
        convert = {
            _RECORD: f"b{i}(v{i}, None)",
            _RECORDS: f"tuple([b{i}(x, None) for x in v{i}])",
            _VALUES: f"tuple(v{i})",
        }
        lines.append(f"    v{i} = get({name!r}, ABSENT)")
        lines.append(f"    v{i} = d{i} if v{i} is ABSENT else {convert[how]}")
    lines.append(f"    return new(cls, ({''.join(f'v{i}, ' for i in range(len(_shape(cls))))}))")
    exec("\n".join(lines), scope)  # noqa: S102 (the source is made here, from the record's own field names)
    build = _BUILDERS[(cls, given)] = scope["build"]
    return build


def to_plain(record: tuple) -> tuple:
    """``record`` with every nested record as a plain tuple, which ``marshal`` can store."""
    plain = _PLAINERS.get(type(record))
    if plain is not None:
        return plain(record)
    if _is_record(type(record)):
        return _plainer(type(record))(record)
    return tuple([to_plain(v) if isinstance(v, tuple) else v for v in record])


_PLAINERS: dict[type, Callable[[tuple], tuple]] = {}


def _plainer(cls: type) -> Callable[[tuple], tuple]:
    """``to_plain`` for the record type ``cls``, written out field by field like ``_builder``."""
    scope: dict[str, Any] = {"to_plain": to_plain}
    fields = []
    for i, (_name, how, sub, _default) in enumerate(_shape(cls)):
        if how in (_RECORD, _RECORDS):
            scope[f"p{i}"] = _PLAINERS.get(sub) or _plainer(sub)
        fields.append(
            f"r[{i}]"
            if how == _PLAIN
            else f"tuple(r[{i}])"
            if how == _VALUES
            else f"(None if r[{i}] is None else p{i}(r[{i}]))"
            if how == _RECORD
            else f"tuple([p{i}(x) for x in r[{i}]])"
        )
    exec(f"def plain(r):\n    return ({''.join(f + ', ' for f in fields)})", scope)  # noqa: S102 (as in _builder)
    plain = _PLAINERS[cls] = scope["plain"]
    return plain


def from_plain(cls: type[T], values: tuple, **given: Any) -> T:
    """The record ``to_plain`` gave ``values`` for, with ``given`` fields replaced.

    The first records of a type are built field by field; after ``WRITE_OUT_AFTER`` of them, by a
    function written out for the type (``_unplainer``): a streamed answer of 100,000 claims repays
    it at once, a short answer never pays for it.
    """
    key = (cls, tuple(given))
    build = _UNPLAINERS.get(key)
    if build is None:
        made = _MADE[key] = _MADE.get(key, 0) + 1
        if made <= WRITE_OUT_AFTER:
            return _from_plain_by_field(cls, values, given)
        build = _unplainer(cls, key[1])
    return build(values, given)


WRITE_OUT_AFTER = 50
_MADE: dict[tuple[type, tuple[str, ...]], int] = {}


def _from_plain_by_field(cls: type[T], values: tuple, given: dict[str, Any]) -> T:
    built = [
        given[name]
        if name in given
        else value
        if how == _PLAIN or how == _VALUES
        else from_plain(sub, value)
        if how == _RECORD
        else tuple([from_plain(sub, item) for item in value])
        for (name, how, sub, _), value in zip(_SHAPES.get(cls) or _shape(cls), values, strict=True)
    ]
    return cls._make(built)  # type: ignore[attr-defined]


_UNPLAINERS: dict[tuple[type, tuple[str, ...]], Callable[[tuple, dict], Any]] = {}


def _unplainer(cls: type, given: tuple[str, ...]) -> Callable[[tuple, dict], Any]:
    """``from_plain`` for ``cls`` with the fields ``given``, written out field by field like ``_builder``:
    a streamed answer builds 100,000 claims from the index with it."""
    scope: dict[str, Any] = {"new": tuple.__new__, "cls": cls}
    fields = []
    for i, (name, how, sub, _default) in enumerate(_shape(cls)):
        if name in given:
            fields.append(f"given[{name!r}]")
            continue
        if how in (_RECORD, _RECORDS):
            scope[f"u{i}"] = _UNPLAINERS.get((sub, ())) or _unplainer(sub, ())
        fields.append(
            f"v[{i}]"
            if how in (_PLAIN, _VALUES)
            else f"(None if v[{i}] is None else u{i}(v[{i}], None))"
            if how == _RECORD
            else f"tuple([u{i}(x, None) for x in v[{i}]])"
        )
    code = f"def unplain(v, given):\n    return new(cls, ({''.join(f + ', ' for f in fields)}))"
    exec(code, scope)  # noqa: S102 (as in _builder)
    unplain = _UNPLAINERS[(cls, given)] = scope["unplain"]
    return unplain


def _folded(text: str) -> str:
    """``text`` as names are compared: any case, and one Unicode spelling (a typed é matches a decomposed one).

    ASCII text is its own NFKC form: a typed id (``--actor pakistan``) does not load ``unicodedata``.
    """
    if text.isascii():
        return text.casefold()
    import unicodedata

    return unicodedata.normalize("NFKC", text).casefold()
