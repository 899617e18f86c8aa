"""Small things a first-time user looks for (from trying factcli as one)."""

from __future__ import annotations

from importlib.metadata import version

from running import run_factcli
from typer.testing import CliRunner

from factcli.cli import app


def test_version_prints_the_installed_version_and_exits_zero():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"factcli {version('factcli')}\n"
    process = run_factcli("--version")
    assert (process.returncode, process.stdout) == (0, f"factcli {version('factcli')}\n")


def test_version_is_listed_in_the_help():
    assert "--version" in CliRunner().invoke(app, ["--help"]).stdout
