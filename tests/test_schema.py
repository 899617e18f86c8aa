"""The JSON Schemas: printed by `factcli schema`, committed in facts/schema/, named by every fact
file, and checked by independent validators (the `jsonschema` library and the `check-jsonschema`
command from PyPI), so editors and CI agree with factcli about what a valid fact file is."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from factbases import SHIPPED, fact_files, write_cross_factbase
from running import check_jsonschema, run_factcli

from factcli.cli import app
from factcli.schema import json_schema

KINDS = ("claim", "actors", "source", "measures")
# The committed schemas travel with the shipped fact base; they are factcli's, not its content.
SCHEMA_DIR = SHIPPED / "schema"
FIRST_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def schema_file(kind: str, schema_dir: Path = SCHEMA_DIR) -> Path:
    return schema_dir / f"{kind}.schema.json"


def test_the_story_has_files_of_every_kind(story):
    kinds = [kind for _, kind in fact_files(story)]
    assert kinds.count("claim") >= 10 and "actors" in kinds and "source" in kinds


# --- the command ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_what_factcli_schema_prints(runner, kind):
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0, result.output
    committed = schema_file(kind).read_text(encoding="utf-8") if schema_file(kind).exists() else ""
    assert result.stdout == committed, (
        f"facts/schema/{kind}.schema.json is out of date with factcli/schema.py; regenerate it with:\n"
        f"    factcli schema {kind} > facts/schema/{kind}.schema.json"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_draft_2020_12_and_valid_against_the_metaschema(runner, kind):
    schema = json.loads(runner.invoke(app, ["schema", kind]).stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{kind}.schema.json")
    assert schema == json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_without_kind_prints_every_kind_keyed_by_kind(runner):
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {kind: json_schema(kind) for kind in KINDS}


def test_schema_of_an_unknown_kind_is_a_usage_error_with_a_suggestion(runner):
    result = runner.invoke(app, ["schema", "claims"])
    assert result.exit_code == 2
    assert "unknown kind 'claims'" in result.output and "did you mean 'claim'?" in result.output
    result = runner.invoke(app, ["schema", "banana"])
    assert result.exit_code == 2 and "one of: claim, actors," in result.output and "measures" in result.output


def test_schema_as_a_real_process_matches_the_committed_file():
    done = run_factcli("schema", "claim")
    assert done.returncode == 0, done.stderr
    assert done.stdout == schema_file("claim").read_text(encoding="utf-8")
    assert done.stderr == ""


# --- the fact files name their schema --------------------------------------------------------------


def test_each_fact_file_names_its_schema_in_its_first_line(story):
    # The story is written as a person writes fact files (tests/factbases.py); the shipped files
    # are held to the same in test_shipped_facts.py.
    for path, kind in fact_files(story):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = FIRST_LINE.match(first)
        assert match, f"{path}: first line should be '# yaml-language-server: $schema=<relative path>'"
        target = (path.parent / match.group(1)).resolve()
        assert target == schema_file(kind, story / "schema").resolve(), (
            f"{path} names {match.group(1)}, which is not the {kind} schema"
        )
        assert target.is_file()
        assert target.read_bytes() == schema_file(kind).read_bytes()


# --- validated by the jsonschema library ---------------------------------------------------------


def test_each_fact_file_is_valid_against_its_committed_schema(story):
    for path, kind in fact_files(story):
        schema = json.loads(schema_file(kind).read_text(encoding="utf-8"))
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(record), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{path}: {'/'.join(map(str, e.path))}: {e.message}" for e in errors)


BROKEN_CLAIMS = {
    "unknown field": ("topics:", "topic:"),
    "figure value as text": ("  - value: 20\n", "  - value: twenty\n"),
    "qualifier not allowed": ("qualifier: exact", "qualifier: roughly"),
    "id not a slug": ("id: pakistan-reports-20-casualties", "id: Pakistan Reports"),
    "required field missing": ("disputed: false\n", ""),
    "empty statement": ("statement: India's strikes caused 20 casualties.", "statement: ' '"),
}


@pytest.mark.parametrize("change", BROKEN_CLAIMS.values(), ids=list(BROKEN_CLAIMS))
def test_the_schema_and_factcli_agree_a_broken_claim_is_invalid(runner, story_copy, change):
    path = story_copy / "claims/asif-welcomes-us-help/pakistan-reports-20-casualties.yaml"
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    schema = json.loads(schema_file("claim").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    result = runner.invoke(app, ["validate", "--facts", str(story_copy)])
    assert result.exit_code == 1
    assert "pakistan-reports-20-casualties.yaml" in result.output


# --- validated by check-jsonschema, as CI and pre-commit run it ------------------------------------


def test_the_committed_schemas_pass_check_jsonschema_metaschema_check():
    done = subprocess.run(
        [check_jsonschema(), "--check-metaschema", *map(str, map(schema_file, KINDS))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


@pytest.mark.parametrize("kind", KINDS)
def test_check_jsonschema_accepts_every_fact_file(story, kind, tmp_path):
    cross = write_cross_factbase(tmp_path / "cross")  # the story in format 2: measures, ranges, reactions
    files = [str(p) for base in (story, cross) for p, k in fact_files(base) if k == kind]
    assert files
    done = subprocess.run(
        [check_jsonschema(), "--schemafile", str(schema_file(kind)), *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_check_jsonschema_rejects_a_broken_fact_file_and_names_it(story_copy):
    path = story_copy / "claims/asif-welcomes-us-help/pakistan-reports-20-casualties.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("qualifier: exact", "qualifier: roughly"), encoding="utf-8"
    )
    files = [str(p) for p, k in fact_files(story_copy) if k == "claim"]
    done = subprocess.run(
        [check_jsonschema(), "--schemafile", str(schema_file("claim")), *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "pakistan-reports-20-casualties.yaml" in done.stdout + done.stderr
    assert "roughly" in done.stdout + done.stderr
