"""Select claims from a fact base: the filters behind ``factcli list`` and ``factcli.query``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from factcli.model import Claim, FactBaseView
from factcli.suggest import did_you_mean
from factcli.terminal import escape_line

SORT_KEYS = ("id", "claimant", "source", "figures", "disputed")


# Sources mix straight and curly quotes ("Pakistan's", "country’s"): a search must find both.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"'})


def fold(text: str) -> str:
    """Text as ``--search`` compares it: any case, curly quotes as straight ones."""
    return text.casefold().translate(_QUOTES)


class UnknownName(ValueError):
    """A filter named an actor, topic or source the fact base does not have.

    The message echoes the fact base's own names (an actor's name is any text a shared
    file holds), so it is escaped here, once, for every caller that prints it.
    """

    def __init__(self, what: str, name: str, choices: Iterable[str]):
        self.what, self.name = what, name
        choices = list(choices)
        hint = did_you_mean(name, choices) or (f"one of: {', '.join(choices)}" if len(choices) <= 8 else "")
        super().__init__(escape_line(f"unknown {what} {name!r}" + (f"; {hint}" if hint else "")))


class AmbiguousName(UnknownName):
    """A filter named an actor by a name or alias several actors share: the user picks one by id."""

    def __init__(self, what: str, name: str, matches: Iterable[str]):
        ValueError.__init__(self, escape_line(f"{name!r} names {what}s {', '.join(matches)}: give one of their ids"))
        self.what, self.name = what, name


class Filters(NamedTuple):
    """What ``factcli list`` can ask for; every field narrows the selection, all combinable."""

    actors: Sequence[str] = ()
    disputed: bool | None = None
    topics: Sequence[str] = ()
    source: str | None = None
    search: str | None = None
    has_figure: bool = False
    sort: str = "id"
    limit: int | None = None


def resolve_actors(fb: FactBaseView, names: Iterable[str]) -> set[str]:
    """Actor ids matching ``names`` (id, name or alias, any case), with every actor part of them."""
    ids: set[str] = set()
    for name in names:
        found = fb.find_actors(name)
        if not found:
            choices = [a.id for a in fb.actors.values()] + [a.name for a in fb.actors.values()]
            raise UnknownName("actor", name, choices)
        if len(found) > 1:
            raise AmbiguousName("actor", name, [a.id for a in found])
        actor = found[0]
        ids.add(actor.id)
        ids.update(fb.members(actor.id))
    return ids


NO_FILTERS = Filters()


class Selection(NamedTuple):
    """``Filters`` checked against a fact base and ready to run: what ``FactBaseView.select_claims`` takes."""

    actor_ids: frozenset[str] | None  # the actors named and everyone part of them; None: any
    disputed: bool | None
    topics: frozenset[str]  # any of them; empty: any topic
    source: str | None
    needle: str | None  # the search text, folded
    has_figure: bool
    sort: str
    limit: int | None


def select(fb: FactBaseView, filters: Filters = NO_FILTERS) -> list[Claim]:
    """The claims that pass every filter, sorted and limited."""
    return fb.select_claims(selection(fb, filters))


def selection(fb: FactBaseView, filters: Filters) -> Selection:
    """``filters`` checked against ``fb``: ``UnknownName`` for an actor, topic, source or sort key it lacks."""
    actor_ids = frozenset(resolve_actors(fb, filters.actors)) if filters.actors else None
    topics = frozenset(filters.topics)
    known = fb.topics() if topics else ()
    for topic in topics:
        if topic not in known:
            raise UnknownName("topic", topic, known)
    if filters.source is not None and filters.source not in fb.sources:
        raise UnknownName("source", filters.source, fb.sources)
    if filters.sort not in SORT_KEYS:
        raise UnknownName("sort key", filters.sort, SORT_KEYS)
    needle = fold(filters.search) if filters.search else None
    return Selection(
        actor_ids, filters.disputed, topics, filters.source, needle, filters.has_figure, filters.sort, filters.limit
    )


EVERY_CLAIM = Selection(None, None, frozenset(), None, None, False, "id", None)
DISPUTED_CLAIMS = EVERY_CLAIM._replace(disputed=True)


def filter_claims(claims: Iterable[Claim], selection: Selection) -> list[Claim]:
    """The claims passing ``selection``, sorted and limited: a fact base held in memory answers with this."""
    actor_ids, disputed, topics, source, needle, has_figure, sort, limit = selection

    def wanted(claim: Claim) -> bool:
        return (
            (actor_ids is None or claim.claimant in actor_ids)
            and (disputed is None or claim.disputed == disputed)
            and (not topics or not topics.isdisjoint(claim.topics))
            and (source is None or claim.source.id == source)
            and (needle is None or needle in fold(claim.statement) or needle in fold(claim.source.quote))
            and (not has_figure or bool(claim.figures))
        )

    found = [c for c in claims if wanted(c)]
    found.sort(key=SORT_ORDER[sort])
    return found[:limit] if limit is not None else found


TEXT_JOIN = "\x1f"  # (a control character: SQLite's text functions stop at a NUL)

# The values claims are filtered and sorted on, by name: the index keeps one (facet, value, claim)
# row for each, so filtering on something new is one more entry here, not a new column. A yes/no
# or a count is kept only when not 0 (most claims are undisputed): a claim without the row has 0.
FACETS: dict[str, Callable[[Claim], Iterable[object]]] = {
    "claimant": lambda c: (c.claimant,),
    "disputer": lambda c: c.disputed_by,
    "disputed": lambda c: (1,) if c.disputed else (),
    "topic": lambda c: c.topics,
    "source": lambda c: (c.source.id,),
    "section": lambda c: (c.source.section,),
    "figures": lambda c: (len(c.figures),) if c.figures else (),
    # One row, not two: the statement and the quote joined by TEXT_JOIN, which a search for text
    # without it cannot match across (and a search with it is answered without the index).
    "text": lambda c: (f"{fold(c.statement)}{TEXT_JOIN}{fold(c.source.quote)}",),
    # What the index checks again when something else changes: the actors a claim names, the
    # measures its figures count, the other claims it names, the other sources its reactions cite.
    "about": lambda c: c.about,
    "confirmer": lambda c: c.confirmed_by,
    "unverifier": lambda c: c.unverified_by,
    "measure": lambda c: {f.measure: None for f in c.figures if f.measure is not None},
    "updates": lambda c: (c.updates,) if c.updates is not None else (),
    "matches": lambda c: c.matches,
    "cites": lambda c: {r.source: None for _, _, r in c.reactions() if r.source is not None},
}

SORT_ORDER: dict[str, Callable[[Claim], Any]] = {
    "id": lambda c: c.id,
    "claimant": lambda c: (c.claimant, c.id),
    "source": lambda c: (c.source.id, c.source.section, c.id),
    "figures": lambda c: (-len(c.figures), c.id),
    "disputed": lambda c: (not c.disputed, c.id),
}
