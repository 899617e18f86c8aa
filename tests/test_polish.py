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


def test_show_marks_each_reactions_words_in_its_own_paragraph_and_source(tmp_path):
    """Issue #14, "Also in the terminal": the reactions' quotes marked in theirs, as the claim's is."""
    import copy

    from factbases import CROSS_CLAIMS, write_cross_factbase

    claims = copy.deepcopy(CROSS_CLAIMS)
    officials = next(c for c in claims if c["id"] == "officials-26-killed")
    officials["disputed"] = True
    officials["disputes"] = [
        {"by": "tarsovia-army", "quote": "fewer than 10 people had died in Oskara", "source": "daily-report"}
    ]
    base = write_cross_factbase(tmp_path / "facts", claims=claims)
    for columns, env in (("100", {}), ("50", {}), ("100", {"FACTCLI_NO_INDEX": "1"})):
        out = run_factcli("show", "officials-26-killed", "--facts", str(base), env={"COLUMNS": columns, **env})
        assert out.returncode == 0, out.stderr
        text = " ".join(out.stdout.replace("│", " ").split())
        assert "Disputed by Tarsovian army, in daily-report" in text
        assert "Tarsovia's army said »fewer than 10 people had died in Oskara«, a figure Dara Venn" in text
        assert "Not verified, says Example Wire, in wire-report" in text
        assert "»The figures could not be independently verified.«" in text
    runner = CliRunner().invoke(app, ["show", "officials-26-killed", "--facts", str(base)], env={"COLUMNS": "100"})
    assert runner.exit_code == 0 and "Disputed by Tarsovian army, in daily-report" in runner.stdout
