"""Big answers as fast as small ones (issue 15): the index keeps each claim's and figure's answer as
JSON text, so a long answer is stored text read in order; and it never walks what it does not print.

What these tests hold: a stored answer is byte for byte the answer made fresh (and the plain loader's);
every change that could alter an answer forgets it; an answer made from a state of the index that has
since moved on is never stored; a busy index costs the storing, never the answer.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from factbases import changed_cross_factbase, claim_of
from hypothesis import given, settings
from hypothesis import strategies as st
from running import factcli_executable, run_factcli
from test_hostile_v2 import sync

from factcli import index, jsonstream
from factcli.index.factbase import DRAFTS_SQL, LINKS_SQL
from factcli.index.store import LINK_FACETS
from factcli.query import EVERY_CLAIM

# Every answer the index keeps text for, and filtered ones that read part of it.
ANSWERS = [
    ("list", "--json"),
    ("list", "--jsonl"),
    ("disputed", "--json"),
    ("figures", "--json"),
    ("figures", "--jsonl"),
    ("export", "-f", "jsonl"),
    ("list", "--actor", "oskara", "--json"),
    ("list", "--sort", "claimant", "--limit", "3", "--json"),
    ("figures", "--measure", "deaths", "--json"),
    ("figures", "--actor", "tarsovia", "--json"),
]


def with_loose_figure(actors, sources, claims, measures):
    """The two-source story, with a figure that names no measure (figures --json: a group of its own)."""
    claim_of(claims, "venn-three-aircraft")["figures"] = [
        {"value": None, "unit": "aircraft", "qualifier": "unspecified", "text": "a third"}
    ]


@pytest.fixture()
def cache(private_index_cache: Path) -> Path:
    """A cache of this test's own, for the factcli it runs and for ``index.index_path`` here."""
    return private_index_cache


def answers(base: Path, *, plain: bool = False) -> dict[tuple[str, ...], tuple[int, str]]:
    """Each of ``ANSWERS`` on ``base`` as the real program prints it into a pipe: (exit status, output)."""
    env = {index.NO_INDEX_ENV: "1"} if plain else {}
    got = {}
    for args in ANSWERS:
        done = run_factcli(*args, "--facts", str(base), env=env)
        assert "Traceback" not in done.stderr
        got[args] = (done.returncode, done.stdout)
    return got


def stored(base: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(index.index_path(base)) as conn:
        return conn.execute(sql).fetchall()


def test_stored_answers_are_byte_for_byte_the_answers_made_fresh(tmp_path, cache):
    base = changed_cross_factbase(tmp_path / "facts", with_loose_figure)
    fresh = answers(base, plain=True)
    assert all(status == 0 for status, _ in fresh.values())
    assert answers(base) == fresh  # encoded now, and stored
    assert stored(base, "SELECT count(*) FROM claims WHERE json IS NULL") == [(0,)]
    assert stored(base, "SELECT count(*) FROM figures WHERE json IS NULL") == [(0,)]
    assert answers(base) == fresh  # read back


def test_a_stored_answer_is_what_the_next_command_prints(tmp_path, cache):
    """The warm answer is the stored text itself, not the claim encoded again (so the tests above
    compare stored text). The index is the user's own and trusted only as such: see test_cache_trust.py."""
    base = changed_cross_factbase(tmp_path / "facts")
    run_factcli("list", "--json", "--facts", str(base))
    run_factcli("figures", "--json", "--facts", str(base))
    with sqlite3.connect(index.index_path(base)) as conn:
        conn.execute("UPDATE claims SET json = '{\"marked\":1}' WHERE id = 'officials-26-killed'")
        conn.execute("UPDATE figures SET json = '{\"marked\":2}' WHERE claim_id = 'officials-26-killed'")
    listed = json.loads(run_factcli("list", "--json", "--facts", str(base)).stdout)
    assert {"marked": 1} in listed
    deaths = json.loads(run_factcli("figures", "--measure", "deaths", "--json", "--facts", str(base)).stdout)
    assert {"marked": 2} in deaths[0]["figures"]


def _rename_minister(actors, sources, claims, measures):
    next(a for a in actors if a["id"] == "dara-venn")["name"] = "Dara Venn-Asker"


def _move_minister(actors, sources, claims, measures):
    next(a for a in actors if a["id"] == "dara-venn")["part_of"] = ["lunmark"]


def _redate_wire(actors, sources, claims, measures):
    sources[0][0]["published"] = "2031-03-10T18:00:00Z"


def _drop_update(actors, sources, claims, measures):
    del claim_of(claims, "venn-three-aircraft")["updates"]


def _drop_match(actors, sources, claims, measures):
    del claim_of(claims, "daily-venn-three-aircraft")["matches"]


def _add_match(actors, sources, claims, measures):
    claim_of(claims, "officials-26-killed")["matches"] = ["daily-toll-30-to-40"]


def _remove_linked_claim(actors, sources, claims, measures):
    claims.remove(claim_of(claims, "venn-three-aircraft"))
    del claim_of(claims, "daily-venn-three-aircraft")["matches"]


def _draft_linked_claim(actors, sources, claims, measures):
    claim_of(claims, "venn-three-aircraft")["draft"] = True


def _rename_linked_claim(actors, sources, claims, measures):
    claim_of(claims, "venn-three-aircraft")["id"] = "venn-a-third-aircraft"
    claim_of(claims, "daily-venn-three-aircraft")["matches"] = ["venn-a-third-aircraft"]


def _date_a_claim(actors, sources, claims, measures):
    claim_of(claims, "officials-26-killed")["as_of"] = "2031-03-09"


EDITS = {
    "an actor renamed (claims and figures show its name)": _rename_minister,
    "an actor moved (claims show its affiliations)": _move_minister,
    "a source redated (claims without a date show it)": _redate_wire,
    "an update removed (the updated claim shows who updates it)": _drop_update,
    "a match removed (both claims show it)": _drop_match,
    "a match added": _add_match,
    "a claim others link to removed": _remove_linked_claim,
    "a claim others link to made a draft": _draft_linked_claim,
    "a claim others link to renamed": _rename_linked_claim,
    "a claim given its own date": _date_a_claim,
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_change_forgets_every_answer_it_alters(tmp_path, cache, edit):
    """Only the edited files are written again (as a person edits), so the index updates in place
    and must forget the stored answers of the claims the edit reaches through others."""
    base = changed_cross_factbase(tmp_path / "facts", with_loose_figure)
    answers(base)  # every answer stored
    assert stored(base, "SELECT count(*) FROM claims WHERE json IS NULL") == [(0,)]

    def edited(actors, sources, claims, measures):
        with_loose_figure(actors, sources, claims, measures)
        edit(actors, sources, claims, measures)

    staged = changed_cross_factbase(tmp_path / "staged", edited)
    sync(staged, base)
    expected = answers(base, plain=True)
    assert answers(base) == expected  # answers encoded again where the edit reaches
    assert answers(base) == expected  # and stored as they now are


def test_an_answer_made_from_an_index_that_has_moved_on_is_not_stored(tmp_path, cache):
    """A command reads one snapshot of the index; if another command updates the index meanwhile,
    what the first encoded from its snapshot must not become the next command's answer."""
    import factcli

    base = changed_cross_factbase(tmp_path / "facts")
    factcli.load(base)  # the index, built: no answer stored yet
    fb = factcli.load(base)  # this command's snapshot
    assert isinstance(fb, index.IndexedFactBase)
    staged = changed_cross_factbase(tmp_path / "staged", _rename_minister)
    sync(staged, base)
    assert run_factcli("list", "--limit", "1", "--json", "--facts", str(base)).returncode == 0  # the index updated
    old = "".join(fb.claims_json(EVERY_CLAIM))
    assert '"Dara Venn"' in old  # the snapshot's answer, as it should be for this command
    fb._index.close()
    listed = run_factcli("list", "--json", "--facts", str(base)).stdout
    assert '"Dara Venn"' not in listed and '"Dara Venn-Asker"' in listed
    assert listed == answers(base, plain=True)[("list", "--json")][1]


def test_a_busy_index_costs_the_storing_never_the_answer(tmp_path, cache):
    base = changed_cross_factbase(tmp_path / "facts")
    expected = answers(base, plain=True)[("list", "--json")][1]
    run_factcli("actors", "--json", "--facts", str(base))  # the index built, no answer stored
    holder = sqlite3.connect(index.index_path(base), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another command writing, for as long as this one runs
    try:
        done = run_factcli("list", "--json", "--facts", str(base))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")
    assert stored(base, "SELECT count(*) FROM claims WHERE json IS NOT NULL") == [(0,)]
    assert run_factcli("list", "--json", "--facts", str(base)).stdout == expected  # stored now
    assert stored(base, "SELECT count(*) FROM claims WHERE json IS NULL") == [(0,)]


def test_stored_answers_pass_through_jq(tmp_path, cache):
    base = changed_cross_factbase(tmp_path / "facts")
    for _ in range(2):  # made fresh, then read back
        factcli = subprocess.Popen(
            [factcli_executable(), "list", "--json", "--facts", str(base)], stdout=subprocess.PIPE
        )
        listed = subprocess.run(
            ["jq", "-r", '.[] | select(.updated_by) | .id + " " + .updated_by'],
            stdin=factcli.stdout,
            capture_output=True,
            text=True,
            check=True,
        )
        assert factcli.wait() == 0
        assert listed.stdout == "venn-two-aircraft venn-three-aircraft\n"


# --- the writer: stored text is copied as it is, and is the same JSON as the value -----------------

objects = st.dictionaries(
    st.text(max_size=4),
    st.none() | st.booleans() | st.integers() | st.text() | st.lists(st.text(max_size=3), max_size=3),
    max_size=4,
)


def written(values: list, layout: str) -> str:
    out: list[str] = []
    jsonstream.write_array(out.append, values, layout)
    return "".join(out)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(objects, st.booleans()), max_size=8), st.sampled_from(jsonstream.LAYOUTS))
def test_an_encoded_value_is_written_as_the_value_itself(items, layout):
    """In every layout, terminal-unsafe text escaped (bidi, DEL, C1) as the value's own would be."""
    plain = [value for value, _ in items]
    mixed = [jsonstream.encode(value) if as_text else value for value, as_text in items]
    assert written(mixed, layout) == written(plain, layout)
    group = jsonstream.Group({"measure": "m"}, "figures", iter(mixed))
    assert written([group], layout) == written([jsonstream.Group({"measure": "m"}, "figures", iter(plain))], layout)


def test_long_runs_of_encoded_values_keep_every_separator():
    values = [{"n": i, "s": "’\u202e"} for i in range(3 * jsonstream.BATCH + 7)]
    mixed = [jsonstream.encode(v) if i % 300 else v for i, v in enumerate(values)]
    for layout in jsonstream.LAYOUTS:
        assert written(mixed, layout) == written(values, layout)
    assert json.loads(written(mixed, jsonstream.COMPACT)) == values


# --- reads that every answer makes: never a walk over every claim ----------------------------------


def _plan(fb, sql: str, args=()) -> str:
    return "\n".join(row[-1] for row in fb._conn.execute("EXPLAIN QUERY PLAN " + sql, args))


@pytest.mark.parametrize(
    ("what", "sql", "args"),
    [
        ("the links every claim object shows", LINKS_SQL, LINK_FACETS),
        ("the drafts", DRAFTS_SQL, ()),
        ("a count by facet", "SELECT value, count(*) FROM facets WHERE facet = 'claimant' GROUP BY value", ()),
    ],
)
def test_the_small_reads_every_answer_makes_never_walk_every_claim(indexed, what, sql, args):
    """At 100,000 claims the links query walked every claim (190 ms of a 0.34 s ``--limit 20``)."""
    fb, _ = indexed
    plan = _plan(fb, sql, args)
    assert "SCAN claims" not in plan, f"{what}: {plan}"


def test_a_groups_items_are_read_only_when_it_is_written():
    """``figures --json``'s groups come from ``itertools.groupby``: taking the next group ends the
    last, so the writer must write each group before it takes another value (a run of encoded
    values may be gathered, a group never waits)."""
    from itertools import groupby

    rows = [(f"m{i // 2:04d}", jsonstream.encode({"n": i})) for i in range(3 * jsonstream.BATCH)]
    groups = (
        jsonstream.Group({"measure": m}, "figures", (text for _, text in items))
        for m, items in groupby(rows, lambda row: row[0])
    )
    expected = [{"measure": f"m{j:04d}", "figures": [{"n": 2 * j}, {"n": 2 * j + 1}]} for j in range(len(rows) // 2)]
    assert json.loads(written(list([*groups]), jsonstream.COMPACT)) != expected  # (held back, they are empty)
    groups = (
        jsonstream.Group({"measure": m}, "figures", (text for _, text in items))
        for m, items in groupby(rows, lambda row: row[0])
    )
    assert json.loads(written(groups, jsonstream.COMPACT)) == expected
