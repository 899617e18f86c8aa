"""Ways to run factcli as a user does: the installed program, as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def factcli_executable() -> str:
    """The installed ``factcli`` entry point next to this interpreter (or on PATH)."""
    beside = Path(sys.executable).with_name("factcli")
    found = str(beside) if beside.exists() else shutil.which("factcli")
    assert found, "factcli is not installed: pip install -e '.[test]'"
    return found


def run_factcli(
    *args: str, env: dict | None = None, cwd: Path | str | None = None, **kw
) -> subprocess.CompletedProcess:
    """Run the real installed factcli as a subprocess, capturing text output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [factcli_executable(), *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60, **kw
    )


def check_jsonschema() -> str:
    """The ``check-jsonschema`` command from PyPI, as CI and pre-commit run it."""
    beside = Path(sys.executable).with_name("check-jsonschema")
    found = str(beside) if beside.exists() else shutil.which("check-jsonschema")
    assert found, "check-jsonschema is not installed: pip install -e '.[test]'"
    return found
