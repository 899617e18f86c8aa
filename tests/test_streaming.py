"""Big answers as fast as small ones (issue 15): JSON streamed as it is read, counts and figures
answered by the index, and the same answers as the records' own contract functions give."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import make_corpus
from factbases import CLAIMS, write_factbase
from hypothesis import given, settings
from hypothesis import strategies as st
from running import factcli_executable, run_factcli

from factcli import contract, jsonstream, loader
from factcli.cli import app
from factcli.query import DISPUTED_CLAIMS, EVERY_CLAIM, Filters, selection
from factcli.stats import figure_groups

# --- the answers: the same content as the records' contract functions give -------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated fact base of 600 claims in article files (tests/corpus.py)."""
    root = tmp_path_factory.mktemp("generated") / "facts"
    make_corpus(600, root)
    return root


def expected_answers(root: Path) -> dict[tuple[str, ...], list]:
    """Each command's answer worked out from the plain loader's records, one object at a time, with
    counts taken straight from the claims: what ``--json`` printed before it streamed."""
    fb = loader.load_dir(root)

    def claims(**filters) -> list:
        return [contract.claim_object(fb, c) for c in fb.query(**filters)]

    made, made_disputed, disputing, per_source = {}, {}, {}, {}
    for c in fb.claims:
        made[c.claimant] = made.get(c.claimant, 0) + 1
        made_disputed[c.claimant] = made_disputed.get(c.claimant, 0) + c.disputed
        per_source[c.source.id] = per_source.get(c.source.id, 0) + 1
        for by in c.disputed_by:
            disputing[by] = disputing.get(by, 0) + 1
    actors = [
        contract.actor_object(fb, a, made.get(a.id, 0), made_disputed.get(a.id, 0), disputing.get(a.id, 0))
        for a in sorted(fb.actors.values(), key=lambda a: a.id)
    ]
    figures = [contract.figure_group_object(fb, m, items) for m, items in figure_groups(fb.query(has_figure=True))]
    some = sorted({c.claimant for c in fb.claims})[3]
    return {
        ("list",): claims(),
        ("list", "--actor", "arvenia", "--sort", "figures"): claims(actors=["arvenia"], sort="figures"),
        ("list", "--topic", "casualties", "--undisputed", "--limit", "7"): claims(
            topics=["casualties"], disputed=False, limit=7
        ),
        ("disputed",): claims(disputed=True),
        ("disputed", "--search", "report 1", "--sort", "claimant"): claims(
            disputed=True, search="report 1", sort="claimant"
        ),
        ("figures",): figures,
        ("figures", "--actor", some): [
            contract.figure_group_object(fb, m, items)
            for m, items in figure_groups(fb.query(actors=[some], has_figure=True))
        ],
        ("actors",): actors,
        ("sources",): [contract.source_object(s, per_source.get(s.id, 0)) for s in fb.sources.values()],
    }


def ordered(value: object) -> str:
    """A parsed answer with its field order kept: field order is part of the contract, whitespace is not."""
    return json.dumps(value, ensure_ascii=False)


def test_every_json_answer_holds_the_contracts_content_on_a_generated_fact_base(generated, runner):
    for args, expected in expected_answers(generated).items():
        piped = runner.invoke(app, [*args, "--json", "--facts", str(generated)])
        assert piped.exit_code == 0, (args, piped.output)
        assert ordered(json.loads(piped.stdout)) == ordered(expected), args
        lines = runner.invoke(app, [*args, "--jsonl", "--facts", str(generated)])
        assert lines.exit_code == 0, (args, lines.output)
        assert [ordered(json.loads(line)) for line in lines.stdout.splitlines()] == [ordered(v) for v in expected]


def test_the_real_program_streams_the_same_answers_into_jq(generated):
    answers = expected_answers(generated)
    for args in [("list",), ("figures",), ("disputed",), ("actors",)]:
        out = run_factcli(*args, "--json", "--facts", str(generated))
        assert out.returncode == 0, out.stderr
        # In a pipe: one object a line between the brackets, so head and grep see whole records.
        lines = out.stdout.splitlines()
        assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(answers[args]) + 2
        piped = subprocess.run(["jq", "-c", ".[]"], input=out.stdout, capture_output=True, text=True, check=True)
        assert [json.loads(line) for line in piped.stdout.splitlines()] == answers[args]


def test_export_jsonl_is_list_jsonl(generated, runner):
    listed = runner.invoke(app, ["list", "--jsonl", "--has-figure", "--facts", str(generated)])
    exported = runner.invoke(app, ["export", "-f", "jsonl", "--has-figure", "--facts", str(generated)])
    assert exported.exit_code == 0 and exported.stdout == listed.stdout != ""


def test_an_unknown_name_is_a_usage_error_before_any_json(generated):
    for command in ("list", "figures", "disputed"):
        out = run_factcli(command, "--actor", "nobody-at-all", "--json", "--facts", str(generated))
        assert out.returncode == 2 and out.stdout == ""
        assert "unknown actor 'nobody-at-all'" in out.stderr and "Traceback" not in out.stderr
    both = run_factcli("list", "--json", "--jsonl", "--facts", str(generated))
    assert both.returncode == 2 and both.stdout == "" and "--json and --jsonl are alternatives" in both.stderr


def test_no_match_is_still_an_empty_array(generated):
    out = run_factcli("list", "--search", "words in no claim at all", "--json", "--facts", str(generated))
    assert out.returncode == 0 and out.stdout == "[]\n"
    lines = run_factcli("list", "--search", "words in no claim at all", "--jsonl", "--facts", str(generated))
    assert lines.returncode == 0 and lines.stdout == ""


# --- memory does not grow with the answer ------------------------------------------------------

PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_kib(*args: str) -> int:
    """The peak resident memory of ``factcli args`` as a real process, in KiB."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, factcli_executable(), *args], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


@pytest.mark.slow
def test_memory_stays_flat_however_long_the_answer(tmp_path):
    """6,000 claims (7 MB of JSON) cost no more memory than one: rows are encoded as they are read."""
    root = tmp_path / "facts"
    make_corpus(6000, root)
    facts = ["--facts", str(root)]
    run_factcli("list", "--limit", "1", "--json", *facts)  # the index, built once
    one = min(peak_kib("list", "--limit", "1", "--json", *facts) for _ in range(2))
    for args in (["list", "--json"], ["list", "--jsonl"], ["figures", "--json"], ["disputed", "--json"]):
        every = min(peak_kib(*args, *facts) for _ in range(2))
        assert every - one < 12 * 1024, (args, one, every)  # before streaming: 40-70 MB more


# --- the index answers counts and figures as the fact base in memory does ---------------------


@pytest.fixture()
def loose_figures(tmp_path) -> Path:
    """The story with a figure of no measure, and a claim giving two figures of one measure."""
    claims = copy.deepcopy(CLAIMS)
    del claims[0]["figures"][0]["measure"]
    claims[1]["figures"][1]["measure"] = claims[1]["figures"][0]["measure"]
    return write_factbase(tmp_path / "facts", claims=claims)


def indexed_and_plain(root: Path, monkeypatch, tmp_path):
    import factcli
    from factcli import index

    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    factcli.load(root)
    fb = factcli.load(root)
    assert type(fb).__name__ == "IndexedFactBase"
    return fb, loader.load_dir(root)


def test_figures_from_the_index_are_the_loaders(loose_figures, monkeypatch, tmp_path):
    fb, plain = indexed_and_plain(loose_figures, monkeypatch, tmp_path)
    for filters in (Filters(has_figure=True), Filters(actors=["pakistan"], has_figure=True), Filters(topics=["x"])):
        try:
            chosen = selection(plain, filters)
        except ValueError:
            continue
        got = list(fb.iter_figures(chosen))
        assert got == list(plain.iter_figures(chosen))
    every = list(fb.iter_figures(selection(fb, Filters(has_figure=True))))
    assert [m for m, _, _ in every if m is None] == [None]  # the figure with no measure, once, last
    assert every[-1][1].id == CLAIMS[0]["id"]
    doubled = [f for m, c, f in every if c.id == CLAIMS[1]["id"]]
    assert len(doubled) == 2  # both figures of the one measure, each once


def test_figures_json_shows_a_figure_of_no_measure_as_a_group_of_its_own(loose_figures, runner):
    out = runner.invoke(app, ["figures", "--json", "--facts", str(loose_figures)])
    groups = json.loads(out.stdout)
    plain = loader.load_dir(loose_figures)
    expected = [contract.figure_group_object(plain, m, i) for m, i in figure_groups(plain.query(has_figure=True))]
    assert ordered(groups) == ordered(expected)
    assert groups[-1]["measure"] is None and len(groups[-1]["figures"]) == 1


def test_counts_from_the_index_are_the_loaders(indexed):
    fb, plain = indexed
    for facet in ("claimant", "disputer", "source", "topic"):
        for chosen in (None, EVERY_CLAIM, DISPUTED_CLAIMS, EVERY_CLAIM._replace(limit=2, sort="claimant")):
            assert fb.count_claims(facet, chosen) == plain.count_claims(facet, chosen), (facet, chosen)
    assert plain.count_claims("source") == {plain.claims[0].source.id: len(plain.claims)}


def test_claims_are_read_one_at_a_time(indexed):
    fb, plain = indexed
    chosen = EVERY_CLAIM._replace(sort="figures")
    streamed = fb.iter_claims(chosen)
    assert not isinstance(streamed, list)
    assert list(streamed) == plain.select_claims(chosen) == fb.select_claims(chosen)
    assert fb.select_claims(chosen._replace(limit=-1)) == plain.select_claims(chosen._replace(limit=-1))


# --- the layouts: the same JSON value in each; on a terminal exactly as before ----------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
objects = st.dictionaries(st.text(max_size=5), json_values, max_size=4)
groups = st.tuples(objects, st.text(max_size=5), st.lists(objects, max_size=4))


def written(values: list, layout: str) -> str:
    out: list[str] = []
    jsonstream.write_array(out.append, values, layout)
    return "".join(out)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(objects, groups), max_size=5))
def test_every_layout_holds_the_same_json(items):
    values: list = []
    plain: list = []
    for item in items:
        if isinstance(item, tuple):
            head, field, listed = item
            head = {k: v for k, v in head.items() if k != field}
            values.append(jsonstream.Group(head, field, iter(listed)))
            plain.append({**head, field: listed})
        else:
            values.append(item)
            plain.append(item)

    def fresh() -> list:
        return [
            v._replace(items=iter(list(p[v.field]))) if isinstance(v, jsonstream.Group) else v
            for v, p in zip(values, plain, strict=True)
        ]

    safe = json.loads(json.dumps(plain))  # (the value as JSON holds it)
    pretty = written(fresh(), jsonstream.PRETTY)
    assert json.loads(pretty) == safe
    assert pretty == contract.dumps(plain) + "\n"  # on a terminal: byte for byte as json.dumps(indent=2)
    compact = written(fresh(), jsonstream.COMPACT)
    assert json.loads(compact) == safe
    assert len(compact.splitlines()) == (len(plain) + 2 if plain else 1)
    lines = written(fresh(), jsonstream.JSONL)
    assert [json.loads(line) for line in lines.splitlines()] == safe


def test_a_long_group_is_written_in_batches():
    batches: list[str] = []
    pad = "x" * 1000
    many = ({"n": i, "pad": pad} for i in range(5 * jsonstream.BATCH))
    jsonstream.write_array(batches.append, [jsonstream.Group({"measure": "m"}, "figures", many)], jsonstream.COMPACT)
    assert len(batches) >= 5
    assert max(map(len, batches)) < 2 * jsonstream._Batches.FLUSH_AT
    expected = [{"measure": "m", "figures": [{"n": i, "pad": pad} for i in range(5 * 256)]}]
    assert json.loads("".join(batches)) == expected


def test_text_that_could_act_on_a_terminal_is_escaped_in_every_layout():
    for layout in jsonstream.LAYOUTS:
        text = written([{"s": "a\x7fb\u202ec\x1b"}], layout)
        assert "\x7f" not in text and "\u202e" not in text and "\x1b" not in text
        assert "\\u007f" in text and "\\u202e" in text
        assert json.loads(text if layout != jsonstream.JSONL else f"[{text}]") == [{"s": "a\x7fb\u202ec\x1b"}]


# --- records and objects: built field by field, or by functions written out per type ---------


def test_written_out_builders_give_what_field_by_field_gives(generated, monkeypatch):
    """A short answer builds records and objects field by field; a long one by functions written out
    per record type: the two agree on every claim, figure and actor of a generated fact base."""
    import marshal

    from factcli import model

    fb = loader.load_dir(generated)
    stored = [marshal.loads(marshal.dumps(model.to_plain(c))) for c in fb.claims]

    def answers() -> tuple[list, list]:
        claims = [model.from_plain(model.Claim, plain, path=c.path) for plain, c in zip(stored, fb.claims, strict=True)]
        objects = [contract.claim_object(fb, c) for c in claims]
        objects += [contract.figure_object(fb, c, f) for c in claims for f in c.figures]
        objects += [contract.actor_object(fb, a, 1, 0, 2) for a in fb.actors.values()]
        return claims, [ordered(o) for o in objects]

    for module in (model, contract):
        monkeypatch.setattr(module, "WRITE_OUT_AFTER", 10**9)
        monkeypatch.setattr(module, "_MADE", {})
    monkeypatch.setattr(model, "_UNPLAINERS", {})
    monkeypatch.setattr(contract, "_OBJECTS", {})
    by_field = answers()
    assert not model._UNPLAINERS and not contract._OBJECTS  # (nothing was written out)
    for module in (model, contract):
        monkeypatch.setattr(module, "WRITE_OUT_AFTER", 0)
    written_out = answers()
    assert model._UNPLAINERS and contract._OBJECTS
    assert written_out[0] == by_field[0] == list(fb.claims)
    assert written_out[1] == by_field[1]
