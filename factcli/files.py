"""Reading fact files safely: the size limits, a read that can neither block nor run forever,
and never a byte from outside the fact base.

Kept apart from the loader (which imports YAML) so that the index can read files on its
fast path with the same rules.
"""

from __future__ import annotations

import errno
import os
import stat

# The largest files factcli reads: anything bigger is a mistake (or an attack), not a fact file.
MAX_FACT_FILE = 16 * 1024 * 1024  # bytes; a fact file is a few hundred, an article's claims a few hundred thousand
MAX_SOURCE_TEXT = 64 * 1024 * 1024  # bytes; an article is a few thousand

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class Unreadable(Exception):
    """A file that is not one factcli will read: a folder, a FIFO or device, too large, unreadable,
    or outside the fact base."""


def shown(name: str) -> str:
    """A file name as text that can be printed or stored: bytes that are not UTF-8 as ``\\xff``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def is_utf8(name: str) -> bool:
    """Whether a name from the file system is valid UTF-8 (else it holds surrogate escapes)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def inside(real: str, within: str) -> bool:
    """Whether the resolved path ``real`` lies inside the directory ``within`` (also resolved)."""
    return real.startswith(within if within.endswith(os.sep) else within + os.sep)


def outside_message(real: str) -> str:
    return f"leads outside the fact base (to {shown(real)}); not read"


def read_file(path: str | os.PathLike, limit: int, within: str, trusted: bool = False) -> bytes:
    """The bytes of the regular file ``path``, refusing anything that could block, never end,
    or come from outside the directory ``within``.

    ``within`` is the fact base's real path (``os.path.realpath`` of its root, taken once
    per command). A symlink is resolved and checked before anything is opened through it,
    and what was opened is checked again by its own path (``/proc/self/fd``), so neither
    a symlink nor a folder swapped in meanwhile can bring in another file.
    Opened without blocking (a FIFO would otherwise wait forever for a writer),
    then checked on the open file itself, so nothing is swapped in between.
    ``trusted``: a scan has just seen a regular file there, so the type and size check is
    skipped (one system call fewer a file, on a large rebuild); should it have become a FIFO
    or a device since, the non-blocking open and the size cap still keep the read short.
    """
    fd = _open_within(path, within)
    try:
        opened = _opened_path(fd, path)
        if not inside(opened, within):
            raise Unreadable(outside_message(opened))
        if not trusted:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise Unreadable("is a folder, not a fact file")
            if not stat.S_ISREG(info.st_mode):
                raise Unreadable("is not a regular file (a FIFO, device or socket)")
            if info.st_size > limit:
                raise Unreadable(f"file is too large ({info.st_size} bytes; at most {limit})")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise Unreadable(f"file is too large (more than {limit} bytes)")
            chunks.append(chunk)
    except OSError as exc:
        raise Unreadable(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _open_within(path: str | os.PathLike, within: str) -> int:
    """Open ``path`` for reading; a symlink only once its target is known to be inside ``within``."""
    try:
        try:
            return os.open(path, _FLAGS | _NOFOLLOW)
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.EMLINK) or not _NOFOLLOW:
                raise
        # A symlink (or a loop of them): resolve it, and open what it names only if that is inside.
        target = os.path.realpath(path)
        if not inside(target, within):
            raise Unreadable(outside_message(target))
        return os.open(target, _FLAGS | _NOFOLLOW)
    except (OSError, ValueError) as exc:  # ValueError: a name with a NUL, which no file has
        raise Unreadable(f"cannot read file: {getattr(exc, 'strerror', None) or exc}") from None


def _opened_path(fd: int, path: str | os.PathLike) -> str:
    """The path of the file open on ``fd``, as the kernel knows it."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        pass
    # No /proc (macOS, BSD): the resolved path, provided it still names the very file opened.
    real = os.path.realpath(path)
    opened, there = os.fstat(fd), os.stat(real)
    if (opened.st_dev, opened.st_ino) != (there.st_dev, there.st_ino):
        raise Unreadable("changed while being read; not read")
    return real
