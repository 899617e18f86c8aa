"""Opening the index of one fact base: connect, tell whether it is fresh, and update it in one transaction."""

from __future__ import annotations

import marshal
import os
import sqlite3
import time
from pathlib import Path

from factcli.index import scan
from factcli.index.cache import (
    SIDE_SUFFIXES,
    check_side_file,
    code_fingerprint,
    identity,
    index_path,
    private_dir,
    private_file,
)
from factcli.index.errors import IndexUnavailable, NotVouched, warn
from factcli.index.factbase import IndexedFactBase
from factcli.index.store import SCHEMA, Answers, is_corrupt, stored_meta
from factcli.model import FactBaseView

LOCK_TIMEOUT = 20.0  # seconds to wait for another command's write before reading the YAML instead


class Index:
    """The index of one fact base directory."""

    def __init__(self, root: Path):
        self.root = root  # as the user gave it: claim paths are shown relative to it, as the loader does
        self.root_str = str(root)
        self.real = os.path.realpath(root)  # taken once: every file read is checked to be inside it
        self.real_key = os.fsencode(self.real)  # as stored: a name need not be UTF-8
        self.path = index_path(root)
        self.conn: sqlite3.Connection | None = None
        self._scanned: tuple | None = None
        self._settled = False
        self._writer: sqlite3.Connection | None = None  # ``remember``'s own connection, opened when first needed

    # -- opening -------------------------------------------------------------------------------

    def open(self) -> FactBaseView:
        try:
            return self._open()
        except IndexUnavailable:
            self.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.close()
            if not is_corrupt(exc):
                raise IndexUnavailable(f"the index {self.path} cannot be used ({exc})") from None
            return self._rebuild(exc)
        except OSError as exc:
            self.close()
            raise IndexUnavailable(f"the index {self.path} cannot be used ({exc.strerror or exc})") from None
        except Exception as exc:
            from factcli.problems import FactBaseError

            if isinstance(exc, FactBaseError):
                raise
            # E.g. the loader's internals changed under the index: never crash, read the YAML instead.
            self.close()
            raise IndexUnavailable(f"the index cannot be used ({type(exc).__name__}: {exc})") from None

    def _rebuild(self, corruption: sqlite3.DatabaseError) -> FactBaseView:
        """Put a new index in place of a corrupt one; the one warning says how that ended."""
        self._remove_files()
        try:
            fb = self._open()
        except (sqlite3.Error, OSError, IndexUnavailable) as again:
            self.close()
            reason = again if isinstance(again, IndexUnavailable) else (getattr(again, "strerror", None) or again)
            raise IndexUnavailable(
                f"the index {self.path} was corrupt ({corruption}) and cannot be rebuilt ({reason})"
            ) from None
        except BaseException as exc:
            from factcli.problems import FactBaseError

            if isinstance(exc, Exception) and not isinstance(exc, FactBaseError):
                self.close()
                raise IndexUnavailable(
                    f"the index {self.path} was corrupt ({corruption}) and cannot be rebuilt ({type(exc).__name__}: {exc})"
                ) from None
            # The fact base has problems (the loader's report follows) or the command was interrupted.
            warn(f"the index {self.path} was corrupt ({corruption}) and has been replaced by an empty one")
            raise
        warn(f"the index {self.path} was corrupt ({corruption}) and has been rebuilt")
        return fb

    def close(self) -> None:
        for conn in (self.conn, self._writer):
            if conn is not None:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
        self.conn = self._writer = None

    def _remove_files(self) -> None:
        for suffix in SIDE_SUFFIXES:
            try:
                os.unlink(f"{self.path}{suffix}")  # unlink never follows a symlink: at worst the link goes
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise IndexUnavailable(f"the corrupt index {self.path} cannot be removed ({exc.strerror})") from None

    def _connect(self) -> sqlite3.Connection:
        self.conn = self._vouched_connection()
        return self.conn

    def _vouched_connection(self) -> sqlite3.Connection:
        """Open the index, once the cache directory and every file of it are known to be the user's own.

        Anyone who can write the cache directory or the index could make ``show`` print a
        statement no fact file holds; a symlink or FIFO put in place of a file must never be
        written through; and an index copies a private fact base's text, so it is kept 0600 in
        a 0700 directory.
        """
        folder = private_dir(self.path.parent)
        self.path = Path(folder, self.path.name)  # symlinks resolved once: later opens cannot be redirected
        for suffix in SIDE_SUFFIXES[1:]:
            check_side_file(Path(f"{self.path}{suffix}"))
        fd = private_file(self.path)
        conn = None
        try:
            conn = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None, check_same_thread=False)
            # SQLite opened by name: make sure the name still leads to the file vouched for. (Closing
            # our descriptor before SQLite takes any lock, as POSIX drops a process's locks on close.)
            if identity(os.fstat(fd)) != identity(os.stat(self.path, follow_symlinks=False)):
                raise IndexUnavailable(f"the index {self.path} was replaced while it was being opened")
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        finally:
            os.close(fd)
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                raise IndexUnavailable(f"the index {self.path} cannot use write-ahead logging")
            conn.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            conn.close()
            raise
        return conn

    def remember(self, answers: Answers, generation: object, epoch: int) -> bool:
        """Store answers made from the index as it stood at ``generation`` (its ``built_ns``), if it
        still stands there, as answers of ``epoch`` (``store.SCHEMA``); False when it has moved on, or
        is busy, or cannot be written: the answer was given either way, the next one encodes again.

        Written through a connection of its own, in short transactions, while the command's
        connection goes on reading its snapshot: a long answer never holds the write lock.
        """
        try:
            if self._writer is None:
                self._writer = self._vouched_connection()
                self._writer.execute("PRAGMA busy_timeout=100")  # another command writing: skip, never wait
            writer = self._writer
            writer.execute("BEGIN IMMEDIATE")
            try:
                if writer.execute("SELECT value FROM meta WHERE key = 'built_ns'").fetchone() != (generation,):
                    writer.execute("ROLLBACK")
                    return False
                answered = int(epoch)
                writer.executemany(
                    f"UPDATE claims SET json = ?, loose_json = ?, answered = {answered} WHERE id = ?", answers.claims
                )
                writer.executemany(
                    f"UPDATE figures SET json = ?, answered = {answered} WHERE measure = ? AND claim_id = ? AND pos = ?",
                    answers.figures,
                )
                writer.execute("COMMIT")
            except BaseException:
                writer.execute("ROLLBACK")
                raise
        except (sqlite3.Error, OSError, IndexUnavailable):
            return False
        return True

    def _open(self) -> FactBaseView:
        conn = self._connect()
        code = code_fingerprint()
        conn.execute("BEGIN")
        meta = stored_meta(conn)
        if meta is not None and self._fresh(meta, code):
            if self._settled:
                self._clear_racy(meta)
            return IndexedFactBase(self, conn)  # the read transaction stays open: one snapshot
        conn.execute("ROLLBACK")
        self._update(code, meta)
        conn.execute("BEGIN")
        return IndexedFactBase(self, conn)

    def _fresh(self, meta: dict, code: str) -> bool:
        if meta.get("schema") != SCHEMA or meta.get("code") != code or meta.get("root") != self.real_key:
            return False
        listing = scan.scan(self.root_str)
        deps = marshal.loads(meta["deps"])
        stored_listing, stored_deps = marshal.loads(meta["listing"])
        self._scanned = (listing, scan.stat_deps(self.root_str, deps))
        if self._scanned != (stored_listing, stored_deps):
            return False
        racy = marshal.loads(meta["racy"])
        if not racy:
            return True
        if not self._racy_unchanged(racy):
            return False
        # Unchanged, and old enough now that any later change shows in the stat: stop hashing them.
        newest = max(entry[3] for entry in listing + self._scanned[1] if entry[0] in racy)
        self._settled = time.time_ns() > newest + scan.RACY_NS
        return True

    def _clear_racy(self, meta: dict) -> None:
        """Forget the racy files (best effort: another command may hold the lock; it can wait)."""
        conn = self.conn
        assert conn is not None
        conn.execute("COMMIT")
        try:
            conn.execute("PRAGMA busy_timeout=50")
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone() == (meta["listing"],):
                conn.execute("UPDATE meta SET value = ? WHERE key = 'racy'", (marshal.dumps({}),))
            conn.execute("COMMIT")
        except sqlite3.Error:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        finally:
            conn.execute(f"PRAGMA busy_timeout={int(LOCK_TIMEOUT * 1000)}")
        conn.execute("BEGIN")

    def _racy_unchanged(self, racy: dict[str, tuple[str, bool]]) -> bool:
        """Files written so recently that a same-size change could keep their mtime: compare contents."""
        from factcli.index.read import content_hash, file_bytes, text_hash

        for rel, (digest, is_text) in racy.items():
            if is_text:
                if text_hash(self.real, rel) != digest:
                    return False
                continue
            try:
                data = file_bytes(self.real, rel)
            except NotVouched:
                return False
            if content_hash(data) != digest:
                return False
        return True

    # -- updating ------------------------------------------------------------------------------

    def _update(self, code: str, seen_meta: dict | None) -> None:
        conn = self.conn
        assert conn is not None
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise IndexUnavailable(f"the index {self.path} is locked by another command") from None
            raise
        try:
            meta = stored_meta(conn)
            if meta is None or meta.get("schema") != SCHEMA:
                # New, or written by another version of factcli: start from empty tables of this one's shape.
                for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                    conn.execute(f'DROP TABLE IF EXISTS "{table}"')
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            if meta != seen_meta or self._scanned is None:
                # Another command updated the index meanwhile (or nothing was scanned yet): look again.
                self._scanned = None
                if meta is not None and self._fresh(meta, code):
                    conn.execute("COMMIT")
                    return
                if self._scanned is None:
                    self._scanned = (scan.scan(self.root_str), [])
            same_code = (
                meta is not None
                and meta.get("schema") == SCHEMA
                and meta.get("code") == code
                and meta.get("root") == self.real_key
            )
            if meta is not None and not same_code:
                for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                    conn.execute(f'DELETE FROM "{table}"')
            from factcli.index.update import Updater

            Updater(self, conn).run(self._scanned[0])
            conn.execute("COMMIT")
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise
