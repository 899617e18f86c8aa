"""Reading fact files safely: the size limits, and a read that can neither block nor run forever.

Kept apart from the loader (which imports YAML) so that the index can read files on its
fast path with the same rules.
"""

from __future__ import annotations

import os
import stat

# The largest files factcli reads: anything bigger is a mistake (or an attack), not a fact file.
MAX_FACT_FILE = 16 * 1024 * 1024  # bytes; a fact file is a few hundred, an article's claims a few hundred thousand
MAX_SOURCE_TEXT = 64 * 1024 * 1024  # bytes; an article is a few thousand


class Unreadable(Exception):
    """A file that is not one factcli will read: a folder, a FIFO or device, too large, or unreadable."""


def read_file(path: str | os.PathLike, limit: int, trusted: bool = False) -> bytes:
    """The bytes of the regular file ``path``, refusing anything that could block or never end.

    Opened without blocking (a FIFO would otherwise wait forever for a writer),
    then checked on the open file itself, so nothing is swapped in between.
    ``trusted``: a scan has just seen a regular file there, so the check is skipped
    (one system call fewer a file, on a large rebuild); should it have become a FIFO
    or a device since, the non-blocking open and the size cap still keep the read short.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as exc:  # ValueError: a name with a NUL, which no file has
        raise Unreadable(f"cannot read file: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        if not trusted:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise Unreadable("is a folder, not a fact file")
            if not stat.S_ISREG(info.st_mode):
                raise Unreadable("is not a regular file (a FIFO, device or socket)")
            if info.st_size > limit:
                raise Unreadable(f"file is too large ({info.st_size} bytes; at most {limit})")
        chunks, size = [], 0
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
