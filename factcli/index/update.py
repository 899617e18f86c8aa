"""Bringing the index in line with the files: only what changed is read, checked and written again."""

from __future__ import annotations

import json
import marshal
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from factcli.files import MAX_FACT_FILE
from factcli.index import read, scan
from factcli.index.cache import code_fingerprint
from factcli.index.errors import IndexUnavailable, NotVouched
from factcli.index.read import content_hash, file_bytes, text_hash
from factcli.index.scan import kind_of, of_kind, recent
from factcli.index.store import (
    ACTOR_FACETS,
    ACTOR_SQL,
    ANSWERS_EPOCH,
    CLAIM_COLUMNS,
    INSERT_CLAIM,
    INSERT_FIGURE,
    LINK_FACETS,
    SCHEMA,
    SECONDARY_INDEXES,
    SOURCE_SQL,
    actor_from_row,
    claim_from_row,
    claim_rows,
    record_blob,
    source_from_row,
)
from factcli.model import Actor

if TYPE_CHECKING:  # pragma: no cover
    from factcli.index.connection import Index
    from factcli.validate import InFile, Place
    from factcli.yamlsafe import Document

PARALLEL_MIN = 256 * 1024  # bytes of claim files to parse before a process pool pays for itself (~400 claims)
BULK_FILES = 400  # claim files changed at once that are written with the secondary indexes dropped
PROGRESS_AFTER = 1.0  # seconds a rebuild runs before a progress bar appears (on a terminal)


def check_claims(root: str, real: str, rels: list[str], actors: list, sources: list) -> tuple[list, list]:
    """Read, check and turn into index rows the claim files ``rels`` (a worker's share of a rebuild).

    Each file is checked by the loader's own code: its schema, its id, and its
    references to ``actors`` and ``sources`` (quotes in the source text, figures
    in the quote...). A file holds one claim or many. Returns ((rel, content
    hash) for each file, (claims row, facet rows, figures rows) for each claim); raises
    ``NotVouched`` when any has a problem.
    """
    from factcli import validate

    report = validate.Report()
    values, files, rel_of = [], [], {}
    for rel in rels:
        data = file_bytes(real, rel, trusted=True)
        files.append((rel, content_hash(data)))
        path = os.path.join(root, rel)  # a str, not a Path: 10,000 files, 10,000 Path parses saved
        rel_of[path] = rel
        doc = read.read_value(data)
        values.append((doc.value, _placed(path, doc, real)))
    built = validate.build_claims(values, report)
    if report.problems or len({located.place.file for located in built}) != len(values):
        raise NotVouched  # a problem, or a file that yields no claim at all
    if callable(sources):  # only those cited (a small update): a missing one is reported by the loader
        sources = sources(
            {located.record.source.id for located in built}
            | {r.source for located in built for _, _, r in located.record.reactions() if r.source is not None}
        )
    validate.check_references(actors, sources, built, report)
    if report.problems:
        raise NotVouched
    return files, [claim_rows(rel_of[c.place.file], c.record) for c in built]


def _placed(path: str, doc: Document, real: str) -> Place:
    """Where a file's problems are pinned: its marks when the reader kept them (``yamlsafe.parse``),
    else the file, parsed again only should a problem need a line."""
    from factcli.validate import InDocument, InFile

    return InDocument(path, doc) if doc.marks else InFile(path, path, real)


_SHARED: list = []  # (actors, sources) for the workers: inherited when forked, else sent once each


def _init_worker(actors: list, sources: list) -> None:
    _SHARED[:] = [actors, sources]


Columns = tuple[list, list, list, list]  # a chunk's rows: files (rel, hash), claims, facets, figures


def _columns(files: list, rows: list) -> Columns:
    """``check_claims``'s answer as rows for each table, the facets in key order: inserted in
    order, SQLite fills its pages one after the other instead of splitting them all over."""
    facets = [facet for row in rows for facet in row[1]]
    facets.sort()  # (a facet's values are all of one type: texts, or counts)
    return files, [row[0] for row in rows], facets, [figure for row in rows for figure in row[2]]


def _check_chunk(root: str, real: str, rels: list[str]) -> bytes | None:
    """A worker's chunk, checked, as ``marshal`` bytes of its ``Columns`` (the parent reads them back
    several times faster than a pickle); None when it has a problem."""
    try:
        return marshal.dumps(_columns(*check_claims(root, real, rels, *_SHARED)))
    except NotVouched:
        return None


class Updater:
    """Bring the index in line with the files on disk, re-parsing only what changed."""

    def __init__(self, index: Index, conn: sqlite3.Connection):
        self.index, self.conn = index, conn
        self.root = index.root_str
        self.real = index.real

    def run(self, listing: list[scan.Entry]) -> None:
        try:
            self._run(listing)
        except NotVouched:
            # Something is wrong (or the fast path will not vouch for it): the loader's own report.
            self.conn.execute("ROLLBACK")
            from factcli.loader import load_dir

            load_dir(self.index.root)  # raises FactBaseError with every problem
            # The loader found nothing wrong after all: answer from the YAML, store nothing.
            raise IndexUnavailable("the index could not vouch for this fact base") from None

    def _run(self, listing: list[scan.Entry]) -> None:
        """One update, top-down: what changed; the actors and sources; the claims; what the change
        can break elsewhere; then, every check passed, the rest of the new state."""
        from factcli import validate

        self.started = time.time_ns()
        self.report = validate.Report()
        if not listing:
            raise NotVouched
        self._find_changes(listing)
        changed = [*self.dirty, *self.removed]
        actors_changed = any(kind_of(rel) == "actors" for rel in changed)
        measures_changed = any(kind_of(rel) == "measures" for rel in changed)
        sources_changed = self.texts_changed or any(kind_of(rel) == "source" for rel in changed)
        claim_rels = [rel for rel in self.dirty if self.scanned[rel][0] == "claim"]

        # Actors and sources first (few files, read here, or from the index when unchanged): the
        # claims are checked against them, in worker processes for a large rebuild.
        if actors_changed:
            actors = validate.build_actors([self._value_of(rel) for rel in of_kind(listing, "actors")], self.report)
        else:
            actors = [validate.Located(a, self._place(a.path), None) for a in self._stored_actors()]
        sources: list | Callable[[set[str] | None], list]
        if sources_changed:
            sources, source_rels, text_rows = self._sources_after_change(listing)
        else:
            # Unchanged: only the sources the changed claims cite are read back (with their texts).
            sources = self._stored_sources_located
        measures = []
        if measures_changed:
            measures = validate.build_measures(
                [self._value_of(rel) for rel in of_kind(listing, "measures")], self.report
            )
            validate.check_measures(measures, self.report)
        if self.report.problems:
            raise NotVouched

        new_ids = self._write_claims(claim_rels, actors, sources)  # (forgets the changed files' rows first)
        if actors_changed or sources_changed:
            self._recheck_unchanged(
                actors, sources, claim_rels, actors_changed=actors_changed, sources_changed=sources_changed
            )

        if measures_changed:
            self._write_measures(measures)
        if changed or sources_changed:
            self._check_measures_named()
            self._check_links(actors, sources)

        # -- all checks passed: the rest of the new state --------------------------------------
        self._forget_answers(new_ids, actors_changed, sources if isinstance(sources, list) else None)
        self._write_files()
        if actors_changed:
            self._write_actors(actors)
        if sources_changed:
            assert isinstance(sources, list)
            self._write_sources(sources, source_rels, text_rows)
        self._write_meta(listing, self.started)

    def _find_changes(self, listing: list[scan.Entry]) -> None:
        """Compare the scan with the listing the index was written from.

        The index holds every fact file with exactly the stat of that listing (see
        ``_write_meta``), so a file whose entry is unchanged, and which was not racy
        then, needs no look at all: a small edit reads the few rows it touches, not
        every file of a large fact base. Sets ``dirty`` (added or changed files, with
        their bytes once read), ``touched`` (a new stat, the same content), ``removed``,
        and the source texts' stats now.
        """
        conn, root, started = self.conn, self.root, self.started
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('listing', 'racy', ?)", (ANSWERS_EPOCH,)))
        self.answers_epoch = int(meta.get(ANSWERS_EPOCH, 0))
        old_listing, texts = marshal.loads(meta["listing"]) if "listing" in meta else ([], [])
        # Racy at the last write: compared by content until cleared, however old they look now
        # (on a file system with coarse times, a second edit can keep the stat of the first).
        racy = self.racy = set(marshal.loads(meta["racy"])) if "racy" in meta else set()
        same = set(old_listing)
        candidates = [entry for entry in listing if entry not in same or entry[0] in racy or recent(entry[3], started)]
        for rel, size, *_ in candidates:
            if kind_of(rel) is None or size < 0 or size > MAX_FACT_FILE:
                raise NotVouched  # not a fact file, gone, too large, a folder that cannot be listed or a bad name
        present = {entry[0] for entry in listing}
        self.removed = [rel for rel, *_ in old_listing if rel not in present]
        stored = self.stored = {
            rel: (kind, size, tuple(stamp), digest)
            for rel, kind, size, *stamp, digest in conn.execute(
                "SELECT rel, kind, size, mtime_ns, ctime_ns, ino, dev, hash FROM files"
                " WHERE rel IN (SELECT value FROM json_each(?))",
                (json.dumps([entry[0] for entry in candidates]),),
            )
        }
        # rel -> (kind, size, (mtime, ctime, ino, dev)) of the files that may have changed
        scanned: dict[str, tuple[str, int, tuple[int, ...]]] = {}
        self.scanned = scanned
        for rel, size, *stat in candidates:
            scanned[rel] = (kind_of(rel) or "", size, tuple(stat))
        self.dirty: dict[str, bytes | None] = {}  # rel -> content (once read), for files added or changed
        self.touched: dict[str, tuple[int, tuple[int, ...], str]] = {}  # rel -> new stat, same content
        for rel, (_kind, size, stamp) in scanned.items():
            row = stored.get(rel)
            if (
                row is not None
                and row[1] == size
                and row[2] == stamp
                and rel not in racy
                and not recent(stamp[1], started)
            ):
                continue
            if row is not None and row[1] == size:
                data = file_bytes(self.real, rel)
                digest = content_hash(data)
                if digest == row[3]:
                    if row[2] != stamp:
                        self.touched[rel] = (size, stamp, digest)
                    continue
                self.dirty[rel] = data
            else:
                self.dirty[rel] = None
        self.texts_now = scan.stat_deps(root, [t[0] for t in texts])
        self.texts_changed = self.texts_now != texts or any(t[0] in racy or recent(t[3], started) for t in texts)
        self.values: dict[str, object] = {}  # rel -> parsed value, of the actors and source files read

    def _value_of(self, rel: str) -> tuple[object, Place]:
        """An actors or source file's value, and its place: read if changed, else from the index."""
        if rel in self.dirty:
            data = self.dirty[rel]
            if data is None:
                data = self.dirty[rel] = file_bytes(self.real, rel)  # kept: the row's hash is of the very bytes parsed
            doc = read.read_value(data)
            self.values[rel] = doc.value
            return doc.value, _placed(os.path.join(self.root, rel), doc, self.real)
        (raw,) = self.conn.execute("SELECT value FROM files WHERE rel = ?", (rel,)).fetchone()
        return json.loads(raw), self._place(rel)

    def _place(self, rel: str) -> InFile:
        """The file ``rel``, pinned to a line only should a problem need it (the loader reports them)."""
        from factcli.validate import InFile

        path = os.path.join(self.root, rel)
        return InFile(path, path, self.real)

    def _forget_changed(self) -> None:
        """Delete the rows of every changed or removed file (claims and their facets too)."""
        conn = self.conn
        gone_set = set(self.removed)
        changed_rels = sorted(set(self.dirty) | gone_set)
        if not changed_rels:
            return
        gone = json.dumps(changed_rels)
        # (Counting only files the index holds: added files replace nothing.)
        replaced = sum(kind_of(rel) == "claim" and (rel in self.stored or rel in gone_set) for rel in changed_rels)
        if (
            replaced >= BULK_FILES
            and replaced == conn.execute("SELECT count(*) FROM files WHERE kind = 'claim'").fetchone()[0]
        ):
            # Every claim file changed: the tables are emptied at once, not row by row.
            conn.execute("DELETE FROM facets")
            conn.execute("DELETE FROM figures")
            conn.execute("DELETE FROM claims")
            conn.execute("DELETE FROM files WHERE kind = 'claim'")
            gone = json.dumps([rel for rel in changed_rels if kind_of(rel) != "claim"])
        else:
            # (First the answers of the claims they link to or from, while the links are known.)
            conn.execute(f"{FORGET_ANSWERS} AND ({_LINKED.format(ids=_IDS_IN_RELS)})", (gone, *LINK_FACETS))
            conn.execute(
                "DELETE FROM facets WHERE claim_id IN (SELECT id FROM claims WHERE rel IN (SELECT value FROM json_each(?)))",
                (gone,),
            )
            conn.execute(
                "DELETE FROM figures WHERE claim_id IN (SELECT id FROM claims WHERE rel IN (SELECT value FROM json_each(?)))",
                (gone,),
            )
            conn.execute("DELETE FROM claims WHERE rel IN (SELECT value FROM json_each(?))", (gone,))
        conn.execute("DELETE FROM files WHERE rel IN (SELECT value FROM json_each(?))", (gone,))

    def _write_claims(self, claim_rels: list[str], actors: list, sources) -> list[str]:
        """Forget the rows of every changed or removed file, then check and write the claim files
        ``claim_rels``, chunk by chunk as the workers finish them; the ids written.

        The old rows are deleted while the workers parse (a core left idle otherwise); writing
        many, the secondary indexes are dropped and built again afterwards (several times faster).
        """
        conn, scanned = self.conn, self.scanned
        new_ids: list[str] = []
        bulk = len(claim_rels) >= BULK_FILES or sum(scanned[rel][1] for rel in claim_rels) >= PARALLEL_MIN

        def forget() -> None:
            self._forget_changed()
            if bulk:
                conn.execute("PRAGMA cache_size=-65536")
                for name in SECONDARY_INDEXES:
                    conn.execute(f"DROP INDEX IF EXISTS {name}")

        for files, claims, facets, figures in _claim_chunks(
            self.root, self.real, claim_rels, [scanned[rel][1] for rel in claim_rels], actors, sources, forget
        ):
            try:
                conn.executemany(INSERT_CLAIM, claims)
            except sqlite3.IntegrityError:
                raise NotVouched from None  # an id some other file already has: the loader names both
            # (OR IGNORE: a facet can give one value twice, a statement that is its own quote.)
            conn.executemany("INSERT OR IGNORE INTO facets VALUES (?,?,?)", facets)
            conn.executemany(INSERT_FIGURE, figures)
            conn.executemany(
                "INSERT INTO files VALUES (?,?,?,?,?,?,?,?,NULL)",
                [(rel, "claim", scanned[rel][1], *scanned[rel][2], digest) for rel, digest in files],
            )
            new_ids.extend(claim[0] for claim in claims)
        if bulk:
            for statement in SCHEMA.split(";"):
                if "CREATE INDEX" in statement:
                    conn.execute(statement)
        # Ids are unique across the whole fact base (the claims table's key refuses a duplicate too).
        if len(set(new_ids)) != len(new_ids):
            raise NotVouched
        return new_ids

    def _forget_answers(self, new_ids: list[str], actors_changed: bool, sources: list | None) -> None:
        """Set back the stored answers (``store.SCHEMA``: ``json``) this change can alter: a changed
        claim is new rows, but the claims it links to or from show those links."""
        conn = self.conn
        if actors_changed:  # every answer shows its claimant's name (and a claim's, affiliations): a new epoch
            self.answers_epoch += 1
            return
        if new_ids:
            conn.execute(
                f"{FORGET_ANSWERS} AND ({_LINKED.format(ids='SELECT value FROM json_each(?1)')})",
                (json.dumps(new_ids), *LINK_FACETS),
            )
        if sources is not None:  # a claim with no date of its own shows its source's
            before = {s.id: s.published for s in (source_from_row(row, str) for row in conn.execute(SOURCE_SQL))}
            after = {located.record.id: located.record.published for located in sources}
            redated = [sid for sid in before.keys() | after.keys() if before.get(sid, ()) != after.get(sid, ())]
            conn.execute(
                f"{FORGET_ANSWERS} AND id IN (SELECT claim_id FROM facets WHERE facet = 'source'"
                " AND value IN (SELECT value FROM json_each(?)))",
                (json.dumps(redated),),
            )

    def _write_files(self) -> None:
        """The rows of the actors and source files read, and the new stat of those merely touched."""
        rows = []
        for rel, data in self.dirty.items():
            kind, size, stamp = self.scanned[rel]
            if kind != "claim" and data is not None:  # (actors and source files are read when built)
                rows.append(
                    (rel, kind, size, *stamp, content_hash(data), json.dumps(self.values[rel], ensure_ascii=False))
                )
        self.conn.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?)", rows)
        self.conn.executemany(
            "UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, ino = ?, dev = ?, hash = ? WHERE rel = ?",
            [(size, *stamp, digest, rel) for rel, (size, stamp, digest) in self.touched.items()],
        )

    def _write_actors(self, actors: list) -> None:
        self.conn.execute("DELETE FROM actors")
        self.conn.executemany(
            "INSERT INTO actors VALUES (?,?,?,?)",
            [
                (a.id, i, os.path.relpath(path, self.root), record_blob(a))
                for i, (a, path) in enumerate((located.record, located.place.file) for located in actors)
            ],
        )

    def _write_measures(self, measures: list) -> None:
        self.conn.execute("DELETE FROM measures")
        self.conn.executemany(
            "INSERT INTO measures VALUES (?,?,?,?)",
            [
                (m.record.id, i, os.path.relpath(m.place.file, self.root), record_blob(m.record))
                for i, m in enumerate(measures)
            ],
        )

    def _check_measures_named(self) -> None:
        """With a measures registry, every figure's measure is in it (checked for the whole table: one query)."""
        conn = self.conn
        if conn.execute("SELECT 1 FROM measures LIMIT 1").fetchone() is None:
            return  # no registry: measures are free, as in version 1
        stray = conn.execute(
            "SELECT 1 FROM facets WHERE facet = 'measure' AND value NOT IN (SELECT id FROM measures) LIMIT 1"
        ).fetchone()
        if stray:
            raise NotVouched

    def _check_links(self, actors: list, sources) -> None:
        """The claims naming other claims (updates, matches), checked with every claim they name,
        read back from the index: a few rows, whatever the size of the fact base."""
        from factcli import validate

        rows = self.conn.execute(
            f"SELECT {CLAIM_COLUMNS} FROM claims"
            " WHERE id IN (SELECT claim_id FROM facets WHERE facet IN (?1, ?2))"
            " OR id IN (SELECT value FROM facets WHERE facet IN (?1, ?2))",
            LINK_FACETS,
        ).fetchall()
        if not rows:
            return
        claims = [validate.Located(c, self._place(c.path), None) for c in (claim_from_row(row, str) for row in rows)]
        cited = {located.record.source.id for located in claims}
        located_sources = sources(cited) if callable(sources) else sources
        validate.check_links(
            claims,
            {located.record.id: located.record for located in actors},
            {located.record.id: located.record for located in located_sources},
            self.report,
        )
        if self.report.problems:
            raise NotVouched

    def _write_sources(self, sources: list, source_rels: list[str], text_rows: dict) -> None:
        conn = self.conn
        conn.execute("DELETE FROM sources")
        conn.executemany(
            "INSERT INTO sources VALUES (?,?,?,?)",
            [
                (s.id, i, rel, record_blob(s))
                for i, (s, rel) in enumerate(zip((located.record for located in sources), source_rels, strict=True))
            ],
        )
        conn.execute("DELETE FROM files WHERE kind = 'text'")
        conn.executemany(
            "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,NULL)",
            [(rel, "text", *row) for rel, row in text_rows.items()],
        )

    def _write_meta(self, listing, started: int) -> None:
        conn = self.conn
        # Every fact file is stored with the stat the scan saw (unchanged, re-read or touched alike).
        deps = [
            tuple(row)
            for row in conn.execute(
                "SELECT rel, size, mtime_ns, ctime_ns, ino, dev FROM files WHERE kind = 'text' ORDER BY rel"
            )
        ]
        texts = [rel for rel, *_ in deps]
        racy = {
            rel: (digest or "", kind == "text")
            for rel, kind, digest in conn.execute(
                "SELECT rel, kind, hash FROM files WHERE ctime_ns >= ? OR mtime_ns >= ?",
                (started - scan.RACY_NS, started - scan.RACY_NS),
            )
        }
        meta = {
            "schema": SCHEMA,
            "code": code_fingerprint(),
            "root": self.index.real_key,
            "listing": marshal.dumps((listing, deps)),
            "deps": marshal.dumps(texts),
            "racy": marshal.dumps(racy),
            "built_ns": str(started),
            ANSWERS_EPOCH: str(self.answers_epoch),
        }
        conn.execute("DELETE FROM meta")
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())

    def _sources_after_change(self, listing) -> tuple[list, list, dict]:
        """The sources once some changed: those whose file or text changed are built again by
        the loader; the others come back from the index, texts and all, without a file read.

        Returns the located sources in the loader's order, their files (relative to the
        root), and the files row (size, mtime, ctime, ino, dev, hash) of every source's text. Sets
        ``changed_sources``: the ids whose sections or text changed, or that are gone.
        """
        from factcli import validate

        conn, root, racy, started = self.conn, self.root, self.racy, self.started
        old_rows = {
            rel: tuple(row)
            for rel, *row in conn.execute(
                "SELECT rel, size, mtime_ns, ctime_ns, ino, dev, hash FROM files WHERE kind = 'text'"
            )
        }
        stale = {
            rel
            for rel, size, mtime, ctime, ino, dev in self.texts_now
            if old_rows.get(rel, ())[:5] != (size, mtime, ctime, ino, dev)
            or ((rel in racy or recent(ctime, started)) and text_hash(self.real, rel) != old_rows[rel][5])
        }
        # A text's stat as this update first saw it, before any read: a source built again records
        # that one, so a text saved meanwhile (and shared with a source taken from the index) shows
        # as changed next time instead of hiding behind the newer stat.
        seen = {rel: tuple(stamp) for rel, *stamp in self.texts_now}
        values = dict(conn.execute("SELECT rel, value FROM files WHERE kind = 'source'"))
        stored = {
            s.path: s for s in (source_from_row(row, str) for row in conn.execute(SOURCE_SQL))
        }  # by file, relative

        order: list[tuple[str, tuple[object, Place, str] | None]] = []  # (rel, None): taken from the index
        text_rows: dict[str, tuple] = {}
        text_stats: dict[str, tuple] = {}
        for rel in of_kind(listing, "source"):
            if rel not in self.dirty and rel in stored and rel in values:
                text_rel = _text_rel(root, rel, json.loads(values[rel]))
                if text_rel is not None and text_rel in old_rows and text_rel not in stale:
                    order.append((rel, None))
                    text_rows[text_rel] = old_rows[text_rel]
                    continue
            value, place = self._value_of(rel)
            text_rel = _text_rel(root, rel, value)
            if text_rel in seen:
                text_stats[rel] = (text_rel, *seen[text_rel])
            elif text_rel is not None:  # a text new to the index: its stat, taken before the loader reads it
                try:
                    st = os.stat(os.path.join(self.real, text_rel))
                except (OSError, ValueError):  # gone, or a name no file can have (a NUL): the loader says
                    raise NotVouched from None
                text_stats[rel] = (text_rel, *scan.stat_key(st))
            order.append((rel, (value, place, place.file)))
        built = {
            os.path.relpath(located.place.file, root): located
            for located in validate.build_sources([parsed for _, parsed in order if parsed], self.report, self.real)
        }
        if self.report.problems or not built.keys() <= text_stats.keys():
            raise NotVouched
        sources = []
        before = {s.id: s for s in stored.values()}
        self.changed_sources = set(before)  # until seen again, unchanged
        for rel, parsed in order:
            if parsed is None:
                sources.append(validate.Located(stored[rel], self._place(rel)))
                self.changed_sources.discard(stored[rel].id)
                continue
            located = built[rel]
            sources.append(located)
            source = located.record
            old = before.get(source.id)
            if old is not None and (old.sections, old.text) == (source.sections, source.text):
                self.changed_sources.discard(old.id)
            text_rel, *stamp = text_stats[rel]
            text_rows[text_rel] = (*stamp, content_hash(source.text.encode("utf-8")))
        return sources, [rel for rel, _ in order], text_rows

    def _recheck_unchanged(
        self, actors: list, sources, checked_rels: list[str], *, actors_changed: bool, sources_changed: bool
    ) -> None:
        """Check the claims of the files not in ``checked_rels`` (unchanged) against the new actors and sources.

        Those claims were checked when their files were read; only what they cite can
        have changed, so only that is checked again, not every claim in the fact base.
        Changed actors: every claimant and disputer must still be an actor, which one
        query answers for the whole table. Changed sources: the claims citing a source
        whose sections or text changed, or that is gone, are read back and checked in
        full. Raises ``NotVouched`` at the first problem; the loader then finds them all.
        """
        from factcli import validate

        conn, checked_json = self.conn, json.dumps(checked_rels)
        actor_ids = json.dumps([located.record.id for located in actors])
        stray = (
            actors_changed
            and conn.execute(
                """
            SELECT 1 FROM facets
            WHERE facet IN (SELECT value FROM json_each(:facets))
              AND value NOT IN (SELECT value FROM json_each(:actors))
              AND claim_id NOT IN (SELECT id FROM claims WHERE rel IN (SELECT value FROM json_each(:checked)))
            LIMIT 1
            """,
                {"checked": checked_json, "actors": actor_ids, "facets": json.dumps(ACTOR_FACETS)},
            ).fetchone()
        )
        if stray:
            raise NotVouched
        kept = []
        if sources_changed:
            rows = conn.execute(
                f"SELECT {CLAIM_COLUMNS} FROM claims"
                " WHERE id IN (SELECT claim_id FROM facets"
                " WHERE facet IN ('source', 'cites') AND value IN (SELECT value FROM json_each(?)))"
                " AND rel NOT IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(self.changed_sources)), checked_json),
            )
            kept = [validate.Located(c, self._place(c.path), None) for c in (claim_from_row(row, str) for row in rows)]
        # The actors' own references and cycles, unique ids, and the claims read back.
        validate.check_references(actors, sources if sources_changed else [], kept, self.report)
        if self.report.problems:
            raise NotVouched

    # -- reading back what is unchanged -----------------------------------------------------------

    def _stored_actors(self) -> list[Actor]:
        return [actor_from_row(row, str) for row in self.conn.execute(ACTOR_SQL)]

    def _stored_sources_located(self, ids: set[str] | None = None) -> list:
        sql, args = SOURCE_SQL, ()
        if ids is not None:
            sql, args = sql + " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(ids)),)  # type: ignore[assignment]
        from factcli.validate import Located

        return [
            Located(s, self._place(s.path))
            for s in (source_from_row(row, str) for row in self.conn.execute(sql + " ORDER BY pos", args))
        ]


FORGET_ANSWERS = "UPDATE claims SET json = NULL, loose_json = NULL, answered = NULL WHERE answered IS NOT NULL"
# Every claim linking to or from one of the claims whose ids ``{ids}`` (a query, its first
# parameter) gives (parameters 2 and 3: ``LINK_FACETS``): the claims whose answers show those links.
_LINKED = (
    "id IN (SELECT value FROM facets WHERE facet IN (?2, ?3) AND claim_id IN ({ids}))"
    " OR id IN (SELECT claim_id FROM facets WHERE facet IN (?2, ?3) AND value IN ({ids}))"
)
_IDS_IN_RELS = "SELECT id FROM claims WHERE rel IN (SELECT value FROM json_each(?1))"


def _text_rel(root: str, rel: str, value) -> str | None:
    """Where the source file ``rel`` (its parsed ``value``) says its text is, relative to root."""
    raw = value.get("text") if isinstance(value, dict) else None
    if not isinstance(raw, str) or not raw.strip():
        return None
    if os.path.isabs(raw):
        return raw
    if "/" not in raw and "\\" not in raw and raw not in (".", ".."):  # a plain name beside it, as the loader asks
        head = os.path.dirname(rel)
        return f"{head}/{raw}" if head else raw
    return os.path.relpath(os.path.join(root, os.path.dirname(rel), raw), root)


def _claim_chunks(
    root: str, real: str, rels: list[str], sizes: list[int], actors: list, sources, started: Callable[[], None]
) -> Iterator[Columns]:
    """Check the claim files ``rels`` (of ``sizes`` bytes), yielding their rows a chunk at a time;
    ``started`` is called once, as soon as the checks are under way (before any row is yielded).

    A large rebuild runs on every core (a process pool, in chunks of about equal
    bytes, whether the files hold one claim or fifty), with a Rich progress bar
    on stderr when it takes long and stderr is a terminal.
    """
    total = sum(sizes)
    if not rels or total < PARALLEL_MIN:
        started()
        if rels:
            yield _columns(*check_claims(root, real, rels, actors, sources))
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from factcli.progress import progress_bar

    if callable(sources):
        sources = sources()

    try:
        workers = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        workers = os.cpu_count() or 1
    if workers < 2:
        started()
        yield _columns(*check_claims(root, real, rels, actors, sources))
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Chunks of about equal bytes: several per worker, so one slow chunk does not leave a core idle.
    target = max(32 * 1024, total // (workers * 8))
    chunks, start, acc = [], 0, 0
    for i, size in enumerate(sizes):
        acc += size
        if acc >= target:
            chunks.append((start, i + 1))
            start, acc = i + 1, 0
    if start < len(rels):
        chunks.append((start, len(rels)))
    begun = time.monotonic()
    progress = task = None
    with ProcessPoolExecutor(
        max(1, workers), mp_context=context, initializer=_init_worker, initargs=(actors, sources)
    ) as pool:
        pending = {pool.submit(_check_chunk, root, real, rels[a:b]): b - a for a, b in chunks}
        files_in = dict(pending)
        done_files = 0
        try:
            started()
            while pending:
                done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in done:
                    del pending[future]
                    chunk = future.result()
                    if chunk is None:
                        raise NotVouched
                    done_files += files_in[future]
                    yield marshal.loads(chunk)
                if progress is None and pending and time.monotonic() - begun > PROGRESS_AFTER and sys.stderr.isatty():
                    progress, task = progress_bar(len(rels))
                if progress is not None and task is not None:
                    progress.update(task, completed=done_files)
        finally:
            for other in pending:  # (stopped early: a problem, here or in the rows written)
                other.cancel()
            if progress is not None:
                progress.stop()
