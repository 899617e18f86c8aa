"""Untrusted text on the terminal (issue 4): markup, escape sequences, controls and bidi print literally.

A fact base whose statement, actor name, role, alias, topic-free text and quote carry
Rich markup, emoji codes, ANSI CSI/OSC sequences, C0/C1 controls and bidi overrides
is shown by every command, with colour off and forced on, and by the real program
in awkward environments (LC_ALL=C, NO_COLOR, TERM=dumb, narrow, ``| head``, Ctrl-C).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from factbases import write_factbase
from rich.console import Console
from running import factcli_executable, run_factcli
from typer.testing import CliRunner

from factcli import cli
from factcli.cli import app

CLAIM_REL = "claims/asif-welcomes-us-help/strikes-killed-at-least-20.yaml"
DISPUTED_REL = "claims/asif-welcomes-us-help/sites-linked-to-terrorist-groups.yaml"
ACTORS_REL = "actors/actors.yaml"
TEXT_REL = "sources/asif-welcomes-us-help.txt"

RAW = {
    "markup": "[bold]B[/bold] [link=https://evil.example]L[/link] [/x] [red]",
    "emoji": ":smile: :warning:",
    "csi": "\x1b[31mRED\x1b[0m \x1b[2J",
    "osc8": "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07",
    "title": "\x1b]0;owned\x07",
    "c0": "bell\x07 back\x08 cr\r nul-ish\x1f",
    "c1": "csi\x9b31m nel\x85",
    "bidi": "\u202aA\u202bB\u202cC\u202dD\u202eE\u2066F\u2067G\u2068H\u2069",
}
HOSTILE = " ".join(RAW.values())
# Names and aliases may hold no control, line break or bidi character (issue #10): their hostile text is the rest.
HOSTILE_NAME = " ".join((RAW["markup"], RAW["emoji"]))
# Characters that must never reach a terminal raw (newline aside: it is layout).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile("\x1b\\[[0-9;]*m")  # Rich's own colours, when colour is on


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCLI_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture()
def hostile(tmp_path) -> Path:
    """The story fact base with hostile text in a statement, actor name, role, alias, unit, a dispute and a quote."""
    base = tmp_path / "facts"
    write_factbase(base)
    q = json.dumps  # a YAML double-quoted string is a JSON string
    _edit(base, CLAIM_REL, "statement: India's strikes killed at least 20 people.", f"statement: {q('S ' + HOSTILE)}")
    _edit(base, ACTORS_REL, "    name: Pakistan\n", f"    name: {q('Pak ' + HOSTILE_NAME)}\n")
    _edit(base, ACTORS_REL, "    role: Defense Minister of Pakistan\n", f"    role: {q('Role ' + HOSTILE)}\n")
    _edit(base, ACTORS_REL, "      - Asif\n", f"      - {q('Alias ' + HOSTILE_NAME)}\n")
    # A quote must be verbatim in the source text: put the hostile words in the text too.
    _edit(base, TEXT_REL, "Context:\n", f"Context:\nQuote {HOSTILE} ends here.\n")
    _edit(
        base,
        CLAIM_REL,
        "  quote: These strikes resulted in the death of at least 20 people",
        f"  quote: {q('Quote ' + HOSTILE + ' ends')}",
    )
    _edit(base, CLAIM_REL, "    text: at least 20\n", f"    text: {q('Quote')}\n")
    _edit(base, CLAIM_REL, "    unit: people killed\n", f"    unit: {q('people killed ' + HOSTILE)}\n")  # for `figures`
    _edit(
        base,
        DISPUTED_REL,
        "    quote: has dismissed claims connecting these sites to terrorist groups",
        f"    quote: {q('Quote ' + HOSTILE)}",
    )
    result = CliRunner().invoke(app, ["validate", "--facts", str(base)])
    assert result.exit_code == 0, result.output
    return base


def _edit(base: Path, rel: str, old: str, new: str) -> None:
    path = base / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


COMMANDS = [
    ["list"],
    ["list", "--search", "RED"],
    ["show", "strikes-killed-at-least-20"],
    ["show", "sites-linked-to-terrorist-groups"],
    ["actors"],
    ["figures"],
    ["disputed"],
    ["sources"],
]


def assert_safe(out: str, colour: bool = False) -> None:
    text = SGR.sub("", out) if colour else out
    bad = FORBIDDEN.findall(text)
    assert not bad, f"raw control characters reached the terminal: {bad!r}"
    assert "Traceback" not in out


def assert_literal(out: str) -> None:
    """The hostile text shows up escaped and literal, not interpreted."""
    flat = re.sub(r"\s+", "", SGR.sub("", out))  # tables fold long cells across lines
    for piece in (
        "[bold]B[/bold]",
        "[link=https://evil.example]L[/link]",
        "[/x]",
        ":smile:",
        r"\x1b[31mRED",
        r"\x1b]8;;http://evil.example\x07",
        r"\x1b]0;owned\x07",
        r"\x07",
        r"\x9b",
        r"\u202e",
        r"\u2066",
    ):
        assert piece in flat, (piece, out[:3000])


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_view_prints_hostile_text_literally(hostile, args):
    # Wide, so that no cell folds and each hostile string can be found whole.
    result = CliRunner().invoke(app, [*args, "--facts", str(hostile)], env={"COLUMNS": "3000"})
    assert result.exit_code == 0, result.output
    assert_safe(result.stdout + result.stderr)
    if args[0] != "sources":
        assert_literal(result.stdout)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_colour_forced_on_still_escapes(hostile, args, monkeypatch):
    # A real terminal's Console: colours on, wide; the escapes must still be escapes.
    monkeypatch.setattr(
        cli,
        "_console",
        lambda: Console(
            highlight=False, emoji=False, markup=False, force_terminal=True, color_system="truecolor", width=3000
        ),
    )
    result = CliRunner().invoke(app, [*args, "--facts", str(hostile)])
    assert result.exit_code == 0, result.output
    assert SGR.search(result.stdout), "colour was not on"
    assert_safe(result.stdout, colour=True)
    if args[0] != "sources":
        assert_literal(result.stdout)


@pytest.mark.parametrize(
    "env",
    [
        {"FORCE_COLOR": "1", "TERM": "xterm-256color"},
        {"NO_COLOR": "1", "TERM": "dumb"},
        {"LC_ALL": "C", "LANG": "C"},
        {"COLUMNS": "40"},
    ],
)
@pytest.mark.parametrize(
    "args", [["list"], ["show", "strikes-killed-at-least-20"], ["actors"], ["disputed"]], ids=" ".join
)
def test_real_program_escapes_in_every_environment(hostile, args, env):
    proc = subprocess.run(
        [factcli_executable(), *args, "--facts", str(hostile)],
        capture_output=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8", errors="strict" if "LC_ALL" not in env else "replace")
    assert_safe(out, colour="FORCE_COLOR" in env)
    if "NO_COLOR" in env:
        assert "\x1b" not in out, "NO_COLOR must mean no ANSI codes at all"
    if "FORCE_COLOR" in env:
        assert SGR.search(out)
    assert "Traceback" not in proc.stderr.decode(errors="replace")


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--json"],
        ["list", "--jsonl"],
        ["show", "strikes-killed-at-least-20", "--json"],
        ["actors", "--json"],
        ["disputed", "--json"],
        ["figures", "--json"],
    ],
    ids=" ".join,
)
def test_json_keeps_the_exact_text(hostile, args):
    for attempt in ("made fresh", "read back from the answers the index keeps"):
        proc = run_factcli(*args, "--facts", str(hostile))
        assert proc.returncode == 0, proc.stderr
        raw = proc.stdout
        assert not FORBIDDEN.search(raw.replace("\n", "")), f"{attempt}: raw control characters in JSON output"
        docs = [json.loads(line) for line in raw.splitlines()] if "--jsonl" in args else [json.loads(raw)]
        assert any(HOSTILE in text for text in _strings(docs)), attempt  # the hostile text, exactly, once decoded


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_json_round_trip_of_fields(hostile):
    proc = run_factcli("show", "strikes-killed-at-least-20", "--json", "--facts", str(hostile))
    claim = json.loads(proc.stdout)
    assert claim["statement"] == "S " + HOSTILE
    assert claim["source"]["quote"] == "Quote " + HOSTILE + " ends"
    actors = {a["id"]: a for a in json.loads(run_factcli("actors", "--json", "--facts", str(hostile)).stdout)}
    assert actors["pakistan"]["name"] == "Pak " + HOSTILE_NAME
    assert actors["khawaja-muhammad-asif"]["role"] == "Role " + HOSTILE
    assert "Alias " + HOSTILE_NAME in actors["khawaja-muhammad-asif"]["aliases"]


# --- error messages that echo a value from a file or the command line ------------------------


def _problem_lines(base: Path) -> list[str]:
    result = CliRunner().invoke(app, ["validate", "--facts", str(base)])
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert_safe(out)
    return result.stderr.splitlines()[:-1]


def test_invalid_id_echo_is_escaped(tmp_path):
    base = tmp_path / "facts"
    write_factbase(base)
    _edit(base, CLAIM_REL, "claimant: asif-welcomes-us-help-narrator", 'claimant: "x\\e[31m\\e]0;t\\a\\u202e[bold]y"')
    (line,) = _problem_lines(base)
    assert r"'x\x1b[31m\x1b]0;t\x07\u202e[bold]y' is not a valid id" in line


def test_unknown_field_echo_is_escaped(tmp_path):
    base = tmp_path / "facts"
    write_factbase(base)
    with open(base / CLAIM_REL, "a") as f:
        f.write('"dis\\e]8;;http://evil\\aputed\\nsecond line\\u202e": true\n')
    (line,) = _problem_lines(base)
    assert r"unknown field 'dis\x1b]8;;http://evil\x07puted\nsecond line\u202e'" in line


def test_file_name_echo_is_escaped(tmp_path):
    base = tmp_path / "facts"
    write_factbase(base)
    (base / "claims" / "bad\x1b[31m\u202e\nname.yaml").write_text("id: [\n")
    (line,) = _problem_lines(base)
    assert r"bad\x1b[31m\u202e\nname.yaml" in line


@pytest.mark.usefixtures("story_is_default")
@pytest.mark.parametrize(
    "args",
    [
        ["show", "x\x1b[31m\u202e[bold]"],
        ["list", "--actor", "x\x1b]0;t\x07[red]"],
        ["list", "--topic", "\u202e\x1b[2J"],
        ["list", "--source", "\x9bx"],
    ],
    ids=["show", "actor", "topic", "source"],
)
def test_command_line_echo_is_escaped(args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (1, 2)
    assert_safe(result.stdout + result.stderr)


# --- the environment ---------------------------------------------------------------------------


def test_no_terminal_at_all(hostile):
    proc = subprocess.run(
        [factcli_executable(), "list", "--facts", str(hostile)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in ("TERM", "COLUMNS", "FORCE_COLOR")},
    )
    assert proc.returncode == 0 and b"\x1b" not in proc.stdout


def test_narrow_terminal(hostile):
    proc = run_factcli("list", "--facts", str(hostile), env={"COLUMNS": "40", "LINES": "10"})
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    # Only a word wider than the terminal (an id, an escaped sequence) may pass its edge, whole, alone on its line.
    assert all(len(line) <= 40 or len(line.split()) == 1 for line in proc.stdout.splitlines())


@pytest.mark.usefixtures("story_is_default")
def test_stdout_closed_early_through_a_real_pipe(tmp_path):
    exe = factcli_executable()
    proc = subprocess.run(
        f"'{exe}' list | head -1; '{exe}' list --json | head -c 10; '{exe}' actors | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert proc.returncode == 0
    assert (
        "Traceback" not in proc.stderr
        and "BrokenPipeError" not in proc.stderr
        and "Exception ignored" not in proc.stderr
    ), proc.stderr


@pytest.mark.usefixtures("story_is_default")
def test_stdout_closed_before_start():
    exe = factcli_executable()
    proc = subprocess.run(f"'{exe}' list >&-", shell=True, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode != 0  # nothing could be written: not a silent success


def interrupted(tmp_path, command: str, env: dict) -> tuple[int, bytes]:
    """Run ``factcli command`` on a fact base large enough to keep it busy, and press Ctrl-C."""
    base = tmp_path / "big"
    write_factbase(base)
    claim = (base / CLAIM_REL).read_text()
    for i in range(3000):
        (base / "claims" / f"copy-{i}.yaml").write_text(
            claim.replace("id: strikes-killed-at-least-20", f"id: copy-{i}")
        )
    proc = subprocess.Popen(
        [factcli_executable(), command, "--facts", str(base)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )
    time.sleep(0.8)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    return proc.returncode, err


@pytest.mark.slow
def test_ctrl_c_exits_130_without_traceback(tmp_path):
    status, err = interrupted(tmp_path, "list", {"FACTCLI_NO_INDEX": "1"})
    assert status == 130, (status, err[-2000:])
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


@pytest.mark.slow
def test_ctrl_c_on_the_index_path(tmp_path):
    status, err = interrupted(tmp_path, "validate", {"FACTCLI_CACHE_DIR": str(tmp_path / "cache")})
    assert status in (130, 0), (status, err[-2000:])  # 0: it finished before the signal
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err[-3000:]


def test_validate_echoes_the_folder_name_escaped(tmp_path):
    base = tmp_path / "facts\x1b]0;owned\x07\u202e"
    write_factbase(base)
    result = CliRunner().invoke(app, ["validate", "--facts", str(base)])
    assert result.exit_code == 0
    assert_safe(result.stdout)
    assert r"facts\x1b]0;owned\x07\u202e" in result.stdout
