"""The story across sources: every figure for one measure side by side, the figures that cannot
all be true, and the claims in the order they were made.

These are the library behind ``factcli compare``, ``factcli conflicts`` and ``factcli timeline``
(and ``fb.compare(measure)``, ``fb.conflicts()``, ``fb.timeline()``). They ask the fact base only
for what they show: ``compare`` and ``timeline`` for the claims a filter selects (SQL in the
index), ``conflicts`` for the pairs of figures that cannot both hold (found in SQL by the index's
``conflicts``, which this module's ``conflicts_among`` is held to). The interval arithmetic is
``factcli.intervals``'.

Pure and stdlib-only (no Rich, no YAML): ``--json`` answers import it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, TypeVar

from factcli.intervals import Interval, side_of, sides_in_conflict
from factcli.intervals import conflicts as disjoint_pairs
from factcli.model import Claim, FactBaseView, Figure
from factcli.query import EVERY_CLAIM, NO_FILTERS, Filters, select, selection

T = TypeVar("T")


class MeasuredFigure(NamedTuple):
    """A figure that names a measure, with the claim it is given in: what ``conflicts`` reads."""

    measure: str
    claim: str
    position: int  # among its claim's figures
    figure: Figure
    claimant: str
    source: str
    date: str | None  # the claim's (``FactBaseView.date_of``)

    @property
    def interval(self) -> Interval:
        return self.figure.interval()


def measured_figures(fb: FactBaseView, claims: Iterable[Claim]) -> list[MeasuredFigure]:
    """Every figure of ``claims`` that names a measure, by measure, then claim id, then position."""
    found = [
        MeasuredFigure(f.measure, c.id, i, f, c.claimant, c.source.id, fb.date_of(c))
        for c in claims
        for i, f in enumerate(c.figures)
        if f.measure
    ]
    found.sort(key=lambda m: (m.measure, m.claim, m.position))
    return found


def sides(fb: FactBaseView, actor_ids: Iterable[str]) -> dict[str, str]:
    """Each actor's side (the top of its ``part_of`` chain): three spokespeople of one ministry are one side."""
    return {a: side_of(a, {a: fb.affiliations(a)}) for a in set(actor_ids)}


# --- compare: one measure across every source ------------------------------------------------------


class ComparedFigure(NamedTuple):
    """One figure for the measure compared, and how it stands among the others."""

    claim: Claim
    figure: Figure
    interval: Interval
    side: str  # the claimant's top-level actor
    date: str | None  # the claim's: its ``as_of``, else its source's ``published``
    superseded: bool  # a later claim updates it (or the same claim in another source)
    in_conflict: bool  # it cannot be true together with some other standing figure


class Comparison(NamedTuple):
    """``factcli compare MEASURE``: every figure in order, each side's latest, and the verdict."""

    measure: str
    figures: list[ComparedFigure]  # in the order of the story (see ``story_order``)
    latest: dict[str, ComparedFigure]  # each side's last standing figure, by side, in the order first met
    conflicts: list[tuple[ComparedFigure, ComparedFigure]]  # the smallest groups that cannot all be true

    @property
    def consistent(self) -> bool:
        """Whether every standing figure can be true at once."""
        return not self.conflicts

    @property
    def sides(self) -> list[str]:
        """The sides giving a figure, each once, in the order first met: sides are counted, not speakers."""
        return list(dict.fromkeys(f.side for f in self.figures))

    def sides_in_conflict(self) -> list[tuple[str, str]]:
        """The pairs of sides whose figures cannot both be true (``(s, s)``: a side against itself)."""
        return sides_in_conflict(self.conflicts, lambda f: f.side)

    def latest_of(self, side: str) -> list[ComparedFigure]:
        """``side``'s latest figure, and the other standing figures its speakers give on that date that
        say something else: two spokespeople of one side on one day are both shown, not one at random."""
        last = self.latest.get(side)
        if last is None:
            return []
        found: dict[tuple[str, str], ComparedFigure] = {}
        for f in self.figures:
            if f.side == side and not f.superseded and f.date == last.date and f.claim.claimant != last.claim.claimant:
                found[f.claim.claimant, f.interval.describe()] = f
        said, others = {last.interval.describe()}, []
        for (_, value), f in found.items():
            if value not in said:
                said.add(value)
                others.append(f)
        return [*others, last]


def compare(fb: FactBaseView, measure: str) -> Comparison:
    """Every figure for ``measure`` across every source, in the order of the story.

    Superseded figures (a later claim of the same side updates them) are kept and marked, but
    the verdict and each side's latest figure are about the standing ones: a side revising two
    aircraft to three is not a disagreement. Raises ``factcli.query.UnknownName`` for a measure
    no figure gives.
    """
    claims = story_order(fb, _giving(fb, measure))
    side_of_actor = sides(fb, (c.claimant for c in claims))
    dropped = superseded(fb)
    figures = [
        ComparedFigure(c, f, f.interval(), side_of_actor[c.claimant], fb.date_of(c), c.id in dropped, False)
        for c in claims
        for f in c.figures
        if f.measure == measure
    ]
    standing = [i for i, f in enumerate(figures) if not f.superseded]
    pairs = disjoint_pairs(standing, lambda i: figures[i].interval)
    clashing = {i for pair in pairs for i in pair}
    figures = [f._replace(in_conflict=i in clashing) for i, f in enumerate(figures)]
    latest: dict[str, ComparedFigure] = {}
    for i in standing:
        latest[figures[i].side] = figures[i]
    latest = {side: latest[side] for side in dict.fromkeys(f.side for f in figures) if side in latest}
    return Comparison(measure, figures, latest, [(figures[i], figures[j]) for i, j in pairs])


def _giving(fb: FactBaseView, measure: str) -> list[Claim]:
    """The claims giving a figure for ``measure``: asked for by the measure alone, and the measure
    checked (``UnknownName``) only when no claim gives it, as the list of measures is long."""
    claims = fb.select_claims(EVERY_CLAIM._replace(measure=measure))
    if not claims:
        selection(fb, Filters(measure=measure))
    return claims


# --- conflicts: every measure whose figures cannot all hold -----------------------------------------


class Conflict(NamedTuple):
    """A measure whose figures cannot all be true, as its smallest groups that cannot hold together.

    On one number line figures that meet two by two all meet at once (Helly's theorem), so each
    smallest group is a pair: ``groups`` holds them as indexes into ``figures``, which lists each
    figure of some group once, by claim id and position.
    """

    measure: str
    figures: list[MeasuredFigure]
    groups: list[tuple[int, int]]

    @property
    def claims(self) -> list[str]:
        """The ids of the claims involved, each once."""
        return list(dict.fromkeys(f.claim for f in self.figures))


def conflicts_among(figures: Sequence[MeasuredFigure]) -> list[Conflict]:
    """The conflicts of ``figures`` (sorted as ``measured_figures`` sorts them), measure by measure.

    What a fact base held in memory answers ``fb.conflicts()`` with; the index answers in SQL.
    """
    found: list[Conflict] = []
    for measure, group in _by_measure(figures):
        pairs = disjoint_pairs(group, lambda m: m.interval)
        if pairs:
            found.append(grouped(measure, pairs))
    return found


def grouped(measure: str, pairs: Sequence[tuple[MeasuredFigure, MeasuredFigure]]) -> Conflict:
    """One measure's disjoint ``pairs`` (in order) as a ``Conflict``, each figure listed once."""
    involved = sorted({f for pair in pairs for f in pair}, key=lambda m: (m.claim, m.position))
    place = {(f.claim, f.position): i for i, f in enumerate(involved)}
    groups = [(place[a.claim, a.position], place[b.claim, b.position]) for a, b in pairs]
    return Conflict(measure, involved, groups)


def _by_measure(figures: Sequence[MeasuredFigure]) -> list[tuple[str, list[MeasuredFigure]]]:
    groups: dict[str, list[MeasuredFigure]] = {}
    for each in figures:
        groups.setdefault(each.measure, []).append(each)
    return sorted(groups.items())


# --- re-reports: one disagreement told by several sources -------------------------------------------


def same_claims(fb: FactBaseView) -> dict[str, str]:
    """Each claim that ``matches`` another, mapped to the least id of all the claims it is the same as
    (matches taken both ways and through each other); a claim matching none is not listed."""
    matches = fb.links().matches
    found: dict[str, str] = {}
    for start in matches:
        if start in found:
            continue
        group, todo = {start}, [start]
        while todo:
            for other in matches.get(todo.pop(), ()):
                if other not in group:
                    group.add(other)
                    todo.append(other)
        first = min(group)
        found.update(dict.fromkeys(group, first))
    return found


def re_reported(
    pairs: Sequence[tuple[T, T]],
    claim_of: Callable[[T], str],
    interval_of: Callable[[T], Interval],
    same: Mapping[str, str],
) -> list[list[tuple[T, T]]]:
    """``pairs`` of disjoint figures, those that are the same two claims as another pair (by ``same``,
    from ``same_claims``, and the same values) gathered: each group is one disagreement, first as the
    first pair tells it, then as other sources report it again. Each pair gives its lower figure
    first, so no pair flips between one source and the next."""

    known: dict[T, tuple[tuple[str, str], float]] = {}

    def told(figure: T) -> tuple[tuple[str, str], float]:
        """The figure's claim (the least of the same) and values said, and its low end: worked out
        once, as a figure disjoint from many others is in a pair with each."""
        found = known.get(figure)
        if found is None:
            claim, interval = claim_of(figure), interval_of(figure)
            low = -math.inf if interval.low is None else interval.low
            found = known[figure] = ((same.get(claim, claim), interval.describe()), low)
        return found

    groups: dict[frozenset[tuple[str, str]], list[tuple[T, T]]] = {}
    for a, b in pairs:
        (key_a, low_a), (key_b, low_b) = told(a), told(b)
        groups.setdefault(frozenset((key_a, key_b)), []).append((a, b) if low_a <= low_b else (b, a))
    return list(groups.values())


# --- timeline: the claims in the order they were made ------------------------------------------------


class Timeline(NamedTuple):
    """``factcli timeline``: claims in the order of the story, their dates, and the update chains."""

    claims: list[Claim]
    dates: dict[str, str | None]  # each claim's date (``FactBaseView.date_of``), by id
    chains: list[list[Claim]]  # each chain of updates touching the claims shown, earliest first
    superseded: frozenset[str]  # the claims a later claim updates (see ``superseded``)


def timeline(fb: FactBaseView, filters: Filters = NO_FILTERS) -> Timeline:
    """The claims ``filters`` select (``sort`` and ``limit`` aside), in the order of the story.

    Each chain of updates (``two, then three, then five``) that holds a claim shown is given
    whole, its other claims read as well.
    """
    from factcli.intervals import chains

    limit = filters.limit
    claims = story_order(fb, select(fb, filters._replace(sort="id", limit=None)))
    if limit is not None:
        claims = claims[:limit]
    shown = {c.id: c for c in claims}
    later = fb.links().updated_by
    touching = [
        chain for chain in chains({new: old for old, new in later.items()}) if not shown.keys().isdisjoint(chain)
    ]
    missing = {cid for chain in touching for cid in chain if cid not in shown}
    known = {**shown, **{cid: claim for cid in missing if (claim := fb.claim(cid)) is not None}}
    return Timeline(
        claims,
        {c.id: fb.date_of(c) for c in claims},
        [[known[cid] for cid in chain] for chain in touching],
        frozenset(superseded(fb)),
    )


def story_order(fb: FactBaseView, claims: Sequence[Claim]) -> list[Claim]:
    """``claims`` in the order of the story: by date (``as_of``, else the source's ``published``),
    then by source, then where the quote stands in the source's text; claims with no date last.

    A claim's place in its source is the first character of its quote in the text, so claims
    of one article with no time of their own come in the order the article tells them.
    """
    keys: dict[str, tuple] = {}
    for claim in claims:
        source = fb.sources[claim.source.id]
        keys[claim.id] = (
            date_key(fb.date_of(claim)),
            date_key(source.published),
            claim.source.id,
            source.text.find(claim.source.quote),
            claim.id,
        )
    return sorted(claims, key=lambda c: keys[c.id])


def date_key(date: str | None) -> tuple[int, str]:
    """An ISO 8601 date or date-time as a sort key (``factcli.dates.sort_key``: a day before any
    time of that day, a time by its UTC instant); no date at all sorts after every date."""
    from factcli.dates import sort_key

    return (1, "") if date is None else (0, sort_key(date))


def superseded(fb: FactBaseView) -> set[str]:
    """The claims a later claim updates, with every claim that matches one (the same claim in
    another source is revised with it): they are shown, marked, but left out of a verdict."""
    links = fb.links()
    found = set(links.updated_by)
    todo = list(found)
    while todo:
        for same in links.matches.get(todo.pop(), ()):
            if same not in found:
                found.add(same)
                todo.append(same)
    return found


# --- measures: what the figures count, and how much each is used ----------------------------------


class MeasureUse(NamedTuple):
    """A measure (``factcli measures``): the registry's words for it, and the figures that give it."""

    id: str
    name: str | None  # None: figures name it but the fact base keeps no registry (version 1's free measures)
    unit: str | None
    description: str | None
    figures: int
    claims: int
    sides: tuple[str, ...]  # the sides (top-level actors) giving a figure for it, by id


def measure_uses(
    fb: FactBaseView, counts: Mapping[str, tuple[int, int]], claimants: Iterable[tuple[str, str]]
) -> list[MeasureUse]:
    """Every measure in the registry's order (then any only figures name, by id), with ``counts``
    ((figures, claims) by measure) and the sides of the (measure, claimant) pairs in ``claimants``."""
    side_sets: dict[str, set[str]] = {}
    for measure, claimant in claimants:
        side_sets.setdefault(measure, set()).add(side_of(claimant, {claimant: fb.affiliations(claimant)}))
    registry = fb.measures
    ids = [*registry, *sorted(m for m in counts if m not in registry)]
    return [
        MeasureUse(
            measure_id,
            registry[measure_id].name if measure_id in registry else None,
            registry[measure_id].unit if measure_id in registry else None,
            registry[measure_id].description if measure_id in registry else None,
            *counts.get(measure_id, (0, 0)),
            tuple(sorted(side_sets.get(measure_id, ()))),
        )
        for measure_id in ids
    ]
