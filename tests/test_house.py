"""The inside of factcli (issue 11): public validation, the index's fact base as a real ``FactBase``,
one declaration per field, and the export registry."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

import factcli
from factcli import index, loader, validate
from factcli.problems import Problem

SOURCE = "asif-welcomes-us-help"
CLAIM_FILE = Path("claims") / SOURCE / "strikes-killed-at-least-20.yaml"  # in the story of tests/factbases.py


@pytest.fixture()
def story_fb(story):
    """The story fact base (tests/factbases.py), loaded by the plain loader."""
    return loader.load_dir(story)


@pytest.fixture()
def claim_mapping(story) -> dict:
    return yaml.safe_load((story / CLAIM_FILE).read_text(encoding="utf-8"))


# --- validation is public and stands alone ---------------------------------------------------------


def test_check_claim_accepts_a_valid_claim(story_fb, claim_mapping):
    assert validate.check_claim(claim_mapping, story_fb) == []


def test_check_claim_names_each_problem_and_its_field(story_fb, claim_mapping):
    claim_mapping["claimant"] = "nobody-at-all"
    claim_mapping["source"]["quote"] = "words the source never said"
    claim_mapping["disputes"] = [{"by": "nobody-either", "quote": "nor these"}]
    problems = validate.check_claim(claim_mapping, story_fb, file="draft.yaml")
    assert all(isinstance(p, Problem) and p.file == "draft.yaml" for p in problems)
    got = {(p.field, p.message) for p in problems}
    assert ("claimant", "unknown actor 'nobody-at-all'") in got
    assert ("source.quote", "quote is not found word for word in the source text") in got
    assert ("disputes[0].by", "unknown actor 'nobody-either'") in got
    assert ("disputed", "disputes are recorded but disputed is false") in got


def test_check_claim_reports_its_shape_first(story_fb, claim_mapping):
    del claim_mapping["statement"]
    claim_mapping["colour"] = "red"
    problems = validate.check_claim(claim_mapping, story_fb)
    assert {(p.field, p.message) for p in problems} == {
        ("statement", "required field is missing"),
        ("colour", "unknown field 'colour'"),
    }


def test_check_claim_works_on_an_indexed_fact_base(story_copy, claim_mapping, monkeypatch, tmp_path):
    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    factcli.load(story_copy)
    fb = factcli.load(story_copy)
    assert type(fb).__name__ == "IndexedFactBase"
    assert validate.check_claim(claim_mapping, fb) == []
    claim_mapping["source"]["section"] = "Nowhere"
    assert [p.field for p in validate.check_claim(claim_mapping, fb)] == ["source.section"]


def test_a_stored_record_is_pinned_to_its_line_only_when_a_problem_needs_it(tmp_path, story_fb):
    path = tmp_path / "many.yaml"
    path.write_text(
        "claims:\n  - id: first\n    claimant: a\n  - id: second\n    claimant: b\n",
        encoding="utf-8",
    )
    claim = next(iter(story_fb.claims))._replace(id="second")
    place = validate.InFile("many.yaml", path, str(tmp_path))
    located = validate.Located(claim, place, None)  # where in the file: not known yet
    problem = located.problem(("claimant",), "unknown actor 'b'")
    assert (problem.file, problem.line, problem.column, problem.field) == ("many.yaml", 5, 15, "claims[1].claimant")


def test_a_stored_record_whose_file_is_gone_names_the_file_alone(tmp_path, story_fb):
    claim = next(iter(story_fb.claims))
    located = validate.Located(claim, validate.InFile("gone.yaml", tmp_path / "gone.yaml", str(tmp_path)))
    assert str(located.problem(("claimant",), "unknown actor 'x'")) == "gone.yaml: claimant: unknown actor 'x'"


def test_neither_the_loader_nor_the_index_reaches_into_private_names():
    here = Path(factcli.__file__).parent
    code = "\n".join(p.read_text(encoding="utf-8") for p in sorted(here.rglob("*.py")))
    for private in ("loader._", "Document(None)", 'getattr(reader, "declared"', 'getattr(fb, "select_claims"'):
        assert private not in code
    assert not hasattr(loader, "_Reader")


def test_the_loader_and_check_claim_agree(story_copy, story_fb, claim_mapping):
    claim_mapping["figures"][0]["text"] = "seven"
    path = story_copy / CLAIM_FILE
    path.write_text(yaml.safe_dump(claim_mapping, sort_keys=False), encoding="utf-8")
    with pytest.raises(factcli.FactBaseError) as caught:
        loader.load_dir(story_copy)
    from_loader = [(p.field, p.message) for p in caught.value.problems]
    assert from_loader == [(p.field, p.message) for p in validate.check_claim(claim_mapping, story_fb)]
    assert from_loader == [("figures[0].text", "figure text 'seven' is not in the claim's quote")]


# --- the fact base the index returns is a real implementation of the declared interface ------------


def test_both_fact_bases_implement_the_declared_interface(indexed):
    from factcli.model import FactBase, FactBaseView

    fb, plain = indexed
    assert isinstance(fb, FactBaseView) and isinstance(plain, FactBaseView) and isinstance(plain, FactBase)
    assert FactBaseView.__abstractmethods__ >= {"actors", "sources", "claims", "claim", "topics", "select_claims"}


def test_the_indexed_sources_and_actors_are_mappings_that_answer_like_the_plain_ones(indexed):
    fb, plain = indexed
    for name in ("sources", "actors"):
        mine, theirs = getattr(fb, name), getattr(plain, name)
        assert isinstance(mine, Mapping) and isinstance(theirs, Mapping)
        assert mine.copy() == theirs.copy() == dict(mine) == dict(theirs)
        assert len(mine) == len(theirs) and list(mine) == list(theirs)
        assert dict(mine.items()) == dict(theirs.items()) and list(mine.values()) == list(theirs.values())
        assert json.dumps(mine, default=dict) == json.dumps(theirs, default=dict)
        assert mine == theirs


def test_json_never_reads_the_indexed_sources_as_empty(indexed):
    fb, plain = indexed
    try:
        dumped = json.dumps(fb.sources)
    except TypeError:  # a Mapping that is not a dict: json says so, rather than writing {}
        return
    assert dumped == json.dumps(plain.sources) != "{}"


def test_a_fresh_indexed_source_mapping_answers_membership_without_reading_every_source(indexed):
    fb, plain = indexed
    sid = next(iter(plain.sources))
    assert sid in fb.sources and "no-such-source" not in fb.sources
    assert fb.sources.get("no-such-source") is None and fb.sources[sid] == plain.sources[sid]


def test_query_hands_over_through_select_claims(indexed):
    from factcli.query import Filters, Selection, selection

    fb, plain = indexed
    filters = Filters(actors=["pakistan"], sort="figures", limit=5)
    chosen = selection(plain, filters)
    assert isinstance(chosen, Selection)
    assert fb.select_claims(chosen) == [
        c._replace(path=c.path) for c in fb.query(actors=["pakistan"], sort="figures", limit=5)
    ]
    assert [c.id for c in fb.select_claims(chosen)] == [c.id for c in plain.select_claims(chosen)]


# --- one declaration per field ---------------------------------------------------------------------


def test_each_record_and_its_schema_declare_the_same_fields():
    """The NamedTuple gives a field its type; schema.py its check and JSON Schema; they must agree."""
    from factcli import model, schema

    for record, declared in [
        (model.Claim, schema.CLAIM),
        (model.Figure, schema.FIGURE),
        (model.Dispute, schema.DISPUTE),
        (model.SourceRef, schema.SOURCE_REF),
        (model.Actor, schema.ACTOR),
        (model.Source, schema.SOURCE_FILE),
    ]:
        fields = [name for name in record._fields if name != "path"]
        assert sorted(fields) == sorted(declared.fields), record.__name__
        if "path" in record._fields:  # the index leaves the last field out of the stored record
            assert record._fields[-1] == "path"


def test_records_are_rebuilt_from_their_mappings_and_from_plain_tuples(story_fb):
    import marshal

    from factcli import model

    for claim in story_fb.claims:
        assert model.from_plain(model.Claim, marshal.loads(marshal.dumps(model.to_plain(claim)))) == claim
        raw = yaml.safe_load(Path(claim.path).read_text(encoding="utf-8"))
        assert model.from_mapping(model.Claim, raw, path=claim.path) == claim


def test_a_new_filter_is_a_facet_name(indexed):
    """The index keeps one (facet, value, claim) row per value of each of query.FACETS."""
    from factcli.query import FACETS

    fb, plain = indexed
    stored = {facet for (facet,) in fb._conn.execute("SELECT DISTINCT facet FROM facets")}
    assert stored == {facet for facet, values in FACETS.items() if any(values(c) for c in plain.claims)}
    assert {"claimant", "source", "text", "topic", "disputer", "measure"} <= stored
    claim = plain.claims[0]
    rows = set(fb._conn.execute("SELECT facet, value FROM facets WHERE claim_id = ?", (claim.id,)))
    assert rows == {(facet, value) for facet, values in FACETS.items() for value in values(claim)}


# --- exports are a registry, and their rules are the library's ------------------------------------


def test_every_format_is_a_module_that_says_how_it_is_written():
    from factcli import exports

    for name in exports.FORMATS:
        module = exports.format_module(name)
        assert isinstance(module.OPTIONS, tuple) and isinstance(module.NEEDS_FILE, bool)
        assert callable(getattr(module, "write" if module.NEEDS_FILE else "render"))


@pytest.mark.parametrize(
    "name, output, options, option",
    [
        ("sqlite", None, {}, "output"),
        ("sqlite", "-", {}, "output"),
        ("csv", "x.csv", {"reviewer": "Example"}, "reviewer"),
        ("jsonl", None, {"bom": True}, "bom"),
        ("schema-org", None, {"reviewer": "  "}, "reviewer"),
        ("xml", None, {}, "format"),
    ],
)
def test_the_export_rules_are_checked_by_the_library(name, output, options, option):
    from factcli import exports

    with pytest.raises(exports.OptionError) as caught:
        exports.check(name, output, exports.Options(**options))
    assert caught.value.option == option


def test_the_python_api_exports_as_the_command_line_does(story_fb, tmp_path):
    from factcli import atomic, exports

    claims = story_fb.query(disputed=True)
    text = exports.export(story_fb, claims, "csv")
    assert text is not None and not text.startswith("\ufeff")  # standard output: no BOM
    target = tmp_path / "claims.csv"
    assert exports.export(story_fb, claims, "csv", target) is None
    assert target.read_bytes().decode("utf-8") == "\ufeff" + text  # a file: with one
    with pytest.raises(atomic.TargetExists):
        exports.export(story_fb, claims, "jsonl", target)
    assert target.read_text(encoding="utf-8").startswith("\ufeff")  # kept, byte for byte
    exports.export(story_fb, claims, "jsonl", target, force=True)
    assert target.read_bytes().decode("utf-8") == exports.export(story_fb, claims, "jsonl")
    db = tmp_path / "facts.db"
    exports.export(story_fb, claims, "sqlite", db)
    import sqlite3

    assert sqlite3.connect(db).execute("SELECT count(*) FROM claims").fetchone()[0] == len(claims)


def test_a_valid_fact_base_is_indexed_without_parsing_a_file_again_for_its_marks(story_copy, monkeypatch, tmp_path):
    """Marks are looked up only to pin a problem: a valid fact base has none, so no file is parsed twice."""
    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    parsed = []
    real = validate.InFile._document
    monkeypatch.setattr(validate.InFile, "_document", lambda self: parsed.append(self.file) or real(self))
    fb = factcli.load(story_copy)
    assert type(fb).__name__ == "IndexedFactBase" and fb.claims
    assert parsed == []
