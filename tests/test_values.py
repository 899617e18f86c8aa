"""Values read the same whoever reads them (issue #10, "Trust nothing you did not write").

The loader and the index must read every file alike and refuse the same files, whatever
PyYAML/libyaml version the registry serves: nesting past the limit, line separators libyaml
counts as line breaks, ids with a hidden newline, and YAML 1.1's octal, hex and sexagesimal
numbers are each one factcli problem, named by file, line and column.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from factbases import SHIPPED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from running import check_jsonschema, run_factcli
from typer.testing import CliRunner

from factcli import index
from factcli.cli import app
from factcli.yamlsafe import MAX_DEPTH, YamlError, decode, parse

CLAIM_REL = "claims/asif-welcomes-us-help/strikes-killed-at-least-20.yaml"
CLAIM_ID = "strikes-killed-at-least-20"
ACTORS_REL = "actors/actors.yaml"
SOURCE_REL = "sources/asif-welcomes-us-help.yaml"
STATEMENT = "statement: India's strikes killed at least 20 people."
VALUE = "  - value: 20\n"
SUMMARY = re.compile(r"^factcli: the fact base has (\d+) problems?")
MODES = {"loader": {"FACTCLI_NO_INDEX": "1"}, "index": {"FACTCLI_NO_INDEX": None}}


@pytest.fixture()
def base(story_copy: Path) -> Path:
    return story_copy


def edit(base: Path, rel: str, old: str, new: str) -> None:
    path = base / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, rel)
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")


def invoke(base: Path, mode: str, *args: str):
    result = CliRunner().invoke(app, [*args, "--facts", str(base)], env=MODES[mode])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def problems(base: Path, mode: str) -> list[str]:
    """The problem lines ``validate`` prints (one line each, then the summary), checked to be well formed."""
    result = invoke(base, mode, "validate")
    assert result.exit_code == 1, (mode, result.stdout)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert SUMMARY.match(lines[-1]), lines
    assert len(lines) == int(SUMMARY.match(lines[-1]).group(1)) + 1, lines
    return lines[:-1]


def one_problem(base: Path, rel: str) -> str:
    """The single problem of ``base``, the same through the loader and the index, without the file name."""
    seen = {mode: problems(base, mode) for mode in MODES}
    assert seen["loader"] == seen["index"], seen
    (problem,) = seen["loader"]
    prefix = f"{base / rel}:"
    assert problem.startswith(prefix), problem
    return problem[len(prefix) :]


# --- item 0: nesting is one factcli problem, whichever library notices it first ----------------

# libyaml (the one in PyYAML 6.0.4's wheels) refuses 1000 levels itself; factcli refuses 64.
DEPTHS = [MAX_DEPTH + 36, 1_200, 50_000]
WHERE = {"claim": CLAIM_REL, "actors": ACTORS_REL, "source": SOURCE_REL}


def nested(style: str, depth: int) -> str:
    """A top-level field ``deep`` holding ``depth`` levels of lists (flow) or mappings (block)."""
    if style == "flow":
        return "deep: " + "[" * depth + "]" * depth + "\n"
    return "deep:\n" + "".join(f"{' ' * level}a:\n" for level in range(1, depth)) + " " * depth + "a: 1\n"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("style", ["flow", "block"])
@pytest.mark.parametrize("kind", WHERE)
def test_nesting_too_deep_is_one_problem_at_the_same_place_whatever_the_depth(base, kind, style, mode):
    rel = WHERE[kind]
    original = (base / rel).read_text(encoding="utf-8")
    reports = []
    for depth in DEPTHS if style == "flow" else DEPTHS[:2]:
        (base / rel).write_text(original + nested(style, depth), encoding="utf-8")
        # A broken actors or sources file also leaves claims citing unknown ids: its own problem is one.
        (problem,) = [p for p in problems(base, mode) if p.startswith(f"{base / rel}:")]
        assert re.search(rf":\d+:\d+: nested more than {MAX_DEPTH} levels deep \(.+\)$", problem), problem
        reports.append(problem)
    # Past libyaml's own limit the problem reads, and stands, where it does below it.
    assert len(set(reports)) == 1, reports


def test_nesting_too_deep_as_a_real_process(base):
    (base / CLAIM_REL).write_text("id: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    for env in MODES.values():
        done = run_factcli("validate", "--facts", str(base), env={k: v for k, v in env.items() if v} or None)
        assert done.returncode == 1 and done.stdout == ""
        first = done.stderr.splitlines()[0]
        assert (
            first
            == f"{base / CLAIM_REL}:1:{4 + MAX_DEPTH}: nested more than {MAX_DEPTH} levels deep (fact files are a few levels deep)"
        )


def test_a_syntax_error_after_shallow_nesting_is_still_a_syntax_error(base):
    (base / CLAIM_REL).write_text("id: " + "[" * 10 + "\n", encoding="utf-8")
    assert "YAML syntax error" in one_problem(base, CLAIM_REL)


# --- item 5: line and paragraph separators, NEL, BOM: the readers agree on every input ----------


def test_a_line_separator_ends_the_statement_for_the_index_as_for_the_loader(base):
    # libyaml reads U+2028 as a line break, so "# tail" is a comment; the index showed it as text.
    edit(base, CLAIM_REL, STATEMENT, STATEMENT + "\u2028# the hidden tail")
    shown = {mode: json.loads(invoke(base, mode, "show", CLAIM_ID, "--json").stdout)["statement"] for mode in MODES}
    assert shown == {mode: STATEMENT.removeprefix("statement: ") for mode in MODES}


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_file_the_loader_cannot_read_is_refused_by_the_index_too(base, separator):
    edit(base, CLAIM_REL, STATEMENT, STATEMENT + separator + "more words")
    assert "YAML syntax error" in one_problem(base, CLAIM_REL)


def read_by_index(text: str):
    """What the index reads from ``text``: a value, or None when it refuses the file."""
    try:
        return ("value", index.read.read_value(text.encode("utf-8")).value)
    except index.errors.NotVouched:
        return None


def read_by_loader(text: str):
    try:
        return ("value", parse(decode(text.encode("utf-8"))).value)
    except YamlError:
        return None


KEYS = st.sampled_from(["id", "statement", "a", "b-c", "value", "topics"])
ODD = [
    "\u2028",
    "\u2029",
    "\x85",
    "\ufeff",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "#",
    " #",
    "# c",
    "'",
    "''",
    '"',
    "\\",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    "- ",
    "|",
    ">",
    "&a",
    "*a",
    "!",
    "%",
    "@",
    "  ",
]
WORDS = [
    "x",
    "ab",
    "20",
    "010",
    "0x1f",
    "0o17",
    "0b10",
    "1:20",
    "1_000",
    "+5",
    "1e3",
    ".5",
    "no",
    "on",
    "~",
    "null",
    "2020-01-01",
    ".nan",
]
PIECE = st.sampled_from(ODD + WORDS) | st.characters(codec="utf-8")
SCALAR = st.lists(PIECE, max_size=6).map("".join)
ENDS = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", " # note\n", "\t\n"])
LINE = st.tuples(
    st.integers(0, 4), st.sampled_from(["", "", "- ", "-\t"]), KEYS, st.sampled_from([": ", ":", ":\t"]), SCALAR, ENDS
)
FLOW = st.recursive(
    SCALAR,
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
        | st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2).map(
            lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
        )
    ),
    max_leaves=6,
)


@st.composite
def documents(draw) -> str:
    """Block lines as people type them, with flow values, comments, quotes and every odd line break."""
    lines = draw(st.lists(LINE, min_size=1, max_size=8))
    text = "".join(f"{' ' * n}{dash}{key}{colon}{value}{end}" for n, dash, key, colon, value, end in lines)
    if draw(st.booleans()):
        text += f"{draw(KEYS)}: {draw(FLOW)}\n"
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_the_index_reads_every_document_as_the_loader_does(text):
    assert read_by_index(text) == read_by_loader(text), ascii(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:- '\"#\n\r\t|>[]{},&*!0.~\u2028\u2029\x85\ufeff")), max_size=40))
def test_the_index_reads_any_noise_as_the_loader_does(text):
    assert read_by_index(text) == read_by_loader(text), ascii(text)


# --- item 7: ids, names and headings hold no hidden newline, control or surrounding space -------

HIDDEN = {
    "claim id, trailing newline": (
        CLAIM_REL,
        "id: strikes-killed-at-least-20",
        'id: "strikes-killed-at-least-20\\n"',
        "id",
    ),
    "actor id, trailing newline": (ACTORS_REL, "  - id: pakistan\n", '  - id: "pakistan\\n"\n', "actors[2].id"),
    "claimant, trailing newline": (
        CLAIM_REL,
        "claimant: asif-welcomes-us-help-narrator",
        'claimant: "asif-welcomes-us-help-narrator\\n"',
        "claimant",
    ),
    "topic, trailing newline": (CLAIM_REL, "  - strikes\n", '  - "strikes\\n"\n', "topics[0]"),
    "measure, trailing newline": (
        CLAIM_REL,
        "measure: toll-of-indian-strikes",
        'measure: "toll-of-indian-strikes\\n"',
        "figures[0].measure",
    ),
    "source id, trailing newline": (SOURCE_REL, "id: asif-welcomes-us-help", 'id: "asif-welcomes-us-help\\n"', "id"),
    "actor name, trailing newline": (ACTORS_REL, "name: Pakistan\n", 'name: "Pakistan\\n"\n', "actors[2].name"),
    "actor name, leading space": (ACTORS_REL, "name: Pakistan\n", 'name: " Pakistan"\n', "actors[2].name"),
    "actor name, a control character": (ACTORS_REL, "name: Pakistan\n", 'name: "Paki\\u0007stan"\n', "actors[2].name"),
    "actor name, a line separator": (ACTORS_REL, "name: Pakistan\n", 'name: "Pakistan\\u2028"\n', "actors[2].name"),
    "alias, trailing space": (ACTORS_REL, "      - narrator\n", '      - "narrator "\n', "actors[0].aliases[0]"),
    "alias, a bidi override": (ACTORS_REL, "      - narrator\n", '      - "narr\\u202eator"\n', "actors[0].aliases[0]"),
    "section, trailing tab": (SOURCE_REL, "  - Context\n", '  - "Context\\t"\n', "sections[0]"),
    "claim's section, trailing newline": (CLAIM_REL, "section: Context", 'section: "Context\\n"', "source.section"),
}


@pytest.mark.parametrize("rel,old,new,field", HIDDEN.values(), ids=list(HIDDEN))
def test_a_hidden_newline_control_or_space_is_refused(base, rel, old, new, field):
    edit(base, rel, old, new)
    seen = {mode: problems(base, mode) for mode in MODES}
    assert seen["loader"] == seen["index"], seen
    where = re.compile(rf"{re.escape(str(base / rel))}:\d+:\d+: {re.escape(field)}: ")
    assert any(where.match(problem) for problem in seen["loader"]), seen["loader"]


def test_an_id_with_a_newline_beside_the_same_id_is_refused_not_shown(base):
    # Two claims that print alike: `show` answered with one of them.
    fields = (base / CLAIM_REL).read_text(encoding="utf-8").splitlines()[2:]  # after the comment and the id
    twin = 'claims:\n  - id: "strikes-killed-at-least-20\\n"\n' + "".join(f"    {line}\n" for line in fields)
    (base / "claims/asif-welcomes-us-help/twin.yaml").write_text(twin, encoding="utf-8")
    for mode in MODES:
        result = invoke(base, mode, "show", CLAIM_ID)
        assert result.exit_code == 1 and result.stdout == ""
        assert "twin.yaml:2:9: claims[0].id: " in result.stderr and "is not a valid id" in result.stderr


# The JSON Schemas shipped for editors and check-jsonschema: code, not content (test_schema.py holds them
# to factcli.schema).
SCHEMA_DIR = SHIPPED / "schema"


def schema_of(kind: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


KIND_OF = {CLAIM_REL: "claim", ACTORS_REL: "actors", SOURCE_REL: "source"}


@pytest.mark.parametrize("rel,old,new,field", HIDDEN.values(), ids=list(HIDDEN))
def test_the_json_schemas_refuse_them_too(base, rel, old, new, field):
    edit(base, rel, old, new)
    record = yaml.safe_load((base / rel).read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema_of(KIND_OF[rel])).iter_errors(record))


def test_check_jsonschema_refuses_an_id_with_a_trailing_newline(story, base):
    edit(base, CLAIM_REL, "id: strikes-killed-at-least-20", 'id: "strikes-killed-at-least-20\\n"')
    edit(base, ACTORS_REL, "      - narrator\n", '      - "narrator "\n')
    for rel, kind in [(CLAIM_REL, "claim"), (ACTORS_REL, "actors")]:
        schema = str(SCHEMA_DIR / f"{kind}.schema.json")
        done = subprocess.run(
            [check_jsonschema(), "--schemafile", schema, str(base / rel)], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 1, done.stdout + done.stderr
        # The control: the same file unedited passes.
        unedited = subprocess.run(
            [check_jsonschema(), "--schemafile", schema, str(story / rel)], capture_output=True, text=True, timeout=120
        )
        assert unedited.returncode == 0, unedited.stdout + unedited.stderr


# --- item 8: YAML 1.1's octal, hex, binary, sexagesimal and underscore numbers --------------------

ODD_NUMBERS = ["010", "0x10", "0b10", "1:20", "1_000", "-010", "0x_1f", "1_000.5", "1:20.5", "00.5", "+0x10"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("written", ODD_NUMBERS)
def test_a_figure_in_a_yaml_1_1_number_form_is_refused(base, written, mode):
    edit(base, CLAIM_REL, VALUE, f"  - value: {written}\n")
    seen = problems(base, mode)
    assert seen == problems(base, "loader")
    (problem,) = seen
    assert problem.startswith(f"{base / CLAIM_REL}:6:12: figures[0].value: ")
    assert written in problem and "write the number as digits, like 10 or 1000" in problem


@pytest.mark.parametrize("written", ["0o10", "1e3", "1,000"])
def test_a_figure_yaml_reads_as_text_gets_the_same_hint(base, written):
    edit(base, CLAIM_REL, VALUE, f"  - value: {written}\n")
    problem = one_problem(base, CLAIM_REL)
    assert problem.startswith("6:12: figures[0].value: expected a number or null, got text")
    assert problem.endswith("(write the number as digits, like 10 or 1000)")


def test_an_octal_looking_figure_as_a_real_process(base):
    edit(base, CLAIM_REL, VALUE, "  - value: 020\n")
    done = run_factcli("list", "--json", "--facts", str(base))
    assert done.returncode == 1 and done.stdout == ""
    assert "figures[0].value: '020'" in done.stderr and "write the number as digits" in done.stderr


@pytest.mark.parametrize(
    "written,value", [("20", 20), ("+20", 20), ("-3", -3), ("0", 0), ("2.5", 2.5), ("0.5", 0.5), ("1.5e+3", 1500.0)]
)
def test_a_figure_written_plainly_is_read(base, written, value):
    edit(base, CLAIM_REL, VALUE, f"  - value: {written}\n")
    for mode in MODES:
        result = invoke(base, mode, "show", CLAIM_ID, "--json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["figures"][0]["value"] == value


@pytest.mark.parametrize("written", ["yes", "on", "off", "no"])
def test_yes_and_no_are_not_read_as_true_and_false(base, written):
    # YAML 1.1 reads them as booleans, YAML 1.2 (check-jsonschema's reader) as text: ask for one spelling.
    edit(base, CLAIM_REL, "disputed: false", f"disputed: {written}")
    problem = one_problem(base, CLAIM_REL)
    assert problem.startswith("11:11: disputed: ") and "write true or false" in problem
