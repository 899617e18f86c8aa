"""The fact base as the library loads it (over the small story of tests/factbases.py); problems come back as data.

The shipped records themselves are checked in test_shipped_facts.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from factbases import CLAIMS as STORY_CLAIMS
from factbases import SOURCE_TEXT

import factcli
from factcli.loader import load_dir
from factcli.problems import FactBaseError

CLAIMS = Path("claims") / "asif-welcomes-us-help"


@pytest.fixture(scope="module")
def fb(story):
    return load_dir(story)


# --- the records, as loaded ----------------------------------------------------------------------------


def test_every_claim_is_loaded_with_its_sections_and_source(fb):
    assert len(fb.claims) == len(STORY_CLAIMS)
    assert {c.source.section for c in fb.claims} == {"Context", "Dive Deeper"}
    assert set(fb.sources) == {"asif-welcomes-us-help"}


def test_source_text_is_kept_byte_for_byte(fb, story):
    assert fb.sources["asif-welcomes-us-help"].text == SOURCE_TEXT
    assert (story / "sources" / "asif-welcomes-us-help.txt").read_text(encoding="utf-8") == SOURCE_TEXT


def test_every_quote_is_verbatim_with_curly_apostrophes_kept(fb):
    text = SOURCE_TEXT
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
        (c.claimant, f.value, f.qualifier)
        for c in fb.claims
        for f in c.figures
        if f.measure == "toll-of-indian-strikes"
    )
    assert toll == [("asif-welcomes-us-help-narrator", 20, "at_least"), ("pakistan", 20, "exact")]
    aircraft = {(c.id, f.value) for c in fb.claims for f in c.figures if f.measure == "indian-aircraft-downed"}
    assert aircraft == {
        ("pakistan-downed-several-aircraft-and-drones", None),
        ("asif-five-planes-two-drones-downed", 5),
    }


def test_minister_speaks_for_pakistan(fb):
    assert fb.affiliations("khawaja-muhammad-asif") == ("pakistan-government", "pakistan")
    assert set(fb.members("united-states")) >= {"donald-trump", "tulsi-gabbard"}


def test_python_api_queries_like_the_cli(story):
    base = factcli.load(story)
    ids = [c.id for c in base.query(actors=["Pakistan"], has_figure=True)]
    assert ids == [
        "asif-five-planes-two-drones-downed",
        "pakistan-downed-several-aircraft-and-drones",
        "pakistan-reports-20-casualties",
    ]


# --- problems, as the library reports them ---------------------------------------------------------
# Each validation rule is pinned, through every command, with its exact file, line, column and field,
# in test_bad_input.py; here, what a notebook user of load_dir gets.


def _edit(root: Path, rel: Path | str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture drift: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASUALTIES = CLAIMS / "pakistan-reports-20-casualties.yaml"


def test_a_problem_carries_its_file_line_column_and_field(story_copy):
    _edit(story_copy, CASUALTIES, "qualifier: exact", "qualifier: exactly")
    with pytest.raises(FactBaseError) as caught:
        load_dir(story_copy)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column, problem.field) == (
        str(story_copy / CASUALTIES),
        8,
        16,
        "figures[0].qualifier",
    )
    assert problem.hint == "did you mean 'exact'?"
    assert (
        str(problem)
        == f"{story_copy / CASUALTIES}:8:16: figures[0].qualifier: 'exactly' is not one of the allowed values (did you mean 'exact'?)"
    )


def test_all_problems_are_reported_at_once(story_copy):
    _edit(story_copy, CASUALTIES, "claimant: pakistan", "claimant: nobody")
    _edit(story_copy, CLAIMS / "india-struck-nine-sites.yaml", "value: 9", "value: nine")
    with pytest.raises(FactBaseError) as caught:
        load_dir(story_copy)
    assert len(caught.value.problems) == 2
    assert all("\n" not in str(p) for p in caught.value.problems)
