"""Claim files holding many claims (``{source: ..., claims: [...]}``) beside one-claim files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from factbases import CLAIMS as STORY_CLAIMS
from factbases import SHIPPED
from running import run_factcli

from factcli import index
from factcli.loader import load_dir
from factcli.problems import FactBaseError

SOURCE = "asif-welcomes-us-help"
FOLDER = Path("claims") / SOURCE
ARTICLE = Path("claims") / f"{SOURCE}.yaml"


def article_text(folder: Path, source: str | None = SOURCE) -> str:
    """Every one-claim file in ``folder`` as one multi-claim file, in file-name order."""
    out = ["# yaml-language-server: $schema=../schema/claim.schema.json"]
    if source:
        out.append(f"source: {source}")
    out.append("claims:")
    for path in sorted(folder.glob("*.yaml")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        out.append("  - " + lines[0])
        out.extend(("    " + line) if line else "" for line in lines[1:])
    return "\n".join(out) + "\n"


@pytest.fixture()
def article(story_copy: Path) -> Path:
    """The story fact base (tests/factbases.py) with all its claims moved into one file, claims/asif-welcomes-us-help.yaml."""
    (story_copy / ARTICLE).write_text(article_text(story_copy / FOLDER), encoding="utf-8")
    shutil.rmtree(story_copy / FOLDER)
    return story_copy


def _same(a, b) -> None:
    assert [c._replace(path="") for c in a.claims] == [c._replace(path="") for c in b.claims]
    assert a.actors.keys() == b.actors.keys() and a.sources.keys() == b.sources.keys()


def _line_of(path: Path, needle: str, start_at: str = "") -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if start_at in line) if start_at else 0
    return next(i for i, line in enumerate(lines) if i >= first and needle in line) + 1


def _ids(path: Path) -> list[str]:
    return [c["id"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]]


# --- loading ---------------------------------------------------------------------------------------


def test_a_multi_claim_file_loads_the_same_claims_as_one_file_each(article, story):
    fb = load_dir(article)
    _same(fb, load_dir(story))
    assert len(fb.claims) == len(STORY_CLAIMS)
    assert {c.path for c in fb.claims} == {str(article / ARTICLE)}


def test_the_file_level_source_is_optional(story_copy, story):
    (story_copy / ARTICLE).write_text(article_text(story_copy / FOLDER, source=None), encoding="utf-8")
    shutil.rmtree(story_copy / FOLDER)
    _same(load_dir(story_copy), load_dir(story))


def test_multi_claim_and_one_claim_files_mix(story_copy, story):
    # Half the claims in one file (any name), the rest left one per file.
    files = sorted((story_copy / FOLDER).glob("*.yaml"))
    moved = story_copy / "claims" / "first-half"
    moved.mkdir()
    for path in files[:12]:
        path.rename(moved / path.name)
    (story_copy / "claims" / "first-half.yaml").write_text(article_text(moved), encoding="utf-8")
    shutil.rmtree(moved)
    _same(load_dir(story_copy), load_dir(story))


def test_the_index_answers_a_multi_claim_file_like_the_loader(article, tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCLI_CACHE_DIR", str(tmp_path / "cache"))
    _same(index.load(article), load_dir(article))
    warm = index.load(article)  # now from the index
    assert type(warm).__name__ == "IndexedFactBase"
    _same(warm, load_dir(article))
    assert {c.path for c in warm.claims} == {str(article / ARTICLE)}
    # One claim inside the file edited: the file is read again, every other claim stays right.
    path = article / ARTICLE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "statement: Pakistan used electronic", "statement: Edited. Pakistan used electronic"
        ),
        encoding="utf-8",
    )
    fresh = index.load(article)
    assert type(fresh).__name__ == "IndexedFactBase"
    assert fresh.claim("asif-electronic-warfare").statement.startswith("Edited. ")
    _same(fresh, load_dir(article))
    # A claim removed from the file is gone from the index too.
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: asif-electronic-warfare")
    end = text.index("  - id:", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert index.load(article).claim("asif-electronic-warfare") is None
    assert len(index.load(article).claims) == len(STORY_CLAIMS) - 1


# --- problems: file, line, column and the path inside the file -----------------------------------


def test_a_problem_in_the_third_claim_names_its_line_and_path(article):
    path = article / ARTICLE
    third = _ids(path)[2]
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {third}\n")
    body_end = text.index("  - id:", start + 1)
    chunk = text[start:body_end]
    assert "claimant: " in chunk
    claimant_line = text[:start].count("\n") + 1 + chunk[: chunk.index("claimant: ")].count("\n")
    path.write_text(
        text[:start] + chunk.replace("claimant: ", "claimant: nobody-", 1) + text[body_end:], encoding="utf-8"
    )
    with pytest.raises(FactBaseError) as caught:
        load_dir(article)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column, problem.field) == (
        str(path),
        claimant_line,
        15,
        "claims[2].claimant",
    )
    assert str(problem).startswith(f"{path}:{claimant_line}:15: claims[2].claimant: unknown actor 'nobody-")


def test_a_schema_problem_in_a_figure_of_the_third_claim(story_copy):
    # A file whose third claim has a figure: the story's claims sorted so that one comes third.
    folder = story_copy / FOLDER
    with_figure = [p for p in sorted(folder.glob("*.yaml")) if "figures:" in p.read_text(encoding="utf-8")]
    without = [p for p in sorted(folder.glob("*.yaml")) if p not in with_figure]
    pick = story_copy / "claims" / "pick"
    pick.mkdir()
    for n, p in enumerate([without[0], without[1], with_figure[0]]):
        shutil.move(p, pick / f"{n}-{p.name}")
    path = story_copy / "claims" / "pick.yaml"
    path.write_text(
        article_text(pick)
        .replace("      - value: ", "      - value: '", 1)
        .replace("\n        unit:", "'\n        unit:", 1),
        encoding="utf-8",
    )
    shutil.rmtree(pick)
    with pytest.raises(FactBaseError) as caught:
        load_dir(story_copy)
    (problem,) = caught.value.problems
    line = _line_of(path, "- value: '")
    assert (problem.line, problem.column, problem.field) == (line, 16, "claims[2].figures[0].value")
    assert str(problem) == f"{path}:{line}:16: claims[2].figures[0].value: expected a number or null, got text"


def test_duplicate_id_across_a_multi_claim_file_and_a_one_claim_file(story_copy):
    folder = story_copy / FOLDER
    (story_copy / ARTICLE).write_text(article_text(folder), encoding="utf-8")
    # Keep one of the one-claim files too: its claim is now in the base twice.
    kept = folder / "pakistan-reports-20-casualties.yaml"
    for p in folder.glob("*.yaml"):
        if p != kept:
            p.unlink()
    with pytest.raises(FactBaseError) as caught:
        load_dir(story_copy)
    (problem,) = caught.value.problems
    article = story_copy / ARTICLE
    # The one-claim file sorts after claims/asif-welcomes-us-help.yaml, so it is the duplicate.
    assert (problem.file, problem.line, problem.field) == (str(kept), 2, "id")
    assert problem.message == f"duplicate claim id 'pakistan-reports-20-casualties' (first in {article})"
    # And within one file: the second of two equal ids, with its path inside the file.
    kept.unlink()
    ids = _ids(article)
    dup = ids[5]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(f"  - id: {ids[0]}\n", f"  - id: {dup}\n", 1), encoding="utf-8")
    with pytest.raises(FactBaseError) as caught:
        load_dir(story_copy)
    (problem,) = caught.value.problems
    second = [
        i + 1 for i, line in enumerate(article.read_text(encoding="utf-8").splitlines()) if line == f"  - id: {dup}"
    ][1]
    assert (problem.line, problem.column, problem.field) == (second, 9, "claims[5].id")
    assert str(problem) == f"{article}:{second}:9: claims[5].id: duplicate claim id {dup!r} (first in {article})"


def test_a_claim_from_another_source_than_the_file_says(article):
    path = article / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"source: {SOURCE}\n", "source: some-other-article\n", 1), encoding="utf-8")
    with pytest.raises(FactBaseError) as caught:
        load_dir(article)
    problems = caught.value.problems
    assert len(problems) == len(STORY_CLAIMS)
    assert problems[0].field == "claims[0].source.id"
    assert "is not the file's source 'some-other-article'" in problems[0].message


@pytest.mark.parametrize(
    "old, new, field, fragment",
    [
        (f"source: {SOURCE}\nclaims:\n", f"sourse: {SOURCE}\nclaims:\n", "sourse", "did you mean 'source'?"),
        ("claims:\n", "claims: []\nx:\n", "", ""),
        (
            "  - id: asif-electronic-warfare\n",
            "  - idd: asif-electronic-warfare\n",
            "claims[0].idd",
            "unknown field 'idd'",
        ),
    ],
)
def test_shape_problems_of_a_multi_claim_file(article, old, new, field, fragment):
    path = article / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert old in text
    if new.startswith("claims: []"):
        text = text[: text.index("claims:\n")] + "claims: []\n"
        field, fragment = "claims", "needs at least 1 item(s)"
    else:
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactBaseError) as caught:
        load_dir(article)
    assert any(p.field == field and fragment in str(p) for p in caught.value.problems), str(caught.value)


# --- the JSON Schema and the real program ----------------------------------------------------------


def test_the_committed_schema_accepts_both_shapes_and_refuses_a_mix(article, story):
    schema = json.loads((SHIPPED / "schema" / "claim.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    many = yaml.safe_load((article / ARTICLE).read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(many))
    one = yaml.safe_load(next((story / FOLDER).glob("*.yaml")).read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(one))
    assert list(validator.iter_errors({**one, "claims": many["claims"]}))
    assert list(validator.iter_errors({"claims": []}))
    broken = json.loads(json.dumps(many))
    broken["claims"][2]["disputed"] = "no"
    assert list(validator.iter_errors(broken))


def test_the_real_program_lists_the_same_from_either_layout(article, story, tmp_path):
    env = {"FACTCLI_CACHE_DIR": str(tmp_path / "cache")}
    one = run_factcli("list", "--actor", "pakistan", "--json", env={**env, "FACTCLI_FACTS": str(story)})
    for _ in range(2):  # cold, then warm from the index
        many = run_factcli("list", "--actor", "pakistan", "--json", env={**env, "FACTCLI_FACTS": str(article)})
        assert many.returncode == 0, many.stderr

        def strip(out: str) -> list[dict]:
            return [{k: v for k, v in c.items() if k != "file"} for c in json.loads(out)]

        assert strip(many.stdout) == strip(one.stdout)
    assert run_factcli("validate", env={**env, "FACTCLI_FACTS": str(article)}).returncode == 0
