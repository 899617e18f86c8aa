"""The index's SQLite tables, and records to and from their rows."""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Callable

from factcli.model import Actor, Claim, Measure, Source, from_plain, to_plain
from factcli.query import FACETS

# Every record is kept whole (``marshal`` of ``model.to_plain``), so a new field needs no new
# column; what claims are filtered and sorted on is one (facet, value, claim) table, so a new
# filter is a new name in ``query.FACETS``, not a new column. A change here changes the code
# fingerprint, so an index of another shape is rebuilt from scratch.
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, dev INTEGER NOT NULL, hash TEXT, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS actors (id TEXT PRIMARY KEY, pos INTEGER NOT NULL, rel TEXT NOT NULL, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS sources (id TEXT PRIMARY KEY, pos INTEGER NOT NULL, rel TEXT NOT NULL, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS measures (id TEXT PRIMARY KEY, pos INTEGER NOT NULL, rel TEXT NOT NULL, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS claims (id TEXT PRIMARY KEY, rel TEXT NOT NULL, record BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS claims_rel ON claims (rel);
CREATE TABLE IF NOT EXISTS facets (
    facet TEXT NOT NULL, value NOT NULL, claim_id TEXT NOT NULL, PRIMARY KEY (facet, value, claim_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_claim ON facets (claim_id, facet);
"""

SECONDARY_INDEXES = ("claims_rel", "facets_claim")
CLAIM_COLUMNS = "id, rel, record"


def stored_meta(conn: sqlite3.Connection) -> dict | None:
    try:
        return dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise


def is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


ACTOR_SQL = "SELECT rel, record FROM actors ORDER BY pos"
SOURCE_SQL = "SELECT rel, record FROM sources"
MEASURE_SQL = "SELECT rel, record FROM measures ORDER BY pos"
# The facets naming actors, which must all still be actors when the actors change.
ACTOR_FACETS = ("claimant", "about", "disputer", "confirmer", "unverifier")
LINK_FACETS = ("updates", "matches")  # claims naming other claims


def record_blob(record: tuple) -> bytes:
    """A record as the index stores it: its ``path`` (the last field of every record) is left
    empty, as it is given again from the row's ``rel`` when the record is read back."""
    return marshal.dumps((*to_plain(record)[:-1], ""))


def claim_rows(rel: str, claim: Claim) -> tuple[tuple[str, str, bytes], list[tuple[str, object, str]]]:
    """The claims row of ``claim`` (from the file ``rel``), and its (facet, value, claim) rows."""
    facets = [(facet, value, claim.id) for facet, values_of in FACETS.items() for value in values_of(claim)]
    return (claim.id, rel, record_blob(claim)), facets


def claim_from_row(row: tuple[str, str, bytes], name: Callable[[str], str]) -> Claim:
    _id, rel, record = row
    return from_plain(Claim, marshal.loads(record), path=name(rel))


def actor_from_row(row: tuple[str, bytes], name: Callable[[str], str]) -> Actor:
    rel, record = row
    return from_plain(Actor, marshal.loads(record), path=name(rel))


def source_from_row(row: tuple[str, bytes], name: Callable[[str], str]) -> Source:
    rel, record = row
    return from_plain(Source, marshal.loads(record), path=name(rel))


def measure_from_row(row: tuple[str, bytes], name: Callable[[str], str]) -> Measure:
    rel, record = row
    return from_plain(Measure, marshal.loads(record), path=name(rel))


def _facet(name: str) -> str:
    """A claim's (first) value of the facet ``name``, for ORDER BY (NULL, first when ascending and
    last when descending, for a yes/no or count not kept as 0)."""
    return f"(SELECT value FROM facets AS f WHERE f.claim_id = claims.id AND f.facet = '{name}')"


SORT_SQL = {
    "id": "id",
    "claimant": f"{_facet('claimant')}, id",
    "source": f"{_facet('source')}, {_facet('section')}, id",
    "figures": f"{_facet('figures')} DESC, id",
    "disputed": f"{_facet('disputed')} DESC, id",
}
