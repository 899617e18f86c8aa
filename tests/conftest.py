"""Shared fixtures: the small story fact base and copies of it to break (tests/factbases.py builds it).

Helpers live in plain modules (tests/factbases.py, tests/running.py); tests import them from there.
The names below are re-exported only for test files written before they moved.
"""

from __future__ import annotations

import atexit as _atexit
import os
import shutil
import tempfile as _tempfile
from pathlib import Path

import pytest
from factbases import ROOT, SHIPPED, copy_factbase, write_factbase
from running import factcli_executable, run_factcli
from typer.testing import CliRunner

__all__ = ["ROOT", "SHIPPED", "factcli_executable", "run_factcli"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``unprivileged`` prove what a file mode denies, which root ignores.

    As root they are skipped, unless ``FACTCLI_REQUIRE_UNPRIVILEGED=1`` (set by CI, which
    runs them again as an unprivileged user): then running as root is a failure, not a skip.
    """
    if os.name != "posix" or os.geteuid() != 0:
        return
    if os.environ.get("FACTCLI_REQUIRE_UNPRIVILEGED") == "1":
        raise pytest.UsageError("FACTCLI_REQUIRE_UNPRIVILEGED=1, but the tests run as root")
    skip = pytest.mark.skip(reason="root ignores file modes; CI runs these as an unprivileged user")
    for item in items:
        if "unprivileged" in item.keywords:
            item.add_marker(skip)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def story(tmp_path_factory) -> Path:
    """The small fact base of tests/factbases.py, written once per session: read it, never edit it."""
    return write_factbase(tmp_path_factory.mktemp("story") / "facts")


@pytest.fixture()
def story_copy(story: Path, tmp_path: Path) -> Path:
    """A private copy of the story fact base, safe to edit."""
    return copy_factbase(story, tmp_path / "facts")


@pytest.fixture()
def story_is_default(story: Path, monkeypatch) -> Path:
    """The story answers every command given no ``--facts`` (in this process and the factcli it starts)."""
    monkeypatch.setenv("FACTCLI_FACTS", str(story))
    return story


# --- the embedded index (issue 6): no test ever writes to the real ~/.cache ---------------------
# Every test session, and every factcli subprocess a test starts, keeps its index in a temporary
# directory of its own, removed when the session ends.

os.environ["FACTCLI_CACHE_DIR"] = _tempfile.mkdtemp(prefix="factcli-test-cache-")
_atexit.register(shutil.rmtree, os.environ["FACTCLI_CACHE_DIR"], True)


@pytest.fixture()
def private_index_cache(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An index cache of this test's own (for this process and every factcli it starts), the index
    switched on and its once-per-process warning not yet given."""
    from factcli import index

    path = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(index.CACHE_ENV, str(path))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    monkeypatch.setattr(index.errors, "_warned", False)
    return path


@pytest.fixture()
def indexed(story_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """(the story answered from a warm index, the same story read by the plain loader), to compare."""
    import factcli
    from factcli import index, loader

    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    factcli.load(story_copy)
    fb = factcli.load(story_copy)
    assert type(fb).__name__ == "IndexedFactBase"
    return fb, loader.load_dir(story_copy)
