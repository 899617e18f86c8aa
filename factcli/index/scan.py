"""Listing a fact base's files with their stat (the keys the index compares), and what kind each is."""

from __future__ import annotations

import os
from stat import S_ISREG

from factcli.files import is_utf8
from factcli.location import KIND_DIRS

RACY_NS = 3_000_000_000  # coarser than any file system's mtime granularity (FAT: 2 s)


Entry = tuple[str, int, int, int, int, int]  # (rel, size, mtime_ns, ctime_ns, inode, device)
_NONE = (-1, -1, -1, -1, -1)  # the stat of what the loader, not the index, answers for


def stat_key(st: os.stat_result) -> tuple[int, int, int, int, int]:
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
                elif name.lower().endswith((".yaml", ".yml")):  # the loader reports it: never skipped in silence
                    append((prefix + name, *_NONE))
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
                out.append((rel, *stat_key(os.stat(name, dir_fd=fd))))
            except OSError:
                out.append((rel, *_NONE))
    finally:
        for fd in fds.values():
            os.close(fd)
    return out


def kind_of(rel: str) -> str | None:
    head, sep, _ = rel.partition("/")
    return KIND_DIRS.get(head) if sep else None


def of_kind(listing: list, kind: str) -> list[str]:
    """The files of one kind in a scan's listing, in its order (the loader's)."""
    return [rel for rel, *_ in listing if kind_of(rel) == kind]


def recent(ctime_ns: int, now_ns: int) -> bool:
    return ctime_ns >= now_ns - RACY_NS
