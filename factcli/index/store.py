"""The index's SQLite tables, and records to and from their rows."""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from factcli.model import Actor, Claim, Figure, Measure, Source, from_plain, to_plain
from factcli.query import FACETS

if TYPE_CHECKING:  # pragma: no cover
    from factcli.story import MeasuredFigure

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
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, rel TEXT NOT NULL, record BLOB NOT NULL, json TEXT, loose_json BLOB, answered INTEGER);
CREATE INDEX IF NOT EXISTS claims_rel ON claims (rel);
CREATE TABLE IF NOT EXISTS facets (
    facet TEXT NOT NULL, value NOT NULL, claim_id TEXT NOT NULL, PRIMARY KEY (facet, value, claim_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_claim ON facets (claim_id, facet);
CREATE TABLE IF NOT EXISTS figures (
    measure TEXT NOT NULL, claim_id TEXT NOT NULL, pos INTEGER NOT NULL, claimant TEXT NOT NULL, source TEXT NOT NULL,
    as_of TEXT, low REAL, high REAL, low_open INTEGER NOT NULL, high_open INTEGER NOT NULL, record BLOB NOT NULL,
    json TEXT, answered INTEGER, PRIMARY KEY (measure, claim_id, pos)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS figures_claim ON figures (claim_id);
"""
# ``figures`` holds each figure that names a measure with the interval it stands for (an end NULL
# where unbounded, and whether it is open), so ``conflicts`` finds in SQL the pairs that cannot both hold.
#
# ``json`` holds an answer once written, as compact JSON (``jsonstream.encode``): a claim's, as
# ``list --json`` prints it; a figure's, as ``figures --json`` lists it in its measure's group (and a
# claim's ``loose_json``, the ``marshal`` of a list of those of its figures with no measure). A long
# answer is then stored text read in order, not 100,000 claims built and encoded again. An answer is
# written by the first command that needs it (``Index.remember``), with the ``answered`` epoch it holds
# for (``meta``'s ``answers``), and set back by any change that could alter it: a changed claim is new
# rows; a claim's answer also shows the claims linking to or from it (``updated_by``, ``matches``) and
# its source's published date (those answers are set to NULL); and every answer shows actors' names
# (and a claim's, affiliations): an actors change starts a new epoch, which no stored answer holds for,
# without writing a row.
ANSWERS_EPOCH = "answers"  # the meta key


class Answers(NamedTuple):
    """Answers to store in ``json`` columns: claims' (json, loose_json, id), figures' (json, measure, claim_id, pos)."""

    claims: list[tuple[str, bytes, str]]
    figures: list[tuple[str, str, str, int]]


SECONDARY_INDEXES = ("claims_rel", "facets_claim", "figures_claim")
CLAIM_COLUMNS = "id, rel, record"
INSERT_CLAIM = "INSERT INTO claims (id, rel, record) VALUES (?, ?, ?)"
INSERT_FIGURE = (
    "INSERT INTO figures (measure, claim_id, pos, claimant, source, as_of, low, high, low_open, high_open, record)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


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


FigureRow = tuple[str, str, int, str, str, str | None, float | None, float | None, bool, bool, bytes]


def claim_rows(rel: str, claim: Claim) -> tuple[tuple[str, str, bytes], list[tuple[str, object, str]], list[FigureRow]]:
    """The claims row of ``claim`` (from the file ``rel``), its (facet, value, claim) rows, and its figures
    rows (``INSERT_CLAIM``, ``INSERT_FIGURE``: the answers are written when first asked for)."""
    facets = [(facet, value, claim.id) for facet, values_of in FACETS.items() for value in values_of(claim)]
    return (claim.id, rel, record_blob(claim)), facets, figure_rows(claim)


def figure_rows(claim: Claim) -> list[FigureRow]:
    """A row for each of the claim's figures that names a measure (see ``figures`` in ``SCHEMA``);
    none for a draft, which no answer counts until it is reviewed."""
    rows: list[FigureRow] = []
    if claim.draft:
        return rows
    for pos, figure in enumerate(claim.figures):
        if figure.measure:
            ends = figure.interval()
            plain = marshal.dumps(to_plain(figure))
            rows.append(
                (
                    figure.measure,
                    claim.id,
                    pos,
                    claim.claimant,
                    claim.source.id,
                    claim.as_of,
                    ends.low,
                    ends.high,
                    ends.low_open,
                    ends.high_open,
                    plain,
                )
            )
    return rows


FIGURE_COLUMNS = "measure, claim_id, pos, claimant, source, as_of, record"


def measured_figure_from_row(
    row: tuple[str, str, int, str, str, str | None, bytes], published: Callable[[str], str | None]
) -> MeasuredFigure:
    """A figures row as ``story.MeasuredFigure``; ``published`` gives a source's date, for a claim with no ``as_of``."""
    from factcli.story import MeasuredFigure

    measure, claim_id, pos, claimant, source, as_of, record = row
    date = as_of if as_of is not None else published(source)
    figure = Figure._make(marshal.loads(record))  # (a figure holds no nested record: its plain tuple is it)
    return MeasuredFigure(measure, claim_id, pos, figure, claimant, source, date)


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


PUBLISHED_KEY = "factcli_published_key"  # source id -> its published date's ``dates.sort_key`` (or NULL)

SORT_SQL = {
    "id": "id",
    "claimant": f"{_facet('claimant')}, id",
    "source": f"{_facet('source')}, {_facet('section')}, id",
    "figures": f"{_facet('figures')} DESC, id",
    "disputed": f"{_facet('disputed')} DESC, id",
    # The claim's as_of, else its source's published (``PUBLISHED_KEY``, a function of the connection), undated last.
    "date": f"coalesce({_facet('as_of')}, {PUBLISHED_KEY}({_facet('source')})) IS NULL, "
    f"coalesce({_facet('as_of')}, {PUBLISHED_KEY}({_facet('source')})), id",
}
