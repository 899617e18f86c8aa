"""The shipped fact base's content: the only test module that may depend on what facts/ holds.

Every other test runs on small fact bases of its own (tests/factbases.py), so adding, changing or
removing a claim, actor, topic or source in facts/ should break only this module, and only where
the content it pins changed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from factbases import SHIPPED, fact_files
from running import check_jsonschema, factcli_executable, run_factcli

import factcli
from factcli.loader import load_dir

ARTICLE = SHIPPED / "sources" / "asif-welcomes-us-help.txt"
FIRST_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
KINDS = ("claim", "actors", "source")


def schema_file(kind: str) -> Path:
    return SHIPPED / "schema" / f"{kind}.schema.json"


@pytest.fixture(scope="module")
def fb():
    return load_dir(SHIPPED)


def test_shipped_fact_base_validates():
    done = run_factcli("validate", "--facts", str(SHIPPED))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: 25 claims, 10 actors, 1 source")


def test_the_shipped_fact_base_has_files_of_every_kind():
    kinds = [kind for _, kind in fact_files(SHIPPED)]
    assert kinds.count("claim") >= 20 and "actors" in kinds and "source" in kinds


@pytest.mark.parametrize("path,kind", fact_files(SHIPPED), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_each_shipped_fact_file_names_its_schema_in_its_first_line(path, kind):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = FIRST_LINE.match(first)
    assert match, f"{path}: first line should be '# yaml-language-server: $schema=<relative path>'"
    target = (path.parent / match.group(1)).resolve()
    assert target == schema_file(kind).resolve(), f"{path} names {match.group(1)}, which is not the {kind} schema"
    assert target.is_file()


@pytest.mark.parametrize("path,kind", fact_files(SHIPPED), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_each_shipped_fact_file_is_valid_against_its_committed_schema(path, kind):
    schema = json.loads(schema_file(kind).read_text(encoding="utf-8"))
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(record), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{path}: {'/'.join(map(str, e.path))}: {e.message}" for e in errors)


@pytest.mark.parametrize("kind", KINDS)
def test_check_jsonschema_accepts_every_shipped_fact_file(kind):
    files = [str(p) for p, k in fact_files(SHIPPED) if k == kind]
    done = subprocess.run(
        [check_jsonschema(), "--schemafile", str(schema_file(kind)), *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_shipped_fact_base_covers_the_article(fb):
    assert len(fb.claims) == 25
    assert len(fb.actors) == 10
    assert {c.source.section for c in fb.claims} == {"Context", "Dive Deeper"}
    assert set(fb.sources) == {"asif-welcomes-us-help"}
    assert {c.id for c in fb.claims} == {
        path.stem for path in (SHIPPED / "claims" / "asif-welcomes-us-help").glob("*.yaml")
    }


def test_source_text_is_the_article_verbatim(fb):
    shared = SHIPPED.parent.parent / "shared" / "article.txt"
    if shared.exists():  # beside the checkout in development and CI
        assert ARTICLE.read_bytes() == shared.read_bytes()
    assert fb.sources["asif-welcomes-us-help"].text == ARTICLE.read_text(encoding="utf-8")


def test_every_quote_is_verbatim_with_curly_apostrophes_kept(fb):
    text = ARTICLE.read_text(encoding="utf-8")
    for claim in fb.claims:
        assert claim.source.quote in text, claim.id
        for dispute in claim.disputes:
            assert dispute.quote in text, claim.id
    assert "country’s preference" in fb.claim("asif-prefers-de-escalation").source.quote


def test_only_contested_claims_are_disputed(fb):
    disputed = {c.id: c.disputed_by for c in fb.claims if c.disputed}
    assert disputed == {
        "india-attackers-cross-border-linkages": ("pakistan",),
        "sites-linked-to-terrorist-groups": ("pakistan",),
    }
    # Pakistan's word on the aircraft is reported, not contested: it must not be marked disputed.
    assert not fb.claim("asif-five-planes-two-drones-downed").disputed


def test_claims_of_unnamed_origin_are_not_pinned_on_a_party(fb):
    assert fb.claim("sites-linked-to-terrorist-groups").claimant == "unattributed"


def test_the_readme_example_holds(fb):
    # README: "factcli list --actor pakistan": Pakistan's claims and the minister's.
    claims = fb.query(actors=["pakistan"])
    assert len(claims) == 12
    assert {c.claimant for c in claims} == {"pakistan", "khawaja-muhammad-asif"}


# --- the shipped fact base is the default, wherever factcli runs -----------------------------------


def _without_facts_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "FACTCLI_FACTS"}


def test_installed_factcli_finds_its_facts_from_any_directory(tmp_path):
    done = subprocess.run(
        [factcli_executable(), "list", "--actor", "pakistan", "--json"],
        cwd=tmp_path,
        env=_without_facts_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 12


def test_python_dash_m_runs_the_same_app(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "factcli", "validate"],
        cwd=tmp_path,
        env=_without_facts_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("ok: 25 claims, 10 actors, 1 source")


def test_python_api_loads_the_shipped_facts_by_default(monkeypatch):
    monkeypatch.delenv("FACTCLI_FACTS", raising=False)
    base = factcli.load()
    assert len(base.claims) == 25
    assert [c.id for c in base.query(actors=["Pakistan"], has_figure=True)] == [
        "asif-five-planes-two-drones-downed",
        "pakistan-downed-several-aircraft-and-drones",
        "pakistan-reports-20-casualties",
    ]


# --- examples/: the fictional multi-source story the README's cross-source examples run on ---------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_examples_story_is_valid_and_says_it_is_fiction():
    from factcli.loader import load_dir

    fb = load_dir(EXAMPLES)
    assert len(fb.sources) >= 3 and fb.measures
    assert "fiction" in (EXAMPLES / "README.md").read_text(encoding="utf-8").split("\n", 3)[0].lower()
    assert any(c.updates for c in fb.claims) and any(c.matches for c in fb.claims)
    assert any(c.confirmations for c in fb.claims) and any(c.unverified for c in fb.claims)
    assert any(a.anonymous for a in fb.actors.values())
    assert all(s.published for s in fb.sources.values())
