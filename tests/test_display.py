"""What reaches the terminal (issue 10): usage errors, output files, encodings, NO_COLOR, narrow widths.

Every test runs the real program as well as (or instead of) CliRunner: these promises are
about bytes on a real terminal, a real pipe or a real device node.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import socket
import stat
import subprocess
from pathlib import Path

import pytest
from factbases import copy_factbase
from running import factcli_executable, run_factcli
from typer.testing import CliRunner

from factcli.cli import app

# Characters that must never reach a terminal raw (newline aside: it is layout).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
HOSTILE = "Pak \x1b[31mRED \x1b]8;;http://evil.example\x07click\x1b]8;;\x07 \x9b31m \u202eEVIL [bold]B[/bold]"
# Names may no longer hold controls (the fact base refuses them), but markup and emoji codes are words.
MARKUP_NAME = "Pak [bold]B[/bold] :warning:"
JQ = shutil.which("jq")
# Every view of the fact base a person reads.
DATA_VIEWS = [
    ["list"],
    ["disputed"],
    ["show", "asif-prefers-de-escalation"],
    ["actors"],
    ["figures"],
    ["sources"],
    ["validate"],
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCLI_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(autouse=True)
def _story_by_default(story_is_default):
    """Commands given no ``--facts`` read the story, never the shipped fact base."""


def small_base(root: Path, name: str = MARKUP_NAME, alias: str = "") -> Path:
    """A fact base of two actors (so a usage error lists them all), one source, one disputed claim."""
    q = json.dumps  # a YAML double-quoted string is a JSON string
    base = root / "small"
    for folder in ("actors", "claims", "sources"):
        (base / folder).mkdir(parents=True)
    aliases = f"\n    aliases:\n      - {q(alias)}" if alias else ""
    (base / "actors" / "actors.yaml").write_text(
        f"actors:\n  - id: pak\n    name: {q(name)}\n    kind: country{aliases}\n  - id: ind\n    name: India\n    kind: country\n",
        encoding="utf-8",
    )
    (base / "sources" / "src.yaml").write_text(
        "id: src\ntitle: A title\ntext: src.txt\nsections:\n  - Context\n", encoding="utf-8"
    )
    (base / "sources" / "src.txt").write_text("Context:\nThe quote is here, and it says so.\n", encoding="utf-8")
    (base / "claims" / "some-claim.yaml").write_text(
        "id: some-claim\nclaimant: pak\nstatement: A statement.\ndisputed: true\n"
        "disputes:\n  - by: ind\n    quote: The quote is here\n"
        "source:\n  id: src\n  section: Context\n  quote: The quote is here\ntopics:\n  - strikes\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", "--facts", str(base)])
    assert result.exit_code == 0, result.output
    return base


def assert_safe(text: str) -> None:
    bad = FORBIDDEN.findall(text)
    assert not bad, f"raw control characters reached the terminal: {bad!r}"
    assert "Traceback" not in text


# --- item 4: usage errors echo fact-base text escaped ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--actor", "zzz"],  # "one of: ..." lists every actor's id and name
        ["list", "--actor", "pak b warning"],  # close to the name: a did-you-mean
        ["list", "--actor", HOSTILE],  # what the user typed is echoed too
        ["disputed", "--actor", HOSTILE],
        ["figures", "--actor", "zzz"],
        ["export", "-f", "csv", "--actor", HOSTILE],
    ],
    ids=lambda args: " ".join(args[:2]) + (" <hostile>" if HOSTILE in args else " " + args[-1]),
)
def test_unknown_actor_lists_the_names_escaped(tmp_path, args):
    base = small_base(tmp_path)
    result = CliRunner().invoke(app, [*args, "--facts", str(base)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert_safe(result.stdout + result.stderr)
    proc = subprocess.run(
        [factcli_executable(), *args, "--facts", str(base)],
        capture_output=True,
        env={**os.environ, "COLUMNS": "300"},
        timeout=60,
    )
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert_safe(err)
    if HOSTILE in args:
        assert "\\x1b" in err and "\\u202e" in err, err  # shown, as visible escapes
    else:
        assert "[bold]B[/bold] :warning:" in err, err  # markup and emoji codes printed literally


@pytest.mark.parametrize("field", ["name", "alias"])
def test_a_name_holding_controls_is_refused_and_echoed_escaped(tmp_path, field):
    """Names are echoed in usage errors, so the fact base refuses controls in them, and says so safely."""
    with pytest.raises(AssertionError) as refused:
        small_base(tmp_path, **({"name": HOSTILE} if field == "name" else {"name": "Pakistan", "alias": HOSTILE}))
    assert "hidden character" in str(refused.value)
    base = tmp_path / "small"
    proc = subprocess.run([factcli_executable(), "list", "--facts", str(base)], capture_output=True, timeout=60)
    assert proc.returncode == 1
    err = proc.stderr.decode("utf-8")
    assert_safe(err)
    assert "hidden character" in err and "\\x1b" in err, err


def test_unknown_name_message_is_escaped_at_its_source(tmp_path):
    """The library's own exception text is safe to print, whoever prints it."""
    import factcli
    from factcli.query import UnknownName

    fb = factcli.load(small_base(tmp_path))
    with pytest.raises(UnknownName) as caught:
        fb.query(actors=[HOSTILE])
    assert_safe(str(caught.value))
    assert "\\x1b[31mRED" in str(caught.value)


# --- item 9: --force replaces a regular file, nothing else -------------------------------------------


def _char_device(folder: Path) -> Path | None:
    node = folder / "null-like"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the numbers of /dev/null
    except PermissionError:
        return None
    return node


def _unix_socket(folder: Path) -> Path:
    path = folder / "sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    s.close()
    return path


def _snapshot(path: Path) -> tuple:
    st = os.lstat(path)
    return (st.st_mode, st.st_ino, st.st_rdev, os.readlink(path) if stat.S_ISLNK(st.st_mode) else None)


@pytest.mark.parametrize(
    "kind",
    [
        "chardev",
        "fifo",
        "socket",
        "folder",
        "link-to-chardev",
        "link-to-fifo",
        "link-to-folder",
        "link-to-file",
        "dangling-link",
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "sqlite"])
@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
def test_export_never_replaces_what_is_not_a_regular_file(tmp_path, kind, fmt, force):
    nodes = tmp_path / "nodes"
    nodes.mkdir()
    targets = {
        "fifo": lambda: (os.mkfifo(nodes / "fifo"), nodes / "fifo")[1],
        "socket": lambda: _unix_socket(nodes),
        "folder": lambda: (os.mkdir(nodes / "dir"), nodes / "dir")[1],
        "file": lambda: (Path(nodes / "file").write_text("kept\n"), nodes / "file")[1],
        "chardev": lambda: _char_device(nodes),
    }
    base_kind = kind.removeprefix("link-to-")
    if kind == "dangling-link":
        target = nodes / "link"
        target.symlink_to(nodes / "nowhere")
    else:
        node = targets[base_kind]()
        if node is None:
            pytest.skip("making a device node needs root")
        target = node
        if kind.startswith("link-to-"):
            target = nodes / "link"
            target.symlink_to(node)
    before = {p.name: _snapshot(p) for p in nodes.iterdir()}
    proc = run_factcli("export", "-f", fmt, "-o", str(target), *(["--force"] if force else []))
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("factcli: "), proc.stderr
    assert "Traceback" not in proc.stderr and "wrote" not in proc.stderr
    assert {p.name: _snapshot(p) for p in nodes.iterdir()} == before  # untouched, and no temporary file left
    if base_kind == "file":
        assert (nodes / "file").read_text() == "kept\n"


def test_force_still_replaces_a_regular_file(tmp_path):
    target = tmp_path / "claims.csv"
    target.write_text("old\n")
    proc = run_factcli("export", "-f", "csv", "-o", str(target), "--force")
    assert proc.returncode == 0, proc.stderr
    assert target.read_text(encoding="utf-8-sig").startswith("id,statement")


def test_force_refuses_a_device_that_appears_before_the_rename(tmp_path, monkeypatch):
    """The check is made again at the rename, so a node swapped in meanwhile is still kept."""
    from factcli import atomic

    target = tmp_path / "out.csv"
    real_check = atomic.check_target

    def swap_in_a_fifo(path, force=False):
        checked = real_check(path, force)
        if not target.exists():
            os.mkfifo(target)
        return checked

    monkeypatch.setattr(atomic, "check_target", swap_in_a_fifo)
    with pytest.raises(atomic.TargetError):
        atomic.write_atomic(target, "data", force=True)
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


# --- item 12: standard output that is not UTF-8 --------------------------------------------------------

NOT_UTF8 = [
    {"PYTHONIOENCODING": "ascii"},
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""},
    {"PYTHONIOENCODING": "latin-1"},
]
JSON_COMMANDS = [
    ["list", "--json"],
    ["list", "--jsonl"],
    ["disputed", "--json"],
    ["show", "asif-prefers-de-escalation", "--json"],
    ["actors", "--jsonl"],
    ["figures", "--json"],
    ["sources", "--json"],
    ["export", "-f", "jsonl"],
    ["export", "-f", "schema-org"],
]


def _env(extra: dict) -> dict:
    env = {**os.environ, "COLUMNS": "120", **extra}
    return {k: v for k, v in env.items() if v != ""}


def _jq_values(data: bytes) -> str:
    assert JQ, "jq must be installed (CI installs it)"
    done = subprocess.run([JQ, "-c", "."], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("env", NOT_UTF8, ids=["ascii", "C-locale", "latin-1"])
@pytest.mark.parametrize("args", JSON_COMMANDS, ids=" ".join)
def test_json_on_a_non_utf8_stdout_is_ascii_and_the_same_value(env, args):
    utf8 = subprocess.run(
        [factcli_executable(), *args], capture_output=True, env=_env({"PYTHONIOENCODING": "utf-8"}), timeout=60
    )
    assert utf8.returncode == 0
    if args[0] in ("list", "sources", "export"):
        assert "’".encode() in utf8.stdout  # the story's text has curly apostrophes
    other = subprocess.run([factcli_executable(), *args], capture_output=True, env=_env(env), timeout=60)
    assert other.returncode == 0, other.stderr.decode(errors="replace")
    assert b"Traceback" not in other.stderr
    assert other.stdout.isascii()
    assert _jq_values(other.stdout) == _jq_values(utf8.stdout)


@pytest.mark.parametrize("env", NOT_UTF8, ids=["ascii", "C-locale", "latin-1"])
@pytest.mark.parametrize(
    "args",
    DATA_VIEWS,
    ids=" ".join,
)
def test_tables_on_a_non_utf8_stdout_escape_what_cannot_be_shown(env, args):
    proc = subprocess.run([factcli_executable(), *args], capture_output=True, env=_env(env), timeout=60)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert proc.stderr == b""
    encoding = env.get("PYTHONIOENCODING") or "ascii"
    proc.stdout.decode(encoding)  # nothing written in another encoding
    if args[0] in ("show", "sources"):
        assert b"\\u2019" in proc.stdout  # the curly apostrophe, shown as a visible escape


@pytest.mark.parametrize("env", NOT_UTF8[:2], ids=["ascii", "C-locale"])
def test_csv_to_a_non_utf8_stdout_is_still_utf8(env):
    proc = subprocess.run([factcli_executable(), "export", "-f", "csv"], capture_output=True, env=_env(env), timeout=60)
    assert proc.returncode == 0 and proc.stderr == b""
    assert "’" in proc.stdout.decode("utf-8")  # CSV is UTF-8 by definition, whatever the locale


@pytest.mark.parametrize("env", NOT_UTF8, ids=["ascii", "C-locale", "latin-1"])
def test_errors_on_a_non_utf8_stderr(tmp_path, env):
    base = small_base(tmp_path, name="Pakistan’s ☢")
    for args, status in (
        (["list", "--actor", "zzz’"], 2),
        (["show", "no-such’-id"], 1),
        (["export", "-f", "csv", "-o", str(tmp_path / "nowhere" / "x’.csv")], 1),
    ):
        proc = subprocess.run(
            [factcli_executable(), *args, "--facts", str(base)], capture_output=True, env=_env(env), timeout=60
        )
        assert proc.returncode == status, (args, proc.stderr)
        err = proc.stderr.decode(env.get("PYTHONIOENCODING") or "ascii")
        assert "Traceback" not in err and "UnicodeEncodeError" not in err, err
        assert_safe(err)


# --- NO_COLOR on a real terminal: no escape codes at all -----------------------------------------------


def on_a_terminal(args: list[str], env: dict, columns: int = 100) -> bytes:
    """Run the real factcli with stdin, stdout and stderr on a pseudo-terminal; everything it wrote."""
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    full_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TERM")}
    proc = subprocess.Popen(
        [factcli_executable(), *args], stdin=slave, stdout=slave, stderr=slave, env={**full_env, **env}, close_fds=True
    )
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the program has ended and closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    proc.wait(timeout=60)
    return out


def _broken_base(story: Path, root: Path) -> Path:
    base = copy_factbase(story, root / "broken")
    path = base / "claims" / "asif-welcomes-us-help" / "india-struck-nine-sites.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 9", "value: nine"), encoding="utf-8")
    return base


VIEWS = [
    *DATA_VIEWS,
    ["--help"],
    ["list", "--help"],
    [],  # no arguments: the help
    ["list", "--actor", "zzz"],  # a usage error, in Typer's own panel
    ["lst"],  # an unknown command
    ["validate", "--facts", "BROKEN"],  # the fact base's problems
]


def test_a_terminal_gets_colour_without_no_color():
    assert b"\x1b[" in on_a_terminal(["list"], {"TERM": "xterm-256color"})
    assert b"\x1b[" in on_a_terminal(["--help"], {"TERM": "xterm-256color"})


@pytest.mark.parametrize("args", VIEWS, ids=lambda a: " ".join(a) or "(none)")
@pytest.mark.parametrize("extra", [{}, {"FORCE_COLOR": "1"}], ids=["", "FORCE_COLOR"])
def test_no_color_on_a_terminal_means_no_escape_codes(story, tmp_path, args, extra):
    args = [str(_broken_base(story, tmp_path)) if a == "BROKEN" else a for a in args]
    out = on_a_terminal(args, {"TERM": "xterm-256color", "NO_COLOR": "1", **extra})
    assert out.strip(), "nothing was written"
    assert b"Traceback" not in out
    assert b"\x1b" not in out and b"\x9b" not in out, out[:2000]


# --- narrow terminals: every fact the wide view shows, every id whole --------------------------------

WIDTHS = [10, 20, 30, 45, 80, 120]


def _as_json(*args: str):
    """What the default fact base (the story) holds, as ``--json`` gives it."""
    return json.loads(run_factcli(*args, "--json").stdout)


def _id_on_a_line(out: str, value: str) -> bool:
    pattern = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")
    return any(pattern.search(line) for line in out.splitlines())


def _assert_words(out: str, text: str) -> None:
    """Every word of ``text`` is in the output unbroken (a word folded across lines is not)."""
    for word in text.split():
        assert word in out, (word, text)


def _narrow(args: list[str], width: int) -> str:
    proc = run_factcli(*args, env={"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"})
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    for line in proc.stdout.splitlines():
        # Only a word wider than the terminal (an id) may pass its edge, alone on its line.
        assert len(line) <= width or len(line.split()) == 1, (width, line)
    return proc.stdout


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", ["list", "disputed"])
def test_narrow_claims_keep_every_fact(command, width):
    claims = _as_json(command)
    out = _narrow([command], width)
    for claim in claims:
        assert _id_on_a_line(out, claim["id"]), claim["id"]
        _assert_words(out, claim["claimant_name"])
        for dispute in claim["disputes"]:
            _assert_words(out, dispute["by_name"])
        if command == "list":
            for figure in claim["figures"]:
                _assert_words(out, figure["text"])
        else:
            for dispute in claim["disputes"]:
                _assert_words(out, dispute["quote"])
    if command == "list":  # each disputed claim says so, and by whom
        assert len(re.findall(r"\byes\s+by\b", out)) == sum(c["disputed"] for c in claims)


@pytest.mark.parametrize("width", WIDTHS)
def test_narrow_figures_keep_every_fact(width):
    groups = _as_json("figures")
    out = _narrow(["figures"], width)
    for group in groups:
        if group["measure"]:
            assert _id_on_a_line(out, group["measure"])
        for figure in group["figures"]:
            assert _id_on_a_line(out, figure["claim"]), figure["claim"]
            _assert_words(out, figure["text"])
            _assert_words(out, figure["qualifier"])
            _assert_words(out, figure["claimant_name"])


@pytest.mark.parametrize("width", WIDTHS)
def test_narrow_actors_and_sources_keep_every_fact(width):
    out = _narrow(["actors"], width)
    for actor in _as_json("actors"):
        assert _id_on_a_line(out, actor["id"]), actor["id"]
        _assert_words(out, actor["name"])
        _assert_words(out, actor["role"] or "")
        for parent in actor["part_of"]:
            assert _id_on_a_line(out, parent) or parent in out
    out = _narrow(["sources"], width)
    for source in _as_json("sources"):
        assert _id_on_a_line(out, source["id"])
        _assert_words(out, source["title"])
        _assert_words(out, " ".join(source["sections"]).replace(",", ""))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "claim_id",
    ["asif-five-planes-two-drones-downed", "pakistan-welcomes-us-diplomacy", "sites-linked-to-terrorist-groups"],
)
def test_narrow_show_keeps_every_fact(claim_id, width):
    claim = _as_json("show", claim_id)
    out = _narrow(["show", claim_id], width)
    for value in (claim["id"], claim["claimant"], claim["source"]["id"]):
        assert _id_on_a_line(out, value), value
    _assert_words(out, claim["statement"])
    _assert_words(out, claim["claimant_name"])
    for figure in claim["figures"]:
        _assert_words(out, figure["text"])
    for dispute in claim["disputes"]:
        _assert_words(out, dispute["by_name"])
    _assert_words(out, claim["source"]["quote"])
    assert claim["file"] in out


@pytest.mark.parametrize("width", [10, 45, 80, 200])
def test_hostile_text_in_records_is_still_escaped(tmp_path, width):
    base = small_base(tmp_path)
    for args in (["list"], ["disputed"], ["show", "some-claim"], ["actors"], ["figures"]):
        proc = run_factcli(*args, "--facts", str(base), env={"COLUMNS": str(width)})
        assert proc.returncode == 0, proc.stderr
        assert_safe(proc.stdout)


def test_the_index_warning_is_escaped(monkeypatch, capsys):
    """The index's one warning can carry an exception's text (a file name from the fact base): one escaped line."""
    from factcli import index

    monkeypatch.setattr(index.errors, "_warned", False)
    index.warn("cannot read facts/x\x1b]0;owned\x07\u202e\nsecond line")
    err = capsys.readouterr().err
    assert_safe(err)
    assert err.count("\n") == 1 and "\\x1b]0;owned\\x07\\u202e\\nsecond line" in err


@pytest.mark.parametrize("columns", [40, 150])
@pytest.mark.parametrize("args", [["list"], ["--help"]], ids=" ".join)
def test_no_color_keeps_the_terminals_real_width(args, columns):
    """NO_COLOR makes factcli present itself as a dumb terminal, which Rich takes to be 80 wide: it must not be."""
    out = on_a_terminal(args, {"TERM": "xterm-256color", "NO_COLOR": "1"}, columns=columns)
    lines = out.decode("utf-8").replace("\r\n", "\n").splitlines()
    assert b"\x1b[" not in out
    too_wide = [line for line in lines if len(line) > columns and len(line.split()) > 1]
    assert not too_wide, too_wide
    if columns > 80:
        assert max(len(line) for line in lines) > 80  # the width is used, not 80 assumed
