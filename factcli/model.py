"""The fact base as typed objects: claims, the actors who make them, and their sources.

The records are immutable ``NamedTuple``s: typed like dataclasses, but about seven
times cheaper to define, which counts for a command that must answer in a blink.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from typing import NamedTuple


class Figure(NamedTuple):
    value: int | float | None
    unit: str
    qualifier: str
    text: str
    measure: str | None = None


class Dispute(NamedTuple):
    by: str
    quote: str


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
    path: str = ""

    @property
    def disputed_by(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.by for d in self.disputes))


class Actor(NamedTuple):
    id: str
    name: str
    kind: str
    role: str | None = None
    aliases: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    path: str = ""


class Source(NamedTuple):
    id: str
    title: str
    sections: tuple[str, ...]
    text: str
    url: str | None = None
    publisher: str | None = None
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


class FactBase:
    """A validated fact base, with the relations between actors worked out."""

    def __init__(self, root: str, actors: dict[str, Actor], sources: dict[str, Source], claims: list[Claim]):
        self.root = root
        self.actors = actors
        self.sources = sources
        self.claims = sorted(claims, key=lambda c: c.id)
        self._children: dict[str, list[str]] = {}
        for actor in self.actors.values():
            for parent in actor.part_of:
                self._children.setdefault(parent, []).append(actor.id)

    def __repr__(self) -> str:
        return f"<FactBase {self.root}: {len(self.claims)} claims, {len(self.actors)} actors, {len(self.sources)} sources>"

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    def affiliations(self, actor_id: str) -> tuple[str, ...]:
        """Every actor ``actor_id`` is part of, transitively, nearest first."""
        return tuple(self._walk(actor_id, lambda a: self.actors[a].part_of if a in self.actors else ()))

    def members(self, actor_id: str) -> tuple[str, ...]:
        """Every actor that is part of ``actor_id``, transitively, nearest first."""
        return tuple(self._walk(actor_id, lambda a: self._children.get(a, ())))

    def children(self, actor_id: str) -> tuple[str, ...]:
        return tuple(self._children.get(actor_id, ()))

    @staticmethod
    def _walk(start: str, step) -> list[str]:
        seen, order, queue = {start}, [], deque([start])
        while queue:
            for nxt in step(queue.popleft()):
                if nxt not in seen:
                    seen.add(nxt)
                    order.append(nxt)
                    queue.append(nxt)
        return order

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
        return [a for a in self.actors.values() if wanted == _folded(a.name) or wanted in (_folded(x) for x in a.aliases)]

    def find_actor(self, name: str) -> Actor | None:
        """The one actor ``name`` names (see ``find_actors``); None when it names none, or several."""
        found = self.find_actors(name)
        return found[0] if len(found) == 1 else None

    def query(self, **filters) -> list[Claim]:
        """Claims matching the filters of ``factcli list`` (see ``factcli.query.Filters``)."""
        from factcli.query import Filters, select

        return select(self, Filters(**filters))

    def topics(self) -> list[str]:
        return sorted({t for c in self.claims for t in c.topics})


def _folded(text: str) -> str:
    """``text`` as names are compared: any case, and one Unicode spelling (a typed é matches a decomposed one)."""
    return unicodedata.normalize("NFKC", text).casefold()
