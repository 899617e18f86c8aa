"""The story across sources as a library: ``fb.compare``, ``fb.conflicts``, ``fb.timeline`` and the
``measure`` and ``disputed_by`` filters, answered alike by the fact base in memory and the index."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storybase import CLAIMS, HERALD, LEDGER, TOLL, write_story

import factcli
from factcli import index, loader
from factcli.intervals import intersects
from factcli.model import FactBaseView
from factcli.query import UnknownName

# By date (the wire's report of Marren's first figure speaks for 11 March, before the wire's own
# date), then by source, then by place in the text; the herald's undated claim last.
STORY_ORDER = [
    "ledger-marren-at-least-20",
    "ledger-kestria-at-most-12",
    "wire-marren-earlier-20",
    "wire-hale-25",
    "wire-hospital-about-24",
    "herald-marren-31",
    "herald-several",
]


@pytest.fixture(scope="module")
def velm(tmp_path_factory) -> Path:
    return write_story(tmp_path_factory.mktemp("velm") / "facts")


@pytest.fixture(params=["memory", "index"])
def fb(request, velm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FactBaseView:
    """The story as each kind of fact base holds it."""
    if request.param == "memory":
        return loader.load_dir(velm)
    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    factcli.load(velm)  # built
    warm = factcli.load(velm)
    assert type(warm).__name__ == "IndexedFactBase"
    return warm


def test_compare_gives_every_figure_in_the_order_of_the_story(fb: FactBaseView) -> None:
    comparison = fb.compare(TOLL)
    assert [f.claim.id for f in comparison.figures] == STORY_ORDER
    assert [f.interval.describe() for f in comparison.figures] == [
        "≥ 20",
        "≤ 12",
        "≥ 20",
        "25",
        "≈ 21.6–26.4",
        "31",
        "any",
    ]
    assert [f.date for f in comparison.figures] == [
        *("2031-03-11", "2031-03-11", "2031-03-11", "2031-03-12", "2031-03-12"),
        *("2031-03-13T09:00:00+02:00", None),
    ]
    # Updated (two steps of Arvel's chain), or the same claim as an updated one in another source.
    assert [f.claim.id for f in comparison.figures if f.superseded] == [
        "ledger-marren-at-least-20",
        "wire-marren-earlier-20",
        "wire-hale-25",
    ]


def test_compare_counts_sides_not_speakers(fb: FactBaseView) -> None:
    """Two spokespeople of Arvel's ministry are one side; its latest figure is the last of its chain."""
    comparison = fb.compare(TOLL)
    assert comparison.sides == ["arvel", "kestria", "velm-hospital", "unattributed"]
    assert {f.claim.id: f.side for f in comparison.figures}["ledger-kestria-at-most-12"] == "kestria"
    assert {side: f.claim.id for side, f in comparison.latest.items()} == {
        "arvel": "herald-marren-31",
        "kestria": "ledger-kestria-at-most-12",
        "velm-hospital": "wire-hospital-about-24",
        "unattributed": "herald-several",
    }


def test_compare_verdict_is_the_figures_that_cannot_both_be_true(fb: FactBaseView) -> None:
    comparison = fb.compare(TOLL)
    assert not comparison.consistent
    # Superseded figures take no part: Arvel's "at least 20" and "25" were its own, since revised.
    assert [(a.claim.id, b.claim.id) for a, b in comparison.conflicts] == [
        ("ledger-kestria-at-most-12", "wire-hospital-about-24"),
        ("ledger-kestria-at-most-12", "herald-marren-31"),
        ("wire-hospital-about-24", "herald-marren-31"),
    ]
    assert [f.in_conflict for f in comparison.figures] == [False, True, False, False, True, True, False]
    assert comparison.sides_in_conflict() == [
        ("kestria", "velm-hospital"),
        ("kestria", "arvel"),
        ("velm-hospital", "arvel"),
    ]


def test_compare_is_consistent_when_every_figure_can_hold(tmp_path: Path) -> None:
    kept = [c for c in CLAIMS if c["id"] not in ("ledger-kestria-at-most-12", "herald-marren-31")]
    fb = loader.load_dir(write_story(tmp_path / "facts", kept))
    comparison = fb.compare(TOLL)
    assert comparison.consistent and comparison.conflicts == []
    assert not any(f.in_conflict for f in comparison.figures)


def test_compare_refuses_a_measure_no_figure_gives(fb: FactBaseView) -> None:
    with pytest.raises(UnknownName, match="unknown measure 'velm-soldiers-kiled'; did you mean 'velm-soldiers-killed'"):
        fb.compare("velm-soldiers-kiled")


def test_conflicts_are_the_pairs_that_cannot_both_hold(fb: FactBaseView) -> None:
    (found,) = fb.conflicts()
    assert found.measure == TOLL
    assert found.claims == ["herald-marren-31", "ledger-kestria-at-most-12", "wire-hospital-about-24"]
    assert found.groups == [(0, 1), (0, 2), (1, 2)]  # superseded figures left out
    marren, kestria, _ = found.figures
    assert (kestria.claimant, kestria.source, kestria.figure.text, kestria.date) == (
        "kestria-army",
        LEDGER,
        "no more than 12",
        "2031-03-11",  # the source's published date
    )
    assert (marren.source, marren.date) == (HERALD, "2031-03-13T09:00:00+02:00")  # the claim's own as_of


def test_timeline_orders_claims_by_date_source_and_place(fb: FactBaseView) -> None:
    story = fb.timeline()
    assert [c.id for c in story.claims] == STORY_ORDER
    assert story.dates["herald-several"] is None and story.dates["wire-hale-25"] == "2031-03-12"
    assert [[c.id for c in chain] for chain in story.chains] == [
        ["ledger-marren-at-least-20", "wire-hale-25", "herald-marren-31"]  # at least 20, then 25, then 31
    ]
    assert story.superseded == {"ledger-marren-at-least-20", "wire-marren-earlier-20", "wire-hale-25"}
    arvel = fb.timeline(actors=["arvel"], limit=3)
    assert [c.id for c in arvel.claims] == ["ledger-marren-at-least-20", "wire-marren-earlier-20", "wire-hale-25"]
    assert [c.id for c in arvel.chains[0]][-1] == "herald-marren-31"  # a chain is given whole
    assert fb.timeline(actors=["kestria"]).chains == []


def test_a_date_time_sorts_by_the_instant_it_names() -> None:
    from factcli.story import date_key

    assert date_key("2031-03-13T01:00:00+02:00") < date_key("2031-03-12T23:30:00") < date_key("2031-03-13")
    assert date_key("2031-03-13") < date_key(None)


def test_measure_and_disputed_by_filters(fb: FactBaseView) -> None:
    assert [c.id for c in fb.query(measure=TOLL)] == sorted(STORY_ORDER)
    assert [c.figures[0].text for c in fb.query(measure=TOLL, sort="id", limit=1)] == ["31"]
    # --disputed-by takes in the members: Kestria's army disputing counts for Kestria.
    assert [c.id for c in fb.query(disputed_by=["kestria"])] == ["wire-hale-25"]
    assert [c.id for c in fb.query(disputed_by=["kestria-army"])] == ["wire-hale-25"]
    assert fb.query(disputed_by=["arvel"]) == []
    with pytest.raises(UnknownName, match="unknown disputing actor 'nobody'"):
        fb.query(disputed_by=["nobody"])


def ids(claims) -> list[str]:
    return [c.id for c in claims]


def test_about_unverified_and_latest_filters(fb: FactBaseView) -> None:
    # --about takes in the members, as --actor does: a claim about Arvel's ministry is about Arvel.
    assert ids(fb.query(about=["arvel"])) == ids(fb.query(about=["arvel-defence-ministry"]))
    assert ids(fb.query(about=["arvel"])) == ["ledger-kestria-at-most-12"]
    assert fb.query(about=["kestria"]) == []
    assert ids(fb.query(unverified=True)) == ["wire-hale-25"]
    # --latest leaves out what a later claim updates, and the same claim reported elsewhere.
    assert ids(fb.query(latest=True, actors=["arvel"])) == ["herald-marren-31"]
    assert ids(fb.query(latest=True, measure=TOLL, limit=2)) == ["herald-marren-31", "herald-several"]
    with pytest.raises(UnknownName, match="unknown actor it is about 'nobody'"):
        fb.query(about=["nobody"])


def test_since_and_until_on_the_claims_date(fb: FactBaseView) -> None:
    """A claim's date is its as_of, else its source's published date; a date is its whole day."""
    assert ids(fb.query(since="2031-03-12")) == ["herald-marren-31", "wire-hale-25", "wire-hospital-about-24"]
    assert ids(fb.query(until="2031-03-11")) == [
        "ledger-kestria-at-most-12",
        "ledger-marren-at-least-20",
        "wire-marren-earlier-20",  # the wire is of the 12th, the claim speaks for the 11th
    ]
    # Marren's 31 was given at 09:00 at +02:00: 07:00 UTC, whatever offset the bound is written in.
    assert ids(fb.query(since="2031-03-13T08:00:00+01:00")) == ["herald-marren-31"]
    assert fb.query(since="2031-03-13T08:00:01+01:00") == []
    assert (
        ids(fb.query(until="2031-03-13T07:00:00"))
        == ids(fb.query(until="2031-03-13"))
        == ids(fb.query(since="2031-03-01"))
    )
    assert "herald-several" not in ids(fb.query(since="2000-01-01"))  # no date: in no stretch of time
    assert ids(fb.query(since="2031-03-12", limit=1, sort="id")) == ["herald-marren-31"]
    assert ids(fb.timeline(since="2031-03-12", until="2031-03-12").claims) == ["wire-hale-25", "wire-hospital-about-24"]
    with pytest.raises(UnknownName, match="'13 March' is not an ISO 8601 date"):
        fb.query(until="13 March")


def test_the_index_keeps_figures_current_through_an_edit(velm: Path, tmp_path: Path, monkeypatch) -> None:
    """Kestria's claim removed: the index's figures table forgets its figure."""
    import shutil

    facts = Path(shutil.copytree(velm, tmp_path / "facts"))
    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    assert len(factcli.load(facts).conflicts()[0].groups) == 3
    (facts / "claims" / LEDGER / "ledger-kestria-at-most-12.yaml").unlink()
    edited = factcli.load(facts)
    assert type(edited).__name__ == "IndexedFactBase"
    assert edited.conflicts() == loader.load_dir(facts).conflicts()
    assert [c.claims for c in edited.conflicts()] == [["herald-marren-31", "wire-hospital-about-24"]]


# --- the index picks out in SQL what may conflict: never fewer pairs than exist -------------------

QUALIFIED = st.one_of(
    st.tuples(st.sampled_from(["exact", "at_least", "at_most", "approximately"]), st.integers(0, 40)),
    st.just(("unspecified", None)),
)


def _figure_claims(figures: list[tuple[str, int | None]]) -> list[dict]:
    """One claim per figure, each its own line of a one-section source (written by ``_text``)."""
    claims = []
    for i, (qualifier, value) in enumerate(figures):
        text = f"figure {i} was {value}" if value is not None else f"figure {i} was several"
        claims.append(
            {
                "id": f"c{i:02d}",
                "claimant": ["ilsa-marren", "tobin-hale", "kestria-army", "velm-hospital"][i % 4],
                "statement": text,
                "figures": [
                    {
                        "value": value,
                        "unit": "soldiers",
                        "qualifier": qualifier,
                        "text": text.removeprefix(f"figure {i} was "),
                        "measure": TOLL if i % 3 else "other-measure",
                    }
                ],
                "disputed": False,
                "source": {"id": LEDGER, "section": "Context", "quote": text},
                "topics": ["casualties"],
            }
        )
    return claims


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(figures=st.lists(QUALIFIED, min_size=1, max_size=9))
def test_conflicts_from_the_index_are_every_disjoint_pair(
    figures: list[tuple[str, int | None]], tmp_path_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factbases import write_factbase
    from storybase import ACTORS, SOURCES

    root = tmp_path_factory.mktemp("prop")
    claims = _figure_claims(figures)
    ledger, _ = SOURCES[0]
    text = "Clash on the Velm\nContext:\n" + "\n".join(c["source"]["quote"] for c in claims) + "\n"
    write_factbase(root / "facts", ACTORS, [(ledger, text), *SOURCES[1:]], claims)
    monkeypatch.setenv(index.CACHE_ENV, str(root / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    factcli.load(root / "facts")
    indexed = factcli.load(root / "facts")
    memory = loader.load_dir(root / "facts")

    expected = []
    for a, b in itertools.combinations(sorted(claims, key=lambda c: (c["figures"][0]["measure"], c["id"])), 2):
        fa, fb_ = (memory.claim(a["id"]).figures[0], memory.claim(b["id"]).figures[0])
        if fa.measure == fb_.measure and not intersects(fa.interval(), fb_.interval()):
            expected.append((fa.measure, a["id"], b["id"]))

    def pairs(found):
        return [(c.measure, c.figures[i].claim, c.figures[j].claim) for c in found for i, j in c.groups]

    assert pairs(indexed.conflicts()) == expected
    assert pairs(memory.conflicts()) == expected
    assert indexed.conflicts() == memory.conflicts()
    assert indexed.measured_figures() == memory.measured_figures()


def test_measured_figures_round_trip_through_yaml_as_written(velm: Path) -> None:
    """The figures a view reads are those of the files (nothing renamed on the way)."""
    fb = loader.load_dir(velm)
    on_disk = yaml.safe_load((velm / "claims" / LEDGER / "ledger-marren-at-least-20.yaml").read_text(encoding="utf-8"))
    (measured,) = [m for m in fb.measured_figures() if m.claim == "ledger-marren-at-least-20"]
    assert measured.figure.text == on_disk["figures"][0]["text"]
    assert (measured.measure, measured.claimant, measured.source) == (TOLL, "ilsa-marren", LEDGER)
