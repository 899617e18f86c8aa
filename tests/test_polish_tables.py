"""Tables that give names their line, views in the order of the story, and ``show`` laid out alike.

Each test runs the command as a user does: through Typer's CliRunner and as a real subprocess.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from factbases import CROSS_ACTORS, CROSS_CLAIMS, CROSS_SOURCES, write_cross_factbase
from running import run_factcli

from factcli.cli import app

LONG_NAME = "Ministry of Defence of Tarsovia"


def _cross(root: Path, **changes) -> Path:
    return write_cross_factbase(root, **changes)


@pytest.fixture(scope="module")
def cross(tmp_path_factory) -> Path:
    """The two-source story, with the army renamed to a long name of short words."""
    actors = [{**a, "name": LONG_NAME} if a["id"] == "tarsovia-army" else a for a in CROSS_ACTORS]
    return _cross(tmp_path_factory.mktemp("cross") / "facts", actors=actors, claims=[*CROSS_CLAIMS, LONG_ID_CLAIM])


# A claim whose id is long (as ids of a fact base written by hand often are): ``show`` used to give
# it as records at widths where the others were panels.
LONG_ID = "wire-report-information-minister-venn-lie-about-toll"
LONG_ID_CLAIM = {
    "id": LONG_ID,
    "claimant": "dara-venn",
    "statement": "The army's figure is a lie.",
    "figures": [],
    "disputed": False,
    "source": {"id": "daily-report", "section": "Report", "quote": "a figure Dara Venn called a lie"},
}


@pytest.fixture(scope="module")
def undated(tmp_path_factory) -> Path:
    """The two-source story, with the wire's published date left out: its claims but one have no date."""
    sources = [
        ({k: v for k, v in meta.items() if k != "published"} if meta["id"] == "wire-report" else meta, text)
        for meta, text in CROSS_SOURCES
    ]
    return _cross(tmp_path_factory.mktemp("undated") / "facts", sources=sources, claims=[*CROSS_CLAIMS, LONG_ID_CLAIM])


def both(runner, *args: str, columns: int = 100) -> list[str]:
    """The output of ``factcli ARGS`` through CliRunner and as a subprocess (stdout not a terminal)."""
    env = {"COLUMNS": str(columns), "NO_COLOR": "1"}
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    process = run_factcli(*args, env=env, cwd=Path.cwd())
    assert process.returncode == 0, process.stderr
    return [result.stdout, process.stdout]


# --- item 10: column widths, trailing spaces ------------------------------------------------------


@pytest.mark.parametrize("columns", [80, 100, 120, 160])
def test_a_name_is_never_one_word_a_line(runner, cross: Path, columns: int) -> None:
    """The claimant and the disputer keep their names whole while the statement has room to wrap."""
    for out in both(runner, "list", "--disputed-by", "tarsovia", "--facts", str(cross), columns=columns):
        assert "Dara Venn" in out, out
        assert "Ministry of Defence" in out, out
        assert not {"Ministry", "Defence", "Tarsovia", "Dara", "Venn"} & {line.strip() for line in out.splitlines()}


def test_names_get_their_line_before_the_statement_grows(runner, cross: Path) -> None:
    """At 160 columns every claimant and disputer fits on one line, the statement wrapping instead."""
    for out in both(runner, "list", "--facts", str(cross), columns=160):
        assert re.search(rf"\b{LONG_NAME}\b", out), out
        assert "Information minister" not in out  # (a role is not shown here: only names)
        for name in ("Dara Venn", "Oskaran officials"):
            assert name in out, out


@pytest.mark.parametrize("command", [["list"], ["disputed"], ["figures"], ["sources"], ["actors"]])
def test_no_line_ends_in_spaces_in_a_pipe(runner, cross: Path, command: list[str]) -> None:
    for columns in (60, 100, 160):
        for out in both(runner, *command, "--facts", str(cross), columns=columns):
            ragged = [line for line in out.splitlines() if line != line.rstrip()]
            assert not ragged, (columns, ragged[:3])


# --- item 11: story order ---------------------------------------------------------------------------


def test_figures_come_in_the_order_of_the_story_with_their_dates(runner, cross: Path) -> None:
    for out in both(runner, "figures", "--measure", "deaths", "--facts", str(cross), columns=160):
        order = [out.index(cid) for cid in ("officials-26-killed", "army-fewer-than-10-died", "daily-toll-30-to-40")]
        assert order == sorted(order), out
        assert "Date" in out and "2031-03-11" in out and "2031-03-12T09:00:00+01:00" in out, out


def test_figures_in_records_show_dates_too(runner, cross: Path) -> None:
    for out in both(runner, "figures", "--measure", "deaths", "--facts", str(cross), columns=40):
        assert "2031-03-11" in out, out


def test_figures_json_keeps_its_order(runner, cross: Path) -> None:
    result = runner.invoke(app, ["figures", "--measure", "deaths", "--json", "--facts", str(cross)])
    claims = [f["claim"] for group in json.loads(result.stdout) for f in group["figures"]]
    assert claims == sorted(claims)


def test_sources_by_published_date_with_publisher(runner, undated: Path, cross: Path) -> None:
    for out in both(runner, "sources", "--facts", str(cross), columns=160):
        assert out.index("wire-report") < out.index("daily-report"), out
        assert "Published" in out and "Publisher" in out and "Example Wire" in out and "2031-03-11" in out, out
    for out in both(runner, "sources", "--facts", str(undated), columns=160):
        assert out.index("daily-report") < out.index("wire-report"), out  # the undated source last
        assert "not given" in out, out


def test_sources_json_order_and_content_unchanged(runner, cross: Path) -> None:
    result = runner.invoke(app, ["sources", "--json", "--facts", str(cross)])
    ids = [s["id"] for s in json.loads(result.stdout)]
    assert ids == ["daily-report", "wire-report"]  # as before: the fact base's order


DATED_ORDER = [
    "venn-two-aircraft",  # as_of 2031-03-10
    "officials-26-killed",  # 2031-03-11 (its source's)
    "venn-three-aircraft",  # 2031-03-11
    "army-fewer-than-10-died",  # 2031-03-12T09:00+01:00
    "daily-toll-30-to-40",
    "daily-venn-three-aircraft",
    LONG_ID,  # (the same date, by id)
]


@pytest.mark.parametrize("command", ["list", "disputed", "export"])
def test_sort_by_date(runner, cross: Path, undated: Path, command: str) -> None:
    args = [command, "--sort", "date", "--json"] if command != "export" else [command, "-f", "jsonl", "--sort", "date"]
    for facts, expected in (
        (cross, DATED_ORDER),
        # the wire's claims but one (its own as_of) have no date: last, by id
        (undated, [DATED_ORDER[0], *DATED_ORDER[3:], "officials-26-killed", "venn-three-aircraft"]),
    ):
        want = [c for c in expected if command != "disputed" or c in {"venn-three-aircraft", "army-fewer-than-10-died"}]
        result = runner.invoke(app, [*args, "--facts", str(facts)])
        assert result.exit_code == 0, result.output
        process = run_factcli(*args, "--facts", str(facts))
        assert process.returncode == 0, process.stderr
        for out in (result.stdout, process.stdout):
            claims = json.loads(out) if command != "export" else [json.loads(line) for line in out.splitlines()]
            assert [c["id"] for c in claims] == want


def test_sort_by_date_from_the_index_equals_the_loader(cross: Path, undated: Path, tmp_path, monkeypatch) -> None:
    import factcli
    from factcli import index, loader
    from factcli.query import Filters, select

    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    for facts in (cross, undated):
        factcli.load(facts)
        indexed = factcli.load(facts)
        assert type(indexed).__name__ == "IndexedFactBase"
        plain = loader.load_dir(facts)
        for filters in (Filters(sort="date"), Filters(sort="date", limit=2), Filters(sort="date", has_figure=True)):
            assert [c.id for c in select(indexed, filters)] == [c.id for c in select(plain, filters)]


def test_an_unknown_sort_key_names_date(runner, cross: Path) -> None:
    result = runner.invoke(app, ["list", "--sort", "when", "--facts", str(cross)])
    assert result.exit_code != 0
    assert "date" in result.output


# --- item 17: show alike at one width; an interval kept on one line ------------------------------


def _is_panel(out: str) -> bool:
    return out.lstrip().startswith("╭")


@pytest.mark.parametrize("columns", [60, 72, 76, 80, 100])
def test_show_lays_out_every_claim_alike_at_one_width(runner, cross: Path, columns: int, monkeypatch) -> None:
    monkeypatch.chdir(cross.parent)  # (the file's path is shown: short, as in a user's own fact base)
    kinds = set()
    for claim in [*CROSS_CLAIMS, LONG_ID_CLAIM]:
        for out in both(runner, "show", claim["id"], "--facts", cross.name, columns=columns):
            kinds.add(_is_panel(out))
    assert len(kinds) == 1, (columns, kinds)


def test_an_interval_is_not_broken_across_lines(runner, cross: Path) -> None:
    for columns in (40, 48, 56, 60, 64, 72):
        for out in both(runner, "show", "officials-26-killed", "--facts", str(cross), columns=columns):
            assert not re.search(r"≥\s*$", out, re.MULTILINE), (columns, out)
            assert re.search(r"≥\s26", out), out
