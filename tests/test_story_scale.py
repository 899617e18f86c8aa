"""The story views at scale (issue 15): ``conflicts`` streamed one measure at a time, the story's
figure objects made with each interval worked out once, ``compare`` asking for its measure's claims
alone, and the many-pairs view printed in batches; every answer the same as before."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from corpus import make_corpus
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from running import factcli_executable, run_factcli
from storybase import TOLL, write_story
from typer.testing import CliRunner

import factcli
from factcli import contract, index, loader
from factcli.cli import app
from factcli.intervals import side_of
from factcli.model import FactBaseView, Figure, field_kinds
from factcli.query import UnknownName
from factcli.story import Conflict


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated fact base of 600 claims in article files: dozens of measures that disagree."""
    root = tmp_path_factory.mktemp("generated") / "facts"
    make_corpus(600, root)
    return root


@pytest.fixture(scope="module")
def velm(tmp_path_factory) -> Path:
    """The story of storybase: updates (superseded figures left out) and re-reports."""
    return write_story(tmp_path_factory.mktemp("velm") / "facts")


def indexed(root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> FactBaseView:
    monkeypatch.setenv(index.CACHE_ENV, str(cache))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    factcli.load(root)  # built
    warm = factcli.load(root)
    assert type(warm).__name__ == "IndexedFactBase"
    return warm


def expected_conflicts(root: Path) -> list[dict]:
    """``conflicts --json`` worked out from the plain loader's records, field by field as the
    contract said it before it streamed (``record_object`` for the figure, then its interval)."""
    fb = loader.load_dir(root)

    def figure(m) -> dict:
        side = side_of(m.claimant, {m.claimant: fb.affiliations(m.claimant)})
        return {
            **contract.record_object(fb, m.figure, contract.FIGURE_DERIVED),
            "interval": contract.interval_object(m.figure.interval()),
            "claim": m.claim,
            "claimant": m.claimant,
            "claimant_name": fb.actors[m.claimant].name,
            "side": side,
            "side_name": fb.actors[side].name,
            "source": m.source,
            "date": m.date,
        }

    return [
        {
            "measure": c.measure,
            "claims": c.claims,
            "groups": [[c.figures[i].claim, c.figures[j].claim] for i, j in c.groups],
            "figures": [figure(m) for m in c.figures],
        }
        for c in fb.conflicts()
    ]


def cli_json(root: Path, *args: str, env: dict[str, str]) -> list:
    done = run_factcli(*args, "--facts", str(root), env=env)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()] if "--jsonl" in args else json.loads(done.stdout)


@pytest.mark.parametrize("story", ["generated", "velm"])
def test_conflicts_json_is_the_same_from_the_index_and_the_loader(
    story: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Field order and values, through a real process: the index's stream, the loader's list, and
    the contract as it was; JSON Lines the same objects."""
    root = request.getfixturevalue(story)
    expected = expected_conflicts(root)
    assert expected, "the fact base has conflicts to show"
    cache = {index.CACHE_ENV: str(tmp_path / "cache")}
    from_index = cli_json(root, "conflicts", "--json", env=cache)
    from_loader = cli_json(root, "conflicts", "--json", env={**cache, index.NO_INDEX_ENV: "1"})
    assert json.dumps(from_index) == json.dumps(expected)  # (as text: field order too)
    assert json.dumps(from_loader) == json.dumps(expected)
    assert cli_json(root, "conflicts", "--jsonl", env=cache) == expected


def test_conflicts_json_reads_through_jq(generated: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        f"{factcli_executable()} conflicts --json --facts {generated} | jq -c '[.[] | [.measure, (.groups | length)]]'",
        shell=True,
        capture_output=True,
        text=True,
        env={**os.environ, index.CACHE_ENV: str(tmp_path / "cache")},
        check=True,
    )
    assert json.loads(done.stdout) == [[c["measure"], len(c["groups"])] for c in expected_conflicts(generated)]


def test_the_index_finds_conflicts_one_measure_at_a_time(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first measure's conflict comes with only its own figures built: however many measures
    disagree, memory holds one measure's figures."""
    import factcli.index.factbase as factbase

    fb = indexed(generated, tmp_path / "cache", monkeypatch)
    built = []
    original = factbase.measured_figure_from_row

    def counting(row, published):
        built.append(row[:3])
        return original(row, published)

    monkeypatch.setattr(factbase, "measured_figure_from_row", counting)
    stream = fb.iter_conflicts()
    first = next(stream)
    assert len(built) == len(first.figures)
    rest = list(stream)
    assert len(rest) > 10 and len(built) == sum(len(c.figures) for c in [first, *rest])
    monkeypatch.setattr(factbase, "measured_figure_from_row", original)
    assert [first, *rest] == fb.conflicts() == loader.load_dir(generated).conflicts()


def test_conflicts_json_never_holds_every_conflict(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``conflicts --json`` writes from the stream: the list of them all is never asked for."""
    from factcli.index.factbase import IndexedFactBase

    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)

    def every_conflict(self: IndexedFactBase) -> list[Conflict]:
        raise AssertionError("conflicts --json asked for every conflict at once")

    monkeypatch.setattr(IndexedFactBase, "conflicts", every_conflict)
    result = CliRunner().invoke(app, ["conflicts", "--json", "--facts", str(generated)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == expected_conflicts(generated)


FIGURES = st.builds(
    lambda qualifier, value, ends, text, measure: Figure(
        None if qualifier in ("range", "unspecified") else value,
        "soldiers",
        qualifier,
        text,
        measure,
        *(sorted(ends) if qualifier == "range" else (None, None)),
    ),
    st.sampled_from(
        ["exact", "approximately", "at_least", "more_than", "at_most", "fewer_than", "range", "unspecified"]
    ),
    st.one_of(st.integers(-(2**60), 2**60), st.floats(-1e12, 1e12, allow_nan=False)),
    st.tuples(st.integers(-(2**55), 2**55), st.integers(-(2**55), 2**55)),
    st.text(max_size=12),
    st.one_of(st.none(), st.just(TOLL)),
)


@settings(max_examples=200, deadline=None)
@given(figure=FIGURES)
def test_a_story_figure_is_the_figure_record_with_its_interval(figure: Figure) -> None:
    """``figure_record`` (its interval worked out once) is the figure's ``record_object``, for every
    kind of figure: whole numbers past 2**53, floats, ranges, open ends."""
    fb = loader.load_dir(Path(__file__).resolve().parent.parent / "examples")
    assert contract.figure_record(figure, figure.interval()) == contract.record_object(
        fb, figure, contract.FIGURE_DERIVED
    )
    assert list(contract.figure_record(figure, figure.interval())) == list(
        contract.record_object(fb, figure, contract.FIGURE_DERIVED)
    )


def test_every_field_of_a_figure_is_a_plain_value() -> None:
    """``figure_record`` copies a figure's fields as they are: a nested record would need
    ``record_object``'s objects (this fails first if a figure ever holds one)."""
    from factcli.model import PLAIN

    assert [how for _name, how, _sub in field_kinds(Figure)] == [PLAIN] * len(Figure._fields)


def test_compare_asks_for_no_list_of_measures_when_its_measure_is_given(
    velm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The measures registry (thousands of rows at scale) is read only to name an unknown measure."""
    fb = indexed(velm, tmp_path / "cache", monkeypatch)
    expected = loader.load_dir(velm).compare(TOLL)

    def every_measure(self) -> list[str]:
        raise AssertionError("compare listed every measure")

    monkeypatch.setattr(type(fb), "figure_measures", every_measure)
    assert fb.compare(TOLL) == expected
    monkeypatch.undo()
    with pytest.raises(UnknownName, match="no-such-measure"):
        indexed(velm, tmp_path / "cache", monkeypatch).compare("no-such-measure")
    with pytest.raises(UnknownName, match="no-such-measure"):
        loader.load_dir(velm).compare("no-such-measure")


STYLED = st.lists(
    st.tuples(st.text(alphabet=st.sampled_from("ab \t-é≥"), max_size=8), st.sampled_from(["", "bold", "dim", "cyan"])),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(st.tuples(STYLED, st.sampled_from(["", "bold", "dim"])), max_size=6),
    width=st.integers(3, 30),
    color=st.booleans(),
)
def test_lines_print_as_their_text_joined_prints(lines: list, width: int, color: bool) -> None:
    """``story_views.Lines`` prints what ``print(Text("\\n").join(lines), soft_wrap=True)`` printed:
    the same characters and colours, tabs expanded, nothing cut at the width."""
    from factcli.story_views import Lines

    def texts() -> list[Text]:
        return [Text.assemble(*pieces, style=style) for pieces, style in lines]

    def printed(view: object, **how: bool) -> str:
        out = io.StringIO()
        console = Console(file=out, width=width, force_terminal=color, color_system="standard" if color else None)
        console.print(view, crop=False, **how)
        return out.getvalue()

    joined = printed(Text("\n").join(texts()), soft_wrap=True)
    assert printed(Lines(texts())) == (joined if lines else "")


def test_many_conflicts_print_in_batches_the_same_as_records(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``TABLE_PAIRS`` pairs the records come a batch at a time, a blank line before each,
    as when each was printed alone."""
    from factcli import story_views

    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    env = {"COLUMNS": "100", "NO_COLOR": "1"}
    out = CliRunner().invoke(app, ["conflicts", "--facts", str(generated)], env=env).stdout
    monkeypatch.setattr(story_views, "BATCH_LINES", 1)  # each record printed alone
    alone = CliRunner().invoke(app, ["conflicts", "--facts", str(generated)], env=env).stdout
    pairs = sum(len(c["groups"]) for c in expected_conflicts(generated))
    assert pairs > story_views.TABLE_PAIRS
    assert out == alone
    told = int(re.match(r"\d+ measures whose figures cannot all be true: (\d+) pairs", out).group(1))
    assert out.count("\n\n") == told  # a blank line before each record, and none inside one


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.tuples(st.text(max_size=10), st.sampled_from(["", "bold", "dim"])), max_size=6))
def test_pieces_are_the_literals_assembled(parts: list[tuple[str, str]]) -> None:
    """A record's line made at once (``pieces`` of ``shown`` text) is the ``Text`` that assembling
    ``render.literal``s makes: the same characters, escapes and styles, whatever the fact base says."""
    from factcli.render import literal
    from factcli.story_views import pieces, shown

    assembled = Text.assemble(*(literal(text, style) for text, style in parts))
    made = pieces(*((shown(text), style) for text, style in parts))
    assert (made.plain, made.spans) == (assembled.plain, assembled.spans)
