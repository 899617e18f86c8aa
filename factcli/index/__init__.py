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

import os
from pathlib import Path

from factcli.index.cache import CACHE_ENV, NO_INDEX_ENV, cache_dir, enabled, index_path
from factcli.index.connection import Index
from factcli.index.errors import IndexUnavailable, warn
from factcli.index.factbase import IndexedFactBase
from factcli.location import KIND_DIRS, default_facts_dir
from factcli.model import FactBaseView

__all__ = [
    "CACHE_ENV",
    "NO_INDEX_ENV",
    "Index",
    "IndexUnavailable",
    "IndexedFactBase",
    "cache_dir",
    "enabled",
    "index_path",
    "load",
]


def load(path: str | Path | None = None) -> FactBaseView:
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


def _load_dir(root: Path) -> FactBaseView:
    from factcli.loader import load_dir

    return load_dir(root)
