"""``factcli compare``, ``conflicts`` and ``timeline``, and the ``--measure``/``--disputed-by`` filters,
as a user meets them: through Typer's runner, as a real process, JSON through the real jq."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from running import run_factcli
from storybase import HOSTILE_NAME, LEDGER, TOLL, write_story
from typer.testing import CliRunner

from factcli.cli import app

JQ = shutil.which("jq")
ANSI = re.compile(r"\x1b\[")
STORY_ORDER = [
    "ledger-marren-at-least-20",
    "ledger-kestria-at-most-12",
    "wire-marren-earlier-20",
    "wire-hale-25",
    "wire-hospital-about-24",
    "herald-marren-31",
    "herald-several",
]


def jq(filter_: str, data: str) -> str:
    assert JQ, "jq must be installed (CI installs it)"
    return subprocess.run([JQ, "-c", filter_], input=data, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def velm(tmp_path_factory) -> Path:
    return write_story(tmp_path_factory.mktemp("velm") / "facts")


def said(output: str) -> str:
    """What a usage error says, unwrapped from Rich's error panel."""
    return " ".join(output.replace("│", " ").replace("╭", " ").replace("╰", " ").split())


def ok(velm: Path, *args: str, columns: int = 250) -> str:
    result = CliRunner().invoke(app, [*args, "--facts", str(velm)], env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


# --- compare ----------------------------------------------------------------------------------------


def test_compare_shows_every_figure_its_side_the_line_and_the_verdict(velm: Path) -> None:
    out = ok(velm, "compare", TOLL)
    assert out.startswith(f"{TOLL}: 7 figures from 4 sides")
    positions = [out.index(cid) for cid in STORY_ORDER]
    assert positions == sorted(positions)  # in the order of the story
    assert "Tobin Hale for Arvel" in out  # the speaker, and the side counted
    assert "≈ 21.6–26.4" in out and "≤ 12" in out and "≥ 20" in out
    assert "2031-03-13T09:00:00+02:00" in out and "no date" in out
    assert "disputed by " in out and "confirmed by Arvel Defence Ministry" in out
    assert "unverified, says Narrator (velm-wire)" in out
    assert out.count("superseded") == 2 * 3  # in the listing and on the line
    assert "━" in out and "●" in out  # the number line
    assert "Arvel: 31 soldiers (31), herald-marren-31" in out  # Arvel's latest figure
    verdict = out[out.index("Verdict") :]
    assert verdict.startswith("Verdict: these figures cannot both be true:")
    assert (
        "Velm General Hospital “approximately 24” (≈ 21.6–26.4, wire-hospital-about-24) and Ilsa Marren “31”" in verdict
    )
    assert "wire-hale-25" not in verdict  # superseded: shown, marked, left out of the verdict


def test_compare_in_a_narrow_terminal_keeps_ids_whole(velm: Path) -> None:
    out = ok(velm, "compare", TOLL, columns=40)
    for cid in STORY_ORDER:
        assert cid in out.split()  # each id a word of its own, never broken


def test_compare_shows_fact_base_text_literally(velm: Path) -> None:
    """A name in Rich markup prints as written: no bold, no emoji, no escape code."""
    result = CliRunner().invoke(app, ["compare", TOLL, "--facts", str(velm)], env={"COLUMNS": "250"}, color=True)
    assert result.exit_code == 0, result.output
    assert HOSTILE_NAME in result.stdout
    assert "🔥" not in result.stdout


def test_compare_json_through_jq(velm: Path) -> None:
    done = run_factcli("compare", TOLL, "--json", "--facts", str(velm))
    assert done.returncode == 0 and done.stderr == ""
    assert json.loads(jq("[.figures[].claim]", done.stdout)) == STORY_ORDER
    assert jq(".consistent", done.stdout) == "false\n"
    assert json.loads(jq("[.conflicts[].claims]", done.stdout)) == [
        ["ledger-kestria-at-most-12", "wire-hospital-about-24"],
        ["ledger-kestria-at-most-12", "herald-marren-31"],
        ["wire-hospital-about-24", "herald-marren-31"],
    ]
    assert json.loads(jq("[.sides[] | {side, latest: .latest.claim}]", done.stdout)) == [
        {"side": "arvel", "latest": "herald-marren-31"},
        {"side": "kestria", "latest": "ledger-kestria-at-most-12"},
        {"side": "velm-hospital", "latest": "wire-hospital-about-24"},
        {"side": "unattributed", "latest": "herald-several"},
    ]
    hale = json.loads(jq('.figures[] | select(.claim == "wire-hale-25")', done.stdout))
    assert {k: hale[k] for k in ("date", "updates", "updated_by", "superseded", "unverified_by", "low", "high")} == {
        "date": "2031-03-12",
        "updates": "ledger-marren-at-least-20",
        "updated_by": "herald-marren-31",
        "superseded": True,
        "unverified_by": ["velm-wire-narrator"],
        "low": 25,
        "high": 25,
    }
    assert json.loads(jq('.figures[] | select(.claim == "wire-hospital-about-24") | .interval', done.stdout)) == {
        "low": 21.6,
        "high": 26.4,
        "low_open": False,
        "high_open": False,
        "text": "≈ 21.6–26.4",
    }
    assert json.loads(jq('.figures[] | select(.qualifier == "at_most") | .interval', done.stdout))["low"] is None
    assert jq('[.figures[] | select(.claimant == "tobin-hale")][0] | [.side, .disputed_by]', done.stdout) == (
        '["arvel",["kestria-army"]]\n'
    )
    hospital = json.loads(jq('.figures[] | select(.claim == "wire-hospital-about-24") | .confirmed_by', done.stdout))
    assert hospital == ["arvel-defence-ministry"]


def test_compare_an_unknown_measure_is_a_usage_error(velm: Path) -> None:
    done = run_factcli("compare", "velm-soldiers-kiled", "--facts", str(velm))
    assert done.returncode == 2 and done.stdout == ""
    assert "unknown measure 'velm-soldiers-kiled'; did you mean 'velm-soldiers-killed'" in said(done.stderr)
    assert "Traceback" not in done.stderr


# --- conflicts --------------------------------------------------------------------------------------


def test_conflicts_json_is_each_smallest_group(velm: Path) -> None:
    done = run_factcli("conflicts", "--json", "--facts", str(velm))
    assert done.returncode == 0 and done.stderr == ""
    assert json.loads(jq("[.[] | {measure, claims, groups}]", done.stdout)) == [
        {
            "measure": TOLL,
            "claims": ["herald-marren-31", "ledger-kestria-at-most-12", "wire-hospital-about-24"],
            "groups": [
                ["herald-marren-31", "ledger-kestria-at-most-12"],
                ["herald-marren-31", "wire-hospital-about-24"],
                ["ledger-kestria-at-most-12", "wire-hospital-about-24"],
            ],
        }
    ]
    kestria = json.loads(jq(".[0].figures[1] | {claimant, side, source, date, text, claimant_name}", done.stdout))
    assert kestria == {
        "claimant": "kestria-army",
        "side": "kestria",
        "source": LEDGER,
        "date": "2031-03-11",
        "text": "no more than 12",
        "claimant_name": HOSTILE_NAME,
    }
    lines = run_factcli("conflicts", "--jsonl", "--facts", str(velm)).stdout.splitlines()
    assert [json.loads(line) for line in lines] == json.loads(done.stdout)


def test_conflicts_table_for_people(velm: Path) -> None:
    done = run_factcli("conflicts", "--facts", str(velm), env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    assert not ANSI.search(done.stdout)
    assert done.stdout.lstrip().startswith("1 measure whose figures cannot all be true: 3 pairs")
    assert done.stdout.count("ledger-kestria-at-most-12") == 2  # in two of the three pairs
    assert "2031-03-13T09:00:00+02:00" in done.stdout
    assert HOSTILE_NAME in done.stdout


def test_conflicts_none(tmp_path: Path) -> None:
    from storybase import CLAIMS

    kept = [c for c in CLAIMS if c["id"] not in ("ledger-kestria-at-most-12", "herald-marren-31")]
    facts = write_story(tmp_path / "facts", kept)
    assert "No conflicts" in ok(facts, "conflicts")
    assert ok(facts, "conflicts", "--json") == "[]\n"


# --- timeline ---------------------------------------------------------------------------------------


def test_timeline_in_the_order_of_the_story(velm: Path) -> None:
    out = ok(velm, "timeline")
    listing = out[: out.index("Updates, earliest first:")]
    positions = [listing.index(cid) for cid in STORY_ORDER]
    assert positions == sorted(positions)
    chain = out[out.index("Updates, earliest first:") :].split("\n")[1]
    assert chain.split() == [
        *("at", "least", "20", "soldiers", "(ledger-marren-at-least-20)", "→"),
        *("25", "soldiers", "(wire-hale-25)", "→", "31", "soldiers", "(herald-marren-31)"),
    ]
    done = run_factcli("timeline", "--json", "--measure", TOLL, "--actor", "kestria", "--facts", str(velm))
    assert done.returncode == 0, done.stderr
    assert json.loads(jq("[.[] | [.id, .date]]", done.stdout)) == [["ledger-kestria-at-most-12", "2031-03-11"]]


def test_timeline_escapes_control_characters(velm: Path) -> None:
    done = run_factcli("timeline", "--facts", str(velm), env={"COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    assert "\\x1b[2J\\u202e" in done.stdout
    raw = run_factcli("timeline", "--json", "--facts", str(velm)).stdout
    assert "\\u001b[2J\\u202e" in raw  # JSON keeps the text exactly, as escapes


# --- the filters on list, disputed, figures and export ----------------------------------------------


def test_measure_and_disputed_by_on_list_disputed_figures_and_export(velm: Path) -> None:
    listed = json.loads(ok(velm, "list", "--measure", TOLL, "--json"))
    assert [c["id"] for c in listed] == sorted(STORY_ORDER)
    disputed = json.loads(ok(velm, "disputed", "--disputed-by", "kestria", "--json"))
    assert [c["id"] for c in disputed] == ["wire-hale-25"]
    assert json.loads(ok(velm, "list", "--disputed-by", "arvel", "--json")) == []
    figures = json.loads(ok(velm, "figures", "--measure", TOLL, "--json"))
    assert [g["measure"] for g in figures] == [TOLL]
    csv = ok(velm, "export", "-f", "csv", "--disputed-by", "kestria")
    assert [line.split(",")[0] for line in csv.splitlines()[1:]] == ["wire-hale-25"]


@pytest.mark.parametrize(
    ("args", "option", "message"),
    [
        (("list", "--measure", "toll"), "--measure", "unknown measure 'toll'"),
        (("disputed", "--disputed-by", "nobody"), "--disputed-by", "unknown disputing actor 'nobody'"),
        (("timeline", "--measure", "toll"), "--measure", "unknown measure 'toll'"),
    ],
)
def test_an_unknown_filter_value_is_a_usage_error(velm: Path, args, option, message) -> None:
    done = run_factcli(*args, "--facts", str(velm))
    assert done.returncode == 2 and done.stdout == ""
    assert option in said(done.stderr) and message in said(done.stderr)


# --- start-up: the JSON answers import neither YAML nor Rich ----------------------------------------

PROBE = (
    "import atexit, sys; "
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n')); "
    "sys.argv = ['factcli'] + sys.argv[1:]; "
    "from factcli.__main__ import main; main()"
)


@pytest.mark.parametrize(
    "args", [("compare", TOLL, "--json"), ("conflicts", "--json"), ("timeline", "--json"), ("list", "--json")]
)
def test_json_answers_import_no_yaml_or_rich(velm: Path, args) -> None:
    run = [sys.executable, "-c", PROBE, *args, "--facts", str(velm)]
    subprocess.run(run, capture_output=True, check=True, timeout=60)  # the index built
    done = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stderr.rsplit("MODULES ", 1)[1].split())
    assert not {m for m in loaded if m.split(".")[0] in ("yaml", "rich")}
    if args[0] == "list":
        assert "factcli.story" not in loaded  # the explorer's own commands pay nothing for the story views


# --- tables say the source when claims come from several -------------------------------------------


def test_tables_get_a_source_column_when_claims_come_from_several_sources(velm: Path, story: Path) -> None:
    for command in ("list", "figures"):
        header = next(line for line in ok(velm, command).splitlines() if "Claim" in line)
        assert "Source" in header.split(), command
        assert "Source" not in next(line for line in ok(story, command).splitlines() if "Claim" in line).split()
    assert "wire-hale-25" in ok(velm, "list", columns=30).split()  # records: ids whole
    assert "Source: velm-wire" in ok(velm, "list", columns=60)
    disputed = ok(velm, "disputed")  # the one disputed claim: its own source needs no saying,
    assert "in velm-wire" not in disputed and "(in velm-herald)" in disputed  # but another reporting a dispute does


def test_disputed_says_each_claims_source_when_there_are_several(tmp_path: Path) -> None:
    from storybase import CLAIMS

    contested = {"by": "kestria-army", "quote": "Kestria's army said fewer soldiers died"}
    claims = [
        {**c, "disputed": True, "disputes": [contested]} if c["id"] == "ledger-marren-at-least-20" else c
        for c in CLAIMS
    ]
    out = ok(write_story(tmp_path / "facts", claims), "disputed")
    assert "in velm-ledger" in out and "in velm-wire" in out


# --- the format-v2 filters: --about, --unverified, --since, --until, --latest -----------------------


def test_v2_filters_on_list_figures_export_and_timeline(velm: Path) -> None:
    def ids(*args: str) -> list[str]:
        done = run_factcli(*args, "--json", "--facts", str(velm))
        assert done.returncode == 0, done.stderr
        return json.loads(jq("[.[].id]", done.stdout))

    assert ids("list", "--about", "arvel") == ["ledger-kestria-at-most-12"]
    assert ids("disputed", "--unverified") == ["wire-hale-25"]
    assert ids("list", "--latest", "--actor", "arvel") == ["herald-marren-31"]
    assert ids("list", "--since", "2031-03-12", "--until", "2031-03-12") == ["wire-hale-25", "wire-hospital-about-24"]
    assert ids("timeline", "--since", "2031-03-13T08:00:00+01:00") == ["herald-marren-31"]
    figures = run_factcli("figures", "--latest", "--json", "--facts", str(velm)).stdout
    assert json.loads(jq("[.[].figures[].claim]", figures)) == [
        "herald-marren-31",
        "herald-several",
        "ledger-kestria-at-most-12",
        "wire-hospital-about-24",
    ]
    csv = ok(velm, "export", "-f", "csv", "--until", "2031-03-11", "--about", "arvel")
    assert [line.split(",")[0] for line in csv.splitlines()[1:]] == ["ledger-kestria-at-most-12"]


def test_a_date_that_is_not_iso_8601_is_a_usage_error(velm: Path) -> None:
    done = run_factcli("list", "--until", "13/03/2031", "--facts", str(velm))
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert "--until" in said(done.stderr)
    assert "'13/03/2031' is not an ISO 8601 date or date-time" in said(done.stderr)


# --- show gives everything ---------------------------------------------------------------------------


def test_show_gives_date_links_and_every_reaction_with_its_words(velm: Path) -> None:
    hale = ok(velm, "show", "wire-hale-25")
    assert "Date           2031-03-12 (the source's published date)" in hale
    assert "Updates        ledger-marren-at-least-20 (Ilsa Marren, velm-ledger): at least 20 soldiers" in hale
    assert "Updated by     herald-marren-31 (Ilsa Marren, velm-herald): 31 soldiers" in hale
    assert f"{HOSTILE_NAME}: “Kestria's army denied the ministry's count”" in hale
    assert "“Kestria's army again rejected the ministry's figure of 25” (in velm-herald)" in hale  # another source
    assert "Unverified     Narrator (velm-wire): “The wire could not independently verify the ministry's count”" in hale
    assert "stands for 25, exact" in hale
    # The same claim in another source, shown both ways though stated on one side only.
    first = ok(velm, "show", "ledger-marren-at-least-20")
    assert "Same claim in  wire-marren-earlier-20 (Ilsa Marren, velm-wire): at least 20 soldiers" in first
    assert "Same claim in  ledger-marren-at-least-20 (Ilsa Marren, velm-ledger)" in ok(
        velm, "show", "wire-marren-earlier-20"
    )
    hospital = ok(velm, "show", "wire-hospital-about-24")
    assert "Confirmed by   Arvel Defence Ministry: “The ministry confirmed the hospital's figure”" in hospital
    assert re.search(r"│ About +Arvel Defence Ministry ", ok(velm, "show", "ledger-kestria-at-most-12"))
    assert re.search(r"│ Date +2031-03-13T09:00:00\+02:00 \(as of\)", ok(velm, "show", "herald-marren-31"))
    assert "not given (neither the claim nor its source gives one)" in ok(velm, "show", "herald-several")


def test_show_in_a_narrow_terminal_and_as_a_process(velm: Path) -> None:
    narrow = ok(velm, "show", "wire-hale-25", columns=40)
    assert "herald-marren-31" in narrow.split() and "ledger-marren-at-least-20" in narrow.split()
    done = run_factcli("show", "ledger-kestria-at-most-12", "--facts", str(velm), env={"COLUMNS": "120"})
    assert done.returncode == 0, done.stderr
    assert "\x1b[2J" not in done.stdout and "\u202e" not in done.stdout and "\\x1b[2J\\u202e" in done.stdout


def test_many_conflicts_print_as_records_one_at_a_time(tmp_path: Path) -> None:
    """Past TABLE_PAIRS pairs, records (no table to lay out whole); each line whole, ids never cut."""
    from factbases import write_factbase
    from storybase import ACTORS, SOURCES

    from factcli.story_views import TABLE_PAIRS

    quotes = [f"figure {i} was {i}" for i in range(30)]  # thirty exact figures: every pair disjoint
    claims = [
        {
            "id": f"c{i:02d}",
            "claimant": "tobin-hale",
            "statement": quote,
            "figures": [{"value": i, "unit": "soldiers", "qualifier": "exact", "text": str(i), "measure": TOLL}],
            "disputed": False,
            "source": {"id": LEDGER, "section": "Context", "quote": quote},
            "topics": ["casualties"],
        }
        for i, quote in enumerate(quotes)
    ]
    ledger = ({**SOURCES[0][0]}, "Clash on the Velm\nContext:\n" + "\n".join(quotes) + "\n")
    facts = write_factbase(tmp_path / "facts", ACTORS, [ledger, *SOURCES[1:]], claims)
    out = ok(facts, "conflicts", columns=40)
    assert 30 * 29 // 2 > TABLE_PAIRS
    assert out.startswith("1 measure whose figures cannot all be true: 435 pairs\n")
    assert "29 soldiers (29), given by Tobin Hale, in velm-ledger (2031-03-11)" in out.splitlines()
    assert out.count("\nc28\n") == 29  # c28 is in a pair with each of the other 29
