"""An embedded index of a fact base: SQLite in the user's cache, so big fact bases answer at once.

The YAML files stay the only source of truth. The index holds the parsed,
validated fact base together with the path, size, ``mtime_ns``, ``ctime_ns``, inode
and device of every file it was built from (and a content hash). The ctime catches
what an mtime alone can miss: a same-size edit whose mtime was set back (``touch -r``,
``rsync -t``, an editor restoring it); the inode and device catch another file put in
its place with the very same times (a folder moved aside and another moved in, files
unpacked together by ``tar x``, a symlink pointed elsewhere). Every command:

1. lists the fact base's files and stats each one (``os.scandir``), and compares
   that listing with the one the index was built from;
2. when they match, answers from the index: filters, sort and limit run as SQL
   and only the returned claims are built, so neither PyYAML nor every claim is
   loaded;
3. when they differ, re-parses only the added and changed files (a file whose
   mtime changed but whose content hash did not is not re-parsed), re-runs the
   loader's own checks on what they can affect (the claims naming actors, when an
   actors file changed; the claims citing a changed or vanished source), and
   commits the new state in one SQLite transaction.

A file whose ctime is within ``RACY_NS`` of the moment the index was written
could be changed again without its size or times changing ("racily clean", as
git calls it): its content hash is checked on every command until it is old
enough. A fact base with any problem is never stored: the error report is the
plain loader's (``loader.load_dir``), word for word. A corrupt index is removed
and rebuilt, with one warning saying so. A locked or unwritable index, one that
another user owns or could have written (see ``Index._connect``), or any other
trouble with it, falls back to reading the YAML with one warning on stderr.
Large rebuilds parse with libyaml on every core.

``FACTCLI_NO_INDEX=1`` turns the index off; ``FACTCLI_CACHE_DIR`` moves it
(default ``$XDG_CACHE_HOME/factcli``, else ``~/.cache/factcli``).
"""

from __future__ import annotations

import errno
import json
import marshal
import os
import sqlite3
import sys
import time
from pathlib import Path
from stat import S_IMODE, S_ISDIR, S_ISLNK, S_ISREG, S_ISVTX, S_IWGRP, S_IWOTH

from factcli.files import MAX_FACT_FILE, MAX_SOURCE_TEXT, Unreadable, is_utf8, read_file, shown
from factcli.location import KIND_DIRS, default_facts_dir
from factcli.model import Actor, Claim, Dispute, FactBase, Figure, Source, SourceRef
from factcli.query import fold

FORMAT = "factcli-index-5"
CACHE_ENV = "FACTCLI_CACHE_DIR"
NO_INDEX_ENV = "FACTCLI_NO_INDEX"
RACY_NS = 3_000_000_000  # coarser than any file system's mtime granularity (FAT: 2 s)
PARALLEL_MIN = 256 * 1024  # bytes of claim files to parse before a process pool pays for itself (~400 claims)
PROGRESS_AFTER = 1.0  # seconds a rebuild runs before a progress bar appears (on a terminal)
LOCK_TIMEOUT = 20.0  # seconds to wait for another command's write before reading the YAML instead

_warned = False


class IndexUnavailable(Exception):
    """The index cannot be used for this command: answer from the YAML instead."""


class _Invalid(Exception):
    """The fact base has a problem (or something the fast path does not vouch for): ask the loader."""


def enabled() -> bool:
    return os.environ.get(NO_INDEX_ENV, "") in ("", "0")


def cache_dir() -> Path:
    """``$FACTCLI_CACHE_DIR``, else ``$XDG_CACHE_HOME/factcli``, else ``~/.cache/factcli``.

    ``IndexUnavailable`` when there is no home to put it in (HOME unset for a user with no
    passwd entry, as in many containers, or a relative HOME that would put it in the current folder).
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "factcli"
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        raise IndexUnavailable("there is no cache directory for the index (HOME is not set and this user has no home directory)") from None
    if not home.is_absolute():
        raise IndexUnavailable(f"there is no cache directory for the index (HOME is not an absolute path: {str(home)!r})")
    return home / ".cache" / "factcli"


def index_path(root: str | Path) -> Path:
    """The index file for the fact base in ``root``: one per resolved directory.

    Named by a hash of the resolved path alone, so a listing of the cache does not
    spell out where a private fact base is kept.
    """
    import hashlib

    real = os.path.realpath(root)
    digest = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache_dir() / f"{digest}.sqlite3"


def warn(message: str) -> None:
    """One warning per command, however many things went wrong."""
    global _warned
    if not _warned:
        _warned = True
        from factcli.terminal import escape_line  # the message can carry an exception's text: a file name

        sys.stderr.write(escape_line(f"factcli: warning: {message}") + "\n")


def load(path: str | Path | None = None) -> FactBase:
    """The fact base in ``path``, from the index when it is fresh; the plain loader's errors otherwise."""
    root = Path(path) if path is not None else default_facts_dir()
    if not enabled() or not _has_kind_folder(root):
        return _load_dir(root)  # off, or not a fact base: the loader says which, before any walk
    try:
        return Index(root).open()
    except IndexUnavailable as exc:
        warn(f"{exc}; reading the YAML files directly")
    return _load_dir(root)


def _has_kind_folder(root: Path) -> bool:
    """Whether ``root`` holds an actors/, sources/ or claims/ folder (False for any trouble with it)."""
    return any(os.path.isdir(os.path.join(root, folder)) for folder in KIND_DIRS)


def _load_dir(root: Path) -> FactBase:
    from factcli.loader import load_dir

    return load_dir(root)


# --- listing the fact base ---------------------------------------------------------------------


Entry = tuple[str, int, int, int, int, int]  # (rel, size, mtime_ns, ctime_ns, inode, device)
_NONE = (-1, -1, -1, -1, -1)  # the stat of what the loader, not the index, answers for


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What tells one state of a file from another without reading it: its size and times, and
    which file it is (another file moved into its place can have the very same size and times)."""
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev


def scan(root: str) -> list[Entry]:
    """(path relative to root, size, mtime_ns, ctime_ns, inode, device) of every fact file, in
    ``loader.discover``'s order.

    Hidden files and folders are skipped. A file that cannot be stat'ed gets size -1,
    and so do a folder that cannot be listed and a symlinked folder (never entered;
    their path ends in "/"), and a file or folder whose name is not UTF-8, so that the
    loader, not the index, answers for them.
    """
    out: list[Entry] = []
    append = out.append

    def walk(path: str, prefix: str) -> None:
        # Each folder is listed and its files stat'ed through one descriptor (fstatat: no path
        # lookup per file, which counts when a stat costs microseconds and there are 100,000).
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            append((prefix, *_NONE))  # a folder that cannot be listed: never skipped in silence
            return
        try:
            try:
                with os.scandir(fd) as it:
                    entries = list(it)
            except OSError:
                append((prefix, *_NONE))
                return
            files, dirs = [], []
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if not is_utf8(name) or _is_symlink(entry):  # the loader reports both, never enters them
                        append((prefix + name + "/", *_NONE))
                        continue
                    dirs.append(name)
                    if name.endswith((".yaml", ".yml")):
                        files.append(name)  # not a fact file: listed, so the loader reports it
                elif name.endswith((".yaml", ".yml")):
                    files.append(name)
            files.sort()
            stat = os.stat
            for name in files:
                try:
                    st = stat(name, dir_fd=fd, follow_symlinks=True)
                    if not S_ISREG(st.st_mode) or not is_utf8(name):  # a folder, FIFO or device named like a fact file
                        raise OSError
                    append((prefix + name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev))
                except OSError:
                    append((prefix + name, *_NONE))
        finally:
            os.close(fd)
        dirs.sort()
        for name in dirs:
            walk(os.path.join(path, name), prefix + name + "/")

    walk(root, "")
    return out


def _is_symlink(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True  # cannot tell: not entered, and the loader says what is wrong


def _name(entry: os.DirEntry) -> str:
    return entry.name


def stat_deps(root: str, deps: list[str]) -> list[Entry]:
    """(rel, size, mtime_ns, ctime_ns, inode, device) of each of ``deps`` (the sources' texts), size -1 when missing."""
    out = []
    fds: dict[str, int] = {}
    try:
        for rel in deps:
            head, _, name = rel.rpartition("/")
            try:
                fd = fds.get(head)
                if fd is None:
                    fd = fds[head] = os.open(os.path.join(root, head) if head else root, os.O_RDONLY)
                out.append((rel, *_stat_key(os.stat(name, dir_fd=fd))))
            except OSError:
                out.append((rel, *_NONE))
    finally:
        for fd in fds.values():
            os.close(fd)
    return out


def code_fingerprint() -> str:
    """Changes whenever factcli's own code does (a new check must see every file again)."""
    here = os.path.dirname(os.path.abspath(__file__))
    parts = [FORMAT, sys.version.split()[0]]
    with os.scandir(here) as it:
        for entry in sorted(it, key=_name):
            if entry.name.endswith(".py"):
                st = entry.stat()
                parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def kind_of(rel: str) -> str | None:
    head, sep, _ = rel.partition("/")
    return KIND_DIRS.get(head) if sep else None


# --- the index ---------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, dev INTEGER NOT NULL, hash TEXT, value TEXT) WITHOUT ROWID;
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
BULK_FILES = 400  # claim files changed at once that are written with the secondary indexes dropped
CLAIM_COLUMNS = "id, rel, claimant, statement, disputed, source_id, section, quote, extra"


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

    # -- opening -------------------------------------------------------------------------------

    def open(self) -> FactBase:
        try:
            return self._open()
        except IndexUnavailable:
            self.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.close()
            if not _corrupt(exc):
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

    def _rebuild(self, corruption: sqlite3.DatabaseError) -> FactBase:
        """Put a new index in place of a corrupt one; the one warning says how that ended."""
        self._remove_files()
        try:
            fb = self._open()
        except (sqlite3.Error, OSError, IndexUnavailable) as again:
            self.close()
            reason = again if isinstance(again, IndexUnavailable) else (getattr(again, "strerror", None) or again)
            raise IndexUnavailable(f"the index {self.path} was corrupt ({corruption}) and cannot be rebuilt ({reason})") from None
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
        if self.conn is not None:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass
            self.conn = None

    def _remove_files(self) -> None:
        for suffix in SIDE_SUFFIXES:
            try:
                os.unlink(f"{self.path}{suffix}")  # unlink never follows a symlink: at worst the link goes
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise IndexUnavailable(f"the corrupt index {self.path} cannot be removed ({exc.strerror})") from None

    def _connect(self) -> sqlite3.Connection:
        """Open the index, once the cache directory and every file of it are known to be the user's own.

        Anyone who can write the cache directory or the index could make ``show`` print a
        statement no fact file holds; a symlink or FIFO put in place of a file must never be
        written through; and an index copies a private fact base's text, so it is kept 0600 in
        a 0700 directory.
        """
        folder = _private_dir(self.path.parent)
        self.path = Path(folder, self.path.name)  # symlinks resolved once: later opens cannot be redirected
        for suffix in SIDE_SUFFIXES[1:]:
            _check_side_file(Path(f"{self.path}{suffix}"))
        fd = _private_file(self.path)
        try:
            conn = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None, check_same_thread=False)
            self.conn = conn
            # SQLite opened by name: make sure the name still leads to the file vouched for. (Closing
            # our descriptor before SQLite takes any lock, as POSIX drops a process's locks on close.)
            if _identity(os.fstat(fd)) != _identity(os.stat(self.path, follow_symlinks=False)):
                raise IndexUnavailable(f"the index {self.path} was replaced while it was being opened")
        finally:
            os.close(fd)
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":
            raise IndexUnavailable(f"the index {self.path} cannot use write-ahead logging")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _open(self) -> FactBase:
        conn = self._connect()
        code = code_fingerprint()
        conn.execute("BEGIN")
        meta = _read_meta(conn)
        if meta is not None and self._fresh(meta, code):
            if self._settled:
                self._clear_racy(meta)
            return IndexedFactBase(self, conn)  # the read transaction stays open: one snapshot
        conn.execute("ROLLBACK")
        self._update(code, meta)
        conn.execute("BEGIN")
        return IndexedFactBase(self, conn)

    def _fresh(self, meta: dict, code: str) -> bool:
        if meta.get("format") != FORMAT or meta.get("code") != code or meta.get("root") != self.real_key:
            return False
        listing = scan(self.root_str)
        deps = marshal.loads(meta["deps"])
        stored_listing, stored_deps = marshal.loads(meta["listing"])
        self._scanned = (listing, stat_deps(self.root_str, deps))
        if self._scanned != (stored_listing, stored_deps):
            return False
        racy = marshal.loads(meta["racy"])
        if not racy:
            return True
        if not self._racy_unchanged(racy):
            return False
        # Unchanged, and old enough now that any later change shows in the stat: stop hashing them.
        newest = max(entry[3] for entry in listing + self._scanned[1] if entry[0] in racy)
        self._settled = time.time_ns() > newest + RACY_NS
        return True

    def _clear_racy(self, meta: dict) -> None:
        """Forget the racy files (best effort: another command may hold the lock; it can wait)."""
        conn = self.conn
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
        for rel, (digest, is_text) in racy.items():
            if is_text:
                if _text_hash(self.real, rel) != digest:
                    return False
                continue
            try:
                data = _read(self.real, rel)
            except _Invalid:
                return False
            if _hash(data) != digest:
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
            meta = _read_meta(conn)
            if meta is None or meta.get("format") != FORMAT:
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
                    self._scanned = (scan(self.root_str), [])
            same_code = meta is not None and meta.get("format") == FORMAT and meta.get("code") == code and meta.get("root") == self.real_key
            if meta is not None and not same_code:
                for table in ("files", "actors", "sources", "claims", "claim_topics", "meta"):
                    conn.execute(f"DELETE FROM {table}")
            Updater(self, conn).run(self._scanned[0])
            conn.execute("COMMIT")
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise


SIDE_SUFFIXES = ("", "-wal", "-shm", "-journal")  # the index and the files SQLite keeps beside it
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def _private_dir(path: Path) -> str:
    """The cache directory, resolved; created 0700 (parents too) if missing, refused unless the user's alone."""
    if not path.is_absolute():
        path = Path.cwd() / path
    missing = []
    for folder in (path, *path.parents):
        if os.path.lexists(folder):
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR)
            os.chmod(folder, PRIVATE_DIR)  # exactly 0700, whatever the umask took away
        except FileExistsError:
            pass
        except OSError as exc:
            raise IndexUnavailable(f"the cache directory {path} cannot be created ({exc.strerror})") from None
    real = os.path.realpath(path)
    try:
        st = os.stat(real, follow_symlinks=False)
    except OSError as exc:
        raise IndexUnavailable(f"the cache directory {path} cannot be used ({exc.strerror})") from None
    if not S_ISDIR(st.st_mode):
        raise IndexUnavailable(f"the cache directory {path} is not a directory")
    _check_owner(st, f"the cache directory {path}")
    _check_ancestors(real, path)
    return real


def _check_ancestors(real: str, path: Path) -> None:
    """Refuse a cache directory that another user could swap for one of theirs: each folder above it
    must be the user's or root's, and writable by no one else unless sticky (as /tmp is)."""
    euid = os.geteuid()
    for parent in Path(real).parents:
        try:
            st = os.stat(parent)
        except OSError as exc:
            raise IndexUnavailable(f"the cache directory {path} cannot be checked ({exc.strerror})") from None
        if st.st_uid not in (0, euid) or (st.st_mode & (S_IWGRP | S_IWOTH) and not st.st_mode & S_ISVTX):
            raise IndexUnavailable(f"the cache directory {path} is inside {parent}, where another user could replace it")


def _private_file(path: Path) -> int:
    """A descriptor on the index file, created 0600 if missing; refused unless a regular file of the user's own.

    Never follows a symlink (a dangling one would be created through) and never blocks
    on a FIFO; the checks are made on the opened file itself.
    """
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        except FileExistsError:
            fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IndexUnavailable(f"the index {path} is a symbolic link, not a file") from None
        raise IndexUnavailable(f"the index {path} cannot be opened ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if not S_ISREG(st.st_mode):
            raise IndexUnavailable(f"the index {path} is not a regular file")
        _check_owner(st, f"the index {path}")
        if S_IMODE(st.st_mode) != PRIVATE_FILE:
            os.fchmod(fd, PRIVATE_FILE)  # exactly 0600, whatever the umask
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check_side_file(path: Path) -> None:
    """SQLite's -wal, -shm or -journal beside the index: absent, or a regular file of the user's own."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise IndexUnavailable(f"the index file {path} cannot be checked ({exc.strerror})") from None
    if S_ISLNK(st.st_mode):
        raise IndexUnavailable(f"the index file {path} is a symbolic link, not a file")
    if not S_ISREG(st.st_mode):
        raise IndexUnavailable(f"the index file {path} is not a regular file")
    _check_owner(st, f"the index file {path}")
    if S_IMODE(st.st_mode) != PRIVATE_FILE:
        try:
            os.chmod(path, PRIVATE_FILE)  # a regular file (just checked) in a directory no one else can write
        except OSError as exc:
            raise IndexUnavailable(f"the index file {path} cannot be made private ({exc.strerror})") from None


def _check_owner(st: os.stat_result, what: str) -> None:
    """Refuse what another user owns or can write: it could say anything."""
    if st.st_uid != os.geteuid():
        raise IndexUnavailable(f"{what} belongs to another user (uid {st.st_uid})")
    if st.st_mode & (S_IWGRP | S_IWOTH):
        raise IndexUnavailable(f"{what} can be written by other users (mode {S_IMODE(st.st_mode):o})")


def _identity(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


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


def _hash(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()


# --- parsing: libyaml events straight to plain values -------------------------------------------


class _Defer(Exception):
    """This file uses something the fast reader leaves to ``yamlsafe.parse`` (aliases, tags, errors...)."""


_STR = "tag:yaml.org,2002:str"
_ALLOWED = {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null")}


class _Y:
    """PyYAML's pieces the fast reader uses, imported on first use (never on the warm path)."""

    def __init__(self):
        import yaml

        from factcli.schema import written_plainly
        from factcli.yamlsafe import _constructor

        try:
            from yaml._yaml import CParser as parser
        except ImportError:  # pragma: no cover - PyYAML built without libyaml
            parser = yaml.SafeLoader
        self.parser = parser
        self.YAMLError = yaml.YAMLError
        self.ScalarNode = yaml.ScalarNode
        self.StreamStart, self.StreamEnd = yaml.StreamStartEvent, yaml.StreamEndEvent
        self.DocumentStart, self.DocumentEnd = yaml.DocumentStartEvent, yaml.DocumentEndEvent
        self.Scalar = yaml.ScalarEvent
        self.MappingStart, self.MappingEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
        self.SequenceStart, self.SequenceEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
        # Resolver.resolve, flattened: the implicit resolvers to try for a plain scalar, by first character.
        resolvers = yaml.SafeLoader.yaml_implicit_resolvers
        self.wildcard = list(resolvers.get(None, []))
        self.first = {ch: list(rs) + self.wildcard for ch, rs in resolvers.items() if ch is not None}
        self.constructor = _constructor
        self.written_plainly = written_plainly

    def plain(self, raw: str):
        """A plain (unquoted) scalar as PyYAML's resolvers and constructors read it.

        ``_Defer`` for a tag fact files do not hold (a date...), a value its constructor
        refuses, or a number or boolean in a YAML 1.1 form (``010``, ``yes``): the
        schema refuses those with the scalar's text, which only ``yamlsafe.parse`` keeps.
        """
        for tag, regexp in self.first.get(raw[:1], self.wildcard):
            if regexp.match(raw):
                break
        else:
            return raw
        if tag not in _ALLOWED:
            raise _Defer
        try:
            # The tag's own constructor, as construct_object would call it, minus its cache of every node.
            value = self.constructor.yaml_constructors[tag](self.constructor, self.ScalarNode(tag, raw))
        except (self.YAMLError, ValueError, OverflowError):
            raise _Defer from None
        if not self.written_plainly(value, raw):
            raise _Defer
        return value


_Y_CACHE: list = []


def _yaml() -> _Y:
    if not _Y_CACHE:
        _Y_CACHE.append(_Y())
    return _Y_CACHE[0]


def fast_value(text: str):
    """The plain value of one YAML document, exactly as ``yamlsafe.parse`` would give it.

    Reads libyaml's events directly (several times faster than composing nodes);
    anything unusual (anchors, aliases, explicit tags, duplicate or non-text keys,
    more or fewer than one document, a syntax error) raises ``_Defer``, so the
    caller asks ``yamlsafe.parse`` itself, which reports it properly.
    """
    y = _yaml()
    Scalar, MappingStart, MappingEnd = y.Scalar, y.MappingStart, y.MappingEnd
    SequenceStart, SequenceEnd = y.SequenceStart, y.SequenceEnd
    plain = y.plain

    def scalar(event):
        if event.anchor is not None or event.tag is not None:
            raise _Defer
        if not event.implicit[0]:
            return event.value  # quoted: always text
        return plain(event.value)

    def node(event, depth=0):
        kind = type(event)
        if kind is Scalar:
            return scalar(event)
        if depth > 32:
            raise _Defer  # deep nesting: yamlsafe.parse refuses it with a proper message
        if event.anchor is not None or getattr(event, "tag", None) is not None:
            raise _Defer
        if kind is MappingStart:
            out = {}
            while True:
                key = get()
                kind = type(key)
                if kind is MappingEnd:
                    return out
                if kind is not Scalar:
                    raise _Defer
                name = scalar(key)
                if type(name) is not str or name in out:
                    raise _Defer
                out[name] = node(get(), depth + 1)
        if kind is SequenceStart:
            items = []
            while True:
                item = get()
                if type(item) is SequenceEnd:
                    return items
                items.append(node(item, depth + 1))
        raise _Defer  # an alias, or anything else

    parser = y.parser(text)
    get = parser.get_event
    try:
        if type(get()) is not y.StreamStart or type(get()) is not y.DocumentStart:
            raise _Defer
        value = node(get())
        if type(get()) is not y.DocumentEnd or type(get()) is not y.StreamEnd:
            raise _Defer
        return value
    except y.YAMLError:
        raise _Defer from None


# The block YAML that people and make_corpus.py write, read line by line (no libyaml events):
# only what is unambiguous is read here; anything else raises _Defer, for fast_value and parse.
_QUICK_BAD = None
_QUICK_LINE = None
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_SCALARS: dict = {}  # raw scalar -> its value (immutable), shared by every file a process reads


def _quick_patterns():
    global _QUICK_BAD, _QUICK_LINE
    import re

    # Anything but newline and the printable characters YAML allows that libyaml reads as Python's re does:
    # tabs, CR and the other line breaks libyaml knows (NEL, LINE and PARAGRAPH SEPARATOR), a BOM... are
    # left to libyaml. (U+2028 once got through: libyaml ends a line there, a "# comment" after it included.)
    _QUICK_BAD = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
    # One line: its indent, a sequence dash, then "key:" with its value, or anything else.
    _QUICK_LINE = re.compile(r"^( *)(- +|-$)?(?:([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$|(.*)$)", re.M)


def quick_value(text: str):
    """The plain value of a block-style YAML document, line by line; ``_Defer`` for anything else.

    Reads block mappings and sequences of plain or simply quoted one-line scalars,
    resolved by PyYAML's own resolvers and constructors; flow collections, block
    scalars, multi-line scalars, escapes, anchors, tags, comments after values,
    indentless sequences, duplicate keys, document markers and unusual characters
    are all left to ``fast_value`` (the tests compare the two on every shape).
    """
    if _QUICK_BAD is None:
        _quick_patterns()
    if _QUICK_BAD.search(text):
        raise _Defer
    y = _yaml()
    plain = y.plain
    if " \n" in text or text.endswith(" "):
        raise _Defer  # trailing spaces: left to libyaml
    # Tokens: (indent, kind, a, b): kind 0 "key: value" (a key, b raw value or None),
    # 1 a sequence item's dash, 2 a scalar that follows a dash on its line.
    tokens = []
    add = tokens.append
    for indent, dash, key, raw, other in _QUICK_LINE.findall(text):
        if dash:
            add((len(indent), 1, None, None))
            if key:
                add((len(indent) + len(dash), 0, key, raw or None))
            elif other:
                add((len(indent) + len(dash), 2, other, None))
        elif key:
            add((len(indent), 0, key, raw or None))
        elif other and other[0] != "#":
            raise _Defer  # a line that is neither "key: value" nor "- item" (a continued scalar...)

    memo = _SCALARS
    if len(memo) > 200_000:
        memo.clear()

    def scalar(raw: str):
        value = memo.get(raw, memo)
        if value is not memo:
            return value
        value = memo[raw] = resolve(raw)
        return value

    def resolve(raw: str):
        c = raw[0]
        if c == '"':
            if len(raw) < 2 or raw[-1] != '"' or '"' in raw[1:-1] or "\\" in raw:
                raise _Defer
            return raw[1:-1]
        if c == "'":
            inner = raw[1:-1]
            if len(raw) < 2 or raw[-1] != "'" or "'" in inner.replace("''", ""):
                raise _Defer
            return inner.replace("''", "'")
        if c in _INDICATORS or ": " in raw or " #" in raw or raw[-1] == ":":
            raise _Defer
        return plain(raw)

    n = len(tokens)

    def block(i: int, depth: int):
        """The node starting at token i (a mapping, a sequence or an item's scalar); (value, next i)."""
        if depth > 32:
            raise _Defer
        indent, kind, a, b = tokens[i]
        if kind == 2:
            return scalar(a), i + 1
        if kind == 1:
            items = []
            while i < n and tokens[i][0] == indent and tokens[i][1] == 1:
                i += 1
                if i < n and tokens[i][0] > indent:
                    value, i = block(i, depth + 1)
                else:
                    value = None
                items.append(value)
            if i < n and tokens[i][0] >= indent:
                raise _Defer
            return items, i
        out = {}
        while i < n and tokens[i][0] == indent and tokens[i][1] == 0:
            _, _, key, raw = tokens[i]
            if key in out or type(scalar(key)) is not str:
                raise _Defer
            i += 1
            if raw is None:
                if i < n and tokens[i][0] > indent:
                    value, i = block(i, depth + 1)
                elif i < n and tokens[i][0] == indent and tokens[i][1] == 1:
                    raise _Defer  # an indentless sequence
                else:
                    value = None
            else:
                value = scalar(raw)
            out[key] = value
        if i < n and tokens[i][0] >= indent:
            raise _Defer
        return out, i

    if not tokens or tokens[0][0] != 0 or tokens[0][1] == 2:
        raise _Defer
    value, i = block(0, 0)
    if i != n:
        raise _Defer
    return value


def read_value(data: bytes):
    """The ``yamlsafe.Document`` in ``data``; raises ``_Invalid`` when it has a problem.

    ``quick_value`` (plain block YAML, line by line) and ``fast_value`` (libyaml's
    events) read most files, without marks, which the checks need only for a number
    or boolean in a YAML 1.1 form: they leave those, and anything else unusual, to
    ``yamlsafe.parse``, marks and all. The property tests in tests/test_values.py hold
    the three to the same reading of every document.
    """
    from factcli.yamlsafe import Document, YamlError, decode, parse

    try:
        text = decode(data)
    except YamlError:
        raise _Invalid from None
    for fast in (quick_value, fast_value):
        try:
            return Document(fast(text))
        except _Defer:
            pass
    try:
        return parse(text)
    except YamlError:
        raise _Invalid from None


def _reader(root: str, real: str):
    """The loader's problem collector, minus the path arithmetic for messages nobody will see.

    Problems found here are never shown: any problem sends the command to
    ``loader.load_dir``, whose report is the one printed.
    """
    from factcli import loader

    class QuietReader(loader._Reader):
        @staticmethod
        def name(path) -> str:
            return str(path)

    return QuietReader(Path(root), real)


def check_claims(root: str, real: str, rels: list[str], actors: list, sources: list) -> tuple[list, list]:
    """Read, check and turn into index rows the claim files ``rels`` (a worker's share of a rebuild).

    Each file is checked by the loader's own code: its schema, its id, and its
    references to ``actors`` and ``sources`` (quotes in the source text, figures
    in the quote...). A file holds one claim or many. Returns ((rel, content
    hash) for each file, (claims row, topics) for each claim); raises
    ``_Invalid`` when any has a problem.
    """
    from factcli import loader

    reader = _reader(root, real)
    docs, files, rel_of = [], [], {}
    for rel in rels:
        data = _read(real, rel, trusted=True)
        files.append((rel, _hash(data)))
        path = os.path.join(root, rel)  # a str, not a Path: 10,000 files, 10,000 Path parses saved
        rel_of[path] = rel
        docs.append((path, read_value(data)))
    built = loader._build_claims(docs, reader)
    if reader.problems or len({path for _, (path, _d, _at) in built}) != len(docs):
        raise _Invalid  # a problem, or a file that yields no claim at all
    if callable(sources):  # only those cited (a small update): a missing one is reported by the loader
        sources = sources({claim.source.id for claim, _ in built})
    loader._check_references(actors, sources, built, reader)
    if reader.problems:
        raise _Invalid
    return files, [(_claim_row(rel_of[path], claim), claim.topics) for claim, (path, _d, _at) in built]


_SHARED: list = []  # (actors, sources) for the workers: inherited when forked, else sent once each


def _init_worker(actors: list, sources: list) -> None:
    _SHARED[:] = [actors, sources]


def _check_chunk(root: str, real: str, rels: list[str]):
    try:
        return check_claims(root, real, rels, *_SHARED)
    except _Invalid:
        return None


class Updater:
    """Bring the index in line with the files on disk, re-parsing only what changed."""

    def __init__(self, index: Index, conn: sqlite3.Connection):
        self.index, self.conn = index, conn
        self.root = index.root_str
        self.real = index.real

    def run(self, listing: list[tuple[str, int, int, int]]) -> None:
        try:
            self._run(listing)
        except _Invalid:
            # Something is wrong (or the fast path will not vouch for it): the loader's own report.
            self.conn.execute("ROLLBACK")
            _load_dir(self.index.root)  # raises FactBaseError with every problem
            # The loader found nothing wrong after all: answer from the YAML, store nothing.
            raise IndexUnavailable("the index could not vouch for this fact base") from None

    def _run(self, listing: list[tuple[str, int, int, int]]) -> None:
        """One update, top-down: what changed; the actors and sources; the claims; what the change
        can break elsewhere; then, every check passed, the rest of the new state."""
        from factcli import loader
        from factcli.yamlsafe import Document

        self.started = time.time_ns()
        self.reader = _reader(self.root, self.real)
        if not listing:
            raise _Invalid
        self._find_changes(listing)
        changed = [*self.dirty, *self.removed]
        actors_changed = any(kind_of(rel) == "actors" for rel in changed)
        sources_changed = self.texts_changed or any(kind_of(rel) == "source" for rel in changed)
        claim_rels = [rel for rel in self.dirty if self.scanned[rel][0] == "claim"]

        # Actors and sources first (few files, read here, or from the index when unchanged): the
        # claims are checked against them, in worker processes for a large rebuild.
        if actors_changed:
            actors = loader._build_actors([self._doc_of(rel) for rel in _of_kind(listing, "actors")], self.reader)
        else:
            actors = [(a, (Path(self.root, a.path), Document(None), ("actors", i))) for i, a in enumerate(self._stored_actors())]
        if sources_changed:
            sources, source_rels, text_rows = self._sources_after_change(listing)
        else:
            # Unchanged: only the sources the changed claims cite are read back (with their texts).
            sources = self._stored_sources_located
        if self.reader.problems:
            raise _Invalid

        self._forget_changed()
        self._write_claims(claim_rels, actors, sources)
        if actors_changed or sources_changed:
            self._recheck_unchanged(actors, sources, claim_rels, actors_changed=actors_changed, sources_changed=sources_changed)

        # -- all checks passed: the rest of the new state --------------------------------------
        self._write_files()
        if actors_changed:
            self._write_actors(actors)
        if sources_changed:
            self._write_sources(sources, source_rels, text_rows)
        self._write_meta(listing, self.started)

    def _find_changes(self, listing: list[tuple[str, int, int, int]]) -> None:
        """Compare the scan with the listing the index was written from.

        The index holds every fact file with exactly the stat of that listing (see
        ``_write_meta``), so a file whose entry is unchanged, and which was not racy
        then, needs no look at all: a small edit reads the few rows it touches, not
        every file of a large fact base. Sets ``dirty`` (added or changed files, with
        their bytes once read), ``touched`` (a new stat, the same content), ``removed``,
        and the source texts' stats now.
        """
        conn, root, started = self.conn, self.root, self.started
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('listing', 'racy')"))
        old_listing, texts = marshal.loads(meta["listing"]) if "listing" in meta else ([], [])
        # Racy at the last write: compared by content until cleared, however old they look now
        # (on a file system with coarse times, a second edit can keep the stat of the first).
        racy = self.racy = set(marshal.loads(meta["racy"])) if "racy" in meta else set()
        same = set(old_listing)
        candidates = [entry for entry in listing if entry not in same or entry[0] in racy or _recent(entry[3], started)]
        for rel, size, *_ in candidates:
            if kind_of(rel) is None or size < 0 or size > MAX_FACT_FILE:
                raise _Invalid  # not a fact file, gone, too large, a folder that cannot be listed or a bad name
        present = {entry[0] for entry in listing}
        self.removed = [rel for rel, *_ in old_listing if rel not in present]
        stored = self.stored = {
            rel: (kind, size, tuple(stamp), digest)
            for rel, kind, size, *stamp, digest in conn.execute(
                "SELECT rel, kind, size, mtime_ns, ctime_ns, ino, dev, hash FROM files WHERE rel IN (SELECT value FROM json_each(?))",
                (json.dumps([entry[0] for entry in candidates]),),
            )
        }
        scanned = self.scanned = {}  # rel -> (kind, size, (mtime, ctime, ino, dev)) of the files that may have changed
        for rel, size, *stamp in candidates:
            scanned[rel] = (kind_of(rel), size, tuple(stamp))
        self.dirty: dict[str, bytes | None] = {}  # rel -> content (once read), for files added or changed
        self.touched: dict[str, tuple[int, tuple[int, ...], str]] = {}  # rel -> new stat, same content
        for rel, (kind, size, stamp) in scanned.items():
            row = stored.get(rel)
            if row is not None and row[1] == size and row[2] == stamp and rel not in racy and not _recent(stamp[1], started):
                continue
            if row is not None and row[1] == size:
                data = _read(self.real, rel)
                digest = _hash(data)
                if digest == row[3]:
                    if row[2] != stamp:
                        self.touched[rel] = (size, stamp, digest)
                    continue
                self.dirty[rel] = data
            else:
                self.dirty[rel] = None
        self.texts_now = stat_deps(root, [t[0] for t in texts])
        self.texts_changed = self.texts_now != texts or any(t[0] in racy or _recent(t[3], started) for t in texts)
        self.values: dict[str, object] = {}  # rel -> parsed value, of the actors and source files read

    def _doc_of(self, rel: str):
        """An actors or source file as the loader's builders take it: read if changed, else from the index."""
        from factcli.yamlsafe import Document

        if rel in self.dirty:
            if self.dirty[rel] is None:
                self.dirty[rel] = _read(self.real, rel)  # kept: the row's hash is of the very bytes parsed
            doc = read_value(self.dirty[rel])
            self.values[rel] = doc.value
            return Path(self.root, rel), doc
        (raw,) = self.conn.execute("SELECT value FROM files WHERE rel = ?", (rel,)).fetchone()
        return Path(self.root, rel), Document(json.loads(raw))

    def _forget_changed(self) -> None:
        """Delete the rows of every changed or removed file (claims and topics too)."""
        conn = self.conn
        gone_set = set(self.removed)
        changed_rels = sorted(set(self.dirty) | gone_set)
        if not changed_rels:
            return
        gone = json.dumps(changed_rels)
        # (Counting only files the index holds: added files replace nothing.)
        replaced = sum(kind_of(rel) == "claim" and (rel in self.stored or rel in gone_set) for rel in changed_rels)
        if replaced >= BULK_FILES and replaced == conn.execute("SELECT count(*) FROM files WHERE kind = 'claim'").fetchone()[0]:
            # Every claim file changed: the tables are emptied at once, not row by row.
            conn.execute("DELETE FROM claim_topics")
            conn.execute("DELETE FROM claims")
            conn.execute("DELETE FROM files WHERE kind = 'claim'")
            gone = json.dumps([rel for rel in changed_rels if kind_of(rel) != "claim"])
        else:
            conn.execute(
                "DELETE FROM claim_topics WHERE claim_id IN (SELECT id FROM claims WHERE rel IN (SELECT value FROM json_each(?)))",
                (gone,),
            )
            conn.execute("DELETE FROM claims WHERE rel IN (SELECT value FROM json_each(?))", (gone,))
        conn.execute("DELETE FROM files WHERE rel IN (SELECT value FROM json_each(?))", (gone,))

    def _write_claims(self, claim_rels: list[str], actors: list, sources) -> None:
        """Check and write the claim files ``claim_rels``, chunk by chunk as the workers finish them.

        Writing many, the secondary indexes are dropped and built again afterwards
        (several times faster).
        """
        conn, scanned = self.conn, self.scanned
        new_ids: list[str] = []
        bulk = len(claim_rels) >= BULK_FILES or sum(scanned[rel][1] for rel in claim_rels) >= PARALLEL_MIN
        if bulk:
            conn.execute("PRAGMA cache_size=-65536")
            for name in SECONDARY_INDEXES:
                conn.execute(f"DROP INDEX IF EXISTS {name}")
        for files, rows in _claim_chunks(self.root, self.real, claim_rels, [scanned[rel][1] for rel in claim_rels], actors, sources):
            try:
                conn.executemany("INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [r[0] for r in rows])
            except sqlite3.IntegrityError:
                raise _Invalid from None  # an id some other file already has: the loader names both
            conn.executemany("INSERT INTO claim_topics VALUES (?,?)", [(t, r[0][0]) for r in rows for t in dict.fromkeys(r[1])])
            conn.executemany(
                "INSERT INTO files VALUES (?,?,?,?,?,?,?,?,NULL)",
                [(rel, "claim", scanned[rel][1], *scanned[rel][2], digest) for rel, digest in files],
            )
            new_ids.extend(r[0][0] for r in rows)
        if bulk:
            for statement in SCHEMA.split(";"):
                if "CREATE INDEX" in statement:
                    conn.execute(statement)
        # Ids are unique across the whole fact base (the claims table's key refuses a duplicate too).
        if len(set(new_ids)) != len(new_ids):
            raise _Invalid

    def _write_files(self) -> None:
        """The rows of the actors and source files read, and the new stat of those merely touched."""
        rows = []
        for rel, data in self.dirty.items():
            kind, size, stamp = self.scanned[rel]
            if kind != "claim":
                rows.append((rel, kind, size, *stamp, _hash(data), json.dumps(self.values[rel], ensure_ascii=False)))
        self.conn.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?)", rows)
        self.conn.executemany(
            "UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, ino = ?, dev = ?, hash = ? WHERE rel = ?",
            [(size, *stamp, digest, rel) for rel, (size, stamp, digest) in self.touched.items()],
        )

    def _write_actors(self, actors: list) -> None:
        self.conn.execute("DELETE FROM actors")
        self.conn.executemany(
            "INSERT INTO actors VALUES (?,?,?,?,?,?,?,?)",
            [
                (a.id, i, a.name, a.kind, a.role, json.dumps(a.aliases), json.dumps(a.part_of), os.path.relpath(path, self.root))
                for i, (a, (path, _d, _at)) in enumerate(actors)
            ],
        )

    def _write_sources(self, sources: list, source_rels: list[str], text_rows: dict) -> None:
        conn = self.conn
        conn.execute("DELETE FROM sources")
        conn.executemany(
            "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?)",
            [
                (s.id, i, s.title, json.dumps(s.sections), s.text, s.url, s.publisher, rel)
                for i, ((s, _located), rel) in enumerate(zip(sources, source_rels))
            ],
        )
        conn.execute("DELETE FROM files WHERE kind = 'text'")
        conn.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,NULL)", [(rel, "text", *row) for rel, row in text_rows.items()])

    def _write_meta(self, listing, started: int) -> None:
        conn = self.conn
        # Every fact file is stored with the stat the scan saw (unchanged, re-read or touched alike).
        deps = [tuple(row) for row in conn.execute("SELECT rel, size, mtime_ns, ctime_ns, ino, dev FROM files WHERE kind = 'text' ORDER BY rel")]
        texts = [rel for rel, *_ in deps]
        racy = {
            rel: (digest or "", kind == "text")
            for rel, kind, digest in conn.execute(
                "SELECT rel, kind, hash FROM files WHERE ctime_ns >= ? OR mtime_ns >= ?", (started - RACY_NS, started - RACY_NS)
            )
        }
        meta = {
            "format": FORMAT,
            "code": code_fingerprint(),
            "root": self.index.real_key,
            "listing": marshal.dumps((listing, deps)),
            "deps": marshal.dumps(texts),
            "racy": marshal.dumps(racy),
            "built_ns": str(started),
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
        from factcli import loader
        from factcli.yamlsafe import Document

        conn, root, racy, started = self.conn, self.root, self.racy, self.started
        old_rows = {
            rel: tuple(row)
            for rel, *row in conn.execute("SELECT rel, size, mtime_ns, ctime_ns, ino, dev, hash FROM files WHERE kind = 'text'")
        }
        stale = {
            rel for rel, size, mtime, ctime, ino, dev in self.texts_now
            if old_rows.get(rel, ())[:5] != (size, mtime, ctime, ino, dev)
            or ((rel in racy or _recent(ctime, started)) and _text_hash(self.real, rel) != old_rows[rel][5])
        }
        # A text's stat as this update first saw it, before any read: a source built again records
        # that one, so a text saved meanwhile (and shared with a source taken from the index) shows
        # as changed next time instead of hiding behind the newer stat.
        seen = {rel: tuple(stamp) for rel, *stamp in self.texts_now}
        values = dict(conn.execute("SELECT rel, value FROM files WHERE kind = 'source'"))
        stored = {s.path: s for s in (_source(row, str) for row in conn.execute(SOURCE_SQL))}  # by file, relative

        order, text_rows, text_stats = [], {}, {}
        for rel in _of_kind(listing, "source"):
            if rel not in self.dirty and rel in stored and rel in values:
                text_rel = _text_rel(root, rel, json.loads(values[rel]))
                if text_rel in old_rows and text_rel not in stale:
                    order.append((rel, None))
                    text_rows[text_rel] = old_rows[text_rel]
                    continue
            path, doc = self._doc_of(rel)
            text_rel = _text_rel(root, rel, doc.value)
            if text_rel in seen:
                text_stats[rel] = (text_rel, *seen[text_rel])
            elif text_rel is not None:  # a text new to the index: its stat, taken before the loader reads it
                try:
                    st = os.stat(os.path.join(self.real, text_rel))
                except (OSError, ValueError):  # gone, or a name no file can have (a NUL): the loader says
                    raise _Invalid from None
                text_stats[rel] = (text_rel, *_stat_key(st))
            order.append((rel, (path, doc)))
        built = {os.path.relpath(item[1][0], root): item for item in loader._build_sources([d for _, d in order if d], self.reader)}
        if self.reader.problems or not built.keys() <= text_stats.keys():
            raise _Invalid
        sources = []
        before = {s.id: s for s in stored.values()}
        self.changed_sources = set(before)  # until seen again, unchanged
        for rel, doc in order:
            if doc is None:
                sources.append((stored[rel], (Path(root, rel), Document(None), ())))
                self.changed_sources.discard(stored[rel].id)
                continue
            source = built[rel]
            sources.append(source)
            old = before.get(source[0].id)
            if old is not None and (old.sections, old.text) == (source[0].sections, source[0].text):
                self.changed_sources.discard(old.id)
            text_rel, *stamp = text_stats[rel]
            text_rows[text_rel] = (*stamp, _hash(source[0].text.encode("utf-8")))
        return sources, [rel for rel, _ in order], text_rows

    def _recheck_unchanged(self, actors: list, sources, checked_rels: list[str], *, actors_changed: bool, sources_changed: bool) -> None:
        """Check the claims of the files not in ``checked_rels`` (unchanged) against the new actors and sources.

        Those claims were checked when their files were read; only what they cite can
        have changed, so only that is checked again, not every claim in the fact base.
        Changed actors: every claimant and disputer must still be an actor, which one
        query answers for the whole table. Changed sources: the claims citing a source
        whose sections or text changed, or that is gone, are read back and checked in
        full. Raises ``_Invalid`` at the first problem; the loader then finds them all.
        """
        from factcli import loader
        from factcli.yamlsafe import Document

        conn, checked_json = self.conn, json.dumps(checked_rels)
        actor_ids = json.dumps([actor.id for actor, _ in actors])
        stray = actors_changed and conn.execute(
            """
            SELECT 1 FROM claims
            WHERE rel NOT IN (SELECT value FROM json_each(:checked))
              AND (claimant NOT IN (SELECT value FROM json_each(:actors))
                   OR EXISTS (SELECT 1 FROM json_each(extra, '$[1]') AS d
                              WHERE json_extract(d.value, '$[0]') NOT IN (SELECT value FROM json_each(:actors))))
            LIMIT 1
            """,
            {"checked": checked_json, "actors": actor_ids},
        ).fetchone()
        if stray:
            raise _Invalid
        kept = []
        if sources_changed:
            rows = conn.execute(
                f"SELECT {CLAIM_COLUMNS} FROM claims WHERE source_id IN (SELECT value FROM json_each(?))"
                " AND rel NOT IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(self.changed_sources)), checked_json),
            )
            kept = [(c, (Path(self.root, c.path), Document(None), ())) for c in (_claim(row, str) for row in rows)]
        # The actors' own references and cycles, unique ids, and the claims read back.
        loader._check_references(actors, sources if sources_changed else [], kept, self.reader)
        if self.reader.problems:
            raise _Invalid

    # -- reading back what is unchanged -----------------------------------------------------------

    def _stored_actors(self) -> list[Actor]:
        return [_actor(row, str) for row in self.conn.execute(ACTOR_SQL)]

    def _stored_sources_located(self, ids: set[str] | None = None) -> list:
        sql, args = SOURCE_SQL, ()
        if ids is not None:
            sql, args = sql + " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(ids)),)
        from factcli.yamlsafe import Document

        root = self.root
        return [(s, (Path(root, s.path), Document(None), ())) for s in (_source(row, str) for row in self.conn.execute(sql + " ORDER BY pos", args))]


def _text_hash(real: str, rel: str) -> str | None:
    """The hash a source text is stored under (its words, line endings aside); None if unreadable."""
    try:
        data = _read(real, rel, limit=MAX_SOURCE_TEXT)
        return _hash(data.decode("utf-8-sig").replace("\r\n", "\n").encode("utf-8"))
    except (_Invalid, UnicodeError):
        return None


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


def _of_kind(listing: list, kind: str) -> list[str]:
    """The files of one kind in a scan's listing, in its order (the loader's)."""
    return [rel for rel, *_ in listing if kind_of(rel) == kind]


def _recent(ctime_ns: int, now_ns: int) -> bool:
    return ctime_ns >= now_ns - RACY_NS


def _read(real: str, rel: str, trusted: bool = False, limit: int | None = None) -> bytes:
    """The file ``rel`` under the fact base's real path ``real``, read as the loader reads it (never
    from outside it); ``_Invalid`` where the loader would object."""
    try:
        return read_file(os.path.join(real, rel), MAX_FACT_FILE if limit is None else limit, real, trusted)
    except Unreadable:
        raise _Invalid from None


def _claim_chunks(root: str, real: str, rels: list[str], sizes: list[int], actors: list, sources: list):
    """Check the claim files ``rels`` (of ``sizes`` bytes), yielding their rows a chunk at a time.

    A large rebuild runs on every core (a process pool, in chunks of about equal
    bytes, whether the files hold one claim or fifty), with a Rich progress bar
    on stderr when it takes long and stderr is a terminal.
    """
    if not rels:
        return
    total = sum(sizes)
    if total < PARALLEL_MIN:
        yield check_claims(root, real, rels, actors, sources)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    if callable(sources):
        sources = sources()

    try:
        workers = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        workers = os.cpu_count() or 1
    if workers < 2:
        yield check_claims(root, real, rels, actors, sources)
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
    started = time.monotonic()
    progress = task = None
    with ProcessPoolExecutor(max(1, workers), mp_context=context, initializer=_init_worker, initargs=(actors, sources)) as pool:
        pending = {pool.submit(_check_chunk, root, real, rels[a:b]): b - a for a, b in chunks}
        sizes = dict(pending)
        done_files = 0
        try:
            while pending:
                done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in done:
                    del pending[future]
                    rows = future.result()
                    if rows is None:
                        for other in pending:
                            other.cancel()
                        raise _Invalid
                    done_files += sizes[future]
                    yield rows
                if progress is None and pending and time.monotonic() - started > PROGRESS_AFTER and sys.stderr.isatty():
                    progress, task = _progress(len(rels))
                if progress is not None:
                    progress.update(task, completed=done_files)
        finally:
            if progress is not None:
                progress.stop()


def _progress(total: int):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("factcli: indexing the fact base"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    )
    task = progress.add_task("index", total=total)
    progress.start()
    return progress, task


# --- rows <-> objects ----------------------------------------------------------------------------

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


def path_namer(root: str):
    """``rel -> name``: the path the loader would show for ``root/rel`` (``loader._Reader.name``)."""
    base = str(Path(root))
    if not os.path.isabs(base):
        return lambda rel: f"{base}/{rel}" if base != "." else rel
    cwd = os.getcwd()
    prefix = cwd.rstrip("/") + "/"

    def name(rel: str) -> str:
        full = f"{base.rstrip('/')}/{rel}"
        return full[len(prefix):] if full.startswith(prefix) else full

    return name


# --- the fact base, answered from the index ------------------------------------------------------

SORT_SQL = {
    "id": "id",
    "claimant": "claimant, id",
    "source": "source_id, section, id",
    "figures": "nfig DESC, id",
    "disputed": "disputed DESC, id",
}


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
