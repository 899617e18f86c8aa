"""An SQLite database of the claims, with every actor and source, ready for Datasette."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from factcli import contract
from factcli.exports import EXTRA_FIELDS
from factcli.model import Claim, FactBaseView, Reaction, to_plain

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

OPTIONS: tuple[str, ...] = ()
NEEDS_FILE = True

# A reaction table: who disputes, confirms or could not verify a claim, in which words, and where
# reported (source_id and section are NULL when the claim's own source reports it, as in the JSON).
_REACTION_TABLE = """
CREATE TABLE {table} (
    claim_id TEXT NOT NULL REFERENCES claims(id),
    position INTEGER NOT NULL,
    by_id TEXT NOT NULL REFERENCES actors(id),
    quote TEXT NOT NULL,
    source_id TEXT REFERENCES sources(id),
    section TEXT,
    PRIMARY KEY (claim_id, position)
);
CREATE INDEX {table}_by ON {table}(by_id);
CREATE INDEX {table}_source ON {table}(source_id);
"""
REACTION_TABLES = ("disputes", "confirmations", "unverified")  # the claim's fields, a table each

SQLITE_SCHEMA = (
    """
CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT,
    anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    -- the side the actor speaks for: the top of its part_of chain, or itself
    side_id TEXT NOT NULL REFERENCES actors(id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE actor_aliases (
    actor_id TEXT NOT NULL REFERENCES actors(id),
    alias TEXT NOT NULL,
    PRIMARY KEY (actor_id, alias)
);
CREATE TABLE actor_parents (
    actor_id TEXT NOT NULL REFERENCES actors(id),
    parent_id TEXT NOT NULL REFERENCES actors(id),
    PRIMARY KEY (actor_id, parent_id)
);
CREATE TABLE actor_affiliations (
    actor_id TEXT NOT NULL REFERENCES actors(id),
    position INTEGER NOT NULL,
    affiliation_id TEXT NOT NULL REFERENCES actors(id),
    PRIMARY KEY (actor_id, position)
);
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    url TEXT,
    publisher TEXT,
    text TEXT NOT NULL,
    published TEXT
);
CREATE TABLE source_sections (
    source_id TEXT NOT NULL REFERENCES sources(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (source_id, position)
);
CREATE TABLE measures (
    id TEXT PRIMARY KEY,
    name TEXT,
    unit TEXT,
    description TEXT
);
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    statement TEXT NOT NULL,
    claimant_id TEXT NOT NULL REFERENCES actors(id),
    disputed INTEGER NOT NULL CHECK (disputed IN (0, 1)),
    source_id TEXT NOT NULL REFERENCES sources(id),
    section TEXT NOT NULL,
    quote TEXT NOT NULL,
    file TEXT,
    about TEXT,
    as_of TEXT,
    updates TEXT,
    matches TEXT,
    confirmations TEXT,
    unverified TEXT,
    date TEXT,
    updated_by TEXT{extra_columns}
);
CREATE TABLE figures (
    claim_id TEXT NOT NULL REFERENCES claims(id),
    position INTEGER NOT NULL,
    value NUMERIC,
    unit TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    text TEXT NOT NULL,
    measure TEXT REFERENCES measures(id),
    low NUMERIC,
    high NUMERIC,
    PRIMARY KEY (claim_id, position)
);
"""
    + "".join(_REACTION_TABLE.format(table=table) for table in REACTION_TABLES)
    + """
CREATE TABLE topics (
    id TEXT PRIMARY KEY
);
CREATE TABLE claim_topics (
    claim_id TEXT NOT NULL REFERENCES claims(id),
    topic_id TEXT NOT NULL REFERENCES topics(id),
    PRIMARY KEY (claim_id, topic_id)
);
CREATE TABLE claim_about (
    claim_id TEXT NOT NULL REFERENCES claims(id),
    actor_id TEXT NOT NULL REFERENCES actors(id),
    PRIMARY KEY (claim_id, actor_id)
);
CREATE TABLE claim_updates (
    claim_id TEXT PRIMARY KEY REFERENCES claims(id),
    updates_id TEXT NOT NULL REFERENCES claims(id)
);
CREATE TABLE claim_matches (
    claim_id TEXT NOT NULL REFERENCES claims(id),
    match_id TEXT NOT NULL REFERENCES claims(id),
    PRIMARY KEY (claim_id, match_id)
);
CREATE VIEW claim_matches_both_ways AS
    SELECT claim_id, match_id FROM claim_matches
    UNION SELECT match_id, claim_id FROM claim_matches;
CREATE VIEW reactions AS
"""
    + "\n    UNION ALL\n".join(
        f"    SELECT '{table}' AS kind, claim_id, position, by_id, quote, source_id, section FROM {table}"
        for table in REACTION_TABLES
    )
    + """;
CREATE INDEX actors_side ON actors(side_id);
CREATE INDEX actor_parents_parent ON actor_parents(parent_id);
CREATE INDEX actor_affiliations_affiliation ON actor_affiliations(affiliation_id);
CREATE INDEX claims_claimant ON claims(claimant_id);
CREATE INDEX claims_source ON claims(source_id);
CREATE INDEX claims_disputed ON claims(disputed);
CREATE INDEX figures_measure ON figures(measure);
CREATE INDEX claim_topics_topic ON claim_topics(topic_id);
CREATE INDEX claim_about_actor ON claim_about(actor_id);
CREATE INDEX claim_updates_updates ON claim_updates(updates_id);
CREATE INDEX claim_matches_match ON claim_matches(match_id);
"""
)

# Bumped whenever the tables change, so a script can check what it opened (2: record format version 2).
SQLITE_VERSION = 2


def sqlite_schema() -> str:
    """The tables of the SQLite export; a claim field added later is a column of ``claims`` (JSON for a list)."""
    return SQLITE_SCHEMA.replace("{extra_columns}", "".join(f",\n    {name}" for name in EXTRA_FIELDS))


def write_sqlite(fb: FactBaseView, claims: Sequence[Claim], path: str | os.PathLike) -> None:
    """Write the claims, with every actor and source, to a new SQLite database at ``path``.

    ``path`` must be a new or empty file (the command line passes a temporary file
    that then atomically takes the target's name). Foreign keys are enforced while
    writing, so the database is known to be consistent.
    """
    import sqlite3

    if Path(path).exists() and Path(path).stat().st_size:
        raise FileExistsError(f"{path} is not empty")
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA user_version = {SQLITE_VERSION}")
        with conn:
            conn.executescript(sqlite_schema())
        with conn:
            _fill_sqlite(conn, fb, claims)
        conn.execute("VACUUM")
    finally:
        conn.close()


def _fill_sqlite(conn: sqlite3.Connection, fb: FactBaseView, claims: Sequence[Claim]) -> None:
    _fill_actors(conn, fb)
    sources = sorted(fb.sources.values(), key=lambda s: s.id)
    conn.executemany(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?)",
        [(s.id, s.title, s.url, s.publisher, s.text, s.published) for s in sources],
    )
    conn.executemany(
        "INSERT INTO source_sections VALUES (?, ?, ?)",
        [(s.id, i, name) for s in sources for i, name in enumerate(s.sections, 1)],
    )
    _fill_measures(conn, fb, claims)
    links = fb.links()
    marks = ", ".join("?" * (16 + len(EXTRA_FIELDS)))
    conn.executemany(
        f"INSERT INTO claims VALUES ({marks})",
        [
            (
                c.id,
                c.statement,
                c.claimant,
                int(c.disputed),
                c.source.id,
                c.source.section,
                c.source.quote,
                contract.claim_file(fb, c),
                _json(list(c.about)),
                c.as_of,
                c.updates,
                _json(list(links.matches.get(c.id, ()))),  # both ways, as in the JSON contract
                _json([_reaction_object(r) for r in c.confirmations]),
                _json([_reaction_object(r) for r in c.unverified]),
                fb.date_of(c),
                links.updated_by.get(c.id),
            )
            + tuple(_column(getattr(c, name)) for name in EXTRA_FIELDS)
            for c in claims
        ],
    )
    conn.executemany(
        "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (c.id, i, f.value, f.unit, f.qualifier, f.text, f.measure, *contract.figure_bounds(f))
            for c in claims
            for i, f in enumerate(c.figures, 1)
        ],
    )
    for table in REACTION_TABLES:
        conn.executemany(
            f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?)",
            [(c.id, i, r.by, r.quote, r.source, r.section) for c in claims for i, r in enumerate(getattr(c, table), 1)],
        )
    topics = sorted({t for c in claims for t in c.topics})
    conn.executemany("INSERT INTO topics VALUES (?)", [(t,) for t in topics])
    conn.executemany(
        "INSERT INTO claim_topics VALUES (?, ?)", [(c.id, t) for c in claims for t in dict.fromkeys(c.topics)]
    )
    conn.executemany(
        "INSERT INTO claim_about VALUES (?, ?)", [(c.id, a) for c in claims for a in dict.fromkeys(c.about)]
    )
    _fill_links(conn, claims)


def _fill_actors(conn: sqlite3.Connection, fb: FactBaseView) -> None:
    """Every actor, with the side it speaks for and its affiliations (nearest first), so a query
    can take in a side's members with one join, as ``--actor`` does."""
    from factcli.intervals import side_of

    actors = sorted(fb.actors.values(), key=lambda a: a.id)
    chains = {a.id: fb.affiliations(a.id) for a in actors}
    conn.executemany(
        "INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?)",
        [(a.id, a.name, a.kind, a.role, int(a.anonymous), side_of(a.id, chains)) for a in actors],
    )
    conn.executemany(
        "INSERT INTO actor_aliases VALUES (?, ?)", [(a.id, alias) for a in actors for alias in dict.fromkeys(a.aliases)]
    )
    conn.executemany(
        "INSERT INTO actor_parents VALUES (?, ?)", [(a.id, p) for a in actors for p in dict.fromkeys(a.part_of)]
    )
    conn.executemany(
        "INSERT INTO actor_affiliations VALUES (?, ?, ?)",
        [(a.id, i, other) for a in actors for i, other in enumerate(chains[a.id], 1)],
    )


def _fill_measures(conn: sqlite3.Connection, fb: FactBaseView, claims: Sequence[Claim]) -> None:
    """The measures registry, in full; a measure the figures name with no registry to hold it (a
    fact base in version 1's format) gets a row of its id alone: no name is made up for it."""
    registered = list(fb.measures.values())
    named = {f.measure for c in claims for f in c.figures if f.measure is not None} - set(fb.measures)
    conn.executemany(
        "INSERT INTO measures VALUES (?, ?, ?, ?)",
        [(m.id, m.name, m.unit, m.description) for m in registered] + [(m, None, None, None) for m in sorted(named)],
    )


def _fill_links(conn: sqlite3.Connection, claims: Sequence[Claim]) -> None:
    """``updates`` and ``matches`` between the exported claims, one row per link as written.

    A link to a claim the selection left out has no row (its key would point nowhere);
    the claim's ``updates``, ``updated_by`` and ``matches`` columns still name it.
    """
    exported = {c.id for c in claims}
    conn.executemany(
        "INSERT INTO claim_updates VALUES (?, ?)",
        [(c.id, c.updates) for c in claims if c.updates in exported],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO claim_matches VALUES (?, ?)",
        [(c.id, other) for c in claims for other in c.matches if other in exported],
    )


def _reaction_object(reaction: Reaction) -> dict[str, str | None]:
    """A reaction as the JSON contract writes it, without the name (the actors table has it)."""
    return dict(zip(reaction._fields, reaction, strict=True))


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _column(value: object) -> object:
    """A field's value as an SQLite value: a list as JSON text."""
    if isinstance(value, tuple):
        return _json(to_plain(value))
    return value


def write(fb: FactBaseView, claims: Sequence[Claim], path: str | os.PathLike[str]) -> None:
    write_sqlite(fb, claims, path)
