"""The YAML errors authors meet, with what to do about them; `validate`'s own words; and the start-up
of the reading commands, which the authoring commands must not slow (issue #13)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from running import run_factcli

CLAIM = "claims/asif-welcomes-us-help/strikes-killed-at-least-20.yaml"
QUOTE = "  quote: These strikes resulted in the death of at least 20 people\n"


def _edit(base, new_line: str) -> None:
    path = base / CLAIM
    text = path.read_text(encoding="utf-8")
    assert QUOTE in text
    path.write_text(text.replace(QUOTE, new_line), encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            "  quote: Pakistan said: at least 20 people\n",
            ":15:23: YAML syntax error: mapping values are not allowed in this context "
            "(the value holds ': ': put the value in quotes)",
        ),
        (
            "  quote: 'the country's death toll'\n",
            ":15:23: YAML syntax error: while parsing a block mapping did not find expected key "
            "(an apostrophe inside single quotes ends them: double it (''), or use double quotes)",
        ),
        (
            "  quote: These strikes resulted in the death #1 of at least 20 people\n",
            ":15:46: the quote stops at ' #': YAML reads the rest of the line as a comment "
            "(a quote holding '#' must be in quotes: put the value in quotes)",
        ),
    ],
    ids=["colon-space", "apostrophe", "hash"],
)
def test_yaml_errors_authors_meet_say_what_to_do(story_copy, line, problem):
    _edit(story_copy, line)
    for index in ("1", ""):  # the plain loader, and the index's fast readers
        done = run_factcli("validate", "--facts", str(story_copy), env={"FACTCLI_NO_INDEX": index})
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.splitlines() == [
            f"{story_copy / CLAIM}{problem}",
            "factcli: the fact base has 1 problem in 1 file",
        ]


def test_a_quoted_hash_is_kept(story_copy):
    _edit(story_copy, '  quote: "the death of at least 20 people" # the words that give the figure\n')
    assert run_factcli("validate", "--facts", str(story_copy)).returncode == 0


def test_validate_never_tells_you_to_run_validate_the_others_do(story_copy):
    _edit(story_copy, "  quote: Pakistan said: at least 20 people\n")
    validate = run_factcli("validate", "--facts", str(story_copy))
    listed = run_factcli("list", "--facts", str(story_copy))
    assert "run 'factcli validate" not in validate.stderr
    assert listed.stderr.splitlines()[-1].endswith(f"; run 'factcli validate --facts {story_copy}' after fixing them")


# --- start-up: the reading commands import nothing of the authoring side -----------------------------

PROBE = (
    "import atexit, sys; "
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n')); "
    "sys.argv = ['factcli'] + sys.argv[1:]; "
    "from factcli.__main__ import main; main()"
)


def _modules(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


@pytest.mark.parametrize("args", [("list", "--json"), ("show", "strikes-killed-at-least-20", "--json")])
def test_reading_commands_import_nothing_of_the_authoring_side(story_is_default, args):
    _modules(*args)  # the index built: a warm answer is what start-up means
    loaded = _modules(*args)
    assert not {m for m in loaded if m.startswith(("factcli.authoring", "rapidfuzz", "yaml", "rich", "pre_commit"))}


def test_match_imports_rapidfuzz_and_draft_the_drafter(story_is_default):
    assert "rapidfuzz" in _modules("match", "--json")
    assert {"factcli.authoring.draft.drafter", "factcli.authoring.writer"} <= _modules("draft", "asif-welcomes-us-help")
