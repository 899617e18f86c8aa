"""The fact base answered from the index: the same answers as the loader's, without reading every claim."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from factcli.index.store import ACTOR_SQL, CLAIM_COLUMNS, SORT_SQL, SOURCE_SQL, _actor, _claim, _source
from factcli.model import Claim, FactBase

if TYPE_CHECKING:  # pragma: no cover
    from factcli.index.connection import Index

def path_namer(root: str):
    """``rel -> name``: the path the loader would show for ``root/rel`` (``validate.display_name``)."""
    base = str(Path(root))
    if not os.path.isabs(base):
        return lambda rel: f"{base}/{rel}" if base != "." else rel
    cwd = os.getcwd()
    prefix = cwd.rstrip("/") + "/"

    def name(rel: str) -> str:
        full = f"{base.rstrip('/')}/{rel}"
        return full[len(prefix):] if full.startswith(prefix) else full

    return name


class _Sources(dict):
    """The sources, read from the index on first use (membership alone is one query)."""

    def __init__(self, fb: IndexedFactBase):
        super().__init__()
        self._fb, self._loaded = fb, False

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            for row in self._fb._conn.execute(SOURCE_SQL + " ORDER BY pos"):
                source = _source(row, self._fb._name)
                dict.__setitem__(self, source.id, source)

    def __contains__(self, key) -> bool:
        if self._loaded:
            return dict.__contains__(self, key)
        return self._fb._conn.execute("SELECT 1 FROM sources WHERE id = ?", (key,)).fetchone() is not None

    def __getitem__(self, key):
        self._load()
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._load()
        return dict.get(self, key, default)

    def __iter__(self):
        self._load()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._load()
        return dict.__len__(self)

    def __eq__(self, other) -> bool:
        self._load()
        return dict.__eq__(self, other)

    def __repr__(self) -> str:
        self._load()
        return dict.__repr__(self)

    def keys(self):
        self._load()
        return dict.keys(self)

    def values(self):
        self._load()
        return dict.values(self)

    def items(self):
        self._load()
        return dict.items(self)


class IndexedFactBase(FactBase):
    """A ``FactBase`` answered from the index: the same answers, without reading every claim.

    Actors are read at once (a few hundred at most); sources and the full claim
    list only when something asks for them; ``query()`` runs as SQL.
    """

    def __init__(self, index: Index, conn: sqlite3.Connection):
        self._index, self._conn = index, conn
        self._name = path_namer(index.root_str)
        self.root = index.root_str
        self.actors = {a.id: a for a in (_actor(row, self._name) for row in conn.execute(ACTOR_SQL))}
        self._sources = _Sources(self)
        self._claims: list[Claim] | None = None
        self._children = {}
        for actor in self.actors.values():
            for parent in actor.part_of:
                self._children.setdefault(parent, []).append(actor.id)

    @property
    def sources(self):  # type: ignore[override]
        return self._sources

    def affiliations(self, actor_id: str) -> tuple[str, ...]:
        """As ``FactBase.affiliations``, worked out once per actor (JSON output asks once per claim)."""
        cache = self.__dict__.setdefault("_affiliations", {})
        got = cache.get(actor_id)
        if got is None:
            got = cache[actor_id] = FactBase.affiliations(self, actor_id)
        return got

    @property
    def claims(self) -> list[Claim]:  # type: ignore[override]
        if self._claims is None:
            self._claims = [_claim(row, self._name) for row in self._conn.execute(f"SELECT {CLAIM_COLUMNS} FROM claims ORDER BY id")]
        return self._claims

    def claim(self, claim_id: str) -> Claim | None:
        row = self._conn.execute(f"SELECT {CLAIM_COLUMNS} FROM claims WHERE id = ?", (claim_id,)).fetchone()
        return _claim(row, self._name) if row else None

    def topics(self) -> list[str]:
        return [t for (t,) in self._conn.execute("SELECT DISTINCT topic FROM claim_topics ORDER BY topic")]

    def select_claims(self, actor_ids, disputed, topics, source, needle, has_figure, sort, limit) -> list[Claim]:
        """The filters of ``factcli.query.select``, already checked, run as SQL."""
        where, args = [], []
        if actor_ids is not None:
            where.append("claimant IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(sorted(actor_ids)))
        if disputed is not None:
            if isinstance(disputed, (bool, int, float)) and disputed in (0, 1):
                where.append("disputed = ?")
                args.append(int(disputed))
            else:
                return []  # nothing equals it, as in select()
        if topics:
            where.append("id IN (SELECT claim_id FROM claim_topics WHERE topic IN (SELECT value FROM json_each(?)))")
            args.append(json.dumps(sorted(topics)))
        if source is not None:
            where.append("source_id = ?")
            args.append(source)
        if needle is not None:
            where.append("(instr(stmt_cf, ?) > 0 OR instr(quote_cf, ?) > 0)")
            args += [needle, needle]
        if has_figure:
            where.append("nfig > 0")
        sql = f"SELECT {CLAIM_COLUMNS} FROM claims"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + SORT_SQL[sort]
        if limit is not None and limit >= 0:
            sql += " LIMIT ?"
            args.append(limit)
        claims = [_claim(row, self._name) for row in self._conn.execute(sql, args)]
        return claims if limit is None or limit >= 0 else claims[:limit]

    def __del__(self):
        conn = getattr(self, "_conn", None)
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass
