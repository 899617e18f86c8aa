"""`factcli export` and the Python API, tested as a user meets them and against the real tools:
the csv module (as spreadsheets read), sqlite3 and Datasette, JSON-LD as Google reads fact checks."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlencode

import pytest
from factbases import CLAIMS as STORY_CLAIMS
from factbases import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from running import factcli_executable, run_factcli

import factcli
from factcli import atomic, export
from factcli.cli import app
from factcli.model import Actor, Claim, FactBase, Figure, Source, SourceRef

# Every command answers from the small story fact base (tests/factbases.py), made the default here.
pytestmark = pytest.mark.usefixtures("story_is_default")
N_CLAIMS = len(STORY_CLAIMS)
N_PAKISTAN = 8  # the claims of Pakistan and of those part of it

CASUALTIES = "pakistan-reports-20-casualties"
CASUALTIES_FILE = f"claims/asif-welcomes-us-help/{CASUALTIES}.yaml"
SOURCE_FILE = "sources/asif-welcomes-us-help.yaml"
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def fb(story):
    return factcli.load(story)


def ok(runner, *args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def csv_rows(data: bytes | str) -> list[dict[str, str]]:
    """Read CSV the way the csv docs say to (newline=''), dropping a BOM as utf-8-sig does."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def said(output: str) -> str:
    """What a usage error says, unwrapped from Rich's error panel."""
    return " ".join(output.replace("│", " ").replace("╭", " ").replace("╰", " ").split())


def ids_of(runner, *filters: str) -> list[str]:
    return [c["id"] for c in json.loads(ok(runner, "list", "--json", *filters).stdout)]


def edit(facts: Path, relative: str, old: str, new: str) -> None:
    path = facts / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --- the filters of list, for every format -------------------------------------------------------

FILTERS = [
    (),
    ("--actor", "pakistan"),
    ("--actor", "pakistan", "--undisputed", "--sort", "figures"),
    ("--disputed",),
    ("--topic", "casualties", "--has-figure"),
    ("--search", "nuclear", "--limit", "2"),
    ("--source", "asif-welcomes-us-help", "--sort", "claimant", "-n", "5"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: " ".join(f) or "all")
def test_every_format_exports_the_claims_list_selects_in_its_order(runner, tmp_path, filters):
    wanted = ids_of(runner, *filters)
    assert [r["id"] for r in csv_rows(ok(runner, "export", "-f", "csv", *filters).stdout_bytes)] == wanted
    jsonl = ok(runner, "export", "-f", "jsonl", *filters).stdout
    assert [json.loads(line)["id"] for line in jsonl.splitlines()] == wanted
    doc = json.loads(ok(runner, "export", "-f", "schema-org", *filters).stdout)
    assert [n["identifier"] for n in doc["@graph"]] == wanted
    db = tmp_path / "claims.db"
    ok(runner, "export", "-f", "sqlite", "-o", str(db), *filters)
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY rowid")] == wanted


def test_export_uses_the_python_api_query(runner, fb):
    api = [c.id for c in fb.query(actors=["Pakistan"], disputed=False, has_figure=True, sort="figures")]
    out = ok(
        runner, "export", "-f", "jsonl", "--actor", "Pakistan", "--undisputed", "--has-figure", "--sort", "figures"
    ).stdout
    assert [json.loads(line)["id"] for line in out.splitlines()] == api and api


def test_unknown_filter_values_are_usage_errors_like_list(runner):
    result = runner.invoke(app, ["export", "-f", "csv", "--actor", "pakistn"])
    assert (
        result.exit_code == 2 and "unknown actor 'pakistn'" in said(result.output) and "pakistan" in said(result.output)
    )
    result = runner.invoke(app, ["export", "-f", "xlsx"])
    assert result.exit_code == 2 and "xlsx" in said(result.output)


def test_format_is_required(runner):
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 2 and "--format" in said(result.output)


# --- csv -----------------------------------------------------------------------------------------


def test_csv_on_stdout_has_a_header_and_a_readable_row_per_claim(runner, fb):
    data = ok(runner, "export", "-f", "csv").stdout_bytes
    assert not data.startswith(BOM), "no BOM on standard output: it would stick to the first header in a pipe"
    assert data.startswith(b"id,statement,claimant,")
    assert b"\r\n" in data and data.count(b"\r\n") >= len(fb.claims) + 1
    rows = csv_rows(data)
    assert list(rows[0]) == list(export.CSV_COLUMNS)
    assert len(rows) == len(fb.claims)
    row = next(r for r in rows if r["id"] == CASUALTIES)
    assert row["claimant"] == "pakistan" and row["claimant_name"] == "Pakistan"
    assert row["figures"] == "20 casualties" and row["figure_values"] == "20"
    assert row["disputed"] == "false" and row["disputed_by"] == "" and row["disputes"] == ""
    assert row["quote"] == "Pakistan reported 20 casualties from these strikes"
    assert row["topics"] == "strikes; casualties"
    assert row["source_title"].startswith("Pakistan’s Defense Minister")  # UTF-8 kept, curly apostrophe
    several = next(r for r in rows if r["id"] == "pakistan-downed-several-aircraft-and-drones")
    assert several["figures"] == "several Indian aircraft; several drones" and several["figure_values"] == ""
    five = next(r for r in rows if r["id"] == "asif-five-planes-two-drones-downed")
    assert five["figure_values"] == "5; 2"
    assert (
        next(r for r in rows if r["id"] == "asif-restraint-conditions")["affiliations"]
        == "pakistan-government; pakistan"
    )


def test_csv_flattens_disputes_with_who_and_the_words(runner, fb):
    rows = csv_rows(ok(runner, "export", "-f", "csv", "--disputed").stdout_bytes)
    assert rows and all(r["disputed"] == "true" for r in rows)
    for row in rows:
        claim = fb.claim(row["id"])
        assert row["disputed_by"] == "; ".join(claim.disputed_by)
        for d in claim.disputes:
            assert f"{fb.actors[d.by].name}: {d.quote}" in row["disputes"]


def test_csv_file_has_a_bom_for_excel_and_the_same_rows(runner, tmp_path):
    out = tmp_path / "claims.csv"
    result = ok(runner, "export", "-f", "csv", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(BOM + b"id,statement,")
    assert csv_rows(data) == csv_rows(ok(runner, "export", "-f", "csv").stdout_bytes)
    assert result.stdout == ""
    assert f"wrote {N_CLAIMS} claims to" in result.stderr and "claims.csv" in result.stderr


def test_csv_bom_can_be_chosen_either_way(runner, tmp_path):
    out = tmp_path / "claims.csv"
    ok(runner, "export", "-f", "csv", "--no-bom", "-o", str(out))
    assert out.read_bytes().startswith(b"id,")
    assert ok(runner, "export", "-f", "csv", "--bom").stdout_bytes.startswith(BOM + b"id,")
    result = runner.invoke(app, ["export", "-f", "jsonl", "--bom"])
    assert result.exit_code == 2 and "only applies to --format csv" in said(result.output)


def test_csv_neutralises_formulas_planted_in_a_fact_file(runner, story_copy):
    edit(
        story_copy,
        CASUALTIES_FILE,
        "statement: India's strikes caused 20 casualties.",
        'statement: \'=HYPERLINK("http://evil.invalid","20")\'',
    )
    rows = csv_rows(ok(runner, "export", "-f", "csv", "--facts", str(story_copy)).stdout_bytes)
    row = next(r for r in rows if r["id"] == CASUALTIES)
    assert row["statement"] == '\'=HYPERLINK("http://evil.invalid","20")'
    for r in rows:
        for value in r.values():
            assert not value.startswith(export.FORMULA_START), value


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("20", "20"),
        ("a=b", "a=b"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_neutralise(cell, expected):
    assert export.neutralise(cell) == expected


def _one_claim_base(statement: str) -> FactBase:
    actor = Actor(id="someone", name="Someone", kind="person")
    source = Source(id="src", title="Title", sections=("Context",), text="Context:\nwords")
    claim = Claim(
        id="c",
        claimant="someone",
        statement=statement,
        figures=(Figure(20, "people", "exact", "20"),),
        disputed=False,
        disputes=(),
        source=SourceRef("src", "Context", "words"),
        topics=("t",),
    )
    return FactBase("memory", {"someone": actor}, {"src": source}, [claim])


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_survives_csv_neutralised_and_never_starts_a_formula(text):
    fb = _one_claim_base(text)
    for bom in (True, False):
        rows = csv_rows(export.to_csv(fb, fb.claims, bom=bom))
        assert len(rows) == 1
        cell = rows[0]["statement"]
        assert cell == export.neutralise(text)
        assert cell == text or cell == "'" + text
        assert not cell.startswith(export.FORMULA_START)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=6))
def test_neutralised_cells_round_trip_through_the_csv_module(cells):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([export.neutralise(c) for c in cells])
    (row,) = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert row == [export.neutralise(c) for c in cells] or (cells == [""] and row == [""])
    assert not any(c.startswith(export.FORMULA_START) for c in row)


# --- sqlite and Datasette ------------------------------------------------------------------------


def test_sqlite_needs_a_file(runner):
    for args in (["export", "-f", "sqlite"], ["export", "-f", "sqlite", "-o", "-"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert "sqlite writes a database file: name it with -o FILE" in said(result.output)
        assert result.stdout == ""


@pytest.fixture(scope="module")
def database(tmp_path_factory, story) -> Path:
    db = tmp_path_factory.mktemp("export") / "facts.db"
    done = run_factcli("export", "--format", "sqlite", "-o", str(db), "--facts", str(story))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and f"wrote {N_CLAIMS} claims" in done.stderr
    return db


def test_sqlite_has_the_tables_keys_and_indexes(database, fb):
    conn = sqlite3.connect(database)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"actors", "sources", "claims", "figures", "disputes", "topics", "claim_topics"} <= tables
    fks = {(t, r[3], r[2], r[4]) for t in tables for r in conn.execute(f"PRAGMA foreign_key_list({t})")}
    assert {
        ("claims", "claimant_id", "actors", "id"),
        ("claims", "source_id", "sources", "id"),
        ("figures", "claim_id", "claims", "id"),
        ("disputes", "claim_id", "claims", "id"),
        ("disputes", "by_id", "actors", "id"),
        ("claim_topics", "claim_id", "claims", "id"),
        ("claim_topics", "topic_id", "topics", "id"),
    } <= fks
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    indexed = {
        r[0] for r in conn.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    }
    assert {"claims", "figures", "disputes", "claim_topics"} <= indexed
    for table in ("actors", "sources", "claims", "topics"):
        assert any(r[5] for r in conn.execute(f"PRAGMA table_info({table})")), f"{table} has no primary key"
    assert conn.execute("SELECT count(*) FROM claims").fetchone() == (len(fb.claims),)
    assert conn.execute("SELECT count(*) FROM figures").fetchone() == (sum(len(c.figures) for c in fb.claims),)
    assert conn.execute("SELECT count(*) FROM disputes").fetchone() == (sum(len(c.disputes) for c in fb.claims),)
    assert conn.execute("SELECT count(*) FROM actors").fetchone() == (len(fb.actors),)
    assert conn.execute("PRAGMA user_version").fetchone() == (export.SQLITE_VERSION,)
    value = conn.execute("SELECT value, typeof(value) FROM figures WHERE claim_id = ?", (CASUALTIES,)).fetchone()
    assert value == (20, "integer")
    assert conn.execute("SELECT value FROM figures WHERE text = 'several' LIMIT 1").fetchone() == (None,)
    conn.close()


def datasette_get(db: Path, path: str) -> tuple[int, dict | list]:
    from datasette.app import Datasette

    async def get():
        response = await Datasette([str(db)]).client.get(path)
        return response.status_code, response.json()

    return asyncio.run(get())


def test_datasette_joins_claims_to_their_figures(database):
    sql = textwrap.dedent("""
        SELECT claims.id, claims.statement, actors.name AS claimant, figures.value, figures.text, figures.unit
        FROM claims
        JOIN figures ON figures.claim_id = claims.id
        JOIN actors ON actors.id = claims.claimant_id
        WHERE claims.id = :claim
        ORDER BY figures.position
    """)
    query = urlencode({"sql": sql, "claim": CASUALTIES, "_shape": "objects"})
    status, body = datasette_get(database, f"/{database.stem}.json?{query}")
    assert status == 200, body
    assert body["rows"] == [
        {
            "id": CASUALTIES,
            "statement": "India's strikes caused 20 casualties.",
            "claimant": "Pakistan",
            "value": 20,
            "text": "20",
            "unit": "casualties",
        }
    ]


def test_datasette_follows_the_foreign_keys_with_labels(database):
    query = urlencode({"id": CASUALTIES, "_labels": "on", "_shape": "objects"})
    status, body = datasette_get(database, f"/{database.stem}/claims.json?{query}")
    assert status == 200, body
    (row,) = body["rows"]
    assert row["claimant_id"] == {"value": "pakistan", "label": "Pakistan"}
    assert row["source_id"]["value"] == "asif-welcomes-us-help"
    assert row["source_id"]["label"].startswith("Pakistan’s Defense Minister")
    status, body = datasette_get(database, f"/{database.stem}/figures.json?claim_id={CASUALTIES}&_shape=objects")
    assert status == 200 and [r["value"] for r in body["rows"]] == [20]


def test_sqlite_keeps_every_actor_and_source_when_claims_are_filtered(runner, tmp_path, fb):
    db = tmp_path / "pakistan.db"
    ok(runner, "export", "-f", "sqlite", "-o", str(db), "--actor", "pakistan", "--disputed")
    with sqlite3.connect(db) as conn:
        claims = [r[0] for r in conn.execute("SELECT id FROM claims")]
        assert claims == [c.id for c in fb.query(actors=["pakistan"], disputed=True)]
        assert conn.execute("SELECT count(*) FROM actors").fetchone() == (len(fb.actors),)
        topics = {r[0] for r in conn.execute("SELECT id FROM topics")}
        assert topics == {t for c in claims for t in fb.claim(c).topics}
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


# --- schema.org ----------------------------------------------------------------------------------


def _nodes(runner, *args: str) -> dict[str, dict]:
    doc = json.loads(ok(runner, "export", "-f", "schema-org", *args).stdout)
    assert doc["@context"] == "https://schema.org"
    return {(n.get("itemReviewed") or n)["identifier"]: n for n in doc["@graph"]}


def test_schema_org_claims_carry_author_quote_and_source(runner, fb):
    nodes = _nodes(runner)
    assert len(nodes) == len(fb.claims) and all(n["@type"] == "Claim" for n in nodes.values())
    claim = nodes[CASUALTIES]
    assert claim["name"] == "India's strikes caused 20 casualties."
    assert claim["text"] == "Pakistan reported 20 casualties from these strikes"
    assert claim["author"] == {"@type": "Country", "name": "Pakistan"}
    title = fb.sources["asif-welcomes-us-help"].title
    assert claim["appearance"] == {"@type": "CreativeWork", "name": title}  # no url or publisher: none invented
    assert "firstAppearance" not in claim and "datePublished" not in claim
    trump = nodes["trump-called-for-swift-resolution"]["author"]
    assert trump["@type"] == "Person" and trump["name"] == "Donald Trump"
    assert trump["jobTitle"] == "President of the United States"
    assert trump["affiliation"] == [{"@type": "Organization", "name": "Government of the United States"}]


def test_schema_org_author_by_actor_kind_and_nothing_invented(runner, fb):
    nodes = _nodes(runner)
    for claim in fb.claims:
        node, actor = nodes[claim.id], fb.actors[claim.claimant]
        expected = {"person": "Person", "country": "Country", "government": "Organization"}.get(actor.kind)
        if expected:
            assert node["author"]["@type"] == expected and node["author"]["name"] == actor.name
        else:  # narrator (no publisher known) and unattributed: no author rather than a made-up one
            assert actor.kind in ("narrator", "unattributed") and "author" not in node
        if actor.kind == "narrator":
            assert node["firstAppearance"] == node["appearance"]
    text = json.dumps(list(nodes.values()))
    assert "null" not in text and '""' not in text and "[]" not in text


def test_schema_org_uses_the_source_url_and_publisher_when_known(runner, story_copy):
    edit(story_copy, SOURCE_FILE, "sections:", "url: https://news.example/asif\npublisher: Example News\nsections:")
    nodes = _nodes(runner, "--facts", str(story_copy), "--reviewer", "Example Fact Check")
    source = {
        "@type": "CreativeWork",
        "name": nodes[CASUALTIES]["appearance"]["name"],
        "url": "https://news.example/asif",
        "publisher": {"@type": "Organization", "name": "Example News"},
    }
    assert nodes[CASUALTIES]["appearance"] == source
    narrator = nodes["kashmir-attack-killed-26"]
    assert narrator["author"] == {"@type": "Organization", "name": "Example News"}
    reviews = [n for n in nodes.values() if n["@type"] == "ClaimReview"]
    assert reviews and all(r["url"] == "https://news.example/asif" for r in reviews)


def test_schema_org_reviewer_wraps_disputed_claims_in_a_claim_review(runner, fb):
    nodes = _nodes(runner, "--reviewer", "Example Fact Check")
    disputed = {c.id for c in fb.claims if c.disputed}
    assert disputed and {i for i, n in nodes.items() if n["@type"] == "ClaimReview"} == disputed
    for claim_id in disputed:
        review, claim = nodes[claim_id], fb.claim(claim_id)
        # The fields Google's fact-check markup requires (url only when the source has one).
        assert 0 < len(review["claimReviewed"]) < 75
        assert review["reviewRating"]["@type"] == "Rating"
        assert review["reviewRating"]["alternateName"] == "Disputed"
        assert review["author"] == {"@type": "Organization", "name": "Example Fact Check"}
        assert "url" not in review
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["itemReviewed"]["text"] == claim.source.quote
        for d in claim.disputes:
            assert d.quote in review["reviewRating"]["ratingExplanation"]
        assert "datePublished" not in review
    assert all(n["@type"] == "Claim" for i, n in nodes.items() if i not in disputed)


def test_claim_reviewed_is_shortened_on_a_word_boundary(runner, story_copy):
    long = (
        "Pakistan denies every allegation of cross-border linkages and calls for a neutral international investigation"
    )
    edit(
        story_copy,
        "claims/asif-welcomes-us-help/india-attackers-cross-border-linkages.yaml",
        "statement: The attackers had 'cross-border linkages'.",
        f"statement: {long}",
    )
    nodes = _nodes(runner, "--facts", str(story_copy), "--reviewer", "Example Fact Check")
    review = nodes["india-attackers-cross-border-linkages"]
    short = review["claimReviewed"]
    assert len(short) < 75 and short.endswith("…")
    assert long.startswith(short[:-1]) and long[len(short) - 1] == " "
    assert review["itemReviewed"]["name"] == long


@pytest.mark.parametrize("text", ["", "short", "x" * 74, "x" * 75, "word " * 30, "a" * 200, "one two " + "y" * 80])
def test_shorten(text):
    short = export.cut_at_word(text)
    assert len(short) < 75
    if len(text) < 75:
        assert short == " ".join(text.split())
    else:
        assert short.endswith("…") and text.startswith(short[:-1])


def test_reviewer_only_applies_to_schema_org(runner):
    result = runner.invoke(app, ["export", "-f", "csv", "--reviewer", "X"])
    assert result.exit_code == 2 and "only applies to --format schema-org" in said(result.output)
    result = runner.invoke(app, ["export", "-f", "schema-org", "--reviewer", "  "])
    assert result.exit_code == 2


def test_schema_org_is_safe_inside_a_script_element(runner, story_copy):
    edit(
        story_copy,
        CASUALTIES_FILE,
        "statement: India's strikes caused 20 casualties.",
        "statement: '20 casualties</script><script>alert(1)</script> & more'",
    )
    out = ok(runner, "export", "-f", "schema-org", "--facts", str(story_copy)).stdout
    assert "</script" not in out and "<" not in out and "&" not in out
    nodes = {n["identifier"]: n for n in json.loads(out)["@graph"]}
    assert nodes[CASUALTIES]["name"] == "20 casualties</script><script>alert(1)</script> & more"


# --- jsonl ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("filters", [(), ("--actor", "india", "--disputed"), ("--has-figure", "--sort", "figures")])
def test_jsonl_is_exactly_list_jsonl(runner, filters):
    assert ok(runner, "export", "-f", "jsonl", *filters).stdout == ok(runner, "list", "--jsonl", *filters).stdout
    objects = [json.loads(line) for line in ok(runner, "export", "-f", "jsonl", *filters).stdout.splitlines()]
    assert objects == json.loads(ok(runner, "list", "--json", *filters).stdout)


# --- -o FILE: atomic, and never overwriting without --force --------------------------------------


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_existing_file_is_kept_byte_for_byte_without_force(runner, tmp_path, fmt):
    out = tmp_path / "precious.out"
    precious = b"my own work, not an export\r\n\x00\xff"
    out.write_bytes(precious)
    before = out.stat()
    result = runner.invoke(app, ["export", "-f", fmt, "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"factcli: {out} already exists; use --force to overwrite it\n"
    assert out.read_bytes() == precious and out.stat().st_mtime_ns == before.st_mtime_ns
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_force_replaces_an_existing_file(runner, tmp_path, fmt):
    out = tmp_path / "export.out"
    out.write_bytes(b"old")
    ok(runner, "export", "-f", fmt, "-o", str(out), "--force")
    data = out.read_bytes()
    assert data != b"old"
    if fmt == "sqlite":
        assert data.startswith(b"SQLite format 3\x00")
    assert leftovers(tmp_path) == []


def test_output_into_a_missing_directory_or_onto_a_directory_fails_clearly(runner, tmp_path):
    result = runner.invoke(app, ["export", "-f", "csv", "-o", str(tmp_path / "nowhere" / "x.csv")])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"factcli: cannot write {tmp_path / 'nowhere' / 'x.csv'}: the directory {tmp_path / 'nowhere'} does not exist\n"
    )
    result = runner.invoke(app, ["export", "-f", "csv", "-o", str(tmp_path), "--force"])
    assert result.exit_code == 1 and result.stderr == f"factcli: {tmp_path} is a directory; name a file to write\n"


def test_dash_is_standard_output(runner):
    assert ok(runner, "export", "-f", "jsonl", "-o", "-").stdout == ok(runner, "export", "-f", "jsonl").stdout


def test_write_atomic_new_file_gets_the_usual_permissions(tmp_path):
    path = atomic.write_atomic(tmp_path / "a.txt", "héllo")
    assert path.read_bytes() == "héllo".encode()
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    with pytest.raises(atomic.TargetExists) as info:
        atomic.write_atomic(path, "other")
    assert str(info.value) == f"{path} already exists; use --force to overwrite it"
    assert path.read_text(encoding="utf-8") == "héllo"
    atomic.write_atomic(path, b"bytes", force=True)
    assert path.read_bytes() == b"bytes" and leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_target_and_no_temporary_file(tmp_path):
    target = tmp_path / "t.db"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic.atomic_path(target, force=True) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_a_file_created_meanwhile_is_still_not_overwritten(tmp_path):
    target = tmp_path / "race.csv"
    with pytest.raises(atomic.TargetExists):
        with atomic.atomic_path(target) as tmp:
            tmp.write_bytes(b"ours")
            target.write_bytes(b"theirs")  # someone else got there first
    assert target.read_bytes() == b"theirs" and leftovers(tmp_path) == []


# --- as a real process -------------------------------------------------------------------------


def test_real_process_writes_csv_and_keeps_existing_files(tmp_path):
    out = tmp_path / "claims.csv"
    done = run_factcli("export", "--format", "csv", "--actor", "pakistan", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr.strip() == f"wrote {N_PAKISTAN} claims to {out} (csv)"
    first = out.read_bytes()
    assert first.startswith(BOM) and len(csv_rows(first)) == N_PAKISTAN
    done = run_factcli("export", "--format", "jsonl", "-o", str(out))
    assert done.returncode == 1
    assert done.stderr == f"factcli: {out} already exists; use --force to overwrite it\n"
    assert out.read_bytes() == first


def test_real_process_csv_on_stdout_pipes_cleanly():
    done = subprocess.run([*_factcli_cmd(), "export", "-f", "csv"], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"id,statement,") and done.stderr == b""
    assert len(csv_rows(done.stdout)) == N_CLAIMS


def test_real_process_sqlite_without_output_is_a_usage_error():
    done = run_factcli("export", "-f", "sqlite")
    assert done.returncode == 2 and done.stdout == ""
    assert "name it with -o FILE" in said(done.stderr)


def _factcli_cmd() -> list[str]:
    return [factcli_executable()]


# --- start-up cost: nothing new on the path of list --json ---------------------------------------

PROBE = (
    "import atexit, sys; "
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n')); "
    "sys.argv = ['factcli'] + sys.argv[1:]; "
    "from factcli.__main__ import main; main()"
)
# What the interop feature brings; none of it may load for the explorer's own commands.
INTEROP = {"csv", "_csv", "factcli.export", "factcli.atomic", "datasette", "jsonschema", "check_jsonschema"}


def modules_loaded(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


@pytest.mark.parametrize(
    "args", [("list", "--json"), ("list", "--jsonl", "--actor", "pakistan"), ("show", CASUALTIES, "--json")]
)
def test_the_explorer_imports_nothing_for_exports(args):
    assert not INTEROP & modules_loaded(*args)


def test_each_export_imports_only_what_its_format_needs():
    modules_loaded("list", "--jsonl")  # (the index now keeps every claim's answer: the next reads it back)
    base = modules_loaded("list", "--jsonl")
    assert modules_loaded("export", "-f", "jsonl") - base == {"factcli.exports", "factcli.exports.jsonl"}
    assert modules_loaded("export", "-f", "schema-org") - base == {"factcli.exports", "factcli.exports.schema_org"}
    figure_bounds = {"factcli.intervals", "bisect", "_bisect"}  # (its figure_lows and figure_highs columns)
    csv_needs = {"factcli.exports", "factcli.exports.csv", "csv", "_csv", *figure_bounds}
    assert modules_loaded("export", "-f", "csv") - base <= csv_needs
    assert "csv" in modules_loaded("export", "-f", "csv")


# --- the Python API, as the README shows it in a notebook ----------------------------------------

NOTEBOOK = """
import factcli

fb = factcli.load()                       # the shipped fact base; or factcli.load("path/to/facts")
print(len(fb.claims), "claims,", len(fb.actors), "actors")

# The filters of `factcli list`, as keyword arguments:
for claim in fb.query(actors=["pakistan"], has_figure=True, sort="figures"):
    print(claim.id, [(f.value, f.unit) for f in claim.figures])

for claim in fb.query(disputed=True):
    print(claim.statement, "disputed by", ", ".join(fb.actors[a].name for a in claim.disputed_by))

# The same exports as `factcli export`, as strings or files:
from factcli import export
csv_text = export.to_csv(fb, fb.query(topics=["casualties"]))
jsonld = export.to_schema_org(fb, fb.query(disputed=True), reviewer="Example Fact Check")
export.write_sqlite(fb, fb.claims, "facts.db")
"""


def test_the_readme_notebook_example_runs(tmp_path):
    done = subprocess.run([sys.executable, "-c", NOTEBOOK], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"{N_CLAIMS} claims, 10 actors"  # factcli.load() honours $FACTCLI_FACTS
    assert f"{CASUALTIES} [(20, 'casualties')]" in lines
    assert "The attackers had 'cross-border linkages'. disputed by Pakistan" in lines
    with sqlite3.connect(tmp_path / "facts.db") as conn:
        assert conn.execute("SELECT value FROM figures WHERE claim_id = ?", (CASUALTIES,)).fetchone() == (20,)


def test_python_code_in_the_readme_runs(tmp_path):
    """Every ```python block of the README that uses factcli runs as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```python\n")[1:]]
    blocks = [b for b in blocks if "import factcli" in b]
    if not blocks:
        pytest.skip("the README has no Python example yet")
    for block in blocks:
        done = subprocess.run([sys.executable, "-c", block], capture_output=True, text=True, cwd=tmp_path, timeout=60)
        assert done.returncode == 0, f"README example failed:\n{block}\n{done.stderr}"


def test_csv_cells_can_be_made_safe_for_a_terminal():
    from factcli.terminal import escape

    fb = _one_claim_base("red \x1b[31mtext\u202e reversed")
    (row,) = csv_rows(export.to_csv(fb, fb.claims, bom=False, cell=escape))
    assert row["statement"] == "red \\x1b[31mtext\\u202e reversed"
    (row,) = csv_rows(export.to_csv(fb, fb.claims, bom=False))
    assert row["statement"] == "red \x1b[31mtext\u202e reversed"  # in a file or a pipe the data is kept as is


def test_claim_review_without_source_url_is_noted_not_invented():
    done = run_factcli("export", "-f", "schema-org", "--disputed", "--reviewer", "Example Fact Check")
    assert done.returncode == 0
    graph = json.loads(done.stdout)["@graph"]
    assert graph and all("url" not in review for review in graph)
    assert "no url for source asif-welcomes-us-help" in done.stderr
