"""An SQLite database of the claims, with every actor and source, ready for Datasette."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from factcli import contract
from factcli.exports import EXTRA_FIELDS
from factcli.model import Claim, FactBaseView, to_plain

OPTIONS: tuple[str, ...] = ()
NEEDS_FILE = True

SQLITE_SCHEMA = """
CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT
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
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    url TEXT,
    publisher TEXT,
    text TEXT NOT NULL
);
CREATE TABLE source_sections (
    source_id TEXT NOT NULL REFERENCES sources(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (source_id, position)
);
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    statement TEXT NOT NULL,
    claimant_id TEXT NOT NULL REFERENCES actors(id),
    disputed INTEGER NOT NULL CHECK (disputed IN (0, 1)),
    source_id TEXT NOT NULL REFERENCES sources(id),
    section TEXT NOT NULL,
    quote TEXT NOT NULL,
    file TEXT{extra_columns}
);
CREATE TABLE figures (
    claim_id TEXT NOT NULL REFERENCES claims(id),
    position INTEGER NOT NULL,
    value NUMERIC,
    unit TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    text TEXT NOT NULL,
    measure TEXT,
    PRIMARY KEY (claim_id, position)
);
CREATE TABLE disputes (
    claim_id TEXT NOT NULL REFERENCES claims(id),
    position INTEGER NOT NULL,
    by_id TEXT NOT NULL REFERENCES actors(id),
    quote TEXT NOT NULL,
    PRIMARY KEY (claim_id, position)
);
CREATE TABLE topics (
    id TEXT PRIMARY KEY
);
CREATE TABLE claim_topics (
    claim_id TEXT NOT NULL REFERENCES claims(id),
    topic_id TEXT NOT NULL REFERENCES topics(id),
    PRIMARY KEY (claim_id, topic_id)
);
CREATE INDEX actor_parents_parent ON actor_parents(parent_id);
CREATE INDEX claims_claimant ON claims(claimant_id);
CREATE INDEX claims_source ON claims(source_id);
CREATE INDEX claims_disputed ON claims(disputed);
CREATE INDEX figures_measure ON figures(measure);
CREATE INDEX disputes_by ON disputes(by_id);
CREATE INDEX claim_topics_topic ON claim_topics(topic_id);
"""

# Bumped whenever the tables change, so a script can check what it opened.
SQLITE_VERSION = 1


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


def _fill_sqlite(conn, fb: FactBaseView, claims: Sequence[Claim]) -> None:
    actors = sorted(fb.actors.values(), key=lambda a: a.id)
    conn.executemany("INSERT INTO actors VALUES (?, ?, ?, ?)", [(a.id, a.name, a.kind, a.role) for a in actors])
    conn.executemany(
        "INSERT INTO actor_aliases VALUES (?, ?)", [(a.id, alias) for a in actors for alias in dict.fromkeys(a.aliases)]
    )
    conn.executemany(
        "INSERT INTO actor_parents VALUES (?, ?)", [(a.id, p) for a in actors for p in dict.fromkeys(a.part_of)]
    )
    sources = sorted(fb.sources.values(), key=lambda s: s.id)
    conn.executemany(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?)", [(s.id, s.title, s.url, s.publisher, s.text) for s in sources]
    )
    conn.executemany(
        "INSERT INTO source_sections VALUES (?, ?, ?)",
        [(s.id, i, name) for s in sources for i, name in enumerate(s.sections, 1)],
    )
    marks = ", ".join("?" * (8 + len(EXTRA_FIELDS)))
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
            )
            + tuple(_column(getattr(c, name)) for name in EXTRA_FIELDS)
            for c in claims
        ],
    )
    conn.executemany(
        "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (c.id, i, f.value, f.unit, f.qualifier, f.text, f.measure)
            for c in claims
            for i, f in enumerate(c.figures, 1)
        ],
    )
    conn.executemany(
        "INSERT INTO disputes VALUES (?, ?, ?, ?)",
        [(c.id, i, d.by, d.quote) for c in claims for i, d in enumerate(c.disputes, 1)],
    )
    topics = sorted({t for c in claims for t in c.topics})
    conn.executemany("INSERT INTO topics VALUES (?)", [(t,) for t in topics])
    conn.executemany(
        "INSERT INTO claim_topics VALUES (?, ?)", [(c.id, t) for c in claims for t in dict.fromkeys(c.topics)]
    )


def _column(value: object) -> object:
    """A field's value as an SQLite value: a list as JSON text."""
    if isinstance(value, tuple):
        import json

        return json.dumps(to_plain(value), ensure_ascii=False)
    return value


def write(fb: FactBaseView, claims: Sequence[Claim], path: str | os.PathLike[str]) -> None:
    write_sqlite(fb, claims, path)
