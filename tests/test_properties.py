"""Property tests (issue 4): mutated fact files and arbitrary text never make factcli crash.

factcli either answers or fails with exit status 1 and one line per problem; never a
traceback, and never a raw control character on the terminal.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from factbases import ACTORS, CLAIMS, actors_yaml, claim_yaml, write_factbase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from factcli.cli import app
from factcli.problems import Problem
from factcli.terminal import escape, escape_json, escape_line
from factcli.yamlsafe import YamlError, parse

CLAIM_REL = "claims/asif-welcomes-us-help/strikes-killed-at-least-20.yaml"
ACTORS_REL = "actors/actors.yaml"
CLAIM_ID = "strikes-killed-at-least-20"
ORIGINAL = claim_yaml(next(c for c in CLAIMS if c["id"] == CLAIM_ID))
ORIGINAL_ACTORS = actors_yaml(ACTORS)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")
SGR = re.compile("\x1b\\[[0-9;]*m")
# `validate` ends with the count; every other command adds what to run once the problems are fixed.
SUMMARY = re.compile(
    r"^factcli: the fact base has (\d+) problems?( in \d+ files?)?(; run 'factcli validate( --facts .+)?' after fixing them)?$"
)
PROBLEM = re.compile(r"^\S.*?(:\d+:\d+)?: ")
SETTINGS = settings(
    max_examples=50, deadline=3000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

# Characters most likely to break things: controls, bidi, YAML indicators, quotes, non-BMP.
NASTY = st.sampled_from(
    list(
        "\x00\x07\x08\t\n\r\x1b\x7f\x85\x9b\u200e\u202e\u2066\u2069\u2028\u2029\ufeff\U000e0041:-?[]{}#&*!|>'\"%@`, \\"
    )
    + ["\r\n", "  ", "---", "...", "<<", "~", "no", ".nan", "!!python/object/apply:os.system", "😀"]
)
TEXT = st.lists(st.one_of(st.characters(codec="utf-8"), NASTY), max_size=12).map("".join)


@pytest.fixture(scope="module")
def base():
    """One private fact base for the module: each example rewrites one or two of its files."""
    old = os.environ.get("FACTCLI_NO_INDEX")
    os.environ["FACTCLI_NO_INDEX"] = "1"  # the loader itself; the index has its own tests
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp, "facts")
        write_factbase(dest)
        yield dest
    if old is None:
        os.environ.pop("FACTCLI_NO_INDEX", None)
    else:
        os.environ["FACTCLI_NO_INDEX"] = old


def run(base: Path, *args: str):
    result = CliRunner().invoke(app, [*args, "--facts", str(base)], env={"COLUMNS": "100"})
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), (result.exit_code, out[-2000:])
    assert not UNSAFE.search(SGR.sub("", out)), ("raw control character", out[-2000:])
    if result.exit_code == 1:
        lines = result.stderr.splitlines()
        summary = [line for line in lines if SUMMARY.match(line)]
        if summary:  # a fact base problem: one line per problem, then the summary
            n = int(SUMMARY.match(summary[-1]).group(1))
            assert lines[-1] == summary[-1] and len(lines) == n + 1, lines
            for line in lines[:-1]:
                assert str(base) in line and PROBLEM.match(line), line
        else:  # `show` of an id that is not there
            assert len(lines) == 1 and lines[0].startswith("factcli: no claim with id"), lines
        assert result.stdout == ""
    return result


def check_everything(base: Path) -> None:
    results = [run(base, "validate"), run(base, "list"), run(base, "list", "--json"), run(base, "show", CLAIM_ID)]
    # All or nothing: no command answers from a fact base that validate refuses.
    if results[0].exit_code == 1:
        assert all(r.exit_code == 1 for r in results)
    else:
        assert all(r.exit_code in (0, 1) for r in results)
        json.loads(results[2].stdout)


# --- mutated fact files ------------------------------------------------------------------------


@st.composite
def mutated(draw, original: str = ORIGINAL) -> str:
    lines = original.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = [draw(TEXT)]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "insert", "indent", "dedent", "replace_char", "new_line", "crlf"]
            )
        )
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(TEXT) + lines[i][at:]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(1, 6)) + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip(" ")
        elif op == "replace_char" and lines[i]:
            at = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:at] + draw(NASTY) + lines[i][at + 1 :]
        elif op == "new_line":
            lines.insert(i, draw(TEXT) + "\n")
        elif op == "crlf":
            lines[i] = lines[i].replace("\n", "\r\n")
    return "".join(lines)


@pytest.mark.slow
@SETTINGS
@given(text=mutated())
def test_mutated_claim_file(base, text):
    (base / CLAIM_REL).write_text(text, encoding="utf-8", newline="")
    try:
        check_everything(base)
    finally:
        (base / CLAIM_REL).write_text(ORIGINAL, encoding="utf-8")


@pytest.mark.slow
@settings(SETTINGS, max_examples=30)
@given(text=mutated(ORIGINAL_ACTORS))
def test_mutated_actors_file(base, text):
    (base / ACTORS_REL).write_text(text, encoding="utf-8", newline="")
    try:
        check_everything(base)
    finally:
        (base / ACTORS_REL).write_text(ORIGINAL_ACTORS, encoding="utf-8")


@pytest.mark.slow
@SETTINGS
@given(data=st.binary(max_size=200), at=st.integers(0, len(ORIGINAL.encode())))
def test_random_bytes_spliced_into_a_claim_file(base, data, at):
    raw = ORIGINAL.encode()
    (base / CLAIM_REL).write_bytes(raw[:at] + data + raw[at:])
    try:
        run(base, "validate")
        run(base, "show", CLAIM_ID)
    finally:
        (base / CLAIM_REL).write_text(ORIGINAL, encoding="utf-8")


# --- arbitrary text in fields ------------------------------------------------------------------

STATEMENT = "statement: India's strikes killed at least 20 people."


@pytest.mark.slow
@SETTINGS
@given(text=st.text(max_size=60))
def test_any_quoted_statement_round_trips(base, text):
    (base / CLAIM_REL).write_text(ORIGINAL.replace(STATEMENT, "statement: " + yaml_quote(text)), encoding="utf-8")
    try:
        shown = run(base, "show", CLAIM_ID, "--json")
        run(base, "show", CLAIM_ID)
        run(base, "list")
        if text.strip():
            assert shown.exit_code == 0
            assert json.loads(shown.stdout)["statement"] == text
            assert not UNSAFE.search(shown.stdout.replace("\n", ""))
        else:
            assert shown.exit_code == 1
    finally:
        (base / CLAIM_REL).write_text(ORIGINAL, encoding="utf-8")


def yaml_quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, escaping what YAML would not keep as it is."""
    out = []
    for c in text:
        o = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD and o not in (0x2028, 0x2029, 0xFEFF):
            out.append(c)
        elif 0x10000 <= o:
            out.append(f"\\U{o:08x}")
        else:
            out.append(f"\\u{o:04x}")
    return '"' + "".join(out) + '"'


@pytest.mark.slow
@SETTINGS
@given(text=TEXT)
def test_any_plain_text_in_a_field(base, text):
    (base / CLAIM_REL).write_text(ORIGINAL.replace(STATEMENT, "statement: " + text), encoding="utf-8")
    try:
        run(base, "validate")
        run(base, "show", CLAIM_ID)
    finally:
        (base / CLAIM_REL).write_text(ORIGINAL, encoding="utf-8")


@pytest.mark.slow
@SETTINGS
@given(key=st.text(min_size=1, max_size=30), name=st.text(min_size=1, max_size=30))
def test_any_key_and_actor_name(base, key, name):
    (base / CLAIM_REL).write_text(ORIGINAL + f"{json.dumps(key)}: 1\n", encoding="utf-8")
    (base / ACTORS_REL).write_text(
        ORIGINAL_ACTORS.replace("name: Pakistan\n", f"name: {json.dumps(name)}\n"), encoding="utf-8"
    )
    try:
        run(base, "validate")
        run(base, "actors")
    finally:
        (base / CLAIM_REL).write_text(ORIGINAL, encoding="utf-8")
        (base / ACTORS_REL).write_text(ORIGINAL_ACTORS, encoding="utf-8")


@pytest.mark.slow
@SETTINGS
@given(claim_id=st.text(max_size=30))
def test_show_any_id(base, claim_id):
    if claim_id.startswith("-"):
        claim_id = "x" + claim_id  # an option, not an id
    run(base, "show", claim_id)


# --- the pieces, directly (fast: many more examples) ------------------------------------------


@pytest.mark.slow
@settings(max_examples=500, deadline=500)
@given(text=st.lists(st.one_of(st.characters(), NASTY), max_size=60).map("".join))
def test_parse_returns_or_raises_yaml_error(text):
    try:
        doc = parse(text)
    except YamlError as exc:
        assert exc.line >= 1 and exc.column >= 1 and "\n" not in exc.message
    else:
        assert doc.value is not None or text.strip() != ""


@settings(max_examples=500)
@given(text=st.text())
def test_escape_leaves_nothing_unsafe(text):
    assert not UNSAFE.search(escape(text).replace("\n", "").replace("\t", ""))
    line = escape_line(text)
    assert "\n" not in line and not UNSAFE.search(line)
    encoded = escape_json(json.dumps(text, ensure_ascii=False))
    assert json.loads(encoded) == text and not UNSAFE.search(encoded)


@pytest.mark.slow
@settings(max_examples=300)
@given(
    file=st.text(max_size=20),
    field=st.text(max_size=20),
    message=st.text(max_size=40),
    hint=st.text(max_size=20),
    line=st.integers(0, 10**6),
)
def test_a_problem_is_one_safe_line(file, field, message, hint, line):
    shown = str(Problem(file, line, 1, field, message, hint))
    assert "\n" not in shown and "\r" not in shown and not UNSAFE.search(shown)
