"""A new user's findings on the story views (compare, conflicts, timeline, disputed, show), as that
user meets them: through Typer's runner and as a real process, on a copy of examples/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from running import run_factcli
from typer.testing import CliRunner

from factcli.cli import app
from factcli.model import Figure
from factcli.render import figure_label

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> Path:
    return Path(shutil.copytree(EXAMPLES, tmp_path_factory.mktemp("polish") / "examples"))


def both(facts: Path, *args: str, columns: int = 120) -> str:
    """What the command prints, through the runner and as a real process (the two must agree)."""
    env = {"COLUMNS": str(columns), "NO_COLOR": "1", "LINES": "50"}
    result = CliRunner().invoke(app, [*args, "--facts", str(facts)], env=env)
    assert result.exit_code == 0, result.output
    process = run_factcli(*args, "--facts", str(facts), env=env)
    assert process.returncode == 0, process.stderr
    assert process.stdout == result.stdout
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


# --- 3: who reports a reaction ---------------------------------------------------------------------


def test_disputed_names_the_source_reporting_a_dispute_when_it_is_another(examples: Path) -> None:
    out = flat(both(examples, "disputed", columns=80))
    assert "Disputed by Teodor Brask: “told the Courier by telephone" in out
    assert re.search(r"Teodor Brask: “told the Courier by telephone[^”]*” \(in courier-haskor-toll\)", out)


def test_compare_reactions_name_the_source_reporting_them(examples: Path) -> None:
    out = flat(both(examples, "compare", "tarsovia-sites-struck", columns=60))
    assert "confirmed by Teodor Brask (in courier-haskor-toll)" in out
    assert "disputed by Local officials in Haskor (unnamed) (in courier-haskor-toll)" in out


# --- 5: update chains give the measure in question ----------------------------------------------------


def test_timeline_chain_gives_only_the_measure_asked_for(examples: Path) -> None:
    out = both(examples, "timeline", "--measure", "strike-deaths", columns=200)
    chains = out[out.index("Updates, earliest first:") :]
    assert "26 people (halvane-oskara-military-toll-26) →" in chains
    assert "46 people" not in chains and "bodies recovered" not in chains


def test_show_chain_gives_the_figures_sharing_a_measure_with_the_claim(examples: Path) -> None:
    out = flat(both(examples, "show", "courier-oskara-military-toll-31", columns=200))
    assert "halvane-oskara-military-toll-26 (Oskara's military, halvane-tarsovia-strikes): 26 people" in out
    assert "46 people" not in out


# --- 6: each speaker's latest on the side's latest day -------------------------------------------------


def test_compare_latest_shows_each_speaker_of_a_side_on_its_latest_day(examples: Path) -> None:
    out = both(examples, "compare", "strike-deaths", columns=200)
    latest = out[out.index("Each side's latest figure:") : out.index("Verdict")]
    assert "Oskara (Oskara's military): 33 people killed (33), northline-oskara-military-toll-33" in latest
    assert "Oskara (Local officials in Haskor (unnamed)): more than 35 people died (> 35)" in latest


# --- 7: a re-reported disagreement once ------------------------------------------------------------------


def test_compare_gives_a_re_reported_conflict_once_naming_the_other_sources(examples: Path) -> None:
    out = both(examples, "compare", "tarsovia-sites-struck", columns=200)
    verdict = out[out.index("Verdict") :]
    pairs = [line for line in verdict.splitlines() if line.startswith("  ") and not line.startswith("    ")]
    assert len(pairs) == 1, verdict  # one disagreement, not four
    assert pairs[0].index("“six”") < pairs[0].index("“nine”")  # the lower first
    assert verdict.count("the same, as ") == 3
    assert "northline-live-ceasefire" in verdict and "courier-haskor-toll" in verdict


def test_conflicts_groups_pairs_under_their_measure_once_in_a_stable_order(examples: Path) -> None:
    every_pair = sum(len(c["groups"]) for c in json.loads(both(examples, "conflicts", "--json")))
    for columns in (60, 120, 250):
        out = both(examples, "conflicts", columns=columns)
        assert out.count("tarsovia-sites-struck") == 1, out
        said = re.search(r"(\d+) pairs \((\d+) more as other sources report them again\)", flat(out))
        assert said is not None, out
        shown, again = int(said[1]), int(said[2])
        assert again > 0 and shown + again == every_pair
    records = flat(both(examples, "conflicts", columns=120))
    six, nine = records.index("six locations (6)"), records.index("nine sites (9)")
    assert six < nine


# --- 9: ids whole, wrapped lines indented ---------------------------------------------------------------

IDS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){3,}")


@pytest.mark.parametrize("columns", [40, 60, 100])
@pytest.mark.parametrize(
    "args",
    [("compare", "tarsovia-sites-struck"), ("compare", "strike-deaths"), ("conflicts",), ("timeline",)],
    ids=lambda a: "-".join(a),
)
def test_ids_are_never_cut_and_wrapped_lines_are_indented(examples: Path, args: tuple[str, ...], columns: int) -> None:
    out = both(examples, *args, columns=columns)
    known = _claim_ids(examples)
    cut = [w for w in IDS.findall(out) if w not in known and any(k.startswith(w) and k != w for k in known)]
    assert not cut, cut
    if args[0] == "compare":
        tail = out[out.index("Each side's latest figure:") :]
        for line in tail.splitlines()[1:]:
            assert line.startswith(("  ", "Verdict")), line


def _claim_ids(facts: Path) -> set[str]:
    return {m for p in facts.rglob("*.yaml") for m in re.findall(r"^\s*-?\s*id: ([\w-]+)", p.read_text(), re.M)}


# --- 15: help --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["compare", "conflicts", "timeline", "measures"])
def test_help_paragraphs_are_not_broken_by_hard_line_breaks(command: str) -> None:
    for columns in (80, 200):
        result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": str(columns), "NO_COLOR": "1"})
        assert result.exit_code == 0
        body = result.stdout[: result.stdout.index("╭")]
        for paragraph in re.split(r"\n\s*\n", body):
            rows = [r.rstrip() for r in paragraph.splitlines() if r.strip()]
            for row in rows[:-1]:  # a short line inside a paragraph is a hard break
                assert len(row) > columns - 20, (command, columns, rows)


@pytest.mark.parametrize("command", ["list", "export", "figures", "timeline"])
def test_since_help_is_whole_at_80_columns(command: str) -> None:
    out = both_help(command)
    assert "…" not in out
    assert "2025-05-07T14:30Z" in out


def both_help(command: str) -> str:
    env = {"COLUMNS": "80", "NO_COLOR": "1"}
    result = CliRunner().invoke(app, [command, "--help"], env=env)
    process = run_factcli(command, "--help", env=env)
    assert result.exit_code == 0 and process.returncode == 0
    return result.stdout


# --- 16: wording -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "label"),
    [
        ("none", "aircraft lost", "none (aircraft lost)"),
        ("dozens", "drones", "dozens (drones)"),
        ("Hundreds", "people", "Hundreds (people)"),
        ("several", "sites", "several sites"),
        ("at least 31", "people killed", "at least 31 people killed"),
        ("26 people", "people", "26 people"),
    ],
)
def test_figure_labels_read_naturally(text: str, unit: str, label: str) -> None:
    figure = Figure(value=0, unit=unit, qualifier="exact", text=text)
    assert figure_label(figure) == label


def test_views_print_the_natural_label(examples: Path) -> None:
    for args in (("list",), ("compare", "tarsovian-aircraft-downed"), ("conflicts",)):
        out = both(examples, *args, columns=250)
        assert "none aircraft lost" not in out and "dozens drones" not in out
    assert "none (aircraft lost)" in both(examples, "compare", "tarsovian-aircraft-downed", columns=250)


def test_consistent_verdict_says_both_for_two(examples: Path) -> None:
    out = flat(both(examples, "compare", "tarsovian-drones-downed", columns=120))
    assert "Verdict: consistent: both standing figures can be true." in out


def test_match_summary_has_no_stray_colon() -> None:
    out = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}).stdout
    assert "matches:." not in out
    assert "to confirm and link with matches" in out


@pytest.mark.parametrize("columns", [40, 60])
def test_conflicts_records_indent_every_wrapped_line(examples: Path, columns: int) -> None:
    out = both(examples, "conflicts", columns=columns)
    known = _claim_ids(examples)
    measures = {"kelmar-attack-deaths", "strike-deaths", "tarsovia-sites-struck", "tarsovian-aircraft-downed"}
    lines = out.splitlines()[1:]
    for i, line in enumerate(lines):
        if line and not line.startswith(" "):
            record = line  # a figure's record: its first line, and the indented lines that go on with it
            for more in lines[i + 1 :]:
                if not more.startswith(" "):
                    break
                record += " " + more.strip()
            assert line in known | measures or "), given" in record or line.startswith("the same, as"), line
