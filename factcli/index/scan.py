"""Listing a fact base's files with their stat (the keys the index compares), and what kind each is."""

from __future__ import annotations

import os
from stat import S_ISREG

from factcli.location import KIND_DIRS

RACY_NS = 3_000_000_000  # coarser than any file system's mtime granularity (FAT: 2 s)


def scan(root: str) -> list[tuple[str, int, int, int]]:
    """(path relative to root, size, mtime_ns, ctime_ns) of every fact file, in ``loader.discover``'s order.

    Hidden files and folders are skipped and symlinked folders are listed but not
    entered, as ``os.walk`` does; a file that cannot be stat'ed gets size -1, and so
    does a folder that cannot be listed (its path, ending in "/"), so that the loader,
    not the index, answers for it.
    """
    out: list[tuple[str, int, int, int]] = []
    append = out.append

    def walk(path: str, prefix: str) -> None:
        # Each folder is listed and its files stat'ed through one descriptor (fstatat: no path
        # lookup per file, which counts when a stat costs microseconds and there are 100,000).
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            append((prefix, -1, -1, -1))  # a folder that cannot be listed: never skipped in silence
            return
        try:
            try:
                with os.scandir(fd) as it:
                    entries = list(it)
            except OSError:
                append((prefix, -1, -1, -1))
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
                    try:
                        if not entry.is_symlink():  # symlinked folders are not entered, as os.walk does
                            dirs.append(name)
                    except OSError:
                        pass
                    if name.endswith((".yaml", ".yml")):
                        files.append(name)  # not a fact file: listed, so the loader reports it
                elif name.endswith((".yaml", ".yml")):
                    files.append(name)
            files.sort()
            stat = os.stat
            for name in files:
                try:
                    st = stat(name, dir_fd=fd, follow_symlinks=True)
                    if not S_ISREG(st.st_mode):  # a folder, FIFO or device named like a fact file
                        raise OSError
                    append((prefix + name, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
                except OSError:
                    append((prefix + name, -1, -1, -1))
        finally:
            os.close(fd)
        dirs.sort()
        for name in dirs:
            walk(os.path.join(path, name), prefix + name + "/")

    walk(root, "")
    return out


def stat_deps(root: str, deps: list[str]) -> list[tuple[str, int, int, int]]:
    """(rel, size, mtime_ns, ctime_ns) of each of ``deps`` (the sources' texts), size -1 when missing."""
    out = []
    fds: dict[str, int] = {}
    try:
        for rel in deps:
            head, _, name = rel.rpartition("/")
            try:
                fd = fds.get(head)
                if fd is None:
                    fd = fds[head] = os.open(os.path.join(root, head) if head else root, os.O_RDONLY)
                st = os.stat(name, dir_fd=fd)
                out.append((rel, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
            except OSError:
                out.append((rel, -1, -1, -1))
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
