"""Start-up (issue 15): what an everyday command loads beyond the Typer floor, and when a long table starts.

Budgets in milliseconds live in ``benchmarks/bench_startup.py``; a unit test pins only what can be
checked exactly: the modules each command imports (in a real process), that a table is printed as
it is drawn, and the choices that keep the records cheap to define.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import typing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from factcli import cli, model, query
from factcli.index import cache, scan

PROBE = (
    "import atexit, sys; "
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n')); "
    "sys.argv = ['factcli'] + sys.argv[1:]; "
    "from factcli.__main__ import main; main()"
)
CLAIM = "pakistan-downed-several-aircraft-and-drones"


@pytest.fixture()
def settled(story: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The story as the default fact base, its files older than ``scan.RACY_NS``, as a user's are.

    The index hashes the contents of files written just before it was (their stat could hide a
    change), which loads ``hashlib``; a fact base edited seconds ago is the only one that pays it.
    """
    newest = max(p.stat().st_ctime_ns for p in story.rglob("*"))
    time.sleep(max(0, newest + scan.RACY_NS - time.time_ns()) / 1e9 + 0.1)
    monkeypatch.setenv("FACTCLI_FACTS", str(story))
    return story


def modules_loaded(*args: str) -> set[str]:
    """Every module a real ``factcli args`` process has imported by the time it exits."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "120"},
    )
    assert done.returncode == 0, done.stderr
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


# Loaded by no everyday command: OpenSSL (through hashlib: the index file's name is a checksum),
# Typer's rich help, Rich's traceback and pretty-printer, its table of emoji codes (read only
# when a string is taken as markup), and YAML and the loader (a warm index answers).
NEVER = {
    "hashlib",
    "_hashlib",
    "yaml",
    "typer.rich_utils",
    "rich.traceback",
    "rich.pretty",
    "rich._emoji_codes",
    "factcli.loader",
}


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--actor", "pakistan", "--json"),
        ("list", "--actor", "pakistan"),
        ("disputed",),
        ("show", CLAIM),
        ("show", CLAIM, "--json"),
    ],
)
def test_an_everyday_command_loads_none_of_what_it_does_not_use(settled, args):
    modules_loaded(*args)  # the first builds the index (that reads YAML); the answer below is warm
    assert not NEVER & modules_loaded(*args)  # (and the claim exists: a failing command is an error)


def test_the_json_answer_loads_no_rich_and_no_view_modules(settled):
    loaded = modules_loaded("list", "--actor", "pakistan", "--json")
    assert not {m for m in loaded if m == "rich" or m.startswith("rich.")}
    assert not {"factcli.render", "factcli.stats", "factcli.story", "factcli.dates"} & loaded


@pytest.mark.parametrize("json", [("--json",), ()])
def test_an_actor_named_by_its_ascii_id_loads_no_unicode_tables(settled, json):
    assert "unicodedata" not in modules_loaded("list", "--actor", "pakistan", *json)


@given(st.text())
def test_names_are_folded_as_unicode_says_ascii_or_not(text):
    import unicodedata

    assert model._folded(text) == unicodedata.normalize("NFKC", text).casefold()


def test_a_table_loads_only_what_it_draws(settled):
    """``list`` draws a table: no panel, tree or grouping modules, nor the counts of other views."""
    loaded = modules_loaded("list", "--actor", "pakistan")
    assert "rich.table" in loaded
    assert not {"rich.panel", "rich.tree", "rich.columns", "rich.live", "factcli.stats", "factcli.story"} & loaded


# --- a long table is printed as it is drawn ------------------------------------------------------


class Logged:
    """A cell that notes in ``log`` when Rich draws it."""

    def __init__(self, name: str, log: list[str]):
        self.name, self.log = name, log

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        self.log.append(f"drawn {self.name}")
        yield Segment(self.name)


class LoggedFile(io.StringIO):
    def __init__(self, log: list[str]):
        super().__init__()
        self.log = log

    def write(self, text: str) -> int:
        self.log.append("written")
        return super().write(text)


@pytest.mark.parametrize("terminal", [True, False])
def test_a_long_table_starts_printing_before_its_last_row_is_drawn(terminal):
    log: list[str] = []
    console = Console(file=LoggedFile(log), width=40, force_terminal=terminal, color_system=None)
    table = Table("n")
    for i in range(400):
        table.add_row(Logged(f"row{i}", log))
    cli._show(console, table)
    assert "written" in log[: log.index("drawn row399")]
    assert console.file.getvalue().count("row") == 400  # every row, once


@pytest.mark.parametrize("terminal", [True, False])
def test_a_table_printed_in_pieces_is_the_table_printed_whole(terminal):
    rows = [[Text(f"claim {i} " * (i % 7 + 1)), Text(f"id-{i}", style="cyan")] for i in range(300)]

    def printed(whole: bool) -> str:
        console = Console(file=io.StringIO(), width=50, force_terminal=terminal, color_system="truecolor")
        table = Table("Claim", "Id", title="300 claims", show_lines=True)
        for row in rows:
            table.add_row(*row)
        if whole:
            with console.capture() as captured:
                console.print(table, crop=False)
            text = captured.get()
            return text if terminal else cli._TRAILING_SPACES.sub(r"\1", text)
        cli._show(console, table)
        return console.file.getvalue()

    assert printed(whole=False) == printed(whole=True)


# --- records cheap to define, an index name cheap to work out -------------------------------------


@pytest.mark.parametrize(
    "record", [model.Figure, model.Reaction, model.SourceRef, model.Claim, model.Actor, model.Source, query.Filters]
)
def test_records_are_defined_with_their_types_not_strings(record):
    """A string annotation costs a compiled ``ForwardRef`` per field when the class is made, and an
    ``eval`` per field when the index first builds one (``model._shape``): every command pays both."""
    assert not [name for name, hint in record.__annotations__.items() if isinstance(hint, str)]
    assert typing.get_type_hints(record) == record.__annotations__


def test_the_index_name_is_the_same_in_every_process_and_hides_the_path(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    root = tmp_path / "private-reporting" / "facts"
    code = f"from factcli.index.cache import index_path; print(index_path({str(root)!r}))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert Path(other) == cache.index_path(root)
    assert "private" not in other and "facts" not in Path(other).name
    assert cache.index_path(root) != cache.index_path(tmp_path / "private-reporting" / "fact")
