"""Issue #10, "Trust nothing you did not write": the files factcli reads, and how it tells them apart.

- Every file read resolves inside the fact base directory: a symlink (file, text or folder)
  that leaves it is a problem naming it, never followed, in the loader and the index alike.
- The index tells a file from another put in its place with the very same size and times
  (a folder swapped, a symlink repointed): real file operations, no monkeypatched stat.
- A file name that is not UTF-8 is a problem naming it, escaped, for every command.
- ``--facts /`` is "not a fact base" at once; a ``--facts`` name too long says so.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from running import factcli_executable, run_factcli
from typer.testing import CliRunner

from factcli import files, index, loader
from factcli.cli import app
from factcli.problems import FactBaseError

ARTICLE = "asif-welcomes-us-help"
CLAIM_DIR = f"claims/{ARTICLE}"
CLAIM_REL = f"{CLAIM_DIR}/strikes-killed-at-least-20.yaml"
STATEMENT = "India's strikes killed at least 20 people."
SECRET = "TOP-SECRET-do-not-leak-4711"
SUMMARY = re.compile(r"^factcli: the fact base has \d+ problems?")
INDEXED = {"FACTCLI_NO_INDEX": ""}
PLAIN = {"FACTCLI_NO_INDEX": "1"}
# Every command a user can run on a fact base (show needs an id that exists).
EVERY_COMMAND = [
    ["list"],
    ["list", "--json"],
    ["list", "--jsonl"],
    ["show", "strikes-killed-at-least-20"],
    ["show", "strikes-killed-at-least-20", "--json"],
    ["validate"],
    ["actors"],
    ["actors", "--json"],
    ["figures"],
    ["figures", "--json"],
    ["sources"],
    ["sources", "--json"],
    ["disputed"],
    ["disputed", "--json"],
    ["export", "-f", "csv"],
    ["export", "-f", "schema-org"],
    ["export", "-f", "jsonl"],
    ["export", "-f", "sqlite", "-o", "{tmp}/out.db"],
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    monkeypatch.setattr(index.errors, "_warned", False)


@pytest.fixture()
def base(story_copy) -> Path:
    return story_copy


@pytest.fixture()
def outside(tmp_path) -> Path:
    """A folder beside the fact base, holding what must never be read through it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.txt").write_text(f"Context:\n{SECRET}\n", encoding="utf-8")
    return folder


def problems_of(result_stderr: str) -> list[str]:
    lines = result_stderr.splitlines()
    assert lines and SUMMARY.match(lines[-1]), lines
    assert "Traceback" not in result_stderr and "warning" not in result_stderr, result_stderr
    return lines[:-1]


def fails_everywhere(
    base: Path, expected: str, commands=(["validate"], ["list", "--json"], ["sources", "--json"])
) -> None:
    """Each command fails with exit 1 and a report holding ``expected``, through CliRunner and a
    real process, with and without the index (run twice: the second answers from a warm index)."""
    runner = CliRunner()
    for env in (INDEXED, PLAIN, INDEXED):
        for args in commands:
            done = run_factcli(*args, "--facts", str(base), env=env)
            assert done.returncode == 1, (args, env, done.stdout, done.stderr)
            assert any(expected in line for line in problems_of(done.stderr)), (args, env, done.stderr)
            assert SECRET not in done.stdout + done.stderr
            if env is PLAIN:
                continue
            index.errors._warned = False
            result = runner.invoke(app, [*args, "--facts", str(base)])
            assert result.exit_code == 1, (args, result.output, result.exception)
            assert any(expected in line for line in problems_of(result.stderr)), (args, result.stderr)
            assert SECRET not in result.stdout + result.stderr


def write_notes_source(base: Path, text_name: str = "notes.txt") -> None:
    (base / "sources" / "notes.yaml").write_text(
        f"id: notes\ntitle: Notes\ntext: {text_name}\nsections: []\n", encoding="utf-8"
    )


# --- 1. nothing is read from outside the fact base -------------------------------------------------


@pytest.mark.parametrize("target", ["secret", "/etc/passwd", "/proc/self/environ"])
def test_a_symlinked_source_text_leading_outside_is_a_problem(base, outside, target, tmp_path):
    target_path = outside / "secret.txt" if target == "secret" else Path(target)
    if not target_path.exists():
        pytest.skip(f"{target} does not exist here")
    (base / "sources" / "notes.txt").symlink_to(target_path)
    write_notes_source(base)
    fails_everywhere(base, "sources/notes.yaml:3:7: text: the source text 'notes.txt': leads outside the fact base")
    done = run_factcli("export", "-f", "sqlite", "-o", str(tmp_path / "out.db"), "--facts", str(base))
    assert done.returncode == 1 and not (tmp_path / "out.db").exists()


@pytest.mark.parametrize("rel", ["claims/leak.yaml", "actors/leak.yaml", "sources/leak.yaml", f"{CLAIM_DIR}/leak.yaml"])
def test_a_symlinked_fact_file_leading_outside_is_a_problem(base, outside, rel):
    # A valid record of each kind, kept outside: were it followed, the fact base would validate.
    content = {
        "claims": (base / CLAIM_REL)
        .read_text(encoding="utf-8")
        .replace("id: strikes-killed-at-least-20", "id: leak")
        .replace(STATEMENT, SECRET),
        "actors": f"actors:\n  - id: leak\n    name: {SECRET}\n    kind: person\n",
        "sources": f"id: leak\ntitle: {SECRET}\ntext: {ARTICLE}.txt\nsections: []\n",
    }[rel.split("/")[0]]
    (outside / "record.yaml").write_text(content, encoding="utf-8")
    (base / rel).symlink_to(outside / "record.yaml")
    fails_everywhere(base, f"{rel}: leads outside the fact base")


@pytest.mark.parametrize("where", ["claims/elsewhere", "claims", "sources", "actors"])
def test_a_symlinked_folder_leading_outside_is_a_problem(base, outside, where):
    real = base / where
    if real.exists():  # a whole kind folder replaced by a link to a copy of it kept outside
        shutil.move(str(real), str(outside / where))
        (base / where).symlink_to(outside / where, target_is_directory=True)
    else:
        shutil.copytree(base / CLAIM_DIR, outside / "more")
        for path in (outside / "more").iterdir():
            path.rename(path.with_name("more-" + path.name))
        (base / where).symlink_to(outside / "more", target_is_directory=True)
    fails_everywhere(base, f"{where}: symlinked folder leads outside the fact base")


def test_a_symlinked_folder_inside_the_fact_base_is_reported_not_skipped(base):
    (base / "claims" / "again").symlink_to(base / CLAIM_DIR, target_is_directory=True)
    fails_everywhere(base, "claims/again: symlinked folder: not followed")


def test_symlinks_to_files_inside_the_fact_base_are_followed(base, tmp_path):
    text = base / "sources" / f"{ARTICLE}.txt"
    (base / "sources" / "notes.txt").symlink_to(f"{ARTICLE}.txt")  # relative: stays inside wherever the base is
    write_notes_source(base)
    claim = base / CLAIM_REL
    claim.rename(base / "claims" / "kept.yaml.orig")
    claim.symlink_to(Path("..", "kept.yaml.orig"))
    for env in (INDEXED, PLAIN, INDEXED):
        done = run_factcli("sources", "--json", "--facts", str(base), env=env)
        assert done.returncode == 0, done.stderr
        assert "notes" in [s["id"] for s in json.loads(done.stdout)]
        done = run_factcli("show", "strikes-killed-at-least-20", "--json", "--facts", str(base), env=env)
        assert done.returncode == 0 and "strikes killed at least 20" in done.stdout, done.stderr
    assert text.exists()


def test_a_fact_base_reached_through_a_symlink_is_fine(base, tmp_path):
    link = tmp_path / "link-to-facts"
    link.symlink_to(base, target_is_directory=True)
    for env in (INDEXED, PLAIN, INDEXED):
        done = run_factcli("validate", "--facts", str(link), env=env)
        assert done.returncode == 0, done.stderr
        assert (
            run_factcli("list", "--json", "--facts", str(link), env=env).stdout
            == run_factcli("list", "--json", "--facts", str(base), env=env).stdout
        )


def test_the_index_never_answers_from_outside(base, outside):
    """Indexed while the text was inside, then the same words put outside and linked: refused."""
    assert run_factcli("list", "--json", "--facts", str(base)).returncode == 0  # the index is built
    text = base / "sources" / f"{ARTICLE}.txt"
    shutil.copy2(text, outside / "same.txt")
    text.unlink()
    text.symlink_to(outside / "same.txt")
    fails_everywhere(base, f"the source text '{ARTICLE}.txt': leads outside the fact base")


def test_read_file_checks_what_it_opened_not_only_the_name(base, outside):
    """A folder on the way that is a symlink (swapped in after the walk) cannot bring a file in."""
    real = os.path.realpath(base)
    (base / "sneaky").symlink_to(outside, target_is_directory=True)
    with pytest.raises(files.Unreadable, match="leads outside the fact base"):
        files.read_file(base / "sneaky" / "secret.txt", files.MAX_FACT_FILE, real)
    assert files.read_file(base / CLAIM_REL, files.MAX_FACT_FILE, real).startswith(b"#")


# --- 6. another file with the very same size and times is still another file -----------------------


def same_stats(a: Path, b: Path) -> None:
    """Give ``a`` and ``b`` the same mtime and, set in one clock tick, the same ctime (real ``utime`` calls)."""
    stamp = a.stat().st_mtime_ns
    for attempt in range(100):
        time.sleep(0.01 if attempt else 0)  # a new clock tick, past both files' ctimes (multigrain clocks)
        os.utime(a, ns=(stamp, stamp))
        os.utime(b, ns=(stamp, stamp))
        sa, sb = a.stat(), b.stat()
        if (sa.st_size, sa.st_mtime_ns, sa.st_ctime_ns) == (sb.st_size, sb.st_mtime_ns, sb.st_ctime_ns):
            return
    pytest.fail("could not give two files the same ctime")  # pragma: no cover


def twin_folder(folder: Path, twin: Path, rel_name: str, old: str, new: str) -> None:
    """``twin``: a copy of ``folder`` with ``old`` replaced by ``new`` (same length) in one file, every
    file with the size, mtime and ctime of its original."""
    assert len(old.encode()) == len(new.encode())
    shutil.copytree(folder, twin)
    changed = twin / rel_name
    changed.write_text(changed.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    for path in sorted(folder.iterdir()):
        same_stats(path, twin / path.name)


def swap(folder: Path, twin: Path, aside: Path) -> None:
    folder.rename(aside)
    twin.rename(folder)


@pytest.mark.parametrize("via", ["CliRunner", "subprocess"])
def test_a_folder_swapped_for_one_with_the_same_stats_is_seen(base, tmp_path, monkeypatch, via):
    folder = base / CLAIM_DIR
    twin_folder(folder, tmp_path / "twin", Path(CLAIM_REL).name, STATEMENT, STATEMENT.replace("killed", "KILLED"))
    if via == "CliRunner":
        monkeypatch.setattr(index.scan, "RACY_NS", 0)  # nothing is compared by content: the stat alone must tell
        run = lambda *args: CliRunner().invoke(app, [*args, "--facts", str(base)]).stdout  # noqa: E731
    else:
        time.sleep(index.scan.RACY_NS / 1e9 + 0.2)  # old enough that the index trusts the stat
        run = lambda *args: run_factcli(*args, "--facts", str(base)).stdout  # noqa: E731
    assert "killed at least 20" in run("show", "strikes-killed-at-least-20", "--json")
    swap(folder, tmp_path / "twin", tmp_path / "aside")
    assert "KILLED at least 20" in run("show", "strikes-killed-at-least-20", "--json")
    assert "KILLED at least 20" in run("list", "--json")


@pytest.mark.parametrize("via", ["CliRunner", "subprocess"])
def test_a_repointed_symlinked_text_is_seen(base, tmp_path, monkeypatch, via):
    """sources/x.txt -> a.txt, then -> b.txt: the same size and times, a cited quote gone from b."""
    text = base / "sources" / f"{ARTICLE}.txt"
    words = text.read_text(encoding="utf-8")
    quote = "Pakistan reported 20 casualties from these strikes"
    (base / "sources" / "a.txt").write_text(words, encoding="utf-8")
    (base / "sources" / "b.txt").write_text(words.replace(quote, quote.upper()), encoding="utf-8")
    same_stats(base / "sources" / "a.txt", base / "sources" / "b.txt")
    text.unlink()
    text.symlink_to("a.txt")
    if via == "CliRunner":
        monkeypatch.setattr(index.scan, "RACY_NS", 0)

        def run(*args):
            index.errors._warned = False
            result = CliRunner().invoke(app, [*args, "--facts", str(base)])
            return result.exit_code, result.stderr
    else:
        time.sleep(index.scan.RACY_NS / 1e9 + 0.2)

        def run(*args):
            done = run_factcli(*args, "--facts", str(base))
            return done.returncode, done.stderr

    assert run("list", "--json") == (0, "")
    (base / "sources" / "repointed").symlink_to("b.txt")
    os.replace(base / "sources" / "repointed", text)  # repointed in one step, as `ln -sfn` does
    code, err = run("list", "--json")
    assert code == 1 and "pakistan-reports-20-casualties.yaml" in err and "quote is not found" in err, err


def test_index_rows_hold_inode_and_device(base):
    assert run_factcli("list", "--json", "--facts", str(base)).returncode == 0
    conn = sqlite3.connect(index.index_path(base))
    ((ino, dev),) = conn.execute("SELECT ino, dev FROM files WHERE rel = ?", (CLAIM_REL,))
    st = (base / CLAIM_REL).stat()
    assert (ino, dev) == (st.st_ino, st.st_dev)
    # The index's shape is stored with it: one of another shape (no inode or device) is rebuilt.
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == index.store.SCHEMA
    assert "ino INTEGER NOT NULL, dev INTEGER NOT NULL" in index.store.SCHEMA
    conn.close()


# --- 10. names that are not UTF-8 ---------------------------------------------------------------------


def bad_name_cases(base: Path) -> dict[str, tuple[bytes, str]]:
    """Where a name that is not UTF-8 can sit: (path as bytes, its content) for each case."""
    claim = (base / CLAIM_REL).read_text(encoding="utf-8")
    many = "claims:\n" + "".join(
        ("  - " if i == 0 else "    ") + line + "\n"
        for i, line in enumerate(claim.replace("id: strikes-killed-at-least-20", "id: bad-name-claim").splitlines())
        if not line.startswith("#")
    )
    return {
        "claim file": (b"claims/" + ARTICLE.encode() + b"/bad-\xff.yaml", many),
        "claim folder": (b"claims/bad-\xff/x.yaml", many),
        "actors file": (
            b"actors/bad-\xff.yaml",
            "actors:\n  - id: bad-name-actor\n    name: Bad Name\n    kind: person\n",
        ),
        "source file": (
            b"sources/bad-\xff.yaml",
            f"id: bad-name-source\ntitle: T\ntext: {ARTICLE}.txt\nsections: []\n",
        ),
    }


SOME_COMMANDS = [["validate"], ["list", "--json"], ["show", "strikes-killed-at-least-20"], ["export", "-f", "csv"]]


def each_run(args_list, facts: str, tmp_path: Path):
    """(args, env, exit code, stdout bytes, stderr bytes): every command in-process (CliRunner), then
    a few as real processes; with the index (twice: built, then warm) and without."""
    runner = CliRunner()
    for n, env in enumerate((INDEXED, PLAIN, INDEXED)):
        for args in args_list:
            args = [a.replace("{tmp}", str(tmp_path)) for a in args]
            index.errors._warned = False
            result = runner.invoke(app, [*args, "--facts", facts], env=env)
            assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
            yield args, env, result.exit_code, result.stdout_bytes, result.stderr_bytes
            (tmp_path / "out.db").unlink(missing_ok=True)
        for args in SOME_COMMANDS if n < 2 else ():
            done = subprocess.run(
                [factcli_executable(), *args, "--facts", facts],
                capture_output=True,
                env={**os.environ, **env},
                timeout=60,
            )
            yield args, env, done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("case", ["claim file", "claim folder", "actors file", "source file"])
def test_a_name_that_is_not_utf8_is_a_problem_for_every_command(base, tmp_path, case):
    raw, content = bad_name_cases(base)[case]
    path = os.path.join(os.fsencode(base), raw)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(content)
    shown = (raw.split(b"/x.yaml")[0]).decode("utf-8", "backslashreplace")
    expected = f"{base}/{shown}: file name is not valid UTF-8"
    for args, env, code, out, err in each_run(EVERY_COMMAND, str(base), tmp_path):
        assert code == 1, (args, env, out, err)
        assert any(line.startswith(expected) for line in problems_of(err.decode("utf-8"))), (args, err)
        assert not (tmp_path / "out.db").exists()


def test_a_source_text_whose_name_on_disk_is_not_utf8(base):
    """YAML text is Unicode, so ``text:`` can never name such a file: it is not found, and said so."""
    with open(os.path.join(os.fsencode(base), b"sources/notes-\xff.txt"), "w", encoding="utf-8") as f:
        f.write("Context:\nwords\n")
    write_notes_source(base, "notes-ÿ.txt")
    fails_everywhere(base, "sources/notes.yaml:3:7: text: the source text 'notes-ÿ.txt': cannot read file")


def test_a_fact_base_whose_own_name_is_not_utf8_works(base, tmp_path):
    odd = os.path.join(os.fsencode(tmp_path), b"facts-\xff")
    os.rename(os.fsencode(base), odd)
    odd_str = os.fsdecode(odd)
    for args, env, code, out, err in each_run(EVERY_COMMAND, odd_str, tmp_path):
        assert code == 0, (args, env, out, err)
        assert b"\xff" not in out + err, args  # never a stray byte on a terminal
        assert b"Traceback" not in err and b"warning" not in err, (args, err)
    listed = json.loads(run_factcli("list", "--json", "--facts", odd_str).stdout)
    assert listed and all(c["file"].startswith("claims/") for c in listed)
    assert "facts-\\xff: no problems" in run_factcli("validate", "--facts", odd_str).stdout


# --- the fact base directory itself -------------------------------------------------------------------


@pytest.mark.parametrize("env", [INDEXED, PLAIN], ids=["indexed", "plain"])
def test_facts_slash_is_not_a_fact_base_at_once(env):
    started = time.monotonic()
    done = run_factcli("validate", "--facts", "/", env=env)
    took = time.monotonic() - started
    assert done.returncode == 1
    assert problems_of(done.stderr) == [
        "/: not a fact base: no actors/, sources/ or claims/ folder (a fact base holds actors/, sources/ and claims/ folders)"
    ]
    assert took < 5, took  # no walk of the whole disk (it took half a minute)


def test_a_folder_without_kind_folders_is_not_walked(tmp_path, monkeypatch):
    """However much lies below it: not a fact base, said before any walk, by the loader and the index."""
    top = tmp_path / "top"
    (top / "deep" / "er").mkdir(parents=True)
    (top / "deep" / "er" / "x.yaml").write_text("a: 1\n", encoding="utf-8")

    def no_walk(*args):
        raise AssertionError("walked")

    monkeypatch.setattr(loader, "discover", no_walk)
    monkeypatch.setattr(index.scan, "scan", no_walk)
    for load in (loader.load_dir, index.load):
        with pytest.raises(FactBaseError) as err:
            load(top)
        assert [p.message for p in err.value.problems] == ["not a fact base: no actors/, sources/ or claims/ folder"]


@pytest.mark.parametrize("env", [INDEXED, PLAIN], ids=["indexed", "plain"])
@pytest.mark.parametrize("command", [["list"], ["list", "--json"], ["validate"], ["export", "-f", "csv"]])
def test_a_facts_name_too_long_says_so(tmp_path, env, command):
    long = tmp_path / ("a" * 300)
    done = run_factcli(*command, "--facts", str(long), env=env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "cannot write the output" not in done.stderr, done.stderr
    (problem,) = problems_of(done.stderr)
    assert problem.startswith(f"{long}: fact base directory cannot be opened: "), problem
    assert problem.split(": ")[-1].split(" (")[0] == os.strerror(errno.ENAMETOOLONG), problem  # in the OS's words
