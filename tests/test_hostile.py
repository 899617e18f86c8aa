"""Holes found by trying a hostile fact base on every command (after issue #10), each pinned here.

Every attempt runs factcli as a real subprocess, with its own private cache, with and without the index.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from running import run_factcli

CLAIM = Path("claims/asif-welcomes-us-help/pakistan-reports-20-casualties.yaml")


def factcli(tmp_path: Path, *args: str, index: bool = True, env: dict | None = None):
    return run_factcli(
        *args,
        env={
            "FACTCLI_CACHE_DIR": str(tmp_path / "cache"),
            "FACTCLI_NO_INDEX": "" if index else "1",
            "COLUMNS": "100",
            **(env or {}),
        },
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- a figure too large for any number type ------------------------------------------------------
# `value: 1` followed by 400 zeros ended in a traceback (math.isfinite: int too large to convert
# to float), in every command and in shell completion; 2**63 validated, then `export -f sqlite`
# ended in a traceback (Python int too large to convert to SQLite INTEGER).


@pytest.mark.parametrize("index", [True, False], ids=["index", "no-index"])
@pytest.mark.parametrize("value", [10**400, 2**63, -(2**63) - 1], ids=["400-digits", "2**63", "-2**63-1"])
def test_a_figure_too_large_is_one_clear_line(story_copy, tmp_path, value, index):
    edit(story_copy / CLAIM, "value: 20\n", f"value: {value}\n")
    for args in (["validate"], ["list", "--json"], ["show", "pakistan-reports-20-casualties"]):
        result = factcli(tmp_path, *args, "--facts", str(story_copy), index=index)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        problems = [line for line in result.stderr.splitlines() if not line.startswith("factcli:")]
        assert len(problems) == 1, result.stderr
        assert (
            f"{CLAIM.name}:6:12:" in problems[0] and "figures[0].value:" in problems[0] and "too large" in problems[0]
        )


@pytest.mark.parametrize("value", [2**63 - 1, -(2**63)], ids=["2**63-1", "-2**63"])
def test_the_largest_figures_export_to_sqlite(story_copy, tmp_path, value):
    edit(story_copy / CLAIM, "value: 20\n", f"value: {value}\n")
    out = tmp_path / "facts.db"
    result = factcli(tmp_path, "export", "-f", "sqlite", "-o", str(out), "--facts", str(story_copy))
    assert result.returncode == 0, result.stderr
    import sqlite3

    with sqlite3.connect(out) as conn:
        assert conn.execute(
            "SELECT value FROM figures WHERE claim_id = 'pakistan-reports-20-casualties'"
        ).fetchone() == (value,)


def test_completion_on_a_fact_base_with_a_huge_figure_offers_nothing_and_no_traceback(story_copy, tmp_path):
    edit(story_copy / CLAIM, "value: 20\n", f"value: {10**400}\n")
    words = f"factcli show --facts {story_copy} "
    for shell in ("complete_bash", "complete_zsh"):
        result = factcli(
            tmp_path,
            env={"_FACTCLI_COMPLETE": shell, "_TYPER_COMPLETE_ARGS": words, "COMP_WORDS": words, "COMP_CWORD": "4"},
        )
        assert "Traceback" not in result.stdout + result.stderr
        assert "pakistan-reports-20-casualties" not in result.stdout


# --- an alias that is another actor's id or name -------------------------------------------------
# An actors file sorted before the others (actors/aa.yaml) giving a new actor the alias "Pakistan"
# made `factcli list --actor pakistan` answer "No claims match": the first actor whose id, name
# or alias matched won, in file order, so anyone adding an actors file could redirect a filter.

HIJACKER = "actors:\n  - id: evil\n    name: Evil\n    kind: group\n    aliases:\n      - {alias}\n"


def claim_ids(result) -> list[str]:
    assert result.returncode == 0, result.stderr
    return [c["id"] for c in json.loads(result.stdout)]


@pytest.mark.parametrize("index", [True, False], ids=["index", "no-index"])
@pytest.mark.parametrize("alias", ["Pakistan", "PAKISTAN"])
def test_an_alias_never_takes_another_actors_id(story_copy, tmp_path, alias, index):
    # Record format 2: an alias names one actor only, so the hijacking file is refused outright.
    (story_copy / "actors" / "aa.yaml").write_text(HIJACKER.format(alias=alias), encoding="utf-8")
    result = factcli(tmp_path, "list", "--actor", "pakistan", "--json", "--facts", str(story_copy), index=index)
    assert result.returncode == 1 and result.stdout == ""
    assert f"aa.yaml:6:9: actors[0].aliases[0]: alias '{alias}' also names 'pakistan'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("index", [True, False], ids=["index", "no-index"])
def test_a_name_two_actors_share_is_refused_as_ambiguous(story_copy, tmp_path, index):
    # Two actors may share a name (an alias may not); which one `--actor` means is then the user's to say.
    (story_copy / "actors" / "aa.yaml").write_text(
        "actors:\n  - id: evil\n    name: Government of Pakistan\n    kind: group\n", encoding="utf-8"
    )
    result = factcli(
        tmp_path, "list", "--actor", "government of pakistan", "--json", "--facts", str(story_copy), index=index
    )
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert "evil" in message and "pakistan-government" in message
    # The ids still say which one is meant.
    assert claim_ids(
        factcli(tmp_path, "list", "--actor", "pakistan-government", "--json", "--facts", str(story_copy), index=index)
    )


# --- line breaks in free text forging fields and records -----------------------------------------
# A statement is free text, and YAML lets it hold line breaks ("...\nDisputed: no\n\nzz-fake-id").
# Shown as layout, they drew a field and a whole record of their own under a disputed claim, with
# NO_COLOR indistinguishable from factcli's own: "Disputed: no", then a claim id that does not exist.

FORGED = "The sites India struck were connected to terrorist groups.\nDisputed: no\n\nzz-fake-claim-id\nFake."


@pytest.mark.parametrize("index", [True, False], ids=["index", "no-index"])
@pytest.mark.parametrize("columns", ["50", "200"])
@pytest.mark.parametrize(
    "args", [["disputed"], ["show", "sites-linked-to-terrorist-groups"], ["list", "--disputed"]], ids=" ".join
)
def test_a_line_break_in_free_text_cannot_forge_a_field_or_a_record(story_copy, tmp_path, args, columns, index):
    edit(
        story_copy / "claims/asif-welcomes-us-help/sites-linked-to-terrorist-groups.yaml",
        "statement: The sites India struck were connected to terrorist groups.\n",
        f"statement: {json.dumps(FORGED)}\n",
    )
    result = factcli(
        tmp_path, *args, "--facts", str(story_copy), index=index, env={"NO_COLOR": "1", "COLUMNS": columns}
    )
    assert result.returncode == 0, result.stderr
    lines = [line.strip(" │") for line in result.stdout.splitlines()]
    assert not any(line.startswith(("zz-fake-claim-id", "Disputed: no")) for line in lines), result.stdout
    assert "zz-fake-claim-id" in result.stdout  # shown, as the text it is


# --- export -o to a long but valid file name -------------------------------------------------------
# The temporary file beside the target is named after it (".NAME.<12 hex>.tmp", 18 bytes more), so
# a target name of 238 to 255 bytes, which the file system takes, failed: "File name too long".


def test_export_writes_a_file_whose_name_is_long_but_valid(story, tmp_path):
    out = tmp_path / ("é" * 120 + ".csv")  # 244 bytes in UTF-8: a name Linux file systems take
    out.write_bytes(b"")
    out.unlink()
    result = factcli(tmp_path, "export", "-f", "csv", "-o", str(out), "--facts", str(story))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,statement")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("name", ["Extra.YAML", "extra.Yml", "extra.yAml"])
@pytest.mark.parametrize("no_index", ["1", "0"])
def test_a_fact_file_named_in_upper_case_is_reported_not_skipped(story_copy, tmp_path, name, no_index):
    """'.YAML' is a fact file by intent: skipped in silence, its claim would vanish without a word."""
    folder = story_copy / "claims" / "asif-welcomes-us-help"
    (folder / name).write_text("id: extra\n", encoding="utf-8")
    env = {"FACTCLI_NO_INDEX": no_index, "FACTCLI_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then warm
        done = run_factcli("validate", "--facts", str(story_copy), env=env)
        assert done.returncode == 1, done.stdout
        assert name in done.stderr and "lower-case .yaml" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
