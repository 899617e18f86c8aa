"""Export claims to the tools people already use: CSV, SQLite (for Datasette), schema.org JSON-LD, JSON Lines.

Plain functions over the Python API (``factcli.load`` and ``FactBaseView.query``), no
command-line or terminal code, so a notebook can call them as well::

    import factcli
    from factcli import export
    fb = factcli.load()
    text = export.to_csv(fb, fb.query(disputed=True))

``csv`` and ``sqlite3`` are imported inside the functions that need them, so
loading this module (or any other format) does not pay for them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from factcli import contract
from factcli.model import Actor, Claim, FactBaseView, Figure, Source, to_plain

FORMATS = ("csv", "sqlite", "schema-org", "jsonl")

# --- CSV -----------------------------------------------------------------------------------------

# Claim fields the exports show in a shape of their own; any other field of ``model.Claim``
# (one added later) follows at the end, as a column named after it, in CSV and SQLite alike.
SHAPED_FIELDS = frozenset({"id", "claimant", "statement", "figures", "disputed", "disputes", "source", "topics", "path"})
EXTRA_FIELDS = tuple(name for name in Claim._fields if name not in SHAPED_FIELDS)

CSV_COLUMNS = (
    "id",
    "statement",
    "claimant",
    "claimant_name",
    "affiliations",
    "figures",
    "figure_values",
    "disputed",
    "disputed_by",
    "disputes",
    "source",
    "source_title",
    "section",
    "quote",
    "topics",
    "file",
    *EXTRA_FIELDS,
)

# OWASP "CSV injection": a cell starting with one of these may be run as a formula
# by Excel, LibreOffice or Google Sheets (tab and carriage return too, as some
# importers strip them and read what follows).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(cell: str) -> str:
    """The cell, made inert for spreadsheets: a leading formula character gets a ``'`` before it.

    This is OWASP's recommendation. A spreadsheet shows ``'-5`` as the text ``-5``;
    other readers see the quote, which is the price of never running a formula
    planted in a fact file.
    """
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _number(value: int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def figure_phrase(figure: Figure) -> str:
    """A figure as a reader would say it: ``at least 20 people killed``, ``several drones``."""
    return f"{figure.text} {figure.unit}"


def csv_row(fb: FactBaseView, claim: Claim) -> dict[str, str]:
    """One claim as a flat row of readable text cells (before neutralising), keyed by ``CSV_COLUMNS``."""
    actor = fb.actors[claim.claimant]
    source = fb.sources.get(claim.source.id)
    return {
        "id": claim.id,
        "statement": claim.statement,
        "claimant": claim.claimant,
        "claimant_name": actor.name,
        "affiliations": "; ".join(fb.affiliations(claim.claimant)),
        "figures": "; ".join(figure_phrase(f) for f in claim.figures),
        # One number per figure, so a single-figure claim gives a numeric cell a spreadsheet can sum.
        "figure_values": "; ".join(_number(f.value) for f in claim.figures if f.value is not None),
        "disputed": "true" if claim.disputed else "false",
        "disputed_by": "; ".join(claim.disputed_by),
        "disputes": " | ".join(f"{fb.actors[d.by].name}: {d.quote}" for d in claim.disputes),
        "source": claim.source.id,
        "source_title": source.title if source else "",
        "section": claim.source.section,
        "quote": claim.source.quote,
        "topics": "; ".join(claim.topics),
        "file": contract.claim_file(fb, claim),
        **{name: _cell(getattr(claim, name)) for name in EXTRA_FIELDS},
    }


def _cell(value: object) -> str:
    """A field's value as one CSV cell: lists joined with ``; ``, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "; ".join(_cell(item) for item in value)
    return _number(value) if isinstance(value, (int, float)) else str(value)


def to_csv(
    fb: FactBaseView,
    claims: Sequence[Claim],
    *,
    bom: bool = True,
    cell: Callable[[str], str] | None = None,
) -> str:
    """The claims as CSV: a header, then one row per claim; RFC 4180 (CRLF, minimal quoting).

    ``bom`` puts a UTF-8 byte order mark first, which Excel needs to read the file
    as UTF-8 rather than the legacy code page (LibreOffice, Google Sheets, pandas
    and ``csv`` with ``encoding="utf-8-sig"`` all accept it). ``cell`` is applied
    to every text cell before the formula guard (the command line uses it to make
    control characters visible on a terminal).
    """
    import csv
    import io

    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for claim in claims:
        row = csv_row(fb, claim)
        writer.writerow(neutralise(cell(row[c]) if cell else row[c]) for c in CSV_COLUMNS)
    return out.getvalue()


# --- SQLite --------------------------------------------------------------------------------------

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
            (c.id, c.statement, c.claimant, int(c.disputed), c.source.id, c.source.section, c.source.quote, contract.claim_file(fb, c))
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


# --- schema.org JSON-LD --------------------------------------------------------------------------

# schema.org type for each kind of actor. Narrator claims are the source's own
# voice: their author is the source's publisher when known. Unattributed claims
# have no author: none is invented.
SCHEMA_ORG_TYPES = {
    "person": "Person",
    "country": "Country",
    "government": "Organization",
    "military": "Organization",
    "organisation": "Organization",
    "group": "Organization",
    "media": "Organization",
}
CLAIM_REVIEWED_MAX = 74  # Google: keep claimReviewed under 75 characters.
DISPUTED_RATING = "Disputed"


def shorten(text: str, limit: int = CLAIM_REVIEWED_MAX) -> str:
    """``text`` in at most ``limit`` characters, cut on a word boundary and ended with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rfind(" ")
    if cut > 0 and text[limit - 1] != " ":
        head = head[:cut]
    return head.rstrip(" ,;:.-–—") + "…"


def _actor_node(fb: FactBaseView, actor: Actor) -> dict | None:
    kind = SCHEMA_ORG_TYPES.get(actor.kind)
    if kind is None:
        return None
    node: dict = {"@type": kind, "name": actor.name}
    if actor.aliases:
        node["alternateName"] = list(actor.aliases)
    if kind == "Person" and actor.role:
        node["jobTitle"] = actor.role
    # Only organisations can stand in affiliation / parentOrganization; a Country is a Place.
    orgs = [fb.actors[p] for p in actor.part_of if SCHEMA_ORG_TYPES.get(fb.actors[p].kind) == "Organization"]
    if orgs:
        key = "affiliation" if kind == "Person" else "parentOrganization" if kind == "Organization" else None
        if key:
            node[key] = [{"@type": "Organization", "name": o.name} for o in orgs]
    return node


def _source_node(source: Source) -> dict:
    node: dict = {"@type": "CreativeWork", "name": source.title}
    if source.url:
        node["url"] = source.url
    if source.publisher:
        node["publisher"] = {"@type": "Organization", "name": source.publisher}
    return node


def claim_node(fb: FactBaseView, claim: Claim) -> dict:
    """A schema.org ``Claim``: the neutral statement, the quote it rests on, its author and source."""
    actor = fb.actors[claim.claimant]
    source = fb.sources.get(claim.source.id)
    node: dict = {"@type": "Claim", "identifier": claim.id, "name": claim.statement, "text": claim.source.quote}
    author = _actor_node(fb, actor)
    if author is None and actor.kind == "narrator" and source and source.publisher:
        author = {"@type": "Organization", "name": source.publisher}
    if author:
        node["author"] = author
    if source:
        node["appearance"] = _source_node(source)
        if actor.kind == "narrator":
            # The source's own voice first appears in the source; for anyone else's words
            # the article is only where we met them, so firstAppearance is not claimed.
            node["firstAppearance"] = _source_node(source)
    if claim.topics:
        node["keywords"] = list(claim.topics)
    return node


def claim_review_node(fb: FactBaseView, claim: Claim, reviewer: str) -> dict:
    """A ``ClaimReview`` rating a disputed claim "Disputed", with the fields Google's fact-check markup requires."""
    source = fb.sources.get(claim.source.id)
    node: dict = {
        "@type": "ClaimReview",
        "claimReviewed": shorten(claim.statement),
        "author": {"@type": "Organization", "name": reviewer},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": DISPUTED_RATING,
            # The source's own words reporting each dispute, verbatim between quotation marks.
            "ratingExplanation": " ".join(f"{fb.actors[d.by].name}: “{d.quote}”" for d in claim.disputes),
        },
        "itemReviewed": claim_node(fb, claim),
    }
    if source and source.url:
        node["url"] = source.url
    return node


def to_schema_org(fb: FactBaseView, claims: Sequence[Claim], reviewer: str | None = None) -> dict:
    """A JSON-LD document of ``Claim`` records; with ``reviewer``, disputed ones wrapped in ``ClaimReview``."""
    reviewer = reviewer.strip() if reviewer else None
    graph = [
        claim_review_node(fb, c, reviewer) if reviewer and c.disputed else claim_node(fb, c) for c in claims
    ]
    return {"@context": "https://schema.org", "@graph": graph}


_HTML_UNSAFE = re.compile(r"[<>&]")


def schema_org_json(fb: FactBaseView, claims: Sequence[Claim], reviewer: str | None = None) -> str:
    """``to_schema_org`` as JSON text, safe to paste into ``<script type="application/ld+json">``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` and so on (the same JSON value),
    so no text in a fact file can close the script element.
    """
    text = contract.dumps(to_schema_org(fb, claims, reviewer))
    return _HTML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# --- JSON Lines ----------------------------------------------------------------------------------


def to_jsonl(fb: FactBaseView, claims: Sequence[Claim]) -> str:
    """One claim per line, exactly as ``factcli list --jsonl`` prints it (see ``factcli.contract``)."""
    return contract.dumps_lines(contract.claim_object(fb, c) for c in claims)
