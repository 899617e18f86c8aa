"""`factcli match`: the claims of other sources that likely say the same thing (issue #13).

On the two-source story of tests/factbases.py: a wire report and a daily, with a confirmed match,
figures of one measure that agree (a range and "at least") and figures that cannot both be true.
"""

from __future__ import annotations

import json
import subprocess

from factbases import CROSS_CLAIMS, CROSS_SOURCES, write_cross_factbase
from running import run_factcli
from typer.testing import CliRunner

from factcli.authoring.match import candidates
from factcli.cli import app
from factcli.loader import load_dir


def _jq(program: str, text: str) -> list[str]:
    done = subprocess.run(["jq", "-c", program], input=text, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_figures_that_can_both_be_true_make_a_candidate(tmp_path):
    """Not the same figure, so no bonus (test_authoring_polish): listed at a lower least score."""
    base = write_cross_factbase(tmp_path / "facts")
    done = run_factcli("match", "--json", "--min-score", "40", "--facts", str(base))
    assert done.returncode == 0 and done.stderr == ""
    assert _jq(".[] | [.claim, .match, .match_source]", done.stdout) == [
        '["daily-toll-30-to-40","officials-26-killed","wire-report"]'
    ]
    (reasons,) = _jq(".[0].reasons", done.stdout)
    assert "same measure, figures differ but can both be true: deaths (between 30 and 40 / at least 26)" in json.loads(
        reasons
    )
    score = json.loads(_jq(".[0].score", done.stdout)[0])
    assert 40 <= score < 70


def test_figures_that_cannot_both_be_true_are_no_match(tmp_path):
    """ "Fewer than 10" died and "at least 26" were killed: a conflict, not the same claim."""
    fb = load_dir(write_cross_factbase(tmp_path / "facts"))
    pairs = {(c.claim, c.other) for c in candidates(fb.claims, threshold=0)}
    assert ("army-fewer-than-10-died", "officials-26-killed") not in pairs
    assert ("daily-venn-three-aircraft", "venn-two-aircraft") not in pairs  # 3 and 2 aircraft
    assert ("army-fewer-than-10-died", "venn-two-aircraft") in pairs  # no shared measure: words alone


def test_a_confirmed_match_is_not_proposed_again(tmp_path):
    base = write_cross_factbase(tmp_path / "facts")
    listed = _jq(
        ".[] | [.claim, .match]", run_factcli("match", "--json", "--min-score", "0", "--facts", str(base)).stdout
    )
    pairs = {tuple(json.loads(p)) for p in listed}
    assert ("daily-venn-three-aircraft", "officials-26-killed") in pairs  # others of it are still proposed
    assert ("daily-venn-three-aircraft", "venn-three-aircraft") not in pairs
    assert ("venn-three-aircraft", "daily-venn-three-aircraft") not in pairs


def test_alike_words_are_scored_without_figures(tmp_path):
    claims = [dict(c) for c in CROSS_CLAIMS]
    wire = next(c for c in claims if c["id"] == "venn-two-aircraft")
    wire["figures"] = []
    daily = next(c for c in claims if c["id"] == "daily-venn-three-aircraft")
    daily["figures"] = []
    del daily["matches"]
    fb = load_dir(write_cross_factbase(tmp_path / "facts", claims=claims))
    (found,) = [
        c
        for c in candidates(fb.claims, "daily-report")
        if c.claim == "daily-venn-three-aircraft" and c.other == "venn-three-aircraft"
    ]
    assert found.score >= 60 and found.reasons[0].startswith("words alike")


def test_source_looks_at_one_article_against_all_others(tmp_path):
    base = write_cross_factbase(tmp_path / "facts")
    daily = run_factcli("match", "--source", "daily-report", "--json", "--min-score", "40", "--facts", str(base))
    wire = run_factcli("match", "--source", "wire-report", "--json", "--min-score", "40", "--facts", str(base))
    assert _jq("[.[] | .claim] | unique", daily.stdout) == ['["daily-toll-30-to-40"]']
    assert _jq("[.[] | .claim] | unique", wire.stdout) == ['["officials-26-killed"]']
    assert _jq("[.[] | .match_source] | unique", wire.stdout) == ['["daily-report"]']


def test_match_for_people(tmp_path):
    base = write_cross_factbase(tmp_path / "facts")
    result = CliRunner().invoke(app, ["match", "--min-score", "40", "--facts", str(base)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "daily-toll-30-to-40: Hospital records put the toll between 30 and 40."
    assert lines[1].split()[1:3] == ["officials-26-killed", "(wire-report):"]
    assert result.stderr == "confirm one by adding `matches: [OTHER-ID]` to the claim (1 candidate)\n"


def test_unknown_source_is_a_usage_error(tmp_path):
    base = write_cross_factbase(tmp_path / "facts")
    done = run_factcli("match", "--source", "daily-reprot", "--facts", str(base))
    assert done.returncode == 2 and "unknown source 'daily-reprot'" in done.stderr and "daily-report" in done.stderr


def test_no_candidates(tmp_path):
    base = write_cross_factbase(tmp_path / "facts", sources=CROSS_SOURCES[:1], claims=CROSS_CLAIMS[:3])
    done = run_factcli("match", "--facts", str(base))
    assert done.returncode == 0 and done.stdout == "No likely matches.\n"
    assert run_factcli("match", "--json", "--facts", str(base)).stdout == "[]\n"
