"""The fact base answered from the index: the same answers as the loader's, without reading every claim."""

from __future__ import annotations

import json
import marshal
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcli.index.store import (
    ACTOR_SQL,
    ANSWERS_EPOCH,
    CLAIM_COLUMNS,
    FIGURE_COLUMNS,
    LINK_FACETS,
    MEASURE_SQL,
    PUBLISHED_KEY,
    SORT_SQL,
    SOURCE_SQL,
    Answers,
    actor_from_row,
    claim_from_row,
    measure_from_row,
    measured_figure_from_row,
    source_from_row,
)
from factcli.model import Actor, Claim, FactBaseView, Figure, Links, Measure, Source, links_of
from factcli.query import TEXT_JOIN, filter_claims

if TYPE_CHECKING:  # pragma: no cover
    from factcli.index.connection import Index
    from factcli.jsonstream import Encoded
    from factcli.query import Selection
    from factcli.story import Conflict, MeasuredFigure, MeasureUse


# Two figures of a measure cannot both hold when one lies wholly left of the other: its high end
# below the other's low end, or at it with either end open. Pairs come as ``intervals.conflicts``
# gives them: the first by (claim id, position), then the second, within each measure (sorted),
# each second figure found by a range of the primary key. The parameter is the superseded claims
# (a JSON array), whose figures take no part; when there are none, no figure is looked up in it.
DISJOINT_PAIRS = """
    SELECT a.measure, a.claim_id AS a_claim, a.pos AS a_pos, b.claim_id AS b_claim, b.pos AS b_pos
    FROM figures AS a JOIN figures AS b ON b.measure = a.measure AND (b.claim_id, b.pos) > (a.claim_id, a.pos)
    WHERE ((a.high < b.low OR (a.high = b.low AND (a.high_open OR b.low_open)))
       OR (b.high < a.low OR (b.high = a.low AND (b.high_open OR a.low_open))))
      AND (?1 = '[]' OR (a.claim_id NOT IN (SELECT value FROM json_each(?1))
                         AND b.claim_id NOT IN (SELECT value FROM json_each(?1))))"""
DISJOINT_PAIRS_SQL = DISJOINT_PAIRS + " ORDER BY a.measure, a.claim_id, a.pos, b.claim_id, b.pos"
FIGURE_SQL = f"SELECT {FIGURE_COLUMNS} FROM figures"


def path_namer(root: str) -> Callable[[str], str]:
    """``rel -> name``: the path the loader would show for ``root/rel`` (``validate.display_name``)."""
    base = str(Path(root))
    if not os.path.isabs(base):
        return lambda rel: f"{base}/{rel}" if base != "." else rel
    cwd = os.getcwd()
    prefix = cwd.rstrip("/") + "/"

    def name(rel: str) -> str:
        full = f"{base.rstrip('/')}/{rel}"
        return full.removeprefix(prefix)

    return name


class StoredSources(Mapping[str, Source]):
    """The sources, read from the index on first use (membership alone is one query)."""

    def __init__(self, conn: sqlite3.Connection, name: Callable[[str], str]):
        self._conn, self._name = conn, name
        self._loaded: dict[str, Source] | None = None
        self._read: dict[str, Source] = {}

    def _all(self) -> dict[str, Source]:
        if self._loaded is None:
            rows = self._conn.execute(SOURCE_SQL + " ORDER BY pos")
            self._loaded = {s.id: s for s in (source_from_row(row, self._name) for row in rows)}
        return self._loaded

    def __contains__(self, key: object) -> bool:
        if self._loaded is not None:
            return key in self._loaded
        return self._conn.execute("SELECT 1 FROM sources WHERE id = ?", (key,)).fetchone() is not None

    def __getitem__(self, key: str) -> Source:
        if self._loaded is None:  # a claim's source (``show``, ``timeline``): its row alone, read once
            found = self._read.get(key)
            if found is None:
                row = self._conn.execute(SOURCE_SQL + " WHERE id = ?", (key,)).fetchone()
                if row is None:
                    raise KeyError(key)
                found = self._read[key] = source_from_row(row, self._name)
            return found
        return self._loaded[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def copy(self) -> dict[str, Source]:
        """A plain dict of the sources, as ``dict.copy`` gives for a fact base held in memory."""
        return dict(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


# Every answer leaves out the claims `factcli draft` proposed and no one has reviewed (FactBaseView.drafts).
DRAFT_IDS = "SELECT claim_id FROM facets WHERE facet = 'draft'"
REVIEWED = f"id NOT IN ({DRAFT_IDS})"
# (A facet's rows are read by its key, the claims' drafts left out by id: never "claim_id IN
# (SELECT id FROM claims ...)", which makes SQLite walk every claim to find a handful of rows.)
DRAFTS_SQL = f"SELECT {CLAIM_COLUMNS} FROM claims WHERE id IN ({DRAFT_IDS}) ORDER BY id"
LINKS_SQL = (  # the (claim, facet, claim) rows of ``LINK_FACETS``, for ``links_of``
    f"SELECT claim_id, facet, value FROM facets WHERE facet IN (?, ?) AND claim_id NOT IN ({DRAFT_IDS})"
    " ORDER BY claim_id, facet, value"
)


class IndexedFactBase(FactBaseView):
    """A fact base answered from the index: the same answers as ``FactBase``, without reading every claim.

    Actors are read at once (a few hundred at most); sources and the full claim
    list only when something asks for them; ``select_claims`` runs as SQL.
    """

    def __init__(self, index: Index, conn: sqlite3.Connection):
        self._index, self._conn = index, conn
        self._name = path_namer(index.root_str)
        self.root = index.root_str
        self._actors = {a.id: a for a in (actor_from_row(row, self._name) for row in conn.execute(ACTOR_SQL))}
        self._sources = StoredSources(conn, self._name)
        self._claims: list[Claim] | None = None
        self._affiliations: dict[str, tuple[str, ...]] = {}
        self._measures: dict[str, Measure] | None = None
        self._links: Links | None = None
        self._published_dates: dict[str, str | None] = {}
        self._generation: object = None
        self._epoch: int | None = None
        # (a function of the sources alone: one holding this fact base would keep it, and the
        # connection its __del__ closes, alive to the end, leaving the index's write-ahead log behind)
        conn.create_function(PUBLISHED_KEY, 1, published_key(self._sources), deterministic=True)

    @property
    def measures(self) -> dict[str, Measure]:
        if self._measures is None:
            rows = self._conn.execute(MEASURE_SQL)
            self._measures = {m.id: m for m in (measure_from_row(row, self._name) for row in rows)}
        return self._measures

    def links(self) -> Links:
        if self._links is None:
            rows = self._conn.execute(LINKS_SQL, LINK_FACETS)
            self._links = links_of(rows)
        return self._links

    @property
    def actors(self) -> dict[str, Actor]:
        return self._actors

    @property
    def sources(self) -> StoredSources:
        return self._sources

    def affiliations(self, actor_id: str) -> tuple[str, ...]:
        """As ``FactBaseView.affiliations``, worked out once per actor (JSON output asks once per claim)."""
        got = self._affiliations.get(actor_id)
        if got is None:
            got = self._affiliations[actor_id] = super().affiliations(actor_id)
        return got

    @property
    def claims(self) -> list[Claim]:
        if self._claims is None:
            self._claims = [
                claim_from_row(row, self._name)
                for row in self._conn.execute(f"SELECT {CLAIM_COLUMNS} FROM claims WHERE {REVIEWED} ORDER BY id")
            ]
        return self._claims

    def claim(self, claim_id: str) -> Claim | None:
        sql = f"SELECT {CLAIM_COLUMNS} FROM claims WHERE id = ? AND {REVIEWED}"
        row = self._conn.execute(sql, (claim_id,)).fetchone()
        return claim_from_row(row, self._name) if row else None

    def drafts(self) -> list[Claim]:
        return [claim_from_row(row, self._name) for row in self._conn.execute(DRAFTS_SQL)]

    def topics(self) -> list[str]:
        sql = "SELECT DISTINCT value FROM facets WHERE facet = 'topic' AND claim_id NOT IN "
        sql += "(SELECT claim_id FROM facets WHERE facet = 'draft') ORDER BY value"
        return [t for (t,) in self._conn.execute(sql)]

    def select_claims(self, selection: Selection) -> list[Claim]:
        """The filters of ``factcli.query.select``, already checked, run as SQL."""
        where = self._where(selection)
        if where is None:
            return filter_claims(self.claims, selection, self.date_of)
        if _dated(selection) or _from_end(selection):
            # A date may be its source's, checked on the rows SQL chose; a negative limit counts from the end.
            claims = list(self._claims_of(self._conn.execute(*_ordered(SELECT_CLAIMS, where, selection, limit=False))))
            if _dated(selection):
                from factcli.dates import within

                claims = [c for c in claims if within(self.date_of(c), selection.since, selection.until)]
            return claims if selection.limit is None else claims[: selection.limit]
        return list(self._claims_of(self._conn.execute(*_ordered(SELECT_CLAIMS, where, selection))))

    def iter_claims(self, selection: Selection) -> Iterator[Claim]:
        """``select_claims`` read row by row from SQLite: memory stays flat however many claims pass."""
        where = self._where(selection)
        if where is None or _dated(selection) or _from_end(selection):
            return iter(self.select_claims(selection))
        return self._claims_of(self._conn.execute(*_ordered(SELECT_CLAIMS, where, selection)))

    def claims_json(self, selection: Selection) -> Iterator[Encoded]:
        """As ``FactBaseView.claims_json``: the answers the index keeps (``store.SCHEMA``: a claim's
        ``json``), read in order; a claim without one is encoded now and remembered."""
        where = self._where(selection)
        if where is None or _dated(selection) or _from_end(selection):
            return super().claims_json(selection)
        select = SELECT_CLAIMS_JSON.format(epoch=self.answers_epoch())
        return self._claims_json(self._conn.execute(*_ordered(select, where, selection)))

    def _claims_json(self, rows: sqlite3.Cursor) -> Iterator[Encoded]:
        from factcli.jsonstream import Encoded

        fresh = _Encoder(self)
        while batch := rows.fetchmany(256):
            for text, claim_id, rel, record in batch:
                yield Encoded(text) if text is not None else fresh.claim(claim_id, rel, record)[0]
        fresh.remember()

    def figures_json(self, selection: Selection) -> Iterator[tuple[str | None, Encoded]]:
        """As ``FactBaseView.figures_json``, in that order from the figures table (by measure, then
        claim id and position) and the answers the index keeps, as ``claims_json``; then each figure
        that names no measure, from its claim's ``loose_json``."""
        # (--has-figure asks nothing more of the figures table, nor of claims giving a figure with no measure)
        where = self._where(selection._replace(has_figure=False))
        if where is None or _dated(selection) or selection.sort != "id" or selection.limit is not None:
            return super().figures_json(selection)
        return self._figures_json(where, selection.measure)

    def _figures_json(
        self, where: tuple[list[str], list[object]], only: str | None
    ) -> Iterator[tuple[str | None, Encoded]]:
        from factcli.jsonstream import Encoded

        conditions, args = where
        # The figures table holds no draft's: only the filters beyond that need the claims table.
        chosen = conditions[1:] if conditions[:1] == [REVIEWED] else conditions
        epoch = self.answers_epoch()
        sql = SELECT_FIGURES_JSON.format(epoch=epoch) + " WHERE 1"
        if chosen:
            sql += " AND claim_id IN (SELECT id FROM claims WHERE " + " AND ".join(chosen) + ")"
        if only is not None:  # --measure: the claims chosen give it, but their other figures are not asked for
            sql += " AND measure = ?"
            args = [*args, only]
        fresh = _Encoder(self)
        rows = self._conn.execute(sql + " ORDER BY measure, claim_id, pos", args)
        while batch := rows.fetchmany(256):
            for text, measure, claim_id, pos, rel, record in batch:
                yield measure, Encoded(text) if text is not None else fresh.figure(measure, claim_id, pos, rel, record)
        if only is None:
            loose = self._conn.execute(
                f"SELECT {LOOSE_JSON.format(epoch=epoch)} FROM claims WHERE "
                + " AND ".join([_UNMEASURED, *conditions])
                + " ORDER BY id",
                where[1],
            )
            for blob, claim_id, rel, record in _rows(loose):
                texts = marshal.loads(blob) if blob is not None else fresh.claim(claim_id, rel, record)[1]
                for text in texts:
                    yield None, Encoded(text)
        fresh.remember()

    def generation(self) -> object:
        """Which state of the index this fact base reads (``meta.built_ns``: every update writes a new one)."""
        if self._generation is None:
            self._read_state()
        return self._generation

    def answers_epoch(self) -> int:
        """The epoch a stored answer must hold for to be current (``store.SCHEMA``: ``answered``)."""
        if self._epoch is None:
            self._read_state()
        assert self._epoch is not None
        return self._epoch

    def _read_state(self) -> None:
        meta = dict(self._conn.execute("SELECT key, value FROM meta WHERE key IN ('built_ns', ?)", (ANSWERS_EPOCH,)))
        self._generation = meta.get("built_ns", "")
        self._epoch = int(meta.get(ANSWERS_EPOCH, 0))

    def count_claims(self, facet: str, selection: Selection | None = None) -> dict[Any, int]:
        """As ``FactBaseView.count_claims``, counted by SQLite from the facets table."""
        sql = f"SELECT value, count(*) FROM facets WHERE facet = ? AND claim_id NOT IN ({DRAFT_IDS})"
        args: list[object] = [facet]
        if selection is not None:
            where = self._where(selection)
            if where is None or _dated(selection) or _from_end(selection):
                return super().count_claims(facet, selection)
            chosen, chosen_args = _ordered("SELECT id FROM claims", where, selection)
            sql += f" AND claim_id IN ({chosen})"
            args += chosen_args
        return dict(self._conn.execute(sql + " GROUP BY value", args))

    def iter_figures(self, selection: Selection) -> Iterator[tuple[str | None, Claim, Figure]]:
        """As ``FactBaseView.iter_figures``, read in that order from the facets table (by measure,
        then claim id): each claim is built when its figures are written, never all at once."""
        where = self._where(selection)
        if where is None or _dated(selection) or selection.sort != "id" or selection.limit is not None:
            return super().iter_figures(selection)
        chosen = " AND claim_id IN (SELECT id FROM claims WHERE " + " AND ".join(where[0]) + ")"
        measured = self._conn.execute(
            f"SELECT f.value, c.{CLAIM_COLUMNS.replace(', ', ', c.')} FROM facets AS f JOIN claims AS c "
            f"ON c.id = f.claim_id WHERE f.facet = 'measure'{chosen} ORDER BY f.value, f.claim_id",
            where[1],
        )
        return self._figures_of(measured, where, selection.measure)

    def _figures_of(
        self, measured: sqlite3.Cursor, where: tuple[list[str], list[object]], only: str | None
    ) -> Iterator[tuple[str | None, Claim, Figure]]:
        for row in _rows(measured):
            measure = row[0]
            if only is not None and measure != only:
                continue  # --measure: the claims chosen give it, but their other figures are not asked for
            claim = claim_from_row(row[1:], self._name)
            for figure in claim.figures:
                if figure.measure == measure:
                    yield measure, claim, figure
        if only is not None:
            return
        conditions, args = where
        loose = self._conn.execute(
            f"{SELECT_CLAIMS} WHERE " + " AND ".join([_UNMEASURED, *conditions]) + " ORDER BY id", args
        )
        for claim in self._claims_of(loose):
            for figure in claim.figures:
                if not figure.measure:
                    yield None, claim, figure

    def _claims_of(self, cursor: sqlite3.Cursor) -> Iterator[Claim]:
        name = self._name
        for row in _rows(cursor):
            yield claim_from_row(row, name)

    def _where(self, selection: Selection) -> tuple[list[str], list[object]] | None:
        """The SQL conditions on ``claims.id`` and their arguments for ``selection``'s filters (its
        dates aside: see ``_dated``); None when SQL cannot answer it (a search holding ``TEXT_JOIN``:
        see ``query.FACETS``)."""
        actor_ids, disputed, topics, source, needle, has_figure, _sort, _limit, measure, disputer_ids = selection[:10]
        about_ids, unverified, _since, _until, superseded = selection[10:]
        where: list[str] = [REVIEWED]
        args: list[object] = []

        def facet(name: str, test: str, *values: object) -> None:
            where.append(f"id IN (SELECT claim_id FROM facets WHERE facet = '{name}' AND {test})")
            args.extend(values)

        if actor_ids is not None:
            facet("claimant", "value IN (SELECT value FROM json_each(?))", json.dumps(sorted(actor_ids)))
        if disputed is not None:
            if isinstance(disputed, (bool, int, float)) and disputed in (0, 1):
                facet("disputed", "value = 1")  # (kept only when disputed: see query.FACETS)
                if not disputed:
                    where[-1] = "NOT " + where[-1]
            else:
                where.append("0")  # nothing equals it, as in query.filter_claims
        if topics:
            facet("topic", "value IN (SELECT value FROM json_each(?))", json.dumps(sorted(topics)))
        if source is not None:
            facet("source", "value = ?", source)
        if needle is not None:
            if TEXT_JOIN in needle:  # it could match across the statement and the quote, joined in one row
                return None
            facet("text", "instr(value, ?) > 0", needle)
        if has_figure:
            facet("figures", "value > 0")
        if measure is not None:
            facet("measure", "value = ?", measure)
        if disputer_ids is not None:
            facet("disputer", "value IN (SELECT value FROM json_each(?))", json.dumps(sorted(disputer_ids)))
        if about_ids is not None:
            facet("about", "value IN (SELECT value FROM json_each(?))", json.dumps(sorted(about_ids)))
        if unverified:
            facet("unverifier", "1")
        if superseded:
            where.append("id NOT IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(sorted(superseded)))
        return where, args

    def figure_measures(self) -> list[str]:
        return [
            m for (m,) in self._conn.execute("SELECT DISTINCT value FROM facets WHERE facet = 'measure' ORDER BY value")
        ]

    def measured_figures(self) -> list[MeasuredFigure]:
        """As ``FactBaseView.measured_figures``, from the ``figures`` table without building a claim."""
        sql = f"{FIGURE_SQL} ORDER BY measure, claim_id, pos"
        return [measured_figure_from_row(row, self._published) for row in self._conn.execute(sql)]

    def measure_uses(self) -> list[MeasureUse]:
        """As ``FactBaseView.measure_uses``, counted in SQL from the ``figures`` table."""
        from factcli.story import measure_uses

        counts = {
            measure: (figures, claims)
            for measure, figures, claims in self._conn.execute(
                "SELECT measure, count(*), count(DISTINCT claim_id) FROM figures GROUP BY measure"
            )
        }
        claimants = self._conn.execute("SELECT DISTINCT measure, claimant FROM figures")
        return measure_uses(self, counts, claimants)

    def _published(self, source_id: str) -> str | None:
        """A source's published date, read once per source (a figure asks for its claim's date)."""
        known = self._published_dates
        if source_id not in known:
            known[source_id] = self.sources[source_id].published
        return known[source_id]

    def conflicts(self) -> list[Conflict]:
        """As ``FactBaseView.conflicts``: the disjoint pairs found in SQL, then only their figures built."""
        return list(self.iter_conflicts())

    def iter_conflicts(self) -> Iterator[Conflict]:
        """``conflicts`` one measure at a time: the pairs read as SQL finds them, by measure, beside
        the figures rows read in the same order (one snapshot: see ``Index.open``), and only the
        figures of some pair built. Memory holds one measure's figures, however many disagree."""
        from factcli.story import Conflict, superseded

        dropped = json.dumps(sorted(superseded(self)))
        pairs = groupby(_rows(self._conn.execute(DISJOINT_PAIRS_SQL, (dropped,))), key=itemgetter(0))
        measures = groupby(_rows(self._conn.execute(f"{FIGURE_SQL} ORDER BY measure, claim_id, pos")), itemgetter(0))
        for measure, found in pairs:
            ends = [(a, a_pos, b, b_pos) for _, a, a_pos, b, b_pos in found]
            rows = next(of for given, of in measures if given == measure)
            involved = {(a, a_pos) for a, a_pos, _, _ in ends} | {(b, b_pos) for _, _, b, b_pos in ends}
            chosen = [row for row in rows if (row[1], row[2]) in involved]  # by claim id, then position
            place = {(row[1], row[2]): i for i, row in enumerate(chosen)}
            groups = [(place[a, a_pos], place[b, b_pos]) for a, a_pos, b, b_pos in ends]
            yield Conflict(measure, [measured_figure_from_row(row, self._published) for row in chosen], groups)

    def __del__(self) -> None:
        index = getattr(self, "_index", None)  # (none when __init__ did not get that far)
        if index is not None:
            try:
                index.close()  # this fact base's connection and ``remember``'s
            except Exception:  # noqa: BLE001, S110 (at interpreter exit even sqlite3's names may be gone)
                pass


SELECT_CLAIMS = f"SELECT {CLAIM_COLUMNS} FROM claims"
# A stored answer of the current epoch ({epoch}: ``store.SCHEMA``), or (when there is none) what it is
# encoded from: only the answer is read where there is one.
_ANSWER = "CASE WHEN answered = {epoch} THEN json END"
_ELSE = "CASE WHEN answered IS NOT {epoch} THEN {x} END"
_UNANSWERED = ", ".join(_ELSE.replace("{x}", x) for x in ("claims.id", "rel", "record"))
SELECT_CLAIMS_JSON = f"SELECT {_ANSWER}, {_UNANSWERED} FROM claims"
LOOSE_JSON = f"CASE WHEN answered = {{epoch}} THEN loose_json END, {_UNANSWERED}"
_CLAIM_OF_FIGURE = "(SELECT {} FROM claims WHERE claims.id = figures.claim_id)"
SELECT_FIGURES_JSON = (
    f"SELECT {_ANSWER}, measure, claim_id, pos, {_ELSE.replace('{x}', _CLAIM_OF_FIGURE.format('rel'))},"
    f" {_ELSE.replace('{x}', _CLAIM_OF_FIGURE.format('record'))} FROM figures"
)


class _Encoder:
    """Answers the index keeps none of yet: encoded as ``contract`` writes them, and handed to
    ``Index.remember`` a batch at a time, so the next command reads them instead."""

    BATCH = 1000

    def __init__(self, fb: IndexedFactBase):
        from factcli.contract import claim_object, figure_object
        from factcli.jsonstream import encode

        self._fb = fb
        self._answers = Answers([], [])
        self._storing = True
        self._claim_object, self._figure_object, self._encode = claim_object, figure_object, encode

    def claim(self, claim_id: str, rel: str, record: bytes) -> tuple[Encoded, list[Encoded]]:
        """The claim's answer, and those of its figures with no measure (for ``figures_json``)."""
        fb, encode, figure_object = self._fb, self._encode, self._figure_object
        claim = claim_from_row((claim_id, rel, record), fb._name)
        text = encode(self._claim_object(fb, claim))
        loose = [encode(figure_object(fb, claim, f)) for f in claim.figures if not f.measure]
        self._keep(self._answers.claims, (text, marshal.dumps([str(t) for t in loose]), claim_id))
        return text, loose

    def figure(self, measure: str, claim_id: str, pos: int, rel: str, record: bytes) -> Encoded:
        """The answer of the claim's figure at ``pos``, which names ``measure``."""
        claim = claim_from_row((claim_id, rel, record), self._fb._name)
        text = self._encode(self._figure_object(self._fb, claim, claim.figures[pos]))
        self._keep(self._answers.figures, (text, measure, claim_id, pos))
        return text

    def _keep(self, answers: list, answer: tuple) -> None:
        if self._storing:
            answers.append(answer)
            if len(self._answers.claims) + len(self._answers.figures) >= self.BATCH:
                self.remember()

    def remember(self) -> None:
        if self._storing and (self._answers.claims or self._answers.figures):
            fb = self._fb
            self._storing = fb._index.remember(self._answers, fb.generation(), fb.answers_epoch())
        self._answers.claims.clear()
        self._answers.figures.clear()


def published_key(sources: Mapping[str, Source]) -> Callable[[str | None], str | None]:
    """``--sort date`` in SQL: a source's published date as ``query.date_key`` orders it (None: it
    gives none), each source read once."""
    from factcli.query import date_key

    known: dict[str, str | None] = {}

    def key(source_id: str | None) -> str | None:
        if source_id is None or source_id not in sources:
            return None
        if source_id not in known:
            published = sources[source_id].published
            known[source_id] = None if published is None else date_key(published)
        return known[source_id]

    return key


def _dated(selection: Selection) -> bool:
    """Whether ``selection`` asks for dates (``--since``/``--until``), which SQL does not check: a
    claim's date may be its source's."""
    return selection.since is not None or selection.until is not None


def _from_end(selection: Selection) -> bool:
    """A negative limit, which counts from the end as a Python slice does: SQL's LIMIT cannot."""
    return selection.limit is not None and selection.limit < 0


def _ordered(
    select: str, where: tuple[list[str], list[object]], selection: Selection, limit: bool = True
) -> tuple[str, list[object]]:
    """``select`` with ``where``, in ``selection``'s order and (with ``limit``) within its non-negative limit."""
    conditions, args = where
    sql = (
        select + (" WHERE " + " AND ".join(conditions) if conditions else "") + " ORDER BY " + SORT_SQL[selection.sort]
    )
    if limit and selection.limit is not None and selection.limit >= 0:
        return sql + " LIMIT ?", [*args, selection.limit]
    return sql, list(args)


def _rows(cursor: sqlite3.Cursor, size: int = 256) -> Iterator[tuple]:
    """A cursor's rows, fetched a few hundred at a time."""
    while True:
        rows = cursor.fetchmany(size)
        if not rows:
            return
        yield from rows


# Claims giving a figure with no measure (``query.FACETS``: "unmeasured").
_UNMEASURED = "id IN (SELECT claim_id FROM facets WHERE facet = 'unmeasured')"
