"""The index's SQLite tables, and records to and from their rows."""

from __future__ import annotations

import json
import sqlite3

from factcli.model import Actor, Claim, Dispute, Figure, Source, SourceRef
from factcli.query import fold

FORMAT = "factcli-index-4"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, hash TEXT, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS actors (
    id TEXT PRIMARY KEY, pos INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, role TEXT,
    aliases TEXT NOT NULL, part_of TEXT NOT NULL, rel TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, pos INTEGER NOT NULL, title TEXT NOT NULL, sections TEXT NOT NULL, text TEXT NOT NULL,
    url TEXT, publisher TEXT, rel TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, rel TEXT NOT NULL, claimant TEXT NOT NULL, statement TEXT NOT NULL,
    disputed INTEGER NOT NULL, source_id TEXT NOT NULL, section TEXT NOT NULL, quote TEXT NOT NULL,
    nfig INTEGER NOT NULL, stmt_cf TEXT NOT NULL, quote_cf TEXT NOT NULL, extra TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS claims_rel ON claims (rel);
CREATE INDEX IF NOT EXISTS claims_claimant ON claims (claimant, id);
CREATE INDEX IF NOT EXISTS claims_source ON claims (source_id, section, id);
CREATE TABLE IF NOT EXISTS claim_topics (
    topic TEXT NOT NULL, claim_id TEXT NOT NULL, PRIMARY KEY (topic, claim_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claim_topics_claim ON claim_topics (claim_id);
"""

SECONDARY_INDEXES = ("claims_rel", "claims_claimant", "claims_source", "claim_topics_claim")
CLAIM_COLUMNS = "id, rel, claimant, statement, disputed, source_id, section, quote, extra"


def _read_meta(conn: sqlite3.Connection) -> dict | None:
    try:
        return dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise


def _corrupt(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


ACTOR_SQL = "SELECT id, name, kind, role, aliases, part_of, rel FROM actors ORDER BY pos"
SOURCE_SQL = "SELECT id, title, sections, text, url, publisher, rel FROM sources"


def _claim_row(rel: str, c: Claim) -> tuple:
    extra = [
        [[f.value, f.unit, f.qualifier, f.text, f.measure] for f in c.figures],
        [[d.by, d.quote] for d in c.disputes],
        list(c.topics),
    ]
    return (
        c.id, rel, c.claimant, c.statement, int(c.disputed), c.source.id, c.source.section, c.source.quote,
        len(c.figures), fold(c.statement), fold(c.source.quote), json.dumps(extra, ensure_ascii=False),
    )


def _claim(row, name) -> Claim:
    cid, rel, claimant, statement, disputed, source_id, section, quote, extra = row
    figures, disputes, topics = json.loads(extra)
    return Claim(
        id=cid,
        claimant=claimant,
        statement=statement,
        figures=tuple(Figure(*f) for f in figures),
        disputed=bool(disputed),
        disputes=tuple(Dispute(*d) for d in disputes),
        source=SourceRef(source_id, section, quote),
        topics=tuple(topics),
        path=name(rel),
    )


def _actor(row, name) -> Actor:
    aid, aname, kind, role, aliases, part_of, rel = row
    return Actor(aid, aname, kind, role, tuple(json.loads(aliases)), tuple(json.loads(part_of)), name(rel))


def _source(row, name) -> Source:
    sid, title, sections, text, url, publisher, rel = row
    return Source(sid, title, tuple(json.loads(sections)), text, url, publisher, name(rel))


SORT_SQL = {
    "id": "id",
    "claimant": "claimant, id",
    "source": "source_id, section, id",
    "figures": "nfig DESC, id",
    "disputed": "disputed DESC, id",
}
