"""The fact base answered from the index: the same answers as the loader's, without reading every claim."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from factcli.index.store import (
    ACTOR_SQL,
    CLAIM_COLUMNS,
    FIGURE_COLUMNS,
    LINK_FACETS,
    MEASURE_SQL,
    SORT_SQL,
    SOURCE_SQL,
    actor_from_row,
    claim_from_row,
    measure_from_row,
    measured_figure_from_row,
    source_from_row,
)
from factcli.model import Actor, Claim, FactBaseView, Links, Measure, Source, links_of
from factcli.query import TEXT_JOIN, filter_claims

if TYPE_CHECKING:  # pragma: no cover
    from factcli.index.connection import Index
    from factcli.query import Selection
    from factcli.story import Conflict, MeasuredFigure, MeasureUse


# Two figures of a measure cannot both hold when one lies wholly left of the other: its high end
# below the other's low end, or at it with either end open. Pairs come as ``intervals.conflicts``
# gives them: the first by (claim id, position), then the second, within each measure (sorted).
# The parameter is the superseded claims (a JSON array), whose figures take no part.
DISJOINT_PAIRS = """
    SELECT a.measure, a.claim_id AS a_claim, a.pos AS a_pos, b.claim_id AS b_claim, b.pos AS b_pos
    FROM figures AS a JOIN figures AS b
      ON b.measure = a.measure AND (b.claim_id > a.claim_id OR (b.claim_id = a.claim_id AND b.pos > a.pos))
    WHERE ((a.high < b.low OR (a.high = b.low AND (a.high_open OR b.low_open)))
       OR (b.high < a.low OR (b.high = a.low AND (b.high_open OR a.low_open))))
      AND a.claim_id NOT IN (SELECT value FROM json_each(?1)) AND b.claim_id NOT IN (SELECT value FROM json_each(?1))"""
DISJOINT_PAIRS_SQL = DISJOINT_PAIRS + " ORDER BY a.measure, a.claim_id, a.pos, b.claim_id, b.pos"


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
REVIEWED = "id NOT IN (SELECT claim_id FROM facets WHERE facet = 'draft')"


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

    @property
    def measures(self) -> dict[str, Measure]:
        if self._measures is None:
            rows = self._conn.execute(MEASURE_SQL)
            self._measures = {m.id: m for m in (measure_from_row(row, self._name) for row in rows)}
        return self._measures

    def links(self) -> Links:
        if self._links is None:
            rows = self._conn.execute(
                "SELECT claim_id, facet, value FROM facets WHERE facet IN (SELECT value FROM json_each(?))"
                f" AND claim_id IN (SELECT id FROM claims WHERE {REVIEWED}) ORDER BY claim_id, facet, value",
                (json.dumps(LINK_FACETS),),
            )
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
        sql = f"SELECT {CLAIM_COLUMNS} FROM claims WHERE NOT {REVIEWED} ORDER BY id"
        return [claim_from_row(row, self._name) for row in self._conn.execute(sql)]

    def topics(self) -> list[str]:
        sql = "SELECT DISTINCT value FROM facets WHERE facet = 'topic' AND claim_id NOT IN "
        sql += "(SELECT claim_id FROM facets WHERE facet = 'draft') ORDER BY value"
        return [t for (t,) in self._conn.execute(sql)]

    def select_claims(self, selection: Selection) -> list[Claim]:
        """The filters of ``factcli.query.select``, already checked, run as SQL."""
        actor_ids, disputed, topics, source, needle, has_figure, sort, limit, measure, disputer_ids = selection[:10]
        about_ids, unverified, since, until, superseded = selection[10:]
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
                return []  # nothing equals it, as in query.filter_claims
        if topics:
            facet("topic", "value IN (SELECT value FROM json_each(?))", json.dumps(sorted(topics)))
        if source is not None:
            facet("source", "value = ?", source)
        if needle is not None:
            if TEXT_JOIN in needle:  # it could match across the statement and the quote, joined in one row
                return filter_claims(self.claims, selection, self.date_of)
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
        dated = since is not None or until is not None  # a claim's date may be its source's: checked below
        sql = f"SELECT {CLAIM_COLUMNS} FROM claims WHERE " + " AND ".join(where)
        sql += " ORDER BY " + SORT_SQL[sort]
        if limit is not None and limit >= 0 and not dated:
            sql += " LIMIT ?"
            args.append(limit)
        claims = [claim_from_row(row, self._name) for row in self._conn.execute(sql, args)]
        if dated:
            from factcli.dates import within

            claims = [c for c in claims if within(self.date_of(c), since, until)]
        return claims if limit is None or (limit >= 0 and not dated) else claims[:limit]

    def figure_measures(self) -> list[str]:
        return [
            m for (m,) in self._conn.execute("SELECT DISTINCT value FROM facets WHERE facet = 'measure' ORDER BY value")
        ]

    def measured_figures(self) -> list[MeasuredFigure]:
        """As ``FactBaseView.measured_figures``, from the ``figures`` table without building a claim."""
        sql = f"SELECT {FIGURE_COLUMNS} FROM figures ORDER BY measure, claim_id, pos"
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
        from factcli.story import grouped, superseded

        found = self._conn.execute(DISJOINT_PAIRS_SQL, (json.dumps(sorted(superseded(self))),)).fetchall()
        involved = {(m, claim, pos) for m, a, a_pos, b, b_pos in found for claim, pos in ((a, a_pos), (b, b_pos))}
        measures = json.dumps(sorted({m for m, *_ in found}))
        by_key = {
            row[:3]: measured_figure_from_row(row, self._published)
            for row in self._conn.execute(
                f"SELECT {FIGURE_COLUMNS} FROM figures WHERE measure IN (SELECT value FROM json_each(?))", (measures,)
            )
            if row[:3] in involved
        }
        pairs: dict[str, list[tuple[MeasuredFigure, MeasuredFigure]]] = {}
        for measure, a, a_pos, b, b_pos in found:
            pairs.setdefault(measure, []).append((by_key[measure, a, a_pos], by_key[measure, b, b_pos]))
        return [grouped(measure, each) for measure, each in pairs.items()]

    def __del__(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001, S110 (at interpreter exit even sqlite3's names may be gone)
                pass
