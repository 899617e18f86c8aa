"""Record format version 2 under attack: what a hostile or careless fact base does to the new fields.

Each test builds the two-source story (tests/factbases.py) with one thing changed, and asserts what
a user sees: through the CLI in process (CliRunner) and as a real subprocess, the exit status, and
the one line naming file, line, column and field, never a traceback.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from factbases import CROSS_ACTORS, CROSS_CLAIMS, CROSS_MEASURES, CROSS_SOURCES, write_cross_factbase
from running import run_factcli
from typer.testing import CliRunner

from factcli import dates
from factcli.cli import app

WIRE = "claims/wire-report"


def cross(tmp_path: Path, change=None) -> Path:
    """The two-source story, with ``change(actors, sources, claims, measures)`` applied to copies of its data."""
    actors, sources = copy.deepcopy(CROSS_ACTORS), copy.deepcopy(CROSS_SOURCES)
    claims, measures = copy.deepcopy(CROSS_CLAIMS), copy.deepcopy(CROSS_MEASURES)
    if change is not None:
        change(actors, sources, claims, measures)
    return write_cross_factbase(tmp_path / "facts", actors, sources, claims, measures)


def claim(claims: list[dict], claim_id: str) -> dict:
    return next(c for c in claims if c["id"] == claim_id)


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
