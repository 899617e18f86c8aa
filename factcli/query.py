"""Select claims from a fact base: the filters behind ``factcli list`` and ``factcli.query``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from factcli.model import Claim, FactBase
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


def resolve_actors(fb: FactBase, names: Iterable[str]) -> set[str]:
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


def select(fb: FactBase, filters: Filters = Filters()) -> list[Claim]:
    """The claims that pass every filter, sorted and limited."""
    actor_ids = resolve_actors(fb, filters.actors) if filters.actors else None
    topics = set(filters.topics)
    known = fb.topics() if topics else ()
    for topic in topics:
        if topic not in known:
            raise UnknownName("topic", topic, known)
    if filters.source is not None and filters.source not in fb.sources:
        raise UnknownName("source", filters.source, fb.sources)
    if filters.sort not in SORT_KEYS:
        raise UnknownName("sort key", filters.sort, SORT_KEYS)
    needle = fold(filters.search) if filters.search else None
    backend = getattr(fb, "select_claims", None)
    if backend is not None:  # a fact base answered from the index runs these same filters as SQL
        return backend(actor_ids, filters.disputed, topics, filters.source, needle, filters.has_figure, filters.sort, filters.limit)

    def wanted(claim: Claim) -> bool:
        return (
            (actor_ids is None or claim.claimant in actor_ids)
            and (filters.disputed is None or claim.disputed == filters.disputed)
            and (not topics or not topics.isdisjoint(claim.topics))
            and (filters.source is None or claim.source.id == filters.source)
            and (needle is None or needle in fold(claim.statement) or needle in fold(claim.source.quote))
            and (not filters.has_figure or bool(claim.figures))
        )

    claims = [c for c in fb.claims if wanted(c)]
    claims.sort(key=_sort_key(filters.sort))
    return claims[: filters.limit] if filters.limit is not None else claims


def _sort_key(name: str):
    return {
        "id": lambda c: c.id,
        "claimant": lambda c: (c.claimant, c.id),
        "source": lambda c: (c.source.id, c.source.section, c.id),
        "figures": lambda c: (-len(c.figures), c.id),
        "disputed": lambda c: (not c.disputed, c.id),
    }[name]
