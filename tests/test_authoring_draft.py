"""`factcli draft`: claim records proposed from a source's text, never counted until reviewed (issue #13).

The fact bases are the tests' own: the two-source story of tests/factbases.py, and new ones made
with `factcli init` and `add-source` from the articles below (fiction, like the examples).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from factbases import CROSS_ACTORS, write_cross_factbase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from running import run_factcli
from typer.testing import CliRunner

from factcli.authoring.draft.drafter import draft, plain, render
from factcli.cli import app
from factcli.loader import load_dir
from factcli.model import Actor, Source
from factcli.yamlsafe import parse

ARTICLE = """\
Venn says strikes killed 12 in Oskara
Strikes:
DUNHAVEN, March 14 (Example Wire) - Tarsovian jets struck three villages overnight, killing at least 12 people.
Dara Venn said the strikes had hit a clinic and "dozens of homes".
Tarsovia's army denied that any clinic had been hit.
Officials in Pellin said between eight and 15 people were still missing.
Tarsovia's army said its jets had struck "only military targets". It said no civilians were killed.
Reactions:
Information Minister Attaullah Tarar said twenty-six aircraft took part in the raid.
The clinic's doctors treated some 40 wounded, according to local sources.
"We will answer at a time of our choosing," Venn said.
"""

PARTS = {
    "venn": "Dara Venn said the strikes had hit a clinic",
    "officials": "Officials in Pellin said between eight and 15 people were still missing",
    "army": 'Tarsovia\'s army said its jets had struck "only military targets"',
    "it": "It said no civilians were killed",
    "tarar": "Information Minister Attaullah Tarar said twenty-six aircraft took part in the raid",
    "narrator": "Tarsovian jets struck three villages overnight, killing at least 12 people",
}


def _cross(tmp_path: Path) -> Path:
    return write_cross_factbase(tmp_path / "facts")


def _add_article(base: Path, text: str = ARTICLE, source_id: str = "venn-strikes") -> None:
    result = CliRunner().invoke(
        app, ["add-source", "-", "--id", source_id, "--publisher", "Example Wire", "--facts", str(base)], input=text
    )
    assert result.exit_code == 0, result.output


def _drafts(base: Path, source_id: str = "venn-strikes") -> tuple[str, list[dict]]:
    result = CliRunner().invoke(app, ["draft", source_id, "--facts", str(base)])
    assert result.exit_code == 0, result.output
    return result.stdout, parse(result.stdout).value["claims"]


def _by_quote(claims: list[dict], words: str) -> dict:
    (claim,) = [c for c in claims if words in c["source"]["quote"]]
    return claim


# --- what a draft says -----------------------------------------------------------------------------


def test_each_draft_quotes_the_text_verbatim_inside_its_section(tmp_path):
    base = _cross(tmp_path)
    _add_article(base)
    _text, claims = _drafts(base)
    text = (base / "sources" / "venn-strikes.txt").read_text(encoding="utf-8")
    sections = {"Strikes": text.index("Strikes:"), "Reactions": text.index("Reactions:")}
    ends = {"Strikes": sections["Reactions"], "Reactions": len(text)}
    assert len(claims) >= 9
    for claim in claims:
        quote, section = claim["source"]["quote"], claim["source"]["section"]
        at = text.find(quote)
        assert at >= 0, quote
        assert sections[section] < at and at + len(quote) <= ends[section], (section, quote)
        assert claim["draft"] is True and claim["source"]["id"] == "venn-strikes"
    assert all("DUNHAVEN" not in c["source"]["quote"] for c in claims)  # the dateline is no one's claim


def test_claimants_known_new_anonymous_pronoun_and_narrator(tmp_path):
    base = _cross(tmp_path)
    _add_article(base)
    text, claims = _drafts(base)
    assert _by_quote(claims, PARTS["venn"])["claimant"] == "dara-venn"  # a known actor, by name
    assert _by_quote(claims, "We will answer")["claimant"] == "dara-venn"  # and by surname, after a quotation
    assert _by_quote(claims, PARTS["narrator"])["claimant"] == "venn-strikes-narrator"  # the article's own voice
    anonymous = _by_quote(claims, PARTS["officials"])["claimant"]
    assert anonymous.endswith("-anon")
    new = _by_quote(claims, PARTS["tarar"])["claimant"]
    assert new == "attaullah-tarar"
    army = _by_quote(claims, PARTS["army"])["claimant"]
    assert army == "tarsovia-army"  # "Tarsovian army" is known: "Tarsovia's army" is a new body, proposed
    assert _by_quote(claims, PARTS["it"])["claimant"] == army  # "It said": the previous speaker...
    assert "# who is 'It'? taken as the previous speaker" in text  # ...flagged for the reviewer
    # The proposals, commented, ready to move into actors/:
    proposals = text.split("# Proposed actors", 1)[1]
    assert "#   - id: attaullah-tarar" in proposals and "#     role: Information Minister" in proposals
    assert f"#   - id: {anonymous}" in proposals and "#     anonymous: true" in proposals


def test_figures_and_measures_are_proposed(tmp_path):
    base = _cross(tmp_path)
    _add_article(base)
    text, claims = _drafts(base)
    narrator = _by_quote(claims, PARTS["narrator"])
    assert [(f["text"], f["qualifier"], f["value"]) for f in narrator["figures"]] == [
        ("three", "exact", 3),
        ("at least 12", "at_least", 12),
    ]
    assert narrator["figures"][1]["measure"] == "deaths"  # the fact base's measure of people killed
    (missing,) = _by_quote(claims, PARTS["officials"])["figures"]
    assert (missing["low"], missing["high"], missing["qualifier"], missing["text"]) == (
        8,
        15,
        "range",
        "between eight and 15",
    )
    (aircraft,) = _by_quote(claims, PARTS["tarar"])["figures"]
    assert (aircraft["value"], aircraft["text"]) == (26, "twenty-six")
    assert aircraft["measure"] == "aircraft-downed" or "#   - id: " + aircraft["measure"] in text


def test_a_denial_is_proposed_as_a_dispute_of_the_claim_it_answers(tmp_path):
    base = _cross(tmp_path)
    _add_article(base)
    text, claims = _drafts(base)
    denial = "Tarsovia's army denied that any clinic had been hit"
    disputed = [c for c in claims if c.get("disputes")]
    assert [c["id"] for c in disputed] == [_by_quote(claims, PARTS["venn"])["id"]]
    assert disputed[0]["disputes"] == [{"by": "tarsovia-army", "quote": denial}]
    assert disputed[0]["disputed"] is True
    assert "disputed: true  # proposed: the next sentence reads as a denial of this claim" in text
    assert not _by_quote(claims, denial).get("disputes")  # the denial is a claim of its own too


def test_ids_are_unique_across_the_fact_base_and_readable(tmp_path):
    base = _cross(tmp_path)
    _add_article(base, ARTICLE + 'Dara Venn said the strikes had hit a clinic and "dozens of homes".\n')
    _text, claims = _drafts(base)
    existing = {c.id for c in load_dir(base).claims}
    ids = [c["id"] for c in claims]
    assert len(set(ids)) == len(ids) and not existing & set(ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) and len(i) <= 80 for i in ids)
    twice = [c["id"] for c in claims if c["source"]["quote"].startswith(PARTS["venn"])]
    assert twice == ["venn-strikes-hit-clinic-dozens-homes", "venn-strikes-hit-clinic-dozens-homes-2"]


def test_the_draft_file_reads_back_as_the_drafter_meant(tmp_path):
    base = _cross(tmp_path)
    _add_article(base)
    fb = load_dir(base)
    result = draft(fb.sources["venn-strikes"], fb.actors, fb.claims, fb.measures.values())
    text = render(result)
    assert text.startswith("# yaml-language-server: $schema=../schema/claim.schema.json\n")
    assert parse(text).value == {"source": "venn-strikes", "claims": [plain(c) for c in result.claims]}


WORDS = st.sampled_from(
    [
        "Venn",
        "Dara Venn",
        "officials",
        "Tarsovia's army",
        "it",
        "the",
        "strikes",
        "hit",
        "12",
        "twenty-six",
        "at least",
        "between",
        "and",
        "several",
        "homes",
        "said",
        "denied",
        "according to",
        "Oskara",
        "’",
        "'",
        '"',
        ":",
        "#",
        ",",
        "-",
        "U.S.",
        "é",
    ]
)
SENTENCES = st.lists(WORDS, min_size=1, max_size=14).map(lambda ws: " ".join(ws).strip() + ".")
PARAGRAPHS = st.lists(SENTENCES, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PARAGRAPHS, min_size=1, max_size=3), st.lists(PARAGRAPHS, min_size=1, max_size=3))
def test_every_quote_is_a_substring_of_its_section_and_every_id_is_new(first, second):
    text = "A title\nFirst:\n" + "\n".join(first) + "\nSecond part:\n" + "\n".join(second) + "\n"
    source = Source("gen", "A title", ("First", "Second part"), text)
    actors = {
        a["id"]: Actor(a["id"], a["name"], a["kind"], a.get("role"), tuple(a.get("aliases", ()))) for a in CROSS_ACTORS
    }
    result = draft(source, actors, [])
    spans = source.section_spans()
    ids = [c["id"] for c in result.claims]
    assert len(ids) == len(set(ids))
    for claim in result.claims:
        quote = claim["source"]["quote"]
        start, end = spans[claim["source"]["section"]]
        assert quote and quote in text[start:end]
        for figure in claim.get("figures", ()):
            assert figure["text"] in quote
    assert parse(render(result)).value["claims"] == [plain(c) for c in result.claims]


# --- a draft is no claim until reviewed ------------------------------------------------------------


def _drafted_into(base: Path) -> Path:
    _add_article(base)
    out = base / "claims" / "venn-strikes.yaml"
    result = CliRunner().invoke(app, ["draft", "venn-strikes", "--facts", str(base), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "review each against the source, then delete its `draft: true`" in result.stderr
    return out


def _review(base: Path, drafted: Path) -> None:
    """What a reviewer does, at its least: keeps every draft as it stands, deletes each `draft: true`,
    fills in the placeholders the drafter leaves (validate refuses them), and moves the proposed
    actors and measures into actors/ and measures/."""
    from factcli import placeholders

    text = drafted.read_text(encoding="utf-8")
    text = text.replace(placeholders.UNIT, "people").replace(placeholders.MEASURE_DESCRIPTION, "As the source says.")
    claims_part, _, proposals = text.partition("\n# Proposed actors")
    drafted.write_text(claims_part.replace("    draft: true\n", "") + "\n", encoding="utf-8")
    for kind, folder in (("actors", "actors"), ("measures", "measures")):
        block = re.search(rf"^# {kind}:\n(?:^#  .*\n)+", "# Proposed actors" + proposals, re.MULTILINE)
        if block:
            yaml_text = "".join(line[2:] + "\n" for line in block.group(0).splitlines())
            (base / folder).mkdir(exist_ok=True)
            (base / folder / f"{drafted.stem}-proposed.yaml").write_text(yaml_text, encoding="utf-8")


def test_drafts_are_in_no_answer_and_each_command_says_they_wait(tmp_path):
    base = _cross(tmp_path)
    before = run_factcli("list", "--json", "--facts", str(base))
    drafted = _drafted_into(base)
    _review(base, drafted)  # proposals moved, claims still drafted
    drafted.write_text(
        drafted.read_text(encoding="utf-8").replace("\n    claimant:", "\n    draft: true\n    claimant:"),
        encoding="utf-8",
    )
    n = drafted.read_text(encoding="utf-8").count("\n    draft: true\n")
    done = run_factcli("list", "--json", "--facts", str(base))
    assert done.returncode == 0 and done.stdout == before.stdout  # not one drafted claim listed
    assert done.stderr == f"factcli: {n} drafted claims await review (factcli validate lists them)\n"
    count = subprocess.run(["jq", "length"], input=done.stdout, capture_output=True, text=True, check=True)
    assert int(count.stdout) == len(json.loads(before.stdout))
    first = parse(drafted.read_text(encoding="utf-8")).value["claims"][0]["id"]
    shown = run_factcli("show", first, "--facts", str(base))
    assert shown.returncode == 1 and f"no claim with id {first!r}" in shown.stderr


def test_validate_fails_naming_each_draft_and_where_it_is(tmp_path):
    base = _cross(tmp_path)
    drafted = _drafted_into(base)
    _review(base, drafted)
    text = drafted.read_text(encoding="utf-8")
    lines = text.splitlines()
    claimant_lines = [i for i, line in enumerate(lines) if line.startswith("    claimant:")]
    lines.insert(claimant_lines[2], "    draft: true")  # the third claim is drafted still
    drafted.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_factcli("validate", "--facts", str(base))
    assert done.returncode == 1 and done.stdout == ""
    where = f"{base}/claims/venn-strikes.yaml:{claimant_lines[2] + 1}:5"
    assert done.stderr.splitlines() == [
        f"{where}: claims[2]: drafted, not reviewed: check it against the source, then delete `draft: true`",
        "factcli: the fact base has 1 problem in 1 file",
    ]


def test_a_reviewed_draft_validates_as_it_stands(tmp_path):
    """Done when: add-source, draft, a person's review (here, the least one), and validate is clean."""
    base = tmp_path / "new"
    assert CliRunner().invoke(app, ["init", str(base)]).exit_code == 0
    drafted = _drafted_into(base)
    unreviewed = run_factcli("validate", "--facts", str(base))  # its new actors are proposals still
    assert unreviewed.returncode == 1 and "claimant: unknown actor 'dara-venn'" in unreviewed.stderr
    _review(base, drafted)
    done = run_factcli("validate", "--facts", str(base))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ") and done.stderr == ""
    listed = run_factcli("list", "--json", "--facts", str(base))
    assert len(json.loads(listed.stdout)) == len(parse(drafted.read_text(encoding="utf-8")).value["claims"])


@pytest.mark.parametrize("name", ["courier-haskor-toll", "halvane-tarsovia-strikes", "northline-live-ceasefire"])
def test_each_example_article_drafts_and_reviews_to_a_clean_fact_base(tmp_path, name):
    """On articles the drafter has never seen (the examples' texts, into a new fact base)."""
    from factbases import ROOT

    base = tmp_path / "new"
    assert CliRunner().invoke(app, ["init", str(base)]).exit_code == 0
    text = (ROOT / "examples" / "sources" / f"{name}.txt").read_text(encoding="utf-8")
    _add_article(base, text, name)
    out = base / "claims" / f"{name}.yaml"
    assert CliRunner().invoke(app, ["draft", name, "--facts", str(base), "-o", str(out)]).exit_code == 0
    _review(base, out)
    done = run_factcli("validate", "--facts", str(base))
    assert done.returncode == 0, done.stderr


# --- the command -------------------------------------------------------------------------------------


def test_draft_never_overwrites_without_force(tmp_path):
    base = _cross(tmp_path)
    _add_article(base)
    out = tmp_path / "draft.yaml"
    out.write_text("mine\n", encoding="utf-8")
    refused = run_factcli("draft", "venn-strikes", "--facts", str(base), "-o", str(out))
    assert refused.returncode == 1 and refused.stderr == f"factcli: {out} already exists; use --force to overwrite it\n"
    assert out.read_text(encoding="utf-8") == "mine\n"
    forced = run_factcli("draft", "venn-strikes", "--facts", str(base), "-o", str(out), "--force")
    assert forced.returncode == 0 and forced.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_draft_of_an_unknown_source_is_a_usage_error(tmp_path):
    base = _cross(tmp_path)
    done = run_factcli("draft", "wire-reprot", "--facts", str(base))
    assert done.returncode == 2 and "unknown source 'wire-reprot'" in done.stderr and "wire-report" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_10000_word_article_is_drafted_clause_by_clause_like_its_parts(tmp_path):
    """A long article (its time is held by benchmarks/bench_draft.py: under a second for 10,000 words)
    gives each of its parts' drafts, ids kept unique."""
    base = _cross(tmp_path)
    body = ARTICLE.split("\n", 1)[1]
    long_text = "Venn says strikes killed 12\n" + "".join(
        body.replace("Strikes:", f"Part {i}:").replace("Reactions:", f"More {i}:") for i in range(100)
    )
    assert len(long_text.split()) >= 10_000
    _add_article(base, long_text, "long")
    _add_article(base, "Venn says strikes killed 12\n" + body, "short")
    fb = load_dir(base)
    long = draft(fb.sources["long"], fb.actors, fb.claims, fb.measures.values())
    short = draft(fb.sources["short"], fb.actors, fb.claims, fb.measures.values())
    per_part, rest = divmod(len(long.claims) - len(short.claims), 99)
    assert (per_part, rest) == (len(short.claims), 0), (len(long.claims), len(short.claims))
    assert len({c["id"] for c in long.claims}) == len(long.claims)


def test_jq_reads_what_draft_proposes(tmp_path):
    """The drafted file is YAML for people; what validate and list --json make of it is JSON for jq."""
    base = tmp_path / "new"
    assert CliRunner().invoke(app, ["init", str(base)]).exit_code == 0
    drafted = _drafted_into(base)
    _review(base, drafted)
    listed = run_factcli("list", "--json", "--facts", str(base))
    quotes = subprocess.run(
        ["jq", "-r", ".[].source.quote"], input=listed.stdout, capture_output=True, text=True, check=True
    )
    text = (base / "sources" / "venn-strikes.txt").read_text(encoding="utf-8")
    assert quotes.stdout.splitlines() and all(q in text for q in quotes.stdout.splitlines())
    assert shutil.which("jq")


def test_a_new_fact_base_gets_bodies_and_speakers_of_a_cut_clause(tmp_path):
    """In a fact base that knows no one yet: "X's Ministry of Defence has said" is a body, proposed; the
    clause after ", but" ("but said they were...") is the speaker's before it, flagged."""
    base = tmp_path / "new"
    assert CliRunner().invoke(app, ["init", str(base)]).exit_code == 0
    _add_article(
        base,
        "Strikes\nClaims:\nTarsovia's Ministry of Defence has said the operation killed 70 fighters. "
        "Colonel Teodor Brask confirmed that its forces had struck targets near Haskor, but said they were "
        '"training camps, not a school".\n',
        "strikes",
    )
    text, claims = _drafts(base, "strikes")
    assert _by_quote(claims, "Ministry of Defence has said")["claimant"] == "tarsovia-ministry-of-defence"
    assert _by_quote(claims, "Brask confirmed")["claimant"] == "teodor-brask"
    assert _by_quote(claims, "said they were")["claimant"] == "teodor-brask"
    assert "# who said it? taken as the previous speaker" in text


def test_punctuation_alone_is_no_draft():
    """(Found by a longer random run: a line holding only "." gave a draft with an empty quote.)"""
    text = "T\nS:\n.\n— …\nVenn said: yes.\n"
    result = draft(Source("s", "T", ("S",), text), {}, [])
    assert [c["source"]["quote"] for c in result.claims] == ["Venn said: yes"]
