"""Write a file atomically, and never overwrite one unless asked to.

A reader (a spreadsheet, Datasette, a web server) sees either the old file or the
complete new one, never a half-written file: the data goes to a temporary file
in the same directory (so the final rename never crosses a filesystem), is
flushed to disk, and only then takes the target's name.

Without ``force`` an existing target is kept byte for byte. The check is made
twice: once up front (``check_target``, before any costly work) and once at the
rename itself, which uses a hard link so that a file created meanwhile by
someone else is still never replaced.

``force`` replaces a regular file and nothing else. A rename onto ``/dev/null``,
a FIFO, a socket or a symbolic link would not write through it but swap the node
itself for a plain file (as root, ``/dev/null`` would be gone). A symbolic link
is refused even when it points to a regular file: replacing the link would
quietly cut it, and following it would write somewhere the command line did not
name.

Only the standard library, imported here and nowhere on the start-up path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

# Not tempfile: it pulls in random and hashlib, about 3 ms of start-up for one file name.
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)


class TargetExists(FileExistsError):
    """The target file exists and overwriting was not asked for."""

    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(errno.EEXIST, f"{self.path} already exists; use --force to overwrite it", str(self.path))

    def __str__(self) -> str:
        return self.strerror or ""


class TargetError(OSError):
    """The target cannot be written: its directory is missing, it is a directory, and so on."""

    def __str__(self) -> str:
        return self.strerror or super().__str__()


def check_target(path: str | os.PathLike, force: bool = False) -> Path:
    """Fail early, with a clear message, when writing ``path`` could not succeed."""
    path = Path(path)
    if path.is_dir():
        raise TargetError(errno.EISDIR, f"{path} is a directory; name a file to write", str(path))
    parent = path.parent
    if not parent.is_dir():
        raise TargetError(errno.ENOENT, f"cannot write {path}: the directory {parent} does not exist", str(path))
    _refuse_special(path)
    if not force and (path.exists() or path.is_symlink()):
        raise TargetExists(path)
    return path


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def _refuse_special(path: Path) -> None:
    """Raise ``TargetError`` when ``path`` exists and is anything but a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    hint = " (for standard output leave out -o, or use -o -)" if str(path).startswith("/dev/") else ""
    raise TargetError(errno.EEXIST, f"{path} is {kind}; only a regular file is ever replaced{hint}", str(path))


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without error it becomes ``path``.

    For writers that need a file name rather than a stream (``sqlite3.connect``).
    On any error the temporary file is removed and ``path`` is left as it was.
    """
    path = check_target(path, force)
    tmp = _new_temp(path)
    try:
        yield tmp
        _fsync_file(tmp)
        os.chmod(tmp, _mode_for(path))
        _commit(tmp, path, force)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_atomic(path: str | os.PathLike, data: bytes | str, force: bool = False, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically; an existing file is kept unless ``force``.

    Raises ``TargetExists`` when ``path`` exists and ``force`` is false, ``TargetError``
    when it cannot be written there, and ``OSError`` for any other failure (disk full, ...).
    """
    if isinstance(data, str):
        data = data.encode(encoding)
    with atomic_path(path, force) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
    return Path(path)


def _new_temp(path: Path) -> Path:
    """A new, empty, private (0o600) file beside ``path``, hidden, with a name no one else holds."""
    # The target's name, cut to 100 bytes (whole characters), keeps the temporary name within the
    # file system's 255 bytes whenever the target's own name is.
    stem = os.fsencode(path.name)[:100].decode("utf-8", "ignore") if os.name == "posix" else path.name[:100]
    for _ in range(100):
        tmp = path.with_name(f".{stem}.{os.urandom(6).hex()}.tmp")
        try:
            os.close(os.open(tmp, _TEMP_FLAGS, 0o600))
            return tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, f"cannot create a temporary file beside {path}", str(path))


def _commit(tmp: Path, path: Path, force: bool) -> None:
    if force:
        _refuse_special(path)  # again: a node put there while the data was written is kept too
        os.replace(tmp, path)
    else:
        try:
            # link() never replaces an existing name: the no-clobber rename, race-free.
            os.link(tmp, path)
        except FileExistsError:
            raise TargetExists(path) from None
        except OSError as exc:
            # Filesystems without hard links (FAT, some network mounts): check, then rename.
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
                raise
            if path.exists() or path.is_symlink():
                raise TargetExists(path) from None
            os.replace(tmp, path)
    _fsync_dir(path.parent)


def _mode_for(path: Path) -> int:
    """Keep the mode of a file being replaced; a new file gets the usual 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(directory: Path) -> None:
    # Make the rename itself durable; not possible (nor needed) on every platform.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
