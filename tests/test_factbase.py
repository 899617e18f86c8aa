"""The fact base: the shipped records say what the article says, and every validation rule bites."""

from __future__ import annotations

from pathlib import Path

import pytest

import factcli
from factcli.loader import load_dir
from factcli.problems import FactBaseError

from conftest import SHIPPED

ARTICLE = SHIPPED / "sources" / "asif-welcomes-us-help.txt"
CLAIMS = Path("claims") / "asif-welcomes-us-help"


@pytest.fixture(scope="module")
def fb():
    return load_dir(SHIPPED)


# --- the shipped records ---------------------------------------------------------------------------


def test_shipped_fact_base_is_valid_and_covers_the_article(fb):
    assert len(fb.claims) == 24
    assert {c.source.section for c in fb.claims} == {"Context", "Dive Deeper"}
    assert set(fb.sources) == {"asif-welcomes-us-help"}


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


def test_vague_several_stays_vague(fb):
    figures = fb.claim("pakistan-downed-several-aircraft-and-drones").figures
    assert [(f.value, f.qualifier, f.text) for f in figures] == [(None, "unspecified", "several")] * 2


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


def test_figures_for_the_same_thing_are_linked_by_measure(fb):
    toll = sorted(
        (c.claimant, f.value, f.qualifier) for c in fb.claims for f in c.figures if f.measure == "toll-of-indian-strikes"
    )
    assert toll == [("asif-welcomes-us-help-narrator", 20, "at_least"), ("pakistan", 20, "exact")]
    aircraft = {(c.id, f.value) for c in fb.claims for f in c.figures if f.measure == "indian-aircraft-downed"}
    assert aircraft == {("pakistan-downed-several-aircraft-and-drones", None), ("asif-five-planes-two-drones-downed", 5)}


def test_minister_speaks_for_pakistan(fb):
    assert fb.affiliations("khawaja-muhammad-asif") == ("pakistan-government", "pakistan")
    assert set(fb.members("united-states")) >= {"donald-trump", "tulsi-gabbard"}


def test_python_api_queries_like_the_cli():
    base = factcli.load()
    ids = [c.id for c in base.query(actors=["Pakistan"], has_figure=True)]
    assert ids == [
        "asif-five-planes-two-drones-downed",
        "pakistan-downed-several-aircraft-and-drones",
        "pakistan-reports-20-casualties",
    ]


# --- every validation rule, with file, line and field ----------------------------------------------


def _edit(root: Path, rel: Path | str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture drift: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASUALTIES = CLAIMS / "pakistan-reports-20-casualties.yaml"
ACTORS = Path("actors") / "actors.yaml"

RULES = [
    # (file, old, new, line, field, message fragment)
    (CASUALTIES, "disputed: false", "disputd: false", 11, "disputd", "unknown field 'disputd' (did you mean 'disputed'?)"),
    (CASUALTIES, "disputed: false\n", "", 2, "disputed", "required field is missing"),
    (CASUALTIES, "claimant: pakistan", "claimant: pakistann", 3, "claimant", "unknown actor 'pakistann'"),
    (CASUALTIES, "claimant: pakistan", "claimant: 42", 3, "claimant", "expected text, got a number"),
    (CASUALTIES, "statement: India's", "statement: no\nx: India's", 4, "statement", "put it in quotes"),
    (CASUALTIES, "value: 20", "value: .nan", 6, "figures[0].value", "finite number"),
    (CASUALTIES, "value: 20", "value: '20'", 6, "figures[0].value", "expected a number"),
    (CASUALTIES, "qualifier: exact", "qualifier: exactly", 8, "figures[0].qualifier", "did you mean 'exact'?"),
    (CASUALTIES, "value: 20", "value: null", 8, "figures[0].qualifier", "unspecified"),
    (CASUALTIES, "text: '20'", "text: '21'", 9, "figures[0].text", "not in the claim's quote"),
    (CASUALTIES, "quote: Pakistan reported", "quote: Pakistan said", 15, "source.quote", "not found word for word"),
    (CASUALTIES, "section: Dive Deeper", "section: Context", 15, "source.quote", "not in the section 'Context'"),
    (CASUALTIES, "section: Dive Deeper", "section: Dive Deep", 14, "source.section", "did you mean 'Dive Deeper'?"),
    (CASUALTIES, "id: asif-welcomes-us-help", "id: asif-welcome", 13, "source.id", "unknown source 'asif-welcome'"),
    (CASUALTIES, "disputed: false", "disputed: true", 11, "disputed", "no dispute is recorded"),
    (CASUALTIES, "id: pakistan-reports-20-casualties", "id: pakistan-reports-20", 2, "id", "does not match the file name"),
    (CASUALTIES, "claimant: pakistan", "claimant: pakistan\nclaimant: india", 4, "", "duplicate key 'claimant' (first at line 3)"),
    (CASUALTIES, "statement: India's strikes caused 20 casualties.", "statement: !!python/object/apply:os.system ['true']", 4, "", "is not allowed"),
    (ACTORS, "      - pakistan\n\n  - id: khawaja", "      - pakistan-goverment\n\n  - id: khawaja", 23, "actors[3].part_of[0]", "did you mean 'pakistan-government'?"),
    (ACTORS, "  - id: pakistan\n    name: Pakistan\n    kind: country", "  - id: pakistan\n    name: Pakistan\n    kind: country\n    part_of: [khawaja-muhammad-asif]", 18, "actors[2].part_of", "part of itself"),
    (ACTORS, "kind: country", "kind: nation", 17, "actors[2].kind", "not one of the allowed values"),
]


@pytest.mark.parametrize("rel, old, new, line, field, fragment", RULES, ids=[r[5][:40] for r in RULES])
def test_each_rule_reports_file_line_and_field(facts_copy, rel, old, new, line, field, fragment):
    _edit(facts_copy, rel, old, new)
    with pytest.raises(FactBaseError) as caught:
        load_dir(facts_copy)
    problems = [p for p in caught.value.problems if Path(p.file).name == Path(rel).name]
    assert problems, str(caught.value)
    match = [p for p in problems if fragment in str(p)]
    assert match, f"no problem mentions {fragment!r}:\n{caught.value}"
    assert (match[0].line, match[0].field) == (line, field), str(match[0])
    assert str(match[0]).startswith(f"{facts_copy / rel}:{line}:")


def test_duplicate_claim_id_across_files(facts_copy):
    src = facts_copy / CASUALTIES
    other = facts_copy / "claims" / "copy" / src.name
    other.parent.mkdir()
    other.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(FactBaseError) as caught:
        load_dir(facts_copy)
    assert any("duplicate claim id 'pakistan-reports-20-casualties'" in str(p) and ":2:" in str(p) for p in caught.value.problems)


def test_all_problems_are_reported_at_once(facts_copy):
    _edit(facts_copy, CASUALTIES, "claimant: pakistan", "claimant: nobody")
    _edit(facts_copy, CLAIMS / "india-struck-nine-sites.yaml", "value: 9", "value: nine")
    with pytest.raises(FactBaseError) as caught:
        load_dir(facts_copy)
    assert len(caught.value.problems) == 2
    assert all("\n" not in str(p) for p in caught.value.problems)


def test_alias_bomb_is_refused(facts_copy):
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: &d [*c,*c]\ne: [*d,*d]\n'
    (facts_copy / CASUALTIES).write_text(bomb, encoding="utf-8")
    with pytest.raises(FactBaseError, match="aliases"):
        load_dir(facts_copy)
