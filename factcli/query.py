"""Select claims from a fact base: the filters behind ``factcli list`` and ``factcli.query``.

``Filters`` and ``Selection`` are annotated with types, not strings, as ``factcli.model``'s records are.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from factcli.model import Claim, FactBaseView
from factcli.suggest import did_you_mean
from factcli.terminal import escape_line

if TYPE_CHECKING:  # pragma: no cover (dates are read only when --since or --until asks)
    from factcli.dates import Span

SORT_KEYS = ("id", "claimant", "source", "figures", "disputed", "date")


# Sources mix straight and curly quotes ("Pakistan's", "country’s"): a search must find both.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"'})


def fold(text: str) -> str:
    """Text as ``--search`` compares it: any case, curly quotes as straight ones."""
    folded = text.casefold()
    return folded if folded.isascii() else folded.translate(_QUOTES)  # (the curly quotes are not ASCII)


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


class BadDate(UnknownName):
    """``--since`` or ``--until`` given something other than an ISO 8601 date or date-time."""

    def __init__(self, what: str, text: str):
        ValueError.__init__(
            self,
            escape_line(
                f"{text!r} is not an ISO 8601 date or date-time (for example 2025-05-07 or 2025-05-07T14:30:00+05:00)"
            ),
        )
        self.what, self.name = what, text


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
    measure: str | None = None  # claims giving a figure for this measure
    disputed_by: Sequence[str] = ()  # claims disputed by these actors, or anyone part of them
    about: Sequence[str] = ()  # claims about these actors, or anyone part of them
    unverified: bool = False  # only claims someone says could not be verified
    since: str | None = None  # only claims dated (as_of, else the source's published) on or after this
    until: str | None = None  # ... on or before this
    latest: bool = False  # leave out claims a later claim updates (``story.superseded``)


def resolve_actors(fb: FactBaseView, names: Iterable[str], what: str = "actor") -> set[str]:
    """Actor ids matching ``names`` (id, name or alias, any case), with every actor part of them.

    ``what`` names the filter in an error (``disputing actor`` for ``--disputed-by``).
    """
    ids: set[str] = set()
    for name in names:
        found = fb.find_actors(name)
        if not found:
            choices = [a.id for a in fb.actors.values()] + [a.name for a in fb.actors.values()]
            raise UnknownName(what, name, choices)
        if len(found) > 1:
            raise AmbiguousName(what, name, [a.id for a in found])
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
    measure: str | None = None
    disputer_ids: frozenset[str] | None = None  # the disputers named and everyone part of them; None: any
    about_ids: frozenset[str] | None = None  # the actors named by --about and everyone part of them
    unverified: bool = False
    since: "Span | None" = None
    until: "Span | None" = None
    superseded: frozenset[str] | None = None  # with --latest, the claims to leave out


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
    if filters.measure is not None and filters.measure not in (
        known_measures := list(fb.measures) or fb.figure_measures()
    ):
        raise UnknownName("measure", filters.measure, known_measures)
    disputer_ids = (
        frozenset(resolve_actors(fb, filters.disputed_by, "disputing actor")) if filters.disputed_by else None
    )
    about_ids = frozenset(resolve_actors(fb, filters.about, "actor it is about")) if filters.about else None
    since = _span("since", filters.since)
    until = _span("until", filters.until)
    superseded = None
    if filters.latest:
        from factcli.story import superseded as superseded_in

        superseded = frozenset(superseded_in(fb))
    return Selection(
        actor_ids,
        filters.disputed,
        topics,
        filters.source,
        needle,
        filters.has_figure,
        filters.sort,
        filters.limit,
        filters.measure,
        disputer_ids,
        about_ids,
        filters.unverified,
        since,
        until,
        superseded,
    )


EVERY_CLAIM = Selection(None, None, frozenset(), None, None, False, "id", None)
DISPUTED_CLAIMS = EVERY_CLAIM._replace(disputed=True)


def _span(what: str, text: str | None) -> "Span | None":
    if text is None:
        return None
    from factcli.dates import span

    try:
        return span(text)
    except ValueError:
        raise BadDate(what, text) from None


def filter_claims(
    claims: Iterable[Claim], selection: Selection, date_of: Callable[[Claim], str | None] | None = None
) -> list[Claim]:
    """The claims passing ``selection``, sorted and limited: a fact base held in memory answers with this.

    ``date_of`` gives a claim's date (``FactBaseView.date_of``), for ``since`` and ``until``.
    """
    actor_ids, disputed, topics, source, needle, has_figure, sort, limit, measure, disputer_ids = selection[:10]
    about_ids, unverified, since, until, superseded = selection[10:]
    if since is not None or until is not None:
        from factcli.dates import within as dated

    def wanted(claim: Claim) -> bool:
        return (
            (actor_ids is None or claim.claimant in actor_ids)
            and (measure is None or any(f.measure == measure for f in claim.figures))
            and (disputer_ids is None or not disputer_ids.isdisjoint(claim.disputed_by))
            and (about_ids is None or not about_ids.isdisjoint(claim.about))
            and (not unverified or bool(claim.unverified))
            and (superseded is None or claim.id not in superseded)
            and (since is None and until is None or date_of is not None and dated(date_of(claim), since, until))
            and (disputed is None or claim.disputed == disputed)
            and (not topics or not topics.isdisjoint(claim.topics))
            and (source is None or claim.source.id == source)
            and (needle is None or needle in fold(claim.statement) or needle in fold(claim.source.quote))
            and (not has_figure or bool(claim.figures))
        )

    found = [c for c in claims if wanted(c)]
    found.sort(key=lambda c: SORT_ORDER[sort](c, date_of))
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
    "draft": lambda c: (1,) if c.draft else (),  # never filtered on: every answer leaves drafts out
    # One row, not two: the statement and the quote joined by TEXT_JOIN, which a search for text
    # without it cannot match across (and a search with it is answered without the index).
    "text": lambda c: (f"{fold(c.statement)}{TEXT_JOIN}{fold(c.source.quote)}",),
    # What the index checks again when something else changes: the actors a claim names, the
    # measures its figures count, the other claims it names, the other sources its reactions cite.
    "about": lambda c: c.about,
    "confirmer": lambda c: c.confirmed_by,
    "unverifier": lambda c: c.unverified_by,
    "measure": lambda c: {f.measure: None for f in c.figures if f.measure is not None},
    # ``figures --json``: the claims giving a figure that names no measure (each is a group of its own).
    "unmeasured": lambda c: (1,) if any(f.measure is None for f in c.figures) else (),
    "updates": lambda c: (c.updates,) if c.updates is not None else (),
    "matches": lambda c: c.matches,
    "cites": lambda c: {r.source: None for _, _, r in c.reactions() if r.source is not None},
    # ``--sort date``: the claim's own date as a key in time order (``dates.sort_key``); a claim
    # without one takes its source's published date, which the index looks up per source.
    "as_of": lambda c: (date_key(c.as_of),) if c.as_of is not None else (),
}


def date_key(date: str) -> str:
    """``dates.sort_key``, or the text as written for a date ``validate`` refuses (the index still holds it)."""
    from factcli.dates import sort_key

    try:
        return sort_key(date)
    except ValueError:
        return date


DateOf = Callable[[Claim], "str | None"]


def _by_date(claim: Claim, date_of: DateOf | None) -> tuple:
    """A claim's date (``as_of``, else its source's ``published``) in time order, undated last, then its id."""
    date = date_of(claim) if date_of is not None else claim.as_of
    return ((1, "") if date is None else (0, date_key(date))), claim.id


# Each key takes the claim and ``date_of`` (``FactBaseView.date_of``), which only ``date`` asks.
SORT_ORDER: dict[str, Callable[[Claim, DateOf | None], Any]] = {
    "id": lambda c, _: c.id,
    "claimant": lambda c, _: (c.claimant, c.id),
    "source": lambda c, _: (c.source.id, c.source.section, c.id),
    "figures": lambda c, _: (-len(c.figures), c.id),
    "disputed": lambda c, _: (not c.disputed, c.id),
    "date": _by_date,
}
