"""Record format version 2 under attack: what a hostile or careless fact base does to the new fields.

Each test builds the two-source story (tests/factbases.py) with one thing changed, and asserts what
a user sees: through the CLI in process (CliRunner) and as a real subprocess, the exit status, and
the one line naming file, line, column and field, never a traceback.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
from factbases import (
    CROSS_ACTORS,
    CROSS_CLAIMS,
    CROSS_MEASURES,
    CROSS_SOURCES,
    changed_cross_factbase,
    claim_of,
    write_cross_factbase,
)
from running import run_factcli
from typer.testing import CliRunner

from factcli import dates
from factcli.cli import app

WIRE = "claims/wire-report"


def cross(tmp_path: Path, change=None) -> Path:
    return changed_cross_factbase(tmp_path / "facts", change)


claim = claim_of


def published(when: str):
    """A change giving the wire report (the source of both of Venn's claims) the date ``when``."""

    def change(actors, sources, claims, measures):
        sources[0][0]["published"] = when

    return change


def fails_with(base: Path, rel: str, field: str, *words: str, env: dict | None = None) -> None:
    """Every command on ``base`` exits 1 with the one problem at ``rel``'s ``field``, in and out of process."""
    for args in (["validate"], ["list", "--json"], ["show", "venn-two-aircraft"]):
        result = CliRunner().invoke(app, [*args, "--facts", str(base)], env=env)
        assert result.exit_code == 1, (args, result.output)
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
        lines = [line for line in result.output.splitlines() if line.startswith(str(base / rel))]
        assert len(lines) == 1, result.output
        assert f": {field}: " in lines[0] and all(w in lines[0] for w in words), lines[0]
        process = run_factcli(*args, "--facts", str(base), env=env)
        assert process.returncode == 1, process.stderr
        assert "Traceback" not in process.stderr
        assert lines[0] in process.stderr.splitlines(), process.stderr


def answers(base: Path, env: dict | None = None) -> list[dict]:
    """``list --json`` on ``base``, in and out of process (exit 0, no traceback), as parsed JSON."""
    result = CliRunner().invoke(app, ["validate", "--facts", str(base)], env=env)
    assert result.exit_code == 0, result.output
    process = run_factcli("list", "--json", "--facts", str(base), env=env)
    assert process.returncode == 0 and "Traceback" not in process.stderr, process.stderr
    through_jq = subprocess.run(["jq", "-e", "length > 0"], input=process.stdout, capture_output=True, text=True)
    assert through_jq.returncode == 0, through_jq.stderr  # valid JSON to jq (no NaN, no Infinity)
    return json.loads(process.stdout)


# --- dates at the calendar's ends --------------------------------------------------------------------


@pytest.mark.parametrize("env", [None, {"FACTCLI_NO_INDEX": "1"}], ids=["index", "no-index"])
def test_a_date_whose_utc_instant_is_past_year_9999_is_ordered_not_a_traceback(tmp_path, env):
    """9999-12-31T23:59:59.999999-14:00 is valid ISO 8601 and a real local time, but its UTC instant
    falls in year 10000, beyond Python's datetime: ordering the update against it raised OverflowError."""
    base = cross(tmp_path, published("9999-12-31T23:59:59.999999-14:00"))
    claims = {c["id"]: c for c in answers(base, env)}
    assert claims["venn-three-aircraft"]["date"] == "9999-12-31T23:59:59.999999-14:00"


@pytest.mark.parametrize("env", [None, {"FACTCLI_NO_INDEX": "1"}], ids=["index", "no-index"])
def test_a_date_whose_utc_instant_is_before_year_1_is_reported_as_dated_before_what_it_updates(tmp_path, env):
    """0001-01-01T00:00+14:00 is 0000-12-31T10:00 in UTC: the update (venn-three-aircraft, dated by
    its source) is then dated before the claim it updates (as_of 2031-03-10), which validate says."""
    base = cross(tmp_path, published("0001-01-01T00:00+14:00"))
    fails_with(
        base,
        f"{WIRE}/venn-three-aircraft.yaml",
        "updates",
        "'venn-two-aircraft' is dated 2031-03-10, after this claim's 0001-01-01T00:00+14:00",
        env=env,
    )


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("9999-12-31T23:59:59.999999-13:59", "9999-12-31T23:59:59.999999-14:00"),  # both past 9999 in UTC
        ("9999-12-31T10:00", "9999-12-31T23:59:59.999999-14:00"),
        ("0001-01-01T00:00+14:00", "0001-01-01T00:00+13:00"),  # both before year 1 in UTC
        ("0001-01-01T00:00+14:00", "0001-01-01"),
        ("2031-03-11T23:00+00:00", "2031-03-12T00:30+01:00"),
        ("0001-01-01T00:00+14:00", "9999-12-31T23:59:59.999999-14:00"),
    ],
)
def test_dates_at_the_calendars_ends_order_by_their_utc_instant(earlier, later):
    assert dates.sort_key(earlier) < dates.sort_key(later)


def test_an_update_dated_by_its_day_is_not_before_a_time_on_that_same_day(tmp_path):
    """The wire report is dated 2031-03-11 (a day); the claim its update revises speaks for 18:00 that
    day. A day alone says nothing of the hour, so the update is not dated before it: validate refused
    the fact base ("dated 2031-03-11T18:00+02:00, after this claim's 2031-03-11")."""

    def change(actors, sources, claims, measures):
        claim(claims, "venn-two-aircraft")["as_of"] = "2031-03-11T18:00+02:00"

    base = cross(tmp_path, change)
    claims = {c["id"]: c for c in answers(base)}
    assert claims["venn-three-aircraft"]["date"] == "2031-03-11"
    assert claims["venn-two-aircraft"]["updated_by"] == "venn-three-aircraft"
    assert answers(base, {"FACTCLI_NO_INDEX": "1"}) == list(claims.values())


def test_an_update_dated_by_its_day_is_still_before_a_time_on_the_next_day(tmp_path):
    def change(actors, sources, claims, measures):
        claim(claims, "venn-two-aircraft")["as_of"] = "2031-03-12T01:00+02:00"

    base = cross(tmp_path, change)
    fails_with(
        base,
        f"{WIRE}/venn-three-aircraft.yaml",
        "updates",
        "'venn-two-aircraft' is dated 2031-03-12T01:00+02:00, after this claim's 2031-03-11",
    )


# --- fields that contradict what they are for -------------------------------------------------------


def about_the_claimant(actors, sources, claims, measures):
    claim(claims, "venn-two-aircraft")["about"] = ["tarsovia", "dara-venn"]


def reaction_naming_its_claims_own_source(actors, sources, claims, measures):
    claim(claims, "venn-three-aircraft")["disputes"][0].update(source="wire-report", section="Reactions")


@pytest.mark.parametrize(
    ("change", "rel", "field", "words"),
    [
        (about_the_claimant, "venn-two-aircraft", "about[1]", "the claimant itself"),
        (reaction_naming_its_claims_own_source, "venn-three-aircraft", "disputes[0].source", "the claim's own source"),
    ],
    ids=["about the claimant", "reaction source the claim's own"],
)
def test_a_field_that_contradicts_its_meaning_is_reported(tmp_path, change, rel, field, words):
    """``about`` names the actors a claim concerns beside its claimant; a reaction's ``source`` names
    another source reporting it, and is null in the JSON otherwise. Each was taken as written, so the
    JSON said the claim was about its own claimant, or gave a reaction in the claim's own source the
    source the contract promises is null for one."""
    base = cross(tmp_path, change)
    fails_with(base, f"{WIRE}/{rel}.yaml", field, words)


# --- one claim checked against a fact base (the Python API) -------------------------------------------


@pytest.mark.parametrize("how", ["loader", "index"])
@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"figures": [{**CROSS_CLAIMS[0]["figures"][0], "measure": "aircraft-lost"}]},
            "figures[0].measure",
            "unknown measure",
        ),
        ({"updates": "venn-too-aircraft"}, "updates", "unknown claim 'venn-too-aircraft'"),
        ({"updates": "venn-two-aircraft"}, "updates", "already updated by 'venn-three-aircraft'"),
        ({"updates": "army-fewer-than-10-died", "as_of": "2031-03-13"}, "updates", "by another side"),
        ({"matches": ["venn-three-aircraft"]}, "matches[0]", "in the same source"),
        ({"matches": ["daily-venn-three"]}, "matches[0]", "unknown claim 'daily-venn-three'"),
    ],
    ids=["measure", "dangling update", "second update", "other side", "match in one source", "dangling match"],
)
def test_check_claim_finds_what_adding_the_claim_would_break(tmp_path, monkeypatch, how, change, field, words):
    """``check_claim(mapping, fb)`` lists every problem the claim would have in ``fb``: with version 2
    that includes its measures (``fb`` keeps a registry) and its links to other claims, which it
    passed, so a claim it called valid made the fact base invalid once saved."""
    import factcli
    from factcli import index, validate
    from factcli.loader import load_dir

    base = cross(tmp_path)
    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    fb = load_dir(base) if how == "loader" else factcli.load(base)
    draft = {**copy.deepcopy(CROSS_CLAIMS[0]), "id": "venn-two-aircraft-again"}
    draft.pop("as_of")
    draft.update(change)
    problems = validate.check_claim(draft, fb, file="draft.yaml")
    assert [(p.file, p.field) for p in problems] == [("draft.yaml", field)], problems
    assert words in problems[0].message
    saved = base / WIRE / "venn-two-aircraft-again.yaml"
    from factbases import claim_yaml

    saved.write_text(claim_yaml(draft), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--facts", str(base)])
    assert result.exit_code == 1 and f"{saved}:" in result.output and f" {field}: " in result.output


# --- figures at the edges of what a number can hold ----------------------------------------------------


def test_an_interval_end_a_figure_states_is_its_number_as_written_even_past_2_to_the_53(tmp_path):
    """A whole number up to 2**63 - 1 is a valid figure, kept exactly in ``value``; its interval's ends,
    worked out in floating point, said 9007199254740992.0 for a figure written 9007199254740993."""

    def change(actors, sources, claims, measures):
        claim(claims, "venn-two-aircraft")["figures"][0]["value"] = 2**53 + 1
        claim(claims, "daily-toll-30-to-40")["figures"][0].update(low=2**53 + 1, high=2**63 - 1)

    base = cross(tmp_path, change)
    claims = {c["id"]: c for c in answers(base)}
    exact = claims["venn-two-aircraft"]["figures"][0]
    assert (exact["value"], exact["low"], exact["high"]) == (2**53 + 1, 2**53 + 1, 2**53 + 1)
    ranged = claims["daily-toll-30-to-40"]["figures"][0]
    assert (ranged["low"], ranged["high"]) == (2**53 + 1, 2**63 - 1)
    figures = json.loads(CliRunner().invoke(app, ["figures", "--json", "--facts", str(base)]).stdout)
    ends = {(f["claim"], f["low"], f["high"]) for group in figures for f in group["figures"]}
    assert ("venn-two-aircraft", 2**53 + 1, 2**53 + 1) in ends
    assert ("daily-toll-30-to-40", 2**53 + 1, 2**63 - 1) in ends


# --- the index against the loader under version 2's edits (a Hypothesis state machine) ---------------
# The index checks again only what an edit can break. Each rule flips one thing the version 2
# records link (a source text a reaction of another source's claim quotes, the measures registry, a
# claim others update or match, an actor's side, a source's date, an update that closes a loop...);
# after every step the index and the loader must agree, as in tests/test_index_stateful.py.

EDITS = (
    "reaction quote gone from the other source's text",
    "reaction section renamed in the other source",
    "measures registry removed",
    "measure renamed in the registry",
    "figure names an unregistered measure",
    "updated claim renamed",
    "updated claim renamed with its references",
    "matched claim renamed",
    "minister moved to the other side",
    "source dated before what its claim updates",
    "source dated at the calendar's end",
    "update closes a loop",
    "match within one source",
    "confirming actor removed",
    "alias names another actor",
    "reaction source removed",
    "as_of after the update",
    "minister renamed",
    "updated claim made a draft",
)


def v2_story(on: frozenset[str]) -> tuple[list, list, list, list]:
    """The two-source story with a dispute another source reports, and the edits ``on`` applied."""
    actors, sources = copy.deepcopy(CROSS_ACTORS), copy.deepcopy(CROSS_SOURCES)
    claims, measures = copy.deepcopy(CROSS_CLAIMS), copy.deepcopy(CROSS_MEASURES)
    daily_meta, daily_text = sources[1]
    daily_text += "Aftermath:\nTarsovia called the Oskaran toll invented.\n"
    daily_meta["sections"] = ["Report", "Aftermath"]
    officials = claim(claims, "officials-26-killed")
    officials.update(disputed=True)
    officials["disputes"] = [
        {
            "by": "tarsovia",
            "quote": "Tarsovia called the Oskaran toll invented.",
            "source": "daily-report",
            "section": "Aftermath",
        }
    ]
    if "reaction quote gone from the other source's text" in on:
        daily_text = daily_text.replace("invented", "inflated")
    if "reaction section renamed in the other source" in on:
        daily_text = daily_text.replace("Aftermath:", "Later:")
        daily_meta["sections"] = ["Report", "Later"]
    if "measures registry removed" in on:
        measures = []
    if "measure renamed in the registry" in on and measures:
        measures[1]["id"] = "deaths-toll"
    if "figure names an unregistered measure" in on:
        claim(claims, "venn-two-aircraft")["figures"][0]["measure"] = "aircraft-lost"
    renamed = "updated claim renamed" in on or "updated claim renamed with its references" in on
    if renamed:
        claim(claims, "venn-two-aircraft")["id"] = "venn-first-two-aircraft"
        if "updated claim renamed with its references" in on:
            claim(claims, "venn-three-aircraft")["updates"] = "venn-first-two-aircraft"
    if "matched claim renamed" in on:
        claim(claims, "venn-three-aircraft")["id"] = "venn-third-aircraft"
    if "minister moved to the other side" in on:
        next(a for a in actors if a["id"] == "dara-venn")["part_of"] = ["tarsovia-army"]
    if "source dated before what its claim updates" in on:
        sources[0][0]["published"] = "2031-03-09"
    if "source dated at the calendar's end" in on:
        sources[0][0]["published"] = "9999-12-31T23:59:59.999999-14:00"
    if "update closes a loop" in on:
        claim(claims, "venn-two-aircraft" if not renamed else "venn-first-two-aircraft")["updates"] = (
            "venn-three-aircraft"
        )
    if "match within one source" in on:
        claim(claims, "daily-toll-30-to-40")["matches"] = ["army-fewer-than-10-died"]
    if "confirming actor removed" in on:
        actors = [a for a in actors if a["id"] != "lunmark"]
    if "alias names another actor" in on:
        next(a for a in actors if a["id"] == "tarsovia-army")["aliases"] = ["Tarsovia"]
    if "reaction source removed" in on:
        sources = sources[:1]
        claims = [c for c in claims if c["source"]["id"] != "daily-report"]
    if "minister renamed" in on:
        next(a for a in actors if a["id"] == "dara-venn")["name"] = "Dara Venn-Asker"
    if "updated claim made a draft" in on:
        claim(claims, "venn-two-aircraft" if not renamed else "venn-first-two-aircraft")["draft"] = True
    if "as_of after the update" in on:
        claim(claims, claims[0]["id"])["as_of"] = "2031-03-12T08:00+01:00"
    return actors, [(daily_meta, daily_text) if s[0]["id"] == "daily-report" else s for s in sources], claims, measures


def sync(staged: Path, root: Path, stamp=None) -> None:
    """Make ``root`` hold ``staged``'s files, writing only those that differ and removing the rest
    (``stamp(path)`` after each write)."""
    wanted = {p.relative_to(staged): p.read_bytes() for p in staged.rglob("*") if p.is_file()}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.relative_to(root) not in wanted:
            path.unlink()
    for rel, data in wanted.items():
        path = root / rel
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            if stamp is not None:
                stamp(path)


def v2_machine(racy: bool):
    """The machine, with the real ``index.scan.RACY_NS`` (files written in the last 3 s compared by
    content) or with 0 (stat alone; every write then gets an mtime of its own, as in
    tests/test_index_stateful.py)."""
    import os
    import shutil
    import tempfile
    import time

    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
    from test_index_stateful import assert_same, load_indexed, outcome, queries_for

    from factcli import contract, index, loader
    from factcli.query import EVERY_CLAIM

    class V2IndexMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.work = Path(tempfile.mkdtemp(prefix="factcli-v2-stateful-"))
            self.root = self.work / "facts"
            self.on: frozenset[str] = frozenset()
            self.steps = 0
            self.old_cache = os.environ.get(index.CACHE_ENV)
            os.environ[index.CACHE_ENV] = str(self.work / "cache")
            self.old_racy = index.scan.RACY_NS
            index.scan.RACY_NS = self.old_racy if racy else 0
            self.clock = time.time_ns() - 3600 * 10**9
            self.write()

        def stamp(self, path: Path) -> None:
            if not racy:
                self.clock += 1_000_003_000
                os.utime(path, ns=(self.clock, self.clock))

        def teardown(self):
            index.scan.RACY_NS = self.old_racy
            if self.old_cache is None:
                os.environ.pop(index.CACHE_ENV, None)
            else:
                os.environ[index.CACHE_ENV] = self.old_cache
            shutil.rmtree(self.work, ignore_errors=True)

        def write(self) -> None:
            staged = self.work / f"staged-{self.steps}"
            write_cross_factbase(staged, *v2_story(self.on))
            self.root.mkdir(exist_ok=True)
            sync(staged, self.root, self.stamp)
            shutil.rmtree(staged)
            self.steps += 1

        @rule(edit=st.sampled_from(EDITS))
        def flip(self, edit):
            self.on = self.on ^ {edit}
            self.write()

        @invariant()
        def index_agrees_with_the_loader(self):
            ref, want = outcome(loader.load_dir, self.root)
            for attempt in ("update", "warm"):
                fb, got, warning = load_indexed(self.root)
                try:
                    assert not warning, f"{attempt} after {sorted(self.on)}: fell back to the YAML: {warning}"
                    if want is not None or got is not None:
                        assert got is not None, (
                            f"{attempt} after {sorted(self.on)}: the index answered, the loader says {want}"
                        )
                        assert want is not None, (
                            f"{attempt} after {sorted(self.on)}: the index says {got}, the loader answered"
                        )
                        assert got.problems == want.problems
                    else:
                        assert_same(fb, ref, queries_for(ref))
                        assert dict(fb.measures) == dict(ref.measures)
                        assert fb.links() == ref.links()
                        for c in ref.claims:
                            assert contract.claim_object(fb, c) == contract.claim_object(ref, c)
                        # The answers the index stores (issue 15): made on "update", read back on "warm".
                        everything = EVERY_CLAIM._replace(has_figure=True)
                        assert list(fb.claims_json(EVERY_CLAIM)) == list(ref.claims_json(EVERY_CLAIM)), attempt
                        assert list(fb.figures_json(everything)) == list(ref.figures_json(everything)), attempt
                finally:
                    if isinstance(fb, index.IndexedFactBase):
                        fb._conn.close()

    return V2IndexMachine


@pytest.mark.slow
@pytest.mark.parametrize("racy", [True, False], ids=["racy", "racy0"])
def test_the_index_agrees_with_the_loader_after_any_version_2_edits(monkeypatch, racy):
    import os

    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    from factcli import index

    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    monkeypatch.setattr(index.errors, "_warned", False)
    run_state_machine_as_test(
        v2_machine(racy),
        settings=settings(
            max_examples=int(os.environ.get("FACTCLI_STATEFUL_EXAMPLES", "8")),
            stateful_step_count=int(os.environ.get("FACTCLI_STATEFUL_STEPS", "12")),
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
