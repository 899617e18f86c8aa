"""`factcli export` keeps all of record format version 2 (issue #12, "Exports keep all of it"):
CSV keeps each figure's qualifier and interval, SQLite gains measures, reactions, about, matches and
updates as keyed tables, schema.org uses about and the dates. Checked as users read them: the csv module
and the sqlite3 shell's CSV import, the sqlite3 shell and Datasette, JSON-LD against schema.org's types."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import sqlite3
import subprocess
import textwrap
from pathlib import Path
from urllib.parse import urlencode

import pytest
from factbases import CROSS_CLAIMS, ROOT, write_cross_factbase
from hypothesis import given
from hypothesis import strategies as st
from running import run_factcli
from typer.testing import CliRunner

import factcli
from factcli import export
from factcli.cli import app
from factcli.intervals import QUALIFIERS
from factcli.model import Figure

EXAMPLES = ROOT / "examples"

# The header of version 1, which the contract keeps, in its order, before any column added since.
V1_COLUMNS = [
    "id",
    "statement",
    "claimant",
    "claimant_name",
    "affiliations",
    "figures",
    "figure_values",
    "disputed",
    "disputed_by",
    "disputes",
    "source",
    "source_title",
    "section",
    "quote",
    "topics",
    "file",
]
# The claim's own version 2 fields, as the header already named them when version 2 landed.
V2_FIELD_COLUMNS = ["about", "as_of", "updates", "matches", "confirmations", "unverified"]


@pytest.fixture(scope="module")
def cross(tmp_path_factory) -> Path:
    """The two-source story of tests/factbases.py (every new field), written once for this module."""
    return write_cross_factbase(tmp_path_factory.mktemp("cross") / "facts")


@pytest.fixture(scope="module")
def cross_fb(cross):
    return factcli.load(cross)


@pytest.fixture(scope="module")
def examples_fb():
    return factcli.load(EXAMPLES)


def ok(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def csv_rows(text: str) -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    return {r["id"]: r for r in rows}


def spreadsheet_number(cell: str) -> float | None:
    """The number a spreadsheet reads in a cell (as a plain number, any locale's digits aside), or None."""
    try:
        return float(cell)
    except ValueError:
        return None


# --- csv -----------------------------------------------------------------------------------------


def test_csv_keeps_every_column_in_its_place_and_adds_the_new_ones(cross):
    header = next(csv.reader(io.StringIO(ok("export", "-f", "csv", "--facts", str(cross)))))
    assert header[: len(V1_COLUMNS)] == V1_COLUMNS
    assert header[len(V1_COLUMNS) : len(V1_COLUMNS) + len(V2_FIELD_COLUMNS)] == V2_FIELD_COLUMNS
    added = header[len(V1_COLUMNS) + len(V2_FIELD_COLUMNS) :]
    assert added[:5] == ["about_names", "date", "updated_by", "confirmed_by", "unverified_by"]
    assert {"figure_qualifiers", "figure_lows", "figure_highs", "figure_measures"} <= set(added)
    assert header == list(export.CSV_COLUMNS) and len(set(header)) == len(header)


def test_csv_figure_values_keep_the_qualifier_so_no_bound_reads_as_a_count(cross):
    rows = csv_rows(ok("export", "-f", "csv", "--facts", str(cross)))
    expected = {
        # claim: (figure_values, figure_qualifiers, figure_lows, figure_highs, figure_measures)
        "officials-26-killed": ("≥ 26", "at_least", "26", "", "deaths"),
        "army-fewer-than-10-died": ("< 10", "fewer_than", "", "10", "deaths"),
        "daily-toll-30-to-40": ("30–40", "range", "30", "40", "deaths"),
        "daily-venn-three-aircraft": ("3", "exact", "3", "3", "aircraft-downed"),
        "venn-three-aircraft": ("", "", "", "", ""),
    }
    columns = ("figure_values", "figure_qualifiers", "figure_lows", "figure_highs", "figure_measures")
    assert {i: tuple(rows[i][c] for c in columns) for i in expected} == expected
    # What a spreadsheet makes of them: the exact count is a number, every bound is text.
    assert spreadsheet_number(rows["daily-venn-three-aircraft"]["figure_values"]) == 3
    for claim in ("officials-26-killed", "army-fewer-than-10-died", "daily-toll-30-to-40"):
        assert spreadsheet_number(rows[claim]["figure_values"]) is None, claim
    assert rows["officials-26-killed"]["figures"] == "at least 26 people killed"  # kept as it was


def test_csv_lines_up_several_figures_of_one_claim(examples_fb):
    rows = csv_rows(export.to_csv(examples_fb, examples_fb.claims, bom=False))
    several = [c for c in examples_fb.claims if len(c.figures) > 1]
    assert several, "examples/ has a claim with several figures"
    for claim in several:
        row = rows[claim.id]
        cells = [row[c].split("; ") for c in ("figure_qualifiers", "figure_lows", "figure_highs", "figure_measures")]
        assert all(len(c) == len(claim.figures) for c in cells), claim.id
        assert cells[0] == [f.qualifier for f in claim.figures]
        assert cells[3] == [f.measure or "" for f in claim.figures]


@given(
    qualifier=st.sampled_from([q for q in QUALIFIERS if q not in ("range", "unspecified")]),
    value=st.integers(min_value=0, max_value=10**9) | st.floats(min_value=0, max_value=1e9, allow_nan=False),
)
def test_only_an_exact_figure_gives_a_number_a_spreadsheet_can_sum(qualifier, value):
    cell = export.figure_value(Figure(value, "people", qualifier, "x"))
    if qualifier == "exact":
        assert spreadsheet_number(cell) == value
    else:
        assert spreadsheet_number(cell) is None and cell.endswith(export.figure_value(Figure(value, "p", "exact", "x")))
        assert not cell.startswith(export.FORMULA_START)


def test_csv_has_the_new_claim_fields(cross):
    rows = csv_rows(ok("export", "-f", "csv", "--facts", str(cross)))
    two, three = rows["venn-two-aircraft"], rows["venn-three-aircraft"]
    assert (two["about"], two["about_names"], two["as_of"], two["date"]) == (
        "tarsovia",
        "Tarsovia",
        "2031-03-10",
        "2031-03-10",
    )
    assert (two["updates"], two["updated_by"]) == ("", "venn-three-aircraft")
    assert (three["updates"], three["updated_by"], three["as_of"], three["date"]) == (
        "venn-two-aircraft",
        "",
        "",
        "2031-03-11",  # its source's published date stands for it
    )
    # matches are written once, on the daily's claim; both claims show them.
    assert three["matches"] == "daily-venn-three-aircraft"
    assert rows["daily-venn-three-aircraft"]["matches"] == "venn-three-aircraft"
    confirmed = rows["daily-venn-three-aircraft"]
    assert confirmed["confirmations"] == "Lunmark: which Lunmark's foreign ministry confirmed"
    assert confirmed["confirmed_by"] == "lunmark"
    caveat = rows["officials-26-killed"]
    assert caveat["unverified"] == "Example Wire: The figures could not be independently verified."
    assert caveat["unverified_by"] == "wire-report-narrator"
    assert rows["daily-toll-30-to-40"]["date"] == "2031-03-12T09:00:00+01:00"


def test_csv_says_which_source_reports_a_reaction_from_another(examples_fb):
    rows = csv_rows(export.to_csv(examples_fb, examples_fb.claims, bom=False))
    elsewhere = [(c, r) for c in examples_fb.claims for kind, _, r in c.reactions() if r.source]
    assert elsewhere, "examples/ reports reactions in other sources"
    for claim, reaction in elsewhere:
        row = rows[claim.id]
        said = f"{examples_fb.actors[reaction.by].name}: {reaction.quote} ({reaction.source}, {reaction.section})"
        assert said in row["disputes"] + row["confirmations"] + row["unverified"], claim.id


def test_csv_from_a_real_process_reads_back_in_the_sqlite3_shell(cross, tmp_path):
    """The sqlite3 shell's CSV import, a reader that is not Python's, sees the same cells."""
    out = tmp_path / "claims.csv"
    done = run_factcli("export", "-f", "csv", "-o", str(out), "--facts", str(cross))
    assert done.returncode == 0, done.stderr
    script = f".import --csv {out} claims\nSELECT figure_values, figure_lows, updated_by FROM claims ORDER BY 1;\n"
    shell = subprocess.run(
        ["sqlite3", "-batch", "-bail", ":memory:"], input=script, capture_output=True, text=True, timeout=60
    )
    assert shell.returncode == 0, shell.stderr
    lines = shell.stdout.splitlines()
    assert "< 10||" in lines and "≥ 26|26|" in lines and "2|2|venn-three-aircraft" in lines and "30–40|30|" in lines


# --- sqlite --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("v2") / "examples.db"
    done = run_factcli("export", "-f", "sqlite", "-o", str(db), "--facts", str(EXAMPLES))
    assert done.returncode == 0, done.stderr
    return db


NEW_KEYS = {
    ("actors", "side_id", "actors", "id"),
    ("actor_affiliations", "actor_id", "actors", "id"),
    ("actor_affiliations", "affiliation_id", "actors", "id"),
    ("figures", "measure", "measures", "id"),
    ("disputes", "source_id", "sources", "id"),
    ("confirmations", "claim_id", "claims", "id"),
    ("confirmations", "by_id", "actors", "id"),
    ("confirmations", "source_id", "sources", "id"),
    ("unverified", "claim_id", "claims", "id"),
    ("unverified", "by_id", "actors", "id"),
    ("unverified", "source_id", "sources", "id"),
    ("claim_about", "claim_id", "claims", "id"),
    ("claim_about", "actor_id", "actors", "id"),
    ("claim_updates", "claim_id", "claims", "id"),
    ("claim_updates", "updates_id", "claims", "id"),
    ("claim_matches", "claim_id", "claims", "id"),
    ("claim_matches", "match_id", "claims", "id"),
}


def test_sqlite_has_the_new_tables_with_keys_and_indexes(examples_db):
    conn = sqlite3.connect(examples_db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    fks = {(t, r[3], r[2], r[4]) for t in tables for r in conn.execute(f"PRAGMA foreign_key_list({t})")}
    assert NEW_KEYS <= fks
    for table in ("measures", "confirmations", "unverified", "claim_about", "claim_updates", "claim_matches"):
        assert any(r[5] for r in conn.execute(f"PRAGMA table_info({table})")), f"{table} has no primary key"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA user_version").fetchone() == (2,)
    # Every join a question needs runs on an index, not a scan of the joined table.
    for table, column in [
        ("claim_about", "actor_id"),
        ("claim_matches", "match_id"),
        ("claim_updates", "updates_id"),
        ("actor_affiliations", "affiliation_id"),
        ("actors", "side_id"),
        ("confirmations", "by_id"),
        ("unverified", "by_id"),
        ("disputes", "source_id"),
    ]:
        plan = " ".join(str(r) for r in conn.execute(f"EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE {column} = 'x'"))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (table, column, plan)
    views = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert {"reactions", "claim_matches_both_ways"} <= views
    conn.close()


def test_sqlite_holds_every_new_field(examples_db, examples_fb):
    fb = examples_fb
    conn = sqlite3.connect(examples_db)
    assert {r[0]: r[1:] for r in conn.execute("SELECT id, name, unit, description FROM measures")} == {
        m.id: (m.name, m.unit, m.description) for m in fb.measures.values()
    }
    for kind in ("disputes", "confirmations", "unverified"):
        rows = conn.execute(
            f"SELECT claim_id, by_id, quote, source_id, section FROM {kind} ORDER BY claim_id, position"
        )
        assert rows.fetchall() == [(c.id, *r) for c in fb.claims for r in getattr(c, kind)], kind
        (count,) = conn.execute("SELECT count(*) FROM reactions WHERE kind = ?", (kind,)).fetchone()
        assert count == sum(len(getattr(c, kind)) for c in fb.claims) > 0, kind
    assert set(conn.execute("SELECT claim_id, actor_id FROM claim_about")) == {
        (c.id, a) for c in fb.claims for a in c.about
    }
    links = fb.links()
    assert dict(conn.execute("SELECT claim_id, updates_id FROM claim_updates")) == {
        c.id: c.updates for c in fb.claims if c.updates
    }
    both = set(conn.execute("SELECT claim_id, match_id FROM claim_matches_both_ways"))
    assert both == {(c, m) for c, ms in links.matches.items() for m in ms} and both
    by_claim = {r[0]: r[1:] for r in conn.execute("SELECT id, as_of, date, updates, updated_by, matches FROM claims")}
    for c in fb.claims:
        expected = (c.as_of, fb.date_of(c), c.updates, links.updated_by.get(c.id), list(links.matches.get(c.id, ())))
        got = by_claim[c.id]
        assert (*got[:4], json.loads(got[4])) == expected, c.id
    published = dict(conn.execute("SELECT id, published FROM sources"))
    assert published == {s.id: s.published for s in fb.sources.values()}
    anonymous = {r[0] for r in conn.execute("SELECT id FROM actors WHERE anonymous")}
    assert anonymous == {a.id for a in fb.actors.values() if a.anonymous} and anonymous
    conn.close()


def test_sqlite_figures_have_their_interval(cross, tmp_path):
    db = tmp_path / "cross.db"
    ok("export", "-f", "sqlite", "-o", str(db), "--facts", str(cross))
    with sqlite3.connect(db) as conn:
        rows = dict(
            ((claim, (low, high)) for claim, low, high in conn.execute("SELECT claim_id, low, high FROM figures"))
        )
    assert rows["officials-26-killed"] == (26, None)
    assert rows["army-fewer-than-10-died"] == (None, 10)
    assert rows["daily-toll-30-to-40"] == (30, 40)
    assert rows["venn-two-aircraft"] == (2, 2)


def sqlite3_shell(db: Path, sql: str) -> list[list[str]]:
    """``sql`` run by the sqlite3 command-line shell, as a user types it: rows of cells."""
    done = subprocess.run(
        ["sqlite3", "-batch", "-bail", "-separator", "\t", str(db), textwrap.dedent(sql)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [line.split("\t") for line in done.stdout.splitlines()]


def test_the_sqlite3_shell_gives_every_figure_of_a_measure_with_its_side(examples_db, examples_fb):
    rows = sqlite3_shell(
        examples_db,
        """
        SELECT side.name, speaker.name, figures.text, claims.source_id, claims.date
        FROM figures
        JOIN claims ON claims.id = figures.claim_id
        JOIN actors AS speaker ON speaker.id = claims.claimant_id
        JOIN actors AS side ON side.id = speaker.side_id
        WHERE figures.measure = 'tarsovian-aircraft-downed'
        ORDER BY claims.date, claims.id, figures.position;
        """,
    )
    fb = examples_fb
    expected = sorted(
        (
            (fb.date_of(c), c.id, i),
            [
                fb.actors[(fb.affiliations(c.claimant) or (c.claimant,))[-1]].name,
                fb.actors[c.claimant].name,
                f.text,
                c.source.id,
                fb.date_of(c) or "",
            ],
        )
        for c in fb.claims
        for i, f in enumerate(c.figures)
        if f.measure == "tarsovian-aircraft-downed"
    )
    assert rows == [row for _, row in expected] and len({r[0] for r in rows}) >= 2  # more than one side
    assert ["Oskara", "Faris Dollen", "two", "courier-haskor-toll", "2031-03-12"] in rows


def test_the_sqlite3_shell_gives_the_claims_a_side_disputes(examples_db, examples_fb):
    rows = sqlite3_shell(
        examples_db,
        """
        SELECT DISTINCT claims.id
        FROM disputes
        JOIN actors AS disputer ON disputer.id = disputes.by_id
        JOIN claims ON claims.id = disputes.claim_id
        WHERE disputer.side_id = 'tarsovia'
        ORDER BY claims.id;
        """,
    )
    fb = examples_fb
    tarsovia = {"tarsovia", *fb.members("tarsovia")}
    expected = sorted(c.id for c in fb.claims if set(c.disputed_by) & tarsovia)
    assert [r[0] for r in rows] == expected and expected
    # The same with the members of any actor, not only a side: the affiliations table.
    rows = sqlite3_shell(
        examples_db,
        """
        SELECT DISTINCT claims.id FROM claims
        JOIN claim_about ON claim_about.claim_id = claims.id
        WHERE claim_about.actor_id = 'tarsovia'
           OR claim_about.actor_id IN (SELECT actor_id FROM actor_affiliations WHERE affiliation_id = 'tarsovia')
        ORDER BY claims.id;
        """,
    )
    about = sorted(c.id for c in fb.claims if set(c.about) & tarsovia)
    assert [r[0] for r in rows] == about and about


def test_the_readme_s_sql_runs_on_examples_in_the_sqlite3_shell(examples_db):
    """Every ```sql block of the README's Exports section answers, as written, on the examples' export."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exports", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```sql\n")[1:]]
    assert len(blocks) >= 4, "the README shows the cross-source questions as SQL"
    for block in blocks:
        rows = sqlite3_shell(examples_db, block)
        assert rows, f"no answer from:\n{block}"


def test_sqlite_keeps_links_only_between_exported_claims_and_names_the_rest(cross, tmp_path):
    """A filtered export: a link whose other end was left out has no row (its key would point nowhere),
    and the claim's own columns still name it."""
    db = tmp_path / "wire.db"
    ok("export", "-f", "sqlite", "-o", str(db), "--facts", str(cross), "--source", "wire-report")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT claim_id, updates_id FROM claim_updates").fetchall() == [
            ("venn-three-aircraft", "venn-two-aircraft")
        ]
        assert conn.execute("SELECT count(*) FROM claim_matches").fetchone() == (0,)
        (matches,) = conn.execute("SELECT matches FROM claims WHERE id = 'venn-three-aircraft'").fetchone()
        assert json.loads(matches) == ["daily-venn-three-aircraft"]
        assert conn.execute("SELECT count(*) FROM measures").fetchone() == (2,)  # the registry, in full


def test_sqlite_of_a_version_1_fact_base_names_its_unregistered_measures_without_inventing_names(story, tmp_path):
    db = tmp_path / "story.db"
    ok("export", "-f", "sqlite", "-o", str(db), "--facts", str(story))
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        measures = conn.execute("SELECT id, name FROM measures").fetchall()
        named = {r[0] for r in conn.execute("SELECT DISTINCT measure FROM figures WHERE measure IS NOT NULL")}
        assert {m for m, _ in measures} == named and named and all(name is None for _, name in measures)


def datasette_get(db: Path, path: str) -> dict:
    from datasette.app import Datasette

    async def get():
        response = await Datasette([str(db)]).client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(get())


def facet(body: dict, column: str) -> list[dict]:
    """A facet's rows: Datasette 0.65 keys facet_results by column, 1.0 nests them under "results"."""
    results = body["facet_results"]
    return results.get("results", results)[column]["results"]


def test_datasette_labels_the_new_keys(examples_db):
    db = examples_db.stem
    query = urlencode({"measure": "strike-deaths", "_labels": "on", "_shape": "objects"})
    rows = datasette_get(examples_db, f"/{db}/figures.json?{query}")["rows"]
    assert rows and all(
        r["measure"] == {"value": "strike-deaths", "label": "Deaths from Tarsovia's strikes in Oskara"} for r in rows
    )
    query = urlencode({"_labels": "on", "_shape": "objects", "_size": "max"})
    rows = datasette_get(examples_db, f"/{db}/confirmations.json?{query}")["rows"]
    assert rows and all(set(r["by_id"]) == {"value", "label"} for r in rows)
    actors = datasette_get(examples_db, f"/{db}/actors.json?id=faris-dollen&_labels=on&_shape=objects")["rows"]
    assert actors[0]["side_id"] == {"value": "oskara", "label": "Oskara"}


def test_datasette_facets_reactions_and_about_by_actor_name(examples_db, examples_fb):
    db = examples_db.stem
    body = datasette_get(examples_db, f"/{db}/disputes.json?_facet=by_id&_labels=on")
    by = {r["value"]: (r["label"], r["count"]) for r in facet(body, "by_id")}
    fb = examples_fb
    counts: dict[str, int] = {}
    for c in fb.claims:
        for d in c.disputes:
            counts[d.by] = counts.get(d.by, 0) + 1
    assert by == {a: (fb.actors[a].name, n) for a, n in counts.items()}
    body = datasette_get(examples_db, f"/{db}/claim_about.json?_facet=actor_id")
    about = {r["value"]: r["count"] for r in facet(body, "actor_id")}
    assert sum(about.values()) == sum(len(c.about) for c in fb.claims) > 0
    body = datasette_get(examples_db, f"/{db}/reactions.json?_facet=kind&_shape=objects")
    kinds = {r["value"]: r["count"] for r in facet(body, "kind")}
    assert kinds == {k: sum(len(getattr(c, k)) for c in fb.claims) for k in ("disputes", "confirmations", "unverified")}


# --- schema.org ----------------------------------------------------------------------------------

# The properties schema.org defines for each type used (https://schema.org, each type's page, inherited
# properties included): a node using any other is a shape Google and JSON-LD tools do not know.
SCHEMA_ORG = {
    "Claim": {
        "identifier",
        "name",
        "text",
        "author",
        "appearance",
        "firstAppearance",
        "datePublished",
        "about",
        "temporalCoverage",
        "keywords",
        "comment",
    },
    "ClaimReview": {"claimReviewed", "author", "reviewRating", "itemReviewed", "url"},
    "Rating": {"alternateName", "ratingExplanation"},
    "Comment": {"name", "text", "author", "isPartOf"},
    "CreativeWork": {"name", "url", "publisher", "datePublished"},
    "Person": {"name", "alternateName", "jobTitle", "affiliation"},
    "Organization": {"name", "alternateName", "parentOrganization"},
    "Country": {"name", "alternateName"},
    "Thing": {"name"},
}
ISO_8601 = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?")


def check_shape(node: object, path: str = "$") -> None:
    """Every node a known schema.org type using only its properties, dates ISO 8601, no empty values."""
    if isinstance(node, list):
        assert node, f"{path}: an empty list"
        for i, item in enumerate(node):
            check_shape(item, f"{path}[{i}]")
        return
    if not isinstance(node, dict):
        assert node not in (None, ""), f"{path}: empty"
        return
    kind = node.get("@type")
    assert kind in SCHEMA_ORG, f"{path}: unknown type {kind!r}"
    unknown = set(node) - SCHEMA_ORG[kind] - {"@type"}
    assert not unknown, f"{path}: {kind} has no property {unknown}"
    for key, value in node.items():
        if key in ("datePublished", "temporalCoverage"):
            assert ISO_8601.fullmatch(value), f"{path}.{key}: {value!r}"
        check_shape(value, f"{path}.{key}")


def graph(fb_dir: Path, *args: str) -> dict[str, dict]:
    doc = json.loads(ok("export", "-f", "schema-org", "--facts", str(fb_dir), *args))
    assert doc["@context"] == "https://schema.org"
    for i, node in enumerate(doc["@graph"]):
        check_shape(node, f"$['@graph'][{i}]")
    return {(n.get("itemReviewed") or n)["identifier"]: n for n in doc["@graph"]}


def test_schema_org_shape_is_schema_org_s_own(cross):
    graph(cross)
    graph(cross, "--reviewer", "Example Fact Check")
    graph(EXAMPLES, "--reviewer", "Example Fact Check")


def test_schema_org_claims_are_about_the_actors_they_concern(cross):
    nodes = graph(cross)
    assert nodes["venn-two-aircraft"]["about"] == [{"@type": "Country", "name": "Tarsovia"}]
    assert nodes["army-fewer-than-10-died"]["about"] == [{"@type": "Country", "name": "Oskara"}]
    assert "about" not in nodes["officials-26-killed"]


def test_schema_org_about_an_actor_it_has_no_type_for_is_a_thing_by_name(tmp_path):
    claims = [dict(c) for c in CROSS_CLAIMS]
    army = next(c for c in claims if c["id"] == "army-fewer-than-10-died")
    army["about"] = ["oskara", "oskaran-officials"]  # anonymous, of kind unattributed
    nodes = graph(write_cross_factbase(tmp_path / "facts", claims=claims))
    assert nodes["army-fewer-than-10-died"]["about"] == [
        {"@type": "Country", "name": "Oskara"},
        {"@type": "Thing", "name": "Oskaran officials"},
    ]


def test_schema_org_gives_the_dates_the_sources_give(cross):
    nodes = graph(cross)
    wire = nodes["venn-two-aircraft"]
    assert wire["appearance"]["datePublished"] == "2031-03-11"
    assert wire["temporalCoverage"] == "2031-03-10"  # the date the claim speaks for
    assert "datePublished" not in wire  # when the minister said it: the source does not say
    assert "temporalCoverage" not in nodes["venn-three-aircraft"]
    narrator = nodes["daily-toll-30-to-40"]  # the daily's own words: said when it was published
    assert narrator["datePublished"] == "2031-03-12T09:00:00+01:00"
    assert narrator["firstAppearance"]["datePublished"] == narrator["datePublished"]


def test_schema_org_reactions_are_comments_in_the_reporting_source_s_words(cross, examples_fb):
    nodes = graph(cross)
    (comment,) = nodes["daily-venn-three-aircraft"]["comment"]
    assert comment == {
        "@type": "Comment",
        "name": "Confirms the claim",
        "text": "which Lunmark's foreign ministry confirmed",
        "author": {"@type": "Country", "name": "Lunmark"},
        "isPartOf": {
            "@type": "CreativeWork",
            "name": "Tarsovia disputes toll",
            "datePublished": "2031-03-12T09:00:00+01:00",
        },
    }
    (caveat,) = nodes["officials-26-killed"]["comment"]
    assert caveat["name"] == "Could not verify the claim"
    assert caveat["author"] == {"@type": "Organization", "name": "Example Wire"}  # the narrator's publisher
    (dispute,) = nodes["venn-three-aircraft"]["comment"]
    assert dispute["name"] == "Disputes the claim" and dispute["author"]["name"] == "Tarsovian army"
    # A reaction another source reports is part of that source.
    fb = examples_fb
    nodes = graph(EXAMPLES)
    for claim in fb.claims:
        reactions = list(claim.reactions())
        comments = nodes[claim.id].get("comment", [])
        assert [c["text"] for c in comments] == [r.quote for _, _, r in reactions], claim.id
        for c, (_, _, r) in zip(comments, reactions, strict=True):
            assert c["isPartOf"]["name"] == fb.sources[r.source or claim.source.id].title


def test_schema_org_rates_only_disputes_and_names_the_source_reporting_one(examples_fb):
    nodes = graph(EXAMPLES, "--reviewer", "Example Fact Check")
    fb = examples_fb
    reviews = {i for i, n in nodes.items() if n["@type"] == "ClaimReview"}
    assert reviews == {c.id for c in fb.claims if c.disputed}
    assert any(c.confirmations or c.unverified for c in fb.claims if c.id not in reviews)  # no rating made up
    for claim_id in reviews:
        explanation = nodes[claim_id]["reviewRating"]["ratingExplanation"]
        for d in fb.claim(claim_id).disputes:
            reported = f"“{d.quote}” (in {fb.sources[d.source].title})" if d.source else f"“{d.quote}”"
            assert reported in explanation, claim_id


# --- every export writes what the selection gives ------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [(), ("--source", "courier-haskor-toll"), ("--actor", "tarsovia", "--disputed"), ("--has-figure", "-n", "4")],
    ids=lambda f: " ".join(f) or "all",
)
def test_every_export_of_examples_holds_the_claims_list_selects(tmp_path, filters):
    args = ("--facts", str(EXAMPLES), *filters)
    wanted = [c["id"] for c in json.loads(ok("list", "--json", *args))]
    assert list(csv_rows(ok("export", "-f", "csv", *args))) == wanted
    doc = json.loads(ok("export", "-f", "schema-org", *args))
    assert [n["identifier"] for n in doc["@graph"]] == wanted
    db = tmp_path / "x.db"
    ok("export", "-f", "sqlite", "-o", str(db), *args)
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY rowid")] == wanted
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        exported = set(wanted)
        for table in ("figures", "disputes", "confirmations", "unverified", "claim_about", "claim_matches"):
            assert {r[0] for r in conn.execute(f"SELECT claim_id FROM {table}")} <= exported, table
