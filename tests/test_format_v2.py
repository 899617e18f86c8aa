"""Record format version 2 (issue #12): measures, dates, about, updates, matches, reactions, ranges.

Every new field is checked the way the old ones are: a fact base broken in one way gives one line
naming the file, line, column and field, the same from the loader and from the index (the CLI), exit
status 1 and no traceback. A fact base using every new field answers with them in its JSON.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from factbases import changed_cross_factbase, claim_of, write_factbase
from running import run_factcli
from typer.testing import CliRunner

from factcli.cli import app
from factcli.loader import load_dir
from factcli.problems import FactBaseError

WIRE = "claims/wire-report"
DAILY = "claims/daily-report"


def cross(tmp_path: Path, change=None) -> Path:
    return changed_cross_factbase(tmp_path / "facts", change)


claim = claim_of


def loader_problems(base: Path) -> list[str]:
    with pytest.raises(FactBaseError) as err:
        load_dir(base)
    return [str(p) for p in err.value.problems]


def the_problem(base: Path, rel: str, field: str, *words: str) -> str:
    """The one problem of ``base``: from the loader, and from the CLI (the index) in and out of process."""
    found = loader_problems(base)
    assert len(found) == 1, found
    problem = found[0]
    assert problem.startswith(f"{base / rel}:"), problem
    where, _, rest = problem.partition(f": {field}: ")
    assert rest, (field, problem)
    assert where.count(":") == 2 and all(part.isdigit() for part in where.rsplit(":", 2)[1:]), problem  # line, column
    for word in words:
        assert word in rest, (word, problem)
    result = CliRunner().invoke(app, ["validate", "--facts", str(base)])
    assert result.exit_code == 1
    assert problem in result.output, result.output
    process = run_factcli("list", "--json", "--facts", str(base))
    assert process.returncode == 1
    assert process.stdout == ""
    assert problem in process.stderr and "Traceback" not in process.stderr
    return problem


# --- a fact base with every new field ----------------------------------------------------------


def test_the_two_source_story_is_valid_and_answers_from_the_index_as_the_loader_does(tmp_path):
    base = cross(tmp_path)
    assert CliRunner().invoke(app, ["validate", "--facts", str(base)]).exit_code == 0
    fb = load_dir(base)
    assert list(fb.measures) == ["aircraft-downed", "deaths"]
    assert fb.actors["oskaran-officials"].anonymous is True
    assert fb.sources["daily-report"].published == "2031-03-12T09:00:00+01:00"
    from_loader = json.loads(CliRunner().invoke(app, ["list", "--json", "--facts", str(base)]).stdout)
    first = run_factcli("list", "--json", "--facts", str(base))  # builds the index
    warm = run_factcli("list", "--json", "--facts", str(base))  # answers from it
    assert json.loads(first.stdout) == json.loads(warm.stdout) == from_loader


def test_the_json_of_a_claim_gains_the_new_fields_in_order(tmp_path):
    base = cross(tmp_path)
    out = run_factcli("list", "--json", "--facts", str(base))
    claims = {c["id"]: c for c in json.loads(out.stdout)}
    two = claims["venn-two-aircraft"]
    expected = [
        "topics",
        "about",
        "about_names",
        "as_of",
        "date",
        "updates",
        "updated_by",
        "matches",
        "confirmations",
        "confirmed_by",
        "unverified",
        "unverified_by",
        "file",
    ]
    assert list(two)[-len(expected) :] == expected
    assert two["about"] == ["tarsovia"] and two["about_names"] == ["Tarsovia"]
    assert two["as_of"] == two["date"] == "2031-03-10"
    assert two["updated_by"] == "venn-three-aircraft" and two["updates"] is None
    three = claims["venn-three-aircraft"]
    assert three["updates"] == "venn-two-aircraft" and three["updated_by"] is None
    assert three["as_of"] is None and three["date"] == "2031-03-11"  # its source's published day
    # A match is written once, on the daily's claim, and shown both ways.
    assert three["matches"] == ["daily-venn-three-aircraft"]
    assert claims["daily-venn-three-aircraft"]["matches"] == ["venn-three-aircraft"]
    confirmed = claims["daily-venn-three-aircraft"]
    assert confirmed["confirmed_by"] == ["lunmark"]
    assert confirmed["confirmations"] == [
        {
            "by": "lunmark",
            "by_name": "Lunmark",
            "quote": "which Lunmark's foreign ministry confirmed",
            "source": None,
            "section": None,
        }
    ]
    assert claims["officials-26-killed"]["unverified_by"] == ["wire-report-narrator"]
    assert three["disputes"][0]["source"] is None


@pytest.mark.parametrize(
    ("claim_id", "low", "high"),
    [
        ("venn-two-aircraft", 2, 2),  # exact
        ("officials-26-killed", 26, None),  # at least
        ("army-fewer-than-10-died", None, 10),  # fewer than
        ("daily-toll-30-to-40", 30, 40),  # a range
    ],
)
def test_each_figure_gives_the_ends_of_its_interval(tmp_path, claim_id, low, high):
    base = cross(tmp_path)
    out = subprocess.run(
        ["jq", "-c", f'.[] | select(.id == "{claim_id}") | .figures[0] | [.low, .high]'],
        input=run_factcli("list", "--json", "--facts", str(base)).stdout,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == [low, high]


def test_approximately_stands_for_ten_per_cent_either_way(tmp_path):
    def about_30(actors, sources, claims, measures):
        figure = claim(claims, "daily-toll-30-to-40")["figures"][0]
        figure.update(qualifier="approximately", value=35)
        del figure["low"], figure["high"]

    base = cross(tmp_path, about_30)
    out = json.loads(run_factcli("list", "--json", "--facts", str(base)).stdout)
    figure = next(c for c in out if c["id"] == "daily-toll-30-to-40")["figures"][0]
    assert (figure["low"], figure["high"]) == (31.5, 38.5)


def test_a_version_1_fact_base_stays_valid_and_keeps_its_free_measures(tmp_path):
    base = write_factbase(tmp_path / "facts")  # no measures/ folder, figures naming measures freely
    assert CliRunner().invoke(app, ["validate", "--facts", str(base)]).exit_code == 0
    out = json.loads(run_factcli("list", "--json", "--facts", str(base)).stdout)
    assert all(c["about"] == [] and c["date"] is None for c in out)


def test_the_schema_command_writes_the_measures_schema_and_the_story_passes_check_jsonschema(tmp_path):
    from running import check_jsonschema

    base = cross(tmp_path)
    out = CliRunner().invoke(app, ["schema", "measures"])
    assert out.exit_code == 0 and json.loads(out.stdout)["$id"].endswith("measures.schema.json")
    for kind, files in [
        ("claim", sorted((base / "claims").rglob("*.yaml"))),
        ("measures", [base / "measures" / "measures.yaml"]),
        ("source", sorted((base / "sources").glob("*.yaml"))),
        ("actors", [base / "actors" / "actors.yaml"]),
    ]:
        schema = base / "schema" / f"{kind}.schema.json"
        result = subprocess.run(
            [check_jsonschema(), "--schemafile", str(schema), *map(str, files)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda f: f.update(qualifier="range", low=5), "high"),  # a range without high
        (lambda f: f.update(low=1), "low"),  # low on an exact figure
    ],
)
def test_check_jsonschema_refuses_what_the_validator_refuses(tmp_path, mutate, message):
    from running import check_jsonschema

    def change(actors, sources, claims, measures):
        mutate(claim(claims, "venn-two-aircraft")["figures"][0])

    base = cross(tmp_path, change)
    result = subprocess.run(
        [
            check_jsonschema(),
            "--schemafile",
            str(base / "schema/claim.schema.json"),
            str(base / WIRE / "venn-two-aircraft.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert any(message in p for p in loader_problems(base))


# --- each new field, broken --------------------------------------------------------------------


def test_a_dangling_update(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "venn-three-aircraft").update(updates="venn-two-aircrafts"))
    problem = the_problem(base, f"{WIRE}/venn-three-aircraft.yaml", "updates", "unknown claim 'venn-two-aircrafts'")
    assert "did you mean 'venn-two-aircraft'" in problem


def test_a_dangling_match(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "daily-venn-three-aircraft").update(matches=["nothing-here"]))
    the_problem(base, f"{DAILY}/daily-venn-three-aircraft.yaml", "matches[0]", "unknown claim 'nothing-here'")


def test_a_match_in_the_same_source(tmp_path):
    base = cross(
        tmp_path, lambda a, s, c, m: claim(c, "daily-venn-three-aircraft").update(matches=["daily-toll-30-to-40"])
    )
    the_problem(base, f"{DAILY}/daily-venn-three-aircraft.yaml", "matches[0]", "same source")


def test_an_update_loop(tmp_path):
    def loop(actors, sources, claims, measures):
        claim(claims, "venn-two-aircraft").update(updates="venn-three-aircraft")
        del claim(claims, "venn-two-aircraft")["as_of"]

    base = cross(tmp_path, loop)
    found = loader_problems(base)
    assert len(found) == 1 and "updates: updates loop back" in found[0], found
    assert CliRunner().invoke(app, ["validate", "--facts", str(base)]).exit_code == 1


def test_a_claim_updating_itself(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "venn-two-aircraft").update(updates="venn-two-aircraft"))
    the_problem(base, f"{WIRE}/venn-two-aircraft.yaml", "updates", "cannot update itself")


def test_an_update_of_another_sides_claim(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "army-fewer-than-10-died").update(updates="officials-26-killed"))
    the_problem(base, f"{DAILY}/army-fewer-than-10-died.yaml", "updates", "by another side")


def test_two_updates_of_one_claim(tmp_path):
    def fork(actors, sources, claims, measures):
        claim(claims, "daily-venn-three-aircraft").update(updates="venn-two-aircraft", matches=[])

    base = cross(tmp_path, fork)
    found = loader_problems(base)
    assert len(found) == 1 and "is already updated by" in found[0], found


def test_an_update_dated_before_what_it_updates(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "venn-two-aircraft").update(as_of="2031-03-12"))
    the_problem(base, f"{WIRE}/venn-three-aircraft.yaml", "updates", "dated 2031-03-12, after")


def test_a_reaction_quote_not_in_the_source_it_names(tmp_path):
    def elsewhere(actors, sources, claims, measures):
        # The daily reports the army's denial? No: the wire does. Said to be in the daily, it is not found there.
        claim(claims, "venn-three-aircraft")["disputes"][0]["source"] = "daily-report"

    base = cross(tmp_path, elsewhere)
    the_problem(
        base,
        f"{WIRE}/venn-three-aircraft.yaml",
        "disputes[0].quote",
        "not found word for word in the text of source 'daily-report'",
    )


def test_a_reaction_reported_by_another_source_is_checked_there(tmp_path):
    def from_the_daily(actors, sources, claims, measures):
        claim(claims, "officials-26-killed")["disputes"] = [
            {
                "by": "tarsovia-army",
                "quote": "fewer than 10 people had died in Oskara",
                "source": "daily-report",
                "section": "Report",
            }
        ]
        claim(claims, "officials-26-killed")["disputed"] = True

    base = cross(tmp_path, from_the_daily)
    assert CliRunner().invoke(app, ["validate", "--facts", str(base)]).exit_code == 0
    out = json.loads(run_factcli("list", "--json", "--facts", str(base)).stdout)
    dispute = next(c for c in out if c["id"] == "officials-26-killed")["disputes"][0]
    assert (dispute["source"], dispute["section"], dispute["by_name"]) == ("daily-report", "Report", "Tarsovian army")


def test_a_reaction_naming_an_unknown_source(tmp_path):
    base = cross(
        tmp_path, lambda a, s, c, m: claim(c, "daily-venn-three-aircraft")["confirmations"][0].update(source="wire")
    )
    the_problem(base, f"{DAILY}/daily-venn-three-aircraft.yaml", "confirmations[0].source", "unknown source 'wire'")


def test_a_reaction_naming_a_section_its_source_lacks(tmp_path):
    base = cross(
        tmp_path, lambda a, s, c, m: claim(c, "officials-26-killed")["unverified"][0].update(section="Reactions")
    )
    the_problem(base, f"{WIRE}/officials-26-killed.yaml", "unverified[0].quote", "not in the section 'Reactions'")


def test_a_claimant_confirming_its_own_claim(tmp_path):
    base = cross(
        tmp_path, lambda a, s, c, m: claim(c, "daily-venn-three-aircraft")["confirmations"][0].update(by="dara-venn")
    )
    the_problem(base, f"{DAILY}/daily-venn-three-aircraft.yaml", "confirmations[0].by", "cannot confirm its own claim")


def test_about_an_unknown_actor(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "venn-two-aircraft").update(about=["tarsovai"]))
    problem = the_problem(base, f"{WIRE}/venn-two-aircraft.yaml", "about[0]", "unknown actor 'tarsovai'")
    assert "did you mean 'tarsovia'" in problem


def test_a_range_with_low_above_high(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "daily-toll-30-to-40")["figures"][0].update(low=50))
    the_problem(base, f"{DAILY}/daily-toll-30-to-40.yaml", "figures[0].low", "low 50 is above high 40")


def test_a_range_without_low(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "daily-toll-30-to-40")["figures"][0].pop("low"))
    the_problem(base, f"{DAILY}/daily-toll-30-to-40.yaml", "figures[0].low", "required when qualifier is 'range'")


def test_a_range_with_a_value(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "daily-toll-30-to-40")["figures"][0].update(value=35))
    the_problem(base, f"{DAILY}/daily-toll-30-to-40.yaml", "figures[0].value", "not allowed when qualifier is 'range'")


def test_an_exact_figure_without_a_value(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "venn-two-aircraft")["figures"][0].pop("value"))
    the_problem(base, f"{WIRE}/venn-two-aircraft.yaml", "figures[0].value", "required when qualifier is not 'range'")


def test_more_than_and_fewer_than_are_qualifiers(tmp_path):
    def more_than(actors, sources, claims, measures):
        claim(claims, "officials-26-killed")["figures"][0]["qualifier"] = "more_than"

    base = cross(tmp_path, more_than)
    out = json.loads(run_factcli("list", "--json", "--facts", str(base)).stdout)
    assert next(c for c in out if c["id"] == "officials-26-killed")["figures"][0]["low"] == 26


@pytest.mark.parametrize(
    ("date", "words"),
    [
        ("May 7, 2031", "is not an ISO 8601 date"),
        ("2031-13-01", "is not a day or time that exists"),
        ("2031-03-11 10:00", "is not an ISO 8601 date"),
        ("2031-02-30", "is not a day or time that exists"),
    ],
)
def test_a_date_that_is_not_iso_8601(tmp_path, date, words):
    base = cross(tmp_path, lambda a, s, c, m: claim(c, "venn-two-aircraft").update(as_of=date))
    the_problem(base, f"{WIRE}/venn-two-aircraft.yaml", "as_of", words)


def test_an_unquoted_date_is_told_to_be_quoted(tmp_path):
    base = cross(tmp_path)
    path = base / "sources" / "wire-report.yaml"
    path.write_text(path.read_text().replace("published: '2031-03-11'", "published: 2031-03-11"))
    problem = the_problem(base, "sources/wire-report.yaml", "published", "expected text, got a date")
    assert "put it in quotes" in problem


def test_an_unknown_measure_with_a_registry(tmp_path):
    base = cross(
        tmp_path, lambda a, s, c, m: claim(c, "venn-two-aircraft")["figures"][0].update(measure="aircraft-down")
    )
    problem = the_problem(
        base, f"{WIRE}/venn-two-aircraft.yaml", "figures[0].measure", "unknown measure 'aircraft-down'"
    )
    assert "did you mean 'aircraft-downed'" in problem


def test_a_measure_declared_twice(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: m.append(dict(m[0])))
    found = loader_problems(base)
    assert len(found) == 1 and "duplicate measure id 'aircraft-downed'" in found[0], found


def test_a_measure_without_a_name(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: m[0].pop("name"))
    the_problem(base, "measures/measures.yaml", "measures[0].name", "required field is missing")


def test_an_alias_two_actors_share(tmp_path):
    def share(actors, sources, claims, measures):
        next(a for a in actors if a["id"] == "oskaran-officials")["aliases"] = ["Information Minister"]

    base = cross(tmp_path, share)
    found = loader_problems(base)
    assert len(found) == 2 and all("also names" in p for p in found), found


def test_anonymous_is_true_or_false(tmp_path):
    base = cross(tmp_path, lambda a, s, c, m: a[3].update(anonymous="yes"))
    the_problem(base, "actors/actors.yaml", "actors[3].anonymous", "expected true or false")


# --- the index keeps up with changes elsewhere -------------------------------------------------


def test_the_index_sees_a_match_left_dangling_by_a_removed_claim(tmp_path):
    base = cross(tmp_path)
    assert run_factcli("list", "--json", "--facts", str(base)).returncode == 0  # indexed
    (base / WIRE / "venn-three-aircraft.yaml").unlink()
    out = run_factcli("list", "--json", "--facts", str(base))
    assert out.returncode == 1
    assert "matches[0]: unknown claim 'venn-three-aircraft'" in out.stderr


def test_the_index_sees_a_measure_removed_from_the_registry(tmp_path):
    base = cross(tmp_path)
    assert run_factcli("list", "--json", "--facts", str(base)).returncode == 0
    (base / "measures" / "measures.yaml").write_text(
        (base / "measures" / "measures.yaml").read_text().replace("id: deaths", "id: death-toll")
    )
    out = run_factcli("list", "--json", "--facts", str(base))
    assert out.returncode == 1
    assert "figures[0].measure: unknown measure 'deaths'" in out.stderr


def test_the_index_sees_a_reaction_quote_gone_from_the_other_source(tmp_path):
    def from_the_daily(actors, sources, claims, measures):
        claim(claims, "officials-26-killed")["disputes"] = [
            {"by": "tarsovia-army", "quote": "fewer than 10 people had died in Oskara", "source": "daily-report"}
        ]
        claim(claims, "officials-26-killed")["disputed"] = True

    base = cross(tmp_path, from_the_daily)
    assert run_factcli("list", "--json", "--facts", str(base)).returncode == 0
    text = base / "sources" / "daily-report.txt"
    text.write_text(text.read_text().replace("fewer than 10 people had died", "fewer than ten people had died"))
    out = run_factcli("list", "--json", "--facts", str(base))
    assert out.returncode == 1
    assert "officials-26-killed.yaml" in out.stderr and "disputes[0].quote" in out.stderr


def test_the_index_sees_an_update_made_across_sides_by_an_actors_edit(tmp_path):
    base = cross(tmp_path)
    assert run_factcli("list", "--json", "--facts", str(base)).returncode == 0
    actors = base / "actors" / "actors.yaml"
    text = actors.read_text()
    # Dara Venn now speaks for Tarsovia: her update of her own earlier claim still holds (same side),
    # but nothing else changed in the claims: the index must still agree with the loader.
    actors.write_text(
        text.replace(
            "part_of:\n  - oskara-government\n- id: oskaran-officials",
            "part_of:\n  - tarsovia\n- id: oskaran-officials",
            1,
        )
    )
    out = run_factcli("list", "--json", "--facts", str(base))
    loader = CliRunner().invoke(app, ["list", "--json", "--facts", str(base)], env={"FACTCLI_NO_INDEX": "1"})
    assert out.returncode == loader.exit_code
