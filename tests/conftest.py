"""Shared fixtures: the shipped fact base, copies of it to break, and ways to run factcli."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "facts"


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


@pytest.fixture()
def facts_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped fact base, safe to edit."""
    dest = tmp_path / "facts"
    shutil.copytree(SHIPPED, dest)
    return dest


def factcli_executable() -> str:
    """The installed ``factcli`` entry point next to this interpreter (or on PATH)."""
    beside = Path(sys.executable).with_name("factcli")
    found = str(beside) if beside.exists() else shutil.which("factcli")
    assert found, "factcli is not installed: pip install -e '.[test]'"
    return found


def run_factcli(*args: str, env: dict | None = None, cwd: Path | str | None = None, **kw) -> subprocess.CompletedProcess:
    """Run the real installed factcli as a subprocess, capturing text output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [factcli_executable(), *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60, **kw
    )


# --- the embedded index (issue 6): no test ever writes to the real ~/.cache ---------------------
# Every test session, and every factcli subprocess a test starts, keeps its index in a temporary
# directory of its own, removed when the session ends.
import atexit as _atexit
import tempfile as _tempfile

os.environ["FACTCLI_CACHE_DIR"] = _tempfile.mkdtemp(prefix="factcli-test-cache-")
_atexit.register(shutil.rmtree, os.environ["FACTCLI_CACHE_DIR"], True)
