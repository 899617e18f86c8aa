"""The fact base answered from the index: the same answers as the loader's, without reading every claim."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcli.index.store import (
    ACTOR_SQL,
    CLAIM_COLUMNS,
    LINK_FACETS,
    MEASURE_SQL,
    SORT_SQL,
    SOURCE_SQL,
    actor_from_row,
    claim_from_row,
    measure_from_row,
    source_from_row,
)
from factcli.model import Actor, Claim, FactBaseView, Figure, Links, Measure, Source, links_of
from factcli.query import TEXT_JOIN, filter_claims

if TYPE_CHECKING:  # pragma: no cover
    from factcli.index.connection import Index
    from factcli.query import Selection


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
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def copy(self) -> dict[str, Source]:
        """A plain dict of the sources, as ``dict.copy`` gives for a fact base held in memory."""
        return dict(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


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
                " ORDER BY claim_id, facet, value",
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
                for row in self._conn.execute(f"SELECT {CLAIM_COLUMNS} FROM claims ORDER BY id")
            ]
        return self._claims

    def claim(self, claim_id: str) -> Claim | None:
        row = self._conn.execute(f"SELECT {CLAIM_COLUMNS} FROM claims WHERE id = ?", (claim_id,)).fetchone()
        return claim_from_row(row, self._name) if row else None

    def topics(self) -> list[str]:
        return [
            t for (t,) in self._conn.execute("SELECT DISTINCT value FROM facets WHERE facet = 'topic' ORDER BY value")
        ]

    def select_claims(self, selection: Selection) -> list[Claim]:
        """The filters of ``factcli.query.select``, already checked, run as SQL."""
        claims = list(self.iter_claims(selection._replace(limit=None) if _from_end(selection) else selection))
        return claims[: selection.limit] if _from_end(selection) else claims

    def iter_claims(self, selection: Selection) -> Iterator[Claim]:
        """``select_claims`` read row by row from SQLite: memory stays flat however many claims pass."""
        if _from_end(selection):
            return iter(self.select_claims(selection))
        where = self._where(selection)
        if where is None:
            return iter(filter_claims(self.claims, selection))
        sql, args = _ordered(f"SELECT {CLAIM_COLUMNS} FROM claims", where, selection)
        return self._claims_of(self._conn.execute(sql, args))

    def count_claims(self, facet: str, selection: Selection | None = None) -> dict[Any, int]:
        """As ``FactBaseView.count_claims``, counted by SQLite from the facets table."""
        sql = "SELECT value, count(*) FROM facets WHERE facet = ?"
        args: list[object] = [facet]
        if selection is not None:
            where = self._where(selection) if not _from_end(selection) else None
            if where is None:
                return super().count_claims(facet, selection)
            chosen, chosen_args = _ordered("SELECT id FROM claims", where, selection)
            sql += f" AND claim_id IN ({chosen})"
            args += chosen_args
        return dict(self._conn.execute(sql + " GROUP BY value", args))

    def iter_figures(self, selection: Selection) -> Iterator[tuple[str | None, Claim, Figure]]:
        """As ``FactBaseView.iter_figures``, read in that order from the facets table (by measure,
        then claim id): each claim is built when its figures are written, never all at once."""
        where = self._where(selection) if selection.sort == "id" and selection.limit is None else None
        if where is None:
            return super().iter_figures(selection)
        chosen = " AND claim_id IN (SELECT id FROM claims WHERE " + " AND ".join(where[0]) + ")" if where[0] else ""
        measured = self._conn.execute(
            f"SELECT f.value, c.{CLAIM_COLUMNS.replace(', ', ', c.')} FROM facets AS f JOIN claims AS c "
            f"ON c.id = f.claim_id WHERE f.facet = 'measure'{chosen} ORDER BY f.value, f.claim_id",
            where[1],
        )
        return self._figures_of(measured, where)

    def _figures_of(self, measured: sqlite3.Cursor, where: tuple[list[str], list[object]]) -> Iterator:
        for row in _rows(measured):
            measure = row[0]
            claim = claim_from_row(row[1:], self._name)
            for figure in claim.figures:
                if figure.measure == measure:
                    yield measure, claim, figure
        conditions, args = where
        loose = self._conn.execute(
            f"SELECT {CLAIM_COLUMNS} FROM claims WHERE "
            + " AND ".join([_MAY_HAVE_UNMEASURED, *conditions])
            + " ORDER BY id",
            args,
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
        """The SQL conditions on ``claims.id`` and their arguments for ``selection``'s filters;
        None when SQL cannot answer it (a search holding ``TEXT_JOIN``: see ``query.FACETS``)."""
        actor_ids, disputed, topics, source, needle, has_figure, _sort, _limit = selection
        where: list[str] = []
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
        return where, args

    def __del__(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001, S110 (at interpreter exit even sqlite3's names may be gone)
                pass


def _from_end(selection: Selection) -> bool:
    """A negative limit, which counts from the end as a Python slice does: SQL's LIMIT cannot."""
    return selection.limit is not None and selection.limit < 0


def _ordered(select: str, where: tuple[list[str], list[object]], selection: Selection) -> tuple[str, list[object]]:
    """``select`` with ``where``, in ``selection``'s order and within its (non-negative) limit."""
    conditions, args = where
    sql = (
        select + (" WHERE " + " AND ".join(conditions) if conditions else "") + " ORDER BY " + SORT_SQL[selection.sort]
    )
    if selection.limit is not None:
        return sql + " LIMIT ?", [*args, selection.limit]
    return sql, list(args)


def _rows(cursor: sqlite3.Cursor, size: int = 256) -> Iterator[tuple]:
    """A cursor's rows, fetched a few hundred at a time."""
    while True:
        rows = cursor.fetchmany(size)
        if not rows:
            return
        yield from rows


# Claims that may give a figure with no measure: more figures than measures. (Two figures of one
# measure make a claim pass too; the figures themselves are checked as they are read.)
_MAY_HAVE_UNMEASURED = (
    "id IN (SELECT n.claim_id FROM facets AS n WHERE n.facet = 'figures' AND n.value >"
    " (SELECT count(*) FROM facets AS m WHERE m.facet = 'measure' AND m.claim_id = n.claim_id))"
)
