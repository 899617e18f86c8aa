"""The explorer as a user meets it: through Typer's runner, as a real process, and piped into jq.

Every command answers from the small story fact base (tests/factbases.py), made the default here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from factbases import CLAIMS as STORY_CLAIMS
from running import factcli_executable, run_factcli

from factcli.cli import app

pytestmark = pytest.mark.usefixtures("story_is_default")
N_CLAIMS = len(STORY_CLAIMS)
JQ = shutil.which("jq")
ANSI = re.compile(r"\x1b\[")


def jq(filter_: str, data: str, *flags: str) -> str:
    assert JQ, "jq must be installed (CI installs it)"
    done = subprocess.run([JQ, *flags, filter_], input=data, capture_output=True, text=True, check=True)
    return done.stdout


def ok(runner, *args):
    # Wide, so that a phrase is not wrapped across table lines.
    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result


# --- list and its filters ----------------------------------------------------------------------------


def test_list_actor_takes_in_everyone_part_of_it(runner):
    out = ok(runner, "list", "--actor", "pakistan", "--json").stdout
    claims = json.loads(out)
    claimants = {c["claimant"] for c in claims}
    assert claimants == {"pakistan", "khawaja-muhammad-asif"}
    assert len(claims) == 8
    # The minister's claims carry his affiliations, nearest first.
    asif = next(c for c in claims if c["claimant"] == "khawaja-muhammad-asif")
    assert asif["affiliations"] == ["pakistan-government", "pakistan"]


@pytest.mark.parametrize("name", ["pakistan", "PAKISTAN", "Pakistan", "Government of Pakistan"])
def test_actor_matches_id_name_or_alias_in_any_case(runner, name):
    ids = {c["id"] for c in json.loads(ok(runner, "list", "-a", name, "--json").stdout)}
    assert "asif-five-planes-two-drones-downed" in ids


def test_actor_alias_selects_only_that_person(runner):
    claims = json.loads(ok(runner, "list", "--actor", "asif", "--json").stdout)
    assert {c["claimant"] for c in claims} == {"khawaja-muhammad-asif"}


def test_filters_combine(runner):
    claims = json.loads(
        ok(runner, "list", "-a", "pakistan", "--topic", "casualties", "--has-figure", "--undisputed", "--json").stdout
    )
    assert [c["id"] for c in claims] == ["pakistan-reports-20-casualties"]
    found = json.loads(ok(runner, "list", "--search", "CROSS-BORDER", "--disputed", "--json").stdout)
    assert [c["id"] for c in found] == ["india-attackers-cross-border-linkages"]
    limited = json.loads(ok(runner, "list", "--sort", "figures", "--limit", "2", "--json").stdout)
    assert [len(c["figures"]) for c in limited] == [2, 2]


def test_search_looks_in_the_quote_too(runner):
    claims = json.loads(ok(runner, "list", "--search", "positively received", "--json").stdout)
    assert [c["id"] for c in claims] == ["pakistan-welcomes-us-diplomacy"]


def test_no_match_prints_empty_array_and_succeeds(runner):
    result = ok(runner, "list", "--search", "no such words anywhere", "--json")
    assert result.stdout.strip() == "[]"
    assert ok(runner, "list", "--search", "no such words anywhere").stdout.strip() == "No claims match."


@pytest.mark.parametrize(
    "args, option, suggestion",
    [
        (["list", "--actor", "pakistn"], "--actor", "did you mean 'pakistan'?"),
        (["list", "--topic", "nuclaer"], "--topic", "did you mean 'nuclear'?"),
        (["disputed", "--source", "asif-welcome"], "--source", "did you mean 'asif-welcomes-us-help'?"),
        (["list", "--sort", "claimnt"], "--sort", "did you mean 'claimant'?"),
    ],
)
def test_unknown_names_are_usage_errors_with_a_suggestion(args, option, suggestion):
    done = run_factcli(*args, env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert done.returncode == 2
    assert done.stdout == ""
    assert option in done.stderr and suggestion in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_option_is_a_usage_error(runner):
    result = runner.invoke(app, ["list", "--limit", "-3"])
    assert result.exit_code == 2


# --- disputed, show, actors, figures, sources ---------------------------------------------------------


def test_disputed_shows_who_disputes_and_the_words(runner):
    out = ok(runner, "disputed").stdout
    assert "Pakistan has denied these allegations" in out
    assert "has dismissed claims connecting these sites to terrorist groups" in out
    claims = json.loads(ok(runner, "disputed", "--json").stdout)
    assert {c["id"]: c["disputed_by"] for c in claims} == {
        "india-attackers-cross-border-linkages": ["pakistan"],
        "sites-linked-to-terrorist-groups": ["pakistan"],
    }


def test_show_gives_the_claim_in_full_with_its_paragraph(runner):
    out = ok(runner, "show", "asif-five-planes-two-drones-downed").stdout
    for expected in (
        "Khawaja Muhammad Asif",
        "Defense Minister of Pakistan",
        "Government of Pakistan",
        "five Indian planes",
        "two drones",
        "Dive Deeper",
    ):
        assert expected in out
    # The whole paragraph is shown around the quote, including words outside it.
    flowing = " ".join(out.replace("│", " ").split())
    assert (
        "as well as using electronic warfare to thwart further Indian missile launches and force emergency landings."
        in flowing
    )


def test_show_unknown_id_fails_with_suggestion():
    done = run_factcli("show", "pakistan-reports-20-casualty")
    assert done.returncode == 1
    assert (
        "no claim with id 'pakistan-reports-20-casualty'; did you mean 'pakistan-reports-20-casualties'?" in done.stderr
    )
    assert done.stdout == ""


def test_actors_tree_nests_by_part_of(runner):
    out = ok(runner, "actors").stdout
    lines = out.splitlines()
    row = {
        name: next(i for i, line in enumerate(lines) if name in line)
        for name in ("Pakistan (pakistan", "Government of Pakistan", "Khawaja Muhammad Asif")
    }
    indent = {name: len(lines[i]) - len(lines[i].lstrip(" │├└─")) for name, i in row.items()}
    assert row["Pakistan (pakistan"] < row["Government of Pakistan"] < row["Khawaja Muhammad Asif"]
    assert indent["Pakistan (pakistan"] < indent["Government of Pakistan"] < indent["Khawaja Muhammad Asif"]
    actors = {a["id"]: a for a in json.loads(ok(runner, "actors", "--json").stdout)}
    assert actors["pakistan"]["claims"] == 3 and actors["pakistan"]["disputes"] == 2
    assert actors["khawaja-muhammad-asif"]["part_of"] == ["pakistan-government"]
    assert actors["india"]["claims_disputed"] == 1


def test_figures_stand_side_by_side_by_measure(runner):
    groups = {g["measure"]: g["figures"] for g in json.loads(ok(runner, "figures", "--json").stdout)}
    toll = groups["toll-of-indian-strikes"]
    assert sorted((f["claimant"], f["value"], f["qualifier"], f["text"]) for f in toll) == [
        ("asif-welcomes-us-help-narrator", 20, "at_least", "at least 20"),
        ("pakistan", 20, "exact", "20"),
    ]
    out = ok(runner, "figures").stdout
    assert "at least 20 people killed" in out and "several Indian aircraft" in out


def test_sources_counts_claims(runner):
    sources = json.loads(ok(runner, "sources", "--json").stdout)
    assert sources == [
        {
            "id": "asif-welcomes-us-help",
            "title": "Pakistan’s Defense Minister Welcomes U.S. Help to Ease Tensions With India",
            "sections": ["Context", "Dive Deeper"],
            "url": None,
            "publisher": None,
            "published": None,
            "claims": N_CLAIMS,
        }
    ]


# --- the JSON contract, through real jq ---------------------------------------------------------------


def test_json_contract_through_jq():
    out = run_factcli("list", "--actor", "pakistan", "--json").stdout
    keys = jq('.[0] | keys_unsorted | join(",")', out, "-r").strip().split(",")
    for key in (
        "id",
        "claimant",
        "claimant_name",
        "affiliations",
        "statement",
        "figures",
        "disputed",
        "disputed_by",
        "source",
        "topics",
    ):
        assert key in keys
    figure_types = jq('[.[].figures[] | (.value | type)] | unique | join(",")', out, "-r").strip()
    assert figure_types == "null,number"
    assert jq("[.[] | select(.disputed)] | length", out).strip() == "0"
    source = json.loads(jq(".[0].source | keys", out))
    assert source == ["id", "quote", "section"]


def test_jsonl_is_one_object_per_line_for_jq():
    out = run_factcli("list", "--jsonl").stdout
    assert len(out.splitlines()) == N_CLAIMS
    ids = jq(".id", out, "-r").split()
    assert ids == sorted(ids) and len(ids) == N_CLAIMS
    vague = jq("select(.figures[]?.value == null) | .id", out, "-r").split()
    assert vague == ["pakistan-downed-several-aircraft-and-drones"] * 2


def test_show_and_actors_json_through_jq():
    one = run_factcli("show", "pakistan-reports-20-casualties", "--json").stdout
    assert jq(".figures[0].value", one).strip() == "20"
    assert jq(".source.quote", one, "-r").strip() == "Pakistan reported 20 casualties from these strikes"
    actors = run_factcli("actors", "--json").stdout
    assert (
        jq('.[] | select(.id == "tulsi-gabbard") | .affiliations | join(">")', actors, "-r").strip()
        == "united-states-government>united-states"
    )


def test_empty_result_is_valid_json_for_jq():
    out = run_factcli("disputed", "--actor", "united-states", "--json")
    assert out.returncode == 0
    assert jq("length", out.stdout).strip() == "0"


# --- as a real program --------------------------------------------------------------------------------


def test_facts_option_and_environment_variable(story_copy):
    (story_copy / "claims" / "asif-welcomes-us-help" / "india-struck-nine-sites.yaml").unlink()
    by_option = run_factcli("validate", "--facts", str(story_copy))
    by_env = run_factcli("validate", env={"FACTCLI_FACTS": str(story_copy)})
    assert by_option.returncode == by_env.returncode == 0
    assert f"{N_CLAIMS - 1} claims" in by_option.stdout and f"{N_CLAIMS - 1} claims" in by_env.stdout


def test_invalid_fact_base_fails_every_command_on_stderr(story_copy):
    path = story_copy / "claims" / "asif-welcomes-us-help" / "india-struck-nine-sites.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 9", "value: nine"), encoding="utf-8")
    for command in (
        ["validate"],
        ["list"],
        ["list", "--json"],
        ["disputed"],
        ["actors"],
        ["figures"],
        ["sources"],
        ["show", "india-struck-nine-sites"],
    ):
        done = run_factcli(*command, "--facts", str(story_copy))
        assert done.returncode == 1, command
        assert done.stdout == "", command
        assert "india-struck-nine-sites.yaml:6:12: figures[0].value: expected a number or null, got text" in done.stderr
        assert "Traceback" not in done.stderr


def test_tables_fit_80_columns_and_follow_no_color():
    for command in (
        ["list"],
        ["disputed"],
        ["show", "asif-prefers-de-escalation"],
        ["actors"],
        ["figures"],
        ["sources"],
    ):
        done = run_factcli(*command, env={"COLUMNS": "80", "NO_COLOR": "1"})
        assert done.returncode == 0, command
        assert not ANSI.search(done.stdout), command
        # Only a word wider than the terminal (a file path in a temporary folder) may pass its edge, whole.
        too_wide = [line for line in done.stdout.splitlines() if len(line) > 80 and len(line.split()) > 1]
        assert not too_wide, (command, too_wide)


def test_colour_appears_only_when_forced():
    forced = run_factcli("list", "--disputed", env={"FORCE_COLOR": "1", "COLUMNS": "100", "TERM": "xterm-256color"})
    assert ANSI.search(forced.stdout)
    dumb = run_factcli("list", "--disputed", env={"TERM": "dumb", "COLUMNS": "100"})
    assert not ANSI.search(dumb.stdout)


def test_pipe_into_head_ends_quietly():
    done = subprocess.run(
        f"'{factcli_executable()}' list | head -n 2", shell=True, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.count("\n") == 2
    assert done.stderr == ""


def test_shell_completion_offers_actors_topics_and_claims():
    def complete(words: str) -> list[str]:
        env = {
            "_FACTCLI_COMPLETE": "complete_bash",
            "_TYPER_COMPLETE_ARGS": words,
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        return run_factcli(env=env).stdout.split()

    assert "pakistan-government" in complete("factcli list --actor pakistan-g")
    assert complete("factcli list --topic nuc") == ["nuclear"]
    assert complete("factcli show pakistan-rep") == ["pakistan-reports-20-casualties"]


def test_help_shows_examples(runner):
    out = ok(runner, "--help").stdout
    assert "factcli list --actor pakistan" in out


# --- found by a new user's first hour ------------------------------------------------------------------


def test_search_matches_straight_and_curly_apostrophes_alike(runner):
    for needle in ("country's", "country’s"):
        ids = [c["id"] for c in json.loads(ok(runner, "list", "--search", needle, "--json").stdout)]
        assert ids == ["asif-five-planes-two-drones-downed", "asif-prefers-de-escalation"], needle


def test_json_file_field_is_relative_to_the_fact_base_wherever_you_run(tmp_path, story):
    here = json.loads(run_factcli("show", "india-struck-nine-sites", "--json", cwd=tmp_path).stdout)
    there = json.loads(run_factcli("show", "india-struck-nine-sites", "--json", cwd=story).stdout)
    assert here["file"] == there["file"] == "claims/asif-welcomes-us-help/india-struck-nine-sites.yaml"


def test_json_and_jsonl_together_is_a_usage_error():
    done = run_factcli("list", "--json", "--jsonl", env={"COLUMNS": "200"})
    assert done.returncode == 2 and "--json and --jsonl are alternatives" in done.stderr
    assert done.stdout == ""


def test_show_marks_the_quote_in_words_when_there_is_no_colour():
    out = run_factcli("show", "asif-nuclear-deterrent", env={"NO_COLOR": "1", "COLUMNS": "300"}).stdout
    out = " ".join(out.replace("│", " ").split())
    assert "»Asif noted that they serve as a deterrent against further escalation«" in out


def test_pointing_facts_at_the_folder_above_says_so_once(tmp_path, story):
    (tmp_path / "facts").symlink_to(story, target_is_directory=True)
    (tmp_path / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    done = run_factcli("list", "--facts", str(tmp_path))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert (
        lines[0]
        == f"{tmp_path}: not a fact base: no actors/, sources/ or claims/ folder (did you mean --facts {tmp_path / 'facts'}?)"
    )
    assert (
        lines[1] == f"factcli: the fact base has 1 problem; run 'factcli validate --facts {tmp_path}' after fixing them"
    )


def test_tab_indentation_gets_a_hint(story_copy):
    path = story_copy / "claims" / "asif-welcomes-us-help" / "india-struck-nine-sites.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - value: 9", "\t- value: 9"), encoding="utf-8")
    done = run_factcli("validate", "--facts", str(story_copy))
    assert done.returncode == 1
    assert "india-struck-nine-sites.yaml:6:1: YAML syntax error" in done.stderr
    assert "(YAML indents with spaces, never tabs)" in done.stderr


def test_misspelt_actor_in_a_dispute_is_suggested_without_regard_to_case(story_copy):
    path = story_copy / "claims" / "asif-welcomes-us-help" / "india-attackers-cross-border-linkages.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("by: pakistan", "by: Pakistan"), encoding="utf-8")
    done = run_factcli("validate", "--facts", str(story_copy))
    assert "did you mean 'pakistan'?" in done.stderr


# --- the entry point builds only the command the line names (start-up time) ---------------------------

EVERY_COMMAND = {"list", "disputed", "show", "actors", "figures", "sources", "validate", "schema", "export"}


@pytest.mark.parametrize("name", sorted(EVERY_COMMAND))
def test_a_command_line_builds_only_the_command_it_names(name):
    from factcli.cli import command

    assert set(command([name, "--help"]).commands) == {name}
    assert len(app.registered_commands) == len(EVERY_COMMAND)  # the app itself keeps them all
    assert set(command([]).commands) == EVERY_COMMAND


@pytest.mark.parametrize("args", [[], ["--help"], ["lst"], ["--facts", "x", "list"]])
def test_anything_but_a_command_name_first_gets_every_command(args):
    from factcli.cli import command

    assert set(command(args).commands) == EVERY_COMMAND


@pytest.mark.parametrize("name", sorted(EVERY_COMMAND))
def test_a_commands_help_is_the_same_whichever_way_it_is_built(runner, name):
    real = run_factcli(name, "--help", env={"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"})
    assert real.returncode == 0, real.stderr
    whole = runner.invoke(
        app, [name, "--help"], env={"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}, prog_name="factcli"
    )
    assert real.stdout == whole.stdout


def test_a_mistyped_command_is_still_suggested_and_every_command_listed():
    done = run_factcli("lst", env={"COLUMNS": "120"})
    assert done.returncode == 2 and "Did you mean 'list'?" in done.stderr
    listing = run_factcli("--help", env={"COLUMNS": "120"}).stdout
    assert all(re.search(rf"│ {name} ", listing) for name in EVERY_COMMAND), listing
