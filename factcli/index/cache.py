"""Where the index of a fact base lives (the user's cache), whether it may be trusted, and the fingerprint of the code that wrote it."""

from __future__ import annotations

import errno
import os
import sys
import zlib
from pathlib import Path
from stat import S_IMODE, S_ISDIR, S_ISLNK, S_ISREG, S_ISVTX, S_IWGRP, S_IWOTH

from factcli.index.errors import IndexUnavailable

CACHE_ENV = "FACTCLI_CACHE_DIR"
NO_INDEX_ENV = "FACTCLI_NO_INDEX"


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
        raise IndexUnavailable(
            "there is no cache directory for the index (HOME is not set and this user has no home directory)"
        ) from None
    if not home.is_absolute():
        raise IndexUnavailable(
            f"there is no cache directory for the index (HOME is not an absolute path: {str(home)!r})"
        )
    return home / ".cache" / "factcli"


def index_path(root: str | Path) -> Path:
    """The index file for the fact base in ``root``: one per resolved directory.

    Named by a checksum of the resolved path alone, so a listing of the cache does not
    spell out where a private fact base is kept. Not a cryptographic hash: ``hashlib``
    loads OpenSSL, several milliseconds of every command's start, and a collision costs
    no more than a rebuild (the index keeps its root and is rebuilt for another one).
    """
    real = os.fsencode(os.path.realpath(root))
    return cache_dir() / f"{zlib.crc32(real):08x}{zlib.adler32(real):08x}.sqlite3"


def _name(entry: os.DirEntry) -> str:
    return entry.name


def code_fingerprint() -> str:
    """Changes whenever factcli's own code does (a new check must see every file again)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # factcli/, not factcli/index/
    parts = ["factcli-index", sys.version.split()[0]]
    folders = [package]
    while folders:
        folder = folders.pop(0)
        with os.scandir(folder) as it:
            for entry in sorted(it, key=_name):
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    parts.append(f"{os.path.relpath(entry.path, package)}:{st.st_size}:{st.st_mtime_ns}")
                elif entry.is_dir() and os.path.exists(os.path.join(entry.path, "__init__.py")):
                    folders.append(entry.path)  # a subpackage (the index, the exports), not the shipped facts
    return "|".join(parts)


# --- whether the cache may be trusted -------------------------------------------------------------

SIDE_SUFFIXES = ("", "-wal", "-shm", "-journal")  # the index and the files SQLite keeps beside it
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> str:
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
            raise IndexUnavailable(
                f"the cache directory {path} is inside {parent}, where another user could replace it"
            )


def private_file(path: Path) -> int:
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


def check_side_file(path: Path) -> None:
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


def identity(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino
