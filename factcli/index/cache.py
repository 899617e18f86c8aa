"""Where the index of a fact base lives (the user's cache), and the fingerprint of the code that wrote it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from factcli.index.store import FORMAT

CACHE_ENV = "FACTCLI_CACHE_DIR"
NO_INDEX_ENV = "FACTCLI_NO_INDEX"


def enabled() -> bool:
    return os.environ.get(NO_INDEX_ENV, "") in ("", "0")


def cache_dir() -> Path:
    """``$FACTCLI_CACHE_DIR``, else ``$XDG_CACHE_HOME/factcli``, else ``~/.cache/factcli``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "factcli"


def index_path(root: str | Path) -> Path:
    """The index file for the fact base in ``root``: one per resolved directory."""
    import zlib

    real = os.path.realpath(root)
    tail = "-".join(p for p in real.replace("\\", "/").split("/") if p)[-60:] or "root"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in tail).lstrip(".")
    return cache_dir() / f"{safe}-{zlib.crc32(real.encode('utf-8', 'surrogateescape')):08x}.sqlite3"


def _name(entry: os.DirEntry) -> str:
    return entry.name


def code_fingerprint() -> str:
    """Changes whenever factcli's own code does (a new check must see every file again)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # factcli/, not factcli/index/
    parts = [FORMAT, sys.version.split()[0]]
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
